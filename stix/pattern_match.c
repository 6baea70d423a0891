/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pattern_match.c - evaluate a parsed STIX 2.1 pattern against observed
 * data (STIX 2.1 part 9.5-9.7 semantics, a documented subset):
 *
 * - An observation is one observed-data (its SCOs from the "objects"
 *   dictionary or from object_refs resolved in the bundle) or one bare SCO
 *   (no time). A comparison [t:path op v] holds in an observation when some
 *   SCO of type t there has some value at path (with [*] over lists and
 *   dictionaries, and *_ref / *_refs followed to the referenced object)
 *   for which op holds; values of another type never compare (NOT too).
 * - A binding is a set of distinct observations (a 64-bit mask). AND and
 *   FOLLOWEDBY join disjoint bindings; FOLLOWEDBY needs every left
 *   observation's last_observed <= every right one's first_observed.
 *   WITHIN n keeps bindings whose observations all lie in n seconds
 *   (latest last_observed - earliest first_observed); START a STOP b keeps
 *   those with a <= first_observed and last_observed < b; REPEATS n joins n
 *   disjoint bindings. number_observed is not used to count repeats.
 * - LIKE: % any run, _ one code point. MATCHES: PCRE2 (UTF) under match,
 *   depth and heap limits; a regex hitting a limit does not match.
 *   ISSUBSET / ISSUPERSET on IPv4/IPv6 addresses and CIDR blocks.
 *
 * Trusts the AST (from pattern_parse) and jansson's JSON model; caps the
 * observations (64), bindings per sub-expression (4096), values per path
 * and the total work, so no input can make a match run unbounded.
 */
#include "pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#define MATCH_MAX_OBS		64
#define MATCH_MAX_BINDINGS	4096
#define MATCH_MAX_VALUES	4096
#define MATCH_MAX_WORK		(16 * 1024 * 1024)
#define MATCH_MAX_DEPTH		16	/* path steps through references */

struct mtime {
	int64_t	sec;
	int32_t	nsec;
};

struct observation {
	const json_t	*objects;	/* "objects" dictionary or NULL */
	const json_t	*scos[MATCH_MAX_VALUES / 16];
	size_t		 nscos;
	int		 has_time;
	struct mtime	 first, last;
};

struct regex_cache {
	const struct pattern_cmp	*cmp;
	pcre2_code			*code;	/* NULL: did not compile */
};

struct mctx {
	struct observation	*obs;
	size_t			 nobs;
	const json_t		*byid;		/* bundle: id -> object */
	struct regex_cache	*rx;
	size_t			 nrx;
	pcre2_match_context	*mctx;
	pcre2_match_data	*md;
	uint64_t		 work;
	struct tx_err		*err;
};

struct bindset {
	uint64_t	*m;
	size_t		 n;
	uint64_t	*h;	/* open addressing, 0 = empty slot */
	size_t		 hcap;
};

/* ---- time ---- */

static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
dig(const char *s, int n, int *out)
{
	int	i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* RFC 3339 in UTC ("...Z"), fraction to nanoseconds. */
static int
parse_time(const char *s, struct mtime *t)
{
	int	y, mo, d, h, mi, se, i, scale = 100000000;
	int32_t	ns = 0;

	if (s == NULL || strlen(s) < 20 || dig(s, 4, &y) || s[4] != '-' ||
	    dig(s + 5, 2, &mo) || s[7] != '-' || dig(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't') || dig(s + 11, 2, &h) ||
	    s[13] != ':' || dig(s + 14, 2, &mi) || s[16] != ':' ||
	    dig(s + 17, 2, &se))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60)
		return -1;
	i = 19;
	if (s[i] == '.') {
		i++;
		if (s[i] < '0' || s[i] > '9')
			return -1;
		for (; s[i] >= '0' && s[i] <= '9'; i++) {
			ns += (s[i] - '0') * scale;
			scale /= 10;
		}
	}
	if ((s[i] != 'Z' && s[i] != 'z') || s[i + 1] != '\0')
		return -1;
	t->sec = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	t->nsec = ns;
	return 0;
}

static int
time_cmp(const struct mtime *a, const struct mtime *b)
{
	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	if (a->nsec != b->nsec)
		return a->nsec < b->nsec ? -1 : 1;
	return 0;
}

static double
time_diff(const struct mtime *a, const struct mtime *b)
{
	return (double)(a->sec - b->sec) + (a->nsec - b->nsec) / 1e9;
}

