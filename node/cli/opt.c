/* SPDX-License-Identifier: Apache-2.0 */
/*
 * opt.c - the option tables' parser and usage printer (opt.h). argv is
 * the operator's, but not trusted to be well formed: every loop is
 * bounded by argc and by the tables, values stay pointers into argv, and
 * an unknown option is printed escaped.
 */
#include "opt.h"
#include "nearest.h"
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define OPT_LABEL_WIDTH	22	/* the usage's column of option help */
#define OPT_WIDTH	79	/* ... and where it wraps */

static int
opt_end(const struct cli_opt *o)
{
	return o->name == NULL && o->alias == 0;
}

/* How an option is named in messages: "--name", or "-x" without one. */
static const char *
opt_name(char *dst, size_t len, const struct cli_opt *o)
{
	if (o->name != NULL)
		snprintf(dst, len, "--%s", o->name);
	else
		snprintf(dst, len, "-%c", o->alias);
	return dst;
}

static void
opt_label(char *dst, size_t len, const struct cli_opt *o)
{
	const char	*sp = o->value ? " " : "";
	const char	*v = o->value ? o->value : "";

	if (o->alias != 0 && o->name != NULL)
		snprintf(dst, len, "-%c, --%s%s%s", o->alias, o->name, sp, v);
	else if (o->name != NULL)
		snprintf(dst, len, "--%s%s%s", o->name, sp, v);
	else
		snprintf(dst, len, "-%c%s%s", o->alias, sp, v);
}

/*
 * An option's help from column col (its first line already there), its
 * words wrapped so that no line passes OPT_WIDTH unless one word does;
 * later lines start at col too.
 */
static void
opt_help(FILE *f, const char *s, int col)
{
	size_t	w, used = (size_t)col;

	while (*s != '\0') {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		w = strcspn(s, " ");
		if (used > (size_t)col && used + 1 + w > OPT_WIDTH) {
			fprintf(f, "\n%*s", col, "");
			used = (size_t)col;
		}
		if (used > (size_t)col) {
			fputc(' ', f);
			used++;
		}
		fwrite(s, 1, w, f);
		used += w;
		s += w;
	}
	fputc('\n', f);
}

void
cli_usage(FILE *f, const struct cli_cmd *cmd, const char *path)
{
	const struct cli_opt	*o;
	const struct cli_cmd	*c;
	const char		*syn = cmd->synopsis ? cmd->synopsis : "";
	char			 label[96];

	if (path[0] == '\0')
		fprintf(f, "usage: threatex%s%s\n", syn[0] ? " " : "", syn);
	else
		fprintf(f, "usage: threatex [-d DIR] %s%s%s\n", path,
		    syn[0] ? " " : "", syn);
	if (cmd->text != NULL)
		fprintf(f, "\n%s", cmd->text);
	if (cmd->sub != NULL) {
		fprintf(f, "\ncommands:\n");
		for (c = cmd->sub; c->name != NULL; c++)
			fprintf(f, "  %-10s %s\n", c->name,
			    c->summary ? c->summary : "");
	}
	fprintf(f, "\noptions:\n");
	for (o = cmd->opts; o != NULL && !opt_end(o); o++) {
		opt_label(label, sizeof(label), o);
		if (strlen(label) > OPT_LABEL_WIDTH)
			fprintf(f, "  %s\n  %-*s ", label, OPT_LABEL_WIDTH,
			    "");
		else
			fprintf(f, "  %-*s ", OPT_LABEL_WIDTH, label);
		opt_help(f, o->help ? o->help : "", OPT_LABEL_WIDTH + 3);
	}
	fprintf(f, "  %-*s %s\n", OPT_LABEL_WIDTH, "-h, --help", "this text");
}

int
cli_usage_error(const struct cli_cmd *cmd, const char *path,
    const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "threatex%s%s: ", path[0] ? " " : "", path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	cli_usage(stderr, cmd, path);
	return CLI_USAGE;
}

static int
is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

/*
 * The long option a names (a without its "--": "name" or "name=v"): the
 * one of that name, else the only one it is a prefix of. 0 with *out,
 * -1 unknown, -2 ambiguous. *inline_val the text after '=', or NULL.
 */
static int
opt_long(const struct cli_opt **out, const struct cli_opt *opts,
    const char *a, const char **inline_val)
{
	const struct cli_opt	*o, *hit = NULL;
	size_t			 n = strcspn(a, "=");
	int			 hits = 0;

	*out = NULL;
	*inline_val = a[n] == '=' ? a + n + 1 : NULL;
	if (opts == NULL || n == 0)
		return -1;
	for (o = opts; !opt_end(o); o++) {
		if (o->name == NULL || strncmp(o->name, a, n) != 0)
			continue;
		if (o->name[n] == '\0') {
			*out = o;
			return 0;
		}
		hit = o;
		hits++;
	}
	if (hits > 1)
		return -2;
	*out = hit;
	return hit != NULL ? 0 : -1;
}

