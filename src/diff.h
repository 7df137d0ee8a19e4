/*
 * diff.h - baseline comparison: what changed between two topology models
 * or two findings documents.
 *
 * The result is a <changes> element of the findings namespace (see
 * docs/findings.md): one <change> per difference, with a type (added,
 * removed, changed), the kind of thing (receive-connector, binding,
 * remote-ip-range, ace, setting, finding...), the object it belongs to and,
 * for a change, the old and new values.  `mxbpa diff` prints it;
 * `mxbpa audit --baseline` appends it to the findings, where the HTML
 * report shows it as "Recent changes".
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_DIFF_H
#define MXBPA_DIFF_H

#include <stdio.h>

#include <libxml/tree.h>

struct mx_err;
struct model;

enum diff_kind {
	DIFF_KIND_MODEL,
	DIFF_KIND_FINDINGS
};

/* One side of a comparison: a validated model or findings document. */
struct diff_input {
	enum diff_kind	 kind;
	struct model	*model;		/* DIFF_KIND_MODEL */
	xmlDocPtr	 findings;	/* DIFF_KIND_FINDINGS */
};

/*
 * Read path, recognise a model or a findings document by its root element,
 * and validate it against its schema.  0, or -1 (MX_ERR_INPUT for anything
 * else).  Free with diff_input_free().
 */
int		 diff_input_load(struct diff_input *, const char *path,
		    struct mx_err *);
void		 diff_input_free(struct diff_input *);

/*
 * Returns a new document whose root is an empty <changes old= new=>;
 * free with xmlFreeDoc().
 */
xmlDocPtr	 diff_new(const char *old_name, const char *new_name);

/* diff_compare flags: compare findings only, not the connectors they list. */
#define DIFF_FINDINGS_ONLY	0x1

/*
 * Add to changes what differs from old to new.  Two models are compared
 * object by object (servers, connectors and everything they hold,
 * accepted domains); two findings documents by finding (rule and object)
 * and, unless flags has DIFF_FINDINGS_ONLY, by the connectors they list.
 * Borrows old and new.  0, or -1 with MX_ERR_USAGE when the two are not
 * of one kind.
 */
int		 diff_compare(xmlDocPtr changes, xmlDocPtr old, xmlDocPtr new,
		    int flags, struct mx_err *);

/* Number of <change> elements in changes. */
unsigned long	 diff_count(xmlDocPtr changes);

/*
 * Write changes as text, one line per change ("+ ace EX01\Relay: ..."),
 * made safe for a terminal, to path ("-" is stdout), replaced atomically.
 */
int		 diff_write_text(xmlDocPtr changes, const char *path,
		    struct mx_err *);

/*
 * Append a copy of the <changes> element to a findings document (its
 * "recent changes").  0, or -1 with MX_ERR_INTERNAL.
 */
int		 diff_attach(xmlDocPtr findings, xmlDocPtr changes,
		    struct mx_err *);

#endif /* MXBPA_DIFF_H */
