/*
 * report.c - render a findings document (see report.h): as the findings
 * XML itself, or through a stylesheet of reports/ run by libxslt.
 *
 * Stylesheets are read through xml.c like every other XML input.  The
 * xsl:include of a shared stylesheet (common.xsl) is resolved here, by
 * copying the included module's top-level elements in place of the
 * xsl:include element, so that libxslt never loads a file by itself; a
 * stylesheet that still holds xsl:include or xsl:import after that is
 * refused.
 *
 * Each transform runs under its own xsltSecurityPrefs, which forbid reading
 * and writing files, creating directories and network access (so
 * document(), xsl:document and exsl:document fail), and with limits on
 * template nesting, variables and instructions run (src/bounds.h).  The
 * process-wide libxslt defaults are never changed.  Parameters are passed
 * quoted (xsltQuoteOneUserParam), never as XPath source.
 *
 * The text format is made safe for a terminal: C0 controls other than
 * newline and tab, DEL and the C1 controls (U+0080-U+009F) become '?'.
 *
 * The HTML format's Content-Security-Policy (CSP Level 2, hash sources)
 * gets the SHA-256 of the page's inline style and script here, computed
 * over the bytes the serialiser wrote, in place of the placeholders
 * html.xsl leaves in its meta element.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/variables.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltconfig.h>
#include <libxslt/xsltutils.h>
#include <libexslt/exslt.h>
#include <openssl/evp.h>

#include "bounds.h"
#include "datadir.h"
#include "err.h"
#include "log.h"
#include "report.h"
#include "util.h"
#include "xml.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

#define REPORT_GENERATOR	"mxbpa " PACKAGE_VERSION
#define REPORT_XSLT_NS		"http://www.w3.org/1999/XSL/Transform"

struct report_format {
	const char	*name;
	const char	*stylesheet;	/* under reports/; NULL for xml */
	int		 terminal;	/* output goes to terminals */
	int		 csp;		/* HTML with hash placeholders */
};

static const struct report_format report_formats[] = {
	{ "html", "html.xsl", 0, 1 },
	{ "text", "text.xsl", 1, 0 },
	{ "xml", NULL, 0, 0 },
	{ "json", "json.xsl", 0, 0 },
	{ "sarif", "sarif.xsl", 0, 0 },
	{ "junit", "junit.xsl", 0, 0 },
	{ "csv", "csv.xsl", 0, 0 }
};

static const char *const report_langs[] = { "en", "fr" };

/* What libxslt reports during one transform, as it comes. */
struct report_msgs {
	char	text[2048];
	size_t	len;
};

static const struct report_format *
report_find(const char *format)
{
	size_t i;

	if (format == NULL)
		return NULL;
	for (i = 0; i < sizeof(report_formats) / sizeof(report_formats[0]);
	    i++)
		if (strcmp(report_formats[i].name, format) == 0)
			return &report_formats[i];
	return NULL;
}

/* Is format one this build renders (report_formats)?  Case matters. */
int
report_format_known(const char *format)
{
	return report_find(format) != NULL;
}

static const char *
report_lang(const char *lang)
{
	size_t i;

	if (lang == NULL)
		return report_langs[0];
	for (i = 0; i < sizeof(report_langs) / sizeof(report_langs[0]); i++)
		if (strcmp(report_langs[i], lang) == 0)
			return report_langs[i];
	log_warnx(LOG_REPORT, "no report texts in language \"%s\"; "
	    "using English", lang);
	return report_langs[0];
}

static int
report_is_xsl(xmlNodePtr node, const char *name)
{
	return node->type == XML_ELEMENT_NODE && node->ns != NULL &&
	    xmlStrEqual(node->ns->href, BAD_CAST REPORT_XSLT_NS) &&
	    xmlStrEqual(node->name, BAD_CAST name);
}

/* A stylesheet may include a sibling by its bare file name only. */
static int
report_include_name_ok(const char *href)
{
	size_t n;

	if (href == NULL || href[0] == '.' || href[0] == '\0')
		return 0;
	n = strspn(href, "abcdefghijklmnopqrstuvwxyz0123456789_-.");
	return href[n] == '\0' && n > 4 && strcmp(href + n - 4, ".xsl") == 0;
}

/*
 * Every namespace the included module declares on its root must be declared
 * with the same prefix on the including root: prefixes used inside XPath
 * expressions then keep their meaning once the elements are copied.
 */
