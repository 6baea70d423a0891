/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_opt.c - the one option parser and usage printer (node/cli/opt.h):
 * flags, strings, ints with ranges, lists with caps, --name=value, long
 * prefixes, short options (alone, bundled, with the value attached),
 * options mixed with arguments, "--", "-" as an argument, --help
 * anywhere before "--" (exit 0, usage on stdout, nothing run) and after
 * it (an argument), unknown and ambiguous options and missing or bad
 * values (exit 2, reason and usage on stderr, nothing run), argument
 * count bounds, nested subcommands (help at each level, unknown and
 * missing subcommands, a parent's own options and hook, commands that
 * take their argv as it is), the usage text itself, and hostile argv
 * (control bytes in option names, many arguments).
 *
 * stdout and stderr are captured in temporary files around each run
 * (dup2), so that every test also asserts where each text went.
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

#include "cli.h"
#include "opt.h"

/* ---- capture ---------------------------------------------------------- */

#define CAP_MAX	(64 * 1024)

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

/* Run cmd on a NULL-terminated argv, stdout and stderr captured. */
static struct cap *
cap_run(const struct cli_cmd *cmd, const char *path, char **argv)
{
	static struct cap	 c;
	FILE			*fo, *fe;
	int			 so, se, argc = 0;

	while (argv[argc] != NULL)
		argc++;
	assert_non_null(fo = tmpfile());
	assert_non_null(fe = tmpfile());
	fflush(stdout);
	fflush(stderr);
	so = dup(1);
	se = dup(2);
	assert_true(so >= 0 && se >= 0);
	assert_true(dup2(fileno(fo), 1) >= 0);
	assert_true(dup2(fileno(fe), 2) >= 0);
	c.rc = cli_run(cmd, path, argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	cap_read(c.out, fo);
	cap_read(c.err, fe);
	return &c;
}

/* s starts with the literal lit. */
#define assert_starts(s, lit)	assert_true(strncmp((s), (lit), \
				    strlen(lit)) == 0)

#define RUN(cmd, path, ...)	cap_run((cmd), (path), \
				    (char *[]){ __VA_ARGS__, NULL })

/* ---- a command with every kind of option ------------------------------ */

static int		 t_flag, t_verbose, t_int, t_fn_calls, t_runs;
static const char	*t_str, *t_list[3], *t_short, *t_fn_val;
static size_t		 t_nlist;
static int		 t_nargs;
static char		*t_args[64];

static void
reset(void)
{
	t_flag = t_verbose = t_fn_calls = t_runs = 0;
	t_int = -1;
	t_str = t_short = t_fn_val = NULL;
	memset(t_list, 0, sizeof(t_list));
	t_nlist = 0;
	t_nargs = -1;
	memset(t_args, 0, sizeof(t_args));
}

static int
t_run(int nargs, char **args)
{
	int	i;

	t_runs++;
	t_nargs = nargs;
	for (i = 0; i < nargs && i < 64; i++)
		t_args[i] = args[i];
	return 42;
}

/* Accepts "good" and "fine"; "silent" fails without a reason. */
static int
t_fn(const char *v, void *dst, char *why, size_t whylen)
{
	t_fn_calls++;
	if (strcmp(v, "silent") == 0)
		return -1;
	if (strcmp(v, "good") != 0 && strcmp(v, "fine") != 0) {
		snprintf(why, whylen, "'%s' is not good", v);
		return -1;
	}
	*(const char **)dst = v;
	return 0;
}

static const struct cli_opt	t_opts[] = {
	{ .name = "flag", .alias = 'f', .kind = CLI_OPT_FLAG, .dst = &t_flag,
	    .help = "a flag" },
	{ .name = "verbose", .alias = 'v', .kind = CLI_OPT_FLAG,
	    .dst = &t_verbose, .lo = 7, .help = "a flag set to 7" },
	{ .name = "name", .alias = 'n', .kind = CLI_OPT_STR, .dst = &t_str,
	    .value = "NAME", .help = "a string" },
	{ .name = "count", .alias = 'c', .kind = CLI_OPT_INT, .dst = &t_int,
	    .value = "N", .help = "an int", .lo = -5, .hi = 10 },
	{ .name = "to", .alias = 't', .kind = CLI_OPT_LIST, .dst = t_list,
	    .count = &t_nlist, .hi = 3, .value = "PEER", .help = "a list" },
	{ .name = "tone", .kind = CLI_OPT_STR, .dst = &t_short,
	    .value = "T", .help = "shares a prefix with --to" },
	{ .name = "check", .kind = CLI_OPT_FN, .dst = &t_fn_val,
	    .fn = t_fn, .value = "WORD", .help = "checked by a function" },
	{ .alias = 'x', .kind = CLI_OPT_STR, .dst = &t_short,
	    .value = "X", .help = "short only" },
	{ .name = NULL }
};

