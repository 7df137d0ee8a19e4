#!/bin/sh
# samba-ad.sh - relay verdicts against a real Active Directory: a private
# Samba AD DC, provisioned in the scratch directory and started on a
# loopback address of its own (Samba's ports are fixed, so concurrent runs
# each take one 127.0.0.X), its schema extended with Exchange's receive
# connector class, the connectors of tests/data/effective-rights/cases.txt
# created over LDAP and their permissions written as security descriptors
# over LDAP, so that inheritance (from a parent container, scoped to the
# connector class) and the SD-flags control are Samba's doing.  mxbpa
# collects over LDAPS as a non-administrator and must give each case's
# verdict in the findings, the HTML report and which-connector.
#
# A missing Samba is a failure, not a skip (CI installs it with
# tools/debian-deps.sh); MXBPA_SKIP_SAMBA=1 skips explicitly.
# SPDX-License-Identifier: ISC

if [ -n "${MXBPA_SKIP_SAMBA:-}" ]; then
	echo "1..0 # SKIP MXBPA_SKIP_SAMBA is set"
	exit 0
fi

set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"

for tool in samba samba-tool ldapmodify ldapsearch openssl ss python3; do
	if ! command -v "$tool" >/dev/null 2>&1 &&
	    ! [ -x "/usr/sbin/$tool" ]; then
		ok 1 "$tool is installed (tools/debian-deps.sh installs it)"
		finish || exit 1
	fi
done
PATH=$PATH:/usr/sbin
if [ "$(id -u)" != 0 ]; then
	ok 1 "a Samba AD DC runs as root (this run is not root)"
	finish || exit 1
fi

build=${MXBPA_TOP_BUILDDIR:-$(dirname "$(dirname "$MXBPA")")}
sddl2bin=$build/tests/tools/sddl2bin
forest="DC=contoso,DC=test"
. "$top/tests/effective-rights-lib.sh"
dc=$scratch/dc
pw=$dc/admin.pw
readerpw=$dc/reader.pw
mkdir -p "$dc"
(umask 077
 printf 'Mx-%s-Aa1!' "$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" >"$pw"
 printf 'Rd-%s-Bb2!' "$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" \
     >"$readerpw")
samba_pid=
lock=

stop() {
	if [ -n "$samba_pid" ] && kill -0 "$samba_pid" 2>/dev/null; then
		kill "$samba_pid" 2>/dev/null || true
		i=0
		while kill -0 "$samba_pid" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$samba_pid" 2>/dev/null || true
	fi
	[ -n "$lock" ] && rm -rf "$lock"
	[ -n "$MXBPA_KEEP" ] || rm -rf "$scratch"
}
trap stop EXIT INT TERM

# A loopback address no other run holds: a lock directory per address
# (mkdir is atomic; a lock whose owner died is taken over) and nothing
# listening on its LDAP ports.
pick_address() {
	tries=0
	while [ $tries -lt 200 ]; do
		tries=$((tries + 1))
		x=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 250 + 3 ))
		a=127.0.0.$x
		l=/tmp/mxbpa-samba-$a.lock
		if ! mkdir "$l" 2>/dev/null; then
			owner=$(cat "$l/pid" 2>/dev/null || true)
			if [ -n "$owner" ] && kill -0 "$owner" 2>/dev/null; then
				continue
			fi
			rm -rf "$l"
			mkdir "$l" 2>/dev/null || continue
		fi
		echo $$ >"$l/pid"
		if ss -ltn 2>/dev/null | grep -q -e "$a:389 " -e "$a:636 "; then
			rm -rf "$l"
			continue
		fi
		addr=$a
		lock=$l
		return 0
	done
	return 1
}

