/*
 * test_rules.c - rule packs: loading valid packs, and refusing each kind
 * of invalid one with an input error naming the file (and line).
 *
 * SPDX-License-Identifier: ISC
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "findings.h"
#include "rules.h"
#include "tap.h"
#include "xml.h"

static void
test_valid(void)
{
	struct rule_set *rs = rule_set_new();
	const struct rule *r;
	struct mx_err err;
	char path[4096];

	mx_err_init(&err);
	snprintf(path, sizeof(path), "%s",
	    tap_srcpath("tests/data/rules/engine.xml"));
	tap_check(rule_set_load_file(rs, path, &err) == 0,
	    "a valid pack loads (%s)", err.msg);
	tap_check(rule_set_count(rs) == 3, "every rule of the pack is loaded");
	r = rule_set_find(rs, "TEST-001");
	tap_check(r != NULL && r->severity == SEVERITY_ERROR &&
	    strcmp(r->category, "security") == 0 && r->line > 1,
	    "a rule keeps its severity, category and line");
	tap_check(r != NULL && strcmp(rule_text(r, "title", "fr"),
	    "Les utilisateurs anonymes peuvent se connecter") == 0,
	    "the French title is found for lang fr");
	tap_check(r != NULL && strcmp(rule_text(r, "title", "de"),
	    "Anonymous users may connect") == 0,
	    "a missing language falls back to English");
	tap_check(r != NULL && strstr(rule_text(r, "message", "en"),
	    "\n") == NULL, "white space in messages collapses to one line");
	tap_check(r != NULL && strstr(rule_text(r, "remediation", "en"),
	    "\n-PermissionGroups") != NULL,
	    "remediations keep their lines without indentation");
	tap_check(rule_set_find(rs, "NOPE-001") == NULL,
	    "an unknown id is not found");
	mx_err_init(&err);
	tap_check(rule_set_load_file(rs, path, &err) == -1 &&
	    strstr(err.msg, "duplicate rule id") != NULL,
	    "loading the same pack twice is a duplicate id error");
	tap_check(rule_set_count(rs) == 3,
	    "a refused pack adds none of its rules");
	rule_set_free(rs);

	rs = rule_set_new();
	mx_err_init(&err);
	snprintf(path, sizeof(path), "%s", tap_srcpath("rules"));
	tap_check(rule_set_load_dir(rs, path, &err) == 0 &&
	    rule_set_count(rs) >= 10,
	    "the shipped rule packs load (%zu rules) %s", rule_set_count(rs),
	    err.msg);
	rule_set_free(rs);
}

static void
test_invalid(void)
{
	char dir[4096], path[4400];
	struct dirent **names;
	int n, i;

	snprintf(dir, sizeof(dir), "%s",
	    tap_srcpath("tests/malformed/rules"));
	n = scandir(dir, &names, NULL, alphasort);
	tap_check(n > 10, "invalid rule pack fixtures exist");
	for (i = 0; i < n; i++) {
		struct rule_set *rs;
		struct mx_err err;
		int rc;

		if (names[i]->d_name[0] == '.') {
			free(names[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		rs = rule_set_new();
		mx_err_init(&err);
		rc = rule_set_load_file(rs, path, &err);
		tap_check(rc == -1 && (err.code == MX_ERR_INPUT ||
		    err.code == MX_ERR_LIMIT) &&
		    strncmp(err.where, path, strlen(path)) == 0 &&
		    rule_set_count(rs) == 0,
		    "%s is refused naming the file: %s: %s", names[i]->d_name,
		    err.where + strlen(dir) + 1, err.msg);
		rule_set_free(rs);
		free(names[i]);
	}
	free(names);
}

static void
test_line_numbers(void)
{
	struct rule_set *rs = rule_set_new();
	struct mx_err err;
	char path[4096];

	mx_err_init(&err);
	snprintf(path, sizeof(path), "%s",
	    tap_srcpath("tests/malformed/rules/select-syntax.xml"));
	rule_set_load_file(rs, path, &err);
	tap_check(strstr(err.where, ".xml:5") != NULL,
	    "an XPath error names the line of its select element (%s)",
	    err.where);
	rule_set_free(rs);
}

int
main(void)
{
	xml_init();
	test_valid();
	test_invalid();
	test_line_numbers();
	return tap_done();
}
