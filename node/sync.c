/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sync.c - the pull side of the sync client. A page from a peer is hostile
 * bytes: it goes through the streaming reader (strict intake), each
 * object through merge_object, and the page commits atomically with the
 * cursor, so a crash or kill at any point resumes from the last page that
 * was wholly stored. A refused object never stops the others.
 */
#include "sync.h"
#include "egress.h"
#include "merge.h"
#include "stream.h"
#include "taxii_client.h"

#include <string.h>

#define SYNC_MAX_PAGES		100000
#define SYNC_MAX_RESPONSE	(64 * 1024 * 1024)
#define SYNC_CONNECT_TIMEOUT	5
#define SYNC_TIMEOUT		120
#define SYNC_PUSH_BYTES		(8 * 1024 * 1024)	/* < the inbox's cap */

/* Refusals audited one by one per page; the rest are counted. */
#define SYNC_AUDIT_PER_PAGE 50

struct page_ctx {
	struct node		*n;
	struct cfg_peer		*p;
	struct sync_stats	*stats;
	FILE			*out;
	int			 rc;
	int			 budget;	/* detailed refusals left */
	int			 unaudited;	/* refusals past the budget */
	struct stix_doc_info	*info;		/* the page being read */
};

static int
object_cb(size_t index, json_t *obj, const struct tx_err *elem_err,
    void *payload)
{
	struct page_ctx		*pc = payload;
	struct merge_src	 src = { pc->p->name, pc->p->identity,
	    pc->p->pin, node_now_us(), &pc->budget, pc->info->elem,
	    pc->info->elem_len };
	struct merge_result	 res;
	char			 msg[600];

	pc->stats->received++;
	if (obj == NULL) {
		pc->stats->refused++;
		tx_err_format(elem_err, msg, sizeof(msg));
		if (pc->out)
			fprintf(pc->out, "refused\t%s\tobjects[%zu]\t%s\n",
			    pc->p->name, index, msg);
		return 0;
	}
	if ((pc->rc = merge_object(pc->n, obj, &src, &res, NULL)) < 0)
		return pc->rc;
	switch (res.status) {
	case MERGE_NEW:
	case MERGE_EQUIVOCATION:
	case MERGE_JOINED:
		pc->stats->stored++;
		break;
	case MERGE_DUPLICATE:
		pc->stats->duplicates++;
		break;
	case MERGE_QUARANTINED:
		pc->stats->quarantined++;
		break;
	default:
		pc->stats->refused++;
		if (pc->budget <= 0)
			pc->unaudited++;
		if (pc->out)
			fprintf(pc->out, "refused\t%s\t%s\t%s\n", pc->p->name,
			    res.id, res.reason);
	}
	return 0;
}

static int
page_cb(const uint8_t *body, size_t len, int64_t date_added_last,
    struct taxii_page_result *res, void *payload)
{
	struct page_ctx		*pc = payload;
	struct stix_limits	 lim;
	struct stix_doc_info	 info;
	struct tx_err		 err;
	int			 rc;

	stix_limits_default(&lim);
	tx_err_clear(&err);
	if ((rc = store_begin(pc->n->st, &err)) < 0)
		return rc;
	pc->rc = 0;
	pc->budget = SYNC_AUDIT_PER_PAGE;
	pc->unaudited = 0;
	pc->info = &info;
	rc = stix_stream_mem(&info, body, len, &lim, object_cb, pc, &err);
	if (rc < 0 || pc->rc < 0) {
		store_rollback(pc->n->st);
		if (pc->out) {
			char msg[600];

			tx_err_format(&err, msg, sizeof(msg));
			fprintf(pc->out, "error\t%s\tpage refused: %s\n",
			    pc->p->name, msg);
		}
		return rc < 0 ? rc : pc->rc;
	}
	if (pc->unaudited > 0) {
		char	sum[200];

		snprintf(sum, sizeof(sum), "%d more objects from %s refused in "
		    "one page", pc->unaudited, pc->p->name);
		if ((rc = store_audit(pc->n->st, "refused", sum, &err)) < 0) {
			store_rollback(pc->n->st);
			return rc;
		}
	}
	if (date_added_last > 0 && (rc = store_cursor_set(pc->n->st,
	    pc->p->name, date_added_last, &err)) < 0) {
		store_rollback(pc->n->st);
		return rc;
	}
	if ((rc = store_commit(pc->n->st, &err)) < 0) {
		store_rollback(pc->n->st);
		return rc;
	}
	pc->stats->pages++;
	res->more = info.more == 1;
	res->count = info.count;
	memcpy(res->next, info.next, sizeof(res->next));
	return 0;
}

/*
 * Push (DESIGN §9): what this peer may receive and has not been pushed
 * yet, in envelopes to its inbox, the same pages the peer would pull. The
 * push cursor advances only after a 202.
 */
static int
push_peer(struct node *n, struct cfg_peer *p, struct taxii_conn *c,
    struct sync_stats *stats, struct tx_err *err)
{
	struct store_policy	 pol = { n->cfg.identity, p->identity,
	    (int)p->max_tlp, p->relay };
	struct egress_page	 pg;
	struct tx_buf		 env;
	char			 key[80], *resp = NULL;
	int64_t			 cursor = 0;
	long			 status;
	int			 rc, pages;

