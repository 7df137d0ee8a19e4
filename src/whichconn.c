/*
 * whichconn.c - "mxbpa which-connector" (see whichconn.h and
 * docs/which-connector.md).
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "connsel.h"
#include "effrights.h"
#include "err.h"
#include "iprange.h"
#include "model.h"
#include "util.h"
#include "whichconn.h"
#include "xml.h"
#include "xpathfn.h"

/* "IP:PORT" or "[IPv6]:PORT" into an address and a port. */
static int
whichconn_parse_local(const char *text, struct ip_addr *a, unsigned *port,
    struct mx_err *err)
{
	char buf[IPRANGE_ADDR_TEXT + 8];
	const char *colon;
	uint32_t p;

	if (strlen(text) >= sizeof(buf) ||
	    (colon = strrchr(text, ':')) == NULL)
		return mx_err_set(err, MX_ERR_USAGE, "--local",
		    "\"%s\" is not IP:PORT ([IPv6]:PORT for IPv6)", text);
	memcpy(buf, text, (size_t)(colon - text));
	buf[colon - text] = '\0';
	if (strchr(buf, ':') != NULL && buf[0] != '[')
		return mx_err_set(err, MX_ERR_USAGE, "--local",
		    "write an IPv6 address in brackets: [%s]:PORT", buf);
	if (parse_u32(colon + 1, 65535, &p, err, "--local") == -1 || p == 0) {
		mx_err_init(err);
		return mx_err_set(err, MX_ERR_USAGE, "--local",
		    "invalid port \"%s\"", colon + 1);
	}
	*port = p;
	return iprange_addr_parse(buf, a, err, "--local");
}

static xmlNodePtr
whichconn_server(xmlNodePtr root, const char *name)
{
	xmlNodePtr o, s;

	for (o = root->children; o != NULL; o = o->next) {
		if (o->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)o->name, "organization") != 0)
			continue;
		for (s = o->children; s != NULL; s = s->next)
			if (s->type == XML_ELEMENT_NODE &&
			    strcmp((const char *)s->name, "server") == 0 &&
			    xml_attr(s, "name") != NULL &&
			    strcasecmp(xml_attr(s, "name"), name) == 0)
				return s;
	}
	return NULL;
}

static const char *
whichconn_yes(uint32_t bits, int right)
{
	return (bits & EFFRIGHTS_BIT(right)) ? "yes" : "no";
}

static void
whichconn_children(FILE *out, xmlNodePtr conn, const char *child,
    const char *attr)
{
	xmlNodePtr c;
	int n = 0;

	for (c = conn->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, child) == 0 &&
		    xml_attr(c, attr) != NULL)
			fprintf(out, "%s%s", n++ ? ", " : "", xml_attr(c, attr));
	if (n == 0)
		fputs("none", out);
}

/* The derived <effective> element of a client kind. */
static xmlNodePtr
whichconn_effective(xmlNodePtr conn, const char *who)
{
	xmlNodePtr c;

	for (c = conn->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, "effective") == 0 &&
		    xml_attr(c, "client") != NULL &&
		    strcmp(xml_attr(c, "client"), who) == 0)
			return c;
	return NULL;
}

static void
whichconn_rights(FILE *out, xmlNodePtr conn, const char *label,
    enum effrights_client who)
{
	xmlNodePtr e = whichconn_effective(conn,
	    effrights_client_names[who]), c;
	uint32_t r = effrights_of(conn, who);
	const char *v;
	int n = 0;

	fprintf(out, "  %s client: relay to any recipient %s, submit %s, "
	    "send as the organisation's domains %s, send as any address %s, "
	    "bypass anti-spam %s, bypass size limits %s\n", label,
	    whichconn_yes(r, EFFRIGHTS_ANY_RECIPIENT),
	    whichconn_yes(r, EFFRIGHTS_SUBMIT),
	    whichconn_yes(r, EFFRIGHTS_AUTH_DOMAIN_SENDER),
	    whichconn_yes(r, EFFRIGHTS_ANY_SENDER),
	    whichconn_yes(r, EFFRIGHTS_BYPASS_ANTISPAM),
	    whichconn_yes(r, EFFRIGHTS_BYPASS_SIZE));
	if (e == NULL)
		return;
	if ((v = xml_attr(e, "everyone-dependent")) != NULL &&
	    strcmp(v, "true") == 0)
		fprintf(out, "    (depends on an entry for Everyone, S-1-1-0, "
		    "counted for %s sessions)\n", label);
	for (c = e->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, "unknown-principal") == 0)
			fprintf(out, "%s%s", n++ ? ", " : "    (verdict "
			    "incomplete: unknown principal ",
			    xml_attr(c, "name") ? xml_attr(c, "name") : "?");
	if (n > 0)
		fputs(")\n", out);
}

/*
 * The first accepted domain of a relay type that makes every recipient
 * (or every one under a public suffix) the organisation's, or NULL.
 */
