/*
 * engine.c - evaluate rules on a model (see engine.h, docs/rules.md and
 * docs/findings.md).
 *
 * Rules are written against model elements without a namespace, so the
 * engine works on a copy of the model stripped of its namespace; the
 * evidence copied into findings is put back into urn:mxbpa:model:1.
 * Each (rule, object) pair is evaluated with $self bound to the object
 * and an XPath operation limit (XPATH_OPS_MAX).
 *
 * SPDX-License-Identifier: ISC
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "bounds.h"
#include "coverage.h"
#include "engine.h"
#include "err.h"
#include "findings.h"
#include "headline.h"
#include "log.h"
#include "model.h"
#include "rules.h"
#include "util.h"
#include "xml.h"
#include "xpathfn.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

/* Languages whose texts findings carry. */
static const char *const engine_text_elements[] = {
	"title", "message", "remediation", NULL
};

/* One finding waiting to be sorted into the document. */
struct engine_finding {
	xmlNodePtr	 node;
	int		 severity;
	const char	*rule;
	const char	*server;
	const char	*object;
	size_t		 index;
};

struct engine_run {
	const struct rule_set	*rules;
	xmlDocPtr		 work;		/* namespace-free model copy */
	xmlXPathContextPtr	 ctxt;
	xmlDocPtr		 out;
	xmlNodePtr		 root;
	xmlNsPtr		 ns;
	struct engine_comps	*comps;		/* compiled {expr} of texts */
	const struct rule_let	*pack_lets;	/* bound: the current pack's */
	size_t			 npack_lets;
	struct coverage		*coverage;	/* what the inputs told */
	struct engine_finding	*findings;
	size_t			 nfindings;
	size_t			 cap;
	unsigned long		 checks;
	unsigned long		 by_severity[SEVERITY_COUNT];
	unsigned long		 waived;
	char			 today[16];	/* YYYY-MM-DD, for expiry */
	char			 xpath_msg[256];
};

xmlXPathContextPtr
engine_xpath_context(xmlDocPtr doc)
{
	xmlXPathContextPtr ctxt = xmlXPathNewContext(doc);

	if (ctxt == NULL)
		return NULL;
	if (xpathfn_register(ctxt) == -1) {
		xmlXPathFreeContext(ctxt);
		return NULL;
	}
	return ctxt;
}

static void
engine_xpath_error(void *data, xmlErrorPtr xe)
{
	char *msg = data;
	size_t n;

	if (msg[0] != '\0' || xe == NULL || xe->message == NULL)
		return;
	util_strlcpy(msg, xe->message, 256);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
}

/*
 * Evaluate expr on node with $self bound; NULL with the XPath message.
 *
 * The context's operation count is never reset: it adds up every
 * evaluation of the run (xpathfn.c charges its functions' work to it too),
 * and one evaluation may add at most XPATH_OPS_MAX, the whole run at most
 * XPATH_RUN_OPS_MAX.
 */
static xmlXPathObjectPtr
engine_eval(xmlXPathContextPtr ctxt, xmlNodePtr node,
    xmlXPathCompExprPtr comp, const char *expr, char msg[256])
{
	xmlXPathObjectPtr res;
	unsigned long limit;

	msg[0] = '\0';
	ctxt->node = node;
	ctxt->error = engine_xpath_error;
	ctxt->userData = msg;
	limit = ctxt->opCount < XPATH_RUN_OPS_MAX - XPATH_OPS_MAX ?
	    ctxt->opCount + XPATH_OPS_MAX : XPATH_RUN_OPS_MAX;
	ctxt->opLimit = limit;
	xmlXPathRegisterVariable(ctxt, (const xmlChar *)"self",
	    xmlXPathNewNodeSet(node));
	if (ctxt->opCount >= XPATH_RUN_OPS_MAX)
		res = NULL;
	else if (comp != NULL)
		res = xmlXPathCompiledEval(comp, ctxt);
	else
		res = xmlXPathEvalExpression((const xmlChar *)expr, ctxt);
	ctxt->error = NULL;
	ctxt->userData = NULL;
	if (res == NULL && ctxt->opCount >= limit &&
	    limit == XPATH_RUN_OPS_MAX) {
		snprintf(msg, 256, "the XPath work of one analysis is spent "
		    "(%lu operations, XPATH_RUN_OPS_MAX)",
		    (unsigned long)XPATH_RUN_OPS_MAX);
		return NULL;
	}
	if (res == NULL && ctxt->opCount >= limit) {
		snprintf(msg, 256, "more than %lu XPath operations on one "
		    "object (XPATH_OPS_MAX)", (unsigned long)XPATH_OPS_MAX);
		return NULL;
	}
	if (res == NULL && msg[0] == '\0' && ctxt->lastError.message != NULL)
		engine_xpath_error(msg, &ctxt->lastError);
	if (res == NULL && msg[0] == '\0')
		util_strlcpy(msg, "evaluation failed", 256);
	return res;
}

/*
 * The {expr} parts of rule texts, each compiled once per run: a text is
 * interpolated for every finding, in every language.  Open addressing on
 * the expression's text; once three quarters full, further expressions
 * are compiled at each use.
 */
#define ENGINE_COMP_SLOTS	4096	/* a power of two */

struct engine_comps {
	char			*expr[ENGINE_COMP_SLOTS];
	xmlXPathCompExprPtr	 comp[ENGINE_COMP_SLOTS];
	size_t			 used;
};

static void
engine_comps_free(struct engine_comps *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < ENGINE_COMP_SLOTS; i++) {
		free(c->expr[i]);
		if (c->comp[i] != NULL)
			xmlXPathFreeCompExpr(c->comp[i]);
	}
	free(c);
}

