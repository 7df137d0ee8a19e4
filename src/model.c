/*
 * model.c - the topology model (see model.h and docs/model.md).
 *
 * The model is an XML document in urn:mxbpa:model:1.  Collectors add to
 * it through the calls below; nothing here knows where values came from.
 *
 * SPDX-License-Identifier: ISC
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/hash.h>
#include <libxml/tree.h>

#include "bounds.h"
#include "datadir.h"
#include "effrights.h"
#include "err.h"
#include "iprange.h"
#include "log.h"
#include "model.h"
#include "principal.h"
#include "util.h"
#include "xml.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

static int	model_has_child(xmlNodePtr, const char *, const char *,
		    const char *);

struct model {
	xmlDocPtr	doc;
	xmlNodePtr	root;
	xmlNsPtr	ns;
	xmlHashTablePtr	index;		/* see model_index_sync */
	xmlHashTablePtr	cursors;	/* parent -> struct model_cursor */
	xmlHashTablePtr	claims;		/* see model_merge_claims */
	char		*origin;	/* the file a loaded model came from */
};

/* Which input stated one part of one connector (model_merge_claims). */
struct model_claim {
	char		*source;	/* location of the input */
	char		*sha256;	/* its digest, or NULL */
};

/* The last child of a parent that the index has seen; elements seen. */
struct model_cursor {
	xmlNodePtr	last;
	unsigned long	elements;
};

/* Canonical order of a connector's and a server's children. */
static const char *const model_child_order[] = {
	"address", "binding", "remote-ip-range", "relay-ip-range",
	"permission-group",
	"auth-mechanism", "ace", "security-descriptor", "effective", "setting",
	"receive-connector", "smtp-virtual-server", "load-balancer", NULL
};


static xmlNodePtr
model_new_child(struct model *m, xmlNodePtr parent, const char *name)
{
	return xmlNewChild(parent, m->ns, (const xmlChar *)name, NULL);
}

static int
model_is(xmlNodePtr node, const char *name)
{
	return node != NULL && node->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)node->name, name) == 0;
}

/* The struct model owning a node: stored in the document's _private. */
static struct model *
model_of(xmlNodePtr node)
{
	return node != NULL && node->doc != NULL ? node->doc->_private : NULL;
}

/*
 * Lookups by name go through an index beside the document, so that
 * adding N connectors to a server, or N binding addresses, is not
 * quadratic.  m->index maps (parent, element, "attr=value") to the first
 * such child in document order: "name=" with the name folded to lower
 * case (names compare with strcasecmp, in the C locale), or an
 * <address>'s "ip=" as is.  A parent is indexed at its first lookup, and
 * the children appended since the last lookup (by a merge, by ad.c) at
 * the next one, from its cursor.  Nodes are never removed from a model
 * while it lives; model_normalize reorders children and drops the index.
 */
static char *
model_index_key(const char *attr, const char *value)
{
	size_t a = strlen(attr), n = strlen(value), i;
	char *k = xmalloc(a + n + 2);

	memcpy(k, attr, a);
	k[a] = '=';
	memcpy(k + a + 1, value, n + 1);
	if (strcmp(attr, "name") == 0)
		for (i = a + 1; i < a + 1 + n; i++)
			k[i] = (char)tolower((unsigned char)k[i]);
	return k;
}

static void
model_index_put(struct model *m, const char *pkey, xmlNodePtr c,
    const char *attr, const char *value)
{
	char *k;

	if (value == NULL)
		return;
	k = model_index_key(attr, value);
	/* Fails when the key is there: the first child in order stays. */
	xmlHashAddEntry3(m->index, (const xmlChar *)pkey, c->name,
	    (const xmlChar *)k, c);
	free(k);
}

/* A remote range's key: "first last" (a space is in no address). */
static char *
model_range_key(const char *first, const char *last)
{
	size_t f = strlen(first), l = strlen(last);
	char *k = xmalloc(f + l + 2);

	memcpy(k, first, f);
	k[f] = ' ';
	memcpy(k + f + 1, last, l + 1);
	return k;
}

static void
model_index_add(struct model *m, const char *pkey, xmlNodePtr c)
{
	const char *f, *l;
	char *k;

	model_index_put(m, pkey, c, "name", xml_attr(c, "name"));
	if (model_is(c, "address"))
		model_index_put(m, pkey, c, "ip", xml_attr(c, "ip"));
	else if (model_is(c, "binding"))
		model_index_put(m, pkey, c, "text", xml_attr(c, "text"));
	else if (model_is(c, "remote-ip-range") &&
	    (f = xml_attr(c, "first")) != NULL &&
	    (l = xml_attr(c, "last")) != NULL) {
		k = model_range_key(f, l);
		model_index_put(m, pkey, c, "range", k);
		free(k);
	}
}

