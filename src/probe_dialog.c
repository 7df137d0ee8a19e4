/*
 * probe_dialog.c - one SMTP probe dialog: the state machine, its I/O,
 * STARTTLS, the transcript and the deadlines (see probe_dialog.h and
 * docs/internals/probe-state-machine.md).
 *
 * Specifications: RFC 5321 (SMTP: greeting, EHLO/HELO, MAIL, RCPT, RSET,
 * QUIT, reply codes), RFC 3207 (STARTTLS: nothing sent before 220 may be
 * used after the handshake; EHLO again after it), RFC 8314 (TLS from the
 * start on 465), RFC 4954 (530 authentication required).
 *
 * One protocol, one enum, one names table and two functions: entering a
 * state (probe_set_state, the only writer of p->state) sends its command;
 * a reply (probe_dialog_on_reply) picks the next state.  A dialog tries
 * one relay variant: MAIL, RCPT, CONTROL (a second RCPT, to a random
 * absent local part at the same domain, after an accepted trick), RSET,
 * QUIT.  DATA and MESSAGE are entered only with the confirm option
 * (probe_set_state aborts otherwise), once per target, after an accepted
 * RCPT whose control, if any, was refused.
 *
 * SPDX-License-Identifier: ISC
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "bounds.h"
#include "err.h"
#include "iprange.h"
#include "log.h"
#include "probe_dialog.h"
#include "probe_relay.h"
#include "probe_smtp.h"
#include "probe_targets.h"
#include "smtp_reply.h"
#include "tls_inspect.h"
#include "util.h"

/* Room for one reply at its limit plus one line, so the parser decides. */
#define PROBE_INBUF_SIZE	(SMTP_REPLY_MAX + SMTP_LINE_MAX + 2)
#define PROBE_SMTPS_PORT	465	/* RFC 8314 3.3 */
#define PROBE_REASON_MAX	512

enum probe_state {
	PROBE_STATE_IDLE = 0,
	PROBE_STATE_CONNECT,
	PROBE_STATE_TLS,		/* handshake (after STARTTLS, or 465) */
	PROBE_STATE_BANNER,
	PROBE_STATE_EHLO,
	PROBE_STATE_HELO,
	PROBE_STATE_STARTTLS,
	PROBE_STATE_MAIL,
	PROBE_STATE_RCPT,
	PROBE_STATE_CONTROL,		/* RCPT to the control recipient */
	PROBE_STATE_DATA,		/* only with the confirm option */
	PROBE_STATE_MESSAGE,		/* its message and "." */
	PROBE_STATE_RSET,
	PROBE_STATE_QUIT,
	PROBE_STATE_DONE,
	PROBE_STATE_COUNT
};

static const char *const probe_state_name[PROBE_STATE_COUNT] = {
	[PROBE_STATE_IDLE] = "IDLE",
	[PROBE_STATE_CONNECT] = "CONNECT",
	[PROBE_STATE_TLS] = "TLS",
	[PROBE_STATE_BANNER] = "BANNER",
	[PROBE_STATE_EHLO] = "EHLO",
	[PROBE_STATE_HELO] = "HELO",
	[PROBE_STATE_STARTTLS] = "STARTTLS",
	[PROBE_STATE_MAIL] = "MAIL",
	[PROBE_STATE_RCPT] = "RCPT",
	[PROBE_STATE_CONTROL] = "CONTROL",
	[PROBE_STATE_DATA] = "DATA",
	[PROBE_STATE_MESSAGE] = "MESSAGE",
	[PROBE_STATE_RSET] = "RSET",
	[PROBE_STATE_QUIT] = "QUIT",
	[PROBE_STATE_DONE] = "DONE",
};


/* One dialog with one (address, port). */
struct probe {
	struct probe_run		*run;
	size_t				 index;	/* of the target and result */
	const struct probe_target	*t;
	struct probe_result		*res;
	/* not DEFAULT: a version check */
	enum tls_inspect_profile	 profile;
	enum probe_state		 state;
	char				 where[IPRANGE_ADDR_TEXT + 8];
	int				 fd;
	SSL				*ssl;
	short				 events;
	struct probe_mono		 step_start;
	struct probe_mono		 step_deadline;
	struct probe_mono		 deadline;	/* the whole target */
	char				 out[PROBE_MESSAGE_MAX];
	size_t				 outlen, outoff;
	char				*in;
	size_t				 inlen;
	size_t				 variant;	/* the one it tries */
	int				 first;		/* records the facts */
	struct probe_transcript		*tr;		/* where steps go */
	struct probe_relay_test		*test;		/* once at MAIL */
	int				 dropped;	/* closed, reset, 421 */
	char				 server[PROBE_HELO_MAX + 1];
	char				 literal[IPRANGE_ADDR_TEXT + 8];
	int				 starttls_offered;
	/* version check: -1, 0, 1 */
	int				 check_result;
	char				 check_note[PROBE_REASON_MAX];
};

static void	probe_set_state(struct probe *, enum probe_state);

/* --- time -------------------------------------------------------------- */

void
probe_dialog_fatalx(const char *what, int value)
{
	log_warnx(LOG_PROBE, "internal error: %s (%d)", what, value);
	abort();
}

struct probe_mono
probe_dialog_now(void)
{
	struct probe_mono m;
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		probe_dialog_fatalx("clock_gettime", errno);
	m.ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	return m;
}

static struct probe_mono
probe_mono_add(struct probe_mono m, int64_t ms)
{
	m.ms += ms;
	return m;
}

/* a - b in milliseconds. */
static int64_t
probe_mono_diff(struct probe_mono a, struct probe_mono b)
{
	return a.ms - b.ms;
}

static struct probe_mono
probe_mono_min(struct probe_mono a, struct probe_mono b)
{
	return a.ms <= b.ms ? a : b;
}

int
probe_dialog_valid_name(const char *s, size_t max)
{
	size_t n = 0;

	for (; *s != '\0'; s++, n++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '.' &&
		    *s != '_')
			return 0;
	return n > 0 && n <= max;
}

/* --- transcript ----------------------------------------------------------- */