/* The compiled expr, or NULL (not cached, or it does not compile). */
static xmlXPathCompExprPtr
engine_comp(struct engine_comps *c, xmlXPathContextPtr ctxt,
    const char *expr)
{
	uint32_t h = 2166136261u;
	const char *p;
	size_t i;

	if (c == NULL)
		return NULL;
	for (p = expr; *p != '\0'; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	for (i = h & (ENGINE_COMP_SLOTS - 1); c->expr[i] != NULL;
	    i = (i + 1) & (ENGINE_COMP_SLOTS - 1))
		if (strcmp(c->expr[i], expr) == 0)
			return c->comp[i];
	if (c->used >= ENGINE_COMP_SLOTS / 4 * 3)
		return NULL;
	c->expr[i] = xstrdup(expr);
	c->comp[i] = xmlXPathCtxtCompile(ctxt, (const xmlChar *)expr);
	c->used++;
	return c->comp[i];
}

/*
 * An XPath result as text for a message.  A whole number prints as one
 * (4294967295, where libxml2's XPath string() writes 4.294967295e+09
 * from 1e9 up); everything else as XPath's string() does.  Caller frees.
 */
static xmlChar *
engine_string(xmlXPathObjectPtr res)
{
	char buf[32];
	double v;

	if (res != NULL && res->type == XPATH_NUMBER) {
		v = res->floatval;
		if (isfinite(v) && v == floor(v) && fabs(v) < 1e18) {
			snprintf(buf, sizeof(buf), "%.0f", v);
			return xmlStrdup((const xmlChar *)buf);
		}
	}
	return xmlXPathCastToString(res);
}

/*
 * Walk the {expr} parts of text.  With ctxt and node, evaluate them
 * (compiled once when comps is given) and return the interpolated
 * string; without node, only compile them.
 */
static char *
engine_text(xmlXPathContextPtr ctxt, xmlNodePtr node, const char *text,
    const char *where, struct mx_err *err, struct engine_comps *comps)
{
	char *out = xmalloc(RULE_TEXT_MAX);
	char expr[RULE_TEXT_MAX], msg[256], c;
	size_t len = 0, plen;
	const char *p = text, *before, *piece;
	enum rule_piece k;
	int exprs = 0;

	for (;;) {
		xmlChar *value = NULL;

		before = p;
		if ((k = rule_text_piece(&p, &c, expr, sizeof(expr))) ==
		    RULE_PIECE_END)
			break;
		piece = &c;
		plen = 1;
		if (k == RULE_PIECE_CHAR && c == '}' && p - before == 1) {
			mx_err_set(err, MX_ERR_INPUT, where,
			    "unbalanced '}' in text (write '}}' for a brace)");
			goto fail;
		}
		if (k == RULE_PIECE_OPEN) {
			mx_err_set(err, MX_ERR_INPUT, where,
			    "unterminated '{' in text");
			goto fail;
		}
		if (k == RULE_PIECE_EXPR && ++exprs > RULE_TEXT_EXPR_MAX) {
			mx_err_set(err, MX_ERR_LIMIT, where,
			    "more than %d expressions in one text "
			    "(RULE_TEXT_EXPR_MAX)", RULE_TEXT_EXPR_MAX);
			goto fail;
		}
		if (k == RULE_PIECE_EXPR && node == NULL) {
			xmlXPathCompExprPtr comp;

			msg[0] = '\0';
			ctxt->error = engine_xpath_error;
			ctxt->userData = msg;
			comp = xmlXPathCtxtCompile(ctxt, (const xmlChar *)expr);
			ctxt->error = NULL;
			ctxt->userData = NULL;
			if (comp == NULL) {
				mx_err_set(err, MX_ERR_INPUT, where,
				    "XPath error in {%s}: %s", expr,
				    msg[0] ? msg : "invalid");
				goto fail;
			}
			xmlXPathFreeCompExpr(comp);
			if (xpathfn_check_calls(ctxt, expr, msg,
			    sizeof(msg)) == -1) {
				mx_err_set(err, MX_ERR_INPUT, where,
				    "unknown XPath function %s() in {%s}", msg,
				    expr);
				goto fail;
			}
			continue;
		}
		if (k == RULE_PIECE_EXPR) {
			xmlXPathObjectPtr res;

			res = engine_eval(ctxt, node, engine_comp(comps, ctxt,
			    expr), expr, msg);
			if (res == NULL) {
				mx_err_set(err, MX_ERR_INPUT, where,
				    "XPath error in {%s}: %s", expr, msg);
				goto fail;
			}
			value = engine_string(res);
			xmlXPathFreeObject(res);
			piece = (const char *)value;
			plen = value ? strlen(piece) : 0;
		}
		if (len + plen >= RULE_TEXT_MAX - 4)
			plen = len < RULE_TEXT_MAX - 4 ?
			    RULE_TEXT_MAX - 4 - len : 0;
		memcpy(out + len, piece, plen);
		len += plen;
		xmlFree(value);
	}
	out[len] = '\0';
	return out;
fail:
	free(out);
	return NULL;
}

int
engine_check_text(xmlXPathContextPtr ctxt, const char *text,
    const char *where, struct mx_err *err)
{
	char *s;

	if (text == NULL)
		return 0;
	s = engine_text(ctxt, NULL, text, where, err, NULL);
	free(s);
	return s != NULL ? 0 : -1;
}

char *
engine_interpolate(xmlXPathContextPtr ctxt, xmlNodePtr node,
    const char *text, const char *where, struct mx_err *err)
{
	if (node == NULL)
		return xstrdup(text);
	return engine_text(ctxt, node, text, where, err, NULL);
}

/*
 * Rendering a rule text on an object: the template's white space is
 * tidied as it is copied (runs collapse to one space; in remediations
 * each line keeps its breaks and loses its indentation), the values of
 * {expr} and <arg> are copied as they are.
 */
#define ENGINE_COMMANDS_MAX	32	/* <command> parts kept apart */

struct engine_out {
	char	*buf;			/* RULE_TEXT_MAX bytes */
	size_t	 len;
	int	 space;			/* template white space pending */
	int	 line_start;
	int	 keep_lines;
	size_t	 cmd[ENGINE_COMMANDS_MAX][2];	/* [start, end) of each */
	size_t	 ncmd;
};

static void
engine_out_bytes(struct engine_out *o, const char *s, size_t n)
{
	if (o->len + n >= RULE_TEXT_MAX - 4)
		n = o->len < RULE_TEXT_MAX - 4 ? RULE_TEXT_MAX - 4 - o->len : 0;
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

/* One character of the template. */
static void
engine_out_template(struct engine_out *o, char c)
{
	if (o->keep_lines && c == '\n') {
		while (o->len > 0 && o->buf[o->len - 1] == ' ')
			o->len--;
		if (o->len > 0)
			engine_out_bytes(o, "\n", 1);
		o->line_start = 1;
		o->space = 0;
		return;
	}
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
		o->space = 1;
		return;
	}
	if (o->space && o->len > 0 && !o->line_start)
		engine_out_bytes(o, " ", 1);
	o->space = 0;
	o->line_start = 0;
	engine_out_bytes(o, &c, 1);
}

/* A value, copied as it is. */
static void
engine_out_value(struct engine_out *o, const char *s)
{
	if (s == NULL || *s == '\0')
		return;
	if (o->space && o->len > 0 && !o->line_start)
		engine_out_bytes(o, " ", 1);
	o->space = 0;
	o->line_start = 0;
	engine_out_bytes(o, s, strlen(s));
}

/* The finished text: no blank edges; a new string. */
static char *
engine_out_end(struct engine_out *o)
{
	size_t start = 0;

	while (o->len > 0 && (o->buf[o->len - 1] == ' ' ||
	    o->buf[o->len - 1] == '\n'))
		o->len--;
	o->buf[o->len] = '\0';
	while (o->buf[start] == '\n')
		start++;
	if (start > 0)
		memmove(o->buf, o->buf + start, o->len - start + 1);
	return o->buf;
}

/* The code point of the UTF-8 sequence at s (length in *n), or -1. */
static long
engine_utf8(const unsigned char *s, size_t *n)
{
	if (s[0] < 0x80) {
		*n = 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0 && (s[1] & 0xc0) == 0x80) {
		*n = 2;
		return ((long)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
	}
	if ((s[0] & 0xf0) == 0xe0 && (s[1] & 0xc0) == 0x80 &&
	    (s[2] & 0xc0) == 0x80) {
		*n = 3;
		return ((long)(s[0] & 0x0f) << 12) |
		    ((long)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
	}
	if ((s[0] & 0xf8) == 0xf0 && (s[1] & 0xc0) == 0x80 &&
	    (s[2] & 0xc0) == 0x80 && (s[3] & 0xc0) == 0x80) {
		*n = 4;
		return ((long)(s[0] & 0x07) << 18) |
		    ((long)(s[1] & 0x3f) << 12) |
		    ((long)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
	}
	*n = 1;
	return -1;
}

/* Characters a pasted command must not hold as they are. */
static int
engine_ps_control(long cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
	    cp == 0x2028 || cp == 0x2029;
}

static void
engine_ps_put(char *out, size_t size, size_t *len, const char *s, size_t k)
{
	if (*len + k < size)
		memcpy(out + *len, s, k);
	*len += k;
}

size_t
engine_ps_quote(const char *in, char *out, size_t size)
{
	const unsigned char *p;
	size_t len = 0, n;
	int open = 0, parts = 0, wrap = 0;
	char code[32];
	long cp;

	for (p = (const unsigned char *)in; *p != '\0'; p += n)
		if (engine_ps_control(engine_utf8(p, &n)))
			wrap = 1;
	if (wrap)
		engine_ps_put(out, size, &len, "(", 1);
	for (p = (const unsigned char *)in; *p != '\0'; p += n) {
		cp = engine_utf8(p, &n);
		if (engine_ps_control(cp)) {
			/* [char]0x0A: a line break stays out of the line. */
			if (open)
				engine_ps_put(out, size, &len, "'", 1);
			snprintf(code, sizeof(code), "%s[char]0x%04lX",
			    parts++ ? " + " : "",
			    (unsigned long)(cp < 0 ? *p : cp));
			engine_ps_put(out, size, &len, code, strlen(code));
			open = 0;
			continue;
		}
		if (!open) {
			if (parts++)
				engine_ps_put(out, size, &len, " + ", 3);
			engine_ps_put(out, size, &len, "'", 1);
			open = 1;
		}
		engine_ps_put(out, size, &len, (const char *)p, n);
		/* Each quote that ends a PowerShell string is doubled. */
		if (cp == '\'' || cp == 0x2018 || cp == 0x2019 ||
		    cp == 0x201a || cp == 0x201b)
			engine_ps_put(out, size, &len, (const char *)p, n);
	}
	if (open)
		engine_ps_put(out, size, &len, "'", 1);
	else if (parts == 0)
		engine_ps_put(out, size, &len, "''", 2);
	if (wrap)
		engine_ps_put(out, size, &len, ")", 1);
	if (size > 0)
		out[len < size ? len : size - 1] = '\0';
	return len;
}

/* What rendering a text needs besides the output. */
struct engine_render {
	xmlXPathContextPtr	 ctxt;
	xmlNodePtr		 object;
	struct engine_comps	*comps;
	const char		*where;
	struct mx_err		*err;
};

/* Evaluate expr on the object; NULL with the error set. */
static xmlXPathObjectPtr
engine_render_eval(struct engine_render *t, const char *what,
    const char *expr)
{
	xmlXPathObjectPtr res;
	char msg[256];

	res = engine_eval(t->ctxt, t->object, engine_comp(t->comps, t->ctxt,
	    expr), expr, msg);
	if (res == NULL)
		mx_err_set(t->err, MX_ERR_INPUT, t->where,
		    "XPath error in %s %s: %s", what, expr, msg);
	return res;
}

/* A text node: template characters, {expr} values, {{ and }}. */
static int
engine_render_text(struct engine_render *t, struct engine_out *o,
    const char *text)
{
	char expr[RULE_TEXT_MAX], c;
	xmlXPathObjectPtr res;
	enum rule_piece k;
	xmlChar *value;

	while ((k = rule_text_piece(&text, &c, expr, sizeof(expr))) !=
	    RULE_PIECE_END) {
		if (k == RULE_PIECE_OPEN)
			return mx_err_set(t->err, MX_ERR_INPUT, t->where,
			    "unterminated '{' in text");
		if (k == RULE_PIECE_CHAR) {
			engine_out_template(o, c);
			continue;
		}
		if ((res = engine_render_eval(t, "{}", expr)) == NULL)
			return -1;
		value = engine_string(res);
		xmlXPathFreeObject(res);
		engine_out_value(o, (const char *)value);
		xmlFree(value);
	}
	return 0;
}

/* Does the <when> test of c hold on the object?  -1 on error. */
static int
engine_render_test(struct engine_render *t, xmlNodePtr c)
{
	xmlXPathObjectPtr res;
	int holds;

	if ((res = engine_render_eval(t, "when", xml_attr(c, "test"))) == NULL)
		return -1;
	holds = xmlXPathCastToBoolean(res);
	xmlXPathFreeObject(res);
	return holds;
}

static int
engine_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One value quoted as a PowerShell string, into the output. */
static void
engine_out_quoted(struct engine_out *o, const char *value)
{
	char quoted[RULE_TEXT_MAX];
	size_t n;

	n = engine_ps_quote(value, quoted, sizeof(quoted));
	/* Never a quote cut short: a placeholder no identity matches. */
	engine_out_value(o, n < sizeof(quoted) ? quoted :
	    "'(value too long to quote)'");
}

/*
 * <arg select>: the value as one PowerShell argument; with list="comma",
 * the string value of each node, sorted, each quoted, joined by commas
 * (a PowerShell array: 'a','b'), or '' for none.
 */
static int
engine_render_arg(struct engine_render *t, struct engine_out *o,
    xmlNodePtr c)
{
	const char *list = xml_attr(c, "list");
	xmlXPathObjectPtr res;
	xmlChar *value, **v;
	int i, n;

	if ((res = engine_render_eval(t, "arg", xml_attr(c, "select"))) ==
	    NULL)
		return -1;
	if (list == NULL || res->type != XPATH_NODESET ||
	    res->nodesetval == NULL || res->nodesetval->nodeNr < 2) {
		value = engine_string(res);
		xmlXPathFreeObject(res);
		engine_out_quoted(o, value != NULL ? (const char *)value : "");
		xmlFree(value);
		return 0;
	}
	n = res->nodesetval->nodeNr;
	v = xreallocarray(NULL, (size_t)n, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = xmlXPathCastNodeToString(res->nodesetval->nodeTab[i]);
	qsort(v, (size_t)n, sizeof(*v), engine_strcmp);
	for (i = 0; i < n; i++) {
		if (i > 0)
			engine_out_bytes(o, ",", 1);
		engine_out_quoted(o, v[i] != NULL ? (const char *)v[i] : "");
		xmlFree(v[i]);
	}
	free(v);
	xmlXPathFreeObject(res);
	return 0;
}

/* The parts of a text element: text, <when>, <choose>, <command>. */
static int
engine_render_parts(struct engine_render *t, struct engine_out *o,
    xmlNodePtr parent)
{
	xmlNodePtr c, w;
	int holds;

	for (c = parent->children; c != NULL; c = c->next) {
		if (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) {
			if (engine_render_text(t, o,
			    (const char *)c->content) == -1)
				return -1;
		} else if (c->type != XML_ELEMENT_NODE) {
			continue;
		} else if (strcmp((const char *)c->name, "arg") == 0) {
			if (engine_render_arg(t, o, c) == -1)
				return -1;
		} else if (strcmp((const char *)c->name, "when") == 0) {
			if ((holds = engine_render_test(t, c)) == -1 ||
			    (holds && engine_render_parts(t, o, c) == -1))
				return -1;
		} else if (strcmp((const char *)c->name, "choose") == 0) {
			/* The first <when> that holds, else <otherwise>. */
			for (w = c->children; w != NULL; w = w->next) {
				if (w->type != XML_ELEMENT_NODE)
					continue;
				holds = strcmp((const char *)w->name,
				    "otherwise") == 0 ? 1 :
				    engine_render_test(t, w);
				if (holds == -1 ||
				    (holds && engine_render_parts(t, o, w) == -1))
					return -1;
				if (holds)
					break;
			}
		} else {
			/* <command>: where it starts and ends, as a part */
			size_t start = o->len;

			if (engine_render_parts(t, o, c) == -1)
				return -1;
			if (start < o->len && o->buf[start] == ' ')
				start++;
			if (o->ncmd < ENGINE_COMMANDS_MAX && start < o->len) {
				o->cmd[o->ncmd][0] = start;
				o->cmd[o->ncmd++][1] = o->len;
			}
		}
	}
	return 0;
}

/*
 * Render the text element el on object as a child of finding (its
 * <command> parts as elements).  0, or -1 with the error set.
 */
static int
engine_render(struct engine_run *run, xmlNodePtr finding, xmlNodePtr object,
    xmlNodePtr el, const char *where, struct mx_err *err)
{
	struct engine_render t;
	struct engine_out o;
	xmlNodePtr e;
	xmlChar *lang;
	size_t at = 0, i, end;
	char *text;

	memset(&o, 0, sizeof(o));
	o.buf = xmalloc(RULE_TEXT_MAX);
	/*
	 * A plain remediation keeps its lines (a script); one made of parts
	 * is laid out by its markup, and its line breaks are white space.
	 */
	o.keep_lines = strcmp((const char *)el->name, "remediation") == 0 &&
	    xmlFirstElementChild(el) == NULL;
	o.line_start = 1;
	t.ctxt = run->ctxt;
	t.object = object;
	t.comps = run->comps;
	t.where = where;
	t.err = err;
	if (engine_render_parts(&t, &o, el) == -1) {
		free(o.buf);
		return -1;
	}
	text = engine_out_end(&o);
	e = xmlNewChild(finding, run->ns, el->name, NULL);
	for (i = 0; i <= o.ncmd; i++) {
		end = i < o.ncmd && o.cmd[i][0] < o.len ? o.cmd[i][0] : o.len;
		if (end > at)
			xmlAddChild(e, xmlNewTextLen((const xmlChar *)text + at,
			    (int)(end - at)));
		if (i == o.ncmd || end == o.len)
			break;
		at = o.cmd[i][1] < o.len ? o.cmd[i][1] : o.len;
		xmlAddChild(xmlNewChild(e, run->ns, (const xmlChar *)"command",
		    NULL), xmlNewTextLen((const xmlChar *)text + end,
		    (int)(at - end)));
	}
	lang = xmlNodeGetLang(el);
	if (lang != NULL)
		xmlNodeSetLang(e, lang);
	xmlFree(lang);
	free(text);
	return 0;
}

static xmlNodePtr
engine_child(struct engine_run *run, xmlNodePtr parent, const char *name)
{
	return xmlNewChild(parent, run->ns, (const xmlChar *)name, NULL);
}

static void
engine_attr(xmlNodePtr node, const char *name, const char *value)
{
	if (value != NULL)
		xmlSetProp(node, (const xmlChar *)name, (const xmlChar *)value);
}

static xmlNodePtr
engine_ancestor(xmlNodePtr node, const char *name)
{
	for (; node != NULL && node->type == XML_ELEMENT_NODE;
	    node = node->parent)
		if (strcmp((const char *)node->name, name) == 0)
			return node;
	return NULL;
}

/* Add a text element per language the rule has for it. */
static int
engine_add_texts(struct engine_run *run, xmlNodePtr finding,
    const struct rule *r, const char *element, xmlNodePtr object,
    struct mx_err *err)
{
	char where[300];
	xmlNodePtr c;

	for (c = r->node->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, element) != 0)
			continue;
		snprintf(where, sizeof(where), "%s:%ld: rule %s", r->file,
		    xml_line(c), r->id);
		if (engine_render(run, finding, object, c, where, err) == -1)
			return -1;
	}
	return 0;
}

/*
 * The waiver of this finding, if a pack has one: a <waiver> child.
 * Returns 1 when it waives the finding, 0 when there is none or it
 * expired (expires is the last day it holds).
 */
static int
engine_add_waiver(struct engine_run *run, const struct rule *r,
    xmlNodePtr f, const char *object)
{
	struct rule_entry e;
	xmlNodePtr w;
	int expired;

	if (rule_set_waiver(run->rules, r->id, object, &e) == -1)
		return 0;
	expired = e.expires != NULL &&
	    strncmp(e.expires, run->today, 10) < 0;
	w = xmlNewTextChild(f, run->ns, (const xmlChar *)"waiver",
	    (const xmlChar *)e.reason);
	engine_attr(w, "by", e.by);
	engine_attr(w, "date", e.date);
	engine_attr(w, "expires", e.expires);
	engine_attr(w, "expired", expired ? "true" : "false");
	engine_attr(w, "pack", e.pack);
	if (expired)
		log_warnx(LOG_ENGINE, "%s:%ld: the waiver of %s on %s expired "
		    "on %s", e.file, e.line, r->id, object, e.expires);
	return !expired;
}

/* Copy the elements of the rule's evidence expression after the object. */
static int
engine_add_evidence(struct engine_run *run, const struct rule *r,
    xmlNodePtr object, xmlNodePtr ev, struct mx_err *err)
{
	xmlXPathObjectPtr res;
	xmlNodePtr n, copy;
	char msg[256];
	int i;

	res = engine_eval(run->ctxt, object, r->evidence, r->evidence_text,
	    msg);
	if (res == NULL)
		return mx_err_set(err, MX_ERR_INPUT, r->id,
		    "evidence: XPath error: %s", msg);
	if (res->type != XPATH_NODESET) {
		xmlXPathFreeObject(res);
		return mx_err_set(err, MX_ERR_INPUT, r->id,
		    "evidence must yield a node-set");
	}
	for (i = 0; res->nodesetval != NULL && i < res->nodesetval->nodeNr;
	    i++) {
		n = res->nodesetval->nodeTab[i];
		if (n->type != XML_ELEMENT_NODE || n == object)
			continue;
		copy = xmlDocCopyNode(n, run->out, 1);
		if (copy != NULL) {
			xml_tree_set_ns(copy, xmlNewNs(copy,
			    (const xmlChar *)MODEL_NS, NULL));
			xmlAddChild(ev, copy);
		}
	}
	xmlXPathFreeObject(res);
	return 0;
}

static int
engine_add_finding(struct engine_run *run, const struct rule *r,
    xmlNodePtr object, struct mx_err *err)
{
	xmlNodePtr f, c, ev, copy, server, conn;
	struct engine_finding *ef;
	char target[NAME_MAX_LEN + 8];
	const char *id;
	size_t i;
	int waived;

	if (run->nfindings >= FINDINGS_MAX)
		return mx_err_set(err, MX_ERR_LIMIT, r->id,
		    "more than %d findings (FINDINGS_MAX)", FINDINGS_MAX);
	f = xmlNewDocNode(run->out, run->ns, (const xmlChar *)"finding",
	    NULL);
	server = engine_ancestor(object, "server");
	conn = engine_ancestor(object, "receive-connector");
	id = xml_attr(object, "identity");
	if (id == NULL)
		id = xml_attr(object, "name");
	if (id == NULL && xml_attr(object, "target") != NULL) {
		/* a probe: "target:port" */
		snprintf(target, sizeof(target), "%s:%s",
		    xml_attr(object, "target"),
		    xml_attr(object, "port") ? xml_attr(object, "port") : "");
		id = target;
	}
	engine_attr(f, "rule", r->id);
	engine_attr(f, "severity", severity_name(r->severity));
	engine_attr(f, "category", r->category);
	engine_attr(f, "object-kind", (const char *)object->name);
	engine_attr(f, "object", id != NULL ? id : (const char *)object->name);
	engine_attr(f, "server", xml_attr(server, "name"));
	engine_attr(f, "connector", xml_attr(conn, "name"));
	for (i = 0; engine_text_elements[i] != NULL; i++)
		if (engine_add_texts(run, f, r, engine_text_elements[i],
		    object, err) == -1) {
			xmlFreeNode(f);
			return -1;
		}
	for (c = r->node->children; c != NULL; c = c->next) {
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, "reference") == 0) {
			xmlChar *t = xmlNodeGetContent(c);
			xmlNodePtr ref = xmlNewTextChild(f, run->ns,
			    (const xmlChar *)"reference", t);

			engine_attr(ref, "href", xml_attr(c, "href"));
			xmlFree(t);
		}
	}
	waived = engine_add_waiver(run, r, f, xml_attr(f, "object"));
	ev = engine_child(run, f, "evidence");
	copy = xmlDocCopyNode(object, run->out, 1);
	if (copy != NULL) {
		xmlNsPtr mns = xmlNewNs(copy, (const xmlChar *)MODEL_NS, NULL);
		xmlNodePtr c, next;

		/*
		 * Evidence is what was collected; the derived <effective>
		 * facts follow from it (docs/effective-rights.md) and would
		 * double every finding.
		 */
		for (c = copy->children; c != NULL; c = next) {
			next = c->next;
			if (c->type == XML_ELEMENT_NODE && strcmp((const char *)
			    c->name, "effective") == 0) {
				xmlUnlinkNode(c);
				xmlFreeNode(c);
			}
		}

		xml_tree_set_ns(copy, mns);
		xmlAddChild(ev, copy);
	}
	if (r->evidence != NULL && engine_add_evidence(run, r, object, ev,
	    err) == -1) {
		xmlFreeNode(f);
		return -1;
	}
	if (run->nfindings == run->cap) {
		run->cap = run->cap ? run->cap * 2 : 64;
		run->findings = xreallocarray(run->findings, run->cap,
		    sizeof(*run->findings));
	}
	ef = &run->findings[run->nfindings];
	ef->node = f;
	ef->severity = r->severity;
	ef->rule = r->id;
	ef->server = xml_attr(f, "server");
	ef->object = xml_attr(f, "object");
	ef->index = run->nfindings++;
	if (waived)
		run->waived++;
	else
		run->by_severity[r->severity]++;
	return 0;
}

/* Unbind lets[0..n) from the run's context. */
static void
engine_unbind(struct engine_run *run, const struct rule_let *lets, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		xmlXPathRegisterVariable(run->ctxt,
		    (const xmlChar *)lets[i].name, NULL);
}

/* Which lets engine_bind evaluates. */
#define ENGINE_BIND_ALL		0	/* every one */
#define ENGINE_BIND_ASSERT	1	/* those the assertion needs */
#define ENGINE_BIND_REST	2	/* the others */

/* Evaluate lets[0..n) on node in order, each bound for the next. */
static int
engine_bind(struct engine_run *run, const struct rule *r,
    const struct rule_let *lets, size_t n, xmlNodePtr node, int which,
    struct mx_err *err)
{
	char where[300], msg[256];
	xmlXPathObjectPtr v;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((which == ENGINE_BIND_ASSERT && !lets[i].for_assert) ||
		    (which == ENGINE_BIND_REST && lets[i].for_assert))
			continue;
		v = engine_eval(run->ctxt, node, lets[i].value,
		    lets[i].value_text, msg);
		if (v == NULL) {
			snprintf(where, sizeof(where), "%s:%ld: rule %s",
			    r->file, lets[i].line, r->id);
			engine_unbind(run, lets, i);
			return mx_err_set(err, MX_ERR_INPUT, where,
			    "let %s: XPath error: %s", lets[i].name, msg);
		}
		xmlXPathRegisterVariable(run->ctxt,
		    (const xmlChar *)lets[i].name, v);
	}
	return 0;
}

