/*
 * collector_ldap.c - collect the Exchange topology from Active Directory
 * over LDAP with OpenLDAP's libldap (see collector_ldap.h).
 *
 * Implements: LDAPv3 (RFC 4511) searches with the simple paged results
 * control (RFC 2696), StartTLS and simple bind (RFC 4513), SASL GSSAPI
 * (RFC 4752), the RootDSE attributes, the LDAP_SERVER_SD_FLAGS control and
 * range retrieval of [MS-ADTS] 3.1.1.3.2, 3.1.1.3.4.1.11 and 3.1.1.3.1.3.3,
 * LDAP filter escaping of binary values (RFC 4515).
 *
 * The searches: RootDSE; CN=Microsoft Exchange,CN=Services,<configuration
 * NC> for the classes ad.c maps, with nTSecurityDescriptor (DACL only);
 * CN=Extended-Rights (right GUID -> name); CN=Partitions (crossRef: domain
 * -> NetBIOS name); then the domain SIDs met in the descriptors, looked up
 * by objectSid in the default naming context.  Everything goes to ad.c.
 *
 * The server is hostile until proven otherwise: every wait has a deadline,
 * one message is capped at the socket buffer (LDAP_MESSAGE_MAX), DNs,
 * attribute names, values, entries, pages and cookies are counted against
 * bounds.h, and text from the server is cleaned before it reaches a
 * message.  The password never reaches argv, a message or a trace; its
 * buffer is wiped right after the bind.  libldap reads no ldap.conf nor
 * ~/.ldaprc (LDAPNOINIT), chases no referral unless asked, and checks the
 * certificate (and the host name in it) unless --insecure-tls is given.
 *
 * SPDX-License-Identifier: ISC
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <lber.h>
#include <ldap.h>
#include <libxml/hash.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ad.h"
#include "bounds.h"
#include "collector_ldap.h"
#include "err.h"
#include "log.h"
#include "model.h"
#include "sd.h"
#include "secret.h"
#include "util.h"

/* LDAP_SERVER_SD_FLAGS_OID: SEQUENCE { INTEGER 4 } asks for the DACL only. */
#define COLLECTOR_LDAP_SD_FLAGS_OID	"1.2.840.113556.1.4.801"
static const char collector_ldap_sd_flags_value[] = {
	0x30, 0x03, 0x02, 0x01, 0x04
};

#define COLLECTOR_LDAP_PASSWORD_ENV	"MXBPA_LDAP_PASSWORD"
#define COLLECTOR_LDAP_SID_BATCH	50	/* SIDs in one lookup filter */
#define COLLECTOR_LDAP_PROGRESS_EVERY	100	/* entries between updates */
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

/* A point on the monotonic clock, apart from wall-clock time. */
struct collector_ldap_deadline {
	struct timespec	 at;
};

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

/* A search and what the collector does with it. */
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

static void
collector_ldap_deadline_set(struct collector_ldap_deadline *d,
    unsigned seconds)
{
	clock_gettime(CLOCK_MONOTONIC, &d->at);
	d->at.tv_sec += seconds;
}

/* Time left before d into tv; 0 when it has passed. */
static int
collector_ldap_deadline_left(const struct collector_ldap_deadline *d,
    struct timeval *tv)
{
	struct timespec now;
	long long ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (long long)(d->at.tv_sec - now.tv_sec) * 1000000000LL +
	    (d->at.tv_nsec - now.tv_nsec);
	if (ns <= 0)
		return 0;
	tv->tv_sec = ns / 1000000000LL;
	tv->tv_usec = (ns % 1000000000LL) / 1000;
	if (tv->tv_sec == 0 && tv->tv_usec == 0)
		tv->tv_usec = 1;
	return 1;
}

/*
 * A deadline for what libldap does synchronously (TCP connect and TLS
 * handshake, StartTLS, SASL bind): this libldap lets a TLS handshake wait
 * on a silent server for ever, whatever LDAP_OPT_NETWORK_TIMEOUT says.  An
 * interval timer (SIGALRM) shuts the socket down at the deadline, so the
 * call fails at once; the caller then reports the timeout it was.  The
 * socket is learnt from a connection callback, before any TLS byte is
 * exchanged.  The previous SIGALRM disposition and timer are restored.
 */
static volatile sig_atomic_t collector_ldap_guard_fd = -1;
static volatile sig_atomic_t collector_ldap_guard_fired;

struct collector_ldap_guard {
	struct sigaction	 old_sa;
	struct itimerval	 old_timer;
};

static void
collector_ldap_guard_alarm(int signo)
{
	int fd = collector_ldap_guard_fd;

	(void)signo;
	collector_ldap_guard_fired = 1;
	if (fd >= 0)
		shutdown(fd, SHUT_RDWR);	/* async-signal-safe */
}

static int
collector_ldap_guard_add(LDAP *ld, Sockbuf *sb, LDAPURLDesc *srv,
    struct sockaddr *addr, struct ldap_conncb *ctx)
{
	ber_socket_t fd = -1;

	(void)ld;
	(void)srv;
	(void)addr;
	(void)ctx;
	if (ber_sockbuf_ctrl(sb, LBER_SB_OPT_GET_FD, &fd) == 1 && fd >= 0) {
		collector_ldap_guard_fd = fd;
		if (collector_ldap_guard_fired)
			shutdown(fd, SHUT_RDWR);
	}
	return 0;
}

static void
collector_ldap_guard_del(LDAP *ld, Sockbuf *sb, struct ldap_conncb *ctx)
{
	(void)ld;
	(void)sb;
	(void)ctx;
	collector_ldap_guard_fd = -1;
}

static struct ldap_conncb collector_ldap_conncb = {
	collector_ldap_guard_add, collector_ldap_guard_del, NULL
};

static void
collector_ldap_guard_begin(struct collector_ldap_guard *g, LDAP *ld,
    unsigned seconds)
{
	struct itimerval timer;
	struct sigaction sa;
	ber_socket_t fd = -1;

	collector_ldap_guard_fired = 0;
	collector_ldap_guard_fd = -1;
	if (ldap_get_option(ld, LDAP_OPT_DESC, &fd) == LDAP_OPT_SUCCESS &&
	    fd >= 0)
		collector_ldap_guard_fd = fd;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = collector_ldap_guard_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, &g->old_sa);
	memset(&timer, 0, sizeof(timer));
	timer.it_value.tv_sec = seconds;
	setitimer(ITIMER_REAL, &timer, &g->old_timer);
}

