/* SPDX-License-Identifier: Apache-2.0 */
/*
 * opt.c - the option tables' parser and usage printer.
 */
#include "opt.h"
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void
opt_label(char *dst, size_t len, const struct cli_opt *o)
{
	if (o->alias != 0)
		snprintf(dst, len, "-%c, --%s%s%s", o->alias, o->name,
		    o->value ? " " : "", o->value ? o->value : "");
	else
		snprintf(dst, len, "--%s%s%s", o->name, o->value ? " " : "",
		    o->value ? o->value : "");
}

void
cli_usage(FILE *f, const struct cli_cmd *cmd, const char *path)
{
	const struct cli_opt	*o;
	const struct cli_cmd	*c;
	char			 label[96];

	fprintf(f, "usage: threatex [-d DIR] %s%s%s\n", path,
	    cmd->synopsis && cmd->synopsis[0] ? " " : "",
	    cmd->synopsis ? cmd->synopsis : "");
	if (cmd->text != NULL)
		fprintf(f, "\n%s", cmd->text);
	if (cmd->sub != NULL) {
		fprintf(f, "\ncommands:\n");
		for (c = cmd->sub; c->name != NULL; c++)
			fprintf(f, "  %-10s %s\n", c->name,
			    c->summary ? c->summary : "");
	}
	fprintf(f, "\noptions:\n");
	for (o = cmd->opts; o != NULL && o->name != NULL; o++) {
		opt_label(label, sizeof(label), o);
		if (strlen(label) > 22)
			fprintf(f, "  %s\n  %-22s %s\n", label, "",
			    o->help ? o->help : "");
		else
			fprintf(f, "  %-22s %s\n", label,
			    o->help ? o->help : "");
	}
	fprintf(f, "  %-22s %s\n", "-h, --help", "this text");
}

int
cli_usage_error(const struct cli_cmd *cmd, const char *path,
    const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "threatex %s: ", path);
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

/* The option a names ("--name", "--name=v" or "-x"), or NULL. */
static const struct cli_opt *
opt_find(const struct cli_opt *opts, const char *a, const char **inline_val)
{
	const struct cli_opt	*o;
	size_t			 n;

	*inline_val = NULL;
	if (opts == NULL)
		return NULL;
	if (a[1] == '-') {
		n = strcspn(a + 2, "=");
		for (o = opts; o->name != NULL; o++)
			if (strlen(o->name) == n &&
			    strncmp(o->name, a + 2, n) == 0) {
				if (a[2 + n] == '=')
					*inline_val = a + 3 + n;
				return o;
			}
		return NULL;
	}
	if (a[2] != '\0')
		return NULL;
	for (o = opts; o->name != NULL; o++)
		if (o->alias != 0 && o->alias == a[1])
			return o;
	return NULL;
}

/* Store v as o says: 0, or -1 with the reason in why. */
static int
opt_set(const struct cli_opt *o, const char *v, char *why, size_t whylen)
{
	char	*end;
	long	 l;

	switch (o->kind) {
	case CLI_OPT_FLAG:
		*(int *)o->dst = o->lo != 0 ? o->lo : 1;
		return 0;
	case CLI_OPT_STR:
		*(const char **)o->dst = v;
		return 0;
	case CLI_OPT_INT:
		l = strtol(v, &end, 10);
		if (v[0] == '\0' || *end != '\0' || l < o->lo || l > o->hi) {
			snprintf(why, whylen, "--%s must be %d-%d", o->name,
			    o->lo, o->hi);
			return -1;
		}
		*(int *)o->dst = (int)l;
		return 0;
	case CLI_OPT_LIST:
		if (*o->count >= (size_t)o->hi) {
			snprintf(why, whylen, "at most %d --%s", o->hi,
			    o->name);
			return -1;
		}
		((const char **)o->dst)[(*o->count)++] = v;
		return 0;
	case CLI_OPT_FN:
		why[0] = '\0';
		if (o->fn(v, o->dst, why, whylen) == 0)
			return 0;
		if (why[0] == '\0')
			snprintf(why, whylen, "bad --%s", o->name);
		return -1;
	}
	return -1;
}

int
cli_parse(const struct cli_cmd *cmd, const char *path, int argc, char **argv,
    char **args, int *nargs)
{
	const struct cli_opt	*o;
	const char		*v;
	char			 why[256], esc[256];
	int			 i, rest = 0;

	*nargs = 0;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (rest || a[0] != '-' || a[1] == '\0') {
			args[(*nargs)++] = argv[i];
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
		if ((o = opt_find(cmd->opts, a, &v)) == NULL)
			return cli_usage_error(cmd, path, "unknown option %s",
			    cli_esc(esc, sizeof(esc), a));
		if (o->kind == CLI_OPT_FLAG) {
			if (v != NULL)
				return cli_usage_error(cmd, path, "--%s takes "
				    "no value", o->name);
		} else if (v == NULL) {
			if (i + 1 >= argc || is_help(argv[i + 1]))
				return cli_usage_error(cmd, path, "--%s needs "
				    "a value", o->name);
			v = argv[++i];
		}
		if (opt_set(o, v, why, sizeof(why)) < 0)
			return cli_usage_error(cmd, path, "%s", why);
	}
	if (*nargs < cmd->min_args || (cmd->max_args >= 0 &&
	    *nargs > cmd->max_args))
		return cli_usage_error(cmd, path, *nargs < cmd->min_args ?
		    "too few arguments" : "too many arguments");
	return -1;
}

int
cli_run(const struct cli_cmd *cmd, const char *path, int argc, char **argv)
{
	const struct cli_cmd	*c;
	char			 sub[128], esc[128];
	char			**args;
	int			 nargs, rc;

	if (cmd->sub != NULL) {
		if (argc < 2 || is_help(argv[1])) {
			cli_usage(argc < 2 ? stderr : stdout, cmd, path);
			return argc < 2 ? CLI_USAGE : CLI_OK;
		}
		for (c = cmd->sub; c->name != NULL; c++) {
			if (strcmp(c->name, argv[1]) != 0)
				continue;
			snprintf(sub, sizeof(sub), "%s %s", path, c->name);
			return cli_run(c, sub, argc - 1, argv + 1);
		}
		return cli_usage_error(cmd, path, "unknown command '%s'",
		    cli_esc(esc, sizeof(esc), argv[1]));
	}
	if ((args = calloc((size_t)argc + 1, sizeof(*args))) == NULL) {
		fprintf(stderr, "threatex: out of memory\n");
		return CLI_FAIL;
	}
	if ((rc = cli_parse(cmd, path, argc, argv, args, &nargs)) < 0)
		rc = cmd->run(nargs, args);
	free(args);
	return rc;
}
