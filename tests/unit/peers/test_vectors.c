/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_vectors.c - the protocol test vectors of docs/protocol.md §10 that
 * go beyond one batch: a batch of 1024 Bybit-wallet indicators, a member
 * descriptor in peers/descriptor.c's format, a rotation and a revocation
 * in peers/statement.c's format. Every vector is regenerated from fixed
 * keys, salts, times and ids and compared byte for byte with its file in
 * tests/data/protocol/ (TX_REGEN_VECTORS=1 rewrites the files). Then the
 * stored vectors are used as a receiver would: the descriptor is parsed,
 * its genesis key and commitment seed a roster, the rotation and the
 * revocation are applied in order, and tampered copies are refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "descriptor.h"
#include "fixture.h"
#include "hash.h"
#include "jcs.h"
#include "merkle.h"
#include "roster.h"
#include "sig.h"
#include "statement.h"

#define SIGNER_A	"identity--8c1f3e8e-4a7c-4f6b-9a59-2f1d7b0c6e21"
#define TLP_CLEAR_ID	"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
#define T_BATCH		((int64_t)1740571200 * 1000000 + 123456)
#define T_ROTATION	((int64_t)1740821400 * 1000000 + 250999)
#define T_REVOCATION	((int64_t)1740825000 * 1000000 + 500000)
#define BIG_N		1024
#define MAX_ADDRS	64
#define FILE_MAX	((size_t)4 << 20)

#define DESCRIPTOR_ID	"x-threatex-descriptor--4f0c2d0e-1b7a-4c55-8f3e-0a9b8c7d6e5f"
#define ROTATION_ID	"x-threatex-rotation--5b0e6a57-2c1d-4e8f-9a3b-7c6d5e4f3a21"
#define REVOCATION_ID	"x-threatex-revocation--c2a4e6f8-0b1d-4f3a-8c5e-7a9b1c3d5e7f"

static struct sig_key	*key[3];	/* A (genesis), B, C */
static uint8_t		 seed[3][32];
static uint8_t		 pub[3][SIG_PUB_LEN];
static char		 kid[3][SIG_KID_HEX];
static char		 addrs[MAX_ADDRS][43];
static size_t		 naddrs;

/* Column address_lower of the FBI list, in file order (all 51 rows). */
static void
load_addresses(void)
{
	naddrs = fx_eth_addresses(TX_SHARED_DIR FX_FBI_ADDRESSES, addrs,
	    MAX_ADDRS);
	assert_int_equal(naddrs, 51);
}

static int
setup(void **state)
{
	size_t	i, j;

	(void)state;
	for (i = 0; i < 3; i++) {
		for (j = 0; j < 32; j++)
			seed[i][j] = (uint8_t)(32 * i + j);
		key[i] = fx_key_from_seed(seed[i]);
		assert_non_null(key[i]);
		sig_key_public(key[i], pub[i]);
		sig_key_kid(key[i], kid[i]);
	}
	load_addresses();
	return 0;
}

static int
teardown(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < 3; i++)
		sig_key_free(key[i]);
	return 0;
}

/* ------------------------------------------------------------ helpers */

static json_t *
hex_str(const uint8_t *p, size_t n)
{
	char	h[129];

	hex_encode(h, p, n);
	return json_string(h);
}

static json_t *
b64_str(const uint8_t *p, size_t n)
{
	char	b[128];

	b64url_encode(b, p, n);
	return json_string(b);
}

/* First 16 bytes of SHA-256(label). */
static void
salt_of(uint8_t salt[BATCH_SALT_LEN], const char *label)
{
	uint8_t	h[32];

	hash_sha256(h, label, strlen(label));
	memcpy(salt, h, BATCH_SALT_LEN);
}