/* Disarm; returns 1 when the deadline passed during the call. */
static int
collector_ldap_guard_end(struct collector_ldap_guard *g)
{
	struct itimerval off;

	memset(&off, 0, sizeof(off));
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &g->old_sa, NULL);
	if (g->old_timer.it_value.tv_sec != 0 ||
	    g->old_timer.it_value.tv_usec != 0)
		setitimer(ITIMER_REAL, &g->old_timer, NULL);
	collector_ldap_guard_fd = -1;
	return collector_ldap_guard_fired;
}

/*
 * Copy text from the server (or from a user) for a message: control
 * bytes, DEL and the UTF-8 encoding of C1 controls become '?', and the
 * copy is truncated to the output.
 */
static void
collector_ldap_clean(const char *in, size_t len, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i, o = 0;

	if (size == 0)
		return;
	for (i = 0; i < len && o + 1 < size; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f)
			out[o++] = '?';
		else if (p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9f) {
			out[o++] = '?';
			i++;
		} else
			out[o++] = (char)p[i];
	}
	out[o] = '\0';
}

/* The diagnostic message libldap kept, cleaned, as " (text)" or "". */
static void
collector_ldap_diag(struct collector_ldap_ctx *c, char *out, size_t size)
{
	char *diag = NULL, clean[256];

	out[0] = '\0';
	if (c->ld == NULL || ldap_get_option(c->ld,
	    LDAP_OPT_DIAGNOSTIC_MESSAGE, &diag) != LDAP_OPT_SUCCESS ||
	    diag == NULL)
		return;
	if (*diag != '\0') {
		collector_ldap_clean(diag, strlen(diag), clean, sizeof(clean));
		snprintf(out, size, " (%s)", clean);
	}
	ldap_memfree(diag);
}

/* End the progress line so that a message starts on its own line. */
static void
collector_ldap_progress_end(struct collector_ldap_ctx *c, int done)
{
	if (!c->progress_shown)
		return;
	if (done)
		fprintf(stderr, "\rcollected %zu entries.   \n", c->entries);
	else
		fputc('\n', stderr);
	c->progress_shown = 0;
}

static void
collector_ldap_progress(struct collector_ldap_ctx *c)
{
	if (!c->progress || c->entries % COLLECTOR_LDAP_PROGRESS_EVERY != 0)
		return;
	fprintf(stderr, "\rcollected %zu entries...", c->entries);
	fflush(stderr);
	c->progress_shown = 1;
}

/*
 * Turn a libldap result code into the error of this collection: during
 * names the step ("bind", "StartTLS", "search of Exchange objects").
 * Always returns -1.
 */
static int
collector_ldap_fail(struct collector_ldap_ctx *c, int rc, const char *during,
    struct mx_err *err)
{
	char diag[300];

	collector_ldap_progress_end(c, 0);
	collector_ldap_diag(c, diag, sizeof(diag));
	switch (rc) {
	case LDAP_TIMEOUT:
	case LDAP_TIMELIMIT_EXCEEDED:
		return mx_err_set(err, MX_ERR_TIMEOUT, c->where,
		    "timeout in %s after %u s", during, c->timeout);
	case LDAP_SERVER_DOWN:
	case LDAP_CONNECT_ERROR:
		return mx_err_set(err, MX_ERR_NET, c->where,
		    "connection lost in %s: %s%s", during,
		    ldap_err2string(rc), diag);
	case LDAP_DECODING_ERROR:
	case LDAP_MORE_RESULTS_TO_RETURN:
		return mx_err_set(err, MX_ERR_INPUT, c->where,
		    "malformed answer from the server in %s: %s%s", during,
		    ldap_err2string(rc), diag);
	case LDAP_NO_MEMORY:
		return mx_err_set(err, MX_ERR_INTERNAL, c->where,
		    "out of memory in %s", during);
	case LDAP_INVALID_CREDENTIALS:
		return mx_err_set(err, MX_ERR_NET, c->where,
		    "%s refused: invalid credentials (wrong bind DN or "
		    "password)%s", during, diag);
	case LDAP_SIZELIMIT_EXCEEDED:
		return mx_err_set(err, MX_ERR_NET, c->where,
		    "%s stopped by the server's size limit%s; the server "
		    "must allow paged searches of this account", during,
		    diag);
	default:
		return mx_err_set(err, MX_ERR_NET, c->where,
		    "%s failed: %s%s", during, ldap_err2string(rc), diag);
	}
}

/* The result code libldap recorded for the last failed call. */
static int
collector_ldap_errno(struct collector_ldap_ctx *c)
{
	int rc = LDAP_OTHER;

	if (ldap_get_option(c->ld, LDAP_OPT_RESULT_CODE, &rc) !=
	    LDAP_OPT_SUCCESS || rc == LDAP_SUCCESS)
		rc = LDAP_OTHER;
	return rc;
}

/*
 * Check the options and build where from the URI: one ldap:// or ldaps://
 * URI with a host and nothing after the port.  The URI itself is never
 * echoed back when it does not parse: it may hold what it should not.
 */
