#!/bin/sh
# mta.sh - the probe's relay verdicts against independent MTAs: a private
# Exim 4.96 and OpenSMTPD 6.8 (tests/integration/mta-data/mta-env.sh),
# each listener configured as one trap: closed relay, open relay,
# percent-hack relay, quoted-local-part relay, catch-all, accept-then-
# discard, STARTTLS required, AUTH required, HELO only, and a closed relay
# that tarpits every refusal 5 s.  Each trap's ground truth is first
# checked with swaks, a plain scripted client; then "mxbpa probe", with
# the analyzer's test alone and with --variants all, must give that truth:
#
#   - a stock Exim (domain-literal senders refused, sessions cut after a
#     few errors) is reported refused, every variant decided, one
#     connection each, each with QUIT;
#   - the percent-hack and quoted-local-part relays are found by
#     --variants all (their senders are domain senders, not literals);
#   - a catch-all accepts the tricks but also the control: catch-all,
#     no PROBE-001;
#   - a message taken after --confirm-relay is "data-accepted" and the
#     finding does not call it delivered;
#   - the tarpit (5 s per refusal) is through 16 variants in <= 15 s;
#   - --from is sent whole;
#   - probes that decide nothing are a warning (PROBE-011), and an audit
#     of nothing but failed probes has no score and exits 1;
#   - no DATA is sent without --confirm-relay, nothing is delivered.
#
# Needs root (private mount namespaces).  As root, a missing Exim or
# OpenSMTPD is a failure, not a skip: tools/debian-deps.sh unpacks them.
# SPDX-License-Identifier: ISC

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP private Exim and OpenSMTPD instances need root"
	exit 0
fi

set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"

mta_dir=$scratch/mta
mkdir -p "$mta_dir"
chmod 755 "$scratch" "$mta_dir"
. "$top/tests/integration/mta-data/mta-env.sh"

missing=$(mta_env_missing)
if [ -n "$missing" ]; then
	ok 1 "the test MTAs are installed: $missing is missing"
	finish
	exit 1
fi
if ! command -v swaks >/dev/null 2>&1; then
	ok 1 "swaks is installed (tools/debian-deps.sh)"
	finish
	exit 1
fi

