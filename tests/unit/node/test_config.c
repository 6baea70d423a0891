/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_config.c - node.conf as an operator edits it (node/config.c): each
 * refused line is named by its number, with the form expected or, for an
 * unknown key, the nearest known one; listen addresses are checked as
 * HOST:PORT; benign_lists and the per-peer private lookup keys survive a
 * save and a load; and a refused file loads nothing.
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

#include "config.h"
#include "fixture.h"

static char	dir[64];

#define HEAD	"# a comment\n[node]\nname = us\n" \
		"identity = identity--11111111-1111-4111-8111-111111111111\n" \
		"url = https://us.example:8443/\n"

static void
write_conf(const char *text)
{
	char	 path[128];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/node.conf", dir);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static int
setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/tx-config-XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	fx_rmtree(dir);
	return 0;
}

/* Load text; on refusal the message must hold want. */
static void
refused(const char *text, const char *want)
{
	struct node_cfg	*c;
	struct tx_err	 err;

	assert_non_null(c = calloc(1, sizeof(*c)));
	write_conf(text);
	tx_err_clear(&err);
	assert_int_equal(cfg_load(c, dir, &err), TX_EINVAL);
	if (strstr(err.msg, want) == NULL)
		fail_msg("message '%s' lacks '%s'", err.msg, want);
	cfg_free(c);
	free(c);
}

static void
test_errors_name_line_and_form(void **state)
{
	refused(HEAD "sync_intervall = 30\n", "node.conf line 6: [node] "
	    "unknown key 'sync_intervall' (did you mean sync_interval?)");
	refused(HEAD "\n\ndefault_tlp = purple\n", "node.conf line 8: [node] "
	    "default_tlp = purple: expected clear, green, amber, "
	    "amber+strict or red");
	refused(HEAD "bogus_setting = 1\n",
	    "node.conf line 6: [node] unknown key 'bogus_setting'");
	refused(HEAD "batch_size = 0\n", "line 6: [node] batch_size = 0: "
	    "expected 1 to 65536");
	refused(HEAD "[peer \"x y\"]\nurl = https://a/\n",
	    "node.conf line 7: unknown section [peer \"x y\"]");
	refused(HEAD "[peer \"uk\"]\nmax_tlpp = green\n", "node.conf line 7: "
	    "[peer \"uk\"] unknown key 'max_tlpp' (did you mean max_tlp?)");
	refused(HEAD "[peer \"uk\"]\nprivate_budget = 0\n",
	    "private_budget = 0: expected values a day");
	refused(HEAD "listen = 127.0.0.1:99999\n", "line 6: [node] listen = "
	    "127.0.0.1:99999: expected HOST:PORT");
	/* The first error is the one named. */
	refused(HEAD "relay = yes\nalso_bad = 1\n", "line 6: [node] unknown "
	    "key 'relay'");
}

static void
test_listen_valid(void **state)
{
	assert_true(cfg_listen_valid("127.0.0.1:8443"));
	assert_true(cfg_listen_valid("0.0.0.0:1"));
	assert_true(cfg_listen_valid("node.cert.example.org:65535"));
	assert_true(cfg_listen_valid("[::1]:8443"));
	assert_false(cfg_listen_valid("nonsense"));
	assert_false(cfg_listen_valid("127.0.0.1:0"));
	assert_false(cfg_listen_valid("127.0.0.1:65536"));
	assert_false(cfg_listen_valid("127.0.0.1:+80"));
	assert_false(cfg_listen_valid("127.0.0.1:80x"));
	assert_false(cfg_listen_valid(":8443"));
	assert_false(cfg_listen_valid("a b:8443"));
	assert_false(cfg_listen_valid("[]:8443"));
	assert_false(cfg_listen_valid("[::1;]:8443"));
}

static void
test_round_trip(void **state)
{
	struct node_cfg	*a, *b;
	struct cfg_peer	*p;
	struct tx_err	 err;

	assert_non_null(a = calloc(1, sizeof(*a)));
	assert_non_null(b = calloc(1, sizeof(*b)));
	write_conf(HEAD "benign_lists = /x/tranco.json, lists/b.txt\n"
	    "benign_lists = c.txt\n"
	    "[peer \"uk\"]\nidentity = "
	    "identity--22222222-2222-4222-8222-222222222222\n"
	    "url = https://uk.example:8443/\npin = "
	    "0000000000000000000000000000000000000000000000000000000000000001\n"
	    "private_lookup = yes\nprivate_budget = 25\n");
	tx_err_clear(&err);
	if (cfg_load(a, dir, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(a->nbenign, 3);
	assert_string_equal(a->benign[0], "/x/tranco.json");
	assert_string_equal(a->benign[1], "lists/b.txt");
	assert_string_equal(a->benign[2], "c.txt");
	assert_non_null(p = cfg_peer_by_name(a, "uk"));
	assert_int_equal(p->private_lookup, 1);
	assert_int_equal(p->private_budget, 25);
	if (cfg_save(a, &err) != 0)
		fail_msg("%s", err.msg);
	if (cfg_load(b, dir, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(b->nbenign, 3);
	assert_string_equal(b->benign[2], "c.txt");
	assert_non_null(p = cfg_peer_by_name(b, "uk"));
	assert_int_equal(p->private_lookup, 1);
	assert_int_equal(p->private_budget, 25);
	cfg_free(a);
	cfg_free(b);
	free(a);
	free(b);
}

/* Every key the reader takes is documented in docs/config.md. */
static void
test_every_key_documented(void **state)
{
	static const char *const	 sections[] = { "node", "peer", "feed",
					    "client" };
	const char			*name, *form;
	char				*doc, want[96];
	size_t				 s, i, n;
	FILE				*f;
	long				 len;

	assert_non_null(f = fopen(TX_TEST_DATA "/../../docs/config.md", "r"));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	assert_true((len = ftell(f)) > 0);
	rewind(f);
	assert_non_null(doc = calloc(1, (size_t)len + 1));
	assert_int_equal(fread(doc, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	for (s = 0; s < 4; s++) {
		for (i = 0, n = 0; (name = cfg_key_name(sections[s], i,
		    &form)) != NULL; i++, n++) {
			assert_non_null(form);
			snprintf(want, sizeof(want), "| `%s` |", name);
			if (strstr(doc, want) == NULL)
				fail_msg("docs/config.md lacks [%s] %s",
				    sections[s], name);
		}
		assert_true(n >= 6);
	}
	assert_null(cfg_key_name("nosuch", 0, NULL));
	free(doc);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_errors_name_line_and_form),
		cmocka_unit_test(test_listen_valid),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_every_key_documented),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
