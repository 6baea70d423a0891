/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inbox.c - pushed objects; see inbox.h. The body comes from a peer that
 * proved its key in the TLS handshake, and is otherwise hostile: strict
 * streaming intake, the same merge rules and ingress policy as a pull.
 *
 * A job reads the envelope once when it arrives (stix_stream_mem_skim,
 * which checks the outer document and finds the elements without parsing
 * them) and keeps where each element lies in its copy of the body; each
 * step merges them, one at a time. The preparation (inbox_job_prepare)
 * then parses each element and prepares it (merge_prep: validity and
 * hashed bytes, issue 13), within a bound for the whole node
 * (INBOX_KEEP_BYTES, inbox.h), on the thread that reads (server_inbox.c)
 * while the steps merge the elements before it, so the merge neither
 * parses an element again nor does that work, and does not wait for the
 * whole envelope to be parsed first. An element is the preparation's or
 * the step's, never both: each has a state that one of them claims
 * atomically (EL_*); one the step reaches first, or that the bound left
 * unparsed, the step parses itself. Memory is the body plus 48 bytes per
 * element plus what the bound allows; the element count and the detail
 * lists of the status resource are capped.
 */
#include "inbox.h"
#include "ids.h"
#include "merge.h"
#include "stream.h"
#include "taxii_client.h"

#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Elements per envelope: a 10 MiB body of real STIX objects holds a few
 * ten thousand; more means tiny junk elements, each of which would cost a
 * status entry.
 */
#define INBOX_MAX_ELEMS		100000
/* Entries listed in successes / failures (the counts stay exact). */
#define INBOX_DETAIL_MAX	5000
static _Atomic size_t	inbox_kept;	/* charged, all jobs (inbox.h) */

size_t
inbox_kept_bytes(void)
{
	return inbox_kept;
}

/* Whose an element is (inbox_elem.state). */
enum {
	EL_NEW,		/* no one's yet */
	EL_PREP,	/* the preparation is parsing it */
	EL_READY,	/* prepared: obj and prep, or nothing kept */
	EL_STEP		/* the step's, which parses it itself */
};

struct inbox_elem {
	size_t			 off;
	size_t			 len;
	size_t			 index;		/* in the envelope's objects */
	_Atomic int		 state;		/* EL_* */
	json_t			*obj;		/* kept parsed, or NULL */
	struct merge_prep	*prep;		/* with obj */
};

/* Where the preparation of a job is (inbox_job.prep). */
enum {
	PREP_NONE,	/* not read, or the read failed: none will run */
	PREP_OWED,	/* read: inbox_job_prepare will run */
	PREP_RUNNING,
	PREP_DONE
};

/* Element e's parsed form and preparation let go (budget given back). */
static void
elem_release(struct inbox_elem *e)
{
	if (e->obj == NULL)
		return;
	json_decref(e->obj);
	merge_prep_free(e->prep);
	e->obj = NULL;
	e->prep = NULL;
	inbox_kept -= e->len + INBOX_KEEP_EACH;
}

struct inbox_job {
	struct node		*n;
	char			 peer[CFG_NAME_MAX];
	char			 identity[128];
	char			 pin[65];
	char			 id[37];
	char			 ts[40];
	int64_t			 created_us;
	uint8_t			*body;
	size_t			 len;
	struct inbox_elem	*el;
	size_t			 nel;
	size_t			 cap;
	size_t			 next;		/* first element not merged */
	json_t			*ok;		/* at most INBOX_DETAIL_MAX */
	json_t			*failed;
	size_t			 nok;		/* exact counts */
	size_t			 nfailed;
	int			 done;
	int			 ranged;	/* inbox_job_range */
	int64_t			 from, to, epoch;
	struct stix_limits	 lim;
	const struct stix_doc_info *info;	/* while reading the envelope */
	_Atomic int		 prep;		/* PREP_* */
	_Atomic int		 quit;		/* the preparation is to stop */
};

/*
 * A status detail (TAXII 2.1 §4.3.1): id and version always. The version
 * is the object's modified, else its created, else (an SCO, or an element
 * that is no object: obj NULL, id "") the time the request was received,
 * ts, standing for its date_added (DESIGN §8).
 */
