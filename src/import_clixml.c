/* import_clixml.c - placeholder until written */
#include "import_clixml.h"
