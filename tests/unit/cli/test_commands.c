/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_commands.c - the commands on option tables (node/cli/cmd_add.c,
 * cmd_lookup, cmd_canon, cmd_normalize, cmd_pattern, cmd_match,
 * cmd_validate, cmd_verify, cmd_demo), run in-process as threatex runs
 * them, stdout and stderr captured: every one prints its usage for --help
 * and -h (stdout, 0) and refuses an unknown option or a wrong number of
 * arguments (stderr, 2, nothing run); after "--" a "--help" is an
 * argument; options run after options of an earlier run do not leak into
 * the next; and what each prints for its input, including text from a
 * hostile file, which verify and validate print escaped. add, lookup and
 * verify run on a node directory made by node_init.
 */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fixture.h"
#include "init.h"
#include "node.h"
#include "store_versions.h"

static char	root[64], node_dir[128];
static char	wallets[4][FX_ETH_ADDR_LEN + 1];

/* The CLI's node directory (main.c is not part of the library). */
const char *
cli_node_dir(void)
{
	return node_dir;
}

/* ---- capture ------------------------------------------------------------ */

#define CAP_MAX	(256 * 1024)

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

/*
 * Run fn on a NULL-terminated argv with stdin from in (NULL: empty),
 * stdout and stderr captured.
 */
static struct cap *
cap_run(int (*fn)(int, char **), const char *in, char **argv)
{
	static struct cap	 c;
	FILE			*fo, *fe, *fi;
	int			 so, se, si, argc = 0;

	while (argv[argc] != NULL)
		argc++;
	assert_non_null(fo = tmpfile());
	assert_non_null(fe = tmpfile());
	assert_non_null(fi = tmpfile());
	if (in != NULL)
		assert_int_equal(fwrite(in, 1, strlen(in), fi), strlen(in));
	fflush(fi);
	rewind(fi);
	fflush(stdout);
	fflush(stderr);
	so = dup(1);
	se = dup(2);
	si = dup(0);
	assert_true(so >= 0 && se >= 0 && si >= 0);
	assert_true(dup2(fileno(fo), 1) >= 0);
	assert_true(dup2(fileno(fe), 2) >= 0);
	assert_true(dup2(fileno(fi), 0) >= 0);
	clearerr(stdin);
	c.rc = fn(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	dup2(si, 0);
	clearerr(stdin);
	close(so);
	close(se);
	close(si);
	fclose(fi);
	cap_read(c.out, fo);
	cap_read(c.err, fe);
	return &c;
}

#define RUN(fn, ...)		cap_run((fn), NULL, \
				    (char *[]){ __VA_ARGS__, NULL })
#define RUN_IN(fn, in, ...)	cap_run((fn), (in), \
				    (char *[]){ __VA_ARGS__, NULL })

#define assert_starts(s, lit)	assert_true(strncmp((s), (lit), \
				    strlen(lit)) == 0)
#define assert_has(s, lit)	assert_non_null(strstr((s), (lit)))

/* No byte a terminal acts on, except the newlines ending lines. */
static void
assert_inert(const char *s)
{
	for (; *s != '\0'; s++)
		assert_true(*s == '\n' || *s == '\t' ||
		    ((unsigned char)*s >= 0x20 && *s != 0x7f));
}

static void
write_file(const char *name, const char *text, char *path, size_t len)
{
	FILE	*f;

	snprintf(path, len, "%s/%s", root, name);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fputs(text, f) >= 0, 1);
	fclose(f);
}

