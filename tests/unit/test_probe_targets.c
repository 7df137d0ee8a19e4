/*
 * test_probe_targets.c - unit tests of probe_targets.c: --ports lists,
 * TARGET forms, CIDR expansion and its limit, @FILE lists, the probing
 * order, repeats, host name resolution (through a stand-in resolver) and
 * its budget, and the parser of DNS MX answers.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bounds.h"
#include "err.h"
#include "iprange.h"
#include "log.h"
#include "probe_targets.h"
#include "tap.h"
#include "util.h"

static char scratch[256];

/* --- helpers ---------------------------------------------------------- */

static void
opts_init(struct probe_targets_options *o, const uint16_t *ports,
    size_t nports)
{
	memset(o, 0, sizeof(*o));
	o->ports = ports;
	o->nports = nports;
	o->timeout = 5;
}

/* "name addr:port" of entry i ("name -:port" when unresolved). */
static const char *
entry(const struct probe_target_list *l, size_t i)
{
	static char buf[IPRANGE_ADDR_TEXT + 1100];
	char addr[IPRANGE_ADDR_TEXT];

	if (i >= l->n)
		return "(none)";
	if (l->v[i].resolved)
		iprange_addr_format(&l->v[i].addr, addr);
	else
		util_strlcpy(addr, "-", sizeof(addr));
	snprintf(buf, sizeof(buf), "%s %s:%u", l->v[i].name, addr,
	    (unsigned)l->v[i].port);
	return buf;
}

/* Do the entries read exactly as the NULL-ended list expect? */
static int
entries_are(const struct probe_target_list *l, const char *const *expect)
{
	size_t i;

	for (i = 0; expect[i] != NULL; i++)
		if (i >= l->n || strcmp(entry(l, i), expect[i]) != 0) {
			tap_diag("entry %zu is \"%s\", expected \"%s\"", i,
			    entry(l, i), expect[i]);
			return 0;
		}
	if (i != l->n) {
		tap_diag("%zu entries, expected %zu", l->n, i);
		return 0;
	}
	return 1;
}

/* Add one TARGET to a fresh list; returns the result of the add. */
static int
add_one(struct probe_target_list *l, const char *text,
    const struct probe_targets_options *o, struct mx_err *err)
{
	memset(l, 0, sizeof(*l));
	mx_err_init(err);
	return probe_targets_add(l, text, o, err);
}

/* Is text refused with that code, leaving the list empty? */
static int
refused(const char *text, enum mx_errcode code)
{
	struct probe_targets_options o;
	struct probe_target_list l;
	struct mx_err err;
	int ok;

	opts_init(&o, NULL, 0);
	ok = add_one(&l, text, &o, &err) == -1 && err.code == code &&
	    l.n == 0 && err.msg[0] != '\0';
	if (!ok)
		tap_diag("\"%s\": code %d (%s), %zu entries", text, err.code,
		    err.msg, l.n);
	probe_targets_free(&l);
	return ok;
}

static int
accepted(const char *text, const char *const *expect,
    const uint16_t *ports, size_t nports)
{
	struct probe_targets_options o;
	struct probe_target_list l;
	struct mx_err err;
	int ok;

	opts_init(&o, ports, nports);
	ok = add_one(&l, text, &o, &err) == 0;
	if (!ok)
		tap_diag("\"%s\": %s", text, err.msg);
	ok = ok && entries_are(&l, expect);
	probe_targets_free(&l);
	return ok;
}

static const char *
write_file(const char *name, const char *data, size_t len)
{
	static char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", scratch, name);
	if ((fp = fopen(path, "wb")) == NULL)
		return NULL;
	fwrite(data, 1, len, fp);
	fclose(fp);
	return path;
}

/* --- --ports ---------------------------------------------------------- */

static int
ports_are(const char *list, const uint16_t *expect, size_t n)
{
	uint16_t ports[PROBE_PORTS_MAX];
	struct mx_err err;
	size_t got, i;

	mx_err_init(&err);
	if (probe_ports_parse(list, ports, PROBE_PORTS_MAX, &got, &err)
	    == -1) {
		tap_diag("\"%s\": %s", list, err.msg);
		return 0;
	}
	if (got != n)
		return 0;
	for (i = 0; i < n; i++)
		if (ports[i] != expect[i])
			return 0;
	return 1;
}

