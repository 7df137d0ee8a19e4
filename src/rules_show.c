/*
 * rules_show.c - a rule as prose (see rules_show.h and docs/rules.md).
 *
 * A placeholder that names a value, {$name} or {@attribute}, is shown as
 * <name>; a let's name reads as words ("grants-relay": "grants relay").
 * The "fires when" list comes from the assertion: the rule fires where
 * it is false, so not(A and B) fires when A and when B, and A or B fires
 * when not A and not B.  A part of the XPath that is not a name stays
 * XPath, so nothing is hidden.
 *
 * SPDX-License-Identifier: ISC
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "bounds.h"
#include "findings.h"
#include "rules.h"
#include "rules_show.h"
#include "util.h"
#include "xml.h"

#define RULES_SHOW_ITEMS	16	/* "fires when" items shown */

/* Labels, English then French. */
enum rules_show_label {
	RS_WHAT, RS_CHECKS, RS_FIRES, RS_MESSAGE, RS_FIX, RS_REFS, RS_XPATH,
	RS_IF, RS_FIRST, RS_OTHERWISE, RS_NOT, RS_EACH, RS_EACH_OF, RS_FILTERED,
	RS_NEEDS,
	RS_COUNT
};

static const char *const rules_show_labels[RS_COUNT][2] = {
	[RS_WHAT] = { "What and why", "Quoi et pourquoi" },
	[RS_CHECKS] = { "Checks", "Vérifie" },
	[RS_FIRES] = { "Fires when", "Se déclenche quand" },
	[RS_MESSAGE] = { "Finding", "Constat" },
	[RS_FIX] = { "How to fix", "Correction" },
	[RS_REFS] = { "References", "Références" },
	[RS_XPATH] = { "How it is checked (XPath)",
	    "Comment c'est vérifié (XPath)" },
	[RS_IF] = { "if", "si" },
	[RS_FIRST] = { "the first that holds", "le premier qui s'applique" },
	[RS_OTHERWISE] = { "otherwise", "sinon" },
	[RS_NOT] = { "not", "non" },
	[RS_EACH] = { "each", "chaque" },
	[RS_EACH_OF] = { "each of the", "chacun des" },
	[RS_NEEDS] = { "needs", "entrées" },
	[RS_FILTERED] = { "selected by the rule's filter",
	    "retenu par le filtre de la règle" },
};

static const char *
rules_show_label(enum rules_show_label l, const char *lang)
{
	return rules_show_labels[l][lang != NULL && strcmp(lang, "fr") == 0];
}

/* s without leading and trailing white space, in a new string. */
static char *
rules_show_trim(const char *s, size_t n)
{
	char *t;

	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	t = xmalloc(n + 1);
	memcpy(t, s, n);
	t[n] = '\0';
	return t;
}

/*
 * The name of a placeholder that reads a value, or NULL: {$name} and
 * {@name} by their name, a path by its steps without predicates
 * ({$server/@name}: "server name", {../@name}: "parent name"), also
 * inside mx:sorted-join(path, separator).
 */
static const char *
rules_show_name(const char *expr, char *buf, size_t size)
{
	char *t = rules_show_trim(expr, strlen(expr)), *p, *end;
	size_t n = 0;
	int depth = 0;

	p = t;
	if (strncmp(p, "mx:sorted-join(", 15) == 0) {
		p += 15;
		/* the first argument, up to its top-level comma */
		for (end = p; *end != '\0'; end++) {
			if (*end == '[' || *end == '(')
				depth++;
			else if (*end == ']' || *end == ')')
				depth--;
			else if (*end == ',' && depth == 0)
				break;
		}
		if (*end != ',')
			goto none;
		*end = '\0';
	}
	for (depth = 0; *p != '\0'; p++) {
		if (*p == '[') {
			depth++;
			continue;
		}
		if (*p == ']') {
			depth--;
			continue;
		}
		if (depth > 0)
			continue;
		if (strncmp(p, "../", 3) == 0) {
			n += (size_t)snprintf(buf + n, n < size ? size - n : 0,
			    "%sparent", n ? " " : "");
			p += 2;
			continue;
		}
		if (*p == '/') {
			if (n < size - 1)
				buf[n++] = ' ';
			continue;
		}
		if (*p == '$' || *p == '@')
			continue;
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' &&
		    *p != ' ')
			goto none;
		if (*p == ' ')
			continue;
		if (n < size - 1)
			buf[n++] = *p;
	}
	if (n == 0 || n >= size || depth != 0)
		goto none;
	buf[n] = '\0';
	free(t);
	return buf;
