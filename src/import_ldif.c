/*
 * import_ldif.c - LDIF content files (RFC 2849) as ldifde and ldapsearch
 * write them, read into struct ad_entry and mapped by ad.c.
 *
 * The reader works on a buffer the caller keeps alive.  It unfolds one
 * logical line at a time (a physical line that starts with one space
 * continues the previous one, RFC 2849 note 2) into a buffer bounded by
 * LDIF_LINE_MAX, drops comments, accepts CRLF line ends (ldifde writes
 * them), an optional "version: 1" line, base64 values ("attr:: ...") and
 * DNs ("dn:: ..."), and attribute options ("nTSecurityDescriptor;binary").
 * It refuses what an export never contains and what could make it read
 * elsewhere: "attr:< URL" values (no file is ever opened), and change
 * records other than "changetype: add".  Every error names the file and
 * the line: "export.ldf:12: bad base64 in value of objectSid".
 *
 * Plain values lose their trailing spaces (RFC 2849 asks writers to
 * base64-encode values that end with a space, so such spaces are padding
 * left by editors, not data).
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ad.h"
#include "bounds.h"
#include "err.h"
#include "import_ldif.h"
#include "log.h"
#include "model.h"
#include "util.h"

struct ldif_reader {
	const char	*data;
	size_t		 len;
	size_t		 pos;		/* the next physical line */
	unsigned long	 lineno;	/* physical lines consumed */
	const char	*name;
	char		*buf;		/* the unfolded logical line */
	size_t		 buflen;
	size_t		 bufcap;
	unsigned long	 bufline;	/* where buf's line started */
	unsigned long	 entries;
	int		 started;	/* a record or version seen */
};

/* One "attr: value" line, split. */
struct ldif_line {
	char		*attr;		/* inside buf */
	int		 kind;		/* LDIF_PLAIN, _BASE64, _URL */
	char		*value;		/* inside buf */
	size_t		 vlen;
};

#define LDIF_PLAIN	0
#define LDIF_BASE64	1
#define LDIF_URL	2

static int
ldif_reader_fail(struct ldif_reader *r, struct mx_err *err,
    enum mx_errcode code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
ldif_reader_fail(struct ldif_reader *r, struct mx_err *err,
    enum mx_errcode code, const char *fmt, ...)
{
	char where[300], msg[400];
	va_list ap;

	snprintf(where, sizeof(where), "%s:%lu", r->name, r->bufline);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return mx_err_set(err, code, where, "%s", msg);
}

/*
 * A new reader over data; name is used in messages only.
 */
struct ldif_reader *
ldif_reader_new(const char *data, size_t len, const char *name)
{
	struct ldif_reader *r = xcalloc(1, sizeof(*r));

	r->data = data;
	r->len = len;
	r->name = name;
	/* A UTF-8 byte order mark is not part of the first line. */
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		r->pos = 3;
	return r;
}

void
ldif_reader_free(struct ldif_reader *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r);
}

/*
 * The physical line at r->pos: its start and length without the line end
 * (LF or CRLF).  Advances r->pos.  0 at the end of the buffer.
 */
static int
ldif_reader_physical(struct ldif_reader *r, const char **line, size_t *len)
{
	const char *p, *nl;
	size_t n;

	if (r->pos >= r->len)
		return 0;
	p = r->data + r->pos;
	nl = memchr(p, '\n', r->len - r->pos);
	n = nl ? (size_t)(nl - p) : r->len - r->pos;
	r->pos += n + (nl ? 1 : 0);
	if (n > 0 && p[n - 1] == '\r')
		n--;
	r->lineno++;
	*line = p;
	*len = n;
	return 1;
}

/* Append bytes to the logical line, within LDIF_LINE_MAX. */
static int
ldif_reader_append(struct ldif_reader *r, const char *s, size_t n,
    struct mx_err *err)
{
	if (n > LDIF_LINE_MAX || r->buflen > LDIF_LINE_MAX - n)
		return ldif_reader_fail(r, err, MX_ERR_LIMIT,
		    "line longer than %u bytes once unfolded (LDIF_LINE_MAX)",
		    (unsigned)LDIF_LINE_MAX);
	if (r->buflen + n + 1 > r->bufcap) {
		size_t cap = r->bufcap ? r->bufcap : 256;

		while (cap < r->buflen + n + 1)
			cap *= 2;
		r->buf = xreallocarray(r->buf, cap, 1);
		r->bufcap = cap;
	}
	memcpy(r->buf + r->buflen, s, n);
	r->buflen += n;
	r->buf[r->buflen] = '\0';
	return 0;
}

