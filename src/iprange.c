/*
 * iprange.c - IP addresses and ranges as Exchange writes them in
 * RemoteIPRanges, and the arithmetic the rules need (see iprange.h).
 *
 * Addresses are parsed with inet_pton(3) (RFC 791 dotted quads, RFC 4291
 * section 2.2 text forms) and printed with inet_ntop(3), which gives the
 * RFC 5952 canonical IPv6 form.  CIDR blocks follow RFC 4632.  Arithmetic
 * works on the 16-byte network-order arrays directly, one byte at a time,
 * so no 128-bit integer type is needed.
 *
 * Decisions on the accepted syntax, all strict because every text comes
 * from a hostile export:
 *   - no white space anywhere (importers trim values before parsing);
 *   - brackets are accepted around an IPv6 address only ("[::1]");
 *   - a prefix length is 1 to 3 decimal digits without a leading zero
 *     ("/0" is fine, "/08" is refused: leading zeros read as octal in
 *     some tools, so such a text is ambiguous);
 *   - a range has exactly one '-' and never carries a prefix length;
 *   - Exchange's IPRange also reads "address(mask)" (its SubnetMask
 *     format, exchange-facts.md [DEC-IPR]): the mask must be of the
 *     address's family and contiguous, and the form mixes with no other.
 *
 * SPDX-License-Identifier: ISC
 */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "err.h"
#include "iprange.h"
#include "util.h"

#define IPRANGE_QUOTE_LEN	48	/* bytes of a hostile text quoted */

static size_t
iprange_addr_len(int family)
{
	return family == IPRANGE_V4 ? 4 : 16;
}

/*
 * Copy at most IPRANGE_QUOTE_LEN bytes of s into out for a message, with
 * control bytes replaced so a hostile text cannot drive a terminal.
 */
static void
iprange_quote(const char *s, char out[IPRANGE_QUOTE_LEN + 4])
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < IPRANGE_QUOTE_LEN; i++) {
		unsigned char c = (unsigned char)s[i];

		out[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	if (s[i] != '\0') {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
}

/*
 * Parse the n bytes at s as one address, without any message.  Returns 0
 * or -1.
 */
static int
iprange_addr_parse_n(const char *s, size_t n, struct ip_addr *a)
{
	char buf[IPRANGE_TEXT_MAX + 1];
	int bracketed = 0;

	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
		bracketed = 1;
	}
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(a, 0, sizeof(*a));
	if (memchr(buf, ':', n) != NULL) {
		a->family = IPRANGE_V6;
		return inet_pton(AF_INET6, buf, a->bytes) == 1 ? 0 : -1;
	}
	if (bracketed)
		return -1;
	a->family = IPRANGE_V4;
	return inet_pton(AF_INET, buf, a->bytes) == 1 ? 0 : -1;
}

/*
 * Check the length of a text to parse.  Returns 0, or -1 with
 * MX_ERR_INPUT for an empty or oversized text.
 */
static int
iprange_check_text(const char *s, const char *what, struct mx_err *err,
    const char *where)
{
	char q[IPRANGE_QUOTE_LEN + 4];

	if (s == NULL || *s == '\0')
		return mx_err_set(err, MX_ERR_INPUT, where, "empty %s", what);
	if (strnlen(s, IPRANGE_TEXT_MAX + 1) > IPRANGE_TEXT_MAX) {
		iprange_quote(s, q);
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "%s longer than IPRANGE_TEXT_MAX (%d bytes): \"%s\"",
		    what, IPRANGE_TEXT_MAX, q);
	}
	return 0;
}

/*
 * Parse an address ("10.0.0.1", "::1", "[::1]").  Returns 0, or -1 with
 * MX_ERR_INPUT naming where.
 */
