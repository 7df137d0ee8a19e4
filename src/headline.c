/*
 * headline.c - the relay headline (see headline.h).
 *
 * A false "no relay found" is the worst answer mxbpa can give, so the
 * headline says "none-found" only when every rule marked headline="relay"
 * ran, judged every object with the connectors, permission entries and
 * accepted domains it needs, and every probe that ran was refused.
 * Probes are optional evidence: without any, the configuration decides.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdio.h>
#include <string.h>

#include <libxml/tree.h>

#include "coverage.h"
#include "headline.h"
#include "rules.h"
#include "xml.h"

static int
headline_is(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

static void
headline_set(xmlNodePtr e, const char *name, const char *value)
{
	if (value != NULL)
		xmlSetProp(e, (const xmlChar *)name, (const xmlChar *)value);
}

/* The English (else first) title child of a rule or finding element. */
static xmlChar *
headline_title(xmlNodePtr n)
{
	xmlNodePtr c, first = NULL;

	for (c = n->children; c != NULL; c = c->next) {
		xmlChar *lang;
		int en;

		if (!headline_is(c, "title"))
			continue;
		if (first == NULL)
			first = c;
		lang = xmlNodeGetLang(c);
		en = lang != NULL && strcmp((const char *)lang, "en") == 0;
		xmlFree(lang);
		if (en)
			return xmlNodeGetContent(c);
	}
	return first != NULL ? xmlNodeGetContent(first) : NULL;
}

/* Is there already a child element with this text? */
static int
headline_has_text(xmlNodePtr parent, const char *element, const char *text)
{
	xmlNodePtr c;
	int same;

	for (c = parent->children; c != NULL; c = c->next) {
		xmlChar *t;

		if (!headline_is(c, element))
			continue;
		t = xmlNodeGetContent(c);
		same = t != NULL && strcmp((const char *)t, text) == 0;
		xmlFree(t);
		if (same)
			return 1;
	}
	return 0;
}

static void
headline_missing(xmlNodePtr relay, xmlNsPtr ns, const char *input,
    const char *server, const char *text)
{
	xmlNodePtr e;

	if (headline_has_text(relay, "missing", text))
		return;
	e = xmlNewTextChild(relay, ns, (const xmlChar *)"missing",
	    (const xmlChar *)text);
	headline_set(e, "input", input);
	headline_set(e, "server", server);
}

/* The model's connector of that identity, or NULL. */
static xmlNodePtr
headline_connector(const struct coverage *cov, const char *identity)
{
	xmlNodePtr org, s, c;
	const char *id;

	if (identity == NULL)
		return NULL;
	for (org = coverage_root(cov); org != NULL; org = org->next) {
		if (!headline_is(org, "organization"))
			continue;
		for (s = org->children; s != NULL; s = s->next) {
			if (!headline_is(s, "server"))
				continue;
			for (c = s->children; c != NULL; c = c->next)
				if (headline_is(c, "receive-connector") &&
				    (id = xml_attr(c, "identity")) != NULL &&
				    strcmp(id, identity) == 0)
					return c;
		}
	}
	return NULL;
}

/*
 * How: the kinds of client the derived facts of the connector in the
 * finding's evidence let relay (effective[@relay='true'], an externally
 * secured one only where it applies), as clients="anonymous ...".
 */
static void
headline_clients(const struct coverage *cov, xmlNodePtr finding,
    xmlNodePtr where)
{
	xmlNodePtr conn, e;
	char list[256] = "";
	size_t len;

	if (xml_attr(finding, "object-kind") == NULL ||
	    strcmp(xml_attr(finding, "object-kind"), "receive-connector") != 0)
		return;
	if ((conn = headline_connector(cov, xml_attr(finding, "object"))) ==
	    NULL)
		return;
	for (e = conn->children; e != NULL; e = e->next) {
		const char *who = xml_attr(e, "client"), *ap;

		if (!headline_is(e, "effective") || who == NULL ||
		    xml_attr(e, "relay") == NULL ||
		    strcmp(xml_attr(e, "relay"), "true") != 0)
			continue;
		ap = xml_attr(e, "applies");
		if (ap != NULL && strcmp(ap, "false") == 0)
			continue;
		len = strlen(list);
		snprintf(list + len, sizeof(list) - len, "%s%s",
		    len > 0 ? " " : "", who);
	}
	if (list[0] != '\0')
		headline_set(where, "clients", list);
}

/* Failed headline rules: one <where> per finding.  Returns how many. */
static size_t
headline_where(xmlNodePtr root, xmlNodePtr relay, xmlNsPtr ns,
    const struct rule_set *rs, const struct coverage *cov)
{
	const struct rule *r;
	xmlNodePtr f, w, c;
	size_t n = 0;

	for (f = root->children; f != NULL; f = f->next) {
		xmlChar *title;

		if (!headline_is(f, "finding"))
			continue;
		r = rule_set_find(rs, xml_attr(f, "rule"));
		if (r == NULL || !r->headline)
			continue;
		title = headline_title(f);
		w = xmlNewTextChild(relay, ns, (const xmlChar *)"where",
		    title);
		xmlFree(title);
		headline_set(w, "rule", xml_attr(f, "rule"));
		headline_set(w, "object", xml_attr(f, "object"));
		headline_set(w, "server", xml_attr(f, "server"));
		headline_clients(cov, f, w);
		/* A waiver accepts the risk; it does not close the relay. */
		for (c = f->children; c != NULL; c = c->next)
			if (headline_is(c, "waiver"))
				headline_set(w, "waived",
				    xml_attr(c, "expired") != NULL &&
				    strcmp(xml_attr(c, "expired"), "false") ==
				    0 ? "true" : "false");
		n++;
	}
	return n;
}

