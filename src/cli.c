/*
 * cli.c - the command line (see cli.h).  The option table below is the
 * single source of the options: parsing and --help both read it, and a
 * test checks that the man page documents every entry.
 *
 * SPDX-License-Identifier: ISC
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "cli.h"
#include "err.h"
#include "findings.h"
#include "probe_targets.h"
#include "util.h"

enum cli_arg {
	CLI_ARG_FLAG,
	CLI_ARG_STRING,
	CLI_ARG_FILE,
	CLI_ARG_DIR,
	CLI_ARG_UINT
};

enum cli_opt {
	CLI_OPT_FAIL_ON = 256,
	CLI_OPT_FORMAT,
	CLI_OPT_HELP,
	CLI_OPT_IMPORT,
	CLI_OPT_LANG,
	CLI_OPT_NO_BUILTIN_RULES,
	CLI_OPT_OUTPUT,
	CLI_OPT_QUIET,
	CLI_OPT_RULES,
	CLI_OPT_VERBOSE,
	CLI_OPT_VERSION,
	CLI_OPT_BASE,
	CLI_OPT_BIND_DN,
	CLI_OPT_CA_FILE,
	CLI_OPT_INSECURE_TLS,
	CLI_OPT_LDAP,
	CLI_OPT_PAGE_SIZE,
	CLI_OPT_PASSWORD_FILE,
	CLI_OPT_PASSWORD_PROMPT,
	CLI_OPT_REFERRALS,
	CLI_OPT_SASL_GSSAPI,
	CLI_OPT_STARTTLS,
	CLI_OPT_TIMEOUT,
	CLI_OPT_CONCURRENCY,
	CLI_OPT_DEADLINE,
	CLI_OPT_CONFIRM_RELAY,
	CLI_OPT_FROM,
	CLI_OPT_HELO,
	CLI_OPT_MX,
	CLI_OPT_PORTS,
	CLI_OPT_PROBE,
	CLI_OPT_TLS_LEGACY,
	CLI_OPT_TLS_PORTS,
	CLI_OPT_TO,
	CLI_OPT_VARIANTS,
	CLI_OPT_BASELINE,
	CLI_OPT_ARCHIVE,
	CLI_OPT_SIGN,
	CLI_OPT_CERT,
	CLI_OPT_SERVER,
	CLI_OPT_LOCAL,
	CLI_OPT_REMOTE,
	CLI_OPT_PACK,
	CLI_OPT_SEVERITY,
	CLI_OPT_CATEGORY,
	CLI_OPT_FIXTURES,
	CLI_OPT_LOAD_BALANCER,
	CLI_OPT_DOMAIN,
	CLI_OPT_PER_HOST,
	CLI_OPT_XPATH
};

/* Which commands take an option: bit (1 << enum cli_command). */
#define CLI_IN(c)	(1u << (c))
#define CLI_ALL		0xffffu
#define CLI_RULESET	(CLI_IN(CLI_CMD_AUDIT) | CLI_IN(CLI_CMD_ANALYZE) | \
			 CLI_IN(CLI_CMD_RULES))
#define CLI_RENDER	(CLI_IN(CLI_CMD_AUDIT) | CLI_IN(CLI_CMD_REPORT))
#define CLI_SIGNING	(CLI_IN(CLI_CMD_AUDIT) | CLI_IN(CLI_CMD_VERIFY))
#define CLI_VERDICT	(CLI_IN(CLI_CMD_AUDIT) | CLI_IN(CLI_CMD_ANALYZE) | \
			 CLI_IN(CLI_CMD_REPORT))
#define CLI_COLLECT	(CLI_IN(CLI_CMD_AUDIT) | CLI_IN(CLI_CMD_COLLECT))
#define CLI_PROBING	(CLI_COLLECT | CLI_IN(CLI_CMD_PROBE))

struct cli_option {
	const char	*name;
	char		 short_name;
	enum cli_arg	 arg;
	int		 id;
	unsigned	 commands;
	const char	*metavar;
	const char	*help;
};

