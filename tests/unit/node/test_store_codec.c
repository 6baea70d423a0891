/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_store_codec.c - versions.jz, the stored JSON made compact
 * (node/store_codec.c): every text comes back byte for byte, whatever a
 * member put in it; a stored value that is not one of the two forms is
 * an error naming the reason, never a crash or other bytes; generation 1
 * is made once from the store's first versions and read by any
 * connection; the store holds less than the JSON it was given.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "fixture.h"
#include "store.h"
#include "store_codec.h"
#include "store_int.h"

#define sql(q)	FX_SQL_OK(fx_cur.path, q)

static const char	b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* n random base64url characters into p. */
static void
rand_b64(char *p, size_t n)
{
	unsigned char	r[512];
	size_t		i;

	assert_true(n <= sizeof(r));
	assert_int_equal(RAND_bytes(r, (int)n), 1);
	for (i = 0; i < n; i++)
		p[i] = b64[r[i] & 63];
	p[n] = '\0';
}

/*
 * A wallet as a member signs one (the shape of DESIGN §4's objects, with
 * fresh random ids, salt, path and signature), into buf.
 */
static size_t
wallet_json(char *buf, size_t len)
{
	char	id[37], val[41], salt[23], path[10][44], sig[87];
	int	i, n;

	rand_b64(id, 36);
	rand_b64(val, 40);
	rand_b64(salt, 22);
	rand_b64(sig, 86);
	for (i = 0; i < 10; i++)
		rand_b64(path[i], 43);
	n = snprintf(buf, len, "{\"type\":\"cryptocurrency-wallet\","
	    "\"spec_version\":\"2.1\",\"object_marking_refs\":["
	    "\"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb\"],"
	    "\"value\":\"0x%s\",\"chain\":\"evm\",\"id\":"
	    "\"cryptocurrency-wallet--%s\",\"signatures\":[{\"alg\":"
	    "\"Ed25519\",\"kid\":\"7c8592adc1d3102e188bdb84c82d40d88c06312ea8"
	    "647f7dcf0fc50abdf77909\",\"signer\":\"identity--3de74dca-cdbf-"
	    "4aab-b4a2-1594c22b6921\",\"signed\":\"2026-12-01T04:31:48.727Z\","
	    "\"batch\":{\"root\":\"wlGrVFlWc8d_QoKoMks3QpOvePoHgU7QO1xNFSACz3A"
	    "\",\"size\":1020,\"index\":1,\"salt\":\"%s\",\"path\":[\"%s\","
	    "\"%s\",\"%s\",\"%s\",\"%s\",\"%s\",\"%s\",\"%s\",\"%s\",\"%s\"]},"
	    "\"sig\":\"%s\"}]}", val, id, salt, path[0], path[1], path[2],
	    path[3], path[4], path[5], path[6], path[7], path[8], path[9], sig);
	assert_true(n > 0 && (size_t)n < len);
	return (size_t)n;
}