/* What kept headline rules from judging; returns how many. */
static size_t
headline_gaps(xmlNodePtr root, xmlNodePtr relay, xmlNsPtr ns,
    const struct rule_set *rs, size_t *ran)
{
	const struct rule *r;
	xmlNodePtr e, c;
	char text[512];
	size_t before = 0, n = 0;

	for (c = relay->children; c != NULL; c = c->next)
		before++;
	*ran = 0;
	for (e = root->children; e != NULL; e = e->next) {
		const char *status;

		if (!headline_is(e, "rule"))
			continue;
		r = rule_set_find(rs, xml_attr(e, "id"));
		if (r == NULL || !r->headline)
			continue;
		status = xml_attr(e, "status");
		if (status != NULL && strcmp(status, "disabled") == 0) {
			snprintf(text, sizeof(text), "%s was switched off by "
			    "a site pack", r->id);
			headline_missing(relay, ns, "rules", NULL, text);
			continue;
		}
		(*ran)++;
		for (c = e->children; c != NULL; c = c->next) {
			int i;
			xmlChar *t;

			if (!headline_is(c, "not-checked"))
				continue;
			i = coverage_input_parse(xml_attr(c, "input") ?
			    xml_attr(c, "input") : "");
			if (i < 0 || !(COVERAGE_RELAY_INPUTS & (1u << i)))
				continue;
			t = xmlNodeGetContent(c);
			if (t != NULL)
				headline_missing(relay, ns,
				    xml_attr(c, "input"), xml_attr(c, "server"),
				    (const char *)t);
			xmlFree(t);
		}
	}
	for (c = relay->children; c != NULL; c = c->next)
		n++;
	return n - before;
}

/* What a "none-found" rests on: per server, the connectors judged. */
static void
headline_basis(xmlNodePtr root, xmlNodePtr relay, xmlNsPtr ns)
{
	xmlNodePtr cov = NULL, s, i, b;
	char text[512];

	for (cov = root->children; cov != NULL; cov = cov->next)
		if (headline_is(cov, "coverage"))
			break;
	if (cov == NULL)
		return;
	for (s = cov->children; s != NULL; s = s->next) {
		const char *conns = "0", *kind;

		if (headline_is(s, "input")) {
			kind = xml_attr(s, "kind");
			if (kind == NULL)
				continue;
			if (strcmp(kind, "probes") == 0 &&
			    strcmp(xml_attr(s, "objects"), "0") == 0)
				snprintf(text, sizeof(text), "no probe ran: "
				    "the configuration alone");
			else
				snprintf(text, sizeof(text), "%s %s",
				    xml_attr(s, "objects"),
				    strcmp(kind, "probes") == 0 ?
				    "probes, every one refused" :
				    "accepted domains");
			b = xmlNewTextChild(relay, ns, (const xmlChar *)"basis",
			    (const xmlChar *)text);
			headline_set(b, "input", kind);
			continue;
		}
		if (!headline_is(s, "server"))
			continue;
		for (i = s->children; i != NULL; i = i->next)
			if (headline_is(i, "input") && xml_attr(i, "kind") &&
			    strcmp(xml_attr(i, "kind"), "connectors") == 0)
				conns = xml_attr(i, "objects");
		snprintf(text, sizeof(text), "%s: %s receive connectors with "
		    "their configuration and permission entries",
		    xml_attr(s, "name"), conns);
		b = xmlNewTextChild(relay, ns, (const xmlChar *)"basis",
		    (const xmlChar *)text);
		headline_set(b, "input", "connectors");
		headline_set(b, "server", xml_attr(s, "name"));
	}
}

void
headline_add(xmlNodePtr root, xmlNsPtr ns, const struct rule_set *rs,
    const struct coverage *cov)
{
	xmlNodePtr relay, c;
	size_t ran = 0, gaps;

	relay = xmlNewDocNode(root->doc, ns, (const xmlChar *)"relay", NULL);
	for (c = root->children; c != NULL; c = c->next)
		if (headline_is(c, "coverage"))
			break;
	if (c != NULL)
		xmlAddPrevSibling(c, relay);
	else
		xmlAddChild(root, relay);
	if (headline_where(root, relay, ns, rs, cov) > 0) {
		headline_set(relay, "verdict", "possible");
		return;
	}
	gaps = headline_gaps(root, relay, ns, rs, &ran);
	gaps += coverage_add_open_probes(cov, relay, ns);
	if (ran == 0) {
		headline_missing(relay, ns, "rules", NULL,
		    "no rule judging relay ran");
		gaps++;
	}
	if (gaps > 0) {
		headline_set(relay, "verdict", "undetermined");
		return;
	}
	headline_set(relay, "verdict", "none-found");
	headline_basis(root, relay, ns);
}
