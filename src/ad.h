/*
 * ad.h - Active Directory entries (from LDAP or from LDIF) into the
 * topology model.  The LDAP collector and the LDIF importer both produce
 * struct ad_entry and hand them here, so live and offline collection
 * decode the same way ([MS-ADTS] objects, exchange-facts.md attributes).
 *
 * Recognised by objectClass: msExchSmtpReceiveConnector,
 * msExchExchangeServer, msExchAcceptedDomain, controlAccessRight (the
 * extended rights, for GUID → name), protocolCfgSMTPServer (Exchange 2003
 * SMTP virtual servers), and any entry with objectSid (SID → name).
 * Entries are buffered; names are resolved in ad_map_finish, so the order
 * of entries does not matter.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_AD_H
#define MXBPA_AD_H

#include <stddef.h>
#include <stdint.h>

struct model;
struct mx_err;
struct ad_map;

struct ad_value {
	uint8_t		*data;		/* not NUL-terminated for binary */
	size_t		 len;
	unsigned long	 line;		/* its line in an LDIF file, or 0 */
};

struct ad_attr {
	char		*name;		/* attribute description, as sent */
	struct ad_value	*values;
	size_t		 nvalues;
};

/* One entry; owned by whoever built it, freed with ad_entry_free. */
struct ad_entry {
	char		*dn;
	struct ad_attr	*attrs;
	size_t		 nattrs;
	unsigned long	 line;		/* its dn line in an LDIF file, or 0 */
};

/* Helpers to build and read entries (bounded by LDAP_VALUE_MAX etc.). */
struct ad_entry	*ad_entry_new(const char *dn);
int		 ad_entry_add(struct ad_entry *, const char *attr,
		    const uint8_t *, size_t, struct mx_err *,
		    const char *where);
void		 ad_entry_free(struct ad_entry *);
/* Attribute by name, case-insensitive (";binary" options ignored). */
const struct ad_attr *ad_entry_attr(const struct ad_entry *,
		    const char *name);
/* A deep copy of an entry. */
struct ad_entry	*ad_entry_copy(const struct ad_entry *);
/* Does objectClass hold cls (compared without case)? */
int		 ad_entry_has_class(const struct ad_entry *, const char *cls);

/*
 * A mapping session writing into model; source names the input (LDAP URI
 * or LDIF file) for messages.
 */
struct ad_map	*ad_map_new(struct model *, const char *source);

/*
 * Take one entry.  A malformed value (an unparsable range, a bad security
 * descriptor) does not stop the collection: the connector is marked
 * (permissions="unreadable" with the reason) and a warning is logged.
 * -1 only for a limit or an internal failure.
 */
int		 ad_map_entry(struct ad_map *, const struct ad_entry *,
		    struct mx_err *);

/* Resolve rights GUIDs and SIDs, write the buffered ACEs.  0 or -1. */
int		 ad_map_finish(struct ad_map *, struct mx_err *);

/* Number of entries of each kind mapped so far (for the <source>). */
size_t		 ad_map_count(const struct ad_map *);

void		 ad_map_free(struct ad_map *);

/*
 * The attributes the collector asks for, NULL-terminated, so that LDAP
 * searches and the documentation list the same names.
 */
extern const char *const ad_attributes[];


#endif /* MXBPA_AD_H */
