/*
 * sd.c - Windows security descriptors in self-relative form, as Active
 * Directory returns them in nTSecurityDescriptor: [MS-DTYP] 2.4.6
 * SECURITY_DESCRIPTOR, 2.4.5 ACL, 2.4.4 ACE (2.4.4.1 ACE_HEADER, 2.4.4.2
 * ACCESS_ALLOWED_ACE, 2.4.4.3 ACCESS_ALLOWED_OBJECT_ACE and their denied
 * and audit twins), 2.4.2 SID and 2.3.4 GUID.
 *
 * Everything is read through a bounded reader: each get checks the bytes
 * left by subtraction (len - pos), never by forming a pointer past the
 * buffer.  The DACL is a sub-reader of AclSize bytes and each ACE a
 * sub-reader of AceSize bytes, so no field can be read from a neighbour.
 * A declared count never sizes an allocation beyond what the bytes left
 * can hold.  docs/internals/sd-parser.md explains what is refused and why.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "err.h"
#include "sd.h"
#include "util.h"

#define SD_HEADER_SIZE		20	/* Revision .. OffsetDacl */
#define SD_ACL_HEADER_SIZE	8	/* AclRevision .. Sbz2 */
#define SD_ACE_HEADER_SIZE	4	/* AceType, AceFlags, AceSize */
#define SD_ACE_MIN_SIZE		8	/* a header and an access mask */
#define SD_SID_MIN_SIZE		8	/* a SID with no sub-authority */
#define SD_GUID_SIZE		16
#define SD_REVISION		1
#define SD_SID_REVISION		1
#define SD_ACL_REVISION		2
#define SD_ACL_REVISION_DS	4

/* A window on bytes: reads stay inside [0, len). */
struct sd_reader {
	const uint8_t	*p;
	size_t		 len;
	size_t		 pos;
};

/* Who reports errors, and what part of the descriptor is being read. */
struct sd_ctx {
	struct mx_err	*err;
	const char	*where;
	const char	*subject;	/* "security descriptor", or NULL */
	char		 what[64];
};

static int	sd_fail(struct sd_ctx *, enum mx_errcode, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static void
sd_reader_init(struct sd_reader *r, const uint8_t *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->pos = 0;
}

static size_t
sd_left(const struct sd_reader *r)
{
	return r->len - r->pos;
}

static int
sd_get_u8(struct sd_reader *r, uint8_t *v)
{
	if (sd_left(r) < 1)
		return -1;
	*v = r->p[r->pos];
	r->pos += 1;
	return 0;
}

static int
sd_get_le16(struct sd_reader *r, uint16_t *v)
{
	if (sd_left(r) < 2)
		return -1;
	*v = (uint16_t)(r->p[r->pos] | (r->p[r->pos + 1] << 8));
	r->pos += 2;
	return 0;
}

static int
sd_get_le32(struct sd_reader *r, uint32_t *v)
{
	if (sd_left(r) < 4)
		return -1;
	*v = (uint32_t)r->p[r->pos] |
	    (uint32_t)r->p[r->pos + 1] << 8 |
	    (uint32_t)r->p[r->pos + 2] << 16 |
	    (uint32_t)r->p[r->pos + 3] << 24;
	r->pos += 4;
	return 0;
}

static int
sd_get_bytes(struct sd_reader *r, void *out, size_t n)
{
	if (sd_left(r) < n)
		return -1;
	memcpy(out, r->p + r->pos, n);
	r->pos += n;
	return 0;
}

/* Carve the next n bytes of r into sub and step over them. */
static int
sd_get_sub(struct sd_reader *r, size_t n, struct sd_reader *sub)
{
	if (sd_left(r) < n)
		return -1;
	sd_reader_init(sub, r->p + r->pos, n);
	r->pos += n;
	return 0;
}

/* Move to an absolute position; off may equal len (nothing left). */
static int
sd_seek(struct sd_reader *r, size_t off)
{
	if (off > r->len)
		return -1;
	r->pos = off;
	return 0;
}

static int
sd_fail(struct sd_ctx *c, enum mx_errcode code, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->subject != NULL && c->what[0] != '\0')
		return mx_err_set(c->err, code, c->where, "%s: %s: %s",
		    c->subject, c->what, msg);
	if (c->subject != NULL)
		return mx_err_set(c->err, code, c->where, "%s: %s",
		    c->subject, msg);
	return mx_err_set(c->err, code, c->where, "%s", msg);
}

