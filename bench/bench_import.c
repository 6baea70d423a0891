/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_import.c - import throughput (issue 11), each next to a plain
 * parse of the same bytes in the same run:
 *
 *  1. OFAC SDN advanced XML (shared/data/ofac-sdn-digital-currency,
 *     sdn_advanced.xml.bz2): the whole import of the .bz2 as `threatex
 *     import` does it (import_path: integrity pass, streamed decompression,
 *     libxml2 streaming reader, authoring, signing, storing), its time
 *     against one in-memory bunzip of the same bytes, and objects/s; then
 *     the import of the decompressed bytes (import_mem)
 *     against a libxml2 streaming read (xmlTextReaderRead over every node)
 *     of the same bytes, in MB/s;
 *  2. the ESET MISP event (shared/data/dprk-network-iocs/eset-malware-ioc/
 *     nukesped_lazarus/lazarus_3cx.json): objects/s of the import against
 *     a json_loadb of the same bytes.
 *
 * Every import goes into a fresh node over a new store in TMPDIR, this
 * node signing (uk-ncsc, fixed seed, batches of 1024). Output: one JSON
 * line per figure (bench "import"); timings are the best of REPEAT runs
 * for the MISP event and the parses, one run for the OFAC imports, wall
 * clock and, for the OFAC figures, CPU seconds of the process too (a
 * shared machine stretches the first, not the second).
 * Trusts the shared data files (it is a benchmark, not an importer).
 *
 * Run:   ./bench_import [OFAC_BZ2 [MISP_JSON]]
 *        ./bench_import --parse BUNDLE_JSON   (bench_sync.sh's baseline)
 */
#include <bzlib.h>
#include <libxml/xmlreader.h>

#include <jansson.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "fixture.h"
#include "import.h"
#include "node.h"

#ifndef TX_SHARED_DIR
#define TX_SHARED_DIR "../shared"
#endif
#define OFAC_BZ2	"/data/ofac-sdn-digital-currency/sdn_advanced.xml.bz2"
#define MISP_EVENT	"/data/dprk-network-iocs/eset-malware-ioc/" \
			"nukesped_lazarus/lazarus_3cx.json"
#define SELF_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c01"
#define REPEAT		3
#define OUT_MAX		((size_t)512 << 20)

static const uint8_t	seed_self[32] = { 1 };

static void
figure(const char *metric, double v, int prec, const char *unit,
    const char *base, double bv)
{
	if (base != NULL)
		printf("{\"bench\":\"import\",\"metric\":\"%s\",\"value\":%.*f,"
		    "\"unit\":\"%s\",\"baseline\":\"%s\",\"baseline_value\":"
		    "%.*f,\"ratio\":%.3f}\n", metric, prec, v, unit, base, prec,
		    bv, bv > 0 ? v / bv : 0.0);
	else
		printf("{\"bench\":\"import\",\"metric\":\"%s\",\"value\":%.*f,"
		    "\"unit\":\"%s\"}\n", metric, prec, v, unit);
	fflush(stdout);
}

/* CPU seconds (user + system, every thread) of this process so far. */
static double
cpu_now(void)
{
	struct rusage	ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	struct tx_err	 err;
	uint8_t		*b;

	tx_err_clear(&err);
	if (node_read_file(&b, len, path, OUT_MAX, &err) != 0) {
		fprintf(stderr, "bench_import: %s: %s\n", path, err.msg);
		exit(1);
	}
	return b;
}

/* bzip2 in[0..len) into a new buffer (*out_len bytes). */
static uint8_t *
bunzip(const uint8_t *in, size_t len, size_t *out_len)
{
	bz_stream	 z;
	uint8_t		*out = NULL, *nb;
	size_t		 cap = 0, n = 0;
	int		 r = BZ_OK;

	memset(&z, 0, sizeof(z));
	if (BZ2_bzDecompressInit(&z, 0, 0) != BZ_OK)
		return NULL;
	z.next_in = (char *)(uintptr_t)in;
	z.avail_in = (unsigned)len;
	while (r != BZ_STREAM_END) {
		if (cap - n < 1 << 20) {
			cap = cap ? cap * 2 : 8 << 20;
			if (cap > OUT_MAX || (nb = realloc(out, cap)) == NULL)
				goto fail;
			out = nb;
		}
		z.next_out = (char *)out + n;
		z.avail_out = (unsigned)(cap - n);
		r = BZ2_bzDecompress(&z);
		n = cap - z.avail_out;
		if (r != BZ_OK && r != BZ_STREAM_END)
			goto fail;
	}
	BZ2_bzDecompressEnd(&z);
	*out_len = n;
	return out;
fail:
	BZ2_bzDecompressEnd(&z);
	free(out);
	return NULL;
}

/* A libxml2 streaming read of every node; the node count. */
static long
xml_read(const uint8_t *buf, size_t len)
{
	xmlTextReaderPtr	r;
	long			nodes = 0;
	int			rc;

	r = xmlReaderForMemory((const char *)buf, (int)len, "sdn.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_HUGE);
	if (r == NULL)
		return -1;
	while ((rc = xmlTextReaderRead(r)) == 1)
		nodes++;
	xmlFreeTextReader(r);
	return rc == 0 ? nodes : -1;
}

/* One import into a fresh node: seconds; *stored and *seen counted. */
static double
import_once(const char *fmt, const char *path, const uint8_t *buf,
    size_t len, long *stored, long *seen)
{
	struct fx_store		 fx;
	struct node		*n;
	struct import_ctx	*ic;
	struct import_opts	 o;
	struct tx_err		 err;
	double			 t0, t;
	int			 rc;

	tx_err_clear(&err);
	if ((n = fx_node_mem(&fx, "uk-ncsc", SELF_ID, seed_self, 1024,
	    &err)) == NULL) {
		fprintf(stderr, "bench_import: node: %s\n", err.msg);
		exit(1);
	}
	import_opts_init(&o);
	if (import_new(&ic, n, &o, &err) != 0) {
		fprintf(stderr, "bench_import: %s\n", err.msg);
		exit(1);
	}
	t0 = bench_now();
	if (buf != NULL)
		rc = import_mem(ic, import_format_by_name(fmt), path, buf, len,
		    &err);
	else
		rc = import_path(ic, NULL, path, &err);
	t = bench_now() - t0;
	if (rc != 0) {
		fprintf(stderr, "bench_import: %s: %s: %s\n", path, err.where,
		    err.msg);
		exit(1);
	}
	*stored = import_totals(ic)->stored;
	*seen = import_totals(ic)->seen;
	import_free(ic);
	fx_node_mem_free(n, &fx);
	return t;
}

static void
bench_ofac(const char *path)
{
	uint8_t		*bz, *xml;
	size_t		 bzlen, len;
	double		 t0, c0, t, best = 0, bestc = 0, c, tx, timp, tb, cb,
			 ci, mb;
	long		 nodes = 0, stored, seen;
	int		 i;

	bz = slurp(path, &bzlen);
	t0 = bench_now();
	c0 = cpu_now();
	if ((xml = bunzip(bz, bzlen, &len)) == NULL) {
		fprintf(stderr, "bench_import: %s: cannot bunzip\n", path);
		exit(1);
	}
	tb = bench_now() - t0;
	cb = cpu_now() - c0;
	figure("ofac_bunzip_s", tb, 3, "s", NULL, 0);
	figure("ofac_bunzip_cpu_s", cb, 3, "s", NULL, 0);
	mb = (double)len / 1e6;
	figure("ofac_xml_mb", mb, 1, "MB", NULL, 0);

	/* The whole import of the .bz2, as the CLI runs it. */
	c0 = cpu_now();
	timp = import_once(NULL, path, NULL, 0, &stored, &seen);
	ci = cpu_now() - c0;
	figure("ofac_import_bz2_s", timp, 2, "s", "ofac_bunzip_s", tb);
	figure("ofac_import_bz2_cpu_s", ci, 2, "s", "ofac_bunzip_cpu_s", cb);
	figure("ofac_import_bz2_objects_per_s", (double)stored / timp, 0,
	    "objects/s", NULL, 0);
	figure("ofac_import_objects", (double)stored, 0, "objects", NULL, 0);
	figure("ofac_import_values", (double)seen, 0, "values", NULL, 0);

	/* The decompressed bytes: the import against a plain read. */
	for (i = 0; i < REPEAT; i++) {
		t0 = bench_now();
		c0 = cpu_now();
		nodes = xml_read(xml, len);
		t = bench_now() - t0;
		c = cpu_now() - c0;
		if (i == 0 || t < best)
			best = t;
		if (i == 0 || c < bestc)
			bestc = c;
	}
	if (nodes < 0) {
		fprintf(stderr, "bench_import: libxml2 cannot read %s\n", path);
		exit(1);
	}
	figure("libxml2_reader_s", best, 3, "s", NULL, 0);
	figure("libxml2_reader_cpu_s", bestc, 3, "s", NULL, 0);
	c0 = cpu_now();
	tx = import_once("ofac", "sdn_advanced.xml", xml, len, &stored,
	    &seen);
	c = cpu_now() - c0;
	figure("ofac_import_xml_cpu_s", c, 2, "s", "libxml2_reader_cpu_s",
	    bestc);
	figure("ofac_import_xml_s", tx, 2, "s", NULL, 0);
	figure("ofac_import_xml_mb_per_s", mb / tx, 2, "MB/s",
	    "libxml2_reader_mb_per_s", mb / best);
	figure("ofac_import_xml_objects_per_s", (double)stored / tx, 0,
	    "objects/s", NULL, 0);
	free(xml);
	free(bz);
}

/*
 * One json_loadb of buf: seconds; *nobjects (may be NULL) the length of
 * its "objects" array.
 */
static double
parse_once(const uint8_t *buf, size_t len, const char *path, size_t *nobjects)
{
	json_error_t	 je;
	json_t		*doc;
	double		 t0, t;

	t0 = bench_now();
	doc = json_loadb((const char *)buf, len, 0, &je);
	t = bench_now() - t0;
	if (doc == NULL) {
		fprintf(stderr, "bench_import: %s: %s\n", path, je.text);
		exit(1);
	}
	if (nobjects != NULL)
		*nobjects = json_array_size(json_object_get(doc, "objects"));
	json_decref(doc);
	return t;
}

static void
bench_misp(const char *path)
{
	uint8_t		*buf;
	size_t		 len;
	double		 t, bj = 0, bi = 0, mb;
	long		 stored = 0, seen = 0;
	int		 i;

	buf = slurp(path, &len);
	mb = (double)len / 1e6;
	for (i = 0; i < REPEAT; i++) {
		t = parse_once(buf, len, path, NULL);
		if (i == 0 || t < bj)
			bj = t;
		t = import_once("misp", path, buf, len, &stored, &seen);
		if (i == 0 || t < bi)
			bi = t;
	}
	figure("misp_event_mb", mb, 2, "MB", NULL, 0);
	figure("misp_import_objects", (double)stored, 0, "objects", NULL, 0);
	figure("misp_import_values", (double)seen, 0, "values", NULL, 0);
	figure("misp_import_s", bi, 3, "s", NULL, 0);
	figure("misp_import_objects_per_s", (double)stored / bi, 0,
	    "objects/s", NULL, 0);
	figure("misp_import_mb_per_s", mb / bi, 2, "MB/s",
	    "jansson_loadb_mb_per_s", mb / bj);
	free(buf);
}

/*
 * --parse FILE: json_loadb of a STIX bundle (best of REPEAT), the
 * baseline bench_sync.sh sets beside the import of the same bytes.
 */
static void
bench_parse(const char *path)
{
	uint8_t		*buf;
	size_t		 len, n = 0;
	double		 t, best = 0;
	int		 i;

	buf = slurp(path, &len);
	for (i = 0; i < REPEAT; i++) {
		t = parse_once(buf, len, path, &n);
		if (i == 0 || t < best)
			best = t;
	}
	figure("jansson_parse_objects_per_s", (double)n / best, 0,
	    "objects/s", NULL, 0);
	free(buf);
}

int
main(int argc, char **argv)
{
	char	ofac[1024], misp[1024];

	if (argc == 3 && strcmp(argv[1], "--parse") == 0) {
		bench_parse(argv[2]);
		return 0;
	}

	snprintf(ofac, sizeof(ofac), "%s", argc > 1 ? argv[1] :
	    TX_SHARED_DIR OFAC_BZ2);
	snprintf(misp, sizeof(misp), "%s", argc > 2 ? argv[2] :
	    TX_SHARED_DIR MISP_EVENT);
	bench_misp(misp);
	bench_ofac(ofac);
	return 0;
}