none:
	free(t);
	return NULL;
}

/*
 * An XPath test as words when it is made of names, not(), and, or and
 * parentheses only ("$relays and not($restricted)": "relays and not
 * restricted"); NULL otherwise.  A new string.
 */
static char *
rules_show_words(const char *expr, const char *lang)
{
	char *out = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&out, &size);
	const char *p = expr;
	int ok = 1, space = 0;

	if (fp == NULL)
		util_oom();
	while (*p != '\0' && ok) {
		if (isspace((unsigned char)*p) || *p == '(' || *p == ')') {
			space = space || isspace((unsigned char)*p) ||
			    *p == '(';
			p++;
			continue;
		}
		if (space && ftell(fp) > 0)
			fputc(' ', fp);
		space = 0;
		if (*p == '$') {
			for (p++; isalnum((unsigned char)*p) || *p == '-' ||
			    *p == '_'; p++)
				fputc(*p == '-' ? ' ' : *p, fp);
		} else if (strncmp(p, "not", 3) == 0 &&
		    !isalnum((unsigned char)p[3])) {
			fputs(rules_show_label(RS_NOT, lang), fp);
			p += 3;
		} else if ((strncmp(p, "and", 3) == 0 ||
		    strncmp(p, "or", 2) == 0) &&
		    !isalnum((unsigned char)p[*p == 'a' ? 3 : 2])) {
			size_t n = *p == 'a' ? 3 : 2;

			if (lang != NULL && strcmp(lang, "fr") == 0)
				fputs(n == 3 ? "et" : "ou", fp);
			else
				fwrite(p, 1, n, fp);
			p += n;
		} else
			ok = 0;
		space = 1;
	}
	fclose(fp);
	if (!ok || out[0] == '\0') {
		free(out);
		return NULL;
	}
	return out;
}

/* s with each run of white space printed as one space. */
static void
rules_show_squeeze(FILE *fp, const char *s)
{
	int space = 0;

	for (; *s != '\0'; s++) {
		if (isspace((unsigned char)*s)) {
			space = 1;
			continue;
		}
		if (space)
			fputc(' ', fp);
		space = 0;
		fputc(*s, fp);
	}
}

/* A test for the reader: words when it can, else the XPath itself. */
static void
rules_show_test(FILE *fp, const char *expr, const char *lang,
    unsigned flags, int negate)
{
	char *w = (flags & RULES_SHOW_XPATH) ? NULL :
	    rules_show_words(expr, lang);
	char *t = rules_show_trim(expr, strlen(expr));
	const char *q = (flags & RULES_SHOW_MARKDOWN) ? "`" : "";

	if (negate)
		fprintf(fp, "%s ", rules_show_label(RS_NOT, lang));
	if (w != NULL)
		fputs(w, fp);
	else {
		fprintf(fp, "%s%s", q, negate ? "(" : "");
		rules_show_squeeze(fp, t);
		fprintf(fp, "%s%s", negate ? ")" : "", q);
	}
	free(w);
	free(t);
}

/*
 * Split expr at its top-level "and" (or "or") into at most max items
 * (new strings); returns their number.
 */
static size_t
rules_show_split(const char *expr, const char *op, char **items,
    size_t max)
{
	size_t n = 0, oplen = strlen(op);
	const char *p, *start = expr;
	int depth = 0;

	for (p = expr; *p != '\0'; p++) {
		if (*p == '\'' || *p == '"') {
			const char *end = strchr(p + 1, *p);

			if (end == NULL)
				break;
			p = end;
		} else if (*p == '(' || *p == '[') {
			depth++;
		} else if (*p == ')' || *p == ']') {
			depth--;
		} else if (depth == 0 && n + 1 < max && p > expr &&
		    isspace((unsigned char)p[-1]) &&
		    strncmp(p, op, oplen) == 0 &&
		    (isspace((unsigned char)p[oplen]) || p[oplen] == '(')) {
			items[n++] = rules_show_trim(start,
			    (size_t)(p - start));
			start = p + oplen;
		}
	}
	items[n++] = rules_show_trim(start, strlen(start));
	return n;
}

