/*
 * import.h - read input files into the model, recognising each format by
 * its content, never by its name: Export-Clixml (root <Objs> in the
 * PowerShell namespace), an mxbpa model (root <topology>) or LDIF
 * (ldifde / ldapsearch exports).
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_IMPORT_H
#define MXBPA_IMPORT_H

struct model;
struct mx_err;

/*
 * Import one file into model.  On error (MX_ERR_INPUT naming the file and
 * the reason) the model is unchanged.
 */
int	import_file(struct model *, const char *path, struct mx_err *);

#endif /* MXBPA_IMPORT_H */
