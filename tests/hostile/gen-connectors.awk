# gen-connectors.awk - an LDIF export with many receive connectors: the
# connector entries of an ldifde export (tests/data/ldif/contoso.ldif)
# repeated under new names until there are n of them.
#
#   awk -v n=1200 -f gen-connectors.awk contoso.ldif
# SPDX-License-Identifier: ISC
BEGIN { RS = ""; FS = "\n" }
{
	# Unfold the entry (RFC 2849: a continuation starts with a space).
	text = ""
	for (i = 1; i <= NF; i++) {
		if ($i ~ /^#/)
			continue
		if ($i ~ /^ /)
			text = text substr($i, 2)
		else
			text = text (text == "" ? "" : "\n") $i
	}
	if (text == "")
		next
	if (text ~ /objectClass: msExchSmtpReceiveConnector/)
		conn[nconn++] = text
	print text "\n"
}
END {
	for (k = 0; k < n; k++) {
		e = conn[k % nconn]
		match(e, /^dn: CN=[^,]*,/)
		name = substr(e, 8, RLENGTH - 8)
		new = sprintf("%s %04d", name, k)
		e = "dn: CN=" new substr(e, RLENGTH)
		gsub(/\ncn: [^\n]*/, "\ncn: " new, e)
		print e "\n"
	}
}
