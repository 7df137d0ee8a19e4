/*
 * rules.c - rule packs (see rules.h and docs/rules.md).
 *
 * A pack is parsed through xml.c, validated against schemas/rules.rng,
 * then checked for what a schema cannot say: an English text for each
 * kind of text, ids unique across every loaded pack, and XPath that
 * compiles (select, assert and each {expr} of the texts).  A pack is
 * added whole or not at all.
 *
 * SPDX-License-Identifier: ISC
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "bounds.h"
#include "datadir.h"
#include "coverage.h"
#include "engine.h"
#include "err.h"
#include "findings.h"
#include "log.h"
#include "rules.h"
#include "util.h"
#include "xml.h"
#include "xpathfn.h"

struct rule_set {
	struct rule		*rules;
	size_t			 count;
	size_t			 cap;
	xmlDocPtr		*docs;		/* one per loaded pack */
	char			**files;
	struct rule_let		**pack_lets;	/* per pack, n + 1 each */
	size_t			*npack_lets;
	size_t			 ndocs;
	struct xml_schema	*schema;
	xmlXPathContextPtr	 compiler;	/* for compile checks */
	xmlDocPtr		 probe;		/* <probe/>: trial runs */
	const char		*loading;	/* id of the rule being loaded,
						   for messages; NULL */
};

/* The first XPath compile error, collected from the context. */
struct rules_xpath_error {
	char	msg[256];
};

static const char *const rules_texts[] = {
	"title", "message", "remediation", "description", NULL
};

struct rule_set *
rule_set_new(void)
{
	struct rule_set *rs = xcalloc(1, sizeof(*rs));

	rs->probe = xmlNewDoc((const xmlChar *)"1.0");
	xmlDocSetRootElement(rs->probe, xmlNewDocNode(rs->probe, NULL,
	    (const xmlChar *)"probe", NULL));
	rs->compiler = engine_xpath_context(rs->probe);
	/*
	 * Trial runs (rules_compile) count their work from here on, never
	 * reset: the XPath budget of the run (XPATH_RUN_OPS_MAX), which the
	 * analysis goes on spending (rule_set_xpath_ops).
	 */
	if (rs->compiler != NULL) {
		rs->compiler->opCount = 0;
		rs->compiler->opLimit = XPATH_RUN_OPS_MAX;
	}
	return rs;
}

/* Free lets[0..n) and unbind their trial values from the compiler. */
static void
rules_free_lets(struct rule_set *rs, struct rule_let *lets, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		xmlXPathRegisterVariable(rs->compiler,
		    (const xmlChar *)lets[i].name, NULL);
		xmlXPathFreeCompExpr(lets[i].value);
	}
	free(lets);
}

static void
rules_free_rule(struct rule *r)
{
	size_t i;

	for (i = 0; i < r->nlets; i++)
		xmlXPathFreeCompExpr(r->lets[i].value);
	free(r->lets);
	r->lets = NULL;
	r->nlets = 0;
	if (r->select != NULL)
		xmlXPathFreeCompExpr(r->select);
	if (r->assert != NULL)
		xmlXPathFreeCompExpr(r->assert);
	if (r->evidence != NULL)
		xmlXPathFreeCompExpr(r->evidence);
}

void
rule_set_free(struct rule_set *rs)
{
	size_t i;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->count; i++)
		rules_free_rule(&rs->rules[i]);
	for (i = 0; i < rs->ndocs; i++) {
		rules_free_lets(rs, rs->pack_lets[i], rs->npack_lets[i]);
		xmlFreeDoc(rs->docs[i]);
		free(rs->files[i]);
	}
	free(rs->rules);
	free(rs->docs);
	free(rs->files);
	free(rs->pack_lets);
	free(rs->npack_lets);
	xml_schema_free(rs->schema);
	if (rs->compiler != NULL)
		xmlXPathFreeContext(rs->compiler);
	xmlFreeDoc(rs->probe);
	free(rs);
}

static void
rules_xpath_error(void *data, xmlErrorPtr xe)
{
	struct rules_xpath_error *e = data;
	size_t n;

	if (e->msg[0] != '\0' || xe == NULL || xe->message == NULL)
		return;
	util_strlcpy(e->msg, xe->message, sizeof(e->msg));
	n = strlen(e->msg);
	while (n > 0 && e->msg[n - 1] == '\n')
		e->msg[--n] = '\0';
}

/*
 * Compile expr, or fail with "file:line: what: message".  With trial, the
 * value of the trial run is handed to the caller.
 */
