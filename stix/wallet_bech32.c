/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wallet_bech32.c - the bech32 family of address formats: bech32 and
 * bech32m (BIP-173/350) with the segwit rules (BIP-141/350), BNB Beacon
 * Chain addresses, and Bitcoin Cash's cashaddr (its own polymod over the
 * same character set).
 *
 * Trusts nothing about the input: lengths are capped before decoding,
 * every character is class-checked, and a value is accepted only when its
 * checksum verifies and its payload has a valid length and padding.
 */
#include <ctype.h>
#include <string.h>

#include "err.h"
#include "wallet_int.h"

/* ---- bech32 / bech32m (BIP-173, BIP-350) ---- */

static const char bech32_charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

static int
bech32_rev(int c)
{
	const char	*q;

	c = tolower(c);
	if (c == 0)
		return -1;
	q = strchr(bech32_charset, c);
	return q == NULL ? -1 : (int)(q - bech32_charset);
}

static uint32_t
bech32_polymod_step(uint32_t pre)
{
	uint8_t	b = (uint8_t)(pre >> 25);

	return ((pre & 0x1ffffff) << 5) ^
	    (-((b >> 0) & 1) & 0x3b6a57b2UL) ^
	    (-((b >> 1) & 1) & 0x26508e6dUL) ^
	    (-((b >> 2) & 1) & 0x1ea119faUL) ^
	    (-((b >> 3) & 1) & 0x3d4233ddUL) ^
	    (-((b >> 4) & 1) & 0x2a1462b3UL);
}

int
bech32_decode(char *hrp, size_t hrpmax, uint8_t *data, size_t datamax,
    size_t *datalen, enum bech32_variant *variant, const char *s, size_t n,
    struct tx_err *err)
{
	uint32_t	chk = 1;
	size_t		i, pos;
	int		lower = 0, upper = 0, v;

	if (n > 90)
		return tx_err_set(err, TX_EINVAL,
		    "bech32 string longer than 90 characters");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 33 || c > 126)
			return tx_err_set(err, TX_EINVAL,
			    "bech32 invalid character at %zu", i);
		if (c >= 'a' && c <= 'z')
			lower = 1;
		if (c >= 'A' && c <= 'Z')
			upper = 1;
	}
	if (lower && upper)
		return tx_err_set(err, TX_EINVAL, "bech32 mixed case");
	pos = n;
	for (i = n; i > 0; i--)
		if (s[i - 1] == '1') {
			pos = i - 1;
			break;
		}
	if (pos == n)
		return tx_err_set(err, TX_EINVAL, "bech32 separator '1' missing");
	if (pos == 0)
		return tx_err_set(err, TX_EINVAL,
		    "bech32 empty human-readable part");
	if (pos + 7 > n)
		return tx_err_set(err, TX_EINVAL, "bech32 checksum too short");
	if (pos + 1 > hrpmax || n - pos - 7 > datamax)
		return tx_err_set(err, TX_ELIMIT, "bech32 string too long");
	for (i = 0; i < pos; i++) {
		hrp[i] = (char)tolower((unsigned char)s[i]);
		chk = bech32_polymod_step(chk) ^ ((unsigned)hrp[i] >> 5);
	}
	hrp[pos] = '\0';
	chk = bech32_polymod_step(chk);
	for (i = 0; i < pos; i++)
		chk = bech32_polymod_step(chk) ^ ((unsigned)hrp[i] & 31);
	for (i = pos + 1; i < n; i++) {
		if ((v = bech32_rev((unsigned char)s[i])) < 0)
			return tx_err_set(err, TX_EINVAL,
			    "bech32 invalid data character '%c'", s[i]);
		chk = bech32_polymod_step(chk) ^ (uint32_t)v;
		if (i + 6 < n)
			data[i - pos - 1] = (uint8_t)v;
	}
	if (chk == 1)
		*variant = BECH32_V0;
	else if (chk == 0x2bc830a3UL)
		*variant = BECH32_VM;
	else
		return tx_err_set(err, TX_EINVAL, "bech32 checksum invalid");
	*datalen = n - pos - 7;
	return 0;
}

/* Regroup 5-bit values into bytes, refusing non-zero or over-long padding. */
static int
bits5to8(uint8_t *out, size_t outmax, size_t *outlen, const uint8_t *in,
    size_t n)
{
	uint32_t	acc = 0;
	unsigned	bits = 0;
	size_t		i, o = 0;

	for (i = 0; i < n; i++) {
		acc = ((acc << 5) | in[i]) & 0xfff;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (o >= outmax)
				return -1;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	if (bits >= 5 || ((acc << (8 - bits)) & 0xff) != 0)
		return -1;
	*outlen = o;
	return 0;
}

static size_t
bits8to5(uint8_t *out, const uint8_t *in, size_t n)
{
	uint32_t	acc = 0;
	unsigned	bits = 0;
	size_t		i, o = 0;

	for (i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = (uint8_t)((acc >> bits) & 31);
		}
	}
	if (bits > 0)
		out[o++] = (uint8_t)((acc << (5 - bits)) & 31);
	return o;
}

