/*
 * main.c - mxbpa: subcommand dispatch and exit codes.
 *
 * Commands only parse options and call subsystems: import (collectors),
 * model, rules and engine (analysis), report (renderers).
 *
 * SPDX-License-Identifier: ISC
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltconfig.h>

#include "archive.h"
#include "cli.h"
#include "collector_ldap.h"
#include "datadir.h"
#include "diff.h"
#include "engine.h"
#include "err.h"
#include "findings.h"
#include "import.h"
#include "log.h"
#include "model.h"
#include "model_probe.h"
#include "probe_smtp.h"
#include "probe_targets.h"
#include "report.h"
#include "rules.h"
#include "rules_lint.h"
#include "rules_show.h"
#include "term.h"
#include "util.h"
#include "whichconn.h"
#include "xml.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

/* Progress of the probes, on a terminal only. */
static void
main_probe_progress(size_t done, size_t total, void *arg)
{
	(void)arg;
	fprintf(stderr, "\rmxbpa: probed %zu of %zu", done, total);
	fflush(stderr);
}

/* "TARGET TARGET ...", the probes' source location, bounded. */
static char *
main_probe_location(const char **targets, size_t n,
    const char **mx, size_t nmx)
{
	size_t len = 0, i, max = 4096;
	char *out = xmalloc(max + 1);

	out[0] = '\0';
	for (i = 0; i < n + nmx; i++) {
		const char *t = i < n ? targets[i] : mx[i - n];
		int w = snprintf(out + len, max + 1 - len, "%s%s%s",
		    len > 0 ? " " : "", i < n ? "" : "--mx ", t);

		if (w < 0 || (size_t)w > max - len) {
			memcpy(out + max - 3, "...", 4);
			break;
		}
		len += (size_t)w;
	}
	return out;
}

/*
 * Probe the targets (TARGET operands or --probe, and --mx domains) and
 * add the probes to the model.  *contacted counts the dialogs that
 * reached the network.
 */
