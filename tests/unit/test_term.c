/*
 * test_term.c - unit tests of term.c, the one escaping function for
 * terminals and logs: controls shown, text kept, UTF-8 checked.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "term.h"

/* Does escaping in (len bytes) with flags give want? */
static int
escapes_to(const char *in, size_t len, int flags, const char *want)
{
	char *got = term_escape(in, len, flags);
	int same = strcmp(got, want) == 0;

	if (!same)
		tap_diag("got \"%s\", want \"%s\"", got, want);
	free(got);
	return same;
}

#define ESC(in, flags, want) escapes_to(in, sizeof(in) - 1, flags, want)

int
main(void)
{
	tap_check(ESC("EX01\\Relay One", 0, "EX01\\Relay One"),
	    "printable ASCII and backslashes pass unchanged");
	tap_check(ESC("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 0,
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
	    "valid UTF-8 of two, three and four bytes passes unchanged");
	tap_check(ESC("a\x1b]0;title\x07" "b", 0, "a\\x1b]0;title\\x07b"),
	    "ESC and BEL become \\x1b and \\x07");
	tap_check(ESC("a\x1b[2J\x7f", 0, "a\\x1b[2J\\x7f"), "DEL is escaped");
	tap_check(ESC("a\r\nb\tc", 0, "a\\x0d\\x0ab\tc"),
	    "CR and LF are escaped in a log line; tab passes");
	tap_check(ESC("a\r\nb", TERM_KEEP_LINES, "a\\x0d\nb"),
	    "TERM_KEEP_LINES keeps LF, not CR");
	tap_check(ESC("x\xc2\x9b" "2J\xc2\x80\xc2\x9f\xc2\xa0", 0,
	    "x\\u009b2J\\u0080\\u009f\xc2\xa0"),
	    "C1 controls U+0080..U+009F in UTF-8 become \\u00HH; U+00A0 "
	    "passes");
	tap_check(ESC("\x9b\x80\xff\xfe", 0, "\\x9b\\x80\\xff\\xfe"),
	    "bytes that are not UTF-8 (a raw 8-bit CSI) become \\xHH");
	tap_check(ESC("\xc0\x9b\xe0\x80\x80\xed\xa0\x80\xf4\x90\x80\x80", 0,
	    "\\xc0\\x9b\\xe0\\x80\\x80\\xed\\xa0\\x80\\xf4\\x90\\x80\\x80"),
	    "overlong forms, surrogates and code points past U+10FFFF are "
	    "escaped byte by byte");
	tap_check(ESC("\xe2\x82", 0, "\\xe2\\x82"),
	    "a sequence cut short at the end is escaped");
	tap_check(escapes_to("a\0b", 3, 0, "a\\x00b"), "NUL is escaped");
	tap_check(escapes_to("", 0, 0, ""), "the empty string stays empty");
	return tap_done();
}
