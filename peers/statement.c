/* SPDX-License-Identifier: Apache-2.0 */
/*
 * statement.c - rotation and revocation statements; see statement.h.
 * Statements arrive from peers and relays: every field is checked, the
 * signature is verified under the roster's key for (signer, kid), and the
 * roster itself enforces the commitment and the key order.
 */
#include "statement.h"
#include "batch.h"
#include "hash.h"
#include "ids.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

int
statement_is(const json_t *obj)
{
	const char	*t = str(obj, "type");

	return t != NULL && (strcmp(t, ROTATION_TYPE) == 0 ||
	    strcmp(t, REVOCATION_TYPE) == 0);
}

/* Common STIX properties of a statement object. */
static json_t *
statement_new(const char *type, const char *identity, const char *clear,
    int64_t now_us)
{
	char	id[160], uuid[37], ts[BATCH_TIME_LEN + 1];

	stix_uuid4(uuid);
	snprintf(id, sizeof(id), "%s--%s", type, uuid);
	batch_format_time(ts, now_us);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[s]}", "type", type,
	    "spec_version", "2.1", "id", id, "created", ts, "modified", ts,
	    "created_by_ref", identity, "object_marking_refs", clear);
}

static int
sign(json_t *o, const char *purpose, const char *identity,
    const struct sig_key *k, int64_t now_us, struct tx_err *err)
{
	struct batch_signer	s = { k, identity };

	return batch_sign_statement(o, purpose, &s, now_us, err);
}

int
statement_rotation(json_t **out, const char *identity,
    const struct sig_key *cur, const uint8_t new_pub[SIG_PUB_LEN],
    const uint8_t next_hash[32], const char *clear_marking, int64_t now_us,
    struct tx_err *err)
{
	json_t	*o;
	char	 prev[SIG_KID_HEX], kid[SIG_KID_HEX], pub[64], nh[64];
	int	 rc;

	*out = NULL;
	sig_key_kid(cur, prev);
	sig_kid_of_public(kid, new_pub, SIG_PUB_LEN);
	b64url_encode(pub, new_pub, SIG_PUB_LEN);
	b64url_encode(nh, next_hash, 32);
	if ((o = statement_new(ROTATION_TYPE, identity, clear_marking,
	    now_us)) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	json_object_set_new(o, "previous_kid", json_string(prev));
	json_object_set_new(o, "new_key", json_string(pub));
	json_object_set_new(o, "new_kid", json_string(kid));
	json_object_set_new(o, "next_key_sha256", json_string(nh));
	if ((rc = sign(o, ROTATION_PURPOSE, identity, cur, now_us, err)) < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

int
statement_revocation(json_t **out, const char *identity,
    const struct sig_key *signer, const char *kid,
    const char (*roots)[ROSTER_ROOT_B64], size_t nroots,
    const char *clear_marking, int64_t now_us, struct tx_err *err)
{
	json_t	*o, *arr;
	size_t	 i;
	int	 rc;

	*out = NULL;
	if (nroots > REVOCATION_ROOTS_MAX)
		return tx_err_set(err, TX_ELIMIT, "more than %d vouched roots",
		    REVOCATION_ROOTS_MAX);
	if ((o = statement_new(REVOCATION_TYPE, identity, clear_marking,
	    now_us)) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	arr = json_array();
	for (i = 0; i < nroots; i++)
		json_array_append_new(arr, json_string(roots[i]));
	json_object_set_new(o, "revoked_kid", json_string(kid));
	json_object_set_new(o, "vouched_roots", arr);
	if ((rc = sign(o, REVOCATION_PURPOSE, identity, signer, now_us,
	    err)) < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

static int
apply_rotation(struct roster *r, const json_t *o,
    const struct batch_verdict *v, struct tx_err *err)
{
	const char	*prev = str(o, "previous_kid"), *pub = str(o, "new_key");
	const char	*nh = str(o, "next_key_sha256");
	const char	*nkid = str(o, "new_kid");
	uint8_t		 raw[SIG_PUB_LEN], next[32];
	char		 kid[SIG_KID_HEX];

	if (!hex_is_sha256(prev) || !hex_is_sha256(nkid) || pub == NULL || nh == NULL ||
	    b64url_decode(raw, sizeof(raw), pub, strlen(pub)) != SIG_PUB_LEN ||
	    b64url_decode(next, sizeof(next), nh, strlen(nh)) != 32)
		return tx_err_set(err, TX_EINVAL, "rotation: previous_kid, "
		    "new_key, new_kid or next_key_sha256 malformed");
	sig_kid_of_public(kid, raw, sizeof(raw));
	if (strcmp(kid, nkid) != 0)
		return tx_err_set(err, TX_EINVAL, "rotation: new_kid is not the "
		    "kid of new_key");
	if (strcmp(prev, v->kid) != 0)
		return tx_err_set(err, TX_EAUTH, "rotation: not signed by the "
		    "key it rotates from");
	return roster_rotate(r, v->signer, prev, raw, sizeof(raw), next, err);
}

static int
apply_revocation(struct roster *r, const json_t *o,
    const struct batch_verdict *v, struct tx_err *err)
{
	const char	*kid = str(o, "revoked_kid");
	const json_t	*arr = json_object_get(o, "vouched_roots"), *e;
	char		(*roots)[ROSTER_ROOT_B64] = NULL;
	uint8_t		 raw[32];
	size_t		 i, n = json_array_size(arr);
	int		 rc;

	if (!hex_is_sha256(kid) || !json_is_array(arr) || n > REVOCATION_ROOTS_MAX)
		return tx_err_set(err, TX_EINVAL, "revocation: revoked_kid or "
		    "vouched_roots malformed");
	if (n > 0 && (roots = calloc(n, sizeof(*roots))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	json_array_foreach(arr, i, e) {
		const char *s = json_string_value(e);

		if (s == NULL || b64url_decode(raw, sizeof(raw), s,
		    strlen(s)) != 32) {
			free(roots);
			return tx_err_set(err, TX_EINVAL, "revocation: "
			    "vouched_roots[%zu] is not a base64url root", i);
		}
		memcpy(roots[i], s, strlen(s) + 1);
	}
	rc = roster_revoke(r, v->signer, kid, v->kid,
	    (const char (*)[ROSTER_ROOT_B64])roots, n, err);
	free(roots);
	return rc;
}

int
statement_apply(struct roster *r, const json_t *obj, struct tx_err *err)
{
	struct batch_verdict	 v;
	const char		*type = str(obj, "type");
	const char		*creator = str(obj, "created_by_ref");
	int			 rot, rc;

	if (!statement_is(obj))
		return tx_err_set(err, TX_EINVAL, "not a statement");
	rot = strcmp(type, ROTATION_TYPE) == 0;
	rc = batch_verify_statement(&v, obj, rot ? ROTATION_PURPOSE :
	    REVOCATION_PURPOSE, roster_key_cb, r, err);
	if (rc < 0 || !v.ok)
		return tx_err_set(err, rc < 0 ? rc : TX_EAUTH, "%s signature "
		    "invalid: %s", type, v.reason);
	if (creator == NULL || strcmp(creator, v.signer) != 0)
		return tx_err_set(err, TX_EAUTH, "%s signed by %s for %s", type,
		    v.signer, creator ? creator : "nobody");
	return rot ? apply_rotation(r, obj, &v, err) :
	    apply_revocation(r, obj, &v, err);
}