/* ---- IP ---- */

struct cidr {
	int		family;
	uint8_t		addr[16];
	int		prefix;
};

static int
parse_cidr(const char *s, struct cidr *c)
{
	char		 host[64];
	const char	*slash = strchr(s, '/');
	size_t		 n = slash ? (size_t)(slash - s) : strlen(s);
	int		 max, bits = -1;

	if (n == 0 || n >= sizeof(host))
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	memset(c, 0, sizeof(*c));
	if (inet_pton(AF_INET, host, c->addr) == 1) {
		c->family = 4;
		max = 32;
	} else if (inet_pton(AF_INET6, host, c->addr) == 1) {
		c->family = 6;
		max = 128;
	} else
		return -1;
	if (slash != NULL) {
		if (slash[1] == '\0' || strlen(slash + 1) > 3 ||
		    dig(slash + 1, (int)strlen(slash + 1), &bits) < 0 ||
		    bits > max)
			return -1;
	}
	c->prefix = bits < 0 ? max : bits;
	return 0;
}

/* a lies within b */
static int
cidr_in(const struct cidr *a, const struct cidr *b)
{
	int	i, full, rest;

	if (a->family != b->family || a->prefix < b->prefix)
		return 0;
	full = b->prefix / 8;
	rest = b->prefix % 8;
	for (i = 0; i < full; i++)
		if (a->addr[i] != b->addr[i])
			return 0;
	if (rest != 0) {
		uint8_t	mask = (uint8_t)(0xff << (8 - rest));

		if ((a->addr[full] & mask) != (b->addr[full] & mask))
			return 0;
	}
	return 1;
}

/* ---- LIKE ---- */

static size_t
u8len(const char *s)
{
	unsigned char	c = (unsigned char)*s;
	size_t		n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	size_t		i;

	for (i = 1; i < n; i++)
		if (s[i] == '\0')
			return i;
	return n;
}

/* SQL LIKE with backtracking to the last '%': O(len(s) * len(p)). */
static int
like_match(const char *s, const char *p)
{
	const char	*star = NULL, *mark = NULL;

	while (*s != '\0') {
		if (*p == '%') {
			star = ++p;
			mark = s;
		} else if (*p == '_') {
			p++;
			s += u8len(s);
		} else if (*p != '\0' && *p == *s) {
			p++;
			s++;
		} else if (star != NULL) {
			p = star;
			mark += u8len(mark);
			s = mark;
		} else
			return 0;
	}
	while (*p == '%')
		p++;
	return *p == '\0';
}

/* ---- values ---- */

static int
num_cmp(double a, double b)
{
	return a < b ? -1 : a > b ? 1 : 0;
}

/* Order of v against literal l: -1/0/1 into *ord, or -1 if incomparable. */
static int
value_order(const struct pattern_lit *l, const json_t *v, int *ord)
{
	struct mtime	a, b;
	const char	*s = json_string_value(v);
	int		 c;

	switch (l->kind) {
	case PATTERN_LIT_INT:
		if (json_is_integer(v)) {
			json_int_t	i = json_integer_value(v);

			*ord = i < l->i ? -1 : i > l->i ? 1 : 0;
			return 0;
		}
		if (json_is_real(v)) {
			*ord = num_cmp(json_real_value(v), (double)l->i);
			return 0;
		}
		return -1;
	case PATTERN_LIT_FLOAT:
		if (!json_is_number(v))
			return -1;
		*ord = num_cmp(json_number_value(v), l->f);
		return 0;
	case PATTERN_LIT_BOOL:
		if (!json_is_boolean(v))
			return -1;
		*ord = (json_is_true(v) ? 1 : 0) == l->b ? 0 : 1;
		return 0;
	case PATTERN_LIT_STRING:
	case PATTERN_LIT_BINARY:
		if (s == NULL)
			return -1;
		c = strcmp(s, l->str);
		*ord = c < 0 ? -1 : c > 0;
		return 0;
	case PATTERN_LIT_HEX:
		if (s == NULL)
			return -1;
		c = strcasecmp(s, l->str);
		*ord = c < 0 ? -1 : c > 0;
		return 0;
	case PATTERN_LIT_TIMESTAMP:
		if (parse_time(s, &a) < 0 || parse_time(l->str, &b) < 0)
			return -1;
		*ord = time_cmp(&a, &b);
		return 0;
	case PATTERN_LIT_SET:
		break;
	}
	return -1;
}

