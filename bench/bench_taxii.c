/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_taxii.c - the client half of the `taxii` benchmark (DESIGN §10):
 * against a running node, with a peer's certificate, it measures full
 * mutual-TLS handshakes per second (a new connection per request),
 * objects served per second (pages of 1000 over one kept-alive
 * connection) and /lookup/ requests per second with their p99.
 * With CLIENTS (the scale benchmark, bench_scale.sh): objects served, then
 * lookups from CLIENTS threads at once, each its own kept-alive
 * connection, as lookup_rps_<CLIENTS> and lookup_p99_ms_<CLIENTS>; the
 * values asked for are the third column of VALUES (bench_scale's sample:
 * kind, key, value; each must be known), else VALUE.
 * Usage: bench_taxii BASE_URL PIN CERT KEY VALUE SECONDS [CLIENTS [VALUES]]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "taxii_client.h"

#define CLIENTS_MAX	256
#define VALUES_MAX	4096

static char	*g_paths[VALUES_MAX];	/* "lookup/?value=..." each */
static size_t	 g_npaths;
static double	 g_dur;

static void
figure(const char *metric, double v, const char *unit)
{
	printf("{\"bench\":\"taxii\",\"metric\":\"%s\",\"value\":%.1f,"
	    "\"unit\":\"%s\"}\n", metric, v, unit);
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
count_objects(const uint8_t *body, size_t len, int64_t last,
    struct taxii_page_result *res, void *payload)
{
	const char	*p = (const char *)body;
	long		*n = payload;

	/* Each served object carries exactly one "spec_version". */
	while ((p = strstr(p, "\"spec_version\"")) != NULL) {
		(*n)++;
		p++;
	}
	res->more = 0;
	res->count = 1;
	return 0;
}

/*
 * The /lookup/ path asking for value: everything but RFC 3986's
 * unreserved characters percent-encoded (a space in an alias, '+', '&',
 * '#' and '%' would otherwise change the query). NULL: no memory.
 */
static char *
lookup_path(const char *value)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	char			*path, *q;
	size_t			 len = strlen(value);

	if ((path = malloc(sizeof("lookup/?value=") + 3 * len)) == NULL)
		return NULL;
	memcpy(path, "lookup/?value=", sizeof("lookup/?value=") - 1);
	q = path + sizeof("lookup/?value=") - 1;
	for (p = (const unsigned char *)value; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL)
			*q++ = (char)*p;
		else {
			*q++ = '%';
			*q++ = hex[*p >> 4];
			*q++ = hex[*p & 15];
		}
	}
	*q = '\0';
	return path;
}

/* The values of a bench_scale sample file (third column), as paths. */
static int
load_values(const char *file)
{
	FILE	*f = fopen(file, "r");
	char	 line[1024], *v;

	if (f == NULL)
		return -1;
	while (g_npaths < VALUES_MAX && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((v = strrchr(line, '\t')) == NULL)
			continue;
		if ((g_paths[g_npaths] = lookup_path(v + 1)) == NULL)
			break;
		g_npaths++;
	}
	fclose(f);
	return g_npaths > 0 ? 0 : -1;
}

struct client {
	pthread_t		 th;
	struct taxii_conn	*c;
	size_t			 first;	/* where in g_paths it starts */
	double			*lat;	/* ms, one per request */
	size_t			 nlat, cap;
	int			 failed;
};

/* One client: lookups in a loop over its own connection for g_dur s. */
static void *
client_run(void *arg)
{
	struct client	*cl = arg;
	struct tx_err	 err;
	double		 t0 = bench_now(), t;
	char		*body;
	size_t		 len, i = cl->first;
	long		 status;

	while (bench_now() - t0 < g_dur && cl->nlat < cl->cap) {
		tx_err_clear(&err);
		body = NULL;
		status = 0;
		t = bench_now();
		if (taxii_get(cl->c, g_paths[i++ % g_npaths], &body, &len,
		    &status, &err) < 0 || status != 200 ||
		    strstr(body, "\"known\":true") == NULL) {
			fprintf(stderr, "bench_taxii: lookup: %s (status "
			    "%ld)\n", err.msg[0] ? err.msg : "not known",
			    status);
			free(body);
			cl->failed = 1;
			return NULL;
		}
		free(body);
		cl->lat[cl->nlat++] = (bench_now() - t) * 1e3;
	}
	return NULL;
}

/*
 * nclients threads at once, every connection made (and its handshake
 * done by a first request) before the clock starts, so that the figure
 * is of kept-alive lookups only.
 */
