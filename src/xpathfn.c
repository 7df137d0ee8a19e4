/*
 * xpathfn.c - the XPath functions of the rules (namespace
 * urn:mxbpa:xpath:1, prefix "mx"), and the EXSLT modules of libexslt that
 * can be bound to a bare XPath context.  docs/rules.md, section
 * "Functions", is the user's contract; XPath 1.0 (W3C REC 1999-11-16)
 * section 4 sets the calling conventions, EXSLT (exslt.org) the others.
 *
 * The model is hostile: every range read from it is parsed again with
 * iprange.c, and a range that fails to parse, a wrong argument type or
 * count, and a set over IPRANGE_SET_MAX ranges all raise an XPath error
 * (the reason is logged as a warning), so the rule reports an error
 * instead of a silent verdict.
 *
 * Arguments holding ranges accept a node-set or a string.  In a node-set,
 * an element with "first" or "last" attributes is a range node and needs
 * both; any other node (attribute, text, element without them) stands for
 * its string value parsed as a range text ("10.0.0.0/8", "a-b", "a").
 *
 * SPDX-License-Identifier: ISC
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libexslt/exslt.h>
#include <libpsl.h>

#include "bounds.h"
#include "connsel.h"
#include "effrights.h"
#include "err.h"
#include "iprange.h"
#include "log.h"
#include "util.h"
#include "xml.h"
#include "xpathfn.h"

#define XPATHFN_PREFIX	"mx"

/* A growing array of ranges, never over IPRANGE_SET_MAX. */
struct xpathfn_set {
	struct ip_range	*r;
	size_t		 n;
	size_t		 cap;
};

static void
xpathfn_set_free(struct xpathfn_set *s)
{
	free(s->r);
	s->r = NULL;
	s->n = s->cap = 0;
}

/* Log why a function failed and raise an XPath error; returns -1. */
static int
xpathfn_fail(xmlXPathParserContextPtr ctxt, int code, const char *fname,
    const struct mx_err *err)
{
	log_warnx(LOG_ENGINE, "mx:%s: %s%s%s", fname,
	    err->where[0] != '\0' ? err->where : "",
	    err->where[0] != '\0' ? ": " : "", err->msg);
	xmlXPathErr(ctxt, code);
	return -1;
}

/* Raise the limit error for more than IPRANGE_SET_MAX items; returns -1. */
static int
xpathfn_limit(xmlXPathParserContextPtr ctxt, const char *fname,
    const char *what)
{
	struct mx_err err;

	mx_err_init(&err);
	mx_err_set(&err, MX_ERR_LIMIT, NULL,
	    "more than IPRANGE_SET_MAX (%d) %s", IPRANGE_SET_MAX, what);
	return xpathfn_fail(ctxt, XPATH_OP_LIMIT_EXCEEDED, fname, &err);
}

static int
xpathfn_set_add(xmlXPathParserContextPtr ctxt, const char *fname,
    struct xpathfn_set *s, const struct ip_range *r)
{
	if (s->n == IPRANGE_SET_MAX)
		return xpathfn_limit(ctxt, fname, "ranges");
	if (s->n == s->cap) {
		s->cap = s->cap == 0 ? 16 : s->cap * 2;
		s->r = xreallocarray(s->r, s->cap, sizeof(*s->r));
	}
	s->r[s->n++] = *r;
	return 0;
}

/* "line 12" of a node for messages, or "" when unknown. */
static void
xpathfn_where(xmlNodePtr node, char *where, size_t size)
{
	long line = 0;

	/* Namespace nodes are xmlNs in disguise: never read their lines. */
	if (node->type == XML_ATTRIBUTE_NODE)
		node = node->parent;
	if (node != NULL && (node->type == XML_ELEMENT_NODE ||
	    node->type == XML_TEXT_NODE))
		line = xml_line(node);
	if (line > 0)
		snprintf(where, size, "line %ld", line);
	else
		where[0] = '\0';
}

/*
 * The range a node stands for (see the top of this file).  Returns 0, or
 * -1 with an XPath error raised.
 */
static int
xpathfn_node_range(xmlXPathParserContextPtr ctxt, const char *fname,
    xmlNodePtr node, struct ip_range *r)
{
	struct mx_err err;
	const char *first = NULL, *last = NULL;
	char where[64];
	xmlChar *text;
	int rc;

	mx_err_init(&err);
	xpathfn_where(node, where, sizeof(where));
	if (node->type == XML_ELEMENT_NODE) {
		first = xml_attr(node, "first");
		last = xml_attr(node, "last");
	}
	if (first == NULL && last == NULL) {
		text = xmlXPathCastNodeToString(node);
		if (text == NULL) {
			mx_err_set(&err, MX_ERR_INTERNAL, where,
			    "out of memory");
			return xpathfn_fail(ctxt, XPATH_MEMORY_ERROR, fname,
			    &err);
		}
		rc = iprange_parse((const char *)text, r, &err, where);
		xmlFree(text);
	} else if (first == NULL || last == NULL)
		rc = mx_err_set(&err, MX_ERR_INPUT, where,
		    "range element <%s> needs both first and last",
		    (const char *)node->name);
	else if (iprange_addr_parse(first, &r->first, &err, where) == -1 ||
	    iprange_addr_parse(last, &r->last, &err, where) == -1)
		rc = -1;
	else if (r->first.family != r->last.family)
		rc = mx_err_set(&err, MX_ERR_INPUT, where,
		    "range mixes IPv4 and IPv6: \"%s\"-\"%s\"", first, last);
	else if (iprange_addr_cmp(&r->first, &r->last) > 0)
		rc = mx_err_set(&err, MX_ERR_INPUT, where,
		    "range ends before it starts: \"%s\"-\"%s\"", first, last);
	else
		rc = 0;
	if (rc == -1)
		return xpathfn_fail(ctxt, XPATH_INVALID_OPERAND, fname, &err);
	return 0;
}

static int
xpathfn_is_nodeset(const xmlXPathObject *obj)
{
	return obj->type == XPATH_NODESET || obj->type == XPATH_XSLT_TREE;
}

/*
 * Collect the ranges of one argument (node-set or string) into s.
 * Returns 0, or -1 with an XPath error raised.
 */
static int
xpathfn_collect(xmlXPathParserContextPtr ctxt, const char *fname,
    const xmlXPathObject *obj, struct xpathfn_set *s)
{
	struct mx_err err;
	struct ip_range r;
	xmlNodeSetPtr ns;
	int i;

	if (obj->type == XPATH_STRING) {
		mx_err_init(&err);
		if (iprange_parse((const char *)obj->stringval, &r, &err,
		    NULL) == -1)
			return xpathfn_fail(ctxt, XPATH_INVALID_OPERAND, fname,
			    &err);
		return xpathfn_set_add(ctxt, fname, s, &r);
	}
	if (!xpathfn_is_nodeset(obj)) {
		xmlXPathErr(ctxt, XPATH_INVALID_TYPE);
		return -1;
	}
	ns = obj->nodesetval;
	if (ns != NULL && (size_t)ns->nodeNr > IPRANGE_SET_MAX - s->n)
		return xpathfn_limit(ctxt, fname, "ranges");
	for (i = 0; ns != NULL && i < ns->nodeNr; i++) {
		if (xpathfn_node_range(ctxt, fname, ns->nodeTab[i], &r) == -1 ||
		    xpathfn_set_add(ctxt, fname, s, &r) == -1)
			return -1;
	}
	return 0;
}

/*
 * Pop one argument holding ranges and collect them.  Returns 0, or -1 with
 * an XPath error raised.
 */
static int
xpathfn_pop_ranges(xmlXPathParserContextPtr ctxt, const char *fname,
    struct xpathfn_set *s)
{
	xmlXPathObjectPtr obj = valuePop(ctxt);
	int rc;

	if (obj == NULL) {
		xmlXPathErr(ctxt, XPATH_STACK_ERROR);
		return -1;
	}
	rc = xpathfn_collect(ctxt, fname, obj, s);
	xmlXPathFreeObject(obj);
	return rc;
}

