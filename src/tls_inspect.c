/*
 * tls_inspect.c - client contexts and the facts of a finished TLS
 * handshake for the SMTP probes (see tls_inspect.h).
 *
 * Specifications: RFC 8446 and RFC 5246 (TLS), RFC 5280 (certificates,
 * subjectAltName, validity), RFC 2253 (distinguished names as text),
 * RFC 6125 (host name checks, through X509_check_host), RFC 6066 3 (SNI),
 * RFC 8996 (TLS 1.0 and 1.1 deprecated: what --tls-legacy looks for).
 *
 * SPDX-License-Identifier: ISC
 */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "bounds.h"
#include "err.h"
#include "tls_inspect.h"
#include "util.h"

static const char *const tls_inspect_names[TLS_INSPECT_PROFILE_COUNT] = {
	[TLS_INSPECT_DEFAULT] = NULL,
	[TLS_INSPECT_TLS1_0] = "TLSv1",
	[TLS_INSPECT_TLS1_1] = "TLSv1.1",
};

const char *
tls_inspect_profile_name(enum tls_inspect_profile p)
{
	if ((int)p < 0 || p >= TLS_INSPECT_PROFILE_COUNT)
		return NULL;
	return tls_inspect_names[p];
}

SSL_CTX *
tls_inspect_ctx(enum tls_inspect_profile profile, const char *ca_file,
    struct mx_err *err)
{
	SSL_CTX *ctx;
	int version = 0;
	unsigned long e;

	ERR_clear_error();
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		goto tls_fail;
	/* Record the verification result, never abort on it: it is a fact. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	if (ca_file != NULL) {
		if (access(ca_file, R_OK) == -1) {
			SSL_CTX_free(ctx);
			mx_err_sys(err, MX_ERR_INPUT, ca_file,
			    "cannot read the CA file");
			return NULL;
		}
		if (SSL_CTX_load_verify_locations(ctx, ca_file, NULL) != 1) {
			ERR_clear_error();
			SSL_CTX_free(ctx);
			mx_err_set(err, MX_ERR_INPUT, ca_file,
			    "no PEM certificate could be read from it");
			return NULL;
		}
	} else if (SSL_CTX_set_default_verify_paths(ctx) != 1)
		goto tls_fail;
	if (profile == TLS_INSPECT_TLS1_0)
		version = TLS1_VERSION;
	else if (profile == TLS_INSPECT_TLS1_1)
		version = TLS1_1_VERSION;
	if (version != 0) {
		/*
		 * Debian's OpenSSL refuses these versions at its default
		 * security level, client side: lower it for this context
		 * only, and allow servers that predate RFC 5746.
		 */
		SSL_CTX_set_security_level(ctx, 0);
		SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT);
		if (SSL_CTX_set_min_proto_version(ctx, version) != 1 ||
		    SSL_CTX_set_max_proto_version(ctx, version) != 1 ||
		    SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0") != 1)
			goto tls_fail;
	}
	return ctx;
tls_fail:
	e = ERR_get_error();
	ERR_clear_error();
	SSL_CTX_free(ctx);
	mx_err_set(err, MX_ERR_TLS, "TLS", "cannot set up a TLS client: %s",
	    e != 0 && ERR_reason_error_string(e) != NULL ?
	    ERR_reason_error_string(e) : "unknown error");
	return NULL;
}

/* Only letters, digits, '-', '.' and '_'? */
static int
tls_inspect_is_name(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '.' ||
		    *s == '_'))
			return 0;
	return 1;
}

int
tls_inspect_prepare(SSL *ssl, const char *name, int is_host,
    struct mx_err *err)
{
	if (!is_host || !tls_inspect_is_name(name) || strlen(name) > 253)
		return 0;
	ERR_clear_error();
	if (SSL_set_tlsext_host_name(ssl, name) != 1) {
		ERR_clear_error();
		return mx_err_set(err, MX_ERR_TLS, name,
		    "cannot set the TLS server name");
	}
	return 0;
}

/*
 * A copy of len bytes with everything outside printable ASCII written as
 * \xHH, cut at TLS_TEXT_MAX bytes.
 */