static const struct cli_cmd	t_cmd = {
	.name = "t", .run = t_run, .opts = t_opts, .min_args = 1,
	.max_args = 3, .synopsis = "[options] ARG...",
	.text = "A command for the tests.\n"
};

/* ---- flags, strings, ints, lists, functions ---------------------------- */

static void
test_flags(void **state)
{
	struct cap	*c;

	reset();
	c = RUN(&t_cmd, "t", "t", "--flag", "a");
	assert_int_equal(c->rc, 42);
	assert_int_equal(t_flag, 1);
	assert_int_equal(t_verbose, 0);
	assert_string_equal(c->out, "");
	assert_string_equal(c->err, "");

	reset();
	c = RUN(&t_cmd, "t", "t", "a", "-v");
	assert_int_equal(c->rc, 42);
	assert_int_equal(t_verbose, 7);	/* .lo is the value set */
	assert_int_equal(t_flag, 0);

	/* Bundled short flags. */
	reset();
	c = RUN(&t_cmd, "t", "t", "-fv", "a");
	assert_int_equal(c->rc, 42);
	assert_int_equal(t_flag, 1);
	assert_int_equal(t_verbose, 7);

	/* A flag takes no value. */
	reset();
	c = RUN(&t_cmd, "t", "t", "--flag=yes", "a");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_int_equal(t_runs, 0);
	assert_string_equal(c->out, "");
	assert_non_null(strstr(c->err, "threatex t: --flag takes no value\n"));
	assert_non_null(strstr(c->err, "usage: threatex [-d DIR] t "));
}

static void
test_strings(void **state)
{
	struct cap	*c;

	reset();
	c = RUN(&t_cmd, "t", "t", "--name", "alice", "a");
	assert_int_equal(c->rc, 42);
	assert_string_equal(t_str, "alice");
	assert_int_equal(t_nargs, 1);
	assert_string_equal(t_args[0], "a");

	/* --name=value, and the last one given wins. */
	reset();
	c = RUN(&t_cmd, "t", "t", "--name=bob", "a", "--name=carol=x");
	assert_int_equal(c->rc, 42);
	assert_string_equal(t_str, "carol=x");

	/* An empty inline value is a value. */
	reset();
	c = RUN(&t_cmd, "t", "t", "--name=", "a");
	assert_int_equal(c->rc, 42);
	assert_string_equal(t_str, "");

	/* Short: separate and attached. */
	reset();
	c = RUN(&t_cmd, "t", "t", "-n", "dave", "a");
	assert_string_equal(t_str, "dave");
	reset();
	c = RUN(&t_cmd, "t", "t", "-neve", "a");
	assert_int_equal(c->rc, 42);
	assert_string_equal(t_str, "eve");

	/* A flag bundled before an option with a value. */
	reset();
	c = RUN(&t_cmd, "t", "t", "-fn", "frank", "a");
	assert_int_equal(c->rc, 42);
	assert_int_equal(t_flag, 1);
	assert_string_equal(t_str, "frank");

	/* A value may start with '-' (getopt does the same). */
	reset();
	c = RUN(&t_cmd, "t", "t", "--name", "-x", "a");
	assert_int_equal(c->rc, 42);
	assert_string_equal(t_str, "-x");
	assert_null(t_short);
	reset();
	c = RUN(&t_cmd, "t", "t", "--name", "--", "a");
	assert_int_equal(c->rc, 42);
	assert_string_equal(t_str, "--");

	/* A short-only option. */
	reset();
	c = RUN(&t_cmd, "t", "t", "-x", "xv", "a");
	assert_int_equal(c->rc, 42);
	assert_string_equal(t_short, "xv");
}

