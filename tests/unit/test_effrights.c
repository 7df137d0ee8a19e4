/*
 * test_effrights.c - the effective-rights evaluator (effrights.c): a
 * truth table of every ACE shape alone and in both orders with an allow
 * and a deny partner, for every client kind; access texts; tokens; and
 * the derived facts of small models (recomputed, never trusted).
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "effrights.h"
#include "principal.h"
#include "tap.h"

#define AR	EFFRIGHTS_ANY_RECIPIENT
#define CR	EFFRIGHTS_CONTROL_ACCESS

/*
 * ACE shapes, each with whether it covers ms-Exch-SMTP-Accept-Any-Recipient
 * on the connector itself ([MS-DTYP] 2.5.3.2, [MS-ADTS] 5.1.3.3.3).
 */
static const struct shape {
	const char	*what;
	uint32_t	 mask;
	int		 object;
	int		 right;
	int		 inherit_only;
	int		 covers;
} shapes[] = {
	{ "control access on Accept-Any-Recipient", CR, 1, AR, 0, 1 },
	{ "control access with no object type", CR, 0, -1, 0, 1 },
	{ "GENERIC_ALL", EFFRIGHTS_GENERIC_ALL, 0, -1, 0, 1 },
	{ "GenericAll as .NET writes it", 0x000f01ffu, 0, -1, 0, 1 },
	{ "control access on another right (Submit)", CR, 1,
	    EFFRIGHTS_SUBMIT, 0, 0 },
	{ "control access on a property set", CR, 1, -1, 0, 0 },
	{ "ReadProperty|WriteProperty on the right's GUID", 0x30, 1, AR, 0, 0 },
	{ "GenericRead (no control access)", 0x00020094u, 0, -1, 0, 0 },
	{ "Delete|DeleteTree (protect from deletion)", 0x00010040u, 0, -1, 0,
	    0 },
	{ "WriteProperty with no object type", 0x20, 0, -1, 0, 0 },
	{ "inherit-only control access on the right", CR, 1, AR, 1, 0 },
	{ "inherit-only GENERIC_ALL", EFFRIGHTS_GENERIC_ALL, 0, -1, 1, 0 },
};

#define NSHAPES	(sizeof(shapes) / sizeof(*shapes))

/* The SID that stands for each client kind in the table. */
static const char *const client_sid[EFFRIGHTS_CLIENT_COUNT] = {
	[EFFRIGHTS_ANONYMOUS] = PRINCIPAL_SID_ANONYMOUS,
	[EFFRIGHTS_AUTHENTICATED] = PRINCIPAL_SID_AUTHUSERS,
	[EFFRIGHTS_PARTNER] = PRINCIPAL_SID_PARTNERS,
	[EFFRIGHTS_EXCHANGE_SERVER] = PRINCIPAL_SID_HUB,
	[EFFRIGHTS_LEGACY_SERVER] = "S-1-5-21-1-2-3-1111",
	[EFFRIGHTS_EXTERNALLY_SECURED] = PRINCIPAL_SID_EXTERNAL,
};

static struct effrights_ace
ace_of(const struct shape *s, int deny, const char *sid)
{
	struct effrights_ace a;

	memset(&a, 0, sizeof(a));
	a.deny = deny;
	a.mask = s->mask;
	a.mask_known = 1;
	a.object = s->object;
	a.right = s->right;
	a.inherit_only = s->inherit_only;
	a.sid = sid;
	return a;
}

static int
granted(const struct effrights_ace *aces, size_t n, int who, int null_dacl)
{
	struct effrights_token t;

	effrights_token(who, NULL, client_sid[EFFRIGHTS_LEGACY_SERVER], 1, &t);
	return (effrights_check(aces, n, null_dacl, &t, NULL) &
	    EFFRIGHTS_BIT(AR)) != 0;
}

