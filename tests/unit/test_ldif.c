/*
 * test_ldif.c - the LDIF reader (RFC 2849 as ldifde writes it, bounded,
 * hostile lines refused with "file:line") and the Active Directory mapping
 * of ad.c (bit masks, DNs, security descriptors, names resolved in any
 * order), down to the Contoso demo exported as LDIF giving the same
 * topology and the same findings as its Export-Clixml twin.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "ad.h"
#include "bounds.h"
#include "engine.h"
#include "err.h"
#include "import.h"
#include "import_ldif.h"
#include "log.h"
#include "model.h"
#include "rules.h"
#include "sddl.h"
#include "tap.h"
#include "util.h"
#include "xml.h"

#define CONTOSO		"examples/contoso/"
#define CONTOSO_LDIF	"tests/data/ldif/contoso.ldif"

#define ORG	"CN=Contoso,CN=Microsoft Exchange,CN=Services," \
		"CN=Configuration,DC=contoso,DC=com"
#define SRV	"CN=EX01,CN=Servers,CN=Exchange Administrative Group " \
		"(FYDIBOHF23SPDLT),CN=Administrative Groups," ORG
#define RC	",CN=SMTP Receive Connectors,CN=Protocols," SRV

#define G_SUBMIT	"a18293f1-0685-4540-aa63-e32df421b3a2"
#define G_ANY_RCPT	"5c82f031-4e4c-4326-88e1-8c4f0cad9de5"
#define G_ANY_SENDER	"b857b50b-94a2-4b53-93f6-41cebd2fced0"
#define G_AUTH_DOMAIN	"c22841f4-96cb-498a-ac02-f9a87c74eb14"
#define G_ROUTING	"04031f4f-7c36-43ea-9b49-4bd0f5f1e6af"
#define G_CUSTOM	"11111111-2222-3333-4444-555555555555"

/* The grants of the AnonymousUsers permission group, plus relay. */
#define ANON_RELAY_SDDL	"O:BAG:BAD:" \
	"(OA;;CR;" G_ANY_RCPT ";;AN)(OA;;CR;" G_SUBMIT ";;AN)" \
	"(OA;;CR;" G_ANY_SENDER ";;AN)(OA;;CR;" G_AUTH_DOMAIN ";;AN)" \
	"(OA;;CR;" G_ROUTING ";;AN)(A;CIID;GA;;;SY)"

/* --- evaluation and fixtures --------------------------------------------- */

static xmlXPathObjectPtr
eval_doc(xmlDocPtr doc, const char *fmt, va_list ap)
{
	xmlXPathContextPtr ctxt = xmlXPathNewContext(doc);
	xmlXPathObjectPtr res;
	char expr[2048];

	vsnprintf(expr, sizeof(expr), fmt, ap);
	xmlXPathRegisterNs(ctxt, (const xmlChar *)"m",
	    (const xmlChar *)MODEL_NS);
	xmlXPathRegisterNs(ctxt, (const xmlChar *)"f",
	    (const xmlChar *)"urn:mxbpa:findings:1");
	res = xmlXPathEvalExpression((const xmlChar *)expr, ctxt);
	xmlXPathFreeContext(ctxt);
	return res;
}

/* Number of nodes an XPath expression selects in the model. */
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
	res = eval_doc(model_doc(m), fmt, ap);
	va_end(ap);
	if (res != NULL && res->type == XPATH_NODESET)
		n = res->nodesetval ? res->nodesetval->nodeNr : 0;
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
	static char buf[8192];
	xmlXPathObjectPtr res;
	xmlChar *s;
	va_list ap;

	va_start(ap, fmt);
	res = eval_doc(model_doc(m), fmt, ap);
	va_end(ap);
	buf[0] = '\0';
	if (res != NULL && (s = xmlXPathCastToString(res)) != NULL) {
		util_strlcpy(buf, (const char *)s, sizeof(buf));
		xmlFree(s);
	}
	xmlXPathFreeObject(res);
	return buf;
}

/* bin[0..len) in base64, as a new string. */
static char *
b64_bytes(const uint8_t *bin, size_t len)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, o = 0;
	char *out;
	uint32_t v;

	out = xmalloc(len / 3 * 4 + 8);
	for (i = 0; i < len; i += 3) {
		v = (uint32_t)bin[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)bin[i + 1] << 8;
		if (i + 2 < len)
			v |= bin[i + 2];
		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
		out[o++] = i + 1 < len ? tab[v >> 6 & 63] : '=';
		out[o++] = i + 2 < len ? tab[v & 63] : '=';
	}
	out[o] = '\0';
	return out;
}

/* A base64 line for an SDDL string, through sddl_encode. */
static char *
b64_sddl(const char *sddl)
{
	struct mx_err err;
	uint8_t *bin;
	size_t len;
	char *out;

	mx_err_init(&err);
	if (sddl_encode(sddl, &bin, &len, &err) == -1) {
		tap_diag("sddl_encode: %s", err.msg);
		return xstrdup("");
	}
	out = b64_bytes(bin, len);
	free(bin);
	return out;
}

/* Read every entry of a buffer: count, or -1 with err. */
static int
read_all(const char *data, struct mx_err *err, struct ad_entry **first)
{
	struct ldif_reader *r = ldif_reader_new(data, strlen(data),
	    "test.ldif");
	struct ad_entry *e;
	int n = 0, rc;

	if (first != NULL)
		*first = NULL;
	mx_err_init(err);
	while ((rc = ldif_reader_next(r, &e, err)) == 1) {
		if (first != NULL && *first == NULL)
			*first = e;
		else
			ad_entry_free(e);
		n++;
	}
	ldif_reader_free(r);
	return rc == -1 ? -1 : n;
}

/* The first value of attr in e as a string ("" when absent). */
static const char *
value(const struct ad_entry *e, const char *attr)
{
	const struct ad_attr *a = e ? ad_entry_attr(e, attr) : NULL;

	return a ? (const char *)a->values[0].data : "";
}

