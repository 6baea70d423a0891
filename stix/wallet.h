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
 *
 * Each chain is one row of the chain table (struct wallet_chain, in
 * wallet.c): its name and tickers, the parser that verifies and
 * canonicalises its addresses, how it is recognised when no chain is
 * given, and its base58check version bytes. Adding a chain is one row,
 * plus one wallet_*.c file when its address format is new.
 */
#ifndef TX_WALLET_H
#define TX_WALLET_H

#include <stddef.h>
#include <stdint.h>

struct norm_result;
struct tx_err;
struct wallet_chain;
struct wallet_parsed;

/*
 * Verify and canonicalise (s, n) as an address of chain c (wallet_int.h),
 * recording c->name. Returns 0, TX_EINVAL with the reason, or TX_ELIMIT;
 * a detect function also returns WALLET_NOMATCH when (s, n) does not have
 * the chain's shape (nothing set in err, the next row is tried).
 */
typedef int	wallet_parse_fn(struct wallet_parsed *wp,
		    const struct wallet_chain *c, const char *s, size_t n,
		    struct tx_err *err);

#define WALLET_NOMATCH	1

/* What refuses a mistyped address of a chain. */
enum wallet_checksum {
	WALLET_CK_ALWAYS,	/* every address carries a checksum */
	WALLET_CK_MIXED_CASE,	/* only mixed-case ones (EIP-55) */
	WALLET_CK_NONE		/* the format has none (Solana): noted */
};

/* A base58check version prefix of 20-byte-hash addresses. */
struct wallet_b58_version {
	uint8_t		 v[2];
	size_t		 vlen;		/* 1 or 2; 0 ends the list */
	const char	*note;		/* note when detection picks it */
};

#define WALLET_ALIASES_MAX	3
#define WALLET_B58_MAX		4

struct wallet_chain {
	const char		*name;		/* recorded: "bitcoin" */
	const char		*aliases[WALLET_ALIASES_MAX]; /* "btc", "xbt" */
	wallet_parse_fn		*parse;		/* as this chain, when named */
	wallet_parse_fn		*detect;	/* by shape, when no chain is
						   named; NULL: only through
						   its b58 versions */
	int			 detect_rank;	/* order of the detect rows,
						   lower first; unique */
	const char		*hrp;		/* bech32 hrp or cashaddr prefix */
	struct wallet_b58_version b58[WALLET_B58_MAX];	/* detection order */
	enum wallet_checksum	 checksum;
	const char		*example;	/* a real address (tests) */
};

/* Number of chains, and the i-th (0 <= i < count; else NULL). */
size_t			 wallet_chain_count(void);
const struct wallet_chain *wallet_chain_at(size_t i);

/*
 * The chain of a name or ticker ("bitcoin", "BTC", "xbt"; ASCII
 * case-insensitive), or NULL when no row has it.
 */
const struct wallet_chain *wallet_chain_by_name(const char *name);

/*
 * Normalise one address. chain NULL or "" = detect from the format: the
 * detect rows in detect_rank order, the first whose shape fits decides;
 * a 64-hex-digit value (a hash or key) is refused between ranks 40 and
 * 60; then the base58check version bytes of every row in table order. An
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