/* Sorted by long name. */
static const struct cli_option cli_options[] = {
	{ "archive", 0, CLI_ARG_FILE, CLI_OPT_ARCHIVE, CLI_IN(CLI_CMD_AUDIT),
	  "FILE", "also write an evidence archive (tar: inputs, model, "
	  "findings, rules, report, SHA-256 manifest)" },
	{ "base", 0, CLI_ARG_STRING, CLI_OPT_BASE, CLI_COLLECT,
	  "DN", "LDAP: the configuration naming context (default: from the "
	  "RootDSE)" },
	{ "baseline", 0, CLI_ARG_FILE, CLI_OPT_BASELINE, CLI_IN(CLI_CMD_AUDIT),
	  "FILE", "compare with an earlier model or findings file: the "
	  "report's recent changes" },
	{ "bind-dn", 0, CLI_ARG_STRING, CLI_OPT_BIND_DN, CLI_COLLECT,
	  "DN", "LDAP: bind as DN or user@domain (password from "
	  "--password-file, MXBPA_LDAP_PASSWORD or -W)" },
	{ "ca-file", 0, CLI_ARG_FILE, CLI_OPT_CA_FILE, CLI_PROBING,
	  "FILE", "CA certificates to verify LDAP and SMTP servers with "
	  "(default: the system store)" },
	{ "category", 0, CLI_ARG_STRING, CLI_OPT_CATEGORY,
	  CLI_IN(CLI_CMD_RULES), "CATEGORY", "rules list: only rules of this "
	  "category (security, reliability, operations)" },
	{ "cert", 0, CLI_ARG_FILE, CLI_OPT_CERT, CLI_SIGNING,
	  "FILE", "the signer's certificate (PEM), with --sign; for verify, "
	  "the certificate to trust" },
	{ "concurrency", 0, CLI_ARG_UINT, CLI_OPT_CONCURRENCY, CLI_PROBING,
	  "N", "SMTP probes: targets probed at once (default 16)" },
	{ "confirm-relay", 0, CLI_ARG_FLAG, CLI_OPT_CONFIRM_RELAY,
	  CLI_PROBING, NULL, "SMTP probes: after the first accepted RCPT, "
	  "send DATA and a short message to --to, a mailbox of your own (the "
	  "only proof of relaying)" },
	{ "deadline", 0, CLI_ARG_UINT, CLI_OPT_DEADLINE, CLI_PROBING,
	  "SECONDS", "SMTP probes: end all the probes within SECONDS; "
	  "targets not probed by then are reported unknown (default: none)" },
	{ "domain", 0, CLI_ARG_STRING, CLI_OPT_DOMAIN, CLI_PROBING,
	  "DOMAIN", "SMTP probes: an accepted domain of the organisation "
	  "(repeatable); --variants all also tries the tricks that route "
	  "through it (user%fabrikam.com@DOMAIN)" },
	{ "fail-on", 0, CLI_ARG_STRING, CLI_OPT_FAIL_ON, CLI_VERDICT,
	  "SEVERITY", "exit 1 when a finding is at least this severe: error, "
	  "warning, best-practice, non-default, info (default error)" },
	{ "fixtures", 0, CLI_ARG_DIR, CLI_OPT_FIXTURES, CLI_IN(CLI_CMD_RULES),
	  "DIR", "rules lint: where the fixtures ID/bad.xml and ID/good.xml "
	  "are (default: ../tests/rules next to each pack)" },
	{ "format", 'f', CLI_ARG_STRING, CLI_OPT_FORMAT, CLI_RENDER |
	  CLI_IN(CLI_CMD_DIFF) | CLI_IN(CLI_CMD_RULES),
	  "FORMAT", "html, text, xml, json, sarif, junit or csv (default: "
	  "from the -o extension, else text); rules show: text or markdown" },
	{ "from", 0, CLI_ARG_STRING, CLI_OPT_FROM, CLI_PROBING,
	  "ADDR", "SMTP probes: MAIL FROM mailbox (default "
	  "ExBPA-OpenRelayTest@Fabrikam.com)" },
	{ "help", 'h', CLI_ARG_FLAG, CLI_OPT_HELP, CLI_ALL,
	  NULL, "show this help and exit" },
	{ "helo", 0, CLI_ARG_STRING, CLI_OPT_HELO, CLI_PROBING,
	  "NAME", "SMTP probes: name sent with EHLO (default mxbpa.invalid)" },
	{ "import", 'i', CLI_ARG_FILE, CLI_OPT_IMPORT, CLI_COLLECT,
	  "FILE", "read an Export-Clixml file, an LDIF export or an mxbpa "
	  "model (repeatable; recognised by content)" },
	{ "insecure-tls", 0, CLI_ARG_FLAG, CLI_OPT_INSECURE_TLS, CLI_COLLECT,
	  NULL, "LDAP: accept a certificate that does not verify (lab use)" },
	{ "lang", 'l', CLI_ARG_STRING, CLI_OPT_LANG, CLI_RENDER |
	  CLI_IN(CLI_CMD_RULES),
	  "LANG", "language of the report: en or fr (default en)" },
	{ "ldap", 0, CLI_ARG_STRING, CLI_OPT_LDAP, CLI_COLLECT,
	  "URI", "collect from Active Directory at ldap://HOST or "
	  "ldaps://HOST" },
	{ "load-balancer", 0, CLI_ARG_STRING, CLI_OPT_LOAD_BALANCER,
	  CLI_COLLECT, "ADDR", "record ADDR as a load balancer in front of "
	  "the servers (repeatable): relay ranges holding it are reported" },
	{ "local", 0, CLI_ARG_STRING, CLI_OPT_LOCAL,
	  CLI_IN(CLI_CMD_WHICH_CONNECTOR), "IP:PORT", "which-connector: the "
	  "server address and port the client connects to ([IPv6]:PORT)" },
	{ "mx", 0, CLI_ARG_STRING, CLI_OPT_MX, CLI_PROBING,
	  "DOMAIN", "SMTP probes: probe the MX hosts of DOMAIN (repeatable)" },
	{ "no-builtin-rules", 0, CLI_ARG_FLAG, CLI_OPT_NO_BUILTIN_RULES,
	  CLI_RULESET, NULL, "load only the packs given with --rules" },
	{ "output", 'o', CLI_ARG_FILE, CLI_OPT_OUTPUT, CLI_ALL,
	  "FILE", "write the result to FILE, replaced atomically "
	  "(default: standard output)" },
	{ "pack", 0, CLI_ARG_STRING, CLI_OPT_PACK, CLI_IN(CLI_CMD_RULES),
	  "PACK", "rules list: only rules of this pack (relay, auth...)" },
	{ "page-size", 0, CLI_ARG_UINT, CLI_OPT_PAGE_SIZE, CLI_COLLECT,
	  "N", "LDAP: entries per page of the paged search (default 500)" },
	{ "password-file", 0, CLI_ARG_FILE, CLI_OPT_PASSWORD_FILE,
	  CLI_COLLECT, "FILE", "LDAP: read the bind password from FILE" },
	{ "password-prompt", 'W', CLI_ARG_FLAG, CLI_OPT_PASSWORD_PROMPT,
	  CLI_COLLECT, NULL, "LDAP: ask for the bind password on the "
	  "terminal" },
	{ "per-host", 0, CLI_ARG_UINT, CLI_OPT_PER_HOST, CLI_PROBING,
	  "N", "SMTP probes: connections at once to one target, one per "
	  "relay variant (default 10, or half the variants up to 20)" },
	{ "ports", 0, CLI_ARG_STRING, CLI_OPT_PORTS, CLI_PROBING,
	  "LIST", "SMTP probes: ports of targets that name none, such as "
	  "25,465,587 (default 25; 465 is TLS from the start)" },
	{ "probe", 0, CLI_ARG_STRING, CLI_OPT_PROBE, CLI_COLLECT,
	  "TARGET", "probe TARGET over SMTP (repeatable): host[:port], "
	  "address, [IPv6]:port, CIDR or @FILE" },
	{ "quiet", 'q', CLI_ARG_FLAG, CLI_OPT_QUIET, CLI_ALL,
	  NULL, "print no warnings" },
	{ "referrals", 0, CLI_ARG_FLAG, CLI_OPT_REFERRALS, CLI_COLLECT,
	  NULL, "LDAP: follow referrals (off by default)" },
	{ "remote", 0, CLI_ARG_STRING, CLI_OPT_REMOTE,
	  CLI_IN(CLI_CMD_WHICH_CONNECTOR), "IP", "which-connector: the "
	  "client's address" },
	{ "rules", 'r', CLI_ARG_DIR, CLI_OPT_RULES, CLI_RULESET,
	  "DIR", "also load the rule packs (*.xml) of DIR (repeatable)" },
	{ "sasl-gssapi", 0, CLI_ARG_FLAG, CLI_OPT_SASL_GSSAPI, CLI_COLLECT,
	  NULL, "LDAP: bind with the current Kerberos ticket" },
	{ "server", 0, CLI_ARG_STRING, CLI_OPT_SERVER,
	  CLI_IN(CLI_CMD_WHICH_CONNECTOR), "NAME", "which-connector: the "
	  "Exchange server (its name in the model)" },
	{ "severity", 0, CLI_ARG_STRING, CLI_OPT_SEVERITY,
	  CLI_IN(CLI_CMD_RULES), "SEVERITY", "rules list: only rules of this "
	  "severity" },
	{ "sign", 0, CLI_ARG_FILE, CLI_OPT_SIGN, CLI_IN(CLI_CMD_AUDIT),
	  "KEY", "sign the archive's manifest (CMS) with this private key "
	  "(PEM, unencrypted); needs --cert" },
	{ "starttls", 0, CLI_ARG_FLAG, CLI_OPT_STARTTLS, CLI_COLLECT,
	  NULL, "LDAP: upgrade ldap:// with StartTLS" },
	{ "timeout", 0, CLI_ARG_UINT, CLI_OPT_TIMEOUT, CLI_PROBING,
	  "SECONDS", "network timeout of each LDAP operation and of each "
	  "SMTP probe step (default 30)" },
	{ "tls-legacy", 0, CLI_ARG_FLAG, CLI_OPT_TLS_LEGACY, CLI_PROBING,
	  NULL, "SMTP probes: also try TLS 1.0 and 1.1, each on a "
	  "connection of its own" },
	{ "tls-ports", 0, CLI_ARG_STRING, CLI_OPT_TLS_PORTS, CLI_PROBING,
	  "LIST", "SMTP probes: ports that speak TLS from the start, "
	  "without STARTTLS (default 465)" },
	{ "to", 0, CLI_ARG_STRING, CLI_OPT_TO, CLI_PROBING,
	  "ADDR", "SMTP probes: RCPT TO mailbox, outside the organisation "
	  "(default ExBPA-OpenRelayTest@Fabrikam.com)" },
	{ "variants", 0, CLI_ARG_STRING, CLI_OPT_VARIANTS, CLI_PROBING,
	  "SET", "SMTP probes: exbpa (the analyzer's test, default) or all "
	  "(also nmap smtp-open-relay's address forms)" },
	{ "verbose", 'v', CLI_ARG_FLAG, CLI_OPT_VERBOSE, CLI_ALL,
	  NULL, "more diagnostics on standard error (-vv debug, -vvv "
	  "protocol traces)" },
	{ "version", 'V', CLI_ARG_FLAG, CLI_OPT_VERSION, CLI_ALL,
	  NULL, "print the version and exit" },
	{ "xpath", 0, CLI_ARG_FLAG, CLI_OPT_XPATH, CLI_IN(CLI_CMD_RULES),
	  NULL, "rules show: also the raw XPath of the rule and its texts" },
};
#define CLI_NOPTIONS	(sizeof(cli_options) / sizeof(cli_options[0]))

