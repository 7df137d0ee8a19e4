/*
 * datadir.c - locate shipped data files (see datadir.h).
 *
 * SPDX-License-Identifier: ISC
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datadir.h"
#include "err.h"
#include "util.h"

#ifndef MXBPA_PKGDATADIR
#define MXBPA_PKGDATADIR "/usr/local/share/mxbpa"
#endif

static char datadir_cache[PATH_MAX];

/* True when /proc/self/exe is a program inside the build tree. */
static int
datadir_in_build_tree(void)
{
#if defined(MXBPA_BUILDDIR) && defined(MXBPA_SRCDIR)
	char exe[PATH_MAX], build[PATH_MAX];
	ssize_t n;
	size_t blen;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return 0;
	exe[n] = '\0';
	if (realpath(MXBPA_BUILDDIR, build) == NULL)
		return 0;
	blen = strlen(build);
	return strncmp(exe, build, blen) == 0 && exe[blen] == '/';
#else
	return 0;
#endif
}

const char *
datadir_root(void)
{
	const char *env;

	if (datadir_cache[0] != '\0')
		return datadir_cache;
	env = getenv("MXBPA_DATADIR");
	if (env != NULL && env[0] != '\0')
		util_strlcpy(datadir_cache, env, sizeof(datadir_cache));
#if defined(MXBPA_SRCDIR)
	else if (datadir_in_build_tree())
		util_strlcpy(datadir_cache, MXBPA_SRCDIR, sizeof(datadir_cache));
#endif
	else
		util_strlcpy(datadir_cache, MXBPA_PKGDATADIR,
		    sizeof(datadir_cache));
	return datadir_cache;
}

int
datadir_file(char *out, size_t size, const char *sub, const char *name,
    struct mx_err *err)
{
	if ((size_t)snprintf(out, size, "%s/%s/%s", datadir_root(), sub,
	    name) >= size)
		return mx_err_set(err, MX_ERR_IO, name, "data path too long");
	if (access(out, R_OK) == -1)
		return mx_err_sys(err, MX_ERR_IO, out,
		    "shipped data file missing (set MXBPA_DATADIR?)");
	return 0;
}
