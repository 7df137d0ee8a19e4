#!/bin/sh
# input-sources.sh - what mxbpa does when its inputs cannot support a
# verdict: two exports of one connector are an input error naming both
# files (never pooled); a remote range that does not parse, in CLIXML or
# LDIF, leaves its connector's verdict undetermined (the rest is still
# analysed); a security descriptor without its DACL is permissions not
# read, a NULL DACL is an open door.
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"
cd "$top"
src=tests/data/sources
ldif=tests/data/unreadable/ldif/relay.ldif
R="*[local-name()='relay']"
C="*[local-name()='coverage']"
F="*[local-name()='finding']"

# org DIR: the accepted domains and the server, into DIR.
org() {
	mkdir -p "$1"
	cp "$src/accepted-domains.xml" "$src/exchange-servers.xml" "$1/"
}

# --- two permission exports of one connector ---------------------------------
# The old export denies ANONYMOUS LOGON Accept-Any-Recipient first; the
# current one only allows.  Pooled, the old deny hid the relay.
d=$scratch/dup
org "$d"
cp "$src/rc.xml" "$src/perm-old.xml" "$src/perm-current.xml" "$d/"
run_mxbpa audit --import "$d" --format xml -o "$scratch/dup.xml"
status_is 2 "two Get-ADPermission exports of one connector: an input error"
check "the error names the second export" grep -q 'dup/perm-old.xml' "$scratch/stderr"
check "the error names the first export" grep -q 'dup/perm-current.xml' "$scratch/stderr"
check "the error names the connector and says how to fix it" \
	grep -q 'permission entries of connector "EX01.Relay".*import the current export only' "$scratch/stderr"
check "no findings are written" test ! -e "$scratch/dup.xml"
run_mxbpa audit --import "$src/rc.xml" --import "$src/perm-current.xml" \
    --import "$src/perm-old.xml" --import "$src/accepted-domains.xml" -o "$scratch/dup.txt"
status_is 2 "the same two exports named one by one: an input error"

# The current export alone (with the connectors, domains and server of the
# same organisation): the relay is found.
run_mxbpa audit --import "$src/rc.xml" --import "$src/perm-current.xml" \
    --import "$src/accepted-domains.xml" --import "$src/exchange-servers.xml" \
    --format xml -o "$scratch/current.xml"
