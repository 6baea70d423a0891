/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_import_ofac.c - the "ofac" import format (node/import_ofac.c over
 * stix/ofac.c) and compressed inputs (node/import_inflate.c): a small SDN
 * advanced XML document (tests/fuzz/corpora/ofac/small.xml) gives one
 * wallet indicator per supported address, linked to a threat-actor per
 * entry with its A.K.A.s and programmes; unsupported assets and bad
 * addresses are refused with their reasons; --program filters; hostile
 * documents (DOCTYPE, XXE, wrong root, truncated) change nothing; gzip
 * and bzip2 inputs read as the plain ones, truncated or trailing garbage
 * refused. The real sdn_advanced.xml.bz2 imports completely, its count of
 * wallet indicators checked against the cross-check CSV, within 64 MB.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <bzlib.h>
#include <zlib.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <jansson.h>

#include "fixture.h"
#include "import.h"
#include "import_int.h"
#include "lookup.h"
#include "node.h"
#include "ofac.h"

#define SELF_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c01"
#define CORPUS		TX_TEST_DATA "/../fuzz/corpora/ofac"
#define SDN_BZ2		TX_SHARED_DIR "/data/ofac-sdn-digital-currency/" \
			"sdn_advanced.xml.bz2"
#define SDN_CSV		TX_SHARED_DIR "/data/ofac-sdn-digital-currency/" \
			"sdn_digital_currency_addresses.csv"
#define LAZ_ETH		"0x098B716B8Aaf21512996dC57EB0615e2383E2f96"

static const uint8_t	seed_self[32] = { 1 };

struct t {
	struct fx_store		 fx;
	struct node		*n;
	struct import_ctx	*ic;
	struct import_opts	 o;
	long			 refused;
	char			 reasons[2048];
};

static void
rep_cb(const struct import_report *r, void *arg)
{
	struct t	*t = arg;
	size_t		 n = strlen(t->reasons);

	if (r->verdict != IMPORT_REFUSED)
		return;
	t->refused++;
	snprintf(t->reasons + n, sizeof(t->reasons) - n, "%s: %s\n", r->id,
	    r->reason);
}

static void
session(struct t *t)
{
	struct tx_err	err;

	import_free(t->ic);
	t->o.report = rep_cb;
	t->o.arg = t;
	tx_err_clear(&err);
	if (import_new(&t->ic, t->n, &t->o, &err) != 0)
		fail_msg("import_new: %s", err.msg);
}

