/*
 * rules_lint.h - "mxbpa rules lint": the checks of loading (schema, XPath
 * compilation, interpolations, unique ids) plus what a pack owes its
 * readers: every text in every language the pack uses, references of
 * disable and waiver entries to known rules, and fixtures for each rule.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_RULES_LINT_H
#define MXBPA_RULES_LINT_H

#include <stddef.h>
#include <stdio.h>

struct rule_set;

/*
 * Lint the packs files[0..n).  Fixtures are looked for in
 * fixtures/ID/bad.xml and good.xml (fixtures NULL: the directory
 * ../tests/rules next to each pack).  known (may be NULL) holds rules
 * that disable and waiver entries may name besides the linted ones (the
 * built-in packs).  Each problem is one line "mxbpa: file:line: message"
 * on errs; each clean pack one line "file: ok (N rules)" on out.  Returns
 * the number of problems.
 */
unsigned	rules_lint(const char *const *files, size_t n,
		    const char *fixtures, const struct rule_set *known,
		    FILE *out, FILE *errs);

#endif /* MXBPA_RULES_LINT_H */