int
iprange_addr_parse(const char *s, struct ip_addr *a, struct mx_err *err,
    const char *where)
{
	char q[IPRANGE_QUOTE_LEN + 4];

	if (iprange_check_text(s, "IP address", err, where) == -1)
		return -1;
	if (iprange_addr_parse_n(s, strlen(s), a) == -1) {
		iprange_quote(s, q);
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "not an IP address: \"%s\"", q);
	}
	return 0;
}

/*
 * Format an address in its canonical text form (inet_ntop).  An address
 * of no known family prints as "invalid".
 */
void
iprange_addr_format(const struct ip_addr *a, char out[IPRANGE_ADDR_TEXT])
{
	int af;

	if (a->family == IPRANGE_V4)
		af = AF_INET;
	else if (a->family == IPRANGE_V6)
		af = AF_INET6;
	else {
		util_strlcpy(out, "invalid", IPRANGE_ADDR_TEXT);
		return;
	}
	if (inet_ntop(af, a->bytes, out, IPRANGE_ADDR_TEXT) == NULL)
		util_strlcpy(out, "invalid", IPRANGE_ADDR_TEXT);
}

/*
 * Parse a prefix length: 1 to 3 digits, no leading zero except "0" itself,
 * at most maxbits.  Returns 0 or -1 (no message: the caller quotes the
 * whole range).
 */
static int
iprange_prefix_parse(const char *s, unsigned maxbits, unsigned *bits)
{
	struct mx_err scratch;
	uint32_t v;
	size_t i, n = strlen(s);

	if (n == 0 || n > 3 || (s[0] == '0' && n > 1))
		return -1;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	mx_err_init(&scratch);
	if (parse_u32(s, maxbits, &v, &scratch, NULL) == -1)
		return -1;
	*bits = v;
	return 0;
}

/* The CIDR block of bits leading bits around a (host bits may be set). */
static void
iprange_cidr(const struct ip_addr *a, unsigned bits, struct ip_range *r)
{
	size_t i, len = iprange_addr_len(a->family);

	r->first = *a;
	r->last = *a;
	for (i = 0; i < len; i++) {
		unsigned keep;
		uint8_t mask;

		if (bits >= 8 * (i + 1))
			keep = 8;
		else if (bits <= 8 * i)
			keep = 0;
		else
			keep = bits - 8 * (unsigned)i;
		mask = keep == 0 ? 0 : (uint8_t)(0xffu << (8 - keep));
		r->first.bytes[i] = a->bytes[i] & mask;
		r->last.bytes[i] = a->bytes[i] | (uint8_t)~mask;
	}
}

/* Parse "address/bits" (slash points at the '/').  Returns 0 or -1. */
static int
iprange_parse_cidr(const char *s, const char *slash, struct ip_range *r)
{
	struct ip_addr a;
	unsigned bits;

	if (iprange_addr_parse_n(s, (size_t)(slash - s), &a) == -1 ||
	    iprange_prefix_parse(slash + 1, a.family == IPRANGE_V4 ? 32 : 128,
	    &bits) == -1)
		return -1;
	iprange_cidr(&a, bits, r);
	return 0;
}

/*
 * The prefix length of a subnet mask whose bits are contiguous; -1 for
 * a mask with a hole (Exchange refuses those too).
 */
static int
iprange_mask_bits(const struct ip_addr *m)
{
	size_t i, len = iprange_addr_len(m->family);
	int bits = 0, ended = 0;
	unsigned b;

	for (i = 0; i < len; i++)
		for (b = 0x80; b != 0; b >>= 1) {
			if (m->bytes[i] & b) {
				if (ended)
					return -1;
				bits++;
			} else
				ended = 1;
		}
	return bits;
}

/*
 * Parse Exchange's "address(mask)" form ("10.0.9.0(255.255.255.0)"; paren
 * points at the '(').  The mask is of the address's family, contiguous;
 * host bits of the address are widened as for CIDR.  Returns 0 or -1.
 */
