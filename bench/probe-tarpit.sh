#!/bin/sh
# probe-tarpit.sh - how long "mxbpa probe --variants all" takes against
# SMTP listeners that tarpit every refusal 5 s, as Exchange does, and
# whether its verdicts are complete; next to nmap's smtp-open-relay script
# on the same listeners.  See bench/README.
#
# Starts one private Exim 4.96 (tests/integration/mta-data/mta-env.sh,
# trap "tarpit": a closed relay whose RCPT ACL waits 5 s before every
# refusal) listening on N ports of 127.0.0.1 (default 20), then times:
#
#   mxbpa probe 127.0.0.1:P1 --variants all             (one listener)
#   mxbpa probe 127.0.0.1:P1 ... 127.0.0.1:PN --variants all
#   nmap -n -Pn -sV -p P1 --script smtp-open-relay 127.0.0.1
#   nmap -n -Pn -sV -p P1,...,PN --script smtp-open-relay 127.0.0.1
#
# and prints each wall time with how many listeners got a complete
# verdict (mxbpa: status completed, every variant decided; nmap: the
# script's "doesn't seem to be an open relay" or "is an open relay").
# It exits 1 unless mxbpa's verdicts are complete and refused everywhere,
# within 15 s for one listener and 30 s for N.
#
# Usage (as root; Exim unpacked by tools/debian-deps.sh):
#     MXBPA=BUILD/src/mxbpa sh bench/probe-tarpit.sh [N]
# SPDX-License-Identifier: ISC

set -eu

n=${1:-20}
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
: "${MXBPA:?set MXBPA to the mxbpa binary of a build directory}"
: "${XMLLINT:=xmllint}"
: "${NMAP_TIMEOUT:=900}"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/mxbpa-bench.XXXXXX")
chmod 755 "$scratch"
mta_dir=$scratch/mta
mkdir -p "$mta_dir"
. "$top/tests/integration/mta-data/mta-env.sh"

cleanup() {
	mta_env_stop
	rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

die() {
	echo "probe-tarpit.sh: $*" >&2
	exit 1
}

[ "$(id -u)" = 0 ] || die "run as root: Exim runs in a private namespace"
missing=$(mta_env_missing)
[ -z "$missing" ] || die "$missing is missing (see bench/README)"
command -v nmap >/dev/null 2>&1 || die "nmap is not installed"
[ -x "$MXBPA" ] || die "$MXBPA: not an executable"
case $n in ''|*[!0-9]*|0) die "N must be a positive number" ;; esac

echo "starting Exim with $n tarpitting listeners..."
mta_env_exim tarpit "$n" ||
    die "Exim did not start: $(cat "$mta_dir/tarpit/start.log")"
ports=$(mta_env_ports tarpit)
first=$(mta_env_port tarpit)

now() {
	date +%s.%N
}

# timed NAME COMMAND...: run it, print nothing, set t_NAME (seconds).
timed() {
	name=$1
	shift
	t0=$(now)
	"$@" >>"$scratch/run.log" 2>&1 || true
	eval "t_$name=\$(awk -v a=\"\$t0\" -v b=\"\$(now)\" \
	    'BEGIN { printf \"%.2f\", b - a }')"
}

# complete MODEL: listeners whose probe completed with every variant
# decided and refused.
complete() {
	"$XMLLINT" --xpath "count(//*[local-name()='probe'][@status='completed']
	    [@relay='refused'][count(*[local-name()='relay-test']
	    [@verdict='refused']) = 16])" "$1" 2>/dev/null || echo 0
}

# nmap_complete REPORT: ports where the script reached a verdict.
nmap_complete() {
	"$XMLLINT" --xpath "count(//port/script[@id='smtp-open-relay']
	    [contains(@output, 'open relay')])" "$1" 2>/dev/null || echo 0
}

targets=
for p in $ports; do
	targets="$targets 127.0.0.1:$p"
done
portlist=$(echo $ports | tr ' ' ',')

echo "mxbpa, one listener..."
timed one "$MXBPA" probe "127.0.0.1:$first" --variants all --timeout 30 \
    -o "$scratch/one.xml"
echo "mxbpa, $n listeners..."
timed all "$MXBPA" probe $targets --variants all --timeout 30 \
    -o "$scratch/all.xml"
echo "nmap, one listener..."
timed nmap_one timeout "$NMAP_TIMEOUT" nmap -n -Pn -sV -p "$first" \
    --script smtp-open-relay -oX "$scratch/nmap-one.xml" 127.0.0.1
echo "nmap, $n listeners..."
timed nmap_all timeout "$NMAP_TIMEOUT" nmap -n -Pn -sV -p "$portlist" \
    --script smtp-open-relay -oX "$scratch/nmap-all.xml" 127.0.0.1

c_one=$(complete "$scratch/one.xml")
c_all=$(complete "$scratch/all.xml")
x_one=$(nmap_complete "$scratch/nmap-one.xml")
x_all=$(nmap_complete "$scratch/nmap-all.xml")
row='%-34s %10s %10s\n'
printf "$row" "" mxbpa nmap
printf "$row" "1 listener, wall time (s)" "$t_one" "$t_nmap_one"
printf "$row" "1 listener, complete verdicts" "$c_one/1" "$x_one/1"
printf "$row" "$n listeners, wall time (s)" "$t_all" "$t_nmap_all"
printf "$row" "$n listeners, complete verdicts" "$c_all/$n" "$x_all/$n"
echo
echo "Every refusal of the RCPT ACL waits 5 s.  mxbpa: --variants all" \
    "(16 relay forms,"
echo "one connection each, --per-host 10 by default).  nmap: -sV, then" \
    "smtp-open-relay"
echo "(16 forms on one connection), cut at $NMAP_TIMEOUT s."
out=$("$XMLLINT" --xpath "string(//port[@portid='$first']/script
    [@id='smtp-open-relay']/@output)" "$scratch/nmap-all.xml" 2>/dev/null ||
    true)
echo "nmap's smtp-open-relay on port $first: ${out:-no output}" |
    tr '\n' ' '
echo

awk -v a="$t_one" -v b="$t_all" 'BEGIN { exit !(a <= 15 && b <= 30) }' &&
    [ "$c_one" = 1 ] && [ "$c_all" = "$n" ]
