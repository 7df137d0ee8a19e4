#!/bin/sh
# effective-rights.sh - relay verdicts by the Windows access check, through
# the inputs an auditor really gets: an ldifde export whose security
# descriptors are the cases of tests/data/effective-rights/cases.txt, and
# Get-ReceiveConnector / Get-ADPermission CLIXML exports (non-English
# principal names, the address(mask) range form, filtered permission
# lists).  Each case gives the same verdict in the findings, the HTML
# report and which-connector; a model whose derived facts were removed or
# flipped by hand gives the same findings as the original.
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"
cd "$top"

build=${MXBPA_TOP_BUILDDIR:-$top}
sddl2bin=$build/tests/tools/sddl2bin
. "$top/tests/effective-rights-lib.sh"

# --- the ldifde export ------------------------------------------------------

ldif=$scratch/cases.ldif
{
	echo "version: 1"
	grep -v -e '^#' -e '^$' "$cases" |
	while IFS='|' read -r name relay findings ranges dacl parent; do
		dn="CN=$name,CN=SMTP Receive Connectors,CN=Protocols,CN=SRV-$name,$servers"
		echo
		echo "dn: $dn"
		echo "objectClass: top"
		echo "objectClass: msExchSmtpReceiveConnector"
		echo "cn: $name"
		echo "msExchSmtpReceiveBindings: 0.0.0.0:25"
		for r in $ranges; do
			echo "msExchSmtpReceiveRemoteIPRanges: $r"
		done
		echo "msExchSmtpReceiveRole: 16384"
		echo "msExchSMTPReceiveInboundSecurityFlag: 1"
		echo "msExchSmtpReceiveEnabled: TRUE"
		echo "msExchSmtpReceiveProtocolLoggingLevel: 1"
		echo "nTSecurityDescriptor:: $(sddl "$dacl" | "$sddl2bin")"
	done
} >"$ldif"
check "the cases become an ldifde export" test -s "$ldif"

run_mxbpa audit --import "$ldif" --format xml -o "$scratch/ldif.xml"
check "the export is audited" test -s "$scratch/ldif.xml"
run_mxbpa audit --import "$ldif" --format html -o "$scratch/ldif.html"
run_mxbpa collect --import "$ldif" -o "$scratch/ldif-model.xml"

grep -v -e '^#' -e '^$' "$cases" >"$scratch/cases"
while IFS='|' read -r name relay findings ranges dacl parent; do
	# shellcheck disable=SC2086
	expect ldif "$scratch/ldif.xml" "$scratch/ldif.html" \
	    "$scratch/ldif-model.xml" "$name" "SRV-$name\\$name" "SRV-$name" \
	    "$relay" $findings
done <"$scratch/cases"

# --- CLIXML exports -----------------------------------------------------------

ns=http://schemas.microsoft.com/powershell/2004/04

# connector NAME SERVER GROUPS RANGE...: one Get-ReceiveConnector object.
connector() {
	n=$1 s=$2 g=$3
	shift 3
	printf '<Obj><TN><T>Microsoft.Exchange.Data.Directory.SystemConfiguration.ReceiveConnector</T></TN><ToString>%s\\%s</ToString><Props>' "$s" "$n"
	printf '<S N="Name">%s</S><S N="Server">%s</S><S N="Identity">%s\\%s</S>' "$n" "$s" "$s" "$n"
	printf '<B N="Enabled">true</B><S N="TransportRole">FrontendTransport</S>'
	printf '<Obj N="Bindings"><LST><S>0.0.0.0:25</S></LST></Obj>'
	printf '<Obj N="RemoteIPRanges"><LST>'
	for r in "$@"; do printf '<S>%s</S>' "$r"; done
	printf '</LST></Obj><S N="PermissionGroups">%s</S><S N="AuthMechanism">Tls</S>' "$g"
	printf '<S N="ProtocolLoggingLevel">Verbose</S></Props></Obj>\n'
}

# permission IDENTITY USER DENY INHERITANCE RIGHT: one Get-ADPermission row.
permission() {
	printf '<Obj><TN><T>Microsoft.Exchange.Management.RecipientTasks.ADAcePresentationObject</T></TN><Props>'
	printf '<Obj N="AccessRights"><LST><S>ExtendedRight</S></LST></Obj>'
	printf '<Obj N="ExtendedRights"><LST><S>%s</S></LST></Obj>' "$5"
	printf '<B N="Deny">%s</B><B N="IsInherited">false</B>' "$3"
	printf '<S N="InheritanceType">%s</S><S N="User">%s</S>' "$4" "$2"
	printf '<S N="Identity">%s</S></Props></Obj>\n' "$1"
}

