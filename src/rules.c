/* rules.c - placeholder until written */
#include "rules.h"
