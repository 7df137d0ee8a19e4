/*
 * tap.h - the unit-test harness: each check is one sentence, printed as a
 * TAP line ("ok 3 - IPv6 /64 does not cover 0.0.0.0/0").
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_TAP_H
#define MXBPA_TAP_H

/* Record one check; returns cond so callers can stop early. */
int	tap_check(int cond, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Print a diagnostic line ("# ..."). */
void	tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print the plan; returns the exit status (0 when every check passed). */
int	tap_done(void);

/* Absolute path of a file under the source tree ($MXBPA_TOP_SRCDIR). */
const char *tap_srcpath(const char *relative);

#endif /* MXBPA_TAP_H */
