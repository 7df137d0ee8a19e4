#!/bin/sh
# rule-fixtures.sh - every rule of the shipped packs (rules/*.xml) is tested on its
# own pair of models: it must fire on tests/rules/ID/bad.xml and stay quiet
# on tests/rules/ID/good.xml, the corrected configuration.  A rule without
# fixtures, or fixtures without a rule, fail the suite.  Each rule must also
# have its title, message and remediation in English and French, and its
# findings must name the object they are about.
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"

if ! command -v "$XMLLINT" >/dev/null 2>&1; then
	echo "1..0 # SKIP xmllint not found"
	exit 0
fi

# The packs this script reads are the ones the program loads.
MXBPA_DATADIR=$top
export MXBPA_DATADIR

# xp EXPR FILE: the value of an XPath expression on a file (empty when the
# file is missing or unreadable).
xp() {
	"$XMLLINT" --xpath "$1" "$2" </dev/null 2>/dev/null || true
}

# el NAME: an element of any namespace (xmllint has no prefixes).
el() {
	echo "*[local-name()='$1']"
}

# num VALUE: VALUE when it is a whole number, else -1.
num() {
	case $1 in
	''|*[!0-9]*) echo -1 ;;
	*) echo "$1" ;;
	esac
}

# diag FILE: a file as TAP comments.
diag() {
	if [ -s "$1" ]; then sed 's/^/# /' "$1"; fi
}

# --- the rule ids, pack by pack ---------------------------------------------

ids=$scratch/ids
: >"$ids"
for pack in "$top"/rules/*.xml; do
	[ -f "$pack" ] || continue
	stem=$(basename "$pack" .xml)
	attr=$(xp "string(/$(el rules)/@pack)" "$pack")
	[ "$attr" = "$stem" ] && r=0 || r=1
	ok "$r" "rules/$stem.xml declares pack=\"$stem\" (found \"$attr\")"

	count=$(num "$(xp "count(/$(el rules)/$(el rule))" "$pack")")
	[ "$count" -gt 0 ] && r=0 || r=1
	ok "$r" "rules/$stem.xml holds at least one rule"

	i=1
	while [ "$i" -le "$count" ]; do
		id=$(xp "string(/$(el rules)/$(el rule)[$i]/@id)" "$pack")
		echo "$id $pack" >>"$ids"
		i=$((i + 1))
	done
done

[ -s "$ids" ] && r=0 || r=1
ok "$r" "the packs define rules"

dups=$(cut -d' ' -f1 "$ids" | sort | uniq -d)
[ -z "$dups" ] && r=0 || r=1
ok "$r" "rule ids are unique across the packs${dups:+ (repeated: $dups)}"

# --- fixtures that belong to no rule ----------------------------------------

for dir in "$top"/tests/rules/*/; do
	[ -d "$dir" ] || continue
	id=$(basename "$dir")
	cut -d' ' -f1 "$ids" | grep -qx -- "$id" && r=0 || r=1
	ok "$r" "tests/rules/$id belongs to a rule of the packs"
done

# --- each rule --------------------------------------------------------------

