#!/bin/sh
# machine-formats.sh - the formats for programs: JSON parsed by jq, SARIF
# 2.1.0 with what code-scanning consumers require, JUnit XML against its
# structure and with consistent counts, CSV quoted and formula-safe.
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"
cd "$top"
demo="--import examples/contoso/receive-connectors.xml
      --import examples/contoso/ad-permissions.xml
      --import examples/contoso/accepted-domains.xml
      --import examples/contoso/exchange-servers.xml"
if ! command -v jq >/dev/null 2>&1; then
	echo "1..0 # SKIP jq is not installed (tools/debian-deps.sh)"
	exit 0
fi
run_mxbpa audit $demo --format xml -o "$scratch/f.xml"
status_is 1 "the demo audit writes findings"
n=$(xcount "//*[local-name()='finding']" "$scratch/f.xml")
nrules=$(xcount "/*/*[local-name()='rule']" "$scratch/f.xml")
nerr=$(xcount "//*[local-name()='finding'][@severity='error']" "$scratch/f.xml")
for fmt in json sarif junit csv; do
	run_mxbpa report "$scratch/f.xml" --format $fmt -o "$scratch/out.$fmt"
	status_is 1 "report --format $fmt renders the demo findings"
done
run_mxbpa audit $demo -o "$scratch/ext.sarif"
check "audit guesses sarif from a .sarif output" \
	jq -e '.version == "2.1.0"' "$scratch/ext.sarif"
run_mxbpa report "$scratch/f.xml" --format yaml
status_is 2 "an unknown format is a usage error"
check "the usage error lists the formats" grep -q "json, sarif, junit, csv" \
	"$scratch/stderr"

# JSON
check "jq parses the JSON report" jq -e . "$scratch/out.json"
check "JSON has one entry per finding" \
	test "$(jq '.findings | length' "$scratch/out.json")" = "$n"
check "JSON has one entry per rule" \
	test "$(jq '.rules | length' "$scratch/out.json")" = "$nrules"
check "JSON summary counts are numbers matching the findings" \
	test "$(jq '.summary.error' "$scratch/out.json")" = "$nerr"
check "JSON findings carry rule, severity, object and texts" \
	jq -e 'all(.findings[]; (.rule|type) == "string" and
	    (.severity|type) == "string" and (.object|type) == "string" and
	    (.title|length) > 0 and (.message|length) > 0 and
	    (.waived|type) == "boolean")' "$scratch/out.json"
run_mxbpa report "$scratch/f.xml" --format json --lang fr -o "$scratch/fr.json"
check "JSON in French carries the French texts" \
	jq -e '.lang == "fr" and any(.findings[]; .title |
	    test("relais ouvert"))' "$scratch/fr.json"

# SARIF: what GitHub code scanning and other consumers require.
s=$scratch/out.sarif
check "jq parses the SARIF log" jq -e . "$s"
check "SARIF version is 2.1.0 with the 2.1.0 \$schema" \
	jq -e '.version == "2.1.0" and (."$schema" | test("sarif-schema-2.1.0.json$"))' "$s"
check "SARIF has one run with tool.driver.name" \
	jq -e '(.runs | length) == 1 and .runs[0].tool.driver.name == "mxbpa"' "$s"
check "SARIF driver lists every rule with id and shortDescription" \
	jq -e --argjson n "$nrules" '(.runs[0].tool.driver.rules | length) == $n
	    and all(.runs[0].tool.driver.rules[]; (.id|type) == "string" and
	    (.shortDescription.text|length) > 0 and
	    (.defaultConfiguration.level | IN("error","warning","note","none")))' "$s"
check "SARIF has one result per finding" \
	test "$(jq '.runs[0].results | length' "$s")" = "$n"
check "SARIF results have ruleId, a valid level, a message and a location" \
	jq -e 'all(.runs[0].results[]; (.ruleId|type) == "string" and
	    (.level | IN("error","warning","note","none")) and
	    (.message.text|length) > 0 and (.locations|length) >= 1 and
	    (.locations[0].physicalLocation.artifactLocation.uri|length) > 0)' "$s"
check "SARIF ruleIndex points at the rule of the same id" \
	jq -e '.runs[0].tool.driver.rules as $r | all(.runs[0].results[];
	    .ruleIndex == null or $r[.ruleIndex].id == .ruleId)' "$s"
check "SARIF error findings are level error" \
	test "$(jq '[.runs[0].results[] | select(.level == "error")] | length' "$s")" = "$nerr"
check "SARIF results carry a stable fingerprint" \
	jq -e 'all(.runs[0].results[]; (.partialFingerprints | length) > 0)' "$s"

