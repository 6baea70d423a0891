/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inbox.c - pushed objects; see inbox.h. The body comes from a peer that
 * proved its key in the TLS handshake, and is otherwise hostile: strict
 * streaming intake, the same merge rules and ingress policy as a pull.
 */
#include "inbox.h"
#include "ids.h"
#include "merge.h"
#include "stream.h"
#include "taxii_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct inbox_ctx {
	struct node		*n;
	const struct cfg_peer	*p;
	const char		*pin;
	json_t			*ok;
	json_t			*failed;
	int			 rc;
	struct tx_err		*err;
	int			 budget;	/* refusals audited one by one */
	struct stix_doc_info	*info;		/* the envelope being read */
};

static json_t *
status_entry(const json_t *obj, const char *msg)
{
	const char	*id = json_string_value(json_object_get(obj, "id"));
	const char	*ver = json_string_value(json_object_get(obj,
			    "modified"));
	json_t		*e = json_pack("{s:s}", "id", id ? id : "");

	if (ver != NULL)
		json_object_set_new(e, "version", json_string(ver));
	if (msg != NULL)
		json_object_set_new(e, "message", json_string(msg));
	return e;
}

static int
object_cb(size_t index, json_t *obj, const struct tx_err *elem_err,
    void *payload)
{
	struct inbox_ctx	*ic = payload;
	struct merge_src	 src = { ic->p->name, ic->p->identity, ic->pin,
	    node_now_us(), &ic->budget, ic->info->elem, ic->info->elem_len };
	struct merge_result	 res;
	char			 msg[600];

	if (obj == NULL) {
		tx_err_format(elem_err, msg, sizeof(msg));
		json_array_append_new(ic->failed, json_pack("{s:s, s:s}", "id",
		    "", "message", msg));
		return 0;
	}
	if ((ic->rc = merge_object(ic->n, obj, &src, &res, ic->err)) < 0)
		return ic->rc;
	if (res.status == MERGE_REFUSED)
		json_array_append_new(ic->failed, status_entry(obj,
		    res.reason));
	else
		json_array_append_new(ic->ok, status_entry(obj, NULL));
	return 0;
}

int
inbox_ingest(json_t **status, struct node *n, const struct cfg_peer *p,
    const char *pin, const uint8_t *body, size_t len, struct tx_err *err)
{
	struct inbox_ctx	 ic = { n, p, pin, json_array(), json_array(), 0,
	    err, 50, NULL };
	struct stix_limits	 lim;
	struct stix_doc_info	 info;
	json_t			*st = NULL;
	char			 uuid[37], ts[40], *txt = NULL;
	int64_t			 now = node_now_us();
	int			 rc;

	*status = NULL;
	stix_limits_default(&lim);
	ic.info = &info;
	if ((rc = store_begin(n->st, err)) < 0)
		goto out;
	rc = stix_stream_mem(&info, body, len, &lim, object_cb, &ic, err);
	if (rc == 0 && ic.rc < 0)
		rc = ic.rc;
	if (rc == 0 && info.kind != STIX_DOC_ENVELOPE)
		rc = tx_err_set(err, TX_EINVAL, "POST body must be a TAXII "
		    "envelope");
	if (rc < 0) {
		store_rollback(n->st);
		goto out;
	}
	stix_uuid4(uuid);
	taxii_time_format(ts, now);
	st = json_pack("{s:s, s:s, s:s, s:I, s:I, s:O, s:I, s:O, s:I}",
	    "id", uuid, "status", "complete", "request_timestamp", ts,
	    "total_count", (json_int_t)(json_array_size(ic.ok) +
	    json_array_size(ic.failed)), "success_count",
	    (json_int_t)json_array_size(ic.ok), "successes", ic.ok,
	    "failure_count", (json_int_t)json_array_size(ic.failed),
	    "failures", ic.failed, "pending_count", (json_int_t)0);
	if (st == NULL || (txt = json_dumps(st, JSON_COMPACT)) == NULL) {
		store_rollback(n->st);
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = store_status_put(n->st, uuid, p->name, now,
	    INBOX_STATUS_KEEP_US, txt, err)) < 0 ||
	    (rc = store_commit(n->st, err)) < 0) {
		store_rollback(n->st);
		goto out;
	}
	*status = st;
	st = NULL;
out:
	free(txt);
	json_decref(st);
	json_decref(ic.ok);
	json_decref(ic.failed);
	return rc;
}
