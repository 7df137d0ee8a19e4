/*
 * test_engine.c - the rule engine: selection, assertion, $self,
 * interpolation, findings document shape and order, and errors.
 *
 * SPDX-License-Identifier: ISC
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "engine.h"
#include "err.h"
#include "findings.h"
#include "model.h"
#include "rules.h"
#include "tap.h"
#include "xml.h"

static xmlXPathObjectPtr
eval(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctxt = xmlXPathNewContext(doc);
	xmlXPathObjectPtr res;

	xmlXPathRegisterNs(ctxt, (const xmlChar *)"f",
	    (const xmlChar *)FINDINGS_NS);
	xmlXPathRegisterNs(ctxt, (const xmlChar *)"m",
	    (const xmlChar *)MODEL_NS);
	res = xmlXPathEvalExpression((const xmlChar *)expr, ctxt);
	xmlXPathFreeContext(ctxt);
	return res;
}

static double
number(xmlDocPtr doc, const char *expr)
{
	xmlXPathObjectPtr res = eval(doc, expr);
	double v = res ? xmlXPathCastToNumber(res) : -1;

	xmlXPathFreeObject(res);
	return v;
}

static int
string_is(xmlDocPtr doc, const char *expr, const char *want)
{
	xmlXPathObjectPtr res = eval(doc, expr);
	xmlChar *s = res ? xmlXPathCastToString(res) : NULL;
	int ok = s != NULL && strcmp((const char *)s, want) == 0;

	if (!ok)
		tap_diag("%s = \"%s\", want \"%s\"", expr, s ? (char *)s : "",
		    want);
	xmlFree(s);
	xmlXPathFreeObject(res);
	return ok;
}

static struct model *
sample_model(void)
{
	struct mx_err err;
	struct model *m;

	mx_err_init(&err);
	m = model_load(tap_srcpath("tests/data/models/small.xml"), &err);
	if (m == NULL)
		tap_diag("sample model: %s: %s", err.where, err.msg);
	return m;
}

static void
test_run(void)
{
	struct rule_set *rs = rule_set_new();
	struct model *m = sample_model();
	struct mx_err err;
	xmlDocPtr f;

	mx_err_init(&err);
	if (!tap_check(m != NULL && rule_set_load_file(rs,
	    tap_srcpath("tests/data/rules/engine.xml"), &err) == 0,
	    "the engine test pack and model load"))
		return;
	f = engine_run(rs, m, &err);
	if (!tap_check(f != NULL, "the engine runs (%s)", err.msg))
		return;
	tap_check(number(f, "count(//f:finding[@rule='TEST-001'])") == 2,
	    "an assert that fails on two connectors gives two findings");
	tap_check(number(f, "count(//f:finding[@rule='TEST-002'])") == 2,
	    "$self lets a rule compare a connector with its siblings");
	tap_check(number(f, "count(//f:finding[@rule='TEST-003'])") == 1,
	    "a rule may select servers");
	tap_check(string_is(f, "//f:finding[@rule='TEST-001']"
	    "[@connector='Anonymous Relay']/f:message[@xml:lang='en']",
	    "Connector \"EX01\\Anonymous Relay\" on EX01 has 1 range(s) "
	    "{literal}."), "texts are interpolated on the selected object");
	tap_check(string_is(f, "//f:finding[@rule='TEST-001']"
	    "[@connector='Anonymous Relay']/f:message[@xml:lang='fr']",
	    "Le connecteur « EX01\\Anonymous Relay » est ouvert."),
	    "every language of a text is interpolated");
	tap_check(string_is(f, "//f:finding[@rule='TEST-002'][1]/f:message",
	    "Anonymous Relay shares a port (25)."),
	    "mx: functions work inside texts");
	tap_check(number(f, "count(//f:finding/f:evidence/"
	    "m:receive-connector[@identity='EX01\\Anonymous Relay'])") == 2,
	    "evidence is a copy of the object in the model namespace");
	tap_check(string_is(f, "//f:finding[1]/@severity", "error") &&
	    string_is(f, "//f:finding[last()]/@severity", "info"),
	    "findings are ordered from the gravest severity");
	tap_check(string_is(f, "//f:finding[@rule='TEST-003']/@server", "EX01"),
	    "a finding names its server");
	tap_check(string_is(f, "/f:findings/f:summary/@error", "2") &&
	    string_is(f, "/f:findings/f:summary/@total", "5") &&
	    string_is(f, "/f:findings/f:summary/@checks", "5"),
	    "the summary counts findings and checks");
	tap_check(string_is(f, "//f:rule[@id='TEST-002']/@checked", "2") &&
	    string_is(f, "//f:rule[@id='TEST-002']/@failed", "2"),
	    "each rule records what it checked and what failed");
	tap_check(number(f, "count(/f:findings/f:model/f:server/f:connector)")
	    == 2, "the findings carry the topology for the report");
	tap_check(findings_count_at_least(f, SEVERITY_WARNING) == 4 &&
	    findings_count_at_least(f, SEVERITY_ERROR) == 2,
	    "findings are counted by severity threshold");
	mx_err_init(&err);
	tap_check(findings_validate(f, "findings", &err) == 0,
	    "the findings document matches its schema (%s)", err.msg);
	xmlFreeDoc(f);
	rule_set_free(rs);
	model_free(m);
}

static void
test_runtime_error(void)
{
	struct rule_set *rs = rule_set_new();
	struct model *m = sample_model();
	struct mx_err err;
	xmlDocPtr f;

	mx_err_init(&err);
	tap_check(rule_set_load_file(rs,
	    tap_srcpath("tests/data/rules/runtime-error.xml"), &err) == 0,
	    "a pack calling an unknown function loads");
	f = engine_run(rs, m, &err);
	tap_check(f == NULL && err.code == MX_ERR_INPUT &&
	    strstr(err.where, "runtime-error.xml:3") != NULL,
	    "an XPath error at run time names the rule's file and line (%s)",
	    err.where);
	xmlFreeDoc(f);
	rule_set_free(rs);
	model_free(m);
}

static void
test_interpolate(void)
{
	struct model *m = sample_model();
	xmlXPathContextPtr ctxt = engine_xpath_context(model_doc(m));
	xmlNodePtr root = xmlDocGetRootElement(model_doc(m));
	struct mx_err err;
	char many[512] = "";
	char *s;
	int i;

	mx_err_init(&err);
	s = engine_interpolate(ctxt, root, "a {1+1} b", "t", &err);
	tap_check(s != NULL && strcmp(s, "a 2 b") == 0,
	    "{expr} is replaced by its string value");
	free(s);
	s = engine_interpolate(ctxt, root, "{{x}}", "t", &err);
	tap_check(s != NULL && strcmp(s, "{x}") == 0,
	    "doubled braces are literal braces");
	free(s);
	s = engine_interpolate(ctxt, root, "{@version}", "t", &err);
	tap_check(s != NULL && strcmp(s, "1") == 0,
	    "expressions are evaluated on the given node");
	free(s);
	s = engine_interpolate(ctxt, root, "open {", "t", &err);
	tap_check(s == NULL && err.code == MX_ERR_INPUT,
	    "an unterminated brace is an input error");
	mx_err_init(&err);
	s = engine_interpolate(ctxt, root, "close }", "t", &err);
	tap_check(s == NULL && err.code == MX_ERR_INPUT,
	    "a lone closing brace is an input error");
	mx_err_init(&err);
	s = engine_interpolate(ctxt, root, "{count(}", "t", &err);
	tap_check(s == NULL && err.code == MX_ERR_INPUT,
	    "an XPath syntax error in a text is an input error");
	mx_err_init(&err);
	for (i = 0; i < 40; i++)
		memcpy(many + 3 * i, "{1}", 4);
	s = engine_interpolate(ctxt, root, many, "t", &err);
	tap_check(s == NULL && err.code == MX_ERR_LIMIT,
	    "more than RULE_TEXT_EXPR_MAX expressions hit the limit");
	xmlXPathFreeContext(ctxt);
	model_free(m);
}

/* let, when, choose and arg, from tests/data/rules/language.xml. */
static void
test_language(void)
{
	struct rule_set *rs = rule_set_new();
	struct model *m = sample_model();
	struct mx_err err;
	xmlDocPtr f;

	mx_err_init(&err);
	if (!tap_check(m != NULL && rule_set_load_file(rs,
	    tap_srcpath("tests/data/rules/language.xml"), &err) == 0,
	    "a pack with lets, parts and commands loads (%s)", err.msg))
		goto out;
	f = engine_run(rs, m, &err);
	if (!tap_check(f != NULL, "the engine runs it (%s)", err.msg))
		goto out;
	tap_check(number(f, "count(//f:finding[@rule='LANG-001'])") == 2,
	    "a pack's let serves select; rule lets serve later lets and the "
	    "assertion (two findings)");
	tap_check(string_is(f, "//f:finding[@connector='Anonymous Relay']"
	    "/f:message", "Connector Anonymous Relay of 1 server(s) lets "
	    "anonymous clients in from one range."),
	    "a part shows only when its test holds; the first <when> that "
	    "holds is taken; white space is tidied around parts");
	tap_check(string_is(f, "//f:finding[@connector='Default Frontend "
	    "EX01']/f:remediation/f:command", "Set-ReceiveConnector "
	    "'EX01\\Default Frontend EX01' -PermissionGroups "
	    "'Default Frontend EX01''s'"),
	    "a command is its own element, its arguments single-quoted with "
	    "' doubled");
	tap_check(string_is(f, "//f:finding[@connector='Default Frontend "
	    "EX01']/f:remediation", "Run Set-ReceiveConnector "
	    "'EX01\\Default Frontend EX01' -PermissionGroups "
	    "'Default Frontend EX01''s' then check."),
	    "the remediation reads as one text, command included");
	tap_check(number(f, "count(//f:finding[@rule='LANG-002'])") == 1 &&
	    string_is(f, "//f:finding[@rule='LANG-002']/@connector",
	    "Default Frontend EX01"), "mx:made-by-setup() knows \"Default "
	    "Frontend S\" on server S, and not \"Anonymous Relay\"");
	tap_check(string_is(f, "//f:finding[@rule='LANG-002']/f:remediation"
	    "/f:command", "Set-X -Bindings '0.0.0.0:25','[::]:25' -One "
	    "'0.0.0.0:25' -None ''"), "a list argument quotes each value, "
	    "sorted, joined by commas; one value, or none, is one string");
	tap_check(findings_validate(f, "findings", &err) == 0,
	    "findings with commands validate (%s)", err.msg);
	xmlFreeDoc(f);
out:
	rule_set_free(rs);
	model_free(m);
}

