/*
 * collector_ldap_search.h - the LDAP collector's searches: paged results
 * (RFC 2696), the SD-flags control, range retrieval of long multi-valued
 * attributes, every entry copied with bounds into a struct ad_entry and
 * handed to ad.c.  For collector_ldap*.c only.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_COLLECTOR_LDAP_SEARCH_H
#define MXBPA_COLLECTOR_LDAP_SEARCH_H

struct collector_ldap_ctx;
struct mx_err;

/* A search and what the collector does with it (strings borrowed). */
struct collector_ldap_search {
	const char	*what;		/* for messages: "Exchange objects" */
	const char	*base;
	int		 scope;
	const char	*filter;
	char		**attrs;
	int		 sd_flags;	/* send the SD-flags control */
	int		 missing_ok;	/* noSuchObject is a warning */
	const char	*missing;	/* else the message for noSuchObject */
	int		 collect_sids;	/* note the SIDs of the descriptors */
};

/*
 * Run s page by page until the server returns an empty cookie; every
 * entry goes to c->map (ad_map_entry), its domain SIDs into c->sids when
 * s->collect_sids.  A server that ignores paging answers in one page.
 * Returns 0, or -1 with err set.
 */
int	collector_ldap_search_run(struct collector_ldap_ctx *c,
	    const struct collector_ldap_search *s, struct mx_err *err);

#endif /* MXBPA_COLLECTOR_LDAP_SEARCH_H */
