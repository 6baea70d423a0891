/* SPDX-License-Identifier: Apache-2.0 */
/*
 * norm.c - the normalisation dispatcher: kind names, the shared result
 * helpers, and the detection of an untyped lookup value's kind.
 *
 * Detection order (first match decides, and the chosen kind's reason is
 * the refusal, so a mistyped address is refused, never re-read as an
 * alias): "scheme://" -> url; an IP (or CIDR, [v6]) -> ipv4/ipv6; one '@'
 * with no space -> email; address shape (0x..., bc1/ltc1/bnb1...,
 * bitcoincash:..., 64 hex digits, or base58-only text of address length
 * with a digit) -> wallet; a '.' and no space -> domain; else -> alias.
 */
#include "norm.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "alias.h"
#include "domain.h"
#include "email.h"
#include "err.h"
#include "ip.h"
#include "url.h"
#include "wallet.h"

static const struct {
	enum norm_kind	 kind;
	const char	*name;
	const char	*sco;
} norm_kinds[] = {
	{ NORM_UNKNOWN, "unknown", NULL },
	{ NORM_WALLET, "wallet", "cryptocurrency-wallet" },
	{ NORM_DOMAIN, "domain", "domain-name" },
	{ NORM_EMAIL, "email", "email-addr" },
	{ NORM_URL, "url", "url" },
	{ NORM_IPV4, "ipv4", "ipv4-addr" },
	{ NORM_IPV6, "ipv6", "ipv6-addr" },
	{ NORM_ALIAS, "alias", "persona" },
};

#define NKINDS (sizeof(norm_kinds) / sizeof(norm_kinds[0]))

const char *
norm_kind_name(enum norm_kind k)
{
	if ((size_t)k < NKINDS)
		return norm_kinds[k].name;
	return "unknown";
}

const char *
norm_kind_sco_type(enum norm_kind k)
{
	if ((size_t)k < NKINDS)
		return norm_kinds[k].sco;
	return NULL;
}

int
norm_kind_from_name(enum norm_kind *out, const char *name)
{
	size_t	i;

	if (name == NULL)
		return TX_EINVAL;
	if (strcasecmp(name, "auto") == 0) {
		*out = NORM_UNKNOWN;
		return 0;
	}
	if (strcasecmp(name, "persona") == 0 ||
	    strcasecmp(name, "e-mail") == 0) {
		*out = name[0] == 'p' || name[0] == 'P' ? NORM_ALIAS :
		    NORM_EMAIL;
		return 0;
	}
	for (i = 1; i < NKINDS; i++)
		if (strcasecmp(name, norm_kinds[i].name) == 0) {
			*out = norm_kinds[i].kind;
			return 0;
		}
	return TX_EINVAL;
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

static int
has_space(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (isspace((unsigned char)s[i]))
			return 1;
	return 0;
}

static int
looks_like_address(const char *s, size_t n)
{
	static const char b58[] =
	    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
	static const char b32[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
	size_t	i;
	int	digit = 0, hex = 1;

	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return 1;
	if (n >= 12 && strncasecmp(s, "bitcoincash:", 12) == 0)
		return 1;
	if (n >= 14 && (strncasecmp(s, "bc1", 3) == 0 ||
	    strncasecmp(s, "ltc1", 4) == 0 || strncasecmp(s, "bnb1", 4) == 0))
		return 1;
	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			hex = 0;
	if (hex && n == 64)
		return 1;
	/* cashaddr without prefix: q/p + 41 characters of bech32's set */
	if (n == 42 && (tolower((unsigned char)s[0]) == 'q' ||
	    tolower((unsigned char)s[0]) == 'p')) {
		for (i = 0; i < n; i++)
			if (s[i] == '\0' || strchr(b32,
			    tolower((unsigned char)s[i])) == NULL)
				break;
		if (i == n)
			return 1;
	}
	if (!(n >= 25 && n <= 44) && n != 95 && n != 106)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '\0' || strchr(b58, s[i]) == NULL)
			return 0;
		if (isdigit((unsigned char)s[i]))
			digit = 1;
	}
	return digit;
}

static enum norm_kind
norm_detect(const char *s, size_t n)
{
	struct norm_result	r;
	const char		*at;

	if (n >= 4 && memmem(s, n, "://", 3) != NULL)
		return NORM_URL;
	if (n < 64 && ip_normalize(&r, NORM_UNKNOWN, s, n, NULL) == 0)
		return r.kind;
	at = memchr(s, '@', n);
	if (at != NULL && !has_space(s, n) && memchr(at + 1, '@',
	    n - (size_t)(at - s) - 1) == NULL)
		return NORM_EMAIL;
	if (!has_space(s, n) && looks_like_address(s, n))
		return NORM_WALLET;
	if (!has_space(s, n) && memchr(s, '.', n) != NULL)
		return NORM_DOMAIN;
	return NORM_ALIAS;
}

int
norm_value(struct norm_result *out, enum norm_kind kind, const char *chain,
    const char *in, size_t len, struct tx_err *err)
{
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
	if (kind == NORM_UNKNOWN)
		kind = norm_detect(in, len);
	switch (kind) {
	case NORM_WALLET:
		return wallet_normalize(out, chain, in, len, err);
	case NORM_DOMAIN:
		return domain_normalize(out, in, len, err);
	case NORM_EMAIL:
		return email_normalize(out, in, len, err);
	case NORM_URL:
		return url_normalize(out, in, len, err);
	case NORM_IPV4:
	case NORM_IPV6:
		return ip_normalize(out, (int)kind, in, len, err);
	case NORM_ALIAS:
		return alias_normalize(out, in, len, err);
	case NORM_UNKNOWN:
		break;
	}
	return tx_err_set(err, TX_EINVAL, "unknown kind");
}
