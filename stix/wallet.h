/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wallet.h - cryptocurrency addresses: detect the chain from the format
 * (or check against the chain given), verify the checksum where the format
 * has one, and produce one canonical string per address.
 *
 * Canonical forms: base58 formats as written (they are case-sensitive);
 * bech32/bech32m lowercase; cashaddr "bitcoincash:" + lowercase payload;
 * EVM "0x" + 40 lowercase hex digits; Monero as written.
 *
 * Chains: bitcoin (P2PKH, P2SH, bech32 v0, bech32m v1+), evm family
 * (ethereum, ethereum-classic, bsc, polygon, arbitrum, optimism, base,
 * avalanche, fantom), tron, litecoin, bitcoin-cash, monero, solana, and
 * the base58check formats of zcash (transparent), dash, bitcoin-gold,
 * dogecoin, verge, ripple, plus bnb-beacon-chain (bech32). Chain names
 * are case-insensitive and tickers are accepted (btc, xbt, eth, trx, ...).
 * An explicit chain this code does not know keeps the value verbatim with
 * a warning in note; it is never "fixed".
 */
#ifndef TX_WALLET_H
#define TX_WALLET_H

#include <stddef.h>
#include <stdint.h>

struct norm_result;
struct tx_err;

/*
 * Normalise one address. chain NULL or "" = detect from the format; an
 * 0x address detected this way is recorded with chain "evm". Returns 0,
 * TX_EINVAL with the reason in err (e.g. "EIP-55 checksum mismatch",
 * "bech32 checksum invalid", "base58check checksum mismatch"), or
 * TX_ELIMIT.
 */
int	wallet_normalize(struct norm_result *out, const char *chain,
	    const char *in, size_t len, struct tx_err *err);

/* Bech32 variants (BIP-173 / BIP-350). */
enum bech32_variant {
	BECH32_V0 = 1,	/* constant 1 */
	BECH32_VM = 2	/* bech32m, constant 0x2bc830a3 */
};

/*
 * Decode a bech32 or bech32m string (no length cap beyond 90 chars).
 * hrp receives the lowercase human-readable part (hrpmax bytes incl NUL),
 * data the 5-bit values without the checksum. Returns 0, TX_EINVAL (with
 * err saying which rule failed) or TX_ELIMIT.
 */
int	bech32_decode(char *hrp, size_t hrpmax, uint8_t *data, size_t datamax,
	    size_t *datalen, enum bech32_variant *variant, const char *s,
	    size_t n, struct tx_err *err);

/*
 * Decode a segwit address for hrp ("bc", "tb", "ltc"): witness version
 * into *witver, program (2..40 bytes) into prog. Applies BIP-350 (v0 needs
 * bech32, v1+ bech32m) and BIP-141 length rules. Returns 0 or TX_EINVAL.
 */
int	segwit_decode(int *witver, uint8_t prog[40], size_t *proglen,
	    const char *hrp, const char *s, size_t n, struct tx_err *err);

/*
 * Verify a cashaddr string "prefix:payload" (or bare payload with
 * default_prefix); on success payload 5-bit values (without checksum) go
 * to data and the lowercase prefix to prefix. Returns 0 or TX_EINVAL.
 */
int	cashaddr_decode(char *prefix, size_t prefixmax, uint8_t *data,
	    size_t datamax, size_t *datalen, const char *default_prefix,
	    const char *s, size_t n, struct tx_err *err);

/*
 * Encode type (0 P2PKH, 1 P2SH) and a 20-byte hash as cashaddr with
 * prefix into dst. Returns 0 or TX_ELIMIT.
 */
int	cashaddr_encode(char *dst, size_t dstmax, const char *prefix, int type,
	    const uint8_t hash[20]);

/*
 * EIP-55 checksummed form of 40 hex digits (any case) into dst (43 bytes:
 * "0x" + 40 + NUL). Returns 0 or TX_EINVAL.
 */
int	wallet_eip55(char dst[43], const char *hex40);

#endif
