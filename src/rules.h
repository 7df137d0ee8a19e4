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

/* <let name value/>: $name in later expressions (docs/rules.md). */
struct rule_let {
	const char		*name;
	const char		*value_text;
	xmlXPathCompExprPtr	 value;
	long			 line;
	int			 for_assert;	/* the assertion needs it */
};

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
	struct rule_let		*lets;		/* once per selected object */
	size_t			 nlets;
	const struct rule_let	*pack_lets;	/* once per run, on the root */
	size_t			 npack_lets;
	unsigned		 needs;		/* coverage.h input mask */
	int			 needs_declared; /* has a needs attribute */
	int			 headline;	/* headline="relay": a failure
						   means relay is possible */
};

/*
 * Each XPath expression of a rule, in document order: select, lets,
 * assert, evidence, then the {expr} placeholders, <when> tests and <arg>
 * selects of its texts.  RULE_EXPR_RAW is a {expr} written inside a
 * <command>, which is not allowed.
 */
enum rule_expr_kind {
	RULE_EXPR_SELECT, RULE_EXPR_LET, RULE_EXPR_ASSERT, RULE_EXPR_EVIDENCE,
	RULE_EXPR_TEXT, RULE_EXPR_WHEN, RULE_EXPR_ARG, RULE_EXPR_RAW
};

struct rule_expr {
	enum rule_expr_kind	 kind;
	const char		*text;		/* valid during the call */
	long			 line;
	const char		*let;		/* RULE_EXPR_LET: its name */
};

/*
 * Call fn on each expression of the <rule> (or pack <let>s of a <rules>)
 * element node; stops at and returns the first non-zero result of fn.
 */
int		 rule_each_expr(xmlNodePtr node,
		    int (*fn)(void *, const struct rule_expr *), void *arg);

/*
 * The next piece of a rule text at *p, which it advances: RULE_PIECE_CHAR
 * with *c a character ("{{" and "}}" give one brace), RULE_PIECE_EXPR with
 * the XPath of a {expr} in expr[0..size) (cut to fit), RULE_PIECE_OPEN for
 * a '{' never closed (*c is '{'), RULE_PIECE_END at the end.
 */
enum rule_piece {
	RULE_PIECE_END, RULE_PIECE_CHAR, RULE_PIECE_EXPR, RULE_PIECE_OPEN
};

enum rule_piece	 rule_text_piece(const char **p, char *c, char *expr,
		    size_t size);

/*
 * Call fn on each $name referenced by the XPath expression (outside
 * string literals); stops at and returns the first non-zero result.
 */
int		 rule_each_var(const char *expr,
		    int (*fn)(void *, const char *name), void *arg);

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

/*
 * XPath operations the trial runs of loading the packs spent: the start
 * of the run's budget (XPATH_RUN_OPS_MAX), which the analysis goes on
 * spending.
 */
unsigned long	 rule_set_xpath_ops(const struct rule_set *);
const struct rule *rule_set_get(const struct rule_set *, size_t);
const struct rule *rule_set_find(const struct rule_set *, const char *id);

/*
 * A <disable> or <waiver> entry of a pack (docs/rules.md): a built-in rule
 * switched off, or one finding accepted.  Strings are owned by the set.
 */
struct rule_entry {
	const char	*kind;		/* "disable" or "waiver" */
	const char	*rule;
	const char	*object;	/* waiver: the finding's object */
	const char	*by;
	const char	*date;		/* waiver: YYYY-MM-DD */
	const char	*expires;	/* waiver, optional: YYYY-MM-DD */
	const char	*reason;
	const char	*pack;
	const char	*file;
	long		 line;
};

/* The i-th entry of a kind over all packs; 0, or -1 past the last. */
int		 rule_set_entry(const struct rule_set *, const char *kind,
		    size_t i, struct rule_entry *);

/* The entry disabling rule id (0), or -1 when it is enabled. */
int		 rule_set_disabled(const struct rule_set *, const char *id,
		    struct rule_entry *);

/* The waiver of rule on object (0), or -1 when there is none. */
int		 rule_set_waiver(const struct rule_set *, const char *rule,
		    const char *object, struct rule_entry *);

/*
 * Every disable and waiver entry names a rule of the set or of known
 * (may be NULL).  0, or -1 with MX_ERR_INPUT at the entry's file:line.
 */
int		 rule_set_check_entries(const struct rule_set *,
		    const struct rule_set *known, struct mx_err *);

/*
 * The text of a rule child (title, message, remediation, description) in
 * lang, falling back to English; NULL when absent.  Owned by the rule.
 */
const char	*rule_text(const struct rule *, const char *element,
		    const char *lang);

/* As rule_text, the element itself (texts may hold <when>, <command>). */
xmlNodePtr	 rule_text_node(const struct rule *, const char *element,
		    const char *lang);

#endif /* MXBPA_RULES_H */
