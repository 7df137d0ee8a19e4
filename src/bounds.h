/*
 * bounds.h - every limit mxbpa puts on hostile input, in one place.
 *
 * Going over a limit is MX_ERR_LIMIT with the limit's name in the message.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_BOUNDS_H
#define MXBPA_BOUNDS_H

#define INPUT_FILE_MAX		(256u << 20)	/* any input file */
#define IMPORT_DIR_FILES_MAX	4096	/* files read from one --import DIR */
#define CLIXML_FILE_MAX		(128u << 20)	/* one Export-Clixml file */
#define MODEL_FILE_MAX		(128u << 20)	/* one topology model */
#define FINDINGS_FILE_MAX	(128u << 20)	/* one findings document */
#define RULES_FILE_MAX		(4u << 20)	/* one rule pack */
#define SCHEMA_FILE_MAX		(1u << 20)	/* one shipped RELAX NG schema */

#define XML_DEPTH_MAX		64	/* element nesting in our own formats */
/*
 * Nodes of one parsed XML document: elements, attributes, namespace
 * declarations, comments, processing instructions and CDATA sections,
 * counted while parsing (xml.c) and refused past the budget before the
 * tree grows further.  A tree costs 130 to 220 bytes a node, so this caps
 * one document at under 1 GiB, where a file of empty elements would
 * otherwise cost 30 times its size.  Real files stay far below it: a
 * 1,200-connector model (15 MB) has about 600,000 nodes, a 128 MiB
 * UTF-16 Export-Clixml about 3 million.
 */
#define XML_NODES_MAX		4000000UL
#define CLIXML_DEPTH_MAX	48	/* object nesting in CLIXML */
#define CLIXML_OBJECTS_MAX	1000000	/* <Obj> elements in one file */
#define CLIXML_VALUE_MAX	65536	/* bytes in one decoded property value */
#define CLIXML_LIST_MAX		100000	/* items in one collection property */

#define RULES_MAX		10000	/* rules over all loaded packs */
#define RULE_PACKS_MAX		1000	/* rule files loaded at once */
#define RULE_TEXT_EXPR_MAX	32	/* {xpath} expressions in one text */
#define RULE_TEXT_MAX		8192	/* bytes in one interpolated text */
#define FINDINGS_MAX		1000000	/* findings in one analysis */
#define DIFF_CHANGES_MAX	1000000	/* changes listed by one comparison */
#define ARCHIVE_FILE_MAX	(1u << 30)	/* one evidence archive */
#define ARCHIVE_MEMBERS_MAX	10000	/* members of one evidence archive */
#define XPATH_OPS_MAX		50000000UL /* XPath steps: one expression on
					      one object */
/*
 * XPath steps of one run: the trial runs of loading the rule packs and
 * every evaluation of one analysis, the work of the functions of
 * xpathfn.c (translate, EXSLT str:, mx:) included at its cost (see
 * docs/rules.md).  Counted, not timed: the same run always stops at the
 * same step, naming the rule.
 */
#define XPATH_RUN_OPS_MAX	1000000000UL

#define IPRANGE_TEXT_MAX	128	/* bytes in one remote IP range */
#define IPRANGE_SET_MAX		65536	/* ranges handled by one function */
#define NAME_MAX_LEN		1024	/* server, connector, principal names */
#define MODEL_CONNECTOR_ITEMS_MAX 16384	/* bindings + remote ranges
					   of a connector */

/*
 * Export-Clixml import (import_clixml.c): the work done on one file.  A
 * <Ref> or <TNRef> lets a small file name a large subtree many times, so
 * values read through references count again each time.
 */
#define CLIXML_READS_MAX	2000000	/* values and items read */
#define CLIXML_READ_BYTES_MAX	(128u << 20)	/* bytes of values read */
#define CLIXML_STEPS_MAX	200000000UL	/* elements looked at */
/*
 * Elements reached through <Ref>s, each Ref counting the whole object it
 * names: at most as many as the file holds, or this many in a smaller
 * file (PowerShell writes a Ref for an object serialised again, which in
 * the cmdlets we read is small).  Thirty connectors naming one list of
 * 16,000 ranges are refused instead of filling a model with 480,000
 * copied ranges.
 */
#define CLIXML_REF_ELEMENTS_MIN	20000UL

/* XPath functions of the rules (xpathfn.c) */
#define XPATHFN_JOIN_MAX	(1u << 20)	/* bytes, one mx:sorted-join */

/* Connector selection (connsel.c) */
#define CONNSEL_ITEMS_MAX	1000000	/* ranges, or range ends, on one binding */

/* Report rendering (report.c) */
#define REPORT_STYLESHEET_MAX	(1u << 20)	/* one stylesheet of reports/ */
#define REPORT_TEMPLATE_DEPTH_MAX 500	/* nested template calls */
#define REPORT_TEMPLATE_VARS_MAX 20000	/* live variables in a transform */
#define REPORT_XSLT_OPS_MAX	1000000000UL	/* XSLT instructions run by one
						   transform (html.xsl: ~250
						   per finding) */
#define REPORT_OUTPUT_MAX	(1u << 30)	/* bytes in one report */

