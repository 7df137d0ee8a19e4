/*
 * term.h - text for a terminal or a log: the one escaping function.
 *
 * Everything mxbpa writes to a terminal or a log (errors, warnings and the
 * text of verify, which-connector, diff and rules) passes through
 * term_escape, so that a value read from an input (an LDIF attribute, a
 * DN, an archive member name, an SMTP banner) cannot move the cursor,
 * retitle the window or clear the screen.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_TERM_H
#define MXBPA_TERM_H

#include <stddef.h>
#include <stdio.h>

/* Keep line feeds: a whole multi-line text that mxbpa laid out. */
#define TERM_KEEP_LINES	0x1

/*
 * Escape in[0..len): the C0 controls but tab (and line feed with
 * TERM_KEEP_LINES), DEL and any byte that does not start valid UTF-8
 * become "\xHH"; the C1 controls U+0080..U+009F encoded in UTF-8 become
 * "\uHHHH".  Valid UTF-8 text passes unchanged.  Returns a NUL-terminated
 * string the caller frees, at most 6 times as long as the input.
 */
char	*term_escape(const char *in, size_t len, int flags);

/* Write in[0..len) escaped (term_escape) to fp. */
void	 term_write(FILE *fp, const char *in, size_t len, int flags);

#endif /* MXBPA_TERM_H */
