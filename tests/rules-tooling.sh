#!/bin/sh
# rules-tooling.sh - rules list filters, rules show in a language, rules lint
# (clean on the shipped packs, a precise error for each broken pack of
# tests/data/rules-broken), and a site pack: its own rule, a built-in rule
# disabled with its reason, waivers shown as waived (or expired), never
# hidden.
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"
cd "$top"
MXBPA_DATADIR=$top
export MXBPA_DATADIR
broken=tests/data/rules-broken

# --- list and show ----------------------------------------------------------
run_mxbpa rules list --pack relay
status_is 0 "rules list --pack relay"
n=$(grep -c . "$scratch/stdout" || true)
check "--pack relay lists the relay pack only ($n rules)" \
	sh -c "[ $n -ge 15 ] && ! grep -qv '^RELAY-' '$scratch/stdout'"
run_mxbpa rules list --severity error --category security
check "--severity error --category security lists only such rules" \
	sh -c "[ -s '$scratch/stdout' ] && awk '\$2 != \"error\" || \$3 != \"security\" { exit 1 }' '$scratch/stdout'"
run_mxbpa rules list --severity fatal
status_is 2 "an unknown severity is a usage error"
run_mxbpa rules list
total=$(grep -c . "$scratch/stdout" || true)
check "more than 30 rules ship ($total)" test "$total" -gt 30
run_mxbpa rules show RELAY-008 --lang fr
check "rules show --lang fr gives the French title" \
	grep -q "Domaine accepté générique de type relais" "$scratch/stdout"
check "rules show --lang fr gives the French remediation" \
	grep -q "Supprimez le domaine générique" "$scratch/stdout"

# rules show: prose with named placeholders, what fires, references; the
# XPath on request; ids in any case.
run_mxbpa rules show log-001
status_is 0 "rules show finds a rule whatever the case of its id"
check "rules show names the placeholders of a message" \
	grep -qF 'Connector "<identity>" (<role>, bindings <bindings>' "$scratch/stdout"
check "rules show prints a command with its quoted argument" \
	grep -qF "Set-ReceiveConnector '<identity>' -ProtocolLoggingLevel Verbose" "$scratch/stdout"
check "rules show lists when the rule fires, by name" \
	sh -c "grep -qx '  - logging off' '$scratch/stdout' &&
	    grep -qx '  - accepts anonymous or not made by setup' '$scratch/stdout'"
check "rules show lists the references" \
	grep -q "Configure protocol logging <https://" "$scratch/stdout"
check "rules show hides the XPath unless asked" \
	sh -c "! grep -q 'sorted-join' '$scratch/stdout'"
run_mxbpa rules show LOG-001 --xpath
check "rules show --xpath prints the lets, select and assert" \
	sh -c "grep -qF \"let \\\$logging-off := @protocol-logging = 'None'\" '$scratch/stdout' &&
	    grep -qF 'assert: not(\$logging-off and' '$scratch/stdout'"
check "rules show --xpath prints the raw placeholders" \
	grep -qF '{$bindings}' "$scratch/stdout"
run_mxbpa rules show PROBE-006
check "rules show prints the first-that-holds parts" \
	grep -qF '[the first that holds: if $certificate/san: , names <certificate san value>; otherwise: , no subject alternative name]' "$scratch/stdout"
run_mxbpa rules show BANNER-002 --lang fr
check "rules show --lang fr prints the French labels and texts" \
	sh -c "grep -q '^Se déclenche quand:' '$scratch/stdout' &&
	    grep -q 'qui nomme le produit' '$scratch/stdout'"