static int
ports_refused(const char *list, enum mx_errcode code)
{
	uint16_t ports[PROBE_PORTS_MAX];
	struct mx_err err;
	size_t got = 99;

	mx_err_init(&err);
	return probe_ports_parse(list, ports, PROBE_PORTS_MAX, &got, &err)
	    == -1 && err.code == code && strcmp(err.where, "--ports") == 0 &&
	    got == 0;
}

static void
test_ports(void)
{
	static const uint16_t p25[] = { 25 };
	static const uint16_t sorted[] = { 25, 465, 587 };
	static const uint16_t range[] = { 2525, 2526, 2527 };

	tap_check(ports_are("25", p25, 1), "--ports 25 gives port 25");
	tap_check(ports_are("587,25,465", sorted, 3),
	    "--ports lists come out ascending");
	tap_check(ports_are("25,25,25", p25, 1),
	    "a port named twice is probed once");
	tap_check(ports_are("2525-2527", range, 3),
	    "--ports accepts a range PORT-PORT");
	tap_check(!ports_are("2525-2527", p25, 1),
	    "a range is not read as its first port");
	tap_check(ports_refused("", MX_ERR_USAGE), "an empty --ports is "
	    "refused");
	tap_check(ports_refused("0", MX_ERR_USAGE), "port 0 is refused");
	tap_check(ports_refused("65536", MX_ERR_USAGE),
	    "port 65536 is refused");
	tap_check(ports_refused("25,", MX_ERR_USAGE) &&
	    ports_refused(",25", MX_ERR_USAGE) &&
	    ports_refused("25,,465", MX_ERR_USAGE),
	    "an empty item between commas is refused");
	tap_check(ports_refused("smtp", MX_ERR_USAGE) &&
	    ports_refused("+25", MX_ERR_USAGE) &&
	    ports_refused(" 25", MX_ERR_USAGE),
	    "service names, signs and spaces are refused");
	tap_check(ports_refused("30-20", MX_ERR_USAGE),
	    "a backwards range is refused");
	tap_check(ports_refused("1-65535", MX_ERR_LIMIT),
	    "more ports than PROBE_PORTS_MAX is MX_ERR_LIMIT");
	tap_check(ports_are("1-64", NULL, 0) == 0 && ports_refused("1-65",
	    MX_ERR_LIMIT), "exactly PROBE_PORTS_MAX ports pass, one more "
	    "does not");
}

/* --- TARGET forms ------------------------------------------------------- */