/* Does the physical line at r->pos start with a space (a continuation)? */
static int
ldif_reader_continues(const struct ldif_reader *r)
{
	return r->pos < r->len && r->data[r->pos] == ' ';
}

/*
 * The next logical line into r->buf, comments skipped: 1 for a line, 2 for
 * a blank line (record separator), 0 at the end, -1 on error.
 */
static int
ldif_reader_logical(struct ldif_reader *r, struct mx_err *err)
{
	const char *line;
	size_t len;
	int comment;

	for (;;) {
		if (!ldif_reader_physical(r, &line, &len))
			return 0;
		r->bufline = r->lineno;
		if (len == 0)
			return 2;
		if (line[0] == ' ')
			return ldif_reader_fail(r, err, MX_ERR_INPUT,
			    "continuation line (starting with a space) with no "
			    "line before it to continue");
		comment = line[0] == '#';
		r->buflen = 0;
		if (!comment && ldif_reader_append(r, line, len, err) == -1)
			return -1;
		while (ldif_reader_continues(r)) {
			ldif_reader_physical(r, &line, &len);
			if (!comment && ldif_reader_append(r, line + 1,
			    len - 1, err) == -1)
				return -1;
		}
		if (!comment)
			return 1;
	}
}

/* Is c allowed in an attribute description (name, OID, options)? */
static int
ldif_attr_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == ';';
}

static int
ldif_b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Decode base64 (RFC 4648, padding required) in place; trailing spaces
 * are ignored.  Returns the decoded length, or -1.
 */
static long
ldif_b64_decode(char *s, size_t len)
{
	size_t i, o = 0, pad = 0;
	uint32_t acc = 0;
	int v, n = 0;

	while (len > 0 && s[len - 1] == ' ')
		len--;
	if (len % 4 != 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] == '=') {
			/* Padding: only the last one or two characters. */
			if (i < len - 2 || (i == len - 2 && s[len - 1] != '='))
				return -1;
			pad++;
			v = 0;
		} else if ((v = ldif_b64_value((unsigned char)s[i])) < 0)
			return -1;
		acc = acc << 6 | (uint32_t)v;
		if (++n == 4) {
			s[o++] = (char)(acc >> 16);
			if (pad < 2)
				s[o++] = (char)(acc >> 8 & 0xff);
			if (pad < 1)
				s[o++] = (char)(acc & 0xff);
			acc = 0;
			n = 0;
		}
	}
	return (long)o;
}

/*
 * Split the logical line in r->buf into attribute description and value,
 * decoding base64.  The value stays inside r->buf.
 */
static int
ldif_reader_split(struct ldif_reader *r, struct ldif_line *l,
    struct mx_err *err)
{
	char *colon, *v, *end;
	size_t i;
	long n;

	colon = memchr(r->buf, ':', r->buflen);
	if (colon == NULL)
		return ldif_reader_fail(r, err, MX_ERR_INPUT,
		    "line without a colon (expected \"attribute: value\")");
	if (colon == r->buf)
		return ldif_reader_fail(r, err, MX_ERR_INPUT,
		    "line with an empty attribute name");
	for (i = 0; r->buf + i < colon; i++)
		if (!ldif_attr_char((unsigned char)r->buf[i]))
			return ldif_reader_fail(r, err, MX_ERR_INPUT,
			    "invalid character 0x%02x in attribute name",
			    (unsigned char)r->buf[i]);
	*colon = '\0';
	l->attr = r->buf;
	v = colon + 1;
	end = r->buf + r->buflen;
	l->kind = LDIF_PLAIN;
	if (v < end && *v == ':') {
		l->kind = LDIF_BASE64;
		v++;
	} else if (v < end && *v == '<') {
		l->kind = LDIF_URL;
		v++;
	}
	while (v < end && *v == ' ')
		v++;
	l->value = v;
	l->vlen = (size_t)(end - v);
	if (l->kind == LDIF_URL)
		return ldif_reader_fail(r, err, MX_ERR_INPUT,
		    "value of %.64s given by URL (\"%.64s:<\"): refused, an "
		    "import never reads other files", l->attr, l->attr);
	if (l->kind == LDIF_BASE64) {
		if ((n = ldif_b64_decode(v, l->vlen)) < 0)
			return ldif_reader_fail(r, err, MX_ERR_INPUT,
			    "bad base64 in value of %.64s", l->attr);
		l->vlen = (size_t)n;
	} else {
		while (l->vlen > 0 && (v[l->vlen - 1] == ' ' ||
		    v[l->vlen - 1] == '\t'))
			l->vlen--;
		if (memchr(v, '\0', l->vlen) != NULL)
			return ldif_reader_fail(r, err, MX_ERR_INPUT,
			    "NUL byte in value of %.64s", l->attr);
	}
	v[l->vlen] = '\0';
	return 0;
}