static int
report_check_namespaces(xmlNodePtr root, xmlNodePtr iroot, const char *path,
    struct mx_err *err)
{
	xmlNsPtr ns, mine;

	for (ns = iroot->nsDef; ns != NULL; ns = ns->next) {
		mine = xmlSearchNs(root->doc, root, ns->prefix);
		if (mine == NULL || !xmlStrEqual(mine->href, ns->href))
			return mx_err_set(err, MX_ERR_INTERNAL, path,
			    "namespace prefix \"%s\" is not declared alike by "
			    "the including stylesheet",
			    ns->prefix ? (const char *)ns->prefix : "");
	}
	return 0;
}

/* Replace one xsl:include element by the top-level elements it names. */
static int
report_include(xmlNodePtr inc, const char *from, struct mx_err *err)
{
	char path[4096];
	const char *href = xml_attr(inc, "href");
	xmlNodePtr root = inc->parent, iroot, c, copy;
	xmlDocPtr idoc;
	int rc = -1;

	if (!report_include_name_ok(href))
		return mx_err_set(err, MX_ERR_INTERNAL, from,
		    "xsl:include of \"%s\" refused: only a stylesheet of the "
		    "same directory may be included", href ? href : "");
	if (datadir_file(path, sizeof(path), "reports", href, err) == -1)
		return -1;
	idoc = xml_parse_file(path, REPORT_STYLESHEET_MAX, 1, err);
	if (idoc == NULL)
		return -1;
	iroot = xmlDocGetRootElement(idoc);
	if (!report_is_xsl(iroot, "stylesheet") &&
	    !report_is_xsl(iroot, "transform")) {
		mx_err_set(err, MX_ERR_INTERNAL, path,
		    "not an XSLT stylesheet");
		goto done;
	}
	if (report_check_namespaces(root, iroot, path, err) == -1)
		goto done;
	for (c = iroot->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (report_is_xsl(c, "include") || report_is_xsl(c, "import")) {
			mx_err_set(err, MX_ERR_INTERNAL, path,
			    "an included stylesheet may not include another");
			goto done;
		}
		copy = xmlDocCopyNode(c, root->doc, 1);
		if (copy == NULL || xmlAddPrevSibling(inc, copy) == NULL) {
			xmlFreeNode(copy);
			mx_err_set(err, MX_ERR_INTERNAL, path,
			    "cannot copy the included stylesheet");
			goto done;
		}
	}
	xmlUnlinkNode(inc);
	xmlFreeNode(inc);
	rc = 0;
done:
	xmlFreeDoc(idoc);
	return rc;
}

static int
report_resolve_includes(xmlDocPtr doc, const char *path, struct mx_err *err)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), c, next;

	if (!report_is_xsl(root, "stylesheet") &&
	    !report_is_xsl(root, "transform"))
		return mx_err_set(err, MX_ERR_INTERNAL, path,
		    "not an XSLT stylesheet");
	for (c = root->children; c != NULL; c = next) {
		next = c->next;
		if (report_is_xsl(c, "import"))
			return mx_err_set(err, MX_ERR_INTERNAL, path,
			    "xsl:import is not supported in reports");
		if (report_is_xsl(c, "include") &&
		    report_include(c, path, err) == -1)
			return -1;
	}
	return 0;
}

/* Load, resolve and compile reports/<name>.  NULL on error. */
static xsltStylesheetPtr
report_stylesheet(const char *name, struct mx_err *err)
{
	char path[4096];
	xmlDocPtr doc;
	xsltStylesheetPtr style;

	if (datadir_file(path, sizeof(path), "reports", name, err) == -1)
		return NULL;
	doc = xml_parse_file(path, REPORT_STYLESHEET_MAX, 1, err);
	if (doc == NULL)
		return NULL;
	if (report_resolve_includes(doc, path, err) == -1) {
		xmlFreeDoc(doc);
		return NULL;
	}
	/* Messages from libxslt then name the file. */
	if (doc->URL == NULL)
		doc->URL = xmlStrdup(BAD_CAST path);
	style = xsltParseStylesheetDoc(doc);
	if (style == NULL || style->errors != 0) {
		/* On failure the document still belongs to us. */
		if (style != NULL)
			xsltFreeStylesheet(style);
		else
			xmlFreeDoc(doc);
		mx_err_set(err, MX_ERR_INTERNAL, path,
		    "stylesheet does not compile");
		return NULL;
	}
	return style;
}

