/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_key.c - `key list|rotate|revoke` (DESIGN §3 pre-rotation). rotate
 * reveals keys/next-signing.key in a rotation statement signed by the
 * current key, commits to a freshly made key after it, and moves the key
 * files along; the retired private key file is overwritten and removed.
 * revoke names a former kid and vouches for the batch roots this node
 * holds under it (what it really signed); every other root under that kid
 * is then refused by every node that learns of the revocation.
 */
#include "cli.h"
#include "author.h"
#include "hash.h"
#include "statement.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Overwrite a key file with zeros, then remove it. */
static void
shred(const char *path)
{
	char	zero[512];
	off_t	len;
	int	fd;

	memset(zero, 0, sizeof(zero));
	if ((fd = open(path, O_WRONLY)) >= 0) {
		len = lseek(fd, 0, SEEK_END);
		lseek(fd, 0, SEEK_SET);
		for (; len > 0; len -= (off_t)sizeof(zero))
			if (write(fd, zero, sizeof(zero)) < 0)
				break;
		fsync(fd);
		close(fd);
	}
	unlink(path);
}

/* Merge one statement this node made; it must be stored as new. */
static int
commit_statement(struct node *n, json_t *st, struct tx_err *err)
{
	struct merge_src	src = { "", NULL, "", node_now_us(), NULL, 0 };
	struct merge_result	res;
	int			rc;

	if ((rc = store_begin(n->st, err)) < 0)
		return rc;
	if ((rc = merge_object(n, st, &src, &res, err)) < 0) {
		store_rollback(n->st);
		return rc;
	}
	if (res.status != MERGE_NEW) {
		store_rollback(n->st);
		return tx_err_set(err, TX_EFAIL, "statement not stored: %s",
		    res.reason);
	}
	return store_commit(n->st, err);
}

static int
key_rotate(struct node *n, struct tx_err *err)
{
	struct sig_key	*next = NULL, *after = NULL;
	json_t		*st = NULL;
	char		 cur[1400], nxt[1400], tmp[1400], kid[SIG_KID_HEX];
	uint8_t		 nextpub[SIG_PUB_LEN], afterpub[SIG_PUB_LEN], h[32];
	int		 rc;

	cfg_path(cur, sizeof(cur), &n->cfg, "keys/signing.key");
	cfg_path(nxt, sizeof(nxt), &n->cfg, "keys/next-signing.key");
	cfg_path(tmp, sizeof(tmp), &n->cfg, "keys/next-signing.key.new");
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
	/* The statement is stored: now move the keys along. */
	shred(cur);
	if (rename(nxt, cur) != 0 || rename(tmp, nxt) != 0) {
		rc = tx_err_set(err, TX_EIO, "rotation stored, but moving the "
		    "key files failed: fix keys/ by hand");
		goto out;
	}
	sig_key_kid(next, kid);
	printf("rotated\t%s\tkid=%s\n", n->cfg.name, kid);
out:
	json_decref(st);
	sig_key_free(next);
	sig_key_free(after);
	return rc;
}

struct roots {
	const char	*identity;
	const char	*kid;
	size_t		 n, cap;
	char		(*r)[ROSTER_ROOT_B64];
};

/* Collect the distinct roots of entries by (identity, kid). */
static int
collect_roots(const struct store_hit *h, void *payload)
{
	struct roots	*rs = payload;
	json_t		*o = json_loads(h->json, 0, NULL);
	const json_t	*e;
	const char	*root;
	size_t		 i, j;

	json_array_foreach(json_object_get(o, "signatures"), i, e) {
		const char *ekid = json_string_value(json_object_get(e, "kid"));

		if (ekid == NULL || strcmp(ekid, rs->kid) != 0)
			continue;
		root = json_string_value(json_object_get(json_object_get(e,
		    "batch"), "root"));
		if (root == NULL || strlen(root) >= ROSTER_ROOT_B64)
			continue;
		for (j = 0; j < rs->n && strcmp(rs->r[j], root) != 0; j++)
			;
		if (j < rs->n)
			continue;
		if (rs->n == rs->cap) {
			void *p = realloc(rs->r, (rs->cap ? rs->cap * 2 : 64) *
			    sizeof(*rs->r));

			if (p == NULL)
				break;
			rs->r = p;
			rs->cap = rs->cap ? rs->cap * 2 : 64;
		}
		memcpy(rs->r[rs->n++], root, strlen(root) + 1);
	}
	json_decref(o);
	return rs->n > REVOCATION_ROOTS_MAX ? -1 : 0;
}

