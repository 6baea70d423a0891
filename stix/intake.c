/* SPDX-License-Identifier: Apache-2.0 */
/*
 * intake.c - strict intake of one JSON object from untrusted bytes.
 *
 * Trusts nothing about the bytes. A recursive-descent pre-scan checks the
 * full JSON grammar, UTF-8 inside strings, the depth cap (checked before
 * each descent, so recursion is bounded by max_depth), string length and
 * member counts, and reports the property path of the first problem. Only
 * then does jansson parse the bytes (JSON_REJECT_DUPLICATES); a jansson
 * error (duplicate key, bad \u escape, number out of range) is mapped back
 * to a property path by re-running the pre-scan up to jansson's offset.
 *
 * Numbers follow jcs.h, so that what intake accepts can be canonicalised
 * and signed, and what canon accepts passes intake: an integer literal of
 * more than 15 digits that is not plainly an exact double within long
 * long is judged by jcs_parse itself (one literal, a few hundred bytes at
 * most); one a double would change (2^53 + 1) is refused naming its
 * path; one beyond int64 that JCS accepts (1e20 written out) is handed to
 * jansson with ".0" appended, so it arrives as the same double JCS reads,
 * where jansson alone would refuse it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake.h"
#include "utf8.h"
#include "buf.h"
#include "hash.h"
#include "jcs.h"

#define INTAKE_PATH_MAX 150
/*
 * Longest number literal: JCS accepts integers up to DBL_MAX written out
 * (309 digits); with sign, fraction and exponent 400 bytes is room enough,
 * and bounds the work spent on one literal.
 */
#define INTAKE_NUMBER_MAX 400
/* Integer literals of at most this many digits are exact (below 2^53). */
#define INTAKE_SAFE_DIGITS 15

void
stix_limits_default(struct stix_limits *lim)
{
	lim->max_object_bytes = 1024 * 1024;
	lim->max_doc_bytes = 0;
	lim->max_depth = 32;
	lim->max_string = 256 * 1024;
	lim->max_members = 4096;
	lim->max_objects = 0;
}

