/*
 * probe_smtp.h - live SMTP probes of (address, port) listeners, run
 * concurrently in one poll(2) loop, that tell whether the server accepts
 * a recipient it should not relay to, and what it says about itself on
 * the way (greeting, EHLO keywords, STARTTLS and its certificate).
 *
 * Each relay variant has a connection of its own (a dialog): connect,
 * greeting, EHLO (HELO when EHLO is refused), STARTTLS when offered (TLS
 * from the start on port 465, or the ports of tls_ports), EHLO again over
 * TLS, MAIL FROM, RCPT TO, a second RCPT TO to a control recipient when
 * the variant routes through a local domain and was accepted, RSET, QUIT.
 * The first variant's dialog records the listener's facts; once it has
 * reached MAIL, the other variants start, at most per_host connections at
 * once to the listener.  A variant whose connection the server drops
 * before it answered RCPT is tried once more on a new connection.  No
 * dialog sends DATA, unless the caller asks for a confirming message
 * (confirm, with a recipient of the user's own): then the first RCPT
 * accepted (control refused) is followed by DATA and one short message,
 * once per listener.  Every step has an absolute deadline, capped by a
 * deadline for the whole target; a peer that stalls, drips, floods or
 * lies ends with verdict "unknown" and a reason, and never affects the
 * other listeners.
 *
 * This module fills result structures; model_probe.c turns them into the
 * model.  The caller ignores SIGPIPE (main does): a peer may close while
 * OpenSSL writes.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_PROBE_SMTP_H
#define MXBPA_PROBE_SMTP_H

#include <stddef.h>
#include <stdint.h>

#include "iprange.h"
#include "tls_inspect.h"

struct mx_err;
struct probe_target_list;

/* Which relay variants to try (--variants). */
enum probe_variants {
	PROBE_VARIANTS_EXBPA = 0,	/* the analyzer's one test */
	PROBE_VARIANTS_ALL,		/* plus nmap smtp-open-relay's forms */
	PROBE_VARIANTS_COUNT
};

/* The verdicts of a relay test (docs/model.md, "Relay verdicts"). */
enum probe_verdict {
	PROBE_VERDICT_ACCEPTED = 0,	/* RCPT 2xx (250, 251), and the control
					   recipient refused: relay likely */
	PROBE_VERDICT_REFUSED,		/* 5xx (530 included) */
	PROBE_VERDICT_TEMP_REFUSED,	/* 4xx */
	PROBE_VERDICT_UNKNOWN,		/* not tried, no answer, an unexpected
					   one, or the sender refused */
	PROBE_VERDICT_CATCH_ALL,	/* accepted, but so was the control: a
					   catch-all, not evidence of relay */
	PROBE_VERDICT_DATA_ACCEPTED,	/* with confirm: the message was taken
					   for delivery (not proof of it) */
	PROBE_VERDICT_COUNT
};

enum probe_mode {
	PROBE_MODE_PLAIN = 0,
	PROBE_MODE_STARTTLS,		/* upgraded with STARTTLS */
	PROBE_MODE_IMPLICIT_TLS,	/* TLS from the start (port 465) */
	PROBE_MODE_COUNT
};

enum probe_dir {
	PROBE_DIR_SEND = 0,
	PROBE_DIR_RECV,
	PROBE_DIR_EVENT,
	PROBE_DIR_COUNT
};

/* One transcript entry: a command, a reply (its lines), an event. */
struct probe_step {
	uint64_t	 at_ms;		/* since the connection started */
	enum probe_dir	 dir;
	char		*text;		/* at most PROBE_STEP_TEXT_MAX bytes */
};

struct probe_keyword {
	char		*name;		/* upper case */
	char		*value;		/* parameters, or NULL */
};

/* The steps of one connection, bounded (see probe_dialog.c). */
struct probe_transcript {
	struct probe_step	*steps;
	size_t			 nsteps;
	size_t			 bytes;
	int			 truncated;
};

/* One EHLO or HELO and its answer. */
struct probe_ehlo {
	int			 tls;	/* sent over TLS */
	int			 helo;	/* HELO (EHLO was refused) */
	int			 code;
	struct probe_keyword	*keywords;
	size_t			 nkeywords;
};

struct probe_relay_test {
	const char		*variant; /* "exbpa", "percent-hack-ip"... */
	const char		*domain;  /* the --domain it routes through, or
					     NULL; borrowed from the options */
	int			 tried;		/* a connection was made for it */
	unsigned		 attempts;	/* connections used */
	char			*from;		/* reverse-path, no <> */
	char			*to;		/* forward-path, no <> */
	char			*control;	/* control recipient, or NULL */
	int			 mail_code;	/* 0: no answer */
	int			 rcpt_code;	/* 0: not sent or no answer */
	int			 control_code;	/* 0: not sent or no answer */
	int			 confirm_tried;	/* DATA was sent */
	int			 confirm_code;	/* the reply to DATA, or to the
						   message's end; 0: none */
	int			 confirmed;	/* the message was accepted */
	enum probe_verdict	 verdict;
	char			*reason;	/* deciding reply's text, or why
						   unknown; NULL */
	struct probe_transcript	 transcript;	/* its own connection; empty for
						   the first variant's first,
						   in the result's */
};

