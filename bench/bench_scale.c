/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_scale.c - the in-process halves of the national-scale benchmark
 * (issue 13, bench/bench_scale.sh drives it):
 *
 *  gen NODE N BUNDLE PRESENT ABSENT
 *	as the node NODE (made by `threatex init`, its signing key), author
 *	about N objects (wallet, domain and alias indicators in turn, TLP
 *	GREEN: SCO, indicator, based-on each), sign them in batches of
 *	about 1,024 and stream them to BUNDLE as one STIX bundle, a batch at
 *	a time (memory stays flat whatever N). A sample of the values
 *	(kind, index key, value; about 2,000) goes to PRESENT, as many
 *	values of the same shapes never authored to ABSENT. Nothing is
 *	stored: NODE's store stays empty, so the importing node's figures
 *	are its own. Prints "objects N" on stdout.
 *  verify NODE
 *	verify_batch_1024 (objects/s: batches of 1,024 of those objects,
 *	the verification cache cleared before each, as bench_sign does)
 *	against jcs_sha256_per_object (objects/s of the hashed bytes, RFC
 *	8785, plus SHA-256, of each object alone).
 *  lookup NODE PRESENT ABSENT OBJECTS
 *	lookups/s through lookup_value() of the present and absent values
 *	(p50, p99), each against the same values probed with one bare SQLite
 *	statement on NODE's store.db; fails when a present value is not
 *	found (either way) or an absent one is. NODE is opened as serve
 *	opens it, with the absent-value filter (store_filter.h), whose
 *	build is lookup_filter_open_ms against node_open_ms without it.
 *  parse BUNDLE
 *	the baseline of the ingest for a bundle bench_import --parse does not
 *	take (over its 512 MiB cap): a jansson parse of the same bytes, one
 *	json_loadb per element of "objects" (the file mapped, one pass), in
 *	objects/s; the same figure bench_import prints for a whole-document
 *	parse, without holding every object at once.
 *  rusage OUT CMD [ARG...]
 *	run CMD, then write "WALL_S MAXRSS_KB EXIT" to OUT (wait4: the peak
 *	RSS of that process alone, without /usr/bin/time).
 *  receipts NODE
 *	print "ROWS RECEIPTS" of NODE's provenance from peers of wallets,
 *	indicators and relationships (what bench_federation.sh imports, not
 *	the identities the first rounds bring): the versions delivered to
 *	it, and every delivery, duplicates included.
 *  delta FROM TO CMD [ARG...]
 *	run CMD (an import at FROM), then read TO's store every 2 ms until
 *	it holds as many new versions as FROM gained: "SECONDS FROM_NEW
 *	TO_NEW", the seconds from CMD's exit (delta_push_s).
 *
 * Output: JSON lines, bench "scale", each with "objects".
 */
#include <jansson.h>
#include <sqlite3.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "bench.h"
#include "hash.h"
#include "kinds.h"
#include "lookup.h"
#include "recipe.h"

#define SIGN_BATCH	1024	/* objects per signed batch (bench_sign's) */
#define SAMPLE		2000	/* present and absent values kept */
#define VALUE_MAX	128

static FILE	*g_rand;
static long	 g_objects;	/* the "objects" of every line */

static void
figure(const char *metric, double v, const char *unit, const char *base,
    double bv)
{
	printf("{\"bench\":\"scale\",\"metric\":\"%s\",\"value\":%.1f,"
	    "\"unit\":\"%s\",\"objects\":%ld", metric, v, unit, g_objects);
	if (base != NULL)
		printf(",\"baseline\":\"%s\",\"baseline_value\":%.1f,"
		    "\"ratio\":%.3f", base, bv, bv > 0 ? v / bv : 0.0);
	printf("}\n");
	fflush(stdout);
}

static int
die(const char *what, const struct tx_err *err)
{
	fprintf(stderr, "bench_scale: %s%s%s\n", what, err != NULL ? ": " : "",
	    err != NULL ? err->msg : "");
	return 1;
}

/* Random bytes from one buffered /dev/urandom stream (no rand()). */
static void
rnd(void *p, size_t n)
{
	if (fread(p, 1, n, g_rand) != n) {
		fprintf(stderr, "bench_scale: /dev/urandom: short read\n");
		exit(1);
	}
}