static pcre2_code *
regex_get(struct mctx *m, const struct pattern_cmp *c)
{
	struct regex_cache	*r;
	PCRE2_SIZE		 eoff;
	int			 ecode;
	size_t			 i;

	for (i = 0; i < m->nrx; i++)
		if (m->rx[i].cmp == c)
			return m->rx[i].code;
	r = realloc(m->rx, (m->nrx + 1) * sizeof(*r));
	if (r == NULL)
		return NULL;
	m->rx = r;
	r[m->nrx].cmp = c;
	r[m->nrx].code = pcre2_compile((PCRE2_SPTR)c->lit.str,
	    PCRE2_ZERO_TERMINATED, PCRE2_UTF, &ecode, &eoff, NULL);
	return r[m->nrx++].code;
}

/* 1 holds, 0 does not, -1 incomparable. */
static int
test_value(struct mctx *m, const struct pattern_cmp *c, const json_t *v)
{
	const char	*s = json_string_value(v);
	struct cidr	 a, b;
	pcre2_code	*re;
	size_t		 i;
	int		 ord, any = -1, rc;

	switch (c->op) {
	case PATTERN_OP_EQ: case PATTERN_OP_NE: case PATTERN_OP_LT:
	case PATTERN_OP_LE: case PATTERN_OP_GT: case PATTERN_OP_GE:
		if (value_order(&c->lit, v, &ord) < 0)
			return -1;
		switch (c->op) {
		case PATTERN_OP_EQ: return ord == 0;
		case PATTERN_OP_NE: return ord != 0;
		case PATTERN_OP_LT: return ord < 0;
		case PATTERN_OP_LE: return ord <= 0;
		case PATTERN_OP_GT: return ord > 0;
		default: return ord >= 0;
		}
	case PATTERN_OP_IN:
		for (i = 0; i < c->lit.nitems; i++) {
			if (value_order(&c->lit.items[i], v, &ord) < 0)
				continue;
			if (ord == 0)
				return 1;
			any = 0;
		}
		return any;
	case PATTERN_OP_LIKE:
		return s == NULL ? -1 : like_match(s, c->lit.str);
	case PATTERN_OP_MATCHES:
		if (s == NULL || (re = regex_get(m, c)) == NULL)
			return -1;
		rc = pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, m->md,
		    m->mctx);
		return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
	case PATTERN_OP_ISSUBSET:
	case PATTERN_OP_ISSUPERSET:
		if (s == NULL || parse_cidr(s, &a) < 0 ||
		    parse_cidr(c->lit.str, &b) < 0 || a.family != b.family)
			return -1;
		return c->op == PATTERN_OP_ISSUBSET ? cidr_in(&a, &b) :
		    cidr_in(&b, &a);
	case PATTERN_OP_EXISTS:
		return 1;
	}
	return -1;
}

/* ---- paths ---- */

struct walk {
	struct mctx			*m;
	const struct observation	*o;
	const struct pattern_cmp	*c;
	int				 found;
	int				 rc;
};

static const json_t *
resolve(const struct walk *w, const char *ref)
{
	const json_t	*t;

	if (w->o->objects != NULL &&
	    (t = json_object_get(w->o->objects, ref)) != NULL)
		return t;
	if (w->m->byid != NULL)
		return json_object_get(w->m->byid, ref);
	return NULL;
}

static void
walk_path(struct walk *w, size_t step, const json_t *v, int hops)
{
	const struct pattern_step	*st;
	const char			*k;
	const json_t			*x;
	size_t				 i;
	int				 r;

	if (w->found || w->rc < 0)
		return;
	if (++w->m->work > MATCH_MAX_WORK) {
		w->rc = tx_err_set(w->m->err, TX_ELIMIT, "match work limit");
		return;
	}
	if (step == w->c->path.nsteps) {
		r = test_value(w->m, w->c, v);
		if (r >= 0 && (w->c->negated ? !r : r))
			w->found = 1;
		return;
	}
	st = &w->c->path.steps[step];
	if (json_is_string(v) && hops < MATCH_MAX_DEPTH &&
	    (x = resolve(w, json_string_value(v))) != NULL && json_is_object(x)) {
		walk_path(w, step, x, hops + 1);
		return;
	}
	switch (st->kind) {
	case PATTERN_STEP_KEY:
		if ((x = json_object_get(v, st->key)) != NULL)
			walk_path(w, step + 1, x, hops);
		break;
	case PATTERN_STEP_INDEX:
		if (st->index >= 0 && (x = json_array_get(v,
		    (size_t)st->index)) != NULL)
			walk_path(w, step + 1, x, hops);
		break;
	case PATTERN_STEP_ANY:
		if (json_is_array(v))
			for (i = 0; i < json_array_size(v); i++)
				walk_path(w, step + 1, json_array_get(v, i),
				    hops);
		else if (json_is_object(v))
			json_object_foreach((json_t *)v, k, x)
				walk_path(w, step + 1, x, hops);
		break;
	}
}

