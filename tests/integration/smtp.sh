#!/bin/sh
# smtp.sh - the live SMTP probes ("mxbpa probe", "mxbpa audit --probe")
# against a private Postfix on 127.0.0.1 (tests/integration/smtp-data/)
# whose listeners are configured as an open relay, a closed relay, a relay
# that defers, closed relays with STARTTLS (self-signed, signed by a
# test CA, expired, RSA 1024 SHA-1 with TLS 1.0), one of them offering
# AUTH before STARTTLS, and a closed relay with TLS from the start (as on
# 465).  Every transport of that Postfix is "discard".
#
# It proves: each listener's relay verdict matches its configuration; the
# transcript holds EHLO, MAIL, RCPT, RSET and QUIT and never DATA, and
# Postfix agrees (no message received, queued or delivered); STARTTLS is
# used, and the certificate is recorded and judged (self-signed,
# verified with --ca-file, expired, weak key and signature, legacy
# protocols); AUTH offered in clear text is recorded; results come in the
# same order whatever the concurrency; a port where nothing listens gives
# status "unknown" (connection refused) at once; "audit --probe" reports
# each probe rule (rules/probe.xml) for exactly the listeners configured
# to break it: PROBE-001 for the open relay and not the closed one, and
# so on; a listener with TLS from the start is probed inside TLS with
# --tls-ports; --confirm-relay sends one message through the open relay
# only (Postfix discards it) and none through the closed one.
#
# Skipped when Postfix is not installed, when not run as root (Postfix's
# master must start as root) or when mxbpa has no probe command.  Run by
# "make check".
# SPDX-License-Identifier: ISC

if [ ! -x /usr/sbin/postfix ]; then
	echo "1..0 # SKIP postfix not installed"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP a private Postfix instance needs root"
	exit 0
fi
if ! "$MXBPA" probe --help >/dev/null 2>&1; then
	echo "1..0 # SKIP $MXBPA has no probe command"
	exit 0
fi

set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"

smtp_data=$top/tests/integration/smtp-data
# The Postfix daemons run as user postfix and must reach their queue.
chmod 711 "$scratch"
postfix_dir=$scratch/postfix
. "$smtp_data/postfix-env.sh"

missing=$(postfix_env_missing)
if [ -n "$missing" ]; then
	echo "1..0 # SKIP $missing not installed"
	exit 0
fi

cleanup() {
	postfix_env_stop
	rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

exbpa=ExBPA-OpenRelayTest@Fabrikam.com

# The TLS listeners get the lowest ports and the plain ones the highest,
# and nothing listens on the port after them: the slowest answers belong
# to the first ports, so results written as they complete would come out
# of order.  The TLS-from-the-start listener (smtps) comes last and is
# left out of the runs over "every listener": it is probed on its own.
kinds="starttls trusted auth expired weak closed open defer smtps"

setup() {
	mkdir -p "$postfix_dir"
	postfix_env_certs || { cat "$postfix_dir/openssl.log"; return 1; }
	postfix_env_listen $kinds || return 1
	if ! postfix_env_start; then
		cat "$postfix_dir/start.log" "$postfix_dir/maillog" 2>/dev/null
		return 1
	fi
}

if ! setup >"$scratch/setup.log" 2>&1; then
	sed 's/^/# /' "$scratch/setup.log"
	ok 1 "a private Postfix starts on 127.0.0.1 with its listeners"
	finish
	exit 1
fi
ok 0 "a private Postfix starts on 127.0.0.1 with its listeners"

p_tls=$(postfix_env_port starttls)
p_trusted=$(postfix_env_port trusted)
p_auth=$(postfix_env_port auth)
p_expired=$(postfix_env_port expired)
p_weak=$(postfix_env_port weak)
p_closed=$(postfix_env_port closed)
p_open=$(postfix_env_port open)
p_defer=$(postfix_env_port defer)
p_smtps=$(postfix_env_port smtps)
p_none=$postfix_free_port
plain_list=$(echo $postfix_port_list | tr ' ' '\n' | grep -vx "$p_smtps" |
    tr '\n' ' ' | sed 's/ $//')
listening=$(echo $plain_list | tr ' ' ',')
ca=$postfix_dir/etc/ca.pem
echo "# listeners: $kinds on $listening; nothing on $p_none"

# Steps of the model's XPaths, whatever the namespace prefix.
e_probe="*[local-name()='probe']"
e_tls="*[local-name()='tls']"
e_cert="*[local-name()='certificate']"
e_ehlo="*[local-name()='ehlo']"
e_kw="*[local-name()='keyword']"
e_step="*[local-name()='step']"
e_test="*[local-name()='relay-test']"
e_banner="*[local-name()='banner']"
e_legacy="*[local-name()='legacy-protocol']"
e_source="*[local-name()='source']"
e_finding="*[local-name()='finding']"

# skip DESCRIPTION: a TAP line for a check that cannot run here.
skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $1"
}

