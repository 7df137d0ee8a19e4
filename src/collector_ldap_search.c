/*
 * collector_ldap_search.c - the LDAP collector's searches (see
 * collector_ldap_search.h).
 *
 * Implements: the simple paged results control (RFC 2696), the
 * LDAP_SERVER_SD_FLAGS control and range retrieval of [MS-ADTS]
 * 3.1.1.3.4.1.11 and 3.1.1.3.1.3.3.
 *
 * The server is hostile: DNs, attribute names, values, entries, pages,
 * continuation references and cookies are counted against bounds.h.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <lber.h>
#include <ldap.h>
#include <libxml/hash.h>

#include "ad.h"
#include "bounds.h"
#include "collector_ldap_conn.h"
#include "collector_ldap_search.h"
#include "err.h"
#include "log.h"
#include "sd.h"
#include "util.h"

/* LDAP_SERVER_SD_FLAGS_OID: SEQUENCE { INTEGER 4 } asks for the DACL only. */
#define COLLECTOR_LDAP_SD_FLAGS_OID	"1.2.840.113556.1.4.801"
static const char collector_ldap_search_sd_flags[] = {
	0x30, 0x03, 0x02, 0x01, 0x04
};

/*
 * AD answers a multi-valued attribute with more values than its
 * MaxValRange as "name;range=0-1499" ([MS-ADTS] 3.1.1.3.1.3.3, range
 * retrieval).  Cut the option off name; *low and *high get its bounds,
 * *high = UINT32_MAX for "*" (the last range).  Returns 1 when name had
 * the option, 0 when not, -1 when it is malformed.
 */
static int
collector_ldap_search_range(char *name, uint32_t *low, uint32_t *high)
{
	struct mx_err ignored;
	char num[16], *opt, *dash;
	size_t n;

	for (opt = strchr(name, ';'); opt != NULL; opt = strchr(opt + 1, ';'))
		if (strncasecmp(opt, ";range=", 7) == 0)
			break;
	if (opt == NULL)
		return 0;
	if ((dash = strchr(opt + 7, '-')) == NULL)
		return -1;
	n = (size_t)(dash - (opt + 7));
	if (n == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, opt + 7, n);
	num[n] = '\0';
	mx_err_init(&ignored);
	if (parse_u32(num, UINT32_MAX - 1, low, &ignored, NULL) == -1)
		return -1;
	if (strcmp(dash + 1, "*") == 0)
		*high = UINT32_MAX;
	else if (parse_u32(dash + 1, UINT32_MAX - 1, high, &ignored,
	    NULL) == -1 || *high < *low)
		return -1;
	*opt = '\0';
	return 1;
}

/*
 * Add the values of one attribute to e; *count is the number of values
 * this attribute already has (ranges add up).
 */
static int
collector_ldap_search_values(struct collector_ldap_ctx *c, struct ad_entry *e,
    const char *name, const struct berval *vals, size_t *count,
    struct mx_err *err)
{
	size_t i;

	for (i = 0; vals != NULL && vals[i].bv_val != NULL; i++) {
		if (++*count > LDAP_VALUES_MAX)
			return mx_err_set(err, MX_ERR_LIMIT, c->where, "more "
			    "than %d values of one attribute "
			    "(LDAP_VALUES_MAX)", LDAP_VALUES_MAX);
		if (ad_entry_add(e, name, (const uint8_t *)vals[i].bv_val,
		    vals[i].bv_len, err, c->where) == -1)
			return -1;
	}
	return 0;
}

/*
 * One entry of a range retrieval: the values of "name;range=low-..." go
 * into e; *found and *high say what range came.  A second range, or one
 * that does not start at low, is a hostile answer.
 */
static int
collector_ldap_search_range_entry(struct collector_ldap_ctx *c,
    LDAPMessage *msg, const char *name, uint32_t low, int *found,
    uint32_t *high, size_t *count, struct ad_entry *e, struct mx_err *err)
{
	struct berval dn = { 0, NULL }, attr = { 0, NULL }, *vals = NULL;
	char got[LDAP_ATTR_NAME_MAX + 1];
	BerElement *ber = NULL;
	uint32_t rlow, rhigh;
	int ret = -1;

	if (ldap_get_dn_ber(c->ld, msg, &ber, &dn) != LDAP_SUCCESS)
		goto bad;
	for (;;) {
		vals = NULL;
		if (ldap_get_attribute_ber(c->ld, msg, ber, &attr, &vals) !=
		    LDAP_SUCCESS)
			goto bad;
		if (attr.bv_val == NULL)
			break;
		if (attr.bv_len <= LDAP_ATTR_NAME_MAX &&
		    memchr(attr.bv_val, '\0', attr.bv_len) == NULL) {
			memcpy(got, attr.bv_val, attr.bv_len);
			got[attr.bv_len] = '\0';
			if (collector_ldap_search_range(got, &rlow,
			    &rhigh) == 1 && strcasecmp(got, name) == 0) {
				if (rlow != low || *found)
					goto bad;
				*found = 1;
				*high = rhigh;
				if (collector_ldap_search_values(c, e, name,
				    vals, count, err) == -1)
					goto out;
			}
		}
		ber_memfree(vals);
	}
	ret = 0;
	goto out;
bad:
	mx_err_set(err, MX_ERR_INPUT, c->where, "bad range of %s in the "
	    "answer for %.200s", name, e->dn);
out:
	ber_memfree(vals);
	if (ber != NULL)
		ber_free(ber, 0);
	return ret;
}

