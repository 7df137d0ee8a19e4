#!/bin/sh
# campaign.sh - run every libFuzzer target of a fuzzing build for SECONDS
# each, on a scratch copy of its seed corpus, and print one line per
# target: executions, coverage (cov: edges, ft: features), corpus size,
# peak RSS and whether it found anything.  Crashing inputs are kept under
# OUT/artifacts-TARGET/ to be added to tests/malformed/TARGET/.
#
#   ../configure --enable-fuzzing CC=clang && make
#   sh ../fuzz/campaign.sh [SECONDS [OUT [TARGET...]]]  (from the build
#                                                         directory)
#
# TARGET names limit the run to those targets ("clixml model"); default:
# every one built.
#
# SPDX-License-Identifier: ISC
set -u
seconds=${1:-300}
out=${2:-fuzz-campaign}
[ $# -gt 2 ] && shift 2 || set --
src=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
status=0
printf '%-12s %12s %8s %8s %8s %8s  %s\n' target executions cov ft corpus \
    rss result
for bin in fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	t=${bin#fuzz/fuzz_}
	if [ $# -gt 0 ] && ! echo " $* " | grep -q " $t "; then
		continue
	fi
	rm -rf "$out/corpus-$t"
	mkdir -p "$out/corpus-$t" "$out/artifacts-$t"
	"$bin" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=512 \
	    -print_final_stats=1 -artifact_prefix="$out/artifacts-$t/" \
	    "$out/corpus-$t" "$src/corpus/$t" >"$out/$t.log" 2>&1
	rc=$?
	last=$(grep -E '^#[0-9]+' "$out/$t.log" | tail -1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log")
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$out/$t.log")
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	if [ $rc -eq 0 ]; then result=clean; else result="FOUND (exit $rc)"; status=1; fi
	printf '%-12s %12s %8s %8s %8s %6sMB  %s\n' "$t" "${execs:-?}" \
	    "${cov:-?}" "${ft:-?}" "${corp:-?}" "${rss:-?}" "$result"
done
exit $status
