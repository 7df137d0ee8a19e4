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

/*
 * Is path standard output?  "-", and /dev/stdout and /dev/fd/1, which
 * name it: renaming a file over /dev/stdout (as root) would replace the
 * device node.
 */
static int
util_is_stdout(const char *path)
{
	return strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0 ||
	    strcmp(path, "/dev/fd/1") == 0 || strcmp(path, "/proc/self/fd/1") == 0;
}

/* The process umask, read without changing it for long. */
static mode_t
util_umask(void)
{
	mode_t m = umask(077);

	umask(m);
	return m;
}

/* One output of a run (struct util_out). */
struct util_out_file {
	char		*path;		/* owned */
	char		*tmp;		/* owned: the temporary file, or NULL */
	char		*data;		/* owned copy, for outputs written in
					   place; NULL otherwise */
	size_t		 len;
	int		 fd_stdout;	/* written to standard output */
};

struct util_out {
	struct util_out_file	*f;
	size_t			 n;
	size_t			 cap;
};

struct util_out *
util_out_new(void)
{
	return xcalloc(1, sizeof(struct util_out));
}

/*
 * Write data to a new temporary file next to path, with mode; on success
 * *tmp is the (allocated) name of the temporary file.
 */
static int
util_out_temp(const char *path, const void *data, size_t len, mode_t mode,
    char **tmp, struct mx_err *err)
{
	char buf[PATH_MAX];
	int fd;

	*tmp = NULL;
	if ((size_t)snprintf(buf, sizeof(buf), "%s.tmpXXXXXX", path) >=
	    sizeof(buf))
		return mx_err_set(err, MX_ERR_USAGE, path, "path too long");
	fd = mkstemp(buf);
	if (fd == -1)
		return mx_err_sys(err, MX_ERR_IO, path, "cannot create");
	if (util_write_all(fd, data, len) == -1 || fchmod(fd, mode) == -1 ||
	    fsync(fd) == -1) {
		mx_err_sys(err, MX_ERR_IO, path, "write");
		close(fd);
		unlink(buf);
		return -1;
	}
	if (close(fd) == -1) {
		mx_err_sys(err, MX_ERR_IO, path, "close");
		unlink(buf);
		return -1;
	}
	*tmp = xstrdup(buf);
	return 0;
}

int
util_out_add(struct util_out *o, const char *path, const void *data,
    size_t len, int flags, struct mx_err *err)
{
	struct util_out_file f = { 0 };
	struct stat st;
	mode_t mode, mask = util_umask();
	size_t i;

	for (i = 0; i < o->n; i++)
		if (util_same_file(o->f[i].path, path))
			return mx_err_set(err, MX_ERR_USAGE, path,
			    "the same file is written twice by one run");
	if (util_is_stdout(path))
		f.fd_stdout = 1;
	else if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/*
		 * A character device or a FIFO (/dev/null, a pipe, a
		 * terminal) is written in place: renaming over it would
		 * replace it with a file.  Anything else is refused.
		 */
		if (S_ISDIR(st.st_mode))
			return mx_err_set(err, MX_ERR_IO, path,
			    "is a directory");
		if (!S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode))
			return mx_err_set(err, MX_ERR_IO, path,
			    "not a regular file, a character device or a FIFO");
	} else {
		/*
		 * A regular file: a new one is created with 0666 & ~umask
		 * (0600 & ~umask when private), a replaced one keeps its
		 * permission bits (lstat: a symbolic link is replaced, not
		 * followed).
		 */
		mode = ((flags & UTIL_OUT_PRIVATE) ? 0600 : 0666) & ~mask;
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
			mode = st.st_mode & 0777;
		if (util_out_temp(path, data, len, mode, &f.tmp, err) == -1)
			return -1;
	}
	if (f.tmp == NULL) {
		f.data = xmalloc(len > 0 ? len : 1);
		memcpy(f.data, data, len);
		f.len = len;
	}
	f.path = xstrdup(path);
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 4;
		o->f = xreallocarray(o->f, o->cap, sizeof(*o->f));
	}
	o->f[o->n++] = f;
	return 0;
}

