# lib.sh - shared helpers of the shell tests: TAP output, a scratch
# directory, XPath counts.  Sourced, never run.
#
# Environment (set by "make check"): MXBPA, MXBPA_TOP_SRCDIR, XMLLINT.
# SPDX-License-Identifier: ISC

: "${MXBPA:?MXBPA must name the mxbpa binary}"
: "${MXBPA_TOP_SRCDIR:?MXBPA_TOP_SRCDIR must name the source tree}"
: "${XMLLINT:=xmllint}"
top=$MXBPA_TOP_SRCDIR
tap_n=0
tap_failed=0
scratch=$(mktemp -d "${TMPDIR:-/tmp}/mxbpa-test.XXXXXX")
trap '[ -n "$MXBPA_KEEP" ] || rm -rf "$scratch"' EXIT

# ok STATUS DESCRIPTION: one TAP line; STATUS 0 passes.
ok() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() {
	desc=$1
	shift
	if "$@" >/dev/null 2>&1; then ok 0 "$desc"; else ok 1 "$desc"; fi
}

# run_mxbpa ARGS...: run mxbpa, keep stdout, stderr and the exit status.
run_mxbpa() {
	set +e
	$MXBPA_WRAP "$MXBPA" "$@" >"$scratch/stdout" 2>"$scratch/stderr"
	status=$?
	set -e
	return 0
}

# status_is N DESCRIPTION: the last run_mxbpa exited with N.
status_is() {
	if [ "$status" -eq "$1" ]; then
		ok 0 "$2"
	else
		ok 1 "$2 (exit $status, stderr: $(head -c 300 "$scratch/stderr" | tr '\n' ' '))"
	fi
}

# xcount XPATH FILE: prints the number an XPath count() expression gives.
xcount() {
	"$XMLLINT" --xpath "count($1)" "$2" 2>/dev/null || echo -1
}

# finish: print the plan; fail when any check failed or none ran.
finish() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ] && [ "$tap_n" -gt 0 ]
}
