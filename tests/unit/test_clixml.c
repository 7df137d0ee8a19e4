/*
 * test_clixml.c - the Export-Clixml importer: objects recognised by their
 * type names, references resolved, values decoded and normalised, and
 * every malformed or oversized input refused with the model unchanged.
 *
 * SPDX-License-Identifier: ISC
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "bounds.h"
#include "err.h"
#include "import_clixml.h"
#include "log.h"
#include "model.h"
#include "tap.h"
#include "util.h"
#include "xml.h"

#define FIXTURES	"tests/data/clixml/"
#define MALFORMED	"tests/malformed/clixml/"
#define UNREADABLE	"tests/data/unreadable/clixml/"
#define CONTOSO		"examples/contoso/"
#define PS_NS		"xmlns=\"" CLIXML_NS "\""
#define CONNECTOR_TN \
	"<TN RefId=\"0\"><T>Microsoft.Exchange.Data.Directory." \
	"SystemConfiguration.ReceiveConnector</T></TN>"

/* Evaluate an XPath expression (prefix m: = model) built from fmt. */
static xmlXPathObjectPtr
eval(struct model *m, const char *fmt, va_list ap)
{
	xmlXPathContextPtr ctxt = xmlXPathNewContext(model_doc(m));
	xmlXPathObjectPtr res;
	char expr[1024];

	vsnprintf(expr, sizeof(expr), fmt, ap);
	xmlXPathRegisterNs(ctxt, (const xmlChar *)"m",
	    (const xmlChar *)MODEL_NS);
	res = xmlXPathEvalExpression((const xmlChar *)expr, ctxt);
	xmlXPathFreeContext(ctxt);
	return res;
}