/*
 * The i-th value in turn: a wallet (0x + 40 lowercase hex, a valid
 * unchecksummed EVM address), a domain (a random label under one of a few
 * TLDs) or an alias (two random words: letters only, so that detection
 * reads it as an alias). The chance of a repeat is negligible.
 */
static enum norm_kind
random_value(char v[VALUE_MAX], size_t i)
{
	static const char	*tlds[] = { "com", "net", "org", "io", "info" };
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 b[20];
	size_t			 k;

	rnd(b, sizeof(b));
	switch (i % 3) {
	case 0:
		v[0] = '0';
		v[1] = 'x';
		for (k = 0; k < 20; k++) {
			v[2 + 2 * k] = hex[b[k] >> 4];
			v[3 + 2 * k] = hex[b[k] & 15];
		}
		v[42] = '\0';
		return NORM_WALLET;
	case 1:
		/*
		 * 14 letters or digits, starting with a letter other than
		 * b and l: detection reads "bc1..." and "ltc1..." as wallet
		 * addresses even with a dot in them (and then refuses them).
		 */
		for (k = 0; k < 14; k++)
			v[k] = k == 0 ? "acdefghijkmnopqrstuvwxyz"[b[k] % 24] :
			    "abcdefghijklmnopqrstuvwxyz0123456789"[b[k] % 36];
		snprintf(v + 14, VALUE_MAX - 14, ".%s", tlds[b[14] % 5]);
		return NORM_DOMAIN;
	default:
		for (k = 0; k < 17; k++)
			v[k] = k == 8 ? ' ' : k == 0 || k == 9 ?
			    'A' + b[k] % 26 : 'a' + b[k] % 26;
		v[17] = '\0';
		return NORM_ALIAS;
	}
}

/* "kind\tkey\tvalue": how the store indexes it and what is looked up. */
static void
sample_line(FILE *f, enum norm_kind kind, const char *value)
{
	const struct obs_kind	*k = obs_kind_get(kind);
	struct norm_result	 r;

	if (norm_value(&r, kind, NULL, value, strlen(value), NULL) < 0) {
		fprintf(stderr, "bench_scale: %s does not normalise\n", value);
		exit(1);
	}
	fprintf(f, "%s\t%s\t%s\n", k->name, obs_kind_key(k, &r), value);
}

/*
 * Author objects for random values until *count reach want (whole
 * values): objs holds them, unsigned. A value the recipe refuses is
 * skipped (none expected). The first values go to present.
 */
static int
author_batch(json_t **objs, size_t *count, size_t want, struct node *n,
    size_t *seq, FILE *present, size_t *npresent)
{
	struct recipe		 rec = { NORM_UNKNOWN, NULL, NULL, TLP_GREEN,
	    80, 0, 0, NULL, 0, 0, NULL, NULL };
	struct norm_result	 r;
	struct tx_err		 err;
	char			 v[VALUE_MAX], actor[128] = "";
	int			 refused = 0;

	*count = 0;
	while (*count + RECIPE_MAX_OBJS <= want) {
		rec.kind = random_value(v, (*seq)++);
		if (recipe_build(objs, count, n, &rec, v, actor, &r,
		    &err) < 0) {
			fprintf(stderr, "bench_scale: %s: %s\n", v, err.msg);
			if (++refused > 100)
				return -1;
			continue;
		}
		if (present != NULL && *npresent < SAMPLE) {
			sample_line(present, rec.kind, v);
			(*npresent)++;
		}
	}
	return 0;
}

