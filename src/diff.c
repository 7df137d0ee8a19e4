/*
 * diff.c - baseline comparison of two models or two findings documents
 * (see diff.h).
 *
 * Both sides are turned into sorted sets of keyed items and walked
 * together, so that the cost is n log n whatever the order of the inputs:
 * servers and accepted domains are keyed by name, connectors by identity
 * (names compare without case, as Exchange does), the elements a connector
 * holds by their kind and every attribute (a <setting> by its name, so that
 * a new value is a change, not a removal and an addition), findings by rule
 * and object.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "bounds.h"
#include "diff.h"
#include "err.h"
#include "findings.h"
#include "log.h"
#include "model.h"
#include "term.h"
#include "util.h"
#include "xml.h"

struct diff_item {
	char		*key;
	xmlNodePtr	 node;
};

struct diff_set {
	struct diff_item *v;
	size_t		  n;
	int		  nocase;	/* keys compare without case */
};

struct diff_ctx {
	xmlNodePtr	 root;		/* <changes> */
	xmlNsPtr	 ns;
	unsigned long	 n;
	int		 truncated;
};

/* What the walk does with an item on one side only, or on both. */
typedef void diff_one_cb(struct diff_ctx *, xmlNodePtr, const char *type,
    void *);
typedef void diff_both_cb(struct diff_ctx *, xmlNodePtr, xmlNodePtr, void *);

/* libxml2 could not allocate: like xmalloc, die (STYLE.md 7). */
static void
diff_oom(const char *where)
{
	fprintf(stderr, "mxbpa: %s: out of memory\n", where);
	abort();
}

/* A new formatted string; free with free(). */
static char *
diff_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
diff_printf(const char *fmt, ...)
{
	va_list ap;
	char *out;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		diff_oom(__func__);
	out = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(out, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return out;
}

static int
diff_is(xmlNodePtr n, const char *ns, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    strcmp((const char *)n->ns->href, ns) == 0 &&
	    (name == NULL || strcmp((const char *)n->name, name) == 0);
}

static const char *
diff_str(const char *s)
{
	return s != NULL ? s : "";
}

/* --- the changes document -------------------------------------------- */

xmlDocPtr
diff_new(const char *old_name, const char *new_name)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root = xmlNewDocNode(doc, NULL, BAD_CAST "changes", NULL);
	xmlNsPtr ns = xmlNewNs(root, BAD_CAST FINDINGS_NS, NULL);

	if (doc == NULL || root == NULL || ns == NULL)
		diff_oom(__func__);
	xmlSetNs(root, ns);
	xmlDocSetRootElement(doc, root);
	xmlNewProp(root, BAD_CAST "old", BAD_CAST diff_str(old_name));
	xmlNewProp(root, BAD_CAST "new", BAD_CAST diff_str(new_name));
	return doc;
}

static void
diff_add(struct diff_ctx *d, const char *type, const char *kind,
    const char *object, const char *item, const char *old, const char *new)
{
	xmlNodePtr c;

	if (d->n >= DIFF_CHANGES_MAX) {
		if (!d->truncated)
			log_warnx(LOG_MAIN, "more than %d changes: the rest "
			    "are not listed (DIFF_CHANGES_MAX)",
			    DIFF_CHANGES_MAX);
		d->truncated = 1;
		return;
	}
	c = xmlNewChild(d->root, d->ns, BAD_CAST "change", NULL);
	if (c == NULL)
		diff_oom(__func__);
	xmlNewProp(c, BAD_CAST "type", BAD_CAST type);
	xmlNewProp(c, BAD_CAST "kind", BAD_CAST kind);
	xmlNewProp(c, BAD_CAST "object", BAD_CAST diff_str(object));
	if (item != NULL)
		xmlNewProp(c, BAD_CAST "item", BAD_CAST item);
	if (old != NULL)
		xmlNewProp(c, BAD_CAST "old", BAD_CAST old);
	if (new != NULL)
		xmlNewProp(c, BAD_CAST "new", BAD_CAST new);
	d->n++;
}

