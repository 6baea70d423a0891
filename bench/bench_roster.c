/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_roster.c - a federation of many members (issue 14): what a node
 * with N roster members (default 1000, added with --identity-only) costs
 * to open and to ask, each against a baseline measured in the same run:
 *
 *  - roster_open_ms: node_open with the roster read from the store
 *    (store_roster.h), against roster_open_files_ms, the open that reads
 *    and verifies every descriptor file (how every open went before; made
 *    here by touching one file before each open), and against
 *    roster_open_1_ms, the open of a node whose roster is itself alone
 *    (constant time: the ratio stays near 1 whatever N);
 *  - peer_add_ms: one more `peer add --identity-only` at N members
 *    (the mean of the last ADDS adds), against the mean of the first ADDS;
 *  - roster_kid_lookups: roster_key_cb over every member's (identity,
 *    kid) in the roster node_open read from the store, lookups/s,
 *    against the same number over a roster of a tenth of them
 *    (roster_kid_lookups_tenth): O(log n) keeps the ratio near
 *    log(N/10)/log(N), a scan would make it 0.1.
 *
 * Descriptors are made in-process (a fresh Ed25519 key, identity and TLS
 * pin each), written to a file and added by node_peer_add_file, as `peer
 * add FILE --identity-only --yes` does. Output: one JSON line per figure
 * (bench "roster"). Run: ./bench_roster [N]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "descriptor.h"
#include "fixture.h"
#include "hash.h"
#include "ids.h"
#include "node.h"
#include "peer.h"

#define ADDS	100	/* adds averaged at each end */
#define OPENS	20	/* opens averaged */

struct member {
	char	name[64];
	char	identity[128];
	char	kid[SIG_KID_HEX];
	uint8_t	pub[SIG_PUB_LEN];
};

static void
figure(const char *metric, double v, int prec, const char *unit,
    const char *base, double bv)
{
	if (base != NULL)
		printf("{\"bench\":\"roster\",\"metric\":\"%s\",\"value\":%.*f,"
		    "\"unit\":\"%s\",\"baseline\":\"%s\",\"baseline_value\":"
		    "%.*f,\"ratio\":%.3f}\n", metric, prec, v, unit, base, prec,
		    bv, bv > 0 ? v / bv : 0.0);
	else
		printf("{\"bench\":\"roster\",\"metric\":\"%s\",\"value\":%.*f,"
		    "\"unit\":\"%s\"}\n", metric, prec, v, unit);
	fflush(stdout);
}

static void
die(const char *what, const struct tx_err *err)
{
	fprintf(stderr, "bench_roster: %s: %s%s%s\n", what, err->where,
	    err->where[0] ? ": " : "", err->msg);
	exit(1);
}

static void
make_node(const char *dir, const char *name)
{
	struct tx_err	err;

	tx_err_clear(&err);
	if (fx_node_make(dir, name, &err) < 0)
		die("init", &err);
}

/* Member i's descriptor, signed by a fresh key, into file; m its ids. */
static void
make_descriptor(const char *file, unsigned i, struct member *m)
{
	struct descriptor	 d;
	struct sig_key		*k;
	struct tx_err		 err;
	uint8_t			 h[32];
	char			 seed[32], uuid[37];
	json_t			*j;
	FILE			*f;

	memset(&d, 0, sizeof(d));
	snprintf(d.name, sizeof(d.name), "m%u", i);
	if (stix_uuid4(uuid) < 0)
		exit(1);
	snprintf(d.identity, sizeof(d.identity), "identity--%s", uuid);
	snprintf(d.url, sizeof(d.url), "https://127.0.0.1:2/");
	snprintf(seed, sizeof(seed), "member %u", i);
	hash_sha256(h, seed, strlen(seed));
	hex_encode(d.tls_pin, h, sizeof(h));
	tx_err_clear(&err);
	if (sig_key_generate(&k, &err) < 0)
		die("key", &err);
	sig_key_public(k, d.pub);
	sig_key_kid(k, d.kid);
	if (descriptor_build(&j, &d, k, 1740139200000000LL, &err) < 0)
		die("descriptor", &err);
	sig_key_free(k);
	if ((f = fopen(file, "w")) == NULL || json_dumpf(j, f, 0) < 0) {
		perror(file);
		exit(1);
	}
	fclose(f);
	json_decref(j);
	memcpy(m->name, d.name, sizeof(m->name));
	memcpy(m->identity, d.identity, sizeof(m->identity));
	memcpy(m->kid, d.kid, sizeof(m->kid));
	memcpy(m->pub, d.pub, sizeof(m->pub));
}

static struct node *
open_node(const char *dir)
{
	struct node	*n;
	struct tx_err	 err;

	tx_err_clear(&err);
	if (node_open(&n, dir, 0, &err) < 0)
		die("open", &err);
	return n;
}

