/*
 * collector_ldap.c - collect the Exchange topology from Active Directory
 * over LDAP with OpenLDAP's libldap (see collector_ldap.h).
 *
 * Implements: the RootDSE attributes of [MS-ADTS] 3.1.1.3.2, LDAP filter
 * escaping of binary values (RFC 4515).  The connection (TLS, bind,
 * deadlines) is collector_ldap_conn.c; the paged searches and the copy of
 * each entry are collector_ldap_search.c.
 *
 * The searches: RootDSE; CN=Microsoft Exchange,CN=Services,<configuration
 * NC> for the classes ad.c maps, with nTSecurityDescriptor (DACL only);
 * CN=Extended-Rights (right GUID -> name); CN=Partitions (crossRef: domain
 * -> NetBIOS name); then the domain SIDs met in the descriptors, looked up
 * by objectSid in the default naming context.  Everything goes to ad.c.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <signal.h>

#include <ldap.h>
#include <libxml/hash.h>

#include "ad.h"
#include "bounds.h"
#include "collector_ldap.h"
#include "collector_ldap_conn.h"
#include "collector_ldap_search.h"
#include "err.h"
#include "log.h"
#include "model.h"
#include "secret.h"
#include "util.h"

#define COLLECTOR_LDAP_SID_BATCH	50	/* SIDs in one lookup filter */
#define COLLECTOR_LDAP_FILTER_MAX	(COLLECTOR_LDAP_SID_BATCH * 220 + 64)

/* The classes ad.c maps (see ad.h); one subtree search asks for all. */
#define COLLECTOR_LDAP_EXCHANGE_FILTER \
	"(|(objectClass=msExchSmtpReceiveConnector)" \
	"(objectClass=msExchExchangeServer)" \
	"(objectClass=msExchAcceptedDomain)" \
	"(objectClass=protocolCfgSMTPServer))"
#define COLLECTOR_LDAP_RIGHTS_FILTER	"(objectClass=controlAccessRight)"
#define COLLECTOR_LDAP_DOMAINS_FILTER \
	"(&(objectClass=crossRef)(nETBIOSName=*))"

/* The first value of attribute name of a RootDSE entry, bounded. */
static char *
collector_ldap_rootdse_value(struct collector_ldap_ctx *c, LDAPMessage *e,
    const char *name, struct mx_err *err)
{
	struct berval **vals;
	char *v = NULL;

	vals = ldap_get_values_len(c->ld, e, name);
	if (vals == NULL || vals[0] == NULL)
		goto out;
	if (vals[0]->bv_len == 0 || vals[0]->bv_len > LDAP_DN_MAX ||
	    memchr(vals[0]->bv_val, '\0', vals[0]->bv_len) != NULL) {
		mx_err_set(err, MX_ERR_INPUT, c->where, "RootDSE: %s is "
		    "empty, too long or binary", name);
		goto out;
	}
	v = xmalloc(vals[0]->bv_len + 1);
	memcpy(v, vals[0]->bv_val, vals[0]->bv_len);
	v[vals[0]->bv_len] = '\0';
out:
	ldap_value_free_len(vals);
	return v;
}

/*
 * The default naming context when the RootDSE does not say: the
 * configuration NC without its first RDN (CN=Configuration,DC=x -> DC=x).
 */
static char *
collector_ldap_parent_dn(const char *dn)
{
	const char *p;

	for (p = dn; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == ',')
			return p[1] != '\0' ? xstrdup(p + 1) : NULL;
	}
	return NULL;
}

/*
 * RootDSE: configurationNamingContext (unless --base gives it) and
 * defaultNamingContext, read with a base search of the empty DN.
 */