/* Copy at most max bytes of s, marking a cut with "...". */
static char *
probe_dialog_bounded(const char *s, size_t max)
{
	size_t len = strlen(s);
	char *out;

	if (len <= max)
		return xstrdup(s);
	out = xmalloc(max + 1);
	memcpy(out, s, max - 3);
	memcpy(out + max - 3, "...", 4);
	return out;
}

/*
 * Record a step in the dialog's transcript: the result's for the first
 * dialog of a target (PROBE_TRANSCRIPT_MAX, PROBE_TRANSCRIPT_BYTES_MAX),
 * its variant's for the others (PROBE_VARIANT_STEPS_MAX,
 * PROBE_VARIANT_BYTES_MAX).
 */
static void
probe_record(struct probe *p, enum probe_dir dir, const char *text)
{
	struct probe_transcript *r = p->tr;
	struct probe_step *s;
	size_t maxsteps = p->tr == &p->res->transcript ?
	    PROBE_TRANSCRIPT_MAX : PROBE_VARIANT_STEPS_MAX;
	size_t maxbytes = p->tr == &p->res->transcript ?
	    PROBE_TRANSCRIPT_BYTES_MAX : PROBE_VARIANT_BYTES_MAX;
	const char *full = p->tr == &p->res->transcript ?
	    "transcript truncated (PROBE_TRANSCRIPT_MAX, "
	    "PROBE_TRANSCRIPT_BYTES_MAX)" : "transcript truncated "
	    "(PROBE_VARIANT_STEPS_MAX, PROBE_VARIANT_BYTES_MAX)";

	if (dir == PROBE_DIR_SEND)
		log_trace(LOG_PROBE, "%s: >>> %s", p->where, text);
	else if (dir == PROBE_DIR_RECV)
		log_trace(LOG_PROBE, "%s: <<< %s", p->where, text);
	else
		log_debug(LOG_PROBE, "%s: %s", p->where, text);
	if (p->profile != TLS_INSPECT_DEFAULT || r->truncated)
		return;
	if (r->nsteps + 1 >= maxsteps ||
	    r->bytes + strlen(text) > maxbytes) {
		r->truncated = 1;
		dir = PROBE_DIR_EVENT;
		text = full;
	}
	r->steps = xreallocarray(r->steps, r->nsteps + 1, sizeof(*r->steps));
	s = &r->steps[r->nsteps++];
	s->at_ms = (uint64_t)probe_mono_diff(probe_dialog_now(),
	    p->run->t0[p->index]);
	s->dir = dir;
	s->text = probe_dialog_bounded(text, PROBE_STEP_TEXT_MAX);
	r->bytes += strlen(s->text);
}