static void
report_xslt_message(void *ctx, const char *fmt, ...)
{
	struct report_msgs *m = ctx;
	va_list ap;
	int n;

	if (m->len + 1 >= sizeof(m->text))
		return;
	va_start(ap, fmt);
	n = vsnprintf(m->text + m->len, sizeof(m->text) - m->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	m->len += (size_t)n;
	if (m->len >= sizeof(m->text))
		m->len = sizeof(m->text) - 1;
}

/*
 * Make the first message libxslt reported into one line for struct mx_err:
 * libxslt writes a location line ("runtime error: file F line N element
 * E") before each message, so the result reads "message (file F line N
 * element E)".
 */
static void
report_msgs_summary(struct report_msgs *m, char *out, size_t size)
{
	static const char *const prefixes[] = {
		"runtime error: ", "compilation error: ", "warning: "
	};
	const char *line, *end, *where = NULL, *what = NULL;
	size_t wlen = 0, mlen = 0, i, n;

	m->text[m->len] = '\0';
	for (line = m->text; *line != '\0' && what == NULL; line = end) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		n = (size_t)(end - line);
		if (*end == '\n')
			end++;
		while (n > 0 && (line[0] == ' ' || line[0] == '\t')) {
			line++;
			n--;
		}
		if (n == 0)
			continue;
		for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
			if (strncmp(line, prefixes[i], strlen(prefixes[i])) ==
			    0)
				break;
		if (i < sizeof(prefixes) / sizeof(prefixes[0])) {
			if (where == NULL) {
				where = line + strlen(prefixes[i]);
				wlen = n - strlen(prefixes[i]);
			}
			continue;
		}
		what = line;
		mlen = n;
	}
	if (what == NULL && where == NULL)
		snprintf(out, size, "no message");
	else if (what == NULL)
		snprintf(out, size, "%.*s", (int)wlen, where);
	else if (where == NULL)
		snprintf(out, size, "%.*s", (int)mlen, what);
	else
		snprintf(out, size, "%.*s (%.*s)", (int)mlen, what, (int)wlen,
		    where);
}

static xsltSecurityPrefsPtr
report_security(void)
{
	static const xsltSecurityOption forbidden[] = {
		XSLT_SECPREF_READ_FILE,
		XSLT_SECPREF_WRITE_FILE,
		XSLT_SECPREF_CREATE_DIRECTORY,
		XSLT_SECPREF_READ_NETWORK,
		XSLT_SECPREF_WRITE_NETWORK
	};
	xsltSecurityPrefsPtr prefs;
	size_t i;

	prefs = xsltNewSecurityPrefs();
	if (prefs == NULL)
		return NULL;
	for (i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]); i++)
		if (xsltSetSecurityPrefs(prefs, forbidden[i],
		    xsltSecurityForbid) != 0) {
			xsltFreeSecurityPrefs(prefs);
			return NULL;
		}
	return prefs;
}

/*
 * Run the stylesheet on the findings and serialise the result into *out
 * (freed with xmlFree).  Returns 0 or -1.
 */
static int
report_transform(xsltStylesheetPtr style, xmlDocPtr findings,
    const char *lang, const char *name, xmlChar **out, int *outlen,
    struct mx_err *err)
{
	struct report_msgs msgs;
	char line[512];
	xsltSecurityPrefsPtr prefs;
	xsltTransformContextPtr ctxt = NULL;
	xmlDocPtr res = NULL;
	int rc = -1;

