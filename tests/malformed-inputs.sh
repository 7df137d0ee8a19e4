#!/bin/sh
# malformed-inputs.sh - every malformed input is refused with exit 2, an error
# naming the file, no output written, within bounded time and memory.
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"
cd "$top"

# Memory is capped unless the binary is instrumented (ASan and valgrind
# reserve a lot of address space up front).
cap_memory() {
	if [ -n "$MXBPA_WRAP" ] || nm "$MXBPA" 2>/dev/null | grep -q __asan_init
	then
		return 0
	fi
	ulimit -v 1048576 2>/dev/null || true
}

# Seconds one refusal may take; valgrind runs some 50 times slower.
limit=30
[ -z "$MXBPA_WRAP" ] || limit=900
! nm "$MXBPA" 2>/dev/null | grep -q __asan_init || limit=300

for kind in clixml model ldif; do
	for f in tests/malformed/$kind/*; do
		[ -f "$f" ] || continue
		name=$(basename "$f")
		set +e
		( cap_memory; exec timeout "$limit" $MXBPA_WRAP "$MXBPA" collect \
		    --import "$f" -o "$scratch/out.xml" ) \
		    >"$scratch/stdout" 2>"$scratch/stderr"
		status=$?
		set -e
		status_is 2 "$kind/$name is refused as an input error"
		check "$kind/$name: the error names the file" \
			grep -q "$name" "$scratch/stderr"
		check "$kind/$name: no model is written" test ! -e "$scratch/out.xml"
	done
done

for f in tests/malformed/rules/*; do
	name=$(basename "$f")
	set +e
	( cap_memory; exec timeout "$limit" $MXBPA_WRAP "$MXBPA" rules lint "$f" ) \
	    >"$scratch/stdout" 2>"$scratch/stderr"
	status=$?
	set -e
	status_is 2 "rules/$name is refused by rules lint"
	check "rules/$name: the error names the file" \
		grep -q "$name" "$scratch/stderr"
done

# An external entity must never be read: the refusal comes before any
# entity is resolved, so /etc/passwd content cannot appear anywhere.
for f in tests/malformed/*/xxe.xml; do
	set +e
	$MXBPA_WRAP "$MXBPA" collect --import "$f" >"$scratch/stdout" 2>"$scratch/stderr"
	set -e
	check "$(basename "$(dirname "$f")")/xxe.xml: nothing of /etc/passwd leaks" \
		sh -c "! grep -q 'root:' '$scratch/stdout' '$scratch/stderr'"
	check "$(basename "$(dirname "$f")")/xxe.xml: the DOCTYPE is named as the reason" \
		grep -q 'DOCTYPE' "$scratch/stderr"
done

# Directories and oversized files.
run_mxbpa collect --import tests/malformed -o "$scratch/out.xml"
status_is 2 "a directory holding no file mxbpa reads is refused"
check "the directory error says so" grep -q 'no file of this directory holds anything mxbpa reads' "$scratch/stderr"
truncate -s 300M "$scratch/huge.xml"
run_mxbpa collect --import "$scratch/huge.xml" -o "$scratch/out.xml"
status_is 2 "a file over the size limit is refused"
check "the size error names the limit" grep -q 'larger than' "$scratch/stderr"
rm -f "$scratch/huge.xml"

finish
