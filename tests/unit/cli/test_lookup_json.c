/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_lookup_json.c - `lookup --json` and `lookup --json --summary`
 * (node/cli/cmd_lookup.c) against their documentation: the tables of
 * docs/json.md are read and every object printed must have every key
 * documented as "always", no key the tables do not name, and each key's
 * documented type (numbers as numbers, lists as lists, the signature
 * verdict as fields), down through hits, related values, links,
 * sightings, verdicts and actors. Run in-process on a node made by
 * node_init, with values authored by `add`, a benign list (the Tranco
 * top 10k of the MISP warninglists) named in node.conf, values from
 * arguments, defanged, refused, and from --file.
 */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "init.h"
#include "node.h"

#define JSON_DOC	TX_TEST_DATA "/../../docs/json.md"
#define TRANCO		TX_SHARED_DIR "/data/misp-warninglists-benign" \
			"/lists/tranco10k/list.json"

static char	root[64], node_dir[128];
static json_t	*schema;	/* shape -> key -> {"type", "always"} */

/* The CLI's node directory (main.c is not part of the library). */
const char *
cli_node_dir(void)
{
	return node_dir;
}

/* ---- capture (as test_commands.c) --------------------------------------- */

#define CAP_MAX	(512 * 1024)

struct cap {
	int	rc;
	char	out[CAP_MAX];
	char	err[CAP_MAX];
};

static void
cap_read(char *dst, FILE *f)
{
	size_t	n;

	fflush(f);
	rewind(f);
	n = fread(dst, 1, CAP_MAX - 1, f);
	dst[n] = '\0';
	fclose(f);
}

static struct cap *
cap_run(int (*fn)(int, char **), char **argv)
{
	static struct cap	 c;
	FILE			*fo, *fe;
	int			 so, se, argc = 0;

	while (argv[argc] != NULL)
		argc++;
	assert_non_null(fo = tmpfile());
	assert_non_null(fe = tmpfile());
	fflush(stdout);
	fflush(stderr);
	so = dup(1);
	se = dup(2);
	assert_true(so >= 0 && se >= 0);
	assert_true(dup2(fileno(fo), 1) >= 0);
	assert_true(dup2(fileno(fe), 2) >= 0);
	c.rc = fn(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	cap_read(c.out, fo);
	cap_read(c.err, fe);
	return &c;
}

#define RUN(fn, ...)	cap_run((fn), (char *[]){ __VA_ARGS__, NULL })

/* ---- the documented schema ---------------------------------------------- */

/* Trim spaces at both ends of s in place. */
static char *
trim(char *s)
{
	size_t	n;

	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

/*
 * The "### lookup.SHAPE" tables of docs/json.md: rows "| `key` | type |
 * present | meaning |".
 */
static void
load_schema(void)
{
	FILE	*f;
	char	 line[2048], *cells[4], *p, *k;
	json_t	*shape = NULL;
	int	 i;

	assert_non_null(f = fopen(JSON_DOC, "r"));
	assert_non_null(schema = json_object());
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "#", 1) == 0) {
			shape = NULL;
			if (strncmp(line, "### lookup.", 11) == 0) {
				shape = json_object();
				json_object_set_new(schema, trim(line + 4),
				    shape);
			}
			continue;
		}
		if (shape == NULL || strncmp(line, "| `", 3) != 0)
			continue;
		p = line + 1;
		for (i = 0; i < 4; i++) {
			cells[i] = p;
			if ((p = strchr(p, '|')) == NULL)
				break;
			*p++ = '\0';
		}
		assert_int_equal(i, 4);
		k = trim(cells[0]);
		assert_true(k[0] == '`' && k[strlen(k) - 1] == '`');
		k[strlen(k) - 1] = '\0';
		json_object_set_new(shape, k + 1, json_pack("{s:s, s:b}",
		    "type", trim(cells[1]), "always",
		    strcmp(trim(cells[2]), "always") == 0));
	}
	fclose(f);
}

static int
type_ok(const json_t *v, const char *type)
{
	if (strstr(type, " or null") != NULL && json_is_null(v))
		return 1;
	if (strncmp(type, "string", 6) == 0)
		return json_is_string(v);
	if (strncmp(type, "integer", 7) == 0)
		return json_is_integer(v);
	if (strncmp(type, "boolean", 7) == 0)
		return json_is_boolean(v);
	if (strncmp(type, "array", 5) == 0)
		return json_is_array(v);
	if (strncmp(type, "object", 6) == 0)
		return json_is_object(v);
	fail_msg("docs/json.md: unknown type '%s'", type);
	return 0;
}

