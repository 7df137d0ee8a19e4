/*
 * coverage.h - what the inputs of a model could and could not tell
 * (docs/findings.md, "Coverage").
 *
 * Rules declare the inputs they need (needs="connectors permissions" in
 * a rule pack).  The coverage of a model says, per server, which of
 * those inputs fed it: receive connectors with their configuration,
 * readable permission entries, server objects, certificates; and for
 * the organisation, accepted domains and probes.  A rule is "not
 * checked" on a server whose needed input is missing, never "passed".
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_COVERAGE_H
#define MXBPA_COVERAGE_H

#include <stddef.h>

#include <libxml/tree.h>

struct mx_err;
struct coverage;

/* The inputs a rule may need; one bit each in a needs mask. */
enum coverage_input {
	COVERAGE_CONNECTORS = 0,	/* Get-ReceiveConnector, LDAP */
	COVERAGE_PERMISSIONS,		/* Get-ADPermission, descriptors */
	COVERAGE_ACCEPTED_DOMAINS,	/* Get-AcceptedDomain */
	COVERAGE_SERVERS,		/* Get-ExchangeServer */
	COVERAGE_CERTIFICATES,		/* Get-ExchangeCertificate */
	COVERAGE_PROBES,		/* --probe */
	COVERAGE_INPUT_COUNT
};

/* The inputs the relay question depends on (the headline). */
#define COVERAGE_RELAY_INPUTS	((1u << COVERAGE_CONNECTORS) | \
				 (1u << COVERAGE_PERMISSIONS) | \
				 (1u << COVERAGE_ACCEPTED_DOMAINS))

/* "connectors" -> COVERAGE_CONNECTORS...; -1 for an unknown name. */
int		 coverage_input_parse(const char *name);
const char	*coverage_input_name(enum coverage_input);

/*
 * Parse a needs list ("connectors permissions", white space separated)
 * into a mask.  0, or -1 with MX_ERR_INPUT naming the unknown word.
 */
int		 coverage_needs_parse(const char *list, unsigned *mask,
		    const char *where, struct mx_err *);

/*
 * The coverage of a model document whose elements carry no namespace
 * (the engine's working copy).  The document must outlive the result.
 * NULL only when out of memory.
 */
struct coverage	*coverage_new(xmlDocPtr);
void		 coverage_free(struct coverage *);

/* The first child of the document's root (to walk the model). */
xmlNodePtr	 coverage_root(const struct coverage *);

/*
 * Does object (a node of the document) lie where every input of needs
 * is present?  1 yes, 0 no: the rule does not judge it.
 */
int		 coverage_object_ok(const struct coverage *, unsigned needs,
		    xmlNodePtr object);

/*
 * Add one <not-checked input=".." [server=".."]>needs ... for EX01
 * </not-checked> child to parent (namespace ns) per missing input of
 * needs.  Returns the number added.
 */
size_t		 coverage_add_gaps(const struct coverage *, unsigned needs,
		    xmlNodePtr parent, xmlNsPtr ns);

/*
 * Add the <coverage> element (what fed the model, what was unreadable,
 * files skipped) to parent.
 */
void		 coverage_add_element(const struct coverage *,
		    xmlNodePtr parent, xmlNsPtr ns);

/*
 * The probes whose relay verdict leaves the question open (anything but
 * "refused", "accepted" or "data-accepted"), as "target:port (verdict:
 * reason)" lines added as <missing input="probes"> children of parent.
 * Returns the number added.
 */
size_t		 coverage_add_open_probes(const struct coverage *,
		    xmlNodePtr parent, xmlNsPtr ns);

#endif /* MXBPA_COVERAGE_H */
