/*
 * test_probe_relay.c - unit tests of probe_relay.c: the variants'
 * addresses (domain senders, the sender variants, controls, --domain),
 * reply codes to verdicts, and the overall verdict with its reason.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "log.h"
#include "probe_relay.h"
#include "probe_smtp.h"
#include "tap.h"

static const char *const domains[] = { "contoso.com", "contoso.net" };

static void
names(struct probe_relay_names *nm, size_t ndomains)
{
	memset(nm, 0, sizeof(*nm));
	nm->from = "probe@example.org";
	nm->to = "ExBPA-OpenRelayTest@Fabrikam.com";
	nm->from_local = "probe";
	nm->to_local = "ExBPA-OpenRelayTest";
	nm->to_domain = "Fabrikam.com";
	nm->literal = "[192.0.2.5]";
	nm->server = "mx.contoso.com";
	nm->absent = "mxbpa-absent-0011223344556677";
	nm->domains = domains;
	nm->ndomains = ndomains;
}

/* The index of the variant named name, or (size_t)-1. */
static size_t
find(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(probe_relay_name(i), name) == 0)
			return i;
	return (size_t)-1;
}

/* Expand variant name; 0 when it exists and fits. */
static int
expand(const char *name, size_t ndomains, size_t nth, char *from, char *to,
    char *control)
{
	struct probe_relay_names nm;
	size_t i, n = probe_relay_count(PROBE_VARIANTS_ALL, ndomains), seen = 0;

	names(&nm, ndomains);
	for (i = 0; i < n; i++) {
		if (strcmp(probe_relay_name(i), name) != 0)
			continue;
		if (seen++ == nth)
			return probe_relay_expand(i, &nm, from, to, control,
			    PROBE_COMMAND_MAX);
	}
	return -1;
}

