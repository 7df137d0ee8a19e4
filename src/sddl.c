/*
 * sddl.c - Security Descriptor Definition Language ([MS-DTYP] 2.5.1; the
 * Windows "Security Descriptor String Format", "ACE Strings" and "SID
 * Strings" pages): rendering a parsed descriptor as SDDL text, and
 * encoding SDDL text into the self-relative binary form of [MS-DTYP]
 * 2.4.6.
 *
 * Only what a directory DACL needs is supported: owner, group and DACL
 * (no SACL), ACE types A, D, OA, OD, AU and OU, the ACE flags, the
 * directory, standard and generic right codes, and the well-known SID
 * aliases that do not depend on a domain.  Domain-relative aliases (DA,
 * DU, EA...) are refused: write the full S-1-5-21-... SID instead.
 *
 * Two spellings go beyond Windows SDDL so that rendering never drops
 * what the parser kept: an ACE of a type sd.c does not decode is written
 * "(0x11;CI;;;;)" (type in hex, its body not shown), and ACE flags with
 * bits that have no code are written in hex ("0x22").  sddl_encode reads
 * both back.  docs/internals/sd-parser.md has the details.
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
#include "sddl.h"
#include "util.h"

#define SDDL_ACL_SIZE_MAX	65535	/* AclSize is 16 bits */
#define SDDL_UNKNOWN_ACE_SIZE	8	/* header and a zero mask */
#define SDDL_SNIPPET_MAX	48	/* input characters quoted in errors */

/* SE_DACL_PROTECTED, SE_DACL_AUTO_INHERITED, SE_DACL_AUTO_INHERIT_REQ. */
#define SDDL_CONTROL_DACL_PROTECTED		0x1000
#define SDDL_CONTROL_DACL_AUTO_INHERITED	0x0400
#define SDDL_CONTROL_DACL_AUTO_INHERIT_REQ	0x0100

struct sddl_code {
	const char	*code;
	uint32_t	 value;
};

/*
 * Right codes, in the order they are written.  Values: [MS-ADTS] 5.1.3.2
 * and ADS_RIGHTS_ENUM for the directory rights, [MS-DTYP] 2.4.3 for the
 * standard and generic ones.
 */
static const struct sddl_code sddl_rights[] = {
	{ "CC", 0x00000001 },	/* create child */
	{ "DC", 0x00000002 },	/* delete child */
	{ "LC", 0x00000004 },	/* list children */
	{ "SW", 0x00000008 },	/* validated write (self) */
	{ "RP", 0x00000010 },	/* read property */
	{ "WP", 0x00000020 },	/* write property */
	{ "DT", 0x00000040 },	/* delete tree */
	{ "LO", 0x00000080 },	/* list object */
	{ "CR", 0x00000100 },	/* control access (extended right) */
	{ "SD", 0x00010000 },	/* delete */
	{ "RC", 0x00020000 },	/* read control */
	{ "WD", 0x00040000 },	/* write DAC */
	{ "WO", 0x00080000 },	/* write owner */
	{ "GA", 0x10000000 },	/* generic all */
	{ "GX", 0x20000000 },	/* generic execute */
	{ "GW", 0x40000000 },	/* generic write */
	{ "GR", 0x80000000 },	/* generic read */
};

/* ACE flag codes ([MS-DTYP] 2.4.4.1 AceFlags). */
static const struct sddl_code sddl_ace_flags[] = {
	{ "OI", SD_ACE_OBJECT_INHERIT },
	{ "CI", SD_ACE_CONTAINER_INHERIT },
	{ "NP", SD_ACE_NO_PROPAGATE },
	{ "IO", SD_ACE_INHERIT_ONLY },
	{ "ID", SD_ACE_INHERITED },
	{ "SA", 0x40 },		/* successful access (audit) */
	{ "FA", 0x80 },		/* failed access (audit) */
};

/* ACE types. */
static const struct sddl_code sddl_ace_types[] = {
	{ "A", SD_ACE_ACCESS_ALLOWED },
	{ "D", SD_ACE_ACCESS_DENIED },
	{ "AU", SD_ACE_SYSTEM_AUDIT },
	{ "OA", SD_ACE_ACCESS_ALLOWED_OBJECT },
	{ "OD", SD_ACE_ACCESS_DENIED_OBJECT },
	{ "OU", SD_ACE_SYSTEM_AUDIT_OBJECT },
};

