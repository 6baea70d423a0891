/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_stream.c - the streaming bundle/envelope reader: document kinds,
 * outer-level errors with offsets, per-element errors that do not stop the
 * reader, chunked reading from a file descriptor with bounded memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "stream.h"

struct collect {
	size_t	n_ok;
	size_t	n_bad;
	char	first_bad[TX_ERR_WHERE_MAX + TX_ERR_MSG_MAX];
	char	ids[8][64];
	int	stop_after;	/* >0: return -42 after that many */
};

static int
collect_cb(size_t index, json_t *obj, const struct tx_err *e, void *payload)
{
	struct collect *c = payload;

	if (obj != NULL) {
		const char *id = json_string_value(json_object_get(obj, "id"));

		if (c->n_ok < 8 && id != NULL)
			snprintf(c->ids[c->n_ok], 64, "%s", id);
		c->n_ok++;
	} else {
		assert_non_null(e);
		if (c->n_bad == 0)
			snprintf(c->first_bad, sizeof(c->first_bad), "%s|%s",
			    e->where, e->msg);
		c->n_bad++;
	}
	if (c->stop_after > 0 && c->n_ok + c->n_bad >= (size_t)c->stop_after)
		return -42;
	(void)index;
	return 0;
}

static int
run(struct stix_doc_info *info, struct collect *c, const char *doc,
    struct tx_err *err)
{
	memset(c, 0, sizeof(*c));
	tx_err_clear(err);
	return stix_stream_mem(info, (const uint8_t *)doc, strlen(doc), NULL,
	    collect_cb, c, err);
}

#define B "bundle--6bd64c14-5a91-4a4b-9cc6-2d0f14e51b4a"
#define O1 "{\"type\":\"x-a\",\"id\":\"x-a--1\"}"
#define O2 "{\"type\":\"x-b\",\"id\":\"x-b--2\",\"n\":[1,{\"q\":\"]}\\\"\"}]}"

static void
test_kinds(void **state)
{
	struct stix_doc_info info;
	struct collect c;
	struct tx_err err;

	(void)state;
	assert_int_equal(run(&info, &c, "{\"type\":\"bundle\",\"id\":\"" B
	    "\",\"objects\":[" O1 "," O2 "]}", &err), 0);
	assert_int_equal(info.kind, STIX_DOC_BUNDLE);
	assert_string_equal(info.bundle_id, B);
	assert_int_equal(info.count, 2);
	assert_int_equal(c.n_ok, 2);
	assert_string_equal(c.ids[1], "x-b--2");
	assert_int_equal(info.more, -1);

	/* id after objects, spec_version of 2.0 bundles tolerated */
	assert_int_equal(run(&info, &c, "{\"objects\":[" O1 "],\"id\":\"" B
	    "\",\"spec_version\":\"2.0\",\"type\":\"bundle\"}", &err), 0);
	assert_int_equal(info.kind, STIX_DOC_BUNDLE);
	assert_int_equal(c.n_ok, 1);

	assert_int_equal(run(&info, &c, "{\"more\":true,\"next\":\"abc\","
	    "\"objects\":[" O1 "]}", &err), 0);
	assert_int_equal(info.kind, STIX_DOC_ENVELOPE);
	assert_int_equal(info.more, 1);
	assert_string_equal(info.next, "abc");
	assert_int_equal(c.n_ok, 1);

	assert_int_equal(run(&info, &c, "{}", &err), 0);
	assert_int_equal(info.kind, STIX_DOC_ENVELOPE);
	assert_int_equal(c.n_ok, 0);

	/* Typeless, no objects, not only envelope members: one object,
	 * handed on (and refused by validation), never an empty envelope. */
	assert_int_equal(run(&info, &c, "{\"a\":1}", &err), 0);
	assert_int_equal(info.kind, STIX_DOC_OBJECT);
	assert_int_equal(c.n_ok, 1);

	assert_int_equal(run(&info, &c, " " O2 " \n", &err), 0);
	assert_int_equal(info.kind, STIX_DOC_OBJECT);
	assert_int_equal(c.n_ok, 1);
	assert_string_equal(c.ids[0], "x-b--2");

	/* observed-data's deprecated objects dictionary: a single object */
	assert_int_equal(run(&info, &c, "{\"type\":\"observed-data\","
	    "\"objects\":{\"0\":{\"type\":\"file\"}}}", &err), 0);
	assert_int_equal(info.kind, STIX_DOC_OBJECT);
	assert_int_equal(c.n_ok, 1);

	assert_int_equal(run(&info, &c, "{\"type\":\"bundle\",\"id\":\"" B
	    "\",\"objects\":[]}", &err), 0);
	assert_int_equal(info.count, 0);

	/* callback stops the reader */
	memset(&c, 0, sizeof(c));
	c.stop_after = 1;
	assert_int_equal(stix_stream_mem(&info, (const uint8_t *)"{\"objects\":"
	    "[" O1 "," O1 "]}", strlen("{\"objects\":[" O1 "," O1 "]}"), NULL,
	    collect_cb, &c, &err), -42);
	assert_int_equal(c.n_ok, 1);
}

