/* SPDX-License-Identifier: Apache-2.0 */
/*
 * alias.c - alias folding with utf8proc (the only file that calls it).
 * Trusts nothing: input is capped at ALIAS_INPUT_MAX bytes and checked for
 * valid UTF-8 and control characters before utf8proc sees it; utf8proc's
 * outputs are freed on every path.
 */
#include "alias.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "err.h"
#include "norm.h"

static int
alias_is_space(utf8proc_int32_t c)
{
	return c == 0x20 || c == 0x09 || c == 0x85 || c == 0xa0 ||
	    c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
	    c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000 ||
	    utf8proc_category(c) == UTF8PROC_CATEGORY_ZS;
}

/* Validate: UTF-8, no controls. */
static int
alias_check_input(const char *in, size_t len, struct tx_err *err)
{
	utf8proc_int32_t	c;
	utf8proc_ssize_t	k;
	size_t			off = 0;

	while (off < len) {
		k = utf8proc_iterate((const utf8proc_uint8_t *)in + off,
		    (utf8proc_ssize_t)(len - off), &c);
		if (k <= 0 || c < 0)
			return tx_err_set(err, TX_EINVAL,
			    "invalid UTF-8 at byte %zu", off);
		if ((c < 0x20 && c != 0x09) || c == 0x7f || (c >= 0x80 && c < 0xa0))
			return tx_err_set(err, TX_EINVAL,
			    "control character at byte %zu", off);
		off += (size_t)k;
	}
	return 0;
}

/*
 * Copy src into dst (cap bytes incl NUL) collapsing spaces (collapse=1) or
 * dropping every non-letter, non-digit, non-mark (collapse=0). Returns the
 * length, or -1 when dst is too small.
 */
static long
alias_filter(char *dst, size_t cap, const utf8proc_uint8_t *src,
    int collapse)
{
	utf8proc_int32_t	c;
	utf8proc_ssize_t	k;
	utf8proc_category_t	cat;
	size_t			o = 0;
	int			pend = 0;
	utf8proc_uint8_t	enc[4];

	while (*src != '\0') {
		k = utf8proc_iterate(src, -1, &c);
		if (k <= 0)
			return -1;
		src += k;
		if (collapse) {
			if (alias_is_space(c)) {
				pend = o > 0;
				continue;
			}
		} else {
			cat = utf8proc_category(c);
			if (!(cat >= UTF8PROC_CATEGORY_LU &&
			    cat <= UTF8PROC_CATEGORY_ND) &&
			    cat != UTF8PROC_CATEGORY_NL &&
			    cat != UTF8PROC_CATEGORY_NO)
				continue;
		}
		if (pend) {
			if (o + 1 >= cap)
				return -1;
			dst[o++] = ' ';
			pend = 0;
		}
		k = utf8proc_encode_char(c, enc);
		if (o + (size_t)k >= cap)
			return -1;
		memcpy(dst + o, enc, (size_t)k);
		o += (size_t)k;
	}
	dst[o] = '\0';
	return (long)o;
}

int
alias_normalize(struct norm_result *out, const char *in, size_t len,
    struct tx_err *err)
{
	utf8proc_uint8_t	*fold = NULL, *strip = NULL;
	utf8proc_ssize_t	 n;
	char			 canon[ALIAS_MAX + 1], key[ALIAS_MAX + 1];
	long			 cl, kl;
	int			 rc;

	if (len > ALIAS_INPUT_MAX)
		return tx_err_set(err, TX_ELIMIT,
		    "alias longer than %d bytes", ALIAS_INPUT_MAX);
	if ((rc = alias_check_input(in, len, err)) < 0)
		return rc;
	n = utf8proc_map((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)len,
	    &fold, UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
	    UTF8PROC_CASEFOLD | UTF8PROC_IGNORE | UTF8PROC_REJECTNA);
	if (n < 0) {
		rc = tx_err_set(err, TX_EINVAL, "alias: %s",
		    utf8proc_errmsg(n));
		goto out;
	}
	if ((cl = alias_filter(canon, sizeof(canon), fold, 1)) < 0) {
		rc = tx_err_set(err, TX_ELIMIT,
		    "alias longer than %d bytes after folding", ALIAS_MAX);
		goto out;
	}
	if (cl == 0) {
		rc = tx_err_set(err, TX_EINVAL, "alias empty after folding");
		goto out;
	}
	n = utf8proc_map((const utf8proc_uint8_t *)canon, cl, &strip,
	    UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
	    UTF8PROC_STRIPMARK);
	if (n < 0) {
		rc = tx_err_set(err, TX_EINVAL, "alias: %s",
		    utf8proc_errmsg(n));
		goto out;
	}
	kl = alias_filter(key, sizeof(key), strip, 0);
	if (kl <= 0) {
		rc = tx_err_set(err, TX_EINVAL,
		    "alias has no letter or digit");
		goto out;
	}
	if ((rc = norm_result_set(out, NORM_ALIAS, canon, (size_t)cl,
	    err)) < 0)
		goto out;
	memcpy(out->match_key, key, (size_t)kl + 1);
out:
	free(fold);
	free(strip);
	return rc;
}
