/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jcs.c - RFC 8785 canonical JSON (see jcs.h for the number rules).
 *
 * Trusts nothing it is given: JSON text goes through a small pre-scan
 * (nesting depth, integer literals jansson would refuse or JCS would
 * change) and then jansson's strict loader (UTF-8, duplicates, grammar).
 * Values given to jcs_serialize are checked again (UTF-8, numbers, depth),
 * since callers build them in memory. Numbers are written with the
 * C library's correctly rounded printf/strtod: the shortest %.*e that
 * reads back as the same double, reformatted the ECMAScript way.
 */
#include "jcs.h"
#include "utf8.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Members sorted on the stack up to this many; beyond, on the heap. */
#define JCS_STACK_MEMBERS 32
/* Integer literals of at most this many digits are below 2^53. */
#define JCS_SAFE_DIGITS 15
/* More digits than this overflow a double (DBL_MAX has 309). */
#define JCS_MAX_INT_DIGITS 309

struct jcs_member {
	const char	*key;
	size_t		 klen;
	json_t		*value;
};

/* Restore out to len bytes after a failure. */
static void
jcs_truncate(struct tx_buf *out, size_t len)
{
	if (out->data != NULL && out->len > len) {
		out->len = len;
		out->data[len] = '\0';
	}
}

/* ---- numbers ---- */

/*
 * Shortest round-trip digits of a > 0 finite: digs[*k] (no trailing
 * zeros) and the decimal exponent e such that a = 0.digs * 10^(*n).
 */
static void
jcs_shortest(double a, char *digs, int *k, int *n)
{
	char	 tmp[48], *end;
	int	 p, i, nd, e10;
	double	 r;

	for (p = 0; p <= 16; p++) {
		snprintf(tmp, sizeof(tmp), "%.*e", p, a);
		r = strtod(tmp, NULL);
		if (r == a)
			break;
		/*
		 * A power of two has a rounding interval twice as wide above
		 * as below: when the nearest p+1 digits fall short below, the
		 * next p+1-digit decimal above may still read back as a
		 * (ECMAScript then wants it). Only possible there.
		 */
		if (r < a && p < 16) {
			int		 bexp;
			double		 m = frexp(a, &bexp);
			char		 up[48], *q;
			const char	*dp = localeconv()->decimal_point;

			if (m != 0.5)
				continue;
			/* Collect digits and exponent of tmp. */
			nd = 0;
			for (q = tmp; *q != 'e'; q++)
				if (*q >= '0' && *q <= '9')
					digs[nd++] = *q;
			e10 = (int)strtol(q + 1, NULL, 10);
			for (i = nd - 1; i >= 0 && digs[i] == '9'; i--)
				digs[i] = '0';
			if (i < 0) {
				digs[0] = '1';
				e10++;
			} else
				digs[i]++;
			snprintf(up, sizeof(up), "%c%s%.*se%d", digs[0],
			    nd > 1 ? dp : "", nd - 1, digs + 1, e10);
			if (strtod(up, NULL) == a) {
				*k = nd;
				while (*k > 1 && digs[*k - 1] == '0')
					(*k)--;
				*n = e10 + 1;
				return;
			}
		}
	}
	/* p == 17 cannot happen: 17 significant digits always round-trip. */
	nd = 0;
	for (end = tmp; *end != 'e' && *end != '\0'; end++)
		if (*end >= '0' && *end <= '9')
			digs[nd++] = *end;
	e10 = *end == 'e' ? (int)strtol(end + 1, NULL, 10) : 0;
	while (nd > 1 && digs[nd - 1] == '0')
		nd--;
	*k = nd;
	*n = e10 + 1;
}