/* Import an LDIF text into a new model; NULL on error (err set). */
static struct model *
import_text(const char *text, struct mx_err *err)
{
	struct model *m = model_new();

	mx_err_init(err);
	if (import_ldif(m, text, strlen(text), "test.ldif", NULL, err) ==
	    -1) {
		model_free(m);
		return NULL;
	}
	return m;
}

/* --- the reader ---------------------------------------------------------- */

static void
test_reader_basics(void)
{
	struct ad_entry *e;
	struct mx_err err;
	const struct ad_attr *a;
	int n;

	n = read_all("version: 1\n\n# first\ndn: CN=a,DC=x\nobjectClass: top"
	    "\n\n# between records\n# another comment\n\ndn: CN=b,DC=x\n"
	    "cn: b\n", &err, &e);
	tap_check(n == 2, "a version line and comments between records leave "
	    "two entries");
	tap_check(e != NULL && strcmp(e->dn, "CN=a,DC=x") == 0,
	    "the first entry keeps its DN");
	ad_entry_free(e);

	n = read_all("", &err, NULL);
	tap_check(n == 0, "an empty file holds no entry");
	n = read_all("\n\n# only a comment\n", &err, NULL);
	tap_check(n == 0, "a file of comments and blank lines holds no entry");

	n = read_all("dn: CN=a,DC=x\r\ncn: Relay\r\nobjectClass: top\r\n\r\n",
	    &err, &e);
	tap_check(n == 1 && strcmp(value(e, "cn"), "Relay") == 0,
	    "CRLF line ends are not part of the values");
	ad_entry_free(e);

	n = read_all("dn: CN=a,DC=x\nmsExchSmtpReceiveBanner: 220 ready  \t\n"
	    "description:: MjIwIHJlYWR5ICA=\n", &err, &e);
	tap_check(n == 1 && strcmp(value(e, "msExchSmtpReceiveBanner"),
	    "220 ready") == 0, "trailing spaces of a plain value are dropped");
	tap_check(strcmp(value(e, "description"), "220 ready  ") == 0,
	    "trailing spaces of a base64 value are kept");
	ad_entry_free(e);

	n = read_all("dn: CN=a,DC=x\nobjectSid:: AQUAAAAAAAUVAAAAAQAAAAIAAAA"
	    "DAAAAUQQAAA==\n", &err, &e);
	a = e ? ad_entry_attr(e, "objectSid") : NULL;
	tap_check(n == 1 && a != NULL && a->values[0].len == 28 &&
	    a->values[0].data[0] == 1 && a->values[0].data[1] == 5,
	    "a base64 value is decoded to its bytes");
	ad_entry_free(e);

	n = read_all("dn: CN=a,DC=x\nnTSecurityDescriptor;binary:: AQI=\n",
	    &err, &e);
	tap_check(n == 1 && ad_entry_attr(e, "nTSecurityDescriptor") != NULL,
	    "an attribute is found whatever its options (;binary)");
	tap_check(ad_entry_attr(e, "nTSecurity") == NULL,
	    "a prefix of an attribute name does not find it");
	tap_check(ad_entry_attr(e, "NTSECURITYDESCRIPTOR") != NULL,
	    "attribute names are compared without case");
	ad_entry_free(e);

	/* "CN=Relay\, Printers,DC=x" in base64, with a UTF-8 é. */
	n = read_all("dn:: Q049UmVsYXlcLCBQcmludGVycyDDqSxEQz14\n"
	    "cn: x\n", &err, &e);
	tap_check(n == 1 && e != NULL &&
	    strcmp(e->dn, "CN=Relay\\, Printers \xc3\xa9,DC=x") == 0,
	    "a base64 DN (dn::) is decoded");
	ad_entry_free(e);

	n = read_all("dn: CN=a,DC=x\nchangetype: add\nobjectClass: top\n",
	    &err, &e);
	tap_check(n == 1 && ad_entry_attr(e, "changetype") == NULL &&
	    ad_entry_attr(e, "objectClass") != NULL,
	    "a changetype: add record is read as an entry");
	ad_entry_free(e);
}

static void
test_reader_folding(void)
{
	struct ad_entry *e;
	struct mx_err err;
	const struct ad_attr *a;
	int n;

	n = read_all("dn: CN=Default Fron\n tend EX01,DC=x\ndescription: on\n"
	    " e line\n", &err, &e);
	tap_check(n == 1 && strcmp(e->dn, "CN=Default Frontend EX01,DC=x") ==
	    0, "a folded DN is joined without its leading space");
	tap_check(strcmp(value(e, "description"), "one line") == 0,
	    "a folded value is joined");
	ad_entry_free(e);

	/* "relay permitted" in base64, folded inside the encoding. */
	n = read_all("dn: CN=a,DC=x\r\ndescription:: cmVsYXkg\r\n cGVybW\r\n "
	    "l0dGVk\r\n", &err, &e);
	tap_check(n == 1 && strcmp(value(e, "description"),
	    "relay permitted") == 0, "base64 folded over CRLF lines is "
	    "decoded whole");
	ad_entry_free(e);

	n = read_all("dn: CN=a,DC=x\n# a comment\n  that goes on\n"
	    "cn: b\n", &err, &e);
	a = e ? ad_entry_attr(e, "cn") : NULL;
	tap_check(n == 1 && a != NULL && a->nvalues == 1 &&
	    ad_entry_attr(e, "that") == NULL,
	    "a folded comment is skipped whole");
	ad_entry_free(e);
}