static void
test_ints(void **state)
{
	static const struct {
		const char	*v;
		int		 ok, want;
	} cases[] = {
		{ "0", 1, 0 }, { "10", 1, 10 }, { "-5", 1, -5 },
		{ "007", 1, 7 }, { "11", 0, 0 }, { "-6", 0, 0 },
		{ "", 0, 0 }, { "3x", 0, 0 }, { "x3", 0, 0 },
		{ "99999999999999999999", 0, 0 },
		{ "-99999999999999999999", 0, 0 }, { "2147483648", 0, 0 },
	};
	struct cap	*c;
	size_t		 i;
	char		 arg[64];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		reset();
		snprintf(arg, sizeof(arg), "--count=%s", cases[i].v);
		c = RUN(&t_cmd, "t", "t", arg, "a");
		if (cases[i].ok) {
			assert_int_equal(c->rc, 42);
			assert_int_equal(t_int, cases[i].want);
		} else {
			assert_int_equal(c->rc, CLI_USAGE);
			assert_int_equal(t_runs, 0);
			assert_int_equal(t_int, -1);	/* untouched */
			assert_non_null(strstr(c->err,
			    "threatex t: --count must be -5-10\n"));
		}
	}
	/* Separate value and short form. */
	reset();
	c = RUN(&t_cmd, "t", "t", "-c", "4", "a");
	assert_int_equal(c->rc, 42);
	assert_int_equal(t_int, 4);
	reset();
	c = RUN(&t_cmd, "t", "t", "-c4", "a");
	assert_int_equal(t_int, 4);
}

static void
test_lists(void **state)
{
	struct cap	*c;

	reset();
	c = RUN(&t_cmd, "t", "t", "--to", "p1", "a", "-t", "p2", "--to=p3");
	assert_int_equal(c->rc, 42);
	assert_int_equal(t_nlist, 3);
	assert_string_equal(t_list[0], "p1");
	assert_string_equal(t_list[1], "p2");
	assert_string_equal(t_list[2], "p3");
	assert_int_equal(t_nargs, 1);

	/* The cap: a fourth value is refused, never written past the end. */
	reset();
	c = RUN(&t_cmd, "t", "t", "--to", "p1", "--to", "p2", "--to", "p3",
	    "--to", "p4", "a");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_int_equal(t_runs, 0);
	assert_int_equal(t_nlist, 3);
	assert_non_null(strstr(c->err, "threatex t: at most 3 --to\n"));
}

static void
test_fn(void **state)
{
	struct cap	*c;

	reset();
	c = RUN(&t_cmd, "t", "t", "--check", "good", "a");
	assert_int_equal(c->rc, 42);
	assert_int_equal(t_fn_calls, 1);
	assert_string_equal(t_fn_val, "good");

	reset();
	c = RUN(&t_cmd, "t", "t", "--check=bad", "a");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_int_equal(t_runs, 0);
	assert_null(t_fn_val);
	assert_non_null(strstr(c->err, "threatex t: 'bad' is not good\n"));

	/* No reason given: a generic one. */
	reset();
	c = RUN(&t_cmd, "t", "t", "--check", "silent", "a");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_non_null(strstr(c->err, "threatex t: bad --check\n"));
}

/* ---- long prefixes ----------------------------------------------------- */

static void
test_prefixes(void **state)
{
	struct cap	*c;

	/* A unique prefix names its option, as with getopt_long. */
	reset();
	c = RUN(&t_cmd, "t", "t", "--na", "zed", "--fl", "--coun=3", "a");
	assert_int_equal(c->rc, 42);
	assert_string_equal(t_str, "zed");
	assert_int_equal(t_flag, 1);
	assert_int_equal(t_int, 3);

	/* An exact name wins over the longer names it is a prefix of. */
	reset();
	c = RUN(&t_cmd, "t", "t", "--to", "p1", "a");
	assert_int_equal(c->rc, 42);
	assert_int_equal(t_nlist, 1);
	assert_null(t_short);

	/* "--t" is --to or --tone: ambiguous. */
	reset();
	c = RUN(&t_cmd, "t", "t", "--t", "p1", "a");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_int_equal(t_runs, 0);
	assert_non_null(strstr(c->err, "threatex t: ambiguous option --t\n"));

	/* A longer text than any name is unknown. */
	reset();
	c = RUN(&t_cmd, "t", "t", "--flags", "a");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_non_null(strstr(c->err, "unknown option --flags\n"));
}

/* ---- arguments, "--" and "-" -------------------------------------------- */

