#!/bin/sh
# hostile.sh - "mxbpa probe" against the scripted hostile SMTP peer
# (tests/peers/smtp-peer.py, scenarios in tests/peers/scenarios/, format
# in tests/peers/README).  For every misbehaving peer the probe exits 0
# (probing ran), within four times its --timeout, and records the target
# as <probe status="unknown"> with a reason that says what happened, its
# peak memory bounded.  The open relay is found, the closed one is not, a
# relay that falls only for one variant is found with --variants all and
# named, 530 refuses anonymous relay, HELO follows a refused EHLO,
# Exchange's EHLO keywords are recorded, a real STARTTLS handshake with
# a chain of 100 certificates is recorded with 16 of them and the chain's
# length, and the dialog goes on over TLS, and in every scenario the peer's
# log proves that DATA was never sent.  "audit --import MODEL --probe"
# puts the configuration's and the probe's findings in one report.
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"

peers=$top/tests/peers
timeout=3			# --timeout given to the probe, seconds
budget=$((timeout * 4))		# wall time one probe may take, seconds
hard=60				# a hung probe is killed after this
rss_max=32768			# peak resident memory of one probe, KiB
if [ -n "$MXBPA_WRAP" ]; then	# valgrind runs some 50 times slower
	budget=$((timeout * 40))
	hard=600
fi
# Peak memory is measured with GNU time, except under valgrind or the
# address sanitizer, whose own memory would be counted.
measure=
if [ -z "$MXBPA_WRAP" ] && [ -x /usr/bin/time ] &&
    ! nm "$MXBPA" 2>/dev/null | grep -q __asan_init; then
	measure=yes
fi

if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 not found"
	exit 0
fi
if ! command -v "$XMLLINT" >/dev/null 2>&1; then
	echo "1..0 # SKIP xmllint not found"
	exit 0
fi
if ! "$MXBPA" probe --help >/dev/null 2>&1; then
	echo "1..0 # SKIP mxbpa has no probe command"
	exit 0
fi

peer_pid=
stop_peer() {
	if [ -n "$peer_pid" ]; then
		kill "$peer_pid" 2>/dev/null || true
		wait "$peer_pid" 2>/dev/null || true
		peer_pid=
	fi
}
trap 'stop_peer; rm -rf "$scratch"' EXIT

# now_ms: the time in milliseconds.
now_ms() {
	date +%s%3N
}

# probe_el: the probe element of a model (xmllint has no prefixes).
probe_el="//*[local-name()='probe']"

# xstr XPATH FILE: the string value of an XPath expression.
xstr() {
	"$XMLLINT" --xpath "string($1)" "$2" 2>/dev/null || true
}

# sent_data LOG: true when the peer received a DATA command.
sent_data() {
	grep -Eiq '^[0-9]+ >[a-z]* DATA( |$)' "$1"
}

# verbs LOG: the verbs of every command the peer received, in order, on
# one line ("EHLO MAIL RCPT RSET QUIT").
verbs() {
	sed -n 's/^[0-9][0-9]* >[a-z]* \([A-Za-z]*\).*/\1/p' "$1" |
	    tr 'a-z' 'A-Z' | tr '\n' ' ' | sed 's/ $//'
}

# start_peer SCENARIO: start the peer in the background; sets port.
start_peer() {
	# A port file left by an earlier run of the scenario would be read
	# before the new peer truncates it.
	rm -f "$scratch/$1.port"
	python3 "$peers/smtp-peer.py" --scenario "$peers/scenarios/$1.scn" \
	    --log "$scratch/$1.log" --max-seconds $((hard + 30)) \
	    --files "$scratch" \
	    >"$scratch/$1.port" 2>"$scratch/$1.peer-err" &
	peer_pid=$!
	port=
	i=0
	while [ $i -lt 50 ] && [ -z "$port" ]; do
		port=$(head -n 1 "$scratch/$1.port" 2>/dev/null || true)
		[ -n "$port" ] || sleep 0.1
		i=$((i + 1))
	done
}

# wait_peer SCENARIO: give the peer up to 3 s to log the end of every
# connection it accepted, then stop it.
wait_peer() {
	i=0
	while [ $i -lt 30 ]; do
		c=$(grep -c '^[0-9]* \* connect$' "$scratch/$1.log" || true)
		e=$(grep -c '^[0-9]* \* end$' "$scratch/$1.log" || true)
		[ "$c" -gt 0 ] && [ "$c" = "$e" ] && break
		sleep 0.1
		i=$((i + 1))
	done
	stop_peer
}

