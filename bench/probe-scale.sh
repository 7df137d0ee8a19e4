#!/bin/sh
# probe-scale.sh - "mxbpa probe" over N loopback targets (500 by default),
# a fifth of them black holes, with a per-step timeout and a deadline for
# the whole run: does the deadline hold, does every target get a verdict,
# how much memory; and nmap's smtp-open-relay on the same targets.  See
# bench/README.
#
# Targets: a private Postfix on 127.0.0.1 (tests/integration/smtp-data)
# with 4N/5 listeners, alternately an open and a closed relay, and N/5
# black holes (tests/peers/black-hole.py), one every five targets: every
# other one accepts the connection and never answers, the others drop
# the SYN (a full listen queue) so that the connection never completes.
# Runs, one each:
#
#   mxbpa probe TARGETS --timeout T --deadline D --concurrency C
#       a deadline meant to be enough: every target must end with its
#       own verdict, the black holes "unknown" (timeout in BANNER or
#       in CONNECT)
#   mxbpa probe TARGETS --timeout 10 --deadline S --concurrency C
#       a deadline far too short: the run must end at S all the same,
#       with a result ("not probed" at worst) for every target
#   nmap -n -Pn -p PORTS --datadir D --script smtp-open-relay 127.0.0.1
#       D/nmap-services names every port "smtp" so that the script runs
#       without -sV
#       (service detection would wait on every black hole), capped at
#       NMAP_MAX seconds (default 600)
#
# and prints wall time, peak RSS (GNU time), and the verdict counts.  It
# exits 1 when the deadline does not hold or a target has no result.
#
# Usage (as root): MXBPA=BUILD/src/mxbpa sh bench/probe-scale.sh [N [D [T [C]]]]
#   N targets (500), D deadline in s (30), T per-step timeout in s (2),
#   C concurrency (16).  NMAP=none skips nmap.
# SPDX-License-Identifier: ISC

set -eu

ntargets=${1:-500}
deadline=${2:-30}
step=${3:-2}
conc=${4:-16}
short=5
slack=2
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
: "${MXBPA:?set MXBPA to the mxbpa binary of a build directory}"
: "${XMLLINT:=xmllint}"
: "${NMAP:=nmap}"
: "${NMAP_MAX:=600}"
TIME=/usr/bin/time

smtp_data=$top/tests/integration/smtp-data
scratch=$(mktemp -d "${TMPDIR:-/tmp}/mxbpa-bench.XXXXXX")
chmod 711 "$scratch"
postfix_dir=$scratch/postfix
. "$smtp_data/postfix-env.sh"

holes=
cleanup() {
	[ -z "$holes" ] || kill $holes 2>/dev/null || true
	postfix_env_stop
	rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

die() {
	echo "probe-scale.sh: $*" >&2
	exit 1
}

[ "$(id -u)" = 0 ] || die "run as root: Postfix's master starts as root"
missing=$(postfix_env_missing)
[ -z "$missing" ] || die "$missing is not installed (see bench/README)"
[ -x "$TIME" ] || die "$TIME is missing (the time package)"
command -v python3 >/dev/null 2>&1 || die "python3 is not installed"
command -v "$XMLLINT" >/dev/null 2>&1 || die "$XMLLINT is not installed"
[ -x "$MXBPA" ] || die "$MXBPA: not an executable"
case $ntargets in ''|*[!0-9]*) die "N must be a number" ;; esac
[ "$ntargets" -ge 5 ] || die "N must be at least 5"

nholes=$((ntargets / 5))
nreal=$((ntargets - nholes))

# --- the targets ------------------------------------------------------------

mkdir -p "$postfix_dir"
i=0
while [ $i -lt $nreal ]; do
	if [ $((i % 2)) = 0 ]; then
		postfix_env_listen open
	else
		postfix_env_listen closed
	fi
	i=$((i + 1))
done
echo "starting Postfix with $nreal listeners and $nholes black holes..."
postfix_env_start ||
    die "Postfix did not start: $(cat "$postfix_dir/start.log" \
    "$postfix_dir/maillog" 2>/dev/null | tail -n 5)"