/* DACL flags, in the order they are written. */
static const struct sddl_code sddl_acl_flags[] = {
	{ "P", SDDL_CONTROL_DACL_PROTECTED },
	{ "AI", SDDL_CONTROL_DACL_AUTO_INHERITED },
	{ "AR", SDDL_CONTROL_DACL_AUTO_INHERIT_REQ },
};

struct sddl_alias {
	const char	*code;
	const char	*sid;
};

/*
 * Well-known SID aliases that name the same SID in every domain (the
 * Windows "SID Strings" and "Well-known SIDs" pages).
 */
static const struct sddl_alias sddl_aliases[] = {
	{ "WD", "S-1-1-0" },		/* Everyone */
	{ "CO", "S-1-3-0" },		/* Creator owner */
	{ "CG", "S-1-3-1" },		/* Creator group */
	{ "OW", "S-1-3-4" },		/* Owner rights */
	{ "NU", "S-1-5-2" },		/* Network logon user */
	{ "IU", "S-1-5-4" },		/* Interactive user */
	{ "SU", "S-1-5-6" },		/* Service logon user */
	{ "AN", "S-1-5-7" },		/* Anonymous logon */
	{ "ED", "S-1-5-9" },		/* Enterprise domain controllers */
	{ "PS", "S-1-5-10" },		/* Principal self */
	{ "AU", "S-1-5-11" },		/* Authenticated users */
	{ "RC", "S-1-5-12" },		/* Restricted code */
	{ "SY", "S-1-5-18" },		/* Local system */
	{ "LS", "S-1-5-19" },		/* Local service */
	{ "NS", "S-1-5-20" },		/* Network service */
	{ "WR", "S-1-5-33" },		/* Write restricted code */
	{ "BA", "S-1-5-32-544" },	/* Builtin administrators */
	{ "BU", "S-1-5-32-545" },	/* Builtin users */
	{ "BG", "S-1-5-32-546" },	/* Builtin guests */
	{ "PU", "S-1-5-32-547" },	/* Power users */
	{ "AO", "S-1-5-32-548" },	/* Account operators */
	{ "SO", "S-1-5-32-549" },	/* Server operators */
	{ "PO", "S-1-5-32-550" },	/* Printer operators */
	{ "BO", "S-1-5-32-551" },	/* Backup operators */
	{ "RE", "S-1-5-32-552" },	/* Replicator */
	{ "RS", "S-1-5-32-553" },	/* RAS servers */
	{ "RU", "S-1-5-32-554" },	/* Pre-Windows 2000 compatible access */
	{ "RD", "S-1-5-32-555" },	/* Remote desktop users */
	{ "NO", "S-1-5-32-556" },	/* Network configuration operators */
	{ "MU", "S-1-5-32-558" },	/* Performance monitor users */
	{ "LU", "S-1-5-32-559" },	/* Performance log users */
};

/* Aliases whose SID depends on the domain: refused by sddl_encode. */
static const char *const sddl_domain_aliases[] = {
	"AP", "CA", "CN", "DA", "DC", "DD", "DG", "DU", "EA", "EK", "KA",
	"LA", "LG", "PA", "RO", "SA",
};

#define SDDL_NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

static int
sddl_is_object(uint8_t type)
{
	return type == SD_ACE_ACCESS_ALLOWED_OBJECT ||
	    type == SD_ACE_ACCESS_DENIED_OBJECT ||
	    type == SD_ACE_SYSTEM_AUDIT_OBJECT;
}

/* A growing output string. */
struct sddl_buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

static void
sddl_buf_add(struct sddl_buf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->cap - b->len <= n) {
		while (b->cap - b->len <= n)
			b->cap = b->cap != 0 ? b->cap * 2 : 256;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
}

/* Append the codes of table that make up v exactly, or v in hex. */
static void
sddl_buf_codes(struct sddl_buf *b, const struct sddl_code *table,
    size_t n, uint32_t v)
{
	char hex[16];
	uint32_t covered = 0;
	size_t i;

	for (i = 0; i < n; i++)
		covered |= table[i].value;
	if ((v & ~covered) != 0) {
		snprintf(hex, sizeof(hex), "0x%lx", (unsigned long)v);
		sddl_buf_add(b, hex);
		return;
	}
	for (i = 0; i < n; i++)
		if (v & table[i].value)
			sddl_buf_add(b, table[i].code);
}

