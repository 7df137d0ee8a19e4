# more-aces.awk - give each generated descriptor (one SDDL a line, from
# gen-forest.awk mode=sddl) `extra` more inherited entries, as the
# descriptors of Exchange's own receive connectors have (40 to 60): read
# access for service accounts S-1-5-21-1-2-3-<1000+k>, k < extra.
#
#   awk -v extra=40 -f more-aces.awk < sddl.txt > sddl-more.txt
#
# SPDX-License-Identifier: ISC

{
	more = ""
	for (k = 0; k < extra; k++)
		more = more "(A;CIID;RPLCLORC;;;S-1-5-21-1-2-3-" (1000 + k) ")"
	print $0 more
}