static void
model_index_cursor_free(void *payload, const xmlChar *name)
{
	(void)name;
	free(payload);
}

static void
model_index_drop(struct model *m)
{
	xmlHashFree(m->index, NULL);
	xmlHashFree(m->cursors, model_index_cursor_free);
	m->index = NULL;
	m->cursors = NULL;
}

/*
 * Index the children of parent not seen yet; pkey gets its key.
 * Returns the parent's cursor.
 */
static struct model_cursor *
model_index_sync(struct model *m, xmlNodePtr parent, char *pkey,
    size_t size)
{
	struct model_cursor *cur;
	xmlNodePtr c;

	if (m->index == NULL) {
		m->index = xmlHashCreate(256);
		m->cursors = xmlHashCreate(64);
		if (m->index == NULL || m->cursors == NULL)
			util_oom();
	}
	snprintf(pkey, size, "%p", (void *)parent);
	cur = xmlHashLookup(m->cursors, (const xmlChar *)pkey);
	if (cur == NULL) {
		cur = xcalloc(1, sizeof(*cur));
		if (xmlHashAddEntry(m->cursors, (const xmlChar *)pkey,
		    cur) != 0)
			util_oom();
	} else if (cur->last == parent->last)
		return cur;
	c = cur->last != NULL ? cur->last->next : parent->children;
	for (; c != NULL; c = c->next) {
		cur->last = c;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		cur->elements++;
		model_index_add(m, pkey, c);
	}
	return cur;
}

/* The first child <element attr="value"> of parent, or NULL. */
static xmlNodePtr
model_find(xmlNodePtr parent, const char *element, const char *attr,
    const char *value)
{
	struct model *m = model_of(parent);
	char pkey[32], *k;
	xmlNodePtr found;

	if (m == NULL)
		return NULL;
	model_index_sync(m, parent, pkey, sizeof(pkey));
	k = model_index_key(attr, value);
	found = xmlHashLookup3(m->index, (const xmlChar *)pkey,
	    (const xmlChar *)element, (const xmlChar *)k);
	free(k);
	return found;
}

struct model *
model_new(void)
{
	struct model *m = xcalloc(1, sizeof(*m));
	char now[32];

	m->doc = xmlNewDoc((const xmlChar *)"1.0");
	m->root = xmlNewDocNode(m->doc, NULL, (const xmlChar *)"topology",
	    NULL);
	xmlDocSetRootElement(m->doc, m->root);
	m->ns = xmlNewNs(m->root, (const xmlChar *)MODEL_NS, NULL);
	xmlSetNs(m->root, m->ns);
	util_timestamp(now);
	model_set(m->root, "version", MODEL_VERSION);
	model_set(m->root, "collected", now);
	model_set(m->root, "generator", "mxbpa " PACKAGE_VERSION);
	m->doc->_private = m;
	return m;
}

static void
model_claim_free(void *payload, const xmlChar *name)
{
	struct model_claim *cl = payload;

	(void)name;
	free(cl->source);
	free(cl->sha256);
	free(cl);
}

void
model_free(struct model *m)
{
	if (m == NULL)
		return;
	model_index_drop(m);
	xmlHashFree(m->claims, model_claim_free);
	free(m->origin);
	xmlFreeDoc(m->doc);
	free(m);
}

xmlDocPtr
model_doc(struct model *m)
{
	return m->doc;
}

void
model_set(xmlNodePtr node, const char *name, const char *value)
{
	if (node == NULL || value == NULL)
		return;
	xmlSetProp(node, (const xmlChar *)name, (const xmlChar *)value);
}

/* Insert a <source> after the last one, before everything else. */
static void
model_insert_source(struct model *m, xmlNodePtr src)
{
	xmlNodePtr last = NULL, c;

	for (c = m->root->children; c != NULL; c = c->next)
		if (model_is(c, "source"))
			last = c;
	if (last != NULL)
		xmlAddNextSibling(last, src);
	else if (m->root->children != NULL)
		xmlAddPrevSibling(m->root->children, src);
	else
		xmlAddChild(m->root, src);
}

xmlNodePtr
model_add_source(struct model *m, const char *kind, const char *location,
    const char *sha256)
{
	xmlNodePtr src;

	src = xmlNewDocNode(m->doc, m->ns, (const xmlChar *)"source", NULL);
	model_insert_source(m, src);
	model_set(src, "kind", kind);
	model_set(src, "location", location);
	model_set(src, "sha256", sha256);
	return src;
}

xmlNodePtr
model_organization(struct model *m, const char *name)
{
	xmlNodePtr c, org = NULL;

	for (c = m->root->children; c != NULL; c = c->next)
		if (model_is(c, "organization"))
			org = c;
	if (org == NULL) {
		/* Schema order: sources, the organization, then probes. */
		org = xmlNewDocNode(m->doc, m->ns,
		    (const xmlChar *)"organization", NULL);
		for (c = m->root->children; c != NULL; c = c->next)
			if (model_is(c, "probe"))
				break;
		if (c != NULL)
			xmlAddPrevSibling(c, org);
		else
			xmlAddChild(m->root, org);
	}
	if (name != NULL && name[0] != '\0' && xml_attr(org, "name") == NULL)
		model_set(org, "name", name);
	return org;
}

