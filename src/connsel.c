/*
 * connsel.c - receive connector selection (see connsel.h and
 * docs/which-connector.md).
 *
 * Reachability is decided on elementary segments: the first address of
 * every range and the address after its last cut the address space into
 * segments inside which every range either holds all addresses or none,
 * so one address per segment stands for the whole segment.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "bounds.h"
#include "connsel.h"
#include "err.h"
#include "iprange.h"
#include "util.h"
#include "xml.h"

static int
connsel_is(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

static int
connsel_enabled(xmlNodePtr conn)
{
	const char *e = xml_attr(conn, "enabled");

	return e == NULL || strcmp(e, "false") != 0;
}

/* --- bindings and ranges ------------------------------------------------ */

struct connsel_bind {
	struct ip_addr	 addr;
	unsigned	 port;
	int		 wildcard;
};

static int
connsel_addr_zero(const struct ip_addr *a)
{
	size_t i, n = a->family == IPRANGE_V4 ? 4 : 16;

	for (i = 0; i < n; i++)
		if (a->bytes[i] != 0)
			return 0;
	return 1;
}

static int
connsel_parse_binding(xmlNodePtr b, struct connsel_bind *out,
    struct mx_err *err)
{
	const char *addr = xml_attr(b, "address"), *port = xml_attr(b, "port");
	uint32_t p;

	if (addr == NULL || port == NULL)
		return mx_err_set(err, MX_ERR_INPUT, NULL,
		    "binding without address or port");
	if (iprange_addr_parse(addr, &out->addr, err, "binding") == -1)
		return -1;
	if (parse_u32(port, 65535, &p, err, "binding port") == -1)
		return -1;
	out->port = p;
	out->wildcard = connsel_addr_zero(&out->addr);
	return 0;
}

static int
connsel_parse_range(xmlNodePtr n, struct ip_range *r, struct mx_err *err)
{
	const char *first = xml_attr(n, "first"), *last = xml_attr(n, "last");

	if (first == NULL || last == NULL)
		return mx_err_set(err, MX_ERR_INPUT, NULL,
		    "remote-ip-range without first or last");
	if (iprange_addr_parse(first, &r->first, err, "remote-ip-range") == -1 ||
	    iprange_addr_parse(last, &r->last, err, "remote-ip-range") == -1)
		return -1;
	if (r->first.family != r->last.family ||
	    iprange_addr_cmp(&r->first, &r->last) > 0)
		return mx_err_set(err, MX_ERR_INPUT, "remote-ip-range",
		    "invalid range %s-%s", first, last);
	return 0;
}

/*
 * The smallest of conn's ranges that holds a (its size in *size and its
 * node in *node); 0 when none does, -1 on a parse error.
 */
static int
connsel_best_range(xmlNodePtr conn, const struct ip_addr *a, double *size,
    xmlNodePtr *node, struct mx_err *err)
{
	struct ip_range r;
	xmlNodePtr c;
	int found = 0;
	double s;

	for (c = conn->children; c != NULL; c = c->next) {
		if (!connsel_is(c, "remote-ip-range"))
			continue;
		if (connsel_parse_range(c, &r, err) == -1)
			return -1;
		if (!iprange_contains(&r, a))
			continue;
		s = iprange_size(&r);
		if (!found || s < *size) {
			*size = s;
			if (node != NULL)
				*node = c;
			found = 1;
		}
	}
	return found;
}

/*
 * How well conn's bindings match local:port: 2 a binding on the address,
 * 1 a wildcard binding of the family, 0 none (-1 on a parse error).
 */
static int
connsel_bind_rank(xmlNodePtr conn, const struct ip_addr *local,
    unsigned port, xmlNodePtr *node, struct mx_err *err)
{
	struct connsel_bind b;
	xmlNodePtr c;
	int rank = 0;

	for (c = conn->children; c != NULL; c = c->next) {
		if (!connsel_is(c, "binding"))
			continue;
		if (connsel_parse_binding(c, &b, err) == -1)
			return -1;
		if (b.port != port || b.addr.family != local->family)
			continue;
		if (!b.wildcard && iprange_addr_cmp(&b.addr, local) == 0) {
			*node = c;
			return 2;
		}
		if (b.wildcard && rank == 0) {
			*node = c;
			rank = 1;
		}
	}
	return rank;
}

int
connsel_listens(xmlNodePtr conn, const struct ip_addr *local, unsigned port,
    struct mx_err *err)
{
	xmlNodePtr node = NULL;