int
util_out_commit(struct util_out *o, struct mx_err *err)
{
	struct util_out_file *f;
	size_t i;
	int fd, rc = 0;

	/* Every regular file first: they were all written already. */
	for (i = 0; i < o->n; i++) {
		f = &o->f[i];
		if (f->tmp == NULL)
			continue;
		if (rename(f->tmp, f->path) == -1) {
			rc = mx_err_sys(err, MX_ERR_IO, f->path, "rename");
			continue;
		}
		free(f->tmp);
		f->tmp = NULL;
	}
	for (i = 0; i < o->n && rc == 0; i++) {
		f = &o->f[i];
		if (f->data == NULL)
			continue;
		if (f->fd_stdout) {
			if (util_write_all(STDOUT_FILENO, f->data, f->len) == -1)
				rc = mx_err_sys(err, MX_ERR_IO, "<stdout>",
				    "write");
			continue;
		}
		fd = open(f->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (fd == -1) {
			rc = mx_err_sys(err, MX_ERR_IO, f->path, "cannot open");
			continue;
		}
		if (util_write_all(fd, f->data, f->len) == -1)
			rc = mx_err_sys(err, MX_ERR_IO, f->path, "write");
		close(fd);
	}
	return rc;
}

void
util_out_free(struct util_out *o)
{
	size_t i;

	if (o == NULL)
		return;
	for (i = 0; i < o->n; i++) {
		if (o->f[i].tmp != NULL) {
			unlink(o->f[i].tmp);
			free(o->f[i].tmp);
		}
		free(o->f[i].data);
		free(o->f[i].path);
	}
	free(o->f);
	free(o);
}

int
util_write_atomic(const char *path, const void *data, size_t len,
    struct mx_err *err)
{
	struct util_out *o = util_out_new();
	int rc;

	rc = util_out_add(o, path, data, len, 0, err);
	if (rc == 0)
		rc = util_out_commit(o, err);
	util_out_free(o);
	return rc;
}

/*
 * Where a path leads: the file itself when it exists, else its directory
 * and last component.
 */
struct util_file_id {
	dev_t		 dev;
	ino_t		 ino;
	int		 exists;
	int		 regular;
	const char	*base;		/* borrowed; NULL when exists */
};

static int
util_file_id(const char *path, struct util_file_id *id)
{
	char dir[PATH_MAX];
	const char *slash;
	struct stat st;

	memset(id, 0, sizeof(*id));
	if (stat(path, &st) == 0) {
		id->exists = 1;
		id->regular = S_ISREG(st.st_mode) || S_ISDIR(st.st_mode);
		id->dev = st.st_dev;
		id->ino = st.st_ino;
		return 0;
	}
	slash = strrchr(path, '/');
	if (slash == NULL)
		util_strlcpy(dir, ".", sizeof(dir));
	else if (slash == path)
		util_strlcpy(dir, "/", sizeof(dir));
	else if ((size_t)(slash - path) < sizeof(dir)) {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	} else
		return -1;
	if (stat(dir, &st) == -1)
		return -1;
	id->regular = 1;
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	id->base = slash ? slash + 1 : path;
	return 0;
}

int
util_same_file(const char *a, const char *b)
{
	struct util_file_id ia, ib;

	if (a == NULL || b == NULL || strcmp(a, "-") == 0 ||
	    strcmp(b, "-") == 0)
		return 0;
	if (util_is_stdout(a) && util_is_stdout(b))
		return 0;
	if (strcmp(a, b) == 0)
		return 1;
	if (util_file_id(a, &ia) == -1 || util_file_id(b, &ib) == -1)
		return 0;
	/* Devices and FIFOs are written in place: sharing one is no harm. */
	if (!ia.regular || !ib.regular || ia.exists != ib.exists)
		return 0;
	if (ia.dev != ib.dev || ia.ino != ib.ino)
		return 0;
	return ia.exists || strcmp(ia.base, ib.base) == 0;
}

int
util_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
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
