/*
 * test_report.c - the renderers: HTML, text and XML reports of the sample
 * findings documents in tests/data/findings/, their language, escaping of
 * hostile texts, terminal-safe text, atomic writes, and the security
 * preferences of the XSLT transforms (hostile stylesheets in a data
 * directory of their own, each run in a child process because the data
 * directory is chosen once per process).
 *
 * SPDX-License-Identifier: ISC
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/tree.h>
#include <openssl/evp.h>

#include "err.h"
#include "findings.h"
#include "report.h"
#include "tap.h"
#include "util.h"
#include "xml.h"

static char tmpdir[] = "/tmp/mxbpa-test-report-XXXXXX";

static const char *const samples[] = { "contoso", "hostile", "clean" };
#define NSAMPLES	(sizeof(samples) / sizeof(samples[0]))

/* ---- small helpers -------------------------------------------------- */

static const char *
tmp_path(const char *name)
{
	static char buf[8][1024];
	static unsigned n;
	char *p = buf[n++ % 8];

	snprintf(p, sizeof(buf[0]), "%s/%s", tmpdir, name);
	return p;
}

static int
file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* The whole file, NUL-terminated, or NULL; the caller frees. */
static char *
slurp(const char *path, size_t *lenp)
{
	struct util_file f;
	struct mx_err err;

	mx_err_init(&err);
	if (util_read_file(path, 64u << 20, &f, &err) == -1)
		return NULL;
	if (lenp != NULL)
		*lenp = f.len;
	return f.data;
}

static void
spit(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL) {
		perror(path);
		exit(2);
	}
	fputs(text, fp);
	fclose(fp);
}

static int
contains(const char *hay, const char *needle)
{
	return hay != NULL && strstr(hay, needle) != NULL;
}

static int
contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; hay != NULL && *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

static int
count_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	int k = 0;

	for (; hay != NULL && *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			k++;
	return k;
}

/* Bytes a terminal would interpret: C0 but \n \t, DEL, UTF-8 C1. */
static size_t
count_controls(const unsigned char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if ((s[i] < 0x20 && s[i] != '\n' && s[i] != '\t') ||
		    s[i] == 0x7f)
			n++;
		else if (s[i] == 0xc2 && i + 1 < len && s[i + 1] >= 0x80 &&
		    s[i + 1] <= 0x9f)
			n++;
	}
	return n;
}

static xmlDocPtr
load_sample(const char *name)
{
	char rel[256];
	struct mx_err err;
	xmlDocPtr doc;

	snprintf(rel, sizeof(rel), "tests/data/findings/%s.xml", name);
	mx_err_init(&err);
	doc = xml_parse_file(tap_srcpath(rel), 1u << 20, 0, &err);
	if (doc == NULL)
		tap_diag("%s: %s: %s", rel, err.where, err.msg);
	return doc;
}

static int
render(xmlDocPtr doc, const char *format, const char *lang,
    const char *out, struct mx_err *err)
{
	int rc;

	mx_err_init(err);
	rc = report_render(doc, format, lang, out, err);
	if (rc == -1)
		tap_diag("report_render %s: %s: %s", format, err->where,
		    err->msg);
	return rc;
}

/* Remove a directory tree of regular files and directories. */
static void
rm_tree(const char *path)
{
	char sub[2048];
	struct stat st;
	struct dirent *e;
	DIR *d;

	if (lstat(path, &st) == -1)
		return;
	if (S_ISDIR(st.st_mode) && (d = opendir(path)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			rm_tree(sub);
		}
		closedir(d);
		rmdir(path);
	} else
		unlink(path);
}

/* Names in dir other than those listed (NULL-terminated). */
static int
unexpected_entries(const char *dir, const char *const *allowed)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	const char *const *a;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		for (a = allowed; *a != NULL; a++)
			if (strcmp(*a, e->d_name) == 0)
				break;
		if (*a == NULL) {
			tap_diag("unexpected file %s/%s", dir, e->d_name);
			n++;
		}
	}
	closedir(d);
	return n;
}

/* ---- hostile stylesheets, one child process each ------------------- */

struct hostile {
	const char	*name;		/* also the data directory's name */
	const char	*body;		/* inside the template matching "/" */
	const char	*root_attrs;	/* extra attributes on xsl:stylesheet */
	int		 must_fail;
	const char	*msg;		/* substring of the error message */
	int		 security;	/* stopped by security preferences */
	int		 text;		/* text.xsl rather than html.xsl */
};

