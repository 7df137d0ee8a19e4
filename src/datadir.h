/*
 * datadir.h - where the shipped data files live (rules/, reports/,
 * schemas/).
 *
 * In order: $MXBPA_DATADIR; the source tree when the running binary is the
 * one built in the build tree; the installed $(pkgdatadir).
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_DATADIR_H
#define MXBPA_DATADIR_H

#include <stddef.h>

struct mx_err;

/* The data directory in use (never NULL). */
const char	*datadir_root(void);

/*
 * Build "<root>/<sub>/<name>" into out.  Returns 0, or -1 with MX_ERR_IO
 * when the path does not fit or the file does not exist.
 */
int		 datadir_file(char *out, size_t size, const char *sub,
		    const char *name, struct mx_err *);

#endif /* MXBPA_DATADIR_H */