int
jcs_number(char *dst, size_t dstlen, double d)
{
	char		 digs[24], rev[24];
	int		 k, n, i, len = 0, e;
	double		 a;
	uint64_t	 u;

	if (!isfinite(d) || dst == NULL || dstlen < JCS_NUMBER_MAX)
		return TX_EINVAL;
	if (d == 0) {
		dst[0] = '0';
		dst[1] = '\0';
		return 1;
	}
	a = fabs(d);
	if (d < 0)
		dst[len++] = '-';
	if (a < 9007199254740992.0 && a == floor(a)) {
		/* Integers below 2^53: the digits themselves. */
		u = (uint64_t)a;
		for (i = 0; u > 0; u /= 10)
			rev[i++] = (char)('0' + u % 10);
		while (i > 0)
			dst[len++] = rev[--i];
		dst[len] = '\0';
		return len;
	}
	jcs_shortest(a, digs, &k, &n);
	if (k <= n && n <= 21) {
		memcpy(dst + len, digs, (size_t)k);
		len += k;
		for (i = k; i < n; i++)
			dst[len++] = '0';
	} else if (0 < n && n <= 21) {
		memcpy(dst + len, digs, (size_t)n);
		len += n;
		dst[len++] = '.';
		memcpy(dst + len, digs + n, (size_t)(k - n));
		len += k - n;
	} else if (-6 < n && n <= 0) {
		dst[len++] = '0';
		dst[len++] = '.';
		for (i = 0; i < -n; i++)
			dst[len++] = '0';
		memcpy(dst + len, digs, (size_t)k);
		len += k;
	} else {
		dst[len++] = digs[0];
		if (k > 1) {
			dst[len++] = '.';
			memcpy(dst + len, digs + 1, (size_t)(k - 1));
			len += k - 1;
		}
		e = n - 1;
		dst[len++] = 'e';
		dst[len++] = e < 0 ? '-' : '+';
		if (e < 0)
			e = -e;
		for (i = 0; e > 0 || i == 0; e /= 10)
			rev[i++] = (char)('0' + e % 10);
		while (i > 0)
			dst[len++] = rev[--i];
	}
	dst[len] = '\0';
	return len;
}

/*
 * The integer rule of jcs.h for v: 0 and its canonical text in num, or
 * TX_EINVAL.
 */
static int
jcs_integer(char *num, size_t numlen, json_int_t v)
{
	char	dec[32];
	double	d;

	if (v >= -9007199254740992LL && v <= 9007199254740992LL)
		return jcs_number(num, numlen, (double)v) < 0 ? TX_EINVAL : 0;
	d = (double)v;
	if (jcs_number(num, numlen, d) < 0)
		return TX_EINVAL;
	/* Exact: d is in range (not 2^63) and converts back to v. */
	if (d >= -9223372036854775808.0 && d < 9223372036854775808.0 &&
	    (json_int_t)d == v)
		return 0;
	/* Or already written as ECMAScript writes d. */
	snprintf(dec, sizeof(dec), "%" JSON_INTEGER_FORMAT, v);
	if (strcmp(dec, num) == 0)
		return 0;
	return TX_EINVAL;
}

/* ---- strings ---- */

/* Append s[n] as a JSON string literal, RFC 8785 §3.2.2.2. */
static int
jcs_string(struct tx_buf *out, const char *str, size_t n,
    struct tx_err *err)
{
	static const char	 hex[] = "0123456789abcdef";
	const uint8_t		*s = (const uint8_t *)str;
	size_t			 i, run, sl;
	uint32_t		 cp;
	char			 esc[6];
	int			 rc;

