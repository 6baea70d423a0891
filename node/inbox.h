/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inbox.h - the inbox collection (DESIGN §8, §9): what peers push. A POST
 * body is a TAXII envelope from an authenticated peer; every object goes
 * through merge_object with that peer as its source, all in one
 * transaction, and the outcome is a TAXII status resource kept 48 hours
 * and shown only to the peer that posted.
 */
#ifndef TX_INBOX_H
#define TX_INBOX_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "node.h"

#define INBOX_STATUS_KEEP_US	((int64_t)48 * 3600 * 1000000)

/*
 * Ingest a pushed envelope from peer p (whose certificate pin is pin).
 * *status is the new status resource (caller decrefs). TX_EINVAL when the
 * envelope itself is malformed (nothing stored), store errors otherwise.
 */
int	inbox_ingest(json_t **status, struct node *n, const struct cfg_peer *p,
	    const char *pin, const uint8_t *body, size_t len,
	    struct tx_err *err);

#endif
