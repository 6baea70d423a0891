/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c - threatex's entry: global options (-d DIR, --version, --help)
 * through the option table parser (opt.h), then the subcommand table
 * (wireguard-tools' shape). Each command lives in node/cli/cmd_*.c. The
 * node library's log records (node/log.h) go to stderr, one line each:
 * "TIME threatex WHO: TEXT", the text escaped (cli_esc).
 *
 * Every file threatex makes is private (umask 077): keys, node.conf and
 * store.db (and its -wal and -shm, which SQLite makes as the server runs)
 * hold secrets and TLP-marked data; exports and logs are the operator's
 * to widen. The node library also creates its secrets 0600 and tightens
 * the node directory on open (node_dir_secure), whatever the umask.
 */
#include "cli.h"
#include "log.h"
#include "opt.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>


#define CMD(n, f, s)	{ .name = n, .main = f, .summary = s }

static int	cmd_help(int, char **);

/* The subcommands: each parses its own argv (cmd_*.c). */
static const struct cli_cmd	commands[] = {
	CMD("init", cmd_init, "create a node directory: keys, certificate, "
	    "identity"),
	CMD("identity", cmd_identity, "export this node's signed descriptor"),
	CMD("peer", cmd_peer, "add, list or remove federation members"),
	CMD("feed", cmd_feed, "subscribe to upstream TAXII 2.1 feeds: add, "
	    "list, set, remove"),
	CMD("client", cmd_client, "read-only subscribers (SIEM, TIP): add, "
	    "list, set, remove"),
	CMD("add", cmd_add, "author a wallet, domain, e-mail or alias "
	    "indicator"),
	CMD("revoke", cmd_revoke, "withdraw this node's indicator (a new "
	    "signed version)"),
	CMD("update", cmd_update, "correct this node's indicator: confidence, "
	    "TLP, ..."),
	CMD("sighting", cmd_sighting, "report a value seen here (a STIX "
	    "sighting)"),
	CMD("import", cmd_import, "import STIX 2.1, STIX 1.x, CSV, MISP, OFAC "
	    "XML (.gz/.bz2 too)"),
	CMD("export", cmd_export, "write STIX, CSV, RPZ, wallet lists or MISP"),
	CMD("cosign", cmd_cosign, "counter-sign objects of other agencies"),
	CMD("key", cmd_key, "list, rotate or revoke signing keys"),
	CMD("lookup", cmd_lookup, "what is known of a value, who says so"),
	CMD("sync", cmd_sync, "pull once from every peer (or --peer NAME)"),
	CMD("serve", cmd_serve, "run the TAXII 2.1 server and the sync "
	    "schedule"),
	CMD("audit", cmd_audit, "list, verify or seal the hash-chained audit "
	    "log"),
	CMD("operator", cmd_operator, "make or withdraw operator "
	    "credentials (/metrics)"),
	CMD("status", cmd_status, "store counts and peer cursors"),
	CMD("console", cmd_console, "the web console: its address and a "
	    "login link"),
	CMD("backup", cmd_backup, "copy the node, consistent while it "
	    "serves"),
	CMD("restore", cmd_restore, "restore a backup into a node directory, "
	    "checked"),
	CMD("verify", cmd_verify, "verify the signatures of a STIX file "
	    "offline"),
	CMD("validate", cmd_validate, "check STIX 2.1 JSON: object, bundle, "
	    "envelope"),
	CMD("pattern", cmd_pattern, "check|print|extract STIX patterns"),
	CMD("match", cmd_match, "evaluate patterns against observed data"),
	CMD("normalize", cmd_normalize, "canonical form of an observable "
	    "value"),
	CMD("canon", cmd_canon, "RFC 8785 canonical bytes of a JSON text"),
	CMD("pki", cmd_pki, "make a test federation CA and node certificates"),
	CMD("demo", cmd_demo, "run a two-node federation on loopback"),
	CMD("version", cmd_version, "print the version"),
	CMD("help", cmd_help, "describe a command: help [COMMAND "
	    "[SUBCOMMAND]]"),
	{ .name = NULL }
};

static const char	*node_dir;

static void
log_stderr(void *arg, enum tx_log_level level, const char *who,
    const char *line)
{
	char		ts[40], esc[TX_LOG_LINE_MAX * 4];
	struct timespec	now;
	struct tm	tm;

	/* Milliseconds: a push and its merge are tens of them apart. */
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ threatex %s: %s\n", ts,
	    now.tv_nsec / 1000000, who, cli_esc(esc, sizeof(esc), line));
	fflush(stderr);
}

const char *
cli_node_dir(void)
{
	const char	*e;

	if (node_dir != NULL)
		return node_dir;
	if ((e = getenv("THREATEX_HOME")) != NULL && e[0] != '\0')
		return e;
	return "./threatex-node";
}

int
cmd_version(int argc, char **argv)
{
	puts("threatex 0.1.0");
	return CLI_OK;
}

static int	show_version;

static const struct cli_opt	main_opts[] = {
	{ .alias = 'd', .kind = CLI_OPT_STR, .dst = &node_dir,
	    .value = "DIR", .help = "node directory (default $THREATEX_HOME, "
	    "else ./threatex-node)" },
	{ .name = "version", .kind = CLI_OPT_FLAG, .dst = &show_version,
	    .help = "print the version" },
	{ .name = NULL }
};

/* Once the global options are read: --version ends there. */
static int
main_run(int nargs, char **args)
{
	return show_version ? cmd_version(0, args) : -1;
}

static const struct cli_cmd	main_cmd = {
	.name = "threatex", .run = main_run,
	.synopsis = "[-d DIR] COMMAND [ARGS...]", .opts = main_opts,
	.sub = commands,
	.text = "'threatex COMMAND --help' describes each command.\n"
};

/*
 * `help [COMMAND [SUBCOMMAND]]`: the same text as COMMAND --help, from
 * the same option tables (so are the man page and the completion, made
 * from --help by packaging/mkman.sh at build time).
 */
static int
cmd_help(int argc, char **argv)
{
	char	*av[8];
	int	 i, n = 0;

	if (argc > 4) {
		fprintf(stderr, "threatex help: at most a command and a "
		    "subcommand\n");
		return CLI_USAGE;
	}
	av[n++] = "threatex";
	for (i = 1; i < argc; i++)
		av[n++] = argv[i];
	av[n++] = "--help";
	av[n] = NULL;
	return cli_run(&main_cmd, "", n, av);
}

int
main(int argc, char **argv)
{
	umask(077);
	tx_log_sink(log_stderr, NULL);
	return cli_run(&main_cmd, "", argc, argv);
}
