/*
 * rules.h - rule packs: load, validate (schemas/rules.rng plus the checks
 * a schema cannot make: unique ids, XPath syntax of select, assert and
 * every {expr} of the texts), and hand the rules to the engine.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_RULES_H
#define MXBPA_RULES_H

#include <stddef.h>

#include <libxml/tree.h>
#include <libxml/xpath.h>

struct mx_err;
struct rule_set;

#define RULES_NS	"urn:mxbpa:rules:1"

/* One loaded rule; everything is owned by its rule_set. */
struct rule {
	const char		*id;
	int			 severity;	/* enum severity */
	const char		*category;
	const char		*pack;		/* pack attribute of the file */
	const char		*file;
	long			 line;
	xmlNodePtr		 node;		/* the <rule> element */
	const char		*select_text;
	const char		*assert_text;
	xmlXPathCompExprPtr	 select;
	xmlXPathCompExprPtr	 assert;
	const char		*evidence_text;	/* NULL: the object only */
	xmlXPathCompExprPtr	 evidence;
};

struct rule_set	*rule_set_new(void);
void		 rule_set_free(struct rule_set *);

/* Load one pack.  0, or -1 with MX_ERR_INPUT "file:line: reason". */
int		 rule_set_load_file(struct rule_set *, const char *path,
		    struct mx_err *);

/* As rule_set_load_file, from a buffer named path in messages. */
int		 rule_set_load_buffer(struct rule_set *, const char *data,
		    size_t len, const char *path, struct mx_err *);

/* Load every *.xml of a directory, in name order. */
int		 rule_set_load_dir(struct rule_set *, const char *dir,
		    struct mx_err *);

size_t		 rule_set_count(const struct rule_set *);
const struct rule *rule_set_get(const struct rule_set *, size_t);
const struct rule *rule_set_find(const struct rule_set *, const char *id);

/*
 * The text of a rule child (title, message, remediation, description) in
 * lang, falling back to English; NULL when absent.  Owned by the rule.
 */
const char	*rule_text(const struct rule *, const char *element,
		    const char *lang);

#endif /* MXBPA_RULES_H */