static int
gen(struct node *n, long want, const char *bundle, const char *ppath,
    const char *apath)
{
	struct batch_signer	 bs = { n->signing, n->cfg.identity };
	struct tx_err		 err;
	json_t			*objs[SIGN_BATCH];
	FILE			*out, *present, *absent;
	unsigned char		 u[16];
	char			 v[VALUE_MAX];
	size_t			 count, k, seq = 0, npresent = 0;
	long			 total = 0;

	if ((out = fopen(bundle, "w")) == NULL ||
	    (present = fopen(ppath, "w")) == NULL ||
	    (absent = fopen(apath, "w")) == NULL)
		return die("cannot write the outputs", NULL);
	setvbuf(out, NULL, _IOFBF, 1 << 20);
	rnd(u, sizeof(u));
	u[6] = (u[6] & 0x0f) | 0x40;	/* a version 4 UUID */
	u[8] = (u[8] & 0x3f) | 0x80;
	fprintf(out, "{\"type\":\"bundle\",\"id\":\"bundle--");
	for (k = 0; k < 16; k++)
		fprintf(out, "%02x%s", u[k], k == 3 || k == 5 || k == 7 ||
		    k == 9 ? "-" : "");
	fprintf(out, "\",\"objects\":[");
	while (total < want) {
		size_t	room = (size_t)(want - total) < SIGN_BATCH ?
		    (size_t)(want - total) : SIGN_BATCH;

		/* At least one whole value, even for the last few objects. */
		if (room < RECIPE_MAX_OBJS)
			room = RECIPE_MAX_OBJS;
		if (author_batch(objs, &count, room, n, &seq, present,
		    &npresent) < 0 || count == 0)
			return die("authoring failed", NULL);
		if (batch_sign(objs, count, &bs, node_now_us(), &err) < 0)
			return die("batch_sign", &err);
		/* Written out and freed batch by batch: flat memory. */
		for (k = 0; k < count; k++) {
			if (total > 0)
				fputc(',', out);
			if (json_dumpf(objs[k], out, JSON_COMPACT) != 0)
				return die("writing the bundle", NULL);
			json_decref(objs[k]);
			total++;
		}
	}
	fprintf(out, "]}\n");
	for (k = 0; k < npresent; k++) {
		enum norm_kind	kind = random_value(v, seq + k);

		sample_line(absent, kind, v);
	}
	if (fclose(out) != 0 || fclose(present) != 0 || fclose(absent) != 0)
		return die("writing the outputs", NULL);
	printf("objects %ld\n", total);
	return 0;
}

static int
key_cb(const struct sig_key **out, const char *signer, const char *kid,
    const char *root_b64, void *payload)
{
	*out = payload;
	return 0;
}

static int
verify(struct node *n)
{
	struct batch_signer	 bs = { n->signing, n->cfg.identity };
	struct batch_verdict	 vd;
	struct batch_cache	*cache = batch_cache_new(4096);
	struct tx_err		 err;
	struct tx_buf		 hb;
	json_t			*objs[16][SIGN_BATCH];
	uint8_t			 h[TX_SHA256_LEN];
	size_t			 count[16], seq = 0, j, k, nobj = 0;
	double			 t, t_verify, t_jcs;

	/* 16 batches of these objects, signed outside the timing. */
	for (j = 0; j < 16; j++) {
		if (author_batch(objs[j], &count[j], SIGN_BATCH, n, &seq, NULL,
		    NULL) < 0 || batch_sign(objs[j], count[j], &bs,
		    node_now_us(), &err) < 0)
			return die("signing", &err);
		nobj += count[j];
	}
	g_objects = (long)nobj;
	t = bench_now();
	for (j = 0; j < 16; j++) {
		batch_cache_clear(cache);	/* one real verify per batch */
		for (k = 0; k < count[j]; k++)
			if (batch_verify_entry(&vd, objs[j][k], 0, NULL, key_cb,
			    n->signing, cache, &err) != 0)
				return die(vd.reason, NULL);
	}
	t_verify = bench_now() - t;
	/* The floor of any verification: each object's hashed bytes. */
	tx_buf_init(&hb, BATCH_OBJECT_MAX);
	t = bench_now();
	for (j = 0; j < 16; j++)
		for (k = 0; k < count[j]; k++) {
			tx_buf_reset(&hb);
			if (batch_hashed_bytes(&hb, objs[j][k], &err) != 0)
				return die("hashed bytes", &err);
			hash_sha256(h, hb.data, hb.len);
		}
	t_jcs = bench_now() - t;
	figure("verify_batch_1024", nobj / t_verify, "objects/s",
	    "jcs_sha256_per_object", nobj / t_jcs);
	tx_buf_dispose(&hb);
	batch_cache_free(cache);
	for (j = 0; j < 16; j++)
		for (k = 0; k < count[j]; k++)
			json_decref(objs[j][k]);
	return 0;
}

struct sample {
	char	kind[16];
	char	key[VALUE_MAX * 2];
	char	value[VALUE_MAX];
};

