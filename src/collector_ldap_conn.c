/*
 * collector_ldap_conn.c - the LDAP collector's connection (see
 * collector_ldap_conn.h): options, libldap handle, TLS, bind, deadlines.
 *
 * Implements: LDAPv3 (RFC 4511) sessions, StartTLS and simple bind
 * (RFC 4513), SASL GSSAPI (RFC 4752).
 *
 * Every wait has a deadline, one message is capped at the socket buffer
 * (LDAP_MESSAGE_MAX), and text from the server is cleaned before it
 * reaches a message.  The password never reaches argv, a message or a
 * trace; its buffer is wiped right after the bind.  libldap reads no
 * ldap.conf nor ~/.ldaprc (LDAPNOINIT), chases no referral unless asked,
 * and checks the certificate (and the host name in it) unless
 * --insecure-tls is given.
 *
 * SPDX-License-Identifier: ISC
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <lber.h>
#include <ldap.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "bounds.h"
#include "collector_ldap.h"
#include "collector_ldap_conn.h"
#include "err.h"
#include "log.h"
#include "secret.h"

#define COLLECTOR_LDAP_PASSWORD_ENV	"MXBPA_LDAP_PASSWORD"
#define COLLECTOR_LDAP_PROGRESS_EVERY	100	/* entries between updates */

void
collector_ldap_conn_deadline(struct collector_ldap_deadline *d,
    unsigned seconds)
{
	clock_gettime(CLOCK_MONOTONIC, &d->at);
	d->at.tv_sec += seconds;
}

/* Time left before d into tv; 0 when it has passed. */
static int
collector_ldap_conn_left(const struct collector_ldap_deadline *d,
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
static volatile sig_atomic_t collector_ldap_conn_guard_fd = -1;
static volatile sig_atomic_t collector_ldap_conn_guard_fired;

struct collector_ldap_conn_guard {
	struct sigaction	 old_sa;
	struct itimerval	 old_timer;
};

static void
collector_ldap_conn_guard_alarm(int signo)
{
	int fd = collector_ldap_conn_guard_fd;

	(void)signo;
	collector_ldap_conn_guard_fired = 1;
	if (fd >= 0)
		shutdown(fd, SHUT_RDWR);	/* async-signal-safe */
}

static int
collector_ldap_conn_guard_add(LDAP *ld, Sockbuf *sb, LDAPURLDesc *srv,
    struct sockaddr *addr, struct ldap_conncb *ctx)
{
	ber_socket_t fd = -1;

	(void)ld;
	(void)srv;
	(void)addr;
	(void)ctx;
	if (ber_sockbuf_ctrl(sb, LBER_SB_OPT_GET_FD, &fd) == 1 && fd >= 0) {
		collector_ldap_conn_guard_fd = fd;
		if (collector_ldap_conn_guard_fired)
			shutdown(fd, SHUT_RDWR);
	}
	return 0;
}

static void
collector_ldap_conn_guard_del(LDAP *ld, Sockbuf *sb, struct ldap_conncb *ctx)
{
	(void)ld;
	(void)sb;
	(void)ctx;
	collector_ldap_conn_guard_fd = -1;
}

static struct ldap_conncb collector_ldap_conn_callbacks = {
	collector_ldap_conn_guard_add, collector_ldap_conn_guard_del, NULL
};

static void
collector_ldap_conn_guard_begin(struct collector_ldap_conn_guard *g, LDAP *ld,
    unsigned seconds)
{
	struct itimerval timer;
	struct sigaction sa;
	ber_socket_t fd = -1;

	collector_ldap_conn_guard_fired = 0;
	collector_ldap_conn_guard_fd = -1;
	if (ldap_get_option(ld, LDAP_OPT_DESC, &fd) == LDAP_OPT_SUCCESS &&
	    fd >= 0)
		collector_ldap_conn_guard_fd = fd;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = collector_ldap_conn_guard_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, &g->old_sa);
	memset(&timer, 0, sizeof(timer));
	timer.it_value.tv_sec = seconds;
	setitimer(ITIMER_REAL, &timer, &g->old_timer);
}

