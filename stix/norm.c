/* SPDX-License-Identifier: Apache-2.0 */
/*
 * norm.c - the normalisation dispatcher: kind names, the shared result
 * helpers, and norm_value, which detects an untyped value's kind and hands
 * the value to its kind's normaliser. What the kinds are, their names,
 * normalisers and detection order, is the table in kinds.c.
 */
#include "norm.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "defang.h"
#include "err.h"
#include "intake.h"
#include "kinds.h"

const char *
norm_kind_name(enum norm_kind k)
{
	const struct obs_kind	*ok = obs_kind_get(k);

	return ok != NULL ? ok->name : "unknown";
}

const char *
norm_kind_sco_type(enum norm_kind k)
{
	const struct obs_kind	*ok = obs_kind_get(k);

	return ok != NULL ? ok->sco_type : NULL;
}

int
norm_kind_from_name(enum norm_kind *out, const char *name)
{
	const struct obs_kind	*ok;

	if (name == NULL)
		return TX_EINVAL;
	if (strcasecmp(name, "auto") == 0) {
		*out = NORM_UNKNOWN;
		return 0;
	}
	if ((ok = obs_kind_by_name(name)) == NULL)
		return TX_EINVAL;
	*out = ok->kind;
	return 0;
}

int
norm_result_set(struct norm_result *r, enum norm_kind kind,
    const char *canonical, size_t len, struct tx_err *err)
{
	if (len >= sizeof(r->canonical))
		return tx_err_set(err, TX_ELIMIT,
		    "canonical form longer than %zu bytes",
		    sizeof(r->canonical) - 1);
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	memcpy(r->canonical, canonical, len);
	memcpy(r->match_key, canonical, len);
	return 0;
}

void
norm_trim(const char **in, size_t *len)
{
	const char	*p = *in;
	size_t		 n = *len;

	while (n > 0 && (*p == ' ' || *p == '\t' || *p == '\r' ||
	    *p == '\n' || *p == '\v' || *p == '\f')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' ||
	    p[n - 1] == '\r' || p[n - 1] == '\n' || p[n - 1] == '\v' ||
	    p[n - 1] == '\f'))
		n--;
	*in = p;
	*len = n;
}

/* Passes of defang_undo before a value is called defanged too deeply. */
#define REFANG_MAX	8

/*
 * defang_undo to a fixed point: "x[[dot]]y" is "x[.]y" after one pass and
 * "x.y" after two, so that the canonical form of a value is plain itself
 * (norm_value of it gives it again). As defang_undo: 1 when something was
 * undone, 0 when nothing, -1 when dst is too small; 2 when the value is
 * still defanged after REFANG_MAX passes.
 */
static int
refang(char *dst, size_t dstmax, size_t *outlen, const char *in, size_t len)
{
	char	tmp[NORM_INPUT_MAX + 1];
	int	i, rc;

	if ((rc = defang_undo(dst, dstmax, outlen, in, len)) != 1)
		return rc;
	for (i = 1; i < REFANG_MAX; i++) {
		if (*outlen >= sizeof(tmp))
			return -1;
		memcpy(tmp, dst, *outlen);
		if ((rc = defang_undo(dst, dstmax, outlen, tmp, *outlen)) != 1)
			return rc < 0 ? rc : 1;
	}
	return 2;
}

/*
 * Defanged and wrapped input (defang.h), for every kind but wallets and
 * aliases (free text): "evil[.]com" is restored first (for an untyped
 * value, the kind is detected again on the restored form, which is kept
 * unless it is an alias), then where a domain is expected a URL's or an
 * e-mail address's host is taken. The result's note says what was done.
 */
static int
norm_unwrapped(struct norm_result *out, const struct obs_kind *ok,
    int detected, const char *chain, const char *in, size_t len,
    struct tx_err *err)
{
	const struct obs_kind	*rk;
	struct norm_result	 r;
	char			 buf[NORM_INPUT_MAX + 1];
	const char		*what = NULL, *h;
	size_t			 blen, hlen;
	int			 defanged = 0, rc;

	if (detected || (ok->kind != NORM_WALLET && ok->kind != NORM_ALIAS))
		rc = refang(buf, sizeof(buf), &blen, in, len);
	else
		rc = 0;
	if (rc == 2)
		return tx_err_set(err, TX_EINVAL, "defanged more than %d "
		    "times over", REFANG_MAX);
	if (rc == 1 && blen > 0) {
		rk = detected ? obs_kind_detect(buf, blen) : ok;
		if (rk != NULL && rk->kind != NORM_ALIAS) {
			ok = rk;
			in = buf;
			len = blen;
			defanged = 1;
		}
	}
	if (ok->kind == NORM_DOMAIN) {
		switch (defang_host(&h, &hlen, in, len)) {
		case DEFANG_URL:
			what = "a URL given: its host taken";
			break;
		case DEFANG_EMAIL:
			what = "an e-mail address given: its domain taken";
			break;
		case DEFANG_PLAIN:
			break;
		}
		if (what != NULL) {
			in = h;
			len = hlen;
		}
	}
	if ((rc = ok->normalise(&r, ok->kind, chain, in, len, err)) < 0)
		return rc;
	if (defanged || what != NULL)
		snprintf(r.note + strlen(r.note), sizeof(r.note) -
		    strlen(r.note), "%s%s%s%s", r.note[0] ? "; " : "",
		    defanged ? "defanged input restored" : "",
		    defanged && what != NULL ? "; " : "",
		    what != NULL ? what : "");
	*out = r;
	return 0;
}

int
norm_value(struct norm_result *out, enum norm_kind kind, const char *chain,
    const char *in, size_t len, struct tx_err *err)
{
	const struct obs_kind	*ok;

	if (in == NULL)
		return tx_err_set(err, TX_EINVAL, "no value");
	if (len > NORM_INPUT_MAX)
		return tx_err_set(err, TX_ELIMIT, "value longer than %d bytes",
		    NORM_INPUT_MAX);
	norm_trim(&in, &len);
	if (len == 0)
		return tx_err_set(err, TX_EINVAL, "empty value");
	if (memchr(in, '\0', len) != NULL)
		return tx_err_set(err, TX_EINVAL, "NUL byte in value");
	/* The canonical form goes into JSON: e-mail local parts and URLs
	   would otherwise keep bytes that are not UTF-8 (fuzz/norm). */
	if (stix_utf8_check((const uint8_t *)in, len, NULL) != 0)
		return tx_err_set(err, TX_EINVAL, "value is not valid UTF-8");
	if (kind == NORM_UNKNOWN)
		ok = obs_kind_detect(in, len);
	else
		ok = obs_kind_get(kind);
	if (ok == NULL)
		return tx_err_set(err, TX_EINVAL, "unknown kind");
	return norm_unwrapped(out, ok, kind == NORM_UNKNOWN, chain, in, len,
	    err);
}
