/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_client.c - `threatex client add|set|list|remove`: subscribers, the
 * read-only TAXII clients that are not federation members (DESIGN §3, §7).
 * Each subcommand is an option table, one call of node/client.h and the
 * printing of its result. A password or token made by add (or by set
 * --new-password / --new-token) is printed once, on its own line, and
 * never again: node.conf holds only its hash.
 */
#include "cli.h"
#include "client.h"
#include "opt.h"
#include "registry.h"
#include "tlp.h"

#include <jansson.h>
#include <openssl/crypto.h>

#include <stdio.h>
#include <string.h>

static enum tlp_level	cl_tlp;
static int		cl_internal, cl_external, cl_basic, cl_token;
static int		cl_pw_stdin, cl_rate, cl_json, cl_new_pw, cl_new_tok;
static const char	*cl_cert, *cl_pin;

static int	client_add_run(int nargs, char **args);
static int	client_set_run(int nargs, char **args);
static int	client_list_run(int nargs, char **args);
static int	client_remove_run(int nargs, char **args);

static const struct cli_opt	client_add_opts[] = {
	{ .name = "max-tlp", .kind = CLI_OPT_FN, .dst = &cl_tlp,
	    .fn = cli_opt_tlp, .value = "LEVEL",
	    .help = "the most it may receive: clear, green; amber or "
	    "amber+strict for --internal ones (required)" },
	{ .name = "internal", .kind = CLI_OPT_FLAG, .dst = &cl_internal,
	    .help = "this agency's own SIEM or TIP (up to AMBER+STRICT)" },
	{ .name = "cert", .kind = CLI_OPT_STR, .dst = &cl_cert,
	    .value = "FILE", .help = "its client certificate (PEM): pinned" },
	{ .name = "pin", .kind = CLI_OPT_STR, .dst = &cl_pin,
	    .value = "SPKI", .help = "its certificate's SPKI pin (64 hex)" },
	{ .name = "basic", .kind = CLI_OPT_FLAG, .dst = &cl_basic,
	    .help = "HTTP Basic: user NAME, a password made and printed once" },
	{ .name = "token", .kind = CLI_OPT_FLAG, .dst = &cl_token,
	    .help = "a bearer token, made and printed once" },
	{ .name = "password-stdin", .kind = CLI_OPT_FLAG, .dst = &cl_pw_stdin,
	    .help = "--basic: read the password from stdin instead" },
	{ .name = "rate", .kind = CLI_OPT_INT, .dst = &cl_rate, .lo = 1,
	    .hi = 1000000, .value = "N",
	    .help = "requests a minute (default: the node's client_rate)" },
	CLI_OPT_JSON(&cl_json),
	{ .name = NULL }
};

static const struct cli_opt	client_set_opts[] = {
	{ .name = "max-tlp", .kind = CLI_OPT_FN, .dst = &cl_tlp,
	    .fn = cli_opt_tlp, .value = "LEVEL",
	    .help = "the most it may receive" },
	{ .name = "internal", .kind = CLI_OPT_FLAG, .dst = &cl_internal,
	    .help = "it is this agency's own system" },
	{ .name = "external", .kind = CLI_OPT_FLAG, .dst = &cl_external,
	    .help = "it is not (at most GREEN)" },
	{ .name = "rate", .kind = CLI_OPT_INT, .dst = &cl_rate, .lo = 0,
	    .hi = 1000000, .value = "N",
	    .help = "requests a minute (0: the node's client_rate)" },
	{ .name = "new-password", .kind = CLI_OPT_FLAG, .dst = &cl_new_pw,
	    .help = "a new password (printed once; or --password-stdin)" },
	{ .name = "password-stdin", .kind = CLI_OPT_FLAG, .dst = &cl_pw_stdin,
	    .help = "with --new-password: read it from stdin" },
	{ .name = "new-token", .kind = CLI_OPT_FLAG, .dst = &cl_new_tok,
	    .help = "a new bearer token (printed once)" },
	CLI_OPT_JSON(&cl_json),
	{ .name = NULL }
};

static const struct cli_opt	client_list_opts[] = {
	CLI_OPT_JSON(&cl_json),
	{ .name = NULL }
};