/* The child <element name="name"> of parent, created when absent. */
static xmlNodePtr
model_find_or_add(struct model *m, xmlNodePtr parent, const char *element,
    const char *name, int *created)
{
	xmlNodePtr e = model_find(parent, element, "name", name);

	*created = e == NULL;
	if (e == NULL) {
		e = model_new_child(m, parent, element);
		model_set(e, "name", name);
	}
	return e;
}

xmlNodePtr
model_server(struct model *m, const char *name)
{
	int created;

	return model_find_or_add(m, model_organization(m, NULL), "server",
	    name, &created);
}

xmlNodePtr
model_connector(struct model *m, const char *server, const char *name)
{
	xmlNodePtr s = model_server(m, server), c;
	char identity[2 * NAME_MAX_LEN + 2];
	int created;

	c = model_find_or_add(m, s, "receive-connector", name, &created);
	if (created) {
		snprintf(identity, sizeof(identity), "%s\\%s",
		    xml_attr(s, "name"), name);
		model_set(c, "identity", identity);
	}
	return c;
}

xmlNodePtr
model_accepted_domain(struct model *m, const char *name)
{
	int created;

	return model_find_or_add(m, model_organization(m, NULL),
	    "accepted-domain", name, &created);
}

int
model_add_load_balancer(struct model *m, const char *address,
    struct mx_err *err)
{
	char canon[IPRANGE_ADDR_TEXT];
	struct ip_addr a;
	xmlNodePtr org;

	if (iprange_addr_parse(address, &a, err, "--load-balancer") == -1)
		return -1;
	iprange_addr_format(&a, canon);
	org = model_organization(m, NULL);
	if (!model_has_child(org, "load-balancer", "address", canon))
		model_set(model_new_child(m, org, "load-balancer"), "address",
		    canon);
	return 0;
}

/* Is there a child element with exactly these attribute values? */
static int
model_has_child(xmlNodePtr parent, const char *element, const char *attr,
    const char *value)
{
	xmlNodePtr c;

	for (c = parent->children; c != NULL; c = c->next) {
		const char *v;

		if (!model_is(c, element))
			continue;
		v = xml_attr(c, attr);
		if (v != NULL && strcmp(v, value) == 0)
			return 1;
	}
	return 0;
}

/*
 * Refuse a connector's binding or range beyond MODEL_CONNECTOR_ITEMS_MAX
 * (its element children, counted by the index).
 */
static int
model_room(xmlNodePtr conn, struct mx_err *err, const char *where)
{
	struct model *m = model_of(conn);
	char pkey[32];

	if (m != NULL && model_index_sync(m, conn, pkey,
	    sizeof(pkey))->elements >= MODEL_CONNECTOR_ITEMS_MAX)
		return mx_err_set(err, MX_ERR_LIMIT, where,
		    "connector \"%s\" has more than %d bindings and ranges "
		    "(MODEL_CONNECTOR_ITEMS_MAX)", xml_attr(conn, "identity"),
		    MODEL_CONNECTOR_ITEMS_MAX);
	return 0;
}

static void
model_note_server_address(xmlNodePtr conn, const struct ip_addr *addr,
    const char *text)
{
	static const uint8_t zero[16];
	xmlNodePtr server = conn->parent, a;
	struct model *m = model_of(conn);

	if (m == NULL || !model_is(server, "server"))
		return;
	if (memcmp(addr->bytes, zero, sizeof(zero)) == 0)
		return;		/* 0.0.0.0 and :: mean every address */
	if (model_find(server, "address", "ip", text) != NULL)
		return;
	a = xmlNewDocNode(m->doc, m->ns, (const xmlChar *)"address", NULL);
	model_set(a, "ip", text);
	model_set(a, "origin", "binding");
	xmlAddChild(server, a);
}

