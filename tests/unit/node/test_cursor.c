/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_cursor.c - TAXII next cursors (node/server_cursor.c, DESIGN §8):
 * the round trip, the wire form (cursors handed out before a restart or
 * an upgrade stay valid), and refusal of tampered cursors, cursors of
 * another member, collection, filter set or key, expired ones and
 * garbage; the cursor key file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/hmac.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "server_cursor.h"
#include "taxii_client.h"

#define PIN_A	"11111111111111111111111111111111" \
		"11111111111111111111111111111111"
#define PIN_B	"22222222222222222222222222222222" \
		"22222222222222222222222222222222"
#define FKEY	"0123456789abcdef"
#define NOW	1740571200LL
#define LAST	1740571200123456LL

static const uint8_t	key[SRV_CURSOR_KEY_LEN] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32
};

static void
make(char tok[SRV_CURSOR_MAX], const char *pin, const char *coll,
    const char *fkey, int64_t last, int64_t now)
{
	assert_int_equal(srv_cursor_make(tok, SRV_CURSOR_MAX, key, pin, coll,
	    fkey, last, now), 0);
}

static int
check(int64_t *last, const char *pin, const char *coll, const char *fkey,
    const char *tok, int64_t now)
{
	return srv_cursor_check(last, key, pin, coll, fkey, tok, now);
}

/* A cursor over msg with a genuine MAC under k: what only the key can make. */
static void
forge(char *out, size_t len, const uint8_t *k, const char *msg)
{
	uint8_t		mac[32];
	unsigned int	mlen = 32;
	char		b64m[400], b64h[48];

	HMAC(EVP_sha256(), k, SRV_CURSOR_KEY_LEN, (const unsigned char *)msg,
	    strlen(msg), mac, &mlen);
	b64url_encode(b64m, (const uint8_t *)msg, strlen(msg));
	b64url_encode(b64h, mac, sizeof(mac));
	snprintf(out, len, "%s.%s", b64m, b64h);
}

static void
test_round_trip(void **state)
{
	char	tok[SRV_CURSOR_MAX];
	int64_t	last = -1;

	make(tok, PIN_A, TAXII_COLL_SHARED, FKEY, LAST, NOW);
	assert_int_equal(check(&last, PIN_A, TAXII_COLL_SHARED, FKEY, tok,
	    NOW), 0);
	assert_true(last == LAST);
	/* Valid up to its expiry, inclusive. */
	last = -1;
	assert_int_equal(check(&last, PIN_A, TAXII_COLL_SHARED, FKEY, tok,
	    NOW + SRV_CURSOR_TTL_S), 0);
	assert_true(last == LAST);
	/* Position 0 and a large one round-trip too. */
	make(tok, PIN_A, TAXII_COLL_SHARED, FKEY, 0, NOW);
	assert_int_equal(check(&last, PIN_A, TAXII_COLL_SHARED, FKEY, tok,
	    NOW), 0);
	assert_true(last == 0);
	make(tok, PIN_A, TAXII_COLL_SHARED, FKEY, INT64_MAX, NOW);
	assert_int_equal(check(&last, PIN_A, TAXII_COLL_SHARED, FKEY, tok,
	    NOW), 0);
	assert_true(last == INT64_MAX);
}

/* The wire form is fixed: cursors outlive restarts and upgrades. */
static void
test_wire_form(void **state)
{
	char		 tok[SRV_CURSOR_MAX], want[SRV_CURSOR_MAX];
	char		 msg[256];
	const char	*dot;
	int		 n;

	make(tok, PIN_A, TAXII_COLL_SHARED, FKEY, LAST, NOW);
	dot = strchr(tok, '.');
	assert_non_null(dot);
	n = b64url_decode((uint8_t *)msg, sizeof(msg) - 1, tok,
	    (size_t)(dot - tok));
	assert_true(n > 0);
	msg[n] = '\0';
	assert_string_equal(msg, "v1|" PIN_A "|" TAXII_COLL_SHARED "|" FKEY
	    "|1740571200123456|1740574800");
	forge(want, sizeof(want), key, msg);
	assert_string_equal(tok, want);
	/* Only the URL-safe alphabet and one dot: safe in a query. */
	assert_int_equal(strspn(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
	    "nopqrstuvwxyz0123456789-_."), strlen(tok));
	/* The same inputs make the same cursor. */
	make(want, PIN_A, TAXII_COLL_SHARED, FKEY, LAST, NOW);
	assert_string_equal(tok, want);
}

