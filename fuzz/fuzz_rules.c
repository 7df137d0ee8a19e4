/*
 * fuzz_rules.c - libFuzzer target: the rule pack loader (parse, schema,
 * id, language and XPath checks).
 *
 * SPDX-License-Identifier: ISC
 */
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "rules.h"
#include "xml.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct rule_set *rs;
	struct mx_err err;

	if (!ready) {
		xml_init();
		ready = 1;
	}
	mx_err_init(&err);
	rs = rule_set_new();
	(void)rule_set_load_buffer(rs, (const char *)data, size, "fuzz", &err);
	rule_set_free(rs);
	return 0;
}
