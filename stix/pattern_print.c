/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pattern_print.c - the canonical text of a parsed pattern and the
 * extraction of its equality comparisons for the lookup index.
 *
 * Works on ASTs built by pattern_parse, which it trusts to be well formed
 * (every string NUL-free UTF-8, every set flat). The printed form re-parses
 * to the same AST: keys that are not plain identifiers (or that would read
 * as keywords) are quoted, strings are escaped, parentheses are kept where
 * they were written. Output goes to a bounded tx_buf.
 */
#include "pattern.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *const reserved[] = { "AND", "OR", "NOT", "FOLLOWEDBY",
	"LIKE", "MATCHES", "ISSUPERSET", "ISSUBSET", "EXISTS", "LAST", "IN",
	"START", "STOP", "SECONDS", "WITHIN", "REPEATS", "TIMES", "true",
	"false" };

static int
print_quoted(struct tx_buf *b, const char *s)
{
	int	rc;

	if ((rc = tx_buf_addc(b, '\'')) < 0)
		return rc;
	for (; *s != '\0'; s++) {
		if ((*s == '\'' || *s == '\\') && (rc = tx_buf_addc(b, '\\')) < 0)
			return rc;
		if ((rc = tx_buf_addc(b, *s)) < 0)
			return rc;
	}
	return tx_buf_addc(b, '\'');
}

/* A key prints bare when it lexes back as a plain identifier. */
static int
key_is_bare(const char *k)
{
	size_t	i;

	if (!((k[0] >= 'a' && k[0] <= 'z') || (k[0] >= 'A' && k[0] <= 'Z') ||
	    k[0] == '_'))
		return 0;
	for (i = 1; k[i] != '\0'; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= 'A' &&
		    k[i] <= 'Z') || (k[i] >= '0' && k[i] <= '9') ||
		    k[i] == '_'))
			return 0;
	/* h, b, t followed by a quote never happens: keys are followed by
	 * '.', '[', an operator or whitespace */
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strcmp(k, reserved[i]) == 0)
			return 0;
	return 1;
}

int
pattern_path_print(struct tx_buf *b, const struct pattern_path *p)
{
	size_t	i;
	int	rc = 0;

	for (i = 0; i < p->nsteps && rc == 0; i++) {
		const struct pattern_step *s = &p->steps[i];

		switch (s->kind) {
		case PATTERN_STEP_KEY:
			if (i > 0 && (rc = tx_buf_addc(b, '.')) < 0)
				return rc;
			rc = key_is_bare(s->key) ? tx_buf_adds(b, s->key) :
			    print_quoted(b, s->key);
			break;
		case PATTERN_STEP_INDEX:
			rc = tx_buf_addf(b, "[%" PRId64 "]", s->index);
			break;
		case PATTERN_STEP_ANY:
			rc = tx_buf_adds(b, "[*]");
			break;
		}
	}
	return rc;
}

static int
print_lit(struct tx_buf *b, const struct pattern_lit *l)
{
	size_t	i;
	int	rc;

	switch (l->kind) {
	case PATTERN_LIT_STRING:
		return print_quoted(b, l->str);
	case PATTERN_LIT_INT:
		return tx_buf_addf(b, "%" PRId64, l->i);
	case PATTERN_LIT_FLOAT:
		return tx_buf_adds(b, l->str);
	case PATTERN_LIT_BOOL:
		return tx_buf_adds(b, l->b ? "true" : "false");
	case PATTERN_LIT_HEX:
		return tx_buf_addf(b, "h'%s'", l->str);
	case PATTERN_LIT_BINARY:
		return tx_buf_addf(b, "b'%s'", l->str);
	case PATTERN_LIT_TIMESTAMP:
		return tx_buf_addf(b, "t'%s'", l->str);
	case PATTERN_LIT_SET:
		if ((rc = tx_buf_addc(b, '(')) < 0)
			return rc;
		for (i = 0; i < l->nitems; i++) {
			if (i > 0 && (rc = tx_buf_adds(b, ", ")) < 0)
				return rc;
			if ((rc = print_lit(b, &l->items[i])) < 0)
				return rc;
		}
		return tx_buf_addc(b, ')');
	}
	return TX_EFAIL;
}