/* mx:covers-everything(ranges): all of IPv4 or all of IPv6. */
static void
xpathfn_covers_everything(xmlXPathParserContextPtr ctxt, int nargs)
{
	struct xpathfn_set s = { NULL, 0, 0 };
	int all;

	CHECK_ARITY(1);
	if (xpathfn_pop_ranges(ctxt, "covers-everything", &s) == -1) {
		xpathfn_set_free(&s);
		return;
	}
	all = iprange_set_covers_all(s.r, s.n, IPRANGE_V4) ||
	    iprange_set_covers_all(s.r, s.n, IPRANGE_V6);
	xpathfn_set_free(&s);
	valuePush(ctxt, xmlXPathNewBoolean(all));
}

/* mx:range-size(ranges): addresses in the union. */
static void
xpathfn_range_size(xmlXPathParserContextPtr ctxt, int nargs)
{
	struct xpathfn_set s = { NULL, 0, 0 };
	double total = 0.0;
	size_t i, n;

	CHECK_ARITY(1);
	if (xpathfn_pop_ranges(ctxt, "range-size", &s) == -1) {
		xpathfn_set_free(&s);
		return;
	}
	n = iprange_set_normalize(s.r, s.n);
	for (i = 0; i < n; i++)
		total += iprange_size(&s.r[i]);
	xpathfn_set_free(&s);
	valuePush(ctxt, xmlXPathNewFloat(total));
}

/* mx:max-range-size(ranges): size of the largest single range, 0 if none. */
static void
xpathfn_max_range_size(xmlXPathParserContextPtr ctxt, int nargs)
{
	struct xpathfn_set s = { NULL, 0, 0 };
	double max = 0.0, v;
	size_t i;

	CHECK_ARITY(1);
	if (xpathfn_pop_ranges(ctxt, "max-range-size", &s) == -1) {
		xpathfn_set_free(&s);
		return;
	}
	for (i = 0; i < s.n; i++)
		if ((v = iprange_size(&s.r[i])) > max)
			max = v;
	xpathfn_set_free(&s);
	valuePush(ctxt, xmlXPathNewFloat(max));
}

/*
 * Is the address in one of the n normalized (sorted, disjoint) ranges?
 * Binary search for the last range starting at or before it.
 */
static int
xpathfn_set_holds(const struct ip_range *r, size_t n, const struct ip_addr *a)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (iprange_addr_cmp(&r[mid].first, a) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && iprange_contains(&r[lo - 1], a);
}

/*
 * Is one address text in the set?  Returns 1 or 0, or -1 with an XPath
 * error raised.
 */
static int
xpathfn_address_in(xmlXPathParserContextPtr ctxt, const char *text,
    const char *where, const struct xpathfn_set *s, size_t n)
{
	struct mx_err err;
	struct ip_addr a;

	mx_err_init(&err);
	if (iprange_addr_parse(text, &a, &err, where) == -1)
		return xpathfn_fail(ctxt, XPATH_INVALID_OPERAND, "in-range",
		    &err);
	return xpathfn_set_holds(s->r, n, &a);
}

/*
 * The body of mx:in-range once the ranges are known.  Returns 1 or 0, or
 * -1 with an XPath error raised.
 */
static int
xpathfn_any_in(xmlXPathParserContextPtr ctxt, const xmlXPathObject *addrs,
    const struct xpathfn_set *s, size_t n)
{
	xmlNodeSetPtr ns;
	char where[64];
	xmlChar *text;
	int i, rc;

	if (addrs->type == XPATH_STRING)
		return xpathfn_address_in(ctxt,
		    (const char *)addrs->stringval, NULL, s, n);
	if (!xpathfn_is_nodeset(addrs)) {
		xmlXPathErr(ctxt, XPATH_INVALID_TYPE);
		return -1;
	}
	ns = addrs->nodesetval;
	if (ns != NULL && ns->nodeNr > IPRANGE_SET_MAX)
		return xpathfn_limit(ctxt, "in-range", "addresses");
	for (i = 0; ns != NULL && i < ns->nodeNr; i++) {
		xpathfn_where(ns->nodeTab[i], where, sizeof(where));
		text = xmlXPathCastNodeToString(ns->nodeTab[i]);
		if (text == NULL) {
			xmlXPathErr(ctxt, XPATH_MEMORY_ERROR);
			return -1;
		}
		rc = xpathfn_address_in(ctxt, (const char *)text, where, s, n);
		xmlFree(text);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* mx:in-range(addresses, ranges): any address in any range. */
static void
xpathfn_in_range(xmlXPathParserContextPtr ctxt, int nargs)
{
	struct xpathfn_set s = { NULL, 0, 0 };
	xmlXPathObjectPtr addrs;
	size_t n;
	int rc;

	CHECK_ARITY(2);
	if (xpathfn_pop_ranges(ctxt, "in-range", &s) == -1) {
		xpathfn_set_free(&s);
		return;
	}
	addrs = valuePop(ctxt);
	if (addrs == NULL) {
		xpathfn_set_free(&s);
		XP_ERROR(XPATH_STACK_ERROR);
	}
	n = iprange_set_normalize(s.r, s.n);
	rc = xpathfn_any_in(ctxt, addrs, &s, n);
	xmlXPathFreeObject(addrs);
	xpathfn_set_free(&s);
	if (rc != -1)
		valuePush(ctxt, xmlXPathNewBoolean(rc));
}

/*
 * mx:ranges-overlap(ranges, ranges): both sets normalized, then one sweep
 * that always advances the range ending first (the order of
 * iprange_addr_cmp puts every IPv4 address before every IPv6 one).
 */
static void
xpathfn_ranges_overlap(xmlXPathParserContextPtr ctxt, int nargs)
{
	struct xpathfn_set a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
	size_t i = 0, j = 0, na, nb;
	int meet = 0;

	CHECK_ARITY(2);
	if (xpathfn_pop_ranges(ctxt, "ranges-overlap", &b) == -1 ||
	    xpathfn_pop_ranges(ctxt, "ranges-overlap", &a) == -1) {
		xpathfn_set_free(&a);
		xpathfn_set_free(&b);
		return;
	}
	na = iprange_set_normalize(a.r, a.n);
	nb = iprange_set_normalize(b.r, b.n);
	while (!meet && i < na && j < nb) {
		if (iprange_overlaps(&a.r[i], &b.r[j]))
			meet = 1;
		else if (iprange_addr_cmp(&a.r[i].last, &b.r[j].last) < 0)
			i++;
		else
			j++;
	}
	xpathfn_set_free(&a);
	xpathfn_set_free(&b);
	valuePush(ctxt, xmlXPathNewBoolean(meet));
}

/*
 * mx:range-set(ranges): "first-last" for each range of the union, sorted
 * (IPv4 first) and separated by one space; "" for no range.
 */
static void
xpathfn_range_set(xmlXPathParserContextPtr ctxt, int nargs)
{
	struct xpathfn_set s = { NULL, 0, 0 };
	char first[IPRANGE_ADDR_TEXT], last[IPRANGE_ADDR_TEXT];
	size_t i, n, len = 0, cap;
	char *out;

	CHECK_ARITY(1);
	if (xpathfn_pop_ranges(ctxt, "range-set", &s) == -1) {
		xpathfn_set_free(&s);
		return;
	}
	n = iprange_set_normalize(s.r, s.n);
	cap = n * (2 * IPRANGE_ADDR_TEXT + 2) + 1;
	out = xmalloc(cap);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		iprange_addr_format(&s.r[i].first, first);
		iprange_addr_format(&s.r[i].last, last);
		len += (size_t)snprintf(out + len, cap - len, "%s%s-%s",
		    i > 0 ? " " : "", first, last);
	}
	xpathfn_set_free(&s);
	valuePush(ctxt, xmlXPathNewString((const xmlChar *)out));
	free(out);
}

/* A string of sorted-join with its length. */
struct xpathfn_str {
	char	*s;
	size_t	 len;
};

static int
xpathfn_str_cmp(const void *pa, const void *pb)
{
	const struct xpathfn_str *a = pa, *b = pb;

	return strcmp(a->s, b->s);
}

/*
 * Join n sorted strings with sep into a new string, or NULL when the
 * result would exceed XPATHFN_JOIN_MAX bytes.
 */
static char *
xpathfn_join(const struct xpathfn_str *v, size_t n, const char *sep)
{
	size_t i, total = 0, seplen = strlen(sep);
	char *out, *p;

	for (i = 0; i < n; i++) {
		total += v[i].len + (i > 0 ? seplen : 0);
		if (total > XPATHFN_JOIN_MAX)
			return NULL;
	}
	out = p = xmalloc(total + 1);
	for (i = 0; i < n; i++) {
		if (i > 0) {
			memcpy(p, sep, seplen);
			p += seplen;
		}
		memcpy(p, v[i].s, v[i].len);
		p += v[i].len;
	}
	*p = '\0';
	return out;
}

/*
 * The body of mx:sorted-join: string values of the nodes in byte order
 * (duplicates kept) joined with sep.  Returns the string, or NULL with an
 * XPath error raised.
 */
static char *
xpathfn_sorted_join_nodes(xmlXPathParserContextPtr ctxt, xmlNodeSetPtr ns,
    const char *sep)
{
	struct xpathfn_str *v;
	struct mx_err err;
	size_t i, n = ns != NULL ? (size_t)ns->nodeNr : 0;
	char *out = NULL;
	int failed = 0;

	v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n && !failed; i++) {
		v[i].s = (char *)xmlXPathCastNodeToString(ns->nodeTab[i]);
		if (v[i].s == NULL)
			failed = 1;
		else
			v[i].len = strlen(v[i].s);
	}
	if (!failed) {
		qsort(v, n, sizeof(*v), xpathfn_str_cmp);
		out = xpathfn_join(v, n, sep);
	}
	for (i = 0; i < n; i++)
		xmlFree(v[i].s);
	free(v);
	if (failed)
		xmlXPathErr(ctxt, XPATH_MEMORY_ERROR);
	else if (out == NULL) {
		mx_err_init(&err);
		mx_err_set(&err, MX_ERR_LIMIT, NULL,
		    "result longer than XPATHFN_JOIN_MAX (%u bytes)",
		    XPATHFN_JOIN_MAX);
		xpathfn_fail(ctxt, XPATH_OP_LIMIT_EXCEEDED, "sorted-join",
		    &err);
	}
	return out;
}

