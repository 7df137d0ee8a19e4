/*
 * probe_targets.c - TARGET strings, @FILE lists, --ports, CIDR expansion,
 * host name and MX resolution for the SMTP probes (see probe_targets.h).
 *
 * Specifications: RFC 4291 2.2 and RFC 3986 3.2.2 (IPv6 text and the
 * [addr]:port form), RFC 4632 (CIDR), RFC 1123 2.1 (host names), RFC 1035
 * 4.1 (DNS messages, read with a bounded reader), RFC 5321 5.1 (implicit
 * MX), RFC 7505 (null MX).
 *
 * SPDX-License-Identifier: ISC
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/nameser.h>

#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bounds.h"
#include "err.h"
#include "iprange.h"
#include "log.h"
#include "probe_targets.h"
#include "util.h"

#define PROBE_TARGETS_DEFAULT_PORT	25
#define PROBE_TARGETS_DNS_MX		15	/* RFC 1035 3.2.2 */
#define PROBE_TARGETS_DNS_IN		1

/* A TARGET cut into its parts. */
struct probe_targets_spec {
	char		 host[PROBE_TARGET_TEXT_MAX + 1];
	int		 has_port;
	uint16_t	 port;
};

static size_t
probe_targets_limit(const struct probe_targets_options *o)
{
	return o->max != 0 ? o->max : PROBE_TARGETS_MAX;
}

static void
probe_targets_ports(const struct probe_targets_options *o,
    const struct probe_targets_spec *spec, const uint16_t **ports,
    size_t *n)
{
	static const uint16_t dflt = PROBE_TARGETS_DEFAULT_PORT;

	if (spec != NULL && spec->has_port) {
		*ports = &spec->port;
		*n = 1;
	} else if (o->ports != NULL && o->nports > 0) {
		*ports = o->ports;
		*n = o->nports;
	} else {
		*ports = &dflt;
		*n = 1;
	}
}

static void
probe_targets_push(struct probe_target_list *l, const char *name,
    size_t given, int is_host, const struct ip_addr *addr, uint16_t port,
    const char *error)
{
	struct probe_target *t;
	size_t n = l->n;

	/* Capacity is the power of two at or above n (at least 16). */
	if (n == 0 || (n & (n - 1)) == 0)
		l->v = xreallocarray(l->v, n < 8 ? 16 : 2 * n, sizeof(*l->v));
	t = &l->v[l->n++];
	memset(t, 0, sizeof(*t));
	t->name = xstrdup(name);
	t->given = given;
	t->is_host = is_host;
	if (addr != NULL) {
		t->resolved = 1;
		t->addr = *addr;
	}
	t->port = port;
	t->error = error != NULL ? xstrdup(error) : NULL;
}

/* Drop the entries from n on (undo a failed add). */
static void
probe_targets_truncate(struct probe_target_list *l, size_t n)
{
	while (l->n > n) {
		l->n--;
		free(l->v[l->n].name);
		free(l->v[l->n].error);
	}
}