/* --- sorted sets ----------------------------------------------------- */

static void
diff_set_add(struct diff_set *s, char *key, xmlNodePtr node)
{
	s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
	s->v[s->n].key = key;
	s->v[s->n].node = node;
	s->n++;
}

static void
diff_set_free(struct diff_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].key);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int
diff_item_cmp(const void *a, const void *b)
{
	return strcmp(((const struct diff_item *)a)->key,
	    ((const struct diff_item *)b)->key);
}

static int
diff_item_casecmp(const void *a, const void *b)
{
	return strcasecmp(((const struct diff_item *)a)->key,
	    ((const struct diff_item *)b)->key);
}

/*
 * Walk two sets in key order: removed for items of old only, added for
 * items of new only, both for pairs.  Equal keys pair up one to one.
 */
static void
diff_walk(struct diff_ctx *d, struct diff_set *old, struct diff_set *new,
    diff_one_cb *one, diff_both_cb *both, void *arg)
{
	int (*cmp)(const void *, const void *) = old->nocase ?
	    diff_item_casecmp : diff_item_cmp;
	size_t i = 0, j = 0;
	int c;

	if (old->n > 0)
		qsort(old->v, old->n, sizeof(*old->v), cmp);
	if (new->n > 0)
		qsort(new->v, new->n, sizeof(*new->v), cmp);
	while (i < old->n || j < new->n) {
		if (i == old->n)
			c = 1;
		else if (j == new->n)
			c = -1;
		else
			c = cmp(&old->v[i], &new->v[j]);
		if (c < 0)
			one(d, old->v[i++].node, "removed", arg);
		else if (c > 0)
			one(d, new->v[j++].node, "added", arg);
		else {
			if (both != NULL)
				both(d, old->v[i].node, new->v[j].node, arg);
			i++;
			j++;
		}
	}
}

/* --- models ---------------------------------------------------------- */

static int
diff_attr_cmp(const void *a, const void *b)
{
	return strcmp((const char *)(*(xmlAttrPtr const *)a)->name,
	    (const char *)(*(xmlAttrPtr const *)b)->name);
}

/* "kind a=v b=w" with attributes sorted by name: one element's identity. */
static char *
diff_element_key(xmlNodePtr n)
{
	xmlAttrPtr a, *attrs = NULL;
	size_t na = 0, i, len;
	char *key;

	for (a = n->properties; a != NULL; a = a->next)
		na++;
	if (na > 0) {
		attrs = xreallocarray(NULL, na, sizeof(*attrs));
		for (i = 0, a = n->properties; a != NULL; a = a->next)
			attrs[i++] = a;
		qsort(attrs, na, sizeof(*attrs), diff_attr_cmp);
	}
	len = strlen((const char *)n->name) + 1;
	for (i = 0; i < na; i++)
		len += strlen((const char *)attrs[i]->name) +
		    strlen(diff_str(xml_attr(n, (const char *)attrs[i]->name))) +
		    3;
	key = xmalloc(len);
	util_strlcpy(key, (const char *)n->name, len);
	for (i = 0; i < na; i++) {
		size_t at = strlen(key);
		const char *name = (const char *)attrs[i]->name;

		snprintf(key + at, len - at, "\037%s=%s", name,
		    diff_str(xml_attr(n, name)));
	}
	free(attrs);
	return key;
}

/* How a connector's item reads in a change. */
static char *
diff_item_text(xmlNodePtr n)
{
	const char *kind = (const char *)n->name;
	char *out, *p;

	if (strcmp(kind, "binding") == 0 ||
	    strcmp(kind, "remote-ip-range") == 0)
		return xstrdup(diff_str(xml_attr(n, "text")));
	if (strcmp(kind, "permission-group") == 0 ||
	    strcmp(kind, "auth-mechanism") == 0)
		return xstrdup(diff_str(xml_attr(n, "name")));
	if (strcmp(kind, "ace") == 0) {
		const char *right = xml_attr(n, "right");
		const char *inh = xml_attr(n, "inherited");

		out = diff_printf("%s %s (%s) %s%s", diff_str(xml_attr(n,
		    "type")), diff_str(xml_attr(n, "principal")),
		    diff_str(xml_attr(n, "sid")), right != NULL ? right :
		    diff_str(xml_attr(n, "access")), inh != NULL &&
		    strcmp(inh, "true") == 0 ? " inherited" : "");
		return out;
	}
	out = diff_element_key(n);
	for (p = out; *p != '\0'; p++)
		if (*p == '\037')
			*p = ' ';
	return out;
}

