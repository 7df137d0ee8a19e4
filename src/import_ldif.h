/*
 * import_ldif.h - LDIF files (RFC 2849) as ldifde and ldapsearch write
 * them: version line, comments, folded lines, base64 ("::") values,
 * attribute options.  A bounded reader yields struct ad_entry; the import
 * hands them to ad.c, the same mapping as the live LDAP collector.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_IMPORT_LDIF_H
#define MXBPA_IMPORT_LDIF_H

#include <stddef.h>

struct ad_entry;
struct model;
struct mx_err;
struct ldif_reader;

/* Does the buffer look like LDIF (first non-comment line "dn:" or "version:")? */
int	 import_ldif_detect(const char *, size_t);

/* A reader over a buffer the caller keeps alive; name is for messages. */
struct ldif_reader *ldif_reader_new(const char *data, size_t len,
	    const char *name);
void	 ldif_reader_free(struct ldif_reader *);

/*
 * The next entry: 1 and *entry (caller frees with ad_entry_free), 0 at
 * the end, -1 with MX_ERR_INPUT/MX_ERR_LIMIT "name:line: reason" (bad
 * base64, line over LDIF_LINE_MAX, value over LDAP_VALUE_MAX, change
 * records, a line without a colon...).
 */
int	 ldif_reader_next(struct ldif_reader *, struct ad_entry **entry,
	    struct mx_err *);

/*
 * Import a whole LDIF buffer into model (scratch model merged on
 * success: the model is unchanged on error).
 */
int	 import_ldif(struct model *, const char *data, size_t len,
	    const char *name, const char *sha256, struct mx_err *);

#endif /* MXBPA_IMPORT_LDIF_H */