static xmlXPathCompExprPtr
rules_compile(struct rule_set *rs, const char *expr, const char *where,
    const char *what, xmlXPathObjectPtr *trial, struct mx_err *err)
{
	struct rules_xpath_error xerr = { "" };
	xmlXPathCompExprPtr comp;
	xmlXPathObjectPtr res;
	unsigned long limit;
	char bad[256];

	rs->compiler->error = rules_xpath_error;
	rs->compiler->userData = &xerr;
	comp = xmlXPathCtxtCompile(rs->compiler, (const xmlChar *)expr);
	rs->compiler->error = NULL;
	rs->compiler->userData = NULL;
	if (comp == NULL) {
		mx_err_set(err, MX_ERR_INPUT, where, "%s: XPath error: %s",
		    what, xerr.msg[0] ? xerr.msg : "invalid expression");
		return NULL;
	}
	if (xpathfn_check_calls(rs->compiler, expr, bad, sizeof(bad)) == -1) {
		mx_err_set(err, MX_ERR_INPUT, where,
		    "%s: unknown XPath function %s()", what, bad);
		xmlXPathFreeCompExpr(comp);
		return NULL;
	}
	/*
	 * libxml2 compiles some broken expressions ("count(") and fails
	 * only when they run: run each once on an empty element.
	 */
	rs->compiler->node = xmlDocGetRootElement(rs->probe);
	rs->compiler->error = rules_xpath_error;
	rs->compiler->userData = &xerr;
	xmlXPathRegisterVariable(rs->compiler, (const xmlChar *)"self",
	    xmlXPathNewNodeSet(rs->compiler->node));
	limit = rs->compiler->opCount < XPATH_RUN_OPS_MAX - XPATH_OPS_MAX ?
	    rs->compiler->opCount + XPATH_OPS_MAX : XPATH_RUN_OPS_MAX;
	rs->compiler->opLimit = limit;
	res = rs->compiler->opCount < XPATH_RUN_OPS_MAX ?
	    xmlXPathCompiledEval(comp, rs->compiler) : NULL;
	rs->compiler->error = NULL;
	rs->compiler->userData = NULL;
	if (res == NULL && rs->compiler->opCount >= limit) {
		mx_err_set(err, MX_ERR_LIMIT, where, "rule %s: %s: trial run: "
		    "more than %lu XPath operations (%s)",
		    rs->loading != NULL ? rs->loading : "?", what,
		    limit == XPATH_RUN_OPS_MAX ?
		    (unsigned long)XPATH_RUN_OPS_MAX :
		    (unsigned long)XPATH_OPS_MAX,
		    limit == XPATH_RUN_OPS_MAX ?
		    "XPATH_RUN_OPS_MAX" : "XPATH_OPS_MAX");
		xmlXPathFreeCompExpr(comp);
		return NULL;
	}
	if (res == NULL) {
		mx_err_set(err, MX_ERR_INPUT, where, "%s: XPath error: %s",
		    what, xerr.msg[0] ? xerr.msg : "invalid expression");
		xmlXPathFreeCompExpr(comp);
		return NULL;
	}
	if (trial != NULL)
		*trial = res;
	else
		xmlXPathFreeObject(res);
	return comp;
}

static int
rules_is(xmlNodePtr node, const char *name)
{
	return node != NULL && node->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)node->name, name) == 0;
}

/*
 * Replace the children of a text element by one text node: runs of white
 * space collapse to one space (titles, messages), or, for remediations,
 * each line loses its indentation and blank edges are trimmed.
 */
static void
rules_tidy_text(xmlNodePtr node, int keep_lines)
{
	xmlChar *raw = xmlNodeGetContent(node);
	const char *p;
	char *out, *o;
	int space = 0, line_start = 1;

	if (raw == NULL)
		return;
	out = xmalloc(strlen((const char *)raw) + 1);
	o = out;
	for (p = (const char *)raw; *p != '\0'; p++) {
		/* {expr} is XPath: copied as written, spaces included. */
		if (*p == '{' && p[1] != '{' && strchr(p, '}') != NULL) {
			if (space && o > out && !line_start)
				*o++ = ' ';
			while (*p != '}')
				*o++ = *p++;
			*o++ = '}';
			space = 0;
			line_start = 0;
			continue;
		}
		if (*p == '{' && p[1] == '{') {
			if (space && o > out && !line_start)
				*o++ = ' ';
			*o++ = *p++;
			*o++ = *p;
			space = 0;
			line_start = 0;
			continue;
		}
		if (keep_lines && *p == '\n') {
			while (o > out && o[-1] == ' ')
				o--;
			*o++ = '\n';
			line_start = 1;
			space = 0;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			space = 1;
			continue;
		}
		if (space && o > out && !line_start)
			*o++ = ' ';
		space = 0;
		line_start = 0;
		*o++ = *p;
	}
	while (o > out && (o[-1] == ' ' || o[-1] == '\n'))
		o--;
	*o = '\0';
	p = out;
	while (*p == '\n')
		p++;
	xmlNodeSetContent(node, NULL);
	xmlAddChild(node, xmlNewText((const xmlChar *)p));
	free(out);
	xmlFree(raw);
}