static int
main_probe(const struct cli *cli, struct model *m, const char **targets,
    size_t ntargets, size_t *contacted, struct mx_err *err)
{
	struct probe_targets_options topts;
	struct probe_smtp_options popts = cli->probe;
	struct probe_target_list list;
	struct probe_result *results = NULL;
	char *location = NULL;
	size_t i;
	int rc = -1, progress;

	*contacted = 0;
	memset(&list, 0, sizeof(list));
	memset(&topts, 0, sizeof(topts));
	topts.ports = cli->ports;
	topts.nports = cli->nports;
	topts.timeout = cli->probe.timeout;
	if (probe_smtp_check_options(&popts, err) == -1)
		return -1;
	for (i = 0; i < ntargets; i++)
		if (probe_targets_add(&list, targets[i], &topts, err) == -1)
			goto out;
	for (i = 0; i < cli->nmx; i++)
		if (probe_targets_add_mx(&list, cli->mx_domains[i], &topts,
		    err) == -1)
			goto out;
	if (probe_targets_resolve(&list, &topts, err) == -1)
		goto out;
	/* A peer may close while OpenSSL writes: an error, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	progress = cli->verbosity == 0 && isatty(STDERR_FILENO);
	if (progress)
		popts.progress = main_probe_progress;
	log_info(LOG_MAIN, "probing %zu target(s)", list.n);
	if (probe_smtp_run(&list, &popts, &results, contacted, err) == -1)
		goto out;
	if (progress)
		fputc('\n', stderr);
	location = main_probe_location(targets, ntargets,
	    cli->mx_domains, cli->nmx);
	rc = model_probe_add(m, location, results, list.n, err);
out:
	free(location);
	probe_results_free(results, list.n);
	probe_targets_free(&list);
	return rc;
}

/* Import every file named with --import, collect over LDAP, probe. */
static struct model *
main_collect(const struct cli *cli, struct mx_err *err)
{
	struct model *m;
	size_t i, contacted;

	if (cli->nimports == 0 && cli->ldap.uri == NULL &&
	    cli->nprobes == 0 && cli->nmx == 0) {
		mx_err_set(err, MX_ERR_USAGE, NULL, "nothing to collect: give "
		    "--import FILE, --ldap URI or --probe TARGET");
		return NULL;
	}
	m = model_new();
	for (i = 0; i < cli->nimports; i++) {
		log_info(LOG_MAIN, "importing %s", cli->imports[i]);
		if (import_path(m, cli->imports[i], err) == -1) {
			model_free(m);
			return NULL;
		}
	}
	if (cli->ldap.uri != NULL && collector_ldap(m, &cli->ldap, err) == -1) {
		model_free(m);
		return NULL;
	}
	for (i = 0; i < cli->nload_balancers; i++)
		if (model_add_load_balancer(m, cli->load_balancers[i],
		    err) == -1) {
			model_free(m);
			return NULL;
		}
	/* Last: <probe> elements follow everything else in the model. */
	if ((cli->nprobes > 0 || cli->nmx > 0) && main_probe(cli, m,
	    cli->probes, cli->nprobes, &contacted, err) == -1) {
		model_free(m);
		return NULL;
	}
	if (model_validate(m, "collected model", err) == -1) {
		model_free(m);
		return NULL;
	}
	return m;
}

static struct rule_set *
main_rules(const struct cli *cli, struct mx_err *err)
{
	struct rule_set *rs = rule_set_new();
	char dir[PATH_MAX];
	size_t i;

	if (cli->builtin_rules) {
		if ((size_t)snprintf(dir, sizeof(dir), "%s/rules",
		    datadir_root()) >= sizeof(dir) ||
		    rule_set_load_dir(rs, dir, err) == -1)
			goto fail;
	}
	for (i = 0; i < cli->nrules_dirs; i++)
		if (rule_set_load_dir(rs, cli->rules_dirs[i], err) == -1)
			goto fail;
	if (rule_set_count(rs) == 0) {
		mx_err_set(err, MX_ERR_USAGE, NULL, "no rules loaded");
		goto fail;
	}
	if (rule_set_check_entries(rs, NULL, err) == -1)
		goto fail;
	log_info(LOG_MAIN, "%zu rules loaded", rule_set_count(rs));
	return rs;
fail:
	rule_set_free(rs);
	return NULL;
}

static xmlDocPtr
main_analyze_model(const struct cli *cli, struct model *m,
    struct mx_err *err)
{
	struct rule_set *rs;
	xmlDocPtr findings;

	rs = main_rules(cli, err);
	if (rs == NULL)
		return NULL;
	model_normalize(m);
	findings = engine_run(rs, m, err);
	rule_set_free(rs);
	if (findings != NULL && findings_validate(findings, "findings",
	    err) == -1) {
		xmlFreeDoc(findings);
		return NULL;
	}
	return findings;
}

/* The format asked for, else guessed from the output's extension. */
static const char *
main_format(const struct cli *cli, const char *fallback)
{
	const char *dot;

	if (cli->format != NULL)
		return cli->format;
	if (cli->output != NULL && (dot = strrchr(cli->output, '.')) != NULL) {
		if (strcmp(dot, ".html") == 0 || strcmp(dot, ".htm") == 0)
			return "html";
		if (strcmp(dot, ".xml") == 0)
			return "xml";
		if (strcmp(dot, ".txt") == 0)
			return "text";
		if (strcmp(dot, ".json") == 0)
			return "json";
		if (strcmp(dot, ".sarif") == 0)
			return "sarif";
		if (strcmp(dot, ".csv") == 0)
			return "csv";
	}
	return fallback;
}

static int
main_verdict(const struct cli *cli, xmlDocPtr findings)
{
	unsigned long n = findings_count_at_least(findings, cli->fail_on);

	log_info(LOG_MAIN, "%lu finding(s) at or above %s", n,
	    severity_name(cli->fail_on));
	/* Nothing decided is never a pass, whatever --fail-on says. */
	if (findings_nothing_decided(findings)) {
		log_warnx(LOG_MAIN, "no relay test could be completed: "
		    "nothing was checked");
		return MX_EXIT_FINDINGS;
	}
	return n > 0 ? MX_EXIT_FINDINGS : MX_EXIT_OK;
}

/*
 * Render findings in fmt, then give the verdict exit code.  Frees the
 * findings.
 */
static int
main_render(const struct cli *cli, xmlDocPtr findings, const char *fmt,
    struct mx_err *err)
{
	int rc;

	rc = report_render(findings, fmt, cli->lang,
	    cli->output ? cli->output : "-", err);
	if (rc == 0)
		rc = main_verdict(cli, findings);
	xmlFreeDoc(findings);
	return rc;
}

static int
main_cmd_collect(struct cli *cli, struct mx_err *err)
{
	struct model *m;
	int rc;

	if (cli->nargs > 0)
		return mx_err_set(err, MX_ERR_USAGE, NULL,
		    "unexpected argument \"%s\" (inputs go after --import)",
		    cli->args[0]);
	if ((m = main_collect(cli, err)) == NULL)
		return -1;
	rc = model_write(m, cli->output ? cli->output : "-", err);
	model_free(m);
	return rc == 0 ? MX_EXIT_OK : -1;
}

static int
main_cmd_probe(struct cli *cli, struct mx_err *err)
{
	struct model *m;
	size_t contacted;
	int rc;

	if (cli->nargs == 0 && cli->nmx == 0)
		return mx_err_set(err, MX_ERR_USAGE, NULL,
		    "probe needs at least one TARGET (or --mx DOMAIN)");
	m = model_new();
	if (main_probe(cli, m, cli->args, cli->nargs, &contacted,
	    err) == -1) {
		model_free(m);
		return -1;
	}
	if (contacted == 0) {
		model_free(m);
		return mx_err_set(err, MX_ERR_NET, NULL, "nothing could be "
		    "probed: no target has an address");
	}
	rc = model_write(m, cli->output ? cli->output : "-", err);
	model_free(m);
	return rc == 0 ? MX_EXIT_OK : -1;
}

/* The file name extension of a report format in an archive. */
static const char *
main_report_ext(const char *fmt)
{
	if (strcmp(fmt, "text") == 0)
		return "txt";
	if (strcmp(fmt, "junit") == 0)
		return "junit.xml";
	return fmt;
}

/* Add the rule packs the audit used, each once. */
static int
main_archive_rules(const struct cli *cli, struct archive *a,
    struct mx_err *err)
{
	struct rule_set *rs;
	const char **files = NULL;
	size_t n = 0, i, j;
	int rc = 0;

	if ((rs = main_rules(cli, err)) == NULL)
		return -1;
	for (i = 0; i < rule_set_count(rs) && rc == 0; i++) {
		const char *f = rule_set_get(rs, i)->file;

		for (j = 0; j < n && strcmp(files[j], f) != 0; j++)
			;
		if (j < n)
			continue;
		files = xreallocarray(files, n + 1, sizeof(*files));
		files[n++] = f;
		rc = archive_add_file(a, "rules", f, NULL, err);
	}
	free(files);
	rule_set_free(rs);
	return rc;
}

/* The SHA-256 the model recorded for the input at location, or NULL. */
static const char *
main_source_sha256(struct model *m, const char *location)
{
	xmlNodePtr c;
	const char *loc;

	for (c = xmlDocGetRootElement(model_doc(m))->children; c != NULL;
	    c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, "source") == 0 &&
		    (loc = xml_attr(c, "location")) != NULL &&
		    strcmp(loc, location) == 0)
			return xml_attr(c, "sha256");
	return NULL;
}