static size_t
read_sample(struct sample *s, size_t max, const char *path)
{
	FILE	*f = fopen(path, "r");
	char	 line[600], *t1, *t2;
	size_t	 n = 0;

	if (f == NULL)
		return 0;
	while (n < max && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((t1 = strchr(line, '\t')) == NULL ||
		    (t2 = strchr(t1 + 1, '\t')) == NULL)
			continue;
		*t1++ = '\0';
		*t2++ = '\0';
		snprintf(s[n].kind, sizeof(s[n].kind), "%s", line);
		snprintf(s[n].key, sizeof(s[n].key), "%s", t1);
		snprintf(s[n].value, sizeof(s[n].value), "%s", t2);
		n++;
	}
	fclose(f);
	return n;
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

#define PASSES	3	/* over the sample: a stable figure, warm cache */

/* lookup_value() of every value, PASSES times: lookups/s, p50, p99. */
static int
lookups(struct node *n, const struct sample *s, size_t ns, int want_known,
    double *rate, double *p50, double *p99)
{
	struct tx_err	 err;
	json_t		*view;
	double		*lat, t, t0;
	size_t		 i, m = 0;

	if ((lat = calloc(ns * PASSES, sizeof(*lat))) == NULL)
		return -1;
	t0 = bench_now();
	for (i = 0; i < ns * PASSES; i++) {
		t = bench_now();
		if (lookup_value(&view, n, s[i % ns].value, NULL, &err) < 0) {
			fprintf(stderr, "bench_scale: lookup %s: %s\n",
			    s[i % ns].value, err.msg);
			return -1;
		}
		lat[m++] = (bench_now() - t) * 1e6;
		if (json_is_true(json_object_get(view, "known")) !=
		    want_known) {
			fprintf(stderr, "bench_scale: lookup %s: known is %s\n",
			    s[i % ns].value, want_known ? "false" : "true");
			return -1;
		}
		json_decref(view);
	}
	*rate = m / (bench_now() - t0);
	qsort(lat, m, sizeof(*lat), cmp_double);
	*p50 = lat[m / 2];
	*p99 = lat[m * 99 / 100];
	free(lat);
	return 0;
}

/*
 * The baseline: the same values as one bare indexed SELECT each on the
 * same store.db. Every present value must find a row (else the keys here
 * are not the store's and the figure means nothing); no absent value may.
 */
static int
probes(sqlite3 *db, const struct sample *s, size_t ns, int want_rows,
    double *rate)
{
	sqlite3_stmt	*st;
	double		 t0;
	size_t		 i, bad = 0;
	long		 rows = 0, r;

	if (sqlite3_prepare_v2(db, "SELECT vrow FROM observables WHERE "
	    "kind=?1 AND value=?2", -1, &st, NULL) != SQLITE_OK)
		return -1;
	t0 = bench_now();
	for (i = 0; i < ns * PASSES; i++) {
		sqlite3_bind_text(st, 1, s[i % ns].kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, s[i % ns].key, -1, SQLITE_STATIC);
		for (r = 0; sqlite3_step(st) == SQLITE_ROW; r++)
			;
		sqlite3_reset(st);
		rows += r;
		bad += want_rows ? r == 0 : r != 0;
	}
	*rate = ns * PASSES / (bench_now() - t0);
	sqlite3_finalize(st);
	if (bad > 0 || (want_rows && rows == 0)) {
		fprintf(stderr, "bench_scale: sqlite probe: %zu of %zu %s "
		    "values %s (%ld rows)\n", bad / PASSES, ns, want_rows ?
		    "present" : "absent", want_rows ? "not found" : "found",
		    rows);
		return -1;
	}
	return 0;
}

static int
lookup(const char *dir, const char *ppath, const char *apath)
{
	struct sample	*pres, *abs;
	struct node	*n;
	struct tx_err	 err;
	sqlite3		*db;
	char		 path[600];
	double		 lr[2], p50[2], p99[2], pr[2], t0, t1;
	size_t		 np, na;

	pres = calloc(SAMPLE, sizeof(*pres));
	abs = calloc(SAMPLE, sizeof(*abs));
	if (pres == NULL || abs == NULL)
		return die("out of memory", NULL);
	np = read_sample(pres, SAMPLE, ppath);
	na = read_sample(abs, SAMPLE, apath);
	if (np == 0 || na == 0)
		return die("no sample values", NULL);
	/*
	 * Opened as serve opens it: reads mapped, the absent-value filter
	 * (its build timed against an open without it, warm both times).
	 */
	if (node_open(&n, dir, NODE_OPEN_LOOKUPS, &err) < 0)
		return die(dir, &err);
	node_close(n);
	t0 = bench_now();
	if (node_open(&n, dir, NODE_OPEN_LOOKUPS, &err) < 0)
		return die(dir, &err);
	t1 = bench_now();
	node_close(n);
	if (node_open(&n, dir, NODE_OPEN_LOOKUPS | NODE_OPEN_FILTER, &err) < 0)
		return die(dir, &err);
	figure("lookup_filter_open_ms", (bench_now() - t1) * 1e3, "ms",
	    "node_open_ms", (t1 - t0) * 1e3);
	if (lookups(n, pres, np, 1, &lr[0], &p50[0], &p99[0]) < 0 ||
	    lookups(n, abs, na, 0, &lr[1], &p50[1], &p99[1]) < 0)
		return 1;
	node_close(n);
	snprintf(path, sizeof(path), "%s/store.db", dir);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		return die("cannot open store.db", NULL);
	if (probes(db, pres, np, 1, &pr[0]) < 0 ||
	    probes(db, abs, na, 0, &pr[1]) < 0)
		return 1;
	sqlite3_close(db);
	figure("lookup_present", lr[0], "lookups/s", "sqlite_index_probe",
	    pr[0]);
	figure("lookup_present_p50_us", p50[0], "us", NULL, 0);
	figure("lookup_present_p99_us", p99[0], "us", NULL, 0);
	figure("lookup_absent", lr[1], "lookups/s", "sqlite_index_probe",
	    pr[1]);
	figure("lookup_absent_p50_us", p50[1], "us", NULL, 0);
	figure("lookup_absent_p99_us", p99[1], "us", NULL, 0);
	free(pres);
	free(abs);
	return 0;
}

/* Each object of the bundle at path parsed on its own: objects/s. */
static int
parse(const char *path)
{
	json_error_t	 je;
	json_t		*o;
	struct stat	 sb;
	const char	*buf, *p, *end;
	double		 t;
	long		 n = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &sb) < 0 ||
	    (buf = mmap(NULL, sb.st_size, PROT_READ, MAP_PRIVATE, fd,
	    0)) == MAP_FAILED)
		return die(path, NULL);
	end = buf + sb.st_size;
	t = bench_now();
	if ((p = memmem(buf, sb.st_size, "\"objects\":[", 11)) == NULL)
		return die("no \"objects\" in the bundle", NULL);
	for (p += 11; p < end; ) {
		if (*p == ',' || *p == ' ' || *p == '\n') {
			p++;
			continue;
		}
		if (*p == ']')
			break;
		/* DISABLE_EOF_CHECK: je.position is where the value ends. */
		if ((o = json_loadb(p, end - p, JSON_DISABLE_EOF_CHECK,
		    &je)) == NULL)
			return die(je.text, NULL);
		json_decref(o);
		p += je.position;
		n++;
	}
	t = bench_now() - t;
	printf("{\"bench\":\"scale\",\"metric\":\"jansson_parse_objects_per_s"
	    "\",\"value\":%.0f,\"unit\":\"objects/s\",\"objects\":%ld}\n",
	    n / t, n);
	munmap((void *)buf, sb.st_size);
	close(fd);
	return 0;
}