	if ((rc = tx_buf_addc(out, '"')) != 0)
		goto out;
	run = 0;
	for (i = 0; i < n; ) {
		/* Plain ASCII: 0x20..0x7e except '"' and '\\'. */
		while (i < n && s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' &&
		    s[i] != '\\')
			i++;
		if (i == n)
			break;
		if (s[i] >= 0x20 && s[i] != '"' && s[i] != '\\') {
			if (s[i] < 0x80)
				sl = 1;
			else if ((sl = tx_utf8_seq(s + i, n - i, &cp)) == 0) {
				rc = tx_err_set(err, TX_EINVAL,
				    "invalid UTF-8 at string byte %zu", i);
				goto out;
			}
			i += sl;
			continue;
		}
		if ((rc = tx_buf_add(out, s + run, i - run)) != 0)
			goto out;
		esc[0] = '\\';
		switch (s[i]) {
		case '\b': esc[1] = 'b'; sl = 2; break;
		case '\t': esc[1] = 't'; sl = 2; break;
		case '\n': esc[1] = 'n'; sl = 2; break;
		case '\f': esc[1] = 'f'; sl = 2; break;
		case '\r': esc[1] = 'r'; sl = 2; break;
		case '"': esc[1] = '"'; sl = 2; break;
		case '\\': esc[1] = '\\'; sl = 2; break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[s[i] >> 4];
			esc[5] = hex[s[i] & 0xf];
			sl = 6;
			break;
		}
		if ((rc = tx_buf_add(out, esc, sl)) != 0)
			goto out;
		run = ++i;
	}
	if ((rc = tx_buf_add(out, s + run, n - run)) != 0)
		goto out;
	rc = tx_buf_addc(out, '"');
out:
	if (rc == TX_ELIMIT)
		tx_err_set(err, rc, "canonical form exceeds %zu bytes",
		    out->max);
	else if (rc == TX_ENOMEM)
		tx_err_set(err, rc, "out of memory");
	return rc;
}

/*
 * First UTF-16 code unit of the character at s[0..n) (s[0] >= 0x80); an
 * invalid sequence compares as its lead byte, so sorting stays total.
 */
static uint32_t
jcs_unit(const uint8_t *s, size_t n)
{
	uint32_t	cp;

	if (tx_utf8_seq(s, n, &cp) == 0)
		return s[0];
	if (cp >= 0x10000)
		return 0xd800 + ((cp - 0x10000) >> 10);
	return cp;
}

/*
 * Order of member names by UTF-16 code units (RFC 8785 §3.2.3). UTF-8 byte
 * order is code point order, which differs from UTF-16 order only between
 * U+E000..U+FFFF and the characters above U+FFFF (surrogates): so compare
 * bytes, and at the first difference, if either side is not ASCII, compare
 * the first UTF-16 units of the two characters there (equal first units
 * mean both are above U+FFFF, where byte order is right again).
 */
static int
jcs_member_cmp(const void *pa, const void *pb)
{
	const struct jcs_member	*ma = pa, *mb = pb;
	const uint8_t		*a = (const uint8_t *)ma->key;
	const uint8_t		*b = (const uint8_t *)mb->key;
	size_t			 i, j, m = ma->klen < mb->klen ? ma->klen :
				    mb->klen;
	uint32_t		 ua, ub;

	for (i = 0; i < m && a[i] == b[i]; i++)
		;
	if (i == m)
		return ma->klen < mb->klen ? -1 : ma->klen > mb->klen;
	if (a[i] < 0x80 && b[i] < 0x80)
		return a[i] < b[i] ? -1 : 1;
	/* Back up to the start of the character (same in both). */
	for (j = i; j > 0 && (a[j] & 0xc0) == 0x80; j--)
		;
	ua = a[j] < 0x80 ? a[j] : jcs_unit(a + j, ma->klen - j);
	ub = b[j] < 0x80 ? b[j] : jcs_unit(b + j, mb->klen - j);
	if (ua != ub)
		return ua < ub ? -1 : 1;
	return a[i] < b[i] ? -1 : 1;
}

/* Keys for error paths: at most 48 bytes, control characters as '?'. */
static void
jcs_prefix_key(struct tx_err *err, const char *key, size_t klen)
{
	char	safe[52];
	size_t	i, n = klen < 48 ? klen : 48;

	for (i = 0; i < n; i++)
		safe[i] = (unsigned char)key[i] < 0x20 ? '?' : key[i];
	if (n < klen)
		memcpy(safe + n, "...", 4);
	else
		safe[n] = '\0';
	tx_err_prefix(err, "%s", safe);
}