int
segwit_decode(int *witver, uint8_t prog[40], size_t *proglen,
    const char *want_hrp, const char *s, size_t n, struct tx_err *err)
{
	char			hrp[84];
	uint8_t			data[90];
	size_t			dlen, plen;
	enum bech32_variant	var;
	int			rc;

	rc = bech32_decode(hrp, sizeof(hrp), data, sizeof(data), &dlen, &var,
	    s, n, err);
	if (rc < 0)
		return rc;
	if (strcmp(hrp, want_hrp) != 0)
		return tx_err_set(err, TX_EINVAL,
		    "bech32 human-readable part \"%s\" is not \"%s\"", hrp,
		    want_hrp);
	if (dlen < 1)
		return tx_err_set(err, TX_EINVAL, "segwit address without data");
	if (data[0] > 16)
		return tx_err_set(err, TX_EINVAL, "invalid witness version %u",
		    data[0]);
	if (bits5to8(prog, 40, &plen, data + 1, dlen - 1) < 0)
		return tx_err_set(err, TX_EINVAL,
		    "segwit program has invalid padding or length");
	if (plen < 2 || plen > 40)
		return tx_err_set(err, TX_EINVAL,
		    "segwit program of %zu bytes (2..40 allowed)", plen);
	if (data[0] == 0 && plen != 20 && plen != 32)
		return tx_err_set(err, TX_EINVAL,
		    "witness v0 program of %zu bytes (20 or 32 allowed)", plen);
	if (data[0] == 0 && var != BECH32_V0)
		return tx_err_set(err, TX_EINVAL, "bech32m checksum on a witness"
		    " v0 address (BIP-350 requires bech32)");
	if (data[0] != 0 && var != BECH32_VM)
		return tx_err_set(err, TX_EINVAL, "bech32 checksum on a witness"
		    " v1+ address (BIP-350 requires bech32m)");
	*witver = data[0];
	*proglen = plen;
	return 0;
}

/* ---- cashaddr ---- */

static uint64_t
cashaddr_polymod(const uint8_t *v, size_t n)
{
	uint64_t	c = 1;
	uint8_t		c0;
	size_t		i;

	for (i = 0; i < n; i++) {
		c0 = (uint8_t)(c >> 35);
		c = ((c & 0x07ffffffffULL) << 5) ^ v[i];
		if (c0 & 0x01)
			c ^= 0x98f2bc8e61ULL;
		if (c0 & 0x02)
			c ^= 0x79b76d99e2ULL;
		if (c0 & 0x04)
			c ^= 0xf33e5fb3c4ULL;
		if (c0 & 0x08)
			c ^= 0xae2eabe2a8ULL;
		if (c0 & 0x10)
			c ^= 0x1e4f43e470ULL;
	}
	return c ^ 1;
}

int
cashaddr_decode(char *prefix, size_t prefixmax, uint8_t *data,
    size_t datamax, size_t *datalen, const char *default_prefix,
    const char *s, size_t n, struct tx_err *err)
{
	uint8_t		v[128 + 20];
	const char	*colon, *pay;
	size_t		plen, paylen, i, k = 0;
	int		lower = 0, upper = 0, d;

	if (n > 120)
		return tx_err_set(err, TX_EINVAL, "cashaddr too long");
	for (i = 0; i < n; i++) {
		if (islower((unsigned char)s[i]))
			lower = 1;
		if (isupper((unsigned char)s[i]))
			upper = 1;
	}
	if (lower && upper)
		return tx_err_set(err, TX_EINVAL, "cashaddr mixed case");
	colon = memchr(s, ':', n);
	if (colon != NULL) {
		plen = (size_t)(colon - s);
		pay = colon + 1;
		if (plen == 0 || plen + 1 > prefixmax)
			return tx_err_set(err, TX_EINVAL,
			    "cashaddr prefix empty or too long");
		for (i = 0; i < plen; i++) {
			if (!isalnum((unsigned char)s[i]))
				return tx_err_set(err, TX_EINVAL,
				    "cashaddr prefix has invalid character");
			prefix[i] = (char)tolower((unsigned char)s[i]);
		}
		prefix[plen] = '\0';
	} else {
		plen = strlen(default_prefix);
		if (plen + 1 > prefixmax)
			return tx_err_set(err, TX_ELIMIT, "cashaddr prefix");
		memcpy(prefix, default_prefix, plen + 1);
		pay = s;
	}
	paylen = n - (size_t)(pay - s);
	if (paylen < 8 || paylen - 8 > datamax)
		return tx_err_set(err, TX_EINVAL,
		    "cashaddr payload too short or too long");
	for (i = 0; i < plen; i++)
		v[k++] = (uint8_t)(prefix[i] & 31);
	v[k++] = 0;
	for (i = 0; i < paylen; i++) {
		if ((d = bech32_rev((unsigned char)pay[i])) < 0)
			return tx_err_set(err, TX_EINVAL,
			    "cashaddr invalid character '%c'", pay[i]);
		v[k++] = (uint8_t)d;
		if (i + 8 < paylen)
			data[i] = (uint8_t)d;
	}
	if (cashaddr_polymod(v, k) != 0)
		return tx_err_set(err, TX_EINVAL, "cashaddr checksum invalid");
	*datalen = paylen - 8;
	return 0;
}

