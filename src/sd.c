/* sd.c - being written */
#include "sd.h"