/* mx:sorted-join(nodes, separator). */
static void
xpathfn_sorted_join(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlXPathObjectPtr sep, nodes;
	char *out = NULL;

	CHECK_ARITY(2);
	sep = valuePop(ctxt);
	nodes = valuePop(ctxt);
	if (sep == NULL || nodes == NULL)
		xmlXPathErr(ctxt, XPATH_STACK_ERROR);
	else if (sep->type != XPATH_STRING || !xpathfn_is_nodeset(nodes))
		xmlXPathErr(ctxt, XPATH_INVALID_TYPE);
	else
		out = xpathfn_sorted_join_nodes(ctxt, nodes->nodesetval,
		    (const char *)sep->stringval);
	xmlXPathFreeObject(sep);
	xmlXPathFreeObject(nodes);
	if (out != NULL) {
		valuePush(ctxt, xmlXPathNewString((const xmlChar *)out));
		free(out);
	}
}

/* Private space for mx:is-private: RFC 1918, RFC 4193, loopback. */
static const char *const xpathfn_private[] = {
	"10.0.0.0/8",		/* RFC 1918 */
	"172.16.0.0/12",	/* RFC 1918 */
	"192.168.0.0/16",	/* RFC 1918 */
	"127.0.0.0/8",		/* RFC 1122 loopback */
	"fc00::/7",		/* RFC 4193 unique local */
	"::1/128",		/* RFC 4291 loopback */
};

/* Does one range lie inside one block of private space? */
static int
xpathfn_range_private(const struct ip_range *r)
{
	struct ip_range p;
	struct mx_err err;
	size_t i;

	for (i = 0; i < sizeof(xpathfn_private) / sizeof(*xpathfn_private);
	    i++) {
		mx_err_init(&err);
		if (iprange_parse(xpathfn_private[i], &p, &err, NULL) == -1)
			continue;	/* cannot happen: constant texts */
		if (iprange_contains(&p, &r->first) &&
		    iprange_contains(&p, &r->last))
			return 1;
	}
	return 0;
}

/* mx:is-private(ranges): at least one range, and all of them private. */
static void
xpathfn_is_private(xmlXPathParserContextPtr ctxt, int nargs)
{
	struct xpathfn_set s = { NULL, 0, 0 };
	size_t i;
	int all;

	CHECK_ARITY(1);
	if (xpathfn_pop_ranges(ctxt, "is-private", &s) == -1) {
		xpathfn_set_free(&s);
		return;
	}
	all = s.n > 0;
	for (i = 0; i < s.n && all; i++)
		all = xpathfn_range_private(&s.r[i]);
	xpathfn_set_free(&s);
	valuePush(ctxt, xmlXPathNewBoolean(all));
}

/* --- domains ----------------------------------------------------------- */

/*
 * mx:public-suffix(name): true when name is a public suffix of the Public
 * Suffix List (libpsl, ICANN and private sections, its "*" default rule
 * included): "com", "co.uk", "appspot.com", an unlisted top-level label;
 * false for a registrable name such as "contoso.co.uk".  A wildcard
 * accepted domain "*.NAME" of a relay type on such a NAME relays to
 * domains of many owners.  Case does not matter; a trailing dot is left
 * out.  No list in libpsl is an XPath error, never a verdict.
 */
int
xpathfn_is_public_suffix(const char *name)
{
	const psl_ctx_t *psl = psl_builtin();
	char lower[256];
	size_t i, n = strlen(name);

	if (psl == NULL)
		return -1;
	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 0 || n >= sizeof(lower))
		return 0;
	for (i = 0; i < n; i++)
		lower[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ?
		    name[i] + ('a' - 'A') : name[i]);
	lower[n] = '\0';
	return psl_is_public_suffix2(psl, lower, PSL_TYPE_ANY) != 0;
}

static void
xpathfn_public_suffix(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlChar *name;
	int yes;

	CHECK_ARITY(1);
	if ((name = xmlXPathPopString(ctxt)) == NULL) {
		xmlXPathErr(ctxt, XPATH_INVALID_TYPE);
		return;
	}
	yes = xpathfn_is_public_suffix((const char *)name);
	xmlFree(name);
	if (yes == -1) {
		log_warnx(LOG_ENGINE, "mx:public-suffix: libpsl has no "
		    "built-in Public Suffix List");
		xmlXPathErr(ctxt, XPATH_EXPR_ERROR);
		return;
	}
	valuePush(ctxt, xmlXPathNewBoolean(yes));
}

/* --- certificate names ------------------------------------------------- */

#define XPATHFN_DN_VALUE_MAX	1024	/* longer attribute values: no match */

/* Lower-case ASCII copy of src[0..n) into dst (of n + 1 bytes). */
static void
xpathfn_lower(char *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ?
		    src[i] + ('a' - 'A') : src[i]);
	dst[n] = '\0';
}

/*
 * RFC 6125 section 6.4: does the DNS name presented (a CN value) match the
 * reference identifier fqdn?  ASCII case does not matter and a final dot
 * is left out of both.  A wildcard is only the whole left-most label
 * ("*.contoso.com"), stands for exactly one non-empty label, and never
 * covers a public suffix ("*.com", "*.co.uk"); partial wildcards
 * ("m*.contoso.com") match nothing.
 */
static int
xpathfn_dns_name_matches(const char *name, const char *fqdn)
{
	char n[256], f[256];
	size_t nl = strlen(name), fl = strlen(fqdn);
	const char *rest;

	if (nl > 0 && name[nl - 1] == '.')
		nl--;
	if (fl > 0 && fqdn[fl - 1] == '.')
		fl--;
	if (nl == 0 || fl == 0 || nl >= sizeof(n) || fl >= sizeof(f))
		return 0;
	xpathfn_lower(n, name, nl);
	xpathfn_lower(f, fqdn, fl);
	if (strchr(f, '*') != NULL)
		return 0;
	if (n[0] != '*')
		return strchr(n, '*') == NULL && strcmp(n, f) == 0;
	if (n[1] != '.' || strchr(n + 2, '*') != NULL ||
	    strchr(n + 2, '.') == NULL ||
	    xpathfn_is_public_suffix(n + 2) != 0)
		return 0;
	rest = strchr(f, '.');
	return rest != NULL && rest != f && strcmp(rest + 1, n + 2) == 0;
}

/*
 * One attribute value of a DN at *pp (RFC 4514 escapes "\," and "\2C",
 * and the quoted form "..." of RFC 1779 that Windows writes), unescaped
 * into v (of XPATHFN_DN_VALUE_MAX bytes; *over set when it did not fit
 * or held an escaped NUL, and then the value names nothing).
 * Leaves *pp at the separator (",", ";", "+") or the end.  Returns 0, or
 * -1 when the value is malformed (a dangling escape, an open quote).
 */