static void
sd_what(struct sd_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
sd_what(struct sd_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->what, sizeof(c->what), fmt, ap);
	va_end(ap);
}

/*
 * Read one SID from r.  container names the enclosing structure for
 * messages ("the ACE", "the descriptor").
 */
static int
sd_get_sid(struct sd_ctx *c, struct sd_reader *r, struct sd_sid *sid,
    const char *container)
{
	unsigned i;

	memset(sid, 0, sizeof(*sid));
	if (sd_left(r) < SD_SID_MIN_SIZE)
		return sd_fail(c, MX_ERR_INPUT, "SID header truncated "
		    "(%d bytes needed, %zu left in %s)", SD_SID_MIN_SIZE,
		    sd_left(r), container);
	if (sd_get_u8(r, &sid->revision) == -1 ||
	    sd_get_u8(r, &sid->count) == -1 ||
	    sd_get_bytes(r, sid->authority, sizeof(sid->authority)) == -1)
		return sd_fail(c, MX_ERR_INTERNAL, "SID header misread");
	if (sid->revision != SD_SID_REVISION)
		return sd_fail(c, MX_ERR_INPUT, "SID revision %u "
		    "(only %d is defined)", sid->revision, SD_SID_REVISION);
	if (sid->count > SD_SID_SUBAUTH_MAX)
		return sd_fail(c, MX_ERR_INPUT, "SID with %u sub-authorities "
		    "(at most %d)", sid->count, SD_SID_SUBAUTH_MAX);
	if (sd_left(r) / 4 < sid->count)
		return sd_fail(c, MX_ERR_INPUT, "SID with %u sub-authorities "
		    "runs past the end of %s (%u bytes needed, %zu left)",
		    sid->count, container, 4u * sid->count, sd_left(r));
	for (i = 0; i < sid->count; i++)
		if (sd_get_le32(r, &sid->sub[i]) == -1)
			return sd_fail(c, MX_ERR_INTERNAL,
			    "SID sub-authority misread");
	return 0;
}

/*
 * Check one header offset: 0 means absent; anything else must point past
 * the header and inside the buffer.
 */
static int
sd_check_offset(struct sd_ctx *c, const char *name, uint32_t off, size_t len)
{
	if (off == 0)
		return 0;
	if (off < SD_HEADER_SIZE)
		return sd_fail(c, MX_ERR_INPUT, "%s %u points inside the "
		    "%d-byte header", name, off, SD_HEADER_SIZE);
	if (off >= len)
		return sd_fail(c, MX_ERR_INPUT, "%s %u is past the end of the "
		    "%zu-byte descriptor", name, off, len);
	return 0;
}

static const char *
sd_ace_kind(uint8_t type)
{
	switch (type) {
	case SD_ACE_ACCESS_ALLOWED:
		return "access-allowed";
	case SD_ACE_ACCESS_DENIED:
		return "access-denied";
	case SD_ACE_SYSTEM_AUDIT:
		return "audit";
	case SD_ACE_ACCESS_ALLOWED_OBJECT:
		return "access-allowed object";
	case SD_ACE_ACCESS_DENIED_OBJECT:
		return "access-denied object";
	case SD_ACE_SYSTEM_AUDIT_OBJECT:
		return "audit object";
	default:
		return NULL;
	}
}

static int
sd_ace_is_object(uint8_t type)
{
	return type == SD_ACE_ACCESS_ALLOWED_OBJECT ||
	    type == SD_ACE_ACCESS_DENIED_OBJECT ||
	    type == SD_ACE_SYSTEM_AUDIT_OBJECT;
}

/* The smallest AceSize a known type can have: its fixed fields and a SID. */
static size_t
sd_ace_min_size(uint8_t type)
{
	if (sd_ace_is_object(type))
		return SD_ACE_HEADER_SIZE + 4 + 4 + SD_SID_MIN_SIZE;
	return SD_ACE_HEADER_SIZE + 4 + SD_SID_MIN_SIZE;
}

/* Read a GUID that an object ACE's Flags announce; name says which. */
static int
sd_get_ace_guid(struct sd_ctx *c, struct sd_reader *ace, uint8_t out[16],
    const char *name)
{
	if (sd_left(ace) < SD_GUID_SIZE)
		return sd_fail(c, MX_ERR_INPUT, "the Flags announce %s but the "
		    "GUID runs past the end of the ACE (%d bytes needed, %zu "
		    "left)", name, SD_GUID_SIZE, sd_left(ace));
	return sd_get_bytes(ace, out, SD_GUID_SIZE);
}