static const char *
rules_content(xmlNodePtr node)
{
	if (node != NULL && node->children != NULL &&
	    node->children->type == XML_TEXT_NODE)
		return (const char *)node->children->content;
	return NULL;
}

xmlNodePtr
rule_text_node(const struct rule *r, const char *element, const char *lang)
{
	xmlNodePtr c, en = NULL, any = NULL;

	for (c = r->node->children; c != NULL; c = c->next) {
		xmlChar *l;
		int match;

		if (!rules_is(c, element))
			continue;
		if (any == NULL)
			any = c;
		l = xmlNodeGetLang(c);
		if (l != NULL && lang != NULL &&
		    strcmp((const char *)l, lang) == 0)
			match = 1;
		else
			match = 0;
		if (l != NULL && strcmp((const char *)l, "en") == 0 &&
		    en == NULL)
			en = c;
		xmlFree(l);
		if (match)
			return c;
	}
	return en != NULL ? en : any;
}

const char *
rule_text(const struct rule *r, const char *element, const char *lang)
{
	return rules_content(rule_text_node(r, element, lang));
}

static int
rules_has_english(xmlNodePtr rule, const char *element)
{
	xmlNodePtr c;
	int seen = 0, en = 0;

	for (c = rule->children; c != NULL; c = c->next) {
		xmlChar *l;

		if (!rules_is(c, element))
			continue;
		seen = 1;
		l = xmlNodeGetLang(c);
		if (l != NULL && strcmp((const char *)l, "en") == 0)
			en = 1;
		xmlFree(l);
	}
	return !seen || en;
}

/* Is c a name character of an XPath QName (NCName plus ':')? */
static int
rules_name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
	    c == ':' || (c & 0x80);
}

int
rule_each_var(const char *expr, int (*fn)(void *, const char *), void *arg)
{
	char name[128];
	const char *p = expr;
	size_t n;
	int rc;

	while (*p != '\0') {
		if (*p == '\'' || *p == '"') {
			const char *end = strchr(p + 1, *p);

			if (end == NULL)
				return 0;
			p = end + 1;
			continue;
		}
		if (*p++ != '$')
			continue;
		for (n = 0; rules_name_char((unsigned char)p[n]); n++)
			;
		if (n == 0)
			continue;
		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, p, n);
		name[n] = '\0';
		p += n;
		if ((rc = fn(arg, name)) != 0)
			return rc;
	}
	return 0;
}

static int
rules_visit(int (*fn)(void *, const struct rule_expr *), void *arg,
    enum rule_expr_kind kind, const char *text, long line, const char *let)
{
	struct rule_expr e;

	if (text == NULL)
		return 0;
	e.kind = kind;
	e.text = text;
	e.line = line;
	e.let = let;
	return fn(arg, &e);
}

enum rule_piece
rule_text_piece(const char **p, char *c, char *expr, size_t size)
{
	const char *s = *p, *end;
	size_t n;

	if (*s == '\0')
		return RULE_PIECE_END;
	if ((s[0] == '{' && s[1] == '{') || (s[0] == '}' && s[1] == '}')) {
		*c = s[0];
		*p = s + 2;
		return RULE_PIECE_CHAR;
	}
	*c = s[0];
	*p = s + 1;
	if (s[0] != '{')
		return RULE_PIECE_CHAR;
	if ((end = strchr(s + 1, '}')) == NULL)
		return RULE_PIECE_OPEN;
	n = (size_t)(end - s - 1);
	if (n >= size)
		n = size - 1;
	memcpy(expr, s + 1, n);
	expr[n] = '\0';
	*p = end + 1;
	return RULE_PIECE_EXPR;
}

/* The {expr} parts of a text node (in a command: every raw one). */
static int
rules_visit_text(const char *text, long line, int command,
    int (*fn)(void *, const struct rule_expr *), void *arg)
{
	char expr[RULE_TEXT_MAX], c;
	enum rule_piece k;
	int rc;

	while (text != NULL &&
	    (k = rule_text_piece(&text, &c, expr, sizeof(expr))) !=
	    RULE_PIECE_END)
		if (k == RULE_PIECE_EXPR && (rc = rules_visit(fn, arg,
		    command ? RULE_EXPR_RAW : RULE_EXPR_TEXT, expr, line,
		    NULL)) != 0)
			return rc;
	return 0;
}