static int
xpathfn_dn_value(const char **pp, char *v, int *over)
{
	const char *p = *pp;
	size_t n = 0, keep = 0;
	int quoted = 0, c, h, l;

	*over = 0;
	while (*p == ' ')
		p++;
	if (*p == '"') {
		quoted = 1;
		p++;
	}
	for (;;) {
		c = (unsigned char)*p;
		if (c == '\0') {
			if (quoted)
				return -1;
			break;
		}
		if (quoted && c == '"') {
			p++;
			while (*p == ' ')
				p++;
			if (*p != '\0' && *p != ',' && *p != ';' && *p != '+')
				return -1;
			keep = n;
			break;
		}
		if (!quoted && (c == ',' || c == ';' || c == '+'))
			break;
		if (c == '\\') {
			p++;
			if (*p == '\0')
				return -1;
			if ((h = util_hex_digit((unsigned char)p[0])) != -1 &&
			    (l = util_hex_digit((unsigned char)p[1])) != -1) {
				c = h * 16 + l;
				p++;
			} else
				c = (unsigned char)*p;
			p++;
			if (c == 0)
				*over = 1;	/* "\00": no name has one */
			else if (n + 1 < XPATHFN_DN_VALUE_MAX)
				v[n++] = (char)c;
			else
				*over = 1;
			keep = n;	/* an escaped space is kept */
			continue;
		}
		p++;
		if (n + 1 < XPATHFN_DN_VALUE_MAX)
			v[n++] = (char)c;
		else
			*over = 1;
		if (c != ' ' || quoted)
			keep = n;
	}
	v[keep] = '\0';		/* trailing unescaped spaces are not part of it */
	*pp = p;
	return 0;
}

/*
 * The next attribute of a DN at *pp: its type, lower case, in type (of
 * tsize bytes; the CN and e-mail OID spellings made "cn" and "e") and its
 * unescaped value in value (of XPATHFN_DN_VALUE_MAX bytes; *over as
 * xpathfn_dn_value says).  Multi-valued RDNs ("+") give one attribute
 * each.  Returns 1, 0 at the end, -1 when the DN cannot be read.
 */
static int
xpathfn_dn_next(const char **pp, char *type, size_t tsize, char *value,
    int *over)
{
	const char *p = *pp, *t;
	size_t tl;

	while (*p == ' ')
		p++;
	if (*p == '\0')
		return 0;
	t = p;
	while (*p != '\0' && *p != '=' && *p != ',' && *p != ';' && *p != '+')
		p++;
	if (*p != '=')
		return -1;
	tl = (size_t)(p - t);
	while (tl > 0 && t[tl - 1] == ' ')
		tl--;
	if (tl == 0 || tl >= tsize)
		return -1;
	xpathfn_lower(type, t, tl);
	p++;
	if (xpathfn_dn_value(&p, value, over) == -1)
		return -1;
	if (*p != '\0')
		p++;	/* the separator */
	*pp = p;
	if (strcmp(type, "2.5.4.3") == 0 || strcmp(type, "oid.2.5.4.3") == 0)
		util_strlcpy(type, "cn", tsize);
	else if (strcmp(type, "emailaddress") == 0 ||
	    strcmp(type, "1.2.840.113549.1.9.1") == 0 ||
	    strcmp(type, "oid.1.2.840.113549.1.9.1") == 0)
		util_strlcpy(type, "e", tsize);
	else if (strcmp(type, "s") == 0)
		util_strlcpy(type, "st", tsize);
	return 1;
}

/*
 * Does a certificate subject DN ("CN=mail.contoso.com, O=Contoso") name
 * fqdn?  The DN is read RDN by RDN, attribute by attribute (multi-valued
 * RDNs joined by "+"), escapes and quotes honoured, and only the values of
 * CN attributes (CN, 2.5.4.3, OID.2.5.4.3) are compared, each as a DNS
 * name (RFC 6125, see xpathfn_dns_name_matches).  A CN inside another
 * attribute's value ("O=xCN=mail.contoso.com", "E=cn=...") is not one.  A
 * DN that cannot be read matches nothing.  Returns 1 or 0.
 */
int
xpathfn_cert_names(const char *subject, const char *fqdn)
{
	char type[32], value[XPATHFN_DN_VALUE_MAX];
	const char *p = subject;
	int over, rc, found = 0;

	while ((rc = xpathfn_dn_next(&p, type, sizeof(type), value,
	    &over)) == 1)
		if (!over && strcmp(type, "cn") == 0 &&
		    xpathfn_dns_name_matches(value, fqdn))
			found = 1;
	return rc == 0 && found;
}

/*
 * Are two DNs the same name: the same attributes in the same order, types
 * compared as xpathfn_dn_next spells them, values without regard to ASCII
 * case (the Windows form "CN=a, O=b" and RFC 2253's "CN=a,O=b" are one
 * name)?  A DN that cannot be read, or an overlong value, is no name.
 * Returns 1 or 0.
 */
int
xpathfn_dn_equal(const char *a, const char *b)
{
	char ta[32], tb[32], va[XPATHFN_DN_VALUE_MAX], vb[XPATHFN_DN_VALUE_MAX];
	int oa, ob, ra, rb, n = 0;

	for (;;) {
		ra = xpathfn_dn_next(&a, ta, sizeof(ta), va, &oa);
		rb = xpathfn_dn_next(&b, tb, sizeof(tb), vb, &ob);
		if (ra == -1 || rb == -1 || ra != rb)
			return 0;
		if (ra == 0)
			return n > 0;
		if (oa || ob || strcmp(ta, tb) != 0 || strcasecmp(va, vb) != 0)
			return 0;
		n++;
	}
}

/*
 * RFC 6125 section 6.4.4 on a <certificate> element (a server's, from
 * Get-ExchangeCertificate): when it has DNS names among its subject
 * alternative names (san values that are not IP addresses), fqdn must be
 * one of them (wildcards as xpathfn_dns_name_matches says) and the
 * subject is not looked at; without any, a CN of the subject must name
 * it.  Returns 1 or 0.
 */
int
xpathfn_cert_matches(xmlNodePtr cert, const char *fqdn)
{
	unsigned char addr[sizeof(struct in6_addr)];
	const char *v, *subject;
	xmlNodePtr k;
	int dns = 0;

	for (k = cert->children; k != NULL; k = k->next) {
		if (k->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)k->name, "san") != 0 ||
		    (v = xml_attr(k, "value")) == NULL ||
		    inet_pton(AF_INET, v, addr) == 1 ||
		    inet_pton(AF_INET6, v, addr) == 1)
			continue;
		dns = 1;
		if (xpathfn_dns_name_matches(v, fqdn))
			return 1;
	}
	if (dns)
		return 0;
	subject = xml_attr(cert, "subject");
	return subject != NULL && xpathfn_cert_names(subject, fqdn);
}

/*
 * The <certificate> elements of a connector's server that its
 * TlsCertificateName ("<I>issuer<S>subject") names: issuer and subject
 * the same DNs (xpathfn_dn_equal).  Adds them to set.
 */
static void
xpathfn_connector_certs(xmlNodePtr conn, xmlNodeSetPtr set)
{
	const char *name = xml_attr(conn, "tls-certificate-name");
	const char *i, *s, *ci, *cs;
	char issuer[XPATHFN_DN_VALUE_MAX];
	xmlNodePtr server = conn->parent, k;
	size_t il;

	if (name == NULL || server == NULL ||
	    server->type != XML_ELEMENT_NODE ||
	    strcmp((const char *)server->name, "server") != 0 ||
	    strncmp(name, "<I>", 3) != 0 || (s = strstr(name, "<S>")) == NULL)
		return;
	i = name + 3;
	il = (size_t)(s - i);
	if (il >= sizeof(issuer))
		return;
	memcpy(issuer, i, il);
	issuer[il] = '\0';
	s += 3;
	for (k = server->children; k != NULL; k = k->next) {
		if (k->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)k->name, "certificate") != 0 ||
		    (ci = xml_attr(k, "issuer")) == NULL ||
		    (cs = xml_attr(k, "subject")) == NULL)
			continue;
		if (xpathfn_dn_equal(ci, issuer) && xpathfn_dn_equal(cs, s))
			xmlXPathNodeSetAdd(set, k);
	}
}