static const char *
diff_object_name(xmlNodePtr n)
{
	const char *id = xml_attr(n, "identity");

	return id != NULL ? id : diff_str(xml_attr(n, "name"));
}

/* Attributes of one object that differ; name and identity are its key. */
static void
diff_attrs(struct diff_ctx *d, xmlNodePtr old, xmlNodePtr new,
    const char *kind)
{
	const char *object = diff_object_name(new);
	xmlAttrPtr a;

	for (a = old->properties; a != NULL; a = a->next) {
		const char *name = (const char *)a->name;
		const char *ov = xml_attr(old, name), *nv;

		if (strcmp(name, "name") == 0 || strcmp(name, "identity") == 0)
			continue;
		nv = xml_attr(new, name);
		if (nv == NULL || strcmp(diff_str(ov), nv) != 0)
			diff_add(d, "changed", kind, object, name, diff_str(ov),
			    nv != NULL ? nv : "");
	}
	for (a = new->properties; a != NULL; a = a->next) {
		const char *name = (const char *)a->name;

		if (strcmp(name, "name") == 0 || strcmp(name, "identity") == 0)
			continue;
		if (xml_attr(old, name) == NULL)
			diff_add(d, "changed", kind, object, name, "",
			    diff_str(xml_attr(new, name)));
	}
}

/* An item that a connector (arg) gained or lost. */
static void
diff_conn_item_one(struct diff_ctx *d, xmlNodePtr n, const char *type,
    void *arg)
{
	char *text = diff_item_text(n);

	diff_add(d, type, (const char *)n->name, arg, text, NULL, NULL);
	free(text);
}

/* A <setting> on both sides: a change when the value differs. */
static void
diff_setting_both(struct diff_ctx *d, xmlNodePtr old, xmlNodePtr new,
    void *arg)
{
	const char *ov = diff_str(xml_attr(old, "value"));
	const char *nv = diff_str(xml_attr(new, "value"));

	if (strcmp(ov, nv) != 0)
		diff_add(d, "changed", "setting", arg, diff_str(xml_attr(new,
		    "name")), ov, nv);
}

static void
diff_setting_one(struct diff_ctx *d, xmlNodePtr n, const char *type,
    void *arg)
{
	diff_add(d, type, "setting", arg, diff_str(xml_attr(n, "name")),
	    strcmp(type, "removed") == 0 ? diff_str(xml_attr(n, "value")) :
	    NULL, strcmp(type, "added") == 0 ? diff_str(xml_attr(n, "value")) :
	    NULL);
}

static void
diff_children(xmlNodePtr parent, struct diff_set *items,
    struct diff_set *settings)
{
	xmlNodePtr c;

	for (c = parent->children; c != NULL; c = c->next) {
		/* Derived facts follow the collected ones that changed. */
		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, "effective") == 0)
			continue;
		if (strcmp((const char *)c->name, "setting") == 0)
			diff_set_add(settings, xstrdup(diff_str(xml_attr(c,
			    "name"))), c);
		else
			diff_set_add(items, diff_element_key(c), c);
	}
}

/* One connector (or accepted domain) on both sides. */
static void
diff_object_both(struct diff_ctx *d, xmlNodePtr old, xmlNodePtr new,
    void *arg)
{
	struct diff_set oi = { 0 }, ni = { 0 }, os = { 0 }, ns = { 0 };
	const char *object = diff_object_name(new);

	(void)arg;
	diff_attrs(d, old, new, strcmp((const char *)new->name,
	    "receive-connector") == 0 ? "setting" : (const char *)new->name);
	diff_children(old, &oi, &os);
	diff_children(new, &ni, &ns);
	diff_walk(d, &oi, &ni, diff_conn_item_one, NULL, (void *)object);
	diff_walk(d, &os, &ns, diff_setting_one, diff_setting_both,
	    (void *)object);
	diff_set_free(&oi);
	diff_set_free(&ni);
	diff_set_free(&os);
	diff_set_free(&ns);
}

