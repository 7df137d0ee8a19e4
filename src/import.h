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

/*
 * Import a file (as import_file) or every regular file of a directory,
 * in name order.  A file of the directory that holds nothing mxbpa reads
 * is recorded as a <source> with a "skipped" reason and does not stop the
 * import; a file named by path that holds nothing mxbpa reads is an
 * MX_ERR_INPUT naming the object types it held.
 */
int	import_path(struct model *, const char *path, struct mx_err *);

#endif /* MXBPA_IMPORT_H */
