/*
 * fuzz_sddl.c - libFuzzer entry point for the SDDL reader (sddl_encode).
 * Text that encodes must give bytes sd_parse accepts, and rendering those
 * again with sddl_format and encoding the result must give the same
 * descriptor bytes (abort() otherwise, so that a broken round trip is a
 * crash).  Replayed over fuzz/corpus/sddl/ by "make check".
 *
 * SPDX-License-Identifier: ISC
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "sd.h"
#include "sddl.h"

/* SDDL longer than this is not a connector's descriptor. */
#define FUZZ_SDDL_MAX	65536

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_sddl_die(const char *what, const char *text)
{
	fprintf(stderr, "fuzz_sddl: %s\n", what);
	if (text != NULL)
		fprintf(stderr, "fuzz_sddl: SDDL: %s\n", text);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mx_err err;
	struct sd parsed;
	uint8_t *bin = NULL, *again = NULL;
	size_t len = 0, againlen = 0;
	char *text, *rendered;

	if (size > FUZZ_SDDL_MAX)
		return 0;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	mx_err_init(&err);
	if (sddl_encode(text, &bin, &len, &err) == -1) {
		if (err.code == MX_OK)
			fuzz_sddl_die("refused without an error", text);
		free(text);
		return 0;
	}
	if (sd_parse(bin, len, &parsed, &err, "fuzz") == -1)
		fuzz_sddl_die("sd_parse refused sddl_encode's bytes", text);
	rendered = sddl_format(&parsed);
	if (rendered == NULL)
		fuzz_sddl_die("sddl_format returned NULL", text);
	if (sddl_encode(rendered, &again, &againlen, &err) == -1)
		fuzz_sddl_die("sddl_encode refused sddl_format's text",
		    rendered);
	if (againlen != len || memcmp(again, bin, len) != 0)
		fuzz_sddl_die("render and encode changed the descriptor",
		    rendered);
	free(again);
	free(rendered);
	sd_free(&parsed);
	free(bin);
	free(text);
	return 0;
}