void
probe_targets_free(struct probe_target_list *l)
{
	if (l == NULL)
		return;
	probe_targets_truncate(l, 0);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* --- ports -------------------------------------------------------------- */

static int
probe_ports_one(const char *text, uint32_t *port, struct mx_err *err)
{
	struct mx_err scratch;

	mx_err_init(&scratch);
	if (parse_u32(text, 65535, port, &scratch, "--ports") == -1 ||
	    *port == 0)
		return mx_err_set(err, MX_ERR_USAGE, "--ports",
		    "\"%s\" is not a port (1-65535)", text);
	return 0;
}

int
probe_ports_parse(const char *list, uint16_t *ports, size_t max,
    size_t *nports, struct mx_err *err)
{
	uint8_t seen[65536 / 8];
	char item[32], *dash;
	const char *p = list, *end;
	uint32_t lo, hi, v;
	size_t len, n = 0;

	*nports = 0;
	memset(seen, 0, sizeof(seen));
	if (list == NULL || *list == '\0')
		return mx_err_set(err, MX_ERR_USAGE, "--ports",
		    "expected a list of ports such as 25,465,587");
	for (;;) {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (len == 0 || len >= sizeof(item))
			return mx_err_set(err, MX_ERR_USAGE, "--ports",
			    "expected PORT or PORT-PORT between commas");
		memcpy(item, p, len);
		item[len] = '\0';
		if ((dash = strchr(item, '-')) != NULL)
			*dash = '\0';
		if (probe_ports_one(item, &lo, err) == -1)
			return -1;
		hi = lo;
		if (dash != NULL && probe_ports_one(dash + 1, &hi, err) == -1)
			return -1;
		if (hi < lo)
			return mx_err_set(err, MX_ERR_USAGE, "--ports",
			    "range %u-%u is backwards", lo, hi);
		for (v = lo; v <= hi; v++)
			seen[v / 8] |= 1u << (v % 8);
		if (end == NULL)
			break;
		p = end + 1;
	}
	for (v = 1; v < 65536; v++) {
		if (!(seen[v / 8] & (1u << (v % 8))))
			continue;
		if (n == max)
			return mx_err_set(err, MX_ERR_LIMIT, "--ports",
			    "more than %zu ports (PROBE_PORTS_MAX)", max);
		ports[n++] = (uint16_t)v;
	}
	*nports = n;
	return 0;
}

/* --- one TARGET ---------------------------------------------------------- */

/*
 * A host name as RFC 1123 allows it (underscores tolerated), at most 253
 * bytes plus a final dot.  A name whose last label is all digits is
 * refused: resolvers would read "10.1" or "0x7f.1" as an address.
 */
static int
probe_targets_valid_host(const char *s)
{
	size_t len = strlen(s), label = 0, i;
	int digits = 1;

	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || len > 253)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			label = 0;
			digits = 1;
			continue;
		}
		if (!isalnum(c) && c != '-' && c != '_')
			return 0;
		if (c == '-' && label == 0)
			return 0;
		if (!isdigit(c))
			digits = 0;
		if (++label > 63)
			return 0;
	}
	return label > 0 && s[len - 1] != '-' && !digits;
}

/* Split "host", "host:port", "[v6]:port", "v6" into spec. */
static int
probe_targets_split(const char *text, struct probe_targets_spec *spec,
    struct mx_err *err, const char *where)
{
	const char *colon, *close, *port = NULL, *p;
	size_t len = strlen(text), hostlen, ncolons = 0;
	struct mx_err scratch;
	uint32_t v;

	memset(spec, 0, sizeof(*spec));
	if (len == 0)
		return mx_err_set(err, MX_ERR_INPUT, where, "empty target");
	if (len > PROBE_TARGET_TEXT_MAX)
		return mx_err_set(err, MX_ERR_LIMIT, where, "target longer "
		    "than %d bytes (PROBE_TARGET_TEXT_MAX)",
		    PROBE_TARGET_TEXT_MAX);
	for (p = text; *p != '\0'; p++) {
		if (*p <= ' ' || *p > '~')
			return mx_err_set(err, MX_ERR_INPUT, where, "target "
			    "holds a space or a non-printable character");
		if (*p == ':')
			ncolons++;
	}
	if (text[0] == '[') {
		if ((close = strchr(text, ']')) == NULL)
			return mx_err_set(err, MX_ERR_INPUT, where,
			    "\"%s\": missing ]", text);
		hostlen = (size_t)(close - text - 1);
		memcpy(spec->host, text + 1, hostlen);
		if (close[1] == ':')
			port = close + 2;
		else if (close[1] != '\0')
			return mx_err_set(err, MX_ERR_INPUT, where,
			    "\"%s\": expected :PORT after ]", text);
	} else if (ncolons == 1) {
		colon = strchr(text, ':');
		hostlen = (size_t)(colon - text);
		memcpy(spec->host, text, hostlen);
		port = colon + 1;
	} else {
		/* No colon, or a bare IPv6 address (which takes no port). */
		hostlen = len;
		memcpy(spec->host, text, hostlen);
	}
	spec->host[hostlen] = '\0';
	if (hostlen == 0)
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "\"%s\": no host", text);
	if (port != NULL) {
		mx_err_init(&scratch);
		if (parse_u32(port, 65535, &v, &scratch, where) == -1 ||
		    v == 0)
			return mx_err_set(err, MX_ERR_INPUT, where,
			    "\"%s\": \"%s\" is not a port (1-65535)", text,
			    port);
		spec->has_port = 1;
		spec->port = (uint16_t)v;
	}
	return 0;
}

