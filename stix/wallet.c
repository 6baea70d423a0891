/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wallet.c - address formats and checksums: base58check (crypto/base58),
 * bech32/bech32m (BIP-173/350), cashaddr, EIP-55 (Keccak-256), Monero
 * (block base58 + Keccak checksum), Solana (plain base58, 32 bytes).
 *
 * Trusts nothing about the input: every value is length-capped before
 * decoding (WALLET_MAX_CHARS), every character class-checked, and a value
 * is accepted only when it decodes completely under one format. Where the
 * format has a checksum the checksum decides; where it has none (lowercase
 * or uppercase 0x, Solana) the value is accepted with a note saying so.
 */
#include "wallet.h"

#include <ctype.h>
#include <string.h>

#include "base58.h"
#include "err.h"
#include "keccak.h"
#include "norm.h"

#define WALLET_MAX_CHARS 128	/* longest format: Monero integrated, 106 */
#define WALLET_VERBATIM_MAX 256	/* unknown chains: kept as given, capped */

enum chain_id {
	CH_NONE,
	CH_BITCOIN,
	CH_EVM,
	CH_TRON,
	CH_LITECOIN,
	CH_BCH,
	CH_MONERO,
	CH_SOLANA,
	CH_ZCASH,
	CH_DASH,
	CH_BTG,
	CH_DOGE,
	CH_VERGE,
	CH_RIPPLE,
	CH_BNB
};

/* Chain names accepted on input (lowercase) and the name recorded. */
static const struct {
	const char	*in;
	enum chain_id	 id;
	const char	*name;
} chain_names[] = {
	{ "bitcoin", CH_BITCOIN, "bitcoin" },
	{ "btc", CH_BITCOIN, "bitcoin" },
	{ "xbt", CH_BITCOIN, "bitcoin" },
	{ "evm", CH_EVM, "evm" },
	{ "ethereum", CH_EVM, "ethereum" },
	{ "eth", CH_EVM, "ethereum" },
	{ "ethereum-classic", CH_EVM, "ethereum-classic" },
	{ "etc", CH_EVM, "ethereum-classic" },
	{ "bsc", CH_EVM, "bsc" },
	{ "bnb-smart-chain", CH_EVM, "bsc" },
	{ "polygon", CH_EVM, "polygon" },
	{ "matic", CH_EVM, "polygon" },
	{ "arbitrum", CH_EVM, "arbitrum" },
	{ "arb", CH_EVM, "arbitrum" },
	{ "optimism", CH_EVM, "optimism" },
	{ "base", CH_EVM, "base" },
	{ "avalanche", CH_EVM, "avalanche" },
	{ "avax", CH_EVM, "avalanche" },
	{ "fantom", CH_EVM, "fantom" },
	{ "tron", CH_TRON, "tron" },
	{ "trx", CH_TRON, "tron" },
	{ "litecoin", CH_LITECOIN, "litecoin" },
	{ "ltc", CH_LITECOIN, "litecoin" },
	{ "bitcoin-cash", CH_BCH, "bitcoin-cash" },
	{ "bitcoincash", CH_BCH, "bitcoin-cash" },
	{ "bch", CH_BCH, "bitcoin-cash" },
	{ "monero", CH_MONERO, "monero" },
	{ "xmr", CH_MONERO, "monero" },
	{ "solana", CH_SOLANA, "solana" },
	{ "sol", CH_SOLANA, "solana" },
	{ "zcash", CH_ZCASH, "zcash" },
	{ "zec", CH_ZCASH, "zcash" },
	{ "dash", CH_DASH, "dash" },
	{ "bitcoin-gold", CH_BTG, "bitcoin-gold" },
	{ "btg", CH_BTG, "bitcoin-gold" },
	{ "dogecoin", CH_DOGE, "dogecoin" },
	{ "doge", CH_DOGE, "dogecoin" },
	{ "verge", CH_VERGE, "verge" },
	{ "xvg", CH_VERGE, "verge" },
	{ "ripple", CH_RIPPLE, "ripple" },
	{ "xrp", CH_RIPPLE, "ripple" },
	{ "bnb-beacon-chain", CH_BNB, "bnb-beacon-chain" },
};