static char *
jcs_of(const json_t *v)
{
	struct tx_buf	 b;
	char		*s;

	tx_buf_init(&b, FILE_MAX);
	assert_int_equal(jcs_serialize(&b, v, NULL), 0);
	s = strdup(tx_buf_cstr(&b));
	assert_non_null(s);
	tx_buf_dispose(&b);
	return s;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f = fopen(path, "rb");
	char	*p;
	size_t	 n;

	assert_non_null(f);
	p = malloc(FILE_MAX + 1);
	assert_non_null(p);
	n = fread(p, 1, FILE_MAX, f);
	assert_true(n < FILE_MAX);
	fclose(f);
	p[n] = '\0';
	*len = n;
	return p;
}

/*
 * Compare doc, rendered as the vector file is (jansson, 2-space indent,
 * insertion order, trailing newline), with the stored file byte for byte;
 * TX_REGEN_VECTORS=1 rewrites the file first. Returns the stored file
 * parsed.
 */
static json_t *
check_file(const json_t *doc, const char *name)
{
	char	 path[512], *want, *got;
	size_t	 wlen, glen;
	json_t	*v;
	FILE	*f;

	snprintf(path, sizeof(path), "%s/protocol/%s", TX_TEST_DATA, name);
	got = json_dumps(doc, JSON_INDENT(2));
	assert_non_null(got);
	glen = strlen(got);
	if (getenv("TX_REGEN_VECTORS") != NULL) {
		f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(got, 1, glen, f), glen);
		assert_int_equal(fputc('\n', f), '\n');
		assert_int_equal(fclose(f), 0);
	}
	want = slurp(path, &wlen);
	if (wlen != glen + 1 || memcmp(want, got, glen) != 0 ||
	    want[glen] != '\n')
		fail_msg("%s differs from the regenerated vector", path);
	v = json_loadb(want, wlen, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(v);
	free(want);
	free(got);
	return v;
}

/* The key block of a vector: seed, public key, kid. */
static json_t *
key_info(size_t k)
{
	return json_pack("{s:o, s:o, s:s}", "seed_hex", hex_str(seed[k], 32),
	    "public_key_b64url", b64_str(pub[k], 32), "kid", kid[k]);
}

/*
 * Sign obj as a statement (purpose, key k, time t, salt SHA-256(label)
 * [0..16]) and return the vector document describing every step.
 */
static json_t *
statement_doc(json_t *obj, const char *desc, const char *purpose, size_t k,
    int64_t t, const char *label)
{
	struct batch_signer	 s = { key[k], SIGNER_A };
	struct tx_buf		 b;
	uint8_t			 salt[BATCH_SALT_LEN], leaf[32];
	uint8_t			 pre[1 + BATCH_SALT_LEN];
	char			 when[BATCH_TIME_LEN + 1], *hdr_jcs;
	json_t			*unsigned_obj, *hdr, *doc;

	salt_of(salt, label);
	unsigned_obj = json_deep_copy(obj);
	tx_buf_init(&b, FILE_MAX);
	assert_int_equal(batch_hashed_bytes(&b, obj, NULL), 0);
	pre[0] = 0x00;
	memcpy(pre + 1, salt, BATCH_SALT_LEN);
	hash_sha256_2(leaf, pre, sizeof(pre), b.data, b.len);
	assert_int_equal(batch_sign_statement_with_salt(obj, purpose, &s, t,
	    salt, NULL), 0);
	assert_int_equal(batch_format_time(when, t), 0);
	/* size 1: the root is the leaf */
	hdr = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:I}", "purpose",
	    purpose, "alg", "Ed25519", "kid", kid[k], "signer", SIGNER_A,
	    "signed", when, "root", b64_str(leaf, 32), "size", (json_int_t)1);
	hdr_jcs = jcs_of(hdr);
	json_decref(hdr);
	doc = json_pack("{s:s, s:s, s:o, s:s, s:s, s:I, s:o, s:s%, s:o, "
	    "s:o, s:o, s:s, s:o}",
	    "description", desc, "purpose", purpose, "signing_key",
	    key_info(k), "signer", SIGNER_A, "signed", when,
	    "signed_us", (json_int_t)t, "object", unsigned_obj,
	    "hashed_bytes", (const char *)b.data, b.len,
	    "salt_hex", hex_str(salt, BATCH_SALT_LEN),
	    "leaf_hex", hex_str(leaf, 32), "root_b64url", b64_str(leaf, 32),
	    "header_jcs", hdr_jcs, "signed_object", json_incref(obj));
	assert_non_null(doc);
	free(hdr_jcs);
	tx_buf_dispose(&b);
	return doc;
}