int
model_add_binding(xmlNodePtr conn, const char *text, struct mx_err *err,
    const char *where)
{
	char addrbuf[IPRANGE_TEXT_MAX], canon[IPRANGE_ADDR_TEXT];
	char out[IPRANGE_ADDR_TEXT + 16], portbuf[8];
	const char *colon, *port;
	struct ip_addr addr;
	struct model *m = model_of(conn);
	uint32_t portnum;
	xmlNodePtr b;
	size_t alen;

	if (m == NULL)
		return mx_err_set(err, MX_ERR_INTERNAL, where, "no model");
	if (model_room(conn, err, where) == -1)
		return -1;
	if (strlen(text) >= sizeof(addrbuf))
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "binding too long: \"%.40s...\"", text);
	if (text[0] == '[') {
		colon = strchr(text, ']');
		if (colon == NULL || colon[1] != ':')
			return mx_err_set(err, MX_ERR_INPUT, where,
			    "binding is not [address]:port: \"%s\"", text);
		alen = (size_t)(colon - text - 1);
		memcpy(addrbuf, text + 1, alen);
		port = colon + 2;
	} else {
		colon = strrchr(text, ':');
		if (colon == NULL || strchr(text, ':') != colon)
			return mx_err_set(err, MX_ERR_INPUT, where,
			    "binding is not address:port: \"%s\"", text);
		alen = (size_t)(colon - text);
		memcpy(addrbuf, text, alen);
		port = colon + 1;
	}
	addrbuf[alen] = '\0';
	if (iprange_addr_parse(addrbuf, &addr, err, where) == -1)
		return -1;
	if (parse_u32(port, 65535, &portnum, err, where) == -1)
		return -1;
	iprange_addr_format(&addr, canon);
	snprintf(portbuf, sizeof(portbuf), "%u", portnum);
	if (addr.family == IPRANGE_V6)
		snprintf(out, sizeof(out), "[%s]:%s", canon, portbuf);
	else
		snprintf(out, sizeof(out), "%s:%s", canon, portbuf);
	if (model_find(conn, "binding", "text", out) == NULL) {
		b = model_new_child(m, conn, "binding");
		model_set(b, "text", out);
		model_set(b, "address", canon);
		model_set(b, "port", portbuf);
		model_set(b, "family", addr.family == IPRANGE_V6 ?
		    "ipv6" : "ipv4");
	}
	model_note_server_address(conn, &addr, canon);
	return 0;
}

int
model_add_remote_range(xmlNodePtr conn, const char *text,
    struct mx_err *err, const char *where)
{
	char first[IPRANGE_ADDR_TEXT], last[IPRANGE_ADDR_TEXT];
	struct model *m = model_of(conn);
	struct ip_range r;
	xmlNodePtr e, c;
	char *key;

	if (m == NULL)
		return mx_err_set(err, MX_ERR_INTERNAL, where, "no model");
	if (model_room(conn, err, where) == -1)
		return -1;
	if (iprange_parse(text, &r, err, where) == -1)
		return -1;
	iprange_addr_format(&r.first, first);
	iprange_addr_format(&r.last, last);
	key = model_range_key(first, last);
	c = model_find(conn, "remote-ip-range", "range", key);
	free(key);
	if (c != NULL)
		return 0;
	e = model_new_child(m, conn, "remote-ip-range");
	model_set(e, "text", text);
	model_set(e, "first", first);
	model_set(e, "last", last);
	model_set(e, "family", r.first.family == IPRANGE_V6 ? "ipv6" : "ipv4");
	return 0;
}

void
model_add_names(xmlNodePtr conn, const char *kind, const char *list)
{
	struct model *m = model_of(conn);
	char item[NAME_MAX_LEN];
	const char *p = list, *end;
	size_t len;

	if (m == NULL || list == NULL)
		return;
	while (*p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		end = p;
		while (*end != '\0' && *end != ',')
			end++;
		len = (size_t)(end - p);
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (len > 0 && len < sizeof(item)) {
			memcpy(item, p, len);
			item[len] = '\0';
			if (strcmp(item, "None") != 0 &&
			    !model_has_child(conn, kind, "name", item))
				model_set(model_new_child(m, conn, kind),
				    "name", item);
		}
		p = end;
	}
}

const char *
model_well_known_sid(const char *principal)
{
	return principal_sid(principal);
}

xmlNodePtr
model_add_ace(xmlNodePtr conn, const struct model_ace *ace)
{
	struct model *m = model_of(conn);
	const char *sid = ace->sid;
	xmlNodePtr e;

	if (m == NULL)
		return NULL;
	if (sid == NULL)
		sid = model_well_known_sid(ace->principal);
	if (sid == NULL && ace->principal != NULL &&
	    strncmp(ace->principal, "S-1-", 4) == 0)
		sid = ace->principal;
	e = model_new_child(m, conn, "ace");
	model_set(e, "principal", ace->principal ? ace->principal : "");
	model_set(e, "sid", sid);
	model_set(e, "type", ace->deny ? "deny" : "allow");
	model_set(e, "right", ace->right);
	model_set(e, "access", ace->access);
	model_set(e, "inherited", ace->inherited ? "true" : "false");
	model_set(e, "inheritance", ace->inheritance);
	if (ace->inherit_only)
		model_set(e, "inherit-only", "true");
	model_set(e, "object-type", ace->object_type);
	model_set(e, "inherited-object-type", ace->inherited_object_type);
	return e;
}

