#!/bin/sh
# secrets.sh - nothing leaks the LDAP bind password.  Against a private
# slapd on 127.0.0.1 (tests/integration/ldap-data/, the Contoso demo plus a
# reader account), every command that takes a bind password runs with a
# known, distinctive one given each way mxbpa accepts it (--password-file,
# MXBPA_LDAP_PASSWORD, the -W prompt on a terminal made by script(1)), at
# -vvv: collect, audit in every --format (to a file and to standard
# output), audit --archive, audit --archive --sign, a wrong password, a
# bind name the server refuses, an unreachable server, a password refused
# over ldap:// without StartTLS.  Then every file written (models,
# findings, reports, archives and every member extracted from them with
# tar, the verify output, anything left in TMPDIR) and everything printed
# is searched for the password, as is, in hex, base64, UTF-16 and percent
# encoding (tests/tools/secret-scan.py); the argv and environment of a
# running mxbpa and of its children are read from /proc.  The archive
# manifest's command line names the password file, never its content.
# A self-check plants the password in each encoding and in a tar member
# to prove the search fails when it should.
#
# tests/integration/ldap.sh tests the bind itself and the environment of
# a running mxbpa given MXBPA_LDAP_PASSWORD; this test covers the outputs.
# Skipped without slapd, python3 or tar.  Run by "make check".
# SPDX-License-Identifier: ISC

if [ ! -x /usr/sbin/slapd ]; then
	echo "1..0 # SKIP slapd not installed"
	exit 0
fi
for t in python3 tar; do
	if ! command -v $t >/dev/null 2>&1; then
		echo "1..0 # SKIP $t not installed"
		exit 0
	fi
done

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

scan="python3 $top/tests/tools/secret-scan.py"
contoso_ldif=$top/tests/data/ldif/contoso.ldif
# Letters, digits and dashes only: no XML, JSON, CSV or shell escaping
# could hide it from a plain search.
password="Secr3t-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')-Bind"
reader="CN=mxbpa reader,CN=Users,DC=contoso,DC=com"
out=$scratch/out
tmp=$scratch/tmp
formats="html text xml json sarif junit csv"

held=
cleanup() {
	[ -z "$held" ] || kill "$held" 2>/dev/null || true
	if [ -n "$slapd_pid" ]; then
		kill -CONT "$slapd_pid" 2>/dev/null || true
	fi
	slapd_env_stop
	rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

mkdir -p "$slapd_dir" "$out" "$tmp"
printf '%s\n' "$password" > "$scratch/secret"
printf '%s\n' "$password" > "$scratch/password"
printf 'not-%s\n' "$password" > "$scratch/wrong-password"
chmod 600 "$scratch/secret" "$scratch/password" "$scratch/wrong-password"

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
	slapd_env_load "DC=contoso,DC=com" "$slapd_dir/contoso.ldif" || {
		cat "$slapd_dir/slapadd.log"
		return 1
	}
	slapd_env_start || { cat "$slapd_dir/slapd.log"; return 1; }
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$scratch/sign.key" \
	    -out "$scratch/sign.pem" -days 2 -subj "/CN=mxbpa test signer" \
	    > "$scratch/openssl-sign.log" 2>&1
}

if ! setup >"$scratch/setup.log" 2>&1; then
	sed 's/^/# /' "$scratch/setup.log"
	ok 1 "a private slapd starts on 127.0.0.1 with the reader account"
	finish
	exit 1
fi
ok 0 "a private slapd starts on 127.0.0.1 with the reader account"

ldap="ldap://127.0.0.1:$slapd_port"
ldaps="ldaps://127.0.0.1:$slapd_tls_port"
ca="$slapd_dir/ca.pem"
# The password never goes to the server in clear text: StartTLS.
bind="--ldap $ldap --starttls --ca-file $ca"

# --- the self-check: the search finds what is there ----------------------------