/* The address after a (same family, a != last). */
static void
probe_targets_next_addr(struct ip_addr *a)
{
	int i = a->family == IPRANGE_V4 ? 3 : 15;

	for (; i >= 0; i--)
		if (++a->bytes[i] != 0)
			break;
}

static int
probe_targets_room(const struct probe_target_list *l, double count,
    const struct probe_targets_options *o, struct mx_err *err,
    const char *where, const char *text)
{
	size_t max = probe_targets_limit(o);

	if (count > (double)max || (double)l->n + count > (double)max)
		return mx_err_set(err, MX_ERR_LIMIT, where, "\"%s\" makes "
		    "more than %zu targets (PROBE_TARGETS_MAX); probe a "
		    "smaller block or fewer ports", text, max);
	return 0;
}

static int
probe_targets_cidr(struct probe_target_list *l, const char *text,
    const struct probe_targets_spec *spec,
    const struct probe_targets_options *o, struct mx_err *err,
    const char *where)
{
	const uint16_t *ports;
	struct ip_range r;
	struct ip_addr a;
	const char *slash = strchr(spec->host, '/');
	size_t nports, i, given;

	if (strchr(spec->host, '-') != NULL || slash[1] == '\0' ||
	    strspn(slash + 1, "0123456789") != strlen(slash + 1))
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "\"%s\": expected ADDRESS/PREFIX", text);
	if (iprange_parse(spec->host, &r, err, where) == -1)
		return -1;
	probe_targets_ports(o, spec, &ports, &nports);
	if (probe_targets_room(l, iprange_size(&r) * (double)nports, o, err,
	    where, text) == -1)
		return -1;
	given = l->ngiven++;
	for (a = r.first;; probe_targets_next_addr(&a)) {
		for (i = 0; i < nports; i++)
			probe_targets_push(l, spec->host, given, 0, &a,
			    ports[i], NULL);
		if (iprange_addr_cmp(&a, &r.last) == 0)
			break;
	}
	return 0;
}

/* One TARGET that is not @FILE. */
static int
probe_targets_add_one(struct probe_target_list *l, const char *text,
    const struct probe_targets_options *o, struct mx_err *err,
    const char *where)
{
	struct probe_targets_spec spec;
	struct mx_err scratch;
	const uint16_t *ports;
	struct ip_addr a;
	size_t nports, i, given;
	int bracketed = text[0] == '[';

	if (probe_targets_split(text, &spec, err, where) == -1)
		return -1;
	if (strchr(spec.host, '/') != NULL)
		return probe_targets_cidr(l, text, &spec, o, err, where);
	probe_targets_ports(o, &spec, &ports, &nports);
	if (probe_targets_room(l, (double)nports, o, err, where, text) == -1)
		return -1;
	mx_err_init(&scratch);
	if (iprange_addr_parse(spec.host, &a, &scratch, where) == 0) {
		given = l->ngiven++;
		for (i = 0; i < nports; i++)
			probe_targets_push(l, spec.host, given, 0, &a,
			    ports[i], NULL);
		return 0;
	}
	if (bracketed || strchr(spec.host, ':') != NULL)
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "\"%s\" is not an IPv6 address", spec.host);
	if (!probe_targets_valid_host(spec.host))
		return mx_err_set(err, MX_ERR_INPUT, where, "\"%s\" is not "
		    "an IP address, a CIDR block or a host name", spec.host);
	given = l->ngiven++;
	for (i = 0; i < nports; i++)
		probe_targets_push(l, spec.host, given, 1, NULL, ports[i],
		    NULL);
	return 0;
}