static json_t *
status_entry(const json_t *obj, const char *msg, const char *ts)
{
	const char	*id = json_string_value(json_object_get(obj, "id"));
	const char	*ver = json_string_value(json_object_get(obj,
			    "modified"));
	json_t		*e;

	if (ver == NULL)
		ver = json_string_value(json_object_get(obj, "created"));
	if ((e = json_pack("{s:s, s:s}", "id", id ? id : "", "version",
	    ver ? ver : ts)) == NULL)
		return NULL;
	if (msg != NULL)
		json_object_set_new(e, "message", json_string(msg));
	return e;
}

/* Count an outcome; list it while the detail list has room. */
static void
note(struct inbox_job *j, int ok, json_t *entry)
{
	json_t	*list = ok ? j->ok : j->failed;

	if (ok)
		j->nok++;
	else
		j->nfailed++;
	if (entry != NULL && json_array_size(list) < INBOX_DETAIL_MAX)
		json_array_append(list, entry);
	json_decref(entry);
}

/* Forget outcomes noted after the counts were nok / nfailed. */
static void
unnote(struct inbox_job *j, size_t nok, size_t nfailed)
{
	j->nok = nok;
	j->nfailed = nfailed;
	while (json_array_size(j->ok) > nok)
		json_array_remove(j->ok, json_array_size(j->ok) - 1);
	while (json_array_size(j->failed) > nfailed)
		json_array_remove(j->failed, json_array_size(j->failed) - 1);
}

/* Reading the envelope: note where each element lies. */
static int
scan_cb(size_t index, json_t *obj, const struct tx_err *elem_err,
    void *payload)
{
	struct inbox_job	*j = payload;
	struct inbox_elem	*el;
	char			 msg[600];
	size_t			 cap;

	(void)obj;	/* skimmed: never parsed here */
	if (elem_err != NULL) {
		tx_err_format(elem_err, msg, sizeof(msg));
		note(j, 0, status_entry(NULL, msg, j->ts));
		return 0;
	}
	if (j->nel == j->cap) {
		cap = j->cap ? j->cap * 2 : 64;
		if ((el = realloc(j->el, cap * sizeof(*el))) == NULL)
			return TX_ENOMEM;
		j->el = el;
		j->cap = cap;
	}
	el = &j->el[j->nel++];
	memset(el, 0, sizeof(*el));
	el->off = (size_t)(j->info->elem - j->body);
	el->len = j->info->elem_len;
	el->index = index;
	atomic_init(&el->state, EL_NEW);
	return 0;
}

void
inbox_job_prepare(struct inbox_job *j)
{
	struct inbox_elem	*el;
	json_t			*obj;
	size_t			 i, charge;
	int			 want = PREP_OWED;

	if (!atomic_compare_exchange_strong(&j->prep, &want, PREP_RUNNING))
		return;
	for (i = 0; i < j->nel && !atomic_load(&j->quit); i++) {
		el = &j->el[i];
		want = EL_NEW;
		if (!atomic_compare_exchange_strong(&el->state, &want,
		    EL_PREP))
			continue;	/* the step's already */
		/*
		 * Kept parsed while the node's bound allows (reserved
		 * first). An element refused, or not kept, is left to the
		 * step, which parses it and says why it was refused.
		 */
		charge = el->len + INBOX_KEEP_EACH;
		obj = NULL;
		if (atomic_fetch_add(&inbox_kept, charge) + charge <=
		    INBOX_KEEP_BYTES &&
		    stix_intake_object(&obj, j->body + el->off, el->len,
		    &j->lim, NULL) == 0 &&
		    (el->prep = merge_prep_new(obj, node_now_us())) != NULL)
			el->obj = obj;
		else {
			json_decref(obj);
			inbox_kept -= charge;
		}
		atomic_store(&el->state, EL_READY);
	}
	atomic_store(&j->prep, PREP_DONE);
}

void
inbox_job_free(struct inbox_job *j)
{
	size_t	i;
	int	p;

	if (j == NULL)
		return;
	/*
	 * A preparation owed or running stops at its next element; it is
	 * waited for (at most one element's parse), as it reads the job.
	 */
	atomic_store(&j->quit, 1);
	while ((p = atomic_load(&j->prep)) == PREP_OWED || p == PREP_RUNNING)
		sched_yield();
	for (i = 0; i < j->nel; i++)
		elem_release(&j->el[i]);
	free(j->body);
	free(j->el);
	json_decref(j->ok);
	json_decref(j->failed);
	free(j);
}

