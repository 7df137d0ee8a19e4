#!/bin/sh
# html-report.sh - the demo HTML report in a real browser: headless
# Chromium (Debian's chromium package) with no network renders it, takes a
# screenshot kept as a test artefact (tests/artefacts/ in the build tree),
# logs no console error and no Content-Security-Policy violation, runs its
# script (so the CSP hashes match), and its severity filter and search
# leave only matching rows.  The browser checks are skipped when Chromium is
# not installed; the checks of the page as written always run.
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"
cd "$top"
chromium=$(command -v chromium || command -v chromium-browser || true)
artefacts=${MXBPA_TOP_BUILDDIR:-$scratch}/tests/artefacts
mkdir -p "$artefacts"
demo="--import examples/contoso/receive-connectors.xml
      --import examples/contoso/ad-permissions.xml
      --import examples/contoso/accepted-domains.xml
      --import examples/contoso/exchange-servers.xml"

# The page as written, without a browser.
run_mxbpa audit $demo --baseline tests/data/models/baseline-old.xml \
	--format xml -o "$scratch/findings.xml"
run_mxbpa report "$scratch/findings.xml" --format html -o "$scratch/static.html"
status_is 1 "the demo report renders from its findings"
h=$scratch/static.html
hx() {
	"$XMLLINT" --html --xpath "$1" "$h" 2>/dev/null || echo -1
}
nconn=$(xcount "//*[local-name()='connector']" "$scratch/findings.xml")
check "the topology shows every connector" \
	test "$(hx 'count(//li[contains(@class, "conn ")])')" = "$nconn"
check "a connector is coloured by its gravest finding" \
	test "$(hx 'string(//li[span[@class="conn-name"] = "Relay Printers"]/@data-worst)')" = error
check "a connector without finding is coloured as such" \
	test "$(hx 'string(//li[span[@class="conn-name"] = "Default EX03"]/@data-worst)')" = ok
check "the executive summary has a score from 0 to 49 while errors are open" \
	sh -c "s=\$($XMLLINT --html --xpath 'string(//*[@id=\"score\"]/@data-score)' '$h' 2>/dev/null); test \"\$s\" -ge 0 && test \"\$s\" -le 49"
check "two SVG charts: by severity and by server" \
	test "$(grep -o '<svg' "$h" | wc -l)" = 2
check "the severity chart has one bar per severity" \
	test "$(grep -o '<rect[^>]*class="bar s-' "$h" | wc -l)" -ge 5
check "the recent changes view lists the changes" \
	test "$(hx 'count(//section[@id="changes"]//tr[contains(@class, "ch-")])')" = \
	    "$(xcount "//*[local-name()='change']" "$scratch/findings.xml")"
check "no inline style attribute (the policy would block it)" \
	sh -c "! grep -q ' style=\"' '$h'"
check "a print stylesheet is part of the page" grep -q '@media print' "$h"
run_mxbpa report "$scratch/findings.xml" --format html --lang fr -o "$scratch/fr.html"
check "the French report names its views in French" \
	sh -c "grep -q 'Topologie' '$scratch/fr.html' && grep -q 'Changements récents' '$scratch/fr.html' && grep -q 'Constats par gravité' '$scratch/fr.html'"
run_mxbpa analyze tests/rules/PROBE-001/bad.xml -o "$scratch/probe.xml"
run_mxbpa report "$scratch/probe.xml" --format html -o "$scratch/probe.html"
check "a probe finding shows its transcript" \
	sh -c "grep -q '<pre class=\"transcript\">' '$scratch/probe.html' &&
	    grep -q 'ms  C: EHLO mxbpa.invalid' '$scratch/probe.html' &&
	    grep -q 'ms  S: 220 mx.contoso.com ready' '$scratch/probe.html'"

if [ -z "$chromium" ]; then
	ok 0 "browser checks # SKIP chromium is not installed (tools/debian-deps.sh)"
	finish
	exit $?
fi

# browse OUT ERR URL [FLAGS...]: one headless run with a fresh profile and
# no way out: every host name resolves to nothing and the proxy is closed.
browse() {
	b_out=$1 b_err=$2 b_url=$3
	shift 3
	rm -rf "$scratch/profile"
	set +e
	timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --disable-default-apps --disable-extensions \
	    --host-resolver-rules="MAP * ~NOTFOUND" \
	    --proxy-server=127.0.0.1:9 \
	    --user-data-dir="$scratch/profile" \
	    --enable-logging=stderr --v=0 "$@" "$b_url" >"$b_out" 2>"$b_err"
	browse_status=$?
	set -e
}

# Console messages Chromium logged: errors, warnings, CSP refusals.
console_errors() {
	grep -E 'CONSOLE|Content Security Policy|Refused to' "$1" || true
}

# xpath FILE EXPR: an XPath count on HTML (Chromium's --dump-dom).
xpath() {
	"$XMLLINT" --html --xpath "$2" "$1" 2>/dev/null || echo -1
}

# The detector must see what it is meant to see: a page with a console
# error, and a page whose inline script the policy blocks.
cat >"$scratch/bad.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'">
<script>document.documentElement.setAttribute("data-ready", "1");</script>
</head><body><p>blocked</p></body></html>
HTML
cat >"$scratch/error.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8">
<script>console.error("boom from the page");</script>
</head><body><p>error</p></body></html>
HTML
browse "$scratch/dom" "$scratch/err" "file://$scratch/error.html" --dump-dom
check "the console detector sees console.error" \
	sh -c "grep -q 'boom from the page' '$scratch/err'"