/* Decode the body of a known ACE; ace is positioned after its header. */
static int
sd_get_ace_body(struct sd_ctx *c, struct sd_reader *ace, struct sd_ace *e)
{
	if (sd_get_le32(ace, &e->mask) == -1)
		return sd_fail(c, MX_ERR_INTERNAL, "access mask misread");
	if (sd_ace_is_object(e->type)) {
		if (sd_get_le32(ace, &e->object_flags) == -1)
			return sd_fail(c, MX_ERR_INTERNAL,
			    "object flags misread");
		if ((e->object_flags & SD_OBJECT_TYPE_PRESENT) &&
		    sd_get_ace_guid(c, ace, e->object_type,
		    "an ObjectType") == -1)
			return -1;
		if ((e->object_flags & SD_INHERITED_OBJECT_TYPE_PRESENT) &&
		    sd_get_ace_guid(c, ace, e->inherited_object_type,
		    "an InheritedObjectType") == -1)
			return -1;
	}
	/* Bytes after the SID, up to AceSize, are padding: ignored. */
	if (sd_get_sid(c, ace, &e->sid, "the ACE") == -1)
		return -1;
	e->known = 1;
	return 0;
}

/*
 * Read the ACE at the current position of acl and step over its AceSize.
 * Unknown types keep only their type and flags (known stays 0).
 */
static int
sd_get_ace(struct sd_ctx *c, struct sd_reader *acl, struct sd_ace *e)
{
	struct sd_reader ace;
	uint16_t size;
	size_t start = acl->pos;
	const char *kind;

	if (sd_left(acl) < SD_ACE_HEADER_SIZE)
		return sd_fail(c, MX_ERR_INPUT, "ACE header truncated "
		    "(%d bytes needed, %zu left in the ACL)",
		    SD_ACE_HEADER_SIZE, sd_left(acl));
	if (sd_get_u8(acl, &e->type) == -1 ||
	    sd_get_u8(acl, &e->flags) == -1 ||
	    sd_get_le16(acl, &size) == -1)
		return sd_fail(c, MX_ERR_INTERNAL, "ACE header misread");
	kind = sd_ace_kind(e->type);
	if (size < SD_ACE_MIN_SIZE)
		return sd_fail(c, MX_ERR_INPUT, "AceSize %u is smaller than "
		    "the %d bytes of an ACE header and access mask", size,
		    SD_ACE_MIN_SIZE);
	if (kind != NULL && size < sd_ace_min_size(e->type))
		return sd_fail(c, MX_ERR_INPUT, "AceSize %u is smaller than "
		    "the %zu bytes an %s ACE needs", size,
		    sd_ace_min_size(e->type), kind);
	if (size % 4 != 0)
		return sd_fail(c, MX_ERR_INPUT, "AceSize %u is not a multiple "
		    "of 4", size);
	if (sd_seek(acl, start) == -1 || sd_left(acl) < size)
		return sd_fail(c, MX_ERR_INPUT, "AceSize %u runs past the end "
		    "of the ACL (%zu bytes left)", size, sd_left(acl));
	if (sd_get_sub(acl, size, &ace) == -1 ||
	    sd_seek(&ace, SD_ACE_HEADER_SIZE) == -1)
		return sd_fail(c, MX_ERR_INTERNAL, "ACE misread");
	if (kind == NULL)
		return 0;	/* unknown type: skipped by its size */
	return sd_get_ace_body(c, &ace, e);
}

/* Read the DACL at offset off of r into sd. */
static int
sd_get_dacl(struct sd_ctx *c, struct sd_reader *r, uint32_t off,
    struct sd *sd)
{
	struct sd_reader acl;
	uint8_t sbz1;
	uint16_t size, count, sbz2;
	size_t i;

