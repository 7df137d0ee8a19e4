/*
 * import_clixml.c - Export-Clixml files of Get-ReceiveConnector,
 * Get-ADPermission, Get-AcceptedDomain and Get-ExchangeServer into the
 * topology model.
 *
 * Implements the reading side of the PowerShell serialisation format,
 * [MS-PSRP] 2.2.5, as Export-Clixml writes it: a root <Objs> of <Obj>
 * elements, each with its type names (<TN RefId>, reused later through
 * <TNRef RefId>), a <ToString>, adapted properties in <Props> and extended
 * ones in <MS>; typed members (<S>, <B>, <I32>, <Nil>...) named by their N
 * attribute; collections (<LST>, <IE>, <QUE>, <STK>, <DCT>); and <Ref
 * RefId> to an object serialised earlier in the same document.  Strings
 * are decoded as [MS-PSRP] 2.2.5.3.2 says (_xHHHH_ escapes).
 *
 * The import makes two passes over the parsed document.  The first checks
 * the whole document against the bounds of bounds.h and every reference
 * (unknown, duplicate and forward RefIds are refused), so that the second,
 * which maps the objects of known types to the model, never meets a
 * dangling reference; a Ref to an enclosing object is not followed, and
 * the elements reached through Refs are counted (import_clixml_resolve).  Objects are recognised by their type
 * names only, with or without the "Deserialized." prefix of remote
 * sessions; other objects and unknown properties are ignored.  Everything
 * is written into a scratch model that is merged into the caller's only
 * when the whole file was read, so a refused file changes nothing.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/hash.h>
#include <libxml/tree.h>

#include "bounds.h"
#include "err.h"
#include "import_clixml.h"
#include "log.h"
#include "model.h"
#include "util.h"
#include "xml.h"

/* Element nesting accepted in a CLIXML document, as xml_parse does. */
#define IMPORT_CLIXML_ELEMENTS_DEEP	(XML_DEPTH_MAX + CLIXML_DEPTH_MAX)
/* RDNs of a distinguished name looked at (Exchange's have about 12). */
#define IMPORT_CLIXML_RDN_MAX		32
#define IMPORT_CLIXML_DESERIALIZED	"Deserialized."

/* Which lookup budget ran out (struct import_clixml's over). */
#define IMPORT_CLIXML_OVER_STEPS	1	/* CLIXML_STEPS_MAX */
#define IMPORT_CLIXML_OVER_REFS		2	/* CLIXML_REF_ELEMENTS_MIN */

enum import_clixml_type {
	IMPORT_CLIXML_RECEIVE_CONNECTOR,
	IMPORT_CLIXML_AD_PERMISSION,
	IMPORT_CLIXML_ACCEPTED_DOMAIN,
	IMPORT_CLIXML_EXCHANGE_SERVER,
	IMPORT_CLIXML_TYPE_COUNT
};

/* The .NET type behind each cmdlet's output, and its short name. */
static const struct {
	const char	*type;
	const char	*label;
} import_clixml_types[IMPORT_CLIXML_TYPE_COUNT] = {
	[IMPORT_CLIXML_RECEIVE_CONNECTOR] = {
	    "Microsoft.Exchange.Data.Directory.SystemConfiguration."
	    "ReceiveConnector", "ReceiveConnector" },
	[IMPORT_CLIXML_AD_PERMISSION] = {
	    "Microsoft.Exchange.Management.RecipientTasks."
	    "ADAcePresentationObject", "ADPermission" },
	[IMPORT_CLIXML_ACCEPTED_DOMAIN] = {
	    "Microsoft.Exchange.Data.Directory.SystemConfiguration."
	    "AcceptedDomain", "AcceptedDomain" },
	[IMPORT_CLIXML_EXCHANGE_SERVER] = {
	    "Microsoft.Exchange.Data.Directory.Management.ExchangeServer",
	    "ExchangeServer" },
};

/* How a property becomes a model attribute. */
enum import_clixml_kind {
	IMPORT_CLIXML_TEXT,	/* the value as it is */
	IMPORT_CLIXML_BOOL,	/* true / false */
	IMPORT_CLIXML_LIMIT,	/* a number or "unlimited" */
	IMPORT_CLIXML_BYTES,	/* "36 MB (37,748,736 bytes)" or "unlimited" */
	IMPORT_CLIXML_VERSION,	/* "Version 15.2 (Build 1118.7)" */
	IMPORT_CLIXML_LEAF	/* last element of a "a/b/c" path */
};

struct import_clixml_attr {
	const char		*prop;
	const char		*attr;
	enum import_clixml_kind	 kind;
	size_t			 max;	/* bytes the model accepts */
};

#define IMPORT_CLIXML_NAME	NAME_MAX_LEN
#define IMPORT_CLIXML_ANY	CLIXML_VALUE_MAX

static const struct import_clixml_attr import_clixml_connector_attrs[] = {
	{ "TransportRole", "role", IMPORT_CLIXML_TEXT, IMPORT_CLIXML_NAME },
	{ "Enabled", "enabled", IMPORT_CLIXML_BOOL, IMPORT_CLIXML_NAME },
	{ "Fqdn", "fqdn", IMPORT_CLIXML_TEXT, IMPORT_CLIXML_ANY },
	{ "Banner", "banner", IMPORT_CLIXML_TEXT, IMPORT_CLIXML_ANY },
	{ "TlsCertificateName", "tls-certificate-name", IMPORT_CLIXML_TEXT,
	    IMPORT_CLIXML_ANY },
	{ "ProtocolLoggingLevel", "protocol-logging", IMPORT_CLIXML_TEXT,
	    IMPORT_CLIXML_NAME },
	{ "RequireTLS", "require-tls", IMPORT_CLIXML_BOOL,
	    IMPORT_CLIXML_NAME },
	{ "MaxMessageSize", "max-message-size", IMPORT_CLIXML_BYTES,
	    IMPORT_CLIXML_NAME },
	{ "MessageRateLimit", "message-rate-limit", IMPORT_CLIXML_LIMIT,
	    IMPORT_CLIXML_NAME },
	{ "MaxInboundConnection", "max-inbound-connection",
	    IMPORT_CLIXML_LIMIT, IMPORT_CLIXML_NAME },
	{ "MaxInboundConnectionPerSource",
	    "max-inbound-connection-per-source", IMPORT_CLIXML_LIMIT,
	    IMPORT_CLIXML_NAME },
	{ "MaxRecipientsPerMessage", "max-recipients-per-message",
	    IMPORT_CLIXML_LIMIT, IMPORT_CLIXML_NAME },
	{ "DistinguishedName", "distinguished-name", IMPORT_CLIXML_TEXT,
	    IMPORT_CLIXML_ANY },
	{ NULL, NULL, IMPORT_CLIXML_TEXT, 0 }
};

static const struct import_clixml_attr import_clixml_domain_attrs[] = {
	{ "DomainType", "type", IMPORT_CLIXML_TEXT, IMPORT_CLIXML_NAME },
	{ "Default", "default", IMPORT_CLIXML_BOOL, IMPORT_CLIXML_NAME },
	{ NULL, NULL, IMPORT_CLIXML_TEXT, 0 }
};

static const struct import_clixml_attr import_clixml_server_attrs[] = {
	{ "Fqdn", "fqdn", IMPORT_CLIXML_TEXT, IMPORT_CLIXML_NAME },
	{ "AdminDisplayVersion", "version", IMPORT_CLIXML_VERSION,
	    IMPORT_CLIXML_NAME },
	{ "ServerRole", "roles", IMPORT_CLIXML_TEXT, IMPORT_CLIXML_ANY },
	{ "Edition", "edition", IMPORT_CLIXML_TEXT, IMPORT_CLIXML_ANY },
	{ "Site", "site", IMPORT_CLIXML_LEAF, IMPORT_CLIXML_ANY },
	{ NULL, NULL, IMPORT_CLIXML_TEXT, 0 }
};

/* Elements that structure an object rather than hold a value. */
static const char *const import_clixml_structure[] = {
	"TN", "TNRef", "ToString", "Props", "MS", "LST", "IE", "QUE", "STK",
	"DCT", "Obj", "Ref", "Nil", NULL
};

static const char *const import_clixml_lists[] = {
	"LST", "IE", "QUE", "STK", "DCT", NULL
};

