/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_benign.c - node/benign.[ch]: the real MISP warninglists of
 * ../shared/data (tranco top 10k, sinkholes, second-level TLDs), plain
 * text lists, what matches (parents down to the registrable domain only,
 * networks, a URL's and an e-mail address's host), the refusals naming
 * the file, a node's lists loaded from node.conf and read again by
 * node_reload, and the warnings of `add` and `import` for a value a list
 * holds (taken all the same).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "add.h"
#include "benign.h"
#include "fixture.h"
#include "import.h"
#include "merge.h"
#include "node.h"

#define WL		TX_SHARED_DIR "/data/misp-warninglists-benign/lists"
#define TRANCO		WL "/tranco10k/list.json"
#define SINKHOLES	WL "/sinkholes/list.json"
#define SLD		WL "/second-level-tlds/list.json"
#define TRANCO_NAME	"Top 10K most-used sites from Tranco"

static const char *
m(const struct benign *b, enum norm_kind k, const char *v)
{
	return benign_match(b, k, v);
}

static struct benign *
load1(const char *path)
{
	struct benign	*b = NULL;
	struct tx_err	 err;
	const char	*p[1] = { path };

	tx_err_clear(&err);
	if (benign_load(&b, p, 1, &err) != 0)
		fail_msg("%s: %s: %s", path, err.where, err.msg);
	return b;
}

static struct benign *
mem(const char *name, const char *text)
{
	struct benign	*b = NULL;
	struct tx_err	 err;

	tx_err_clear(&err);
	if (benign_load_mem(&b, name, (const uint8_t *)text, strlen(text),
	    &err) != 0)
		fail_msg("%s: %s", name, err.msg);
	return b;
}

/* tranco: a listed domain and its subdomains; a DPRK front is not. */
static void
test_tranco(void **state)
{
	struct benign	*b = load1(TRANCO);

	(void)state;
	assert_true(benign_count(b) >= 9900);
	assert_non_null(m(b, NORM_DOMAIN, "google.com"));
	assert_string_equal(m(b, NORM_DOMAIN, "google.com"), TRANCO_NAME);
	assert_string_equal(m(b, NORM_DOMAIN, "mail.google.com"),
	    TRANCO_NAME);
	assert_null(m(b, NORM_DOMAIN, "inditechlab.com"));
	assert_null(m(b, NORM_DOMAIN, "google.com.inditechlab.com"));
	assert_null(m(b, NORM_DOMAIN, "notgoogle.com"));
	/* A URL's and an e-mail address's host. */
	assert_non_null(m(b, NORM_URL, "https://mail.google.com/x?y=1"));
	assert_non_null(m(b, NORM_URL, "http://u@google.com:8080/"));
	assert_null(m(b, NORM_URL, "https://inditechlab.com/google.com"));
	assert_non_null(m(b, NORM_EMAIL, "someone@google.com"));
	assert_null(m(b, NORM_EMAIL, "google.com@inditechlab.com"));
	/* Kinds without a host never match a hostname entry. */
	assert_null(m(b, NORM_ALIAS, "google.com"));
	benign_free(b);
}

/*
 * github.io is on the tranco list, but it is a public suffix: the names
 * under it belong to anyone, so they are not made benign.
 */
static void
test_public_suffix_not_covered(void **state)
{
	struct benign	*b = load1(TRANCO);

	(void)state;
	assert_non_null(m(b, NORM_DOMAIN, "github.io"));
	assert_null(m(b, NORM_DOMAIN, "lazarus-drop.github.io"));
	assert_null(m(b, NORM_DOMAIN, "a.lazarus-drop.github.io"));
	benign_free(b);
}

/* cidr lists: addresses and networks, v4 and v6. */
static void
test_sinkholes(void **state)
{
	struct benign	*b = load1(SINKHOLES), *t;

	(void)state;
	assert_non_null(m(b, NORM_IPV4, "104.155.11.149"));
	assert_null(m(b, NORM_IPV4, "104.155.11.148"));
	/* 104.244.12.0/22 */
	assert_non_null(m(b, NORM_IPV4, "104.244.15.254"));
	assert_non_null(m(b, NORM_IPV4, "104.244.13.0/24"));
	assert_null(m(b, NORM_IPV4, "104.244.16.1"));
	assert_null(m(b, NORM_IPV4, "104.244.0.0/16"));
	assert_non_null(m(b, NORM_URL, "http://104.244.12.9/gate.php"));
	benign_free(b);
	t = mem("v6.txt", "2001:db8::/32\n");
	assert_non_null(m(t, NORM_IPV6, "2001:db8:1::5"));
	assert_null(m(t, NORM_IPV6, "2001:db9::1"));
	assert_non_null(m(t, NORM_URL, "https://[2001:db8::1]:443/"));
	benign_free(t);
}

