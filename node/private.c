/* SPDX-License-Identifier: Apache-2.0 */
/*
 * private.c - private lookup between members (DESIGN §12): the holder's
 * keys, statements, private sets, evaluations and budget, and the
 * partner's lookup; see private.h and docs/protocol.md "Private lookup".
 *
 * Trust: on the holder, the partner is a mapped member and what it sends
 * are blinded group elements, each checked by oprf.c; nothing it sends is
 * logged, audited or kept beyond a count. On the partner, everything the
 * holder answers is hostile: the statement must verify under the
 * holder's key in our roster and name us, the set is bounded, and every
 * batch of evaluations must carry a proof that holds for the statement's
 * key before any answer is given.
 */
#include "private.h"
#include "audit.h"
#include "batch.h"
#include "config.h"
#include "hash.h"
#include "kinds.h"
#include "log.h"
#include "node.h"
#include "norm.h"
#include "policy.h"
#include "registry.h"
#include "roster.h"
#include "store_private.h"
#include "taxii_client.h"
#include "validate.h"

#include <openssl/crypto.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DAY_US		(86400LL * 1000000)
#define KEY_FILE_LEN	(OPRF_NS + OPRF_NE)
#define B64_ELEM	44	/* b64url of 32 bytes, and a NUL */
#define B64_PROOF	87	/* of 64 bytes, and a NUL */
#define CLIENT_TIMEOUT	60
#define CLIENT_CONNECT	10
#define CLIENT_MAX_RESP	(4 * 1024 * 1024)
#define SET_RETRIES	3	/* the set changed while paging */

/* --- the holder's keys --- */

static int
key_path(char *dst, size_t len, struct node *n, const char *peer,
    struct tx_err *err)
{
	char	rel[128];

	if (!registry_name_valid(peer))
		return tx_err_set(err, TX_EINVAL, "private lookup: bad member "
		    "name");
	snprintf(rel, sizeof(rel), "keys/oprf-%s.key", peer);
	if (cfg_path(dst, len, &n->cfg, rel) < 0)
		return tx_err_set(err, TX_EIO, "node directory path too long");
	return 0;
}

/* p's key from keys/oprf-NAME.key: TX_ENOTFOUND when there is none. */
static int
key_load(struct node *n, const char *peer, struct oprf_key *k,
    struct tx_err *err)
{
	char	 path[CFG_PATH_MAX + 64];
	uint8_t	*buf = NULL;
	size_t	 len = 0;
	int	 rc;

	if ((rc = key_path(path, sizeof(path), n, peer, err)) < 0)
		return rc;
	if (access(path, F_OK) != 0)
		return tx_err_setw(err, TX_ENOTFOUND, path, "no private lookup "
		    "key: run peer set %s --private-lookup on", peer);
	if ((rc = node_read_file(&buf, &len, path, KEY_FILE_LEN, err)) < 0)
		return rc;
	if (len != KEY_FILE_LEN) {
		OPENSSL_cleanse(buf, len);
		free(buf);
		return tx_err_setw(err, TX_EIO, path, "not a private lookup "
		    "key (%zu bytes, not %d)", len, KEY_FILE_LEN);
	}
	memcpy(k->sk, buf, OPRF_NS);
	memcpy(k->pk, buf + OPRF_NS, OPRF_NE);
	OPENSSL_cleanse(buf, len);
	free(buf);
	return 0;
}

/* A new key for peer, written 0600 (replacing an old one). */
static int
key_make(struct node *n, const char *peer, struct oprf_key *k,
    struct tx_err *err)
{
	char	path[CFG_PATH_MAX + 64], tmp[CFG_PATH_MAX + 80];
	uint8_t	buf[KEY_FILE_LEN];
	int	fd, rc;

	if ((rc = key_path(path, sizeof(path), n, peer, err)) < 0)
		return rc;
	if ((rc = oprf_init(err)) < 0 || (rc = oprf_keygen(k, err)) < 0)
		return rc;
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	(void)unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) < 0)
		return tx_err_setw(err, TX_EIO, tmp, "cannot create: %s",
		    strerror(errno));
	memcpy(buf, k->sk, OPRF_NS);
	memcpy(buf + OPRF_NS, k->pk, OPRF_NE);
	rc = write(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf) &&
	    fsync(fd) == 0 ? 0 : -1;
	OPENSSL_cleanse(buf, sizeof(buf));
	if (close(fd) != 0 || rc != 0 || rename(tmp, path) != 0) {
		(void)unlink(tmp);
		return tx_err_setw(err, TX_EIO, path, "cannot write: %s",
		    strerror(errno));
	}
	return 0;
}