static int
collector_ldap_check_uri(struct collector_ldap_ctx *c, struct mx_err *err)
{
	const struct collector_ldap_options *o = c->opts;
	LDAPURLDesc *lud = NULL;
	const char *fmt;
	int rc = -1;

	if (o->uri == NULL || *o->uri == '\0')
		return mx_err_set(err, MX_ERR_USAGE, "--ldap",
		    "no LDAP URI given");
	if (strlen(o->uri) > 200 ||
	    ldap_url_parse(o->uri, &lud) != LDAP_URL_SUCCESS)
		return mx_err_set(err, MX_ERR_USAGE, "--ldap", "not an LDAP "
		    "URI: give ldap://HOST[:PORT] or ldaps://HOST[:PORT]");
	if (strcasecmp(lud->lud_scheme, "ldap") == 0)
		c->ldaps = 0;
	else if (strcasecmp(lud->lud_scheme, "ldaps") == 0)
		c->ldaps = 1;
	else {
		mx_err_set(err, MX_ERR_USAGE, "--ldap", "only ldap:// and "
		    "ldaps:// URIs are supported");
		goto out;
	}
	if (lud->lud_next != NULL || lud->lud_host == NULL ||
	    *lud->lud_host == '\0' || lud->lud_port <= 0 ||
	    lud->lud_port > 65535 ||
	    (lud->lud_dn != NULL && *lud->lud_dn != '\0') ||
	    lud->lud_attrs != NULL || lud->lud_filter != NULL ||
	    lud->lud_exts != NULL || strchr(o->uri, '?') != NULL) {
		mx_err_set(err, MX_ERR_USAGE, "--ldap", "the URI must be "
		    "ldap://HOST[:PORT] or ldaps://HOST[:PORT], one host, "
		    "nothing after the port (use --base for the base DN)");
		goto out;
	}
	collector_ldap_clean(lud->lud_host, strlen(lud->lud_host), c->host,
	    sizeof(c->host));
	if (strcmp(c->host, lud->lud_host) != 0 ||
	    strpbrk(c->host, "@/ ") != NULL) {
		mx_err_set(err, MX_ERR_USAGE, "--ldap", "the URI's host "
		    "name has characters no host name has");
		goto out;
	}
	fmt = strchr(c->host, ':') != NULL ? "%s://[%s]:%d" : "%s://%s:%d";
	snprintf(c->where, sizeof(c->where), fmt, c->ldaps ? "ldaps" : "ldap",
	    c->host, lud->lud_port);
	rc = 0;
out:
	ldap_free_urldesc(lud);
	return rc;
}

/* Options that contradict each other, or a password in clear text. */
static int
collector_ldap_check(struct collector_ldap_ctx *c, struct mx_err *err)
{
	const struct collector_ldap_options *o = c->opts;

	if (collector_ldap_check_uri(c, err) == -1)
		return -1;
	if (o->starttls && c->ldaps)
		return mx_err_set(err, MX_ERR_USAGE, c->where, "--starttls "
		    "is for ldap:// (ldaps:// is TLS from the start)");
	c->tls = c->ldaps || o->starttls;
	if (!c->tls && (o->ca_file != NULL || o->insecure))
		return mx_err_set(err, MX_ERR_USAGE, c->where, "%s needs "
		    "ldaps:// or --starttls", o->ca_file != NULL ?
		    "--ca-file" : "--insecure-tls");
	if (o->ca_file != NULL && access(o->ca_file, R_OK) == -1)
		return mx_err_sys(err, MX_ERR_USAGE, o->ca_file,
		    "cannot read the CA file");
	c->timeout = o->timeout != 0 ? o->timeout : LDAP_TIMEOUT_DEFAULT;
	if (c->timeout > LDAP_TIMEOUT_MAX)
		return mx_err_set(err, MX_ERR_USAGE, "--timeout", "at most "
		    "%u seconds (LDAP_TIMEOUT_MAX)", LDAP_TIMEOUT_MAX);
	c->page_size = o->page_size != 0 ? o->page_size : LDAP_PAGE_SIZE;
	if (c->page_size > LDAP_PAGE_SIZE_MAX)
		return mx_err_set(err, MX_ERR_USAGE, "--page-size", "at most "
		    "%u entries (LDAP_PAGE_SIZE_MAX)", LDAP_PAGE_SIZE_MAX);
	if (o->sasl_gssapi && (o->bind_dn != NULL ||
	    o->password_file != NULL || o->password_prompt))
		return mx_err_set(err, MX_ERR_USAGE, c->where, "--sasl-gssapi "
		    "binds with the Kerberos ticket: no --bind-dn, "
		    "--password-file or -W");
	if (o->bind_dn == NULL && (o->password_file != NULL ||
	    o->password_prompt))
		return mx_err_set(err, MX_ERR_USAGE, c->where, "%s needs "
		    "--bind-dn", o->password_file != NULL ?
		    "--password-file" : "-W");
	if (o->bind_dn != NULL && (*o->bind_dn == '\0' ||
	    strlen(o->bind_dn) > LDAP_DN_MAX))
		return mx_err_set(err, MX_ERR_USAGE, "--bind-dn",
		    "empty or longer than %d bytes", LDAP_DN_MAX);
	/* P9: a simple bind over ldap:// sends the password readable. */
	if (o->bind_dn != NULL && !c->tls)
		return mx_err_set(err, MX_ERR_USAGE, c->where, "refusing to "
		    "send a password in clear text over ldap:// without "
		    "StartTLS: use ldaps:// or --starttls");
	return 0;
}

static int
collector_ldap_set(struct collector_ldap_ctx *c, LDAP *ld, int option,
    const void *value, const char *name, struct mx_err *err)
{
	if (ldap_set_option(ld, option, value) != LDAP_OPT_SUCCESS)
		return mx_err_set(err, MX_ERR_INTERNAL, c->where,
		    "libldap refused option %s", name);
	return 0;
}

/*
 * TLS settings of a handle, then a fresh TLS context built from them: the
 * CA file given, else OpenSSL's default bundle (the system store), since
 * libldap with LDAPNOINIT reads no TLS_CACERT from ldap.conf.  any_cert
 * accepts any certificate (--insecure-tls, or the diagnosis probe).
 */
static int
collector_ldap_tls_options(struct collector_ldap_ctx *c, LDAP *ld,
    int any_cert, struct mx_err *err)
{
	const struct collector_ldap_options *o = c->opts;
	const char *ca = o->ca_file, *env;
	int require, min = LDAP_OPT_X_TLS_PROTOCOL_TLS1_2, zero = 0;

	require = any_cert ? LDAP_OPT_X_TLS_ALLOW : LDAP_OPT_X_TLS_DEMAND;
	if (ca == NULL) {
		env = getenv(X509_get_default_cert_file_env());
		ca = env != NULL && *env != '\0' ? env :
		    X509_get_default_cert_file();
		if (access(ca, R_OK) == -1) {
			log_debug(LOG_LDAP, "%s: no system CA bundle at %s",
			    c->where, ca);
			ca = NULL;
		}
	}
	if (collector_ldap_set(c, ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &require,
	    "LDAP_OPT_X_TLS_REQUIRE_CERT", err) == -1 ||
	    collector_ldap_set(c, ld, LDAP_OPT_X_TLS_PROTOCOL_MIN, &min,
	    "LDAP_OPT_X_TLS_PROTOCOL_MIN", err) == -1)
		return -1;
	if (ca != NULL) {
		log_debug(LOG_LDAP, "%s: CA certificates from %s", c->where,
		    ca);
		if (collector_ldap_set(c, ld, LDAP_OPT_X_TLS_CACERTFILE, ca,
		    "LDAP_OPT_X_TLS_CACERTFILE", err) == -1)
			return -1;
	}
	if (ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &zero) !=
	    LDAP_OPT_SUCCESS)
		return mx_err_set(err, o->ca_file != NULL ? MX_ERR_INPUT :
		    MX_ERR_TLS, o->ca_file != NULL ? o->ca_file : c->where,
		    "cannot set up TLS with %s (not PEM certificates?)",
		    o->ca_file != NULL ? "this CA file" :
		    "the system CA certificates");
	return 0;
}