static int
iprange_parse_masked(const char *s, const char *paren, struct ip_range *r)
{
	struct ip_addr a, m;
	size_t n = strlen(paren);
	int bits;

	if (n < 3 || paren[n - 1] != ')' ||
	    memchr(paren + 1, '(', n - 2) != NULL ||
	    iprange_addr_parse_n(s, (size_t)(paren - s), &a) == -1 ||
	    iprange_addr_parse_n(paren + 1, n - 2, &m) == -1 ||
	    a.family != m.family || (bits = iprange_mask_bits(&m)) < 0)
		return -1;
	iprange_cidr(&a, (unsigned)bits, r);
	return 0;
}

/*
 * Parse "first-last" (dash points at the only '-').  Returns 0, or -1
 * with a message naming the fault and quoting q.
 */
static int
iprange_parse_pair(const char *s, const char *dash, struct ip_range *r,
    const char *q, struct mx_err *err, const char *where)
{
	const char *last = dash + 1;

	if (strchr(last, '-') != NULL ||
	    iprange_addr_parse_n(s, (size_t)(dash - s), &r->first) == -1 ||
	    iprange_addr_parse_n(last, strlen(last), &r->last) == -1)
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "not an IP range (first-last): \"%s\"", q);
	if (r->first.family != r->last.family)
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "IP range mixes IPv4 and IPv6: \"%s\"", q);
	if (iprange_addr_cmp(&r->first, &r->last) > 0)
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "IP range ends before it starts: \"%s\"", q);
	return 0;
}

/*
 * Parse one range in any accepted form (see iprange.h and the decisions
 * at the top of this file).  Returns 0, or -1 with MX_ERR_INPUT naming
 * where and quoting the text.
 */
int
iprange_parse(const char *s, struct ip_range *r, struct mx_err *err,
    const char *where)
{
	char q[IPRANGE_QUOTE_LEN + 4];
	const char *slash, *dash, *paren;

	if (iprange_check_text(s, "IP range", err, where) == -1)
		return -1;
	iprange_quote(s, q);
	slash = strchr(s, '/');
	dash = strchr(s, '-');
	paren = strchr(s, '(');
	if (paren != NULL || strchr(s, ')') != NULL) {
		if (slash != NULL || dash != NULL || paren == NULL ||
		    iprange_parse_masked(s, paren, r) == -1)
			return mx_err_set(err, MX_ERR_INPUT, where,
			    "not an address with a subnet mask "
			    "(address(mask), contiguous mask of the same "
			    "family): \"%s\"", q);
		return 0;
	}
	if (slash != NULL && dash != NULL)
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "IP range mixes CIDR and first-last forms: \"%s\"", q);
	if (slash != NULL) {
		if (iprange_parse_cidr(s, slash, r) == -1)
			return mx_err_set(err, MX_ERR_INPUT, where,
			    "not a CIDR block (address/0-32 or "
			    "address/0-128): \"%s\"", q);
		return 0;
	}
	if (dash != NULL)
		return iprange_parse_pair(s, dash, r, q, err, where);
	if (iprange_addr_parse_n(s, strlen(s), &r->first) == -1)
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "not an IP address, range or CIDR block: \"%s\"", q);
	r->last = r->first;
	return 0;
}

/* -1, 0, 1 like memcmp; families compare v4 < v6. */
int
iprange_addr_cmp(const struct ip_addr *a, const struct ip_addr *b)
{
	int c;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	c = memcmp(a->bytes, b->bytes, iprange_addr_len(a->family));
	return (c > 0) - (c < 0);
}

/* Does the range hold the address (same family only)? */
int
iprange_contains(const struct ip_range *r, const struct ip_addr *a)
{
	return r->first.family == a->family &&
	    iprange_addr_cmp(&r->first, a) <= 0 &&
	    iprange_addr_cmp(a, &r->last) <= 0;
}

/* Do two ranges share at least one address (same family only)? */
int
iprange_overlaps(const struct ip_range *a, const struct ip_range *b)
{
	return a->first.family == b->first.family &&
	    iprange_addr_cmp(&a->first, &b->last) <= 0 &&
	    iprange_addr_cmp(&b->first, &a->last) <= 0;
}

