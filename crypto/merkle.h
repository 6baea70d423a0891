/* SPDX-License-Identifier: Apache-2.0 */
/*
 * merkle.h - the Merkle tree of RFC 9162 §2.1 (RFC 6962's tree) over leaf
 * hashes given by the caller (DESIGN §4.2).
 *
 * MTH of one leaf is the leaf hash itself (the caller has already computed
 * SHA-256(0x00 || ...)); for n > 1, with k the largest power of two < n,
 * MTH = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])). No node is duplicated.
 * Audit paths are in leaf-to-root order. Verification is RFC 9162 §2.1.3.2
 * with index < size, size >= 1 and the exact path length for (index, size).
 */
#ifndef TX_MERKLE_H
#define TX_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define MERKLE_HASH_LEN		32
#define MERKLE_MAX_LEAVES	((size_t)1 << 24)	/* cap for building */
#define MERKLE_MAX_PATH		64	/* >= ceil(log2(any size_t size)) */

/*
 * Root of the tree of n leaves (1 <= n <= MERKLE_MAX_LEAVES) into root.
 * O(n) hashing. 0, TX_EINVAL (n out of range) or TX_ENOMEM.
 */
int	merkle_root(uint8_t root[32], const uint8_t (*leaves)[32], size_t n);

/*
 * Audit path of leaf `index` in the tree of n leaves into path[0..*npath),
 * leaf-to-root order; maxpath is the room in path. Builds the whole tree
 * (O(n)); to derive many paths use struct merkle_tree below.
 * 0, TX_EINVAL (index >= n, n out of range), TX_ELIMIT (maxpath too small)
 * or TX_ENOMEM.
 */
int	merkle_path(uint8_t (*path)[32], size_t *npath, size_t maxpath,
	    const uint8_t (*leaves)[32], size_t n, size_t index);

/*
 * RFC 9162 §2.1.3.2: 0 if path proves that leaf is leaf `index` of the tree
 * of `size` leaves with the given root, else TX_EAUTH (also for index >=
 * size, size == 0, a path of the wrong length). Root compared in constant
 * time.
 */
int	merkle_verify(const uint8_t leaf[32], size_t index, size_t size,
	    const uint8_t (*path)[32], size_t npath, const uint8_t root[32]);

/* Exact audit path length for (index, size); 0 when index >= size. */
size_t	merkle_path_len(size_t index, size_t size);

/*
 * A built tree: every level computed once, so that the root and all n
 * paths of a batch cost O(n) hashes plus O(n log n) copying.
 */
struct merkle_tree;

/* Build over n leaves (copied). 0, TX_EINVAL or TX_ENOMEM; *out owned. */
int	merkle_tree_build(struct merkle_tree **out, const uint8_t (*leaves)[32],
	    size_t n);
/* The root (borrowed, 32 bytes, valid until free). */
const uint8_t	*merkle_tree_root(const struct merkle_tree *t);
/* Path of leaf index; as merkle_path. */
int	merkle_tree_path(const struct merkle_tree *t, size_t index,
	    uint8_t (*path)[32], size_t *npath, size_t maxpath);
/* NULL-safe. */
void	merkle_tree_free(struct merkle_tree *t);

#endif
