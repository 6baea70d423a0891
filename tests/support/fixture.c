/* SPDX-License-Identifier: Apache-2.0 */
/* fixture.c - see fixture.h. */
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "store_codec.h"
#include "init.h"
#include "merge.h"
#include "batch.h"
#include "roster.h"
#include "node.h"
#include "sig.h"
#include "store.h"

#include <sqlite3.h>

struct sig_key *
fx_key_from_seed(const uint8_t seed[32])
{
	EVP_PKEY	*pk;
	struct sig_key	*k = NULL;
	char		 path[] = "/tmp/tx_fixture_keyXXXXXX";
	FILE		*f = NULL;
	int		 fd, ok;

	if ((pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed,
	    32)) == NULL)
		return NULL;
	if ((fd = mkstemp(path)) < 0 || (f = fdopen(fd, "w")) == NULL) {
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		EVP_PKEY_free(pk);
		return NULL;
	}
	ok = PEM_write_PrivateKey(f, pk, NULL, NULL, 0, NULL, NULL) == 1;
	if (fclose(f) != 0)
		ok = 0;
	if (ok && sig_key_load(&k, path, NULL) != 0)
		k = NULL;
	unlink(path);
	EVP_PKEY_free(pk);
	return k;
}

size_t
fx_eth_addresses(const char *csv, char (*out)[FX_ETH_ADDR_LEN + 1],
    size_t max)
{
	FILE	*f;
	char	 line[512], *c1, *c2;
	size_t	 n = 0;

	if ((f = fopen(csv, "r")) == NULL)
		return 0;
	if (fgets(line, sizeof(line), f) == NULL) {	/* header */
		fclose(f);
		return 0;
	}
	while (n < max && fgets(line, sizeof(line), f) != NULL) {
		if ((c1 = strchr(line, ',')) == NULL ||
		    (c2 = strchr(c1 + 1, ',')) == NULL ||
		    c2 - c1 - 1 != FX_ETH_ADDR_LEN)
			continue;
		memcpy(out[n], c1 + 1, FX_ETH_ADDR_LEN);
		out[n++][FX_ETH_ADDR_LEN] = '\0';
	}
	fclose(f);
	return n;
}

json_t *
fx_indicator(const char *id, const char *creator, const char *domain,
    const char *marking)
{
	json_t	*o;
	char	 pat[256];

	snprintf(pat, sizeof(pat), "[domain-name:value = '%s']", domain);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "type", "indicator", "spec_version", "2.1", "id", id,
	    "created", "2025-03-01T00:00:00.000Z",
	    "modified", "2025-03-01T00:00:00.000Z", "pattern", pat,
	    "pattern_type", "stix", "valid_from", "2025-03-01T00:00:00.000Z");
	if (o != NULL && ((creator != NULL && json_object_set_new(o,
	    "created_by_ref", json_string(creator)) != 0) ||
	    (marking != NULL && json_object_set_new(o, "object_marking_refs",
	    json_pack("[s]", marking)) != 0))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *
fx_wallet_indicator(size_t i, const char *addr, const char *signer)
{
	char	id[64], name[128], pattern[128];

	snprintf(id, sizeof(id), "indicator--%08zx-6b1e-4c2a-9d3f-%012zx",
	    i, i * 7919);
	snprintf(name, sizeof(name), "Bybit theft laundering wallet %s", addr);
	snprintf(pattern, sizeof(pattern),
	    "[cryptocurrency-wallet:value = '%s']", addr);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
	    "s:I, s:[s], s:[s], s:[{s:s, s:s, s:s}]}",
	    "type", "indicator", "spec_version", "2.1", "id", id,
	    "created", "2025-02-26T18:00:00.000Z",
	    "modified", "2025-02-26T18:00:00.000Z",
	    "created_by_ref", signer, "name", name,
	    "pattern", pattern, "pattern_type", "stix",
	    "valid_from", "2025-02-26T00:00:00Z",
	    "confidence", (json_int_t)85,
	    "indicator_types", "malicious-activity",
	    "object_marking_refs",
	    "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
	    "external_references", "source_name", "FBI IC3",
	    "external_id", "I-022625-PSA",
	    "url", "https://www.ic3.gov/PSA/2025/PSA250226");
}

int
fx_store_open(struct fx_store *fx)
{
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/tx-store-XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	snprintf(fx->path, sizeof(fx->path), "%s/store.db", fx->dir);
	return store_open(&fx->st, fx->path, NULL) == 0 ? 0 : -1;
}

void
fx_store_close(struct fx_store *fx)
{
	static const char	*const ext[] = { "", "-wal", "-shm",
	    "-journal" };
	char			 p[160];
	size_t			 i;

	store_close(fx->st);
	fx->st = NULL;
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", fx->path, ext[i]);
		unlink(p);
	}
	rmdir(fx->dir);
}

struct fx_store	fx_cur;

int
fx_store_setup(void **state)
{
	if (fx_store_open(&fx_cur) != 0)
		return -1;
	*state = fx_cur.st;
	return 0;
}

int
fx_store_teardown(void **state)
{
	(void)state;
	fx_store_close(&fx_cur);
	return 0;
}