/* One import: the file, the scratch model and the reference tables. */
struct import_clixml {
	const char	*name;		/* file name for messages */
	struct model	*model;		/* scratch model */
	struct mx_err	*err;
	xmlHashTablePtr	 objs;		/* Obj RefId -> element */
	xmlHashTablePtr	 types;		/* TN RefId -> element */
	xmlHashTablePtr	 known;		/* TN RefId -> recognised type + 1 */
	xmlHashTablePtr	 sizes;		/* Obj RefId -> elements it holds */
	unsigned long	 nobjs;		/* <Obj> elements seen */
	unsigned long	 elements;	/* elements of the document */
	unsigned long	 expanded;	/* elements reached through Refs */
	unsigned long	 reads;		/* values read (CLIXML_READS_MAX) */
	size_t		 read_bytes;	/* their bytes (CLIXML_READ_BYTES_MAX) */
	unsigned long	 steps;		/* children looked at in lookups */
	int		 over;		/* a lookup budget was exhausted:
					   IMPORT_CLIXML_OVER_* */
	unsigned long	 imported;	/* objects mapped to the model */
	int		 found[IMPORT_CLIXML_TYPE_COUNT];
	char		 other[256];	/* types of the objects skipped */
	char		 label[128];	/* the object named in messages */
	unsigned long	 foreign_aces;	/* permission entries skipped: not
					   on a receive connector */
	char		 foreign[128];	/* the Identity of the first one */
	char		**strs;		/* values kept until the object ends */
	size_t		 nstrs;
	size_t		 capstrs;
};

/* A distinguished name split into unescaped RDN values. */
struct import_clixml_dn {
	char	*buf;
	char	*value[IMPORT_CLIXML_RDN_MAX];
	int	 n;
};

/* "file:line" of a node, or the file alone. */
static void
import_clixml_where(struct import_clixml *c, xmlNodePtr node, char *buf,
    size_t size)
{
	long line = xml_line(node);

	if (line > 0)
		snprintf(buf, size, "%s:%ld", c->name, line);
	else
		snprintf(buf, size, "%s", c->name);
}