int
stix_utf8_check(const uint8_t *buf, size_t len, size_t *bad_off)
{
	size_t i = 0;

	while (i < len) {
		uint8_t c = buf[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if ((n = tx_utf8_seq(buf + i, len - i, &cp)) == 0)
			goto bad;
		i += n;
	}
	return 0;
bad:
	if (bad_off != NULL)
		*bad_off = i;
	return TX_EINVAL;
}

/* One level of the path: a key (in the buffer, raw) or an index. */
struct frame {
	const struct frame	*up;
	const uint8_t		*key;	/* NULL: index */
	size_t			 keylen;
	size_t			 index;
};

struct scan {
	const uint8_t			*p;
	size_t				 len;
	size_t				 pos;
	const struct stix_limits	*lim;
	size_t				 stop;	/* report the path around this */
	int				 stopped;
	char				 stop_path[INTAKE_PATH_MAX];
	struct tx_err			*err;
	/* Integers beyond int64; jansson's copy (or NULL), made to from. */
	size_t				 huge;
	struct tx_buf			*fix;
	size_t				 from;
};

/* Render the chain into err->where (outermost first). */
static void
path_render(char *dst, size_t dstlen, const struct frame *f)
{
	const struct frame *chain[64];
	size_t n = 0, o = 0;

	for (; f != NULL && n < 64; f = f->up)
		chain[n++] = f;
	dst[0] = '\0';
	while (n > 0 && o + 1 < dstlen) {
		const struct frame *c = chain[--n];
		int w;

		if (c->key == NULL) {
			w = snprintf(dst + o, dstlen - o, "[%zu]", c->index);
		} else {
			if (o > 0 && o + 1 < dstlen)
				dst[o++] = '.';
			for (size_t k = 0; k < c->keylen && o + 1 < dstlen &&
			    k < 64; k++) {
				uint8_t ch = c->key[k];
				dst[o++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
			}
			dst[o] = '\0';
			w = 0;
		}
		if (w < 0)
			break;
		o += (size_t)w;
		if (o >= dstlen) {
			o = dstlen - 1;
			break;
		}
	}
	dst[o < dstlen ? o : dstlen - 1] = '\0';
}

static int
scan_fail(struct scan *s, const struct frame *f, int code, const char *what)
{
	char path[INTAKE_PATH_MAX];

	path_render(path, sizeof(path), f);
	if (path[0] == '\0')
		snprintf(path, sizeof(path), "@offset %zu", s->pos);
	return tx_err_setw(s->err, code, path, "%s (at byte %zu)", what, s->pos);
}

static void
scan_ws(struct scan *s)
{
	while (s->pos < s->len) {
		uint8_t c = s->p[s->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		s->pos++;
	}
}

/* A string at s->pos (which holds '"'). Checks escapes and UTF-8. */
static int
scan_string(struct scan *s, const struct frame *f)
{
	size_t start = ++s->pos;

	while (s->pos < s->len) {
		uint8_t c = s->p[s->pos];

		if (c == '"') {
			if (s->pos - start > s->lim->max_string)
				return scan_fail(s, f, TX_ELIMIT,
				    "string too long");
			s->pos++;
			return 0;
		}
		if (c < 0x20)
			return scan_fail(s, f, TX_EINVAL,
			    "control character in string");
		if (c == '\\') {
			if (s->pos + 1 >= s->len)
				break;
			c = s->p[++s->pos];
			if (c == 'u') {
				if (s->len - s->pos < 5)
					break;
				for (int k = 1; k <= 4; k++)
					if (hex_digit(s->p[s->pos + k]) < 0)
						return scan_fail(s, f, TX_EINVAL,
						    "bad \\u escape");
				s->pos += 5;
			} else if (strchr("\"\\/bfnrt", c) != NULL && c != 0) {
				s->pos++;
			} else
				return scan_fail(s, f, TX_EINVAL,
				    "bad escape in string");
			continue;
		}
		if (c >= 0x80) {
			size_t bad = 0, run = s->pos;

			/* validate the run of non-ASCII bytes */
			while (run < s->len && s->p[run] >= 0x80)
				run++;
			if (stix_utf8_check(s->p + s->pos, run - s->pos,
			    &bad) != 0) {
				s->pos += bad;
				return scan_fail(s, f, TX_EINVAL,
				    "invalid UTF-8");
			}
			s->pos = run;
			continue;
		}
		s->pos++;
		if (s->pos - start > s->lim->max_string)
			return scan_fail(s, f, TX_ELIMIT, "string too long");
	}
	return scan_fail(s, f, TX_EINVAL, "truncated string");
}

/* Skip a run of digits; how many there were. */
static size_t
scan_digits(struct scan *s)
{
	size_t	st = s->pos;

	while (s->pos < s->len && s->p[s->pos] >= '0' && s->p[s->pos] <= '9')
		s->pos++;
	return s->pos - st;
}

/*
 * The integer literal s->p[st..s->pos) of more than INTAKE_SAFE_DIGITS
 * digits, judged by jcs_parse (jcs.h): refused if JCS refuses it; if JCS
 * reads it as a double (beyond int64), counted, and copied to s->fix with
 * ".0" appended so that jansson reads the same double.
 */
static int
scan_bigint(struct scan *s, const struct frame *f, size_t st)
{
	struct tx_err	 je;
	json_t		*v = NULL;
	char		 lit[24], *end;
	long long	 ll;
	double		 d;
	int		 real;

	/*
	 * Fast path, the common case: within long long and exactly a double
	 * (JCS accepts those as they are). Everything else: jcs_parse.
	 */
	if (s->pos - st < sizeof(lit)) {
		memcpy(lit, s->p + st, s->pos - st);
		lit[s->pos - st] = '\0';
		errno = 0;
		ll = strtoll(lit, &end, 10);
		d = (double)ll;
		if (errno == 0 && *end == '\0' && d >= -9223372036854775808.0 &&
		    d < 9223372036854775808.0 && (long long)d == ll)
			return 0;
	}
	tx_err_clear(&je);
	if (jcs_parse(&v, s->p + st, s->pos - st, &je) != 0)
		return scan_fail(s, f, je.code == TX_ENOMEM ? TX_ENOMEM :
		    TX_EINVAL, je.msg);
	real = json_is_real(v);
	json_decref(v);
	if (!real)
		return 0;
	s->huge++;
	if (s->fix != NULL && (tx_buf_add(s->fix, s->p + s->from,
	    s->pos - s->from) != 0 || tx_buf_add(s->fix, ".0", 2) != 0))
		return scan_fail(s, f, TX_ENOMEM, "out of memory");
	s->from = s->pos;
	return 0;
}

static int
scan_number(struct scan *s, const struct frame *f)
{
	size_t st = s->pos, nd = 0;
	int isint = 1;

	if (s->pos < s->len && s->p[s->pos] == '-')
		s->pos++;
	if (s->pos >= s->len)
		goto bad;
	if (s->p[s->pos] == '0')
		s->pos++;
	else if ((nd = scan_digits(s)) == 0)
		goto bad;
	if (s->pos < s->len && s->p[s->pos] == '.') {
		isint = 0;
		s->pos++;
		if (scan_digits(s) == 0)
			goto bad;
	}
	if (s->pos < s->len && (s->p[s->pos] == 'e' || s->p[s->pos] == 'E')) {
		isint = 0;
		s->pos++;
		if (s->pos < s->len && (s->p[s->pos] == '+' ||
		    s->p[s->pos] == '-'))
			s->pos++;
		if (scan_digits(s) == 0)
			goto bad;
	}
	if (s->pos - st > INTAKE_NUMBER_MAX)
		return scan_fail(s, f, TX_ELIMIT, "number too long");
	if (isint && nd > INTAKE_SAFE_DIGITS)
		return scan_bigint(s, f, st);
	return 0;
bad:
	return scan_fail(s, f, TX_EINVAL, "bad number");
}

static int	scan_value(struct scan *, const struct frame *, size_t);
static void	scan_mark(struct scan *, const struct frame *, size_t);

static int
scan_container(struct scan *s, const struct frame *f, size_t depth)
{
	int is_obj = s->p[s->pos] == '{';
	uint8_t close = is_obj ? '}' : ']';
	size_t n = 0;
	struct frame child;
	int rc;

	if (depth >= s->lim->max_depth)
		return scan_fail(s, f, TX_ELIMIT, "nesting too deep");
	s->pos++;
	scan_ws(s);
	if (s->pos < s->len && s->p[s->pos] == close) {
		s->pos++;
		return 0;
	}
	for (;;) {
		if (++n > s->lim->max_members)
			return scan_fail(s, f, TX_ELIMIT, is_obj ?
			    "too many members" : "too many elements");
		child.up = f;
		child.key = NULL;
		child.keylen = 0;
		child.index = n - 1;
		scan_ws(s);
		if (s->pos >= s->len)
			goto trunc;
		if (is_obj) {
			size_t ks;

			if (s->p[s->pos] != '"')
				return scan_fail(s, f, TX_EINVAL,
				    "expected a key");
			ks = s->pos + 1;
			if ((rc = scan_string(s, f)) != 0)
				return rc;
			child.key = s->p + ks;
			child.keylen = s->pos - 1 - ks;
			scan_mark(s, &child, ks - 1);
			scan_ws(s);
			if (s->pos >= s->len)
				goto trunc;
			if (s->p[s->pos] != ':')
				return scan_fail(s, &child, TX_EINVAL,
				    "expected ':'");
			s->pos++;
		}
		if ((rc = scan_value(s, &child, depth + 1)) != 0)
			return rc;
		scan_ws(s);
		if (s->pos >= s->len)
			goto trunc;
		if (s->p[s->pos] == ',') {
			s->pos++;
			continue;
		}
		if (s->p[s->pos] == close) {
			s->pos++;
			return 0;
		}
		return scan_fail(s, &child, TX_EINVAL, is_obj ?
		    "expected ',' or '}'" : "expected ',' or ']'");
	}
trunc:
	return scan_fail(s, f, TX_EINVAL, "truncated");
}

static int
scan_lit(struct scan *s, const struct frame *f, const char *lit)
{
	size_t n = strlen(lit);

	if (s->len - s->pos < n || memcmp(s->p + s->pos, lit, n) != 0)
		return scan_fail(s, f, TX_EINVAL, "bad literal");
	s->pos += n;
	return 0;
}

static int	scan_value1(struct scan *, const struct frame *, size_t);

/* Note the innermost path whose span holds s->stop. */
static void
scan_mark(struct scan *s, const struct frame *f, size_t start)
{
	if (s->stop != (size_t)-1 && !s->stopped && start <= s->stop &&
	    s->stop < s->pos) {
		s->stopped = 1;
		path_render(s->stop_path, sizeof(s->stop_path), f);
	}
}

static int
scan_value(struct scan *s, const struct frame *f, size_t depth)
{
	size_t start;
	int rc;

	scan_ws(s);
	start = s->pos;
	rc = scan_value1(s, f, depth);
	if (rc == 0)
		scan_mark(s, f, start);
	return rc;
}

static int
scan_value1(struct scan *s, const struct frame *f, size_t depth)
{
	uint8_t c;

	scan_ws(s);
	if (s->pos >= s->len)
		return scan_fail(s, f, TX_EINVAL, "truncated");
	c = s->p[s->pos];
	switch (c) {
	case '{':
	case '[':
		return scan_container(s, f, depth);
	case '"':
		return scan_string(s, f);
	case 't':
		return scan_lit(s, f, "true");
	case 'f':
		return scan_lit(s, f, "false");
	case 'n':
		return scan_lit(s, f, "null");
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return scan_number(s, f);
		return scan_fail(s, f, TX_EINVAL, "unexpected character");
	}
}

/*
 * Pre-scan (buf, len) as one JSON value followed only by whitespace.
 * stop != (size_t)-1: fail at the first value starting at or after stop,
 * so that err->where names the path there. *huge (may be NULL) counts the
 * integer literals beyond int64; with fix != NULL the text is copied
 * there, ".0" after each of them.
 */
static int
prescan(const uint8_t *buf, size_t len, const struct stix_limits *lim,
    size_t stop, struct tx_buf *fix, size_t *huge, struct tx_err *err)
{
	struct scan s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.p = buf;
	s.len = len;
	s.lim = lim;
	s.stop = stop;
	s.err = err;
	s.fix = fix;
	if ((rc = scan_value(&s, NULL, 0)) != 0)
		return rc;
	if (huge != NULL)
		*huge = s.huge;
	if (fix != NULL && tx_buf_add(fix, buf + s.from, len - s.from) != 0)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	if (s.stopped) {
		if (s.stop_path[0] == '\0')
			snprintf(s.stop_path, sizeof(s.stop_path),
			    "@offset %zu", stop);
		return tx_err_setw(err, TX_EINVAL, s.stop_path, "here");
	}
	scan_ws(&s);
	if (s.pos != len)
		return scan_fail(&s, NULL, TX_EINVAL, "trailing bytes");
	return 0;
}

static int
intake_any(json_t **out, const uint8_t *buf, size_t len,
    const struct stix_limits *lim, int want_obj, struct tx_err *err)
{
	struct stix_limits def;
	struct tx_buf fix;
	json_error_t jerr;
	json_t *v;
	size_t i = 0, huge = 0;
	int rc;

	if (lim == NULL) {
		stix_limits_default(&def);
		lim = &def;
	}
	if (len > lim->max_object_bytes)
		return tx_err_setw(err, TX_ELIMIT, "", "object of %zu bytes "
		    "exceeds the cap of %zu", len, lim->max_object_bytes);
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' ||
	    buf[i] == '\r'))
		i++;
	if (want_obj && (i >= len || buf[i] != '{'))
		return tx_err_setw(err, TX_EINVAL, "", "not a JSON object");
	if ((rc = prescan(buf, len, lim, (size_t)-1, NULL, &huge, err)) != 0)
		return rc;
	/* Integers beyond int64 that JCS accepts: jansson reads a copy. */
	tx_buf_init(&fix, len + 2 * huge + 1);
	if (huge > 0) {
		if ((rc = prescan(buf, len, lim, (size_t)-1, &fix, NULL,
		    err)) != 0)
			goto out;
		buf = fix.data;
		len = fix.len;
	}
	memset(&jerr, 0, sizeof(jerr));
	v = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES |
	    JSON_DECODE_ANY, &jerr);
	if (v == NULL) {
		struct tx_err e2;
		size_t at = jerr.position > 0 ? (size_t)jerr.position - 1 : 0;

		/*
		 * Out of memory is ours, not the input's (issue 15): jansson
		 * says so, or fails without a word (its lexer's buffer).
		 */
		if (json_error_code(&jerr) == json_error_out_of_memory ||
		    jerr.text[0] == '\0') {
			rc = tx_err_setw(err, TX_ENOMEM, "", "out of memory");
			goto out;
		}
		/* map jansson's offset (just past the offending token) */
		tx_err_clear(&e2);
		prescan(buf, len, lim, at, NULL, NULL, &e2);
		if (strstr(jerr.text, "duplicate") != NULL)
			/* the key was read; name the object holding it */
			rc = tx_err_setw(err, TX_EINVAL, e2.where,
			    "duplicate key (%s)", jerr.text);
		else
			rc = tx_err_setw(err, TX_EINVAL, e2.where[0] ?
			    e2.where : "", "%s (at byte %d)", jerr.text,
			    jerr.position);
		goto out;
	}
	if (want_obj && !json_is_object(v)) {
		json_decref(v);
		rc = tx_err_setw(err, TX_EINVAL, "", "not a JSON object");
		goto out;
	}
	*out = v;
	rc = 0;
out:
	tx_buf_dispose(&fix);
	return rc;
}

int
stix_intake_object(json_t **out, const uint8_t *buf, size_t len,
    const struct stix_limits *lim, struct tx_err *err)
{
	return intake_any(out, buf, len, lim, 1, err);
}

int
stix_intake_value(json_t **out, const uint8_t *buf, size_t len,
    const struct stix_limits *lim, struct tx_err *err)
{
	return intake_any(out, buf, len, lim, 0, err);
}