static int
setup(void **state)
{
	struct node_init_opts	o;
	struct tx_err		err;

	assert_true(fx_eth_addresses(TX_SHARED_DIR FX_FBI_ADDRESSES, wallets,
	    4) == 4);
	snprintf(root, sizeof(root), "/tmp/tx-cmds-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(node_dir, sizeof(node_dir), "%s/us", root);
	node_init_defaults(&o);
	o.dir = node_dir;
	o.name = "us-cert";
	o.listen = "127.0.0.1:1";
	tx_err_clear(&err);
	if (node_init(NULL, &o, &err) < 0)
		fail_msg("node_init: %s", err.msg);
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
	return 0;
}

/* ---- every command: help, unknown options, argument counts --------------- */

static const struct {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*usage;		/* its first line */
} cmds[] = {
	{ "add", cmd_add, "usage: threatex [-d DIR] add wallet|domain|email|"
	    "alias VALUE\n" },
	{ "lookup", cmd_lookup, "usage: threatex [-d DIR] lookup [--json] "
	    "VALUE...|-\n" },
	{ "canon", cmd_canon, "usage: threatex [-d DIR] canon FILE|-\n" },
	{ "normalize", cmd_normalize, "usage: threatex [-d DIR] normalize "
	    "[--kind K] [--chain C] [--json] VALUE|-\n" },
	{ "pattern", cmd_pattern, "usage: threatex [-d DIR] pattern check|"
	    "print|extract [--json] PATTERN|-\n" },
	{ "match", cmd_match, "usage: threatex [-d DIR] match [--json] "
	    "PATTERN|- --observed FILE\n" },
	{ "validate", cmd_validate, "usage: threatex [-d DIR] validate "
	    "[--json] FILE|-\n" },
	{ "verify", cmd_verify, "usage: threatex [-d DIR] verify [--json] FILE|-\n" },
	{ "demo", cmd_demo, "usage: threatex [-d DIR] demo [--data DIR] "
	    "[--keep]\n" },
};

static void
test_help(void **state)
{
	struct cap	*c;
	size_t		 i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		c = RUN(cmds[i].fn, (char *)cmds[i].name, "--help");
		assert_int_equal(c->rc, CLI_OK);
		assert_starts(c->out, cmds[i].usage);
		assert_has(c->out, "\n  -h, --help             this text\n");
		assert_string_equal(c->err, "");
		c = RUN(cmds[i].fn, (char *)cmds[i].name, "-h");
		assert_int_equal(c->rc, CLI_OK);
		assert_starts(c->out, cmds[i].usage);
		/* After an argument (pattern: after its subcommand). */
		c = RUN(cmds[i].fn, (char *)cmds[i].name,
		    strcmp(cmds[i].name, "pattern") == 0 ? "check" : "x",
		    "--help");
		assert_int_equal(c->rc, CLI_OK);
		assert_string_equal(c->err, "");
	}
	/* The pattern tools: the list, and each one's own usage. */
	c = RUN(cmd_pattern, "pattern", "--help");
	assert_has(c->out, "\ncommands:\n  check      ");
	assert_has(c->out, "\n  print      ");
	assert_has(c->out, "\n  extract    ");
	c = RUN(cmd_pattern, "pattern", "extract", "-h");
	assert_int_equal(c->rc, CLI_OK);
	assert_starts(c->out, "usage: threatex [-d DIR] pattern extract "
	    "[--json] PATTERN|-\n");
	assert_has(c->out, "  --json ");
}

static void
test_unknown_option(void **state)
{
	struct cap	*c;
	size_t		 i;
	char		 want[64];

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		c = RUN(cmds[i].fn, (char *)cmds[i].name, "--bogus", "x");
		assert_int_equal(c->rc, CLI_USAGE);
		assert_string_equal(c->out, "");
		snprintf(want, sizeof(want), "threatex %s: unknown option "
		    "--bogus\n", cmds[i].name);
		assert_starts(c->err, want);
		assert_has(c->err, cmds[i].usage);
	}
	c = RUN(cmd_pattern, "pattern", "check", "--bogus", "x");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_starts(c->err, "threatex pattern check: unknown option "
	    "--bogus\n");
}

static void
test_arg_counts(void **state)
{
	static const struct {
		int		(*fn)(int, char **);
		const char	*argv[5];
		const char	*why;
	} cases[] = {
		{ cmd_add, { "add", "wallet" }, "too few" },
		{ cmd_add, { "add", "wallet", "a", "b" }, "too many" },
		{ cmd_lookup, { "lookup", "--json" }, "too few" },
		{ cmd_canon, { "canon" }, "too few" },
		{ cmd_canon, { "canon", "a", "b" }, "too many" },
		{ cmd_normalize, { "normalize", "a", "b" }, "too many" },
		{ cmd_pattern, { "pattern", "check" }, "too few" },
		{ cmd_pattern, { "pattern", "print", "a", "b" }, "too many" },
		{ cmd_match, { "match", "--observed", "f" }, "too few" },
		{ cmd_validate, { "validate" }, "too few" },
		{ cmd_verify, { "verify", "a", "b" }, "too many" },
		{ cmd_demo, { "demo", "x" }, "too many" },
	};
	struct cap	*c;
	size_t		 i;
	int		 argc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (argc = 0; cases[i].argv[argc] != NULL; argc++)
			;
		c = cap_run(cases[i].fn, NULL, (char **)cases[i].argv);
		assert_int_equal(c->rc, CLI_USAGE);
		assert_string_equal(c->out, "");
		assert_has(c->err, cases[i].why);
	}
	/* pattern without a tool, or with one it does not have. */
	c = RUN(cmd_pattern, "pattern");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_starts(c->err, "usage: threatex [-d DIR] pattern ");
	c = RUN(cmd_pattern, "pattern", "bogus", "x");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_starts(c->err, "threatex pattern: unknown command 'bogus'\n");
	/* --data without its value. */
	c = RUN(cmd_demo, "demo", "--data");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_starts(c->err, "threatex demo: --data needs a value\n");
}