/*
 * A libldap handle with every limit set: LDAPv3, referrals as asked, the
 * network and operation timeouts, no alias dereferencing, one incoming
 * message capped at LDAP_MESSAGE_MAX, TLS checks.  Nothing is sent yet.
 */
static int
collector_ldap_handle(struct collector_ldap_ctx *c, LDAP **ldp, int any_cert,
    struct mx_err *err)
{
	struct timeval tv;
	int version = LDAP_VERSION3, deref = LDAP_DEREF_NEVER, zero = 0;
	ber_len_t max = LDAP_MESSAGE_MAX;
	Sockbuf *sb = NULL;
	LDAP *ld = NULL;
	int rc;

	*ldp = NULL;
	rc = ldap_initialize(&ld, c->where);
	if (rc != LDAP_SUCCESS)
		return mx_err_set(err, MX_ERR_USAGE, c->where,
		    "libldap refused the URI: %s", ldap_err2string(rc));
	*ldp = ld;
	tv.tv_sec = c->timeout;
	tv.tv_usec = 0;
	if (collector_ldap_set(c, ld, LDAP_OPT_PROTOCOL_VERSION, &version,
	    "LDAP_OPT_PROTOCOL_VERSION", err) == -1 ||
	    collector_ldap_set(c, ld, LDAP_OPT_REFERRALS, c->opts->referrals ?
	    LDAP_OPT_ON : LDAP_OPT_OFF, "LDAP_OPT_REFERRALS", err) == -1 ||
	    collector_ldap_set(c, ld, LDAP_OPT_NETWORK_TIMEOUT, &tv,
	    "LDAP_OPT_NETWORK_TIMEOUT", err) == -1 ||
	    collector_ldap_set(c, ld, LDAP_OPT_TIMEOUT, &tv,
	    "LDAP_OPT_TIMEOUT", err) == -1 ||
	    collector_ldap_set(c, ld, LDAP_OPT_DEREF, &deref,
	    "LDAP_OPT_DEREF", err) == -1 ||
	    collector_ldap_set(c, ld, LDAP_OPT_SIZELIMIT, &zero,
	    "LDAP_OPT_SIZELIMIT", err) == -1)
		return -1;
	if (ldap_get_option(ld, LDAP_OPT_SOCKBUF, &sb) != LDAP_OPT_SUCCESS ||
	    sb == NULL ||
	    ber_sockbuf_ctrl(sb, LBER_SB_OPT_SET_MAX_INCOMING, &max) != 1)
		return mx_err_set(err, MX_ERR_INTERNAL, c->where,
		    "cannot cap incoming LDAP messages");
	if (collector_ldap_set(c, ld, LDAP_OPT_CONNECT_CB,
	    &collector_ldap_conncb, "LDAP_OPT_CONNECT_CB", err) == -1)
		return -1;
	if (c->tls && collector_ldap_tls_options(c, ld, any_cert, err) == -1)
		return -1;
	return 0;
}

/* The collector's handle; see collector_ldap_handle. */
static int
collector_ldap_open(struct collector_ldap_ctx *c, struct mx_err *err)
{
	int zero = 0;

	/* Before the first libldap call: no ldap.conf, no ~/.ldaprc. */
	if (setenv("LDAPNOINIT", "1", 1) == -1)
		return mx_err_sys(err, MX_ERR_INTERNAL, NULL, "setenv");
	ldap_set_option(NULL, LDAP_OPT_DEBUG_LEVEL, &zero);
	ber_set_option(NULL, LBER_OPT_DEBUG_LEVEL, &zero);
	if (c->opts->insecure)
		log_warnx(LOG_LDAP, "%s: --insecure-tls: the server "
		    "certificate is not checked; anyone on the path can read "
		    "and change this session", c->where);
	/* libldap follows a referral anonymously, with no rebind callback. */
	if (c->opts->referrals)
		log_warnx(LOG_LDAP, "%s: --referrals: the server may send the "
		    "collection to hosts it names (followed anonymously)",
		    c->where);
	if (collector_ldap_handle(c, &c->ld, c->opts->insecure, err) == -1)
		return -1;
	log_debug(LOG_LDAP, "%s: LDAPv3, timeout %u s, referrals %s, page "
	    "size %u%s", c->where, c->timeout, c->opts->referrals ? "chased" :
	    "ignored", c->page_size, c->ldaps ? ", TLS" : c->opts->starttls ?
	    ", StartTLS" : "");
	return 0;
}

/* A name of a certificate as RFC 2253 text, cleaned. */
static void
collector_ldap_cert_name(X509_NAME *name, char *out, size_t size)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char raw[256];
	int n = 0;

	if (bio != NULL && name != NULL &&
	    X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) >= 0)
		n = BIO_read(bio, raw, sizeof(raw) - 1);
	BIO_free(bio);
	if (n <= 0)
		n = snprintf(raw, sizeof(raw), "?");
	collector_ldap_clean(raw, (size_t)n, out, size);
}

/* Does x chain to a CA of the CA file (or of the system store)? */
static int
collector_ldap_cert_trusted(struct collector_ldap_ctx *c, X509 *x)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int ok = 0;

	if (store == NULL || ctx == NULL)
		goto out;
	if (c->opts->ca_file != NULL ?
	    X509_STORE_load_file(store, c->opts->ca_file) != 1 :
	    X509_STORE_set_default_paths(store) != 1)
		goto out;
	if (X509_STORE_CTX_init(ctx, store, x, NULL) == 1)
		ok = X509_verify_cert(ctx) == 1;
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	return ok;
}