static void
sddl_buf_sid(struct sddl_buf *b, const struct sd_sid *sid)
{
	char text[SD_SID_TEXT_MAX];
	size_t i;

	sd_sid_format(sid, text);
	for (i = 0; i < SDDL_NITEMS(sddl_aliases); i++)
		if (strcmp(text, sddl_aliases[i].sid) == 0) {
			sddl_buf_add(b, sddl_aliases[i].code);
			return;
		}
	sddl_buf_add(b, text);
}

static void
sddl_buf_ace(struct sddl_buf *b, const struct sd_ace *e)
{
	char text[SD_GUID_TEXT_MAX];
	size_t i;

	sddl_buf_add(b, "(");
	if (!e->known) {
		snprintf(text, sizeof(text), "0x%02x;", e->type);
		sddl_buf_add(b, text);
		sddl_buf_codes(b, sddl_ace_flags, SDDL_NITEMS(sddl_ace_flags),
		    e->flags);
		sddl_buf_add(b, ";;;;)");
		return;
	}
	for (i = 0; i < SDDL_NITEMS(sddl_ace_types); i++)
		if (sddl_ace_types[i].value == e->type)
			sddl_buf_add(b, sddl_ace_types[i].code);
	sddl_buf_add(b, ";");
	sddl_buf_codes(b, sddl_ace_flags, SDDL_NITEMS(sddl_ace_flags),
	    e->flags);
	sddl_buf_add(b, ";");
	if (e->mask == 0)
		sddl_buf_add(b, "0x0");
	else
		sddl_buf_codes(b, sddl_rights, SDDL_NITEMS(sddl_rights),
		    e->mask);
	sddl_buf_add(b, ";");
	if (sddl_is_object(e->type)) {
		if (e->object_flags & SD_OBJECT_TYPE_PRESENT) {
			sd_guid_format(e->object_type, text);
			sddl_buf_add(b, text);
		}
		sddl_buf_add(b, ";");
		if (e->object_flags & SD_INHERITED_OBJECT_TYPE_PRESENT) {
			sd_guid_format(e->inherited_object_type, text);
			sddl_buf_add(b, text);
		}
		sddl_buf_add(b, ";");
	} else
		sddl_buf_add(b, ";;");
	sddl_buf_sid(b, &e->sid);
	sddl_buf_add(b, ")");
}

/*
 * Render sd as SDDL: "O:sid G:sid D:<flags>(ace)(ace)" without the
 * spaces.  An absent DACL has no "D:" part, a NULL DACL is
 * "D:NO_ACCESS_CONTROL" and an empty one "D:" with nothing after it.
 * Returns a new string; free it with free().
 */
char *
sddl_format(const struct sd *sd)
{
	struct sddl_buf b = { NULL, 0, 0 };
	size_t i;

	sddl_buf_add(&b, "");
	if (sd == NULL)
		return b.p;
	if (sd->has_owner) {
		sddl_buf_add(&b, "O:");
		sddl_buf_sid(&b, &sd->owner);
	}
	if (sd->has_group) {
		sddl_buf_add(&b, "G:");
		sddl_buf_sid(&b, &sd->group);
	}
	if (sd->dacl == SD_DACL_ABSENT)
		return b.p;
	sddl_buf_add(&b, "D:");
	for (i = 0; i < SDDL_NITEMS(sddl_acl_flags); i++)
		if (sd->control & sddl_acl_flags[i].value)
			sddl_buf_add(&b, sddl_acl_flags[i].code);
	if (sd->dacl == SD_DACL_NULL) {
		sddl_buf_add(&b, "NO_ACCESS_CONTROL");
		return b.p;
	}
	for (i = 0; i < sd->nace; i++)
		sddl_buf_ace(&b, &sd->aces[i]);
	return b.p;
}

/* ------------------------------------------------------------------ */
/* Encoding. */

/* The text being encoded and where the reading is. */
struct sddl_in {
	const char	*s;
	size_t		 pos;
	struct mx_err	*err;
};

