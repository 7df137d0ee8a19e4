#!/bin/sh
# coverage.sh - what the inputs could and could not tell: the coverage of
# the findings document, rule results (failed, passed, not applicable, not
# checked with the missing input named), the relay headline first in every
# format, and the inputs --import reads (several files, directories, a
# file holding nothing mxbpa reads).
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"
cd "$top"
demo=examples/contoso
R="*[local-name()='relay']"
C="*[local-name()='coverage']"
RULE="*[local-name()='rule']"

# --- only Get-ReceiveConnector ------------------------------------------------
run_mxbpa audit --import "$demo/receive-connectors.xml" --format xml \
	-o "$scratch/rc.xml"
status_is 1 "connectors only: exit 1 (AUTH-001, an error, is judged)"
f=$scratch/rc.xml
check "connectors only: the relay headline could not be determined" \
	test "$(xcount "/*/$R[@verdict='undetermined']" "$f")" = 1
check "connectors only: the headline names the missing Get-ADPermission for EX01" \
	test "$(xcount "/*/$R/*[local-name()='missing'][. = 'needs Get-ADPermission for EX01']" "$f")" = 1
check "connectors only: the headline names the missing accepted domains" \
	test "$(xcount "/*/$R/*[local-name()='missing'][@input='accepted-domains']" "$f")" = 1
check "connectors only: RELAY-001 is not checked, not passed 0/21" \
	test "$(xcount "/*/$RULE[@id='RELAY-001'][@status='not-checked'][@checked='0'][@not-checked='21']" "$f")" = 1
check "connectors only: RELAY-001 says what it needs for each server" \
	test "$(xcount "/*/$RULE[@id='RELAY-001']/*[local-name()='not-checked'][@input='permissions']" "$f")" = 3
check "connectors only: coverage counts 8 connectors of EX01 without permission entries" \
	test "$(xcount "/*/$C/*[local-name()='server'][@name='EX01']/*[@kind='permissions'][@objects='0'][@missing='8']" "$f")" = 1
check "connectors only: the coverage is incomplete" \
	test "$(xcount "/*/$C[@complete='false']" "$f")" = 1
check "no rule is passed on zero objects" \
	test "$(xcount "/*/$RULE[@status='passed'][@checked='0']" "$f")" = 0
check "the findings document is valid" \
	"$XMLLINT" --noout --relaxng schemas/findings.rng "$f"

# --- only Get-ADPermission --------------------------------------------------
run_mxbpa audit --import "$demo/ad-permissions.xml" --format xml \
	-o "$scratch/adp.xml"
f=$scratch/adp.xml
status_is 0 "permissions only: exit 0, nothing judged at error"
check "permissions only: no TOPO-001 finding on connectors without bindings" \
	test "$(xcount "/*/*[local-name()='finding'][@rule='TOPO-001']" "$f")" = 0
check "permissions only: TOPO-001 is not checked, naming Get-ReceiveConnector" \
	test "$(xcount "/*/$RULE[@id='TOPO-001'][@status='not-checked']/*[local-name()='not-checked'][starts-with(., 'needs Get-ReceiveConnector for EX02')]" "$f")" = 1
check "permissions only: the headline could not be determined for lack of connectors" \
	test "$(xcount "/*/$R[@verdict='undetermined']/*[local-name()='missing'][@input='connectors']" "$f")" -ge 1
check "permissions only: coverage says the connectors' configuration is missing" \
	test "$(xcount "/*/$C/*[local-name()='server']/*[@kind='connectors'][@missing > 0]" "$f")" -ge 1

# --- another cmdlet's export ---------------------------------------------------
run_mxbpa audit --import tests/data/clixml/mailboxes.xml -o "$scratch/mbx.html"
status_is 2 "a Get-Mailbox export named on the command line is an input error"
check "the error names the object type found" \
	grep -q 'found: Deserialized.Microsoft.Exchange.Data.Directory.Management.Mailbox' "$scratch/stderr"
check "the error names the cmdlets mxbpa reads" \
	grep -q 'Get-ReceiveConnector, Get-ADPermission, Get-AcceptedDomain' "$scratch/stderr"
check "no report is written" test ! -e "$scratch/mbx.html"

# --- an unreadable descriptor ------------------------------------------------
run_mxbpa analyze tests/rules/COVER-001/bad.xml -o "$scratch/unread.xml"
f=$scratch/unread.xml
status_is 0 "unreadable descriptor: exit 0 (a warning)"
check "unreadable descriptor: COVER-001 reports the connector" \
	test "$(xcount "/*/*[local-name()='finding'][@rule='COVER-001'][@object='EX01\\Scanner Relay']" "$f")" = 1
check "unreadable descriptor: the headline could not be determined, naming the connector" \
	test "$(xcount "/*/$R[@verdict='undetermined']/*[local-name()='missing'][contains(., 'EX01\\Scanner Relay')]" "$f")" = 1
check "unreadable descriptor: coverage lists it as unreadable" \
	test "$(xcount "/*/$C/*[local-name()='server']/*[local-name()='unreadable'][@object='EX01\\Scanner Relay'][@state='not-collected']" "$f")" = 1
run_mxbpa analyze tests/rules/COVER-001/bad.xml --fail-on warning -o "$scratch/unread2.xml"
status_is 1 "unreadable descriptor: exit 1 with --fail-on warning"

# --- complete data: no relay found -------------------------------------------
run_mxbpa analyze tests/rules/COVER-001/good.xml -o "$scratch/good.xml"
f=$scratch/good.xml
check "complete data without a relay grant: no relay found" \
	test "$(xcount "/*/$R[@verdict='none-found']" "$f")" = 1
