/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_merkle.c - the bottom-up tree of merkle.c against RFC 6962's recursive
 * definitions of MTH and PATH, for every n in 1..40 and every leaf; RFC
 * 9162 §2.1.3.2 verification refusing wrong index, size, path length,
 * path hash and root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "err.h"
#include "hash.h"
#include "merkle.h"

#define MAXN 40

static uint8_t	leaves[MAXN][32];

static void
make_leaves(void)
{
	size_t	 i;
	uint8_t	 m[9];

	for (i = 0; i < MAXN; i++) {
		m[0] = 0x00;	/* leaf prefix as DESIGN §4.2 */
		memset(m + 1, 0, 8);
		m[8] = (uint8_t)i;
		hash_sha256(leaves[i], m, sizeof(m));
	}
}

static size_t
split(size_t n)
{
	size_t	 k = 1;

	while (k * 2 < n)
		k *= 2;
	return k;
}

/* RFC 6962 §2.1 MTH, recursively. */
static void
naive_mth(uint8_t out[32], const uint8_t (*d)[32], size_t n)
{
	uint8_t	 m[65], l[32], r[32];
	size_t	 k;

	if (n == 1) {
		memcpy(out, d[0], 32);
		return;
	}
	k = split(n);
	naive_mth(l, d, k);
	naive_mth(r, d + k, n - k);
	m[0] = 1;
	memcpy(m + 1, l, 32);
	memcpy(m + 33, r, 32);
	hash_sha256(out, m, 65);
}

/* RFC 6962 §2.1.1 PATH(m, D[n]), leaf-to-root. */
static void
naive_path(uint8_t (*p)[32], size_t *np, size_t m, const uint8_t (*d)[32],
    size_t n)
{
	size_t	 k;

	if (n == 1) {
		*np = 0;
		return;
	}
	k = split(n);
	if (m < k) {
		naive_path(p, np, m, d, k);
		naive_mth(p[*np], d + k, n - k);
	} else {
		naive_path(p, np, m - k, d + k, n - k);
		naive_mth(p[*np], d, k);
	}
	(*np)++;
}

static void
test_root_matches_recursive(void **state)
{
	uint8_t	 a[32], b[32];
	size_t	 n;

	(void)state;
	make_leaves();
	for (n = 1; n <= MAXN; n++) {
		assert_int_equal(merkle_root(a, (const uint8_t (*)[32])leaves, n), 0);
		naive_mth(b, (const uint8_t (*)[32])leaves, n);
		assert_memory_equal(a, b, 32);
	}
	/* One leaf: the root is the leaf hash itself. */
	assert_int_equal(merkle_root(a, (const uint8_t (*)[32])leaves, 1), 0);
	assert_memory_equal(a, leaves[0], 32);
	/* n = 0 refused. */
	assert_int_equal(merkle_root(a, (const uint8_t (*)[32])leaves, 0),
	    TX_EINVAL);
}

static void
test_paths_match_recursive_and_verify(void **state)
{
	uint8_t	 root[32], p[MERKLE_MAX_PATH][32], q[MERKLE_MAX_PATH][32];
	size_t	 n, i, np, nq;

	(void)state;
	make_leaves();
	for (n = 1; n <= MAXN; n++) {
		naive_mth(root, (const uint8_t (*)[32])leaves, n);
		for (i = 0; i < n; i++) {
			assert_int_equal(merkle_path(p, &np, MERKLE_MAX_PATH,
			    (const uint8_t (*)[32])leaves, n, i), 0);
			naive_path(q, &nq, i, (const uint8_t (*)[32])leaves, n);
			assert_int_equal(np, nq);
			assert_int_equal(np, merkle_path_len(i, n));
			assert_memory_equal(p, q, np * 32);
			assert_int_equal(merkle_verify(leaves[i], i, n,
			    (const uint8_t (*)[32])p, np, root), 0);
		}
		assert_int_equal(merkle_path(p, &np, MERKLE_MAX_PATH,
		    (const uint8_t (*)[32])leaves, n, n), TX_EINVAL);
	}
}

