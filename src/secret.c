/* secret.c - being written */
#include "secret.h"
