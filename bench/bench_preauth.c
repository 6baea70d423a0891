/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_preauth.c - the legitimate peer of the `preauth_flood` benchmark:
 * against a running node, with a member's certificate, it times full
 * pulls of the shared collection (a new connection each, pages of 500)
 * and REQUESTS discovery requests, each on a new connection (so each pays
 * the admission and the handshake a flood competes for), then REQUESTS
 * more on one kept-alive connection (as a pull makes them). It prints one
 * line of figures for bench_preauth.sh to compare:
 *   pull_s=S objects=N p50_ms=MS p99_ms=MS failed=N ka_p50_ms=MS
 *   ka_p99_ms=MS ka_failed=N
 * pull_s is the median of three pulls; failed counts requests or pulls
 * that did not complete (their time is not in the percentiles).
 * Usage: bench_preauth BASE_URL PIN CERT KEY REQUESTS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "taxii_client.h"

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Count objects; follow "next" while "more". */
static int
page_cb(const uint8_t *body, size_t len, int64_t last,
    struct taxii_page_result *res, void *payload)
{
	const char	*p = (const char *)body, *n, *e;
	long		*count = payload;

	res->count = 0;
	while ((p = strstr(p, "\"spec_version\"")) != NULL) {
		res->count++;
		p++;
	}
	*count += (long)res->count;
	res->more = strstr((const char *)body, "\"more\":true") != NULL;
	res->next[0] = '\0';
	if ((n = strstr((const char *)body, "\"next\":\"")) != NULL &&
	    (e = strchr(n + 8, '"')) != NULL &&
	    (size_t)(e - n - 8) < sizeof(res->next)) {
		memcpy(res->next, n + 8, (size_t)(e - n - 8));
		res->next[e - n - 8] = '\0';
	}
	return 0;
}

/*
 * One discovery request on c, begun at t0 (connecting included when c is
 * new): its milliseconds go to lat[*nlat], a failure to *failed.
 */
static void
timed_get(struct taxii_conn *c, double t0, double *lat, long *nlat,
    long *failed)
{
	struct tx_err	 err;
	char		*body = NULL;
	size_t		 len;
	long		 status = 0;
	int		 rc;

	rc = taxii_get(c, "taxii2/", &body, &len, &status, &err);
	if (rc == 0 && status == 200)
		lat[(*nlat)++] = (bench_now() - t0) * 1e3;
	else
		(*failed)++;
	if (rc == 0)
		free(body);
}

/* One full pull on a new connection: seconds, or -1. */
static double
pull(const struct taxii_opts *o, long *objects)
{
	struct taxii_conn	*c;
	struct tx_err		 err;
	double			 t0 = bench_now();
	int			 pages, rc;

	*objects = 0;
	if (taxii_conn_new(&c, o, &err) < 0)
		return -1;
	rc = taxii_pull(c, 0, 500, 100, page_cb, objects, &pages, &err);
	taxii_conn_free(c);
	return rc < 0 ? -1 : bench_now() - t0;
}

int
main(int argc, char **argv)
{
	struct taxii_opts	 o;
	struct taxii_conn	*c;
	struct tx_err		 err;
	double			 t, pulls[3], *lat;
	long			 objects = 0, got, n, i, nlat = 0;
	long			 failed = 0;
	int			 npulls = 0;

	if (argc != 6)
		return 2;
	memset(&o, 0, sizeof(o));
	o.base_url = argv[1];
	o.pin = argv[2];
	o.cert_path = argv[3];
	o.key_path = argv[4];
	o.connect_timeout_s = 10;
	o.timeout_s = 60;
	o.max_response = 64 << 20;
	n = strtol(argv[5], NULL, 10);
	if (n < 1 || (lat = calloc((size_t)n, sizeof(*lat))) == NULL)
		return 2;

	for (i = 0; i < 3; i++) {
		if ((t = pull(&o, &got)) < 0) {
			failed++;
			continue;
		}
		pulls[npulls++] = t;
		objects = got;
	}
	qsort(pulls, (size_t)npulls, sizeof(*pulls), cmp_double);

	for (i = 0; i < n; i++) {
		t = bench_now();
		if (taxii_conn_new(&c, &o, &err) < 0) {
			failed++;
			continue;
		}
		timed_get(c, t, lat, &nlat, &failed);
		taxii_conn_free(c);
	}
	qsort(lat, (size_t)nlat, sizeof(*lat), cmp_double);
	printf("pull_s=%.3f objects=%ld p50_ms=%.2f p99_ms=%.2f failed=%ld",
	    npulls ? pulls[npulls / 2] : -1.0, objects,
	    nlat ? lat[nlat / 2] : -1.0, nlat ? lat[nlat * 99 / 100] : -1.0,
	    failed);

	/*
	 * The same requests on one kept-alive connection, as the sync client
	 * makes them during a pull: only the first pays the admission.
	 */
	nlat = 0;
	if (taxii_conn_new(&c, &o, &err) == 0) {
		for (i = 0; i < n; i++)
			timed_get(c, bench_now(), lat, &nlat, &failed);
		taxii_conn_free(c);
	}
	qsort(lat, (size_t)nlat, sizeof(*lat), cmp_double);
	printf(" ka_p50_ms=%.2f ka_p99_ms=%.2f ka_failed=%ld\n",
	    nlat ? lat[nlat / 2] : -1.0, nlat ? lat[nlat * 99 / 100] : -1.0,
	    failed);
	free(lat);
	return npulls > 0 && nlat > 0 ? 0 : 1;
}
