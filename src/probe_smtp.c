/*
 * probe_smtp.c - live SMTP probes: the options, the poll(2) loop that
 * runs many dialogs at once under a concurrency limit, and the results
 * (see probe_smtp.h and docs/internals/probe-state-machine.md).  One
 * dialog is probe_dialog.c; its relay variants and verdicts are
 * probe_relay.c.
 *
 * Specifications: RFC 5321 4.1.2 (mailbox syntax, as far as we put one on
 * the wire), RFC 8314 (TLS from the start on 465).
 *
 * SPDX-License-Identifier: ISC
 */
#include <sys/types.h>
#include <sys/random.h>
#include <sys/resource.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>

#include "bounds.h"
#include "err.h"
#include "iprange.h"
#include "log.h"
#include "probe_dialog.h"
#include "probe_relay.h"
#include "probe_smtp.h"
#include "probe_targets.h"
#include "tls_inspect.h"
#include "util.h"

#define PROBE_FD_RESERVE	32	/* descriptors kept for the rest */

static const char *const probe_verdict_names[PROBE_VERDICT_COUNT] = {
	[PROBE_VERDICT_ACCEPTED] = "accepted",
	[PROBE_VERDICT_REFUSED] = "refused",
	[PROBE_VERDICT_TEMP_REFUSED] = "temp-refused",
	[PROBE_VERDICT_UNKNOWN] = "unknown",
	[PROBE_VERDICT_CATCH_ALL] = "catch-all",
	[PROBE_VERDICT_DATA_ACCEPTED] = "data-accepted",
};

static const char *const probe_mode_names[PROBE_MODE_COUNT] = {
	[PROBE_MODE_PLAIN] = "plain",
	[PROBE_MODE_STARTTLS] = "starttls",
	[PROBE_MODE_IMPLICIT_TLS] = "implicit-tls",
};

static const char *const probe_dir_names[PROBE_DIR_COUNT] = {
	[PROBE_DIR_SEND] = "send",
	[PROBE_DIR_RECV] = "recv",
	[PROBE_DIR_EVENT] = "event",
};

/* --- names, time -------------------------------------------------------- */

const char *
probe_verdict_name(enum probe_verdict v)
{
	if ((int)v < 0 || v >= PROBE_VERDICT_COUNT)
		return "unknown";
	return probe_verdict_names[v];
}

const char *
probe_mode_name(enum probe_mode m)
{
	if ((int)m < 0 || m >= PROBE_MODE_COUNT)
		return "plain";
	return probe_mode_names[m];
}

const char *
probe_dir_name(enum probe_dir d)
{
	if ((int)d < 0 || d >= PROBE_DIR_COUNT)
		return "event";
	return probe_dir_names[d];
}

/* --- options -------------------------------------------------------------- */

/* A mailbox we are willing to put on the wire: local@domain, printable. */
static int
probe_smtp_valid_mailbox(const char *s)
{
	const char *at = strrchr(s, '@'), *p;

	if (at == NULL || at == s || at[1] == '\0' ||
	    strlen(s) > PROBE_MAILBOX_MAX)
		return 0;
	for (p = s; *p != '\0'; p++)
		if (*p <= ' ' || *p > '~' || *p == '<' || *p == '>')
			return 0;
	return 1;
}

/* Letters, digits, '-', '.', '_': safe inside a command. */
static int
probe_smtp_valid_helo(const char *s)
{
	size_t len = strlen(s);
	const char *p;

	if (len > 2 && s[0] == '[' && s[len - 1] == ']' &&
	    len <= PROBE_HELO_MAX) {
		for (p = s + 1; p < s + len - 1; p++)
			if (!isalnum((unsigned char)*p) && *p != '.' &&
			    *p != ':')
				return 0;
		return 1;
	}
	return probe_dialog_valid_name(s, PROBE_HELO_MAX);
}

int
probe_smtp_check_options(const struct probe_smtp_options *o,
    struct mx_err *err)
{
	size_t i;