/* 1/0, or a negative code. */
static int
eval_cmp(struct mctx *m, const struct observation *o,
    const struct pattern_cmp *c)
{
	struct walk	 w;
	const char	*t;
	size_t		 i;
	int		 r;

	switch (c->kind) {
	case PATTERN_CMP_GROUP:
		return eval_cmp(m, o, c->left);
	case PATTERN_CMP_AND:
	case PATTERN_CMP_OR:
		if ((r = eval_cmp(m, o, c->left)) < 0)
			return r;
		if (r == (c->kind == PATTERN_CMP_OR))
			return r;
		return eval_cmp(m, o, c->right);
	case PATTERN_CMP_TEST:
		break;
	}
	memset(&w, 0, sizeof(w));
	w.m = m;
	w.o = o;
	w.c = c;
	for (i = 0; i < o->nscos && !w.found && w.rc == 0; i++) {
		t = json_string_value(json_object_get(o->scos[i], "type"));
		if (t == NULL || strcmp(t, c->path.type) != 0)
			continue;
		walk_path(&w, 0, o->scos[i], 0);
	}
	return w.rc < 0 ? w.rc : w.found;
}

/* ---- bindings ---- */

static void
bs_free(struct bindset *b)
{
	free(b->m);
	free(b->h);
	memset(b, 0, sizeof(*b));
}

static int
bs_add(struct mctx *m, struct bindset *b, uint64_t mask)
{
	size_t	i;

	if (b->h == NULL) {
		b->hcap = 2 * MATCH_MAX_BINDINGS;
		b->h = calloc(b->hcap, sizeof(*b->h));
		b->m = calloc(MATCH_MAX_BINDINGS, sizeof(*b->m));
		if (b->h == NULL || b->m == NULL)
			return tx_err_set(m->err, TX_ENOMEM, "out of memory");
	}
	i = (size_t)((mask * 0x9e3779b97f4a7c15ULL) >> 40) & (b->hcap - 1);
	while (b->h[i] != 0) {
		if (b->h[i] == mask)
			return 0;
		i = (i + 1) & (b->hcap - 1);
	}
	if (b->n == MATCH_MAX_BINDINGS)
		return tx_err_set(m->err, TX_ELIMIT, "more than %d candidate "
		    "matches", MATCH_MAX_BINDINGS);
	b->h[i] = mask;
	b->m[b->n++] = mask;
	return 0;
}

/* Time span of a binding: 0 if some observation has no time. */
static int
span(const struct mctx *m, uint64_t mask, struct mtime *first,
    struct mtime *last)
{
	size_t	i;
	int	any = 0;

	for (i = 0; i < m->nobs; i++) {
		if (!(mask & ((uint64_t)1 << i)))
			continue;
		if (!m->obs[i].has_time)
			return 0;
		if (!any || time_cmp(&m->obs[i].first, first) < 0)
			*first = m->obs[i].first;
		if (!any || time_cmp(&m->obs[i].last, last) > 0)
			*last = m->obs[i].last;
		any = 1;
	}
	return any;
}

static int
keeps(const struct mctx *m, const struct pattern_qual *q, uint64_t mask)
{
	struct mtime	f, l, a, b;

	if (!span(m, mask, &f, &l))
		return 0;
	if (q->kind == PATTERN_QUAL_WITHIN)
		return time_diff(&l, &f) <= q->seconds;
	if (parse_time(q->start, &a) < 0 || parse_time(q->stop, &b) < 0)
		return 0;
	return time_cmp(&a, &f) <= 0 && time_cmp(&l, &b) < 0;
}

/* FOLLOWEDBY: everything in x ended before anything in y began. */
static int
before(const struct mctx *m, uint64_t x, uint64_t y)
{
	struct mtime	xf, xl, yf, yl;

	if (!span(m, x, &xf, &xl) || !span(m, y, &yf, &yl))
		return 0;
	return time_cmp(&xl, &yf) <= 0;
}

