/*
 * fuzz_smtp_reply.c - libFuzzer entry point for the SMTP reply parser.
 * The bytes are taken as what a peer sent: replies are parsed one after
 * the other, as the probe consumes them, until one is refused or more
 * bytes would be needed.  Each reply taken must keep the promises of
 * smtp_reply.h (abort() otherwise, so that fuzzing reports a broken
 * promise as a crash):
 *   - the code is 200..599, the reply has 1..SMTP_REPLY_LINES_MAX lines
 *     and at most SMTP_REPLY_MAX bytes, each text fits a line of
 *     SMTP_LINE_MAX bytes and holds no control byte other than HT;
 *   - the same bytes alone give the same reply, and without their last
 *     byte ask for more (a reply is never taken before its last LF);
 *   - "need more" is only answered while the bytes are within bounds,
 *     and a refusal is MX_ERR_PROTO, or MX_ERR_LIMIT naming its limit,
 *     with a message.
 * Linked with -fsanitize=fuzzer for fuzzing, and with fuzz/replay.c so
 * that "make check" replays fuzz/corpus/smtp_reply/ and
 * tests/malformed/smtp_reply/.  Prints nothing.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "err.h"
#include "smtp_reply.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_smtp_reply_check(int cond)
{
	if (!cond)
		abort();
}

/* The promises on one reply taken from p[0..used). */
static void
fuzz_smtp_reply_verify(const char *p, size_t used,
    const struct smtp_reply *r)
{
	struct smtp_reply again;
	struct mx_err err;
	size_t i, j, n, used2;
	char *text;

	fuzz_smtp_reply_check(r->code >= 200 && r->code <= 599);
	fuzz_smtp_reply_check(r->nlines >= 1 &&
	    r->nlines <= SMTP_REPLY_LINES_MAX);
	fuzz_smtp_reply_check(used > 0 && used <= SMTP_REPLY_MAX);
	fuzz_smtp_reply_check(p[used - 1] == '\n');
	for (i = 0; i < r->nlines; i++) {
		n = strlen(r->lines[i]);
		fuzz_smtp_reply_check(n + 4 <= SMTP_LINE_MAX);
		for (j = 0; j < n; j++) {
			unsigned char c = (unsigned char)r->lines[i][j];

			fuzz_smtp_reply_check(c == '\t' || (c >= 0x20 &&
			    c != 0x7f));
		}
	}
	text = smtp_reply_text(r);
	fuzz_smtp_reply_check(text != NULL);
	free(text);

	mx_err_init(&err);
	fuzz_smtp_reply_check(smtp_reply_parse(p, used, &again, &used2, &err,
	    "fuzz") == 1 && used2 == used && again.code == r->code &&
	    again.nlines == r->nlines);
	for (i = 0; i < r->nlines; i++)
		fuzz_smtp_reply_check(strcmp(again.lines[i], r->lines[i]) == 0);
	smtp_reply_free(&again);

	fuzz_smtp_reply_check(smtp_reply_parse(p, used - 1, &again, &used2,
	    &err, "fuzz") == 0 && used2 == 0 && again.nlines == 0 &&
	    err.code == MX_OK);
}

/* Take replies until one is refused or incomplete.  Always returns 0. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	struct smtp_reply r;
	struct mx_err err;
	size_t off = 0, used;
	int rc;

	for (;;) {
		mx_err_init(&err);
		rc = smtp_reply_parse(p + off, size - off, &r, &used, &err,
		    "fuzz");
		if (rc != 1)
			break;
		fuzz_smtp_reply_check(used <= size - off);
		fuzz_smtp_reply_verify(p + off, used, &r);
		smtp_reply_free(&r);
		off += used;
	}
	if (rc == 0)
		fuzz_smtp_reply_check(err.code == MX_OK &&
		    size - off <= SMTP_REPLY_MAX);
	else
		fuzz_smtp_reply_check(rc == -1 && (err.code == MX_ERR_PROTO ||
		    (err.code == MX_ERR_LIMIT && strstr(err.msg, "_MAX") !=
		    NULL)) && err.msg[0] != '\0');
	return 0;
}