struct ocase {
	const char	*name;
	const char	*doc;
	int		 code;
	const char	*where;		/* prefix of err.where */
};

static const struct ocase outer[] = {
	{ "dup outer key", "{\"objects\":[" O1 "],\"objects\":[]}", TX_EINVAL,
	    "@offset 42" },
	{ "dup outer escaped", "{\"more\":true,\"m\\u006fre\":false}",
	    TX_EINVAL, "@offset" },
	{ "dup in single object", "{\"type\":\"x-a\",\"type\":\"x-a\"}",
	    TX_EINVAL, "@offset" },
	{ "objects not array (bundle)", "{\"type\":\"bundle\",\"id\":\"" B
	    "\",\"objects\":{\"a\":{}}}", TX_EINVAL, "@offset" },
	{ "objects scalar", "{\"objects\":3}", TX_EINVAL, "@offset" },
	{ "trailing garbage", "{\"objects\":[]} x", TX_EINVAL, "@offset 15" },
	{ "two documents", "{\"objects\":[]}{}", TX_EINVAL, "@offset" },
	{ "truncated in objects", "{\"objects\":[" O1 ",", TX_EINVAL,
	    "@offset" },
	{ "truncated in element", "{\"objects\":[{\"type\":\"x", TX_EINVAL,
	    "@offset" },
	{ "truncated outer", "{\"type\":\"bundle\"", TX_EINVAL, "@offset" },
	{ "mismatched", "{\"objects\":[{\"a\":[1}]}", TX_EINVAL, "@offset" },
	{ "not object", "[1]", TX_EINVAL, "@offset 0" },
	{ "empty", "  ", TX_EINVAL, "@offset" },
	{ "bundle bad id", "{\"type\":\"bundle\",\"id\":\"x\",\"objects\":[]}",
	    TX_EINVAL, "id" },
	{ "objects in non-bundle", "{\"type\":\"report\",\"objects\":[]}",
	    TX_EINVAL, "@offset" },
	{ "more not bool", "{\"more\":1,\"objects\":[]}", TX_EINVAL, "more" },
	{ "bad utf8 outer", "{\"next\":\"\xff\",\"objects\":[]}", TX_EINVAL,
	    "@offset" },
	{ "missing comma", "{\"objects\":[" O1 " " O1 "]}", TX_EINVAL,
	    "@offset" },
};

static void
test_outer_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(outer) / sizeof(outer[0]); i++) {
		struct stix_doc_info info;
		struct collect c;
		struct tx_err err;
		int rc = run(&info, &c, outer[i].doc, &err);

		if (rc != outer[i].code)
			fail_msg("%s: rc %d want %d (%s %s)", outer[i].name, rc,
			    outer[i].code, err.where, err.msg);
		if (strncmp(err.where, outer[i].where,
		    strlen(outer[i].where)) != 0)
			fail_msg("%s: where \"%s\" want \"%s\" (%s)",
			    outer[i].name, err.where, outer[i].where, err.msg);
	}
}

