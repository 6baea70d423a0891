/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_console.c - the web console's pieces outside the listener
 * (node/console.h): a login token logs in once, not after its expiry and
 * not when altered, and only its hash is on disk (0600); the password is
 * saved as a kdf hash that verifies, control characters refused; the
 * session cookie parser takes only a well-formed tx_session; a body is a
 * flat JSON object (duplicates, nesting, non-JSON refused); the argv of a
 * write refuses unknown members, bad kinds and TLPs and values that
 * would be options, and puts the value after "--"; node_status_json
 * leaves out feeds and clients when there are none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "console.h"
#include "fixture.h"
#include "kdf.h"
#include "node.h"
#include "peer_status.h"

struct ctx {
	char		 dir[64];
	struct node	*n;
};

static int
setup(void **state)
{
	struct ctx	*c = calloc(1, sizeof(*c));
	struct tx_err	 err;

	assert_non_null(c);
	snprintf(c->dir, sizeof(c->dir), "/tmp/tx-console-test-XXXXXX");
	assert_non_null(mkdtemp(c->dir));
	strncat(c->dir, "/n", sizeof(c->dir) - strlen(c->dir) - 1);
	assert_int_equal(fx_node_make(c->dir, "us", &err), 0);
	assert_int_equal(node_open(&c->n, c->dir, 0, &err), 0);
	*state = c;
	return 0;
}

static int
teardown(void **state)
{
	struct ctx	*c = *state;
	char		*slash;

	node_close(c->n);
	slash = strrchr(c->dir, '/');
	*slash = '\0';
	fx_rmtree(c->dir);
	free(c);
	return 0;
}

static void
test_login_token_once(void **state)
{
	struct ctx	*c = *state;
	struct tx_err	 err;
	struct stat	 st;
	char		 tok[CONSOLE_TOKEN_B64], bad[CONSOLE_TOKEN_B64];
	char		 path[200], buf[200];
	FILE		*f;

	assert_int_equal(console_login_new(c->n, tok, &err), 0);
	assert_int_equal(strlen(tok), CONSOLE_TOKEN_B64 - 1);
	snprintf(path, sizeof(path), "%s/%s", c->dir, CONSOLE_LOGIN_FILE);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_null(strstr(buf, tok));		/* only its hash */
	memcpy(bad, tok, sizeof(bad));
	bad[0] = bad[0] == 'A' ? 'B' : 'A';
	assert_int_equal(console_login_consume(c->n, bad, node_now_us()), 0);
	assert_int_equal(console_login_consume(c->n, "", node_now_us()), 0);
	/* Expired: refused, and the file is gone. */
	assert_int_equal(console_login_consume(c->n, tok, node_now_us() +
	    CONSOLE_LOGIN_TTL_US + 1000000), 0);
	assert_int_not_equal(stat(path, &st), 0);
	assert_int_equal(console_login_new(c->n, tok, &err), 0);
	assert_int_equal(console_login_consume(c->n, tok, node_now_us()), 1);
	assert_int_equal(console_login_consume(c->n, tok, node_now_us()), 0);
}

static void
test_password(void **state)
{
	struct ctx	*c = *state;
	struct tx_err	 err;
	struct node	*n2;

	assert_int_equal(console_password_set(c->n, "a\nb", 3, &err),
	    TX_EINVAL);
	assert_int_equal(console_password_set(c->n, "", 0, &err), TX_EINVAL);
	assert_int_equal(c->n->cfg.console_password[0], '\0');
	assert_int_equal(console_password_set(c->n, "s3cret pass", 11, &err),
	    0);
	assert_int_equal(node_open(&n2, c->dir, 0, &err), 0);
	assert_true(kdf_hash_valid(n2->cfg.console_password));
	assert_int_equal(kdf_verify(n2->cfg.console_password, "s3cret pass",
	    11, &err), 1);
	assert_int_equal(kdf_verify(n2->cfg.console_password, "s3cret pasS",
	    11, &err), 0);
	node_close(n2);
}

static void
test_cookie(void **state)
{
	const char	*id = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456";
	char		 out[CONSOLE_SESSION_B64], h[200];

	(void)state;
	snprintf(h, sizeof(h), "a=b; tx_session=%s; c=d", id);
	assert_int_equal(console_cookie_session(h, out), 1);
	assert_string_equal(out, id);
	snprintf(h, sizeof(h), "tx_session=%s", id);
	assert_int_equal(console_cookie_session(h, out), 1);
	snprintf(h, sizeof(h), "tx_session=%sX", id);	/* too long */
	assert_int_equal(console_cookie_session(h, out), 0);
	assert_int_equal(console_cookie_session("tx_session=short", out), 0);
	snprintf(h, sizeof(h), "xtx_session=%s", id);	/* another name */
	assert_int_equal(console_cookie_session(h, out), 0);
	snprintf(h, sizeof(h), "tx_session=%.42s!", id);
	assert_int_equal(console_cookie_session(h, out), 0);
	assert_int_equal(console_cookie_session("", out), 0);
}