/*
 * The evidence archive of an audit: the inputs as read, the baseline, the
 * model, the findings, the rule packs, the report (and the HTML report
 * when another format was asked for).
 */
static int
main_archive(const struct cli *cli, struct model *m, xmlDocPtr findings,
    const char *fmt, const char *report, size_t len, struct util_out *out,
    struct mx_err *err)
{
	struct archive *a = archive_new();
	char name[64], *html = NULL;
	xmlChar *buf = NULL;
	size_t i, hlen;
	int blen, rc = -1;

	for (i = 0; i < cli->nimports; i++)
		if (archive_add_file(a, "inputs", cli->imports[i],
		    main_source_sha256(m, cli->imports[i]), err) == -1)
			goto out;
	if (cli->baseline != NULL && archive_add_file(a, "baseline",
	    cli->baseline, NULL, err) == -1)
		goto out;
	if (xml_dump(model_doc(m), &buf, &blen, err) == -1 ||
	    archive_add_data(a, "model.xml", buf, (size_t)blen, err) == -1)
		goto out;
	xmlFree(buf);
	buf = NULL;
	if (xml_dump(findings, &buf, &blen, err) == -1 ||
	    archive_add_data(a, "findings.xml", buf, (size_t)blen, err) == -1)
		goto out;
	if (main_archive_rules(cli, a, err) == -1)
		goto out;
	if (strcmp(fmt, "xml") != 0) {
		snprintf(name, sizeof(name), "report.%s", main_report_ext(fmt));
		if (archive_add_data(a, name, report, len, err) == -1)
			goto out;
	}
	if (strcmp(fmt, "html") != 0 && (report_render_mem(findings, "html",
	    cli->lang, &html, &hlen, err) == -1 || archive_add_data(a,
	    "report.html", html, hlen, err) == -1))
		goto out;
	rc = archive_write(a, out, cli->archive, cli->argc, cli->argv,
	    cli->sign_key, cli->sign_cert, err);
out:
	xmlFree(buf);
	free(html);
	archive_free(a);
	return rc;
}

