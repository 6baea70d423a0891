/* SPDX-License-Identifier: Apache-2.0 */
/*
 * import_stix.c - the "stix" import format: STIX 2.1 JSON (an object, a
 * bundle or a TAXII envelope), streamed by stix/stream.h so that memory
 * is bounded by the largest object, not the file. An object that already
 * carries signatures is merged as it is (merge judges them). An unsigned
 * object is signed by this node: as its author when this node created
 * it, as its attester (DESIGN §4.4) when its creator is outside the
 * federation (MITRE ATT&CK, a vendor report) or when it names none (no
 * created_by_ref: the attester is then its origin), and an SCO as this
 * node's claim; an unsigned object created by another member is refused,
 * since only that member can sign it.
 *
 * Attestation never alters the object: only the signature entry (outside
 * the hashed bytes, §4.1) joins it, so the hashed bytes this node serves
 * onward are those it received. An unmarked object it attests keeps no
 * marking: policy holds and serves it at the session's TLP (--tlp), AMBER
 * by default (merge_src.unmarked_tlp). Unmarked objects this node authors
 * (created_by_ref this node) get the session's TLP, else the node's
 * default, as a marking before signing (§7). Signing goes in batches of
 * the node's batch_size objects of one TLP level each (a batch never
 * mixes levels, §4.2).
 *
 * --tlp (import_opts.tlp) applies to every unmarked object this node
 * authors or attests from the file, and is refused per object where it
 * cannot apply, the rest of the file going on: an unsigned object that
 * already carries a different TLP marking (a marking is never rewritten,
 * nor overridden), and an object already signed by its origin, merged as
 * it is, whose TLP (AMBER when unmarked, DESIGN §7) differs. Each such
 * refusal is reported with the object's TLP and the reason.
 *
 * A domain, URL, address... SCO taken (stored) whose value a benign list
 * of the node holds is reported as a warning (import_benign_check), as
 * values authored by every other format are.
 */
#include "import_int.h"
#include "batch.h"
#include "node.h"
#include "stream.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Objects whose markings do not resolve yet (a statement marking later in
 * the same file, as in ATT&CK) wait for the end of the file, up to this
 * many; past it they are refused.
 */
#define IMPORT_DEFER_MAX 200000

/*
 * Objects that carry their origin's signatures are merged in one
 * transaction per this many, or per this many bytes of them (one commit
 * each cost half of a signed import's time; the bytes bound what a file of
 * large objects holds in memory). Tried and not kept: 4,000 a
 * transaction was 6 % faster at 100k stored, but 15 % slower by 300k
 * (8,991 -> 4,746 obj/s over three slices of 100k, against 8,287 ->
 * 5,582 with 1,000): its dirty pages outgrow the 64 MiB page cache and
 * spill mid-transaction.
 */
#define IMPORT_SIGNED_BATCH	1000
#define IMPORT_SIGNED_BYTES	(16 * 1024 * 1024)

/* One input's state: what waits to be signed, or merged. */
struct stix_run {
	struct import_ctx	*ic;
	struct stix_doc_info	*info;		/* the document being read */
	json_t			*pending[TLP_UNKNOWN + 1];	/* per TLP */
	json_t			*deferred;
	json_t			*signed_q;	/* signed, to be merged */
	size_t			 signed_bytes;	/* their elements' bytes */
	/*
	 * Each queued object's element as read (len 0: not kept), so that
	 * merge stores those bytes instead of writing the object out again
	 * (as a page from a peer is stored; 9 % of import).
	 */
	struct tx_buf		 signed_raw;
	size_t			 raw_off[IMPORT_SIGNED_BATCH];
	size_t			 raw_len[IMPORT_SIGNED_BATCH];
	/* Each queued object's preparation by the reading thread, or NULL. */
	struct merge_prep	*prep[IMPORT_SIGNED_BATCH];
	struct tx_err		 err;	/* a callback's failure */
};

static int
stix_sniff(const uint8_t *head, size_t len, const char *path)
{
	if (import_sniff_first(head, len) == '{')
		return 60;
	if (import_sniff_suffix(path, ".json"))
		return 40;
	return 0;
}

static const char *
obj_id(const json_t *obj)
{
	const char	*id = json_string_value(json_object_get(obj, "id"));

	return id != NULL ? id : "";
}

/*
 * The signed queue emptied (after its merge, or when the import stops):
 * each object and its preparation released on the reading thread that
 * made them when there is one (stream.h).
 */
