/*
 * log.c - diagnostics on stderr (see log.h).
 *
 * SPDX-License-Identifier: ISC
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "term.h"

/* Bytes of one message kept (longer ones end in "..."). */
#define LOG_LINE_MAX	8192

static enum log_level log_level = LOG_LEVEL_WARN;

static const char *const log_subsys_name[LOG_SUBSYS_COUNT] = {
	[LOG_MAIN] = "main",
	[LOG_XML] = "xml",
	[LOG_IMPORT] = "import",
	[LOG_MODEL] = "model",
	[LOG_RULES] = "rules",
	[LOG_ENGINE] = "engine",
	[LOG_REPORT] = "report",
	[LOG_LDAP] = "ldap",
	[LOG_PROBE] = "probe",
};

void
log_set_level(enum log_level level)
{
	log_level = level;
}

int
log_enabled(enum log_level level)
{
	return level <= log_level;
}

static void
log_vemit(enum log_subsys sub, const char *tag, int with_errno,
    const char *fmt, va_list ap)
{
	char buf[LOG_LINE_MAX];
	int saved = errno, n;

	if ((int)sub < 0 || sub >= LOG_SUBSYS_COUNT)
		sub = LOG_MAIN;
	/* The message may quote an input: escaped for the terminal. */
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		n = 0;
	fprintf(stderr, "mxbpa: %s%s: ", tag, log_subsys_name[sub]);
	term_write(stderr, buf, (size_t)n < sizeof(buf) ? (size_t)n :
	    sizeof(buf) - 1, 0);
	if ((size_t)n >= sizeof(buf))
		fputs("...", stderr);
	if (with_errno)
		fprintf(stderr, ": %s", strerror(saved));
	fputc('\n', stderr);
	errno = saved;
}

void
log_warn(enum log_subsys sub, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(LOG_LEVEL_WARN))
		return;
	va_start(ap, fmt);
	log_vemit(sub, "warning: ", 1, fmt, ap);
	va_end(ap);
}

void
log_warnx(enum log_subsys sub, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(LOG_LEVEL_WARN))
		return;
	va_start(ap, fmt);
	log_vemit(sub, "warning: ", 0, fmt, ap);
	va_end(ap);
}

void
log_info(enum log_subsys sub, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(LOG_LEVEL_INFO))
		return;
	va_start(ap, fmt);
	log_vemit(sub, "", 0, fmt, ap);
	va_end(ap);
}

void
log_debug(enum log_subsys sub, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(LOG_LEVEL_DEBUG))
		return;
	va_start(ap, fmt);
	log_vemit(sub, "debug: ", 0, fmt, ap);
	va_end(ap);
}

void
log_trace(enum log_subsys sub, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(LOG_LEVEL_TRACE))
		return;
	va_start(ap, fmt);
	log_vemit(sub, "trace: ", 0, fmt, ap);
	va_end(ap);
}