/*
 * Compare the audit with --baseline: a model (compared with this model,
 * and analysed with the same rules so that findings compare too) or a
 * findings file.  The changes join the findings as their recent changes.
 */
static int
main_baseline(const struct cli *cli, struct model *m, xmlDocPtr findings,
    struct mx_err *err)
{
	struct diff_input base;
	xmlDocPtr changes = NULL, old = NULL;
	int rc = -1;

	if (diff_input_load(&base, cli->baseline, err) == -1)
		return -1;
	changes = diff_new(cli->baseline, "this audit");
	if (base.kind == DIFF_KIND_MODEL) {
		if (diff_compare(changes, model_doc(base.model), model_doc(m),
		    0, err) == -1)
			goto out;
		if ((old = main_analyze_model(cli, base.model, err)) == NULL)
			goto out;
	} else
		old = base.findings;
	if (diff_compare(changes, old, findings, base.kind ==
	    DIFF_KIND_MODEL ? DIFF_FINDINGS_ONLY : 0, err) == -1 ||
	    diff_attach(findings, changes, err) == -1)
		goto out;
	log_info(LOG_MAIN, "%lu change(s) since %s", diff_count(changes),
	    cli->baseline);
	rc = 0;
out:
	if (old != base.findings)
		xmlFreeDoc(old);
	xmlFreeDoc(changes);
	diff_input_free(&base);
	return rc;
}

static int
main_cmd_audit(struct cli *cli, struct mx_err *err)
{
	const char *fmt = main_format(cli, "text");
	struct util_out *outs = NULL;
	struct model *m;
	xmlDocPtr findings = NULL;
	char *report = NULL;
	size_t len, i;
	int rc = -1;

	if (cli->nargs > 0)
		return mx_err_set(err, MX_ERR_USAGE, NULL,
		    "unexpected argument \"%s\" (inputs go after --import)",
		    cli->args[0]);
	if (!report_format_known(fmt))
		return mx_err_set(err, MX_ERR_USAGE, NULL,
		    "unknown format \"%s\" (%s)", fmt, REPORT_FORMATS);
	if (cli->sign_key != NULL && cli->archive == NULL)
		return mx_err_set(err, MX_ERR_USAGE, NULL,
		    "--sign signs an archive: add --archive FILE");
	if ((cli->sign_key == NULL) != (cli->sign_cert == NULL))
		return mx_err_set(err, MX_ERR_USAGE, NULL,
		    "--sign KEY and --cert CERT go together");
	for (i = 0; cli->archive != NULL && i < cli->nimports; i++)
		if (strcmp(cli->imports[i], "-") == 0)
			return mx_err_set(err, MX_ERR_USAGE, NULL, "--archive "
			    "keeps the inputs: import files, not standard "
			    "input");
	if ((m = main_collect(cli, err)) == NULL)
		return -1;
	if ((findings = main_analyze_model(cli, m, err)) == NULL)
		goto out;
	if (cli->baseline != NULL && main_baseline(cli, m, findings,
	    err) == -1)
		goto out;
	/* The report and the archive are put in place together, or neither. */
	outs = util_out_new();
	if (report_render_mem(findings, fmt, cli->lang, &report, &len,
	    err) == -1 || util_out_add(outs, cli->output ? cli->output : "-",
	    report, len, 0, err) == -1)
		goto out;
	if (cli->archive != NULL && main_archive(cli, m, findings, fmt,
	    report, len, outs, err) == -1)
		goto out;
	if (util_out_commit(outs, err) == -1)
		goto out;
	rc = main_verdict(cli, findings);
out:
	util_out_free(outs);
	free(report);
	xmlFreeDoc(findings);
	model_free(m);
	return rc;
}

