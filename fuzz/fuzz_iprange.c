/*
 * fuzz_iprange.c - libFuzzer entry point for the IP range reader.  The
 * input is split at newlines; every line goes through iprange_parse, and
 * the ranges that parse are checked against the arithmetic's invariants
 * (first <= last, a range holds its own ends, overlaps itself, the
 * canonical text of each end parses back to the same address, a
 * normalised set is sorted, disjoint and covers what the input covered).
 * A broken invariant is abort(), so that fuzzing reports it.  Replayed
 * over fuzz/corpus/iprange/ by "make check".
 *
 * SPDX-License-Identifier: ISC
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "iprange.h"

#define FUZZ_IPRANGE_LINES	64
#define FUZZ_IPRANGE_LINE	256

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_iprange_die(const char *what, const char *line)
{
	fprintf(stderr, "fuzz_iprange: %s: \"%s\"\n", what, line);
	abort();
}

static void
fuzz_iprange_check(const struct ip_range *r, const char *line)
{
	char text[IPRANGE_ADDR_TEXT];
	struct ip_addr back;
	struct mx_err err;

	if (r->first.family != r->last.family)
		fuzz_iprange_die("ends of different families", line);
	if (iprange_addr_cmp(&r->first, &r->last) > 0)
		fuzz_iprange_die("first after last", line);
	if (!iprange_contains(r, &r->first) || !iprange_contains(r, &r->last))
		fuzz_iprange_die("a range misses its own ends", line);
	if (!iprange_overlaps(r, r))
		fuzz_iprange_die("a range does not overlap itself", line);
	if (!(iprange_size(r) >= 1))
		fuzz_iprange_die("a range of no address", line);
	iprange_addr_format(&r->first, text);
	mx_err_init(&err);
	if (iprange_addr_parse(text, &back, &err, "fuzz") == -1 ||
	    iprange_addr_cmp(&back, &r->first) != 0)
		fuzz_iprange_die("canonical text does not parse back", line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ip_range ranges[FUZZ_IPRANGE_LINES], merged[FUZZ_IPRANGE_LINES];
	char line[FUZZ_IPRANGE_LINE];
	struct mx_err err;
	size_t n = 0, i, j, start = 0, len, m;

	for (i = 0; i <= size && n < FUZZ_IPRANGE_LINES; i++) {
		if (i < size && data[i] != '\n')
			continue;
		len = i - start;
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, data + start, len);
		line[len] = '\0';
		start = i + 1;
		mx_err_init(&err);
		if (iprange_parse(line, &ranges[n], &err, "fuzz") == -1) {
			if (err.code == MX_OK)
				fuzz_iprange_die("refused without an error",
				    line);
			continue;
		}
		fuzz_iprange_check(&ranges[n], line);
		n++;
	}
	memcpy(merged, ranges, n * sizeof(ranges[0]));
	m = iprange_set_normalize(merged, n);
	if (m > n)
		fuzz_iprange_die("normalising added ranges", "");
	for (j = 0; j + 1 < m; j++)
		if (merged[j].first.family == merged[j + 1].first.family &&
		    iprange_addr_cmp(&merged[j].last, &merged[j + 1].first) >= 0)
			fuzz_iprange_die("normalised ranges overlap", "");
	for (i = 0; i < n; i++) {
		for (j = 0; j < m; j++)
			if (iprange_contains(&merged[j], &ranges[i].first) &&
			    iprange_contains(&merged[j], &ranges[i].last))
				break;
		if (j == m)
			fuzz_iprange_die("normalising lost a range", "");
	}
	return 0;
}
