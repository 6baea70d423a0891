/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wallet.c - the table of chains (one struct wallet_chain per chain),
 * chain names, the detection of an address's chain from its format, and
 * wallet_normalize. The address formats themselves are parsed in
 * wallet_bech32.c, wallet_evm.c and wallet_b58.c.
 *
 * Trusts nothing about the input: every value is length-capped before
 * decoding (WALLET_MAX_CHARS), every character class-checked, and a value
 * is accepted only when it decodes completely under one format. Where the
 * format has a checksum the checksum decides; where it has none (lowercase
 * or uppercase 0x, Solana) the value is accepted with a note saying so.
 *
 * Detection (no chain named): the rows with a detect function in
 * detect_rank order, the first whose shape fits decides (0x -> evm;
 * "prefix:" or a bare cashaddr -> bitcoin-cash; bc1 / ltc1 / bnb1 ->
 * bitcoin / litecoin / bnb-beacon-chain, or Solana when such a string is
 * not a valid bech32 address but an exact 32-byte base58 key; Monero's
 * lengths and first digits -> monero); then 64 hex digits are refused as a
 * hash or key; then ripple (only if it verifies) and Solana (base58 of 32
 * bytes); last, base58check of 20 bytes by the version bytes of every row
 * in table order (bitcoin before bitcoin-cash and litecoin, dogecoin
 * before verge: the first row listing a version wins).
 */
#include "wallet.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "base58.h"
#include "err.h"
#include "norm.h"
#include "wallet_int.h"

/* The 64-hex refusal comes after the detect rows ranked below this. */
#define WALLET_RANK_HASH	50

static wallet_parse_fn	parse_btc_like, parse_bch;
static wallet_parse_fn	detect_evm, detect_cashaddr, detect_hrp;
static wallet_parse_fn	detect_monero, detect_ripple, detect_solana;

#define EVM(n, a)	{ .name = (n), .aliases = a,			\
	.parse = wallet_parse_evm, .checksum = WALLET_CK_MIXED_CASE,	\
	.example = "0x47666Fab8bd0Ac7003bce3f5C3585383F09486E2" }
#define NOALIAS		{ NULL }
#define B58(a)		{ { (a) }, 1, NULL }
#define B58_2(a, b)	{ { (a), (b) }, 2, NULL }

/*
 * The chains. The order of the rows with base58check versions is the
 * detection order of those versions; detect_rank orders the detect rows.
 * Examples are real addresses (OFAC SDN list, FBI PSA I-022625-PSA,
 * BIP-173) or, for chains absent from them, an address of the same key in
 * the chain's own format.
 */
