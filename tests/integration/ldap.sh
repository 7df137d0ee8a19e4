#!/bin/sh
# ldap.sh - the LDAP collector against a private OpenLDAP slapd on
# 127.0.0.1 (tests/integration/ldap-data/): the Contoso demo topology of
# tests/data/ldif/contoso.ldif in DC=contoso,DC=com, 600 generated
# connectors in DC=fabrikam,DC=com behind a 500-entry size limit, a
# throwaway CA for StartTLS and ldaps://.
#
# It proves: the LDAP model gives the same findings as the CLIXML demo;
# certificates are checked (and --ca-file, --insecure-tls work); simple
# binds work from a file and from the environment and fail with a wrong
# password; no password goes over ldap:// in clear text (that it appears
# in no output, file, argv or environment is tests/secrets.sh); paged searches
# read past the server's size limit and a truncated search is an error;
# a silent server times out.  Hostile directory data (hostile.awk: 10,000
# and 100,000 values of one attribute, values of 1 MB and 2 MiB) ends on
# time, in bounded memory, with the model or a clear error.  A scripted
# server (fake-ad.pl) proves AD's range retrieval and the refusal of
# hostile answers: referrals never followed (a listener records that
# nothing connects to it), never-ending paged results, a 2 GiB message,
# an answer dripped a byte at a time.
#
# Skipped when slapd is not installed.  Run by "make check".
# SPDX-License-Identifier: ISC

if [ ! -x /usr/sbin/slapd ]; then
	echo "1..0 # SKIP slapd not installed"
	exit 0
fi

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

build=${MXBPA_TOP_BUILDDIR:-$(dirname "$(dirname "$MXBPA")")}
sddl2bin=$build/tests/tools/sddl2bin
contoso_ldif=$top/tests/data/ldif/contoso.ldif
demo=$top/examples/contoso
password="Mx-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')-pw"
reader="CN=mxbpa reader,CN=Users,DC=contoso,DC=com"
limited="CN=limited reader,CN=Users,DC=fabrikam,DC=com"
fabrikam="CN=Configuration,DC=fabrikam,DC=com"
oldfab="CN=Protocols,CN=OLDFAB,CN=Servers,CN=First Administrative \
Group,CN=Administrative Groups,CN=Fabrikam,CN=Microsoft Exchange,\
CN=Services,$fabrikam"
vserver="CN=1,CN=SMTP,$oldfab"
# A right only the directory names (no built-in fallback knows its GUID).
test_right="ms-Exch-Fabrikam-Test-Right"
test_guid="0badc0de-1111-4222-8333-444455556666"
connectors=600

