/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pattern_parse.c - lexer and recursive-descent parser of the STIX 2.1
 * patterning language (STIXPattern.g4), building the AST of pattern.h.
 *
 * Trusts nothing in the input: it must be valid UTF-8 without NUL bytes,
 * at most PATTERN_MAX_LEN bytes, with at most PATTERN_MAX_DEPTH nested
 * parentheses. Binary operators are parsed by loops (left associative), so
 * only parentheses grow the C stack. Besides the grammar, two rules of the
 * reference validator are applied: values compared with a known hash
 * algorithm (hashes.MD5, hashes.'SHA-256'...) must have that hash's form,
 * and one simple observation may not carry two qualifiers of one kind.
 */
#include "pattern.h"
#include "utf8.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tok {
	T_EOF, T_LBRACK, T_RBRACK, T_LPAREN, T_RPAREN, T_COLON, T_DOT,
	T_COMMA, T_STAR, T_EQ, T_NEQ, T_LT, T_LE, T_GT, T_GE,
	T_AND, T_OR, T_NOT, T_FOLLOWEDBY, T_LIKE, T_MATCHES, T_ISSUPERSET,
	T_ISSUBSET, T_EXISTS, T_LAST, T_IN, T_START, T_STOP, T_SECONDS,
	T_WITHIN, T_REPEATS, T_TIMES, T_TRUE, T_FALSE,
	T_IDENT, T_IDENT_HYPHEN, T_STRING, T_INT, T_FLOAT, T_HEX, T_BINARY,
	T_TIMESTAMP
};

static const struct {
	const char	*word;
	enum tok	 tok;
} keywords[] = {
	{ "AND", T_AND }, { "OR", T_OR }, { "NOT", T_NOT },
	{ "FOLLOWEDBY", T_FOLLOWEDBY }, { "LIKE", T_LIKE },
	{ "MATCHES", T_MATCHES }, { "ISSUPERSET", T_ISSUPERSET },
	{ "ISSUBSET", T_ISSUBSET }, { "EXISTS", T_EXISTS }, { "LAST", T_LAST },
	{ "IN", T_IN }, { "START", T_START }, { "STOP", T_STOP },
	{ "SECONDS", T_SECONDS }, { "WITHIN", T_WITHIN },
	{ "REPEATS", T_REPEATS }, { "TIMES", T_TIMES }, { "true", T_TRUE },
	{ "false", T_FALSE }
};

struct parser {
	const char	*s;
	size_t		 len;
	size_t		 at;		/* next byte to lex */
	enum tok	 tok;		/* current token */
	size_t		 tstart, tlen;	/* its bytes */
	int		 depth;
	size_t		 errbyte;
	struct tx_err	*err;
};

static int	parse_obs_expr(struct parser *, struct pattern_obs **);
static int	parse_cmp_or(struct parser *, struct pattern_cmp **);

