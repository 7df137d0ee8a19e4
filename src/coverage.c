/*
 * coverage.c - what the inputs of a model could and could not tell (see
 * coverage.h and docs/findings.md).
 *
 * A receive connector's configuration is known when the connector has
 * its bindings (Exchange requires at least one; a connector known only
 * from Get-ADPermission has none).  Its permission entries are known
 * when the collector read the descriptor (permissions="collected") or,
 * from Export-Clixml, when Get-ADPermission gave entries for it; a
 * descriptor that could not be read (permissions="unreadable" or
 * "not-collected") leaves them unknown.  A server object is known when
 * the server has its roles or version (Get-ExchangeServer, AD).
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "coverage.h"
#include "err.h"
#include "util.h"
#include "xml.h"

static const char *const coverage_names[COVERAGE_INPUT_COUNT] = {
	[COVERAGE_CONNECTORS] = "connectors",
	[COVERAGE_PERMISSIONS] = "permissions",
	[COVERAGE_ACCEPTED_DOMAINS] = "accepted-domains",
	[COVERAGE_SERVERS] = "servers",
	[COVERAGE_CERTIFICATES] = "certificates",
	[COVERAGE_PROBES] = "probes",
};

/* Where each input comes from, for "needs X for EX01". */
static const char *const coverage_sources[COVERAGE_INPUT_COUNT] = {
	[COVERAGE_CONNECTORS] = "Get-ReceiveConnector",
	[COVERAGE_PERMISSIONS] = "Get-ADPermission",
	[COVERAGE_ACCEPTED_DOMAINS] = "Get-AcceptedDomain",
	[COVERAGE_SERVERS] = "Get-ExchangeServer",
	[COVERAGE_CERTIFICATES] = "Get-ExchangeCertificate",
	[COVERAGE_PROBES] = "a probe (--probe)",
};

struct coverage_server {
	xmlNodePtr	 node;
	const char	*name;
	unsigned long	 connectors;	/* receive connectors */
	unsigned long	 configured;	/* ... with their configuration */
	unsigned long	 conf_unreadable; /* ... with an unreadable value */
	unsigned long	 permissions;	/* ... with their permission entries */
	unsigned long	 unreadable;	/* ... whose descriptor was unreadable */
	unsigned long	 certificates;
	int		 object;	/* the server object itself */
};

struct coverage {
	xmlDocPtr		 doc;
	xmlNodePtr		 root;
	struct coverage_server	*servers;
	size_t			 nservers;
	unsigned long		 domains;
	unsigned long		 probes;
};

int
coverage_input_parse(const char *name)
{
	int i;

	for (i = 0; i < COVERAGE_INPUT_COUNT; i++)
		if (strcmp(coverage_names[i], name) == 0)
			return i;
	return -1;
}

const char *
coverage_input_name(enum coverage_input i)
{
	if ((int)i < 0 || i >= COVERAGE_INPUT_COUNT)
		return "unknown";
	return coverage_names[i];
}

int
coverage_needs_parse(const char *list, unsigned *mask, const char *where,
    struct mx_err *err)
{
	char word[32];
	const char *p = list, *e;
	size_t n;
	int i;

	*mask = 0;
	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p == '\0')
			break;
		for (e = p; *e != '\0' && *e != ' ' && *e != '\t' &&
		    *e != '\n' && *e != '\r'; e++)
			;
		n = (size_t)(e - p);
		if (n >= sizeof(word))
			n = sizeof(word) - 1;
		memcpy(word, p, n);
		word[n] = '\0';
		if (strcmp(word, "none") != 0) {
			if ((i = coverage_input_parse(word)) == -1)
				return mx_err_set(err, MX_ERR_INPUT, where,
				    "needs: unknown input \"%s\" (connectors, "
				    "permissions, accepted-domains, servers, "
				    "certificates, probes, none)", word);
			*mask |= 1u << i;
		}
		p = e;
	}
	return 0;
}