static const struct {
	const char	*name;
	const char	*synopsis;
	const char	*summary;
} cli_commands[CLI_CMD_COUNT] = {
	[CLI_CMD_AUDIT] = { "audit", "--import FILE... [-o REPORT]",
	    "import, analyse and render a report in one go" },
	[CLI_CMD_COLLECT] = { "collect", "--import FILE... -o MODEL",
	    "write the topology model only" },
	[CLI_CMD_PROBE] = { "probe", "TARGET... [probe options] -o MODEL",
	    "probe SMTP servers for open relay, write the model" },
	[CLI_CMD_ANALYZE] = { "analyze", "MODEL... -o FINDINGS",
	    "run the rules on saved models, write findings XML" },
	[CLI_CMD_REPORT] = { "report", "FINDINGS [--format F] [-o FILE]",
	    "render saved findings again" },
	[CLI_CMD_RULES] = { "rules", "list [--pack P] [--severity S] "
	    "[--category C] | show ID | lint FILE...",
	    "list, show or check rule packs" },
	[CLI_CMD_DIFF] = { "diff", "OLD NEW [--format text|xml] [-o FILE]",
	    "compare two models or two findings files" },
	[CLI_CMD_VERIFY] = { "verify", "ARCHIVE [--cert CERT]",
	    "check an evidence archive's digests and signature" },
	[CLI_CMD_WHICH_CONNECTOR] = { "which-connector", "--server S "
	    "--local IP:PORT --remote IP MODEL",
	    "which receive connector answers a client, and what it allows" },
	[CLI_CMD_HELP] = { "help", "[COMMAND]", "show help" },
	[CLI_CMD_VERSION] = { "version", "", "print the version" },
};