/* engine_ps_quote: what PowerShell reads back is the value, inert. */
static void
test_ps_quote(void)
{
	static const struct {
		const char *in, *out, *what;
	} cases[] = {
		{ "EX01\\Relay", "'EX01\\Relay'", "a plain name is single-quoted" },
		{ "", "''", "an empty value is an empty string" },
		{ "O'Brien", "'O''Brien'", "' is doubled" },
		{ "a\xe2\x80\x98" "b\xe2\x80\x99" "c\xe2\x80\x9a" "d\xe2\x80\x9b" "e",
		  "'a\xe2\x80\x98\xe2\x80\x98" "b\xe2\x80\x99\xe2\x80\x99" "c"
		  "\xe2\x80\x9a\xe2\x80\x9a" "d\xe2\x80\x9b\xe2\x80\x9b" "e'",
		  "the Unicode single quotes PowerShell knows are doubled" },
		{ "$(Stop-Service x) `n \" ; \xe2\x80\x9c",
		  "'$(Stop-Service x) `n \" ; \xe2\x80\x9c'",
		  "$, backtick, ; and double quotes stay text in single quotes" },
		{ "a\nb", "('a' + [char]0x000A + 'b')",
		  "a line feed is joined in as [char], not written" },
		{ "\r", "([char]0x000D)", "a value of one control character" },
		{ "x\xc2\x85y\xe2\x80\xa8",
		  "('x' + [char]0x0085 + 'y' + [char]0x2028)",
		  "NEL and the line separator too" },
		{ "\xf0\x9f\x93\xa7", "'\xf0\x9f\x93\xa7'",
		  "a character outside the BMP is copied" },
	};
	char out[128];
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = engine_ps_quote(cases[i].in, out, sizeof(out));
		if (!tap_check(n == strlen(cases[i].out) &&
		    strcmp(out, cases[i].out) == 0, "%s", cases[i].what))
			tap_diag("got [%s], want [%s]", out, cases[i].out);
	}
	n = engine_ps_quote("O'Brien", out, 6);
	tap_check(n == 10 && strlen(out) == 5,
	    "a short buffer is told: the full length comes back");
}

int
main(void)
{
	xml_init();
	test_run();
	test_language();
	test_ps_quote();
	test_runtime_error();
	test_interpolate();
	return tap_done();
}
