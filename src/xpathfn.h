/*
 * xpathfn.h - XPath functions the rules need and XPath 1.0 lacks (IP range
 * arithmetic, sorted joins), in the namespace urn:mxbpa:xpath:1 bound to
 * the prefix "mx", plus the EXSLT modules of libexslt.  docs/rules.md
 * lists them.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_XPATHFN_H
#define MXBPA_XPATHFN_H

#include <libxml/xpath.h>

#define XPATHFN_NS	"urn:mxbpa:xpath:1"

/*
 * Register the mx: functions and the EXSLT prefixes (str, math, set, date,
 * dyn, exsl) on an XPath context.  Returns 0, or -1 on a libxml2 failure.
 */
int	xpathfn_register(xmlXPathContextPtr);

#endif /* MXBPA_XPATHFN_H */
