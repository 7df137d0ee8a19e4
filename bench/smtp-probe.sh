#!/bin/sh
# smtp-probe.sh - how long "mxbpa probe" takes to test N SMTP listeners
# for open relaying, next to nmap's smtp-open-relay script on the same
# listeners, and whether the two agree.  See bench/README.
#
# Starts a private Postfix on 127.0.0.1 (tests/integration/smtp-data)
# with N listeners (default 50), alternately an open relay and a closed
# relay, every transport "discard", then runs, RUNS times each (default
# 1):
#
#   mxbpa probe 127.0.0.1:P1 ... 127.0.0.1:PN --concurrency 16 -o MODEL
#   the same with --variants all (nmap's relay forms too)
#   nmap -n -Pn -sV -p P1,...,PN --script smtp-open-relay 127.0.0.1
#
# and prints the best wall time of each (hyperfine when installed, else
# date differences; HYPERFINE=none forces the latter) and, port by port,
# the configured behaviour, the verdict of each run, and the number of
# agreements.  It exits 1 unless mxbpa and nmap agree on every port.
#
# Usage (as root): MXBPA=BUILD/src/mxbpa sh bench/smtp-probe.sh [N [RUNS]]
# SPDX-License-Identifier: ISC

set -eu

n=${1:-50}
runs=${2:-1}
concurrency=16
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
: "${MXBPA:?set MXBPA to the mxbpa binary of a build directory}"
: "${XMLLINT:=xmllint}"
: "${HYPERFINE:=hyperfine}"

smtp_data=$top/tests/integration/smtp-data
scratch=$(mktemp -d "${TMPDIR:-/tmp}/mxbpa-bench.XXXXXX")
# The Postfix daemons run as user postfix and must reach their queue.
chmod 711 "$scratch"
postfix_dir=$scratch/postfix
. "$smtp_data/postfix-env.sh"

cleanup() {
	postfix_env_stop
	rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

die() {
	echo "smtp-probe.sh: $*" >&2
	exit 1
}

[ "$(id -u)" = 0 ] || die "run as root: Postfix's master starts as root"
missing=$(postfix_env_missing)
[ -z "$missing" ] || die "$missing is not installed (see bench/README)"
command -v nmap >/dev/null 2>&1 || die "nmap is not installed"
command -v "$XMLLINT" >/dev/null 2>&1 ||
    die "$XMLLINT is not installed (libxml2-utils)"
[ -x "$MXBPA" ] || die "$MXBPA: not an executable"
"$MXBPA" probe --help >/dev/null 2>&1 || die "$MXBPA has no probe command"
case $n in ''|*[!0-9]*|0|1) die "N must be a number of at least 2" ;; esac
case $runs in ''|*[!0-9]*|0) die "RUNS must be a positive number" ;; esac

# --- the listeners --------------------------------------------------------

mkdir -p "$postfix_dir"
i=0
while [ $i -lt "$n" ]; do
	if [ $((i % 2)) = 0 ]; then
		postfix_env_listen open
	else
		postfix_env_listen closed
	fi
	i=$((i + 1))
done
echo "starting Postfix with $n listeners..."
postfix_env_start ||
    die "Postfix did not start: $(cat "$postfix_dir/start.log" \
    "$postfix_dir/maillog" 2>/dev/null)"

targets=
for p in $postfix_port_list; do
	targets="$targets 127.0.0.1:$p"
done
portlist=$(echo $postfix_port_list | tr ' ' ',')
model=$scratch/model.xml
model_all=$scratch/model-all.xml
nmapout=$scratch/nmap.xml
probe="\"$MXBPA\" probe$targets --concurrency $concurrency"
mxbpa_cmd="$probe -o \"$model\""
mxbpa_all_cmd="$probe --variants all -o \"$model_all\""
nmap_cmd="nmap -n -Pn -sV -p $portlist --script smtp-open-relay"
nmap_cmd="$nmap_cmd -oX \"$nmapout\" 127.0.0.1"

# --- timing ---------------------------------------------------------------

now() {
	date +%s.%N
}

# best_of RUNS COMMAND: run COMMAND (a shell string) RUNS times, print the
# best wall time in seconds.
best_of() {
	best=
	r=0
	while [ $r -lt "$1" ]; do
		r=$((r + 1))
		t0=$(now)
		sh -c "$2" >>"$scratch/run.log" 2>&1 ||
		    die "failed: $2 ($(tail -n 5 "$scratch/run.log"))"
		t=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
		if [ -z "$best" ] ||
		    awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then
			best=$t
		fi
	done
	echo "$best"
}

# csv_min NAME: the best time of NAME in hyperfine's CSV export
# (command,mean,stddev,median,user,system,min,max).
csv_min() {
	awk -F, -v name="$1" '$1 == name { printf "%.2f", $7 }' \
	    "$scratch/times.csv"
}

