#!/bin/sh
# certificates.sh - Get-ExchangeCertificate exports (Export-Clixml, RawData
# the DER certificate) read into the model, and AUTH-004 judging the
# connector's FQDN against the certificate its TlsCertificateName names as
# RFC 6125 says: DNS subject alternative names first, the subject CN only
# without any, a wildcard only as the whole left-most label.
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"
cd "$top"
d=tests/data/clixml/certificates
F="*[local-name()='finding'][@rule='AUTH-004']"
RULE="*[local-name()='rule'][@id='AUTH-004']"
CERT="*[local-name()='certificate']"
SRV="/*/*[local-name()='organization']/*[local-name()='server']"

# --- the model -----------------------------------------------------------------
run_mxbpa collect --import "$d/receive-connectors.xml" \
	--import "$d/exchange-certificates.xml" -o "$scratch/model.xml"
status_is 0 "connectors and certificates import"
m=$scratch/model.xml
check "the model is valid" \
	"$XMLLINT" --noout --relaxng schemas/model.rng "$m"
check "EX01 holds three certificates, by their Identity" \
	test "$(xcount "$SRV[@name='EX01']/$CERT[@server-from='Identity']" "$m")" = 3
check "EX02's certificate is placed by PSComputerName (no Identity in the export)" \
	test "$(xcount "$SRV[@name='EX02']/$CERT[@server-from='PSComputerName']" "$m")" = 1
check "the stock certificate keeps its DNS names from RawData" \
	test "$(xcount "$SRV[@name='EX01']/$CERT[@subject='CN=EX01'][*[@value='EX01']][*[@value='ex01.contoso.com']]" "$m")" = 1
check "the thumbprint is the SHA-1 of RawData, as Exchange writes it" \
	test "$(xcount "$SRV/$CERT[@thumbprint=\"$(grep -m1 'N="Thumbprint"' "$d/exchange-certificates.xml" | sed 's/.*">//; s/<.*//')\"]" "$m")" = 1
check "not-after and services are kept" \
	test "$(xcount "$SRV[@name='EX01']/$CERT[@services='IIS, SMTP'][string-length(@not-after) = 20]" "$m")" = 1
check "without a Subject property, the subject comes from RawData" \
	test "$(xcount "$SRV[@name='EX02']/$CERT[@subject='CN=ex02.contoso.com'][@issuer='CN=ex02.contoso.com']" "$m")" = 1

# --- AUTH-004 ------------------------------------------------------------------
run_mxbpa analyze "$m" -o "$scratch/findings.xml"
f=$scratch/findings.xml
check "the stock self-signed certificate (FQDN in the SAN, CN the host name): no AUTH-004" \
	test "$(xcount "/*/$F[@object='EX01\\Default Frontend EX01']" "$f")" = 0
check "a SAN wildcard *.contoso.com covers smtp.contoso.com: no AUTH-004" \
	test "$(xcount "/*/$F[@object='EX01\\Client Frontend EX01']" "$f")" = 0
check "a certificate without SAN is matched on its CN: no AUTH-004" \
	test "$(xcount "/*/$F[@object='EX01\\Relay EX01']" "$f")" = 0
check "CN naming the FQDN but SANs that do not: AUTH-004 fires (RFC 6125)" \
	test "$(xcount "/*/$F[@object='EX02\\Default Frontend EX02']" "$f")" = 1
check "a certificate not among the server's: AUTH-004 says so" \
	test "$(xcount "/*/$F[@object='EX01\\Partner EX01'][contains(., 'not among the certificates of its server')]" "$f")" = 1
check "AUTH-004 failed on 2 of 5 connectors" \
	test "$(xcount "/*/$RULE[@status='failed'][@checked='5'][@failed='2']" "$f")" = 1

# --- without certificates: not checked -----------------------------------------
run_mxbpa audit --import "$d/receive-connectors.xml" --format xml \
	-o "$scratch/nocert.xml"
f=$scratch/nocert.xml
check "without certificates AUTH-004 finds nothing" \
	test "$(xcount "/*/$F" "$f")" = 0
check "without certificates AUTH-004 is not checked, naming Get-ExchangeCertificate for EX01" \
	test "$(xcount "/*/$RULE[@status='not-checked']/*[local-name()='not-checked'][starts-with(., 'needs Get-ExchangeCertificate for EX01')]" "$f")" = 1

# --- malformed RawData -----------------------------------------------------------
run_mxbpa collect --import "$d/malformed-rawdata.xml" -o "$scratch/bad.xml"
status_is 2 "a truncated RawData is an input error"
check "the error names the file and line of RawData" \
	grep -q "malformed-rawdata.xml:11: .*RawData is not one DER certificate" "$scratch/stderr"
check "no model is written" test ! -e "$scratch/bad.xml"
run_mxbpa collect --import "$d/rawdata-not-base64.xml" -o "$scratch/bad2.xml"
status_is 2 "a RawData that is not base64 is an input error"
check "the error names the file and line" \
	grep -q "rawdata-not-base64.xml:11: .*RawData is not base64" "$scratch/stderr"

finish