static void
test_body(void **state)
{
	struct tx_err	 err;
	json_t		*b;
	static char	 big[CONSOLE_BODY_MAX + 2];

	(void)state;
	assert_int_equal(console_body_parse(&b, "{\"a\":\"x\",\"n\":1,"
	    "\"t\":true}", 24, &err), 0);
	json_decref(b);
	assert_int_equal(console_body_parse(&b, "{\"a\":1,\"a\":2}", 13,
	    &err), TX_EINVAL);
	assert_int_equal(console_body_parse(&b, "{\"a\":{}}", 8, &err),
	    TX_EINVAL);
	assert_int_equal(console_body_parse(&b, "[1]", 3, &err), TX_EINVAL);
	assert_int_equal(console_body_parse(&b, "{\"a\":", 5, &err),
	    TX_EINVAL);
	assert_null(b);
	memset(big, ' ', sizeof(big));
	assert_int_equal(console_body_parse(&b, big, sizeof(big), &err),
	    TX_ELIMIT);
}

static json_t	*last_body;	/* argv points into it: kept until the next */

static int
argv_of(const char **argv, const char *op, const char *body)
{
	static char	 buf[2 * CONSOLE_FIELD_MAX + 512];
	struct tx_err	 err;

	json_decref(last_body);
	last_body = NULL;
	if (body == NULL)
		return 0;
	assert_int_equal(console_body_parse(&last_body, body, strlen(body),
	    &err), 0);
	return console_write_argv(argv, 40, buf, sizeof(buf), op, last_body,
	    &err);
}

static void
test_write_argv(void **state)
{
	const char	*argv[40];
	size_t		 i;

	(void)state;
	assert_int_equal(argv_of(argv, "add", "{\"kind\":\"domain\","
	    "\"value\":\"evil.example\",\"tlp\":\"GREEN\",\"confidence\":70,"
	    "\"actor\":\"Lazarus\",\"individual\":true}"), 0);
	assert_string_equal(argv[0], "add");
	assert_string_equal(argv[1], "--json");
	for (i = 0; argv[i] != NULL && strcmp(argv[i], "--") != 0; i++)
		;
	assert_non_null(argv[i]);
	assert_string_equal(argv[i + 1], "domain");
	assert_string_equal(argv[i + 2], "evil.example");
	assert_null(argv[i + 3]);
	assert_string_equal(argv[2], "--tlp=green");
	assert_string_equal(argv[3], "--confidence=70");
	assert_string_equal(argv[4], "--actor=Lazarus");
	assert_string_equal(argv[5], "--individual");
	assert_int_equal(argv_of(argv, "add", "{\"kind\":\"domain\","
	    "\"value\":\"--help\"}"), TX_EINVAL);
	assert_int_equal(argv_of(argv, "add", "{\"kind\":\"url\","
	    "\"value\":\"x\"}"), TX_EINVAL);
	assert_int_equal(argv_of(argv, "add", "{\"kind\":\"domain\","
	    "\"value\":\"x.example\",\"tlp\":\"purple\"}"), TX_EINVAL);
	assert_int_equal(argv_of(argv, "add", "{\"kind\":\"domain\","
	    "\"value\":\"x.example\",\"confidence\":101}"), TX_EINVAL);
	assert_int_equal(argv_of(argv, "add", "{\"kind\":\"domain\","
	    "\"value\":\"x.example\",\"shell\":\"; rm -rf /\"}"), TX_EINVAL);
	assert_int_equal(argv_of(argv, "update", "{\"value\":\"x.example\","
	    "\"valid_until\":\"2030-01-01T00:00:00Z\"}"), 0);
	assert_string_equal(argv[2], "--valid-until=2030-01-01T00:00:00Z");
	assert_int_equal(argv_of(argv, "revoke", "{\"value\":\"x.example\","
	    "\"reason\":\"-rf\"}"), TX_EINVAL);
	assert_int_equal(argv_of(argv, "revoke", "{\"value\":\"x.example\","
	    "\"reason\":\"fp; `id`\"}"), 0);
	assert_string_equal(argv[2], "--reason=fp; `id`");
	assert_int_equal(argv_of(argv, "delete", "{}"), TX_EINVAL);
	argv_of(argv, NULL, NULL);
}

static void
test_status_json(void **state)
{
	struct ctx	*c = *state;
	struct tx_err	 err;
	json_t		*o;

	assert_int_equal(node_status_json(&o, c->n, node_now_us(), &err), 0);
	assert_true(json_is_array(json_object_get(o, "peers")));
	/* None configured: no arrays (the old report, unchanged). */
	assert_null(json_object_get(o, "feeds"));
	assert_null(json_object_get(o, "clients"));
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(o, "node"), "name")), "us");
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test_setup_teardown(test_login_token_once, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_password, setup,
		    teardown),
		cmocka_unit_test(test_cookie),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_write_argv),
		cmocka_unit_test_setup_teardown(test_status_json, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
