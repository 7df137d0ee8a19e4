/*
 * probe_targets.h - what the user asked mxbpa to probe: TARGET strings,
 * @FILE lists, ports, CIDR blocks, host names and MX records, turned into
 * a bounded, ordered list of (address, port) pairs.
 *
 * TARGET forms:  host  host:port  a.b.c.d  a.b.c.d:port  a.b.c.d/nn
 *                a.b.c.d/nn:port  IPv6  IPv6/nn  [IPv6]  [IPv6]:port
 *                [IPv6/nn]:port  @FILE (one TARGET per line, # comments)
 * A TARGET with a port is probed on that port only; the others on every
 * port of --ports (default 25).  The list is ordered as the targets were
 * given, then by address, then by port; equal entries appear once.  Only
 * the addresses named (or, for a host name, its own addresses; for --mx,
 * the domain's MX hosts) are ever listed.
 *
 * Host names are resolved with getaddrinfo(3), before any dialog starts
 * and one after the other: getaddrinfo cannot be interrupted, so the
 * budget is checked between names, and a name past the budget is
 * recorded as not resolved rather than waited for.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_PROBE_TARGETS_H
#define MXBPA_PROBE_TARGETS_H

#include <stddef.h>
#include <stdint.h>

#include "iprange.h"

struct mx_err;

struct probe_target {
	char		*name; /* as named: "mx.contoso.com", "10.0.0.0/30" */
	size_t		 given;		/* rank of the TARGET it came from */
	int		 is_host;	/* name is a DNS name, not an address */
	int		 resolved;	/* addr is set */
	struct ip_addr	 addr;
	uint16_t	 port;
	char		*error; /* why the name has no address, or NULL */
};

struct probe_target_list {
	struct probe_target	*v;
	size_t			 n;
	size_t			 ngiven; /* TARGETs (and @FILE lines) read */
};

/*
 * How targets are expanded.  resolve, when set, replaces getaddrinfo
 * (tests): it stores at most max addresses of host in out and returns
 * their number, or -1 with a reason in why.
 */
struct probe_targets_options {
	const uint16_t	*ports;		/* --ports; NULL or none: 25 */
	size_t		 nports;
	unsigned	 timeout;	/* seconds; DNS budget is twice this */
	size_t		 max;		/* 0: PROBE_TARGETS_MAX */
	int		(*resolve)(const char *host, struct ip_addr *out,
			    size_t max, char *why, size_t whylen, void *arg);
	void		*resolve_arg;
};

/*
 * Parse a --ports LIST: "25", "25,465,587", "2525-2530".  Ports are
 * 1-65535, stored ascending without duplicates into ports[max].  Returns
 * 0, or -1 with MX_ERR_USAGE (bad syntax) or MX_ERR_LIMIT (more than max).
 */
int	probe_ports_parse(const char *list, uint16_t *ports, size_t max,
	    size_t *nports, struct mx_err *);

/*
 * Add one TARGET (or every line of @FILE) to the list.  Addresses and
 * CIDR blocks are expanded at once; host names are added unresolved (one
 * entry per port).  Returns 0, or -1 with MX_ERR_INPUT (where = the
 * TARGET, or FILE:LINE), MX_ERR_LIMIT (the list would exceed max: a /8
 * is refused before anything is expanded) or MX_ERR_IO (@FILE).  On error
 * the list keeps what was added before this call.
 */
int	probe_targets_add(struct probe_target_list *, const char *text,
	    const struct probe_targets_options *, struct mx_err *);

/*
 * Look up the MX records of domain (res_query, the system resolver, one
 * try of at most opts->timeout seconds per server) and add its MX hosts,
 * by preference then name, as unresolved host names.  A domain without MX
 * records is its own mail host (RFC 5321 5.1).  A null MX (RFC 7505) or
 * a failed lookup is -1 with MX_ERR_INPUT or MX_ERR_NET naming domain.
 */
int	probe_targets_add_mx(struct probe_target_list *, const char *domain,
	    const struct probe_targets_options *, struct mx_err *);

/* One MX record of a DNS answer. */
struct probe_mx {
	unsigned	 preference;
	char		 host[256];
};

/*
 * Parse a DNS answer (RFC 1035 4.1) to an MX query: at most max records
 * into mx, sorted by preference then host name.  Pure and bounded (the
 * answer is hostile).  Returns 0, or -1 with MX_ERR_INPUT naming where.
 */
int	probe_targets_mx_parse(const unsigned char *msg, size_t len,
	    struct probe_mx *, size_t max, size_t *nmx, struct mx_err *,
	    const char *where);

/*
 * Resolve every host name of the list (sequentially, within the budget),
 * replace it by one entry per address, then sort and drop repeats.  A
 * name that does not resolve stays, unresolved, with its error: it is
 * reported, not fatal.  Returns 0, or -1 with MX_ERR_LIMIT.
 */
int	probe_targets_resolve(struct probe_target_list *,
	    const struct probe_targets_options *, struct mx_err *);

void	probe_targets_free(struct probe_target_list *);

#endif /* MXBPA_PROBE_TARGETS_H */
