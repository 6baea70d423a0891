/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_wallet.c - wallet normalisation: published vectors (BIP-173,
 * BIP-350, EIP-55, cashaddr spec), and every address of the OFAC SDN
 * digital-currency list and the Bybit 2025 data classified by its own
 * format, plus one-character mutations of each. Prints outcome counts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <cmocka.h>

#include "err.h"
#include "hash.h"
#include "norm.h"
#include "wallet.h"

/* ---- published vectors ---- */

static const char *bech32_valid[] = {
	"A12UEL5L", "a12uel5l",
	"an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
	"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
	"11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
	"split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
	"?1ezyfcl",
};
static const char *bech32m_valid[] = {
	"A1LQFN3A", "a1lqfn3a",
	"an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
	"abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
	"11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
	"split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
	"?1v759aa",
};
static const char *bech32_invalid[] = {
	" 1nwldj5", "\x7f" "1axkwrx", "\x80" "1eym55h",
	"an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
	"pzry9x0s0muk", "1pzry9x0s0muk", "x1b4n0q5v", "li1dgmt3",
	"de1lg7wt\xff", "A1G7SGD8", "10a06t8", "1qzzfhee",
};

static void
test_bech32_vectors(void **state)
{
	char			hrp[100];
	uint8_t			data[100];
	size_t			dl, i;
	enum bech32_variant	v;

	(void)state;
	for (i = 0; i < sizeof(bech32_valid) / sizeof(*bech32_valid); i++) {
		assert_int_equal(bech32_decode(hrp, sizeof(hrp), data,
		    sizeof(data), &dl, &v, bech32_valid[i],
		    strlen(bech32_valid[i]), NULL), 0);
		assert_int_equal(v, BECH32_V0);
	}
	for (i = 0; i < sizeof(bech32m_valid) / sizeof(*bech32m_valid); i++) {
		assert_int_equal(bech32_decode(hrp, sizeof(hrp), data,
		    sizeof(data), &dl, &v, bech32m_valid[i],
		    strlen(bech32m_valid[i]), NULL), 0);
		assert_int_equal(v, BECH32_VM);
	}
	for (i = 0; i < sizeof(bech32_invalid) / sizeof(*bech32_invalid); i++)
		assert_true(bech32_decode(hrp, sizeof(hrp), data, sizeof(data),
		    &dl, &v, bech32_invalid[i], strlen(bech32_invalid[i]),
		    NULL) < 0);
}

static const struct {
	const char	*addr;
	const char	*hrp;
	const char	*script;	/* scriptPubKey hex */
} segwit_valid[] = {
	{ "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "bc",
	  "0014751e76e8199196d454941c45d1b3a323f1433bd6" },
	{ "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", "tb",
	  "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262" },
	{ "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", "bc",
	  "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6" },
	{ "BC1SW50QGDZ25J", "bc", "6002751e" },
	{ "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "bc",
	  "5210751e76e8199196d454941c45d1b3a323" },
	{ "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy", "tb",
	  "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433" },
	{ "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", "tb",
	  "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433" },
	{ "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "bc",
	  "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798" },
};

