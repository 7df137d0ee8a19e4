#!/bin/sh
# banned.sh - C library calls that invite overflows or silent number
# errors are not used in src/ (parse numbers with util.c's parse_u32).
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"
cd "$top"
for fn in atoi atol atoll sprintf vsprintf strcpy strcat strncpy strtok \
    sscanf gets; do
	hits=$(grep -nE "(^|[^A-Za-z0-9_])$fn[[:space:]]*\(" src/*.c src/*.h \
	    fuzz/*.c 2>/dev/null || true)
	ok "$([ -z "$hits" ] && echo 0 || echo 1)" "no $fn() in src/"
	[ -z "$hits" ] || echo "$hits" | sed 's/^/# /'
done
for fn in strtol strtoul strtoll strtoull; do
	hits=$(grep -nE "(^|[^A-Za-z0-9_])$fn[[:space:]]*\(" src/*.c \
	    | grep -v '^src/util\.c:' || true)
	ok "$([ -z "$hits" ] && echo 0 || echo 1)" "no raw $fn() outside util.c"
	[ -z "$hits" ] || echo "$hits" | sed 's/^/# /'
done
finish