static int
concurrent_lookups(const struct taxii_opts *o, int nclients)
{
	struct client	*cl = calloc(nclients, sizeof(*cl));
	struct tx_err	 err;
	char		 metric[64], *body;
	double		 t0, el, *all;
	size_t		 len, total = 0, k;
	long		 status;
	int		 i, rc = 0;

	if (cl == NULL)
		return -1;
	for (i = 0; i < nclients; i++) {
		cl[i].cap = 1 << 16;
		cl[i].first = (size_t)i * 37;
		if ((cl[i].lat = calloc(cl[i].cap, sizeof(double))) == NULL ||
		    taxii_conn_new(&cl[i].c, o, &err) < 0 ||
		    taxii_get(cl[i].c, "taxii2/", &body, &len, &status,
		    &err) < 0 || status != 200) {
			fprintf(stderr, "bench_taxii: client %d: %s\n", i,
			    err.msg);
			return -1;
		}
		free(body);
	}
	t0 = bench_now();
	for (i = 0; i < nclients; i++)
		if (pthread_create(&cl[i].th, NULL, client_run, &cl[i]) != 0)
			return -1;
	for (i = 0; i < nclients; i++) {
		pthread_join(cl[i].th, NULL);
		rc |= cl[i].failed;
		total += cl[i].nlat;
	}
	el = bench_now() - t0;
	if (rc != 0 || total == 0 ||
	    (all = calloc(total, sizeof(*all))) == NULL)
		return -1;
	for (i = 0, total = 0; i < nclients; i++) {
		for (k = 0; k < cl[i].nlat; k++)
			all[total++] = cl[i].lat[k];
		free(cl[i].lat);
		taxii_conn_free(cl[i].c);
	}
	qsort(all, total, sizeof(*all), cmp_double);
	snprintf(metric, sizeof(metric), "lookup_rps_%d", nclients);
	figure(metric, total / el, "requests/s");
	snprintf(metric, sizeof(metric), "lookup_p99_ms_%d", nclients);
	figure(metric, all[total * 99 / 100], "ms");
	free(all);
	free(cl);
	return 0;
}

int
main(int argc, char **argv)
{
	struct taxii_opts	 o = { NULL, NULL, NULL, NULL, NULL, NULL, 5,
	    30, 64 << 20, 0, NULL, NULL, NULL, NULL };
	struct taxii_conn	*c;
	struct tx_err		 err;
	char			*path, *body;
	double			 t0, dur, *lat;
	size_t			 len, nlat = 0, cap = 1 << 16;
	long			 status, n = 0, objects = 0;
	int			 pages, nclients = 0;

	if (argc < 7 || argc > 9)
		return 2;
	o.base_url = argv[1];
	o.pin = argv[2];
	o.cert_path = argv[3];
	o.key_path = argv[4];
	g_dur = dur = atof(argv[6]);
	if (argc > 7 && ((nclients = (int)strtol(argv[7], NULL, 10)) < 1 ||
	    nclients > CLIENTS_MAX))
		return 2;
	if (argc > 8 ? load_values(argv[8]) < 0 :
	    (g_paths[g_npaths++] = lookup_path(argv[5])) == NULL)
		return 2;
	if (nclients > 0) {
		/* Objects served as below, then the clients at once. */
		if (taxii_conn_new(&c, &o, &err) < 0)
			return 1;
		for (t0 = bench_now(); bench_now() - t0 < dur;)
			if (taxii_pull(c, 0, 1000, 1, count_objects, &objects,
			    &pages, &err) < 0)
				return 1;
		figure("objects_served_per_s", objects / (bench_now() - t0),
		    "objects/s");
		taxii_conn_free(c);
		return concurrent_lookups(&o, nclients) < 0 ? 1 : 0;
	}
	path = g_paths[0];

	/* Handshakes: a new connection per request. */
	for (t0 = bench_now(); bench_now() - t0 < dur; n++) {
		if (taxii_conn_new(&c, &o, &err) < 0 ||
		    taxii_get(c, "taxii2/", &body, &len, &status, &err) < 0 ||
		    status != 200)
			return 1;
		free(body);
		taxii_conn_free(c);
	}
	figure("tls_handshakes_per_s", n / (bench_now() - t0), "handshakes/s");

	/* Objects served: the whole collection in pages of 1000. */
	if (taxii_conn_new(&c, &o, &err) < 0)
		return 1;
	for (t0 = bench_now(); bench_now() - t0 < dur;)
		if (taxii_pull(c, 0, 1000, 1, count_objects, &objects, &pages,
		    &err) < 0)
			return 1;
	figure("objects_served_per_s", objects / (bench_now() - t0), "objects/s");

	/* Lookups over the kept-alive connection. */
	lat = calloc(cap, sizeof(*lat));
	for (t0 = bench_now(); bench_now() - t0 < dur && nlat < cap;) {
		double t = bench_now();

		if (taxii_get(c, path, &body, &len, &status, &err) < 0 ||
		    status != 200 || strstr(body, "\"known\":true") == NULL)
			return 1;
		free(body);
		lat[nlat++] = (bench_now() - t) * 1e3;
	}
	figure("lookup_rps", nlat / (bench_now() - t0), "requests/s");
	qsort(lat, nlat, sizeof(*lat), cmp_double);
	figure("lookup_p99_ms", lat[nlat * 99 / 100], "ms");
	free(lat);
	taxii_conn_free(c);
	return 0;
}