static const struct hostile hostiles[] = {
	{ "read-file",
	  "<p><xsl:value-of select=\"document('file:///etc/passwd')\"/></p>",
	  "", 1, "Local file read for file:///etc/passwd refused", 1, 0 },
	{ "read-plain-path",
	  "<p><xsl:copy-of select=\"document('/etc/passwd')\"/></p>",
	  "", 1, "Local file read for /etc/passwd refused", 1, 0 },
	{ "read-network",
	  "<p><xsl:value-of select=\"document('http://127.0.0.1:9/x.xml')\"/>"
	  "</p>",
	  "", 1, "Network file read for http://127.0.0.1:9/x.xml refused",
	  1, 0 },
	{ "xsl-document",
	  "<xsl:document href=\"@OUT@/written-by-xsl-document.txt\" "
	  "method=\"text\">pwned</xsl:document><p>done</p>",
	  "", 1, "File write for", 1, 0 },
	{ "exsl-document",
	  "<exsl:document href=\"@OUT@/written-by-exsl-document.txt\" "
	  "method=\"text\">pwned</exsl:document><p>done</p>",
	  " extension-element-prefixes=\"exsl\"", 1, "File write for", 1, 0 },
	{ "include-outside",
	  "<p>x</p>",
	  "", 1, "xsl:include of \"../../../etc/passwd\" refused", 0, 0 },
	{ "import",
	  "<p>x</p>",
	  "", 1, "xsl:import is not supported", 0, 0 },
	{ "does-not-compile",
	  "<xsl:value-of select=\"1 +\"/>",
	  "", 1, "stylesheet does not compile", 0, 0 },
	{ "deep-recursion",
	  "<xsl:call-template name=\"r\"><xsl:with-param name=\"stop\" "
	  "select=\"1000\"/></xsl:call-template>",
	  "", 1, "infinite template recursion", 0, 0 },
	{ "benign",
	  "<p>benign report <xsl:value-of select=\"count(//*)\"/></p>"
	  "<xsl:call-template name=\"r\"><xsl:with-param name=\"stop\" "
	  "select=\"100\"/></xsl:call-template>",
	  "", 0, NULL, 0, 0 },
	{ "text-latin1",
	  "<p>latin1</p>",
	  "", 1, "must be written in UTF-8", 0, 1 }
};

/* Recursion to $stop levels, for the depth limit (500) and its twin. */
static const char hostile_recursion[] =
    "<xsl:template name=\"r\"><xsl:param name=\"n\" select=\"0\"/>"
    "<xsl:param name=\"stop\"/><xsl:if test=\"$n &lt; $stop\">"
    "<xsl:call-template name=\"r\"><xsl:with-param name=\"n\" "
    "select=\"$n + 1\"/><xsl:with-param name=\"stop\" select=\"$stop\"/>"
    "</xsl:call-template></xsl:if></xsl:template>\n";

/* The stylesheet text of one hostile case, @OUT@ replaced by out. */
static void
hostile_write(const struct hostile *h, const char *dir, const char *out)
{
	char path[1200], body[2048];
	const char *at;
	FILE *fp;

	at = strstr(h->body, "@OUT@");
	if (at != NULL)
		snprintf(body, sizeof(body), "%.*s%s%s", (int)(at - h->body),
		    h->body, out, at + 5);
	else
		snprintf(body, sizeof(body), "%s", h->body);
	snprintf(path, sizeof(path), "%s/reports", dir);
	mkdir(dir, 0700);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/reports/%s.xsl", dir,
	    h->text ? "text" : "html");
	fp = fopen(path, "w");
	if (fp == NULL) {
		perror(path);
		exit(2);
	}
	fprintf(fp, "<xsl:stylesheet version=\"1.1\"\n"
	    "    xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\"\n"
	    "    xmlns:exsl=\"http://exslt.org/common\"%s>\n",
	    h->root_attrs);
	if (strcmp(h->name, "include-outside") == 0)
		fputs("<xsl:include href=\"../../../etc/passwd\"/>\n", fp);
	if (strcmp(h->name, "import") == 0)
		fputs("<xsl:import href=\"common.xsl\"/>\n", fp);
	fputs(hostile_recursion, fp);
	fprintf(fp, "<xsl:output method=\"%s\"/>\n"
	    "<xsl:template match=\"/\"><html><body>%s</body></html>"
	    "</xsl:template>\n</xsl:stylesheet>\n",
	    h->text ? "text\" encoding=\"ISO-8859-1" : "html", body);
	fclose(fp);
	if (strcmp(h->name, "import") == 0) {
		snprintf(path, sizeof(path), "%s/reports/common.xsl", dir);
		spit(path, "<xsl:stylesheet version=\"1.0\" xmlns:xsl="
		    "\"http://www.w3.org/1999/XSL/Transform\"/>\n");
	}
}