static const struct wallet_chain chains[] = {
	{ .name = "bitcoin", .aliases = { "btc", "xbt" },
	    .parse = parse_btc_like, .detect = detect_hrp, .detect_rank = 30,
	    .hrp = "bc", .b58 = { B58(0x00), B58(0x05) },
	    .example = "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h" },
	{ .name = "evm", .parse = wallet_parse_evm, .detect = detect_evm,
	    .detect_rank = 10, .checksum = WALLET_CK_MIXED_CASE,
	    .example = "0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135D" },
	EVM("ethereum", { "eth" }),
	EVM("ethereum-classic", { "etc" }),
	EVM("bsc", { "bnb-smart-chain" }),
	EVM("polygon", { "matic" }),
	EVM("arbitrum", { "arb" }),
	EVM("optimism", NOALIAS),
	EVM("base", NOALIAS),
	EVM("avalanche", { "avax" }),
	EVM("fantom", NOALIAS),
	{ .name = "tron", .aliases = { "trx" }, .parse = parse_btc_like,
	    .b58 = { B58(0x41) },
	    .example = "TA3941uFAvmVibSkQ6fMJXxmaSNovX86mz" },
	{ .name = "litecoin", .aliases = { "ltc" }, .parse = parse_btc_like,
	    .detect = detect_hrp, .detect_rank = 31, .hrp = "ltc",
	    .b58 = { B58(0x30), B58(0x32), B58(0x05) },
	    .example = "LaizKtS5DUhPuP1nTQcc83MS7HwK6vk85z" },
	{ .name = "bitcoin-cash", .aliases = { "bitcoincash", "bch" },
	    .parse = parse_bch, .detect = detect_cashaddr, .detect_rank = 20,
	    .hrp = "bitcoincash", .b58 = { B58(0x00), B58(0x05) },
	    .example =
	    "bitcoincash:qpf2cphc5dkuclkqur7lhj2yuqq9pk3hmukle77vhq" },
	{ .name = "monero", .aliases = { "xmr" },
	    .parse = wallet_parse_monero, .detect = detect_monero,
	    .detect_rank = 40,
	    .example = "49HqitRzdnhYjgTEAhgGpCfsjdTeMbUTU6cyR4JV1R7k2Eej9rGT8"
	    "JpFiYDa4tZM6RZiFrHmMzgSrhHEqpDYKBe5B2ufNsL" },
	{ .name = "solana", .aliases = { "sol" },
	    .parse = wallet_parse_solana, .detect = detect_solana,
	    .detect_rank = 70, .checksum = WALLET_CK_NONE,
	    .example = "42RLPACwZPx3vYYmxSueqsogfynBDqXK298EDsNoyoHi" },
	{ .name = "zcash", .aliases = { "zec" }, .parse = parse_btc_like,
	    .b58 = { B58_2(0x1c, 0xb8), B58_2(0x1c, 0xbd) },
	    .example = "t1g7wowvQ8gn2v8jrU1biyJ26sieNqNsBJy" },
	{ .name = "dash", .parse = parse_btc_like,
	    .b58 = { B58(0x4c), B58(0x10) },
	    .example = "XnPFsRWTaSgiVauosEwQ6dEitGYXgwznz2" },
	{ .name = "bitcoin-gold", .aliases = { "btg" },
	    .parse = parse_btc_like, .b58 = { B58(0x26), B58(0x17) },
	    .example = "GPwg61XoHqQPNmAucFACuQ5H9sGCDv9TpS" },
	{ .name = "dogecoin", .aliases = { "doge" }, .parse = parse_btc_like,
	    .b58 = { { { 0x1e }, 1,
	    "version 0x1e is shared by dogecoin and verge" }, B58(0x16) },
	    .example = "DFFJhnQNZf8rf67tYnesPu7MuGUpYtzv7Z" },
	{ .name = "verge", .aliases = { "xvg" }, .parse = parse_btc_like,
	    .b58 = { B58(0x1e), B58(0x21) },
	    .example = "DFFJhnQNZf8rf67tYnesPu7MuGUpYtzv7Z" },
	{ .name = "ripple", .aliases = { "xrp" },
	    .parse = wallet_parse_ripple, .detect = detect_ripple,
	    .detect_rank = 60,
	    .example = "rnXyVQzgxZe7TR1EPzTkGj2jxH4LMJYh66" },
	{ .name = "bnb-beacon-chain", .parse = wallet_parse_bnb,
	    .detect = detect_hrp, .detect_rank = 32, .hrp = "bnb",
	    .example = "bnb136ns6lfw4zs5hg4n85vdthaad7hq5m4gtkgf23" },
};

#define NCHAINS	(sizeof(chains) / sizeof(chains[0]))

size_t
wallet_chain_count(void)
{
	return NCHAINS;
}

const struct wallet_chain *
wallet_chain_at(size_t i)
{
	return i < NCHAINS ? &chains[i] : NULL;
}

const struct wallet_chain *
wallet_chain_by_name(const char *name)
{
	size_t	i, k;

	if (name == NULL)
		return NULL;
	for (i = 0; i < NCHAINS; i++) {
		if (strcasecmp(name, chains[i].name) == 0)
			return &chains[i];
		for (k = 0; k < WALLET_ALIASES_MAX &&
		    chains[i].aliases[k] != NULL; k++)
			if (strcasecmp(name, chains[i].aliases[k]) == 0)
				return &chains[i];
	}
	return NULL;
}

