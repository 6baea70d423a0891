/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sync.c - the sync client's rounds: pull from a peer's cursor (each
 * page through sync_page.c, committed with the cursor), the policy-epoch
 * re-pull, and push to peers that take it.
 *
 * A round with one peer is bounded by struct sync_bounds (time, pages,
 * per-request timeout, low-speed limit). When it fails or a bound runs
 * out, the round ends with what was committed kept; the failure is
 * classified (enum sync_fail), audited once per round and recorded for
 * `status`. Text that may quote the peer (object ids, refusal reasons)
 * goes to the caller's report sink as it is (struct sync_out).
 */
#include "sync.h"
#include "sync_int.h"
#include "have.h"
#include "audit.h"
#include "egress.h"
#include "feedsub.h"
#include "inbox.h"
#include "policy.h"
#include "store_audit.h"
#include "store_peer.h"
#include "taxii_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SYNC_MAX_RESPONSE	(64 * 1024 * 1024)
#define SYNC_CONNECT_TIMEOUT	5
#define SYNC_PUSH_BYTES		(8 * 1024 * 1024)	/* < the inbox's cap */

const char *
sync_fail_name(enum sync_fail f)
{
	static const char	*names[] = { "ok", "malformed", "refused",
	    "transport", "timeout", "budget", "auth", "local" };

	return (size_t)f < sizeof(names) / sizeof(names[0]) ? names[f] : "?";
}

/* How a failure reads in a report: "malformed page", "timeout"... */
static const char *
fail_label(enum sync_fail f)
{
	static const char	*labels[] = { "ok", "malformed page",
	    "refused page", "transport error", "timeout", "budget exhausted",
	    "authentication failure", "local failure" };

	return (size_t)f < sizeof(labels) / sizeof(labels[0]) ? labels[f] :
	    "failure";
}

long
sync_env_bound(const char *name, long dflt)
{
	const char	*v = getenv(name);
	char		*end;
	long		 l;

	if (v == NULL || *v == '\0')
		return dflt;
	l = strtol(v, &end, 10);
	return *end == '\0' && l >= 1 && l < dflt ? l : dflt;
}

void
sync_bounds_default(struct sync_bounds *b)
{
	b->round_s = sync_env_bound("THREATEX_SYNC_ROUND_S", SYNC_ROUND_S);
	b->round_pages = (int)sync_env_bound("THREATEX_SYNC_PAGES",
	    SYNC_ROUND_PAGES);
	b->request_s = sync_env_bound("THREATEX_SYNC_REQUEST_S", SYNC_REQUEST_S);
	b->low_speed_s = sync_env_bound("THREATEX_SYNC_LOW_SPEED_S",
	    SYNC_LOW_SPEED_S);
	b->have_wait_ms = sync_env_bound("THREATEX_SYNC_HAVE_WAIT_MS",
	    HAVE_WAIT_MS);
}

/* One event to the caller's report sink (sync_int.h). */
void
sync_report(const struct sync_out *out, enum sync_event what, const char *peer,
    size_t index, const char *id, const char *text,
    const struct sync_stats *stats)
{
	struct sync_report	r = { what, peer, index, id, text, stats, 0 };

	sync_emit(out, &r);
}

void
sync_emit(const struct sync_out *out, const struct sync_report *r)
{
	if (out != NULL && out->fn != NULL)
		out->fn(r, out->arg);
}

int
sync_all_refused(const struct sync_stats *st)
{
	return st->refused > 0 && st->stored == 0 && st->duplicates == 0 &&
	    st->quarantined == 0;
}

/*
 * The rows of one push page as egress lays them out (an egress keep
 * callback): each version, where its JSON starts in the page, its feed
 * row, whether the row announces joined signatures (never left out), and
 * what the peer said of it (have.h's HAVE_*, or PUSH_SENT).
 */
#define PUSH_SENT	3	/* gone in an envelope of this page */

struct have_note {
	const struct egress_page *pg;
	size_t			 n;
	struct have_entry	 e[SYNC_PAGE_LIMIT + 1];
	struct {
		char	id[300], digest[HAVE_DIGEST_HEX + 1];
	}			 s[SYNC_PAGE_LIMIT + 1];
	size_t			 off[SYNC_PAGE_LIMIT + 1];
	int64_t			 row[SYNC_PAGE_LIMIT + 1];
	int			 joined[SYNC_PAGE_LIMIT + 1];
	uint8_t			 held[SYNC_PAGE_LIMIT + 1];
};

