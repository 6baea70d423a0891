/* SPDX-License-Identifier: Apache-2.0 */
/*
 * merkle.c - RFC 9162 §2.1 Merkle trees, built bottom-up.
 *
 * Bottom-up construction: level 0 is the leaves; level j+1 pairs adjacent
 * nodes of level j, and a lone last node is carried up unchanged. This is
 * the same tree as RFC 6962's recursive definition (split at the largest
 * power of two below n): the left subtree of every split is a complete
 * tree, so the only unpaired node of a level is always the right-most one,
 * which RFC 6962 hashes at a higher level. The unit test checks this
 * against the recursive definition. Trusts nothing: verification works on
 * any (index, size, path) and allocates nothing.
 */
#include "merkle.h"
#include "err.h"
#include "hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <stdlib.h>
#include <string.h>

struct merkle_tree {
	size_t	  n;
	size_t	  nlevels;
	size_t	  off[MERKLE_MAX_PATH + 1];	/* start of level j in nodes */
	size_t	  len[MERKLE_MAX_PATH + 1];	/* nodes in level j */
	uint8_t	(*nodes)[32];
};

/* Inner node hash; ctx (may be NULL) is a reusable digest context. */
static void
node_hash_ctx(EVP_MD_CTX *ctx, uint8_t out[32], const uint8_t l[32],
    const uint8_t r[32])
{
	uint8_t	 m[65];

	m[0] = 0x01;
	memcpy(m + 1, l, 32);
	memcpy(m + 33, r, 32);
	if (ctx != NULL &&
	    EVP_DigestInit_ex2(ctx, hash_md_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, m, sizeof(m)) == 1 &&
	    EVP_DigestFinal_ex(ctx, out, NULL) == 1)
		return;
	hash_sha256(out, m, sizeof(m));
}

static EVP_MD_CTX *
node_ctx(void)
{
	return EVP_MD_CTX_new();
}

size_t
merkle_path_len(size_t index, size_t size)
{
	size_t	 n = 0;

	if (index >= size)
		return 0;
	while (size > 1) {
		if ((index ^ 1) < size)
			n++;
		index >>= 1;
		size = (size + 1) / 2;
	}
	return n;
}

int
merkle_tree_build(struct merkle_tree **out, const uint8_t (*leaves)[32],
    size_t n)
{
	struct merkle_tree	*t;
	EVP_MD_CTX		*ctx;
	size_t			 total, len, j, p;

	if (n == 0 || n > MERKLE_MAX_LEAVES || leaves == NULL)
		return TX_EINVAL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return TX_ENOMEM;
	/* Total nodes over all levels: < 2n + levels. */
	total = 0;
	len = n;
	j = 0;
	for (;;) {
		t->off[j] = total;
		t->len[j] = len;
		total += len;
		j++;
		if (len == 1)
			break;
		len = (len + 1) / 2;
	}
	t->nlevels = j;
	t->n = n;
	t->nodes = malloc(total * sizeof(*t->nodes));
	if (t->nodes == NULL) {
		free(t);
		return TX_ENOMEM;
	}
	memcpy(t->nodes, leaves, n * sizeof(*t->nodes));
	ctx = node_ctx();
	for (j = 1; j < t->nlevels; j++) {
		uint8_t	(*below)[32] = t->nodes + t->off[j - 1];
		uint8_t	(*here)[32] = t->nodes + t->off[j];

		for (p = 0; p < t->len[j]; p++) {
			if (2 * p + 1 < t->len[j - 1])
				node_hash_ctx(ctx, here[p], below[2 * p],
				    below[2 * p + 1]);
			else
				memcpy(here[p], below[2 * p], 32);
		}
	}
	EVP_MD_CTX_free(ctx);
	*out = t;
	return 0;
}

const uint8_t *
merkle_tree_root(const struct merkle_tree *t)
{
	return t->nodes[t->off[t->nlevels - 1]];
}

int
merkle_tree_path(const struct merkle_tree *t, size_t index,
    uint8_t (*path)[32], size_t *npath, size_t maxpath)
{
	size_t	 j, k = 0, i = index;

	if (index >= t->n)
		return TX_EINVAL;
	if (merkle_path_len(index, t->n) > maxpath)
		return TX_ELIMIT;
	for (j = 0; j + 1 < t->nlevels; j++) {
		size_t	 sib = i ^ 1;

		if (sib < t->len[j])
			memcpy(path[k++], t->nodes[t->off[j] + sib], 32);
		i >>= 1;
	}
	*npath = k;
	return 0;
}

void
merkle_tree_free(struct merkle_tree *t)
{
	if (t == NULL)
		return;
	free(t->nodes);
	free(t);
}

int
merkle_root(uint8_t root[32], const uint8_t (*leaves)[32], size_t n)
{
	struct merkle_tree	*t;
	int			 rc;

	if ((rc = merkle_tree_build(&t, leaves, n)) != 0)
		return rc;
	memcpy(root, merkle_tree_root(t), 32);
	merkle_tree_free(t);
	return 0;
}

int
merkle_path(uint8_t (*path)[32], size_t *npath, size_t maxpath,
    const uint8_t (*leaves)[32], size_t n, size_t index)
{
	struct merkle_tree	*t;
	int			 rc;

	if (index >= n)
		return TX_EINVAL;
	if ((rc = merkle_tree_build(&t, leaves, n)) != 0)
		return rc;
	rc = merkle_tree_path(t, index, path, npath, maxpath);
	merkle_tree_free(t);
	return rc;
}

/* RFC 9162 §2.1.3.2, step by step. */
int
merkle_verify(const uint8_t leaf[32], size_t index, size_t size,
    const uint8_t (*path)[32], size_t npath, const uint8_t root[32])
{
	EVP_MD_CTX	*ctx;
	uint8_t		 r[32];
	size_t		 fn, sn, k;
	int		 rc = TX_EAUTH;

	if (size == 0 || index >= size)
		return TX_EAUTH;
	if (npath > MERKLE_MAX_PATH || (npath > 0 && path == NULL))
		return TX_EAUTH;
	ctx = node_ctx();	/* NULL: slower fallback, same result */
	fn = index;
	sn = size - 1;
	memcpy(r, leaf, 32);
	for (k = 0; k < npath; k++) {
		if (sn == 0)
			goto out;
		if ((fn & 1) || fn == sn) {
			node_hash_ctx(ctx, r, path[k], r);
			if (!(fn & 1)) {
				while (!(fn & 1) && fn != 0) {
					fn >>= 1;
					sn >>= 1;
				}
			}
		} else {
			node_hash_ctx(ctx, r, r, path[k]);
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0 || CRYPTO_memcmp(r, root, 32) != 0)
		goto out;
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}