setup() {
	pick_address || { echo "no free loopback address"; return 1; }
	for d in private state cache lock pid bind-dns ncalrpc winbindd \
	    ntp_signd tls; do
		mkdir -p "$dc/$d"
	done
	cat >"$dc/smb.conf" <<EOF
[global]
	netbios name = DC1
	realm = CONTOSO.TEST
	workgroup = CONTOSO
	server role = active directory domain controller
	server services = ldap
	interfaces = $addr/8
	bind interfaces only = yes
	private dir = $dc/private
	state directory = $dc/state
	cache directory = $dc/cache
	lock directory = $dc/lock
	pid directory = $dc/pid
	binddns dir = $dc/bind-dns
	ncalrpc dir = $dc/ncalrpc
	winbindd socket directory = $dc/winbindd
	ntp signd socket directory = $dc/ntp_signd
	log file = $dc/samba.log
	dsdb:schema update allowed = true
	tls enabled = yes
	tls keyfile = $dc/tls/key.pem
	tls certfile = $dc/tls/cert.pem
	tls cafile = $dc/tls/ca.pem
EOF
	# Our own CA: Samba's certificate would name only the DC's FQDN.
	(cd "$dc/tls" &&
	 openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key \
	     -out ca.pem -days 2 -subj "/CN=mxbpa test CA" &&
	 openssl req -newkey rsa:2048 -nodes -keyout key.pem -out req.csr \
	     -subj "/CN=dc1.contoso.test" &&
	 printf 'subjectAltName=IP:%s,DNS:dc1.contoso.test\n' "$addr" \
	     >ext.cnf &&
	 openssl x509 -req -in req.csr -CA ca.pem -CAkey ca.key \
	     -CAcreateserial -out cert.pem -days 2 -extfile ext.cnf &&
	 chmod 600 key.pem) || return 1
	# samba-tool takes the administrator's password only as an argument:
	# a random one, for this run's private DC alone.
	samba-tool domain provision -s "$dc/smb.conf" --targetdir="$dc" \
	    --use-rfc2307 --realm=CONTOSO.TEST --domain=CONTOSO \
	    --server-role=dc --dns-backend=NONE --host-name=DC1 \
	    --host-ip="$addr" --adminpass="$(cat "$pw")" || return 1
	samba -s "$dc/smb.conf" -D -M single --maximum-runtime=900 || return 1
	i=0
	while [ $i -lt 300 ]; do
		samba_pid=$(cat "$dc/pid/samba.pid" 2>/dev/null || true)
		if [ -n "$samba_pid" ] &&
		    ss -ltn | grep -q "$addr:636 "; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	echo "samba did not listen on $addr:636"
	cat "$dc/samba.log"
	return 1
}

LDAPTLS_CACERT=$dc/tls/ca.pem
export LDAPTLS_CACERT
uri=
admin="CN=Administrator,CN=Users,$forest"
reader="CN=mxbpa-reader,CN=Users,$forest"

# modify: ldapmodify as the administrator, the LDIF on stdin.
modify() {
	ldapmodify -H "$uri" -D "$admin" -y "$pw" >>"$dc/ldapmodify.log" 2>&1
}

# guid_b64 GUID: the 16 bytes of a GUID as AD stores them, in base64.
guid_b64() {
	python3 -c 'import base64, sys, uuid
print(base64.b64encode(uuid.UUID(sys.argv[1]).bytes_le).decode())' "$1"
}