	sd_what(c, "DACL at offset %u", off);
	if (sd_seek(r, off) == -1)
		return sd_fail(c, MX_ERR_INTERNAL, "offset not checked");
	if (sd_left(r) < SD_ACL_HEADER_SIZE)
		return sd_fail(c, MX_ERR_INPUT, "ACL header truncated "
		    "(%d bytes needed, %zu left)", SD_ACL_HEADER_SIZE,
		    sd_left(r));
	if (sd_get_u8(r, &sd->acl_revision) == -1 ||
	    sd_get_u8(r, &sbz1) == -1 ||
	    sd_get_le16(r, &size) == -1 ||
	    sd_get_le16(r, &count) == -1 ||
	    sd_get_le16(r, &sbz2) == -1)
		return sd_fail(c, MX_ERR_INTERNAL, "ACL header misread");
	if (sd->acl_revision != SD_ACL_REVISION &&
	    sd->acl_revision != SD_ACL_REVISION_DS)
		return sd_fail(c, MX_ERR_INPUT, "AclRevision %u (only %d and "
		    "%d are defined)", sd->acl_revision, SD_ACL_REVISION,
		    SD_ACL_REVISION_DS);
	if (size < SD_ACL_HEADER_SIZE)
		return sd_fail(c, MX_ERR_INPUT, "AclSize %u is smaller than "
		    "the %d-byte ACL header", size, SD_ACL_HEADER_SIZE);
	/* The ACL reader starts at the ACL header and spans AclSize. */
	if (sd_seek(r, off) == -1 || sd_get_sub(r, size, &acl) == -1)
		return sd_fail(c, MX_ERR_INPUT, "AclSize %u runs past the end "
		    "of the descriptor (%zu bytes left)", size, sd_left(r));
	if (sd_seek(&acl, SD_ACL_HEADER_SIZE) == -1)
		return sd_fail(c, MX_ERR_INTERNAL, "ACL misread");
	/* Every ACE takes at least 8 bytes: bound the count before any
	 * allocation. */
	if (count > sd_left(&acl) / SD_ACE_MIN_SIZE)
		return sd_fail(c, MX_ERR_INPUT, "AceCount %u cannot fit in the "
		    "%zu bytes of ACEs that AclSize %u leaves (at most %zu)",
		    count, sd_left(&acl), size,
		    sd_left(&acl) / SD_ACE_MIN_SIZE);
	if (count > SD_ACES_MAX)
		return sd_fail(c, MX_ERR_LIMIT, "AceCount %u is more than "
		    "SD_ACES_MAX (%d)", count, SD_ACES_MAX);
	sd->dacl = SD_DACL_LIST;
	if (count == 0)
		return 0;
	sd->aces = xcalloc(count, sizeof(*sd->aces));
	for (i = 0; i < count; i++) {
		sd_what(c, "DACL ACE %zu of %u", i + 1, count);
		if (sd_get_ace(c, &acl, &sd->aces[i]) == -1)
			return -1;
		sd->nace = i + 1;
	}
	/* Bytes left after AceCount ACEs (AclSize may be larger) are unused
	 * space, which [MS-DTYP] 2.4.5 allows. */
	return 0;
}

/* Read the owner or group SID at offset off. */
static int
sd_get_owner_sid(struct sd_ctx *c, struct sd_reader *r, uint32_t off,
    const char *name, struct sd_sid *sid)
{
	sd_what(c, "%s SID at offset %u", name, off);
	if (sd_seek(r, off) == -1)
		return sd_fail(c, MX_ERR_INTERNAL, "offset not checked");
	return sd_get_sid(c, r, sid, "the descriptor");
}

static int
sd_parse_body(struct sd_ctx *c, const uint8_t *buf, size_t len, struct sd *sd)
{
	struct sd_reader r;
	uint8_t sbz1;
	uint32_t off_owner, off_group, off_sacl, off_dacl;

	if (len > SD_MAX)
		return sd_fail(c, MX_ERR_LIMIT, "%zu bytes is larger than "
		    "SD_MAX (%d bytes)", len, SD_MAX);
	sd_reader_init(&r, buf, len);
	sd_what(c, "header");
	if (len < SD_HEADER_SIZE)
		return sd_fail(c, MX_ERR_INPUT, "truncated (%d bytes needed, "
		    "%zu present)", SD_HEADER_SIZE, len);
	if (sd_get_u8(&r, &sd->revision) == -1 ||
	    sd_get_u8(&r, &sbz1) == -1 ||
	    sd_get_le16(&r, &sd->control) == -1 ||
	    sd_get_le32(&r, &off_owner) == -1 ||
	    sd_get_le32(&r, &off_group) == -1 ||
	    sd_get_le32(&r, &off_sacl) == -1 ||
	    sd_get_le32(&r, &off_dacl) == -1)
		return sd_fail(c, MX_ERR_INTERNAL, "header misread");
	if (sd->revision != SD_REVISION)
		return sd_fail(c, MX_ERR_INPUT, "Revision %u (only %d is "
		    "defined)", sd->revision, SD_REVISION);
	if (!(sd->control & SD_CONTROL_SELF_RELATIVE))
		return sd_fail(c, MX_ERR_INPUT, "Control 0x%04x lacks "
		    "SE_SELF_RELATIVE: offsets of an absolute descriptor are "
		    "pointers, not positions in these bytes", sd->control);
	if (sd_check_offset(c, "OffsetOwner", off_owner, len) == -1 ||
	    sd_check_offset(c, "OffsetGroup", off_group, len) == -1 ||
	    sd_check_offset(c, "OffsetSacl", off_sacl, len) == -1 ||
	    sd_check_offset(c, "OffsetDacl", off_dacl, len) == -1)
		return -1;
	if (off_owner != 0) {
		if (sd_get_owner_sid(c, &r, off_owner, "owner",
		    &sd->owner) == -1)
			return -1;
		sd->has_owner = 1;
	}
	if (off_group != 0) {
		if (sd_get_owner_sid(c, &r, off_group, "group",
		    &sd->group) == -1)
			return -1;
		sd->has_group = 1;
	}
	/* The SACL is not read: collection asks for the DACL only. */
	if (!(sd->control & SD_CONTROL_DACL_PRESENT))
		sd->dacl = SD_DACL_ABSENT;
	else if (off_dacl == 0)
		sd->dacl = SD_DACL_NULL;
	else if (sd_get_dacl(c, &r, off_dacl, sd) == -1)
		return -1;
	return 0;
}

