/*
 * smtp_reply.c - a pure SMTP reply parser (see smtp_reply.h): bytes in,
 * one reply or an error out, no I/O.
 *
 * Grammar, RFC 5321 section 4.2 (with the SMTPUTF8 text of RFC 6531
 * section 3.3):
 *
 *   Reply-line  = *( Reply-code "-" [ textstring ] CRLF )
 *                    Reply-code [ SP textstring ] CRLF
 *   Reply-code  = %x32-35 %x30-39 %x30-39
 *   textstring  = 1*( %d09 / %d32-126 / UTF8-non-ascii )
 *
 * Decisions, all strict because the peer is hostile:
 *   - a line ends with CRLF or with a bare LF (some servers send bare
 *     LF); a CR anywhere else is refused;
 *   - "250" alone on a line is a final line with empty text, and so is
 *     "250 "; "250-" alone is a continuation with empty text;
 *   - text is HT, SP and %d33-126 as RFC 5321 says, plus well-formed
 *     UTF-8 (RFC 3629: no overlong form, no surrogate, nothing above
 *     U+10FFFF) because SMTPUTF8 servers put it in banners; C1 controls
 *     (U+0080..U+009F) and U+FFFE/U+FFFF are refused as non-printable.
 *     Every text that comes out is therefore valid UTF-8 without control
 *     bytes other than HT, and can go into the XML model as it is;
 *   - a line holds at most SMTP_LINE_MAX bytes, line end excluded; a
 *     reply at most SMTP_REPLY_LINES_MAX lines and SMTP_REPLY_MAX bytes,
 *     line ends included;
 *   - every check is made as soon as the byte it is about is available,
 *     so the parser asks for more bytes ("need more") only while what it
 *     holds can still become a valid reply within the bounds: a line over
 *     the limit, a bad code or a NUL is refused at once, not when its line
 *     ends.  An error names the first offending byte by line and column,
 *     so the message is the same however the bytes were split.
 *
 * The parser keeps no state between calls: the caller passes everything
 * received since the last reply, and the scan starts again from the
 * beginning.  Bytes after the final line are left to the caller (*used <
 * len): after 220 to STARTTLS they are an injection (RFC 3207 section 5).
 * Going over a limit is MX_ERR_LIMIT with the limit's name in the
 * message; every other refusal is MX_ERR_PROTO (smtp_reply.h).
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "err.h"
#include "smtp_reply.h"
#include "util.h"

#define SMTP_REPLY_JOIN		" / "

/* Where the scan is; the lines found so far. */
struct smtp_reply_scan {
	const unsigned char	*buf;
	size_t			 len;
	size_t			 nlines;	/* complete lines */
	int			 code;
	size_t			 text_start[SMTP_REPLY_LINES_MAX];
	size_t			 text_end[SMTP_REPLY_LINES_MAX];
	struct mx_err		*err;
	const char		*where;
};

/* One byte for a message: 'c' when printable ASCII, else 0xNN. */
static void
smtp_reply_byte_name(unsigned char c, char out[8])
{
	static const char hex[] = "0123456789abcdef";

	if (c > 0x20 && c < 0x7f) {
		out[0] = '\'';
		out[1] = (char)c;
		out[2] = '\'';
		out[3] = '\0';
	} else {
		out[0] = '0';
		out[1] = 'x';
		out[2] = hex[c >> 4];
		out[3] = hex[c & 0xf];
		out[4] = '\0';
	}
}

/* Refuse the byte at pos of the line that starts at start. */
static int
smtp_reply_bad_byte(struct smtp_reply_scan *s, size_t start, size_t pos,
    const char *what)
{
	char name[8];

	smtp_reply_byte_name(s->buf[pos], name);
	return mx_err_set(s->err, MX_ERR_PROTO, s->where,
	    "invalid reply: %s %s at line %zu, column %zu", what, name,
	    s->nlines + 1, pos - start + 1);
}

/*
 * Refuse a reply that would hold more than SMTP_REPLY_MAX bytes if its
 * bytes up to (excluding) pos belong to it.  The reply starts at 0.
 */
static int
smtp_reply_room(struct smtp_reply_scan *s, size_t pos)
{
	if (pos <= SMTP_REPLY_MAX)
		return 0;
	return mx_err_set(s->err, MX_ERR_LIMIT, s->where,
	    "invalid reply: more than %u bytes (SMTP_REPLY_MAX)",
	    (unsigned)SMTP_REPLY_MAX);
}

