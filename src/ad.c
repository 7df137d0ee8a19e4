/*
 * ad.c - Active Directory entries into the topology model (see ad.h and
 * docs/ad-attributes.md, which gives the source of every attribute name
 * and bit value used here).
 *
 * Entries arrive in any order, from the LDAP collector or the LDIF reader.
 * ad_map_entry keeps copies of the entries it recognises by objectClass
 * (compared without case) and learns, as they pass, the names it will need:
 * extended rights (controlAccessRight: rightsGuid -> cn), accounts
 * (objectSid -> sAMAccountName) and domains (crossRef: nCName ->
 * nETBIOSName).  ad_map_finish then writes servers, accepted domains,
 * receive connectors and Exchange 2003 SMTP virtual servers, so that a
 * right or an account seen after the connector still names its ACEs.
 *
 * A connector's nTSecurityDescriptor is parsed by sd.c.  Each ACE becomes
 * one <ace> (with its inherit-only flag and object types); the descriptor
 * is kept as SDDL evidence.  The permission groups (the PermissionGroups
 * property, which AD does not store) and what each client may do are
 * derived from them by effrights.c, whenever the model is written or
 * loaded.  A descriptor that
 * does not parse marks the connector permissions="unreadable" and the
 * collection goes on; so does any other malformed value (logged, and kept
 * as an "UnreadableValue" setting).  Only limits and internal failures stop
 * the mapping.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "ad.h"
#include "bounds.h"
#include "effrights.h"
#include "err.h"
#include "log.h"
#include "model.h"
#include "principal.h"
#include "sd.h"
#include "sddl.h"
#include "util.h"

/* RDNs of a distinguished name looked at (Exchange's have about 12). */
#define AD_RDN_MAX		32
/* Bytes of a text value the model accepts (schemas/model.rng "text"). */
#define AD_TEXT_MAX		65536
/* Bytes of an account or NetBIOS domain name: DOMAIN\account fits. */
#define AD_PART_MAX		((NAME_MAX_LEN - 1) / 2)

enum ad_kind {
	AD_KIND_SERVER,
	AD_KIND_DOMAIN,
	AD_KIND_CONNECTOR,
	AD_KIND_VSERVER,
	AD_KIND_COUNT
};

/* The objectClass that makes an entry one of the kinds above. */
static const char *const ad_kind_class[AD_KIND_COUNT] = {
	[AD_KIND_SERVER] = "msExchExchangeServer",
	[AD_KIND_DOMAIN] = "msExchAcceptedDomain",
	[AD_KIND_CONNECTOR] = "msExchSmtpReceiveConnector",
	[AD_KIND_VSERVER] = "protocolCfgSMTPServer",
};


const char *const ad_attributes[] = {
	"objectClass", "cn", "name", "distinguishedName", "adminDescription",
	"adminDisplayName", "nTSecurityDescriptor",
	/* receive connectors */
	"msExchSmtpReceiveBindings", "msExchSmtpReceiveRemoteIPRanges",
	"msExchSMTPReceiveInboundSecurityFlag", "msExchSmtpReceiveRole",
	"msExchSmtpReceiveEnabled", "msExchSMTPReceiveConnectorFQDN",
	"msExchSmtpReceiveBanner", "msExchSmtpTLSCertificate",
	"msExchSmtpReceiveProtocolLoggingLevel",
	"msExchSmtpReceiveProtocolRestrictions",
	"msExchSmtpReceiveMaxMessageSize", "msExchSMTPReceiveRelayControl",
	"msExchSmtpReceiveMaxInboundConnections",
	"msExchSmtpReceiveMaxInboundConnectionsPerSource",
	"msExchSmtpReceiveMaxRecipientsPerMessage",
	/* servers */
	"serialNumber", "networkAddress", "msExchCurrentServerRoles",
	"msExchServerSite",
	/* accepted domains */
	"msExchAcceptedDomainName", "msExchAcceptedDomainFlags",
	/* Exchange 2003 SMTP virtual servers */
	"msExchServerBindings", "msExchSmtpFullyQualifiedDomainName",
	"msExchSmtpRelayForAuth",
	/* names: extended rights, accounts, domains */
	"rightsGuid", "objectSid", "sAMAccountName", "nCName", "nETBIOSName",
	NULL
};

/*
 * Extended rights met on connectors that are not receive rights (those
 * are effrights.c's), for naming ACEs when the CN=Extended-Rights entries
 * were not collected.  Every GUID here was checked against two
 * independent sources (docs/ad-attributes.md).
 */
static const struct {
	const char	*guid;
	const char	*name;
} ad_other_rights[] = {
	{ "8fc01282-006d-42b1-81e3-c0b46bed3754",
	    "ms-Exch-SMTP-Submit-For-MLS" },
	{ "11716db4-9647-4bce-8922-1f99e526cb41", "ms-Exch-SMTP-Send-Exch50" },
	{ "eb8c07ad-b5ad-49c3-831e-bc439cca4c2a",
	    "ms-Exch-Send-Headers-Routing" },
	{ "b3f9f977-552c-4ee6-9781-59280a81417b",
	    "ms-Exch-Send-Headers-Forest" },
	{ "2f7d0e23-f951-4ed0-8e71-39b6a22fa298",
	    "ms-Exch-Send-Headers-Organization" },
	{ "ab721a54-1e2f-11d0-9819-00aa0040529b", "Send-As" },
};

#define AD_OTHER_COUNT	(sizeof(ad_other_rights) / sizeof(*ad_other_rights))

/* Names learnt from the entries. */
struct ad_right {
	uint8_t		 guid[16];
	char		*name;
};

struct ad_account {
	char		*sid;
	char		*sam;
	char		*domain;	/* DC=... part of the DN */
};

struct ad_netbios {
	char		*nc;		/* nCName */
	char		*name;		/* nETBIOSName */
};

struct ad_list {
	void		*v;
	size_t		 n;
	size_t		 cap;
};

struct ad_map {
	struct model	*model;
	char		*source;
	struct ad_list	 entries[AD_KIND_COUNT]; /* struct ad_entry * */
	struct ad_list	 rights;	/* of struct ad_right */
	struct ad_list	 accounts;	/* of struct ad_account */
	struct ad_list	 domains;	/* of struct ad_netbios */
	size_t		 taken;		/* seen, LDAP_ENTRIES_MAX */
	size_t		 count;		/* entries recognised */
	uint8_t		 other[AD_OTHER_COUNT][16]; /* ad_other_rights */
};

