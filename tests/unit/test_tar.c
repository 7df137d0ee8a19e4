/*
 * test_tar.c - unit tests of tar.c (the ustar writer and the strict
 * reader) and of archive.c's in-memory verification: a round trip, the
 * names the writer refuses, the headers the reader refuses, and a manifest
 * checked member by member.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "err.h"
#include "tap.h"
#include "tar.h"
#include "util.h"

/* Recompute the header checksum after a test edited a header. */
static void
fix_checksum(unsigned char *h)
{
	unsigned long sum = 0;
	size_t i;
	char tmp[8];

	memset(h + 148, ' ', 8);
	for (i = 0; i < TAR_BLOCK; i++)
		sum += h[i];
	snprintf(tmp, sizeof(tmp), "%06lo", sum);
	memcpy(h + 148, tmp, 6);
	h[154] = '\0';
	h[155] = ' ';
}

/* Read every member; returns the count, or -1 with err set. */
static int
read_all(const unsigned char *p, size_t len, struct tar_member *m,
    int max, struct mx_err *err)
{
	struct tar_reader r;
	struct tar_member tmp;
	int n = 0, rc;

	mx_err_init(err);
	tar_reader_init(&r, p, len);
	while ((rc = tar_next(&r, n < max ? &m[n] : &tmp, err)) == 1)
		n++;
	return rc == -1 ? -1 : n;
}

static void
test_round_trip(void)
{
	struct tar_writer w;
	struct tar_member m[4];
	struct mx_err err;
	static const char big[1500] = { 'x' };
	int n;

	tar_writer_init(&w, 1795435200);
	mx_err_init(&err);
	tap_check(tar_add(&w, "a.txt", "hello\n", 6, &err) == 0 &&
	    tar_add(&w, "dir/empty", "", 0, &err) == 0 &&
	    tar_add(&w, "dir/big.bin", big, sizeof(big), &err) == 0,
	    "the writer adds three files");
	tar_finish(&w);
	tap_check(w.len % 10240 == 0, "the archive is padded to a 10240-byte "
	    "record (%zu bytes)", w.len);
	n = read_all(w.buf, w.len, m, 4, &err);
	tap_check(n == 3, "the reader finds the three members (%d: %s)", n,
	    err.msg);
	tap_check(n == 3 && strcmp(m[0].name, "a.txt") == 0 &&
	    m[0].size == 6 && memcmp(m[0].data, "hello\n", 6) == 0,
	    "a member reads back with its name, size and bytes");
	tap_check(n == 3 && m[1].size == 0 && strcmp(m[1].name,
	    "dir/empty") == 0, "an empty member reads back empty");
	tap_check(n == 3 && m[2].size == sizeof(big) &&
	    memcmp(m[2].data, big, sizeof(big)) == 0,
	    "a member of several blocks reads back whole");
	tap_check(memcmp(w.buf + 257, "ustar\0" "00", 8) == 0,
	    "headers carry the POSIX ustar magic and version");

	/* Headers the reader refuses, each from a good archive. */
	{
		static const struct {
			char type;
			const char *why;
		} types[] = {
			{ '1', "hard link" }, { '2', "symbolic link" },
			{ '5', "directory" }, { 'x', "pax extended header" },
			{ 'L', "GNU long name" }, { '3', "character device" },
		};
		unsigned char *c = xmalloc(w.len);
		size_t i;

		for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
			memcpy(c, w.buf, w.len);
			c[156] = (unsigned char)types[i].type;
			fix_checksum(c);
			tap_check(read_all(c, w.len, m, 4, &err) == -1 &&
			    strstr(err.msg, types[i].why) != NULL &&
			    strcmp(err.where, "a.txt") == 0,
			    "a %s is refused, naming the member (%s)",
			    types[i].why, err.msg);
		}
		memcpy(c, w.buf, w.len);
		memcpy(c, "../a.txt", 9);
		fix_checksum(c);
		tap_check(read_all(c, w.len, m, 4, &err) == -1 &&
		    strstr(err.msg, "\"..\"") != NULL, "a \"..\" name is refused");
		memcpy(c, w.buf, w.len);
		memcpy(c, "/a.txt", 7);
		fix_checksum(c);
		tap_check(read_all(c, w.len, m, 4, &err) == -1 &&
		    strstr(err.msg, "absolute") != NULL,
		    "an absolute name is refused");
		memcpy(c, w.buf, w.len);
		memcpy(c + 345, "..", 3);
		fix_checksum(c);
		tap_check(read_all(c, w.len, m, 4, &err) == -1,
		    "a \"..\" hidden in the prefix field is refused");
		memcpy(c, w.buf, w.len);
		c[0] ^= 1;
		tap_check(read_all(c, w.len, m, 4, &err) == -1 &&
		    strstr(err.msg, "checksum") != NULL,
		    "a header whose checksum does not match is refused");
		memcpy(c, w.buf, w.len);
		memcpy(c + 124, "0000000x000", 11);
		fix_checksum(c);
		tap_check(read_all(c, w.len, m, 4, &err) == -1 &&
		    strstr(err.msg, "size") != NULL,
		    "a size that is not octal is refused");
		memcpy(c, w.buf, w.len);
		memcpy(c + 124, "77777777777", 11);
		fix_checksum(c);
		tap_check(read_all(c, w.len, m, 4, &err) == -1 &&
		    strstr(err.msg, "past the end") != NULL,
		    "a member running past the end is refused");
		memcpy(c, w.buf, w.len);
		c[w.len - 1] = 1;
		tap_check(read_all(c, w.len, m, 4, &err) == -1 &&
		    strstr(err.msg, "after the end") != NULL,
		    "a byte after the end-of-archive blocks is refused");
		tap_check(read_all(w.buf, 512 + 512, m, 4, &err) == -1 &&
		    strstr(err.msg, "end-of-archive") != NULL,
		    "an archive cut after a member is refused");
		tap_check(read_all(w.buf, 700, m, 4, &err) == -1,
		    "an archive cut inside a member is refused");
		free(c);
	}
	tar_writer_free(&w);
}

