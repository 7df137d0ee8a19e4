#!/bin/sh
# range-scale.sh - how analysis time grows with the remote ranges of one
# connector: CONNECTORS relay connectors of one server share the binding
# 10.0.1.1:25, each with RANGES /32 ranges; the first also holds
# 10.0.0.0/8 (every other connector is then its rival, more specific),
# every second connector repeats one address of the next (ties).
#
#   MXBPA=/path/to/src/mxbpa sh bench/range-scale.sh [RANGES [CONNECTORS]]
#
# Defaults: 16000 ranges (MODEL_CONNECTOR_ITEMS_MAX is 16,384), 4
# connectors.  Prints the user time and peak RSS of "mxbpa analyze" (GNU
# time) and the number of findings; with MXBPA_BEFORE set to another
# build, runs it too and says whether both give the same findings.
# SPDX-License-Identifier: ISC
set -eu

ranges=${1:-16000}
connectors=${2:-4}
MXBPA=${MXBPA:?set MXBPA to the mxbpa binary}
TIME=${TIME_CMD:-/usr/bin/time}
command -v "$TIME" >/dev/null || { echo "range-scale: $TIME not found" >&2; exit 2; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/mxbpa-bench.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM

awk -v ranges="$ranges" -v connectors="$connectors" 'BEGIN {
	print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	print "<topology xmlns=\"urn:mxbpa:model:1\" version=\"1\" collected=\"2026-12-06T00:00:00Z\" generator=\"range-scale.sh\">"
	print "  <organization name=\"Contoso\">"
	print "    <accepted-domain name=\"contoso.com\" type=\"Authoritative\" default=\"true\"/>"
	print "    <server name=\"EX01\" fqdn=\"ex01.contoso.com\" version=\"15.2.1118.7\" roles=\"Mailbox\">"
	for (c = 0; c < connectors; c++) {
		printf "      <receive-connector name=\"Relay %02d\" identity=\"EX01\\Relay %02d\" role=\"FrontendTransport\" enabled=\"true\" permissions=\"collected\">\n", c, c
		print "        <binding text=\"10.0.1.1:25\" address=\"10.0.1.1\" port=\"25\" family=\"ipv4\"/>"
		if (c == 0)
			print "        <remote-ip-range text=\"10.0.0.0/8\" first=\"10.0.0.0\" last=\"10.255.255.255\" family=\"ipv4\"/>"
		for (j = 0; j < ranges; j++) {
			a = sprintf("10.%d.%d.%d", c + 1, int(j / 250), j % 250 + 1)
			printf "        <remote-ip-range text=\"%s\" first=\"%s\" last=\"%s\" family=\"ipv4\"/>\n", a, a, a
		}
		if (c % 2 == 0 && c + 1 < connectors) {
			a = sprintf("10.%d.0.1", c + 2)
			printf "        <remote-ip-range text=\"%s/32\" first=\"%s\" last=\"%s\" family=\"ipv4\"/>\n", a, a, a
		}
		print "        <auth-mechanism name=\"Tls\"/>"
		print "        <ace principal=\"NT AUTHORITY\\ANONYMOUS LOGON\" sid=\"S-1-5-7\" type=\"allow\" right=\"ms-Exch-SMTP-Submit\" access=\"ExtendedRight\" inherited=\"false\" inheritance=\"None\"/>"
		print "        <ace principal=\"NT AUTHORITY\\ANONYMOUS LOGON\" sid=\"S-1-5-7\" type=\"allow\" right=\"ms-Exch-SMTP-Accept-Any-Recipient\" access=\"ExtendedRight\" inherited=\"false\" inheritance=\"None\"/>"
		print "      </receive-connector>"
	}
	print "    </server>"
	print "  </organization>"
	print "</topology>"
}' >"$scratch/model.xml"
echo "model: $connectors connectors on 10.0.1.1:25, $ranges ranges each, $(wc -c <"$scratch/model.xml") bytes"

# run LABEL BINARY: analyze once under GNU time.
run() {
	set +e
	"$TIME" -f "%U %M" -o "$scratch/time" "$2" analyze "$scratch/model.xml" \
	    -o "$scratch/$1.xml" 2>"$scratch/err"
	status=$?
	set -e
	case $status in 0|1) ;; *) sed 's/^/  /' "$scratch/err" >&2; exit 1 ;; esac
	read -r secs kib <<EOT
$(tail -n 1 "$scratch/time")
EOT
	n=$(grep -c '<finding ' "$scratch/$1.xml" || true)
	printf '%-8s user %8s s  peak RSS %6s MiB  findings %s\n' "$1" "$secs" \
	    "$((kib / 1024))" "$n"
}

# The findings without their timestamps, for the comparison.
strip() {
	sed -e 's/generated="[^"]*"//' -e 's/collected="[^"]*"//' \
	    -e 's/<generated>[^<]*<\/generated>//' "$1"
}

run after "$MXBPA"
if [ -n "${MXBPA_BEFORE:-}" ]; then
	run before "$MXBPA_BEFORE"
	strip "$scratch/after.xml" >"$scratch/after.strip"
	strip "$scratch/before.xml" >"$scratch/before.strip"
	if cmp -s "$scratch/before.strip" "$scratch/after.strip"; then
		echo "same findings"
	else
		echo "findings differ:"
		diff "$scratch/before.strip" "$scratch/after.strip" | head -20
		exit 1
	fi
fi