fake=
trap_pid=
cleanup() {
	if [ -n "$fake" ]; then
		kill "$fake" 2>/dev/null || true
	fi
	if [ -n "$trap_pid" ]; then
		kill "$trap_pid" 2>/dev/null || true
	fi
	if [ -n "$slapd_pid" ]; then
		kill -CONT "$slapd_pid" 2>/dev/null || true
	fi
	slapd_env_stop
	rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

mkdir -p "$slapd_dir"
printf '%s\n' "$password" > "$scratch/password"
chmod 600 "$scratch/password"
printf 'not-%s\n' "$password" > "$scratch/wrong-password"
chmod 600 "$scratch/wrong-password"

# --- the directory ----------------------------------------------------------

setup() {
	slapd_env_certs || { cat "$slapd_dir/openssl.log"; return 1; }
	slapd_env_config || return 1
	{
		cat "$contoso_ldif"
		echo
		printf '%s\n' "dn: $reader" "objectClass: top" \
		    "objectClass: user" "cn: mxbpa reader" \
		    "sAMAccountName: mxbpa-reader" "userPassword: $password"
	} | awk -v suffix="DC=contoso,DC=com" \
	    -f "$ldap_data/ldif-prepare.awk" > "$slapd_dir/contoso.ldif"
	awk -v mode=sddl -v n=$connectors -v accounts=$connectors \
	    -f "$ldap_data/gen-forest.awk" | "$sddl2bin" \
	    > "$slapd_dir/sd.b64" || return 1
	{
		awk -v mode=ldif -v n=$connectors -v accounts=$connectors \
		    -v sds="$slapd_dir/sd.b64" -f "$ldap_data/gen-forest.awk"
		echo
		printf '%s\n' "dn: $limited" "objectClass: top" \
		    "objectClass: user" "cn: limited reader" \
		    "userPassword: $password"
		echo
		printf '%s\n' "dn: $vserver" "objectClass: top" \
		    "objectClass: protocolCfgSMTPServer" "cn: 1" \
		    "adminDisplayName: Default SMTP Virtual Server" \
		    "msExchServerBindings: :25:" \
		    "msExchSmtpFullyQualifiedDomainName: oldfab.fabrikam.com" \
		    "msExchSmtpRelayForAuth: TRUE"
		echo
		printf '%s\n' "dn: CN=$test_right,CN=Extended-Rights,$fabrikam" \
		    "objectClass: top" "objectClass: controlAccessRight" \
		    "cn: $test_right" "rightsGuid: $test_guid"
		echo
		printf '%s\n' \
		    "dn: CN=Custom Rights,CN=SMTP Receive Connectors,$oldfab" \
		    "objectClass: top" \
		    "objectClass: msExchSmtpReceiveConnector" \
		    "cn: Custom Rights" "msExchSmtpReceiveBindings: 0.0.0.0:25"
		printf 'nTSecurityDescriptor:: %s\n' "$(echo \
		    "O:BAG:BAD:(OA;;CR;$test_guid;;AN)" | "$sddl2bin")"
	} | awk -v suffix="DC=fabrikam,DC=com" \
	    -f "$ldap_data/ldif-prepare.awk" > "$slapd_dir/fabrikam.ldif"
	awk -f "$ldap_data/hostile.awk" > "$slapd_dir/hostile.ldif"
	slapd_env_load "DC=contoso,DC=com" "$slapd_dir/contoso.ldif" &&
	slapd_env_load "DC=fabrikam,DC=com" "$slapd_dir/fabrikam.ldif" &&
	slapd_env_load "DC=hostile,DC=com" "$slapd_dir/hostile.ldif" || {
		cat "$slapd_dir/slapadd.log"
		return 1
	}
	slapd_env_start || { cat "$slapd_dir/slapd.log"; return 1; }
}

if ! setup >"$scratch/setup.log" 2>&1; then
	sed 's/^/# /' "$scratch/setup.log"
	ok 1 "a private slapd starts on 127.0.0.1 with the test directory"
	finish
	exit 1
fi
ok 0 "a private slapd starts on 127.0.0.1 with the test directory"

ldap="ldap://127.0.0.1:$slapd_port"
ldaps="ldaps://127.0.0.1:$slapd_tls_port"
ca="$slapd_dir/ca.pem"

# count_is N XPATH FILE DESCRIPTION: the XPath count in FILE is N.
count_is() {
	got=$(xcount "$2" "$3")
	if [ "$got" = "$1" ]; then ok 0 "$4"; else ok 1 "$4 (count $got)"; fi
}

stderr_has() {
	if grep -q -- "$1" "$scratch/stderr"; then ok 0 "$2"; else
		ok 1 "$2 (stderr: $(head -c 300 "$scratch/stderr" |
		    tr '\n' ' '))"
	fi
}

# rule and object of every finding of a findings document, sorted.
finding_pairs() {
	"$XMLLINT" --xpath '//*[local-name()="finding"]/@rule |
	    //*[local-name()="finding"]/@object' "$1" 2>/dev/null |
	    paste - - | sort
}

# identity|kind|value of the bindings, remote ranges, permission groups and
# authentication mechanisms of every connector of a model, sorted.
connector_facts() {
	awk '/<receive-connector /{
		match($0, /identity="[^"]*"/)
		id = substr($0, RSTART + 10, RLENGTH - 11)
	}
	/<(binding|remote-ip-range) /{
		match($0, /text="[^"]*"/)
		k = $1
		sub(/^</, "", k)
		print id "|" k "|" substr($0, RSTART + 6, RLENGTH - 7)
	}
	/<(permission-group|auth-mechanism) /{
		match($0, /name="[^"]*"/)
		k = $1
		sub(/^</, "", k)
		print id "|" k "|" substr($0, RSTART + 6, RLENGTH - 7)
	}' "$1" | sort
}