	if (o->ndomains > PROBE_DOMAINS_MAX)
		return mx_err_set(err, MX_ERR_USAGE, "--domain", "at most %d "
		    "domains (PROBE_DOMAINS_MAX)", PROBE_DOMAINS_MAX);
	for (i = 0; i < o->ndomains; i++)
		if (!probe_dialog_valid_name(o->domains[i], PROBE_HELO_MAX) ||
		    strchr(o->domains[i], '.') == NULL)
			return mx_err_set(err, MX_ERR_USAGE, "--domain",
			    "\"%s\" is not a domain name", o->domains[i]);
	if (o->per_host > PROBE_PER_HOST_MAX)
		return mx_err_set(err, MX_ERR_USAGE, "--per-host", "at most "
		    "%d connections to one target (PROBE_PER_HOST_MAX)",
		    PROBE_PER_HOST_MAX);
	if (o->from != NULL && !probe_smtp_valid_mailbox(o->from))
		return mx_err_set(err, MX_ERR_USAGE, "--from", "\"%s\" is not "
		    "a mailbox (local@domain, printable, at most %d bytes)",
		    o->from, PROBE_MAILBOX_MAX);
	if (o->to != NULL && !probe_smtp_valid_mailbox(o->to))
		return mx_err_set(err, MX_ERR_USAGE, "--to", "\"%s\" is not "
		    "a mailbox (local@domain, printable, at most %d bytes)",
		    o->to, PROBE_MAILBOX_MAX);
	if (o->helo != NULL && !probe_smtp_valid_helo(o->helo))
		return mx_err_set(err, MX_ERR_USAGE, "--helo", "\"%s\" is not "
		    "a host name or an address literal", o->helo);
	if (o->timeout > PROBE_TIMEOUT_MAX)
		return mx_err_set(err, MX_ERR_USAGE, "--timeout", "at most %d "
		    "seconds (PROBE_TIMEOUT_MAX)", PROBE_TIMEOUT_MAX);
	if (o->deadline > PROBE_DEADLINE_MAX)
		return mx_err_set(err, MX_ERR_USAGE, "--deadline", "at most %d "
		    "seconds (PROBE_DEADLINE_MAX)", PROBE_DEADLINE_MAX);
	if (o->concurrency > PROBE_CONCURRENCY_MAX)
		return mx_err_set(err, MX_ERR_USAGE, "--concurrency", "at most "
		    "%d dialogs at once (PROBE_CONCURRENCY_MAX)",
		    PROBE_CONCURRENCY_MAX);
	if (o->confirm && (o->to == NULL || strcasecmp(strrchr(o->to, '@'),
	    "@fabrikam.com") == 0))
		return mx_err_set(err, MX_ERR_USAGE, "--confirm-relay",
		    "needs --to ADDR, a mailbox of your own: the confirming "
		    "message is really sent");
	if ((int)o->variants < 0 || o->variants >= PROBE_VARIANTS_COUNT)
		return mx_err_set(err, MX_ERR_USAGE, "--variants",
		    "expected exbpa or all");
	return 0;
}

/* --- the loop ------------------------------------------------------------- */

/* Queue variant v of target index for a connection of its own. */
static void
probe_enqueue(struct probe_run *run, size_t index, size_t v)
{
	struct probe_target_state *ts = &run->ts[index];

	if (ts->queue == NULL)
		ts->queue = xcalloc(run->nvariants * PROBE_VARIANT_ATTEMPTS + 1,
		    sizeof(*ts->queue));
	if (ts->nqueue == run->nvariants * PROBE_VARIANT_ATTEMPTS + 1)
		probe_dialog_fatalx("variant queue full", (int)v);
	ts->queue[ts->nqueue++] = v;
}

/* Once the first dialog reached MAIL: queue the other variants. */
static void
probe_release(struct probe_run *run, size_t index)
{
	struct probe_target_state *ts = &run->ts[index];
	size_t v;

	if (!ts->released || ts->queued)
		return;
	ts->queued = 1;
	for (v = 1; v < run->nvariants; v++)
		probe_enqueue(run, index, v);
}

/* A variant that will not be tried: say why. */
static void
probe_untried(struct probe_relay_test *t, const char *why)
{
	char buf[600];

	if (t->tried || t->reason != NULL)
		return;
	snprintf(buf, sizeof(buf), "not tried: %s", why);
	t->reason = xstrdup(buf);
}

/* Queue the version checks of a target whose handshake worked. */
static void
probe_queue_checks(struct probe_run *run, size_t index)
{
	enum tls_inspect_profile profile;

	for (profile = TLS_INSPECT_TLS1_0; profile < TLS_INSPECT_PROFILE_COUNT;
	    profile++) {
		if (run->ctx[profile] == NULL)
			continue;
		run->pending = xreallocarray(run->pending, run->npending + 1,
		    sizeof(*run->pending));
		run->pending[run->npending].index = index;
		run->pending[run->npending].profile = profile;
		run->npending++;
	}
}

