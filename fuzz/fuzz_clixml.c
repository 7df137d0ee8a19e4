/*
 * fuzz_clixml.c - libFuzzer entry point for the Export-Clixml importer:
 * bytes are parsed through the one XML door (xml_parse) and imported into
 * a fresh model, then everything is freed.  Linked with -fsanitize=fuzzer
 * for fuzzing, and with fuzz/replay.c so that "make check" replays the
 * seed corpus in fuzz/corpus/clixml/.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "err.h"
#include "import_clixml.h"
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
	xmlDocPtr doc;

	if (!initialised) {
		xml_init();
		log_set_level(LOG_LEVEL_QUIET);
		initialised = 1;
	}
	mx_err_init(&err);
	doc = xml_parse((const char *)data, size, "fuzz.clixml", 0, &err);
	if (doc == NULL)
		return 0;
	model = model_new();
	(void)import_clixml(model, doc, "fuzz.clixml", NULL, &err);
	model_free(model);
	xmlFreeDoc(doc);
	return 0;
}
