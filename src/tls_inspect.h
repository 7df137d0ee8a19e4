/*
 * tls_inspect.h - OpenSSL client contexts for the SMTP probes and the
 * facts of a finished handshake: protocol, cipher, the certificate chain
 * as the server sent it, verification against a trust store, and the
 * host name (or address) check against the name the user probed.
 *
 * This module never drives a handshake (probe_smtp.c does, non-blocking,
 * under its deadlines) and never writes XML (model_probe.c does).  Every
 * string it returns is printable ASCII, bounded by TLS_TEXT_MAX.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_TLS_INSPECT_H
#define MXBPA_TLS_INSPECT_H

#include <stddef.h>

#include <openssl/ssl.h>

struct mx_err;

/* Which client context: the usual one, or one pinned to an old version. */
enum tls_inspect_profile {
	TLS_INSPECT_DEFAULT = 0,	/* the library's defaults */
	TLS_INSPECT_TLS1_0,		/* TLS 1.0 only, security level 0 */
	TLS_INSPECT_TLS1_1,		/* TLS 1.1 only, security level 0 */
	TLS_INSPECT_PROFILE_COUNT
};

/* One certificate of the chain (depth 0 is the server's own). */
struct tls_cert {
	unsigned	 depth;
	char		*subject;	/* RFC 2253, or NULL */
	char		*issuer;
	char		 not_before[21];	/* YYYY-MM-DDTHH:MM:SSZ or "" */
	char		 not_after[21];
	char		 key_type[16];	/* "RSA", "EC", "ED25519"... or "" */
	int		 key_bits;	/* 0: unknown */
	char		 signature[64];	/* "sha256WithRSAEncryption" or "" */
	int		 self_signed;
	char		**sans;		/* DNS names and addresses */
	size_t		 nsans;
};

/* A protocol version tried on its own connection (--tls-legacy). */
struct tls_legacy {
	const char	*name;		/* "TLSv1", "TLSv1.1" (static) */
	int		 accepted;
};

struct tls_facts {
	char		 version[16];	/* "TLSv1.3", "" before a handshake */
	char		 cipher[64];
	int		 verified;	/* chain verified against the store */
	char		*verify_error;	/* why not, or NULL */
	int		 name_checked;	/* name_matches is meaningful */
	int		 name_matches;
	char		*error;		/* handshake failure, or NULL */
	struct tls_cert	*certs;
	size_t		 ncerts;
	size_t		 chain_length;	/* certificates sent, >= ncerts */
	struct tls_legacy legacy[2];
	size_t		 nlegacy;
};

/*
 * A client context for one profile.  Peer verification is recorded, never
 * enforced (the handshake goes on whatever the certificate), against
 * ca_file when given, else the system store.  Returns a context the
 * caller frees with SSL_CTX_free, or NULL with MX_ERR_INPUT (ca_file does
 * not load; where names it) or MX_ERR_TLS.
 */
SSL_CTX	*tls_inspect_ctx(enum tls_inspect_profile, const char *ca_file,
	    struct mx_err *);

/* The protocol name a profile pins ("TLSv1"), NULL for the default. */
const char *tls_inspect_profile_name(enum tls_inspect_profile);

/*
 * Prepare ssl before the handshake: send the server name (SNI) when name
 * is a host name.  Returns 0, or -1 with MX_ERR_TLS.
 */
int	 tls_inspect_prepare(SSL *, const char *name, int is_host,
	    struct mx_err *);

/*
 * Fill facts from ssl after a finished handshake: version, cipher, chain
 * (at most TLS_CHAIN_MAX certificates, TLS_SANS_MAX names each, and the
 * number the server sent in chain_length), the
 * verification result and the check of the certificate against name
 * (X509_check_host when is_host, else X509_check_ip_asc against addr).
 * facts must be zeroed (or freed) before.
 */
void	 tls_inspect_facts(SSL *, const char *name, int is_host,
	    const char *addr, struct tls_facts *);

/*
 * The facts of one certificate x (any source: a chain, an imported
 * export) into c, at most TLS_SANS_MAX names; c owns its strings, freed
 * by tls_cert_free.
 */
void	 tls_inspect_cert(X509 *, unsigned depth, struct tls_cert *);
void	 tls_cert_free(struct tls_cert *);

/*
 * Describe the failure of an SSL call that returned ret (SSL_get_error
 * and the error queue, which is emptied) into buf.  Returns 1 when the
 * failure is on this side (this OpenSSL could offer no protocol version
 * or cipher the profile asks for), else 0.
 */
int	 tls_inspect_error(SSL *, int ret, char *buf, size_t size);

/* Free what facts own and zero it. */
void	 tls_facts_free(struct tls_facts *);

#endif /* MXBPA_TLS_INSPECT_H */