status_is 1 "Get-ReceiveConnector, Get-ADPermission, accepted domains and servers combine"
check "the current export alone: relay possible" \
	test "$(xcount "/*/$R[@verdict='possible']" "$scratch/current.xml")" = 1
# The same file twice, or a copy of the same bytes, is one export.
cp "$src/perm-current.xml" "$scratch/perm-copy.xml"
run_mxbpa audit --import "$src/rc.xml" --import "$src/perm-current.xml" \
    --import "$scratch/perm-copy.xml" --import "$src/accepted-domains.xml" \
    --import "$src/perm-current.xml" --format xml -o "$scratch/copy.xml"
status_is 1 "a copy of the same export is not a second export"

# A stale model beside current exports: its connector settings and
# permission entries would be pooled with theirs.
d=$scratch/stale
org "$d"
cp "$src/rc.xml" "$d/"
cp "$src/perm-current.xml" "$d/perm.xml"
cp "$src/model-old.xml" "$d/model.xml"
run_mxbpa audit --import "$d" -o "$scratch/stale.txt"
status_is 2 "a stale model beside current exports: an input error"
check "the error names the model and the current export" \
	sh -c "grep -q 'stale/perm.xml' '$scratch/stderr' && grep -q 'stale/model.xml' '$scratch/stderr'"
rm "$d/model.xml"
run_mxbpa audit --import "$d" -o "$scratch/stale.txt"
status_is 1 "without the stale model: the current exports are read"

# A model and probes: two inputs of different kinds combine.
run_mxbpa collect --import "$src/rc.xml" --import "$src/perm-current.xml" \
    --import "$src/accepted-domains.xml" -o "$scratch/m1.xml"
status_is 0 "a model is collected from the current exports"
sed -e '/<organization/,/<\/organization>/d' tests/rules/CROSS-001/bad.xml \
    >"$scratch/probes.xml"
run_mxbpa analyze "$scratch/m1.xml" "$scratch/probes.xml" -o "$scratch/mp.xml"
status_is 1 "a model plus a model of probes are analysed together"
check "the probe's verdict reached the findings (PROBE-001)" \
	test "$(xcount "//*[local-name()='finding'][@rule='PROBE-001']" "$scratch/mp.xml")" -ge 1
run_mxbpa analyze "$scratch/m1.xml" "$scratch/m1.xml" -o "$scratch/mm.xml"
status_is 1 "the same model given twice is one input"
cp "$scratch/m1.xml" "$scratch/m2.xml"
run_mxbpa analyze "$scratch/m1.xml" "$scratch/m2.xml" -o "$scratch/mm.xml"
status_is 2 "two models stating the same connector: an input error"

# --- a remote range that does not parse ---------------------------------------
# ldif_case NAME RANGE: relay.ldif with RANGE as the connector's range.
ldif_case() {
	mkdir -p "$scratch/$1"
	sed "188s|^msExchSmtpReceiveRemoteIPRanges: .*|msExchSmtpReceiveRemoteIPRanges: $2|" \
	    "$ldif" >"$scratch/$1/x.ldif"
}

for c in 'mask:10.0.0.0(255.0.255.0)' 'reversed:10.0.0.255-10.0.0.1' \
    'garbage:10.0.9.0(255.255.255.0'; do
	name=${c%%:*} range=${c#*:}
	ldif_case "$name" "$range"
	run_mxbpa audit --import "$scratch/$name" --format xml -o "$scratch/$name.xml"
	f=$scratch/$name.xml
	status_is 1 "LDIF range $range: analysed (exit 1: the relay could not be determined)"
	check "LDIF range $range: the relay verdict could not be determined" \
		test "$(xcount "/*/$R[@verdict='undetermined']" "$f")" = 1
	check "LDIF range $range: the headline names the connector, the value and file:line" \
		test "$(xcount "/*/$R/*[contains(., 'EX01\\Relay') and contains(., '$range') and contains(., 'x.ldif:188')]" "$f")" -ge 1
	check "LDIF range $range: coverage marks the connector's configuration unreadable" \
		test "$(xcount "/*/$C//*[local-name()='unreadable'][@input='connectors'][@object='EX01\\Relay'][contains(@state, 'x.ldif:188')]" "$f")" = 1
	check "LDIF range $range: the coverage is not complete" \
		test "$(xcount "/*/$C[@complete='false']" "$f")" = 1
	check "LDIF range $range: no TOPO-002 (unreachable) on the connector" \
		test "$(xcount "//$F[@rule='TOPO-002']" "$f")" = 0
	check "LDIF range $range: the warning gives file:line, then the whole DN" \
		grep -q 'x.ldif:188: CN=Relay,.*,DC=contoso,DC=com: msExchSmtpReceiveRemoteIPRanges' "$scratch/stderr"
	run_mxbpa collect --import "$scratch/$name" -o "$scratch/$name.model.xml"
	run_mxbpa which-connector --server EX01 --local 10.1.1.1:25 \
	    --remote 10.0.0.5 "$scratch/$name.model.xml"
	status_is 1 "LDIF range $range: which-connector has no single answer"
	check "LDIF range $range: which-connector says the answer is undetermined and why" \
		grep -q '^Undetermined: connector EX01.Relay has an unreadable binding or remote range' "$scratch/stdout"
	check "LDIF range $range: which-connector does not claim that no connector accepts" \
		sh -c "! grep -q 'No enabled connector accepts' '$scratch/stdout'"
done

# The same in CLIXML: the connector is undetermined, the rest is read.
for x in bad-ip-range reversed-ip-range bad-binding-address bad-binding-port; do
	f=tests/data/unreadable/clixml/$x.xml
	run_mxbpa collect --import "$f" -o "$scratch/$x.model.xml"
	status_is 0 "CLIXML $x: read, not refused"
	check "CLIXML $x: the connector's configuration is unreadable, with file:line" \
		test "$(xcount "//*[local-name()='receive-connector'][@configuration='unreadable'][contains(@configuration-error, '$x.xml:')]" "$scratch/$x.model.xml")" = 1
	check "CLIXML $x: the warning gives file:line" grep -q "$x.xml:[0-9]" "$scratch/stderr"
done
run_mxbpa audit --import tests/data/unreadable/clixml/bad-ip-range.xml \
    --import "$src/accepted-domains.xml" --format xml -o "$scratch/cbad.xml"
check "CLIXML bad range: the relay verdict could not be determined" \
	test "$(xcount "/*/$R[@verdict='undetermined']" "$scratch/cbad.xml")" = 1
run_mxbpa audit --import tests/data/unreadable/clixml/bad-ip-range.xml \
    --import "$src/rc.xml" --import "$src/perm-current.xml" \
    --import "$src/accepted-domains.xml" --format xml -o "$scratch/cbad2.xml"
check "CLIXML bad range: another connector of the export is judged (RELAY-001 on Relay)" \
	test "$(xcount "//$F[@rule='RELAY-001'][@object='EX01\\Relay']" "$scratch/cbad2.xml")" = 1
check "CLIXML bad range: the connector with the bad range is not checked by RELAY-001" \
	test "$(xcount "//*[local-name()='rule'][@id='RELAY-001'][@checked='1'][@not-checked='1']" "$scratch/cbad2.xml")" = 1

