# hostile.awk - a directory no sane server holds, for the LDAP collector's
# limits: one configuration container CN=Configuration,DC=CASE,DC=hostile,
# DC=com per case, each with an Exchange server HOST01 holding a plain
# connector and the hostile one.  The containers come first, as slapadd
# wants (ldif-prepare.awk is quadratic in the lines of one entry).
#
#   big      10,000 remote IP ranges on one connector
#   many     100,000 remote IP ranges on one connector
#   huge     a 1,000,000-byte FQDN (under LDAP_VALUE_MAX)
#   toolong  a 2 MiB FQDN (over LDAP_VALUE_MAX)
#
# Usage: awk -f hostile.awk > FILE.ldif
# SPDX-License-Identifier: ISC

function entry(dn, cls, attr, value) {
	print "dn: " dn
	print "objectClass: top"
	print "objectClass: " cls
	print attr ": " value
	print ""
}

function containers(c,    path, names, i, dn) {
	if (c == "big")
		entry("DC=hostile,DC=com", "domainDNS", "dc", "hostile")
	entry("DC=" c ",DC=hostile,DC=com", "domainDNS", "dc", c)
	dn = "DC=" c ",DC=hostile,DC=com"
	split("Configuration,Services,Microsoft Exchange,Hostile," \
	    "Administrative Groups,AG,Servers,HOST01,Protocols," \
	    "SMTP Receive Connectors", names, ",")
	for (i = 1; i <= 10; i++) {
		dn = "CN=" names[i] "," dn
		entry(dn, "container", "cn", names[i])
	}
}

function connector(c, name) {
	printf "dn: CN=%s,CN=SMTP Receive Connectors,CN=Protocols,CN=HOST01," \
	    "CN=Servers,CN=AG,CN=Administrative Groups,CN=Hostile," \
	    "CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=%s," \
	    "DC=hostile,DC=com\n", name, c
	print "objectClass: top"
	print "objectClass: msExchSmtpReceiveConnector"
	print "cn: " name
	print "msExchSmtpReceiveRole: 16384"
	print "msExchSmtpReceiveEnabled: TRUE"
}

function ranges(n,    i) {
	for (i = 0; i < n; i++)
		printf "msExchSmtpReceiveRemoteIPRanges: 10.%d.%d.%d\n",
		    100 + int(i / 65536), int(i / 256) % 256, i % 256
}

function fqdn(n,    s) {
	s = "x"
	while (length(s) * 2 <= n)
		s = s s
	s = s substr(s, 1, n - length(s))
	print "msExchSMTPReceiveConnectorFQDN: " s
}

BEGIN {
	split("big many huge toolong", cases, " ")
	for (k = 1; k <= 4; k++) {
		c = cases[k]
		containers(c)
		connector(c, "Plain")
		print "msExchSmtpReceiveBindings: 0.0.0.0:25"
		print "msExchSmtpReceiveRemoteIPRanges: 192.0.2.1"
		print ""
		connector(c, "Hostile")
		print "msExchSmtpReceiveBindings: 10.9.0.1:25"
		if (c == "big")
			ranges(10000)
		else if (c == "many")
			ranges(100000)
		else if (c == "huge")
			fqdn(1000000)
		else
			fqdn(2097152)
		print ""
	}
}