/* Every line of @FILE: blank lines and # comments skipped. */
static int
probe_targets_add_file(struct probe_target_list *l, const char *path,
    const struct probe_targets_options *o, struct mx_err *err)
{
	struct util_file f;
	char where[300], line[PROBE_TARGET_TEXT_MAX + 1];
	const char *p, *end, *eol;
	size_t lineno = 0, len;
	int rc = 0;

	if (*path == '\0')
		return mx_err_set(err, MX_ERR_INPUT, "@", "expected @FILE");
	if (util_read_file(path, PROBE_TARGETS_FILE_MAX, &f, err) == -1)
		return -1;
	if (strlen(f.data) != f.len) {
		util_file_free(&f);
		return mx_err_set(err, MX_ERR_INPUT, path,
		    "target list holds a NUL byte");
	}
	for (p = f.data, end = f.data + f.len; p < end && rc == 0; p = eol) {
		const char *s = p, *e, *hash;

		lineno++;
		eol = memchr(p, '\n', (size_t)(end - p));
		eol = eol != NULL ? eol + 1 : end;
		snprintf(where, sizeof(where), "%s:%zu", path, lineno);
		e = eol;
		if ((hash = memchr(s, '#', (size_t)(e - s))) != NULL)
			e = hash;
		while (s < e && isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		len = (size_t)(e - s);
		if (len == 0)
			continue;
		if (len > PROBE_TARGET_TEXT_MAX) {
			rc = mx_err_set(err, MX_ERR_LIMIT, where, "target "
			    "longer than %d bytes (PROBE_TARGET_TEXT_MAX)",
			    PROBE_TARGET_TEXT_MAX);
			break;
		}
		memcpy(line, s, len);
		line[len] = '\0';
		if (line[0] == '@')
			rc = mx_err_set(err, MX_ERR_INPUT, where,
			    "@FILE cannot name another @FILE");
		else
			rc = probe_targets_add_one(l, line, o, err, where);
	}
	util_file_free(&f);
	return rc;
}

int
probe_targets_add(struct probe_target_list *l, const char *text,
    const struct probe_targets_options *o, struct mx_err *err)
{
	size_t n0 = l->n, given0 = l->ngiven;
	int rc;

	if (text[0] == '@')
		rc = probe_targets_add_file(l, text + 1, o, err);
	else
		rc = probe_targets_add_one(l, text, o, err, text);
	if (rc == -1) {
		probe_targets_truncate(l, n0);
		l->ngiven = given0;
	}
	return rc;
}

/* --- MX records ----------------------------------------------------------- */

struct probe_targets_dns {
	const unsigned char	*msg;
	size_t			 len, pos;
};

static int
probe_targets_dns_u16(struct probe_targets_dns *d, unsigned *v)
{
	if (d->len - d->pos < 2)
		return -1;
	*v = (unsigned)d->msg[d->pos] << 8 | d->msg[d->pos + 1];
	d->pos += 2;
	return 0;
}

static int
probe_targets_dns_skip(struct probe_targets_dns *d, size_t n)
{
	if (d->len - d->pos < n)
		return -1;
	d->pos += n;
	return 0;
}

/* Expand the (possibly compressed) name at pos; advance past it. */
static int
probe_targets_dns_name(struct probe_targets_dns *d, char *out, size_t size)
{
	int n;

	n = dn_expand(d->msg, d->msg + d->len, d->msg + d->pos, out,
	    (int)size);
	if (n < 0 || (size_t)n > d->len - d->pos)
		return -1;
	d->pos += (size_t)n;
	return 0;
}

static int
probe_targets_mx_cmp(const void *a, const void *b)
{
	const struct probe_mx *x = a, *y = b;

	if (x->preference != y->preference)
		return x->preference < y->preference ? -1 : 1;
	return strcasecmp(x->host, y->host);
}

int
probe_targets_mx_parse(const unsigned char *msg, size_t len,
    struct probe_mx *mx, size_t max, size_t *nmx, struct mx_err *err,
    const char *where)
{
	struct probe_targets_dns d = { msg, len, 0 };
	unsigned flags, qd, an, type, class, rdlen, pref, i;
	char name[NS_MAXDNAME];
	size_t rdend;

	*nmx = 0;
	if (len > PROBE_DNS_ANSWER_MAX)
		return mx_err_set(err, MX_ERR_LIMIT, where, "DNS answer over "
		    "%u bytes (PROBE_DNS_ANSWER_MAX)", PROBE_DNS_ANSWER_MAX);
	if (probe_targets_dns_skip(&d, 2) == -1 ||
	    probe_targets_dns_u16(&d, &flags) == -1 ||
	    probe_targets_dns_u16(&d, &qd) == -1 ||
	    probe_targets_dns_u16(&d, &an) == -1 ||
	    probe_targets_dns_skip(&d, 4) == -1)
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "DNS answer shorter than its header");
	if (!(flags & 0x8000))
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "DNS message is not a response");
	if ((flags & 0xf) == 3)
		return mx_err_set(err, MX_ERR_INPUT, where, "no such domain");
	if ((flags & 0xf) != 0)
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "DNS error (rcode %u)", flags & 0xf);
	for (i = 0; i < qd; i++)
		if (probe_targets_dns_name(&d, name, sizeof(name)) == -1 ||
		    probe_targets_dns_skip(&d, 4) == -1)
			return mx_err_set(err, MX_ERR_INPUT, where,
			    "DNS question %u is truncated or invalid", i + 1);
	for (i = 0; i < an; i++) {
		if (probe_targets_dns_name(&d, name, sizeof(name)) == -1 ||
		    probe_targets_dns_u16(&d, &type) == -1 ||
		    probe_targets_dns_u16(&d, &class) == -1 ||
		    probe_targets_dns_skip(&d, 4) == -1 ||
		    probe_targets_dns_u16(&d, &rdlen) == -1 ||
		    d.len - d.pos < rdlen)
			return mx_err_set(err, MX_ERR_INPUT, where,
			    "DNS answer record %u is truncated or invalid",
			    i + 1);
		rdend = d.pos + rdlen;
		if (type != PROBE_TARGETS_DNS_MX ||
		    class != PROBE_TARGETS_DNS_IN) {
			d.pos = rdend;
			continue;
		}
		if (probe_targets_dns_u16(&d, &pref) == -1 ||
		    probe_targets_dns_name(&d, name, sizeof(name)) == -1 ||
		    d.pos != rdend)
			return mx_err_set(err, MX_ERR_INPUT, where,
			    "MX record %u is invalid", i + 1);
		if (*nmx == max) {
			log_warnx(LOG_PROBE, "%s: more than %zu MX records "
			    "(PROBE_MX_MAX); the rest are ignored", where,
			    max);
			break;
		}
		mx[*nmx].preference = pref;
		util_strlcpy(mx[*nmx].host, name, sizeof(mx[*nmx].host));
		(*nmx)++;
	}
	qsort(mx, *nmx, sizeof(*mx), probe_targets_mx_cmp);
	return 0;
}