	snprintf(key, sizeof(key), "push:%s", p->name);
	if ((rc = store_cursor_get(n->st, key, &cursor, err)) < 0)
		return rc;
	egress_page_init(&pg, SYNC_PUSH_BYTES);
	tx_buf_init(&env, SYNC_PUSH_BYTES + 64);
	for (pages = 0; pages < SYNC_MAX_PAGES; pages++) {
		if ((rc = egress_page_fill(&pg, n->st, &pol, NULL, cursor,
		    SYNC_PAGE_LIMIT, err)) < 0 || pg.n == 0)
			break;
		tx_buf_reset(&env);
		if ((rc = tx_buf_adds(&env, "{\"objects\":[")) < 0 ||
		    (rc = tx_buf_add(&env, pg.objects.data,
		    pg.objects.len)) < 0 || (rc = tx_buf_adds(&env, "]}")) < 0) {
			rc = tx_err_set(err, rc, "push envelope too large");
			break;
		}
		free(resp);
		resp = NULL;
		if ((rc = taxii_push(c, (const char *)env.data, env.len, &resp,
		    &status, err)) < 0)
			break;
		if (status != 202) {
			rc = tx_err_set(err, TX_EIO, "%s: inbox answered HTTP "
			    "%ld", p->url, status);
			break;
		}
		cursor = pg.last;
		if ((rc = store_cursor_set(n->st, key, cursor, err)) < 0)
			break;
		stats->pushed += pg.n;
		if (!pg.more)
			break;
	}
	free(resp);
	tx_buf_dispose(&env);
	egress_page_dispose(&pg);
	return rc;
}

/*
 * The peer's policy for us changed since the last pull (its
 * X-Threatex-Policy-Epoch differs): pull again from the start. The first
 * epoch seen is only recorded.
 */
static int
check_epoch(struct node *n, struct cfg_peer *p, struct taxii_conn *c,
    int limit, struct page_ctx *pc, struct tx_err *err)
{
	char	key[80];
	int64_t	seen = 0, now = taxii_policy_epoch(c);
	int	rc, pages;

	if (now < 0)
		return 0;
	snprintf(key, sizeof(key), "epoch:%s", p->name);
	if ((rc = store_cursor_get(n->st, key, &seen, err)) < 0)
		return rc;
	/* Stored as epoch + 1 so that 0 means "never seen". */
	if (seen == now + 1)
		return 0;
	if ((rc = store_cursor_set(n->st, key, now + 1, err)) < 0)
		return rc;
	if (seen == 0)
		return 0;
	return taxii_pull(c, 0, limit > 0 ? limit : SYNC_PAGE_LIMIT,
	    SYNC_MAX_PAGES, page_cb, pc, &pages, err);
}

int
sync_peer(struct node *n, struct cfg_peer *p, int full, int limit,
    struct sync_stats *stats, FILE *out, struct tx_err *err)
{
	struct taxii_opts	 o;
	struct taxii_conn	*c = NULL;
	struct page_ctx		 pc = { n, p, stats, out, 0, 0, 0, NULL };
	char			 crt[1400], key[1400];
	int64_t			 cursor = 0;
	int			 rc, pages;

	memset(stats, 0, sizeof(*stats));
	cfg_path(crt, sizeof(crt), &n->cfg, "keys/tls.crt");
	cfg_path(key, sizeof(key), &n->cfg, "keys/tls.key");
	memset(&o, 0, sizeof(o));
	o.base_url = p->url;
	o.pin = p->pin;
	o.ca_path = p->ca;
	o.identity = p->identity;
	o.cert_path = crt;
	o.key_path = key;
	o.connect_timeout_s = SYNC_CONNECT_TIMEOUT;
	o.timeout_s = SYNC_TIMEOUT;
	o.max_response = SYNC_MAX_RESPONSE;
	if (!full && (rc = store_cursor_get(n->st, p->name, &cursor, err)) < 0)
		return rc;
	if ((rc = taxii_conn_new(&c, &o, err)) < 0)
		return rc;
	rc = taxii_pull(c, cursor, limit > 0 ? limit : SYNC_PAGE_LIMIT,
	    SYNC_MAX_PAGES, page_cb,
	    &pc, &pages, err);
	if (rc == 0)
		rc = check_epoch(n, p, c, limit, &pc, err);
	if (rc == 0 && p->push)
		rc = push_peer(n, p, c, stats, err);
	taxii_conn_free(c);
	return rc;
}

static const char *
quarantined_text(const struct sync_stats *st)
{
	static char	buf[48];

	snprintf(buf, sizeof(buf), " quarantined=%d", st->quarantined);
	return buf;
}

int
sync_all(struct node *n, const char *peer, int full, int limit, FILE *out,
    struct tx_err *err)
{
	struct sync_stats	 st;
	struct tx_err		 perr;
	char			 msg[600];
	size_t			 i;
	int			 rc, first = 0, any = 0;

	for (i = 0; i < n->cfg.npeers; i++) {
		struct cfg_peer *p = &n->cfg.peers[i];

		if (p->identity_only || (peer && strcmp(peer, p->name) != 0))
			continue;
		any = 1;
		tx_err_clear(&perr);
		rc = sync_peer(n, p, full, limit, &st, out, &perr);
		if (rc < 0) {
			tx_err_format(&perr, msg, sizeof(msg));
			if (out)
				fprintf(out, "failed\t%s\t%s\n", p->name, msg);
			if (first == 0) {
				first = rc;
				if (err)
					*err = perr;
			}
			continue;
		}
		if (out)
			fprintf(out, "synced\t%s\tpages=%d received=%d new=%d "
			    "duplicate=%d refused=%d%s pushed=%d\n", p->name,
			    st.pages, st.received, st.stored, st.duplicates,
			    st.refused, st.quarantined ? quarantined_text(&st) :
			    "", st.pushed);
	}
	if (!any && peer != NULL)
		return tx_err_set(err, TX_ENOTFOUND, "no peer named %s", peer);
	if (out)
		fflush(out);
	return first;
}