static int
collector_ldap_rootdse(struct collector_ldap_ctx *c, struct mx_err *err)
{
	char *attrs[] = { "configurationNamingContext",
	    "defaultNamingContext", NULL };
	struct collector_ldap_deadline d;
	struct timeval limit = { 0, 0 };
	LDAPMessage *res = NULL, *entry = NULL;
	char clean[200];
	int rc, msgid, ret = -1;

	log_trace(LOG_LDAP, "%s: search base=\"\" scope=base "
	    "filter=\"(objectClass=*)\" (RootDSE)", c->where);
	limit.tv_sec = c->timeout;
	collector_ldap_conn_deadline(&d, c->timeout);
	rc = ldap_search_ext(c->ld, "", LDAP_SCOPE_BASE, "(objectClass=*)",
	    attrs, 0, NULL, NULL, &limit, 2, &msgid);
	if (rc != LDAP_SUCCESS)
		return collector_ldap_conn_fail(c, rc, "RootDSE search", err);
	for (;;) {
		if ((res = collector_ldap_conn_wait(c, msgid, &d,
		    "RootDSE search", err)) == NULL)
			goto out;
		if (ldap_msgtype(res) == LDAP_RES_SEARCH_ENTRY &&
		    entry == NULL) {
			entry = res;
			continue;
		}
		if (ldap_msgtype(res) == LDAP_RES_SEARCH_RESULT)
			break;
		ldap_msgfree(res);
		res = NULL;
		mx_err_set(err, MX_ERR_INPUT, c->where, "unexpected message "
		    "in the answer to the RootDSE search");
		goto out;
	}
	rc = collector_ldap_conn_result(c, res, NULL, "RootDSE search", err);
	if (rc == -1)
		goto out;
	if (rc != 0) {
		collector_ldap_conn_fail(c, rc, "RootDSE search", err);
		goto out;
	}
	if (entry != NULL) {
		if (c->opts->base == NULL && (c->config_nc =
		    collector_ldap_rootdse_value(c, entry,
		    "configurationNamingContext", err)) == NULL &&
		    err->code != MX_OK)
			goto out;
		if ((c->default_nc = collector_ldap_rootdse_value(c, entry,
		    "defaultNamingContext", err)) == NULL &&
		    err->code != MX_OK)
			goto out;
	}
	if (c->opts->base != NULL) {
		if (*c->opts->base == '\0' ||
		    strlen(c->opts->base) > LDAP_DN_MAX) {
			mx_err_set(err, MX_ERR_USAGE, "--base", "empty or "
			    "longer than %d bytes", LDAP_DN_MAX);
			goto out;
		}
		c->config_nc = xstrdup(c->opts->base);
		/*
		 * CN=Configuration,<forest root>: the accounts are looked up
		 * in that forest's root domain, not in the RootDSE's.
		 */
		if (strncasecmp(c->config_nc, "CN=Configuration,", 17) == 0) {
			free(c->default_nc);
			c->default_nc = collector_ldap_parent_dn(c->config_nc);
		}
	}
	if (c->config_nc == NULL) {
		mx_err_set(err, MX_ERR_INPUT, c->where, "the RootDSE names no "
		    "configurationNamingContext: not Active Directory? Give "
		    "the configuration naming context with --base");
		goto out;
	}
	if (c->default_nc == NULL)
		c->default_nc = collector_ldap_parent_dn(c->config_nc);
	collector_ldap_conn_clean(c->config_nc, strlen(c->config_nc), clean,
	    sizeof(clean));
	log_info(LOG_LDAP, "%s: configuration naming context %s", c->where,
	    clean);
	ret = 0;
out:
	ldap_msgfree(entry);
	ldap_msgfree(res);
	return ret;
}

/* "prefix" + dn into a new string. */
static char *
collector_ldap_join(const char *prefix, const char *dn)
{
	size_t len = strlen(prefix) + strlen(dn) + 1;
	char *s = xmalloc(len);

	snprintf(s, len, "%s%s", prefix, dn);
	return s;
}

/* The attribute list: ad_attributes[] plus nTSecurityDescriptor. */
static char **
collector_ldap_attrs(void)
{
	size_t n, i, k = 0;
	int has_sd = 0, has_oc = 0;
	char **attrs;

	for (n = 0; ad_attributes[n] != NULL; n++) {
		if (strcasecmp(ad_attributes[n], "nTSecurityDescriptor") == 0)
			has_sd = 1;
		if (strcasecmp(ad_attributes[n], "objectClass") == 0)
			has_oc = 1;
	}
	attrs = xcalloc(n + 3, sizeof(*attrs));
	for (i = 0; i < n; i++)
		attrs[k++] = (char *)ad_attributes[i];
	if (!has_sd)
		attrs[k++] = "nTSecurityDescriptor";
	if (!has_oc)
		attrs[k++] = "objectClass";
	attrs[k] = NULL;
	return attrs;
}

/* Append "\XX" escapes of bytes to a filter (RFC 4515 3). */
static void
collector_ldap_escape(char *out, size_t size, const uint8_t *p, size_t n)
{
	size_t len = strlen(out), i;

	for (i = 0; i < n && len + 4 < size; i++) {
		snprintf(out + len, size - len, "\\%02x", p[i]);
		len += 3;
	}
}

struct collector_ldap_sidlist {
	const uint8_t	**sids;
	size_t		  n;
};