/* The next non-blank logical line, 1; 0 at the end; -1 on error. */
static int
ldif_reader_content(struct ldif_reader *r, struct mx_err *err)
{
	int rc;

	while ((rc = ldif_reader_logical(r, err)) == 2)
		;
	return rc;
}

/* The "version: 1" line, if the file starts with one. */
static int
ldif_reader_version(struct ldif_reader *r, struct ldif_line *l,
    struct mx_err *err)
{
	if (strcasecmp(l->attr, "version") != 0)
		return 0;
	if (r->started)
		return ldif_reader_fail(r, err, MX_ERR_INPUT,
		    "version line after the first record");
	if (strcmp(l->value, "1") != 0)
		return ldif_reader_fail(r, err, MX_ERR_INPUT,
		    "unsupported LDIF version \"%.16s\" (only 1)", l->value);
	r->started = 1;
	return 1;
}

/* A "changetype:" line: add is an entry, anything else is refused. */
static int
ldif_reader_changetype(struct ldif_reader *r, struct ldif_line *l,
    struct mx_err *err)
{
	if (strcasecmp(l->attr, "control") == 0)
		return ldif_reader_fail(r, err, MX_ERR_INPUT,
		    "change record control: only entries (content records) "
		    "are read; export them with ldifde or ldapsearch");
	if (strcasecmp(l->attr, "changetype") != 0)
		return 0;
	if (strcasecmp(l->value, "add") == 0)
		return 1;
	return ldif_reader_fail(r, err, MX_ERR_INPUT,
	    "change record (changetype: %.32s) refused: only entries are "
	    "read; export them with ldifde or ldapsearch", l->value);
}

/* Note the line of the value just added to attr (for messages). */
static void
ldif_reader_mark(struct ad_entry *e, const char *attr, unsigned long line)
{
	size_t i;

	for (i = 0; i < e->nattrs; i++)
		if (strcasecmp(e->attrs[i].name, attr) == 0 &&
		    e->attrs[i].nvalues > 0) {
			e->attrs[i].values[e->attrs[i].nvalues - 1].line = line;
			return;
		}
}

/* The attribute lines of one record, until a blank line or the end. */
static int
ldif_reader_attrs(struct ldif_reader *r, struct ad_entry *e,
    struct mx_err *err)
{
	struct ldif_line l;
	char where[300];
	int rc, first = 1;

	while ((rc = ldif_reader_logical(r, err)) == 1) {
		if (ldif_reader_split(r, &l, err) == -1)
			return -1;
		if (first && (rc = ldif_reader_changetype(r, &l, err)) != 0) {
			if (rc == -1)
				return -1;
			first = 0;
			continue;
		}
		first = 0;
		if (strcasecmp(l.attr, "dn") == 0)
			return ldif_reader_fail(r, err, MX_ERR_INPUT,
			    "second dn line in one record (a blank line must "
			    "separate records)");
		if (strcasecmp(l.attr, "changetype") == 0 ||
		    strcasecmp(l.attr, "control") == 0)
			return ldif_reader_fail(r, err, MX_ERR_INPUT,
			    "%s line in the middle of a record", l.attr);
		snprintf(where, sizeof(where), "%s:%lu", r->name, r->bufline);
		if (ad_entry_add(e, l.attr, (const uint8_t *)l.value, l.vlen,
		    err, where) == -1)
			return -1;
		ldif_reader_mark(e, l.attr, r->bufline);
	}
	return rc == -1 ? -1 : 0;
}

/*
 * The next entry (see import_ldif.h): 1 with *entry, 0 at the end, -1
 * with MX_ERR_INPUT or MX_ERR_LIMIT naming the file and line.
 */
int
ldif_reader_next(struct ldif_reader *r, struct ad_entry **entry,
    struct mx_err *err)
{
	struct ldif_line l;
	struct ad_entry *e;
	unsigned long dnline;
	int rc;