cleanup() {
	mta_env_stop
	rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

exim_traps="closed tarpit open percent quoted catchall discard starttls auth heloonly"
smtpd_traps="smtpd-open smtpd-closed"
started=0
for t in $exim_traps; do
	if mta_env_exim "$t"; then
		started=$((started + 1))
	else
		cat "$mta_dir/$t/start.log" >&2 || true
	fi
done
for t in $smtpd_traps; do
	if mta_env_smtpd "$t"; then
		started=$((started + 1))
	else
		cat "$mta_dir/$t/smtpd.log" >&2 || true
	fi
done
[ "$started" = 12 ] && r=0 || r=1
ok $r "Exim and OpenSMTPD start on 127.0.0.1 as 12 traps ($started)"
if [ $r != 0 ]; then
	finish
	exit 1
fi
port() {
	mta_env_port "$1"
}

# --- ground truth, with swaks ---------------------------------------------

# reply PORT STEP [SWAKS-OPTION...]: the code of the server's reply to the
# step (MAIL, RCPT, EHLO, HELO, DATA) in a swaks dialog, or "none".
reply() {
	p=$1
	step=$2
	shift 2
	out=$(swaks --server "127.0.0.1:$p" --timeout 20 "$@" 2>&1 || true)
	printf '%s\n' "$out" | awk -v step="$step" '
		/^ [-~]> / {
			cmd = $2
			want = (toupper(cmd) == step ||
			    (step == "DATA" && cmd == "."))
			next
		}
		want && /^<[-~*]+ +[0-9][0-9][0-9] / {
			code = $2
			want = 0
		}
		END { print (code == "" ? "none" : code) }'
}

truth() {
	got=$1
	want=$2
	[ "$got" = "$want" ] && r=0 || r=1
	ok $r "ground truth: $3 ($got)"
}

from=sender@example.org
q="--quit-after RCPT --from $from"
truth "$(reply "$(port closed)" RCPT $q --to x@fabrikam.com)" 550 \
    "the closed Exim refuses another domain"
truth "$(reply "$(port closed)" RCPT $q \
    --to 'x%fabrikam.com@mx.exim.test')" 550 \
    "the closed Exim refuses the percent hack"
truth "$(reply "$(port closed)" MAIL --quit-after MAIL \
    --from 'a@[127.0.0.1]' --to x@fabrikam.com)" 501 \
    "the stock Exim refuses a domain-literal sender (501)"
t0=$(date +%s)
truth "$(reply "$(port tarpit)" RCPT $q --to x@fabrikam.com)" 550 \
    "the tarpit refuses another domain"
[ $(($(date +%s) - t0)) -ge 5 ] && r=0 || r=1
ok $r "ground truth: the tarpit waits 5 s before refusing"
truth "$(reply "$(port open)" RCPT $q --to x@fabrikam.com)" 250 \
    "the open Exim accepts another domain"
truth "$(reply "$(port percent)" RCPT $q \
    --to 'x%fabrikam.com@mx.exim.test')" 250 \
    "the percent-hack Exim accepts user%other@itself"
truth "$(reply "$(port percent)" RCPT $q --to nobody@mx.exim.test)" 550 \
    "the percent-hack Exim refuses an unknown local part"
truth "$(reply "$(port percent)" RCPT $q --to x@fabrikam.com)" 550 \
    "the percent-hack Exim refuses another domain"
truth "$(reply "$(port quoted)" RCPT $q \
    --to '"x@fabrikam.com"@[127.0.0.1]')" 250 \
    "the quoted-local-part Exim accepts \"user@other\"@[127.0.0.1]"
truth "$(reply "$(port quoted)" RCPT $q --to 'nobody@[127.0.0.1]')" 550 \
    "the quoted-local-part Exim refuses an unknown local part"
truth "$(reply "$(port catchall)" RCPT $q \
    --to 'whoever-4711@mx.exim.test')" 250 \
    "the catch-all Exim accepts any local part of its own"
truth "$(reply "$(port catchall)" RCPT $q --to x@fabrikam.com)" 550 \
    "the catch-all Exim refuses another domain"
truth "$(reply "$(port discard)" DATA --from "$from" \
    --to x@fabrikam.com)" 250 \
    "the discarding Exim accepts another domain and the message"
truth "$(reply "$(port starttls)" MAIL --quit-after MAIL --from "$from" \
    --to x@fabrikam.com)" 530 \
    "the STARTTLS Exim refuses MAIL before TLS (530)"
truth "$(reply "$(port starttls)" RCPT $q -tls --to x@fabrikam.com)" 550 \
    "and refuses another domain after it"
truth "$(reply "$(port auth)" MAIL --quit-after MAIL --from "$from" \
    --to x@fabrikam.com)" 530 \
    "the AUTH Exim refuses MAIL without authentication (530)"
truth "$(reply "$(port heloonly)" EHLO --quit-after EHLO)" 502 \
    "the HELO-only Exim refuses EHLO"
truth "$(reply "$(port heloonly)" RCPT $q --to x@fabrikam.com \
    --protocol SMTP)" 550 \
    "and, after HELO, refuses another domain"
truth "$(reply "$(port smtpd-open)" RCPT $q --to x@fabrikam.com)" 250 \
    "the open OpenSMTPD accepts another domain"
truth "$(reply "$(port smtpd-closed)" RCPT $q --to x@fabrikam.com)" 550 \
    "the closed OpenSMTPD refuses another domain"
truth "$(reply "$(port smtpd-closed)" RCPT $q \
    --to whoever-4711@mx.smtpd.test)" 250 \
    "the closed OpenSMTPD accepts any local part of its own (catch-all)"
# The swaks message above is the only one any server took, and it was
# discarded: the probes' own checks below start from empty logs.
for t in $exim_traps; do
	: >"$mta_dir/$t/log/mainlog.before"
	cp "$mta_dir/$t/log/mainlog" "$mta_dir/$t/log/mainlog.before" \
	    2>/dev/null || true
done

# --- the probe's verdicts -------------------------------------------------

targets=
for t in $exim_traps $smtpd_traps; do
	[ "$t" = tarpit ] && continue
	targets="$targets 127.0.0.1:$(port "$t")"
done
probe_el() {
	printf "//*[local-name()='probe'][@port='%s']" "$(port "$1")"
}
rt="*[local-name()='relay-test']"

# verdict MODEL TRAP: the relay verdict of the trap's listener.
verdict() {
	"$XMLLINT" --xpath "string($(probe_el "$2")/@relay)" "$1" 2>/dev/null ||
	    true
}

# expect MODEL LABEL TRAP=VERDICT...: each trap's relay verdict.
expect() {
	m=$1
	label=$2
	shift 2
	for tv in "$@"; do
		t=${tv%%=*}
		want=${tv#*=}
		got=$(verdict "$m" "$t")
		[ "$got" = "$want" ] && r=0 || r=1
		ok $r "$label: $t is $want (found \"$got\")"
	done
}

run_mxbpa probe $targets --timeout 10 -o "$scratch/exbpa.xml"
status_is 0 "probing eleven traps with the analyzer's test exits 0"
expect "$scratch/exbpa.xml" "analyzer's test" closed=refused open=accepted \
    percent=refused quoted=refused catchall=refused discard=accepted \
    starttls=refused auth=refused heloonly=refused smtpd-open=accepted \
    smtpd-closed=refused
c=$(xcount "//*[local-name()='probe'][@status='completed']" \
    "$scratch/exbpa.xml")
[ "$c" = 11 ] && r=0 || r=1
ok $r "analyzer's test: every probe completed ($c of 11)"

run_mxbpa probe $targets --variants all --timeout 10 -o "$scratch/all.xml"
status_is 0 "probing eleven traps with --variants all exits 0"
m=$scratch/all.xml
expect "$m" "--variants all" closed=refused open=accepted \
    percent=accepted quoted=accepted catchall=catch-all discard=accepted \
    starttls=refused auth=refused heloonly=refused smtpd-open=accepted \
    smtpd-closed=catch-all
c=$(xcount "//*[local-name()='probe'][@status='completed']" "$m")
[ "$c" = 11 ] && r=0 || r=1
ok $r "--variants all: every probe completed, no variant left unknown ($c of 11)"
c=$(xcount "//$rt[@verdict='unknown']" "$m")
[ "$c" = 0 ] && r=0 || r=1
ok $r "--variants all: no relay test is unknown ($c)"
"$XMLLINT" --noout --relaxng "$top/schemas/model.rng" "$m" >/dev/null 2>&1 &&
    r=0 || r=1
ok $r "the model matches the shipped schema"

# The stock Exim: every variant decided, one connection each.
c=$(xcount "$(probe_el closed)/$rt[@verdict='refused']" "$m")
[ "$c" = 16 ] && r=0 || r=1
ok $r "stock Exim: all 16 variants refused ($c)"
c=$(grep -c 'closed by QUIT' "$mta_dir/closed/log/mainlog" || true)
b=$(grep -c 'closed by QUIT' "$mta_dir/closed/log/mainlog.before" || true)
n=$(grep -c 'SMTP connection from \[' "$mta_dir/closed/log/mainlog" || true)
nb=$(grep -c 'SMTP connection from \[' \
    "$mta_dir/closed/log/mainlog.before" || true)
c=$((c - b))
n=$((n - nb))
[ "$c" = 17 ] && [ "$n" = 17 ] && r=0 || r=1
ok $r "stock Exim: one connection per variant (1 + 16), each ended by QUIT ($n, $c)"
c=$(grep -c 'unexpected disconnection\|too many syntax\|Too many nonmail' \
    "$mta_dir/closed/log/mainlog" || true)
[ "$c" = 0 ] && r=0 || r=1
ok $r "stock Exim: no session was cut, every one ended with QUIT ($c)"
c=$(xcount "$(probe_el closed)/$rt[@variant='ip-literal-sender']
    [@mail-code='501'][@verdict='refused']" "$m")
[ "$c" = 1 ] && r=0 || r=1
ok $r "stock Exim: the domain-literal sender is one variant, refused at MAIL"
c=$(xcount "$(probe_el closed)/$rt[@variant!='ip-literal-sender']
    [@variant!='own-domain-sender'][@variant!='null-sender']
    [@from!='ExBPA-OpenRelayTest@Fabrikam.com']" "$m")
[ "$c" = 0 ] && r=0 || r=1
ok $r "every other variant sends the analyzer's domain sender ($c differ)"

# The relays found only by their trick.
v=$("$XMLLINT" --xpath "string($(probe_el percent)/@relay-variants)" "$m")
[ "$v" = percent-hack-domain ] && r=0 || r=1
ok $r "percent-hack relay: found through percent-hack-domain ($v)"
c=$(xcount "$(probe_el percent)/$rt[@variant='percent-hack-domain']
    [@control-code='550']" "$m")
[ "$c" = 1 ] && r=0 || r=1
ok $r "percent-hack relay: its control recipient was refused"
v=$("$XMLLINT" --xpath "string($(probe_el quoted)/@relay-variants)" "$m")
[ "$v" = quoted-at-ip ] && r=0 || r=1
ok $r "quoted-local-part relay: found through quoted-at-ip ($v)"

# Catch-alls: the tricks accepted, but so was the control.
for t in catchall smtpd-closed; do
	c=$(xcount "$(probe_el $t)/$rt[@verdict='accepted']" "$m")
	a=$(xcount "$(probe_el $t)/$rt[@verdict='catch-all'][@control-code='250']" "$m")
	[ "$c" = 0 ] && [ "$a" -ge 1 ] && r=0 || r=1
	ok $r "$t: no variant accepted, $a catch-all (control accepted too)"
done
c=$(xcount "$(probe_el catchall)/$rt[@variant='percent-hack-domain']
    [@rcpt-code='250'][@verdict='catch-all']" "$m")
[ "$c" = 1 ] && r=0 || r=1
ok $r "catch-all: user%other@itself is accepted, judged catch-all"

# Each variant keeps its own transcript, QUIT included.
c=$(xcount "$(probe_el closed)/$rt[@variant!='exbpa']
    [*[local-name()='step'][@dir='send'][@text='QUIT']]" "$m")
[ "$c" = 15 ] && r=0 || r=1
ok $r "every variant after the first keeps its transcript, with its QUIT ($c)"

run_mxbpa analyze "$m" -o "$scratch/all.findings.xml"
# The findings carry each listener's verdict, for the report's headline.
sum="//*[local-name()='model']/*[local-name()='probe']"
c=$(xcount "$sum[@relay='accepted']" "$scratch/all.findings.xml")
a=$(xcount "$sum[@relay='catch-all']" "$scratch/all.findings.xml")
rf=$(xcount "$sum[@relay='refused']" "$scratch/all.findings.xml")
[ "$c" = 5 ] && [ "$a" = 2 ] && [ "$rf" = 4 ] && r=0 || r=1
ok $r "the findings list each listener's verdict (5 accepted, 2 catch-all, 4 refused)"
for t in open percent quoted discard smtpd-open; do
	c=$(xcount "//*[local-name()='finding'][@rule='PROBE-001']
	    [contains(@object, ':$(port $t)')]" "$scratch/all.findings.xml")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "PROBE-001 reports the $t relay ($c)"
done
for t in closed catchall starttls auth heloonly smtpd-closed; do
	c=$(xcount "//*[local-name()='finding'][@rule='PROBE-001' or @rule='PROBE-011']
	    [contains(@object, ':$(port $t)')]" "$scratch/all.findings.xml")
	[ "$c" = 0 ] && r=0 || r=1
	ok $r "neither PROBE-001 nor PROBE-011 for $t ($c)"
done

# --from is sent whole.
run_mxbpa probe "127.0.0.1:$(port closed)" --variants all --timeout 10 \
    --from probe@example.org -o "$scratch/from.xml"
c=$(xcount "//$rt[@from='probe@example.org']" "$scratch/from.xml")
[ "$c" = 13 ] && r=0 || r=1
ok $r "--from probe@example.org is sent whole by the 13 recipient variants ($c)"
grep -q '<= <> \|F=<probe@example.org> rejected RCPT\|rejected RCPT' \
    "$mta_dir/closed/log/rejectlog" 2>/dev/null && r=0 || r=1
grep -q 'F=<probe@example.org>' "$mta_dir/closed/log/mainlog" && r=0 || r=1
ok $r "Exim logged the sender probe@example.org"

# --domain: the tricks through the organisation's accepted domains.
run_mxbpa probe "127.0.0.1:$(port percent)" "127.0.0.1:$(port catchall)" \
    --variants all --timeout 10 --domain mx.exim.test -o "$scratch/domain.xml"
c=$(xcount "//$rt" "$scratch/domain.xml")
[ "$c" = 42 ] && r=0 || r=1
ok $r "--domain adds five variants per listener (42 relay tests, $c)"
c=$(xcount "$(probe_el percent)/$rt[@variant='percent-hack-accepted']
    [@domain='mx.exim.test'][@to='ExBPA-OpenRelayTest%Fabrikam.com@mx.exim.test']
    [@verdict='accepted'][@control-code='550']" "$scratch/domain.xml")
[ "$c" = 1 ] && r=0 || r=1
ok $r "--domain: user%other@DOMAIN is accepted by the percent-hack relay"
c=$(xcount "$(probe_el catchall)/$rt[@variant='percent-hack-accepted']
    [@verdict='catch-all']" "$scratch/domain.xml")
[ "$c" = 1 ] && r=0 || r=1
ok $r "--domain: and judged catch-all by the catch-all"

# --- the tarpit: 5 s per refusal ------------------------------------------

t0=$(date +%s%3N)
run_mxbpa probe "127.0.0.1:$(port tarpit)" --variants all --timeout 30 \
    -o "$scratch/tarpit.xml"
el=$(($(date +%s%3N) - t0))
status_is 0 "probing the tarpit with --variants all exits 0"
[ "$el" -le 15000 ] && r=0 || r=1
ok $r "the tarpit (5 s per refusal) is through 16 variants in <= 15 s ($el ms)"
c=$(xcount "//*[local-name()='probe'][@status='completed'][@relay='refused']
    /$rt[@verdict='refused']" "$scratch/tarpit.xml")
[ "$c" = 16 ] && r=0 || r=1
ok $r "the tarpit: complete verdicts, 16 refused ($c)"

# Two --domain make 26 variants: by default half of them at once, so two
# rounds of the tarpit still.
t0=$(date +%s%3N)
run_mxbpa probe "127.0.0.1:$(port tarpit)" --variants all --timeout 30 \
    --domain example.com --domain example.net -o "$scratch/tarpit26.xml"
el=$(($(date +%s%3N) - t0))
[ "$el" -le 15000 ] && r=0 || r=1
ok $r "the tarpit is through 26 variants (two --domain) in <= 15 s ($el ms)"
c=$(xcount "//*[local-name()='probe'][@status='completed'][@relay='refused']
    /$rt[@verdict='refused']" "$scratch/tarpit26.xml")
[ "$c" = 26 ] && r=0 || r=1
ok $r "the tarpit: complete verdicts, 26 refused ($c)"

# --- acceptance for delivery is not delivery ------------------------------

run_mxbpa probe "127.0.0.1:$(port discard)" --confirm-relay \
    --to proof@example.net --variants all --timeout 10 \
    -o "$scratch/confirm.xml"
status_is 0 "--confirm-relay on the discarding Exim exits 0"
v=$(verdict "$scratch/confirm.xml" discard)
[ "$v" = data-accepted ] && r=0 || r=1
ok $r "the discarding Exim took the message: data-accepted, not more ($v)"
c=$(xcount "//$rt[@confirm-code]" "$scratch/confirm.xml")
[ "$c" = 1 ] && r=0 || r=1
ok $r "one confirming message for the listener, however many variants ($c)"
run_mxbpa analyze "$scratch/confirm.xml" -o "$scratch/confirm.findings.xml"
c=$(xcount "//*[local-name()='finding'][@rule='PROBE-001']
    [contains(., 'accepted for delivery')][contains(., 'arrival')]
    [not(contains(., 'the server relays'))]" "$scratch/confirm.findings.xml")
[ "$c" = 1 ] && r=0 || r=1
ok $r "PROBE-001 says accepted for delivery, not that the server relays"
c=$(grep -c ' discarded' "$mta_dir/discard/log/mainlog" || true)
[ "$c" -ge 1 ] && r=0 || r=1
ok $r "Exim discarded what it took ($c)"

# --- nothing sent, nothing delivered --------------------------------------

n=0
for f in exbpa all from tarpit; do
	c=$(xcount "//*[local-name()='step'][@dir='send']
	    [@text='DATA' or starts-with(@text, 'BDAT')]" "$scratch/$f.xml")
	n=$((n + c))
done
[ "$n" = 0 ] && r=0 || r=1
ok $r "no probe without --confirm-relay sent DATA, in any transcript ($n)"
c=$(xcount "//*[local-name()='step'][@dir='send'][@text='DATA']" \
    "$scratch/confirm.xml")
[ "$c" = 1 ] && r=0 || r=1
ok $r "the search finds the one DATA of --confirm-relay (it can fail: $c)"

n=0
for t in $exim_traps; do
	[ "$t" = discard ] && continue
	c=$(grep -c ' <= ' "$mta_dir/$t/log/mainlog" || true)
	n=$((n + c))
done
[ "$n" = 0 ] && r=0 || r=1
ok $r "no Exim trap but the discarding one received a message ($n)"
n=$(find "$mta_dir" -path '*/spool/input/*' -type f | wc -l)
[ "$n" = 0 ] && r=0 || r=1
ok $r "no message waits in any Exim spool ($n)"
n=$(find "$mta_dir/smtpd-open/spool" "$mta_dir/smtpd-closed/spool" \
    -path '*queue*' -type f 2>/dev/null | wc -l)
[ "$n" = 0 ] && r=0 || r=1
ok $r "no message waits in OpenSMTPD's queue ($n)"

# --- unknown is a finding -------------------------------------------------

# A sender the stock Exim refuses (a domain literal, given with --from):
# the recipients are never tried, so the relay verdict is unknown.
run_mxbpa audit --probe "127.0.0.1:$(port closed)" --variants all \
    --timeout 10 --from 'probe@[127.0.0.1]' --format xml \
    -o "$scratch/refused-sender.xml"
c=$(xcount "//*[local-name()='finding'][@rule='PROBE-011'][@severity='warning']
    [contains(., 'sender refused')]" "$scratch/refused-sender.xml")
[ "$c" = 1 ] && r=0 || r=1
ok $r "recipients never tried (sender refused): PROBE-011 says so ($c)"
c=$(xcount "//*[local-name()='finding'][@rule='PROBE-001']" \
    "$scratch/refused-sender.xml")
[ "$c" = 0 ] && r=0 || r=1
ok $r "and no relay is claimed ($c)"
c=$(xcount "//*[local-name()='model']/*[local-name()='probe'][@relay='unknown']
    [contains(@relay-reason, 'sender refused, recipient not tried')]" \
    "$scratch/refused-sender.xml")
[ "$c" = 1 ] && r=0 || r=1
ok $r "the findings say the listener could not be determined, and why"

# Every probe failed: a finding per listener, no score, exit 1.
dead=$(mta_env_free_port)
run_mxbpa audit --probe "127.0.0.1:$dead" --variants all --timeout 3 \
    --format html -o "$scratch/dead.html"
status_is 1 "an audit whose every probe failed exits 1"
grep -q 'data-score="none"' "$scratch/dead.html" && r=0 || r=1
ok $r "and its report shows no score"
grep -q 'No finding' "$scratch/dead.html" && r=1 || r=0
ok $r "and never says \"No finding\""
grep -q 'PROBE-011' "$scratch/dead.html" && r=0 || r=1
ok $r "and reports PROBE-011 for the listener"

finish
