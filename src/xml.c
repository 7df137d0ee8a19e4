/*
 * xml.c - the only door into libxml2 parsing (see xml.h).
 *
 * Parser options are fixed: XML_PARSE_NONET plus silence; never NOENT,
 * DTDLOAD, DTDATTR, XINCLUDE or HUGE.  The internalSubset SAX callback
 * stops the parser as soon as "<!DOCTYPE" is seen, before any entity
 * declaration is read, so neither external entities nor expansion bombs
 * reach us.  The external entity loader denies everything as a second
 * wall.
 *
 * SPDX-License-Identifier: ISC
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/relaxng.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

#include "bounds.h"
#include "datadir.h"
#include "err.h"
#include "log.h"
#include "util.h"
#include "xml.h"

#define XML_PARSE_FIXED \
	(XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

struct xml_schema {
	xmlDocPtr		 doc;
	xmlRelaxNGPtr		 rng;
	char			*path;
};

/* What a validation run collects through the structured error handler. */
struct xml_validation {
	const char	*name;
	struct mx_err	*err;
	unsigned	 count;
};

static void
xml_silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static xmlParserInputPtr
xml_deny_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)id;
	(void)ctxt;
	log_debug(LOG_XML, "refused to load external entity %s",
	    url ? url : "(null)");
	return NULL;
}

void
xml_init(void)
{
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, xml_silent);
	xmlSetExternalEntityLoader(xml_deny_entity);
}

/*
 * One parse.  libxml2 reads the bytes through xml_parse_read, a chunk at a
 * time, so that its input buffer is shrunk behind the parser: a buffer
 * handed over whole stops at libxml2's 10,000,000-byte lookup limit
 * ("Huge input lookup") unless in huge mode, which we never ask for.  The
 * SAX callbacks that make nodes count them first (xml_parse_count).
 */
struct xml_parse_state {
	const char	*data;		/* borrowed from the caller */
	size_t		 len;
	size_t		 off;		/* bytes handed to libxml2 */
	const char	*stopped;	/* why we stopped the parser, or NULL */
	unsigned long	 nodes;		/* nodes made so far (XML_NODES_MAX) */
};

static int
xml_parse_read(void *ctx, char *buf, int len)
{
	struct xml_parse_state *st = ctx;
	size_t n = st->len - st->off;

	if (len <= 0)
		return 0;
	if (n > (size_t)len)
		n = (size_t)len;
	memcpy(buf, st->data + st->off, n);
	st->off += n;
	return (int)n;
}

static int
xml_parse_close(void *ctx)
{
	(void)ctx;
	return 0;
}

static void
xml_refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *ext,
    const xmlChar *sys)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct xml_parse_state *st = ctxt->_private;

	(void)name;
	(void)ext;
	(void)sys;
	/* Remember why we stopped: _private is ours on a context we own. */
	st->stopped = "DOCTYPE";
	xmlStopParser(ctxt);
}

/*
 * Count n nodes about to be made.  Past XML_NODES_MAX the parser stops
 * before making them, so the tree never grows past the budget: a file of
 * empty elements would otherwise cost some 30 times its size.  Returns 0,
 * or -1 when the parser was stopped.
 */
static int
xml_parse_count(xmlParserCtxtPtr ctxt, unsigned long n)
{
	struct xml_parse_state *st = ctxt->_private;

	if (st->stopped != NULL)
		return -1;
	st->nodes += n;
	if (st->nodes <= XML_NODES_MAX)
		return 0;
	st->stopped = "nodes";
	xmlStopParser(ctxt);
	return -1;
}

static void
xml_count_element(void *ctx, const xmlChar *localname,
    const xmlChar *prefix, const xmlChar *uri, int nb_namespaces,
    const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
    const xmlChar **attributes)
{
	/* The element, its attributes and its namespace declarations. */
	if (xml_parse_count(ctx, 1 + (unsigned long)(nb_attributes > 0 ?
	    nb_attributes : 0) + (unsigned long)(nb_namespaces > 0 ?
	    nb_namespaces : 0)) == -1)
		return;
	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces,
	    namespaces, nb_attributes, nb_defaulted, attributes);
}

static void
xml_count_comment(void *ctx, const xmlChar *value)
{
	if (xml_parse_count(ctx, 1) == 0)
		xmlSAX2Comment(ctx, value);
}

static void
xml_count_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	if (xml_parse_count(ctx, 1) == 0)
		xmlSAX2ProcessingInstruction(ctx, target, data);
}

static void
xml_count_cdata(void *ctx, const xmlChar *value, int len)
{
	if (xml_parse_count(ctx, 1) == 0)
		xmlSAX2CDataBlock(ctx, value, len);
}