static int	sddl_fail(struct sddl_in *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

/* Refuse the input, quoting it from column at. */
static int
sddl_fail(struct sddl_in *in, size_t at, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	size_t n = strlen(in->s + at);
	int q = n > SDDL_SNIPPET_MAX ? SDDL_SNIPPET_MAX : (int)n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return mx_err_set(in->err, MX_ERR_INPUT, "SDDL",
	    "column %zu: %s at \"%.*s%s\"", at + 1, msg, q, in->s + at,
	    n > SDDL_SNIPPET_MAX ? "..." : "");
}

/* Look up the n characters at s in table. */
static const struct sddl_code *
sddl_lookup(const struct sddl_code *table, size_t count, const char *s,
    size_t n)
{
	size_t i;

	/* strncmp, not memcmp: s may end before n characters. */
	for (i = 0; i < count; i++)
		if (strlen(table[i].code) == n &&
		    strncmp(table[i].code, s, n) == 0)
			return &table[i];
	return NULL;
}

/* "0x" and 1 to maxdigits hex digits, exactly n characters. */
static int
sddl_hex(const char *s, size_t n, size_t maxdigits, uint32_t *v)
{
	size_t i;
	uint32_t x = 0;
	char ch;

	if (n < 3 || n > 2 + maxdigits || s[0] != '0' ||
	    (s[1] != 'x' && s[1] != 'X'))
		return -1;
	for (i = 2; i < n; i++) {
		ch = s[i];
		if (ch >= '0' && ch <= '9')
			x = x << 4 | (uint32_t)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			x = x << 4 | (uint32_t)(ch - 'a' + 10);
		else if (ch >= 'A' && ch <= 'F')
			x = x << 4 | (uint32_t)(ch - 'A' + 10);
		else
			return -1;
	}
	*v = x;
	return 0;
}

/* A concatenation of two-letter codes, or hex; what names it in errors. */
static int
sddl_codes(struct sddl_in *in, size_t at, size_t n,
    const struct sddl_code *table, size_t count, size_t maxdigits,
    const char *what, uint32_t *v)
{
	const struct sddl_code *c;
	const char *s = in->s + at;
	size_t i;

	*v = 0;
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (sddl_hex(s, n, maxdigits, v) == -1)
			return sddl_fail(in, at, "bad hexadecimal %s", what);
		return 0;
	}
	for (i = 0; i < n; i += 2) {
		if (n - i < 2 ||
		    (c = sddl_lookup(table, count, s + i, 2)) == NULL)
			return sddl_fail(in, at + i, "unknown %s \"%.*s\"",
			    what, n - i < 2 ? 1 : 2, s + i);
		*v |= c->value;
	}
	return 0;
}

/* A SID alias or S-1-... text of n characters at column at. */
static int
sddl_sid(struct sddl_in *in, size_t at, size_t n, struct sd_sid *sid)
{
	const char *s = in->s + at;
	char text[SD_SID_TEXT_MAX];
	size_t i;

	if (n == 0)
		return sddl_fail(in, at, "missing SID");
	if (n == 2) {
		for (i = 0; i < SDDL_NITEMS(sddl_aliases); i++)
			if (memcmp(s, sddl_aliases[i].code, 2) == 0) {
				if (sd_sid_from_text(sddl_aliases[i].sid,
				    sid) == -1)
					return mx_err_set(in->err,
					    MX_ERR_INTERNAL, "SDDL",
					    "bad alias table entry %s",
					    sddl_aliases[i].code);
				return 0;
			}
		for (i = 0; i < SDDL_NITEMS(sddl_domain_aliases); i++)
			if (memcmp(s, sddl_domain_aliases[i], 2) == 0)
				return sddl_fail(in, at, "SID alias %.2s "
				    "depends on the domain; write the full "
				    "S-1-5-21-... SID", s);
		return sddl_fail(in, at, "unknown SID alias \"%.2s\"", s);
	}
	if (n >= sizeof(text))
		return sddl_fail(in, at, "SID longer than %zu characters",
		    sizeof(text) - 1);
	memcpy(text, s, n);
	text[n] = '\0';
	if (sd_sid_from_text(text, sid) == -1)
		return sddl_fail(in, at, "bad SID \"%s\"", text);
	return 0;
}