/*
 * The ranges of attribute name after the first, each read with a base
 * search of "name;range=LOW-*" on the entry, until a range ends in "*".
 * A range must start where asked and move forward.
 */
static int
collector_ldap_search_more_values(struct collector_ldap_ctx *c, const char *dn,
    const char *name, uint32_t low, size_t count, struct ad_entry *e,
    struct mx_err *err)
{
	char want[LDAP_ATTR_NAME_MAX + 32];
	char *attrs[] = { want, NULL };
	struct collector_ldap_deadline d;
	uint32_t rhigh = 0;
	struct timeval limit;
	LDAPMessage *res;
	int rc, msgid, found;

	for (;;) {
		snprintf(want, sizeof(want), "%s;range=%lu-*", name,
		    (unsigned long)low);
		log_trace(LOG_LDAP, "%s: range retrieval of %s", c->where,
		    want);
		limit.tv_sec = c->timeout;
		limit.tv_usec = 0;
		collector_ldap_conn_deadline(&d, c->timeout);
		rc = ldap_search_ext(c->ld, dn, LDAP_SCOPE_BASE,
		    "(objectClass=*)", attrs, 0, NULL, NULL, &limit, 0,
		    &msgid);
		if (rc != LDAP_SUCCESS)
			return collector_ldap_conn_fail(c, rc,
			    "range retrieval", err);
		found = 0;
		while ((res = collector_ldap_conn_wait(c, msgid, &d,
		    "range retrieval", err)) != NULL &&
		    ldap_msgtype(res) == LDAP_RES_SEARCH_ENTRY) {
			rc = collector_ldap_search_range_entry(c, res, name,
			    low, &found, &rhigh, &count, e, err);
			ldap_msgfree(res);
			if (rc == -1)
				return -1;
		}
		if (res == NULL)
			return -1;
		rc = collector_ldap_conn_result(c, res, NULL, "range retrieval",
		    err);
		ldap_msgfree(res);
		if (rc != 0)
			return rc == -1 ? -1 : collector_ldap_conn_fail(c, rc,
			    "range retrieval", err);
		if (!found || rhigh == UINT32_MAX)
			return 0;
		low = rhigh + 1;
	}
}

/*
 * Copy an entry of the answer into a struct ad_entry: the DN, every
 * attribute and every value, each counted against bounds.h.
 */
static int
collector_ldap_search_entry(struct collector_ldap_ctx *c, LDAPMessage *msg,
    struct ad_entry **out, struct mx_err *err)
{
	struct berval dn = { 0, NULL }, attr = { 0, NULL }, *vals = NULL;
	struct collector_ldap_more {
		char		 name[LDAP_ATTR_NAME_MAX + 1];
		uint32_t	 next;
		size_t		 count;
	} *more = NULL;
	BerElement *ber = NULL;
	struct ad_entry *e = NULL;
	char name[LDAP_ATTR_NAME_MAX + 1], *dnz = NULL;
	size_t nattrs = 0, nmore = 0, count, i;
	uint32_t low, high;
	int rc, ranged;

