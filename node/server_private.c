/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_private.c - the two private lookup routes under the API root
 * (DESIGN §12, docs/protocol.md "Private lookup"), for members with
 * private_lookup on (for anyone else they are not there: 404):
 *
 *   GET  /api/private/?offset=N   the key statement, the set's stamp,
 *                                 size and one page of its elements, the
 *                                 budget (node/private.c builds the set)
 *   POST /api/private/evaluate    {"blinded": [B64...]} (1..1000) ->
 *                                 {"evaluated": [B64...], "proof": B64},
 *                                 429 with Retry-After and "reset" once
 *                                 the day's budget is spent
 *
 * Trust: the caller is a mapped member; its offset is bounded here, its
 * body is capped, parsed strictly, and every element is checked to be a
 * group element by oprf.c. Nothing of the body is logged or kept: the
 * audit records the batch's count (private_evaluate).
 */
#include "server_int.h"
#include "hash.h"
#include "private.h"
#include "taxii_client.h"

#include <event2/buffer.h>
#include <event2/http.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PRIV_BODY_MAX	(128 * 1024)	/* a batch of 1,000 is ~48 KiB */
#define B64_ELEM	44

/* The caller, when it may ask private lookups of us; else answered. */
static struct cfg_peer *
caller_ok(struct srv_call *c)
{
	struct cfg_peer	*p = c->caller.peer;

	if (p == NULL || !p->private_lookup) {
		srv_reply_error(c->req, 404, "no such resource");
		return NULL;
	}
	return p;
}

void
srv_private_set(struct srv_call *c)
{
	struct cfg_peer	*p;
	struct tx_err	 err;
	const char	*q;
	char		*stmt = NULL, *b64 = NULL, *end, stamp[96], reset[40];
	uint8_t		*set = NULL;
	size_t		 nset = 0, cnt;
	unsigned long long off = 0;
	int64_t		 used, reset_us;
	json_t		*js, *j;
	int		 rc;

	if ((p = caller_ok(c)) == NULL)
		return;
	if ((q = evhttp_find_header(c->query, "offset")) != NULL) {
		errno = 0;
		off = strtoull(q, &end, 10);
		if (q[0] < '0' || q[0] > '9' || *end != '\0' || errno != 0 ||
		    off > PRIVATE_SET_MAX)
			return srv_fail(c->req, TX_EINVAL, "offset= is a "
			    "number of elements");
	}
	tx_err_clear(&err);
	if ((rc = private_statement(c->s->n, p, &stmt, &err)) < 0) {
		srv_logr(c->s, "private set for %s: %s", p->name, err.msg);
		return srv_fail(c->req, rc, rc == TX_ENOTFOUND ?
		    "no such resource" : "store failure");
	}
	if ((js = json_loads(stmt, 0, NULL)) == NULL) {
		free(stmt);
		return srv_fail(c->req, TX_EFAIL, "statement unreadable");
	}
	free(stmt);
	if ((rc = private_set(c->s->n, p, &set, &nset, stamp, &err)) < 0 ||
	    (rc = private_budget(c->s->n, p, &used, &reset_us, &err)) < 0) {
		srv_logr(c->s, "private set for %s: %s", p->name, err.msg);
		json_decref(js);
		free(set);
		return srv_fail(c->req, rc, "cannot build the private set");
	}
	if (off > nset)
		off = nset;
	cnt = nset - (size_t)off;
	if (cnt > PRIVATE_PAGE_MAX)
		cnt = PRIVATE_PAGE_MAX;
	if ((b64 = malloc(b64url_len(cnt * PRIVATE_TRUNC) + 1)) == NULL) {
		json_decref(js);
		free(set);
		return srv_fail(c->req, TX_ENOMEM, "out of memory");
	}
	b64url_encode(b64, set != NULL ? set + (size_t)off * PRIVATE_TRUNC :
	    (const uint8_t *)"", cnt * PRIVATE_TRUNC);
	free(set);
	taxii_time_format(reset, reset_us);
	j = json_pack("{s:o, s:s, s:I, s:I, s:I, s:i, s:s, s:{s:i, s:I, s:s}}",
	    "statement", js, "stamp", stamp, "total", (json_int_t)nset,
	    "offset", (json_int_t)off, "count", (json_int_t)cnt, "truncation",
	    PRIVATE_TRUNC, "elements", b64, "budget", "per_day",
	    p->private_budget, "used", (json_int_t)used, "reset", reset);
	free(b64);
	if (j == NULL)
		return srv_fail(c->req, TX_ENOMEM, "out of memory");
	srv_reply_json(c->req, 200, j);
}

