/*
 * model.h - the topology model: one namespaced XML document
 * (urn:mxbpa:model:1, schemas/model.rng, docs/model.md) that every
 * collector writes and the engine reads.
 *
 * The model stays XML: collectors add elements through these calls and
 * rules query it with XPath.  Nodes returned here belong to the model.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_MODEL_H
#define MXBPA_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

struct mx_err;
struct model;

#define MODEL_NS	"urn:mxbpa:model:1"
#define MODEL_VERSION	"1"

/* An empty model stamped with the collection time. */
struct model	*model_new(void);
void		 model_free(struct model *);

/* The document, owned by the model. */
xmlDocPtr	 model_doc(struct model *);

/*
 * Record an input: kind is "clixml", "ldif", "ldap", "model" or "probe";
 * location is a path or URI; sha256 may be NULL.  Returns the element.
 */
xmlNodePtr	 model_add_source(struct model *, const char *kind,
		    const char *location, const char *sha256);

/* The organization element, created on first use; name may be NULL. */
xmlNodePtr	 model_organization(struct model *, const char *name);

/*
 * Record a load balancer in front of the servers (<load-balancer
 * address="...">, once per address).  0, or -1 with MX_ERR_INPUT when
 * the address does not parse.
 */
int		 model_add_load_balancer(struct model *, const char *address,
		    struct mx_err *);

/* Find or create the server of that name (case-insensitive match). */
xmlNodePtr	 model_server(struct model *, const char *name);

/*
 * Find or create the receive connector "name" of server "server"
 * (creating the server as needed); identity is set to "server\name".
 */
xmlNodePtr	 model_connector(struct model *, const char *server,
		    const char *name);

/* Find or create an accepted domain by name. */
xmlNodePtr	 model_accepted_domain(struct model *, const char *name);

/* Set attribute name to value on node; NULL value leaves it unchanged. */
void		 model_set(xmlNodePtr, const char *name, const char *value);

/*
 * Add a binding "IP:port" ("0.0.0.0:25", "[::]:25").  The server of the
 * connector gains an <address origin="binding"> for a specific address.
 * Returns 0, or -1 with MX_ERR_INPUT.
 */
int		 model_add_binding(xmlNodePtr conn, const char *text,
		    struct mx_err *, const char *where);

/* Add a remote IP range in any iprange.h form.  0, or -1 MX_ERR_INPUT. */
int		 model_add_remote_range(xmlNodePtr conn, const char *text,
		    struct mx_err *, const char *where);

/*
 * Add one child <kind name="..."/> per item of a comma-separated list
 * ("AnonymousUsers, ExchangeServers"), skipping "None" and duplicates.
 * kind is "permission-group" or "auth-mechanism".
 */
void		 model_add_names(xmlNodePtr conn, const char *kind,
		    const char *list);

/* What one permission entry says; NULL fields are omitted. */
struct model_ace {
	const char	*principal;	/* "NT AUTHORITY\ANONYMOUS LOGON" */
	const char	*sid;		/* "S-1-5-7" */
	int		 deny;		/* 0 allow, 1 deny */
	const char	*right;		/* extended right name, or NULL */
	const char	*access;	/* "ExtendedRight", "GenericAll"... */
	int		 inherited;
	const char	*inheritance;	/* "None", "All"... */
	int		 inherit_only;	/* INHERIT_ONLY: not in force here */
	const char	*object_type;	/* a non-right ObjectType, or NULL */
	const char	*inherited_object_type;	/* class it is inherited by */
};

/* Add an <ace> to a connector, with the SID of well-known principals. */
xmlNodePtr	 model_add_ace(xmlNodePtr conn, const struct model_ace *);

/* SID of a well-known principal name (principal.h languages), or NULL. */
const char	*model_well_known_sid(const char *principal);

/*
 * A named bit of an Exchange [Flags] enumeration (sources in
 * docs/ad-attributes.md).  PermissionGroups is not an AD attribute:
 * Exchange derives it from the connector's DACL, and so does ad.c;
 * AuthMechanism is msExchSMTPReceiveInboundSecurityFlag; server roles are
 * msExchSmtpReceiveRole and msExchCurrentServerRoles.
 */
struct model_flag {
	uint32_t	 bit;
	const char	*name;
};

/* PermissionGroups, AuthMechanism, msExchCurrentServerRoles; NULL-ended. */
extern const struct model_flag model_permission_groups[];
extern const struct model_flag model_auth_mechanisms[];
extern const struct model_flag model_server_roles[];

/*
 * The names of the bits set in a mask, ", "-separated, unknown bits
 * appended as 0x....  Returns 0, or -1 when the mask had unknown bits.
 */
int		 model_flags_text(uint32_t bits, const struct model_flag *,
		    char *out, size_t size);

/* Add a <setting name= value=> for a property with no attribute. */
void		 model_add_setting(xmlNodePtr conn, const char *name,
		    const char *value);

/*
 * Put children and siblings in canonical order (servers and connectors
 * by name, children by kind) so that equal inputs give equal bytes
 * whatever the import order.
 */
void		 model_normalize(struct model *);

/*
 * Recompute the derived facts (effrights.h: what each client kind may do
 * on each connector; the permission groups of connectors read from a
 * security descriptor).  model_normalize, model_write and model loading
 * do it too; collectors call it when they finish.
 */
void		 model_derive(struct model *);

/* Validate against schemas/model.rng.  0, or -1 with MX_ERR_INPUT. */
int		 model_validate(struct model *, const char *name,
		    struct mx_err *);

/* Normalise, validate and write atomically ("-" is stdout). */
int		 model_write(struct model *, const char *path, struct mx_err *);

/* Adopt a parsed model document (validated).  NULL on error. */
struct model	*model_from_doc(xmlDocPtr, const char *name, struct mx_err *);

/* Read, parse and validate a model file.  NULL on error. */
struct model	*model_load(const char *path, struct mx_err *);

/*
 * Merge from into into: sources appended, servers/connectors/domains
 * absent from into copied, probes appended (a probe already present,
 * same target, address, port and start, is not copied twice).
 * Connectors present in both keep into's copy.  Borrows from.
 * A connector's settings, and its permission entries, come from one
 * input each: when from states a part that another input (a different
 * file, not a copy of the same bytes) already stated, nothing is merged
 * and the result is -1 with MX_ERR_INPUT naming both inputs.  from's
 * input is the file it was loaded from, else its <source>.
 */
int		 model_merge(struct model *into, struct model *from,
		    struct mx_err *);

#endif /* MXBPA_MODEL_H */