	return connsel_bind_rank(conn, local, port, &node, err);
}

/* Same role: both unknown, or the same TransportRole. */
static int
connsel_same_role(xmlNodePtr conn, const char *role)
{
	const char *r = xml_attr(conn, "role");

	if (role == NULL)
		return 1;
	return r != NULL && strcmp(r, role) == 0;
}

int
connsel_roles_clash(xmlNodePtr a, xmlNodePtr b, struct mx_err *err)
{
	const char *ra = xml_attr(a, "role"), *rb = xml_attr(b, "role");
	struct connsel_bind x, y;
	xmlNodePtr i, j;

	if (ra == NULL || rb == NULL || strcmp(ra, rb) == 0)
		return 0;
	for (i = a->children; i != NULL; i = i->next) {
		if (!connsel_is(i, "binding"))
			continue;
		if (connsel_parse_binding(i, &x, err) == -1)
			return -1;
		for (j = b->children; j != NULL; j = j->next) {
			if (!connsel_is(j, "binding"))
				continue;
			if (connsel_parse_binding(j, &y, err) == -1)
				return -1;
			/* Two services cannot listen on one address:port. */
			if (x.port == y.port && x.addr.family ==
			    y.addr.family && (x.wildcard || y.wildcard ||
			    iprange_addr_cmp(&x.addr, &y.addr) == 0))
				return 1;
		}
	}
	return 0;
}

int
connsel_select(xmlNodePtr server, const struct ip_addr *local,
    unsigned port, const struct ip_addr *remote, struct connsel_choice *ch,
    struct mx_err *err)
{
	return connsel_select_role(server, NULL, local, port, remote, ch, err);
}

int
connsel_select_role(xmlNodePtr server, const char *role,
    const struct ip_addr *local, unsigned port, const struct ip_addr *remote,
    struct connsel_choice *ch, struct mx_err *err)
{
	xmlNodePtr c, bnode = NULL, rnode = NULL;
	int best_rank = 0, rank, found;
	double best_size = 0, size = 0;

	memset(ch, 0, sizeof(*ch));
	if (remote->family != local->family)
		return 0;
	for (c = server->children; c != NULL; c = c->next) {
		if (!connsel_is(c, "receive-connector") || !connsel_enabled(c) ||
		    !connsel_same_role(c, role))
			continue;
		if ((rank = connsel_bind_rank(c, local, port, &bnode,
		    err)) == -1)
			return -1;
		if (rank == 0)
			continue;
		if ((found = connsel_best_range(c, remote, &size, &rnode,
		    err)) == -1)
			return -1;
		if (!found)
			continue;
		if (rank > best_rank || (rank == best_rank && size < best_size)) {
			best_rank = rank;
			best_size = size;
			ch->n = ch->tied = 0;
		} else if (rank < best_rank || size > best_size)
			continue;
		if (ch->n < CONNSEL_TIES_MAX) {
			ch->conn[ch->n] = c;
			ch->binding[ch->n] = bnode;
			ch->range[ch->n] = rnode;
			ch->n++;
		}
		ch->tied++;
	}
	return 0;
}

/* --- reachability --------------------------------------------------------- */

/* A parsed range of one connector sharing the binding. */
struct connsel_owned {
	struct ip_range	 r;
	double		 size;
	xmlNodePtr	 owner;
};

struct connsel_vec {
	void	*v;
	size_t	 n, cap, elsize;
};

static int
connsel_vec_add(struct connsel_vec *vec, const void *item, const char *what,
    struct mx_err *err)
{
	if (vec->n == CONNSEL_ITEMS_MAX)
		return mx_err_set(err, MX_ERR_LIMIT, NULL, "more than "
		    "CONNSEL_ITEMS_MAX (%d) %s on one binding",
		    CONNSEL_ITEMS_MAX, what);
	if (vec->n == vec->cap) {
		vec->cap = vec->cap ? vec->cap * 2 : 32;
		vec->v = xreallocarray(vec->v, vec->cap, vec->elsize);
	}
	memcpy((char *)vec->v + vec->n * vec->elsize, item, vec->elsize);
	vec->n++;
	return 0;
}

/* a + 1; 0 when a is the family's last address. */
static int
connsel_next(const struct ip_addr *a, struct ip_addr *out)
{
	int i, n = a->family == IPRANGE_V4 ? 4 : 16;

	*out = *a;
	for (i = n - 1; i >= 0; i--) {
		if (out->bytes[i] != 0xff) {
			out->bytes[i]++;
			return 1;
		}
		out->bytes[i] = 0;
	}
	return 0;
}