/* Why a certificate the TLS layer refused does not verify. */
static void
collector_ldap_cert_why(struct collector_ldap_ctx *c, X509 *x, char *out,
    size_t size)
{
	char issuer[200], subject[200];

	collector_ldap_cert_name(X509_get_issuer_name(x), issuer,
	    sizeof(issuer));
	collector_ldap_cert_name(X509_get_subject_name(x), subject,
	    sizeof(subject));
	if (X509_cmp_current_time(X509_get0_notAfter(x)) < 0)
		snprintf(out, size, "it has expired (subject %s)", subject);
	else if (X509_cmp_current_time(X509_get0_notBefore(x)) > 0)
		snprintf(out, size, "it is not valid yet (subject %s)",
		    subject);
	else if (X509_check_ip_asc(x, c->host, 0) != 1 &&
	    X509_check_host(x, c->host, 0, 0, NULL) != 1)
		snprintf(out, size, "it does not name %s (subject %s): put "
		    "a name the certificate gives in the URI", c->host,
		    subject);
	else if (!collector_ldap_cert_trusted(c, x)) {
		snprintf(out, size, "it was issued by %s, a CA not in %s: "
		    "give the CA that signed it with --ca-file", issuer,
		    c->opts->ca_file != NULL ? c->opts->ca_file :
		    "the system store");
	} else if (strcasecmp(c->host, "localhost") == 0)
		/* libldap checks "localhost" against this machine's name. */
		snprintf(out, size, "for \"localhost\" libldap expects the "
		    "name of this machine: use 127.0.0.1 in the URI");
	else
		snprintf(out, size, "the TLS library refused it (subject "
		    "%s, issuer %s); check it, or give its CA with "
		    "--ca-file", subject, issuer);
}

/*
 * The TLS handshake failed: connect again accepting any certificate.  If
 * that works, the certificate was refused and its own content says why;
 * if not, TLS itself fails (no TLS on that port, no common version).
 * Nothing but an anonymous connection is attempted.  Always returns -1.
 */
static int
collector_ldap_tls_refused(struct collector_ldap_ctx *c, const char *during,
    struct mx_err *err)
{
	struct berval der = { 0, NULL };
	struct collector_ldap_guard guard;
	const unsigned char *p;
	struct mx_err ignored;
	char why[600], diag[300];
	LDAP *ld = NULL;
	X509 *x = NULL;
	int rc;

	collector_ldap_diag(c, diag, sizeof(diag));
	mx_err_init(&ignored);
	why[0] = '\0';
	if (collector_ldap_handle(c, &ld, 1, &ignored) == 0) {
		collector_ldap_guard_begin(&guard, ld, c->timeout);
		rc = ldap_connect(ld);
		if (rc == LDAP_SUCCESS && !c->ldaps)
			rc = ldap_start_tls_s(ld, NULL, NULL);
		if (collector_ldap_guard_end(&guard))
			rc = LDAP_TIMEOUT;
		if (rc == LDAP_SUCCESS && ldap_get_option(ld,
		    LDAP_OPT_X_TLS_PEERCERT, &der) == LDAP_OPT_SUCCESS &&
		    der.bv_val != NULL) {
			p = (const unsigned char *)der.bv_val;
			x = d2i_X509(NULL, &p, (long)der.bv_len);
		}
	}
	if (x != NULL)
		collector_ldap_cert_why(c, x, why, sizeof(why));
	X509_free(x);
	ber_memfree(der.bv_val);
	if (ld != NULL)
		ldap_unbind_ext_s(ld, NULL, NULL);
	if (why[0] != '\0')
		return mx_err_set(err, MX_ERR_TLS, c->where, "%s: the server "
		    "certificate was refused: %s (--insecure-tls skips the "
		    "check)", during, why);
	return mx_err_set(err, MX_ERR_TLS, c->where, "%s: the TLS handshake "
	    "with %s failed%s (is TLS on that port? TLS 1.2 at least is "
	    "required)", during, c->host, diag);
}

/*
 * Connect now, so that a host that cannot be reached and a certificate
 * that is refused (ldaps://) are told apart from what follows.
 */
static int
collector_ldap_connect(struct collector_ldap_ctx *c, struct mx_err *err)
{
	struct collector_ldap_guard guard;
	char diag[300];
	int rc;

	log_trace(LOG_LDAP, "%s: connect", c->where);
	collector_ldap_guard_begin(&guard, c->ld, c->timeout);
	rc = ldap_connect(c->ld);
	if (collector_ldap_guard_end(&guard))
		return collector_ldap_fail(c, LDAP_TIMEOUT, c->ldaps ?
		    "connect and TLS handshake" : "connect", err);
	if (rc == LDAP_SUCCESS)
		return 0;
	collector_ldap_diag(c, diag, sizeof(diag));
	if (rc == LDAP_TIMEOUT)
		return collector_ldap_fail(c, rc, "connect", err);
	/* libldap leaves a diagnostic message only when TLS failed. */
	if (c->ldaps && diag[0] != '\0')
		return collector_ldap_tls_refused(c, "TLS", err);
	return mx_err_set(err, MX_ERR_NET, c->where, "cannot connect to %s: "
	    "%s%s", c->host, ldap_err2string(rc), diag);
}

/*
 * Wait for the answer to msgid until the deadline.  Returns the message
 * (caller frees it), or NULL with the error set; a timeout abandons the
 * operation.
 */
static LDAPMessage *
collector_ldap_wait(struct collector_ldap_ctx *c, int msgid,
    const struct collector_ldap_deadline *d, const char *during,
    struct mx_err *err)
{
	LDAPMessage *res = NULL;
	struct timeval tv;
	int rc;

