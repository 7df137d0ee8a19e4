/* engine.c - placeholder until written */
#include "engine.h"