/* --- statements --- */

/* The statement of pk for partner, signed by n->signing; *out owned. */
static int
statement_new(json_t **out, struct node *n, const char *partner,
    const uint8_t pk[OPRF_NE], struct tx_err *err)
{
	struct batch_signer	 s = { n->signing, n->cfg.identity };
	char			 pk64[B64_ELEM], ts[32];
	int64_t			 now = node_now_us();
	json_t			*o;
	int			 rc;

	*out = NULL;
	b64url_encode(pk64, pk, OPRF_NE);
	stix_time_format(ts, now);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s}", "type",
	    PRIVATE_STMT_TYPE, "holder", n->cfg.identity, "partner", partner,
	    "suite", PRIVATE_SUITE, "mode", "voprf", "pk", pk64, "truncation",
	    PRIVATE_TRUNC, "created", ts);
	if (o == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	if ((rc = batch_sign_statement(o, PRIVATE_STMT_PURPOSE, &s, now,
	    err)) < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

/*
 * Check a holder's statement: signed under holder's key in n's roster,
 * naming holder and us, our suite and truncation; pk receives its key.
 */
static int
statement_check(struct node *n, const json_t *o, const char *holder,
    uint8_t pk[OPRF_NE], struct tx_err *err)
{
	struct batch_verdict	 v;
	const char		*s;
	int			 rc;

	if (!json_is_object(o) || (s = json_string_value(json_object_get(o,
	    "type"))) == NULL || strcmp(s, PRIVATE_STMT_TYPE) != 0)
		return tx_err_set(err, TX_EINVAL, "statement: not an %s",
		    PRIVATE_STMT_TYPE);
	memset(&v, 0, sizeof(v));
	rc = batch_verify_statement(&v, o, PRIVATE_STMT_PURPOSE, roster_key_cb,
	    &n->roster, NULL);
	if (rc < 0 || !v.ok)
		return tx_err_set(err, TX_EAUTH, "statement: signature does "
		    "not verify: %.100s", v.reason);
	if (strcmp(v.signer, holder) != 0 ||
	    (s = json_string_value(json_object_get(o, "holder"))) == NULL ||
	    strcmp(s, holder) != 0)
		return tx_err_set(err, TX_EAUTH, "statement: not signed by the "
		    "holder");
	if ((s = json_string_value(json_object_get(o, "partner"))) == NULL ||
	    strcmp(s, n->cfg.identity) != 0)
		return tx_err_set(err, TX_EAUTH, "statement: made for another "
		    "partner");
	if ((s = json_string_value(json_object_get(o, "suite"))) == NULL ||
	    strcmp(s, PRIVATE_SUITE) != 0 ||
	    (s = json_string_value(json_object_get(o, "mode"))) == NULL ||
	    strcmp(s, "voprf") != 0 ||
	    json_integer_value(json_object_get(o, "truncation")) !=
	    PRIVATE_TRUNC)
		return tx_err_set(err, TX_EINVAL, "statement: suite, mode or "
		    "truncation not %s/voprf/%d", PRIVATE_SUITE, PRIVATE_TRUNC);
	if ((s = json_string_value(json_object_get(o, "pk"))) == NULL ||
	    b64url_decode(pk, OPRF_NE, s, strlen(s)) != OPRF_NE)
		return tx_err_set(err, TX_EINVAL, "statement: pk is not a "
		    "32-byte base64url element");
	return 0;
}

int
private_enable(struct node *n, const char *peer, char *pk_b64,
    struct tx_err *err)
{
	struct oprf_key	 k;
	struct cfg_peer	*p;
	json_t		*o = NULL;
	char		*txt = NULL, what[128];
	const char	*was;
	int		 rc, fresh = 0;

	memset(&k, 0, sizeof(k));
	if ((p = cfg_peer_by_name(&n->cfg, peer)) == NULL)
		return tx_err_set(err, TX_ENOTFOUND, "no member named %s",
		    peer);
	if (n->signing == NULL)
		return tx_err_set(err, TX_EPOLICY, "private lookup: the "
		    "signing key is needed to publish the key statement");
	if ((rc = store_private_init(n->st, err)) < 0)
		return rc;
	/*
	 * No statement for this identity (first time, or the name now names
	 * another identity): a new key. Else the key published before.
	 */
	rc = store_private_stmt_get(n->st, p->identity, &txt, err);
	free(txt);
	txt = NULL;
	if (rc == TX_ENOTFOUND)
		fresh = 1;
	else if (rc < 0)
		return rc;
	rc = fresh ? TX_ENOTFOUND : key_load(n, peer, &k, err);
	if (rc == TX_ENOTFOUND) {
		if ((rc = key_make(n, peer, &k, err)) < 0)
			goto out;
	} else if (rc < 0)
		goto out;
	if ((rc = statement_new(&o, n, p->identity, k.pk, err)) < 0)
		goto out;
	if ((txt = json_dumps(o, JSON_COMPACT)) == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = store_private_stmt_put(n->st, p->identity, txt, err)) < 0)
		goto out;
	was = json_string_value(json_object_get(o, "pk"));
	snprintf(what, sizeof(what), "%s pk=%s", peer, was);
	if ((rc = audit_append(n->st, "private-key", what, err)) < 0)
		goto out;
	if (pk_b64 != NULL)
		snprintf(pk_b64, B64_ELEM, "%s", was);
out:
	oprf_key_wipe(&k);
	json_decref(o);
	free(txt);
	return rc;
}

int
private_statement(struct node *n, const struct cfg_peer *p, char **json,
    struct tx_err *err)
{
	int	rc;

	*json = NULL;
	if ((rc = store_private_init(n->st, err)) < 0)
		return rc;
	return store_private_stmt_get(n->st, p->identity, json, err);
}

/* --- the private set --- */

struct set_build {
	const struct oprf_key	*k;
	struct policy_caller	 caller;
	char			 kind[64];
	char			 value[NORM_CANON_MAX];
	int			 have;		/* kind/value hold a group */
	int			 withheld;	/* a row kept from the caller */
	int			 visible;	/* a row it may see or sent */
	uint8_t			*set;
	size_t			 n, cap;
	struct tx_err		*err;
};

static int
set_flush(struct set_build *b)
{
	uint8_t	 in[PRIVATE_INPUT_MAX], out[OPRF_NH], *ns;
	size_t	 len;
	int	 rc;

	if (!b->have || !b->withheld || b->visible ||
	    obs_kind_by_name(b->kind) == NULL)
		return 0;
	if (private_input(in, sizeof(in), &len, b->kind, b->value) < 0)
		return 0;	/* no such value can be asked about */
	if (b->n >= PRIVATE_SET_MAX)
		return tx_err_set(b->err, TX_ELIMIT, "private set over %d "
		    "values", PRIVATE_SET_MAX);
	if ((rc = oprf_evaluate(out, OPRF_MODE_VERIFIABLE, b->k, in, len,
	    b->err)) < 0)
		return rc == TX_EINVAL ? 0 : rc;
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 256;
		if ((ns = realloc(b->set, b->cap * PRIVATE_TRUNC)) == NULL)
			return tx_err_set(b->err, TX_ENOMEM, "out of memory");
		b->set = ns;
	}
	memcpy(b->set + b->n * PRIVATE_TRUNC, out, PRIVATE_TRUNC);
	b->n++;
	return 0;
}