/*
 * Number of addresses in a range, as a double (exact up to 2^53): last -
 * first + 1, subtracted and incremented byte by byte.
 */
double
iprange_size(const struct ip_range *r)
{
	uint8_t d[16];
	size_t i, len = iprange_addr_len(r->first.family);
	unsigned borrow = 0, carry = 1;
	double v = 0.0;

	for (i = len; i-- > 0;) {
		int x = (int)r->last.bytes[i] - (int)r->first.bytes[i] -
		    (int)borrow;

		borrow = x < 0;
		d[i] = (uint8_t)(x < 0 ? x + 256 : x);
	}
	for (i = len; i-- > 0 && carry;) {
		carry = d[i] == 0xff;
		d[i]++;
	}
	if (carry)	/* the whole family: 2^32 or 2^128 */
		v = 1.0;
	for (i = 0; i < len; i++)
		v = v * 256.0 + d[i];
	return v;
}

/* Is a the highest address of its family? */
static int
iprange_addr_is_max(const struct ip_addr *a)
{
	size_t i, len = iprange_addr_len(a->family);

	for (i = 0; i < len; i++)
		if (a->bytes[i] != 0xff)
			return 0;
	return 1;
}

/* The address after a; a must not be the highest of its family. */
static void
iprange_addr_next(const struct ip_addr *a, struct ip_addr *next)
{
	size_t i = iprange_addr_len(a->family);

	*next = *a;
	while (i-- > 0)
		if (++next->bytes[i] != 0)
			break;
}

static int
iprange_range_cmp(const void *pa, const void *pb)
{
	const struct ip_range *a = pa, *b = pb;
	int c = iprange_addr_cmp(&a->first, &b->first);

	return c != 0 ? c : iprange_addr_cmp(&a->last, &b->last);
}

/*
 * Does the union of n ranges cover every address of the family?  The
 * array is sorted in place; then one sweep follows the lowest address not
 * yet covered.
 */
int
iprange_set_covers_all(struct ip_range *r, size_t n, int family)
{
	struct ip_addr need;
	size_t i;

	if (n == 0)
		return 0;
	qsort(r, n, sizeof(*r), iprange_range_cmp);
	memset(&need, 0, sizeof(need));
	need.family = family;
	for (i = 0; i < n; i++) {
		if (r[i].first.family != family)
			continue;
		if (iprange_addr_cmp(&r[i].first, &need) > 0)
			return 0;	/* a gap before this range */
		if (iprange_addr_cmp(&r[i].last, &need) < 0)
			continue;	/* inside what is covered already */
		if (iprange_addr_is_max(&r[i].last))
			return 1;
		iprange_addr_next(&r[i].last, &need);
	}
	return 0;
}

/*
 * Sort and merge n ranges in place (adjacent and overlapping ones of the
 * same family join, IPv4 first); returns the new count.
 */
size_t
iprange_set_normalize(struct ip_range *r, size_t n)
{
	struct ip_addr next;
	size_t i, out = 0;

	if (n == 0)
		return 0;
	qsort(r, n, sizeof(*r), iprange_range_cmp);
	for (i = 1; i < n; i++) {
		struct ip_range *cur = &r[out];
		int joins = 0;

		if (r[i].first.family == cur->first.family) {
			if (iprange_addr_cmp(&r[i].first, &cur->last) <= 0)
				joins = 1;
			else if (!iprange_addr_is_max(&cur->last)) {
				iprange_addr_next(&cur->last, &next);
				joins = iprange_addr_cmp(&r[i].first,
				    &next) == 0;
			}
		}
		if (!joins)
			r[++out] = r[i];
		else if (iprange_addr_cmp(&r[i].last, &cur->last) > 0)
			cur->last = r[i].last;
	}
	return out + 1;
}