static void
diff_object_one(struct diff_ctx *d, xmlNodePtr n, const char *type,
    void *arg)
{
	(void)arg;
	diff_add(d, type, (const char *)n->name, diff_object_name(n), NULL,
	    NULL, NULL);
}

/* Connectors (by identity) and servers' other facts (by content). */
static void
diff_server_both(struct diff_ctx *d, xmlNodePtr old, xmlNodePtr new,
    void *arg)
{
	struct diff_set oc = { .nocase = 1 }, nc = { .nocase = 1 };
	struct diff_set oo = { 0 }, no = { 0 };
	const char *server = diff_str(xml_attr(new, "name"));
	xmlNodePtr c;
	int side;

	(void)arg;
	diff_attrs(d, old, new, "server");
	for (side = 0; side < 2; side++)
		for (c = (side ? new : old)->children; c != NULL; c = c->next) {
			if (c->type != XML_ELEMENT_NODE)
				continue;
			if (strcmp((const char *)c->name,
			    "receive-connector") == 0)
				diff_set_add(side ? &nc : &oc,
				    xstrdup(diff_object_name(c)), c);
			else
				diff_set_add(side ? &no : &oo,
				    diff_element_key(c), c);
		}
	diff_walk(d, &oc, &nc, diff_object_one, diff_object_both, NULL);
	diff_walk(d, &oo, &no, diff_conn_item_one, NULL, (void *)server);
	diff_set_free(&oc);
	diff_set_free(&nc);
	diff_set_free(&oo);
	diff_set_free(&no);
}

/* Servers and accepted domains of the organization elements. */
static void
diff_models(struct diff_ctx *d, xmlNodePtr old, xmlNodePtr new)
{
	struct diff_set os = { .nocase = 1 }, ns = { .nocase = 1 };
	struct diff_set od = { .nocase = 1 }, nd = { .nocase = 1 };
	xmlNodePtr org, c;
	int side;

	for (side = 0; side < 2; side++)
		for (org = (side ? new : old)->children; org != NULL;
		    org = org->next) {
			if (!diff_is(org, MODEL_NS, "organization"))
				continue;
			for (c = org->children; c != NULL; c = c->next) {
				if (diff_is(c, MODEL_NS, "server"))
					diff_set_add(side ? &ns : &os,
					    xstrdup(diff_str(xml_attr(c,
					    "name"))), c);
				else if (diff_is(c, MODEL_NS,
				    "accepted-domain"))
					diff_set_add(side ? &nd : &od,
					    xstrdup(diff_str(xml_attr(c,
					    "name"))), c);
			}
		}
	diff_walk(d, &os, &ns, diff_object_one, diff_server_both, NULL);
	diff_walk(d, &od, &nd, diff_object_one, diff_object_both, NULL);
	diff_set_free(&os);
	diff_set_free(&ns);
	diff_set_free(&od);
	diff_set_free(&nd);
}

/* --- findings -------------------------------------------------------- */

static void
diff_finding_one(struct diff_ctx *d, xmlNodePtr n, const char *type,
    void *arg)
{
	int added = strcmp(type, "added") == 0;
	const char *sev = diff_str(xml_attr(n, "severity"));

	(void)arg;
	diff_add(d, type, "finding", diff_str(xml_attr(n, "object")),
	    diff_str(xml_attr(n, "rule")), added ? NULL : sev,
	    added ? sev : NULL);
}

static void
diff_finding_both(struct diff_ctx *d, xmlNodePtr old, xmlNodePtr new,
    void *arg)
{
	const char *os = diff_str(xml_attr(old, "severity"));
	const char *ns = diff_str(xml_attr(new, "severity"));

	(void)arg;
	if (strcmp(os, ns) != 0)
		diff_add(d, "changed", "finding", diff_str(xml_attr(new,
		    "object")), diff_str(xml_attr(new, "rule")), os, ns);
}