static int
join(struct mctx *m, const struct bindset *a, const struct bindset *b,
    int followed, struct bindset *out)
{
	size_t	i, j;
	int	rc;

	for (i = 0; i < a->n; i++)
		for (j = 0; j < b->n; j++) {
			if (++m->work > MATCH_MAX_WORK)
				return tx_err_set(m->err, TX_ELIMIT,
				    "match work limit");
			if ((a->m[i] & b->m[j]) != 0)
				continue;
			if (followed && !before(m, a->m[i], b->m[j]))
				continue;
			if ((rc = bs_add(m, out, a->m[i] | b->m[j])) < 0)
				return rc;
		}
	return 0;
}

static int
apply_qual(struct mctx *m, const struct pattern_qual *q, struct bindset *b)
{
	struct bindset	base, acc, next;
	int64_t		k;
	size_t		i;
	int		rc = 0;

	if (q->kind != PATTERN_QUAL_REPEATS) {
		memset(&next, 0, sizeof(next));
		for (i = 0; i < b->n && rc == 0; i++)
			if (keeps(m, q, b->m[i]))
				rc = bs_add(m, &next, b->m[i]);
		bs_free(b);
		*b = next;
		return rc;
	}
	if (q->times == 1)
		return 0;
	base = *b;
	memset(b, 0, sizeof(*b));
	if ((uint64_t)q->times > m->nobs) {
		bs_free(&base);
		return 0;
	}
	/* n disjoint bindings: grow by one base binding per round */
	acc = base;
	for (k = 1; k < q->times; k++) {
		memset(&next, 0, sizeof(next));
		rc = join(m, &acc, &base, 0, &next);
		if (acc.m != base.m)
			bs_free(&acc);
		acc = next;
		if (rc < 0 || acc.n == 0)
			break;
	}
	bs_free(&base);
	if (rc < 0) {
		bs_free(&acc);
		return rc;
	}
	*b = acc;
	return 0;
}

static int
eval_obs(struct mctx *m, const struct pattern_obs *o, struct bindset *out)
{
	struct bindset	l, r;
	size_t		i;
	int		rc = 0, hit;

	memset(out, 0, sizeof(*out));
	memset(&l, 0, sizeof(l));
	memset(&r, 0, sizeof(r));
	switch (o->kind) {
	case PATTERN_OBS_SIMPLE:
		for (i = 0; i < m->nobs && rc == 0; i++) {
			hit = eval_cmp(m, &m->obs[i], o->cmp);
			if (hit < 0)
				rc = hit;
			else if (hit)
				rc = bs_add(m, out, (uint64_t)1 << i);
		}
		break;
	case PATTERN_OBS_GROUP:
		rc = eval_obs(m, o->left, out);
		break;
	case PATTERN_OBS_AND:
	case PATTERN_OBS_OR:
	case PATTERN_OBS_FOLLOWEDBY:
		if ((rc = eval_obs(m, o->left, &l)) < 0 ||
		    (rc = eval_obs(m, o->right, &r)) < 0)
			break;
		if (o->kind == PATTERN_OBS_OR) {
			for (i = 0; i < l.n && rc == 0; i++)
				rc = bs_add(m, out, l.m[i]);
			for (i = 0; i < r.n && rc == 0; i++)
				rc = bs_add(m, out, r.m[i]);
		} else
			rc = join(m, &l, &r, o->kind == PATTERN_OBS_FOLLOWEDBY,
			    out);
		break;
	}
	bs_free(&l);
	bs_free(&r);
	for (i = 0; i < o->nquals && rc == 0; i++)
		rc = apply_qual(m, &o->quals[i], out);
	if (rc < 0)
		bs_free(out);
	return rc;
}

/* ---- input ---- */

static int
add_obs(struct mctx *m, struct observation **slot)
{
	if (m->nobs == MATCH_MAX_OBS)
		return tx_err_set(m->err, TX_ELIMIT, "more than %d "
		    "observations", MATCH_MAX_OBS);
	*slot = &m->obs[m->nobs++];
	memset(*slot, 0, sizeof(**slot));
	return 0;
}

static int
add_sco(struct mctx *m, struct observation *o, const json_t *sco)
{
	if (!json_is_object(sco))
		return 0;
	if (o->nscos == sizeof(o->scos) / sizeof(o->scos[0]))
		return tx_err_set(m->err, TX_ELIMIT, "too many objects in one "
		    "observation");
	o->scos[o->nscos++] = sco;
	return 0;
}

