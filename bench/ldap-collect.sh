#!/bin/sh
# ldap-collect.sh - how long the LDAP collector takes, and how much memory
# it needs, to read a large organisation, next to ldapsearch reading the
# same connectors.  See bench/README.
#
# Starts a private slapd on 127.0.0.1 (tests/integration/ldap-data),
# loads N generated receive connectors (default 10,000), each with a
# security descriptor, then runs, RUNS times each (default 3):
#
#   mxbpa collect --ldap URI --base ... -o /dev/null
#   ldapsearch -x -E pr=500/noprompt ... '*' nTSecurityDescriptor
#
# and prints the best wall time (seconds) and peak RSS (KiB) of each,
# measured with hyperfine when installed (wall time) and GNU time.
#
# Usage: MXBPA=BUILD/src/mxbpa sh bench/ldap-collect.sh [N [RUNS]]
# SPDX-License-Identifier: ISC

set -eu

n=${1:-10000}
runs=${2:-3}
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
: "${MXBPA:?set MXBPA to the mxbpa binary of a build directory}"
build=${MXBPA_TOP_BUILDDIR:-$(dirname "$(dirname "$MXBPA")")}
sddl2bin=$build/tests/tools/sddl2bin
gnutime=/usr/bin/time

ldap_data=$top/tests/integration/ldap-data
scratch=$(mktemp -d "${TMPDIR:-/tmp}/mxbpa-bench.XXXXXX")
slapd_dir=$scratch/slapd
. "$ldap_data/slapd-env.sh"

cleanup() {
	slapd_env_stop
	rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

die() {
	echo "ldap-collect.sh: $*" >&2
	exit 1
}

missing=$(slapd_env_missing)
[ -z "$missing" ] ||
    die "$missing is not installed (apt-get install slapd ldap-utils)"
[ -x "$gnutime" ] ||
    die "$gnutime (GNU time) is not installed (apt-get install time)"
[ -x "$MXBPA" ] || die "$MXBPA: not an executable"
[ -x "$sddl2bin" ] ||
    die "$sddl2bin: build it with \"make tests/tools/sddl2bin\""
case $n in ''|*[!0-9]*) die "N must be a number" ;; esac
case $runs in ''|*[!0-9]*|0) die "RUNS must be a positive number" ;; esac

# --- the directory ----------------------------------------------------------

mkdir -p "$slapd_dir"
echo "generating $n connectors..."
slapd_env_certs || die "openssl failed: $(cat "$slapd_dir/openssl.log")"
slapd_env_config || die "cannot write slapd.conf"
awk -v mode=sddl -v n="$n" -v accounts=10 -f "$ldap_data/gen-forest.awk" |
    "$sddl2bin" > "$slapd_dir/sd.b64" || die "sddl2bin failed"
awk -v mode=ldif -v n="$n" -v accounts=10 -v sds="$slapd_dir/sd.b64" \
    -f "$ldap_data/gen-forest.awk" |
    awk -v suffix="DC=fabrikam,DC=com" -f "$ldap_data/ldif-prepare.awk" \
    > "$slapd_dir/fabrikam.ldif"
slapd_env_load "DC=fabrikam,DC=com" "$slapd_dir/fabrikam.ldif" ||
    die "slapadd failed: $(cat "$slapd_dir/slapadd.log")"
slapd_env_start || die "slapd did not start: $(cat "$slapd_dir/slapd.log")"
uri="ldap://127.0.0.1:$slapd_port"
base="CN=Configuration,DC=fabrikam,DC=com"

# Both commands must work before they are timed.
"$MXBPA" collect --ldap "$uri" --base "$base" -o "$scratch/model.xml" ||
    die "mxbpa collect failed"
got=$(grep -c "<receive-connector " "$scratch/model.xml" || true)
[ "$got" = "$n" ] || die "mxbpa collected $got connectors, not $n"
LDAPNOINIT=1 ldapsearch -x -H "$uri" -b "$base" -E pr=500/noprompt \
    '(objectClass=msExchSmtpReceiveConnector)' '*' nTSecurityDescriptor \
    > "$scratch/ldapsearch.ldif" || die "ldapsearch failed"
got=$(grep -c "^dn: " "$scratch/ldapsearch.ldif" || true)
[ "$got" = "$n" ] || die "ldapsearch read $got connectors, not $n"

# --- timing -----------------------------------------------------------------

# measure NAME COMMAND...: best wall time and best peak RSS over the runs.
measure() {
	name=$1
	shift
	best_wall=
	best_rss=
	i=0
	while [ $i -lt "$runs" ]; do
		i=$((i + 1))
		"$gnutime" -f "%e %M" -o "$scratch/time" "$@" \
		    >/dev/null 2>"$scratch/stderr" ||
		    die "$name failed: $(cat "$scratch/stderr")"
		read -r wall rss < "$scratch/time"
		if [ -z "$best_wall" ] ||
		    awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'
		then
			best_wall=$wall
		fi
		if [ -z "$best_rss" ] || [ "$rss" -lt "$best_rss" ]; then
			best_rss=$rss
		fi
	done
	eval "${name}_wall=\$best_wall ${name}_rss=\$best_rss"
}

echo "timing $runs runs of each..."
measure mxbpa "$MXBPA" collect --ldap "$uri" --base "$base" -o /dev/null
measure ldapsearch env LDAPNOINIT=1 ldapsearch -x -H "$uri" -b "$base" \
    -E pr=500/noprompt '(objectClass=msExchSmtpReceiveConnector)' \
    '*' nTSecurityDescriptor

if command -v hyperfine >/dev/null 2>&1; then
	hyperfine --warmup 1 --runs "$runs" \
	    --export-json "$scratch/hyperfine.json" \
	    "'$MXBPA' collect --ldap '$uri' --base '$base' -o /dev/null" \
	    "LDAPNOINIT=1 ldapsearch -x -H '$uri' -b '$base' \
	    -E pr=500/noprompt '(objectClass=msExchSmtpReceiveConnector)' \
	    '*' nTSecurityDescriptor" >/dev/null
	set -- $(awk -F: '/"min"/ { gsub(/[ ,]/, "", $2); print $2 }' \
	    "$scratch/hyperfine.json")
	[ $# -eq 2 ] && mxbpa_wall=$1 && ldapsearch_wall=$2
	clock="hyperfine, best of $runs"
else
	clock="GNU time, best of $runs"
fi

echo
printf '%s connectors with descriptors, slapd on 127.0.0.1, ' "$n"
printf 'page size 500\n'
printf '%-34s %12s %14s\n' "" "wall (s)" "peak RSS (KiB)"
printf '%-34s %12s %14s\n' "mxbpa collect (model to /dev/null)" \
    "$mxbpa_wall" "$mxbpa_rss"
printf '%-34s %12s %14s\n' "ldapsearch (LDIF to /dev/null)" \
    "$ldapsearch_wall" "$ldapsearch_rss"
printf '(wall time: %s; RSS: GNU time)\n' "$clock"
