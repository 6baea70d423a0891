/* SPDX-License-Identifier: Apache-2.0 */
/*
 * author.h - objects this node creates: stamped with an explicit TLP
 * marking and created_by_ref, signed as one batch per TLP level with the
 * node's key, then merged through the same path as everything received.
 */
#ifndef TX_AUTHOR_H
#define TX_AUTHOR_H

#include <jansson.h>

#include "merge.h"
#include "tlp.h"

/* New SDO/SRO skeleton: type, spec_version, id, created, modified,
 * created_by_ref (this node) and the TLP marking. */
json_t	*author_sdo(const struct node *n, const char *type, enum tlp_level tlp,
	    int64_t now_us);

/*
 * Sign objs (all of one TLP level) as one batch and merge them in one
 * transaction. res[i] tells each object's fate. Store failures roll the
 * whole batch back.
 */
int	author_commit(struct node *n, json_t **objs, size_t count,
	    struct merge_result *res, struct tx_err *err);

#endif