static int
setup(void **state)
{
	struct t	*t = calloc(1, sizeof(*t));
	struct tx_err	 err;

	if (t == NULL)
		return -1;
	tx_err_clear(&err);
	if ((t->n = fx_node_mem(&t->fx, "uk-ncsc", SELF_ID, seed_self, 64,
	    &err)) == NULL)
		fail_msg("node: %s", err.msg);
	import_opts_init(&t->o);
	session(t);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct t	*t = *state;

	import_free(t->ic);
	fx_node_mem_free(t->n, &t->fx);
	free(t);
	return 0;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f = fopen(path, "rb");
	char	*b;
	long	 n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	assert_non_null(b = malloc((size_t)n + 1));
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	b[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return b;
}

static int
imp(struct t *t, const char *fmt, const char *name, const void *buf,
    size_t len, struct tx_err *err)
{
	const struct import_format	*f = NULL;

	if (fmt != NULL)
		assert_non_null(f = import_format_by_name(fmt));
	tx_err_clear(err);
	return import_mem(t->ic, f, name, buf, len, err);
}

/* The lookup of value as text (the caller frees). */
static char *
look(struct t *t, const char *value)
{
	struct tx_err	 err;
	json_t		*v;
	char		*s;

	tx_err_clear(&err);
	if (lookup_value(&v, t->n, value, NULL, &err) != 0)
		fail_msg("lookup %s: %s", value, err.msg);
	s = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	assert_non_null(s);
	return s;
}


static void
test_sniff(void **state)
{
	size_t	 len;
	char	*doc = slurp(CORPUS "/small.xml", &len);

	(void)state;
	assert_string_equal(import_format_sniff((uint8_t *)doc, 512,
	    "x.xml")->name, "ofac");
	assert_string_equal(import_format_sniff((const uint8_t *)
	    "<?xml version=\"1.0\"?><stix:STIX_Package/>", 40, "x.xml")->name,
	    "xml");
	assert_string_equal(import_format_sniff(NULL, 0,
	    "/d/sdn_advanced.xml")->name, "ofac");
	assert_true(ofac_sniff(doc, len));
	free(doc);
}

static void
test_small(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;
	size_t		 len;
	char		*doc = slurp(CORPUS "/small.xml", &len), *s;

	assert_int_equal(imp(t, NULL, "small.xml", doc, len, &err), 0);
	/* 5 features: 2 ETH + 1 XBT authored; BSV and a Tron-as-XBT not. */
	assert_int_equal(import_totals(t->ic)->seen, 5);
	assert_int_equal(t->refused, 2);
	assert_non_null(strstr(t->reasons, "12sjrrhoFEsedNRhtgwvvRqjFTh8fZTDX9"
	    ": unsupported asset BSV"));
	assert_non_null(strstr(t->reasons, "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq"
	    ": base58check version"));
	/* 3 x (SCO, indicator, based-on, indicates) + 2 actors. */
	assert_int_equal(import_totals(t->ic)->stored, 3 * 4 + 2);

	s = look(t, LAZ_ETH);
	assert_non_null(strstr(s, "\"label\":\"Lazarus Group\""));
	assert_non_null(strstr(s, "OFAC SDN: Lazarus Group"));
	free(s);
	s = look(t, "Hidden Cobra");
	assert_non_null(strstr(s, "\"type\":\"threat-actor\""));
	assert_non_null(strstr(s, "OFAC SDN: Lazarus Group"));
	free(s);
	s = look(t, "Guardians of Peace");
	assert_non_null(strstr(s, "\"type\":\"threat-actor\""));
	free(s);
	/* Individual: name parts joined in the XML's order. */
	s = look(t, "KARASAVIDI Dmitrii");
	assert_non_null(strstr(s, "\"type\":\"threat-actor\""));
	free(s);

	/* Again: nothing new. */
	session(t);
	assert_int_equal(imp(t, "ofac", "small.xml", doc, len, &err), 0);
	assert_int_equal(import_totals(t->ic)->stored, 0);
	assert_int_equal(import_totals(t->ic)->exists, 3);
	free(doc);
}

static void
test_program(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;
	size_t		 len;
	char		*doc = slurp(CORPUS "/small.xml", &len), *s;

	t->o.program = "dprk";
	session(t);
	assert_int_equal(imp(t, NULL, "small.xml", doc, len, &err), 0);
	assert_int_equal(import_totals(t->ic)->seen, 2);
	assert_int_equal(import_totals(t->ic)->stored, 2 * 4 + 1);
	s = look(t, "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h");
	assert_null(strstr(s, "\"hits\":[{"));
	free(s);
	/* --actor has no meaning here. */
	t->o.program = NULL;
	t->o.actor = "Someone";
	session(t);
	assert_int_equal(imp(t, "ofac", "small.xml", doc, len, &err),
	    TX_EINVAL);
	assert_non_null(strstr(err.msg, "--actor"));
	free(doc);
}

/* file is refused, nothing stored, err.msg holding want or else. */
static void
hostile(struct t *t, const char *file, const char *want, const char *alt)
{
	char		 path[512];
	struct tx_err	 err;
	size_t		 len;
	char		*doc;

	snprintf(path, sizeof(path), "%s/%s", CORPUS, file);
	doc = slurp(path, &len);
	session(t);
	assert_int_equal(imp(t, "ofac", file, doc, len, &err), TX_EINVAL);
	if (strstr(err.msg, want) == NULL &&
	    (alt == NULL || strstr(err.msg, alt) == NULL))
		fail_msg("%s: %s: %s", file, err.where, err.msg);
	assert_string_equal(err.where, file);
	assert_int_equal(import_totals(t->ic)->stored, 0);
	free(doc);
}

static void
test_hostile(void **state)
{
	struct t	*t = *state;

	/* libxml2 may see the entity loop before the DOCTYPE is handed on. */
	hostile(t, "laughs.xml", "DOCTYPE", "entity reference loop");
	hostile(t, "xxe.xml", "DOCTYPE", NULL);
	hostile(t, "wrongroot.xml", "not an OFAC SDN advanced XML document",
	    NULL);
	hostile(t, "truncated.xml", "not well-formed XML", NULL);
}

static uint8_t *
gz(const char *in, size_t len, size_t *outlen)
{
	z_stream	 z;
	uint8_t		*out = malloc(len + 1024);

	assert_non_null(out);
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 31, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)(len + 1024);
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*outlen = z.total_out;
	deflateEnd(&z);
	return out;
}

static uint8_t *
bz(const char *in, size_t len, size_t *outlen)
{
	unsigned int	 n = (unsigned int)(len + len / 100 + 1024);
	uint8_t		*out = malloc(n);

	assert_non_null(out);
	assert_int_equal(BZ2_bzBuffToBuffCompress((char *)out, &n,
	    (char *)(uintptr_t)in, (unsigned int)len, 9, 0, 0), BZ_OK);
	*outlen = n;
	return out;
}