static int
perr(struct parser *ps, size_t byte, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
perr(struct parser *ps, size_t byte, int code, const char *fmt, ...)
{
	va_list	ap;
	char	msg[TX_ERR_MSG_MAX];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ps->errbyte = byte;
	return tx_err_set(ps->err, code, "%s", msg);
}

/* Code points before byte offset b (the input is valid UTF-8). */
static size_t
char_pos(const char *s, size_t b)
{
	size_t	i, n = 0;

	for (i = 0; i < b; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/* Length of the valid UTF-8 sequence at s[i], or 0. */
/* Bytes of the character at s[i] (a NUL or invalid UTF-8: 0). */
static size_t
utf8_seq(const unsigned char *s, size_t len, size_t i)
{
	uint32_t	cp;

	if (s[i] < 0x80)
		return s[i] == 0 ? 0 : 1;
	return tx_utf8_seq(s + i, len - i, &cp);
}

/* Bytes of the whitespace character at s[i] (the grammar's WS), or 0. */
static size_t
ws_len(const struct parser *ps, size_t i)
{
	const unsigned char	*u = (const unsigned char *)ps->s;
	size_t			 left = ps->len - i;

	if (u[i] == ' ' || (u[i] >= '\t' && u[i] <= '\r'))
		return 1;
	if (left >= 2 && u[i] == 0xc2 && (u[i + 1] == 0x85 ||
	    u[i + 1] == 0xa0))
		return 2;
	if (left < 3)
		return 0;
	if (u[i] == 0xe1 && u[i + 1] == 0x9a && u[i + 2] == 0x80)
		return 3;
	if (u[i] == 0xe2 && u[i + 1] == 0x80 && ((u[i + 2] >= 0x80 &&
	    u[i + 2] <= 0x8a) || u[i + 2] == 0xa8 || u[i + 2] == 0xa9 ||
	    u[i + 2] == 0xaf))
		return 3;
	if (u[i] == 0xe2 && u[i + 1] == 0x81 && u[i + 2] == 0x9f)
		return 3;
	if (u[i] == 0xe3 && u[i + 1] == 0x80 && u[i + 2] == 0x80)
		return 3;
	return 0;
}

/* Skip whitespace and comments; 0 or an error (unterminated comment). */
static int
skip_space(struct parser *ps)
{
	size_t	n;

	while (ps->at < ps->len) {
		n = ws_len(ps, ps->at);
		if (n > 0) {
			ps->at += n;
			continue;
		}
		if (ps->s[ps->at] != '/' || ps->at + 1 >= ps->len)
			break;
		if (ps->s[ps->at + 1] == '/') {
			while (ps->at < ps->len && ps->s[ps->at] != '\n' &&
			    ps->s[ps->at] != '\r')
				ps->at++;
		} else if (ps->s[ps->at + 1] == '*') {
			size_t	start = ps->at;

			ps->at += 2;
			for (;;) {
				if (ps->at + 1 >= ps->len)
					return perr(ps, start, TX_EINVAL,
					    "unterminated comment");
				if (ps->s[ps->at] == '*' &&
				    ps->s[ps->at + 1] == '/')
					break;
				ps->at++;
			}
			ps->at += 2;
		} else
			break;
	}
	return 0;
}

static int
is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int
is_ident_char(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static int
is_b64(char c)
{
	return isalnum((unsigned char)c) || c == '+' || c == '/';
}

/* A quoted string starting at i (the quote); sets *end past the quote. */
static int
lex_string(struct parser *ps, size_t i, size_t *end)
{
	size_t	j = i + 1;

	for (;;) {
		if (j >= ps->len)
			return perr(ps, i, TX_EINVAL,
			    "unterminated string literal");
		if (ps->s[j] == '\'')
			break;
		if (ps->s[j] == '\\') {
			if (j + 1 >= ps->len || (ps->s[j + 1] != '\'' &&
			    ps->s[j + 1] != '\\'))
				return perr(ps, j, TX_EINVAL, "invalid escape "
				    "in string literal (only \\' and \\\\)");
			j += 2;
			continue;
		}
		j++;
	}
	*end = j + 1;
	return 0;
}

static int
digits(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
num2(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/*
 * The grammar's TimestampLiteral body: YYYY-MM-DDTHH:MM:SS[.frac]Z with
 * month 01-12, day 01-31, hour 00-23, minute 00-59, second 00-60. Like the
 * grammar (and the reference validator) the day is not checked against the
 * month. Returns NULL or what is wrong.
 */
static const char *
check_timestamp(const char *s, size_t n)
{
	size_t	i;
	int	mo, d, h, mi, se;

	if (n < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || !digits(s, 4) ||
	    !digits(s + 5, 2) || !digits(s + 8, 2) || !digits(s + 11, 2) ||
	    !digits(s + 14, 2) || !digits(s + 17, 2))
		return "timestamp must be YYYY-MM-DDTHH:MM:SS[.s]Z";
	mo = num2(s + 5);
	d = num2(s + 8);
	h = num2(s + 11);
	mi = num2(s + 14);
	se = num2(s + 17);
	if (mo < 1 || mo > 12)
		return "timestamp month out of range";
	if (d < 1 || d > 31)
		return "timestamp day out of range";
	if (h > 23 || mi > 59 || se > 60)
		return "timestamp time of day out of range";
	i = 19;
	if (s[i] == '.') {
		i++;
		if (i >= n || !digits(s + i, 1))
			return "timestamp fraction needs digits";
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i + 1 != n || s[i] != 'Z')
		return "timestamp must end in Z (UTC)";
	return NULL;
}

/* h'..', b'..', t'..' at i; the prefix letter is s[i]. */
static int
lex_typed(struct parser *ps, size_t i, enum tok *tok, size_t *end)
{
	size_t		 j = i + 2, n;
	const char	*why;
	char		 c = ps->s[i];

	while (j < ps->len && ps->s[j] != '\'')
		j++;
	if (j >= ps->len)
		return perr(ps, i, TX_EINVAL, "unterminated %c'' literal", c);
	n = j - (i + 2);
	*end = j + 1;
	if (c == 'h') {
		size_t	k;

		for (k = 0; k < n; k++)
			if (!isxdigit((unsigned char)ps->s[i + 2 + k]))
				return perr(ps, i + 2 + k, TX_EINVAL,
				    "invalid hex digit in h'' literal");
		if (n % 2 != 0)
			return perr(ps, i, TX_EINVAL,
			    "h'' literal needs an even number of digits");
		*tok = T_HEX;
		return 0;
	}
	if (c == 'b') {
		const char	*b = ps->s + i + 2;
		size_t		 k, pad = 0;

		if (n == 0 || n % 4 != 0)
			return perr(ps, i, TX_EINVAL, "b'' literal must be "
			    "non-empty base64 in groups of four");
		if (b[n - 1] == '=')
			pad = (b[n - 2] == '=') ? 2 : 1;
		/* n >= 4 and pad <= 2: a '=' left over is refused below */
		for (k = 0; k < n - pad; k++)
			if (!is_b64(b[k]))
				return perr(ps, i + 2 + k, TX_EINVAL,
				    "invalid base64 in b'' literal");
		*tok = T_BINARY;
		return 0;
	}
	why = check_timestamp(ps->s + i + 2, n);
	if (why != NULL)
		return perr(ps, i, TX_EINVAL, "%s", why);
	*tok = T_TIMESTAMP;
	return 0;
}

/* A number at i (an optional sign, then digits or '.'). */
static int
lex_number(struct parser *ps, size_t i, enum tok *tok, size_t *end)
{
	size_t	j = i, d0;

	if (ps->s[j] == '+' || ps->s[j] == '-')
		j++;
	d0 = j;
	while (j < ps->len && ps->s[j] >= '0' && ps->s[j] <= '9')
		j++;
	if (j + 1 < ps->len && ps->s[j] == '.' && ps->s[j + 1] >= '0' &&
	    ps->s[j + 1] <= '9') {
		j++;
		while (j < ps->len && ps->s[j] >= '0' && ps->s[j] <= '9')
			j++;
		*tok = T_FLOAT;
		*end = j;
		return 0;
	}
	if (j == d0)
		return perr(ps, i, TX_EINVAL, "a sign must be followed by a "
		    "number");
	if (ps->s[d0] == '0' && j - d0 > 1)
		return perr(ps, i, TX_EINVAL, "integer with a leading zero");
	*tok = T_INT;
	*end = j;
	return 0;
}

static int
lex_word(struct parser *ps, size_t i, enum tok *tok, size_t *end)
{
	size_t	j = i, k;
	int	hyphen = 0;

	while (j < ps->len && (is_ident_char(ps->s[j]) || ps->s[j] == '-')) {
		if (ps->s[j] == '-')
			hyphen = 1;
		j++;
	}
	*end = j;
	if (j == i + 1 && j < ps->len && ps->s[j] == '\'' &&
	    (ps->s[i] == 'h' || ps->s[i] == 'b' || ps->s[i] == 't'))
		return lex_typed(ps, i, tok, end);
	*tok = hyphen ? T_IDENT_HYPHEN : T_IDENT;
	for (k = 0; !hyphen && k < sizeof(keywords) / sizeof(keywords[0]);
	    k++)
		if (strlen(keywords[k].word) == j - i &&
		    memcmp(keywords[k].word, ps->s + i, j - i) == 0)
			*tok = keywords[k].tok;
	return 0;
}

/* Advance to the next token. */
static int
next(struct parser *ps)
{
	size_t	i, end;
	char	c, d;
	int	rc;

	if ((rc = skip_space(ps)) < 0)
		return rc;
	i = ps->at;
	ps->tstart = i;
	if (i >= ps->len) {
		ps->tok = T_EOF;
		ps->tlen = 0;
		return 0;
	}
	c = ps->s[i];
	d = i + 1 < ps->len ? ps->s[i + 1] : '\0';
	end = i + 1;
	switch (c) {
	case '[': ps->tok = T_LBRACK; break;
	case ']': ps->tok = T_RBRACK; break;
	case '(': ps->tok = T_LPAREN; break;
	case ')': ps->tok = T_RPAREN; break;
	case ':': ps->tok = T_COLON; break;
	case ',': ps->tok = T_COMMA; break;
	case '*': ps->tok = T_STAR; break;
	case '=':
		ps->tok = T_EQ;
		if (d == '=')
			end++;
		break;
	case '!':
		if (d != '=')
			return perr(ps, i, TX_EINVAL, "unexpected '!'");
		ps->tok = T_NEQ;
		end++;
		break;
	case '<':
		ps->tok = T_LT;
		if (d == '=' || d == '>') {
			ps->tok = d == '=' ? T_LE : T_NEQ;
			end++;
		}
		break;
	case '>':
		ps->tok = T_GT;
		if (d == '=') {
			ps->tok = T_GE;
			end++;
		}
		break;
	case '\'':
		ps->tok = T_STRING;
		if ((rc = lex_string(ps, i, &end)) < 0)
			return rc;
		break;
	case '.':
		if (d >= '0' && d <= '9') {
			if ((rc = lex_number(ps, i, &ps->tok, &end)) < 0)
				return rc;
		} else
			ps->tok = T_DOT;
		break;
	default:
		if ((c >= '0' && c <= '9') || c == '+' || c == '-') {
			if ((rc = lex_number(ps, i, &ps->tok, &end)) < 0)
				return rc;
		} else if (is_ident_start(c)) {
			if ((rc = lex_word(ps, i, &ps->tok, &end)) < 0)
				return rc;
		} else
			return perr(ps, i, TX_EINVAL,
			    "unexpected character");
	}
	ps->tlen = end - i;
	ps->at = end;
	return 0;
}

static const char *
tok_desc(enum tok t)
{
	switch (t) {
	case T_EOF: return "end of pattern";
	case T_STRING: return "string";
	case T_INT: case T_FLOAT: return "number";
	case T_IDENT: case T_IDENT_HYPHEN: return "name";
	case T_HEX: case T_BINARY: case T_TIMESTAMP: return "literal";
	default: return NULL;
	}
}

/* "expected X, found Y" at the current token. */
static int
expected(struct parser *ps, const char *what)
{
	const char	*d = tok_desc(ps->tok);
	int		 n = (int)(ps->tlen > 24 ? 24 : ps->tlen);

	if (d != NULL && ps->tok != T_IDENT && ps->tok != T_IDENT_HYPHEN)
		return perr(ps, ps->tstart, TX_EINVAL, "expected %s, found %s",
		    what, d);
	return perr(ps, ps->tstart, TX_EINVAL, "expected %s, found '%.*s'",
	    what, n, ps->s + ps->tstart);
}

static int
accept(struct parser *ps, enum tok t, const char *what)
{
	if (ps->tok != t)
		return expected(ps, what);
	return next(ps);
}

static char *
xstrndup(const char *s, size_t n)
{
	char	*p = malloc(n + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Unescape the current T_STRING token. */
static int
tok_string(struct parser *ps, char **out)
{
	const char	*s = ps->s + ps->tstart + 1;
	size_t		 n = ps->tlen - 2, i, o = 0;
	char		*p;

	if ((p = malloc(n + 1)) == NULL)
		return tx_err_set(ps->err, TX_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		if (s[i] == '\\')
			i++;
		p[o++] = s[i];
	}
	p[o] = '\0';
	*out = p;
	return 0;
}

static void
lit_dispose(struct pattern_lit *l)
{
	size_t	i;

	free(l->str);
	for (i = 0; i < l->nitems; i++)
		lit_dispose(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

static void
path_dispose(struct pattern_path *p)
{
	size_t	i;

	free(p->type);
	for (i = 0; i < p->nsteps; i++)
		free(p->steps[i].key);
	free(p->steps);
	memset(p, 0, sizeof(*p));
}

static void
cmp_free(struct pattern_cmp *c)
{
	if (c == NULL)
		return;
	cmp_free(c->left);
	cmp_free(c->right);
	path_dispose(&c->path);
	lit_dispose(&c->lit);
	free(c);
}

static void
obs_free(struct pattern_obs *o)
{
	size_t	i;

	if (o == NULL)
		return;
	obs_free(o->left);
	obs_free(o->right);
	cmp_free(o->cmp);
	for (i = 0; i < o->nquals; i++) {
		free(o->quals[i].seconds_text);
		free(o->quals[i].start);
		free(o->quals[i].stop);
	}
	free(o->quals);
	free(o);
}

void
pattern_free(struct pattern *p)
{
	if (p == NULL)
		return;
	obs_free(p->root);
	free(p);
}

static int
parse_int64(struct parser *ps, int64_t *out)
{
	char		 tmp[32];
	char		*end;
	long long	 v;
	size_t		 n = ps->tlen;
	const char	*s = ps->s + ps->tstart;

	if (*s == '+') {
		s++;
		n--;
	}
	if (n >= sizeof(tmp))
		return perr(ps, ps->tstart, TX_EINVAL, "integer out of range");
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	errno = 0;
	v = strtoll(tmp, &end, 10);
	if (errno != 0 || *end != '\0')
		return perr(ps, ps->tstart, TX_EINVAL, "integer out of range");
	*out = (int64_t)v;
	return 0;
}

/* Canonical float text: no '+', a 0 before a leading '.'. */
static int
parse_float(struct parser *ps, double *f, char **text)
{
	const char	*s = ps->s + ps->tstart;
	size_t		 n = ps->tlen;
	struct tx_buf	 b;
	char		*end;
	int		 rc;

	tx_buf_init(&b, 4096);
	if (*s == '+') {
		s++;
		n--;
	}
	if (*s == '-') {
		rc = tx_buf_addc(&b, '-');
		s++;
		n--;
	} else
		rc = 0;
	if (rc == 0 && *s == '.')
		rc = tx_buf_addc(&b, '0');
	if (rc == 0)
		rc = tx_buf_add(&b, s, n);
	if (rc < 0) {
		tx_buf_dispose(&b);
		return perr(ps, ps->tstart, rc, "number too long");
	}
	errno = 0;
	*f = strtod(tx_buf_cstr(&b), &end);
	if (errno == ERANGE && (*f > 1.0 || *f < -1.0)) {
		tx_buf_dispose(&b);
		return perr(ps, ps->tstart, TX_EINVAL, "number out of range");
	}
	*text = tx_buf_detach(&b);
	if (*text == NULL)
		return tx_err_set(ps->err, TX_ENOMEM, "out of memory");
	return 0;
}

/* One non-set literal at the current token; advances. */
static int
parse_primitive(struct parser *ps, struct pattern_lit *l)
{
	int	rc = 0;
	size_t	i;

	memset(l, 0, sizeof(*l));
	l->pos = ps->tstart;
	switch (ps->tok) {
	case T_STRING:
		l->kind = PATTERN_LIT_STRING;
		rc = tok_string(ps, &l->str);
		break;
	case T_INT:
		l->kind = PATTERN_LIT_INT;
		rc = parse_int64(ps, &l->i);
		break;
	case T_FLOAT:
		l->kind = PATTERN_LIT_FLOAT;
		rc = parse_float(ps, &l->f, &l->str);
		break;
	case T_TRUE:
	case T_FALSE:
		l->kind = PATTERN_LIT_BOOL;
		l->b = ps->tok == T_TRUE;
		break;
	case T_HEX:
	case T_BINARY:
	case T_TIMESTAMP:
		l->kind = ps->tok == T_HEX ? PATTERN_LIT_HEX :
		    ps->tok == T_BINARY ? PATTERN_LIT_BINARY :
		    PATTERN_LIT_TIMESTAMP;
		l->str = xstrndup(ps->s + ps->tstart + 2, ps->tlen - 3);
		if (l->str == NULL)
			return tx_err_set(ps->err, TX_ENOMEM, "out of memory");
		if (l->kind == PATTERN_LIT_HEX)
			for (i = 0; l->str[i] != '\0'; i++)
				l->str[i] = (char)tolower(
				    (unsigned char)l->str[i]);
		break;
	default:
		return expected(ps, "a literal value");
	}
	if (rc < 0)
		return rc;
	return next(ps);
}

static int
parse_set(struct parser *ps, struct pattern_lit *l)
{
	struct pattern_lit	*items;
	size_t			 cap = 0;
	int			 rc;

	memset(l, 0, sizeof(*l));
	l->kind = PATTERN_LIT_SET;
	l->pos = ps->tstart;
	if ((rc = accept(ps, T_LPAREN, "'(' opening a set")) < 0)
		return rc;
	if (ps->tok == T_RPAREN)
		return next(ps);
	for (;;) {
		if (l->nitems == cap) {
			cap = cap ? cap * 2 : 4;
			items = realloc(l->items, cap * sizeof(*items));
			if (items == NULL)
				return tx_err_set(ps->err, TX_ENOMEM,
				    "out of memory");
			l->items = items;
		}
		rc = parse_primitive(ps, &l->items[l->nitems]);
		if (rc < 0) {
			/* Not counted yet: what it allocated is freed here. */
			lit_dispose(&l->items[l->nitems]);
			return rc;
		}
		l->nitems++;
		if (ps->tok != T_COMMA)
			break;
		if ((rc = next(ps)) < 0)
			return rc;
	}
	return accept(ps, T_RPAREN, "',' or ')' in a set");
}

static int
path_add(struct parser *ps, struct pattern_path *p, enum pattern_step_kind k,
    char *key, int64_t index)
{
	struct pattern_step	*s;

	if ((p->nsteps & (p->nsteps - 1)) == 0 || p->nsteps == 0) {
		s = realloc(p->steps, (p->nsteps ? p->nsteps * 2 : 2) *
		    sizeof(*s));
		if (s == NULL) {
			free(key);
			return tx_err_set(ps->err, TX_ENOMEM, "out of memory");
		}
		p->steps = s;
	}
	p->steps[p->nsteps].kind = k;
	p->steps[p->nsteps].key = key;
	p->steps[p->nsteps].index = index;
	p->nsteps++;
	return 0;
}

/* A key: an identifier without hyphen, or a quoted string. */
static int
parse_key(struct parser *ps, struct pattern_path *p)
{
	char	*key = NULL;
	int	 rc;

	if (ps->tok == T_STRING) {
		if ((rc = tok_string(ps, &key)) < 0)
			return rc;
	} else if (ps->tok == T_IDENT) {
		if ((key = xstrndup(ps->s + ps->tstart, ps->tlen)) == NULL)
			return tx_err_set(ps->err, TX_ENOMEM, "out of memory");
	} else if (ps->tok == T_IDENT_HYPHEN)
		return perr(ps, ps->tstart, TX_EINVAL,
		    "a property name with '-' must be quoted");
	else
		return expected(ps, "a property name");
	if ((rc = path_add(ps, p, PATTERN_STEP_KEY, key, 0)) < 0)
		return rc;
	return next(ps);
}

static int
parse_path(struct parser *ps, struct pattern_path *p)
{
	int	rc;
	int64_t	idx;

	if (ps->tok != T_IDENT && ps->tok != T_IDENT_HYPHEN)
		return expected(ps, "an object type");
	if ((p->type = xstrndup(ps->s + ps->tstart, ps->tlen)) == NULL)
		return tx_err_set(ps->err, TX_ENOMEM, "out of memory");
	if ((rc = next(ps)) < 0)
		return rc;
	if ((rc = accept(ps, T_COLON, "':' after the object type")) < 0)
		return rc;
	if ((rc = parse_key(ps, p)) < 0)
		return rc;
	for (;;) {
		if (ps->tok == T_DOT) {
			if ((rc = next(ps)) < 0)
				return rc;
			if ((rc = parse_key(ps, p)) < 0)
				return rc;
		} else if (ps->tok == T_LBRACK) {
			if ((rc = next(ps)) < 0)
				return rc;
			if (ps->tok == T_STAR)
				rc = path_add(ps, p, PATTERN_STEP_ANY, NULL, 0);
			else if (ps->tok == T_INT) {
				if ((rc = parse_int64(ps, &idx)) < 0)
					return rc;
				rc = path_add(ps, p, PATTERN_STEP_INDEX, NULL,
				    idx);
			} else
				return expected(ps, "an index or '*'");
			if (rc < 0 || (rc = next(ps)) < 0)
				return rc;
			if ((rc = accept(ps, T_RBRACK, "']'")) < 0)
				return rc;
		} else
			return 0;
	}
}

static int
op_of(enum tok t, enum pattern_op *op)
{
	switch (t) {
	case T_EQ: *op = PATTERN_OP_EQ; return 1;
	case T_NEQ: *op = PATTERN_OP_NE; return 1;
	case T_LT: *op = PATTERN_OP_LT; return 1;
	case T_LE: *op = PATTERN_OP_LE; return 1;
	case T_GT: *op = PATTERN_OP_GT; return 1;
	case T_GE: *op = PATTERN_OP_GE; return 1;
	case T_IN: *op = PATTERN_OP_IN; return 1;
	case T_LIKE: *op = PATTERN_OP_LIKE; return 1;
	case T_MATCHES: *op = PATTERN_OP_MATCHES; return 1;
	case T_ISSUBSET: *op = PATTERN_OP_ISSUBSET; return 1;
	case T_ISSUPERSET: *op = PATTERN_OP_ISSUPERSET; return 1;
	default: return 0;
	}
}

static const struct {
	const char	*algo;	/* upper case, without '-' */
	size_t		 len[6];
} hash_forms[] = {
	{ "MD5", { 32 } }, { "MD6", { 32, 40, 56, 64, 96, 128 } },
	{ "RIPEMD160", { 40 } }, { "SHA1", { 40 } }, { "SHA224", { 56 } },
	{ "SHA256", { 64 } }, { "SHA384", { 96 } }, { "SHA512", { 128 } },
	{ "SHA3224", { 56 } }, { "SHA3256", { 64 } }, { "SHA3384", { 96 } },
	{ "SHA3512", { 128 } }, { "WHIRLPOOL", { 128 } }
};

/*
 * The reference validator's hash rule: a string compared with
 * hashes.<known algorithm> must be a hash of that algorithm.
 * Returns NULL or the algorithm whose form v lacks.
 */
static const char *
hash_mismatch(const struct pattern_path *p, const char *v)
{
	char		 algo[16];
	const char	*k;
	size_t		 i, j, n = 0, vlen = strlen(v);
	int		 in_hashes = 0;

	for (i = 0; i < p->nsteps; i++)
		if (p->steps[i].kind == PATTERN_STEP_KEY &&
		    strcmp(p->steps[i].key, "hashes") == 0)
			in_hashes = 1;
	if (!in_hashes || p->steps[p->nsteps - 1].kind != PATTERN_STEP_KEY)
		return NULL;
	k = p->steps[p->nsteps - 1].key;
	for (i = 0; k[i] != '\0'; i++) {
		if (k[i] == '-' || k[i] == '\'')
			continue;
		if (n + 1 >= sizeof(algo))
			return NULL;
		algo[n++] = (char)toupper((unsigned char)k[i]);
	}
	algo[n] = '\0';
	if (strcmp(algo, "SSDEEP") == 0) {
		if (vlen < 1 || vlen > 128)
			return "SSDEEP";
		for (i = 0; i < vlen; i++)
			if (!isalnum((unsigned char)v[i]) &&
			    strchr("/+:.", v[i]) == NULL)
				return "SSDEEP";
		return NULL;
	}
	for (i = 0; i < sizeof(hash_forms) / sizeof(hash_forms[0]); i++) {
		if (strcmp(hash_forms[i].algo, algo) != 0)
			continue;
		for (j = 0; j < vlen; j++)
			if (!isxdigit((unsigned char)v[j]))
				return hash_forms[i].algo;
		for (j = 0; j < 6 && hash_forms[i].len[j] != 0; j++)
			if (hash_forms[i].len[j] == vlen)
				return NULL;
		return hash_forms[i].algo;
	}
	return NULL;
}

static int
check_hashes(struct parser *ps, const struct pattern_cmp *c)
{
	const struct pattern_lit	*l = &c->lit;
	const char			*bad;
	size_t				 i, n = 1;

	if (c->op == PATTERN_OP_LIKE || c->op == PATTERN_OP_MATCHES ||
	    c->op == PATTERN_OP_EXISTS)
		return 0;
	if (l->kind == PATTERN_LIT_SET) {
		n = l->nitems;
		l = l->items;
	}
	for (i = 0; i < n; i++) {
		if (l[i].kind != PATTERN_LIT_STRING)
			continue;
		bad = hash_mismatch(&c->path, l[i].str);
		if (bad != NULL)
			return perr(ps, l[i].pos, TX_EINVAL,
			    "'%.64s' is not a valid %s hash", l[i].str, bad);
	}
	return 0;
}

/* path [NOT] op literal */
static int
parse_test(struct parser *ps, struct pattern_cmp *c)
{
	int	rc;

	c->kind = PATTERN_CMP_TEST;
	if (ps->tok == T_EXISTS) {
		c->op = PATTERN_OP_EXISTS;
		if ((rc = next(ps)) < 0)
			return rc;
		return parse_path(ps, &c->path);
	}
	if ((rc = parse_path(ps, &c->path)) < 0)
		return rc;
	if (ps->tok == T_NOT) {
		c->negated = 1;
		if ((rc = next(ps)) < 0)
			return rc;
	}
	if (!op_of(ps->tok, &c->op))
		return expected(ps, "a comparison operator");
	if ((rc = next(ps)) < 0)
		return rc;
	switch (c->op) {
	case PATTERN_OP_EQ:
	case PATTERN_OP_NE:
		rc = parse_primitive(ps, &c->lit);
		break;
	case PATTERN_OP_LT: case PATTERN_OP_LE:
	case PATTERN_OP_GT: case PATTERN_OP_GE:
		if (ps->tok == T_TRUE || ps->tok == T_FALSE)
			return perr(ps, ps->tstart, TX_EINVAL,
			    "booleans are not ordered");
		rc = parse_primitive(ps, &c->lit);
		break;
	case PATTERN_OP_IN:
		rc = parse_set(ps, &c->lit);
		break;
	default:
		if (ps->tok != T_STRING)
			return perr(ps, ps->tstart, TX_EINVAL, "%s needs a "
			    "string literal", pattern_op_name(c->op));
		rc = parse_primitive(ps, &c->lit);
		break;
	}
	if (rc < 0)
		return rc;
	return check_hashes(ps, c);
}

static int
cmp_new(struct parser *ps, struct pattern_cmp **out)
{
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return tx_err_set(ps->err, TX_ENOMEM, "out of memory");
	(*out)->pos = ps->tstart;
	return 0;
}

static int
enter(struct parser *ps)
{
	if (++ps->depth > PATTERN_MAX_DEPTH)
		return perr(ps, ps->tstart, TX_ELIMIT, "nesting deeper than "
		    "%d", PATTERN_MAX_DEPTH);
	return 0;
}

static int
parse_cmp_atom(struct parser *ps, struct pattern_cmp **out)
{
	struct pattern_cmp	*c = NULL;
	int			 rc;

	if ((rc = cmp_new(ps, &c)) < 0)
		return rc;
	if (ps->tok == T_LPAREN) {
		c->kind = PATTERN_CMP_GROUP;
		if ((rc = enter(ps)) < 0 || (rc = next(ps)) < 0 ||
		    (rc = parse_cmp_or(ps, &c->left)) < 0 ||
		    (rc = accept(ps, T_RPAREN, "')' or AND/OR")) < 0)
			goto out;
		ps->depth--;
	} else if (ps->tok == T_IDENT || ps->tok == T_IDENT_HYPHEN ||
	    ps->tok == T_EXISTS) {
		if ((rc = parse_test(ps, c)) < 0)
			goto out;
	} else {
		rc = expected(ps, "a comparison");
		goto out;
	}
	*out = c;
	c = NULL;
out:
	cmp_free(c);
	return rc;
}

/* Left-associative chain of sub-expressions joined by one operator. */
static int
cmp_join(struct parser *ps, struct pattern_cmp **acc, enum pattern_cmp_kind k,
    struct pattern_cmp *rhs)
{
	struct pattern_cmp	*n;

	if ((n = calloc(1, sizeof(*n))) == NULL) {
		cmp_free(rhs);
		return tx_err_set(ps->err, TX_ENOMEM, "out of memory");
	}
	n->kind = k;
	n->left = *acc;
	n->right = rhs;
	n->pos = (*acc)->pos;
	*acc = n;
	return 0;
}

static int
parse_cmp_and(struct parser *ps, struct pattern_cmp **out)
{
	struct pattern_cmp	*acc = NULL, *rhs;
	int			 rc;

	if ((rc = parse_cmp_atom(ps, &acc)) < 0)
		return rc;
	while (ps->tok == T_AND) {
		if ((rc = next(ps)) < 0 ||
		    (rc = parse_cmp_atom(ps, &rhs)) < 0 ||
		    (rc = cmp_join(ps, &acc, PATTERN_CMP_AND, rhs)) < 0) {
			cmp_free(acc);
			return rc;
		}
	}
	*out = acc;
	return 0;
}

static int
parse_cmp_or(struct parser *ps, struct pattern_cmp **out)
{
	struct pattern_cmp	*acc = NULL, *rhs;
	int			 rc;

	if ((rc = parse_cmp_and(ps, &acc)) < 0)
		return rc;
	while (ps->tok == T_OR) {
		if ((rc = next(ps)) < 0 ||
		    (rc = parse_cmp_and(ps, &rhs)) < 0 ||
		    (rc = cmp_join(ps, &acc, PATTERN_CMP_OR, rhs)) < 0) {
			cmp_free(acc);
			return rc;
		}
	}
	*out = acc;
	return 0;
}

static int
parse_qual(struct parser *ps, struct pattern_obs *o)
{
	struct pattern_qual	*q;
	enum pattern_qual_kind	 k;
	size_t			 i, qpos = ps->tstart;
	int			 rc;

	k = ps->tok == T_WITHIN ? PATTERN_QUAL_WITHIN :
	    ps->tok == T_REPEATS ? PATTERN_QUAL_REPEATS :
	    PATTERN_QUAL_STARTSTOP;
	/* The reference validator's rule: on a simple observation each
	 * kind of qualifier at most once (a group may stack them). */
	if (o->kind == PATTERN_OBS_SIMPLE)
		for (i = 0; i < o->nquals; i++)
			if (o->quals[i].kind == k)
				return perr(ps, qpos, TX_EINVAL, "duplicate "
				    "%.*s qualifier on one observation",
				    (int)ps->tlen, ps->s + ps->tstart);
	q = realloc(o->quals, (o->nquals + 1) * sizeof(*q));
	if (q == NULL)
		return tx_err_set(ps->err, TX_ENOMEM, "out of memory");
	o->quals = q;
	q = &o->quals[o->nquals++];
	memset(q, 0, sizeof(*q));
	q->kind = k;
	if ((rc = next(ps)) < 0)
		return rc;
	switch (k) {
	case PATTERN_QUAL_WITHIN:
		if (ps->tok == T_INT && ps->s[ps->tstart] != '-') {
			if ((rc = parse_int64(ps, &q->times)) < 0)
				return rc;
			q->seconds = (double)q->times;
			q->times = 0;
			q->seconds_text = xstrndup(ps->s + ps->tstart +
			    (ps->s[ps->tstart] == '+'), ps->tlen -
			    (ps->s[ps->tstart] == '+'));
			if (q->seconds_text == NULL)
				return tx_err_set(ps->err, TX_ENOMEM,
				    "out of memory");
		} else if (ps->tok == T_FLOAT && ps->s[ps->tstart] != '-') {
			rc = parse_float(ps, &q->seconds, &q->seconds_text);
			if (rc < 0)
				return rc;
		} else
			return expected(ps, "a positive number of seconds");
		if (!(q->seconds > 0))
			return perr(ps, ps->tstart, TX_EINVAL,
			    "WITHIN needs a positive number of seconds");
		if ((rc = next(ps)) < 0)
			return rc;
		return accept(ps, T_SECONDS, "SECONDS");
	case PATTERN_QUAL_REPEATS:
		if (ps->tok != T_INT || ps->s[ps->tstart] == '-')
			return expected(ps, "a positive integer");
		if ((rc = parse_int64(ps, &q->times)) < 0)
			return rc;
		if (q->times < 1)
			return perr(ps, ps->tstart, TX_EINVAL,
			    "REPEATS needs a positive integer");
		if ((rc = next(ps)) < 0)
			return rc;
		return accept(ps, T_TIMES, "TIMES");
	default:
		if (ps->tok != T_TIMESTAMP)
			return expected(ps, "a t'' timestamp after START");
		q->start = xstrndup(ps->s + ps->tstart + 2, ps->tlen - 3);
		if (q->start == NULL)
			return tx_err_set(ps->err, TX_ENOMEM, "out of memory");
		if ((rc = next(ps)) < 0 ||
		    (rc = accept(ps, T_STOP, "STOP")) < 0)
			return rc;
		if (ps->tok != T_TIMESTAMP)
			return expected(ps, "a t'' timestamp after STOP");
		q->stop = xstrndup(ps->s + ps->tstart + 2, ps->tlen - 3);
		if (q->stop == NULL)
			return tx_err_set(ps->err, TX_ENOMEM, "out of memory");
		return next(ps);
	}
}

static int
obs_new(struct parser *ps, struct pattern_obs **out, enum pattern_obs_kind k)
{
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return tx_err_set(ps->err, TX_ENOMEM, "out of memory");
	(*out)->kind = k;
	(*out)->pos = ps->tstart;
	return 0;
}

/* [ cmp ] or ( obs ), then any qualifiers. */
static int
parse_obs_atom(struct parser *ps, struct pattern_obs **out)
{
	struct pattern_obs	*o = NULL;
	int			 rc;

	if (ps->tok == T_LBRACK) {
		if ((rc = obs_new(ps, &o, PATTERN_OBS_SIMPLE)) < 0 ||
		    (rc = next(ps)) < 0 ||
		    (rc = parse_cmp_or(ps, &o->cmp)) < 0 ||
		    (rc = accept(ps, T_RBRACK, "']' or AND/OR")) < 0)
			goto out;
	} else if (ps->tok == T_LPAREN) {
		if ((rc = obs_new(ps, &o, PATTERN_OBS_GROUP)) < 0 ||
		    (rc = enter(ps)) < 0 || (rc = next(ps)) < 0 ||
		    (rc = parse_obs_expr(ps, &o->left)) < 0 ||
		    (rc = accept(ps, T_RPAREN, "')' or an observation "
		    "operator")) < 0)
			goto out;
		ps->depth--;
	} else {
		rc = expected(ps, "'[' or '(' opening an observation");
		goto out;
	}
	while (ps->tok == T_WITHIN || ps->tok == T_REPEATS ||
	    ps->tok == T_START)
		if ((rc = parse_qual(ps, o)) < 0)
			goto out;
	*out = o;
	o = NULL;
out:
	obs_free(o);
	return rc;
}

static int
obs_join(struct parser *ps, struct pattern_obs **acc, enum pattern_obs_kind k,
    struct pattern_obs *rhs)
{
	struct pattern_obs	*n;

	if ((n = calloc(1, sizeof(*n))) == NULL) {
		obs_free(rhs);
		return tx_err_set(ps->err, TX_ENOMEM, "out of memory");
	}
	n->kind = k;
	n->left = *acc;
	n->right = rhs;
	n->pos = (*acc)->pos;
	*acc = n;
	return 0;
}

/* Precedence levels: 0 FOLLOWEDBY, 1 OR, 2 AND, 3 atoms. */
static int
parse_obs_level(struct parser *ps, int level, struct pattern_obs **out)
{
	static const enum tok		toks[] = { T_FOLLOWEDBY, T_OR, T_AND };
	static const enum pattern_obs_kind kinds[] = { PATTERN_OBS_FOLLOWEDBY,
	    PATTERN_OBS_OR, PATTERN_OBS_AND };
	struct pattern_obs	*acc = NULL, *rhs;
	int			 rc;

	if (level == 3)
		return parse_obs_atom(ps, out);
	if ((rc = parse_obs_level(ps, level + 1, &acc)) < 0)
		return rc;
	while (ps->tok == toks[level]) {
		if ((rc = next(ps)) < 0 ||
		    (rc = parse_obs_level(ps, level + 1, &rhs)) < 0 ||
		    (rc = obs_join(ps, &acc, kinds[level], rhs)) < 0) {
			obs_free(acc);
			return rc;
		}
	}
	*out = acc;
	return 0;
}

static int
parse_obs_expr(struct parser *ps, struct pattern_obs **out)
{
	return parse_obs_level(ps, 0, out);
}

static int
check_utf8(struct parser *ps)
{
	size_t	i = 0, n;

	while (i < ps->len) {
		n = utf8_seq((const unsigned char *)ps->s, ps->len, i);
		if (n == 0)
			return perr(ps, i, TX_EINVAL, ps->s[i] == '\0' ?
			    "NUL byte in pattern" : "invalid UTF-8");
		i += n;
	}
	return 0;
}

int
pattern_parse_pos(struct pattern **out, const char *s, size_t len,
    size_t *errpos, struct tx_err *err)
{
	struct parser	 ps;
	struct pattern	*p = NULL;
	char		 where[32];
	int		 rc;

	*out = NULL;
	memset(&ps, 0, sizeof(ps));
	ps.s = s;
	ps.len = len;
	ps.err = err;
	if (len > PATTERN_MAX_LEN) {
		ps.errbyte = 0;
		rc = tx_err_set(err, TX_ELIMIT, "pattern longer than %d bytes",
		    PATTERN_MAX_LEN);
		goto out;
	}
	if ((rc = check_utf8(&ps)) < 0)
		goto out;
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = next(&ps)) < 0 || (rc = parse_obs_expr(&ps, &p->root)) < 0)
		goto out;
	if (ps.tok != T_EOF) {
		rc = expected(&ps, "end of pattern or an observation operator");
		goto out;
	}
	*out = p;
	p = NULL;
out:
	pattern_free(p);
	if (rc < 0) {
		size_t	cp = len > PATTERN_MAX_LEN ? 0 :
			    char_pos(s, ps.errbyte);

		if (errpos != NULL)
			*errpos = cp;
		if (err != NULL) {
			snprintf(where, sizeof(where), "pos %zu", cp);
			snprintf(err->where, sizeof(err->where), "%s", where);
		}
	}
	return rc;
}

int
pattern_parse(struct pattern **out, const char *s, size_t len,
    struct tx_err *err)
{
	return pattern_parse_pos(out, s, len, NULL, err);
}

const char *
pattern_op_name(enum pattern_op op)
{
	static const char *const names[] = { "=", "!=", "<", "<=", ">", ">=",
	    "IN", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET", "EXISTS" };

	if ((unsigned)op >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[op];
}
