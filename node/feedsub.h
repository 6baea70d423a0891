/* SPDX-License-Identifier: Apache-2.0 */
/*
 * feedsub.h - one round with a feed subscription (DESIGN §3, §4.4, §9):
 * discovery -> API root -> collection (by id, exact title, or the only
 * readable one), then the collection's objects pulled from the feed's
 * cursor, page after page. Each page is one transaction with the cursor:
 * objects the feed's source signed are merged as they are; unsigned ones
 * are attested, signed by this node without one property altered (an
 * unmarked object stays unmarked; policy treats it as the feed's tlp,
 * merge_src.unmarked_tlp). The round's outcome is kept in the store
 * (store_feedsub.h) and a failure audited as "feed-KIND".
 *
 * Attestation is signing: the node must be opened WITH its signing key
 * (NODE_OPEN_SIGNING), so a round runs in its own process (`threatex
 * sync`, `feed sync`, or a round process forked by the schedule), never
 * in the server process, which never loads that key.
 */
#ifndef TX_FEEDSUB_H
#define TX_FEEDSUB_H

#include "node.h"
#include "sync.h"

/*
 * A feed's round budget: an hour and SYNC_ROUND_PAGES pages (a feed's
 * first pages may take minutes each); THREATEX_FEED_ROUND_S may lower it
 * (tests). Requests are bounded by the feed's timeout.
 */
#define FEEDSUB_ROUND_S		3600
#define FEEDSUB_PAGE_LIMIT	500	/* objects asked for per page */
#define FEEDSUB_PAGE_MAX	10000	/* objects a page may hold */

/* The round budget in seconds (FEEDSUB_ROUND_S or lower). */
long	feedsub_round_s(void);

/*
 * One round with feed f of n (opened with its signing key). full pulls
 * from the start instead of the cursor. Reports go to out with peer =
 * f->name: SYNC_EV_COLLECTION (which collection was chosen), refusals,
 * SYNC_EV_PROGRESS per page. stats says what happened (stats->fail,
 * stats->reason when it failed; stats->why_refused the first refusal's
 * reason). Returns 0 or the failure's code, err describing it (never a
 * secret). TX_EINVAL when n holds no signing key.
 */
int	feedsub_round(struct node *n, struct cfg_feed *f, int full,
	    struct sync_stats *stats, const struct sync_out *out,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Read feed name's secret (password or token) from DIR/feeds/NAME.secret
 * into out (len bytes, NUL-terminated, a final newline dropped). The file
 * must be a regular file not readable by group or others. TX_ENOTFOUND
 * when absent, TX_EINVAL for a wider mode, an empty or a multi-line
 * secret.
 */
int	feedsub_secret_read(const struct node_cfg *cfg, const char *name,
	    char *out, size_t len, struct tx_err *err) TX_MUST_CHECK;

/*
 * Write secret as feed name's secret file (created 0600, the folder
 * feeds/ 0700, replaced atomically). TX_EINVAL for an empty secret or one
 * with a control character; TX_EIO.
 */
int	feedsub_secret_write(const struct node_cfg *cfg, const char *name,
	    const char *secret, struct tx_err *err) TX_MUST_CHECK;

/* Remove feed name's secret file if there is one. */
int	feedsub_secret_remove(const struct node_cfg *cfg, const char *name,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Add feed f to n's node.conf (registry_feed_check names a bad field;
 * TX_EEXIST for a taken name), with its secret (basic: the password,
 * token: the token; required for those, refused for the others) in
 * DIR/feeds/NAME.secret. The feed is not contacted. Audited "feed-add".
 * On failure node.conf and the secret file are as they were.
 */
int	feedsub_add(struct node *n, const struct cfg_feed *f,
	    const char *secret, struct tx_err *err) TX_MUST_CHECK;

/*
 * Replace feed f->name's settings by f (checked like feedsub_add); a
 * non-NULL secret replaces its secret file. A changed URL or collection
 * starts the feed from the beginning (cursor and status forgotten).
 * Audited "feed-set". TX_ENOTFOUND for no such feed.
 */
int	feedsub_set(struct node *n, const struct cfg_feed *f,
	    const char *secret, struct tx_err *err) TX_MUST_CHECK;

/*
 * Remove feed name: from node.conf, its secret file, its cursor and
 * status (objects it delivered stay). Audited "feed-remove".
 */
int	feedsub_remove(struct node *n, const char *name, struct tx_err *err)
	    TX_MUST_CHECK;

#endif