void
model_add_setting(xmlNodePtr conn, const char *name, const char *value)
{
	struct model *m = model_of(conn);
	xmlNodePtr e;

	if (m == NULL || name == NULL || value == NULL)
		return;
	e = model_new_child(m, conn, "setting");
	model_set(e, "name", name);
	model_set(e, "value", value);
}

const struct model_flag model_permission_groups[] = {
	{ 1, "AnonymousUsers" }, { 2, "ExchangeUsers" },
	{ 4, "ExchangeServers" }, { 8, "ExchangeLegacyServers" },
	{ 16, "Partners" }, { 32, "Custom" }, { 0, NULL }
};

const struct model_flag model_auth_mechanisms[] = {
	{ 1, "Tls" }, { 2, "Integrated" }, { 4, "BasicAuth" },
	{ 8, "BasicAuthRequireTLS" }, { 16, "ExchangeServer" },
	{ 32, "ExternalAuthoritative" }, { 0, NULL }
};

const struct model_flag model_server_roles[] = {
	{ 1, "Cafe" }, { 2, "Mailbox" }, { 4, "ClientAccess" },
	{ 16, "UnifiedMessaging" }, { 32, "HubTransport" }, { 64, "Edge" },
	{ 128, "Monitoring" }, { 256, "CentralAdmin" },
	{ 512, "CentralAdminDatabase" }, { 1024, "DomainController" },
	{ 2048, "WindowsDeploymentServer" }, { 4096, "ProvisionedServer" },
	{ 8192, "LanguagePacks" }, { 16384, "FrontendTransport" },
	{ 32768, "CafeArray" }, { 65536, "FfoWebService" },
	{ 131072, "OSP" }, { 262144, "ARR" },
	{ 524288, "ManagementFrontEnd" }, { 1048576, "ManagementBackEnd" },
	{ 2097152, "SCOM" }, { 4194304, "CentralAdminFrontEnd" },
	{ 8388608, "NAT" }, { 16777216, "DHCP" }, { 0, NULL }
};

int
model_flags_text(uint32_t bits, const struct model_flag *t, char *out,
    size_t size)
{
	size_t len = 0;
	int n;

	out[0] = '\0';
	for (; t->name != NULL; t++) {
		if (!(bits & t->bit))
			continue;
		bits &= ~t->bit;
		n = snprintf(out + len, size - len, "%s%s", len ? ", " : "",
		    t->name);
		if (n < 0 || (size_t)n >= size - len)
			return -1;
		len += (size_t)n;
	}
	if (bits != 0) {
		snprintf(out + len, size - len, "%s0x%x", len ? ", " : "",
		    (unsigned)bits);
		return -1;
	}
	return 0;
}

/* --- canonical order --------------------------------------------------- */

struct model_sort_item {
	xmlNodePtr	node;
	int		rank;
	const char	*key;
	size_t		index;
};

static int
model_rank(xmlNodePtr node)
{
	int i;

	for (i = 0; model_child_order[i] != NULL; i++)
		if (model_is(node, model_child_order[i]))
			return i;
	return i;
}

static int
model_sort_cmp(const void *a, const void *b)
{
	const struct model_sort_item *x = a, *y = b;
	int c;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->key != NULL && y->key != NULL) {
		c = strcasecmp(x->key, y->key);
		if (c == 0)
			c = strcmp(x->key, y->key);
		if (c != 0)
			return c;
	}
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Sort the element children of parent.  Named children (servers,
 * connectors, domains) sort by name when by_name is set; the others keep
 * their relative order within their kind.
 */
static void
model_sort_children(xmlNodePtr parent, int by_name)
{
	struct model_sort_item *items;
	size_t n = 0, i;
	xmlNodePtr c, next;

	for (c = parent->children; c != NULL; c = c->next)
		n++;
	if (n < 2)
		return;
	items = xcalloc(n, sizeof(*items));
	for (i = 0, c = parent->children; c != NULL; c = c->next, i++) {
		items[i].node = c;
		items[i].rank = model_rank(c);
		items[i].key = by_name ? xml_attr(c, "name") : NULL;
		if (model_is(c, "address"))
			items[i].key = xml_attr(c, "ip");
		if (model_is(c, "load-balancer"))
			items[i].key = xml_attr(c, "address");
		items[i].index = i;
	}
	qsort(items, n, sizeof(*items), model_sort_cmp);
	for (c = parent->children; c != NULL; c = next) {
		next = c->next;
		xmlUnlinkNode(c);
	}
	for (i = 0; i < n; i++)
		xmlAddChild(parent, items[i].node);
	free(items);
}

void
model_derive(struct model *m)
{
	model_index_drop(m);		/* derived elements are replaced */
	effrights_derive(m->root);
}

