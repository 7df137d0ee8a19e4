#!/bin/sh
# mkcerts-clixml.sh - write an Export-Clixml of Get-ExchangeCertificate (as a
# remote Exchange session writes it: type names of ExchangeCertificate,
# RawData as a <BA> holding the base64 DER, Thumbprint, Subject, Issuer,
# Services, Identity "SERVER\THUMBPRINT", PSComputerName) for certificates
# made here with openssl req -x509.  Used once to make the fixture
# tests/data/clixml/certificates/exchange-certificates.xml; kept so that
# the fixture can be made again.
# Usage: mkcerts-clixml.sh > exchange-certificates.xml
# SPDX-License-Identifier: ISC
set -e
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# cert NAME SUBJECT [SAN] : a self-signed certificate, DER in $dir/NAME.der
cert() {
	if [ -n "$3" ]; then
		openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/$1.key" \
		    -subj "$2" -days 3650 -addext "subjectAltName=$3" \
		    -outform DER -out "$dir/$1.der" 2>/dev/null
	else
		openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/$1.key" \
		    -subj "$2" -days 3650 -outform DER -out "$dir/$1.der" \
		    2>/dev/null
	fi
}

# Exchange setup's own: CN is the host name, the FQDN only in the SANs.
cert stock "/CN=EX01" "DNS:EX01,DNS:ex01.contoso.com"
# A wildcard, with a CN that is no name of the connector.
cert wild "/O=Contoso/CN=Contoso Wildcard" "DNS:*.contoso.com"
# No SAN at all: the CN is the name.
cert cnonly "/O=Contoso/CN=relay.contoso.com"
# The CN names the FQDN but the SANs do not: per RFC 6125, no match.
cert mismatch "/CN=ex02.contoso.com" "DNS:mail.contoso.com,DNS:autodiscover.contoso.com"

cat <<'HEAD'
<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
HEAD
ref=0
for spec in "stock:EX01:CN=EX01:CN=EX01:IIS, SMTP" \
    "wild:EX01:CN=Contoso Wildcard, O=Contoso:CN=Contoso Wildcard, O=Contoso:SMTP" \
    "cnonly:EX01:CN=relay.contoso.com, O=Contoso:CN=relay.contoso.com, O=Contoso:SMTP" \
    "mismatch:EX02:CN=ex02.contoso.com:CN=ex02.contoso.com:IMAP, POP, IIS, SMTP"; do
	name=${spec%%:*}; rest=${spec#*:}
	server=${rest%%:*}; rest=${rest#*:}
	subject=${rest%%:*}; rest=${rest#*:}
	issuer=${rest%%:*}; services=${rest#*:}
	thumb=$(openssl x509 -inform DER -in "$dir/$name.der" -noout \
	    -fingerprint -sha1 | sed 's/.*=//; s/://g')
	raw=$(base64 -w0 "$dir/$name.der")
	lower=$(echo "$server" | tr 'A-Z' 'a-z')
	# The last one as HealthChecker's remote export holds it: RawData and
	# PSComputerName only (the rest is in SerializationData).
	if [ "$name" = mismatch ]; then
		props=
	else
		props="      <S N=\"Thumbprint\">$thumb</S>
      <S N=\"Subject\">$subject</S>
      <S N=\"Issuer\">$issuer</S>
      <S N=\"Services\">$services</S>
      <S N=\"Identity\">$server.contoso.com\\$thumb</S>
"
	fi
	if [ $ref = 0 ]; then
		tn='<TN RefId="0">
      <T>Deserialized.Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate</T>
      <T>Deserialized.System.Security.Cryptography.X509Certificates.X509Certificate2</T>
      <T>Deserialized.System.Security.Cryptography.X509Certificates.X509Certificate</T>
      <T>Deserialized.System.Object</T>
    </TN>'
	else
		tn='<TNRef RefId="0" />'
	fi
	cat <<OBJ
  <Obj RefId="$ref">
    $tn
    <ToString>[Subject]_x000D__x000A_  ${subject}_x000D__x000A_</ToString>
    <Props>
      <BA N="RawData">$raw</BA>
$props    </Props>
    <MS>
      <S N="PSComputerName">$lower.contoso.com</S>
      <B N="PSShowComputerName">false</B>
    </MS>
  </Obj>
OBJ
	ref=$((ref + 1))
done
echo '</Objs>'