/* The expressions of a text element and its parts, in document order. */
static int
rules_visit_parts(xmlNodePtr parent, int command,
    int (*fn)(void *, const struct rule_expr *), void *arg)
{
	xmlNodePtr c;
	int rc = 0;

	for (c = parent->children; c != NULL && rc == 0; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
			rc = rules_visit_text((const char *)c->content,
			    xml_line(c) > 0 ? xml_line(c) : xml_line(parent),
			    command, fn, arg);
		else if (rules_is(c, "when"))
			rc = rules_visit(fn, arg, RULE_EXPR_WHEN,
			    xml_attr(c, "test"), xml_line(c), NULL);
		else if (rules_is(c, "arg"))
			rc = rules_visit(fn, arg, RULE_EXPR_ARG,
			    xml_attr(c, "select"), xml_line(c), NULL);
		if (rc == 0 && c->type == XML_ELEMENT_NODE)
			rc = rules_visit_parts(c, command ||
			    rules_is(c, "command"), fn, arg);
	}
	return rc;
}

int
rule_each_expr(xmlNodePtr node, int (*fn)(void *, const struct rule_expr *),
    void *arg)
{
	xmlNodePtr c;
	int rc = 0;

	for (c = node->children; c != NULL && rc == 0; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (rules_is(c, "let"))
			rc = rules_visit(fn, arg, RULE_EXPR_LET,
			    xml_attr(c, "value"), xml_line(c),
			    xml_attr(c, "name"));
		else if (rules_is(node, "rules"))
			continue;
		else if (rules_is(c, "select"))
			rc = rules_visit(fn, arg, RULE_EXPR_SELECT,
			    rules_content(c), xml_line(c), NULL);
		else if (rules_is(c, "assert"))
			rc = rules_visit(fn, arg, RULE_EXPR_ASSERT,
			    xml_attr(c, "test"), xml_line(c), NULL);
		else if (rules_is(c, "evidence"))
			rc = rules_visit(fn, arg, RULE_EXPR_EVIDENCE,
			    rules_content(c), xml_line(c), NULL);
		else if (!rules_is(c, "reference"))
			rc = rules_visit_parts(c, 0, fn, arg);
	}
	return rc;
}

/*
 * Which names an expression may use: the pack's lets, then (not in
 * select) the rule's lets defined before it.  Lets are found in the
 * pack's and the rule's elements, so that a name defined later is told
 * apart from one defined nowhere.
 */
struct rules_scope {
	xmlNodePtr	 pack;		/* <rules> */
	xmlNodePtr	 rule;		/* <rule>, or NULL for pack lets */
	size_t		 npack;		/* pack lets defined so far */
	size_t		 nrule;		/* rule lets defined so far */
	int		 all;		/* after the lets: every rule let */
	const struct rule_expr *expr;
	const char	*file;
	struct mx_err	*err;
};

/* The position (1-based) of let name among the lets of el, or 0. */
static size_t
rules_let_index(xmlNodePtr el, const char *name, long *line)
{
	xmlNodePtr c;
	size_t i = 0;

	for (c = el != NULL ? el->children : NULL; c != NULL; c = c->next) {
		if (!rules_is(c, "let"))
			continue;
		i++;
		if (strcmp(xml_attr(c, "name"), name) == 0) {
			*line = xml_line(c);
			return i;
		}
	}
	return 0;
}

static int
rules_scope_var(void *arg, const char *name)
{
	struct rules_scope *s = arg;
	const struct rule_expr *e = s->expr;
	char where[PATH_MAX + 32];
	size_t pi, ri;
	long pline = 0, rline = 0;

	if (strcmp(name, "self") == 0)
		return 0;
	snprintf(where, sizeof(where), "%s:%ld", s->file, e->line);
	pi = rules_let_index(s->pack, name, &pline);
	ri = rules_let_index(s->rule, name, &rline);
	if (pi != 0 && pi <= s->npack)
		return 0;
	if (ri != 0 && s->rule != NULL && e->kind != RULE_EXPR_SELECT &&
	    (s->all || ri <= s->nrule))
		return 0;
	if (e->kind == RULE_EXPR_LET && strcmp(e->let, name) == 0)
		return mx_err_set(s->err, MX_ERR_INPUT, where, "let %s uses "
		    "itself", name);
	if (ri != 0 && e->kind == RULE_EXPR_SELECT)
		return mx_err_set(s->err, MX_ERR_INPUT, where, "select uses "
		    "$%s, a let of the rule, computed for each selected "
		    "object: select may use the pack's lets only", name);
	if (ri != 0 || pi != 0)
		return mx_err_set(s->err, MX_ERR_INPUT, where, "$%s is used "
		    "before its let (line %ld): define a name before using "
		    "it", name, ri != 0 && s->rule != NULL ? rline : pline);
	return mx_err_set(s->err, MX_ERR_INPUT, where, "unknown variable "
	    "$%s (no let of that name in the rule or its pack)", name);
}

