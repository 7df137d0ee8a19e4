/*
 * whichconn.h - "mxbpa which-connector": the receive connector Exchange
 * hands one connection to (connsel.c), and what it lets the client do.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_WHICHCONN_H
#define MXBPA_WHICHCONN_H

#include <stdio.h>

struct model;
struct mx_err;

/*
 * Answer for a connection to local ("IP:PORT", "[IPv6]:PORT") from remote
 * (an address) on the server named server (case-insensitive) of the
 * model.  Writes the answer to out.  Returns 0 when one connector answers,
 * 1 when none does or several tie, -1 with MX_ERR_USAGE (bad address,
 * unknown server) or MX_ERR_INPUT (a model value that does not parse).
 */
int	whichconn_run(struct model *, const char *server, const char *local,
	    const char *remote, FILE *out, struct mx_err *);

#endif /* MXBPA_WHICHCONN_H */