static int	xpathfn_pop_element(xmlXPathParserContextPtr, int, xmlNodePtr *);

/*
 * mx:connector-certificates([connector]): the certificates of the
 * connector's server its TlsCertificateName names (none when the server
 * has no such certificate, or none was imported).
 */
static void
xpathfn_connector_certificates(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlNodeSetPtr set;
	xmlNodePtr conn;

	if (nargs > 1) {
		xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
		return;
	}
	if (xpathfn_pop_element(ctxt, nargs == 1, &conn) == -1)
		return;
	if ((set = xmlXPathNodeSetCreate(NULL)) == NULL) {
		xmlXPathErr(ctxt, XPATH_MEMORY_ERROR);
		return;
	}
	if (conn != NULL)
		xpathfn_connector_certs(conn, set);
	valuePush(ctxt, xmlXPathWrapNodeSet(set));
}

/*
 * mx:cert-matches(certificates, fqdn): true when the node-set holds at
 * least one <certificate> and every one names fqdn (RFC 6125, see
 * xpathfn_cert_matches).
 */
static void
xpathfn_cert_matches_fn(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlXPathObjectPtr certs;
	xmlChar *fqdn;
	xmlNodePtr n;
	int i, seen = 0, yes = 1;

	CHECK_ARITY(2);
	if ((fqdn = xmlXPathPopString(ctxt)) == NULL) {
		xmlXPathErr(ctxt, XPATH_INVALID_TYPE);
		return;
	}
	if ((certs = valuePop(ctxt)) == NULL ||
	    !xpathfn_is_nodeset(certs)) {
		xmlXPathFreeObject(certs);
		xmlFree(fqdn);
		xmlXPathErr(ctxt, XPATH_INVALID_TYPE);
		return;
	}
	for (i = 0; certs->nodesetval != NULL &&
	    i < certs->nodesetval->nodeNr; i++) {
		n = certs->nodesetval->nodeTab[i];
		if (n->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)n->name, "certificate") != 0)
			continue;
		seen = 1;
		if (!xpathfn_cert_matches(n, (const char *)fqdn))
			yes = 0;
	}
	xmlXPathFreeObject(certs);
	xmlFree(fqdn);
	valuePush(ctxt, xmlXPathNewBoolean(seen && yes));
}

/*
 * mx:cert-names(subject, fqdn): true when the certificate subject DN
 * subject has a CN attribute naming fqdn (see xpathfn_cert_names).
 */
static void
xpathfn_cert_names_fn(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlChar *subject, *fqdn;
	int yes;

	CHECK_ARITY(2);
	fqdn = xmlXPathPopString(ctxt);
	subject = xmlXPathPopString(ctxt);
	if (subject == NULL || fqdn == NULL) {
		xmlFree(subject);
		xmlFree(fqdn);
		xmlXPathErr(ctxt, XPATH_INVALID_TYPE);
		return;
	}
	yes = xpathfn_cert_names((const char *)subject, (const char *)fqdn);
	xmlFree(subject);
	xmlFree(fqdn);
	valuePush(ctxt, xmlXPathNewBoolean(yes));
}

/*
 * Is the accepted domain (an <accepted-domain> element) of a relay type
 * and a wildcard over every domain ("*") or over a public suffix
 * ("*.co.uk")?  Then every recipient under it counts as the
 * organisation's, and whoever may submit mail relays to it.
 */
int
xpathfn_relay_wildcard(xmlNodePtr domain)
{
	const char *type = xml_attr(domain, "type"), *name = xml_attr(domain,
	    "name");

	if (type == NULL || name == NULL || (strcmp(type, "InternalRelay") !=
	    0 && strcmp(type, "ExternalRelay") != 0))
		return 0;
	if (strcmp(name, "*") == 0)
		return 1;
	return strncmp(name, "*.", 2) == 0 &&
	    xpathfn_is_public_suffix(name + 2) == 1;
}

/* --- connectors (connsel.c) --------------------------------------------- */

/*
 * Pop a node-set argument and return its first element (NULL when empty);
 * with no argument, the context node.  -1 with an XPath error raised.
 */
static int
xpathfn_pop_element(xmlXPathParserContextPtr ctxt, int have_arg,
    xmlNodePtr *out)
{
	xmlXPathObjectPtr obj;
	int i;

	*out = NULL;
	if (!have_arg) {
		*out = ctxt->context->node;
		return 0;
	}
	if ((obj = valuePop(ctxt)) == NULL) {
		xmlXPathErr(ctxt, XPATH_STACK_ERROR);
		return -1;
	}
	if (!xpathfn_is_nodeset(obj)) {
		xmlXPathFreeObject(obj);
		xmlXPathErr(ctxt, XPATH_INVALID_TYPE);
		return -1;
	}
	for (i = 0; obj->nodesetval != NULL && i < obj->nodesetval->nodeNr;
	    i++)
		if (obj->nodesetval->nodeTab[i]->type == XML_ELEMENT_NODE) {
			*out = obj->nodesetval->nodeTab[i];
			break;
		}
	xmlXPathFreeObject(obj);
	return 0;
}

/* mx:relay-method([connector]): "anonymous", "externally-secured", ... */
static void
xpathfn_relay_method(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlNodePtr conn;

	if (nargs > 1) {
		xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
		return;
	}
	if (xpathfn_pop_element(ctxt, nargs == 1, &conn) == -1)
		return;
	valuePush(ctxt, xmlXPathNewString((const xmlChar *)(conn != NULL ?
	    effrights_relay_method(conn) : "")));
}

/*
 * mx:client-rights(connector, kind): the names of the rights a client kind
 * ('anonymous', 'authenticated', 'partner', 'exchange-server',
 * 'legacy-exchange-server', 'externally-secured') holds, from the
 * connector's derived facts.
 */
static void
xpathfn_client_rights(xmlXPathParserContextPtr ctxt, int nargs)
{
	char out[1024] = "";
	xmlChar *who;
	xmlNodePtr conn;
	uint32_t bits;
	size_t len;
	int kind, r;

	CHECK_ARITY(2);
	who = xmlXPathPopString(ctxt);
	if (who == NULL || xpathfn_pop_element(ctxt, 1, &conn) == -1) {
		xmlFree(who);
		return;
	}
	kind = effrights_client_find((const char *)who);
	xmlFree(who);
	if (kind < 0) {
		xmlXPathErr(ctxt, XPATH_INVALID_OPERAND);
		return;
	}
	bits = conn == NULL ? 0 : effrights_of(conn, kind);
	for (r = 0; r < EFFRIGHTS_RIGHT_COUNT; r++)
		if (bits & EFFRIGHTS_BIT(r)) {
			len = strlen(out);
			snprintf(out + len, sizeof(out) - len, "%s%s",
			    len > 0 ? " " : "", effrights_rights[r].name);
		}
	valuePush(ctxt, xmlXPathNewString((const xmlChar *)out));
}

/* mx:overridden-aces([connector]): allow entries a deny entry cancels. */
static void
xpathfn_overridden_aces(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlNodeSetPtr set;
	xmlNodePtr conn, *aces = NULL;
	size_t n = 0, i;

	if (nargs > 1) {
		xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
		return;
	}
	if (xpathfn_pop_element(ctxt, nargs == 1, &conn) == -1)
		return;
	set = xmlXPathNodeSetCreate(NULL);
	if (conn != NULL)
		aces = effrights_cancelled(conn, &n);
	for (i = 0; i < n; i++)
		xmlXPathNodeSetAdd(set, aces[i]);
	free(aces);
	valuePush(ctxt, xmlXPathWrapNodeSet(set));
}

/* Reachability of one connector; -1 with an XPath error raised. */
static int
xpathfn_reach(xmlXPathParserContextPtr ctxt, const char *fname,
    xmlNodePtr conn, int *reachable, xmlNodePtr ties[CONNSEL_TIES_MAX],
    size_t *nties)
{
	struct mx_err err;

	mx_err_init(&err);
	if (connsel_reach(conn, reachable, ties, nties, &err) == -1)
		return xpathfn_fail(ctxt, XPATH_INVALID_OPERAND, fname, &err);
	return 0;
}

