/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_node.h - for harnesses that import into a real node: one node made
 * on first use in a fresh temporary folder (/tmp/tx-TAG-fuzz-XXXXXX),
 * opened with its signing key, closed and removed at exit. Aborts when
 * it cannot be made (a harness without its node proves nothing).
 */
#ifndef TX_FUZZ_NODE_H
#define TX_FUZZ_NODE_H

#include <stddef.h>
#include <stdint.h>

struct import_format;
struct import_opts;
struct node;

struct node	*fuzz_node(const char *tag);

/*
 * Abort, naming tag, unless n's store.db passes PRAGMA integrity_check
 * (store_check_file). NULL n: nothing to check.
 */
void		 fuzz_node_check(struct node *n, const char *tag);

/*
 * Import data[0..size) in format f with options o (NULL: the defaults)
 * into fuzz_node(tag), named name in reports, as `threatex import` does.
 * Aborts unless import_mem returns 0, or a TX_E* with a message.
 */
void		 fuzz_node_import(const char *tag,
		    const struct import_format *f, const struct import_opts *o,
		    const char *name, const uint8_t *data, size_t size);

#endif