nsilent=$(((nholes + 1) / 2))
for kind in accept syn-drop; do
	k=$nsilent
	[ $kind = accept ] || k=$((nholes - nsilent))
	[ $k -gt 0 ] || continue
	python3 "$top/tests/peers/black-hole.py" --max-seconds 3600 \
	    --kind $kind $k > "$scratch/holes.$kind" 2> "$scratch/holes.err" &
	holes="$holes $!"
	i=0
	while [ $i -lt 100 ] && [ ! -s "$scratch/holes.$kind" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -s "$scratch/holes.$kind" ] ||
	    die "black holes: $(cat "$scratch/holes.err")"
done
: >> "$scratch/holes.syn-drop"
# Alternately a silent server and a dropped SYN.
hole_ports=
set -- $(cat "$scratch/holes.syn-drop")
for p in $(cat "$scratch/holes.accept"); do
	hole_ports="$hole_ports $p"
	if [ $# -gt 0 ]; then
		hole_ports="$hole_ports $1"
		shift
	fi
done

# One black hole after every four listeners.
targets=
all_ports=
set -- $hole_ports
i=0
for p in $postfix_port_list; do
	targets="$targets 127.0.0.1:$p"
	all_ports="$all_ports $p"
	i=$((i + 1))
	if [ $((i % 4)) = 0 ] && [ $# -gt 0 ]; then
		targets="$targets 127.0.0.1:$1"
		all_ports="$all_ports $1"
		shift
	fi
done
for p in "$@"; do
	targets="$targets 127.0.0.1:$p"
	all_ports="$all_ports $p"
done
echo $targets | tr ' ' '\n' > "$scratch/targets"

# --- runs ---------------------------------------------------------------------

# measure NAME COMMAND...: run it under GNU time; sets wall (s), rss (KiB).
measure() {
	name=$1
	shift
	"$TIME" -f '%e %M' -o "$scratch/$name.time" "$@" \
	    > "$scratch/$name.out" 2> "$scratch/$name.err" || true
	wall=$(awk '{ print $1 }' "$scratch/$name.time" | tail -n 1)
	rss=$(awk '{ print $2 }' "$scratch/$name.time" | tail -n 1)
}

e_probe="*[local-name()='probe']"
cnt() {
	"$XMLLINT" --xpath "count($1)" "$2" 2>/dev/null || echo 0
}

row='%-26s %8s %10s %6s %6s %6s %6s %6s %6s %6s %6s %6s %5s\n'

# summary NAME MODEL LIMIT WALL RSS: the figures of one mxbpa run.
failed=0
summary() {
	m=$2
	wall=$4
	rss=$5
	total=$(cnt "//$e_probe" "$m")
	ports=$("$XMLLINT" --xpath "//$e_probe/@port" "$m" 2>/dev/null |
	    tr ' ' '\n' | sed -n 's/^port="\([0-9]*\)"$/\1/p' | sort -u | wc -l)
	acc=$(cnt "//$e_probe[@relay='accepted']" "$m")
	ref=$(cnt "//$e_probe[@relay='refused']" "$m")
	unk=$(cnt "//$e_probe[@relay='unknown']" "$m")
	bto=$(cnt "//$e_probe[@relay='unknown'][starts-with(@reason,
	    'timeout in BANNER')]" "$m")
	cto=$(cnt "//$e_probe[@relay='unknown'][starts-with(@reason,
	    'timeout in CONNECT')]" "$m")
	cut=$(cnt "//$e_probe[contains(@reason,'for all the probes passed')]
	    [starts-with(@reason,'timeout')]" "$m")
	np=$(cnt "//$e_probe[starts-with(@reason,'not probed')]" "$m")
	holds=yes
	awk -v w="$wall" -v l="$3" 'BEGIN { exit !(w <= l) }' || holds=NO
	printf "$row" "$1" "$wall" "$rss" "$total" "$ports" "$acc" "$ref" \
	    "$unk" "$bto" "$cto" "$cut" "$np" "$holds"
	if [ "$holds" != yes ] || [ "$total" != "$ntargets" ] ||
	    [ "$ports" != "$ntargets" ]
	then
		failed=1
	fi
}

echo "mxbpa: $ntargets targets, --timeout $step --deadline $deadline" \
    "--concurrency $conc..."
measure enough "$MXBPA" probe $targets --timeout "$step" \
    --deadline "$deadline" --concurrency "$conc" -o "$scratch/enough.xml"
w1=$wall r1=$rss
echo "mxbpa: $ntargets targets, --timeout 10 --deadline $short" \
    "--concurrency $conc..."
measure short "$MXBPA" probe $targets --timeout 10 --deadline "$short" \
    --concurrency "$conc" -o "$scratch/short.xml"
w2=$wall r2=$rss

nmap_line="nmap: skipped (NMAP=none)"
if [ "$NMAP" != none ] && command -v "$NMAP" >/dev/null 2>&1; then
	mkdir -p "$scratch/nmap-data"
	for p in $all_ports; do
		printf 'smtp\t%s/tcp\t0.5\n' "$p"
	done > "$scratch/nmap-data/nmap-services"
	portlist=$(echo $all_ports | tr ' ' ',')
	echo "nmap: smtp-open-relay on the same $ntargets ports" \
	    "(at most $NMAP_MAX s)..."
	measure nmap timeout "$NMAP_MAX" "$NMAP" -n -Pn -p "$portlist" \
	    --datadir "$scratch/nmap-data" --script smtp-open-relay \
	    -oX "$scratch/nmap.xml" 127.0.0.1
	if [ -s "$scratch/nmap.xml" ] &&
	    grep -q '</nmaprun>' "$scratch/nmap.xml"; then
		nm_open=$(cnt "//port/script[@id='smtp-open-relay']
		    [starts-with(@output,'Server is an open relay')]" \
		    "$scratch/nmap.xml")
		nm_closed=$(cnt "//port/script[@id='smtp-open-relay']
		    [contains(@output,'seem to be an open relay')]" \
		    "$scratch/nmap.xml")
		nm_any=$(cnt "//port[script[@id='smtp-open-relay']]" \
		    "$scratch/nmap.xml")
		nmap_line=$(printf '%-26s %8s %10s   script output on %s ports: %s open relay, %s not open, %s other' \
		    nmap "$wall" "$rss" "$nm_any" "$nm_open" "$nm_closed" \
		    $((nm_any - nm_open - nm_closed)))
	else
		nmap_line=$(printf '%-26s %8s %10s   no complete report (cut at %s s): %s' \
		    nmap "$wall" "$rss" "$NMAP_MAX" \
		    "$(tail -n 2 "$scratch/nmap.err" | tr '\n' ' ')")
	fi
fi

echo
echo "$ntargets targets: $nreal Postfix listeners ($((nreal - nreal / 2)) open," \
    "$((nreal / 2)) closed relays), $nholes black holes ($nsilent silent," \
    "$((nholes - nsilent)) dropping the SYN)"
printf "$row" run wall-s peak-KiB probes ports accept refuse unknwn \
    t-bann t-conn cut notpr holds
summary "deadline $deadline s, step $step s" "$scratch/enough.xml" \
    $((deadline + slack)) "$w1" "$r1"
summary "deadline $short s, step 10 s" "$scratch/short.xml" \
    $((short + slack)) "$w2" "$r2"
echo "$nmap_line"
echo
echo "holds: wall time <= deadline + $slack s.  t-bann, t-conn: unknown," \
    "timeout in BANNER or"
echo "CONNECT (those cut by the deadline included); cut: dialogs ended by" \
    "the deadline;"
echo "notpr: targets not probed before it."
if postfix_env_delivered; then
	echo "probe-scale.sh: warning: Postfix logged a received message" >&2
fi
exit $failed
