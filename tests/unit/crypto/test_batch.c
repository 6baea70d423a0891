/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_batch.c - Merkle-batch signatures (DESIGN §4): batches of 1, 5 and
 * 1024 STIX indicators for the FBI-listed Bybit laundering wallets, each
 * object verifying alone; tampering with any part fails exactly that object;
 * reordering and whitespace do not; counter-signatures leave the hashed
 * bytes alone; entry limits; unknown keys; the verification cache; statements
 * and purpose separation; and the protocol test vectors of docs/protocol.md
 * (tests/data/protocol/, one JSON file each; regenerate with TX_REGEN_VECTORS=1).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "fixture.h"
#include "hash.h"
#include "jcs.h"
#include "merkle.h"
#include "sig.h"

#define SIGNER_A	"identity--8c1f3e8e-4a7c-4f6b-9a59-2f1d7b0c6e21"
#define SIGNER_B	"identity--0d6f2b57-93a1-4c38-8e0b-61f4a2d9c7b3"
#define T_SIGNED	((int64_t)1740571200 * 1000000 + 123456)	/* .123 */

static const char	*fallback_addr[] = {
	"0x51e9d833ecae4e8d9d8be17300aee6d3398c135d",
	"0x96244d83dc15d36847c35209bbdc5bdde9bec3d8",
	"0x83c7678492d623fb98834f0fbcb2e7b7f5af8950",
	"0x83ef5e80fad88288f770152875ab0bb16641a09e",
	"0xaf620e6d32b1c67f3396ef5d2f7d7642dc2e6ce9",
};

static char	 addrs[64][43];
static size_t	 naddrs;

static struct sig_key	*key_a, *key_b;

/* The key the callback hands out, per test. */
struct keyring {
	const struct sig_key	*key;
	int			 mode;	/* 0 ok, 1 unknown, 2 revoked */
	int			 calls;
};

static int
key_cb(const struct sig_key **out, const char *signer, const char *kid,
    const char *root_b64, void *payload)
{
	struct keyring	*r = payload;

	(void)signer;
	(void)kid;
	(void)root_b64;
	r->calls++;
	if (r->mode == 1)
		return TX_ENOTFOUND;
	if (r->mode == 2)
		return TX_EAUTH;
	*out = r->key;
	return 0;
}

static void
load_addresses(void)
{
	size_t	 i;

	if (naddrs > 0)
		return;
	naddrs = fx_eth_addresses(TX_SHARED_DIR FX_FBI_ADDRESSES, addrs, 64);
	if (naddrs == 0)
		for (i = 0; i < 5; i++) {
			memcpy(addrs[i], fallback_addr[i], 43);
			naddrs++;
		}
}

/* A realistic indicator for wallet addr, number i. */
static json_t *
indicator(const char *addr, size_t i)
{
	json_t	*o = fx_wallet_indicator(i, addr, SIGNER_A);

	assert_non_null(o);
	return o;
}

static json_t **
make_objects(size_t n)
{
	json_t	**v = calloc(n, sizeof(*v));
	size_t	 i;

	load_addresses();
	assert_non_null(v);
	for (i = 0; i < n; i++)
		v[i] = indicator(addrs[i % naddrs], i);
	return v;
}

static void
free_objects(json_t **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		json_decref(v[i]);
	free(v);
}

static int
setup(void **state)
{
	uint8_t	 seed[32];
	size_t	 i;

	(void)state;
	for (i = 0; i < 32; i++)
		seed[i] = (uint8_t)i;
	key_a = fx_key_from_seed(seed);
	assert_non_null(key_a);
	for (i = 0; i < 32; i++)
		seed[i] = (uint8_t)(0xff - i);
	key_b = fx_key_from_seed(seed);
	assert_non_null(key_b);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	sig_key_free(key_a);
	sig_key_free(key_b);
	return 0;
}

static int
verify(const json_t *o, size_t entry, const struct sig_key *k,
    struct batch_cache *c, struct batch_verdict *v)
{
	struct keyring	 r = { k, 0, 0 };

	return batch_verify_entry(v, o, entry, NULL, key_cb, &r, c, NULL);
}