static void
collector_ldap_sid_collect(void *payload, void *data, const xmlChar *name)
{
	struct collector_ldap_sidlist *l = data;

	(void)name;
	l->sids[l->n++] = payload;
}

static int
collector_ldap_sid_cmp(const void *a, const void *b)
{
	const uint8_t *x = *(const uint8_t *const *)a;
	const uint8_t *y = *(const uint8_t *const *)b;
	size_t lx = 8 + 4 * (size_t)x[1], ly = 8 + 4 * (size_t)y[1];
	int r = memcmp(x, y, lx < ly ? lx : ly);

	return r != 0 ? r : (lx > ly) - (lx < ly);
}

/*
 * Look the noted account SIDs up in the default naming context, a batch
 * of (|(objectSid=\01\05...)...) filters at a time; the entries go to
 * ad.c, which names the ACEs in ad_map_finish.
 */
static int
collector_ldap_resolve_sids(struct collector_ldap_ctx *c, struct mx_err *err)
{
	struct collector_ldap_sidlist l = { NULL, 0 };
	struct collector_ldap_search s;
	char *filter = NULL;
	size_t i, j, len;
	int ret = -1;

	if (c->nsids == 0)
		return 0;
	if (c->default_nc == NULL) {
		log_warnx(LOG_LDAP, "%s: no default naming context: %zu "
		    "account SIDs stay unnamed", c->where, c->nsids);
		return 0;
	}
	l.sids = xcalloc(c->nsids, sizeof(*l.sids));
	xmlHashScan(c->sids, collector_ldap_sid_collect, &l);
	qsort(l.sids, l.n, sizeof(*l.sids), collector_ldap_sid_cmp);
	filter = xmalloc(COLLECTOR_LDAP_FILTER_MAX);
	memset(&s, 0, sizeof(s));
	s.what = "accounts by SID";
	s.base = c->default_nc;
	s.scope = LDAP_SCOPE_SUBTREE;
	s.filter = filter;
	s.attrs = c->attrs;
	log_debug(LOG_LDAP, "%s: looking up %zu account SIDs", c->where, l.n);
	for (i = 0; i < l.n; i += COLLECTOR_LDAP_SID_BATCH) {
		snprintf(filter, COLLECTOR_LDAP_FILTER_MAX, "(|");
		for (j = i; j < l.n && j < i + COLLECTOR_LDAP_SID_BATCH;
		    j++) {
			len = strlen(filter);
			snprintf(filter + len, COLLECTOR_LDAP_FILTER_MAX - len,
			    "(objectSid=");
			collector_ldap_escape(filter, COLLECTOR_LDAP_FILTER_MAX,
			    l.sids[j], 8 + 4 * (size_t)l.sids[j][1]);
			len = strlen(filter);
			snprintf(filter + len, COLLECTOR_LDAP_FILTER_MAX - len,
			    ")");
		}
		len = strlen(filter);
		snprintf(filter + len, COLLECTOR_LDAP_FILTER_MAX - len, ")");
		if (collector_ldap_search_run(c, &s, err) == -1)
			goto out;
	}
	ret = 0;
out:
	free(filter);
	free(l.sids);
	return ret;
}

static void
collector_ldap_free_sid(void *payload, const xmlChar *name)
{
	(void)name;
	free(payload);
}

/*
 * The searches (ad.c needs them in no particular order): Exchange objects,
 * extended rights (GUID -> name), domains (crossRef: naming context ->
 * NetBIOS name, for DOMAIN\account), accounts behind the SIDs.
 */