static void
test_reader_refusals(void)
{
	struct mx_err err;
	char *big;
	size_t len;
	int n;

	n = read_all("dn: CN=a,DC=x\nobjectClass: top\ncn x\n", &err, NULL);
	tap_check(n == -1 && err.code == MX_ERR_INPUT &&
	    strcmp(err.where, "test.ldif:3") == 0,
	    "a line without a colon is refused, with file and line");
	n = read_all("dn: CN=a,DC=x\nobjectSid:: AQ$$AA==\n", &err, NULL);
	tap_check(n == -1 && err.code == MX_ERR_INPUT &&
	    strstr(err.msg, "base64") != NULL &&
	    strcmp(err.where, "test.ldif:2") == 0,
	    "bad base64 is refused, with file and line");
	n = read_all("dn: CN=a,DC=x\nobjectSid:: AQI\n", &err, NULL);
	tap_check(n == -1 && err.code == MX_ERR_INPUT,
	    "base64 without its padding is refused");
	n = read_all("dn: CN=a,DC=x\nnTSecurityDescriptor:< file:///etc/passwd"
	    "\n", &err, NULL);
	tap_check(n == -1 && err.code == MX_ERR_INPUT &&
	    strstr(err.msg, "URL") != NULL,
	    "a value given by URL (attr:<) is refused");
	n = read_all("dn: CN=a,DC=x\nchangetype: modify\nreplace: cn\ncn: b\n"
	    "-\n", &err, NULL);
	tap_check(n == -1 && err.code == MX_ERR_INPUT &&
	    strstr(err.msg, "changetype: modify") != NULL,
	    "a changetype: modify record is refused and named");
	n = read_all("dn: CN=a,DC=x\nchangetype: delete\n", &err, NULL);
	tap_check(n == -1 && err.code == MX_ERR_INPUT,
	    "a changetype: delete record is refused");
	n = read_all("version: 1\n\ncn: b\n", &err, NULL);
	tap_check(n == -1 && strstr(err.msg, "dn") != NULL,
	    "a record that does not start with dn is refused");
	n = read_all("version: 2\n\ndn: CN=a\n", &err, NULL);
	tap_check(n == -1 && err.code == MX_ERR_INPUT,
	    "an LDIF version other than 1 is refused");
	n = read_all("version: 1\n\n dn: CN=a\n", &err, NULL);
	tap_check(n == -1 && strstr(err.msg, "continuation") != NULL,
	    "a continuation line with nothing to continue is refused");
	n = read_all("dn: CN=a,DC=x\ncn: a\ndn: CN=b,DC=x\n", &err, NULL);
	tap_check(n == -1 && strcmp(err.where, "test.ldif:3") == 0,
	    "two DNs without a blank line between them are refused");
	n = read_all("dn:: Q049YQBi\n", &err, NULL);
	tap_check(n == -1, "a DN with a NUL byte is refused");
	n = read_all("dn: CN=a,DC=x\n\ndn: CN=b,DC=x\ncn: b\n", &err, NULL);
	tap_check(n == -1 && strcmp(err.where, "test.ldif:1") == 0 &&
	    strstr(err.msg, "without attributes") != NULL,
	    "an entry without any attribute is refused (RFC 2849)");

	/* One line just over LDIF_LINE_MAX once unfolded, and one under. */
	len = LDIF_LINE_MAX + 64;
	big = xmalloc(len + 64);
	memcpy(big, "dn: CN=a,DC=x\ndescription: ", 27);
	memset(big + 27, 'x', LDIF_LINE_MAX);
	strcpy(big + 27 + LDIF_LINE_MAX, "\n");
	n = read_all(big, &err, NULL);
	tap_check(n == -1 && err.code == MX_ERR_LIMIT &&
	    strstr(err.msg, "LDIF_LINE_MAX") != NULL,
	    "a line over LDIF_LINE_MAX is refused as a limit");
	memset(big + 27, 'x', LDAP_VALUE_MAX);
	strcpy(big + 27 + LDAP_VALUE_MAX, "\n");
	n = read_all(big, &err, NULL);
	tap_check(n == 1, "a line of LDAP_VALUE_MAX bytes of value is read");
	memset(big + 27, 'x', LDAP_VALUE_MAX + 1);
	strcpy(big + 27 + LDAP_VALUE_MAX + 1, "\n");
	n = read_all(big, &err, NULL);
	tap_check(n == -1 && err.code == MX_ERR_LIMIT &&
	    strstr(err.msg, "LDAP_VALUE_MAX") != NULL,
	    "a value over LDAP_VALUE_MAX is refused as a limit");
	free(big);
}

static void
test_detect(void)
{
	static const char *yes[] = {
		"dn: CN=a\n", "version: 1\n", "\xef\xbb\xbf# c\n\nDN: x\n",
		"# folded\n comment\ndn: x\n"
	};
	static const char *no[] = {
		"", "<Objs/>", "# only a comment\n", "cn: x\ndn: y\n",
		"dnx: y\n"
	};
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		tap_check(import_ldif_detect(yes[i], strlen(yes[i])),
		    "LDIF is recognised (case %zu)", i);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		tap_check(!import_ldif_detect(no[i], strlen(no[i])),
		    "a non-LDIF buffer is not taken for LDIF (case %zu)", i);
}

/* --- the mapping --------------------------------------------------------- */