static void
test_sign_verify_sizes(void **state)
{
	static const size_t	 sizes[] = { 1, 5, 1024 };
	struct batch_signer	 s = { NULL, SIGNER_A };
	struct batch_verdict	 v, vs[BATCH_MAX_ENTRIES];
	struct keyring		 r;
	json_t			**objs, *sigs, *e;
	char			 kid[SIG_KID_HEX];
	size_t			 k, i;

	(void)state;
	s.key = key_a;
	sig_key_kid(key_a, kid);
	for (k = 0; k < 3; k++) {
		size_t	 n = sizes[k];

		objs = make_objects(n);
		assert_int_equal(batch_sign(objs, n, &s, T_SIGNED, NULL), 0);
		for (i = 0; i < n; i++) {
			sigs = json_object_get(objs[i], "signatures");
			assert_int_equal(json_array_size(sigs), 1);
			e = json_array_get(sigs, 0);
			assert_string_equal(json_string_value(json_object_get(
			    e, "signed")), "2025-02-26T12:00:00.123Z");
			assert_int_equal(json_integer_value(json_object_get(
			    json_object_get(e, "batch"), "size")), (json_int_t)n);
			assert_int_equal(json_integer_value(json_object_get(
			    json_object_get(e, "batch"), "index")), (json_int_t)i);
			assert_non_null(json_object_get(json_object_get(
			    objs[i], "extensions"), TX_SIG_EXT_ID));
			assert_int_equal(verify(objs[i], 0, key_a, NULL, &v),
			    0);
			assert_int_equal(v.ok, 1);
			assert_string_equal(v.signer, SIGNER_A);
			assert_string_equal(v.kid, kid);
			/* a different key with the kid of A is refused */
			assert_int_equal(verify(objs[i], 0, key_b, NULL, &v),
			    TX_EAUTH);
			assert_string_equal(v.reason, "key refused: kid mismatch");
		}
		r.key = key_a;
		r.mode = 0;
		assert_int_equal(batch_judge(vs, BATCH_MAX_ENTRIES, objs[n - 1],
		    key_cb, &r, NULL, NULL), 1);
		assert_int_equal(vs[0].ok, 1);
		free_objects(objs, n);
	}
}

/* Apply one tamper to obj (entry 0); returns the reason expected. */
static const char *
tamper(json_t *o, int kind)
{
	json_t		*e = json_array_get(json_object_get(o, "signatures"), 0);
	json_t		*b = json_object_get(e, "batch");
	char		 s[128];
	const char	*old;

	switch (kind) {
	case 0:	/* one byte of a property */
		snprintf(s, sizeof(s), "%s", json_string_value(
		    json_object_get(o, "pattern")));
		s[strlen(s) - 3] ^= 0x01;
		json_object_set_new(o, "pattern", json_string(s));
		return "inclusion path";
	case 1:	/* an integer property */
		json_object_set_new(o, "confidence", json_integer(86));
		return "inclusion path";
	case 2:	/* the salt */
		old = json_string_value(json_object_get(b, "salt"));
		snprintf(s, sizeof(s), "%s", old);
		s[0] = s[0] == 'A' ? 'B' : 'A';
		json_object_set_new(b, "salt", json_string(s));
		return "inclusion path";
	case 3:	/* a path hash */
		old = json_string_value(json_array_get(json_object_get(b,
		    "path"), 0));
		snprintf(s, sizeof(s), "%s", old);
		s[5] = s[5] == 'A' ? 'B' : 'A';
		json_array_set_new(json_object_get(b, "path"), 0,
		    json_string(s));
		return "inclusion path";
	case 4:	/* the root */
		old = json_string_value(json_object_get(b, "root"));
		snprintf(s, sizeof(s), "%s", old);
		s[10] = s[10] == 'A' ? 'B' : 'A';
		json_object_set_new(b, "root", json_string(s));
		return "inclusion path";
	case 5:	/* the signed time */
		json_object_set_new(e, "signed",
		    json_string("2025-02-26T12:00:00.124Z"));
		return "signature";
	case 6:	/* the signature */
		old = json_string_value(json_object_get(e, "sig"));
		snprintf(s, sizeof(s), "%s", old);
		s[20] = s[20] == 'A' ? 'B' : 'A';
		json_object_set_new(e, "sig", json_string(s));
		return "signature";
	case 7:	/* the index */
		json_object_set_new(b, "index", json_integer(
		    (json_integer_value(json_object_get(b, "index")) + 1) % 5));
		return "inclusion path";
	case 8:	/* a new property */
		json_object_set_new(o, "revoked", json_true());
		return "inclusion path";
	}
	return NULL;
}