/* The lets of the rule's pack, computed once when the pack starts. */
static int
engine_bind_pack(struct engine_run *run, const struct rule *r,
    struct mx_err *err)
{
	if (run->pack_lets == r->pack_lets)
		return 0;
	engine_unbind(run, run->pack_lets, run->npack_lets);
	run->pack_lets = NULL;
	run->npack_lets = 0;
	if (engine_bind(run, r, r->pack_lets, r->npack_lets,
	    xmlDocGetRootElement(run->work), ENGINE_BIND_ALL, err) == -1)
		return -1;
	run->pack_lets = r->pack_lets;
	run->npack_lets = r->npack_lets;
	return 0;
}

static int
engine_run_rule(struct engine_run *run, const struct rule *r,
    xmlNodePtr rule_el, struct mx_err *err)
{
	char where[300], msg[256];
	xmlXPathObjectPtr sel, res;
	unsigned long checked = 0, failed = 0, skipped = 0;
	size_t gaps;
	char num[32];
	int i, rc = 0;

	snprintf(where, sizeof(where), "%s:%ld: rule %s", r->file, r->line,
	    r->id);
	if (engine_bind_pack(run, r, err) == -1)
		return -1;
	sel = engine_eval(run->ctxt, xmlDocGetRootElement(run->work),
	    r->select, r->select_text, msg);
	if (sel == NULL)
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "select: XPath error: %s", msg);
	if (sel->type != XPATH_NODESET) {
		xmlXPathFreeObject(sel);
		return mx_err_set(err, MX_ERR_INPUT, where,
		    "select must yield a node-set");
	}
	for (i = 0; sel->nodesetval != NULL &&
	    i < sel->nodesetval->nodeNr; i++) {
		xmlNodePtr node = sel->nodesetval->nodeTab[i];

		if (node->type != XML_ELEMENT_NODE) {
			rc = mx_err_set(err, MX_ERR_INPUT, where,
			    "select must yield elements");
			break;
		}
		/* Without the inputs it needs, the rule cannot judge it. */
		if (!coverage_object_ok(run->coverage, r->needs, node)) {
			skipped++;
			continue;
		}
		if (engine_bind(run, r, r->lets, r->nlets, node,
		    ENGINE_BIND_ASSERT, err) == -1) {
			rc = -1;
			break;
		}
		res = engine_eval(run->ctxt, node, r->assert, r->assert_text,
		    msg);
		if (res == NULL) {
			engine_unbind(run, r->lets, r->nlets);
			rc = mx_err_set(err, MX_ERR_INPUT, where,
			    "assert: XPath error: %s", msg);
			break;
		}
		checked++;
		run->checks++;
		if (!xmlXPathCastToBoolean(res)) {
			failed++;
			/* the lets only the texts and evidence use */
			if (engine_bind(run, r, r->lets, r->nlets, node,
			    ENGINE_BIND_REST, err) == -1 ||
			    engine_add_finding(run, r, node, err) == -1)
				rc = -1;
		}
		xmlXPathFreeObject(res);
		engine_unbind(run, r->lets, r->nlets);
		if (rc == -1)
			break;
	}
	xmlXPathFreeObject(sel);
	snprintf(num, sizeof(num), "%lu", checked);
	engine_attr(rule_el, "checked", num);
	snprintf(num, sizeof(num), "%lu", failed);
	engine_attr(rule_el, "failed", num);
	if (skipped > 0) {
		snprintf(num, sizeof(num), "%lu", skipped);
		engine_attr(rule_el, "not-checked", num);
	}
	gaps = coverage_add_gaps(run->coverage, r->needs, rule_el, run->ns);
	/* Failed wins; nothing is "passed" with a gap or on no object. */
	engine_attr(rule_el, "status", failed > 0 ? "failed" :
	    gaps > 0 || skipped > 0 ? "not-checked" :
	    checked > 0 ? "passed" : "not-applicable");
	log_debug(LOG_ENGINE, "%s: %lu checked, %lu failed, %lu not checked",
	    r->id, checked, failed, skipped);
	return rc;
}