int
probe_targets_add_mx(struct probe_target_list *l, const char *domain,
    const struct probe_targets_options *o, struct mx_err *err)
{
	struct __res_state rs;
	struct probe_mx mx[PROBE_MX_MAX];
	unsigned char *answer = NULL;
	const uint16_t *ports;
	size_t nmx = 0, nports, i, j, n0 = l->n, given0 = l->ngiven;
	int n, rc = -1, herr;

	if (!probe_targets_valid_host(domain))
		return mx_err_set(err, MX_ERR_INPUT, domain,
		    "--mx needs a domain name");
	memset(&rs, 0, sizeof(rs));
	if (res_ninit(&rs) != 0)
		return mx_err_set(err, MX_ERR_NET, domain,
		    "cannot initialise the resolver");
	rs.retrans = (int)(o->timeout != 0 ? o->timeout :
	    PROBE_TIMEOUT_DEFAULT);
	rs.retry = 1;
	answer = xmalloc(PROBE_DNS_ANSWER_MAX);
	log_info(LOG_PROBE, "%s: looking up MX records", domain);
	n = res_nquery(&rs, domain, PROBE_TARGETS_DNS_IN,
	    PROBE_TARGETS_DNS_MX, answer, PROBE_DNS_ANSWER_MAX);
	herr = rs.res_h_errno;
	if (n < 0 && herr == NO_DATA) {
		/* RFC 5321 5.1: no MX, the domain is its own mail host. */
		log_info(LOG_PROBE, "%s: no MX record; probing the domain "
		    "itself", domain);
		mx[0].preference = 0;
		util_strlcpy(mx[0].host, domain, sizeof(mx[0].host));
		nmx = 1;
	} else if (n < 0) {
		mx_err_set(err, herr == HOST_NOT_FOUND ? MX_ERR_INPUT :
		    MX_ERR_NET, domain, "MX lookup failed: %s",
		    herr == HOST_NOT_FOUND ? "no such domain" :
		    herr == TRY_AGAIN ? "no answer from the DNS servers" :
		    hstrerror(herr));
		goto out;
	} else {
		/* The length may exceed the buffer when the answer was cut. */
		if ((size_t)n > PROBE_DNS_ANSWER_MAX)
			n = PROBE_DNS_ANSWER_MAX;
		if (probe_targets_mx_parse(answer, (size_t)n, mx,
		    PROBE_MX_MAX, &nmx, err, domain) == -1)
			goto out;
	}
	if (nmx == 0) {
		mx_err_set(err, MX_ERR_INPUT, domain, "no MX record");
		goto out;
	}
	if (nmx == 1 && mx[0].preference == 0 && (mx[0].host[0] == '\0' ||
	    strcmp(mx[0].host, ".") == 0)) {
		mx_err_set(err, MX_ERR_INPUT, domain,
		    "the domain accepts no mail (null MX, RFC 7505)");
		goto out;
	}
	probe_targets_ports(o, NULL, &ports, &nports);
	if (probe_targets_room(l, (double)(nmx * nports), o, err, domain,
	    domain) == -1)
		goto out;
	for (i = 0; i < nmx; i++) {
		size_t hl = strlen(mx[i].host);

		if (hl > 0 && mx[i].host[hl - 1] == '.')
			mx[i].host[hl - 1] = '\0';
		if (!probe_targets_valid_host(mx[i].host)) {
			mx_err_set(err, MX_ERR_INPUT, domain,
			    "MX host \"%s\" is not a host name", mx[i].host);
			goto out;
		}
		log_info(LOG_PROBE, "%s: MX %u %s", domain, mx[i].preference,
		    mx[i].host);
		for (j = 0; j < nports; j++)
			probe_targets_push(l, mx[i].host, l->ngiven, 1, NULL,
			    ports[j], NULL);
		l->ngiven++;
	}
	rc = 0;
out:
	if (rc == -1) {
		probe_targets_truncate(l, n0);
		l->ngiven = given0;
	}
	free(answer);
	res_nclose(&rs);
	return rc;
}