static void
signed_clear(struct stix_run *sr)
{
	json_t	*o;
	size_t	 i;

	for (i = 0; i < json_array_size(sr->signed_q); i++) {
		o = json_incref(json_array_get(sr->signed_q, i));
		if (stix_stream_give_back(sr->info, o, sr->prep[i]) < 0) {
			json_decref(o);
			merge_prep_free(sr->prep[i]);
		}
		sr->prep[i] = NULL;
	}
	json_array_clear(sr->signed_q);
	tx_buf_reset(&sr->signed_raw);
	sr->signed_bytes = 0;
}

/* stix_stream_fd_ahead's work on the reading thread (struct stix_prep). */
static void *
prep_make(const json_t *obj, void *arg)
{
	(void)arg;
	return merge_prep_new(obj, node_now_us());
}

static void
prep_drop(void *made)
{
	merge_prep_free(made);
}

static const struct stix_prep	import_prep = { prep_make, prep_drop, NULL };

/*
 * Sign objs[0..count) (unsigned, all of policy level tlp) as one batch by
 * this node, as author or attester, and merge them in the caller's
 * transaction, an unmarked attested object at tlp (merge_src.unmarked_tlp).
 * res[i] tells each object's fate. A store failure: the caller rolls back.
 */
static int
attest_merge(struct node *n, json_t **objs, size_t count, enum tlp_level tlp,
    struct merge_result *res, struct tx_err *err)
{
	struct batch_signer	 s = { n->signing, n->cfg.identity };
	struct merge_src	 src;
	size_t			 i;
	int			 rc;

	if (n->signing == NULL)
		return tx_err_set(err, TX_EINVAL, "node opened without its "
		    "signing key");
	memset(&src, 0, sizeof(src));
	src.peer = "";
	src.cert_pin = "";
	src.now_us = node_now_us();
	src.unmarked_tlp = tlp;
	if ((rc = batch_sign(objs, count, &s, src.now_us, err)) < 0)
		return rc;
	for (i = 0; i < count; i++)
		if ((rc = merge_object(n, objs[i], &src, &res[i], err)) < 0)
			return rc;
	return 0;
}

/*
 * Merge the queued objects that carry their own signatures, as they are,
 * in one transaction; each is reported once it is committed. A store
 * failure rolls all of them back (none was reported).
 */
