/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_node.h - for harnesses that import into a real node: one node made
 * on first use in a fresh temporary folder (/tmp/tx-TAG-fuzz-XXXXXX),
 * opened with its signing key, closed and removed at exit. Aborts when
 * it cannot be made (a harness without its node proves nothing).
 */
#ifndef TX_FUZZ_NODE_H
#define TX_FUZZ_NODE_H

struct node;

struct node	*fuzz_node(const char *tag);

/*
 * Abort, naming tag, unless n's store.db passes PRAGMA integrity_check
 * (store_check_file). NULL n: nothing to check.
 */
void		 fuzz_node_check(struct node *n, const char *tag);

#endif