#define PROBE_EHLO_MAX	4	/* EHLO, HELO; again over TLS */

/* What one probe of one target found. */
struct probe_result {
	char			*target;	/* as the user named it */
	int			 resolved;	/* address is set */
	char			 address[IPRANGE_ADDR_TEXT];
	uint16_t		 port;
	enum probe_mode		 mode;
	char			 source_address[IPRANGE_ADDR_TEXT]; /* or "" */
	char			 started[32];	/* UTC, util_timestamp */
	char			 finished[32];
	int			 completed;	/* the dialog ran to QUIT */
	char			*reason;	/* why not, or NULL */
	enum probe_verdict	 relay;		/* over all variants */
	char			*relay_reason;	/* when relay is unknown: which
						   variants were not decided
						   and why; else NULL */
	int			 banner_code;	/* 0: no greeting */
	char			*banner;	/* lines joined with '\n' */
	struct probe_ehlo	 ehlo[PROBE_EHLO_MAX];
	size_t			 nehlo;
	int			 tls_tried;	/* tls is meaningful */
	struct tls_facts	 tls;
	struct probe_relay_test	*tests;
	size_t			 ntests;
	struct probe_transcript	 transcript;	/* the first connection */
};

struct probe_smtp_options {
	const char	*helo;		/* NULL: "mxbpa.invalid" */
	const char	*from;		/* NULL: the analyzer's address */
	const char	*to;		/* NULL: the analyzer's address */
	enum probe_variants variants;
	unsigned	 timeout;	/* seconds per step; 0: default */
	unsigned	 concurrency;	/* targets at once; 0:
					   PROBE_CONCURRENCY_DEFAULT */
	unsigned	 per_host;	/* connections at once to one target;
					   0: half the variants, within
					   PROBE_PER_HOST_DEFAULT and
					   PROBE_PER_HOST_AUTO_MAX */
	const char *const *domains;	/* --domain: the organisation's
					   accepted domains, for the variants
					   that route through them.  Borrowed;
					   must outlive the run */
	size_t		 ndomains;
	unsigned	 deadline;	/* seconds for the whole run; 0: none.
					   Targets not reached by then end
					   "unknown", not probed */
	const char	*ca_file;	/* NULL: the system store */
	int		 tls_legacy;	/* try TLS 1.0 and 1.1 on their own */
	const uint16_t	*tls_ports;	/* TLS from the start; NULL: 465.
					   Borrowed; must outlive the run */
	size_t		 ntls_ports;
	int		 confirm;	/* after the first accepted RCPT, send
					   DATA and a message to "to" */
	/* Called after each target is done (for a progress display). */
	void		(*progress)(size_t done, size_t total, void *arg);
	void		*progress_arg;
};

/* The analyzer's address, for --from and --to (seed 000). */
#define PROBE_EXBPA_ADDRESS	"ExBPA-OpenRelayTest@Fabrikam.com"
#define PROBE_HELO_DEFAULT	"mxbpa.invalid"

/*
 * Check the options: --from and --to are mailboxes (local@domain,
 * printable, no spaces or angle brackets, at most PROBE_MAILBOX_MAX
 * bytes), --helo a host name or an address literal, --domain a domain
 * name, timeout, concurrency and per_host within bounds; a confirming message needs a --to of the
 * user's own (not the analyzer's fabrikam.com).  Returns 0, or -1 with
 * MX_ERR_USAGE.
 */
int	probe_smtp_check_options(const struct probe_smtp_options *,
	    struct mx_err *);

/*
 * Probe every target of the list: (*results)[i] describes targets->v[i];
 * a target whose name did not resolve gets status unknown with its error.
 * *ncontacted counts the dialogs that reached the network (a connection
 * attempt was made).  Returns 0 when probing ran, whatever the verdicts,
 * or -1 (nothing probed) with MX_ERR_USAGE (options), MX_ERR_INPUT
 * (--ca-file does not load) or MX_ERR_TLS.  Free with probe_results_free.
 */
int	probe_smtp_run(const struct probe_target_list *,
	    const struct probe_smtp_options *, struct probe_result **results,
	    size_t *ncontacted, struct mx_err *);

void	probe_results_free(struct probe_result *, size_t n);

/* Stable names: "accepted", "catch-all"...; "plain", "starttls"... */
const char *probe_verdict_name(enum probe_verdict);
const char *probe_mode_name(enum probe_mode);
const char *probe_dir_name(enum probe_dir);

#endif /* MXBPA_PROBE_SMTP_H */