int
cashaddr_encode(char *dst, size_t dstmax, const char *prefix, int type,
    const uint8_t hash[20])
{
	uint8_t		raw[21], v[128];
	uint64_t	mod;
	size_t		plen = strlen(prefix), k = 0, d5, i, o = 0;

	if (plen + 1 + 34 + 8 + 1 > dstmax || plen > 60)
		return TX_ELIMIT;
	raw[0] = (uint8_t)(type << 3);
	memcpy(raw + 1, hash, 20);
	for (i = 0; i < plen; i++)
		v[k++] = (uint8_t)(prefix[i] & 31);
	v[k++] = 0;
	d5 = bits8to5(v + k, raw, sizeof(raw));
	memset(v + k + d5, 0, 8);
	mod = cashaddr_polymod(v, k + d5 + 8);
	memcpy(dst, prefix, plen);
	o = plen;
	dst[o++] = ':';
	for (i = 0; i < d5; i++)
		dst[o++] = bech32_charset[v[k + i]];
	for (i = 0; i < 8; i++)
		dst[o++] = bech32_charset[(mod >> (5 * (7 - i))) & 31];
	dst[o] = '\0';
	return 0;
}

/* ---- the parsers of the chain rows ---- */

int
wallet_parse_segwit(struct wallet_parsed *wp, const struct wallet_chain *c,
    const char *s, size_t n, struct tx_err *err)
{
	uint8_t	prog[40];
	char	low[91];
	size_t	plen, i;
	int	wv, rc;

	if ((rc = segwit_decode(&wv, prog, &plen, c->hrp, s, n, err)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	wallet_parsed_set(wp, low, n, c->name, "");
	return 0;
}

int
wallet_parse_bnb(struct wallet_parsed *wp, const struct wallet_chain *c,
    const char *s, size_t n, struct tx_err *err)
{
	char			hrp[84], low[91];
	uint8_t			data[90], b[64];
	size_t			dlen, blen, i;
	enum bech32_variant	var;
	int			rc;

	rc = bech32_decode(hrp, sizeof(hrp), data, sizeof(data), &dlen, &var,
	    s, n, err);
	if (rc < 0)
		return rc;
	if (strcmp(hrp, c->hrp) != 0 || var != BECH32_V0 ||
	    bits5to8(b, sizeof(b), &blen, data, dlen) < 0 || blen != 20)
		return tx_err_set(err, TX_EINVAL,
		    "not a %s address (%s1, bech32, 20 bytes)", c->name,
		    c->hrp);
	for (i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	wallet_parsed_set(wp, low, n, c->name, "");
	return 0;
}

int
wallet_parse_cashaddr(struct wallet_parsed *wp, const struct wallet_chain *c,
    const char *s, size_t n, struct tx_err *err)
{
	static const size_t	hashlen[8] = { 20, 24, 28, 32, 40, 48, 56, 64 };
	char			prefix[64], canon[128];
	uint8_t			data[120], b[80];
	size_t			dlen, blen, i, o;
	int			rc;

	rc = cashaddr_decode(prefix, sizeof(prefix), data, sizeof(data), &dlen,
	    c->hrp, s, n, err);
	if (rc < 0)
		return rc;
	if (strcmp(prefix, c->hrp) != 0)
		return tx_err_set(err, TX_EINVAL,
		    "cashaddr prefix \"%s\" is not %s", prefix, c->hrp);
	if (bits5to8(b, sizeof(b), &blen, data, dlen) < 0 || blen < 1 ||
	    blen - 1 != hashlen[b[0] & 7] || (b[0] & 0x80) != 0 ||
	    (b[0] >> 3) > 1)
		return tx_err_set(err, TX_EINVAL,
		    "cashaddr version byte or hash length invalid");
	o = strlen(prefix);
	memcpy(canon, prefix, o);
	canon[o++] = ':';
	/* the payload: the part after the colon when present */
	{
		const char *colon = memchr(s, ':', n);
		const char *pay = colon ? colon + 1 : s;
		size_t plen = n - (size_t)(pay - s);

		for (i = 0; i < plen && o < sizeof(canon) - 1; i++)
			canon[o++] = (char)tolower((unsigned char)pay[i]);
	}
	wallet_parsed_set(wp, canon, o, c->name, "");
	return 0;
}

int
wallet_looks_cashaddr(const char *s, size_t n)
{
	size_t	i;

	if (n != 42 || (tolower((unsigned char)s[0]) != 'q' &&
	    tolower((unsigned char)s[0]) != 'p'))
		return 0;
	for (i = 0; i < n; i++)
		if (bech32_rev((unsigned char)s[i]) < 0)
			return 0;
	return 1;
}