/* The statement members that peers/statement.c's statement_new writes. */
static json_t *
statement_base(const char *type, const char *id, int64_t t)
{
	char	ts[BATCH_TIME_LEN + 1];

	assert_int_equal(batch_format_time(ts, t), 0);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[s]}", "type", type,
	    "spec_version", "2.1", "id", id, "created", ts, "modified", ts,
	    "created_by_ref", SIGNER_A, "object_marking_refs", TLP_CLEAR_ID);
}

/* a and b equal once "id" and "signatures" are set aside. */
static int
same_but_id(const json_t *a, const json_t *b)
{
	json_t	*x = json_deep_copy(a), *y = json_deep_copy(b);
	int	 eq;

	json_object_del(x, "id");
	json_object_del(x, "signatures");
	json_object_del(y, "id");
	json_object_del(y, "signatures");
	eq = json_equal(x, y);
	json_decref(x);
	json_decref(y);
	return eq;
}

/* -------------------------------------------------------- the vectors */

/* Object i of the 1024 batch: test_batch.c's indicator template. */
static json_t *
indicator(size_t i)
{
	json_t	*o = fx_wallet_indicator(i, addrs[i % naddrs], SIGNER_A);

	assert_non_null(o);
	return o;
}

static json_t *
make_batch1024(json_t ***objs_out)
{
	static const size_t	 sample[] = { 0, 1, BIG_N - 1 };
	struct batch_signer	 s = { NULL, SIGNER_A };
	struct tx_buf		 b;
	uint8_t			(*salts)[BATCH_SALT_LEN], (*leaves)[32];
	uint8_t			 pre[1 + BATCH_SALT_LEN], root[32];
	char			 label[32], when[BATCH_TIME_LEN + 1];
	char			*hdr_jcs;
	json_t			**objs, *unsigned_objs[3], *hashed[3];
	json_t			*leaf_arr, *addr_arr, *samples, *hdr, *doc;
	size_t			 i;

	s.key = key[0];
	objs = calloc(BIG_N, sizeof(*objs));
	salts = calloc(BIG_N, sizeof(*salts));
	leaves = calloc(BIG_N, sizeof(*leaves));
	assert_true(objs != NULL && salts != NULL && leaves != NULL);
	tx_buf_init(&b, FILE_MAX);
	leaf_arr = json_array();
	for (i = 0; i < BIG_N; i++) {
		objs[i] = indicator(i);
		snprintf(label, sizeof(label), "salt%zu", i);
		salt_of(salts[i], label);
		tx_buf_reset(&b);
		assert_int_equal(batch_hashed_bytes(&b, objs[i], NULL), 0);
		pre[0] = 0x00;
		memcpy(pre + 1, salts[i], BATCH_SALT_LEN);
		hash_sha256_2(leaves[i], pre, sizeof(pre), b.data, b.len);
		json_array_append_new(leaf_arr, hex_str(leaves[i], 32));
	}
	for (i = 0; i < 3; i++) {
		unsigned_objs[i] = json_deep_copy(objs[sample[i]]);
		tx_buf_reset(&b);
		assert_int_equal(batch_hashed_bytes(&b, objs[sample[i]], NULL),
		    0);
		hashed[i] = json_stringn((const char *)b.data, b.len);
	}
	assert_int_equal(batch_sign_with_salts(objs, BIG_N, &s, T_BATCH,
	    (const uint8_t (*)[BATCH_SALT_LEN])salts, NULL), 0);
	assert_int_equal(merkle_root(root, (const uint8_t (*)[32])leaves,
	    BIG_N), 0);
	assert_int_equal(batch_format_time(when, T_BATCH), 0);
	hdr = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:I}", "purpose",
	    BATCH_PURPOSE, "alg", "Ed25519", "kid", kid[0], "signer",
	    SIGNER_A, "signed", when, "root", b64_str(root, 32), "size",
	    (json_int_t)BIG_N);
	hdr_jcs = jcs_of(hdr);
	json_decref(hdr);
	addr_arr = json_array();
	for (i = 0; i < naddrs; i++)
		json_array_append_new(addr_arr, json_string(addrs[i]));
	samples = json_array();
	for (i = 0; i < 3; i++)
		json_array_append_new(samples, json_pack("{s:I, s:s, s:o, s:o, "
		    "s:o, s:O}", "index", (json_int_t)sample[i],
		    "address", addrs[sample[i] % naddrs],
		    "object", unsigned_objs[i], "hashed_bytes", hashed[i],
		    "salt_hex", hex_str(salts[sample[i]], BATCH_SALT_LEN),
		    "signed_object", objs[sample[i]]));
	doc = json_pack("{s:s, s:o, s:s, s:s, s:I, s:s, s:s, s:s, s:o, s:I, "
	    "s:o, s:o, s:o, s:o}",
	    "description", "batch of 1024: object i is the indicator "
	    "template of docs/protocol.md 10.4 for addresses[i % 51]; salt i = "
	    "SHA-256(\"salt\" || decimal i)[0..16]",
	    "signing_key", key_info(0), "signer", SIGNER_A, "signed", when,
	    "signed_us", (json_int_t)T_BATCH,
	    "source", "address_lower column of shared/data/bybit-hack-2025/"
	    "fbi_psa250226_eth_addresses.csv, file order",
	    "salt_rule", "SHA-256(\"salt\" || decimal index)[0..16]",
	    "id_rule", "indicator--%08x(i)-6b1e-4c2a-9d3f-%012x(i*7919)",
	    "addresses", addr_arr, "size", (json_int_t)BIG_N,
	    "leaves_hex", leaf_arr, "root_b64url", b64_str(root, 32),
	    "header_jcs", json_string(hdr_jcs), "samples", samples);
	assert_non_null(doc);
	free(hdr_jcs);
	free(salts);
	free(leaves);
	tx_buf_dispose(&b);
	*objs_out = objs;
	return doc;
}

