/* SPDX-License-Identifier: Apache-2.0 */
/*
 * audit.c - the audit log's hash chain and its seals (DESIGN §6); see
 * audit.h. The rows are the store's (store_audit.c); this file holds the
 * chain's arithmetic on top of them: what an entry's hash covers, how an
 * entry is appended, how the chain is walked, how a seal is made and
 * checked.
 *
 * Trusts nothing it reads back: a row's prev, hash, event and time are
 * compared with what the chain says they must be, a seal file is read
 * with a size cap and strict JSON and its signature checked against the
 * roster. A store error is an error, never a short or empty chain.
 */
#include "audit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "hash.h"
#include "node.h"
#include "roster.h"
#include "store.h"
#include "validate.h"

int
audit_entry_hash(char out[AUDIT_HASH_HEX], const char *prev, int64_t ts_us,
    const char *event, const char *detail)
{
	/* prev (64) "|" ts (20) "|" event (AUDIT_EVENT_MAX) NUL */
	char	head[AUDIT_HASH_HEX + 24 + AUDIT_EVENT_MAX + 1];
	uint8_t	h[TX_SHA256_LEN];
	int	n;

	out[0] = '\0';
	if (strlen(prev) >= AUDIT_HASH_HEX || strlen(event) > AUDIT_EVENT_MAX)
		return TX_EINVAL;
	n = snprintf(head, sizeof(head), "%s|%lld|%s", prev, (long long)ts_us,
	    event);
	if (n < 0 || (size_t)n >= sizeof(head))
		return TX_EINVAL;
	/* The NUL after event separates it from detail. */
	hash_sha256_2(h, head, (size_t)n + 1, detail, strlen(detail));
	hex_encode(out, h, sizeof(h));
	return 0;
}

int
audit_append_at(struct store *st, int64_t ts_us, const char *event,
    const char *detail, struct tx_err *err)
{
	struct store_audit_row	 r;
	char			 prev[AUDIT_HASH_HEX], h[AUDIT_HASH_HEX];
	int64_t			 seq;
	int			 rc, own;

	if (strlen(event) > AUDIT_EVENT_MAX)
		return tx_err_set(err, TX_EINVAL, "audit event longer than %d "
		    "bytes", AUDIT_EVENT_MAX);
	/*
	 * Read the head and append in one write transaction: the server,
	 * the sync rounds and the CLI are separate writers, and a chain
	 * read outside one could fork.
	 */
	if ((rc = store_write_begin(st, &own, err)) < 0)
		return rc;
	if ((rc = store_audit_head(st, &seq, prev, err)) < 0)
		goto out;
	if ((rc = audit_entry_hash(h, prev, ts_us, event, detail)) < 0) {
		rc = tx_err_set(err, TX_EDB, "audit entry %lld: stored hash "
		    "malformed", (long long)seq);
		goto out;
	}
	memset(&r, 0, sizeof(r));
	r.ts_us = ts_us;
	r.event = event;
	r.detail = detail;
	r.prev = prev;
	r.hash = h;
	rc = store_audit_insert(st, &r, err);
out:
	return store_write_end(st, own, rc, err);
}

int
audit_append(struct store *st, const char *event, const char *detail,
    struct tx_err *err)
{
	return audit_append_at(st, node_now_us(), event, detail, err);
}

/* The walk: where the chain stands, and the first entry that broke it. */
struct walk {
	struct audit_head	head;
	int64_t			broken;		/* 0: none */
};

static int
walk_row(const struct store_audit_row *r, void *payload)
{
	struct walk	*w = payload;
	char		 h[AUDIT_HASH_HEX];

	if (r->seq != w->head.entries + 1 ||
	    strcmp(r->prev, w->head.hash) != 0 ||
	    audit_entry_hash(h, w->head.hash, r->ts_us, r->event,
	    r->detail) < 0 || strcmp(h, r->hash) != 0) {
		w->broken = r->seq;
		return -1;
	}
	memcpy(w->head.hash, h, sizeof(h));
	w->head.entries++;
	return 0;
}

int
audit_verify(struct store *st, struct audit_head *out, struct tx_err *err)
{
	struct walk	w;
	int		rc;

	memset(&w, 0, sizeof(w));
	snprintf(w.head.hash, sizeof(w.head.hash), "%s", AUDIT_GENESIS);
	rc = store_audit_each(st, 0, walk_row, &w, err);
	*out = w.head;
	if (rc < 0)
		return rc;
	if (w.broken != 0)
		return tx_err_set(err, TX_EAUTH, "audit entry %lld: hash chain "
		    "broken", (long long)w.broken);
	return 0;
}

struct list_ctx {
	int	(*fn)(const struct audit_entry *, void *);
	void	*arg;
	int	 rc;
};

static int
list_row(const struct store_audit_row *r, void *payload)
{
	struct list_ctx		*c = payload;
	struct audit_entry	 e;

	e.seq = r->seq;
	e.ts_us = r->ts_us;
	e.event = r->event;
	e.detail = r->detail;
	e.hash = r->hash;
	c->rc = c->fn(&e, c->arg);
	return c->rc < 0 ? -1 : 0;
}

int
audit_list(struct store *st, int64_t n,
    int (*fn)(const struct audit_entry *, void *), void *arg,
    struct tx_err *err)
{
	struct list_ctx	c = { fn, arg, 0 };
	int		rc;