/* Disarm; returns 1 when the deadline passed during the call. */
static int
collector_ldap_conn_guard_end(struct collector_ldap_conn_guard *g)
{
	struct itimerval off;

	memset(&off, 0, sizeof(off));
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &g->old_sa, NULL);
	if (g->old_timer.it_value.tv_sec != 0 ||
	    g->old_timer.it_value.tv_usec != 0)
		setitimer(ITIMER_REAL, &g->old_timer, NULL);
	collector_ldap_conn_guard_fd = -1;
	return collector_ldap_conn_guard_fired;
}

/*
 * Copy text from the server (or from a user) for a message: control
 * bytes, DEL and the UTF-8 encoding of C1 controls become '?', and the
 * copy is truncated to the output.
 */
void
collector_ldap_conn_clean(const char *in, size_t len, char *out, size_t size)
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
collector_ldap_conn_diag(struct collector_ldap_ctx *c, char *out, size_t size)
{
	char *diag = NULL, clean[256];

	out[0] = '\0';
	if (c->ld == NULL || ldap_get_option(c->ld,
	    LDAP_OPT_DIAGNOSTIC_MESSAGE, &diag) != LDAP_OPT_SUCCESS ||
	    diag == NULL)
		return;
	if (*diag != '\0') {
		collector_ldap_conn_clean(diag, strlen(diag), clean,
		    sizeof(clean));
		snprintf(out, size, " (%s)", clean);
	}
	ldap_memfree(diag);
}

/* End the progress line so that a message starts on its own line. */
void
collector_ldap_conn_progress_end(struct collector_ldap_ctx *c, int done)
{
	if (!c->progress_shown)
		return;
	if (done)
		fprintf(stderr, "\rcollected %zu entries.   \n", c->entries);
	else
		fputc('\n', stderr);
	c->progress_shown = 0;
}

