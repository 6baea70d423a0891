/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c - threatex's entry: global options, then the subcommand table
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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>


static const struct {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*help;
} commands[] = {
	{ "init", cmd_init, "create a node directory: keys, certificate, identity" },
	{ "identity", cmd_identity, "export this node's signed descriptor" },
	{ "peer", cmd_peer, "add, list or remove federation members" },
	{ "add", cmd_add, "author a wallet, domain, e-mail or alias indicator" },
	{ "import", cmd_import, "import STIX 2.1 JSON (signed or to attest)" },
	{ "export", cmd_export, "write a STIX bundle, CSV or RPZ blocklist" },
	{ "cosign", cmd_cosign, "counter-sign objects of other agencies" },
	{ "key", cmd_key, "list, rotate or revoke signing keys" },
	{ "lookup", cmd_lookup, "what is known of a value, who says so" },
	{ "sync", cmd_sync, "pull once from every peer (or --peer NAME)" },
	{ "serve", cmd_serve, "run the TAXII 2.1 server and the sync schedule" },
	{ "audit", cmd_audit, "list, verify or seal the hash-chained audit log" },
	{ "status", cmd_status, "store counts and peer cursors" },
	{ "verify", cmd_verify, "verify the signatures of a STIX file offline" },
	{ "validate", cmd_validate, "check STIX 2.1 JSON: object, bundle, envelope" },
	{ "pattern", cmd_pattern, "check|print|extract STIX patterns" },
	{ "match", cmd_match, "evaluate patterns against observed data" },
	{ "normalize", cmd_normalize, "canonical form of an observable value" },
	{ "canon", cmd_canon, "RFC 8785 canonical bytes of a JSON text" },
	{ "pki", cmd_pki, "make a test federation CA and node certificates" },
	{ "demo", cmd_demo, "run a two-node federation on loopback" },
	{ "version", cmd_version, "print the version" },
};

static const char	*node_dir;

static void
log_stderr(void *arg, enum tx_log_level level, const char *who,
    const char *line)
{
	char		ts[40], esc[TX_LOG_LINE_MAX * 4];
	time_t		t = time(NULL);
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s threatex %s: %s\n", ts, who,
	    cli_esc(esc, sizeof(esc), line));
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

static void
usage(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: threatex [-d DIR] COMMAND [ARGS...]\n\n"
	    "  -d DIR   node directory (default $THREATEX_HOME, else "
	    "./threatex-node)\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name,
		    commands[i].help);
	fprintf(f, "\n'threatex COMMAND --help' describes each command.\n");
}

int
main(int argc, char **argv)
{
	size_t	i;

	umask(077);
	tx_log_sink(log_stderr, NULL);
	argc--;
	argv++;
	while (argc > 0 && argv[0][0] == '-') {
		if (strcmp(argv[0], "-d") == 0 && argc > 1) {
			node_dir = argv[1];
			argc -= 2;
			argv += 2;
		} else if (strcmp(argv[0], "-h") == 0 ||
		    strcmp(argv[0], "--help") == 0) {
			usage(stdout);
			return CLI_OK;
		} else if (strcmp(argv[0], "--version") == 0) {
			return cmd_version(0, argv);
		} else {
			fprintf(stderr, "threatex: unknown option %s\n",
			    argv[0]);
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (argc == 0) {
		usage(stderr);
		return CLI_USAGE;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[0], commands[i].name) != 0)
			continue;
		return commands[i].fn(argc, argv);
	}
	fprintf(stderr, "threatex: unknown command '%s'\n", argv[0]);
	usage(stderr);
	return CLI_USAGE;
}
