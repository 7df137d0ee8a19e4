#!/bin/sh
# rules-docs.sh - the rule reference made at build time (rules show
# --format markdown):
# one page per rule of the shipped packs, none for a rule that is gone,
# each with the rule's English and French titles and its references.
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"
docs=$MXBPA_TOP_BUILDDIR/docs/rules
if [ ! -f "$docs/index.md" ]; then
	echo "1..0 # SKIP the rule reference was not built"
	exit 0
fi
ids=$scratch/ids
for pack in "$top"/rules/*.xml; do
	n=$(xcount "/*/*[local-name()='rule']" "$pack")
	i=1
	while [ "$i" -le "$n" ]; do
		id=$("$XMLLINT" --xpath "string(/*/*[local-name()='rule'][$i]/@id)" \
		    "$pack" </dev/null)
		echo "$id $pack" >>"$ids"
		i=$((i + 1))
	done
done
while read -r id pack <&3; do
	page=$docs/$id.md
	check "$id has a page" test -f "$page"
	for lang in en fr; do
		t=$("$XMLLINT" --xpath "normalize-space(//*[local-name()='rule'][@id='$id']/*[local-name()='title'][@xml:lang='$lang'])" "$pack" </dev/null)
		check "$id page holds its $lang title" grep -qF "$t" "$page"
	done
	refs=$(xcount "//*[local-name()='rule'][@id='$id']/*[local-name()='reference']" "$pack")
	shown=$(grep -c '^- \[.*\](http' "$page" || true)
	check "$id page lists its $refs reference(s)" test "$refs" = "$shown"
	check "the index links to $id" grep -qF "]($id.md)" "$docs/index.md"
done 3<"$ids"
pages=$(ls "$docs" | grep -vc '^index.md$')
check "one page per rule, no stale page ($pages pages)" \
	test "$pages" = "$(grep -c . "$ids")"
finish