selfcheck() {
	d=$scratch/selfcheck
	mkdir -p "$d/tar"
	python3 - "$password" "$d" <<'PY'
import base64, sys
pw, d = sys.argv[1].encode(), sys.argv[2]
forms = {"plain": b"x " + pw + b" y", "hex": b"<" + pw.hex().encode() + b">",
         "b64-0": base64.b64encode(pw + b"tail"),
         "b64-1": base64.b64encode(b"a" + pw + b"tail"),
         "b64-2": base64.b64encode(b"ab" + pw + b"tail"),
         "utf16": b"\xff\xfe" + pw.decode().encode("utf-16-le")}
for name, data in forms.items():
    open("%s/%s" % (d, name), "wb").write(data)
PY
	r=0
	for f in plain hex b64-0 b64-1 b64-2 utf16; do
		$scan "$scratch/secret" "$d/$f" > /dev/null && r=1
	done
	printf 'inside %s\n' "$password" > "$d/tar/member.txt"
	(cd "$d/tar" && tar -cf ../planted.tar member.txt)
	rm -f "$d/tar/member.txt"
	$scan "$scratch/secret" "$d/planted.tar" > /dev/null && r=1
	printf 'clean\n' > "$d/clean"
	$scan "$scratch/secret" "$d/clean" > /dev/null || r=1
	return $r
}
selfcheck && r=0 || r=1
ok $r "the search finds the password as is, in hex, base64 (three \
alignments), UTF-16LE and inside a tar member, and passes a clean file"

# --- every command, every source, every output ------------------------------------

n=0
# pw_run SOURCE NAME ARGS...: run mxbpa with the password from SOURCE
# (file, env or none), TMPDIR in $tmp; keep stdout, stderr, status.
pw_run() {
	src=$1
	name=$2
	shift 2
	n=$((n + 1))
	set +e
	case $src in
	file)
		TMPDIR=$tmp $MXBPA_WRAP "$MXBPA" "$@" \
		    >"$out/$name.stdout" 2>"$out/$name.stderr"
		;;
	env)
		TMPDIR=$tmp MXBPA_LDAP_PASSWORD=$password $MXBPA_WRAP \
		    "$MXBPA" "$@" >"$out/$name.stdout" 2>"$out/$name.stderr"
		;;
	esac
	echo $? > "$out/$name.status"
	set -e
}

# expect NAME STATUS DESCRIPTION
expect() {
	s=$(cat "$out/$1.status")
	if [ "$s" = "$2" ]; then ok 0 "$3"; else
		ok 1 "$3 (exit $s: $(head -c 300 "$out/$1.stderr" |
		    tr '\n' ' '))"
	fi
}

for src in file env; do
	if [ $src = file ]; then
		how="--password-file $scratch/password"
		wrong="--password-file $scratch/wrong-password"
	else
		how=
		wrong=
	fi
	pw_run $src $src-collect collect -vvv $bind --bind-dn "$reader" $how \
	    -o "$out/$src-model.xml"
	expect $src-collect 0 "$src: collect -vvv with a bind writes the model"
	grep -q "simple bind as" "$out/$src-collect.stderr" &&
	    grep -q "search base=" "$out/$src-collect.stderr" && r=0 || r=1
	ok $r "$src: -vvv traces the bind and the searches (what is searched)"
	for f in $formats; do
		pw_run $src $src-audit-$f audit -vvv $bind --bind-dn "$reader" \
		    $how --format $f -o "$out/$src-report.$f"
	done
	all=0
	for f in $formats; do
		[ "$(cat "$out/$src-audit-$f.status")" = 1 ] || all=1
		[ -s "$out/$src-report.$f" ] || all=1
	done
	ok $all "$src: audit -vvv with a bind writes every format ($formats)"
	pw_run $src $src-audit-stdout audit -vvv $bind --bind-dn "$reader" \
	    $how --format json
	expect $src-audit-stdout 1 "$src: audit -vvv prints its report on stdout"
	pw_run $src $src-archive audit -vvv $bind --bind-dn "$reader" $how \
	    --format sarif -o "$out/$src-archived.sarif" \
	    --archive "$out/$src-evidence.tar"
	expect $src-archive 1 "$src: audit --archive writes the archive"
	pw_run $src $src-signed audit -vvv $bind --bind-dn "$reader" $how \
	    --format html -o "$out/$src-signed.html" \
	    --archive "$out/$src-signed.tar" \
	    --sign "$scratch/sign.key" --cert "$scratch/sign.pem"
	expect $src-signed 1 "$src: audit --archive --sign writes a signed archive"
	pw_run $src $src-analyze analyze -vvv "$out/$src-model.xml" \
	    -o "$out/$src-analyzed.xml"
	expect $src-analyze 1 "$src: the collected model analyses"
	if [ $src = file ]; then
		pw_run file $src-wrong collect -vvv $bind --bind-dn "$reader" \
		    $wrong -o "$out/$src-wrong.xml"
		expect $src-wrong 3 "$src: a wrong password fails (exit 3)"
	else
		# The environment's wrong password: a twin run.
		n=$((n + 1))
		set +e
		TMPDIR=$tmp MXBPA_LDAP_PASSWORD="not-$password" "$MXBPA" \
		    collect -vvv $bind --bind-dn "$reader" \
		    -o "$out/$src-wrong.xml" >"$out/$src-wrong.stdout" \
		    2>"$out/$src-wrong.stderr"
		echo $? > "$out/$src-wrong.status"
		set -e
		expect $src-wrong 3 "$src: a wrong password fails (exit 3)"
	fi
	pw_run $src $src-badname audit -vvv $bind \
	    --bind-dn "CN=nobody,CN=Users,DC=contoso,DC=com" $how \
	    --format html -o "$out/$src-badname.html"
	expect $src-badname 3 "$src: a bind as an unknown name fails (exit 3)"
	pw_run $src $src-unreachable audit -vvv --ldap "ldaps://127.0.0.1:1" \
	    --ca-file "$ca" --bind-dn "$reader" $how --timeout 2 \
	    --archive "$out/$src-unreachable.tar" -o "$out/$src-unreachable.html"
	expect $src-unreachable 3 "$src: an unreachable server fails (exit 3)"
	pw_run $src $src-cleartext collect -vvv --ldap "$ldap" \
	    --bind-dn "$reader" $how -o "$out/$src-cleartext.xml"
	expect $src-cleartext 2 "$src: a bind over ldap:// without StartTLS is refused"