static json_t *
make_descriptor(void)
{
	uint8_t		 nh[32];
	char		 ts[BATCH_TIME_LEN + 1];
	json_t		*o, *doc;

	hash_sha256(nh, pub[1], SIG_PUB_LEN);
	assert_int_equal(batch_format_time(ts, T_BATCH), 0);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o}",
	    "type", "x-threatex-descriptor", "id", DESCRIPTOR_ID,
	    "created", ts, "name", "CERT-A", "identity_ref", SIGNER_A,
	    "taxii_url", "https://cert-a.example/taxii2/",
	    "tls_spki_sha256",
	    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
	    "signing_key", b64_str(pub[0], 32), "kid", kid[0],
	    "next_key_sha256", b64_str(nh, 32));
	assert_non_null(o);
	doc = statement_doc(o, "member descriptor (peers/descriptor.c), "
	    "purpose threatex-descriptor-v1; next_key_sha256 = SHA-256 of the "
	    "raw public key B", DESCRIPTOR_PURPOSE, 0, T_BATCH,
	    "salt-descriptor");
	json_object_set_new(doc, "next_key", key_info(1));
	json_decref(o);
	return doc;
}

static json_t *
make_rotation(void)
{
	uint8_t	 nh[32];
	json_t	*o, *doc;

	hash_sha256(nh, pub[2], SIG_PUB_LEN);
	o = statement_base(ROTATION_TYPE, ROTATION_ID, T_ROTATION);
	json_object_set_new(o, "previous_kid", json_string(kid[0]));
	json_object_set_new(o, "new_key", b64_str(pub[1], 32));
	json_object_set_new(o, "new_kid", json_string(kid[1]));
	json_object_set_new(o, "next_key_sha256", b64_str(nh, 32));
	doc = statement_doc(o, "rotation A -> B signed by A, committing to "
	    "SHA-256 of the raw public key C", ROTATION_PURPOSE, 0,
	    T_ROTATION, "salt-rotation");
	json_object_set_new(doc, "new_key", key_info(1));
	json_object_set_new(doc, "next_key", key_info(2));
	json_decref(o);
	return doc;
}

