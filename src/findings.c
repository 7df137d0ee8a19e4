/*
 * findings.c - the findings document and severities (see findings.h).
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "bounds.h"
#include "err.h"
#include "findings.h"
#include "util.h"
#include "xml.h"

static const char *const severity_names[SEVERITY_COUNT] = {
	[SEVERITY_INFO] = "info",
	[SEVERITY_NON_DEFAULT] = "non-default",
	[SEVERITY_BEST_PRACTICE] = "best-practice",
	[SEVERITY_WARNING] = "warning",
	[SEVERITY_ERROR] = "error",
};

int
severity_parse(const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < SEVERITY_COUNT; i++)
		if (strcmp(severity_names[i], name) == 0)
			return i;
	return -1;
}

const char *
severity_name(enum severity s)
{
	if ((int)s < 0 || s >= SEVERITY_COUNT)
		return "unknown";
	return severity_names[s];
}

/*
 * The contents of an <evidence> element, checked here rather than by the
 * schema: what findings.rng's "model-element" allows (elements of the
 * model's namespace, attributes without one, text).  libxml2 validates
 * such wildcard content in time quadratic in the number of children, a
 * minute for a connector with 16,384 remote ranges; this walk is linear.
 */
static int
findings_check_evidence(xmlNodePtr n, const char *name, struct mx_err *err)
{
	xmlAttrPtr a;
	xmlNodePtr c;

	if (n->ns == NULL || strcmp((const char *)n->ns->href,
	    "urn:mxbpa:model:1") != 0)
		return mx_err_set(err, MX_ERR_INPUT, name, "line %ld: element "
		    "<%.64s> in evidence is not in the model's namespace",
		    xml_line(n), (const char *)n->name);
	for (a = n->properties; a != NULL; a = a->next)
		if (a->ns != NULL)
			return mx_err_set(err, MX_ERR_INPUT, name, "line %ld: "
			    "attribute %.64s in evidence has a namespace",
			    xml_line(n), (const char *)a->name);
	for (c = n->children; c != NULL; c = c->next) {
		if (c->type == XML_ELEMENT_NODE) {
			if (findings_check_evidence(c, name, err) == -1)
				return -1;
		} else if (c->type != XML_TEXT_NODE &&
		    c->type != XML_CDATA_SECTION_NODE &&
		    c->type != XML_COMMENT_NODE)
			return mx_err_set(err, MX_ERR_INPUT, name, "line %ld: "
			    "unexpected node in evidence", xml_line(c));
	}
	return 0;
}

/* The children set aside while the schema runs: (element, first child). */
struct findings_aside {
	xmlNodePtr	*v;
	size_t		 n, cap;
};

/*
 * The <evidence> children's own children are set aside while the schema
 * runs (the schema still sees each top element and its attributes),
 * after findings_check_evidence checked them; findings_validate puts them
 * back.  Returns 0 or -1.
 */
static int
findings_evidence(xmlNodePtr n, struct findings_aside *aside,
    const char *name, struct mx_err *err)
{
	xmlNodePtr c, e;

	for (c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)c->name, "evidence") != 0) {
			if (findings_evidence(c, aside, name, err) == -1)
				return -1;
			continue;
		}
		for (e = c->children; e != NULL; e = e->next) {
			if (e->type != XML_ELEMENT_NODE || e->children == NULL)
				continue;
			if (findings_check_evidence(e, name, err) == -1)
				return -1;
			if (aside->n + 2 > aside->cap) {
				aside->cap = aside->cap ? aside->cap * 2 : 64;
				aside->v = xreallocarray(aside->v, aside->cap,
				    sizeof(*aside->v));
			}
			aside->v[aside->n++] = e;
			aside->v[aside->n++] = e->children;
			e->children = NULL;
			e->last = NULL;
		}
	}
	return 0;
}

int
findings_validate(xmlDocPtr doc, const char *name, struct mx_err *err)
{
	struct findings_aside aside = { NULL, 0, 0 };
	xmlNodePtr root = xmlDocGetRootElement(doc), e;
	size_t i;
	int rc = -1;

	if (root == NULL || findings_evidence(root, &aside, name, err) == 0)
		rc = xml_check(doc, "findings.rng", name, err);
	for (i = 0; i < aside.n; i += 2) {
		e = aside.v[i];
		e->children = aside.v[i + 1];
		for (e->last = e->children; e->last->next != NULL;
		    e->last = e->last->next)
			;
	}
	free(aside.v);
	return rc;
}

xmlDocPtr
findings_load(const char *path, struct mx_err *err)
{
	xmlDocPtr doc;
	xmlNodePtr root;

	doc = xml_parse_file(path, FINDINGS_FILE_MAX, 0, err);
	if (doc == NULL)
		return NULL;
	root = xmlDocGetRootElement(doc);
	if (root->ns == NULL || strcmp((const char *)root->ns->href,
	    FINDINGS_NS) != 0 || strcmp((const char *)root->name,
	    "findings") != 0) {
		mx_err_set(err, MX_ERR_INPUT, path,
		    "not an mxbpa findings document (root is <%s>)",
		    (const char *)root->name);
		xmlFreeDoc(doc);
		return NULL;
	}
	if (findings_validate(doc, path, err) == -1) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

int
findings_waived(xmlNodePtr finding)
{
	xmlNodePtr c;

	for (c = finding->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, "waiver") == 0)
			return xml_attr(c, "expired") != NULL &&
			    strcmp(xml_attr(c, "expired"), "false") == 0;
	return 0;
}

unsigned long
findings_count_at_least(xmlDocPtr doc, enum severity min)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), c;
	unsigned long n = 0;

	if (root == NULL)
		return 0;
	for (c = root->children; c != NULL; c = c->next) {
		int s;

		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, "finding") != 0)
			continue;
		s = severity_parse(xml_attr(c, "severity"));
		if (s >= (int)min && !findings_waived(c))
			n++;
	}
	return n;
}

/* The unsigned value of attribute name, or 0. */
static unsigned long
findings_count_attr(xmlNodePtr node, const char *name)
{
	const char *v = xml_attr(node, name);
	struct mx_err scratch;
	uint64_t n;

	mx_err_init(&scratch);
	if (v == NULL || parse_u64(v, UINT32_MAX, &n, &scratch, name) == -1)
		return 0;
	return (unsigned long)n;
}

int
findings_nothing_decided(xmlDocPtr doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), c, s;
	unsigned long checked = 0, failed = 0;
	int other = 0, probes = 0;

	if (root == NULL)
		return 0;
	for (c = root->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)c->name, "relay") == 0 &&
		    xml_attr(c, "verdict") != NULL &&
		    strcmp(xml_attr(c, "verdict"), "undetermined") == 0)
			return 1;
		if (strcmp((const char *)c->name, "model") == 0) {
			for (s = c->children; s != NULL; s = s->next) {
				const char *kind;

				if (s->type != XML_ELEMENT_NODE ||
				    strcmp((const char *)s->name,
				    "source") != 0)
					continue;
				kind = xml_attr(s, "kind");
				if (kind != NULL && strcmp(kind, "probe") == 0)
					probes = 1;
				else
					other = 1;
			}
		} else if (strcmp((const char *)c->name, "rule") == 0 &&
		    xml_attr(c, "id") != NULL &&
		    strcmp(xml_attr(c, "id"), "PROBE-011") == 0) {
			checked = findings_count_attr(c, "checked");
			failed = findings_count_attr(c, "failed");
		}
	}
	return probes && !other && checked > 0 && failed == checked;
}
