/*
 * test_connsel.c - connector selection (connsel.c) on small
 * namespace-free models written in the test; the rights are
 * test_effrights.c's.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "connsel.h"
#include "err.h"
#include "iprange.h"
#include "tap.h"

#define ANON	"principal=\"NT AUTHORITY\\ANONYMOUS LOGON\" sid=\"S-1-5-7\" "
#define ALL4	"<remote-ip-range text=\"0.0.0.0-255.255.255.255\" " \
		"first=\"0.0.0.0\" last=\"255.255.255.255\" family=\"ipv4\"/>"
#define ALL6	"<remote-ip-range text=\"::/0\" first=\"::\" " \
		"last=\"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff\" family=\"ipv6\"/>"
#define B(a, p, f) "<binding text=\"x\" address=\"" a "\" port=\"" p \
		"\" family=\"" f "\"/>"
#define R(t, a, b, f) "<remote-ip-range text=\"" t "\" first=\"" a \
		"\" last=\"" b "\" family=\"" f "\"/>"

static const char model[] =
    "<server name=\"EX01\">"
    "<receive-connector name=\"Default\" identity=\"EX01\\Default\">"
    B("0.0.0.0", "25", "ipv4") B("::", "25", "ipv6") ALL4 ALL6
    "<permission-group name=\"AnonymousUsers\"/></receive-connector>"
    "<receive-connector name=\"Relay\" identity=\"EX01\\Relay\">"
    B("0.0.0.0", "25", "ipv4")
    R("192.168.0.30", "192.168.0.30", "192.168.0.30", "ipv4")
    "<permission-group name=\"AnonymousUsers\"/>"
    "<ace " ANON "type=\"allow\" right=\"ms-Exch-SMTP-Accept-Any-Recipient\" inherited=\"false\"/>"
    "</receive-connector>"
    "<receive-connector name=\"V6\" identity=\"EX01\\V6\">"
    B("::", "25", "ipv6") R("2001:db8::/64", "2001:db8::",
    "2001:db8::ffff:ffff:ffff:ffff", "ipv6")
    "</receive-connector>"
    "<receive-connector name=\"Top\" identity=\"EX01\\Top\">"
    B("0.0.0.0", "26", "ipv4")
    R("255.255.255.0/24", "255.255.255.0", "255.255.255.255", "ipv4")
    "</receive-connector>"
    "<receive-connector name=\"Top2\" identity=\"EX01\\Top2\">"
    B("0.0.0.0", "26", "ipv4")
    R("255.255.255.0-255.255.255.255", "255.255.255.0", "255.255.255.255", "ipv4")
    "</receive-connector>"
    "<receive-connector name=\"Hidden\" identity=\"EX01\\Hidden\">"
    B("0.0.0.0", "26", "ipv4")
    R("255.255.255.7", "255.255.255.7", "255.255.255.7", "ipv4")
    "</receive-connector>"
    "<receive-connector name=\"Hider\" identity=\"EX01\\Hider\">"
    B("0.0.0.0", "26", "ipv4")
    R("255.255.255.7", "255.255.255.7", "255.255.255.7", "ipv4")
    R("255.255.255.9", "255.255.255.9", "255.255.255.9", "ipv4")
    "</receive-connector>"
    "<receive-connector name=\"Off\" identity=\"EX01\\Off\" enabled=\"false\">"
    B("0.0.0.0", "25", "ipv4")
    R("192.168.0.30", "192.168.0.30", "192.168.0.30", "ipv4")
    "</receive-connector>"
    "</server>";

static xmlNodePtr
conn(xmlNodePtr server, const char *name)
{
	xmlNodePtr c;

	for (c = server->children; c != NULL; c = c->next) {
		xmlChar *n = xmlGetProp(c, (const xmlChar *)"name");
		int match = n != NULL && strcmp((const char *)n, name) == 0;

		xmlFree(n);
		if (match)
			return c;
	}
	return NULL;
}

static const char *
chosen(xmlNodePtr server, const char *local, unsigned port,
    const char *remote, size_t *n)
{
	static char name[64];
	struct connsel_choice ch;
	struct ip_addr l, r;
	struct mx_err err;
	xmlChar *v;

	mx_err_init(&err);
	name[0] = '\0';
	*n = 0;
	if (iprange_addr_parse(local, &l, &err, NULL) == -1 ||
	    iprange_addr_parse(remote, &r, &err, NULL) == -1 ||
	    connsel_select(server, &l, port, &r, &ch, &err) == -1)
		return "error";
	*n = ch.tied;
	if (ch.n == 0)
		return "";
	v = xmlGetProp(ch.conn[0], (const xmlChar *)"name");
	snprintf(name, sizeof(name), "%s", v ? (const char *)v : "");
	xmlFree(v);
	return name;
}

int
main(void)
{
	xmlDocPtr doc = xmlReadMemory(model, (int)sizeof(model) - 1, "m",
	    NULL, 0);
	xmlNodePtr s, ties[CONNSEL_TIES_MAX];
	struct mx_err err;
	size_t n, nties;
	int reach;

	if (!tap_check(doc != NULL, "the test model parses"))
		return tap_done();
	s = xmlDocGetRootElement(doc);

	tap_check(strcmp(chosen(s, "10.1.1.1", 25, "192.168.0.30", &n),
	    "Relay") == 0 && n == 1, "192.168.0.30 gets the relay connector");
	tap_check(strcmp(chosen(s, "10.1.1.1", 25, "192.168.0.31", &n),
	    "Default") == 0 && n == 1, "192.168.0.31 gets the default one");
	tap_check(strcmp(chosen(s, "2001:db8::1", 25, "2001:db8::5", &n),
	    "V6") == 0, "IPv6: the /64 beats ::/0");
	tap_check(strcmp(chosen(s, "10.1.1.1", 25, "2001:db8::5", &n),
	    "") == 0, "an IPv6 client never gets an IPv4 local address");
	tap_check(strcmp(chosen(s, "10.1.1.1", 27, "10.0.0.1", &n),
	    "") == 0 && n == 0, "no connector on port 27");
	chosen(s, "10.1.1.1", 26, "255.255.255.200", &n);
	tap_check(n == 2, "a /24 and the same range written a-b tie");
	tap_check(strcmp(chosen(s, "10.1.1.1", 26, "255.255.255.7", &n),
	    "Hidden") == 0 && n == 2, "two single addresses tie too");

	mx_err_init(&err);
	tap_check(connsel_reach(conn(s, "Relay"), &reach, ties, &nties,
	    &err) == 0 && reach && nties == 0,
	    "the relay connector is reachable, without tie");
	tap_check(connsel_reach(conn(s, "Default"), &reach, ties, &nties,
	    &err) == 0 && reach, "the default connector is reachable");
	tap_check(connsel_reach(conn(s, "Top"), &reach, ties, &nties,
	    &err) == 0 && reach && nties == 1 && ties[0] == conn(s, "Top2"),
	    "ranges ending at 255.255.255.255 are compared (tie Top/Top2)");
	tap_check(connsel_reach(conn(s, "Hidden"), &reach, ties, &nties,
	    &err) == 0 && reach && nties == 1,
	    "a connector whose only address ties is reachable, and ties");

	xmlFreeDoc(doc);
	return tap_done();
}