/* --- resolution, order ---------------------------------------------------- */

static int
probe_targets_getaddrinfo(const char *host, struct ip_addr *out,
    size_t max, char *why, size_t whylen, void *arg)
{
	struct addrinfo hints, *res = NULL, *ai;
	struct ip_addr a;
	size_t n = 0, i;
	int rc;

	(void)arg;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0) {
		snprintf(why, whylen, "%s", rc == EAI_SYSTEM ?
		    strerror(errno) : gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL && n < max; ai = ai->ai_next) {
		memset(&a, 0, sizeof(a));
		if (ai->ai_family == AF_INET) {
			a.family = IPRANGE_V4;
			memcpy(a.bytes, &((struct sockaddr_in *)(void *)
			    ai->ai_addr)->sin_addr, 4);
		} else if (ai->ai_family == AF_INET6) {
			a.family = IPRANGE_V6;
			memcpy(a.bytes, &((struct sockaddr_in6 *)(void *)
			    ai->ai_addr)->sin6_addr, 16);
		} else
			continue;
		for (i = 0; i < n; i++)
			if (iprange_addr_cmp(&out[i], &a) == 0)
				break;
		if (i == n)
			out[n++] = a;
	}
	freeaddrinfo(res);
	if (n == 0) {
		snprintf(why, whylen, "no IPv4 or IPv6 address");
		return -1;
	}
	return (int)n;
}

static long long
probe_targets_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Order for removing repeats: name, address, port, then rank. */
static int
probe_targets_cmp_dedup(const void *a, const void *b)
{
	const struct probe_target *x = a, *y = b;
	int c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	if (x->resolved != y->resolved)
		return x->resolved < y->resolved ? -1 : 1;
	if (x->resolved && (c = iprange_addr_cmp(&x->addr, &y->addr)) != 0)
		return c;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return x->given < y->given ? -1 : x->given > y->given;
}

