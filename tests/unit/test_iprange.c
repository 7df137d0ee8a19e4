/*
 * test_iprange.c - unit tests of iprange.c (parsing, formatting, range
 * arithmetic, set normalisation and coverage) and of the mx: XPath
 * functions of xpathfn.c evaluated on a small in-memory model.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "bounds.h"
#include "err.h"
#include "iprange.h"
#include "tap.h"
#include "util.h"
#include "xml.h"
#include "xpathfn.h"

/* Does text parse to the range first-last (canonical forms)? */
static int
parses_to(const char *text, const char *first, const char *last)
{
	struct mx_err err;
	struct ip_range r;
	char f[IPRANGE_ADDR_TEXT], l[IPRANGE_ADDR_TEXT];

	mx_err_init(&err);
	if (iprange_parse(text, &r, &err, "test") == -1) {
		tap_diag("\"%s\": %s", text, err.msg);
		return 0;
	}
	iprange_addr_format(&r.first, f);
	iprange_addr_format(&r.last, l);
	if (strcmp(f, first) != 0 || strcmp(l, last) != 0) {
		tap_diag("\"%s\" gave %s-%s", text, f, l);
		return 0;
	}
	return 1;
}

/*
 * Is text refused as input, with where recorded and (for a short, plain
 * text) the text quoted in the message?
 */
static int
rejected(const char *text)
{
	struct mx_err err;
	struct ip_range r;
	char quoted[IPRANGE_TEXT_MAX + 3];

	mx_err_init(&err);
	if (iprange_parse(text, &r, &err, "model.xml:12") == 0)
		return 0;
	if (err.code != MX_ERR_INPUT ||
	    strcmp(err.where, "model.xml:12") != 0)
		return 0;
	if (text != NULL && *text != '\0' && strlen(text) < 48) {
		snprintf(quoted, sizeof(quoted), "\"%s\"", text);
		if (strstr(err.msg, quoted) == NULL) {
			tap_diag("text not quoted: %s", err.msg);
			return 0;
		}
	}
	return 1;
}

static struct ip_range
range_of(const char *text)
{
	struct mx_err err;
	struct ip_range r;

	mx_err_init(&err);
	if (iprange_parse(text, &r, &err, "test") == -1) {
		fprintf(stderr, "test_iprange: bad fixture %s: %s\n", text,
		    err.msg);
		exit(1);
	}
	return r;
}

static struct ip_addr
addr_of(const char *text)
{
	struct mx_err err;
	struct ip_addr a;

	mx_err_init(&err);
	if (iprange_addr_parse(text, &a, &err, "test") == -1) {
		fprintf(stderr, "test_iprange: bad fixture %s: %s\n", text,
		    err.msg);
		exit(1);
	}
	return a;
}

/* Canonical form of an address text, in a static buffer. */
static const char *
canon(const char *text)
{
	static char out[IPRANGE_ADDR_TEXT];
	struct ip_addr a = addr_of(text);

	iprange_addr_format(&a, out);
	return out;
}

static void
test_parse_v4(void)
{
	tap_check(parses_to("192.168.5.10", "192.168.5.10", "192.168.5.10"),
	    "a single IPv4 address is a range of one address");
	tap_check(parses_to("192.168.5.10-192.168.5.20", "192.168.5.10",
	    "192.168.5.20"), "an IPv4 first-last range keeps both ends");
	tap_check(parses_to("192.168.5.0/24", "192.168.5.0",
	    "192.168.5.255"), "an IPv4 /24 spans 256 addresses");
	tap_check(parses_to("192.168.5.77/24", "192.168.5.0",
	    "192.168.5.255"),
	    "an IPv4 CIDR with host bits set widens to its network");
	tap_check(parses_to("10.1.2.3/32", "10.1.2.3", "10.1.2.3"),
	    "an IPv4 /32 is the single address");
	tap_check(parses_to("10.1.2.3/0", "0.0.0.0", "255.255.255.255"),
	    "an IPv4 /0 is the whole IPv4 space whatever the address");
	tap_check(parses_to("172.16.0.0/12", "172.16.0.0",
	    "172.31.255.255"), "a prefix length inside a byte masks it");
	tap_check(parses_to("0.0.0.0-255.255.255.255", "0.0.0.0",
	    "255.255.255.255"), "the Exchange default range parses");
	tap_check(parses_to("10.0.0.7-10.0.0.7", "10.0.0.7", "10.0.0.7"),
	    "a range whose ends are equal is accepted");
}

