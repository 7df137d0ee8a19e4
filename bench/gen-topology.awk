# gen-topology.awk - write a large, valid topology model (urn:mxbpa:model:1)
# for benchmarks and scale tests.
#
#   awk -v servers=2000 -v connectors=5 -v aces=30 -v seed=1 \
#       -f bench/gen-topology.awk > big-model.xml
#
# servers      Exchange servers (default 2000)
# connectors   receive connectors per server (default 5: 10,000 in all)
# aces         permission entries per connector (default 30: 300,000)
# seed         seed of the pseudo-random choices: same seed, same bytes
#
# Each server gets the five connectors Exchange creates (default frontend,
# default, client frontend, client proxy, outbound proxy) and, past five,
# custom relay connectors.  A share of them is misconfigured the way real
# organisations are (anonymous relay to everyone, broad relay ranges,
# protocol logging off, basic authentication without TLS), so that the
# rules have work to do and findings to write.  The permission entries
# mix the Exchange defaults with per-server service accounts.
# SPDX-License-Identifier: ISC

function esc(s) {
	gsub(/&/, "\\&amp;", s)
	gsub(/</, "\\&lt;", s)
	gsub(/>/, "\\&gt;", s)
	gsub(/"/, "\\&quot;", s)
	return s
}

function pick(n) {
	return int(rand() * n)
}

function ip(srv, host) {
	return sprintf("10.%d.%d.%d", int(srv / 250) % 250, srv % 250 + 1, host)
}

function binding(addr, port,    fam, text) {
	fam = (index(addr, ":") > 0) ? "ipv6" : "ipv4"
	text = (fam == "ipv6") ? ("[" addr "]:" port) : (addr ":" port)
	printf "        <binding text=\"%s\" address=\"%s\" port=\"%d\" family=\"%s\"/>\n", text, addr, port, fam
}

function range(text, first, last) {
	printf "        <remote-ip-range text=\"%s\" first=\"%s\" last=\"%s\" family=\"ipv4\"/>\n", text, first, last
}

function group(name) {
	printf "        <permission-group name=\"%s\"/>\n", name
}

function auth(name) {
	printf "        <auth-mechanism name=\"%s\"/>\n", name
}

function ace(principal, sid, type, right, inherited) {
	printf "        <ace principal=\"%s\" sid=\"%s\" type=\"%s\" right=\"%s\" access=\"ExtendedRight\" inherited=\"%s\" inheritance=\"None\"/>\n", esc(principal), sid, type, right, inherited
}

# write_aces(SRV, N, ANON): N permission entries, the anonymous relay right first
# when ANON.
function write_aces(srv, n, anon,    i, r, k) {
	k = 0
	if (anon) {
		ace("NT AUTHORITY\\ANONYMOUS LOGON", "S-1-5-7", "allow",
		    "ms-Exch-SMTP-Accept-Any-Recipient", "false")
		k++
	}
	for (i = 0; k < n; i++) {
		r = rights[i % nrights + 1]
		if (i % 3 == 0)
			ace("MS Exchange\\Externally Secured Servers",
			    "S-1-5-21-1004336348-1177238915-682003330-" 5000 + i % 7,
			    "allow", r, "true")
		else if (i % 3 == 1)
			ace("CONTOSO\\svc-app" (srv * 7 + i) % 997,
			    "S-1-5-21-1004336348-1177238915-682003330-" 20000 + (srv * 7 + i) % 997,
			    "allow", r, "false")
		else
			ace("NT AUTHORITY\\Authenticated Users", "S-1-5-11",
			    (i % 29 == 2) ? "deny" : "allow", r, "true")
		k++
	}
}

function connector(srv, c, name,    ident, anon, broad, logging, basic,
    role, enabled, rate, per_source) {
	ident = sprintf("EX%04d\\%s", srv, name)
	anon = (c >= 5 && pick(4) == 0) || (c == 0 && pick(50) == 0)
	broad = anon && pick(10) == 0
	logging = pick(5) == 0 ? "None" : "Verbose"
	basic = c == 2 && pick(8) == 0
	role = (c == 1 || c == 4) ? "HubTransport" : "FrontendTransport"
	enabled = (pick(40) == 0) ? "false" : "true"
	rate = (c >= 5) ? "unlimited" : "600"
	per_source = (c >= 5) ? "unlimited" : "20"
	printf "      <receive-connector name=\"%s\" identity=\"%s\" role=\"%s\" enabled=\"%s\" fqdn=\"ex%04d.contoso.com\" protocol-logging=\"%s\" require-tls=\"false\" max-message-size=\"36700160\" message-rate-limit=\"%s\" max-inbound-connection=\"5000\" max-inbound-connection-per-source=\"%s\" max-recipients-per-message=\"200\">\n",
	    esc(name), esc(ident), role, enabled, srv, logging, rate, per_source
	if (c == 0) {
		binding("0.0.0.0", 25)
		binding("::", 25)
	} else if (c == 1) {
		binding("0.0.0.0", 2525)
	} else if (c == 2) {
		binding("0.0.0.0", 587)
	} else if (c == 3) {
		binding("0.0.0.0", 465)
	} else if (c == 4) {
		binding("0.0.0.0", 717)
	} else {
		binding(ip(srv, 1), 25)
	}
	if (c < 5 || broad)
		range("0.0.0.0-255.255.255.255", "0.0.0.0", "255.255.255.255")
	else
		range(ip(srv, 100 + c), ip(srv, 100 + c), ip(srv, 100 + c))
	if (c == 0 || anon)
		group("AnonymousUsers")
	group("ExchangeServers")
	if (c == 2)
		group("ExchangeUsers")
	auth("Tls")
	if (basic)
		auth("BasicAuth")
	write_aces(srv, aces_per, anon)
	printf "        <setting name=\"Comment\" value=\"generated %d/%d\"/>\n", srv, c
	printf "      </receive-connector>\n"
}

BEGIN {
	if (servers == "") servers = 2000
	if (connectors == "") connectors = 5
	if (aces == "") aces = 30
	if (seed == "") seed = 1
	aces_per = aces + 0
	srand(seed)
	nrights = split("ms-Exch-SMTP-Submit ms-Exch-SMTP-Accept-Any-Sender " \
	    "ms-Exch-SMTP-Accept-Authoritative-Domain-Sender " \
	    "ms-Exch-Accept-Headers-Routing ms-Exch-SMTP-Accept-Any-Recipient " \
	    "ms-Exch-Bypass-Anti-Spam ms-Exch-SMTP-Accept-Exch50 " \
	    "ms-Exch-Accept-Headers-Organization", rights, " ")
	split("Default Frontend,Default,Client Frontend,Client Proxy," \
	    "Outbound Proxy Frontend", defaults, ",")
	print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	print "<topology xmlns=\"urn:mxbpa:model:1\" version=\"1\" collected=\"2026-11-23T10:00:00Z\" generator=\"gen-topology.awk\">"
	printf "  <source kind=\"model\" location=\"gen-topology.awk servers=%d connectors=%d aces=%d seed=%d\" sha256=\"%064d\" objects=\"%d\"/>\n",
	    servers, connectors, aces, seed, 0, servers * connectors
	print "  <organization name=\"Contoso\">"
	print "    <accepted-domain name=\"contoso.com\" type=\"Authoritative\" default=\"true\"/>"
	print "    <accepted-domain name=\"fabrikam.com\" type=\"InternalRelay\" default=\"false\"/>"
	for (s = 0; s < servers; s++) {
		printf "    <server name=\"EX%04d\" fqdn=\"ex%04d.contoso.com\" version=\"15.2.1118.7\" roles=\"Mailbox\">\n", s, s
		printf "      <address ip=\"%s\" origin=\"binding\"/>\n", ip(s, 1)
		for (c = 0; c < connectors; c++) {
			if (c < 5)
				name = defaults[c + 1] " EX" sprintf("%04d", s)
			else
				name = sprintf("Relay %02d", c - 4)
			connector(s, c, name)
		}
		print "    </server>"
	}
	print "  </organization>"
	print "</topology>"
}