# count_is N XPATH FILE DESCRIPTION: count(XPATH) in FILE is N.
count_is() {
	got=$(xcount "$2" "$3")
	if [ "$got" = "$1" ]; then
		ok 0 "$4"
	else
		ok 1 "$4 (count $got, expected $1)"
	fi
}

# count_ge N XPATH FILE DESCRIPTION: count(XPATH) in FILE is at least N.
count_ge() {
	got=$(xcount "$2" "$3")
	if [ "$got" -ge "$1" ] 2>/dev/null; then
		ok 0 "$4"
	else
		ok 1 "$4 (count $got, expected at least $1)"
	fi
}

# P PORT: the XPath of the probe of PORT.
P() {
	echo "//$e_probe[@port='$1']"
}

# verbs FILE PORT: the commands the probe of PORT sent (their first word,
# upper case), on one line.
verbs() {
	"$XMLLINT" --xpath "$(P "$2")/$e_step[@dir='send']/@text" \
	    "$1" 2>/dev/null | awk '{
		sub(/^ *text="/, "")
		sub(/"$/, "")
		v = toupper($1)
		printf "%s%s", sep, v
		sep = " "
	} END { print "" }'
}

# ports FILE: the ports of the probes of a model, in document order.
ports() {
	"$XMLLINT" --xpath "//$e_probe/@port" "$1" \
	    2>/dev/null | tr -dc '0-9 \n' | tr -s ' \n' '  ' | sed 's/^ //;s/ $//'
}

# sent WORD: the XPath step of the commands sent that start with WORD (in
# upper case), in any case.
sent() {
	lower=$(echo "$1" | tr 'A-Z' 'a-z')
	echo "$e_step[@dir='send'][starts-with(translate(@text,'$lower','$1'),'$1')]"
}

# maillog_has REGEX: the Postfix log has a matching line.
maillog_has() {
	grep -E -q -- "$1" "$postfix_dir/maillog"
}

# timed ARGS...: run mxbpa, keep the wall time in whole seconds in $took.
timed() {
	t0=$(date +%s)
	run_mxbpa "$@"
	took=$(($(date +%s) - t0))
}

# --- the harness itself ------------------------------------------------------

if command -v swaks >/dev/null 2>&1; then
	swaks --server "127.0.0.1:$p_open" --from "$exbpa" --to "$exbpa" \
	    --quit-after RCPT --timeout 10 >"$scratch/swaks-open" 2>&1 &&
	    r=0 || r=1
	ok $r "swaks: the open listener accepts the analyzer's RCPT"
	swaks --server "127.0.0.1:$p_closed" --from "$exbpa" --to "$exbpa" \
	    --quit-after RCPT --timeout 10 >"$scratch/swaks-closed" 2>&1 &&
	    r=1 || r=0
	ok $r "swaks: the closed listener refuses it"
	grep -q "554 5.7.1 .*Relay access denied" "$scratch/swaks-closed" &&
	    r=0 || r=1
	ok $r "swaks: the refusal is 554 Relay access denied"
else
	echo "# swaks not found: the listeners are not checked by a second client"
fi

# --- one run over every listener ----------------------------------------------

model=$scratch/probe.xml
run_mxbpa probe 127.0.0.1 --ports "$listening,$p_none" --timeout 10 \
    --concurrency 4 -o "$model"
status_is 0 "probing nine ports, one of them closed, exits 0"
cp "$scratch/stderr" "$scratch/probe.stderr"
check "the probe model matches the shipped schema" \
    "$XMLLINT" --noout --relaxng "$top/schemas/model.rng" "$model"
sed 's/relay="refused"/relay="maybe"/' "$model" > "$scratch/bad.xml" \
    2>/dev/null || true
ok "$("$XMLLINT" --noout --relaxng "$top/schemas/model.rng" \
    "$scratch/bad.xml" >/dev/null 2>&1 && echo 1 || echo 0)" \
    "a model with an unknown verdict does not (the schema check can fail)"
count_is 9 "//$e_probe" "$model" "the model holds one probe per port"
count_ge 1 "//$e_source[@kind='probe']" "$model" \
    "the model records the probe as its source"

# Relay verdicts.
count_is 1 "$(P $p_open)[@status='completed'][@relay='accepted']" "$model" \
    "the open relay: relay accepted"
count_is 1 "$(P $p_open)/$e_test[@variant='exbpa'][@from='$exbpa']
    [@to='$exbpa'][@mail-code='250'][@rcpt-code='250']
    [@verdict='accepted']" "$model" \
    "the open relay: the analyzer's test got 250 to MAIL and RCPT"
count_is 1 "$(P $p_closed)[@status='completed'][@relay='refused']" \
    "$model" "the closed relay: relay refused"
count_is 1 "$(P $p_closed)/$e_test[@variant='exbpa'][@rcpt-code='554']
    [@verdict='refused']" "$model" \
    "the closed relay: the analyzer's RCPT got 554"
count_is 0 "$(P $p_closed)/$e_test[@verdict='accepted']" "$model" \
    "the closed relay: no variant is accepted"
count_is 1 "$(P $p_defer)[@relay='temp-refused']" "$model" \
    "the deferring relay: relay temp-refused (454)"
for k in starttls trusted auth expired weak; do
	count_is 1 "$(P "$(postfix_env_port $k)")[@status='completed']
	    [@relay='refused']" "$model" \
	    "the $k listener: relay refused, after STARTTLS"
done
count_is 1 "//$e_probe[@relay='accepted']" "$model" \
    "one port of nine is an open relay"

# Banners.
banner="mx.contoso.test Microsoft ESMTP MAIL Service, Version: 6.0.3790.3959"
count_is 1 "$(P $p_open)/$e_banner[@code='220'][@text='$banner ready']" \
    "$model" "the open relay's banner is recorded as sent"
count_is 1 "$(P $p_closed)/$e_banner[@code='220']
    [@text='mx.contoso.test ESMTP ready']" "$model" \
    "the closed relay's banner is recorded as sent"

# The dialog: what was sent, in order, and never DATA.
for p in $p_open $p_closed; do
	v=$(verbs "$model" $p)
	echo "$v" | grep -E -q '^EHLO (MAIL (RCPT )+RSET )+QUIT$' &&
	    r=0 || r=1
	ok $r "port $p: the probe sent EHLO, MAIL, RCPT, RSET, QUIT ($v)"
done
v=$(verbs "$model" $p_tls)
echo "$v" | grep -E -q '^EHLO STARTTLS EHLO (MAIL (RCPT )+RSET )+QUIT$' &&
    r=0 || r=1
ok $r "STARTTLS listener: EHLO, STARTTLS, EHLO again, the test ($v)"
count_ge 1 "$(P $p_open)/$e_step[@dir='recv'][starts-with(@text,'250 2.1.5')]" \
    "$model" "the transcript holds the server's answers"
count_is 0 "//$(sent DATA) | //$(sent BDAT)" "$model" \
    "no probe sent DATA or BDAT"
count_ge 8 "//$(sent RCPT)" "$model" \
    "the same search finds the RCPT commands (it can fail)"
count_is 0 "//$(sent AUTH)" "$model" "no probe tried to authenticate"
count_is 0 "$(P $p_closed)/$(sent STARTTLS) | $(P $p_open)/$(sent STARTTLS)" \
    "$model" "no STARTTLS is sent where none is offered"

# Postfix's side of the story.
maillog_has "disconnect from .* rset=1 " && r=0 || r=1
ok $r "Postfix logged the probes' RSET"
maillog_has "disconnect from .* (data|bdat)=" && r=1 || r=0
ok $r "Postfix received no DATA or BDAT command"
postfix_env_delivered && r=1 || r=0
ok $r "Postfix received, queued and delivered no message"
check "the Postfix queue is empty" postfix_env_queue_empty

# --- TLS ---------------------------------------------------------------------

cert0="$e_tls/$e_cert[@depth='0']"
count_is 1 "$(P $p_tls)[@mode='starttls']" "$model" \
    "the STARTTLS listener is probed in starttls mode"
count_is 1 "$(P $p_closed)[@mode='plain']" "$model" \
    "the listener without STARTTLS is probed in plain mode"
count_is 1 "$(P $p_tls)/$e_ehlo[@phase='tls'][@code='250']" "$model" \
    "STARTTLS listener: the EHLO after TLS is recorded"
count_is 0 "$(P $p_closed)/$e_ehlo[@phase='tls']" "$model" \
    "no TLS EHLO where STARTTLS is not offered"
count_is 1 "$(P $p_tls)/$e_ehlo[@phase='tls'][@removed='STARTTLS']
    [not(@added)]" "$model" \
    "what changed after TLS: STARTTLS removed, nothing added"
count_is 8 "//$e_probe[@status='completed'][@source-address='127.0.0.1']" \
    "$model" "every probe that connected records its source address"
count_is 1 "$(P $p_tls)/$e_ehlo[@phase='plain']/$e_kw[@name='STARTTLS']" \
    "$model" "STARTTLS listener: the plain EHLO offers STARTTLS"
count_is 0 "$(P $p_closed)//$e_kw[@name='STARTTLS']" "$model" \
    "the plain listener's EHLO does not"
count_is 0 "$(P $p_closed)/$e_tls" "$model" "no tls element without STARTTLS"
count_is 1 "$(P $p_tls)/$e_tls[@verified='false']
    [starts-with(@version,'TLSv1.')]" "$model" \
    "self-signed: TLS negotiated, not verified"
count_is 1 "$(P $p_tls)/$cert0[@self-signed='true']
    [@subject='CN=mx.contoso.test'][@key-bits='2048']" "$model" \
    "self-signed: recorded as self-signed, CN=mx.contoso.test, 2048 bits"
count_is 1 "$(P $p_tls)/$e_tls[@chain-length='1'][count($e_cert) = 1]" \
    "$model" "self-signed: a chain of one certificate, one recorded"
count_is 1 "$(P $p_trusted)/$cert0[@self-signed='false']" "$model" \
    "a CA-signed certificate is not taken for self-signed"
count_is 1 "$(P $p_trusted)/$e_tls[@verified='false']" "$model" \
    "without --ca-file the test CA's certificate is not verified"
count_is 1 "$(P $p_expired)/$cert0[@not-after='2020-02-01T00:00:00Z']" \
    "$model" "expired: the certificate's end date is recorded"
count_is 0 "$(P $p_trusted)/$cert0[@not-after='2020-02-01T00:00:00Z']" \
    "$model" "the valid certificate has another end date"
sha1="contains(translate(@signature,'SHA','sha'),'sha1')"
count_is 1 "$(P $p_weak)/$cert0[@key-type='RSA'][@key-bits='1024'][$sha1]" \
    "$model" "weak: RSA 1024 and a SHA-1 signature are recorded"
count_is 0 "$(P $p_tls)/$cert0[@key-bits='1024' or $sha1]" "$model" \
    "the 2048-bit SHA-256 certificate is not weak"

# Legacy protocols, tried when asked (--tls-legacy): the weak listener
# takes TLS 1.0 and 1.1, the others TLS 1.2 or later only.
"$MXBPA" probe --help > "$scratch/probe-help" 2>&1 || true
if grep -q -- "--tls-legacy" "$scratch/probe-help"; then
	lmodel=$scratch/probe-legacy.xml
	run_mxbpa probe 127.0.0.1 --ports "$p_tls,$p_weak" --tls-legacy \
	    --timeout 10 -o "$lmodel"
	status_is 0 "probing with --tls-legacy exits 0"
	count_ge 1 "$(P $p_weak)//$e_legacy[@accepted='true']" "$lmodel" \
	    "weak: a legacy TLS version is accepted"
	count_ge 1 "$(P $p_tls)//$e_legacy[@accepted='false']" "$lmodel" \
	    "TLS 1.2+ listener: the legacy versions were tried and refused"
	count_is 0 "$(P $p_tls)//$e_legacy[@accepted='true']" "$lmodel" \
	    "TLS 1.2+ listener: no legacy TLS version accepted"
else
	for i in 1 2 3 4; do
		skip "mxbpa probe has no --tls-legacy"
	done
fi

# --ca-file: the test CA's certificate verifies, the expired one does not.
camodel=$scratch/probe-ca.xml
run_mxbpa probe 127.0.0.1 --ports "$p_tls,$p_trusted,$p_expired" \
    --ca-file "$ca" --timeout 10 -o "$camodel"
status_is 0 "probing with --ca-file exits 0"
count_is 1 "$(P $p_trusted)/$e_tls[@verified='true']" "$camodel" \
    "with --ca-file the test CA's certificate is verified"
count_is 1 "$(P $p_trusted)/$e_tls[@name-matches='true']" "$camodel" \
    "its name matches the target 127.0.0.1 (SAN IP address)"
count_is 1 "$(P $p_tls)/$e_tls[@verified='false']" "$camodel" \
    "with --ca-file a self-signed certificate is still not verified"
count_is 1 "$(P $p_expired)/$e_tls[@verified='false']
    [contains(@verify-error,'expired')]" "$camodel" \
    "the expired certificate fails verification as expired"
count_is 0 "$(P $p_trusted)/$e_tls[contains(@verify-error,'expired')]" \
    "$camodel" "the valid one is not called expired"

# --- AUTH before TLS ---------------------------------------------------------

if postfix_env_sasl; then
	count_is 1 "$(P $p_auth)/$e_ehlo[@phase='plain']/$e_kw[@name='AUTH']
	    [contains(@value,'PLAIN')]" "$model" \
	    "AUTH listener: AUTH PLAIN is recorded in the clear-text EHLO"
	count_is 0 "$(P $p_tls)/$e_ehlo[@phase='plain']/$e_kw[@name='AUTH']" \
	    "$model" "the STARTTLS listener offers no AUTH in clear text"
	count_is 1 "$(P $p_trusted)/$e_ehlo[@phase='tls'][@added='AUTH']
	    /$e_kw[@name='AUTH'][contains(@value,'PLAIN')]" "$model" \
	    "AUTH only after TLS: the EHLO over TLS records AUTH as added"
	count_is 0 "$(P $p_trusted)/$e_ehlo[@phase='plain']/$e_kw[@name='AUTH']" \
	    "$model" "and the clear-text EHLO has no AUTH"
	count_is 0 "$(P $p_auth)/$e_ehlo[@phase='tls'][contains(@added,'AUTH')]" \
	    "$model" "AUTH offered in both phases is not called added"
else
	for i in 1 2 3 4 5; do
		skip "Cyrus SASL's PLAIN module (libsasl2-modules) not installed"
	done
fi

# --- TLS from the start ------------------------------------------------------

smodel=$scratch/smtps.xml
run_mxbpa probe "127.0.0.1:$p_smtps" --tls-ports "$p_smtps" --timeout 10 \
    -o "$smodel"
status_is 0 "probing the TLS-from-the-start listener with --tls-ports exits 0"
count_is 1 "$(P $p_smtps)[@mode='implicit-tls'][@status='completed']
    [@relay='refused']" "$smodel" \
    "smtps: TLS from the start, the dialog completes, relay refused"
count_is 1 "$(P $p_smtps)/$e_tls[starts-with(@version,'TLSv1.')][@cipher]" \
    "$smodel" "smtps: the protocol and cipher are recorded"
count_is 1 "$(P $p_smtps)/$cert0[@subject='CN=mx.contoso.test']
    [@self-signed='true']" "$smodel" "smtps: and the certificate"
count_is 1 "$(P $p_smtps)/$e_banner[@code='220']" "$smodel" \
    "smtps: the greeting is read inside TLS"
count_is 1 "$(P $p_smtps)/$e_ehlo[@phase='tls']" "$smodel" \
    "smtps: EHLO is sent inside TLS"
count_is 0 "$(P $p_smtps)/$e_ehlo[@phase='plain'] |
    $(P $p_smtps)/$(sent STARTTLS)" "$smodel" \
    "smtps: no clear-text EHLO and no STARTTLS"
check "the implicit-TLS model matches the shipped schema" \
    "$XMLLINT" --noout --relaxng "$top/schemas/model.rng" "$smodel"
# The negative twin: without --tls-ports the greeting never comes.
run_mxbpa probe "127.0.0.1:$p_smtps" --timeout 2 -o "$scratch/smtps-plain.xml"
count_is 1 "$(P $p_smtps)[@mode='plain'][@status='unknown']
    [contains(@reason,'timeout in BANNER')]" "$scratch/smtps-plain.xml" \
    "smtps without --tls-ports: no greeting in clear text (timeout)"

# --- nothing listening -------------------------------------------------------

count_is 1 "$(P $p_none)[@status='unknown']
    [contains(@reason,'connection refused')]" "$model" \
    "a port where nothing listens: status unknown, connection refused"
count_is 0 "$(P $p_open)[@status='unknown' or @reason]" "$model" \
    "a listening port has neither"
timed probe "127.0.0.1:$p_none" --timeout 10 -o "$scratch/none.xml"
status_is 0 "probing only a closed port still exits 0"
ok "$([ "$took" -lt 5 ] && echo 0 || echo 1)" \
    "a refused connection is reported at once, not after --timeout (${took} s)"
count_is 1 "$(P $p_none)[@status='unknown']" "$scratch/none.xml" \
    "the closed port's model says unknown"

# --- order under concurrency -------------------------------------------------

targets=
for p in $plain_list $p_none; do
	targets="$targets 127.0.0.1:$p"
done
want=$(echo $plain_list $p_none)
for c in 1 8 8; do
	run_mxbpa probe $targets --timeout 10 --concurrency $c \
	    -o "$scratch/order-$c.xml"
	got=$(ports "$scratch/order-$c.xml")
	[ "$got" = "$want" ] && r=0 || r=1
	ok $r "--concurrency $c: the probes come in the order given ($got)"
done
got=$(ports "$model")
[ "$got" = "$want" ] && r=0 || r=1
ok $r "host --ports LIST gives the same order as host:port targets"
rev=$(echo "$want" | tr ' ' '\n' | sort -rn | tr '\n' ' ' | sed 's/ $//')
[ "$rev" != "$want" ] && r=0 || r=1
ok $r "the order check can fail: the reversed order differs"

# --- audit --probe -----------------------------------------------------------

# rule_ports FINDINGS RULE: the ports of the probes RULE reported, sorted.
rule_ports() {
	"$XMLLINT" --xpath "//$e_finding[@rule='$2']//$e_probe/@port" "$1" \
	    2>/dev/null | tr -dc '0-9 \n' | tr -s ' \n' '\n\n' |
	    sed '/^$/d' | sort -n | tr '\n' ' ' | sed 's/ $//'
}

# expect_rule FINDINGS RULE WHAT PORT...: RULE reported exactly PORTs.
expect_rule() {
	ef=$1
	er=$2
	ew=$3
	shift 3
	if ! grep -q "^$er " "$scratch/rules"; then
		skip "$er is not among the rules (mxbpa rules list)"
		return 0
	fi
	ewant=$(printf '%s\n' "$@" | sed '/^$/d' | sort -n | tr '\n' ' ' |
	    sed 's/ $//')
	egot=$(rule_ports "$ef" "$er")
	if [ "$egot" = "$ewant" ]; then
		ok 0 "$er ($ew): reported for exactly ${ewant:-no port}"
	else
		ok 1 "$er ($ew): reported for exactly ${ewant:-no port} (got ${egot:-none})"
	fi
}

"$MXBPA" rules list > "$scratch/rules" 2>&1 || true
legacy_opt=
grep -q -- "--tls-legacy" "$scratch/probe-help" && legacy_opt=--tls-legacy
f=$scratch/findings.xml
run_mxbpa audit --probe 127.0.0.1 --ports "$listening" $legacy_opt \
    --timeout 10 --format xml -o "$f"
status_is 1 "audit --probe over every listener reports findings (exit 1)"
check "the findings match the shipped schema" \
    "$XMLLINT" --noout --relaxng "$top/schemas/findings.rng" "$f"
# Each expectation is exact: the listeners left out are the negative cases.
# PROBE-003 (no STARTTLS) looks at ports 25 and 587 only, never used here.
self_signed="$p_tls $p_auth $p_weak"
expect_rule "$f" PROBE-001 "relay accepted" $p_open
expect_rule "$f" PROBE-002 "AUTH before TLS" $p_auth
expect_rule "$f" PROBE-003 "no STARTTLS on 25 or 587"
expect_rule "$f" PROBE-004 "expired certificate" $p_expired
expect_rule "$f" PROBE-005 "self-signed certificate" $self_signed
# Against the target 127.0.0.1: the self-signed certificates name only
# mx.contoso.test, the test CA's also IP 127.0.0.1.
expect_rule "$f" PROBE-006 "name mismatch" $self_signed
expect_rule "$f" PROBE-007 "weak key" $p_weak
expect_rule "$f" PROBE-008 "SHA-1 signature" $p_weak
if [ -n "$legacy_opt" ]; then
	expect_rule "$f" PROBE-009 "TLS 1.0 or 1.1 accepted" $p_weak
else
	skip "mxbpa probe has no --tls-legacy"
fi
# Only the closed relay's banner names no product.
expect_rule "$f" PROBE-010 "banner names the software" \
    $p_tls $p_trusted $p_auth $p_expired $p_weak $p_open $p_defer
if grep -q "^PROBE-001 " "$scratch/rules"; then
	check "the PROBE-001 message names the analyzer's addresses" \
	    grep -q "RCPT TO:&lt;$exbpa&gt;" "$f"
	run_mxbpa audit --probe "127.0.0.1:$p_closed" --format xml \
	    -o "$scratch/closed-findings.xml"
	status_is 1 "audit --probe on the closed relay alone: exit 1, not a pass (no configuration: the relay is undetermined)"
	count_is 1 "/*/*[local-name()='relay'][@verdict='undetermined']" \
	    "$scratch/closed-findings.xml" \
	    "auditing only the closed relay: the headline is undetermined"
	count_is 0 "//$e_finding[@rule='PROBE-001']" \
	    "$scratch/closed-findings.xml" \
	    "auditing only the closed relay gives no PROBE-001"
else
	for i in 1 2 3 4; do
		skip "PROBE-001 is not among the rules (mxbpa rules list)"
	done
fi

# --- the delivery checks can fail --------------------------------------------

if command -v swaks >/dev/null 2>&1; then
	swaks --server "127.0.0.1:$p_open" --from a@example.org \
	    --to b@example.net --timeout 10 >"$scratch/swaks-data" 2>&1 || true
	n=0
	while [ $n -lt 50 ] && ! postfix_env_delivered; do
		sleep 0.1
		n=$((n + 1))
	done
	postfix_env_delivered && r=0 || r=1
	ok $r "a message sent with DATA (then discarded) shows in the maillog"
	maillog_has "disconnect from .* data=1" && r=0 || r=1
	ok $r "and its DATA command is logged (the checks above can fail)"
fi

# --- the confirming message (--confirm-relay) --------------------------------

# Last: it sends a real message, which Postfix discards.  The closed relay
# is probed first, so that a message in the log can only be the open one's.
cmodel=$scratch/confirm.xml
proof=relay-proof@example.net
run_mxbpa probe "127.0.0.1:$p_closed" --confirm-relay --to "$proof" \
    --timeout 10 -o "$scratch/confirm-closed.xml"
status_is 0 "--confirm-relay on the closed relay exits 0"
count_is 0 "//$(sent DATA)" "$scratch/confirm-closed.xml" \
    "the closed relay refused RCPT: no DATA is sent"
maillog_has "postfix/cleanup.*message-id=<mxbpa\." && r=1 || r=0
ok $r "no confirming message reached Postfix from the closed relay's probe"
run_mxbpa probe "127.0.0.1:$p_open" --confirm-relay --to "$proof" \
    --timeout 10 -o "$cmodel"
status_is 0 "--confirm-relay on the open relay exits 0"
count_is 1 "$(P $p_open)/$e_test[@variant='exbpa'][@to='$proof']
    [@rcpt-code='250'][@confirm-code='250'][@confirmed='true']" "$cmodel" \
    "the open relay accepted the confirming message (250)"
v=$(verbs "$cmodel" $p_open)
echo "$v" | grep -E -q '^EHLO MAIL RCPT DATA FROM: ' && r=0 || r=1
ok $r "the probe sent EHLO, MAIL, RCPT, DATA, then the message ($v)"
n=0
discarded="postfix/discard\[[0-9]+\]: [0-9A-F]+: to=<$proof>.*status=sent"
while [ $n -lt 50 ] && ! maillog_has "$discarded"; do
	sleep 0.1
	n=$((n + 1))
done
maillog_has "$discarded" && r=0 || r=1
ok $r "Postfix took the message for $proof and discarded it"
maillog_has "message-id=<mxbpa\." && r=0 || r=1
ok $r "the message Postfix logged is the probe's (Message-ID)"
check "the confirmed model matches the shipped schema" \
    "$XMLLINT" --noout --relaxng "$top/schemas/model.rng" "$cmodel"

finish