static int	jcs_value(struct tx_buf *, const json_t *, int, struct tx_err *);

static int
jcs_object(struct tx_buf *out, const json_t *v, int depth,
    struct tx_err *err)
{
	struct jcs_member	 stack[JCS_STACK_MEMBERS], *mem = stack;
	const char		*key;
	size_t			 n, i = 0, klen;
	json_t			*val;
	int			 rc;

	n = json_object_size(v);
	if (n > JCS_STACK_MEMBERS &&
	    (mem = calloc(n, sizeof(*mem))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	json_object_keylen_foreach((json_t *)v, key, klen, val) {
		if (i == n)
			break;
		mem[i].key = key;
		mem[i].klen = klen;
		mem[i].value = val;
		i++;
	}
	n = i;
	if (n > 16)
		qsort(mem, n, sizeof(*mem), jcs_member_cmp);
	else {
		/* Insertion sort: small objects, no allocation by qsort. */
		size_t			 a, b;
		struct jcs_member	 t;

		for (a = 1; a < n; a++) {
			t = mem[a];
			for (b = a; b > 0 && jcs_member_cmp(&mem[b - 1], &t) > 0;
			    b--)
				mem[b] = mem[b - 1];
			mem[b] = t;
		}
	}
	if ((rc = tx_buf_addc(out, '{')) != 0)
		goto limit;
	for (i = 0; i < n; i++) {
		if (i > 0 && (rc = tx_buf_addc(out, ',')) != 0)
			goto limit;
		if ((rc = jcs_string(out, mem[i].key, mem[i].klen, err)) != 0) {
			jcs_prefix_key(err, mem[i].key, mem[i].klen);
			goto out;
		}
		if ((rc = tx_buf_addc(out, ':')) != 0)
			goto limit;
		if ((rc = jcs_value(out, mem[i].value, depth + 1, err)) != 0) {
			jcs_prefix_key(err, mem[i].key, mem[i].klen);
			goto out;
		}
	}
	if ((rc = tx_buf_addc(out, '}')) != 0)
		goto limit;
	goto out;
limit:
	if (rc == TX_ENOMEM)
		tx_err_set(err, rc, "out of memory");
	else
		tx_err_set(err, rc, "canonical form exceeds %zu bytes",
		    out->max);
out:
	if (mem != stack)
		free(mem);
	return rc;
}

static int
jcs_array(struct tx_buf *out, const json_t *v, int depth, struct tx_err *err)
{
	size_t	i, n = json_array_size(v);
	int	rc;

	if ((rc = tx_buf_addc(out, '[')) != 0)
		goto limit;
	for (i = 0; i < n; i++) {
		if (i > 0 && (rc = tx_buf_addc(out, ',')) != 0)
			goto limit;
		if ((rc = jcs_value(out, json_array_get(v, i), depth + 1,
		    err)) != 0) {
			tx_err_prefix(err, "[%zu]", i);
			return rc;
		}
	}
	if ((rc = tx_buf_addc(out, ']')) != 0)
		goto limit;
	return 0;
limit:
	if (rc == TX_ENOMEM)
		return tx_err_set(err, rc, "out of memory");
	return tx_err_set(err, rc, "canonical form exceeds %zu bytes",
	    out->max);
}

static int
jcs_value(struct tx_buf *out, const json_t *v, int depth, struct tx_err *err)
{
	char	num[JCS_NUMBER_MAX];
	int	rc, n;

	if (v == NULL)
		return tx_err_set(err, TX_EINVAL, "missing value");
	switch (json_typeof(v)) {
	case JSON_OBJECT:
	case JSON_ARRAY:
		if (depth >= JCS_MAX_DEPTH)
			return tx_err_set(err, TX_ELIMIT,
			    "nested deeper than %d", JCS_MAX_DEPTH);
		if (json_is_object(v))
			return jcs_object(out, v, depth, err);
		return jcs_array(out, v, depth, err);
	case JSON_STRING:
		return jcs_string(out, json_string_value(v),
		    json_string_length(v), err);
	case JSON_INTEGER:
		if (jcs_integer(num, sizeof(num), json_integer_value(v)) != 0)
			return tx_err_set(err, TX_EINVAL, "integer %"
			    JSON_INTEGER_FORMAT " is beyond +-2^53 and not "
			    "exactly a double", json_integer_value(v));
		rc = tx_buf_adds(out, num);
		break;
	case JSON_REAL:
		if ((n = jcs_number(num, sizeof(num), json_real_value(v))) < 0)
			return tx_err_set(err, TX_EINVAL,
			    "number is not finite");
		rc = tx_buf_add(out, num, (size_t)n);
		break;
	case JSON_TRUE:
		rc = tx_buf_add(out, "true", 4);
		break;
	case JSON_FALSE:
		rc = tx_buf_add(out, "false", 5);
		break;
	case JSON_NULL:
		rc = tx_buf_add(out, "null", 4);
		break;
	default:
		return tx_err_set(err, TX_EINVAL, "unknown JSON type");
	}
	if (rc == TX_ENOMEM)
		return tx_err_set(err, rc, "out of memory");
	if (rc != 0)
		return tx_err_set(err, rc, "canonical form exceeds %zu bytes",
		    out->max);
	return 0;
}

int
jcs_serialize(struct tx_buf *out, const json_t *v, struct tx_err *err)
{
	size_t	start = out->len;
	int	rc;

	tx_err_clear(err);
	if ((rc = jcs_value(out, v, 0, err)) != 0)
		jcs_truncate(out, start);
	return rc;
}

/* ---- parsing ---- */

/*
 * The integer rule of jcs.h for the literal dig[n] (digits only) with
 * sign neg: 0 if accepted, with *huge set when it is beyond long long;
 * else TX_EINVAL with a message.
 */
static int
jcs_check_int(int neg, const uint8_t *dig, size_t n, int *huge,
    struct tx_err *err)
{
	char	lit[JCS_MAX_INT_DIGITS + 2], num[JCS_NUMBER_MAX], ex[400];
	double	d;

	*huge = 0;
	if (n <= JCS_SAFE_DIGITS || dig[0] == '0')
		return 0;	/* small, or bad JSON jansson will refuse */
	if (n > JCS_MAX_INT_DIGITS)
		return tx_err_set(err, TX_EINVAL,
		    "integer of %zu digits overflows a double", n);
	lit[0] = '-';
	memcpy(lit + 1, dig, n);
	lit[n + 1] = '\0';
	errno = 0;
	(void)strtoll(lit + !neg, NULL, 10);
	*huge = errno == ERANGE;
	d = strtod(lit + 1, NULL);
	if (!isfinite(d))
		return tx_err_set(err, TX_EINVAL,
		    "integer of %zu digits overflows a double", n);
	/* Exactly a double: glibc prints doubles' integer values exactly. */
	snprintf(ex, sizeof(ex), "%.0f", d);
	if (strcmp(ex, lit + 1) == 0)
		return 0;
	if (jcs_number(num, sizeof(num), d) > 0 && strcmp(num, lit + 1) == 0)
		return 0;
	return tx_err_set(err, TX_EINVAL, "integer %s%.40s%s is beyond "
	    "+-2^53 and not exactly a double", neg ? "-" : "", lit + 1,
	    n > 40 ? "..." : "");
}

/*
 * Pre-scan of JSON text: nesting depth and integer literals. Strings are
 * skipped by the JSON rule (a quote not escaped by a backslash ends them),
 * which agrees with jansson on every text jansson accepts. With fix != NULL
 * the text is copied there, with ".0" after each integer literal beyond
 * long long so that jansson reads it as a real. *huge counts those.
 */
static int
jcs_scan(const uint8_t *in, size_t len, struct tx_buf *fix, size_t *huge,
    struct tx_err *err)
{
	size_t	i = 0, j, from = 0, depth = 0, d0;
	int	big, rc, isint;

	*huge = 0;
	while (i < len) {
		switch (in[i]) {
		case '"':
			for (i++; i < len && in[i] != '"'; i++)
				if (in[i] == '\\')
					i++;
			i++;
			continue;
		case '[':
		case '{':
			if (++depth > JCS_MAX_DEPTH) {
				char	w[40];

				snprintf(w, sizeof(w), "byte %zu", i);
				return tx_err_setw(err, TX_ELIMIT, w,
				    "nested deeper than %d", JCS_MAX_DEPTH);
			}
			i++;
			continue;
		case ']':
		case '}':
			if (depth > 0)
				depth--;
			i++;
			continue;
		default:
			break;
		}
		if (in[i] != '-' && (in[i] < '0' || in[i] > '9')) {
			i++;
			continue;
		}
		d0 = i + (in[i] == '-');
		isint = 1;
		for (j = d0; j < len && ((in[j] >= '0' && in[j] <= '9') ||
		    in[j] == '.' || in[j] == 'e' || in[j] == 'E' ||
		    in[j] == '+' || in[j] == '-'); j++)
			if (in[j] < '0' || in[j] > '9')
				isint = 0;
		if (isint && j > d0) {
			if ((rc = jcs_check_int(in[i] == '-', in + d0, j - d0,
			    &big, err)) != 0) {
				char	w[40];

				snprintf(w, sizeof(w), "byte %zu", i);
				tx_err_prefix(err, "%s", w);
				return rc;
			}
			if (big) {
				(*huge)++;
				if (fix != NULL && ((rc = tx_buf_add(fix,
				    in + from, j - from)) != 0 ||
				    (rc = tx_buf_add(fix, ".0", 2)) != 0))
					return tx_err_set(err, rc,
					    "out of memory");
				from = j;
			}
		}
		i = j;
	}
	if (fix != NULL && (rc = tx_buf_add(fix, in + from, len - from)) != 0)
		return tx_err_set(err, rc, "out of memory");
	return 0;
}

int
jcs_parse(json_t **out, const uint8_t *in, size_t len, struct tx_err *err)
{
	struct tx_buf	 fix;
	json_error_t	 je;
	json_t		*j;
	size_t		 huge;
	int		 rc;
	char		 w[40];

	tx_err_clear(err);
	tx_buf_init(&fix, len + len / 2 + 16);
	if ((rc = jcs_scan(in, len, NULL, &huge, err)) != 0)
		goto out;
	if (huge > 0) {
		if ((rc = jcs_scan(in, len, &fix, &huge, err)) != 0)
			goto out;
		in = fix.data;
		len = fix.len;
	}
	j = json_loadb((const char *)in, len, JSON_REJECT_DUPLICATES |
	    JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (j == NULL) {
		snprintf(w, sizeof(w), "byte %d", je.position);
		rc = tx_err_setw(err, json_error_code(&je) == json_error_out_of_memory ?
		    TX_ENOMEM : TX_EINVAL, w, "%s", je.text);
		goto out;
	}
	*out = j;
	rc = 0;
out:
	tx_buf_dispose(&fix);
	return rc;
}

int
jcs_canon(struct tx_buf *out, const uint8_t *in, size_t len,
    struct tx_err *err)
{
	json_t	*v;
	int	 rc;

	if ((rc = jcs_parse(&v, in, len, err)) != 0)
		return rc;
	rc = jcs_serialize(out, v, err);
	json_decref(v);
	return rc;
}
