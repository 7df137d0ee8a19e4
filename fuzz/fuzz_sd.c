/*
 * fuzz_sd.c - libFuzzer entry point for the security-descriptor parser.
 * Bytes go through sd_parse; when they parse, the descriptor is rendered
 * with sddl_format, encoded again with sddl_encode and parsed again, and
 * the two descriptors must agree ACE by ACE (abort() otherwise, so that
 * fuzzing reports a broken round trip as a crash).  Linked with
 * -fsanitize=fuzzer for fuzzing, and with fuzz/replay.c so that "make
 * check" replays fuzz/corpus/sd/ and tests/malformed/sd/.
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

/* Control bits that SDDL carries when a DACL is present: P, AI, AR. */
#define FUZZ_SD_DACL_CONTROL	(SD_CONTROL_DACL_PRESENT | 0x1000 | 0x0400 | \
				    0x0100)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_sd_die(const char *what, const char *text, const struct mx_err *err)
{
	fprintf(stderr, "fuzz_sd: round trip broken: %s\n", what);
	if (text != NULL)
		fprintf(stderr, "fuzz_sd: SDDL: %s\n", text);
	if (err != NULL && err->code != MX_OK)
		fprintf(stderr, "fuzz_sd: %s: %s\n", err->where, err->msg);
	abort();
}

static int
fuzz_sd_same_sid(const struct sd_sid *a, const struct sd_sid *b)
{
	return a->revision == b->revision && a->count == b->count &&
	    memcmp(a->authority, b->authority, sizeof(a->authority)) == 0 &&
	    memcmp(a->sub, b->sub, a->count * sizeof(a->sub[0])) == 0;
}

static int
fuzz_sd_same_ace(const struct sd_ace *a, const struct sd_ace *b)
{
	uint32_t fa = a->object_flags & 3, fb = b->object_flags & 3;

	if (a->type != b->type || a->flags != b->flags ||
	    a->known != b->known)
		return 0;
	if (!a->known)
		return 1;
	if (a->mask != b->mask || fa != fb || !fuzz_sd_same_sid(&a->sid,
	    &b->sid))
		return 0;
	if ((fa & SD_OBJECT_TYPE_PRESENT) &&
	    memcmp(a->object_type, b->object_type, 16) != 0)
		return 0;
	if ((fa & SD_INHERITED_OBJECT_TYPE_PRESENT) &&
	    memcmp(a->inherited_object_type, b->inherited_object_type,
	    16) != 0)
		return 0;
	return 1;
}

static void
fuzz_sd_compare(const struct sd *a, const struct sd *b, const char *text)
{
	size_t i;

	if (a->nace != b->nace)
		fuzz_sd_die("ACE count differs", text, NULL);
	if (a->dacl != b->dacl)
		fuzz_sd_die("DACL kind differs", text, NULL);
	if (a->dacl != SD_DACL_ABSENT && (a->control & FUZZ_SD_DACL_CONTROL) !=
	    (b->control & FUZZ_SD_DACL_CONTROL))
		fuzz_sd_die("DACL control bits differ", text, NULL);
	if (a->has_owner != b->has_owner || (a->has_owner &&
	    !fuzz_sd_same_sid(&a->owner, &b->owner)))
		fuzz_sd_die("owner differs", text, NULL);
	if (a->has_group != b->has_group || (a->has_group &&
	    !fuzz_sd_same_sid(&a->group, &b->group)))
		fuzz_sd_die("group differs", text, NULL);
	for (i = 0; i < a->nace; i++)
		if (!fuzz_sd_same_ace(&a->aces[i], &b->aces[i]))
			fuzz_sd_die("an ACE differs", text, NULL);
}

/* Parse, render, encode, parse again and compare.  Always returns 0. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mx_err err;
	struct sd a, b;
	uint8_t *bin = NULL;
	size_t len = 0;
	char *text;

	mx_err_init(&err);
	if (sd_parse(data, size, &a, &err, "fuzz") == -1)
		return 0;
	text = sddl_format(&a);
	if (text == NULL)
		fuzz_sd_die("sddl_format returned NULL", NULL, NULL);
	if (sddl_encode(text, &bin, &len, &err) == -1)
		fuzz_sd_die("sddl_encode refused sddl_format's text", text,
		    &err);
	if (sd_parse(bin, len, &b, &err, "fuzz round trip") == -1)
		fuzz_sd_die("sd_parse refused sddl_encode's bytes", text,
		    &err);
	fuzz_sd_compare(&a, &b, text);
	sd_free(&b);
	free(bin);
	free(text);
	sd_free(&a);
	return 0;
}