static void
test_forms(void)
{
	static const uint16_t two[] = { 25, 587 };
	static const char *const v4[] = { "192.0.2.5 192.0.2.5:25", NULL };
	static const char *const v4port[] = {
	    "192.0.2.5 192.0.2.5:2525", NULL };
	static const char *const v4ports[] = {
	    "192.0.2.5 192.0.2.5:25", "192.0.2.5 192.0.2.5:587", NULL };
	static const char *const v6[] = {
	    "2001:db8::1 2001:db8::1:25", NULL };
	static const char *const v6port[] = {
	    "2001:db8::1 2001:db8::1:587", NULL };
	static const char *const v6colons[] = {
	    "2001:db8::1:25 2001:db8::1:25:25", NULL };
	static const char *const host[] = { "mx.contoso.test -:25", NULL };
	static const char *const hostport[] = {
	    "mx.contoso.test -:587", NULL };
	static const char *const hostdot[] = { "mx.contoso.test. -:25",
	    NULL };
	static const char *const single[] = { "localhost -:25", NULL };

	tap_check(accepted("192.0.2.5", v4, NULL, 0),
	    "an IPv4 address is probed on port 25 by default");
	tap_check(accepted("192.0.2.5", v4ports, two, 2),
	    "an address without a port is probed on every --ports port");
	tap_check(accepted("192.0.2.5:2525", v4port, two, 2),
	    "a port in the target wins over --ports");
	tap_check(!accepted("192.0.2.5:2525", v4ports, two, 2),
	    "a target with a port is not also probed on --ports");
	tap_check(accepted("2001:db8::1", v6, NULL, 0),
	    "a bare IPv6 address is accepted");
	tap_check(accepted("[2001:db8::1]:587", v6port, NULL, 0),
	    "[IPv6]:port gives that address and port");
	tap_check(accepted("[2001:db8::1]", v6, NULL, 0),
	    "[IPv6] without a port takes the default port");
	tap_check(accepted("2001:db8::1:25", v6colons, NULL, 0),
	    "a bare IPv6 address takes no port: 2001:db8::1:25 is an "
	    "address");
	tap_check(accepted("mx.contoso.test", host, NULL, 0),
	    "a host name is kept unresolved until resolution");
	tap_check(accepted("mx.contoso.test:587", hostport, NULL, 0),
	    "host:port gives that port");
	tap_check(accepted("mx.contoso.test.", hostdot, NULL, 0),
	    "a host name with a final dot is accepted");
	tap_check(accepted("localhost", single, NULL, 0),
	    "a single-label host name is accepted");

	tap_check(refused("", MX_ERR_INPUT), "an empty target is refused");
	tap_check(refused("mx contoso", MX_ERR_INPUT) &&
	    refused("mx\tcontoso", MX_ERR_INPUT) &&
	    refused("mx\x01.test", MX_ERR_INPUT),
	    "spaces and control characters are refused");
	tap_check(refused("mx.contoso.test:0", MX_ERR_INPUT) &&
	    refused("192.0.2.5:65536", MX_ERR_INPUT) &&
	    refused("192.0.2.5:", MX_ERR_INPUT) &&
	    refused("192.0.2.5:smtp", MX_ERR_INPUT),
	    "a port outside 1-65535, empty or named is refused");
	tap_check(refused("[2001:db8::1", MX_ERR_INPUT) &&
	    refused("[2001:db8::1]25", MX_ERR_INPUT) &&
	    refused("[]:25", MX_ERR_INPUT),
	    "a broken [IPv6]:port form is refused");
	tap_check(refused("[mx.contoso.test]:25", MX_ERR_INPUT),
	    "brackets around a host name are refused");
	tap_check(refused("2001:db8::zz", MX_ERR_INPUT) &&
	    refused("1:2", MX_ERR_INPUT),
	    "something with colons that is not IPv6 is refused");
	tap_check(refused("300.1.1.1", MX_ERR_INPUT) &&
	    refused("10.1", MX_ERR_INPUT) && refused("0x7f.1", MX_ERR_INPUT),
	    "numbers that are not a dotted quad are not taken as names");
	tap_check(refused("-mx.contoso.test", MX_ERR_INPUT) &&
	    refused("mx-.contoso.test", MX_ERR_INPUT) &&
	    refused("mx..contoso.test", MX_ERR_INPUT) &&
	    refused("mx.cont*so.test", MX_ERR_INPUT) &&
	    refused(".", MX_ERR_INPUT),
	    "malformed host names are refused");
	tap_check(refused("@", MX_ERR_INPUT), "@ without a file is refused");
}

static void
test_long(void)
{
	char text[PROBE_TARGET_TEXT_MAX + 2], label[70];
	static const uint16_t none[] = { 25 };
	struct probe_targets_options o;
	struct probe_target_list l;
	struct mx_err err;
	size_t i;

	memset(text, 'a', sizeof(text));
	text[sizeof(text) - 1] = '\0';
	tap_check(refused(text, MX_ERR_LIMIT),
	    "a target over PROBE_TARGET_TEXT_MAX is MX_ERR_LIMIT");
	memset(label, 'a', 64);
	label[64] = '\0';
	tap_check(refused(label, MX_ERR_INPUT),
	    "a 64-byte label is refused");
	label[63] = '\0';
	opts_init(&o, none, 1);
	tap_check(add_one(&l, label, &o, &err) == 0,
	    "a 63-byte label is accepted");
	probe_targets_free(&l);
	/* 4 x 63 + 3 dots = 255 bytes: over the 253 of a host name. */
	for (i = 0; i < 4; i++) {
		memcpy(text + i * 64, label, 63);
		text[i * 64 + 63] = '.';
	}
	text[4 * 64 - 1] = '\0';
	tap_check(refused(text, MX_ERR_INPUT),
	    "a host name over 253 bytes is refused");
}