cx=$scratch/cases.clixml
{
	echo "<Objs Version=\"1.1.0.1\" xmlns=\"$ns\">"
	connector german SRV-german "AnonymousUsers, Custom" \
	    0.0.0.0-255.255.255.255
	for r in ms-Exch-SMTP-Submit ms-Exch-SMTP-Accept-Any-Recipient; do
		permission 'SRV-german\german' \
		    'NT-AUTORITÄT\ANONYMOUS-ANMELDUNG' false None "$r"
	done
	connector spanish SRV-spanish "Custom" 0.0.0.0-255.255.255.255
	for r in ms-Exch-SMTP-Submit ms-Exch-SMTP-Accept-Any-Recipient; do
		permission 'SRV-spanish\spanish' \
		    'NT AUTHORITY\INICIO DE SESIÓN ANÓNIMO' false None "$r"
	done
	connector unknown SRV-unknown "Custom" 0.0.0.0-255.255.255.255
	for r in ms-Exch-SMTP-Submit ms-Exch-SMTP-Accept-Any-Recipient; do
		permission 'SRV-unknown\unknown' \
		    'NT-AUTORITÄT\ANONYM' false None "$r"
	done
	connector without-group SRV-without-group "Custom" \
	    0.0.0.0-255.255.255.255
	for r in ms-Exch-SMTP-Submit ms-Exch-SMTP-Accept-Any-Recipient; do
		permission 'SRV-without-group\without-group' \
		    'NT AUTHORITY\ANONYMOUS LOGON' false None "$r"
	done
	connector deny-cancels SRV-deny-cancels "AnonymousUsers, Custom" \
	    0.0.0.0-255.255.255.255
	permission 'SRV-deny-cancels\deny-cancels' \
	    'NT AUTHORITY\ANONYMOUS LOGON' false None \
	    ms-Exch-SMTP-Accept-Any-Recipient
	permission 'SRV-deny-cancels\deny-cancels' \
	    'NT AUTHORITY\ANONYMOUS LOGON' true None \
	    ms-Exch-SMTP-Accept-Any-Recipient
	connector inherit-only SRV-inherit-only "AnonymousUsers, Custom" \
	    0.0.0.0-255.255.255.255
	permission 'SRV-inherit-only\inherit-only' \
	    'NT AUTHORITY\ANONYMOUS LOGON' false Descendents \
	    ms-Exch-SMTP-Accept-Any-Recipient
	echo "</Objs>"
} >"$cx"
# The range forms in their own export: a reader that refuses one must
# not hide the other cases.
cm=$scratch/masks.clixml
{
	echo "<Objs Version=\"1.1.0.1\" xmlns=\"$ns\">"
	connector mask-all SRV-mask-all "AnonymousUsers, Custom" \
	    '0.0.0.0(0.0.0.0)'
	permission 'SRV-mask-all\mask-all' 'NT AUTHORITY\ANONYMOUS LOGON' \
	    false None ms-Exch-SMTP-Accept-Any-Recipient
	connector mask-network SRV-mask-network "AnonymousUsers, Custom" \
	    '10.0.9.0(255.255.255.0)'
	permission 'SRV-mask-network\mask-network' \
	    'NT AUTHORITY\ANONYMOUS LOGON' false None \
	    ms-Exch-SMTP-Accept-Any-Recipient
	echo "</Objs>"
} >"$cm"
for set in cx cm; do
	eval "in=\$$set"
	run_mxbpa audit --import "$in" --format xml -o "$scratch/$set.xml"
	check "the CLIXML cases ($set) are audited" test -s "$scratch/$set.xml"
	run_mxbpa audit --import "$in" --format html -o "$scratch/$set.html"
	run_mxbpa collect --import "$in" -o "$scratch/$set-model.xml"
done