static int
rules_scope_expr(void *arg, const struct rule_expr *e)
{
	struct rules_scope *s = arg;
	char where[PATH_MAX + 32];

	snprintf(where, sizeof(where), "%s:%ld", s->file, e->line);
	if (e->kind == RULE_EXPR_RAW)
		return mx_err_set(s->err, MX_ERR_INPUT, where, "{%s} in a "
		    "command: a value enters a command only through <arg "
		    "select=\"...\"/>, which quotes it for PowerShell", e->text);
	s->expr = e;
	if (rule_each_var(e->text, rules_scope_var, s) != 0)
		return -1;
	if (e->kind == RULE_EXPR_LET) {
		if (s->rule == NULL)
			s->npack++;
		else
			s->nrule++;
	} else if (e->kind != RULE_EXPR_SELECT)
		s->all = 1;
	return 0;
}

/*
 * The lets of el (a <rules> or <rule>): names unique in the pack and
 * the rule (a rule's let may not hide a pack's), each compiled and run
 * once on the trial element, its trial value bound for what follows.
 * Returns a new array of *n lets (free with rules_free_lets), or NULL.
 */
static struct rule_let *
rules_load_lets(struct rule_set *rs, xmlNodePtr el, xmlNodePtr pack,
    const char *file, size_t *n, struct mx_err *err)
{
	char where[PATH_MAX + 32];
	struct rule_let *lets;
	xmlXPathObjectPtr trial;
	xmlNodePtr c;
	size_t count = 0;
	long line;

	for (c = el->children; c != NULL; c = c->next)
		if (rules_is(c, "let"))
			count++;
	lets = xcalloc(count + 1, sizeof(*lets));
	*n = 0;
	for (c = el->children; c != NULL; c = c->next) {
		struct rule_let *l = &lets[*n];

		if (!rules_is(c, "let"))
			continue;
		l->name = xml_attr(c, "name");
		l->value_text = xml_attr(c, "value");
		l->line = xml_line(c);
		snprintf(where, sizeof(where), "%s:%ld", file, l->line);
		if (rules_let_index(el, l->name, &line) <= *n) {
			mx_err_set(err, MX_ERR_INPUT, where, "let %s is "
			    "defined twice (first at line %ld)", l->name,
			    line);
			goto fail;
		}
		if (el != pack && rules_let_index(pack, l->name, &line) != 0) {
			mx_err_set(err, MX_ERR_INPUT, where, "let %s hides "
			    "the pack's let of that name (line %ld)", l->name,
			    line);
			goto fail;
		}
		l->value = rules_compile(rs, l->value_text, where, l->name,
		    &trial, err);
		if (l->value == NULL)
			goto fail;
		(*n)++;
		xmlXPathRegisterVariable(rs->compiler,
		    (const xmlChar *)l->name, trial);
	}
	return lets;
fail:
	rules_free_lets(rs, lets, *n);
	*n = 0;
	return NULL;
}

/* Check the {expr}, <when> tests and <arg> selects of a text element. */
static int
rules_check_parts(struct rule_set *rs, xmlNodePtr parent, const char *file,
    struct mx_err *err)
{
	char where[PATH_MAX + 32];
	xmlXPathCompExprPtr comp;
	const char *expr;
	xmlNodePtr c;

	for (c = parent->children; c != NULL; c = c->next) {
		snprintf(where, sizeof(where), "%s:%ld", file,
		    xml_line(c) > 0 ? xml_line(c) : xml_line(parent));
		if (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) {
			if (engine_check_text(rs->compiler,
			    (const char *)c->content, where, err) == -1)
				return -1;
			continue;
		}
		if (c->type != XML_ELEMENT_NODE)
			continue;
		expr = rules_is(c, "when") ? xml_attr(c, "test") :
		    rules_is(c, "arg") ? xml_attr(c, "select") : NULL;
		if (expr != NULL) {
			comp = rules_compile(rs, expr, where,
			    rules_is(c, "when") ? "when" : "arg", NULL, err);
			if (comp == NULL)
				return -1;
			xmlXPathFreeCompExpr(comp);
		}
		if (rules_check_parts(rs, c, file, err) == -1)
			return -1;
	}
	return 0;
}

