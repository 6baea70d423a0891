/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cosign.c - counter-signatures; see cosign.h. The stored copy was
 * verified when it was merged; it is signed again only through
 * author_commit, so the new entry is judged by the same merge rules as
 * every other object (an entry that does not verify never joins).
 */
#include "cosign.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "author.h"
#include "node.h"

/* Whether o already carries an entry by identity. */
static int
signed_by(const json_t *o, const char *identity)
{
	const json_t	*e;
	const char	*signer;
	size_t		 i;

	json_array_foreach(json_object_get(o, "signatures"), i, e) {
		signer = json_string_value(json_object_get(e, "signer"));
		if (signer != NULL && strcmp(signer, identity) == 0)
			return 1;
	}
	return 0;
}

int
cosign_object(struct node *n, const char *id, struct tx_err *err)
{
	struct merge_result	 res;
	json_t			*o;
	char			*txt = NULL;
	int			 rc;

	if (n->signing == NULL)
		return tx_err_set(err, TX_EINVAL, "node opened without its "
		    "signing key");
	if ((rc = store_get_current(n->st, &txt, id, err)) < 0)
		return rc;
	o = json_loads(txt, 0, NULL);
	free(txt);
	if (o == NULL)
		return tx_err_set(err, TX_EDB, "%s: stored copy unreadable",
		    id);
	if (signed_by(o, n->cfg.identity)) {
		json_decref(o);
		return tx_err_set(err, TX_EEXIST, "%s: already signed by this "
		    "node", id);
	}
	rc = author_commit(n, &o, 1, &res, err);
	if (rc == 0 && res.status != MERGE_JOINED)
		rc = tx_err_set(err, TX_EFAIL, "%s: %s %s", id,
		    merge_status_name(res.status), res.reason);
	json_decref(o);
	return rc;
}
