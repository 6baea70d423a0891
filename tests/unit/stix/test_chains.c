/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_chains.c - the chain table of stix/wallet.c, row by row: names and
 * tickers resolve to their row; every chain accepts real addresses (the
 * OFAC SDN digital-currency list under the ticker OFAC gives, the FBI's
 * Bybit list as ethereum, and each row's example), records its own name,
 * and refuses every one-character typo where its format has a checksum;
 * every base58check version byte is accepted under its chain and
 * detected as the first row that lists it; and the detection ambiguity
 * rules hold (0x is "evm", dogecoin before verge, legacy Bitcoin Cash is
 * bitcoin unless named, bech32 prefixes that are Solana keys, hashes).
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base58.h"
#include "err.h"
#include "norm.h"
#include "wallet.h"

#define OFAC_CSV	TX_SHARED_DIR \
	"/data/ofac-sdn-digital-currency/sdn_digital_currency_addresses.csv"
#define FBI_CSV		TX_SHARED_DIR \
	"/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv"
#define ROLES_CSV	TX_SHARED_DIR \
	"/data/bybit-hack-2025/bybit_attack_roles.csv"
#define MAX_ROWS	2000

struct addr {
	char	asset[16];	/* as the source names the chain */
	char	value[128];
};

static struct addr	rows[MAX_ROWS];
static size_t		nrows;

/* Column col (0-based, no quoting before it) of a CSV line, or NULL. */
static const char *
field(char *line, int col, size_t *len)
{
	char	*p = line, *e;
	int	 i;

	for (i = 0; i < col; i++)
		if ((p = strchr(p, ',')) == NULL)
			return NULL;
		else
			p++;
	e = p + strcspn(p, ",\r\n");
	*len = (size_t)(e - p);
	return p;
}

static void
load(const char *path, int asset_col, const char *asset, int value_col)
{
	FILE		*f = fopen(path, "r");
	char		 line[4096];
	const char	*a, *v;
	size_t		 al = 0, vl;
	int		 first = 1;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL && nrows < MAX_ROWS) {
		if (first) {
			first = 0;
			continue;
		}
		a = asset_col >= 0 ? field(line, asset_col, &al) : asset;
		if (asset_col < 0)
			al = strlen(asset);
		v = field(line, value_col, &vl);
		if (a == NULL || v == NULL || al == 0 || vl == 0 ||
		    al >= sizeof(rows[0].asset) || vl >= sizeof(rows[0].value))
			continue;
		memcpy(rows[nrows].asset, a, al);
		rows[nrows].asset[al] = '\0';
		memcpy(rows[nrows].value, v, vl);
		rows[nrows].value[vl] = '\0';
		nrows++;
	}
	fclose(f);
}

static int
group_setup(void **state)
{
	(void)state;
	load(OFAC_CSV, 1, NULL, 2);
	load(FBI_CSV, -1, "ethereum", 0);
	load(ROLES_CSV, -1, "ethereum", 0);
	return nrows > 800 ? 0 : -1;
}

static int
is_name(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-'))
			return 0;
	return 1;
}

