#!/bin/sh
# audit-scale.sh - audit a big generated topology end to end and compare
# with xmllint merely parsing (and validating) the same model file.
#
#   MXBPA=/path/to/src/mxbpa sh bench/audit-scale.sh [SERVERS [CONNECTORS [ACES]]]
#
# Defaults: 2000 servers, 5 connectors each, 30 permission entries per
# connector (10,000 connectors, 300,000 entries).  Prints wall time and
# peak resident set size of each step (GNU time).
# SPDX-License-Identifier: ISC
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
servers=${1:-2000}
connectors=${2:-5}
aces=${3:-30}
MXBPA=${MXBPA:?set MXBPA to the mxbpa binary}
XMLLINT=${XMLLINT:-xmllint}
TIME=${TIME_CMD:-/usr/bin/time}

for tool in "$XMLLINT" "$TIME" awk; do
	command -v "$tool" >/dev/null || { echo "audit-scale: $tool not found" >&2; exit 2; }
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/mxbpa-bench.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM

model=$scratch/model.xml
awk -v servers="$servers" -v connectors="$connectors" -v aces="$aces" \
    -f "$here/gen-topology.awk" >"$model"
size=$(wc -c <"$model")
nconn=$(grep -c '<receive-connector ' "$model" || true)
nace=$(grep -c '<ace ' "$model" || true)
echo "model: $servers servers, $nconn connectors, $nace permission entries, $size bytes"

# measure LABEL EXPECTED-STATUSES COMMAND...: one run under GNU time.
measure() {
	label=$1
	ok=$2
	shift 2
	set +e
	"$TIME" -f "%e %M" -o "$scratch/time" "$@" >"$scratch/out" 2>"$scratch/err"
	status=$?
	set -e
	case " $ok " in
	*" $status "*) ;;
	*) echo "audit-scale: $label exited with $status" >&2
	   sed 's/^/  /' "$scratch/err" >&2
	   exit 1 ;;
	esac
	read -r secs kib <<EOF
$(tail -n 1 "$scratch/time")
EOF
	printf '%-34s %8s s %8s MiB\n' "$label" "$secs" "$((kib / 1024))"
}

printf '%-34s %10s %12s\n' step "wall" "peak RSS"
measure "xmllint --noout (parse)" "0" "$XMLLINT" --noout "$model"
measure "xmllint --relaxng (parse+schema)" "0" "$XMLLINT" --noout \
    --relaxng "$top/schemas/model.rng" "$model"
# 1 = findings at or above --fail-on: the generated model has some.
measure "mxbpa analyze (load+rules)" "0 1" "$MXBPA" analyze "$model" \
    -o "$scratch/findings.xml"
findings=$(grep -c '<finding ' "$scratch/findings.xml" || true)
measure "mxbpa audit (html report)" "0 1" "$MXBPA" audit --import "$model" \
    --format html -o "$scratch/report.html"
echo "findings: $findings; report: $(wc -c <"$scratch/report.html") bytes"