static void
test_mapping_attributes(void)
{
	struct mx_err err;
	struct model *m;
	char *text;
	size_t len;

	len = 4096;
	text = xmalloc(len);
	snprintf(text, len,
	    "dn: cn=Relay\\, Printers" RC "\n"
	    "objectClass: top\nobjectClass: MSEXCHSMTPRECEIVECONNECTOR\n"
	    "msExchSmtpReceiveBindings: 0.0.0.0:25\n"
	    "msExchSmtpReceiveBindings: [::]:25\n"
	    "msExchSmtpReceiveRemoteIPRanges: 10.1.0.0/16\n"
	    "msExchSMTPReceiveInboundSecurityFlag: 33\n"
	    "msExchSmtpReceiveRole: 16384\n"
	    "msExchSmtpReceiveEnabled: FALSE\n"
	    "msExchSmtpReceiveProtocolLoggingLevel: 1\n"
	    "msExchSmtpReceiveProtocolRestrictions: 8\n"
	    "msExchSMTPReceiveRelayControl: 5\n"
	    "adminDescription: scanners\n\n"
	    "dn: CN=Other" ",cn=smtp receive connectors,CN=PROTOCOLS,"
	    "CN=EX02,CN=Servers,CN=AG,CN=Administrative Groups," ORG "\n"
	    "objectClass: msExchSmtpReceiveConnector\n"
	    "msExchSMTPReceiveInboundSecurityFlag: 4\n"
	    "msExchSmtpReceiveRemoteIPRanges: 300.0.0.1\n\n"
	    "dn: " SRV "\nobjectClass: msExchExchangeServer\ncn: EX01\n"
	    "serialNumber: Version 15.2 (Build 31118.7)\n"
	    "networkAddress: netbios:EX01\n"
	    "networkAddress: ncacn_ip_tcp:ex01.contoso.com\n"
	    "msExchCurrentServerRoles: 64\n\n"
	    "dn: CN=contoso.net,CN=Accepted Domains,CN=Transport Settings,"
	    ORG "\nobjectClass: msExchAcceptedDomain\n"
	    "msExchAcceptedDomainName: contoso.net\n"
	    "msExchAcceptedDomainFlags: 2\n\n"
	    "dn: CN=contoso.com,CN=Accepted Domains,CN=Transport Settings,"
	    ORG "\nobjectClass: msExchAcceptedDomain\n"
	    "msExchAcceptedDomainName: contoso.com\n"
	    "msExchAcceptedDomainFlags: 4\n");
	m = import_text(text, &err);
	free(text);
	if (!tap_check(m != NULL, "a connector, a server and domains import"))
		tap_diag("%s: %s", err.where, err.msg);
	if (m == NULL)
		return;
	tap_check(count(m, "//m:server[@name='EX01']/m:receive-connector"
	    "[@name='Relay, Printers' and @identity='EX01\\Relay, Printers']")
	    == 1, "the DN gives the server and the name, \\, unescaped, "
	    "objectClass and DN types compared without case");
	tap_check(count(m, "//m:server[@name='EX02']/m:receive-connector"
	    "[@name='Other']") == 1,
	    "DN components are compared without case");
	tap_check(count(m, "//m:receive-connector[@name='Relay, Printers']/"
	    "m:auth-mechanism") == 2 &&
	    count(m, "//m:receive-connector[@name='Relay, Printers']/"
	    "m:auth-mechanism[@name='Tls']") == 1 &&
	    count(m, "//m:receive-connector[@name='Relay, Printers']/"
	    "m:auth-mechanism[@name='ExternalAuthoritative']") == 1,
	    "security flags 33 are Tls and ExternalAuthoritative");
	tap_check(count(m, "//m:receive-connector[@name='Relay, Printers']/"
	    "m:auth-mechanism[@name='BasicAuth']") == 0 &&
	    count(m, "//m:receive-connector[@name='Other']/"
	    "m:auth-mechanism[@name='BasicAuth']") == 1,
	    "BasicAuth (4) is listed only where its bit is set");
	tap_check(strcmp(str(m, "string(//m:receive-connector[@name='Relay, "
	    "Printers']/@role)"), "FrontendTransport") == 0,
	    "transport role 16384 is FrontendTransport");
	tap_check(strcmp(str(m, "string(//m:receive-connector[@name='Relay, "
	    "Printers']/@enabled)"), "false") == 0 &&
	    strcmp(str(m, "string(//m:receive-connector[@name='Other']/"
	    "@enabled)"), "true") == 0,
	    "enabled is FALSE as written, true (Exchange's default) when "
	    "absent");
	tap_check(strcmp(str(m, "string(//m:receive-connector[@name='Relay, "
	    "Printers']/@protocol-logging)"), "Verbose") == 0 &&
	    strcmp(str(m, "string(//m:receive-connector[@name='Other']/"
	    "@protocol-logging)"), "None") == 0,
	    "protocol logging level 1 is Verbose, absent is None");
	tap_check(strcmp(str(m, "string(//m:receive-connector[@name='Relay, "
	    "Printers']/@require-tls)"), "true") == 0 &&
	    strcmp(str(m, "string(//m:receive-connector[@name='Other']/"
	    "@require-tls)"), "false") == 0,
	    "protocol restriction 8 is RequireTLS");
	tap_check(strcmp(str(m, "string(//m:receive-connector[@name='Relay, "
	    "Printers']/@message-rate-limit)"), "5") == 0 &&
	    strcmp(str(m, "string(//m:receive-connector[@name='Other']/"
	    "@message-rate-limit)"), "unlimited") == 0,
	    "a rate limit is kept, and absent means unlimited");
	tap_check(count(m, "//m:receive-connector[@name='Relay, Printers']/"
	    "m:binding") == 2 && count(m, "//m:receive-connector[@name="
	    "'Relay, Printers']/m:remote-ip-range[@first='10.1.0.0' and "
	    "@last='10.1.255.255']") == 1, "bindings and ranges are parsed");
	tap_check(count(m, "//m:receive-connector[@name='Other']/"
	    "m:remote-ip-range") == 0 && count(m, "//m:receive-connector"
	    "[@name='Other']/m:setting[@name='UnreadableValue']") == 1,
	    "a malformed range is left out and kept as evidence, the import "
	    "goes on");
	tap_check(count(m, "//m:setting[@name='Comment' and "
	    "@value='scanners']") == 1, "adminDescription is the comment");
	tap_check(count(m, "//m:server[@name='EX01' and "
	    "@version='15.2.1118.7' and @fqdn='ex01.contoso.com' and "
	    "@roles='Edge']") == 1, "the server's build loses Exchange's "
	    "30000 offset; fqdn from ncacn_ip_tcp; roles from the mask");
	tap_check(count(m, "//m:accepted-domain[@name='contoso.net' and "
	    "@type='InternalRelay' and @default='false']") == 1 &&
	    count(m, "//m:accepted-domain[@name='contoso.com' and "
	    "@type='Authoritative' and @default='true']") == 1,
	    "accepted domain flags give the type (bits 0-1) and default "
	    "(bit 2)");
	tap_check(strcmp(str(m, "string(//m:organization/@name)"), "Contoso")
	    == 0, "the organisation comes from the DN");
	mx_err_init(&err);
	tap_check(model_validate(m, "mapped", &err) == 0,
	    "the mapped model is valid against the schema");
	model_free(m);
}