static void
probe_eventf(struct probe *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
probe_eventf(struct probe *p, const char *fmt, ...)
{
	char buf[PROBE_REASON_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	probe_record(p, PROBE_DIR_EVENT, buf);
}

/* A reply as it came: "250-first\n250 last", bounded. */
static void
probe_record_reply(struct probe *p, const struct smtp_reply *r)
{
	char buf[PROBE_STEP_TEXT_MAX + 1];
	size_t i, len = 0;
	int n;

	buf[0] = '\0';
	for (i = 0; i < r->nlines || i == 0; i++) {
		n = snprintf(buf + len, sizeof(buf) - len, "%s%03d%c%s",
		    i > 0 ? "\n" : "", r->code, i + 1 < r->nlines ? '-' : ' ',
		    i < r->nlines ? r->lines[i] : "");
		if (n < 0 || (size_t)n >= sizeof(buf) - len)
			break;
		len += (size_t)n;
	}
	if (i < r->nlines || len == sizeof(buf) - 1)
		memcpy(buf + sizeof(buf) - 4, "...", 4);
	probe_record(p, PROBE_DIR_RECV, buf);
}

/* The lines of a reply joined with '\n', bounded (caller frees). */
static char *
probe_reply_lines(const struct smtp_reply *r)
{
	char *out = xmalloc(PROBE_STEP_TEXT_MAX + 1);
	size_t i, len = 0, n;

	out[0] = '\0';
	for (i = 0; i < r->nlines; i++) {
		n = strlen(r->lines[i]) + (i > 0);
		if (len + n > PROBE_STEP_TEXT_MAX - 3) {
			memcpy(out + len, "...", 4);
			break;
		}
		snprintf(out + len, PROBE_STEP_TEXT_MAX + 1 - len, "%s%s",
		    i > 0 ? "\n" : "", r->lines[i]);
		len += n;
	}
	return out;
}

/* The reply's text on one line, short enough for a reason. */
static void
probe_reply_brief(const struct smtp_reply *r, char *out, size_t size)
{
	char *text = smtp_reply_text(r);

	snprintf(out, size, "%d %s", r->code, text != NULL ? text : "");
	if (strlen(out) > 200)
		memcpy(out + 197, "...", 4);
	free(text);
}

/* --- ending a dialog ------------------------------------------------------ */

/* The first reason stays (for a version check: a note, not the result's). */
static void
probe_reason(struct probe *p, const char *reason)
{
	struct probe_relay_test *t;

	if (p->profile != TLS_INSPECT_DEFAULT) {
		if (p->check_note[0] == '\0')
			util_strlcpy(p->check_note, reason,
			    sizeof(p->check_note));
		return;
	}
	/* Before MAIL, the first dialog speaks for the whole target. */
	if (p->test == NULL && p->first && p->res->reason == NULL)
		p->res->reason = xstrdup(reason);
	/* A decided variant keeps its verdict and reason. */
	t = &p->res->tests[p->variant];
	if (t->verdict == PROBE_VERDICT_UNKNOWN && t->reason == NULL)
		t->reason = xstrdup(reason);
}

static void
probe_end(struct probe *, enum probe_state, const char *, va_list)
    __attribute__((format(printf, 3, 0)));

/* Record why the dialog ends (log, reason, transcript) and go to next. */
static void
probe_end(struct probe *p, enum probe_state next, const char *fmt,
    va_list ap)
{
	char buf[PROBE_REASON_MAX];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	log_info(LOG_PROBE, "%s: %s", p->where, buf);
	probe_reason(p, buf);
	probe_record(p, PROBE_DIR_EVENT, buf);
	probe_set_state(p, next);
}

static void
probe_fail(struct probe *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Give up on this dialog now: record why, close. */
static void
probe_fail(struct probe *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	probe_end(p, PROBE_STATE_DONE, fmt, ap);
	va_end(ap);
}

static void
probe_stop(struct probe *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The dialog cannot go on, but the server is sane: record why, QUIT. */
static void
probe_stop(struct probe *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	probe_end(p, PROBE_STATE_QUIT, fmt, ap);
	va_end(ap);
}

/* --- I/O ------------------------------------------------------------------ */

/* Queue one command line; the loop writes it when the socket is ready. */
static void
probe_send(struct probe *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
probe_send(struct probe *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(p->out, PROBE_COMMAND_MAX - 2, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PROBE_COMMAND_MAX - 2)
		probe_dialog_fatalx("command over PROBE_COMMAND_MAX", n);
	probe_record(p, PROBE_DIR_SEND, p->out);
	memcpy(p->out + n, "\r\n", 2);
	p->outlen = (size_t)n + 2;
	p->outoff = 0;
	p->events = POLLOUT;
}

/*
 * Queue the confirming message (RFC 5322 headers, a short text, the "."
 * line).  No line starts with "." (RFC 5321 4.5.2): every one starts
 * with a header name or a letter.  The transcript keeps it whole.
 */
static void
probe_send_message(struct probe *p)
{
	const struct probe_run *run = p->run;
	const struct probe_result *res = p->res;
	char date[64], text[PROBE_MESSAGE_MAX];
	struct tm tm;
	time_t now = time(NULL);
	size_t i, o;
	int n;

	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000",
	    &tm) == 0)
		util_strlcpy(date, "Thu, 01 Jan 1970 00:00:00 +0000",
		    sizeof(date));
	n = snprintf(p->out, sizeof(p->out),
	    "From: <%s>\r\n"
	    "To: <%s>\r\n"
	    "Subject: mxbpa relay test through %s\r\n"
	    "Date: %s\r\n"
	    "Message-ID: <mxbpa.%lld.%zu@%s>\r\n"
	    "\r\n"
	    "The SMTP server %s relayed this message from %s\r\n"
	    "(MAIL FROM:<%s>, RCPT TO:<%s>, variant %s).\r\n"
	    "It was sent by mxbpa, an open relay test, at the request of\r\n"
	    "the person who named this mailbox with --confirm-relay.\r\n"
	    ".\r\n",
	    run->from, run->to, p->where, date, (long long)now, p->index,
	    run->helo[0] == '[' ? "mxbpa.invalid" : run->helo, p->where,
	    res->source_address[0] ? res->source_address : "an unknown address",
	    p->test->from, p->test->to, p->test->variant);
	if (n < 0 || (size_t)n >= sizeof(p->out))
		probe_dialog_fatalx("message over PROBE_MESSAGE_MAX", n);
	for (i = 0, o = 0; i < (size_t)n; i++)	/* lines end with LF */
		if (p->out[i] != '\r')
			text[o++] = p->out[i];
	text[o > 0 ? o - 1 : 0] = '\0';
	probe_record(p, PROBE_DIR_SEND, text);
	p->outlen = (size_t)n;
	p->outoff = 0;
	p->events = POLLOUT;
}

/*
 * Read what the peer sent.  Returns bytes read, 0 at end of stream, -2
 * when it would block (p->events says what to wait for), -1 with why.
 */
static ssize_t
probe_io_read(struct probe *p, char *buf, size_t len, char *why,
    size_t whylen)
{
	ssize_t n;
	int rc;

	if (p->ssl != NULL) {
		ERR_clear_error();
		rc = SSL_read(p->ssl, buf, len > INT_MAX ? INT_MAX : (int)len);
		if (rc > 0)
			return rc;
		switch (SSL_get_error(p->ssl, rc)) {
		case SSL_ERROR_WANT_READ:
			p->events = POLLIN;
			return -2;
		case SSL_ERROR_WANT_WRITE:
			p->events = POLLOUT;
			return -2;
		case SSL_ERROR_ZERO_RETURN:
			ERR_clear_error();
			return 0;
		default:
			tls_inspect_error(p->ssl, rc, why, whylen);
			return -1;
		}
	}
	n = recv(p->fd, buf, len, 0);
	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
		p->events = POLLIN;
		return -2;
	}
	snprintf(why, whylen, "%s", errno == ECONNRESET ?
	    "connection reset by the peer" : strerror(errno));
	return -1;
}

static ssize_t
probe_io_write(struct probe *p, const char *buf, size_t len, char *why,
    size_t whylen)
{
	ssize_t n;
	int rc;

	if (p->ssl != NULL) {
		ERR_clear_error();
		rc = SSL_write(p->ssl, buf, (int)len);
		if (rc > 0)
			return rc;
		switch (SSL_get_error(p->ssl, rc)) {
		case SSL_ERROR_WANT_READ:
			p->events = POLLIN;
			return -2;
		case SSL_ERROR_WANT_WRITE:
			p->events = POLLOUT;
			return -2;
		default:
			tls_inspect_error(p->ssl, rc, why, whylen);
			return -1;
		}
	}
	n = send(p->fd, buf, len, MSG_NOSIGNAL);
	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
		p->events = POLLOUT;
		return -2;
	}
	snprintf(why, whylen, "%s", errno == ECONNRESET || errno == EPIPE ?
	    "connection reset by the peer" : strerror(errno));
	return -1;
}

static void
probe_write(struct probe *p)
{
	char why[256];
	ssize_t n;

	while (p->outoff < p->outlen) {
		n = probe_io_write(p, p->out + p->outoff,
		    p->outlen - p->outoff, why, sizeof(why));
		if (n == -2)
			return;
		if (n < 0) {
			probe_fail(p, "%s in %s", why,
			    probe_state_name[p->state]);
			return;
		}
		p->outoff += (size_t)n;
	}
	p->outlen = p->outoff = 0;
	p->events = POLLIN;
}

/* --- the protocol --------------------------------------------------------- */

/*
 * Start the dialog's variant with MAIL (its addresses are built now: they
 * use the server's name from this dialog's EHLO answer).  A new attempt
 * forgets what the dropped one saw.  The first dialog, by reaching MAIL,
 * lets the target's other variants start.
 */
static void
probe_begin_test(struct probe *p)
{
	struct probe_run *run = p->run;
	struct probe_relay_names nm = { run->from, run->to, run->from_local,
	    run->to_local, run->to_domain, p->literal, p->server, run->absent,
	    run->o->domains, run->o->ndomains };
	struct probe_relay_test *t = &p->res->tests[p->variant];
	char from[PROBE_COMMAND_MAX], to[PROBE_COMMAND_MAX];
	char control[PROBE_COMMAND_MAX];

	if (probe_relay_expand(p->variant, &nm, from, to, control,
	    PROBE_COMMAND_MAX - 32) == -1)
		probe_dialog_fatalx("variant over PROBE_COMMAND_MAX", 0);
	free(t->from);
	free(t->to);
	free(t->control);
	t->from = xstrdup(from);
	t->to = xstrdup(to);
	t->control = control[0] != '\0' ? xstrdup(control) : NULL;
	t->mail_code = t->rcpt_code = t->control_code = 0;
	t->verdict = PROBE_VERDICT_UNKNOWN;
	p->test = t;
	if (p->first)
		run->ts[p->index].released = 1;
	probe_set_state(p, PROBE_STATE_MAIL);
}

/*
 * The verdict of a relay test from its deciding reply, and the reason:
 * the reply itself, said plainly for 530 (RFC 4954 6), and for a refused
 * sender, which leaves the recipient untried.
 */
static void
probe_judge(struct probe_relay_test *t, enum probe_verdict v, int code,
    const char *brief)
{
	char buf[PROBE_REASON_MAX];

	t->verdict = v;
	snprintf(buf, sizeof(buf), "%s%s%s", code == 530 ?
	    "authentication required: " : "", t->rcpt_code == 0 &&
	    code != 530 && v == PROBE_VERDICT_UNKNOWN ? "sender refused, "
	    "recipient not tried: " : "", brief);
	free(t->reason);
	t->reason = xstrdup(buf);
}

/* After the recipient (and its control): DATA when asked, else RSET. */
static void
probe_after_rcpt(struct probe *p)
{
	struct probe_target_state *ts = &p->run->ts[p->index];

	if (p->test->verdict == PROBE_VERDICT_ACCEPTED && p->run->o->confirm &&
	    !ts->confirm_sent && p->profile == TLS_INSPECT_DEFAULT)
		probe_set_state(p, PROBE_STATE_DATA);
	else
		probe_set_state(p, PROBE_STATE_RSET);
}

/* Does an EHLO answer list the STARTTLS keyword? */
static int
probe_offers_starttls(const struct smtp_reply *r)
{
	size_t i;

	for (i = 1; i < r->nlines; i++)
		if (strncasecmp(r->lines[i], "STARTTLS", 8) == 0 &&
		    (r->lines[i][8] == '\0' || r->lines[i][8] == ' '))
			return 1;
	return 0;
}

/* Record an EHLO/HELO answer and its keywords. */
static void
probe_record_ehlo(struct probe *p, const struct smtp_reply *r, int helo)
{
	struct probe_result *res = p->res;
	struct probe_ehlo *e;
	size_t i;

	if (p->ssl == NULL && r->code >= 200 && r->code < 300)
		p->starttls_offered = probe_offers_starttls(r);
	if (p->profile != TLS_INSPECT_DEFAULT || !p->first ||
	    res->nehlo == PROBE_EHLO_MAX)
		return;
	e = &res->ehlo[res->nehlo++];
	e->tls = p->ssl != NULL;
	e->helo = helo;
	e->code = r->code;
	if (r->code < 200 || r->code >= 300)
		return;
	for (i = 1; i < r->nlines && e->nkeywords < PROBE_KEYWORDS_MAX; i++) {
		const char *s = r->lines[i], *sp;
		struct probe_keyword *k;
		size_t len, j;

		while (*s == ' ')
			s++;
		len = strcspn(s, " ");
		if (len == 0 || len > 64)
			continue;
		e->keywords = xreallocarray(e->keywords, e->nkeywords + 1,
		    sizeof(*e->keywords));
		k = &e->keywords[e->nkeywords++];
		k->name = xmalloc(len + 1);
		for (j = 0; j < len; j++)
			k->name[j] = (char)toupper((unsigned char)s[j]);
		k->name[len] = '\0';
		for (sp = s + len; *sp == ' '; sp++)
			;
		k->value = *sp != '\0' ?
		    probe_dialog_bounded(sp, PROBE_STEP_TEXT_MAX) : NULL;
	}
}

/* The first word of a line, if it is a plain host name. */
static int
probe_first_name(const char *line, char *out, size_t size)
{
	size_t len = strcspn(line, " ");
	char word[PROBE_HELO_MAX + 1];

	if (len == 0 || len > PROBE_HELO_MAX || len >= size)
		return 0;
	memcpy(word, line, len);
	word[len] = '\0';
	if (!probe_dialog_valid_name(word, PROBE_HELO_MAX) ||
	    strchr(word, '.') == NULL)
		return 0;
	memcpy(out, word, len + 1);
	return 1;
}

/*
 * The server's own name for the variants that use it: its EHLO answer,
 * else its greeting (kept in p->server when it came), else the name
 * probed, else its address literal.
 */
static void
probe_server_name(struct probe *p, const struct smtp_reply *r)
{
	if (r->nlines > 0 && probe_first_name(r->lines[0], p->server,
	    sizeof(p->server)))
		return;
	if (p->server[0] != '\0')
		return;
	if (p->t->is_host && probe_dialog_valid_name(p->t->name,
	    PROBE_HELO_MAX)) {
		util_strlcpy(p->server, p->t->name, sizeof(p->server));
		return;
	}
	util_strlcpy(p->server, p->literal, sizeof(p->server));
}

/* After EHLO or HELO succeeded: STARTTLS, or the relay variants. */
static void
probe_after_ehlo(struct probe *p)
{
	int secure = p->ssl != NULL;

	if (!secure && p->starttls_offered) {
		probe_set_state(p, PROBE_STATE_STARTTLS);
		return;
	}
	if (p->profile != TLS_INSPECT_DEFAULT) {
		util_strlcpy(p->check_note, "STARTTLS not offered",
		    sizeof(p->check_note));
		probe_set_state(p, PROBE_STATE_QUIT);
		return;
	}
	probe_begin_test(p);
}

/* The first injected bytes, escaped, as evidence. */
static void
probe_record_injected(struct probe *p)
{
	char text[200];
	size_t i, o = 0;

	o = (size_t)snprintf(text, sizeof(text), "bytes after 220: ");
	for (i = 0; i < p->inlen && o + 5 < sizeof(text); i++) {
		unsigned char c = (unsigned char)p->in[i];

		if (c >= 0x20 && c < 0x7f)
			text[o++] = (char)c;
		else {
			snprintf(text + o, 5, "\\x%02x", c);
			o += 4;
		}
	}
	text[o] = '\0';
	probe_record(p, PROBE_DIR_EVENT, text);
}

/* Bytes that came after the 220 to STARTTLS, before any handshake. */
static size_t
probe_injected(struct probe *p, size_t pending)
{
	char peek[4096];
	ssize_t n;

	n = recv(p->fd, peek, sizeof(peek), MSG_PEEK | MSG_DONTWAIT);
	return pending + (n > 0 ? (size_t)n : 0);
}

/*
 * The transition function: a complete reply arrived in p->state;
 * pending bytes followed it.
 */
static void
probe_dialog_on_reply(struct probe *p, const struct smtp_reply *r,
    size_t pending)
{
	struct probe_relay_test *t = p->test;
	char brief[256];
	int c = r->code;

	probe_reply_brief(r, brief, sizeof(brief));
	if (c == 421 && p->state != PROBE_STATE_QUIT) {
		p->dropped = 1;
		probe_fail(p, "server closing the session in %s: %s",
		    probe_state_name[p->state], brief);
		return;
	}
	switch (p->state) {
	case PROBE_STATE_BANNER:
		if (p->profile == TLS_INSPECT_DEFAULT && p->first &&
		    p->res->banner == NULL) {
			p->res->banner_code = c;
			p->res->banner = probe_reply_lines(r);
		}
		if (r->nlines > 0)
			(void)probe_first_name(r->lines[0], p->server,
			    sizeof(p->server));
		if (c == 220)
			probe_set_state(p, PROBE_STATE_EHLO);
		else
			probe_stop(p, "no SMTP service: greeting %s", brief);
		break;
	case PROBE_STATE_EHLO:
		probe_record_ehlo(p, r, 0);
		if (c >= 200 && c < 300) {
			probe_server_name(p, r);
			probe_after_ehlo(p);
		} else if (c >= 500 && p->profile == TLS_INSPECT_DEFAULT)
			probe_set_state(p, PROBE_STATE_HELO);
		else
			probe_stop(p, "EHLO refused: %s", brief);
		break;
	case PROBE_STATE_HELO:
		probe_record_ehlo(p, r, 1);
		if (c >= 200 && c < 300) {
			probe_server_name(p, r);
			probe_begin_test(p);
		} else
			probe_stop(p, "EHLO and HELO refused: %s", brief);
		break;
	case PROBE_STATE_STARTTLS:
		if (c == 220) {
			size_t n = probe_injected(p, pending);

			/* RFC 3207 5; P7: never hand these bytes to TLS. */
			if (n > 0) {
				probe_record_injected(p);
				probe_fail(p, "STARTTLS injection: %zu "
				    "plaintext bytes after 220", n);
			} else
				probe_set_state(p, PROBE_STATE_TLS);
		} else if (pending > 0)
			probe_fail(p, "%zu unexpected bytes after the reply "
			    "to STARTTLS", pending);
		else if (p->profile != TLS_INSPECT_DEFAULT) {
			snprintf(p->check_note, sizeof(p->check_note),
			    "STARTTLS refused: %s", brief);
			probe_set_state(p, PROBE_STATE_QUIT);
		} else {
			probe_eventf(p, "STARTTLS refused (%s); going on "
			    "without TLS", brief);
			probe_begin_test(p);
		}
		break;
	case PROBE_STATE_MAIL:
		t->mail_code = c;
		if (c >= 200 && c < 300) {
			probe_set_state(p, PROBE_STATE_RCPT);
			break;
		}
		probe_judge(t, probe_relay_mail_verdict(p->variant, c), c,
		    brief);
		probe_set_state(p, PROBE_STATE_RSET);
		break;
	case PROBE_STATE_RCPT:
		t->rcpt_code = c;
		probe_judge(t, probe_relay_verdict(c), c, brief);
		if (t->verdict == PROBE_VERDICT_ACCEPTED)
			log_info(LOG_PROBE, "%s: RCPT accepted (%s): %s",
			    p->where, t->variant, brief);
		/* Believe a trick only when the control is refused. */
		if (t->verdict == PROBE_VERDICT_ACCEPTED && t->control != NULL)
			probe_set_state(p, PROBE_STATE_CONTROL);
		else
			probe_after_rcpt(p);
		break;
	case PROBE_STATE_CONTROL:
		t->control_code = c;
		if (c >= 200 && c < 300) {
			char buf[PROBE_REASON_MAX];

			t->verdict = PROBE_VERDICT_CATCH_ALL;
			snprintf(buf, sizeof(buf), "catch-all, not evidence of "
			    "relay: the control <%s> was accepted too (%s)",
			    t->control, brief);
			free(t->reason);
			t->reason = xstrdup(buf);
		}
		probe_after_rcpt(p);
		break;
	case PROBE_STATE_DATA:
		t->confirm_code = c;
		if (c == 354)
			probe_set_state(p, PROBE_STATE_MESSAGE);
		else
			probe_set_state(p, PROBE_STATE_RSET);
		break;
	case PROBE_STATE_MESSAGE:
		t->confirm_code = c;
		t->confirmed = c >= 200 && c < 300;
		if (t->confirmed)
			t->verdict = PROBE_VERDICT_DATA_ACCEPTED;
		log_info(LOG_PROBE, "%s: confirming message %s: %s", p->where,
		    t->confirmed ? "accepted" : "refused", brief);
		probe_set_state(p, PROBE_STATE_RSET);
		break;
	case PROBE_STATE_RSET:
		if (c >= 200 && c < 300)
			probe_set_state(p, PROBE_STATE_QUIT);
		else
			probe_stop(p, "RSET refused: %s", brief);
		break;
	case PROBE_STATE_QUIT:
		probe_set_state(p, PROBE_STATE_DONE);
		break;
	default:
		probe_dialog_fatalx("reply in a state without command", p->state);
	}
}

/* Read, and hand each complete reply to the transition function. */
static void
probe_read(struct probe *p)
{
	struct smtp_reply r;
	struct mx_err err;
	char why[256];
	size_t used, pending;
	ssize_t n;
	int rc;

	for (;;) {
		if (p->inlen == PROBE_INBUF_SIZE) {
			probe_fail(p, "reply in %s longer than %d bytes "
			    "(SMTP_REPLY_MAX)", probe_state_name[p->state],
			    SMTP_REPLY_MAX);
			return;
		}
		n = probe_io_read(p, p->in + p->inlen,
		    PROBE_INBUF_SIZE - p->inlen, why, sizeof(why));
		if (n == -2)
			return;
		if (n == 0 && p->state == PROBE_STATE_QUIT) {
			probe_set_state(p, PROBE_STATE_DONE);
			return;
		}
		if (n == 0) {
			p->dropped = 1;
			probe_fail(p, "connection closed by the peer in %s",
			    probe_state_name[p->state]);
			return;
		}
		if (n < 0) {
			p->dropped = 1;
			probe_fail(p, "%s in %s", why,
			    probe_state_name[p->state]);
			return;
		}
		p->inlen += (size_t)n;
		memset(&r, 0, sizeof(r));
		mx_err_init(&err);
		rc = smtp_reply_parse(p->in, p->inlen, &r, &used, &err,
		    p->where);
		if (rc == -1) {
			const char *msg = err.msg;

			if (strncmp(msg, "invalid reply: ", 15) == 0)
				msg += 15;
			probe_fail(p, "invalid reply in %s: %s",
			    probe_state_name[p->state], msg);
			return;
		}
		if (rc == 0)
			continue;
		if (used > p->inlen)
			probe_dialog_fatalx("reply parser overran", (int)used);
		probe_record_reply(p, &r);
		pending = p->inlen - used;
		if (p->ssl != NULL)
			pending += (size_t)SSL_pending(p->ssl);
		memmove(p->in, p->in + used, p->inlen - used);
		p->inlen -= used;
		if (pending > 0 && p->state != PROBE_STATE_STARTTLS &&
		    p->state != PROBE_STATE_QUIT) {
			probe_fail(p, "%zu unexpected bytes after the reply "
			    "in %s", pending, probe_state_name[p->state]);
			smtp_reply_free(&r);
			return;
		}
		probe_dialog_on_reply(p, &r, pending);
		smtp_reply_free(&r);
		return;
	}
}

/* --- connection and TLS --------------------------------------------------- */

static socklen_t
probe_sockaddr(const struct ip_addr *a, uint16_t port,
    struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == IPRANGE_V4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, a->bytes, 4);
		return sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, a->bytes, 16);
		return sizeof(*sin6);
	}
}