const char *
cli_command_name(enum cli_command c)
{
	if ((int)c <= 0 || c >= CLI_CMD_COUNT)
		return "";
	return cli_commands[c].name;
}

void
cli_usage(FILE *fp, enum cli_command cmd)
{
	size_t i;
	int c;

	if (cmd == CLI_CMD_NONE || cmd == CLI_CMD_HELP) {
		fprintf(fp, "usage: mxbpa COMMAND [options]\n\n"
		    "Audit Exchange receive connectors for open relay and "
		    "best-practice issues.\n\ncommands:\n");
		for (c = 1; c < CLI_CMD_COUNT; c++)
			fprintf(fp, "  %-9s %s\n", cli_commands[c].name,
			    cli_commands[c].summary);
		fprintf(fp, "\noptions:\n");
	} else
		fprintf(fp, "usage: mxbpa %s %s\n\n%s\n\noptions:\n",
		    cli_commands[cmd].name, cli_commands[cmd].synopsis,
		    cli_commands[cmd].summary);
	for (i = 0; i < CLI_NOPTIONS; i++) {
		const struct cli_option *o = &cli_options[i];
		char left[64];

		if (cmd != CLI_CMD_NONE && cmd != CLI_CMD_HELP &&
		    !(o->commands & CLI_IN(cmd)))
			continue;
		snprintf(left, sizeof(left), "%s%c%s--%s%s%s",
		    o->short_name ? "-" : "", o->short_name ? o->short_name : ' ',
		    o->short_name ? ", " : " ", o->name,
		    o->metavar ? " " : "", o->metavar ? o->metavar : "");
		fprintf(fp, "  %-26s %s\n", o->short_name ? left : left + 1,
		    o->help);
	}
	fprintf(fp, "\nexit status: 0 no finding at or above --fail-on, "
	    "1 findings, 2 usage or input error, 3 runtime failure\n"
	    "see mxbpa(1)\n");
}