/* Store json as version i through st's own connection (txz). */
static void
put(struct store *st, int i, const char *json)
{
	sqlite3_stmt	*s;

	assert_int_equal(sqlite3_prepare_v2(st->db, "INSERT INTO versions(id, "
	    "type, vkey_x, hash, jz, creator, tlp, revoked, modified_us, idh) "
	    "VALUES('cryptocurrency-wallet--' || ?1, 'cryptocurrency-wallet', "
	    "'k' || ?1, 'h', txz(?2), 'identity--x', 1, 0, 0, ?1)", -1, &s,
	    NULL), SQLITE_OK);
	sqlite3_bind_int(s, 1, i);
	sqlite3_bind_text(s, 2, json, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		fail_msg("insert: %s", sqlite3_errmsg(st->db));
	sqlite3_finalize(s);
}

/* The stored value of version vrow: its generation byte, or -1 (text). */
static int
gen_of(int vrow)
{
	char	q[128];

	snprintf(q, sizeof(q), "SELECT CASE typeof(jz) WHEN 'blob' THEN "
	    "CAST(substr(hex(jz), 3, 2) AS INTEGER) ELSE -1 END FROM versions "
	    "WHERE vrow=%d", vrow);
	return (int)fx_sql_int(fx_cur.path, q);
}

/* Any text comes back byte for byte; JSON shrinks, a short text is kept. */
static void
test_round_trip(void **state)
{
	struct store	*st = *state;
	struct tx_err	 err;
	char		 j[4096], *back;
	uint8_t		*b;
	size_t		 n, blen, blen2;
	char		 zeros[2000];

	n = wallet_json(j, sizeof(j));
	assert_int_equal(store_codec_pack(st->codec, j, n, &b, &blen), 0);
	assert_non_null(b);
	assert_int_equal(b[0], STORE_CODEC_ZSTD1);
	assert_int_equal(b[1], 0);	/* a new store: generation 0 */
	assert_true(blen < n * 3 / 4);	/* its value random too */
	tx_err_clear(&err);
	assert_int_equal(store_codec_unpack(st->codec, b, blen, &back, &blen2,
	    &err), 0);
	assert_int_equal(blen2, n);
	assert_memory_equal(back, j, n);
	assert_int_equal(back[n], '\0');
	free(back);
	free(b);
	/* Too short to shrink: stored as the text it is. */
	assert_int_equal(store_codec_pack(st->codec, "{}", 2, &b, &blen), 0);
	assert_null(b);
	/* Not JSON, NULs included: still the same bytes back. */
	memset(zeros, 0, sizeof(zeros));
	assert_int_equal(store_codec_pack(st->codec, zeros, sizeof(zeros),
	    &b, &blen), 0);
	assert_non_null(b);
	assert_int_equal(store_codec_unpack(st->codec, b, blen, &back, &blen2,
	    &err), 0);
	assert_int_equal(blen2, sizeof(zeros));
	assert_memory_equal(back, zeros, sizeof(zeros));
	free(back);
	free(b);
}

struct hostile {
	const char	*what;
	uint8_t		 v[16];
	size_t		 len;
	const char	*says;
};

/*
 * Stored values that are not one of the forms (a corrupted or hand-edited
 * store): each refused with its reason, by the C call and by txj in SQL.
 */
static void
test_hostile_values(void **state)
{
	static const struct hostile	h[] = {
		{ "empty", { 0 }, 0, "unknown format -1" },
		{ "another format", { 2, 0, 0x28, 0xb5, 0x2f, 0xfd }, 6,
		    "unknown format 2" },
		{ "a generation past 1", { 1, 7, 0x28, 0xb5, 0x2f, 0xfd }, 6,
		    "unknown dictionary generation 7" },
		{ "generation 1 not made", { 1, 1, 0x28, 0xb5, 0x2f, 0xfd },
		    6, "generation 1 not in the store" },
		{ "not a frame", { 1, 0, 'h', 'e', 'l', 'l', 'o' }, 7,
		    "not a zstd frame" },
		/* No content size: a streamed frame of one raw block "{}". */
		{ "size not recorded", { 1, 0, 0x28, 0xb5, 0x2f, 0xfd, 0x00,
		    0x00, 0x11, 0x00, 0x00, '{', '}' }, 13, "not recorded" },
		/* Single segment, 4-byte size 256 MiB: over the cap. */
		{ "size over the cap", { 1, 0, 0x28, 0xb5, 0x2f, 0xfd, 0xa0,
		    0x00, 0x00, 0x00, 0x10, 0x11, 0x00, 0x00, '{', '}' }, 16,
		    "out of range" },
		/* Says 10 bytes, holds 2. */
		{ "size a lie", { 1, 0, 0x28, 0xb5, 0x2f, 0xfd, 0x20, 10,
		    0x11, 0x00, 0x00, '{', '}' }, 13, "compact JSON: " },
	};
	struct store	*st = *state;
	struct tx_err	 err;
	sqlite3_stmt	*s;
	char		*out = (char *)"x";
	size_t		 i, n = 7;

	for (i = 0; i < sizeof(h) / sizeof(h[0]); i++) {
		tx_err_clear(&err);
		if (store_codec_unpack(st->codec, h[i].v, h[i].len, &out, &n,
		    &err) != TX_EINVAL || strstr(err.msg, h[i].says) == NULL)
			fail_msg("%s: %s", h[i].what, err.msg);
		assert_null(out);
		assert_int_equal(n, 0);
		/* The same value read in SQL: an error, not a row. */
		assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT txj(?)",
		    -1, &s, NULL), SQLITE_OK);
		sqlite3_bind_blob(s, 1, h[i].v, (int)h[i].len, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_ERROR ||
		    strstr(sqlite3_errmsg(st->db), h[i].says) == NULL)
			fail_msg("txj %s: %s", h[i].what,
			    sqlite3_errmsg(st->db));
		sqlite3_finalize(s);
	}
	/* A truncated real value: refused too. */
	{
		char		 j[4096];
		uint8_t		*b;
		size_t		 blen, len = wallet_json(j, sizeof(j));

		assert_int_equal(store_codec_pack(st->codec, j, len, &b, &blen),
		    0);
		tx_err_clear(&err);
		assert_int_equal(store_codec_unpack(st->codec, b, blen - 5,
		    &out, &n, &err), TX_EINVAL);
		assert_non_null(strstr(err.msg, "compact JSON: "));
		free(b);
	}
	/* Text and NULL read as they are; a number is not a value. */
	assert_int_equal(fx_sql_int(fx_cur.path, "SELECT txj('{}') = '{}' AND "
	    "txj(NULL) IS NULL"), 1);
	assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT txj(5)", -1, &s,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ERROR);
	sqlite3_finalize(s);
}