/* Add conn's ranges of a family to vec, parsed once. */
static int
connsel_owned_ranges(xmlNodePtr conn, int family, struct connsel_vec *vec,
    struct mx_err *err)
{
	struct connsel_owned o;
	xmlNodePtr c;

	for (c = conn->children; c != NULL; c = c->next) {
		if (!connsel_is(c, "remote-ip-range"))
			continue;
		if (connsel_parse_range(c, &o.r, err) == -1)
			return -1;
		if (o.r.first.family != family)
			continue;
		o.size = iprange_size(&o.r);
		o.owner = conn;
		if (connsel_vec_add(vec, &o, "remote ranges", err) == -1)
			return -1;
	}
	return 0;
}

static int
connsel_addr_qcmp(const void *a, const void *b)
{
	return iprange_addr_cmp(a, b);
}

/* Does other have a binding identical to b (address, port)? */
static int
connsel_same_binding(xmlNodePtr other, const struct connsel_bind *b,
    struct mx_err *err)
{
	struct connsel_bind ob;
	xmlNodePtr c;

	for (c = other->children; c != NULL; c = c->next) {
		if (!connsel_is(c, "binding"))
			continue;
		if (connsel_parse_binding(c, &ob, err) == -1)
			return -1;
		if (ob.port == b->port && ob.addr.family == b->addr.family &&
		    iprange_addr_cmp(&ob.addr, &b->addr) == 0)
			return 1;
	}
	return 0;
}

static void
connsel_tie_add(xmlNodePtr ties[CONNSEL_TIES_MAX], size_t *nties,
    xmlNodePtr c)
{
	size_t i;

	for (i = 0; i < *nties; i++)
		if (ties[i] == c)
			return;
	if (*nties < CONNSEL_TIES_MAX)
		ties[(*nties)++] = c;
}

static int
connsel_first_qcmp(const void *a, const void *b)
{
	const struct connsel_owned *x = a, *y = b;

	return iprange_addr_cmp(&x->r.first, &y->r.first);
}

/*
 * The sweep over ascending cut points: ranges sorted by their first
 * address enter a min-heap by size when they start at or before the
 * point, and leave it once they end before it.  The heap's top is then
 * the smallest range holding the point, so each range is pushed and
 * popped once: O(n log n) for n ranges, where comparing every point with
 * every range was O(n^2) (16,384 ranges on one connector took a minute).
 */
struct connsel_sweep {
	const struct connsel_owned	*o;	/* sorted by first address */
	size_t				 n;
	size_t				 next;	/* first range not pushed */
	size_t				*heap;	/* indices into o */
	size_t				 nheap;
};

static void
connsel_sweep_init(struct connsel_sweep *sw, struct connsel_vec *vec)
{
	if (vec->n > 1)
		qsort(vec->v, vec->n, sizeof(struct connsel_owned),
		    connsel_first_qcmp);
	sw->o = vec->v;
	sw->n = vec->n;
	sw->next = 0;
	sw->heap = xcalloc(vec->n ? vec->n : 1, sizeof(*sw->heap));
	sw->nheap = 0;
}

static int
connsel_sweep_less(const struct connsel_sweep *sw, size_t a, size_t b)
{
	return sw->o[sw->heap[a]].size < sw->o[sw->heap[b]].size;
}

static void
connsel_sweep_swap(struct connsel_sweep *sw, size_t a, size_t b)
{
	size_t t = sw->heap[a];

	sw->heap[a] = sw->heap[b];
	sw->heap[b] = t;
}

