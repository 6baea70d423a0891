/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_taxii_discovery.c - a feed's documents (peers/taxii_discovery.c,
 * DESIGN §9): the discovery resource and an API root given directly, the
 * collections list, the choice of a collection by id, by exact title or
 * as the only readable one (and the listing when it is ambiguous or
 * absent), the resolution of relative API root URLs, the origin check,
 * and the refusal of hostile documents (not JSON, wrong types, too many
 * roots, an id that would escape its URL path, oversize).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taxii_discovery.h"

/* The OASIS TAXII 2.1 specification's own examples (§4.1.1, §4.2.1). */
static const char	disc[] = "{\"title\":\"Some TAXII Server\","
    "\"default\":\"https://example.com/api2/\",\"api_roots\":["
    "\"https://example.com/api1/\",\"https://example.com/api2/\","
    "\"https://example.net/trustgroup1/\"]}";
static const char	root[] = "{\"title\":\"Malware Research Group\","
    "\"versions\":[\"application/taxii+json;version=2.1\"],"
    "\"max_content_length\":9765625}";
static const char	colls[] = "{\"collections\":["
    "{\"id\":\"91a7b528-80eb-42ed-a74d-c6fbd5a26116\",\"title\":\"High "
    "Value Indicator Collection\",\"can_read\":true,\"can_write\":false},"
    "{\"id\":\"52892447-4d7e-4f70-b94d-d7f22742ff63\",\"title\":\"Indicators"
    " from the past 24-hours\",\"can_read\":true},"
    "{\"id\":\"64993447-4d7e-4f70-b94d-d7f33742ee63\",\"title\":\"Secret "
    "Indicators\",\"can_read\":false}]}";

static int
parse_d(struct taxii_discovery *d, const char *s, struct tx_err *err)
{
	return taxii_discovery_parse(d, s, strlen(s), err);
}

static int
parse_c(struct taxii_collections *cs, const char *s, struct tx_err *err)
{
	return taxii_collections_parse(cs, s, strlen(s), err);
}

static void
test_discovery(void **state)
{
	static struct taxii_discovery	d;
	struct tx_err			err;

	(void)state;
	assert_int_equal(parse_d(&d, disc, &err), 0);
	assert_int_equal(d.kind, TAXII_DOC_DISCOVERY);
	assert_string_equal(d.dflt, "https://example.com/api2/");
	assert_int_equal(d.nroots, 3);
	assert_string_equal(d.roots[2], "https://example.net/trustgroup1/");
	assert_string_equal(d.title, "Some TAXII Server");
	/* An API root given directly as the feed's URL. */
	assert_int_equal(parse_d(&d, root, &err), 0);
	assert_int_equal(d.kind, TAXII_DOC_API_ROOT);
	assert_int_equal(d.taxii21, 1);
	assert_int_equal(d.nroots, 0);
	/* Only api_roots, no default. */
	assert_int_equal(parse_d(&d, "{\"api_roots\":[\"/a/\"]}", &err), 0);
	assert_int_equal(d.nroots, 1);
	assert_string_equal(d.dflt, "");
}

static void
test_discovery_hostile(void **state)
{
	static struct taxii_discovery	d;
	struct tx_err			err;
	char				*big;
	size_t				i, n;

	(void)state;
	tx_err_clear(&err);
	assert_int_equal(parse_d(&d, "{\"title\":\"x\"}", &err), TX_EINVAL);
	assert_non_null(strstr(err.msg, "neither a discovery"));
	assert_int_equal(parse_d(&d, "<html>", &err), TX_EINVAL);
	assert_non_null(strstr(err.msg, "not JSON"));
	assert_int_equal(parse_d(&d, "[1]", &err), TX_EINVAL);
	assert_int_equal(parse_d(&d, "{\"api_roots\":\"x\"}", &err),
	    TX_EINVAL);
	assert_string_equal(err.where, "api_roots");
	assert_int_equal(parse_d(&d, "{\"api_roots\":[1]}", &err), TX_EINVAL);
	assert_string_equal(err.where, "api_roots[0]");
	assert_int_equal(parse_d(&d, "{\"default\":1}", &err), TX_EINVAL);
	assert_int_equal(parse_d(&d, "{\"default\":\"a\",\"default\":\"b\"}",
	    &err), TX_EINVAL);
	assert_int_equal(parse_d(&d, "{\"default\":\"a\\u0000b\"}", &err),
	    TX_EINVAL);
	/* 17 roots: over the cap. */
	big = malloc(4096);
	assert_non_null(big);
	n = (size_t)snprintf(big, 4096, "{\"api_roots\":[");
	for (i = 0; i < TAXII_ROOTS_MAX + 1; i++)
		n += (size_t)snprintf(big + n, 4096 - n, "%s\"/r%zu/\"",
		    i ? "," : "", i);
	snprintf(big + n, 4096 - n, "]}");
	assert_int_equal(parse_d(&d, big, &err), TX_ELIMIT);
	free(big);
	/* A root longer than a URL may be. */
	big = malloc(TAXII_URL_MAX + 64);
	assert_non_null(big);
	memset(big, 'a', TAXII_URL_MAX + 63);
	memcpy(big, "{\"default\":\"", 12);
	memcpy(big + TAXII_URL_MAX + 60, "\"}", 3);
	assert_int_equal(parse_d(&d, big, &err), TX_ELIMIT);
	assert_string_equal(err.where, "default");
	free(big);
	/* A document over the size cap is refused before parsing. */
	assert_int_equal(taxii_discovery_parse(&d, disc, TAXII_DOC_MAX + 1,
	    &err), TX_ELIMIT);
}