static void
test_tamper_exactly_one(void **state)
{
	struct batch_signer	 s = { NULL, SIGNER_A };
	struct batch_verdict	 v;
	struct batch_cache	*c = batch_cache_new(64);
	json_t			**objs, *copy[5];
	size_t			 i, j;
	int			 kind;
	const char		*want;

	(void)state;
	s.key = key_a;
	objs = make_objects(5);
	assert_int_equal(batch_sign(objs, 5, &s, T_SIGNED, NULL), 0);
	/* warm the cache with the valid header */
	assert_int_equal(verify(objs[0], 0, key_a, c, &v), 0);
	for (kind = 0; kind <= 8; kind++) {
		for (i = 0; i < 5; i++) {
			for (j = 0; j < 5; j++)
				copy[j] = json_deep_copy(objs[j]);
			want = tamper(copy[i], kind);
			for (j = 0; j < 5; j++) {
				int	 rc = verify(copy[j], 0, key_a, c, &v);

				if (j == i) {
					assert_int_equal(rc, TX_EAUTH);
					assert_int_equal(v.ok, 0);
					assert_string_equal(v.reason, want);
				} else {
					assert_int_equal(rc, 0);
					assert_int_equal(v.ok, 1);
				}
			}
			for (j = 0; j < 5; j++)
				json_decref(copy[j]);
		}
	}
	batch_cache_free(c);
	free_objects(objs, 5);
}

static void
test_reorder_and_whitespace(void **state)
{
	struct batch_signer	 s = { NULL, SIGNER_A };
	struct batch_verdict	 v;
	json_t			**objs, *r, *val;
	const char		*k;
	void			*it;
	const char		*keys[32];
	size_t			 nk, i;
	char			*text;

	(void)state;
	s.key = key_a;
	objs = make_objects(3);
	assert_int_equal(batch_sign(objs, 3, &s, T_SIGNED, NULL), 0);
	for (i = 0; i < 3; i++) {
		/* members in reverse order */
		nk = 0;
		for (it = json_object_iter(objs[i]); it != NULL && nk < 32;
		    it = json_object_iter_next(objs[i], it))
			keys[nk++] = json_object_iter_key(it);
		r = json_object();
		while (nk-- > 0) {
			val = json_object_get(objs[i], keys[nk]);
			json_object_set(r, keys[nk], val);
		}
		/* and indented text parsed back */
		text = json_dumps(r, JSON_INDENT(7));
		json_decref(r);
		assert_non_null(text);
		assert_non_null(strchr(text, '\n'));
		assert_int_equal(jcs_parse(&r, (const uint8_t *)text,
		    strlen(text), NULL), 0);
		free(text);
		assert_int_equal(verify(r, 0, key_a, NULL, &v), 0);
		k = json_object_iter_key(json_object_iter(r));
		assert_string_not_equal(k, "type");
		json_decref(r);
	}
	free_objects(objs, 3);
}

static void
test_countersignature(void **state)
{
	struct batch_signer	 a = { NULL, SIGNER_A }, b = { NULL, SIGNER_B };
	struct batch_verdict	 vs[BATCH_MAX_ENTRIES];
	struct tx_buf		 h0, h1, h2;
	json_t			**objs;
	struct keyring		 r;
	size_t			 i;

	(void)state;
	a.key = key_a;
	b.key = key_b;
	objs = make_objects(4);
	tx_buf_init(&h0, 1 << 20);
	tx_buf_init(&h1, 1 << 20);
	tx_buf_init(&h2, 1 << 20);
	assert_int_equal(batch_hashed_bytes(&h0, objs[2], NULL), 0);
	assert_int_equal(batch_sign(objs, 4, &a, T_SIGNED, NULL), 0);
	assert_int_equal(batch_hashed_bytes(&h1, objs[2], NULL), 0);
	/* B countersigns a batch of two of them */
	assert_int_equal(batch_sign(objs + 1, 2, &b, T_SIGNED + 5000000,
	    NULL), 0);
	assert_int_equal(batch_hashed_bytes(&h2, objs[2], NULL), 0);
	assert_int_equal(h0.len, h1.len);
	assert_memory_equal(h0.data, h1.data, h0.len);
	assert_int_equal(h0.len, h2.len);
	assert_memory_equal(h0.data, h2.data, h0.len);
	/* hashed bytes hold neither the signatures nor our extension */
	assert_null(strstr(tx_buf_cstr(&h2), "signatures"));
	assert_null(strstr(tx_buf_cstr(&h2), "extensions"));
	for (i = 1; i < 3; i++) {
		struct batch_verdict	 v;

		assert_int_equal(json_array_size(json_object_get(objs[i],
		    "signatures")), 2);
		assert_int_equal(verify(objs[i], 0, key_a, NULL, &v), 0);
		assert_int_equal(verify(objs[i], 1, key_b, NULL, &v), 0);
		assert_string_equal(v.signer, SIGNER_B);
		assert_string_equal(v.signed_at, "2025-02-26T12:00:05.123Z");
	}
	/* judge: A's key for both: A ok, B "key refused" (kid mismatch) */
	r.key = key_a;
	r.mode = 0;
	assert_int_equal(batch_judge(vs, BATCH_MAX_ENTRIES, objs[1], key_cb,
	    &r, NULL, NULL), 2);
	assert_int_equal(vs[0].ok, 1);
	assert_int_equal(vs[1].ok, 0);
	tx_buf_dispose(&h0);
	tx_buf_dispose(&h1);
	tx_buf_dispose(&h2);
	free_objects(objs, 4);
}

