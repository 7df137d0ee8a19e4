# effective-rights-lib.sh - what tests/effective-rights.sh (ldifde and
# CLIXML exports) and tests/integration/samba-ad.sh (a real AD) share: the
# permission cases of tests/data/effective-rights/cases.txt, their SDDL, and
# the check that a case gives its verdict in the findings, the HTML report
# and which-connector.  Sourced after lib.sh, never run.
# SPDX-License-Identifier: ISC

cases=$top/tests/data/effective-rights/cases.txt
SUBMIT=a18293f1-0685-4540-aa63-e32df421b3a2
ANYRCPT=5c82f031-4e4c-4326-88e1-8c4f0cad9de5
CLASS=b8a4d6f1-3c2e-4a51-9e0d-7f6a5c4b3a21
USERCLASS=bf967aba-0de6-11d0-a285-00aa003049e2
# The forest's domain part (the Samba test sets its own before sourcing).
: "${forest:=DC=contoso,DC=com}"
services="CN=Services,CN=Configuration,$forest"
org="CN=Contoso,CN=Microsoft Exchange,$services"
servers="CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,$org"

ANYSENDER=b857b50b-94a2-4b53-93f6-41cebd2fced0
AUTHSENDER=c22841f4-96cb-498a-ac02-f9a87c74eb14
ROUTING=04031f4f-7c36-43ea-9b49-4bd0f5f1e6af
ANONGROUP="(OA;;CR;SUBMIT;;AN)(OA;;CR;$ANYSENDER;;AN)(OA;;CR;$AUTHSENDER;;AN)(OA;;CR;$ROUTING;;AN)"

# sddl CASE-DACL: the whole descriptor, placeholders replaced; a case
# field of NO_ACCESS_CONTROL makes a NULL DACL.
sddl() {
	echo "O:BAG:BAD:$1" | sed -e "s/ANONGROUP/$ANONGROUP/g" \
	    -e "s/SUBMIT/$SUBMIT/g" \
	    -e "s/ANYRCPT/$ANYRCPT/g" -e "s/USERCLASS/$USERCLASS/g" \
	    -e "s/CLASS/$CLASS/g"
}

# fired FINDINGS RULE IDENTITY: count of findings of a rule on an object.
fired() {
	xcount "//*[local-name()='finding'][@rule='$2'][@object='$3']" "$1"
}

# html_fired HTML RULE IDENTITY: the same count in the HTML report.
html_fired() {
	"$XMLLINT" --html --xpath "count(//article[contains(@class, 'finding')][.//span[@class='rule-id'] = '$2'][.//span[@class='obj'] = '$3'])" "$1" 2>/dev/null || echo -1
}

# anon_line MODEL SERVER REMOTE: which-connector's anonymous client line.
anon_line() {
	$MXBPA_WRAP "$MXBPA" which-connector --server "$2" \
	    --local 10.0.0.1:25 --remote "$3" "$1" 2>/dev/null |
	    sed -n 's/^  anonymous client: //p'
}

# which MODEL SERVER REMOTE: the relay line of which-connector.
which_relay() {
	$MXBPA_WRAP "$MXBPA" which-connector --server "$2" \
	    --local 10.0.0.1:25 --remote "$3" "$1" 2>/dev/null |
	    sed -n 's/^  relay without authentication: //p'
}

# expect KIND FINDINGS HTML MODEL NAME IDENTITY SERVER RELAY EXPECTATIONS
expect() {
	kind=$1 f=$2 h=$3 model=$4 name=$5 id=$6 srv=$7 relay=$8
	shift 8
	remote=203.0.113.5
	case $name in mask-network) remote=10.0.9.5 ;; esac
	got=$(which_relay "$model" "$srv" "$remote")
	case $relay in
	yes) [ "$got" = anonymous ] && r=0 || r=1 ;;
	*) [ "$got" = no ] && r=0 || r=1 ;;
	esac
	ok "$r" "$kind $name: which-connector says relay without authentication: $got (expected relay: $relay)"
	# The two lines of which-connector never disagree: anonymous relay
	# is Submit and Accept-Any-Recipient held together.
	line=$(anon_line "$model" "$srv" "$remote")
	case $line in
	*"relay to any recipient yes, submit yes"*) both=anonymous ;;
	*) both=no ;;
	esac
	[ "$both" = "$got" ] && r=0 || r=1
	ok "$r" "$kind $name: the anonymous client line agrees ($line)"
	for want in "$@"; do
		case $want in
		EVERYONE)
			n=$(xcount "//*[local-name()='finding'][@rule='RELAY-001'][@object='$id']/*[local-name()='message'][@xml:lang='en'][contains(., 'Everyone (S-1-1-0)')]" "$f")
			[ "$n" = 1 ] && r=0 || r=1
			ok "$r" "$kind $name: the relay finding says it depends on an entry for Everyone"
			;;
		!*)
			rule=${want#!}
			n=$(fired "$f" "$rule" "$id")
			hn=$(html_fired "$h" "$rule" "$id")
			[ "$n" = 0 ] && [ "$hn" = 0 ] && r=0 || r=1
			ok "$r" "$kind $name: no $rule in the findings ($n) nor the HTML report ($hn)"
			;;
		*)
			n=$(fired "$f" "$want" "$id")
			hn=$(html_fired "$h" "$want" "$id")
			# Errors are shown twice: critical issues and all issues.
			[ "$n" = 1 ] && [ "$hn" -ge 1 ] && r=0 || r=1
			ok "$r" "$kind $name: $want in the findings ($n) and the HTML report ($hn)"
			;;
		esac
	done
}

