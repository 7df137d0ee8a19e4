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
	size_t			 ndocs;
	struct xml_schema	*schema;
	xmlXPathContextPtr	 compiler;	/* for compile checks */
	xmlDocPtr		 probe;		/* <probe/>: trial runs */
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
	return rs;
}

static void
rules_free_rule(struct rule *r)
{
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
		xmlFreeDoc(rs->docs[i]);
		free(rs->files[i]);
	}
	free(rs->rules);
	free(rs->docs);
	free(rs->files);
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

/* Compile expr, or fail with "file:line: what: message". */
static xmlXPathCompExprPtr
rules_compile(struct rule_set *rs, const char *expr, const char *where,
    const char *what, struct mx_err *err)
{
	struct rules_xpath_error xerr = { "" };
	xmlXPathCompExprPtr comp;
	xmlXPathObjectPtr res;
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
	res = xmlXPathCompiledEval(comp, rs->compiler);
	rs->compiler->error = NULL;
	rs->compiler->userData = NULL;
	if (res == NULL) {
		mx_err_set(err, MX_ERR_INPUT, where, "%s: XPath error: %s",
		    what, xerr.msg[0] ? xerr.msg : "invalid expression");
		xmlXPathFreeCompExpr(comp);
		return NULL;
	}
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

const char *
rule_text(const struct rule *r, const char *element, const char *lang)
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
			return rules_content(c);
	}
	return rules_content(en != NULL ? en : any);
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

/* Check and compile one <rule>; fills r. */
static int
rules_load_rule(struct rule_set *rs, xmlNodePtr node, const char *file,
    const char *pack, struct rule *r, struct mx_err *err)
{
	char where[PATH_MAX + 32];
	xmlNodePtr c;
	size_t i;

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
	for (c = node->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		snprintf(where, sizeof(where), "%s:%ld", file, xml_line(c));
		if (rules_is(c, "select")) {
			r->select_text = rules_content(c);
			r->select = rules_compile(rs, r->select_text, where,
			    "select", err);
			if (r->select == NULL)
				return -1;
		} else if (rules_is(c, "assert")) {
			r->assert_text = xml_attr(c, "test");
			r->assert = rules_compile(rs, r->assert_text, where,
			    "assert", err);
			if (r->assert == NULL)
				return -1;
		} else if (rules_is(c, "evidence")) {
			r->evidence_text = rules_content(c);
			r->evidence = rules_compile(rs, r->evidence_text, where,
			    "evidence", err);
			if (r->evidence == NULL)
				return -1;
		} else if (!rules_is(c, "reference")) {
			rules_tidy_text(c, rules_is(c, "remediation"));
			if (engine_check_text(rs->compiler, rules_content(c),
			    where, err) == -1)
				return -1;
		}
	}
	return 0;
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
	xmlNodePtr root, c;
	size_t first = rs->count, i;
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
	rs->docs[rs->ndocs] = doc;
	rs->files[rs->ndocs] = file;
	rs->ndocs++;
	log_debug(LOG_RULES, "%s: %zu rules", path, rs->count - first);
	return 0;
fail:
	for (i = first; i < rs->count; i++)
		rules_free_rule(&rs->rules[i]);
	rs->count = first;
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
