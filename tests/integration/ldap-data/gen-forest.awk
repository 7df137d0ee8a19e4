# gen-forest.awk - a generated Exchange organisation for paging tests and
# the benchmark: forest DC=fabrikam,DC=com, one Exchange server FAB01
# with n receive connectors, each with a security descriptor granting
# ms-Exch-SMTP-Submit to one of `accounts` service accounts (SIDs
# S-1-5-21-1-2-3-<1000+k>), the accounts themselves, the crossRef that
# names the domain FABRIKAM and the extended right granted.
#
# Two passes, because the descriptors are encoded by tests/tools/sddl2bin:
#   awk -v mode=sddl -v n=N -v accounts=A -f gen-forest.awk > sddl.txt
#   sddl2bin < sddl.txt > sd.b64
#   awk -v mode=ldif -v n=N -v accounts=A -v sds=sd.b64 \
#       -f gen-forest.awk > forest.ldif
# Parents are left to ldif-prepare.awk.
#
# SPDX-License-Identifier: ISC

function b64(bytes, len,    out, i, b0, b1, b2, abc) {
	abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	out = ""
	for (i = 1; i <= len; i += 3) {
		b0 = bytes[i]
		b1 = i + 1 <= len ? bytes[i + 1] : 0
		b2 = i + 2 <= len ? bytes[i + 2] : 0
		out = out substr(abc, int(b0 / 4) + 1, 1)
		out = out substr(abc, (b0 % 4) * 16 + int(b1 / 16) + 1, 1)
		out = out (i + 1 <= len ? \
		    substr(abc, (b1 % 16) * 4 + int(b2 / 64) + 1, 1) : "=")
		out = out (i + 2 <= len ? substr(abc, b2 % 64 + 1, 1) : "=")
	}
	return out
}

# objectSid of S-1-5-21-1-2-3-rid, base64.
function sid_b64(rid,    b, i, k) {
	split("1 5 0 0 0 0 0 5 21 0 0 0 1 0 0 0 2 0 0 0 3 0 0 0", b, " ")
	for (i = 1; i <= 24; i++)
		b[i] = b[i] + 0
	for (k = 0; k < 4; k++) {
		b[25 + k] = rid % 256
		rid = int(rid / 256)
	}
	return b64(b, 28)
}

function rid_of(i) {
	return 1000 + (i - 1) % accounts
}

BEGIN {
	if (n == "" || accounts == "" || accounts < 1) {
		print "gen-forest.awk: give -v n=N -v accounts=A" \
		    > "/dev/stderr"
		exit 2
	}
	cfg = "CN=Configuration,DC=fabrikam,DC=com"
	org = "CN=Fabrikam,CN=Microsoft Exchange,CN=Services," cfg
	srv = "CN=FAB01,CN=Servers,CN=Exchange Administrative Group " \
	    "(FYDIBOHF23SPDLT),CN=Administrative Groups," org
	submit = "a18293f1-0685-4540-aa63-e32df421b3a2"

	if (mode == "sddl") {
		for (i = 1; i <= n; i++)
			printf "O:BAG:BAD:(OA;;CR;%s;;S-1-5-21-1-2-3-%d)" \
			    "(A;CIID;GA;;;SY)\n", submit, rid_of(i)
		exit 0
	}
	if (mode != "ldif" || sds == "") {
		print "gen-forest.awk: give -v mode=sddl, or -v mode=ldif " \
		    "-v sds=FILE" > "/dev/stderr"
		exit 2
	}

	print "dn: CN=FABRIKAM,CN=Partitions," cfg
	print "objectClass: top"
	print "objectClass: crossRef"
	print "cn: FABRIKAM"
	print "nCName: DC=fabrikam,DC=com"
	print "nETBIOSName: FABRIKAM"
	print ""
	print "dn: CN=ms-Exch-SMTP-Submit,CN=Extended-Rights," cfg
	print "objectClass: top"
	print "objectClass: controlAccessRight"
	print "cn: ms-Exch-SMTP-Submit"
	print "rightsGuid: " submit
	print "validAccesses: 256"
	print ""
	for (k = 0; k < accounts; k++) {
		printf "dn: CN=svc-relay-%d,CN=Users,DC=fabrikam,DC=com\n", k
		print "objectClass: top"
		print "objectClass: user"
		printf "cn: svc-relay-%d\n", k
		printf "sAMAccountName: svc-relay-%d\n", k
		printf "objectSid:: %s\n\n", sid_b64(1000 + k)
	}
	print "dn: " srv
	print "objectClass: top"
	print "objectClass: server"
	print "objectClass: msExchExchangeServer"
	print "cn: FAB01"
	print "serialNumber: Version 15.2 (Build 31118.7)"
	print "networkAddress: ncacn_ip_tcp:fab01.fabrikam.com"
	print "msExchCurrentServerRoles: 2"
	print ""
	for (i = 1; i <= n; i++) {
		if ((getline sd < sds) <= 0) {
			print "gen-forest.awk: " sds ": too few descriptors" \
			    > "/dev/stderr"
			exit 2
		}
		printf "dn: CN=Relay %05d,CN=SMTP Receive Connectors," \
		    "CN=Protocols,%s\n", i, srv
		print "objectClass: top"
		print "objectClass: msExchSmtpReceiveConnector"
		printf "cn: Relay %05d\n", i
		printf "msExchSmtpReceiveBindings: 10.2.%d.%d:25\n", \
		    int(i / 250) % 250, i % 250 + 1
		printf "msExchSmtpReceiveRemoteIPRanges: 10.3.%d.0/24\n", \
		    i % 250
		print "msExchSMTPReceiveInboundSecurityFlag: 1"
		print "msExchSmtpReceiveRole: 16384"
		print "msExchSmtpReceiveEnabled: TRUE"
		print "msExchSMTPReceiveConnectorFQDN: fab01.fabrikam.com"
		print "msExchSmtpReceiveProtocolLoggingLevel: 1"
		print "msExchSmtpReceiveMaxMessageSize: 37748736"
		printf "nTSecurityDescriptor:: %s\n\n", sd
	}
}