static int
have_keep(const struct store_feed_row *r, void *arg)
{
	struct have_note	*h = arg;

	/* One more than the page may be noted: the row that did not fit. */
	if (h->n > SYNC_PAGE_LIMIT)
		return 1;
	/* An id cut short asks about no version we hold: sent. */
	snprintf(h->s[h->n].id, sizeof(h->s[0].id), "%s", r->id);
	have_digest(h->s[h->n].digest, r->id, r->vkey, r->hash, r->origin);
	h->e[h->n].id = h->s[h->n].id;
	h->e[h->n].digest = h->s[h->n].digest;
	h->off[h->n] = h->pg->objects.len + (h->pg->n > 0);
	h->row[h->n] = r->date_added;
	h->joined[h->n] = r->joined;
	h->n++;
	return 1;
}

/*
 * Ask the peer about the page's versions marked `which` (have.h) and mark
 * each with its answer. A peer that does not know the question (an older
 * threatex: HTTP 404 or 405) is not asked again: *on = 0. Any other
 * failure leaves the marks as they were.
 */
static void
have_ask(struct taxii_conn *c, struct have_note *h, size_t n, uint8_t which,
    int *on)
{
	struct have_entry	 q[SYNC_PAGE_LIMIT];
	struct tx_buf		 b;
	uint8_t			 got[SYNC_PAGE_LIMIT];
	size_t			 i, k = 0, outlen;
	long			 status;
	char			*out = NULL;

	for (i = 0; i < n; i++)
		if (!h->joined[i] && h->held[i] == which)
			q[k++] = h->e[i];
	if (k == 0 || !*on)
		return;
	tx_buf_init(&b, HAVE_BODY_MAX);
	if (have_request_build(&b, q, k) == 0 && taxii_post(c, HAVE_PATH,
	    (const char *)b.data, b.len, &out, &outlen, &status, NULL) == 0) {
		if (status == 404 || status == 405)
			*on = 0;
		else if (status == 200 && have_reply_parse(got, k, out,
		    outlen, NULL) == 0)
			for (i = 0, k = 0; i < n; i++)
				if (!h->joined[i] && h->held[i] == which)
					h->held[i] = got[k++];
	}
	free(out);
	tx_buf_dispose(&b);
}

/*
 * Versions another member is sending the peer (HAVE_PROMISED) are asked
 * about again after a pause, doubling from 50 ms, at most budget_ms in
 * all: those held by then are left out; a promise run out makes the
 * version ours to send (HAVE_NOT); those still promised at the end (a
 * member slow, or renewing promises it never keeps) go all the same.
 * Returns the milliseconds waited.
 */
static long
have_wait(struct taxii_conn *c, struct have_note *h, size_t n,
    long budget_ms, int *on)
{
	struct timespec	ts;
	size_t		i;
	long		ms, waited = 0;
	int		left = 1;

	for (ms = 50; left && *on && waited + ms <= budget_ms; ms *= 2) {
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = ms % 1000 * 1000000L;
		nanosleep(&ts, NULL);
		waited += ms;
		have_ask(c, h, n, HAVE_PROMISED, on);
		for (i = 0, left = 0; i < n; i++)
			left |= h->held[i] == HAVE_PROMISED;
	}
	for (i = 0; i < n; i++)
		if (h->held[i] == HAVE_PROMISED)
			h->held[i] = HAVE_NOT;
	return waited;
}

/* The page's rows marked HAVE_NOT, as an envelope into env: PUSH_SENT. */
static int
envelope_of(struct tx_buf *env, const struct egress_page *pg,
    struct have_note *h, int *sent)
{
	size_t	i, end;
	int	rc;

	*sent = 0;
	tx_buf_reset(env);
	if ((rc = tx_buf_adds(env, "{\"objects\":[")) < 0)
		return rc;
	for (i = 0; i < (size_t)pg->n; i++) {
		if (h->held[i] != HAVE_NOT)
			continue;
		end = i + 1 < (size_t)pg->n ? h->off[i + 1] - 1 :
		    pg->objects.len;
		if ((*sent > 0 && (rc = tx_buf_addc(env, ',')) < 0) ||
		    (rc = tx_buf_add(env, pg->objects.data + h->off[i],
		    end - h->off[i])) < 0)
			return rc;
		h->held[i] = PUSH_SENT;
		(*sent)++;
	}
	return tx_buf_adds(env, "]}");
}

