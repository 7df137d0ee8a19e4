/*
 * probe_relay.c - the relay variants and verdicts of the SMTP probe (see
 * probe_relay.h).
 *
 * Specifications: RFC 5321 (address literals 4.1.3, source routes
 * 4.1.1.3 and appendix C, reply codes 4.2), RFC 4954 (530).  Seed 000
 * (the analyzer's open relay test) and nmap's smtp-open-relay give the
 * variants (exchange-facts.md).
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "probe_relay.h"

/*
 * Templates: %F the --from mailbox, %T the --to mailbox, %S the local
 * part of --from, %L and %D the local part and domain of --to, %I the
 * target's address literal ([192.0.2.1], [IPv6:2001:db8::1]), %N the
 * server's own name (from its EHLO answer), %% a percent sign.
 */
static const struct probe_relay_variant {
	const char	*name;
	const char	*from;
	const char	*to;
} probe_relay_table[] = {
	{ "exbpa",		"%F",		"%T" },
	{ "null-sender",	"",		"%T" },
	{ "own-domain-sender",	"%S@%N",	"%T" },
	{ "ip-literal-sender",	"%S@%I",	"%T" },
	{ "percent-hack-ip",	"%S@%I",	"%L%%%D@%I" },
	{ "percent-hack-domain", "%S@%I",	"%L%%%D@%N" },
	{ "quoted-at",		"%S@%I",	"\"%L@%D\"" },
	{ "quoted-percent",	"%S@%I",	"\"%L%%%D\"" },
	{ "double-at-ip",	"%S@%I",	"%L@%D@%I" },
	{ "quoted-at-ip",	"%S@%I",	"\"%L@%D\"@%I" },
	{ "double-at-domain",	"%S@%I",	"%L@%D@%N" },
	{ "source-route-ip",	"%S@%I",	"@%I:%L@%D" },
	{ "source-route-domain", "%S@%I",	"@%N:%L@%D" },
	{ "bang-path",		"%S@%I",	"%D!%L" },
	{ "bang-path-ip",	"%S@%I",	"%D!%L@%I" },
	{ "bang-path-domain",	"%S@%I",	"%D!%L@%N" },
};
#define PROBE_RELAY_N	(sizeof(probe_relay_table) / \
			 sizeof(probe_relay_table[0]))

static __attribute__((noreturn)) void
probe_relay_fatalx(const char *what, size_t value)
{
	log_warnx(LOG_PROBE, "internal error: %s (%zu)", what, value);
	abort();
}

size_t
probe_relay_count(enum probe_variants v)
{
	return v == PROBE_VARIANTS_ALL ? PROBE_RELAY_N : 1;
}

const char *
probe_relay_name(size_t i)
{
	if (i >= PROBE_RELAY_N)
		probe_relay_fatalx("no such variant", i);
	return probe_relay_table[i].name;
}

/* Expand one template into out[0..size). */
static int
probe_relay_template(const struct probe_relay_names *nm, const char *tmpl,
    char *out, size_t size)
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
			case '%': v = "%"; break;
			default:
				probe_relay_fatalx("variant template",
				    (size_t)(unsigned char)*tmpl);
			}
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
    char *from, size_t fromsize, char *to, size_t tosize)
{
	if (i >= PROBE_RELAY_N)
		probe_relay_fatalx("no such variant", i);
	if (probe_relay_template(nm, probe_relay_table[i].from, from,
	    fromsize) == -1 ||
	    probe_relay_template(nm, probe_relay_table[i].to, to,
	    tosize) == -1)
		return -1;
	return 0;
}

enum probe_verdict
probe_relay_verdict(int code)
{
	if (code >= 200 && code < 300)
		return PROBE_VERDICT_ACCEPTED;
	if (code == 530)	/* authentication required: no answer */
		return PROBE_VERDICT_UNKNOWN;
	if (code >= 400 && code < 500)
		return PROBE_VERDICT_TEMP_REFUSED;
	if (code >= 500 && code < 600)
		return PROBE_VERDICT_REFUSED;
	return PROBE_VERDICT_UNKNOWN;
}

enum probe_verdict
probe_relay_overall(const struct probe_result *r, size_t nvariants)
{
	static const enum probe_verdict rank[] = {
		PROBE_VERDICT_ACCEPTED, PROBE_VERDICT_UNKNOWN,
		PROBE_VERDICT_TEMP_REFUSED, PROBE_VERDICT_REFUSED,
	};
	size_t i, k;

	for (k = 0; k < sizeof(rank) / sizeof(rank[0]); k++) {
		for (i = 0; i < r->ntests; i++)
			if (r->tests[i].verdict == rank[k])
				return rank[k];
		/* Variants not tried leave the answer open. */
		if (rank[k] == PROBE_VERDICT_UNKNOWN && r->ntests < nvariants)
			return PROBE_VERDICT_UNKNOWN;
	}
	return PROBE_VERDICT_UNKNOWN;
}
