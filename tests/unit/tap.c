/*
 * tap.c - the unit-test harness (see tap.h).
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "tap.h"

static unsigned tap_count;
static unsigned tap_failed;

int
tap_check(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	if (!cond)
		tap_failed++;
	printf("%sok %u - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

void
tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

int
tap_done(void)
{
	printf("1..%u\n", tap_count);
	return tap_failed == 0 && tap_count > 0 ? 0 : 1;
}

const char *
tap_srcpath(const char *relative)
{
	static char buf[4096];
	const char *top = getenv("MXBPA_TOP_SRCDIR");

	snprintf(buf, sizeof(buf), "%s/%s", top ? top : ".", relative);
	return buf;
}
