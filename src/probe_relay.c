/*
 * probe_relay.c - the relay variants of the SMTP probe and its verdicts
 * (see probe_relay.h).
 *
 * Specifications: RFC 5321 (address literals 4.1.3, source routes
 * 4.1.1.3 and appendix C, reply codes 4.2), RFC 4954 (530).  Seed 000
 * (the analyzer's open relay test) and nmap's smtp-open-relay give the
 * variants (exchange-facts.md).
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "log.h"
#include "probe_relay.h"
#include "util.h"

/*
 * Templates: %F the --from mailbox, %T the --to mailbox, %S the local
 * part of --from, %L and %D the local part and domain of --to, %I the
 * target's address literal ([192.0.2.1], [IPv6:2001:db8::1]), %N the
 * server's own name (from its EHLO answer), %A the variant's --domain,
 * %R the control's random absent local part, %% a percent sign.  A
 * variant whose recipient ends at a local domain (%I, %N, %A, or none)
 * has a control at that same domain: a server that accepts the control
 * too accepts any local part there, and its "yes" to the trick says
 * nothing of relaying.
 */
struct probe_relay_variant {
	const char	*name;
	const char	*from;
	const char	*to;
	const char	*control;	/* NULL: none */
	int		 sender;	/* tests the sender, not the recipient */
};

static const struct probe_relay_variant probe_relay_table[] = {
	{ "exbpa",		"%F",	"%T",		NULL,	0 },
	{ "null-sender",	"",	"%T",		NULL,	1 },
	{ "own-domain-sender",	"%S@%N", "%T",		NULL,	1 },
	{ "ip-literal-sender",	"%S@%I", "%T",		NULL,	1 },
	{ "percent-hack-ip",	"%F",	"%L%%%D@%I",	"%R@%I", 0 },
	{ "percent-hack-domain", "%F",	"%L%%%D@%N",	"%R@%N", 0 },
	{ "quoted-at",		"%F",	"\"%L@%D\"",	"%R",	0 },
	{ "quoted-percent",	"%F",	"\"%L%%%D\"",	"%R",	0 },
	{ "double-at-ip",	"%F",	"%L@%D@%I",	"%R@%I", 0 },
	{ "quoted-at-ip",	"%F",	"\"%L@%D\"@%I",	"%R@%I", 0 },
	{ "double-at-domain",	"%F",	"%L@%D@%N",	"%R@%N", 0 },
	{ "source-route-ip",	"%F",	"@%I:%L@%D",	NULL,	0 },
	{ "source-route-domain", "%F",	"@%N:%L@%D",	NULL,	0 },
	{ "bang-path",		"%F",	"%D!%L",	"%R",	0 },
	{ "bang-path-ip",	"%F",	"%D!%L@%I",	"%R@%I", 0 },
	{ "bang-path-domain",	"%F",	"%D!%L@%N",	"%R@%N", 0 },
};
#define PROBE_RELAY_N	(sizeof(probe_relay_table) / \
			 sizeof(probe_relay_table[0]))

/* The tricks again, through each --domain (user%ext@contoso.com). */
static const struct probe_relay_variant probe_relay_domain_table[] = {
	{ "percent-hack-accepted", "%F", "%L%%%D@%A",	"%R@%A", 0 },
	{ "double-at-accepted",	"%F",	"%L@%D@%A",	"%R@%A", 0 },
	{ "quoted-at-accepted",	"%F",	"\"%L@%D\"@%A",	"%R@%A", 0 },
	{ "bang-path-accepted",	"%F",	"%D!%L@%A",	"%R@%A", 0 },
	{ "source-route-accepted", "%F", "@%A:%L@%D",	NULL,	0 },
};
#define PROBE_RELAY_DOMAIN_N	(sizeof(probe_relay_domain_table) / \
				 sizeof(probe_relay_domain_table[0]))

static __attribute__((noreturn)) void
probe_relay_fatalx(const char *what, size_t value)
{
	log_warnx(LOG_PROBE, "internal error: %s (%zu)", what, value);
	abort();
}

size_t
probe_relay_count(enum probe_variants v, size_t ndomains)
{
	if (v != PROBE_VARIANTS_ALL)
		return 1;
	return PROBE_RELAY_N + ndomains * PROBE_RELAY_DOMAIN_N;
}

static const struct probe_relay_variant *
probe_relay_get(size_t i)
{
	if (i < PROBE_RELAY_N)
		return &probe_relay_table[i];
	if (i - PROBE_RELAY_N >= PROBE_DOMAINS_MAX * PROBE_RELAY_DOMAIN_N)
		probe_relay_fatalx("no such variant", i);
	return &probe_relay_domain_table[(i - PROBE_RELAY_N) %
	    PROBE_RELAY_DOMAIN_N];
}

const char *
probe_relay_name(size_t i)
{
	return probe_relay_get(i)->name;
}