static int
import_clixml_fail(struct import_clixml *c, xmlNodePtr node,
    enum mx_errcode code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
import_clixml_fail(struct import_clixml *c, xmlNodePtr node,
    enum mx_errcode code, const char *fmt, ...)
{
	char where[300], msg[400];
	va_list ap;

	import_clixml_where(c, node, where, sizeof(where));
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* A lookup cut short by a budget may be why we fail: say so. */
	if (c->over == IMPORT_CLIXML_OVER_STEPS) {
		code = MX_ERR_LIMIT;
		snprintf(msg, sizeof(msg), "more than %lu elements looked at, "
		    "references included (CLIXML_STEPS_MAX)",
		    (unsigned long)CLIXML_STEPS_MAX);
	} else if (c->over == IMPORT_CLIXML_OVER_REFS) {
		code = MX_ERR_LIMIT;
		snprintf(msg, sizeof(msg), "<Ref>s repeat more elements (%lu) "
		    "than the file holds (%lu) and over %lu "
		    "(CLIXML_REF_ELEMENTS_MIN)", c->expanded, c->elements,
		    (unsigned long)CLIXML_REF_ELEMENTS_MIN);
	}
	if (c->label[0] != '\0')
		return mx_err_set(c->err, code, where, "object \"%s\": %s",
		    c->label, msg);
	return mx_err_set(c->err, code, where, "%s", msg);
}

/* Keep s (allocated) until the current object is done; returns s. */
static char *
import_clixml_keep(struct import_clixml *c, char *s)
{
	if (c->nstrs == c->capstrs) {
		c->capstrs = c->capstrs ? c->capstrs * 2 : 32;
		c->strs = xreallocarray(c->strs, c->capstrs,
		    sizeof(*c->strs));
	}
	c->strs[c->nstrs++] = s;
	return s;
}

/* Free the values kept since mark (0: all of them). */
static void
import_clixml_release(struct import_clixml *c, size_t mark)
{
	while (c->nstrs > mark)
		free(c->strs[--c->nstrs]);
}

static int
import_clixml_in_ns(xmlNodePtr n)
{
	return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    n->ns->href != NULL &&
	    strcmp((const char *)n->ns->href, CLIXML_NS) == 0;
}

static int
import_clixml_is(xmlNodePtr n, const char *local)
{
	return import_clixml_in_ns(n) &&
	    strcmp((const char *)n->name, local) == 0;
}

static int
import_clixml_is_one_of(xmlNodePtr n, const char *const *names)
{
	size_t i;

	for (i = 0; names[i] != NULL; i++)
		if (import_clixml_is(n, names[i]))
			return 1;
	return 0;
}

/*
 * Count one child looked at by a lookup.  Lookups go through <Ref>s, so a
 * small file could make them walk a large object again and again: past
 * CLIXML_STEPS_MAX they find nothing more and the object fails.
 */
static int
import_clixml_step(struct import_clixml *c)
{
	if (++c->steps > CLIXML_STEPS_MAX && !c->over)
		c->over = IMPORT_CLIXML_OVER_STEPS;
	return !c->over;
}

/*
 * First pass.  Walk every element (depth-bounded), count objects and
 * collection items, register Obj and TN RefIds in document order and
 * check that each TNRef and Ref names one registered before it; count the
 * elements and what each object holds (what following a Ref to it costs).
 */
static int
import_clixml_scan_node(struct import_clixml *c, xmlNodePtr n, int objdepth)
{
	const char *id = xml_attr(n, "RefId");
	xmlNodePtr target;

	if (import_clixml_is(n, "Obj")) {
		if (++c->nobjs > CLIXML_OBJECTS_MAX)
			return import_clixml_fail(c, n, MX_ERR_LIMIT,
			    "more than %d objects (CLIXML_OBJECTS_MAX)",
			    CLIXML_OBJECTS_MAX);
		if (objdepth > CLIXML_DEPTH_MAX)
			return import_clixml_fail(c, n, MX_ERR_LIMIT,
			    "objects nested deeper than %d (CLIXML_DEPTH_MAX)",
			    CLIXML_DEPTH_MAX);
		if (id != NULL && xmlHashAddEntry(c->objs, BAD_CAST id,
		    n) != 0)
			return import_clixml_fail(c, n, MX_ERR_INPUT,
			    "duplicate object RefId \"%.40s\"", id);
	} else if (import_clixml_is(n, "TN")) {
		if (id != NULL && xmlHashAddEntry(c->types, BAD_CAST id,
		    n) != 0)
			return import_clixml_fail(c, n, MX_ERR_INPUT,
			    "duplicate type-name RefId \"%.40s\"", id);
	} else if (import_clixml_is(n, "TNRef")) {
		if (id == NULL || xmlHashLookup(c->types, BAD_CAST id) == NULL)
			return import_clixml_fail(c, n, MX_ERR_INPUT,
			    "TNRef to unknown type names RefId \"%.40s\"",
			    id ? id : "");
	} else if (import_clixml_is(n, "Ref")) {
		if (id == NULL ||
		    (target = xmlHashLookup(c->objs, BAD_CAST id)) == NULL)
			return import_clixml_fail(c, n, MX_ERR_INPUT,
			    "Ref to unknown object RefId \"%.40s\"",
			    id ? id : "");
	}
	return 0;
}

static int
import_clixml_scan(struct import_clixml *c, xmlNodePtr parent, int depth,
    int objdepth)
{
	unsigned long items = 0;
	int list = import_clixml_is_one_of(parent, import_clixml_lists);
	unsigned long before;
	const char *id;
	xmlNodePtr n;
	int d;

	for (n = parent->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (list && ++items > CLIXML_LIST_MAX)
			return import_clixml_fail(c, n, MX_ERR_LIMIT,
			    "collection of more than %d items "
			    "(CLIXML_LIST_MAX)", CLIXML_LIST_MAX);
		if (depth >= IMPORT_CLIXML_ELEMENTS_DEEP)
			return import_clixml_fail(c, n, MX_ERR_LIMIT,
			    "elements nested deeper than %d (XML_DEPTH_MAX)",
			    IMPORT_CLIXML_ELEMENTS_DEEP);
		d = objdepth + (import_clixml_is(n, "Obj") ? 1 : 0);
		before = c->elements++;
		if (import_clixml_scan_node(c, n, d) == -1 ||
		    import_clixml_scan(c, n, depth + 1, d) == -1)
			return -1;
		/* What following a Ref to this object costs. */
		if (import_clixml_is(n, "Obj") &&
		    (id = xml_attr(n, "RefId")) != NULL &&
		    xmlHashAddEntry(c->sizes, BAD_CAST id,
		    (void *)(uintptr_t)(c->elements - before)) != 0)
			return import_clixml_fail(c, n, MX_ERR_INTERNAL,
			    "out of memory");
	}
	return 0;
}

/*
 * The object a Ref stands for (checked by the first pass), else n.
 *
 * A Ref to an object that encloses it stands for nothing: PowerShell
 * writes one where an object refers to itself (a type whose
 * UnderlyingSystemType is itself), and following it would loop.
 *
 * Each Ref followed costs the elements of its object: a small file could
 * otherwise name one large list from every connector and fill the model
 * with copies.  Elements reached through Refs may add up to as many as
 * the file holds, or to CLIXML_REF_ELEMENTS_MIN in a small file; past
 * that, Refs resolve to nothing and the object fails (over).
 */
static xmlNodePtr
import_clixml_resolve(struct import_clixml *c, xmlNodePtr n)
{
	unsigned long size, max;
	const char *id;
	xmlNodePtr target, p;

	if (!import_clixml_is(n, "Ref"))
		return n;
	id = xml_attr(n, "RefId");
	target = id ? xmlHashLookup(c->objs, BAD_CAST id) : NULL;
	if (target == NULL || c->over)
		return NULL;
	for (p = n->parent; p != NULL; p = p->parent)
		if (p == target) {
			log_debug(LOG_IMPORT, "%s:%ld: Ref to the enclosing "
			    "object RefId \"%.40s\" not followed", c->name,
			    xml_line(n), id);
			return NULL;
		}
	size = (unsigned long)(uintptr_t)xmlHashLookup(c->sizes, BAD_CAST id);
	max = c->elements > CLIXML_REF_ELEMENTS_MIN ? c->elements :
	    CLIXML_REF_ELEMENTS_MIN;
	if (size > max - c->expanded) {
		c->expanded += size;
		c->over = IMPORT_CLIXML_OVER_REFS;
		return NULL;
	}
	c->expanded += size;
	return target;
}

static int
import_clixml_xml_char(uint32_t cp)
{
	return cp == 0x9 || cp == 0xA || cp == 0xD ||
	    (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
	    (cp >= 0x10000 && cp <= 0x10FFFF);
}

static int
import_clixml_hex(char h)
{
	if (h >= '0' && h <= '9')
		return h - '0';
	if (h >= 'a' && h <= 'f')
		return h - 'a' + 10;
	if (h >= 'A' && h <= 'F')
		return h - 'A' + 10;
	return -1;
}

/* An escape "_xHHHH_" at s: its code unit, or -1. */
static long
import_clixml_escape_at(const char *s)
{
	long v = 0;
	int i;

	if (s[0] != '_' || s[1] != 'x')
		return -1;
	for (i = 2; i < 6; i++) {
		if (import_clixml_hex(s[i]) == -1)
			return -1;
		v = v << 4 | import_clixml_hex(s[i]);
	}
	return s[6] == '_' ? v : -1;
}

static size_t
import_clixml_utf8(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Decode [MS-PSRP] 2.2.5.3.2 escapes in place into out (at least as long
 * as raw).  A surrogate pair written as two escapes becomes one character;
 * a code point XML 1.0 cannot hold (control characters, lone surrogates)
 * stays as its literal escape text, since the model is XML too.
 */
static size_t
import_clixml_decode(const char *raw, char *out)
{
	size_t len = 0;
	long hi, lo;

	while (*raw != '\0') {
		hi = import_clixml_escape_at(raw);
		if (hi == -1) {
			out[len++] = *raw++;
			continue;
		}
		if (hi >= 0xD800 && hi <= 0xDBFF &&
		    (lo = import_clixml_escape_at(raw + 7)) >= 0xDC00 &&
		    lo <= 0xDFFF) {
			len += import_clixml_utf8(0x10000 +
			    (((uint32_t)hi - 0xD800) << 10) +
			    ((uint32_t)lo - 0xDC00), out + len);
			raw += 14;
		} else if (import_clixml_xml_char((uint32_t)hi)) {
			len += import_clixml_utf8((uint32_t)hi, out + len);
			raw += 7;
		} else {
			memcpy(out + len, raw, 7);
			len += 7;
			raw += 7;
		}
	}
	out[len] = '\0';
	return len;
}

static int
import_clixml_is_text(xmlNodePtr t)
{
	return t->content != NULL && (t->type == XML_TEXT_NODE ||
	    t->type == XML_CDATA_SECTION_NODE);
}

/*
 * The decoded text of an element, kept by c.  Over CLIXML_VALUE_MAX
 * decoded bytes is MX_ERR_LIMIT.
 */
static int
import_clixml_text(struct import_clixml *c, xmlNodePtr n, const char **out)
{
	size_t raw = 0, len;
	xmlNodePtr t;
	char *content, *s;

	/*
	 * Only the element's own text counts: a value element has no child
	 * elements, and text hidden in one must not escape the budgets.
	 */
	*out = NULL;
	for (t = n->children; t != NULL; t = t->next)
		if (import_clixml_is_text(t))
			raw += strlen((const char *)t->content);
	/* Decoding shrinks at most 7 to 1 (_x0041_): surely too long. */
	if (raw / 7 > CLIXML_VALUE_MAX)
		goto toolong;
	if (++c->reads > CLIXML_READS_MAX)
		return import_clixml_fail(c, n, MX_ERR_LIMIT,
		    "more than %d values read, references included "
		    "(CLIXML_READS_MAX)", CLIXML_READS_MAX);
	if ((c->read_bytes += raw) > CLIXML_READ_BYTES_MAX)
		return import_clixml_fail(c, n, MX_ERR_LIMIT,
		    "more than %u bytes of values read, references included "
		    "(CLIXML_READ_BYTES_MAX)", CLIXML_READ_BYTES_MAX);
	content = xmalloc(raw + 1);
	len = 0;
	for (t = n->children; t != NULL; t = t->next)
		if (import_clixml_is_text(t)) {
			size_t tlen = strlen((const char *)t->content);

			memcpy(content + len, t->content, tlen);
			len += tlen;
		}
	content[len] = '\0';
	s = xmalloc(len + 1);
	len = import_clixml_decode(content, s);
	free(content);
	import_clixml_keep(c, s);
	if (len > CLIXML_VALUE_MAX)
		goto toolong;
	*out = s;
	return 0;
toolong:
	return import_clixml_fail(c, n, MX_ERR_LIMIT,
	    "value of <%s%s%.40s> longer than %d bytes (CLIXML_VALUE_MAX)",
	    (const char *)n->name, xml_attr(n, "N") ? " N=" : "",
	    xml_attr(n, "N") ? xml_attr(n, "N") : "", CLIXML_VALUE_MAX);
}

/*
 * The text of a member or collection item: a primitive's decoded text, an
 * object's <ToString> (or the primitive it wraps, as enumerations carry
 * <I32>); NULL for <Nil/>, for an object with neither, and for "".
 */
static int
import_clixml_value(struct import_clixml *c, xmlNodePtr n, const char **out)
{
	xmlNodePtr k, text = NULL;

	*out = NULL;
	n = import_clixml_resolve(c, n);
	if (n == NULL || !import_clixml_in_ns(n) || import_clixml_is(n, "Nil"))
		return 0;
	if (import_clixml_is(n, "Obj")) {
		for (k = n->children; k != NULL && text == NULL &&
		    import_clixml_step(c); k = k->next)
			if (import_clixml_is(k, "ToString"))
				text = k;
		for (k = n->children; k != NULL && text == NULL &&
		    import_clixml_step(c); k = k->next)
			if (import_clixml_in_ns(k) &&
			    !import_clixml_is_one_of(k,
			    import_clixml_structure) &&
			    xml_attr(k, "N") == NULL)
				text = k;
		if (text == NULL)
			return 0;
		n = text;
	} else if (import_clixml_is_one_of(n, import_clixml_structure) &&
	    !import_clixml_is(n, "ToString"))
		return 0;
	if (import_clixml_text(c, n, out) == -1)
		return -1;
	if (**out == '\0')
		*out = NULL;
	return 0;
}

/* The member named name of an object (Props first, then MS), resolved. */
static xmlNodePtr
import_clixml_member(struct import_clixml *c, xmlNodePtr obj,
    const char *name)
{
	static const char *const bags[] = { "Props", "MS" };
	xmlNodePtr bag, n;
	const char *nn;
	size_t i;

	if (!import_clixml_is(obj, "Obj"))
		return NULL;
	for (i = 0; i < sizeof(bags) / sizeof(bags[0]); i++)
		for (bag = obj->children; bag != NULL &&
		    import_clixml_step(c); bag = bag->next) {
			if (!import_clixml_is(bag, bags[i]))
				continue;
			for (n = bag->children; n != NULL &&
			    import_clixml_step(c); n = n->next) {
				if (!import_clixml_in_ns(n))
					continue;
				nn = xml_attr(n, "N");
				if (nn != NULL && strcasecmp(nn, name) == 0)
					return import_clixml_resolve(c, n);
			}
		}
	return NULL;
}

static int
import_clixml_prop(struct import_clixml *c, xmlNodePtr obj, const char *name,
    const char **out)
{
	return import_clixml_value(c, import_clixml_member(c, obj, name), out);
}

/* The collection element (LST, IE, QUE, STK) of a member, or NULL. */
static xmlNodePtr
import_clixml_list(struct import_clixml *c, xmlNodePtr member)
{
	xmlNodePtr k;

	if (!import_clixml_is(member, "Obj"))
		return NULL;
	for (k = member->children; k != NULL && import_clixml_step(c);
	    k = k->next)
		if (import_clixml_is_one_of(k, import_clixml_lists) &&
		    !import_clixml_is(k, "DCT"))
			return k;
	return NULL;
}

/* The type-names element of an object: its TN, or the TN its TNRef names. */
static xmlNodePtr
import_clixml_type_names(struct import_clixml *c, xmlNodePtr obj)
{
	const char *id;
	xmlNodePtr k;

	for (k = obj->children; k != NULL && import_clixml_step(c);
	    k = k->next) {
		if (import_clixml_is(k, "TN"))
			return k;
		if (import_clixml_is(k, "TNRef")) {
			id = xml_attr(k, "RefId");
			return id ? xmlHashLookup(c->types, BAD_CAST id) : NULL;
		}
	}
	return NULL;
}

/* Is this type name (without "Deserialized.") one we import? */
static int
import_clixml_type_of(const char *name)
{
	size_t skip = strlen(IMPORT_CLIXML_DESERIALIZED);
	int i;

	if (strncmp(name, IMPORT_CLIXML_DESERIALIZED, skip) == 0)
		name += skip;
	for (i = 0; i < IMPORT_CLIXML_TYPE_COUNT; i++)
		if (strcmp(name, import_clixml_types[i].type) == 0)
			return i;
	return IMPORT_CLIXML_TYPE_COUNT;
}

/*
 * Recognise an object from its type names (any of them, so that derived
 * types match too): the type, or IMPORT_CLIXML_TYPE_COUNT.  The answer is
 * kept per TN RefId, so that a TN named by many TNRefs is read once.
 */
static int
import_clixml_type(struct import_clixml *c, xmlNodePtr obj, int *type)
{
	xmlNodePtr tn, t;
	xmlChar *name;
	const char *id;
	void *known;

	*type = IMPORT_CLIXML_TYPE_COUNT;
	if ((tn = import_clixml_type_names(c, obj)) == NULL)
		return 0;
	id = xml_attr(tn, "RefId");
	if (id != NULL &&
	    (known = xmlHashLookup(c->known, BAD_CAST id)) != NULL) {
		*type = (int)((intptr_t)known - 1);
		return 0;
	}
	for (t = tn->children; t != NULL; t = t->next) {
		if (!import_clixml_is(t, "T"))
			continue;
		if ((name = xmlNodeGetContent(t)) == NULL)
			return import_clixml_fail(c, t, MX_ERR_INTERNAL,
			    "cannot read element text");
		if (xmlStrlen(name) > CLIXML_VALUE_MAX) {
			xmlFree(name);
			return import_clixml_fail(c, t, MX_ERR_LIMIT,
			    "type name longer than %d bytes "
			    "(CLIXML_VALUE_MAX)", CLIXML_VALUE_MAX);
		}
		*type = import_clixml_type_of((const char *)name);
		xmlFree(name);
		if (*type != IMPORT_CLIXML_TYPE_COUNT)
			break;
	}
	if (id != NULL)
		xmlHashAddEntry(c->known, BAD_CAST id,
		    (void *)((intptr_t)*type + 1));
	return 0;
}

/* The first type name of an object, for debug messages (freed by c). */
static const char *
import_clixml_first_type(struct import_clixml *c, xmlNodePtr obj)
{
	xmlNodePtr tn = import_clixml_type_names(c, obj), t;
	xmlChar *name;
	char *copy;

	for (t = tn ? tn->children : NULL; t != NULL; t = t->next)
		if (import_clixml_is(t, "T") &&
		    (name = xmlNodeGetContent(t)) != NULL) {
			copy = xmalloc(128);
			util_strlcpy(copy, (const char *)name, 128);
			xmlFree(name);
			return import_clixml_keep(c, copy);
		}
	return "(none)";
}

/* Name the top-level object in messages by its ToString text. */
static void
import_clixml_set_label(struct import_clixml *c, xmlNodePtr obj,
    unsigned long index)
{
	xmlNodePtr k;
	xmlChar *s = NULL;
	size_t i;

	for (k = obj->children; k != NULL && s == NULL; k = k->next)
		if (import_clixml_is(k, "ToString"))
			s = xmlNodeGetContent(k);
	if (s != NULL && *s != '\0' &&
	    util_strlcpy(c->label, (const char *)s, sizeof(c->label)) >=
	    sizeof(c->label)) {
		/* Cut at a character boundary, not inside a UTF-8 one. */
		i = strlen(c->label);
		while (i > 0 && (s[i] & 0xC0) == 0x80)
			i--;
		c->label[i] = '\0';
	} else if (s == NULL || *s == '\0')
		snprintf(c->label, sizeof(c->label), "#%lu", index);
	xmlFree(s);
	for (i = 0; c->label[i] != '\0'; i++)
		if ((unsigned char)c->label[i] < 0x20)
			c->label[i] = ' ';
}

/* Split a DN into its RDN values ("CN=a\,b,CN=c" gives "a,b", "c"). */
static void
import_clixml_dn_parse(const char *dn, struct import_clixml_dn *d)
{
	const char *p = dn;
	char *o;

	d->buf = xmalloc(strlen(dn) + 1);
	d->n = 0;
	o = d->buf;
	while (*p != '\0' && d->n < IMPORT_CLIXML_RDN_MAX) {
		while (*p == ' ')
			p++;
		while (*p != '\0' && *p != '=' && *p != ',')
			p++;
		if (*p != '=')
			break;
		p++;
		d->value[d->n++] = o;
		for (; *p != '\0' && *p != ','; p++) {
			/* Hex pairs: printable ASCII only, so the value
			 * stays valid UTF-8; others are kept as written. */
			if (*p == '\\' && import_clixml_hex(p[1]) >= 2 &&
			    import_clixml_hex(p[1]) <= 7 &&
			    import_clixml_hex(p[2]) >= 0) {
				*o++ = (char)(import_clixml_hex(p[1]) << 4 |
				    import_clixml_hex(p[2]));
				p += 2;
				continue;
			}
			if (*p == '\\' && p[1] != '\0')
				p++;
			*o++ = *p;
		}
		*o++ = '\0';
		if (*p == ',')
			p++;
	}
}

static int
import_clixml_dn_is(const struct import_clixml_dn *d, int i, const char *v)
{
	return i >= 0 && i < d->n && strcasecmp(d->value[i], v) == 0;
}

/*
 * The organisation named in a configuration DN:
 * ...,CN=<org>,CN=Microsoft Exchange,CN=Services,CN=Configuration,...
 */
static void
import_clixml_organization(struct import_clixml *c, const char *dn)
{
	struct import_clixml_dn d;
	int i;

	if (dn == NULL)
		return;
	import_clixml_dn_parse(dn, &d);
	for (i = 1; i + 1 < d.n; i++)
		if (import_clixml_dn_is(&d, i, "Microsoft Exchange") &&
		    import_clixml_dn_is(&d, i + 1, "Services") &&
		    d.value[i - 1][0] != '\0' &&
		    strlen(d.value[i - 1]) <= NAME_MAX_LEN) {
			model_organization(c->model, d.value[i - 1]);
			break;
		}
	free(d.buf);
}

/*
 * Server and connector of a receive connector's DN:
 * CN=<name>,CN=SMTP Receive Connectors,CN=Protocols,CN=<server>,...
 * Returns 1 and kept copies, or 0 when the DN names something else.
 */
static int
import_clixml_dn_connector(struct import_clixml *c, const char *dn,
    const char **server, const char **name)
{
	struct import_clixml_dn d;
	int found;

	import_clixml_dn_parse(dn, &d);
	found = d.n >= 4 &&
	    import_clixml_dn_is(&d, 1, "SMTP Receive Connectors") &&
	    import_clixml_dn_is(&d, 2, "Protocols") &&
	    d.value[0][0] != '\0' && d.value[3][0] != '\0';
	if (found) {
		*name = import_clixml_keep(c, xstrdup(d.value[0]));
		*server = import_clixml_keep(c, xstrdup(d.value[3]));
	}
	free(d.buf);
	return found;
}

/* "SERVER\Name" into kept copies; 0 when the text has no such form. */
static int
import_clixml_split_identity(struct import_clixml *c, const char *id,
    const char **server, const char **name)
{
	const char *bs = strchr(id, '\\');
	char *s;

	if (bs == NULL || bs == id || bs[1] == '\0')
		return 0;
	s = import_clixml_keep(c, xstrdup(id));
	s[bs - id] = '\0';
	*server = s;
	*name = s + (bs - id) + 1;
	return 1;
}

/*
 * A canonical name ".../Servers/EX01/Protocols/SMTP Receive Connectors/N"
 * into kept copies; 0 when the text has no such form.
 */
static int
import_clixml_canonical_connector(struct import_clixml *c, const char *id,
    const char **server, const char **name)
{
	static const char mark[] = "/Protocols/SMTP Receive Connectors/";
	const char *m = strstr(id, mark), *b;
	char *s;

	if (m == NULL || m == id || m[sizeof(mark) - 1] == '\0')
		return 0;
	for (b = m; b > id && b[-1] != '/'; b--)
		;
	if (b == m)
		return 0;
	s = import_clixml_keep(c, xstrdup(b));
	s[m - b] = '\0';
	*server = s;
	*name = s + (m - b) + sizeof(mark) - 1;
	return 1;
}

/* Check a name before it reaches the model. */
static int
import_clixml_name_ok(struct import_clixml *c, xmlNodePtr obj,
    const char *what, const char *v)
{
	if (strlen(v) > NAME_MAX_LEN)
		return import_clixml_fail(c, obj, MX_ERR_LIMIT,
		    "%s longer than %d bytes (NAME_MAX_LEN)", what,
		    NAME_MAX_LEN);
	return 0;
}

/* "36 MB (37,748,736 bytes)" or "37748736" to a byte count. */
static int
import_clixml_parse_bytes(const char *v, uint64_t *out)
{
	const unsigned char *p;
	uint64_t x = 0;
	int digits = 0;
	struct mx_err e;

	mx_err_init(&e);
	if ((p = (const unsigned char *)strchr(v, '(')) == NULL)
		return parse_u64(v, UINT64_MAX, out, &e, NULL);
	for (p++; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9') {
			if (x > (UINT64_MAX - (*p - '0')) / 10)
				return -1;
			x = x * 10 + (*p - '0');
			digits++;
		} else if (*p == ',' || *p == '.' || *p == ' ' || *p == '\'')
			continue;
		else if (p[0] == 0xC2 && p[1] == 0xA0)
			p++;			/* no-break space */
		else if (p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0xAF)
			p += 2;			/* narrow no-break space */
		else
			break;
	}
	if (digits == 0)
		return -1;
	/* The unit word is localised: accept any letters, then ')'. */
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
		p++;
	if (p[0] != ')' || p[1] != '\0')
		return -1;
	*out = x;
	return 0;
}

static int
import_clixml_number(const char **p, unsigned *out)
{
	unsigned v = 0;
	int n = 0;

	while (**p >= '0' && **p <= '9') {
		if (++n > 9)
			return -1;
		v = v * 10 + (unsigned)(**p - '0');
		(*p)++;
	}
	*out = v;
	return n > 0 ? 0 : -1;
}

/* "Version 15.2 (Build 1118.7)" or "15.2.1118.7" to "15.2.1118.7". */
static int
import_clixml_parse_version(const char *v, char *out, size_t size)
{
	unsigned n[4];
	const char *p = v;

	if (strncmp(p, "Version ", 8) == 0) {
		p += 8;
		if (import_clixml_number(&p, &n[0]) == -1 || *p++ != '.' ||
		    import_clixml_number(&p, &n[1]) == -1 ||
		    strncmp(p, " (Build ", 8) != 0)
			return -1;
		p += 8;
		if (import_clixml_number(&p, &n[2]) == -1 || *p++ != '.' ||
		    import_clixml_number(&p, &n[3]) == -1 ||
		    strcmp(p, ")") != 0)
			return -1;
	} else if (import_clixml_number(&p, &n[0]) == -1 || *p++ != '.' ||
	    import_clixml_number(&p, &n[1]) == -1 || *p++ != '.' ||
	    import_clixml_number(&p, &n[2]) == -1 || *p++ != '.' ||
	    import_clixml_number(&p, &n[3]) == -1 || *p != '\0')
		return -1;
	snprintf(out, size, "%u.%u.%u.%u", n[0], n[1], n[2], n[3]);
	return 0;
}

/* Normalise one property value of the given kind into a kept string. */
static int
import_clixml_convert(struct import_clixml *c, xmlNodePtr member,
    const struct import_clixml_attr *a, const char **v)
{
	const char *slash;
	char buf[64];
	uint64_t x;
	struct mx_err e;

	switch (a->kind) {
	case IMPORT_CLIXML_TEXT:
		return 0;
	case IMPORT_CLIXML_BOOL:
		if (strcasecmp(*v, "true") == 0)
			*v = "true";
		else if (strcasecmp(*v, "false") == 0)
			*v = "false";
		else
			return import_clixml_fail(c, member, MX_ERR_INPUT,
			    "%s is not a boolean: \"%.40s\"", a->prop, *v);
		return 0;
	case IMPORT_CLIXML_LIMIT:
	case IMPORT_CLIXML_BYTES:
		if (strcasecmp(*v, "unlimited") == 0) {
			*v = "unlimited";
			return 0;
		}
		mx_err_init(&e);
		if ((a->kind == IMPORT_CLIXML_LIMIT ?
		    parse_u64(*v, UINT64_MAX, &x, &e, NULL) :
		    import_clixml_parse_bytes(*v, &x)) == -1)
			return import_clixml_fail(c, member, MX_ERR_INPUT,
			    "%s is neither a number nor Unlimited: \"%.40s\"",
			    a->prop, *v);
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)x);
		*v = import_clixml_keep(c, xstrdup(buf));
		return 0;
	case IMPORT_CLIXML_VERSION:
		if (import_clixml_parse_version(*v, buf, sizeof(buf)) == -1)
			return import_clixml_fail(c, member, MX_ERR_INPUT,
			    "%s is not an Exchange version: \"%.60s\"",
			    a->prop, *v);
		*v = import_clixml_keep(c, xstrdup(buf));
		return 0;
	case IMPORT_CLIXML_LEAF:
		if ((slash = strrchr(*v, '/')) != NULL && slash[1] != '\0')
			*v = slash + 1;
		return 0;
	}
	return 0;
}