cx_case() {
	name=$1 relay=$2 set=cx
	shift 2
	case $name in mask-*) set=cm ;; esac
	expect clixml "$scratch/$set.xml" "$scratch/$set.html" \
	    "$scratch/$set-model.xml" "$name" "SRV-$name\\$name" "SRV-$name" \
	    "$relay" "$@"
}
cx_case german yes RELAY-001 !RELAY-016
cx_case spanish yes RELAY-001 !RELAY-016
cx_case unknown no RELAY-016 !RELAY-001
cx_case without-group yes RELAY-001
cx_case mask-all yes RELAY-001
cx_case mask-network yes !TOPO-002 RELAY-004
cx_case deny-cancels no RELAY-014 !RELAY-001
cx_case inherit-only no !RELAY-001
# An unknown principal alone: the relay headline must not say none-found.
cu=$scratch/unknown.clixml
{
	echo "<Objs Version=\"1.1.0.1\" xmlns=\"$ns\">"
	connector unknown SRV-unknown "Custom" 0.0.0.0-255.255.255.255
	permission 'SRV-unknown\unknown' 'NT-AUTORITÄT\ANONYM' false None \
	    ms-Exch-SMTP-Accept-Any-Recipient
	echo "</Objs>"
} >"$cu"
run_mxbpa audit --import "$cu" --format xml -o "$scratch/cu.xml"
v=$("$XMLLINT" --xpath "string(//*[local-name()='relay']/@verdict)" "$scratch/cu.xml" 2>/dev/null || true)
check "an unknown principal keeps the relay headline from none-found (got $v)" \
    test -n "$v" -a "$v" != none-found
n=$(xcount "//*[local-name()='relay']/*[local-name()='missing'][contains(., 'SRV-unknown\\unknown')]" "$scratch/cu.xml")
check "the headline names the connector whose verdict is incomplete" \
    test "$n" -ge 1
n=$(fired "$scratch/cu.xml" RELAY-016 'SRV-unknown\unknown')
check "RELAY-016 reports the unknown principal" test "$n" = 1

n=$(xcount "//*[local-name()='receive-connector'][@name='german']/*[local-name()='ace'][@sid='S-1-5-7']" "$scratch/cx-model.xml")
check "NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG gets the SID S-1-5-7" test "$n" = 2
n=$(xcount "//*[local-name()='remote-ip-range'][@text='10.0.9.0(255.255.255.0)'][@first='10.0.9.0'][@last='10.0.9.255']" "$scratch/cm-model.xml")
check "10.0.9.0(255.255.255.0) is read as 10.0.9.0-10.0.9.255" test "$n" = 1

# --- derived facts are recomputed, never trusted --------------------------------

# findings_key FILE: the findings as sorted "rule object" lines.
findings_key() {
	"$XMLLINT" --xpath "//*[local-name()='finding']/@rule | //*[local-name()='finding']/@object" "$1" 2>/dev/null |
	    tr ' ' '\n' | paste - - | sort
}

for m in ldif cx; do
	orig=$scratch/$m-model.xml
	run_mxbpa analyze "$orig" -o "$scratch/$m-orig.xml"
	# Drop every derived element.
	awk '/<effective / { if ($0 ~ /\/>[[:space:]]*$/) next; skip = 1 }
	    skip == 0 { print } /<\/effective>/ { skip = 0 }' \
	    "$orig" >"$scratch/$m-dropped.xml"
	n=$(xcount "//*[local-name()='effective']" "$scratch/$m-dropped.xml")
	check "$m: the hand-edited model has no derived facts left" test "$n" = 0
	run_mxbpa analyze "$scratch/$m-dropped.xml" -o "$scratch/$m-dropped-f.xml"
	findings_key "$scratch/$m-orig.xml" >"$scratch/$m-a"
	findings_key "$scratch/$m-dropped-f.xml" >"$scratch/$m-b"
	check "$m: a model without its derived facts gives the same findings" \
	    cmp -s "$scratch/$m-a" "$scratch/$m-b"
	# Flip every derived verdict.
	sed -e '/<effective /s/="true"/="TMP"/g' -e '/<effective /s/="false"/="true"/g' \
	    -e '/<effective /s/="TMP"/="false"/g' \
	    -e '/<decision /s/granted="true"/granted="TMP"/' \
	    -e '/<decision /s/granted="false"/granted="true"/' \
	    -e '/<decision /s/granted="TMP"/granted="false"/' \
	    "$orig" >"$scratch/$m-flipped.xml"
	check "$m: the flipped model differs from the original" \
	    sh -c "! cmp -s '$orig' '$scratch/$m-flipped.xml'"
	run_mxbpa analyze "$scratch/$m-flipped.xml" -o "$scratch/$m-flipped-f.xml"
	findings_key "$scratch/$m-flipped-f.xml" >"$scratch/$m-c"
	check "$m: a model with flipped derived facts gives the same findings" \
	    cmp -s "$scratch/$m-a" "$scratch/$m-c"
	check "$m: and names the same relay connectors in which-connector" \
	    test "$(which_relay "$scratch/$m-flipped.xml" SRV-deny-cancels 203.0.113.5)" = no
done

finish
