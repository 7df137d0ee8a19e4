/*
 * effrights.c - the effective-rights evaluator and the derived facts of
 * receive connectors (see effrights.h and docs/effective-rights.md, which
 * gives the source of every rule applied here).
 *
 * The check follows [MS-DTYP] 2.5.3.2 (AccessCheck) with an object-type
 * list as [MS-ADTS] 5.1.3.3.3 builds it for a control access right: the
 * object's class at level 0, the right's GUID at level 1.  An entry with
 * no ObjectType applies to the whole list (every right); one whose
 * ObjectType is a right's GUID applies to that right only; anything else
 * (a property, a property set, a child class) matches no right of ours.
 * Entries are read in DACL order, the first one that decides a right wins
 * (so a deny denies only the rights it covers), INHERIT_ONLY entries are
 * not in force on the object, the InheritedObjectType of an entry plays
 * no part in the check (it only steers inheritance, [MS-DTYP] 2.4.4.3),
 * and GENERIC_ALL covers everything.  A NULL DACL grants everything; an
 * empty one nothing.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "effrights.h"
#include "principal.h"
#include "util.h"
#include "xml.h"

const struct effrights_right_def effrights_rights[EFFRIGHTS_RIGHT_COUNT] = {
	[EFFRIGHTS_SUBMIT] = { "ms-Exch-SMTP-Submit",
	    "a18293f1-0685-4540-aa63-e32df421b3a2", "submit" },
	[EFFRIGHTS_ANY_RECIPIENT] = { "ms-Exch-SMTP-Accept-Any-Recipient",
	    "5c82f031-4e4c-4326-88e1-8c4f0cad9de5", "accept-any-recipient" },
	[EFFRIGHTS_AUTH_FLAG] = { "ms-Exch-SMTP-Accept-Authentication-Flag",
	    "1c75aca8-b56b-48b3-a021-858a29fa877b",
	    "accept-authentication-flag" },
	[EFFRIGHTS_ANY_SENDER] = { "ms-Exch-SMTP-Accept-Any-Sender",
	    "b857b50b-94a2-4b53-93f6-41cebd2fced0", "accept-any-sender" },
	[EFFRIGHTS_AUTH_DOMAIN_SENDER] = {
	    "ms-Exch-SMTP-Accept-Authoritative-Domain-Sender",
	    "c22841f4-96cb-498a-ac02-f9a87c74eb14",
	    "accept-authoritative-domain-sender" },
	[EFFRIGHTS_BYPASS_ANTISPAM] = { "ms-Exch-Bypass-Anti-Spam",
	    "d19299b4-86c2-4c9a-8fa7-acb70c63023a", "bypass-anti-spam" },
	[EFFRIGHTS_BYPASS_SIZE] = { "ms-Exch-Bypass-Message-Size-Limit",
	    "6760cfc5-70f4-4ae8-bc39-9522d86ac69b",
	    "bypass-message-size-limit" },
	[EFFRIGHTS_ACCEPT_EXCH50] = { "ms-Exch-SMTP-Accept-Exch50",
	    "e373fb21-d851-4d15-af23-982f09f2400b", "accept-exch50" },
	[EFFRIGHTS_ACCEPT_ROUTING] = { "ms-Exch-Accept-Headers-Routing",
	    "04031f4f-7c36-43ea-9b49-4bd0f5f1e6af", "accept-headers-routing" },
	[EFFRIGHTS_ACCEPT_FOREST] = { "ms-Exch-Accept-Headers-Forest",
	    "a7a9ea66-e08c-4e23-8fe7-68c40e49c6c0", "accept-headers-forest" },
	[EFFRIGHTS_ACCEPT_ORG] = { "ms-Exch-Accept-Headers-Organization",
	    "c307dccd-6676-4d19-95c8-d1567fab9820",
	    "accept-headers-organization" },
};

const char *const effrights_client_names[EFFRIGHTS_CLIENT_COUNT] = {
	[EFFRIGHTS_ANONYMOUS] = "anonymous",
	[EFFRIGHTS_AUTHENTICATED] = "authenticated",
	[EFFRIGHTS_PARTNER] = "partner",
	[EFFRIGHTS_EXCHANGE_SERVER] = "exchange-server",
	[EFFRIGHTS_LEGACY_SERVER] = "legacy-exchange-server",
	[EFFRIGHTS_EXTERNALLY_SECURED] = "externally-secured",
};

/* What each permission group grants its principals (exchange-facts 2.3). */
#define EFFRIGHTS_GRANT_ANONYMOUS	(EFFRIGHTS_BIT(EFFRIGHTS_SUBMIT) | \
	EFFRIGHTS_BIT(EFFRIGHTS_ANY_SENDER) | \
	EFFRIGHTS_BIT(EFFRIGHTS_AUTH_DOMAIN_SENDER) | \
	EFFRIGHTS_BIT(EFFRIGHTS_ACCEPT_ROUTING))