static const struct cli_opt *
opt_short(const struct cli_opt *opts, char c)
{
	const struct cli_opt	*o;

	for (o = opts; opts != NULL && !opt_end(o); o++)
		if (o->alias != 0 && o->alias == c)
			return o;
	return NULL;
}

/* Store v as o says: 0, or -1 with the reason in why. */
static int
opt_set(const struct cli_opt *o, const char *v, char *why, size_t whylen)
{
	char	 nm[72], *end;
	long	 l;

	opt_name(nm, sizeof(nm), o);
	switch (o->kind) {
	case CLI_OPT_FLAG:
		*(int *)o->dst = o->lo != 0 ? o->lo : 1;
		return 0;
	case CLI_OPT_STR:
		*(const char **)o->dst = v;
		return 0;
	case CLI_OPT_INT:
		errno = 0;
		l = strtol(v, &end, 10);
		if (v[0] == '\0' || *end != '\0' || errno != 0 || l < o->lo ||
		    l > o->hi) {
			snprintf(why, whylen, "%s must be %d-%d", nm, o->lo,
			    o->hi);
			return -1;
		}
		*(int *)o->dst = (int)l;
		return 0;
	case CLI_OPT_LIST:
		if (o->hi <= 0 || *o->count >= (size_t)o->hi) {
			snprintf(why, whylen, "at most %d %s", o->hi, nm);
			return -1;
		}
		((const char **)o->dst)[(*o->count)++] = v;
		return 0;
	case CLI_OPT_FN:
		why[0] = '\0';
		if (o->fn(v, o->dst, why, whylen) == 0)
			return 0;
		if (why[0] == '\0')
			snprintf(why, whylen, "bad %s", nm);
		return -1;
	}
	snprintf(why, whylen, "bad %s", nm);
	return -1;
}

struct parse {
	const struct cli_cmd	 *cmd;
	const char		 *path;
	int			  argc;
	char			**argv;
	int			  i;	/* the argument being read */
};

/*
 * o's value: v when given inline, else the next argument (which may
 * start with '-', as with getopt, but is never a help request: that
 * prints the usage). -1 when *out is set, else the exit code.
 */
static int
opt_value(struct parse *p, const struct cli_opt *o, const char *v,
    const char **out)
{
	char	nm[72];

	if (v == NULL) {
		if (p->i + 1 >= p->argc)
			return cli_usage_error(p->cmd, p->path,
			    "%s needs a value", opt_name(nm, sizeof(nm), o));
		if (is_help(p->argv[p->i + 1])) {
			cli_usage(stdout, p->cmd, p->path);
			return CLI_OK;
		}
		v = p->argv[++p->i];
	}
	*out = v;
	return -1;
}

static int
opt_apply(struct parse *p, const struct cli_opt *o, const char *v)
{
	char	why[256];

	if (opt_set(o, v, why, sizeof(why)) < 0)
		return cli_usage_error(p->cmd, p->path, "%s", why);
	return -1;
}

/* "--name", "--name=v", "--pre": -1 when taken, else the exit code. */
static int
parse_long(struct parse *p, const char *a)
{
	const struct cli_opt	*o;
	const char		*v;
	char			 esc[256];
	int			 rc;

	rc = opt_long(&o, p->cmd->opts, a + 2, &v);
	if (rc == -2)
		return cli_usage_error(p->cmd, p->path, "ambiguous option %s",
		    cli_esc(esc, sizeof(esc), a));
	if (rc < 0)
		return cli_usage_error(p->cmd, p->path, "unknown option %s",
		    cli_esc(esc, sizeof(esc), a));
	if (o->kind == CLI_OPT_FLAG) {
		if (v != NULL)
			return cli_usage_error(p->cmd, p->path,
			    "--%s takes no value", o->name);
	} else if ((rc = opt_value(p, o, v, &v)) >= 0)
		return rc;
	return opt_apply(p, o, v);
}