# identity|principal|type|right of every ACE of a model, sorted.
ace_facts() {
	awk '/<receive-connector /{
		match($0, /identity="[^"]*"/)
		id = substr($0, RSTART + 10, RLENGTH - 11)
	}
	/<ace /{
		p = ""; t = ""; r = ""
		if (match($0, /principal="[^"]*"/))
			p = substr($0, RSTART + 11, RLENGTH - 12)
		if (match($0, / type="[^"]*"/))
			t = substr($0, RSTART + 7, RLENGTH - 8)
		if (match($0, / right="[^"]*"/))
			r = substr($0, RSTART + 8, RLENGTH - 9)
		print id "|" p "|" t "|" r
	}' "$1" | sort
}

# --- anonymous collection, same facts as the CLIXML demo --------------------

run_mxbpa collect --ldap "$ldap" -o "$scratch/ldap.xml"
status_is 0 "collect over ldap:// anonymously succeeds"
count_is 21 '//*[local-name()="receive-connector"]' "$scratch/ldap.xml" \
    "the LDAP model holds the 21 connectors of the demo"
count_is 1 "//*[local-name()='source'][@kind='ldap'][@location='$ldap']" \
    "$scratch/ldap.xml" "the model records the LDAP URI as its source"

# The same entries from the LDIF file give the same model, <source> apart
# (slapd lowercases the attribute types of the DNs it returns).
run_mxbpa collect --import "$contoso_ldif" -o "$scratch/ldif.xml"
status_is 0 "the LDIF export of the same directory imports"
model_body() {
	grep -v '<source ' "$1" | sed -e 's/ collected="[^"]*"//' \
	    -e 's/\(distinguished-name="\)\([^"]*\)/\1\L\2/'
}
model_body "$scratch/ldap.xml" > "$scratch/ldap.body"
model_body "$scratch/ldif.xml" > "$scratch/ldif.body"
if [ "$(xcount '//*[local-name()="ace"]' "$scratch/ldif.xml")" -gt 0 ] &&
    diff -u "$scratch/ldif.body" "$scratch/ldap.body" > "$scratch/body.diff"
then
	ok 0 "LDIF import and LDAP collection give the same model"
else
	sed 's/^/# /' "$scratch/body.diff" | head -20
	ok 1 "LDIF import and LDAP collection give the same model"
fi

run_mxbpa collect --ldap "ldap://127.0.0.1:1" -o "$scratch/none.xml"
status_is 3 "collect from a port where nothing listens fails with exit 3"
stderr_has "cannot connect" "the failure says it cannot connect"
check "no model is written when the collection fails" \
    test ! -e "$scratch/none.xml"

run_mxbpa collect --import "$demo/receive-connectors.xml" \
    --import "$demo/ad-permissions.xml" \
    --import "$demo/accepted-domains.xml" \
    --import "$demo/exchange-servers.xml" -o "$scratch/clixml.xml"
status_is 0 "the CLIXML demo collects"
connector_facts "$scratch/ldap.xml" > "$scratch/ldap.facts"
connector_facts "$scratch/clixml.xml" > "$scratch/clixml.facts"
what="bindings, ranges, permission groups and authentication mechanisms"
ok "$([ -s "$scratch/ldap.facts" ] &&
    cmp -s "$scratch/ldap.facts" "$scratch/clixml.facts" && echo 0 ||
    echo 1)" "LDAP and CLIXML give the same $what"
# Get-ADPermission lists the explicit grants; the descriptor holds them all.
ace_facts "$scratch/ldap.xml" > "$scratch/ldap.aces"
ace_facts "$scratch/clixml.xml" > "$scratch/clixml.aces"
ok "$([ -s "$scratch/clixml.aces" ] &&
    [ -z "$(comm -23 "$scratch/clixml.aces" "$scratch/ldap.aces")" ] &&
    echo 0 || echo 1)" "every ACE of the CLIXML demo is in the LDAP model"
grep -v "ANONYMOUS LOGON" "$scratch/ldap.aces" > "$scratch/ldap-no-anon.aces"
ok "$([ -n "$(comm -23 "$scratch/clixml.aces" \
    "$scratch/ldap-no-anon.aces")" ] && echo 0 || echo 1)" \
    "without the anonymous grants the ACE check fails (it can fail)"

run_mxbpa audit --ldap "$ldap" --format xml -o "$scratch/ldap-findings.xml"
status_is 1 "audit over LDAP reports the demo's findings (exit 1)"
run_mxbpa audit --import "$demo/receive-connectors.xml" \
    --import "$demo/ad-permissions.xml" \
    --import "$demo/accepted-domains.xml" \
    --import "$demo/exchange-servers.xml" \
    --format xml -o "$scratch/clixml-findings.xml"
finding_pairs "$scratch/ldap-findings.xml" > "$scratch/ldap.pairs"
finding_pairs "$scratch/clixml-findings.xml" > "$scratch/clixml.pairs"
ok "$([ -s "$scratch/ldap.pairs" ] &&
    cmp -s "$scratch/ldap.pairs" "$scratch/clixml.pairs" && echo 0 ||
    echo 1)" "LDAP and CLIXML give the same findings (rule and object)"
run_mxbpa audit --import "$demo/receive-connectors.xml" \
    --import "$demo/accepted-domains.xml" \
    --import "$demo/exchange-servers.xml" \
    --format xml -o "$scratch/partial-findings.xml"
