/* collector_ldap.c - being written */
#include "collector_ldap.h"