/* Run argv to its end: its wait status and resource use; -1 (said). */
static int
run(char **argv, int *status, struct rusage *ru)
{
	pid_t	pid;

	if ((pid = fork()) < 0)
		return -die("fork", NULL);
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "bench_scale: %s: %s\n", argv[0],
		    strerror(errno));
		_exit(127);
	}
	if (wait4(pid, status, 0, ru) != pid)
		return -die("wait4", NULL);
	return 0;
}

/* Run argv, then "WALL_S MAXRSS_KB EXIT" to out. */
static int
rusage_run(const char *out, char **argv)
{
	struct rusage	ru;
	FILE		*f;
	double		 t = bench_now();
	int		 status;

	if (run(argv, &status, &ru) < 0)
		return 1;
	t = bench_now() - t;
	if ((f = fopen(out, "w")) == NULL)
		return die("cannot write the rusage file", NULL);
	fprintf(f, "%.3f %ld %d\n", t, ru.ru_maxrss,
	    WIFEXITED(status) ? WEXITSTATUS(status) : 128);
	fclose(f);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* NODE's store.db, read-only; NULL (said) when it cannot be opened. */
static sqlite3 *
store_ro(const char *dir)
{
	sqlite3	*db;
	char	 path[4096];

	snprintf(path, sizeof(path), "%s/store.db", dir);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		fprintf(stderr, "bench_scale: %s: %s\n", path,
		    sqlite3_errmsg(db));
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 10000);
	return db;
}