/* A distinguished name split into RDNs, values unescaped. */
struct ad_dn {
	char	*buf;
	char	*type[AD_RDN_MAX];
	char	*value[AD_RDN_MAX];
	size_t	 start[AD_RDN_MAX];	/* offset of each RDN */
	int	 n;
};

/* --- text, DNs and flags ------------------------------------------------- */

static void
ad_list_push(struct ad_list *l, const void *item, size_t size)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xreallocarray(l->v, l->cap, size);
	}
	memcpy((char *)l->v + l->n * size, item, size);
	l->n++;
}

/*
 * Is s (len bytes) text the model can hold: valid UTF-8, no NUL, no
 * control character other than tab, CR and LF?  Returns NULL, or why not.
 */
static const char *
ad_text_problem(const uint8_t *s, size_t len)
{
	size_t i = 0, n, k;
	uint32_t cp;

	while (i < len) {
		if (s[i] < 0x80) {
			if (s[i] < 0x20 && s[i] != '\t' && s[i] != '\r' &&
			    s[i] != '\n')
				return "control character";
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			n = 1;
			cp = s[i] & 0x1f;
		} else if ((s[i] & 0xf0) == 0xe0) {
			n = 2;
			cp = s[i] & 0x0f;
		} else if ((s[i] & 0xf8) == 0xf0) {
			n = 3;
			cp = s[i] & 0x07;
		} else
			return "invalid UTF-8";
		for (k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return "invalid UTF-8";
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe ||
		    cp == 0xffff)
			return "invalid UTF-8";
		i += n + 1;
	}
	return NULL;
}

/* The first value of attr as text, or NULL (absent, or not text). */
static const char *
ad_first(const struct ad_entry *e, const char *attr)
{
	const struct ad_attr *a = ad_entry_attr(e, attr);

	if (a == NULL)
		return NULL;
	if (ad_text_problem(a->values[0].data, a->values[0].len) != NULL)
		return NULL;
	return (const char *)a->values[0].data;
}

static int
ad_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Split a DN into RDNs: "CN=a\,b,CN=c" gives ("CN", "a,b"), ("CN", "c"). */
static void
ad_dn_parse(const char *dn, struct ad_dn *d)
{
	const char *p = dn;
	char *o;
	int hi, lo;

	d->buf = xmalloc(2 * strlen(dn) + 2);
	d->n = 0;
	o = d->buf;
	while (*p != '\0' && d->n < AD_RDN_MAX) {
		while (*p == ' ')
			p++;
		d->start[d->n] = (size_t)(p - dn);
		d->type[d->n] = o;
		while (*p != '\0' && *p != '=' && *p != ',')
			*o++ = *p++;
		*o++ = '\0';
		if (*p != '=')
			break;
		p++;
		d->value[d->n] = o;
		for (; *p != '\0' && *p != ','; p++) {
			if (*p == '\\' && p[1] != '\0') {
				hi = ad_hex(p[1]);
				lo = ad_hex(p[2]);
				/* \XX of printable ASCII only: the value must
				 * stay valid UTF-8. */
				if (hi >= 2 && hi <= 7 && lo >= 0) {
					*o++ = (char)(hi << 4 | lo);
					p += 2;
					continue;
				}
				p++;
			}
			*o++ = *p;
		}
		/* Trailing unescaped spaces are not part of the value. */
		while (o > d->value[d->n] && o[-1] == ' ' &&
		    (o - 1 == d->value[d->n] || o[-2] != '\\'))
			o--;
		*o++ = '\0';
		d->n++;
		if (*p == ',')
			p++;
	}
}

static int
ad_dn_is(const struct ad_dn *d, int i, const char *type, const char *value)
{
	return i >= 0 && i < d->n && strcasecmp(d->type[i], type) == 0 &&
	    strcasecmp(d->value[i], value) == 0;
}

/* The organisation in ...,CN=<org>,CN=Microsoft Exchange,CN=Services,... */
static void
ad_organization(struct ad_map *m, const struct ad_dn *d)
{
	int i;

	for (i = 1; i + 1 < d->n; i++)
		if (ad_dn_is(d, i, "CN", "Microsoft Exchange") &&
		    ad_dn_is(d, i + 1, "CN", "Services") &&
		    d->value[i - 1][0] != '\0' &&
		    strlen(d->value[i - 1]) <= NAME_MAX_LEN &&
		    ad_text_problem((const uint8_t *)d->value[i - 1],
		    strlen(d->value[i - 1])) == NULL) {
			model_organization(m->model, d->value[i - 1]);
			return;
		}
}

/*
 * Where an entry or one of its values is: "file:line" from an LDIF file,
 * followed in a log message (for_log) by the DN, which log.c escapes for
 * the terminal; from LDAP, which gives no line, the source and the DN
 * (control bytes shown as '?' when not for the log: the text goes into
 * the model).
 */