static json_t *
make_revocation(const char *root1, const char *root5)
{
	json_t	*o, *doc;

	o = statement_base(REVOCATION_TYPE, REVOCATION_ID, T_REVOCATION);
	json_object_set_new(o, "revoked_kid", json_string(kid[0]));
	json_object_set_new(o, "vouched_roots", json_pack("[s, s]", root1,
	    root5));
	doc = statement_doc(o, "revocation of A signed by B, vouching for "
	    "the roots of batch1.json and batch5.json only",
	    REVOCATION_PURPOSE, 1, T_REVOCATION, "salt-revocation");
	json_decref(o);
	return doc;
}

/* The root of one of test_batch.c's stored vectors. */
static char *
stored_root(const char *name)
{
	char	 path[512];
	json_t	*v;
	char	*r;

	snprintf(path, sizeof(path), "%s/protocol/%s", TX_TEST_DATA, name);
	v = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(v);
	r = strdup(json_string_value(json_object_get(v, "root_b64url")));
	assert_non_null(r);
	json_decref(v);
	return r;
}

/* -------------------------------------------------------------- tests */

struct one_key {
	const struct sig_key	*key;
};

static int
one_key_cb(const struct sig_key **out, const char *signer, const char *k,
    const char *root_b64, void *payload)
{
	(void)root_b64;
	if (strcmp(signer, SIGNER_A) != 0 || strcmp(k, kid[0]) != 0)
		return TX_ENOTFOUND;
	*out = ((struct one_key *)payload)->key;
	return 0;
}

static void
test_batch1024(void **state)
{
	struct one_key		 ok = { NULL };
	struct batch_verdict	 v;
	struct batch_cache	*c;
	struct tx_buf		 b;
	uint8_t			 leaves[BIG_N][32], root[32], raw[SIG_LEN];
	json_t			**objs, *doc, *want, *la, *smp, *so, *e;
	const char		*h, *sg;
	uint64_t		 hits, misses;
	size_t			 i;

	(void)state;
	ok.key = key[0];
	doc = make_batch1024(&objs);
	want = check_file(doc, "batch1024.json");
	/* every generated object verifies; one Ed25519 check for all */
	c = batch_cache_new(16);
	assert_non_null(c);
	for (i = 0; i < BIG_N; i++)
		assert_int_equal(batch_verify_entry(&v, objs[i], 0, NULL,
		    one_key_cb, &ok, c, NULL), 0);
	batch_cache_stats(c, &hits, &misses);
	assert_int_equal(misses, 1);
	assert_int_equal(hits, BIG_N - 1);
	batch_cache_free(c);
	/* the stored leaves rebuild the stored root */
	la = json_object_get(want, "leaves_hex");
	assert_int_equal(json_array_size(la), BIG_N);
	for (i = 0; i < BIG_N; i++)
		assert_int_equal(hex_decode(leaves[i], 32, json_string_value(
		    json_array_get(la, i))), 0);
	assert_int_equal(merkle_root(root, (const uint8_t (*)[32])leaves,
	    BIG_N), 0);
	{
		char	r64[64];

		b64url_encode(r64, root, 32);
		assert_string_equal(r64, json_string_value(json_object_get(
		    want, "root_b64url")));
	}
	/* the stored header and signature agree; samples verify as stored */
	smp = json_object_get(want, "samples");
	assert_int_equal(json_array_size(smp), 3);
	h = json_string_value(json_object_get(want, "header_jcs"));
	tx_buf_init(&b, FILE_MAX);
	for (i = 0; i < 3; i++) {
		so = json_object_get(json_array_get(smp, i), "signed_object");
		e = json_array_get(json_object_get(so, "signatures"), 0);
		sg = json_string_value(json_object_get(e, "sig"));
		assert_int_equal(b64url_decode(raw, SIG_LEN, sg, strlen(sg)),
		    SIG_LEN);
		assert_int_equal(sig_verify(key[0], (const uint8_t *)h,
		    strlen(h), raw, SIG_LEN), 0);
		assert_int_equal(batch_verify_entry(&v, so, 0, NULL,
		    one_key_cb, &ok, NULL, NULL), 0);
		tx_buf_reset(&b);
		assert_int_equal(batch_hashed_bytes(&b, so, NULL), 0);
		assert_string_equal(tx_buf_cstr(&b), json_string_value(
		    json_object_get(json_array_get(smp, i), "hashed_bytes")));
	}
	/* the last object's path has log2(1024) = 10 hashes */
	assert_int_equal(json_array_size(json_object_get(json_object_get(
	    json_array_get(json_object_get(json_object_get(json_array_get(smp,
	    2), "signed_object"), "signatures"), 0), "batch"), "path")), 10);
	tx_buf_dispose(&b);
	for (i = 0; i < BIG_N; i++)
		json_decref(objs[i]);
	free(objs);
	json_decref(want);
	json_decref(doc);
}

