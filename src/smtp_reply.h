/*
 * smtp_reply.h - a pure SMTP reply parser (RFC 5321 4.2): bytes in, one
 * complete reply or an error out; no I/O, so it can be fuzzed.
 *
 * Refused with MX_ERR_PROTO: a line shorter than 3 characters, a code
 * outside [2-5][0-9][0-9], a separator other than ' ' or '-' (or end of
 * line), a NUL or other non-printable byte, lines of one reply with
 * different codes.  Refused with MX_ERR_LIMIT (the limit named in the
 * message): a line over SMTP_LINE_MAX, more than SMTP_REPLY_LINES_MAX
 * lines or SMTP_REPLY_MAX bytes.  Bytes left after a final line are reported to the
 * caller, who decides (after 220 to STARTTLS they are an injection).
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_SMTP_REPLY_H
#define MXBPA_SMTP_REPLY_H

#include <stddef.h>

struct mx_err;

struct smtp_reply {
	int	 code;			/* 200..599 */
	size_t	 nlines;
	char	**lines;		/* text after "NNN-"/"NNN ", NUL-ended */
};

/*
 * Try to take one reply from buf[0..len).  Returns 1 with *reply filled
 * and *used = bytes consumed (CRLF or bare LF line ends); 0 when more
 * bytes are needed (and the buffer is still within bounds); -1 with
 * MX_ERR_PROTO or MX_ERR_LIMIT (where names the peer) when the bytes
 * cannot be a reply.
 * Free with smtp_reply_free.
 */
int	smtp_reply_parse(const char *buf, size_t len, struct smtp_reply *,
	    size_t *used, struct mx_err *, const char *where);
void	smtp_reply_free(struct smtp_reply *);

/* The reply's text joined with " / " for messages (caller frees). */
char	*smtp_reply_text(const struct smtp_reply *);

#endif /* MXBPA_SMTP_REPLY_H */
