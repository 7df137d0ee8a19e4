#!/bin/sh
# probe-deadline.sh - "mxbpa probe" over 60 loopback targets, 12 of them
# black holes (tests/peers/black-hole.py: 6 accept the connection and
# never answer, 6 drop the SYN so that the connection never completes),
# the 48 others listeners of a private Postfix
# (tests/integration/smtp-data/), alternately an open and a closed relay.
#
# It proves, for correctness and not speed: every target gets a result;
# each black hole ends "unknown" with a timeout reason while the real
# servers get their verdict; --deadline bounds the wall time of the whole
# run (deadline + slack) even when the targets need far more, the
# dialogs cut short name the deadline and the targets never reached are
# reported "not probed".  bench/probe-scale.sh does the same at 500
# targets and measures it.
#
# Skipped when Postfix is not installed, when not run as root (Postfix's
# master must start as root) or without python3.  Run by "make check".
# SPDX-License-Identifier: ISC

if [ ! -x /usr/sbin/postfix ]; then
	echo "1..0 # SKIP postfix not installed"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP a private Postfix instance needs root"
	exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 not installed"
	exit 0
fi

set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"

smtp_data=$top/tests/integration/smtp-data
chmod 711 "$scratch"
postfix_dir=$scratch/postfix
. "$smtp_data/postfix-env.sh"

missing=$(postfix_env_missing)
if [ -n "$missing" ]; then
	echo "1..0 # SKIP $missing not installed"
	exit 0
fi

holes=
cleanup() {
	[ -z "$holes" ] || kill $holes 2>/dev/null || true
	postfix_env_stop
	rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

nreal=48
nholes=12
deadline=5
# Writing the model and the process start: well under a second here.
slack=2

setup() {
	mkdir -p "$postfix_dir"
	i=0
	while [ $i -lt $nreal ]; do
		if [ $((i % 2)) = 0 ]; then
			postfix_env_listen open || return 1
		else
			postfix_env_listen closed || return 1
		fi
		i=$((i + 1))
	done
	if ! postfix_env_start; then
		cat "$postfix_dir/start.log" "$postfix_dir/maillog" 2>/dev/null
		return 1
	fi
	for kind in accept syn-drop; do
		python3 "$top/tests/peers/black-hole.py" --max-seconds 120 \
		    --kind $kind $((nholes / 2)) > "$scratch/holes.$kind" \
		    2> "$scratch/holes.err" &
		holes="$holes $!"
		n=0
		while [ $n -lt 100 ] && [ ! -s "$scratch/holes.$kind" ]; do
			sleep 0.1
			n=$((n + 1))
		done
		[ -s "$scratch/holes.$kind" ] ||
		    { cat "$scratch/holes.err"; return 1; }
	done
}

if ! setup >"$scratch/setup.log" 2>&1; then
	sed 's/^/# /' "$scratch/setup.log"
	ok 1 "Postfix with $nreal listeners and $nholes black holes start"
	finish
	exit 1
fi
ok 0 "Postfix with $nreal listeners and $nholes black holes start"

silent_ports=$(cat "$scratch/holes.accept")
drop_ports=$(cat "$scratch/holes.syn-drop")
# Alternately a silent server and a dropped SYN.
hole_ports=
set -- $drop_ports
for p in $silent_ports; do
	hole_ports="$hole_ports $p $1"
	shift
done
# One black hole every five targets.
targets=
set -- $hole_ports
i=0
for p in $postfix_port_list; do
	targets="$targets 127.0.0.1:$p"
	i=$((i + 1))
	if [ $((i % 4)) = 0 ] && [ $# -gt 0 ]; then
		targets="$targets 127.0.0.1:$1"
		shift
	fi
done
ntargets=$((nreal + nholes))
ok "$([ "$(echo $targets | wc -w)" = $ntargets ] && echo 0 || echo 1)" \
    "$ntargets targets, $nholes of them black holes"

e_probe="*[local-name()='probe']"

# timed ARGS...: run mxbpa, keep the wall time in milliseconds in $took.
timed() {
	t0=$(date +%s%N)
	run_mxbpa "$@"
	took=$((($(date +%s%N) - t0) / 1000000))
}

# every_port_once MODEL PORTS...: each port has exactly one probe.
every_port_once() {
	m=$1
	shift
	for p in "$@"; do
		[ "$(xcount "//$e_probe[@port='$p']" "$m")" = 1 ] || return 1
	done
}

# verdicts MODEL KIND PORTS...: prints how many of PORTS have KIND.
verdicts() {
	m=$1
	k=$2
	shift 2
	c=0
	for p in "$@"; do
		case $k in
		silent)
			xp="//$e_probe[@port='$p'][@relay='unknown']
			    [starts-with(@reason,'timeout in BANNER')]"
			;;
		dropped)
			xp="//$e_probe[@port='$p'][@relay='unknown']
			    [starts-with(@reason,'timeout in CONNECT')]"
			;;
		*)
			xp="//$e_probe[@port='$p'][@relay='$k']"
			;;
		esac
		[ "$(xcount "$xp" "$m")" = 1 ] && c=$((c + 1))
	done
	echo $c
}