void
wallet_parsed_set(struct wallet_parsed *wp, const char *canon, size_t n,
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

int
wallet_has_prefix_ci(const char *s, size_t n, const char *p)
{
	size_t	k = strlen(p);

	return n >= k && strncasecmp(s, p, k) == 0;
}

/* 1 if s starts with the row's bech32 prefix "<hrp>1". */
static int
has_hrp(const struct wallet_chain *c, const char *s, size_t n)
{
	size_t	k;

	if (c->hrp == NULL)
		return 0;
	k = strlen(c->hrp);
	return n > k && wallet_has_prefix_ci(s, n, c->hrp) && s[k] == '1';
}

/* ---- parsers of rows that combine formats ---- */

/* Bitcoin-like: segwit with the row's hrp, else base58check versions. */
static int
parse_btc_like(struct wallet_parsed *wp, const struct wallet_chain *c,
    const char *s, size_t n, struct tx_err *err)
{
	if (has_hrp(c, s, n))
		return wallet_parse_segwit(wp, c, s, n, err);
	return wallet_parse_b58check(wp, c, s, n, err);
}

/* Bitcoin Cash: cashaddr, or legacy base58check converted to cashaddr. */
static int
parse_bch(struct wallet_parsed *wp, const struct wallet_chain *c,
    const char *s, size_t n, struct tx_err *err)
{
	uint8_t	raw[32];
	size_t	len;
	char	cash[64];
	int	rc;

	if (memchr(s, ':', n) != NULL || wallet_looks_cashaddr(s, n))
		return wallet_parse_cashaddr(wp, c, s, n, err);
	if ((rc = wallet_parse_b58check(wp, c, s, n, err)) < 0)
		return rc;
	/* legacy form: the same wallet as its cashaddr */
	rc = base58check_decode(raw, sizeof(raw), &len,
	    base58_alphabet_bitcoin, s, n);
	if (rc < 0 || len != 21 || cashaddr_encode(cash, sizeof(cash),
	    c->hrp, raw[0] == 0x05, raw + 1) < 0)
		return tx_err_set(err, TX_EFAIL, "cashaddr conversion");
	wallet_parsed_set(wp, cash, strlen(cash), c->name,
	    "converted from legacy format");
	return 0;
}

/* ---- detection: each returns WALLET_NOMATCH unless the shape fits ---- */

static int
detect_evm(struct wallet_parsed *wp, const struct wallet_chain *c,
    const char *s, size_t n, struct tx_err *err)
{
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return wallet_parse_evm(wp, c, s, n, err);
	return WALLET_NOMATCH;
}

static int
detect_cashaddr(struct wallet_parsed *wp, const struct wallet_chain *c,
    const char *s, size_t n, struct tx_err *err)
{
	if (memchr(s, ':', n) != NULL || wallet_looks_cashaddr(s, n))
		return wallet_parse_cashaddr(wp, c, s, n, err);
	return WALLET_NOMATCH;
}

static int
detect_hrp(struct wallet_parsed *wp, const struct wallet_chain *c,
    const char *s, size_t n, struct tx_err *err)
{
	const struct wallet_chain	*sol;
	uint8_t				 raw[BASE58_MAX_CHARS];
	size_t				 len;
	int				 rc;

	if (!has_hrp(c, s, n))
		return WALLET_NOMATCH;
	rc = c->parse(wp, c, s, n, err);
	/* a Solana key may start with these letters: exact 32 bytes */
	if (rc < 0 && (sol = wallet_chain_by_name("solana")) != NULL &&
	    base58_decode(raw, sizeof(raw), &len, base58_alphabet_bitcoin, s,
	    n) == 0 && len == 32)
		return sol->parse(wp, sol, s, n, err);
	return rc;
}

static int
detect_monero(struct wallet_parsed *wp, const struct wallet_chain *c,
    const char *s, size_t n, struct tx_err *err)
{
	if ((n == 95 || n == 106) && (s[0] == '4' || s[0] == '8'))
		return c->parse(wp, c, s, n, err);
	return WALLET_NOMATCH;
}

/* Ripple's 'r' is also a base58 digit: only an address that verifies. */
static int
detect_ripple(struct wallet_parsed *wp, const struct wallet_chain *c,
    const char *s, size_t n, struct tx_err *err)
{
	if (s[0] == 'r' && n >= 25 && n <= 35 &&
	    c->parse(wp, c, s, n, NULL) == 0)
		return 0;
	return WALLET_NOMATCH;
}

static int
detect_solana(struct wallet_parsed *wp, const struct wallet_chain *c,
    const char *s, size_t n, struct tx_err *err)
{
	uint8_t	raw[BASE58_MAX_CHARS];
	size_t	len;

	if (base58_decode(raw, sizeof(raw), &len, base58_alphabet_bitcoin, s,
	    n) == 0 && len == 32)
		return c->parse(wp, c, s, n, err);
	return WALLET_NOMATCH;
}

static int
is_hex(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* The detect row ranked next after rank prev, or NULL. */
static const struct wallet_chain *
next_detect_row(int prev)
{
	const struct wallet_chain	*best = NULL;
	size_t				 i;

	for (i = 0; i < NCHAINS; i++)
		if (chains[i].detect != NULL && chains[i].detect_rank > prev &&
		    (best == NULL || chains[i].detect_rank < best->detect_rank))
			best = &chains[i];
	return best;
}

static int
detect(struct wallet_parsed *wp, const char *s, size_t n, struct tx_err *err)
{
	const struct wallet_chain	*c;
	uint8_t				 raw[BASE58_MAX_CHARS];
	size_t				 len, round;
	int				 rc, prev = 0, hash_checked = 0;

	/* Each round takes the next higher rank: at most NCHAINS rounds. */
	for (round = 0; round <= NCHAINS; round++) {
		c = next_detect_row(prev);
		if (!hash_checked && (c == NULL ||
		    c->detect_rank > WALLET_RANK_HASH)) {
			hash_checked = 1;
			if (n == 64 && is_hex(s, n))
				return tx_err_set(err, TX_EINVAL, "64 hex "
				    "digits: a hash or key, not a wallet "
				    "address");
		}
		if (c == NULL)
			break;
		if ((rc = c->detect(wp, c, s, n, err)) != WALLET_NOMATCH)
			return rc;
		prev = c->detect_rank;
	}
	rc = base58_decode(raw, sizeof(raw), &len, base58_alphabet_bitcoin,
	    s, n);
	if (rc < 0)
		return tx_err_set(err, TX_EINVAL,
		    "not a recognised wallet address format");
	if (len == 25 || len == 26)
		return wallet_parse_b58check(wp, NULL, s, n, err);
	return tx_err_set(err, TX_EINVAL,
	    "not a recognised wallet address format (base58 of %zu bytes)",
	    len);
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
	const struct wallet_chain	*c;
	struct wallet_parsed		 wp;
	char				 cl[NORM_CHAIN_MAX];
	int				 rc;

	norm_trim(&in, &len);
	if (len == 0)
		return tx_err_set(err, TX_EINVAL, "empty wallet address");
	if (chain != NULL && chain[0] != '\0') {
		if (chain_lower(cl, sizeof(cl), chain) < 0)
			return tx_err_set(err, TX_EINVAL, "invalid chain name "
			    "(letters, digits, '-', '_', '.'; at most %d)",
			    NORM_CHAIN_MAX - 1);
		if ((c = wallet_chain_by_name(cl)) == NULL) {
			if (len > WALLET_VERBATIM_MAX)
				return tx_err_set(err, TX_ELIMIT,
				    "wallet value longer than %d bytes",
				    WALLET_VERBATIM_MAX);
			if (!verbatim_ok(in, len))
				return tx_err_set(err, TX_EINVAL, "wallet value"
				    " has spaces, control or non-ASCII bytes");
			wallet_parsed_set(&wp, in, len, cl, "unknown chain "
			    "kept verbatim, not verified");
			goto done;
		}
		if (len > WALLET_MAX_CHARS)
			return tx_err_set(err, TX_EINVAL, "too long for a %s "
			    "address", c->name);
		rc = c->parse(&wp, c, in, len, err);
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