/* The inside of not( ... ) when it wraps the whole test, else NULL. */
static char *
rules_show_negated(const char *test)
{
	char *t = rules_show_trim(test, strlen(test)), *in = NULL;
	size_t len = strlen(t), i;
	int depth = 0;

	if (strncmp(t, "not", 3) != 0 || len < 5)
		goto out;
	i = 3;
	while (isspace((unsigned char)t[i]))
		i++;
	if (t[i] != '(' || t[len - 1] != ')')
		goto out;
	for (size_t j = i; j < len; j++) {
		if (t[j] == '\'' || t[j] == '"') {
			char *end = strchr(t + j + 1, t[j]);

			if (end == NULL)
				goto out;
			j = (size_t)(end - t);
		} else if (t[j] == '(') {
			depth++;
		} else if (t[j] == ')' && --depth == 0 && j != len - 1) {
			goto out;	/* not(a) and b */
		}
	}
	in = rules_show_trim(t + i + 1, len - i - 2);
out:
	free(t);
	return in;
}

/* "Fires when": one line per item the assertion's failure needs. */
static void
rules_show_fires(FILE *fp, const struct rule *r, const char *lang,
    unsigned flags, const char *indent)
{
	char *items[RULES_SHOW_ITEMS], *inner = rules_show_negated(
	    r->assert_text);
	size_t n, i;

	if (inner != NULL)
		n = rules_show_split(inner, "and", items, RULES_SHOW_ITEMS);
	else
		n = rules_show_split(r->assert_text, "or", items,
		    RULES_SHOW_ITEMS);
	for (i = 0; i < n; i++) {
		fprintf(fp, "%s- ", indent);
		rules_show_test(fp, items[i], lang, flags, inner == NULL);
		fputc('\n', fp);
		free(items[i]);
	}
	free(inner);
}

/* A text node: {$name} as <name>, {{ and }} as braces. */
static void
rules_show_text(FILE *fp, const char *text, unsigned flags)
{
	char name[128], expr[RULE_TEXT_MAX], c;
	enum rule_piece k;

	while ((k = rule_text_piece(&text, &c, expr, sizeof(expr))) !=
	    RULE_PIECE_END) {
		if (k != RULE_PIECE_EXPR)
			fputc(isspace((unsigned char)c) ? ' ' : c, fp);
		else if (!(flags & RULES_SHOW_XPATH) &&
		    rules_show_name(expr, name, sizeof(name)) != NULL)
			fprintf(fp, "<%s>", name);
		else
			fprintf(fp, "{%s}", expr);
	}
}

/* The parts of a text element, as prose. */
static void
rules_show_parts(FILE *fp, xmlNodePtr parent, const char *lang,
    unsigned flags)
{
	char name[128];
	const char *sel;
	xmlNodePtr c, w;

	for (c = parent->children; c != NULL; c = c->next) {
		if (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) {
			rules_show_text(fp, (const char *)c->content, flags);
		} else if (c->type != XML_ELEMENT_NODE) {
			continue;
		} else if (strcmp((const char *)c->name, "arg") == 0) {
			sel = xml_attr(c, "select");
			if (!(flags & RULES_SHOW_XPATH) &&
			    rules_show_name(sel, name, sizeof(name)) != NULL)
				fprintf(fp, "'<%s>'", name);
			else
				fprintf(fp, "'{%s}'", sel);
			if (xml_attr(c, "list") != NULL)
				fputs(",...", fp);
		} else if (strcmp((const char *)c->name, "when") == 0) {
			fprintf(fp, " [%s ", rules_show_label(RS_IF, lang));
			rules_show_test(fp, xml_attr(c, "test"), lang, flags,
			    0);
			fputs(": ", fp);
			rules_show_parts(fp, c, lang, flags);
			fputs("]", fp);
		} else if (strcmp((const char *)c->name, "choose") == 0) {
			fprintf(fp, " [%s:", rules_show_label(RS_FIRST, lang));
			for (w = c->children; w != NULL; w = w->next) {
				if (w->type != XML_ELEMENT_NODE)
					continue;
				if (strcmp((const char *)w->name, "when") == 0) {
					fprintf(fp, " %s ",
					    rules_show_label(RS_IF, lang));
					rules_show_test(fp, xml_attr(w, "test"),
					    lang, flags, 0);
				} else
					fprintf(fp, " %s", rules_show_label(
					    RS_OTHERWISE, lang));
				fputs(": ", fp);
				rules_show_parts(fp, w, lang, flags);
				fputs(xmlNextElementSibling(w) != NULL ? ";" :
				    "", fp);
			}
			fputs("]", fp);
		} else {
			/* <command> */
			rules_show_parts(fp, c, lang, flags);
		}
	}
}