enum cli_command
cli_command_lookup(const char *name)
{
	int c;

	for (c = 1; c < CLI_CMD_COUNT; c++)
		if (strcmp(cli_commands[c].name, name) == 0)
			return c;
	return CLI_CMD_NONE;
}

static void
cli_push(const char ***array, size_t *n, const char *value)
{
	*array = xreallocarray(*array, *n + 1, sizeof(**array));
	(*array)[(*n)++] = value;
}

/* The LDAP collector's options. */
static int
cli_apply_ldap(struct cli *cli, const struct cli_option *o, const char *arg,
    struct mx_err *err)
{
	struct collector_ldap_options *l = &cli->ldap;
	struct mx_err number;
	char where[64];

	snprintf(where, sizeof(where), "--%s", o->name);
	mx_err_init(&number);
	switch (o->id) {
	case CLI_OPT_BASE:
		l->base = arg;
		break;
	case CLI_OPT_BIND_DN:
		l->bind_dn = arg;
		break;
	case CLI_OPT_INSECURE_TLS:
		l->insecure = 1;
		break;
	case CLI_OPT_LDAP:
		if (strncmp(arg, "ldap://", 7) != 0 &&
		    strncmp(arg, "ldaps://", 8) != 0)
			return mx_err_set(err, MX_ERR_USAGE, where,
			    "expected ldap://HOST[:PORT] or ldaps://HOST[:PORT]");
		l->uri = arg;
		break;
	case CLI_OPT_PAGE_SIZE:
		if (parse_u32(arg, 100000, &l->page_size, &number, where) == -1 ||
		    l->page_size == 0)
			return mx_err_set(err, MX_ERR_USAGE, where,
			    "expected a page size from 1 to 100000");
		break;
	case CLI_OPT_PASSWORD_FILE:
		l->password_file = arg;
		break;
	case CLI_OPT_PASSWORD_PROMPT:
		l->password_prompt = 1;
		break;
	case CLI_OPT_REFERRALS:
		l->referrals = 1;
		break;
	case CLI_OPT_SASL_GSSAPI:
		l->sasl_gssapi = 1;
		break;
	case CLI_OPT_STARTTLS:
		l->starttls = 1;
		break;
	default:
		return mx_err_set(err, MX_ERR_INTERNAL, where,
		    "option without a handler");
	}
	return 0;
}

