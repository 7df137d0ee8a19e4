/*
 * test_model.c - the topology model: building, normalising, writing,
 * loading, merging, and refusing malformed model files.
 *
 * SPDX-License-Identifier: ISC
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "err.h"
#include "model.h"
#include "tap.h"
#include "util.h"
#include "xml.h"

/* Number of nodes an XPath expression (prefix m: = model) selects. */
static int
count(struct model *m, const char *expr)
{
	xmlXPathContextPtr ctxt = xmlXPathNewContext(model_doc(m));
	xmlXPathObjectPtr res;
	int n = -1;

	xmlXPathRegisterNs(ctxt, (const xmlChar *)"m",
	    (const xmlChar *)MODEL_NS);
	res = xmlXPathEvalExpression((const xmlChar *)expr, ctxt);
	if (res != NULL && res->type == XPATH_NODESET)
		n = res->nodesetval ? res->nodesetval->nodeNr : 0;
	else if (res != NULL)
		n = (int)xmlXPathCastToNumber(res);
	xmlXPathFreeObject(res);
	xmlXPathFreeContext(ctxt);
	return n;
}

static char *
dump(struct model *m)
{
	struct mx_err err;
	xmlChar *out;
	char *copy;
	int len;

	mx_err_init(&err);
	model_normalize(m);
	if (xml_dump(model_doc(m), &out, &len, &err) == -1)
		return xstrdup("");
	copy = xstrdup((const char *)out);
	xmlFree(out);
	return copy;
}

static void
test_build(void)
{
	struct model *m = model_new();
	struct model_ace ace = { "NT AUTHORITY\\ANONYMOUS LOGON", NULL, 0,
	    "ms-Exch-SMTP-Accept-Any-Recipient", "ExtendedRight", 0, "None", 0,
	    NULL, NULL };
	struct mx_err err;
	xmlNodePtr c;

	mx_err_init(&err);
	c = model_connector(m, "EX01", "Relay");
	tap_check(strcmp(xml_attr(c, "identity"), "EX01\\Relay") == 0,
	    "a new connector's identity is SERVER\\Name");
	tap_check(model_connector(m, "ex01", "relay") == c,
	    "servers and connectors are found again case-insensitively");
	tap_check(model_add_binding(c, "10.1.1.1:25", &err, "t") == 0,
	    "an IPv4 binding is accepted");
	tap_check(model_add_binding(c, "[::]:25", &err, "t") == 0 &&
	    count(m, "count(//m:binding[@family='ipv6'][@text='[::]:25'])")
	    == 1, "an IPv6 binding keeps its canonical [addr]:port text");
	tap_check(count(m, "count(//m:server/m:address[@ip='10.1.1.1'])") == 1,
	    "a specific binding address becomes a server address");
	tap_check(count(m, "count(//m:server/m:address[@ip='::'])") == 0,
	    "the wildcard address :: is not a server address");
	tap_check(model_add_binding(c, "10.1.1.1", &err, "t") == -1 &&
	    err.code == MX_ERR_INPUT, "a binding without a port is refused");
	mx_err_init(&err);
	tap_check(model_add_binding(c, "::1:25", &err, "t") == -1,
	    "an unbracketed IPv6 binding is refused as ambiguous");
	mx_err_init(&err);
	tap_check(model_add_binding(c, "10.0.0.1:65536", &err, "t") == -1,
	    "a port above 65535 is refused");
	mx_err_init(&err);
	tap_check(model_add_remote_range(c, "192.168.5.0/24", &err, "t") == 0 &&
	    count(m, "count(//m:remote-ip-range[@first='192.168.5.0']"
	    "[@last='192.168.5.255'])") == 1,
	    "a CIDR remote range is stored with its first and last address");
	tap_check(model_add_remote_range(c, "192.168.5.0-192.168.5.255",
	    &err, "t") == 0 && count(m, "count(//m:remote-ip-range)") == 1,
	    "the same range written another way is not added twice");
	tap_check(model_add_remote_range(c, "300.1.1.1", &err, "t") == -1 &&
	    err.code == MX_ERR_INPUT, "an invalid remote range is refused");
	model_add_names(c, "permission-group",
	    "AnonymousUsers, ExchangeServers,AnonymousUsers");
	tap_check(count(m, "count(//m:permission-group)") == 2,
	    "permission groups are split on commas and deduplicated");
	model_add_names(c, "auth-mechanism", "None");
	tap_check(count(m, "count(//m:auth-mechanism)") == 0,
	    "the flag value None adds no element");
	model_add_ace(c, &ace);
	tap_check(count(m, "count(//m:ace[@sid='S-1-5-7'][@type='allow'])") == 1,
	    "ANONYMOUS LOGON gets its well-known SID S-1-5-7");
	tap_check(model_well_known_sid("AUTORITE NT\\ANONYMOUS LOGON") != NULL &&
	    strcmp(model_well_known_sid("AUTORITE NT\\ANONYMOUS LOGON"),
	    "S-1-5-7") == 0, "the French name of ANONYMOUS LOGON is known");
	tap_check(model_well_known_sid("CONTOSO\\printer") == NULL,
	    "an ordinary account has no well-known SID");
	mx_err_init(&err);
	tap_check(model_validate(m, "built", &err) == 0,
	    "a model built through the API is valid");
	model_free(m);
}