static void
test_names(void)
{
	struct tar_writer w;
	struct mx_err err;
	char long_name[120];

	tar_writer_init(&w, 0);
	memset(long_name, 'n', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	mx_err_init(&err);
	tap_check(tar_add(&w, "../x", "", 0, &err) == -1,
	    "the writer refuses a \"..\" name");
	mx_err_init(&err);
	tap_check(tar_add(&w, "/x", "", 0, &err) == -1,
	    "the writer refuses an absolute name");
	mx_err_init(&err);
	tap_check(tar_add(&w, long_name, "", 0, &err) == -1,
	    "the writer refuses a name that does not fit 100 bytes");
	mx_err_init(&err);
	tap_check(tar_add(&w, "a//b", "", 0, &err) == -1 &&
	    tar_add(&w, "a/./b", "", 0, &err) == -1 &&
	    tar_add(&w, "", "", 0, &err) == -1,
	    "the writer refuses empty and \".\" parts");
	tap_check(tar_name_ok("inputs/1-rc.xml") && !tar_name_ok("a\nb") &&
	    !tar_name_ok("a\\b") && !tar_name_ok(".."),
	    "member names: relative, printable, no backslash");
	tar_writer_free(&w);
}

static void
test_verify(void)
{
	struct archive *a = archive_new();
	struct util_file f;
	struct mx_err err;
	unsigned problems;
	char path[] = "/tmp/mxbpa-test-tar-XXXXXX";
	char *argv[] = { "mxbpa", "audit", "--archive", path, NULL };
	int fd, rc;
	unsigned char *p;

	fd = mkstemp(path);
	if (fd == -1) {
		tap_check(0, "a temporary file");
		return;
	}
	close(fd);
	mx_err_init(&err);
	tap_check(archive_add_data(a, "model.xml", "<m/>\n", 5, &err) == 0 &&
	    archive_add_data(a, "findings.xml", "<f/>\n", 5, &err) == 0,
	    "members are added");
	tap_check(archive_add_data(a, "model.xml", "", 0, &err) == -1,
	    "a member name is added once only");
	mx_err_init(&err);
	tap_check(archive_add_data(a, ARCHIVE_MANIFEST, "", 0, &err) == -1,
	    "the manifest's name is reserved");
	mx_err_init(&err);
	rc = archive_write(a, NULL, path, 4, argv, NULL, NULL, &err);
	tap_check(rc == 0, "the archive is written (%s)", err.msg);
	mx_err_init(&err);
	if (util_read_file(path, 1u << 20, &f, &err) == -1) {
		tap_check(0, "the archive reads back");
		goto out;
	}
	mx_err_init(&err);
	tap_check(archive_verify_mem(f.data, f.len, NULL, NULL, &problems,
	    &err) == 0 && problems == 0, "the archive verifies");
	p = (unsigned char *)f.data;
	/* The second member after the manifest: findings.xml. */
	{
		struct tar_member m[4];
		int n = read_all(p, f.len, m, 4, &err);

		tap_check(n == 3 && strcmp(m[0].name, ARCHIVE_MANIFEST) == 0,
		    "the manifest is the first member");
		tap_check(n == 3 && strstr((const char *)m[0].data,
		    "\ncommand: mxbpa audit --archive ") != NULL,
		    "the manifest records the command line");
		if (n == 3) {
			p[m[2].data - p] ^= 0x20;
			mx_err_init(&err);
			rc = archive_verify_mem(f.data, f.len, NULL, NULL,
			    &problems, &err);
			tap_check(rc == 1 && problems == 1,
			    "one flipped byte is one problem");
		}
	}
	util_file_free(&f);
out:
	unlink(path);
	archive_free(a);
}

int
main(void)
{
	test_round_trip();
	test_names();
	test_verify();
	return tap_done();
}