static xmlNodePtr
engine_rule_element(struct engine_run *run, const struct rule *r)
{
	xmlNodePtr e = xmlNewDocNode(run->out, run->ns,
	    (const xmlChar *)"rule", NULL), c;

	engine_attr(e, "id", r->id);
	engine_attr(e, "severity", severity_name(r->severity));
	engine_attr(e, "category", r->category);
	engine_attr(e, "pack", r->pack);
	for (c = r->node->children; c != NULL; c = c->next) {
		xmlChar *t, *lang;
		xmlNodePtr title;

		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, "title") != 0)
			continue;
		t = xmlNodeGetContent(c);
		title = xmlNewTextChild(e, run->ns, (const xmlChar *)"title",
		    t);
		lang = xmlNodeGetLang(c);
		if (lang != NULL)
			xmlNodeSetLang(title, lang);
		xmlFree(lang);
		xmlFree(t);
	}
	return e;
}

/*
 * One <probe> of the summary: the listener and its relay verdict, with
 * why it is unknown, so that a report can say which listeners relay, which
 * do not, and which could not be determined.
 */
static void
engine_probe_summary(struct engine_run *run, xmlNodePtr e, xmlNodePtr probe)
{
	static const char *const attrs[] = { "target", "address", "port",
	    "status", "relay", "relay-reason", "relay-variants" };
	xmlNodePtr pe = engine_child(run, e, "probe");
	size_t i;

	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		engine_attr(pe, attrs[i], xml_attr(probe, attrs[i]));
}