static struct model *
build_in_order(int reversed)
{
	struct model *m = model_new();
	struct mx_err err;
	const char *servers[] = { "EX02", "EX01" };
	int i;

	mx_err_init(&err);
	for (i = 0; i < 2; i++) {
		const char *s = servers[reversed ? 1 - i : i];
		xmlNodePtr a = model_connector(m, s, "B");
		xmlNodePtr b = model_connector(m, s, "A");

		model_add_names(b, "auth-mechanism", "Tls");
		model_add_remote_range(b, "10.0.0.1", &err, "t");
		model_add_binding(a, "0.0.0.0:25", &err, "t");
	}
	return m;
}

static void
test_normalize(void)
{
	struct model *a = build_in_order(0), *b = build_in_order(1);
	char *da = dump(a), *db = dump(b);

	tap_check(strcmp(da, db) == 0,
	    "the same content added in another order gives the same bytes");
	tap_check(strstr(da, "name=\"EX01\"") < strstr(da, "name=\"EX02\""),
	    "servers are sorted by name");
	tap_check(strstr(da, "<remote-ip-range") < strstr(da, "<auth-mechanism"),
	    "a connector's ranges come before its auth mechanisms");
	free(da);
	free(db);
	model_free(a);
	model_free(b);
}

static void
test_roundtrip(void)
{
	char dir[] = "/tmp/mxbpa-model-XXXXXX", p1[128], p2[128];
	struct util_file f1, f2;
	struct model *m;
	struct mx_err err;

	mx_err_init(&err);
	if (!tap_check(mkdtemp(dir) != NULL, "a scratch directory is made"))
		return;
	snprintf(p1, sizeof(p1), "%s/one.xml", dir);
	snprintf(p2, sizeof(p2), "%s/two.xml", dir);
	m = model_load(tap_srcpath("tests/data/models/small.xml"), &err);
	tap_check(m != NULL, "the sample model loads");
	if (m == NULL)
		return;
	tap_check(model_write(m, p1, &err) == 0, "the model is written");
	model_free(m);
	m = model_load(p1, &err);
	tap_check(m != NULL && model_write(m, p2, &err) == 0,
	    "the written model loads and is written again");
	model_free(m);
	tap_check(util_read_file(p1, 1 << 20, &f1, &err) == 0 &&
	    util_read_file(p2, 1 << 20, &f2, &err) == 0 && f1.len == f2.len &&
	    memcmp(f1.data, f2.data, f1.len) == 0,
	    "write, load, write is byte-identical");
	util_file_free(&f1);
	util_file_free(&f2);
	unlink(p1);
	unlink(p2);
	rmdir(dir);
}

