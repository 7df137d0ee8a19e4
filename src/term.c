/*
 * term.c - text for a terminal or a log (see term.h).
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "term.h"
#include "util.h"

/*
 * Length of the valid UTF-8 sequence at s[0..left), its code point in
 * *cp; 0 when s does not start one (RFC 3629: no overlong form, no
 * surrogate, nothing past U+10FFFF).
 */
static size_t
term_utf8(const unsigned char *s, size_t left, uint32_t *cp)
{
	size_t n, i;
	uint32_t v, min;

	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
		v = s[0] & 0x1F;
		min = 0x80;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		v = s[0] & 0x0F;
		min = 0x800;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		v = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (left < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

char *
term_escape(const char *in, size_t len, int flags)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)in;
	char *out, *o;
	size_t i = 0, n;
	uint32_t cp;

	if (len > (SIZE_MAX - 1) / 6)
		util_oom();
	out = o = xmalloc(len * 6 + 1);
	while (i < len) {
		unsigned char c = s[i];

		if (c == '\t' || (c == '\n' && (flags & TERM_KEEP_LINES)) ||
		    (c >= 0x20 && c < 0x7F)) {
			*o++ = (char)c;
			i++;
			continue;
		}
		if (c >= 0x80 && (n = term_utf8(s + i, len - i, &cp)) > 0) {
			if (cp <= 0x9F) {
				memcpy(o, "\\u00", 4);
				o[4] = hex[cp >> 4];
				o[5] = hex[cp & 0xF];
				o += 6;
			} else {
				memcpy(o, s + i, n);
				o += n;
			}
			i += n;
			continue;
		}
		/* A C0 control, DEL, or a byte that is not UTF-8. */
		*o++ = '\\';
		*o++ = 'x';
		*o++ = hex[c >> 4];
		*o++ = hex[c & 0xF];
		i++;
	}
	*o = '\0';
	return out;
}

void
term_write(FILE *fp, const char *in, size_t len, int flags)
{
	char *e = term_escape(in, len, flags);

	fputs(e, fp);
	free(e);
}