/* Does a text element hold parts (<when>, <choose>, <command>)? */
static int
rules_has_parts(xmlNodePtr node)
{
	xmlNodePtr c;

	for (c = node->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return 1;
	return 0;
}

/* Mark the let named name among lets[0..n), for rules_mark_for_assert. */
struct rules_mark {
	struct rule_let	*lets;
	size_t		 n;
};

static int
rules_mark_var(void *arg, const char *name)
{
	struct rules_mark *m = arg;
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->lets[i].name, name) == 0)
			m->lets[i].for_assert = 1;
	return 0;
}

/*
 * The lets the assertion needs, directly or through other lets: those
 * the engine computes for every object; the others only for an object
 * the rule fails on (its texts and evidence).  A let names only lets
 * before it, so one pass from the last marks them all.
 */
static void
rules_mark_for_assert(struct rule *r)
{
	struct rules_mark m;
	size_t i;

	m.lets = r->lets;
	m.n = r->nlets;
	if (r->assert_text != NULL)
		rule_each_var(r->assert_text, rules_mark_var, &m);
	for (i = r->nlets; i > 0; i--)
		if (r->lets[i - 1].for_assert) {
			m.n = i - 1;
			rule_each_var(r->lets[i - 1].value_text,
			    rules_mark_var, &m);
		}
}

/* Check and compile one <rule>; fills r. */
static int
rules_load_rule(struct rule_set *rs, xmlNodePtr node, const char *file,
    const char *pack, struct rule *r, struct mx_err *err)
{
	struct rules_scope scope;
	char where[PATH_MAX + 32];
	xmlNodePtr c;
	size_t i;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	r->node = node;
	r->file = file;
	r->pack = pack;
	r->line = xml_line(node);
	r->id = xml_attr(node, "id");
	r->category = xml_attr(node, "category");
	r->severity = severity_parse(xml_attr(node, "severity"));
	snprintf(where, sizeof(where), "%s:%ld", file, r->line);
	r->needs_declared = xml_attr(node, "needs") != NULL;
	if (coverage_needs_parse(xml_attr(node, "needs"), &r->needs, where,
	    err) == -1)
		return -1;
	r->headline = xml_attr(node, "headline") != NULL &&
	    strcmp(xml_attr(node, "headline"), "relay") == 0;
	if (rule_set_find(rs, r->id) != NULL)
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "duplicate rule id %s (first defined in %s:%ld)", r->id,
		    rule_set_find(rs, r->id)->file,
		    rule_set_find(rs, r->id)->line);
	for (i = 0; rules_texts[i] != NULL; i++)
		if (!rules_has_english(node, rules_texts[i]))
			return mx_err_set(err, MX_ERR_INPUT, where,
			    "rule %s: no English (xml:lang=\"en\") %s", r->id,
			    rules_texts[i]);
	/* Names first: a forward reference is named, not "undefined". */
	memset(&scope, 0, sizeof(scope));
	scope.pack = node->parent;
	scope.rule = node;
	scope.npack = (size_t)-1;
	scope.file = file;
	scope.err = err;
	if (rule_each_expr(node, rules_scope_expr, &scope) != 0)
		return -1;
	rs->loading = r->id;
	for (c = node->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		snprintf(where, sizeof(where), "%s:%ld", file, xml_line(c));
		if (rules_is(c, "select")) {
			r->select_text = rules_content(c);
			r->select = rules_compile(rs, r->select_text, where,
			    "select", NULL, err);
			if (r->select == NULL)
				goto out;
		} else if (rules_is(c, "let")) {
			if (r->lets != NULL)
				continue;
			r->lets = rules_load_lets(rs, node, node->parent,
			    file, &r->nlets, err);
			if (r->lets == NULL)
				goto out;
		} else if (rules_is(c, "assert")) {
			r->assert_text = xml_attr(c, "test");
			r->assert = rules_compile(rs, r->assert_text, where,
			    "assert", NULL, err);
			if (r->assert == NULL)
				goto out;
		} else if (rules_is(c, "evidence")) {
			r->evidence_text = rules_content(c);
			r->evidence = rules_compile(rs, r->evidence_text, where,
			    "evidence", NULL, err);
			if (r->evidence == NULL)
				goto out;
		} else if (!rules_is(c, "reference")) {
			if (!rules_has_parts(c))
				rules_tidy_text(c, rules_is(c, "remediation"));
			if (rules_check_parts(rs, c, file, err) == -1)
				goto out;
		}
	}
	rules_mark_for_assert(r);
	rc = 0;
out:
	rs->loading = NULL;
	/* The trial values of the rule's lets are not the next rule's. */
	for (i = 0; i < r->nlets; i++)
		xmlXPathRegisterVariable(rs->compiler,
		    (const xmlChar *)r->lets[i].name, NULL);
	return rc;
}

