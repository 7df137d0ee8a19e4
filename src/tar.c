/*
 * tar.c - POSIX ustar (IEEE Std 1003.1, "pax" utility, ustar interchange
 * format) writer and strict reader (see tar.h).
 *
 * A header block holds, at fixed offsets: name[100] mode[8] uid[8] gid[8]
 * size[12] mtime[12] chksum[8] typeflag[1] linkname[100] magic[6]
 * version[2] uname[32] gname[32] devmajor[8] devminor[8] prefix[155].
 * Numbers are octal text.  The checksum is the sum of the header's bytes
 * with the checksum field read as eight spaces.  Data follows in 512-byte
 * blocks; two zero blocks end the archive.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "tar.h"
#include "util.h"

#define TAR_RECORD	10240
#define TAR_OFF_NAME	0
#define TAR_OFF_MODE	100
#define TAR_OFF_UID	108
#define TAR_OFF_GID	116
#define TAR_OFF_SIZE	124
#define TAR_OFF_MTIME	136
#define TAR_OFF_CHKSUM	148
#define TAR_OFF_TYPE	156
#define TAR_OFF_MAGIC	257
#define TAR_OFF_VERSION	263
#define TAR_OFF_UNAME	265
#define TAR_OFF_GNAME	297
#define TAR_OFF_PREFIX	345

int
tar_name_ok(const char *name)
{
	const char *p = name, *end;
	size_t n;

	if (name == NULL || name[0] == '\0' || name[0] == '/' ||
	    strlen(name) > TAR_NAME_MAX)
		return 0;
	for (;;) {
		end = strchr(p, '/');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (end == NULL)
			break;
		p = end + 1;
	}
	for (p = name; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return 0;
	return 1;
}

/* --- writer ------------------------------------------------------------ */

void
tar_writer_init(struct tar_writer *w, time_t mtime)
{
	memset(w, 0, sizeof(*w));
	w->mtime = mtime;
}

static unsigned char *
tar_grow(struct tar_writer *w, size_t n)
{
	unsigned char *p;

	if (w->len + n > w->size) {
		w->size = (w->len + n) * 2;
		w->buf = xreallocarray(w->buf, w->size, 1);
	}
	p = w->buf + w->len;
	memset(p, 0, n);
	w->len += n;
	return p;
}

static void
tar_octal(unsigned char *field, size_t width, unsigned long long v)
{
	char tmp[32];

	/* width - 1 digits and a NUL. */
	snprintf(tmp, sizeof(tmp), "%0*llo", (int)(width - 1), v);
	memcpy(field, tmp, width - 1);
	field[width - 1] = '\0';
}

static unsigned long
tar_checksum(const unsigned char *h)
{
	unsigned long sum = 0;
	size_t i;

	for (i = 0; i < TAR_BLOCK; i++)
		sum += i >= TAR_OFF_CHKSUM && i < TAR_OFF_CHKSUM + 8 ?
		    ' ' : h[i];
	return sum;
}

/*
 * The header the writer makes for a member (h: TAR_BLOCK bytes, zeroed),
 * name shorter than 100 bytes.
 */
static void
tar_header(unsigned char *h, const char *name, size_t len,
    unsigned long long mtime)
{
	memcpy(h + TAR_OFF_NAME, name, strlen(name));
	tar_octal(h + TAR_OFF_MODE, 8, 0644);
	tar_octal(h + TAR_OFF_UID, 8, 0);
	tar_octal(h + TAR_OFF_GID, 8, 0);
	tar_octal(h + TAR_OFF_SIZE, 12, len);
	tar_octal(h + TAR_OFF_MTIME, 12, mtime);
	h[TAR_OFF_TYPE] = '0';
	memcpy(h + TAR_OFF_MAGIC, "ustar", 6);
	memcpy(h + TAR_OFF_VERSION, "00", 2);
	memcpy(h + TAR_OFF_UNAME, "root", 4);
	memcpy(h + TAR_OFF_GNAME, "root", 4);
	tar_octal(h + TAR_OFF_CHKSUM, 7, tar_checksum(h));
	h[TAR_OFF_CHKSUM + 7] = ' ';
}