echo "timing $runs run(s) of each on $n ports..."
if command -v "$HYPERFINE" >/dev/null 2>&1; then
	how=hyperfine
	"$HYPERFINE" --runs "$runs" --style none \
	    --export-csv "$scratch/times.csv" \
	    --command-name mxbpa "$mxbpa_cmd" \
	    --command-name mxbpa-all "$mxbpa_all_cmd" \
	    --command-name nmap "$nmap_cmd" >"$scratch/run.log" 2>&1 ||
	    die "hyperfine failed: $(tail -n 5 "$scratch/run.log")"
	t_mxbpa=$(csv_min mxbpa)
	t_all=$(csv_min mxbpa-all)
	t_nmap=$(csv_min nmap)
else
	how="date +%s.%N"
	t_mxbpa=$(best_of "$runs" "$mxbpa_cmd")
	t_all=$(best_of "$runs" "$mxbpa_all_cmd")
	t_nmap=$(best_of "$runs" "$nmap_cmd")
fi
if [ ! -s "$model" ] || [ ! -s "$model_all" ]; then
	die "mxbpa wrote no model"
fi
[ -s "$nmapout" ] || die "nmap wrote no report"

# --- verdicts -------------------------------------------------------------

# mxbpa_verdict MODEL PORT: the relay verdict of PORT in MODEL.
mxbpa_verdict() {
	xp="//*[local-name()='probe'][@port='$2']/@relay"
	v=$("$XMLLINT" --xpath "string($xp)" "$1" 2>/dev/null || true)
	echo "${v:-none}"
}

# nmap_verdict PORT: "open-relay", "not-open" or "none" from the script's
# output for PORT.
nmap_verdict() {
	xp="//port[@portid='$1']/script[@id='smtp-open-relay']/@output"
	out=$("$XMLLINT" --xpath "string($xp)" "$nmapout" 2>/dev/null || true)
	case $out in
	"Server is an open relay"*) echo open-relay ;;
	*"doesn't seem to be an open relay"*) echo not-open ;;
	*) echo none ;;
	esac
}

# open_or_closed VERDICT: a verdict of either tool as "open" or "closed"
# ("?" for anything else).
open_or_closed() {
	case $1 in
	accepted|open-relay) echo open ;;
	refused|not-open) echo closed ;;
	*) echo "?" ;;
	esac
}

agree=0
agree_all=0
right_mxbpa=0
right_all=0
right_nmap=0
row='%-7s %-11s %-10s %-10s %-11s %s\n'
{
	printf "$row" port configured mxbpa mxbpa-all nmap agree
	set -- $postfix_port_list
	for k in $postfix_listeners; do
		p=$1
		shift
		m=$(mxbpa_verdict "$model" "$p")
		a=$(mxbpa_verdict "$model_all" "$p")
		x=$(nmap_verdict "$p")
		mo=$(open_or_closed "$m")
		ao=$(open_or_closed "$a")
		xo=$(open_or_closed "$x")
		same=no
		if [ "$mo" = "$xo" ] && [ "$mo" != "?" ]; then
			same=yes
			agree=$((agree + 1))
		fi
		if [ "$ao" = "$xo" ] && [ "$ao" != "?" ]; then
			agree_all=$((agree_all + 1))
		fi
		[ "$mo" = "$k" ] && right_mxbpa=$((right_mxbpa + 1))
		[ "$ao" = "$k" ] && right_all=$((right_all + 1))
		[ "$xo" = "$k" ] && right_nmap=$((right_nmap + 1))
		printf "$row" "$p" "$k" "$m" "$a" "$x" "$same"
	done
	echo
	sums='%-36s %9s %9s %9s\n'
	printf "$sums" "" mxbpa mxbpa-all nmap
	printf "$sums" "wall time, best of $runs (s)" \
	    "$t_mxbpa" "$t_all" "$t_nmap"
	printf "$sums" "verdicts matching the configuration" \
	    "$right_mxbpa/$n" "$right_all/$n" "$right_nmap/$n"
	echo
	echo "mxbpa and nmap agree on $agree of $n ports" \
	    "(mxbpa --variants all and nmap on $agree_all)."
	echo "Timed with $how.  mxbpa: --concurrency $concurrency, the" \
	    "analyzer's test (mxbpa) or"
	echo "all relay forms (mxbpa-all, --variants all).  nmap: -sV (needed" \
	    "for ports other"
	echo "than 25, 465, 587), then the smtp-open-relay script (16 forms)."
} > "$scratch/table"
cat "$scratch/table"

# Neither tool may have had a message accepted for delivery.
if postfix_env_delivered; then
	echo "smtp-probe.sh: warning: Postfix logged a received message" >&2
fi
[ "$agree" = "$n" ] && [ "$agree_all" = "$n" ]