	*entry = NULL;
	for (;;) {
		if ((rc = ldif_reader_content(r, err)) <= 0)
			return rc;
		if (ldif_reader_split(r, &l, err) == -1)
			return -1;
		if ((rc = ldif_reader_version(r, &l, err)) != 0) {
			if (rc == -1)
				return -1;
			continue;
		}
		break;
	}
	if (strcasecmp(l.attr, "dn") != 0)
		return ldif_reader_fail(r, err, MX_ERR_INPUT,
		    "record does not start with a dn line (found \"%.64s\")",
		    l.attr);
	if (l.vlen == 0 || memchr(l.value, '\0', l.vlen) != NULL)
		return ldif_reader_fail(r, err, MX_ERR_INPUT,
		    "empty dn, or a dn with a NUL byte");
	if (++r->entries > LDAP_ENTRIES_MAX)
		return ldif_reader_fail(r, err, MX_ERR_LIMIT,
		    "more than %d entries (LDAP_ENTRIES_MAX)",
		    LDAP_ENTRIES_MAX);
	r->started = 1;
	dnline = r->bufline;
	e = ad_entry_new(l.value);
	e->line = dnline;
	if (ldif_reader_attrs(r, e, err) == -1) {
		ad_entry_free(e);
		return -1;
	}
	if (e->nattrs == 0) {
		ad_entry_free(e);
		r->bufline = dnline;
		return ldif_reader_fail(r, err, MX_ERR_INPUT, "entry without "
		    "attributes (RFC 2849: an entry has at least one)");
	}
	*entry = e;
	return 1;
}

/*
 * Does the buffer look like LDIF: after an optional UTF-8 byte order mark,
 * blank lines and comments, does the first line start with "dn:" or
 * "version:" (any case)?  Returns 1 or 0.
 */
int
import_ldif_detect(const char *data, size_t len)
{
	size_t i = 0, n;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len) {
		if (data[i] == '\r' || data[i] == '\n') {
			i++;
			continue;
		}
		if (data[i] != '#')
			break;
		/* A comment, with its continuation lines. */
		do {
			while (i < len && data[i] != '\n')
				i++;
			i++;
		} while (i < len && data[i] == ' ');
	}
	if (i >= len)
		return 0;
	n = len - i;
	return (n >= 3 && strncasecmp(data + i, "dn:", 3) == 0) ||
	    (n >= 8 && strncasecmp(data + i, "version:", 8) == 0);
}

/*
 * Import a whole LDIF buffer: every entry goes through ad.c into a scratch
 * model, merged into model with a <source kind="ldif"> only when the whole
 * file was read.  Returns 0, or -1 with err set and model unchanged.
 */
int
import_ldif(struct model *model, const char *data, size_t len,
    const char *name, const char *sha256, struct mx_err *err)
{
	struct ldif_reader *r;
	struct ad_entry *e;
	struct ad_map *map;
	struct model *scratch;
	xmlNodePtr src;
	char count[32];
	int rc;

	if (len > LDIF_FILE_MAX)
		return mx_err_set(err, MX_ERR_LIMIT, name, "LDIF file larger "
		    "than %u bytes (LDIF_FILE_MAX)", (unsigned)LDIF_FILE_MAX);
	scratch = model_new();
	map = ad_map_new(scratch, name);
	r = ldif_reader_new(data, len, name);
	while ((rc = ldif_reader_next(r, &e, err)) == 1) {
		rc = ad_map_entry(map, e, err);
		ad_entry_free(e);
		if (rc == -1)
			break;
	}
	if (rc == 0)
		rc = ad_map_finish(map, err);
	if (rc == 0) {
		src = model_add_source(scratch, "ldif", name, sha256);
		snprintf(count, sizeof(count), "%zu", ad_map_count(map));
		model_set(src, "objects", count);
		if (ad_map_count(map) == 0)
			log_warnx(LOG_IMPORT, "%s: no receive connector, "
			    "Exchange server, accepted domain or extended "
			    "right entry found", name);
		else
			log_info(LOG_IMPORT, "%s: %lu entries read, %zu mapped",
			    name, r->entries, ad_map_count(map));
		rc = model_merge(model, scratch, err);
	}
	ldif_reader_free(r);
	ad_map_free(map);
	model_free(scratch);
	return rc == 0 ? 0 : -1;
}