/* Bound to one member, one collection, one filter set, one key. */
static void
test_bound(void **state)
{
	static const uint8_t	other[SRV_CURSOR_KEY_LEN] = { 9 };
	char			tok[SRV_CURSOR_MAX];
	int64_t			last = 42;

	make(tok, PIN_A, TAXII_COLL_SHARED, FKEY, LAST, NOW);
	assert_int_equal(check(&last, PIN_B, TAXII_COLL_SHARED, FKEY, tok,
	    NOW), TX_EAUTH);
	assert_int_equal(check(&last, PIN_A, TAXII_COLL_INBOX, FKEY, tok,
	    NOW), TX_EAUTH);
	assert_int_equal(check(&last, PIN_A, TAXII_COLL_SHARED,
	    "fedcba9876543210", tok, NOW), TX_EAUTH);
	/* A prefix of the bound pin is another pin. */
	assert_int_equal(check(&last, "111", TAXII_COLL_SHARED, FKEY, tok,
	    NOW), TX_EAUTH);
	assert_int_equal(check(&last, "", "", "", tok, NOW), TX_EAUTH);
	assert_int_equal(srv_cursor_check(&last, other, PIN_A,
	    TAXII_COLL_SHARED, FKEY, tok, NOW), TX_EAUTH);
	assert_true(last == 42);	/* untouched on failure */
}

static void
test_expired(void **state)
{
	char	tok[SRV_CURSOR_MAX];
	int64_t	last = 42;

	make(tok, PIN_A, TAXII_COLL_SHARED, FKEY, LAST, NOW);
	assert_int_equal(check(&last, PIN_A, TAXII_COLL_SHARED, FKEY, tok,
	    NOW + SRV_CURSOR_TTL_S + 1), TX_ELIMIT);
	assert_int_equal(check(&last, PIN_A, TAXII_COLL_SHARED, FKEY, tok,
	    INT64_MAX), TX_ELIMIT);
	assert_true(last == 42);
}

/* Every byte of a cursor matters: no single-byte change passes. */
static void
test_tampered(void **state)
{
	static const char	alphabet[] = "AQgw_-.";
	char			tok[SRV_CURSOR_MAX], bad[SRV_CURSOR_MAX];
	int64_t			last = 42;
	size_t			i, j, len;

	make(tok, PIN_A, TAXII_COLL_SHARED, FKEY, LAST, NOW);
	len = strlen(tok);
	for (i = 0; i < len; i++)
		for (j = 0; j < sizeof(alphabet) - 1; j++) {
			if (tok[i] == alphabet[j])
				continue;
			memcpy(bad, tok, len + 1);
			bad[i] = alphabet[j];
			if (check(&last, PIN_A, TAXII_COLL_SHARED, FKEY, bad,
			    NOW) == 0)
				fail_msg("byte %zu changed to %c passed", i,
				    alphabet[j]);
		}
	/* Cut short, or extended. */
	for (i = 0; i < len; i++) {
		memcpy(bad, tok, i);
		bad[i] = '\0';
		assert_true(check(&last, PIN_A, TAXII_COLL_SHARED, FKEY, bad,
		    NOW) < 0);
	}
	snprintf(bad, sizeof(bad), "%sA", tok);
	assert_true(check(&last, PIN_A, TAXII_COLL_SHARED, FKEY, bad,
	    NOW) < 0);
	assert_true(last == 42);
}

/*
 * Messages only the key holder could have made, but not in our form:
 * still refused (the fields are read strictly after the MAC).
 */
