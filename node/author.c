/* SPDX-License-Identifier: Apache-2.0 */
/*
 * author.c - authoring; see author.h. Only commands run by the operator
 * author (the CLI holds the signing key for the length of one command).
 */
#include "author.h"
#include "ids.h"
#include "validate.h"

#include <string.h>

json_t *
author_sdo(const struct node *n, const char *type, enum tlp_level tlp,
    int64_t now_us)
{
	char	id[128], uuid[37], ts[32];

	stix_uuid4(uuid);
	snprintf(id, sizeof(id), "%s--%s", type, uuid);
	stix_time_format(ts, now_us);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[s]}",
	    "type", type, "spec_version", "2.1", "id", id, "created", ts,
	    "modified", ts, "created_by_ref", n->cfg.identity,
	    "object_marking_refs", tlp_marking_id(tlp));
}

int
author_commit(struct node *n, json_t **objs, size_t count,
    struct merge_result *res, struct tx_err *err)
{
	struct batch_signer	 s = { n->signing, n->cfg.identity };
	struct merge_src	 src = { "", NULL, "", node_now_us(), NULL, 0 };
	size_t			 i;
	int			 rc;

	if (n->signing == NULL)
		return tx_err_set(err, TX_EINVAL, "node opened without its "
		    "signing key");
	if ((rc = batch_sign(objs, count, &s, src.now_us, err)) < 0)
		return rc;
	if ((rc = store_begin(n->st, err)) < 0)
		return rc;
	for (i = 0; i < count; i++) {
		if ((rc = merge_object(n, objs[i], &src, &res[i], err)) < 0) {
			store_rollback(n->st);
			return rc;
		}
	}
	if ((rc = store_commit(n->st, err)) < 0)
		store_rollback(n->st);
	return rc;
}
