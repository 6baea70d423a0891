/* SPDX-License-Identifier: Apache-2.0 */
/*
 * node.c - opening a node directory. The roster is rebuilt on every open
 * from self.json and the peers/ descriptors, each verified as it is read; a
 * descriptor that does not verify stops the open, naming the file.
 */
#include "node.h"
#include "descriptor.h"
#include "statement.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>

#define DESC_FILE_MAX (64 * 1024)

int64_t
node_now_us(void)
{
	struct timeval	 tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

int
node_read_file(uint8_t **out, size_t *len, const char *path, size_t max,
    struct tx_err *err)
{
	FILE	*f;
	uint8_t	*b;
	size_t	 n;

	*out = NULL;
	*len = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return tx_err_setw(err, TX_EIO, path, "cannot open: %s",
		    strerror(errno));
	if ((b = malloc(max + 1)) == NULL) {
		fclose(f);
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	}
	n = fread(b, 1, max + 1, f);
	fclose(f);
	if (n > max) {
		free(b);
		return tx_err_setw(err, TX_ELIMIT, path, "larger than %zu bytes",
		    max);
	}
	b[n] = '\0';
	*out = b;
	*len = n;
	return 0;
}

static int
roster_add_file(struct roster *r, const char *path, int self,
    struct tx_err *err)
{
	struct descriptor	 d;
	uint8_t			*buf;
	size_t			 len;
	int			 rc;

	if ((rc = node_read_file(&buf, &len, path, DESC_FILE_MAX, err)) < 0)
		return rc;
	rc = descriptor_parse(&d, buf, len, err);
	free(buf);
	if (rc == 0)
		rc = roster_add(r, d.name, d.identity, d.pub, sizeof(d.pub),
		    d.next_hash, self, err);
	if (rc < 0)
		tx_err_prefix(err, "%s", path);
	return rc;
}

static int
load_roster(struct roster *r, const struct node_cfg *cfg, struct tx_err *err)
{
	char		 path[1400];
	DIR		*d;
	struct dirent	*de;
	size_t		 l;
	int		 rc;

	if ((rc = cfg_path(path, sizeof(path), cfg, "self.json")) < 0 ||
	    (rc = roster_add_file(r, path, 1, err)) < 0)
		return rc;
	if ((rc = cfg_path(path, sizeof(path), cfg, "peers")) < 0)
		return rc;
	if ((d = opendir(path)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		l = strlen(de->d_name);
		if (de->d_name[0] == '.' || l < 6 ||
		    strcmp(de->d_name + l - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/peers/%s", cfg->dir,
		    de->d_name);
		if ((rc = roster_add_file(r, path, 0, err)) < 0)
			break;
	}
	closedir(d);
	return rc;
}

/*
 * Replay the key statements held in the store onto the roster built from
 * the descriptors. They were verified when stored; one that no longer
 * applies (already applied) is skipped.
 */
static int
replay_statement(const char *json, void *payload)
{
	struct roster	*r = payload;
	json_t		*o = json_loads(json, 0, NULL);

	if (o != NULL)
		statement_apply(r, o, NULL);
	json_decref(o);
	return 0;
}

int
node_open(struct node **out, const char *dir, int flags, struct tx_err *err)
{
	struct node	*n;
	char		 path[1400];
	int		 rc;

	*out = NULL;
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	roster_init(&n->roster);
	if ((rc = cfg_load(&n->cfg, dir, err)) < 0)
		goto fail;
	if ((rc = load_roster(&n->roster, &n->cfg, err)) < 0)
		goto fail;
	if ((n->cache = batch_cache_new(4096)) == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto fail;
	}
	if ((rc = cfg_path(path, sizeof(path), &n->cfg, "store.db")) < 0 ||
	    (rc = store_open(&n->st, path, err)) < 0 ||
	    (rc = store_each_of_types(n->st, ROTATION_TYPE, REVOCATION_TYPE,
	    replay_statement, &n->roster, err)) < 0)
		goto fail;
	if (flags & NODE_OPEN_SIGNING) {
		if ((rc = cfg_path(path, sizeof(path), &n->cfg,
		    "keys/signing.key")) < 0 ||
		    (rc = sig_key_load(&n->signing, path, err)) < 0)
			goto fail;
	}
	*out = n;
	return 0;
fail:
	node_close(n);
	return rc;
}

int
node_reload(struct node *n, struct tx_err *err)
{
	struct node_cfg	*cfg = calloc(1, sizeof(*cfg));
	struct roster	*r = calloc(1, sizeof(*r));
	int		 rc;

	if (cfg == NULL || r == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto out;
	}
	roster_init(r);
	if ((rc = cfg_load(cfg, n->cfg.dir, err)) < 0 ||
	    (rc = load_roster(r, cfg, err)) < 0 ||
	    (rc = store_each_of_types(n->st, ROTATION_TYPE, REVOCATION_TYPE,
	    replay_statement, r, err)) < 0) {
		roster_dispose(r);
		goto out;
	}
	roster_dispose(&n->roster);
	n->roster = *r;
	n->cfg = *cfg;
out:
	free(cfg);
	free(r);
	return rc;
}

void
node_close(struct node *n)
{
	if (n == NULL)
		return;
	sig_key_free(n->signing);
	store_close(n->st);
	batch_cache_free(n->cache);
	roster_dispose(&n->roster);
	free(n);
}

const char *
node_member_name(const struct node *n, const char *identity)
{
	const struct roster_member	*m;

	m = roster_by_identity(&n->roster, identity);
	return m ? m->name : identity;
}