static void
connsel_sweep_push(struct connsel_sweep *sw, size_t idx)
{
	size_t i = sw->nheap++;

	sw->heap[i] = idx;
	while (i > 0 && connsel_sweep_less(sw, i, (i - 1) / 2)) {
		connsel_sweep_swap(sw, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
connsel_sweep_pop(struct connsel_sweep *sw)
{
	size_t i = 0, l, r, m;

	sw->heap[0] = sw->heap[--sw->nheap];
	for (;;) {
		l = 2 * i + 1;
		r = l + 1;
		m = i;
		if (l < sw->nheap && connsel_sweep_less(sw, l, m))
			m = l;
		if (r < sw->nheap && connsel_sweep_less(sw, r, m))
			m = r;
		if (m == i)
			return;
		connsel_sweep_swap(sw, i, m);
		i = m;
	}
}

/* The size of the smallest range holding p (points ascending), or -1. */
static double
connsel_sweep_at(struct connsel_sweep *sw, const struct ip_addr *p)
{
	while (sw->next < sw->n &&
	    iprange_addr_cmp(&sw->o[sw->next].r.first, p) <= 0)
		connsel_sweep_push(sw, sw->next++);
	while (sw->nheap > 0 &&
	    iprange_addr_cmp(&sw->o[sw->heap[0]].r.last, p) < 0)
		connsel_sweep_pop(sw);
	return sw->nheap > 0 ? sw->o[sw->heap[0]].size : -1;
}

/*
 * One binding of conn: can a client reach conn through it?  Only cut
 * points inside conn's own ranges matter: the first address of each own
 * range, and every range end of conn and of its rivals inside them.
 */
static int
connsel_reach_binding(xmlNodePtr conn, const struct connsel_bind *b,
    int *reachable, xmlNodePtr ties[CONNSEL_TIES_MAX], size_t *nties,
    struct mx_err *err)
{
	struct connsel_vec mine = { NULL, 0, 0, sizeof(struct connsel_owned) };
	struct connsel_vec rivals = { NULL, 0, 0, sizeof(struct connsel_owned) };
	struct connsel_sweep own_sw = { NULL, 0, 0, NULL, 0 };
	struct connsel_sweep riv_sw = { NULL, 0, 0, NULL, 0 };
	const struct connsel_owned *q;
	struct ip_addr *pts = NULL, next;
	xmlNodePtr c;
	size_t i, k, npts = 0;
	double own, best;
	int rc = -1, same;

	if (connsel_owned_ranges(conn, b->addr.family, &mine, err) == -1)
		goto out;
	for (c = conn->parent ? conn->parent->children : NULL; c != NULL;
	    c = c->next) {
		if (c == conn || !connsel_is(c, "receive-connector") ||
		    !connsel_enabled(c))
			continue;
		if ((same = connsel_same_binding(c, b, err)) == -1)
			goto out;
		if (same && connsel_owned_ranges(c, b->addr.family, &rivals,
		    err) == -1)
			goto out;
	}
	/* Every range's first address and the address after its last. */
	pts = xreallocarray(NULL, 2 * (mine.n + rivals.n) + 1, sizeof(*pts));
	for (i = 0; i < mine.n + rivals.n; i++) {
		const struct connsel_owned *o = i < mine.n ?
		    &((const struct connsel_owned *)mine.v)[i] :
		    &((const struct connsel_owned *)rivals.v)[i - mine.n];

		pts[npts++] = o->r.first;
		if (connsel_next(&o->r.last, &next))
			pts[npts++] = next;
	}
	if (npts > 1)
		qsort(pts, npts, sizeof(*pts), connsel_addr_qcmp);
	connsel_sweep_init(&own_sw, &mine);
	connsel_sweep_init(&riv_sw, &rivals);
	q = rivals.v;
	for (i = 0; i < npts; i++) {
		if (i > 0 && iprange_addr_cmp(&pts[i - 1], &pts[i]) == 0)
			continue;
		own = connsel_sweep_at(&own_sw, &pts[i]);
		best = connsel_sweep_at(&riv_sw, &pts[i]);
		if (own < 0)
			continue;	/* outside conn's own ranges */
		if (best >= 0 && best < own)
			continue;	/* a rival is more specific here */
		*reachable = 1;
		if (best != own)
			continue;
		for (k = 0; k < rivals.n; k++)
			if (q[k].size == own &&
			    iprange_contains(&q[k].r, &pts[i]))
				connsel_tie_add(ties, nties, q[k].owner);
	}
	rc = 0;
out:
	free(mine.v);
	free(rivals.v);
	free(own_sw.heap);
	free(riv_sw.heap);
	free(pts);
	return rc;
}

int
connsel_reach(xmlNodePtr conn, int *reachable,
    xmlNodePtr ties[CONNSEL_TIES_MAX], size_t *nties, struct mx_err *err)
{
	struct connsel_bind b;
	xmlNodePtr c;

	*reachable = 0;
	*nties = 0;
	for (c = conn->children; c != NULL; c = c->next) {
		if (!connsel_is(c, "binding"))
			continue;
		if (connsel_parse_binding(c, &b, err) == -1 ||
		    connsel_reach_binding(conn, &b, reachable, ties, nties,
		    err) == -1)
			return -1;
	}
	return 0;
}