static void	check(const json_t *o, const char *shape);

/* Each element of array a: a shape, or (shape NULL) a string. */
static void
check_each(const json_t *a, const char *shape)
{
	const json_t	*e;
	size_t		 i;

	json_array_foreach(a, i, e) {
		if (shape != NULL)
			check(e, shape);
		else if (!json_is_string(e))
			fail_msg("an element that is not a string");
	}
}

/* o against shape, and what it holds against theirs. */
static void
check(const json_t *o, const char *shape)
{
	static const struct {
		/* inner NULL: an array of strings */
		const char	*shape, *key, *inner;
	} nested[] = {
		{ "lookup.view", "hits", "lookup.hit" },
		{ "lookup.view", "related", "lookup.related" },
		{ "lookup.view", "actors", "lookup.actor" },
		{ "lookup.related", "hits", "lookup.hit" },
		{ "lookup.hit", "linked", "lookup.linked" },
		{ "lookup.hit", "verdicts", "lookup.verdict" },
		{ "lookup.sightings", "sighters", NULL },
		{ "lookup.actor", "origins", NULL },
		{ "lookup.summary", "origins", NULL },
		{ "lookup.summary", "actors", NULL },
	};
	const json_t	*keys = json_object_get(schema, shape), *d, *v;
	const char	*k;
	size_t		 i;

	if (keys == NULL || json_object_size(keys) == 0)
		fail_msg("docs/json.md has no table for %s", shape);
	if (!json_is_object(o))
		fail_msg("%s: not an object", shape);
	json_object_foreach((json_t *)keys, k, d)
		if (json_is_true(json_object_get(d, "always")) &&
		    json_object_get(o, k) == NULL)
			fail_msg("%s: no '%s' (documented as always)", shape,
			    k);
	json_object_foreach((json_t *)o, k, v) {
		if ((d = json_object_get(keys, k)) == NULL)
			fail_msg("%s: '%s' is not documented", shape, k);
		if (!type_ok(v, json_string_value(json_object_get(d, "type"))))
			fail_msg("%s: '%s' is not %s", shape, k,
			    json_string_value(json_object_get(d, "type")));
	}
	for (i = 0; i < sizeof(nested) / sizeof(nested[0]); i++)
		if (strcmp(nested[i].shape, shape) == 0)
			check_each(json_object_get(o, nested[i].key),
			    nested[i].inner);
	if (strcmp(shape, "lookup.hit") == 0)
		check(json_object_get(o, "sightings"), "lookup.sightings");
}

/* The lines of out, each parsed; n of them. */
static json_t *
lines_of(const char *out, size_t n)
{
	json_t		*a = json_array(), *o;
	json_error_t	 je;
	const char	*p, *nl;

	assert_non_null(a);
	for (p = out; *p != '\0'; p = nl + 1) {
		assert_non_null(nl = strchr(p, '\n'));
		if ((o = json_loadb(p, (size_t)(nl - p), 0, &je)) == NULL)
			fail_msg("not JSON: %.*s (%s)", (int)(nl - p), p,
			    je.text);
		json_array_append_new(a, o);
	}
	assert_int_equal(json_array_size(a), n);
	return a;
}

/* ---- setup --------------------------------------------------------------- */

