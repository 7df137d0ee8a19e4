/*
 * tar.h - a small POSIX ustar writer and a strict reader, for evidence
 * archives.
 *
 * The writer builds the archive in memory (regular files only, names of at
 * most TAR_NAME_MAX bytes); the caller writes it out atomically.  The
 * reader walks an archive held in memory and refuses what an evidence
 * archive never holds: links, directories, devices, extended headers,
 * absolute names, ".." components, bad checksums, members that run past
 * the end, and anything after the end-of-archive blocks.  It never
 * touches the file system.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_TAR_H
#define MXBPA_TAR_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct mx_err;

#define TAR_BLOCK	512
#define TAR_NAME_MAX	256	/* prefix (155) + "/" + name (100) */

struct tar_writer {
	unsigned char	*buf;
	size_t		 len, size;
	time_t		 mtime;
};

/* Start an empty archive whose members carry mtime. */
void	tar_writer_init(struct tar_writer *, time_t mtime);

/*
 * Add a regular file (mode 0644, owner 0:0).  A name that is empty,
 * absolute, has a ".." or "." component, or does not fit ustar's name
 * field (100 bytes) is MX_ERR_INTERNAL: names are chosen by the program.
 */
int	tar_add(struct tar_writer *, const char *name, const void *data,
	    size_t len, struct mx_err *);

/* Append the end-of-archive blocks, padded to a 10240-byte record. */
void	tar_finish(struct tar_writer *);
void	tar_writer_free(struct tar_writer *);

struct tar_reader {
	const unsigned char	*p;
	size_t			 len, pos;
	unsigned		 index;		/* members read so far */
};

/* One member; data points into the reader's buffer. */
struct tar_member {
	char			 name[TAR_NAME_MAX + 1];
	const unsigned char	*data;
	size_t			 size;
	size_t			 offset;	/* of its header */
};

/* Borrows buf; buf must outlive the reader. */
void	tar_reader_init(struct tar_reader *, const void *buf, size_t len);

/*
 * The next member: 1 with *m filled, 0 at the end of the archive, -1 with
 * MX_ERR_INPUT naming the member (or its position) and the reason.
 */
int	tar_next(struct tar_reader *, struct tar_member *, struct mx_err *);

/*
 * Is the archive buf[0..len) byte for byte what tar_add and tar_finish
 * write for its members: every header as the writer makes it for that
 * name and size (with the first member's mtime), padding and end blocks
 * zeros, the end exactly one record boundary away?  Returns 1, or 0 with
 * the first difference described in why.
 */
int	tar_exact(const void *buf, size_t len, char *why, size_t whysize);

/* Is name acceptable as a member name (relative, no "." or ".." part)? */
int	tar_name_ok(const char *name);

#endif /* MXBPA_TAR_H */
