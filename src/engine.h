/*
 * engine.h - evaluate rules on a model and produce the findings document.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_ENGINE_H
#define MXBPA_ENGINE_H

#include <stddef.h>

#include <libxml/tree.h>
#include <libxml/xpath.h>

struct model;
struct mx_err;
struct rule_set;
struct rule;

/*
 * Run every rule on the model.  Returns a new findings document
 * (docs/findings.md) the caller frees with xmlFreeDoc, or NULL with
 * MX_ERR_INPUT (an XPath error in a rule, naming the rule's file and line)
 * or MX_ERR_LIMIT (more than FINDINGS_MAX findings).
 */
xmlDocPtr	 engine_run(const struct rule_set *, struct model *,
		    struct mx_err *);

/*
 * Interpolate the {expr} parts of text on node, with $self bound to node,
 * in the context ctx (which has the mx: functions).  Returns a string the
 * caller frees, or NULL with MX_ERR_INPUT.
 */
char		*engine_interpolate(xmlXPathContextPtr, xmlNodePtr node,
		    const char *text, const char *where, struct mx_err *);

/*
 * Check the {expr} parts of a text compile (syntax, brace balance, at most
 * RULE_TEXT_EXPR_MAX expressions).  0, or -1 with MX_ERR_INPUT at where.
 */
int		 engine_check_text(xmlXPathContextPtr, const char *text,
		    const char *where, struct mx_err *);

/*
 * Write s as one PowerShell argument into out[0..size): a single-quoted
 * string with each quote PowerShell knows (' and the Unicode single
 * quotes) doubled; control characters and line separators are joined
 * in as [char]0xHHHH, the whole in parentheses.  Returns the length the
 * quoted text needs (as snprintf); it is complete only when < size.
 */
size_t		 engine_ps_quote(const char *s, char *out, size_t size);

/* A new XPath context on doc with the mx: functions and EXSLT. */
xmlXPathContextPtr engine_xpath_context(xmlDocPtr);

#endif /* MXBPA_ENGINE_H */
