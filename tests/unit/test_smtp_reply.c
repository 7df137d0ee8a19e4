/*
 * test_smtp_reply.c - unit tests of smtp_reply.c: single and multi-line
 * replies, line ends, byte-at-a-time feeding, bytes left after a reply,
 * and every refusal (short line, bad code, separator, control bytes,
 * malformed UTF-8, mixed codes, and the three bounds), each with the
 * accepted input it differs from.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "err.h"
#include "smtp_reply.h"
#include "tap.h"
#include "util.h"

#define WHERE	"10.0.0.5:25 EHLO"

/* A growable byte string for building large inputs. */
struct buf {
	char	*p;
	size_t	 len;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	b->p = xreallocarray(b->p, b->len + n + 1, 1);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Append a line "code sep" + n bytes of fill + CRLF. */
static void
buf_line(struct buf *b, const char *code_sep, size_t n, char fill)
{
	char *t = xmalloc(n + 1);

	memset(t, fill, n);
	buf_adds(b, code_sep);
	buf_add(b, t, n);
	buf_adds(b, "\r\n");
	free(t);
}

/* Parse s[0..len): the return value, with reply freed and used kept. */
static int
parse_n(const char *s, size_t len, size_t *used, struct mx_err *err)
{
	struct smtp_reply r;
	size_t u;
	int rc;

	mx_err_init(err);
	rc = smtp_reply_parse(s, len, &r, &u, err, WHERE);
	smtp_reply_free(&r);
	if (used != NULL)
		*used = u;
	return rc;
}

static int
parse(const char *s, size_t *used, struct mx_err *err)
{
	return parse_n(s, strlen(s), used, err);
}

/* Is the whole string one reply, consumed entirely? */
static int
accepted_n(const char *s, size_t len)
{
	struct mx_err err;
	size_t used;
	int rc;

	rc = parse_n(s, len, &used, &err);
	if (rc != 1) {
		tap_diag("parse gave %d: %s", rc, err.msg);
		return 0;
	}
	if (used != len) {
		tap_diag("used %zu of %zu bytes", used, len);
		return 0;
	}
	return 1;
}

static int
accepted(const char *s)
{
	return accepted_n(s, strlen(s));
}

/*
 * Is s refused with MX_ERR_PROTO (MX_ERR_LIMIT when word names a limit,
 * "..._MAX"), where recorded, and a message holding word?  The refusal must not depend on how the bytes arrive: fed one
 * byte at a time, every prefix asks for more until the same message.
 * Inputs of many kilobytes are fed in steps of len / 512 bytes (the
 * parser starts again from the first byte on each call, so one byte at a
 * time would be quadratic), then one byte at a time near the end.
 */
static int
refused_n(const char *s, size_t len, const char *word)
{
	struct mx_err whole, part;
	size_t k, step;
	int rc;

	if (parse_n(s, len, NULL, &whole) != -1) {
		tap_diag("not refused");
		return 0;
	}
	if (whole.code != (strstr(word, "_MAX") != NULL ? MX_ERR_LIMIT :
	    MX_ERR_PROTO) || strcmp(whole.where, WHERE) != 0) {
		tap_diag("code %s, where \"%s\"", mx_err_name(whole.code),
		    whole.where);
		return 0;
	}
	if (strstr(whole.msg, word) == NULL) {
		tap_diag("message \"%s\" lacks \"%s\"", whole.msg, word);
		return 0;
	}
	step = len > 8192 ? len / 512 : 1;
	for (k = 1; k <= len; k += (k + step < len - 16 ? step : 1)) {
		rc = parse_n(s, k, NULL, &part);
		if (rc == 1) {
			tap_diag("prefix of %zu bytes parsed", k);
			return 0;
		}
		if (rc == -1)
			break;
	}
	if (k > len || strcmp(part.msg, whole.msg) != 0) {
		tap_diag("fed bytewise: \"%s\"", k > len ? "" : part.msg);
		return 0;
	}
	return 1;
}

static int
refused(const char *s, const char *word)
{
	return refused_n(s, strlen(s), word);
}

/* Does every strict prefix of s ask for more bytes, and s parse? */
static int
bytewise_parses(const char *s, size_t len)
{
	struct mx_err err;
	size_t k, used;
	int rc;

	for (k = 0; k < len; k++) {
		rc = parse_n(s, k, &used, &err);
		if (rc != 0 || used != 0) {
			tap_diag("prefix of %zu bytes gave %d (%s)", k, rc,
			    err.msg);
			return 0;
		}
	}
	return accepted_n(s, len);
}

static void
test_single_line(void)
{
	const char *g = "220 mx.contoso.com Microsoft ESMTP MAIL Service "
	    "ready at Mon, 23 Nov 2026 10:00:00 +0000\r\n";
	struct smtp_reply r;
	struct mx_err err;
	size_t used = 99;
	int rc;

	mx_err_init(&err);
	rc = smtp_reply_parse(g, strlen(g), &r, &used, &err, WHERE);
	tap_check(rc == 1 && r.code == 220 && r.nlines == 1 &&
	    strcmp(r.lines[0], "mx.contoso.com Microsoft ESMTP MAIL Service "
	    "ready at Mon, 23 Nov 2026 10:00:00 +0000") == 0 &&
	    used == strlen(g),
	    "an Exchange greeting parses as code 220 with its text");
	smtp_reply_free(&r);
	tap_check(r.nlines == 0 && r.lines == NULL,
	    "smtp_reply_free empties the reply");
	smtp_reply_free(&r);
	tap_check(1, "smtp_reply_free accepts an already emptied reply");

	mx_err_init(&err);
	rc = smtp_reply_parse(g, strlen(g) - 2, &r, &used, &err, WHERE);
	tap_check(rc == 0 && used == 0 && r.nlines == 0 && r.lines == NULL &&
	    err.code == MX_OK,
	    "the same greeting without its line end asks for more bytes");
	rc = smtp_reply_parse(g, strlen(g) - 1, &r, &used, &err, WHERE);
	tap_check(rc == 0 && err.code == MX_OK,
	    "a greeting ending in CR without LF asks for more bytes");
	rc = smtp_reply_parse("", 0, &r, &used, &err, WHERE);
	tap_check(rc == 0 && err.code == MX_OK,
	    "no bytes at all ask for more bytes");
	rc = smtp_reply_parse(NULL, 0, &r, &used, &err, WHERE);
	tap_check(rc == 0 && err.code == MX_OK,
	    "a NULL buffer of length 0 asks for more bytes");

	tap_check(accepted("220 mail.fabrikam.com ESMTP Postfix\n"),
	    "a bare LF ends a line");
	tap_check(refused("220 mail.fabrikam.com\rESMTP\r\n",
	    "CR not followed"),
	    "a bare CR inside a line is refused");
	tap_check(refused("220 ok\r\r\n", "CR not followed"),
	    "CR CR LF is refused");

	tap_check(accepted("250\r\n"),
	    "\"250\" alone at the end of a line is a final line");
	tap_check(accepted("250 \r\n"),
	    "\"250 \" with empty text is a final line");
	tap_check(accepted("250-\r\n250 ok\r\n"),
	    "\"250-\" with empty text is a continuation line");
	rc = parse("250-\r\n", NULL, &err);
	tap_check(rc == 0, "a reply ending on a continuation line asks for "
	    "more bytes");
}

static void
test_multiline(void)
{
	static const char *const kw[20] = {
		"PIPELINING", "SIZE 37748736", "ETRN", "DSN",
		"ENHANCEDSTATUSCODES", "STARTTLS", "AUTH NTLM LOGIN",
		"X-EXPS GSSAPI NTLM", "8BITMIME", "BINARYMIME", "CHUNKING",
		"XRDST", "XEXCH50", "X-ANONYMOUSTLS", "XSHADOWREQUEST",
		"XPROXY", "XPROXYFROM", "X-MESSAGECONTEXT ADHEADERS",
		"XFASTINDEX", "SMTPUTF8"
	};
	struct buf b = { NULL, 0 };
	struct smtp_reply r;
	struct mx_err err;
	size_t used, i;
	int rc, same = 1;
	char *text, *expect, *joined;

	buf_adds(&b, "250-mx.contoso.com Hello [198.51.100.7]\r\n");
	for (i = 0; i < 20; i++) {
		buf_adds(&b, i == 19 ? "250 " : "250-");
		buf_adds(&b, kw[i]);
		buf_adds(&b, "\r\n");
	}
	mx_err_init(&err);
	rc = smtp_reply_parse(b.p, b.len, &r, &used, &err, WHERE);
	if (rc == 1 && r.nlines == 21) {
		for (i = 0; i < 20; i++)
			same = same && strcmp(r.lines[i + 1], kw[i]) == 0;
	} else
		same = 0;
	tap_check(rc == 1 && r.code == 250 && used == b.len && same &&
	    strcmp(r.lines[0], "mx.contoso.com Hello [198.51.100.7]") == 0,
	    "a multi-line EHLO reply with 20 keywords gives 21 lines in order");
	expect = xstrdup("mx.contoso.com Hello [198.51.100.7]");
	for (i = 0; i < 20; i++) {
		joined = xmalloc(strlen(expect) + strlen(kw[i]) + 4);
		snprintf(joined, strlen(expect) + strlen(kw[i]) + 4, "%s / %s",
		    expect, kw[i]);
		free(expect);
		expect = joined;
	}
	text = rc == 1 ? smtp_reply_text(&r) : xstrdup("");
	tap_check(strcmp(text, expect) == 0,
	    "smtp_reply_text joins the lines with \" / \"");
	free(expect);
	free(text);
	smtp_reply_free(&r);

	tap_check(bytewise_parses(b.p, b.len),
	    "the EHLO reply fed one byte at a time asks for more until its "
	    "last LF");
	rc = parse_n(b.p, b.len - 2, &used, &err);
	tap_check(rc == 0, "the EHLO reply without its last line end asks "
	    "for more bytes");
	free(b.p);

	rc = smtp_reply_parse("221 2.0.0 Bye\r\n", 15, &r, &used, &err,
	    WHERE);
	text = smtp_reply_text(&r);
	tap_check(rc == 1 && strcmp(text, "2.0.0 Bye") == 0,
	    "smtp_reply_text of a single line is that line, with no "
	    "separator");
	free(text);
	smtp_reply_free(&r);
	text = smtp_reply_text(&r);
	tap_check(strcmp(text, "") == 0,
	    "smtp_reply_text of an empty reply is the empty string");
	free(text);

	tap_check(refused("250-mx.contoso.com\r\n251 ok\r\n", "code 251 in a "
	    "250 reply"), "a continuation with another code is refused");
	tap_check(accepted("250-mx.contoso.com\r\n250 ok\r\n"),
	    "a continuation with the same code is accepted");
	tap_check(parse("250-mx.contoso.com\r\n25", NULL, &err) == 0,
	    "a second line cut inside its code asks for more bytes");
}

static void
test_trailing(void)
{
	const char *s = "220 2.0.0 SMTP server ready\r\nEHLO injected\r\n";
	const char *two = "250 2.1.0 Sender OK\r\n250 2.1.5 Recipient OK\r\n";
	struct smtp_reply r;
	struct mx_err err;
	size_t used, used2;
	int rc, rc2;

	rc = parse(s, &used, &err);
	tap_check(rc == 1 && used == strlen("220 2.0.0 SMTP server ready\r\n"),
	    "bytes after a final reply are left to the caller (*used < len)");
	rc = parse("220 2.0.0 SMTP server ready\r\n", &used, &err);
	tap_check(rc == 1 && used == strlen("220 2.0.0 SMTP server ready\r\n"),
	    "a reply with nothing after it is consumed entirely "
	    "(*used == len)");

	mx_err_init(&err);
	rc = smtp_reply_parse(two, strlen(two), &r, &used, &err, WHERE);
	smtp_reply_free(&r);
	rc2 = smtp_reply_parse(two + used, strlen(two) - used, &r, &used2,
	    &err, WHERE);
	tap_check(rc == 1 && rc2 == 1 && r.nlines == 1 &&
	    strcmp(r.lines[0], "2.1.5 Recipient OK") == 0 &&
	    used + used2 == strlen(two),
	    "two pipelined replies are taken one after the other");
	smtp_reply_free(&r);

	rc = parse("220 ready\r\n\x16\x03\x01", &used, &err);
	tap_check(rc == 1 && used == 11,
	    "binary bytes after a final reply do not spoil the reply");
}

static void
test_codes(void)
{
	tap_check(refused("25\r\n", "shorter than 3"),
	    "a line of 2 characters is refused");
	tap_check(accepted("250\r\n"), "a line of exactly a code is accepted");
	tap_check(refused("\r\n", "shorter than 3"),
	    "an empty line is refused");
	tap_check(refused("25\n", "shorter than 3"),
	    "a 2-character line ended by a bare LF is refused");

	tap_check(refused("999 x\r\n", "reply code"),
	    "code 999 is refused");
	tap_check(refused("2x0 ok\r\n", "reply code"),
	    "code 2x0 is refused");
	tap_check(refused("199 x\r\n", "reply code"),
	    "code 199 (below 200) is refused");
	tap_check(refused("600 x\r\n", "reply code"),
	    "code 600 (above 599) is refused");
	tap_check(refused(" 220 x\r\n", "reply code"),
	    "a code after a space is refused");
	tap_check(accepted("200 x\r\n") && accepted("599 x\r\n"),
	    "codes 200 and 599, the ends of the range, are accepted");
	tap_check(accepted("554 5.7.1 Relay access denied\r\n") &&
	    accepted("421 4.3.2 Service not available\r\n") &&
	    accepted("354 Start mail input\r\n"),
	    "codes in each class 2 to 5 are accepted");
	tap_check(refused("9", "reply code"),
	    "a first digit outside 2-5 is refused before the line ends");
	tap_check(refused("HTTP/1.1 400 Bad Request\r\n", "reply code"),
	    "an HTTP answer is refused");

	tap_check(refused("250x ok\r\n", "separator"),
	    "a separator other than ' ' or '-' is refused");
	tap_check(refused("250\tok\r\n", "separator"),
	    "a tab as separator is refused");
	tap_check(accepted("250 ok\tfine\r\n"),
	    "a tab in the text is accepted (RFC 5321 textstring)");
	tap_check(refused("2500 ok\r\n", "separator"),
	    "a four-digit code is refused");
}

static void
test_bytes(void)
{
	struct mx_err err;

	tap_check(refused_n("220 mx\0.contoso.com\r\n", 21, "0x00"),
	    "an embedded NUL is refused");
	tap_check(accepted("220 mx.contoso.com\r\n"),
	    "the same greeting without NUL is accepted");
	tap_check(refused("220 \x1b[31mred\r\n", "0x1b"),
	    "an escape byte is refused");
	tap_check(refused("220 del\x7f\r\n", "0x7f"),
	    "a DEL byte is refused");
	tap_check(refused("220 bell\a\r\n", "non-printable"),
	    "a BEL byte is refused");

	tap_check(accepted("220 mx.contoso.fr Pr\xc3\xaat\r\n"),
	    "well-formed UTF-8 in the text is accepted (SMTPUTF8)");
	tap_check(accepted("250 ok \xf0\x9f\x93\xa7\r\n"),
	    "a four-byte UTF-8 character is accepted");
	tap_check(refused("220 mx.contoso.fr Pr\xeat\r\n", "malformed UTF-8"),
	    "a Latin-1 byte is refused as malformed UTF-8");
	tap_check(refused("220 \xc0\xaf\r\n", "malformed UTF-8"),
	    "an overlong UTF-8 form is refused");
	tap_check(refused("220 \xe0\x80\xaf\r\n", "malformed UTF-8"),
	    "an overlong three-byte UTF-8 form is refused");
	tap_check(refused("220 \xed\xa0\x80\r\n", "malformed UTF-8"),
	    "a UTF-8 surrogate is refused");
	tap_check(refused("220 \xf4\x90\x80\x80\r\n", "malformed UTF-8"),
	    "a code point above U+10FFFF is refused");
	tap_check(refused("220 \xc3\r\n", "malformed UTF-8"),
	    "a UTF-8 sequence cut by the line end is refused");
	tap_check(parse("220 \xc3", NULL, &err) == 0,
	    "a UTF-8 sequence cut by the end of the bytes asks for more");
	tap_check(refused("220 \xc2\x85 next line\r\n", "U+0085"),
	    "a C1 control (U+0085) is refused");
	tap_check(accepted("220 \xc2\xa0nbsp\r\n"),
	    "U+00A0, just after the C1 controls, is accepted");
	tap_check(refused("220 \xef\xbf\xbe\r\n", "U+FFFE"),
	    "U+FFFE is refused");
	tap_check(accepted("220 \xef\xbf\xbd\r\n"),
	    "U+FFFD is accepted");
}

static void
test_bounds(void)
{
	struct buf b = { NULL, 0 };
	struct mx_err err;
	size_t i, used;
	char *big;
	int rc;

	/* One line: SMTP_LINE_MAX bytes before the line end. */
	buf_line(&b, "250 ", SMTP_LINE_MAX - 4, 'a');
	tap_check(accepted_n(b.p, b.len),
	    "a line of exactly SMTP_LINE_MAX bytes is accepted");
	free(b.p);
	b.p = NULL;
	b.len = 0;
	buf_line(&b, "250 ", SMTP_LINE_MAX - 3, 'a');
	tap_check(refused_n(b.p, b.len, "SMTP_LINE_MAX"),
	    "a line of SMTP_LINE_MAX + 1 bytes is refused");
	rc = parse_n(b.p, SMTP_LINE_MAX, &used, &err);
	tap_check(rc == 0, "a partial line of SMTP_LINE_MAX bytes asks for "
	    "more bytes");
	rc = parse_n(b.p, SMTP_LINE_MAX + 1, &used, &err);
	tap_check(rc == -1 && strstr(err.msg, "SMTP_LINE_MAX") != NULL,
	    "a partial line already over SMTP_LINE_MAX is refused at once");
	free(b.p);
	b.p = NULL;
	b.len = 0;

	buf_line(&b, "250 ", SMTP_LINE_MAX - 6, 'a');
	b.len -= 2;
	buf_adds(&b, "\xf0\x9f\x93\xa7\r\n");
	rc = parse_n(b.p, b.len - 5, &used, &err);
	tap_check(rc == -1 && strstr(err.msg, "SMTP_LINE_MAX") != NULL,
	    "the first byte of a UTF-8 character that would cross "
	    "SMTP_LINE_MAX is refused at once");
	tap_check(refused_n(b.p, b.len, "SMTP_LINE_MAX"),
	    "a line whose last UTF-8 character crosses SMTP_LINE_MAX is "
	    "refused");
	b.len -= 6;
	buf_adds(&b, "\xc3\xa9\r\n");
	tap_check(accepted_n(b.p, b.len),
	    "a line whose last UTF-8 character ends at SMTP_LINE_MAX is "
	    "accepted");
	free(b.p);
	b.p = NULL;
	b.len = 0;

	big = xmalloc(1u << 20);
	memcpy(big, "220 ", 4);
	memset(big + 4, 'x', (1u << 20) - 4);
	rc = parse_n(big, 1u << 20, &used, &err);
	tap_check(rc == -1 && strstr(err.msg, "SMTP_LINE_MAX") != NULL,
	    "a 1 MiB line without line end is refused, not buffered");
	free(big);

	/* Lines: SMTP_REPLY_LINES_MAX at most. */
	for (i = 0; i + 1 < SMTP_REPLY_LINES_MAX; i++)
		buf_line(&b, "250-", 8, 'k');
	buf_line(&b, "250 ", 2, 'k');
	tap_check(accepted_n(b.p, b.len),
	    "a reply of exactly SMTP_REPLY_LINES_MAX lines is accepted");
	free(b.p);
	b.p = NULL;
	b.len = 0;
	for (i = 0; i < SMTP_REPLY_LINES_MAX; i++)
		buf_line(&b, "250-", 8, 'k');
	buf_line(&b, "250 ", 2, 'k');
	tap_check(refused_n(b.p, b.len, "SMTP_REPLY_LINES_MAX"),
	    "a reply of SMTP_REPLY_LINES_MAX + 1 lines is refused");
	/* Up to "250-" of line SMTP_REPLY_LINES_MAX: 14 bytes per line. */
	rc = parse_n(b.p, (SMTP_REPLY_LINES_MAX - 1) * 14 + 4, &used, &err);
	tap_check(rc == -1, "an endless continuation is refused as soon as "
	    "line SMTP_REPLY_LINES_MAX announces another");
	rc = parse_n(b.p, (SMTP_REPLY_LINES_MAX - 1) * 14 + 3, &used, &err);
	tap_check(rc == 0, "before its separator, line SMTP_REPLY_LINES_MAX "
	    "asks for more bytes");
	free(b.p);
	b.p = NULL;
	b.len = 0;

	/* Bytes: 16 lines of 4096 bytes with CRLF are SMTP_REPLY_MAX. */
	for (i = 0; i < 15; i++)
		buf_line(&b, "250-", SMTP_REPLY_MAX / 16 - 6, 'b');
	buf_line(&b, "250 ", SMTP_REPLY_MAX / 16 - 6, 'b');
	tap_check(b.len == SMTP_REPLY_MAX && accepted_n(b.p, b.len),
	    "a reply of exactly SMTP_REPLY_MAX bytes is accepted");
	free(b.p);
	b.p = NULL;
	b.len = 0;
	for (i = 0; i < 15; i++)
		buf_line(&b, "250-", SMTP_REPLY_MAX / 16 - 6, 'b');
	buf_line(&b, "250 ", SMTP_REPLY_MAX / 16 - 5, 'b');
	tap_check(refused_n(b.p, b.len, "SMTP_REPLY_MAX"),
	    "a reply of SMTP_REPLY_MAX + 1 bytes is refused");
	free(b.p);
	b.p = NULL;
	b.len = 0;
	for (i = 0; i < 30; i++)
		buf_line(&b, "250-", 3000, 'c');
	rc = parse_n(b.p, SMTP_REPLY_MAX + 1, &used, &err);
	tap_check(rc == -1 && strstr(err.msg, "SMTP_REPLY_MAX") != NULL,
	    "a partial reply already over SMTP_REPLY_MAX is refused at once");
	rc = parse_n(b.p, SMTP_REPLY_MAX, &used, &err);
	tap_check(rc == 0, "a partial reply of SMTP_REPLY_MAX bytes asks for "
	    "more bytes");
	free(b.p);
}

static void
test_errors(void)
{
	struct smtp_reply r;
	struct mx_err err;
	size_t used;
	int rc;

	mx_err_init(&err);
	rc = smtp_reply_parse("999 x\r\n", 7, &r, &used, &err, WHERE);
	tap_check(rc == -1 && r.nlines == 0 && r.lines == NULL && used == 0,
	    "a refused reply leaves the reply empty and nothing used");
	tap_check(strcmp(err.where, WHERE) == 0 &&
	    strstr(err.msg, "line 1, column 1") != NULL,
	    "the error names the peer and the line and column");
	rc = smtp_reply_parse("25\r\n", 4, &r, &used, &err, WHERE);
	tap_check(rc == -1 && strstr(err.msg, "column 1") != NULL,
	    "a second refusal keeps the first error");
	rc = parse("250-a\r\n250-b\r\n250 c\0", NULL, &err);
	tap_check(rc == 0, "a third line still being read asks for more");
	tap_check(refused_n("250-a\r\n250-b\r\n250 c\0", 20,
	    "line 3, column 6"),
	    "an error on the third line names line 3");
}

int
main(void)
{
	test_single_line();
	test_multiline();
	test_trailing();
	test_codes();
	test_bytes();
	test_bounds();
	test_errors();
	return tap_done();
}