finding_pairs "$scratch/partial-findings.xml" > "$scratch/partial.pairs"
ok "$(cmp -s "$scratch/ldap.pairs" "$scratch/partial.pairs" && echo 1 ||
    echo 0)" "without the permissions the findings differ (it can fail)"

run_mxbpa collect --ldap "$ldap" --base "CN=Configuration,DC=example,DC=com" \
    -o "$scratch/nobase.xml"
status_is 2 "a --base without an Exchange organisation is an input error"
stderr_has "no Exchange organisation" "the message says no organisation"

# --- TLS --------------------------------------------------------------------

run_mxbpa collect --ldap "$ldap" --starttls --ca-file "$ca" -o /dev/null
status_is 0 "StartTLS with --ca-file succeeds"
run_mxbpa collect --ldap "$ldap" --starttls -o /dev/null
status_is 3 "StartTLS without --ca-file is refused (exit 3)"
stderr_has "certificate" "the refusal is about the certificate"
stderr_has "\-\-ca-file" "the refusal points to --ca-file"

run_mxbpa collect --ldap "$ldaps" --ca-file "$ca" -o /dev/null
status_is 0 "ldaps:// with --ca-file succeeds"
run_mxbpa collect --ldap "$ldaps" -o /dev/null
status_is 3 "ldaps:// without --ca-file is refused (exit 3)"
stderr_has "certificate" "the ldaps:// refusal is about the certificate"

run_mxbpa collect --ldap "$ldaps" --insecure-tls -o /dev/null
status_is 0 "--insecure-tls accepts the unverified certificate"
stderr_has "insecure-tls" "--insecure-tls logs a warning"
run_mxbpa collect --ldap "$ldaps" --ca-file "$ca" -o /dev/null
ok "$(grep -q "insecure" "$scratch/stderr" && echo 1 || echo 0)" \
    "no such warning when the certificate is checked"

# --ca-file is one option for LDAP and the SMTP probes.
run_mxbpa collect --ldap "$ldap" --ca-file "$ca" -o "$scratch/plain-ca.xml"
status_is 2 "--ca-file over ldap:// without --starttls and no probe: refused"
stderr_has "\-\-starttls" "the refusal points to --starttls"
run_mxbpa collect --ldap "$ldap" --ca-file "$ca" --probe 127.0.0.1:1 \
    --timeout 2 -o "$scratch/plain-ca.xml"
status_is 0 "with a probe, --ca-file over plain ldap:// is the probes' CA"
count_is 21 '//*[local-name()="receive-connector"]' "$scratch/plain-ca.xml" \
    "that collection holds the 21 connectors"
count_is 1 '//*[local-name()="probe"]' "$scratch/plain-ca.xml" \
    "and the probe"
stderr_has "not encrypted" "a warning says the LDAP link is not encrypted"

run_mxbpa collect --ldap "ldaps://127.0.0.1:$slapd_port" --ca-file "$ca" \
    --timeout 5 -o /dev/null
status_is 3 "ldaps:// to a port without TLS fails with exit 3"
stderr_has "handshake" "the failure names the TLS handshake"

# --- simple bind ------------------------------------------------------------

run_mxbpa collect --ldap "$ldap" --starttls --ca-file "$ca" \
    --bind-dn "$reader" --password-file "$scratch/password" -o /dev/null
status_is 0 "a simple bind with the password from --password-file works"
(
	MXBPA_LDAP_PASSWORD=$password
	export MXBPA_LDAP_PASSWORD
	run_mxbpa collect --ldap "$ldaps" --ca-file "$ca" \
	    --bind-dn "$reader" -o /dev/null
	echo "$status" > "$scratch/env-status"
)
status=$(cat "$scratch/env-status")
status_is 0 "a simple bind with the password from MXBPA_LDAP_PASSWORD works"
run_mxbpa collect --ldap "$ldaps" --ca-file "$ca" \
    --bind-dn "$reader" --password-file "$scratch/wrong-password" \
    -o "$scratch/wrong.xml"
status_is 3 "a wrong password fails with exit 3"
stderr_has "invalid credentials" "the failure says the credentials are invalid"
check "no model is written after a refused bind" \
    test ! -e "$scratch/wrong.xml"
# AD takes user@domain as a bind name; slapd only takes DNs, so the
# name reaching the server unchanged shows as slapd's refusal of its syntax.
run_mxbpa collect --ldap "$ldaps" --ca-file "$ca" \
    --bind-dn "mxbpa-reader@contoso.com" --password-file "$scratch/password" \
    -o /dev/null
status_is 3 "a user@domain bind name is sent to the server (slapd refuses it)"
stderr_has "Invalid DN syntax" "the refusal is the server's, about the name"
run_mxbpa collect --ldap "$ldap" --bind-dn "$reader" \
    --password-file "$scratch/password" -o /dev/null