static void
test_parse_v6(void)
{
	tap_check(parses_to("2001:db8::1", "2001:db8::1", "2001:db8::1"),
	    "a single IPv6 address is a range of one address");
	tap_check(parses_to("2001:db8::/32", "2001:db8::",
	    "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"),
	    "an IPv6 /32 spans the rest of the address");
	tap_check(parses_to("2001:db8::1234/64", "2001:db8::",
	    "2001:db8::ffff:ffff:ffff:ffff"),
	    "an IPv6 CIDR with host bits set widens to its network");
	tap_check(parses_to("fe80::1/10", "fe80::",
	    "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
	    "an IPv6 prefix length inside a byte masks it");
	tap_check(parses_to("::1/128", "::1", "::1"),
	    "an IPv6 /128 is the single address");
	tap_check(parses_to("::/0", "::",
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
	    "an IPv6 /0 is the whole IPv6 space");
	tap_check(parses_to("::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	    "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
	    "the Exchange default IPv6 range parses");
	tap_check(parses_to("[2001:db8::1]-[2001:db8::9]", "2001:db8::1",
	    "2001:db8::9"), "bracketed IPv6 addresses are accepted in a range");
	tap_check(parses_to("[2001:db8::]/48", "2001:db8::",
	    "2001:db8:0:ffff:ffff:ffff:ffff:ffff"),
	    "a bracketed IPv6 address is accepted in a CIDR block");
}

static void
test_format(void)
{
	struct ip_addr a;

	tap_check(strcmp(canon("2001:DB8:0:0:0:0:0:1"), "2001:db8::1") == 0,
	    "IPv6 is printed in lower case with the zero run compressed");
	tap_check(strcmp(canon("2001:0:0:1:0:0:0:1"), "2001:0:0:1::1") == 0,
	    "the longest zero run is the one compressed");
	tap_check(strcmp(canon("2001:db8:0:1:1:1:1:1"),
	    "2001:db8:0:1:1:1:1:1") == 0,
	    "a single zero field is not compressed");
	tap_check(strcmp(canon("[::1]"), "::1") == 0,
	    "brackets are dropped from the canonical form");
	tap_check(strcmp(canon("::ffff:192.0.2.1"), "::ffff:192.0.2.1") == 0,
	    "an IPv4-mapped address keeps its dotted tail");
	a = addr_of("::ffff:192.0.2.1");
	tap_check(a.family == IPRANGE_V6,
	    "an IPv4-mapped address is of the IPv6 family");
	a = addr_of("192.0.2.1");
	tap_check(a.family == IPRANGE_V4,
	    "a dotted quad is of the IPv4 family");
	tap_check(strcmp(canon("10.0.0.1"), "10.0.0.1") == 0,
	    "an IPv4 address prints as a dotted quad");
	memset(&a, 0, sizeof(a));
	a.family = 5;
	{
		char out[IPRANGE_ADDR_TEXT];

		iprange_addr_format(&a, out);
		tap_check(strcmp(out, "invalid") == 0,
		    "an address of no known family prints as invalid");
	}
}

static void
test_rejections(void)
{
	struct mx_err err;
	struct ip_range r;
	struct ip_addr a;
	char longtext[IPRANGE_TEXT_MAX + 2];

	tap_check(parses_to("10.0.9.0(255.255.255.0)", "10.0.9.0",
	    "10.0.9.255"), "address(mask) is Exchange's subnet-mask form");
	tap_check(parses_to("0.0.0.0(0.0.0.0)", "0.0.0.0",
	    "255.255.255.255"), "0.0.0.0(0.0.0.0) is every IPv4 address");
	tap_check(parses_to("10.0.9.77(255.255.255.0)", "10.0.9.0",
	    "10.0.9.255"), "address(mask) with host bits is widened");
	tap_check(parses_to("192.168.1.1(255.255.255.255)", "192.168.1.1",
	    "192.168.1.1"), "a full mask is one address");
	tap_check(parses_to("2001:db8::(ffff:ffff::)", "2001:db8::",
	    "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"),
	    "an IPv6 address with an IPv6 mask");
	tap_check(rejected("10.0.0.0(255.0.255.0)"),
	    "a mask with a hole is refused");
	tap_check(rejected("10.0.0.0(ffff::)"),
	    "a mask of the other family is refused");
	tap_check(rejected("10.0.0.0(255.255.255.0"),
	    "an unclosed mask is refused");
	tap_check(rejected("10.0.0.0(255.0.0.0)(255.0.0.0)"),
	    "two masks are refused");
	tap_check(rejected("10.0.0.0/8(255.0.0.0)"),
	    "a mask after a prefix length is refused");
	tap_check(rejected("10.0.0.1-10.0.0.9(255.0.0.0)"),
	    "a mask after a range is refused");
	tap_check(rejected("(255.0.0.0)"), "a mask alone is refused");
	tap_check(rejected(""), "an empty range is refused");
	tap_check(rejected(NULL), "a missing range is refused");
	tap_check(rejected("garbage"), "garbage is refused");
	tap_check(rejected("192.168.5"),
	    "a three-part IPv4 address is refused");
	tap_check(rejected("192.168.5.256"),
	    "an IPv4 byte over 255 is refused");
	tap_check(rejected("1.2.3.4.5"), "a five-part IPv4 address is refused");
	tap_check(rejected("192.168.005.1"),
	    "an IPv4 byte with a leading zero is refused");
	tap_check(rejected(" 10.0.0.1"), "leading white space is refused");
	tap_check(rejected("10.0.0.1 "), "trailing white space is refused");
	tap_check(rejected("10.0.0.1x"), "trailing junk after an address is "
	    "refused");
	tap_check(rejected("10.0.0.0/24x"), "trailing junk after a prefix "
	    "length is refused");
	tap_check(rejected("10.0.0.1-10.0.0.2x"), "trailing junk after a "
	    "range is refused");
	tap_check(rejected("192.168.5.20-192.168.5.10"),
	    "a range whose first address is above its last is refused");
	tap_check(rejected("2001:db8::9-2001:db8::1"),
	    "an IPv6 range whose first address is above its last is refused");
	tap_check(rejected("10.0.0.1-::1"),
	    "a range mixing IPv4 and IPv6 is refused");
	tap_check(rejected("::1-10.0.0.1"),
	    "a range mixing IPv6 and IPv4 is refused");
	tap_check(rejected("10.0.0.0/33"), "an IPv4 /33 is refused");
	tap_check(rejected("2001:db8::/129"), "an IPv6 /129 is refused");
	tap_check(parses_to("2001:db8::/33", "2001:db8::",
	    "2001:db8:7fff:ffff:ffff:ffff:ffff:ffff"),
	    "an IPv6 /33 is accepted although an IPv4 one is not");
	tap_check(rejected("10.0.0.0/"), "a slash without a prefix length is "
	    "refused");
	tap_check(rejected("/24"), "a prefix length without an address is "
	    "refused");
	tap_check(rejected("10.0.0.0/-1"), "a negative prefix length is "
	    "refused");
	tap_check(rejected("10.0.0.0/+8"), "a signed prefix length is refused");
	tap_check(rejected("10.0.0.0/08"),
	    "a prefix length with a leading zero is refused");
	tap_check(parses_to("10.0.0.0/8", "10.0.0.0", "10.255.255.255"),
	    "the same prefix length without the leading zero is accepted");
	tap_check(rejected("10.0.0.0/0008"), "a four-digit prefix length is "
	    "refused");
	tap_check(rejected("10.0.0.0/8/8"), "two prefix lengths are refused");
	tap_check(rejected("10.0.0.1-"), "a range without a last address is "
	    "refused");
	tap_check(rejected("-10.0.0.1"), "a range without a first address is "
	    "refused");
	tap_check(rejected("10.0.0.1-10.0.0.2-10.0.0.3"),
	    "a range with two dashes is refused");
	tap_check(rejected("10.0.0.0/8-10.255.255.255"),
	    "a range mixing CIDR and first-last forms is refused");
	tap_check(rejected("[10.0.0.1]"), "brackets around IPv4 are refused");
	tap_check(rejected("[::1"), "an unclosed bracket is refused");
	tap_check(rejected("[]"), "empty brackets are refused");
	tap_check(rejected("fe80::1%eth0"), "an IPv6 zone index is refused");
	tap_check(rejected("10.0.0.1:25"), "an address with a port is refused");
	tap_check(rejected("2001:db8:::1"), "a triple colon is refused");

	memset(longtext, '1', IPRANGE_TEXT_MAX + 1);
	longtext[IPRANGE_TEXT_MAX + 1] = '\0';
	mx_err_init(&err);
	tap_check(iprange_parse(longtext, &r, &err, "x") == -1 &&
	    err.code == MX_ERR_INPUT &&
	    strstr(err.msg, "IPRANGE_TEXT_MAX") != NULL,
	    "a text over IPRANGE_TEXT_MAX is refused naming the limit");
	longtext[IPRANGE_TEXT_MAX] = '\0';
	mx_err_init(&err);
	tap_check(iprange_parse(longtext, &r, &err, "x") == -1 &&
	    strstr(err.msg, "IPRANGE_TEXT_MAX") == NULL,
	    "a text of exactly IPRANGE_TEXT_MAX bytes is judged on content");

	mx_err_init(&err);
	tap_check(iprange_parse("\x1b[31m10.0.0.1", &r, &err, "x") == -1 &&
	    strchr(err.msg, '\x1b') == NULL,
	    "control bytes of a refused text never reach the message");

	mx_err_init(&err);
	tap_check(iprange_addr_parse("[::1]", &a, &err, "x") == 0,
	    "an address may be bracketed IPv6");
	mx_err_init(&err);
	tap_check(iprange_addr_parse("10.0.0.0/8", &a, &err, "x") == -1 &&
	    err.code == MX_ERR_INPUT &&
	    strstr(err.msg, "\"10.0.0.0/8\"") != NULL,
	    "a CIDR block is not an address");
	mx_err_init(&err);
	tap_check(iprange_addr_parse("10.0.0.1-10.0.0.2", &a, &err, "x") == -1,
	    "a range is not an address");
	mx_err_init(&err);
	tap_check(iprange_addr_parse("", &a, &err, "x") == -1 &&
	    err.code == MX_ERR_INPUT, "an empty address is refused");
}

static void
test_compare(void)
{
	struct ip_addr a = addr_of("10.0.0.1"), b = addr_of("10.0.0.2");
	struct ip_addr c = addr_of("::"), d = addr_of("255.255.255.255");

	tap_check(iprange_addr_cmp(&a, &b) == -1 &&
	    iprange_addr_cmp(&b, &a) == 1,
	    "10.0.0.1 sorts before 10.0.0.2 and not after it");
	tap_check(iprange_addr_cmp(&a, &a) == 0,
	    "an address compares equal to itself");
	tap_check(iprange_addr_cmp(&d, &c) == -1 &&
	    iprange_addr_cmp(&c, &d) == 1,
	    "every IPv4 address sorts before every IPv6 address");
}

static void
test_contains_overlaps(void)
{
	struct ip_range r8 = range_of("10.0.0.0/8");
	struct ip_range v4all = range_of("0.0.0.0/0");
	struct ip_range v6net = range_of("2001:db8::/64");
	struct ip_range v6all = range_of("::/0");
	struct ip_range o1 = range_of("10.200.0.0-12.0.0.0");
	struct ip_range o2 = range_of("11.0.0.0/8");
	struct ip_addr a;

	a = addr_of("10.255.255.255");
	tap_check(iprange_contains(&r8, &a),
	    "10.0.0.0/8 contains its last address 10.255.255.255");
	a = addr_of("10.0.0.0");
	tap_check(iprange_contains(&r8, &a),
	    "10.0.0.0/8 contains its first address 10.0.0.0");
	a = addr_of("11.0.0.1");
	tap_check(!iprange_contains(&r8, &a),
	    "10.0.0.0/8 does not contain 11.0.0.1");
	a = addr_of("9.255.255.255");
	tap_check(!iprange_contains(&r8, &a),
	    "10.0.0.0/8 does not contain 9.255.255.255");
	a = addr_of("::ffff:10.0.0.1");
	tap_check(!iprange_contains(&r8, &a),
	    "an IPv4 range does not contain an IPv6 address");
	a = addr_of("2001:db8::5");
	tap_check(iprange_contains(&v6net, &a),
	    "2001:db8::/64 contains 2001:db8::5");
	a = addr_of("2001:db8:0:1::5");
	tap_check(!iprange_contains(&v6net, &a),
	    "2001:db8::/64 does not contain 2001:db8:0:1::5");

	tap_check(iprange_overlaps(&r8, &o1) && iprange_overlaps(&o1, &r8),
	    "10.0.0.0/8 and 10.200.0.0-12.0.0.0 overlap both ways");
	tap_check(!iprange_overlaps(&r8, &o2) && !iprange_overlaps(&o2, &r8),
	    "10.0.0.0/8 and 11.0.0.0/8 do not overlap although adjacent");
	tap_check(iprange_overlaps(&v4all, &r8),
	    "0.0.0.0/0 overlaps 10.0.0.0/8");
	tap_check(!iprange_overlaps(&v6net, &v4all),
	    "IPv6 /64 does not cover 0.0.0.0/0");
	tap_check(!iprange_overlaps(&v6all, &v4all),
	    "::/0 and 0.0.0.0/0 do not overlap");
	tap_check(iprange_overlaps(&v6all, &v6net),
	    "::/0 overlaps 2001:db8::/64");
}

static void
test_size(void)
{
	struct ip_range r;

	r = range_of("192.168.5.0/24");
	tap_check(iprange_size(&r) == 256.0, "an IPv4 /24 has 256 addresses");
	r = range_of("192.168.5.0/25");
	tap_check(iprange_size(&r) == 128.0, "an IPv4 /25 has 128, not 256");
	r = range_of("192.168.5.10");
	tap_check(iprange_size(&r) == 1.0, "a single address has size 1");
	r = range_of("192.168.5.10-192.168.6.9");
	tap_check(iprange_size(&r) == 256.0,
	    "a range across a byte boundary borrows correctly");
	r = range_of("0.0.0.0/0");
	tap_check(iprange_size(&r) == 4294967296.0,
	    "the whole IPv4 space has 2^32 addresses");
	r = range_of("0.0.0.0-255.255.255.254");
	tap_check(iprange_size(&r) == 4294967295.0,
	    "the IPv4 space less one address has 2^32 - 1");
	r = range_of("2001:db8::/76");
	tap_check(iprange_size(&r) == 4503599627370496.0,
	    "an IPv6 /76 has exactly 2^52 addresses");
	r = range_of("2001:db8::/64");
	tap_check(iprange_size(&r) == 18446744073709551616.0,
	    "an IPv6 /64 has 2^64 addresses");
	r = range_of("::/0");
	tap_check(iprange_size(&r) ==
	    340282366920938463463374607431768211456.0,
	    "the whole IPv6 space has 2^128 addresses");
	r = range_of("::/1");
	tap_check(iprange_size(&r) ==
	    170141183460469231731687303715884105728.0,
	    "half the IPv6 space has 2^127 addresses");
}

static void
test_normalize(void)
{
	struct ip_range v[6];
	char f[IPRANGE_ADDR_TEXT], l[IPRANGE_ADDR_TEXT];
	size_t n;

	v[0] = range_of("10.0.0.128/25");
	v[1] = range_of("10.0.0.0/25");
	n = iprange_set_normalize(v, 2);
	iprange_addr_format(&v[0].first, f);
	iprange_addr_format(&v[0].last, l);
	tap_check(n == 1 && strcmp(f, "10.0.0.0") == 0 &&
	    strcmp(l, "10.0.0.255") == 0,
	    "two adjacent /25 halves merge into one /24");

	v[0] = range_of("10.0.0.12-10.0.0.20");
	v[1] = range_of("10.0.0.0-10.0.0.10");
	n = iprange_set_normalize(v, 2);
	iprange_addr_format(&v[0].first, f);
	tap_check(n == 2 && strcmp(f, "10.0.0.0") == 0,
	    "ranges with a one-address gap stay apart, sorted");

	v[0] = range_of("10.0.0.0-10.0.0.100");
	v[1] = range_of("10.0.0.50-10.0.0.60");
	v[2] = range_of("10.0.0.0-10.0.0.100");
	n = iprange_set_normalize(v, 3);
	iprange_addr_format(&v[0].last, l);
	tap_check(n == 1 && strcmp(l, "10.0.0.100") == 0,
	    "contained and duplicate ranges merge into the widest");

	v[0] = range_of("::1");
	v[1] = range_of("10.0.0.1");
	v[2] = range_of("0.0.0.0");
	v[3] = range_of("255.255.255.255");
	v[4] = range_of("::");
	v[5] = range_of("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	n = iprange_set_normalize(v, 6);
	tap_check(n == 5 && v[0].first.family == IPRANGE_V4 &&
	    v[2].first.family == IPRANGE_V4 &&
	    v[3].first.family == IPRANGE_V6,
	    "IPv4 sorts before IPv6 and the families never merge");
	iprange_addr_format(&v[3].last, l);
	tap_check(strcmp(l, "::1") == 0,
	    "adjacent IPv6 addresses :: and ::1 merge");

	v[0] = range_of("255.255.255.0/24");
	v[1] = range_of("255.255.255.255");
	n = iprange_set_normalize(v, 2);
	tap_check(n == 1, "merging at the top of the space does not wrap");
	tap_check(iprange_set_normalize(v, 0) == 0,
	    "normalising no range gives no range");
}

static void
test_covers_all(void)
{
	struct ip_range v[4];

	v[0] = range_of("0.0.0.0-255.255.255.255");
	tap_check(iprange_set_covers_all(v, 1, IPRANGE_V4),
	    "0.0.0.0-255.255.255.255 covers all of IPv4");
	tap_check(!iprange_set_covers_all(v, 1, IPRANGE_V6),
	    "0.0.0.0-255.255.255.255 does not cover IPv6");
	v[0] = range_of("128.0.0.0/1");
	v[1] = range_of("0.0.0.0/1");
	tap_check(iprange_set_covers_all(v, 2, IPRANGE_V4),
	    "0.0.0.0/1 and 128.0.0.0/1 together cover all of IPv4");
	v[0] = range_of("0.0.0.0/1");
	v[1] = range_of("128.0.0.1-255.255.255.255");
	tap_check(!iprange_set_covers_all(v, 2, IPRANGE_V4),
	    "two halves with a one-address gap do not cover IPv4");
	v[0] = range_of("0.0.0.0-255.255.255.254");
	tap_check(!iprange_set_covers_all(v, 1, IPRANGE_V4),
	    "a range missing the top address does not cover IPv4");
	v[0] = range_of("0.0.0.1-255.255.255.255");
	tap_check(!iprange_set_covers_all(v, 1, IPRANGE_V4),
	    "a range missing the bottom address does not cover IPv4");
	v[0] = range_of("10.0.0.0/8");
	v[1] = range_of("0.0.0.0-200.0.0.0");
	v[2] = range_of("::/0");
	v[3] = range_of("150.0.0.0-255.255.255.255");
	tap_check(iprange_set_covers_all(v, 4, IPRANGE_V4),
	    "overlapping pieces in any order cover IPv4");
	v[0] = range_of("::/1");
	v[1] = range_of("8000::/1");
	tap_check(iprange_set_covers_all(v, 2, IPRANGE_V6),
	    "::/1 and 8000::/1 together cover all of IPv6");
	v[0] = range_of("2001:db8::/64");
	v[1] = range_of("0.0.0.0/0");
	tap_check(!iprange_set_covers_all(v, 2, IPRANGE_V6),
	    "IPv6 /64 and 0.0.0.0/0 do not cover IPv6");
	tap_check(!iprange_set_covers_all(v, 0, IPRANGE_V4),
	    "no range covers nothing");
}

/* --- the XPath functions ---------------------------------------------- */

static const char test_doc[] =
	"<c>"
	"<conn id='open'><r first='0.0.0.0' last='127.255.255.255'/>"
	"<r first='128.0.0.0' last='255.255.255.255'/></conn>"
	"<conn id='gap'><r first='0.0.0.0' last='127.255.255.254'/>"
	"<r first='128.0.0.0' last='255.255.255.255'/></conn>"
	"<conn id='v6all'><r first='::'"
	" last='ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'/></conn>"
	"<conn id='lan'><r first='10.0.0.0' last='10.255.255.255'/>"
	"<r first='192.168.5.10' last='192.168.5.20'/>"
	"<r first='192.168.5.21' last='192.168.5.21'/></conn>"
	"<conn id='pub'><r first='8.8.8.0' last='8.8.8.255'/></conn>"
	"<conn id='ula'><r first='fd00::' last='fd00::ffff'/>"
	"<r first='::1' last='::1'/></conn>"
	"<conn id='bad'><r first='10.0.0.300' last='10.0.0.1'/></conn>"
	"<conn id='half'><r first='10.0.0.1'/></conn>"
	"<conn id='rev'><r first='10.0.0.9' last='10.0.0.1'/></conn>"
	"<conn id='mixed'><r first='10.0.0.1' last='::1'/></conn>"
	"<binding address='10.1.2.3'/><binding address='192.168.5.15'/>"
	"<names><n>delta</n><n>alpha</n><n>charlie</n><n>alpha</n></names>"
	"<txt>10.0.0.0/8</txt>"
	"<nums><v>3</v><v>17</v><v>5</v></nums>"
	"</c>";

/* Evaluate expr on the root element; NULL when XPath reports an error. */
static xmlXPathObjectPtr
eval(xmlXPathContextPtr ctx, const char *expr)
{
	return xmlXPathEvalExpression((const xmlChar *)expr, ctx);
}

/* Is expr a boolean equal to want? */
static int
eval_bool(xmlXPathContextPtr ctx, const char *expr, int want)
{
	xmlXPathObjectPtr o = eval(ctx, expr);
	int ok = o != NULL && o->type == XPATH_BOOLEAN && o->boolval == want;

	if (!ok)
		tap_diag("%s: %s", expr, o == NULL ? "error" :
		    o->type != XPATH_BOOLEAN ? "not a boolean" :
		    o->boolval ? "true" : "false");
	xmlXPathFreeObject(o);
	return ok;
}

/* Is expr a number equal to want? */
static int
eval_num(xmlXPathContextPtr ctx, const char *expr, double want)
{
	xmlXPathObjectPtr o = eval(ctx, expr);
	int ok = o != NULL && o->type == XPATH_NUMBER && o->floatval == want;

	if (!ok && o != NULL && o->type == XPATH_NUMBER)
		tap_diag("%s: %.17g", expr, o->floatval);
	xmlXPathFreeObject(o);
	return ok;
}

/* Is the string value of expr equal to want? */
static int
eval_str(xmlXPathContextPtr ctx, const char *expr, const char *want)
{
	xmlXPathObjectPtr o = eval(ctx, expr);
	xmlChar *s;
	int ok;

	if (o == NULL) {
		tap_diag("%s: error", expr);
		return 0;
	}
	s = xmlXPathCastToString(o);
	ok = s != NULL && strcmp((const char *)s, want) == 0;
	if (!ok)
		tap_diag("%s: \"%s\"", expr, s != NULL ? (char *)s : "");
	xmlFree(s);
	xmlXPathFreeObject(o);
	return ok;
}

/*
 * libxml2 2.9 reports a function bound to an undefined prefix without
 * filling lastError: such checks only ask for an error.
 */
#define ANY_XPATH_ERROR	(-1)

/*
 * Does expr fail with the XPath error code want (and no crash)?  want is
 * an xmlXPathError (XPATH_INVALID_TYPE...), recorded by libxml2 in the
 * context's lastError offset by XML_XPATH_EXPRESSION_OK, or
 * ANY_XPATH_ERROR.
 */
static int
eval_fails(xmlXPathContextPtr ctx, const char *expr, int want)
{
	xmlXPathObjectPtr o;
	int got;

	xmlResetError(&ctx->lastError);
	o = eval(ctx, expr);
	if (o != NULL) {
		tap_diag("%s: no error", expr);
		xmlXPathFreeObject(o);
		return 0;
	}
	got = ctx->lastError.code - XML_XPATH_EXPRESSION_OK;
	if (want != ANY_XPATH_ERROR && got != want) {
		tap_diag("%s: XPath error %d, expected %d", expr, got, want);
		return 0;
	}
	return 1;
}

static void
test_xpath_ranges(xmlXPathContextPtr ctx)
{
	tap_check(eval_bool(ctx,
	    "mx:covers-everything(conn[@id='open']/r)", 1),
	    "mx:covers-everything is true for two halves of IPv4");
	tap_check(eval_bool(ctx,
	    "mx:covers-everything(conn[@id='gap']/r)", 0),
	    "mx:covers-everything is false with a one-address gap");
	tap_check(eval_bool(ctx,
	    "mx:covers-everything(conn[@id='v6all']/r)", 1),
	    "mx:covers-everything is true for all of IPv6");
	tap_check(eval_bool(ctx,
	    "mx:covers-everything(conn[@id='lan']/r)", 0),
	    "mx:covers-everything is false for private ranges");
	tap_check(eval_bool(ctx,
	    "mx:covers-everything(conn[@id='none']/r)", 0),
	    "mx:covers-everything is false for no range");
	tap_check(eval_bool(ctx, "mx:covers-everything('0.0.0.0/0')", 1),
	    "mx:covers-everything accepts a range text as a string");

	tap_check(eval_num(ctx, "mx:range-size(conn[@id='lan']/r)",
	    16777216.0 + 12.0),
	    "mx:range-size counts the union of the ranges");
	tap_check(eval_num(ctx, "mx:range-size(conn[@id='lan']/r | "
	    "conn[@id='open']/r)", 4294967296.0),
	    "mx:range-size counts overlapping addresses once");
	tap_check(eval_num(ctx, "mx:range-size(txt)", 16777216.0),
	    "mx:range-size reads a text node as a range text");
	tap_check(eval_num(ctx, "mx:range-size(conn[@id='none']/r)", 0.0),
	    "mx:range-size of no range is 0");
	tap_check(eval_num(ctx, "mx:max-range-size(conn[@id='lan']/r)",
	    16777216.0), "mx:max-range-size is the largest single range");
	tap_check(eval_num(ctx, "mx:max-range-size(conn[@id='open']/r)",
	    2147483648.0), "mx:max-range-size does not merge ranges");
	tap_check(eval_num(ctx, "mx:max-range-size(conn[@id='none']/r)",
	    0.0), "mx:max-range-size of no range is 0");

	tap_check(eval_bool(ctx,
	    "mx:in-range('10.1.2.3', conn[@id='lan']/r)", 1),
	    "mx:in-range finds 10.1.2.3 in 10.0.0.0/8");
	tap_check(eval_bool(ctx,
	    "mx:in-range('11.0.0.1', conn[@id='lan']/r)", 0),
	    "mx:in-range does not find 11.0.0.1 in the LAN ranges");
	tap_check(eval_bool(ctx,
	    "mx:in-range('192.168.5.21', conn[@id='lan']/r)", 1),
	    "mx:in-range finds the last address of merged ranges");
	tap_check(eval_bool(ctx,
	    "mx:in-range('192.168.5.22', conn[@id='lan']/r)", 0),
	    "mx:in-range does not find the address after merged ranges");
	tap_check(eval_bool(ctx,
	    "mx:in-range(binding/@address, conn[@id='lan']/r)", 1),
	    "mx:in-range takes addresses from attribute nodes");
	tap_check(eval_bool(ctx,
	    "mx:in-range(binding/@address, conn[@id='pub']/r)", 0),
	    "mx:in-range is false when no attribute address is in range");
	tap_check(eval_bool(ctx,
	    "mx:in-range('::ffff:10.0.0.1', conn[@id='lan']/r)", 0),
	    "mx:in-range does not match IPv6 addresses to IPv4 ranges");
	tap_check(eval_bool(ctx, "mx:in-range('10.0.0.1', '10.0.0.0/8')", 1),
	    "mx:in-range accepts a range text as a string");
	tap_check(eval_bool(ctx,
	    "mx:in-range(conn[@id='none']/r, conn[@id='lan']/r)", 0),
	    "mx:in-range of no address is false");

	tap_check(eval_bool(ctx, "mx:ranges-overlap(conn[@id='lan']/r, "
	    "conn[@id='pub']/r)", 0),
	    "mx:ranges-overlap is false for disjoint sets");
	tap_check(eval_bool(ctx, "mx:ranges-overlap(conn[@id='lan']/r, "
	    "'192.168.5.20/32')", 1),
	    "mx:ranges-overlap is true when one address is shared");
	tap_check(eval_bool(ctx, "mx:ranges-overlap(conn[@id='pub']/r, "
	    "conn[@id='open']/r)", 1),
	    "mx:ranges-overlap is true against the whole space");
	tap_check(eval_bool(ctx, "mx:ranges-overlap(conn[@id='v6all']/r, "
	    "conn[@id='open']/r)", 0),
	    "mx:ranges-overlap never matches IPv6 with IPv4");
	tap_check(eval_bool(ctx, "mx:ranges-overlap(conn[@id='lan']/r[2], "
	    "conn[@id='pub']/r | conn[@id='lan']/r[2])", 1),
	    "mx:ranges-overlap looks past a second-set range that ends "
	    "first");
	tap_check(eval_bool(ctx, "mx:ranges-overlap(conn[@id='pub']/r | "
	    "conn[@id='lan']/r[2], conn[@id='lan']/r[2])", 1),
	    "mx:ranges-overlap looks past a first-set range that ends first");
	tap_check(eval_bool(ctx, "mx:ranges-overlap(conn[@id='ula']/r, "
	    "'fd00::8000/120')", 1),
	    "mx:ranges-overlap finds an IPv6 overlap after IPv4 ranges");

	tap_check(eval_str(ctx, "mx:range-set(conn[@id='lan']/r)",
	    "10.0.0.0-10.255.255.255 192.168.5.10-192.168.5.21"),
	    "mx:range-set prints the merged union, sorted");
	tap_check(eval_str(ctx, "mx:range-set(conn[@id='open']/r)",
	    "0.0.0.0-255.255.255.255"),
	    "mx:range-set joins two adjacent halves");
	tap_check(eval_str(ctx, "mx:range-set(conn[@id='ula']/r | "
	    "conn[@id='pub']/r)",
	    "8.8.8.0-8.8.8.255 ::1-::1 fd00::-fd00::ffff"),
	    "mx:range-set puts IPv4 before IPv6");
	tap_check(eval_str(ctx, "mx:range-set(conn[@id='none']/r)", ""),
	    "mx:range-set of no range is the empty string");

	tap_check(eval_bool(ctx, "mx:is-private(conn[@id='lan']/r)", 1),
	    "mx:is-private is true for RFC 1918 ranges");
	tap_check(eval_bool(ctx, "mx:is-private(conn[@id='ula']/r)", 1),
	    "mx:is-private is true for RFC 4193 and IPv6 loopback");
	tap_check(eval_bool(ctx, "mx:is-private(conn[@id='pub']/r)", 0),
	    "mx:is-private is false for a public range");
	tap_check(eval_bool(ctx, "mx:is-private(conn[@id='lan']/r | "
	    "conn[@id='pub']/r)", 0),
	    "mx:is-private is false when one range of many is public");
	tap_check(eval_bool(ctx, "mx:is-private('10.0.0.0-11.0.0.0')", 0),
	    "mx:is-private is false for a range leaving private space");
	tap_check(eval_bool(ctx, "mx:is-private('127.0.0.1')", 1),
	    "mx:is-private is true for IPv4 loopback");
	tap_check(eval_bool(ctx, "mx:is-private('fe80::/10')", 0),
	    "mx:is-private is false for link-local IPv6");
	tap_check(eval_bool(ctx, "mx:is-private(conn[@id='none']/r)", 0),
	    "mx:is-private is false for no range");
}

static void
test_xpath_others(xmlXPathContextPtr ctx)
{
	tap_check(eval_str(ctx, "mx:sorted-join(names/n, ',')",
	    "alpha,alpha,charlie,delta"),
	    "mx:sorted-join sorts string values and keeps duplicates");
	tap_check(eval_str(ctx, "mx:sorted-join(names/n, '')",
	    "alphaalphacharliedelta"),
	    "mx:sorted-join accepts an empty separator");
	tap_check(eval_str(ctx, "mx:sorted-join(nothing, ',')", ""),
	    "mx:sorted-join of no node is the empty string");

	tap_check(eval_num(ctx, "math:max(nums/v)", 17.0),
	    "EXSLT math:max is available");
	tap_check(eval_str(ctx, "str:padding(3, '-')", "---"),
	    "EXSLT str:padding is available");
	tap_check(eval_num(ctx, "count(set:distinct(names/n))", 3.0),
	    "EXSLT set:distinct is available");
	tap_check(eval_bool(ctx,
	    "date:year('2026-11-23T10:00:00Z') = 2026", 1),
	    "EXSLT date:year is available");
	tap_check(eval_fails(ctx, "dyn:evaluate('1')",
	    ANY_XPATH_ERROR),
	    "the dyn prefix is not bound (libexslt offers no XPath binding)");
}

static void
test_xpath_errors(xmlXPathContextPtr ctx)
{
	tap_check(eval_fails(ctx, "mx:range-size(1)",
	    XPATH_INVALID_TYPE),
	    "mx:range-size of a number is an XPath error");
	tap_check(eval_fails(ctx, "mx:covers-everything(true())",
	    XPATH_INVALID_TYPE),
	    "mx:covers-everything of a boolean is an XPath error");
	tap_check(eval_fails(ctx, "mx:in-range(1, conn[@id='lan']/r)",
	    XPATH_INVALID_TYPE),
	    "mx:in-range of a number is an XPath error");
	tap_check(eval_fails(ctx, "mx:ranges-overlap(conn[@id='lan']/r, 2)",
	    XPATH_INVALID_TYPE),
	    "mx:ranges-overlap with a number is an XPath error");
	tap_check(eval_fails(ctx, "mx:sorted-join('a', ',')",
	    XPATH_INVALID_TYPE),
	    "mx:sorted-join of a string is an XPath error");
	tap_check(eval_fails(ctx, "mx:sorted-join(names/n, names)",
	    XPATH_INVALID_TYPE),
	    "mx:sorted-join with a node-set separator is an XPath error");
	tap_check(eval_fails(ctx, "mx:range-size()",
	    XPATH_INVALID_ARITY),
	    "mx:range-size without argument is an XPath error");
	tap_check(eval_fails(ctx, "mx:in-range('10.0.0.1')",
	    XPATH_INVALID_ARITY),
	    "mx:in-range with one argument is an XPath error");
	tap_check(eval_fails(ctx, "mx:is-private(conn/r, conn/r)",
	    XPATH_INVALID_ARITY),
	    "mx:is-private with two arguments is an XPath error");
	tap_check(eval_fails(ctx, "mx:range-set(conn[@id='bad']/r)",
	    XPATH_INVALID_OPERAND),
	    "a range node with an unparsable address is an XPath error");
	tap_check(eval_fails(ctx, "mx:range-size(conn[@id='half']/r)",
	    XPATH_INVALID_OPERAND),
	    "a range node without its last address is an XPath error");
	tap_check(eval_fails(ctx, "mx:covers-everything(conn[@id='rev']/r)",
	    XPATH_INVALID_OPERAND),
	    "a range node ending before it starts is an XPath error");
	tap_check(eval_fails(ctx, "mx:is-private(conn[@id='mixed']/r)",
	    XPATH_INVALID_OPERAND),
	    "a range node mixing IPv4 and IPv6 is an XPath error");
	tap_check(eval_fails(ctx, "mx:covers-everything(conn/r)",
	    XPATH_INVALID_OPERAND),
	    "one bad range node among good ones is an XPath error");
	tap_check(eval_fails(ctx, "mx:range-size(names/n)",
	    XPATH_INVALID_OPERAND),
	    "an element whose text is no range is an XPath error");
	tap_check(eval_fails(ctx, "mx:in-range('not-an-ip', conn[@id='lan']/r)",
	    XPATH_INVALID_OPERAND),
	    "mx:in-range of a text that is no address is an XPath error");
	tap_check(eval_fails(ctx, "mx:range-size('10.0.0.0/33')",
	    XPATH_INVALID_OPERAND),
	    "a range string with a bad prefix is an XPath error");
	tap_check(eval_fails(ctx, "mx:no-such-function()",
	    XPATH_UNKNOWN_FUNC_ERROR),
	    "an unknown mx: function is an XPath error");
	tap_check(eval_bool(ctx, "mx:covers-everything(conn[@id='open']/r)",
	    1), "the context still evaluates after errors");
}

/* A document of count range nodes <r first=a last=a/>, for the limits. */
static xmlDocPtr
big_doc(size_t count, struct mx_err *err)
{
	size_t i, len = 0, cap = 2 * 600000 + 128 + count * 64;
	char *buf = xmalloc(cap);
	xmlDocPtr doc;

	len += (size_t)snprintf(buf + len, cap - len, "<c>");
	for (i = 0; i < count; i++)
		len += (size_t)snprintf(buf + len, cap - len,
		    "<r first='10.%zu.%zu.1' last='10.%zu.%zu.1'/>",
		    i / 256 % 256, i % 256, i / 256 % 256, i % 256);
	len += (size_t)snprintf(buf + len, cap - len,
	    "<s>%0*d</s><s>%0*d</s></c>", 600000, 0, 600000, 0);
	doc = xml_parse(buf, len, "big.xml", 0, err);
	free(buf);
	return doc;
}

static void
test_xpath_limits(void)
{
	struct mx_err err;
	xmlXPathContextPtr ctx;
	xmlDocPtr doc;
	char expr[128];

	mx_err_init(&err);
	doc = big_doc(IPRANGE_SET_MAX + 1, &err);
	if (!tap_check(doc != NULL, "the limit document parses")) {
		tap_diag("%s", err.msg);
		return;
	}
	ctx = xmlXPathNewContext(doc);
	xpathfn_register(ctx);
	ctx->node = xmlDocGetRootElement(doc);
	snprintf(expr, sizeof(expr), "mx:range-size(r[position() <= %d])",
	    IPRANGE_SET_MAX);
	tap_check(eval_num(ctx, expr, (double)IPRANGE_SET_MAX),
	    "exactly IPRANGE_SET_MAX range nodes are processed");
	tap_check(eval_fails(ctx, "mx:range-size(r)",
	    XPATH_OP_LIMIT_EXCEEDED),
	    "more than IPRANGE_SET_MAX range nodes are an XPath error");
	tap_check(eval_fails(ctx, "mx:in-range(r/@first, '10.0.0.0/8')",
	    XPATH_OP_LIMIT_EXCEEDED),
	    "more than IPRANGE_SET_MAX addresses are an XPath error");
	tap_check(eval_num(ctx, "string-length(mx:sorted-join(s[1], ','))",
	    600000.0), "mx:sorted-join under XPATHFN_JOIN_MAX works");
	tap_check(eval_fails(ctx, "mx:sorted-join(s, ',')",
	    XPATH_OP_LIMIT_EXCEEDED),
	    "mx:sorted-join over XPATHFN_JOIN_MAX is an XPath error");
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
}

static void
test_xpath(void)
{
	struct mx_err err;
	xmlXPathContextPtr ctx;
	xmlDocPtr doc;

	mx_err_init(&err);
	doc = xml_parse(test_doc, sizeof(test_doc) - 1, "test.xml", 0, &err);
	if (!tap_check(doc != NULL, "the test document parses")) {
		tap_diag("%s", err.msg);
		return;
	}
	ctx = xmlXPathNewContext(doc);
	tap_check(eval_fails(ctx, "mx:range-size('10.0.0.0/8')",
	    ANY_XPATH_ERROR),
	    "mx: functions are unknown before registration");
	tap_check(xpathfn_register(ctx) == 0,
	    "the functions register on a new context");
	tap_check(xpathfn_register(NULL) == -1,
	    "registering on no context fails");
	ctx->node = xmlDocGetRootElement(doc);
	test_xpath_ranges(ctx);
	test_xpath_others(ctx);
	test_xpath_errors(ctx);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	test_xpath_limits();
}

/* mx:cert-names: the subject read as a DN, CN attributes only. */
static void
test_cert_names(void)
{
	static const struct {
		const char	*subject, *fqdn;
		int		 want;
	} t[] = {
		{ "CN=mail.contoso.com", "mail.contoso.com", 1 },
		{ "cn = mail.contoso.com , O=Contoso", "mail.contoso.com", 1 },
		{ "C=US, O=Contoso, CN=mail.contoso.com", "mail.contoso.com", 1 },
		{ "CN=mail.contoso.com", "MAIL.contoso.com.", 1 },
		{ "CN=mail.contoso.com.", "mail.contoso.com", 1 },
		{ "CN=\"mail.contoso.com\"", "mail.contoso.com", 1 },
		{ "CN=mail\\2Econtoso.com", "mail.contoso.com", 1 },
		{ "O=a\\,b;CN=mail.contoso.com", "mail.contoso.com", 1 },
		{ "O=x+CN=mail.contoso.com", "mail.contoso.com", 1 },
		{ "2.5.4.3=mail.contoso.com", "mail.contoso.com", 1 },
		{ "CN=*.contoso.com", "mail.contoso.com", 1 },
		{ "CN=a.example, CN=mail.contoso.com", "mail.contoso.com", 1 },
		{ "CN=*.contoso.com", "a.mail.contoso.com", 0 },
		{ "CN=*.contoso.com", "contoso.com", 0 },
		{ "CN=*.contoso.com", ".contoso.com", 0 },
		{ "CN=m*.contoso.com", "mail.contoso.com", 0 },
		{ "CN=*", "mail", 0 },
		{ "CN=*.com", "contoso.com", 0 },
		{ "CN=*.co.uk", "contoso.co.uk", 0 },
		{ "CN=mail.contoso.com", "*.contoso.com", 0 },
		{ "CN=other.fabrikam.com, O=xCN=mail.contoso.com",
		    "mail.contoso.com", 0 },
		{ "E=cn=mail.contoso.com, CN=evil.example",
		    "mail.contoso.com", 0 },
		{ "OU=CN=mail.contoso.com, CN=attacker.example",
		    "mail.contoso.com", 0 },
		{ "O=\"x, CN=mail.contoso.com\"", "mail.contoso.com", 0 },
		{ "O=x\\, CN=mail.contoso.com", "mail.contoso.com", 0 },
		{ "O=x\\+CN=mail.contoso.com", "mail.contoso.com", 0 },
		{ "CN=mail.contoso.com\\00.evil", "mail.contoso.com", 0 },
		{ "CN=mail.contoso.com\\", "mail.contoso.com", 0 },
		{ "CN=\"mail.contoso.com", "mail.contoso.com", 0 },
		{ "CN=\"mail.contoso.com\"x", "mail.contoso.com", 0 },
		{ "CN=mail.contoso.com, garbage", "mail.contoso.com", 0 },
		{ "CN", "mail.contoso.com", 0 },
		{ "=mail.contoso.com", "mail.contoso.com", 0 },
		{ "CN=", "", 0 },
		{ "", "mail.contoso.com", 0 },
		{ "XCN=mail.contoso.com", "mail.contoso.com", 0 },
		{ "CN=mail.contoso.com.evil.example", "mail.contoso.com", 0 },
	};
	char big[4096];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		tap_check(xpathfn_cert_names(t[i].subject, t[i].fqdn) ==
		    t[i].want, "cert-names \"%s\" for \"%s\": %d",
		    t[i].subject, t[i].fqdn, t[i].want);
	/* A value past the buffer names nothing, and is not cut to a name. */
	memset(big, 'a', sizeof(big));
	memcpy(big, "CN=mail.contoso.com", 19);
	big[sizeof(big) - 1] = '\0';
	tap_check(xpathfn_cert_names(big, "mail.contoso.com") == 0,
	    "cert-names: an overlong value names nothing");
}

/* DN equality: the Windows and RFC 2253 forms of one name are equal. */
static void
test_dn_equal(void)
{
	static const struct {
		const char	*a, *b;
		int		 want;
	} t[] = {
		{ "CN=mail.contoso.com, O=Contoso", "CN=mail.contoso.com,O=Contoso",
		    1 },
		{ "cn=MAIL.contoso.com", "CN=mail.contoso.com", 1 },
		{ "CN=\"Contoso, Inc.\"", "CN=Contoso\\, Inc.", 1 },
		{ "E=a@contoso.com, CN=x", "emailAddress=a@contoso.com,CN=x", 1 },
		{ "OID.2.5.4.3=x", "CN=x", 1 },
		{ "CN=x, O=Contoso", "O=Contoso, CN=x", 0 },
		{ "CN=x", "CN=x, O=Contoso", 0 },
		{ "CN=x, O=Contoso", "CN=x", 0 },
		{ "CN=x", "CN=y", 0 },
		{ "CN=\"x", "CN=\"x", 0 },
		{ "", "", 0 },
		{ "CN=x\\00", "CN=x\\00", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		tap_check(xpathfn_dn_equal(t[i].a, t[i].b) == t[i].want,
		    "dn-equal \"%s\" \"%s\": %d", t[i].a, t[i].b, t[i].want);
}

/*
 * RFC 6125 on a server certificate: DNS SANs first, the subject CN only
 * when there is none; IP address SANs are no DNS names.
 */
static void
test_cert_matches(void)
{
	static const struct {
		const char	*xml, *fqdn;
		int		 want;
	} t[] = {
		/* Exchange's self-signed certificate. */
		{ "<certificate subject=\"CN=EX01\"><san value=\"EX01\"/>"
		    "<san value=\"ex01.contoso.com\"/></certificate>",
		    "ex01.contoso.com", 1 },
		{ "<certificate subject=\"CN=Contoso\"><san value="
		    "\"*.contoso.com\"/></certificate>", "smtp.contoso.com", 1 },
		{ "<certificate subject=\"CN=Contoso\"><san value="
		    "\"*.contoso.com\"/></certificate>", "a.smtp.contoso.com", 0 },
		{ "<certificate subject=\"CN=relay.contoso.com, O=x\"/>",
		    "relay.contoso.com", 1 },
		/* The CN is not looked at when there is a DNS SAN. */
		{ "<certificate subject=\"CN=ex02.contoso.com\"><san value="
		    "\"mail.contoso.com\"/></certificate>", "ex02.contoso.com", 0 },
		/* Only IP SANs: the CN counts. */
		{ "<certificate subject=\"CN=ex02.contoso.com\"><san value="
		    "\"192.0.2.1\"/><san value=\"2001:db8::1\"/></certificate>",
		    "ex02.contoso.com", 1 },
		{ "<certificate/>", "ex01.contoso.com", 0 },
		{ "<certificate subject=\"CN=x\"><san/></certificate>", "x", 1 },
	};
	xmlDocPtr doc;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		doc = xmlReadMemory(t[i].xml, (int)strlen(t[i].xml), "t.xml",
		    NULL, XML_PARSE_NONET);
		tap_check(doc != NULL && xpathfn_cert_matches(
		    xmlDocGetRootElement(doc), t[i].fqdn) == t[i].want,
		    "cert-matches %s for \"%s\": %d", t[i].xml, t[i].fqdn,
		    t[i].want);
		xmlFreeDoc(doc);
	}
}

int
main(void)
{
	xml_init();
	test_parse_v4();
	test_parse_v6();
	test_format();
	test_rejections();
	test_compare();
	test_contains_overlaps();
	test_size();
	test_normalize();
	test_covers_all();
	test_xpath();
	test_cert_names();
	test_dn_equal();
	test_cert_matches();
	return tap_done();
}
