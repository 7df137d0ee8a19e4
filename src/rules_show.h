/*
 * rules_show.h - a rule as its readers need it ("mxbpa rules show" and
 * the rule reference docs/rules/): texts as prose with named
 * placeholders, a short "fires when" list, references; the raw XPath on
 * request.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_RULES_SHOW_H
#define MXBPA_RULES_SHOW_H

#include <stdio.h>

struct rule;

#define RULES_SHOW_XPATH	0x1	/* the raw expressions too */
#define RULES_SHOW_MARKDOWN	0x2	/* a page of the rule reference */

/*
 * Print rule r on fp: in lang (English where a text lacks it) as text,
 * or, with RULES_SHOW_MARKDOWN, a Markdown page in English and French.
 */
void	rules_show(FILE *fp, const struct rule *r, const char *lang,
	    unsigned flags);

/* The head of the Markdown rule index (docs/rules/index.md). */
void	rules_show_index(FILE *fp);

/* One line of "rules list" (a row of the index with RULES_SHOW_MARKDOWN). */
void	rules_show_line(FILE *fp, const struct rule *r, const char *lang,
	    unsigned flags);

#endif /* MXBPA_RULES_SHOW_H */