static void
truth_table(void)
{
	static const struct shape partner = { "partner", CR, 1, AR, 0, 1 };
	struct effrights_ace aces[2];
	size_t i;
	int who, deny, pdeny, first, expect, ok = 1, n = 0;

	for (who = 0; who < EFFRIGHTS_CLIENT_COUNT; who++) {
		const char *sid = client_sid[who];
		const char *name = effrights_client_names[who];

		for (i = 0; i < NSHAPES; i++)
			for (deny = 0; deny < 2; deny++) {
				const struct shape *s = &shapes[i];

				aces[0] = ace_of(s, deny, sid);
				expect = s->covers && !deny;
				n++;
				if (granted(aces, 1, who, 0) != expect) {
					ok = 0;
					tap_diag("%s: %s %s alone", name,
					    deny ? "deny" : "allow", s->what);
				}
				for (pdeny = 0; pdeny < 2; pdeny++)
					for (first = 0; first < 2; first++) {
						aces[first] = ace_of(s, deny,
						    sid);
						aces[!first] = ace_of(&partner,
						    pdeny, sid);
						/* First entry covering it wins. */
						if (s->covers && first == 0)
							expect = !deny;
						else
							expect = !pdeny;
						n++;
						if (granted(aces, 2, who, 0) !=
						    expect) {
							ok = 0;
							tap_diag("%s: %s %s "
							    "%s %s partner",
							    name, deny ?
							    "deny" : "allow",
							    s->what, first ?
							    "after" : "before",
							    pdeny ? "a deny" :
							    "an allow");
						}
					}
			}
		tap_check(ok, "%s: each ACE shape alone and before/after an "
		    "allow or deny partner decides as the access check does",
		    name);
		ok = 1;
	}
	tap_check(n == EFFRIGHTS_CLIENT_COUNT * NSHAPES * 2 * 5,
	    "the table ran %d combinations", n);
}

static void
special_dacls(void)
{
	struct effrights_ace a[2];
	struct effrights_token t;
	int who, ok = 1;

	for (who = 0; who < EFFRIGHTS_CLIENT_COUNT; who++) {
		effrights_token(who, NULL, NULL, 1, &t);
		ok &= effrights_check(NULL, 0, 1, &t, NULL) == EFFRIGHTS_ALL;
		ok &= effrights_check(NULL, 0, 0, &t, NULL) == 0;
	}
	tap_check(ok, "NULL DACL grants every right, an empty one none, "
	    "for every client kind");
	a[0] = ace_of(&shapes[0], 0, PRINCIPAL_SID_ANONYMOUS);
	tap_check(!granted(a, 1, EFFRIGHTS_AUTHENTICATED, 0) &&
	    !granted(a, 1, EFFRIGHTS_EXTERNALLY_SECURED, 0),
	    "ANONYMOUS LOGON's grant is not another client's");
	a[0] = ace_of(&shapes[0], 0, PRINCIPAL_SID_EVERYONE);
	tap_check(granted(a, 1, EFFRIGHTS_ANONYMOUS, 0) &&
	    granted(a, 1, EFFRIGHTS_AUTHENTICATED, 0),
	    "an Everyone grant reaches anonymous (assumed) and users");
	effrights_token(EFFRIGHTS_ANONYMOUS, NULL, NULL, 0, &t);
	tap_check((effrights_check(a, 1, 0, &t, NULL) & EFFRIGHTS_BIT(AR))
	    == 0, "without the Everyone assumption it does not reach "
	    "anonymous sessions");
	a[0] = ace_of(&shapes[1], 1, PRINCIPAL_SID_EVERYONE);
	a[1] = ace_of(&shapes[0], 0, PRINCIPAL_SID_ANONYMOUS);
	tap_check(!granted(a, 2, EFFRIGHTS_ANONYMOUS, 0),
	    "a deny for Everyone first cancels ANONYMOUS LOGON's grant");
	a[0] = ace_of(&shapes[0], 0, "S-1-5-21-1-2-3-513");
	tap_check(granted(a, 1, EFFRIGHTS_AUTHENTICATED, 0) &&
	    !granted(a, 1, EFFRIGHTS_ANONYMOUS, 0),
	    "Domain Users is in a user's token, not an anonymous one");
	a[0] = ace_of(&shapes[0], 0, NULL);
	tap_check(!granted(a, 1, EFFRIGHTS_ANONYMOUS, 0),
	    "an entry without a SID names nobody in a token");
	a[0] = ace_of(&shapes[1], 0, PRINCIPAL_SID_ANONYMOUS);
	a[0].mask_known = 0;
	tap_check(!granted(a, 1, EFFRIGHTS_ANONYMOUS, 0),
	    "an entry with unknown rights grants nothing (it is reported)");
}

static void
access_texts(void)
{
	uint32_t m;

	tap_check(effrights_access_mask("ExtendedRight", &m) == 0 && m == CR,
	    "ExtendedRight is control access");
	tap_check(effrights_access_mask("ReadProperty, WriteProperty", &m) ==
	    0 && m == 0x30, "a list of rights adds up");
	tap_check(effrights_access_mask("GenericAll", &m) == 0 &&
	    (m & EFFRIGHTS_GENERIC_ALL) && (m & CR),
	    "GenericAll covers control access");
	tap_check(effrights_access_mask("GenericRead, GenericWrite", &m) == 0 &&
	    !(m & CR), "GenericRead and GenericWrite do not");
	tap_check(effrights_access_mask("Delete, 0x100", &m) == 0 &&
	    m == (0x10000u | CR), "a hexadecimal remainder is read");
	tap_check(effrights_access_mask("Jeder", &m) == -1,
	    "an unknown word is refused");
	tap_check(effrights_access_mask("0x1g", &m) == -1 &&
	    effrights_access_mask("0x123456789", &m) == -1,
	    "a malformed or too long number is refused");
}

