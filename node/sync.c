/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sync.c - the pull side of the sync client. A page from a peer is hostile
 * bytes: it goes through the streaming reader (strict intake), each
 * object through merge_object, and the page commits atomically with the
 * cursor, so a crash or kill at any point resumes from the last page that
 * was wholly stored. A refused object never stops the others.
 */
#include "sync.h"
#include "merge.h"
#include "stream.h"
#include "taxii_client.h"

#include <string.h>

#define SYNC_MAX_PAGES		100000
#define SYNC_MAX_RESPONSE	(64 * 1024 * 1024)
#define SYNC_CONNECT_TIMEOUT	5
#define SYNC_TIMEOUT		120

struct page_ctx {
	struct node		*n;
	struct cfg_peer		*p;
	struct sync_stats	*stats;
	FILE			*out;
	int			 rc;
};

static int
object_cb(size_t index, json_t *obj, const struct tx_err *elem_err,
    void *payload)
{
	struct page_ctx		*pc = payload;
	struct merge_src	 src = { pc->p->name, pc->p->identity,
	    pc->p->pin, node_now_us() };
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
	memcpy(res->next, info.next, sizeof(res->next));
	return 0;
}

int
sync_peer(struct node *n, struct cfg_peer *p, int full, int limit,
    struct sync_stats *stats, FILE *out, struct tx_err *err)
{
	struct taxii_opts	 o;
	struct taxii_conn	*c = NULL;
	struct page_ctx		 pc = { n, p, stats, out, 0 };
	char			 crt[1400], key[1400];
	int64_t			 cursor = 0;
	int			 rc, pages;

	memset(stats, 0, sizeof(*stats));
	cfg_path(crt, sizeof(crt), &n->cfg, "keys/tls.crt");
	cfg_path(key, sizeof(key), &n->cfg, "keys/tls.key");
	memset(&o, 0, sizeof(o));
	o.base_url = p->url;
	o.pin = p->pin;
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
			    "duplicate=%d refused=%d%s\n", p->name, st.pages,
			    st.received, st.stored, st.duplicates, st.refused,
			    st.quarantined ? quarantined_text(&st) : "");
	}
	if (!any && peer != NULL)
		return tx_err_set(err, TX_ENOTFOUND, "no peer named %s", peer);
	if (out)
		fflush(out);
	return first;
}
