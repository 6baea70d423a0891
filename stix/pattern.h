/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pattern.h - the STIX 2.1 patterning language (STIX 2.1 part 9, the
 * STIXPattern.g4 grammar): a hand-written lexer and recursive-descent
 * parser into an AST, a canonical printer, extraction of the equality
 * comparisons the lookup index wants, and a matcher against observed-data.
 *
 * Patterns come from other nodes and are untrusted: the parser caps the
 * pattern length (PATTERN_MAX_LEN) and the nesting depth
 * (PATTERN_MAX_DEPTH), and refuses anything outside the grammar with the
 * 0-based character (code point) position of the problem.
 */
#ifndef TX_PATTERN_H
#define TX_PATTERN_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "buf.h"
#include "err.h"

#define PATTERN_MAX_LEN		(64 * 1024)	/* bytes of pattern text */
#define PATTERN_MAX_DEPTH	64		/* nested parentheses */

enum pattern_lit_kind {
	PATTERN_LIT_STRING,	/* str: unescaped UTF-8 */
	PATTERN_LIT_INT,	/* i */
	PATTERN_LIT_FLOAT,	/* f; str: canonical text "-0.5" */
	PATTERN_LIT_BOOL,	/* b */
	PATTERN_LIT_HEX,	/* str: lower-case hex digits, even count */
	PATTERN_LIT_BINARY,	/* str: base64 text as written */
	PATTERN_LIT_TIMESTAMP,	/* str: RFC 3339 text as written */
	PATTERN_LIT_SET		/* items[nitems], none of them a set */
};

struct pattern_lit {
	enum pattern_lit_kind	 kind;
	char			*str;
	int64_t			 i;
	double			 f;
	int			 b;
	struct pattern_lit	*items;
	size_t			 nitems;
	size_t			 pos;	/* code point offset in the pattern */
};

enum pattern_step_kind {
	PATTERN_STEP_KEY,	/* .key or 'quoted key' */
	PATTERN_STEP_INDEX,	/* [n] */
	PATTERN_STEP_ANY	/* [*] */
};

struct pattern_step {
	enum pattern_step_kind	 kind;
	char			*key;
	int64_t			 index;
};

/* type:first.step[0].step; steps[0] is always a KEY. */
struct pattern_path {
	char			*type;
	struct pattern_step	*steps;
	size_t			 nsteps;
};

enum pattern_op {
	PATTERN_OP_EQ, PATTERN_OP_NE, PATTERN_OP_LT, PATTERN_OP_LE,
	PATTERN_OP_GT, PATTERN_OP_GE, PATTERN_OP_IN, PATTERN_OP_LIKE,
	PATTERN_OP_MATCHES, PATTERN_OP_ISSUBSET, PATTERN_OP_ISSUPERSET,
	PATTERN_OP_EXISTS
};

enum pattern_cmp_kind {
	PATTERN_CMP_TEST,	/* path op lit (or EXISTS path) */
	PATTERN_CMP_AND,
	PATTERN_CMP_OR,
	PATTERN_CMP_GROUP	/* ( left ) as written */
};

struct pattern_cmp {
	enum pattern_cmp_kind	 kind;
	struct pattern_cmp	*left, *right;	/* AND, OR; GROUP: left */
	struct pattern_path	 path;		/* TEST */
	enum pattern_op		 op;
	int			 negated;	/* NOT before the operator */
	struct pattern_lit	 lit;		/* not for EXISTS */
	size_t			 pos;
};

enum pattern_qual_kind {
	PATTERN_QUAL_WITHIN,	/* seconds */
	PATTERN_QUAL_REPEATS,	/* times */
	PATTERN_QUAL_STARTSTOP	/* start, stop */
};

struct pattern_qual {
	enum pattern_qual_kind	 kind;
	double			 seconds;
	char			*seconds_text;	/* as canonically printed */
	int64_t			 times;
	char			*start, *stop;	/* RFC 3339 text */
};

enum pattern_obs_kind {
	PATTERN_OBS_SIMPLE,	/* [ cmp ] */
	PATTERN_OBS_GROUP,	/* ( left ) */
	PATTERN_OBS_AND,
	PATTERN_OBS_OR,
	PATTERN_OBS_FOLLOWEDBY
};

struct pattern_obs {
	enum pattern_obs_kind	 kind;
	struct pattern_cmp	*cmp;		/* SIMPLE */
	struct pattern_obs	*left, *right;	/* GROUP: left */
	struct pattern_qual	*quals;		/* in written order */
	size_t			 nquals;
	size_t			 pos;
};

struct pattern {
	struct pattern_obs	*root;
};

/*
 * Parse len bytes of s (need not be NUL-terminated) as a STIX 2.1 pattern.
 * On success *out is a new AST owned by the caller (pattern_free). On
 * failure *out is NULL, err->where is "pos N" (0-based code point offset)
 * and err->msg says what was expected. Returns 0, TX_EINVAL (not a
 * pattern), TX_ELIMIT (too long or too deep) or TX_ENOMEM.
 */
int	pattern_parse(struct pattern **out, const char *s, size_t len,
	    struct tx_err *err);

/* As pattern_parse, and on failure *errpos receives the position too. */
int	pattern_parse_pos(struct pattern **out, const char *s, size_t len,
	    size_t *errpos, struct tx_err *err);

/* Free an AST. NULL-safe. */
void	pattern_free(struct pattern *p);

/*
 * Append the canonical text of p to out: single spaces, upper-case
 * keywords, literals in one spelling, parentheses where written.
 * print(parse(print(x))) == print(x). Returns 0, TX_ELIMIT or TX_ENOMEM.
 */
int	pattern_print(struct tx_buf *out, const struct pattern *p);

/* Append the canonical text of a property path without its type. */
int	pattern_path_print(struct tx_buf *out, const struct pattern_path *path);

/*
 * Call cb for each comparison "path = 'string'" and each string member of
 * "path IN (...)" that is not negated, in pattern order, with the object
 * type, the canonical path ("value", "hashes.'SHA-256'") and the unescaped
 * string. A non-zero return of cb stops the walk and is returned. Returns
 * 0, that value, or TX_ENOMEM.
 */
int	pattern_extract(const struct pattern *p,
	    int (*cb)(const char *object_type, const char *path,
	    const char *value, void *payload), void *payload);

/*
 * Evaluate p against data: a bundle (its observed-data objects, with the
 * SCOs of the bundle resolving object_refs), a single observed-data (SCOs
 * in its "objects" dictionary), an array of observed-data, or one bare SCO
 * (an observation without time: qualifiers that need time do not match).
 * *out is 1 on a match, 0 otherwise. Caps: 64 observations, 4096
 * candidate bindings per sub-expression; regexes run under PCRE2 match and
 * depth limits. Returns 0, TX_EINVAL (data unusable), TX_ELIMIT or
 * TX_ENOMEM.
 */
int	pattern_match(int *out, const struct pattern *p, const json_t *data,
	    struct tx_err *err);

/* Name of an operator as written: "=", "IN", "ISSUBSET"... */
const char	*pattern_op_name(enum pattern_op op);

#endif
