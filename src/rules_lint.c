/*
 * rules_lint.c - "mxbpa rules lint" (see rules_lint.h and docs/rules.md).
 *
 * Loading a pack already checks the schema, the XPath of select, assert
 * and evidence, each {expr} of the texts, English texts and unique ids;
 * lint adds the checks a reader relies on.  Every problem is reported,
 * one line each, so that one run fixes a pack.
 *
 * SPDX-License-Identifier: ISC
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "err.h"
#include "rules.h"
#include "rules_lint.h"
#include "util.h"

#define RULES_LINT_LANGS	16	/* languages told apart in one pack */

static const char *const rules_lint_texts[] = {
	"title", "message", "remediation", "description", NULL
};

struct rules_lint_langs {
	char	lang[RULES_LINT_LANGS][16];
	size_t	n;
};

static void
rules_lint_lang_add(struct rules_lint_langs *l, const char *lang)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->lang[i], lang) == 0)
			return;
	if (l->n < RULES_LINT_LANGS)
		util_strlcpy(l->lang[l->n++], lang, sizeof(l->lang[0]));
}

/* Does the rule have element in lang?  (*any: in some language.) */
static int
rules_lint_has(xmlNodePtr rule, const char *element, const char *lang,
    int *any)
{
	xmlNodePtr c;
	int found = 0;

	*any = 0;
	for (c = rule->children; c != NULL; c = c->next) {
		xmlChar *l;

		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, element) != 0)
			continue;
		*any = 1;
		l = xmlNodeGetLang(c);
		if (l != NULL && strcmp((const char *)l, lang) == 0)
			found = 1;
		xmlFree(l);
	}
	return found;
}

static void
rules_lint_collect_langs(xmlNodePtr rule, struct rules_lint_langs *l)
{
	xmlNodePtr c;
	size_t k;

	for (c = rule->children; c != NULL; c = c->next)
		for (k = 0; rules_lint_texts[k] != NULL; k++) {
			xmlChar *lang;

			if (c->type != XML_ELEMENT_NODE || strcmp((const char *)
			    c->name, rules_lint_texts[k]) != 0)
				continue;
			if ((lang = xmlNodeGetLang(c)) != NULL)
				rules_lint_lang_add(l, (const char *)lang);
			xmlFree(lang);
		}
}

/* The fixture directory of a pack: fixtures, or PACKDIR/../tests/rules. */
static void
rules_lint_fixtures(const char *file, const char *fixtures, char *out,
    size_t size)
{
	const char *slash = strrchr(file, '/');

	if (fixtures != NULL)
		snprintf(out, size, "%s", fixtures);
	else if (slash == NULL)
		snprintf(out, size, "../tests/rules");
	else
		snprintf(out, size, "%.*s/../tests/rules",
		    (int)(slash - file), file);
}

static unsigned
rules_lint_rule(const struct rule *r, const struct rules_lint_langs *langs,
    const char *fixdir, FILE *errs)
{
	char path[PATH_MAX];
	unsigned problems = 0;
	size_t k, i;
	int any;

	for (k = 0; rules_lint_texts[k] != NULL; k++)
		for (i = 0; i < langs->n; i++) {
			if (rules_lint_has(r->node, rules_lint_texts[k],
			    langs->lang[i], &any))
				continue;
			/* A description is optional, in no language at all. */
			if (!any && strcmp(rules_lint_texts[k],
			    "description") == 0)
				continue;
			fprintf(errs, "mxbpa: %s:%ld: rule %s: no %s in \"%s\" (the "
			    "pack uses that language)\n", r->file, r->line,
			    r->id, rules_lint_texts[k], langs->lang[i]);
			problems++;
		}
	/* Without it, a rule would "pass" where its inputs are missing. */
	if (!r->needs_declared) {
		fprintf(errs, "mxbpa: %s:%ld: rule %s: no needs attribute (the "
		    "inputs the rule needs: connectors, permissions, "
		    "accepted-domains, servers, certificates, probes, or "
		    "none)\n", r->file, r->line, r->id);
		problems++;
	}
	for (k = 0; k < 2; k++) {
		const char *name = k == 0 ? "bad.xml" : "good.xml";

		if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s", fixdir,
		    r->id, name) < sizeof(path) && access(path, R_OK) == 0)
			continue;
		fprintf(errs, "mxbpa: %s:%ld: rule %s: no fixture %s (one model the "
		    "rule fires on, bad.xml, one it stays quiet on, "
		    "good.xml)\n", r->file, r->line, r->id, path);
		problems++;
	}
	return problems;
}

unsigned
rules_lint(const char *const *files, size_t n, const char *fixtures,
    const struct rule_set *known, FILE *out, FILE *errs)
{
	struct rule_set *rs = rule_set_new();
	struct rules_lint_langs langs;
	struct mx_err err;
	char fixdir[PATH_MAX];
	unsigned problems = 0, mine;
	size_t f, first, i;

	for (f = 0; f < n; f++) {
		first = rule_set_count(rs);
		mx_err_init(&err);
		if (rule_set_load_file(rs, files[f], &err) == -1) {
			mx_err_print(&err, errs);
			problems++;
			continue;
		}
		memset(&langs, 0, sizeof(langs));
		rules_lint_lang_add(&langs, "en");
		for (i = first; i < rule_set_count(rs); i++)
			rules_lint_collect_langs(rule_set_get(rs, i)->node,
			    &langs);
		rules_lint_fixtures(files[f], fixtures, fixdir,
		    sizeof(fixdir));
		mine = 0;
		for (i = first; i < rule_set_count(rs); i++)
			mine += rules_lint_rule(rule_set_get(rs, i), &langs,
			    fixdir, errs);
		if (mine == 0)
			fprintf(out, "%s: ok (%zu rules)\n", files[f],
			    rule_set_count(rs) - first);
		problems += mine;
	}
	mx_err_init(&err);
	if (rule_set_check_entries(rs, known, &err) == -1) {
		mx_err_print(&err, errs);
		problems++;
	}
	rule_set_free(rs);
	return problems;
}