int
fx_node_make(const char *dir, const char *name, struct tx_err *err)
{
	struct node_init_opts	o;

	node_init_defaults(&o);
	o.dir = dir;
	o.name = name;
	o.listen = "127.0.0.1:1";
	return node_init(NULL, &o, err) == 0 ? 0 : -1;
}

int
fx_node_know(const char *to, const char *from, const char *name,
    struct tx_err *err)
{
	char	src[1100], dst[1100];
	FILE	*in, *out;
	int	ch, rc;

	snprintf(src, sizeof(src), "%s/self.json", from);
	snprintf(dst, sizeof(dst), "%s/peers/%s.json", to, name);
	if ((in = fopen(src, "r")) == NULL)
		return tx_err_set(err, TX_EIO, "%s: cannot read", src), -1;
	if ((out = fopen(dst, "w")) == NULL) {
		fclose(in);
		return tx_err_set(err, TX_EIO, "%s: cannot write", dst), -1;
	}
	while ((ch = fgetc(in)) != EOF)
		fputc(ch, out);
	fclose(in);
	rc = fclose(out);
	return rc == 0 ? 0 : (tx_err_set(err, TX_EIO, "%s: write failed",
	    dst), -1);
}

static int
rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

void
fx_rmtree(const char *root)
{
	nftw(root, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

int
fx_deliver(struct node *n, json_t *o, const char *peer, const char *peer_id,
    struct merge_result *res, struct tx_err *err)
{
	struct merge_src	src = { peer, peer_id, "", node_now_us(), NULL,
	    0, TLP_UNKNOWN, NULL };

	if (store_begin(n->st, err) != 0)
		return -1;
	if (merge_object(n, o, &src, res, err) != 0) {
		store_rollback(n->st);
		return -1;
	}
	return store_commit(n->st, err) == 0 ? 0 : -1;
}

int
fx_sql(const char *path, const char *q, char *why, size_t whylen)
{
	struct store_codec	*c = NULL;
	sqlite3			*db;
	char			*msg = NULL;
	int			 rc;

	/* txj and txz too: a test reads and writes versions.jz as JSON. */
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    (c = store_codec_new(db, &rc)) == NULL) {
		snprintf(why, whylen, "%s", sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 5000);
	rc = sqlite3_exec(db, q, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		snprintf(why, whylen, "%s", msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	sqlite3_close(db);
	store_codec_free(c);
	return rc == SQLITE_OK ? 0 : -1;
}

long long
fx_sql_int(const char *path, const char *q)
{
	struct store_codec	*c = NULL;
	sqlite3			*db;
	sqlite3_stmt		*s = NULL;
	long long		 v = LLONG_MIN;
	int			 rc;

	if (sqlite3_open(path, &db) == SQLITE_OK &&
	    (c = store_codec_new(db, &rc)) != NULL &&
	    sqlite3_prepare_v2(db, q, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	else
		fprintf(stderr, "%s: %s\n", q, sqlite3_errmsg(db));
	sqlite3_finalize(s);
	sqlite3_close(db);
	store_codec_free(c);
	return v;
}

int
fx_node_member(struct node *n, const char *name, const char *id,
    const uint8_t seed[32], int self, struct tx_err *err)
{
	struct sig_key	*k = fx_key_from_seed(seed);
	uint8_t		 pub[SIG_PUB_LEN], next[32];
	int		 rc;

	if (k == NULL)
		return tx_err_set(err, TX_ENOMEM, "no key"), -1;
	sig_key_public(k, pub);
	sig_key_free(k);
	memset(next, 0x5a, sizeof(next));
	rc = roster_add(&n->roster, name, id, pub, sizeof(pub), next, self,
	    err);
	return rc == 0 ? 0 : -1;
}

struct node *
fx_node_mem(struct fx_store *fx, const char *name, const char *id,
    const uint8_t seed[32], int batch, struct tx_err *err)
{
	struct node	*n;

	if (fx_store_open(fx) != 0) {
		tx_err_set(err, TX_EDB, "cannot open a store");
		return NULL;
	}
	if ((n = calloc(1, sizeof(*n))) == NULL)
		goto fail;
	cfg_defaults(&n->cfg);
	snprintf(n->cfg.dir, sizeof(n->cfg.dir), "%s", fx->dir);
	snprintf(n->cfg.name, sizeof(n->cfg.name), "%s", name);
	snprintf(n->cfg.identity, sizeof(n->cfg.identity), "%s", id);
	if (batch > 0)
		n->cfg.batch_size = batch;
	roster_init(&n->roster);
	n->st = fx->st;
	if (fx_node_member(n, name, id, seed, 1, err) != 0 ||
	    (n->cache = batch_cache_new(256)) == NULL ||
	    (n->signing = fx_key_from_seed(seed)) == NULL)
		goto fail;
	return n;
fail:
	fx_node_mem_free(n, fx);
	return NULL;
}

void
fx_node_mem_free(struct node *n, struct fx_store *fx)
{
	if (n != NULL) {
		n->st = NULL;	/* fx's, closed below */
		node_close(n);
	}
	fx_store_close(fx);
}
