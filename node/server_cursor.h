/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_cursor.h - the TAXII `next` cursor (DESIGN §8): stateless, a
 * keyset position (the date_added of the last item returned) bound to the
 * caller's certificate pin, the collection, the filter set and an expiry,
 * authenticated with HMAC-SHA256 under a key kept in keys/cursor.key so
 * that cursors survive a restart. The MAC is compared in constant time.
 *
 * A cursor is "B64URL(msg).B64URL(mac)" with msg
 * "v1|PIN|COLLECTION|FILTERKEY|LAST|EXPIRY" (EXPIRY in Unix seconds).
 * Trust: a presented cursor is the client's; nothing in it is believed
 * before its MAC verifies, and then only for the pin, collection and
 * filter it names.
 */
#ifndef TX_SERVER_CURSOR_H
#define TX_SERVER_CURSOR_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SRV_CURSOR_KEY_LEN	32
#define SRV_CURSOR_TTL_S	3600	/* a cursor's life: a paging session */
#define SRV_CURSOR_MAX		512	/* room for a cursor and its NUL */

/*
 * Write into out (outlen bytes) the cursor for position last, bound to
 * pin, coll and fkey, expiring SRV_CURSOR_TTL_S after now (Unix seconds).
 * Returns 0, or TX_ELIMIT when the message or the cursor does not fit
 * (out is then "").
 */
int	srv_cursor_make(char *out, size_t outlen,
	    const uint8_t key[SRV_CURSOR_KEY_LEN], const char *pin,
	    const char *coll, const char *fkey, int64_t last, int64_t now)
	    TX_MUST_CHECK;

/*
 * Check the NUL-terminated cursor tok presented by the caller with pin
 * for coll and fkey at time now. Returns 0 with *last set; TX_EINVAL for
 * a malformed cursor, TX_EAUTH when its MAC does not verify or it is
 * bound to another pin, collection or filter set, TX_ELIMIT when it has
 * expired. *last is untouched on failure.
 */
int	srv_cursor_check(int64_t *last, const uint8_t key[SRV_CURSOR_KEY_LEN],
	    const char *pin, const char *coll, const char *fkey,
	    const char *tok, int64_t now) TX_MUST_CHECK;

/*
 * Read the key from path, or make it (random, mode 0600, created only if
 * absent) when there is none. TX_EIO naming path when it cannot be read
 * whole or written, TX_EFAIL when no random bytes can be had.
 */
int	srv_cursor_key_load(uint8_t key[SRV_CURSOR_KEY_LEN], const char *path,
	    struct tx_err *err) TX_MUST_CHECK;

#endif