const char *
probe_relay_domain(size_t i, const struct probe_relay_names *nm)
{
	size_t d;

	if (i < PROBE_RELAY_N)
		return NULL;
	d = (i - PROBE_RELAY_N) / PROBE_RELAY_DOMAIN_N;
	if (d >= nm->ndomains)
		probe_relay_fatalx("no such --domain", d);
	return nm->domains[d];
}

/* Expand one template into out[0..size). */
static int
probe_relay_template(const struct probe_relay_names *nm, const char *domain,
    const char *tmpl, char *out, size_t size)
{
	const char *v;
	size_t len = 0, n;

	for (; *tmpl != '\0'; tmpl++) {
		char one[2] = { *tmpl, '\0' };

		v = one;
		if (*tmpl == '%') {
			switch (*++tmpl) {
			case 'F': v = nm->from; break;
			case 'T': v = nm->to; break;
			case 'S': v = nm->from_local; break;
			case 'L': v = nm->to_local; break;
			case 'D': v = nm->to_domain; break;
			case 'I': v = nm->literal; break;
			case 'N': v = nm->server; break;
			case 'R': v = nm->absent; break;
			case 'A': v = domain; break;
			case '%': v = "%"; break;
			default:
				v = NULL;
			}
			if (v == NULL)
				probe_relay_fatalx("variant template",
				    (size_t)(unsigned char)*tmpl);
		}
		n = strlen(v);
		if (len + n >= size)
			return -1;
		memcpy(out + len, v, n);
		len += n;
	}
	out[len] = '\0';
	return 0;
}

int
probe_relay_expand(size_t i, const struct probe_relay_names *nm,
    char *from, char *to, char *control, size_t size)
{
	const struct probe_relay_variant *v = probe_relay_get(i);
	const char *domain = probe_relay_domain(i, nm);

	control[0] = '\0';
	if (probe_relay_template(nm, domain, v->from, from, size) == -1 ||
	    probe_relay_template(nm, domain, v->to, to, size) == -1 ||
	    (v->control != NULL && probe_relay_template(nm, domain,
	    v->control, control, size) == -1))
		return -1;
	return 0;
}

enum probe_verdict
probe_relay_mail_verdict(size_t i, int code)
{
	if (probe_relay_get(i)->sender || code == 530)
		return probe_relay_verdict(code);
	return PROBE_VERDICT_UNKNOWN;
}

enum probe_verdict
probe_relay_verdict(int code)
{
	if (code >= 200 && code < 300)
		return PROBE_VERDICT_ACCEPTED;
	if (code >= 400 && code < 500)
		return PROBE_VERDICT_TEMP_REFUSED;
	if (code >= 500 && code < 600)
		return PROBE_VERDICT_REFUSED;
	return PROBE_VERDICT_UNKNOWN;
}

/* "variant: reason; variant: reason", bounded. */
static char *
probe_relay_why(const struct probe_result *r)
{
	char buf[1024], out[sizeof(buf) + 64];
	size_t i, len = 0, nun = 0;
	int n;

	buf[0] = '\0';
	for (i = 0; i < r->ntests; i++) {
		const struct probe_relay_test *t = &r->tests[i];

		if (t->verdict != PROBE_VERDICT_UNKNOWN)
			continue;
		nun++;
		if (len >= sizeof(buf) - 1)
			continue;
		n = snprintf(buf + len, sizeof(buf) - len, "%s%s: %s",
		    len > 0 ? "; " : "", t->variant, t->reason != NULL ?
		    t->reason : "not tried");
		len += n < 0 ? 0 : (size_t)n;
	}
	if (len >= sizeof(buf) - 1)
		memcpy(buf + sizeof(buf) - 4, "...", 4);
	snprintf(out, sizeof(out), "%zu of %zu relay test%s not decided: "
	    "%s", nun, r->ntests, r->ntests > 1 ? "s" : "", buf);
	return xstrdup(out);
}

enum probe_verdict
probe_relay_overall(const struct probe_result *r, char **why)
{
	static const enum probe_verdict rank[] = {
		PROBE_VERDICT_DATA_ACCEPTED, PROBE_VERDICT_ACCEPTED,
		PROBE_VERDICT_UNKNOWN, PROBE_VERDICT_CATCH_ALL,
		PROBE_VERDICT_TEMP_REFUSED, PROBE_VERDICT_REFUSED,
	};
	enum probe_verdict v = PROBE_VERDICT_UNKNOWN;
	size_t i, k;

	if (why != NULL)
		*why = NULL;
	for (k = 0; k < sizeof(rank) / sizeof(rank[0]); k++) {
		for (i = 0; i < r->ntests; i++)
			if (r->tests[i].verdict == rank[k])
				break;
		if (i < r->ntests) {
			v = rank[k];
			break;
		}
	}
	if (r->ntests == 0)
		v = PROBE_VERDICT_UNKNOWN;
	if (v == PROBE_VERDICT_UNKNOWN && why != NULL)
		*why = r->ntests > 0 ? probe_relay_why(r) :
		    xstrdup("no relay test");
	return v;
}