/* Set the attributes of a table from the object's properties. */
static int
import_clixml_attrs(struct import_clixml *c, xmlNodePtr obj, xmlNodePtr node,
    const struct import_clixml_attr *attrs)
{
	const struct import_clixml_attr *a;
	xmlNodePtr member;
	const char *v;

	for (a = attrs; a->prop != NULL; a++) {
		member = import_clixml_member(c, obj, a->prop);
		if (import_clixml_value(c, member, &v) == -1)
			return -1;
		if (v == NULL)
			continue;
		if (import_clixml_convert(c, member, a, &v) == -1)
			return -1;
		if (strlen(v) > a->max)
			return import_clixml_fail(c, member, MX_ERR_LIMIT,
			    "%s longer than %zu bytes", a->prop, a->max);
		model_set(node, a->attr, v);
	}
	return 0;
}

/*
 * A binding or remote range that does not parse: the clients that reach
 * the connector are unknown, so its verdicts are not drawn (coverage.c);
 * the rest of the export is still read.  As the LDIF reader does (ad.c).
 */
static void
import_clixml_unreadable(xmlNodePtr conn, const char *prop, const char *v,
    const char *where, const char *why)
{
	char buf[1024];

	log_warnx(LOG_IMPORT, "%s: %s \"%.80s\": %s", where, prop, v, why);
	snprintf(buf, sizeof(buf), "%.64s: \"%.80s\": %.400s (%.300s)", prop,
	    v, why, where);
	model_add_setting(conn, "UnreadableValue", buf);
	if (xml_attr(conn, "configuration") != NULL)
		return;
	snprintf(buf, sizeof(buf), "%.64s value \"%.80s\" unreadable "
	    "(%.300s)", prop, v, where);
	model_set(conn, "configuration", "unreadable");
	model_set(conn, "configuration-error", buf);
}