/* A text element as one line of prose, white space collapsed. */
static void
rules_show_element(FILE *fp, xmlNodePtr el, const char *lang,
    unsigned flags, const char *indent)
{
	char *buf = NULL, *p;
	size_t size = 0;
	FILE *mem = open_memstream(&buf, &size);
	int space = 0, any = 0;

	if (mem == NULL)
		util_oom();
	rules_show_parts(mem, el, lang, flags);
	fclose(mem);
	fputs(indent, fp);
	for (p = buf; *p != '\0'; p++) {
		if (isspace((unsigned char)*p)) {
			space = 1;
			continue;
		}
		if (space && any)
			fputc(' ', fp);
		fputc(*p, fp);
		space = 0;
		any = 1;
	}
	fputc('\n', fp);
	free(buf);
}

/* What the rule checks: the kind of object its select yields. */
static void
rules_show_checks(FILE *fp, const struct rule *r, const char *lang)
{
	const char *s = r->select_text, *last = s, *p;
	int depth = 0, filtered = 0;
	size_t n;

	for (p = s; *p != '\0'; p++) {
		if (*p == '[' || *p == '(')
			depth++;
		else if (*p == ']' || *p == ')')
			depth--;
		else if (*p == '/' && depth == 0)
			last = p + 1;
	}
	for (n = 0; last[n] != '\0' && last[n] != '[' &&
	    !isspace((unsigned char)last[n]); n++)
		;
	filtered = last[n] != '\0';
	if (*last == '$') {
		/* a pack's let: its name as words */
		fprintf(fp, "%s ", rules_show_label(RS_EACH_OF, lang));
		for (p = last + 1; p < last + n; p++)
			fputc(*p == '-' ? ' ' : *p, fp);
	} else
		fprintf(fp, "%s %.*s", rules_show_label(RS_EACH, lang),
		    (int)n, last);
	if (filtered)
		fprintf(fp, " (%s)", rules_show_label(RS_FILTERED, lang));
	/* what the inputs must hold, else "not checked" (coverage.h) */
	if (xml_attr(r->node, "needs") != NULL)
		fprintf(fp, "; %s: %s", rules_show_label(RS_NEEDS, lang),
		    xml_attr(r->node, "needs"));
	fputc('\n', fp);
}

/* The raw XPath: select, lets, assertion, evidence. */
static void
rules_show_xpath(FILE *fp, const struct rule *r, const char *indent,
    int md)
{
	size_t i;

	if (md)
		fputs("```xpath\n", fp);
	for (i = 0; i < r->npack_lets; i++) {
		fprintf(fp, "%slet $%s (pack) := ", indent,
		    r->pack_lets[i].name);
		rules_show_squeeze(fp, r->pack_lets[i].value_text);
		fputc('\n', fp);
	}
	fprintf(fp, "%sselect: ", indent);
	rules_show_squeeze(fp, r->select_text);
	for (i = 0; i < r->nlets; i++) {
		fprintf(fp, "\n%slet $%s := ", indent, r->lets[i].name);
		rules_show_squeeze(fp, r->lets[i].value_text);
	}
	fprintf(fp, "\n%sassert: ", indent);
	rules_show_squeeze(fp, r->assert_text);
	if (r->evidence_text != NULL) {
		fprintf(fp, "\n%sevidence: ", indent);
		rules_show_squeeze(fp, r->evidence_text);
	}
	fputc('\n', fp);
	if (md)
		fputs("```\n", fp);
}

static void
rules_show_refs(FILE *fp, const struct rule *r, int md)
{
	xmlNodePtr c;
	xmlChar *t;

	for (c = r->node->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, "reference") != 0)
			continue;
		t = xmlNodeGetContent(c);
		if (md)
			fprintf(fp, "- [%s](%s)\n", t != NULL ? (char *)t : "",
			    xml_attr(c, "href"));
		else
			fprintf(fp, "  - %s <%s>\n", t != NULL ? (char *)t : "",
			    xml_attr(c, "href"));
		xmlFree(t);
	}
}