static void
test_mapping_sd(void)
{
	struct mx_err err;
	struct model *m;
	char *good, *custom, *text;
	size_t len = 16384;

	good = b64_sddl(ANON_RELAY_SDDL);
	custom = b64_sddl("O:BAG:BAD:(OA;;CR;" G_CUSTOM ";;"
	    "S-1-5-21-1-2-3-1105)(OA;;CR;" G_SUBMIT ";;AN)(A;;RPWP;;;AU)");
	text = xmalloc(len);
	snprintf(text, len,
	    "dn: CN=Relay" RC "\nobjectClass: msExchSmtpReceiveConnector\n"
	    "nTSecurityDescriptor:: %s\n\n"
	    "dn: CN=Broken" RC "\nobjectClass: msExchSmtpReceiveConnector\n"
	    "msExchSmtpReceiveBindings: 0.0.0.0:2525\n"
	    "nTSecurityDescriptor:: AQAEgP////8AAAAAAAAAAAAAAAA=\n\n"
	    "dn: CN=App" RC "\nobjectClass: msExchSmtpReceiveConnector\n"
	    "nTSecurityDescriptor:: %s\n\n"
	    "# names seen after the connectors that use them\n"
	    "dn: CN=Custom-Right,CN=Extended-Rights,CN=Configuration,"
	    "DC=contoso,DC=com\nobjectClass: controlAccessRight\n"
	    "cn: Custom-Right\nrightsGuid: " G_CUSTOM "\n\n"
	    "dn: CN=app,CN=Users,DC=contoso,DC=com\nobjectClass: user\n"
	    "sAMAccountName: app\n"
	    "objectSid:: AQUAAAAAAAUVAAAAAQAAAAIAAAADAAAAUQQAAA==\n\n"
	    "dn: CN=CONTOSO,CN=Partitions,CN=Configuration,DC=contoso,"
	    "DC=com\nobjectClass: crossRef\nnCName: DC=contoso,DC=com\n"
	    "nETBIOSName: CONTOSO\n", good, custom);
	m = import_text(text, &err);
	if (!tap_check(m != NULL, "a broken descriptor does not stop the "
	    "import"))
		tap_diag("%s: %s", err.where, err.msg);
	if (m == NULL)
		goto done;
	tap_check(count(m, "//m:receive-connector[@name='Relay']/m:ace"
	    "[@sid='S-1-5-7' and @principal='NT AUTHORITY\\ANONYMOUS LOGON' "
	    "and @type='allow' and @right='ms-Exch-SMTP-Accept-Any-Recipient'"
	    " and @access='ExtendedRight' and @inherited='false']") == 1,
	    "an extended right granted to ANONYMOUS LOGON becomes one ace "
	    "with the right's name");
	tap_check(count(m, "//m:receive-connector[@name='Relay']/m:ace"
	    "[@sid='S-1-5-7']") == 5, "one ace per extended right entry");
	tap_check(count(m, "//m:receive-connector[@name='Relay']/m:ace"
	    "[@sid='S-1-5-18' and @principal='NT AUTHORITY\\SYSTEM' and "
	    "not(@right) and @access='GenericAll' and @inherited='true' and "
	    "@inheritance='All']") == 1, "a plain ACE gives an ace without "
	    "right, inherited from its flags");
	tap_check(count(m, "//m:receive-connector[@name='Relay']/"
	    "m:permission-group[@name='AnonymousUsers']") == 1,
	    "the AnonymousUsers group is derived from its grants");
	tap_check(count(m, "//m:receive-connector[@name='App']/"
	    "m:permission-group[@name != 'Custom']") == 0 &&
	    count(m, "//m:receive-connector[@name='App']/"
	    "m:permission-group[@name = 'Custom']") == 1,
	    "a partial anonymous grant is Custom, and does not "
	    "make the AnonymousUsers group");
	tap_check(count(m, "//m:receive-connector[@name='Relay']/"
	    "m:security-descriptor[@source='nTSecurityDescriptor' and "
	    "contains(@sddl, 'D:') and contains(@sddl, '" G_ANY_RCPT "')]")
	    == 1, "the descriptor is kept as SDDL evidence");
	tap_check(strcmp(str(m, "string(//m:receive-connector[@name='Broken']"
	    "/@permissions)"), "unreadable") == 0 &&
	    str(m, "string(//m:receive-connector[@name='Broken']/"
	    "@permissions-error)")[0] != '\0',
	    "a broken descriptor marks the connector unreadable, with the "
	    "reason");
	tap_check(count(m, "//m:receive-connector[@name='Broken']/m:ace") ==
	    0 && count(m, "//m:receive-connector[@name='Broken']/m:binding")
	    == 1, "the broken connector keeps its other values");
	tap_check(strcmp(str(m, "string(//m:receive-connector[@name='Relay']"
	    "/@permissions)"), "collected") == 0,
	    "a readable descriptor is marked collected");
	tap_check(count(m, "//m:receive-connector[@name='App']/m:ace"
	    "[@right='Custom-Right']") == 1,
	    "a right GUID is named by a controlAccessRight seen after the "
	    "connector");
	tap_check(count(m, "//m:receive-connector[@name='App']/m:ace"
	    "[@principal='CONTOSO\\app' and "
	    "@sid='S-1-5-21-1-2-3-1105']") == 1,
	    "a SID is named by an objectSid entry, with the domain's NetBIOS "
	    "name");
	tap_check(count(m, "//m:receive-connector[@name='App']/m:ace"
	    "[@sid='S-1-5-11' and @access='ReadProperty, WriteProperty' and "
	    "not(@right)]") == 1, "an access mask is listed by right name");
	mx_err_init(&err);
	tap_check(model_validate(m, "mapped", &err) == 0,
	    "the model with permissions is valid against the schema");
	model_free(m);

	/* The same connector alone: nothing to name the GUID and the SID. */
	snprintf(text, len, "dn: CN=App" RC "\nobjectClass: "
	    "msExchSmtpReceiveConnector\nnTSecurityDescriptor:: %s\n", custom);
	m = import_text(text, &err);
	tap_check(m != NULL && count(m, "//m:ace[@right='" G_CUSTOM "' and "
	    "@principal='S-1-5-21-1-2-3-1105']") == 1,
	    "without those entries the right stays a GUID and the principal "
	    "a SID");
	model_free(m);
done:
	free(text);
	free(good);
	free(custom);
}