status_is 2 "a password over ldap:// without StartTLS is refused (exit 2)"
stderr_has "clear text" "the refusal says the password would go in clear text"
run_mxbpa collect --ldap "$ldaps" --ca-file "$ca" --bind-dn "$reader" \
    -o /dev/null
status_is 2 "--bind-dn without any password source is a usage error"
run_mxbpa collect --ldap "$ldaps" --ca-file "$ca" --bind-dn "$reader" \
    --password-file "$scratch" -o /dev/null
status_is 2 "a directory as --password-file is refused"

# -W: the prompt reads /dev/tty with echo off (script(1) makes the
# terminal).  The password is typed once the prompt is shown, since the
# prompt discards what was typed ahead.
if command -v script >/dev/null 2>&1 && mkfifo "$scratch/tty.in"; then
	: > "$scratch/tty.out"
	script -qec "'$MXBPA' collect --ldap '$ldaps' --ca-file '$ca' \
	    --bind-dn '$reader' -W -o '$scratch/prompt.xml'" /dev/null \
	    < "$scratch/tty.in" > "$scratch/tty.out" 2>&1 &
	typist=$!
	exec 3> "$scratch/tty.in"
	n=0
	while [ $n -lt 100 ] && ! grep -q "password:" "$scratch/tty.out"; do
		sleep 0.1
		n=$((n + 1))
	done
	printf '%s\n' "$password" >&3
	wait "$typist" || true
	exec 3>&-
	check "-W reads the password on the terminal and the bind works" \
	    test -s "$scratch/prompt.xml"
	grep -q "LDAP bind password" "$scratch/tty.out" && r=0 || r=1
	ok $r "-W shows a prompt on the terminal"
	grep -q -- "$password" "$scratch/tty.out" && r=1 || r=0
	ok $r "-W does not echo the password"
else
	echo "# script(1) not found: -W not tested"
fi

# --- the bind at -vvv --------------------------------------------------------

run_mxbpa audit -vvv --ldap "$ldap" --starttls --ca-file "$ca" \
    --bind-dn "$reader" --password-file "$scratch/password" \
    --format xml -o "$scratch/bind-findings.xml"
status_is 1 "audit with a bind at -vvv runs"
stderr_has "simple bind as" "the -vvv trace names the bind DN"
stderr_has "search base=" "the -vvv trace shows the searches"
# Every output, archive, password source and running process is searched
# for the password by tests/secrets.sh.

"$MXBPA" --help > "$scratch/help" 2>&1 || true
grep -E -- '--[a-z-]*pass[a-z-]*[ =][A-Z]' "$scratch/help" |
    grep -v -- '--password-file FILE' > "$scratch/pw-options" || true
ok "$([ -s "$scratch/pw-options" ] && echo 1 || echo 0)" \
    "no option but --password-file takes a password-related value"

# --- paging past the size limit ---------------------------------------------

LDAPNOINIT=1 ldapsearch -x -H "$ldap" -b "$fabrikam" \
    "(objectClass=msExchSmtpReceiveConnector)" 1.1 \
    > "$scratch/unpaged" 2>&1 || true
grep -q "Size limit exceeded" "$scratch/unpaged" && r=0 || r=1
ok $r "an unpaged search of the $connectors connectors hits the 500-entry limit"

run_mxbpa collect -vvv --ldap "$ldap" --base "$fabrikam" --page-size 200 \
    -o "$scratch/fabrikam.xml"
status_is 0 "a paged collection of $connectors connectors succeeds"
count_is $connectors '//*[local-name()="server"][@name="FAB01"]/
    *[local-name()="receive-connector"]' \
    "$scratch/fabrikam.xml" "the model holds all $connectors connectors"
count_is 1 "//*[local-name()='receive-connector'][@name='Custom Rights']/
    *[local-name()='ace'][@right='$test_right'][@sid='S-1-5-7']" \
    "$scratch/fabrikam.xml" \
    "a right known only to the directory is named from CN=Extended-Rights"
count_is $connectors \
    '//*[local-name()="ace"][starts-with(@principal,"FABRIKAM\svc-relay-")]' \
    "$scratch/fabrikam.xml" \
    "every connector's account SID is resolved to a FABRIKAM account name"
stderr_has "page 3 " "the connectors came in pages of 200 (page 3 seen)"
stderr_has "sd-flags=dacl" \
    "the Exchange search asks for the DACL only (SD-flags control)"