static const struct {
	const char	*addr;
	const char	*hrp;
} segwit_invalid[] = {
	{ "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut", "bc" },
	{ "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", "bc" },
	{ "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf", "tb" },
	{ "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL", "bc" },
	{ "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", "bc" },
	{ "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47", "tb" },
	{ "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4", "bc" },
	{ "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R", "bc" },
	{ "bc1pw5dgrnzv", "bc" },
	{ "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav", "bc" },
	{ "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "bc" },
	{ "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq", "tb" },
	{ "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf", "bc" },
	{ "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j", "tb" },
	{ "bc1gmk9yu", "bc" },
};

static void
test_segwit_vectors(void **state)
{
	uint8_t	prog[40], spk[42];
	char	hex[2 * 42 + 1];
	size_t	pl, i;
	int	wv;

	(void)state;
	for (i = 0; i < sizeof(segwit_valid) / sizeof(*segwit_valid); i++) {
		assert_int_equal(segwit_decode(&wv, prog, &pl,
		    segwit_valid[i].hrp, segwit_valid[i].addr,
		    strlen(segwit_valid[i].addr), NULL), 0);
		spk[0] = (uint8_t)(wv ? 0x50 + wv : 0);
		spk[1] = (uint8_t)pl;
		memcpy(spk + 2, prog, pl);
		hex_encode(hex, spk, pl + 2);
		assert_string_equal(hex, segwit_valid[i].script);
	}
	for (i = 0; i < sizeof(segwit_invalid) / sizeof(*segwit_invalid); i++)
		assert_true(segwit_decode(&wv, prog, &pl,
		    segwit_invalid[i].hrp, segwit_invalid[i].addr,
		    strlen(segwit_invalid[i].addr), NULL) < 0);
}

static const char *eip55_valid[] = {
	"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
	"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
	"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
	"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
};

static void
test_eip55_vectors(void **state)
{
	struct norm_result	r;
	struct tx_err		e;
	char			ck[43], bad[43];
	size_t			i, j;

	(void)state;
	for (i = 0; i < sizeof(eip55_valid) / sizeof(*eip55_valid); i++) {
		assert_int_equal(wallet_eip55(ck, eip55_valid[i] + 2), 0);
		assert_string_equal(ck, eip55_valid[i]);
		assert_int_equal(wallet_normalize(&r, NULL, eip55_valid[i], 42,
		    NULL), 0);
		assert_string_equal(r.chain, "evm");
		assert_string_equal(r.note, "");
		for (j = 0; j < 42; j++)
			assert_int_equal(r.canonical[j],
			    tolower((unsigned char)eip55_valid[i][j]));
		/* flip the case of the last letter: refused, reason says so */
		memcpy(bad, eip55_valid[i], 43);
		for (j = 41; j > 1; j--)
			if (isalpha((unsigned char)bad[j])) {
				bad[j] ^= 0x20;
				break;
			}
		tx_err_clear(&e);
		assert_int_equal(wallet_normalize(&r, "ethereum", bad, 42, &e),
		    TX_EINVAL);
		assert_non_null(strstr(e.msg, "EIP-55 checksum mismatch"));
	}
	assert_int_equal(wallet_normalize(&r, NULL,
	    "0x52908400098527886E0F7030069857D2E4169EE7", 42, NULL), 0);
	assert_string_equal(r.note, "checksum not verifiable (all-uppercase)");
	assert_string_equal(r.canonical,
	    "0x52908400098527886e0f7030069857d2e4169ee7");
	assert_int_equal(wallet_normalize(&r, "eth",
	    "0xde709f2102306220921060314715629080e2fb77", 42, NULL), 0);
	assert_string_equal(r.note, "checksum not verifiable (all-lowercase)");
	assert_string_equal(r.chain, "ethereum");
}

static const char *cashaddr_checksum_valid[] = {
	"prefix:x64nx6hz", "p:gpf8m4h7",
	"bitcoincash:qpzry9x8gf2tvdw0s3jn54khce6mua7lcw20ayyn",
	"bchtest:testnetaddress4d6njnut",
	"bchreg:555555555555555555555555555555555555555555555udxmlmrz",
};

static const struct {
	const char	*legacy;
	const char	*cash;
} cashaddr_pairs[] = {
	{ "1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu", "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a" },
	{ "1KXrWXciRDZUpQwQmuM1DbwsKDLYAYsVLR", "bitcoincash:qr95sy3j9xwd2ap32xkykttr4cvcu7as4y0qverfuy" },
	{ "16w1D5WRVKJuZUsSRzdLp9w3YGcgoxDXb", "bitcoincash:qqq3728yw0y47sqn6l2na30mcw6zm78dzqre909m2r" },
	{ "3CWFddi6m4ndiGyKqzYvsFYagqDLPVMTzC", "bitcoincash:ppm2qsznhks23z7629mms6s4cwef74vcwvn0h829pq" },
	{ "3LDsS579y7sruadqu11beEJoTjdFiFCdX4", "bitcoincash:pr95sy3j9xwd2ap32xkykttr4cvcu7as4yc93ky28e" },
	{ "31nwvkZwyPdgzjBJZXfDmSWsC4ZLKpYyUw", "bitcoincash:pqq3728yw0y47sqn6l2na30mcw6zm78dzq5ucqzc37" },
};

static void
test_cashaddr_vectors(void **state)
{
	struct norm_result	r;
	char			pfx[100];
	uint8_t			data[120];
	size_t			dl, i;

	(void)state;
	for (i = 0; i < sizeof(cashaddr_checksum_valid) /
	    sizeof(*cashaddr_checksum_valid); i++)
		assert_int_equal(cashaddr_decode(pfx, sizeof(pfx), data,
		    sizeof(data), &dl, "bitcoincash",
		    cashaddr_checksum_valid[i],
		    strlen(cashaddr_checksum_valid[i]), NULL), 0);
	for (i = 0; i < sizeof(cashaddr_pairs) / sizeof(*cashaddr_pairs); i++) {
		const char *c = cashaddr_pairs[i].cash;

		/* with prefix, without, uppercase: one canonical form */
		assert_int_equal(wallet_normalize(&r, NULL, c, strlen(c),
		    NULL), 0);
		assert_string_equal(r.canonical, c);
		assert_string_equal(r.chain, "bitcoin-cash");
		assert_int_equal(wallet_normalize(&r, NULL, c + 12,
		    strlen(c) - 12, NULL), 0);
		assert_string_equal(r.canonical, c);
		/* legacy given as bitcoin-cash: converted to the same form */
		assert_int_equal(wallet_normalize(&r, "bch",
		    cashaddr_pairs[i].legacy,
		    strlen(cashaddr_pairs[i].legacy), NULL), 0);
		assert_string_equal(r.canonical, c);
		/* legacy auto-detected: the bitcoin format it is */
		assert_int_equal(wallet_normalize(&r, NULL,
		    cashaddr_pairs[i].legacy,
		    strlen(cashaddr_pairs[i].legacy), NULL), 0);
		assert_string_equal(r.chain, "bitcoin");
	}
	assert_int_equal(wallet_normalize(&r, NULL,
	    "BITCOINCASH:QPM2QSZNHKS23Z7629MMS6S4CWEF74VCWVY22GDX6A", 54,
	    NULL), 0);
	assert_string_equal(r.canonical, cashaddr_pairs[0].cash);
	assert_true(wallet_normalize(&r, NULL,
	    "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6b", 54,
	    NULL) < 0);
}

static void
test_explicit_chains(void **state)
{
	struct norm_result	r;
	struct tx_err		e;

	(void)state;
	/* unknown chain: verbatim, warning, never "fixed" */
	assert_int_equal(wallet_normalize(&r, "USDT",
	    " TA3941uFAvmVibSkQ6fMJXxmaSNovX86mz ", 36, NULL), 0);
	assert_string_equal(r.canonical, "TA3941uFAvmVibSkQ6fMJXxmaSNovX86mz");
	assert_string_equal(r.chain, "usdt");
	assert_non_null(strstr(r.note, "unknown chain"));
	assert_int_equal(wallet_normalize(&r, "weirdcoin", "0xABCdef", 8,
	    NULL), 0);
	assert_string_equal(r.canonical, "0xABCdef");
	/* known chain, wrong format */
	tx_err_clear(&e);
	assert_int_equal(wallet_normalize(&r, "bitcoin",
	    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", 42, &e), TX_EINVAL);
	assert_int_equal(wallet_normalize(&r, "tron",
	    "1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu", 34, &e), TX_EINVAL);
	assert_int_equal(wallet_normalize(&r, "solana",
	    "1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu", 34, &e), TX_EINVAL);
	assert_int_equal(wallet_normalize(&r, "bad chain!", "x", 1, &e),
	    TX_EINVAL);
	/* litecoin P2SH "3" address is litecoin when said so */
	assert_int_equal(wallet_normalize(&r, "ltc",
	    "3CWFddi6m4ndiGyKqzYvsFYagqDLPVMTzC", 34, NULL), 0);
	assert_string_equal(r.chain, "litecoin");
	/* bech32 wrong checksum names the check */
	tx_err_clear(&e);
	assert_int_equal(wallet_normalize(&r, NULL,
	    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", 42, &e), TX_EINVAL);
	assert_string_equal(e.msg, "bech32 checksum invalid");
	tx_err_clear(&e);
	assert_int_equal(wallet_normalize(&r, NULL,
	    "1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggv", 34, &e), TX_EINVAL);
	assert_string_equal(e.msg, "base58check checksum mismatch");
}

/* ---- real data ---- */

/* Split one CSV line into fields (quotes honoured); returns the count. */
static int
csv_split(char *line, char **f, int max)
{
	int	n = 0;
	char	*p = line, *w;

	while (n < max) {
		f[n++] = w = p;
		if (*p == '"') {
			p++;
			for (;;) {
				if (*p == '\0')
					break;
				if (*p == '"' && p[1] == '"') {
					*w++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else
					*w++ = *p++;
			}
			f[n - 1] = line + (f[n - 1] - line);
		}
		while (*p != '\0' && *p != ',')
			*w++ = *p++;
		if (*p == '\0') {
			*w = '\0';
			break;
		}
		p++;
		*w = '\0';
	}
	return n;
}

/* The chain an address's own format says (the oracle of this test). */
static const char *
expected_chain(const char *a)
{
	size_t	n = strlen(a), i;
	int	hex = 1;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)a[i]))
			hex = 0;
	if (hex && n == 64)
		return NULL;			/* not an address */
	if (strncmp(a, "0x", 2) == 0)
		return "evm";
	if (strncmp(a, "bc1", 3) == 0)
		return "bitcoin";
	if (strncmp(a, "ltc1", 4) == 0)
		return "litecoin";
	if (strncmp(a, "bnb1", 4) == 0)
		return "bnb-beacon-chain";
	if ((a[0] == 'q' || a[0] == 'p') && n == 42)
		return "bitcoin-cash";
	if ((a[0] == '4' || a[0] == '8') && (n == 95 || n == 106))
		return "monero";
	if (a[0] == 'T' && n == 34)
		return "tron";
	if ((a[0] == '1' || a[0] == '3') && n >= 26 && n <= 35)
		return "bitcoin";
	if ((a[0] == 'L' || a[0] == 'M') && n == 34)
		return "litecoin";
	if (a[0] == 't' && n == 35)
		return "zcash";
	if (a[0] == 'X' && n == 34)
		return "dash";
	if (a[0] == 'G' && n == 34)
		return "bitcoin-gold";
	if (a[0] == 'D' && n == 34)
		return "dogecoin";
	if (a[0] == 'r' && n >= 25 && n <= 35)
		return "ripple";
	if (n >= 32 && n <= 44)
		return "solana";
	return NULL;
}

#define MAX_ADDRS 2000

struct tally {
	const char	*name[32];
	int		 count[32];
	int		 n;
};

static void
tally_add(struct tally *t, const char *name)
{
	int	i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->name[i], name) == 0) {
			t->count[i]++;
			return;
		}
	assert_true(t->n < 32);
	t->name[t->n] = name;
	t->count[t->n++] = 1;
}

static int
load_addresses(char **out, int max, const char *path, int col)
{
	FILE	*f = fopen(path, "r");
	char	line[4096], *fld[16];
	int	n = 0, lineno = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL && n < max) {
		line[strcspn(line, "\r\n")] = '\0';
		if (lineno++ == 0)
			continue;
		if (csv_split(line, fld, 16) <= col)
			continue;
		out[n++] = strdup(fld[col]);
	}
	fclose(f);
	return n;
}