/* A findings connector: its attributes are the connector's summary. */
static void
diff_summary_both(struct diff_ctx *d, xmlNodePtr old, xmlNodePtr new,
    void *arg)
{
	(void)arg;
	diff_attrs(d, old, new, "setting");
}

static void
diff_summary_one(struct diff_ctx *d, xmlNodePtr n, const char *type,
    void *arg)
{
	(void)arg;
	diff_add(d, type, "receive-connector", diff_object_name(n), NULL,
	    NULL, NULL);
}

static void
diff_findings(struct diff_ctx *d, xmlNodePtr old, xmlNodePtr new,
    int flags)
{
	struct diff_set of = { 0 }, nf = { 0 };
	struct diff_set oc = { .nocase = 1 }, nc = { .nocase = 1 };
	xmlNodePtr c, m, s, k;
	int side;
	char *key;

	for (side = 0; side < 2; side++)
		for (c = (side ? new : old)->children; c != NULL;
		    c = c->next) {
			if (diff_is(c, FINDINGS_NS, "finding")) {
				key = diff_printf("%s\037%s",
				    diff_str(xml_attr(c, "rule")),
				    diff_str(xml_attr(c, "object")));
				diff_set_add(side ? &nf : &of, key, c);
			}
			if (!diff_is(c, FINDINGS_NS, "model"))
				continue;
			m = c;
			for (s = m->children; s != NULL; s = s->next) {
				if (!diff_is(s, FINDINGS_NS, "server"))
					continue;
				for (k = s->children; k != NULL; k = k->next)
					if (diff_is(k, FINDINGS_NS,
					    "connector"))
						diff_set_add(side ? &nc : &oc,
						    xstrdup(diff_object_name(
						    k)), k);
			}
		}
	if (!(flags & DIFF_FINDINGS_ONLY))
		diff_walk(d, &oc, &nc, diff_summary_one, diff_summary_both,
		    NULL);
	diff_walk(d, &of, &nf, diff_finding_one, diff_finding_both, NULL);
	diff_set_free(&of);
	diff_set_free(&nf);
	diff_set_free(&oc);
	diff_set_free(&nc);
}

int
diff_compare(xmlDocPtr changes, xmlDocPtr old, xmlDocPtr new, int flags,
    struct mx_err *err)
{
	struct diff_ctx d;
	xmlNodePtr o = xmlDocGetRootElement(old);
	xmlNodePtr n = xmlDocGetRootElement(new);
	xmlNodePtr c;