static int
set_row(const char *kind, const char *value, int lvl, int nr, int named,
    int origin, void *payload)
{
	struct set_build	*b = payload;
	struct policy_audience	 a = { lvl, nr };
	int			 rc;

	if (!b->have || strcmp(kind, b->kind) != 0 ||
	    strcmp(value, b->value) != 0) {
		if ((rc = set_flush(b)) < 0)
			return rc;
		b->have = strlen(kind) < sizeof(b->kind) &&
		    strlen(value) < sizeof(b->value);
		snprintf(b->kind, sizeof(b->kind), "%s", kind);
		snprintf(b->value, sizeof(b->value), "%s", value);
		b->withheld = b->visible = 0;
	}
	if (origin || policy_may_see(&b->caller, &a, named, 0))
		b->visible = 1;
	else if (lvl >= TLP_AMBER && lvl <= TLP_RED)
		b->withheld = 1;
	return 0;
}

static int
elem_cmp(const void *a, const void *b)
{
	return memcmp(a, b, PRIVATE_TRUNC);
}

int
private_set_build(struct node *n, const struct cfg_peer *p,
    const struct oprf_key *k, uint8_t **set, size_t *nset,
    struct tx_err *err)
{
	struct set_build	 b;
	size_t			 i, w;
	int			 rc;

