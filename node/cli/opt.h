/* SPDX-License-Identifier: Apache-2.0 */
/*
 * opt.h - one option parser and one usage printer for every command and
 * subcommand (libgit2's cli_opt_spec, curl's aliases[]): a command is a
 * struct cli_cmd, its options a table of struct cli_opt that say where
 * each value goes. "--help" or "-h" anywhere before "--" prints the
 * command's usage on stdout and ends the command with 0 -- it is never
 * taken as a value, a key id or a directory name. An unknown option, a
 * missing or bad value, or the wrong number of arguments prints
 * "threatex CMD: REASON" and the usage on stderr and ends with 2.
 *
 * Options and arguments may be mixed ("add wallet --chain eth 0xab..");
 * "--" ends the options; "-" alone is an argument (stdin). Long options
 * take their value as "--name VALUE" or "--name=VALUE" and may be
 * shortened to any prefix that names only one of them ("--conf 90", as
 * getopt_long allows); short ones as "-x VALUE" or "-xVALUE", and short
 * flags may be bundled ("-jk wallet"). "-h" is always help.
 *
 * A command with subcommands (.sub) parses its own options up to the
 * first argument, which names the subcommand; everything after it is
 * the subcommand's (git's "git -C DIR status"). A subcommand is either
 * another struct cli_cmd, or (.main) a function that takes its argv as
 * it is and parses it itself.
 *
 * What the parser trusts: nothing of argv. Every value is kept as the
 * pointer into argv it came in; names of unknown options are escaped
 * (cli_esc) before they are printed; no buffer grows with the input.
 */
#ifndef TX_CLI_OPT_H
#define TX_CLI_OPT_H

#include <stddef.h>
#include <stdio.h>

enum cli_opt_kind {
	CLI_OPT_FLAG,	/* int *: set to 1 (or to .lo when .lo != 0) */
	CLI_OPT_STR,	/* const char **: the value (the last one given) */
	CLI_OPT_INT,	/* int *: a decimal in [.lo, .hi] */
	CLI_OPT_LIST,	/* const char **: appended, at most .hi values; the
			   count goes to *.count */
	CLI_OPT_FN	/* .fn(value, .dst): 0, or -1 with the reason in why */
};

/*
 * One option. A table ends with an entry whose name is NULL and whose
 * alias is 0 ("{ .name = NULL }"); an option may have only a short name
 * (.name NULL, .alias set: "-d DIR").
 */
struct cli_opt {
	const char		*name;		/* "peer": --peer; NULL: none */
	char			 alias;		/* 'p': -p; 0 for none */
	enum cli_opt_kind	 kind;
	void			*dst;
	const char		*value;		/* "NAME" in the usage; NULL
						   for a flag */
	const char		*help;
	int			 lo, hi;
	size_t			*count;		/* CLI_OPT_LIST */
	int			(*fn)(const char *v, void *dst, char *why,
				    size_t whylen);
};

/* The --json flag of a command that prints data: sets *flag to 1. */
#define CLI_OPT_JSON(flag) { .name = "json", .kind = CLI_OPT_FLAG, \
	.dst = (flag), .help = "one JSON object a line (docs/json.md)" }

/*
 * What a command does once its options are in place: args are its
 * arguments (not its name), nargs within the table's bounds. Returns the
 * process exit code.
 *
 * On a command with subcommands, .run (if set) is called once the
 * command's own options are parsed, with what follows them (args[0] the
 * subcommand's name, when there is one): it returns the exit code to end
 * with, or -1 to go on to the subcommand ("threatex --version").
 */
typedef int	cli_cmd_fn(int nargs, char **args);

struct cli_cmd {
	const char		*name;		/* NULL ends a table */
	cli_cmd_fn		*run;		/* NULL: dispatch to .sub */
	const char		*summary;	/* one line, in the parent's
						   list */
	const char		*synopsis;	/* "[--peer NAME] FILE|-" */
	const char		*text;		/* what it does; may be NULL */
	const struct cli_opt	*opts;		/* may be NULL */
	int			 min_args, max_args;	/* max -1: any */
	const struct cli_cmd	*sub;		/* subcommands, or NULL */
	/*
	 * As a subcommand: argv handed over as it is (argv[0] the name),
	 * for a command that parses its own (int cmd_X(int, char **)).
	 * Then only .name and .summary count.
	 */
	int			(*main)(int argc, char **argv);
};

/*
 * Run cmd with argv (argv[0] its own name; path how it is named in
 * messages: "peer", "peer add", or "" for threatex itself). With
 * subcommands (cmd->sub), the options before the first argument are
 * cmd's own; the first argument picks a subcommand, which runs with the
 * rest (its name first); no argument prints the usage on stderr and
 * ends with 2, an unknown one "unknown command 'X'" and 2. Else the
 * options are parsed into the table's places (their defaults are
 * whatever those held before) and cmd->run is called with the
 * arguments. Returns the exit code.
 */
int	cli_run(const struct cli_cmd *cmd, const char *path, int argc,
	    char **argv);

/*
 * The parsing half of cli_run for a command without subcommands:
 * arguments go to args[0..*nargs-1] (room for argc pointers, into argv).
 * -1 when the command goes on, else the exit code it must end with
 * (already printed: 0 after --help, 2 after a usage error).
 */
int	cli_parse(const struct cli_cmd *cmd, const char *path, int argc,
	    char **argv, char **args, int *nargs);

/* The usage of cmd: synopsis, text, subcommands and options. */
void	cli_usage(FILE *f, const struct cli_cmd *cmd, const char *path);

/* "threatex PATH: " and the formatted reason on stderr, then the usage;
 * returns 2 (CLI_USAGE). */
int	cli_usage_error(const struct cli_cmd *cmd, const char *path,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