/* --- CIDR ----------------------------------------------------------------- */

static void
test_cidr(void)
{
	static const uint16_t two[] = { 25, 587 };
	static const char *const quad[] = {
	    "192.0.2.0/30 192.0.2.0:25", "192.0.2.0/30 192.0.2.1:25",
	    "192.0.2.0/30 192.0.2.2:25", "192.0.2.0/30 192.0.2.3:25", NULL };
	static const char *const widened[] = {
	    "192.0.2.7/31 192.0.2.6:25", "192.0.2.7/31 192.0.2.7:25", NULL };
	static const char *const wrap[] = {
	    "10.0.0.255/31 10.0.0.254:2525", "10.0.0.255/31 10.0.0.255:2525",
	    NULL };
	static const char *const ports[] = {
	    "192.0.2.8/31 192.0.2.8:25", "192.0.2.8/31 192.0.2.8:587",
	    "192.0.2.8/31 192.0.2.9:25", "192.0.2.8/31 192.0.2.9:587", NULL };
	static const char *const host32[] = {
	    "192.0.2.9/32 192.0.2.9:25", NULL };
	static const char *const v6[] = {
	    "2001:db8::/127 2001:db8:::25", "2001:db8::/127 2001:db8::1:25",
	    NULL };
	static const char *const v6b[] = {
	    "2001:db8::ff/127 2001:db8::fe:465",
	    "2001:db8::ff/127 2001:db8::ff:465", NULL };
	struct probe_targets_options o;
	struct probe_target_list l;
	struct mx_err err;
	int rc;

	tap_check(accepted("192.0.2.0/30", quad, NULL, 0),
	    "a /30 expands to its four addresses in order");
	tap_check(accepted("192.0.2.7/31", widened, NULL, 0),
	    "a CIDR with host bits set is widened to its block");
	tap_check(accepted("10.0.0.255/31:2525", wrap, NULL, 0),
	    "CIDR:port applies the port to every address");
	tap_check(accepted("192.0.2.8/31", ports, two, 2),
	    "each address of a block is probed on every --ports port, "
	    "address first");
	tap_check(accepted("192.0.2.9/32", host32, NULL, 0),
	    "a /32 is one address");
	tap_check(accepted("2001:db8::/127", v6, NULL, 0),
	    "an IPv6 block expands too");
	tap_check(accepted("[2001:db8::ff/127]:465", v6b, NULL, 0),
	    "[IPv6/nn]:port is accepted");

	tap_check(refused("10.0.0.0/8", MX_ERR_LIMIT),
	    "a /8 is refused with MX_ERR_LIMIT before any expansion");
	tap_check(refused("2001:db8::/64", MX_ERR_LIMIT),
	    "an IPv6 /64 is refused with MX_ERR_LIMIT");
	tap_check(refused("0.0.0.0/0", MX_ERR_LIMIT),
	    "the whole IPv4 space is refused with MX_ERR_LIMIT");
	opts_init(&o, NULL, 0);
	rc = add_one(&l, "10.1.0.0/16", &o, &err);
	tap_check(rc == 0 && l.n == PROBE_TARGETS_MAX,
	    "a /16 on one port fills PROBE_TARGETS_MAX exactly");
	tap_check(rc == 0 && probe_targets_add(&l, "192.0.2.1", &o, &err)
	    == -1 && err.code == MX_ERR_LIMIT && l.n == PROBE_TARGETS_MAX,
	    "one target more than PROBE_TARGETS_MAX is refused, the list "
	    "kept as it was");
	probe_targets_free(&l);
	opts_init(&o, two, 2);
	tap_check(add_one(&l, "10.1.0.0/16", &o, &err) == -1 &&
	    err.code == MX_ERR_LIMIT && l.n == 0 &&
	    strstr(err.msg, "PROBE_TARGETS_MAX") != NULL,
	    "ports count: a /16 on two ports is over the limit, and the "
	    "message names it");
	probe_targets_free(&l);
	opts_init(&o, two, 2);
	o.max = 8;
	tap_check(add_one(&l, "192.0.2.0/30", &o, &err) == 0 && l.n == 8,
	    "a block that fits the limit exactly is accepted");
	tap_check(probe_targets_add(&l, "192.0.2.0/31", &o, &err) == -1 &&
	    l.n == 8, "the next block over the limit is refused");
	probe_targets_free(&l);

	tap_check(refused("10.0.0.0/33", MX_ERR_INPUT) &&
	    refused("2001:db8::/129", MX_ERR_INPUT),
	    "prefix lengths beyond the family are refused");
	tap_check(refused("10.0.0.0/", MX_ERR_INPUT) &&
	    refused("10.0.0.0/+8", MX_ERR_INPUT) &&
	    refused("10.0.0.0/x", MX_ERR_INPUT),
	    "an empty or non-numeric prefix is refused");
	tap_check(refused("10.0.0.1-10.0.0.5/30", MX_ERR_INPUT),
	    "a range form is not a CIDR target");
	tap_check(refused("mx.contoso.test/24", MX_ERR_INPUT),
	    "a host name with a prefix is refused");
}