/* One push round's state (push_peer). */
struct push {
	struct node		*n;
	struct cfg_peer		*p;
	struct taxii_conn	*c;
	struct sync_stats	*stats;
	struct have_note	*h;
	struct egress_page	 pg;
	struct tx_buf		 env;
	char			 key[80];	/* the push cursor's */
	int64_t			 cursor;	/* the push cursor */
	int64_t			 sent;		/* where the last envelope's
						   range ended */
	int			 epoch;
	long			 wait_ms;	/* left for promised versions
						   this round: twice a page's */
	char			*resp;
};

/*
 * Post the page's rows marked HAVE_NOT as one envelope whose range runs
 * from where the last one ended up to `to`, and move the push cursor to
 * `to`. With no row to post, only the cursor moves: the range joins the
 * next envelope's (or the round's last, empty one), so the receiver's row
 * of pushes (store_cursor_pushed) goes on unbroken. *posted: rows sent.
 */
static int
push_part(struct push *x, int64_t to, int *posted, struct tx_err *err)
{
	char	range[96];
	long	status;
	int	rc;

	if ((rc = envelope_of(&x->env, &x->pg, x->h, posted)) < 0)
		return tx_err_set(err, rc, "push envelope too large");
	if (*posted > 0) {
		free(x->resp);
		x->resp = NULL;
		/* The rows it covers: the receiver's pull skips them. */
		snprintf(range, sizeof(range), INBOX_RANGE_HEADER ": %lld "
		    "%lld %d", (long long)x->sent, (long long)to, x->epoch);
		if ((rc = taxii_push(x->c, (const char *)x->env.data,
		    x->env.len, to > x->sent ? range : NULL, &x->resp, &status,
		    err)) < 0)
			return rc;
		if (status != 202) {
			x->stats->fail = SYNC_FAIL_REFUSED;
			return tx_err_set(err, TX_EIO, "%s: inbox answered "
			    "HTTP %ld", x->p->url, status);
		}
		x->sent = to;
		x->stats->pushed += *posted;
		x->stats->pushes++;
	}
	if (to <= x->cursor)
		return 0;
	x->cursor = to;
	return store_cursor_set(x->n->st, x->key, to, err);
}

/*
 * One page: the have check; what the peer holds is left out; what another
 * member is sending it waits (have_wait, within what is left of the
 * round's wait, so a member promising everything and sending nothing
 * slows a round by that much at most) while the rest goes at once, in an
 * envelope whose range stops short of the first row waited for (so a
 * round cut off meanwhile asks about it again); then the rest.
 */