/* The <model> summary: provenance and the topology the report draws. */
static void
engine_model_summary(struct engine_run *run, struct model *m)
{
	xmlNodePtr root = xmlDocGetRootElement(run->work), e, c, s, k;
	xmlChar *bytes = NULL;
	char sha[65];
	int len = 0;

	e = engine_child(run, run->root, "model");
	engine_attr(e, "collected", xml_attr(root, "collected"));
	xmlDocDumpMemory(model_doc(m), &bytes, &len);
	if (bytes != NULL) {
		util_sha256_hex(bytes, (size_t)len, sha);
		engine_attr(e, "sha256", sha);
		xmlFree(bytes);
	}
	for (c = root->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)c->name, "source") == 0) {
			xmlNodePtr src = xmlDocCopyNode(c, run->out, 1);

			xml_tree_set_ns(src, run->ns);
			xmlAddChild(e, src);
		}
		if (strcmp((const char *)c->name, "organization") != 0)
			continue;
		engine_attr(e, "organization", xml_attr(c, "name"));
		for (s = c->children; s != NULL; s = s->next) {
			xmlNodePtr se;

			if (s->type != XML_ELEMENT_NODE ||
			    strcmp((const char *)s->name, "server") != 0)
				continue;
			se = engine_child(run, e, "server");
			engine_attr(se, "name", xml_attr(s, "name"));
			engine_attr(se, "fqdn", xml_attr(s, "fqdn"));
			engine_attr(se, "version", xml_attr(s, "version"));
			engine_attr(se, "roles", xml_attr(s, "roles"));
			for (k = s->children; k != NULL; k = k->next) {
				xmlNodePtr ce, b;
				char binds[1024] = "";
				size_t used;

				if (k->type != XML_ELEMENT_NODE ||
				    strcmp((const char *)k->name,
				    "receive-connector") != 0)
					continue;
				ce = engine_child(run, se, "connector");
				engine_attr(ce, "name", xml_attr(k, "name"));
				engine_attr(ce, "identity",
				    xml_attr(k, "identity"));
				engine_attr(ce, "role", xml_attr(k, "role"));
				engine_attr(ce, "enabled",
				    xml_attr(k, "enabled"));
				for (b = k->children; b != NULL; b = b->next) {
					const char *t = xml_attr(b, "text");

					if (b->type != XML_ELEMENT_NODE ||
					    strcmp((const char *)b->name,
					    "binding") != 0 || t == NULL)
						continue;
					used = strlen(binds);
					snprintf(binds + used, sizeof(binds) -
					    used, "%s%s", used ? " " : "", t);
				}
				engine_attr(ce, "bindings", binds);
			}
		}
	}
	/* After the servers, as the schema orders them. */
	for (c = root->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, "probe") == 0)
			engine_probe_summary(run, e, c);
}