static void
test_hashed_bytes_rules(void **state)
{
	struct tx_buf	 b;
	json_t		*o;

	(void)state;
	tx_buf_init(&b, 4096);
	o = json_pack("{s:s, s:{s:{s:s}, s:{s:s}}, s:[]}", "type", "x",
	    "extensions", TX_SIG_EXT_ID, "extension_type", "tpe",
	    "extension-definition--1", "extension_type", "property-extension",
	    "signatures");
	assert_int_equal(batch_hashed_bytes(&b, o, NULL), 0);
	assert_string_equal(tx_buf_cstr(&b), "{\"extensions\":{"
	    "\"extension-definition--1\":{\"extension_type\":"
	    "\"property-extension\"}},\"type\":\"x\"}");
	json_decref(o);
	tx_buf_reset(&b);
	o = json_pack("{s:s, s:{}, s:i}", "type", "x", "extensions", "b", 1);
	assert_int_equal(batch_hashed_bytes(&b, o, NULL), 0);
	assert_string_equal(tx_buf_cstr(&b), "{\"b\":1,\"type\":\"x\"}");
	json_decref(o);
	tx_buf_reset(&b);
	o = json_array();
	assert_int_equal(batch_hashed_bytes(&b, o, NULL), TX_EINVAL);
	json_decref(o);
	tx_buf_dispose(&b);
}

static void
test_entry_limits(void **state)
{
	struct batch_signer	 s = { NULL, NULL };
	struct batch_verdict	 vs[BATCH_MAX_ENTRIES];
	struct keyring		 r = { NULL, 0, 0 };
	char			 ids[17][64];
	json_t			**objs, *before, *sigs, *e;
	int			 i;

	(void)state;
	s.key = key_a;
	r.key = key_a;
	objs = make_objects(2);
	for (i = 0; i < 16; i++) {
		snprintf(ids[i], sizeof(ids[i]),
		    "identity--00000000-0000-4000-8000-%012d", i);
		s.signer_id = ids[i];
		assert_int_equal(batch_sign(objs, 1, &s, T_SIGNED, NULL), 0);
	}
	assert_int_equal(batch_judge(vs, BATCH_MAX_ENTRIES, objs[0], key_cb,
	    &r, NULL, NULL), 16);
	for (i = 0; i < 16; i++)
		assert_int_equal(vs[i].ok, 1);
	/* a 17th is refused, and nothing in the batch changes */
	snprintf(ids[16], sizeof(ids[16]),
	    "identity--00000000-0000-4000-8000-%012d", 16);
	s.signer_id = ids[16];
	before = json_deep_copy(objs[1]);
	assert_int_equal(batch_sign(objs, 2, &s, T_SIGNED, NULL), TX_ELIMIT);
	assert_true(json_equal(before, objs[1]));
	json_decref(before);
	/* a second entry by the same signer is refused */
	s.signer_id = ids[3];
	assert_int_equal(batch_sign(objs + 1, 1, &s, T_SIGNED, NULL), 0);
	assert_int_equal(batch_sign(objs + 1, 1, &s, T_SIGNED, NULL),
	    TX_EEXIST);
	/* hand-made: 17 entries reported by batch_judge */
	sigs = json_object_get(objs[0], "signatures");
	e = json_deep_copy(json_array_get(sigs, 0));
	json_object_set_new(e, "signer", json_string(ids[16]));
	json_array_append_new(sigs, e);
	assert_int_equal(batch_judge(vs, BATCH_MAX_ENTRIES, objs[0], key_cb,
	    &r, NULL, NULL), TX_ELIMIT);
	/* hand-made: duplicate signer reported, the first judged */
	sigs = json_object_get(objs[1], "signatures");
	json_array_append_new(sigs, json_deep_copy(json_array_get(sigs, 0)));
	assert_int_equal(batch_judge(vs, BATCH_MAX_ENTRIES, objs[1], key_cb,
	    &r, NULL, NULL), 2);
	assert_int_equal(vs[0].ok, 1);
	assert_int_equal(vs[1].ok, 0);
	assert_string_equal(vs[1].reason, "duplicate signer");
	free_objects(objs, 2);
}

