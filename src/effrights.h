/*
 * effrights.h - effective extended rights on a receive connector, by the
 * Windows access check ([MS-DTYP] 2.5.3.2, with the object-type list of
 * [MS-ADTS] 5.1.3.3.3 for control access rights), for each kind of SMTP
 * client; and the derived facts the model carries from them
 * (docs/effective-rights.md, docs/model.md "Derived facts").
 *
 * This is the one place where Exchange's access semantics live: the LDAP
 * mapping (permission groups), connector selection, the XPath functions,
 * which-connector and the rules all read what it computes.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_EFFRIGHTS_H
#define MXBPA_EFFRIGHTS_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

/* Access mask bits the check looks at ([MS-ADTS] 5.1.3.2, [MS-DTYP]). */
#define EFFRIGHTS_CONTROL_ACCESS	0x00000100u	/* RIGHT_DS_CONTROL_ACCESS */
#define EFFRIGHTS_GENERIC_ALL		0x10000000u	/* GENERIC_ALL */

/* The receive-side extended rights of Exchange (exchange-facts.md 2.1). */
enum effrights_right {
	EFFRIGHTS_SUBMIT,
	EFFRIGHTS_ANY_RECIPIENT,
	EFFRIGHTS_AUTH_FLAG,
	EFFRIGHTS_ANY_SENDER,
	EFFRIGHTS_AUTH_DOMAIN_SENDER,
	EFFRIGHTS_BYPASS_ANTISPAM,
	EFFRIGHTS_BYPASS_SIZE,
	EFFRIGHTS_ACCEPT_EXCH50,
	EFFRIGHTS_ACCEPT_ROUTING,
	EFFRIGHTS_ACCEPT_FOREST,
	EFFRIGHTS_ACCEPT_ORG,
	EFFRIGHTS_RIGHT_COUNT
};

#define EFFRIGHTS_BIT(r)	(1u << (r))
#define EFFRIGHTS_ALL		(EFFRIGHTS_BIT(EFFRIGHTS_RIGHT_COUNT) - 1)

struct effrights_right_def {
	const char	*name;		/* "ms-Exch-SMTP-Submit" */
	const char	*guid;		/* rightsGuid, lower case */
	const char	*attr;		/* model attribute: "submit" */
};

extern const struct effrights_right_def effrights_rights[EFFRIGHTS_RIGHT_COUNT];

/* A right by name (without case) or by rightsGuid text; -1 if not ours. */
int		 effrights_right_find(const char *);

/* The kinds of client an SMTP session can be. */
enum effrights_client {
	EFFRIGHTS_ANONYMOUS,		/* no authentication */
	EFFRIGHTS_AUTHENTICATED,	/* a user who authenticated */
	EFFRIGHTS_PARTNER,		/* domain-secured partner (Partners) */
	EFFRIGHTS_EXCHANGE_SERVER,	/* an Exchange 2007+ server */
	EFFRIGHTS_LEGACY_SERVER,	/* an Exchange 2003 server */
	EFFRIGHTS_EXTERNALLY_SECURED,	/* ExternalAuthoritative sessions */
	EFFRIGHTS_CLIENT_COUNT
};

/* "anonymous", "authenticated", ... as in the model. */
extern const char *const effrights_client_names[EFFRIGHTS_CLIENT_COUNT];

/* A client kind by its model name; -1 if none. */
int		 effrights_client_find(const char *);

/* One access control entry, as the check needs it. */
struct effrights_ace {
	int		 deny;
	uint32_t	 mask;		/* access mask */
	int		 mask_known;	/* 0: the entry's rights are unknown */
	int		 object;	/* an ObjectType limits the entry */
	int		 right;		/* that ObjectType's right, or -1 */
	int		 inherit_only;	/* INHERIT_ONLY_ACE: not in force here */
	const char	*sid;		/* NULL: principal not resolved */
};

#define EFFRIGHTS_TOKEN_MAX	12

/* The SIDs of a client's token (borrowed strings). */
struct effrights_token {
	const char	*sids[EFFRIGHTS_TOKEN_MAX];
	size_t		 n;
	int		 domain_users;	/* any S-1-5-21-...-513 matches */
};

/*
 * The token of a client kind (docs/effective-rights.md, "Tokens").
 * exchange_servers and legacy_interop are the forest's Exchange Servers
 * and ExchangeLegacyInterop group SIDs, NULL when unknown; everyone adds
 * Everyone (S-1-1-0) to the kinds for which it is an assumption
 * (anonymous, partner, externally secured).
 */
void		 effrights_token(enum effrights_client,
		    const char *exchange_servers, const char *legacy_interop,
		    int everyone, struct effrights_token *);

/* Does the token hold sid? */
int		 effrights_token_has(const struct effrights_token *,
		    const char *sid);

#define EFFRIGHTS_NO_ACE	((size_t)-1)

/* How one right was decided: by which entry (EFFRIGHTS_NO_ACE: none). */
struct effrights_decision {
	int		 granted;
	size_t		 ace;
};

/*
 * The access check for every right, over n entries in DACL order (or a
 * NULL DACL, which grants everything).  Each right is decided by the
 * first entry in force on the object (not INHERIT_ONLY) whose SID is in
 * the token and whose mask covers it: GENERIC_ALL, or control access
 * with no ObjectType or with that right's ObjectType.  A deny denies
 * only what it covers.  Entries with an unknown mask are skipped (the
 * caller reports them).  Returns the granted rights (EFFRIGHTS_BIT);
 * decisions may be NULL.
 */
uint32_t	 effrights_check(const struct effrights_ace *, size_t n,
		    int null_dacl, const struct effrights_token *,
		    struct effrights_decision out[EFFRIGHTS_RIGHT_COUNT]);

/*
 * The mask an access text stands for ("ExtendedRight", "ReadProperty,
 * WriteProperty", "GenericAll", "0x100"; ActiveDirectoryRights names as
 * Get-ADPermission prints them, or as ad.c writes them).  0, or -1 when
 * a word is not known.
 */
int		 effrights_access_mask(const char *, uint32_t *);

/*
 * Recompute the derived facts of every receive connector under root (a
 * model's <topology>): the <effective> element of each client kind and,
 * for connectors whose permissions come from a security descriptor,
 * the permission groups.  Facts already in the document are replaced,
 * never trusted.
 */
void		 effrights_derive(xmlNodePtr root);

/*
 * The rights a client kind holds on conn, from its derived <effective>
 * element (EFFRIGHTS_BIT mask; 0 when there is none).  Works on model
 * elements with or without a namespace.
 */
uint32_t	 effrights_of(xmlNodePtr conn, enum effrights_client);

/*
 * How the connector relays for a host that does not authenticate:
 * "anonymous" (ANONYMOUS LOGON's token may submit to any recipient),
 * "externally-secured" (ExternalAuthoritative, and the Externally
 * Secured Servers token may), both separated by a space, or "".  Read
 * from the derived facts.  Static strings.
 */
const char	*effrights_relay_method(xmlNodePtr conn);

/*
 * The allow entries of conn that are cancelled: for some right such an
 * entry grants, the access check of a token holding its SID (and
 * Everyone) is decided by an earlier deny entry instead.  Returns an
 * array of *n <ace> nodes, in access-check order, that the caller frees.
 */
xmlNodePtr	*effrights_cancelled(xmlNodePtr conn, size_t *n);

#endif /* MXBPA_EFFRIGHTS_H */