/* The one integer q answers (?1, if it has one, bound to a); -1 if none. */
static long long
store_int(sqlite3 *db, const char *q, long long a)
{
	sqlite3_stmt	*s = NULL;
	long long	 v = -1;

	if (sqlite3_prepare_v2(db, q, -1, &s, NULL) == SQLITE_OK &&
	    (sqlite3_bind_parameter_count(s) == 0 ||
	    sqlite3_bind_int64(s, 1, a) == SQLITE_OK) &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	else
		fprintf(stderr, "bench_scale: %s: %s\n", q, sqlite3_errmsg(db));
	sqlite3_finalize(s);
	return v;
}

/* Provenance rows from peers of the imported types, and their receipts. */
static int
receipts(const char *dir)
{
	sqlite3		*db;
	sqlite3_stmt	*s = NULL;
	int		 rc = 1;

	if ((db = store_ro(dir)) == NULL)
		return 1;
	if (sqlite3_prepare_v2(db, "SELECT count(*), coalesce(sum(p.receipts), "
	    "0) FROM provenance p JOIN versions v ON v.vrow = p.vrow WHERE "
	    "p.peer != '' AND v.type IN ('cryptocurrency-wallet', "
	    "'indicator', 'relationship')", -1, &s, NULL) ==
	    SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
		printf("%lld %lld\n", (long long)sqlite3_column_int64(s, 0),
		    (long long)sqlite3_column_int64(s, 1));
		rc = 0;
	} else
		fprintf(stderr, "bench_scale: %s: %s\n", dir,
		    sqlite3_errmsg(db));
	sqlite3_finalize(s);
	sqlite3_close(db);
	return rc;
}

#define NEWER	"SELECT count(*) FROM versions WHERE vrow > ?1"
#define LAST	"SELECT coalesce(max(vrow), 0) FROM versions"

/*
 * delta FROM TO CMD...: run CMD (which stores versions at FROM), then
 * wait, reading TO's store.db every 2 ms, until TO holds as many versions
 * newer than before as FROM gained; 120 s at most. Prints "SECONDS
 * FROM_NEW TO_NEW": the time from CMD's last commit at FROM, as read from
 * FROM's store.db every 2 ms while CMD runs (a process may linger after
 * its commit, the push already on its way: the time from its exit would
 * leave out what went on meanwhile), or from CMD's exit when no commit
 * was seen while it ran.
 *
 * The poll must not compete for the cores it measures. Counting the new
 * rows of versions reads their table pages (a row is most of a page), all
 * of them again after each of the receiver's commits: up to a quarter of
 * a core, on a 2-core machine. So each poll reads only the newest row
 * number (one page), and counts the new rows only once that number says
 * they may all be there (rows are numbered in order).
 */
/*
 * Run argv, reading f's newest row number every 2 ms meanwhile: *last is
 * when it was last seen to change, else the exit. -1 (said) on failure.
 */
static int
run_watched(char **argv, int *status, sqlite3 *f, double *last)
{
	struct timespec	 ts = { 0, 2000000 };
	long long	 seen, now;
	pid_t		 pid, w;

	if ((seen = store_int(f, LAST, 0)) < 0)
		return -1;
	*last = 0;
	if ((pid = fork()) < 0)
		return -die("fork", NULL);
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "bench_scale: %s: %s\n", argv[0],
		    strerror(errno));
		_exit(127);
	}
	while ((w = waitpid(pid, status, WNOHANG)) == 0) {
		if ((now = store_int(f, LAST, 0)) >= 0 && now != seen) {
			seen = now;
			*last = bench_now();
		}
		nanosleep(&ts, NULL);
	}
	if (w != pid)
		return -die("waitpid", NULL);
	/* A commit just before the exit, not seen yet: the exit. */
	if (*last == 0 || store_int(f, LAST, 0) != seen)
		*last = bench_now();
	return 0;
}