static void
test_unknown_and_revoked_key(void **state)
{
	struct batch_signer	 s = { NULL, SIGNER_A };
	struct batch_verdict	 v, vs[BATCH_MAX_ENTRIES];
	struct keyring		 r = { NULL, 1, 0 };
	json_t			**objs;

	(void)state;
	s.key = key_a;
	objs = make_objects(2);
	assert_int_equal(batch_sign(objs, 2, &s, T_SIGNED, NULL), 0);
	assert_int_equal(batch_verify_entry(&v, objs[0], 0, NULL, key_cb, &r,
	    NULL, NULL), TX_ENOTFOUND);
	assert_string_equal(v.reason, "unknown key");
	assert_int_equal(v.ok, 0);
	assert_int_equal(batch_judge(vs, BATCH_MAX_ENTRIES, objs[1], key_cb,
	    &r, NULL, NULL), 1);
	assert_string_equal(vs[0].reason, "unknown key");
	r.mode = 2;
	r.key = key_a;
	assert_int_equal(batch_verify_entry(&v, objs[0], 0, NULL, key_cb, &r,
	    NULL, NULL), TX_EAUTH);
	assert_string_equal(v.reason, "key refused");
	/* no such entry */
	r.mode = 0;
	assert_int_equal(batch_verify_entry(&v, objs[0], 1, NULL, key_cb, &r,
	    NULL, NULL), TX_EINVAL);
	free_objects(objs, 2);
}

static void
test_cache_hits(void **state)
{
	struct batch_signer	 s = { NULL, SIGNER_A };
	struct batch_verdict	 v;
	struct batch_cache	*c = batch_cache_new(4096);
	struct keyring		 r = { NULL, 0, 0 };
	uint64_t		 hits, misses;
	json_t			**objs;
	size_t			 i;

	(void)state;
	s.key = key_a;
	r.key = key_a;
	objs = make_objects(1024);
	assert_int_equal(batch_sign(objs, 1024, &s, T_SIGNED, NULL), 0);
	for (i = 0; i < 1024; i++)
		assert_int_equal(batch_verify_entry(&v, objs[i], 0, NULL,
		    key_cb, &r, c, NULL), 0);
	batch_cache_stats(c, &hits, &misses);
	assert_int_equal(misses, 1);
	assert_int_equal(hits, 1023);
	/* second verify of the same batch: all hits; the key callback is
	 * still asked every time (roster and revocation never cached) */
	r.calls = 0;
	for (i = 0; i < 1024; i++)
		assert_int_equal(batch_verify_entry(&v, objs[i], 0, NULL,
		    key_cb, &r, c, NULL), 0);
	batch_cache_stats(c, &hits, &misses);
	assert_int_equal(misses, 1);
	assert_int_equal(hits, 2047);
	assert_int_equal(r.calls, 1024);
	/* a revoked key is refused even with a cached good result */
	r.mode = 2;
	assert_int_equal(batch_verify_entry(&v, objs[0], 0, NULL, key_cb, &r,
	    c, NULL), TX_EAUTH);
	/* cleared: a miss again */
	r.mode = 0;
	batch_cache_clear(c);
	assert_int_equal(batch_verify_entry(&v, objs[0], 0, NULL, key_cb, &r,
	    c, NULL), 0);
	batch_cache_stats(c, &hits, &misses);
	assert_int_equal(misses, 2);
	batch_cache_free(c);
	free_objects(objs, 1024);
}