static int
engine_finding_cmp(const void *a, const void *b)
{
	const struct engine_finding *x = a, *y = b;
	int c;

	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	if ((c = strcmp(x->rule, y->rule)) != 0)
		return c;
	if ((c = strcmp(x->server ? x->server : "",
	    y->server ? y->server : "")) != 0)
		return c;
	if ((c = strcmp(x->object ? x->object : "",
	    y->object ? y->object : "")) != 0)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void
engine_summary(struct engine_run *run, xmlNodePtr summary, size_t nrules)
{
	char num[32];
	int s;

	snprintf(num, sizeof(num), "%zu", run->nfindings);
	engine_attr(summary, "total", num);
	for (s = SEVERITY_ERROR; s >= SEVERITY_INFO; s--) {
		snprintf(num, sizeof(num), "%lu", run->by_severity[s]);
		engine_attr(summary, severity_name(s), num);
	}
	snprintf(num, sizeof(num), "%zu", nrules);
	engine_attr(summary, "rules", num);
	snprintf(num, sizeof(num), "%lu", run->checks);
	engine_attr(summary, "checks", num);
	if (run->waived > 0) {
		snprintf(num, sizeof(num), "%lu", run->waived);
		engine_attr(summary, "waived", num);
	}
}

static void
engine_run_free(struct engine_run *run)
{
	size_t i;

	for (i = 0; i < run->nfindings; i++)
		if (run->findings[i].node->parent == NULL)
			xmlFreeNode(run->findings[i].node);
	free(run->findings);
	if (run->ctxt != NULL)
		xmlXPathFreeContext(run->ctxt);
	engine_comps_free(run->comps);
	coverage_free(run->coverage);
	xmlFreeDoc(run->work);
}

xmlDocPtr
engine_run(const struct rule_set *rules, struct model *m, struct mx_err *err)
{
	struct engine_run run;
	struct rule_entry off;
	xmlNodePtr summary;
	char now[32];
	size_t i, n = rule_set_count(rules);

	memset(&run, 0, sizeof(run));
	run.rules = rules;
	run.comps = xcalloc(1, sizeof(*run.comps));
	run.work = xmlCopyDoc(model_doc(m), 1);
	if (run.work == NULL) {
		engine_comps_free(run.comps);
		mx_err_set(err, MX_ERR_INTERNAL, NULL, "cannot copy the model");
		return NULL;
	}
	xml_tree_set_ns(xmlDocGetRootElement(run.work), NULL);
	run.ctxt = engine_xpath_context(run.work);
	if (run.ctxt == NULL) {
		mx_err_set(err, MX_ERR_INTERNAL, NULL, "no XPath context");
		goto fail;
	}
	/* The trial runs of loading the packs count against the budget. */
	run.ctxt->opCount = rule_set_xpath_ops(rules);
	run.out = xmlNewDoc((const xmlChar *)"1.0");
	run.root = xmlNewDocNode(run.out, NULL, (const xmlChar *)"findings",
	    NULL);
	xmlDocSetRootElement(run.out, run.root);
	run.ns = xmlNewNs(run.root, (const xmlChar *)FINDINGS_NS, NULL);
	xmlSetNs(run.root, run.ns);
	util_timestamp(now);
	util_strlcpy(run.today, now, 11);
	engine_attr(run.root, "version", "1");
	engine_attr(run.root, "generated", now);
	engine_attr(run.root, "generator", "mxbpa " PACKAGE_VERSION);
	engine_model_summary(&run, m);
	run.coverage = coverage_new(run.work);
	coverage_add_element(run.coverage, run.root, run.ns);
	summary = engine_child(&run, run.root, "summary");
	for (i = 0; i < n; i++) {
		const struct rule *r = rule_set_get(rules, i);
		xmlNodePtr rel = engine_rule_element(&run, r);

		xmlAddChild(run.root, rel);
		if (rule_set_disabled(rules, r->id, &off) == 0) {
			xmlNodePtr d = xmlNewTextChild(rel, run.ns,
			    (const xmlChar *)"disabled",
			    (const xmlChar *)off.reason);

			engine_attr(d, "by", off.by);
			engine_attr(d, "pack", off.pack);
			engine_attr(rel, "checked", "0");
			engine_attr(rel, "failed", "0");
			engine_attr(rel, "status", "disabled");
			log_info(LOG_ENGINE, "%s disabled by %s: %s", r->id,
			    off.file, off.reason);
			continue;
		}
		if (engine_run_rule(&run, r, rel, err) == -1)
			goto fail;
	}
	log_debug(LOG_ENGINE, "%lu XPath operations (XPATH_RUN_OPS_MAX %lu)",
	    run.ctxt->opCount, (unsigned long)XPATH_RUN_OPS_MAX);
	engine_summary(&run, summary, n);
	if (run.nfindings > 0)
		qsort(run.findings, run.nfindings, sizeof(*run.findings),
		    engine_finding_cmp);
	for (i = 0; i < run.nfindings; i++)
		xmlAddChild(run.root, run.findings[i].node);
	headline_add(run.root, run.ns, rules, run.coverage);
	engine_run_free(&run);
	return run.out;
fail:
	engine_run_free(&run);
	xmlFreeDoc(run.out);
	return NULL;
}