int
inbox_job_new(struct inbox_job **out, struct node *n,
    const struct cfg_peer *p, const char *pin, const uint8_t *body,
    size_t len, struct tx_err *err)
{
	struct inbox_job	*j;

	*out = NULL;
	if ((j = calloc(1, sizeof(*j))) == NULL ||
	    (j->body = malloc(len ? len : 1)) == NULL ||
	    (j->ok = json_array()) == NULL ||
	    (j->failed = json_array()) == NULL) {
		inbox_job_free(j);
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	}
	j->n = n;
	snprintf(j->peer, sizeof(j->peer), "%s", p->name);
	snprintf(j->identity, sizeof(j->identity), "%s", p->identity);
	snprintf(j->pin, sizeof(j->pin), "%s", pin);
	j->created_us = node_now_us();
	taxii_time_format(j->ts, j->created_us);
	stix_uuid4(j->id);
	if (len > 0)
		memcpy(j->body, body, len);
	j->len = len;
	stix_limits_default(&j->lim);
	j->lim.max_objects = INBOX_MAX_ELEMS;
	*out = j;
	return 0;
}

int
inbox_job_read(struct inbox_job *j, struct tx_err *err)
{
	struct stix_doc_info	info;
	int			rc;

	j->info = &info;
	rc = stix_stream_mem_skim(&info, j->body, j->len, &j->lim, scan_cb,
	    j, err);
	j->info = NULL;
	if (rc == 0 && info.kind != STIX_DOC_ENVELOPE)
		rc = tx_err_set(err, TX_EINVAL, "POST body must be a TAXII "
		    "envelope");
	if (rc == 0)
		atomic_store(&j->prep, PREP_OWED);
	return rc;
}

/* Merge element e; a refusal is an outcome, a store error is returned. */
static int
merge_one(struct inbox_job *j, struct inbox_elem *e, struct tx_err *err)
{
	const uint8_t		*raw = j->body + e->off;
	struct merge_src	 src;
	struct merge_result	 res;
	struct tx_err		 perr;
	json_t			*obj;
	char			 msg[600];
	int			 rc, st = EL_NEW;

	/* Ours if the preparation has not begun it, else once it is done. */
	if (!atomic_compare_exchange_strong(&e->state, &st, EL_STEP))
		while (st == EL_PREP) {
			sched_yield();
			st = atomic_load(&e->state);
		}
	obj = json_incref(e->obj);	/* NULL: ours to parse */
	src = (struct merge_src){ j->peer, j->identity, j->pin,
	    node_now_us(), raw, e->len, TLP_UNKNOWN, e->prep };
	tx_err_clear(&perr);
	if (obj == NULL && stix_intake_object(&obj, raw, e->len, &j->lim,
	    &perr) < 0) {
		tx_err_prefix(&perr, "objects[%zu]", e->index);
		tx_err_format(&perr, msg, sizeof(msg));
		note(j, 0, status_entry(NULL, msg, j->ts));
		return 0;
	}
	rc = merge_object(j->n, obj, &src, &res, err);
	elem_release(e);	/* merged or failed: its step is over */
	if (rc < 0) {
		json_decref(obj);
		return rc;
	}
	if (res.status == MERGE_REFUSED)
		note(j, 0, status_entry(obj, res.reason, j->ts));
	else
		note(j, 1, status_entry(obj, NULL, j->ts));
	json_decref(obj);
	return 0;
}

/* Store the final status resource in the open transaction. */
static int
put_status(struct inbox_job *j, struct tx_err *err)
{
	json_t	*st;
	char	*txt;
	int	 rc;

	if ((st = inbox_job_status(j)) == NULL ||
	    (txt = json_dumps(st, JSON_COMPACT)) == NULL) {
		json_decref(st);
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	}
	json_decref(st);
	rc = store_status_put(j->n->st, j->id, j->peer, j->created_us,
	    INBOX_STATUS_KEEP_US, txt, err);
	free(txt);
	return rc;
}

/*
 * A store error stopped the job at element first: everything from there
 * on is a failure, and the status is stored if the store lets us.
 */