/* Does the target's port speak TLS from the start (465, or tls_ports)? */
static int
probe_implicit_tls(const struct probe *p)
{
	const struct probe_smtp_options *o = p->run->o;
	size_t i;

	if (o->tls_ports == NULL)
		return p->t->port == PROBE_SMTPS_PORT;
	for (i = 0; i < o->ntls_ports; i++)
		if (o->tls_ports[i] == p->t->port)
			return 1;
	return 0;
}

static const char *
probe_connect_error(int e)
{
	switch (e) {
	case ECONNREFUSED:
		return "connection refused";
	case ECONNRESET:
		return "connection reset by the peer";
	case EHOSTUNREACH:
		return "host unreachable";
	case ENETUNREACH:
		return "network unreachable";
	case ETIMEDOUT:
		return "connection timed out";
	default:
		return strerror(e);
	}
}

static void
probe_connected(struct probe *p)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct ip_addr a;

	memset(&a, 0, sizeof(a));
	if (getsockname(p->fd, (struct sockaddr *)&ss, &len) == 0 &&
	    p->profile == TLS_INSPECT_DEFAULT && p->first) {
		if (ss.ss_family == AF_INET) {
			a.family = IPRANGE_V4;
			memcpy(a.bytes, &((struct sockaddr_in *)&ss)->sin_addr,
			    4);
		} else if (ss.ss_family == AF_INET6) {
			a.family = IPRANGE_V6;
			memcpy(a.bytes, &((struct sockaddr_in6 *)&ss)->
			    sin6_addr, 16);
		}
		if (a.family != 0)
			iprange_addr_format(&a, p->res->source_address);
	}
	probe_eventf(p, "connected from %s", p->res->source_address[0] ?
	    p->res->source_address : "an unknown address");
	if (probe_implicit_tls(p))
		probe_set_state(p, PROBE_STATE_TLS);
	else
		probe_set_state(p, PROBE_STATE_BANNER);
}