/*
 * Every dialog of a target ended: its verdict over the variants, and
 * why it is unknown; then its TLS version checks, if asked for.
 */
static void
probe_target_end(struct probe_run *run, size_t index, const char *why)
{
	struct probe_target_state *ts = &run->ts[index];
	struct probe_result *res = &run->results[index];
	size_t i, undecided = 0;

	ts->finished = 1;
	free(ts->queue);
	ts->queue = NULL;
	ts->nqueue = 0;
	for (i = 0; i < res->ntests; i++) {
		probe_untried(&res->tests[i], res->reason != NULL ?
		    res->reason : why);
		if (res->tests[i].verdict == PROBE_VERDICT_UNKNOWN)
			undecided++;
	}
	util_clock_timestamp(res->finished);
	res->relay = probe_relay_overall(res, &res->relay_reason);
	res->completed = res->reason == NULL && undecided == 0;
	if (res->reason == NULL && res->relay_reason != NULL)
		res->reason = xstrdup(res->relay_reason);
	log_info(LOG_PROBE, "%s: %s, relay %s%s%s", res->target,
	    res->completed ? "completed" : "unknown",
	    probe_verdict_name(res->relay), res->reason ? ": " : "",
	    res->reason ? res->reason : "");
	if (run->o->tls_legacy && res->tls_tried && res->tls.version[0] &&
	    run->ctx[TLS_INSPECT_TLS1_0] != NULL)
		probe_queue_checks(run, index);
	run->done++;
	if (run->o->progress != NULL)
		run->o->progress(run->done, run->targets->n,
		    run->o->progress_arg);
}

/* Has every dialog of the target ended, none waiting? */
static int
probe_target_over(const struct probe_run *run, size_t index)
{
	const struct probe_target_state *ts = &run->ts[index];

	return !ts->finished && ts->main_done && ts->active == 0 &&
	    ts->nqueue == 0;
}

/* A dialog ended: record it, retry its variant, or end its target. */
static void
probe_finish(struct probe_run *run, struct probe *p)
{
	size_t index = probe_dialog_index(p);
	struct probe_target_state *ts = &run->ts[index];
	int rc;

	ts->active--;
	rc = probe_dialog_end(p);
	if (rc == 0)
		return;
	if (probe_dialog_first(p))
		ts->main_done = 1;
	probe_release(run, index);
	if (rc == 2)
		probe_enqueue(run, index, probe_dialog_variant(p));
	if (probe_target_over(run, index))
		probe_target_end(run, index, "the first connection ended "
		    "before MAIL");
}

/*
 * How many connections at once: targets at once times connections per
 * target, within the descriptor limit (per_host shrinks to fit).
 */
static size_t
probe_concurrency(struct probe_run *run, size_t *conc)
{
	const struct probe_smtp_options *o = run->o;
	size_t want;
	struct rlimit rl;

	*conc = o->concurrency != 0 ? o->concurrency :
	    PROBE_CONCURRENCY_DEFAULT;
	want = *conc * run->per_host;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur !=
	    RLIM_INFINITY && rl.rlim_cur < want + PROBE_FD_RESERVE) {
		size_t can = rl.rlim_cur > PROBE_FD_RESERVE + 1 ?
		    (size_t)rl.rlim_cur - PROBE_FD_RESERVE : 1;

		log_warnx(LOG_PROBE, "%zu connections at once at most (open "
		    "file limit %llu)", can, (unsigned long long)rl.rlim_cur);
		want = can;
		if (run->per_host > want)
			run->per_host = want;
	}
	return want;
}

/* The random local part of the control recipients of this run. */
static void
probe_absent(char *out, size_t size)
{
	unsigned char r[8];
	size_t i, len;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		probe_dialog_fatalx("no random bytes", errno);
	len = (size_t)snprintf(out, size, "mxbpa-absent-");
	for (i = 0; i < sizeof(r) && len + 3 <= size; i++)
		len += (size_t)snprintf(out + len, size - len, "%02x", r[i]);
}