/*
 * In a child: point the data directory at dir, render contoso.xml to html
 * (or text) at out/report.html.  The exit status is 0 on success, 10 + the
 * error code on failure (and the message goes to out/error.txt), 2 on
 * setup failure.  exit(), not _exit(), so that LeakSanitizer checks the
 * child too.
 */
static void
hostile_child(const char *dir, const char *out, int text)
{
	char path[1200];
	struct mx_err err;
	xmlDocPtr doc;
	FILE *fp;
	int rc;

	if (setenv("MXBPA_DATADIR", dir, 1) == -1)
		exit(2);
	xml_init();
	doc = load_sample("contoso");
	if (doc == NULL)
		exit(2);
	snprintf(path, sizeof(path), "%s/report.html", out);
	mx_err_init(&err);
	rc = report_render(doc, text ? "text" : "html", "en", path, &err);
	xmlFreeDoc(doc);
	if (rc == 0)
		exit(0);
	snprintf(path, sizeof(path), "%s/error.txt", out);
	if ((fp = fopen(path, "w")) != NULL) {
		fprintf(fp, "%s: %s", err.where, err.msg);
		fclose(fp);
	}
	exit(10 + (int)err.code);
}

static void
test_hostile(const struct hostile *h)
{
	static const char *const allowed_ok[] = { "report.html", NULL };
	static const char *const allowed_fail[] = { "error.txt", NULL };
	char dir[1024], out[1024], path[1100];
	char *report, *msg;
	pid_t pid;
	int status;

	snprintf(dir, sizeof(dir), "%s/data-%s", tmpdir, h->name);
	snprintf(out, sizeof(out), "%s/out-%s", tmpdir, h->name);
	mkdir(out, 0700);
	hostile_write(h, dir, out);
	fflush(stdout);
	pid = fork();
	if (pid == -1) {
		perror("fork");
		exit(2);
	}
	if (pid == 0)
		hostile_child(dir, out, h->text);
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status)) {
		tap_check(0, "%s: the child rendering the stylesheet exits",
		    h->name);
		return;
	}
	snprintf(path, sizeof(path), "%s/report.html", out);
	report = slurp(path, NULL);
	snprintf(path, sizeof(path), "%s/error.txt", out);
	msg = slurp(path, NULL);
	if (msg != NULL)
		tap_diag("%s: %s", h->name, msg);
	if (h->must_fail) {
		tap_check(WEXITSTATUS(status) == 10 + MX_ERR_INTERNAL,
		    "%s: a stylesheet that %s makes report_render fail "
		    "(MX_ERR_INTERNAL)", h->name,
		    h->security ? "reaches for a file or the network" :
		    "is not acceptable");
		tap_check(contains(msg, h->msg),
		    "%s: the error says why (\"%s\")", h->name, h->msg);
		tap_check(report == NULL,
		    "%s: no report file is left behind", h->name);
		tap_check(unexpected_entries(out, allowed_fail) == 0,
		    "%s: the stylesheet wrote no file", h->name);
	} else {
		tap_check(WEXITSTATUS(status) == 0,
		    "%s: a stylesheet from the same data directory that "
		    "stays inside the findings and recurses 100 deep renders",
		    h->name);
		tap_check(contains(report, "benign report"),
		    "%s: its output is written", h->name);
		tap_check(unexpected_entries(out, allowed_ok) == 0,
		    "%s: only the report is written", h->name);
	}
	tap_check(!contains(report, "root:") && !contains(msg, "root:x"),
	    "%s: nothing from /etc/passwd reaches any output", h->name);
	free(report);
	free(msg);
}

/* ---- schema ----------------------------------------------------------- */

static const char valid_doc[] =
    "<findings xmlns='urn:mxbpa:findings:1' version='1'"
    " generated='2026-11-23T10:00:00Z' generator='mxbpa 0.1.0'>"
    "<model><server name='EX01'/></model>"
    "<summary total='1' error='1' warning='0' best-practice='0'"
    " non-default='0' info='0' rules='1' checks='1'/>"
    "<rule id='R-1' severity='error' category='c' pack='p' checked='1'"
    " failed='1'><title xml:lang='en'>t</title></rule>"
    "<finding rule='R-1' severity='error' category='c'"
    " object-kind='server' object='EX01' server='EX01'>"
    "<title xml:lang='en'>t</title><message xml:lang='en'>m</message>"
    "@FINDING@</finding></findings>";