/* Every name and ticker finds its row; no two rows share one. */
static void
test_names(void **state)
{
	const struct wallet_chain	*c, *o;
	char				 up[64];
	size_t				 i, j, a, b;

	(void)state;
	assert_true(wallet_chain_count() >= 20);
	assert_null(wallet_chain_at(wallet_chain_count()));
	for (i = 0; i < wallet_chain_count(); i++) {
		c = wallet_chain_at(i);
		assert_true(is_name(c->name));
		assert_true(strlen(c->name) < NORM_CHAIN_MAX);
		assert_non_null(c->parse);
		assert_non_null(c->example);
		assert_ptr_equal(wallet_chain_by_name(c->name), c);
		for (j = 0; c->name[j] != '\0'; j++)
			up[j] = (char)toupper((unsigned char)c->name[j]);
		up[j] = '\0';
		assert_ptr_equal(wallet_chain_by_name(up), c);
		for (a = 0; a < WALLET_ALIASES_MAX && c->aliases[a]; a++) {
			assert_true(is_name(c->aliases[a]));
			assert_ptr_equal(wallet_chain_by_name(c->aliases[a]),
			    c);
		}
		if (c->detect != NULL)
			assert_true(c->detect_rank > 0);
		for (b = 0; b < WALLET_B58_MAX && c->b58[b].vlen > 0; b++)
			assert_true(c->b58[b].vlen <= 2);
		for (j = i + 1; j < wallet_chain_count(); j++) {
			o = wallet_chain_at(j);
			assert_string_not_equal(c->name, o->name);
			if (c->detect != NULL && o->detect != NULL)
				assert_int_not_equal(c->detect_rank,
				    o->detect_rank);
			for (a = 0; a < WALLET_ALIASES_MAX && o->aliases[a];
			    a++) {
				assert_string_not_equal(c->name,
				    o->aliases[a]);
				for (b = 0; b < WALLET_ALIASES_MAX &&
				    c->aliases[b]; b++)
					assert_string_not_equal(c->aliases[b],
					    o->aliases[a]);
			}
			for (b = 0; b < WALLET_ALIASES_MAX && c->aliases[b];
			    b++)
				assert_string_not_equal(c->aliases[b],
				    o->name);
		}
	}
	/* the tickers the OFAC list uses */
	assert_string_equal(wallet_chain_by_name("XBT")->name, "bitcoin");
	assert_string_equal(wallet_chain_by_name("TRX")->name, "tron");
	assert_string_equal(wallet_chain_by_name("bch")->name,
	    "bitcoin-cash");
	assert_string_equal(wallet_chain_by_name("BSC")->name, "bsc");
	/* tokens and forks the table does not know */
	assert_null(wallet_chain_by_name("USDT"));
	assert_null(wallet_chain_by_name("bsv"));
	assert_null(wallet_chain_by_name(""));
	assert_null(wallet_chain_by_name(NULL));
}

/* Every row accepts its example under its name and records the name. */
static void
test_examples(void **state)
{
	const struct wallet_chain	*c;
	struct norm_result		 r;
	struct tx_err			 e;
	size_t				 i;

	(void)state;
	for (i = 0; i < wallet_chain_count(); i++) {
		c = wallet_chain_at(i);
		tx_err_clear(&e);
		if (wallet_normalize(&r, c->name, c->example,
		    strlen(c->example), &e) != 0)
			fail_msg("%s: example %s refused: %s", c->name,
			    c->example, e.msg);
		assert_string_equal(r.chain, c->name);
		assert_int_equal(r.kind, NORM_WALLET);
		/* the canonical form is a fixed point */
		assert_int_equal(wallet_normalize(&r, c->name, r.canonical,
		    strlen(r.canonical), NULL), 0);
		assert_string_equal(r.chain, c->name);
		/* undetected chains have no note but for missing checksums */
		if (c->checksum == WALLET_CK_ALWAYS)
			assert_null(strstr(r.note, "not verifiable"));
	}
}

/* Next character of the same class (the mutation keeps the alphabet). */
static char
mutate_char(char c)
{
	static const char b58[] =
	    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
	const char	*p;

	if (c == '9')
		return '0';
	if (c == 'f')
		return 'a';
	if (c == 'F')
		return 'A';
	if (c == 'z')
		return 'a';
	if (c == ':')
		return ':';
	if ((p = strchr(b58, c)) != NULL && p[1] != '\0')
		return p[1];
	return (char)(c + 1);
}

static int
mixed_case(const char *s)
{
	int	lo = 0, up = 0;

	for (; *s != '\0'; s++) {
		lo |= islower((unsigned char)*s) != 0;
		up |= isupper((unsigned char)*s) != 0;
	}
	return lo && up;
}

/*
 * One-character typos of an address accepted under c: refused where the
 * format has a checksum, else accepted only with the "not verifiable"
 * note. Returns the number of refusals.
 */