static int
collector_ldap_collect(struct collector_ldap_ctx *c, struct mx_err *err)
{
	struct collector_ldap_search s;
	char *exchange = NULL, *rights = NULL, *partitions = NULL;
	char *rights_attrs[] = { "cn", "rightsGuid", "objectClass", NULL };
	char *domain_attrs[] = { "cn", "nCName", "nETBIOSName", "objectClass",
	    NULL };
	int ret = -1;

	exchange = collector_ldap_join("CN=Microsoft Exchange,CN=Services,",
	    c->config_nc);
	rights = collector_ldap_join("CN=Extended-Rights,", c->config_nc);
	partitions = collector_ldap_join("CN=Partitions,", c->config_nc);

	memset(&s, 0, sizeof(s));
	s.what = "Exchange objects";
	s.base = exchange;
	s.scope = LDAP_SCOPE_SUBTREE;
	s.filter = COLLECTOR_LDAP_EXCHANGE_FILTER;
	s.attrs = c->attrs;
	s.sd_flags = 1;
	s.collect_sids = 1;
	s.missing = "no Exchange organisation: the configuration naming "
	    "context has no CN=Microsoft Exchange,CN=Services (check --base)";
	if (collector_ldap_search_run(c, &s, err) == -1)
		goto out;

	memset(&s, 0, sizeof(s));
	s.what = "extended rights";
	s.base = rights;
	s.scope = LDAP_SCOPE_ONELEVEL;
	s.filter = COLLECTOR_LDAP_RIGHTS_FILTER;
	s.attrs = rights_attrs;
	s.missing_ok = 1;
	if (collector_ldap_search_run(c, &s, err) == -1)
		goto out;

	memset(&s, 0, sizeof(s));
	s.what = "domains";
	s.base = partitions;
	s.scope = LDAP_SCOPE_ONELEVEL;
	s.filter = COLLECTOR_LDAP_DOMAINS_FILTER;
	s.attrs = domain_attrs;
	s.missing_ok = 1;
	if (collector_ldap_search_run(c, &s, err) == -1)
		goto out;

	if (collector_ldap_resolve_sids(c, err) == -1)
		goto out;
	ret = 0;
out:
	free(exchange);
	free(rights);
	free(partitions);
	return ret;
}

static void
collector_ldap_ctx_free(struct collector_ldap_ctx *c)
{
	if (c->ld != NULL)
		ldap_unbind_ext_s(c->ld, NULL, NULL);
	ad_map_free(c->map);
	model_free(c->scratch);
	if (c->sids != NULL)
		xmlHashFree(c->sids, collector_ldap_free_sid);
	free(c->attrs);
	free(c->config_nc);
	free(c->default_nc);
	secret_wipe(c->password, sizeof(c->password));
}

/*
 * Collect into model (see collector_ldap.h).  Everything goes into a
 * scratch model first, merged into model only when the collection is
 * complete: on error model is unchanged.  The <source> records the URI
 * without any credential and the number of objects mapped.
 */
int
collector_ldap(struct model *model, const struct collector_ldap_options *o,
    struct mx_err *err)
{
	struct collector_ldap_ctx c;
	struct sigaction ign, old_pipe;
	xmlNodePtr src;
	char count[32];
	int ret = -1;

	memset(&c, 0, sizeof(c));
	c.opts = o;
	if (collector_ldap_conn_check(&c, err) == -1)
		return -1;
	/* A server that closes the connection is an error, not a SIGPIPE. */
	memset(&ign, 0, sizeof(ign));
	sigemptyset(&ign.sa_mask);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old_pipe);
	c.progress = isatty(STDERR_FILENO) && log_enabled(LOG_LEVEL_WARN) &&
	    !log_enabled(LOG_LEVEL_INFO);
	c.attrs = collector_ldap_attrs();
	c.sids = xmlHashCreate(64);
	c.scratch = model_new();
	if (c.sids == NULL || c.scratch == NULL) {
		mx_err_set(err, MX_ERR_INTERNAL, c.where, "out of memory");
		goto out;
	}
	c.map = ad_map_new(c.scratch, c.where);
	if (c.map == NULL) {
		mx_err_set(err, MX_ERR_INTERNAL, c.where, "out of memory");
		goto out;
	}
	if (collector_ldap_conn_password(&c, err) == -1 ||
	    collector_ldap_conn_open(&c, err) == -1 ||
	    collector_ldap_conn_connect(&c, err) == -1)
		goto out;
	if (o->starttls && collector_ldap_conn_starttls(&c, err) == -1)
		goto out;
	if (collector_ldap_conn_bind(&c, err) == -1 ||
	    collector_ldap_rootdse(&c, err) == -1 ||
	    collector_ldap_collect(&c, err) == -1)
		goto out;
	collector_ldap_conn_progress_end(&c, 1);
	if (ad_map_finish(c.map, err) == -1)
		goto out;
	if ((src = model_add_source(c.scratch, "ldap", c.where, NULL)) ==
	    NULL) {
		mx_err_set(err, MX_ERR_INTERNAL, c.where,
		    "cannot record the source");
		goto out;
	}
	snprintf(count, sizeof(count), "%zu", ad_map_count(c.map));
	model_set(src, "objects", count);
	log_info(LOG_LDAP, "%s: %zu entries read, %zu objects mapped",
	    c.where, c.entries, ad_map_count(c.map));
	if (model_merge(model, c.scratch, err) == -1)
		goto out;
	ret = 0;
out:
	collector_ldap_conn_progress_end(&c, 0);
	collector_ldap_ctx_free(&c);
	sigaction(SIGPIPE, &old_pipe, NULL);
	return ret;
}