/*
 * Parse a self-relative security descriptor of len bytes.  Returns 0 and
 * fills sd (free it with sd_free), or -1 with MX_ERR_INPUT (malformed) or
 * MX_ERR_LIMIT (over SD_MAX or SD_ACES_MAX), where set to the caller's
 * where and a message naming the part being read.  On failure sd holds
 * nothing to free.  Borrows buf for the duration of the call.
 */
int
sd_parse(const uint8_t *buf, size_t len, struct sd *sd, struct mx_err *err,
    const char *where)
{
	struct sd_ctx c;

	memset(sd, 0, sizeof(*sd));
	memset(&c, 0, sizeof(c));
	c.err = err;
	c.where = where;
	c.subject = "security descriptor";
	if (buf == NULL)
		len = 0;
	if (sd_parse_body(&c, buf, len, sd) == -1) {
		sd_free(sd);
		return -1;
	}
	return 0;
}

/* Free what sd_parse allocated and clear sd; NULL is accepted. */
void
sd_free(struct sd *sd)
{
	if (sd == NULL)
		return;
	free(sd->aces);
	memset(sd, 0, sizeof(*sd));
}

/*
 * Parse one SID at the start of buf (as in objectSid); *used receives its
 * size, and bytes after it are not looked at.  Returns 0, or -1 with
 * MX_ERR_INPUT naming where.  Borrows buf for the call.
 */
int
sd_sid_parse(const uint8_t *buf, size_t len, struct sd_sid *sid,
    size_t *used, struct mx_err *err, const char *where)
{
	struct sd_ctx c;
	struct sd_reader r;

	memset(&c, 0, sizeof(c));
	c.err = err;
	c.where = where;
	sd_reader_init(&r, buf, buf != NULL ? len : 0);
	if (sd_get_sid(&c, &r, sid, "the value") == -1)
		return -1;
	if (used != NULL)
		*used = r.pos;
	return 0;
}

/* The 48-bit identifier authority as a number. */
static uint64_t
sd_sid_authority(const struct sd_sid *sid)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < sizeof(sid->authority); i++)
		v = v << 8 | sid->authority[i];
	return v;
}

/*
 * Write sid as "S-1-5-21-..." into out ([MS-DTYP] 2.4.2.1): the authority in
 * decimal below 2^32, else as 0x and 12 hex digits.
 */
void
sd_sid_format(const struct sd_sid *sid, char out[SD_SID_TEXT_MAX])
{
	uint64_t auth = sd_sid_authority(sid);
	unsigned i, count;
	size_t n;
	int w;

	if (auth < ((uint64_t)1 << 32))
		w = snprintf(out, SD_SID_TEXT_MAX, "S-%u-%llu", sid->revision,
		    (unsigned long long)auth);
	else
		w = snprintf(out, SD_SID_TEXT_MAX, "S-%u-0x%012llx",
		    sid->revision, (unsigned long long)auth);
	n = w > 0 ? (size_t)w : 0;
	count = sid->count <= SD_SID_SUBAUTH_MAX ? sid->count :
	    SD_SID_SUBAUTH_MAX;
	for (i = 0; i < count && n < SD_SID_TEXT_MAX; i++) {
		w = snprintf(out + n, SD_SID_TEXT_MAX - n, "-%lu",
		    (unsigned long)sid->sub[i]);
		if (w < 0)
			break;
		n += (size_t)w;
	}
}

