/* iprange.c - placeholder until written */
#include "iprange.h"
