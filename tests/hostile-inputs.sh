#!/bin/sh
# hostile-inputs.sh - inputs built to cost far more than their size, and
# the files mxbpa writes, read back whatever their size.  Every hostile
# input ends in a clear error (exit 2) or a bounded result, in bounded
# time and memory, with nothing half-written.
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"
cd "$top"
h=tests/hostile

# Memory is capped unless the binary is instrumented (ASan and valgrind
# reserve a lot of address space up front); time is capped in any case.
instrumented() {
	[ -n "$MXBPA_WRAP" ] || nm "$MXBPA" 2>/dev/null | grep -q __asan_init
}
limit=30
instrumented && limit=300
# run_capped KIB ARGS...: run_mxbpa under a virtual memory cap and limit.
run_capped() {
	cap=$1
	shift
	set +e
	( instrumented || ulimit -v "$cap" 2>/dev/null || true
	  exec timeout "$limit" $MXBPA_WRAP "$MXBPA" "$@" ) \
	    >"$scratch/stdout" 2>"$scratch/stderr"
	status=$?
	set -e
}

# --- <Ref> amplification ----------------------------------------------------
# Thirty connectors naming one list of 16,000 ranges through <Ref>: a 280 KB
# file that used to write a 180 MB model.
awk -v connectors=30 -v ranges=16000 -f $h/gen-ref-amplification.awk \
    >"$scratch/amplified.xml"
run_capped 524288 collect --import "$scratch/amplified.xml" \
    -o "$scratch/amplified-model.xml"
status_is 2 "CLIXML: Refs repeating one list into 30 connectors are refused"
check "CLIXML: the error names the file and CLIXML_REF_ELEMENTS_MIN" \
    grep -q 'amplified.xml:.*CLIXML_REF_ELEMENTS_MIN' "$scratch/stderr"
check "CLIXML: no model is written" test ! -e "$scratch/amplified-model.xml"
# A list named by a few connectors is a bounded result.
awk -v connectors=4 -v ranges=4000 -f $h/gen-ref-amplification.awk \
    >"$scratch/shared.xml"
run_capped 1048576 collect --import "$scratch/shared.xml" \
    -o "$scratch/shared-model.xml"
status_is 0 "CLIXML: four connectors sharing one list are read"
check "CLIXML: each of them has the whole list" test \
    "$(xcount '//*[local-name()="remote-ip-range"]' "$scratch/shared-model.xml")" \
    -eq 16000

# --- a <Ref> to an enclosing object -----------------------------------------
run_mxbpa collect --import tests/data/clixml/ref-enclosing.xml \
    -o "$scratch/enclosing.xml"
status_is 0 "CLIXML: a Ref to an enclosing object is accepted"
check "CLIXML: and the connector around it is read whole" test \
    "$(xcount '//*[local-name()="receive-connector"]/*[local-name()="binding"]' \
    "$scratch/enclosing.xml")" -eq 1

# --- many tiny nodes --------------------------------------------------------
# 20 MB of empty elements: five million nodes, refused past XML_NODES_MAX
# before the tree is built (it used to cost some 30 times the file).
awk 'BEGIN {
	printf "<Objs xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
	for (i = 0; i < 50000; i++) {
		for (j = 0; j < 100; j++)
			printf "<a/>"
		printf "\n"
	}
	print "</Objs>"
}' >"$scratch/tiny.xml"
run_capped 1048576 collect --import "$scratch/tiny.xml" -o "$scratch/tiny-model.xml"
status_is 2 "CLIXML: five million empty elements are refused"
check "CLIXML: the error names the file and XML_NODES_MAX" \
    grep -q 'tiny.xml:.*XML_NODES_MAX' "$scratch/stderr"
check "CLIXML: no model is written" test ! -e "$scratch/tiny-model.xml"
# The same shape as a model (attributes are nodes too).
awk 'BEGIN {
	printf "<topology xmlns=\"urn:mxbpa:model:1\" version=\"1\">"
	for (i = 0; i < 25000; i++) {
		for (j = 0; j < 100; j++)
			printf "<a b=\"\"/>"
		printf "\n"
	}
	print "</topology>"
}' >"$scratch/tiny-model-in.xml"
run_capped 1048576 analyze "$scratch/tiny-model-in.xml" -o "$scratch/tiny-findings.xml"
status_is 2 "model: five million elements and attributes are refused"
check "model: the error names XML_NODES_MAX" \
    grep -q 'XML_NODES_MAX' "$scratch/stderr"
check "model: no findings are written" test ! -e "$scratch/tiny-findings.xml"

# --- what mxbpa writes reads back, past libxml2's 10 MB lookup limit -------
awk -v n=1200 -f $h/gen-connectors.awk tests/data/ldif/contoso.ldif \
    >"$scratch/big.ldif"