/* mx:reachable([connector]): can some client land on it? */
static void
xpathfn_reachable(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlNodePtr conn, ties[CONNSEL_TIES_MAX];
	size_t nties;
	int reachable = 0;

	if (nargs > 1) {
		xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
		return;
	}
	if (xpathfn_pop_element(ctxt, nargs == 1, &conn) == -1)
		return;
	if (conn != NULL && xpathfn_reach(ctxt, "reachable", conn,
	    &reachable, ties, &nties) == -1)
		return;
	valuePush(ctxt, xmlXPathNewBoolean(reachable));
}

/* mx:tied-with([connector]): the connectors it ties with. */
static void
xpathfn_tied_with(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlNodePtr conn, ties[CONNSEL_TIES_MAX];
	xmlNodeSetPtr set;
	size_t nties = 0, i;
	int reachable;

	if (nargs > 1) {
		xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
		return;
	}
	if (xpathfn_pop_element(ctxt, nargs == 1, &conn) == -1)
		return;
	if (conn != NULL && xpathfn_reach(ctxt, "tied-with", conn,
	    &reachable, ties, &nties) == -1)
		return;
	set = xmlXPathNodeSetCreate(NULL);
	for (i = 0; i < nties; i++)
		xmlXPathNodeSetAdd(set, ties[i]);
	valuePush(ctxt, xmlXPathWrapNodeSet(set));
}

/*
 * mx:role-conflicts([connector]): the enabled connectors of the same
 * server whose TransportRole differs and that bind one of its addresses
 * and ports (connsel_roles_clash); empty for a disabled connector.
 */
static void
xpathfn_role_conflicts(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlNodePtr conn, c;
	xmlNodeSetPtr set;
	struct mx_err err;
	const char *en;
	int rc;

	if (nargs > 1) {
		xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
		return;
	}
	if (xpathfn_pop_element(ctxt, nargs == 1, &conn) == -1)
		return;
	set = xmlXPathNodeSetCreate(NULL);
	en = conn != NULL ? xml_attr(conn, "enabled") : NULL;
	for (c = conn != NULL && conn->parent != NULL &&
	    !(en != NULL && strcmp(en, "false") == 0) ?
	    conn->parent->children : NULL; c != NULL; c = c->next) {
		if (c == conn || c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, "receive-connector") != 0 ||
		    (xml_attr(c, "enabled") != NULL &&
		    strcmp(xml_attr(c, "enabled"), "false") == 0))
			continue;
		mx_err_init(&err);
		if ((rc = connsel_roles_clash(conn, c, &err)) == -1) {
			xmlXPathFreeNodeSet(set);
			xpathfn_fail(ctxt, XPATH_EXPR_ERROR, "role-conflicts",
			    &err);
			return;
		}
		if (rc == 1)
			xmlXPathNodeSetAdd(set, c);
	}
	valuePush(ctxt, xmlXPathWrapNodeSet(set));
}

/*
 * mx:selected-connectors(server, local-address, port, remote-address):
 * the connectors Exchange would choose (several on a tie).
 */
static void
xpathfn_selected_connectors(xmlXPathParserContextPtr ctxt, int nargs)
{
	struct connsel_choice ch;
	struct ip_addr local, remote;
	struct mx_err err;
	xmlChar *ltext, *rtext;
	xmlNodePtr server;
	xmlNodeSetPtr set;
	double port;
	size_t i;
	int rc;

	CHECK_ARITY(4);
	rtext = xmlXPathPopString(ctxt);
	port = xmlXPathPopNumber(ctxt);
	ltext = xmlXPathPopString(ctxt);
	if (rtext == NULL || ltext == NULL ||
	    xpathfn_pop_element(ctxt, 1, &server) == -1) {
		xmlFree(rtext);
		xmlFree(ltext);
		return;
	}
	set = xmlXPathNodeSetCreate(NULL);
	mx_err_init(&err);
	rc = 0;
	if (server != NULL && port >= 0 && port <= 65535 && port == (int)port) {
		if (iprange_addr_parse((const char *)ltext, &local, &err,
		    "local address") == -1 ||
		    iprange_addr_parse((const char *)rtext, &remote, &err,
		    "remote address") == -1 ||
		    connsel_select(server, &local, (unsigned)port, &remote, &ch,
		    &err) == -1)
			rc = -1;
		else
			for (i = 0; i < ch.n; i++)
				xmlXPathNodeSetAdd(set, ch.conn[i]);
	}
	xmlFree(rtext);
	xmlFree(ltext);
	if (rc == -1) {
		xmlXPathFreeNodeSet(set);
		xpathfn_fail(ctxt, XPATH_INVALID_OPERAND, "selected-connectors",
		    &err);
		return;
	}
	valuePush(ctxt, xmlXPathWrapNodeSet(set));
}

/*
 * The names Exchange setup gives the receive connectors it creates, each
 * followed by a space and the server's name (learn.microsoft.com,
 * "Default Receive connectors created during setup"; "Client S" is the
 * Exchange 2007/2010 one, "Default internal receive connector S" the Edge
 * Transport server's).
 */
static const char *const xpathfn_setup_names[] = {
	"Default", "Client Proxy", "Default Frontend", "Outbound Proxy Frontend",
	"Client Frontend", "Client", "Default internal receive connector", NULL
};

/* mx:made-by-setup([connector]): does it bear a name setup gives? */
static void
xpathfn_made_by_setup(xmlXPathParserContextPtr ctxt, int nargs)
{
	const char *name = NULL, *server = NULL;
	xmlNodePtr conn;
	size_t i, n;
	int made = 0;

	if (nargs > 1) {
		xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
		return;
	}
	if (xpathfn_pop_element(ctxt, nargs == 1, &conn) == -1)
		return;
	if (conn != NULL && conn->parent != NULL &&
	    conn->parent->type == XML_ELEMENT_NODE) {
		name = xml_attr(conn, "name");
		server = xml_attr(conn->parent, "name");
	}
	for (i = 0; name != NULL && server != NULL &&
	    xpathfn_setup_names[i] != NULL && !made; i++) {
		n = strlen(xpathfn_setup_names[i]);
		made = strncmp(name, xpathfn_setup_names[i], n) == 0 &&
		    name[n] == ' ' && strcmp(name + n + 1, server) == 0;
	}
	valuePush(ctxt, xmlXPathNewBoolean(made));
}

static const struct {
	const char		*name;
	xmlXPathFunction	 fn;
} xpathfn_table[] = {
	{ "cert-matches",	xpathfn_cert_matches_fn },
	{ "cert-names",		xpathfn_cert_names_fn },
	{ "connector-certificates",	xpathfn_connector_certificates },
	{ "client-rights",	xpathfn_client_rights },
	{ "covers-everything",	xpathfn_covers_everything },
	{ "in-range",		xpathfn_in_range },
	{ "is-private",		xpathfn_is_private },
	{ "made-by-setup",	xpathfn_made_by_setup },
	{ "max-range-size",	xpathfn_max_range_size },
	{ "range-set",		xpathfn_range_set },
	{ "range-size",		xpathfn_range_size },
	{ "overridden-aces",	xpathfn_overridden_aces },
	{ "public-suffix",	xpathfn_public_suffix },
	{ "ranges-overlap",	xpathfn_ranges_overlap },
	{ "reachable",		xpathfn_reachable },
	{ "relay-method",	xpathfn_relay_method },
	{ "role-conflicts",	xpathfn_role_conflicts },
	{ "selected-connectors",	xpathfn_selected_connectors },
	{ "tied-with",		xpathfn_tied_with },
	{ "sorted-join",	xpathfn_sorted_join },
};

#define XPATHFN_TABLE_N	(sizeof(xpathfn_table) / sizeof(*xpathfn_table))

/*
 * The work of a function call, charged to the context's operation count
 * (XPATH_OPS_MAX, XPATH_RUN_OPS_MAX) before the call: libxml2 counts the
 * steps of an expression, not what a function does inside.  A call costs
 * one, plus the size of its arguments (bytes of a string, or of the
 * string value of a node-set's first node for the string functions;
 * nodes of a node-set for the others), plus, for the functions whose work
 * grows faster than their input, an estimate of it: translate compares
 * every character of its string with every character of its second
 * argument, str:padding makes a string as long as it is asked, and so on
 * (docs/rules.md, "XPath budget").
 */