static void
test_variants(void)
{
	char from[PROBE_COMMAND_MAX], to[PROBE_COMMAND_MAX];
	char control[PROBE_COMMAND_MAX];
	struct probe_relay_names nm;
	size_t i, n = probe_relay_count(PROBE_VARIANTS_ALL, 0), literal = 0;

	tap_check(probe_relay_count(PROBE_VARIANTS_EXBPA, 2) == 1,
	    "--variants exbpa is one variant, whatever --domain says");
	tap_check(n == 16, "--variants all is 16 variants (%zu)", n);
	tap_check(probe_relay_count(PROBE_VARIANTS_ALL, 2) == 26,
	    "two --domain add five variants each (%zu)",
	    probe_relay_count(PROBE_VARIANTS_ALL, 2));
	tap_check(strcmp(probe_relay_name(0), "exbpa") == 0,
	    "the analyzer's test comes first");

	expand("exbpa", 0, 0, from, to, control);
	tap_check(strcmp(from, "probe@example.org") == 0 &&
	    strcmp(to, "ExBPA-OpenRelayTest@Fabrikam.com") == 0 &&
	    control[0] == '\0', "exbpa: --from whole, --to, no control");
	expand("percent-hack-ip", 0, 0, from, to, control);
	tap_check(strcmp(from, "probe@example.org") == 0,
	    "percent-hack-ip sends --from whole, not an address literal (%s)",
	    from);
	tap_check(strcmp(to, "ExBPA-OpenRelayTest%Fabrikam.com@[192.0.2.5]")
	    == 0, "percent-hack-ip: user%%domain@[address] (%s)", to);
	tap_check(strcmp(control,
	    "mxbpa-absent-0011223344556677@[192.0.2.5]") == 0,
	    "percent-hack-ip: its control is an absent local part at the "
	    "same literal (%s)", control);
	expand("percent-hack-domain", 0, 0, from, to, control);
	tap_check(strcmp(control,
	    "mxbpa-absent-0011223344556677@mx.contoso.com") == 0,
	    "percent-hack-domain: its control is at the server's name (%s)",
	    control);
	expand("quoted-at", 0, 0, from, to, control);
	tap_check(strcmp(to, "\"ExBPA-OpenRelayTest@Fabrikam.com\"") == 0 &&
	    strcmp(control, "mxbpa-absent-0011223344556677") == 0,
	    "quoted-at: an unqualified recipient, an unqualified control");
	expand("source-route-ip", 0, 0, from, to, control);
	tap_check(strcmp(to, "@[192.0.2.5]:ExBPA-OpenRelayTest@Fabrikam.com")
	    == 0 && control[0] == '\0',
	    "source-route-ip ends at the external domain: no control");
	expand("ip-literal-sender", 0, 0, from, to, control);
	tap_check(strcmp(from, "probe@[192.0.2.5]") == 0 &&
	    strcmp(to, "ExBPA-OpenRelayTest@Fabrikam.com") == 0,
	    "ip-literal-sender is the one variant with a literal sender");
	expand("own-domain-sender", 0, 0, from, to, control);
	tap_check(strcmp(from, "probe@mx.contoso.com") == 0,
	    "own-domain-sender: local part at the server's name (%s)", from);
	expand("null-sender", 0, 0, from, to, control);
	tap_check(from[0] == '\0', "null-sender: <>");
	names(&nm, 0);
	for (i = 0; i < n; i++) {
		probe_relay_expand(i, &nm, from, to, control,
		    PROBE_COMMAND_MAX);
		if (strchr(from, '[') != NULL)
			literal++;
	}
	tap_check(literal == 1, "one variant of 16 sends an address-literal "
	    "sender (%zu)", literal);

	tap_check(expand("percent-hack-accepted", 2, 1, from, to,
	    control) == 0 && strcmp(to,
	    "ExBPA-OpenRelayTest%Fabrikam.com@contoso.net") == 0,
	    "--domain: percent hack through the second domain (%s)", to);
	tap_check(strcmp(control,
	    "mxbpa-absent-0011223344556677@contoso.net") == 0,
	    "--domain: its control is at that domain (%s)", control);
	i = find("bang-path-accepted", 26);
	names(&nm, 2);
	tap_check(i != (size_t)-1 && probe_relay_domain(i, &nm) != NULL &&
	    strcmp(probe_relay_domain(i, &nm), "contoso.com") == 0,
	    "--domain variants name the domain they route through");
	tap_check(probe_relay_domain(0, &nm) == NULL,
	    "the analyzer's test routes through no --domain");
	names(&nm, 0);
	nm.server = "a-very-long-name-that-will-not-fit-in-a-small-buffer";
	tap_check(probe_relay_expand(5, &nm, from, to, control, 32) == -1,
	    "an expansion that does not fit is refused, not cut");
}

static void
test_codes(void)
{
	size_t sender = find("ip-literal-sender", 16);
	size_t trick = find("percent-hack-ip", 16);

	tap_check(probe_relay_verdict(250) == PROBE_VERDICT_ACCEPTED &&
	    probe_relay_verdict(251) == PROBE_VERDICT_ACCEPTED,
	    "RCPT 250 and 251: accepted");
	tap_check(probe_relay_verdict(450) == PROBE_VERDICT_TEMP_REFUSED,
	    "RCPT 450: temp-refused");
	tap_check(probe_relay_verdict(550) == PROBE_VERDICT_REFUSED &&
	    probe_relay_verdict(554) == PROBE_VERDICT_REFUSED,
	    "RCPT 550 and 554: refused");
	tap_check(probe_relay_verdict(530) == PROBE_VERDICT_REFUSED,
	    "530 (authentication required): refused to anonymous clients");
	tap_check(probe_relay_verdict(0) == PROBE_VERDICT_UNKNOWN &&
	    probe_relay_verdict(354) == PROBE_VERDICT_UNKNOWN,
	    "no reply, or an unexpected one: unknown");
	tap_check(probe_relay_mail_verdict(sender, 501) ==
	    PROBE_VERDICT_REFUSED,
	    "MAIL 501 to the address-literal sender variant: refused");
	tap_check(probe_relay_mail_verdict(trick, 501) ==
	    PROBE_VERDICT_UNKNOWN,
	    "MAIL 501 to a recipient trick: unknown, the recipient untried");
	tap_check(probe_relay_mail_verdict(0, 550) == PROBE_VERDICT_UNKNOWN,
	    "MAIL 550 to the analyzer's test: unknown");
	tap_check(probe_relay_mail_verdict(0, 530) == PROBE_VERDICT_REFUSED,
	    "MAIL 530 to any variant: refused");
}