static void
test_genuine_but_malformed(void **state)
{
	static const char	*msgs[] = {
		"v1|" PIN_A "|" TAXII_COLL_SHARED "|" FKEY "|-5|1740574800",
		"v1|" PIN_A "|" TAXII_COLL_SHARED "|" FKEY "|x|1740574800",
		"v1|" PIN_A "|" TAXII_COLL_SHARED "|" FKEY "||1740574800",
		"v1|" PIN_A "|" TAXII_COLL_SHARED "|" FKEY "|5|",
		"v1|" PIN_A "|" TAXII_COLL_SHARED "|" FKEY "|5|1740574800x",
		"v1|" PIN_A "|" TAXII_COLL_SHARED "|" FKEY "|5",
		"v1|" PIN_A "|" TAXII_COLL_SHARED "|" FKEY "|5|17|1",
		"v1|" PIN_A "|" TAXII_COLL_SHARED "|" FKEY "|99999999999999999"
		    "999|1740574800",
	};
	char	tok[SRV_CURSOR_MAX];
	int64_t	last = 42;
	size_t	i;

	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		forge(tok, sizeof(tok), key, msgs[i]);
		if (check(&last, PIN_A, TAXII_COLL_SHARED, FKEY, tok, NOW) !=
		    TX_EINVAL)
			fail_msg("message %zu not refused as malformed", i);
	}
	/* Another version or order is another binding. */
	forge(tok, sizeof(tok), key, "v2|" PIN_A "|" TAXII_COLL_SHARED "|"
	    FKEY "|5|1740574800");
	assert_int_equal(check(&last, PIN_A, TAXII_COLL_SHARED, FKEY, tok,
	    NOW), TX_EAUTH);
	forge(tok, sizeof(tok), key, "v1|" TAXII_COLL_SHARED "|" PIN_A "|"
	    FKEY "|5|1740574800");
	assert_int_equal(check(&last, PIN_A, TAXII_COLL_SHARED, FKEY, tok,
	    NOW), TX_EAUTH);
	assert_true(last == 42);
	/* And the forge helper does make valid ones. */
	forge(tok, sizeof(tok), key, "v1|" PIN_A "|" TAXII_COLL_SHARED "|"
	    FKEY "|5|1740574800");
	assert_int_equal(check(&last, PIN_A, TAXII_COLL_SHARED, FKEY, tok,
	    NOW), 0);
	assert_true(last == 5);
}

static void
test_garbage(void **state)
{
	/* Each is pre, then a 43-character MAC if mac, then post. */
	static const struct {
		const char	*pre;
		int		 mac;
		const char	*post;
	} toks[] = {
		{ "", 0, "" }, { ".", 0, "" }, { "..", 0, "" },
		{ "abc", 0, "" }, { "abc.", 0, "" }, { ".abc", 0, "" },
		{ "a.b", 0, "" }, { "djF8.AAAA", 0, "" },
		{ "!!!!.AAAA", 0, "" }, { "dj=F8.AAAA", 0, "" },
		{ "dGVzdA.A", 0, "" }, { "dGVzdA.", 1, "" },
		{ "dGVzdA.", 1, "AAAA" }, { "dGVzdA.", 1, ".x" },
		{ "dGVzdA.", 1, "=" }, { "dGVzdA..", 1, "" },
		{ "dGVzdB.", 1, "" }, { "dGVzd.", 1, "" },
	};
	char	 zmac[48], tok[SRV_CURSOR_MAX], *big;
	int64_t	 last = 42;
	size_t	 i;
	int	 rc;

	/* 43 characters: 32 zero bytes, a well-formed MAC that is wrong. */
	memset(zmac, 'A', 43);
	zmac[43] = '\0';
	for (i = 0; i < sizeof(toks) / sizeof(toks[0]); i++) {
		snprintf(tok, sizeof(tok), "%s%s%s", toks[i].pre,
		    toks[i].mac ? zmac : "", toks[i].post);
		rc = check(&last, PIN_A, TAXII_COLL_SHARED, FKEY, tok, NOW);
		if (rc != TX_EINVAL && rc != TX_EAUTH)
			fail_msg("garbage %zu: %d", i, rc);
	}
	/* A well-formed MAC over an arbitrary message: EAUTH. */
	snprintf(tok, sizeof(tok), "dGVzdA.%s", zmac);
	assert_int_equal(check(&last, PIN_A, TAXII_COLL_SHARED, FKEY, tok,
	    NOW), TX_EAUTH);
	/* A MAC a byte short or long: EINVAL. */
	zmac[42] = '\0';
	snprintf(tok, sizeof(tok), "dGVzdA.%s", zmac);
	assert_int_equal(check(&last, PIN_A, TAXII_COLL_SHARED, FKEY, tok,
	    NOW), TX_EINVAL);
	snprintf(tok, sizeof(tok), "dGVzdA.%sAAAA", zmac);
	assert_int_equal(check(&last, PIN_A, TAXII_COLL_SHARED, FKEY, tok,
	    NOW), TX_EINVAL);
	/* Longer than any cursor, before decoding: refused. */
	big = malloc(100000);
	assert_non_null(big);
	memset(big, 'A', 99999);
	big[99999] = '\0';
	assert_int_equal(check(&last, PIN_A, TAXII_COLL_SHARED, FKEY, big,
	    NOW), TX_EINVAL);
	big[300] = '.';
	assert_int_equal(check(&last, PIN_A, TAXII_COLL_SHARED, FKEY, big,
	    NOW), TX_EINVAL);
	free(big);
	assert_true(last == 42);
}

