#!/bin/sh
# archive.sh - evidence archives: what audit --archive writes, what verify
# accepts and refuses.  Every tampering (a byte flipped in any member, a
# member removed or added, the manifest edited) makes verify fail naming
# the member; links, ".." and absolute names are refused; a signed archive
# verifies with openssl cms -verify and with mxbpa verify; an interrupted
# write leaves nothing under the final name.
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"
cd "$top"
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 is not installed (tools/debian-deps.sh)"
	exit 0
fi
tamper="python3 tests/tools/tar-tamper.py"
demo="--import examples/contoso/receive-connectors.xml
      --import examples/contoso/ad-permissions.xml
      --import examples/contoso/accepted-domains.xml
      --import examples/contoso/exchange-servers.xml"
a=$scratch/evidence.tar

MXBPA_LDAP_PASSWORD=never-archived-secret
export MXBPA_LDAP_PASSWORD
run_mxbpa audit $demo --baseline tests/data/models/baseline-old.xml \
	--format sarif -o "$scratch/report.sarif" --archive "$a"
status_is 1 "audit --archive exits with the verdict (findings)"
check "the archive is written" test -s "$a"
check "the system tar lists it" tar -tf "$a"
tar -tf "$a" >"$scratch/list"
for m in manifest.txt model.xml findings.xml report.sarif report.html \
    inputs/1-receive-connectors.xml inputs/4-exchange-servers.xml \
    baseline/5-baseline-old.xml; do
	check "the archive holds $m" grep -qx "$m" "$scratch/list"
