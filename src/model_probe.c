/*
 * model_probe.c - SMTP probe results into the topology model (see
 * model_probe.h; the format is docs/model.md, "Probes").
 *
 * Specifications: XML 1.0 2.2 (the characters a document may hold),
 * RFC 3629 (UTF-8: overlong forms and surrogates are not characters).
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "bounds.h"
#include "err.h"
#include "model.h"
#include "model_probe.h"
#include "probe_smtp.h"
#include "tls_inspect.h"
#include "util.h"

/* Length of the UTF-8 character XML accepts at s, or 0. */
static size_t
model_probe_utf8(const unsigned char *s, size_t left)
{
	unsigned c = s[0];
	size_t n, i;
	unsigned lo = 0x80, hi = 0xbf;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		if (c == 0xed)
			hi = 0x9f;	/* no surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (left < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	/* U+FFFE and U+FFFF are not XML characters. */
	if (n == 3 && c == 0xef && s[1] == 0xbf && s[2] >= 0xbe)
		return 0;
	return n;
}

char *
model_probe_text(const char *str, size_t max)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len = strlen(str), i = 0, o = 0, n;
	char *out = xmalloc(max + 1);

	while (i < len) {
		if ((s[i] >= 0x20 && s[i] < 0x7f) || s[i] == '\t' ||
		    s[i] == '\n')
			n = 1;
		else if (s[i] >= 0x80)
			n = model_probe_utf8(s + i, len - i);
		else
			n = 0;
		if (n > 0) {
			if (o + n > max)
				break;
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
			continue;
		}
		if (o + 4 > max)
			break;
		snprintf(out + o, 5, "\\x%02x", s[i]);
		o += 4;
		i++;
	}
	out[o] = '\0';
	return out;
}

static xmlNodePtr
model_probe_child(xmlNodePtr parent, const char *name)
{
	return xmlNewChild(parent, parent->ns, (const xmlChar *)name, NULL);
}

/* Set an attribute from network text (made safe, bounded). */
static void
model_probe_set_text(xmlNodePtr node, const char *name, const char *value)
{
	char *safe;

	if (value == NULL)
		return;
	safe = model_probe_text(value, PROBE_STEP_TEXT_MAX * 4);
	model_set(node, name, safe);
	free(safe);
}

static void
model_probe_set_uint(xmlNodePtr node, const char *name,
    unsigned long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", v);
	model_set(node, name, buf);
}

static void
model_probe_set_code(xmlNodePtr node, const char *name, int code)
{
	if (code >= 200 && code <= 599)
		model_probe_set_uint(node, name, (unsigned long long)code);
}

static void
model_probe_set_bool(xmlNodePtr node, const char *name, int v)
{
	model_set(node, name, v ? "true" : "false");
}

/* Does an EHLO answer list the keyword name? */
static int
model_probe_has_keyword(const struct probe_ehlo *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->nkeywords; i++)
		if (strcmp(e->keywords[i].name, name) == 0)
			return 1;
	return 0;
}

/*
 * Set attr to the names of the keywords of a that b lacks, separated by
 * spaces; no attribute when there are none.
 */
static void
model_probe_keyword_diff(xmlNodePtr node, const char *attr,
    const struct probe_ehlo *a, const struct probe_ehlo *b)
{
	char *out = NULL;
	size_t i, len = 0, n;

	for (i = 0; i < a->nkeywords; i++) {
		if (model_probe_has_keyword(b, a->keywords[i].name))
			continue;
		n = strlen(a->keywords[i].name);
		out = xreallocarray(out, len + n + 2, 1);
		if (len > 0)
			out[len++] = ' ';
		memcpy(out + len, a->keywords[i].name, n + 1);
		len += n;
	}
	if (out != NULL)
		model_probe_set_text(node, attr, out);
	free(out);
}

/*
 * One EHLO answer.  For the one over TLS, before is the clear-text answer
 * (or NULL): what TLS added and removed is recorded (RFC 3207 4.2).
 */