static void
test_mixed(void **state)
{
	struct cap	*c;

	reset();
	c = RUN(&t_cmd, "t", "t", "one", "--flag", "two", "--name", "n",
	    "three");
	assert_int_equal(c->rc, 42);
	assert_int_equal(t_nargs, 3);
	assert_string_equal(t_args[0], "one");
	assert_string_equal(t_args[1], "two");
	assert_string_equal(t_args[2], "three");
	assert_int_equal(t_flag, 1);
	assert_string_equal(t_str, "n");
}

static void
test_dashdash(void **state)
{
	struct cap	*c;

	/* After "--" everything is an argument: options and help too. */
	reset();
	c = RUN(&t_cmd, "t", "t", "--flag", "--", "--name", "--help", "-h");
	assert_int_equal(c->rc, 42);
	assert_int_equal(t_flag, 1);
	assert_null(t_str);
	assert_int_equal(t_nargs, 3);
	assert_string_equal(t_args[0], "--name");
	assert_string_equal(t_args[1], "--help");
	assert_string_equal(t_args[2], "-h");
	assert_string_equal(c->out, "");

	/* A second "--" is an argument. */
	reset();
	c = RUN(&t_cmd, "t", "t", "--", "--", "a");
	assert_int_equal(c->rc, 42);
	assert_int_equal(t_nargs, 2);
	assert_string_equal(t_args[0], "--");

	/* "-" alone is an argument (stdin), before or after options. */
	reset();
	c = RUN(&t_cmd, "t", "t", "-", "--flag", "-");
	assert_int_equal(c->rc, 42);
	assert_int_equal(t_nargs, 2);
	assert_string_equal(t_args[0], "-");
	assert_string_equal(t_args[1], "-");
}

static void
test_arg_bounds(void **state)
{
	struct cap	*c;

	reset();
	c = RUN(&t_cmd, "t", "t", "--flag");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_int_equal(t_runs, 0);
	assert_non_null(strstr(c->err, "threatex t: too few arguments\n"));
	assert_string_equal(c->out, "");

	reset();
	c = RUN(&t_cmd, "t", "t", "a", "b", "c", "d");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_int_equal(t_runs, 0);
	assert_non_null(strstr(c->err, "threatex t: too many arguments\n"));

	/* The bounds count arguments after "--" too. */
	reset();
	c = RUN(&t_cmd, "t", "t", "--", "a", "b", "c", "d");
	assert_int_equal(c->rc, CLI_USAGE);

	reset();
	c = RUN(&t_cmd, "t", "t", "a", "b", "c");
	assert_int_equal(c->rc, 42);
	assert_int_equal(t_nargs, 3);
}

/* ---- help ---------------------------------------------------------------- */

static void
assert_help(const struct cap *c)
{
	assert_int_equal(c->rc, CLI_OK);
	assert_int_equal(t_runs, 0);
	assert_string_equal(c->err, "");
	assert_starts(c->out, "usage: threatex [-d DIR] t [options] "
	    "ARG...\n");
}

static void
test_help_anywhere(void **state)
{
	reset();
	assert_help(RUN(&t_cmd, "t", "t", "--help"));
	reset();
	assert_help(RUN(&t_cmd, "t", "t", "-h"));
	/* After arguments and options, even with too few arguments. */
	reset();
	assert_help(RUN(&t_cmd, "t", "t", "a", "--flag", "--help", "b"));
	reset();
	assert_help(RUN(&t_cmd, "t", "t", "--help", "--bogus"));
	/* Where a value is expected: help, never taken as the value. */
	reset();
	assert_help(RUN(&t_cmd, "t", "t", "a", "--name", "--help"));
	assert_null(t_str);
	reset();
	assert_help(RUN(&t_cmd, "t", "t", "a", "-n", "-h"));
	assert_null(t_str);
	/* In a bundle of short flags. */
	reset();
	assert_help(RUN(&t_cmd, "t", "t", "-fh"));
	/* Too many arguments do not hide it. */
	reset();
	assert_help(RUN(&t_cmd, "t", "t", "a", "b", "c", "d", "e", "-h"));
}