static void
test_element_errors(void **state)
{
	struct stix_doc_info info;
	struct collect c;
	struct tx_err err;

	(void)state;
	/* bad elements are reported, the good ones beside them still come */
	assert_int_equal(run(&info, &c, "{\"objects\":[" O1 ",{\"a\":1,\"a\":2},"
	    "3,{\"x\":\"\xff\"},{\"y\":[1,]}," O2 "]}", &err), 0);
	assert_int_equal(c.n_ok, 2);
	assert_int_equal(c.n_bad, 4);
	assert_int_equal(info.count, 6);
	assert_string_equal(c.first_bad, "objects[1].a|duplicate key "
	    "(duplicate object key near '\"a\"')");

	assert_int_equal(run(&info, &c, "{\"objects\":[1,2]}", &err), 0);
	assert_int_equal(c.n_bad, 2);
	assert_non_null(strstr(c.first_bad, "objects[0]|not a JSON object"));
}

static void
test_limits(void **state)
{
	struct stix_limits lim;
	struct stix_doc_info info;
	struct collect c;
	struct tx_err err;
	const char *doc = "{\"objects\":[" O1 ",{\"big\":\"0123456789012345678"
	    "90123456789012345678901234567890\"}," O1 "]}";

	(void)state;
	stix_limits_default(&lim);
	lim.max_object_bytes = 40;
	memset(&c, 0, sizeof(c));
	assert_int_equal(stix_stream_mem(&info, (const uint8_t *)doc,
	    strlen(doc), &lim, collect_cb, &c, &err), 0);
	assert_int_equal(c.n_ok, 2);
	assert_int_equal(c.n_bad, 1);
	assert_non_null(strstr(c.first_bad, "objects[1]|object larger"));

	stix_limits_default(&lim);
	lim.max_objects = 2;
	memset(&c, 0, sizeof(c));
	assert_int_equal(stix_stream_mem(&info, (const uint8_t *)doc,
	    strlen(doc), &lim, collect_cb, &c, &err), TX_ELIMIT);

	stix_limits_default(&lim);
	lim.max_doc_bytes = 10;
	assert_int_equal(stix_stream_mem(&info, (const uint8_t *)doc,
	    strlen(doc), &lim, collect_cb, &c, &err), TX_ELIMIT);
}

/*
 * The skimming reader (the inbox's): the outer document as strictly, the
 * elements handed over unparsed, except those too large or not objects.
 */
struct skimmed {
	size_t	n_elem;		/* handed over unparsed */
	size_t	n_bad;
	size_t	n_parse_ok;	/* of those handed over, parsed after */
	char	first_bad[TX_ERR_WHERE_MAX + TX_ERR_MSG_MAX];
	const struct stix_doc_info *info;
};

static int
skim_cb(size_t index, json_t *obj, const struct tx_err *e, void *payload)
{
	struct skimmed	*k = payload;
	json_t		*o = NULL;

	(void)index;
	assert_null(obj);	/* never parsed */
	if (e != NULL) {
		assert_null(k->info->elem);
		if (k->n_bad++ == 0)
			snprintf(k->first_bad, sizeof(k->first_bad), "%s|%s",
			    e->where, e->msg);
		return 0;
	}
	assert_non_null(k->info->elem);
	k->n_elem++;
	if (stix_intake_object(&o, k->info->elem, k->info->elem_len, NULL,
	    NULL) == 0)
		k->n_parse_ok++;
	json_decref(o);
	return 0;
}

static int
skim(struct stix_doc_info *info, struct skimmed *k, const char *doc,
    const struct stix_limits *lim, struct tx_err *err)
{
	memset(k, 0, sizeof(*k));
	memset(info, 0, sizeof(*info));
	k->info = info;
	tx_err_clear(err);
	return stix_stream_mem_skim(info, (const uint8_t *)doc, strlen(doc),
	    lim, skim_cb, k, err);
}