static void
test_collections(void **state)
{
	static struct taxii_collections	cs;
	struct tx_err			err;

	(void)state;
	assert_int_equal(parse_c(&cs, colls, &err), 0);
	assert_int_equal(cs.n, 3);
	assert_string_equal(cs.c[1].id,
	    "52892447-4d7e-4f70-b94d-d7f22742ff63");
	assert_int_equal(cs.c[1].can_read, 1);
	assert_int_equal(cs.c[2].can_read, 0);
	assert_int_equal(parse_c(&cs, "{}", &err), 0);
	assert_int_equal(cs.n, 0);
	/* Hostile: an id that would leave its URL path, wrong types. */
	tx_err_clear(&err);
	assert_int_equal(parse_c(&cs, "{\"collections\":[{\"id\":\"../x\","
	    "\"can_read\":true}]}", &err), TX_EINVAL);
	assert_string_equal(err.where, "collections[0].id");
	assert_int_equal(parse_c(&cs, "{\"collections\":[{\"id\":\"a/b\"}]}",
	    &err), TX_EINVAL);
	assert_int_equal(parse_c(&cs, "{\"collections\":[{\"id\":\"..\"}]}",
	    &err), TX_EINVAL);
	assert_int_equal(parse_c(&cs, "{\"collections\":[{\"title\":\"t\"}]}",
	    &err), TX_EINVAL);
	assert_int_equal(parse_c(&cs, "{\"collections\":[{\"id\":\"a\","
	    "\"can_read\":\"yes\"}]}", &err), TX_EINVAL);
	assert_string_equal(err.where, "collections[0].can_read");
	assert_int_equal(parse_c(&cs, "{\"collections\":{}}", &err),
	    TX_EINVAL);
	assert_int_equal(parse_c(&cs, "{\"collections\":[7]}", &err),
	    TX_EINVAL);
}