static int
main_cmd_analyze(struct cli *cli, struct mx_err *err)
{
	struct model *m = NULL, *other;
	xmlDocPtr findings;
	size_t i;
	int rc;

	if (cli->nargs == 0)
		return mx_err_set(err, MX_ERR_USAGE, NULL,
		    "analyze needs at least one MODEL file");
	for (i = 0; i < cli->nargs; i++) {
		other = model_load(cli->args[i], err);
		if (other == NULL) {
			model_free(m);
			return -1;
		}
		if (m == NULL) {
			m = other;
			continue;
		}
		rc = model_merge(m, other, err);
		model_free(other);
		if (rc == -1) {
			model_free(m);
			return -1;
		}
	}
	findings = main_analyze_model(cli, m, err);
	model_free(m);
	if (findings == NULL)
		return -1;
	rc = xml_write(findings, cli->output ? cli->output : "-", err);
	if (rc == 0)
		rc = main_verdict(cli, findings);
	xmlFreeDoc(findings);
	return rc;
}

static int
main_cmd_report(struct cli *cli, struct mx_err *err)
{
	const char *fmt = main_format(cli, "text");
	xmlDocPtr findings;

	if (cli->nargs != 1)
		return mx_err_set(err, MX_ERR_USAGE, NULL,
		    "report needs exactly one FINDINGS file");
	if (!report_format_known(fmt))
		return mx_err_set(err, MX_ERR_USAGE, NULL,
		    "unknown format \"%s\" (%s)", fmt, REPORT_FORMATS);
	if ((findings = findings_load(cli->args[0], err)) == NULL)
		return -1;
	return main_render(cli, findings, fmt, err);
}

/*
 * Text for the terminal is first laid out in memory (main_text_open),
 * then written escaped, line feeds kept (main_text_close, term.h): it
 * quotes rule packs, models and archives.
 */
static FILE *
main_text_open(char **text, size_t *len, struct mx_err *err)
{
	FILE *fp = open_memstream(text, len);

	if (fp == NULL)
		mx_err_sys(err, MX_ERR_INTERNAL, NULL, "open_memstream");
	return fp;
}

/*
 * Close fp (opened by main_text_open on *text, *len), write its text
 * escaped to out (if not NULL), free it.
 */
static void
main_text_close(FILE *fp, char **text, size_t *len, FILE *out)
{
	fclose(fp);
	if (out != NULL && *text != NULL) {
		term_write(out, *text, *len, TERM_KEEP_LINES);
		fflush(out);
	}
	free(*text);
	*text = NULL;
}