/* Mean ms of OPENS opens of dir; with touch, that file touched first. */
static double
opens_ms(const char *dir, const char *touch)
{
	double	t = 0, t0;
	int	i;

	for (i = 0; i < OPENS; i++) {
		if (touch != NULL && utimensat(AT_FDCWD, touch, NULL, 0) < 0) {
			perror(touch);
			exit(1);
		}
		t0 = bench_now();
		node_close(open_node(dir));
		t += bench_now() - t0;
	}
	return t * 1e3 / OPENS;
}

/*
 * roster_key_cb over m[0..n) of roster r, one round to warm up (each
 * key object is made at its first use) and then rounds: lookups/s.
 */
static double
kid_lookups(struct roster *r, const struct member *m, size_t n, int rounds)
{
	const struct sig_key	*k;
	double			 t0 = 0;
	size_t			 i;
	int			 j;

	for (j = 0; j <= rounds; j++) {
		if (j == 1)
			t0 = bench_now();
		for (i = 0; i < n; i++)
			if (roster_key_cb(&k, m[i].identity, m[i].kid, NULL,
			    r) != 0) {
				fprintf(stderr, "bench_roster: member %zu "
				    "not found\n", i);
				exit(1);
			}
	}
	return (double)n * rounds / (bench_now() - t0);
}

/* A roster in memory of m[0..n), as node_open makes it from the store. */
static void
roster_of(struct roster *r, const struct member *m, size_t n)
{
	struct tx_err	err;
	uint8_t		next[32] = { 0 };
	size_t		i;

	roster_init(r);
	tx_err_clear(&err);
	for (i = 0; i < n; i++)
		if (roster_add_known(r, m[i].name, m[i].identity, m[i].pub,
		    sizeof(m[i].pub), next, 0, &err) < 0)
			die("roster", &err);
}

int
main(int argc, char **argv)
{
	struct node_peer_opts	 o;
	struct member		*m;
	struct roster		 tenth;
	struct node		*n;
	struct tx_err		 err;
	char			 tmp[] = "/tmp/tx-bench-roster-XXXXXX";
	char			 dir[128], one[128], file[160], touch[200];
	double			 t0, first = 0, last = 0, open_n, open_f, open_1;
	double			 lk_n, lk_t;
	unsigned		 nmem = argc > 1 ? (unsigned)atoi(argv[1]) : 1000;
	unsigned		 i;

	if (nmem < 2 * ADDS || nmem > 10000) {
		fprintf(stderr, "usage: bench_roster [N: %d..10000]\n",
		    2 * ADDS);
		return 2;
	}
	if (mkdtemp(tmp) == NULL || (m = calloc(nmem, sizeof(*m))) == NULL) {
		perror("bench_roster");
		return 1;
	}
	snprintf(dir, sizeof(dir), "%s/big", tmp);
	snprintf(one, sizeof(one), "%s/one", tmp);
	snprintf(file, sizeof(file), "%s/d.json", tmp);
	make_node(dir, "big");
	make_node(one, "one");
	node_peer_opts_init(&o);
	o.identity_only = 1;
	n = open_node(dir);
	for (i = 0; i < nmem; i++) {
		make_descriptor(file, i, &m[i]);
		t0 = bench_now();
		tx_err_clear(&err);
		if (node_peer_add_file(n, file, &o, NULL, NULL, &err) < 0)
			die("peer add", &err);
		if (i < ADDS)
			first += bench_now() - t0;
		else if (i >= nmem - ADDS)
			last += bench_now() - t0;
	}
	node_close(n);
	figure("roster_members", nmem, 0, "members", NULL, 0);
	figure("peer_add_ms", last * 1e3 / ADDS, 2, "ms", "peer_add_first_ms",
	    first * 1e3 / ADDS);
	/* The first open after the adds reads the store: no file. */
	open_n = opens_ms(dir, NULL);
	snprintf(touch, sizeof(touch), "%s/peers/m0.json", dir);
	open_f = opens_ms(dir, touch);
	open_1 = opens_ms(one, NULL);
	figure("roster_open_ms", open_n, 2, "ms", "roster_open_files_ms",
	    open_f);
	figure("roster_open_vs_1_member", open_n, 2, "ms", "roster_open_1_ms",
	    open_1);
	/* The same number of lookups over all N and over a tenth of them. */
	n = open_node(dir);
	lk_n = kid_lookups(&n->roster, m, nmem, 20);
	node_close(n);
	roster_of(&tenth, m, nmem / 10);
	lk_t = kid_lookups(&tenth, m, nmem / 10, 200);
	roster_dispose(&tenth);
	figure("roster_kid_lookups", lk_n, 0, "lookups/s",
	    "roster_kid_lookups_tenth", lk_t);
	free(m);
	fx_rmtree(tmp);
	return 0;
}