static int
probe_run_setup(struct probe_run *run, const struct probe_target_list *l,
    const struct probe_smtp_options *o, struct mx_err *err)
{
	const char *at;
	unsigned timeout = o->timeout != 0 ? o->timeout :
	    PROBE_TIMEOUT_DEFAULT;
	size_t i;

	memset(run, 0, sizeof(*run));
	run->o = o;
	run->targets = l;
	run->helo = o->helo != NULL ? o->helo : PROBE_HELO_DEFAULT;
	run->from = o->from != NULL ? o->from : PROBE_EXBPA_ADDRESS;
	run->to = o->to != NULL ? o->to : PROBE_EXBPA_ADDRESS;
	at = strrchr(run->from, '@');
	memcpy(run->from_local, run->from, (size_t)(at - run->from));
	at = strrchr(run->to, '@');
	memcpy(run->to_local, run->to, (size_t)(at - run->to));
	util_strlcpy(run->to_domain, at + 1, sizeof(run->to_domain));
	run->nvariants = probe_relay_count(o->variants, o->ndomains);
	/*
	 * By default, two rounds of connections for all the variants, so
	 * that a tarpit's delays add up twice, not more; within what
	 * Exchange accepts from one source.
	 */
	run->per_host = o->per_host != 0 ? o->per_host :
	    (run->nvariants + 1) / 2;
	if (o->per_host == 0 && run->per_host < PROBE_PER_HOST_DEFAULT)
		run->per_host = PROBE_PER_HOST_DEFAULT;
	if (o->per_host == 0 && run->per_host > PROBE_PER_HOST_AUTO_MAX)
		run->per_host = PROBE_PER_HOST_AUTO_MAX;
	probe_absent(run->absent, sizeof(run->absent));
	run->step_ms = (int64_t)timeout * 1000;
	/* Connect, greeting, EHLO, STARTTLS, TLS, EHLO, then per variant. */
	run->target_ms = run->step_ms * (int64_t)(5 + run->nvariants);
	if (o->deadline != 0)
		run->end.ms = probe_dialog_now().ms +
		    (int64_t)o->deadline * 1000;
	if ((run->ctx[TLS_INSPECT_DEFAULT] = tls_inspect_ctx(
	    TLS_INSPECT_DEFAULT, o->ca_file, err)) == NULL)
		return -1;
	for (i = TLS_INSPECT_TLS1_0; o->tls_legacy &&
	    i < TLS_INSPECT_PROFILE_COUNT; i++) {
		struct mx_err scratch;

		mx_err_init(&scratch);
		run->ctx[i] = tls_inspect_ctx(i, o->ca_file, &scratch);
		if (run->ctx[i] == NULL) {
			log_warnx(LOG_PROBE, "--tls-legacy: %s", scratch.msg);
			break;
		}
	}
	run->results = xcalloc(l->n > 0 ? l->n : 1, sizeof(*run->results));
	run->t0 = xcalloc(l->n > 0 ? l->n : 1, sizeof(*run->t0));
	run->ts = xcalloc(l->n > 0 ? l->n : 1, sizeof(*run->ts));
	for (i = 0; i < l->n; i++) {
		struct probe_result *r = &run->results[i];
		const struct probe_target *t = &l->v[i];
		struct probe_relay_names nm;
		size_t v;

		memset(&nm, 0, sizeof(nm));
		nm.domains = o->domains;
		nm.ndomains = o->ndomains;
		r->tests = xcalloc(run->nvariants, sizeof(*r->tests));
		r->ntests = run->nvariants;
		for (v = 0; v < run->nvariants; v++) {
			r->tests[v].variant = probe_relay_name(v);
			r->tests[v].domain = probe_relay_domain(v, &nm);
			r->tests[v].verdict = PROBE_VERDICT_UNKNOWN;
		}
		r->target = xstrdup(t->name);
		r->port = t->port;
		r->resolved = t->resolved;
		r->relay = PROBE_VERDICT_UNKNOWN;
		r->mode = PROBE_MODE_PLAIN;
		if (t->resolved)
			iprange_addr_format(&t->addr, r->address);
		else {
			r->reason = xstrdup(t->error != NULL ? t->error :
			    "not resolved");
			util_clock_timestamp(r->started);
			probe_target_end(run, i, r->reason);
		}
	}
	return 0;
}

