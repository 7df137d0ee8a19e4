/* import.c - placeholder until written */
#include "import.h"