static void
test_descriptor(void **state)
{
	struct descriptor	 d;
	struct tx_err		 err;
	json_t			*doc, *want, *so, *real = NULL, *bad;
	struct descriptor	 in;
	uint8_t			 nh[32];
	char			*txt;

	(void)state;
	doc = make_descriptor();
	want = check_file(doc, "descriptor_member.json");
	so = json_object_get(want, "signed_object");
	/* descriptor_parse accepts the stored vector, field for field */
	txt = json_dumps(so, JSON_INDENT(2));
	assert_non_null(txt);
	tx_err_clear(&err);
	assert_int_equal(descriptor_parse(&d, (const uint8_t *)txt,
	    strlen(txt), &err), 0);
	free(txt);
	assert_string_equal(d.name, "CERT-A");
	assert_string_equal(d.identity, SIGNER_A);
	assert_string_equal(d.url, "https://cert-a.example/taxii2/");
	assert_string_equal(d.kid, kid[0]);
	assert_memory_equal(d.pub, pub[0], SIG_PUB_LEN);
	hash_sha256(nh, pub[1], SIG_PUB_LEN);
	assert_memory_equal(d.next_hash, nh, 32);
	/* and the compact form */
	txt = json_dumps(so, JSON_COMPACT);
	assert_int_equal(descriptor_parse(&d, (const uint8_t *)txt,
	    strlen(txt), NULL), 0);
	free(txt);
	/* the field set is exactly descriptor_build's */
	memset(&in, 0, sizeof(in));
	memcpy(in.name, "CERT-A", 7);
	memcpy(in.identity, SIGNER_A, sizeof(SIGNER_A));
	memcpy(in.url, "https://cert-a.example/taxii2/", 31);
	memcpy(in.tls_pin, json_string_value(json_object_get(so,
	    "tls_spki_sha256")), 65);
	memcpy(in.pub, pub[0], SIG_PUB_LEN);
	memcpy(in.kid, kid[0], SIG_KID_HEX);
	memcpy(in.next_hash, nh, 32);
	assert_int_equal(descriptor_build(&real, &in, key[0], T_BATCH, NULL),
	    0);
	assert_true(same_but_id(real, so));
	json_decref(real);
	/* any change to a signed field breaks it */
	bad = json_deep_copy(so);
	json_object_set_new(bad, "taxii_url",
	    json_string("https://evil.example/taxii2/"));
	txt = json_dumps(bad, JSON_COMPACT);
	assert_int_equal(descriptor_parse(&d, (const uint8_t *)txt,
	    strlen(txt), NULL), TX_EAUTH);
	free(txt);
	json_decref(bad);
	/* descriptor.json (test_batch.c's generic statement) is no descriptor */
	bad = json_load_file(TX_TEST_DATA "/protocol/descriptor.json", 0, NULL);
	assert_non_null(bad);
	txt = json_dumps(json_array_get(json_object_get(bad, "signed_objects"),
	    0), JSON_COMPACT);
	assert_int_equal(descriptor_parse(&d, (const uint8_t *)txt,
	    strlen(txt), NULL), TX_EINVAL);
	free(txt);
	json_decref(bad);
	json_decref(want);
	json_decref(doc);
}