run_mxbpa collect --import "$scratch/big.ldif" -o "$scratch/big-model.xml"
status_is 0 "collect writes the model of 1,200 connectors"
check "the model is over 10 MB" test \
    "$(wc -c <"$scratch/big-model.xml")" -gt 10000000
cheap="--no-builtin-rules --rules $h/rules"
run_mxbpa analyze $cheap "$scratch/big-model.xml" -o "$scratch/big-findings.xml"
status_is 1 "analyze reads the model back (exit 1: no relay rule in the site pack, relay undetermined)"
check "the findings are over 10 MB" test \
    "$(wc -c <"$scratch/big-findings.xml")" -gt 10000000
run_mxbpa report "$scratch/big-findings.xml" --format xml -o "$scratch/big-report.xml"
status_is 1 "report reads the findings back (exit 1: relay undetermined)"
run_mxbpa diff "$scratch/big-model.xml" "$scratch/big-model.xml"
status_is 0 "diff reads two such models"
run_mxbpa diff "$scratch/big-findings.xml" "$scratch/big-findings.xml"
status_is 0 "diff reads two such findings files"
run_mxbpa which-connector --server EX01 --local 10.1.1.1:25 \
    --remote 10.1.5.10 "$scratch/big-model.xml"
check "which-connector reads the model (exit $status)" test "$status" -le 1
check "which-connector names the connector" \
    grep -q 'Connector: EX01' "$scratch/stdout"
run_mxbpa audit $cheap --import "$scratch/big-model.xml" \
    --baseline "$scratch/big-model.xml" --format xml -o "$scratch/b1.xml"
status_is 1 "--baseline reads such a model (exit 1: relay undetermined)"
run_mxbpa audit $cheap --import "$scratch/big-model.xml" \
    --baseline "$scratch/big-findings.xml" --format xml -o "$scratch/b2.xml"
status_is 1 "--baseline reads such a findings file (exit 1: relay undetermined)"

# --- outputs: devices, standard output, modes, collisions -------------------
demo=examples/contoso/receive-connectors.xml
o=$scratch/out
mkdir "$o"
# A symbolic link to standard output (as /dev/stdout is) is written
# through, not replaced by a file.
ln -s /proc/self/fd/1 "$o/stdout-link"
set +e
$MXBPA_WRAP "$MXBPA" audit --import $demo -o "$o/stdout-link" 2>"$scratch/stderr" |
    cat >"$o/piped.txt"
set -e
check "-o a link to standard output: the link stays a link" test -h "$o/stdout-link"
check "-o a link to standard output: the report went down the pipe" \
    grep -q 'Relay' "$o/piped.txt"
if [ -h "$o/stdout-link" ]; then
	# Only once the link above was kept: an mxbpa that renames over its
	# output would replace the system's /dev/stdout when run as root.
	set +e
	$MXBPA_WRAP "$MXBPA" audit --import $demo -o /dev/stdout \
	    >"$o/redirected.txt" 2>"$scratch/stderr"
	set -e
	check "-o /dev/stdout writes to standard output" \
	    grep -q 'Relay' "$o/redirected.txt"
	check "-o /dev/stdout: /dev/stdout is still a link" test -h /dev/stdout
else
	ok 1 "-o /dev/stdout writes to standard output (not tried)"
	ok 1 "-o /dev/stdout: /dev/stdout is still a link (not tried)"
fi
mkfifo "$o/fifo"
cat "$o/fifo" >"$o/from-fifo.txt" &
reader=$!
run_mxbpa audit --import $demo -o "$o/fifo"
wait $reader || true
check "-o a FIFO writes into it" grep -q 'Relay' "$o/from-fifo.txt"
check "-o a FIFO: it stays a FIFO" test -p "$o/fifo"

# Modes: 0666 & ~umask for reports, 0600 & ~umask for archives, an
# existing file keeps its mode.
mode() { stat -c %a "$1"; }
(umask 077; run_mxbpa audit --import $demo -o "$o/r077.txt" \
    --archive "$o/a077.tar"; [ "$(mode "$o/r077.txt")" = 600 ]) &&
    ok 0 "umask 077: the report is created 0600" ||
    ok 1 "umask 077: the report is created 0600 (mode $(mode "$o/r077.txt"))"
check "umask 077: the archive is created 0600" test "$(mode "$o/a077.tar")" = 600
(umask 022; run_mxbpa audit --import $demo -o "$o/r022.txt" \
    --archive "$o/a022.tar")
