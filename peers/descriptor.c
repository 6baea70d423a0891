/* SPDX-License-Identifier: Apache-2.0 */
/*
 * descriptor.c - member descriptors; see descriptor.h. Input is a file an
 * operator received from another agency: parsed with strict intake, every
 * field checked, signature verified before anything is returned.
 */
#include "descriptor.h"
#include "batch.h"
#include "hash.h"
#include "ids.h"
#include "intake.h"

#include <stdio.h>
#include <string.h>

int
descriptor_build(json_t **out, const struct descriptor *d,
    const struct sig_key *key, int64_t now_us, struct tx_err *err)
{
	struct batch_signer	 s = { key, d->identity };
	json_t			*o;
	char			 pub[64], nh[64], id[128], uuid[37];
	char			 ts[BATCH_TIME_LEN + 1];
	int			 rc;

	*out = NULL;
	b64url_encode(pub, d->pub, sizeof(d->pub));
	b64url_encode(nh, d->next_hash, sizeof(d->next_hash));
	stix_uuid4(uuid);
	snprintf(id, sizeof(id), "x-threatex-descriptor--%s", uuid);
	batch_format_time(ts, now_us);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "type", "x-threatex-descriptor", "id", id, "created", ts,
	    "name", d->name, "identity_ref", d->identity,
	    "taxii_url", d->url, "tls_spki_sha256", d->tls_pin,
	    "signing_key", pub, "kid", d->kid, "next_key_sha256", nh);
	if (o == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	rc = batch_sign_statement(o, DESCRIPTOR_PURPOSE, &s, now_us, err);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

static int
get_str(char *dst, size_t len, const json_t *o, const char *k,
    struct tx_err *err)
{
	const char	*v = json_string_value(json_object_get(o, k));

	if (v == NULL)
		return tx_err_setw(err, TX_EINVAL, k, "required string missing");
	if (strlen(v) >= len || strlen(v) == 0)
		return tx_err_setw(err, TX_EINVAL, k, "empty or too long");
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

struct self_key {
	struct sig_key	*key;
	const char	*identity;
	const char	*kid;
};

/* Key callback: only the key the descriptor itself carries. */
static int
self_key_cb(const struct sig_key **out, const char *signer_id,
    const char *kid, const char *root_b64, void *payload)
{
	struct self_key	*sk = payload;

	*out = NULL;
	if (strcmp(signer_id, sk->identity) != 0 || strcmp(kid, sk->kid) != 0)
		return TX_ENOTFOUND;
	*out = sk->key;
	return 0;
}

static int
check_fields(struct descriptor *d, const json_t *o, struct tx_err *err)
{
	char	b64[128];
	int	rc, n;

	if ((rc = get_str(d->name, sizeof(d->name), o, "name", err)) < 0 ||
	    (rc = get_str(d->identity, sizeof(d->identity), o,
	    "identity_ref", err)) < 0 ||
	    (rc = get_str(d->url, sizeof(d->url), o, "taxii_url", err)) < 0 ||
	    (rc = get_str(d->tls_pin, sizeof(d->tls_pin), o,
	    "tls_spki_sha256", err)) < 0 ||
	    (rc = get_str(d->kid, sizeof(d->kid), o, "kid", err)) < 0)
		return rc;
	if (!stix_id_is_valid(d->identity, "identity"))
		return tx_err_setw(err, TX_EINVAL, "identity_ref",
		    "not an identity id");
	if (strncmp(d->url, "https://", 8) != 0)
		return tx_err_setw(err, TX_EINVAL, "taxii_url",
		    "must be an https:// URL");
	if (!hex_is_sha256(d->tls_pin))
		return tx_err_setw(err, TX_EINVAL, "tls_spki_sha256",
		    "must be 64 lowercase hex digits");
	if ((rc = get_str(b64, sizeof(b64), o, "signing_key", err)) < 0)
		return rc;
	n = b64url_decode(d->pub, sizeof(d->pub), b64, strlen(b64));
	if (n != SIG_PUB_LEN)
		return tx_err_setw(err, TX_EINVAL, "signing_key",
		    "must be 32 bytes, base64url");
	if ((rc = get_str(b64, sizeof(b64), o, "next_key_sha256", err)) < 0)
		return rc;
	n = b64url_decode(d->next_hash, sizeof(d->next_hash), b64,
	    strlen(b64));
	if (n != 32)
		return tx_err_setw(err, TX_EINVAL, "next_key_sha256",
		    "must be 32 bytes, base64url");
	return 0;
}

int
descriptor_parse(struct descriptor *out, const uint8_t *buf, size_t len,
    struct tx_err *err)
{
	struct stix_limits	 lim;
	struct batch_verdict	 v;
	struct self_key		 sk = { NULL, NULL, NULL };
	json_t			*o = NULL;
	char			 kid[SIG_KID_HEX];
	int			 rc;

	memset(out, 0, sizeof(*out));
	tx_err_clear(err);
	stix_limits_default(&lim);
	lim.max_object_bytes = 64 * 1024;
	if ((rc = stix_intake_object(&o, buf, len, &lim, err)) < 0)
		return rc;
	if (!json_is_string(json_object_get(o, "type")) ||
	    strcmp(json_string_value(json_object_get(o, "type")),
	    "x-threatex-descriptor") != 0) {
		rc = tx_err_setw(err, TX_EINVAL, "type",
		    "not an x-threatex-descriptor");
		goto out;
	}
	if ((rc = check_fields(out, o, err)) < 0)
		goto out;
	sig_kid_of_public(kid, out->pub, sizeof(out->pub));
	if (strcmp(kid, out->kid) != 0) {
		rc = tx_err_setw(err, TX_EINVAL, "kid",
		    "does not match signing_key");
		goto out;
	}
	if ((rc = sig_key_from_public(&sk.key, out->pub, sizeof(out->pub),
	    err)) < 0) {
		tx_err_prefix(err, "signing_key");
		goto out;
	}
	sk.identity = out->identity;
	sk.kid = out->kid;
	rc = batch_verify_statement(&v, o, DESCRIPTOR_PURPOSE, self_key_cb,
	    &sk, err);
	if (rc < 0 || !v.ok)
		rc = tx_err_setw(err, TX_EAUTH, "signatures",
		    "descriptor signature invalid: %s", v.reason);
out:
	sig_key_free(sk.key);
	json_decref(o);
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}