/* A roster seeded from the stored descriptor vector. */
static void
roster_from_descriptor(struct roster *r)
{
	struct descriptor	 d;
	char			 path[512], *txt;
	size_t			 len;
	json_t			*v;

	snprintf(path, sizeof(path), "%s/protocol/descriptor_member.json",
	    TX_TEST_DATA);
	txt = slurp(path, &len);
	v = json_loadb(txt, len, 0, NULL);
	assert_non_null(v);
	free(txt);
	txt = json_dumps(json_object_get(v, "signed_object"), JSON_COMPACT);
	assert_int_equal(descriptor_parse(&d, (const uint8_t *)txt,
	    strlen(txt), NULL), 0);
	free(txt);
	json_decref(v);
	roster_init(r);
	assert_int_equal(roster_add(r, d.name, d.identity, d.pub,
	    sizeof(d.pub), d.next_hash, 0, NULL), 0);
}

/* The signed object of a stored vector (new reference). */
static json_t *
stored_signed(const char *name)
{
	char	 path[512];
	json_t	*v, *o;

	snprintf(path, sizeof(path), "%s/protocol/%s", TX_TEST_DATA, name);
	v = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(v);
	o = json_incref(json_object_get(v, "signed_object"));
	assert_non_null(o);
	json_decref(v);
	return o;
}