/* Length of the UTF-8 sequence led by byte c (RFC 3629), 0 if c leads none. */
static size_t
smtp_reply_utf8_len(unsigned char c)
{
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/*
 * Check the n-byte UTF-8 sequence at p, of which avail bytes are
 * available.  Returns 1 with its code point in *cp, 0 when it is well
 * formed so far but incomplete, or -1 when it is malformed.  The second
 * byte's range (RFC 3629 section 4) rules out overlong forms, surrogates
 * and code points above U+10FFFF.
 */
static int
smtp_reply_utf8(const unsigned char *p, size_t n, size_t avail,
    uint32_t *cp)
{
	unsigned char lo = 0x80, hi = 0xbf;
	uint32_t v;
	size_t i;

	v = p[0] & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	for (i = 1; i < n; i++) {
		if (i >= avail)
			return 0;
		if (p[i] < lo || p[i] > hi)
			return -1;
		lo = 0x80;
		hi = 0xbf;
		v = (v << 6) | (p[i] & 0x3f);
	}
	*cp = v;
	return 1;
}

/* Refuse a line that would be longer than SMTP_LINE_MAX up to end. */
static int
smtp_reply_line_room(struct smtp_reply_scan *s, size_t start, size_t end)
{
	if (end - start <= SMTP_LINE_MAX)
		return 0;
	return mx_err_set(s->err, MX_ERR_LIMIT, s->where,
	    "invalid reply: line %zu is longer than %u bytes (SMTP_LINE_MAX)",
	    s->nlines + 1, (unsigned)SMTP_LINE_MAX);
}

/*
 * Check the UTF-8 character at pos of the line that starts at start.
 * Returns its length, 0 when more bytes are needed, or -1.  The bounds
 * are checked with the length the first byte announces, before the
 * other bytes are looked at, so the outcome does not depend on how the
 * bytes were split.
 */
static int
smtp_reply_scan_utf8(struct smtp_reply_scan *s, size_t start, size_t pos)
{
	uint32_t cp;
	size_t n;
	int r;

	if ((n = smtp_reply_utf8_len(s->buf[pos])) == 0)
		return smtp_reply_bad_byte(s, start, pos,
		    "malformed UTF-8 starting with byte");
	if (smtp_reply_room(s, pos + n) == -1 ||
	    smtp_reply_line_room(s, start, pos + n) == -1)
		return -1;
	if ((r = smtp_reply_utf8(s->buf + pos, n, s->len - pos, &cp)) != 1) {
		if (r == 0)
			return 0;
		return smtp_reply_bad_byte(s, start, pos,
		    "malformed UTF-8 starting with byte");
	}
	if (cp <= 0x9f || cp == 0xfffe || cp == 0xffff)
		return mx_err_set(s->err, MX_ERR_PROTO, s->where,
		    "invalid reply: character U+%04X at line %zu, column %zu "
		    "is not printable", (unsigned)cp, s->nlines + 1,
		    pos - start + 1);
	return (int)n;
}

/*
 * Scan the text of a line from pos, up to and including its line end.
 * Returns 1 with the text's end in *end and the position after the line
 * end in *next, 0 when more bytes are needed, or -1.
 */
static int
smtp_reply_scan_text(struct smtp_reply_scan *s, size_t start, size_t pos,
    size_t *end, size_t *next)
{
	const unsigned char *b = s->buf;
	size_t n;
	int r;

	for (;;) {
		if (pos >= s->len)
			return 0;
		if (smtp_reply_room(s, pos + 1) == -1)
			return -1;
		if (b[pos] == '\n' || b[pos] == '\r') {
			n = 1;
			if (b[pos] == '\r') {
				if (pos + 1 >= s->len)
					return 0;
				if (b[pos + 1] != '\n')
					return smtp_reply_bad_byte(s, start,
					    pos, "CR not followed by LF,");
				if (smtp_reply_room(s, pos + 2) == -1)
					return -1;
				n = 2;
			}
			*end = pos;
			*next = pos + n;
			return 1;
		}
		n = 1;
		if (b[pos] >= 0x80) {
			if ((r = smtp_reply_scan_utf8(s, start, pos)) <= 0)
				return r;
			n = (size_t)r;
		} else if (b[pos] != '\t' && (b[pos] < 0x20 || b[pos] > 0x7e))
			return smtp_reply_bad_byte(s, start, pos,
			    "non-printable byte");
		else if (smtp_reply_line_room(s, start, pos + 1) == -1)
			return -1;
		pos += n;
	}
}

/*
 * Scan one line from start: its code, its separator and its text.
 * Returns 1 with *final set and *next after the line end, 0 when more
 * bytes are needed, or -1.
 */
static int
smtp_reply_scan_line(struct smtp_reply_scan *s, size_t start, int *final,
    size_t *next)
{
	const unsigned char *b = s->buf;
	size_t pos, text, end = 0;
	int code = 0, r;

	for (pos = start; pos < start + 3; pos++) {
		if (pos >= s->len)
			return 0;
		if (smtp_reply_room(s, pos + 1) == -1)
			return -1;
		if (b[pos] == '\r' || b[pos] == '\n')
			return mx_err_set(s->err, MX_ERR_PROTO, s->where,
			    "invalid reply: line %zu is shorter than 3 "
			    "characters", s->nlines + 1);
		if (b[pos] < (pos == start ? '2' : '0') ||
		    b[pos] > (pos == start ? '5' : '9'))
			return smtp_reply_bad_byte(s, start, pos,
			    "reply code is not [2-5][0-9][0-9]:");
		code = code * 10 + (b[pos] - '0');
	}
	if (s->nlines > 0 && code != s->code)
		return mx_err_set(s->err, MX_ERR_PROTO, s->where,
		    "invalid reply: line %zu has code %d in a %d reply",
		    s->nlines + 1, code, s->code);
	s->code = code;
	if (pos >= s->len)
		return 0;
	if (b[pos] != '\r' && b[pos] != '\n' &&
	    smtp_reply_room(s, pos + 1) == -1)
		return -1;
	if (b[pos] == ' ' || b[pos] == '-') {
		*final = b[pos] == ' ';
		text = pos + 1;
	} else if (b[pos] == '\r' || b[pos] == '\n') {
		*final = 1;
		text = pos;
	} else
		return smtp_reply_bad_byte(s, start, pos,
		    "separator after the code is not ' ' or '-' but");
	if (!*final && s->nlines + 1 >= SMTP_REPLY_LINES_MAX)
		return mx_err_set(s->err, MX_ERR_LIMIT, s->where,
		    "invalid reply: more than %u lines (SMTP_REPLY_LINES_MAX)",
		    (unsigned)SMTP_REPLY_LINES_MAX);
	if ((r = smtp_reply_scan_text(s, start, text, &end, next)) != 1)
		return r;
	s->text_start[s->nlines] = text;
	s->text_end[s->nlines] = end;
	s->nlines++;
	return 1;
}

/* Copy the lines found by the scan into reply. */
static void
smtp_reply_build(const struct smtp_reply_scan *s, struct smtp_reply *reply)
{
	size_t i, n;

	reply->code = s->code;
	reply->nlines = s->nlines;
	reply->lines = xcalloc(s->nlines, sizeof(*reply->lines));
	for (i = 0; i < s->nlines; i++) {
		n = s->text_end[i] - s->text_start[i];
		reply->lines[i] = xmalloc(n + 1);
		memcpy(reply->lines[i], s->buf + s->text_start[i], n);
		reply->lines[i][n] = '\0';
	}
}

/*
 * Take one reply from buf[0..len): returns 1 with *reply filled (free it
 * with smtp_reply_free) and *used the bytes consumed; 0 when more bytes
 * are needed; -1 with MX_ERR_PROTO naming where.  On 0 and -1, *reply is
 * empty and *used is 0.  Borrows buf for the call only.
 */
int
smtp_reply_parse(const char *buf, size_t len, struct smtp_reply *reply,
    size_t *used, struct mx_err *err, const char *where)
{
	struct smtp_reply_scan s;
	size_t pos = 0, next = 0;
	int final = 0, r;

	memset(reply, 0, sizeof(*reply));
	*used = 0;
	memset(&s, 0, sizeof(s));
	s.buf = (const unsigned char *)buf;
	s.len = buf != NULL ? len : 0;
	s.err = err;
	s.where = where;
	while (!final) {
		if ((r = smtp_reply_scan_line(&s, pos, &final, &next)) != 1)
			return r;
		pos = next;
	}
	smtp_reply_build(&s, reply);
	*used = pos;
	return 1;
}

/* Free the lines of a reply and empty it; accepts an empty reply. */
void
smtp_reply_free(struct smtp_reply *reply)
{
	size_t i;

	if (reply == NULL)
		return;
	for (i = 0; i < reply->nlines; i++)
		free(reply->lines[i]);
	free(reply->lines);
	memset(reply, 0, sizeof(*reply));
}

/*
 * The reply's lines joined with " / " ("" for no line).  Returns a new
 * string; the caller frees it.
 */
char *
smtp_reply_text(const struct smtp_reply *reply)
{
	size_t i, n = 1, off = 0, k;
	char *out;

	for (i = 0; i < reply->nlines; i++)
		n += strlen(reply->lines[i]) + (i > 0 ?
		    sizeof(SMTP_REPLY_JOIN) - 1 : 0);
	out = xmalloc(n);
	for (i = 0; i < reply->nlines; i++) {
		if (i > 0) {
			memcpy(out + off, SMTP_REPLY_JOIN,
			    sizeof(SMTP_REPLY_JOIN) - 1);
			off += sizeof(SMTP_REPLY_JOIN) - 1;
		}
		k = strlen(reply->lines[i]);
		memcpy(out + off, reply->lines[i], k);
		off += k;
	}
	out[off] = '\0';
	return out;
}