/*
 * Call add for every item of a multi-valued property (or for its one
 * value when it is not a collection); the model's parsers check them;
 * an item they refuse is kept as unreadable.
 */
static int
import_clixml_each(struct import_clixml *c, xmlNodePtr obj, const char *prop,
    xmlNodePtr conn,
    int (*add)(xmlNodePtr, const char *, struct mx_err *, const char *))
{
	xmlNodePtr member = import_clixml_member(c, obj, prop), list, item;
	size_t mark = c->nstrs;
	const char *v;
	char where[300];
	struct mx_err e;

	if (member == NULL)
		return 0;
	if ((list = import_clixml_list(c, member)) == NULL) {
		item = member;
		list = NULL;
	} else
		item = list->children;
	for (; item != NULL && import_clixml_step(c);
	    item = list ? item->next : NULL) {
		if (item->type != XML_ELEMENT_NODE)
			continue;
		if (import_clixml_value(c, item, &v) == -1)
			return -1;
		if (v == NULL)
			continue;
		import_clixml_where(c, item, where, sizeof(where));
		mx_err_init(&e);
		if (add(conn, v, &e, where) == -1 && e.code != MX_ERR_INPUT)
			return import_clixml_fail(c, item,
			    e.code != MX_OK ? e.code : MX_ERR_INPUT,
			    "%s \"%.80s\": %s", prop, v, e.msg);
		if (e.code == MX_ERR_INPUT)
			import_clixml_unreadable(conn, prop, v, where, e.msg);
		/* The model copied it: items need not pile up. */
		import_clixml_release(c, mark);
	}
	return 0;
}