/* The texts of one language, as Markdown sections. */
static void
rules_show_md_lang(FILE *fp, const struct rule *r, const char *lang,
    unsigned flags)
{
	xmlNodePtr el;

	if ((el = rule_text_node(r, "description", lang)) != NULL) {
		fprintf(fp, "### %s\n\n", rules_show_label(RS_WHAT, lang));
		rules_show_element(fp, el, lang, flags, "");
		fputc('\n', fp);
	}
	fprintf(fp, "### %s\n\n", rules_show_label(RS_CHECKS, lang));
	rules_show_checks(fp, r, lang);
	fprintf(fp, "\n### %s\n\n", rules_show_label(RS_FIRES, lang));
	rules_show_fires(fp, r, lang, flags, "");
	/* In fences, so that <name> stays text, as "rules show" prints it. */
	fprintf(fp, "\n### %s\n\n```text\n", rules_show_label(RS_MESSAGE,
	    lang));
	rules_show_element(fp, rule_text_node(r, "message", lang), lang,
	    flags & ~RULES_SHOW_MARKDOWN, "");
	fputs("```\n", fp);
	if ((el = rule_text_node(r, "remediation", lang)) != NULL) {
		fprintf(fp, "\n### %s\n\n```text\n",
		    rules_show_label(RS_FIX, lang));
		rules_show_element(fp, el, lang, flags & ~RULES_SHOW_MARKDOWN,
		    "");
		fputs("```\n", fp);
	}
	fputc('\n', fp);
}

void
rules_show(FILE *fp, const struct rule *r, const char *lang, unsigned flags)
{
	xmlNodePtr el;

	if (flags & RULES_SHOW_MARKDOWN) {
		fprintf(fp, "# %s: %s\n\nSeverity: %s · Category: %s · "
		    "Pack: %s\n\n## English\n\n", r->id,
		    rule_text(r, "title", "en"), severity_name(r->severity),
		    r->category, r->pack);
		rules_show_md_lang(fp, r, "en", flags);
		fprintf(fp, "## Français: %s\n\n", rule_text(r, "title",
		    "fr"));
		rules_show_md_lang(fp, r, "fr", flags);
		fprintf(fp, "## %s\n\n", rules_show_label(RS_REFS, "en"));
		rules_show_refs(fp, r, 1);
		fprintf(fp, "\n## %s\n\n", rules_show_label(RS_XPATH, "en"));
		rules_show_xpath(fp, r, "", 1);
		return;
	}
	fprintf(fp, "%s: %s\n  %s · %s · %s · %s:%ld\n", r->id,
	    rule_text(r, "title", lang), severity_name(r->severity),
	    r->category, r->pack, r->file, r->line);
	if ((el = rule_text_node(r, "description", lang)) != NULL) {
		fprintf(fp, "%s:\n", rules_show_label(RS_WHAT, lang));
		rules_show_element(fp, el, lang, flags, "  ");
	}
	fprintf(fp, "%s:\n  ", rules_show_label(RS_CHECKS, lang));
	rules_show_checks(fp, r, lang);
	fprintf(fp, "%s:\n", rules_show_label(RS_FIRES, lang));
	rules_show_fires(fp, r, lang, flags, "  ");
	fprintf(fp, "%s:\n", rules_show_label(RS_MESSAGE, lang));
	rules_show_element(fp, rule_text_node(r, "message", lang), lang,
	    flags, "  ");
	if ((el = rule_text_node(r, "remediation", lang)) != NULL) {
		fprintf(fp, "%s:\n", rules_show_label(RS_FIX, lang));
		rules_show_element(fp, el, lang, flags, "  ");
	}
	fprintf(fp, "%s:\n", rules_show_label(RS_REFS, lang));
	rules_show_refs(fp, r, 0);
	if (flags & RULES_SHOW_XPATH) {
		fprintf(fp, "XPath:\n");
		rules_show_xpath(fp, r, "  ", 0);
	}
}

void
rules_show_index(FILE *fp)
{
	fputs("# mxbpa rule reference\n\nGenerated from the rule packs; "
	    "`mxbpa rules show ID` prints the same page as text.\n\n"
	    "| Rule | Severity | Category | Pack | Title |\n"
	    "|---|---|---|---|---|\n", fp);
}

void
rules_show_line(FILE *fp, const struct rule *r, const char *lang,
    unsigned flags)
{
	if (flags & RULES_SHOW_MARKDOWN)
		fprintf(fp, "| [%s](%s.md) | %s | %s | %s | %s |\n", r->id,
		    r->id, severity_name(r->severity), r->category, r->pack,
		    rule_text(r, "title", "en"));
	else
		fprintf(fp, "%-10s %-13s %-12s %s\n", r->id,
		    severity_name(r->severity), r->category,
		    rule_text(r, "title", lang));
}