static int
sddl_guid(struct sddl_in *in, size_t at, size_t n, uint8_t g[16])
{
	char text[SD_GUID_TEXT_MAX];

	if (n != SD_GUID_TEXT_MAX - 1)
		return sddl_fail(in, at, "a GUID has 36 characters, not %zu",
		    n);
	memcpy(text, in->s + at, n);
	text[n] = '\0';
	if (sd_guid_parse(text, g) == -1)
		return sddl_fail(in, at, "bad GUID \"%s\"", text);
	return 0;
}

/* ACE type: a code, or hex for a type this module does not decode. */
static int
sddl_ace_type(struct sddl_in *in, size_t at, size_t n, struct sd_ace *e)
{
	const struct sddl_code *c;
	uint32_t v;
	size_t i;

	if ((c = sddl_lookup(sddl_ace_types, SDDL_NITEMS(sddl_ace_types),
	    in->s + at, n)) != NULL) {
		e->type = (uint8_t)c->value;
		e->known = 1;
		return 0;
	}
	if (sddl_hex(in->s + at, n, 2, &v) == -1)
		return sddl_fail(in, at, "unsupported ACE type \"%.*s\" "
		    "(A, D, OA, OD, AU, OU or 0x.. are read)", (int)n,
		    in->s + at);
	for (i = 0; i < SDDL_NITEMS(sddl_ace_types); i++)
		if (sddl_ace_types[i].value == v)
			return sddl_fail(in, at, "ACE type 0x%02lx has the "
			    "code %s", (unsigned long)v,
			    sddl_ace_types[i].code);
	e->type = (uint8_t)v;
	e->known = 0;
	return 0;
}

/*
 * One "(type;flags;rights;guid;inherit-guid;sid)" starting at in->pos
 * (on the parenthesis).
 */
static int
sddl_ace(struct sddl_in *in, struct sd_ace *e)
{
	size_t start[6], len[6], nf = 0, i = in->pos + 1, open = in->pos;
	uint32_t v;

	memset(e, 0, sizeof(*e));
	start[0] = i;
	for (;; i++) {
		char ch = in->s[i];

		if (ch == '\0')
			return sddl_fail(in, open, "ACE without ')'");
		if (ch == '(')
			return sddl_fail(in, i, "'(' inside an ACE "
			    "(conditional and resource ACEs are not read)");
		if (ch != ';' && ch != ')')
			continue;
		if (nf == 6)
			return sddl_fail(in, open, "ACE with more than 6 "
			    "fields");
		len[nf] = i - start[nf];
		nf++;
		if (ch == ')')
			break;
		if (nf < 6)
			start[nf] = i + 1;
	}
	if (nf != 6)
		return sddl_fail(in, open, "ACE with %zu fields instead of 6",
		    nf);
	in->pos = i + 1;
	if (sddl_ace_type(in, start[0], len[0], e) == -1 ||
	    sddl_codes(in, start[1], len[1], sddl_ace_flags,
	    SDDL_NITEMS(sddl_ace_flags), 2, "ACE flag", &v) == -1)
		return -1;
	e->flags = (uint8_t)v;
	if (!e->known) {
		for (i = 2; i < 6; i++)
			if (len[i] != 0)
				return sddl_fail(in, start[i], "an ACE of type "
				    "0x%02x has only flags", e->type);
		return 0;
	}
	if (sddl_codes(in, start[2], len[2], sddl_rights,
	    SDDL_NITEMS(sddl_rights), 8, "right", &e->mask) == -1)
		return -1;
	if (!sddl_is_object(e->type) && (len[3] != 0 || len[4] != 0))
		return sddl_fail(in, len[3] != 0 ? start[3] : start[4],
		    "only object ACEs (OA, OD, OU) take GUIDs");
	if (len[3] != 0) {
		if (sddl_guid(in, start[3], len[3], e->object_type) == -1)
			return -1;
		e->object_flags |= SD_OBJECT_TYPE_PRESENT;
	}
	if (len[4] != 0) {
		if (sddl_guid(in, start[4], len[4],
		    e->inherited_object_type) == -1)
			return -1;
		e->object_flags |= SD_INHERITED_OBJECT_TYPE_PRESENT;
	}
	return sddl_sid(in, start[5], len[5], &e->sid);
}