static int
typos(const struct wallet_chain *c, const char *addr)
{
	struct norm_result	r;
	char			m[128];
	size_t			k, len = strlen(addr), start = 0;
	int			refused = 0;

	if (len > 2 && addr[0] == '0' && addr[1] == 'x')
		start = 2;
	for (k = start; k < len; k++) {
		memcpy(m, addr, len + 1);
		m[k] = mutate_char(m[k]);
		if (strcmp(m, addr) == 0)
			continue;
		if (wallet_normalize(&r, c->name, m, len, NULL) < 0) {
			refused++;
			continue;
		}
		if (c->checksum == WALLET_CK_ALWAYS ||
		    (c->checksum == WALLET_CK_MIXED_CASE && mixed_case(addr)))
			fail_msg("%s: typo %s of %s accepted", c->name, m,
			    addr);
		assert_non_null(strstr(r.note, "not verifiable"));
	}
	return refused;
}

/*
 * The OFAC list and the FBI's Bybit addresses under the chain their
 * source names: accepted and recorded as that row, typos refused.
 */
static void
test_real_addresses(void **state)
{
	const struct wallet_chain	*c;
	struct norm_result		 r;
	struct tx_err			 e;
	char				 low[16];
	size_t				 i, k, seen[64] = { 0 };
	int				 accepted = 0, verbatim = 0;
	int				 refused = 0, typo_refused = 0;

	(void)state;
	assert_true(wallet_chain_count() <= 64);
	for (i = 0; i < nrows; i++) {
		c = wallet_chain_by_name(rows[i].asset);
		tx_err_clear(&e);
		if (c == NULL) {
			/* a token or fork: kept as given, with a warning */
			assert_int_equal(wallet_normalize(&r, rows[i].asset,
			    rows[i].value, strlen(rows[i].value), &e), 0);
			assert_string_equal(r.canonical, rows[i].value);
			for (k = 0; rows[i].asset[k] != '\0'; k++)
				low[k] = (char)tolower(
				    (unsigned char)rows[i].asset[k]);
			low[k] = '\0';
			assert_string_equal(r.chain, low);
			assert_non_null(strstr(r.note, "unknown chain"));
			verbatim++;
			continue;
		}
		if (wallet_normalize(&r, rows[i].asset, rows[i].value,
		    strlen(rows[i].value), &e) != 0) {
			/*
			 * The list's own mistakes: a Monero entry that is a
			 * 64-hex hash, and a Tron address filed as XBT.
			 */
			printf("refused: %s %s: %s\n", rows[i].asset,
			    rows[i].value, e.msg);
			if (strlen(rows[i].value) == 64)
				assert_string_equal(c->name, "monero");
			else {
				assert_int_equal(wallet_normalize(&r, NULL,
				    rows[i].value, strlen(rows[i].value),
				    NULL), 0);
				assert_string_not_equal(r.chain, c->name);
			}
			refused++;
			continue;
		}
		assert_string_equal(r.chain, c->name);
		seen[c - wallet_chain_at(0)]++;
		accepted++;
		typo_refused += typos(c, rows[i].value);
	}
	printf("real addresses: %d accepted, %d kept verbatim (unknown "
	    "chain), %d refused; %d typos refused\n", accepted, verbatim,
	    refused, typo_refused);
	for (i = 0; i < wallet_chain_count(); i++)
		if (seen[i] > 0)
			printf("  %-18s %zu\n", wallet_chain_at(i)->name,
			    seen[i]);
	assert_int_equal(refused, 2);
	assert_true(verbatim > 90);
	assert_true(accepted > 600);
	/*
	 * The chains the data covers. OFAC's one "BNB" entry is a bnb1
	 * address, but "bnb" names no row (the BNB token lives on two
	 * chains): it is kept verbatim, and is bnb-beacon-chain's example.
	 */
	{
		static const char *const covered[] = { "bitcoin", "ethereum",
		    "ethereum-classic", "bsc", "arbitrum", "tron", "litecoin",
		    "bitcoin-cash", "monero", "solana", "zcash", "dash",
		    "bitcoin-gold", "verge", "ripple" };

		for (k = 0; k < sizeof(covered) / sizeof(covered[0]); k++) {
			c = wallet_chain_by_name(covered[k]);
			assert_non_null(c);
			assert_true(seen[c - wallet_chain_at(0)] > 0);
		}
	}
	/* and every row's example, typos included */
	for (i = 0; i < wallet_chain_count(); i++) {
		c = wallet_chain_at(i);
		if (c->checksum == WALLET_CK_NONE)
			continue;
		assert_true(typos(c, c->example) > 0);
	}
}