/* Active Directory: LDAP answers and LDIF files. */
#define SD_MAX			(1 << 18) /* DACL <= 65535 (AclSize is 16-bit) + SIDs */
#define SD_ACES_MAX		8192	/* ACEs kept from one DACL */
#define LDAP_VALUE_MAX		(1 << 20) /* bytes in one attribute value */
#define LDAP_VALUES_MAX		100000	/* values of one attribute */
#define LDAP_ENTRY_ATTRS_MAX	256	/* attributes of one entry */
#define LDAP_ENTRIES_MAX	1000000	/* entries in one collection */
#define LDAP_PAGE_SIZE		500	/* paged-results page size by default */
#define LDAP_TIMEOUT_DEFAULT	30	/* seconds, network and per operation */
#define LDIF_FILE_MAX		(256u << 20) /* one LDIF file */
#define LDIF_LINE_MAX		(2u << 20) /* one unfolded LDIF line */

/*
 * LDAP collector (collector_ldap.c): what one directory server may send.
 * LDAP_MESSAGE_MAX caps one incoming PDU at the socket buffer
 * (LBER_SB_OPT_SET_MAX_INCOMING): an entry with a full security
 * descriptor and every attribute read stays far below it.
 */
#define LDAP_MESSAGE_MAX	(16u << 20)	/* bytes in one LDAP message */
#define LDAP_DN_MAX		4096	/* bytes in one DN (RootDSE, entries) */
#define LDAP_ATTR_NAME_MAX	256	/* bytes in one attribute description */
#define LDAP_COOKIE_MAX		4096	/* bytes in one paged-results cookie */
#define LDAP_EMPTY_PAGES_MAX	100	/* pages in a row with no entry */
#define LDAP_PAGES_MAX		10000	/* pages of one paged search */
#define LDAP_REFERENCES_MAX	10000	/* continuation references ignored */
#define LDAP_SIDS_MAX		10000	/* distinct domain SIDs looked up */
#define LDAP_PAGE_SIZE_MAX	100000	/* --page-size */
#define LDAP_TIMEOUT_MAX	3600	/* --timeout, seconds */

/* SMTP probes. */
#define SMTP_LINE_MAX		4096	/* RFC 5321 4.5.3.1.5 says 512; servers exceed it */
#define SMTP_REPLY_LINES_MAX	100	/* lines of one multi-line reply */
#define SMTP_REPLY_MAX		65536	/* bytes of one reply */
#define PROBE_TARGETS_MAX	65536	/* targets of one run (CIDR expanded) */
#define PROBE_CONCURRENCY_MAX	1024	/* targets probed at once */
#define PROBE_TRANSCRIPT_MAX	256	/* steps recorded for one target */

/*
 * Live SMTP probes: targets, dialogs, transcripts and TLS facts
 * (probe_targets.c, probe_smtp.c, tls_inspect.c, model_probe.c).
 */
#define PROBE_TARGET_TEXT_MAX	1024	/* bytes of one TARGET (or @FILE line) */
#define PROBE_TARGETS_FILE_MAX	(1u << 20)	/* bytes of one @FILE */
#define PROBE_PORTS_MAX		64	/* distinct ports in --ports */
#define PROBE_ADDRS_PER_NAME_MAX 64	/* addresses kept for one host name */
#define PROBE_MX_MAX		32	/* MX hosts kept for one --mx domain */
#define PROBE_DNS_ANSWER_MAX	65536	/* bytes of one DNS answer */
#define PROBE_TIMEOUT_DEFAULT	30	/* seconds, one probe step */
#define PROBE_TIMEOUT_MAX	3600	/* --timeout, seconds */
#define PROBE_DEADLINE_MAX	86400	/* --deadline, seconds */
#define PROBE_CONCURRENCY_DEFAULT 16	/* targets probed at once */
/*
 * Connections at once to one listener (address and port): each relay
 * variant has a connection of its own, and a server that tarpits every
 * refusal 5 s (Exchange) must be through its 16 variants and their
 * controls in two rounds, within 15 s.  Exchange accepts 20 connections
 * from one source by default (MaxInboundConnectionPerSource).
 */
#define PROBE_PER_HOST_DEFAULT	10	/* or half the variants, when more */
#define PROBE_PER_HOST_AUTO_MAX	20	/* ... up to this */
#define PROBE_PER_HOST_MAX	64	/* --per-host */
#define PROBE_DOMAINS_MAX	16	/* --domain */
#define PROBE_VARIANT_ATTEMPTS	2	/* connections for one variant, when
					   the server drops the first */
#define PROBE_VARIANT_STEPS_MAX	48	/* transcript steps of one variant's
					   own connection */
#define PROBE_VARIANT_BYTES_MAX	(16u << 10) /* and their text */
#define PROBE_MAILBOX_MAX	256	/* --from, --to (RFC 5321 4.5.3.1.3 path) */
#define PROBE_HELO_MAX		255	/* --helo, and a server name reused */
#define PROBE_COMMAND_MAX	600	/* one command line sent, CRLF included */
/*
 * The confirming message, "." included: its fixed text (under 400
 * bytes), --from and --to (PROBE_MAILBOX_MAX each), the variant's MAIL
 * and RCPT paths (under PROBE_COMMAND_MAX each), --helo (PROBE_HELO_MAX),
 * two addresses and a date: under 2600 bytes.
 */
#define PROBE_MESSAGE_MAX	4096
#define PROBE_STEP_TEXT_MAX	1024	/* bytes of one transcript entry kept */
#define PROBE_TRANSCRIPT_BYTES_MAX (64u << 10) /* transcript text, one target */
#define PROBE_KEYWORDS_MAX	SMTP_REPLY_LINES_MAX /* EHLO keywords kept */
#define TLS_CHAIN_MAX		16	/* certificates recorded per chain */
#define TLS_SANS_MAX		128	/* subjectAltName entries per certificate */
#define TLS_TEXT_MAX		1024	/* one subject, issuer or SAN kept */

#endif /* MXBPA_BOUNDS_H */