# The Exchange attributes mxbpa reads and the receive connector class, with
# private OIDs and the class's schemaIDGUID fixed (CLASS in cases.txt).
schema() {
	S="CN=Schema,CN=Configuration,$forest"
	n=1
	for a in msExchSmtpReceiveBindings:2.5.5.12:64:FALSE \
	    msExchSmtpReceiveRemoteIPRanges:2.5.5.12:64:FALSE \
	    msExchSMTPReceiveInboundSecurityFlag:2.5.5.9:2:TRUE \
	    msExchSmtpReceiveRole:2.5.5.9:2:TRUE \
	    msExchSmtpReceiveEnabled:2.5.5.8:1:TRUE \
	    msExchSmtpReceiveProtocolLoggingLevel:2.5.5.9:2:TRUE; do
		IFS=: read -r name syn om single <<EOF
$a
EOF
		printf '%s\n' "dn: CN=$name,$S" "changetype: add" \
		    "objectClass: attributeSchema" "cn: $name" \
		    "lDAPDisplayName: $name" \
		    "attributeID: 1.3.6.1.4.1.99999.711.1.$n" \
		    "attributeSyntax: $syn" "oMSyntax: $om" \
		    "isSingleValued: $single" ""
		n=$((n + 1))
	done
	printf '%s\n' "dn:" "changetype: modify" "add: schemaUpdateNow" \
	    "schemaUpdateNow: 1" "-" ""
	printf '%s\n' "dn: CN=ms-Exch-Smtp-Receive-Connector,$S" \
	    "changetype: add" "objectClass: classSchema" \
	    "cn: ms-Exch-Smtp-Receive-Connector" \
	    "lDAPDisplayName: msExchSmtpReceiveConnector" \
	    "governsID: 1.3.6.1.4.1.99999.711.2.1" "subClassOf: top" \
	    "objectClassCategory: 1" "rDNAttID: cn" "possSuperiors: container" \
	    "mayContain: msExchSmtpReceiveBindings" \
	    "mayContain: msExchSmtpReceiveRemoteIPRanges" \
	    "mayContain: msExchSMTPReceiveInboundSecurityFlag" \
	    "mayContain: msExchSmtpReceiveRole" \
	    "mayContain: msExchSmtpReceiveEnabled" \
	    "mayContain: msExchSmtpReceiveProtocolLoggingLevel" \
	    "schemaIDGUID:: $(guid_b64 "$CLASS")" \
	    "defaultSecurityDescriptor: D:(A;;RPLCLORC;;;AU)" ""
	printf '%s\n' "dn:" "changetype: modify" "add: schemaUpdateNow" \
	    "schemaUpdateNow: 1" "-" ""
}

# The two extended rights the cases name, as Exchange's schema update
# creates them; a reader account; the Exchange organisation, readable by
# Authenticated Users (inherited) as Exchange makes it.
directory() {
	X="CN=Extended-Rights,CN=Configuration,$forest"
	printf '%s\n' "dn: CN=ms-Exch-SMTP-Submit,$X" "changetype: add" \
	    "objectClass: controlAccessRight" "rightsGuid: $SUBMIT" \
	    "validAccesses: 256" "" \
	    "dn: CN=ms-Exch-SMTP-Accept-Any-Recipient,$X" "changetype: add" \
	    "objectClass: controlAccessRight" "rightsGuid: $ANYRCPT" \
	    "validAccesses: 256" ""
	printf '%s\n' "dn: $reader" "changetype: add" "objectClass: user" \
	    "sAMAccountName: mxbpa-reader" \
	    "unicodePwd:: $(python3 -c 'import base64, sys
print(base64.b64encode(("\"" + open(sys.argv[1]).read() + "\"").encode("utf-16-le")).decode())' "$readerpw")" \
	    "userAccountControl: 512" ""
	p=$services
	for rdn in "CN=Microsoft Exchange" "CN=Contoso" \
	    "CN=Administrative Groups" \
	    "CN=Exchange Administrative Group (FYDIBOHF23SPDLT)" \
	    "CN=Servers"; do
		p="$rdn,$p"
		printf '%s\n' "dn: $p" "changetype: add" \
		    "objectClass: container" ""
	done
	printf '%s\n' "dn: CN=Microsoft Exchange,$services" \
	    "changetype: modify" "replace: nTSecurityDescriptor" \
	    "nTSecurityDescriptor:: $(echo "O:BAG:BAD:(A;CI;RPLCLORC;;;AU)" |
	    "$sddl2bin")" "-" ""
}

# The ACEs of a case field that AD itself would have made inherited (ID)
# are left out: Samba adds them from the parent.
explicit() {
	echo "$1" | sed -e 's/([A-Z]*;[A-Z]*ID[A-Z]*;[^)]*)//g'
}

