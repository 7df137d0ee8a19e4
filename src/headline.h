/*
 * headline.h - the relay headline of a findings document: can anyone
 * relay mail through these servers? (docs/findings.md, "The relay
 * headline").
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_HEADLINE_H
#define MXBPA_HEADLINE_H

#include <libxml/tree.h>

struct coverage;
struct rule_set;

/*
 * Insert <relay verdict=".."> before the <coverage> child of root, a
 * findings document whose rules and findings are complete:
 *
 *   possible      a rule marked headline="relay" failed: one <where> per
 *                 finding (rule, object, server; the rule's English
 *                 title says how);
 *   undetermined  a headline rule could not be checked for lack of
 *                 connectors, permission entries or accepted domains, was
 *                 disabled, none ran, or a probe's relay verdict left the
 *                 question open: one <missing> each;
 *   none-found    otherwise: one <basis> per server and input it rests on.
 */
void	 headline_add(xmlNodePtr root, xmlNsPtr ns, const struct rule_set *,
	    const struct coverage *);

#endif /* MXBPA_HEADLINE_H */
