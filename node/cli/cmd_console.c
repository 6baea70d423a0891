/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_console.c - `threatex console [--json]`: the URL of the web console
 * a running serve bound (DIR/console.url) and a one-time login link
 * (valid 10 minutes, used once; only its hash is kept); `threatex console
 * password`: a local password read from stdin (one line), stored as a
 * slow hash in node.conf. The library calls are node/console.h's.
 */
#include "cli.h"
#include "console.h"
#include "opt.h"

#include <openssl/crypto.h>

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static int	con_json;

static int
show_run(int nargs, char **args)
{
	struct tx_err	 err;
	struct node	*n;
	char		 url[CONSOLE_URL_MAX], tok[CONSOLE_TOKEN_B64];
	char		 link[CONSOLE_URL_MAX + CONSOLE_TOKEN_B64 + 16];

	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("console", &err);
	if (console_url_read(n, url, &err) < 0 ||
	    console_login_new(n, tok, &err) < 0) {
		node_close(n);
		return cli_fail("console", &err);
	}
	node_close(n);
	snprintf(link, sizeof(link), "%s#login=%s", url, tok);
	OPENSSL_cleanse(tok, sizeof(tok));
	if (con_json)
		cli_put_json(json_pack("{s:o*, s:o*}", "url", cli_jstr(url),
		    "login", cli_jstr(link)));
	else {
		printf("url\t%s\nlogin\t%s\n", url, link);
		fflush(stdout);
	}
	OPENSSL_cleanse(link, sizeof(link));
	return CLI_OK;
}

static int
password_run(int nargs, char **args)
{
	struct tx_err	 err;
	struct node	*n;
	char		 pw[CONSOLE_PASSWORD_MAX + 2];
	size_t		 len;
	int		 rc;

	if (fgets(pw, sizeof(pw), stdin) == NULL) {
		fprintf(stderr, "threatex console: no password on stdin\n");
		return CLI_FAIL;
	}
	len = strcspn(pw, "\r\n");
	if (len > CONSOLE_PASSWORD_MAX || (pw[len] == '\0' && !feof(stdin))) {
		OPENSSL_cleanse(pw, sizeof(pw));
		fprintf(stderr, "threatex console: password over %d bytes\n",
		    CONSOLE_PASSWORD_MAX);
		return CLI_REFUSED;
	}
	pw[len] = '\0';
	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0) {
		OPENSSL_cleanse(pw, sizeof(pw));
		return cli_fail("console", &err);
	}
	rc = console_password_set(n, pw, len, &err);
	OPENSSL_cleanse(pw, sizeof(pw));
	node_close(n);
	if (rc == TX_EINVAL) {
		cli_fail("console", &err);
		return CLI_REFUSED;
	}
	if (rc < 0)
		return cli_fail("console", &err);
	if (con_json)
		cli_put_json(json_pack("{s:s}", "event", "password-set"));
	else
		printf("password-set\tconsole_password in node.conf\n");
	return CLI_OK;
}

static const struct cli_opt	show_opts[] = {
	CLI_OPT_JSON(&con_json),
	{ .name = NULL }
};

static const struct cli_opt	password_opts[] = {
	CLI_OPT_JSON(&con_json),
	{ .name = NULL }
};

static const struct cli_cmd	console_subs[] = {
	{ .name = "show", .run = show_run, .synopsis = "[--json]",
	    .opts = show_opts, .summary = "the URL and a login link (default)",
	    .text =
	"The web console's URL (serve must be running) and a one-time\n"
	"login link: valid 10 minutes, used once, only its hash kept.\n" },
	{ .name = "password", .run = password_run, .synopsis = "[--json]",
	    .opts = password_opts,
	    .summary = "set the local password (stdin)", .text =
	"Read a password from stdin (one line) and store its slow hash as\n"
	"console_password in node.conf; serve applies it at once.\n" },
	{ .name = NULL }
};

static const struct cli_cmd	console_cmd = {
	.name = "console", .synopsis = "[show] [--json] | password",
	.sub = console_subs, .text =
	"The web console for operators (served by `threatex serve` on\n"
	"node.conf's console address, loopback by default). show (the\n"
	"default): its URL and a one-time login link. password: set the\n"
	"local password from stdin. An operator certificate (`threatex\n"
	"operator add`) needs no login.\n"
};

int
cmd_console(int argc, char **argv)
{
	con_json = 0;
	/* `console` alone, or followed by show's options, shows. */
	if (argc < 2 || (argv[1][0] == '-' && strcmp(argv[1], "-h") != 0 &&
	    strcmp(argv[1], "--help") != 0))
		return cli_run(&console_subs[0], "console show", argc, argv);
	return cli_run(&console_cmd, "console", argc, argv);
}
