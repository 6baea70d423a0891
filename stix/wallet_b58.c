/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wallet_b58.c - the base58 family of address formats: base58check of a
 * 20-byte hash under a chain's version bytes (Bitcoin, Tron, Litecoin,
 * Zcash transparent, Dash, ...), Ripple (base58check in its own alphabet),
 * Monero (block base58 + Keccak checksum) and Solana (plain base58 of a
 * 32-byte key, no checksum). Decoding is crypto/base58.
 *
 * Trusts nothing about the input: the decoders bound their output and
 * never read past n; a value is accepted only when it decodes completely,
 * its checksum (where the format has one) verifies, and its version and
 * length are those of an address.
 */
#include <string.h>

#include "base58.h"
#include "err.h"
#include "keccak.h"
#include "wallet_int.h"

/* ---- base58check of a 20-byte hash, and Ripple ---- */

/* The version of c that raw (len bytes) has, or NULL. */
static const struct wallet_b58_version *
b58_version_of(const struct wallet_chain *c, const uint8_t *raw, size_t len)
{
	const struct wallet_b58_version	*v;
	size_t				 i;

	for (i = 0; i < WALLET_B58_MAX && c->b58[i].vlen > 0; i++) {
		v = &c->b58[i];
		if (len == v->vlen + 20 && memcmp(raw, v->v, v->vlen) == 0)
			return v;
	}
	return NULL;
}

int
wallet_parse_b58check(struct wallet_parsed *wp, const struct wallet_chain *c,
    const char *s, size_t n, struct tx_err *err)
{
	const struct wallet_b58_version	*v = NULL;
	const struct wallet_chain	*row = c;
	uint8_t				 raw[64];
	size_t				 len, i;
	int				 rc;

	rc = base58check_decode(raw, sizeof(raw), &len,
	    base58_alphabet_bitcoin, s, n);
	if (rc == TX_EAUTH)
		return tx_err_set(err, TX_EINVAL,
		    "base58check checksum mismatch");
	if (rc < 0)
		return tx_err_set(err, TX_EINVAL, "not valid base58check");
	if (c != NULL)
		v = b58_version_of(c, raw, len);
	for (i = 0; c == NULL && v == NULL && i < wallet_chain_count(); i++) {
		row = wallet_chain_at(i);
		v = b58_version_of(row, raw, len);
	}
	if (v != NULL) {
		wallet_parsed_set(wp, s, n, row->name, c == NULL &&
		    v->note != NULL ? v->note : "");
		return 0;
	}
	if (len == 21 || len == 22)
		return tx_err_set(err, TX_EINVAL,
		    "base58check version 0x%02x is not a known %saddress type",
		    raw[0], c == NULL ? "" : "for this chain ");
	return tx_err_set(err, TX_EINVAL,
	    "base58check payload of %zu bytes is not an address", len);
}

int
wallet_parse_ripple(struct wallet_parsed *wp, const struct wallet_chain *c,
    const char *s, size_t n, struct tx_err *err)
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
	wallet_parsed_set(wp, s, n, c->name, "");
	return 0;
}

/* ---- Monero and Solana ---- */

int
wallet_parse_monero(struct wallet_parsed *wp, const struct wallet_chain *c,
    const char *s, size_t n, struct tx_err *err)
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
	wallet_parsed_set(wp, s, n, c->name, "");
	return 0;
}

int
wallet_parse_solana(struct wallet_parsed *wp, const struct wallet_chain *c,
    const char *s, size_t n, struct tx_err *err)
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
	wallet_parsed_set(wp, s, n, c->name, "checksum not verifiable (Solana "
	    "addresses have none)");
	return 0;
}