#define EFFRIGHTS_GRANT_USERS		(EFFRIGHTS_BIT(EFFRIGHTS_SUBMIT) | \
	EFFRIGHTS_BIT(EFFRIGHTS_ANY_RECIPIENT) | \
	EFFRIGHTS_BIT(EFFRIGHTS_BYPASS_ANTISPAM) | \
	EFFRIGHTS_BIT(EFFRIGHTS_ACCEPT_ROUTING))
#define EFFRIGHTS_GRANT_EXTERNAL	(EFFRIGHTS_BIT(EFFRIGHTS_SUBMIT) | \
	EFFRIGHTS_BIT(EFFRIGHTS_ANY_RECIPIENT) | \
	EFFRIGHTS_BIT(EFFRIGHTS_AUTH_FLAG) | \
	EFFRIGHTS_BIT(EFFRIGHTS_ANY_SENDER) | \
	EFFRIGHTS_BIT(EFFRIGHTS_AUTH_DOMAIN_SENDER) | \
	EFFRIGHTS_BIT(EFFRIGHTS_BYPASS_ANTISPAM) | \
	EFFRIGHTS_BIT(EFFRIGHTS_BYPASS_SIZE) | \
	EFFRIGHTS_BIT(EFFRIGHTS_ACCEPT_EXCH50) | \
	EFFRIGHTS_BIT(EFFRIGHTS_ACCEPT_ROUTING))
#define EFFRIGHTS_GRANT_SERVERS		(EFFRIGHTS_GRANT_EXTERNAL | \
	EFFRIGHTS_BIT(EFFRIGHTS_ACCEPT_FOREST) | \
	EFFRIGHTS_BIT(EFFRIGHTS_ACCEPT_ORG))
#define EFFRIGHTS_GRANT_PARTNERS	(EFFRIGHTS_BIT(EFFRIGHTS_SUBMIT) | \
	EFFRIGHTS_BIT(EFFRIGHTS_ACCEPT_ROUTING))

/*
 * The permission group that stands for a client kind's entries when the
 * permissions themselves were not exported, and what it grants.
 */
static const struct {
	const char	*group;
	uint32_t	 grant;
} effrights_group_of[EFFRIGHTS_CLIENT_COUNT] = {
	[EFFRIGHTS_ANONYMOUS] = { "AnonymousUsers", EFFRIGHTS_GRANT_ANONYMOUS },
	[EFFRIGHTS_AUTHENTICATED] = { "ExchangeUsers", EFFRIGHTS_GRANT_USERS },
	[EFFRIGHTS_PARTNER] = { "Partners", EFFRIGHTS_GRANT_PARTNERS },
	[EFFRIGHTS_EXCHANGE_SERVER] = { "ExchangeServers",
	    EFFRIGHTS_GRANT_SERVERS },
	[EFFRIGHTS_LEGACY_SERVER] = { "ExchangeLegacyServers",
	    EFFRIGHTS_GRANT_EXTERNAL },
	[EFFRIGHTS_EXTERNALLY_SECURED] = { "ExchangeServers",
	    EFFRIGHTS_GRANT_EXTERNAL },
};

/* ActiveDirectoryRights names ([M-ADS-RIGHTS]; .NET composite values). */
static const struct {
	const char	*name;
	uint32_t	 mask;
} effrights_access_names[] = {
	{ "GenericAll",		EFFRIGHTS_GENERIC_ALL | 0x000f01ffu },
	{ "GenericRead",	0x00020094u },
	{ "GenericWrite",	0x00020028u },
	{ "GenericExecute",	0x00020004u },
	{ "CreateChild",	0x00000001u },
	{ "DeleteChild",	0x00000002u },
	{ "ListChildren",	0x00000004u },
	{ "Self",		0x00000008u },
	{ "ReadProperty",	0x00000010u },
	{ "WriteProperty",	0x00000020u },
	{ "DeleteTree",		0x00000040u },
	{ "ListObject",		0x00000080u },
	{ "ExtendedRight",	EFFRIGHTS_CONTROL_ACCESS },
	{ "Delete",		0x00010000u },
	{ "ReadControl",	0x00020000u },
	{ "WriteDacl",		0x00040000u },
	{ "WriteOwner",		0x00080000u },
	{ "Synchronize",	0x00100000u },
	{ "AccessSystemSecurity", 0x01000000u },
	{ NULL, 0 }
};

int
effrights_right_find(const char *s)
{
	int r;

	if (s == NULL)
		return -1;
	for (r = 0; r < EFFRIGHTS_RIGHT_COUNT; r++)
		if (strcasecmp(s, effrights_rights[r].name) == 0 ||
		    strcasecmp(s, effrights_rights[r].guid) == 0)
			return r;
	return -1;
}

int
effrights_client_find(const char *s)
{
	int c;

	if (s == NULL)
		return -1;
	for (c = 0; c < EFFRIGHTS_CLIENT_COUNT; c++)
		if (strcmp(s, effrights_client_names[c]) == 0)
			return c;
	return -1;
}

static void
effrights_token_add(struct effrights_token *t, const char *sid)
{
	if (sid != NULL && t->n < EFFRIGHTS_TOKEN_MAX)
		t->sids[t->n++] = sid;
}