/* The check that refuses a typo names itself. */
static void
test_checksum_messages(void **state)
{
	static const struct {
		const char	*chain;
		const char	*addr;
		const char	*msg;
	} v[] = {
		{ "bitcoin", "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9i",
		    "base58check checksum mismatch" },
		{ "tron", "TA3941uFAvmVibSkQ6fMJXxmaSNovX86my",
		    "base58check checksum mismatch" },
		{ "bitcoin", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
		    "bech32 checksum invalid" },
		{ "ethereum", "0x47666Fab8bd0Ac7003bce3f5C3585383F09486E3",
		    "EIP-55 checksum mismatch" },
		{ "bch",
		    "bitcoincash:qpf2cphc5dkuclkqur7lhj2yuqq9pk3hmukle77vhr",
		    "cashaddr checksum invalid" },
		{ "xmr", "49HqitRzdnhYjgTEAhgGpCfsjdTeMbUTU6cyR4JV1R7k2Eej9rGT8"
		    "JpFiYDa4tZM6RZiFrHmMzgSrhHEqpDYKBe5B2ufNsM",
		    "Monero checksum mismatch" },
		{ "xrp", "rnXyVQzgxZe7TR1EPzTkGj2jxH4LMJYh67",
		    "checksum mismatch (ripple alphabet)" },
	};
	struct norm_result	r;
	struct tx_err		e;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		tx_err_clear(&e);
		assert_int_equal(wallet_normalize(&r, v[i].chain, v[i].addr,
		    strlen(v[i].addr), &e), TX_EINVAL);
		if (strstr(e.msg, v[i].msg) == NULL)
			fail_msg("%s %s: \"%s\", expected \"%s\"", v[i].chain,
			    v[i].addr, e.msg, v[i].msg);
	}
	/* Solana has no checksum: accepted, and said so */
	assert_int_equal(wallet_normalize(&r, "sol",
	    "42RLPACwZPx3vYYmxSueqsogfynBDqXK298EDsNoyoHj", 44, NULL), 0);
	assert_non_null(strstr(r.note, "not verifiable"));
}

/*
 * Every base58check version byte: an address with it is accepted when
 * its chain is named, and detection gives the first row listing it.
 */
static void
test_b58_versions(void **state)
{
	const struct wallet_chain	*c, *first;
	struct norm_result		 r;
	uint8_t				 payload[22];
	char				 addr[64];
	size_t				 i, b, j, k;
	int				 nver = 0;

	(void)state;
	for (i = 0; i < wallet_chain_count(); i++) {
		c = wallet_chain_at(i);
		for (b = 0; b < WALLET_B58_MAX && c->b58[b].vlen > 0; b++) {
			memcpy(payload, c->b58[b].v, c->b58[b].vlen);
			for (k = 0; k < 20; k++)
				payload[c->b58[b].vlen + k] =
				    (uint8_t)(0x5a + 7 * k);
			assert_int_equal(base58check_encode(addr, sizeof(addr),
			    base58_alphabet_bitcoin, payload,
			    c->b58[b].vlen + 20), 0);
			/* named: this chain */
			assert_int_equal(wallet_normalize(&r, c->name, addr,
			    strlen(addr), NULL), 0);
			assert_string_equal(r.chain, c->name);
			/* detected: the first row that lists the version */
			first = NULL;
			for (j = 0; first == NULL && j <= i; j++)
				for (k = 0; k < WALLET_B58_MAX &&
				    wallet_chain_at(j)->b58[k].vlen > 0; k++)
					if (wallet_chain_at(j)->b58[k].vlen ==
					    c->b58[b].vlen && memcmp(
					    wallet_chain_at(j)->b58[k].v,
					    c->b58[b].v, c->b58[b].vlen) == 0) {
						first = wallet_chain_at(j);
						break;
					}
			assert_int_equal(wallet_normalize(&r, NULL, addr,
			    strlen(addr), NULL), 0);
			assert_string_equal(r.chain, first->name);
			assert_string_equal(r.canonical, addr);
			nver++;
		}
	}
	assert_true(nver >= 18);
	/* a version no row lists */
	memset(payload, 0x11, sizeof(payload));
	payload[0] = 0x99;
	assert_int_equal(base58check_encode(addr, sizeof(addr),
	    base58_alphabet_bitcoin, payload, 21), 0);
	assert_int_equal(wallet_normalize(&r, NULL, addr, strlen(addr), NULL),
	    TX_EINVAL);
	assert_int_equal(wallet_normalize(&r, "tron", addr, strlen(addr),
	    NULL), TX_EINVAL);
}