static void
principals(void)
{
	static const struct {
		const char	*name;
		const char	*sid;
	} names[] = {
		{ "NT AUTHORITY\\ANONYMOUS LOGON", "S-1-5-7" },
		{ "NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG", "S-1-5-7" },
		{ "AUTORITE NT\\ANONYMOUS LOGON", "S-1-5-7" },
		{ "NT AUTHORITY\\INICIO DE SESIÓN ANÓNIMO", "S-1-5-7" },
		{ "NT AUTHORITY\\ACCESSO ANONIMO", "S-1-5-7" },
		{ "NT AUTHORITY\\ANONIEME AANMELDING", "S-1-5-7" },
		{ "AUTORIDADE NT\\LOGON ANÔNIMO", "S-1-5-7" },
		{ "NT AUTHORITY\\АНОНИМНЫЙ ВХОД", "S-1-5-7" },
		{ "nt authority\\anonymous logon", "S-1-5-7" },
		{ "Jeder", "S-1-1-0" },
		{ "Tout le monde", "S-1-1-0" },
		{ "Todos", "S-1-1-0" },
		{ "Iedereen", "S-1-1-0" },
		{ "Все", "S-1-1-0" },
		{ "NT-AUTORITÄT\\Authentifizierte Benutzer", "S-1-5-11" },
		{ "AUTORIDADE NT\\Usuários autenticados", "S-1-5-11" },
		{ "NT AUTHORITY\\Прошедшие проверку", "S-1-5-11" },
		{ "VORDEFINIERT\\Administratoren", "S-1-5-32-544" },
		{ "MS Exchange\\Externally Secured Servers",
		    PRINCIPAL_SID_EXTERNAL },
	};
	size_t i;
	int ok = 1;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (principal_sid(names[i].name) == NULL ||
		    strcmp(principal_sid(names[i].name), names[i].sid) != 0) {
			ok = 0;
			tap_diag("%s", names[i].name);
		}
	tap_check(ok, "localised NT AUTHORITY, BUILTIN and Everyone names "
	    "resolve to their SIDs");
	tap_check(principal_sid("CONTOSO\\ANONYMOUS LOGON") == NULL,
	    "a domain account named like a well-known one is not it");
	tap_check(principal_looks_well_known("NT-AUTORITÄT\\UNBEKANNT") &&
	    principal_looks_well_known("Alle") &&
	    !principal_looks_well_known("CONTOSO\\Enterprise Admins"),
	    "unknown names of a well-known authority may be well-known; "
	    "domain accounts are not");
	tap_check(strcmp(principal_name("S-1-5-7"),
	    "NT AUTHORITY\\ANONYMOUS LOGON") == 0,
	    "S-1-5-7 is named in English");
}

/* Parse a model body (server element content) and derive it. */
static xmlDocPtr
derive(const char *connector)
{
	char buf[8192];
	xmlDocPtr doc;

	snprintf(buf, sizeof(buf), "<topology><organization><server "
	    "name=\"EX01\"><receive-connector name=\"R\" identity=\"EX01\\R\">"
	    "%s</receive-connector></server></organization></topology>",
	    connector);
	doc = xmlReadMemory(buf, (int)strlen(buf), "t", NULL, 0);
	if (doc != NULL)
		effrights_derive(xmlDocGetRootElement(doc));
	return doc;
}

/* The string value of an XPath expression on doc. */
static const char *
value(xmlDocPtr doc, const char *expr)
{
	static char out[512];
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr obj;
	xmlChar *s;

	out[0] = '\0';
	obj = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	if (obj != NULL) {
		s = xmlXPathCastToString(obj);
		snprintf(out, sizeof(out), "%s", s ? (const char *)s : "");
		xmlFree(s);
		xmlXPathFreeObject(obj);
	}
	xmlXPathFreeContext(ctx);
	return out;
}

#define ANON	"principal=\"NT AUTHORITY\\ANONYMOUS LOGON\" sid=\"S-1-5-7\" "
#define EFF(c)	"//effective[@client='" c "']"

static int
is(xmlDocPtr doc, const char *expr, const char *want)
{
	const char *got = value(doc, expr);

	if (strcmp(got, want) != 0) {
		tap_diag("%s: \"%s\", want \"%s\"", expr, got, want);
		return 0;
	}
	return 1;
}

