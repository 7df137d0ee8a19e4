/*
 * log.h - diagnostics on stderr.
 *
 * -v is info, -vv debug, -vvv adds protocol traces.  The level is checked
 * before any formatting.  Reports never go through this module.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_LOG_H
#define MXBPA_LOG_H

enum log_level {
	LOG_LEVEL_QUIET = -1,
	LOG_LEVEL_WARN = 0,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
	LOG_LEVEL_TRACE
};

enum log_subsys {
	LOG_MAIN = 0,
	LOG_XML,
	LOG_IMPORT,
	LOG_MODEL,
	LOG_RULES,
	LOG_ENGINE,
	LOG_REPORT,
	LOG_LDAP,
	LOG_PROBE,
	LOG_SUBSYS_COUNT
};

/* Set the verbosity; messages above it are dropped unformatted. */
void	log_set_level(enum log_level);
int	log_enabled(enum log_level);

void	log_warn(enum log_subsys, const char *, ...)
	    __attribute__((format(printf, 2, 3)));	/* appends strerror */
void	log_warnx(enum log_subsys, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_info(enum log_subsys, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_debug(enum log_subsys, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_trace(enum log_subsys, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif /* MXBPA_LOG_H */
