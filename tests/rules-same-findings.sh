#!/bin/sh
# rules-same-findings.sh - the rule packs rewritten with let, when and arg
# find what the packs found before: on every fixture listed in
# tests/data/findings-before-rewrite.txt (recorded with the packs of
# before), the findings of the rules listed there are the same (rule,
# severity, object), none more, none fewer.  Texts may differ.
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"
cd "$top"
MXBPA_DATADIR=$top
export MXBPA_DATADIR
if ! command -v xsltproc >/dev/null 2>&1; then
	echo "1..0 # SKIP xsltproc is not installed (tools/debian-deps.sh)"
	exit 0
fi
before=tests/data/findings-before-rewrite.txt
rules=" $(sed -n 's/^# rules: //p' "$before") "
for fixture in $(grep -v '^#' "$before" | cut -f1 | sort -u); do
	f=$scratch/findings.xml
	run_mxbpa analyze "$fixture" -o "$f"
	{ [ "$status" -eq 0 ] || [ "$status" -eq 1 ]; } && r=0 || r=1
	ok "$r" "$fixture is analysed (exit $status)"
	[ "$r" -eq 0 ] || continue
	xsltproc tests/tools/finding-triples.xsl "$f" | while IFS= read -r line; do
		case $rules in
		*" ${line%%	*} "*) printf '%s\t%s\n' "$fixture" "$line" ;;
		esac
	done | LC_ALL=C sort >"$scratch/now"
	grep -F "$fixture	" "$before" | grep -v "	-\$" | LC_ALL=C sort >"$scratch/then" || true
	if cmp -s "$scratch/then" "$scratch/now"; then
		ok 0 "$fixture: same findings ($(grep -c . "$scratch/now" || true))"
	else
		ok 1 "$fixture: findings differ"
		diff "$scratch/then" "$scratch/now" | sed 's/^/# /' | head -20
	fi
done
finish