static void
derived(void)
{
	xmlDocPtr d;

	d = derive("<ace " ANON "type=\"allow\" right=\"ms-Exch-SMTP-Submit\" "
	    "access=\"ExtendedRight\" inherited=\"false\"/><ace " ANON
	    "type=\"allow\" right=\"ms-Exch-SMTP-Accept-Any-Recipient\" "
	    "access=\"ExtendedRight\" inherited=\"false\"/>"
	    "<effective client=\"anonymous\" relay=\"false\"/>");
	tap_check(is(d, "count(" EFF("anonymous") ")", "1") &&
	    is(d, EFF("anonymous") "/@relay", "true") &&
	    is(d, EFF("anonymous") "/decision[@right="
	    "'ms-Exch-SMTP-Accept-Any-Recipient']/@ace", "2"),
	    "Submit and Accept-Any-Recipient without AnonymousUsers relay; "
	    "a hand-written fact is replaced, the deciding entry named");
	xmlFreeDoc(d);

	d = derive("<permission-group name=\"AnonymousUsers\"/>"
	    "<permission-group name=\"ExchangeServers\"/>"
	    "<auth-mechanism name=\"ExternalAuthoritative\"/>");
	tap_check(is(d, EFF("anonymous") "/@submit", "true") &&
	    is(d, EFF("anonymous") "/@relay", "false") &&
	    is(d, EFF("anonymous") "/@source", "permission-groups") &&
	    is(d, EFF("externally-secured") "/@relay", "true") &&
	    is(d, EFF("externally-secured") "/@applies", "true"),
	    "no entries exported: the groups stand for their grants");
	xmlFreeDoc(d);

	d = derive("<ace principal=\"Everyone\" sid=\"S-1-1-0\" type=\"allow\" "
	    "access=\"ExtendedRight\" inherited=\"false\"/>");
	tap_check(is(d, EFF("anonymous") "/@relay", "true") &&
	    is(d, EFF("anonymous") "/@everyone-dependent", "true") &&
	    is(d, EFF("anonymous") "/decision[1]/@everyone", "true"),
	    "a relay through an Everyone entry says it depends on it");
	xmlFreeDoc(d);

	d = derive("<ace principal=\"NT-AUTORITÄT\\ANONYM\" type=\"allow\" "
	    "right=\"ms-Exch-SMTP-Accept-Any-Recipient\" "
	    "access=\"ExtendedRight\" inherited=\"false\"/>"
	    "<ace principal=\"CONTOSO\\Enterprise Admins\" type=\"allow\" "
	    "access=\"GenericAll\" inherited=\"true\"/>");
	tap_check(is(d, EFF("anonymous") "/@complete", "false") &&
	    is(d, "count(" EFF("anonymous") "/unknown-principal)", "1") &&
	    is(d, EFF("anonymous") "/unknown-principal/@name",
	    "NT-AUTORITÄT\\ANONYM"),
	    "an unresolved well-known-looking principal makes the verdict "
	    "incomplete; a domain group does not");
	xmlFreeDoc(d);

	d = derive("<security-descriptor source=\"nTSecurityDescriptor\" "
	    "dacl=\"null\"/><permission-group name=\"ExchangeUsers\"/>");
	tap_check(is(d, EFF("anonymous") "/@relay", "true") &&
	    is(d, EFF("anonymous") "/@source", "null-dacl") &&
	    is(d, "count(//permission-group[@name='AnonymousUsers'])", "1") &&
	    is(d, "count(//permission-group[@name='ExchangeUsers'])", "1"),
	    "a NULL DACL relays for everyone and holds every group");
	xmlFreeDoc(d);

	d = derive("<security-descriptor source=\"nTSecurityDescriptor\" "
	    "dacl=\"absent\"/>");
	tap_check(is(d, EFF("anonymous") "/@relay", "false") &&
	    is(d, EFF("anonymous") "/@complete", "false") &&
	    !is(d, EFF("anonymous") "/@source", "null-dacl"),
	    "a descriptor without SE_DACL_PRESENT (DACL not read) grants "
	    "nothing and leaves the verdict incomplete, unlike a NULL DACL");
	xmlFreeDoc(d);

	d = derive("<security-descriptor source=\"nTSecurityDescriptor\" "
	    "dacl=\"list\"/><permission-group name=\"AnonymousUsers\"/>"
	    "<ace " ANON "type=\"allow\" right=\"ms-Exch-SMTP-Submit\" "
	    "access=\"ExtendedRight\" inherited=\"false\"/>");
	tap_check(is(d, "count(//permission-group[@name='AnonymousUsers'])",
	    "0") && is(d, "count(//permission-group[@name='Custom'])", "1"),
	    "groups of a read DACL are derived again: a claimed group "
	    "without its rights goes, a partial grant is Custom");
	xmlFreeDoc(d);
}

int
main(void)
{
	truth_table();
	special_dacls();
	access_texts();
	principals();
	derived();
	return tap_done();
}