static void
xml_trim_msg(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static unsigned
xml_depth(xmlNodePtr node, unsigned depth)
{
	unsigned max = depth;
	xmlNodePtr c;

	if (depth > XML_DEPTH_MAX + CLIXML_DEPTH_MAX)
		return depth;
	for (c = node->children; c != NULL; c = c->next) {
		unsigned d;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		d = xml_depth(c, depth + 1);
		if (d > max)
			max = d;
	}
	return max;
}

xmlDocPtr
xml_parse(const char *data, size_t len, const char *name, int keep_blanks,
    struct mx_err *err)
{
	struct xml_parse_state st = { data, len, 0, NULL, 0 };
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc = NULL;
	const xmlError *xe;
	char where[300];
	int opts = XML_PARSE_FIXED;

	if (len > INT32_MAX)
		return mx_err_set(err, MX_ERR_LIMIT, name, "document too large"),
		    NULL;
	if (!keep_blanks)
		opts |= XML_PARSE_NOBLANKS;
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL) {
		mx_err_set(err, MX_ERR_INTERNAL, name, "no parser context");
		return NULL;
	}
	ctxt->sax->internalSubset = xml_refuse_doctype;
	ctxt->sax->startElementNs = xml_count_element;
	ctxt->sax->comment = xml_count_comment;
	ctxt->sax->processingInstruction = xml_count_pi;
	ctxt->sax->cdataBlock = xml_count_cdata;
	ctxt->_private = &st;
	/*
	 * No forced encoding: Windows PowerShell writes Export-Clixml as
	 * UTF-16LE with a BOM; libxml2 detects the BOM or the declaration.
	 */
	doc = xmlCtxtReadIO(ctxt, xml_parse_read, xml_parse_close, &st, NULL,
	    NULL, opts);
	if (st.stopped != NULL && strcmp(st.stopped, "DOCTYPE") == 0) {
		snprintf(where, sizeof(where), "%s:%d", name,
		    ctxt->input ? ctxt->input->line : 1);
		mx_err_set(err, MX_ERR_INPUT, where,
		    "DOCTYPE refused (no DTD, entity or external reference is "
		    "accepted in this format)");
		goto fail;
	}
	if (st.stopped != NULL) {
		snprintf(where, sizeof(where), "%s:%d", name,
		    ctxt->input ? ctxt->input->line : 1);
		mx_err_set(err, MX_ERR_LIMIT, where,
		    "more than %lu elements, attributes and other nodes "
		    "(XML_NODES_MAX)", (unsigned long)XML_NODES_MAX);
		goto fail;
	}
	if (doc == NULL || !ctxt->wellFormed) {
		xe = xmlCtxtGetLastError(ctxt);
		if (xe != NULL && xe->message != NULL) {
			char msg[400];

			snprintf(where, sizeof(where), "%s:%d", name, xe->line);
			util_strlcpy(msg, xe->message, sizeof(msg));
			xml_trim_msg(msg);
			mx_err_set(err, MX_ERR_INPUT, where,
			    "not well-formed XML: %s", msg);
		} else
			mx_err_set(err, MX_ERR_INPUT, name,
			    "not well-formed XML");
		goto fail;
	}
	if (xmlDocGetRootElement(doc) == NULL) {
		mx_err_set(err, MX_ERR_INPUT, name, "empty document");
		goto fail;
	}
	if (xml_depth(xmlDocGetRootElement(doc), 1) >
	    XML_DEPTH_MAX + CLIXML_DEPTH_MAX) {
		mx_err_set(err, MX_ERR_LIMIT, name,
		    "elements nested deeper than %d (XML_DEPTH_MAX)",
		    XML_DEPTH_MAX + CLIXML_DEPTH_MAX);
		goto fail;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
fail:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return NULL;
}

xmlDocPtr
xml_parse_file(const char *path, size_t max, int keep_blanks,
    struct mx_err *err)
{
	struct util_file f;
	xmlDocPtr doc;

	if (util_read_file(path, max, &f, err) == -1)
		return NULL;
	doc = xml_parse(f.data, f.len, path, keep_blanks, err);
	util_file_free(&f);
	return doc;
}

struct xml_schema *
xml_schema_load(const char *path, struct mx_err *err)
{
	struct xml_schema *s;
	xmlRelaxNGParserCtxtPtr pctxt;

	s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	s->doc = xml_parse_file(path, SCHEMA_FILE_MAX, 0, err);
	if (s->doc == NULL)
		goto fail;
	pctxt = xmlRelaxNGNewDocParserCtxt(s->doc);
	if (pctxt == NULL) {
		mx_err_set(err, MX_ERR_INTERNAL, path, "schema context");
		goto fail;
	}
	s->rng = xmlRelaxNGParse(pctxt);
	xmlRelaxNGFreeParserCtxt(pctxt);
	if (s->rng == NULL) {
		mx_err_set(err, MX_ERR_INTERNAL, path,
		    "invalid RELAX NG schema");
		goto fail;
	}
	return s;
fail:
	xml_schema_free(s);
	return NULL;
}

void
xml_schema_free(struct xml_schema *s)
{
	if (s == NULL)
		return;
	if (s->rng != NULL)
		xmlRelaxNGFree(s->rng);
	xmlFreeDoc(s->doc);
	free(s->path);
	free(s);
}

static void
xml_validation_error(void *ctx, xmlErrorPtr xe)
{
	struct xml_validation *v = ctx;
	char where[300], msg[400];

	if (xe == NULL || xe->level < XML_ERR_ERROR)
		return;
	v->count++;
	snprintf(where, sizeof(where), "%s:%d", v->name, xe->line);
	util_strlcpy(msg, xe->message ? xe->message : "invalid",
	    sizeof(msg));
	xml_trim_msg(msg);
	if (v->count <= 20)
		log_warnx(LOG_XML, "%s: %s", where, msg);
	mx_err_set(v->err, MX_ERR_INPUT, where, "schema: %s", msg);
}

int
xml_schema_validate(struct xml_schema *s, xmlDocPtr doc, const char *name,
    struct mx_err *err)
{
	struct xml_validation v = { name, err, 0 };
	xmlRelaxNGValidCtxtPtr vctxt;
	int rc;

	vctxt = xmlRelaxNGNewValidCtxt(s->rng);
	if (vctxt == NULL)
		return mx_err_set(err, MX_ERR_INTERNAL, name,
		    "validation context");
	xmlRelaxNGSetValidStructuredErrors(vctxt, xml_validation_error, &v);
	rc = xmlRelaxNGValidateDoc(vctxt, doc);
	xmlRelaxNGFreeValidCtxt(vctxt);
	if (rc != 0) {
		if (v.count == 0)
			mx_err_set(err, MX_ERR_INPUT, name,
			    "does not match schema %s", s->path);
		return -1;
	}
	return 0;
}

int
xml_check(xmlDocPtr doc, const char *schema, const char *name,
    struct mx_err *err)
{
	char path[PATH_MAX];
	struct xml_schema *s;
	int rc;

	if (datadir_file(path, sizeof(path), "schemas", schema, err) == -1)
		return -1;
	if ((s = xml_schema_load(path, err)) == NULL)
		return -1;
	rc = xml_schema_validate(s, doc, name, err);
	xml_schema_free(s);
	return rc;
}

void
xml_tree_set_ns(xmlNodePtr node, xmlNsPtr ns)
{
	xmlNodePtr c;
	xmlNsPtr d;

	if (node->type != XML_ELEMENT_NODE)
		return;
	node->ns = ns;
	for (d = node->nsDef; d != NULL && d != ns; d = d->next)
		;
	if (d == NULL && node->nsDef != NULL) {
		xmlFreeNsList(node->nsDef);
		node->nsDef = NULL;
	}
	for (c = node->children; c != NULL; c = c->next)
		xml_tree_set_ns(c, ns);
}

int
xml_dump(xmlDocPtr doc, xmlChar **out, int *len, struct mx_err *err)
{
	*out = NULL;
	*len = 0;
	xmlDocDumpFormatMemoryEnc(doc, out, len, "UTF-8", 1);
	if (*out == NULL)
		return mx_err_set(err, MX_ERR_INTERNAL, NULL,
		    "cannot serialise XML");
	return 0;
}

int
xml_write(xmlDocPtr doc, const char *path, struct mx_err *err)
{
	xmlChar *buf;
	int len, rc;

	if (xml_dump(doc, &buf, &len, err) == -1)
		return -1;
	rc = util_write_atomic(path, buf, (size_t)len, err);
	xmlFree(buf);
	return rc;
}

const char *
xml_attr(xmlNodePtr node, const char *name)
{
	xmlAttrPtr a;

	if (node == NULL)
		return NULL;
	for (a = node->properties; a != NULL; a = a->next) {
		if (a->ns == NULL && strcmp((const char *)a->name, name) == 0 &&
		    a->children != NULL && a->children->type == XML_TEXT_NODE)
			return (const char *)a->children->content;
		if (a->ns == NULL && strcmp((const char *)a->name, name) == 0)
			return "";
	}
	return NULL;
}

long
xml_line(xmlNodePtr node)
{
	return node != NULL ? xmlGetLineNo(node) : 0;
}
