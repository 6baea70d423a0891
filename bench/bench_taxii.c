/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_taxii.c - the client half of the `taxii` benchmark (DESIGN §10):
 * against a running node, with a peer's certificate, it measures full
 * mutual-TLS handshakes per second (a new connection per request),
 * objects served per second (pages of 1000 over one kept-alive
 * connection) and /lookup/ requests per second with their p99.
 * Usage: bench_taxii BASE_URL PIN CERT KEY VALUE SECONDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "taxii_client.h"

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

int
main(int argc, char **argv)
{
	struct taxii_opts	 o = { NULL, NULL, NULL, NULL, NULL, NULL, 5,
	    30, 64 << 20, 0, NULL, NULL, NULL };
	struct taxii_conn	*c;
	struct tx_err		 err;
	char			 path[512], *body;
	double			 t0, dur, *lat;
	size_t			 len, nlat = 0, cap = 1 << 16;
	long			 status, n = 0, objects = 0;
	int			 pages;

	if (argc != 7)
		return 2;
	o.base_url = argv[1];
	o.pin = argv[2];
	o.cert_path = argv[3];
	o.key_path = argv[4];
	dur = atof(argv[6]);

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
	snprintf(path, sizeof(path), "lookup/?value=%s", argv[5]);
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
