/* model_probe.c - being written */
#include "model_probe.h"
