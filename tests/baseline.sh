#!/bin/sh
# baseline.sh - mxbpa diff and audit --baseline: two models that differ in
# one ACE, one remote IP range and one removed connector give exactly those
# three changes; findings files compare by finding; the HTML report shows
# the changes as its recent changes.
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"
cd "$top"
old=tests/data/models/baseline-old.xml
new=tests/data/models/baseline-new.xml

run_mxbpa diff "$old" "$new" --format xml -o "$scratch/changes.xml"
status_is 1 "diff exits 1 when the models differ"
c=$scratch/changes.xml
check "exactly three changes" test "$(xcount '//*[local-name()="change"]' "$c")" = 3
check "the added ACE is one change on its connector" \
	test "$(xcount "//*[local-name()='change'][@type='added'][@kind='ace'][@object='EX01\\Anonymous Relay'][contains(@item, 'ms-Exch-Bypass-Anti-Spam')]" "$c")" = 1
check "the added remote IP range is one change on its connector" \
	test "$(xcount "//*[local-name()='change'][@type='added'][@kind='remote-ip-range'][@object='EX01\\Anonymous Relay'][@item='10.1.6.0/24']" "$c")" = 1
check "the removed connector is one change, its contents are not listed" \
	test "$(xcount "//*[local-name()='change'][@type='removed'][@kind='receive-connector'][@object='EX01\\Legacy App']" "$c")" = 1

run_mxbpa diff "$new" "$old"
status_is 1 "diff the other way exits 1 too"
check "the other way, the connector is added and the ACE removed" \
	sh -c "grep -q '^+ receive-connector EX01.Legacy App\$' '$scratch/stdout' &&
	    grep -q '^- ace EX01.Anonymous Relay: allow .*ms-Exch-Bypass-Anti-Spam\$' '$scratch/stdout' &&
	    grep -q '^- remote-ip-range EX01.Anonymous Relay: 10.1.6.0/24\$' '$scratch/stdout'"
check "the text output has a header and three lines" \
	test "$(wc -l <"$scratch/stdout")" = 4

run_mxbpa diff "$old" "$old"
status_is 0 "diff of a model with itself exits 0"
check "and lists no change" grep -q ': 0 change(s)$' "$scratch/stdout"

# A changed setting and attribute are changes, not a removal and an addition.
sed -e 's/protocol-logging="Verbose"/protocol-logging="None"/' \
    -e 's|<auth-mechanism name="Tls"/>|<auth-mechanism name="Tls"/><setting name="MaxMessageSize" value="36 MB"/>|' \
    "$new" >"$scratch/new2.xml"
sed -e 's|<auth-mechanism name="Tls"/>|<auth-mechanism name="Tls"/><setting name="MaxMessageSize" value="10 MB"/>|' \
    "$new" >"$scratch/new1.xml"
run_mxbpa diff "$scratch/new1.xml" "$scratch/new2.xml"
status_is 1 "diff sees changed settings"
check "a changed attribute reads old -> new" \
	grep -q '^~ setting EX01.Anonymous Relay: protocol-logging: Verbose -> None$' "$scratch/stdout"
check "a changed setting element reads old -> new" \
	grep -q '^~ setting EX01.Anonymous Relay: MaxMessageSize: 10 MB -> 36 MB$' "$scratch/stdout"

# Findings files.
run_mxbpa analyze "$old" -o "$scratch/f0.xml"
run_mxbpa analyze "$new" -o "$scratch/f1.xml"
run_mxbpa diff "$scratch/f0.xml" "$scratch/f1.xml" --format xml -o "$scratch/fc.xml"
status_is 1 "diff of two findings files exits 1 when they differ"
check "a finding of the removed connector is resolved" \
	test "$(xcount "//*[local-name()='change'][@type='removed'][@kind='finding'][@object='EX01\\Legacy App']" "$scratch/fc.xml")" -ge 1
check "the findings' connector list shows the removed connector" \
	test "$(xcount "//*[local-name()='change'][@type='removed'][@kind='receive-connector'][@object='EX01\\Legacy App']" "$scratch/fc.xml")" = 1
check "no change is invented for what is in both" \
	test "$(xcount "//*[local-name()='change'][@kind='finding'][@object='EX01\\Default Frontend EX01']" "$scratch/fc.xml")" = 0

run_mxbpa diff "$scratch/f0.xml" "$new"
status_is 2 "a findings file and a model do not compare"
run_mxbpa diff "$old"
status_is 2 "diff needs two files"
run_mxbpa diff "$old" tests/data/rules/engine.xml
status_is 2 "a file that is neither a model nor findings is refused"

# audit --baseline fills the recent changes.
run_mxbpa audit --import "$new" --baseline "$old" --format xml -o "$scratch/af.xml"
check "audit --baseline writes valid findings" \
	"$XMLLINT" --noout --relaxng schemas/findings.rng "$scratch/af.xml"
check "the findings carry the three model changes once each" \
	test "$(xcount "//*[local-name()='changes']/*[@kind!='finding']" "$scratch/af.xml")" = 3
check "the findings carry the findings that changed" \
	test "$(xcount "//*[local-name()='changes']/*[@kind='finding']" "$scratch/af.xml")" -ge 1
run_mxbpa report "$scratch/af.xml" --format html -o "$scratch/af.html"
check "the HTML report lists the changes under recent changes" \
	sh -c "grep -q 'id=\"changes\"' '$scratch/af.html' &&
	    grep -q '10.1.6.0/24' '$scratch/af.html'"
run_mxbpa audit --import "$new" --baseline "$scratch/f0.xml" --format xml -o "$scratch/af2.xml"
check "a findings file is a baseline too" \
	test "$(xcount "//*[local-name()='changes']/*[@kind='receive-connector'][@type='removed']" "$scratch/af2.xml")" = 1
finish