static void
probe_run_free(struct probe_run *run)
{
	size_t i;

	for (i = 0; i < TLS_INSPECT_PROFILE_COUNT; i++)
		SSL_CTX_free(run->ctx[i]);
	for (i = 0; run->ts != NULL && i < run->targets->n; i++)
		free(run->ts[i].queue);
	free(run->ts);
	free(run->t0);
	free(run->pending);
	free(run->inprog);
}

/* Whether the --deadline of the run has passed. */
static int
probe_run_over(const struct probe_run *run)
{
	return run->end.ms != 0 && probe_dialog_now().ms >= run->end.ms;
}

/*
 * The --deadline passed: the variants of targets in progress that wait
 * for a connection, and every target not started yet, end "unknown", not
 * probed, so that each target still has its result.  Pending TLS version
 * checks are dropped.
 */
static void
probe_skip_rest(struct probe_run *run, size_t next)
{
	const struct probe_target_list *l = run->targets;
	char why[96];
	size_t i, skipped = 0;

	run->npending = 0;
	snprintf(why, sizeof(why), "the --deadline of %u s for all the "
	    "probes passed", run->o->deadline);
	for (i = 0; i < run->ninprog; i++) {
		size_t index = run->inprog[i];

		if (run->ts[index].finished)
			continue;
		run->ts[index].nqueue = 0;
		probe_target_end(run, index, why);
	}
	run->ninprog = 0;
	snprintf(why, sizeof(why), "not probed: the --deadline of %u s for "
	    "all the probes passed", run->o->deadline);
	for (i = next; i < l->n; i++) {
		struct probe_result *r = &run->results[i];

		if (!l->v[i].resolved)
			continue;
		r->reason = xstrdup(why);
		util_clock_timestamp(r->started);
		probe_target_end(run, i, why);
		skipped++;
	}
	if (skipped > 0)
		log_warnx(LOG_PROBE, "%zu of %zu targets not probed: the "
		    "--deadline of %u s passed", skipped, l->n,
		    run->o->deadline);
}

/*
 * The next variant of target index that may start now, or NULL.  Past
 * the target's own deadline, the variants still waiting are not tried.
 */
static struct probe *
probe_next_variant(struct probe_run *run, size_t index)
{
	struct probe_target_state *ts = &run->ts[index];
	struct probe_result *res = &run->results[index];
	char why[96];
	size_t v;

	probe_release(run, index);
	while (ts->nqueue > 0 && ts->active < run->per_host) {
		v = ts->queue[0];
		memmove(ts->queue, ts->queue + 1, (ts->nqueue - 1) *
		    sizeof(*ts->queue));
		ts->nqueue--;
		if (probe_dialog_now().ms < run->t0[index].ms +
		    run->target_ms)
			return probe_dialog_new(run, index,
			    TLS_INSPECT_DEFAULT, v, 0);
		snprintf(why, sizeof(why), "the limit of %lld s for the "
		    "whole target passed", (long long)run->target_ms / 1000);
		if (res->tests[v].tried &&
		    res->tests[v].verdict == PROBE_VERDICT_UNKNOWN) {
			free(res->tests[v].reason);
			res->tests[v].reason = xstrdup(why);
		} else
			probe_untried(&res->tests[v], why);
	}
	return NULL;
}

/* Forget a finished target among those in progress. */
static void
probe_drop_finished(struct probe_run *run)
{
	size_t i, kept;

	for (i = 0, kept = 0; i < run->ninprog; i++) {
		size_t index = run->inprog[i];

		if (!run->ts[index].finished && probe_target_over(run, index))
			probe_target_end(run, index, "its variants ran out of "
			    "time");
		if (!run->ts[index].finished)
			run->inprog[kept++] = index;
	}
	run->ninprog = kept;
}

/*
 * The next dialog to start: version checks first, then the variants of
 * the targets in progress (at most per_host connections each), then a
 * new target (at most conc in progress).
 */
static struct probe *
probe_next(struct probe_run *run, size_t *next, size_t conc)
{
	const struct probe_target_list *l = run->targets;
	struct probe_pending q;
	struct probe *p;
	size_t i, index;

	if (run->npending > 0) {
		q = run->pending[0];
		memmove(run->pending, run->pending + 1,
		    (run->npending - 1) * sizeof(*run->pending));
		run->npending--;
		run->ts[q.index].active++;
		return probe_dialog_new(run, q.index, q.profile, 0, 0);
	}
	for (i = 0; i < run->ninprog; i++) {
		index = run->inprog[i];
		if ((p = probe_next_variant(run, index)) != NULL) {
			run->ts[index].active++;
			return p;
		}
	}
	probe_drop_finished(run);
	if (run->ninprog >= conc)
		return NULL;
	while (*next < l->n && !l->v[*next].resolved)
		(*next)++;
	if (*next == l->n)
		return NULL;
	index = (*next)++;
	run->inprog[run->ninprog++] = index;
	run->ts[index].started = 1;
	run->ts[index].active++;
	return probe_dialog_new(run, index, TLS_INSPECT_DEFAULT, 0, 1);
}