	*out = NULL;
	*outlen = 0;
	memset(&msgs, 0, sizeof(msgs));
	prefs = report_security();
	if (prefs == NULL)
		return mx_err_set(err, MX_ERR_INTERNAL, name,
		    "cannot set XSLT security preferences");
	ctxt = xsltNewTransformContext(style, findings);
	if (ctxt == NULL) {
		mx_err_set(err, MX_ERR_INTERNAL, name,
		    "cannot create a transform context");
		goto done;
	}
	if (xsltSetCtxtSecurityPrefs(prefs, ctxt) != 0) {
		mx_err_set(err, MX_ERR_INTERNAL, name,
		    "cannot attach XSLT security preferences");
		goto done;
	}
	ctxt->maxTemplateDepth = REPORT_TEMPLATE_DEPTH_MAX;
	ctxt->maxTemplateVars = REPORT_TEMPLATE_VARS_MAX;
#if LIBXSLT_VERSION >= 10135
	/* Stops recursion that is shallow but exponentially wide. */
	ctxt->opLimit = REPORT_XSLT_OPS_MAX;
#endif
	xsltSetTransformErrorFunc(ctxt, &msgs, report_xslt_message);
	if (xsltQuoteOneUserParam(ctxt, BAD_CAST "lang",
	    BAD_CAST lang) != 0 ||
	    xsltQuoteOneUserParam(ctxt, BAD_CAST "generator",
	    BAD_CAST REPORT_GENERATOR) != 0) {
		mx_err_set(err, MX_ERR_INTERNAL, name,
		    "cannot pass stylesheet parameters");
		goto done;
	}
	res = xsltApplyStylesheetUser(style, findings, NULL, NULL, NULL, ctxt);
	if (res == NULL || ctxt->state != XSLT_STATE_OK) {
		report_msgs_summary(&msgs, line, sizeof(line));
		mx_err_set(err, MX_ERR_INTERNAL, name, "transform failed: %s",
		    line);
		goto done;
	}
	if (xsltSaveResultToString(out, outlen, res, style) != 0) {
		mx_err_set(err, MX_ERR_INTERNAL, name,
		    "cannot serialise the report");
		goto done;
	}
	if (*out == NULL || *outlen <= 0) {
		mx_err_set(err, MX_ERR_INTERNAL, name,
		    "the stylesheet produced no output");
		goto done;
	}
	if ((unsigned)*outlen > REPORT_OUTPUT_MAX) {
		mx_err_set(err, MX_ERR_LIMIT, name,
		    "report larger than %u bytes (REPORT_OUTPUT_MAX)",
		    REPORT_OUTPUT_MAX);
		goto done;
	}
	if (msgs.len > 0) {
		report_msgs_summary(&msgs, line, sizeof(line));
		log_warnx(LOG_REPORT, "%s: %s", name, line);
	}
	rc = 0;
done:
	if (rc == -1 && *out != NULL) {
		xmlFree(*out);
		*out = NULL;
		*outlen = 0;
	}
	xmlFreeDoc(res);
	if (ctxt != NULL)
		xsltFreeTransformContext(ctxt);
	xsltFreeSecurityPrefs(prefs);
	return rc;
}

/*
 * Make text output safe for a terminal, in place: C0 controls other than
 * newline and tab, DEL and UTF-8 encoded C1 controls become '?'.  Returns
 * the new length (a C1 control shrinks from two bytes to one).
 */
static size_t
report_terminal_safe(unsigned char *s, size_t len)
{
	size_t i, o;

	for (i = 0, o = 0; i < len; i++) {
		if ((s[i] < 0x20 && s[i] != '\n' && s[i] != '\t') ||
		    s[i] == 0x7f)
			s[o++] = '?';
		else if (s[i] == 0xc2 && i + 1 < len && s[i + 1] >= 0x80 &&
		    s[i + 1] <= 0x9f) {
			s[o++] = '?';
			i++;
		} else
			s[o++] = s[i];
	}
	return o;
}

/* The first occurrence of needle in hay[0..len), or NULL. */
static const char *
report_find_bytes(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; n <= len && i <= len - n; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
			return hay + i;
	return NULL;
}

/*
 * The CSP source of the first element <tag>...</tag> of html: "sha256-"
 * and the base64 of the SHA-256 of its content, byte for byte as written
 * (what a browser hashes).  -1 when there is no such element.
 */
static int
report_csp_hash(const char *html, size_t len, const char *tag,
    const char **start, char out[64])
{
	char open[16], close[16];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen;
	const char *b, *e;

	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	b = report_find_bytes(html, len, open);
	if (b == NULL)
		return -1;
	b += strlen(open);
	e = report_find_bytes(b, len - (size_t)(b - html), close);
	if (e == NULL || EVP_Digest(b, (size_t)(e - b), md, &mdlen,
	    EVP_sha256(), NULL) != 1 || mdlen != 32)
		return -1;
	memcpy(out, "sha256-", 7);
	EVP_EncodeBlock((unsigned char *)out + 7, md, 32);
	*start = b;
	return 0;
}

/*
 * Put the hashes of the inline style and script into the
 * Content-Security-Policy meta of an HTML report, in place of the
 * placeholders sha256-@STYLE@ and sha256-@SCRIPT@, which must come before
 * both elements (in the head, before anything from the findings).  Text
 * from the findings cannot forge an element: it is escaped, so the first
 * <style> and <script> are the stylesheet's own.
 */