void
model_normalize(struct model *m)
{
	xmlNodePtr org = NULL, s, c;

	model_derive(m);		/* derived facts, never trusted */
	for (c = m->root->children; c != NULL; c = c->next)
		if (model_is(c, "organization"))
			org = c;
	if (org == NULL)
		return;
	model_sort_children(org, 1);
	for (s = org->children; s != NULL; s = s->next) {
		if (!model_is(s, "server"))
			continue;
		model_sort_children(s, 1);
		for (c = s->children; c != NULL; c = c->next)
			if (model_is(c, "receive-connector"))
				model_sort_children(c, 0);
	}
}

/* --- validation, files ------------------------------------------------- */

int
model_validate(struct model *m, const char *name, struct mx_err *err)
{
	return xml_check(m->doc, "model.rng", name, err);
}

int
model_write(struct model *m, const char *path, struct mx_err *err)
{
	model_normalize(m);
	if (model_validate(m, path, err) == -1)
		return -1;
	return xml_write(m->doc, path, err);
}

struct model *
model_from_doc(xmlDocPtr doc, const char *name, struct mx_err *err)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	struct model *m;

	if (root == NULL || root->ns == NULL ||
	    strcmp((const char *)root->ns->href, MODEL_NS) != 0 ||
	    strcmp((const char *)root->name, "topology") != 0) {
		mx_err_set(err, MX_ERR_INPUT, name,
		    "not an mxbpa model (root is <%s>%s%s)",
		    root ? (const char *)root->name : "",
		    root && root->ns ? " in " : "",
		    root && root->ns ? (const char *)root->ns->href : "");
		xmlFreeDoc(doc);
		return NULL;
	}
	m = xcalloc(1, sizeof(*m));
	m->doc = doc;
	m->root = root;
	m->ns = root->ns;
	m->origin = name != NULL ? xstrdup(name) : NULL;
	doc->_private = m;
	if (model_validate(m, name, err) == -1) {
		model_free(m);
		return NULL;
	}
	/* A loaded model's derived facts are recomputed, never trusted. */
	effrights_derive(m->root);
	return m;
}

struct model *
model_load(const char *path, struct mx_err *err)
{
	xmlDocPtr doc;

	doc = xml_parse_file(path, MODEL_FILE_MAX, 0, err);
	if (doc == NULL)
		return NULL;
	return model_from_doc(doc, path, err);
}

/* --- merge ------------------------------------------------------------- */

/* Elements matched by name when merging; the others by equal content. */
static int
model_keyed(xmlNodePtr node)
{
	return model_is(node, "server") ||
	    model_is(node, "receive-connector") ||
	    model_is(node, "accepted-domain");
}

static void model_merge_element(struct model *, xmlNodePtr, xmlNodePtr);

static int
model_attr_qcmp(const void *a, const void *b)
{
	return strcmp((const char *)(*(xmlAttrPtr const *)a)->name,
	    (const char *)(*(xmlAttrPtr const *)b)->name);
}

/*
 * The key a child is matched by when merging: its element name and its
 * name for keyed elements (case folded), the organization alone, else its
 * element name and all its attributes in name order (equal content).
 * Returns an allocated string.
 */
static char *
model_merge_key(xmlNodePtr n)
{
	xmlAttrPtr *attrs = NULL, p;
	size_t na = 0, len, i, off;
	const char *v;
	char *k;

	if (model_keyed(n) && xml_attr(n, "name") != NULL) {
		char *nk = model_index_key("name", xml_attr(n, "name"));

		len = strlen((const char *)n->name) + strlen(nk) + 2;
		k = xmalloc(len);
		snprintf(k, len, "%s\x1d%s", (const char *)n->name, nk);
		free(nk);
		return k;
	}
	for (p = n->properties; p != NULL; p = p->next)
		na++;
	attrs = xcalloc(na ? na : 1, sizeof(*attrs));
	len = strlen((const char *)n->name) + 2;
	for (na = 0, p = n->properties; p != NULL; p = p->next) {
		attrs[na++] = p;
		v = xml_attr(n, (const char *)p->name);
		len += strlen((const char *)p->name) + (v ? strlen(v) : 0) + 2;
	}
	if (na > 1)
		qsort(attrs, na, sizeof(*attrs), model_attr_qcmp);
	k = xmalloc(len + 1);
	off = (size_t)snprintf(k, len + 1, "%s\x1d", (const char *)n->name);
	for (i = 0; i < na; i++) {
		v = xml_attr(n, (const char *)attrs[i]->name);
		off += (size_t)snprintf(k + off, len + 1 - off, "%s\x1e%s\x1f",
		    (const char *)attrs[i]->name, v ? v : "");
	}
	free(attrs);
	return k;
}

/*
 * Merge child (of from) under parent (of into): a keyed element or the
 * organization into its match, an element with equal content nowhere,
 * anything else copied.  seen maps the keys of parent's children to
 * them, so that merging N children is not N^2 comparisons.
 */