static void
test_make_limits(void **state)
{
	char	tok[SRV_CURSOR_MAX], small[40], pin[300];

	/* Too small an output: nothing half-written. */
	memset(small, 'x', sizeof(small));
	assert_int_equal(srv_cursor_make(small, sizeof(small), key, PIN_A,
	    TAXII_COLL_SHARED, FKEY, LAST, NOW), TX_ELIMIT);
	assert_string_equal(small, "");
	/* A message over its cap. */
	memset(pin, 'p', sizeof(pin) - 1);
	pin[sizeof(pin) - 1] = '\0';
	assert_int_equal(srv_cursor_make(tok, sizeof(tok), key, pin,
	    TAXII_COLL_SHARED, FKEY, LAST, NOW), TX_ELIMIT);
	assert_string_equal(tok, "");
	/* The longest real one fits with room to spare. */
	make(tok, PIN_A, TAXII_COLL_SHARED, FKEY, INT64_MAX, INT64_MAX -
	    SRV_CURSOR_TTL_S);
	assert_true(strlen(tok) < SRV_CURSOR_MAX);
}

static void
test_key_file(void **state)
{
	char		 dir[] = "/tmp/tx-cursor-XXXXXX", path[128];
	uint8_t		 k1[SRV_CURSOR_KEY_LEN], k2[SRV_CURSOR_KEY_LEN];
	static const uint8_t zero[SRV_CURSOR_KEY_LEN];
	struct tx_err	 err;
	struct stat	 sb;
	FILE		*f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/cursor.key", dir);
	/* Made once, 0600, 32 bytes, then read back the same. */
	assert_int_equal(srv_cursor_key_load(k1, path, &err), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sb.st_size, SRV_CURSOR_KEY_LEN);
	assert_memory_not_equal(k1, zero, sizeof(k1));
	assert_int_equal(srv_cursor_key_load(k2, path, &err), 0);
	assert_memory_equal(k1, k2, sizeof(k1));
	/* A short file is refused and the key is wiped. */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("short", f);
	fclose(f);
	tx_err_clear(&err);
	assert_int_equal(srv_cursor_key_load(k2, path, &err), TX_EIO);
	assert_int_equal(err.code, TX_EIO);
	assert_string_equal(err.where, path);
	assert_memory_equal(k2, zero, sizeof(k2));
	unlink(path);
	/* Where nothing can be made: TX_EIO. */
	snprintf(path, sizeof(path), "%s/no/such/dir/cursor.key", dir);
	assert_int_equal(srv_cursor_key_load(k2, path, &err), TX_EIO);
	assert_memory_equal(k2, zero, sizeof(k2));
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_wire_form),
		cmocka_unit_test(test_bound),
		cmocka_unit_test(test_expired),
		cmocka_unit_test(test_tampered),
		cmocka_unit_test(test_genuine_but_malformed),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_make_limits),
		cmocka_unit_test(test_key_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
