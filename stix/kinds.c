/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kinds.c - the table of observable kinds (kinds.h) and the shape tests
 * that detect the kind of an untyped lookup value.
 *
 * Detection order (detect_rank; the first match decides, and the chosen
 * kind's reason is the refusal, so a mistyped address is refused, never
 * re-read as an alias): "scheme://" -> url; an IP (or CIDR, [v6]) ->
 * ipv4/ipv6; one '@' with no space -> email; address shape (0x...,
 * bc1/ltc1/bnb1..., bitcoincash:..., 64 hex digits, or base58-only text of
 * address length with a digit) -> wallet; a '.' and no space -> domain;
 * else -> alias.
 *
 * Trusts its input only as norm_value hands it over: trimmed, non-empty,
 * at most NORM_INPUT_MAX bytes, no NUL.
 */
#include "kinds.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "alias.h"
#include "domain.h"
#include "email.h"
#include "err.h"
#include "extdefs.h"
#include "ids.h"
#include "ip.h"
#include "url.h"
#include "wallet.h"

/* ---- normalisers: the kind files' functions under one signature ---- */

static int
norm_wallet(struct norm_result *out, enum norm_kind kind, const char *chain,
    const char *in, size_t len, struct tx_err *err)
{
	return wallet_normalize(out, chain, in, len, err);
}

static int
norm_domain(struct norm_result *out, enum norm_kind kind, const char *chain,
    const char *in, size_t len, struct tx_err *err)
{
	return domain_normalize(out, in, len, err);
}

static int
norm_email(struct norm_result *out, enum norm_kind kind, const char *chain,
    const char *in, size_t len, struct tx_err *err)
{
	return email_normalize(out, in, len, err);
}

static int
norm_url(struct norm_result *out, enum norm_kind kind, const char *chain,
    const char *in, size_t len, struct tx_err *err)
{
	return url_normalize(out, in, len, err);
}

static int
norm_ip(struct norm_result *out, enum norm_kind kind, const char *chain,
    const char *in, size_t len, struct tx_err *err)
{
	return ip_normalize(out, (int)kind, in, len, err);
}

static int
norm_alias(struct norm_result *out, enum norm_kind kind, const char *chain,
    const char *in, size_t len, struct tx_err *err)
{
	return alias_normalize(out, in, len, err);
}

/* ---- sniffs: the shape of an untyped value ---- */

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
sniff_url(const char *s, size_t n)
{
	return n >= 4 && memmem(s, n, "://", 3) != NULL;
}

static int
sniff_ipv4(const char *s, size_t n)
{
	struct norm_result	r;

	return n < 64 && ip_normalize(&r, NORM_IPV4, s, n, NULL) == 0;
}

static int
sniff_ipv6(const char *s, size_t n)
{
	struct norm_result	r;

	return n < 64 && ip_normalize(&r, NORM_IPV6, s, n, NULL) == 0;
}