static int
flush_signed(struct stix_run *sr, struct tx_err *err)
{
	struct node		*n = sr->ic->n;
	struct merge_src	 src = { "", NULL, "", 0, NULL, 0,
	    TLP_UNKNOWN, NULL };
	struct merge_result	*res;
	size_t			 cnt = json_array_size(sr->signed_q), i;
	int			 rc;

	if (cnt == 0)
		return 0;
	if ((res = calloc(cnt, sizeof(*res))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	src.unmarked_tlp = sr->ic->o.tlp;
	if ((rc = store_begin(n->st, err)) == 0) {
		for (i = 0; rc == 0 && i < cnt; i++) {
			src.now_us = node_now_us();
			src.raw = sr->raw_len[i] > 0 ? sr->signed_raw.data +
			    sr->raw_off[i] : NULL;
			src.raw_len = sr->raw_len[i];
			src.prep = sr->prep[i];
			rc = merge_object(n, json_array_get(sr->signed_q, i),
			    &src, &res[i], err);
		}
		if (rc < 0 || (rc = store_commit(n->st, err)) < 0)
			store_rollback(n->st);
	}
	for (i = 0; rc == 0 && i < cnt; i++) {
		import_report_merge(sr->ic, &res[i]);
		import_benign_check(sr->ic, json_array_get(sr->signed_q, i),
		    &res[i]);
	}
	signed_clear(sr);
	free(res);
	return rc;
}

/*
 * Sign and merge the pending objects of one TLP level, after the signed
 * objects read before them.
 */
static int
flush_level(struct stix_run *sr, int level, struct tx_err *err)
{
	struct node		*n = sr->ic->n;
	json_t			*arr = sr->pending[level];
	json_t			**objs;
	struct merge_result	*res;
	size_t			 cnt = json_array_size(arr), i;
	int			 rc;

	if (cnt == 0)
		return 0;
	if ((rc = flush_signed(sr, err)) < 0)
		return rc;
	objs = calloc(cnt, sizeof(*objs));
	res = calloc(cnt, sizeof(*res));
	if (objs == NULL || res == NULL) {
		free(objs);
		free(res);
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	}
	for (i = 0; i < cnt; i++)
		objs[i] = json_array_get(arr, i);
	if ((rc = store_begin(n->st, err)) == 0) {
		if ((rc = attest_merge(n, objs, cnt, (enum tlp_level)level,
		    res, err)) < 0 || (rc = store_commit(n->st, err)) < 0)
			store_rollback(n->st);
	}
	for (i = 0; rc == 0 && i < cnt; i++) {
		import_report_merge(sr->ic, &res[i]);
		import_benign_check(sr->ic, objs[i], &res[i]);
	}
	json_array_clear(arr);
	free(objs);
	free(res);
	return rc;
}

/*
 * Queue an object that carries its own signatures, to be merged as it is
 * (flush_signed) when the batch is full.
 */
static int
queue_signed(struct stix_run *sr, json_t *obj, struct tx_err *err)
{
	size_t	k = json_array_size(sr->signed_q);

	sr->raw_off[k] = sr->signed_raw.len;
	sr->raw_len[k] = 0;
	/* Not kept (no room): merge writes the object out instead. */
	if (sr->info->elem != NULL && tx_buf_add(&sr->signed_raw,
	    sr->info->elem, sr->info->elem_len) == 0)
		sr->raw_len[k] = sr->info->elem_len;
	if (json_array_append(sr->signed_q, obj) != 0)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	sr->prep[k] = sr->info->prep;	/* taken from the reader */
	sr->info->prep = NULL;
	sr->signed_bytes += sr->info->elem_len;
	if (json_array_size(sr->signed_q) >= IMPORT_SIGNED_BATCH ||
	    sr->signed_bytes >= IMPORT_SIGNED_BYTES)
		return flush_signed(sr, err);
	return 0;
}

/*
 * obj's policy TLP (merge_effective_tlp), with the signed objects read
 * before it merged first when its marking is not known yet: a statement
 * marking earlier in the file may wait in the signed queue. TLP_UNKNOWN
 * with *rc 0 when it is still unknown; *rc < 0 when that merge failed.
 */
static enum tlp_level
effective_tlp(struct stix_run *sr, const json_t *obj, int *unmarked,
    int *rc, struct tx_err *err)
{
	enum tlp_level	tlp;

	*rc = 0;
	tlp = merge_effective_tlp(sr->ic->n, obj, unmarked);
	if (tlp != TLP_UNKNOWN || json_array_size(sr->signed_q) == 0)
		return tlp;
	if ((*rc = flush_signed(sr, err)) < 0)
		return TLP_UNKNOWN;
	return merge_effective_tlp(sr->ic->n, obj, unmarked);
}

/* Add the default TLP marking to an unmarked object. */
static int
mark_default(json_t *obj, enum tlp_level tlp, struct tx_err *err)
{
	json_t	*refs = json_object_get(obj, "object_marking_refs");

	if (!json_is_array(refs)) {
		if ((refs = json_array()) == NULL ||
		    json_object_set_new(obj, "object_marking_refs", refs) != 0)
			return tx_err_set(err, TX_ENOMEM, "out of memory");
	}
	if (json_array_append_new(refs, json_string(tlp_marking_id(tlp))) != 0)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	return 0;
}

/*
 * Refuse obj: --tlp cannot apply to it (import.h). how says why its own
 * TLP stands: "marked" (a marking is never rewritten) or "signed".
 */
static void
tlp_refuse(struct import_ctx *ic, const json_t *obj, const char *how,
    enum tlp_level tlp)
{
	char	why[200];

	if (strcmp(how, "signed") == 0)
		snprintf(why, sizeof(why), "--tlp %s cannot apply: signed by "
		    "its origin and merged as it is, at tlp %s", tlp_name(
		    ic->o.tlp), tlp_name(tlp));
	else
		snprintf(why, sizeof(why), "--tlp %s cannot apply: the object "
		    "is marked tlp %s and a marking is never rewritten",
		    tlp_name(ic->o.tlp), tlp_name(tlp));
	import_refuse(ic, -1, obj_id(obj), why);
}

/* Whether this node authors obj (created_by_ref names this node). */
static int
authored_here(const struct node *n, const json_t *obj)
{
	const char	*creator = merge_creator_ref(obj);

	return creator != NULL && strcmp(creator, n->cfg.identity) == 0;
}

/*
 * Queue an unsigned object for signing at its TLP level. An unmarked
 * object this node authors receives the session's TLP marking (added to any
 * statement markings) before signing; an unmarked object it attests stays
 * as it is, queued at the session's TLP (AMBER without --tlp), which
 * policy gives it. Objects whose markings do not resolve wait (may_defer)
 * or are refused.
 */
static int
queue(struct stix_run *sr, json_t *obj, int may_defer, struct tx_err *err)
{
	struct import_ctx	*ic = sr->ic;
	enum tlp_level		 tlp;
	int			 unmarked, rc;

	tlp = effective_tlp(sr, obj, &unmarked, &rc, err);
	if (rc < 0)
		return rc;
	if (tlp == TLP_UNKNOWN) {
		if (may_defer && json_array_size(sr->deferred) <
		    IMPORT_DEFER_MAX)
			return json_array_append(sr->deferred, obj) == 0 ? 0 :
			    tx_err_set(err, TX_ENOMEM, "out of memory");
		import_refuse(ic, -1, obj_id(obj), "unknown marking: not "
		    "shareable, not imported");
		return 0;
	}
	if (unmarked && authored_here(ic->n, obj)) {
		tlp = ic->o.tlp != TLP_UNKNOWN ? ic->o.tlp :
		    ic->n->cfg.default_tlp;
		if ((rc = mark_default(obj, tlp, err)) < 0)
			return rc;
	} else if (unmarked)
		tlp = ic->o.tlp != TLP_UNKNOWN ? ic->o.tlp : TLP_AMBER;
	else if (ic->o.tlp != TLP_UNKNOWN && tlp != ic->o.tlp) {
		tlp_refuse(ic, obj, "marked", tlp);
		return 0;
	}
	if (json_array_append(sr->pending[tlp], obj) != 0)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	if ((int)json_array_size(sr->pending[tlp]) >= ic->batch)
		return flush_level(sr, tlp, err);
	return 0;
}

/*
 * Whether this node may sign obj (unsigned): NULL if so, else why not.
 * why has room for the reason naming the member.
 */
static const char *
unsigned_refusal(struct node *n, const json_t *obj, char *why, size_t whylen)
{
	const char	*creator;

	/* No created_by_ref: attested, this node its origin (§4.4). */
	creator = merge_creator_ref(obj);
	if (creator != NULL && strcmp(creator, n->cfg.identity) != 0 &&
	    roster_by_identity(&n->roster, creator) != NULL) {
		snprintf(why, whylen, "created by federation member %s; only "
		    "it can sign it", node_member_name(n, creator));
		return why;
	}
	return NULL;
}

/*
 * A signed object is merged as it is: with --tlp, refused (1) unless its
 * TLP is the one asked for (an unmarked one is AMBER, DESIGN §7); < 0
 * when merging the signed objects before it failed.
 */
static int
signed_tlp_refused(struct stix_run *sr, const json_t *obj, struct tx_err *err)
{
	struct import_ctx	*ic = sr->ic;
	enum tlp_level		 tlp;
	int			 unmarked, rc;

	if (ic->o.tlp == TLP_UNKNOWN)
		return 0;
	tlp = effective_tlp(sr, obj, &unmarked, &rc, err);
	if (rc < 0)
		return rc;
	if (unmarked)
		tlp = TLP_AMBER;
	if (tlp == ic->o.tlp)
		return 0;
	tlp_refuse(ic, obj, "signed", tlp);
	return 1;
}

static int
object_cb(size_t index, json_t *obj, const struct tx_err *elem_err,
    void *payload)
{
	struct stix_run	*sr = payload;
	const char	*why;
	char		 msg[600], where[32];
	int		 rc;

	sr->ic->t.seen++;
	import_tick(sr->ic);
	if (obj == NULL) {
		tx_err_format(elem_err, msg, sizeof(msg));
		snprintf(where, sizeof(where), "objects[%zu]", index);
		import_refuse(sr->ic, -1, where, msg);
		return 0;
	}
	if (json_object_get(obj, "signatures") != NULL &&
	    (rc = signed_tlp_refused(sr, obj, &sr->err)) != 0)
		rc = rc < 0 ? rc : 0;
	else if (json_object_get(obj, "signatures") != NULL)
		rc = queue_signed(sr, obj, &sr->err);
	else if ((why = unsigned_refusal(sr->ic->n, obj, msg,
	    sizeof(msg))) != NULL) {
		import_refuse(sr->ic, -1, obj_id(obj), why);
		rc = 0;
	} else
		rc = queue(sr, obj, 1, &sr->err);
	if (rc < 0 && sr->err.code == 0)
		sr->err.code = rc;
	return rc;
}

/* After the stream: markings first (they resolve the deferred), then
 * the deferred, then what they queued. */
static int
stix_finish(struct stix_run *sr, struct tx_err *err)
{
	size_t	i;
	int	l, rc;

	rc = flush_signed(sr, err);
	for (l = 0; rc == 0 && l < TLP_UNKNOWN; l++)
		rc = flush_level(sr, l, err);
	for (i = 0; rc == 0 && i < json_array_size(sr->deferred); i++)
		rc = queue(sr, json_array_get(sr->deferred, i), 0, err);
	json_array_clear(sr->deferred);
	for (l = 0; rc == 0 && l < TLP_UNKNOWN; l++)
		rc = flush_level(sr, l, err);
	return rc;
}

/*
 * Whether the input looks like MISP JSON (the "misp" format is sure of
 * its first bytes): strict says its first member is "Event" or
 * "response", as only MISP event JSON starts, else the sniff is enough.
 */
static int
looks_misp(const struct import_src *src, int strict)
{
	const struct import_format	*m = import_format_by_name("misp");
	uint8_t				 head[512];
	const uint8_t			*h = head, *p;
	size_t				 len;
	ssize_t				 n;

	if (m == NULL)
		return 0;
	if (src->buf != NULL) {
		h = src->buf;
		len = src->len < sizeof(head) ? src->len : sizeof(head);
	} else {
		do
			n = pread(src->fd, head, sizeof(head), 0);
		while (n < 0 && errno == EINTR);
		if (n <= 0)
			return 0;
		len = (size_t)n;
	}
	if (m->sniff(h, len, NULL) < 80)
		return 0;
	if (!strict)
		return 1;
	if ((p = memchr(h, '{', len)) == NULL)
		return 0;
	for (p++; p < h + len && (*p == ' ' || *p == '\t' || *p == '\r' ||
	    *p == '\n'); p++)
		;
	len -= (size_t)(p - h);
	return (len >= 7 && memcmp(p, "\"Event\"", 7) == 0) ||
	    (len >= 10 && memcmp(p, "\"response\"", 10) == 0);
}

#define MISP_HINT	"not a STIX document: looks like MISP event JSON " \
	"\xe2\x80\x94 use --format misp"

static int
stix_run(struct import_ctx *ic, const struct import_src *src,
    struct tx_err *err)
{
	struct stix_run		 sr;
	struct stix_limits	 lim;
	struct stix_doc_info	 info;
	struct stat		 sb;
	int			 l, rc = 0;

	memset(&sr, 0, sizeof(sr));
	sr.ic = ic;
	tx_err_clear(&sr.err);
	tx_buf_init(&sr.signed_raw, 2 * IMPORT_SIGNED_BYTES);
	for (l = 0; l <= TLP_UNKNOWN; l++)
		if ((sr.pending[l] = json_array()) == NULL)
			rc = TX_ENOMEM;
	if ((sr.deferred = json_array()) == NULL ||
	    (sr.signed_q = json_array()) == NULL)
		rc = TX_ENOMEM;
	sr.info = &info;
	if (rc < 0) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto out;
	}
	if (looks_misp(src, 1)) {
		rc = tx_err_set(err, TX_EINVAL, "%s", MISP_HINT);
		goto out;
	}
	stix_limits_default(&lim);
	if (src->buf != NULL)
		rc = stix_stream_mem(&info, src->buf, src->len, &lim,
		    object_cb, &sr, err);
	else if (fstat(src->fd, &sb) == 0 && S_ISREG(sb.st_mode))
		/*
		 * A file: parsed on a second thread while this one merges.
		 * Not a pipe, whose writer could keep a stopped reader
		 * waiting.
		 */
		rc = stix_stream_fd_ahead(&info, src->fd, &lim, &import_prep,
		    object_cb, &sr, err);
	else
		rc = stix_stream_fd(&info, src->fd, &lim, object_cb, &sr, err);
	if (rc < 0 && sr.err.code != 0) {
		/* The callback stopped the stream: its failure, not the
		 * reader's. */
		if (err != NULL)
			*err = sr.err;
		rc = sr.err.code;
	} else if (rc < 0 && looks_misp(src, 0))
		rc = tx_err_set(err, rc, "%s", MISP_HINT);
	if (rc == 0)
		rc = stix_finish(&sr, err);
out:
	for (l = 0; l <= TLP_UNKNOWN; l++)
		json_decref(sr.pending[l]);
	json_decref(sr.deferred);
	if (sr.signed_q != NULL)
		signed_clear(&sr);
	json_decref(sr.signed_q);
	tx_buf_dispose(&sr.signed_raw);
	return rc;
}

const struct import_format	import_format_stix = {
	.name = "stix",
	.summary = "STIX 2.1 JSON: an object, a bundle or a TAXII envelope",
	.sniff = stix_sniff,
	.run = stix_run,
};