/* "string" lists match exactly: co.uk listed, a name under it not. */
static void
test_string_list(void **state)
{
	struct benign	*b = load1(SLD);

	(void)state;
	assert_non_null(m(b, NORM_DOMAIN, "co.uk"));
	assert_null(m(b, NORM_DOMAIN, "evil.co.uk"));
	benign_free(b);
}

/* Plain text: comments, blank lines, values that do not normalise. */
static void
test_text_list(void **state)
{
	struct benign	*b = mem("/etc/ours.txt", "# our own\n\n"
	    "  partner.example\r\n10.0.0.0/8\nnot a [value\n"
	    "ops@mail.example\n#evil.example\n");

	(void)state;
	assert_int_equal(benign_count(b), 4);	/* "not a [value": an alias */
	assert_string_equal(m(b, NORM_DOMAIN, "partner.example"), "ours.txt");
	assert_non_null(m(b, NORM_DOMAIN, "www.partner.example"));
	assert_non_null(m(b, NORM_IPV4, "10.200.1.1"));
	assert_null(m(b, NORM_IPV4, "11.0.0.1"));
	assert_non_null(m(b, NORM_EMAIL, "ops@mail.example"));
	assert_null(m(b, NORM_EMAIL, "other@mail.example"));
	assert_null(m(b, NORM_DOMAIN, "evil.example"));
	benign_free(b);
}

/* A list's name from the file: control bytes never reach a caller. */
static void
test_name_sanitised(void **state)
{
	const char	*j = "{\"name\": \"x\\u001b[31my\\nz\", \"type\": "
	    "\"hostname\", \"list\": [\"partner.example\", 7, null]}";
	struct benign	*b = mem("l.json", j);

	(void)state;
	assert_string_equal(m(b, NORM_DOMAIN, "partner.example"),
	    "x?[31my?z");
	benign_free(b);
}

static void
refused(const char *name, const char *text, int code, const char *msg)
{
	struct benign	*b = (struct benign *)1;
	struct tx_err	 err;

	tx_err_clear(&err);
	assert_int_equal(benign_load_mem(&b, name, (const uint8_t *)text,
	    strlen(text) + (text[0] == '\0'), &err), code);
	assert_null(b);
	assert_string_equal(err.where, name);
	if (strstr(err.msg, msg) == NULL)
		fail_msg("'%s' does not say '%s'", err.msg, msg);
}

/* Bad lists are refused naming the file and the reason. */
static void
test_refused(void **state)
{
	struct benign	*b = (struct benign *)1;
	struct tx_err	 err;
	const char	*p[2] = { TRANCO, "/nonexistent/benign.txt" };

	(void)state;
	refused("a.json", "{\"list\": [\"x.example\"", TX_EINVAL,
	    "not a warninglist");
	refused("b.json", "{\"name\": \"n\", \"type\": \"regex\", "
	    "\"list\": [\"^a\"]}", TX_EINVAL, "\"regex\" not supported");
	refused("c.json", "{\"name\": \"n\", \"list\": {}}", TX_EINVAL,
	    "no \"list\" array");
	refused("d.txt", "", TX_EINVAL, "NUL byte at offset 0");
	tx_err_clear(&err);
	assert_int_equal(benign_load(&b, p, 2, &err), TX_EIO);
	assert_null(b);
	assert_string_equal(err.where, "/nonexistent/benign.txt");
}

/* A directory: the MISP warninglists' lists/ folder, every list. */
static void
test_directory(void **state)
{
	struct benign	*b = load1(WL);

	(void)state;
	assert_true(benign_count(b) > 20000);
	assert_non_null(m(b, NORM_DOMAIN, "mail.google.com"));
	assert_non_null(m(b, NORM_IPV4, "104.155.11.149"));
	assert_non_null(m(b, NORM_DOMAIN, "bit.ly"));
	assert_null(m(b, NORM_DOMAIN, "inditechlab.com"));
	benign_free(b);
}

