/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lookup.h - the consolidated view of one observable value (DESIGN §6):
 * every current object that names it (exactly, or for a domain by a parent
 * down to the registrable domain), with origin, signature verdicts, TLP,
 * confidence, arrival, counter-signers and the objects linked to it by
 * relationships. The same view serves `threatex lookup` and the HTTPS
 * `/lookup/` endpoint, where it is filtered to what the calling peer may
 * see.
 */
#ifndef TX_LOOKUP_H
#define TX_LOOKUP_H

#include <jansson.h>

#include "node.h"

/*
 * *out = {"value", "kind", "canonical", "known", "hits": [{"id", "type",
 * "match", "origin", "origin_id", "tlp", "confidence", "revoked",
 * "countersigned", "linked": [{"relationship", "direction", "id",
 * "label"}], and for the operator (pol == NULL) also "signature",
 * "received", "via"}]}. With pol, hits and linked objects the peer may
 * not see are left out. TX_EINVAL (err->msg the reason) when the value
 * does not normalise.
 */
int	lookup_value(json_t **out, struct node *n, const char *value,
	    const struct store_policy *pol, struct tx_err *err);

#endif
