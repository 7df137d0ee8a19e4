/*
 * connsel.h - which receive connector Exchange hands a connection to.
 * What the chosen connector lets the client do is effrights.h's business.
 *
 * Selection (docs/which-connector.md): among the enabled connectors of the
 * server, those with a binding on the connection's port and family whose
 * address is the local address or the wildcard (0.0.0.0, ::), and a remote
 * range holding the client's address, are candidates.  A binding on the
 * specific address beats a wildcard binding; between equal bindings, the
 * smallest remote range holding the client wins.  Candidates left equal
 * are a tie: Exchange's choice between them is not documented.
 *
 * Functions work on model elements with or without a namespace (they
 * compare local names), as the engine's namespace-free copy has them.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_CONNSEL_H
#define MXBPA_CONNSEL_H

#include <stddef.h>

#include <libxml/tree.h>

#include "iprange.h"

struct mx_err;

#define CONNSEL_TIES_MAX	16	/* connectors reported in one tie */

/* The connectors chosen for one connection. */
struct connsel_choice {
	xmlNodePtr	 conn[CONNSEL_TIES_MAX];
	xmlNodePtr	 binding[CONNSEL_TIES_MAX];	/* the binding matched */
	xmlNodePtr	 range[CONNSEL_TIES_MAX];	/* the range matched */
	size_t		 n;		/* 0: no connector; >1: a tie */
	size_t		 tied;		/* tied connectors (may exceed n) */
};

/*
 * Choose for a connection to local:port from remote on server (a <server>
 * element).  0, or -1 with MX_ERR_INPUT when a binding or range of the
 * model does not parse.
 */
int		 connsel_select(xmlNodePtr server, const struct ip_addr *local,
		    unsigned port, const struct ip_addr *remote,
		    struct connsel_choice *, struct mx_err *);

/*
 * As connsel_select, among the connectors of one TransportRole only
 * ("FrontendTransport", "HubTransport"; NULL: every connector).  The Front
 * End Transport and the Transport services listen apart: a connection
 * reaches the connectors of the service that owns the address and port.
 */
int		 connsel_select_role(xmlNodePtr server, const char *role,
		    const struct ip_addr *local, unsigned port,
		    const struct ip_addr *remote, struct connsel_choice *,
		    struct mx_err *);

/*
 * Does conn have a binding accepting local:port?  2 on the address itself,
 * 1 by a wildcard binding, 0 no; -1 with MX_ERR_INPUT on a bad binding.
 */
int		 connsel_listens(xmlNodePtr conn, const struct ip_addr *local,
		    unsigned port, struct mx_err *);

/*
 * Do two connectors of different TransportRoles bind one address and port
 * (same port and family, same address or a wildcard on either side)?
 * Exchange refuses the second binding, or the two services fight for the
 * port.  1 yes, 0 no (or a role unknown), -1 with MX_ERR_INPUT.
 */
int		 connsel_roles_clash(xmlNodePtr a, xmlNodePtr b,
		    struct mx_err *);

/*
 * Can any client reach conn (an enabled connector) at all?  Sets
 * *reachable (some binding and client address for which conn alone wins
 * or ties) and fills ties with the connectors it ties with for some
 * client (at most CONNSEL_TIES_MAX, *nties).  0, or -1 with MX_ERR_INPUT
 * or MX_ERR_LIMIT.
 */
int		 connsel_reach(xmlNodePtr conn, int *reachable,
		    xmlNodePtr ties[CONNSEL_TIES_MAX], size_t *nties,
		    struct mx_err *);

#endif /* MXBPA_CONNSEL_H */