browse "$scratch/dom" "$scratch/err" "file://$scratch/bad.html" --dump-dom
check "the console detector sees a CSP refusal" \
	sh -c "grep -q 'Content Security Policy' '$scratch/err'"
check "a script the policy blocks does not run" \
	test "$(xpath "$scratch/dom" 'count(/html[@data-ready])')" = 0

run_mxbpa audit $demo --baseline tests/data/models/baseline-old.xml \
	--format html -o "$scratch/report.html"
status_is 1 "the demo report renders"
nwarn=$(xcount "/*/*[local-name()='finding'][@severity='warning']" "$scratch/findings.xml")
nrulewarn=$(xcount "/*/*[local-name()='rule'][@severity='warning']" "$scratch/findings.xml")
url="file://$scratch/report.html"

for lang in en fr; do
	run_mxbpa audit $demo --baseline tests/data/models/baseline-old.xml \
	    --format html --lang $lang -o "$scratch/report-$lang.html"
	shot=$artefacts/report-$lang.png
	rm -f "$shot"
	browse "$scratch/out" "$scratch/err" "file://$scratch/report-$lang.html" \
	    --window-size=1280,2400 --hide-scrollbars --screenshot="$shot"
	check "Chromium renders the $lang report" test "$browse_status" = 0
	check "the $lang screenshot is a PNG kept in $artefacts" \
	    sh -c "test -s '$shot' && head -c 8 '$shot' | od -An -c | grep -q 'P   N   G'"
	console_errors "$scratch/err" >"$scratch/console"
	check "the $lang report logs no console error or CSP refusal" \
	    test ! -s "$scratch/console"
	sed 's/^/# /' "$scratch/console" | head -5
done

browse "$scratch/dom.html" "$scratch/err" "$url" --dump-dom
check "the report's script runs under its Content-Security-Policy" \
	test "$(xpath "$scratch/dom.html" 'count(/html[@data-ready="1"])')" = 1
check "the toolbar is shown by the script" \
	test "$(xpath "$scratch/dom.html" 'count(//*[@id="toolbar"][not(@hidden)])')" = 1
check "without a filter no finding is hidden" \
	test "$(xpath "$scratch/dom.html" 'count(//article[@data-sev][@hidden])')" = 0
check "no console error on load" test -z "$(console_errors "$scratch/err")"

browse "$scratch/dom-warn.html" "$scratch/err" "$url#sev=warning" --dump-dom
d=$scratch/dom-warn.html
check "the severity filter was applied" \
	test "$(xpath "$d" 'string(/html/@data-filter)')" = "warning|"
check "the warning filter leaves only warning findings" \
	test "$(xpath "$d" 'count(//article[@data-sev][not(@hidden)][@data-sev!="warning"])')" = 0
check "the warning filter leaves every warning finding" \
	test "$(xpath "$d" 'count(//article[@data-sev="warning"][not(@hidden)])')" = "$nwarn"
check "the warning filter hides the other findings" \
	test "$(xpath "$d" 'count(//article[@data-sev][@hidden])')" = \
	    "$(xpath "$d" 'count(//article[@data-sev][@data-sev!="warning"])')"
check "the warning filter leaves only the warning rules in the rules table" \
	sh -c "test \"\$($XMLLINT --html --xpath 'count(//tr[@data-sev][not(@hidden)])' '$d' 2>/dev/null)\" = $nrulewarn"
check "the count shown is the number of rows left" \
	test "$(xpath "$d" 'string(//output[@id="f-shown"])')" = \
	    "$(xpath "$d" 'count(//*[@data-sev][not(@hidden)])')"

browse "$scratch/dom-q.html" "$scratch/err" "$url#q=Legacy%20App" --dump-dom
d=$scratch/dom-q.html
check "the search leaves findings" \
	test "$(xpath "$d" 'count(//article[@data-sev][not(@hidden)])')" -gt 0
check "the search leaves only findings that mention it" \
	test "$(xpath "$d" 'count(//article[@data-sev][not(@hidden)][not(contains(., "Legacy App"))])')" = 0
check "the search hides the findings that do not mention it" \
	test "$(xpath "$d" 'count(//article[@data-sev][@hidden][contains(., "Legacy App")])')" = 0

# A report whose script was altered after rendering no longer runs.
sed 's/"use strict";/"use strict"; var x = 1;/' "$scratch/report.html" >"$scratch/altered.html"
browse "$scratch/dom-alt.html" "$scratch/err" "file://$scratch/altered.html" --dump-dom
check "an altered script is blocked by the report's policy" \
	test "$(xpath "$scratch/dom-alt.html" 'count(/html[@data-ready])')" = 0
check "and the browser says so" \
	sh -c "grep -q 'Content Security Policy' '$scratch/err'"

# Markup in the data stays text in the browser too.
run_mxbpa report tests/data/findings/hostile.xml --format html -o "$scratch/hostile.html"
browse "$scratch/dom-h.html" "$scratch/err" "file://$scratch/hostile.html" --dump-dom
check "the hostile report runs its own script only" \
	test "$(xpath "$scratch/dom-h.html" 'count(//script)')" = 1
check "markup from the findings is text in the browser" \
	test "$(xpath "$scratch/dom-h.html" 'count(//body//i | //body//b)')" = 0
check "the hostile report logs no console error" \
	test -z "$(console_errors "$scratch/err")"
finish
