/*
 * import.c - recognise an input file by its content and hand it to its
 * importer (see import.h).
 *
 * SPDX-License-Identifier: ISC
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/*
 * A CLIXML file named on the command line that held nothing mxbpa reads
 * is an input error naming what it held; its source is taken back.
 */
static int
import_check_read(struct model *m, const char *path, struct mx_err *err)
{
	xmlNodePtr root = xmlDocGetRootElement(model_doc(m)), c;
	const char *loc, *why;

	for (c = root->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, "source") != 0)
			continue;
		loc = xml_attr(c, "location");
		why = xml_attr(c, "skipped");
		if (loc == NULL || why == NULL || strcmp(loc, path) != 0)
			continue;
		mx_err_set(err, MX_ERR_INPUT, path, "%s; mxbpa reads the "
		    "Export-Clixml files of Get-ReceiveConnector, "
		    "Get-ADPermission, Get-AcceptedDomain and "
		    "Get-ExchangeServer", why);
		xmlUnlinkNode(c);
		xmlFreeNode(c);
		return -1;
	}
	return 0;
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

/* A file met in a directory that mxbpa does not read: say so. */
static int
import_other(struct model *m, const char *path, const char *sha,
    const char *why)
{
	xmlNodePtr src = model_add_source(m, "other", path, sha);

	if (src == NULL)
		return -1;
	model_set(src, "skipped", why);
	log_warnx(LOG_IMPORT, "%s: skipped: %s", path, why);
	return 0;
}

/*
 * Import one file.  In a directory (in_dir), a file of a type mxbpa does
 * not read is recorded as a skipped source; named on the command line it
 * is an input error.
 */
static int
import_one(struct model *m, const char *path, int in_dir, struct mx_err *err)
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
		if (in_dir)
			return import_other(m, path, sha, "not CLIXML, LDIF "
			    "or an mxbpa model");
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
		if (rc == 0 && !in_dir)
			rc = import_check_read(m, path, err);
		return rc;
	}
	if (root->ns != NULL && strcmp((const char *)root->ns->href,
	    MODEL_NS) == 0) {
		log_info(LOG_IMPORT, "%s: mxbpa model", path);
		return import_model(m, doc, path, sha, err);	/* owns doc */
	}
	if (in_dir) {
		char why[256];

		snprintf(why, sizeof(why), "not CLIXML or an mxbpa model "
		    "(root is <%.64s>)", (const char *)root->name);
		xmlFreeDoc(doc);
		return import_other(m, path, sha, why);
	}
	mx_err_set(err, MX_ERR_INPUT, path,
	    "not CLIXML or an mxbpa model (root is <%s>%s%s)",
	    (const char *)root->name, root->ns ? " in " : "",
	    root->ns ? (const char *)root->ns->href : "");
	xmlFreeDoc(doc);
	return -1;
}

int
import_file(struct model *m, const char *path, struct mx_err *err)
{
	return import_one(m, path, 0, err);
}

/* The sources of the model that record a skipped file. */
static size_t
import_count_skipped(struct model *m)
{
	xmlNodePtr c = xmlDocGetRootElement(model_doc(m))->children;
	size_t n = 0;

	for (; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name,
		    "source") == 0 && xml_attr(c, "skipped") != NULL)
			n++;
	return n;
}

static int
import_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of a directory, in name order (dot files left out). */
static int
import_dir(struct model *m, const char *dir, struct mx_err *err)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	char **names = NULL, path[PATH_MAX];
	size_t n = 0, i, read = 0, skipped = 0, before;
	int rc = 0;

	if ((d = opendir(dir)) == NULL)
		return mx_err_sys(err, MX_ERR_IO, dir, "cannot open directory");
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n >= IMPORT_DIR_FILES_MAX) {
			rc = mx_err_set(err, MX_ERR_LIMIT, dir, "more than %d "
			    "files (IMPORT_DIR_FILES_MAX)",
			    IMPORT_DIR_FILES_MAX);
			break;
		}
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (rc == 0)
		qsort(names, n, sizeof(*names), import_name_cmp);
	for (i = 0; rc == 0 && i < n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    names[i]) >= sizeof(path)) {
			rc = mx_err_set(err, MX_ERR_INPUT, dir,
			    "path too long: %s", names[i]);
			break;
		}
		if (stat(path, &st) == -1 || !S_ISREG(st.st_mode)) {
			log_info(LOG_IMPORT, "%s: not a regular file, not "
			    "read", path);
			continue;
		}
		log_info(LOG_IMPORT, "importing %s", path);
		before = import_count_skipped(m);
		rc = import_one(m, path, 1, err);
		if (import_count_skipped(m) > before)
			skipped++;
		else
			read++;
	}
	if (rc == 0 && read == 0)
		rc = mx_err_set(err, MX_ERR_INPUT, dir, "no file of this "
		    "directory holds anything mxbpa reads (%zu skipped)",
		    skipped);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int
import_path(struct model *m, const char *path, struct mx_err *err)
{
	struct stat st;

	if (strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
	    S_ISDIR(st.st_mode))
		return import_dir(m, path, err);
	return import_one(m, path, 0, err);
}