struct broken {
	const char	*what;
	const char	*from;	/* replaced ... */
	const char	*to;	/* ... by this */
};

static const struct broken brokens[] = {
	{ "an unknown severity", "severity='error' category='c'"
	  " object-kind", "severity='fatal' category='c' object-kind" },
	{ "markup inside a message", "<message xml:lang='en'>m</message>",
	  "<message xml:lang='en'>m<b>bold</b></message>" },
	{ "a message without xml:lang", "<message xml:lang='en'>m</message>",
	  "<message>m</message>" },
	{ "no summary", "<summary total='1' error='1' warning='0'"
	  " best-practice='0' non-default='0' info='0' rules='1' checks='1'/>",
	  "" },
	{ "a generated time that is not UTC", "2026-11-23T10:00:00Z",
	  "2026-11-23 10:00" },
	{ "evidence outside the model namespace", "@FINDING@",
	  "<evidence><server name='EX01'/></evidence>" },
	{ "texts out of order", "<title xml:lang='en'>t</title><message",
	  "<message xml:lang='fr'>m</message><title xml:lang='en'>t</title>"
	  "<message" },
	{ "an unknown element", "@FINDING@", "<note>x</note>" },
	{ "a negative count", "checked='1'", "checked='-1'" }
};

/* valid_doc with one substitution (and @FINDING@ removed). */
static xmlDocPtr
broken_doc(const char *from, const char *to)
{
	char buf[4096], tmp[4096];
	const char *at;
	struct mx_err err;
	xmlDocPtr doc;

	snprintf(buf, sizeof(buf), "%s", valid_doc);
	if (from != NULL && (at = strstr(buf, from)) != NULL) {
		snprintf(tmp, sizeof(tmp), "%.*s%s%s", (int)(at - buf), buf, to,
		    at + strlen(from));
		snprintf(buf, sizeof(buf), "%s", tmp);
	} else if (from != NULL)
		tap_diag("substitution \"%s\" not found", from);
	if ((at = strstr(buf, "@FINDING@")) != NULL) {
		snprintf(tmp, sizeof(tmp), "%.*s%s", (int)(at - buf), buf,
		    at + 9);
		snprintf(buf, sizeof(buf), "%s", tmp);
	}
	mx_err_init(&err);
	doc = xml_parse(buf, strlen(buf), "inline", 0, &err);
	if (doc == NULL)
		tap_diag("inline: %s", err.msg);
	return doc;
}

static void
test_schema(void)
{
	struct mx_err err;
	xmlDocPtr doc;
	size_t i;

	for (i = 0; i < NSAMPLES; i++) {
		doc = load_sample(samples[i]);
		mx_err_init(&err);
		tap_check(doc != NULL && findings_validate(doc, samples[i],
		    &err) == 0,
		    "sample %s.xml is a valid findings document", samples[i]);
		if (err.code != MX_OK)
			tap_diag("%s: %s", err.where, err.msg);
		xmlFreeDoc(doc);
	}
	doc = broken_doc(NULL, NULL);
	mx_err_init(&err);
	tap_check(doc != NULL && findings_validate(doc, "inline", &err) == 0,
	    "the minimal inline findings document is valid");
	xmlFreeDoc(doc);
	for (i = 0; i < sizeof(brokens) / sizeof(brokens[0]); i++) {
		doc = broken_doc(brokens[i].from, brokens[i].to);
		mx_err_init(&err);
		tap_check(doc != NULL && findings_validate(doc, "inline",
		    &err) == -1 && err.code == MX_ERR_INPUT,
		    "a findings document with %s is invalid", brokens[i].what);
		xmlFreeDoc(doc);
	}
}

/* ---- rendering -------------------------------------------------------- */

