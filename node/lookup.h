/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lookup.h - the consolidated view of one observable value (DESIGN §6):
 * every current object that names it (exactly, or for a domain by a parent
 * down to the registrable domain), with origin, signature verdicts, TLP,
 * confidence, arrival, counter-signers, lifecycle (revoked, expired),
 * sightings and the objects linked to it by relationships; for an e-mail
 * address also its domain, for a URL its host (each with its parents up
 * to the registrable domain); every actor any origin links to it, with
 * the origins that say so. The same view serves `threatex lookup` and the
 * HTTPS `/lookup/` endpoint, where it is filtered to what the calling
 * peer may see. docs/json.md documents its keys.
 */
#ifndef TX_LOOKUP_H
#define TX_LOOKUP_H

#include <jansson.h>

#include "node.h"

#define LOOKUP_ACTORS_MAX	64	/* actors listed; the rest counted */

/*
 * *out = {"value", "kind", "canonical", "known", "hits": [HIT...]} and:
 * "related": [{"via", "kind", "canonical", "known", "hits": [HIT...]}]
 * for an e-mail address (via "domain") and a URL (via "host");
 * "actors": [{"id", "type", "name", "origins": [...]}] (at most
 * LOOKUP_ACTORS_MAX) and "actors_more" (how many more) when any hit was
 * found; for the operator (pol == NULL) "benign" (the list's name) when
 * a benign list holds the value. HIT = {"id", "type", "match", "origin",
 * "origin_id", "tlp", "confidence", "revoked", "expired", "valid_until",
 * "countersigned", "sightings": {"objects", "count", "sighters"},
 * "linked": [{"relationship", "direction", "id", "label", "by"}]}, for
 * the operator also "signature", "verdicts" ([{"role", "signer", "ok",
 * "kid", "reason"}]), "received", "via". "known" is true when a hit is
 * found for the value or a related value. With pol, hits, links and
 * sightings the peer may not see are left out. TX_EINVAL (err->msg the
 * reason) when the value does not normalise; TX_EIO/TX_EINVAL when a
 * benign list named in node.conf cannot be read; TX_EDB, TX_ENOMEM.
 */
int	lookup_value(json_t **out, struct node *n, const char *value,
	    const struct store_policy *pol, struct tx_err *err) TX_MUST_CHECK;

/*
 * The screening summary of a view made by lookup_value: *out = {"value",
 * "kind", "canonical", "verdict" ("known": an SDO naming the value or
 * its related value stands, neither revoked nor expired, or only SCO
 * claims name it; "withdrawn": every SDO naming it is revoked or
 * expired; "unknown": no hit), "known" (verdict is "known"), "hits" (all
 * hits, related ones included), "origins" (names, first seen first),
 * "tlp" (the strictest of the hits that stand, null unless known),
 * "confidence" (their highest, null when none), "actors" (names),
 * "actors_more", "benign" (the list's name or null)}. 0 or TX_ENOMEM.
 */
int	lookup_summary(json_t **out, const json_t *view, struct tx_err *err)
	    TX_MUST_CHECK;

#endif