static void
write_file(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/*
 * A node's lists: named in node.conf relative to the node directory,
 * loaded on first use, read again after node_reload; none configured
 * gives NULL; a missing list is an error naming it.
 */
static void
test_node_lists(void **state)
{
	char			 root[64], dir[128], path[256];
	const struct benign	*b;
	struct node		*n;
	struct tx_err		 err;
	FILE			*f;

	(void)state;
	snprintf(root, sizeof(root), "/tmp/tx-benign-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(dir, sizeof(dir), "%s/uk", root);
	tx_err_clear(&err);
	if (fx_node_make(dir, "uk-ncsc", &err) != 0)
		fail_msg("node: %s", err.msg);
	assert_int_equal(node_open(&n, dir, 0, &err), 0);
	assert_int_equal(node_benign(&b, n, &err), 0);
	assert_null(b);
	node_close(n);

	snprintf(path, sizeof(path), "%s/node.conf", dir);
	assert_non_null(f = fopen(path, "a"));
	fputs("benign_lists = ours.txt, " TRANCO "\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/ours.txt", dir);
	write_file(path, "partner.example\n");
	assert_int_equal(node_open(&n, dir, 0, &err), 0);
	assert_int_equal(node_benign(&b, n, &err), 0);
	assert_non_null(b);
	assert_string_equal(benign_match(b, NORM_DOMAIN, "partner.example"),
	    "ours.txt");
	assert_non_null(benign_match(b, NORM_DOMAIN, "google.com"));
	assert_null(benign_match(b, NORM_DOMAIN, "other.example"));

	write_file(path, "other.example\n");
	assert_int_equal(node_benign(&b, n, &err), 0);
	assert_non_null(benign_match(b, NORM_DOMAIN, "partner.example"));
	assert_int_equal(node_reload(n, &err), 0);
	assert_int_equal(node_benign(&b, n, &err), 0);
	assert_null(benign_match(b, NORM_DOMAIN, "partner.example"));
	assert_non_null(benign_match(b, NORM_DOMAIN, "other.example"));

	unlink(path);
	assert_int_equal(node_reload(n, &err), 0);
	tx_err_clear(&err);
	assert_int_equal(node_benign(&b, n, &err), TX_EIO);
	assert_non_null(strstr(err.where, "ours.txt"));
	node_close(n);
	fx_rmtree(root);
}

#define SELF_ID	"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c01"

static const uint8_t	seed_self[32] = { 1 };

struct warn_log {
	int	warnings, stored;
	char	id[4][128], reason[4][256];
};

static void
warn_cb(const struct import_report *r, void *arg)
{
	struct warn_log	*l = arg;

	if (r->verdict == IMPORT_STORED)
		l->stored++;
	if (r->verdict != IMPORT_WARNING || l->warnings >= 4)
		return;
	assert_string_equal(r->status, "benign");
	snprintf(l->id[l->warnings], sizeof(l->id[0]), "%s", r->id);
	snprintf(l->reason[l->warnings], sizeof(l->reason[0]), "%s",
	    r->reason);
	l->warnings++;
}

static struct node *
node_with_tranco(struct fx_store *fx)
{
	struct tx_err	 err;
	struct node	*n;

	tx_err_clear(&err);
	if ((n = fx_node_mem(fx, "uk-ncsc", SELF_ID, seed_self, 64,
	    &err)) == NULL)
		fail_msg("node: %s", err.msg);
	snprintf(n->cfg.benign[0], sizeof(n->cfg.benign[0]), "%s", TRANCO);
	n->cfg.nbenign = 1;
	return n;
}

/*
 * import: a benign-listed value is taken, and reported once as a warning
 * naming the list (CSV values and STIX SCOs alike); others are not.
 */
static void
test_import_warns(void **state)
{
	const char		*csv = "value\nmail.google.com\n"
	    "inditechlab.com\n";
	const char		*stix = "{\"type\": \"domain-name\", "
	    "\"spec_version\": \"2.1\", \"id\": \"domain-name--"
	    "9f2b9c36-2f5e-5b5e-8f0a-1d3c6e7b8a90\", \"value\": "
	    "\"YouTube.com\"}";
	struct fx_store		 fx;
	struct node		*n = node_with_tranco(&fx);
	struct import_opts	 o;
	struct import_ctx	*ic;
	struct warn_log		 log;
	struct tx_err		 err;

	(void)state;
	memset(&log, 0, sizeof(log));
	import_opts_init(&o);
	o.kind = NORM_DOMAIN;
	o.report = warn_cb;
	o.arg = &log;
	tx_err_clear(&err);
	assert_int_equal(import_new(&ic, n, &o, &err), 0);
	assert_int_equal(import_mem(ic, import_format_by_name("csv"), "d.csv",
	    (const uint8_t *)csv, strlen(csv), &err), 0);
	assert_int_equal(log.warnings, 1);
	assert_string_equal(log.id[0], "mail.google.com");
	assert_non_null(strstr(log.reason[0], TRANCO_NAME));
	assert_int_equal(import_totals(ic)->benign, 1);
	assert_int_equal(import_totals(ic)->refused, 0);
	assert_true(log.stored >= 6);	/* both taken */

	if (import_mem(ic, import_format_by_name("stix"), "sco.json",
	    (const uint8_t *)stix, strlen(stix), &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(log.warnings, 2);
	assert_string_equal(log.id[1], "youtube.com");
	assert_int_equal(import_totals(ic)->benign, 2);
	import_free(ic);
	fx_node_mem_free(n, &fx);
}

struct add_log {
	int	added;
	char	benign[128];
};

static void
add_cb(const struct add_report *r, void *arg)
{
	struct add_log	*l = arg;

	if (r->what != ADD_EV_ADDED)
		return;
	l->added++;
	snprintf(l->benign, sizeof(l->benign), "%s",
	    r->benign != NULL ? r->benign : "");
}

/* add: accepted, and the report names the list; else no list named. */
static void
test_add_warns(void **state)
{
	struct fx_store	 fx;
	struct node	*n = node_with_tranco(&fx);
	struct add_log	 log;
	struct add_out	 out = { add_cb, &log };
	struct add_req	 req;
	struct tx_err	 err;

	(void)state;
	memset(&req, 0, sizeof(req));
	req.kind = NORM_DOMAIN;
	req.tlp = TLP_UNKNOWN;
	req.confidence = -1;
	req.value = "mail.google.com";
	memset(&log, 0, sizeof(log));
	tx_err_clear(&err);
	assert_int_equal(add_value(n, &req, &out, &err), 0);
	assert_int_equal(log.added, 1);
	assert_string_equal(log.benign, TRANCO_NAME);
	req.value = "inditechlab.com";
	assert_int_equal(add_value(n, &req, &out, &err), 0);
	assert_int_equal(log.added, 2);
	assert_string_equal(log.benign, "");
	fx_node_mem_free(n, &fx);
}

/* A list that cannot be read stops add and import before anything. */
static void
test_broken_list_stops(void **state)
{
	struct fx_store		 fx;
	struct node		*n = node_with_tranco(&fx);
	struct import_opts	 o;
	struct import_ctx	*ic = NULL;
	struct add_req		 req;
	struct tx_err		 err;

	(void)state;
	snprintf(n->cfg.benign[0], sizeof(n->cfg.benign[0]), "missing.txt");
	import_opts_init(&o);
	tx_err_clear(&err);
	assert_int_equal(import_new(&ic, n, &o, &err), TX_EIO);
	assert_null(ic);
	assert_non_null(strstr(err.where, "missing.txt"));
	memset(&req, 0, sizeof(req));
	req.kind = NORM_DOMAIN;
	req.tlp = TLP_UNKNOWN;
	req.confidence = -1;
	req.value = "partner.example";
	tx_err_clear(&err);
	assert_int_equal(add_value(n, &req, NULL, &err), TX_EIO);
	fx_node_mem_free(n, &fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tranco),
		cmocka_unit_test(test_public_suffix_not_covered),
		cmocka_unit_test(test_sinkholes),
		cmocka_unit_test(test_string_list),
		cmocka_unit_test(test_text_list),
		cmocka_unit_test(test_name_sanitised),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_node_lists),
		cmocka_unit_test(test_import_warns),
		cmocka_unit_test(test_add_warns),
		cmocka_unit_test(test_broken_list_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