static const struct cli_cmd	client_sub[] = {
	{ .name = "add", .run = client_add_run, .min_args = 1, .max_args = 1,
	    .summary = "add a subscriber",
	    .synopsis = "NAME --max-tlp LEVEL [--internal]\n"
	    "         (--cert FILE | --pin SPKI | --basic [--password-stdin] | "
	    "--token)\n         [--rate N] [--json]",
	    .opts = client_add_opts, .text =
	    "Add a subscriber: a read-only TAXII client that is not a member\n"
	    "(a SIEM, a TIP, a constituent). It is served the shared\n"
	    "collection under its own max_tlp: an --internal one up to\n"
	    "AMBER+STRICT whatever the origin, an external one at most GREEN;\n"
	    "RED never. --basic and --token print the secret once, on the\n"
	    "line after `added` (password<TAB>SECRET or token<TAB>SECRET);\n"
	    "only its hash is kept. A running serve applies it within a\n"
	    "second.\n" },
	{ .name = "set", .run = client_set_run, .min_args = 1, .max_args = 1,
	    .summary = "change a subscriber",
	    .synopsis = "NAME [--max-tlp LEVEL] [--internal|--external] "
	    "[--rate N]\n         [--new-password [--password-stdin] | "
	    "--new-token] [--json]",
	    .opts = client_set_opts, .text =
	    "Change what a subscriber may receive, its rate, or its secret\n"
	    "(the old one stops working). A running serve applies it within\n"
	    "a second.\n" },
	{ .name = "list", .run = client_list_run, .opts = client_list_opts,
	    .synopsis = "[--json]", .summary = "the subscribers, one line each",
	    .text = "One line per subscriber: name, auth, max_tlp, internal,\n"
	    "rate (0: the node's). Secrets are never shown.\n" },
	{ .name = "remove", .run = client_remove_run, .min_args = 1,
	    .max_args = 1, .summary = "remove a subscriber",
	    .opts = client_list_opts, .synopsis = "NAME [--json]",
	    .text = "Remove a subscriber: its access ends "
	    "within a second on a running serve.\n" },
	{ .name = NULL }
};

static const struct cli_cmd	client_cmd = {
	.name = "client", .synopsis = "add|set|list|remove ...",
	.sub = client_sub,
	.text = "Subscribers: read-only TAXII clients that are not members.\n"
};

/* One password line of stdin (newline stripped) into buf. 0 or -1. */
static int
read_password(char *buf, size_t len)
{
	size_t	n;

	if (fgets(buf, (int)len, stdin) == NULL)
		return -1;
	n = strcspn(buf, "\r\n");
	if (buf[n] == '\0' && n == len - 1)
		return -1;	/* longer than the buffer */
	buf[n] = '\0';
	return n > 0 ? 0 : -1;
}

/* The `added`/`changed` line (or object), then the secret once. */
static void
print_client(const char *event, const struct cfg_client *c,
    const char *secret)
{
	const char	*kind = c->auth == REG_AUTH_TOKEN ? "token" :
			    "password";
	json_t		*o;

	if (cl_json) {
		o = json_pack("{s:s, s:o*, s:s, s:s, s:b, s:i}", "event", event,
		    "name", cli_jstr(c->name), "auth",
		    registry_auth_name(c->auth), "max_tlp",
		    tlp_name(c->max_tlp), "internal", c->internal, "rate",
		    c->rate);
		if (o != NULL && c->auth == REG_AUTH_CERT)
			json_object_set_new(o, "pin", json_string(c->pin));
		if (o != NULL && secret[0] != '\0')
			json_object_set_new(o, kind, json_string(secret));
		cli_put_json(o);
		return;
	}
	printf("%s\t%s\tauth=%s\tmax_tlp=%s\tinternal=%s\trate=%d\n", event,
	    c->name, registry_auth_name(c->auth), tlp_name(c->max_tlp),
	    c->internal ? "yes" : "no", c->rate);
	if (secret[0] != '\0')
		printf("%s\t%s\n", kind, secret);
}

/*
 * The end of add and set: close the node, wipe the secrets, print the
 * event (with the secret this node made, once; one given on stdin is the
 * operator's and is not echoed). A CLI_* code.
 */
static int
client_done(struct node *n, int rc, struct tx_err *err, const char *event,
    const struct cfg_client *c, char secret[CLIENT_SECRET_MAX],
    char pw[CLIENT_SECRET_MAX])
{
	node_close(n);
	OPENSSL_cleanse(pw, CLIENT_SECRET_MAX);
	if (rc < 0) {
		OPENSSL_cleanse(secret, CLIENT_SECRET_MAX);
		return cli_fail("client", err);
	}
	if (cl_pw_stdin)
		secret[0] = '\0';
	print_client(event, c, secret);
	OPENSSL_cleanse(secret, CLIENT_SECRET_MAX);
	return CLI_OK;
}