static void
model_probe_ehlo(xmlNodePtr probe, const struct probe_ehlo *e,
    const struct probe_ehlo *before)
{
	xmlNodePtr node, k;
	size_t i;

	node = model_probe_child(probe, "ehlo");
	model_set(node, "phase", e->tls ? "tls" : "plain");
	model_set(node, "command", e->helo ? "HELO" : "EHLO");
	model_probe_set_code(node, "code", e->code);
	if (before != NULL && e->code >= 200 && e->code < 300) {
		model_probe_keyword_diff(node, "added", e, before);
		model_probe_keyword_diff(node, "removed", before, e);
	}
	for (i = 0; i < e->nkeywords; i++) {
		k = model_probe_child(node, "keyword");
		model_probe_set_text(k, "name", e->keywords[i].name);
		model_probe_set_text(k, "value", e->keywords[i].value);
	}
}

static void
model_probe_cert(xmlNodePtr tls, const struct tls_cert *c)
{
	xmlNodePtr node, san;
	size_t i;

	node = model_probe_child(tls, "certificate");
	model_probe_set_uint(node, "depth", c->depth);
	model_probe_set_text(node, "subject", c->subject);
	model_probe_set_text(node, "issuer", c->issuer);
	if (c->not_before[0] != '\0')
		model_set(node, "not-before", c->not_before);
	if (c->not_after[0] != '\0')
		model_set(node, "not-after", c->not_after);
	if (c->key_type[0] != '\0')
		model_set(node, "key-type", c->key_type);
	if (c->key_bits > 0)
		model_probe_set_uint(node, "key-bits",
		    (unsigned long long)c->key_bits);
	if (c->signature[0] != '\0')
		model_set(node, "signature", c->signature);
	model_probe_set_bool(node, "self-signed", c->self_signed);
	for (i = 0; i < c->nsans; i++) {
		san = model_probe_child(node, "san");
		model_probe_set_text(san, "value", c->sans[i]);
	}
}

static void
model_probe_tls(xmlNodePtr probe, const struct tls_facts *f)
{
	xmlNodePtr node, l;
	size_t i;

	node = model_probe_child(probe, "tls");
	if (f->version[0] != '\0') {
		model_set(node, "version", f->version);
		if (f->cipher[0] != '\0')
			model_set(node, "cipher", f->cipher);
		model_probe_set_bool(node, "verified", f->verified);
		model_probe_set_text(node, "verify-error", f->verify_error);
		if (f->name_checked)
			model_probe_set_bool(node, "name-matches",
			    f->name_matches);
	}
	model_probe_set_text(node, "error", f->error);
	if (f->chain_length > 0)
		model_probe_set_uint(node, "chain-length", f->chain_length);
	for (i = 0; i < f->ncerts; i++)
		model_probe_cert(node, &f->certs[i]);
	for (i = 0; i < f->nlegacy && i < 2; i++) {
		l = model_probe_child(node, "legacy-protocol");
		model_set(l, "name", f->legacy[i].name);
		model_probe_set_bool(l, "accepted", f->legacy[i].accepted);
	}
}

/* The steps of one connection, as <step> children of parent. */
static void
model_probe_steps(xmlNodePtr parent, const struct probe_transcript *tr)
{
	xmlNodePtr s;
	size_t i;

	for (i = 0; i < tr->nsteps; i++) {
		s = model_probe_child(parent, "step");
		model_probe_set_uint(s, "seq", i + 1);
		model_probe_set_uint(s, "at-ms", tr->steps[i].at_ms);
		model_set(s, "dir", probe_dir_name(tr->steps[i].dir));
		model_probe_set_text(s, "text", tr->steps[i].text);
	}
}

/*
 * One relay test.  A variant never tried (the target did not answer, or
 * time ran out) has no addresses: its verdict is unknown, its reason says
 * why.
 */
static void
model_probe_test(xmlNodePtr probe, const struct probe_relay_test *t)
{
	xmlNodePtr node = model_probe_child(probe, "relay-test");

	model_set(node, "variant", t->variant);
	if (t->domain != NULL)
		model_probe_set_text(node, "domain", t->domain);
	model_probe_set_text(node, "from", t->from);
	model_probe_set_text(node, "to", t->to);
	model_probe_set_text(node, "control", t->control);
	if (t->attempts > 0)
		model_probe_set_uint(node, "connections", t->attempts);
	model_probe_set_code(node, "mail-code", t->mail_code);
	model_probe_set_code(node, "rcpt-code", t->rcpt_code);
	model_probe_set_code(node, "control-code", t->control_code);
	if (t->confirm_tried) {
		model_probe_set_code(node, "confirm-code", t->confirm_code);
		model_probe_set_bool(node, "confirmed", t->confirmed);
	}
	model_set(node, "verdict", probe_verdict_name(t->verdict));
	model_probe_set_text(node, "reason", t->reason);
	model_probe_steps(node, &t->transcript);
}