/* Number of nodes selected (or the number an expression gives). */
static int
count(struct model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
count(struct model *m, const char *fmt, ...)
{
	xmlXPathObjectPtr res;
	va_list ap;
	int n = -1;

	va_start(ap, fmt);
	res = eval(m, fmt, ap);
	va_end(ap);
	if (res != NULL && res->type == XPATH_NODESET)
		n = res->nodesetval ? res->nodesetval->nodeNr : 0;
	else if (res != NULL)
		n = (int)xmlXPathCastToNumber(res);
	xmlXPathFreeObject(res);
	return n;
}

/* String value of an expression, into a static buffer. */
static const char *
str(struct model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static const char *
str(struct model *m, const char *fmt, ...)
{
	static char buf[CLIXML_VALUE_MAX + 16];
	xmlXPathObjectPtr res;
	xmlChar *s;
	va_list ap;

	va_start(ap, fmt);
	res = eval(m, fmt, ap);
	va_end(ap);
	buf[0] = '\0';
	if (res != NULL && (s = xmlXPathCastToString(res)) != NULL) {
		util_strlcpy(buf, (const char *)s, sizeof(buf));
		xmlFree(s);
	}
	xmlXPathFreeObject(res);
	return buf;
}

/* The whole model serialised, after normalisation. */
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

/* The <organization> subtree serialised (sources left out). */
static char *
dump_organization(struct model *m)
{
	xmlNodePtr c;
	xmlBufferPtr buf;
	char *copy;

	model_normalize(m);
	for (c = xmlDocGetRootElement(model_doc(m))->children; c != NULL;
	    c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, "organization") == 0)
			break;
	if (c == NULL)
		return xstrdup("");
	buf = xmlBufferCreate();
	xmlNodeDump(buf, model_doc(m), c, 0, 0);
	copy = xstrdup((const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	return copy;
}

/* Parse and import a buffer named name; 0 or -1 with err. */
static int
import_buffer(struct model *m, const char *data, size_t len,
    const char *name, struct mx_err *err)
{
	char sha[65];
	xmlDocPtr doc;
	int rc;

	mx_err_init(err);
	util_sha256_hex(data, len, sha);
	if ((doc = xml_parse(data, len, name, 0, err)) == NULL)
		return -1;
	rc = import_clixml(m, doc, name, sha, err);
	xmlFreeDoc(doc);
	return rc;
}

/* Import a file of the source tree, named by its relative path. */
static int
import_path(struct model *m, const char *rel, struct mx_err *err)
{
	struct util_file f;
	int rc;

	mx_err_init(err);
	if (util_read_file(tap_srcpath(rel), CLIXML_FILE_MAX, &f, err) == -1)
		return -1;
	rc = import_buffer(m, f.data, f.len, rel, err);
	util_file_free(&f);
	return rc;
}

static int
refused(const struct mx_err *err)
{
	return err->code == MX_ERR_INPUT || err->code == MX_ERR_LIMIT;
}

static void
test_detect(void)
{
	struct mx_err err;
	xmlDocPtr doc;
	static const char ps[] = "<Objs Version=\"1.1.0.1\" " PS_NS "/>";
	static const char other[] = "<Objs xmlns=\"urn:other\"/>";
	static const char html[] = "<html><body/></html>";

	mx_err_init(&err);
	doc = xml_parse(ps, sizeof(ps) - 1, "ps", 0, &err);
	tap_check(doc != NULL && import_clixml_detect(doc) == 1,
	    "a root <Objs> in the PowerShell namespace is CLIXML");
	xmlFreeDoc(doc);
	doc = xml_parse(other, sizeof(other) - 1, "other", 0, &err);
	tap_check(doc != NULL && import_clixml_detect(doc) == 0,
	    "a root <Objs> in another namespace is not CLIXML");
	xmlFreeDoc(doc);
	doc = xml_parse(html, sizeof(html) - 1, "html", 0, &err);
	tap_check(doc != NULL && import_clixml_detect(doc) == 0,
	    "an HTML document is not CLIXML");
	xmlFreeDoc(doc);
}

#define RC1	"//m:receive-connector[@identity='EX01\\Relay One']"
#define RC2	"//m:receive-connector[@identity='EX01\\Relay Two']"
#define RC3	"//m:server[@name='EX02']/" \
		"m:receive-connector[@name='Relay Three']"

static void
test_connectors(void)
{
	struct model *m = model_new();
	struct mx_err err;

	tap_check(import_path(m, FIXTURES "receive-connectors.xml", &err) == 0,
	    "a Get-ReceiveConnector export imports");
	if (err.code != MX_OK)
		tap_diag("%s: %s", err.where, err.msg);
	tap_check(count(m, "count(//m:receive-connector)") == 3,
	    "its three connectors are recognised by their type names");
	tap_check(count(m, "count(//m:receive-connector"
	    "[@name='Not A Connector'])") == 0,
	    "an object of another type with connector-like properties is "
	    "skipped");
	tap_check(strcmp(str(m, "string(//m:source/@object-type)"),
	    "ReceiveConnector") == 0 &&
	    strcmp(str(m, "string(//m:source/@objects)"), "3") == 0,
	    "the source names the object type and counts the objects");
	tap_check(count(m, "count(//m:source[@kind='clixml'][string-length("
	    "@sha256)=64][@location='" FIXTURES "receive-connectors.xml'])")
	    == 1, "the source records kind, location and SHA-256");
	tap_check(strcmp(str(m, "string(" RC1 "/@banner)"),
	    "220 relay.contoso.com ready") == 0,
	    "a Banner string becomes the banner attribute");
	tap_check(count(m, "count(" RC2 "/@banner)") == 0,
	    "a Nil Banner leaves no banner attribute");
	tap_check(strcmp(str(m, "string(" RC1 "/@tls-certificate-name)"),
	    "<I>CN=Contoso Issuing CA<S>CN=mail.contoso.com") == 0 &&
	    count(m, "count(" RC2 "/@tls-certificate-name)") == 0,
	    "TlsCertificateName is kept as text, and a Nil one is absent");
	tap_check(count(m, "count(" RC1 "/m:binding[@family='ipv6']"
	    "[@text='[::]:25'][@port='25'])") == 1,
	    "an IPv6 binding [::]:25 from an IPBinding object is imported");
	tap_check(count(m, "count(" RC1 "/m:binding[@family='ipv4']"
	    "[@address='0.0.0.0'])") == 1,
	    "an IPv4 binding from a TNRef'd IPBinding object is imported");
	tap_check(strcmp(str(m, "string(" RC2 "/@role)"), "HubTransport") == 0,
	    "an object whose type names come through TNRef is recognised");
	tap_check(count(m, "count(" RC2 "/m:binding)") == 2,
	    "a Bindings <Ref> resolves to the object serialised earlier");
	tap_check(count(m, "count(//m:server[@name='EX01']/"
	    "m:receive-connector[@name='Relay Two'])") == 1,
	    "with a Nil Server, the server comes from Identity SERVER\\Name");
	tap_check(count(m, "count(" RC3 ")") == 1 &&
	    count(m, "count(//m:server[@name='EX01']/m:receive-connector"
	    "[@name='Relay Three'])") == 0,
	    "with no Name, Server or Identity, the distinguished name places "
	    "the connector");
	tap_check(count(m, "count(//m:server[@name='EX02']/m:address"
	    "[@ip='10.1.1.2'][@origin='binding'])") == 1,
	    "a specific binding address is recorded for its server");
	tap_check(strcmp(str(m, "string(" RC1 "/m:setting[@name='Comment']"
	    "/@value)"), "Printers\nfloor 2 _x0007_ bell \xF0\x9F\x98\x80 "
	    "_x0020_ caf\xC3\xA9") == 0,
	    "_xHHHH_ escapes decode; a surrogate pair combines; a control "
	    "character and an escaped underscore stay literal text");
	tap_check(count(m, "count(" RC2 "/m:setting[@name='Comment'])") == 0,
	    "an empty Comment adds no setting");
	tap_check(strcmp(str(m, "string(" RC1 "/@max-message-size)"),
	    "37748736") == 0,
	    "MaxMessageSize \"36 MB (37,748,736 bytes)\" is 37748736 bytes");
	tap_check(strcmp(str(m, "string(" RC2 "/@max-message-size)"),
	    "unlimited") == 0, "MaxMessageSize Unlimited is unlimited");
	tap_check(strcmp(str(m, "string(" RC1 "/@message-rate-limit)"),
	    "unlimited") == 0 &&
	    strcmp(str(m, "string(" RC1 "/@max-inbound-connection)"),
	    "5000") == 0 &&
	    strcmp(str(m, "string(" RC1 "/@max-inbound-connection-per-source)"),
	    "20") == 0 &&
	    strcmp(str(m, "string(" RC1 "/@max-recipients-per-message)"),
	    "200") == 0 &&
	    strcmp(str(m, "string(" RC3 "/@max-recipients-per-message)"),
	    "50") == 0,
	    "limits are numbers or unlimited, from objects or from I32");
	tap_check(strcmp(str(m, "string(" RC1 "/@enabled)"), "true") == 0 &&
	    strcmp(str(m, "string(" RC2 "/@enabled)"), "false") == 0 &&
	    strcmp(str(m, "string(" RC1 "/@require-tls)"), "false") == 0,
	    "booleans are true or false");
	tap_check(strcmp(str(m, "string(" RC1 "/@protocol-logging)"),
	    "Verbose") == 0 &&
	    strcmp(str(m, "string(" RC1 "/@role)"), "FrontendTransport") == 0 &&
	    strcmp(str(m, "string(" RC1 "/@fqdn)"), "ex01.contoso.com") == 0,
	    "enumerations and Fqdn objects give their ToString text");
	tap_check(count(m, "count(" RC1 "/m:permission-group)") == 2 &&
	    count(m, "count(" RC1 "/m:permission-group"
	    "[@name='AnonymousUsers'])") == 1 &&
	    count(m, "count(" RC2 "/m:permission-group)") == 1,
	    "PermissionGroups become one element per group");
	tap_check(count(m, "count(" RC1 "/m:auth-mechanism[@name='Tls' or "
	    "@name='BasicAuth'])") == 2 &&
	    count(m, "count(" RC1 "/m:auth-mechanism"
	    "[@name='BasicAuthRequireTLS'])") == 0,
	    "AuthMechanism becomes one element per mechanism, no more");
	tap_check(count(m, "count(" RC1 "/m:remote-ip-range[@text="
	    "'10.20.0.0/16'][@first='10.20.0.0'][@last='10.20.255.255'])")
	    == 1 && count(m, "count(" RC1 "/m:remote-ip-range[@first="
	    "'192.168.5.10'][@last='192.168.5.10'])") == 1,
	    "RemoteIPRanges objects give their ranges, parsed");
	tap_check(count(m, "count(" RC2 "/m:remote-ip-range"
	    "[@family='ipv6'])") == 2 &&
	    count(m, "count(" RC3 "/m:remote-ip-range[@last='10.1.5.255'])")
	    == 1, "RemoteIPRanges string items give their ranges too");
	tap_check(count(m, "count(//m:setting[@name='FutureProperty'])") == 0 &&
	    count(m, "count(//@*[contains(., 'ignored')])") == 0,
	    "unknown properties are ignored");
	tap_check(strcmp(str(m, "string(//m:organization/@name)"),
	    "Contoso") == 0,
	    "the organisation name comes from the distinguished name");
	tap_check(count(m, "count(" RC1 "/@distinguished-name)") == 1,
	    "the distinguished name is kept");
	mx_err_init(&err);
	tap_check(model_validate(m, "receive-connectors model", &err) == 0,
	    "the imported model is valid against the schema");
	if (err.code != MX_OK)
		tap_diag("%s: %s", err.where, err.msg);
	model_free(m);
}

static void
test_permissions(void)
{
	struct model *m = model_new();
	struct mx_err err;

	tap_check(import_path(m, FIXTURES "ad-permissions.xml", &err) == 0,
	    "a Get-ADPermission export imports");
	if (err.code != MX_OK)
		tap_diag("%s: %s", err.where, err.msg);
	tap_check(strcmp(str(m, "string(//m:source/@object-type)"),
	    "ADPermission") == 0 &&
	    strcmp(str(m, "string(//m:source/@objects)"), "5") == 0,
	    "five entries on receive connectors are counted");
	tap_check(count(m, "count(" RC1 "/m:ace[@principal="
	    "'NT AUTHORITY\\ANONYMOUS LOGON'][@sid='S-1-5-7'][@type='allow']"
	    "[@right='ms-Exch-SMTP-Accept-Any-Recipient'][@access="
	    "'ExtendedRight'][@inherited='false'][@inheritance='None'])") == 1,
	    "an anonymous Accept-Any-Recipient entry becomes an ace");
	tap_check(count(m, "count(" RC1 "/m:ace[@principal="
	    "'NT AUTHORITY\\SYSTEM'][not(@right)][@access='GenericAll']"
	    "[@inherited='true'][@inheritance='All'])") == 1,
	    "an entry whose Identity is a <Ref> lands on the same connector, "
	    "as one ace without right");
	tap_check(count(m, "count(" RC1 "/m:ace)") == 2,
	    "no other ace appears on that connector");
	tap_check(count(m, "count(" RC2 "/m:ace[@type='deny'][@access="
	    "'ExtendedRight, ReadProperty'])") == 2 &&
	    count(m, "count(" RC2 "/m:ace[@right='ms-Exch-SMTP-Submit'])") == 1,
	    "an entry with two extended rights gives two deny aces");
	tap_check(count(m, "count(" RC3 "/m:ace"
	    "[@principal='CONTOSO\\Scanners'])") == 2,
	    "Identity as a DN and as a canonical name find the connector");
	tap_check(count(m, "count(//m:receive-connector)") == 3 &&
	    count(m, "count(//m:ace[@right='Send-As' or "
	    "@right='ms-Exch-Store-Admin'])") == 0,
	    "entries on other objects (a database, a user) are skipped");
	mx_err_init(&err);
	tap_check(model_validate(m, "permissions model", &err) == 0,
	    "the imported permissions are valid against the schema");
	model_free(m);
}

static void
test_order(void)
{
	struct model *a = model_new(), *b = model_new(), *c = model_new();
	struct mx_err err;
	char *da, *db, *dc;
	int ok = 1;

	ok &= import_path(a, FIXTURES "receive-connectors.xml", &err) == 0;
	ok &= import_path(a, FIXTURES "ad-permissions.xml", &err) == 0;
	ok &= import_path(b, FIXTURES "ad-permissions.xml", &err) == 0;
	ok &= import_path(b, FIXTURES "receive-connectors.xml", &err) == 0;
	ok &= import_path(c, FIXTURES "receive-connectors.xml", &err) == 0;
	da = dump_organization(a);
	db = dump_organization(b);
	dc = dump_organization(c);
	tap_check(ok && strcmp(da, db) == 0,
	    "permissions imported before or after the connectors give the "
	    "same connectors");
	tap_check(strcmp(da, dc) != 0,
	    "connectors without their permissions differ from connectors "
	    "with them");
	tap_check(count(b, "count(" RC1 "/m:binding)") == 2 &&
	    count(b, "count(" RC1 "/m:ace)") == 2,
	    "a connector first created by a permission entry gains its "
	    "settings later");
	free(da);
	free(db);
	free(dc);
	model_free(a);
	model_free(b);
	model_free(c);
}

static void
test_mixed(void)
{
	struct model *m = model_new();
	struct mx_err err;

	tap_check(import_path(m, FIXTURES "mixed-deserialized.xml", &err) == 0,
	    "a file mixing four Deserialized.* types imports");
	if (err.code != MX_OK)
		tap_diag("%s: %s", err.where, err.msg);
	tap_check(strcmp(str(m, "string(//m:source/@object-type)"),
	    "ReceiveConnector, ADPermission, AcceptedDomain, ExchangeServer")
	    == 0 && strcmp(str(m, "string(//m:source/@objects)"), "5") == 0,
	    "object-type lists every type found, objects counts them all");
	tap_check(count(m, "count(//m:server[@name='EX09'][@fqdn="
	    "'ex09.fabrikam.com'][@version='15.2.1544.4'][@roles='Mailbox']"
	    "[@edition='Enterprise'][@site='Paris'])") == 1,
	    "an ExchangeServer gives name, fqdn, version a.b.c.d, role, "
	    "edition and site");
	tap_check(strcmp(str(m, "string(//m:organization/@name)"),
	    "Fabrikam, Inc.") == 0,
	    "an escaped comma in the organisation's RDN is unescaped");
	tap_check(count(m, "count(//m:accepted-domain[@name='fabrikam.com']"
	    "[@type='Authoritative'][@default='true'])") == 1 &&
	    count(m, "count(//m:accepted-domain[@name='*.fabrikam.net']"
	    "[@type='ExternalRelay'][@default='false'])") == 1,
	    "accepted domains give name, type and default");
	tap_check(count(m, "count(//m:accepted-domain"
	    "[@name='Fabrikam primary'])") == 0,
	    "DomainName, not the object's Name, names the domain");
	tap_check(count(m, "count(//m:receive-connector[@name="
	    "'Default Frontend EX09']/m:permission-group)") == 3 &&
	    count(m, "count(//m:permission-group[@name='Partners'])") == 0,
	    "PermissionGroups given only as a number are decoded bit by bit");
	tap_check(count(m, "count(//m:receive-connector/m:ace[@right="
	    "'ms-Exch-SMTP-Accept-Any-Recipient'][@sid='S-1-5-7'])") == 1,
	    "a Deserialized permission entry lands on its connector");
	model_free(m);
}

static void
test_nothing_known(void)
{
	struct model *m = model_new();
	struct mx_err err;

	log_set_level(LOG_LEVEL_QUIET);
	tap_check(import_path(m, FIXTURES "no-known-objects.xml", &err) == 0,
	    "a CLIXML file without a known object type is not an error");
	log_set_level(LOG_LEVEL_WARN);
	tap_check(count(m, "count(//m:source[@objects='0']"
	    "[not(@object-type)])") == 1,
	    "its source records objects=\"0\" and no object type");
	tap_check(count(m, "count(//m:server | //m:receive-connector)") == 0,
	    "and nothing else is added");
	model_free(m);
}

/* Every file of tests/malformed/clixml/ is refused, the model intact. */
static void
test_malformed(void)
{
	struct model *m = model_new();
	struct mx_err err;
	struct dirent *de;
	char rel[512], *before, *after;
	DIR *dir;
	int files = 0, bad = 0;

	if (import_path(m, FIXTURES "receive-connectors.xml", &err) == -1)
		tap_diag("base model: %s: %s", err.where, err.msg);
	before = dump(m);
	if ((dir = opendir(tap_srcpath(MALFORMED))) == NULL) {
		tap_check(0, "the malformed CLIXML directory exists");
		free(before);
		model_free(m);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), MALFORMED "%s", de->d_name);
		files++;
		if (import_path(m, rel, &err) == 0 || !refused(&err) ||
		    strncmp(err.where, rel, strlen(rel)) != 0) {
			tap_diag("%s accepted or badly refused (%s: %s)", rel,
			    err.where, err.msg);
			bad++;
		} else
			tap_diag("%s: %s: %s", mx_err_name(err.code),
			    err.where, err.msg);
		after = dump(m);
		if (strcmp(before, after) != 0) {
			tap_diag("%s changed the model", rel);
			bad++;
		}
		free(after);
	}
	closedir(dir);
	tap_check(files >= 18 && bad == 0,
	    "all %d malformed inputs are refused (input or limit) naming "
	    "the file, and leave the model unchanged", files);
	free(before);
	model_free(m);
}

/* Specific messages: where, line, object and reason. */
static void
test_messages(void)
{
	struct model *m = model_new();
	struct mx_err err;

	import_path(m, MALFORMED "html-root.xml", &err);
	tap_check(err.code == MX_ERR_INPUT &&
	    strcmp(err.where, MALFORMED "html-root.xml") == 0 &&
	    strcmp(err.msg, "not CLIXML (root is <html>)") == 0,
	    "an HTML file is \"NAME: not CLIXML (root is <html>)\"");
	import_path(m, MALFORMED "wrong-namespace.xml", &err);
	tap_check(err.code == MX_ERR_INPUT &&
	    strstr(err.msg, "not in namespace") != NULL,
	    "<Objs> in the wrong namespace is refused as not CLIXML");
	mx_err_init(&err);
	tap_check(import_path(m, UNREADABLE "bad-ip-range.xml", &err) == 0 &&
	    count(m, "//m:receive-connector[@identity='EX01\\Broken' and "
	    "@configuration='unreadable' and contains(@configuration-error, "
	    "'" UNREADABLE "bad-ip-range.xml:8') and "
	    "contains(@configuration-error, '10.1.1.300')]") == 1,
	    "a bad IP range is read as unreadable, naming file, line and the "
	    "range on its connector, and the import goes on");
	import_path(m, MALFORMED "unknown-refid.xml", &err);
	tap_check(err.code == MX_ERR_INPUT &&
	    strstr(err.msg, "unknown object RefId \"99\"") != NULL,
	    "a Ref to an unknown RefId is refused");
	import_path(m, MALFORMED "ref-forward.xml", &err);
	tap_check(err.code == MX_ERR_INPUT &&
	    strstr(err.msg, "unknown object RefId \"1\"") != NULL,
	    "a Ref to an object serialised only later is refused");
	import_path(m, MALFORMED "unknown-tnref.xml", &err);
	tap_check(err.code == MX_ERR_INPUT &&
	    strstr(err.msg, "TNRef") != NULL,
	    "a TNRef to unknown type names is refused");
	import_path(m, MALFORMED "deep-nesting.xml", &err);
	tap_check(err.code == MX_ERR_LIMIT &&
	    strstr(err.msg, "CLIXML_DEPTH_MAX") != NULL,
	    "objects nested deeper than CLIXML_DEPTH_MAX are a limit error");
	import_path(m, MALFORMED "xxe.xml", &err);
	tap_check(err.code == MX_ERR_INPUT && strstr(err.msg, "DOCTYPE"),
	    "an external entity never loads: the DOCTYPE is refused");
	import_path(m, MALFORMED "billion-laughs.xml", &err);
	tap_check(err.code == MX_ERR_INPUT && strstr(err.msg, "DOCTYPE"),
	    "an entity bomb never expands: the DOCTYPE is refused");
	model_free(m);
}

/* head, then n copies of unit, then tail, in one allocated buffer. */
static char *
make_doc(const char *head, const char *unit, size_t n, const char *tail,
    size_t *len)
{
	size_t hlen = strlen(head), ulen = strlen(unit), tlen = strlen(tail);
	size_t i;
	char *buf, *p;

	buf = xmalloc(hlen + n * ulen + tlen + 1);
	memcpy(buf, head, hlen);
	p = buf + hlen;
	for (i = 0; i < n; i++, p += ulen)
		memcpy(p, unit, ulen);
	memcpy(p, tail, tlen + 1);
	*len = (size_t)(p - buf) + tlen;
	return buf;
}

/*
 * Import a generated document into a fresh model; returns the result and
 * checks that a refusal left the model as it was.
 */
static int
import_generated(const char *name, const char *head, const char *unit,
    size_t n, const char *tail, struct mx_err *err, int *unchanged)
{
	struct model *m = model_new();
	char *buf, *before, *after;
	size_t len;
	int rc;

	before = dump(m);
	buf = make_doc(head, unit, n, tail, &len);
	rc = import_buffer(m, buf, len, name, err);
	after = dump(m);
	*unchanged = strcmp(before, after) == 0;
	free(buf);
	free(before);
	free(after);
	model_free(m);
	return rc;
}

static void
test_limits(void)
{
	static const char list_head[] = "<Objs " PS_NS "><Obj RefId=\"0\">"
	    CONNECTOR_TN "<Props><S N=\"Identity\">EX01\\Big</S>"
	    "<Obj N=\"Other\" RefId=\"1\"><LST>";
	static const char list_tail[] = "</LST></Obj></Props></Obj></Objs>";
	static const char banner_head[] = "<Objs " PS_NS "><Obj RefId=\"0\">"
	    CONNECTOR_TN "<Props><S N=\"Identity\">EX01\\Big</S>"
	    "<S N=\"Banner\">";
	static const char banner_tail[] = "</S></Props></Obj></Objs>";
	static const char name_head[] = "<Objs " PS_NS "><Obj RefId=\"0\">"
	    CONNECTOR_TN "<Props><S N=\"Identity\">EX01\\";
	static const char name_tail[] = "</S></Props></Obj></Objs>";
	static const char objs_head[] = "<Objs " PS_NS ">";
	static const char objs_tail[] = "</Objs>";
	struct mx_err err;
	int same;

	log_set_level(LOG_LEVEL_QUIET);
	tap_check(import_generated("list-max", list_head, "<S>x</S>",
	    CLIXML_LIST_MAX, list_tail, &err, &same) == 0,
	    "a collection of exactly CLIXML_LIST_MAX items is accepted");
	tap_check(import_generated("list-over", list_head, "<S>x</S>",
	    CLIXML_LIST_MAX + 1, list_tail, &err, &same) == -1 &&
	    err.code == MX_ERR_LIMIT &&
	    strstr(err.msg, "CLIXML_LIST_MAX") != NULL && same,
	    "one item more is MX_ERR_LIMIT naming CLIXML_LIST_MAX, the model "
	    "unchanged");
	tap_check(import_generated("value-max", banner_head, "a",
	    CLIXML_VALUE_MAX, banner_tail, &err, &same) == 0,
	    "a value of exactly CLIXML_VALUE_MAX bytes is accepted");
	tap_check(import_generated("value-over", banner_head, "a",
	    CLIXML_VALUE_MAX + 1, banner_tail, &err, &same) == -1 &&
	    err.code == MX_ERR_LIMIT &&
	    strstr(err.msg, "CLIXML_VALUE_MAX") != NULL && same,
	    "one byte more is MX_ERR_LIMIT naming CLIXML_VALUE_MAX");
	tap_check(import_generated("escaped-max", banner_head, "_x0041_",
	    CLIXML_VALUE_MAX, banner_tail, &err, &same) == 0,
	    "the limit counts decoded bytes: CLIXML_VALUE_MAX escapes pass");
	tap_check(import_generated("escaped-over", banner_head, "_x0041_",
	    CLIXML_VALUE_MAX + 1, banner_tail, &err, &same) == -1 &&
	    err.code == MX_ERR_LIMIT,
	    "and one escape more is refused");
	tap_check(import_generated("name-max", name_head, "n", NAME_MAX_LEN,
	    name_tail, &err, &same) == 0,
	    "a connector name of NAME_MAX_LEN bytes is accepted");
	tap_check(import_generated("name-over", name_head, "n",
	    NAME_MAX_LEN + 1, name_tail, &err, &same) == -1 &&
	    err.code == MX_ERR_LIMIT && same,
	    "a longer connector name is MX_ERR_LIMIT");
	tap_check(import_generated("objects-max", objs_head, "<Obj/>",
	    CLIXML_OBJECTS_MAX, objs_tail, &err, &same) == 0,
	    "a file of exactly CLIXML_OBJECTS_MAX objects is accepted");
	tap_check(import_generated("objects-over", objs_head, "<Obj/>",
	    CLIXML_OBJECTS_MAX + 1, objs_tail, &err, &same) == -1 &&
	    err.code == MX_ERR_LIMIT &&
	    strstr(err.msg, "CLIXML_OBJECTS_MAX") != NULL && same,
	    "one object more is MX_ERR_LIMIT naming CLIXML_OBJECTS_MAX");
	log_set_level(LOG_LEVEL_WARN);
}

/*
 * References cannot multiply the work: a value or a list named by many
 * <Ref>s counts each time it is read.
 */
static void
test_amplification(void)
{
	static const char big_head[] = "<Objs " PS_NS "><Obj RefId=\"0\">"
	    CONNECTOR_TN "<Props><S N=\"Identity\">EX01\\Big</S>"
	    "<Obj N=\"Banner\" RefId=\"1\"><ToString>";
	static const char big_mid[] = "</ToString></Obj></Props></Obj>";
	static const char ref_banner[] = "<Obj><TNRef RefId=\"0\"/><Props>"
	    "<S N=\"Identity\">EX01\\Big</S><Ref N=\"Banner\" "
	    "RefId=\"1\"/></Props></Obj>";
	static const char ace_head[] = "<Objs " PS_NS "><Obj RefId=\"0\">"
	    "<TN RefId=\"0\"><T>Microsoft.Exchange.Management.RecipientTasks."
	    "ADAcePresentationObject</T></TN><Props>"
	    "<S N=\"Identity\">EX01\\Big</S><S N=\"User\">U</S>"
	    "<Obj N=\"ExtendedRights\" RefId=\"1\"><LST>";
	static const char ace_mid[] = "</LST></Obj></Props></Obj>";
	static const char ref_rights[] = "<Obj><TNRef RefId=\"0\"/><Props>"
	    "<S N=\"Identity\">EX01\\Big</S><S N=\"User\">U</S>"
	    "<Ref N=\"ExtendedRights\" RefId=\"1\"/></Props></Obj>";
	static const char walk_head[] = "<Objs " PS_NS "><Obj RefId=\"0\">"
	    CONNECTOR_TN "<Props><S N=\"Identity\">EX01\\Big</S>"
	    "<Obj N=\"Banner\" RefId=\"1\">";
	static const char walk_mid[] = "<ToString>220 walked</ToString></Obj>"
	    "</Props></Obj>";
	static const char range_head[] = "<Objs " PS_NS "><Obj RefId=\"0\">"
	    CONNECTOR_TN "<Props><S N=\"Identity\">EX01\\R0</S>"
	    "<Obj N=\"RemoteIPRanges\" RefId=\"1\"><LST>";
	static const char range_mid[] = "</LST></Obj></Props></Obj>";
	static const char ref_ranges[] = "<Obj><TNRef RefId=\"0\"/><Props>"
	    "<S N=\"Identity\">EX01\\R%zu</S>"
	    "<Ref N=\"RemoteIPRanges\" RefId=\"1\"/></Props></Obj>";
	struct model *m;
	struct mx_err err;
	char *value, *items, *tail, unit[sizeof(ref_ranges) + 16];
	size_t nref, len, i;
	int same;

	value = make_doc(big_head, "a", CLIXML_VALUE_MAX, big_mid, &len);
	nref = CLIXML_READ_BYTES_MAX / CLIXML_VALUE_MAX;
	tail = make_doc("", ref_banner, nref, "</Objs>", &len);
	tap_check(import_generated("bytes-max", value, tail, 1, "", &err,
	    &same) == -1 && err.code == MX_ERR_LIMIT &&
	    strstr(err.msg, "CLIXML_READ_BYTES_MAX") != NULL && same,
	    "a large value read again through many Refs is MX_ERR_LIMIT");
	free(tail);
	tail = make_doc("", ref_banner, nref / 2, "</Objs>", &len);
	tap_check(import_generated("bytes-half", value, tail, 1, "", &err,
	    &same) == 0,
	    "half as many Refs to it stay within CLIXML_READ_BYTES_MAX");
	free(tail);
	free(value);

	/*
	 * A long list named again by many Refs: each Ref costs the whole
	 * list, and Refs may not repeat more elements than the file holds
	 * (CLIXML_REF_ELEMENTS_MIN in a small file).
	 */
	items = make_doc(ace_head, "<S></S>", CLIXML_LIST_MAX, ace_mid, &len);
	tail = make_doc("", ref_rights, 2, "</Objs>", &len);
	tap_check(import_generated("refs-over", items, tail, 1, "", &err,
	    &same) == -1 && err.code == MX_ERR_LIMIT &&
	    strstr(err.msg, "CLIXML_REF_ELEMENTS_MIN") != NULL && same,
	    "a long list repeated by two Refs (three times its size) is "
	    "MX_ERR_LIMIT naming CLIXML_REF_ELEMENTS_MIN");
	free(tail);
	tail = make_doc("", ref_rights, 1, "</Objs>", &len);
	tap_check(import_generated("refs-once", items, tail, 1, "", &err,
	    &same) == 0,
	    "one Ref to it (twice its size in all) is accepted");
	free(tail);
	free(items);

	/* Thirty connectors naming one list of 16,000 ranges. */
	items = xmalloc(sizeof(range_head) + 16000 * 24 + sizeof(range_mid));
	len = (size_t)sprintf(items, "%s", range_head);
	for (i = 0; i < 16000; i++)
		len += (size_t)sprintf(items + len, "<S>10.1.%zu.%zu</S>",
		    i / 256, i % 256);
	strcpy(items + len, range_mid);
	tail = make_doc("", "<Obj><TNRef RefId=\"0\"/><Props><S N=\"Identity\">"
	    "EX01\\Rn</S><Ref N=\"RemoteIPRanges\" RefId=\"1\"/></Props></Obj>",
	    29, "</Objs>", &len);
	tap_check(import_generated("ranges-30", items, tail, 1, "", &err,
	    &same) == -1 && err.code == MX_ERR_LIMIT &&
	    strstr(err.msg, "CLIXML_REF_ELEMENTS_MIN") != NULL && same,
	    "30 connectors naming one list of 16,000 ranges are refused");
	free(tail);
	tail = xmalloc(2 * sizeof(ref_ranges) + 16);
	tail[0] = '\0';
	for (i = 1; i < 2; i++) {
		snprintf(unit, sizeof(unit), ref_ranges, i);
		strcat(tail, unit);
	}
	strcat(tail, "</Objs>");
	value = make_doc(items, tail, 1, "", &len);
	m = model_new();
	mx_err_init(&err);
	if (import_buffer(m, value, len, "ranges-2", &err) == -1)
		tap_diag("ranges-2: %s", err.msg);
	tap_check(err.code == MX_OK &&
	    count(m, "count(//m:remote-ip-range)") == 2 * 16000,
	    "a second connector naming it (as many elements as the file "
	    "holds) is read, with the whole list");
	model_free(m);
	free(value);
	free(tail);
	free(items);

	/* An object walked again and again through Refs: a Banner object
	 * whose ToString comes after many other children. */
	value = make_doc(walk_head, "<Nil/>", CLIXML_LIST_MAX, walk_mid, &len);
	tail = make_doc("", ref_banner, 2, "</Objs>", &len);
	tap_check(import_generated("walk-over", value, tail, 1, "", &err,
	    &same) == -1 && err.code == MX_ERR_LIMIT &&
	    strstr(err.msg, "CLIXML_REF_ELEMENTS_MIN") != NULL && same,
	    "a large object walked again through Refs is MX_ERR_LIMIT");
	free(tail);
	free(value);
}

/*
 * A Ref to an object that encloses it (PowerShell writes one for a type
 * whose UnderlyingSystemType is itself) is neither followed nor refused.
 */
static void
test_ref_enclosing(void)
{
	struct model *m = model_new();
	struct mx_err err;

	tap_check(import_path(m, FIXTURES "ref-enclosing.xml", &err) == 0,
	    "a Ref to an enclosing object is accepted");
	tap_check(count(m, "count(//m:receive-connector)") == 1 &&
	    count(m, "count(//m:receive-connector/m:binding)") == 1 &&
	    count(m, "count(//m:remote-ip-range)") == 1,
	    "the connector, its binding and its range are read");
	tap_check(import_path(m, FIXTURES "ref-self.xml", &err) == 0,
	    "a collection that names itself is accepted, and stands for "
	    "nothing");
	model_free(m);
}

static void
test_contoso(void)
{
	static const char *const files[] = { "receive-connectors.xml",
	    "ad-permissions.xml", "accepted-domains.xml",
	    "exchange-servers.xml", NULL };
	struct model *m = model_new(), *r = model_new();
	struct mx_err err;
	char rel[256], *a, *b;
	int i, ok = 1;

	for (i = 0; files[i] != NULL; i++) {
		snprintf(rel, sizeof(rel), CONTOSO "%s", files[i]);
		if (import_path(m, rel, &err) == -1) {
			tap_diag("%s: %s", err.where, err.msg);
			ok = 0;
		}
	}
	tap_check(ok, "the four Contoso demo exports import");
	tap_check(count(m, "count(//m:source[@objects='21'][@object-type="
	    "'ReceiveConnector'])") == 1 &&
	    count(m, "count(//m:source[@objects='78'][@object-type="
	    "'ADPermission'])") == 1 &&
	    count(m, "count(//m:source[@objects='3'][@object-type="
	    "'AcceptedDomain'])") == 1 &&
	    count(m, "count(//m:source[@objects='3'][@object-type="
	    "'ExchangeServer'])") == 1,
	    "each demo file holds the objects it is named after");
	tap_check(strcmp(str(m, "string(//m:organization/@name)"),
	    "Contoso") == 0 &&
	    count(m, "count(//m:server[@version='15.2.1118.7']"
	    "[@roles='Mailbox'])") == 3,
	    "Contoso has three Exchange 2019 Mailbox servers");
	tap_check(count(m, "count(//m:receive-connector)") == 21 &&
	    count(m, "count(//m:receive-connector[starts-with(@name,"
	    "'Default Frontend')][m:binding[@text='[::]:25']])") == 3,
	    "21 connectors, each server with its default frontend on [::]:25");
	tap_check(count(m, "count(//m:receive-connector[@identity="
	    "'EX02\\Default Frontend EX02']/m:ace[@sid='S-1-5-7']"
	    "[@right='ms-Exch-SMTP-Accept-Any-Recipient'])") == 1 &&
	    count(m, "count(//m:receive-connector[@identity="
	    "'EX01\\Default Frontend EX01']/m:ace[@sid='S-1-5-7']"
	    "[@right='ms-Exch-SMTP-Accept-Any-Recipient'])") == 0,
	    "anonymous relay was added to EX02's default frontend, not EX01's");
	tap_check(count(m, "count(//m:receive-connector[@identity="
	    "'EX02\\Relay Printers']/m:remote-ip-range"
	    "[@first='0.0.0.0'][@last='255.255.255.255'])") == 1 &&
	    count(m, "count(//m:receive-connector[@identity="
	    "'EX01\\Anonymous Relay']/m:remote-ip-range)") == 2,
	    "Relay Printers is open to every address, Anonymous Relay to two");
	tap_check(count(m, "count(//m:server[@name='EX01']/m:address"
	    "[@ip='10.1.1.1'])") == 1 &&
	    count(m, "count(//m:accepted-domain)") == 3,
	    "specific bindings give server addresses; three accepted domains");
	mx_err_init(&err);
	tap_check(model_validate(m, "contoso model", &err) == 0,
	    "the Contoso model is valid against the schema");
	if (err.code != MX_OK)
		tap_diag("%s: %s", err.where, err.msg);
	for (i = 3; i >= 0; i--) {
		snprintf(rel, sizeof(rel), CONTOSO "%s", files[i]);
		if (import_path(r, rel, &err) == -1)
			ok = 0;
	}
	a = dump_organization(m);
	b = dump_organization(r);
	tap_check(ok && strcmp(a, b) == 0,
	    "the demo files imported in reverse order give the same "
	    "organisation");
	free(a);
	free(b);
	model_free(r);
	model_free(m);
}

int
main(void)
{
	xml_init();
	test_detect();
	test_connectors();
	test_permissions();
	test_order();
	test_mixed();
	test_nothing_known();
	test_malformed();
	test_messages();
	test_limits();
	test_amplification();
	test_ref_enclosing();
	test_contoso();
	return tap_done();
}