/* Each malformation of entry 0 of a signed object: reason expected. */
static void
test_malformed_entries(void **state)
{
	static const struct {
		const char	*where;	/* "" entry, "batch" */
		const char	*key;
		const char	*json;	/* new value; NULL deletes */
		const char	*reason;
	} t[] = {
		{ "", "alg", "\"ed25519\"", "malformed entry: alg" },
		{ "", "alg", "1", "malformed entry: alg" },
		{ "", "kid", "\"ABCDEF\"", "malformed entry: kid" },
		{ "", "kid", "\"00000000000000000000000000000000000000000000"
		    "0000000000000000000A\"", "malformed entry: kid" },
		{ "", "signer", "\"identity--x\"", "malformed entry: signer" },
		{ "", "signed", "\"2025-02-26T12:00:00Z\"",
		    "malformed entry: signed" },
		{ "", "signed", "\"2025-02-30T12:00:00.000Z\"",
		    "malformed entry: signed" },
		{ "", "sig", "\"AAAA\"", "malformed entry: sig" },
		{ "", "sig", NULL, "malformed entry: members" },
		{ "", "extra", "1", "malformed entry: members" },
		{ "batch", "root", "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"",
		    "malformed entry: batch.root" },
		{ "batch", "salt", "\"AAAAAAAAAAAAAAAAAAAA\"",
		    "malformed entry: batch.salt" },
		{ "batch", "size", "\"5\"", "malformed entry: batch.size" },
		{ "batch", "size", "5.0", "malformed entry: batch.size" },
		{ "batch", "size", "0", "malformed entry: batch.size" },
		{ "batch", "index", "5", "malformed entry: batch.index" },
		{ "batch", "index", "-1", "malformed entry: batch.index" },
		{ "batch", "path", "[\"AAAA\"]",
		    "malformed entry: batch.path element" },
		{ "batch", "path", "{}", "malformed entry: batch.path" },
		{ "batch", "x", "1", "malformed entry: batch members" },
	};
	struct batch_signer	 s = { NULL, SIGNER_A };
	struct batch_verdict	 v;
	json_t			**objs, *o, *e, *val;
	size_t			 i;

	(void)state;
	s.key = key_a;
	objs = make_objects(5);
	assert_int_equal(batch_sign(objs, 5, &s, T_SIGNED, NULL), 0);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		o = json_deep_copy(objs[2]);
		e = json_array_get(json_object_get(o, "signatures"), 0);
		if (t[i].where[0] != '\0')
			e = json_object_get(e, t[i].where);
		if (t[i].json == NULL) {
			json_object_del(e, t[i].key);
		} else {
			val = json_loads(t[i].json, JSON_DECODE_ANY, NULL);
			assert_non_null(val);
			json_object_set_new(e, t[i].key, val);
		}
		assert_int_equal(verify(o, 0, key_a, NULL, &v), TX_EINVAL);
		assert_string_equal(v.reason, t[i].reason);
		json_decref(o);
	}
	/* a path one element short: inclusion path */
	o = json_deep_copy(objs[2]);
	json_array_remove(json_object_get(json_object_get(json_array_get(
	    json_object_get(o, "signatures"), 0), "batch"), "path"), 0);
	assert_int_equal(verify(o, 0, key_a, NULL, &v), TX_EAUTH);
	assert_string_equal(v.reason, "inclusion path");
	json_decref(o);
	/* our extension entry altered */
	o = json_deep_copy(objs[2]);
	json_object_set_new(json_object_get(o, "extensions"), TX_SIG_EXT_ID,
	    json_pack("{s:s, s:i}", "extension_type", TX_SIG_EXT_TYPE,
	    "x", 1));
	assert_int_equal(verify(o, 0, key_a, NULL, &v), TX_EINVAL);
	json_decref(o);
	free_objects(objs, 5);
}

static void
test_statements(void **state)
{
	struct batch_signer	 s = { NULL, SIGNER_A };
	struct batch_verdict	 v;
	struct keyring		 r = { NULL, 0, 0 };
	json_t			*d, *c, **objs;

	(void)state;
	s.key = key_a;
	r.key = key_a;
	d = json_pack("{s:s, s:s, s:s}", "type", "x-threatex-descriptor",
	    "identity", SIGNER_A, "name", "CERT-A");
	assert_int_equal(batch_sign_statement(d, "threatex-descriptor-v1", &s,
	    T_SIGNED, NULL), 0);
	assert_null(json_object_get(d, "extensions"));
	assert_int_equal(batch_verify_statement(&v, d,
	    "threatex-descriptor-v1", key_cb, &r, NULL), 0);
	assert_int_equal(v.ok, 1);
	/* other purposes, and the batch purpose, fail on the signature */
	assert_int_equal(batch_verify_statement(&v, d, "threatex-rotation-v1",
	    key_cb, &r, NULL), TX_EAUTH);
	assert_string_equal(v.reason, "signature");
	assert_int_equal(batch_verify_entry(&v, d, 0, NULL, key_cb, &r, NULL,
	    NULL), TX_EAUTH);
	assert_string_equal(v.reason, "signature");
	/* signing twice refused */
	assert_int_equal(batch_sign_statement(d, "threatex-descriptor-v1", &s,
	    T_SIGNED, NULL), TX_EEXIST);
	/* a content batch of one is not a statement */
	objs = make_objects(1);
	assert_int_equal(batch_sign(objs, 1, &s, T_SIGNED, NULL), 0);
	assert_int_equal(batch_verify_statement(&v, objs[0],
	    "threatex-batch-v2", key_cb, &r, NULL), TX_EAUTH);
	c = json_deep_copy(objs[0]);
	json_object_del(c, "extensions");
	assert_int_equal(batch_verify_statement(&v, c, "threatex-descriptor-v1",
	    key_cb, &r, NULL), TX_EAUTH);
	json_decref(c);
	free_objects(objs, 1);
	/* tampered statement */
	json_object_set_new(d, "name", json_string("CERT-B"));
	assert_int_equal(batch_verify_statement(&v, d,
	    "threatex-descriptor-v1", key_cb, &r, NULL), TX_EAUTH);
	assert_string_equal(v.reason, "inclusion path");
	json_decref(d);
}