/* --- @FILE ---------------------------------------------------------------- */

static void
test_file(void)
{
	static const char list[] =
	    "# relay servers\r\n"
	    "\r\n"
	    "192.0.2.5\r\n"
	    "   mx.contoso.test:587   # the submission port\n"
	    "[2001:db8::1]:2525\n"
	    "\t# indented comment\n"
	    "192.0.2.8/31";
	static const char *const expect[] = {
	    "192.0.2.5 192.0.2.5:25", "mx.contoso.test -:587",
	    "2001:db8::1 2001:db8::1:2525", "192.0.2.8/31 192.0.2.8:25",
	    "192.0.2.8/31 192.0.2.9:25", NULL };
	struct probe_targets_options o;
	struct probe_target_list l;
	struct mx_err err;
	const char *path;
	char arg[600], *big;
	int rc;

	opts_init(&o, NULL, 0);
	path = write_file("targets.txt", list, sizeof(list) - 1);
	snprintf(arg, sizeof(arg), "@%s", path);
	rc = add_one(&l, arg, &o, &err);
	tap_check(rc == 0 && entries_are(&l, expect),
	    "@FILE reads one target per line, skipping blanks and comments, "
	    "CRLF or LF");
	tap_check(rc == 0 && l.ngiven == 4 && l.v[0].given + 1 ==
	    l.v[1].given, "each line of @FILE is a target of its own rank");
	probe_targets_free(&l);

	path = write_file("bad.txt", "192.0.2.5\n# fine\nnot a target\n",
	    30);
	snprintf(arg, sizeof(arg), "@%s", path);
	rc = add_one(&l, arg, &o, &err);
	snprintf(arg, sizeof(arg), "%s:3", path);
	tap_check(rc == -1 && err.code == MX_ERR_INPUT &&
	    strcmp(err.where, arg) == 0 && l.n == 0,
	    "a bad line in @FILE is refused naming FILE:LINE, and the list "
	    "gets nothing from the file");
	probe_targets_free(&l);

	path = write_file("nested.txt", "@/etc/hosts\n", 12);
	snprintf(arg, sizeof(arg), "@%s", path);
	tap_check(add_one(&l, arg, &o, &err) == -1 &&
	    err.code == MX_ERR_INPUT && strstr(err.msg, "@FILE") != NULL,
	    "@FILE inside @FILE is refused");
	probe_targets_free(&l);

	path = write_file("nul.txt", "192.0.2.5\n\0192.0.2.6\n", 21);
	snprintf(arg, sizeof(arg), "@%s", path);
	tap_check(add_one(&l, arg, &o, &err) == -1 &&
	    err.code == MX_ERR_INPUT, "a NUL byte in @FILE is refused");
	probe_targets_free(&l);

	big = xmalloc(PROBE_TARGET_TEXT_MAX + 10);
	memset(big, 'a', PROBE_TARGET_TEXT_MAX + 9);
	big[PROBE_TARGET_TEXT_MAX + 9] = '\n';
	path = write_file("long.txt", big, PROBE_TARGET_TEXT_MAX + 10);
	free(big);
	snprintf(arg, sizeof(arg), "@%s", path);
	tap_check(add_one(&l, arg, &o, &err) == -1 &&
	    err.code == MX_ERR_LIMIT, "a line over PROBE_TARGET_TEXT_MAX "
	    "in @FILE is MX_ERR_LIMIT");
	probe_targets_free(&l);

	big = xmalloc(PROBE_TARGETS_FILE_MAX + 1);
	memset(big, '#', PROBE_TARGETS_FILE_MAX + 1);
	path = write_file("huge.txt", big, PROBE_TARGETS_FILE_MAX + 1);
	free(big);
	snprintf(arg, sizeof(arg), "@%s", path);
	tap_check(add_one(&l, arg, &o, &err) == -1 &&
	    err.code == MX_ERR_LIMIT, "@FILE over PROBE_TARGETS_FILE_MAX "
	    "is MX_ERR_LIMIT");
	probe_targets_free(&l);

	snprintf(arg, sizeof(arg), "@%s/missing.txt", scratch);
	tap_check(add_one(&l, arg, &o, &err) == -1 && err.code != MX_OK &&
	    l.n == 0, "a missing @FILE is an error");
	probe_targets_free(&l);

	path = write_file("empty.txt", "# nothing\n\n", 11);
	snprintf(arg, sizeof(arg), "@%s", path);
	tap_check(add_one(&l, arg, &o, &err) == 0 && l.n == 0,
	    "an @FILE of comments adds nothing");
	probe_targets_free(&l);
}

