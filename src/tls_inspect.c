/* tls_inspect.c - being written */
#include "tls_inspect.h"
