/*
 * err.c - the error convention (see err.h).
 *
 * SPDX-License-Identifier: ISC
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "term.h"
#include "util.h"

static const char *const mx_err_names[MX_ERR_COUNT] = {
	[MX_OK] = "ok",
	[MX_ERR_USAGE] = "usage",
	[MX_ERR_INPUT] = "input",
	[MX_ERR_LIMIT] = "limit",
	[MX_ERR_IO] = "io",
	[MX_ERR_NET] = "network",
	[MX_ERR_TIMEOUT] = "timeout",
	[MX_ERR_TLS] = "tls",
	[MX_ERR_PROTO] = "protocol",
	[MX_ERR_INTERNAL] = "internal",
};

void
mx_err_init(struct mx_err *err)
{
	memset(err, 0, sizeof(*err));
}

static int
mx_err_setv(struct mx_err *err, enum mx_errcode code, int sys_errno,
    const char *where, const char *fmt, va_list ap)
{
	if (err == NULL || err->code != MX_OK)
		return -1;
	err->code = code;
	err->sys_errno = sys_errno;
	util_strlcpy(err->where, where != NULL ? where : "", sizeof(err->where));
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return -1;
}

int
mx_err_set(struct mx_err *err, enum mx_errcode code, const char *where,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mx_err_setv(err, code, 0, where, fmt, ap);
	va_end(ap);
	return -1;
}

int
mx_err_sys(struct mx_err *err, enum mx_errcode code, const char *where,
    const char *fmt, ...)
{
	int saved = errno;
	size_t len;
	va_list ap;

	if (err == NULL || err->code != MX_OK)
		return -1;
	va_start(ap, fmt);
	mx_err_setv(err, code, saved, where, fmt, ap);
	va_end(ap);
	len = strlen(err->msg);
	snprintf(err->msg + len, sizeof(err->msg) - len, ": %s",
	    strerror(saved));
	errno = saved;
	return -1;
}

const char *
mx_err_name(enum mx_errcode code)
{
	if ((int)code < 0 || code >= MX_ERR_COUNT)
		return "unknown";
	return mx_err_names[code];
}

enum mx_exit
mx_err_exit_code(const struct mx_err *err)
{
	switch (err->code) {
	case MX_OK:
		return MX_EXIT_OK;
	case MX_ERR_USAGE:
	case MX_ERR_INPUT:
	case MX_ERR_LIMIT:
		return MX_EXIT_USAGE;
	default:
		return MX_EXIT_RUNTIME;
	}
}

void
mx_err_print(const struct mx_err *err, FILE *fp)
{
	/* Both may quote an input: escaped for the terminal (term.h). */
	fputs("mxbpa: ", fp);
	if (err->where[0] != '\0') {
		term_write(fp, err->where, strlen(err->where), 0);
		fputs(": ", fp);
	}
	term_write(fp, err->msg, strlen(err->msg), 0);
	fputc('\n', fp);
}