# run_probe SCENARIO [OPTION...]: probe the peer playing SCENARIO; sets
# status, elapsed (ms), model and log.
run_probe() {
	name=$1
	shift
	model=$scratch/$name.xml
	log=$scratch/$name.log
	start_peer "$name"
	if [ -z "$port" ]; then
		ok 1 "$name: the peer starts (stderr: $(head -c 300 \
		    "$scratch/$name.peer-err" | tr '\n' ' '))"
		stop_peer
		return 1
	fi
	t0=$(now_ms)
	rss=
	set +e
	if [ -n "$measure" ]; then
		timeout "$hard" /usr/bin/time -f '%M' -o "$scratch/$name.rss" \
		    "$MXBPA" probe "127.0.0.1:$port" --timeout "$timeout" "$@" \
		    -o "$model" >"$scratch/stdout" 2>"$scratch/stderr" \
		    </dev/null
		status=$?
		rss=$(tail -n 1 "$scratch/$name.rss" 2>/dev/null || true)
	else
		timeout "$hard" $MXBPA_WRAP "$MXBPA" probe "127.0.0.1:$port" \
		    --timeout "$timeout" "$@" -o "$model" \
		    >"$scratch/stdout" 2>"$scratch/stderr" </dev/null
		status=$?
	fi
	set -e
	elapsed=$(($(now_ms) - t0))
	wait_peer "$name"
	return 0
}

# memory_ok SCENARIO: the probe's peak memory is bounded, when measured.
memory_ok() {
	if [ -n "$measure" ]; then
		case $rss in
		''|*[!0-9]*) r=1 ;;
		*) [ "$rss" -le "$rss_max" ] && r=0 || r=1 ;;
		esac
		ok $r "$1: peak memory ${rss:-?} KiB is within $rss_max KiB"
	fi
}

# common SCENARIO: what holds for every scenario.
common() {
	status_is 0 "$1: mxbpa probe exits 0 (probing ran)"
	[ "$elapsed" -lt $((budget * 1000)) ] && r=0 || r=1
	ok $r "$1: the probe ends within ${budget} s (took ${elapsed} ms)"
	memory_ok "$1"
	grep -q '^1 \* connect$' "$log" && r=0 || r=1
	ok $r "$1: the probe connected to the peer"
	c=$(xcount "$probe_el[@source-address='127.0.0.1']" "$model")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "$1: the probe records its own address, 127.0.0.1"
	c=$(xcount "$probe_el[@address='127.0.0.1' or @target='127.0.0.1']
	    [@port='$port']" "$model")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "$1: the model holds one probe of 127.0.0.1:$port (found $c)"
	if ! sent_data "$log"; then r=0; else r=1; fi
	ok $r "$1: the peer never received DATA"
	if [ "$xmlok" = yes ]; then
		"$XMLLINT" --noout --relaxng "$top/schemas/model.rng" \
		    "$model" >/dev/null 2>&1 && r=0 || r=1
		ok $r "$1: the model is valid against schemas/model.rng"
	fi
}

# hostile SCENARIO REASON [REACHED]: a misbehaving peer gives status
# "unknown" with a reason matching the extended regular expression REASON
# (any case); REACHED, when given, must match a line of the peer's log,
# proving the dialog got to the misbehaviour.
hostile() {
	before=$tap_failed
	run_probe "$1" || return 0
	common "$1"
	st=$(xstr "$probe_el/@status" "$model")
	[ "$st" = unknown ] && r=0 || r=1
	ok $r "$1: the probe's status is unknown (found \"$st\")"
	reason=$(xstr "$probe_el/@reason" "$model")
	printf '%s\n' "$reason" | grep -Eiq -- "$2" && r=0 || r=1
	ok $r "$1: the reason \"$reason\" matches /$2/"
	if [ -n "$3" ]; then
		grep -Eq -- "$3" "$log" && r=0 || r=1
		ok $r "$1: the dialog reached the misbehaviour (log has /$3/)"
	fi
	explain "$before"
}

# explain N: when checks failed since the count was N, show the probe's
# stderr and the peer's log as TAP comments.
explain() {
	if [ "$tap_failed" -gt "$1" ]; then
		head -c 2000 "$scratch/stderr" | sed 's/^/# mxbpa: /'
		head -n 30 "$log" | sed 's/^/# peer: /'
	fi
}

xmlok=yes
[ -f "$top/schemas/model.rng" ] || xmlok=no

# --- the checks of this script can fail ---------------------------------

printf '1 * connect\n1 > EHLO a\n1 > MAIL FROM:<a@b>\n1 > DATA\n' \
    >"$scratch/self-data.log"
printf '1 * connect\n1 >lf data\n' >"$scratch/self-data-lf.log"
printf '1 * connect\n1 > EHLO a\n1 > MAIL FROM:<DATA@b>\n1 > datafile\n' \
    >"$scratch/self-nodata.log"
check "a log with DATA is seen to have DATA" sent_data "$scratch/self-data.log"
check "a log with data after a bare LF is seen to have DATA" \
    sent_data "$scratch/self-data-lf.log"
if sent_data "$scratch/self-nodata.log"; then r=1; else r=0; fi
ok $r "a log with DATA only inside other commands is seen without DATA"
v=$(verbs "$scratch/self-data.log")
[ "$v" = "EHLO MAIL DATA" ] && r=0 || r=1
ok $r "verbs lists a log's commands in order (\"$v\")"

# --- misbehaving peers ----------------------------------------------------

hostile silence 'time(d)? ?out'
# The transcript is timed: the timeout event comes after --timeout.
if [ -s "$scratch/silence.xml" ]; then
	at=$(xstr "$probe_el/*[local-name()='step'][@dir='event']
	    [starts-with(@text, 'timeout')]/@at-ms" "$scratch/silence.xml")
	case $at in
	''|*[!0-9]*) r=1 ;;
	*) [ "$at" -ge $((timeout * 1000)) ] &&
	    [ "$at" -lt $((budget * 1000)) ] && r=0 || r=1 ;;
	esac
	ok $r "silence: the timeout is recorded at ${at:-?} ms, after ${timeout} s"
