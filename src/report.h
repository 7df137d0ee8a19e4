/*
 * report.h - render a findings document through an XSLT stylesheet of
 * reports/ (html, text, json, sarif, junit, csv) or as the findings XML
 * itself (xml).
 *
 * Stylesheets run under xsltSecurityPrefs that forbid reading and writing
 * files, creating directories and network access; parameters are passed
 * quoted (xsltQuoteOneUserParam).
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_REPORT_H
#define MXBPA_REPORT_H

#include <libxml/tree.h>

struct mx_err;

/* The formats, for messages and --help. */
#define REPORT_FORMATS	"html, text, xml, json, sarif, junit, csv"

/* Is format one this build can render (see REPORT_FORMATS)? */
int	report_format_known(const char *format);

/*
 * Render findings in format and language ("en", "fr") and replace path
 * atomically ("-" is stdout).  Returns 0, or -1 (MX_ERR_INPUT for a bad
 * format, MX_ERR_INTERNAL for a stylesheet failure, MX_ERR_IO).
 */
int	report_render(xmlDocPtr findings, const char *format,
	    const char *lang, const char *path, struct mx_err *);

/*
 * Render findings into a new buffer *out of *len bytes (NUL-terminated;
 * free with free()).  Errors as report_render, without MX_ERR_IO.
 */
int	report_render_mem(xmlDocPtr findings, const char *format,
	    const char *lang, char **out, size_t *len, struct mx_err *);

#endif /* MXBPA_REPORT_H */