static char *
tls_inspect_clean(const unsigned char *s, size_t len)
{
	char *out = xmalloc(TLS_TEXT_MAX + 1);
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f) {
			if (o + 1 > TLS_TEXT_MAX)
				break;
			out[o++] = (char)s[i];
		} else {
			if (o + 4 > TLS_TEXT_MAX)
				break;
			snprintf(out + o, 5, "\\x%02x", s[i]);
			o += 4;
		}
	}
	out[o] = '\0';
	return out;
}

static char *
tls_inspect_name(const X509_NAME *name)
{
	BIO *bio;
	char *data = NULL, *out = NULL;
	long len;

	if (name == NULL || (bio = BIO_new(BIO_s_mem())) == NULL)
		return NULL;
	if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) >= 0 &&
	    (len = BIO_get_mem_data(bio, &data)) >= 0)
		out = tls_inspect_clean((const unsigned char *)data,
		    (size_t)len);
	BIO_free(bio);
	return out;
}

static void
tls_inspect_time(const ASN1_TIME *t, char out[21])
{
	struct tm tm;

	out[0] = '\0';
	memset(&tm, 0, sizeof(tm));
	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1 ||
	    tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
		return;
	if (strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = '\0';
}

static void
tls_inspect_key(X509 *x, struct tls_cert *c)
{
	EVP_PKEY *key = X509_get0_pubkey(x);
	const char *type;
	int id;

	if (key == NULL)
		return;
	id = EVP_PKEY_base_id(key);
	switch (id) {
	case EVP_PKEY_RSA:
		type = "RSA";
		break;
	case EVP_PKEY_RSA_PSS:
		type = "RSA-PSS";
		break;
	case EVP_PKEY_EC:
		type = "EC";
		break;
	case EVP_PKEY_DSA:
		type = "DSA";
		break;
	case EVP_PKEY_ED25519:
		type = "ED25519";
		break;
	case EVP_PKEY_ED448:
		type = "ED448";
		break;
	default:
		type = id != NID_undef ? OBJ_nid2sn(id) : NULL;
		break;
	}
	if (type != NULL && tls_inspect_is_name(type))
		util_strlcpy(c->key_type, type, sizeof(c->key_type));
	c->key_bits = EVP_PKEY_bits(key) > 0 ? EVP_PKEY_bits(key) : 0;
}

static void
tls_inspect_sans(X509 *x, struct tls_cert *c)
{
	GENERAL_NAMES *names;
	const GENERAL_NAME *g;
	char addr[INET6_ADDRSTRLEN];
	int i, n;

	names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	if (names == NULL)
		return;
	n = sk_GENERAL_NAME_num(names);
	for (i = 0; i < n && c->nsans < TLS_SANS_MAX; i++) {
		char *value = NULL;

		g = sk_GENERAL_NAME_value(names, i);
		if (g->type == GEN_DNS)
			value = tls_inspect_clean(
			    ASN1_STRING_get0_data(g->d.dNSName),
			    (size_t)ASN1_STRING_length(g->d.dNSName));
		else if (g->type == GEN_IPADD) {
			int len = ASN1_STRING_length(g->d.iPAddress);
			const unsigned char *b =
			    ASN1_STRING_get0_data(g->d.iPAddress);

			if ((len == 4 && inet_ntop(AF_INET, b, addr,
			    sizeof(addr)) != NULL) || (len == 16 &&
			    inet_ntop(AF_INET6, b, addr, sizeof(addr)) != NULL))
				value = xstrdup(addr);
		}
		if (value == NULL)
			continue;
		if (value[0] == '\0') {
			free(value);
			continue;
		}
		c->sans = xreallocarray(c->sans, c->nsans + 1,
		    sizeof(*c->sans));
		c->sans[c->nsans++] = value;
	}
	GENERAL_NAMES_free(names);
}

void
tls_inspect_cert(X509 *x, unsigned depth, struct tls_cert *c)
{
	const char *sig;
	int nid;

	memset(c, 0, sizeof(*c));
	c->depth = depth;
	c->subject = tls_inspect_name(X509_get_subject_name(x));
	c->issuer = tls_inspect_name(X509_get_issuer_name(x));
	tls_inspect_time(X509_get0_notBefore(x), c->not_before);
	tls_inspect_time(X509_get0_notAfter(x), c->not_after);
	tls_inspect_key(x, c);
	nid = X509_get_signature_nid(x);
	sig = nid != NID_undef ? OBJ_nid2ln(nid) : NULL;
	if (sig != NULL && tls_inspect_is_name(sig))
		util_strlcpy(c->signature, sig, sizeof(c->signature));
	/* Issued by itself: names (and key identifiers) match. */
	c->self_signed = X509_check_issued(x, x) == X509_V_OK;
	tls_inspect_sans(x, c);
	ERR_clear_error();
}

void
tls_inspect_facts(SSL *ssl, const char *name, int is_host, const char *addr,
    struct tls_facts *f)
{
	STACK_OF(X509) *chain;
	const char *cipher;
	X509 *leaf = NULL;
	long vr;
	int i, n;

	util_strlcpy(f->version, SSL_get_version(ssl), sizeof(f->version));
	cipher = SSL_get_cipher_name(ssl);
	if (cipher != NULL && tls_inspect_is_name(cipher))
		util_strlcpy(f->cipher, cipher, sizeof(f->cipher));
	chain = SSL_get_peer_cert_chain(ssl);
	n = chain != NULL ? sk_X509_num(chain) : 0;
	f->chain_length = n > 0 ? (size_t)n : 0;
	if (n > TLS_CHAIN_MAX)
		n = TLS_CHAIN_MAX;
	if (n > 0) {
		f->certs = xcalloc((size_t)n, sizeof(*f->certs));
		for (i = 0; i < n; i++)
			tls_inspect_cert(sk_X509_value(chain, i), (unsigned)i,
			    &f->certs[i]);
		f->ncerts = (size_t)n;
		leaf = sk_X509_value(chain, 0);
	}
	vr = SSL_get_verify_result(ssl);
	f->verified = leaf != NULL && vr == X509_V_OK;
	if (!f->verified)
		f->verify_error = xstrdup(leaf == NULL ?
		    "no certificate" : X509_verify_cert_error_string(vr));
	if (leaf != NULL) {
		f->name_checked = 1;
		if (is_host)
			f->name_matches = X509_check_host(leaf, name,
			    strlen(name), 0, NULL) == 1;
		else
			f->name_matches = addr != NULL &&
			    X509_check_ip_asc(leaf, addr, 0) == 1;
	}
	ERR_clear_error();
}

int
tls_inspect_error(SSL *ssl, int ret, char *buf, size_t size)
{
	unsigned long e = ERR_peek_error();
	const char *reason = e != 0 ? ERR_reason_error_string(e) : NULL;
	int saved = errno, local = 0;

	if (e != 0 && ERR_GET_LIB(e) == ERR_LIB_SSL &&
	    (ERR_GET_REASON(e) == SSL_R_NO_PROTOCOLS_AVAILABLE ||
	    ERR_GET_REASON(e) == SSL_R_NO_CIPHERS_AVAILABLE))
		local = 1;
	switch (SSL_get_error(ssl, ret)) {
	case SSL_ERROR_ZERO_RETURN:
		snprintf(buf, size, "TLS session closed by the peer");
		break;
	case SSL_ERROR_SYSCALL:
		if (reason != NULL)
			snprintf(buf, size, "%s", reason);
		else if (ret == 0 || saved == 0)
			snprintf(buf, size, "connection closed by the peer");
		else
			snprintf(buf, size, "%s", strerror(saved));
		break;
	case SSL_ERROR_SSL:
		snprintf(buf, size, "%s", reason != NULL ? reason :
		    "TLS error");
		break;
	default:
		snprintf(buf, size, "TLS error");
		break;
	}
	ERR_clear_error();
	return local;
}

void
tls_cert_free(struct tls_cert *c)
{
	size_t j;

	if (c == NULL)
		return;
	free(c->subject);
	free(c->issuer);
	for (j = 0; j < c->nsans; j++)
		free(c->sans[j]);
	free(c->sans);
	memset(c, 0, sizeof(*c));
}

void
tls_facts_free(struct tls_facts *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->ncerts; i++)
		tls_cert_free(&f->certs[i]);
	free(f->certs);
	free(f->verify_error);
	free(f->error);
	memset(f, 0, sizeof(*f));
}