	*set = NULL;
	*nset = 0;
	memset(&b, 0, sizeof(b));
	b.k = k;
	b.caller.kind = POLICY_MEMBER;
	b.caller.max_tlp = (int)p->max_tlp;
	b.caller.relay = p->relay;
	b.err = err;
	if ((rc = oprf_init(err)) < 0)
		return rc;
	if ((rc = store_private_rows(n->st, p->identity, set_row, &b,
	    err)) < 0 || (rc = set_flush(&b)) < 0) {
		free(b.set);
		return rc;
	}
	if (b.n > 1)
		qsort(b.set, b.n, PRIVATE_TRUNC, elem_cmp);
	for (i = w = 0; i < b.n; i++)
		if (w == 0 || memcmp(b.set + (w - 1) * PRIVATE_TRUNC,
		    b.set + i * PRIVATE_TRUNC, PRIVATE_TRUNC) != 0) {
			memmove(b.set + w * PRIVATE_TRUNC, b.set + i *
			    PRIVATE_TRUNC, PRIVATE_TRUNC);
			w++;
		}
	*set = b.set;
	*nset = w;
	return 0;
}

int
private_set(struct node *n, const struct cfg_peer *p, uint8_t **set,
    size_t *nset, char stamp[96], struct tx_err *err)
{
	struct oprf_key	k;
	char		base[STORE_PRIVATE_STAMP];
	int		rc;

	*set = NULL;
	*nset = 0;
	if ((rc = store_private_init(n->st, err)) < 0 ||
	    (rc = store_private_stamp(n->st, base, err)) < 0)
		return rc;
	/* What the partner may see is part of what the set depends on. */
	snprintf(stamp, 96, "%s.%d.%d", base, (int)p->max_tlp, p->relay);
	rc = store_private_set_get(n->st, p->identity, stamp, PRIVATE_TRUNC,
	    set, nset, err);
	if (rc != TX_ENOTFOUND)
		return rc;
	tx_err_clear(err);
	memset(&k, 0, sizeof(k));
	if ((rc = key_load(n, p->name, &k, err)) < 0)
		return rc;
	rc = private_set_build(n, p, &k, set, nset, err);
	oprf_key_wipe(&k);
	if (rc < 0)
		return rc;
	if ((rc = store_private_set_put(n->st, p->identity, stamp,
	    PRIVATE_TRUNC, *set, *nset, node_now_us(), err)) < 0) {
		free(*set);
		*set = NULL;
		*nset = 0;
	}
	return rc;
}

/* --- evaluations and the budget --- */

int
private_budget(struct node *n, const struct cfg_peer *p, int64_t *used,
    int64_t *reset_us, struct tx_err *err)
{
	int64_t	day = node_now_us() / DAY_US;
	int	rc;

	*used = 0;
	*reset_us = (day + 1) * DAY_US;
	if ((rc = store_private_init(n->st, err)) < 0)
		return rc;
	return store_private_budget_used(n->st, p->identity, day, used, err);
}