/*
 * Each malformation the descriptor parser refuses, in a connector next to
 * a sound one: the import goes on, the broken connector is flagged and
 * keeps its other values, the sound one keeps its permissions.
 */
static void
test_mapping_bad_sds(void)
{
	static const char *const bad[] = {
		"truncated-header", "owner-offset-past-end",
		"acl-size-past-end", "ace-count-65535",
		"ace-size-below-header", "sid-16-subauthorities",
		"owner-sid-truncated", "sid-past-ace-end",
	};
	struct util_file f;
	struct mx_err err;
	struct model *m;
	char path[256], *text, *good, *b64;
	size_t i, len = 8192;
	int ok;

	good = b64_sddl("O:SYG:SYD:(OA;;CR;" G_ANY_RCPT ";;AN)");
	text = xmalloc(len);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(path, sizeof(path), "tests/malformed/sd/%s.bin",
		    bad[i]);
		mx_err_init(&err);
		if (util_read_file(tap_srcpath(path), 4096, &f, &err) == -1) {
			tap_check(0, "%s is readable", path);
			continue;
		}
		b64 = b64_bytes((const uint8_t *)f.data, f.len);
		util_file_free(&f);
		snprintf(text, len, "dn: CN=Broken" RC "\nobjectClass: "
		    "msExchSmtpReceiveConnector\n"
		    "msExchSmtpReceiveBindings: 0.0.0.0:25\n"
		    "nTSecurityDescriptor:: %s\n\n"
		    "dn: CN=Sound" RC "\nobjectClass: "
		    "msExchSmtpReceiveConnector\n"
		    "msExchSmtpReceiveBindings: 0.0.0.0:2525\n"
		    "nTSecurityDescriptor:: %s\n", b64, good);
		free(b64);
		m = import_text(text, &err);
		ok = m != NULL &&
		    strcmp(str(m, "string(//m:receive-connector[@name="
		    "'Broken']/@permissions)"), "unreadable") == 0 &&
		    str(m, "string(//m:receive-connector[@name='Broken']/"
		    "@permissions-error)")[0] != '\0' &&
		    count(m, "//m:receive-connector[@name='Broken']/m:ace") ==
		    0 &&
		    count(m, "//m:receive-connector[@name='Broken']/"
		    "m:binding[@port='25']") == 1 &&
		    count(m, "//m:receive-connector[@name='Sound' and "
		    "@permissions='collected']/m:ace[@sid='S-1-5-7' and "
		    "@right='ms-Exch-SMTP-Accept-Any-Recipient']") == 1;
		if (ok) {
			mx_err_init(&err);
			ok = model_validate(m, "bad sd", &err) == 0;
		}
		if (!tap_check(ok, "a descriptor with %s: the connector is "
		    "flagged unreadable, the import goes on", bad[i]) &&
		    m == NULL)
			tap_diag("%s: %s", err.where, err.msg);
		model_free(m);
	}
	free(text);
	free(good);
}

/* Exchange 2003 SMTP virtual servers and their relay setting. */
static void
test_mapping_vserver(void)
{
	struct mx_err err;
	struct model *m;

	m = import_text(
	    "dn: CN=1,CN=SMTP,CN=Protocols,CN=OLDEX,CN=Servers,"
	    "CN=First Administrative Group,CN=Administrative Groups,"
	    "CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,"
	    "DC=contoso,DC=com\n"
	    "objectClass: top\nobjectClass: protocolCfgSMTPServer\n"
	    "cn: 1\nadminDisplayName: Default SMTP Virtual Server\n"
	    "msExchServerBindings: :25:\n"
	    "msExchServerBindings: 10.0.0.5:2525:\n"
	    "msExchSmtpFullyQualifiedDomainName: oldex.contoso.com\n"
	    "msExchSmtpRelayForAuth: TRUE\n\n"
	    "dn: CN=2,CN=SMTP,CN=Protocols,CN=OLDEX,CN=Servers,"
	    "CN=First Administrative Group,CN=Administrative Groups,"
	    "CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,"
	    "DC=contoso,DC=com\n"
	    "objectClass: protocolCfgSMTPServer\ncn: 2\n"
	    "msExchSmtpRelayForAuth: 0\n\n"
	    "dn: CN=3,CN=SMTP,CN=Protocols,CN=OLDEX,CN=Servers,"
	    "CN=First Administrative Group,CN=Administrative Groups,"
	    "CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,"
	    "DC=contoso,DC=com\n"
	    "objectClass: protocolCfgSMTPServer\ncn: 3\n"
	    "msExchSmtpRelayForAuth: sometimes\n\n"
	    "dn: CN=4,CN=SMTP,CN=Protocols,CN=OLDEX,CN=Servers,"
	    "CN=First Administrative Group,CN=Administrative Groups,"
	    "CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,"
	    "DC=contoso,DC=com\n"
	    "objectClass: protocolCfgSMTPServer\ncn: 4\n", &err);
	if (!tap_check(m != NULL, "SMTP virtual servers import"))
		tap_diag("%s: %s", err.where, err.msg);
	if (m == NULL)
		return;
	tap_check(count(m, "//m:server[@name='OLDEX']/"
	    "m:smtp-virtual-server[@name='1' and "
	    "@display-name='Default SMTP Virtual Server' and "
	    "@fqdn='oldex.contoso.com' and @relay-for-auth='true']") == 1,
	    "a virtual server gets its name, display name, FQDN and "
	    "RelayForAuth TRUE");
	tap_check(count(m, "//m:smtp-virtual-server[@name='1']/m:binding"
	    "[@text='0.0.0.0:25']") == 1 &&
	    count(m, "//m:smtp-virtual-server[@name='1']/m:binding"
	    "[@text='10.0.0.5:2525']") == 1,
	    "its bindings: an empty IP is every address");
	tap_check(count(m, "//m:smtp-virtual-server[@name='2' and "
	    "@relay-for-auth='false']") == 1, "RelayForAuth 0 is false");
	tap_check(count(m, "//m:smtp-virtual-server[@name='3' and "
	    "not(@relay-for-auth)]/m:setting[@name='UnreadableValue' and "
	    "starts-with(@value, 'msExchSmtpRelayForAuth')]") == 1,
	    "an unknown RelayForAuth value is kept as unreadable");
	tap_check(count(m, "//m:smtp-virtual-server[@name='4' and "
	    "not(@relay-for-auth)]") == 1,
	    "without the attribute nothing is assumed");
	mx_err_init(&err);
	tap_check(model_validate(m, "vserver", &err) == 0,
	    "the model with virtual servers is valid");
	model_free(m);
}