static int
client_add_run(int nargs, char **args)
{
	struct client_opts	 o;
	struct cfg_client	 c;
	struct tx_err		 err;
	struct node		*n;
	char			 secret[CLIENT_SECRET_MAX];
	char			 pw[CLIENT_SECRET_MAX];
	int			 rc, ways;

	ways = (cl_cert != NULL) + (cl_pin != NULL) + cl_basic + cl_token;
	if (ways != 1)
		return cli_usage_error(&client_sub[0], "client add", "choose "
		    "one of --cert, --pin, --basic, --token");
	if (cl_tlp == TLP_UNKNOWN)
		return cli_usage_error(&client_sub[0], "client add",
		    "--max-tlp is required");
	if (cl_pw_stdin && !cl_basic)
		return cli_usage_error(&client_sub[0], "client add",
		    "--password-stdin goes with --basic");
	memset(&o, 0, sizeof(o));
	o.name = args[0];
	o.max_tlp = (int)cl_tlp;
	o.internal = cl_internal;
	o.auth = cl_basic ? REG_AUTH_BASIC : cl_token ? REG_AUTH_TOKEN :
	    REG_AUTH_CERT;
	o.cert_file = cl_cert;
	o.pin = cl_pin;
	o.rate = cl_rate < 0 ? 0 : cl_rate;
	if (cl_pw_stdin) {
		if (read_password(pw, sizeof(pw)) < 0) {
			fprintf(stderr, "threatex client add: no password on "
			    "stdin (one line, 1 to %d bytes)\n",
			    CLIENT_SECRET_MAX - 1);
			return CLI_USAGE;
		}
		o.password = pw;
	}
	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("client", &err);
	rc = node_client_add(n, &o, &c, secret, &err);
	return client_done(n, rc, &err, "added", &c, secret, pw);
}

static int
client_set_run(int nargs, char **args)
{
	struct client_change	 chg;
	struct cfg_client	 c, *cur;
	struct tx_err		 err;
	struct node		*n;
	char			 secret[CLIENT_SECRET_MAX];
	char			 pw[CLIENT_SECRET_MAX];
	int			 rc;

	if (cl_internal && cl_external)
		return cli_usage_error(&client_sub[1], "client set",
		    "--internal or --external, not both");
	if (cl_new_pw && cl_new_tok)
		return cli_usage_error(&client_sub[1], "client set",
		    "--new-password or --new-token, not both");
	if (cl_pw_stdin && !cl_new_pw)
		return cli_usage_error(&client_sub[1], "client set",
		    "--password-stdin goes with --new-password");
	chg.max_tlp = cl_tlp == TLP_UNKNOWN ? -1 : (int)cl_tlp;
	chg.internal = cl_internal ? 1 : cl_external ? 0 : -1;
	chg.rate = cl_rate;
	chg.new_secret = cl_new_pw || cl_new_tok;
	chg.password = NULL;
	if (cl_pw_stdin) {
		if (read_password(pw, sizeof(pw)) < 0) {
			fprintf(stderr, "threatex client set: no password on "
			    "stdin\n");
			return CLI_USAGE;
		}
		chg.password = pw;
	}
	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("client", &err);
	cur = registry_client_by_name(&n->cfg.reg, args[0]);
	if (cur != NULL && ((cl_new_pw && cur->auth != REG_AUTH_BASIC) ||
	    (cl_new_tok && cur->auth != REG_AUTH_TOKEN))) {
		node_close(n);
		fprintf(stderr, "threatex client set: %s has no %s\n", args[0],
		    cl_new_pw ? "password" : "token");
		return CLI_REFUSED;
	}
	rc = node_client_set(n, args[0], &chg, &c, secret, &err);
	return client_done(n, rc, &err, "changed", &c, secret, pw);
}

static int
list_one(const struct cfg_client *c, void *payload)
{
	char	none[1] = "";

	print_client("client", c, none);
	return 0;
}

static int
client_list_run(int nargs, char **args)
{
	struct tx_err	 err;
	struct node	*n;

	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("client", &err);
	(void)node_client_list(n, list_one, NULL);
	node_close(n);
	return CLI_OK;
}

static int
client_remove_run(int nargs, char **args)
{
	struct tx_err	 err;
	struct node	*n;
	int		 rc;

	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("client", &err);
	rc = node_client_remove(n, args[0], &err);
	node_close(n);
	if (rc < 0)
		return cli_fail("client", &err);
	if (cl_json)
		cli_put_json(json_pack("{s:s, s:o*}", "event", "removed",
		    "name", cli_jstr(args[0])));
	else
		printf("removed\t%s\n", args[0]);
	return CLI_OK;
}

int
cmd_client(int argc, char **argv)
{
	cl_tlp = TLP_UNKNOWN;
	cl_internal = cl_external = cl_basic = cl_token = 0;
	cl_pw_stdin = cl_json = cl_new_pw = cl_new_tok = 0;
	cl_rate = -1;
	cl_cert = cl_pin = NULL;
	return cli_run(&client_cmd, "client", argc, argv);
}