done

# -W: the prompt on a terminal (script(1)); the password is typed once the
# prompt shows.  What the terminal shows is kept and searched too.
if command -v script >/dev/null 2>&1; then
	# prompt_run NAME ARGS...: run mxbpa on a terminal, type the password.
	prompt_run() {
		name=$1
		shift
		typed=$1
		shift
		rm -f "$scratch/tty.in"
		mkfifo "$scratch/tty.in"
		: > "$out/$name.tty"
		cmd="TMPDIR='$tmp' '$MXBPA'"
		for a in "$@"; do
			cmd="$cmd '$a'"
		done
		script -qec "$cmd; echo \"exit=\$?\"" /dev/null \
		    < "$scratch/tty.in" > "$out/$name.tty" 2>&1 &
		typist=$!
		exec 3> "$scratch/tty.in"
		w=0
		while [ $w -lt 100 ] && ! grep -q "password:" "$out/$name.tty"
		do
			sleep 0.1
			w=$((w + 1))
		done
		printf '%s\n' "$typed" >&3
		wait "$typist" || true
		exec 3>&-
		sed -n 's/.*exit=\([0-9]*\).*/\1/p' "$out/$name.tty" |
		    tail -n 1 > "$out/$name.status"
		n=$((n + 1))
	}
	prompt_run W-collect "$password" collect -vvv --ldap "$ldap" \
	    --starttls --ca-file "$ca" --bind-dn "$reader" -W \
	    -o "$out/W-model.xml"
	expect W-collect 0 "-W: collect -vvv with the typed password works"
	prompt_run W-archive "$password" audit -vvv --ldap "$ldaps" \
	    --ca-file "$ca" --bind-dn "$reader" -W --format csv \
	    -o "$out/W-report.csv" --archive "$out/W-evidence.tar" \
	    --sign "$scratch/sign.key" --cert "$scratch/sign.pem"
	expect W-archive 1 "-W: audit --archive --sign works"
	prompt_run W-wrong "not-$password" collect -vvv --ldap "$ldaps" \
	    --ca-file "$ca" --bind-dn "$reader" -W -o "$out/W-wrong.xml"
	expect W-wrong 3 "-W: a wrong typed password fails (exit 3)"
	prompt_run W-unreachable "$password" audit -vvv \
	    --ldap "ldaps://127.0.0.1:1" --ca-file "$ca" --bind-dn "$reader" \
	    -W --timeout 2 -o "$out/W-unreachable.html"
	expect W-unreachable 3 "-W: an unreachable server fails (exit 3)"
else
	echo "# script(1) not found: -W not tested"
fi
echo "# $n mxbpa runs with a bind password"

# --- the archives: extracted, verified, their manifest -----------------------------