/* Is column i the start of a section ("O:", "G:", "D:", "S:")? */
static int
sddl_at_section(const struct sddl_in *in, size_t i)
{
	char ch = in->s[i];

	return (ch == 'O' || ch == 'G' || ch == 'D' || ch == 'S') &&
	    in->s[i + 1] == ':';
}

/* The SID of "O:" or "G:": up to the next section or the end. */
static int
sddl_owner(struct sddl_in *in, struct sd_sid *sid)
{
	size_t at = in->pos;

	while (in->s[in->pos] != '\0' && !sddl_at_section(in, in->pos))
		in->pos++;
	return sddl_sid(in, at, in->pos - at, sid);
}

/* "D:" flags and ACEs, into sd; in->pos is after the colon. */
static int
sddl_dacl(struct sddl_in *in, struct sd *sd, size_t *cap)
{
	static const char noacl[] = "NO_ACCESS_CONTROL";
	const struct sddl_code *c;
	size_t i;
	int null = 0;

	sd->control |= SD_CONTROL_DACL_PRESENT;
	sd->dacl = SD_DACL_LIST;
	for (;;) {
		if (strncmp(in->s + in->pos, noacl, sizeof(noacl) - 1) == 0) {
			null = 1;
			in->pos += sizeof(noacl) - 1;
			continue;
		}
		c = NULL;
		for (i = 2; i >= 1 && c == NULL; i--)
			c = sddl_lookup(sddl_acl_flags,
			    SDDL_NITEMS(sddl_acl_flags), in->s + in->pos, i);
		if (c == NULL || sddl_at_section(in, in->pos))
			break;
		sd->control |= (uint16_t)c->value;
		in->pos += strlen(c->code);
	}
	if (null)
		sd->dacl = SD_DACL_NULL;
	while (in->s[in->pos] == '(') {
		if (null)
			return sddl_fail(in, in->pos, "ACEs in a "
			    "NO_ACCESS_CONTROL DACL");
		if (sd->nace == *cap) {
			if (*cap * SDDL_UNKNOWN_ACE_SIZE >= SDDL_ACL_SIZE_MAX)
				return sddl_fail(in, in->pos, "more ACEs than "
				    "an ACL can hold");
			*cap = *cap != 0 ? *cap * 2 : 16;
			sd->aces = xreallocarray(sd->aces, *cap,
			    sizeof(*sd->aces));
		}
		if (sddl_ace(in, &sd->aces[sd->nace]) == -1)
			return -1;
		sd->nace++;
	}
	if (in->s[in->pos] != '\0' && !sddl_at_section(in, in->pos))
		return sddl_fail(in, in->pos, "expected an ACE, a DACL flag "
		    "(P, AI, AR, NO_ACCESS_CONTROL) or the next section");
	return 0;
}

/* Read the whole text into sd (ACEs included). */
static int
sddl_read(struct sddl_in *in, struct sd *sd)
{
	size_t cap = 0, at;
	int seen_o = 0, seen_g = 0, seen_d = 0;
	char ch;

	sd->revision = 1;
	sd->control = SD_CONTROL_SELF_RELATIVE;
	while (in->s[in->pos] != '\0') {
		at = in->pos;
		if (!sddl_at_section(in, at))
			return sddl_fail(in, at, "expected O:, G: or D:");
		ch = in->s[at];
		in->pos += 2;
		if ((ch == 'O' && seen_o++) || (ch == 'G' && seen_g++) ||
		    (ch == 'D' && seen_d++))
			return sddl_fail(in, at, "second %c: section", ch);
		if (ch == 'S')
			return sddl_fail(in, at, "SACLs are not encoded");
		if (ch == 'O') {
			if (sddl_owner(in, &sd->owner) == -1)
				return -1;
			sd->has_owner = 1;
		} else if (ch == 'G') {
			if (sddl_owner(in, &sd->group) == -1)
				return -1;
			sd->has_group = 1;
		} else if (sddl_dacl(in, sd, &cap) == -1)
			return -1;
	}
	return 0;
}

static size_t
sddl_ace_size(const struct sd_ace *e)
{
	size_t n = 4 + 4;

	if (!e->known)
		return SDDL_UNKNOWN_ACE_SIZE;
	if (sddl_is_object(e->type)) {
		n += 4;
		if (e->object_flags & SD_OBJECT_TYPE_PRESENT)
			n += 16;
		if (e->object_flags & SD_INHERITED_OBJECT_TYPE_PRESENT)
			n += 16;
	}
	return n + 8 + 4 * (size_t)e->sid.count;
}