# --- lint ---------------------------------------------------------------------
run_mxbpa rules lint rules/*.xml
status_is 0 "rules lint is clean on the shipped packs"
check "each shipped pack is reported ok" \
	test "$(grep -c ': ok (' "$scratch/stdout")" -eq "$(ls rules/*.xml | wc -l)"

# lint_error FILE PATTERN DESCRIPTION: lint fails and says PATTERN.
lint_error() {
	run_mxbpa rules lint --fixtures tests/rules "$broken/$1"
	status_is 2 "lint refuses $1"
	if grep -q -- "$2" "$scratch/stdout" "$scratch/stderr"; then
		ok 0 "$3"
	else
		ok 1 "$3 (got: $(cat "$scratch/stdout" "$scratch/stderr" | head -c 300 | tr '\n' ' '))"
	fi
}
lint_error xpath-syntax.xml "xpath-syntax.xml:[0-9]*: .*assert.*XPath" \
	"an XPath syntax error is named with its file, line and part"
lint_error missing-fr.xml 'missing-fr.xml:[0-9]*: rule BRK-002: no message in "fr"' \
	"a missing French message is named"
lint_error open-brace.xml "open-brace.xml:[0-9]*.*unterminated '{'" \
	"an interpolation left open is named"
lint_error unknown-function.xml "unknown XPath function mx:covers-everthing" \
	"a misspelt function is named"
lint_error no-fixtures.xml "rule BRK-006: no fixture tests/rules/BRK-006/bad.xml" \
	"missing fixtures are named"
lint_error no-fixtures.xml "rule BRK-006: no needs attribute" \
	"a rule that does not say which inputs it needs is named"
lint_error unknown-needs.xml "unknown-needs.xml:[0-9]*" \
	"an unknown input in needs is a schema error naming the line"
lint_error bad-severity.xml "bad-severity.xml:[0-9]*" \
	"a schema error names the file and line"
lint_error unknown-waiver.xml "unknown-waiver.xml:[0-9]*: waiver names no loaded rule: NOPE-001" \
	"a waiver of an unknown rule is named"
# The rule language: names (let), optional parts, quoted command arguments.
lint_error let-unused.xml "let-unused.xml:10: rule BRK-010: let forgotten is never used" \
	"a let nothing uses is named"
lint_error pack-let-unused.xml "pack-let-unused.xml:4: pack broken: let org is never used" \
	"a pack's let no rule uses is named"
lint_error let-twice.xml "let-twice.xml:10: let relays is defined twice (first at line 9)" \
	"a name defined twice is named with its first definition"
lint_error let-hides-pack.xml "let-hides-pack.xml:9: let servers hides the pack's let of that name (line 4)" \
	"a rule's let may not hide the pack's"
lint_error let-forward.xml 'let-forward.xml:9: \$relays is used before its let (line 10)' \
	"a name used before its let is named, with the let's line"
lint_error let-unknown.xml 'let-unknown.xml:10: unknown variable \$relay' \
	"a misspelt name is named"
lint_error let-in-select.xml 'let-in-select.xml:8: select uses \$relays, a let of the rule' \
	"select may not use a let computed per selected object"
lint_error substring-idiom.xml "substring-idiom.xml:10: rule BRK-017: substring(..., 1, N \* ...) builds an optional text" \
	"the substring(..., 1, N * cond) idiom in a text is refused"
lint_error substring-idiom-after.xml "substring-idiom-after.xml:9: rule BRK-018: substring(..., 1, N \* ...)" \
	"the idiom with the multiplier after the condition, in a let, is refused"
lint_error raw-in-command.xml "raw-in-command.xml:12: {@identity} in a command: a value enters a command only through <arg" \
	"a raw {expr} in a command is refused"

run_mxbpa rules lint --no-builtin-rules rules/relay.xml "$broken/duplicate-id.xml"
status_is 2 "lint refuses an id defined twice"
check "the duplicate id is named with its first definition" \
	grep -q "duplicate rule id RELAY-001 (first defined in rules/relay.xml" \
	"$scratch/stderr"
run_mxbpa rules lint --fixtures tests/data/rules-site-fixtures tests/data/rules-site/site.xml
status_is 0 "lint accepts the site pack (its entries name built-in rules)"

# --- the walkthrough of docs/rules.md ------------------------------------------
walk=tests/data/rules-walkthrough
run_mxbpa rules lint --fixtures "$walk-fixtures" "$walk/site.xml"
status_is 0 "the walkthrough's site pack lints clean"
run_mxbpa analyze "$walk-fixtures/SITE-101/bad.xml" --rules "$walk" -o "$scratch/walk.xml"
check "its rule fires on bad.xml with the message of the walkthrough" \
	test "$(xcount "//*[local-name()='finding'][@rule='SITE-101']/*[local-name()='message'][@xml:lang='en'][. = 'Relay connector \"EX01\\Relay Scanners\" records no session.']" "$scratch/walk.xml")" = 1
check "and the command of the walkthrough" \
	test "$(xcount "//*[local-name()='finding'][@rule='SITE-101']/*[local-name()='remediation'][@xml:lang='en']/*[local-name()='command'][. = \"Set-ReceiveConnector 'EX01\\Relay Scanners' -ProtocolLoggingLevel Verbose\"]" "$scratch/walk.xml")" = 1
run_mxbpa analyze "$walk-fixtures/SITE-101/good.xml" --rules "$walk" -o "$scratch/walk.xml"
check "it stays quiet on good.xml" \
	test "$(xcount "//*[local-name()='finding'][@rule='SITE-101']" "$scratch/walk.xml")" = 0
run_mxbpa rules show site-101 --rules "$walk"
check "rules show prints it as the walkthrough says" \
	sh -c "grep -qx '  each of the relay connectors; needs: connectors' '$scratch/stdout' &&
	    grep -qx '  - not logs sessions' '$scratch/stdout' &&
	    grep -qF \"Log every session: Set-ReceiveConnector '<identity>' -ProtocolLoggingLevel Verbose\" '$scratch/stdout'"

# --- a site pack on a model ---------------------------------------------------
# RELAY-008's bad fixture without its "*.co.uk" domain: "*" alone is waived.
model=$scratch/relay-008.xml
sed '/name="\*\.co\.uk"/d' tests/rules/RELAY-008/bad.xml >"$model"
run_mxbpa analyze "$model" --fail-on error -o "$scratch/plain.xml"
status_is 1 "without the site pack, RELAY-008 fails the run"
run_mxbpa analyze "$model" --rules tests/data/rules-site --fail-on error \
	-o "$scratch/site.xml"
status_is 0 "with RELAY-008 waived on \"*\", no error is left (exit 0)"
f=$scratch/site.xml
check "the waived finding is still in the findings" \
	test "$(xcount "//*[local-name()='finding'][@rule='RELAY-008']" "$f")" = 1
check "it carries its waiver: who, when, until when, why" \
	test "$(xcount "//*[local-name()='finding'][@rule='RELAY-008']/*[local-name()='waiver'][@by='j.martin'][@date='2026-11-02'][@expires='2099-12-31'][@expired='false'][contains(., 'archive migration')]" "$f")" = 1
check "the summary counts it as waived" \
	test "$(xcount "//*[local-name()='summary'][@waived='1']" "$f")" = 1
check "the disabled rule did not run" \
	test "$(xcount "//*[local-name()='finding'][@rule='BANNER-002']" "$f")" = 0
check "the disabled rule says why" \
	test "$(xcount "//*[local-name()='rule'][@id='BANNER-002']/*[local-name()='disabled'][@pack='site'][contains(., 'rewrites the banner')]" "$f")" = 1
check "the site's own rule ran" \
	test "$(xcount "//*[local-name()='finding'][@rule='SITE-001']" "$f")" = 1
check "an expired waiver leaves its finding active, marked expired" \
	test "$(xcount "//*[local-name()='finding'][@rule='SITE-001']/*[local-name()='waiver'][@expired='true']" "$f")" = 1
run_mxbpa report "$f" --format text --lang en
check "the text report shows the finding as waived" \
	grep -q "WAIVED by j.martin on 2026-11-02, until 2099-12-31: Catch-all kept" "$scratch/stdout"
check "the text report shows the expired waiver" \
	grep -q "Waiver EXPIRED on 2025-06-30" "$scratch/stdout"
check "the text report shows the disabled rule and its reason" \
	grep -q "disabled (site, Messaging team): The edge gateway rewrites the banner." "$scratch/stdout"
run_mxbpa report "$f" --format html -o "$scratch/r.html"
check "the HTML report shows the waiver" grep -q 'class="waiver"' "$scratch/r.html"

# --- a load balancer known to the consultant ------------------------------------
run_mxbpa collect --import tests/rules/RELAY-010/good.xml \
	--load-balancer 192.168.5.10 --load-balancer 192.168.5.10 -o "$scratch/lb.xml"
status_is 0 "collect --load-balancer"
check "the load balancer is in the model once" \
	test "$(xcount "//*[local-name()='load-balancer'][@address='192.168.5.10']" "$scratch/lb.xml")" = 1
run_mxbpa analyze "$scratch/lb.xml" --fail-on info -o "$scratch/lbf.xml"
check "RELAY-010 reports the relay connector that lists it" \
	test "$(xcount "//*[local-name()='finding'][@rule='RELAY-010'][@object='EX01\\Anonymous Relay']" "$scratch/lbf.xml")" = 1
run_mxbpa collect --import "$scratch/lb.xml" -o "$scratch/lb2.xml"
check "the load balancer survives a model round trip" \
	test "$(xcount "//*[local-name()='load-balancer']" "$scratch/lb2.xml")" = 2
run_mxbpa collect --import tests/rules/RELAY-010/good.xml --load-balancer 10.1.1.999 -o "$scratch/x.xml"
status_is 2 "a load balancer address that does not parse is refused"
finish