void
effrights_token(enum effrights_client who, const char *exchange_servers,
    const char *legacy_interop, int everyone, struct effrights_token *t)
{
	memset(t, 0, sizeof(*t));
	switch (who) {
	case EFFRIGHTS_ANONYMOUS:
		effrights_token_add(t, PRINCIPAL_SID_ANONYMOUS);
		if (everyone)
			effrights_token_add(t, PRINCIPAL_SID_EVERYONE);
		break;
	case EFFRIGHTS_AUTHENTICATED:
		effrights_token_add(t, PRINCIPAL_SID_EVERYONE);
		effrights_token_add(t, PRINCIPAL_SID_NETWORK);
		effrights_token_add(t, PRINCIPAL_SID_AUTHUSERS);
		effrights_token_add(t, PRINCIPAL_SID_THIS_ORG);
		t->domain_users = 1;
		break;
	case EFFRIGHTS_PARTNER:
		effrights_token_add(t, PRINCIPAL_SID_PARTNERS);
		if (everyone)
			effrights_token_add(t, PRINCIPAL_SID_EVERYONE);
		break;
	case EFFRIGHTS_EXCHANGE_SERVER:
		effrights_token_add(t, PRINCIPAL_SID_EVERYONE);
		effrights_token_add(t, PRINCIPAL_SID_NETWORK);
		effrights_token_add(t, PRINCIPAL_SID_AUTHUSERS);
		effrights_token_add(t, PRINCIPAL_SID_THIS_ORG);
		effrights_token_add(t, PRINCIPAL_SID_HUB);
		effrights_token_add(t, PRINCIPAL_SID_EDGE);
		effrights_token_add(t, exchange_servers);
		break;
	case EFFRIGHTS_LEGACY_SERVER:
		effrights_token_add(t, PRINCIPAL_SID_EVERYONE);
		effrights_token_add(t, PRINCIPAL_SID_NETWORK);
		effrights_token_add(t, PRINCIPAL_SID_AUTHUSERS);
		effrights_token_add(t, PRINCIPAL_SID_THIS_ORG);
		effrights_token_add(t, PRINCIPAL_SID_LEGACY);
		effrights_token_add(t, legacy_interop);
		break;
	case EFFRIGHTS_EXTERNALLY_SECURED:
		effrights_token_add(t, PRINCIPAL_SID_EXTERNAL);
		if (everyone)
			effrights_token_add(t, PRINCIPAL_SID_EVERYONE);
		break;
	default:
		break;
	}
}

/* Is sid S-1-5-21-x-y-z-513 (a domain's Domain Users group)? */
static int
effrights_domain_users(const char *sid)
{
	size_t n = strlen(sid);
	int dashes = 0;
	const char *p;

	if (strncmp(sid, "S-1-5-21-", 9) != 0 || n < 13 ||
	    strcmp(sid + n - 4, "-513") != 0)
		return 0;
	for (p = sid; *p != '\0'; p++)
		dashes += *p == '-';
	return dashes == 7;
}

int
effrights_token_has(const struct effrights_token *t, const char *sid)
{
	size_t i;

	if (sid == NULL)
		return 0;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->sids[i], sid) == 0)
			return 1;
	return t->domain_users && effrights_domain_users(sid);
}

/* The rights (EFFRIGHTS_BIT) an entry covers, whoever it names. */
static uint32_t
effrights_ace_covers(const struct effrights_ace *a)
{
	if (!a->mask_known)
		return 0;
	if (a->mask & EFFRIGHTS_GENERIC_ALL)
		return a->object ? (a->right >= 0 ?
		    EFFRIGHTS_BIT(a->right) : 0) : EFFRIGHTS_ALL;
	if (!(a->mask & EFFRIGHTS_CONTROL_ACCESS))
		return 0;
	if (!a->object)
		return EFFRIGHTS_ALL;
	return a->right >= 0 ? EFFRIGHTS_BIT(a->right) : 0;
}

uint32_t
effrights_check(const struct effrights_ace *aces, size_t n, int null_dacl,
    const struct effrights_token *t,
    struct effrights_decision out[EFFRIGHTS_RIGHT_COUNT])
{
	uint32_t decided = 0, granted = 0, cover;
	size_t i;
	int r;

	if (out != NULL)
		for (r = 0; r < EFFRIGHTS_RIGHT_COUNT; r++) {
			out[r].granted = null_dacl;
			out[r].ace = EFFRIGHTS_NO_ACE;
		}
	if (null_dacl)
		return EFFRIGHTS_ALL;
	for (i = 0; i < n && decided != EFFRIGHTS_ALL; i++) {
		const struct effrights_ace *a = &aces[i];

		if (a->inherit_only || !effrights_token_has(t, a->sid))
			continue;
		cover = effrights_ace_covers(a) & ~decided;
		if (cover == 0)
			continue;
		decided |= cover;
		if (!a->deny)
			granted |= cover;
		if (out == NULL)
			continue;
		for (r = 0; r < EFFRIGHTS_RIGHT_COUNT; r++)
			if (cover & EFFRIGHTS_BIT(r)) {
				out[r].granted = !a->deny;
				out[r].ace = i;
			}
	}
	return granted;
}

