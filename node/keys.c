/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keys.c - rotation and revocation of this node's signing key, and the
 * key history of the roster (DESIGN §3); see keys.h.
 *
 * Trusts the node directory (its own key files) and the stored copies of
 * the current versions (verified when they were merged). Reads them with
 * bounds: at most REVOCATION_ROOTS_MAX distinct roots are collected, and
 * a copy that cannot be read stops a revocation rather than leave the
 * roots it holds unvouched (which would withdraw this node's own
 * objects everywhere).
 */
#include "keys.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hash.h"
#include "merge.h"
#include "node.h"
#include "statement.h"
#include "tlp.h"

#define KEYS_PATH_MAX	1400

/* Overwrite a key file with zeros, then remove it. */
static void
shred(const char *path)
{
	char	zero[512];
	off_t	len;
	int	fd;

	memset(zero, 0, sizeof(zero));
	if ((fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
		len = lseek(fd, 0, SEEK_END);
		if (len > 0 && lseek(fd, 0, SEEK_SET) == 0)
			for (; len > 0; len -= (off_t)sizeof(zero))
				if (write(fd, zero, sizeof(zero)) < 0)
					break;
		fsync(fd);
		close(fd);
	}
	unlink(path);
}

/*
 * Merge one statement this node made; it must be stored as new. merge
 * applies it to the roster in memory before the commit: when the commit
 * does not happen, the roster is read again from what is stored.
 */
static int
commit_statement(struct node *n, json_t *st, struct tx_err *err)
{
	struct merge_src	src = { "", NULL, "", node_now_us(), NULL, 0,
	    TLP_UNKNOWN, NULL };
	struct merge_result	res;
	int			rc;

	if ((rc = store_begin(n->st, err)) < 0)
		return rc;
	if ((rc = merge_object(n, st, &src, &res, err)) == 0 &&
	    res.status != MERGE_NEW)
		rc = tx_err_set(err, TX_EFAIL, "statement not stored: %s",
		    res.reason);
	if (rc == 0 && (rc = store_commit(n->st, err)) == 0)
		return 0;
	store_rollback(n->st);
	if (node_reload(n, NULL) < 0 && err != NULL) {
		char	msg[TX_ERR_MSG_MAX];

		memcpy(msg, err->msg, sizeof(msg));
		tx_err_set(err, rc, "%s (and the roster could not be read "
		    "again: reopen the node)", msg);
	}
	return rc;
}

static int
key_paths(const struct node *n, char cur[KEYS_PATH_MAX],
    char nxt[KEYS_PATH_MAX], char tmp[KEYS_PATH_MAX], struct tx_err *err)
{
	if (cfg_path(cur, KEYS_PATH_MAX, &n->cfg, "keys/signing.key") < 0 ||
	    cfg_path(nxt, KEYS_PATH_MAX, &n->cfg,
	    "keys/next-signing.key") < 0 ||
	    cfg_path(tmp, KEYS_PATH_MAX, &n->cfg,
	    "keys/next-signing.key.new") < 0)
		return tx_err_set(err, TX_EIO, "node directory path too long");
	return 0;
}

/* The statement is stored: the next key becomes the signing key. */
static int
move_keys(const char *cur, const char *nxt, const char *tmp,
    struct tx_err *err)
{
	shred(cur);
	if (rename(nxt, cur) != 0 || rename(tmp, nxt) != 0)
		return tx_err_set(err, TX_EIO, "rotation stored, but moving "
		    "the key files failed: fix keys/ by hand");
	return 0;
}

int
keys_rotate(struct node *n, keys_report_fn *fn, void *arg,
    struct tx_err *err)
{
	struct keys_report	 r;
	struct sig_key		*next = NULL, *after = NULL;
	json_t			*st = NULL;
	char			 cur[KEYS_PATH_MAX], nxt[KEYS_PATH_MAX];
	char			 tmp[KEYS_PATH_MAX], kid[SIG_KID_HEX];
	char			 prev[SIG_KID_HEX];
	uint8_t			 nextpub[SIG_PUB_LEN], afterpub[SIG_PUB_LEN];
	uint8_t			 h[TX_SHA256_LEN];
	int			 rc;

	if (n->signing == NULL)
		return tx_err_set(err, TX_EINVAL, "node opened without its "
		    "signing key");
	if ((rc = key_paths(n, cur, nxt, tmp, err)) < 0)
		return rc;
	unlink(tmp);
	if ((rc = sig_key_load(&next, nxt, err)) < 0 ||
	    (rc = sig_key_generate(&after, err)) < 0)
		goto out;
	sig_key_public(next, nextpub);
	sig_key_public(after, afterpub);
	hash_sha256(h, afterpub, sizeof(afterpub));
	if ((rc = statement_rotation(&st, n->cfg.identity, n->signing, nextpub,
	    h, tlp_marking_id(TLP_CLEAR), node_now_us(), err)) < 0 ||
	    (rc = sig_key_save(after, tmp, err)) < 0)
		goto out;
	if ((rc = commit_statement(n, st, err)) < 0) {
		unlink(tmp);
		goto out;
	}
	sig_key_kid(n->signing, prev);
	sig_key_kid(next, kid);
	/* The stored rotation made next current: sign with it from now. */
	sig_key_free(n->signing);
	n->signing = next;
	next = NULL;
	if ((rc = move_keys(cur, nxt, tmp, err)) < 0)
		goto out;
	if (fn != NULL) {
		memset(&r, 0, sizeof(r));
		r.what = KEYS_ROTATED;
		r.node = n->cfg.name;
		r.kid = kid;
		r.prev_kid = prev;
		r.statement = st;
		fn(&r, arg);
	}
out:
	json_decref(st);
	sig_key_free(next);
	sig_key_free(after);
	return rc;
}

static int
root_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Distinct roots under (identity, kid), bounded. */
struct roots {
	const char	*identity;
	const char	*kid;
	size_t		 n, cap;
	size_t		 sorted;	/* r[0..sorted) sorted and distinct */
	char		(*r)[ROSTER_ROOT_B64];
	int		 rc;
	struct tx_err	*err;
};

/* Sort and drop duplicates: r[0..n) becomes distinct. */
static void
roots_compact(struct roots *rs)
{
	size_t	i, j;

	if (rs->n > 1)
		qsort(rs->r, rs->n, sizeof(*rs->r), root_cmp);
	for (i = j = 0; i < rs->n; i++)
		if (j == 0 || strcmp(rs->r[j - 1], rs->r[i]) != 0)
			memmove(rs->r[j++], rs->r[i], sizeof(*rs->r));
	rs->n = rs->sorted = j;
}

/*
 * Add one root. When the array is full it is compacted, and grown only
 * if at least half of it is distinct roots then, so memory stays within
 * a few times REVOCATION_ROOTS_MAX roots whatever the store holds.
 */
static int
roots_add(struct roots *rs, const char *root)
{
	void	*p;
	size_t	 cap;

	if (rs->sorted > 0 && bsearch(root, rs->r, rs->sorted,
	    sizeof(*rs->r), root_cmp) != NULL)
		return 0;
	if (rs->n == rs->cap) {
		roots_compact(rs);
		if (rs->n > REVOCATION_ROOTS_MAX)
			return tx_err_set(rs->err, TX_ELIMIT, "more than %d "
			    "roots under %.16s...", REVOCATION_ROOTS_MAX,
			    rs->kid);
		if (rs->n * 2 >= rs->cap) {
			cap = rs->cap ? rs->cap * 2 : 64;
			if ((p = realloc(rs->r, cap * sizeof(*rs->r))) == NULL)
				return tx_err_set(rs->err, TX_ENOMEM,
				    "out of memory");
			rs->r = p;
			rs->cap = cap;
		}
	}
	memcpy(rs->r[rs->n++], root, strlen(root) + 1);
	return 0;
}

/* The roots of this node's entries under kid on one current version. */
static int
collect_roots(const struct store_hit *h, void *payload)
{
	struct roots	*rs = payload;
	const json_t	*e;
	json_t		*o;
	const char	*root, *signer, *ekid;
	size_t		 i;

	/* Most versions carry no entry of this kid: skip them unparsed. */
	if (strstr(h->json, rs->kid) == NULL)
		return 0;
	if ((o = json_loads(h->json, 0, NULL)) == NULL) {
		rs->rc = tx_err_set(rs->err, TX_EDB, "%s: stored copy "
		    "unreadable", h->id);
		return -1;
	}
	json_array_foreach(json_object_get(o, "signatures"), i, e) {
		ekid = json_string_value(json_object_get(e, "kid"));
		signer = json_string_value(json_object_get(e, "signer"));
		root = json_string_value(json_object_get(json_object_get(e,
		    "batch"), "root"));
		if (ekid == NULL || strcmp(ekid, rs->kid) != 0 ||
		    signer == NULL || strcmp(signer, rs->identity) != 0 ||
		    root == NULL || strlen(root) >= ROSTER_ROOT_B64)
			continue;
		if ((rs->rc = roots_add(rs, root)) < 0)
			break;
	}
	json_decref(o);
	return rs->rc < 0 ? -1 : 0;
}

/* This node's key kid in the roster (*m the member), or an error. */
static int
own_key(struct node *n, const char *kid, const struct roster_member **m,
    const struct roster_key **k, struct tx_err *err)
{
	size_t	i;

	*k = NULL;
	if ((*m = roster_by_identity(&n->roster, n->cfg.identity)) == NULL)
		return tx_err_set(err, TX_EFAIL, "this node is not in its "
		    "roster");
	for (i = 0; i < (*m)->nkeys && *k == NULL; i++)
		if (strcmp((*m)->keys[i].kid, kid) == 0)
			*k = &(*m)->keys[i];
	if (*k == NULL)
		return tx_err_set(err, TX_ENOTFOUND, "%.16s... is not a key of "
		    "this node", kid);
	if (strcmp(roster_current_kid(*m), kid) == 0)
		return tx_err_set(err, TX_EINVAL, "%.16s... is the current "
		    "key: rotate first, then revoke it", kid);
	if ((*k)->revoked)
		return tx_err_set(err, TX_EEXIST, "%.16s... is already revoked",
		    kid);
	return 0;
}

int
keys_revoke(struct node *n, const char *kid, keys_report_fn *fn, void *arg,
    struct tx_err *err)
{
	const struct roster_member	*m;
	const struct roster_key		*k;
	struct keys_report		 r;
	struct roots			 rs;
	json_t				*st = NULL;
	int				 rc;

	if ((rc = own_key(n, kid, &m, &k, err)) < 0)
		return rc;
	if (n->signing == NULL)
		return tx_err_set(err, TX_EINVAL, "node opened without its "
		    "signing key");
	memset(&rs, 0, sizeof(rs));
	rs.identity = n->cfg.identity;
	rs.kid = k->kid;
	rs.err = err;
	if ((rc = store_each_current(n->st, NULL, collect_roots, &rs,
	    err)) < 0 || (rc = rs.rc) < 0)
		goto out;
	roots_compact(&rs);
	if ((rc = statement_revocation(&st, n->cfg.identity, n->signing,
	    k->kid, (const char (*)[ROSTER_ROOT_B64])rs.r, rs.n,
	    tlp_marking_id(TLP_CLEAR), node_now_us(), err)) < 0 ||
	    (rc = commit_statement(n, st, err)) < 0)
		goto out;
	if (fn != NULL) {
		memset(&r, 0, sizeof(r));
		r.what = KEYS_REVOKED;
		r.node = n->cfg.name;
		r.kid = kid;
		r.vouched = rs.n;
		r.statement = st;
		fn(&r, arg);
	}
out:
	json_decref(st);
	free(rs.r);
	return rc;
}

int
keys_list(const struct node *n, int (*fn)(const struct keys_entry *, void *),
    void *arg)
{
	const struct roster_member	*m;
	struct keys_entry		 e;
	size_t				 i, j;
	int				 rc;

	for (i = 0; i < n->roster.n; i++) {
		m = n->roster.m[i];
		for (j = 0; j < m->nkeys; j++) {
			memset(&e, 0, sizeof(e));
			e.member = m->name;
			e.identity = m->identity;
			e.kid = m->keys[j].kid;
			e.index = j;
			e.self = m->self;
			e.current = j + 1 == m->nkeys;
			e.revoked = m->keys[j].revoked;
			e.vouched = m->keys[j].nvouched;
			if ((rc = fn(&e, arg)) < 0)
				return rc;
		}
	}
	return 0;
}