/*
 * The SMTP probes' options.  --timeout and --ca-file are one option each
 * for both collectors: they fill the LDAP and the probe settings.
 */
static int
cli_apply_probe(struct cli *cli, const struct cli_option *o, const char *arg,
    struct mx_err *err)
{
	struct probe_smtp_options *p = &cli->probe;
	struct mx_err number;
	uint32_t v;
	char where[64];

	snprintf(where, sizeof(where), "--%s", o->name);
	mx_err_init(&number);
	switch (o->id) {
	case CLI_OPT_CA_FILE:
		cli->ldap.ca_file = arg;
		p->ca_file = arg;
		break;
	case CLI_OPT_CONCURRENCY:
		if (parse_u32(arg, PROBE_CONCURRENCY_MAX, &v, &number,
		    where) == -1 || v == 0)
			return mx_err_set(err, MX_ERR_USAGE, where,
			    "expected a number from 1 to %d",
			    PROBE_CONCURRENCY_MAX);
		p->concurrency = v;
		break;
	case CLI_OPT_DEADLINE:
		if (parse_u32(arg, PROBE_DEADLINE_MAX, &v, &number,
		    where) == -1 || v == 0)
			return mx_err_set(err, MX_ERR_USAGE, where,
			    "expected seconds from 1 to %d",
			    PROBE_DEADLINE_MAX);
		p->deadline = v;
		break;
	case CLI_OPT_CONFIRM_RELAY:
		p->confirm = 1;
		break;
	case CLI_OPT_FROM:
		p->from = arg;
		break;
	case CLI_OPT_HELO:
		p->helo = arg;
		break;
	case CLI_OPT_MX:
		cli_push(&cli->mx_domains, &cli->nmx, arg);
		break;
	case CLI_OPT_DOMAIN:
		cli_push(&cli->domains, &p->ndomains, arg);
		p->domains = cli->domains;
		break;
	case CLI_OPT_PER_HOST:
		if (parse_u32(arg, PROBE_PER_HOST_MAX, &v, &number,
		    where) == -1 || v == 0)
			return mx_err_set(err, MX_ERR_USAGE, where,
			    "expected a number from 1 to %d",
			    PROBE_PER_HOST_MAX);
		p->per_host = v;
		break;
	case CLI_OPT_PORTS:
		free(cli->ports);
		cli->ports = xcalloc(PROBE_PORTS_MAX, sizeof(*cli->ports));
		if (probe_ports_parse(arg, cli->ports, PROBE_PORTS_MAX,
		    &cli->nports, err) == -1)
			return -1;
		break;
	case CLI_OPT_PROBE:
		cli_push(&cli->probes, &cli->nprobes, arg);
		break;
	case CLI_OPT_TIMEOUT:
		if (parse_u32(arg, LDAP_TIMEOUT_MAX < PROBE_TIMEOUT_MAX ?
		    LDAP_TIMEOUT_MAX : PROBE_TIMEOUT_MAX, &v, &number,
		    where) == -1 || v == 0)
			return mx_err_set(err, MX_ERR_USAGE, where,
			    "expected seconds from 1 to %d",
			    LDAP_TIMEOUT_MAX < PROBE_TIMEOUT_MAX ?
			    LDAP_TIMEOUT_MAX : PROBE_TIMEOUT_MAX);
		cli->ldap.timeout = v;
		p->timeout = v;
		break;
	case CLI_OPT_TLS_LEGACY:
		p->tls_legacy = 1;
		break;
	case CLI_OPT_TLS_PORTS:
		free(cli->tls_ports);
		cli->tls_ports = xcalloc(PROBE_PORTS_MAX,
		    sizeof(*cli->tls_ports));
		if (probe_ports_parse(arg, cli->tls_ports, PROBE_PORTS_MAX,
		    &p->ntls_ports, err) == -1)
			return -1;
		p->tls_ports = cli->tls_ports;
		break;
	case CLI_OPT_TO:
		p->to = arg;
		break;
	case CLI_OPT_VARIANTS:
		if (strcmp(arg, "exbpa") == 0)
			p->variants = PROBE_VARIANTS_EXBPA;
		else if (strcmp(arg, "all") == 0)
			p->variants = PROBE_VARIANTS_ALL;
		else
			return mx_err_set(err, MX_ERR_USAGE, where,
			    "unknown set \"%s\" (exbpa, all)", arg);
		break;
	default:
		return cli_apply_ldap(cli, o, arg, err);
	}
	return 0;
}

