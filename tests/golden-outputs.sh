#!/bin/sh
# golden-outputs.sh - outputs on the demo topology compared byte for byte with
# tests/golden/<case>/*.expected ("make golden-update" regenerates them
# after a deliberate change).  SOURCE_DATE_EPOCH fixes the timestamps.
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"
cd "$top"
: "${SOURCE_DATE_EPOCH:=1795435200}"
export SOURCE_DATE_EPOCH
demo="--import examples/contoso/receive-connectors.xml
      --import examples/contoso/ad-permissions.xml
      --import examples/contoso/accepted-domains.xml
      --import examples/contoso/exchange-servers.xml"

# golden NAME DESCRIPTION ARGS...: run mxbpa ARGS, compare with NAME.
golden() {
	name=$1
	desc=$2
	shift 2
	expected=tests/golden/contoso/$name.expected
	set +e
	$MXBPA_WRAP "$MXBPA" "$@" >"$scratch/$name" 2>"$scratch/stderr"
	set -e
	if [ -n "$MXBPA_GOLDEN_UPDATE" ]; then
		cp "$scratch/$name" "$expected"
		echo "# updated $expected"
	fi
	if diff -u "$expected" "$scratch/$name" >"$scratch/diff" 2>&1; then
		ok 0 "$desc"
	else
		ok 1 "$desc"
		sed 's/^/# /' "$scratch/diff" | head -40
	fi
}

golden model.xml "the demo model is as expected" collect $demo
golden findings.xml "the demo findings are as expected" \
	audit $demo --format xml
golden report.en.txt "the English text report is as expected" \
	audit $demo --format text --lang en
golden report.fr.txt "the French text report is as expected" \
	audit $demo --format text --lang fr
golden report.json "the JSON report is as expected" \
	audit $demo --format json
golden report.sarif "the SARIF report is as expected" \
	audit $demo --format sarif
golden report.junit.xml "the JUnit report is as expected" \
	audit $demo --format junit
golden report.csv "the CSV report is as expected" \
	audit $demo --format csv

# The demo must show every rule that has a fixture firing at least once.
# Probe and cross-check rules need live probes, the SMTPVS rules Exchange
# 2003 virtual servers, which the exported demo does not have; the rules
# listed in not_in_demo judge configurations the demo does not contain
# (their fixtures show them firing); COVER-001 needs a descriptor that
# could not be read, which exports never lack.
not_in_demo="RELAY-011 RELAY-014 RELAY-015 RELAY-016 RELAY-017 AUTH-002 AUTH-004 TOPO-002 TOPO-003 COVER-001"
for id in $(ls tests/rules | grep -v -e "^PROBE-" -e "^CROSS-" -e "^SMTPVS-"); do
	case " $not_in_demo " in *" $id "*) continue ;; esac
	check "the demo shows $id" grep -q "rule=\"$id\"" \
		tests/golden/contoso/findings.xml.expected
done

# model -> collect -> model: the topology survives a round trip.
$MXBPA_WRAP "$MXBPA" collect $demo -o "$scratch/m1.xml"
$MXBPA_WRAP "$MXBPA" collect --import "$scratch/m1.xml" -o "$scratch/m2.xml"
"$XMLLINT" --xpath "/*/*[local-name()='organization']" "$scratch/m1.xml" >"$scratch/o1"
"$XMLLINT" --xpath "/*/*[local-name()='organization']" "$scratch/m2.xml" >"$scratch/o2"
check "a model imported again keeps the same topology" cmp -s "$scratch/o1" "$scratch/o2"
check "a re-imported model keeps the original sources and adds itself" \
	test "$(xcount "/*/*[local-name()='source']" "$scratch/m2.xml")" = 5

finish