static void
test_choose(void **state)
{
	static struct taxii_collections	cs;
	struct tx_err			err;
	char				list[1024];
	size_t				idx = 99;

	(void)state;
	assert_int_equal(parse_c(&cs, colls, &err), 0);
	/* By id. */
	assert_int_equal(taxii_collection_choose(&cs,
	    "52892447-4d7e-4f70-b94d-d7f22742ff63", &idx, NULL, 0, &err), 0);
	assert_int_equal(idx, 1);
	/* By exact title, not a prefix or another case. */
	assert_int_equal(taxii_collection_choose(&cs, "High Value Indicator "
	    "Collection", &idx, NULL, 0, &err), 0);
	assert_int_equal(idx, 0);
	tx_err_clear(&err);
	assert_int_equal(taxii_collection_choose(&cs, "High Value", &idx,
	    list, sizeof(list), &err), TX_ENOTFOUND);
	assert_non_null(strstr(err.msg, "no collection with id or title "
	    "\"High Value\""));
	assert_non_null(strstr(err.msg, "91a7b528"));
	assert_non_null(strstr(list, "64993447-4d7e-4f70-b94d-d7f33742ee63 "
	    "\"Secret Indicators\" (not readable)"));
	/* Not readable. */
	assert_int_equal(taxii_collection_choose(&cs, "Secret Indicators",
	    &idx, NULL, 0, &err), TX_EINVAL);
	assert_non_null(strstr(err.msg, "not readable"));
	/* None named: two readable ones is ambiguous, listed. */
	assert_int_equal(taxii_collection_choose(&cs, NULL, &idx, NULL, 0,
	    &err), TX_EINVAL);
	assert_non_null(strstr(err.msg, "more than one readable"));
	assert_non_null(strstr(err.msg, "52892447"));
	/* The only readable one is chosen. */
	cs.c[0].can_read = 0;
	idx = 99;
	assert_int_equal(taxii_collection_choose(&cs, "", &idx, NULL, 0,
	    &err), 0);
	assert_int_equal(idx, 1);
	cs.c[1].can_read = 0;
	assert_int_equal(taxii_collection_choose(&cs, "", &idx, NULL, 0,
	    &err), TX_ENOTFOUND);
	/* Two with the same title: name one by id. */
	assert_int_equal(parse_c(&cs, "{\"collections\":[{\"id\":\"a\","
	    "\"title\":\"same\",\"can_read\":true},{\"id\":\"b\",\"title\":"
	    "\"same\",\"can_read\":true}]}", &err), 0);
	assert_int_equal(taxii_collection_choose(&cs, "same", &idx, NULL, 0,
	    &err), TX_EINVAL);
	assert_non_null(strstr(err.msg, "several collections"));
	assert_int_equal(taxii_collection_choose(&cs, "b", &idx, NULL, 0,
	    &err), 0);
	assert_int_equal(idx, 1);
	/* A title with a control character is listed with '?'. */
	assert_int_equal(parse_c(&cs, "{\"collections\":[{\"id\":\"a\","
	    "\"title\":\"x\\u001b[2Jy\",\"can_read\":false}]}", &err), 0);
	assert_int_equal(taxii_collection_choose(&cs, NULL, &idx, list,
	    sizeof(list), &err), TX_ENOTFOUND);
	assert_null(strchr(err.msg, 0x1b));
	assert_non_null(strstr(list, "x?[2Jy"));
}

static void
test_resolve(void **state)
{
	char		out[TAXII_URL_MAX];
	struct tx_err	err;
	const char	*base = "https://feed.example:8443/taxii2/";

	(void)state;
	assert_int_equal(taxii_url_resolve(out, base, "https://x.example/a",
	    &err), 0);
	assert_string_equal(out, "https://x.example/a/");
	assert_int_equal(taxii_url_resolve(out, base, "/api1/", &err), 0);
	assert_string_equal(out, "https://feed.example:8443/api1/");
	assert_int_equal(taxii_url_resolve(out, base, "api1", &err), 0);
	assert_string_equal(out, "https://feed.example:8443/taxii2/api1/");
	assert_int_equal(taxii_url_resolve(out, "https://feed.example", "r/",
	    &err), 0);
	assert_string_equal(out, "https://feed.example/r/");
	assert_int_equal(taxii_url_resolve(out, base, "//o.example/r/",
	    &err), 0);
	assert_string_equal(out, "https://o.example/r/");
	assert_int_equal(taxii_url_resolve(out, base, "http://x/a/", &err),
	    TX_EINVAL);
	assert_int_equal(taxii_url_resolve(out, base, "file:///etc/", &err),
	    TX_EINVAL);
	assert_int_equal(taxii_url_resolve(out, base, "../a/", &err),
	    TX_EINVAL);
	assert_int_equal(taxii_url_resolve(out, base, "a b/", &err),
	    TX_EINVAL);
	assert_int_equal(taxii_url_resolve(out, base, "a/?x=1", &err),
	    TX_EINVAL);
	assert_int_equal(taxii_url_resolve(out, base, "a\r\n/", &err),
	    TX_EINVAL);
	assert_int_equal(taxii_url_resolve(out, base, "", &err), TX_EINVAL);
	assert_int_equal(taxii_url_resolve(out, base, "https://", &err),
	    TX_EINVAL);
}

static void
test_origin(void **state)
{
	(void)state;
	assert_true(taxii_same_origin("https://a.example/x/",
	    "https://A.example/y/z"));
	assert_true(taxii_same_origin("https://a.example/x/",
	    "https://a.example:443/y/"));
	assert_true(taxii_same_origin("https://a.example:8443/",
	    "https://a.example:8443/api/"));
	assert_false(taxii_same_origin("https://a.example:8443/",
	    "https://a.example:8444/api/"));
	assert_false(taxii_same_origin("https://a.example/",
	    "https://a.example.evil/"));
	assert_false(taxii_same_origin("https://a.example/",
	    "http://a.example/"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_discovery),
		cmocka_unit_test(test_discovery_hostile),
		cmocka_unit_test(test_collections),
		cmocka_unit_test(test_choose),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_origin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