# JUnit
j=$scratch/out.junit
check "JUnit matches the JUnit structure" \
	"$XMLLINT" --noout --relaxng tests/data/schemas/junit.rng "$j"
check "JUnit has one testsuite per rule, after the relay headline's" \
	test "$(xcount '/testsuites/testsuite' "$j")" = "$((nrules + 1))"
check "JUnit's first testsuite is the relay headline, failed (relay possible)" \
	test "$(xcount "/testsuites/testsuite[1][@name='relay']/testcase/failure[@type='relay']" "$j")" = 1
check "JUnit has one failing testcase per finding" \
	test "$(xcount "//testcase[failure][@classname != 'mxbpa.relay']" "$j")" = "$n"
check "JUnit testsuites counts agree with the testcases" \
	test "$("$XMLLINT" --xpath 'string(/testsuites/@tests)' "$j")" = \
	    "$(xcount '//testcase' "$j")"
check "JUnit testsuite counts agree with their testcases" \
	test "$(xcount '//testsuite[@tests != count(testcase) or @failures != count(testcase/failure) or @skipped != count(testcase/skipped)]' "$j")" = 0
check "JUnit names a failing testcase after its object" \
	test "$(xcount "//testcase[@classname='mxbpa.RELAY-001'][@name='EX02\\Default Frontend EX02']/failure[@type='error']" "$j")" = 1

# CSV
c=$scratch/out.csv
check "CSV has a header, the relay headline and one row per finding (CRLF)" \
	test "$(grep -c "$(printf '\r')\$" "$c")" -ge "$((n + 2))"
check "CSV header names the columns" \
	grep -q '^severity,rule,category,server,connector,object_kind,object,waived,title,message,remediation,references' "$c"

# Hostile texts: formulas, quotes, backslashes, newlines.
run_mxbpa report tests/data/findings/formula.xml --format csv -o "$scratch/h.csv"
status_is 1 "report --format csv renders hostile texts"
check "a cell starting with = is prefixed with an apostrophe" \
	grep -q "\"'=HYPERLINK(\"\"http://x.invalid\"\")\"," "$scratch/h.csv"
check "cells starting with + - @ and tab are prefixed" \
	sh -c "grep -q \"\\\"'+Relay\\\"\" '$scratch/h.csv' &&
	    grep -q \"\\\"'-2+3 \" '$scratch/h.csv' &&
	    grep -q \"\\\"'@SUM(1,2)\\\"\" '$scratch/h.csv' &&
	    grep -q \"\\\"'$(printf '\t')tab first\\\"\" '$scratch/h.csv'"
check "no cell starts with a formula character unprefixed" \
	sh -c "! grep -qE '(^|,)\"[=+@-]' '$scratch/h.csv'"
if command -v python3 >/dev/null 2>&1; then
	check "a CSV reader gets 12 cells per row and the texts back" \
	    python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
assert len(rows) == 5, rows
assert all(len(r) == 12 for r in rows), rows
assert rows[1][0] == "headline" and rows[1][5] == "relay", rows[1]
assert rows[2][8] == "'"'"'-2+3 \"quoted\" \\ back\\slash", rows[2][8]
assert rows[2][9].startswith("first line\nsecond line"), rows[2][9]
assert rows[2][11] == "Ref, with comma <https://example.invalid/a?b=\"c\">"
' "$scratch/h.csv"
fi
run_mxbpa report tests/data/findings/formula.xml --format json -o "$scratch/h.json"
check "jq parses JSON with quotes, backslashes and control characters" \
	jq -e '.findings[0].title == "-2+3 \"quoted\" \\ back\\slash" and
	    (.findings[0].message | startswith("first line\nsecond line\r\ttab")) and
	    (.findings[0].message | contains("\\n not a newline"))' "$scratch/h.json"
run_mxbpa report tests/data/findings/formula.xml --format sarif -o "$scratch/h.sarif"
check "jq parses SARIF with hostile texts; unlisted rules have no ruleIndex" \
	jq -e '[.runs[0].results[] | select(.ruleIndex == null)] | length == 2' "$scratch/h.sarif"
run_mxbpa report tests/data/findings/formula.xml --format junit -o "$scratch/h.junit"
check "JUnit with hostile texts matches the structure" \
	"$XMLLINT" --noout --relaxng tests/data/schemas/junit.rng "$scratch/h.junit"
check "JUnit gives findings of unlisted rules their own testsuite" \
	test "$(xcount "//testsuite[@name='TEST-003']/testcase/failure" "$scratch/h.junit")" = 1
check "JUnit marks a rule with nothing to check as skipped" \
	test "$(xcount "//testsuite[@name='TEST-002']/testcase/skipped" "$scratch/h.junit")" = 1
finish