/* PermissionGroups / AuthMechanism: the flag names, one child each. */
static int
import_clixml_flags(struct import_clixml *c, xmlNodePtr obj, const char *prop,
    xmlNodePtr conn, const char *kind, const struct model_flag *t)
{
	xmlNodePtr member = import_clixml_member(c, obj, prop);
	char names[512];
	const char *v;
	uint32_t bits;
	struct mx_err e;

	if (import_clixml_value(c, member, &v) == -1)
		return -1;
	if (v == NULL)
		return 0;
	mx_err_init(&e);
	if (v[0] < '0' || v[0] > '9') {
		model_add_names(conn, kind, v);
		return 0;
	}
	if (parse_u32(v, UINT32_MAX, &bits, &e, NULL) == -1)
		return import_clixml_fail(c, member, MX_ERR_INPUT,
		    "%s is not a list of names: \"%.40s\"", prop, v);
	if (model_flags_text(bits, t, names, sizeof(names)) == -1)
		return import_clixml_fail(c, member, MX_ERR_INPUT,
		    "%s has unknown flags (%s)", prop, names);
	model_add_names(conn, kind, names);
	return 0;
}

/* A Get-ReceiveConnector object. */
static int
import_clixml_connector(struct import_clixml *c, xmlNodePtr obj)
{
	const char *name, *server, *identity, *dn, *comment;
	const char *idserver = NULL, *idname = NULL;
	xmlNodePtr conn;

	if (import_clixml_prop(c, obj, "Name", &name) == -1 ||
	    import_clixml_prop(c, obj, "Server", &server) == -1 ||
	    import_clixml_prop(c, obj, "Identity", &identity) == -1 ||
	    import_clixml_prop(c, obj, "DistinguishedName", &dn) == -1 ||
	    import_clixml_prop(c, obj, "Comment", &comment) == -1)
		return -1;
	if ((identity == NULL || !import_clixml_split_identity(c, identity,
	    &idserver, &idname)) && dn != NULL)
		import_clixml_dn_connector(c, dn, &idserver, &idname);
	if (server == NULL)
		server = idserver;
	if (name == NULL)
		name = idname;
	if (server == NULL || name == NULL)
		return import_clixml_fail(c, obj, MX_ERR_INPUT,
		    "receive connector without %s",
		    server == NULL ? "Server (nor SERVER\\Name Identity)" :
		    "Name");
	if (import_clixml_name_ok(c, obj, "server name", server) == -1 ||
	    import_clixml_name_ok(c, obj, "connector name", name) == -1)
		return -1;
	if ((conn = model_connector(c->model, server, name)) == NULL)
		return import_clixml_fail(c, obj, MX_ERR_INTERNAL,
		    "cannot add connector to the model");
	if (import_clixml_attrs(c, obj, conn,
	    import_clixml_connector_attrs) == -1 ||
	    import_clixml_each(c, obj, "Bindings", conn,
	    model_add_binding) == -1 ||
	    import_clixml_each(c, obj, "RemoteIPRanges", conn,
	    model_add_remote_range) == -1 ||
	    import_clixml_flags(c, obj, "PermissionGroups", conn,
	    "permission-group", model_permission_groups) == -1 ||
	    import_clixml_flags(c, obj, "AuthMechanism", conn,
	    "auth-mechanism", model_auth_mechanisms) == -1)
		return -1;
	if (comment != NULL)
		model_add_setting(conn, "Comment", comment);
	import_clixml_organization(c, dn);
	return 1;
}

/*
 * Which receive connector a permission entry is about.  The Identity of
 * an entry is the ADObjectId of the object: its DistinguishedName member
 * when serialised in full, else its text: a DN, a canonical name, or
 * "SERVER\Name".  That last form is also what Get-ADPermission prints for
 * other per-server objects (virtual directories, for instance); without a
 * DN it cannot be told apart and is taken as a connector.  Returns 1 with
 * server and name, 0 for an entry about something else.
 */
static int
import_clixml_ace_target(struct import_clixml *c, xmlNodePtr obj,
    const char **server, const char **name)
{
	xmlNodePtr id = import_clixml_member(c, obj, "Identity");
	const char *dn, *text;

	if (import_clixml_prop(c, id, "DistinguishedName", &dn) == -1)
		return -1;
	if (dn != NULL)
		return import_clixml_dn_connector(c, dn, server, name);
	if (import_clixml_value(c, id, &text) == -1)
		return -1;
	if (text == NULL)
		return import_clixml_fail(c, obj, MX_ERR_INPUT,
		    "permission entry without Identity");
	if (strncasecmp(text, "CN=", 3) == 0)
		return import_clixml_dn_connector(c, text, server, name);
	if (strchr(text, '/') != NULL)
		return import_clixml_canonical_connector(c, text, server,
		    name);
	return import_clixml_split_identity(c, text, server, name);
}

