/*
 * fuzz_ldif.c - libFuzzer entry point for the LDIF import: bytes are read
 * by the LDIF reader and mapped by ad.c (security descriptors included)
 * into a fresh model, then everything is freed.  Linked with
 * -fsanitize=fuzzer for fuzzing, and with fuzz/replay.c so that "make
 * check" replays fuzz/corpus/ldif/ and tests/malformed/ldif/.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "import_ldif.h"
#include "log.h"
#include "model.h"
#include "xml.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Import one input.  Errors are the expected outcome for most inputs and
 * are dropped; only crashes, leaks and sanitizer reports matter.  Always
 * returns 0.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	struct mx_err err;
	struct model *model;

	if (!initialised) {
		xml_init();
		log_set_level(LOG_LEVEL_QUIET);
		initialised = 1;
	}
	mx_err_init(&err);
	model = model_new();
	(void)import_ldif(model, (const char *)data, size, "fuzz.ldif", NULL,
	    &err);
	model_free(model);
	return 0;
}