	memset(&d, 0, sizeof(d));
	d.root = xmlDocGetRootElement(changes);
	d.ns = d.root->ns;
	for (c = d.root->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			d.n++;
	if (diff_is(o, MODEL_NS, "topology") && diff_is(n, MODEL_NS,
	    "topology"))
		diff_models(&d, o, n);
	else if (diff_is(o, FINDINGS_NS, "findings") &&
	    diff_is(n, FINDINGS_NS, "findings"))
		diff_findings(&d, o, n, flags);
	else
		return mx_err_set(err, MX_ERR_USAGE, NULL, "compare two "
		    "models or two findings documents, not one of each");
	return 0;
}

unsigned long
diff_count(xmlDocPtr changes)
{
	xmlNodePtr c;
	unsigned long n = 0;

	for (c = xmlDocGetRootElement(changes)->children; c != NULL;
	    c = c->next)
		if (diff_is(c, FINDINGS_NS, "change"))
			n++;
	return n;
}

/* --- output ---------------------------------------------------------- */

struct diff_buf {
	char	*p;
	size_t	 len, size;
};

/* Append s, escaped for a terminal (term.h). */
static void
diff_buf_put(struct diff_buf *b, const char *s)
{
	char *e = term_escape(s, strlen(s), 0);
	size_t n = strlen(e);

	if (b->len + n + 1 > b->size) {
		b->size = (b->len + n + 1) * 2;
		b->p = xreallocarray(b->p, b->size, 1);
	}
	memcpy(b->p + b->len, e, n);
	b->len += n;
	b->p[b->len] = '\0';
	free(e);
}

int
diff_write_text(xmlDocPtr changes, const char *path, struct mx_err *err)
{
	xmlNodePtr root = xmlDocGetRootElement(changes), c;
	struct diff_buf b = { 0 };
	char head[64];
	int rc;

	diff_buf_put(&b, "# ");
	diff_buf_put(&b, diff_str(xml_attr(root, "old")));
	diff_buf_put(&b, " -> ");
	diff_buf_put(&b, diff_str(xml_attr(root, "new")));
	snprintf(head, sizeof(head), ": %lu change(s)", diff_count(changes));
	diff_buf_put(&b, head);
	b.p[b.len++] = '\n';
	for (c = root->children; c != NULL; c = c->next) {
		const char *type = xml_attr(c, "type"), *item, *ov, *nv;

		if (!diff_is(c, FINDINGS_NS, "change"))
			continue;
		item = xml_attr(c, "item");
		ov = xml_attr(c, "old");
		nv = xml_attr(c, "new");
		diff_buf_put(&b, strcmp(diff_str(type), "added") == 0 ? "+ " :
		    strcmp(diff_str(type), "removed") == 0 ? "- " : "~ ");
		diff_buf_put(&b, diff_str(xml_attr(c, "kind")));
		diff_buf_put(&b, " ");
		diff_buf_put(&b, diff_str(xml_attr(c, "object")));
		if (item != NULL) {
			diff_buf_put(&b, ": ");
			diff_buf_put(&b, item);
		}
		if (ov != NULL && nv != NULL) {
			diff_buf_put(&b, ": ");
			diff_buf_put(&b, ov);
			diff_buf_put(&b, " -> ");
			diff_buf_put(&b, nv);
		} else if (ov != NULL || nv != NULL) {
			diff_buf_put(&b, " (");
			diff_buf_put(&b, ov != NULL ? ov : nv);
			diff_buf_put(&b, ")");
		}
		diff_buf_put(&b, " ");
		b.p[b.len - 1] = '\n';
	}
	rc = util_write_atomic(path, b.p, b.len, err);
	free(b.p);
	return rc;
}

int
diff_attach(xmlDocPtr findings, xmlDocPtr changes, struct mx_err *err)
{
	xmlNodePtr root = xmlDocGetRootElement(findings), copy;

	copy = xmlDocCopyNode(xmlDocGetRootElement(changes), findings, 1);
	if (root == NULL || copy == NULL || xmlAddChild(root, copy) == NULL) {
		xmlFreeNode(copy);
		return mx_err_set(err, MX_ERR_INTERNAL, NULL,
		    "cannot add the changes to the findings");
	}
	xml_tree_set_ns(copy, root->ns);
	return 0;
}

/* --- inputs ---------------------------------------------------------- */

int
diff_input_load(struct diff_input *in, const char *path, struct mx_err *err)
{
	xmlDocPtr doc;
	xmlNodePtr root;

	memset(in, 0, sizeof(*in));
	doc = xml_parse_file(path, MODEL_FILE_MAX > FINDINGS_FILE_MAX ?
	    MODEL_FILE_MAX : FINDINGS_FILE_MAX, 0, err);
	if (doc == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (diff_is(root, FINDINGS_NS, "findings")) {
		if (findings_validate(doc, path, err) == -1) {
			xmlFreeDoc(doc);
			return -1;
		}
		in->kind = DIFF_KIND_FINDINGS;
		in->findings = doc;
		return 0;
	}
	/* model_from_doc names what the root is when it is not a model. */
	in->kind = DIFF_KIND_MODEL;
	in->model = model_from_doc(doc, path, err);
	return in->model != NULL ? 0 : -1;
}

void
diff_input_free(struct diff_input *in)
{
	model_free(in->model);
	xmlFreeDoc(in->findings);
	memset(in, 0, sizeof(*in));
}