static void
test_dashdash(void **state)
{
	struct cap	*c;

	/* After "--", "--help" is the value to look at. */
	c = RUN(cmd_normalize, "normalize", "--", "--help");
	assert_int_equal(c->rc, CLI_OK);
	assert_string_equal(c->out, "ok\talias\t--help\tkey=help\n");
	c = RUN(cmd_pattern, "pattern", "check", "--", "--help");
	assert_int_equal(c->rc, CLI_REFUSED);
	assert_starts(c->out, "invalid\t0\t");
	c = RUN(cmd_canon, "canon", "--", "--help");
	assert_int_equal(c->rc, CLI_FAIL);
	assert_string_equal(c->err, "threatex canon: cannot open --help\n");
}

/* ---- what the offline tools print ---------------------------------------- */

static void
test_normalize(void **state)
{
	struct cap	*c;

	c = RUN(cmd_normalize, "normalize", "-k", "domain", "-j",
	    "WWW.Example.COM");
	assert_int_equal(c->rc, CLI_OK);
	assert_string_equal(c->out, "{\"verdict\":\"ok\",\"kind\":\"domain\","
	    "\"canonical\":\"www.example.com\",\"match_key\":"
	    "\"www.example.com\",\"chain\":\"\",\"note\":\"\",\"sco_type\":"
	    "\"domain-name\"}\n");
	/* The previous run's --json does not carry over. */
	c = RUN(cmd_normalize, "normalize", "--kind=alias", "Hidden  Cobra");
	assert_string_equal(c->out,
	    "ok\talias\thidden cobra\tkey=hiddencobra\n");
	c = RUN(cmd_normalize, "normalize", "--chain", "btc",
	    "1BoatSLRHtKNngkdXEeobR76b53LETtpyT");
	assert_string_equal(c->out, "ok\twallet\t"
	    "1BoatSLRHtKNngkdXEeobR76b53LETtpyT\tchain=bitcoin\n");
	c = RUN(cmd_normalize, "normalize", "--kind", "nope", "x");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_starts(c->err, "threatex normalize: unknown kind \"nope\"\n");
	/* One line per line of stdin; the worst exit code. */
	c = RUN_IN(cmd_normalize, "a.example.com\nbad@\n", "normalize",
	    "--kind", "email", "-");
	assert_int_equal(c->rc, CLI_REFUSED);
	assert_starts(c->out, "refused\t");
	assert_has(c->out, "\nrefused\t");
}

static void
test_pattern(void **state)
{
	struct cap	*c;

	c = RUN(cmd_pattern, "pattern", "check",
	    "[ipv4-addr:value = '1.2.3.4']");
	assert_int_equal(c->rc, CLI_OK);
	assert_string_equal(c->out, "valid\t[ipv4-addr:value = '1.2.3.4']\n");
	c = RUN(cmd_pattern, "pattern", "check", "--json", "bad");
	assert_int_equal(c->rc, CLI_REFUSED);
	assert_starts(c->out, "{\"verdict\":\"invalid\",\"pattern\":\"bad\","
	    "\"pos\":0,");
	c = RUN(cmd_pattern, "pattern", "print",
	    "[ipv4-addr:value = '1.2.3.4' OR ipv4-addr:value = '5.6.7.8']");
	assert_string_equal(c->out, "[ipv4-addr:value = '1.2.3.4' OR "
	    "ipv4-addr:value = '5.6.7.8']\n");
	c = RUN(cmd_pattern, "pattern", "extract",
	    "[ipv4-addr:value = '1.2.3.4' OR domain-name:value IN "
	    "('a.b','c.d')]");
	assert_int_equal(c->rc, CLI_OK);
	assert_string_equal(c->out, "ipv4-addr\tvalue\t1.2.3.4\n"
	    "domain-name\tvalue\ta.b\ndomain-name\tvalue\tc.d\n");
	c = RUN_IN(cmd_pattern, "[ipv4-addr:value = '1.2.3.4']\nbad\n",
	    "pattern", "check", "-");
	assert_int_equal(c->rc, CLI_REFUSED);
	assert_starts(c->out, "valid\t[ipv4-addr:value = '1.2.3.4']\n"
	    "invalid\t0\t");
}

