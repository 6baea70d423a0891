/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_auth.c - subscribers that present no client certificate (DESIGN
 * §3, §8): HTTP Basic (user = the subscriber's name) or a bearer token,
 * checked against the slow KDF hash node.conf holds (crypto/kdf.h).
 *
 * Trust: the Authorization header is the client's. A connection without
 * a certificate receives nothing but 401 (or 429) until one of its requests
 * carries a subscriber's valid credentials; it stays in the pre-auth caps
 * until then (server_conn.c). The KDF is an attack surface (about 50 ms
 * and 16 MiB a run), so:
 *  - a secret verified once is remembered for SRV_AUTH_CACHE_S as an
 *    HMAC under a key drawn at start (never the secret itself), bound to
 *    the subscriber's stored hash (a new password or a removal voids it),
 *    and compared in constant time: a client's later requests cost an
 *    HMAC, not a KDF run;
 *  - failures are limited per source address (SRV_AUTH_SRC_* token
 *    bucket): over it, a secret not remembered receives 429 with
 *    Retry-After, before any KDF work (malformed credentials and unknown
 *    names cost nothing and are 401, but count as failures);
 *  - KDF runs for secrets not remembered are limited node-wide
 *    (SRV_AUTH_KDF_*), so many sources together cannot burn the CPU;
 *  - failures are counted (/metrics), logged under the server's log rate
 *    limit and audited as one row a minute at most (srv_auth_audit).
 * Secrets are never logged, audited or kept past the request.
 */
#include "server_int.h"
#include "server_auth.h"
#include "audit.h"
#include "kdf.h"

#include <event2/buffer.h>
#include <event2/http.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* --- verification (the server's) --- */

/* The remembered proof for a subscriber: its HMAC, under the hash. */
static void
proof_of(const struct srv_auth *a, const struct cfg_client *cl,
    const struct srv_auth_cred *cr, uint8_t mac[SRV_AUTH_MAC_LEN])
{
	uint8_t		msg[REG_NAME_MAX + REG_HASH_MAX + SRV_AUTH_SECRET_MAX];
	size_t		nl = strlen(cl->name) + 1, hl = strlen(cl->hash) + 1;
	unsigned int	ml = SRV_AUTH_MAC_LEN;

	memset(mac, 0, SRV_AUTH_MAC_LEN);
	if (nl + hl + cr->secret_len > sizeof(msg))
		return;
	memcpy(msg, cl->name, nl);
	memcpy(msg + nl, cl->hash, hl);
	memcpy(msg + nl + hl, cr->secret, cr->secret_len);
	if (HMAC(EVP_sha256(), a->key, sizeof(a->key), msg, nl + hl +
	    cr->secret_len, mac, &ml) == NULL)
		memset(mac, 0, SRV_AUTH_MAC_LEN);
	OPENSSL_cleanse(msg, sizeof(msg));
}

static struct srv_auth_slot *
slot_of(struct srv_auth *a, const char *name, int make)
{
	struct srv_auth_slot	*free_slot = NULL, *old = NULL;
	size_t			 i;

	for (i = 0; i < SRV_AUTH_SLOTS; i++) {
		if (a->slots[i].used && strcmp(a->slots[i].name, name) == 0)
			return &a->slots[i];
		if (!a->slots[i].used && free_slot == NULL)
			free_slot = &a->slots[i];
		if (a->slots[i].used && (old == NULL ||
		    a->slots[i].until_us < old->until_us))
			old = &a->slots[i];
	}
	if (!make)
		return NULL;
	if (free_slot == NULL)
		free_slot = old;
	memset(free_slot, 0, sizeof(*free_slot));
	free_slot->used = 1;
	snprintf(free_slot->name, sizeof(free_slot->name), "%s", name);
	return free_slot;
}

/* The failure bucket of the source key (made, or the stalest reused). */
static struct srv_auth_src *
src_of(struct srv_auth *a, const uint8_t key[SRV_SRC_KEY_LEN])
{
	struct srv_auth_src	*old = &a->srcs[0];
	size_t			 i;

	for (i = 0; i < SRV_AUTH_SRCS; i++) {
		if (a->srcs[i].used && memcmp(a->srcs[i].key, key,
		    SRV_SRC_KEY_LEN) == 0)
			return &a->srcs[i];
		if (!a->srcs[i].used) {
			old = &a->srcs[i];
			break;
		}
		if (a->srcs[i].seen_us < old->seen_us)
			old = &a->srcs[i];
	}
	memset(old, 0, sizeof(*old));
	old->used = 1;
	memcpy(old->key, key, SRV_SRC_KEY_LEN);
	return old;
}

static const struct srv_rate	src_rate = { SRV_AUTH_SRC_PER_S,
				    SRV_AUTH_SRC_BURST };
static const struct srv_rate	kdf_rate = { SRV_AUTH_KDF_PER_S,
				    SRV_AUTH_KDF_BURST };

/* Seconds until bucket b under r holds a token again (at least 1). */
static int
wait_s(const struct srv_bucket *b, const struct srv_rate *r)
{
	double	need = 1.0 - b->tokens;
	int	s;

	if (need <= 0 || r->per_s <= 0)
		return 1;
	s = (int)(need / r->per_s) + 1;
	return s < 1 ? 1 : s > 3600 ? 3600 : s;
}

/* A failure: counted, logged under the rate limit, audited later. */
static void
failed(struct server *s, struct srv_auth_src *src, int64_t now,
    const char *addr, const char *name, const char *why)
{
	struct srv_auth	*a = &s->auth;

	a->failed++;
	if (src != NULL) {
		src->seen_us = now;
		(void)srv_bucket_take(&src->fails, &src_rate, now);
	}
	snprintf(a->last_fail, sizeof(a->last_fail), "%s%s%s from %s",
	    name != NULL ? name : "", name != NULL ? ": " : "", why, addr);
	srv_logr(s, "subscriber authentication failed: %s (%lu so far)",
	    a->last_fail, a->failed);
}

int
srv_auth_request(struct server *s, struct evhttp_request *req,
    struct srv_caller *out, int *retry_s)
{
	struct srv_auth		*a = &s->auth;
	struct srv_auth_cred	 cr;
	struct srv_auth_src	*src = NULL;
	struct srv_auth_slot	*sl;
	struct cfg_client	*cl;
	struct srv_bucket	 peek;
	struct tx_err		 err;
	uint8_t			 key[SRV_SRC_KEY_LEN], mac[SRV_AUTH_MAC_LEN];
	const char		*hdr, *why;
	char			 addr[64];
	int64_t			 now = node_mono_us();
	int			 rc;

	*retry_s = 0;
	if (!a->keyed) {
		if (RAND_bytes(a->key, sizeof(a->key)) != 1)
			return TX_EFAIL;
		a->keyed = 1;
	}
	hdr = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Authorization");
	if (hdr == NULL)
		return TX_EAUTH;	/* asked for nothing: not a failure */
	srv_conn_source(req, key, addr, sizeof(addr));
	src = src_of(a, key);
	if (srv_auth_parse(&cr, hdr, strlen(hdr), &why) < 0) {
		failed(s, src, now, addr, NULL, why);
		return TX_EAUTH;
	}
	rc = TX_EAUTH;
	cl = registry_client_by_name(&s->n->cfg.reg, cr.name);
	if (cl == NULL || (cr.scheme == SRV_AUTH_BASIC ?
	    cl->auth != REG_AUTH_BASIC : cl->auth != REG_AUTH_TOKEN)) {
		failed(s, src, now, addr, cr.name, cr.scheme == SRV_AUTH_BASIC ?
		    "no subscriber by that name with a password" :
		    "no subscriber by that name with a token");
		goto out;
	}
	proof_of(a, cl, &cr, mac);
	sl = slot_of(a, cl->name, 0);
	if (sl != NULL && now < sl->until_us &&
	    strcmp(sl->hash, cl->hash) == 0 &&
	    CRYPTO_memcmp(sl->mac, mac, sizeof(mac)) == 0) {
		rc = 0;
		goto ok;
	}
	/*
	 * A KDF run: only while the source is within its failure budget
	 * (a remembered secret above costs an HMAC and passes even when
	 * its source is over it), and within the node-wide budget.
	 */
	peek = src->fails;
	if (srv_bucket_take(&peek, &src_rate, now) < 0) {
		a->limited++;
		src->seen_us = now;
		*retry_s = wait_s(&peek, &src_rate);
		rc = TX_ELIMIT;
		goto out;
	}
	if (srv_bucket_take(&a->kdf, &kdf_rate, now) < 0) {
		a->limited++;
		*retry_s = wait_s(&a->kdf, &kdf_rate);
		rc = TX_ELIMIT;
		goto out;
	}
	a->kdf_runs++;
	tx_err_clear(&err);
	if ((rc = kdf_verify(cl->hash, cr.secret, cr.secret_len, &err)) != 1) {
		failed(s, src, now, addr, cl->name, rc == 0 ?
		    (cr.scheme == SRV_AUTH_BASIC ? "wrong password" :
		    "wrong token") : "stored hash unusable");
		rc = TX_EAUTH;
		goto out;
	}
	if ((sl = slot_of(a, cl->name, 1)) != NULL) {
		snprintf(sl->hash, sizeof(sl->hash), "%s", cl->hash);
		memcpy(sl->mac, mac, sizeof(mac));
		sl->until_us = now + SRV_AUTH_CACHE_S * 1000000LL;
	}
	rc = 0;
ok:
	a->ok++;
	out->who = SRV_SUBSCRIBER;
	out->client = cl;
	srv_caller_bind(out, cl);
out:
	OPENSSL_cleanse(&cr, sizeof(cr));
	OPENSSL_cleanse(mac, sizeof(mac));
	return rc;
}

void
srv_auth_audit(struct server *s)
{
	struct srv_auth		*a = &s->auth;
	struct srv_client_stats	*st;
	char			 line[300];
	size_t			 i;

	for (i = 0; i < SRV_AUTH_SLOTS; i++) {
		st = &a->cstats[i];
		if (st->name[0] == '\0' ||
		    (st->requests == st->requests_audited &&
		    st->limited == st->limited_audited))
			continue;
		snprintf(line, sizeof(line), "subscriber %s: %lu requests, %lu "
		    "over its rate", st->name, st->requests -
		    st->requests_audited, st->limited - st->limited_audited);
		if (srv_audit(s, "subscriber-requests", line) == 0) {
			st->requests_audited = st->requests;
			st->limited_audited = st->limited;
		}
	}
	if (a->failed == a->failed_audited && a->limited == a->limited_audited)
		return;
	snprintf(line, sizeof(line), "%lu subscriber authentications failed, "
	    "%lu refused over a limit; last: %s", a->failed - a->failed_audited,
	    a->limited - a->limited_audited, a->last_fail[0] != '\0' ?
	    a->last_fail : "none");
	if (srv_audit(s, "auth-failed", line) == 0) {
		a->failed_audited = a->failed;
		a->limited_audited = a->limited;
	}
}

/* --- per-subscriber request accounting --- */

struct srv_client_stats *
srv_client_stats_of(struct server *s, const char *name)
{
	struct srv_auth		*a = &s->auth;
	struct srv_client_stats	*st, *spare = NULL;
	size_t			 i;

	for (i = 0; i < SRV_AUTH_SLOTS; i++) {
		st = &a->cstats[i];
		if (st->name[0] != '\0' && strcmp(st->name, name) == 0)
			return st;
		if (spare == NULL && (st->name[0] == '\0' ||
		    registry_client_by_name(&s->n->cfg.reg, st->name) == NULL))
			spare = st;
	}
	if (spare == NULL)
		return NULL;
	memset(spare, 0, sizeof(*spare));
	snprintf(spare->name, sizeof(spare->name), "%s", name);
	return spare;
}

int
srv_client_rate_take(struct server *s, const struct cfg_client *cl,
    int *retry_s)
{
	struct srv_client_stats	*st = srv_client_stats_of(s, cl->name);
	struct srv_rate		 r;

	*retry_s = 1;
	if (st == NULL)
		return 0;
	srv_rate_of_peer(&r, cl->rate > 0 ? cl->rate : s->n->cfg.client_rate);
	st->requests++;
	if (srv_bucket_take(&st->bucket, &r, node_mono_us()) < 0) {
		st->limited++;
		*retry_s = wait_s(&st->bucket, &r);
		return TX_ELIMIT;
	}
	return 0;
}

void
srv_auth_metrics(struct server *s, struct evbuffer *b)
{
	struct srv_auth	*a = &s->auth;
	size_t		 i;

	for (i = 0; i < SRV_AUTH_SLOTS; i++)
		if (a->cstats[i].name[0] != '\0')
			evbuffer_add_printf(b, "threatex_requests_total{"
			    "subscriber=\"%s\"} %lu\nthreatex_rate_limited_"
			    "total{subscriber=\"%s\"} %lu\n", a->cstats[i].name,
			    a->cstats[i].requests, a->cstats[i].name,
			    a->cstats[i].limited);
	evbuffer_add_printf(b,
	    "# TYPE threatex_auth_ok_total counter\n"
	    "threatex_auth_ok_total %lu\n"
	    "# TYPE threatex_auth_failures_total counter\n"
	    "threatex_auth_failures_total %lu\n"
	    "# TYPE threatex_auth_limited_total counter\n"
	    "threatex_auth_limited_total %lu\n"
	    "# TYPE threatex_auth_kdf_total counter\n"
	    "threatex_auth_kdf_total %lu\n", a->ok, a->failed, a->limited,
	    a->kdf_runs);
}