/* --- resolution and order ------------------------------------------------- */

/* Stand-in resolver: a few names, and a count of calls. */
static int resolver_calls;

static int
fake_resolve(const char *host, struct ip_addr *out, size_t max, char *why,
    size_t whylen, void *arg)
{
	static const char *const b[] = { "192.0.2.20", "2001:db8::20",
	    "192.0.2.10" };
	struct mx_err err;
	size_t i, n = 0;

	(void)arg;
	resolver_calls++;
	mx_err_init(&err);
	if (strcmp(host, "b.example") == 0) {
		for (i = 0; i < 3 && n < max; i++)
			if (iprange_addr_parse(b[i], &out[n], &err, "t") == 0)
				n++;
		return (int)n;
	}
	if (strcmp(host, "many.example") == 0) {
		for (i = 0; i < max; i++) {
			char text[32];

			snprintf(text, sizeof(text), "198.51.100.%zu", i + 1);
			if (iprange_addr_parse(text, &out[n], &err, "t") == 0)
				n++;
		}
		return (int)n;
	}
	if (strncmp(host, "slow", 4) == 0) {
		struct timespec ts = { 1, 100000000 };

		nanosleep(&ts, NULL);
		iprange_addr_parse("192.0.2.99", &out[0], &err, "t");
		return 1;
	}
	snprintf(why, whylen, "no such host");
	return -1;
}