static void
test_merge(void)
{
	struct model *a = model_new(), *b = model_new();
	struct model_ace ace = { "Everyone", NULL, 1, NULL, "GenericAll", 1,
	    "All", 0, NULL, NULL };
	struct mx_err err;
	xmlNodePtr c;

	mx_err_init(&err);
	c = model_connector(a, "EX01", "Relay");
	model_set(c, "role", "FrontendTransport");
	model_add_remote_range(c, "10.0.0.1", &err, "t");
	c = model_connector(b, "ex01", "Relay");
	model_add_ace(c, &ace);
	model_add_remote_range(c, "10.0.0.1", &err, "t");
	model_connector(b, "EX02", "Other");
	model_add_source(b, "clixml", "perm.xml", NULL);
	tap_check(model_merge(a, b, &err) == 0, "two models merge");
	tap_check(count(a, "count(//m:server)") == 2,
	    "a server present only in the second model is added");
	tap_check(count(a, "count(//m:receive-connector[@name='Relay']/m:ace)")
	    == 1, "permission entries join the existing connector");
	tap_check(count(a, "count(//m:remote-ip-range)") == 1,
	    "identical children are not duplicated by a merge");
	tap_check(count(a, "count(//m:receive-connector[@role])") == 1,
	    "attributes of the first model are kept");
	tap_check(count(a, "count(/m:topology/m:source)") == 1,
	    "sources of the merged model are kept");
	tap_check(model_validate(a, "merged", &err) == 0,
	    "the merged model is valid");
	model_free(a);
	model_free(b);
}

/* A model from text (validated); NULL when it does not load. */
static struct model *
from_text(const char *text)
{
	struct mx_err err;
	xmlDocPtr doc;

	mx_err_init(&err);
	doc = xml_parse(text, strlen(text), "text", 0, &err);
	if (doc == NULL)
		return NULL;
	return model_from_doc(doc, "text", &err);
}

#define PROBE_MODEL \
	"<topology xmlns='urn:mxbpa:model:1' version='1' " \
	"collected='2026-11-23T10:00:00Z'>" \
	"<source kind='probe' location='127.0.0.1:2525'/>" \
	"<probe target='127.0.0.1' address='127.0.0.1' port='2525' " \
	"mode='plain' started='2026-11-23T10:00:00Z' status='completed' " \
	"relay='accepted'><relay-test variant='exbpa' from='a@b.test' " \
	"to='a@b.test' verdict='accepted'/></probe></topology>"

#define ORG_MODEL \
	"<topology xmlns='urn:mxbpa:model:1' version='1' " \
	"collected='2026-11-23T10:00:00Z'>" \
	"<source kind='clixml' location='rc.xml'/>" \
	"<organization name='Contoso'>" \
	"<accepted-domain name='fabrikam.com' type='Authoritative'/>" \
	"</organization></topology>"

/*
 * Probes survive a merge in either order, and the organization stays
 * before them (the schema's order), so "audit --import MODEL --probe"
 * and "analyze A B" keep every fact.
 */
static void
test_merge_probes(void)
{
	struct model *probes = from_text(PROBE_MODEL);
	struct model *org = from_text(ORG_MODEL);
	struct model *a = model_new(), *b = model_new();
	struct mx_err err;

	mx_err_init(&err);
	tap_check(probes != NULL && org != NULL,
	    "the probe and organization fixtures load");
	if (probes == NULL || org == NULL)
		goto out;
	tap_check(model_merge(a, org, &err) == 0 &&
	    model_merge(a, probes, &err) == 0,
	    "organization then probes merge into an empty model");
	tap_check(count(a, "count(/m:topology/m:probe[@port='2525']"
	    "/m:relay-test[@verdict='accepted'])") == 1,
	    "the probe and its relay test are kept");
	tap_check(count(a, "count(//m:accepted-domain[@name='fabrikam.com'])")
	    == 1, "the organization's accepted domain is kept");
	tap_check(model_validate(a, "merged", &err) == 0,
	    "organization then probes: the model is valid (%s)", err.msg);
	mx_err_init(&err);
	tap_check(model_merge(b, probes, &err) == 0 &&
	    model_merge(b, org, &err) == 0,
	    "probes then organization merge into an empty model");
	tap_check(count(b, "count(/m:topology/m:organization"
	    "[following-sibling::m:probe])") == 1,
	    "an organization merged after probes lands before them");
	tap_check(model_validate(b, "merged", &err) == 0,
	    "probes then organization: the model is valid (%s)", err.msg);
	mx_err_init(&err);
	tap_check(model_merge(b, probes, &err) == 0 &&
	    count(b, "count(//m:probe)") == 1,
	    "the same probe merged twice is kept once");
	tap_check(count(b, "count(/m:topology/m:source)") == 3,
	    "every merged source is listed (found %d)",
	    count(b, "count(/m:topology/m:source)"));
	model_server(b, "EX09");
	tap_check(model_validate(b, "merged", &err) == 0,
	    "a server added after probes keeps the model valid (%s)",
	    err.msg);
out:
	model_free(probes);
	model_free(org);
	model_free(a);
	model_free(b);
}

