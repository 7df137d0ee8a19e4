/*
 * fuzz_dns_mx.c - libFuzzer entry point for the parser of DNS answers to
 * an MX query (probe_targets_mx_parse), which reads what a resolver or a
 * hostile name server sent.  Every input must either parse or be refused
 * with MX_ERR_INPUT (MX_ERR_LIMIT when over PROBE_DNS_ANSWER_MAX) and a
 * message; when it parses (abort() otherwise, so
 * that fuzzing reports a broken promise as a crash):
 *   - at most the number of records asked for come out, each host name
 *     NUL-terminated within its buffer;
 *   - they are sorted by preference, then host name (any case);
 *   - asking for fewer records gives the first ones of the same list.
 * Linked with -fsanitize=fuzzer for fuzzing, and with fuzz/replay.c so
 * that "make check" replays fuzz/corpus/dns_mx/.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bounds.h"
#include "err.h"
#include "probe_targets.h"

#define FUZZ_DNS_MX_MAX	8

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_dns_mx_check(int ok)
{
	if (!ok)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct probe_mx all[FUZZ_DNS_MX_MAX], few[2];
	struct mx_err err, err2;
	size_t n = 0, m = 0, i;
	int rc, rc2;

	mx_err_init(&err);
	rc = probe_targets_mx_parse(data, size, all, FUZZ_DNS_MX_MAX, &n,
	    &err, "fuzz");
	if (rc == -1) {
		fuzz_dns_mx_check((err.code == MX_ERR_INPUT ||
		    (err.code == MX_ERR_LIMIT && size > PROBE_DNS_ANSWER_MAX)) &&
		    err.msg[0] != '\0');
		return 0;
	}
	fuzz_dns_mx_check(rc == 0 && n <= FUZZ_DNS_MX_MAX);
	for (i = 0; i < n; i++) {
		fuzz_dns_mx_check(memchr(all[i].host, '\0',
		    sizeof(all[i].host)) != NULL);
		if (i > 0)
			fuzz_dns_mx_check(all[i - 1].preference <
			    all[i].preference || (all[i - 1].preference ==
			    all[i].preference && strcasecmp(all[i - 1].host,
			    all[i].host) <= 0));
	}
	mx_err_init(&err2);
	rc2 = probe_targets_mx_parse(data, size, few, 2, &m, &err2, "fuzz");
	fuzz_dns_mx_check(rc2 == 0 && m <= 2 && m <= n);
	/* With room for all, the short list is the same list. */
	for (i = 0; i < m && n <= 2; i++)
		fuzz_dns_mx_check(few[i].preference == all[i].preference &&
		    strcmp(few[i].host, all[i].host) == 0);
	return 0;
}