void
collector_ldap_conn_progress(struct collector_ldap_ctx *c)
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
int
collector_ldap_conn_fail(struct collector_ldap_ctx *c, int rc,
    const char *during, struct mx_err *err)
{
	char diag[300];

	collector_ldap_conn_progress_end(c, 0);
	collector_ldap_conn_diag(c, diag, sizeof(diag));
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
	case LDAP_REFERRAL:
		if (c->opts->referrals)
			return mx_err_set(err, MX_ERR_NET, c->where,
			    "%s: the server refers it to another server, and "
			    "following the referral failed%s", during, diag);
		return mx_err_set(err, MX_ERR_NET, c->where,
		    "%s: the server refers it to another server, which is "
		    "not contacted (referrals are not followed without "
		    "--referrals)%s", during, diag);
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
collector_ldap_conn_errno(struct collector_ldap_ctx *c)
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
collector_ldap_conn_check_uri(struct collector_ldap_ctx *c, struct mx_err *err)
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
	collector_ldap_conn_clean(lud->lud_host, strlen(lud->lud_host), c->host,
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
int
collector_ldap_conn_check(struct collector_ldap_ctx *c, struct mx_err *err)
{
	const struct collector_ldap_options *o = c->opts;

	if (collector_ldap_conn_check_uri(c, err) == -1)
		return -1;
	if (o->starttls && c->ldaps)
		return mx_err_set(err, MX_ERR_USAGE, c->where, "--starttls "
		    "is for ldap:// (ldaps:// is TLS from the start)");
	c->tls = c->ldaps || o->starttls;
	if (!c->tls && o->insecure)
		return mx_err_set(err, MX_ERR_USAGE, c->where, "--insecure-tls "
		    "needs ldaps:// or --starttls");
	/*
	 * A CA file for LDAP alone over ldap:// means a forgotten
	 * --starttls; given for the SMTP probes as well, it is theirs.
	 */
	if (!c->tls && o->ca_file != NULL && !o->ca_file_shared)
		return mx_err_set(err, MX_ERR_USAGE, c->where, "--ca-file "
		    "needs ldaps:// or --starttls");
	if (!c->tls && o->ca_file != NULL)
		log_warnx(LOG_LDAP, "%s: not encrypted (no --starttls): "
		    "--ca-file serves the SMTP probes only", c->where);
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
collector_ldap_conn_set(struct collector_ldap_ctx *c, LDAP *ld, int option,
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
collector_ldap_conn_tls_options(struct collector_ldap_ctx *c, LDAP *ld,
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
	if (collector_ldap_conn_set(c, ld, LDAP_OPT_X_TLS_REQUIRE_CERT,
	    &require, "LDAP_OPT_X_TLS_REQUIRE_CERT", err) == -1 ||
	    collector_ldap_conn_set(c, ld, LDAP_OPT_X_TLS_PROTOCOL_MIN, &min,
	    "LDAP_OPT_X_TLS_PROTOCOL_MIN", err) == -1)
		return -1;
	if (ca != NULL) {
		log_debug(LOG_LDAP, "%s: CA certificates from %s", c->where,
		    ca);
		if (collector_ldap_conn_set(c, ld, LDAP_OPT_X_TLS_CACERTFILE,
		    ca, "LDAP_OPT_X_TLS_CACERTFILE", err) == -1)
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
collector_ldap_conn_handle(struct collector_ldap_ctx *c, LDAP **ldp,
    int any_cert, struct mx_err *err)
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
	if (collector_ldap_conn_set(c, ld, LDAP_OPT_PROTOCOL_VERSION, &version,
	    "LDAP_OPT_PROTOCOL_VERSION", err) == -1 ||
	    collector_ldap_conn_set(c, ld, LDAP_OPT_REFERRALS,
	    c->opts->referrals ? LDAP_OPT_ON : LDAP_OPT_OFF,
	    "LDAP_OPT_REFERRALS", err) == -1 ||
	    collector_ldap_conn_set(c, ld, LDAP_OPT_NETWORK_TIMEOUT, &tv,
	    "LDAP_OPT_NETWORK_TIMEOUT", err) == -1 ||
	    collector_ldap_conn_set(c, ld, LDAP_OPT_TIMEOUT, &tv,
	    "LDAP_OPT_TIMEOUT", err) == -1 ||
	    collector_ldap_conn_set(c, ld, LDAP_OPT_DEREF, &deref,
	    "LDAP_OPT_DEREF", err) == -1 ||
	    collector_ldap_conn_set(c, ld, LDAP_OPT_SIZELIMIT, &zero,
	    "LDAP_OPT_SIZELIMIT", err) == -1)
		return -1;
	if (ldap_get_option(ld, LDAP_OPT_SOCKBUF, &sb) != LDAP_OPT_SUCCESS ||
	    sb == NULL ||
	    ber_sockbuf_ctrl(sb, LBER_SB_OPT_SET_MAX_INCOMING, &max) != 1)
		return mx_err_set(err, MX_ERR_INTERNAL, c->where,
		    "cannot cap incoming LDAP messages");
	if (collector_ldap_conn_set(c, ld, LDAP_OPT_CONNECT_CB,
	    &collector_ldap_conn_callbacks, "LDAP_OPT_CONNECT_CB", err) == -1)
		return -1;
	if (c->tls &&
	    collector_ldap_conn_tls_options(c, ld, any_cert, err) == -1)
		return -1;
	return 0;
}

/* The collector's handle; see collector_ldap_conn_handle. */
int
collector_ldap_conn_open(struct collector_ldap_ctx *c, struct mx_err *err)
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
	if (collector_ldap_conn_handle(c, &c->ld, c->opts->insecure, err) == -1)
		return -1;
	log_debug(LOG_LDAP, "%s: LDAPv3, timeout %u s, referrals %s, page "
	    "size %u%s", c->where, c->timeout, c->opts->referrals ? "chased" :
	    "ignored", c->page_size, c->ldaps ? ", TLS" : c->opts->starttls ?
	    ", StartTLS" : "");
	return 0;
}

/* A name of a certificate as RFC 2253 text, cleaned. */
static void
collector_ldap_conn_cert_name(X509_NAME *name, char *out, size_t size)
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
	collector_ldap_conn_clean(raw, (size_t)n, out, size);
}

/* Does x chain to a CA of the CA file (or of the system store)? */
static int
collector_ldap_conn_cert_trusted(struct collector_ldap_ctx *c, X509 *x)
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
collector_ldap_conn_cert_why(struct collector_ldap_ctx *c, X509 *x, char *out,
    size_t size)
{
	char issuer[200], subject[200];

	collector_ldap_conn_cert_name(X509_get_issuer_name(x), issuer,
	    sizeof(issuer));
	collector_ldap_conn_cert_name(X509_get_subject_name(x), subject,
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
	else if (!collector_ldap_conn_cert_trusted(c, x)) {
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
collector_ldap_conn_tls_refused(struct collector_ldap_ctx *c,
    const char *during, struct mx_err *err)
{
	struct berval der = { 0, NULL };
	struct collector_ldap_conn_guard guard;
	const unsigned char *p;
	struct mx_err ignored;
	char why[600], diag[300];
	LDAP *ld = NULL;
	X509 *x = NULL;
	int rc;

	collector_ldap_conn_diag(c, diag, sizeof(diag));
	mx_err_init(&ignored);
	why[0] = '\0';
	if (collector_ldap_conn_handle(c, &ld, 1, &ignored) == 0) {
		collector_ldap_conn_guard_begin(&guard, ld, c->timeout);
		rc = ldap_connect(ld);
		if (rc == LDAP_SUCCESS && !c->ldaps)
			rc = ldap_start_tls_s(ld, NULL, NULL);
		if (collector_ldap_conn_guard_end(&guard))
			rc = LDAP_TIMEOUT;
		if (rc == LDAP_SUCCESS && ldap_get_option(ld,
		    LDAP_OPT_X_TLS_PEERCERT, &der) == LDAP_OPT_SUCCESS &&
		    der.bv_val != NULL) {
			p = (const unsigned char *)der.bv_val;
			x = d2i_X509(NULL, &p, (long)der.bv_len);
		}
	}
	if (x != NULL)
		collector_ldap_conn_cert_why(c, x, why, sizeof(why));
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
int
collector_ldap_conn_connect(struct collector_ldap_ctx *c, struct mx_err *err)
{
	struct collector_ldap_conn_guard guard;
	char diag[300];
	int rc;

	log_trace(LOG_LDAP, "%s: connect", c->where);
	collector_ldap_conn_guard_begin(&guard, c->ld, c->timeout);
	rc = ldap_connect(c->ld);
	if (collector_ldap_conn_guard_end(&guard))
		return collector_ldap_conn_fail(c, LDAP_TIMEOUT, c->ldaps ?
		    "connect and TLS handshake" : "connect", err);
	if (rc == LDAP_SUCCESS)
		return 0;
	collector_ldap_conn_diag(c, diag, sizeof(diag));
	if (rc == LDAP_TIMEOUT)
		return collector_ldap_conn_fail(c, rc, "connect", err);
	/* libldap leaves a diagnostic message only when TLS failed. */
	if (c->ldaps && diag[0] != '\0')
		return collector_ldap_conn_tls_refused(c, "TLS", err);
	return mx_err_set(err, MX_ERR_NET, c->where, "cannot connect to %s: "
	    "%s%s", c->host, ldap_err2string(rc), diag);
}

/*
 * Wait for the answer to msgid until the deadline.  Returns the message
 * (caller frees it), or NULL with the error set; a timeout abandons the
 * operation.
 */
LDAPMessage *
collector_ldap_conn_wait(struct collector_ldap_ctx *c, int msgid,
    const struct collector_ldap_deadline *d, const char *during,
    struct mx_err *err)
{
	LDAPMessage *res = NULL;
	struct timeval tv;
	int rc;

	errno = 0;
	if (!collector_ldap_conn_left(d, &tv))
		rc = 0;
	else
		rc = ldap_result(c->ld, msgid, LDAP_MSG_ONE, &tv, &res);
	/* liblber refuses a message over the cap with ERANGE. */
	if (rc == -1 && errno == ERANGE) {
		collector_ldap_conn_progress_end(c, 0);
		mx_err_set(err, MX_ERR_LIMIT, c->where, "the server sent a "
		    "message larger than %u bytes (LDAP_MESSAGE_MAX) in the "
		    "%s", LDAP_MESSAGE_MAX, during);
		return NULL;
	}
	if (rc == 0) {
		ldap_abandon_ext(c->ld, msgid, NULL, NULL);
		collector_ldap_conn_fail(c, LDAP_TIMEOUT, during, err);
		return NULL;
	}
	if (rc == -1 || res == NULL) {
		collector_ldap_conn_fail(c, collector_ldap_conn_errno(c),
		    during, err);
		return NULL;
	}
	return res;
}

/*
 * The final result of an operation: 0, the server's result code (> 0), or
 * -1 with the error set when the result does not decode.
 */
int
collector_ldap_conn_result(struct collector_ldap_ctx *c, LDAPMessage *res,
    LDAPControl ***sctrls, const char *during, struct mx_err *err)
{
	int code = LDAP_OTHER, rc;

	/* This also keeps the server's text for collector_ldap_conn_diag. */
	rc = ldap_parse_result(c->ld, res, &code, NULL, NULL, NULL, sctrls,
	    0);
	if (rc != LDAP_SUCCESS || code < 0)
		return collector_ldap_conn_fail(c, LDAP_DECODING_ERROR, during,
		    err);
	return code;
}

/* StartTLS on the ldap:// connection; the certificate is checked here. */
int
collector_ldap_conn_starttls(struct collector_ldap_ctx *c, struct mx_err *err)
{
	struct collector_ldap_conn_guard guard;
	int rc;

	log_trace(LOG_LDAP, "%s: StartTLS", c->where);
	collector_ldap_conn_guard_begin(&guard, c->ld, c->timeout);
	rc = ldap_start_tls_s(c->ld, NULL, NULL);
	if (collector_ldap_conn_guard_end(&guard))
		rc = LDAP_TIMEOUT;
	if (rc == LDAP_SUCCESS) {
		log_debug(LOG_LDAP, "%s: StartTLS done", c->where);
		return 0;
	}
	if (rc == LDAP_TIMEOUT)
		return collector_ldap_conn_fail(c, rc, "StartTLS", err);
	if (rc > 0)
		return mx_err_set(err, MX_ERR_TLS, c->where, "the server "
		    "refused StartTLS: %s", ldap_err2string(rc));
	return collector_ldap_conn_tls_refused(c, "StartTLS", err);
}

/*
 * Mirror of Cyrus SASL's sasl_interact_t (<sasl/sasl.h>, SASL 2), so the
 * build needs no SASL headers.  GSSAPI asks at most for an authorization
 * identity; the default (none) is given, never a password.
 */
struct collector_ldap_conn_interact {
	unsigned long	 id;		/* 0 ends the list */
	const char	*challenge;
	const char	*prompt;
	const char	*defresult;
	const void	*result;
	unsigned	 len;
};

static int
collector_ldap_conn_interact(LDAP *ld, unsigned flags, void *defaults, void *in)
{
	struct collector_ldap_conn_interact *p = in;

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
collector_ldap_conn_has_gssapi(void)
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
collector_ldap_conn_bind_gssapi(struct collector_ldap_ctx *c,
    struct mx_err *err)
{
	const char *props = c->tls ? "maxssf=0" : "minssf=1";
	struct collector_ldap_conn_guard guard;
	int rc;

	if (!collector_ldap_conn_has_gssapi())
		return mx_err_set(err, MX_ERR_USAGE, c->where, "--sasl-gssapi: "
		    "the SASL GSSAPI mechanism is not installed (Debian: "
		    "libsasl2-modules-gssapi-mit)");
	if (collector_ldap_conn_set(c, c->ld, LDAP_OPT_X_SASL_NOCANON,
	    LDAP_OPT_ON, "LDAP_OPT_X_SASL_NOCANON", err) == -1 ||
	    collector_ldap_conn_set(c, c->ld, LDAP_OPT_X_SASL_SECPROPS, props,
	    "LDAP_OPT_X_SASL_SECPROPS", err) == -1)
		return -1;
	log_debug(LOG_LDAP, "%s: SASL GSSAPI bind (%s)", c->where, props);
	collector_ldap_conn_guard_begin(&guard, c->ld, c->timeout);
	rc = ldap_sasl_interactive_bind_s(c->ld, NULL, "GSSAPI", NULL, NULL,
	    LDAP_SASL_QUIET, collector_ldap_conn_interact, NULL);
	if (collector_ldap_conn_guard_end(&guard))
		rc = LDAP_TIMEOUT;
	if (rc != LDAP_SUCCESS)
		return collector_ldap_conn_fail(c, rc, "SASL GSSAPI bind", err);
	return 0;
}

/*
 * Read the bind password (before any connection, so that a prompt comes
 * first and the environment variable is wiped early) into c->password.
 */
int
collector_ldap_conn_password(struct collector_ldap_ctx *c, struct mx_err *err)
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
int
collector_ldap_conn_bind(struct collector_ldap_ctx *c, struct mx_err *err)
{
	const struct collector_ldap_options *o = c->opts;
	struct collector_ldap_deadline d;
	struct berval cred = { 0, NULL };
	char dn[LDAP_DN_MAX + 1], during[64];
	LDAPMessage *res;
	int rc, msgid;

	if (o->sasl_gssapi)
		return collector_ldap_conn_bind_gssapi(c, err);
	if (o->bind_dn != NULL) {
		cred.bv_val = c->password;
		cred.bv_len = strlen(c->password);
		collector_ldap_conn_clean(o->bind_dn, strlen(o->bind_dn), dn,
		    sizeof(dn));
		snprintf(during, sizeof(during), "bind");
		log_debug(LOG_LDAP, "%s: simple bind as %s", c->where, dn);
	} else {
		snprintf(during, sizeof(during), "anonymous bind");
		log_debug(LOG_LDAP, "%s: anonymous bind", c->where);
	}
	collector_ldap_conn_deadline(&d, c->timeout);
	rc = ldap_sasl_bind(c->ld, o->bind_dn != NULL ? o->bind_dn : "",
	    LDAP_SASL_SIMPLE, &cred, NULL, NULL, &msgid);
	secret_wipe(c->password, sizeof(c->password));
	cred.bv_val = NULL;
	cred.bv_len = 0;
	if (rc != LDAP_SUCCESS)
		return collector_ldap_conn_fail(c, rc, during, err);
	if ((res = collector_ldap_conn_wait(c, msgid, &d, during, err)) == NULL)
		return -1;
	rc = collector_ldap_conn_result(c, res, NULL, during, err);
	ldap_msgfree(res);
	if (rc > 0) {
		if (o->bind_dn != NULL)
			snprintf(during, sizeof(during), "bind as the DN given "
			    "with --bind-dn");
		return collector_ldap_conn_fail(c, rc, during, err);
	}
	return rc;
}
