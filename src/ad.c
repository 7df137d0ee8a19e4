/* ad.c - being written */
#include "ad.h"
