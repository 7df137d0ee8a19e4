/*
 * xml.h - the only door into libxml2 parsing.
 *
 * Every XML input (CLIXML, models, rule packs, findings, schemas,
 * stylesheets) is parsed here with one fixed option set: no network, no
 * entity substitution, no DTD loading, no XInclude, no huge mode.  A
 * DOCTYPE is refused outright: none of our formats has one.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_XML_H
#define MXBPA_XML_H

#include <stddef.h>

#include <libxml/tree.h>

struct mx_err;
struct xml_schema;

/* Install the silent error handler and the deny-all entity loader. */
void		 xml_init(void);

/*
 * Parse a buffer named name (used in messages).  Returns a document the
 * caller frees with xmlFreeDoc, or NULL with MX_ERR_INPUT "name:line: ...".
 * keep_blanks keeps whitespace-only text nodes (stylesheets need them).
 */
xmlDocPtr	 xml_parse(const char *data, size_t len, const char *name,
		    int keep_blanks, struct mx_err *);

/* Read a file of at most max bytes and parse it (xml_parse rules). */
xmlDocPtr	 xml_parse_file(const char *path, size_t max, int keep_blanks,
		    struct mx_err *);

/* Load a RELAX NG schema file.  Free with xml_schema_free. */
struct xml_schema *xml_schema_load(const char *path, struct mx_err *);
void		 xml_schema_free(struct xml_schema *);

/*
 * Validate doc against the schema.  Every error is logged as a warning
 * "name:line: message"; the first one is recorded as MX_ERR_INPUT.
 */
int		 xml_schema_validate(struct xml_schema *, xmlDocPtr,
		    const char *name, struct mx_err *);

/*
 * Validate doc against the shipped schema of that file name
 * ("model.rng") in the data directory's schemas/.
 */
int		 xml_check(xmlDocPtr, const char *schema, const char *name,
		    struct mx_err *);

/*
 * Put every element of a subtree in namespace ns (NULL: none) and drop
 * the namespace declarations of the subtree, except on the element that
 * declares ns itself.
 */
void		 xml_tree_set_ns(xmlNodePtr, xmlNsPtr);

/* Serialise doc (indented, UTF-8) and replace path atomically. */
int		 xml_write(xmlDocPtr, const char *path, struct mx_err *);

/* Serialise doc into a buffer freed with xmlFree. */
int		 xml_dump(xmlDocPtr, xmlChar **out, int *len, struct mx_err *);

/* Attribute value as a const string owned by the node, or NULL. */
const char	*xml_attr(xmlNodePtr, const char *name);

/* Line of a node for messages ("file:line"). */
long		 xml_line(xmlNodePtr);

#endif /* MXBPA_XML_H */