done
for pack in "$top"/rules/*.xml; do
	m=$(basename "$pack")
	check "the archive holds the rule pack $m" \
	    grep -qxE "rules/[0-9]+-$m" "$scratch/list"
done
check "the manifest comes first" test "$(head -1 "$scratch/list")" = manifest.txt
tar -xOf "$a" manifest.txt >"$scratch/manifest"
check "the manifest names the tool and its version" \
	grep -qx "tool: mxbpa $("$MXBPA" --version | awk '{print $2}')" "$scratch/manifest"
check "the manifest has the creation time" \
	grep -qE '^created: [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' "$scratch/manifest"
check "the manifest has the command line" \
	grep -q '^command: mxbpa audit --import examples/contoso/receive-connectors.xml .*--archive' "$scratch/manifest"
check "the manifest lists every other member" \
	test "$(grep -c '^member: ' "$scratch/manifest")" = "$(($(wc -l <"$scratch/list") - 1))"
check "an input's digest in the manifest is the file's SHA-256" \
	grep -q "^member: $(sha256sum examples/contoso/receive-connectors.xml | cut -c1-64) $(wc -c <examples/contoso/receive-connectors.xml) inputs/1-receive-connectors.xml\$" "$scratch/manifest"
check "the archived report is the report written" \
	sh -c "tar -xOf '$a' report.sarif | cmp -s - '$scratch/report.sarif'"
check "no secret from the environment reaches the archive" \
	sh -c "! grep -q never-archived-secret '$a'"
check "no temporary file is left beside the archive" \
	test "$(ls "$scratch" | grep -c 'evidence.tar.tmp')" = 0

run_mxbpa verify "$a"
status_is 0 "verify accepts the archive as written"
check "verify says ok for each member" \
	test "$(grep -c '^ok ' "$scratch/stdout")" = "$(($(wc -l <"$scratch/list") - 1))"

# A byte flipped in any member.
for m in $(grep -v '^manifest.txt$' "$scratch/list"); do
	$tamper flip "$a" "$scratch/t.tar" "$m"
	run_mxbpa verify "$scratch/t.tar"
	if [ "$status" -eq 1 ] && grep -q "^MISMATCH  $m: SHA-256" "$scratch/stdout" &&
	    [ "$(grep -vc '^ok ' "$scratch/stdout")" = 1 ]; then
		ok 0 "a flipped byte in $m fails verify, naming $m only"
	else
		ok 1 "a flipped byte in $m fails verify, naming $m only (exit $status)"
	fi
done
$tamper remove "$a" "$scratch/t.tar" findings.xml
run_mxbpa verify "$scratch/t.tar"
status_is 1 "a removed member fails verify"
check "verify names the missing member" \
	grep -q '^MISSING   findings.xml: listed in the manifest' "$scratch/stdout"
$tamper add "$a" "$scratch/t.tar" inputs/99-extra.xml
run_mxbpa verify "$scratch/t.tar"
status_is 1 "an added member fails verify"
check "verify names the unlisted member" \
	grep -q '^UNLISTED  inputs/99-extra.xml: in the archive, not in the manifest' "$scratch/stdout"
$tamper edit-manifest "$a" "$scratch/t.tar"
run_mxbpa verify "$scratch/t.tar"
status_is 1 "an edited manifest fails verify"
check "verify names the member whose digest no longer matches" \
	grep -q '^MISMATCH  manifest.txt\|^MISMATCH  inputs/1-receive-connectors.xml: SHA-256' "$scratch/stdout"
check "the stderr summary counts the problems" \
	grep -q 'does not verify: 1 problem(s)' "$scratch/stderr"

# Members that are refused outright.
for f in tests/malformed/archive/*; do
	name=$(basename "$f" .tar)
	run_mxbpa verify "$f"
	status_is 2 "verify refuses $name with exit 2"
done
run_mxbpa verify tests/malformed/archive/dotdot.tar
check "a '..' member is refused by name" \
	grep -q 'inputs/../../evil: refused' "$scratch/stderr"
run_mxbpa verify tests/malformed/archive/absolute.tar
check "an absolute member is refused by name" \
	grep -q '/tmp/evil: refused: absolute member name' "$scratch/stderr"
run_mxbpa verify tests/malformed/archive/symlink.tar
check "a symbolic link is refused" grep -q 'refused: the member is a symbolic link' "$scratch/stderr"
run_mxbpa verify tests/malformed/archive/hardlink.tar
check "a hard link is refused" grep -q 'refused: the member is a hard link' "$scratch/stderr"
run_mxbpa verify tests/malformed/archive/duplicate.tar
check "a duplicate member is refused" grep -q 'refused: the archive holds this member twice' "$scratch/stderr"
check "verify extracted nothing" sh -c "! test -e /tmp/evil && ! test -e '$top/evil' && ! test -e '$scratch/evil'"

# Signed archives.
if command -v openssl >/dev/null 2>&1; then
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$scratch/key.pem" \
	    -out "$scratch/cert.pem" -days 2 -subj "/CN=mxbpa test signer" \
	    >/dev/null 2>&1
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$scratch/other.key" \
	    -out "$scratch/other.pem" -days 2 -subj "/CN=someone else" \
	    >/dev/null 2>&1
	s=$scratch/signed.tar
	run_mxbpa audit $demo --format text -o /dev/null --archive "$s" \
	    --sign "$scratch/key.pem" --cert "$scratch/cert.pem"
	status_is 1 "audit --sign --cert writes a signed archive"
	check "the signed archive holds manifest.p7s" \
	    sh -c "tar -tf '$s' | grep -qx manifest.p7s"
	mkdir "$scratch/x"
	(cd "$scratch/x" && tar -xf "$s" manifest.txt manifest.p7s)
	check "openssl cms -verify accepts the signature" \
	    openssl cms -verify -binary -inform DER -in "$scratch/x/manifest.p7s" \
	    -content "$scratch/x/manifest.txt" -CAfile "$scratch/cert.pem" \
	    -out /dev/null
	check "openssl cms -verify refuses another signer" \
	    sh -c "! openssl cms -verify -binary -inform DER -in '$scratch/x/manifest.p7s' \
	    -content '$scratch/x/manifest.txt' -CAfile '$scratch/other.pem' -out /dev/null"
	run_mxbpa verify "$s" --cert "$scratch/cert.pem"
	status_is 0 "mxbpa verify --cert accepts the signed archive"
	check "verify names the signer" grep -q 'manifest.p7s: signed by .*mxbpa test signer, trusted' "$scratch/stdout"
	run_mxbpa verify "$s" --cert "$scratch/other.pem"
	status_is 1 "mxbpa verify refuses a signature from an untrusted signer"
	# A signer whose certificate has expired since: still verifies.
	mkdir "$scratch/ca"
	touch "$scratch/ca/index.txt"
	echo 01 >"$scratch/ca/serial"
	printf '[ca]\ndefault_ca = d\n[d]\ndatabase = %s\nnew_certs_dir = %s\nserial = %s\ndefault_md = sha256\npolicy = p\n[p]\ncommonName = supplied\n' \
	    "$scratch/ca/index.txt" "$scratch/ca" "$scratch/ca/serial" \
	    >"$scratch/ca/ca.cnf"
	if openssl req -new -newkey rsa:2048 -nodes -keyout "$scratch/old.key" \
	    -out "$scratch/ca/old.csr" -subj "/CN=expired signer" \
	    >/dev/null 2>&1 &&
	    openssl ca -batch -selfsign -config "$scratch/ca/ca.cnf" \
	    -keyfile "$scratch/old.key" -in "$scratch/ca/old.csr" \
	    -startdate 20200101000000Z -enddate 20200201000000Z \
	    -out "$scratch/old.pem" >/dev/null 2>&1; then
		run_mxbpa audit --import tests/data/models/small.xml -o /dev/null \
		    --archive "$scratch/old.tar" --sign "$scratch/old.key" \
		    --cert "$scratch/old.pem"
		run_mxbpa verify "$scratch/old.tar" --cert "$scratch/old.pem"
		status_is 0 "an archive signed with a certificate expired since verifies"
	fi
	$tamper edit-manifest "$s" "$scratch/t.tar"
	run_mxbpa verify "$scratch/t.tar" --cert "$scratch/cert.pem"
	status_is 1 "a signed archive with an edited manifest fails verify"
	check "the signature no longer verifies over the manifest" \
	    grep -q '^BAD-SIG   manifest.txt: the signature does not verify' "$scratch/stdout"
	run_mxbpa verify "$a" --cert "$scratch/cert.pem"
	status_is 1 "an unsigned archive fails verify when a signer is expected"
	run_mxbpa audit $demo -o /dev/null --archive "$scratch/u.tar" \
	    --sign "$scratch/other.key" --cert "$scratch/cert.pem"
	status_is 2 "a key that does not match the certificate is refused"
	check "and no archive is written" test ! -e "$scratch/u.tar"
fi
run_mxbpa audit $demo -o /dev/null --sign "$scratch/key.pem" --cert "$scratch/cert.pem"
status_is 2 "--sign without --archive is a usage error"

run_mxbpa audit --import - -o /dev/null --archive "$scratch/stdin.tar" \
	<examples/contoso/receive-connectors.xml
status_is 2 "an input read from standard input cannot be archived"
check "and no archive is written" test ! -e "$scratch/stdin.tar"

# An interrupted write: the process dies (SIGXFSZ, file size limit) while
# it writes the archive; the final name keeps its previous content.
echo previous >"$scratch/int.tar"
set +e
{ ( ulimit -f 64; exec "$MXBPA" audit $demo -o /dev/null \
    --archive "$scratch/int.tar" ) >/dev/null 2>&1; } 2>/dev/null
status=$?
set -e
check "the archive write was interrupted by a signal" test "$status" -gt 128
check "the final name still holds the previous file" \
	test "$(cat "$scratch/int.tar")" = previous
check "what was written sits under a temporary name only" \
	test "$(ls "$scratch" | grep -c '^int.tar.tmp')" = 1
rm -f "$scratch"/int.tar.tmp*
rm -f "$scratch/int.tar"
set +e
{ ( ulimit -f 64; exec "$MXBPA" audit $demo -o /dev/null \
    --archive "$scratch/int.tar" ) >/dev/null 2>&1; } 2>/dev/null
set -e
check "an interrupted first write leaves no archive at all" test ! -e "$scratch/int.tar"
finish