static int
setup(void **state)
{
	struct node_init_opts	 o;
	struct tx_err		 err;
	char			 conf[256];
	FILE			*f;

	load_schema();
	snprintf(root, sizeof(root), "/tmp/tx-lkjson-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(node_dir, sizeof(node_dir), "%s/us", root);
	node_init_defaults(&o);
	o.dir = node_dir;
	o.name = "us-cert";
	o.listen = "127.0.0.1:1";
	tx_err_clear(&err);
	if (node_init(NULL, &o, &err) < 0)
		fail_msg("node_init: %s", err.msg);
	snprintf(conf, sizeof(conf), "%s/node.conf", node_dir);
	assert_non_null(f = fopen(conf, "a"));
	fprintf(f, "\n[node]\nbenign_lists = %s\n", TRANCO);
	fclose(f);
	return 0;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int
teardown(void **state)
{
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	json_decref(schema);
	return 0;
}

/* ---- the tests ---------------------------------------------------------- */

static void
test_schema_read(void **state)
{
	static const char *const shapes[] = { "lookup.view",
	    "lookup.related", "lookup.hit", "lookup.sightings",
	    "lookup.verdict", "lookup.linked", "lookup.actor",
	    "lookup.summary", "lookup.refused" };
	size_t	i;

	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		assert_true(json_object_size(json_object_get(schema,
		    shapes[i])) >= 3);
}

static void
test_view(void **state)
{
	struct cap	*c;
	json_t		*a, *v, *h, *r;
	size_t		 i;

	c = RUN(cmd_add, "add", "domain", "inditechlab.com", "--actor",
	    "Lazarus Group", "--conf", "80");
	assert_int_equal(c->rc, CLI_OK);
	c = RUN(cmd_add, "add", "alias", "Andariel", "--actor",
	    "Silent Chollima");
	assert_int_equal(c->rc, CLI_OK);

	c = RUN(cmd_lookup, "lookup", "--json", "inditechlab.com",
	    "recruiter@INDITECHLAB.COM", "hxxps://jobs[.]inditechlab[.]com/x",
	    "Andariel", "unknown.example", "recruiter@gmail.com",
	    "recruiter@");
	assert_int_equal(c->rc, CLI_REFUSED);
	a = lines_of(c->out, 7);
	for (i = 0; i < 6; i++)
		check(json_array_get(a, i), "lookup.view");
	check(json_array_get(a, 6), "lookup.refused");

	/* The domain: numbers as numbers, the verdict as fields. */
	v = json_array_get(a, 0);
	for (i = 0; (h = json_array_get(json_object_get(v, "hits"), i)) !=
	    NULL; i++)
		if (strcmp(json_string_value(json_object_get(h, "type")),
		    "indicator") == 0)
			break;
	assert_non_null(h);
	assert_int_equal(json_integer_value(json_object_get(h, "confidence")),
	    80);
	assert_true(json_is_true(json_object_get(json_array_get(
	    json_object_get(h, "verdicts"), 0), "ok")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(v, "actors"), 0), "name")), "Lazarus Group");
	/* The e-mail address and the defanged URL: known via the domain. */
	for (i = 1; i <= 2; i++) {
		v = json_array_get(a, i);
		assert_true(json_is_true(json_object_get(v, "known")));
		r = json_array_get(json_object_get(v, "related"), 0);
		assert_true(json_is_true(json_object_get(r, "known")));
		assert_int_equal(json_array_size(json_object_get(v, "actors")),
		    1);
	}
	/* An unknown domain: the five keys it always had, nothing else. */
	assert_int_equal(json_object_size(json_array_get(a, 4)), 5);
	/* gmail.com is on the Tranco list: flagged, not known. */
	v = json_array_get(a, 5);
	assert_false(json_is_true(json_object_get(v, "known")));
	r = json_array_get(json_object_get(v, "related"), 0);
	assert_true(json_is_string(json_object_get(r, "benign")));
	json_decref(a);
}

static void
test_summary(void **state)
{
	struct cap	*c;
	json_t		*a, *s;
	char		 path[256];
	FILE		*f;
	size_t		 i;

	snprintf(path, sizeof(path), "%s/values.txt", root);
	assert_non_null(f = fopen(path, "w"));
	fputs("# screening list\ninditechlab.com\nrecruiter@inditechlab.com\n"
	    "\nAndariel\nnobody@example.org\nrecruiter@gmail.com\n", f);
	fclose(f);
	c = RUN(cmd_lookup, "lookup", "--json", "--summary", "--file", path);
	assert_int_equal(c->rc, CLI_OK);
	a = lines_of(c->out, 5);
	json_array_foreach(a, i, s)
		check(s, "lookup.summary");
	s = json_array_get(a, 1);
	assert_string_equal(json_string_value(json_object_get(s, "verdict")),
	    "known");
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(s, "origins"), 0)), "us-cert");
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(s, "actors"), 0)), "Lazarus Group");
	assert_int_equal(json_integer_value(json_object_get(s, "confidence")),
	    80);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    a, 3), "verdict")), "unknown");
	assert_true(json_is_null(json_object_get(json_array_get(a, 3),
	    "tlp")));
	assert_true(json_is_string(json_object_get(json_array_get(a, 4),
	    "benign")));
	json_decref(a);

	/* No value and no --file: a usage error, nothing run. */
	c = RUN(cmd_lookup, "lookup", "--summary");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_string_equal(c->out, "");
	/* --peer without --private. */
	c = RUN(cmd_lookup, "lookup", "--peer", "uk-ncsc", "x.example");
	assert_int_equal(c->rc, CLI_USAGE);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_schema_read),
		cmocka_unit_test(test_view),
		cmocka_unit_test(test_summary),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
