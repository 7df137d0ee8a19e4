/*
 * sddl2bin.c - encode SDDL strings into binary security descriptors, for
 * directory fixtures (LDIF files, slapd data, fuzz seeds).
 *
 * Usage: sddl2bin [SDDL ...]
 * With arguments, each is one SDDL string; without, stdin is read one
 * string per line (blank lines and lines starting with '#' are skipped,
 * a trailing CR is dropped).  For each string one line is printed: the
 * base64 of the self-relative descriptor.  Decode with "base64 -d".
 *
 * Exit status: 0 when every string was encoded, 2 on bad SDDL or usage
 * (the message names the argument or line), 3 on a read or write error.
 *
 * SPDX-License-Identifier: ISC
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "bounds.h"
#include "err.h"
#include "sddl.h"
#include "util.h"

/* A line longer than this cannot hold an encodable DACL anyway. */
#define SDDL2BIN_LINE_MAX	(1u << 20)

static void
sddl2bin_usage(FILE *fp)
{
	fprintf(fp, "usage: sddl2bin [SDDL ...]\n"
	    "Encode SDDL strings (arguments, or one per line on stdin) and\n"
	    "print the base64 of each security descriptor on its own "
	    "line.\n");
}

/* Encode one string and print its base64; 0, 2 (bad SDDL) or 3. */
static int
sddl2bin_one(const char *text, const char *origin)
{
	struct mx_err err;
	uint8_t *bin = NULL;
	unsigned char *b64;
	size_t len = 0;
	int n, rc = 0;

	mx_err_init(&err);
	if (sddl_encode(text, &bin, &len, &err) == -1) {
		fprintf(stderr, "sddl2bin: %s: %s: %s\n", origin, err.where,
		    err.msg);
		return 2;
	}
	/* EVP_EncodeBlock writes 4 bytes per 3, and a NUL. */
	b64 = xmalloc(4 * ((len + 2) / 3) + 1);
	n = EVP_EncodeBlock(b64, bin, (int)len);
	if (n < 0 || printf("%s\n", (char *)b64) < 0) {
		fprintf(stderr, "sddl2bin: %s: write error: %s\n", origin,
		    strerror(errno));
		rc = 3;
	}
	free(b64);
	free(bin);
	return rc;
}

/*
 * Read one line of stdin into buf (at most SDDL2BIN_LINE_MAX characters,
 * without the newline).  Returns 1 for a line, 0 at the end, -1 for a
 * line too long or holding a NUL byte (message printed), -2 for a read
 * error.
 */
static int
sddl2bin_getline(char *buf, const char *origin)
{
	size_t n = 0;
	int ch;

	while ((ch = getchar()) != EOF && ch != '\n') {
		if (ch == '\0') {
			fprintf(stderr, "sddl2bin: %s: NUL byte in the line\n",
			    origin);
			return -1;
		}
		if (n == SDDL2BIN_LINE_MAX) {
			fprintf(stderr, "sddl2bin: %s: longer than %u bytes\n",
			    origin, SDDL2BIN_LINE_MAX);
			return -1;
		}
		buf[n++] = (char)ch;
	}
	if (ch == EOF && ferror(stdin))
		return -2;
	if (ch == EOF && n == 0)
		return 0;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return 1;
}

/* Encode stdin line by line; stops at the first failure. */
static int
sddl2bin_stdin(void)
{
	char *line, origin[64];
	size_t lineno = 0;
	int got, rc = 0;

	line = xmalloc(SDDL2BIN_LINE_MAX + 1);
	for (;;) {
		snprintf(origin, sizeof(origin), "line %zu", ++lineno);
		errno = 0;
		if ((got = sddl2bin_getline(line, origin)) == 0)
			break;
		if (got == -1) {
			rc = 2;
			break;
		}
		if (got == -2) {
			fprintf(stderr, "sddl2bin: stdin: %s\n",
			    strerror(errno));
			rc = 3;
			break;
		}
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if ((rc = sddl2bin_one(line, origin)) != 0)
			break;
	}
	free(line);
	return rc;
}

int
main(int argc, char **argv)
{
	char origin[64];
	int i, rc;

	if (argc > 1 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		sddl2bin_usage(stdout);
		return 0;
	}
	for (i = 1; i < argc; i++)
		if (argv[i][0] == '-') {
			fprintf(stderr, "sddl2bin: unknown option %s\n",
			    argv[i]);
			sddl2bin_usage(stderr);
			return 2;
		}
	if (argc == 1)
		rc = sddl2bin_stdin();
	else
		for (rc = 0, i = 1; i < argc && rc == 0; i++) {
			snprintf(origin, sizeof(origin), "argument %d", i);
			rc = sddl2bin_one(argv[i], origin);
		}
	if (rc == 0 && fflush(stdout) == EOF) {
		fprintf(stderr, "sddl2bin: stdout: %s\n", strerror(errno));
		rc = 3;
	}
	return rc;
}