static void
model_merge_child(struct model *into, xmlNodePtr parent, xmlNodePtr child,
    xmlHashTablePtr seen)
{
	xmlNodePtr c, copy;
	char *k;

	if (model_is(child, "organization")) {
		for (c = parent->children; c != NULL; c = c->next)
			if (model_is(c, "organization")) {
				model_merge_element(into, c, child);
				return;
			}
	}
	k = model_merge_key(child);
	if ((c = xmlHashLookup(seen, (const xmlChar *)k)) != NULL) {
		free(k);
		if (model_keyed(child))
			model_merge_element(into, c, child);
		return;
	}
	copy = xmlDocCopyNode(child, into->doc, 1);
	if (copy != NULL) {
		xml_tree_set_ns(copy, into->ns);
		xmlAddChild(parent, copy);
		xmlHashAddEntry(seen, (const xmlChar *)k, copy);
	}
	free(k);
}

static void
model_merge_element(struct model *into, xmlNodePtr dst, xmlNodePtr src)
{
	xmlHashTablePtr seen;
	xmlAttrPtr p;
	xmlNodePtr c;
	char *k;

	for (p = src->properties; p != NULL; p = p->next) {
		const char *name = (const char *)p->name;

		if (xml_attr(dst, name) == NULL)
			model_set(dst, name, xml_attr(src, name));
	}
	seen = xmlHashCreate(16);
	for (c = dst->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		k = model_merge_key(c);
		xmlHashAddEntry(seen, (const xmlChar *)k, c);	/* first wins */
		free(k);
	}
	for (c = src->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			model_merge_child(into, dst, c, seen);
	xmlHashFree(seen, NULL);
}

/*
 * Is a probe already in the model?  The same target, address, port and
 * start time: the same dialog, read twice (a model imported twice).
 */
static int
model_has_probe(struct model *m, xmlNodePtr probe)
{
	static const char *const keys[] = { "target", "address", "port",
	    "started" };
	xmlNodePtr c;
	size_t i;

	for (c = m->root->children; c != NULL; c = c->next) {
		if (!model_is(c, "probe"))
			continue;
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			const char *a = xml_attr(c, keys[i]);
			const char *b = xml_attr(probe, keys[i]);

			if ((a == NULL) != (b == NULL) ||
			    (a != NULL && strcmp(a, b) != 0))
				break;
		}
		if (i == sizeof(keys) / sizeof(keys[0]))
			return 1;
	}
	return 0;
}

/* --- one input per part of a connector ---------------------------------- */

/*
 * A connector's settings (Get-ReceiveConnector, or its directory entry)
 * and its permission entries (Get-ADPermission, or its descriptor) may
 * come from two inputs, but each of the two from one input only: two
 * exports of the same connector (an old one left beside the current one)
 * would otherwise be pooled, and an old deny or allow would decide the
 * verdict.  m->claims maps ("server\connector" in lower case, part) to
 * the input that stated it.
 */
enum model_part {
	MODEL_PART_SETTINGS,
	MODEL_PART_PERMISSIONS,
	MODEL_PART_COUNT
};

static const char *const model_part_name[MODEL_PART_COUNT] = {
	[MODEL_PART_SETTINGS] = "settings",
	[MODEL_PART_PERMISSIONS] = "permission entries",
};

/* Does the connector state this part? */
static int
model_states(xmlNodePtr conn, int part)
{
	const char *v;
	xmlNodePtr c;

	if (part == MODEL_PART_SETTINGS) {
		if (xml_attr(conn, "role") != NULL ||
		    xml_attr(conn, "enabled") != NULL)
			return 1;
		for (c = conn->children; c != NULL; c = c->next)
			if (model_is(c, "binding") ||
			    model_is(c, "remote-ip-range") ||
			    model_is(c, "auth-mechanism"))
				return 1;
		return 0;
	}
	/* A descriptor read without its DACL states no permission. */
	v = xml_attr(conn, "permissions");
	if (v != NULL && strcmp(v, "not-collected") != 0)
		return 1;
	for (c = conn->children; c != NULL; c = c->next) {
		if (model_is(c, "ace"))
			return 1;
		v = xml_attr(c, "dacl");
		if (model_is(c, "security-descriptor") &&
		    (v == NULL || strcmp(v, "absent") != 0))
			return 1;
	}
	return 0;
}

/* "server\connector" in lower case, for m->claims. */
static void
model_claim_key(xmlNodePtr server, xmlNodePtr conn, char *key, size_t size)
{
	size_t i;

	snprintf(key, size, "%s\\%s", xml_attr(server, "name") ?
	    xml_attr(server, "name") : "", xml_attr(conn, "name") ?
	    xml_attr(conn, "name") : "");
	for (i = 0; key[i] != '\0'; i++)
		key[i] = (char)tolower((unsigned char)key[i]);
}

