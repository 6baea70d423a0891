/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sync.h - one sync round (DESIGN §9): pull each peer's shared collection
 * from its committed cursor, merge every page in one transaction together
 * with the new cursor; then push to peers with push on what they may
 * receive and were not pushed yet. Each peer's round is bounded in time
 * and pages; a round that fails or runs out of budget is audited by kind
 * and recorded for `status` (store_peer.h).
 */
#ifndef TX_SYNC_H
#define TX_SYNC_H

#include <stdio.h>

#include "node.h"
#include "taxii_client.h"

/* How a peer's round ended. */
enum sync_fail {
	SYNC_OK,		/* completed */
	SYNC_FAIL_MALFORMED,	/* a page is not a well-formed envelope */
	SYNC_FAIL_REFUSED,	/* a page refused whole: HTTP status, size,
				   more objects than asked for */
	SYNC_FAIL_TRANSPORT,	/* connect, reset, closed connection */
	SYNC_FAIL_TIMEOUT,	/* a request's timeout or low-speed limit */
	SYNC_FAIL_BUDGET,	/* the round's time or page budget ran out */
	SYNC_FAIL_AUTH,		/* pin, certificate, HTTP 401/403 */
	SYNC_FAIL_LOCAL		/* our own store or memory, not the peer */
};

struct sync_stats {
	int		pages;
	int		received;
	int		stored;		/* new versions */
	int		duplicates;
	int		refused;
	int		quarantined;	/* origin not in the roster yet */
	int		pushed;		/* objects pushed to the peer's inbox */
	int		pushes;		/* envelopes the inbox accepted */
	int		held;		/* left out of pushes: the peer held
					   them already (the have check) */
	enum sync_fail	fail;		/* SYNC_OK if the round completed */
	int		in_push;	/* the failure came while pushing */
	int		failures;	/* failed rounds in a row (recorded) */
	char		reason[512];	/* what failed, where, why ("" if ok) */
	char		why_refused[200]; /* the first refusal's reason */
	char		collection[300];  /* a feed's: "ID \"TITLE\" at URL" */
};

/*
 * Whether a round that completed refused everything its source sent:
 * something refused, nothing stored, duplicate or quarantined (the CLI
 * exits 3 then, issue 10).
 */
int	sync_all_refused(const struct sync_stats *st);

/*
 * Bounds of one peer's round (DESIGN §9). The defaults are the SYNC_*
 * constants below; the environment may only lower them, for tests:
 * THREATEX_SYNC_ROUND_S, THREATEX_SYNC_PAGES, THREATEX_SYNC_REQUEST_S,
 * THREATEX_SYNC_LOW_SPEED_S (docs/operator.md).
 */
struct sync_bounds {
	long	round_s;	/* wall time of a peer's round */
	int	round_pages;	/* pages pulled (and envelopes pushed) */
	long	request_s;	/* one request, whole */
	long	low_speed_s;	/* under SYNC_LOW_SPEED_BYTES/s this long */
	long	have_wait_ms;	/* a push's wait for promised versions */
};

void	sync_bounds_default(struct sync_bounds *b);
/*
 * A bound from the environment (a whole number in name), only ever lower
 * than dflt; dflt if unset or not lower.
 */
long	sync_env_bound(const char *name, long dflt);
/*
 * The store cursor key "WHAT:PEER" of one of peer's cursors: "push" (how
 * far pushes to it went; server_taxii.c reads it too), "repull" and so
 * on.
 */
void	sync_cursor_key(char *dst, size_t len, const char *what,
	    const char *peer);

/* What a round reports as it goes (struct sync_report.what). */
enum sync_event {
	SYNC_EV_ELEMENT,	/* an element the reader refused: index, text */
	SYNC_EV_REFUSED,	/* an object the merge refused: id, text */
	SYNC_EV_PAGE,		/* a page refused whole: text */
	SYNC_EV_UNRECORDED,	/* the round's outcome not stored: text */
	SYNC_EV_FAILED,		/* the round failed: text (stats->reason) */
	SYNC_EV_SYNCED,		/* the round ended well: stats */
	SYNC_EV_PROGRESS,	/* a page was committed: stats so far (for
				   progress on a terminal) */
	SYNC_EV_COLLECTION	/* a feed's collection was chosen: text
				   "ID \"TITLE\" at URL" */
};

/*
 * One report. Every string is the peer's or the store's own bytes, not
 * escaped: whoever shows them to a person escapes them. Valid only during
 * the call.
 */