static int
job_fail(struct inbox_job *j, size_t first, int rc)
{
	struct tx_err	 e2;
	json_t		*obj;
	size_t		 i;

	for (i = first; i < j->nel; i++) {
		obj = NULL;
		stix_intake_object(&obj, j->body + j->el[i].off, j->el[i].len,
		    &j->lim, NULL);
		note(j, 0, status_entry(obj, "not stored: store failure",
		    j->ts));
		json_decref(obj);
	}
	j->next = j->nel;
	j->done = 1;
	tx_err_clear(&e2);
	if (store_begin(j->n->st, &e2) == 0) {
		if (put_status(j, &e2) < 0 || store_commit(j->n->st, &e2) < 0)
			store_rollback(j->n->st);
	}
	return rc;
}

int
inbox_range_parse(const char *value, int64_t *from, int64_t *to,
    int64_t *epoch, struct tx_err *err)
{
	int64_t	v[3];

	if (taxii_header_decimals(value, v, 3) < 0 || v[1] <= v[0] ||
	    v[2] >= 1000)
		return tx_err_setw(err, TX_EINVAL, INBOX_RANGE_HEADER,
		    "want FROM TO EPOCH, decimal, FROM < TO");
	*from = v[0];
	*to = v[1];
	*epoch = v[2];
	return 0;
}

int
inbox_job_range(struct inbox_job *j, const char *value, struct tx_err *err)
{
	int	rc;

	if ((rc = inbox_range_parse(value, &j->from, &j->to, &j->epoch,
	    err)) == 0)
		j->ranged = 1;
	return rc;
}

int
inbox_job_step(struct inbox_job *j, size_t min_objects, size_t max_objects,
    int64_t max_us, struct tx_err *err)
{
	int64_t	t0 = node_mono_us();
	size_t	first = j->next, nok = j->nok, nfailed = j->nfailed, k;
	int	rc, moved;

	if (j->done)
		return 1;
	if ((rc = store_begin(j->n->st, err)) < 0)
		return job_fail(j, first, rc);
	for (k = 0; j->next < j->nel && k < max_objects; k++) {
		if ((rc = merge_one(j, &j->el[j->next], err)) < 0)
			goto fail;
		j->next++;
		if (k + 1 >= min_objects && node_mono_us() - t0 >= max_us)
			break;
	}
	if (j->next == j->nel) {
		j->done = 1;
		if ((rc = put_status(j, err)) < 0 || (j->ranged &&
		    (rc = store_cursor_pushed(j->n->st, j->peer, j->from,
		    j->to, j->epoch, &moved, err)) < 0))
			goto fail;
	}
	if ((rc = store_commit(j->n->st, err)) < 0)
		goto fail;
	return j->done;
fail:
	store_rollback(j->n->st);
	j->done = 0;
	unnote(j, nok, nfailed);
	return job_fail(j, first, rc);
}

json_t *
inbox_job_status(const struct inbox_job *j)
{
	size_t	pending = j->nel - j->next;

	/* Shares the detail lists with the job: dump it before a step. */
	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:O, s:I, s:O, s:I}",
	    "id", j->id, "status", j->done ? "complete" : "pending",
	    "request_timestamp", j->ts,
	    "total_count", (json_int_t)(j->nok + j->nfailed + pending),
	    "success_count", (json_int_t)j->nok, "successes", j->ok,
	    "failure_count", (json_int_t)j->nfailed, "failures", j->failed,
	    "pending_count", (json_int_t)pending);
}

const char *
inbox_job_id(const struct inbox_job *j)
{
	return j->id;
}

size_t
inbox_job_pending(const struct inbox_job *j)
{
	return j->nel - j->next;
}

size_t
inbox_job_bytes(const struct inbox_job *j)
{
	return j->len + j->cap * sizeof(struct inbox_elem);
}

int
inbox_ingest(json_t **status, struct node *n, const struct cfg_peer *p,
    const char *pin, const uint8_t *body, size_t len, struct tx_err *err)
{
	struct inbox_job	*j;
	int			 rc;

	*status = NULL;
	if ((rc = inbox_job_new(&j, n, p, pin, body, len, err)) < 0)
		return rc;
	if ((rc = inbox_job_read(j, err)) < 0) {
		inbox_job_free(j);
		return rc;
	}
	inbox_job_prepare(j);
	while ((rc = inbox_job_step(j, (size_t)-1, (size_t)-1, INT64_MAX,
	    err)) == 0)
		;
	if (rc > 0 && (*status = inbox_job_status(j)) == NULL)
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
	inbox_job_free(j);
	return rc < 0 ? rc : 0;
}