static int
push_page(struct push *x, long wait_ms, int *have_on, struct tx_err *err)
{
	struct have_note	*h = x->h;
	size_t			 i, n = (size_t)x->pg.n;
	int			 rc, a = 0, b = 0;

	memset(h->held, HAVE_NOT, sizeof(h->held));
	have_ask(x->c, h, n, HAVE_NOT, have_on);
	for (i = 0; i < n && h->held[i] != HAVE_PROMISED; i++)
		;
	if (i < n) {
		if ((rc = push_part(x, h->row[i] - 1, &a, err)) < 0)
			return rc;
		x->wait_ms -= have_wait(x->c, h, n, wait_ms < x->wait_ms ?
		    wait_ms : x->wait_ms, have_on);
	}
	if ((rc = push_part(x, x->pg.next, &b, err)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		x->stats->held += h->held[i] == HAVE_HELD;
	return a + b;
}

/*
 * Push (DESIGN §9): what this peer may receive and has not been pushed
 * yet, in envelopes to its inbox, the same pages the peer would pull,
 * less what the peer says it holds already (the have check). The push
 * cursor advances only after a 202, or past rows the peer held. At most
 * b->round_pages envelopes.
 */
static int
push_peer(struct node *n, struct cfg_peer *p, struct taxii_conn *c,
    const struct sync_bounds *b, struct sync_stats *stats, struct tx_err *err)
{
	struct store_policy	 pol = { n->cfg.identity, p->identity,
	    (int)p->max_tlp, p->relay, p->name, 0, 0 };
	struct egress_filter	 f;
	struct push		 x;
	long			 status;
	int			 rc, skipped = 0, have_on = 1;
	char			 range[96];

	memset(&x, 0, sizeof(x));
	x.n = n;
	x.p = p;
	x.c = c;
	x.stats = stats;
	x.epoch = policy_member_epoch(pol.max_tlp, pol.relay);
	x.wait_ms = 2 * b->have_wait_ms;
	if ((x.h = calloc(1, sizeof(*x.h))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	memset(&f, 0, sizeof(f));
	f.all_versions = 1;	/* as no filter: every version */
	f.keep = have_keep;
	f.keep_arg = x.h;
	x.h->pg = &x.pg;

	sync_cursor_key(x.key, sizeof(x.key), "push", p->name);
	if ((rc = store_cursor_get(n->st, x.key, &x.cursor, err)) < 0) {
		free(x.h);
		return rc;
	}
	x.sent = x.cursor;
	egress_page_init(&x.pg, SYNC_PUSH_BYTES);
	tx_buf_init(&x.env, SYNC_PUSH_BYTES + 64);
	for (;;) {
		x.h->n = 0;
		if ((rc = egress_page_fill(&x.pg, n->st, &pol, &f, x.cursor,
		    SYNC_PAGE_LIMIT, err)) < 0)
			break;
		if (x.pg.n == 0) {
			/* Only rows of the peer's own passed over: move on. */
			if (!x.pg.more || x.pg.next <= x.cursor ||
			    ++skipped >= b->round_pages)
				break;
			x.cursor = x.pg.next;
			if ((rc = store_cursor_set(n->st, x.key, x.cursor,
			    err)) < 0)
				break;
			continue;
		}
		if (stats->pushes >= b->round_pages) {
			stats->fail = SYNC_FAIL_BUDGET;
			rc = tx_err_set(err, TX_ELIMIT, "push budget of %d "
			    "envelopes exhausted", b->round_pages);
			break;
		}
		if ((rc = push_page(&x, b->have_wait_ms, &have_on, err)) < 0)
			break;
		/* A page held whole counts against the round's budget. */
		if (!x.pg.more || (rc == 0 && ++skipped >= b->round_pages))
			break;
	}
	/*
	 * Rows passed over since the last envelope sent (held by the peer,
	 * or none of them its to see): their range still goes, in an empty
	 * envelope, so that the peer's pull cursor of us moves past them and
	 * its next pull does not fetch again what it holds. Best effort: a
	 * refusal only leaves that pull to fetch them.
	 */
	if (rc >= 0 && x.cursor > x.sent) {
		free(x.resp);
		x.resp = NULL;
		snprintf(range, sizeof(range), INBOX_RANGE_HEADER ": %lld %lld "
		    "%d", (long long)x.sent, (long long)x.cursor, x.epoch);
		if (taxii_push(c, "{\"objects\":[]}", 14, range, &x.resp,
		    &status, NULL) == 0 && status == 202)
			stats->pushes++;
	}
	free(x.resp);
	free(x.h);
	tx_buf_dispose(&x.env);
	egress_page_dispose(&x.pg);
	return rc < 0 ? rc : 0;
}

void
sync_cursor_key(char *dst, size_t len, const char *what, const char *peer)
{
	snprintf(dst, len, "%s:%s", what, peer);
}

/*
 * The peer's policy for us changed since the last pull (its
 * X-Threatex-Policy-Epoch differs from the one stored, "epoch:NAME", as
 * epoch + 1): what it hid and now shows may lie behind our cursor, which
 * stood at until before this round's pull. Pull again from the start,
 * within what is left of the round's page budget, saying which epoch we
 * pulled under and up to where (TAXII_REPULL_HEADER), so that a threatex
 * server sends only what became visible, up to until: what a widened
 * policy adds, nothing for a narrowed one (issue 14). The re-pull's
 * progress is a cursor of its own ("repull:NAME", committed with each
 * page), valid for the epoch in "repullfor:NAME" and the end in
 * "repulluntil:NAME": a round that fails half-way goes on in the next.
 * The new epoch is stored when the re-pull is done. The first epoch seen
 * is only recorded.
 */
static int
check_epoch(struct node *n, struct cfg_peer *p, struct taxii_conn *c,
    int64_t until, int pages_left, struct page_ctx *pc, struct tx_err *err)
{
	char	key[80], kfor[80], kfrom[80], kuntil[80], hdr[96];
	int64_t	seen = 0, now = taxii_policy_epoch(c), rfor = 0, from = 0;
	int	rc, pages;

	if (now < 0)
		return 0;
	snprintf(key, sizeof(key), "epoch:%s", p->name);
	sync_cursor_key(kfor, sizeof(kfor), "repullfor", p->name);
	sync_cursor_key(kfrom, sizeof(kfrom), "repull", p->name);
	sync_cursor_key(kuntil, sizeof(kuntil), "repulluntil", p->name);
	if ((rc = store_cursor_get(n->st, key, &seen, err)) < 0 ||
	    (rc = store_cursor_get(n->st, kfor, &rfor, err)) < 0)
		return rc;
	if (seen == now + 1 && rfor == 0)
		return 0;
	if (seen != 0 && seen != now + 1) {
		if (rfor == now + 1) {	/* a re-pull left half-way */
			if ((rc = store_cursor_get(n->st, kfrom, &from,
			    err)) < 0 || (rc = store_cursor_get(n->st, kuntil,
			    &until, err)) < 0)
				return rc;
		} else if (until > 0 && ((rc = store_cursor_set(n->st, kfor,
		    now + 1, err)) < 0 || (rc = store_cursor_set(n->st, kfrom,
		    0, err)) < 0 || (rc = store_cursor_set(n->st, kuntil,
		    until, err)) < 0))
			return rc;
		if (until > 0) {
			snprintf(hdr, sizeof(hdr), "%s: %lld %lld",
			    TAXII_REPULL_HEADER, (long long)(seen - 1),
			    (long long)until);
			if ((rc = taxii_conn_header(c, hdr, err)) < 0)
				return rc;
			pc->cursor_key = kfrom;
			rc = taxii_pull(c, from, pc->limit, pages_left,
			    sync_page_cb, pc, &pages, err);
			pc->cursor_key = NULL;
			if (taxii_conn_header(c, NULL, NULL) < 0 && rc == 0)
				rc = tx_err_set(err, TX_ENOMEM, "out of memory");
			if (rc < 0)
				return rc;
		}
	}
	if ((rc = store_cursor_set(n->st, key, now + 1, err)) < 0)
		return rc;
	return rfor != 0 || seen != now + 1 ? store_cursor_set(n->st, kfor, 0,
	    err) : 0;
}

enum sync_fail
sync_fail_of_taxii(enum taxii_fail f)
{
	switch (f) {
	case TAXII_FAIL_TRANSPORT:
		return SYNC_FAIL_TRANSPORT;
	case TAXII_FAIL_TIMEOUT:
		return SYNC_FAIL_TIMEOUT;
	case TAXII_FAIL_BUDGET:
		return SYNC_FAIL_BUDGET;
	case TAXII_FAIL_AUTH:
		return SYNC_FAIL_AUTH;
	case TAXII_FAIL_REFUSED:
		return SYNC_FAIL_REFUSED;
	default:
		return SYNC_FAIL_LOCAL;
	}
}

static void
conn_opts(struct taxii_opts *o, struct node *n, struct cfg_peer *p,
    const struct sync_bounds *b, char *crt, char *key, size_t len)
{
	cfg_path(crt, len, &n->cfg, "keys/tls.crt");
	cfg_path(key, len, &n->cfg, "keys/tls.key");
	memset(o, 0, sizeof(*o));
	o->base_url = p->url;
	o->pin = p->pin;
	o->ca_path = p->ca;
	o->identity = p->identity;
	o->cert_path = crt;
	o->key_path = key;
	o->connect_timeout_s = SYNC_CONNECT_TIMEOUT;
	o->timeout_s = b->request_s;
	o->max_response = SYNC_MAX_RESPONSE;
}

/*
 * The round itself: pull from the cursor, the policy-epoch re-pull, the
 * push. On failure stats->fail is the kind and err the detail.
 */
static int
sync_round(struct node *n, struct cfg_peer *p, int full, int limit,
    const struct sync_bounds *b, struct sync_stats *stats,
    const struct sync_out *out,
    struct tx_err *err)
{
	struct taxii_opts	 o;
	struct taxii_conn	*c = NULL;
	struct page_ctx		 pc;
	char			 crt[1400], key[1400];
	int64_t			 cursor = 0;
	int			 rc, pages = 0;

	memset(&pc, 0, sizeof(pc));
	pc.n = n;
	pc.p = p;
	pc.stats = stats;
	pc.out = out;
	pc.limit = limit > 0 ? limit : SYNC_PAGE_LIMIT;
	conn_opts(&o, n, p, b, crt, key, sizeof(crt));
	o.session = out != NULL ? out->session : NULL;
	stats->fail = SYNC_FAIL_LOCAL;
	if (!full && (rc = store_cursor_get(n->st, p->name, &cursor, err)) < 0)
		return rc;
	if ((rc = taxii_conn_new(&c, &o, err)) < 0)
		return rc;
	taxii_conn_bound(c, SYNC_LOW_SPEED_BYTES, b->low_speed_s, b->round_s);
	rc = 0;
	if (full != SYNC_PUSH_ONLY &&
	    (rc = sync_pull_ahead(c, cursor, b->round_pages, &pc, &pages,
	    err)) == 0)
		rc = check_epoch(n, p, c, cursor, b->round_pages - pages, &pc,
		    err);
	if (rc < 0 && (pc.merge_failed ||
	    taxii_conn_failure(c) == TAXII_FAIL_CALLBACK)) {
		stats->fail = pc.kind;
		if (err != NULL)
			*err = pc.perr;
	} else if (rc < 0)
		stats->fail = sync_fail_of_taxii(taxii_conn_failure(c));
	if (rc == 0 && p->push) {
		stats->in_push = 1;
		stats->fail = SYNC_FAIL_LOCAL;
		if ((rc = push_peer(n, p, c, b, stats, err)) < 0 &&
		    stats->fail == SYNC_FAIL_LOCAL &&
		    taxii_conn_failure(c) != TAXII_FAIL_NONE)
			stats->fail = sync_fail_of_taxii(taxii_conn_failure(c));
	}
	if (rc == 0)
		stats->fail = SYNC_OK;
	taxii_conn_free(c);
	return rc;
}

/*
 * What failed, where and why, with what the round had committed before:
 * "malformed page at page 3 (2 pages, 40 new objects committed before it):
 * why", with "; N in a row" before the ')' when in_a_row.
 */
static void
fail_reason(char *dst, size_t len, const struct sync_stats *st,
    const char *why, int in_a_row)
{
	char	row[32] = "";

	if (in_a_row)
		snprintf(row, sizeof(row), "; %d in a row", st->failures);
	snprintf(dst, len, "%s at %s %d (%d pages, %d new objects committed "
	    "before it%s): %s", fail_label(st->fail), st->in_push ? "push" :
	    "page", (st->in_push ? st->pushes : st->pages) + 1, st->pages,
	    st->stored, row, why);
}

/*
 * Record the round's outcome and counts for `status` and, when it failed,
 * audit it: one entry per round, in one transaction so that concurrent
 * rounds of other peers cannot interleave with the audit chain's read and
 * append.
 * The round's capped refusals get their count rows (store_audit_flush).
 */
static int
sync_record(struct node *n, struct cfg_peer *p, struct sync_stats *st,
    const char *why, struct tx_err *err)
{
	char	event[32], line[900];
	int	rc;

	if ((rc = store_begin(n->st, err)) < 0)
		return rc;
	if (st->fail == SYNC_OK)
		rc = store_peer_sync_ok(n->st, p->name, node_now_us(), err);
	else if ((rc = store_peer_sync_fail(n->st, p->name, node_now_us(),
	    sync_fail_name(st->fail), st->reason, &st->failures, err)) == 0) {
		snprintf(event, sizeof(event), "sync-%s",
		    sync_fail_name(st->fail));
		rc = snprintf(line, sizeof(line), "%s: ", p->name);
		fail_reason(line + rc, sizeof(line) - (size_t)rc, st, why, 1);
		rc = audit_append(n->st, event, line, err);
	}
	/* The round's counts, whatever its outcome (status, /metrics). */
	if (rc == 0)
		rc = store_peer_counts_add(n->st, p->name, node_now_us(),
		    st->received, st->stored, st->refused, st->quarantined,
		    err);
	if (rc == 0)
		rc = store_audit_flush(n->st, err);
	if (rc == 0)
		rc = store_commit(n->st, err);
	if (rc < 0)
		store_rollback(n->st);
	return rc;
}

int
sync_peer(struct node *n, struct cfg_peer *p, int full, int limit,
    struct sync_stats *stats, const struct sync_out *out, struct tx_err *err)
{
	struct sync_bounds	 b;
	struct tx_err		 rerr, lerr;
	char			 why[TX_ERR_WHERE_MAX + TX_ERR_MSG_MAX + 8];
	int			 rc;

	memset(stats, 0, sizeof(*stats));
	why[0] = '\0';
	sync_bounds_default(&b);
	tx_err_clear(&lerr);
	tx_err_clear(&rerr);
	if ((rc = sync_round(n, p, full, limit, &b, stats, out, &lerr)) < 0) {
		if (lerr.code == 0)
			tx_err_set(&lerr, rc, "%s", tx_strerror(rc));
		tx_err_format(&lerr, why, sizeof(why));
		fail_reason(stats->reason, sizeof(stats->reason), stats, why,
		    0);
		if (err != NULL)
			*err = lerr;
	}
	if (sync_record(n, p, stats, why, &rerr) < 0) {
		tx_err_format(&rerr, why, sizeof(why));
		sync_report(out, SYNC_EV_UNRECORDED, p->name, 0, NULL, why, NULL);
	}
	return rc;
}

/* Every enabled feed, one round each (feedsub.h). */
static int
sync_feeds(struct node *n, int full, const struct sync_out *out,
    int *all_refused, int *any, struct tx_err *err)
{
	struct sync_report	 r;
	struct sync_stats	 st;
	struct tx_err		 ferr;
	size_t			 i;
	int			 rc, first = 0;

	for (i = 0; i < n->cfg.reg.nfeeds; i++) {
		struct cfg_feed *f = &n->cfg.reg.feeds[i];

		if (!f->enabled)
			continue;
		*any = 1;
		tx_err_clear(&ferr);
		memset(&st, 0, sizeof(st));
		memset(&r, 0, sizeof(r));
		r.peer = f->name;
		r.stats = &st;
		r.feed = 1;
		if (n->signing == NULL) {
			st.fail = SYNC_FAIL_LOCAL;
			rc = tx_err_set(&ferr, TX_EINVAL, "feeds are attested: "
			    "the round needs the node's signing key");
			snprintf(st.reason, sizeof(st.reason), "%s",
			    ferr.msg);
		} else
			rc = feedsub_round(n, f, full, &st, out, &ferr);
		if (rc < 0) {
			r.what = SYNC_EV_FAILED;
			r.text = st.reason;
			sync_emit(out, &r);
			if (first == 0) {
				first = rc;
				if (err)
					*err = ferr;
			}
			continue;
		}
		if (sync_all_refused(&st) && all_refused != NULL)
			*all_refused = 1;
		r.what = SYNC_EV_SYNCED;
		sync_emit(out, &r);
	}
	return first;
}

int
sync_all(struct node *n, const char *peer, int full, int limit,
    const struct sync_out *out, struct tx_err *err)
{
	return sync_all_ex(n, peer, full, limit, out, NULL, err);
}

int
sync_all_ex(struct node *n, const char *peer, int full, int limit,
    const struct sync_out *out, int *all_refused, struct tx_err *err)
{
	struct sync_stats	 st;
	struct tx_err		 perr;
	size_t			 i;
	int			 rc, first = 0, any = 0;

	if (all_refused != NULL)
		*all_refused = 0;
	for (i = 0; i < n->cfg.reg.npeers; i++) {
		struct cfg_peer *p = &n->cfg.reg.peers[i];

		if (p->identity_only || (peer && strcmp(peer, p->name) != 0))
			continue;
		any = 1;
		tx_err_clear(&perr);
		rc = sync_peer(n, p, full, limit, &st, out, &perr);
		if (rc < 0) {
			sync_report(out, SYNC_EV_FAILED, p->name, 0, NULL,
			    st.reason, &st);
			if (first == 0) {
				first = rc;
				if (err)
					*err = perr;
			}
			continue;
		}
		if (sync_all_refused(&st) && all_refused != NULL)
			*all_refused = 1;
		sync_report(out, SYNC_EV_SYNCED, p->name, 0, NULL, NULL, &st);
	}
	if (!any && peer != NULL)
		return tx_err_set(err, TX_ENOTFOUND, "no peer named %s", peer);
	if (peer == NULL) {
		tx_err_clear(&perr);
		rc = sync_feeds(n, full, out, all_refused, &any, &perr);
		if (rc < 0 && first == 0) {
			first = rc;
			if (err)
				*err = perr;
		}
	}
	return first;
}
