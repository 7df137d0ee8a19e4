#!/bin/sh
# which-connector.sh - "mxbpa which-connector" on tests/data/which-connector.xml:
# the most specific binding, then the smallest remote range holding the
# client, wins; equal candidates are a tie (exit 1); disabled connectors
# never answer.
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"
model=$top/tests/data/which-connector.xml

# answer LOCAL REMOTE STATUS CONNECTOR DESCRIPTION
answer() {
	run_mxbpa which-connector --server EX01 --local "$1" --remote "$2" "$model"
	status_is "$3" "$5: exit $3"
	if grep -q "^Connector: EX01\\\\$4\$" "$scratch/stdout"; then
		ok 0 "$5: $4 answers"
	else
		ok 1 "$5: $4 answers (got: $(grep '^Connector' "$scratch/stdout" | tr '\n' ' '))"
	fi
}

answer 10.1.1.1:25 192.168.0.30 0 "Anon Relay" \
	"192.168.0.30 beats 0.0.0.0-255.255.255.255"
check "the relay connector's answer says it relays anonymously" \
	grep -q "relay without authentication: anonymous" "$scratch/stdout"
answer 10.1.1.5:25 192.168.0.31 0 "Default Frontend EX01" \
	"another client gets the default connector"
check "the default connector does not relay for it" \
	grep -q "relay without authentication: no" "$scratch/stdout"
answer 10.1.1.1:25 10.9.4.4 0 "Bound Partner" \
	"a binding on 10.1.1.1 beats 0.0.0.0"
answer 10.1.1.2:25 10.9.4.4 0 "Default Frontend EX01" \
	"the specific binding does not serve another local address"
answer "[2001:db8::1]:25" 2001:db8::5 0 "V6 Relay" \
	"IPv6: 2001:db8::/64 beats ::/0"
answer "[2001:db8::1]:25" 2001:db9::5 0 "Default Frontend EX01" \
	"IPv6: outside the /64, the default connector"
answer 10.1.1.1:2526 10.2.3.4 1 "Tie A" "a tie between equal ranges"
check "the tie names both connectors" grep -q "^Connector: EX01.Tie B" \
	"$scratch/stdout"
check "the tie is called ambiguous" grep -q "^Ambiguous: 2 connectors" \
	"$scratch/stdout"

run_mxbpa which-connector --server EX01 --local 10.1.1.1:2999 --remote 10.2.3.4 "$model"
status_is 1 "no connector on that port: exit 1"
check "no connector on that port is said" grep -q "No enabled connector" \
	"$scratch/stdout"
check "a disabled connector never answers" \
	sh -c "! grep -q 'Connector: EX01.Off' '$scratch/stdout'"

run_mxbpa which-connector --server EX01 --local 10.1.1.1 --remote 10.2.3.4 "$model"
status_is 2 "--local without a port is a usage error"
check "the error names --local" grep -q -- "--local" "$scratch/stderr"
run_mxbpa which-connector --server EX09 --local 10.1.1.1:25 --remote 10.2.3.4 "$model"
status_is 2 "an unknown server is a usage error"
run_mxbpa which-connector --server EX01 --local "[::1]:25" --remote 10.2.3.4 "$model"
status_is 2 "mixed address families are a usage error"

run_mxbpa which-connector --server ex01 --local 10.1.1.1:25 --remote 192.168.0.30 -o "$scratch/answer.txt" "$model"
status_is 0 "which-connector -o FILE, server name in any case"
check "the answer is written to the file" \
	grep -q "^Connector: EX01.Anon Relay" "$scratch/answer.txt"

# The rules that use the same selection code agree with it.
run_mxbpa analyze "$model" --fail-on info -o "$scratch/f.xml"
check "TOPO-003 reports the tie" grep -q 'rule="TOPO-003" severity="warning" category="reliability" object-kind="receive-connector" object="EX01\\Tie A"' "$scratch/f.xml"
check "TOPO-002 finds every enabled connector reachable" \
	sh -c "! grep -q 'rule=\"TOPO-002\"' '$scratch/f.xml'"

# A cross-check finding shows both sides: the probe with its transcript,
# then the connector the configuration gives the probe.
run_mxbpa analyze "$top/tests/rules/CROSS-001/bad.xml" --fail-on info -o "$scratch/x.xml"
ev="//*[local-name()='finding'][@rule='CROSS-001']/*[local-name()='evidence']"
check "the CROSS-001 evidence starts with the probe and its transcript" \
	test "$(xcount "$ev/*[1][local-name()='probe']/*[local-name()='step']" "$scratch/x.xml")" -ge 7
check "the CROSS-001 evidence then holds the connector the configuration chose" \
	test "$(xcount "$ev/*[2][local-name()='receive-connector'][@identity='EX01\\Default Frontend EX01']" "$scratch/x.xml")" = 1
# An accepted domain "*" (or "*.co.uk") of a relay type makes every
# recipient the organisation's: the default connector then relays for an
# anonymous client that may submit.
for wild in '*' '*.co.uk'; do
	sed "s|<accepted-domain name=\"contoso.com\"|<accepted-domain name=\"$wild\" type=\"ExternalRelay\" default=\"false\"/><accepted-domain name=\"contoso.com\"|" \
	    "$model" >"$scratch/wild.xml"
	run_mxbpa which-connector --server EX01 --local 10.1.1.5:25 \
	    --remote 192.168.0.31 "$scratch/wild.xml"
	check "accepted domain $wild: the default connector relays through it" \
		grep -q "relay without authentication: through the accepted domain" "$scratch/stdout"
	check "accepted domain $wild: the answer names the domain and its type" \
		grep -qF "accepted domain \"$wild\" (ExternalRelay): every recipient" "$scratch/stdout"
done
sed 's|<accepted-domain name="contoso.com"|<accepted-domain name="*.contoso.co.uk" type="ExternalRelay" default="false"/><accepted-domain name="contoso.com"|' \
    "$model" >"$scratch/wild.xml"
run_mxbpa which-connector --server EX01 --local 10.1.1.5:25 \
    --remote 192.168.0.31 "$scratch/wild.xml"
check "accepted domain *.contoso.co.uk (no public suffix): no relay" \
	grep -q "relay without authentication: no" "$scratch/stdout"

# A Front End Transport and a Transport connector on one address and port:
# a conflict, told apart per service (TOPO-004's fixtures).
run_mxbpa which-connector --server EX01 --local 10.1.1.1:25 --remote 8.8.8.8 \
    "$top/tests/rules/TOPO-004/bad.xml"
status_is 1 "two transport roles on 0.0.0.0:25: no single answer, exit 1"
check "the conflict is named with both roles" \
	grep -q "^Conflict: connectors of 2 transport roles (FrontendTransport, HubTransport)" "$scratch/stdout"
check "the Front End Transport service's choice is told apart" \
	sh -c "grep -A1 '^If the FrontendTransport service answers:' '$scratch/stdout' | grep -q 'Connector: EX01.Default Frontend EX01'"
check "the Transport service's choice is told apart" \
	sh -c "grep -A1 '^If the HubTransport service answers:' '$scratch/stdout' | grep -q 'Connector: EX01.Default EX01'"
run_mxbpa which-connector --server EX01 --local 10.1.1.1:25 --remote 8.8.8.8 \
    "$top/tests/rules/TOPO-004/good.xml"
status_is 0 "the Transport service on 2525: one answer, exit 0"
check "no conflict is said" sh -c "! grep -q Conflict '$scratch/stdout'"

finish