/* The Solana key that starts like a bech32 address. */
static void
solana_lookalike(char *dst, size_t len, const char *prefix)
{
	static const char	 tail[] =
	    "Aqrstuvwxyzabcdefghijkmnopqrstuvwxyzabcdefgh";
	uint8_t			 raw[64];
	size_t			 n, rl;

	n = strlen(prefix);
	memcpy(dst, prefix, n);
	memcpy(dst + n, tail, 43 - n);	/* mixed case: never bech32 */
	dst[43] = '\0';
	assert_true(len > 43);
	assert_int_equal(base58_decode(raw, sizeof(raw), &rl,
	    base58_alphabet_bitcoin, dst, 43), 0);
	assert_int_equal(rl, 32);
}

/* What detection decides where formats overlap. */
static void
test_detection_ambiguity(void **state)
{
	/* ltc1 cannot be one: base58 has no 'l' */
	static const char *const prefixes[] = { "bc1", "bnb1" };
	static const char *const order[] = { "evm", "bitcoin-cash", "bitcoin",
	    "litecoin", "bnb-beacon-chain", "monero", "ripple", "solana" };
	const struct wallet_chain	*c, *next;
	struct norm_result		 r;
	struct tx_err			 e;
	char				 s[64];
	size_t				 i, j;
	int				 rank = 0;

	(void)state;
	/* the detect rows, in rank order */
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		next = NULL;
		for (j = 0; j < wallet_chain_count(); j++) {
			c = wallet_chain_at(j);
			if (c->detect != NULL && c->detect_rank > rank &&
			    (next == NULL ||
			    c->detect_rank < next->detect_rank))
				next = c;
		}
		assert_non_null(next);
		assert_string_equal(next->name, order[i]);
		rank = next->detect_rank;
	}

	/* 0x: "evm" when detected, the chain named otherwise */
	assert_int_equal(wallet_normalize(&r, NULL,
	    "0x4f47bc496083c727c5fbe3ce9cdf2b0f6496270c", 42, NULL), 0);
	assert_string_equal(r.chain, "evm");
	assert_int_equal(wallet_normalize(&r, "ARB",
	    "0x4f47bc496083c727c5fbe3ce9cdf2b0f6496270c", 42, NULL), 0);
	assert_string_equal(r.chain, "arbitrum");

	/* version 0x1e: dogecoin, with a note, unless verge is named */
	assert_int_equal(wallet_normalize(&r, NULL,
	    "DFFJhnQNZf8rf67tYnesPu7MuGUpYtzv7Z", 34, NULL), 0);
	assert_string_equal(r.chain, "dogecoin");
	assert_non_null(strstr(r.note, "shared by dogecoin and verge"));
	assert_int_equal(wallet_normalize(&r, "XVG",
	    "DFFJhnQNZf8rf67tYnesPu7MuGUpYtzv7Z", 34, NULL), 0);
	assert_string_equal(r.chain, "verge");
	assert_string_equal(r.note, "");
	assert_int_equal(wallet_normalize(&r, "doge",
	    "DFFJhnQNZf8rf67tYnesPu7MuGUpYtzv7Z", 34, NULL), 0);
	assert_string_equal(r.note, "");

	/* legacy Bitcoin Cash reads as bitcoin; named, it is its cashaddr */
	assert_int_equal(wallet_normalize(&r, NULL,
	    "18M8bJWMzWHDBMxoLqjHHAffdRy4SrzkfB", 34, NULL), 0);
	assert_string_equal(r.chain, "bitcoin");
	assert_int_equal(wallet_normalize(&r, "BCH",
	    "18M8bJWMzWHDBMxoLqjHHAffdRy4SrzkfB", 34, NULL), 0);
	assert_string_equal(r.chain, "bitcoin-cash");
	assert_int_equal(strncmp(r.canonical, "bitcoincash:q", 13), 0);
	assert_non_null(strstr(r.note, "converted from legacy"));
	snprintf(s, sizeof(s), "%s", r.canonical);
	assert_int_equal(wallet_normalize(&r, NULL, s, strlen(s), NULL), 0);
	assert_string_equal(r.chain, "bitcoin-cash");
	assert_string_equal(r.canonical, s);
	/* a bare cashaddr payload is detected, and receives its prefix */
	assert_int_equal(wallet_normalize(&r, NULL, s + 12, strlen(s) - 12,
	    NULL), 0);
	assert_string_equal(r.canonical, s);

	/* a bech32-looking Solana key is Solana; a real typo stays bech32 */
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		solana_lookalike(s, sizeof(s), prefixes[i]);
		tx_err_clear(&e);
		assert_int_equal(wallet_normalize(&r, NULL, s, strlen(s), &e),
		    0);
		assert_string_equal(r.chain, "solana");
		assert_string_equal(r.canonical, s);
		/* named as the bech32 chain it is refused */
		c = wallet_chain_at(0);
		for (j = 0; j < wallet_chain_count(); j++)
			if (wallet_chain_at(j)->hrp != NULL && strncmp(s,
			    wallet_chain_at(j)->hrp,
			    strlen(wallet_chain_at(j)->hrp)) == 0 &&
			    s[strlen(wallet_chain_at(j)->hrp)] == '1')
				c = wallet_chain_at(j);
		assert_int_equal(wallet_normalize(&r, c->name, s, strlen(s),
		    NULL), TX_EINVAL);
	}
	tx_err_clear(&e);
	assert_int_equal(wallet_normalize(&r, NULL,
	    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", 42, &e), TX_EINVAL);
	assert_string_equal(e.msg, "bech32 checksum invalid");

	/* Monero's shape decides: a typo is a Monero refusal */
	tx_err_clear(&e);
	assert_int_equal(wallet_normalize(&r, NULL,
	    "49HqitRzdnhYjgTEAhgGpCfsjdTeMbUTU6cyR4JV1R7k2Eej9rGT8"
	    "JpFiYDa4tZM6RZiFrHmMzgSrhHEqpDYKBe5B2ufNsM", 95, &e), TX_EINVAL);
	assert_non_null(strstr(e.msg, "Monero"));

	/* 64 hex digits are a hash or a key, whatever chain's letters */
	tx_err_clear(&e);
	assert_int_equal(wallet_normalize(&r, NULL,
	    "5be5543ff73456ab9f2d207887e2af87322c651ea1a873c5b25b7ffae456c320",
	    64, &e), TX_EINVAL);
	assert_non_null(strstr(e.msg, "hash or key"));

	/* ripple only when it verifies; an 'r' typo is no ripple */
	assert_int_equal(wallet_normalize(&r, NULL,
	    "rnXyVQzgxZe7TR1EPzTkGj2jxH4LMJYh66", 34, NULL), 0);
	assert_string_equal(r.chain, "ripple");
	if (wallet_normalize(&r, NULL, "rnXyVQzgxZe7TR1EPzTkGj2jxH4LMJYh67",
	    34, NULL) == 0)
		assert_string_not_equal(r.chain, "ripple");

	/* nothing fits */
	tx_err_clear(&e);
	assert_int_equal(wallet_normalize(&r, NULL, "0OIl", 4, &e),
	    TX_EINVAL);
	assert_non_null(strstr(e.msg, "not a recognised wallet address"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_real_addresses),
		cmocka_unit_test(test_checksum_messages),
		cmocka_unit_test(test_b58_versions),
		cmocka_unit_test(test_detection_ambiguity),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