static int
add_observed_data(struct mctx *m, const json_t *od)
{
	struct observation	*o = NULL;
	const json_t		*objs, *refs, *v;
	const char		*k;
	size_t			 i;
	int			 rc;

	if ((rc = add_obs(m, &o)) < 0)
		return rc;
	o->has_time = parse_time(json_string_value(json_object_get(od,
	    "first_observed")), &o->first) == 0 &&
	    parse_time(json_string_value(json_object_get(od,
	    "last_observed")), &o->last) == 0;
	objs = json_object_get(od, "objects");
	if (json_is_object(objs)) {
		o->objects = objs;
		json_object_foreach((json_t *)objs, k, v)
			if ((rc = add_sco(m, o, v)) < 0)
				return rc;
	}
	refs = json_object_get(od, "object_refs");
	for (i = 0; i < json_array_size(refs); i++) {
		k = json_string_value(json_array_get(refs, i));
		if (k != NULL && m->byid != NULL &&
		    (rc = add_sco(m, o, json_object_get(m->byid, k))) < 0)
			return rc;
	}
	return 0;
}

static int
is_type(const json_t *o, const char *t)
{
	const char	*s = json_string_value(json_object_get(o, "type"));

	return s != NULL && strcmp(s, t) == 0;
}

/* A list of objects: observed-data become observations, or, when there is
 * none, every object is a bare observation. */
static int
add_list(struct mctx *m, const json_t *list, json_t *byid)
{
	const json_t	*v;
	const char	*id;
	size_t		 i;
	int		 rc, nod = 0;
	struct observation *o = NULL;

	for (i = 0; i < json_array_size(list); i++) {
		v = json_array_get(list, i);
		if ((id = json_string_value(json_object_get(v, "id"))) != NULL &&
		    json_object_set(byid, id, (json_t *)v) < 0)
			return tx_err_set(m->err, TX_ENOMEM, "out of memory");
		nod += is_type(v, "observed-data");
	}
	m->byid = byid;
	for (i = 0; i < json_array_size(list); i++) {
		v = json_array_get(list, i);
		if (!json_is_object(v))
			continue;
		if (nod > 0 && !is_type(v, "observed-data"))
			continue;
		if (nod > 0)
			rc = add_observed_data(m, v);
		else if ((rc = add_obs(m, &o)) == 0)
			rc = add_sco(m, o, v);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int
load(struct mctx *m, const json_t *data, json_t *byid)
{
	struct observation	*o = NULL;
	int			 rc;

	if (json_is_array(data))
		return add_list(m, data, byid);
	if (!json_is_object(data) || !json_is_string(json_object_get(data,
	    "type")))
		return tx_err_set(m->err, TX_EINVAL, "not a STIX object, "
		    "bundle or list of objects");
	if (is_type(data, "bundle"))
		return add_list(m, json_object_get(data, "objects"), byid);
	if (is_type(data, "observed-data"))
		return add_observed_data(m, data);
	if ((rc = add_obs(m, &o)) < 0)
		return rc;
	return add_sco(m, o, data);
}

int
pattern_match(int *out, const struct pattern *p, const json_t *data,
    struct tx_err *err)
{
	struct mctx	 m;
	struct bindset	 b;
	json_t		*byid = NULL;
	size_t		 i;
	int		 rc;

	memset(&m, 0, sizeof(m));
	memset(&b, 0, sizeof(b));
	m.err = err;
	m.obs = calloc(MATCH_MAX_OBS, sizeof(*m.obs));
	byid = json_object();
	m.mctx = pcre2_match_context_create(NULL);
	m.md = pcre2_match_data_create(16, NULL);
	if (m.obs == NULL || byid == NULL || m.mctx == NULL || m.md == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto out;
	}
	/* no regex may hang the node: bounded backtracking and memory */
	pcre2_set_match_limit(m.mctx, 100000);
	pcre2_set_depth_limit(m.mctx, 1000);
	pcre2_set_heap_limit(m.mctx, 8192);	/* KiB */
	if ((rc = load(&m, data, byid)) < 0)
		goto out;
	if ((rc = eval_obs(&m, p->root, &b)) < 0)
		goto out;
	*out = b.n > 0;
out:
	bs_free(&b);
	for (i = 0; i < m.nrx; i++)
		pcre2_code_free(m.rx[i].code);
	free(m.rx);
	pcre2_match_data_free(m.md);
	pcre2_match_context_free(m.mctx);
	json_decref(byid);
	free(m.obs);
	return rc;
}