static void
test_compressed(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;
	size_t		 len, zlen, blen;
	char		*doc = slurp(CORPUS "/small.xml", &len);
	uint8_t		*z = gz(doc, len, &zlen), *b = bz(doc, len, &blen);
	uint8_t		*junk;

	/* Sniffed through the compression, read as the plain document. */
	assert_int_equal(imp(t, NULL, "small.xml.gz", z, zlen, &err), 0);
	assert_int_equal(import_totals(t->ic)->stored, 3 * 4 + 2);
	session(t);
	assert_int_equal(imp(t, NULL, "small.xml.bz2", b, blen, &err), 0);
	assert_int_equal(import_totals(t->ic)->exists, 3);

	/* Truncated and trailing garbage: refused, named. */
	session(t);
	assert_int_equal(imp(t, NULL, "cut.gz", z, zlen - 20, &err),
	    TX_EINVAL);
	assert_string_equal(err.where, "cut.gz");
	assert_non_null(strstr(err.msg, "gzip"));
	assert_int_equal(imp(t, NULL, "cut.bz2", b, blen / 2, &err),
	    TX_EINVAL);
	assert_non_null(strstr(err.msg, "truncated bzip2 stream"));
	assert_non_null(junk = malloc(zlen + 8));
	memcpy(junk, z, zlen);
	memcpy(junk + zlen, "garbage!", 8);
	assert_int_equal(imp(t, NULL, "junk.gz", junk, zlen + 8, &err),
	    TX_EINVAL);
	assert_non_null(strstr(err.msg, "data after the end"));
	free(junk);
	assert_int_equal(import_totals(t->ic)->stored, 0);
	free(z);
	free(b);
	free(doc);
}

/* Distinct canonical addresses of supported assets in the CSV. */
static long
csv_expected(void)
{
	FILE	*f = fopen(SDN_CSV, "r");
	char	 line[8192], *a, *v, *e, (*seen)[128];
	long	 n = 0, i, k;

	assert_non_null(f);
	assert_non_null(seen = calloc(1024, sizeof(*seen)));
	assert_non_null(fgets(line, sizeof(line), f));	/* header */
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((a = strchr(line, ',')) == NULL)
			continue;
		a++;
		if ((v = strchr(a, ',')) == NULL)
			continue;
		*v++ = '\0';
		if ((e = strchr(v, ',')) != NULL)
			*e = '\0';
		if (strcmp(a, "BSV") == 0)
			continue;
		if (strncmp(v, "0x", 2) == 0 || strncmp(v, "bc1", 3) == 0)
			for (k = 0; v[k] != '\0'; k++)
				if (v[k] >= 'A' && v[k] <= 'Z')
					v[k] = (char)(v[k] - 'A' + 'a');
		for (i = 0; i < n; i++)
			if (strcmp(seen[i], v) == 0)
				break;
		if (i == n && n < 1024)
			snprintf(seen[n++], sizeof(seen[0]), "%s", v);
	}
	fclose(f);
	free(seen);
	return n;
}

static void
test_real(void **state)
{
	struct t	*t = *state;
	struct import_totals	 tt;
	struct tx_err		 err;
	struct rusage		 ru;
	long			 want = csv_expected();
	char			*s;

	tx_err_clear(&err);
	if (import_path(t->ic, NULL, SDN_BZ2, &err) != 0)
		fail_msg("%s: %s", err.where, err.msg);
	tt = *import_totals(t->ic);
	assert_int_equal(tt.seen, 761);
	/* BSV, a 64-hex-digit "XMR", a Tron address listed as XBT. */
	assert_int_equal(t->refused, 3);
	assert_non_null(strstr(t->reasons, "unsupported asset BSV"));
	/*
	 * One wallet indicator per distinct address of a supported asset
	 * (counted above from the CSV), but the two invalid ones: every
	 * feature not refused nor a repeat made one.
	 */
	assert_int_equal(tt.seen - tt.refused - tt.exists, want - 2);
	session(t);
	s = look(t, LAZ_ETH);
	assert_non_null(strstr(s, "\"label\":\"Lazarus Group\""));
	free(s);
	s = look(t, "APT-C-26");
	assert_non_null(strstr(s, "OFAC SDN: Lazarus Group"));
	free(s);
	assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
#ifndef __SANITIZE_ADDRESS__	/* ASan's shadow and quarantine: not ours */
	assert_true(ru.ru_maxrss < 64 * 1024);
#endif
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test_setup_teardown(test_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_program, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_hostile, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_compressed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_real, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
