/*
 * util.h - allocation, bounded number parsing, capped file reads, atomic
 * file writes, hashing and timestamps.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_UTIL_H
#define MXBPA_UTIL_H

#include <stddef.h>
#include <stdint.h>

struct mx_err;

/* Allocation that never returns NULL: out of memory aborts the process. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
/* Say "out of memory" and abort (what the calls above do). */
void	 util_oom(void);

/*
 * Parse a whole decimal string into an unsigned integer no larger than max.
 * Leading/trailing space, signs, empty strings and overflow are refused.
 * Returns 0, or -1 with MX_ERR_INPUT naming where.
 */
int	 parse_u32(const char *, uint32_t max, uint32_t *, struct mx_err *,
	    const char *where);
int	 parse_u64(const char *, uint64_t max, uint64_t *, struct mx_err *,
	    const char *where);

/* Copy with truncation; always NUL-terminates; returns strlen(src). */
size_t	 util_strlcpy(char *, const char *, size_t);

/* A file's bytes, NUL-terminated (len excludes the NUL).  Owner frees. */
struct util_file {
	char	*data;
	size_t	 len;
};

/*
 * Read a regular file of at most max bytes ("-" reads stdin).  Directories
 * and oversized files are refused (MX_ERR_INPUT / MX_ERR_LIMIT).
 */
int	 util_read_file(const char *path, size_t max, struct util_file *,
	    struct mx_err *);
void	 util_file_free(struct util_file *);

/*
 * The outputs of one run, put in place together.  util_out_add writes a
 * regular file's bytes to a temporary file next to it at once (fsync'd;
 * mode 0666 & ~umask, 0600 & ~umask with UTIL_OUT_PRIVATE, or the mode of
 * the file it replaces); util_out_commit renames them all into place,
 * then writes the outputs kept in memory: standard output ("-",
 * /dev/stdout), character devices and FIFOs, which are written in place.
 * util_out_free removes what was not committed, so a run that fails
 * before the commit leaves every output as it was.  Adding a file twice
 * (same path or same inode) is MX_ERR_USAGE.
 */
struct util_out;

#define UTIL_OUT_PRIVATE	0x1	/* 0600 & ~umask: evidence archives */

struct util_out	*util_out_new(void);
int	 util_out_add(struct util_out *, const char *path, const void *,
	    size_t, int flags, struct mx_err *);
int	 util_out_commit(struct util_out *, struct mx_err *);
void	 util_out_free(struct util_out *);

/* One output put in place alone (util_out_add, then commit). */
int	 util_write_atomic(const char *path, const void *, size_t,
	    struct mx_err *);

/*
 * Do two paths name the same regular file (same path, same inode, or the
 * same name in the same directory when it does not exist yet)?  "-",
 * standard output, devices and FIFOs never collide.  Returns 1 or 0.
 */
int	 util_same_file(const char *, const char *);

/* The value of a hex digit (0-9, a-f, A-F), or -1. */
int	 util_hex_digit(int c);

/* Lower-case hex SHA-256 of a buffer into out (65 bytes with the NUL). */
void	 util_sha256_hex(const void *, size_t, char out[65]);

/*
 * UTC time as "YYYY-MM-DDTHH:MM:SSZ", from SOURCE_DATE_EPOCH when set
 * (reproducible outputs), else the clock.
 */
void	 util_timestamp(char out[32]);

/*
 * UTC time of the clock, always: for events that were observed (a probe
 * started, a reply came), where a reproducible date would be false
 * evidence.
 */
void	 util_clock_timestamp(char out[32]);

#endif /* MXBPA_UTIL_H */