/* verify ARCHIVE: 0 when it verifies, 1 when something does not match. */
static int
main_cmd_verify(struct cli *cli, struct mx_err *err)
{
	unsigned problems;
	char *text = NULL;
	size_t len = 0;
	FILE *fp;
	int rc;

	if (cli->nargs != 1)
		return mx_err_set(err, MX_ERR_USAGE, NULL,
		    "usage: mxbpa verify ARCHIVE [--cert CERT]");
	/* Member names come from the archive: escaped for the terminal. */
	if ((fp = main_text_open(&text, &len, err)) == NULL)
		return -1;
	rc = archive_verify(cli->args[0], cli->sign_cert, fp, &problems,
	    err);
	main_text_close(fp, &text, &len, stdout);
	if (rc == -1)
		return -1;
	if (rc == 1) {
		fprintf(stderr, "mxbpa: ");
		term_write(stderr, cli->args[0], strlen(cli->args[0]), 0);
		fprintf(stderr, ": does not verify: %u problem(s)\n", problems);
		return MX_EXIT_FINDINGS;
	}
	term_write(stdout, cli->args[0], strlen(cli->args[0]), 0);
	printf(": verified\n");
	return MX_EXIT_OK;
}

/* diff OLD NEW: exit 0 when nothing changed, 1 when something did. */
static int
main_cmd_diff(struct cli *cli, struct mx_err *err)
{
	struct diff_input old, new;
	xmlDocPtr changes;
	const char *fmt = cli->format != NULL ? cli->format : "text";
	const char *out = cli->output ? cli->output : "-";
	int rc = -1;

	if (cli->nargs != 2)
		return mx_err_set(err, MX_ERR_USAGE, NULL,
		    "usage: mxbpa diff OLD NEW (two models or two findings "
		    "files)");
	if (strcmp(fmt, "text") != 0 && strcmp(fmt, "xml") != 0)
		return mx_err_set(err, MX_ERR_USAGE, NULL,
		    "diff writes text or xml, not \"%s\"", fmt);
	if (diff_input_load(&old, cli->args[0], err) == -1)
		return -1;
	if (diff_input_load(&new, cli->args[1], err) == -1) {
		diff_input_free(&old);
		return -1;
	}
	changes = diff_new(cli->args[0], cli->args[1]);
	if (old.kind != new.kind)
		mx_err_set(err, MX_ERR_USAGE, NULL, "%s is a %s, %s a %s: "
		    "compare two models or two findings files", cli->args[0],
		    old.kind == DIFF_KIND_MODEL ? "model" : "findings file",
		    cli->args[1],
		    new.kind == DIFF_KIND_MODEL ? "model" : "findings file");
	else if (diff_compare(changes, old.kind == DIFF_KIND_MODEL ?
	    model_doc(old.model) : old.findings, new.kind == DIFF_KIND_MODEL ?
	    model_doc(new.model) : new.findings, 0, err) == 0 &&
	    (strcmp(fmt, "xml") == 0 ? xml_write(changes, out, err) :
	    diff_write_text(changes, out, err)) == 0)
		rc = diff_count(changes) > 0 ? MX_EXIT_FINDINGS : MX_EXIT_OK;
	xmlFreeDoc(changes);
	diff_input_free(&old);
	diff_input_free(&new);
	return rc;
}