/* One hexadecimal number "0x..." of at most 8 digits. */
static int
effrights_hex(const char *s, size_t n, uint32_t *out)
{
	uint32_t v = 0;
	size_t i;

	if (n < 3 || n > 10 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return -1;
	for (i = 2; i < n; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

int
effrights_access_mask(const char *text, uint32_t *mask)
{
	const char *p = text, *end;
	size_t n, i;
	uint32_t v;

	*mask = 0;
	if (text == NULL)
		return -1;
	while (*p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		end = p;
		while (*end != '\0' && *end != ',')
			end++;
		n = (size_t)(end - p);
		while (n > 0 && p[n - 1] == ' ')
			n--;
		for (i = 0; effrights_access_names[i].name != NULL; i++)
			if (strlen(effrights_access_names[i].name) == n &&
			    strncasecmp(effrights_access_names[i].name, p,
			    n) == 0)
				break;
		if (effrights_access_names[i].name != NULL)
			*mask |= effrights_access_names[i].mask;
		else if (effrights_hex(p, n, &v) == 0)
			*mask |= v;
		else
			return -1;
		p = end;
	}
	return 0;
}

/* --- the model ----------------------------------------------------------- */

static int
effrights_is(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

static int
effrights_true(xmlNodePtr n, const char *attr)
{
	const char *v = xml_attr(n, attr);

	return v != NULL && strcmp(v, "true") == 0;
}

static int
effrights_has_named(xmlNodePtr conn, const char *child, const char *name)
{
	xmlNodePtr c;
	const char *v;

	for (c = conn->children; c != NULL; c = c->next)
		if (effrights_is(c, child) && (v = xml_attr(c, "name")) != NULL &&
		    strcmp(v, name) == 0)
			return 1;
	return 0;
}

/* A connector's <ace> elements as entries; nodes[i] is entry i's node. */
struct effrights_acl {
	struct effrights_ace	*aces;
	xmlNodePtr		*nodes;
	size_t			*pos;		/* 1-based place among <ace> */
	size_t			 n;
	int			 null_dacl;	/* security-descriptor dacl="null" */
	int			 no_dacl;	/* ... dacl="absent": not read */
	int			 from_sd;	/* a security descriptor was read */
};

static void	effrights_acl_canonical(struct effrights_acl *);

static void
effrights_acl_read(xmlNodePtr conn, struct effrights_acl *acl)
{
	const char *v, *sid, *inh;
	xmlNodePtr c;
	size_t n = 0;
	int r;

	memset(acl, 0, sizeof(*acl));
	for (c = conn->children; c != NULL; c = c->next) {
		if (effrights_is(c, "ace"))
			n++;
		if (effrights_is(c, "security-descriptor")) {
			acl->from_sd = 1;
			v = xml_attr(c, "dacl");
			/* "absent": the DACL was not read, see ad.c. */
			acl->null_dacl = v != NULL && strcmp(v, "null") == 0;
			acl->no_dacl = v != NULL && strcmp(v, "absent") == 0;
		}
	}
	acl->aces = xcalloc(n ? n : 1, sizeof(*acl->aces));
	acl->nodes = xcalloc(n ? n : 1, sizeof(*acl->nodes));
	acl->pos = xcalloc(n ? n : 1, sizeof(*acl->pos));
	for (c = conn->children; c != NULL; c = c->next) {
		struct effrights_ace *a;
		const char *right, *otype;

		if (!effrights_is(c, "ace"))
			continue;
		a = &acl->aces[acl->n];
		acl->pos[acl->n] = acl->n + 1;
		acl->nodes[acl->n++] = c;
		v = xml_attr(c, "type");
		a->deny = v != NULL && strcmp(v, "deny") == 0;
		sid = xml_attr(c, "sid");
		if (sid == NULL)
			sid = principal_sid(xml_attr(c, "principal"));
		a->sid = sid;
		right = xml_attr(c, "right");
		otype = xml_attr(c, "object-type");
		v = xml_attr(c, "access");
		if (v != NULL)
			a->mask_known = effrights_access_mask(v,
			    &a->mask) == 0;
		else if (right != NULL) {
			/* A Get-ADPermission row that names a right. */
			a->mask = EFFRIGHTS_CONTROL_ACCESS;
			a->mask_known = 1;
		}
		a->right = -1;
		if (right != NULL || otype != NULL) {
			a->object = 1;
			r = effrights_right_find(right != NULL ? right : otype);
			a->right = r;
		}
		inh = xml_attr(c, "inheritance");
		a->inherit_only = effrights_true(c, "inherit-only") ||
		    (inh != NULL && (strcasecmp(inh, "Descendents") == 0 ||
		    strcasecmp(inh, "Children") == 0));
	}
	if (!acl->from_sd)
		effrights_acl_canonical(acl);
}

/*
 * Put a permission list that did not come from a security descriptor in
 * canonical order ([MS-DTYP] 2.4.5: explicit deny, explicit allow, then
 * the inherited entries as listed).  AD keeps a DACL so when Windows and
 * Exchange tools write it, and Get-ADPermission lists it in that order;
 * sorting makes a re-sorted or hand-edited export give the same verdict.
 * A descriptor read from the directory is taken in its stored order,
 * which is the one the access check uses.
 */
static void
effrights_acl_canonical(struct effrights_acl *acl)
{
	struct effrights_ace *aces;
	xmlNodePtr *nodes;
	size_t *pos, i, k = 0;
	int pass;

	aces = xcalloc(acl->n ? acl->n : 1, sizeof(*aces));
	nodes = xcalloc(acl->n ? acl->n : 1, sizeof(*nodes));
	pos = xcalloc(acl->n ? acl->n : 1, sizeof(*pos));
	for (pass = 0; pass < 3; pass++)
		for (i = 0; i < acl->n; i++) {
			int inh = effrights_true(acl->nodes[i], "inherited");

			if ((pass == 0 && (inh || !acl->aces[i].deny)) ||
			    (pass == 1 && (inh || acl->aces[i].deny)) ||
			    (pass == 2 && !inh))
				continue;
			aces[k] = acl->aces[i];
			nodes[k] = acl->nodes[i];
			pos[k++] = acl->pos[i];
		}
	free(acl->aces);
	free(acl->nodes);
	free(acl->pos);
	acl->aces = aces;
	acl->nodes = nodes;
	acl->pos = pos;
}

static void
effrights_acl_free(struct effrights_acl *acl)
{
	free(acl->aces);
	free(acl->nodes);
	free(acl->pos);
}

/* The SID a principal name ending in "\account" has somewhere in doc. */
static const char *
effrights_group_sid(xmlNodePtr root, const char *account)
{
	xmlNodePtr org, s, c, a;
	const char *p, *bs;

	for (org = root->children; org != NULL; org = org->next) {
		if (!effrights_is(org, "organization"))
			continue;
		for (s = org->children; s != NULL; s = s->next)
			for (c = effrights_is(s, "server") ? s->children :
			    NULL; c != NULL; c = c->next)
				for (a = effrights_is(c, "receive-connector") ?
				    c->children : NULL; a != NULL; a = a->next) {
					if (!effrights_is(a, "ace") ||
					    xml_attr(a, "sid") == NULL ||
					    (p = xml_attr(a, "principal")) ==
					    NULL)
						continue;
					bs = strrchr(p, '\\');
					if (strcasecmp(bs ? bs + 1 : p,
					    account) == 0)
						return xml_attr(a, "sid");
				}
	}
	return NULL;
}

static void
effrights_set(xmlNodePtr n, const char *attr, const char *v)
{
	if (v != NULL)
		xmlSetProp(n, (const xmlChar *)attr, (const xmlChar *)v);
}

/* Remove every element child of conn named name. */
static void
effrights_drop(xmlNodePtr conn, const char *name)
{
	xmlNodePtr c, next;

	for (c = conn->children; c != NULL; c = next) {
		next = c->next;
		if (effrights_is(c, name)) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		}
	}
}

/* What the derivation found for one client kind. */
struct effrights_fact {
	uint32_t			 granted;
	struct effrights_decision	 why[EFFRIGHTS_RIGHT_COUNT];
	uint32_t			 from_group;	/* rights the group gave */
	int				 everyone_dependent;
	int				 complete;
};

/*
 * An entry that could decide a right for some client but whose principal
 * or rights are unknown: the verdicts cannot be complete.
 */
static int
effrights_unknown(const struct effrights_acl *acl, size_t i)
{
	const struct effrights_ace *a = &acl->aces[i];

	if (a->inherit_only)
		return 0;
	if (!a->mask_known)
		return 1;
	if (effrights_ace_covers(a) == 0)
		return 0;
	return a->sid == NULL &&
	    principal_looks_well_known(xml_attr(acl->nodes[i], "principal"));
}

static void
effrights_fact(xmlNodePtr conn, const struct effrights_acl *acl,
    enum effrights_client who, const char *exsrv, const char *legacy,
    struct effrights_fact *f)
{
	struct effrights_token t, t0;
	uint32_t without;
	size_t i;
	int r;

	memset(f, 0, sizeof(*f));
	f->complete = 1;
	effrights_token(who, exsrv, legacy, 1, &t);
	f->granted = effrights_check(acl->aces, acl->n, acl->null_dacl, &t,
	    f->why);
	if (who == EFFRIGHTS_ANONYMOUS || who == EFFRIGHTS_PARTNER ||
	    who == EFFRIGHTS_EXTERNALLY_SECURED) {
		effrights_token(who, exsrv, legacy, 0, &t0);
		without = effrights_check(acl->aces, acl->n, acl->null_dacl,
		    &t0, NULL);
		f->everyone_dependent = without != f->granted;
	}
	/*
	 * A permission list exported without its descriptor (Get-ADPermission,
	 * often filtered to the rights an administrator added): the
	 * permission groups Exchange computed from the whole descriptor say
	 * which group rights the principal holds; they fill the rights that no
	 * listed entry decides.
	 */
	if (!acl->from_sd && effrights_has_named(conn, "permission-group",
	    effrights_group_of[who].group)) {
		for (r = 0; r < EFFRIGHTS_RIGHT_COUNT; r++)
			if ((effrights_group_of[who].grant & EFFRIGHTS_BIT(r)) &&
			    f->why[r].ace == EFFRIGHTS_NO_ACE &&
			    !(f->granted & EFFRIGHTS_BIT(r))) {
				f->from_group |= EFFRIGHTS_BIT(r);
				f->why[r].granted = 1;
			}
		f->granted |= f->from_group;
	}
	if ((xml_attr(conn, "permissions") != NULL &&
	    (strcmp(xml_attr(conn, "permissions"), "unreadable") == 0 ||
	    strcmp(xml_attr(conn, "permissions"), "not-collected") == 0)) ||
	    acl->no_dacl)
		f->complete = 0;
	for (i = 0; i < acl->n && !acl->null_dacl; i++)
		if (effrights_unknown(acl, i))
			f->complete = 0;
}

static void
effrights_write_decision(xmlNodePtr eff, const struct effrights_acl *acl,
    const struct effrights_fact *f, int r, const char *group)
{
	const struct effrights_decision *d = &f->why[r];
	xmlNodePtr n, ace;
	char idx[32];
	const char *sid;

	if (d->ace == EFFRIGHTS_NO_ACE && !acl->null_dacl &&
	    !(f->from_group & EFFRIGHTS_BIT(r)))
		return;
	n = xmlNewChild(eff, eff->ns, (const xmlChar *)"decision", NULL);
	if (n == NULL)
		return;
	effrights_set(n, "right", effrights_rights[r].name);
	effrights_set(n, "granted", d->granted ? "true" : "false");
	if (d->ace != EFFRIGHTS_NO_ACE) {
		ace = acl->nodes[d->ace];
		snprintf(idx, sizeof(idx), "%zu", acl->pos[d->ace]);
		effrights_set(n, "ace", idx);
		effrights_set(n, "principal", xml_attr(ace, "principal"));
		sid = acl->aces[d->ace].sid;
		effrights_set(n, "sid", sid);
		effrights_set(n, "everyone", sid != NULL &&
		    strcmp(sid, PRINCIPAL_SID_EVERYONE) == 0 ? "true" :
		    "false");
	} else if (acl->null_dacl) {
		effrights_set(n, "principal", "NULL DACL");
		effrights_set(n, "everyone", "false");
	} else {
		effrights_set(n, "principal", group);
		effrights_set(n, "everyone", "false");
	}
}

static void
effrights_write(xmlNodePtr conn, const struct effrights_acl *acl,
    enum effrights_client who, const struct effrights_fact *f)
{
	static const char *const sources[] = { "dacl", "null-dacl",
	    "permission-entries", "permission-groups", "none" };
	xmlNodePtr eff, n;
	const char *src;
	char group[96], idx[32];
	size_t i;
	int r;

	eff = xmlNewChild(conn, conn->ns, (const xmlChar *)"effective", NULL);
	if (eff == NULL)
		return;
	effrights_set(eff, "client", effrights_client_names[who]);
	if (acl->from_sd)
		src = sources[acl->null_dacl ? 1 : 0];
	else if (f->from_group != 0 && acl->n == 0)
		src = sources[3];
	else if (acl->n > 0)
		src = sources[2];
	else
		src = sources[4];
	effrights_set(eff, "source", src);
	effrights_set(eff, "relay", (f->granted &
	    EFFRIGHTS_BIT(EFFRIGHTS_SUBMIT)) && (f->granted &
	    EFFRIGHTS_BIT(EFFRIGHTS_ANY_RECIPIENT)) ? "true" : "false");
	for (r = 0; r < EFFRIGHTS_RIGHT_COUNT; r++)
		effrights_set(eff, effrights_rights[r].attr,
		    (f->granted & EFFRIGHTS_BIT(r)) ? "true" : "false");
	if (who == EFFRIGHTS_EXTERNALLY_SECURED)
		effrights_set(eff, "applies", effrights_has_named(conn,
		    "auth-mechanism", "ExternalAuthoritative") ? "true" :
		    "false");
	effrights_set(eff, "everyone", who == EFFRIGHTS_ANONYMOUS ||
	    who == EFFRIGHTS_PARTNER || who == EFFRIGHTS_EXTERNALLY_SECURED ?
	    "assumed" : "member");
	effrights_set(eff, "everyone-dependent", f->everyone_dependent ?
	    "true" : "false");
	effrights_set(eff, "complete", f->complete ? "true" : "false");
	snprintf(group, sizeof(group), "permission group %s",
	    effrights_group_of[who].group);
	for (r = 0; r < EFFRIGHTS_RIGHT_COUNT; r++)
		effrights_write_decision(eff, acl, f, r, group);
	for (i = 0; i < acl->n && !acl->null_dacl; i++) {
		if (!effrights_unknown(acl, i))
			continue;
		n = xmlNewChild(eff, eff->ns,
		    (const xmlChar *)"unknown-principal", NULL);
		if (n == NULL)
			continue;
		effrights_set(n, "name", xml_attr(acl->nodes[i], "principal"));
		snprintf(idx, sizeof(idx), "%zu", acl->pos[i]);
		effrights_set(n, "ace", idx);
		effrights_set(n, "reason", acl->aces[i].mask_known ?
		    "no SID for this principal name" :
		    "access rights not readable");
	}
}

/* The rights one SID alone holds (a group check, as Exchange runs it). */
static uint32_t
effrights_sid_rights(const struct effrights_acl *acl, const char *sid)
{
	struct effrights_token t;

	memset(&t, 0, sizeof(t));
	effrights_token_add(&t, sid);
	return effrights_check(acl->aces, acl->n, acl->null_dacl, &t, NULL);
}

static int
effrights_holds(const struct effrights_acl *acl, const char *sid,
    uint32_t want)
{
	return sid == NULL || (effrights_sid_rights(acl, sid) & want) == want;
}

/* Is the set one of the groups' predefined ones? */
static int
effrights_predefined(uint32_t set)
{
	return set == EFFRIGHTS_GRANT_ANONYMOUS ||
	    set == EFFRIGHTS_GRANT_USERS || set == EFFRIGHTS_GRANT_EXTERNAL ||
	    set == EFFRIGHTS_GRANT_SERVERS || set == EFFRIGHTS_GRANT_PARTNERS;
}

static void
effrights_add_group(xmlNodePtr conn, const char *name)
{
	xmlNodePtr n;

	n = xmlNewChild(conn, conn->ns, (const xmlChar *)"permission-group",
	    NULL);
	effrights_set(n, "name", name);
}

/*
 * The permission groups of a connector whose DACL was read, as Exchange
 * computes PermissionGroups (exchange-facts.md 2.4): a group is set when
 * each of its principals holds all of the group's rights; Custom when a
 * group principal holds other rights than its group's, or another
 * principal of an explicit entry holds a set that is none of the groups'.
 * Principals whose SID depends on the forest count only when their name
 * resolved (the LDAP collection read their objectSid).
 */
static void
effrights_groups(xmlNodePtr conn, const struct effrights_acl *acl,
    const char *exsrv, const char *legacy)
{
	static const struct {
		const char	*sid;
		uint32_t	 grant;
	} members[] = {
		{ PRINCIPAL_SID_ANONYMOUS, EFFRIGHTS_GRANT_ANONYMOUS },
		{ PRINCIPAL_SID_AUTHUSERS, EFFRIGHTS_GRANT_USERS },
		{ PRINCIPAL_SID_HUB, EFFRIGHTS_GRANT_SERVERS },
		{ PRINCIPAL_SID_EDGE, EFFRIGHTS_GRANT_SERVERS },
		{ PRINCIPAL_SID_EXTERNAL, EFFRIGHTS_GRANT_EXTERNAL },
		{ PRINCIPAL_SID_PARTNERS, EFFRIGHTS_GRANT_PARTNERS },
	};
	uint32_t have;
	size_t i, k;
	int custom = 0, member;

	effrights_drop(conn, "permission-group");
	if (effrights_holds(acl, PRINCIPAL_SID_ANONYMOUS,
	    EFFRIGHTS_GRANT_ANONYMOUS))
		effrights_add_group(conn, "AnonymousUsers");
	if (effrights_holds(acl, PRINCIPAL_SID_AUTHUSERS,
	    EFFRIGHTS_GRANT_USERS))
		effrights_add_group(conn, "ExchangeUsers");
	if (effrights_holds(acl, PRINCIPAL_SID_HUB, EFFRIGHTS_GRANT_SERVERS) &&
	    effrights_holds(acl, PRINCIPAL_SID_EDGE, EFFRIGHTS_GRANT_SERVERS) &&
	    effrights_holds(acl, PRINCIPAL_SID_EXTERNAL,
	    EFFRIGHTS_GRANT_EXTERNAL) &&
	    effrights_holds(acl, exsrv, EFFRIGHTS_GRANT_SERVERS))
		effrights_add_group(conn, "ExchangeServers");
	if (legacy != NULL &&
	    effrights_holds(acl, legacy, EFFRIGHTS_GRANT_EXTERNAL))
		effrights_add_group(conn, "ExchangeLegacyServers");
	if (effrights_holds(acl, PRINCIPAL_SID_PARTNERS,
	    EFFRIGHTS_GRANT_PARTNERS))
		effrights_add_group(conn, "Partners");
	for (i = 0; i < sizeof(members) / sizeof(*members); i++) {
		have = effrights_sid_rights(acl, members[i].sid);
		if (have != 0 && have != members[i].grant)
			custom = 1;
	}
	if (exsrv != NULL && (have = effrights_sid_rights(acl, exsrv)) != 0 &&
	    have != EFFRIGHTS_GRANT_SERVERS)
		custom = 1;
	if (legacy != NULL && (have = effrights_sid_rights(acl,
	    legacy)) != 0 && have != EFFRIGHTS_GRANT_EXTERNAL)
		custom = 1;
	for (i = 0; i < acl->n && !custom && !acl->null_dacl; i++) {
		const char *sid = acl->aces[i].sid;

		if (sid == NULL || effrights_true(acl->nodes[i], "inherited") ||
		    acl->aces[i].deny)
			continue;
		member = (exsrv != NULL && strcmp(sid, exsrv) == 0) ||
		    (legacy != NULL && strcmp(sid, legacy) == 0);
		for (k = 0; k < sizeof(members) / sizeof(*members); k++)
			member |= strcmp(sid, members[k].sid) == 0;
		if (member)
			continue;
		have = effrights_sid_rights(acl, sid);
		if (have != 0 && !effrights_predefined(have))
			custom = 1;
	}
	if (custom)
		effrights_add_group(conn, "Custom");
}

static void
effrights_connector(xmlNodePtr conn, const char *exsrv, const char *legacy)
{
	struct effrights_fact f;
	struct effrights_acl acl;
	int who;

	effrights_drop(conn, "effective");
	effrights_acl_read(conn, &acl);
	if (acl.from_sd)
		effrights_groups(conn, &acl, exsrv, legacy);
	for (who = 0; who < EFFRIGHTS_CLIENT_COUNT; who++) {
		effrights_fact(conn, &acl, who, exsrv, legacy, &f);
		effrights_write(conn, &acl, who, &f);
	}
	effrights_acl_free(&acl);
}

void
effrights_derive(xmlNodePtr root)
{
	const char *exsrv, *legacy;
	xmlNodePtr org, s, c;

	if (root == NULL)
		return;
	exsrv = effrights_group_sid(root, "Exchange Servers");
	legacy = effrights_group_sid(root, "ExchangeLegacyInterop");
	for (org = root->children; org != NULL; org = org->next) {
		if (!effrights_is(org, "organization"))
			continue;
		for (s = org->children; s != NULL; s = s->next)
			for (c = effrights_is(s, "server") ? s->children :
			    NULL; c != NULL; c = c->next)
				if (effrights_is(c, "receive-connector"))
					effrights_connector(c, exsrv, legacy);
	}
}

static xmlNodePtr
effrights_element(xmlNodePtr conn, enum effrights_client who)
{
	xmlNodePtr c;
	const char *v;

	for (c = conn != NULL ? conn->children : NULL; c != NULL; c = c->next)
		if (effrights_is(c, "effective") &&
		    (v = xml_attr(c, "client")) != NULL &&
		    strcmp(v, effrights_client_names[who]) == 0)
			return c;
	return NULL;
}

uint32_t
effrights_of(xmlNodePtr conn, enum effrights_client who)
{
	xmlNodePtr e = effrights_element(conn, who);
	uint32_t bits = 0;
	int r;

	if (e == NULL)
		return 0;
	for (r = 0; r < EFFRIGHTS_RIGHT_COUNT; r++)
		if (effrights_true(e, effrights_rights[r].attr))
			bits |= EFFRIGHTS_BIT(r);
	return bits;
}

const char *
effrights_relay_method(xmlNodePtr conn)
{
	xmlNodePtr a = effrights_element(conn, EFFRIGHTS_ANONYMOUS);
	xmlNodePtr x = effrights_element(conn, EFFRIGHTS_EXTERNALLY_SECURED);
	int anon, ext;

	anon = a != NULL && effrights_true(a, "relay");
	ext = x != NULL && effrights_true(x, "relay") &&
	    effrights_true(x, "applies");
	if (anon && ext)
		return "anonymous externally-secured";
	if (anon)
		return "anonymous";
	if (ext)
		return "externally-secured";
	return "";
}

xmlNodePtr *
effrights_cancelled(xmlNodePtr conn, size_t *n)
{
	struct effrights_decision why[EFFRIGHTS_RIGHT_COUNT];
	struct effrights_token t;
	struct effrights_acl acl;
	const struct effrights_ace *a;
	xmlNodePtr *out;
	uint32_t cover;
	size_t i;
	int r;

	*n = 0;
	effrights_acl_read(conn, &acl);
	out = xcalloc(acl.n ? acl.n : 1, sizeof(*out));
	for (i = 0; i < acl.n && !acl.null_dacl; i++) {
		a = &acl.aces[i];
		if (a->deny || a->inherit_only || a->sid == NULL ||
		    (cover = effrights_ace_covers(a)) == 0)
			continue;
		memset(&t, 0, sizeof(t));
		effrights_token_add(&t, a->sid);
		if (strcmp(a->sid, PRINCIPAL_SID_EVERYONE) != 0)
			effrights_token_add(&t, PRINCIPAL_SID_EVERYONE);
		effrights_check(acl.aces, acl.n, 0, &t, why);
		for (r = 0; r < EFFRIGHTS_RIGHT_COUNT; r++)
			if ((cover & EFFRIGHTS_BIT(r)) && !why[r].granted &&
			    why[r].ace != EFFRIGHTS_NO_ACE && why[r].ace < i) {
				out[(*n)++] = acl.nodes[i];
				break;
			}
	}
	effrights_acl_free(&acl);
	return out;
}