static void
test_canon(void **state)
{
	struct cap	*c;
	char		 path[256];

	write_file("c.json", "{\"b\":2,\"a\":[1.50,\"\\u00e9\"]}", path,
	    sizeof(path));
	c = RUN(cmd_canon, "canon", path);
	assert_int_equal(c->rc, CLI_OK);
	assert_string_equal(c->out, "{\"a\":[1.5,\"\xc3\xa9\"],\"b\":2}");
	c = RUN_IN(cmd_canon, "{\"a\":1,\"a\":2}", "canon", "-");
	assert_int_equal(c->rc, CLI_REFUSED);
	assert_starts(c->out, "refused\t");
}

static void
test_match(void **state)
{
	struct cap	*c;
	char		 path[256];

	write_file("obs.json", "{\"type\":\"ipv4-addr\",\"id\":\"ipv4-addr--"
	    "ff26c055-6336-5bc5-b98d-13d6226742dd\",\"value\":\"1.2.3.4\"}",
	    path, sizeof(path));
	c = RUN(cmd_match, "match", "[ipv4-addr:value = '1.2.3.4']",
	    "--observed", path);
	assert_int_equal(c->rc, CLI_OK);
	assert_string_equal(c->out, "match\n");
	c = RUN(cmd_match, "match", "--json", "--observed", path,
	    "[ipv4-addr:value = '9.9.9.9']");
	assert_string_equal(c->out, "{\"verdict\":\"no-match\",\"pattern\":"
	    "\"[ipv4-addr:value = '9.9.9.9']\"}\n");
	/* --observed is required (and did not carry over). */
	c = RUN(cmd_match, "match", "[ipv4-addr:value = '1.2.3.4']");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_starts(c->err, "threatex match: --observed FILE is required\n");
}

/* An indicator whose extension name holds a terminal's escapes. */
#define HOSTILE_EXT \
	"{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":" \
	"\"indicator--5e4f6a01-8d10-4192-ae3d-4f5a6b7c8d9e\",\"created\":" \
	"\"2025-03-01T00:00:00.000Z\",\"modified\":" \
	"\"2025-03-01T00:00:00.000Z\",\"pattern\":" \
	"\"[domain-name:value = 'a.b']\",\"pattern_type\":\"stix\"," \
	"\"valid_from\":\"2025-03-01T00:00:00.000Z\",\"extensions\":" \
	"{\"x\\u001b[2K\\nknown\\tforged\\u009b\\u007f\":{}}}"

static void
test_validate(void **state)
{
	struct cap	*c;
	char		 path[256];

	write_file("hostile.json", HOSTILE_EXT, path, sizeof(path));
	c = RUN(cmd_validate, "validate", path);
	assert_int_equal(c->rc, CLI_REFUSED);
	assert_string_equal(c->out, "refused\textensions.x\\x1b[2K\\nknown"
	    "\\tforged\\u009b\\x7f\textension name must be an "
	    "extension-definition id or end in -ext\n");
	assert_inert(c->out);
	c = RUN(cmd_validate, "validate", "--json", path);
	assert_int_equal(c->rc, CLI_REFUSED);
	assert_starts(c->out, "{\"verdict\":\"refused\",\"path\":"
	    "\"extensions.x\\u001B[2K\\nknown\\tforged\\u009B\\u007f\"");
	assert_inert(c->out);
	c = RUN(cmd_validate, "validate", "/nonexistent/x.json");
	assert_int_equal(c->rc, CLI_FAIL);
	assert_starts(c->err, "threatex validate: /nonexistent/x.json: ");
}

/* ---- add, lookup and verify on a node ------------------------------------ */