static int
sniff_email(const char *s, size_t n)
{
	const char	*at = memchr(s, '@', n);

	return at != NULL && !has_space(s, n) && memchr(at + 1, '@',
	    n - (size_t)(at - s) - 1) == NULL;
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

/*
 * No address format (hex, base58, bech32, cashaddr) has a dot: a value
 * with one that merely starts like an address ("bc1rfhevjtbkk9.info",
 * "0x1.example") is a domain, and is looked up as one.
 */
static int
sniff_wallet(const char *s, size_t n)
{
	return !has_space(s, n) && memchr(s, '.', n) == NULL &&
	    looks_like_address(s, n);
}

static int
sniff_domain(const char *s, size_t n)
{
	return !has_space(s, n) && memchr(s, '.', n) != NULL;
}

/* The last resort: any text is a name. */
static int
sniff_any(const char *s, size_t n)
{
	return 1;
}

/* ---- the table ---- */

#define VALUE_PROP(f)	{ "value", (f), OBS_SRC_CANONICAL, NULL }

static const struct obs_kind kinds[] = {
	{
		.kind = NORM_WALLET, .name = "wallet",
		.sco_type = "cryptocurrency-wallet", .value_prop = "value",
		.ext_id = TX_EXT_WALLET_ID,
		.props = {
			VALUE_PROP(OBS_P_REQUIRED | OBS_P_ID),
			{ "chain", OBS_P_OPTIONAL, OBS_SRC_CHAIN, NULL },
		},
		.normalise = norm_wallet, .sniff = sniff_wallet,
		.detect_rank = 40, .flags = OBS_F_INDEX | OBS_F_ADD,
		.example = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
	},
	{
		.kind = NORM_DOMAIN, .name = "domain",
		.sco_type = "domain-name", .value_prop = "value",
		.props = { VALUE_PROP(OBS_P_REQUIRED | OBS_P_ID) },
		.normalise = norm_domain, .sniff = sniff_domain,
		.detect_rank = 50,
		.flags = OBS_F_INDEX | OBS_F_ADD | OBS_F_RPZ | OBS_F_SUFFIX,
		.example = "login.evil.example",
	},
	{
		.kind = NORM_EMAIL, .name = "email", .alias = "e-mail",
		.sco_type = "email-addr", .value_prop = "value",
		.props = { VALUE_PROP(OBS_P_REQUIRED | OBS_P_ID) },
		.normalise = norm_email, .sniff = sniff_email,
		.detect_rank = 30, .flags = OBS_F_INDEX | OBS_F_ADD,
		.example = "Recruiter+hr@evil.example",
	},
	{
		.kind = NORM_URL, .name = "url",
		.sco_type = "url", .value_prop = "value",
		.props = { VALUE_PROP(OBS_P_REQUIRED | OBS_P_ID) },
		.normalise = norm_url, .sniff = sniff_url,
		.detect_rank = 10, .flags = OBS_F_INDEX | OBS_F_HOST,
		.example = "https://evil.example/drop?id=1",
	},
	{
		.kind = NORM_IPV4, .name = "ipv4",
		.sco_type = "ipv4-addr", .value_prop = "value",
		.props = { VALUE_PROP(OBS_P_REQUIRED | OBS_P_ID) },
		.normalise = norm_ip, .sniff = sniff_ipv4,
		.detect_rank = 20, .flags = OBS_F_INDEX,
		.example = "198.51.100.7",
	},
	{
		.kind = NORM_IPV6, .name = "ipv6",
		.sco_type = "ipv6-addr", .value_prop = "value",
		.props = { VALUE_PROP(OBS_P_REQUIRED | OBS_P_ID) },
		.normalise = norm_ip, .sniff = sniff_ipv6,
		.detect_rank = 21, .flags = OBS_F_INDEX,
		.example = "2001:db8::7",
	},
	{
		.kind = NORM_ALIAS, .name = "alias", .alias = "persona",
		.sco_type = "persona", .value_prop = "persona_name",
		.ext_id = TX_EXT_PERSONA_ID,
		.props = {
			{ "persona_name", OBS_P_REQUIRED | OBS_P_ID,
			    OBS_SRC_CANONICAL, NULL },
			{ "persona_type", OBS_P_REQUIRED | OBS_P_ID,
			    OBS_SRC_CONST, "alias" },
			{ TX_PROP_DISPLAY, OBS_P_EXT, OBS_SRC_AS_WRITTEN,
			    NULL },
		},
		.normalise = norm_alias, .sniff = sniff_any,
		.detect_rank = 90,
		.flags = OBS_F_INDEX | OBS_F_ADD | OBS_F_MATCH_KEY,
		.example = "APT 38",
	},
};

#define NKINDS	(sizeof(kinds) / sizeof(kinds[0]))

/* ---- lookups ---- */

size_t
obs_kind_count(void)
{
	return NKINDS;
}

const struct obs_kind *
obs_kind_at(size_t i)
{
	return i < NKINDS ? &kinds[i] : NULL;
}

const struct obs_kind *
obs_kind_get(enum norm_kind k)
{
	size_t	i;

	for (i = 0; i < NKINDS; i++)
		if (kinds[i].kind == k)
			return &kinds[i];
	return NULL;
}

const struct obs_kind *
obs_kind_by_name(const char *name)
{
	size_t	i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < NKINDS; i++)
		if (strcasecmp(name, kinds[i].name) == 0 ||
		    (kinds[i].alias != NULL &&
		    strcasecmp(name, kinds[i].alias) == 0))
			return &kinds[i];
	return NULL;
}

const struct obs_kind *
obs_kind_by_sco_type(const char *type)
{
	size_t	i;

	if (type == NULL)
		return NULL;
	for (i = 0; i < NKINDS; i++)
		if (strcmp(type, kinds[i].sco_type) == 0)
			return &kinds[i];
	return NULL;
}

const struct obs_kind *
obs_kind_detect(const char *in, size_t len)
{
	const struct obs_kind	*best;
	int			 prev = 0;
	size_t			 i, round;

	/* Each round takes the next higher rank: at most NKINDS rounds. */
	for (round = 0; round < NKINDS; round++) {
		best = NULL;
		for (i = 0; i < NKINDS; i++)
			if (kinds[i].sniff != NULL &&
			    kinds[i].detect_rank > prev && (best == NULL ||
			    kinds[i].detect_rank < best->detect_rank))
				best = &kinds[i];
		if (best == NULL)
			break;
		if (best->sniff(in, len))
			return best;
		prev = best->detect_rank;
	}
	return NULL;
}

const struct obs_prop *
obs_kind_prop(const struct obs_kind *k, const char *name)
{
	size_t	i;

	for (i = 0; k != NULL && name != NULL && i < OBS_PROPS_MAX &&
	    k->props[i].name != NULL; i++)
		if (strcmp(k->props[i].name, name) == 0)
			return &k->props[i];
	return NULL;
}

const char *
obs_kind_key(const struct obs_kind *k, const struct norm_result *r)
{
	return k != NULL && (k->flags & OBS_F_MATCH_KEY) ? r->match_key :
	    r->canonical;
}

int
obs_kind_names(char *dst, size_t dstlen, unsigned flags, const char *sep)
{
	size_t	i, o = 0, nl, sl = strlen(sep);
	int	n = 0;

	if (dstlen == 0)
		return TX_ELIMIT;
	dst[0] = '\0';
	for (i = 0; i < NKINDS; i++) {
		if ((kinds[i].flags & flags) != flags)
			continue;
		nl = strlen(kinds[i].name);
		if (o + (n > 0 ? sl : 0) + nl + 1 > dstlen)
			return TX_ELIMIT;
		if (n > 0) {
			memcpy(dst + o, sep, sl);
			o += sl;
		}
		memcpy(dst + o, kinds[i].name, nl + 1);
		o += nl;
		n++;
	}
	return n;
}
