/*
 * tls_inspect.h - (contract to be written)
 */
#ifndef MXBPA_TLS_INSPECT_H
#define MXBPA_TLS_INSPECT_H
#endif