static int
delta(const char *from, const char *to, char **argv)
{
	struct timespec	 ts = { 0, 2000000 };
	sqlite3		*f, *t;
	sqlite3_stmt	*s = NULL, *m = NULL;
	long long	 f0, t0, want, got = 0;
	double		 start;
	int		 status;

	if ((f = store_ro(from)) == NULL || (t = store_ro(to)) == NULL)
		return 1;
	if ((f0 = store_int(f, LAST, 0)) < 0 || (t0 = store_int(t, LAST, 0)) < 0)
		return 1;
	if (run_watched(argv, &status, f, &start) < 0)
		return 1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return die("the delta's command failed", NULL);
	if ((want = store_int(f, NEWER, f0)) <= 0)
		return die("the delta's command stored nothing", NULL);
	/* Prepared once: the poll itself costs the nodes as little as it can. */
	if (sqlite3_prepare_v2(t, NEWER, -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 1, t0) != SQLITE_OK ||
	    sqlite3_prepare_v2(t, LAST, -1, &m, NULL) != SQLITE_OK)
		return die("cannot read the receiver's store", NULL);
	while (bench_now() - start < 120) {
		got = sqlite3_step(m) == SQLITE_ROW ?
		    sqlite3_column_int64(m, 0) - t0 : -1;
		sqlite3_reset(m);
		if (got >= want) {
			got = sqlite3_step(s) == SQLITE_ROW ?
			    sqlite3_column_int64(s, 0) : -1;
			sqlite3_reset(s);
		}
		if (got < 0 || got >= want)
			break;
		nanosleep(&ts, NULL);
	}
	printf("%.3f %lld %lld\n", bench_now() - start, want, got);
	sqlite3_finalize(s);
	sqlite3_finalize(m);
	sqlite3_close(f);
	sqlite3_close(t);
	return got >= want ? 0 : 1;
}

static int
usage(void)
{
	fprintf(stderr, "usage: bench_scale gen NODE N BUNDLE PRESENT ABSENT\n"
	    "       bench_scale verify NODE\n"
	    "       bench_scale lookup NODE PRESENT ABSENT OBJECTS\n"
	    "       bench_scale parse BUNDLE\n"
	    "       bench_scale rusage OUT CMD [ARG...]\n"
	    "       bench_scale receipts NODE\n"
	    "       bench_scale delta FROM TO CMD [ARG...]\n");
	return 2;
}

int
main(int argc, char **argv)
{
	struct node	*n;
	struct tx_err	 err;
	int		 rc;

	if (argc >= 4 && strcmp(argv[1], "rusage") == 0)
		return rusage_run(argv[2], argv + 3);
	if (argc == 3 && strcmp(argv[1], "parse") == 0)
		return parse(argv[2]);
	if (argc == 3 && strcmp(argv[1], "receipts") == 0)
		return receipts(argv[2]);
	if (argc >= 5 && strcmp(argv[1], "delta") == 0)
		return delta(argv[2], argv[3], argv + 4);
	if (argc == 6 && strcmp(argv[1], "lookup") == 0) {
		g_objects = strtol(argv[5], NULL, 10);
		return lookup(argv[2], argv[3], argv[4]);
	}
	if (!(argc == 7 && strcmp(argv[1], "gen") == 0) &&
	    !(argc == 3 && strcmp(argv[1], "verify") == 0))
		return usage();
	if ((g_rand = fopen("/dev/urandom", "rb")) == NULL)
		return die("/dev/urandom", NULL);
	if (node_open(&n, argv[2], NODE_OPEN_SIGNING, &err) < 0)
		return die(argv[2], &err);
	if (argv[1][0] == 'g')
		rc = gen(n, strtol(argv[3], NULL, 10), argv[4], argv[5],
		    argv[6]);
	else
		rc = verify(n);
	node_close(n);
	fclose(g_rand);
	return rc;
}
