#!/bin/sh
# fuzz-replay.sh - replay each fuzz target over its seed corpus and over
# the malformed-input fixtures (no crash, no sanitizer report).
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"
build=${MXBPA_TOP_BUILDDIR:?}

for target in clixml model rules sd ldif smtp_reply archive; do
	files=$(ls "$top/fuzz/corpus/$target"/* "$top/tests/malformed/$target"/* \
	    2>/dev/null || true)
	count=$(echo "$files" | grep -c . || true)
	check "the $target corpus has seeds" test "$count" -gt 3
	set +e
	$MXBPA_WRAP "$build/fuzz/replay_$target" $files \
	    >"$scratch/out" 2>"$scratch/err"
	status=$?
	set -e
	ok $status "fuzz_$target replays $count inputs cleanly"
	[ $status -eq 0 ] || sed 's/^/# /' "$scratch/err" | head -20
done

finish
