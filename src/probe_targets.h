/*
 * probe_targets.h - (contract to be written)
 */
#ifndef MXBPA_PROBE_TARGETS_H
#define MXBPA_PROBE_TARGETS_H
#endif
