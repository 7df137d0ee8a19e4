/*
 * archive.h - evidence archives: one standard tar file holding what an
 * audit read and produced, a manifest with the SHA-256 of every member,
 * and optionally a CMS signature of the manifest; and their verification.
 *
 * Layout (docs/archive.md): manifest.txt first, manifest.p7s (detached
 * CMS signature, DER) when signed, then the members in the order added.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_ARCHIVE_H
#define MXBPA_ARCHIVE_H

#include <stddef.h>
#include <stdio.h>

struct mx_err;
struct util_out;
struct archive;

#define ARCHIVE_MANIFEST	"manifest.txt"
#define ARCHIVE_SIGNATURE	"manifest.p7s"
#define ARCHIVE_MAGIC		"mxbpa-evidence-archive 1"

/* Returns a new, empty archive; free with archive_free(). */
struct archive	*archive_new(void);
void		 archive_free(struct archive *);

/*
 * Add a member holding a copy of data[0..len).  name is chosen by the
 * program (MX_ERR_INTERNAL if it is not a valid member name).
 */
int		 archive_add_data(struct archive *, const char *name,
		    const void *data, size_t len, struct mx_err *);

/*
 * Add the file at path (capped at INPUT_FILE_MAX) as dir/N-BASENAME, the
 * base name reduced to letters, digits, '.', '-' and '_'.  When sha256 is
 * not NULL, the file must still have that digest (the one recorded when it
 * was read): MX_ERR_INPUT otherwise.  MX_ERR_IO or MX_ERR_LIMIT.
 */
int		 archive_add_file(struct archive *, const char *dir,
		    const char *path, const char *sha256, struct mx_err *);

/*
 * Write the archive to path, replaced atomically (a temporary name in the
 * same directory, renamed once complete; created 0600 & ~umask).  With
 * out, the archive joins the outputs of the run (util_out_add) and is put
 * in place by util_out_commit with them.  The manifest records version,
 * creation time, the command line argv[0..argc) with secrets removed, and
 * every member's SHA-256 and size.  With key and cert (PEM files), the
 * manifest is signed with CMS.  0, or -1 (MX_ERR_IO, MX_ERR_INPUT for an
 * unreadable key or certificate).
 */
int		 archive_write(struct archive *, struct util_out *out,
		    const char *path, int argc, char *const *argv,
		    const char *key, const char *cert, struct mx_err *);

/*
 * Verify the archive held in buf[0..len), in memory: the tar structure,
 * every member against the manifest (digest, size, presence), members the
 * manifest does not list, and the signature when there is one (against
 * the certificate in the PEM file trusted when given).  One line per
 * member or problem goes to out (NULL: nothing is printed).
 * Returns 0 when everything matches, 1 when something does not (*problems
 * says how many), -1 with MX_ERR_INPUT when the archive is malformed or
 * refused (links, "..", absolute or duplicate names).
 */
int		 archive_verify_mem(const void *buf, size_t len,
		    const char *trusted, FILE *out, unsigned *problems,
		    struct mx_err *);

/* Read the file at path (capped at ARCHIVE_FILE_MAX) and verify it. */
int		 archive_verify(const char *path, const char *trusted,
		    FILE *out, unsigned *problems, struct mx_err *);

#endif /* MXBPA_ARCHIVE_H */
