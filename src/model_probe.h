/*
 * model_probe.h - (contract to be written)
 */
#ifndef MXBPA_MODEL_PROBE_H
#define MXBPA_MODEL_PROBE_H
#endif