static int
rules_schema(struct rule_set *rs, struct mx_err *err)
{
	char path[PATH_MAX];

	if (rs->schema != NULL)
		return 0;
	if (datadir_file(path, sizeof(path), "schemas", "rules.rng",
	    err) == -1)
		return -1;
	rs->schema = xml_schema_load(path, err);
	return rs->schema != NULL ? 0 : -1;
}

int
rule_set_load_file(struct rule_set *rs, const char *path, struct mx_err *err)
{
	struct util_file f;
	int rc;

	if (util_read_file(path, RULES_FILE_MAX, &f, err) == -1)
		return -1;
	rc = rule_set_load_buffer(rs, f.data, f.len, path, err);
	util_file_free(&f);
	return rc;
}

static int
rules_has_entries(xmlNodePtr root)
{
	xmlNodePtr c;

	for (c = root->children; c != NULL; c = c->next)
		if (rules_is(c, "disable") || rules_is(c, "waiver"))
			return 1;
	return 0;
}

int
rule_set_load_buffer(struct rule_set *rs, const char *data, size_t len,
    const char *path, struct mx_err *err)
{
	xmlDocPtr doc;
	struct rules_scope scope;
	struct rule_let *lets = NULL;
	xmlNodePtr root, c;
	size_t first = rs->count, i, nlets = 0;
	char *file;

	if (rs->ndocs >= RULE_PACKS_MAX)
		return mx_err_set(err, MX_ERR_LIMIT, path,
		    "more than %d rule packs (RULE_PACKS_MAX)", RULE_PACKS_MAX);
	if (rules_schema(rs, err) == -1)
		return -1;
	doc = xml_parse(data, len, path, 0, err);
	if (doc == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (root->ns == NULL || strcmp((const char *)root->ns->href,
	    RULES_NS) != 0 || strcmp((const char *)root->name, "rules") != 0) {
		mx_err_set(err, MX_ERR_INPUT, path,
		    "not an mxbpa rule pack (root is <%s>, expected <rules> "
		    "in %s)", (const char *)root->name, RULES_NS);
		xmlFreeDoc(doc);
		return -1;
	}
	if (xml_schema_validate(rs->schema, doc, path, err) == -1) {
		xmlFreeDoc(doc);
		return -1;
	}
	file = xstrdup(path);
	memset(&scope, 0, sizeof(scope));
	scope.pack = root;
	scope.file = file;
	scope.err = err;
	if (rule_each_expr(root, rules_scope_expr, &scope) != 0)
		goto fail;
	lets = rules_load_lets(rs, root, root, file, &nlets, err);
	if (lets == NULL)
		goto fail;
	for (c = root->children; c != NULL; c = c->next) {
		if (rules_is(c, "disable") || rules_is(c, "waiver"))
			rules_tidy_text(c, 0);
		if (!rules_is(c, "rule"))
			continue;
		if (rs->count >= RULES_MAX) {
			mx_err_set(err, MX_ERR_LIMIT, path,
			    "more than %d rules (RULES_MAX)", RULES_MAX);
			goto fail;
		}
		if (rs->count == rs->cap) {
			rs->cap = rs->cap ? rs->cap * 2 : 32;
			rs->rules = xreallocarray(rs->rules, rs->cap,
			    sizeof(*rs->rules));
		}
		if (rules_load_rule(rs, c, file, xml_attr(root, "pack"),
		    &rs->rules[rs->count], err) == -1) {
			rules_free_rule(&rs->rules[rs->count]);
			goto fail;
		}
		rs->rules[rs->count].pack_lets = lets;
		rs->rules[rs->count].npack_lets = nlets;
		rs->count++;
	}
	if (rs->count == first && !rules_has_entries(root)) {
		mx_err_set(err, MX_ERR_INPUT, path, "the pack holds no rule, "
		    "disable or waiver");
		goto fail;
	}
	rs->docs = xreallocarray(rs->docs, rs->ndocs + 1, sizeof(*rs->docs));
	rs->files = xreallocarray(rs->files, rs->ndocs + 1,
	    sizeof(*rs->files));
	rs->pack_lets = xreallocarray(rs->pack_lets, rs->ndocs + 1,
	    sizeof(*rs->pack_lets));
	rs->npack_lets = xreallocarray(rs->npack_lets, rs->ndocs + 1,
	    sizeof(*rs->npack_lets));
	rs->docs[rs->ndocs] = doc;
	rs->files[rs->ndocs] = file;
	rs->pack_lets[rs->ndocs] = lets;
	rs->npack_lets[rs->ndocs] = nlets;
	rs->ndocs++;
	/* Unbind the trial values; the lets stay with the pack. */
	for (i = 0; i < nlets; i++)
		xmlXPathRegisterVariable(rs->compiler,
		    (const xmlChar *)lets[i].name, NULL);
	log_debug(LOG_RULES, "%s: %zu rules", path, rs->count - first);
	return 0;
fail:
	for (i = first; i < rs->count; i++)
		rules_free_rule(&rs->rules[i]);
	rs->count = first;
	if (lets != NULL)
		rules_free_lets(rs, lets, nlets);
	free(file);
	xmlFreeDoc(doc);
	return -1;
}

static int
rules_xml_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 4 &&
	    strcmp(d->d_name + n - 4, ".xml") == 0;
}

