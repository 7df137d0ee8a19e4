#!/bin/sh
# cli.sh - the command-line contract: commands, options, exit codes,
# outputs replaced atomically, and escaping of hostile strings.
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"
cd "$top"
demo="--import examples/contoso/receive-connectors.xml
      --import examples/contoso/ad-permissions.xml
      --import examples/contoso/accepted-domains.xml
      --import examples/contoso/exchange-servers.xml"
demo_rev="--import examples/contoso/exchange-servers.xml
      --import examples/contoso/accepted-domains.xml
      --import examples/contoso/ad-permissions.xml
      --import examples/contoso/receive-connectors.xml"

# --- help, version, usage errors ----------------------------------------
run_mxbpa --version
status_is 0 "--version exits 0"
check "--version prints the package version" grep -q '^mxbpa [0-9]' "$scratch/stdout"
run_mxbpa --help
status_is 0 "--help exits 0"
check "--help lists the audit command" grep -q 'audit' "$scratch/stdout"
run_mxbpa audit --help
check "audit --help documents --import" grep -q -- '--import' "$scratch/stdout"
run_mxbpa help collect
check "help COMMAND shows that command's usage" grep -q 'mxbpa collect' "$scratch/stdout"
run_mxbpa frobnicate
status_is 2 "an unknown command is a usage error (2)"
check "the usage error names the command" grep -q 'frobnicate' "$scratch/stderr"
run_mxbpa audit --no-such-option
status_is 2 "an unknown option is a usage error (2)"
run_mxbpa audit $demo --fail-on catastrophic
status_is 2 "an unknown --fail-on severity is a usage error"
run_mxbpa audit $demo --lang de
status_is 2 "an unsupported --lang is a usage error"
run_mxbpa audit $demo --format pdf
status_is 2 "an unknown --format is a usage error"
run_mxbpa collect
status_is 2 "collect with nothing to import is a usage error"
run_mxbpa report
status_is 2 "report without a findings file is a usage error"
run_mxbpa collect --rules rules $demo
status_is 2 "an option that does not apply to the command is refused"

# --- collect -------------------------------------------------------------
run_mxbpa collect $demo -o "$scratch/model.xml"
status_is 0 "collect writes a model and exits 0"
check "the collected model matches the shipped schema" \
	"$XMLLINT" --noout --relaxng schemas/model.rng "$scratch/model.xml"
check "the model records four sources with their SHA-256" \
	test "$(xcount "/*/*[local-name()='source'][string-length(@sha256)=64]" "$scratch/model.xml")" = 4
run_mxbpa collect $demo_rev -o "$scratch/model-rev.xml"
"$XMLLINT" --xpath "/*/*[local-name()='organization']" "$scratch/model.xml" >"$scratch/org1" 2>/dev/null || true
"$XMLLINT" --xpath "/*/*[local-name()='organization']" "$scratch/model-rev.xml" >"$scratch/org2" 2>/dev/null || true
check "import order does not change the topology" cmp -s "$scratch/org1" "$scratch/org2"
check "the topology is not empty" test -s "$scratch/org1"
run_mxbpa collect --import tests/data/clixml/receive-connectors-utf16le.xml \
	-o "$scratch/utf16.xml"
status_is 0 "a UTF-16LE export (Windows PowerShell's default) is read"
check "the UTF-16LE export yields its connectors" \
	test "$(xcount "//*[local-name()='receive-connector']" "$scratch/utf16.xml")" -gt 0
run_mxbpa collect $demo
check "collect without -o writes the model to standard output" \
	grep -q '<topology xmlns="urn:mxbpa:model:1"' "$scratch/stdout"

# --- analyze and report -------------------------------------------------
run_mxbpa analyze "$scratch/model.xml" -o "$scratch/findings.xml"
status_is 1 "analyze exits 1 when findings reach --fail-on (default error)"
check "the findings document matches its schema" \
	"$XMLLINT" --noout --relaxng schemas/findings.rng "$scratch/findings.xml"
check "the demo has error findings" \
	test "$(xcount "//*[local-name()='finding'][@severity='error']" "$scratch/findings.xml")" -gt 0
run_mxbpa analyze tests/rules/COVER-001/good.xml \
	--rules tests/data/rules-extra --fail-on warning -o "$scratch/f2.xml"
status_is 0 "analyze exits 0 when nothing reaches --fail-on"
run_mxbpa analyze tests/rules/LOG-001/good.xml --no-builtin-rules \
	--rules tests/data/rules-extra --fail-on warning -o "$scratch/f2.xml"
status_is 1 "analyze exits 1 when no rule judging relay ran (relay undetermined)"
run_mxbpa analyze tests/rules/LOG-001/good.xml --no-builtin-rules \
	--rules tests/data/rules-extra --fail-on info -o "$scratch/f3.xml"
status_is 1 "--fail-on info counts informational findings"
run_mxbpa report "$scratch/findings.xml" --format text -o "$scratch/report.txt"
check "report renders saved findings as text" grep -q 'RELAY-001' "$scratch/report.txt"
run_mxbpa report "$scratch/findings.xml" --lang fr -o "$scratch/report.html"
check "the output extension .html selects the HTML format" grep -qi '<html' "$scratch/report.html"
check "--lang fr renders French texts" grep -q 'relais' "$scratch/report.html"
run_mxbpa report "$scratch/model.xml"
status_is 2 "report refuses a model where findings are expected"

