#!/bin/sh
# kill-outputs.sh - mxbpa killed (SIGKILL, then SIGTERM) at pseudo-random
# points while it writes a model, findings or a report never leaves a
# half-written file under the output's final name: the file is either
# absent, or the previous complete version, or the new complete version.
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"

if [ -n "$MXBPA_WRAP" ]; then
	echo "1..0 # SKIP timing-driven kills are meaningless under $MXBPA_WRAP"
	exit 0
fi

# A model big enough that each command runs for a noticeable time.
model=$scratch/model.xml
awk -v servers=60 -v connectors=6 -v aces=20 \
    -f "$top/bench/gen-topology.awk" >"$model"
check "the generated model is valid" \
    "$XMLLINT" --noout --relaxng "$top/schemas/model.rng" "$model"

# How long a whole run takes, in milliseconds, to spread the kills over.
ms() { date +%s%3N; }
t0=$(ms)
"$MXBPA" audit --import "$model" --format html -o "$scratch/probe.html" \
    >/dev/null 2>&1 || true
span=$(( $(ms) - t0 ))
[ "$span" -ge 20 ] || span=20

# complete KIND FILE: the file is a whole output of its kind.
complete() {
	case $1 in
	html) tail -c 200 "$2" | grep -q '</html>' ;;
	text) grep -q 'Rules checked' "$2" ;;
	*) "$XMLLINT" --noout "$2" 2>/dev/null ;;
	esac
}

# The outputs, each with the command that writes it.
"$MXBPA" analyze "$model" -o "$scratch/findings.xml" >/dev/null 2>&1 || true
seed=12345
rounds=8
for kind in model xml html text; do
	out=$scratch/out.$kind
	bad=0
	leftovers=0
	i=0
	while [ $i -lt $rounds ]; do
		i=$((i + 1))
		# A previous complete output is there for every other round.
		rm -f "$out"
		if [ $((i % 2)) -eq 0 ]; then
			case $kind in
			model) cp "$model" "$out" ;;
			xml) cp "$scratch/findings.xml" "$out" ;;
			html) cp "$scratch/probe.html" "$out" ;;
			text) printf 'previous report\nRules checked\n' >"$out" ;;
			esac
		fi
		case $kind in
		model) set -- collect --import "$model" -o "$out" ;;
		xml) set -- analyze "$model" -o "$out" ;;
		html) set -- report "$scratch/findings.xml" --format html -o "$out" ;;
		text) set -- report "$scratch/findings.xml" --format text -o "$out" ;;
		esac
		seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
		delay=$(( seed % (span + span / 2) ))
		"$MXBPA" "$@" >/dev/null 2>&1 &
		pid=$!
		sleep "$(printf '0.%03d' $((delay % 1000)))"
		[ $delay -lt 1000 ] || sleep $((delay / 1000))
		if [ $((i % 3)) -eq 0 ]; then sig=TERM; else sig=KILL; fi
		kill -s $sig $pid 2>/dev/null || true
		wait $pid 2>/dev/null || true
		if [ -e "$out" ] && ! complete "$kind" "$out"; then
			bad=$((bad + 1))
			echo "# $kind: half-written after SIG$sig at ${delay} ms"
		fi
		n=$(find "$scratch" -maxdepth 1 -name "out.$kind.tmp*" | wc -l)
		leftovers=$((leftovers + n))
		rm -f "$scratch"/out."$kind".tmp*
	done
	ok $bad "$kind output: never half-written under its name ($rounds kills over ${span} ms)"
	echo "# $kind: $leftovers temporary file(s) left by killed runs"

	# Killed for certain in the middle of the write: a file size limit
	# of a few KiB raises SIGXFSZ on the write that passes it.
	printf 'previous\n' >"$out"
	set +e
	( ulimit -f 4; exec "$MXBPA" "$@" ) >/dev/null 2>&1
	xstatus=$?
	set -e
	check "$kind output: the run writing past the size limit was killed" \
	    test "$xstatus" -gt 128
	check "$kind output: killed mid-write, the previous version is intact" \
	    grep -qx previous "$out"
	rm -f "$scratch"/out."$kind".tmp*
done

finish