static void
test_languages(xmlDocPtr contoso)
{
	struct mx_err err;
	char *en, *fr, *de, *ten, *tfr;
	const char *en_title = "Receive connector is an open relay";
	const char *fr_title = "Le connecteur de réception est un relais "
	    "ouvert";

	render(contoso, "html", "en", tmp_path("contoso-en.html"), &err);
	render(contoso, "html", "fr", tmp_path("contoso-fr.html"), &err);
	render(contoso, "html", "de", tmp_path("contoso-de.html"), &err);
	render(contoso, "text", "en", tmp_path("contoso-en.txt"), &err);
	render(contoso, "text", "fr", tmp_path("contoso-fr.txt"), &err);
	en = slurp(tmp_path("contoso-en.html"), NULL);
	fr = slurp(tmp_path("contoso-fr.html"), NULL);
	de = slurp(tmp_path("contoso-de.html"), NULL);
	ten = slurp(tmp_path("contoso-en.txt"), NULL);
	tfr = slurp(tmp_path("contoso-fr.txt"), NULL);

	tap_check(contains(en, en_title) && !contains(en, fr_title),
	    "English HTML shows the English finding title only");
	tap_check(contains(fr, fr_title) && !contains(fr, en_title),
	    "French HTML shows the French finding title only");
	tap_check(contains(en, "<html lang=\"en\"") &&
	    contains(fr, "<html lang=\"fr\""),
	    "the html element carries the report language");
	tap_check(contains(en, "Critical issues") &&
	    !contains(en, "Problèmes critiques"),
	    "English HTML has English section names");
	tap_check(contains(fr, "Problèmes critiques") &&
	    contains(fr, "Paramètres non définis par défaut") &&
	    contains(fr, "Éléments d'information") &&
	    !contains(fr, "Critical issues"),
	    "French HTML has French section names");
	tap_check(contains(fr, "Authoritative accepted domain") &&
	    contains(fr, "contoso.com is an authoritative accepted domain"),
	    "a finding with English texts only falls back to English in "
	    "French");
	tap_check(contains(de, en_title) && !contains(de, fr_title) &&
	    contains(de, "<html lang=\"en\""),
	    "an unknown language falls back to English");
	tap_check(contains(ten, "[ERROR] RELAY-001 EX02\\Relay Printers: "
	    "Receive connector is an open relay\n"),
	    "text lists a finding as [SEVERITY] rule server\\connector: "
	    "title");
	tap_check(contains(tfr, "[ERROR] RELAY-001 EX02\\Relay Printers: "
	    "Le connecteur de réception est un relais ouvert\n") &&
	    contains(tfr, "Correction") && !contains(tfr, "Remediation"),
	    "French text has French titles and headings");
	tap_check(contains(ten, "[NON-DEFAULT] CONN-001") &&
	    contains(ten, "[BEST-PRACTICE] LOG-001") &&
	    contains(ten, "[INFO] TOPO-002 contoso.com:"),
	    "text lists every severity");
	tap_check(ten != NULL && strstr(ten, "[ERROR]") <
	    strstr(ten, "[WARNING]") && strstr(ten, "[WARNING]") <
	    strstr(ten, "[BEST-PRACTICE]") &&
	    strstr(ten, "[BEST-PRACTICE]") < strstr(ten, "[NON-DEFAULT]") &&
	    strstr(ten, "[NON-DEFAULT]") < strstr(ten, "[INFO]"),
	    "text orders findings from the gravest severity down");
	tap_check(ten != NULL && strstr(ten, "EX01\\Anonymous Relay: "
	    "Receive") < strstr(ten, "EX02\\Relay Printers: Receive"),
	    "text orders findings of one severity by server");
	tap_check(contains(en, "Set-ReceiveConnector \"EX01\\Anonymous "
	    "Relay\" -RemoteIPRanges") && contains(en, "<pre class=\"cmd\">"),
	    "a remediation command is shown as a code block");
	tap_check(contains(en, "<p>List the printers and applications"),
	    "a remediation in prose is shown as a paragraph");
	tap_check(contains(en, "<a rel=\"noreferrer\" href=\"https://learn."
	    "microsoft.com/en-us/exchange/mail-flow/connectors/allow-"
	    "anonymous-relay\">"),
	    "an https reference is a link");
	tap_check(contains(en, "&lt;receive-connector name=\"Anonymous Relay\""
	    "") || contains(en, "&lt;receive-connector\n"),
	    "evidence is printed as escaped XML text");
	tap_check(contains(en, "id=\"all-server-1\"") &&
	    contains(en, "id=\"all-server-2\"") &&
	    contains(en, "id=\"all-server-2-connector-2\""),
	    "all issues are grouped by server and connector");
	tap_check(contains(en, "LOG-002") && contains(en, "passed"),
	    "the rules table lists rules that passed");
	free(en);
	free(fr);
	free(de);
	free(ten);
	free(tfr);
}