static void
ad_where(const struct ad_map *m, const struct ad_entry *e,
    const struct ad_value *v, char *buf, size_t size, int for_log)
{
	unsigned long line = v != NULL && v->line != 0 ? v->line : e->line;
	size_t i, n;

	if (line != 0 && !for_log) {
		snprintf(buf, size, "%s:%lu", m->source, line);
		return;
	}
	if (line != 0) {
		snprintf(buf, size, "%s:%lu: %.400s", m->source, line, e->dn);
		return;
	}
	snprintf(buf, size, "%s: %.400s", m->source, e->dn);
	n = strlen(m->source) + 2;
	for (i = n; !for_log && i < size && buf[i] != '\0'; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = '?';
}

/*
 * Log a malformed value (v, or NULL for the entry) and keep it, with
 * where it was, as evidence on node.
 */
static void
ad_unreadable(struct ad_map *m, xmlNodePtr node, const struct ad_entry *e,
    const struct ad_value *v, const char *attr, const char *why)
{
	char buf[1024], where[512];
	size_t i;

	ad_where(m, e, v, where, sizeof(where), 1);
	log_warnx(LOG_IMPORT, "%s: %s: %s", where, attr, why);
	if (node == NULL)
		return;
	ad_where(m, e, v, where, sizeof(where), 0);
	snprintf(buf, sizeof(buf), "%.64s: %.400s (%.500s)", attr, why, where);
	/* Values quoted in why may have been cut inside a character. */
	if (ad_text_problem((const uint8_t *)buf, strlen(buf)) != NULL)
		for (i = 0; buf[i] != '\0'; i++)
			if ((unsigned char)buf[i] >= 0x80 ||
			    (unsigned char)buf[i] < 0x20)
				buf[i] = '?';
	model_add_setting(node, "UnreadableValue", buf);
}

/*
 * Each value of attr as model text: NULL from ad_value_at when it is not
 * text or longer than max (logged and recorded on node).
 */
static const char *
ad_value_at(struct ad_map *m, xmlNodePtr node, const struct ad_entry *e,
    const struct ad_attr *a, size_t i, size_t max)
{
	const struct ad_value *v = &a->values[i];
	const char *why = ad_text_problem(v->data, v->len);
	char msg[128];

	if (why == NULL && v->len > max) {
		snprintf(msg, sizeof(msg), "value longer than %zu bytes", max);
		why = msg;
	}
	if (why != NULL) {
		ad_unreadable(m, node, e, v, a->name, why);
		return NULL;
	}
	return (const char *)v->data;
}

/* An unsigned decimal attribute; 1 with *out, 0 when absent or invalid. */
static int
ad_number(struct ad_map *m, xmlNodePtr node, const struct ad_entry *e,
    const char *attr, uint32_t *out)
{
	const struct ad_attr *a = ad_entry_attr(e, attr);
	struct mx_err err;
	const char *s;
	char why[600];

	if (a == NULL)
		return 0;
	if ((s = ad_value_at(m, node, e, a, 0, 32)) == NULL)
		return 0;
	mx_err_init(&err);
	if (parse_u32(s, UINT32_MAX, out, &err, NULL) == -1) {
		snprintf(why, sizeof(why), "not a number: \"%.40s\"", s);
		ad_unreadable(m, node, e, &a->values[0], a->name, why);
		return 0;
	}
	return 1;
}

/* --- names: SIDs and rights ---------------------------------------------- */

/* The DC=... suffix of a DN (pointer into dn), or NULL. */
static const char *
ad_dn_domain(const char *dn, const struct ad_dn *d)
{
	int i;

	for (i = 0; i < d->n; i++)
		if (strcasecmp(d->type[i], "DC") == 0)
			return dn + d->start[i];
	return NULL;
}

static const char *
ad_netbios_of(const struct ad_map *m, const char *domain)
{
	const struct ad_netbios *t = m->domains.v;
	size_t i;

	for (i = 0; domain != NULL && i < m->domains.n; i++)
		if (strcasecmp(t[i].nc, domain) == 0)
			return t[i].name;
	return NULL;
}

static const struct ad_account *
ad_account_of(const struct ad_map *m, const char *sid)
{
	const struct ad_account *t = m->accounts.v;
	size_t i;

	for (i = 0; i < m->accounts.n; i++)
		if (strcmp(t[i].sid, sid) == 0)
			return &t[i];
	return NULL;
}

/*
 * The name of a principal: DOMAIN\account when the account and its domain
 * were seen, the well-known name, else the SID itself.
 */
static void
ad_principal(const struct ad_map *m, const char *sid, char *out,
    size_t size)
{
	const struct ad_account *a = ad_account_of(m, sid);
	const char *nb, *name;

	if (a != NULL) {
		nb = ad_netbios_of(m, a->domain);
		if (nb != NULL)
			snprintf(out, size, "%s\\%s", nb, a->sam);
		else
			snprintf(out, size, "%s", a->sam);
		return;
	}
	name = principal_name(sid);
	snprintf(out, size, "%s", name != NULL ? name : sid);
}

/* The name of an extended right: learnt, built in, else NULL. */
static const char *
ad_right_name(const struct ad_map *m, const uint8_t guid[16])
{
	const struct ad_right *t = m->rights.v;
	char text[SD_GUID_TEXT_MAX];
	size_t i;
	int r;

	for (i = 0; i < m->rights.n; i++)
		if (memcmp(t[i].guid, guid, 16) == 0)
			return t[i].name;
	sd_guid_format(guid, text);
	if ((r = effrights_right_find(text)) >= 0)
		return effrights_rights[r].name;
	for (i = 0; i < AD_OTHER_COUNT; i++)
		if (memcmp(m->other[i], guid, 16) == 0)
			return ad_other_rights[i].name;
	return NULL;
}

/* --- taking entries ------------------------------------------------------ */

/*
 * A new mapping writing into model; source names the input.
 */
struct ad_map *
ad_map_new(struct model *model, const char *source)
{
	struct ad_map *m = xcalloc(1, sizeof(*m));
	size_t r;

	m->model = model;
	m->source = xstrdup(source ? source : "(directory)");
	for (r = 0; r < AD_OTHER_COUNT; r++)
		if (sd_guid_parse(ad_other_rights[r].guid, m->other[r]) == -1)
			log_warnx(LOG_IMPORT, "built-in right %s: GUID not "
			    "understood by sd_guid_parse",
			    ad_other_rights[r].name);
	return m;
}

static void
ad_take_right(struct ad_map *m, const struct ad_entry *e)
{
	struct ad_right r;
	const char *guid = ad_first(e, "rightsGuid"), *cn = ad_first(e, "cn");
	struct ad_dn d;

	if (guid == NULL || sd_guid_parse(guid, r.guid) == -1) {
		ad_unreadable(m, NULL, e, NULL, "rightsGuid",
		    "not a GUID (extended right ignored)");
		return;
	}
	ad_dn_parse(e->dn, &d);
	if (cn == NULL && d.n > 0)
		cn = d.value[0];
	if (cn != NULL && cn[0] != '\0' && strlen(cn) <= NAME_MAX_LEN &&
	    ad_text_problem((const uint8_t *)cn, strlen(cn)) == NULL) {
		r.name = xstrdup(cn);
		ad_list_push(&m->rights, &r, sizeof(r));
	}
	free(d.buf);
}

static void
ad_take_account(struct ad_map *m, const struct ad_entry *e)
{
	const struct ad_attr *a = ad_entry_attr(e, "objectSid");
	const char *sam = ad_first(e, "sAMAccountName"), *dom;
	char text[SD_SID_TEXT_MAX];
	struct ad_account acc;
	struct sd_sid sid;
	struct mx_err err;
	struct ad_dn d;
	size_t used;

	if (sam == NULL || sam[0] == '\0' || strlen(sam) > AD_PART_MAX)
		return;
	mx_err_init(&err);
	if (sd_sid_parse(a->values[0].data, a->values[0].len, &sid, &used,
	    &err, "objectSid") == -1 || used != a->values[0].len) {
		ad_unreadable(m, NULL, e, NULL, "objectSid", "not a SID");
		return;
	}
	sd_sid_format(&sid, text);
	ad_dn_parse(e->dn, &d);
	dom = ad_dn_domain(e->dn, &d);
	acc.sid = xstrdup(text);
	acc.sam = xstrdup(sam);
	acc.domain = dom ? xstrdup(dom) : NULL;
	ad_list_push(&m->accounts, &acc, sizeof(acc));
	free(d.buf);
}

static void
ad_take_netbios(struct ad_map *m, const struct ad_entry *e)
{
	const char *nc = ad_first(e, "nCName");
	const char *nb = ad_first(e, "nETBIOSName");
	struct ad_netbios t;

	if (nc == NULL || nb == NULL || nb[0] == '\0' ||
	    strlen(nb) > AD_PART_MAX)
		return;
	t.nc = xstrdup(nc);
	t.name = xstrdup(nb);
	ad_list_push(&m->domains, &t, sizeof(t));
}

/*
 * Take one entry: keep the objects to map, learn the names (see ad.h).
 * -1 only past LDAP_ENTRIES_MAX.
 */
int
ad_map_entry(struct ad_map *m, const struct ad_entry *e, struct mx_err *err)
{
	struct ad_entry *copy;
	int k, known = 0;

	if (++m->taken > LDAP_ENTRIES_MAX)
		return mx_err_set(err, MX_ERR_LIMIT, m->source, "more than %d "
		    "entries (LDAP_ENTRIES_MAX)", LDAP_ENTRIES_MAX);
	for (k = 0; k < AD_KIND_COUNT; k++)
		if (ad_entry_has_class(e, ad_kind_class[k])) {
			copy = ad_entry_copy(e);
			ad_list_push(&m->entries[k], &copy, sizeof(copy));
			known = 1;
			break;
		}
	if (ad_entry_has_class(e, "controlAccessRight") &&
	    ad_entry_attr(e, "rightsGuid") != NULL) {
		ad_take_right(m, e);
		known = 1;
	}
	if (ad_entry_attr(e, "objectSid") != NULL &&
	    ad_entry_attr(e, "sAMAccountName") != NULL) {
		ad_take_account(m, e);
		known = 1;
	}
	if (ad_entry_has_class(e, "crossRef") &&
	    ad_entry_attr(e, "nETBIOSName") != NULL) {
		ad_take_netbios(m, e);
		known = 1;
	}
	if (known)
		m->count++;
	else
		log_debug(LOG_IMPORT, "%s: %.200s: not an entry mxbpa maps",
		    m->source, e->dn);
	return 0;
}

size_t
ad_map_count(const struct ad_map *m)
{
	return m->count;
}

/* --- security descriptors ------------------------------------------------ */

/* ActiveDirectoryRights names, composite ones first. */
static const struct {
	uint32_t	 mask;
	const char	*name;
} ad_access_names[] = {
	{ 0x000f01ff, "GenericAll" },
	{ 0x10000000, "GenericAll" },		/* GENERIC_ALL, unmapped */
	{ 0x80000000, "GenericRead" },
	{ 0x40000000, "GenericWrite" },
	{ 0x20000000, "GenericExecute" },
	{ 0x00000001, "CreateChild" },
	{ 0x00000002, "DeleteChild" },
	{ 0x00000004, "ListChildren" },
	{ 0x00000008, "Self" },
	{ 0x00000010, "ReadProperty" },
	{ 0x00000020, "WriteProperty" },
	{ 0x00000040, "DeleteTree" },
	{ 0x00000080, "ListObject" },
	{ 0x00000100, "ExtendedRight" },
	{ 0x00010000, "Delete" },
	{ 0x00020000, "ReadControl" },
	{ 0x00040000, "WriteDacl" },
	{ 0x00080000, "WriteOwner" },
	{ 0x00100000, "Synchronize" },
	{ 0x01000000, "AccessSystemSecurity" },
	{ 0, NULL }
};

/* "ReadProperty, WriteProperty", as Get-ADPermission lists AccessRights. */
static void
ad_access_text(uint32_t mask, char *out, size_t size)
{
	size_t i, len = 0;
	int generic_all = 0;

	out[0] = '\0';
	for (i = 0; ad_access_names[i].name != NULL; i++) {
		uint32_t b = ad_access_names[i].mask;

		if ((mask & b) != b || b == 0)
			continue;
		mask &= ~b;
		if (strcmp(ad_access_names[i].name, "GenericAll") == 0) {
			if (generic_all++)
				continue;
		}
		len += (size_t)snprintf(out + len, size - len, "%s%s",
		    len ? ", " : "", ad_access_names[i].name);
		if (len >= size)
			return;
	}
	if (mask != 0)
		snprintf(out + len, size - len, "%s0x%x", len ? ", " : "",
		    (unsigned)mask);
}

/* InheritanceType as Get-ADPermission shows it, from the ACE flags. */
static const char *
ad_inheritance(uint8_t flags)
{
	int ci = flags & SD_ACE_CONTAINER_INHERIT;
	int io = flags & SD_ACE_INHERIT_ONLY;
	int np = flags & SD_ACE_NO_PROPAGATE;

	if (!ci)
		return "None";
	if (io && np)
		return "Children";
	if (io)
		return "Descendents";
	if (np)
		return "SelfAndChildren";
	return "All";
}

static int
ad_ace_allow(const struct sd_ace *a)
{
	return a->type == SD_ACE_ACCESS_ALLOWED ||
	    a->type == SD_ACE_ACCESS_ALLOWED_OBJECT;
}

static int
ad_ace_deny(const struct sd_ace *a)
{
	return a->type == SD_ACE_ACCESS_DENIED ||
	    a->type == SD_ACE_ACCESS_DENIED_OBJECT;
}

static int
ad_ace_object(const struct sd_ace *a)
{
	return a->type == SD_ACE_ACCESS_ALLOWED_OBJECT ||
	    a->type == SD_ACE_ACCESS_DENIED_OBJECT;
}

/* A SID the model schema accepts (decimal authority). */
static int
ad_sid_ok(const char *s)
{
	return strncmp(s, "S-1-", 4) == 0 && strchr(s, 'x') == NULL;
}

/* One <ace> for one DACL entry. */
static void
ad_add_ace(struct ad_map *m, xmlNodePtr conn, const struct sd_ace *a)
{
	char sid[SD_SID_TEXT_MAX], who[NAME_MAX_LEN + 1], access[512];
	char guid[SD_GUID_TEXT_MAX], iguid[SD_GUID_TEXT_MAX];
	struct model_ace ma;
	const char *right = NULL;
	int extended;

	sd_sid_format(&a->sid, sid);
	ad_principal(m, sid, who, sizeof(who));
	ad_access_text(a->mask, access, sizeof(access));
	memset(&ma, 0, sizeof(ma));
	ma.principal = who;
	ma.sid = ad_sid_ok(sid) ? sid : NULL;
	ma.deny = ad_ace_deny(a);
	ma.access = access;
	ma.inherited = (a->flags & SD_ACE_INHERITED) != 0;
	ma.inheritance = ad_inheritance(a->flags);
	ma.inherit_only = (a->flags & SD_ACE_INHERIT_ONLY) != 0;
	extended = ad_ace_object(a) &&
	    (a->object_flags & SD_OBJECT_TYPE_PRESENT) &&
	    (a->mask & SD_RIGHT_DS_CONTROL_ACCESS);
	if (ad_ace_object(a) && (a->object_flags & SD_OBJECT_TYPE_PRESENT)) {
		sd_guid_format(a->object_type, guid);
		right = ad_right_name(m, a->object_type);
		if (extended)
			ma.right = right ? right : guid;
		else
			ma.object_type = right ? right : guid;
	}
	if (ad_ace_object(a) &&
	    (a->object_flags & SD_INHERITED_OBJECT_TYPE_PRESENT)) {
		sd_guid_format(a->inherited_object_type, iguid);
		ma.inherited_object_type = iguid;
	}
	model_add_ace(conn, &ma);
}

/* Add the <security-descriptor> evidence element. */
static void
ad_sd_evidence(xmlNodePtr conn, const struct sd *sd)
{
	static const char *const dacl[] = { "absent", "null", "list" };
	xmlNodePtr e;
	char *sddl;

	e = xmlNewChild(conn, conn->ns, (const xmlChar *)"security-descriptor",
	    NULL);
	if (e == NULL)
		return;
	sddl = sddl_format(sd);
	if (sddl != NULL && ad_text_problem((const uint8_t *)sddl,
	    strlen(sddl)) == NULL)
		model_set(e, "sddl", sddl);
	free(sddl);
	model_set(e, "source", "nTSecurityDescriptor");
	if ((unsigned)sd->dacl < sizeof(dacl) / sizeof(dacl[0]))
		model_set(e, "dacl", dacl[sd->dacl]);
}

/* A connector's nTSecurityDescriptor: ACEs, groups, evidence. */
static void
ad_connector_sd(struct ad_map *m, xmlNodePtr conn, const struct ad_entry *e)
{
	const struct ad_attr *a = ad_entry_attr(e, "nTSecurityDescriptor");
	struct mx_err err;
	struct sd sd;
	char where[512];
	size_t i;

	ad_where(m, e, a != NULL ? &a->values[0] : NULL, where,
	    sizeof(where), 1);
	if (a == NULL) {
		log_info(LOG_IMPORT, "%s: no nTSecurityDescriptor: "
		    "permissions not collected", where);
		model_set(conn, "permissions", "not-collected");
		return;
	}
	mx_err_init(&err);
	memset(&sd, 0, sizeof(sd));
	if (a->values[0].len > SD_MAX ||
	    sd_parse(a->values[0].data, a->values[0].len, &sd, &err,
	    "nTSecurityDescriptor") == -1) {
		if (a->values[0].len > SD_MAX)
			snprintf(err.msg, sizeof(err.msg), "descriptor longer "
			    "than %d bytes (SD_MAX)", SD_MAX);
		log_warnx(LOG_IMPORT, "%s: permissions unreadable: %s",
		    where, err.msg);
		model_set(conn, "permissions", "unreadable");
		model_set(conn, "permissions-error",
		    err.msg[0] ? err.msg : "unreadable security descriptor");
		return;
	}
	/*
	 * A descriptor without SE_DACL_PRESENT carries no DACL at all: the
	 * directory left it out because it was not asked for (the SD-flags
	 * control without DACL_SECURITY_INFORMATION, [MS-ADTS] 3.1.1.3.4.1.11),
	 * not because the object has none.  That is permissions not read,
	 * like a missing nTSecurityDescriptor.  A NULL DACL is SE_DACL_PRESENT
	 * with OffsetDacl 0 ([MS-DTYP] 2.4.6): everyone may do everything.
	 */
	if (sd.dacl == SD_DACL_ABSENT) {
		log_warnx(LOG_IMPORT, "%s: nTSecurityDescriptor without a "
		    "DACL (SE_DACL_PRESENT not set, the DACL was not "
		    "requested): permissions not collected", where);
		model_set(conn, "permissions", "not-collected");
		model_set(conn, "permissions-error", "security descriptor "
		    "without a DACL (SE_DACL_PRESENT not set): the DACL was "
		    "not requested");
		ad_sd_evidence(conn, &sd);
		sd_free(&sd);
		return;
	}
	model_set(conn, "permissions", "collected");
	/*
	 * A NULL DACL (dacl="null" in the evidence) lets everyone do
	 * everything; the permission groups and what each client may do are
	 * derived from the evidence and the entries by effrights.c.
	 */
	ad_sd_evidence(conn, &sd);
	for (i = 0; sd.dacl == SD_DACL_LIST && i < sd.nace; i++)
		if (sd.aces[i].known && (ad_ace_allow(&sd.aces[i]) ||
		    ad_ace_deny(&sd.aces[i])))
			ad_add_ace(m, conn, &sd.aces[i]);
	sd_free(&sd);
}

/* --- objects ------------------------------------------------------------- */

enum ad_conv {
	AD_CONV_TEXT,		/* as it is */
	AD_CONV_BOOL,		/* TRUE / FALSE */
	AD_CONV_COUNT,		/* a number */
	AD_CONV_LIMIT,		/* a number; absent means unlimited */
	AD_CONV_LOGGING,	/* 0 None, 1 Verbose */
	AD_CONV_ROLE		/* ServerRole flags */
};

struct ad_conn_attr {
	const char	*ldap;
	const char	*model;
	enum ad_conv	 conv;
	const char	*absent;	/* Exchange's default, or NULL */
};

/* Receive connector attributes (docs/ad-attributes.md). */
static const struct ad_conn_attr ad_connector_attrs[] = {
	{ "msExchSmtpReceiveRole", "role", AD_CONV_ROLE, NULL },
	{ "msExchSmtpReceiveEnabled", "enabled", AD_CONV_BOOL, "true" },
	{ "msExchSMTPReceiveConnectorFQDN", "fqdn", AD_CONV_TEXT, NULL },
	{ "msExchSmtpReceiveBanner", "banner", AD_CONV_TEXT, NULL },
	{ "msExchSmtpTLSCertificate", "tls-certificate-name", AD_CONV_TEXT,
	    NULL },
	{ "msExchSmtpReceiveProtocolLoggingLevel", "protocol-logging",
	    AD_CONV_LOGGING, "None" },
	{ "msExchSmtpReceiveMaxMessageSize", "max-message-size",
	    AD_CONV_COUNT, NULL },
	{ "msExchSMTPReceiveRelayControl", "message-rate-limit",
	    AD_CONV_LIMIT, "unlimited" },
	{ "msExchSmtpReceiveMaxInboundConnections", "max-inbound-connection",
	    AD_CONV_LIMIT, "unlimited" },
	{ "msExchSmtpReceiveMaxInboundConnectionsPerSource",
	    "max-inbound-connection-per-source", AD_CONV_LIMIT, "unlimited" },
	{ "msExchSmtpReceiveMaxRecipientsPerMessage",
	    "max-recipients-per-message", AD_CONV_COUNT, NULL },
	{ NULL, NULL, AD_CONV_TEXT, NULL }
};

static void
ad_connector_attr(struct ad_map *m, xmlNodePtr conn, const struct ad_entry *e,
    const struct ad_conn_attr *t)
{
	const struct ad_attr *a = ad_entry_attr(e, t->ldap);
	const char *v;
	char buf[512];
	uint32_t n;

	if (a == NULL) {
		model_set(conn, t->model, t->absent);
		return;
	}
	switch (t->conv) {
	case AD_CONV_TEXT:
		if ((v = ad_value_at(m, conn, e, a, 0, AD_TEXT_MAX)) != NULL)
			model_set(conn, t->model, v);
		return;
	case AD_CONV_BOOL:
		if ((v = ad_value_at(m, conn, e, a, 0, 16)) == NULL)
			return;
		if (strcasecmp(v, "TRUE") == 0 || strcasecmp(v, "FALSE") == 0)
			model_set(conn, t->model, strcasecmp(v, "TRUE") == 0 ?
			    "true" : "false");
		else
			ad_unreadable(m, conn, e, &a->values[0], a->name,
			    "not TRUE or FALSE");
		return;
	default:
		break;
	}
	if (!ad_number(m, conn, e, t->ldap, &n))
		return;
	switch (t->conv) {
	case AD_CONV_LOGGING:
		if (n > 1) {
			ad_unreadable(m, conn, e, &a->values[0], a->name,
			    "unknown protocol logging level");
			return;
		}
		model_set(conn, t->model, n ? "Verbose" : "None");
		return;
	case AD_CONV_ROLE:
		(void)model_flags_text(n, model_server_roles, buf, sizeof(buf));
		if (buf[0] != '\0')
			model_set(conn, t->model, buf);
		return;
	default:
		snprintf(buf, sizeof(buf), "%u", (unsigned)n);
		model_set(conn, t->model, buf);
		return;
	}
}

/* Bindings and remote ranges: each value through model.c. */
static int
ad_connector_items(struct ad_map *m, xmlNodePtr conn,
    const struct ad_entry *e, const char *attr,
    int (*add)(xmlNodePtr, const char *, struct mx_err *, const char *),
    struct mx_err *err)
{
	const struct ad_attr *a = ad_entry_attr(e, attr);
	struct mx_err e1;
	const char *v;
	char why[700], where[512];
	size_t i;

	for (i = 0; a != NULL && i < a->nvalues; i++) {
		if ((v = ad_value_at(m, conn, e, a, i, IPRANGE_TEXT_MAX)) ==
		    NULL)
			continue;
		mx_err_init(&e1);
		if (add(conn, v, &e1, m->source) == 0)
			continue;
		if (e1.code == MX_ERR_LIMIT || e1.code == MX_ERR_INTERNAL)
			return mx_err_set(err, e1.code, e1.where, "%.200s: %s",
			    e->dn, e1.msg);
		snprintf(why, sizeof(why), "\"%.60s\": %s", v, e1.msg);
		ad_unreadable(m, conn, e, &a->values[i], a->name, why);
		/*
		 * Which clients reach the connector is unknown without this
		 * value: its verdicts are not drawn (coverage.c).
		 */
		if (xmlHasProp(conn, (const xmlChar *)"configuration") ==
		    NULL) {
			ad_where(m, e, &a->values[i], where, sizeof(where),
			    0);
			snprintf(why, sizeof(why), "%.64s value \"%.60s\" "
			    "unreadable (%.300s)", a->name, v, where);
			model_set(conn, "configuration", "unreadable");
			model_set(conn, "configuration-error", why);
		}
	}
	return 0;
}

/* Check a name before it reaches the model: 0, or -1 with MX_ERR_LIMIT. */
static int
ad_name_ok(struct ad_map *m, const char *dn, const char *what,
    const char *v, struct mx_err *err)
{
	if (strlen(v) > NAME_MAX_LEN)
		return mx_err_set(err, MX_ERR_LIMIT, m->source, "%.200s: %s "
		    "longer than %d bytes (NAME_MAX_LEN)", dn, what,
		    NAME_MAX_LEN);
	return 0;
}

/* The "Server" and "Name" of an object under CN=Protocols of a server. */
static int
ad_protocol_object(struct ad_map *m, const struct ad_entry *e,
    const char *container, struct ad_dn *d, struct mx_err *err)
{
	ad_dn_parse(e->dn, d);
	if (d->n < 4 || !ad_dn_is(d, 1, "CN", container) ||
	    !ad_dn_is(d, 2, "CN", "Protocols") || d->value[0][0] == '\0' ||
	    d->value[3][0] == '\0' ||
	    ad_text_problem((const uint8_t *)e->dn, strlen(e->dn)) != NULL) {
		char where[512];

		ad_where(m, e, NULL, where, sizeof(where), 1);
		log_warnx(LOG_IMPORT, "%s: not under "
		    "CN=%s,CN=Protocols,CN=<server>: ignored", where,
		    container);
		return 0;
	}
	if (ad_name_ok(m, e->dn, "server name", d->value[3], err) == -1 ||
	    ad_name_ok(m, e->dn, "name", d->value[0], err) == -1)
		return -1;
	return 1;
}

static int
ad_map_connector(struct ad_map *m, const struct ad_entry *e,
    struct mx_err *err)
{
	const struct ad_conn_attr *t;
	const char *v;
	xmlNodePtr conn;
	struct ad_dn d;
	char buf[256];
	uint32_t n;
	int rc;

	if ((rc = ad_protocol_object(m, e, "SMTP Receive Connectors", &d,
	    err)) <= 0) {
		free(d.buf);
		return rc;
	}
	conn = model_connector(m->model, d.value[3], d.value[0]);
	ad_organization(m, &d);
	free(d.buf);
	if (conn == NULL)
		return mx_err_set(err, MX_ERR_INTERNAL, m->source,
		    "cannot add a connector to the model");
	for (t = ad_connector_attrs; t->ldap != NULL; t++)
		ad_connector_attr(m, conn, e, t);
	if (ad_number(m, conn, e, "msExchSmtpReceiveProtocolRestrictions", &n))
		model_set(conn, "require-tls", (n & 8) ? "true" : "false");
	else
		model_set(conn, "require-tls", "false");
	if (strlen(e->dn) <= AD_TEXT_MAX)
		model_set(conn, "distinguished-name", e->dn);
	if (ad_connector_items(m, conn, e, "msExchSmtpReceiveBindings",
	    model_add_binding, err) == -1 ||
	    ad_connector_items(m, conn, e, "msExchSmtpReceiveRemoteIPRanges",
	    model_add_remote_range, err) == -1)
		return -1;
	if (ad_number(m, conn, e, "msExchSMTPReceiveInboundSecurityFlag",
	    &n)) {
		(void)model_flags_text(n & 63, model_auth_mechanisms, buf, sizeof(buf));
		model_add_names(conn, "auth-mechanism", buf);
		if (n & ~63u)
			ad_unreadable(m, conn, e, NULL,
			    "msExchSMTPReceiveInboundSecurityFlag",
			    "unknown authentication mechanism bits");
	}
	if ((v = ad_first(e, "adminDescription")) != NULL && v[0] != '\0' &&
	    strlen(v) <= AD_TEXT_MAX)
		model_add_setting(conn, "Comment", v);
	ad_connector_sd(m, conn, e);
	return 0;
}

/* A decimal number of at most 5 digits at *p (advanced); -1 if none. */
static long
ad_version_part(const char **p)
{
	struct mx_err err;
	char digits[8];
	uint32_t v;
	size_t n = 0;

	while (n < 6 && (*p)[n] >= '0' && (*p)[n] <= '9')
		n++;
	if (n == 0 || n > 5)
		return -1;
	memcpy(digits, *p, n);
	digits[n] = '\0';
	mx_err_init(&err);
	if (parse_u32(digits, 65535, &v, &err, NULL) == -1)
		return -1;
	*p += n;
	return (long)v;
}

/* "Version 15.2 (Build 31118.7)" to "15.2.1118.7" (build offsets dropped). */
static int
ad_version(const char *serial, char *out, size_t size)
{
	static const char *const sep[4] = { ".", " (Build ", ".", "" };
	const char *p;
	long v[4];
	int i;

	if (strncasecmp(serial, "Version ", 8) != 0)
		return -1;
	p = serial + 8;
	for (i = 0; i < 4; i++) {
		if ((v[i] = ad_version_part(&p)) < 0 ||
		    strncasecmp(p, sep[i], strlen(sep[i])) != 0)
			return -1;
		p += strlen(sep[i]);
	}
	/* Exchange adds 30000 (or 10000) to the build of 2007 and later. */
	if (v[0] >= 8 && v[2] >= 30000)
		v[2] -= 30000;
	else if (v[0] >= 8 && v[2] >= 10000)
		v[2] -= 10000;
	snprintf(out, size, "%ld.%ld.%ld.%ld", v[0], v[1], v[2], v[3]);
	return 0;
}

static int
ad_map_server(struct ad_map *m, const struct ad_entry *e, struct mx_err *err)
{
	const struct ad_attr *a;
	const char *name, *v;
	xmlNodePtr s;
	struct ad_dn d, site;
	char buf[512];
	uint32_t n;
	size_t i;

	ad_dn_parse(e->dn, &d);
	name = ad_first(e, "cn");
	if (name == NULL && d.n > 0)
		name = d.value[0];
	if (name == NULL || name[0] == '\0' ||
	    ad_text_problem((const uint8_t *)name, strlen(name)) != NULL) {
		char where[512];

		ad_where(m, e, NULL, where, sizeof(where), 1);
		log_warnx(LOG_IMPORT, "%s: Exchange server without a "
		    "name: ignored", where);
		free(d.buf);
		return 0;
	}
	if (ad_name_ok(m, e->dn, "server name", name, err) == -1) {
		free(d.buf);
		return -1;
	}
	s = model_server(m->model, name);
	ad_organization(m, &d);
	free(d.buf);
	if ((a = ad_entry_attr(e, "networkAddress")) != NULL)
		for (i = 0; i < a->nvalues; i++) {
			v = ad_value_at(m, s, e, a, i, NAME_MAX_LEN);
			if (v != NULL && strncasecmp(v, "ncacn_ip_tcp:", 13) ==
			    0 && v[13] != '\0') {
				model_set(s, "fqdn", v + 13);
				break;
			}
		}
	if ((v = ad_first(e, "serialNumber")) != NULL) {
		if (ad_version(v, buf, sizeof(buf)) == 0)
			model_set(s, "version", buf);
		else
			ad_unreadable(m, NULL, e, NULL, "serialNumber",
			    "not \"Version X.Y (Build B.R)\"");
	}
	if (ad_number(m, NULL, e, "msExchCurrentServerRoles", &n)) {
		(void)model_flags_text(n, model_server_roles, buf, sizeof(buf));
		model_set(s, "roles", buf[0] ? buf : "None");
	}
	if ((v = ad_first(e, "msExchServerSite")) != NULL) {
		ad_dn_parse(v, &site);
		if (site.n > 0 && site.value[0][0] != '\0' &&
		    strlen(site.value[0]) <= AD_TEXT_MAX)
			model_set(s, "site", site.value[0]);
		free(site.buf);
	}
	return 0;
}

static int
ad_map_domain(struct ad_map *m, const struct ad_entry *e, struct mx_err *err)
{
	static const char *const types[] = {
		"Authoritative", "ExternalRelay", "InternalRelay"
	};
	const char *name = ad_first(e, "msExchAcceptedDomainName");
	xmlNodePtr node;
	struct ad_dn d;
	uint32_t flags = 0;

	if (name == NULL || name[0] == '\0') {
		char where[512];

		ad_where(m, e, NULL, where, sizeof(where), 1);
		log_warnx(LOG_IMPORT, "%s: accepted domain without "
		    "msExchAcceptedDomainName: ignored", where);
		return 0;
	}
	if (ad_name_ok(m, e->dn, "domain name", name, err) == -1)
		return -1;
	node = model_accepted_domain(m->model, name);
	ad_number(m, NULL, e, "msExchAcceptedDomainFlags", &flags);
	if ((flags & 3) < 3)
		model_set(node, "type", types[flags & 3]);
	else
		ad_unreadable(m, NULL, e, NULL, "msExchAcceptedDomainFlags",
		    "unknown domain type 3");
	model_set(node, "default", (flags & 4) ? "true" : "false");
	ad_dn_parse(e->dn, &d);
	ad_organization(m, &d);
	free(d.buf);
	return 0;
}

/* "IP:port:host" of msExchServerBindings to "IP:port" ("" IP: 0.0.0.0). */
static int
ad_vserver_binding(xmlNodePtr vs, const char *v, struct mx_err *err,
    const char *where)
{
	char buf[IPRANGE_TEXT_MAX + 16];
	const char *c1, *c2;

	c2 = strrchr(v, ':');
	if (c2 == NULL || c2 == v)
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "binding is not IP:port:host");
	for (c1 = c2 - 1; c1 > v && *c1 != ':'; c1--)
		;
	if (*c1 != ':' || (size_t)(c2 - v) >= sizeof(buf) - 8)
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "binding is not IP:port:host");
	if (c1 == v)
		snprintf(buf, sizeof(buf), "0.0.0.0%.*s", (int)(c2 - c1),
		    c1);
	else
		snprintf(buf, sizeof(buf), "%.*s", (int)(c2 - v), v);
	return model_add_binding(vs, buf, err, where);
}

