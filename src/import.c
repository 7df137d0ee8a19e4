/*
 * import.c - recognise an input file by its content and hand it to its
 * importer (see import.h).
 *
 * SPDX-License-Identifier: ISC
 */
#include <string.h>

#include <libxml/tree.h>

#include "bounds.h"
#include "err.h"
#include "import.h"
#include "import_clixml.h"
#include "import_ldif.h"
#include "log.h"
#include "model.h"
#include "util.h"
#include "xml.h"

/* Does the buffer start like XML (after a BOM and space)? */
static int
import_looks_like_xml(const char *data, size_t len)
{
	size_t i = 0;

	if (len >= 2 && (memcmp(data, "\xff\xfe", 2) == 0 ||
	    memcmp(data, "\xfe\xff", 2) == 0))
		return 1;	/* UTF-16 BOM: the parser takes it from here */
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\t' ||
	    data[i] == '\r' || data[i] == '\n'))
		i++;
	return i < len && data[i] == '<';
}

static int
import_model(struct model *m, xmlDocPtr doc, const char *path,
    const char *sha, struct mx_err *err)
{
	struct model *other;
	int rc;

	other = model_from_doc(doc, path, err);
	if (other == NULL)
		return -1;
	rc = model_merge(m, other, err);
	model_free(other);
	if (rc == 0)
		model_add_source(m, "model", path, sha);
	return rc;
}

int
import_file(struct model *m, const char *path, struct mx_err *err)
{
	struct util_file f;
	xmlDocPtr doc;
	xmlNodePtr root;
	char sha[65];
	int rc;

	if (util_read_file(path, INPUT_FILE_MAX, &f, err) == -1)
		return -1;
	util_sha256_hex(f.data, f.len, sha);
	if (!import_looks_like_xml(f.data, f.len)) {
		if (import_ldif_detect(f.data, f.len)) {
			log_info(LOG_IMPORT, "%s: LDIF", path);
			rc = import_ldif(m, f.data, f.len, path, sha, err);
			util_file_free(&f);
			return rc;
		}
		util_file_free(&f);
		return mx_err_set(err, MX_ERR_INPUT, path,
		    "not a recognised input (expected an Export-Clixml file, "
		    "an LDIF export or an mxbpa model)");
	}
	if (f.len > CLIXML_FILE_MAX) {
		util_file_free(&f);
		return mx_err_set(err, MX_ERR_LIMIT, path,
		    "XML input larger than %u bytes (CLIXML_FILE_MAX)",
		    CLIXML_FILE_MAX);
	}
	doc = xml_parse(f.data, f.len, path, 0, err);
	util_file_free(&f);
	if (doc == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (import_clixml_detect(doc)) {
		log_info(LOG_IMPORT, "%s: Export-Clixml", path);
		rc = import_clixml(m, doc, path, sha, err);
		xmlFreeDoc(doc);
		return rc;
	}
	if (root->ns != NULL && strcmp((const char *)root->ns->href,
	    MODEL_NS) == 0) {
		log_info(LOG_IMPORT, "%s: mxbpa model", path);
		return import_model(m, doc, path, sha, err);	/* owns doc */
	}
	mx_err_set(err, MX_ERR_INPUT, path,
	    "not CLIXML or an mxbpa model (root is <%s>%s%s)",
	    (const char *)root->name, root->ns ? " in " : "",
	    root->ns ? (const char *)root->ns->href : "");
	xmlFreeDoc(doc);
	return -1;
}