/* A list member's items joined with ", " (AccessRights), kept by c. */
static int
import_clixml_joined(struct import_clixml *c, xmlNodePtr obj,
    const char *prop, const char **out)
{
	xmlNodePtr member = import_clixml_member(c, obj, prop), list, k;
	const char *v;
	char *s = NULL;
	size_t len = 0, n, mark = c->nstrs;

	*out = NULL;
	if ((list = import_clixml_list(c, member)) == NULL)
		return import_clixml_value(c, member, out);
	for (k = list->children; k != NULL && import_clixml_step(c);
	    k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (import_clixml_value(c, k, &v) == -1)
			goto fail;
		if (v == NULL)
			continue;
		n = strlen(v);
		if (len + n + 2 > CLIXML_VALUE_MAX) {
			import_clixml_fail(c, k, MX_ERR_LIMIT,
			    "%s longer than %d bytes (CLIXML_VALUE_MAX)",
			    prop, CLIXML_VALUE_MAX);
			goto fail;
		}
		s = xreallocarray(s, len + n + 3, 1);
		if (len > 0) {
			memcpy(s + len, ", ", 2);
			len += 2;
		}
		memcpy(s + len, v, n + 1);
		len += n;
		import_clixml_release(c, mark);
	}
	if (s != NULL)
		*out = import_clixml_keep(c, s);
	return 0;
fail:
	free(s);
	return -1;
}

#define IMPORT_CLIXML_NULL_GUID	"00000000-0000-0000-0000-000000000000"

/*
 * A permission entry on an object that is not a receive connector (a
 * mailbox, a virtual directory): counted, and the first one's Identity
 * kept, so that a file holding only such entries says what it holds.
 */
static void
import_clixml_foreign_ace(struct import_clixml *c, xmlNodePtr obj)
{
	xmlNodePtr id = import_clixml_member(c, obj, "Identity");
	const char *text = NULL;
	size_t i;

	log_debug(LOG_IMPORT, "%s:%ld: skipping permission entry on \"%s\", "
	    "not a receive connector", c->name, xml_line(obj), c->label);
	if (c->foreign_aces++ > 0)
		return;
	if (import_clixml_prop(c, id, "DistinguishedName", &text) == -1 ||
	    (text == NULL && import_clixml_value(c, id, &text) == -1))
		text = NULL;
	if (text == NULL)
		text = "?";
	/* Cut at a character boundary, not inside a UTF-8 one. */
	if (util_strlcpy(c->foreign, text, sizeof(c->foreign)) >=
	    sizeof(c->foreign)) {
		i = strlen(c->foreign);
		while (i > 0 && ((unsigned char)c->foreign[i] & 0xC0) == 0x80)
			i--;
		c->foreign[i] = '\0';
	}
	for (i = 0; c->foreign[i] != '\0'; i++)
		if ((unsigned char)c->foreign[i] < 0x20)
			c->foreign[i] = ' ';
}

/* A Get-ADPermission entry: one <ace> per extended right it grants. */
static int
import_clixml_permission(struct import_clixml *c, xmlNodePtr obj)
{
	static const struct import_clixml_attr deny = {
	    "Deny", NULL, IMPORT_CLIXML_BOOL, IMPORT_CLIXML_NAME };
	static const struct import_clixml_attr inherited = {
	    "IsInherited", NULL, IMPORT_CLIXML_BOOL, IMPORT_CLIXML_NAME };
	const char *server = NULL, *name = NULL, *v, *right;
	struct model_ace ace;
	xmlNodePtr conn, member, list, k;
	size_t mark;
	int rc, rights = 0;

	if ((rc = import_clixml_ace_target(c, obj, &server, &name)) <= 0) {
		if (rc == 0)
			import_clixml_foreign_ace(c, obj);
		return rc;
	}
	memset(&ace, 0, sizeof(ace));
	if (import_clixml_prop(c, obj, "User", &ace.principal) == -1 ||
	    import_clixml_joined(c, obj, "AccessRights", &ace.access) == -1 ||
	    import_clixml_prop(c, obj, "InheritanceType",
	    &ace.inheritance) == -1 ||
	    import_clixml_prop(c, obj, "InheritedObjectType",
	    &ace.inherited_object_type) == -1 ||
	    import_clixml_joined(c, obj, "ChildObjectTypes",
	    &ace.object_type) == -1 ||
	    (ace.object_type == NULL && import_clixml_joined(c, obj,
	    "Properties", &ace.object_type) == -1))
		return -1;
	/* .NET writes the empty GUID for "no object type". */
	if (ace.inherited_object_type != NULL && strcmp(
	    ace.inherited_object_type, IMPORT_CLIXML_NULL_GUID) == 0)
		ace.inherited_object_type = NULL;
	if (ace.object_type != NULL && strcmp(ace.object_type,
	    IMPORT_CLIXML_NULL_GUID) == 0)
		ace.object_type = NULL;
	/* Descendents and Children entries are not in force on the object. */
	ace.inherit_only = ace.inheritance != NULL &&
	    (strcasecmp(ace.inheritance, "Descendents") == 0 ||
	    strcasecmp(ace.inheritance, "Children") == 0);
	if (ace.principal == NULL)
		return import_clixml_fail(c, obj, MX_ERR_INPUT,
		    "permission entry without User");
	member = import_clixml_member(c, obj, "Deny");
	if (import_clixml_value(c, member, &v) == -1 ||
	    (v != NULL && import_clixml_convert(c, member, &deny, &v) == -1))
		return -1;
	ace.deny = v != NULL && strcmp(v, "true") == 0;
	member = import_clixml_member(c, obj, "IsInherited");
	if (import_clixml_value(c, member, &v) == -1 ||
	    (v != NULL &&
	    import_clixml_convert(c, member, &inherited, &v) == -1))
		return -1;
	ace.inherited = v != NULL && strcmp(v, "true") == 0;
	if (import_clixml_name_ok(c, obj, "server name", server) == -1 ||
	    import_clixml_name_ok(c, obj, "connector name", name) == -1 ||
	    import_clixml_name_ok(c, obj, "User", ace.principal) == -1 ||
	    (ace.inheritance != NULL && import_clixml_name_ok(c, obj,
	    "InheritanceType", ace.inheritance) == -1) ||
	    (ace.inherited_object_type != NULL && import_clixml_name_ok(c,
	    obj, "InheritedObjectType", ace.inherited_object_type) == -1) ||
	    (ace.object_type != NULL && import_clixml_name_ok(c, obj,
	    "ChildObjectTypes", ace.object_type) == -1))
		return -1;
	if ((conn = model_connector(c->model, server, name)) == NULL)
		return import_clixml_fail(c, obj, MX_ERR_INTERNAL,
		    "cannot add connector to the model");
	member = import_clixml_member(c, obj, "ExtendedRights");
	list = import_clixml_list(c, member);
	mark = c->nstrs;
	for (k = list ? list->children : member;
	    k != NULL && import_clixml_step(c); k = list ? k->next : NULL) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (import_clixml_value(c, k, &right) == -1)
			return -1;
		if (right == NULL)
			continue;
		if (import_clixml_name_ok(c, k, "extended right", right) == -1)
			return -1;
		ace.right = right;
		model_add_ace(conn, &ace);
		import_clixml_release(c, mark);
		rights++;
	}
	if (rights == 0) {
		ace.right = NULL;
		model_add_ace(conn, &ace);
	}
	return 1;
}

/* A Get-AcceptedDomain object. */
static int
import_clixml_domain(struct import_clixml *c, xmlNodePtr obj)
{
	const char *name, *dn;
	xmlNodePtr d;

	if (import_clixml_prop(c, obj, "DomainName", &name) == -1 ||
	    (name == NULL &&
	    import_clixml_prop(c, obj, "Name", &name) == -1) ||
	    import_clixml_prop(c, obj, "DistinguishedName", &dn) == -1)
		return -1;
	if (name == NULL)
		return import_clixml_fail(c, obj, MX_ERR_INPUT,
		    "accepted domain without DomainName");
	if (import_clixml_name_ok(c, obj, "domain name", name) == -1)
		return -1;
	if ((d = model_accepted_domain(c->model, name)) == NULL)
		return import_clixml_fail(c, obj, MX_ERR_INTERNAL,
		    "cannot add accepted domain to the model");
	if (import_clixml_attrs(c, obj, d, import_clixml_domain_attrs) == -1)
		return -1;
	import_clixml_organization(c, dn);
	return 1;
}

