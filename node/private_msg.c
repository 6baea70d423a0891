/* SPDX-License-Identifier: Apache-2.0 */
/*
 * private_msg.c - the private lookup's messages as a member reads them
 * (DESIGN §12, docs/protocol.md "Private lookup"): a page of the holder's
 * set, a batch of blinded elements, an answer of evaluations with its
 * proof; and the OPRF input of a value. Pure: JSON and base64url in,
 * bounded arrays out; the private fuzz harness covers this file whole.
 * The protocol around them (keys, budget, TLS, the partner's rounds) is
 * private.c's.
 *
 * Trust: every body is the other member's, hostile: strictly decoded,
 * bounded by PRIVATE_SET_MAX, PRIVATE_PAGE_MAX and PRIVATE_BATCH_MAX, and
 * freed on every error.
 */
#include "private.h"
#include "hash.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
private_input(uint8_t *out, size_t cap, size_t *len, const char *kind,
    const char *key)
{
	size_t	kl = strlen(kind), vl = strlen(key);

	*len = 0;
	if (kl + 1 + vl > cap)
		return TX_ELIMIT;
	memcpy(out, kind, kl);
	out[kl] = 0x00;
	memcpy(out + kl + 1, key, vl);
	*len = kl + 1 + vl;
	return 0;
}

void
private_page_free(struct private_page *pg)
{
	json_decref(pg->statement);
	free(pg->elems);
	memset(pg, 0, sizeof(*pg));
}

int
private_page_parse(struct private_page *pg, const char *body, size_t len,
    struct tx_err *err)
{
	const char	*st, *el;
	json_t		*j, *jt, *jo;
	json_error_t	 je;
	size_t		 el_len;
	int		 dl, rc = 0;

	memset(pg, 0, sizeof(*pg));
	if ((j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je)) == NULL)
		return tx_err_set(err, TX_EINVAL, "private set: not JSON: "
		    "%.80s", je.text);
	st = json_string_value(json_object_get(j, "stamp"));
	el = json_string_value(json_object_get(j, "elements"));
	jt = json_object_get(j, "total");
	jo = json_object_get(j, "offset");
	if (!json_is_object(json_object_get(j, "statement")) || st == NULL ||
	    el == NULL || strlen(st) >= sizeof(pg->stamp) ||
	    !json_is_integer(jt) || json_integer_value(jt) < 0 ||
	    json_integer_value(jt) > PRIVATE_SET_MAX || !json_is_integer(jo) ||
	    json_integer_value(jo) < 0 ||
	    json_integer_value(jo) > json_integer_value(jt) ||
	    (el_len = strlen(el)) > b64url_len(PRIVATE_PAGE_MAX *
	    PRIVATE_TRUNC)) {
		rc = tx_err_set(err, TX_EINVAL, "private set: malformed page");
		goto out;
	}
	snprintf(pg->stamp, sizeof(pg->stamp), "%s", st);
	pg->total = (size_t)json_integer_value(jt);
	pg->offset = (size_t)json_integer_value(jo);
	if ((pg->elems = malloc(el_len)) == NULL) {	/* >= decoded */
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto out;
	}
	dl = b64url_decode(pg->elems, el_len, el, el_len);
	if (dl < 0 || dl % PRIVATE_TRUNC != 0 ||
	    (size_t)dl / PRIVATE_TRUNC > pg->total - pg->offset ||
	    (dl == 0 && pg->offset < pg->total)) {
		rc = tx_err_set(err, TX_EINVAL, "private set: bad elements at "
		    "%zu", pg->offset);
		goto out;
	}
	pg->count = (size_t)dl / PRIVATE_TRUNC;
	pg->statement = json_incref(json_object_get(j, "statement"));
out:
	json_decref(j);
	if (rc < 0)
		private_page_free(pg);
	return rc;
}

int
private_batch_parse(uint8_t (**out)[OPRF_NE], size_t *n, const char *body,
    size_t len, struct tx_err *err)
{
	const char	*s;
	json_t		*j, *a;
	size_t		 i, cnt;

	*out = NULL;
	*n = 0;
	if ((j = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return tx_err_set(err, TX_EINVAL, "evaluate: not JSON");
	a = json_object_get(j, "blinded");
	cnt = json_array_size(a);
	if (!json_is_array(a) || cnt == 0 || cnt > PRIVATE_BATCH_MAX ||
	    json_object_size(j) != 1) {
		json_decref(j);
		return tx_err_set(err, TX_EINVAL, "evaluate: blinded is 1 to "
		    "%d elements, and alone", PRIVATE_BATCH_MAX);
	}
	if ((*out = calloc(cnt, OPRF_NE)) == NULL) {
		json_decref(j);
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	}
	for (i = 0; i < cnt; i++)
		if ((s = json_string_value(json_array_get(a, i))) == NULL ||
		    b64url_decode((*out)[i], OPRF_NE, s, strlen(s)) !=
		    OPRF_NE) {
			json_decref(j);
			free(*out);
			*out = NULL;
			return tx_err_set(err, TX_EINVAL, "evaluate: "
			    "blinded[%zu] is not 32 bytes of base64url", i);
		}
	json_decref(j);
	*n = cnt;
	return 0;
}

int
private_answer_parse(uint8_t (*ev)[OPRF_NE], size_t n,
    uint8_t proof[OPRF_PROOF], const char *body, size_t len,
    struct tx_err *err)
{
	const char	*s;
	json_t		*j, *a;
	size_t		 i;
	int		 rc = 0;

	if ((j = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return tx_err_set(err, TX_EINVAL, "evaluate: answer not JSON");
	a = json_object_get(j, "evaluated");
	if (!json_is_array(a) || json_array_size(a) != n ||
	    (s = json_string_value(json_object_get(j, "proof"))) == NULL ||
	    b64url_decode(proof, OPRF_PROOF, s, strlen(s)) != OPRF_PROOF)
		rc = tx_err_set(err, TX_EINVAL, "evaluate: malformed answer");
	for (i = 0; rc == 0 && i < n; i++)
		if ((s = json_string_value(json_array_get(a, i))) == NULL ||
		    b64url_decode(ev[i], OPRF_NE, s, strlen(s)) != OPRF_NE)
			rc = tx_err_set(err, TX_EINVAL, "evaluate: element %zu "
			    "malformed", i);
	json_decref(j);
	return rc;
}