/*
 * msExchSmtpRelayForAuth, "allow all computers which successfully
 * authenticate to relay" (docs/ad-attributes.md): TRUE or FALSE as
 * Exchange writes it; the number forms of the metabase property it feeds
 * (RelayForAuth: 0, 1 or -1) are read too, any but 0 meaning true.
 */
static void
ad_vserver_relay_for_auth(struct ad_map *m, xmlNodePtr vs,
    const struct ad_entry *e)
{
	const struct ad_attr *a = ad_entry_attr(e, "msExchSmtpRelayForAuth");
	const char *v;
	int on;

	if (a == NULL || (v = ad_value_at(m, vs, e, a, 0, 16)) == NULL)
		return;
	if (strcasecmp(v, "TRUE") == 0 || strcmp(v, "1") == 0 ||
	    strcmp(v, "-1") == 0)
		on = 1;
	else if (strcasecmp(v, "FALSE") == 0 || strcmp(v, "0") == 0)
		on = 0;
	else {
		ad_unreadable(m, vs, e, &a->values[0], a->name,
		    "not TRUE, FALSE, 0, 1 or -1");
		return;
	}
	model_set(vs, "relay-for-auth", on ? "true" : "false");
}

static int
ad_map_vserver(struct ad_map *m, const struct ad_entry *e,
    struct mx_err *err)
{
	xmlNodePtr server, vs;
	const char *v;
	struct ad_dn d;
	int rc;