	errno = 0;
	if (!collector_ldap_deadline_left(d, &tv))
		rc = 0;
	else
		rc = ldap_result(c->ld, msgid, LDAP_MSG_ONE, &tv, &res);
	/* liblber refuses a message over the cap with ERANGE. */
	if (rc == -1 && errno == ERANGE) {
		collector_ldap_progress_end(c, 0);
		mx_err_set(err, MX_ERR_LIMIT, c->where, "the server sent a "
		    "message larger than %u bytes (LDAP_MESSAGE_MAX) in the "
		    "%s", LDAP_MESSAGE_MAX, during);
		return NULL;
	}
	if (rc == 0) {
		ldap_abandon_ext(c->ld, msgid, NULL, NULL);
		collector_ldap_fail(c, LDAP_TIMEOUT, during, err);
		return NULL;
	}
	if (rc == -1 || res == NULL) {
		collector_ldap_fail(c, collector_ldap_errno(c), during, err);
		return NULL;
	}
	return res;
}

/*
 * The final result of an operation: 0, the server's result code (> 0), or
 * -1 with the error set when the result does not decode.
 */
static int
collector_ldap_result(struct collector_ldap_ctx *c, LDAPMessage *res,
    LDAPControl ***sctrls, const char *during, struct mx_err *err)
{
	int code = LDAP_OTHER, rc;

	/* This also keeps the server's text for collector_ldap_diag. */
	rc = ldap_parse_result(c->ld, res, &code, NULL, NULL, NULL, sctrls,
	    0);
	if (rc != LDAP_SUCCESS || code < 0)
		return collector_ldap_fail(c, LDAP_DECODING_ERROR, during,
		    err);
	return code;
}

/* StartTLS on the ldap:// connection; the certificate is checked here. */
static int
collector_ldap_starttls(struct collector_ldap_ctx *c, struct mx_err *err)
{
	struct collector_ldap_guard guard;
	int rc;

	log_trace(LOG_LDAP, "%s: StartTLS", c->where);
	collector_ldap_guard_begin(&guard, c->ld, c->timeout);
	rc = ldap_start_tls_s(c->ld, NULL, NULL);
	if (collector_ldap_guard_end(&guard))
		rc = LDAP_TIMEOUT;
	if (rc == LDAP_SUCCESS) {
		log_debug(LOG_LDAP, "%s: StartTLS done", c->where);
		return 0;
	}
	if (rc == LDAP_TIMEOUT)
		return collector_ldap_fail(c, rc, "StartTLS", err);
	if (rc > 0)
		return mx_err_set(err, MX_ERR_TLS, c->where, "the server "
		    "refused StartTLS: %s", ldap_err2string(rc));
	return collector_ldap_tls_refused(c, "StartTLS", err);
}

/*
 * Mirror of Cyrus SASL's sasl_interact_t (<sasl/sasl.h>, SASL 2), so the
 * build needs no SASL headers.  GSSAPI asks at most for an authorization
 * identity; the default (none) is given, never a password.
 */
struct collector_ldap_interact {
	unsigned long	 id;		/* 0 ends the list */
	const char	*challenge;
	const char	*prompt;
	const char	*defresult;
	const void	*result;
	unsigned	 len;
};

static int
collector_ldap_interact(LDAP *ld, unsigned flags, void *defaults, void *in)
{
	struct collector_ldap_interact *p = in;

	(void)ld;
	(void)flags;
	(void)defaults;
	for (; p != NULL && p->id != 0; p++) {
		p->result = p->defresult != NULL ? p->defresult : "";
		p->len = (unsigned)strlen(p->result);
	}
	return LDAP_SUCCESS;
}

/* Is the GSSAPI mechanism available to libldap's SASL library? */
static int
collector_ldap_has_gssapi(void)
{
	char **mechs = NULL;
	int found = 0;
	size_t i;

	if (ldap_get_option(NULL, LDAP_OPT_X_SASL_MECHLIST, &mechs) !=
	    LDAP_OPT_SUCCESS || mechs == NULL)
		return 0;
	for (i = 0; mechs[i] != NULL; i++)
		if (strcmp(mechs[i], "GSSAPI") == 0)
			found = 1;
	return found;
}

/*
 * SASL GSSAPI bind with the Kerberos ticket of the caller.  The host name
 * of the URI is used as it is (no reverse DNS); without TLS the SASL layer
 * must at least sign the traffic, over TLS it adds nothing.
 */
static int
collector_ldap_bind_gssapi(struct collector_ldap_ctx *c, struct mx_err *err)
{
	const char *props = c->tls ? "maxssf=0" : "minssf=1";
	struct collector_ldap_guard guard;
	int rc;

	if (!collector_ldap_has_gssapi())
		return mx_err_set(err, MX_ERR_USAGE, c->where, "--sasl-gssapi: "
		    "the SASL GSSAPI mechanism is not installed (Debian: "
		    "libsasl2-modules-gssapi-mit)");
	if (collector_ldap_set(c, c->ld, LDAP_OPT_X_SASL_NOCANON, LDAP_OPT_ON,
	    "LDAP_OPT_X_SASL_NOCANON", err) == -1 ||
	    collector_ldap_set(c, c->ld, LDAP_OPT_X_SASL_SECPROPS, props,
	    "LDAP_OPT_X_SASL_SECPROPS", err) == -1)
		return -1;
	log_debug(LOG_LDAP, "%s: SASL GSSAPI bind (%s)", c->where, props);
	collector_ldap_guard_begin(&guard, c->ld, c->timeout);
	rc = ldap_sasl_interactive_bind_s(c->ld, NULL, "GSSAPI", NULL, NULL,
	    LDAP_SASL_QUIET, collector_ldap_interact, NULL);
	if (collector_ldap_guard_end(&guard))
		rc = LDAP_TIMEOUT;
	if (rc != LDAP_SUCCESS)
		return collector_ldap_fail(c, rc, "SASL GSSAPI bind", err);
	return 0;
}

/*
 * Read the bind password (before any connection, so that a prompt comes
 * first and the environment variable is wiped early) into c->password.
 */
