/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_stix.c - intake + validation throughput on a generated bundle of
 * 100,000 indicators (wallet, domain and e-mail patterns), next to a raw
 * json_loadb of the same bytes in the same run, and peak RSS.
 *
 * Build: cc -O2 -I crypto -I stix bench/bench_stix.c -o bench_stix
 *        libtx_node.a libtx_peers.a libtx_stix.a libtx_crypto.a
 *        -ljansson -lssl -lcrypto (+ the layer deps), or the lead's target.
 * Run:   ./bench_stix [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <jansson.h>

#include "buf.h"
#include "stream.h"
#include "validate.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct bstate {
	size_t	ok;
	size_t	refused;
};

static int
bench_cb(size_t index, json_t *obj, const struct tx_err *e, void *payload)
{
	struct bstate *st = payload;
	struct tx_err err;

	(void)index;
	(void)e;
	if (obj == NULL || stix_validate(obj, time(NULL), &err) != 0) {
		st->refused++;
		return 0;
	}
	/* stix_validate parses every STIX pattern (check_stix_pattern). */
	st->ok++;
	return 0;
}

static void
figure(const char *metric, double v, const char *unit, const char *base,
    double bv)
{
	if (base != NULL)
		printf("{\"bench\":\"stix\",\"metric\":\"%s\",\"value\":%.1f,"
		    "\"unit\":\"%s\",\"baseline\":\"%s\",\"baseline_value\":%.1f,"
		    "\"ratio\":%.3f}\n", metric, v, unit, base, bv,
		    bv > 0 ? v / bv : 0.0);
	else
		printf("{\"bench\":\"stix\",\"metric\":\"%s\",\"value\":%.1f,"
		    "\"unit\":\"%s\"}\n", metric, v, unit);
}

int
main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	struct tx_buf b;
	struct bstate st = { 0, 0 };
	struct stix_doc_info info;
	struct tx_err err;
	struct rusage ru;
	double t0, t_ours, t_raw, rss_ours;
	json_t *raw;

	tx_buf_init(&b, (size_t)4 << 30);
	tx_buf_adds(&b, "{\"type\":\"bundle\",\"id\":\"bundle--6bd64c14-5a91-"
	    "4a4b-9cc6-2d0f14e51b4a\",\"objects\":[");
	for (size_t i = 0; i < n; i++) {
		char pat[160];

		switch (i % 3) {
		case 0:
			snprintf(pat, sizeof(pat), "[cryptocurrency-wallet:value "
			    "= '0x%040zx']", i);
			break;
		case 1:
			snprintf(pat, sizeof(pat), "[domain-name:value = "
			    "'host%zu.example.com']", i);
			break;
		default:
			snprintf(pat, sizeof(pat), "[email-addr:value = "
			    "'user%zu@example.org']", i);
		}
		if (tx_buf_addf(&b, "%s{\"type\":\"indicator\",\"spec_version\":"
		    "\"2.1\",\"id\":\"indicator--%08zx-17d4-4cbf-938f-"
		    "98ee46b3cd3f\",\"created\":\"2025-01-01T00:00:00.000Z\","
		    "\"modified\":\"2025-01-01T00:00:00.000Z\",\"created_by_ref\":"
		    "\"identity--f431f809-377b-45e0-aa1c-6a4751cae5ff\","
		    "\"pattern\":\"%s\",\"pattern_type\":\"stix\","
		    "\"valid_from\":\"2025-01-01T00:00:00Z\",\"confidence\":80,"
		    "\"object_marking_refs\":[\"marking-definition--bab4a63c-aed9-"
		    "4cf5-a766-dfca5abac2bb\"]}", i ? "," : "", i, pat) != 0) {
			fprintf(stderr, "buffer\n");
			return 1;
		}
	}
	tx_buf_adds(&b, "]}");

	t0 = now_s();
	if (stix_stream_mem(&info, b.data, b.len, NULL, bench_cb, &st,
	    &err) != 0) {
		fprintf(stderr, "stream: %s %s\n", err.where, err.msg);
		return 1;
	}
	t_ours = now_s() - t0;
	if (st.ok != n) {
		fprintf(stderr, "refused %zu\n", st.refused);
		return 1;
	}
	getrusage(RUSAGE_SELF, &ru);
	rss_ours = (double)ru.ru_maxrss / 1024.0;
	t0 = now_s();
	raw = json_loadb((const char *)b.data, b.len, 0, NULL);
	t_raw = now_s() - t0;
	if (raw == NULL)
		return 1;
	json_decref(raw);

	figure("intake_validate_objects_per_s", (double)n / t_ours, "objects/s",
	    "json_loadb", (double)n / t_raw);
	figure("intake_validate_mb_per_s", (double)b.len / 1e6 / t_ours, "MB/s",
	    "json_loadb", (double)b.len / 1e6 / t_raw);
	figure("bundle_bytes", (double)b.len, "bytes", NULL, 0);
	figure("peak_rss_stream_incl_doc", rss_ours, "MiB", NULL, 0);
	getrusage(RUSAGE_SELF, &ru);
	figure("peak_rss_after_json_loadb", (double)ru.ru_maxrss / 1024.0, "MiB", NULL, 0);
	tx_buf_dispose(&b);
	return 0;
}