static void
probe_connect(struct probe *p)
{
	struct sockaddr_storage ss;
	socklen_t len = probe_sockaddr(&p->t->addr, p->t->port, &ss);

	p->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (p->fd == -1) {
		probe_fail(p, "cannot create a socket: %s", strerror(errno));
		return;
	}
	if (p->profile == TLS_INSPECT_DEFAULT && p->first)
		p->run->contacted++;
	if (connect(p->fd, (struct sockaddr *)&ss, len) == 0) {
		probe_connected(p);
		return;
	}
	if (errno != EINPROGRESS) {
		probe_fail(p, "%s", probe_connect_error(errno));
		return;
	}
	p->events = POLLOUT;
}

static void
probe_connect_done(struct probe *p)
{
	socklen_t len = sizeof(int);
	int e = 0;

	if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &e, &len) == -1)
		e = errno;
	if (e == EINPROGRESS || e == EALREADY)
		return;
	if (e != 0) {
		probe_fail(p, "%s", probe_connect_error(e));
		return;
	}
	probe_connected(p);
}

static void
probe_tls_begin(struct probe *p)
{
	struct mx_err err;
	SSL_CTX *ctx = p->run->ctx[p->profile];

	mx_err_init(&err);
	if (p->profile == TLS_INSPECT_DEFAULT && p->first)
		p->res->tls_tried = 1;
	ERR_clear_error();
	if (ctx == NULL || (p->ssl = SSL_new(ctx)) == NULL ||
	    SSL_set_fd(p->ssl, p->fd) != 1 ||
	    tls_inspect_prepare(p->ssl, p->t->name, p->t->is_host,
	    &err) == -1) {
		ERR_clear_error();
		probe_fail(p, "cannot start TLS");
		return;
	}
	SSL_set_connect_state(p->ssl);
	p->events = POLLOUT;
}