static void
test_hostile_texts(xmlDocPtr hostile)
{
	struct mx_err err;
	char *html, *text, *htmlfr;
	size_t tlen;

	render(hostile, "html", "en", tmp_path("hostile.html"), &err);
	render(hostile, "html", "fr", tmp_path("hostile-fr.html"), &err);
	render(hostile, "text", "en", tmp_path("hostile.txt"), &err);
	html = slurp(tmp_path("hostile.html"), NULL);
	htmlfr = slurp(tmp_path("hostile-fr.html"), NULL);
	text = slurp(tmp_path("hostile.txt"), &tlen);

	tap_check(contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;"),
	    "the <script> of a message appears escaped in the HTML");
	tap_check(html != NULL && count_nocase(html, "<script") == 1 &&
	    htmlfr != NULL && count_nocase(htmlfr, "<script") == 1 &&
	    !contains(html, "alert(1)</script") &&
	    contains(html, "<script>\n(function () {"),
	    "the report's own script is the only raw <script in the HTML");
	tap_check(!contains_nocase(html, "<img") &&
	    !contains_nocase(html, "<i>") && !contains_nocase(html, "<b>"),
	    "markup in titles, names and banners stays text");
	tap_check(contains(html, "banner=\"220 &amp;lt;b&amp;gt;EX03"
	    "&amp;lt;/b&amp;gt; ESMTP &amp;lt;script&amp;gt;"),
	    "the banner with markup is shown escaped in the evidence");
	tap_check(!contains_nocase(html, "href=\"javascript"),
	    "a javascript: reference is not a link");
	tap_check(contains(html, "javascript:alert(1)"),
	    "a javascript: reference is still shown as text");
	tap_check(contains(html, "href=\"https://example.com/relay?a=1&amp;"
	    "b=%22x%22\""),
	    "an https reference with a query string is a link");
	tap_check(contains(html, "href=\"HTTPS://EXAMPLE.COM/UPPER\""),
	    "the scheme of a reference is compared case-insensitively");

	tap_check(text != NULL && count_controls((unsigned char *)text,
	    tlen) == 0,
	    "the text report holds no control byte but newline and tab");
	tap_check(contains(text, "relays to anyone.?Line after"),
	    "a carriage return in a message becomes '?'");
	tap_check(contains(text, "DEL here: [?]"), "DEL becomes '?'");
	tap_check(contains(text, "CSI here: [?31m]") &&
	    contains(text, "NEL here: [?]"),
	    "C1 controls (CSI, NEL) become '?'");
	tap_check(contains(text, "Lab <i>Relay</i>") &&
	    contains(text, "<script>alert(1)</script>"),
	    "printable text is kept as is in the text report");
	tap_check(contains(text, "FORGED-001") &&
	    !contains(text, "\n[ERROR] FORGED-001") &&
	    contains(text, "FORGED-002") &&
	    !contains(text, "\n[ERROR] FORGED-002"),
	    "newlines in a title or message cannot start a finding line");
	tap_check(contains(text, "Connector banner says") &&
	    !contains(text, "La bannière du connecteur"),
	    "the English text report holds the English message only");
	free(html);
	free(htmlfr);
	free(text);
}

/* The hostile sample really holds the controls the text report removes. */
static void
test_controls_in_input(xmlDocPtr hostile)
{
	struct mx_err err;
	xmlNodePtr root = xmlDocGetRootElement(hostile), c;
	xmlChar *s = NULL;
	size_t n = 0;

	for (c = root->children; c != NULL && s == NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    xmlStrEqual(c->name, BAD_CAST "finding"))
			s = xmlNodeGetContent(c);
	if (s != NULL)
		n = count_controls(s, (size_t)xmlStrlen(s));
	tap_check(n >= 4,
	    "the hostile sample's finding holds CR, DEL and C1 controls");
	xmlFree(s);
	(void)err;
}

/* "'sha256-BASE64'" of the content of the first <tag> of html. */
static int
csp_source(const char *html, const char *tag, char *out, size_t size)
{
	char open[16], close[16];
	unsigned char md[32], b64[64];
	unsigned int mdlen;
	const char *b, *e;

	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	if (html == NULL || (b = strstr(html, open)) == NULL)
		return -1;
	b += strlen(open);
	if ((e = strstr(b, close)) == NULL || EVP_Digest(b, (size_t)(e - b),
	    md, &mdlen, EVP_sha256(), NULL) != 1)
		return -1;
	EVP_EncodeBlock(b64, md, 32);
	snprintf(out, size, "'sha256-%s'", b64);
	return 0;
}