int
rule_set_load_dir(struct rule_set *rs, const char *dir, struct mx_err *err)
{
	struct dirent **names;
	char path[PATH_MAX];
	int n, i, rc = 0;

	n = scandir(dir, &names, rules_xml_file, alphasort);
	if (n == -1)
		return mx_err_sys(err, MX_ERR_INPUT, dir,
		    "cannot read rule directory");
	for (i = 0; i < n; i++) {
		if (rc == 0) {
			if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
			    names[i]->d_name) >= sizeof(path))
				rc = mx_err_set(err, MX_ERR_INPUT, dir,
				    "path too long");
			else
				rc = rule_set_load_file(rs, path, err);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

unsigned long
rule_set_xpath_ops(const struct rule_set *rs)
{
	return rs != NULL && rs->compiler != NULL ? rs->compiler->opCount : 0;
}

size_t
rule_set_count(const struct rule_set *rs)
{
	return rs->count;
}

const struct rule *
rule_set_get(const struct rule_set *rs, size_t i)
{
	return i < rs->count ? &rs->rules[i] : NULL;
}

const struct rule *
rule_set_find(const struct rule_set *rs, const char *id)
{
	size_t i;

	if (id == NULL)
		return NULL;
	for (i = 0; i < rs->count; i++)
		if (strcmp(rs->rules[i].id, id) == 0)
			return &rs->rules[i];
	return NULL;
}

int
rule_set_entry(const struct rule_set *rs, const char *kind, size_t i,
    struct rule_entry *e)
{
	xmlNodePtr c;
	size_t d, n = 0;

	for (d = 0; d < rs->ndocs; d++) {
		xmlNodePtr root = xmlDocGetRootElement(rs->docs[d]);

		for (c = root->children; c != NULL; c = c->next) {
			if (!rules_is(c, kind) || n++ != i)
				continue;
			memset(e, 0, sizeof(*e));
			e->kind = kind;
			e->rule = xml_attr(c, "rule");
			e->object = xml_attr(c, "object");
			e->by = xml_attr(c, "by");
			e->date = xml_attr(c, "date");
			e->expires = xml_attr(c, "expires");
			e->reason = rules_content(c);
			e->pack = xml_attr(root, "pack");
			e->file = rs->files[d];
			e->line = xml_line(c);
			return 0;
		}
	}
	return -1;
}

int
rule_set_disabled(const struct rule_set *rs, const char *id,
    struct rule_entry *e)
{
	size_t i;

	for (i = 0; rule_set_entry(rs, "disable", i, e) == 0; i++)
		if (strcmp(e->rule, id) == 0)
			return 0;
	return -1;
}

int
rule_set_waiver(const struct rule_set *rs, const char *rule,
    const char *object, struct rule_entry *e)
{
	size_t i;

	if (rule == NULL || object == NULL)
		return -1;
	for (i = 0; rule_set_entry(rs, "waiver", i, e) == 0; i++)
		if (strcmp(e->rule, rule) == 0 &&
		    strcmp(e->object, object) == 0)
			return 0;
	return -1;
}

int
rule_set_check_entries(const struct rule_set *rs,
    const struct rule_set *known, struct mx_err *err)
{
	static const char *const kinds[] = { "disable", "waiver" };
	struct rule_entry e;
	char where[PATH_MAX + 32];
	size_t k, i;

	for (k = 0; k < 2; k++)
		for (i = 0; rule_set_entry(rs, kinds[k], i, &e) == 0; i++) {
			if (rule_set_find(rs, e.rule) != NULL ||
			    (known != NULL && rule_set_find(known,
			    e.rule) != NULL))
				continue;
			snprintf(where, sizeof(where), "%s:%ld", e.file,
			    e.line);
			return mx_err_set(err, MX_ERR_INPUT, where,
			    "%s names no loaded rule: %s", e.kind, e.rule);
		}
	return 0;
}