static int
cli_apply(struct cli *cli, const struct cli_option *o, const char *arg,
    struct mx_err *err)
{
	int sev;

	if (cli->command != CLI_CMD_NONE && !(o->commands &
	    CLI_IN(cli->command)))
		return mx_err_set(err, MX_ERR_USAGE, NULL,
		    "option --%s does not apply to \"%s\"", o->name,
		    cli_command_name(cli->command));
	switch (o->id) {
	case CLI_OPT_FAIL_ON:
		if ((sev = severity_parse(arg)) == -1)
			return mx_err_set(err, MX_ERR_USAGE, NULL,
			    "--fail-on: unknown severity \"%s\" (error, "
			    "warning, best-practice, non-default, info)", arg);
		cli->fail_on = sev;
		break;
	case CLI_OPT_FORMAT:
		cli->format = arg;
		break;
	case CLI_OPT_ARCHIVE:
		cli->archive = arg;
		break;
	case CLI_OPT_BASELINE:
		cli->baseline = arg;
		break;
	case CLI_OPT_CERT:
		cli->sign_cert = arg;
		break;
	case CLI_OPT_SIGN:
		cli->sign_key = arg;
		break;
	case CLI_OPT_HELP:
		cli->command = cli->command == CLI_CMD_NONE ? CLI_CMD_HELP :
		    cli->command;
		cli_push(&cli->args, &cli->nargs, "--help");
		break;
	case CLI_OPT_IMPORT:
		cli_push(&cli->imports, &cli->nimports, arg);
		break;
	case CLI_OPT_LANG:
		if (strcmp(arg, "en") != 0 && strcmp(arg, "fr") != 0)
			return mx_err_set(err, MX_ERR_USAGE, NULL,
			    "--lang: unsupported language \"%s\" (en, fr)",
			    arg);
		cli->lang = arg;
		break;
	case CLI_OPT_NO_BUILTIN_RULES:
		cli->builtin_rules = 0;
		break;
	case CLI_OPT_OUTPUT:
		cli->output = arg;
		break;
	case CLI_OPT_QUIET:
		cli->verbosity = -1;
		break;
	case CLI_OPT_RULES:
		cli_push(&cli->rules_dirs, &cli->nrules_dirs, arg);
		break;
	case CLI_OPT_VERBOSE:
		cli->verbosity++;
		break;
	case CLI_OPT_SERVER:
		cli->server = arg;
		break;
	case CLI_OPT_LOCAL:
		cli->local = arg;
		break;
	case CLI_OPT_REMOTE:
		cli->remote = arg;
		break;
	case CLI_OPT_PACK:
		cli->pack = arg;
		break;
	case CLI_OPT_LOAD_BALANCER:
		cli_push(&cli->load_balancers, &cli->nload_balancers, arg);
		break;
	case CLI_OPT_FIXTURES:
		cli->fixtures = arg;
		break;
	case CLI_OPT_XPATH:
		cli->xpath = 1;
		break;
	case CLI_OPT_CATEGORY:
		cli->category = arg;
		break;
	case CLI_OPT_SEVERITY:
		if ((sev = severity_parse(arg)) == -1)
			return mx_err_set(err, MX_ERR_USAGE, NULL,
			    "--severity: unknown severity \"%s\" (error, "
			    "warning, best-practice, non-default, info)", arg);
		cli->severity = sev;
		break;
	case CLI_OPT_VERSION:
		cli->command = CLI_CMD_VERSION;
		break;
	default:
		return cli_apply_probe(cli, o, arg, err);
	}
	return 0;
}

/*
 * May o be given more than once?  Flags may (-vv), and so may the options
 * that collect a list; any other option takes one value, and a second one
 * is a usage error rather than a silent override.
 */