# One case: its server's containers, the parent's inheritable entries,
# the connector, then its descriptor.
add_case() {
	name=$1 ranges=$2 dacl=$3 parent=$4
	p=$servers
	for rdn in "CN=SRV-$name" "CN=Protocols" "CN=SMTP Receive Connectors"; do
		p="$rdn,$p"
		printf '%s\n' "dn: $p" "changetype: add" \
		    "objectClass: container" ""
	done
	if [ -n "$parent" ]; then
		printf '%s\n' "dn: $p" "changetype: modify" \
		    "replace: nTSecurityDescriptor" \
		    "nTSecurityDescriptor:: $(sddl "$parent" | "$sddl2bin")" \
		    "-" ""
	fi
	printf '%s\n' "dn: CN=$name,$p" "changetype: add" \
	    "objectClass: msExchSmtpReceiveConnector" \
	    "msExchSmtpReceiveBindings: 0.0.0.0:25" \
	    "msExchSmtpReceiveRole: 16384" \
	    "msExchSMTPReceiveInboundSecurityFlag: 1" \
	    "msExchSmtpReceiveEnabled: TRUE" \
	    "msExchSmtpReceiveProtocolLoggingLevel: 1"
	for r in $ranges; do
		echo "msExchSmtpReceiveRemoteIPRanges: $r"
	done
	echo
	printf '%s\n' "dn: CN=$name,$p" "changetype: modify" \
	    "replace: nTSecurityDescriptor" \
	    "nTSecurityDescriptor:: $(sddl "$(explicit "$dacl")" |
	    "$sddl2bin")" "-" ""
}

if ! setup >"$scratch/setup.log" 2>&1; then
	sed 's/^/# /' "$scratch/setup.log"
	ok 1 "a private Samba AD DC starts on a loopback address"
	finish || exit 1
fi
ok 0 "a private Samba AD DC starts on $addr (pid $samba_pid)"
uri=ldaps://$addr

set +e
schema | modify
ok $? "the Exchange receive connector class is added to the schema"
directory | modify
ok $? "the extended rights, a reader account and the organisation exist"
grep -v -e '^#' -e '^$' "$cases" >"$scratch/cases"
while IFS='|' read -r name relay findings ranges dacl parent; do
	add_case "$name" "$ranges" "$dacl" "$parent" | modify
	ok $? "case $name is written into the directory"
done <"$scratch/cases"
set -e
if [ "$tap_failed" -gt 0 ]; then
	sed 's/^/# /' "$dc/ldapmodify.log" | tail -40
fi

# Collect as the reader: AD returns a non-administrator's descriptors only
# with the SD-flags control (owner, group, DACL), which mxbpa sends.
collect="--ldap $uri --ca-file $dc/tls/ca.pem --bind-dn $reader --password-file $readerpw"
run_mxbpa collect $collect -o "$scratch/ad-model.xml"
status_is 0 "mxbpa collects the connectors as a non-administrator"
n=$(xcount "//*[local-name()='receive-connector'][@permissions='collected']" "$scratch/ad-model.xml")
check "every connector's descriptor was read ($n)" \
    test "$n" = "$(wc -l <"$scratch/cases")"
n=$(xcount "//*[local-name()='receive-connector'][@name='inherited-object-type']/*[local-name()='ace'][@inherited='true'][@right='ms-Exch-SMTP-Accept-Any-Recipient'][@inherited-object-type='$CLASS']" "$scratch/ad-model.xml")
check "Samba copied the container's entry scoped to the connector class onto the connector" \
    test "$n" = 1
n=$(xcount "//*[local-name()='receive-connector'][@name='inherited-other-class']/*[local-name()='ace'][@sid='S-1-5-7'][@inherited='true'][@inherit-only='true'][@inherited-object-type='$USERCLASS']" "$scratch/ad-model.xml")
check "an entry scoped to another class reaches the connector inherit-only, as AD makes it" \
    test "$n" = 2