/* The location and digest of the input a model to merge came from. */
static void
model_from_source(struct model *from, const char **loc, const char **sha)
{
	xmlNodePtr c;

	*loc = from->origin;
	*sha = NULL;
	for (c = from->root->children; c != NULL; c = c->next) {
		if (!model_is(c, "source"))
			continue;
		if (from->origin == NULL)
			*loc = xml_attr(c, "location");
		if (*loc != NULL && xml_attr(c, "location") != NULL &&
		    strcmp(*loc, xml_attr(c, "location")) == 0)
			*sha = xml_attr(c, "sha256");
	}
}

/* The connector of into that from's server/conn will merge with. */
static xmlNodePtr
model_merge_target(struct model *into, xmlNodePtr server, xmlNodePtr conn)
{
	xmlNodePtr org, s, c;

	for (org = into->root->children; org != NULL; org = org->next)
		if (model_is(org, "organization"))
			break;
	if (org == NULL || xml_attr(server, "name") == NULL ||
	    xml_attr(conn, "name") == NULL)
		return NULL;
	s = model_find(org, "server", "name", xml_attr(server, "name"));
	c = s != NULL ? model_find(s, "receive-connector", "name",
	    xml_attr(conn, "name")) : NULL;
	return c;
}

/*
 * Check (record = 0) or record (record = 1) the parts that each
 * connector of from states, as stated by the input loc.  Returns 0, or
 * -1 with MX_ERR_INPUT naming both inputs.
 */
static int
model_merge_claims(struct model *into, struct model *from, int record,
    struct mx_err *err)
{
	char key[2 * NAME_MAX_LEN + 4];
	const char *loc, *sha;
	struct model_claim *cl, mine;
	xmlNodePtr org, s, c, dst;
	int part;

	model_from_source(from, &loc, &sha);
	if (loc == NULL)
		return 0;
	if (into->claims == NULL)
		into->claims = xmlHashCreate(64);
	for (org = from->root->children; org != NULL; org = org->next) {
		if (!model_is(org, "organization"))
			continue;
		for (s = org->children; s != NULL; s = s->next) {
			if (!model_is(s, "server"))
				continue;
			for (c = s->children; c != NULL; c = c->next) {
				if (!model_is(c, "receive-connector"))
					continue;
				model_claim_key(s, c, key, sizeof(key));
				dst = model_merge_target(into, s, c);
				for (part = 0; part < MODEL_PART_COUNT; part++) {
					if (!model_states(c, part))
						continue;
					cl = xmlHashLookup2(into->claims,
					    (const xmlChar *)key, (const xmlChar *)
					    model_part_name[part]);
					if (cl == NULL && into->origin != NULL &&
					    dst != NULL && model_states(dst, part)) {
						mine.source = into->origin;
						mine.sha256 = NULL;
						cl = &mine;
					}
					if (record && cl == NULL) {
						cl = xcalloc(1, sizeof(*cl));
						cl->source = xstrdup(loc);
						cl->sha256 = sha ? xstrdup(sha) : NULL;
						xmlHashAddEntry2(into->claims,
						    (const xmlChar *)key,
						    (const xmlChar *)
						    model_part_name[part], cl);
						continue;
					}
					if (record || cl == NULL ||
					    strcmp(cl->source, loc) == 0 ||
					    (cl->sha256 != NULL && sha != NULL &&
					    strcmp(cl->sha256, sha) == 0))
						continue;
					return mx_err_set(err, MX_ERR_INPUT, loc,
					    "the %s of connector \"%s\" are "
					    "also in %s: mxbpa does not pool two "
					    "exports of one connector (an old "
					    "export beside the current one would "
					    "decide the verdict); import the "
					    "current export only, and move the "
					    "other one out of the directory",
					    model_part_name[part],
					    xml_attr(c, "identity") ?
					    xml_attr(c, "identity") : key,
					    cl->source);
				}
			}
		}
	}
	return 0;
}

int
model_merge(struct model *into, struct model *from, struct mx_err *err)
{
	xmlNodePtr c, copy;

	if (model_merge_claims(into, from, 0, err) == -1)
		return -1;
	for (c = from->root->children; c != NULL; c = c->next) {
		if (model_is(c, "organization")) {
			model_merge_element(into,
			    model_organization(into, NULL), c);
			continue;
		}
		if (!model_is(c, "source") && (!model_is(c, "probe") ||
		    model_has_probe(into, c)))
			continue;
		copy = xmlDocCopyNode(c, into->doc, 1);
		if (copy == NULL)
			return mx_err_set(err, MX_ERR_INTERNAL, NULL,
			    "cannot copy a model node");
		xml_tree_set_ns(copy, into->ns);
		if (model_is(c, "source"))
			model_insert_source(into, copy);
		else
			xmlAddChild(into->root, copy);	/* probes come last */
	}
	return model_merge_claims(into, from, 1, err);
}