static void
test_help_text(void **state)
{
	static const struct cli_opt	opts[] = {
		{ .name = "json", .kind = CLI_OPT_FLAG, .dst = &t_flag,
		    .help = "JSON lines" },
		{ .name = "peer", .alias = 'p', .kind = CLI_OPT_STR,
		    .dst = &t_str, .value = "NAME", .help = "one peer" },
		{ .name = "a-rather-long-option", .kind = CLI_OPT_STR,
		    .dst = &t_str, .value = "VALUE", .help = "wraps" },
		{ .alias = 'd', .kind = CLI_OPT_STR, .dst = &t_str,
		    .value = "DIR", .help = "short only" },
		{ .name = "wide", .kind = CLI_OPT_FLAG, .dst = &t_flag,
		    .help = "a help text long enough that it has to be "
		    "wrapped   onto a second line, at a space, never in "
		    "a-word-which-is-longer-than-the-room-there-is-on-"
		    "one-line" },
		{ .name = NULL }
	};
	static const struct cli_cmd	cmd = {
		.name = "demo", .run = t_run, .opts = opts,
		.synopsis = "[--json] FILE", .min_args = 1, .max_args = 1,
		.text = "Does a thing.\n"
	};
	struct cap	*c;

	reset();
	c = RUN(&cmd, "outer demo", "demo", "--help");
	assert_int_equal(c->rc, CLI_OK);
	assert_string_equal(c->out,
	    "usage: threatex [-d DIR] outer demo [--json] FILE\n"
	    "\n"
	    "Does a thing.\n"
	    "\n"
	    "options:\n"
	    "  --json                 JSON lines\n"
	    "  -p, --peer NAME        one peer\n"
	    "  --a-rather-long-option VALUE\n"
	    "                         wraps\n"
	    "  -d DIR                 short only\n"
	    "  --wide                 a help text long enough that it has "
	    "to be wrapped onto\n"		/* 79 columns */
	    "                         a second line, at a space, never in\n"
	    "                         a-word-which-is-longer-than-the-room-"
	    "there-is-on-one-line\n"
	    "  -h, --help             this text\n");
}

/* ---- errors -------------------------------------------------------------- */

static void
test_unknown(void **state)
{
	struct cap	*c;

	reset();
	c = RUN(&t_cmd, "t", "t", "a", "--bogus");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_int_equal(t_runs, 0);
	assert_string_equal(c->out, "");
	assert_starts(c->err, "threatex t: unknown option --bogus\n"
	    "usage: threatex [-d DIR] t [options] ARG...\n");

	reset();
	c = RUN(&t_cmd, "t", "t", "a", "--bogus=1");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_non_null(strstr(c->err, "unknown option --bogus=1\n"));

	reset();
	c = RUN(&t_cmd, "t", "t", "-q", "a");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_non_null(strstr(c->err, "threatex t: unknown option -q\n"));

	/* The unknown one inside a bundle is named; flags before it are
	 * set, but nothing runs. */
	reset();
	c = RUN(&t_cmd, "t", "t", "-fq", "a");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_int_equal(t_runs, 0);
	assert_non_null(strstr(c->err, "threatex t: unknown option -q\n"));

	/* "--=x" names no option. */
	reset();
	c = RUN(&t_cmd, "t", "t", "--=x", "a");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_non_null(strstr(c->err, "unknown option --=x\n"));

	/* An option the command does not have, on a command without any. */
	{
		static const struct cli_cmd bare = { .name = "bare",
		    .run = t_run, .max_args = -1 };

		reset();
		c = RUN(&bare, "bare", "bare", "--flag");
		assert_int_equal(c->rc, CLI_USAGE);
		assert_non_null(strstr(c->err, "threatex bare: unknown "
		    "option --flag\n"));
		reset();
		c = RUN(&bare, "bare", "bare", "x", "-", "y");
		assert_int_equal(c->rc, 42);
		assert_int_equal(t_nargs, 3);
	}
}

static void
test_hostile_option(void **state)
{
	struct cap	*c;
	const char	*p;

	/* Control bytes in an unknown option's name are shown escaped. */
	reset();
	c = RUN(&t_cmd, "t", "t", "--x\x1b[2J\n\x07", "a");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_non_null(strstr(c->err,
	    "unknown option --x\\x1b[2J\\n\\x07\n"));
	for (p = c->err; *p != '\0'; p++)
		assert_true(*p == '\n' || (*p >= 0x20 && *p != 0x7f));

	reset();
	c = RUN(&t_cmd, "t", "t", "-\x1b", "a");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_non_null(strstr(c->err, "unknown option -\\x1b\n"));
}

