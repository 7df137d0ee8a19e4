/*
 * err.h - the one error convention of mxbpa.
 *
 * Functions return 0 / -1 (or a pointer / NULL) and fill a caller-provided
 * struct mx_err.  The first error set wins: later cascading failures never
 * overwrite the root cause.  Codes are append-only and never reused.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_ERR_H
#define MXBPA_ERR_H

#include <stdio.h>

enum mx_errcode {
	MX_OK = 0,
	MX_ERR_USAGE,		/* bad command line */
	MX_ERR_INPUT,		/* an input is invalid */
	MX_ERR_LIMIT,		/* an input exceeds a bound of bounds.h */
	MX_ERR_IO,		/* could not read or write a file */
	MX_ERR_NET,		/* network failure */
	MX_ERR_TIMEOUT,		/* a deadline passed */
	MX_ERR_TLS,		/* TLS failure */
	MX_ERR_PROTO,		/* peer broke its protocol */
	MX_ERR_INTERNAL,	/* a bug or a library failure */
	MX_ERR_COUNT
};

/* Process exit codes: the command-line contract of DESIGN.md. */
enum mx_exit {
	MX_EXIT_OK = 0,		/* nothing at or above --fail-on */
	MX_EXIT_FINDINGS = 1,	/* findings at or above --fail-on */
	MX_EXIT_USAGE = 2,	/* usage or input error */
	MX_EXIT_RUNTIME = 3	/* collection or runtime failure */
};

struct mx_err {
	enum mx_errcode	code;
	int		sys_errno;	/* saved errno for IO/NET, else 0 */
	char		where[256];	/* "rules/relay.xml:42", "model.xml" */
	char		msg[512];
};

/* Reset an error to MX_OK. */
void		 mx_err_init(struct mx_err *);

/*
 * Record an error unless one is already recorded.  where may be NULL.
 * Always returns -1 so that callers can write "return mx_err_set(...)".
 */
int		 mx_err_set(struct mx_err *, enum mx_errcode, const char *where,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* As mx_err_set, appending strerror(errno) and saving errno. */
int		 mx_err_sys(struct mx_err *, enum mx_errcode, const char *where,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Short stable name of a code ("input", "limit", ...). */
const char	*mx_err_name(enum mx_errcode);

/* The process exit code for an error: usage/input/limit → 2, else 3. */
enum mx_exit	 mx_err_exit_code(const struct mx_err *);

/* Print "mxbpa: where: message" on the given stream. */
void		 mx_err_print(const struct mx_err *, FILE *);

#endif /* MXBPA_ERR_H */