nar=0
bad=0
for a in "$out"/*.tar; do
	[ -e "$a" ] || continue
	nar=$((nar + 1))
	x=$out/extracted/$(basename "$a" .tar)
	mkdir -p "$x"
	tar -xf "$a" -C "$x" || bad=1
	[ -s "$x/manifest.txt" ] || bad=1
	"$MXBPA" verify "$a" --cert "$scratch/sign.pem" \
	    > "$out/verify-$(basename "$a" .tar).out" 2>&1 || true
done
ok "$([ $nar -ge 5 ] && [ $bad = 0 ] && echo 0 || echo 1)" \
    "$nar archives extract with tar into the scratch directory"
[ -e "$out/file-unreachable.tar" ] || [ -e "$out/env-unreachable.tar" ] &&
    r=1 || r=0
ok $r "a failed collection writes no archive"
m=$out/extracted/file-signed/manifest.txt
grep '^command: ' "$m" > "$scratch/command" || true
grep -q -- "--password-file $scratch/password" "$scratch/command" &&
    r=0 || r=1
ok $r "the manifest's command line names the password file"
grep -q -- "$password" "$scratch/command" && r=1 || r=0
ok $r "the manifest's command line does not hold the password"
ls "$out"/extracted/*/* 2>/dev/null | grep -q password && r=1 || r=0
ok $r "no archive member is the password file"
ls "$out"/extracted/*/ | grep -q '^inputs$' && r=1 || r=0
ok $r "the LDAP archives hold no input file (LDAP data is in the model)"

# --- a running mxbpa: argv and environment, its children's ---------------------------

# proc_leaks PID: succeeds when PID or one of its children has the
# password in its argv or environment (or cannot be read); prints how
# many processes were read in $nprocs.
proc_leaks() {
	found=1
	procs=$1
	for t in /proc/$1/task/*/children; do
		procs="$procs $(cat "$t" 2>/dev/null)"
	done
	nprocs=0
	for p in $procs; do
		[ -r "/proc/$p/cmdline" ] || { found=0; continue; }
		nprocs=$((nprocs + 1))
		tr '\0' '\n' < "/proc/$p/cmdline" > "$scratch/proc.cmdline"
		tr '\0' '\n' < "/proc/$p/environ" > "$scratch/proc.environ"
		$scan "$scratch/secret" "$scratch/proc.cmdline" \
		    "$scratch/proc.environ" > /dev/null || found=0
	done
	return $found
}

# held_check SOURCE: collect from a stopped slapd, read /proc while it
# waits (the password has been read once it holds its socket).
held_check() {
	kill -STOP "$slapd_pid"
	if [ "$1" = file ]; then
		TMPDIR=$tmp "$MXBPA" collect $bind --bind-dn "$reader" \
		    --password-file "$scratch/password" --timeout 5 \
		    -o /dev/null >/dev/null 2>&1 &
	else
		TMPDIR=$tmp MXBPA_LDAP_PASSWORD=$password "$MXBPA" collect \
		    $bind --bind-dn "$reader" --timeout 5 -o /dev/null \
		    >/dev/null 2>&1 &
	fi
	held=$!
	w=0
	while [ $w -lt 50 ] &&
	    ! ls -l "/proc/$held/fd" 2>/dev/null | grep -q socket; do
		sleep 0.1
		w=$((w + 1))
	done
	r=0
	proc_leaks $held && r=1
	wait "$held" || true
	held=
	kill -CONT "$slapd_pid"
	echo "# $1: $nprocs process(es) read: mxbpa and $((nprocs - 1)) child(ren)"
	return $r
}
held_check file && r=0 || r=1
ok $r "file: neither a running mxbpa nor a child has it in argv or environment"
held_check env && r=0 || r=1
ok $r "env: neither a running mxbpa nor a child has it in argv or environment"
# The same check on a shell whose child has it in its environment.
MXBPA_LDAP_PASSWORD=$password sh -c 'sleep 5; :' &
held=$!
sleep 0.3
proc_leaks $held && r=0 || r=1
ok $r "the same check finds it in a child's environment ($nprocs processes)"
kill "$held" 2>/dev/null || true
wait "$held" 2>/dev/null || true
held=

# --- the search --------------------------------------------------------------------

nfiles=$(find "$out" "$tmp" -type f | wc -l)
if $scan "$scratch/secret" "$out" "$tmp" > "$scratch/hits"; then
	ok 0 "the password is in none of the $nfiles files written or printed"
else
	sed 's/^/# leak: /' "$scratch/hits" | head -20
	ok 1 "the password is in none of the $nfiles files written or printed"
fi
# The same search over the same tree with one planted copy fails.
printf 'planted %s\n' "$password" > "$out/file-model.planted"
$scan "$scratch/secret" "$out" "$tmp" > /dev/null && r=1 || r=0
ok $r "the same search over the same files with one planted copy fails"
rm -f "$out/file-model.planted"
ok "$([ -z "$(ls -A "$tmp")" ] && echo 0 || echo 1)" \
    "mxbpa leaves no temporary file in TMPDIR"

finish
