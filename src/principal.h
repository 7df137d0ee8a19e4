/*
 * principal.h - security principals by SID: the well-known SIDs an
 * Exchange receive connector's permissions name, with the display names
 * Windows gives them in English and in the display languages that
 * rename NT AUTHORITY principals (docs/effective-rights.md, "Principal
 * names", gives the table's sources).
 *
 * Get-ADPermission prints principals by name only, in the language of
 * the Windows that ran it; a name that resolves to no SID cannot be
 * placed in or out of a client's token, and the verdicts say so.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_PRINCIPAL_H
#define MXBPA_PRINCIPAL_H

/* Exchange's own principals (authority 9, resource manager). */
#define PRINCIPAL_SID_EXCHANGE	"S-1-9-1419165041-1139599005-3936102811-" \
				"1022490595-"
#define PRINCIPAL_SID_PARTNERS	PRINCIPAL_SID_EXCHANGE "10"
#define PRINCIPAL_SID_HUB	PRINCIPAL_SID_EXCHANGE "21"
#define PRINCIPAL_SID_EDGE	PRINCIPAL_SID_EXCHANGE "22"
#define PRINCIPAL_SID_EXTERNAL	PRINCIPAL_SID_EXCHANGE "23"
#define PRINCIPAL_SID_LEGACY	PRINCIPAL_SID_EXCHANGE "24"

#define PRINCIPAL_SID_EVERYONE	"S-1-1-0"
#define PRINCIPAL_SID_NETWORK	"S-1-5-2"
#define PRINCIPAL_SID_ANONYMOUS	"S-1-5-7"
#define PRINCIPAL_SID_AUTHUSERS	"S-1-5-11"
#define PRINCIPAL_SID_THIS_ORG	"S-1-5-15"

/*
 * The SID of a principal name in any language of the table, compared
 * without case; NULL when the name is not a well-known principal.
 * Static string.
 */
const char	*principal_sid(const char *name);

/* The English name of a well-known SID, or NULL.  Static string. */
const char	*principal_name(const char *sid);

/*
 * Is name written as a well-known authority would write it (no
 * "DOMAIN\" part, or the NT AUTHORITY, BUILTIN or MS Exchange part of a
 * language of the table), so that, when principal_sid does not know it,
 * it may be a well-known principal in a language or spelling the table
 * lacks?  A "DOMAIN\account" name is a domain account: 0.
 */
int		 principal_looks_well_known(const char *name);

#endif /* MXBPA_PRINCIPAL_H */