/*
 * Lookups by name go through an index: it must see the servers and
 * addresses a merge appends, survive the reordering of model_normalize,
 * and find the first of many connectors case-insensitively.
 */
static void
test_index(void)
{
	struct model *a = model_new(), *b = model_new();
	struct mx_err err;
	xmlNodePtr c, s, first = NULL;
	char name[32];
	int i, same = 1;

	mx_err_init(&err);
	c = model_connector(a, "EX01", "Relay");
	model_add_binding(c, "10.0.0.1:25", &err, "t");
	c = model_connector(b, "EX03", "Internet");
	model_add_binding(c, "10.0.0.3:25", &err, "t");
	tap_check(model_merge(a, b, &err) == 0, "index: a model merges in");
	s = model_server(a, "ex03");
	tap_check(count(a, "count(//m:server)") == 2,
	    "index: a server appended by a merge is found by name");
	c = model_connector(a, "EX03", "INTERNET");
	tap_check(c->parent == s && count(a,
	    "count(//m:receive-connector)") == 2,
	    "index: and so is its connector");
	model_add_binding(c, "10.0.0.3:2525", &err, "t");
	tap_check(count(a, "count(//m:server[@name='EX03']/m:address)") == 1,
	    "index: an address appended by a merge is not added twice");
	model_connector(a, "EX01", "Zeta");
	free(dump(a));		/* normalises: children move */
	model_connector(a, "ex01", "zeta");
	model_connector(a, "EX01", "Alpha");
	model_connector(a, "EX01", "relay");
	tap_check(count(a, "count(//m:server[@name='EX01']/"
	    "m:receive-connector)") == 3,
	    "index: lookups after normalising find the moved children");
	for (i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "Conn%04d", i);
		model_connector(a, "EX02", name);
	}
	for (i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "CONN%04d", i);
		c = model_connector(a, "ex02", name);
		if (i == 1234)
			first = c;
	}
	same = first != NULL && strcmp(xml_attr(first, "name"),
	    "Conn1234") == 0;
	tap_check(same && count(a, "count(//m:server[@name='EX02']/"
	    "m:receive-connector)") == 3000,
	    "index: 3000 connectors are found again whatever the case");
	model_free(a);
	model_free(b);
}

static void
test_malformed(void)
{
	const char *dir = tap_srcpath("tests/malformed/model");
	char dirbuf[4096], path[4400];
	struct dirent **names;
	int n, i;

	snprintf(dirbuf, sizeof(dirbuf), "%s", dir);
	n = scandir(dirbuf, &names, NULL, alphasort);
	tap_check(n > 10, "malformed model fixtures exist");
	for (i = 0; i < n; i++) {
		struct mx_err err;
		struct model *m;

		if (names[i]->d_name[0] == '.') {
			free(names[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dirbuf,
		    names[i]->d_name);
		mx_err_init(&err);
		m = model_load(path, &err);
		tap_check(m == NULL && (err.code == MX_ERR_INPUT ||
		    err.code == MX_ERR_LIMIT) && strstr(err.where, path) != NULL,
		    "%s is refused with an input error naming the file (%s)",
		    names[i]->d_name, err.msg);
		model_free(m);
		free(names[i]);
	}
	free(names);
}

int
main(void)
{
	xml_init();
	test_build();
	test_normalize();
	test_roundtrip();
	test_merge();
	test_merge_probes();
	test_index();
	test_malformed();
	return tap_done();
}