static int
coverage_is(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

static int
coverage_attr_is(xmlNodePtr n, const char *name, const char *value)
{
	const char *v = xml_attr(n, name);

	return v != NULL && strcmp(v, value) == 0;
}

/*
 * Did a binding or remote range of the connector fail to parse?  Then
 * which clients reach it is unknown, and so is every verdict that needs
 * its configuration.
 */
static int
coverage_conf_unreadable(xmlNodePtr conn)
{
	return coverage_attr_is(conn, "configuration", "unreadable");
}

/* Has the connector its configuration (bindings, all readable)? */
static int
coverage_configured(xmlNodePtr conn)
{
	xmlNodePtr c;

	if (coverage_conf_unreadable(conn))
		return 0;
	for (c = conn->children; c != NULL; c = c->next)
		if (coverage_is(c, "binding"))
			return 1;
	return 0;
}

/* Did its descriptor fail to read? */
/*
 * Does an entry whose principal could not be resolved leave the anonymous
 * verdict open, with no relay found (effrights.c's derived facts)?  Such
 * a connector is judged as if its permissions were unreadable: a "no
 * relay" resting on it would be a false clean.
 */
static int
coverage_incomplete(xmlNodePtr conn)
{
	xmlNodePtr c, u;

	for (c = conn->children; c != NULL; c = c->next) {
		if (!coverage_is(c, "effective") ||
		    !coverage_attr_is(c, "client", "anonymous") ||
		    !coverage_attr_is(c, "relay", "false"))
			continue;
		for (u = c->children; u != NULL; u = u->next)
			if (coverage_is(u, "unknown-principal"))
				return 1;
	}
	return 0;
}

static int
coverage_unreadable(xmlNodePtr conn)
{
	return coverage_attr_is(conn, "permissions", "unreadable") ||
	    coverage_attr_is(conn, "permissions", "not-collected") ||
	    coverage_incomplete(conn);
}

/* How the permissions of a connector coverage_unreadable holds are. */
static const char *
coverage_permission_state(xmlNodePtr conn)
{
	if (coverage_incomplete(conn))
		return "incomplete: unknown principal";
	return xml_attr(conn, "permissions");
}

/* Are its permission entries known? */
static int
coverage_permissions(xmlNodePtr conn)
{
	xmlNodePtr c;

	if (coverage_incomplete(conn))
		return 0;
	if (xml_attr(conn, "permissions") != NULL)
		return coverage_attr_is(conn, "permissions", "collected");
	for (c = conn->children; c != NULL; c = c->next)
		if (coverage_is(c, "ace"))
			return 1;
	return 0;
}

static void
coverage_server_scan(struct coverage_server *s, xmlNodePtr node)
{
	xmlNodePtr c;

	memset(s, 0, sizeof(*s));
	s->node = node;
	s->name = xml_attr(node, "name");
	s->object = xml_attr(node, "roles") != NULL ||
	    xml_attr(node, "version") != NULL;
	for (c = node->children; c != NULL; c = c->next) {
		if (coverage_is(c, "certificate"))
			s->certificates++;
		if (!coverage_is(c, "receive-connector"))
			continue;
		s->connectors++;
		if (coverage_configured(c))
			s->configured++;
		else if (coverage_conf_unreadable(c))
			s->conf_unreadable++;
		if (coverage_permissions(c))
			s->permissions++;
		else if (coverage_unreadable(c))
			s->unreadable++;
	}
}

struct coverage *
coverage_new(xmlDocPtr doc)
{
	struct coverage *cov;
	xmlNodePtr root = xmlDocGetRootElement(doc), c, s;
	size_t cap = 0;

	cov = xcalloc(1, sizeof(*cov));
	cov->doc = doc;
	cov->root = root;
	for (c = root ? root->children : NULL; c != NULL; c = c->next) {
		if (coverage_is(c, "probe"))
			cov->probes++;
		if (!coverage_is(c, "organization"))
			continue;
		for (s = c->children; s != NULL; s = s->next) {
			if (coverage_is(s, "accepted-domain"))
				cov->domains++;
			if (!coverage_is(s, "server"))
				continue;
			if (cov->nservers == cap) {
				cap = cap ? cap * 2 : 16;
				cov->servers = xreallocarray(cov->servers,
				    cap, sizeof(*cov->servers));
			}
			coverage_server_scan(&cov->servers[cov->nservers++],
			    s);
		}
	}
	return cov;
}

void
coverage_free(struct coverage *cov)
{
	if (cov == NULL)
		return;
	free(cov->servers);
	free(cov);
}

xmlNodePtr
coverage_root(const struct coverage *cov)
{
	return cov->root != NULL ? cov->root->children : NULL;
}

/* Is input i present on server s (every connector, for connectors)? */
static int
coverage_server_has(const struct coverage_server *s, int i)
{
	switch (i) {
	case COVERAGE_CONNECTORS:
		return s->connectors > 0 && s->configured == s->connectors;
	case COVERAGE_PERMISSIONS:
		return s->connectors > 0 && s->permissions == s->connectors;
	case COVERAGE_SERVERS:
		return s->object;
	case COVERAGE_CERTIFICATES:
		return s->certificates > 0;
	default:
		return 1;
	}
}

/* Is input i present for the whole model? */
static int
coverage_global_has(const struct coverage *cov, int i)
{
	size_t k;

	switch (i) {
	case COVERAGE_ACCEPTED_DOMAINS:
		return cov->domains > 0;
	case COVERAGE_PROBES:
		return cov->probes > 0;
	default:
		if (cov->nservers == 0)
			return 0;
		for (k = 0; k < cov->nservers; k++)
			if (!coverage_server_has(&cov->servers[k], i))
				return 0;
		return 1;
	}
}

static const struct coverage_server *
coverage_server_of(const struct coverage *cov, xmlNodePtr n)
{
	size_t k;

	for (; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent) {
		if (!coverage_is(n, "server"))
			continue;
		for (k = 0; k < cov->nservers; k++)
			if (cov->servers[k].node == n)
				return &cov->servers[k];
		return NULL;
	}
	return NULL;
}

static xmlNodePtr
coverage_connector_of(xmlNodePtr n)
{
	for (; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent)
		if (coverage_is(n, "receive-connector"))
			return n;
	return NULL;
}

int
coverage_object_ok(const struct coverage *cov, unsigned needs,
    xmlNodePtr object)
{
	const struct coverage_server *s = coverage_server_of(cov, object);
	xmlNodePtr conn = coverage_connector_of(object);
	int i;

	for (i = 0; i < COVERAGE_INPUT_COUNT; i++) {
		if (!(needs & (1u << i)))
			continue;
		if (conn != NULL && i == COVERAGE_CONNECTORS) {
			if (!coverage_configured(conn))
				return 0;
		} else if (conn != NULL && i == COVERAGE_PERMISSIONS) {
			if (!coverage_permissions(conn))
				return 0;
		} else if (s != NULL && i != COVERAGE_ACCEPTED_DOMAINS &&
		    i != COVERAGE_PROBES) {
			if (!coverage_server_has(s, i))
				return 0;
		} else if (!coverage_global_has(cov, i))
			return 0;
	}
	return 1;
}

static void
coverage_gap(xmlNodePtr parent, xmlNsPtr ns, const char *element, int i,
    const char *server, const char *object, const char *text)
{
	xmlNodePtr e = xmlNewTextChild(parent, ns, (const xmlChar *)element,
	    (const xmlChar *)text);

	xmlSetProp(e, (const xmlChar *)"input",
	    (const xmlChar *)coverage_names[i]);
	if (server != NULL)
		xmlSetProp(e, (const xmlChar *)"server",
		    (const xmlChar *)server);
	if (object != NULL)
		xmlSetProp(e, (const xmlChar *)"object",
		    (const xmlChar *)object);
}

/* The gaps of input i on server s; returns how many were added. */
static size_t
coverage_server_gaps(const struct coverage_server *s, int i,
    xmlNodePtr parent, xmlNsPtr ns)
{
	char text[512];
	xmlNodePtr c;
	size_t n = 0;

	if (coverage_server_has(s, i))
		return 0;
	if (i == COVERAGE_CONNECTORS && s->conf_unreadable > 0) {
		for (c = s->node->children; c != NULL; c = c->next) {
			if (!coverage_is(c, "receive-connector") ||
			    !coverage_conf_unreadable(c))
				continue;
			snprintf(text, sizeof(text), "needs the configuration "
			    "of %s (%s)", xml_attr(c, "identity") ?
			    xml_attr(c, "identity") : "?",
			    xml_attr(c, "configuration-error") ?
			    xml_attr(c, "configuration-error") :
			    "a value was unreadable");
			coverage_gap(parent, ns, "not-checked", i, s->name,
			    xml_attr(c, "identity"), text);
			n++;
		}
		if (s->configured + s->conf_unreadable == s->connectors)
			return n;
	}
	if (i == COVERAGE_PERMISSIONS && s->unreadable > 0) {
		for (c = s->node->children; c != NULL; c = c->next) {
			if (!coverage_is(c, "receive-connector") ||
			    !coverage_unreadable(c))
				continue;
			snprintf(text, sizeof(text), "needs the permission "
			    "entries of %s (security descriptor %s%s%.300s)",
			    xml_attr(c, "identity") ? xml_attr(c, "identity") :
			    "?", coverage_permission_state(c),
			    xml_attr(c, "permissions-error") ? ": " : "",
			    xml_attr(c, "permissions-error") ?
			    xml_attr(c, "permissions-error") : "");
			coverage_gap(parent, ns, "not-checked", i, s->name,
			    xml_attr(c, "identity"), text);
			n++;
		}
		if (s->permissions + s->unreadable == s->connectors)
			return n;
	}
	if ((i == COVERAGE_CONNECTORS || i == COVERAGE_PERMISSIONS) &&
	    s->connectors > 0 && (i == COVERAGE_CONNECTORS ?
	    s->configured + s->conf_unreadable : s->permissions +
	    s->unreadable) > 0)
		snprintf(text, sizeof(text), "needs %s for %s (%lu of %lu "
		    "connectors)", coverage_sources[i], s->name,
		    s->connectors - (i == COVERAGE_CONNECTORS ?
		    s->configured + s->conf_unreadable : s->permissions +
		    s->unreadable),
		    s->connectors);
	else
		snprintf(text, sizeof(text), "needs %s for %s",
		    coverage_sources[i], s->name);
	coverage_gap(parent, ns, "not-checked", i, s->name, NULL, text);
	return n + 1;
}

size_t
coverage_add_gaps(const struct coverage *cov, unsigned needs,
    xmlNodePtr parent, xmlNsPtr ns)
{
	char text[256];
	size_t k, n = 0;
	int i;

	for (i = 0; i < COVERAGE_INPUT_COUNT; i++) {
		if (!(needs & (1u << i)) || coverage_global_has(cov, i))
			continue;
		if (i == COVERAGE_ACCEPTED_DOMAINS || i == COVERAGE_PROBES ||
		    cov->nservers == 0) {
			snprintf(text, sizeof(text), "needs %s",
			    coverage_sources[i]);
			coverage_gap(parent, ns, "not-checked", i, NULL, NULL,
			    text);
			n++;
			continue;
		}
		for (k = 0; k < cov->nservers; k++)
			n += coverage_server_gaps(&cov->servers[k], i, parent,
			    ns);
	}
	return n;
}

static void
coverage_count(xmlNodePtr parent, xmlNsPtr ns, int i, unsigned long have,
    unsigned long missing, unsigned long unreadable)
{
	xmlNodePtr e = xmlNewChild(parent, ns, (const xmlChar *)"input",
	    NULL);
	char num[32];

	xmlSetProp(e, (const xmlChar *)"kind",
	    (const xmlChar *)coverage_names[i]);
	snprintf(num, sizeof(num), "%lu", have);
	xmlSetProp(e, (const xmlChar *)"objects", (const xmlChar *)num);
	if (missing > 0) {
		snprintf(num, sizeof(num), "%lu", missing);
		xmlSetProp(e, (const xmlChar *)"missing",
		    (const xmlChar *)num);
	}
	if (unreadable > 0) {
		snprintf(num, sizeof(num), "%lu", unreadable);
		xmlSetProp(e, (const xmlChar *)"unreadable",
		    (const xmlChar *)num);
	}
}

/* <unreadable input= object= state=> for a connector of a server. */
static void
coverage_unreadable_element(xmlNodePtr se, xmlNsPtr ns, const char *input,
    xmlNodePtr conn, const char *state)
{
	xmlNodePtr u = xmlNewChild(se, ns, (const xmlChar *)"unreadable",
	    NULL);

	xmlSetProp(u, (const xmlChar *)"input", (const xmlChar *)input);
	xmlSetProp(u, (const xmlChar *)"object",
	    (const xmlChar *)xml_attr(conn, "identity"));
	xmlSetProp(u, (const xmlChar *)"state", (const xmlChar *)state);
}

void
coverage_add_element(const struct coverage *cov, xmlNodePtr parent,
    xmlNsPtr ns)
{
	xmlNodePtr e, se, c;
	size_t k;
	int i, complete = 1;

	e = xmlNewChild(parent, ns, (const xmlChar *)"coverage", NULL);
	coverage_count(e, ns, COVERAGE_ACCEPTED_DOMAINS, cov->domains, 0, 0);
	coverage_count(e, ns, COVERAGE_PROBES, cov->probes, 0, 0);
	for (k = 0; k < cov->nservers; k++) {
		const struct coverage_server *s = &cov->servers[k];

		se = xmlNewChild(e, ns, (const xmlChar *)"server", NULL);
		xmlSetProp(se, (const xmlChar *)"name",
		    (const xmlChar *)s->name);
		coverage_count(se, ns, COVERAGE_CONNECTORS, s->configured,
		    s->connectors - s->configured - s->conf_unreadable,
		    s->conf_unreadable);
		coverage_count(se, ns, COVERAGE_PERMISSIONS, s->permissions,
		    s->connectors - s->permissions - s->unreadable,
		    s->unreadable);
		coverage_count(se, ns, COVERAGE_SERVERS, (unsigned long)
		    s->object, (unsigned long)!s->object, 0);
		coverage_count(se, ns, COVERAGE_CERTIFICATES, s->certificates,
		    0, 0);
		for (c = s->node->children; c != NULL; c = c->next)
			if (coverage_is(c, "receive-connector") &&
			    coverage_conf_unreadable(c))
				coverage_unreadable_element(se, ns,
				    "connectors", c, xml_attr(c,
				    "configuration-error") ? xml_attr(c,
				    "configuration-error") : "unreadable");
		for (c = s->node->children; c != NULL; c = c->next)
			if (coverage_is(c, "receive-connector") &&
			    coverage_unreadable(c))
				coverage_unreadable_element(se, ns,
				    "permissions", c,
				    coverage_permission_state(c));
	}
	for (c = cov->root ? cov->root->children : NULL; c != NULL;
	    c = c->next) {
		xmlNodePtr sk;

		if (!coverage_is(c, "source") || xml_attr(c, "skipped") ==
		    NULL)
			continue;
		sk = xmlNewTextChild(e, ns, (const xmlChar *)"skipped",
		    (const xmlChar *)xml_attr(c, "skipped"));
		xmlSetProp(sk, (const xmlChar *)"location",
		    (const xmlChar *)xml_attr(c, "location"));
	}
	for (i = 0; i < COVERAGE_INPUT_COUNT; i++)
		if (i != COVERAGE_PROBES && !coverage_global_has(cov, i))
			complete = 0;
	xmlSetProp(e, (const xmlChar *)"complete",
	    (const xmlChar *)(complete ? "true" : "false"));
}

size_t
coverage_add_open_probes(const struct coverage *cov, xmlNodePtr parent,
    xmlNsPtr ns)
{
	char text[512];
	xmlNodePtr c;
	size_t n = 0;

	for (c = cov->root ? cov->root->children : NULL; c != NULL;
	    c = c->next) {
		const char *v, *why;

		if (!coverage_is(c, "probe"))
			continue;
		v = xml_attr(c, "relay");
		if (v != NULL && (strcmp(v, "refused") == 0 ||
		    strcmp(v, "accepted") == 0 ||
		    strcmp(v, "data-accepted") == 0))
			continue;
		why = xml_attr(c, "reason");
		snprintf(text, sizeof(text), "the probe of %s:%s could not "
		    "tell (relay verdict %s%s%s)",
		    xml_attr(c, "target") ? xml_attr(c, "target") : "?",
		    xml_attr(c, "port") ? xml_attr(c, "port") : "?",
		    v != NULL ? v : "absent", why != NULL ? ": " : "",
		    why != NULL ? why : "");
		coverage_gap(parent, ns, "missing", COVERAGE_PROBES, NULL,
		    NULL, text);
		n++;
	}
	return n;
}