/* Parse a run of decimal digits into *v, refusing overflow past max. */
static int
sd_text_decimal(const char **sp, uint64_t max, uint64_t *v)
{
	const char *s = *sp;
	uint64_t n = 0;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (n > (max - (uint64_t)(*s - '0')) / 10)
			return -1;
		n = n * 10 + (uint64_t)(*s - '0');
	}
	*sp = s;
	*v = n;
	return 0;
}

static int
sd_hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * Parse "S-1-<authority>[-<sub>]...": the authority in decimal (below 2^48)
 * or as 0x and 1 to 12 hex digits, at most 15 decimal sub-authorities
 * below 2^32.  No sub-authority at all is accepted, as the binary form
 * allows it.  Returns 0, or -1 without error detail.
 */
int
sd_sid_from_text(const char *text, struct sd_sid *sid)
{
	const char *s = text;
	uint64_t v, auth = 0;
	int i, h;

	memset(sid, 0, sizeof(*sid));
	if (s == NULL || (s[0] != 'S' && s[0] != 's') ||
	    strncmp(s + 1, "-1-", 3) != 0)
		return -1;
	s += 4;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		for (i = 0; (h = sd_hexval(*s)) != -1; i++, s++) {
			if (i == 12)
				return -1;
			auth = auth << 4 | (uint64_t)h;
		}
		if (i == 0)
			return -1;
	} else if (sd_text_decimal(&s, ((uint64_t)1 << 48) - 1, &auth) == -1)
		return -1;
	for (i = 0; i < 6; i++)
		sid->authority[i] = (uint8_t)(auth >> (8 * (5 - i)));
	sid->revision = SD_SID_REVISION;
	while (*s == '-') {
		s++;
		if (sid->count == SD_SID_SUBAUTH_MAX ||
		    sd_text_decimal(&s, UINT32_MAX, &v) == -1)
			return -1;
		sid->sub[sid->count++] = (uint32_t)v;
	}
	return *s == '\0' ? 0 : -1;
}

/*
 * Encode sid into out (8 + 4 * count bytes, at most 68) and return the
 * size.  A count above 15 is a caller bug and aborts.
 */
size_t
sd_sid_encode(const struct sd_sid *sid, uint8_t out[68])
{
	unsigned i;
	size_t n = 0;

	if (sid->count > SD_SID_SUBAUTH_MAX) {
		fprintf(stderr, "%s: bad sub-authority count %u\n", __func__,
		    sid->count);
		abort();
	}
	out[n++] = sid->revision;
	out[n++] = sid->count;
	memcpy(out + n, sid->authority, sizeof(sid->authority));
	n += sizeof(sid->authority);
	for (i = 0; i < sid->count; i++) {
		out[n++] = (uint8_t)sid->sub[i];
		out[n++] = (uint8_t)(sid->sub[i] >> 8);
		out[n++] = (uint8_t)(sid->sub[i] >> 16);
		out[n++] = (uint8_t)(sid->sub[i] >> 24);
	}
	return n;
}

/*
 * Write a GUID stored in the Windows layout ([MS-DTYP] 2.3.4: Data1, Data2
 * and Data3 little-endian, Data4 as bytes) as lower-case
 * "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".
 */
void
sd_guid_format(const uint8_t g[16], char out[SD_GUID_TEXT_MAX])
{
	snprintf(out, SD_GUID_TEXT_MAX,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6],
	    g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

/*
 * Parse the 36-character text form (either case, no braces) into the
 * Windows layout.  Returns 0, or -1 without error detail.
 */
int
sd_guid_parse(const char *text, uint8_t g[16])
{
	/* Byte i of the layout comes from text position pos[i]. */
	static const unsigned char pos[16] = {
		6, 4, 2, 0, 11, 9, 16, 14, 19, 21, 24, 26, 28, 30, 32, 34
	};
	size_t i;
	int hi, lo;

	if (text == NULL || strlen(text) != 36)
		return -1;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (text[i] != '-')
				return -1;
		} else if (sd_hexval(text[i]) == -1)
			return -1;
	}
	for (i = 0; i < 16; i++) {
		hi = sd_hexval(text[pos[i]]);
		lo = sd_hexval(text[pos[i] + 1]);
		g[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}