static int
report_csp(char **html, size_t *len, struct mx_err *err)
{
	static const char *const tags[] = { "style", "script" };
	static const char *const marks[] = { "sha256-@STYLE@",
	    "sha256-@SCRIPT@" };
	char hash[64], *out;
	const char *elem, *mark;
	size_t i, n, at;

	for (i = 0; i < 2; i++) {
		/* A stylesheet without the placeholder ships no such policy. */
		if (report_find_bytes(*html, *len, marks[i]) == NULL)
			continue;
		if (report_csp_hash(*html, *len, tags[i], &elem, hash) == -1)
			return mx_err_set(err, MX_ERR_INTERNAL, "html.xsl",
			    "the report has no inline %s to hash", tags[i]);
		mark = report_find_bytes(*html, *len, marks[i]);
		if (mark == NULL || mark > elem)
			return mx_err_set(err, MX_ERR_INTERNAL, "html.xsl",
			    "no %s placeholder before the inline %s",
			    marks[i], tags[i]);
		at = (size_t)(mark - *html);
		n = strlen(hash);
		out = xmalloc(*len - strlen(marks[i]) + n + 1);
		memcpy(out, *html, at);
		memcpy(out + at, hash, n);
		memcpy(out + at + n, mark + strlen(marks[i]),
		    *len - at - strlen(marks[i]));
		*len = *len - strlen(marks[i]) + n;
		out[*len] = '\0';
		free(*html);
		*html = out;
	}
	return 0;
}

static void
report_exslt_once(void)
{
	static int done;

	if (!done) {
		exsltRegisterAll();
		done = 1;
	}
}

/*
 * Render findings as format in lang into *out (*len bytes, freed with
 * free()).  An unknown format is MX_ERR_USAGE, an unknown language falls
 * back to English with a warning, a stylesheet that fails to load, compile
 * or run is MX_ERR_INTERNAL.  The findings document stays the caller's.
 */
int
report_render_mem(xmlDocPtr findings, const char *format, const char *lang,
    char **out, size_t *len, struct mx_err *err)
{
	const struct report_format *fmt;
	xsltStylesheetPtr style;
	xmlChar *res;
	int reslen, rc;

	*out = NULL;
	*len = 0;
	fmt = report_find(format);
	if (fmt == NULL)
		return mx_err_set(err, MX_ERR_USAGE, NULL,
		    "unknown report format \"%s\" (%s)",
		    format != NULL ? format : "", REPORT_FORMATS);
	if (findings == NULL || xmlDocGetRootElement(findings) == NULL)
		return mx_err_set(err, MX_ERR_INTERNAL, NULL,
		    "no findings document to render");
	if (fmt->stylesheet == NULL) {
		if (xml_dump(findings, &res, &reslen, err) == -1)
			return -1;
	} else {
		report_exslt_once();
		style = report_stylesheet(fmt->stylesheet, err);
		if (style == NULL)
			return -1;
		/* The terminal filter below knows C1 controls in UTF-8 only. */
		if (fmt->terminal && style->encoding != NULL &&
		    xmlStrcasecmp(style->encoding, BAD_CAST "UTF-8") != 0) {
			xsltFreeStylesheet(style);
			return mx_err_set(err, MX_ERR_INTERNAL,
			    fmt->stylesheet,
			    "a report for terminals must be written in UTF-8");
		}
		rc = report_transform(style, findings, report_lang(lang),
		    fmt->stylesheet, &res, &reslen, err);
		xsltFreeStylesheet(style);
		if (rc == -1)
			return -1;
	}
	*len = (size_t)reslen;
	if (fmt->terminal)
		*len = report_terminal_safe(res, *len);
	*out = xmalloc(*len + 1);
	memcpy(*out, res, *len);
	(*out)[*len] = '\0';
	xmlFree(res);
	if (fmt->csp && report_csp(out, len, err) == -1) {
		free(*out);
		*out = NULL;
		*len = 0;
		return -1;
	}
	return 0;
}

/*
 * Render findings as format in lang and replace path atomically (see
 * report_render_mem); writing is MX_ERR_IO.
 */
int
report_render(xmlDocPtr findings, const char *format, const char *lang,
    const char *path, struct mx_err *err)
{
	char *out;
	size_t len;
	int rc;

	if (report_render_mem(findings, format, lang, &out, &len, err) == -1)
		return -1;
	rc = util_write_atomic(path, out, len, err);
	free(out);
	if (rc == 0)
		log_debug(LOG_REPORT, "%s report written to %s (%zu bytes)",
		    format, path, len);
	return rc;
}
