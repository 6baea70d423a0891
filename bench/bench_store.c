/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_store.c - the store benchmark of DESIGN §10: ingest through the
 * whole merge path (validate, judge signatures, merge rules, index, feed,
 * provenance) against a bare "parse the JSON and INSERT it" into SQLite of
 * the same objects, peak RSS, and lookup latency (p50, p99) over the
 * consolidated view once the store holds them.
 * Usage: bench_store [N]   (N wallet values, 3 objects each; default 20000)
 */
#include <jansson.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "author.h"
#include "init.h"
#include "lookup.h"
#include "recipe.h"

static char	g_dir[256];

static void
figure(const char *metric, double v, const char *unit, const char *base,
    double bv)
{
	if (base != NULL)
		printf("{\"bench\":\"store\",\"metric\":\"%s\",\"value\":%.1f,"
		    "\"unit\":\"%s\",\"baseline\":\"%s\",\"baseline_value\":%.1f,"
		    "\"ratio\":%.3f}\n", metric, v, unit, base, bv,
		    bv > 0 ? v / bv : 0.0);
	else
		printf("{\"bench\":\"store\",\"metric\":\"%s\",\"value\":%.1f,"
		    "\"unit\":\"%s\"}\n", metric, v, unit);
}

static int
rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(p);
}

/* The node directory, as `threatex init` makes it. */
static int
make_node(const char *dir)
{
	struct node_init_opts	o;

	node_init_defaults(&o);
	o.dir = dir;
	o.name = "bench";
	o.listen = "127.0.0.1:1";
	return node_init(NULL, &o, NULL);
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The baseline: json_loadb + INSERT of the same texts, one transaction. */
static double
bare_insert(char **texts, size_t n, const char *path)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	json_t		*o;
	double		 t0;
	size_t		 i;

	unlink(path);
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	    "CREATE TABLE t(id TEXT, json TEXT)", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO t VALUES(?, ?)", -1, &s, NULL);
	t0 = bench_now();
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	for (i = 0; i < n; i++) {
		o = json_loads(texts[i], 0, NULL);
		sqlite3_bind_text(s, 1, json_string_value(json_object_get(o,
		    "id")), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, texts[i], -1, SQLITE_STATIC);
		sqlite3_step(s);
		sqlite3_reset(s);
		json_decref(o);
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	t0 = bench_now() - t0;
	sqlite3_finalize(s);
	sqlite3_close(db);
	return t0;
}

int
main(int argc, char **argv)
{
	struct recipe		 rec = { NORM_WALLET, NULL, NULL, TLP_AMBER, 80,
	    0, 0, NULL, 0, 0, NULL, NULL };
	struct merge_src	 src;
	struct merge_result	 res;
	struct norm_result	 r;
	struct tx_err		 err;
	struct rusage		 ru;
	struct node		*n;
	json_t			*objs[RECIPE_MAX_OBJS], *view;
	char			**texts, values[256][48], actor[128] = "";
	double			 t, t_ingest, t_bare, *lat;
	size_t			 nv = argc > 1 ? strtoul(argv[1], NULL, 10) :
	    20000, nobj = 0, i, k, total = 0;
	FILE			*ur;

	snprintf(g_dir, sizeof(g_dir), "%s/tx-bench-store-XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (nv == 0 || mkdtemp(g_dir) == NULL)
		return 1;
	strncat(g_dir, "/node", sizeof(g_dir) - strlen(g_dir) - 1);
	if (make_node(g_dir) != 0 ||
	    node_open(&n, g_dir, NODE_OPEN_SIGNING, &err) < 0)
		return 1;
	texts = calloc(nv * RECIPE_MAX_OBJS, sizeof(*texts));
	ur = fopen("/dev/urandom", "rb");

	/* Author the objects (signed in batches) outside the timing. */
	for (i = 0; i < nv; i++) {
		unsigned char	b[20];
		char		v[48];

		if (fread(b, 1, sizeof(b), ur) != sizeof(b))
			return 1;
		snprintf(v, 3, "0x");
		for (k = 0; k < 20; k++)
			snprintf(v + 2 + 2 * k, 3, "%02x", b[k]);
		if (i < 256)
			memcpy(values[i], v, sizeof(values[i]));
		nobj = 0;
		if (recipe_build(objs, &nobj, n, &rec, v, actor, &r, &err) < 0)
			return 1;
		{
			struct batch_signer bs = { n->signing, n->cfg.identity };

			batch_sign(objs, nobj, &bs, node_now_us(), &err);
		}
		for (k = 0; k < nobj; k++) {
			texts[total++] = json_dumps(objs[k], JSON_COMPACT);
			json_decref(objs[k]);
		}
	}
	fclose(ur);

	/* Ingest: every text through the merge path, pages of 500. */
	memset(&src, 0, sizeof(src));
	src.peer = "";
	src.cert_pin = "";
	t = bench_now();
	for (i = 0; i < total; i++) {
		json_t *o = json_loads(texts[i], 0, NULL);

		if (i % 500 == 0 && store_begin(n->st, &err) < 0)
			return 1;
		src.now_us = node_now_us();
		src.raw = (const uint8_t *)texts[i];
		src.raw_len = strlen(texts[i]);
		if (merge_object(n, o, &src, &res, &err) < 0 ||
		    res.status != MERGE_NEW)
			return 1;
		json_decref(o);
		if ((i % 500 == 499 || i + 1 == total) &&
		    store_commit(n->st, &err) < 0)
			return 1;
	}
	t_ingest = bench_now() - t;
	getrusage(RUSAGE_SELF, &ru);
	{
		char bare[300];

		snprintf(bare, sizeof(bare), "%s.bare.db", g_dir);
		t_bare = bare_insert(texts, total, bare);
		unlink(bare);
	}
	figure("ingest", total / t_ingest, "objects/s", "bare_parse_insert",
	    total / t_bare);
	figure("ingest_objects", (double)total, "objects", NULL, 0);
	figure("ingest_peak_rss_mb", ru.ru_maxrss / 1024.0, "MiB", NULL, 0);

	/* Lookups of known values through the consolidated view. */
	lat = calloc(2000, sizeof(*lat));
	for (i = 0; i < 2000; i++) {
		t = bench_now();
		if (lookup_value(&view, n, values[i % 256], NULL, &err) < 0)
			return 1;
		lat[i] = (bench_now() - t) * 1e6;
		json_decref(view);
	}
	qsort(lat, 2000, sizeof(*lat), cmp_double);
	figure("lookup", 1e6 / lat[999], "lookups/s", NULL, 0);
	figure("lookup_p50_us", lat[999], "us", NULL, 0);
	figure("lookup_p99_us", lat[1979], "us", NULL, 0);
	for (i = 0; i < total; i++)
		free(texts[i]);
	free(texts);
	free(lat);
	node_close(n);
	*strrchr(g_dir, '/') = '\0';
	nftw(g_dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