/* Bytes tar_finish appends after an archive of len bytes. */
static size_t
tar_end_size(size_t len)
{
	size_t n = 2 * TAR_BLOCK;

	if ((len + n) % TAR_RECORD != 0)
		n += TAR_RECORD - (len + n) % TAR_RECORD;
	return n;
}

int
tar_add(struct tar_writer *w, const char *name, const void *data,
    size_t len, struct mx_err *err)
{
	unsigned char *h;
	size_t pad;

	if (!tar_name_ok(name) || strlen(name) >= 100)
		return mx_err_set(err, MX_ERR_INTERNAL, name,
		    "not a valid archive member name");
	/* ustar's size field holds 11 octal digits: 8 GiB. */
	if ((unsigned long long)len >= 077777777777ULL)
		return mx_err_set(err, MX_ERR_LIMIT, name,
		    "too large for a tar member");
	h = tar_grow(w, TAR_BLOCK);
	tar_header(h, name, len, w->mtime > 0 ?
	    (unsigned long long)w->mtime : 0);
	pad = (TAR_BLOCK - len % TAR_BLOCK) % TAR_BLOCK;
	if (len > 0)
		memcpy(tar_grow(w, len + pad), data, len);
	return 0;
}

void
tar_finish(struct tar_writer *w)
{
	tar_grow(w, tar_end_size(w->len));
}

void
tar_writer_free(struct tar_writer *w)
{
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

/* --- reader ------------------------------------------------------------ */

void
tar_reader_init(struct tar_reader *r, const void *buf, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->p = buf;
	r->len = len;
}

static int
tar_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/*
 * An octal field: optional leading spaces, digits, then NULs or spaces to
 * the end.  -1 when it is anything else.
 */
static int
tar_parse_octal(const unsigned char *f, size_t width, unsigned long long *v)
{
	size_t i = 0;
	int digits = 0;

	*v = 0;
	while (i < width && f[i] == ' ')
		i++;
	for (; i < width && f[i] >= '0' && f[i] <= '7'; i++, digits++) {
		if (*v > (~0ULL >> 3))
			return -1;
		*v = *v * 8 + (unsigned long long)(f[i] - '0');
	}
	for (; i < width; i++)
		if (f[i] != '\0' && f[i] != ' ')
			return -1;
	return digits > 0 ? 0 : -1;
}

static const char *
tar_type_name(unsigned char t)
{
	switch (t) {
	case '1':
		return "a hard link";
	case '2':
		return "a symbolic link";
	case '3':
		return "a character device";
	case '4':
		return "a block device";
	case '5':
		return "a directory";
	case '6':
		return "a FIFO";
	case 'x':
	case 'g':
		return "a pax extended header";
	case 'L':
	case 'K':
		return "a GNU long name";
	default:
		return "not a regular file";
	}
}

/* A header field as a NUL-terminated string; NUL ends it early. */
static size_t
tar_field(char *out, const unsigned char *f, size_t width)
{
	size_t n = 0;

	while (n < width && f[n] != '\0')
		n++;
	memcpy(out, f, n);
	out[n] = '\0';
	return n;
}

int
tar_next(struct tar_reader *r, struct tar_member *m, struct mx_err *err)
{
	const unsigned char *h;
	char where[64], name[101], prefix[156];
	unsigned long long size, sum;
	size_t blocks;

	snprintf(where, sizeof(where), "member %u (offset %zu)",
	    r->index + 1, r->pos);
	if (r->pos == r->len)
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "archive ends without its end-of-archive blocks");
	if (r->len - r->pos < TAR_BLOCK)
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "truncated header");
	h = r->p + r->pos;
	if (tar_zero(h, TAR_BLOCK)) {
		/* The end: everything after must be zero too. */
		if (!tar_zero(h, r->len - r->pos))
			return mx_err_set(err, MX_ERR_INPUT, where,
			    "data after the end of the archive");
		return 0;
	}
	memset(m, 0, sizeof(*m));
	tar_field(name, h + TAR_OFF_NAME, 100);
	tar_field(prefix, h + TAR_OFF_PREFIX, 155);
	if (prefix[0] != '\0')
		snprintf(m->name, sizeof(m->name), "%s/%s", prefix, name);
	else
		util_strlcpy(m->name, name, sizeof(m->name));
	if (m->name[0] != '\0') {
		size_t i;

		snprintf(where, sizeof(where), "%.40s%s", m->name,
		    strlen(m->name) > 40 ? "..." : "");
		/* The name is shown in messages: no control character. */
		for (i = 0; where[i] != '\0'; i++)
			if ((unsigned char)where[i] < 0x20 ||
			    (unsigned char)where[i] >= 0x7f)
				where[i] = '?';
	}
	if (memcmp(h + TAR_OFF_MAGIC, "ustar", 5) != 0)
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "not a ustar header");
	if (tar_parse_octal(h + TAR_OFF_CHKSUM, 8, &sum) == -1 ||
	    sum != tar_checksum(h))
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "header checksum does not match");
	if (h[TAR_OFF_TYPE] != '0' && h[TAR_OFF_TYPE] != '\0')
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "refused: the member is %s", tar_type_name(h[TAR_OFF_TYPE]));
	if (m->name[0] == '/')
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "refused: absolute member name");
	if (!tar_name_ok(m->name))
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "refused: member name with \"..\", \".\", an empty part "
		    "or a control character");
	if (tar_parse_octal(h + TAR_OFF_SIZE, 12, &size) == -1)
		return mx_err_set(err, MX_ERR_INPUT, where, "bad size field");
	if (size > r->len - r->pos - TAR_BLOCK)
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "member runs past the end of the archive (%llu bytes)",
		    size);
	blocks = (size_t)((size + TAR_BLOCK - 1) / TAR_BLOCK);
	if (blocks * TAR_BLOCK > r->len - r->pos - TAR_BLOCK)
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "member's last block is missing");
	m->offset = r->pos;
	m->data = h + TAR_BLOCK;
	m->size = (size_t)size;
	r->pos += TAR_BLOCK + blocks * TAR_BLOCK;
	r->index++;
	return 1;
}