	*out = NULL;
	rc = ldap_get_dn_ber(c->ld, msg, &ber, &dn);
	if (rc != LDAP_SUCCESS || dn.bv_val == NULL)
		goto malformed;
	if (dn.bv_len > LDAP_DN_MAX) {
		mx_err_set(err, MX_ERR_LIMIT, c->where, "a DN of %lu bytes "
		    "(LDAP_DN_MAX %d)", (unsigned long)dn.bv_len, LDAP_DN_MAX);
		goto fail;
	}
	if (memchr(dn.bv_val, '\0', dn.bv_len) != NULL)
		goto malformed;
	dnz = xmalloc(dn.bv_len + 1);
	memcpy(dnz, dn.bv_val, dn.bv_len);
	dnz[dn.bv_len] = '\0';
	e = ad_entry_new(dnz);
	for (;;) {
		vals = NULL;
		rc = ldap_get_attribute_ber(c->ld, msg, ber, &attr, &vals);
		if (rc != LDAP_SUCCESS)
			goto malformed;
		if (attr.bv_val == NULL)
			break;
		if (++nattrs > LDAP_ENTRY_ATTRS_MAX) {
			mx_err_set(err, MX_ERR_LIMIT, c->where, "more than %d "
			    "attributes in one entry (LDAP_ENTRY_ATTRS_MAX)",
			    LDAP_ENTRY_ATTRS_MAX);
			goto fail;
		}
		if (attr.bv_len == 0 || attr.bv_len > LDAP_ATTR_NAME_MAX ||
		    memchr(attr.bv_val, '\0', attr.bv_len) != NULL)
			goto malformed;
		memcpy(name, attr.bv_val, attr.bv_len);
		name[attr.bv_len] = '\0';
		ranged = collector_ldap_search_range(name, &low, &high);
		if (ranged == -1 || (ranged && low != 0))
			goto malformed;
		count = 0;
		if (collector_ldap_search_values(c, e, name, vals, &count,
		    err) == -1)
			goto fail;
		ber_memfree(vals);
		vals = NULL;
		if (ranged && high != UINT32_MAX) {
			more = xreallocarray(more, nmore + 1, sizeof(*more));
			util_strlcpy(more[nmore].name, name,
			    sizeof(more[nmore].name));
			more[nmore].next = high + 1;
			more[nmore].count = count;
			nmore++;
		}
	}
	ber_free(ber, 0);
	ber = NULL;
	for (i = 0; i < nmore; i++)
		if (collector_ldap_search_more_values(c, dnz, more[i].name,
		    more[i].next, more[i].count, e, err) == -1)
			goto fail;
	free(more);
	free(dnz);
	*out = e;
	return 0;
malformed:
	mx_err_set(err, MX_ERR_INPUT, c->where, "malformed entry in the "
	    "server's answer");
fail:
	ber_memfree(vals);
	if (ber != NULL)
		ber_free(ber, 0);
	ad_entry_free(e);
	free(more);
	free(dnz);
	return -1;
}

/* S-1-5-21-...: an account or group of a domain. */
static int
collector_ldap_search_domain_sid(const struct sd_sid *s)
{
	static const uint8_t nt_authority[6] = { 0, 0, 0, 0, 0, 5 };

	return s->count >= 1 && s->sub[0] == 21 &&
	    memcmp(s->authority, nt_authority, sizeof(nt_authority)) == 0;
}

/*
 * Note the domain SIDs (S-1-5-21-...) of a connector's descriptor: they
 * name accounts that only the domain naming context can resolve.  A
 * descriptor that does not parse is left to ad.c, which reports it.
 */
static void
collector_ldap_search_note_sids(struct collector_ldap_ctx *c,
    const struct ad_entry *e)
{
	const struct ad_attr *a = ad_entry_attr(e, "nTSecurityDescriptor");
	char text[SD_SID_TEXT_MAX];
	uint8_t *bin;
	struct mx_err ignored;
	struct sd sd;
	size_t i;

	if (a == NULL || a->nvalues == 0 || c->sids_full)
		return;
	mx_err_init(&ignored);
	memset(&sd, 0, sizeof(sd));
	if (sd_parse(a->values[0].data, a->values[0].len, &sd, &ignored,
	    "nTSecurityDescriptor") == -1)
		return;
	for (i = 0; i < sd.nace; i++) {
		const struct sd_sid *s = &sd.aces[i].sid;

		if (!collector_ldap_search_domain_sid(s))
			continue;
		sd_sid_format(s, text);
		if (xmlHashLookup(c->sids, (const xmlChar *)text) != NULL)
			continue;
		if (c->nsids >= LDAP_SIDS_MAX) {
			log_warnx(LOG_LDAP, "%s: more than %d distinct "
			    "account SIDs (LDAP_SIDS_MAX): the others stay "
			    "unnamed", c->where, LDAP_SIDS_MAX);
			c->sids_full = 1;
			break;
		}
		bin = xmalloc(68);
		sd_sid_encode(s, bin);
		if (xmlHashAddEntry(c->sids, (const xmlChar *)text, bin) != 0)
			free(bin);
		else
			c->nsids++;
	}
	sd_free(&sd);
}

