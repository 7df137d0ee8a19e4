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
	struct rule_entry e;
	struct mx_err err;
	size_t i;

	if (!ready) {
		xml_init();
		ready = 1;
	}
	mx_err_init(&err);
	rs = rule_set_new();
	if (rule_set_load_buffer(rs, (const char *)data, size, "fuzz",
	    &err) == 0) {
		/* The disable and waiver entries of a site pack. */
		for (i = 0; rule_set_entry(rs, "waiver", i, &e) == 0; i++)
			(void)rule_set_waiver(rs, e.rule, e.object, &e);
		for (i = 0; rule_set_entry(rs, "disable", i, &e) == 0; i++)
			(void)rule_set_disabled(rs, e.rule, &e);
		mx_err_init(&err);
		(void)rule_set_check_entries(rs, NULL, &err);
	}
	rule_set_free(rs);
	return 0;
}
