/* findings.c - placeholder until written */
#include "findings.h"