static void
probe_tls_step(struct probe *p)
{
	struct probe_result *res = p->res;
	char why[256];
	int rc, local;

	ERR_clear_error();
	rc = SSL_do_handshake(p->ssl);
	if (rc == 1) {
		if (p->profile != TLS_INSPECT_DEFAULT) {
			p->check_result = 1;
			snprintf(p->check_note, sizeof(p->check_note),
			    "accepted (%s)", SSL_get_cipher_name(p->ssl) ?
			    SSL_get_cipher_name(p->ssl) : "");
			probe_set_state(p, PROBE_STATE_DONE);
			return;
		}
		if (p->first) {
			tls_inspect_facts(p->ssl, p->t->name, p->t->is_host,
			    res->resolved ? res->address : NULL, &res->tls);
			res->mode = probe_implicit_tls(p) ?
			    PROBE_MODE_IMPLICIT_TLS : PROBE_MODE_STARTTLS;
		}
		probe_eventf(p, "TLS handshake done: %s %s",
		    SSL_get_version(p->ssl), SSL_get_cipher_name(p->ssl) ?
		    SSL_get_cipher_name(p->ssl) : "");
		probe_set_state(p, probe_implicit_tls(p) ? PROBE_STATE_BANNER :
		    PROBE_STATE_EHLO);
		return;
	}
	switch (SSL_get_error(p->ssl, rc)) {
	case SSL_ERROR_WANT_READ:
		p->events = POLLIN;
		return;
	case SSL_ERROR_WANT_WRITE:
		p->events = POLLOUT;
		return;
	default:
		break;
	}
	local = tls_inspect_error(p->ssl, rc, why, sizeof(why));
	if (p->profile != TLS_INSPECT_DEFAULT) {
		p->check_result = local ? -1 : 0;
		snprintf(p->check_note, sizeof(p->check_note), "%s (%s)",
		    local ? "could not be offered by this OpenSSL" :
		    "refused", why);
		probe_set_state(p, PROBE_STATE_DONE);
		return;
	}
	if (p->first && res->tls.error == NULL)
		res->tls.error = xstrdup(why);
	probe_fail(p, "TLS handshake failed: %s", why);
}

