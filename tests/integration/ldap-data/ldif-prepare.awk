# ldif-prepare.awk - make an ldifde-style export loadable by slapadd.
#
# An export holds the interesting entries only; slapadd wants every parent
# first.  This script unfolds the lines (RFC 2849), drops CRs, comments and
# "changetype: add", adds a container for each missing ancestor up to the
# suffix (CN= container, OU= organizationalUnit, DC= domainDNS, classes of
# ad.schema), and prints all entries parents first.  The entries
# themselves are not changed.
#
# Usage: awk -v suffix="DC=contoso,DC=com" -f ldif-prepare.awk FILE...
# SPDX-License-Identifier: ISC

function flush_entry() {
	if (cur == "")
		return
	n++
	text[n] = cur
	dnof[n] = curdn
	have[tolower(curdn)] = 1
	cur = ""
	curdn = ""
}

# Split dn into its RDNs (rdn[1] is the leftmost); returns their number.
# A backslash escapes the next character.
function split_dn(dn, rdn,    i, c, k, part) {
	k = 0
	part = ""
	for (i = 1; i <= length(dn); i++) {
		c = substr(dn, i, 1)
		if (c == "\\") {
			part = part c substr(dn, i + 1, 1)
			i++
		} else if (c == ",") {
			rdn[++k] = part
			part = ""
		} else
			part = part c
	}
	rdn[++k] = part
	return k
}

function unescape(s,    i, c, out) {
	out = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "\\") {
			i++
			c = substr(s, i, 1)
		}
		out = out c
	}
	return out
}

function container(dn, rdn,    eq, type, value, cls) {
	eq = index(rdn, "=")
	type = toupper(substr(rdn, 1, eq - 1))
	value = unescape(substr(rdn, eq + 1))
	if (type == "DC")
		cls = "domainDNS"
	else if (type == "OU")
		cls = "organizationalUnit"
	else {
		cls = "container"
		type = "cn"
	}
	return "dn: " dn "\nobjectClass: top\nobjectClass: " cls "\n" \
	    type ": " value "\n"
}

BEGIN {
	n = 0
	cur = ""
	curdn = ""
	if (suffix == "") {
		print "ldif-prepare.awk: give -v suffix=DN" > "/dev/stderr"
		exit 2
	}
}

# ldifde writes CRLF line ends.
{
	sub(/\r$/, "")
}

# Continuation of a folded line.
/^ / {
	if (last != "")
		last = last substr($0, 2)
	next
}

{
	if (last != "") {
		if (last ~ /^dn:/ && curdn == "") {
			curdn = last
			sub(/^dn:[ ]*/, "", curdn)
		}
		if (last !~ /^changetype:/)
			cur = cur last "\n"
	}
	last = ""
	if ($0 ~ /^#/)
		next
	if ($0 == "") {
		flush_entry()
		next
	}
	last = $0
}

END {
	if (last != "") {
		if (last ~ /^dn:/ && curdn == "") {
			curdn = last
			sub(/^dn:[ ]*/, "", curdn)
		}
		if (last !~ /^changetype:/)
			cur = cur last "\n"
	}
	flush_entry()

	# Every ancestor of every entry, from the suffix down.
	nsuf = split_dn(suffix, srdn)
	maxdepth = 0
	for (i = 1; i <= n; i++) {
		k = split_dn(dnof[i], rdn)
		depth[i] = k
		if (k > maxdepth)
			maxdepth = k
		for (j = k - nsuf + 1; j >= 2; j--) {
			anc = rdn[j]
			for (m = j + 1; m <= k; m++)
				anc = anc "," rdn[m]
			key = tolower(anc)
			if (!(key in have) && !(key in made)) {
				made[key] = 1
				mk++
				mtext[mk] = container(anc, rdn[j])
				mdepth[mk] = k - j + 1
			}
		}
	}
	for (d = 1; d <= maxdepth; d++) {
		for (i = 1; i <= mk; i++)
			if (mdepth[i] == d)
				print mtext[i]
		for (i = 1; i <= n; i++)
			if (depth[i] == d)
				print text[i]
	}
}