/* The names of the variants whose RCPT was accepted, or NULL. */
static char *
model_probe_accepted(const struct probe_result *r)
{
	size_t i, len = 0;
	char *out = NULL;

	for (i = 0; i < r->ntests; i++)
		if (r->tests[i].verdict == PROBE_VERDICT_ACCEPTED ||
		    r->tests[i].verdict == PROBE_VERDICT_DATA_ACCEPTED)
			len += strlen(r->tests[i].variant) + 1;
	if (len == 0)
		return NULL;
	out = xcalloc(1, len);
	for (i = 0, len = 0; i < r->ntests; i++) {
		if (r->tests[i].verdict != PROBE_VERDICT_ACCEPTED &&
		    r->tests[i].verdict != PROBE_VERDICT_DATA_ACCEPTED)
			continue;
		len += (size_t)snprintf(out + len, strlen(r->tests[i].variant)
		    + 2, "%s%s", len > 0 ? " " : "", r->tests[i].variant);
	}
	return out;
}

static void
model_probe_one(xmlNodePtr root, const struct probe_result *r)
{
	xmlNodePtr node, b;
	const struct probe_ehlo *plain = NULL;
	char now[32], *accepted;
	size_t i;

	node = model_probe_child(root, "probe");
	model_probe_set_text(node, "target", r->target);
	if (r->resolved)
		model_set(node, "address", r->address);
	model_probe_set_uint(node, "port", r->port);
	model_set(node, "mode", probe_mode_name(r->mode));
	if (r->source_address[0] != '\0')
		model_set(node, "source-address", r->source_address);
	util_clock_timestamp(now);
	model_set(node, "started", r->started[0] ? r->started : now);
	model_set(node, "finished", r->finished[0] ? r->finished : now);
	model_set(node, "status", r->completed ? "completed" : "unknown");
	model_probe_set_text(node, "reason", r->reason);
	model_set(node, "relay", probe_verdict_name(r->relay));
	model_probe_set_text(node, "relay-reason", r->relay_reason);
	if ((accepted = model_probe_accepted(r)) != NULL) {
		model_set(node, "relay-variants", accepted);
		free(accepted);
	}
	if (r->banner_code != 0) {
		b = model_probe_child(node, "banner");
		model_probe_set_code(b, "code", r->banner_code);
		model_probe_set_text(b, "text", r->banner != NULL ? r->banner :
		    "");
	}
	for (i = 0; i < r->nehlo; i++) {
		if (r->ehlo[i].tls)
			continue;
		model_probe_ehlo(node, &r->ehlo[i], NULL);
		if (r->ehlo[i].code >= 200 && r->ehlo[i].code < 300)
			plain = &r->ehlo[i];
	}
	if (r->tls_tried)
		model_probe_tls(node, &r->tls);
	for (i = 0; i < r->nehlo; i++)
		if (r->ehlo[i].tls)
			model_probe_ehlo(node, &r->ehlo[i], plain);
	for (i = 0; i < r->ntests; i++)
		model_probe_test(node, &r->tests[i]);
	model_probe_steps(node, &r->transcript);
}

int
model_probe_add(struct model *m, const char *location,
    const struct probe_result *r, size_t n, struct mx_err *err)
{
	xmlNodePtr root = xmlDocGetRootElement(model_doc(m)), src;
	char *safe;
	size_t i;

	if (root == NULL)
		return mx_err_set(err, MX_ERR_INTERNAL, "model",
		    "model without a root element");
	safe = model_probe_text(location, PROBE_TARGET_TEXT_MAX * 4);
	src = model_add_source(m, "probe", safe, NULL);
	free(safe);
	model_probe_set_uint(src, "objects", n);
	for (i = 0; i < n; i++)
		model_probe_one(root, &r[i]);
	return 0;
}
