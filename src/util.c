/*
 * util.c - allocation, bounded parsing, file helpers (see util.h).
 *
 * SPDX-License-Identifier: ISC
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "err.h"
#include "util.h"

void
util_oom(void)
{
	fputs("mxbpa: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size != 0 ? size : 1);

	if (p == NULL)
		util_oom();
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb != 0 ? nmemb : 1, size != 0 ? size : 1);

	if (p == NULL)
		util_oom();
	return p;
}

void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	void *p;

	if (size != 0 && nmemb > SIZE_MAX / size)
		util_oom();
	p = realloc(ptr, nmemb * size != 0 ? nmemb * size : 1);
	if (p == NULL)
		util_oom();
	return p;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		util_oom();
	return p;
}

int
parse_u64(const char *s, uint64_t max, uint64_t *out, struct mx_err *err,
    const char *where)
{
	unsigned long long v;
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "not an unsigned number: \"%.40s\"", s ? s : "");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE || v > max)
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "number out of range (maximum %llu): \"%.40s\"",
		    (unsigned long long)max, s);
	if (*end != '\0')
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "not an unsigned number: \"%.40s\"", s);
	*out = v;
	return 0;
}

int
parse_u32(const char *s, uint32_t max, uint32_t *out, struct mx_err *err,
    const char *where)
{
	uint64_t v;

	if (parse_u64(s, max, &v, err, where) == -1)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

size_t
util_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size != 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

static int
util_read_fd(int fd, const char *path, size_t max, struct util_file *f,
    struct mx_err *err)
{
	size_t cap = 65536, len = 0;
	char *buf = xmalloc(cap + 1);
	ssize_t n;

	for (;;) {
		if (len == cap) {
			if (cap > max) {
				free(buf);
				return mx_err_set(err, MX_ERR_LIMIT, path,
				    "file larger than %zu bytes", max);
			}
			cap *= 2;
			buf = xreallocarray(buf, cap + 1, 1);
		}
		n = read(fd, buf + len, cap - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			free(buf);
			return mx_err_sys(err, MX_ERR_IO, path, "read");
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			free(buf);
			return mx_err_set(err, MX_ERR_LIMIT, path,
			    "file larger than %zu bytes", max);
		}
	}
	buf[len] = '\0';
	f->data = buf;
	f->len = len;
	return 0;
}

int
util_read_file(const char *path, size_t max, struct util_file *f,
    struct mx_err *err)
{
	struct stat st;
	int fd, rc;

	f->data = NULL;
	f->len = 0;
	if (strcmp(path, "-") == 0)
		return util_read_fd(STDIN_FILENO, "<stdin>", max, f, err);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd == -1)
		return mx_err_sys(err, MX_ERR_INPUT, path, "cannot open");
	if (fstat(fd, &st) == -1) {
		close(fd);
		return mx_err_sys(err, MX_ERR_IO, path, "fstat");
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return mx_err_set(err, MX_ERR_INPUT, path,
		    S_ISDIR(st.st_mode) ? "is a directory" :
		    "not a regular file");
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		return mx_err_set(err, MX_ERR_LIMIT, path,
		    "file larger than %zu bytes", max);
	}
	rc = util_read_fd(fd, path, max, f, err);
	close(fd);
	return rc;
}

void
util_file_free(struct util_file *f)
{
	free(f->data);
	f->data = NULL;
	f->len = 0;
}

static int
util_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
util_write_atomic(const char *path, const void *data, size_t len,
    struct mx_err *err)
{
	char tmp[PATH_MAX];
	struct stat st;
	int fd;

	if (strcmp(path, "-") == 0) {
		if (util_write_all(STDOUT_FILENO, data, len) == -1)
			return mx_err_sys(err, MX_ERR_IO, "<stdout>", "write");
		return 0;
	}
	/*
	 * A device or a FIFO (/dev/null, a pipe) is written in place:
	 * renaming over it would replace the device with a file.
	 */
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
	    !S_ISLNK(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			return mx_err_set(err, MX_ERR_IO, path,
			    "is a directory");
		fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (fd == -1)
			return mx_err_sys(err, MX_ERR_IO, path, "cannot open");
		if (util_write_all(fd, data, len) == -1) {
			mx_err_sys(err, MX_ERR_IO, path, "write");
			close(fd);
			return -1;
		}
		close(fd);
		return 0;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path) >=
	    sizeof(tmp))
		return mx_err_set(err, MX_ERR_USAGE, path, "path too long");
	fd = mkstemp(tmp);
	if (fd == -1)
		return mx_err_sys(err, MX_ERR_IO, path, "cannot create");
	if (util_write_all(fd, data, len) == -1 || fchmod(fd, 0644) == -1 ||
	    fsync(fd) == -1) {
		mx_err_sys(err, MX_ERR_IO, path, "write");
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) == -1) {
		mx_err_sys(err, MX_ERR_IO, path, "close");
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) == -1) {
		mx_err_sys(err, MX_ERR_IO, path, "rename");
		unlink(tmp);
		return -1;
	}
	return 0;
}

void
util_sha256_hex(const void *data, size_t len, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != 32) {
		fputs("mxbpa: SHA-256 unavailable\n", stderr);
		abort();
	}
	for (i = 0; i < mdlen; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0xf];
	}
	out[64] = '\0';
}

static void
format_utc(time_t t, char out[32])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
util_timestamp(char out[32])
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	uint64_t v;

	if (epoch != NULL && parse_u64(epoch, (uint64_t)INT32_MAX * 4, &v,
	    NULL, NULL) == 0)
		format_utc((time_t)v, out);
	else
		format_utc(time(NULL), out);
}

void
util_clock_timestamp(char out[32])
{
	format_utc(time(NULL), out);
}