static void
test_add_lookup_verify(void **state)
{
	struct cap	*c;
	struct node	*n;
	struct tx_err	 err;
	char		 ind[128], path[256], want[300], *json, *p;
	FILE		*f;

	c = RUN(cmd_add, "add", "wallet", wallets[0], "--actor",
	    "Lazarus Group", "--conf", "90", "--tlp=green");
	assert_int_equal(c->rc, CLI_OK);
	assert_starts(c->out, "new\tcryptocurrency-wallet--");
	assert_has(c->out, "\nnew\tintrusion-set--");
	assert_has(c->out, "\nadded\twallet\t");
	assert_has(c->out, wallets[0]);
	assert_string_equal(c->err, "");
	assert_non_null(p = strstr(c->out, "\nnew\tindicator--"));
	snprintf(ind, sizeof(ind), "%.*s", (int)strcspn(p + 5, "\n"), p + 5);

	/* Again: it exists; --tlp green of the last run is gone. */
	c = RUN(cmd_add, "add", "wallet", wallets[0]);
	assert_int_equal(c->rc, CLI_OK);
	snprintf(want, sizeof(want), "exists\t%s\n", ind);
	assert_string_equal(c->out, want);

	c = RUN(cmd_lookup, "lookup", wallets[0], "unknown.example");
	assert_int_equal(c->rc, CLI_OK);
	assert_starts(c->out, "known\twallet\t");
	assert_has(c->out, "\ttlp=green\tconfidence=90\t");
	assert_has(c->out, "\tindicates\tintrusion-set--");
	assert_has(c->out, "\nunknown\tdomain\tunknown.example\n");
	c = RUN(cmd_lookup, "lookup", "--json", "unknown.example");
	assert_string_equal(c->out, "{\"value\":\"unknown.example\",\"kind\":"
	    "\"domain\",\"canonical\":\"unknown.example\",\"known\":false,"
	    "\"hits\":[]}\n");

	/* Refused values and requests. */
	c = RUN(cmd_add, "add", "wallet",
	    "0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135d");
	assert_int_equal(c->rc, CLI_REFUSED);
	assert_starts(c->err, "threatex add: wallet "
	    "0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135d: EIP-55");
	c = RUN(cmd_add, "add", "wallet", wallets[1], "--tlp", "red");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_string_equal(c->err, "threatex add: AMBER+STRICT and RED "
	    "objects go only to named peers: give --to PEER\n");
	c = RUN(cmd_add, "add", "wallet", wallets[1], "--tlp", "red", "--to",
	    "ghost");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_string_equal(c->err, "threatex add: --to ghost: no such peer\n");
	c = RUN(cmd_add, "add", "wallet", wallets[1], "--tlp", "purple");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_starts(c->err, "threatex add: unknown TLP 'purple'\n");
	c = RUN(cmd_add, "add", "wallet", wallets[1], "--confidence", "101");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_starts(c->err, "threatex add: --confidence must be 0-100\n");
	c = RUN(cmd_add, "add", "url", "https://example.com/");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_starts(c->err, "threatex add: unknown kind 'url'\n");
	assert_string_equal(c->out, "");

	/* The indicator, as stored, verifies offline. */
	tx_err_clear(&err);
	assert_int_equal(node_open(&n, node_dir, 0, &err), 0);
	assert_int_equal(store_get_current(n->st, &json, ind, &err), 0);
	node_close(n);
	snprintf(path, sizeof(path), "%s/ind.json", root);
	assert_non_null(f = fopen(path, "w"));
	fputs(json, f);
	fclose(f);
	free(json);
	c = RUN(cmd_verify, "verify", path);
	assert_int_equal(c->rc, CLI_OK);
	snprintf(want, sizeof(want), "ok\t%s\tus-cert ok\n", ind);
	assert_string_equal(c->out, want);
	/* A document cut short, from stdin. */
	c = RUN_IN(cmd_verify, "{\"type\":\"bundle\"", "verify", "-");
	assert_int_equal(c->rc, CLI_REFUSED);
	assert_starts(c->err, "threatex verify: -");
}

static void
test_verify_hostile(void **state)
{
	struct cap	*c;
	char		 path[256];
	const char	*p;
	int		 lines = 0, tabs = 0;

	/* An id and an element that try to forge lines and fields. */
	write_file("forged.json", "{\"type\":\"bundle\",\"id\":\"bundle--"
	    "5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":["
	    "{\"type\":\"indicator\",\"id\":\"indicator--x\\t\\u001b[2J"
	    "\\nok\\tforged\"}, 42]}", path, sizeof(path));
	c = RUN(cmd_verify, "verify", path);
	assert_int_equal(c->rc, CLI_REFUSED);
	assert_starts(c->out, "bad\tindicator--x\\t\\x1b[2J\\nok\\tforged\t"
	    "no signatures\nbad\tobjects[1]\t");
	assert_inert(c->out);
	/* Two lines of three fields: nothing forged. */
	for (p = c->out; *p != '\0'; p++) {
		lines += *p == '\n';
		tabs += *p == '\t';
	}
	assert_int_equal(lines, 2);
	assert_int_equal(tabs, 4);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_unknown_option),
		cmocka_unit_test(test_arg_counts),
		cmocka_unit_test(test_dashdash),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_pattern),
		cmocka_unit_test(test_canon),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_add_lookup_verify),
		cmocka_unit_test(test_verify_hostile),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