static void
test_missing_value(void **state)
{
	struct cap	*c;

	reset();
	c = RUN(&t_cmd, "t", "t", "a", "--name");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_int_equal(t_runs, 0);
	assert_non_null(strstr(c->err, "threatex t: --name needs a value\n"));

	reset();
	c = RUN(&t_cmd, "t", "t", "a", "-c");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_non_null(strstr(c->err, "threatex t: --count needs a value\n"));

	/* A short-only option is named as it is written. */
	reset();
	c = RUN(&t_cmd, "t", "t", "a", "-x");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_non_null(strstr(c->err, "threatex t: -x needs a value\n"));
}

/* ---- many arguments ------------------------------------------------------ */

static void
test_many_args(void **state)
{
	static const struct cli_cmd	any = { .name = "any", .run = t_run,
	    .opts = t_opts, .max_args = -1 };
	enum { N = 20000 };
	char	**argv;
	int	  i, rc;

	assert_non_null(argv = calloc(N + 1, sizeof(*argv)));
	argv[0] = "any";
	for (i = 1; i < N; i++)
		argv[i] = i % 2 ? "-f" : "x";
	reset();
	rc = cli_run(&any, "any", N, argv);
	assert_int_equal(rc, 42);
	assert_int_equal(t_nargs, (N - 1) / 2);
	assert_int_equal(t_flag, 1);
	free(argv);
}

/* ---- cli_parse -------------------------------------------------------- */

static void
test_cli_parse(void **state)
{
	char	*argv[] = { "t", "x", "--name", "v", "-", "--", "-f",
	    NULL };
	char	*args[8];
	int	 nargs = -1;

	reset();
	assert_int_equal(cli_parse(&t_cmd, "t", 7, argv, args, &nargs), -1);
	assert_int_equal(nargs, 3);
	assert_string_equal(args[0], "x");
	assert_string_equal(args[1], "-");
	assert_string_equal(args[2], "-f");
	assert_string_equal(t_str, "v");
	assert_int_equal(t_flag, 0);
	assert_int_equal(t_runs, 0);	/* parsing only */
}

/* ---- nested subcommands ---------------------------------------------- */

static int		 p_global, p_hook_calls, p_hook_rc, m_argc, m_null;
static char		*m_argv[8];
static const char	*p_dir;

static int
p_hook(int nargs, char **args)
{
	p_hook_calls++;
	return p_hook_rc;
}

/* A command that takes its argv as it is. */
static int
m_main(int argc, char **argv)
{
	int	i;

	m_argc = argc;
	for (i = 0; i < argc && i < 8; i++)
		m_argv[i] = argv[i];
	m_null = argv[argc] == NULL;	/* asserted once not captured */
	return 17;
}

static const struct cli_cmd	leaf_subs[] = {
	{ .name = "leaf", .run = t_run, .opts = t_opts, .min_args = 1,
	    .max_args = 1, .summary = "the leaf", .synopsis = "[--flag] ARG",
	    .text = "Leaf text.\n" },
	{ .name = NULL }
};

static const struct cli_cmd	mid_subs[] = {
	{ .name = "branch", .sub = leaf_subs, .summary = "a branch",
	    .synopsis = "leaf ..." },
	{ .name = "raw", .main = m_main, .summary = "parses its own argv" },
	{ .name = "plain", .run = t_run, .max_args = -1,
	    .summary = "no options" },
	{ .name = NULL }
};

static const struct cli_opt	p_opts[] = {
	{ .name = "global", .alias = 'g', .kind = CLI_OPT_FLAG,
	    .dst = &p_global, .help = "a global flag" },
	{ .alias = 'd', .kind = CLI_OPT_STR, .dst = &p_dir, .value = "DIR",
	    .help = "a directory" },
	{ .name = NULL }
};

static const struct cli_cmd	top = {
	.name = "threatex", .run = p_hook, .opts = p_opts, .sub = mid_subs,
	.synopsis = "[-d DIR] COMMAND [ARGS...]", .text = "Top text.\n"
};

static void
reset_nested(void)
{
	reset();
	p_global = p_hook_calls = m_argc = m_null = 0;
	p_hook_rc = -1;
	p_dir = NULL;
	memset(m_argv, 0, sizeof(m_argv));
}