/*
 * Close the connection.  No TLS close_notify: after QUIT the server
 * closes anyway, and after a failure OpenSSL must not be asked to.
 */
static void
probe_close(struct probe *p)
{
	if (p->ssl != NULL) {
		SSL_free(p->ssl);
		ERR_clear_error();
		p->ssl = NULL;
	}
	if (p->fd != -1) {
		close(p->fd);
		p->fd = -1;
	}
	p->events = 0;
}

/*
 * The only writer of p->state.  Entering a state starts its step: a new
 * deadline, and the command (or connection, or handshake) of that state.
 */
static void
probe_set_state(struct probe *p, enum probe_state next)
{
	struct probe_mono now = probe_dialog_now();

	if ((int)next < 0 || next >= PROBE_STATE_COUNT)
		probe_dialog_fatalx("impossible state", next);
	if (p->state == PROBE_STATE_DONE)
		probe_dialog_fatalx("state change after DONE", next);
	log_trace(LOG_PROBE, "%s: %s -> %s", p->where,
	    probe_state_name[p->state], probe_state_name[next]);
	p->state = next;
	p->step_start = now;
	p->step_deadline = probe_mono_min(probe_mono_add(now,
	    p->run->step_ms), p->deadline);
	switch (next) {
	case PROBE_STATE_CONNECT:
		probe_connect(p);
		break;
	case PROBE_STATE_TLS:
		probe_tls_begin(p);
		break;
	case PROBE_STATE_BANNER:
		p->events = POLLIN;
		break;
	case PROBE_STATE_EHLO:
		probe_send(p, "EHLO %s", p->run->helo);
		break;
	case PROBE_STATE_HELO:
		probe_send(p, "HELO %s", p->run->helo);
		break;
	case PROBE_STATE_STARTTLS:
		probe_send(p, "STARTTLS");
		break;
	case PROBE_STATE_MAIL:
		probe_send(p, "MAIL FROM:<%s>", p->test->from);
		break;
	case PROBE_STATE_RCPT:
		probe_send(p, "RCPT TO:<%s>", p->test->to);
		break;
	case PROBE_STATE_CONTROL:
		probe_send(p, "RCPT TO:<%s>", p->test->control);
		break;
	case PROBE_STATE_DATA:
		/* The one way to DATA: the user asked, with a --to. */
		if (!p->run->o->confirm || p->run->ts[p->index].confirm_sent)
			probe_dialog_fatalx("DATA without --confirm-relay",
			    next);
		p->run->ts[p->index].confirm_sent = 1;
		p->test->confirm_tried = 1;
		probe_send(p, "DATA");
		break;
	case PROBE_STATE_MESSAGE:
		probe_send_message(p);
		break;
	case PROBE_STATE_RSET:
		probe_send(p, "RSET");
		break;
	case PROBE_STATE_QUIT:
		probe_send(p, "QUIT");
		break;
	case PROBE_STATE_DONE:
		probe_close(p);
		break;
	default:
		probe_dialog_fatalx("state without an entry", next);
	}
}

/* --- the calls of the loop ---------------------------------------------- */