/*
 * Is buf what the writer makes of its members?  Each header is rebuilt
 * from the member's name, size and the first header's mtime and compared
 * byte for byte; data padding and the end must be zeros, the end exactly
 * as long as tar_finish makes it.  The archive was read whole by tar_next
 * before (well formed).
 */
int
tar_exact(const void *buf, size_t len, char *why, size_t whysize)
{
	unsigned char h[TAR_BLOCK];
	unsigned long long mtime = 0;
	struct tar_reader r;
	struct tar_member m;
	struct mx_err err;
	size_t end, pad, i;
	int more, first = 1;

	tar_reader_init(&r, buf, len);
	mx_err_init(&err);
	while ((more = tar_next(&r, &m, &err)) == 1) {
		if (first && tar_parse_octal(r.p + m.offset + TAR_OFF_MTIME, 12,
		    &mtime) == -1)
			mtime = 0;
		first = 0;
		memset(h, 0, sizeof(h));
		if (strlen(m.name) < 100)
			tar_header(h, m.name, m.size, mtime);
		for (i = 0; i < TAR_BLOCK; i++)
			if (h[i] != r.p[m.offset + i]) {
				snprintf(why, whysize, "byte %zu of the header "
				    "of %s differs from what mxbpa writes",
				    i, m.name);
				return 0;
			}
		pad = (TAR_BLOCK - m.size % TAR_BLOCK) % TAR_BLOCK;
		if (!tar_zero(m.data + m.size, pad)) {
			snprintf(why, whysize, "the padding after %s is not "
			    "zeros", m.name);
			return 0;
		}
	}
	if (more == -1) {
		snprintf(why, whysize, "%s", err.msg);
		return 0;
	}
	end = len - r.pos;
	if (end != tar_end_size(r.pos) || !tar_zero(r.p + r.pos, end)) {
		snprintf(why, whysize, "the end of the archive is %zu bytes, "
		    "mxbpa writes %zu zeros", end, tar_end_size(r.pos));
		return 0;
	}
	return 1;
}