check "umask 022: the report is created 0644" test "$(mode "$o/r022.txt")" = 644
check "umask 022: the archive is still created 0600" test "$(mode "$o/a022.tar")" = 600
(umask 027; run_mxbpa collect --import $demo -o "$o/m027.xml")
check "umask 027: a model is created 0640" test "$(mode "$o/m027.xml")" = 640
echo old >"$o/kept.txt"
chmod 604 "$o/kept.txt"
(umask 077; run_mxbpa audit --import $demo -o "$o/kept.txt")
check "a replaced report keeps the mode of the file it replaces" \
    test "$(mode "$o/kept.txt")" = 604

# Collisions, refused before any work.
cp $demo "$o/in.xml"
sum_before=$(sha256sum "$o/in.xml")
run_mxbpa audit --import "$o/in.xml" -o "$o/in.xml" --archive "$o/c1.tar"
status_is 2 "-o equal to an input is refused"
check "the input is intact" test "$(sha256sum "$o/in.xml")" = "$sum_before"
check "no archive is written" test ! -e "$o/c1.tar"
ln "$o/in.xml" "$o/in-hardlink.xml"
run_mxbpa audit --import "$o/in.xml" -o "$o/in-hardlink.xml"
status_is 2 "-o naming an input by another link (same inode) is refused"
check "the input is intact" test "$(sha256sum "$o/in.xml")" = "$sum_before"
run_mxbpa audit --import "$o/in.xml" -o "$o/same" --archive "$o/same"
status_is 2 "-o X --archive X is refused"
check "the error names both options" grep -q -- '-o and --archive' "$scratch/stderr"
check "nothing is written" test ! -e "$o/same"
run_mxbpa audit --import "$o/in.xml" -o "$o/same2" --archive "$o/./same2"
status_is 2 "-o X --archive ./X (one file, two spellings) is refused"
run_mxbpa audit --import "$o/in.xml" -o "$o/r.txt" --archive "$o/in.xml"
status_is 2 "--archive equal to an input is refused"
check "the input is intact" test "$(sha256sum "$o/in.xml")" = "$sum_before"
run_mxbpa analyze "$o/m027.xml" -o "$o/m027.xml"
status_is 2 "analyze -o equal to its model is refused"
# The report and the archive are put in place together, or neither.
run_mxbpa audit --import "$o/in.xml" -o "$o/lonely.txt" \
    --archive "$o/no-such-dir/a.tar"
status_is 3 "an archive that cannot be written is a runtime error"
check "and the report is not left behind" test ! -e "$o/lonely.txt"
check "no temporary file is left behind" \
    sh -c "! ls '$o' | grep -q tmp"

# --- terminal escapes -------------------------------------------------------
# No raw ESC, BEL or C1 control (U+0080..U+009F in UTF-8) reaches a
# terminal or a log: they are shown as \xHH and \uHHHH.
esc=$(printf '\033')
c1=$(printf '\302\233')	# U+009B, CSI: ESC [ of 8-bit terminals
raw_free() {	# raw_free FILE: no ESC, BEL or C1 control in it
	! LC_ALL=C grep -q -e "$esc" -e "$(printf '\007')" -e "$c1" "$1"
}
run_mxbpa collect --import $h/ldif/escape-in-dn.ldif -o "$scratch/esc-model.xml"
check "a warning quoting a DN with escapes writes none of them" \
    raw_free "$scratch/stderr"
check "it shows them as \\x1b" grep -q 'Anonymous\\x1b]0;pwned\\x07' "$scratch/stderr"

# A model and a rule pack may hold C1 controls (XML 1.0 allows them).
run_mxbpa collect --import examples/contoso/receive-connectors.xml \
    --import examples/contoso/ad-permissions.xml -o "$scratch/c1-old.xml"
sed "s/Anonymous Relay/Anonymous${c1}2J Relay/g; s/220 relay.contoso.com/220 ${c1}0;pwned/" \
    "$scratch/c1-old.xml" >"$scratch/c1-new.xml"
run_mxbpa which-connector --server EX01 --local 10.1.1.1:25 \
    --remote 10.1.5.10 "$scratch/c1-new.xml"
check "which-connector names the connector" grep -q 'Anonymous' "$scratch/stdout"
check "which-connector writes no C1 control" raw_free "$scratch/stdout"
check "which-connector shows it as \\u009b" grep -q 'Anonymous\\u009b2J Relay' "$scratch/stdout"
run_mxbpa diff "$scratch/c1-old.xml" "$scratch/c1-new.xml"
status_is 1 "diff sees the change"
check "diff writes no C1 control" raw_free "$scratch/stdout"
check "diff shows it as \\u009b" grep -q '\\u009b' "$scratch/stdout"
mkdir "$scratch/c1-rules"
sed "s/Server inventory/Server${c1}2J inventory/; s/exécute/${c1}0;pwned/" \
    tests/data/rules-extra/extra.xml >"$scratch/c1-rules/extra.xml"