static int
collector_ldap_password(struct collector_ldap_ctx *c, struct mx_err *err)
{
	const struct collector_ldap_options *o = c->opts;
	struct secret_source src;
	int rc;

	if (o->bind_dn == NULL || o->sasl_gssapi) {
		if (getenv(COLLECTOR_LDAP_PASSWORD_ENV) != NULL)
			log_warnx(LOG_LDAP, "%s: %s is set but no --bind-dn "
			    "is given: it is not used", c->where,
			    COLLECTOR_LDAP_PASSWORD_ENV);
		return 0;
	}
	memset(&src, 0, sizeof(src));
	src.file = o->password_file;
	src.env = COLLECTOR_LDAP_PASSWORD_ENV;
	src.prompt = o->password_prompt;
	src.what = "LDAP bind password";
	rc = secret_read(&src, c->password, sizeof(c->password), err);
	if (rc == -1)
		return -1;
	if (rc == 1)
		return mx_err_set(err, MX_ERR_USAGE, c->where, "--bind-dn "
		    "needs a password: --password-file, %s or -W",
		    COLLECTOR_LDAP_PASSWORD_ENV);
	if (c->password[0] == '\0')
		return mx_err_set(err, MX_ERR_USAGE, c->where, "empty "
		    "password: a simple bind without a password is anonymous "
		    "(RFC 4513 5.1.2)");
	return 0;
}

/*
 * Simple bind: anonymous, or bind_dn with the password of c->password,
 * wiped as soon as the request is sent.
 */
static int
collector_ldap_bind(struct collector_ldap_ctx *c, struct mx_err *err)
{
	const struct collector_ldap_options *o = c->opts;
	struct collector_ldap_deadline d;
	struct berval cred = { 0, NULL };
	char dn[LDAP_DN_MAX + 1], during[64];
	LDAPMessage *res;
	int rc, msgid;

	if (o->sasl_gssapi)
		return collector_ldap_bind_gssapi(c, err);
	if (o->bind_dn != NULL) {
		cred.bv_val = c->password;
		cred.bv_len = strlen(c->password);
		collector_ldap_clean(o->bind_dn, strlen(o->bind_dn), dn,
		    sizeof(dn));
		snprintf(during, sizeof(during), "bind");
		log_debug(LOG_LDAP, "%s: simple bind as %s", c->where, dn);
	} else {
		snprintf(during, sizeof(during), "anonymous bind");
		log_debug(LOG_LDAP, "%s: anonymous bind", c->where);
	}
	collector_ldap_deadline_set(&d, c->timeout);
	rc = ldap_sasl_bind(c->ld, o->bind_dn != NULL ? o->bind_dn : "",
	    LDAP_SASL_SIMPLE, &cred, NULL, NULL, &msgid);
	secret_wipe(c->password, sizeof(c->password));
	cred.bv_val = NULL;
	cred.bv_len = 0;
	if (rc != LDAP_SUCCESS)
		return collector_ldap_fail(c, rc, during, err);
	if ((res = collector_ldap_wait(c, msgid, &d, during, err)) == NULL)
		return -1;
	rc = collector_ldap_result(c, res, NULL, during, err);
	ldap_msgfree(res);
	if (rc > 0) {
		if (o->bind_dn != NULL)
			snprintf(during, sizeof(during), "bind as the DN given "
			    "with --bind-dn");
		return collector_ldap_fail(c, rc, during, err);
	}
	return rc;
}

/*
 * AD answers a multi-valued attribute with more values than its
 * MaxValRange as "name;range=0-1499" ([MS-ADTS] 3.1.1.3.1.3.3, range
 * retrieval).  Cut the option off name; *low and *high get its bounds,
 * *high = UINT32_MAX for "*" (the last range).  Returns 1 when name had
 * the option, 0 when not, -1 when it is malformed.
 */
