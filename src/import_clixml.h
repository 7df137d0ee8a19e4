/*
 * import_clixml.h - PowerShell Export-Clixml files ([MS-PSRP] 2.2.5
 * serialisation) of Get-ReceiveConnector, Get-ADPermission,
 * Get-AcceptedDomain and Get-ExchangeServer, into the model.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_IMPORT_CLIXML_H
#define MXBPA_IMPORT_CLIXML_H

#include <libxml/tree.h>

struct model;
struct mx_err;

#define CLIXML_NS	"http://schemas.microsoft.com/powershell/2004/04"

/* Is this parsed document CLIXML (root Objs in CLIXML_NS)? */
int	import_clixml_detect(xmlDocPtr);

/*
 * Add every object of a parsed CLIXML document to model.  name is the
 * file name for messages, sha256 the hash of its bytes for the <source>
 * element.  The object type of each object is recognised from its type
 * names (TN/TNRef, with or without the "Deserialized." prefix); objects of
 * other types are skipped, unknown properties ignored.  On error
 * (MX_ERR_INPUT "name: reason") the model is left unchanged: the import
 * works on a scratch model merged only on success.
 */
int	import_clixml(struct model *, xmlDocPtr, const char *name,
	    const char *sha256, struct mx_err *);

#endif /* MXBPA_IMPORT_CLIXML_H */