static xmlNodePtr
whichconn_wildcard_domain(xmlNodePtr server)
{
	xmlNodePtr org = server->parent, d;

	for (d = org != NULL ? org->children : NULL; d != NULL; d = d->next)
		if (d->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)d->name, "accepted-domain") == 0 &&
		    xpathfn_relay_wildcard(d) == 1)
			return d;
	return NULL;
}

static void
whichconn_describe(FILE *out, const struct connsel_choice *ch, size_t i)
{
	xmlNodePtr conn = ch->conn[i];
	const char *method = effrights_relay_method(conn);
	xmlNodePtr wild = whichconn_wildcard_domain(conn->parent);
	uint32_t anon = effrights_of(conn, EFFRIGHTS_ANONYMOUS);

	fprintf(out, "Connector: %s\n", xml_attr(conn, "identity"));
	fprintf(out, "  matched binding %s, remote range %s\n",
	    xml_attr(ch->binding[i], "text"), xml_attr(ch->range[i], "text"));
	fprintf(out, "  role %s; authentication ",
	    xml_attr(conn, "role") ? xml_attr(conn, "role") : "unknown");
	whichconn_children(out, conn, "auth-mechanism", "name");
	fprintf(out, "; permission groups ");
	whichconn_children(out, conn, "permission-group", "name");
	fprintf(out, "; RequireTLS %s\n", xml_attr(conn, "require-tls") ?
	    xml_attr(conn, "require-tls") : "false");
	fprintf(out, "  relay without authentication: %s\n",
	    method[0] != '\0' ? method : wild != NULL &&
	    (anon & EFFRIGHTS_BIT(EFFRIGHTS_SUBMIT)) ?
	    "through the accepted domain" : "no");
	/*
	 * An accepted domain "*" of a relay type makes every recipient the
	 * organisation's: submitting is enough to relay anywhere.
	 */
	if (wild != NULL)
		fprintf(out, "  accepted domain \"%s\" (%s): every recipient%s "
		    "counts as the organisation's, so a client that may "
		    "submit here relays to it (anonymous client: %s)\n",
		    xml_attr(wild, "name"), xml_attr(wild, "type"),
		    strcmp(xml_attr(wild, "name"), "*") == 0 ? "" :
		    " under that public suffix",
		    (anon & EFFRIGHTS_BIT(EFFRIGHTS_SUBMIT)) ? "relays" :
		    "may not submit");
	whichconn_rights(out, conn, "anonymous", EFFRIGHTS_ANONYMOUS);
	whichconn_rights(out, conn, "authenticated", EFFRIGHTS_AUTHENTICATED);
	if (strstr(method, "externally-secured") != NULL)
		whichconn_rights(out, conn, "externally secured",
		    EFFRIGHTS_EXTERNALLY_SECURED);
}

/*
 * An enabled connector of the server with a binding or remote range that
 * did not parse, which may listen on local:port (one of its bindings
 * matches, or a binding is the unreadable value, or a binding does not
 * parse): which connector answers cannot be told.  Returns the first such
 * connector, or NULL.
 */
static xmlNodePtr
whichconn_unreadable(xmlNodePtr srv, const struct ip_addr *la,
    unsigned port)
{
	struct mx_err err;
	const char *v;
	xmlNodePtr c;

	for (c = srv->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, "receive-connector") != 0 ||
		    (v = xml_attr(c, "configuration")) == NULL ||
		    strcmp(v, "unreadable") != 0 ||
		    ((v = xml_attr(c, "enabled")) != NULL &&
		    strcmp(v, "false") == 0))
			continue;
		v = xml_attr(c, "configuration-error");
		mx_err_init(&err);
		if ((v != NULL && strstr(v, "Binding") != NULL) ||
		    connsel_listens(c, la, port, &err) != 0)
			return c;
	}
	return NULL;
}

#define WHICHCONN_ROLES_MAX	4	/* FrontendTransport, HubTransport... */

/*
 * The transport roles of the enabled connectors listening on local:port
 * (connectors without a role left out), at most WHICHCONN_ROLES_MAX.
 * Their number, or (size_t)-1 with MX_ERR_INPUT.
 */
static size_t
whichconn_roles(xmlNodePtr srv, const struct ip_addr *local, unsigned port,
    const char *roles[WHICHCONN_ROLES_MAX], struct mx_err *err)
{
	xmlNodePtr c;
	const char *role, *en;
	size_t n = 0, k;
	int rank;

	for (c = srv->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name,
		    "receive-connector") != 0)
			continue;
		en = xml_attr(c, "enabled");
		if ((en != NULL && strcmp(en, "false") == 0) ||
		    (role = xml_attr(c, "role")) == NULL)
			continue;
		if ((rank = connsel_listens(c, local, port, err)) == -1)
			return (size_t)-1;
		if (rank == 0)
			continue;
		for (k = 0; k < n && strcmp(roles[k], role) != 0; k++)
			;
		if (k == n && n < WHICHCONN_ROLES_MAX)
			roles[n++] = role;
	}
	return n;
}