count_is 1 '//*[local-name()="server"][@name="OLDFAB"]/*[local-name()=
    "smtp-virtual-server"][@name="1"][@relay-for-auth="true"]
    [@fqdn="oldfab.fabrikam.com"]/*[local-name()="binding"]
    [@text="0.0.0.0:25"]' "$scratch/fabrikam.xml" \
    "an Exchange 2003 SMTP virtual server comes with its relay setting"
run_mxbpa collect --ldap "$ldap" --base "$fabrikam" -o /dev/null
ok "$(grep -q collected "$scratch/stderr" && echo 1 || echo 0)" \
    "no progress line when stderr is not a terminal"
if command -v script >/dev/null 2>&1; then
	script -qec "'$MXBPA' collect --ldap '$ldap' --base '$fabrikam' \
	    -o /dev/null" /dev/null < /dev/null > "$scratch/progress" 2>&1 ||
	    true
	grep -q "collected $((connectors * 2)) entries" "$scratch/progress" &&
	    r=0 || r=1
	ok $r "on a terminal the progress line counts the entries"
fi

run_mxbpa collect --ldap "$ldaps" --ca-file "$ca" --base "$fabrikam" \
    --bind-dn "$limited" --password-file "$scratch/password" \
    -o "$scratch/limited.xml"
status_is 3 "a search the server truncates at 500 entries fails with exit 3"
stderr_has "size limit" "the failure names the server's size limit"
check "no partial model is written" test ! -e "$scratch/limited.xml"

# --- deadlines --------------------------------------------------------------

# timed ARGS...: run mxbpa, keep the wall time in whole seconds in $took.
timed() {
	t0=$(date +%s)
	run_mxbpa "$@"
	took=$(($(date +%s) - t0))
}

kill -STOP "$slapd_pid"
timed collect --ldap "$ldap" --timeout 2 -o /dev/null
s1=$status
t1=$took
cp "$scratch/stderr" "$scratch/timeout1"
timed collect --ldap "$ldaps" --ca-file "$ca" --timeout 2 -o /dev/null
s2=$status
t2=$took
cp "$scratch/stderr" "$scratch/timeout2"
timed collect --ldap "$ldap" --starttls --ca-file "$ca" --timeout 2 -o /dev/null
s3=$status
t3=$took
cp "$scratch/stderr" "$scratch/timeout3"
kill -CONT "$slapd_pid"
status=$s1
status_is 3 "a server that never answers: exit 3 (ldap://)"
ok "$([ "$t1" -lt 10 ] && echo 0 || echo 1)" \
    "it gives up in well under 10 s (${t1} s)"
grep -q timeout "$scratch/timeout1" && r=0 || r=1
ok $r "the message says timeout"
status=$s2
status_is 3 "a TLS handshake that never completes: exit 3 (ldaps://)"
ok "$([ "$t2" -lt 10 ] && grep -q timeout "$scratch/timeout2" && echo 0 ||
    echo 1)" "it times out in well under 10 s (${t2} s)"
status=$s3
status_is 3 "a StartTLS that is never answered: exit 3"
ok "$([ "$t3" -lt 10 ] && grep -q timeout "$scratch/timeout3" && echo 0 ||
    echo 1)" "it times out in well under 10 s (${t3} s)"
timed collect --ldap "$ldap" --timeout 2 -o /dev/null
status_is 0 "the same collection succeeds once the server answers again"

# --- hostile directory data -------------------------------------------------

# measured ARGS...: run_mxbpa under GNU time: $took (whole seconds) and
# $rss (peak resident set, KiB; empty when GNU time is missing, or when
# mxbpa runs under a wrapper or AddressSanitizer, whose memory is not
# mxbpa's).
asan=0
grep -aq __asan_init "$MXBPA" && asan=1
measured() {
	t0=$(date +%s)
	rss=
	if [ -x /usr/bin/time ] && [ -z "${MXBPA_WRAP:-}" ] && [ $asan = 0 ]
	then
		set +e
		/usr/bin/time -f %M -o "$scratch/rss" "$MXBPA" "$@" \
		    >"$scratch/stdout" 2>"$scratch/stderr"
		status=$?
		set -e
		rss=$(tail -n 1 "$scratch/rss")
	else
		run_mxbpa "$@"
	fi
	took=$(($(date +%s) - t0))
}

# bounded SECONDS MIB WHAT: the last measured run took less than SECONDS
# and its peak RSS stayed under MIB.
bounded() {
	ok "$([ "$took" -lt "$1" ] && echo 0 || echo 1)" \
	    "$3 ends in under $1 s (${took} s)"
	if [ -n "$rss" ]; then
		ok "$([ "$rss" -lt $(($2 * 1024)) ] && echo 0 || echo 1)" \
		    "$3 stays under $2 MiB (peak RSS $((rss / 1024)) MiB)"
	else
		echo "# peak RSS not measured (no /usr/bin/time, a wrapper" \
		    "or AddressSanitizer)"
	fi
}

hostile="CN=Configuration,DC=%s,DC=hostile,DC=com"
hostile_conn="//*[local-name()='receive-connector']"

measured collect --ldap "$ldap" --base "$(printf "$hostile" big)" \
    --timeout 20 -o "$scratch/big.xml"
status_is 0 "a connector with 10,000 remote IP ranges is collected"
count_is 10000 "$hostile_conn[@name='Hostile']/*[local-name()=
    'remote-ip-range']" "$scratch/big.xml" "all 10,000 ranges are in the model"
count_is 1 "$hostile_conn[@name='Plain']" "$scratch/big.xml" \
    "the other connector of that server is there too"
bounded 20 100 "10,000 ranges"

measured collect --ldap "$ldap" --base "$(printf "$hostile" many)" \
    --timeout 20 -o "$scratch/many.xml"
status_is 2 "an attribute with 100,000 values is refused as over a limit"
stderr_has "MODEL_CONNECTOR_ITEMS_MAX" \
    "the message names the limit (MODEL_CONNECTOR_ITEMS_MAX)"
check "no model is written" test ! -e "$scratch/many.xml"
bounded 20 100 "100,000 values"

measured collect --ldap "$ldap" --base "$(printf "$hostile" huge)" \
    --timeout 20 -o "$scratch/huge.xml"
status_is 0 "a connector with a 1,000,000-byte FQDN is collected"
count_is 1 "$hostile_conn[@name='Hostile']/*[local-name()='setting']
    [@name='UnreadableValue'][contains(@value,'ConnectorFQDN: value longer')]" \
    "$scratch/huge.xml" "the model says the FQDN was too long to keep"
count_is 2 "$hostile_conn" "$scratch/huge.xml" \
    "both connectors of that server are there"
bounded 20 100 "a 1 MB value"

measured collect --ldap "$ldap" --base "$(printf "$hostile" toolong)" \
    --timeout 20 -o "$scratch/toolong.xml"
status_is 2 "a 2 MiB value is refused as over a limit"
stderr_has "LDAP_VALUE_MAX" "the message names LDAP_VALUE_MAX"
bounded 20 100 "a 2 MiB value"

# --- what only AD does, and hostile servers ------------------------------------

# fake MODE [REFERRAL-PORT]: start fake-ad.pl in MODE on a free port
# ($fake_port, $fake).
fake() {
	fake=
	tries=0
	while [ $tries -lt 20 ] && [ -z "$fake" ]; do
		tries=$((tries + 1))
		fake_port=$(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 +
		    20000))
		slapd_env_port_free "$fake_port" || continue
		: > "$scratch/fake.out"
		perl "$ldap_data/fake-ad.pl" "$fake_port" "$1" ${2:-} \
		    > "$scratch/fake.out" 2>&1 &
		fake=$!
		n=0
		while [ $n -lt 50 ] && ! grep -q ready "$scratch/fake.out"; do
			if ! kill -0 "$fake" 2>/dev/null; then
				fake=
				break
			fi
			sleep 0.1
			n=$((n + 1))
		done
	done
	[ -n "$fake" ]
}

fake_stop() {
	kill "$fake" 2>/dev/null || true
	wait "$fake" 2>/dev/null || true
	fake=
}

if command -v perl >/dev/null 2>&1; then
	fake ranges
	run_mxbpa collect --ldap "ldap://127.0.0.1:$fake_port" \
	    -o "$scratch/ranges.xml"
	fake_stop
	status_is 0 "a connector whose ranges come in three parts is collected"
	count_is 7 '//*[local-name()="remote-ip-range"]' "$scratch/ranges.xml" \
	    "range retrieval collects all seven remote ranges"
	count_is 1 '//*[local-name()="remote-ip-range"][@text="10.0.0.7"]' \
	    "$scratch/ranges.xml" "the last range (6-*) is there"

	fake bad-range
	run_mxbpa collect --ldap "ldap://127.0.0.1:$fake_port" \
	    -o "$scratch/bad-range.xml"
	fake_stop
	status_is 2 "a range that does not follow the previous one is refused"
	stderr_has "bad range" "the message says the range is bad"

	# Referrals point at a listener (fake-ad.pl trap) that records each
	# connection in trap.out (renamed: its descriptor follows).
	trap_port=1
	if fake trap; then
		trap_pid=$fake
		trap_port=$fake_port
		fake=
		mv "$scratch/fake.out" "$scratch/trap.out"
	fi
	trap_calls() {
		grep -c connection "$scratch/trap.out" 2>/dev/null || true
	}

	# A continuation reference is not chased unless --referrals.
	fake referral "$trap_port"
	run_mxbpa collect -vv --ldap "ldap://127.0.0.1:$fake_port" \
	    -o "$scratch/referral.xml"
	fake_stop
	status_is 0 "an answer with a continuation reference is collected"
	count_is 1 '//*[local-name()="receive-connector"]' \
	    "$scratch/referral.xml" "the connector of that answer is there"
	stderr_has "continuation reference ignored" \
	    "the reference to another server is not followed"

	# A search that ends in a referral to another server: an error,
	# and nothing connects to the server named.
	fake referred "$trap_port"
	measured collect --ldap "ldap://127.0.0.1:$fake_port" --timeout 5 \
	    -o "$scratch/referred.xml"
	fake_stop
	status_is 3 "a search referred to another server fails (exit 3)"
	stderr_has "refers it to another server, which is not contacted" \
	    "the message says the referral is not followed"
	check "no model is written" test ! -e "$scratch/referred.xml"
	bounded 5 50 "a referral"
	ok "$([ "$(trap_calls)" = 0 ] && grep -q ready "$scratch/trap.out" &&
	    echo 0 || echo 1)" \
	    "no connection reaches the host a reference or referral names"
	# The check can fail: with --referrals libldap follows them there.
	fake referred "$trap_port"
	run_mxbpa collect --referrals --ldap "ldap://127.0.0.1:$fake_port" \
	    --timeout 5 -o /dev/null
	fake_stop
	sleep 0.2
	ok "$([ "$(trap_calls)" -gt 0 ] && echo 0 || echo 1)" \
	    "with --referrals the listener sees the connection (it can fail)"
	kill "$trap_pid" 2>/dev/null || true
	wait "$trap_pid" 2>/dev/null || true
	trap_pid=

	# Paged results that never end: every page holds the connector and
	# a cookie; then pages with no entry and a cookie.
	fake endless
	measured collect --ldap "ldap://127.0.0.1:$fake_port" --timeout 10 \
	    -o "$scratch/endless.xml"
	fake_stop
	status_is 2 "a paged search that never ends is stopped (exit 2)"
	stderr_has "more than 10000 pages (LDAP_PAGES_MAX)" \
	    "the message names LDAP_PAGES_MAX"
	check "no model is written" test ! -e "$scratch/endless.xml"
	bounded 60 50 "10,000 pages"
	fake endless-empty
	measured collect --ldap "ldap://127.0.0.1:$fake_port" --timeout 10 \
	    -o /dev/null
	fake_stop
	status_is 2 "a paged search of empty pages that never ends is stopped"
	stderr_has "LDAP_EMPTY_PAGES_MAX" \
	    "the message names LDAP_EMPTY_PAGES_MAX"
	bounded 10 50 "empty pages"

	# An answer dripped a byte every 0.1 s: bytes keep coming, so only
	# an absolute deadline stops it.
	fake drip
	measured collect --ldap "ldap://127.0.0.1:$fake_port" --timeout 3 \
	    -o /dev/null
	fake_stop
	status_is 3 "an answer dripped a byte at a time times out (exit 3)"
	stderr_has "timeout in search of Exchange objects after 3 s" \
	    "the message names the search and the timeout"
	ok "$([ "$took" -ge 2 ] && [ "$took" -le 5 ] && echo 0 || echo 1)" \
	    "it ends at the 3 s deadline, not later (${took} s)"
	bounded 6 50 "a dripped answer"

	# One answer announcing a 2 GiB message: refused at the socket buffer.
	fake huge
	timed collect --ldap "ldap://127.0.0.1:$fake_port" --timeout 5 \
	    -o /dev/null
	fake_stop
	status_is 2 "a 2 GiB message from the server is refused as over a limit"
	stderr_has "LDAP_MESSAGE_MAX" "the message names LDAP_MESSAGE_MAX"
	ok "$([ "$took" -lt 5 ] && echo 0 || echo 1)" \
	    "and at once, without waiting for the bytes (${took} s)"
else
	echo "# perl not found: range retrieval and hostile answers not tested"
fi

# --- SASL GSSAPI ------------------------------------------------------------

if ls /usr/lib/*/sasl2/libgssapiv2.so* >/dev/null 2>&1; then
	echo "# the GSSAPI SASL module is installed: no KDC here, not tested"
else
	run_mxbpa collect --ldap "$ldaps" --ca-file "$ca" --sasl-gssapi \
	    -o /dev/null
	status_is 2 "--sasl-gssapi without the GSSAPI module is a usage error"
	stderr_has "GSSAPI" "the message names the missing GSSAPI mechanism"
fi

finish
