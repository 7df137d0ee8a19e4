/*
 * collector_ldap.h - collect the Exchange topology from Active Directory
 * over LDAP (OpenLDAP libldap): RootDSE discovery, paged searches
 * (RFC 2696) under CN=Microsoft Exchange,CN=Services,<configuration NC>,
 * nTSecurityDescriptor read with the SD-flags control (DACL only), SIDs
 * resolved in the default naming context.  Entries go through ad.c.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_COLLECTOR_LDAP_H
#define MXBPA_COLLECTOR_LDAP_H

struct model;
struct mx_err;

struct collector_ldap_options {
	const char	*uri;		/* ldap://host[:port] or ldaps:// */
	int		 starttls;	/* upgrade ldap:// with StartTLS */
	const char	*ca_file;	/* CA bundle; NULL: system store */
	int		 ca_file_shared; /* ca_file also serves SMTP probes */
	int		 insecure;	/* accept an unverified certificate */
	const char	*base;		/* configuration NC override */
	const char	*bind_dn;	/* DN or user@domain; NULL: anonymous */
	const char	*password_file;
	int		 password_prompt;
	int		 sasl_gssapi;	/* bind with an existing Kerberos ticket */
	unsigned	 timeout;	/* seconds: network and each operation */
	int		 referrals;	/* chase referrals (off by default) */
	unsigned	 page_size;	/* paged-results page size */
};

/*
 * Collect into model.  Returns 0, or -1 with MX_ERR_NET, MX_ERR_TLS,
 * MX_ERR_TIMEOUT (where = the URI), MX_ERR_USAGE (bad options) or
 * MX_ERR_INPUT (a hostile answer).  The password is read through
 * secret.h, used for the bind and wiped; it never reaches a message.
 */
int	collector_ldap(struct model *, const struct collector_ldap_options *,
	    struct mx_err *);

#endif /* MXBPA_COLLECTOR_LDAP_H */