static void
test_csp(xmlDocPtr contoso)
{
	struct mx_err err;
	char script[128], style[128], *html, *meta_end;

	render(contoso, "html", "en", tmp_path("csp.html"), &err);
	html = slurp(tmp_path("csp.html"), NULL);
	meta_end = html != NULL ? strstr(html, "Content-Security-Policy") : NULL;
	if (meta_end != NULL)
		meta_end = strchr(meta_end, '>');
	tap_check(meta_end != NULL && meta_end < strstr(html, "<style>"),
	    "the HTML report has a Content-Security-Policy meta before its style");
	tap_check(csp_source(html, "script", script, sizeof(script)) == 0 &&
	    meta_end != NULL && strstr(html, script) != NULL &&
	    strstr(html, script) < meta_end,
	    "the policy allows the inline script by its SHA-256, as written");
	tap_check(csp_source(html, "style", style, sizeof(style)) == 0 &&
	    meta_end != NULL && strstr(html, style) != NULL &&
	    strstr(html, style) < meta_end,
	    "the policy allows the inline style by its SHA-256, as written");
	tap_check(html != NULL && !contains(html, "@SCRIPT@") &&
	    !contains(html, "@STYLE@"), "no hash placeholder is left");
	tap_check(html != NULL && contains(html, "default-src 'none'") &&
	    !contains(html, "unsafe-inline") && !contains(html, " style=\""),
	    "the policy allows nothing else, and no inline style attribute "
	    "needs it");
	free(html);
}

/* A waived finding in every format. */
static void
test_waived(void)
{
	struct mx_err err;
	xmlDocPtr doc = load_sample("waived");
	char *html, *json, *csv, *junit, *sarif;

	if (!tap_check(doc != NULL, "the waived sample loads"))
		return;
	render(doc, "html", "en", tmp_path("waived.html"), &err);
	render(doc, "json", "en", tmp_path("waived.json"), &err);
	render(doc, "csv", "en", tmp_path("waived.csv"), &err);
	render(doc, "junit", "en", tmp_path("waived.junit"), &err);
	render(doc, "sarif", "en", tmp_path("waived.sarif"), &err);
	html = slurp(tmp_path("waived.html"), NULL);
	json = slurp(tmp_path("waived.json"), NULL);
	csv = slurp(tmp_path("waived.csv"), NULL);
	junit = slurp(tmp_path("waived.junit"), NULL);
	sarif = slurp(tmp_path("waived.sarif"), NULL);
	/* Errors are shown twice: critical issues and all issues. */
	tap_check(count_nocase(html, "class=\"waived-tag\">waived<") == 2 &&
	    count_nocase(html, "class=\"finding filterable waived f-error\"")
	    == 2 && count_nocase(html, "class=\"finding filterable f-error\"")
	    == 2, "HTML shows the waived finding, and only it, as waived");
	tap_check(count_nocase(json, "\"waived\": true") == 1 &&
	    count_nocase(json, "\"waived\": false") == 1,
	    "JSON marks the waived finding waived: true, the other false");
	tap_check(contains(csv, "\"EX01\\Relay A\",\"yes\"") &&
	    contains(csv, "\"EX01\\Relay B\",\"no\""),
	    "CSV marks the waived finding yes, the other no");
	tap_check(contains(junit, "failures=\"1\"") &&
	    count_nocase(junit, "<skipped message=\"waived\"/>") == 1,
	    "JUnit skips the waived finding and fails the other");
	tap_check(count_nocase(sarif, "\"suppressions\"") == 1,
	    "SARIF suppresses the waived finding only");
	tap_check(contains(html, "data-score=\"49\""),
	    "the score counts the open error, not the waived one (50, capped "
	    "at 49; 0 if the waived one counted)");
	free(html);
	free(json);
	free(csv);
	free(junit);
	free(sarif);
	xmlFreeDoc(doc);
}