static void
test_import_atomic(void)
{
	struct mx_err err;
	struct model *m = model_new();
	static const char text[] = "dn: CN=Relay" RC "\nobjectClass: "
	    "msExchSmtpReceiveConnector\n\ndn: CN=x,DC=y\nobjectSid:: A$\n";

	mx_err_init(&err);
	tap_check(import_ldif(m, text, strlen(text), "bad.ldif", NULL,
	    &err) == -1 && strncmp(err.where, "bad.ldif:", 9) == 0,
	    "an error names the file and its line");
	tap_check(count(m, "//m:receive-connector") == 0 &&
	    count(m, "//m:source") == 0,
	    "a refused file leaves the model unchanged");
	mx_err_init(&err);
	tap_check(import_ldif(m, "", 0, "empty.ldif", NULL, &err) == 0 &&
	    count(m, "//m:source[@kind='ldif' and @objects='0']") == 1,
	    "an empty file imports nothing and is recorded as a source");
	model_free(m);
}

/* --- Contoso: LDIF and Export-Clixml agree ------------------------------- */

/*
 * The facts of every server, domain and connector, one line each: what the
 * rules look at.  The ACE fact is ANONYMOUS LOGON's ms-Exch-SMTP-Accept-
 * Any-Recipient grant.  Externally Secured Servers are compared by
 * inclusion only (grants_included): in AD, the ExchangeServers permission
 * group is those grants (Exchange derives the group from them), so every
 * connector with that group holds them, while the CLIXML demo, a filtered
 * Get-ADPermission export, lists them on two connectors only.
 */
static char *
facts(struct model *m)
{
	static const char *const expr[] = {
		"concat(@role, ' ', @enabled, ' ', @protocol-logging, ' ', "
		    "@require-tls, ' ', @fqdn, ' ', @max-message-size, ' ', "
		    "@message-rate-limit, ' ', @max-recipients-per-message)",
		"m:binding/@text", "m:remote-ip-range/@first",
		"m:remote-ip-range/@last", "m:permission-group/@name",
		"m:auth-mechanism/@name",
		"m:ace[contains(@principal, 'ANONYMOUS LOGON') and "
		    "translate(@right, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
		    "'abcdefghijklmnopqrstuvwxyz') = "
		    "'ms-exch-smtp-accept-any-recipient']/@type",
		NULL
	};
	xmlXPathObjectPtr conns, items;
	xmlXPathContextPtr ctxt;
	char *out = xstrdup(""), *s;
	size_t i, j, k, len;
	int n;

	ctxt = xmlXPathNewContext(model_doc(m));
	xmlXPathRegisterNs(ctxt, (const xmlChar *)"m",
	    (const xmlChar *)MODEL_NS);
	model_normalize(m);
	conns = xmlXPathEvalExpression((const xmlChar *)
	    "//m:server/m:receive-connector | //m:server | "
	    "//m:accepted-domain", ctxt);
	n = conns && conns->nodesetval ? conns->nodesetval->nodeNr : 0;
	for (i = 0; i < (size_t)n; i++) {
		xmlNodePtr c = conns->nodesetval->nodeTab[i];
		char head[2300];

		snprintf(head, sizeof(head), "\n%s %s:", (const char *)c->name,
		    xml_attr(c, "identity") ? xml_attr(c, "identity") :
		    xml_attr(c, "name"));
		len = strlen(out) + strlen(head) + 1;
		out = xreallocarray(out, len, 1);
		strcat(out, head);
		if (strcmp((const char *)c->name, "server") == 0 ||
		    strcmp((const char *)c->name, "accepted-domain") == 0) {
			snprintf(head, sizeof(head), " %s %s %s %s",
			    xml_attr(c, "version") ? xml_attr(c, "version") :
			    "", xml_attr(c, "fqdn") ? xml_attr(c, "fqdn") : "",
			    xml_attr(c, "type") ? xml_attr(c, "type") : "",
			    xml_attr(c, "default") ? xml_attr(c, "default") :
			    "");
			out = xreallocarray(out, strlen(out) + strlen(head) +
			    1, 1);
			strcat(out, head);
			continue;
		}
		ctxt->node = c;
		for (k = 0; expr[k] != NULL; k++) {
			items = xmlXPathEvalExpression((const xmlChar *)
			    expr[k], ctxt);
			if (items == NULL)
				continue;
			if (items->type != XPATH_NODESET) {
				s = (char *)xmlXPathCastToString(items);
				out = xreallocarray(out, strlen(out) +
				    strlen(s) + 4, 1);
				strcat(out, " [");
				strcat(out, s);
				strcat(out, "]");
				xmlFree(s);
			} else {
				out = xreallocarray(out, strlen(out) + 3, 1);
				strcat(out, " |");
				for (j = 0; items->nodesetval &&
				    j < (size_t)items->nodesetval->nodeNr;
				    j++) {
					s = (char *)xmlNodeGetContent(
					    items->nodesetval->nodeTab[j]);
					out = xreallocarray(out, strlen(out) +
					    strlen(s) + 2, 1);
					strcat(out, " ");
					strcat(out, s);
					xmlFree(s);
				}
			}
			xmlXPathFreeObject(items);
		}
	}
	xmlXPathFreeObject(conns);
	xmlXPathFreeContext(ctxt);
	return out;
}