static void
test_verify_refusals(void **state)
{
	uint8_t	 root[32], p[MERKLE_MAX_PATH + 1][32], bad[32];
	size_t	 n, i, np, j;

	(void)state;
	make_leaves();
	for (n = 1; n <= 20; n++) {
		naive_mth(root, (const uint8_t (*)[32])leaves, n);
		memcpy(bad, root, 32);
		bad[31] ^= 1;
		for (i = 0; i < n; i++) {
			const uint8_t	(*cp)[32] = (const uint8_t (*)[32])p;

			assert_int_equal(merkle_path(p, &np, MERKLE_MAX_PATH,
			    (const uint8_t (*)[32])leaves, n, i), 0);
			/* wrong root */
			assert_int_equal(merkle_verify(leaves[i], i, n, cp, np,
			    bad), TX_EAUTH);
			/* wrong leaf */
			assert_int_equal(merkle_verify(leaves[(i + 1) % MAXN],
			    i, n, cp, np, root), TX_EAUTH);
			/* index >= size, size 0 */
			assert_int_equal(merkle_verify(leaves[i], n, n, cp, np,
			    root), TX_EAUTH);
			assert_int_equal(merkle_verify(leaves[i], n + 5, n, cp,
			    np, root), TX_EAUTH);
			assert_int_equal(merkle_verify(leaves[i], 0, 0, cp, 0,
			    root), TX_EAUTH);
			/* every other index */
			for (j = 0; j < n; j++) {
				if (j == i)
					continue;
				assert_int_equal(merkle_verify(leaves[i], j,
				    n, cp, np, root), TX_EAUTH);
			}
			/* sizes whose exact path length differs (a size
			 * with the same shape is bound by the signed
			 * header, not by the path) */
			for (j = 1; j <= 24; j++) {
				if (j == n || merkle_path_len(i, j) == np)
					continue;
				assert_int_not_equal(merkle_verify(leaves[i],
				    i, j, cp, np, root), 0);
			}
			/* path one too short, one too long */
			if (np > 0)
				assert_int_equal(merkle_verify(leaves[i], i, n,
				    cp, np - 1, root), TX_EAUTH);
			memset(p[np], 0x5a, 32);
			assert_int_equal(merkle_verify(leaves[i], i, n, cp,
			    np + 1, root), TX_EAUTH);
			/* each path hash flipped */
			for (j = 0; j < np; j++) {
				p[j][0] ^= 0x80;
				assert_int_equal(merkle_verify(leaves[i], i, n,
				    cp, np, root), TX_EAUTH);
				p[j][0] ^= 0x80;
			}
			assert_int_equal(merkle_verify(leaves[i], i, n, cp, np,
			    root), 0);
		}
	}
	/* maxpath too small */
	assert_int_equal(merkle_path(p, &np, 1, (const uint8_t (*)[32])leaves,
	    8, 3), TX_ELIMIT);
}

/* Table: exact path lengths from RFC 9162's tree shape. */
static void
test_path_len_table(void **state)
{
	static const struct {
		size_t	index, size, len;
	} t[] = {
		{ 0, 1, 0 }, { 0, 2, 1 }, { 1, 2, 1 }, { 2, 3, 1 },
		{ 0, 3, 2 }, { 4, 5, 1 }, { 3, 5, 3 }, { 6, 7, 2 },
		{ 7, 8, 3 }, { 8, 9, 1 }, { 1023, 1024, 10 },
		{ 1024, 1025, 1 }, { 16383, 16384, 14 }, { 5, 5, 0 },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(merkle_path_len(t[i].index, t[i].size),
		    t[i].len);
}

/* A large tree: the tree API gives the same paths as merkle_path. */
static void
test_tree_api_large(void **state)
{
	static uint8_t		 big[3001][32];
	struct merkle_tree	*t;
	uint8_t			 p[MERKLE_MAX_PATH][32], root[32];
	size_t			 i, np;

	(void)state;
	for (i = 0; i < 3001; i++)
		hash_sha256(big[i], &i, sizeof(i));
	assert_int_equal(merkle_tree_build(&t, (const uint8_t (*)[32])big,
	    3001), 0);
	naive_mth(root, (const uint8_t (*)[32])big, 3001);
	assert_memory_equal(merkle_tree_root(t), root, 32);
	for (i = 0; i < 3001; i += 7) {
		assert_int_equal(merkle_tree_path(t, i, p, &np,
		    MERKLE_MAX_PATH), 0);
		assert_int_equal(merkle_verify(big[i], i, 3001,
		    (const uint8_t (*)[32])p, np, root), 0);
	}
	assert_int_equal(merkle_tree_path(t, 3001, p, &np, MERKLE_MAX_PATH),
	    TX_EINVAL);
	merkle_tree_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_matches_recursive),
		cmocka_unit_test(test_paths_match_recursive_and_verify),
		cmocka_unit_test(test_verify_refusals),
		cmocka_unit_test(test_path_len_table),
		cmocka_unit_test(test_tree_api_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
