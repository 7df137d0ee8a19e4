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
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "err.h"
#include "rules.h"
#include "rules_lint.h"
#include "util.h"
#include "xml.h"

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

/*
 * The XPath 1.0 idiom for an optional part, substring(s, 1, N * cond):
 * the third argument of substring() multiplies by a number.  <when> says
 * the same and can be read.
 */
static int
rules_lint_is_idiom(const char *expr)
{
	const char *p = expr, *arg = NULL, *q;
	int depth, nargs;

	while ((p = strstr(p, "substring")) != NULL) {
		p += strlen("substring");
		if (p - expr > (long)strlen("substring") &&
		    (isalnum((unsigned char)p[-10]) || p[-10] == '-' ||
		    p[-10] == ':'))
			continue;
		q = p;
		while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
			q++;
		if (*q != '(')
			continue;
		depth = 0;
		nargs = 1;
		for (q++; *q != '\0'; q++) {
			if (*q == '\'' || *q == '"') {
				const char *end = strchr(q + 1, *q);

				if (end == NULL)
					break;
				q = end;
			} else if (*q == '(' || *q == '[') {
				depth++;
			} else if ((*q == ')' || *q == ']') && depth > 0) {
				depth--;
			} else if (*q == ')') {
				break;
			} else if (*q == ',' && depth == 0) {
				if (++nargs == 3)
					arg = q + 1;
			} else if (*q == '*' && depth == 0 && nargs == 3 &&
			    arg != NULL) {
				/* a product, not a node test: N * x, x * N */
				const char *b = q, *a = q + 1;

				while (b > arg && isspace((unsigned char)b[-1]))
					b--;
				while (isspace((unsigned char)*a))
					a++;
				if ((b > arg && (isdigit((unsigned char)b[-1]) ||
				    b[-1] == ')')) || isdigit((unsigned char)*a))
					return 1;
			}
		}
	}
	return 0;
}

/* What one pass over a rule's expressions looks for. */
struct rules_lint_use {
	const char	*name;		/* the let looked for */
	long		 after;		/* uses at or after this line count */
	int		 seen;		/* its own definition was passed */
	int		 used;
	unsigned	 idioms;
	const struct rule *r;
	FILE		*errs;
};

static int
rules_lint_var(void *arg, const char *name)
{
	struct rules_lint_use *u = arg;

	if (u->seen && strcmp(name, u->name) == 0)
		u->used = 1;
	return 0;
}

static int
rules_lint_use_expr(void *arg, const struct rule_expr *e)
{
	struct rules_lint_use *u = arg;

	if (u->name == NULL) {
		/* the idiom pass */
		if (rules_lint_is_idiom(e->text)) {
			fprintf(u->errs, "mxbpa: %s:%ld: rule %s: substring(..., "
			    "1, N * ...) builds an optional text: write "
			    "<when test=\"...\"> instead\n", u->r->file,
			    e->line, u->r->id);
			u->idioms++;
		}
		return 0;
	}
	rule_each_var(e->text, rules_lint_var, u);
	if (e->kind == RULE_EXPR_LET && e->let != NULL &&
	    strcmp(e->let, u->name) == 0)
		u->seen = 1;
	return 0;
}

/* Each let of el (a <rule>, or the pack's <rules>) is used somewhere. */
static unsigned
rules_lint_lets(const struct rule *r, xmlNodePtr el, FILE *errs)
{
	struct rules_lint_use u;
	xmlNodePtr c, rule;
	unsigned problems = 0;
	int pack = el != r->node;

	for (c = el->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, "let") != 0)
			continue;
		memset(&u, 0, sizeof(u));
		u.name = xml_attr(c, "name");
		u.r = r;
		u.errs = errs;
		rule_each_expr(el, rules_lint_use_expr, &u);
		/* A pack's let may serve any rule of the pack. */
		for (rule = el->children; pack && !u.used && rule != NULL;
		    rule = rule->next)
			if (rule->type == XML_ELEMENT_NODE &&
			    strcmp((const char *)rule->name, "rule") == 0)
				rule_each_expr(rule, rules_lint_use_expr, &u);
		if (u.used)
			continue;
		fprintf(errs, "mxbpa: %s:%ld: %s%s: let %s is never used\n",
		    r->file, xml_line(c), pack ? "pack " : "rule ",
		    pack ? xml_attr(el, "pack") : r->id, u.name);
		problems++;
	}
	return problems;
}

/* The idiom in the pack's own lets. */
static unsigned
rules_lint_pack_idioms(const struct rule *r, FILE *errs)
{
	struct rules_lint_use u;

	memset(&u, 0, sizeof(u));
	u.r = r;
	u.errs = errs;
	rule_each_expr(r->node->parent, rules_lint_use_expr, &u);
	return u.idioms;
}

/* The idiom in any expression of the rule, and its unused lets. */
static unsigned
rules_lint_exprs(const struct rule *r, FILE *errs)
{
	struct rules_lint_use u;

	memset(&u, 0, sizeof(u));
	u.r = r;
	u.errs = errs;
	rule_each_expr(r->node, rules_lint_use_expr, &u);
	return u.idioms + rules_lint_lets(r, r->node, errs);
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
	problems += rules_lint_exprs(r, errs);
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
		if (rule_set_count(rs) > first) {
			const struct rule *r0 = rule_set_get(rs, first);

			mine += rules_lint_lets(r0, r0->node->parent, errs);
			mine += rules_lint_pack_idioms(r0, errs);
		}
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