int
private_evaluate(struct node *n, const struct cfg_peer *p,
    const uint8_t (*blinded)[OPRF_NE], size_t cnt,
    uint8_t (*evaluated)[OPRF_NE], uint8_t proof[OPRF_PROOF],
    int64_t *reset_us, struct tx_err *err)
{
	struct oprf_key	k;
	int64_t		day = node_now_us() / DAY_US, used;
	char		what[128];
	int		rc;

	*reset_us = (day + 1) * DAY_US;
	if (!p->private_lookup)
		return tx_err_set(err, TX_EPOLICY, "private lookup is off for "
		    "this member");
	if (cnt == 0 || cnt > PRIVATE_BATCH_MAX)
		return tx_err_set(err, TX_EINVAL, "a batch holds 1 to %d "
		    "blinded elements", PRIVATE_BATCH_MAX);
	/* Over the budget: refused before any work (taken again below). */
	if ((rc = store_private_init(n->st, err)) < 0 ||
	    (rc = store_private_budget_used(n->st, p->identity, day, &used,
	    err)) < 0)
		return rc;
	if (used > (int64_t)p->private_budget - (int64_t)cnt)
		return tx_err_set(err, TX_ELIMIT, "private lookup budget of "
		    "%d values a day: %lld used, %zu more asked",
		    p->private_budget, (long long)used, cnt);
	memset(&k, 0, sizeof(k));
	if ((rc = oprf_init(err)) < 0 ||
	    (rc = key_load(n, p->name, &k, err)) < 0)
		return rc;
	/* Evaluated before the budget is taken: a bad element costs none. */
	if ((rc = oprf_blind_evaluate(evaluated, &k, blinded, cnt, err)) < 0 ||
	    (rc = voprf_prove(proof, &k, blinded,
	    (const uint8_t (*)[OPRF_NE])evaluated, cnt, NULL, err)) < 0)
		goto out;
	if ((rc = store_begin(n->st, err)) < 0)
		goto out;
	if ((rc = store_private_budget_take(n->st, p->identity, day,
	    p->private_budget, (int64_t)cnt, &used, err)) < 0) {
		store_rollback(n->st);
		goto out;
	}
	snprintf(what, sizeof(what), "%s: %zu values (%lld of %d today)",
	    p->name, cnt, (long long)used, p->private_budget);
	if ((rc = audit_append(n->st, "private-evaluate", what, err)) < 0) {
		store_rollback(n->st);
		goto out;
	}
	rc = store_commit(n->st, err);
out:
	oprf_key_wipe(&k);
	if (rc < 0) {
		memset(evaluated, 0, cnt * OPRF_NE);
		memset(proof, 0, OPRF_PROOF);
	}
	return rc;
}

/* --- the partner --- */

/* One holder being asked. */
struct ask {
	struct node		*n;
	struct cfg_peer		*p;
	struct taxii_conn	*c;
	uint8_t			 pk[OPRF_NE];
	uint8_t			*set;
	size_t			 nset;
	int64_t			 reset_us;
};

/* A value as it will be asked. */
struct value {
	const char	*raw;
	int		 rc;		/* < 0: not normalised */
	char		 why[200];
	char		 kind[32];
	char		 key[NORM_CANON_MAX];
	uint8_t		 in[PRIVATE_INPUT_MAX];
	size_t		 len;
	int		 held;
};

static void
conn_opts(struct taxii_opts *o, struct node *n, struct cfg_peer *p,
    char *crt, char *key, size_t len)
{
	cfg_path(crt, len, &n->cfg, "keys/tls.crt");
	cfg_path(key, len, &n->cfg, "keys/tls.key");
	memset(o, 0, sizeof(*o));
	o->base_url = p->url;
	o->pin = p->pin;
	o->ca_path = p->ca[0] != '\0' ? p->ca : NULL;
	o->identity = p->identity;
	o->cert_path = crt;
	o->key_path = key;
	o->connect_timeout_s = CLIENT_CONNECT;
	o->timeout_s = CLIENT_TIMEOUT;
	o->max_response = CLIENT_MAX_RESP;
}

static int
status_fail(long status, const char *what, const char *peer,
    struct tx_err *err)
{
	if (status == 404 || status == 403)
		return tx_err_set(err, TX_EPOLICY, "%s does not offer us "
		    "private lookup (HTTP %ld)", peer, status);
	return tx_err_set(err, TX_EIO, "%s: %s: HTTP %ld", peer, what,
	    status);
}

