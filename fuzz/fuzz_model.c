/*
 * fuzz_model.c - libFuzzer target: the model loader (parse, root check,
 * RELAX NG validation, normalisation and serialisation).
 *
 * SPDX-License-Identifier: ISC
 */
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "err.h"
#include "model.h"
#include "xml.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct mx_err err;
	struct model *m;
	xmlDocPtr doc;
	xmlChar *out;
	int len;

	if (!ready) {
		xml_init();
		ready = 1;
	}
	mx_err_init(&err);
	doc = xml_parse((const char *)data, size, "fuzz", 0, &err);
	if (doc == NULL)
		return 0;
	m = model_from_doc(doc, "fuzz", &err);	/* owns doc */
	if (m == NULL)
		return 0;
	model_normalize(m);
	if (xml_dump(model_doc(m), &out, &len, &err) == 0)
		xmlFree(out);
	model_free(m);
	return 0;
}