/* One entry of a search: into ad.c, after noting its SIDs if asked. */
static int
collector_ldap_search_take(struct collector_ldap_ctx *c,
    const struct collector_ldap_search *s, LDAPMessage *msg,
    struct mx_err *err)
{
	struct ad_entry *e;
	int rc;

	if (c->entries >= LDAP_ENTRIES_MAX) {
		collector_ldap_conn_progress_end(c, 0);
		return mx_err_set(err, MX_ERR_LIMIT, c->where, "more than %d "
		    "entries (LDAP_ENTRIES_MAX)", LDAP_ENTRIES_MAX);
	}
	if (collector_ldap_search_entry(c, msg, &e, err) == -1) {
		collector_ldap_conn_progress_end(c, 0);
		return -1;
	}
	c->entries++;
	collector_ldap_conn_progress(c);
	if (s->collect_sids)
		collector_ldap_search_note_sids(c, e);
	rc = ad_map_entry(c->map, e, err);
	ad_entry_free(e);
	if (rc == -1)
		collector_ldap_conn_progress_end(c, 0);
	return rc;
}

static const char *
collector_ldap_search_scope_name(int scope)
{
	switch (scope) {
	case LDAP_SCOPE_BASE:
		return "base";
	case LDAP_SCOPE_ONELEVEL:
		return "one";
	default:
		return "sub";
	}
}

/*
 * One page: send the search with the paged-results control (and the
 * SD-flags control when asked), take its entries, and return the result
 * message in *done (caller frees it).  *got counts the page's entries.
 */
static int
collector_ldap_search_page(struct collector_ldap_ctx *c,
    const struct collector_ldap_search *s, struct berval *cookie,
    unsigned page, size_t *got, LDAPMessage **done, struct mx_err *err)
{
	LDAPControl *pagectl = NULL, sdctl, *ctrls[3];
	struct collector_ldap_deadline d;
	struct timeval limit;
	char during[128], base[512], filter[1024];
	LDAPMessage *res;
	int rc, msgid;

	*done = NULL;
	*got = 0;
	snprintf(during, sizeof(during), "search of %s", s->what);
	rc = ldap_create_page_control(c->ld, (ber_int_t)c->page_size, cookie,
	    0, &pagectl);
	if (rc != LDAP_SUCCESS)
		return collector_ldap_conn_fail(c, rc, during, err);
	memset(&sdctl, 0, sizeof(sdctl));
	sdctl.ldctl_oid = COLLECTOR_LDAP_SD_FLAGS_OID;
	sdctl.ldctl_value.bv_val = (char *)collector_ldap_search_sd_flags;
	sdctl.ldctl_value.bv_len = sizeof(collector_ldap_search_sd_flags);
	sdctl.ldctl_iscritical = 0;	/* as AD clients send it */
	ctrls[0] = pagectl;
	ctrls[1] = s->sd_flags ? &sdctl : NULL;
	ctrls[2] = NULL;
	if (log_enabled(LOG_LEVEL_TRACE)) {
		collector_ldap_conn_clean(s->base, strlen(s->base), base,
		    sizeof(base));
		collector_ldap_conn_clean(s->filter, strlen(s->filter), filter,
		    sizeof(filter));
		log_trace(LOG_LDAP, "%s: search base=\"%s\" scope=%s "
		    "filter=\"%s\" page %u (size %u)%s", c->where, base,
		    collector_ldap_search_scope_name(s->scope), filter, page,
		    c->page_size, s->sd_flags ? " sd-flags=dacl" : "");
	}
	limit.tv_sec = c->timeout;
	limit.tv_usec = 0;
	collector_ldap_conn_deadline(&d, c->timeout);
	rc = ldap_search_ext(c->ld, s->base, s->scope, s->filter, s->attrs,
	    0, ctrls, NULL, &limit, 0, &msgid);
	ldap_control_free(pagectl);
	if (rc != LDAP_SUCCESS)
		return collector_ldap_conn_fail(c, rc, during, err);
	for (;;) {
		res = collector_ldap_conn_wait(c, msgid, &d, during, err);
		if (res == NULL)
			return -1;
		switch (ldap_msgtype(res)) {
		case LDAP_RES_SEARCH_ENTRY:
			rc = collector_ldap_search_take(c, s, res, err);
			ldap_msgfree(res);
			if (rc == -1)
				return -1;
			(*got)++;
			break;
		case LDAP_RES_SEARCH_REFERENCE:
			ldap_msgfree(res);
			if (++c->references > LDAP_REFERENCES_MAX) {
				collector_ldap_conn_progress_end(c, 0);
				return mx_err_set(err, MX_ERR_LIMIT, c->where,
				    "more than %d continuation references "
				    "(LDAP_REFERENCES_MAX)",
				    LDAP_REFERENCES_MAX);
			}
			log_debug(LOG_LDAP, "%s: continuation reference "
			    "ignored in the %s", c->where, during);
			break;
		case LDAP_RES_SEARCH_RESULT:
			*done = res;
			return 0;
		default:
			ldap_msgfree(res);
			collector_ldap_conn_progress_end(c, 0);
			return mx_err_set(err, MX_ERR_INPUT, c->where,
			    "unexpected message in the answer to the %s",
			    during);
		}
	}
}