# --- numbers and titles in messages ---------------------------------------------
ldif_case half '0.0.0.0-127.255.255.255\nmsExchSmtpReceiveRemoteIPRanges: 128.0.0.0-255.255.255.254'
run_mxbpa audit --import "$scratch/half" -o "$scratch/half.txt"
check "a size over 10^9 prints as an integer (4294967295 addresses)" \
	grep -q '(4294967295 addresses)' "$scratch/half.txt"
check "no number prints in exponent notation" \
	sh -c "! grep -q '[0-9]e+[0-9]' '$scratch/half.txt'"
ldif_case public '1.0.0.0/8'
run_mxbpa audit --import "$scratch/public" --format xml -o "$scratch/public.xml"
check "a public /8 relay range: RELAY-009 fires" \
	test "$(xcount "//$F[@rule='RELAY-009']" "$scratch/public.xml")" = 1
check "a public /8 relay range: RELAY-009's title does not call it private" \
	test "$(xcount "//$F[@rule='RELAY-009']/*[local-name()='title'][contains(., 'private') or contains(., 'privé')]" "$scratch/public.xml")" = 0
check "a public /8 relay range: the message does not say private address space" \
	test "$(xcount "//$F[@rule='RELAY-009']/*[local-name()='message'][contains(., 'private')]" "$scratch/public.xml")" = 0

# --- security descriptors without a DACL ---------------------------------------
# sd_case NAME BASE64: relay.ldif, open ranges, with that descriptor.
sd_case() {
	mkdir -p "$scratch/$1"
	awk -v sd="$2" '
	    /^msExchSmtpReceiveBindings:/ { print "msExchSmtpReceiveBindings: 0.0.0.0:25"; next }
	    /^msExchSmtpReceiveRemoteIPRanges:/ { print "msExchSmtpReceiveRemoteIPRanges: 0.0.0.0-255.255.255.255"; next }
	    /^nTSecurityDescriptor::/ { print "nTSecurityDescriptor:: " sd; skip = 1; next }
	    skip && /^ / { next }
	    { skip = 0; print }' "$ldif" >"$scratch/$1/x.ldif"
}
# Owner and group only (control 0x8000: SE_DACL_PRESENT not set), as AD
# returns it when the SD-flags control asks for OWNER|GROUP.
sd_case nodacl AQAAgBQAAAAwAAAAAAAAAAAAAAABBQAAAAAABRUAAADc9Nw7gz0rRoKLpihdBAAAAQUAAAAAAAUVAAAA3PTcO4M9K0aCi6YoAQIAAA==
# A SACL only (control 0x8010), the DACL not asked for.
sd_case saclonly AQAQgBQAAAAwAAAATAAAAAAAAAABBQAAAAAABRUAAADc9Nw7gz0rRoKLpihdBAAAAQUAAAAAAAUVAAAA3PTcO4M9K0aCi6YoAQIAAAQAHAABAAAAAkAUAAABAAABAQAAAAAAAQAAAAA=
# SE_DACL_PRESENT with OffsetDacl 0: a NULL DACL, everyone may do anything.
sd_case nulldacl AQAEgBQAAAAwAAAAAAAAAAAAAAABBQAAAAAABRUAAADc9Nw7gz0rRoKLpihdBAAAAQUAAAAAAAUVAAAA3PTcO4M9K0aCi6YoAQIAAA==
for name in nodacl saclonly; do
	run_mxbpa audit --import "$scratch/$name" --format xml -o "$scratch/$name.xml"
	f=$scratch/$name.xml
	check "$name: not an open relay (no RELAY-001)" \
		test "$(xcount "//$F[@rule='RELAY-001']" "$f")" = 0
	check "$name: the relay verdict could not be determined" \
		test "$(xcount "/*/$R[@verdict='undetermined']" "$f")" = 1
	check "$name: the headline says the permission entries were not read, and why" \
		test "$(xcount "/*/$R/*[contains(., 'permission entries of EX01\\Relay') and contains(., 'SE_DACL_PRESENT')]" "$f")" -ge 1
	check "$name: the warning gives file:line" grep -q 'x.ldif:195: CN=Relay,.*: nTSecurityDescriptor without a DACL' "$scratch/stderr"
done
run_mxbpa audit --import "$scratch/nulldacl" --format xml -o "$scratch/nulldacl.xml"
status_is 1 "NULL DACL: findings (exit 1)"
check "NULL DACL: an open relay (RELAY-001)" \
	test "$(xcount "//$F[@rule='RELAY-001'][@object='EX01\\Relay']" "$scratch/nulldacl.xml")" = 1
check "NULL DACL: relay possible" \
	test "$(xcount "/*/$R[@verdict='possible']" "$scratch/nulldacl.xml")" = 1

finish
