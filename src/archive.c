/*
 * archive.c - evidence archives: write and verify (see archive.h and
 * docs/archive.md).
 *
 * The manifest is UTF-8 text, one fact per line:
 *
 *   mxbpa-evidence-archive 1
 *   tool: mxbpa 0.1.0
 *   created: 2026-12-04T10:00:00Z
 *   command: mxbpa audit --import rc.xml --archive evidence.tar
 *   member: <sha256 hex> <size> <name>
 *   ...
 *
 * The signature is a detached CMS SignedData (RFC 5652) over the manifest's
 * bytes, DER encoded, made and checked with OpenSSL; `openssl cms -verify
 * -binary -inform DER -in manifest.p7s -content manifest.txt` accepts it.
 * Verification reads the archive into memory and never writes a file.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "archive.h"
#include "bounds.h"
#include "err.h"
#include "log.h"
#include "tar.h"
#include "util.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

struct archive_member {
	char		*name;
	unsigned char	*data;
	size_t		 len;
};

struct archive {
	struct archive_member	*m;
	size_t			 n;
	unsigned		 files;		/* numbers dir/N-name */
};

/* A growing text buffer. */
struct archive_buf {
	char	*p;
	size_t	 len, size;
};

static void
archive_buf_add(struct archive_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->size) {
		b->size = (b->len + n + 1) * 2;
		b->p = xreallocarray(b->p, b->size, 1);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
archive_buf_str(struct archive_buf *b, const char *s)
{
	archive_buf_add(b, s, strlen(s));
}

struct archive *
archive_new(void)
{
	return xcalloc(1, sizeof(struct archive));
}

void
archive_free(struct archive *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++) {
		free(a->m[i].name);
		free(a->m[i].data);
	}
	free(a->m);
	free(a);
}

static int
archive_reserved(const char *name)
{
	return strcmp(name, ARCHIVE_MANIFEST) == 0 ||
	    strcmp(name, ARCHIVE_SIGNATURE) == 0;
}

int
archive_add_data(struct archive *a, const char *name, const void *data,
    size_t len, struct mx_err *err)
{
	struct archive_member *m;
	size_t i;

	if (!tar_name_ok(name) || strlen(name) >= 100 ||
	    archive_reserved(name))
		return mx_err_set(err, MX_ERR_INTERNAL, name,
		    "not a valid archive member name");
	for (i = 0; i < a->n; i++)
		if (strcmp(a->m[i].name, name) == 0)
			return mx_err_set(err, MX_ERR_INTERNAL, name,
			    "archive member added twice");
	if (a->n >= ARCHIVE_MEMBERS_MAX)
		return mx_err_set(err, MX_ERR_LIMIT, name, "more than %d "
		    "archive members (ARCHIVE_MEMBERS_MAX)",
		    ARCHIVE_MEMBERS_MAX);
	a->m = xreallocarray(a->m, a->n + 1, sizeof(*a->m));
	m = &a->m[a->n++];
	m->name = xstrdup(name);
	m->len = len;
	m->data = xmalloc(len > 0 ? len : 1);
	if (len > 0)
		memcpy(m->data, data, len);
	return 0;
}

int
archive_add_file(struct archive *a, const char *dir, const char *path,
    const char *sha256, struct mx_err *err)
{
	struct util_file f;
	char hex[65];
	const char *base = strrchr(path, '/');
	char name[100];
	size_t i, at;
	int rc;

	base = base != NULL ? base + 1 : path;
	if (*base == '\0')
		base = "file";
	at = (size_t)snprintf(name, sizeof(name), "%s/%u-", dir,
	    ++a->files);
	if (at >= sizeof(name) - 1)
		return mx_err_set(err, MX_ERR_INTERNAL, dir,
		    "archive directory name too long");
	for (i = 0; base[i] != '\0' && at < sizeof(name) - 1; i++) {
		char c = base[i];

		name[at++] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' ?
		    c : '_';
	}
	name[at] = '\0';
	if (strcmp(path, "-") == 0)
		return mx_err_set(err, MX_ERR_USAGE, path, "what was read "
		    "from standard input cannot be archived: import a file");
	if (util_read_file(path, INPUT_FILE_MAX, &f, err) == -1)
		return -1;
	util_sha256_hex(f.data, f.len, hex);
	if (sha256 != NULL && strcmp(hex, sha256) != 0) {
		util_file_free(&f);
		return mx_err_set(err, MX_ERR_INPUT, path, "changed since the "
		    "audit read it (SHA-256 %s, read as %s): not archived",
		    hex, sha256);
	}
	rc = archive_add_data(a, name, f.data, f.len, err);
	util_file_free(&f);
	return rc;
}