run_mxbpa rules list --no-builtin-rules --rules "$scratch/c1-rules"
check "rules list lists the rule" grep -q 'EXTRA-001' "$scratch/stdout"
check "rules list writes no C1 control" raw_free "$scratch/stdout"
run_mxbpa rules show EXTRA-001 --lang fr --no-builtin-rules --rules "$scratch/c1-rules"
check "rules show shows the rule" grep -q 'EXTRA-001' "$scratch/stdout"
check "rules show writes no C1 control" raw_free "$scratch/stdout"
run_mxbpa rules show EXTRA-001 --no-builtin-rules --rules "$scratch/c1-rules"
check "rules show shows the title as \\u009b" \
    grep -q 'Server\\u009b2J inventory' "$scratch/stdout"
# An archive member whose name holds escapes.
run_mxbpa audit --import examples/contoso/receive-connectors.xml \
    --format xml -o "$scratch/esc-report.xml" --archive "$scratch/esc.tar"
python3 tests/tools/tar-tamper.py add "$scratch/esc.tar" "$scratch/esc-bad.tar" \
    "$(printf 'x\033]0;pwned\007\033[2J\302\233y')"
run_mxbpa verify "$scratch/esc-bad.tar"
status_is 2 "verify refuses the member named with controls"
check "verify names it" grep -q 'pwned' "$scratch/stderr"
check "verify writes none of its escapes" raw_free "$scratch/stdout"
check "nor on standard error" raw_free "$scratch/stderr"

# --- a signed archive is byte-exact -----------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$scratch/key.pem" \
    -out "$scratch/cert.pem" -days 2 -subj "/CN=mxbpa test signer" \
    >/dev/null 2>&1
s=$scratch/signed.tar
run_mxbpa audit --import examples/contoso/receive-connectors.xml \
    --format xml -o "$scratch/signed-report.xml" --archive "$s" \
    --sign "$scratch/key.pem" --cert "$scratch/cert.pem"
run_mxbpa verify "$s" --cert "$scratch/cert.pem"
status_is 0 "a signed archive as written verifies"
tamper="python3 tests/tools/tar-tamper.py"
for t in "pad model.xml" "header model.xml" "pad manifest.txt" \
    "header manifest.p7s" "zeros"; do
	set -- $t
	op=$1
	shift
	$tamper $op "$s" "$scratch/t.tar" "$@"
	check "$op $*: the archive still reads as tar" tar -tf "$scratch/t.tar"
	run_mxbpa verify "$scratch/t.tar" --cert "$scratch/cert.pem"
	status_is 1 "bytes added by \"$op $*\" fail verify of a signed archive"
	check "$op $*: verify says the archive is not exact" \
	    grep -q '^NOT-EXACT *archive: ' "$scratch/stdout"
done

# --- the XPath budget -------------------------------------------------------
demo_all="--import examples/contoso/receive-connectors.xml
    --import examples/contoso/ad-permissions.xml
    --import examples/contoso/accepted-domains.xml
    --import examples/contoso/exchange-servers.xml"
# A thousand million steps take some 10 s here, longer on a busy machine.
limit_saved=$limit
limit=$((limit * 6))
run_capped 1048576 audit --no-builtin-rules --rules $h/rules-nested $demo_all \
    -o "$scratch/nested-report.txt"
limit=$limit_saved
status_is 2 "a rule cubic in the model ends when the run's XPath budget is spent"
check "the error names the rule and XPATH_RUN_OPS_MAX" \
    grep -q 'nested.xml:[0-9]*: rule SITE-001: assert: .*XPATH_RUN_OPS_MAX' "$scratch/stderr"
check "no report is written" test ! -e "$scratch/nested-report.txt"
start=$(date +%s)
run_capped 1048576 audit --no-builtin-rules --rules $h/rules-translate $demo_all \
    -o "$scratch/translate-report.txt"
took=$(($(date +%s) - start))
status_is 2 "translate() over two 100,000-character strings is refused"
check "at the trial run of loading, naming the rule and XPATH_OPS_MAX" \
    grep -q 'translate.xml:[0-9]*: rule SITE-002: assert: trial run: .*XPATH_OPS_MAX' \
    "$scratch/stderr"
check "before it runs (${took} s)" test "$took" -lt 5
run_capped 1048576 rules lint --no-builtin-rules $h/rules-padding/padding.xml
status_is 2 "str:padding() of 2,000,000,000 bytes is refused by rules lint"
check "naming the rule" grep -q 'rule SITE-003: assert: trial run' "$scratch/stderr"

finish
