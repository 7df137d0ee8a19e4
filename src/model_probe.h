/*
 * model_probe.h - SMTP probe results into the topology model: one <probe>
 * element per result (docs/model.md, "Probes"; schemas/model.rng, define
 * "probe"), plus a <source kind="probe"> for the run.
 *
 * probe_smtp.c fills the results and never writes XML; this module is the
 * only one that turns them into the model.  Every string that came from
 * the network is made safe for XML here: control characters, bytes that
 * are not UTF-8 and characters XML cannot hold become \xHH.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_MODEL_PROBE_H
#define MXBPA_MODEL_PROBE_H

#include <stddef.h>

struct model;
struct mx_err;
struct probe_result;

/*
 * Add a source (kind "probe", location as given: the TARGETs of the run,
 * objects = n) and one <probe> per result, in order, as the last children
 * of the model.  Call it after every other collector: <probe> elements
 * follow <organization>.  Returns 0, or -1 with MX_ERR_INTERNAL.
 */
int	model_probe_add(struct model *, const char *location,
	    const struct probe_result *, size_t n, struct mx_err *);

/*
 * A copy of s (at most max bytes) that XML can hold: valid UTF-8 and tab
 * and newline kept, anything else written as \xHH.  Caller frees.
 */
char	*model_probe_text(const char *s, size_t max);

#endif /* MXBPA_MODEL_PROBE_H */
