/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wallet_int.h - inside the wallet normaliser (not for other layers): the
 * parsed-address record and the address-format parsers that the rows of
 * the chain table (wallet.c) point to. One file per family of formats:
 * wallet_bech32.c (segwit, BNB Beacon Chain, cashaddr), wallet_evm.c
 * (0x + EIP-55), wallet_b58.c (base58check, Ripple, Monero, Solana).
 *
 * Every parser takes the trimmed, length-capped value (s, n) and the
 * chain row it parses for (whose name is recorded), fills *wp on success
 * and returns 0, or TX_EINVAL / TX_ELIMIT with the reason in err.
 */
#ifndef TX_WALLET_INT_H
#define TX_WALLET_INT_H

#include <stddef.h>
#include <stdint.h>

#include "norm.h"
#include "wallet.h"

struct tx_err;

#define WALLET_MAX_CHARS 128	/* longest format: Monero integrated, 106 */
#define WALLET_VERBATIM_MAX 256	/* unknown chains: kept as given, capped */

/* A parsed address: canonical text, chain name, note. */
struct wallet_parsed {
	char	canon[WALLET_VERBATIM_MAX + 1];
	char	chain[NORM_CHAIN_MAX];
	char	note[NORM_NOTE_MAX];
};

/* Fill wp (canon capped at WALLET_VERBATIM_MAX; chain, note truncated). */
void	wallet_parsed_set(struct wallet_parsed *wp, const char *canon, size_t n,
	    const char *chain, const char *note);

/* 1 if s[0..n) starts with p, ASCII case-insensitive. */
int	wallet_has_prefix_ci(const char *s, size_t n, const char *p);

/* wallet_bech32.c */

/* 1 if s is a cashaddr payload without prefix: q/p + 41 bech32 chars. */
int	wallet_looks_cashaddr(const char *s, size_t n);

/* Segwit address of the row's hrp (c->hrp), lowercased. */
int	wallet_parse_segwit(struct wallet_parsed *wp,
	    const struct wallet_chain *c, const char *s, size_t n,
	    struct tx_err *err);
/* BNB Beacon Chain: bech32, hrp "bnb", 20 bytes; lowercased. */
int	wallet_parse_bnb(struct wallet_parsed *wp,
	    const struct wallet_chain *c, const char *s, size_t n,
	    struct tx_err *err);
/* Cashaddr with or without "bitcoincash:", to "bitcoincash:" + lowercase. */
int	wallet_parse_cashaddr(struct wallet_parsed *wp,
	    const struct wallet_chain *c, const char *s, size_t n,
	    struct tx_err *err);

/* wallet_evm.c */

/* "0x" + 40 hex digits, EIP-55 verified when mixed case; lowercased. */
int	wallet_parse_evm(struct wallet_parsed *wp,
	    const struct wallet_chain *c, const char *s, size_t n,
	    struct tx_err *err);

/* wallet_b58.c */

/*
 * Base58check of a 20-byte hash under one of c's version bytes (c->b58),
 * kept as written. c NULL: detection, every row's versions in table order
 * (the first row that lists a version wins, with that version's note).
 */
int	wallet_parse_b58check(struct wallet_parsed *wp,
	    const struct wallet_chain *c, const char *s, size_t n,
	    struct tx_err *err);
/* Ripple: base58check in Ripple's alphabet, version 0x00. */
int	wallet_parse_ripple(struct wallet_parsed *wp,
	    const struct wallet_chain *c, const char *s, size_t n,
	    struct tx_err *err);
/* Monero: standard, subaddress or integrated mainnet, Keccak checksum. */
int	wallet_parse_monero(struct wallet_parsed *wp,
	    const struct wallet_chain *c, const char *s, size_t n,
	    struct tx_err *err);
/* Solana: plain base58 of 32 bytes (no checksum: noted). */
int	wallet_parse_solana(struct wallet_parsed *wp,
	    const struct wallet_chain *c, const char *s, size_t n,
	    struct tx_err *err);

#endif