static int
cli_repeatable(const struct cli_option *o)
{
	if (o->arg == CLI_ARG_FLAG)
		return 1;
	switch (o->id) {
	case CLI_OPT_IMPORT:
	case CLI_OPT_RULES:
	case CLI_OPT_MX:
	case CLI_OPT_DOMAIN:
	case CLI_OPT_PROBE:
	case CLI_OPT_LOAD_BALANCER:
		return 1;
	default:
		return 0;
	}
}

int
cli_parse(struct cli *cli, int argc, char **argv, struct mx_err *err)
{
	struct option longopts[CLI_NOPTIONS + 1];
	char shortopts[2 * CLI_NOPTIONS + 2], *s = shortopts;
	unsigned char seen[CLI_NOPTIONS];
	const struct cli_option *o;
	size_t i, at = 0;
	int ch;

	memset(seen, 0, sizeof(seen));

	memset(cli, 0, sizeof(*cli));
	cli->argc = argc;
	cli->argv = argv;
	cli->builtin_rules = 1;
	cli->lang = "en";
	cli->fail_on = SEVERITY_ERROR;
	cli->severity = -1;
	*s++ = '+';	/* stop at the first operand: GNU permutes otherwise */
	for (i = 0; i < CLI_NOPTIONS; i++) {
		o = &cli_options[i];
		longopts[i].name = o->name;
		longopts[i].has_arg = o->arg == CLI_ARG_FLAG ?
		    no_argument : required_argument;
		longopts[i].flag = NULL;
		longopts[i].val = o->id;
		if (o->short_name) {
			*s++ = o->short_name;
			if (o->arg != CLI_ARG_FLAG)
				*s++ = ':';
		}
	}
	*s = '\0';
	memset(&longopts[CLI_NOPTIONS], 0, sizeof(longopts[0]));

	if (argc >= 2 && argv[1][0] != '-') {
		cli->command = cli_command_lookup(argv[1]);
		if (cli->command == CLI_CMD_NONE)
			return mx_err_set(err, MX_ERR_USAGE, NULL,
			    "unknown command \"%s\" (try mxbpa --help)",
			    argv[1]);
		argc--;
		argv++;
	}
	opterr = 0;
	optind = 1;
	for (;;) {
		ch = getopt_long(argc, argv, shortopts, longopts, NULL);
		if (ch == -1) {
			if (optind < argc) {
				cli_push(&cli->args, &cli->nargs,
				    argv[optind++]);
				continue;	/* options may follow operands */
			}
			break;
		}
		if (ch == '?' || ch == ':')
			return mx_err_set(err, MX_ERR_USAGE, NULL,
			    "%s option \"%s\" (try mxbpa %s --help)",
			    ch == ':' ? "missing argument to" : "unknown",
			    argv[optind - 1], cli_command_name(cli->command));
		o = NULL;
		for (i = 0; i < CLI_NOPTIONS; i++)
			if (cli_options[i].id == ch ||
			    (cli_options[i].short_name &&
			    cli_options[i].short_name == ch)) {
				o = &cli_options[i];
				at = i;
			}
		if (o == NULL)
			return mx_err_set(err, MX_ERR_USAGE, NULL,
			    "unknown option");
		if (seen[at] && !cli_repeatable(o))
			return mx_err_set(err, MX_ERR_USAGE, NULL,
			    "option --%s given twice: it takes one value",
			    o->name);
		seen[at] = 1;
		if (cli_apply(cli, o, optarg, err) == -1)
			return -1;
	}
	/* --ca-file is one option for LDAP and the probes (see above). */
	cli->ldap.ca_file_shared = cli->nprobes > 0 || cli->nmx > 0;
	/*
	 * "--import a.xml b.xml" (a shell glob): the operands of audit and
	 * collect are more inputs once --import was given.
	 */
	if ((cli->command == CLI_CMD_AUDIT || cli->command ==
	    CLI_CMD_COLLECT) && cli->nimports > 0) {
		for (i = 0; i < cli->nargs; i++)
			cli_push(&cli->imports, &cli->nimports, cli->args[i]);
		cli->nargs = 0;
	}
	return 0;
}

void
cli_free(struct cli *cli)
{
	free(cli->imports);
	free(cli->rules_dirs);
	free(cli->args);
	free(cli->probes);
	free(cli->load_balancers);
	free(cli->mx_domains);
	free(cli->domains);
	free(cli->ports);
	free(cli->tls_ports);
	memset(cli, 0, sizeof(*cli));
}