check "no relay found says what it rests on" \
	test "$(xcount "/*/$R/*[local-name()='basis'][@server='EX01']" "$f")" = 1

# --- a directory mixing supported and unsupported exports ---------------------
mkdir "$scratch/exports"
cp "$demo/receive-connectors.xml" tests/data/clixml/mailboxes.xml \
	"$scratch/exports/"
echo "notes" >"$scratch/exports/notes.txt"
run_mxbpa audit --import "$scratch/exports" --format xml -o "$scratch/dir.xml"
f=$scratch/dir.xml
status_is 1 "directory: exit 1 (the connectors were judged)"
check "directory: the Get-Mailbox export is listed as skipped" \
	test "$(xcount "/*/$C/*[local-name()='skipped'][contains(@location, 'mailboxes.xml')][contains(., 'Mailbox')]" "$f")" = 1
check "directory: the text file is listed as skipped" \
	test "$(xcount "/*/$C/*[local-name()='skipped'][contains(@location, 'notes.txt')]" "$f")" = 1
check "directory: the connectors were read" \
	test "$(xcount "/*/$C/*[local-name()='server'][@name='EX01']/*[@kind='connectors'][@objects='8']" "$f")" = 1
check "directory: the headline could not be determined" \
	test "$(xcount "/*/$R[@verdict='undetermined']" "$f")" = 1

# --- several files after one --import, as a glob gives them -------------------
run_mxbpa audit --import "$demo/receive-connectors.xml" \
	"$demo/ad-permissions.xml" "$demo/accepted-domains.xml" \
	"$demo/exchange-servers.xml" --format xml -o "$scratch/all.xml"
f=$scratch/all.xml
status_is 1 "four files after one --import: exit 1"
check "four files after one --import: four sources" \
	test "$(xcount "/*/*[local-name()='model']/*[local-name()='source']" "$f")" = 4
check "the demo: relay possible, on EX02\\Default Frontend EX02 by RELAY-001" \
	test "$(xcount "/*/$R[@verdict='possible']/*[local-name()='where'][@rule='RELAY-001'][@object='EX02\\Default Frontend EX02']" "$f")" = 1
check "the demo: how, from the derived facts: anonymous clients relay on EX02\\Relay Printers" \
	test "$(xcount "/*/$R/*[local-name()='where'][@rule='RELAY-001'][@object='EX02\\Relay Printers'][contains(concat(' ', @clients, ' '), ' anonymous ')]" "$f")" = 1
check "the demo: the headline comes before the summary" \
	test "$(xcount "/*/*[local-name()='summary']/preceding-sibling::$R" "$f")" = 1

# --- the headline first in every format ---------------------------------------
run_mxbpa report "$f" --format text -o "$scratch/r.txt"
check "text: the headline is the first line after the title" \
	test "$(sed -n 4p "$scratch/r.txt")" = "Relay: RELAY POSSIBLE"
run_mxbpa report "$f" --format json -o "$scratch/r.json"
check "json: relay.verdict" test "$(jq -r '.relay.verdict' "$scratch/r.json")" = possible
check "json: relay.where[].clients" \
	test "$(jq -r '[.relay.where[] | select(.object == "EX02\\Relay Printers" and .rule == "RELAY-001") | .clients] | .[0]' "$scratch/r.json")" = anonymous
check "json: the relay field comes before the summary" \
	test "$(jq -r 'keys_unsorted | index("relay") < index("summary")' "$scratch/r.json")" = true
check "json: rule status" \
	test "$(jq -r '.rules[] | select(.id == "CROSS-001") | .status' "$scratch/r.json")" = not-checked
run_mxbpa report "$f" --format sarif -o "$scratch/r.sarif"
check "sarif: runs[0].properties.relay.verdict" \
	test "$(jq -r '.runs[0].properties.relay.verdict' "$scratch/r.sarif")" = possible
run_mxbpa report "$f" --format csv -o "$scratch/r.csv"
check "csv: the first row is the headline" \
	sh -c "sed -n 2p '$scratch/r.csv' | grep -q '^\"headline\",\"\",\"relay\",.*\"possible\",\"no\",\"RELAY POSSIBLE\"'"
run_mxbpa report "$f" --format junit -o "$scratch/r.junit"
check "junit: the first test suite is the relay headline, failed" \
	test "$(xcount "/*/*[1][@name='relay'][@failures='1']" "$scratch/r.junit")" = 1
run_mxbpa report "$f" --format html -o "$scratch/r.html"
check "html: the headline section comes first in the page" \
	sh -c "grep -o '<section id=\"[a-z]*\"' '$scratch/r.html' | head -1 | grep -q relay"
run_mxbpa report "$f" --format text --lang fr -o "$scratch/r.fr.txt"
check "text in French: the headline is translated" \
	grep -q '^Relais : RELAIS POSSIBLE' "$scratch/r.fr.txt"

# --- nothing checked: no score ------------------------------------------------
cat >"$scratch/empty.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<topology xmlns="urn:mxbpa:model:1" version="1"
          collected="2026-11-23T10:00:00Z" generator="mxbpa 0.1.0"/>
XML
run_mxbpa audit --import "$scratch/empty.xml" -o "$scratch/empty.html"
status_is 0 "an empty model: exit 0"
check "an empty model: no score" sh -c "! grep -q 'data-score=' '$scratch/empty.html' && grep -q 'No score: nothing could be checked.' '$scratch/empty.html'"
check "an empty model: relay could not be determined" \
	grep -q 'RELAY COULD NOT BE DETERMINED' "$scratch/empty.html"

finish
