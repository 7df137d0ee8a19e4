/* smtp_reply.c - being written */
#include "smtp_reply.h"