/* 429 with the reset time: Retry-After in seconds and "reset". */
static void
reply_budget(struct srv_call *c, const struct cfg_peer *p, int64_t reset_us)
{
	char	ts[40], secs[32];
	int64_t	left = (reset_us - node_now_us()) / 1000000 + 1;

	if (left < 1)
		left = 1;
	snprintf(secs, sizeof(secs), "%lld", (long long)left);
	taxii_time_format(ts, reset_us);
	evhttp_add_header(evhttp_request_get_output_headers(c->req),
	    "Retry-After", secs);
	srv_reply_json(c->req, 429, json_pack("{s:s, s:s, s:s, s:i}", "title",
	    "private lookup budget exhausted for today", "http_status", "429",
	    "reset", ts, "per_day", p->private_budget));
}

void
srv_private_evaluate(struct srv_call *c)
{
	struct cfg_peer		*p;
	struct evbuffer		*in;
	struct tx_err		 err;
	uint8_t			(*bl)[OPRF_NE] = NULL, (*ev)[OPRF_NE] = NULL;
	uint8_t			 proof[OPRF_PROOF];
	unsigned char		*body;
	char			 e64[B64_ELEM], p64[2 * B64_ELEM];
	size_t			 len, n = 0, i;
	int64_t			 reset_us = 0;
	json_t			*arr;
	int			 rc;

	if ((p = caller_ok(c)) == NULL)
		return;
	in = evhttp_request_get_input_buffer(c->req);
	if ((len = evbuffer_get_length(in)) > PRIV_BODY_MAX)
		return srv_reply_error(c->req, 413, "a batch is at most 1000 "
		    "blinded elements");
	if ((body = evbuffer_pullup(in, -1)) == NULL && len > 0)
		return srv_fail(c->req, TX_ENOMEM, "out of memory");
	tx_err_clear(&err);
	rc = private_batch_parse(&bl, &n, body != NULL ? (const char *)body :
	    "", len, &err);
	evbuffer_drain(in, len);
	if (rc < 0)
		return srv_fail(c->req, rc, rc == TX_EINVAL ? "the body is "
		    "an object: blinded, 1 to 1000 base64url elements" :
		    "out of memory");
	if ((ev = calloc(n, OPRF_NE)) == NULL) {
		free(bl);
		return srv_fail(c->req, TX_ENOMEM, "out of memory");
	}
	tx_err_clear(&err);
	rc = private_evaluate(c->s->n, p, (const uint8_t (*)[OPRF_NE])bl, n,
	    ev, proof, &reset_us, &err);
	free(bl);
	if (rc == TX_ELIMIT) {
		free(ev);
		return reply_budget(c, p, reset_us);
	}
	if (rc < 0) {
		free(ev);
		if (rc != TX_EINVAL)
			srv_logr(c->s, "private evaluate for %s: %s", p->name,
			    err.msg);
		return srv_fail(c->req, rc, rc == TX_EINVAL ? "an element is "
		    "not a ristretto255 group element" : rc == TX_ENOTFOUND ?
		    "no such resource" : "cannot evaluate");
	}
	if ((arr = json_array()) == NULL) {
		free(ev);
		return srv_fail(c->req, TX_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		b64url_encode(e64, ev[i], OPRF_NE);
		json_array_append_new(arr, json_string(e64));
	}
	free(ev);
	b64url_encode(p64, proof, OPRF_PROOF);
	srv_reply_json(c->req, 200, json_pack("{s:o, s:s}", "evaluated", arr,
	    "proof", p64));
}
