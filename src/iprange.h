/*
 * iprange.h - IP addresses and ranges as Exchange writes them, and the
 * arithmetic the rules need.
 *
 * Accepted range forms (RemoteIPRanges, RFC 4291/4632 notation):
 *   single address   192.168.5.10        2001:db8::1
 *   range            192.168.5.10-192.168.5.20
 *   CIDR             192.168.5.0/24      2001:db8::/32
 *   address(mask)    192.168.5.0(255.255.255.0)   (0.0.0.0(0.0.0.0): all)
 * IPv4 and IPv6 never mix inside one range.  Addresses are kept in network
 * byte order in 16 bytes; an IPv4 address uses the first 4.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_IPRANGE_H
#define MXBPA_IPRANGE_H

#include <stddef.h>
#include <stdint.h>

struct mx_err;

#define IPRANGE_V4	4
#define IPRANGE_V6	6
#define IPRANGE_ADDR_TEXT	64	/* buffer for one formatted address */

struct ip_addr {
	int	family;		/* IPRANGE_V4 or IPRANGE_V6 */
	uint8_t	bytes[16];	/* network order; v4 uses bytes[0..3] */
};

struct ip_range {
	struct ip_addr	first;
	struct ip_addr	last;	/* same family as first, first <= last */
};

/*
 * Parse an address ("10.0.0.1", "::1", "[::1]").  Returns 0, or -1 with
 * MX_ERR_INPUT naming where.
 */
int	iprange_addr_parse(const char *, struct ip_addr *, struct mx_err *,
	    const char *where);

/* Format an address in its canonical text form (inet_ntop). */
void	iprange_addr_format(const struct ip_addr *, char out[IPRANGE_ADDR_TEXT]);

/*
 * Parse one range in any accepted form.  A CIDR whose address has host
 * bits set is accepted and widened to its network (as Exchange does).
 * first > last, mixed families, prefix lengths out of range and texts
 * over IPRANGE_TEXT_MAX are MX_ERR_INPUT.
 */
int	iprange_parse(const char *, struct ip_range *, struct mx_err *,
	    const char *where);

/* -1, 0, 1 like memcmp; families compare v4 < v6. */
int	iprange_addr_cmp(const struct ip_addr *, const struct ip_addr *);

/* Does the range hold the address (same family only)? */
int	iprange_contains(const struct ip_range *, const struct ip_addr *);

/* Do two ranges share at least one address (same family only)? */
int	iprange_overlaps(const struct ip_range *, const struct ip_range *);

/* Number of addresses in a range, as a double (exact up to 2^53). */
double	iprange_size(const struct ip_range *);

/*
 * Does the union of n ranges cover every address of the family
 * (0.0.0.0-255.255.255.255 or ::-ffff:...:ffff)?  Ranges of the other
 * family are ignored.  The array may be reordered.
 */
int	iprange_set_covers_all(struct ip_range *, size_t n, int family);

/*
 * Sort and merge n ranges in place (adjacent and overlapping ones join);
 * returns the new count.
 */
size_t	iprange_set_normalize(struct ip_range *, size_t n);

#endif /* MXBPA_IPRANGE_H */