/* Next character of the same class (the mutation keeps the alphabet). */
static char
mutate_char(char c, int evm)
{
	static const char b58[] =
	    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
	const char	*p;

	if (evm) {
		if (c >= '0' && c <= '8')
			return (char)(c + 1);
		if (c == '9')
			return '0';
		if (c == 'f')
			return 'a';
		if (c == 'F')
			return 'A';
		return (char)(c + 1);
	}
	if ((p = strchr(b58, c)) != NULL && c != '\0')
		return p[1] ? p[1] : b58[0];
	if (c == 'z')
		return 'a';
	if (c == '9')
		return '0';
	return (char)(c + 1);
}

static void
test_real_addresses(void **state)
{
	static char		*addr[MAX_ADDRS];
	struct norm_result	 r;
	struct tx_err		 e;
	struct tally		 chains = { { 0 }, { 0 }, 0 };
	char			 m[256];
	const char		*exp;
	int			 n, i, refused = 0, ok = 0;
	int			 mut_refused = 0, mut_unverifiable = 0;
	int			 mut_total = 0, caseflip_refused = 0;
	size_t			 k, len, start;

	(void)state;
	n = load_addresses(addr, MAX_ADDRS, TX_SHARED_DIR
	    "/data/ofac-sdn-digital-currency/sdn_digital_currency_addresses.csv",
	    2);
	n += load_addresses(addr + n, MAX_ADDRS - n, TX_SHARED_DIR
	    "/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv", 0);
	n += load_addresses(addr + n, MAX_ADDRS - n, TX_SHARED_DIR
	    "/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv", 1);
	n += load_addresses(addr + n, MAX_ADDRS - n, TX_SHARED_DIR
	    "/data/bybit-hack-2025/bybit_attack_roles.csv", 0);
	n += load_addresses(addr + n, MAX_ADDRS - n, TX_SHARED_DIR
	    "/data/bybit-hack-2025/bybit_attack_roles.csv", 1);
	assert_true(n > 800);
	for (i = 0; i < n; i++) {
		exp = expected_chain(addr[i]);
		len = strlen(addr[i]);
		tx_err_clear(&e);
		if (norm_value(&r, NORM_UNKNOWN, NULL, addr[i], len, &e) < 0) {
			printf("refused: %s: %s\n", addr[i], e.msg);
			assert_null(exp);	/* only non-addresses refused */
			refused++;
			continue;
		}
		if (exp == NULL || strcmp(exp, r.chain) != 0 ||
		    r.kind != NORM_WALLET)
			printf("MISMATCH %s: got %s, format says %s\n", addr[i],
			    r.chain, exp ? exp : "(none)");
		assert_non_null(exp);
		assert_int_equal(r.kind, NORM_WALLET);
		assert_string_equal(r.chain, exp);
		tally_add(&chains, exp);
		ok++;
		/* one-character mutations */
		start = strcmp(exp, "evm") == 0 ? 2 : 0;
		for (k = start; k < len; k++) {
			memcpy(m, addr[i], len + 1);
			m[k] = mutate_char(m[k], start == 2);
			mut_total++;
			if (norm_value(&r, NORM_WALLET, NULL, m, len,
			    NULL) < 0) {
				mut_refused++;
				continue;
			}
			/* accepted only where the format has no checksum */
			if (strstr(r.note, "not verifiable") == NULL)
				printf("MUTATION ACCEPTED %s -> %s\n",
				    addr[i], m);
			assert_non_null(strstr(r.note, "not verifiable"));
			mut_unverifiable++;
			/* and a mutant of a checksummed EVM form never passes */
			assert_false(start == 2 && strpbrk(addr[i] + 2,
			    "abcdef") && strpbrk(addr[i] + 2, "ABCDEF"));
		}
		/* case flips of mixed-case EIP-55 addresses */
		if (start == 2 && strpbrk(addr[i] + 2, "abcdef") &&
		    strpbrk(addr[i] + 2, "ABCDEF"))
			for (k = 2; k < len; k++) {
				if (!isalpha((unsigned char)addr[i][k]))
					continue;
				memcpy(m, addr[i], len + 1);
				m[k] ^= 0x20;
				tx_err_clear(&e);
				assert_int_equal(norm_value(&r, NORM_UNKNOWN,
				    NULL, m, len, &e), TX_EINVAL);
				assert_non_null(strstr(e.msg, "EIP-55"));
				caseflip_refused++;
			}
	}
	printf("real addresses: %d, accepted %d, refused %d\n", n, ok,
	    refused);
	for (i = 0; i < chains.n; i++)
		printf("  chain %-18s %d\n", chains.name[i], chains.count[i]);
	printf("mutations: %d, refused %d, accepted as unverifiable %d; "
	    "EIP-55 case flips refused %d\n", mut_total, mut_refused,
	    mut_unverifiable, caseflip_refused);
	assert_int_equal(refused, 1);
	for (i = 0; i < n; i++)
		free(addr[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bech32_vectors),
		cmocka_unit_test(test_segwit_vectors),
		cmocka_unit_test(test_eip55_vectors),
		cmocka_unit_test(test_cashaddr_vectors),
		cmocka_unit_test(test_explicit_chains),
		cmocka_unit_test(test_real_addresses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