/* A Get-ExchangeServer object. */
static int
import_clixml_server(struct import_clixml *c, xmlNodePtr obj)
{
	const char *name, *dn;
	xmlNodePtr s;

	if (import_clixml_prop(c, obj, "Name", &name) == -1 ||
	    import_clixml_prop(c, obj, "DistinguishedName", &dn) == -1)
		return -1;
	if (name == NULL)
		return import_clixml_fail(c, obj, MX_ERR_INPUT,
		    "Exchange server without Name");
	if (import_clixml_name_ok(c, obj, "server name", name) == -1)
		return -1;
	if ((s = model_server(c->model, name)) == NULL)
		return import_clixml_fail(c, obj, MX_ERR_INTERNAL,
		    "cannot add server to the model");
	if (import_clixml_attrs(c, obj, s, import_clixml_server_attrs) == -1)
		return -1;
	import_clixml_organization(c, dn);
	return 1;
}

/* Remember the type of a skipped object, to say what the file held. */
static void
import_clixml_other(struct import_clixml *c, const char *type)
{
	size_t len = strlen(c->other);

	if (strstr(c->other, type) != NULL)
		return;
	if (len + strlen(type) + 8 >= sizeof(c->other)) {
		if (strstr(c->other, "...") == NULL && len + 5 <
		    sizeof(c->other))
			util_strlcpy(c->other + len, ", ...",
			    sizeof(c->other) - len);
		return;
	}
	snprintf(c->other + len, sizeof(c->other) - len, "%s%s",
	    len > 0 ? ", " : "", type);
}

/* One top-level object: recognise it, map it, count it. */
static int
import_clixml_object(struct import_clixml *c, xmlNodePtr obj,
    unsigned long index)
{
	int type, rc = 0;

	import_clixml_set_label(c, obj, index);
	if (import_clixml_type(c, obj, &type) == -1)
		return -1;
	switch (type) {
	case IMPORT_CLIXML_RECEIVE_CONNECTOR:
		rc = import_clixml_connector(c, obj);
		break;
	case IMPORT_CLIXML_AD_PERMISSION:
		rc = import_clixml_permission(c, obj);
		break;
	case IMPORT_CLIXML_ACCEPTED_DOMAIN:
		rc = import_clixml_domain(c, obj);
		break;
	case IMPORT_CLIXML_EXCHANGE_SERVER:
		rc = import_clixml_server(c, obj);
		break;
	default:
		import_clixml_other(c, import_clixml_first_type(c, obj));
		if (log_enabled(LOG_LEVEL_DEBUG))
			log_debug(LOG_IMPORT, "%s:%ld: skipping object \"%s\" "
			    "of type %s", c->name, xml_line(obj), c->label,
			    import_clixml_first_type(c, obj));
		break;
	}
	if (rc != -1 && c->over)
		rc = import_clixml_fail(c, obj, MX_ERR_LIMIT, "steps");
	if (rc == 1) {
		c->found[type] = 1;
		c->imported++;
	}
	import_clixml_release(c, 0);
	c->label[0] = '\0';
	return rc == -1 ? -1 : 0;
}

/* Fill the <source> element: object-type lists the types found. */
static void
import_clixml_source(struct import_clixml *c, xmlNodePtr src)
{
	char types[128], count[32];
	size_t len;
	int i;

	types[0] = '\0';
	for (i = 0; i < IMPORT_CLIXML_TYPE_COUNT; i++) {
		if (!c->found[i])
			continue;
		len = strlen(types);
		snprintf(types + len, sizeof(types) - len, "%s%s",
		    len > 0 ? ", " : "", import_clixml_types[i].label);
	}
	if (types[0] != '\0')
		model_set(src, "object-type", types);
	snprintf(count, sizeof(count), "%lu", c->imported);
	model_set(src, "objects", count);
	if (c->imported == 0) {
		char why[512];

		snprintf(why, sizeof(why), "no object mxbpa reads (found: %s)",
		    c->other[0] != '\0' ? c->other : "no object");
		model_set(src, "skipped", why);
	}
}

/*
 * Is this parsed document CLIXML: root <Objs> in the PowerShell
 * namespace?  Returns 1 or 0.
 */
int
import_clixml_detect(xmlDocPtr doc)
{
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;

	return import_clixml_is(root, "Objs");
}

static int
import_clixml_not_clixml(xmlDocPtr doc, const char *name, struct mx_err *err)
{
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;

	if (root == NULL)
		return mx_err_set(err, MX_ERR_INPUT, name,
		    "not CLIXML (empty document)");
	if (strcmp((const char *)root->name, "Objs") == 0)
		return mx_err_set(err, MX_ERR_INPUT, name,
		    "not CLIXML (root <Objs> is not in namespace %s)",
		    CLIXML_NS);
	return mx_err_set(err, MX_ERR_INPUT, name,
	    "not CLIXML (root is <%.64s>)", (const char *)root->name);
}

/*
 * Add every recognised object of a parsed CLIXML document to model (see
 * import_clixml.h).  The objects go into a scratch model, merged into
 * model only on success: on error (MX_ERR_INPUT, MX_ERR_LIMIT, naming the
 * file, the line and the object) model is unchanged.  A document with no
 * object of a known type is not an error: its <source> records
 * objects="0" (the file was read and belongs in the evidence) and a
 * warning says that nothing was found in it.  Returns 0 or -1.
 */
int
import_clixml(struct model *model, xmlDocPtr doc, const char *name,
    const char *sha256, struct mx_err *err)
{
	struct import_clixml c;
	xmlNodePtr root, n, src;
	unsigned long index = 0;
	int rc = -1;

	if (!import_clixml_detect(doc))
		return import_clixml_not_clixml(doc, name, err);
	root = xmlDocGetRootElement(doc);
	memset(&c, 0, sizeof(c));
	c.name = name;
	c.err = err;
	c.objs = xmlHashCreate(256);
	c.types = xmlHashCreate(64);
	c.known = xmlHashCreate(64);
	c.sizes = xmlHashCreate(256);
	c.model = model_new();
	if (c.objs == NULL || c.types == NULL || c.known == NULL ||
	    c.sizes == NULL || c.model == NULL) {
		mx_err_set(err, MX_ERR_INTERNAL, name, "out of memory");
		goto done;
	}
	if (import_clixml_scan(&c, root, 1, 0) == -1)
		goto done;
	if ((src = model_add_source(c.model, "clixml", name, sha256)) ==
	    NULL) {
		mx_err_set(err, MX_ERR_INTERNAL, name, "cannot record source");
		goto done;
	}
	for (n = root->children; n != NULL; n = n->next) {
		if (import_clixml_is(n, "Obj")) {
			if (import_clixml_object(&c, n, index++) == -1)
				goto done;
		} else if (import_clixml_is(n, "Ref"))
			log_debug(LOG_IMPORT, "%s:%ld: object repeated by "
			    "reference, already read", name, xml_line(n));
	}
	import_clixml_source(&c, src);
	if (c.imported == 0 && c.foreign_aces > 0)
		log_warnx(LOG_IMPORT, "%s: %lu ADPermission entr%s, none on a "
		    "receive connector (the first is on \"%s\"): mxbpa reads "
		    "the permissions of receive connectors "
		    "(Get-ReceiveConnector | Get-ADPermission)", name,
		    c.foreign_aces, c.foreign_aces == 1 ? "y" : "ies",
		    c.foreign);
	else if (c.imported == 0)
		log_warnx(LOG_IMPORT, "%s: no ReceiveConnector, ADPermission, "
		    "AcceptedDomain or ExchangeServer object found", name);
	else
		log_info(LOG_IMPORT, "%s: %lu objects", name, c.imported);
	log_debug(LOG_IMPORT, "%s: %lu values read (%zu bytes), %lu elements "
	    "looked at, %lu reached through references", name, c.reads,
	    c.read_bytes, c.steps, c.expanded);
	if (model_merge(model, c.model, err) == -1)
		goto done;
	rc = 0;
done:
	import_clixml_release(&c, 0);
	free(c.strs);
	if (c.objs != NULL)
		xmlHashFree(c.objs, NULL);
	if (c.types != NULL)
		xmlHashFree(c.types, NULL);
	if (c.known != NULL)
		xmlHashFree(c.known, NULL);
	if (c.sizes != NULL)
		xmlHashFree(c.sizes, NULL);
	model_free(c.model);
	return rc;
}
