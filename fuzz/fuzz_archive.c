/*
 * fuzz_archive.c - libFuzzer entry point for the evidence archive
 * verifier: the bytes are an archive held in memory and go through
 * archive_verify_mem (tar reader, manifest parser, signature check).
 * Nothing is printed and nothing is written.  The result must be one of
 * the three documented ones, with an error set exactly when it is -1.
 * Linked with -fsanitize=fuzzer for fuzzing, and with fuzz/replay.c so
 * that "make check" replays fuzz/corpus/archive/ and tests/malformed/archive/.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "archive.h"
#include "err.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mx_err err;
	unsigned problems;
	int rc;

	mx_err_init(&err);
	rc = archive_verify_mem(data, size, NULL, NULL, &problems, &err);
	if (rc < -1 || rc > 1 || (rc == -1) != (err.code != MX_OK) ||
	    (rc == 1) != (problems > 0))
		abort();
	return 0;
}