enum xpathfn_cost {
	XPATHFN_COST_LINEAR,	/* 1 + sizes */
	XPATHFN_COST_STRINGS,	/* as linear, node-sets by string length */
	XPATHFN_COST_PRODUCT,	/* strings, + first * second size / 8 */
	XPATHFN_COST_SETS,	/* node counts, + first * second / 8 */
	XPATHFN_COST_PADDING,	/* strings, + the first argument (a length) */
};

static const struct {
	const char		*ns;	/* NULL: XPath's own functions */
	const char		*name;
	enum xpathfn_cost	 cost;
} xpathfn_metered[] = {
	{ NULL, "translate", XPATHFN_COST_PRODUCT },
	{ NULL, "contains", XPATHFN_COST_PRODUCT },
	{ NULL, "substring-before", XPATHFN_COST_PRODUCT },
	{ NULL, "substring-after", XPATHFN_COST_PRODUCT },
	{ NULL, "concat", XPATHFN_COST_STRINGS },
	{ NULL, "normalize-space", XPATHFN_COST_STRINGS },
	{ "http://exslt.org/strings", "tokenize", XPATHFN_COST_PRODUCT },
	{ "http://exslt.org/strings", "split", XPATHFN_COST_PRODUCT },
	{ "http://exslt.org/strings", "replace", XPATHFN_COST_PRODUCT },
	{ "http://exslt.org/strings", "padding", XPATHFN_COST_PADDING },
	{ "http://exslt.org/strings", "align", XPATHFN_COST_STRINGS },
	{ "http://exslt.org/strings", "concat", XPATHFN_COST_LINEAR },
	{ "http://exslt.org/strings", "encode-uri", XPATHFN_COST_STRINGS },
	{ "http://exslt.org/strings", "decode-uri", XPATHFN_COST_STRINGS },
	{ "http://exslt.org/sets", "difference", XPATHFN_COST_SETS },
	{ "http://exslt.org/sets", "intersection", XPATHFN_COST_SETS },
	{ "http://exslt.org/sets", "has-same-node", XPATHFN_COST_SETS },
	{ "http://exslt.org/sets", "leading", XPATHFN_COST_SETS },
	{ "http://exslt.org/sets", "trailing", XPATHFN_COST_SETS },
	{ "http://exslt.org/sets", "distinct", XPATHFN_COST_LINEAR },
	{ "http://exslt.org/math", "min", XPATHFN_COST_LINEAR },
	{ "http://exslt.org/math", "max", XPATHFN_COST_LINEAR },
	{ "http://exslt.org/math", "highest", XPATHFN_COST_LINEAR },
	{ "http://exslt.org/math", "lowest", XPATHFN_COST_LINEAR },
};

static int
xpathfn_metered_index(const xmlChar *name, const xmlChar *ns)
{
	size_t i;

	for (i = 0; i < sizeof(xpathfn_metered) / sizeof(*xpathfn_metered);
	    i++) {
		if ((xpathfn_metered[i].ns == NULL) != (ns == NULL) ||
		    (ns != NULL && strcmp(xpathfn_metered[i].ns,
		    (const char *)ns) != 0))
			continue;
		if (strcmp(xpathfn_metered[i].name, (const char *)name) == 0)
			return (int)i;
	}
	return -1;
}

/* Size of one argument: bytes of its string value, or nodes. */
static unsigned long
xpathfn_arg_size(xmlXPathObjectPtr o, int strings)
{
	xmlChar *v;
	unsigned long n;

	if (o == NULL)
		return 0;
	switch (o->type) {
	case XPATH_STRING:
		return o->stringval ? (unsigned long)strlen(
		    (const char *)o->stringval) : 0;
	case XPATH_NODESET:
	case XPATH_XSLT_TREE:
		if (!strings)
			return o->nodesetval ?
			    (unsigned long)o->nodesetval->nodeNr : 0;
		v = xmlXPathCastToString(o);
		n = v ? (unsigned long)strlen((const char *)v) : 0;
		xmlFree(v);
		return n;
	case XPATH_NUMBER:
		return 1;
	default:
		return 1;
	}
}

static unsigned long
xpathfn_add(unsigned long a, unsigned long b)
{
	return a > ~0UL - b ? ~0UL : a + b;
}

static unsigned long
xpathfn_mul8(unsigned long a, unsigned long b)
{
	a = a / 8 + 1;
	return b != 0 && a > ~0UL / b ? ~0UL : a * b;
}

/*
 * Every metered function is called through here, by its own wrapper
 * (xpathfn_meter_N): charge its cost, then call the function registered
 * under its name.  The wrapper, not the context, says which function it
 * is: libxml2 caches the namespace of a call in the compiled expression,
 * pointing into the context that first ran it.  Every mx: function is
 * metered (XPATHFN_COST_SETS).
 */
static void
xpathfn_meter(xmlXPathParserContextPtr ctxt, int nargs, enum xpathfn_cost kind,
    xmlXPathFunction fn)
{
	xmlXPathContextPtr c = ctxt->context;
	unsigned long cost = 1, size[2] = { 0, 0 }, n;
	int i, first;

	if (fn == NULL || nargs < 0 || nargs > ctxt->valueNr) {
		xmlXPathErr(ctxt, XPATH_UNKNOWN_FUNC_ERROR);
		return;
	}
	first = ctxt->valueNr - nargs;
	for (i = 0; i < nargs; i++) {
		xmlXPathObjectPtr o = ctxt->valueTab[first + i];

		n = xpathfn_arg_size(o, kind != XPATHFN_COST_LINEAR &&
		    kind != XPATHFN_COST_SETS);
		if (i < 2)
			size[i] = n;
		cost = xpathfn_add(cost, n);
		if (kind == XPATHFN_COST_PADDING && i == 0 && o != NULL &&
		    o->type == XPATH_NUMBER && o->floatval > 0)
			cost = xpathfn_add(cost, o->floatval >= 1e18 ? ~0UL :
			    (unsigned long)o->floatval);
	}
	if (kind == XPATHFN_COST_PRODUCT || kind == XPATHFN_COST_SETS)
		cost = xpathfn_add(cost, xpathfn_mul8(size[0], size[1]));
	c->opCount = xpathfn_add(c->opCount, cost);
	if (c->opLimit != 0 && c->opCount > c->opLimit) {
		xmlXPathErr(ctxt, XPATH_OP_LIMIT_EXCEEDED);
		return;
	}
	fn(ctxt, nargs);
}

/* XPath's own and EXSLT functions: the one registered under the name. */
#define XPATHFN_METER(k) \
	static void \
	xpathfn_meter_##k(xmlXPathParserContextPtr ctxt, int nargs) \
	{ \
		xpathfn_meter(ctxt, nargs, xpathfn_metered[k].cost, \
		    (xmlXPathFunction)xmlHashLookup2(ctxt->context->funcHash, \
		    (const xmlChar *)xpathfn_metered[k].name, \
		    (const xmlChar *)xpathfn_metered[k].ns)); \
	}
XPATHFN_METER(0)
XPATHFN_METER(1)
XPATHFN_METER(2)
XPATHFN_METER(3)
XPATHFN_METER(4)
XPATHFN_METER(5)
XPATHFN_METER(6)
XPATHFN_METER(7)
XPATHFN_METER(8)
XPATHFN_METER(9)
XPATHFN_METER(10)
XPATHFN_METER(11)
XPATHFN_METER(12)
XPATHFN_METER(13)
XPATHFN_METER(14)
XPATHFN_METER(15)
XPATHFN_METER(16)
XPATHFN_METER(17)
XPATHFN_METER(18)
XPATHFN_METER(19)
XPATHFN_METER(20)
XPATHFN_METER(21)
XPATHFN_METER(22)
XPATHFN_METER(23)

static const xmlXPathFunction xpathfn_meters[] = {
	xpathfn_meter_0, xpathfn_meter_1, xpathfn_meter_2, xpathfn_meter_3,
	xpathfn_meter_4, xpathfn_meter_5, xpathfn_meter_6, xpathfn_meter_7,
	xpathfn_meter_8, xpathfn_meter_9, xpathfn_meter_10, xpathfn_meter_11,
	xpathfn_meter_12, xpathfn_meter_13, xpathfn_meter_14, xpathfn_meter_15,
	xpathfn_meter_16, xpathfn_meter_17, xpathfn_meter_18, xpathfn_meter_19,
	xpathfn_meter_20, xpathfn_meter_21, xpathfn_meter_22, xpathfn_meter_23,
};