int
probe_smtp_run(const struct probe_target_list *l,
    const struct probe_smtp_options *o, struct probe_result **results,
    size_t *ncontacted, struct mx_err *err)
{
	struct probe_run run;
	struct probe **active;
	struct pollfd *pfd;
	struct probe_mono now;
	size_t conc, cap, nactive = 0, next = 0, i, kept;
	int64_t wait;
	int reaped;

	*results = NULL;
	*ncontacted = 0;
	if (probe_smtp_check_options(o, err) == -1)
		return -1;
	if (probe_run_setup(&run, l, o, err) == -1) {
		probe_run_free(&run);
		return -1;
	}
	cap = probe_concurrency(&run, &conc);
	run.inprog = xcalloc(conc, sizeof(*run.inprog));
	active = xcalloc(cap, sizeof(*active));
	pfd = xcalloc(cap, sizeof(*pfd));
	for (;;) {
		while (nactive < cap && !probe_run_over(&run)) {
			struct probe *p = probe_next(&run, &next, conc);

			if (p == NULL)
				break;
			active[nactive++] = p;
			probe_dialog_start(p);
		}
		for (i = 0, kept = 0, reaped = 0; i < nactive; i++) {
			if (probe_dialog_done(active[i])) {
				probe_finish(&run, active[i]);
				probe_dialog_free(active[i]);
				reaped = 1;
			} else
				active[kept++] = active[i];
		}
		nactive = kept;
		if (reaped)
			continue;
		if (nactive == 0)
			break;
		now = probe_dialog_now();
		wait = INT_MAX;
		for (i = 0; i < nactive; i++) {
			int64_t left = probe_dialog_wait_ms(active[i], now);

			if (left < wait)
				wait = left;
			pfd[i].fd = probe_dialog_fd(active[i]);
			pfd[i].events = probe_dialog_events(active[i]);
			pfd[i].revents = 0;
		}
		if (poll(pfd, nactive, (int)wait) == -1 && errno != EINTR)
			probe_dialog_fatalx("poll", errno);
		for (i = 0; i < nactive; i++)
			if (pfd[i].revents != 0 &&
			    !probe_dialog_done(active[i]))
				probe_dialog_io(active[i]);
		now = probe_dialog_now();
		for (i = 0; i < nactive; i++)
			probe_dialog_check_deadline(active[i], now);
	}
	probe_drop_finished(&run);
	if (probe_run_over(&run) || run.ninprog > 0)
		probe_skip_rest(&run, next);
	free(active);
	free(pfd);
	*ncontacted = run.contacted;
	*results = run.results;
	probe_run_free(&run);
	return 0;
}

static void
probe_transcript_free(struct probe_transcript *t)
{
	size_t i;

	for (i = 0; i < t->nsteps; i++)
		free(t->steps[i].text);
	free(t->steps);
}

void
probe_results_free(struct probe_result *r, size_t n)
{
	size_t i, j, k;

	if (r == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(r[i].target);
		free(r[i].reason);
		free(r[i].banner);
		for (j = 0; j < r[i].nehlo; j++) {
			for (k = 0; k < r[i].ehlo[j].nkeywords; k++) {
				free(r[i].ehlo[j].keywords[k].name);
				free(r[i].ehlo[j].keywords[k].value);
			}
			free(r[i].ehlo[j].keywords);
		}
		tls_facts_free(&r[i].tls);
		for (j = 0; j < r[i].ntests; j++) {
			free(r[i].tests[j].from);
			free(r[i].tests[j].to);
			free(r[i].tests[j].control);
			free(r[i].tests[j].reason);
			probe_transcript_free(&r[i].tests[j].transcript);
		}
		free(r[i].tests);
		free(r[i].relay_reason);
		probe_transcript_free(&r[i].transcript);
	}
	free(r);
}