static int
print_cmp(struct tx_buf *b, const struct pattern_cmp *c)
{
	int	rc;

	switch (c->kind) {
	case PATTERN_CMP_GROUP:
		if ((rc = tx_buf_addc(b, '(')) < 0 ||
		    (rc = print_cmp(b, c->left)) < 0)
			return rc;
		return tx_buf_addc(b, ')');
	case PATTERN_CMP_AND:
	case PATTERN_CMP_OR:
		if ((rc = print_cmp(b, c->left)) < 0 ||
		    (rc = tx_buf_adds(b, c->kind == PATTERN_CMP_AND ?
		    " AND " : " OR ")) < 0)
			return rc;
		return print_cmp(b, c->right);
	case PATTERN_CMP_TEST:
		break;
	}
	if (c->op == PATTERN_OP_EXISTS) {
		if ((rc = tx_buf_addf(b, "EXISTS %s:", c->path.type)) < 0)
			return rc;
		return pattern_path_print(b, &c->path);
	}
	if ((rc = tx_buf_addf(b, "%s:", c->path.type)) < 0 ||
	    (rc = pattern_path_print(b, &c->path)) < 0 ||
	    (rc = tx_buf_addf(b, " %s%s ", c->negated ? "NOT " : "",
	    pattern_op_name(c->op))) < 0)
		return rc;
	return print_lit(b, &c->lit);
}

static int
print_obs(struct tx_buf *b, const struct pattern_obs *o)
{
	const char	*op = NULL;
	size_t		 i;
	int		 rc = 0;

	switch (o->kind) {
	case PATTERN_OBS_SIMPLE:
		if ((rc = tx_buf_addc(b, '[')) < 0 ||
		    (rc = print_cmp(b, o->cmp)) < 0 ||
		    (rc = tx_buf_addc(b, ']')) < 0)
			return rc;
		break;
	case PATTERN_OBS_GROUP:
		if ((rc = tx_buf_addc(b, '(')) < 0 ||
		    (rc = print_obs(b, o->left)) < 0 ||
		    (rc = tx_buf_addc(b, ')')) < 0)
			return rc;
		break;
	case PATTERN_OBS_AND: op = " AND "; break;
	case PATTERN_OBS_OR: op = " OR "; break;
	case PATTERN_OBS_FOLLOWEDBY: op = " FOLLOWEDBY "; break;
	}
	if (op != NULL && ((rc = print_obs(b, o->left)) < 0 ||
	    (rc = tx_buf_adds(b, op)) < 0 || (rc = print_obs(b, o->right)) < 0))
		return rc;
	for (i = 0; i < o->nquals; i++) {
		const struct pattern_qual *q = &o->quals[i];

		if (q->kind == PATTERN_QUAL_WITHIN)
			rc = tx_buf_addf(b, " WITHIN %s SECONDS",
			    q->seconds_text);
		else if (q->kind == PATTERN_QUAL_REPEATS)
			rc = tx_buf_addf(b, " REPEATS %" PRId64 " TIMES",
			    q->times);
		else
			rc = tx_buf_addf(b, " START t'%s' STOP t'%s'",
			    q->start, q->stop);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int
pattern_print(struct tx_buf *out, const struct pattern *p)
{
	return print_obs(out, p->root);
}

struct extract {
	int		(*cb)(const char *, const char *, const char *, void *);
	void		*payload;
	struct tx_buf	 path;
};

static int
extract_test(struct extract *x, const struct pattern_cmp *c)
{
	const struct pattern_lit	*l = &c->lit;
	size_t				 i, n = 1;
	int				 rc;

	if (c->negated || (c->op != PATTERN_OP_EQ && c->op != PATTERN_OP_IN))
		return 0;
	if (l->kind == PATTERN_LIT_SET) {
		n = l->nitems;
		l = l->items;
	}
	tx_buf_reset(&x->path);
	if ((rc = pattern_path_print(&x->path, &c->path)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		if (l[i].kind != PATTERN_LIT_STRING)
			continue;
		rc = x->cb(c->path.type, tx_buf_cstr(&x->path), l[i].str,
		    x->payload);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int
extract_cmp(struct extract *x, const struct pattern_cmp *c)
{
	int	rc;

	if (c == NULL)
		return 0;
	if (c->kind == PATTERN_CMP_TEST)
		return extract_test(x, c);
	if ((rc = extract_cmp(x, c->left)) != 0)
		return rc;
	return extract_cmp(x, c->right);
}

static int
extract_obs(struct extract *x, const struct pattern_obs *o)
{
	int	rc;

	if (o == NULL)
		return 0;
	if (o->kind == PATTERN_OBS_SIMPLE)
		return extract_cmp(x, o->cmp);
	if ((rc = extract_obs(x, o->left)) != 0)
		return rc;
	return extract_obs(x, o->right);
}

int
pattern_extract(const struct pattern *p,
    int (*cb)(const char *, const char *, const char *, void *),
    void *payload)
{
	struct extract	x;
	int		rc;

	x.cb = cb;
	x.payload = payload;
	tx_buf_init(&x.path, PATTERN_MAX_LEN * 2);
	rc = extract_obs(&x, p->root);
	tx_buf_dispose(&x.path);
	return rc;
}