/*
 * Generation 1: made at the commit after the store's first
 * STORE_CODEC_SAMPLE versions, once, from generation 0 and those
 * versions; later values use it; values of generation 0 still read; a
 * connection that never saw it being made reads it from zdict.
 */
static void
test_generation_one(void **state)
{
	struct store	*st = *state;
	char		 j[40][4096], *back;
	long long	 stored, text;
	int		 i;

	assert_int_equal(store_begin(st, NULL), 0);
	for (i = 0; i < STORE_CODEC_SAMPLE; i++) {
		wallet_json(j[i], sizeof(j[i]));
		put(st, i + 1, j[i]);
	}
	assert_int_equal(fx_sql_int(fx_cur.path, "SELECT count(*) FROM zdict"),
	    0);
	assert_int_equal(store_commit(st, NULL), 0);
	assert_int_equal(fx_sql_int(fx_cur.path, "SELECT count(*) FROM zdict "
	    "WHERE gen=1"), 1);
	/* Generation 0 and the first versions, in that order. */
	assert_int_equal(fx_sql_int(fx_cur.path, "SELECT instr(dict, "
	    "(SELECT txj(jz) FROM versions WHERE vrow=16)) > instr(dict, "
	    "(SELECT txj(jz) FROM versions WHERE vrow=1)) AND instr(dict, "
	    "(SELECT txj(jz) FROM versions WHERE vrow=1)) > 1 AND instr(dict, "
	    "'{\"type\":\"marking-definition\"') = 1 FROM zdict"), 1);
	assert_int_equal(gen_of(1), 0);
	/* The next transaction writes with generation 1. */
	assert_int_equal(store_begin(st, NULL), 0);
	for (i = STORE_CODEC_SAMPLE; i < 40; i++) {
		wallet_json(j[i], sizeof(j[i]));
		put(st, i + 1, j[i]);
	}
	assert_int_equal(store_commit(st, NULL), 0);
	assert_int_equal(gen_of(40), 1);
	/* Made once: more commits make no generation 2. */
	assert_int_equal(fx_sql_int(fx_cur.path, "SELECT count(*) FROM zdict"),
	    1);
	/* Every version reads back, on this connection and on another. */
	for (i = 0; i < 40; i++) {
		assert_int_equal(store_version_json(st, &back, i + 1, NULL), 0);
		assert_string_equal(back, j[i]);
		free(back);
	}
	{
		char	q[4200];

		snprintf(q, sizeof(q), "SELECT txj(jz) = '%s' FROM versions "
		    "WHERE vrow=40", j[39]);
		assert_int_equal(fx_sql_int(fx_cur.path, q), 1);
	}
	/* Less stored than given: the benchmark's row, in small. */
	stored = fx_sql_int(fx_cur.path, "SELECT sum(length(jz)) FROM "
	    "versions WHERE vrow > 16");
	text = fx_sql_int(fx_cur.path, "SELECT sum(length(txj(jz))) FROM "
	    "versions WHERE vrow > 16");
	/* 0.59 here (each value holds ~600 random characters). */
	assert_true(stored * 3 < text * 2);
}

/*
 * A rolled-back transaction leaves nothing the codec relies on: values
 * written in it are gone, the generation in use is read again.
 */
static void
test_rollback(void **state)
{
	struct store	*st = *state;
	char		 j[4096], *back;
	int		 i;

	assert_int_equal(store_begin(st, NULL), 0);
	for (i = 0; i < STORE_CODEC_SAMPLE; i++) {
		wallet_json(j, sizeof(j));
		put(st, i + 1, j);
	}
	store_rollback(st);
	assert_int_equal(fx_sql_int(fx_cur.path, "SELECT count(*) FROM "
	    "versions"), 0);
	assert_int_equal(store_begin(st, NULL), 0);
	wallet_json(j, sizeof(j));
	put(st, 1, j);
	assert_int_equal(store_commit(st, NULL), 0);
	assert_int_equal(store_version_json(st, &back, 1, NULL), 0);
	assert_string_equal(back, j);
	free(back);
	assert_int_equal(gen_of(1), 0);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		FX_STORE_TEST(test_round_trip),
		FX_STORE_TEST(test_hostile_values),
		FX_STORE_TEST(test_generation_one),
		FX_STORE_TEST(test_rollback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