/*
 * Connectors of several transport roles listen on the address and port:
 * say so, then what each service would choose.  Returns 1 (no single
 * answer), or -1.
 */
static int
whichconn_conflict(FILE *out, xmlNodePtr srv, const char **roles,
    size_t nroles, const struct ip_addr *local, unsigned port,
    const struct ip_addr *remote, struct mx_err *err)
{
	struct connsel_choice ch;
	size_t r, i;

	fprintf(out, "Conflict: connectors of %zu transport roles (", nroles);
	for (r = 0; r < nroles; r++)
		fprintf(out, "%s%s", r ? ", " : "", roles[r]);
	fprintf(out, ") listen on this address and port; the services cannot "
	    "both listen: Exchange refuses the second binding, or the one "
	    "that starts first takes the connections. Which connector "
	    "answers is not determined (TOPO-004).\n");
	for (r = 0; r < nroles; r++) {
		if (connsel_select_role(srv, roles[r], local, port, remote, &ch,
		    err) == -1)
			return -1;
		fprintf(out, "If the %s service answers:\n", roles[r]);
		if (ch.n == 0)
			fprintf(out, "  no enabled connector of this role "
			    "accepts the connection\n");
		for (i = 0; i < ch.n; i++)
			whichconn_describe(out, &ch, i);
	}
	return 1;
}

int
whichconn_run(struct model *m, const char *server, const char *local,
    const char *remote, FILE *out, struct mx_err *err)
{
	struct connsel_choice ch;
	struct ip_addr la, ra;
	char ltext[IPRANGE_ADDR_TEXT], rtext[IPRANGE_ADDR_TEXT];
	xmlDocPtr work;
	xmlNodePtr srv, bad;
	unsigned port = 0;
	const char *roles[WHICHCONN_ROLES_MAX];
	size_t i, nroles;
	int rc = -1;

	if (whichconn_parse_local(local, &la, &port, err) == -1 ||
	    iprange_addr_parse(remote, &ra, err, "--remote") == -1)
		return -1;
	if (la.family != ra.family)
		return mx_err_set(err, MX_ERR_USAGE, NULL, "--local and "
		    "--remote must be of the same address family");
	/* Connector functions read the model without its namespace. */
	if ((work = xmlCopyDoc(model_doc(m), 1)) == NULL)
		return mx_err_set(err, MX_ERR_INTERNAL, NULL,
		    "cannot copy the model");
	xml_tree_set_ns(xmlDocGetRootElement(work), NULL);
	if ((srv = whichconn_server(xmlDocGetRootElement(work),
	    server)) == NULL) {
		mx_err_set(err, MX_ERR_USAGE, "--server",
		    "no server \"%s\" in the model", server);
		goto out;
	}
	if ((nroles = whichconn_roles(srv, &la, port, roles, err)) ==
	    (size_t)-1)
		goto out;
	iprange_addr_format(&la, ltext);
	iprange_addr_format(&ra, rtext);
	fprintf(out, "Server %s, connection to %s%s%s:%u from %s\n",
	    xml_attr(srv, "name"), la.family == IPRANGE_V6 ? "[" : "", ltext,
	    la.family == IPRANGE_V6 ? "]" : "", port, rtext);
	if (nroles > 1) {
		rc = whichconn_conflict(out, srv, roles, nroles, &la, port, &ra,
		    err);
		goto out;
	}
	if (connsel_select(srv, &la, port, &ra, &ch, err) == -1)
		goto out;
	if ((bad = whichconn_unreadable(srv, &la, port)) != NULL) {
		fprintf(out, "Undetermined: connector %s has an unreadable "
		    "binding or remote range (%s), so which connector answers "
		    "this client cannot be told.\n", xml_attr(bad, "identity"),
		    xml_attr(bad, "configuration-error") ?
		    xml_attr(bad, "configuration-error") : "unreadable");
		if (ch.n > 0)
			fprintf(out, "Among the values that were read:\n");
		for (i = 0; i < ch.n; i++)
			whichconn_describe(out, &ch, i);
		rc = 1;
		goto out;
	}
	if (ch.n == 0) {
		fprintf(out, "No enabled connector accepts this connection: "
		    "Exchange refuses it.\n");
		rc = 1;
		goto out;
	}
	if (ch.tied > 1)
		fprintf(out, "Ambiguous: %zu connectors match equally well "
		    "(same binding specificity, remote ranges of the same "
		    "size); Exchange's choice between them is not "
		    "documented.\n", ch.tied);
	for (i = 0; i < ch.n; i++)
		whichconn_describe(out, &ch, i);
	rc = ch.tied > 1 ? 1 : 0;
out:
	xmlFreeDoc(work);
	return rc;
}