/* GET one page of the set at offset into a (appending). */
static int
fetch_page(struct ask *a, size_t off, char *stamp, size_t stamplen,
    size_t *total, struct tx_err *err)
{
	struct private_page	 pg;
	struct tx_err		 pe;
	char			 path[128], *body = NULL;
	size_t			 blen = 0;
	long			 status = 0;
	int			 rc;

	memset(&pg, 0, sizeof(pg));
	tx_err_clear(&pe);
	snprintf(path, sizeof(path), "api/private/?offset=%zu", off);
	if ((rc = taxii_get(a->c, path, &body, &blen, &status, err)) < 0)
		return rc;
	if (status != 200) {
		rc = status_fail(status, "private set", a->p->name, err);
		goto out;
	}
	if ((rc = private_page_parse(&pg, body, blen, &pe)) < 0) {
		rc = tx_err_set(err, rc, "%s: %s", a->p->name, pe.msg);
		goto out;
	}
	if (pg.offset != off) {
		rc = tx_err_set(err, TX_EINVAL, "%s: private set: page at %zu "
		    "for %zu", a->p->name, pg.offset, off);
		goto out;
	}
	if (off == 0) {
		if ((rc = statement_check(a->n, pg.statement, a->p->identity,
		    a->pk, err)) < 0)
			goto out;
		snprintf(stamp, stamplen, "%s", pg.stamp);
		*total = pg.total;
		free(a->set);
		a->set = NULL;
		a->nset = 0;
		if (pg.total > 0 && (a->set = malloc(pg.total *
		    PRIVATE_TRUNC)) == NULL) {
			rc = tx_err_set(err, TX_ENOMEM, "out of memory");
			goto out;
		}
	} else if (strcmp(stamp, pg.stamp) != 0 || pg.total != *total) {
		rc = 1;		/* changed while paging: start again */
		goto out;
	}
	if (pg.count > 0)
		memcpy(a->set + off * PRIVATE_TRUNC, pg.elems, pg.count *
		    PRIVATE_TRUNC);
	a->nset = off + pg.count;
out:
	private_page_free(&pg);
	free(body);
	return rc;
}

/* The holder's statement and whole set into a. */
static int
fetch_set(struct ask *a, struct tx_err *err)
{
	char	stamp[128] = "";
	size_t	total = 0;
	int	rc, tries;

	for (tries = 0; tries < SET_RETRIES; tries++) {
		rc = fetch_page(a, 0, stamp, sizeof(stamp), &total, err);
		while (rc == 0 && a->nset < total)
			rc = fetch_page(a, a->nset, stamp, sizeof(stamp),
			    &total, err);
		if (rc <= 0)
			return rc;
	}
	return tx_err_set(err, TX_EIO, "%s: the private set kept changing",
	    a->p->name);
}

