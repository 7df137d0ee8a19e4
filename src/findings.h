/*
 * findings.h - the findings document (urn:mxbpa:findings:1,
 * schemas/findings.rng, docs/findings.md) and severities.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_FINDINGS_H
#define MXBPA_FINDINGS_H

#include <libxml/tree.h>

struct mx_err;

#define FINDINGS_NS	"urn:mxbpa:findings:1"

/* Severities from least to most grave; the order --fail-on compares. */
enum severity {
	SEVERITY_INFO = 0,
	SEVERITY_NON_DEFAULT,
	SEVERITY_BEST_PRACTICE,
	SEVERITY_WARNING,
	SEVERITY_ERROR,
	SEVERITY_COUNT
};

/* "error" → SEVERITY_ERROR...; -1 for an unknown name. */
int		 severity_parse(const char *);
const char	*severity_name(enum severity);

/* Validate a findings document against schemas/findings.rng. */
int		 findings_validate(xmlDocPtr, const char *name, struct mx_err *);

/* Read, parse and validate a findings file.  NULL on error. */
xmlDocPtr	 findings_load(const char *path, struct mx_err *);

/* Is a <finding> waived (a waiver that has not expired)? */
int		 findings_waived(xmlNodePtr finding);

/*
 * Number of findings of severity at least min in a findings document,
 * waived findings left out.
 */
unsigned long	 findings_count_at_least(xmlDocPtr, enum severity min);

/*
 * Did the audit decide nothing?  True when the relay headline is
 * undetermined (an input it needs is missing or unreadable), or when the
 * only inputs were SMTP probes and not one of them completed its relay
 * test (the rule PROBE-011 checked every probe and failed on each): such
 * findings have no score and never pass.  reports/html.xsl keeps the
 * same test in its "undecided" variable.
 */
int		 findings_nothing_decided(xmlDocPtr);

#endif /* MXBPA_FINDINGS_H */