/* Base58check version bytes of 20-byte-hash addresses, detection order. */
static const struct {
	enum chain_id	chain;
	uint8_t		v[2];
	size_t		vlen;
	const char	*name;
} b58_versions[] = {
	{ CH_BITCOIN, { 0x00 }, 1, "bitcoin" },
	{ CH_BITCOIN, { 0x05 }, 1, "bitcoin" },
	{ CH_TRON, { 0x41 }, 1, "tron" },
	{ CH_LITECOIN, { 0x30 }, 1, "litecoin" },
	{ CH_LITECOIN, { 0x32 }, 1, "litecoin" },
	{ CH_LITECOIN, { 0x05 }, 1, "litecoin" },
	{ CH_BCH, { 0x00 }, 1, "bitcoin-cash" },
	{ CH_BCH, { 0x05 }, 1, "bitcoin-cash" },
	{ CH_ZCASH, { 0x1c, 0xb8 }, 2, "zcash" },
	{ CH_ZCASH, { 0x1c, 0xbd }, 2, "zcash" },
	{ CH_DASH, { 0x4c }, 1, "dash" },
	{ CH_DASH, { 0x10 }, 1, "dash" },
	{ CH_BTG, { 0x26 }, 1, "bitcoin-gold" },
	{ CH_BTG, { 0x17 }, 1, "bitcoin-gold" },
	{ CH_DOGE, { 0x1e }, 1, "dogecoin" },
	{ CH_DOGE, { 0x16 }, 1, "dogecoin" },
	{ CH_VERGE, { 0x1e }, 1, "verge" },
	{ CH_VERGE, { 0x21 }, 1, "verge" },
};

/* A parsed address: canonical text, chain name, note. */
struct wallet_parsed {
	char	canon[WALLET_VERBATIM_MAX + 1];
	char	chain[NORM_CHAIN_MAX];
	char	note[NORM_NOTE_MAX];
};

static void
wp_set(struct wallet_parsed *wp, const char *canon, size_t n,
    const char *chain, const char *note)
{
	if (n > WALLET_VERBATIM_MAX)
		n = WALLET_VERBATIM_MAX;
	memcpy(wp->canon, canon, n);
	wp->canon[n] = '\0';
	strncpy(wp->chain, chain, sizeof(wp->chain) - 1);
	wp->chain[sizeof(wp->chain) - 1] = '\0';
	strncpy(wp->note, note, sizeof(wp->note) - 1);
	wp->note[sizeof(wp->note) - 1] = '\0';
}

static int
has_prefix_ci(const char *s, size_t n, const char *p)
{
	size_t	k = strlen(p);

	return n >= k && strncasecmp(s, p, k) == 0;
}

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

/* ---- EVM (EIP-55) ---- */

int
wallet_eip55(char dst[43], const char *hex40)
{
	uint8_t	h[KECCAK256_LEN];
	char	low[40];
	int	i, nib;

	for (i = 0; i < 40; i++) {
		if (!isxdigit((unsigned char)hex40[i]))
			return TX_EINVAL;
		low[i] = (char)tolower((unsigned char)hex40[i]);
	}
	keccak256(h, low, 40);
	dst[0] = '0';
	dst[1] = 'x';
	for (i = 0; i < 40; i++) {
		nib = (h[i / 2] >> (i % 2 ? 0 : 4)) & 0xf;
		dst[2 + i] = (char)(low[i] >= 'a' && nib >= 8 ?
		    toupper((unsigned char)low[i]) : low[i]);
	}
	dst[42] = '\0';
	return 0;
}

