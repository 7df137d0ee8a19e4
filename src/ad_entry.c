/*
 * ad_entry.c - directory entries as the LDAP collector and the LDIF reader
 * build them (see ad.h): a DN and bounded attribute values.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ad.h"
#include "bounds.h"
#include "err.h"
#include "util.h"

/* A new entry with that DN (copied). */
struct ad_entry *
ad_entry_new(const char *dn)
{
	struct ad_entry *e = xcalloc(1, sizeof(*e));

	e->dn = xstrdup(dn);
	return e;
}

/* Does the attribute description name attr (options after ';' ignored)? */
static int
ad_attr_is(const char *desc, const char *attr)
{
	size_t n = strlen(attr);

	return strncasecmp(desc, attr, n) == 0 &&
	    (desc[n] == '\0' || desc[n] == ';');
}

/*
 * Add one value to the attribute of that description, creating it.
 * Bounded by LDAP_VALUE_MAX, LDAP_VALUES_MAX and LDAP_ENTRY_ATTRS_MAX
 * (MX_ERR_LIMIT naming where).  Returns 0 or -1.
 */
int
ad_entry_add(struct ad_entry *e, const char *attr, const uint8_t *data,
    size_t len, struct mx_err *err, const char *where)
{
	struct ad_attr *a = NULL;
	struct ad_value *v;
	size_t i;

	if (len > LDAP_VALUE_MAX)
		return mx_err_set(err, MX_ERR_LIMIT, where, "value of %.64s "
		    "longer than %d bytes (LDAP_VALUE_MAX)", attr,
		    LDAP_VALUE_MAX);
	for (i = 0; i < e->nattrs && a == NULL; i++)
		if (strcasecmp(e->attrs[i].name, attr) == 0)
			a = &e->attrs[i];
	if (a == NULL) {
		if (e->nattrs >= LDAP_ENTRY_ATTRS_MAX)
			return mx_err_set(err, MX_ERR_LIMIT, where, "entry "
			    "with more than %d attributes "
			    "(LDAP_ENTRY_ATTRS_MAX)", LDAP_ENTRY_ATTRS_MAX);
		e->attrs = xreallocarray(e->attrs, e->nattrs + 1,
		    sizeof(*e->attrs));
		a = &e->attrs[e->nattrs++];
		a->name = xstrdup(attr);
		a->values = NULL;
		a->nvalues = 0;
	}
	if (a->nvalues >= LDAP_VALUES_MAX)
		return mx_err_set(err, MX_ERR_LIMIT, where, "attribute %.64s "
		    "with more than %d values (LDAP_VALUES_MAX)", attr,
		    LDAP_VALUES_MAX);
	/* Grow by doubling: many-valued attributes stay linear. */
	if ((a->nvalues & (a->nvalues - 1)) == 0)
		a->values = xreallocarray(a->values,
		    a->nvalues ? a->nvalues * 2 : 1, sizeof(*a->values));
	v = &a->values[a->nvalues++];
	/* One more byte, always NUL: text values can be used as strings. */
	v->data = xmalloc(len + 1);
	if (len > 0)
		memcpy(v->data, data, len);
	v->data[len] = '\0';
	v->len = len;
	return 0;
}

void
ad_entry_free(struct ad_entry *e)
{
	size_t i, j;

	if (e == NULL)
		return;
	for (i = 0; i < e->nattrs; i++) {
		for (j = 0; j < e->attrs[i].nvalues; j++)
			free(e->attrs[i].values[j].data);
		free(e->attrs[i].values);
		free(e->attrs[i].name);
	}
	free(e->attrs);
	free(e->dn);
	free(e);
}

/*
 * The attribute called name, compared without case, options ignored; NULL
 * when absent.
 */
const struct ad_attr *
ad_entry_attr(const struct ad_entry *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->nattrs; i++)
		if (ad_attr_is(e->attrs[i].name, name) &&
		    e->attrs[i].nvalues > 0)
			return &e->attrs[i];
	return NULL;
}

struct ad_entry *
ad_entry_copy(const struct ad_entry *e)
{
	struct ad_entry *c = ad_entry_new(e->dn);
	size_t i, j;

	c->line = e->line;
	c->attrs = xcalloc(e->nattrs ? e->nattrs : 1, sizeof(*c->attrs));
	c->nattrs = e->nattrs;
	for (i = 0; i < e->nattrs; i++) {
		c->attrs[i].name = xstrdup(e->attrs[i].name);
		c->attrs[i].nvalues = e->attrs[i].nvalues;
		c->attrs[i].values = xcalloc(e->attrs[i].nvalues ?
		    e->attrs[i].nvalues : 1, sizeof(struct ad_value));
		for (j = 0; j < e->attrs[i].nvalues; j++) {
			struct ad_value *d = &c->attrs[i].values[j];

			d->len = e->attrs[i].values[j].len;
			d->line = e->attrs[i].values[j].line;
			d->data = xmalloc(d->len + 1);
			memcpy(d->data, e->attrs[i].values[j].data, d->len);
			d->data[d->len] = '\0';
		}
	}
	return c;
}

int
ad_entry_has_class(const struct ad_entry *e, const char *cls)
{
	const struct ad_attr *a = ad_entry_attr(e, "objectClass");
	size_t i;

	for (i = 0; a != NULL && i < a->nvalues; i++)
		if (strcasecmp((const char *)a->values[i].data, cls) == 0)
			return 1;
	return 0;
}
