#!/bin/sh
# manpage.sh - the man page documents every option --help prints, every
# command, every exit code of enum mx_exit and the environment.
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"
cd "$top"
MANWIDTH=250 man -l docs/mxbpa.1 2>/dev/null | col -b >"$scratch/man"
check "the man page renders" test -s "$scratch/man"
section() {
	sed -n "/^$1/,/^[A-Z][A-Z ]*\$/p" "$scratch/man"
}
$MXBPA_WRAP "$MXBPA" --help >"$scratch/help"
opts=$(grep -oE -- '--[a-z][a-z-]+' "$scratch/help" | sort -u)
check "--help lists options" test -n "$opts"
section OPTIONS >"$scratch/options"
for o in $opts; do
	check "OPTIONS documents $o" grep -q -- "$o" "$scratch/options"
done
section COMMANDS >"$scratch/commands"
for c in $(sed -n '/^commands:/,/^$/p' "$scratch/help" | awk 'NF > 1 {print $1}'); do
	check "COMMANDS documents $c" grep -qE "^ +$c( |\$)" "$scratch/commands"
done
section 'EXIT STATUS' >"$scratch/exit"
for code in $(sed -n '/^enum mx_exit/,/^};/p' src/err.h | grep -oE '= [0-9]+' | tr -d '= '); do
	check "EXIT STATUS documents exit code $code" grep -qE "^[[:space:]]+$code[[:space:]]" "$scratch/exit"
done
section ENVIRONMENT >"$scratch/env"
for v in MXBPA_DATADIR SOURCE_DATE_EPOCH; do
	check "ENVIRONMENT documents $v" grep -q "$v" "$scratch/env"
done
finish