# --- audit ---------------------------------------------------------------
run_mxbpa audit $demo --format html -o "$scratch/audit.html"
status_is 1 "audit of the demo exits 1 (it has errors)"
check "audit writes one HTML file" grep -qi '</html>' "$scratch/audit.html"
check "the HTML report loads nothing from the network" \
	sh -c "! grep -Eiq '(src|href)=\"(https?:)?//[^\"]*\\.(js|css)' '$scratch/audit.html'"
run_mxbpa audit $demo --fail-on error --format xml -o "$scratch/audit.xml"
check "audit --format xml writes the findings document" \
	"$XMLLINT" --noout --relaxng schemas/findings.rng "$scratch/audit.xml"
run_mxbpa audit --import tests/data/models/hostile-banner.xml --format html -o "$scratch/hostile.html"
check "a <script> banner from the input appears escaped" \
	grep -Eq '&(amp;)?lt;script&(amp;)?gt;alert\(1\)' "$scratch/hostile.html"
check "no <script> from the input reaches the HTML" sh -c "! grep -q '<script>alert' '$scratch/hostile.html'"

# --- nothing half-written ----------------------------------------------------
echo "previous report" >"$scratch/keep.html"
run_mxbpa audit --import tests/malformed/model/truncated.xml -o "$scratch/keep.html"
status_is 2 "a malformed input is an input error (2)"
check "the previous output survives a failed run" grep -q 'previous report' "$scratch/keep.html"
check "no temporary file is left behind" sh -c "! ls '$scratch' | grep -q 'tmp'"
run_mxbpa audit --import tests/malformed/model/truncated.xml -o "$scratch/new.html"
check "a failed run creates no output file" test ! -e "$scratch/new.html"
mkfifo "$scratch/fifo"
cat "$scratch/fifo" >"$scratch/from-fifo" &
reader=$!
run_mxbpa collect $demo -o "$scratch/fifo"
wait $reader || true
check "an output that is a FIFO stays a FIFO (as /dev/null stays a device)" \
	test -p "$scratch/fifo"
check "the model is written through the FIFO" \
	grep -q '<topology' "$scratch/from-fifo"
run_mxbpa collect $demo -o "$scratch"
status_is 3 "a directory as output is a runtime failure"
run_mxbpa collect $demo -o "$scratch/no/such/dir/model.xml"
status_is 3 "an unwritable output is a runtime failure (3)"
set +e
MXBPA_DATADIR="$scratch/empty" $MXBPA_WRAP "$MXBPA" audit $demo \
	>"$scratch/stdout" 2>"$scratch/stderr"
status=$?
set -e
status_is 3 "missing data files are a runtime failure (3)"
check "the error says which data file is missing" grep -q 'schemas\|rules' "$scratch/stderr"

# --- a single-valued option given twice --------------------------------------
ln -s "$scratch/no-such-target" "$scratch/dangling"
run_mxbpa audit $demo -o "$scratch/twice.json" -o "$scratch/dangling"
status_is 2 "-o given twice is a usage error (2)"
check "the usage error names --output" grep -q -- '--output given twice' "$scratch/stderr"
check "-o twice writes neither output" test ! -e "$scratch/twice.json"
check "-o twice leaves the dangling symlink alone" \
	sh -c "test -L '$scratch/dangling' && test ! -e '$scratch/dangling'"
run_mxbpa audit $demo --output "$scratch/twice.json" -o "$scratch/twice.html"
status_is 2 "--output then -o is a usage error too"
for opt in "--format text" "--fail-on warning" "--lang fr" "--baseline x" \
    "--archive x" "--timeout 5"; do
	name=${opt%% *}
	run_mxbpa audit $demo $opt $opt -o "$scratch/twice.txt"
	status_is 2 "$name given twice is a usage error (2)"
	check "the usage error names $name" grep -q -- "$name given twice" "$scratch/stderr"
done
run_mxbpa report tests/data/findings/nonexistent.xml -f text -f html
status_is 2 "report -f twice is a usage error (2)"
run_mxbpa audit $demo -vv -o "$scratch/repeat.xml"
check "--import and -v may be repeated" test "$status" -ne 2

# --- rules -----------------------------------------------------------------
run_mxbpa rules list
status_is 0 "rules list exits 0"
check "rules list shows the built-in rules" test "$(wc -l <"$scratch/stdout")" -ge 10
run_mxbpa rules show RELAY-001 --lang fr
check "rules show prints a rule in French" grep -q 'relais' "$scratch/stdout"
run_mxbpa rules show NOPE-999
status_is 2 "rules show with an unknown id is a usage error"
run_mxbpa rules list --no-builtin-rules --rules tests/data/rules-extra
check "--no-builtin-rules --rules DIR loads only that pack" \
	test "$(cat "$scratch/stdout" | wc -l)" = 1
run_mxbpa rules list --rules tests/data/rules-extra
check "--rules DIR adds to the built-in packs" grep -q 'EXTRA-001' "$scratch/stdout"
run_mxbpa rules lint rules/logging.xml
status_is 0 "rules lint accepts a shipped pack"
run_mxbpa rules lint tests/malformed/rules/select-syntax.xml
status_is 2 "rules lint refuses a broken pack with exit 2"
check "the lint error names file and line" grep -q 'select-syntax.xml:5' "$scratch/stderr"

finish