static int
collector_ldap_range(char *name, uint32_t *low, uint32_t *high)
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
collector_ldap_values(struct collector_ldap_ctx *c, struct ad_entry *e,
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
collector_ldap_range_entry(struct collector_ldap_ctx *c, LDAPMessage *msg,
    const char *name, uint32_t low, int *found, uint32_t *high,
    size_t *count, struct ad_entry *e, struct mx_err *err)
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
			if (collector_ldap_range(got, &rlow, &rhigh) == 1 &&
			    strcasecmp(got, name) == 0) {
				if (rlow != low || *found)
					goto bad;
				*found = 1;
				*high = rhigh;
				if (collector_ldap_values(c, e, name, vals,
				    count, err) == -1)
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
collector_ldap_more_values(struct collector_ldap_ctx *c, const char *dn,
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
		collector_ldap_deadline_set(&d, c->timeout);
		rc = ldap_search_ext(c->ld, dn, LDAP_SCOPE_BASE,
		    "(objectClass=*)", attrs, 0, NULL, NULL, &limit, 0,
		    &msgid);
		if (rc != LDAP_SUCCESS)
			return collector_ldap_fail(c, rc, "range retrieval",
			    err);
		found = 0;
		while ((res = collector_ldap_wait(c, msgid, &d,
		    "range retrieval", err)) != NULL &&
		    ldap_msgtype(res) == LDAP_RES_SEARCH_ENTRY) {
			rc = collector_ldap_range_entry(c, res, name, low,
			    &found, &rhigh, &count, e, err);
			ldap_msgfree(res);
			if (rc == -1)
				return -1;
		}
		if (res == NULL)
			return -1;
		rc = collector_ldap_result(c, res, NULL, "range retrieval",
		    err);
		ldap_msgfree(res);
		if (rc != 0)
			return rc == -1 ? -1 : collector_ldap_fail(c, rc,
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
collector_ldap_entry(struct collector_ldap_ctx *c, LDAPMessage *msg,
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
		if ((ranged = collector_ldap_range(name, &low, &high)) == -1 ||
		    (ranged && low != 0))
			goto malformed;
		count = 0;
		if (collector_ldap_values(c, e, name, vals, &count, err) == -1)
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
		if (collector_ldap_more_values(c, dnz, more[i].name,
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
collector_ldap_domain_sid(const struct sd_sid *s)
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
collector_ldap_note_sids(struct collector_ldap_ctx *c,
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

		if (!collector_ldap_domain_sid(s))
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
collector_ldap_take(struct collector_ldap_ctx *c,
    const struct collector_ldap_search *s, LDAPMessage *msg,
    struct mx_err *err)
{
	struct ad_entry *e;
	int rc;

	if (c->entries >= LDAP_ENTRIES_MAX) {
		collector_ldap_progress_end(c, 0);
		return mx_err_set(err, MX_ERR_LIMIT, c->where, "more than %d "
		    "entries (LDAP_ENTRIES_MAX)", LDAP_ENTRIES_MAX);
	}
	if (collector_ldap_entry(c, msg, &e, err) == -1) {
		collector_ldap_progress_end(c, 0);
		return -1;
	}
	c->entries++;
	collector_ldap_progress(c);
	if (s->collect_sids)
		collector_ldap_note_sids(c, e);
	rc = ad_map_entry(c->map, e, err);
	ad_entry_free(e);
	if (rc == -1)
		collector_ldap_progress_end(c, 0);
	return rc;
}

static const char *
collector_ldap_scope_name(int scope)
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
collector_ldap_page(struct collector_ldap_ctx *c,
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
		return collector_ldap_fail(c, rc, during, err);
	memset(&sdctl, 0, sizeof(sdctl));
	sdctl.ldctl_oid = COLLECTOR_LDAP_SD_FLAGS_OID;
	sdctl.ldctl_value.bv_val = (char *)collector_ldap_sd_flags_value;
	sdctl.ldctl_value.bv_len = sizeof(collector_ldap_sd_flags_value);
	sdctl.ldctl_iscritical = 0;	/* as AD clients send it */
	ctrls[0] = pagectl;
	ctrls[1] = s->sd_flags ? &sdctl : NULL;
	ctrls[2] = NULL;
	if (log_enabled(LOG_LEVEL_TRACE)) {
		collector_ldap_clean(s->base, strlen(s->base), base,
		    sizeof(base));
		collector_ldap_clean(s->filter, strlen(s->filter), filter,
		    sizeof(filter));
		log_trace(LOG_LDAP, "%s: search base=\"%s\" scope=%s "
		    "filter=\"%s\" page %u (size %u)%s", c->where, base,
		    collector_ldap_scope_name(s->scope), filter, page,
		    c->page_size, s->sd_flags ? " sd-flags=dacl" : "");
	}
	limit.tv_sec = c->timeout;
	limit.tv_usec = 0;
	collector_ldap_deadline_set(&d, c->timeout);
	rc = ldap_search_ext(c->ld, s->base, s->scope, s->filter, s->attrs,
	    0, ctrls, NULL, &limit, 0, &msgid);
	ldap_control_free(pagectl);
	if (rc != LDAP_SUCCESS)
		return collector_ldap_fail(c, rc, during, err);
	for (;;) {
		if ((res = collector_ldap_wait(c, msgid, &d, during, err)) ==
		    NULL)
			return -1;
		switch (ldap_msgtype(res)) {
		case LDAP_RES_SEARCH_ENTRY:
			rc = collector_ldap_take(c, s, res, err);
			ldap_msgfree(res);
			if (rc == -1)
				return -1;
			(*got)++;
			break;
		case LDAP_RES_SEARCH_REFERENCE:
			ldap_msgfree(res);
			if (++c->references > LDAP_REFERENCES_MAX) {
				collector_ldap_progress_end(c, 0);
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
			collector_ldap_progress_end(c, 0);
			return mx_err_set(err, MX_ERR_INPUT, c->where,
			    "unexpected message in the answer to the %s",
			    during);
		}
	}
}

/*
 * A paged search (RFC 2696): pages of page_size entries until the server
 * returns an empty cookie.  A server that ignores the control answers in
 * one page.  A missing base is a warning when s->missing_ok.
 */
static int
collector_ldap_search(struct collector_ldap_ctx *c,
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
		if (collector_ldap_page(c, s, &cookie, page, &got, &done,
		    err) == -1)
			goto out;
		rc = collector_ldap_result(c, done, &sctrls, during, err);
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
			collector_ldap_fail(c, rc, during, err);
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
		collector_ldap_progress_end(c, 0);
	ldap_controls_free(sctrls);
	ldap_msgfree(done);
	ber_memfree(cookie.bv_val);
	return ret;
}

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
	collector_ldap_deadline_set(&d, c->timeout);
	rc = ldap_search_ext(c->ld, "", LDAP_SCOPE_BASE, "(objectClass=*)",
	    attrs, 0, NULL, NULL, &limit, 2, &msgid);
	if (rc != LDAP_SUCCESS)
		return collector_ldap_fail(c, rc, "RootDSE search", err);
	for (;;) {
		if ((res = collector_ldap_wait(c, msgid, &d, "RootDSE search",
		    err)) == NULL)
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
	rc = collector_ldap_result(c, res, NULL, "RootDSE search", err);
	if (rc == -1)
		goto out;
	if (rc != 0) {
		collector_ldap_fail(c, rc, "RootDSE search", err);
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
	collector_ldap_clean(c->config_nc, strlen(c->config_nc), clean,
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
		if (collector_ldap_search(c, &s, err) == -1)
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
	if (collector_ldap_search(c, &s, err) == -1)
		goto out;

	memset(&s, 0, sizeof(s));
	s.what = "extended rights";
	s.base = rights;
	s.scope = LDAP_SCOPE_ONELEVEL;
	s.filter = COLLECTOR_LDAP_RIGHTS_FILTER;
	s.attrs = rights_attrs;
	s.missing_ok = 1;
	if (collector_ldap_search(c, &s, err) == -1)
		goto out;

	memset(&s, 0, sizeof(s));
	s.what = "domains";
	s.base = partitions;
	s.scope = LDAP_SCOPE_ONELEVEL;
	s.filter = COLLECTOR_LDAP_DOMAINS_FILTER;
	s.attrs = domain_attrs;
	s.missing_ok = 1;
	if (collector_ldap_search(c, &s, err) == -1)
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
	if (collector_ldap_check(&c, err) == -1)
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
	if (collector_ldap_password(&c, err) == -1 ||
	    collector_ldap_open(&c, err) == -1 ||
	    collector_ldap_connect(&c, err) == -1)
		goto out;
	if (o->starttls && collector_ldap_starttls(&c, err) == -1)
		goto out;
	if (collector_ldap_bind(&c, err) == -1 ||
	    collector_ldap_rootdse(&c, err) == -1 ||
	    collector_ldap_collect(&c, err) == -1)
		goto out;
	collector_ldap_progress_end(&c, 1);
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
	collector_ldap_progress_end(&c, 0);
	collector_ldap_ctx_free(&c);
	sigaction(SIGPIPE, &old_pipe, NULL);
	return ret;
}
