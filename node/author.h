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
 * Bring an object this node authors (or a new version of one it authored)
 * to DESIGN §5's shape: a fixed point of python-stix2 3.0.2's parse ->
 * serialise and without `x_threatex_*` properties. Drops the properties
 * the library drops when they equal their default (`revoked` and
 * `defanged` false), adds
 * `pattern_version` "2.1" to an indicator of pattern_type "stix", and
 * moves the top-level `x_threatex_recipients` / `x_threatex_display` of
 * the form before protocol version 2 into threatex's property extension
 * (extdefs.h). 0, or TX_ENOMEM / TX_EINVAL (a malformed `extensions`).
 */
int	author_fixed_point(json_t *obj) TX_MUST_CHECK;

/*
 * Sign objs (all of one TLP level) as one batch and merge them in one
 * transaction. res[i] tells each object's fate. Store failures roll the
 * whole batch back.
 */
int	author_commit(struct node *n, json_t **objs, size_t count,
	    struct merge_result *res, struct tx_err *err);

#endif
