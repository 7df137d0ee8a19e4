/* report.c - placeholder until written */
#include "report.h"
