/* xpathfn.c - placeholder until written */
#include "xpathfn.h"