static void
test_all_formats(void)
{
	static const char *const formats[] = { "html", "text", "xml" };
	char name[256], *data;
	struct mx_err err;
	xmlDocPtr doc, back;
	size_t i, j, len;

	for (i = 0; i < NSAMPLES; i++) {
		doc = load_sample(samples[i]);
		for (j = 0; j < 3; j++) {
			snprintf(name, sizeof(name), "all-%s.%s", samples[i],
			    formats[j]);
			tap_check(doc != NULL && render(doc, formats[j], "en",
			    tmp_path(name), &err) == 0,
			    "%s.xml renders as %s", samples[i], formats[j]);
			data = slurp(tmp_path(name), &len);
			tap_check(data != NULL && len > 200,
			    "the %s report of %s.xml is written", formats[j],
			    samples[i]);
			if (strcmp(formats[j], "text") == 0)
				tap_check(data != NULL && count_controls(
				    (unsigned char *)data, len) == 0,
				    "the text report of %s.xml is "
				    "terminal-safe", samples[i]);
			free(data);
		}
		mx_err_init(&err);
		snprintf(name, sizeof(name), "all-%s.xml", samples[i]);
		back = xml_parse_file(tmp_path(name), 1u << 20, 0, &err);
		tap_check(back != NULL && findings_validate(back, name,
		    &err) == 0,
		    "the xml report of %s.xml is a valid findings document",
		    samples[i]);
		xmlFreeDoc(back);
		xmlFreeDoc(doc);
	}
	doc = load_sample("clean");
	render(doc, "html", "fr", tmp_path("clean-fr.html"), &err);
	data = slurp(tmp_path("clean-fr.html"), NULL);
	tap_check(contains(data, "Aucun problème critique") &&
	    contains(data, "toutes les règles sont respectées"),
	    "a report without findings says so");
	free(data);
	xmlFreeDoc(doc);
}

static void
test_errors(xmlDocPtr contoso)
{
	struct mx_err err;
	xmlDocPtr other;
	char *kept;

	tap_check(report_format_known("html") && report_format_known("text") &&
	    report_format_known("xml") && report_format_known("json") &&
	    report_format_known("sarif") && report_format_known("junit") &&
	    report_format_known("csv"),
	    "html, text, xml, json, sarif, junit and csv are known formats");
	tap_check(!report_format_known("pdf") && !report_format_known("") &&
	    !report_format_known(NULL) && !report_format_known("HTML"),
	    "other format names are unknown");

	mx_err_init(&err);
	tap_check(report_render(contoso, "pdf", "en", tmp_path("x.pdf"),
	    &err) == -1 && err.code == MX_ERR_USAGE,
	    "an unknown format fails with MX_ERR_USAGE");
	tap_check(!file_exists(tmp_path("x.pdf")),
	    "an unknown format leaves no output file");

	mx_err_init(&err);
	tap_check(report_render(contoso, "html", "en",
	    tmp_path("missing-dir/r.html"), &err) == -1 &&
	    err.code == MX_ERR_IO,
	    "a report into a missing directory fails with MX_ERR_IO");

	/* A document the stylesheet refuses: the old report stays. */
	spit(tmp_path("kept.html"), "previous report\n");
	mx_err_init(&err);
	other = xml_parse("<topology xmlns='urn:mxbpa:model:1'/>", 37,
	    "inline", 0, &err);
	mx_err_init(&err);
	tap_check(other != NULL && report_render(other, "html", "en",
	    tmp_path("kept.html"), &err) == -1 && err.code == MX_ERR_INTERNAL,
	    "a document that is not findings makes the transform fail");
	kept = slurp(tmp_path("kept.html"), NULL);
	tap_check(kept != NULL && strcmp(kept, "previous report\n") == 0,
	    "a failed render leaves the previous file untouched");
	free(kept);
	mx_err_init(&err);
	tap_check(report_render(contoso, "html", "en", tmp_path("kept.html"),
	    &err) == 0 && (kept = slurp(tmp_path("kept.html"), NULL)) != NULL &&
	    strcmp(kept, "previous report\n") != 0,
	    "a successful render replaces the previous file");
	free(kept);
	xmlFreeDoc(other);
}

int
main(void)
{
	const char *top;
	xmlDocPtr contoso, hostile;
	size_t i;
	int rc;

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	/* Children choose their own data directory: none is chosen yet. */
	for (i = 0; i < sizeof(hostiles) / sizeof(hostiles[0]); i++)
		test_hostile(&hostiles[i]);

	top = getenv("MXBPA_TOP_SRCDIR");
	if (getenv("MXBPA_DATADIR") == NULL && top != NULL)
		setenv("MXBPA_DATADIR", top, 1);
	xml_init();
	test_schema();
	contoso = load_sample("contoso");
	hostile = load_sample("hostile");
	if (!tap_check(contoso != NULL && hostile != NULL,
	    "the sample findings documents load"))
		return tap_done();
	test_languages(contoso);
	test_hostile_texts(hostile);
	test_csp(contoso);
	test_waived();
	test_controls_in_input(hostile);
	test_all_formats();
	test_errors(contoso);
	xmlFreeDoc(contoso);
	xmlFreeDoc(hostile);

	rc = tap_done();
	if (getenv("MXBPA_KEEP_TMP") != NULL)
		printf("# outputs kept in %s\n", tmpdir);
	else
		rm_tree(tmpdir);
	return rc;
}