static int
parse_evm(struct wallet_parsed *wp, const char *chain, const char *s,
    size_t n, struct tx_err *err)
{
	char		canon[43], ck[43];
	const char	*note = "";
	size_t		i;
	int		lower = 0, upper = 0;

	if (n < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return tx_err_set(err, TX_EINVAL,
		    "not an EVM address (expected 0x and 40 hex digits)");
	if (n != 42)
		return tx_err_set(err, TX_EINVAL,
		    "EVM address has %zu hex digits, not 40", n - 2);
	for (i = 2; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return tx_err_set(err, TX_EINVAL,
			    "EVM address has a non-hex character at %zu", i);
		if (islower((unsigned char)s[i]))
			lower = 1;
		if (isupper((unsigned char)s[i]))
			upper = 1;
	}
	if (lower && upper) {
		wallet_eip55(ck, s + 2);
		if (memcmp(ck + 2, s + 2, 40) != 0)
			return tx_err_set(err, TX_EINVAL,
			    "EIP-55 checksum mismatch (mixed-case address "
			    "should read %s)", ck);
	} else if (upper)
		note = "checksum not verifiable (all-uppercase)";
	else if (lower)
		note = "checksum not verifiable (all-lowercase)";
	else
		note = "checksum not verifiable (no hex letters)";
	canon[0] = '0';
	canon[1] = 'x';
	for (i = 2; i < 42; i++)
		canon[i] = (char)tolower((unsigned char)s[i]);
	wp_set(wp, canon, 42, chain, note);
	return 0;
}

/* ---- base58check families ---- */

static int
parse_b58check(struct wallet_parsed *wp, enum chain_id want, const char *s,
    size_t n, struct tx_err *err)
{
	uint8_t	raw[64];
	size_t	len, i;
	int	rc;

	rc = base58check_decode(raw, sizeof(raw), &len,
	    base58_alphabet_bitcoin, s, n);
	if (rc == TX_EAUTH)
		return tx_err_set(err, TX_EINVAL,
		    "base58check checksum mismatch");
	if (rc < 0)
		return tx_err_set(err, TX_EINVAL, "not valid base58check");
	for (i = 0; i < sizeof(b58_versions) / sizeof(b58_versions[0]); i++) {
		if (want != CH_NONE && b58_versions[i].chain != want)
			continue;
		if (len != b58_versions[i].vlen + 20 ||
		    memcmp(raw, b58_versions[i].v, b58_versions[i].vlen) != 0)
			continue;
		wp_set(wp, s, n, b58_versions[i].name,
		    want == CH_NONE && raw[0] == 0x1e ?
		    "version 0x1e is shared by dogecoin and verge" : "");
		return 0;
	}
	if (len == 21 || len == 22)
		return tx_err_set(err, TX_EINVAL,
		    "base58check version 0x%02x is not a known %saddress type",
		    raw[0], want == CH_NONE ? "" : "for this chain ");
	return tx_err_set(err, TX_EINVAL,
	    "base58check payload of %zu bytes is not an address", len);
}

static int
parse_ripple(struct wallet_parsed *wp, const char *s, size_t n,
    struct tx_err *err)
{
	uint8_t	raw[64];
	size_t	len;
	int	rc;

	rc = base58check_decode(raw, sizeof(raw), &len, base58_alphabet_ripple,
	    s, n);
	if (rc == TX_EAUTH)
		return tx_err_set(err, TX_EINVAL,
		    "base58check checksum mismatch (ripple alphabet)");
	if (rc < 0 || len != 21 || raw[0] != 0x00)
		return tx_err_set(err, TX_EINVAL, "not a ripple address");
	wp_set(wp, s, n, "ripple", "");
	return 0;
}

/* ---- segwit, bnb, cashaddr wrappers ---- */

static int
parse_segwit(struct wallet_parsed *wp, const char *hrp, const char *chain,
    const char *s, size_t n, struct tx_err *err)
{
	uint8_t	prog[40];
	char	low[91];
	size_t	plen, i;
	int	wv, rc;

	if ((rc = segwit_decode(&wv, prog, &plen, hrp, s, n, err)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	wp_set(wp, low, n, chain, "");
	return 0;
}

static int
parse_bnb(struct wallet_parsed *wp, const char *s, size_t n,
    struct tx_err *err)
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
	if (strcmp(hrp, "bnb") != 0 || var != BECH32_V0 ||
	    bits5to8(b, sizeof(b), &blen, data, dlen) < 0 || blen != 20)
		return tx_err_set(err, TX_EINVAL,
		    "not a bnb-beacon-chain address (bnb1, bech32, 20 bytes)");
	for (i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	wp_set(wp, low, n, "bnb-beacon-chain", "");
	return 0;
}

static int
parse_cashaddr(struct wallet_parsed *wp, const char *s, size_t n,
    struct tx_err *err)
{
	static const size_t	hashlen[8] = { 20, 24, 28, 32, 40, 48, 56, 64 };
	char			prefix[64], canon[128];
	uint8_t			data[120], b[80];
	size_t			dlen, blen, i, o;
	int			rc;

	rc = cashaddr_decode(prefix, sizeof(prefix), data, sizeof(data), &dlen,
	    "bitcoincash", s, n, err);
	if (rc < 0)
		return rc;
	if (strcmp(prefix, "bitcoincash") != 0)
		return tx_err_set(err, TX_EINVAL,
		    "cashaddr prefix \"%s\" is not bitcoincash", prefix);
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
	wp_set(wp, canon, o, "bitcoin-cash", "");
	return 0;
}

/* ---- Monero and Solana ---- */

static int
parse_monero(struct wallet_parsed *wp, const char *s, size_t n,
    struct tx_err *err)
{
	uint8_t		raw[80], h[KECCAK256_LEN];
	size_t		len;
	const char	*what;

	if (n != 95 && n != 106)
		return tx_err_set(err, TX_EINVAL, "Monero address of %zu "
		    "characters (95 or 106 expected)", n);
	if (base58_monero_decode(raw, sizeof(raw), &len, s, n) < 0)
		return tx_err_set(err, TX_EINVAL, "not valid Monero base58");
	if (len == 69 && raw[0] == 18)
		what = "standard";
	else if (len == 69 && raw[0] == 42)
		what = "subaddress";
	else if (len == 77 && raw[0] == 19)
		what = "integrated";
	else
		return tx_err_set(err, TX_EINVAL,
		    "Monero network byte %u is not a mainnet address", raw[0]);
	keccak256(h, raw, len - 4);
	if (memcmp(h, raw + len - 4, 4) != 0)
		return tx_err_set(err, TX_EINVAL,
		    "Monero checksum mismatch (%s address)", what);
	wp_set(wp, s, n, "monero", "");
	return 0;
}

static int
parse_solana(struct wallet_parsed *wp, const char *s, size_t n,
    struct tx_err *err)
{
	uint8_t	raw[BASE58_MAX_CHARS];
	size_t	len;

	if (n < 32 || n > 44)
		return tx_err_set(err, TX_EINVAL, "Solana address of %zu "
		    "characters (32..44 expected)", n);
	if (base58_decode(raw, sizeof(raw), &len, base58_alphabet_bitcoin, s,
	    n) < 0)
		return tx_err_set(err, TX_EINVAL, "not valid base58");
	if (len != 32)
		return tx_err_set(err, TX_EINVAL,
		    "Solana address decodes to %zu bytes, not 32", len);
	wp_set(wp, s, n, "solana", "checksum not verifiable (Solana "
	    "addresses have none)");
	return 0;
}

/* ---- detection ---- */

static int
is_hex(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
looks_cashaddr(const char *s, size_t n)
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

static int
detect(struct wallet_parsed *wp, const char *s, size_t n, struct tx_err *err)
{
	uint8_t	raw[BASE58_MAX_CHARS];
	size_t	len;
	int	rc;

	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return parse_evm(wp, "evm", s, n, err);
	if (memchr(s, ':', n) != NULL)
		return parse_cashaddr(wp, s, n, err);
	if (has_prefix_ci(s, n, "bc1") || has_prefix_ci(s, n, "ltc1") ||
	    has_prefix_ci(s, n, "bnb1")) {
		if (has_prefix_ci(s, n, "bc1"))
			rc = parse_segwit(wp, "bc", "bitcoin", s, n, err);
		else if (has_prefix_ci(s, n, "ltc1"))
			rc = parse_segwit(wp, "ltc", "litecoin", s, n, err);
		else
			rc = parse_bnb(wp, s, n, err);
		/* a Solana key may start with these letters: exact 32 bytes */
		if (rc < 0 && base58_decode(raw, sizeof(raw), &len,
		    base58_alphabet_bitcoin, s, n) == 0 && len == 32)
			return parse_solana(wp, s, n, err);
		return rc;
	}
	if (looks_cashaddr(s, n))
		return parse_cashaddr(wp, s, n, err);
	if ((n == 95 || n == 106) && (s[0] == '4' || s[0] == '8'))
		return parse_monero(wp, s, n, err);
	if (n == 64 && is_hex(s, n))
		return tx_err_set(err, TX_EINVAL, "64 hex digits: a hash or "
		    "key, not a wallet address");
	if (s[0] == 'r' && n >= 25 && n <= 35 &&
	    parse_ripple(wp, s, n, NULL) == 0)
		return 0;
	rc = base58_decode(raw, sizeof(raw), &len, base58_alphabet_bitcoin,
	    s, n);
	if (rc < 0)
		return tx_err_set(err, TX_EINVAL,
		    "not a recognised wallet address format");
	if (len == 32)
		return parse_solana(wp, s, n, err);
	if (len == 25 || len == 26)
		return parse_b58check(wp, CH_NONE, s, n, err);
	return tx_err_set(err, TX_EINVAL,
	    "not a recognised wallet address format (base58 of %zu bytes)",
	    len);
}

static int
parse_for_chain(struct wallet_parsed *wp, enum chain_id id, const char *name,
    const char *s, size_t n, struct tx_err *err)
{
	uint8_t	raw[32];
	size_t	len;
	char	cash[64];
	int	rc;

	switch (id) {
	case CH_EVM:
		return parse_evm(wp, name, s, n, err);
	case CH_BITCOIN:
		if (has_prefix_ci(s, n, "bc1"))
			return parse_segwit(wp, "bc", name, s, n, err);
		return parse_b58check(wp, id, s, n, err);
	case CH_LITECOIN:
		if (has_prefix_ci(s, n, "ltc1"))
			return parse_segwit(wp, "ltc", name, s, n, err);
		return parse_b58check(wp, id, s, n, err);
	case CH_BCH:
		if (memchr(s, ':', n) != NULL || looks_cashaddr(s, n))
			return parse_cashaddr(wp, s, n, err);
		if ((rc = parse_b58check(wp, id, s, n, err)) < 0)
			return rc;
		/* legacy form: the same wallet as its cashaddr */
		rc = base58check_decode(raw, sizeof(raw), &len,
		    base58_alphabet_bitcoin, s, n);
		if (rc < 0 || len != 21 || cashaddr_encode(cash, sizeof(cash),
		    "bitcoincash", raw[0] == 0x05, raw + 1) < 0)
			return tx_err_set(err, TX_EFAIL, "cashaddr conversion");
		wp_set(wp, cash, strlen(cash), "bitcoin-cash",
		    "converted from legacy format");
		return 0;
	case CH_MONERO:
		return parse_monero(wp, s, n, err);
	case CH_SOLANA:
		return parse_solana(wp, s, n, err);
	case CH_RIPPLE:
		return parse_ripple(wp, s, n, err);
	case CH_BNB:
		return parse_bnb(wp, s, n, err);
	case CH_TRON:
	case CH_ZCASH:
	case CH_DASH:
	case CH_BTG:
	case CH_DOGE:
	case CH_VERGE:
		return parse_b58check(wp, id, s, n, err);
	case CH_NONE:
		break;
	}
	return detect(wp, s, n, err);
}

/* Lowercased chain name if it is a plausible identifier, else -1. */
static int
chain_lower(char *dst, size_t dstmax, const char *chain)
{
	size_t	i, n = strlen(chain);

	if (n == 0 || n >= dstmax)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)chain[i];
		if (!isalnum(c) && c != '-' && c != '_' && c != '.')
			return -1;
		dst[i] = (char)tolower(c);
	}
	dst[n] = '\0';
	return 0;
}

static int
verbatim_ok(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 32 || (unsigned char)s[i] >= 127)
			return 0;
	return 1;
}

int
wallet_normalize(struct norm_result *out, const char *chain, const char *in,
    size_t len, struct tx_err *err)
{
	struct wallet_parsed	wp;
	char			cl[NORM_CHAIN_MAX];
	size_t			i;
	int			rc;

	norm_trim(&in, &len);
	if (len == 0)
		return tx_err_set(err, TX_EINVAL, "empty wallet address");
	if (chain != NULL && chain[0] != '\0') {
		if (chain_lower(cl, sizeof(cl), chain) < 0)
			return tx_err_set(err, TX_EINVAL, "invalid chain name "
			    "(letters, digits, '-', '_', '.'; at most %d)",
			    NORM_CHAIN_MAX - 1);
		for (i = 0; i < sizeof(chain_names) / sizeof(chain_names[0]);
		    i++)
			if (strcmp(cl, chain_names[i].in) == 0)
				break;
		if (i == sizeof(chain_names) / sizeof(chain_names[0])) {
			if (len > WALLET_VERBATIM_MAX)
				return tx_err_set(err, TX_ELIMIT,
				    "wallet value longer than %d bytes",
				    WALLET_VERBATIM_MAX);
			if (!verbatim_ok(in, len))
				return tx_err_set(err, TX_EINVAL, "wallet value"
				    " has spaces, control or non-ASCII bytes");
			wp_set(&wp, in, len, cl, "unknown chain kept verbatim,"
			    " not verified");
			goto done;
		}
		if (len > WALLET_MAX_CHARS)
			return tx_err_set(err, TX_EINVAL, "too long for a %s "
			    "address", chain_names[i].name);
		rc = parse_for_chain(&wp, chain_names[i].id,
		    chain_names[i].name, in, len, err);
	} else {
		if (len > WALLET_MAX_CHARS)
			return tx_err_set(err, TX_EINVAL,
			    "too long for a wallet address");
		rc = detect(&wp, in, len, err);
	}
	if (rc < 0)
		return rc;
done:
	if ((rc = norm_result_set(out, NORM_WALLET, wp.canon,
	    strlen(wp.canon), err)) < 0)
		return rc;
	memcpy(out->chain, wp.chain, sizeof(out->chain));
	memcpy(out->note, wp.note, sizeof(out->note));
	return 0;
}