while read -r id pack <&3; do
	rule="/$(el rules)/$(el rule)[@id='$id']"

	# Texts in both languages, exactly one of each.
	missing=
	for name in title message remediation; do
		for lang in en fr; do
			c=$(xp "count($rule/$(el $name)[@xml:lang='$lang'])" "$pack")
			[ "$c" = 1 ] || missing="$missing $name/$lang:$c"
		done
	done
	[ -z "$missing" ] && r=0 || r=1
	ok "$r" "$id has one en and one fr title, message and remediation${missing:+ (count of$missing)}"

	dir=$top/tests/rules/$id
	[ -f "$dir/bad.xml" ] && [ -f "$dir/good.xml" ] && r=0 || r=1
	ok "$r" "$id has fixtures tests/rules/$id/bad.xml and good.xml"
	[ "$r" -eq 0 ] || continue

	# bad.xml: analysed without error (exit 1: findings), the rule fires,
	# and each of its findings names its object in both languages.
	out=$scratch/$id-bad.xml
	run_mxbpa analyze "$dir/bad.xml" --fail-on info -o "$out" </dev/null
	status_is 1 "$id bad.xml is analysed without error (exit 1, findings)"

	fired=$(num "$(xp "count(//$(el finding)[@rule='$id'])" "$out")")
	[ "$fired" -ge 1 ] && r=0 || r=1
	ok "$r" "$id fires on bad.xml ($fired finding(s))"

	unnamed=$(num "$(xp "count(//$(el finding)[@rule='$id'][
	    not(contains($(el message)[@xml:lang='en'], @object))
	    or not(contains($(el message)[@xml:lang='fr'], @object))])" "$out")")
	[ "$fired" -ge 1 ] && [ "$unnamed" -eq 0 ] && r=0 || r=1
	ok "$r" "$id messages on bad.xml name their object in en and fr"

	# good.xml: analysed without error (0, or 1 when other rules fire),
	# the rule ran on at least one object, and none failed.
	out=$scratch/$id-good.xml
	run_mxbpa analyze "$dir/good.xml" --fail-on info -o "$out" </dev/null
	checked=$(num "$(xp "string(//$(el rule)[@id='$id']/@checked)" "$out")")
	found=$(num "$(xp "count(//$(el finding)[@rule='$id'])" "$out")")
	{ [ "$status" -eq 0 ] || [ "$status" -eq 1 ]; } &&
	    [ "$checked" -ge 1 ] && [ "$found" -eq 0 ] && r=0 || r=1
	ok "$r" "$id stays quiet on good.xml (exit $status, $checked checked, $found finding(s))"
	[ "$r" -eq 0 ] || diag "$scratch/stderr"
done 3<"$ids"

# --- AUTH-004: a certificate without SAN, its subject read as a DN, CN only ---
# Each line: expected result (failed / passed), the connector's FQDN, the
# subject of its TlsCertificateName.  The Client Frontend connector of
# AUTH-004/bad.xml is given each pair in turn, and its certificate that
# subject and no subject alternative name (tests/certificates.sh has the
# certificates with some).
while IFS='|' read -r want fqdn subject; do
	[ -n "$want" ] || continue
	esc=$(printf '%s' "$subject" | sed 's/&/\&amp;/g; s/"/\&quot;/g; s/</\&lt;/g; s/[\/|]/\\&/g')
	sed "s|fqdn=\"ex01.contoso.com\"\(.*\)\$|fqdn=\"$fqdn\"\1|;
	    s|&lt;S&gt;CN=mail.contoso.com\"|\&lt;S\&gt;$esc\"|;
	    s|subject=\"CN=mail.contoso.com\"|subject=\"$esc\"|;
	    /<san /d" \
	    "$top/tests/rules/AUTH-004/bad.xml" >"$scratch/auth4.xml"
	run_mxbpa analyze "$scratch/auth4.xml" --fail-on info \
	    -o "$scratch/auth4-out.xml" </dev/null
	got=$(xp "count(//$(el finding)[@rule='AUTH-004'][@object='EX01\\Client Frontend EX01'])" "$scratch/auth4-out.xml")
	case $want in
	failed) [ "$got" = 1 ] && r=0 || r=1 ;;
	*) [ "$got" = 0 ] && r=0 || r=1 ;;
	esac
	ok "$r" "AUTH-004 $want: FQDN $fqdn, subject $subject (found $got)"
done <<'CASES'
passed|mail.contoso.com|CN=mail.contoso.com, OU=IT, O=Contoso, C=US
passed|mail.contoso.com|C=US, O=Contoso, CN=mail.contoso.com
passed|mail.contoso.com|CN=*.contoso.com, O=Contoso
passed|mail.contoso.com.|CN=mail.contoso.com
passed|MAIL.CONTOSO.COM|CN=mail.contoso.com
passed|mail.contoso.com|CN="mail.contoso.com"
passed|mail.contoso.com|O=Contoso\, Inc., CN=mail.contoso.com
passed|mail.contoso.com|O=Contoso + CN=mail.contoso.com
passed|mail.contoso.com|OID.2.5.4.3=mail.contoso.com
failed|a.mail.contoso.com|CN=*.contoso.com, O=Contoso
failed|mail.contoso.com|CN=other.fabrikam.com, O=xCN=mail.contoso.com
failed|mail.contoso.com|E=cn=mail.contoso.com, CN=evil.example
failed|mail.contoso.com|OU=CN=mail.contoso.com, CN=attacker.example
failed|mail.contoso.com|CN=m*.contoso.com
failed|mail.contoso.com|O="x, CN=mail.contoso.com", CN=evil.example
failed|mail.contoso.com|O=x\, CN=mail.contoso.com, CN=evil.example
failed|mail.contoso.com|CN=mail.contoso.com\00.evil.example
failed|mail.contoso.com|CN=mail.contoso.com.evil.example
failed|mail.contoso.com|CN=*.com
failed|contoso.co.uk|CN=*.co.uk
failed|mail.contoso.com|CN="mail.contoso.com
CASES

finish