/* "-x", "-xVALUE", "-xyz" (flags): -1 when taken, else the exit code. */
static int
parse_short(struct parse *p, const char *a)
{
	const struct cli_opt	*o;
	const char		*s, *v;
	char			 esc[16], one[3] = { '-', 0, 0 };
	int			 rc;

	for (s = a + 1; *s != '\0'; s++) {
		if (*s == 'h') {
			cli_usage(stdout, p->cmd, p->path);
			return CLI_OK;
		}
		if ((o = opt_short(p->cmd->opts, *s)) == NULL) {
			one[1] = *s;
			return cli_usage_error(p->cmd, p->path,
			    "unknown option %s", cli_esc(esc, sizeof(esc),
			    one));
		}
		if (o->kind == CLI_OPT_FLAG) {
			if ((rc = opt_apply(p, o, NULL)) >= 0)
				return rc;
			continue;
		}
		if ((rc = opt_value(p, o, s[1] != '\0' ? s + 1 : NULL,
		    &v)) >= 0)
			return rc;
		return opt_apply(p, o, v);
	}
	return -1;
}

/*
 * Options and arguments of argv[1..argc): arguments to args. With stop,
 * the first argument ends the options and it and all after it are
 * arguments as they are (a parent's options before its subcommand).
 * -1 when the command goes on, else the exit code.
 */
static int
parse(const struct cli_cmd *cmd, const char *path, int argc, char **argv,
    int stop, char **args, int *nargs)
{
	struct parse	 p = { cmd, path, argc, argv, 1 };
	const char	*a;
	int		 rest = 0, rc;

	*nargs = 0;
	for (; p.i < argc; p.i++) {
		a = argv[p.i];
		if (rest || a[0] != '-' || a[1] == '\0') {
			args[(*nargs)++] = argv[p.i];
			if (stop)
				rest = 1;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			rest = 1;
			continue;
		}
		if (is_help(a)) {
			cli_usage(stdout, cmd, path);
			return CLI_OK;
		}
		rc = a[1] == '-' ? parse_long(&p, a) : parse_short(&p, a);
		if (rc >= 0)
			return rc;
	}
	return -1;
}

int
cli_parse(const struct cli_cmd *cmd, const char *path, int argc, char **argv,
    char **args, int *nargs)
{
	int	rc;

	if ((rc = parse(cmd, path, argc, argv, 0, args, nargs)) >= 0)
		return rc;
	if (*nargs < cmd->min_args)
		return cli_usage_error(cmd, path, "too few arguments");
	if (cmd->max_args >= 0 && *nargs > cmd->max_args)
		return cli_usage_error(cmd, path, "too many arguments");
	return -1;
}

/* The options of a command with subcommands, then the subcommand. */
/* The subcommand name nearest to a mistyped one (nearest.h), or NULL. */
static const char *
near_cmd(const struct cli_cmd *sub, const char *word)
{
	const char	*names[64];
	size_t		 n = 0;

	for (; sub->name != NULL && n < 64; sub++)
		names[n++] = sub->name;
	return tx_nearest(word, names, n);
}

static int
run_sub(const struct cli_cmd *cmd, const char *path, int argc, char **argv,
    char **args)
{
	const struct cli_cmd	*c;
	const char		*near;
	char			 sub[128], esc[128];
	int			 nargs, rc;

	if ((rc = parse(cmd, path, argc, argv, 1, args, &nargs)) >= 0)
		return rc;
	if (cmd->run != NULL && (rc = cmd->run(nargs, args)) >= 0)
		return rc;
	if (nargs == 0) {
		cli_usage(stderr, cmd, path);
		return CLI_USAGE;
	}
	for (c = cmd->sub; c->name != NULL; c++) {
		if (strcmp(c->name, args[0]) != 0)
			continue;
		if (c->main != NULL)
			return c->main(nargs, args);
		snprintf(sub, sizeof(sub), "%s%s%s", path, path[0] ? " " : "",
		    c->name);
		return cli_run(c, sub, nargs, args);
	}
	near = near_cmd(cmd->sub, args[0]);
	return cli_usage_error(cmd, path, "unknown command '%s'%s%s%s",
	    cli_esc(esc, sizeof(esc), args[0]), near ? " (did you mean " :
	    "", near ? near : "", near ? "?)" : "");
}

int
cli_run(const struct cli_cmd *cmd, const char *path, int argc, char **argv)
{
	char	**args;
	int	  nargs, rc;

	if (cmd->sub == NULL && cmd->run == NULL) {
		fprintf(stderr, "threatex%s%s: nothing to run\n",
		    path[0] ? " " : "", path);
		return CLI_FAIL;
	}
	/* argv[1..argc) at most, and a NULL after them (getopt wants it). */
	if ((args = calloc((size_t)(argc > 0 ? argc : 1) + 1,
	    sizeof(*args))) == NULL) {
		fprintf(stderr, "threatex: out of memory\n");
		return CLI_FAIL;
	}
	if (cmd->sub != NULL)
		rc = run_sub(cmd, path, argc, argv, args);
	else if ((rc = cli_parse(cmd, path, argc, argv, args, &nargs)) < 0)
		rc = cmd->run(nargs, args);
	free(args);
	return rc;
}