/* The probing order: as given, then address, then port. */
static int
probe_targets_cmp_order(const void *a, const void *b)
{
	const struct probe_target *x = a, *y = b;
	int c;

	if (x->given != y->given)
		return x->given < y->given ? -1 : 1;
	if (x->resolved != y->resolved)
		return x->resolved < y->resolved ? -1 : 1;
	if (x->resolved && (c = iprange_addr_cmp(&x->addr, &y->addr)) != 0)
		return c;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Same name, address and port (the rank aside)? */
static int
probe_targets_same(const struct probe_target *x, const struct probe_target *y)
{
	return strcmp(x->name, y->name) == 0 && x->resolved == y->resolved &&
	    (!x->resolved || iprange_addr_cmp(&x->addr, &y->addr) == 0) &&
	    x->port == y->port;
}

/* Drop repeats (the first given stays), then put in probing order. */
static void
probe_targets_sort(struct probe_target_list *l)
{
	size_t i, kept = 0;

	if (l->n < 2)
		return;
	qsort(l->v, l->n, sizeof(*l->v), probe_targets_cmp_dedup);
	for (i = 0; i < l->n; i++) {
		struct probe_target *t = &l->v[i];

		if (kept > 0 && probe_targets_same(&l->v[kept - 1], t)) {
			free(t->name);
			free(t->error);
			continue;
		}
		l->v[kept++] = *t;
	}
	l->n = kept;
	qsort(l->v, l->n, sizeof(*l->v), probe_targets_cmp_order);
}

int
probe_targets_resolve(struct probe_target_list *l,
    const struct probe_targets_options *o, struct mx_err *err)
{
	struct probe_target_list out = { NULL, 0, l->ngiven };
	struct ip_addr addrs[PROBE_ADDRS_PER_NAME_MAX];
	char why[256], error[300], *last = NULL;
	unsigned timeout = o->timeout != 0 ? o->timeout :
	    PROBE_TIMEOUT_DEFAULT;
	long long start = probe_targets_now_ms();
	long long budget = 2LL * timeout * 1000;
	size_t max = probe_targets_limit(o), i, j;
	int n = 0, rc = 0;

	for (i = 0; i < l->n && rc == 0; i++) {
		struct probe_target *t = &l->v[i];

		if (!t->is_host || t->resolved) {
			probe_targets_push(&out, t->name, t->given,
			    t->is_host, t->resolved ? &t->addr : NULL,
			    t->port, t->error);
			continue;
		}
		if (last == NULL || strcmp(last, t->name) != 0) {
			free(last);
			last = xstrdup(t->name);
			if (probe_targets_now_ms() - start >= budget) {
				snprintf(why, sizeof(why), "DNS budget of "
				    "%lld s spent", budget / 1000);
				n = -1;
			} else {
				log_debug(LOG_PROBE, "%s: resolving", t->name);
				why[0] = '\0';
				n = (o->resolve != NULL ? o->resolve :
				    probe_targets_getaddrinfo)(t->name, addrs,
				    PROBE_ADDRS_PER_NAME_MAX, why, sizeof(why),
				    o->resolve_arg);
				if (n > PROBE_ADDRS_PER_NAME_MAX)
					n = PROBE_ADDRS_PER_NAME_MAX;
			}
			if (n < 0)
				log_warnx(LOG_PROBE, "%s: cannot resolve: %s",
				    t->name, why);
		}
		if (n < 0) {
			snprintf(error, sizeof(error), "cannot resolve: %s",
			    why);
			probe_targets_push(&out, t->name, t->given, 1, NULL,
			    t->port, error);
			continue;
		}
		if ((double)out.n + n > (double)max) {
			rc = mx_err_set(err, MX_ERR_LIMIT, t->name, "the "
			    "addresses of the host names make more than %zu "
			    "targets (PROBE_TARGETS_MAX)", max);
			break;
		}
		for (j = 0; j < (size_t)n; j++)
			probe_targets_push(&out, t->name, t->given, 1,
			    &addrs[j], t->port, NULL);
	}
	free(last);
	if (rc == -1) {
		probe_targets_free(&out);
		return -1;
	}
	probe_targets_free(l);
	*l = out;
	probe_targets_sort(l);
	return 0;
}
