/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify.c - offline verification against the roster; see verify.h. The
 * judging is batch_judge's and the choice of the origin entry the
 * merge's, so that `verify` says what a merge of the same bytes would.
 */
#include "verify.h"
#include "extdefs.h"
#include "merge.h"
#include "node.h"
#include "roster.h"
#include "stream.h"

#include <stdio.h>
#include <string.h>

static void
verify_bad(struct verify_result *out, const char *reason)
{
	out->ok = 0;
	snprintf(out->why, sizeof(out->why), "%s", reason);
	out->reason = out->why;
}

int
verify_object(struct verify_result *out, struct node *n, const json_t *obj)
{
	struct tx_err	err;
	int		nv, i, origin, attested = 0;

	memset(out, 0, sizeof(*out));
	out->reason = "";
	out->id = json_string_value(json_object_get(obj, "id"));
	if (out->id == NULL)
		out->id = "?";
	tx_err_clear(&err);
	/* A built-in extension definition (stix/extdefs.h): its bytes are
	   known, like the TLP markings'; it is never signed. */
	if (json_object_get(obj, "signatures") == NULL &&
	    extdefs_matches(obj) == 1) {
		out->ok = 1;
		out->reason = "built in";
		return 0;
	}
	nv = batch_judge(out->v, BATCH_MAX_ENTRIES, obj, roster_key_cb,
	    &n->roster, n->cache, &err);
	if (nv == TX_ENOMEM) {
		verify_bad(out, "out of memory");
		return TX_ENOMEM;
	}
	/* More entries than the cap: the first ones are judged. */
	if (nv == TX_ELIMIT)
		nv = BATCH_MAX_ENTRIES;
	if (nv <= 0) {
		verify_bad(out, nv == 0 ? "no signatures" : err.msg);
		return 0;
	}
	origin = merge_origin_entry(n, obj, out->v, nv, &attested);
	out->nsigs = nv;
	for (i = 0; i < nv; i++) {
		out->sigs[i].signer = node_member_name(n, out->v[i].signer);
		out->sigs[i].role = i != origin ? VERIFY_COUNTERSIGN :
		    attested ? VERIFY_ATTESTATION : VERIFY_ORIGIN;
		out->sigs[i].ok = out->v[i].ok;
		out->sigs[i].reason = out->v[i].reason;
	}
	if (origin < 0)
		verify_bad(out, "no origin entry by the creator");
	else if (!out->v[origin].ok)
		verify_bad(out, out->v[origin].reason);
	else
		out->ok = 1;
	return 0;
}

struct verify_stream {
	struct node		*n;
	verify_report_fn	*fn;
	void			*arg;
	size_t			*nbad;
};

static int
verify_elem(size_t index, json_t *obj, const struct tx_err *elem_err,
    void *payload)
{
	struct verify_stream	*vs = payload;
	struct verify_result	 r;
	int			 rc = 0;

	if (obj == NULL) {
		memset(&r, 0, sizeof(r));
		tx_err_format(elem_err, r.why, sizeof(r.why));
		r.reason = r.why;
	} else if ((rc = verify_object(&r, vs->n, obj)) < 0)
		return rc;
	r.index = index;
	if (!r.ok)
		(*vs->nbad)++;
	vs->fn(&r, vs->arg);
	return 0;
}

int
verify_fd(struct node *n, int fd, verify_report_fn *fn, void *arg,
    size_t *nbad, struct tx_err *err)
{
	struct verify_stream	vs = { n, fn, arg, nbad };
	struct stix_limits	lim;
	struct stix_doc_info	info;
	int			rc;

	*nbad = 0;
	stix_limits_default(&lim);
	rc = stix_stream_fd(&info, fd, &lim, verify_elem, &vs, err);
	if (rc == TX_ENOMEM)
		tx_err_set(err, TX_ENOMEM, "out of memory");
	return rc;
}

int
verify_mem(struct node *n, const uint8_t *buf, size_t len,
    verify_report_fn *fn, void *arg, size_t *nbad, struct tx_err *err)
{
	struct verify_stream	vs = { n, fn, arg, nbad };
	struct stix_limits	lim;
	struct stix_doc_info	info;
	int			rc;

	*nbad = 0;
	stix_limits_default(&lim);
	rc = stix_stream_mem(&info, buf, len, &lim, verify_elem, &vs, err);
	if (rc == TX_ENOMEM)
		tx_err_set(err, TX_ENOMEM, "out of memory");
	return rc;
}