/* Is every ANONYMOUS LOGON and Externally Secured grant of a in b? */
static int
grants_included(struct model *a, struct model *b)
{
	xmlXPathObjectPtr aces;
	xmlXPathContextPtr ctxt;
	int i, n, ok = 1;

	ctxt = xmlXPathNewContext(model_doc(a));
	xmlXPathRegisterNs(ctxt, (const xmlChar *)"m",
	    (const xmlChar *)MODEL_NS);
	aces = xmlXPathEvalExpression((const xmlChar *)"//m:ace[@right and "
	    "(contains(@principal, 'ANONYMOUS LOGON') or "
	    "contains(@principal, 'Externally Secured'))]", ctxt);
	n = aces && aces->nodesetval ? aces->nodesetval->nodeNr : 0;
	for (i = 0; i < n; i++) {
		xmlNodePtr e = aces->nodesetval->nodeTab[i];

		if (count(b, "//m:receive-connector[@identity='%s']/m:ace"
		    "[@principal='%s' and @type='%s' and @right='%s']",
		    xml_attr(e->parent, "identity"), xml_attr(e, "principal"),
		    xml_attr(e, "type"), xml_attr(e, "right")) != 1) {
			tap_diag("missing from LDIF: %s %s %s",
			    xml_attr(e->parent, "identity"),
			    xml_attr(e, "principal"), xml_attr(e, "right"));
			ok = 0;
		}
	}
	xmlXPathFreeObject(aces);
	xmlXPathFreeContext(ctxt);
	return ok && n > 0;
}

/* "RULE object" lines of a findings document, in document order. */
static char *
finding_keys(xmlDocPtr f)
{
	xmlNodePtr root = xmlDocGetRootElement(f), c;
	char *out = xstrdup("");
	size_t len;

	for (c = root ? root->children : NULL; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, "finding") != 0)
			continue;
		len = strlen(out) + strlen(xml_attr(c, "rule")) +
		    strlen(xml_attr(c, "object")) + 3;
		out = xreallocarray(out, len, 1);
		strcat(out, xml_attr(c, "rule"));
		strcat(out, " ");
		strcat(out, xml_attr(c, "object"));
		strcat(out, "\n");
	}
	return out;
}

static void
test_contoso(void)
{
	static const char *const clixml[] = {
		"receive-connectors.xml", "ad-permissions.xml",
		"accepted-domains.xml", "exchange-servers.xml"
	};
	struct model *a = model_new(), *b = model_new();
	struct rule_set *rs = rule_set_new();
	xmlDocPtr fa = NULL, fb = NULL;
	struct util_file f;
	struct mx_err err;
	char path[1024], *x, *y;
	size_t i;
	int ok = 1;

	mx_err_init(&err);
	for (i = 0; i < 4 && ok; i++) {
		snprintf(path, sizeof(path), "%s", tap_srcpath(CONTOSO));
		util_strlcpy(path + strlen(path), clixml[i],
		    sizeof(path) - strlen(path));
		ok = import_file(a, path, &err) == 0;
	}
	if (ok)
		ok = util_read_file(tap_srcpath(CONTOSO_LDIF), LDIF_FILE_MAX,
		    &f, &err) == 0;
	if (ok) {
		ok = import_ldif(b, f.data, f.len, CONTOSO_LDIF, NULL,
		    &err) == 0;
		util_file_free(&f);
	}
	if (!tap_check(ok, "the Contoso demo imports from CLIXML and LDIF"))
		tap_diag("%s: %s", err.where, err.msg);
	if (!ok)
		goto done;
	x = facts(a);
	y = facts(b);
	if (!tap_check(strcmp(x, y) == 0, "Contoso from LDIF has the same "
	    "servers, domains, connectors, bindings, ranges, permission "
	    "groups, auth mechanisms and relay grants as from CLIXML"))
		tap_diag("CLIXML:%s\n# LDIF:%s", x, y);
	tap_check(strstr(x, "AnonymousUsers") != NULL &&
	    strstr(x, "ExternalAuthoritative") != NULL,
	    "the compared facts include the relay-relevant ones");
	free(x);
	free(y);
	tap_check(grants_included(a, b), "every ANONYMOUS LOGON and "
	    "Externally Secured grant of the CLIXML demo is in the LDIF one");
	tap_check(count(b, "//m:ace[@principal='CONTOSO\\Enterprise Admins' "
	    "and @inherited='true']") == 1,
	    "the demo's Enterprise Admins ACE is named from its objectSid");
	mx_err_init(&err);
	tap_check(model_validate(b, CONTOSO_LDIF, &err) == 0,
	    "the LDIF demo model is valid");

	if (rule_set_load_dir(rs, tap_srcpath("rules"), &err) == -1 ||
	    (fa = engine_run(rs, a, &err)) == NULL ||
	    (fb = engine_run(rs, b, &err)) == NULL) {
		tap_check(0, "the rules run on both models");
		tap_diag("%s: %s", err.where, err.msg);
		goto done;
	}
	x = finding_keys(fa);
	y = finding_keys(fb);
	if (!tap_check(x[0] != '\0' && strcmp(x, y) == 0, "the audit of the "
	    "LDIF demo gives the same findings (rule and object) as the "
	    "CLIXML demo"))
		tap_diag("CLIXML:\n%s# LDIF:\n%s", x, y);
	free(x);
	free(y);
done:
	if (fa != NULL)
		xmlFreeDoc(fa);
	if (fb != NULL)
		xmlFreeDoc(fb);
	rule_set_free(rs);
	model_free(a);
	model_free(b);
}

int
main(void)
{
	xml_init();
	log_set_level(LOG_LEVEL_QUIET);
	test_reader_basics();
	test_reader_folding();
	test_reader_refusals();
	test_detect();
	test_mapping_attributes();
	test_mapping_sd();
	test_mapping_bad_sds();
	test_mapping_vserver();
	test_import_atomic();
	test_contoso();
	return tap_done();
}
