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
 * Replace path atomically: write a temporary file in the same directory,
 * fsync it, rename it over path.  On error the temporary file is removed
 * and path is untouched.  "-" writes to stdout; an existing device or
 * FIFO (/dev/null) is written in place.
 */
int	 util_write_atomic(const char *path, const void *, size_t,
	    struct mx_err *);

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
