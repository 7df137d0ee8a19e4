/*
 * probe_smtp.h - (contract to be written)
 */
#ifndef MXBPA_PROBE_SMTP_H
#define MXBPA_PROBE_SMTP_H
#endif