static void
test_rotation_revocation(void **state)
{
	struct roster		 r;
	struct tx_err		 err;
	struct batch_verdict	 v;
	const struct sig_key	*k;
	json_t			*doc, *want, *rot, *rev, *bad, *real;
	json_t			*b1024, *o;
	char			*root1, *root5, *root1024;
	uint8_t			 nh[32];

	(void)state;
	root1 = stored_root("batch1.json");
	root5 = stored_root("batch5.json");
	/* (a) regenerate and compare bytes */
	doc = make_rotation();
	want = check_file(doc, "rotation.json");
	json_decref(want);
	json_decref(doc);
	doc = make_revocation(root1, root5);
	want = check_file(doc, "revocation.json");
	json_decref(want);
	json_decref(doc);
	rot = stored_signed("rotation.json");
	rev = stored_signed("revocation.json");

	/* the member sets are exactly statement.c's */
	hash_sha256(nh, pub[2], SIG_PUB_LEN);
	assert_int_equal(statement_rotation(&real, SIGNER_A, key[0], pub[1],
	    nh, TLP_CLEAR_ID, T_ROTATION, NULL), 0);
	assert_true(same_but_id(real, rot));
	json_decref(real);
	{
		const char	(*roots)[ROSTER_ROOT_B64];
		char		 rr[2][ROSTER_ROOT_B64];

		memcpy(rr[0], root1, strlen(root1) + 1);
		memcpy(rr[1], root5, strlen(root5) + 1);
		roots = (const char (*)[ROSTER_ROOT_B64])rr;
		assert_int_equal(statement_revocation(&real, SIGNER_A, key[1],
		    kid[0], roots, 2, TLP_CLEAR_ID, T_REVOCATION, NULL), 0);
		assert_true(same_but_id(real, rev));
		json_decref(real);
	}

	/* (b) out of order: the revocation's key B is not known yet */
	roster_from_descriptor(&r);
	assert_int_equal(statement_apply(&r, rev, NULL), TX_ENOTFOUND);
	/* the rotation is accepted, once */
	tx_err_clear(&err);
	assert_int_equal(statement_apply(&r, rot, &err), 0);
	assert_string_equal(roster_current_kid(roster_by_identity(&r,
	    SIGNER_A)), kid[1]);
	assert_int_equal(statement_apply(&r, rot, NULL), TX_EEXIST);
	/* before the revocation, A signs anything */
	assert_int_equal(roster_key_cb(&k, SIGNER_A, kid[0], "AAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAA", &r), 0);
	/* the revocation, signed by B, is accepted, once */
	assert_int_equal(statement_apply(&r, rev, &err), 0);
	assert_int_equal(statement_apply(&r, rev, NULL), TX_EEXIST);
	/* vouched roots still verify under A; every other root is refused */
	assert_int_equal(roster_key_cb(&k, SIGNER_A, kid[0], root1, &r), 0);
	assert_int_equal(roster_key_cb(&k, SIGNER_A, kid[0], root5, &r), 0);
	{
		json_t	*bd = json_load_file(TX_TEST_DATA
		    "/protocol/batch1024.json", 0, NULL);

		assert_non_null(bd);
		root1024 = strdup(json_string_value(json_object_get(bd,
		    "root_b64url")));
		b1024 = json_incref(json_object_get(json_array_get(
		    json_object_get(bd, "samples"), 0), "signed_object"));
		json_decref(bd);
	}
	assert_int_equal(roster_key_cb(&k, SIGNER_A, kid[0], root1024, &r),
	    TX_EAUTH);
	assert_int_equal(batch_verify_entry(&v, b1024, 0, NULL, roster_key_cb,
	    &r, NULL, NULL), TX_EAUTH);
	assert_string_equal(v.reason, "key refused");
	{
		json_t	*bd = json_load_file(TX_TEST_DATA
		    "/protocol/batch5.json", 0, NULL);

		assert_non_null(bd);
		o = json_array_get(json_object_get(bd, "signed_objects"), 4);
		assert_int_equal(batch_verify_entry(&v, o, 0, NULL,
		    roster_key_cb, &r, NULL, NULL), 0);
		json_decref(bd);
	}
	json_decref(b1024);
	free(root1024);
	roster_dispose(&r);

	/* a rotation whose new_key was changed: the signature breaks */
	roster_from_descriptor(&r);
	bad = json_deep_copy(rot);
	json_object_set_new(bad, "new_key", b64_str(pub[2], 32));
	assert_int_equal(statement_apply(&r, bad, NULL), TX_EAUTH);
	json_decref(bad);
	/* ... and re-signed by A: the commitment breaks */
	bad = json_deep_copy(rot);
	json_object_del(bad, "signatures");
	json_object_set_new(bad, "new_key", b64_str(pub[2], 32));
	json_object_set_new(bad, "new_kid", json_string(kid[2]));
	{
		struct batch_signer	s = { key[0], SIGNER_A };
		uint8_t			salt[BATCH_SALT_LEN];

		salt_of(salt, "salt-rotation");
		assert_int_equal(batch_sign_statement_with_salt(bad,
		    ROTATION_PURPOSE, &s, T_ROTATION, salt, NULL), 0);
	}
	assert_int_equal(statement_apply(&r, bad, NULL), TX_EAUTH);
	json_decref(bad);
	/* a rotation under another purpose (revocation's) is refused */
	bad = json_deep_copy(rot);
	json_object_set_new(bad, "type", json_string(REVOCATION_TYPE));
	assert_true(statement_apply(&r, bad, NULL) < 0);
	json_decref(bad);
	/* nothing above changed the roster */
	assert_string_equal(roster_current_kid(roster_by_identity(&r,
	    SIGNER_A)), kid[0]);
	/* the untouched vector still applies */
	assert_int_equal(statement_apply(&r, rot, NULL), 0);
	roster_dispose(&r);

	json_decref(rot);
	json_decref(rev);
	free(root1);
	free(root5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch1024),
		cmocka_unit_test(test_descriptor),
		cmocka_unit_test(test_rotation_revocation),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
