/* probe_smtp.c - being written */
#include "probe_smtp.h"