static int
main_cmd_rules(struct cli *cli, struct mx_err *err)
{
	struct rule_set *rs;
	const struct rule *r;
	char *text = NULL;
	size_t i, len = 0;
	FILE *fp;

	if (cli->nargs == 0 || strcmp(cli->args[0], "list") == 0 ||
	    strcmp(cli->args[0], "show") == 0) {
		int show = cli->nargs > 0 && strcmp(cli->args[0], "show") == 0;
		unsigned flags = cli->xpath ? RULES_SHOW_XPATH : 0;

		if (show && cli->nargs != 2)
			return mx_err_set(err, MX_ERR_USAGE, NULL,
			    "usage: mxbpa rules show ID");
		if (cli->format != NULL && strcmp(cli->format, "markdown") == 0)
			flags |= RULES_SHOW_MARKDOWN;
		else if (cli->format != NULL && strcmp(cli->format, "text") != 0)
			return mx_err_set(err, MX_ERR_USAGE, NULL, "rules "
			    "writes text or markdown, not \"%s\"", cli->format);
		if ((rs = main_rules(cli, err)) == NULL)
			return -1;
		if ((fp = main_text_open(&text, &len, err)) == NULL) {
			rule_set_free(rs);
			return -1;
		}
		if (show) {
			/* Ids are upper case; "relay-001" is a typing slip. */
			for (i = 0; i < rule_set_count(rs); i++)
				if (strcasecmp(rule_set_get(rs, i)->id,
				    cli->args[1]) == 0)
					break;
			if ((r = rule_set_get(rs, i)) == NULL) {
				main_text_close(fp, &text, &len, NULL);
				rule_set_free(rs);
				return mx_err_set(err, MX_ERR_USAGE, NULL,
				    "no rule with id \"%s\"", cli->args[1]);
			}
			rules_show(fp, r, cli->lang, flags);
		} else {
			if (flags & RULES_SHOW_MARKDOWN)
				rules_show_index(fp);
			for (i = 0; i < rule_set_count(rs); i++) {
				r = rule_set_get(rs, i);
				if ((cli->pack != NULL &&
				    strcmp(r->pack, cli->pack) != 0) ||
				    (cli->category != NULL &&
				    strcmp(r->category, cli->category) != 0) ||
				    (cli->severity != -1 &&
				    r->severity != cli->severity))
					continue;
				rules_show_line(fp, r, cli->lang, flags);
			}
		}
		/* Rule packs may hold C1 controls: escaped (term.h). */
		main_text_close(fp, &text, &len, stdout);
		rule_set_free(rs);
		return MX_EXIT_OK;
	}
	if (strcmp(cli->args[0], "lint") == 0) {
		struct rule_set *known = NULL;
		unsigned problems;

		if (cli->nargs < 2)
			return mx_err_set(err, MX_ERR_USAGE, NULL,
			    "usage: mxbpa rules lint FILE...");
		/* Entries of a site pack may name the built-in rules. */
		if (cli->builtin_rules && (known = main_rules(cli, err)) == NULL)
			return -1;
		if ((fp = main_text_open(&text, &len, err)) == NULL) {
			rule_set_free(known);
			return -1;
		}
		problems = rules_lint(cli->args + 1, cli->nargs - 1,
		    cli->fixtures, known, stdout, fp);
		main_text_close(fp, &text, &len, stderr);
		rule_set_free(known);
		if (problems > 0)
			return mx_err_set(err, MX_ERR_INPUT, NULL,
			    "%u problem(s) in the rule packs", problems);
		return MX_EXIT_OK;
	}
	return mx_err_set(err, MX_ERR_USAGE, NULL,
	    "unknown rules action \"%s\" (list, show, lint)", cli->args[0]);
}

static int
main_cmd_which_connector(struct cli *cli, struct mx_err *err)
{
	struct model *m;
	int rc;

	if (cli->nargs != 1 || cli->server == NULL || cli->local == NULL ||
	    cli->remote == NULL)
		return mx_err_set(err, MX_ERR_USAGE, NULL, "usage: mxbpa "
		    "which-connector --server S --local IP:PORT --remote IP "
		    "MODEL");
	if ((m = model_load(cli->args[0], err)) == NULL)
		return -1;
	{
		char *text = NULL, *esc;
		size_t len = 0;
		FILE *fp = main_text_open(&text, &len, err);

		if (fp == NULL) {
			model_free(m);
			return -1;
		}
		rc = whichconn_run(m, cli->server, cli->local, cli->remote,
		    fp, err);
		fclose(fp);
		/* It quotes the model: escaped for a terminal (term.h). */
		esc = term_escape(text, len, TERM_KEEP_LINES);
		if (rc != -1 && util_write_atomic(cli->output ? cli->output :
		    "-", esc, strlen(esc), err) == -1)
			rc = -1;
		free(esc);
		free(text);
	}
	model_free(m);
	return rc == -1 ? -1 : rc == 0 ? MX_EXIT_OK : MX_EXIT_FINDINGS;
}

/*
 * Refuse, before any work, a run whose outputs (-o, --archive) name the
 * same file, or a file it reads (same path or same inode): writing one
 * would destroy the other.
 */
