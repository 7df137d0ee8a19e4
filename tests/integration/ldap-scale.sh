#!/bin/sh
# ldap-scale.sh - a large collection analysed in a second step: collect
# 1,200 generated receive connectors from a private slapd on 127.0.0.1
# (each with a security descriptor of some 40 entries, as Exchange's own
# connectors have), then analyze, report, diff,
# audit --baseline and which-connector on the files mxbpa wrote, which are
# larger than libxml2's 10,000,000-byte in-memory lookup limit.
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"

ldap_data=$top/tests/integration/ldap-data
slapd_dir=$scratch/slapd
. "$ldap_data/slapd-env.sh"

missing=$(slapd_env_missing)
if [ -n "$missing" ]; then
	echo "1..0 # SKIP $missing not installed"
	exit 0
fi
trap 'slapd_env_stop; [ -n "$MXBPA_KEEP" ] || rm -rf "$scratch"' EXIT

build=${MXBPA_TOP_BUILDDIR:-$(dirname "$(dirname "$MXBPA")")}
sddl2bin=$build/tests/tools/sddl2bin
n=1200
config_base="CN=Configuration,DC=fabrikam,DC=com"

# size_over BYTES FILE: the file is larger than BYTES.
size_over() {
	test "$(wc -c <"$2")" -gt "$1"
}

mkdir -p "$slapd_dir"
r=0
{
	slapd_env_certs && slapd_env_config &&
	awk -v mode=sddl -v n=$n -v accounts=$n \
	    -f "$ldap_data/gen-forest.awk" |
	    awk -v extra=40 -f "$top/tests/integration/ldap-data/more-aces.awk" |
	    "$sddl2bin" > "$slapd_dir/sd.b64" &&
	awk -v mode=ldif -v n=$n -v accounts=$n -v sds="$slapd_dir/sd.b64" \
	    -f "$ldap_data/gen-forest.awk" |
	    awk -v suffix="DC=fabrikam,DC=com" \
	    -f "$ldap_data/ldif-prepare.awk" > "$slapd_dir/fabrikam.ldif" &&
	slapd_env_load "DC=fabrikam,DC=com" "$slapd_dir/fabrikam.ldif" &&
	slapd_env_start
} >"$scratch/setup.log" 2>&1 || r=1
ok $r "a private slapd starts with $n generated connectors"
if [ $r -ne 0 ]; then
	sed 's/^/# /' "$scratch/setup.log" "$slapd_dir"/*.log 2>/dev/null | head -40
	finish
	exit 1
fi
uri="ldap://127.0.0.1:$slapd_port"

m=$scratch/model.xml
run_mxbpa collect --ldap "$uri" --base "$config_base" -o "$m"
status_is 0 "collect of $n connectors succeeds"
check "the model holds all $n connectors" \
	test "$(xcount '//*[local-name()="receive-connector"]' "$m")" = $n
check "the model is over 10,000,000 bytes" size_over 10000000 "$m"

f=$scratch/findings.xml
run_mxbpa analyze "$m" -o "$f"
check "analyze reads the model back (exit 0 or 1, no internal error)" \
	sh -c "[ $status -le 1 ] && ! grep -q 'Huge input lookup\|internal error' '$scratch/stderr'"
check "the findings hold the relay headline and the coverage of $n connectors" \
	test "$(xcount "/*/*[local-name()='coverage']/*[local-name()='server']/*[@kind='permissions']/@objects[. > 0]" "$f")" -ge 1
check "the findings are over 10,000,000 bytes" size_over 10000000 "$f"

run_mxbpa report "$f" --format text -o "$scratch/report.txt"
check "report reads the findings back" \
	sh -c "[ $status -le 1 ] && grep -q '^Relay: ' '$scratch/report.txt'"

run_mxbpa diff "$m" "$m"
status_is 0 "diff reads two large models back: no change"
run_mxbpa diff "$f" "$f"
status_is 0 "diff reads two large findings files back: no change"

run_mxbpa audit --import "$m" --baseline "$f" --format xml \
	-o "$scratch/again.xml"
check "audit --import MODEL --baseline FINDINGS reads both back" \
	sh -c "[ $status -le 1 ] && ! grep -q 'internal error' '$scratch/stderr'"
check "against its own baseline, no finding changed" \
	test "$(xcount "//*[local-name()='change'][@kind='finding']" "$scratch/again.xml")" = 0

server=$("$XMLLINT" --xpath 'string((//*[local-name()="server"][*[local-name()="receive-connector"]])[1]/@name)' "$m")
run_mxbpa which-connector --server "$server" --local 0.0.0.0:25 \
	--remote 192.0.2.1 "$m"
check "which-connector reads the large model back" \
	sh -c "[ $status -le 1 ] && ! grep -q 'internal error' '$scratch/stderr'"

finish
