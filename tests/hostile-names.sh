#!/bin/sh
# hostile-names.sh - names that PowerShell would run stay inert in every
# command a report tells the user to paste.  For every rule of the shipped
# packs whose remediation holds a command, its bad.xml fixture is given
# hostile names (tests/tools/hostile-names.xsl: a $(...) subexpression, a
# variable, a backtick, ";", ASCII and Unicode single and double quotes, a
# line feed and a carriage return appended to every server, connector and
# virtual server name, identity, FQDN, probe target and certificate
# subject); the rule must still fire, and tests/tools/ps-inert.py checks
# each command of the findings (no control character, strings closed, the
# hostile text only inside single-quoted strings and whole) and finds it
# unchanged in the HTML, text, JSON, CSV, SARIF and JUnit reports, in
# English and French.
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"
cd "$top"
MXBPA_DATADIR=$top
export MXBPA_DATADIR
for t in python3 xsltproc; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "1..0 # SKIP $t is not installed (tools/debian-deps.sh)"
		exit 0
	fi
done

marker=mxbpa-pwned
# ‘ ’ ‚ ‛ are single quotes to PowerShell, “ ” „ double quotes.
suffix=$(printf ' $(New-Item -Path %s) `$env:USERNAME ; Remove-Item %s '"'"' " \342\200\230 \342\200\231 \342\200\232 \342\200\233 \342\200\234 \342\200\235 \342\200\236 x\ny\rz' "$marker" "$marker")

# The negative twin: commands written the old ways are refused, each.
set +e
python3 tests/tools/ps-inert.py "$marker" "$suffix" \
    tests/data/findings/unquoted-commands.xml >"$scratch/inert" 2>&1
r=$?
set -e
refused=$(grep '^not ok' "$scratch/inert" | cut -d: -f2 | sort -u | grep -c . || true)
[ "$r" -ne 0 ] && [ "$refused" -eq 4 ] && r=0 || r=1
ok "$r" "the checker refuses double quotes, undoubled ASCII and Unicode single quotes and a line break ($refused of 4)"

# The rules whose remediation holds a command, pack by pack.
rules=$scratch/rules
: >"$rules"
for pack in rules/*.xml; do
	"$XMLLINT" --xpath "//*[local-name()='rule'][.//*[local-name()='command']]/@id" \
	    "$pack" 2>/dev/null | sed 's/ id="\([^"]*\)"/\1\n/g' | grep . >>"$rules" || true
done
n=$(grep -c . "$rules" || true)
check "the shipped packs have rules with commands ($n)" test "$n" -ge 20

total=0
while read -r id <&3; do
	m=$scratch/$id.xml
	f=$scratch/$id-findings.xml
	xsltproc --stringparam hostile "$(printf '%s' "$suffix" |
	    sed "s/'/§/g; s/\"/¶/g")" tests/tools/hostile-names.xsl \
	    "tests/rules/$id/bad.xml" >"$m"
	run_mxbpa analyze "$m" --fail-on info -o "$f"
	status_is 1 "$id: the model with hostile names is analysed (findings)"
	check "$id still fires with hostile names" \
	    test "$(xcount "//*[local-name()='finding'][@rule='$id']" "$f")" -ge 1
	specs=
	failed=
	for lang in en fr; do
		for fmt in html text json csv sarif junit; do
			out=$scratch/$id.$lang.$fmt
			run_mxbpa report "$f" --lang "$lang" --format "$fmt" -o "$out"
			[ "$status" -le 1 ] || failed="$failed $fmt/$lang"
			specs="$specs $fmt:$lang=$out"
		done
	done
	[ -z "$failed" ] && r=0 || r=1
	ok "$r" "$id: rendered in every format and language${failed:+ (failed:$failed)}"
	set +e
	# shellcheck disable=SC2086
	python3 tests/tools/ps-inert.py "$marker" "$suffix" "$f" $specs \
	    >"$scratch/inert" 2>&1
	r=$?
	set -e
	carrying=$(sed -n 's/^# [0-9]* command(s), \([0-9]*\) with a hostile name$/\1/p' "$scratch/inert")
	total=$((total + ${carrying:-0}))
	ok "$r" "$id: every command is inert and shown as checked in every format ($(grep -c '^ok' "$scratch/inert") checks)"
	[ "$r" -eq 0 ] || grep '^not ok' "$scratch/inert" | head -5 | sed 's/^/# /'
done 3<"$rules"
check "hostile names reached the commands ($total commands carry one)" \
	test "$total" -ge "$n"

# The connector of the report that started this: pasting RELAY-001's fix
# must not stop the transport service.
sed 's/Anonymous Relay/Relay $(Stop-Service MSExchangeTransport)/g' \
    tests/rules/RELAY-001/bad.xml >"$scratch/stop.xml"
run_mxbpa analyze "$scratch/stop.xml" -o "$scratch/stop-findings.xml"
check "RELAY-001 fires on the connector named Relay \$(Stop-Service ...)" \
	test "$(xcount "//*[local-name()='finding'][@rule='RELAY-001'][@object='EX01\\Relay \$(Stop-Service MSExchangeTransport)']" "$scratch/stop-findings.xml")" = 1
check "its command quotes the name in single quotes" \
	grep -qF "<command>Get-ReceiveConnector 'EX01\\Relay \$(Stop-Service MSExchangeTransport)' | Remove-ADPermission" "$scratch/stop-findings.xml"
"$XMLLINT" --xpath "//*[local-name()='remediation']" "$scratch/stop-findings.xml" \
    >"$scratch/stop-remediations" 2>/dev/null || true
check "no remediation puts it in double quotes" \
	sh -c "[ -s '$scratch/stop-remediations' ] &&
	    ! grep -qF '\"EX01\\Relay \$(Stop-Service' '$scratch/stop-remediations'"
finish