/*
 * One argument of the recorded command line: a value after an option
 * that would carry a secret is replaced, as is the user information of a
 * URI (scheme://user:secret@host).  mxbpa takes no secret on its command
 * line; this guards against one typed there anyway.
 */
static void
archive_arg(struct archive_buf *b, const char *prev, const char *arg)
{
	const char *scheme = strstr(arg, "://"), *at, *p;
	int plain = arg[0] != '\0';

	if (prev != NULL && strstr(prev, "password") != NULL &&
	    strcmp(prev, "--password-file") != 0) {
		archive_buf_str(b, "'(removed)'");
		return;
	}
	at = scheme != NULL ? strchr(scheme + 3, '@') : NULL;
	if (at != NULL && memchr(scheme + 3, '/', (size_t)(at - scheme - 3)) ==
	    NULL) {
		archive_buf_add(b, arg, (size_t)(scheme + 3 - arg));
		archive_buf_str(b, "(removed)");
		arg = at;
	}
	for (p = arg; *p != '\0'; p++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789@%+=:,./_-()", *p) == NULL)
			plain = 0;
	if (plain) {
		archive_buf_str(b, arg);
		return;
	}
	/* Shell quoting; control characters become '?'. */
	archive_buf_str(b, "'");
	for (p = arg; *p != '\0'; p++) {
		if (*p == '\'')
			archive_buf_str(b, "'\\''");
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			archive_buf_str(b, "?");
		else
			archive_buf_add(b, p, 1);
	}
	archive_buf_str(b, "'");
}

static void
archive_manifest(struct archive *a, struct archive_buf *b, int argc,
    char *const *argv, time_t now)
{
	char line[512], stamp[32], hex[65];
	struct tm tm;
	size_t i;
	int k;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(line, sizeof(line), "%s\ntool: mxbpa %s\ncreated: %s\n"
	    "command:", ARCHIVE_MAGIC, PACKAGE_VERSION, stamp);
	archive_buf_str(b, line);
	for (k = 0; k < argc; k++) {
		archive_buf_str(b, " ");
		archive_arg(b, k > 0 ? argv[k - 1] : NULL,
		    k == 0 ? "mxbpa" : argv[k]);
	}
	archive_buf_str(b, "\n");
	for (i = 0; i < a->n; i++) {
		util_sha256_hex(a->m[i].data, a->m[i].len, hex);
		snprintf(line, sizeof(line), "member: %s %zu %s\n", hex,
		    a->m[i].len, a->m[i].name);
		archive_buf_str(b, line);
	}
}

/* The first OpenSSL error as text, for a message. */
static const char *
archive_ssl_error(char *buf, size_t size)
{
	unsigned long e = ERR_get_error();

	if (e == 0)
		return "unknown OpenSSL error";
	ERR_error_string_n(e, buf, size);
	ERR_clear_error();
	return buf;
}

/* Never prompt for a pass phrase: an encrypted key is refused. */
static int
archive_no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

static X509 *
archive_read_cert(const char *path, struct mx_err *err)
{
	char e[256];
	BIO *bio = BIO_new_file(path, "r");
	X509 *x = NULL;

	if (bio != NULL)
		x = PEM_read_bio_X509(bio, NULL, archive_no_passphrase, NULL);
	BIO_free(bio);
	if (x == NULL)
		mx_err_set(err, MX_ERR_INPUT, path, "cannot read a PEM "
		    "certificate: %s", archive_ssl_error(e, sizeof(e)));
	return x;
}

/* A detached CMS signature of data, DER, into *out (free with free()). */
static int
archive_sign(const char *data, size_t len, const char *keyfile,
    const char *certfile, unsigned char **out, size_t *outlen,
    struct mx_err *err)
{
	char e[256];
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	BIO *kb = NULL, *in = NULL, *der = NULL;
	CMS_ContentInfo *cms = NULL;
	char *p;
	long n;
	int rc = -1;

	*out = NULL;
	*outlen = 0;
	if ((cert = archive_read_cert(certfile, err)) == NULL)
		goto out;
	kb = BIO_new_file(keyfile, "r");
	if (kb != NULL)
		key = PEM_read_bio_PrivateKey(kb, NULL, archive_no_passphrase,
		    NULL);
	if (key == NULL) {
		mx_err_set(err, MX_ERR_INPUT, keyfile, "cannot read a PEM "
		    "private key (an encrypted key is not supported): %s",
		    archive_ssl_error(e, sizeof(e)));
		goto out;
	}
	if (X509_check_private_key(cert, key) != 1) {
		ERR_clear_error();
		mx_err_set(err, MX_ERR_INPUT, keyfile, "the key does not "
		    "match the certificate %s", certfile);
		goto out;
	}
	in = BIO_new_mem_buf(data, (int)len);
	der = BIO_new(BIO_s_mem());
	if (in == NULL || der == NULL)
		goto ssl_fail;
	cms = CMS_sign(cert, key, NULL, in, CMS_DETACHED | CMS_BINARY);
	if (cms == NULL || i2d_CMS_bio(der, cms) != 1)
		goto ssl_fail;
	n = BIO_get_mem_data(der, &p);
	if (n <= 0)
		goto ssl_fail;
	*out = xmalloc((size_t)n);
	memcpy(*out, p, (size_t)n);
	*outlen = (size_t)n;
	rc = 0;
	goto out;
ssl_fail:
	mx_err_set(err, MX_ERR_INTERNAL, keyfile, "cannot sign the manifest: "
	    "%s", archive_ssl_error(e, sizeof(e)));
out:
	CMS_ContentInfo_free(cms);
	BIO_free(der);
	BIO_free(in);
	BIO_free(kb);
	EVP_PKEY_free(key);
	X509_free(cert);
	return rc;
}

int
archive_write(struct archive *a, struct util_out *out, const char *path,
    int argc, char *const *argv, const char *key, const char *cert,
    struct mx_err *err)
{
	struct archive_buf man = { 0 };
	struct tar_writer w;
	unsigned char *sig = NULL;
	size_t siglen = 0, i;
	time_t now = time(NULL);
	int rc = -1;

	archive_manifest(a, &man, argc, argv, now);
	if (key != NULL && archive_sign(man.p, man.len, key, cert, &sig,
	    &siglen, err) == -1) {
		free(man.p);
		return -1;
	}
	tar_writer_init(&w, now);
	if (tar_add(&w, ARCHIVE_MANIFEST, man.p, man.len, err) == -1 ||
	    (sig != NULL && tar_add(&w, ARCHIVE_SIGNATURE, sig, siglen,
	    err) == -1))
		goto out;
	for (i = 0; i < a->n; i++)
		if (tar_add(&w, a->m[i].name, a->m[i].data, a->m[i].len,
		    err) == -1)
			goto out;
	tar_finish(&w);
	if (out != NULL) {
		if (util_out_add(out, path, w.buf, w.len, UTIL_OUT_PRIVATE,
		    err) == -1)
			goto out;
	} else {
		struct util_out *alone = util_out_new();

		if (util_out_add(alone, path, w.buf, w.len, UTIL_OUT_PRIVATE,
		    err) == -1 || util_out_commit(alone, err) == -1) {
			util_out_free(alone);
			goto out;
		}
		util_out_free(alone);
	}
	log_info(LOG_MAIN, "evidence archive %s: %zu members, %zu bytes%s",
	    path, a->n, w.len, sig != NULL ? ", signed" : "");
	rc = 0;
out:
	tar_writer_free(&w);
	free(sig);
	free(man.p);
	return rc;
}

/* --- verification ------------------------------------------------------ */

struct archive_entry {
	char		 name[TAR_NAME_MAX + 1];
	char		 sha256[65];
	unsigned long long size;
	int		 seen;
};

struct archive_check {
	struct archive_entry	*e;
	size_t			 n;
	FILE			*out;
	unsigned		 problems;
};

static void
archive_say(struct archive_check *c, const char *tag, const char *name,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
archive_say(struct archive_check *c, const char *tag, const char *name,
    const char *fmt, ...)
{
	va_list ap;

	if (strcmp(tag, "ok") != 0)
		c->problems++;
	if (c->out == NULL)
		return;
	fprintf(c->out, "%-9s %s", tag, name);
	if (fmt != NULL) {
		fputs(": ", c->out);
		va_start(ap, fmt);
		vfprintf(c->out, fmt, ap);
		va_end(ap);
	}
	fputc('\n', c->out);
}

static int
archive_is_hex64(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return 0;
	return s[64] == ' ';
}

/* Parse the manifest into c->e.  -1 with MX_ERR_INPUT when malformed. */
static int
archive_parse_manifest(struct archive_check *c, const unsigned char *data,
    size_t len, struct mx_err *err)
{
	const char *p = (const char *)data, *end = p + len, *nl;
	char where[64];
	unsigned long line = 0;
	size_t n, i;

	if (memchr(data, '\0', len) != NULL)
		return mx_err_set(err, MX_ERR_INPUT, ARCHIVE_MANIFEST,
		    "holds a NUL byte");
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			return mx_err_set(err, MX_ERR_INPUT, ARCHIVE_MANIFEST,
			    "last line has no newline");
		n = (size_t)(nl - p);
		line++;
		snprintf(where, sizeof(where), "%s:%lu", ARCHIVE_MANIFEST,
		    line);
		if (line == 1) {
			if (n != strlen(ARCHIVE_MAGIC) ||
			    memcmp(p, ARCHIVE_MAGIC, n) != 0)
				return mx_err_set(err, MX_ERR_INPUT, where,
				    "not an mxbpa evidence manifest");
		} else if (n > 8 && memcmp(p, "member: ", 8) == 0) {
			struct archive_entry *e;
			const char *q = p + 8, *sp;
			uint64_t size;
			char num[24];
			struct mx_err ignore;

			if (c->n >= ARCHIVE_MEMBERS_MAX)
				return mx_err_set(err, MX_ERR_LIMIT, where,
				    "more than %d members",
				    ARCHIVE_MEMBERS_MAX);
			if ((size_t)(nl - q) < 67 || !archive_is_hex64(q))
				return mx_err_set(err, MX_ERR_INPUT, where,
				    "expected \"member: SHA256 SIZE NAME\"");
			sp = memchr(q + 65, ' ', (size_t)(nl - q - 65));
			if (sp == NULL || (size_t)(sp - q - 65) >=
			    sizeof(num) || sp == q + 65 || sp + 1 == nl ||
			    (size_t)(nl - sp - 1) > TAR_NAME_MAX)
				return mx_err_set(err, MX_ERR_INPUT, where,
				    "expected \"member: SHA256 SIZE NAME\"");
			memcpy(num, q + 65, (size_t)(sp - q - 65));
			num[sp - q - 65] = '\0';
			mx_err_init(&ignore);
			if (parse_u64(num, UINT64_MAX, &size, &ignore,
			    where) == -1)
				return mx_err_set(err, MX_ERR_INPUT, where,
				    "bad member size \"%s\"", num);
			c->e = xreallocarray(c->e, c->n + 1, sizeof(*c->e));
			e = &c->e[c->n];
			memset(e, 0, sizeof(*e));
			memcpy(e->sha256, q, 64);
			e->size = size;
			memcpy(e->name, sp + 1, (size_t)(nl - sp - 1));
			for (i = 0; i < c->n; i++)
				if (strcmp(c->e[i].name, e->name) == 0)
					return mx_err_set(err, MX_ERR_INPUT,
					    where, "member %s listed twice",
					    e->name);
			if (!tar_name_ok(e->name) ||
			    archive_reserved(e->name))
				return mx_err_set(err, MX_ERR_INPUT, where,
				    "refused member name");
			c->n++;
		} else if (!((n >= 6 && memcmp(p, "tool: ", 6) == 0) ||
		    (n >= 9 && memcmp(p, "created: ", 9) == 0) ||
		    (n >= 8 && memcmp(p, "command:", 8) == 0)))
			return mx_err_set(err, MX_ERR_INPUT, where,
			    "line not understood");
		p = nl + 1;
	}
	if (line == 0)
		return mx_err_set(err, MX_ERR_INPUT, ARCHIVE_MANIFEST,
		    "empty manifest");
	return 0;
}

/* Check the detached signature sig over the manifest. */
static void
archive_check_signature(struct archive_check *c, const unsigned char *man,
    size_t manlen, const unsigned char *sig, size_t siglen,
    const char *trusted)
{
	char e[256], subject[256] = "";
	const unsigned char *p = sig;
	CMS_ContentInfo *cms = NULL;
	X509_STORE *store = NULL;
	X509 *anchor = NULL;
	STACK_OF(X509) *signers = NULL;
	BIO *content = NULL;
	struct mx_err err;
	unsigned flags = CMS_BINARY;

	mx_err_init(&err);
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)siglen);
	if (cms == NULL || p != sig + siglen) {
		archive_say(c, "BAD-SIG", ARCHIVE_SIGNATURE,
		    "not a DER CMS structure");
		goto out;
	}
	store = X509_STORE_new();
	content = BIO_new_mem_buf(man, (int)manlen);
	if (store == NULL || content == NULL) {
		archive_say(c, "BAD-SIG", ARCHIVE_SIGNATURE, "out of memory");
		goto out;
	}
	if (trusted != NULL) {
		if ((anchor = archive_read_cert(trusted, &err)) == NULL) {
			archive_say(c, "BAD-SIG", ARCHIVE_SIGNATURE, "%s",
			    err.msg);
			goto out;
		}
		X509_STORE_add_cert(store, anchor);
		/*
		 * The trusted certificate may be the signer's own.  Validity
		 * dates are not checked: an archive is verified years after
		 * it was signed, when the signer's certificate has expired.
		 */
		X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN |
		    X509_V_FLAG_NO_CHECK_TIME);
	} else
		flags |= CMS_NO_SIGNER_CERT_VERIFY;
	if (CMS_verify(cms, NULL, store, content, NULL, flags) != 1) {
		archive_say(c, "BAD-SIG", ARCHIVE_MANIFEST, "the signature "
		    "does not verify: %s", archive_ssl_error(e, sizeof(e)));
		goto out;
	}
	signers = CMS_get0_signers(cms);
	if (signers != NULL && sk_X509_num(signers) > 0)
		X509_NAME_oneline(X509_get_subject_name(sk_X509_value(signers,
		    0)), subject, sizeof(subject));
	if (trusted != NULL)
		archive_say(c, "ok", ARCHIVE_SIGNATURE, "signed by %s, "
		    "trusted through %s", subject, trusted);
	else
		archive_say(c, "ok", ARCHIVE_SIGNATURE, "signed by %s (the "
		    "signer is not checked: give --cert to trust a "
		    "certificate)", subject);
