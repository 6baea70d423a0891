/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.h - the subcommand table's entry points (wireguard-tools' shape).
 *
 * Each command is int cmd_NAME(int argc, char **argv), argv[0] being the
 * subcommand name, global options (-d DIR) already removed; most hand
 * argv to cli_run with their option table (opt.h). It returns the
 * process exit code of DESIGN §10: 0 ok, 1 runtime failure, 2 usage,
 * 3 data refused. Tools that read "ARG|-" print one result line per input,
 * tab-separated with the verdict first; --json gives one JSON object a line.
 */
#ifndef TX_CLI_H
#define TX_CLI_H

#include <stddef.h>
#include <stdio.h>

enum {
	CLI_OK = 0,
	CLI_FAIL = 1,
	CLI_USAGE = 2,
	CLI_REFUSED = 3
};

/* The node directory chosen by -d, $THREATEX_HOME or ./threatex-node. */
const char	*cli_node_dir(void);

/*
 * Call fn once per input: the argument itself, or with "-" each line of
 * stdin (newline stripped, lines over 1 MiB refused and reported). Returns
 * the worst exit code fn returned.
 */
int	cli_each_input(const char *arg, int (*fn)(const char *, void *),
	    void *payload);

/*
 * Each line of f to fn (newline and CR stripped); a line over max bytes
 * is refused and reported with name (NULL: stdin) and its number; with
 * skip, empty lines and '#' comments are skipped. The worst exit code.
 */
int	cli_each_line(FILE *f, const char *name, size_t max, int skip,
	    int (*fn)(const char *, void *), void *payload);

struct tx_err;
struct json_t;

/*
 * Print o as one compact JSON line on stdout and release it (steals o).
 * Every byte out is printable ASCII: strings are JSON-escaped, non-ASCII
 * as \uXXXX, DEL as \u007f.
 */
void	cli_put_json(struct json_t *o);

/*
 * A JSON string of s for --json output: s itself when it is valid UTF-8
 * (JSON carries it, escaped as JSON escapes), else its cli_esc form, so a
 * hostile byte never drops the record. NULL for s NULL or out of memory
 * (json_pack's "o*" then leaves the key out).
 */
struct json_t	*cli_jstr(const char *s);

/*
 * Text from outside (a peer's object, a descriptor, an audit detail, an
 * error message quoting either) made safe to print on the operator's
 * terminal and in tab-separated output: printable ASCII and valid UTF-8
 * pass as they are; backslash becomes \\, tab \t, newline \n, CR \r,
 * other C0 controls and DEL \xNN; C1 controls (U+0080..U+009F), the line
 * and paragraph separators, bidirectional controls and U+FEFF \uXXXX; each
 * byte that is not part of valid UTF-8 \xNN. So one record is one line
 * and a field never holds a tab, whatever the sender wrote.
 *
 * cli_esc writes into dst (dstlen >= 4; shorter gives ""), ending in
 * "..." when the escaped form does not fit, and returns dst. s NULL is "".
 * cli_escape returns a new string (free()), never truncated, or NULL when
 * out of memory. cli_escape_tree replaces every string value inside v
 * (not object keys) by its escaped form: 0, or -1 when out of memory.
 */
const char	*cli_esc(char *dst, size_t dstlen, const char *s);
char		*cli_escape(const char *s);
int		 cli_escape_tree(struct json_t *v);

/*
 * Print "threatex CMD: WHERE: MESSAGE" to stderr and return the exit code
 * for err's code: 3 for refused data (invalid, unauthentic, against
 * policy, already there), 1 for everything else.
 */
int	cli_fail(const char *cmd, const struct tx_err *err);

struct pattern;

/*
 * Parse a STIX pattern for the pattern tools: on failure print the
 * "invalid POS MESSAGE" line (or its --json form) and return CLI_REFUSED
 * (CLI_FAIL when out of memory); CLI_OK with *out (pattern_free) else.
 */
int	cli_pattern_parse(struct pattern **out, const char *in, int json);

/* Parse a decimal int in [lo, hi]; 0 or -1. */
int	cli_int(int *out, const char *s, int lo, int hi);

/*
 * A cli_opt .fn for --tlp / --max-tlp (opt.h): a level name into
 * *(enum tlp_level *)dst; anything else (and "unknown") is refused with
 * "unknown TLP 'X'" (each option's help lists the levels).
 */
int	cli_opt_tlp(const char *v, void *dst, char *why, size_t whylen);

/* Subcommands. Each prints its own --help. */
int	cmd_version(int, char **);
int	cmd_pki(int, char **);
int	cmd_init(int, char **);
int	cmd_identity(int, char **);
int	cmd_peer(int, char **);
int	cmd_add(int, char **);
int	cmd_revoke(int, char **);	/* cmd_lifecycle.c */
int	cmd_update(int, char **);
int	cmd_sighting(int, char **);
int	cmd_lookup(int, char **);

/*
 * `lookup --private [--peer NAME]... VALUE...` (DESIGN §12), called by
 * cmd_lookup.c: values[0..nvalues) ("-" reads stdin, @FILE a file) asked
 * privately of peers[0..npeers) (none: every peer that offers it). One
 * line per value and peer, or one JSON object a line. A CLI_* code.
 */
int	cli_lookup_private(char **values, int nvalues, char **peers,
	    int npeers, int json);
int	cmd_serve(int, char **);
int	cmd_sync(int, char **);
/*
 * cmd_run.c: print one sync report (struct sync_report, node/sync.h) as
 * `sync` does; arg NULL, or an int * that is 1 for --json. Shared by
 * `sync` and `feed sync`.
 */
struct sync_report;
void	cli_sync_print(const struct sync_report *r, void *arg);
int	cmd_demo(int, char **);
int	cmd_status(int, char **);
int	cmd_canon(int, char **);
int	cmd_normalize(int, char **);
int	cmd_pattern(int, char **);
int	cmd_validate(int, char **);
int	cmd_match(int, char **);
int	cmd_verify(int, char **);
int	cmd_import(int, char **);
int	cmd_cosign(int, char **);
int	cmd_export(int, char **);
int	cmd_key(int, char **);
int	cmd_audit(int, char **);
int	cmd_operator(int, char **);
int	cmd_backup(int, char **);
int	cmd_restore(int, char **);
int	cmd_feed(int, char **);		/* upstream TAXII feeds */
int	cmd_client(int, char **);	/* subscribers */
int	cmd_console(int, char **);	/* the web console's address, login */

#endif
