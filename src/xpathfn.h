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

#include <stddef.h>

#include <libxml/xpath.h>

#define XPATHFN_NS	"urn:mxbpa:xpath:1"

/*
 * Register the mx: functions and the EXSLT modules libexslt can register
 * outside XSLT (prefixes date, math, set, str) on an XPath context.
 * Returns 0, or -1 on a libxml2 failure.
 */
int	xpathfn_register(xmlXPathContextPtr);

/*
 * Check that every function an expression calls is known to ctx (core,
 * mx: or EXSLT), so that a misspelt name fails when a rule is loaded, not
 * when it runs.  Returns 0, or -1 with the first unknown name in bad.
 */
int	xpathfn_check_calls(xmlXPathContextPtr, const char *expr, char *bad,
	    size_t badsize);

/*
 * Is name ("co.uk", "com") a public suffix (libpsl, see mx:public-suffix in
 * docs/rules.md)?  1 or 0; -1 when libpsl has no list.
 */
int		 xpathfn_is_public_suffix(const char *name);

/*
 * Does a certificate subject DN have a CN attribute naming fqdn (RFC 6125
 * matching, see mx:cert-names in docs/rules.md)?  1 or 0.
 */
int		 xpathfn_cert_names(const char *subject, const char *fqdn);

/* Are two DNs the same name (attribute by attribute, ASCII case aside)? */
int		 xpathfn_dn_equal(const char *a, const char *b);

/*
 * Does a server <certificate> element name fqdn per RFC 6125: its DNS
 * subject alternative names when it has any, else a CN of its subject
 * (see mx:cert-matches in docs/rules.md)?  1 or 0.
 */
int		 xpathfn_cert_matches(xmlNodePtr cert, const char *fqdn);

/*
 * Is an <accepted-domain> of a relay type (InternalRelay, ExternalRelay)
 * and a wildcard over every domain ("*") or over a public suffix?  1 or 0.
 */
int		 xpathfn_relay_wildcard(xmlNodePtr domain);

#endif /* MXBPA_XPATHFN_H */