fi
hostile greeting-endless \
    'lines|SMTP_REPLY|too (long|large|big|many)|limit|time(d)? ?out'
hostile ehlo-endless \
    'lines|SMTP_REPLY|too (long|large|big|many)|limit|time(d)? ?out' \
    '^1 > EHLO '
hostile long-line 'SMTP_LINE_MAX|line.*long|long.*line|too (long|large)'
hostile bad-code-999 'invalid|reply code'
hostile bad-code-2x0 'invalid|reply code' '^1 > EHLO '
hostile bad-code-short 'invalid|short' '^1 > RCPT TO'
hostile reset-after-mail \
    'reset|closed|eof|end of (file|stream)|broken pipe' '^1 > MAIL FROM'
hostile slow-drip 'time(d)? ?out'

hostile tls-stall 'time(d)? ?out' \
    '^1 \* tls-record '
if [ -s "$scratch/tls-stall.log" ]; then
	printf '%s\n' "$(xstr "$probe_el/@reason" "$scratch/tls-stall.xml")" |
	    grep -Eiq 'tls|handshake' && r=0 || r=1
	ok $r "tls-stall: the reason names the TLS handshake or STARTTLS"
fi

hostile starttls-injection 'inject|plaintext' '^1 > STARTTLS'
if [ -s "$scratch/starttls-injection.log" ]; then
	grep -q 'tls-record' "$scratch/starttls-injection.log" && r=1 || r=0
	ok $r "starttls-injection: no TLS handshake follows the injection"
	c=$(xcount "$probe_el/*[local-name()='step'][@dir='event']
	    [starts-with(@text, 'bytes after 220: 250-injected')]" \
	    "$scratch/starttls-injection.xml")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "starttls-injection: the injected bytes are kept as evidence"
fi

# The server answers the ClientHello with a plaintext SMTP reply.
hostile starttls-plaintext-reply 'tls|handshake' '^1 \* tls-record '
if [ -s "$scratch/starttls-plaintext-reply.xml" ]; then
	c=$(xcount "$probe_el/*[local-name()='ehlo'][@phase='tls']" \
	    "$scratch/starttls-plaintext-reply.xml")
	[ "$c" = 0 ] && r=0 || r=1
	ok $r "starttls-plaintext-reply: no EHLO is taken as sent over TLS"
fi

# --- a real TLS handshake with a chain of 100 certificates ----------------

# One EC key signs the server's certificate and 99 distinct others, all
# sent in the handshake (some 63 KB: under OpenSSL's default limit of 100
# KiB for a certificate list, so the handshake ends and the dialog goes on).
chain_certs() {
	openssl ecparam -name prime256v1 -genkey -noout \
	    -out "$scratch/key.pem" || return 1
	openssl req -x509 -new -key "$scratch/key.pem" -days 2 \
	    -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
	    -out "$scratch/chain.pem" || return 1
	i=1
	while [ $i -lt 100 ]; do
		openssl req -x509 -new -key "$scratch/key.pem" -days 2 \
		    -subj "/O=mxbpa test/CN=chain $i" || return 1
		i=$((i + 1))
	done >>"$scratch/chain.pem"
}

# Files that do not load make the scenario refused, as a syntax error is.
set +e
python3 "$peers/smtp-peer.py" --scenario "$peers/scenarios/chain-100.scn" \
    --log "$scratch/refused.log" --files "$scratch/none" --max-seconds 5 \
    >"$scratch/refused.port" 2>"$scratch/refused.err"
st=$?
set -e
[ "$st" = 2 ] && [ ! -s "$scratch/refused.port" ] &&
    grep -q 'chain-100\.scn:[0-9]*: cannot load ' "$scratch/refused.err" &&
    r=0 || r=1
ok $r "the peer refuses tls-accept without its files, naming the line ($st)"

before=$tap_failed
if ! command -v openssl >/dev/null 2>&1; then
	ok 0 "chain-100: # SKIP openssl not found"
elif ! chain_certs 2>"$scratch/openssl.log"; then
	ok 1 "chain-100: the certificates are made ($(head -c 300 \
	    "$scratch/openssl.log" | tr '\n' ' '))"
elif run_probe chain-100 --variants exbpa; then
	common chain-100
	grep -q '^1 \* tls-handshake TLSv' "$log" && r=0 || r=1
	ok $r "chain-100: the TLS handshake ends on the peer's side"
	tls="$probe_el/$(printf "*[local-name()='tls']")"
	c=$(xcount "$tls/*[local-name()='certificate']" "$model")
	[ "$c" = 16 ] && r=0 || r=1
	ok $r "chain-100: 16 certificates are recorded, not 100 (found $c)"
	n=$(xstr "$tls/@chain-length" "$model")
	[ "$n" = 100 ] && r=0 || r=1
	ok $r "chain-100: chain-length says the server sent 100 (\"$n\")"
	c=$(xcount "$tls/*[local-name()='certificate'][@depth='0']
	    [@subject='CN=127.0.0.1']" "$model")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "chain-100: depth 0 is the server's own certificate"
	v=$(verbs "$log")
	[ "$v" = "EHLO STARTTLS EHLO MAIL RCPT RSET QUIT" ] && r=0 || r=1
	ok $r "chain-100: the dialog goes on over TLS ($v)"
	c=$(xcount "$probe_el[@status='completed'][@relay='refused']
	    [@mode='starttls']/*[local-name()='ehlo'][@phase='tls']
	    [@code='250']" "$model")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "chain-100: EHLO after TLS recorded, the relay test refused"
	explain "$before"
fi

# --- well-behaved relays: the exact dialog ------------------------------

before=$tap_failed
if run_probe open-relay --variants exbpa; then
	common open-relay
	st=$(xstr "$probe_el/@status" "$model")
	[ "$st" = completed ] && r=0 || r=1
	ok $r "open-relay: the probe completes (status \"$st\")"
	rel=$(xstr "$probe_el/@relay" "$model")
	[ "$rel" = accepted ] && r=0 || r=1
	ok $r "open-relay: the relay verdict is accepted (found \"$rel\")"
	c=$(xcount "$probe_el/*[local-name()='relay-test'][@variant='exbpa']
	    [@verdict='accepted'][@rcpt-code='250']" "$model")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "open-relay: the exbpa relay test is accepted at RCPT with 250"
	v=$(verbs "$log")
	[ "$v" = "EHLO MAIL RCPT RSET QUIT" ] && r=0 || r=1
	ok $r "open-relay: the probe sent exactly EHLO MAIL RCPT RSET QUIT ($v)"
	grep -Eiq '^1 > RCPT TO: ?<[^>]*@fabrikam\.com>' "$log" && r=0 || r=1
	ok $r "open-relay: RCPT TO names the analyzer's test domain fabrikam.com"
	explain "$before"
fi

before=$tap_failed
if run_probe relay-refused --variants exbpa; then
	common relay-refused
	rel=$(xstr "$probe_el/@relay" "$model")
	[ "$rel" = refused ] && r=0 || r=1
	ok $r "relay-refused: the relay verdict is refused (found \"$rel\")"
	c=$(xcount "$probe_el/*[local-name()='relay-test'][@variant='exbpa']
	    [@verdict='refused'][@rcpt-code='550']" "$model")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "relay-refused: the exbpa relay test is refused at RCPT with 550"
	v=$(verbs "$log")
	[ "$v" = "EHLO MAIL RCPT RSET QUIT" ] && r=0 || r=1
	ok $r "relay-refused: the probe sent exactly EHLO MAIL RCPT RSET QUIT ($v)"
	explain "$before"
fi

# --- a misbehaving peer does not hold up the others ---------------------

# Two peers at once, in one run: one that never greets, one open relay.
before=$tap_failed
start_peer silence
p_bad=$port
bad_pid=$peer_pid
peer_pid=
start_peer open-relay
p_good=$port
if [ -n "$p_bad" ] && [ -n "$p_good" ]; then
	model=$scratch/two.xml
	log=$scratch/open-relay.log
	run_mxbpa probe "127.0.0.1:$p_bad" "127.0.0.1:$p_good" \
	    --timeout "$timeout" -o "$model"
	status_is 0 "two peers at once: mxbpa probe exits 0"
	got=$("$XMLLINT" --xpath "$probe_el/@port" "$model" 2>/dev/null |
	    tr -dc '0-9 ' | sed 's/^ //')
	[ "$got" = "$p_bad $p_good" ] && r=0 || r=1
	ok $r "two peers at once: the model keeps the order given ($got)"
	c=$(xcount "$probe_el[@port='$p_bad'][@status='unknown']" "$model")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "two peers at once: the silent one is unknown"
	c=$(xcount "$probe_el[@port='$p_good'][@status='completed']
	    [@relay='accepted']" "$model")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "two peers at once: the open relay is found all the same"
	at=$(xstr "$probe_el[@port='$p_good']/*[local-name()='step'][last()]
	    /@at-ms" "$model")
	case $at in
	''|*[!0-9]*) r=1 ;;
	*) [ "$at" -lt $((timeout * 1000)) ] && r=0 || r=1 ;;
	esac
	ok $r "two peers at once: the open relay's dialog took ${at:-?} ms, not the silent one's timeout"
else
	ok 1 "two peers at once: both peers start"
fi
stop_peer
kill "$bad_pid" 2>/dev/null || true
wait "$bad_pid" 2>/dev/null || true
explain "$before"

# --- the deadline of the whole dialog ------------------------------------

# Every reply comes 0.8 s late: each step is in time with --timeout 1, the
# target as a whole (1 s x (5 + 16 variants) = 21 s) is not, when its 16
# connections (one per variant) run one at a time.
before=$tap_failed
saved_timeout=$timeout
timeout=1
if run_probe slow-replies --variants all --per-host 1; then
	status_is 0 "slow-replies: mxbpa probe exits 0"
	[ "$elapsed" -lt 30000 ] && r=0 || r=1
	ok $r "slow-replies: the dialog is cut at its deadline (took $elapsed ms)"
	memory_ok slow-replies
	reason=$(xstr "$probe_el/@reason" "$model")
	printf '%s\n' "$reason" | grep -q 'limit of 21 s for the whole target' &&
	    r=0 || r=1
	ok $r "slow-replies: the reason names the dialog's limit ($reason)"
	c=$(xcount "$probe_el[@status='unknown'][@relay='unknown']
	    /*[local-name()='relay-test'][@verdict='refused']" "$model")
	[ "$c" -ge 3 ] && r=0 || r=1
	ok $r "slow-replies: the variants tried before are kept ($c refused)"
	explain "$before"
fi
timeout=$saved_timeout

# --- what servers say: keywords, HELO, 530, one variant -----------------

# e NAME: a child element of the probe, by local name.
e() {
	printf "*[local-name()='%s']" "$1"
}

before=$tap_failed
if run_probe exchange-2003 --variants exbpa; then
	common exchange-2003
	kw="$probe_el/$(e ehlo)[@phase='plain'][@command='EHLO']/$(e keyword)"
	for k in X-LINK2STATE XEXCH50 X-ANONYMOUSTLS; do
		c=$(xcount "$kw[@name='$k']" "$model")
		[ "$c" = 1 ] && r=0 || r=1
		ok $r "exchange-2003: the EHLO keyword $k is recorded"
	done
	c=$(xcount "$kw[@name='AUTH'][@value='GSSAPI NTLM LOGIN']" "$model")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "exchange-2003: AUTH and its mechanisms are recorded"
	c=$(xcount "$kw[@name='SIZE'][@value='10485760']" "$model")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "exchange-2003: SIZE and its value are recorded"
	c=$(xcount "$kw[@name='STARTTLS']" "$model")
	[ "$c" = 0 ] && r=0 || r=1
	ok $r "exchange-2003: no STARTTLS keyword where none was offered"
	rel=$(xstr "$probe_el/@relay" "$model")
	[ "$rel" = refused ] && r=0 || r=1
	ok $r "exchange-2003: relay refused (found \"$rel\")"
	run_mxbpa analyze "$model" -o "$scratch/exchange-2003.findings.xml"
	for rule in PROBE-002 PROBE-010; do
		c=$(xcount "//*[local-name()='finding'][@rule='$rule']" \
		    "$scratch/exchange-2003.findings.xml")
		[ "$c" = 1 ] && r=0 || r=1
		ok $r "exchange-2003: analyze reports $rule"
	done
	explain "$before"
fi

before=$tap_failed
if run_probe helo-only --variants exbpa; then
	common helo-only
	v=$(verbs "$log")
	[ "$v" = "EHLO HELO MAIL RCPT RSET QUIT" ] && r=0 || r=1
	ok $r "helo-only: EHLO refused, HELO then the test ($v)"
	c=$(xcount "$probe_el[@status='completed'][@relay='refused']
	    /$(e ehlo)[@command='HELO'][@code='250']" "$model")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "helo-only: the HELO answer is recorded, relay refused"
	c=$(xcount "$probe_el/$(e ehlo)[@command='EHLO'][@code='500']" "$model")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "helo-only: the refused EHLO is recorded with its 500"
	explain "$before"
fi

before=$tap_failed
if run_probe auth-required --variants exbpa; then
	common auth-required
	c=$(xcount "$probe_el[@status='completed'][@relay='refused']" "$model")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "auth-required: 530 to RCPT refuses anonymous relay: refused"
	reason=$(xstr "$probe_el/$(e relay-test)/@reason" "$model")
	printf '%s\n' "$reason" |
	    grep -q '^authentication required: 530 ' && r=0 || r=1
	ok $r "auth-required: the reason says so (\"$reason\")"
	explain "$before"
fi

before=$tap_failed
if run_probe variant-only --variants all; then
	common variant-only
	t="$probe_el/$(e relay-test)"
	c=$(xcount "$t" "$model")
	[ "$c" = 16 ] && r=0 || r=1
	ok $r "variant-only: --variants all tries 16 variants (found $c)"
	c=$(xcount "$t[@variant='exbpa'][@verdict='refused'][@rcpt-code='550']" \
	    "$model")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "variant-only: the analyzer's own test is refused"
	v=$(xstr "$probe_el/@relay-variants" "$model")
	rel=$(xstr "$probe_el/@relay" "$model")
	[ "$rel" = accepted ] && [ "$v" = percent-hack-ip ] && r=0 || r=1
	ok $r "variant-only: accepted, only after percent-hack-ip ($rel, $v)"
	grep -Eq '^[0-9]+ > RCPT TO:<ExBPA-OpenRelayTest%Fabrikam\.com@\[127\.0\.0\.1\]>$' \
	    "$log" && r=0 || r=1
	ok $r "variant-only: the exact command is user%domain@[address]"
	n=$(grep -c '^[0-9]* > RSET' "$log" || true)
	q=$(grep -c '^[0-9]* > QUIT' "$log" || true)
	c=$(grep -c '^[0-9]* \* connect' "$log" || true)
	[ "$n" = 16 ] && [ "$q" = 16 ] && [ "$c" = 16 ] && r=0 || r=1
	ok $r "variant-only: one connection per variant, each with RSET and QUIT ($c, $n, $q)"
	grep -Eq '^[0-9]+ > RCPT TO:<mxbpa-absent-[0-9a-f]{16}@\[127\.0\.0\.1\]>$' \
	    "$log" && r=0 || r=1
	ok $r "variant-only: the accepted trick is checked against a control recipient"
	c=$(xcount "$t[@variant='percent-hack-ip'][@verdict='accepted'][@control-code='550']" \
	    "$model")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "variant-only: the control was refused, the trick stays accepted"
	c=$(xcount "$t[@variant='percent-hack-ip']/$(e step)[@dir='send']" "$model")
	[ "$c" -ge 5 ] && r=0 || r=1
	ok $r "variant-only: the variant keeps its own transcript ($c commands)"
	run_mxbpa analyze "$model" -o "$scratch/variant-only.findings.xml"
	c=$(xcount "//*[local-name()='finding'][@rule='PROBE-001']
	    [contains(., 'only after')]" "$scratch/variant-only.findings.xml")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "variant-only: PROBE-001 says the acceptance came only after a variant"
	explain "$before"
fi
if run_probe variant-only --variants exbpa; then
	rel=$(xstr "$probe_el/@relay" "$model")
	[ "$rel" = refused ] && r=0 || r=1
	ok $r "variant-only: the analyzer's test alone finds nothing ($rel)"
fi

# --- sessions the server drops -------------------------------------------

before=$tap_failed
if run_probe drop-after-refusal --variants exbpa; then
	common drop-after-refusal
	c=$(xcount "$probe_el[@status='completed'][@relay='refused']
	    /$(e relay-test)[@verdict='refused'][@connections='1']" "$model")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "drop-after-refusal: a drop after the verdict leaves it refused, complete"
	c=$(grep -c '^[0-9]* \* connect' "$log" || true)
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "drop-after-refusal: no second connection ($c)"
	explain "$before"
fi
before=$tap_failed
if run_probe drop-in-rcpt --variants exbpa; then
	status_is 0 "drop-in-rcpt: mxbpa probe exits 0"
	c=$(grep -c '^[0-9]* \* connect' "$log" || true)
	[ "$c" = 2 ] && r=0 || r=1
	ok $r "drop-in-rcpt: the variant is tried on a second connection ($c)"
	c=$(xcount "$probe_el[@status='unknown'][@relay='unknown']
	    /$(e relay-test)[@verdict='unknown'][@connections='2']
	    [contains(@reason, 'closed by the peer in RCPT')]" "$model")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "drop-in-rcpt: then unknown, with the reason"
	rr=$(xstr "$probe_el/@relay-reason" "$model")
	printf '%s\n' "$rr" | grep -q '^1 of 1 relay test not decided: exbpa: ' &&
	    r=0 || r=1
	ok $r "drop-in-rcpt: relay-reason names the variant ($rr)"
	run_mxbpa analyze "$model" -o "$scratch/drop.findings.xml"
	c=$(xcount "//*[local-name()='finding'][@rule='PROBE-011']
	    [@severity='warning'][contains(., 'exbpa')]" \
	    "$scratch/drop.findings.xml")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "drop-in-rcpt: PROBE-011 reports the test not completed"
	explain "$before"
fi

# --- the confirming message: only when asked, to the user's own mailbox --

run_mxbpa probe 127.0.0.1:9 --confirm-relay -o "$scratch/no.xml"
status_is 2 "--confirm-relay without --to is a usage error"
run_mxbpa probe 127.0.0.1:9 --confirm-relay --to someone@FABRIKAM.com \
    -o "$scratch/no.xml"
status_is 2 "--confirm-relay to the analyzer's fabrikam.com is a usage error"

before=$tap_failed
if run_probe confirm-relay --confirm-relay --to proof@example.net \
    --variants all; then
	status_is 0 "confirm-relay: mxbpa probe exits 0"
	n=$(grep -c '^[0-9]* > DATA$' "$log" || true)
	[ "$n" = 1 ] && r=0 || r=1
	ok $r "confirm-relay: DATA is sent once, however many variants pass ($n)"
	first=$(grep -E '^1 > (EHLO|HELO|MAIL|RCPT|DATA|RSET|QUIT)( |$)' \
	    "$log" | cut -c 5-8 | head -n 5 | tr '\n' ' ' | sed 's/ $//')
	[ "$first" = "EHLO MAIL RCPT DATA RSET" ] && r=0 || r=1
	ok $r "confirm-relay: DATA follows the first accepted RCPT ($first)"
	grep -q '^1 > To: <proof@example\.net>$' "$log" &&
	    grep -q '^1 > \.$' "$log" && r=0 || r=1
	ok $r "confirm-relay: the message goes to --to and ends with \".\""
	grep -q '^1 > RCPT TO:<proof@example\.net>$' "$log" && r=0 || r=1
	ok $r "confirm-relay: the recipient is the --to mailbox"
	t="$probe_el/$(e relay-test)"
	c=$(xcount "$t[@variant='exbpa'][@verdict='data-accepted']
	    [@confirm-code='250'][@confirmed='true']" "$model")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "confirm-relay: the model says the message was accepted (250), data-accepted"
	rel=$(xstr "$probe_el/@relay" "$model")
	[ "$rel" = data-accepted ] && r=0 || r=1
	ok $r "confirm-relay: the listener's verdict is the strongest: data-accepted ($rel)"
	c=$(xcount "$t[@verdict='catch-all']" "$model")
	[ "$c" -ge 1 ] && r=0 || r=1
	ok $r "confirm-relay: tricks to a server accepting any local part are catch-all ($c)"
	c=$(xcount "$t[@confirm-code]" "$model")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "confirm-relay: only that variant has a confirmation ($c)"
	c=$(xcount "$probe_el/$(e step)[@dir='send']
	    [starts-with(@text, 'From: <')]" "$model")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "confirm-relay: the transcript keeps the message sent"
	run_mxbpa analyze "$model" -o "$scratch/confirm.findings.xml"
	c=$(xcount "//*[local-name()='finding'][@rule='PROBE-001']
	    [contains(., 'accepted for delivery')]
	    [not(contains(., 'stopped before DATA'))]" \
	    "$scratch/confirm.findings.xml")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "confirm-relay: PROBE-001 says the relay is proven"
	explain "$before"
fi
before=$tap_failed
if run_probe relay-refused --confirm-relay --to proof@example.net; then
	common relay-refused
	c=$(xcount "$probe_el/$(e relay-test)[@confirm-code]" "$model")
	[ "$c" = 0 ] && r=0 || r=1
	ok $r "relay-refused: with --confirm-relay, no DATA after a refused RCPT"
	explain "$before"
fi

# --- audit: imported configuration and probes in one report -------------

# audit_peer NAME SCENARIO [OPTION...]: "mxbpa audit ... --probe" of the
# peer playing SCENARIO, findings in XML; sets status and findings.
audit_peer() {
	aname=$1
	ascn=$2
	shift 2
	findings=$scratch/$aname.findings.xml
	start_peer "$ascn"
	set +e
	timeout "$hard" $MXBPA_WRAP "$MXBPA" audit "$@" \
	    --probe "127.0.0.1:$port" --variants exbpa --timeout "$timeout" \
	    --format xml -o "$findings" >"$scratch/stdout" \
	    2>"$scratch/stderr" </dev/null
	status=$?
	set -e
	wait_peer "$ascn"
}

e_finding="*[local-name()='finding']"
fp="contains(., 'false positive')"
models=$top/tests/data/models
before=$tap_failed
audit_peer fabrikam open-relay --import "$models/fabrikam-accepted.xml"
status_is 1 "audit --import MODEL --probe TARGET reports findings (exit 1)"
c=$(xcount "//$e_finding[@rule='PROBE-001']" "$findings")
[ "$c" = 1 ] && r=0 || r=1
ok $r "the combined report holds the probe's PROBE-001 (found $c)"
c=$(xcount "//$e_finding[@rule='LOG-001']" "$findings")
[ "$c" = 1 ] && r=0 || r=1
ok $r "and the imported configuration's LOG-001 (found $c)"
c=$(xcount "//$e_finding[@rule='PROBE-001'][$fp]" "$findings")
[ "$c" = 1 ] && r=0 || r=1
ok $r "fabrikam.com is an accepted domain: PROBE-001 says false positive"
explain "$before"

before=$tap_failed
audit_peer contoso open-relay --import "$models/small.xml"
status_is 1 "audit of a model without fabrikam.com and the open relay: exit 1"
c=$(xcount "//$e_finding[@rule='PROBE-001'][not($fp)]" "$findings")
[ "$c" = 1 ] && r=0 || r=1
ok $r "without fabrikam.com accepted, PROBE-001 is no false positive"
explain "$before"

# The same, in two steps: probe to a model, then audit both models.
before=$tap_failed
if run_probe open-relay --variants exbpa; then
	cp "$model" "$scratch/saved-probe.xml"
	run_mxbpa audit --import "$scratch/saved-probe.xml" \
	    --import "$models/fabrikam-accepted.xml" --format xml \
	    -o "$scratch/two-step.xml"
	status_is 1 "audit --import PROBE-MODEL --import CONFIG: exit 1"
	c=$(xcount "//$e_finding[@rule='PROBE-001'][$fp]" "$scratch/two-step.xml")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "a saved probe model imported first keeps its probe (found $c)"
	run_mxbpa analyze "$models/fabrikam-accepted.xml" \
	    "$scratch/saved-probe.xml" -o "$scratch/analyze.xml"
	c=$(xcount "//$e_finding[@rule='PROBE-001']" "$scratch/analyze.xml")
	[ "$c" = 1 ] && r=0 || r=1
	ok $r "analyze CONFIG PROBE-MODEL keeps the second model's probe"
fi
explain "$before"

finish