/* One batch: blind, ask, verify, finalise, compare. */
static int
ask_batch(struct ask *a, struct value **v, size_t cnt, struct tx_err *err)
{
	uint8_t		(*bl)[OPRF_NE] = NULL, (*ev)[OPRF_NE] = NULL;
	uint8_t		(*blind)[OPRF_NS] = NULL, proof[OPRF_PROOF];
	uint8_t		 out[OPRF_NH];
	char		 e64[B64_ELEM], *req = NULL, *body = NULL;
	const char	*s;
	json_t		*arr = NULL, *j = NULL;
	struct tx_err	 pe;
	size_t		 i, blen = 0;
	long		 status = 0;
	int		 rc = 0;

	tx_err_clear(&pe);
	bl = calloc(cnt, OPRF_NE);
	ev = calloc(cnt, OPRF_NE);
	blind = calloc(cnt, OPRF_NS);
	if (bl == NULL || ev == NULL || blind == NULL ||
	    (arr = json_array()) == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < cnt; i++) {
		if ((rc = oprf_blind(blind[i], bl[i], OPRF_MODE_VERIFIABLE,
		    v[i]->in, v[i]->len, NULL, err)) < 0)
			goto out;
		b64url_encode(e64, bl[i], OPRF_NE);
		if (json_array_append_new(arr, json_string(e64)) != 0) {
			rc = tx_err_set(err, TX_ENOMEM, "out of memory");
			goto out;
		}
	}
	if ((j = json_pack("{s:O}", "blinded", arr)) == NULL ||
	    (req = json_dumps(j, JSON_COMPACT)) == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto out;
	}
	json_decref(j);
	j = NULL;
	if ((rc = taxii_post(a->c, "api/private/evaluate", req, strlen(req),
	    &body, &blen, &status, err)) < 0)
		goto out;
	if (status == 429) {
		if ((j = json_loadb(body, blen, 0, NULL)) != NULL &&
		    (s = json_string_value(json_object_get(j, "reset"))) !=
		    NULL)
			(void)taxii_time_parse(&a->reset_us, s);
		rc = tx_err_set(err, TX_ELIMIT, "%s: private lookup budget "
		    "exhausted", a->p->name);
		goto out;
	}
	if (status != 200) {
		rc = status_fail(status, "evaluate", a->p->name, err);
		goto out;
	}
	if ((rc = private_answer_parse(ev, cnt, proof, body, blen, &pe)) < 0) {
		rc = tx_err_set(err, rc, "%s: %s", a->p->name, pe.msg);
		goto out;
	}
	if ((rc = voprf_verify(a->pk, (const uint8_t (*)[OPRF_NE])bl,
	    (const uint8_t (*)[OPRF_NE])ev, cnt, proof, err)) < 0) {
		rc = tx_err_set(err, TX_EAUTH, "%s: the evaluations are not "
		    "proven for the key it published: answers refused",
		    a->p->name);
		goto out;
	}
	for (i = 0; i < cnt; i++) {
		if ((rc = oprf_finalize(out, OPRF_MODE_VERIFIABLE, v[i]->in,
		    v[i]->len, blind[i], ev[i], err)) < 0)
			goto out;
		v[i]->held = a->nset > 0 && bsearch(out, a->set, a->nset,
		    PRIVATE_TRUNC, elem_cmp) != NULL;
	}
	OPENSSL_cleanse(out, sizeof(out));
out:
	if (blind != NULL) {
		OPENSSL_cleanse(blind, cnt * OPRF_NS);
		free(blind);
	}
	free(bl);
	free(ev);
	free(req);
	free(body);
	json_decref(arr);
	json_decref(j);
	return rc;
}

/*
 * Ask holder p about every good value; reports for all. quiet: a holder
 * that does not offer us private lookup yields no report (0).
 */
static int
ask_holder(struct node *n, struct cfg_peer *p, struct value *vals,
    int nvalues, int quiet, private_report_fn *fn, void *payload,
    struct tx_err *err)
{
	struct ask		 a;
	struct taxii_opts	 o;
	struct private_report	 r;
	struct value		*batch[PRIVATE_BATCH_MAX];
	struct tx_err		 e;
	char			 crt[CFG_PATH_MAX + 32], key[CFG_PATH_MAX + 32];
	size_t			 nb;
	int			 i, j, rc;

	memset(&a, 0, sizeof(a));
	a.n = n;
	a.p = p;
	tx_err_clear(&e);
	conn_opts(&o, n, p, crt, key, sizeof(crt));
	if (p->identity_only || p->url[0] == '\0')
		rc = tx_err_set(&e, TX_EINVAL, "%s is never contacted",
		    p->name);
	else if ((rc = oprf_init(&e)) == 0 &&
	    (rc = taxii_conn_new(&a.c, &o, &e)) == 0)
		rc = fetch_set(&a, &e);
	/* Asking everyone: a member that does not offer it is passed over. */
	if (quiet && rc == TX_EPOLICY) {
		rc = 0;
		nvalues = 0;
	}
	for (i = 0; rc == 0 && i < nvalues; i = j) {
		for (nb = 0, j = i; j < nvalues && nb < PRIVATE_BATCH_MAX; j++)
			if (vals[j].rc == 0)
				batch[nb++] = &vals[j];
		if (nb > 0)
			rc = ask_batch(&a, batch, nb, &e);
	}
	for (i = 0; i < nvalues; i++) {
		if (vals[i].rc < 0)
			continue;	/* reported once by private_lookup */
		memset(&r, 0, sizeof(r));
		r.value = vals[i].raw;
		r.kind = vals[i].rc == 0 ? vals[i].kind : "";
		r.canonical = vals[i].rc == 0 ? vals[i].key : "";
		r.peer = p->name;
		r.set_size = a.nset;
		if (rc < 0) {
			r.verdict = PRIVATE_FAILED;
			r.rc = rc;
			r.why = e.msg;
			r.reset_us = a.reset_us;
		} else
			r.verdict = vals[i].held ? PRIVATE_HELD :
			    PRIVATE_NOT_HELD;
		fn(&r, payload);
	}
	if (rc < 0 && err != NULL && err->code == 0)
		*err = e;
	if (a.c != NULL)
		taxii_conn_free(a.c);
	free(a.set);
	return rc;
}

