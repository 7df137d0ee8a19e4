/* probe_targets.c - being written */
#include "probe_targets.h"