static void
test_refusals(void **state)
{
	struct batch_signer	 s = { NULL, "identity--bad" };
	json_t			**objs;
	json_t			*bad[2];
	char			 t[BATCH_TIME_LEN + 1];

	(void)state;
	s.key = key_a;
	objs = make_objects(1);
	assert_int_equal(batch_sign(objs, 1, &s, T_SIGNED, NULL), TX_EINVAL);
	s.signer_id = SIGNER_A;
	assert_int_equal(batch_sign(objs, 0, &s, T_SIGNED, NULL), TX_EINVAL);
	assert_int_equal(batch_sign(objs, 1, &s, -1, NULL), TX_EINVAL);
	bad[0] = objs[0];
	bad[1] = json_array();
	assert_int_equal(batch_sign(bad, 2, &s, T_SIGNED, NULL), TX_EINVAL);
	assert_null(json_object_get(objs[0], "signatures"));
	json_decref(bad[1]);
	assert_int_equal(batch_format_time(t, 0), 0);
	assert_string_equal(t, "1970-01-01T00:00:00.000Z");
	assert_int_equal(batch_format_time(t, (int64_t)951782400 * 1000000 +
	    999999), 0);
	assert_string_equal(t, "2000-02-29T00:00:00.999Z");
	free_objects(objs, 1);
}

/* ---------------------------------------------------------- vectors */

static json_t *
hexes(const uint8_t *p, size_t each, size_t n)
{
	json_t	*a = json_array();
	char	 h[129];
	size_t	 i;

	for (i = 0; i < n; i++) {
		hex_encode(h, p + i * each, each);
		json_array_append_new(a, json_string(h));
	}
	return a;
}

/* The vector document for a batch of n (or a descriptor when n == 0). */
static json_t *
make_vector(size_t n)
{
	struct batch_signer	 s = { NULL, SIGNER_A };
	struct tx_buf		 b;
	uint8_t			 salts[5][BATCH_SALT_LEN], leaves[5][32];
	uint8_t			 seed[32], pub[32], root[32];
	uint8_t			 pre[1 + BATCH_SALT_LEN];
	char			 kid[SIG_KID_HEX], pubs[64], roots[64];
	char			 when[BATCH_TIME_LEN + 1];
	json_t			*doc, *objs[5], *unsigned_objs, *hashed, *signd;
	json_t			*hdr;
	size_t			 i, j, cnt = n ? n : 1;

	s.key = key_a;
	for (i = 0; i < 32; i++)
		seed[i] = (uint8_t)i;
	for (i = 0; i < cnt; i++)
		for (j = 0; j < BATCH_SALT_LEN; j++)
			salts[i][j] = (uint8_t)(0x10 * (i + 1) + j);
	if (n == 0) {
		objs[0] = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}",
		    "type", "x-threatex-descriptor",
		    "id", "x-threatex-descriptor--4f0c2d0e-1b7a-4c55-8f3e-"
		    "0a9b8c7d6e5f",
		    "identity", SIGNER_A, "name", "CERT-A",
		    "taxii_url", "https://cert-a.example/taxii2/",
		    "tls_spki_sha256", "0000000000000000000000000000000000000000000000000000000000000000");
	} else {
		for (i = 0; i < n; i++)
			objs[i] = indicator(fallback_addr[i], i);
	}
	unsigned_objs = json_array();
	hashed = json_array();
	tx_buf_init(&b, 1 << 20);
	for (i = 0; i < cnt; i++) {
		json_array_append_new(unsigned_objs, json_deep_copy(objs[i]));
		tx_buf_reset(&b);
		assert_int_equal(batch_hashed_bytes(&b, objs[i], NULL), 0);
		json_array_append_new(hashed, json_string(tx_buf_cstr(&b)));
		pre[0] = 0;
		memcpy(pre + 1, salts[i], BATCH_SALT_LEN);
		hash_sha256_2(leaves[i], pre, sizeof(pre), b.data, b.len);
	}
	if (n == 0)
		assert_int_equal(batch_sign_statement_with_salt(objs[0],
		    "threatex-descriptor-v1", &s, T_SIGNED, salts[0], NULL), 0);
	else
		assert_int_equal(batch_sign_with_salts(objs, n, &s, T_SIGNED,
		    (const uint8_t (*)[BATCH_SALT_LEN])salts, NULL), 0);
	assert_int_equal(merkle_root(root, (const uint8_t (*)[32])leaves,
	    cnt), 0);
	b64url_encode(roots, root, 32);
	sig_key_public(key_a, pub);
	b64url_encode(pubs, pub, 32);
	sig_key_kid(key_a, kid);
	batch_format_time(when, T_SIGNED);
	hdr = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "purpose",
	    n ? BATCH_PURPOSE : "threatex-descriptor-v1", "alg", "Ed25519",
	    "kid", kid, "signer", SIGNER_A, "signed", when, "root", roots,
	    "size", (json_int_t)cnt);
	tx_buf_reset(&b);
	assert_int_equal(jcs_serialize(&b, hdr, NULL), 0);
	json_decref(hdr);
	signd = json_array();
	for (i = 0; i < cnt; i++)
		json_array_append_new(signd, objs[i]);
	doc = json_pack("{s:s, s:o, s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:o, "
	    "s:o, s:s, s:s, s:o}",
	    "description", n == 0 ? "statement: descriptor, purpose "
	    "threatex-descriptor-v1" : n == 1 ? "batch of 1" : "batch of 5",
	    "seed_hex", hexes(seed, 32, 1),
	    "public_key_b64url", pubs, "kid", kid, "signer", SIGNER_A,
	    "signed", when, "signed_us", (json_int_t)T_SIGNED,
	    "objects", unsigned_objs,
	    "salts_hex", hexes(&salts[0][0], BATCH_SALT_LEN, cnt),
	    "hashed_bytes", hashed,
	    "leaves_hex", hexes(&leaves[0][0], 32, cnt),
	    "root_b64url", roots,
	    "header_jcs", tx_buf_cstr(&b),
	    "signed_objects", signd);
	assert_non_null(doc);
	tx_buf_dispose(&b);
	return doc;
}