	if ((rc = ad_protocol_object(m, e, "SMTP", &d, err)) <= 0) {
		free(d.buf);
		return rc;
	}
	server = model_server(m->model, d.value[3]);
	vs = xmlNewChild(server, server->ns,
	    (const xmlChar *)"smtp-virtual-server", NULL);
	model_set(vs, "name", d.value[0]);
	ad_organization(m, &d);
	free(d.buf);
	if ((v = ad_first(e, "msExchSmtpFullyQualifiedDomainName")) != NULL &&
	    v[0] != '\0' && strlen(v) <= AD_TEXT_MAX)
		model_set(vs, "fqdn", v);
	if ((v = ad_first(e, "adminDisplayName")) != NULL && v[0] != '\0' &&
	    strlen(v) <= AD_TEXT_MAX)
		model_set(vs, "display-name", v);
	if (strlen(e->dn) <= AD_TEXT_MAX)
		model_set(vs, "distinguished-name", e->dn);
	ad_vserver_relay_for_auth(m, vs, e);
	return ad_connector_items(m, vs, e, "msExchServerBindings",
	    ad_vserver_binding, err);
}

/*
 * Map the kept entries now that every name is known (see ad.h).
 */
int
ad_map_finish(struct ad_map *m, struct mx_err *err)
{
	static int (*const map[AD_KIND_COUNT])(struct ad_map *,
	    const struct ad_entry *, struct mx_err *) = {
		[AD_KIND_SERVER] = ad_map_server,
		[AD_KIND_DOMAIN] = ad_map_domain,
		[AD_KIND_CONNECTOR] = ad_map_connector,
		[AD_KIND_VSERVER] = ad_map_vserver,
	};
	struct ad_entry **v;
	size_t i;
	int k;

	for (k = 0; k < AD_KIND_COUNT; k++) {
		v = m->entries[k].v;
		for (i = 0; i < m->entries[k].n; i++)
			if (map[k](m, v[i], err) == -1)
				return -1;
	}
	/* Permission groups and effective rights come from the entries. */
	model_derive(m->model);
	return 0;
}

void
ad_map_free(struct ad_map *m)
{
	struct ad_entry **v;
	struct ad_right *r;
	struct ad_account *a;
	struct ad_netbios *d;
	size_t i;
	int k;

	if (m == NULL)
		return;
	for (k = 0; k < AD_KIND_COUNT; k++) {
		v = m->entries[k].v;
		for (i = 0; i < m->entries[k].n; i++)
			ad_entry_free(v[i]);
		free(v);
	}
	for (r = m->rights.v, i = 0; i < m->rights.n; i++)
		free(r[i].name);
	for (a = m->accounts.v, i = 0; i < m->accounts.n; i++) {
		free(a[i].sid);
		free(a[i].sam);
		free(a[i].domain);
	}
	for (d = m->domains.v, i = 0; i < m->domains.n; i++) {
		free(d[i].nc);
		free(d[i].name);
	}
	free(m->rights.v);
	free(m->accounts.v);
	free(m->domains.v);
	free(m->source);
	free(m);
}
