/*
 * secret.h - passwords: from a file, an environment variable or a prompt
 * without echo; never from argv.  Buffers are wiped with explicit_bzero
 * after use.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_SECRET_H
#define MXBPA_SECRET_H

#include <stddef.h>

struct mx_err;

#define SECRET_MAX	1024

struct secret_source {
	const char	*file;		/* --password-file, or NULL */
	const char	*env;		/* variable name, e.g. "MXBPA_LDAP_PASSWORD" */
	int		 prompt;	/* -W: ask on the terminal */
	const char	*what;		/* "LDAP bind password" for the prompt */
};

/*
 * Fill buf (NUL-terminated, at most SECRET_MAX - 1 bytes) from the first
 * source given: the file (its first line, without the newline), then the
 * environment variable, then the prompt (/dev/tty, echo off).  Returns 0, 1 when no
 * source is set (anonymous), or -1 with MX_ERR_USAGE/MX_ERR_IO.  The
 * message never contains the secret.
 */
int	secret_read(const struct secret_source *, char *buf, size_t size,
	    struct mx_err *);

/* Wipe a secret buffer. */
void	secret_wipe(char *buf, size_t size);

#endif /* MXBPA_SECRET_H */
