/*
 * collector_ldap_conn.h - the LDAP collector's connection: options
 * checked, a libldap handle with every limit set, TLS (ldaps://,
 * StartTLS) with the certificate checked, simple or SASL GSSAPI bind,
 * and the waits with a deadline that every request of the collector goes
 * through.  For collector_ldap*.c only: callers use collector_ldap.h.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_COLLECTOR_LDAP_CONN_H
#define MXBPA_COLLECTOR_LDAP_CONN_H

#include <stddef.h>
#include <time.h>

#include <ldap.h>
#include <libxml/hash.h>

#include "secret.h"

struct ad_map;
struct collector_ldap_options;
struct model;
struct mx_err;

/* A point on the monotonic clock, apart from wall-clock time. */
struct collector_ldap_deadline {
	struct timespec	 at;
};

/* One collection: its connection and what the searches gathered. */
struct collector_ldap_ctx {
	const struct collector_ldap_options *opts;
	LDAP		*ld;
	char		 where[256];	/* scheme://host:port, no credential */
	char		 host[256];	/* for messages */
	int		 ldaps;
	int		 tls;		/* the link is (to be) encrypted */
	unsigned	 timeout;
	unsigned	 page_size;
	char		*config_nc;
	char		*default_nc;
	struct model	*scratch;
	struct ad_map	*map;
	char		**attrs;	/* what the searches ask for */
	xmlHashTablePtr	 sids;		/* SID text -> encoded SID */
	size_t		 nsids;
	int		 sids_full;
	size_t		 entries;	/* entries received, all searches */
	size_t		 references;
	int		 progress;	/* print progress on stderr */
	int		 progress_shown;
	char		 password[SECRET_MAX];	/* wiped after the bind */
};

/* d = now + seconds. */
void	collector_ldap_conn_deadline(struct collector_ldap_deadline *d,
	    unsigned seconds);

/*
 * Copy text from the server (or from a user) into out for a message:
 * control bytes, DEL and C1 controls become '?'; truncated to size.
 */
void	collector_ldap_conn_clean(const char *in, size_t len, char *out,
	    size_t size);

/* Progress on stderr (when c->progress): one more entry; end the line. */
void	collector_ldap_conn_progress(struct collector_ldap_ctx *c);
void	collector_ldap_conn_progress_end(struct collector_ldap_ctx *c,
	    int done);

/*
 * Turn a libldap result code into the error of this collection: during
 * names the step ("bind", "search of Exchange objects").  Returns -1.
 */
int	collector_ldap_conn_fail(struct collector_ldap_ctx *c, int rc,
	    const char *during, struct mx_err *err);

/*
 * Wait for the answer to msgid until d.  Returns the message (the caller
 * frees it with ldap_msgfree), or NULL with err set; a timeout abandons
 * the operation.
 */
LDAPMessage *collector_ldap_conn_wait(struct collector_ldap_ctx *c,
	    int msgid, const struct collector_ldap_deadline *d,
	    const char *during, struct mx_err *err);

/*
 * The final result of an operation: 0, the server's result code (> 0), or
 * -1 with err set when it does not decode.  *sctrls (if not NULL) gets
 * the response controls; free them with ldap_controls_free.
 */
int	collector_ldap_conn_result(struct collector_ldap_ctx *c,
	    LDAPMessage *res, LDAPControl ***sctrls, const char *during,
	    struct mx_err *err);

/*
 * The steps of a connection, in this order: check the options (fills
 * where, host, tls, timeout, page_size), read the password, open the
 * handle, connect, StartTLS when asked, bind.  Each returns 0, or -1 with
 * err set.  The password is wiped once the bind request is sent.
 */
int	collector_ldap_conn_check(struct collector_ldap_ctx *c,
	    struct mx_err *err);
int	collector_ldap_conn_password(struct collector_ldap_ctx *c,
	    struct mx_err *err);
int	collector_ldap_conn_open(struct collector_ldap_ctx *c,
	    struct mx_err *err);
int	collector_ldap_conn_connect(struct collector_ldap_ctx *c,
	    struct mx_err *err);
int	collector_ldap_conn_starttls(struct collector_ldap_ctx *c,
	    struct mx_err *err);
int	collector_ldap_conn_bind(struct collector_ldap_ctx *c,
	    struct mx_err *err);

#endif /* MXBPA_COLLECTOR_LDAP_CONN_H */