static void
test_protocol_vectors(void **state)
{
	static const struct {
		size_t		 n;
		const char	*file;
	} v[] = {
		{ 1, "batch1.json" }, { 5, "batch5.json" },
		{ 0, "descriptor.json" },
	};
	struct keyring		 r = { NULL, 0, 0 };
	struct batch_verdict	 vd;
	char			 path[512];
	json_t			*doc, *want, *so;
	size_t			 i, j;

	(void)state;
	r.key = key_a;
	for (i = 0; i < 3; i++) {
		doc = make_vector(v[i].n);
		snprintf(path, sizeof(path), "%s/protocol/%s", TX_TEST_DATA,
		    v[i].file);
		if (getenv("TX_REGEN_VECTORS") != NULL)
			assert_int_equal(json_dump_file(doc, path,
			    JSON_INDENT(2)), 0);
		want = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
		assert_non_null(want);
		assert_true(json_equal(doc, want));
		/* the header (JCS) and signature of the vector agree */
		{
			const char	*h = json_string_value(json_object_get(
			    want, "header_jcs"));
			const char	*sg = json_string_value(json_object_get(
			    json_array_get(json_object_get(json_array_get(
			    json_object_get(want, "signed_objects"), 0),
			    "signatures"), 0), "sig"));
			uint8_t		 raw[SIG_LEN];

			assert_int_equal(b64url_decode(raw, SIG_LEN, sg,
			    strlen(sg)), SIG_LEN);
			assert_int_equal(sig_verify(key_a, (const uint8_t *)h,
			    strlen(h), raw, SIG_LEN), 0);
		}
		/* the vectors verify as stored */
		so = json_object_get(want, "signed_objects");
		for (j = 0; j < json_array_size(so); j++) {
			if (v[i].n == 0)
				assert_int_equal(batch_verify_statement(&vd,
				    json_array_get(so, j),
				    "threatex-descriptor-v1", key_cb, &r,
				    NULL), 0);
			else
				assert_int_equal(batch_verify_entry(&vd,
				    json_array_get(so, j), 0, NULL, key_cb, &r,
				    NULL, NULL), 0);
		}
		json_decref(want);
		json_decref(doc);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_verify_sizes),
		cmocka_unit_test(test_tamper_exactly_one),
		cmocka_unit_test(test_reorder_and_whitespace),
		cmocka_unit_test(test_countersignature),
		cmocka_unit_test(test_hashed_bytes_rules),
		cmocka_unit_test(test_entry_limits),
		cmocka_unit_test(test_unknown_and_revoked_key),
		cmocka_unit_test(test_cache_hits),
		cmocka_unit_test(test_malformed_entries),
		cmocka_unit_test(test_statements),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_protocol_vectors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
