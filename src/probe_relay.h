/*
 * probe_relay.h - the relay variants of the SMTP probe and how a reply
 * code becomes a verdict.
 *
 * A variant is a pair of templates for MAIL FROM and RCPT TO: the
 * analyzer's own test (seed 000) first, then the classic relay tricks
 * nmap's smtp-open-relay tries (percent hack, bang path, quoted local
 * part, source route, address literal, empty and own-domain senders).
 * This module only builds the addresses and judges codes; probe_dialog.c
 * sends them.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_PROBE_RELAY_H
#define MXBPA_PROBE_RELAY_H

#include <stddef.h>

#include "probe_smtp.h"

/*
 * The names a variant's addresses are made of.  All borrowed; they must
 * outlive the call to probe_relay_expand.
 */
struct probe_relay_names {
	const char	*from;		/* --from mailbox */
	const char	*to;		/* --to mailbox */
	const char	*from_local;	/* its local part */
	const char	*to_local;	/* local part of --to */
	const char	*to_domain;	/* domain of --to */
	const char	*literal;	/* [192.0.2.1], [IPv6:2001:db8::1] */
	const char	*server;	/* the server's own name */
};

/* How many variants a --variants choice tries. */
size_t		 probe_relay_count(enum probe_variants);

/* The stable name of variant i ("exbpa", "percent-hack-ip"...). */
const char	*probe_relay_name(size_t i);

/*
 * Build the reverse-path and forward-path (no angle brackets) of variant
 * i into from[0..fromsize) and to[0..tosize).  Returns 0, or -1 when one
 * does not fit.
 */
int		 probe_relay_expand(size_t i, const struct probe_relay_names *,
		    char *from, size_t fromsize, char *to, size_t tosize);

/*
 * The verdict of a MAIL or RCPT reply code: 2xx accepted, 4xx
 * temp-refused, 5xx refused; 530 (RFC 4954: authentication required)
 * unknown, like anything else: it tells nothing of what the server
 * relays for whom.
 */
enum probe_verdict probe_relay_verdict(int code);

/*
 * The verdict over all variants of a result: accepted when any was;
 * else unknown when any was unknown or some variants were not tried;
 * else temp-refused when any was; else refused.
 */
enum probe_verdict probe_relay_overall(const struct probe_result *,
		    size_t nvariants);

#endif /* MXBPA_PROBE_RELAY_H */