static void
test_resolve(void)
{
	static const uint16_t two[] = { 25, 587 };
	static const char *const expect[] = {
	    "b.example 192.0.2.10:25", "b.example 192.0.2.10:587",
	    "b.example 192.0.2.20:25", "b.example 192.0.2.20:587",
	    "b.example 2001:db8::20:25", "b.example 2001:db8::20:587",
	    "192.0.2.9 192.0.2.9:25", "192.0.2.9 192.0.2.9:587",
	    "a.example -:25", "a.example -:587",
	    "192.0.2.1 192.0.2.1:25", "192.0.2.1 192.0.2.1:587", NULL };
	static const char *const given[] = { "b.example", "192.0.2.9",
	    "a.example", "192.0.2.1", "192.0.2.9:587", "b.example" };
	struct probe_targets_options o;
	struct probe_target_list l;
	struct mx_err err;
	size_t i;
	int rc = 0;

	opts_init(&o, two, 2);
	o.resolve = fake_resolve;
	memset(&l, 0, sizeof(l));
	mx_err_init(&err);
	for (i = 0; i < sizeof(given) / sizeof(given[0]) && rc == 0; i++)
		rc = probe_targets_add(&l, given[i], &o, &err);
	resolver_calls = 0;
	tap_check(rc == 0 && probe_targets_resolve(&l, &o, &err) == 0,
	    "a list of names, addresses and repeats resolves");
	tap_check(entries_are(&l, expect), "the order is as given, then "
	    "address (IPv4 before IPv6), then port; repeats appear once, "
	    "at their first place");
	tap_check(resolver_calls == 3, "each name is resolved once per "
	    "TARGET, not once per port (%d calls)", resolver_calls);
	tap_check(l.n > 9 && !l.v[8].resolved && l.v[8].error != NULL &&
	    strstr(l.v[8].error, "no such host") != NULL,
	    "a name that does not resolve stays, with its error");
	tap_check(l.n > 9 && l.v[6].resolved && !l.v[6].is_host &&
	    l.v[0].is_host, "addresses are not host names, resolved names "
	    "are");
	probe_targets_free(&l);

	opts_init(&o, NULL, 0);
	o.resolve = fake_resolve;
	o.max = 10;
	add_one(&l, "many.example", &o, &err);
	tap_check(probe_targets_resolve(&l, &o, &err) == -1 &&
	    err.code == MX_ERR_LIMIT, "a name with more addresses than the "
	    "limit allows is MX_ERR_LIMIT");
	probe_targets_free(&l);
	o.max = 0;
	add_one(&l, "many.example", &o, &err);
	tap_check(probe_targets_resolve(&l, &o, &err) == 0 &&
	    l.n == PROBE_ADDRS_PER_NAME_MAX, "a name keeps at most "
	    "PROBE_ADDRS_PER_NAME_MAX addresses");
	probe_targets_free(&l);

	/* The budget is twice the timeout: 2 s; each lookup takes 1.1 s. */
	opts_init(&o, NULL, 0);
	o.resolve = fake_resolve;
	o.timeout = 1;
	memset(&l, 0, sizeof(l));
	probe_targets_add(&l, "slow1.example", &o, &err);
	probe_targets_add(&l, "slow2.example", &o, &err);
	probe_targets_add(&l, "slow3.example", &o, &err);
	tap_check(probe_targets_resolve(&l, &o, &err) == 0 && l.n == 3 &&
	    l.v[0].resolved && l.v[1].resolved && !l.v[2].resolved &&
	    l.v[2].error != NULL && strstr(l.v[2].error, "budget") != NULL,
	    "names past the DNS budget are not resolved, and say why");
	probe_targets_free(&l);
}

/* --- MX answers --------------------------------------------------------- */

/* Append bytes to a message buffer. */
static size_t
put(unsigned char *m, size_t at, const void *bytes, size_t n)
{
	memcpy(m + at, bytes, n);
	return at + n;
}

/*
 * An answer for contoso.test MX: mx2 (20), mx1 (10), a CNAME-like record
 * of another type to skip, names compressed against the question.
 */
static size_t
mx_answer(unsigned char *m, unsigned rcode, int answers)
{
	static const unsigned char hdr[] = { 0x12, 0x34, 0x81, 0x80, 0, 1,
	    0, 3, 0, 0, 0, 0 };
	static const unsigned char q[] = { 7, 'c', 'o', 'n', 't', 'o', 's',
	    'o', 4, 't', 'e', 's', 't', 0, 0, 15, 0, 1 };
	static const unsigned char a1[] = { 0xc0, 12, 0, 15, 0, 1, 0, 0, 1,
	    0, 0, 8, 0, 20, 3, 'm', 'x', '2', 0xc0, 12 };
	static const unsigned char a2[] = { 0xc0, 12, 0, 15, 0, 1, 0, 0, 1,
	    0, 0, 8, 0, 10, 3, 'm', 'x', '1', 0xc0, 12 };
	static const unsigned char a3[] = { 0xc0, 12, 0, 16, 0, 1, 0, 0, 1,
	    0, 0, 3, 2, 'h', 'i' };
	size_t n = 0;

	n = put(m, n, hdr, sizeof(hdr));
	m[3] = (unsigned char)(0x80 | rcode);
	m[7] = (unsigned char)answers;
	n = put(m, n, q, sizeof(q));
	if (answers >= 1)
		n = put(m, n, a1, sizeof(a1));
	if (answers >= 2)
		n = put(m, n, a3, sizeof(a3));
	if (answers >= 3)
		n = put(m, n, a2, sizeof(a2));
	return n;
}