/* The overall verdict of tests with these verdicts. */
static enum probe_verdict
overall(const enum probe_verdict *v, size_t n, char **why)
{
	static struct probe_relay_test tests[8];
	struct probe_result r;
	size_t i;

	memset(&r, 0, sizeof(r));
	memset(tests, 0, sizeof(tests));
	for (i = 0; i < n; i++) {
		tests[i].variant = probe_relay_name(i);
		tests[i].verdict = v[i];
		tests[i].reason = v[i] == PROBE_VERDICT_UNKNOWN ?
		    "connection closed by the peer in RCPT" : NULL;
	}
	r.tests = tests;
	r.ntests = n;
	return probe_relay_overall(&r, why);
}

static void
test_overall(void)
{
	enum probe_verdict a[] = { PROBE_VERDICT_REFUSED,
	    PROBE_VERDICT_CATCH_ALL, PROBE_VERDICT_TEMP_REFUSED };
	enum probe_verdict b[] = { PROBE_VERDICT_REFUSED,
	    PROBE_VERDICT_UNKNOWN, PROBE_VERDICT_CATCH_ALL };
	enum probe_verdict c[] = { PROBE_VERDICT_UNKNOWN,
	    PROBE_VERDICT_ACCEPTED, PROBE_VERDICT_REFUSED };
	enum probe_verdict d[] = { PROBE_VERDICT_ACCEPTED,
	    PROBE_VERDICT_DATA_ACCEPTED };
	enum probe_verdict e[] = { PROBE_VERDICT_REFUSED,
	    PROBE_VERDICT_TEMP_REFUSED };
	char *why = NULL;

	tap_check(overall(a, 3, &why) == PROBE_VERDICT_CATCH_ALL &&
	    why == NULL, "catch-all outranks temp-refused and refused, and "
	    "needs no reason");
	tap_check(overall(b, 3, &why) == PROBE_VERDICT_UNKNOWN &&
	    why != NULL, "an undecided variant makes the listener unknown");
	tap_check(why != NULL && strstr(why, "1 of 3 relay tests not "
	    "decided: null-sender: connection closed by the peer in RCPT") !=
	    NULL, "the reason names the variant and why (%s)",
	    why != NULL ? why : "");
	free(why);
	tap_check(overall(c, 3, &why) == PROBE_VERDICT_ACCEPTED &&
	    why == NULL, "an accepted variant outranks an unknown one");
	tap_check(overall(d, 2, NULL) == PROBE_VERDICT_DATA_ACCEPTED,
	    "data-accepted is the strongest");
	tap_check(overall(e, 2, NULL) == PROBE_VERDICT_TEMP_REFUSED,
	    "temp-refused outranks refused");
	tap_check(overall(e, 0, &why) == PROBE_VERDICT_UNKNOWN &&
	    why != NULL, "no relay test at all: unknown, with a reason");
	free(why);
	tap_check(strcmp(probe_verdict_name(PROBE_VERDICT_CATCH_ALL),
	    "catch-all") == 0 && strcmp(probe_verdict_name(
	    PROBE_VERDICT_DATA_ACCEPTED), "data-accepted") == 0,
	    "the new verdicts' names are catch-all and data-accepted");
}

int
main(void)
{
	log_set_level(LOG_LEVEL_QUIET);
	test_variants();
	test_codes();
	test_overall();
	return tap_done();
}