int
private_lookup(struct node *n, char **values, int nvalues, char **peers,
    int npeers, private_report_fn *fn, void *payload, struct tx_err *err)
{
	struct value		*vals;
	struct norm_result	 nr;
	struct private_report	 rep;
	const struct obs_kind	*k;
	struct cfg_peer		*p;
	struct tx_err		 e;
	size_t			 i;
	int			 v, rc, first = 0;

	if (nvalues < 0 || npeers < 0)
		return tx_err_set(err, TX_EINVAL, "private lookup: bad counts");
	if (nvalues > PRIVATE_VALUES_MAX)
		return tx_err_set(err, TX_ELIMIT, "private lookup: at most %d "
		    "values at once", PRIVATE_VALUES_MAX);
	for (v = 0; v < npeers; v++)
		if (cfg_peer_by_name(&n->cfg, peers[v]) == NULL)
			return tx_err_set(err, TX_ENOTFOUND, "no member named "
			    "%.64s", peers[v]);
	if ((vals = calloc(nvalues > 0 ? (size_t)nvalues : 1,
	    sizeof(*vals))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	for (v = 0; v < nvalues; v++) {
		vals[v].raw = values[v];
		tx_err_clear(&e);
		if ((vals[v].rc = norm_value(&nr, NORM_UNKNOWN, NULL,
		    values[v], strlen(values[v]), &e)) < 0) {
			snprintf(vals[v].why, sizeof(vals[v].why), "%s", e.msg);
			continue;
		}
		if ((k = obs_kind_get(nr.kind)) == NULL ||
		    private_input(vals[v].in, sizeof(vals[v].in),
		    &vals[v].len, k->name, obs_kind_key(k, &nr)) < 0) {
			vals[v].rc = TX_EINVAL;
			snprintf(vals[v].why, sizeof(vals[v].why), "not a "
			    "value that can be asked about");
			continue;
		}
		snprintf(vals[v].kind, sizeof(vals[v].kind), "%s", k->name);
		snprintf(vals[v].key, sizeof(vals[v].key), "%s",
		    obs_kind_key(k, &nr));
	}
	for (v = 0; v < nvalues; v++) {
		if (vals[v].rc == 0)
			continue;
		memset(&rep, 0, sizeof(rep));
		rep.value = vals[v].raw;
		rep.kind = rep.canonical = rep.peer = "";
		rep.verdict = PRIVATE_FAILED;
		rep.rc = vals[v].rc;
		rep.why = vals[v].why;
		fn(&rep, payload);
	}
	if (npeers > 0) {
		for (v = 0; v < npeers; v++) {
			p = cfg_peer_by_name(&n->cfg, peers[v]);
			rc = ask_holder(n, p, vals, nvalues, npeers == 0, fn,
			    payload, err);
			if (rc < 0 && first == 0)
				first = rc;
		}
	} else {
		for (i = 0; i < n->cfg.reg.npeers; i++) {
			p = &n->cfg.reg.peers[i];
			if (p->identity_only || p->url[0] == '\0')
				continue;
			rc = ask_holder(n, p, vals, nvalues, npeers == 0, fn,
			    payload, err);
			if (rc < 0 && first == 0)
				first = rc;
		}
	}
	for (v = 0; v < nvalues && first == 0; v++)
		if (vals[v].rc < 0) {
			first = vals[v].rc;
			tx_err_set(err, first, "%s", vals[v].why);
		}
	OPENSSL_cleanse(vals, (size_t)(nvalues > 0 ? nvalues : 1) *
	    sizeof(*vals));
	free(vals);
	return first;
}