static void
test_nested_dispatch(void **state)
{
	struct cap	*c;

	reset_nested();
	c = RUN(&top, "", "threatex", "-d", "/n", "-g", "branch", "leaf",
	    "--flag", "arg");
	assert_int_equal(c->rc, 42);
	assert_string_equal(p_dir, "/n");
	assert_int_equal(p_global, 1);
	assert_int_equal(p_hook_calls, 1);
	assert_int_equal(t_flag, 1);
	assert_int_equal(t_nargs, 1);
	assert_string_equal(t_args[0], "arg");

	/* The parent's options end at the subcommand's name: a later -g
	 * is the leaf's (unknown there), and -d after it is not the
	 * parent's. */
	reset_nested();
	c = RUN(&top, "", "threatex", "branch", "leaf", "-g", "x");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_int_equal(p_global, 0);
	assert_non_null(strstr(c->err,
	    "threatex branch leaf: unknown option -g\n"));

	/* "--" before the subcommand's name. */
	reset_nested();
	c = RUN(&top, "", "threatex", "-g", "--", "plain", "--flag");
	assert_int_equal(c->rc, CLI_USAGE);	/* plain has no --flag */
	assert_int_equal(p_global, 1);
	reset_nested();
	c = RUN(&top, "", "threatex", "--", "plain", "--", "--flag");
	assert_int_equal(c->rc, 42);
	assert_int_equal(t_nargs, 1);
	assert_string_equal(t_args[0], "--flag");
}

static void
test_nested_main(void **state)
{
	struct cap	*c;

	/* Handed over as it is: its name first, its --help its own. */
	reset_nested();
	c = RUN(&top, "", "threatex", "-g", "raw", "--help", "-x", "--", "y");
	assert_int_equal(c->rc, 17);
	assert_string_equal(c->out, "");
	assert_int_equal(m_argc, 5);
	assert_true(m_null);
	assert_string_equal(m_argv[0], "raw");
	assert_string_equal(m_argv[1], "--help");
	assert_string_equal(m_argv[2], "-x");
	assert_string_equal(m_argv[3], "--");
	assert_string_equal(m_argv[4], "y");

	reset_nested();
	c = RUN(&top, "", "threatex", "raw");
	assert_int_equal(c->rc, 17);
	assert_int_equal(m_argc, 1);
}

static void
test_nested_help(void **state)
{
	struct cap	*c;

	/* Top level: its commands listed, on stdout, exit 0. */
	reset_nested();
	c = RUN(&top, "", "threatex", "--help");
	assert_int_equal(c->rc, CLI_OK);
	assert_string_equal(c->err, "");
	assert_string_equal(c->out,
	    "usage: threatex [-d DIR] COMMAND [ARGS...]\n"
	    "\n"
	    "Top text.\n"
	    "\n"
	    "commands:\n"
	    "  branch     a branch\n"
	    "  raw        parses its own argv\n"
	    "  plain      no options\n"
	    "\n"
	    "options:\n"
	    "  -g, --global           a global flag\n"
	    "  -d DIR                 a directory\n"
	    "  -h, --help             this text\n");
	assert_int_equal(p_hook_calls, 0);

	/* The middle level. */
	reset_nested();
	c = RUN(&top, "", "threatex", "branch", "-h");
	assert_int_equal(c->rc, CLI_OK);
	assert_string_equal(c->err, "");
	assert_starts(c->out, "usage: threatex [-d DIR] branch leaf "
	    "...\n");
	assert_non_null(strstr(c->out, "commands:\n  leaf       the leaf\n"));

	/* The leaf, --help after its argument. */
	reset_nested();
	c = RUN(&top, "", "threatex", "branch", "leaf", "x", "--help");
	assert_int_equal(c->rc, CLI_OK);
	assert_int_equal(t_runs, 0);
	assert_string_equal(c->err, "");
	assert_starts(c->out, "usage: threatex [-d DIR] branch leaf "
	    "[--flag] ARG\n\nLeaf text.\n");

	/* --help after "--" at the leaf is its argument. */
	reset_nested();
	c = RUN(&top, "", "threatex", "branch", "leaf", "--", "--help");
	assert_int_equal(c->rc, 42);
	assert_string_equal(t_args[0], "--help");
	assert_string_equal(c->out, "");
}

