/* import_ldif.c - being written */
#include "import_ldif.h"