out:
	sk_X509_free(signers);
	X509_free(anchor);
	BIO_free(content);
	X509_STORE_free(store);
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
}

int
archive_verify_mem(const void *buf, size_t len, const char *trusted,
    FILE *out, unsigned *problems, struct mx_err *err)
{
	struct archive_check c;
	struct tar_reader r;
	struct tar_member m, man = { 0 }, sig = { 0 };
	char (*names)[TAR_NAME_MAX + 1] = NULL;
	char hex[65];
	size_t nnames = 0, i, j;
	int rc = -1, more;

	memset(&c, 0, sizeof(c));
	c.out = out;
	*problems = 0;
	/* First pass: the structure, names and the manifest. */
	tar_reader_init(&r, buf, len);
	while ((more = tar_next(&r, &m, err)) == 1) {
		for (i = 0; i < nnames; i++)
			if (strcmp(names[i], m.name) == 0) {
				mx_err_set(err, MX_ERR_INPUT, m.name,
				    "refused: the archive holds this member "
				    "twice");
				goto out;
			}
		if (nnames >= ARCHIVE_MEMBERS_MAX + 2) {
			mx_err_set(err, MX_ERR_LIMIT, m.name, "more than %d "
			    "members", ARCHIVE_MEMBERS_MAX);
			goto out;
		}
		names = xreallocarray(names, nnames + 1, sizeof(*names));
		util_strlcpy(names[nnames++], m.name, sizeof(*names));
		if (strcmp(m.name, ARCHIVE_MANIFEST) == 0)
			man = m;
		else if (strcmp(m.name, ARCHIVE_SIGNATURE) == 0)
			sig = m;
	}
	if (more == -1)
		goto out;
	if (man.data == NULL) {
		mx_err_set(err, MX_ERR_INPUT, ARCHIVE_MANIFEST,
		    "the archive has no manifest");
		goto out;
	}
	if (archive_parse_manifest(&c, man.data, man.size, err) == -1)
		goto out;
	if (sig.data != NULL) {
		char why[256];

		archive_check_signature(&c, man.data, man.size, sig.data,
		    sig.size, trusted);
		/*
		 * The signature covers the manifest, the manifest every
		 * member's bytes; the rest (headers, padding, end blocks)
		 * must be exactly what mxbpa writes, so that a signed
		 * archive that verifies is the archive that was signed.
		 */
		if (!tar_exact(buf, len, why, sizeof(why)))
			archive_say(&c, "NOT-EXACT", "archive", "%s", why);
	} else if (trusted != NULL)
		archive_say(&c, "UNSIGNED", ARCHIVE_MANIFEST, "a trusted "
		    "certificate was given but the archive is not signed");
	/* Second pass: every member against the manifest. */
	tar_reader_init(&r, buf, len);
	while (tar_next(&r, &m, err) == 1) {
		if (archive_reserved(m.name))
			continue;
		for (j = 0; j < c.n && strcmp(c.e[j].name, m.name) != 0; j++)
			;
		if (j == c.n) {
			archive_say(&c, "UNLISTED", m.name, "in the archive, "
			    "not in the manifest");
			continue;
		}
		c.e[j].seen = 1;
		util_sha256_hex(m.data, m.size, hex);
		if (m.size != c.e[j].size)
			archive_say(&c, "MISMATCH", m.name, "%zu bytes, the "
			    "manifest says %llu", m.size, c.e[j].size);
		else if (strcmp(hex, c.e[j].sha256) != 0)
			archive_say(&c, "MISMATCH", m.name, "SHA-256 %s, the "
			    "manifest says %s", hex, c.e[j].sha256);
		else
			archive_say(&c, "ok", m.name, NULL);
	}
	for (j = 0; j < c.n; j++)
		if (!c.e[j].seen)
			archive_say(&c, "MISSING", c.e[j].name, "listed in the "
			    "manifest, not in the archive");
	*problems = c.problems;
	rc = c.problems > 0 ? 1 : 0;
out:
	free(names);
	free(c.e);
	return rc;
}

int
archive_verify(const char *path, const char *trusted, FILE *out,
    unsigned *problems, struct mx_err *err)
{
	struct util_file f;
	int rc;

	*problems = 0;
	if (util_read_file(path, ARCHIVE_FILE_MAX, &f, err) == -1)
		return -1;
	rc = archive_verify_mem(f.data, f.len, trusted, out, problems, err);
	util_file_free(&f);
	return rc;
}
