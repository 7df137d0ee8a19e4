/* sddl.c - being written */
#include "sddl.h"