/*
 * A paged search (RFC 2696): pages of page_size entries until the server
 * returns an empty cookie, at most LDAP_PAGES_MAX pages (and
 * LDAP_EMPTY_PAGES_MAX empty ones in a row): a server that always
 * returns a cookie does not hold the collection for ever.  A server that
 * ignores the control answers in one page.  A missing base is a warning
 * when s->missing_ok.
 */
int
collector_ldap_search_run(struct collector_ldap_ctx *c,
    const struct collector_ldap_search *s, struct mx_err *err)
{
	struct berval cookie = { 0, NULL }, next;
	LDAPControl **sctrls = NULL, *pr;
	LDAPMessage *done = NULL;
	char during[128];
	unsigned page = 1, empty = 0;
	ber_int_t estimate;
	size_t got;
	int rc, ret = -1;

	snprintf(during, sizeof(during), "search of %s", s->what);
	for (;; page++) {
		if (collector_ldap_search_page(c, s, &cookie, page, &got, &done,
		    err) == -1)
			goto out;
		rc = collector_ldap_conn_result(c, done, &sctrls, during, err);
		if (rc == -1)
			goto out;
		if (rc == LDAP_NO_SUCH_OBJECT && page == 1 && s->missing_ok) {
			log_warnx(LOG_LDAP, "%s: no %s: the container is "
			    "missing or not readable", c->where, s->what);
			ret = 0;
			goto out;
		}
		if (rc == LDAP_NO_SUCH_OBJECT && page == 1 &&
		    s->missing != NULL) {
			mx_err_set(err, MX_ERR_INPUT, c->where, "%s",
			    s->missing);
			goto out;
		}
		if (rc != 0) {
			collector_ldap_conn_fail(c, rc, during, err);
			goto out;
		}
		pr = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, sctrls,
		    NULL);
		if (pr == NULL) {
			if (page > 1) {
				mx_err_set(err, MX_ERR_INPUT, c->where, "the "
				    "server dropped paging in the %s", during);
				goto out;
			}
			break;		/* paging ignored: one answer */
		}
		memset(&next, 0, sizeof(next));
		if (ldap_parse_pageresponse_control(c->ld, pr, &estimate,
		    &next) != LDAP_SUCCESS) {
			mx_err_set(err, MX_ERR_INPUT, c->where, "malformed "
			    "paged-results control in the %s", during);
			goto out;
		}
		ber_memfree(cookie.bv_val);
		cookie = next;
		if (cookie.bv_len > LDAP_COOKIE_MAX) {
			mx_err_set(err, MX_ERR_LIMIT, c->where, "paged-results "
			    "cookie of %lu bytes (LDAP_COOKIE_MAX %d)",
			    (unsigned long)cookie.bv_len, LDAP_COOKIE_MAX);
			goto out;
		}
		ldap_controls_free(sctrls);
		sctrls = NULL;
		ldap_msgfree(done);
		done = NULL;
		if (cookie.bv_len == 0)
			break;
		if (page >= LDAP_PAGES_MAX) {
			mx_err_set(err, MX_ERR_LIMIT, c->where, "more than %d "
			    "pages (LDAP_PAGES_MAX) in the %s: the server "
			    "never ends it", LDAP_PAGES_MAX, during);
			goto out;
		}
		empty = got == 0 ? empty + 1 : 0;
		if (empty > LDAP_EMPTY_PAGES_MAX) {
			mx_err_set(err, MX_ERR_LIMIT, c->where, "more than %d "
			    "empty pages in a row (LDAP_EMPTY_PAGES_MAX) in "
			    "the %s", LDAP_EMPTY_PAGES_MAX, during);
			goto out;
		}
	}
	log_debug(LOG_LDAP, "%s: %s: %u page%s, %zu entries so far",
	    c->where, s->what, page, page > 1 ? "s" : "", c->entries);
	ret = 0;
out:
	if (ret == -1)
		collector_ldap_conn_progress_end(c, 0);
	ldap_controls_free(sctrls);
	ldap_msgfree(done);
	ber_memfree(cookie.bv_val);
	return ret;
}