static void
test_nested_errors(void **state)
{
	struct cap	*c;

	/* No command: the usage on stderr, 2. */
	reset_nested();
	c = RUN(&top, "", "threatex");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_string_equal(c->out, "");
	assert_starts(c->err, "usage: threatex [-d DIR] COMMAND");
	reset_nested();
	c = RUN(&top, "", "threatex", "branch");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_starts(c->err, "usage: threatex [-d DIR] branch");

	/* Unknown commands at each level, named (escaped) in the reason. */
	reset_nested();
	c = RUN(&top, "", "threatex", "nosuch");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_starts(c->err, "threatex: unknown command 'nosuch'\n"
	    "usage: threatex [-d DIR] COMMAND");
	reset_nested();
	c = RUN(&top, "", "threatex", "branch", "twig\t\x1b");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_non_null(strstr(c->err, "threatex branch: unknown command "
	    "'twig\\t\\x1b'\n"));
	assert_int_equal(t_runs, 0);

	/* An unknown option of the parent; a missing value of the parent. */
	reset_nested();
	c = RUN(&top, "", "threatex", "--bogus", "plain");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_non_null(strstr(c->err, "threatex: unknown option --bogus\n"));
	reset_nested();
	c = RUN(&top, "", "threatex", "-d");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_non_null(strstr(c->err, "threatex: -d needs a value\n"));

	/* A subcommand's name must be whole: no prefixes. */
	reset_nested();
	c = RUN(&top, "", "threatex", "pla");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_int_equal(t_runs, 0);
}

static void
test_nested_hook(void **state)
{
	struct cap	*c;

	/* The parent's hook ends the command with what it returns... */
	reset_nested();
	p_hook_rc = 5;
	c = RUN(&top, "", "threatex", "-g", "plain");
	assert_int_equal(c->rc, 5);
	assert_int_equal(p_hook_calls, 1);
	assert_int_equal(t_runs, 0);
	/* ...even without a subcommand (threatex --version). */
	reset_nested();
	p_hook_rc = 0;
	c = RUN(&top, "", "threatex", "-g");
	assert_int_equal(c->rc, 0);
	assert_string_equal(c->err, "");
	/* -1 goes on. */
	reset_nested();
	c = RUN(&top, "", "threatex", "plain", "a");
	assert_int_equal(c->rc, 42);
	assert_int_equal(p_hook_calls, 1);
}

static void
test_nothing_to_run(void **state)
{
	static const struct cli_cmd	empty = { .name = "empty" };
	struct cap			*c;

	c = RUN(&empty, "empty", "empty");
	assert_int_equal(c->rc, CLI_FAIL);
	assert_non_null(strstr(c->err, "threatex empty: nothing to run\n"));
}

/* An unknown command names the nearest one, and only a near one. */
static void
test_unknown_command_suggests(void **state)
{
	struct cap	*c;

	reset_nested();
	c = RUN(&top, "", "threatex", "brnach", "leaf", "x");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_non_null(strstr(c->err, "threatex: unknown command 'brnach' "
	    "(did you mean branch?)\n"));
	reset_nested();
	c = RUN(&top, "", "threatex", "pla");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_non_null(strstr(c->err, "(did you mean plain?)"));
	reset_nested();
	c = RUN(&top, "", "threatex", "branch", "lef", "x");
	assert_non_null(strstr(c->err, "threatex branch: unknown command "
	    "'lef' (did you mean leaf?)\n"));
	/* Nothing near: no suggestion. */
	reset_nested();
	c = RUN(&top, "", "threatex", "zzzzzz");
	assert_int_equal(c->rc, CLI_USAGE);
	assert_non_null(strstr(c->err, "unknown command 'zzzzzz'\n"));
	assert_null(strstr(c->err, "did you mean"));
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_ints),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_fn),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_dashdash),
		cmocka_unit_test(test_arg_bounds),
		cmocka_unit_test(test_help_anywhere),
		cmocka_unit_test(test_help_text),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_hostile_option),
		cmocka_unit_test(test_missing_value),
		cmocka_unit_test(test_many_args),
		cmocka_unit_test(test_cli_parse),
		cmocka_unit_test(test_nested_dispatch),
		cmocka_unit_test(test_nested_main),
		cmocka_unit_test(test_nested_help),
		cmocka_unit_test(test_nested_errors),
		cmocka_unit_test(test_nested_hook),
		cmocka_unit_test(test_nothing_to_run),
		cmocka_unit_test(test_unknown_command_suggests),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