struct sync_report {
	enum sync_event		 what;
	const char		*peer;	/* roster name */
	size_t			 index;	/* SYNC_EV_ELEMENT */
	const char		*id;	/* SYNC_EV_REFUSED */
	const char		*text;
	const struct sync_stats	*stats;	/* SYNC_EV_FAILED, SYNC_EV_SYNCED,
					   SYNC_EV_PROGRESS */
	int			 feed;	/* peer names a feed (cfg_feed) */
};

/* A report sink: fn (NULL: none) called with arg. */
struct sync_out {
	void	(*fn)(const struct sync_report *r, void *arg);
	void	*arg;
	/*
	 * The TLS session to resume with the peer and where the next one
	 * goes (the scheduler keeps one per peer in memory), or NULL.
	 */
	struct taxii_session	*session;
};

/*
 * Sync one peer by name, or all (peer == NULL), one after another, then
 * (peer == NULL) every enabled feed (feedsub.h) when n holds its signing
 * key; without it each feed is reported failed ("needs the signing
 * key"). full restarts from the beginning; limit is the page size asked
 * for (0: SYNC_PAGE_LIMIT). Every refusal and, per peer or feed,
 * SYNC_EV_SYNCED or SYNC_EV_FAILED go to out (may be NULL). A failing
 * source is reported and the others still sync; returns 0 if all synced,
 * else the first failure's code (err describes it). *all_refused (may be
 * NULL) is set when a source that completed refused everything it sent
 * (sync_all_refused).
 */
int	sync_all(struct node *n, const char *peer, int full, int limit,
	    const struct sync_out *out, struct tx_err *err);
int	sync_all_ex(struct node *n, const char *peer, int full, int limit,
	    const struct sync_out *out, int *all_refused, struct tx_err *err);

/* Report r (its fields as given) to out when out has a sink. */
void	sync_emit(const struct sync_out *out, const struct sync_report *r);

/*
 * sync_peer's full: 0 pulls from the cursor, 1 from the start; a round
 * with SYNC_PUSH_ONLY pulls nothing and pushes (the scheduler's round
 * when new objects are stored, node/wake.h).
 */
#define SYNC_PUSH_ONLY	2

/*
 * One round with one configured peer, within sync_bounds_default(): stats
 * says what happened (stats->fail, stats->reason when it failed). The
 * outcome is recorded for `status` and a failure audited as
 * "sync-KIND" (one entry per round). Returns 0 or the failure's code.
 */
int	sync_peer(struct node *n, struct cfg_peer *p, int full, int limit,
	    struct sync_stats *stats, const struct sync_out *out,
	    struct tx_err *err);

/* "malformed", "budget"...: the kind as named in audit events. */
const char	*sync_fail_name(enum sync_fail f);

/*
 * What the TAXII client's failure kind means for a round (a peer's or a
 * feed's): transport, timeout, budget, auth, refused; anything else local.
 */
enum sync_fail	 sync_fail_of_taxii(enum taxii_fail f);

/*
 * One page of peer p's collection as the sync client receives it (body:
 * the TAXII envelope, date_added_last: its X-TAXII-Date-Added-Last in us,
 * 0 if none): read, verified and merged in one transaction with p's
 * cursor, counted in stats; res (may be NULL) receives more/next. On
 * failure nothing of the page stays. What sync rounds, fault sweeps and
 * fuzzers share. 0 or TX_E*.
 */
struct taxii_page_result;
int		 sync_page(struct node *n, struct cfg_peer *p,
		    const uint8_t *body, size_t len, int64_t date_added_last,
		    int limit, struct sync_stats *stats,
		    struct taxii_page_result *res, struct tx_err *err)
		    TX_MUST_CHECK;

/*
 * Count a merge result in st (stored, duplicates, quarantined): 0, or 1
 * for a refusal, which the caller counts and reports its own way.
 */
struct merge_result;
int		 sync_stats_count(struct sync_stats *st,
		    const struct merge_result *res);

/*
 * Objects asked for per page by default: the server's most (one
 * transaction per page, so fewer pages are fewer commits).
 */
#define SYNC_PAGE_LIMIT	1000

/*
 * A hostile peer must not hold a round (DESIGN §9, issue 8): 60 s and
 * 1,000 pages (1,000,000 objects at the default page size) per round; what
 * a round committed stays committed and the next resumes from the
 * cursor (in `serve` at once when the round stored new objects, so an
 * honest catch-up keeps its pace; see schedule.c).
 */
#define SYNC_ROUND_S		60
#define SYNC_ROUND_PAGES	1000
/* One request: a 500-object page is ~1 MB; 30 s is 33 KB/s. */
#define SYNC_REQUEST_S		30
/* A server sending under 1 KiB/s for 15 s is trickling: cut it. */
#define SYNC_LOW_SPEED_BYTES	1024
#define SYNC_LOW_SPEED_S	15

#endif