	if ((rc = store_audit_each(st, n, list_row, &c, err)) < 0)
		return rc;
	return c.rc < 0 ? c.rc : 0;
}

int
audit_seal_new(json_t **out, const struct audit_head *h, const char *identity,
    const struct sig_key *key, int64_t now_us, struct tx_err *err)
{
	struct batch_signer	 s = { key, identity };
	json_t			*seal;
	char			 ts[32];
	int			 rc;

	*out = NULL;
	stix_time_format(ts, now_us);
	seal = json_pack("{s:s, s:s, s:I, s:s, s:s}", "type", AUDIT_SEAL_TYPE,
	    "node", identity, "seq", (json_int_t)h->entries, "head", h->hash,
	    "sealed", ts);
	if (seal == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	if ((rc = batch_sign_statement(seal, AUDIT_SEAL_PURPOSE, &s, now_us,
	    err)) < 0) {
		json_decref(seal);
		return rc;
	}
	*out = seal;
	return 0;
}

int
audit_seal_check(struct store *st, struct roster *r, const json_t *seal,
    struct tx_err *err)
{
	struct batch_verdict	 v;
	const json_t		*jseq = json_object_get(seal, "seq");
	const char		*head;
	char			 have[AUDIT_HASH_HEX];
	json_int_t		 seq;
	int			 rc;

	head = json_string_value(json_object_get(seal, "head"));
	seq = json_integer_value(jseq);
	memset(&v, 0, sizeof(v));
	rc = batch_verify_statement(&v, seal, AUDIT_SEAL_PURPOSE,
	    roster_key_cb, r, NULL);
	if (rc < 0 || !v.ok)
		return tx_err_set(err, TX_EAUTH, "seal signature invalid: %s",
		    v.reason);
	if (head == NULL || !json_is_integer(jseq) || seq < 0)
		return tx_err_set(err, TX_EINVAL, "seal without head or seq");
	if (seq == 0)
		return strcmp(head, AUDIT_GENESIS) == 0 ? 0 : tx_err_set(err,
		    TX_EAUTH, "seal of an empty log with a head");
	rc = store_audit_hash_at(st, seq, have, err);
	if (rc < 0 && rc != TX_ENOTFOUND)
		return rc;
	if (rc == TX_ENOTFOUND || strcmp(have, head) != 0)
		return tx_err_set(err, TX_EAUTH, "the chain no longer holds "
		    "the sealed head at entry %lld: rewritten", (long long)seq);
	return 0;
}

/* Write seal to path whole: a temporary file beside it, then rename. */
static int
seal_write(const json_t *seal, const char *path, struct tx_err *err)
{
	char	tmp[AUDIT_PATH_MAX + 8];

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return tx_err_setw(err, TX_EIO, path, "path too long");
	if (json_dump_file(seal, tmp, JSON_COMPACT) != 0) {
		unlink(tmp);
		return tx_err_setw(err, TX_EIO, path, "cannot write");
	}
	if (rename(tmp, path) != 0) {
		unlink(tmp);
		return tx_err_setw(err, TX_EIO, path, "cannot write: %s",
		    strerror(errno));
	}
	return 0;
}

int
audit_seal(struct node *n, struct audit_sealed *out, struct tx_err *err)
{
	json_t	*seal = NULL;
	char	 dir[AUDIT_PATH_MAX];
	int	 rc;

	memset(out, 0, sizeof(*out));
	if (n->signing == NULL)
		return tx_err_set(err, TX_EINVAL, "node opened without its "
		    "signing key");
	if ((rc = audit_verify(n->st, &out->head, err)) < 0)
		return rc;
	if ((rc = audit_seal_new(&seal, &out->head, n->cfg.identity,
	    n->signing, node_now_us(), err)) < 0)
		return rc;
	if (cfg_path(dir, sizeof(dir), &n->cfg, "seals") < 0 ||
	    (size_t)snprintf(out->path, sizeof(out->path), "%s/seal-%lld.json",
	    dir, (long long)out->head.entries) >= sizeof(out->path)) {
		rc = tx_err_set(err, TX_EIO, "node directory path too long");
		goto out;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		rc = tx_err_setw(err, TX_EIO, dir, "cannot create");
		goto out;
	}
	rc = seal_write(seal, out->path, err);
out:
	if (rc < 0)
		out->path[0] = '\0';
	json_decref(seal);
	return rc;
}

int
audit_seal_check_file(struct node *n, const char *path, struct tx_err *err)
{
	struct tx_err	 e;
	json_error_t	 je;
	json_t		*seal;
	uint8_t		*buf = NULL;
	size_t		 len;
	int		 rc;

	tx_err_clear(&e);
	if ((rc = node_read_file(&buf, &len, path, AUDIT_SEAL_FILE_MAX,
	    &e)) < 0)
		goto out;
	seal = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &je);
	if (seal == NULL) {
		rc = tx_err_set(&e, TX_EINVAL, "not JSON: %s", je.text);
		goto out;
	}
	rc = audit_seal_check(n->st, &n->roster, seal, &e);
	json_decref(seal);
out:
	free(buf);
	if (rc < 0) {
		/* Every failure names the file. */
		snprintf(e.where, sizeof(e.where), "%s", path);
		if (err != NULL)
			*err = e;
	}
	return rc;
}
