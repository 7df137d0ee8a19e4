/*
 * probe_relay.h - the relay variants of the SMTP probe and how replies
 * become verdicts.
 *
 * A variant is a set of templates: MAIL FROM, RCPT TO and, for the
 * variants that route through a local domain (the server's own name or
 * address literal, or an accepted domain named with --domain), a control
 * recipient: a random, certainly absent local part at that same domain.
 * The analyzer's own test (seed 000) comes first, then the classic relay
 * tricks nmap's smtp-open-relay tries (percent hack, bang path, quoted
 * local part, source route, address literal, empty, own-domain and
 * address-literal senders), then the same tricks through each --domain.
 * Every variant but the sender variants sends the --from mailbox whole:
 * servers refuse address-literal senders more often than relays.  This
 * module only builds the addresses and judges replies; probe_dialog.c
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
	const char	*absent;	/* the control's random local part */
	const char *const *domains;	/* --domain */
	size_t		 ndomains;
};

/* How many variants a --variants choice tries, with ndomains --domain. */
size_t		 probe_relay_count(enum probe_variants, size_t ndomains);

/* The stable name of variant i ("exbpa", "percent-hack-ip"...). */
const char	*probe_relay_name(size_t i);

/* The --domain variant i routes through (borrowed from nm), or NULL. */
const char	*probe_relay_domain(size_t i, const struct probe_relay_names *);

/*
 * Build the reverse-path, forward-path and control recipient (no angle
 * brackets) of variant i into from, to and control (each of size bytes);
 * control is "" when the variant has none.  Returns 0, or -1 when one
 * does not fit.
 */
int		 probe_relay_expand(size_t i, const struct probe_relay_names *,
		    char *from, char *to, char *control, size_t size);

/*
 * The verdict of a MAIL reply code for variant i: a 5xx or 4xx to a
 * variant that tests the sender is its verdict (refused, temp-refused);
 * to the others it leaves the recipient untried: unknown, except 530
 * (RFC 4954: authentication required), which refuses every anonymous
 * sender: refused.
 */
enum probe_verdict probe_relay_mail_verdict(size_t i, int code);

/*
 * The verdict of a RCPT reply code: 2xx accepted, 4xx temp-refused, 5xx
 * (530 included) refused, anything else unknown.
 */
enum probe_verdict probe_relay_verdict(int code);

/*
 * The verdict over the variants of a result: the strongest of
 * data-accepted, accepted, unknown (a variant not tried counts as
 * unknown), catch-all, temp-refused, refused.  When it is unknown and
 * why is not NULL, *why is a new string naming the variants not decided
 * and why (caller frees); else *why is NULL.
 */
enum probe_verdict probe_relay_overall(const struct probe_result *,
		    char **why);

#endif /* MXBPA_PROBE_RELAY_H */
