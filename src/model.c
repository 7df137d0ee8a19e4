/* model.c - placeholder until written */
#include "model.h"
