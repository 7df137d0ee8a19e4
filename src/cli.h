/*
 * cli.h - the command line: one option table, parsing, --help.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_CLI_H
#define MXBPA_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "collector_ldap.h"
#include "probe_smtp.h"

struct mx_err;

enum cli_command {
	CLI_CMD_NONE = 0,
	CLI_CMD_AUDIT,
	CLI_CMD_COLLECT,
	CLI_CMD_PROBE,
	CLI_CMD_ANALYZE,
	CLI_CMD_REPORT,
	CLI_CMD_RULES,
	CLI_CMD_DIFF,
	CLI_CMD_VERIFY,
	CLI_CMD_WHICH_CONNECTOR,
	CLI_CMD_HELP,
	CLI_CMD_VERSION,
	CLI_CMD_COUNT
};

/* What the command line asked for; strings point into argv. */
struct cli {
	enum cli_command	 command;
	const char		**imports;
	size_t			 nimports;
	const char		**rules_dirs;
	size_t			 nrules_dirs;
	int			 builtin_rules;
	const char		*lang;
	const char		*server;	/* which-connector */
	const char		*local;
	const char		*remote;
	const char		*pack;		/* rules list filters */
	int			 severity;	/* -1: any */
	const char		*category;
	const char		*fixtures;	/* rules lint */
	int			 xpath;		/* rules show --xpath */
	const char		*format;	/* NULL: chosen per command */
	const char		*output;	/* NULL: stdout */
	const char		*baseline;	/* --baseline FILE */
	const char		*archive;	/* --archive FILE */
	const char		*sign_key;	/* --sign KEY */
	const char		*sign_cert;	/* --cert CERT */
	int			 argc;		/* the command line, for the */
	char			**argv;		/* archive's manifest */
	int			 fail_on;	/* enum severity */
	int			 verbosity;
	const char		**args;		/* positional arguments */
	size_t			 nargs;
	struct collector_ldap_options ldap;	/* ldap.uri NULL: no LDAP */
	const char		**load_balancers; /* --load-balancer ADDR */
	size_t			 nload_balancers;
	const char		**probes;	/* --probe TARGET */
	size_t			 nprobes;
	const char		**mx_domains;	/* --mx DOMAIN */
	const char		**domains;	/* --domain DOMAIN; the probe
						   options borrow it */
	size_t			 nmx;
	uint16_t		*ports;		/* --ports; NULL: 25 */
	size_t			 nports;
	uint16_t		*tls_ports;	/* --tls-ports, owned; the
						   probe options borrow it */
	struct probe_smtp_options probe;	/* --timeout, --ca-file shared
						   with ldap */
};

/*
 * Parse argv into cli.  Returns 0, or -1 with MX_ERR_USAGE.  Arrays in
 * cli are freed by cli_free.
 */
int	cli_parse(struct cli *, int argc, char **argv, struct mx_err *);
void	cli_free(struct cli *);

/* Print the usage of a command (CLI_CMD_NONE: the overview). */
void	cli_usage(FILE *, enum cli_command);

/* The command of that name, or CLI_CMD_NONE. */
enum cli_command cli_command_lookup(const char *);

/* Name of a command ("audit"). */
const char *cli_command_name(enum cli_command);

#endif /* MXBPA_CLI_H */