void
probe_dialog_io(struct probe *p)
{
	switch (p->state) {
	case PROBE_STATE_CONNECT:
		probe_connect_done(p);
		break;
	case PROBE_STATE_TLS:
		probe_tls_step(p);
		break;
	case PROBE_STATE_BANNER:
	case PROBE_STATE_EHLO:
	case PROBE_STATE_HELO:
	case PROBE_STATE_STARTTLS:
	case PROBE_STATE_MAIL:
	case PROBE_STATE_RCPT:
	case PROBE_STATE_CONTROL:
	case PROBE_STATE_DATA:
	case PROBE_STATE_MESSAGE:
	case PROBE_STATE_RSET:
	case PROBE_STATE_QUIT:
		if (p->outoff < p->outlen)
			probe_write(p);
		else
			probe_read(p);
		break;
	default:
		probe_dialog_fatalx("I/O in a state without I/O", p->state);
	}
}

/* "N s", or "N ms" under a second. */
static void
probe_duration(int64_t ms, char *out, size_t size)
{
	if (ms < 1000)
		snprintf(out, size, "%lld ms", (long long)(ms < 0 ? 0 : ms));
	else
		snprintf(out, size, "%lld s", (long long)(ms + 500) / 1000);
}

void
probe_dialog_check_deadline(struct probe *p, struct probe_mono now)
{
	char spent[32];

	if (p->state == PROBE_STATE_DONE ||
	    probe_mono_diff(now, p->step_deadline) < 0)
		return;
	probe_duration(probe_mono_diff(now, p->step_start), spent,
	    sizeof(spent));
	if (p->run->end.ms != 0 && p->step_deadline.ms == p->run->end.ms)
		probe_fail(p, "timeout in %s after %s (the --deadline of %u s "
		    "for all the probes passed)", probe_state_name[p->state],
		    spent, p->run->o->deadline);
	else if (p->deadline.ms < p->step_start.ms + p->run->step_ms)
		probe_fail(p, "timeout in %s after %s (limit of %lld s for "
		    "the whole target)", probe_state_name[p->state], spent,
		    (long long)p->run->target_ms / 1000);
	else
		probe_fail(p, "timeout in %s after %s",
		    probe_state_name[p->state], spent);
}

struct probe *
probe_dialog_new(struct probe_run *run, size_t index,
    enum tls_inspect_profile profile, size_t variant, int first)
{
	struct probe *p = xcalloc(1, sizeof(*p));
	const struct probe_target *t = &run->targets->v[index];
	char addr[IPRANGE_ADDR_TEXT];
	struct probe_mono now = probe_dialog_now();

	p->run = run;
	p->index = index;
	p->t = t;
	p->res = &run->results[index];
	p->profile = profile;
	p->variant = variant;
	p->first = first && profile == TLS_INSPECT_DEFAULT;
	p->tr = p->first ? &p->res->transcript :
	    &p->res->tests[variant].transcript;
	p->state = PROBE_STATE_IDLE;
	p->fd = -1;
	p->in = xmalloc(PROBE_INBUF_SIZE);
	p->check_result = -1;
	iprange_addr_format(&t->addr, addr);
	snprintf(p->where, sizeof(p->where), t->addr.family == IPRANGE_V6 ?
	    "[%s]:%u" : "%s:%u", addr, (unsigned)t->port);
	snprintf(p->literal, sizeof(p->literal), t->addr.family ==
	    IPRANGE_V6 ? "[IPv6:%s]" : "[%s]", addr);
	if (p->first) {
		run->t0[index] = now;
		util_clock_timestamp(p->res->started);
		log_info(LOG_PROBE, "%s: probing (%s)", p->where, t->name);
	}
	if (profile == TLS_INSPECT_DEFAULT) {
		struct probe_relay_test *rt = &p->res->tests[variant];

		rt->tried = 1;
		if (rt->attempts++ > 0)
			probe_eventf(p, "%s: attempt %u on a new connection, "
			    "the last one ended early (%s)", rt->variant,
			    rt->attempts, rt->reason != NULL ? rt->reason :
			    "no reason");
		free(rt->reason);
		rt->reason = NULL;
	}
	/* The variants share the deadline of the whole target. */
	p->deadline = probe_mono_add(profile == TLS_INSPECT_DEFAULT ?
	    run->t0[index] : now, run->target_ms);
	if (run->end.ms != 0)
		p->deadline = probe_mono_min(p->deadline, run->end);
	return p;
}

void
probe_dialog_free(struct probe *p)
{
	if (p == NULL)
		return;
	probe_close(p);
	free(p->in);
	free(p);
}

void
probe_dialog_start(struct probe *p)
{
	probe_set_state(p, PROBE_STATE_CONNECT);
}

int
probe_dialog_done(const struct probe *p)
{
	return p->state == PROBE_STATE_DONE;
}

int
probe_dialog_fd(const struct probe *p)
{
	return p->fd;
}

short
probe_dialog_events(const struct probe *p)
{
	return p->events;
}

size_t
probe_dialog_index(const struct probe *p)
{
	return p->index;
}

size_t
probe_dialog_variant(const struct probe *p)
{
	return p->variant;
}

int
probe_dialog_first(const struct probe *p)
{
	return p->first;
}

int64_t
probe_dialog_wait_ms(const struct probe *p, struct probe_mono now)
{
	int64_t left = probe_mono_diff(p->step_deadline, now);

	return left < 0 ? 0 : left;
}

int
probe_dialog_end(struct probe *p)
{
	struct probe_result *res = p->res;
	struct probe_relay_test *t;
	struct tls_legacy *l;
	const char *name;

	if (p->profile != TLS_INSPECT_DEFAULT) {
		name = tls_inspect_profile_name(p->profile);
		p->profile = TLS_INSPECT_DEFAULT; /* record in the result */
		p->tr = &res->transcript;
		probe_eventf(p, "%s on a separate connection: %s", name,
		    p->check_note[0] ? p->check_note : "undetermined");
		if (p->check_result >= 0 && res->tls.nlegacy < 2) {
			l = &res->tls.legacy[res->tls.nlegacy++];
			l->name = name;
			l->accepted = p->check_result;
		}
		return 0;
	}
	t = &res->tests[p->variant];
	if (t->verdict == PROBE_VERDICT_UNKNOWN && p->dropped &&
	    t->attempts < PROBE_VARIANT_ATTEMPTS &&
	    (!p->first || p->test != NULL))
		return 2;
	return 1;
}