static int
main_check_outputs(const struct cli *cli, struct mx_err *err)
{
	const char *outs[2] = { cli->output, cli->archive };
	const char *ins[16];
	size_t nins = 0, i, j;
	int files;

	files = cli->command == CLI_CMD_ANALYZE ||
	    cli->command == CLI_CMD_REPORT || cli->command == CLI_CMD_DIFF ||
	    cli->command == CLI_CMD_VERIFY ||
	    cli->command == CLI_CMD_WHICH_CONNECTOR;
	if (outs[0] != NULL && util_same_file(outs[0], outs[1]))
		return mx_err_set(err, MX_ERR_USAGE, outs[1], "-o and "
		    "--archive name the same file");
	ins[nins++] = cli->baseline;
	ins[nins++] = cli->sign_key;
	ins[nins++] = cli->sign_cert;
	ins[nins++] = cli->fixtures;
	ins[nins++] = cli->ldap.password_file;
	ins[nins++] = cli->ldap.ca_file;
	for (j = 0; j < 2; j++) {
		if (outs[j] == NULL)
			continue;
		for (i = 0; i < nins; i++)
			if (util_same_file(outs[j], ins[i]))
				goto collide;
		for (i = 0; i < cli->nimports; i++)
			if (util_same_file(outs[j], cli->imports[i]))
				goto collide;
		for (i = 0; i < cli->nrules_dirs; i++)
			if (util_same_file(outs[j], cli->rules_dirs[i]))
				goto collide;
		for (i = 0; files && i < cli->nargs; i++)
			if (util_same_file(outs[j], cli->args[i]))
				goto collide;
	}
	return 0;
collide:
	return mx_err_set(err, MX_ERR_USAGE, outs[j], "%s names a file this "
	    "run reads", j == 0 ? "-o" : "--archive");
}

static int
main_dispatch(struct cli *cli, struct mx_err *err)
{
	if (cli->nargs > 0 && strcmp(cli->args[cli->nargs - 1],
	    "--help") == 0) {
		cli_usage(stdout, cli->command);
		return MX_EXIT_OK;
	}
	if (main_check_outputs(cli, err) == -1)
		return -1;
	switch (cli->command) {
	case CLI_CMD_AUDIT:
		return main_cmd_audit(cli, err);
	case CLI_CMD_COLLECT:
		return main_cmd_collect(cli, err);
	case CLI_CMD_PROBE:
		return main_cmd_probe(cli, err);
	case CLI_CMD_ANALYZE:
		return main_cmd_analyze(cli, err);
	case CLI_CMD_REPORT:
		return main_cmd_report(cli, err);
	case CLI_CMD_RULES:
		return main_cmd_rules(cli, err);
	case CLI_CMD_DIFF:
		return main_cmd_diff(cli, err);
	case CLI_CMD_VERIFY:
		return main_cmd_verify(cli, err);
	case CLI_CMD_WHICH_CONNECTOR:
		return main_cmd_which_connector(cli, err);
	case CLI_CMD_VERSION:
		printf("mxbpa %s (libxml2 %s, libxslt %s)\n", PACKAGE_VERSION,
		    LIBXML_DOTTED_VERSION, LIBXSLT_DOTTED_VERSION);
		return MX_EXIT_OK;
	case CLI_CMD_HELP:
		cli_usage(stdout, cli->nargs > 0 ?
		    cli_command_lookup(cli->args[0]) : CLI_CMD_NONE);
		return MX_EXIT_OK;
	default:
		cli_usage(stderr, CLI_CMD_NONE);
		return MX_EXIT_USAGE;
	}
}

int
main(int argc, char **argv)
{
	struct mx_err err;
	struct cli cli;
	int rc;

	mx_err_init(&err);
	xml_init();
	if (cli_parse(&cli, argc, argv, &err) == -1) {
		mx_err_print(&err, stderr);
		cli_free(&cli);
		return MX_EXIT_USAGE;
	}
	log_set_level(cli.verbosity < 0 ? LOG_LEVEL_QUIET :
	    (enum log_level)(cli.verbosity > 3 ? 3 : cli.verbosity));
	rc = main_dispatch(&cli, &err);
	if (rc == -1) {
		mx_err_print(&err, stderr);
		rc = mx_err_exit_code(&err);
	}
	cli_free(&cli);
	xsltCleanupGlobals();
	xmlCleanupParser();
	return rc;
}