static void
test_mx(void)
{
	unsigned char m[512];
	struct probe_mx mx[4];
	struct mx_err err;
	size_t len, n, i;
	int rc;

	len = mx_answer(m, 0, 3);
	mx_err_init(&err);
	rc = probe_targets_mx_parse(m, len, mx, 4, &n, &err, "contoso.test");
	tap_check(rc == 0 && n == 2, "an MX answer gives its MX records, "
	    "other types skipped (%s)", err.msg);
	tap_check(rc == 0 && n == 2 && mx[0].preference == 10 &&
	    strcmp(mx[0].host, "mx1.contoso.test") == 0 &&
	    strcmp(mx[1].host, "mx2.contoso.test") == 0,
	    "MX hosts come by preference, compressed names expanded");
	rc = probe_targets_mx_parse(m, len, mx, 1, &n, &err, "contoso.test");
	tap_check(rc == 0 && n == 1, "no more than max MX records are kept");

	for (i = 1; i < len; i++) {
		mx_err_init(&err);
		if (probe_targets_mx_parse(m, i, mx, 4, &n, &err, "t") != -1 ||
		    err.code != MX_ERR_INPUT)
			break;
	}
	tap_check(i == len, "every truncation of an MX answer is refused "
	    "(first accepted at %zu of %zu bytes)", i, len);

	len = mx_answer(m, 3, 0);
	mx_err_init(&err);
	tap_check(probe_targets_mx_parse(m, len, mx, 4, &n, &err, "t") ==
	    -1 && strstr(err.msg, "no such domain") != NULL,
	    "NXDOMAIN is reported as no such domain");
	len = mx_answer(m, 2, 0);
	mx_err_init(&err);
	tap_check(probe_targets_mx_parse(m, len, mx, 4, &n, &err, "t") ==
	    -1 && err.code == MX_ERR_INPUT, "a server failure is an error");
	len = mx_answer(m, 0, 0);
	mx_err_init(&err);
	tap_check(probe_targets_mx_parse(m, len, mx, 4, &n, &err, "t") ==
	    0 && n == 0, "an answer without records gives no MX");

	len = mx_answer(m, 0, 1);
	m[len - 1] = (unsigned char)(len - 2);	/* pointer to itself */
	m[len - 2] = 0xc0;
	mx_err_init(&err);
	tap_check(probe_targets_mx_parse(m, len, mx, 4, &n, &err, "t") ==
	    -1, "a compression loop is refused");

	len = mx_answer(m, 0, 1);
	m[2] &= 0x7f;
	mx_err_init(&err);
	tap_check(probe_targets_mx_parse(m, len, mx, 4, &n, &err, "t") ==
	    -1, "a query (not a response) is refused");
	len = mx_answer(m, 0, 1);
	m[7] = 200;
	mx_err_init(&err);
	tap_check(probe_targets_mx_parse(m, len, mx, 4, &n, &err, "t") ==
	    -1, "an answer count larger than the records present is "
	    "refused");
	mx_err_init(&err);
	tap_check(probe_targets_mx_parse(m, PROBE_DNS_ANSWER_MAX + 1, mx, 4,
	    &n, &err, "t") == -1 && err.code == MX_ERR_LIMIT,
	    "an answer over PROBE_DNS_ANSWER_MAX is MX_ERR_LIMIT");
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");

	log_set_level(LOG_LEVEL_QUIET);
	snprintf(scratch, sizeof(scratch), "%s/mxbpa-targets.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(scratch) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_ports();
	test_forms();
	test_long();
	test_cidr();
	test_file();
	test_resolve();
	test_mx();
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
		if (system(cmd) != 0)
			tap_diag("could not remove %s", scratch);
	}
	return tap_done();
}