n=$(xcount "//*[local-name()='receive-connector'][@name='inherit-only']/*[local-name()='ace'][@inherit-only='true']" "$scratch/ad-model.xml")
check "the inherit-only entry is stored as such" test "$n" = 1
run_mxbpa audit $collect --format xml -o "$scratch/ad.xml"
check "the audit ran (exit $status)" test -s "$scratch/ad.xml"
run_mxbpa audit $collect --format html -o "$scratch/ad.html"

while IFS='|' read -r name relay findings ranges dacl parent; do
	if [ "$dacl" = NO_ACCESS_CONTROL ]; then
		# AD does not store a NULL DACL: Samba, like Windows, puts the
		# class's default DACL and the inherited entries in its place.
		# The ldifde test covers the NULL DACL an export can carry;
		# here the verdict must follow what the directory stored.
		d=$(xcount "//*[local-name()='receive-connector'][@name='$name']/*[local-name()='security-descriptor'][@dacl='list']" "$scratch/ad-model.xml")
		check "samba $name: the directory stored a DACL list instead" \
		    test "$d" = 1
		expect samba "$scratch/ad.xml" "$scratch/ad.html" \
		    "$scratch/ad-model.xml" "$name" "SRV-$name\\$name" \
		    "SRV-$name" no "!RELAY-001"
		continue
	fi
	# shellcheck disable=SC2086
	expect samba "$scratch/ad.xml" "$scratch/ad.html" \
	    "$scratch/ad-model.xml" "$name" "SRV-$name\\$name" "SRV-$name" \
	    "$relay" $findings
done <"$scratch/cases"

# What AD returns for an SD-flags request decides what the descriptor
# says: with 4 (DACL) the DACL is there; with 1 (owner only) the
# descriptor has no SE_DACL_PRESENT, which is the DACL not read (like a
# missing descriptor), never a NULL DACL open to everyone.
cdn="CN=control-access-all,CN=SMTP Receive Connectors,CN=Protocols,CN=SRV-control-access-all,$servers"
for fl in 4,MAMCAQQ=,collected,list 1,MAMCAQE=,not-collected,absent; do
	n=${fl%%,*} rest=${fl#*,}
	v=${rest%%,*} rest=${rest#*,}
	perms=${rest%%,*} dacl=${rest#*,}
	ldapsearch -LLL -x -H "$uri" -D "$reader" -y "$readerpw" \
	    -E "!1.2.840.113556.1.4.801=::$v" -b "$cdn" -s base \
	    '(objectClass=*)' '*' nTSecurityDescriptor \
	    >"$scratch/sdflags$n.ldif" 2>"$scratch/sdflags$n.err"
	ok $? "SD flags $n: the reader reads the connector"
	run_mxbpa audit --import "$scratch/sdflags$n.ldif" --format xml \
	    -o "$scratch/sdflags$n.xml"
	run_mxbpa collect --import "$scratch/sdflags$n.ldif" \
	    -o "$scratch/sdflags$n-model.xml"
	m=$(xcount "//*[local-name()='receive-connector'][@permissions='$perms']/*[local-name()='security-descriptor'][@dacl='$dacl']" "$scratch/sdflags$n-model.xml")
	check "SD flags $n: Samba's descriptor is read as permissions $perms (DACL $dacl)" \
	    test "$m" = 1
done
check "SD flags 1: the relay verdict could not be determined, not an open relay" \
    test "$(xcount "/*/*[local-name()='relay'][@verdict='undetermined']" "$scratch/sdflags1.xml")" = 1
check "SD flags 4: the anonymous relay of the case is found" \
    test "$(xcount "//*[local-name()='finding'][@rule='RELAY-001']" "$scratch/sdflags4.xml")" = 1

check "nothing of the password reaches the model or the findings" \
    sh -c "! grep -q -F -f '$readerpw' '$scratch/ad-model.xml' '$scratch/ad.xml'"
stop
samba_pid=
check "Samba is stopped" sh -c "! ss -ltn | grep -q '$addr:636 '"
finish