# --- a deadline that is long enough ---------------------------------------

m=$scratch/enough.xml
timed probe $targets --timeout 2 --deadline $deadline --concurrency 16 \
    -o "$m"
status_is 0 "probing $ntargets targets with --deadline $deadline succeeds"
ok "$([ $took -le $(((deadline + slack) * 1000)) ] && echo 0 || echo 1)" \
    "the run ends within the deadline and ${slack} s (${took} ms)"
count=$(xcount "//$e_probe" "$m")
ok "$([ "$count" = $ntargets ] && echo 0 || echo 1)" \
    "every target has a result ($count probes)"
every_port_once "$m" $postfix_port_list $hole_ports && r=0 || r=1
ok $r "each port has exactly one result"
open_ports=$(postfix_env_ports open)
closed_ports=$(postfix_env_ports closed)
n=$(verdicts "$m" accepted $open_ports)
ok "$([ "$n" = $((nreal / 2)) ] && echo 0 || echo 1)" \
    "every open relay is found ($n of $((nreal / 2)))"
n=$(verdicts "$m" refused $closed_ports)
ok "$([ "$n" = $((nreal / 2)) ] && echo 0 || echo 1)" \
    "every closed relay is refused ($n of $((nreal / 2)))"
n=$(verdicts "$m" silent $silent_ports)
ok "$([ "$n" = $((nholes / 2)) ] && echo 0 || echo 1)" \
    "every silent server is unknown, timed out waiting for the greeting ($n)"
n=$(verdicts "$m" dropped $drop_ports)
ok "$([ "$n" = $((nholes / 2)) ] && echo 0 || echo 1)" \
    "every SYN-dropping port is unknown, timed out connecting ($n)"

# --- a deadline far too short for the work ---------------------------------

# Two dialogs at once and 10 s per step: the black holes alone would need
# 60 s.  The deadline must cut the run at $deadline s all the same.
m=$scratch/short.xml
timed probe $targets --timeout 10 --deadline $deadline --concurrency 2 \
    -o "$m"
status_is 0 "a run cut by its deadline still writes its model"
ok "$([ $took -ge $(((deadline - 1) * 1000)) ] &&
    [ $took -le $(((deadline + slack) * 1000)) ] && echo 0 || echo 1)" \
    "it ends at the deadline, within ${slack} s (${took} ms)"
count=$(xcount "//$e_probe" "$m")
ok "$([ "$count" = $ntargets ] && echo 0 || echo 1)" \
    "every target still has a result ($count probes)"
every_port_once "$m" $postfix_port_list $hole_ports && r=0 || r=1
ok $r "each port has exactly one result"
cut=$(xcount "//$e_probe[@relay='unknown'][contains(@reason,
    'the --deadline of $deadline s for all the probes passed')]
    [starts-with(@reason,'timeout in')]" "$m")
ok "$([ "$cut" -ge 1 ] && echo 0 || echo 1)" \
    "the dialogs cut short name the deadline ($cut)"
skipped=$(xcount "//$e_probe[@relay='unknown'][starts-with(@reason,
    'not probed: the --deadline')]" "$m")
ok "$([ "$skipped" -ge 1 ] && echo 0 || echo 1)" \
    "the targets never reached are reported not probed ($skipped)"
done_=$(xcount "//$e_probe[@relay='accepted' or @relay='refused']" "$m")
ok "$([ $((done_ + cut + skipped)) = $ntargets ] && echo 0 || echo 1)" \
    "each result is a verdict ($done_), a cut dialog or not probed"
grep -q "targets not probed" "$scratch/stderr" && r=0 || r=1
ok $r "a warning counts the targets not probed"

run_mxbpa probe 127.0.0.1:1 --deadline 0 -o /dev/null
status_is 2 "--deadline 0 is a usage error"
run_mxbpa probe 127.0.0.1:1 --deadline 86401 -o /dev/null
status_is 2 "--deadline past a day is a usage error"

finish