static int
key_revoke(struct node *n, const char *kid, struct tx_err *err)
{
	const struct roster_member	*m;
	struct roots			 rs = { n->cfg.identity, kid, 0, 0,
	    NULL };
	json_t				*st = NULL;
	int				 rc;

	m = roster_by_identity(&n->roster, n->cfg.identity);
	if (m == NULL)
		return tx_err_set(err, TX_EFAIL, "this node is not in its "
		    "roster");
	if (strcmp(roster_current_kid(m), kid) == 0)
		return tx_err_set(err, TX_EINVAL, "%.16s... is the current key: "
		    "rotate first, then revoke it", kid);
	if ((rc = store_each_current(n->st, NULL, collect_roots, &rs,
	    err)) < 0)
		goto out;
	if ((rc = statement_revocation(&st, n->cfg.identity, n->signing, kid,
	    (const char (*)[ROSTER_ROOT_B64])rs.r, rs.n,
	    tlp_marking_id(TLP_CLEAR), node_now_us(), err)) < 0 ||
	    (rc = commit_statement(n, st, err)) < 0)
		goto out;
	printf("revoked\t%s\tkid=%s\tvouched_roots=%zu\n", n->cfg.name, kid,
	    rs.n);
out:
	json_decref(st);
	free(rs.r);
	return rc;
}

/* Names and ids come from members' descriptors: printed escaped. */
static int
key_list(struct node *n)
{
	size_t	i, j;
	char	name[300], id[300], kid[300];

	for (i = 0; i < n->roster.n; i++) {
		const struct roster_member *m = &n->roster.m[i];

		cli_esc(name, sizeof(name), m->name);
		cli_esc(id, sizeof(id), m->identity);
		for (j = 0; j < m->nkeys; j++)
			printf("%s\t%s\t%s\tkid=%s%s\n", name, id,
			    j + 1 == m->nkeys ? "current" : "former",
			    cli_esc(kid, sizeof(kid), m->keys[j].kid),
			    m->keys[j].revoked ? "\trevoked" : "");
	}
	return 0;
}

int
cmd_key(int argc, char **argv)
{
	struct tx_err	 err;
	struct node	*n;
	int		 rc;

	tx_err_clear(&err);
	if (!(argc == 2 && (strcmp(argv[1], "list") == 0 ||
	    strcmp(argv[1], "rotate") == 0)) &&
	    !(argc == 3 && strcmp(argv[1], "revoke") == 0)) {
		int help = argc >= 2 && strcmp(argv[1], "--help") == 0;

		fprintf(help ? stdout : stderr, "usage: threatex [-d DIR] key "
		    "list\n       threatex [-d DIR] key rotate\n"
		    "       threatex [-d DIR] key revoke KID\n\n"
		    "list: every member's key history. rotate: reveal the "
		    "committed next\nkey in a rotation statement signed by the "
		    "current key, commit to a\nnew one; peers accept it "
		    "without operator action. revoke: refuse\nevery batch "
		    "root under a former key of this node except those it\n"
		    "holds (vouches for).\n");
		return help ? CLI_OK : CLI_USAGE;
	}
	if (node_open(&n, cli_node_dir(), strcmp(argv[1], "list") == 0 ? 0 :
	    NODE_OPEN_SIGNING, &err) < 0)
		return cli_fail("key", &err);
	if (strcmp(argv[1], "list") == 0)
		rc = key_list(n);
	else if (strcmp(argv[1], "rotate") == 0)
		rc = key_rotate(n, &err);
	else
		rc = key_revoke(n, argv[2], &err);
	node_close(n);
	return rc < 0 ? cli_fail("key", &err) : CLI_OK;
}