static void
test_skim(void **state)
{
	struct stix_limits	lim;
	struct stix_doc_info	info;
	struct skimmed		k;
	struct tx_err		err;

	(void)state;
	/* Every outer error as the parsing reader has it. */
	for (size_t i = 0; i < sizeof(outer) / sizeof(outer[0]); i++) {
		int rc = skim(&info, &k, outer[i].doc, NULL, &err);

		if (rc != outer[i].code)
			fail_msg("%s: skim rc %d want %d (%s %s)",
			    outer[i].name, rc, outer[i].code, err.where,
			    err.msg);
		if (strncmp(err.where, outer[i].where,
		    strlen(outer[i].where)) != 0)
			fail_msg("%s: skim where \"%s\" want \"%s\"",
			    outer[i].name, err.where, outer[i].where);
	}
	/* Bad JSON inside an element is the parse's to find, later. */
	assert_int_equal(skim(&info, &k, "{\"objects\":[" O1 ",{\"a\":1,"
	    "\"a\":2},3,{\"x\":\"\xff\"},{\"y\":[1,]}," O2 "]}", NULL,
	    &err), 0);
	assert_int_equal(info.kind, STIX_DOC_ENVELOPE);
	assert_int_equal(info.count, 6);
	assert_int_equal(k.n_elem, 5);
	assert_int_equal(k.n_parse_ok, 2);
	assert_int_equal(k.n_bad, 1);
	assert_non_null(strstr(k.first_bad, "objects[2]|not a JSON object"));
	/* Too large: refused by the skim itself. */
	stix_limits_default(&lim);
	lim.max_object_bytes = 40;
	assert_int_equal(skim(&info, &k, "{\"objects\":[" O1 ",{\"big\":"
	    "\"012345678901234567890123456789012345678901234567890\"}]}",
	    &lim, &err), 0);
	assert_int_equal(k.n_elem, 1);
	assert_non_null(strstr(k.first_bad, "objects[1]|object larger"));
	/* A lone object is handed over whole, unparsed. */
	assert_int_equal(skim(&info, &k, O2, NULL, &err), 0);
	assert_int_equal(info.kind, STIX_DOC_OBJECT);
	assert_int_equal(k.n_elem, 1);
	assert_int_equal(k.n_parse_ok, 1);
}

/* A document of n objects written to a temp file, read back by fd. */
static void
test_fd(void **state)
{
	struct stix_limits lim;
	struct stix_doc_info info;
	struct collect c;
	struct tx_err err;
	FILE *f = tmpfile();
	size_t n = 50000;

	(void)state;
	assert_non_null(f);
	fprintf(f, "{\"type\":\"bundle\",\"objects\":[");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\n {\"type\":\"x-t\",\"id\":\"x-t--%zu\",\"pad\":"
		    "\"%0200zu\"}", i ? "," : "", i, i);
	/* one object of 200 KB: bigger than the chunk, within the cap */
	fprintf(f, ",{\"type\":\"x-big\",\"s\":\"");
	for (size_t i = 0; i < 200000; i++)
		fputc('a', f);
	fprintf(f, "\\\"]}\"}");
	fprintf(f, "],\"id\":\"" B "\"}\n");
	fflush(f);
	rewind(f);
	memset(&c, 0, sizeof(c));
	stix_limits_default(&lim);
	assert_int_equal(stix_stream_fd(&info, fileno(f), &lim, collect_cb, &c,
	    &err), 0);
	if (c.n_bad) fail_msg("%s", c.first_bad);
	assert_int_equal(c.n_ok, n + 1);
	assert_int_equal(c.n_bad, 0);
	assert_int_equal(info.kind, STIX_DOC_BUNDLE);
	assert_string_equal(info.bundle_id, B);

	/* the same with a cap below the big object: skipped, reported */
	rewind(f);
	memset(&c, 0, sizeof(c));
	lim.max_object_bytes = 100000;
	assert_int_equal(stix_stream_fd(&info, fileno(f), &lim, collect_cb, &c,
	    &err), 0);
	assert_int_equal(c.n_ok, n);
	assert_int_equal(c.n_bad, 1);
	fclose(f);

	/* truncated file */
	f = tmpfile();
	fprintf(f, "{\"objects\":[" O1 "," O1);
	fflush(f);
	rewind(f);
	memset(&c, 0, sizeof(c));
	assert_int_equal(stix_stream_fd(&info, fileno(f), NULL, collect_cb, &c,
	    &err), TX_EINVAL);
	assert_int_equal(c.n_ok, 2);
	fclose(f);

	/* a single object from a file */
	f = tmpfile();
	fprintf(f, "%s", O2);
	fflush(f);
	rewind(f);
	memset(&c, 0, sizeof(c));
	assert_int_equal(stix_stream_fd(&info, fileno(f), NULL, collect_cb, &c,
	    &err), 0);
	assert_int_equal(info.kind, STIX_DOC_OBJECT);
	assert_int_equal(c.n_ok, 1);
	fclose(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_outer_errors),
		cmocka_unit_test(test_element_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_fd),
		cmocka_unit_test(test_skim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