/* Our own functions, by their place in xpathfn_table. */
#define XPATHFN_MX_METER(k) \
	static void \
	xpathfn_mx_meter_##k(xmlXPathParserContextPtr ctxt, int nargs) \
	{ \
		xpathfn_meter(ctxt, nargs, XPATHFN_COST_SETS, \
		    k < XPATHFN_TABLE_N ? xpathfn_table[k].fn : NULL); \
	}
XPATHFN_MX_METER(0)
XPATHFN_MX_METER(1)
XPATHFN_MX_METER(2)
XPATHFN_MX_METER(3)
XPATHFN_MX_METER(4)
XPATHFN_MX_METER(5)
XPATHFN_MX_METER(6)
XPATHFN_MX_METER(7)
XPATHFN_MX_METER(8)
XPATHFN_MX_METER(9)
XPATHFN_MX_METER(10)
XPATHFN_MX_METER(11)
XPATHFN_MX_METER(12)
XPATHFN_MX_METER(13)
XPATHFN_MX_METER(14)
XPATHFN_MX_METER(15)
XPATHFN_MX_METER(16)
XPATHFN_MX_METER(17)
XPATHFN_MX_METER(18)
XPATHFN_MX_METER(19)
XPATHFN_MX_METER(20)
XPATHFN_MX_METER(21)
XPATHFN_MX_METER(22)
XPATHFN_MX_METER(23)
XPATHFN_MX_METER(24)
XPATHFN_MX_METER(25)
XPATHFN_MX_METER(26)
XPATHFN_MX_METER(27)
XPATHFN_MX_METER(28)
XPATHFN_MX_METER(29)
XPATHFN_MX_METER(30)
XPATHFN_MX_METER(31)

static const xmlXPathFunction xpathfn_mx_meters[] = {
	xpathfn_mx_meter_0, xpathfn_mx_meter_1, xpathfn_mx_meter_2, xpathfn_mx_meter_3,
	xpathfn_mx_meter_4, xpathfn_mx_meter_5, xpathfn_mx_meter_6, xpathfn_mx_meter_7,
	xpathfn_mx_meter_8, xpathfn_mx_meter_9, xpathfn_mx_meter_10, xpathfn_mx_meter_11,
	xpathfn_mx_meter_12, xpathfn_mx_meter_13, xpathfn_mx_meter_14, xpathfn_mx_meter_15,
	xpathfn_mx_meter_16, xpathfn_mx_meter_17, xpathfn_mx_meter_18, xpathfn_mx_meter_19,
	xpathfn_mx_meter_20, xpathfn_mx_meter_21, xpathfn_mx_meter_22, xpathfn_mx_meter_23,
	xpathfn_mx_meter_24, xpathfn_mx_meter_25, xpathfn_mx_meter_26, xpathfn_mx_meter_27,
	xpathfn_mx_meter_28, xpathfn_mx_meter_29, xpathfn_mx_meter_30, xpathfn_mx_meter_31,
};

/* Every mx: function has its meter: add meters past 32 functions. */
typedef char xpathfn_mx_meters_enough[XPATHFN_TABLE_N <=
    sizeof(xpathfn_mx_meters) / sizeof(*xpathfn_mx_meters) ? 1 : -1];
typedef char xpathfn_meters_complete[sizeof(xpathfn_meters) /
    sizeof(*xpathfn_meters) == sizeof(xpathfn_metered) /
    sizeof(*xpathfn_metered) ? 1 : -1];

/* The function lookup of our contexts: metered functions first. */
static xmlXPathFunction
xpathfn_lookup(void *data, const xmlChar *name, const xmlChar *ns)
{
	xmlXPathContextPtr ctx = data;
	size_t i;
	int k;

	if (ns != NULL && strcmp((const char *)ns, XPATHFN_NS) == 0) {
		for (i = 0; i < XPATHFN_TABLE_N; i++)
			if (strcmp(xpathfn_table[i].name,
			    (const char *)name) == 0)
				return xpathfn_mx_meters[i];
		return NULL;
	}
	k = xpathfn_metered_index(name, ns);
	if (k == -1 || xmlHashLookup2(ctx->funcHash, name, ns) == NULL)
		return NULL;
	return xpathfn_meters[k];
}

/*
 * Register the mx: functions and the EXSLT modules libexslt can bind to an
 * XPath context (prefixes date, math, set, str), every costly one behind
 * xpathfn_meter.  Returns 0, or -1 when libxml2 or libexslt refuses a
 * registration.
 */
int
xpathfn_register(xmlXPathContextPtr ctx)
{
	const xmlChar *ns = (const xmlChar *)XPATHFN_NS;
	size_t i;

	if (ctx == NULL ||
	    xmlXPathRegisterNs(ctx, (const xmlChar *)XPATHFN_PREFIX, ns) != 0)
		return -1;
	for (i = 0; i < sizeof(xpathfn_table) / sizeof(*xpathfn_table); i++)
		if (xmlXPathRegisterFuncNS(ctx,
		    (const xmlChar *)xpathfn_table[i].name, ns,
		    xpathfn_table[i].fn) != 0)
			return -1;
	if (exsltDateXpathCtxtRegister(ctx, (const xmlChar *)"date") != 0 ||
	    exsltMathXpathCtxtRegister(ctx, (const xmlChar *)"math") != 0 ||
	    exsltSetsXpathCtxtRegister(ctx, (const xmlChar *)"set") != 0 ||
	    exsltStrXpathCtxtRegister(ctx, (const xmlChar *)"str") != 0)
		return -1;
	xmlXPathRegisterFuncLookup(ctx, xpathfn_lookup, ctx);
	return 0;
}

static int
xpathfn_name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/* Names followed by "(" that are not function calls. */
static int
xpathfn_not_a_call(const char *name)
{
	static const char *const words[] = {
		"node", "text", "comment", "processing-instruction",
		"and", "or", "div", "mod", NULL
	};
	size_t i;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(words[i], name) == 0)
			return 1;
	return 0;
}

/* Is the function "prefix:local" (prefix may be empty) known to ctx? */
static int
xpathfn_known(xmlXPathContextPtr ctx, const char *prefix, const char *local)
{
	const xmlChar *uri;

	if (prefix[0] == '\0')
		return xmlXPathFunctionLookup(ctx, (const xmlChar *)local) !=
		    NULL;
	uri = xmlXPathNsLookup(ctx, (const xmlChar *)prefix);
	return uri != NULL && xmlXPathFunctionLookupNS(ctx,
	    (const xmlChar *)local, uri) != NULL;
}

int
xpathfn_check_calls(xmlXPathContextPtr ctx, const char *expr, char *bad,
    size_t badsize)
{
	char prefix[128], local[128];
	const char *p = expr, *q;
	size_t n;

	while (*p != '\0') {
		if (*p == '\'' || *p == '"') {		/* skip literals */
			q = strchr(p + 1, *p);
			if (q == NULL)
				return 0;	/* the compiler reports it */
			p = q + 1;
			continue;
		}
		if (!xpathfn_name_char((unsigned char)*p) ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.') {
			p++;
			continue;
		}
		if (p > expr && (p[-1] == '@' || p[-1] == '$')) {
			while (xpathfn_name_char((unsigned char)*p) ||
			    (*p == ':' && p[1] != ':'))
				p++;
			continue;
		}
		prefix[0] = '\0';
		for (q = p; xpathfn_name_char((unsigned char)*q); q++)
			;
		n = (size_t)(q - p);
		if (*q == ':' && q[1] != ':' && n < sizeof(prefix)) {
			memcpy(prefix, p, n);
			prefix[n] = '\0';
			p = q + 1;
			for (q = p; xpathfn_name_char((unsigned char)*q); q++)
				;
			n = (size_t)(q - p);
		}
		if (n >= sizeof(local)) {
			p = q;
			continue;
		}
		memcpy(local, p, n);
		local[n] = '\0';
		p = q;
		while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
			q++;
		if (*q != '(' || (prefix[0] == '\0' &&
		    xpathfn_not_a_call(local)))
			continue;
		if (!xpathfn_known(ctx, prefix, local)) {
			snprintf(bad, badsize, "%s%s%s", prefix,
			    prefix[0] ? ":" : "", local);
			return -1;
		}
	}
	return 0;
}