static void
sddl_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
sddl_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Write one ACE at p; returns its size. */
static size_t
sddl_put_ace(uint8_t *p, const struct sd_ace *e)
{
	size_t n = sddl_ace_size(e), o = 4;

	p[0] = e->type;
	p[1] = e->flags;
	sddl_put16(p + 2, (uint16_t)n);
	if (!e->known) {
		sddl_put32(p + 4, 0);
		return n;
	}
	sddl_put32(p + o, e->mask);
	o += 4;
	if (sddl_is_object(e->type)) {
		sddl_put32(p + o, e->object_flags);
		o += 4;
		if (e->object_flags & SD_OBJECT_TYPE_PRESENT) {
			memcpy(p + o, e->object_type, 16);
			o += 16;
		}
		if (e->object_flags & SD_INHERITED_OBJECT_TYPE_PRESENT) {
			memcpy(p + o, e->inherited_object_type, 16);
			o += 16;
		}
	}
	sd_sid_encode(&e->sid, p + o);
	return n;
}

/* Lay sd out as a self-relative descriptor: header, DACL, owner, group. */
static int
sddl_write(struct sddl_in *in, const struct sd *sd, uint8_t **out,
    size_t *outlen)
{
	uint8_t *p, owner[68], group[68];
	size_t acl = 0, nown = 0, ngrp = 0, total, o, i;
	int object = 0;

	if (sd->dacl == SD_DACL_LIST) {
		acl = 8;
		for (i = 0; i < sd->nace; i++) {
			acl += sddl_ace_size(&sd->aces[i]);
			if (sd->aces[i].known &&
			    sddl_is_object(sd->aces[i].type))
				object = 1;
		}
		if (acl > SDDL_ACL_SIZE_MAX)
			return mx_err_set(in->err, MX_ERR_INPUT, "SDDL",
			    "the DACL would take %zu bytes; an ACL holds at "
			    "most %d", acl, SDDL_ACL_SIZE_MAX);
	}
	if (sd->has_owner)
		nown = sd_sid_encode(&sd->owner, owner);
	if (sd->has_group)
		ngrp = sd_sid_encode(&sd->group, group);
	total = 20 + acl + nown + ngrp;
	p = xcalloc(total, 1);
	p[0] = sd->revision;
	sddl_put16(p + 2, sd->control);
	o = 20;
	if (acl != 0) {
		sddl_put32(p + 16, (uint32_t)o);
		/* ACL_REVISION_DS when object ACEs are present. */
		p[o] = object ? 4 : 2;
		sddl_put16(p + o + 2, (uint16_t)acl);
		sddl_put16(p + o + 4, (uint16_t)sd->nace);
		o += 8;
		for (i = 0; i < sd->nace; i++)
			o += sddl_put_ace(p + o, &sd->aces[i]);
	}
	if (nown != 0) {
		sddl_put32(p + 4, (uint32_t)o);
		memcpy(p + o, owner, nown);
		o += nown;
	}
	if (ngrp != 0) {
		sddl_put32(p + 8, (uint32_t)o);
		memcpy(p + o, group, ngrp);
		o += ngrp;
	}
	*out = p;
	*outlen = o;
	return 0;
}

/*
 * Encode SDDL text into a self-relative descriptor.  Returns 0 with *out
 * (free it with free()) and *len set, or -1 with MX_ERR_INPUT, a where of
 * "SDDL" and a message giving the column and quoting the text there.
 * Borrows text for the call.
 */
int
sddl_encode(const char *text, uint8_t **out, size_t *len, struct mx_err *err)
{
	struct sddl_in in;
	struct sd sd;
	int rc;

	*out = NULL;
	*len = 0;
	if (text == NULL)
		return mx_err_set(err, MX_ERR_INPUT, "SDDL", "no SDDL text");
	memset(&sd, 0, sizeof(sd));
	in.s = text;
	in.pos = 0;
	in.err = err;
	rc = sddl_read(&in, &sd);
	if (rc == 0)
		rc = sddl_write(&in, &sd, out, len);
	sd_free(&sd);
	return rc;
}
