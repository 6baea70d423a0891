/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_pattern.c - "threatex pattern check|print|extract [--json]
 * PATTERN|-": validate STIX 2.1 patterns, print their canonical form, or
 * list the equality comparisons the lookup index would take from them.
 *
 * Input is untrusted text from the command line or stdin (one pattern a
 * line); everything is parsed by stix/pattern. Plain output is
 * tab-separated with tabs, CR and LF inside fields written as \t \r \n.
 */
#include "cli.h"
#include "opt.h"
#include "pattern.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum pat_mode { PAT_CHECK, PAT_PRINT, PAT_EXTRACT };

struct pat_opts {
	enum pat_mode	mode;
	int		json;
};

/* A field of a tab-separated line. */
static void
put_field(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\t')
			fputs("\\t", stdout);
		else if (*s == '\n')
			fputs("\\n", stdout);
		else if (*s == '\r')
			fputs("\\r", stdout);
		else
			putchar(*s);
	}
}

int
cli_pattern_parse(struct pattern **out, const char *in, int json)
{
	struct tx_err	err;
	size_t		pos = 0;
	int		rc;

	tx_err_clear(&err);
	rc = pattern_parse_pos(out, in, strlen(in), &pos, &err);
	if (rc == TX_ENOMEM) {
		fprintf(stderr, "threatex: out of memory\n");
		return CLI_FAIL;
	}
	if (rc < 0) {
		if (json)
			cli_put_json(json_pack("{s:s, s:s, s:I, s:s}", "verdict",
			    "invalid", "pattern", in, "pos", (json_int_t)pos,
			    "error", err.msg));
		else {
			printf("invalid\t%zu\t", pos);
			put_field(err.msg);
			putchar('\n');
		}
		return CLI_REFUSED;
	}
	return CLI_OK;
}

static int
extract_plain(const char *type, const char *path, const char *value,
    void *payload)
{
	put_field(type);
	putchar('\t');
	put_field(path);
	putchar('\t');
	put_field(value);
	putchar('\n');
	return 0;
}

static int
extract_json(const char *type, const char *path, const char *value,
    void *payload)
{
	json_t	*arr = payload;

	return json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "type",
	    type, "path", path, "value", value)) == 0 ? 0 : TX_ENOMEM;
}

static int
pattern_one(const char *in, void *payload)
{
	const struct pat_opts	*o = payload;
	struct pattern		*p = NULL;
	struct tx_err		 err;
	struct tx_buf		 b;
	json_t			*arr;
	int			 rc, ret = CLI_OK;

	tx_err_clear(&err);
	tx_buf_init(&b, 4 * PATTERN_MAX_LEN);
	if ((rc = cli_pattern_parse(&p, in, o->json)) != CLI_OK) {
		tx_buf_dispose(&b);
		return rc;
	}
	switch (o->mode) {
	case PAT_CHECK:
		if (o->json)
			cli_put_json(json_pack("{s:s, s:s}", "verdict", "valid",
			    "pattern", in));
		else {
			fputs("valid\t", stdout);
			put_field(in);
			putchar('\n');
		}
		break;
	case PAT_PRINT:
		if (pattern_print(&b, p) < 0) {
			fprintf(stderr, "threatex: canonical form too long\n");
			ret = CLI_FAIL;
			break;
		}
		if (o->json)
			cli_put_json(json_pack("{s:s, s:s}", "verdict", "valid",
			    "canonical", tx_buf_cstr(&b)));
		else {
			put_field(tx_buf_cstr(&b));
			putchar('\n');
		}
		break;
	case PAT_EXTRACT:
		if (!o->json) {
			pattern_extract(p, extract_plain, NULL);
			break;
		}
		if ((arr = json_array()) == NULL ||
		    pattern_extract(p, extract_json, arr) != 0) {
			json_decref(arr);
			fprintf(stderr, "threatex: out of memory\n");
			ret = CLI_FAIL;
			break;
		}
		cli_put_json(json_pack("{s:s, s:s, s:o}", "verdict", "valid",
		    "pattern", in, "comparisons", arr));
		break;
	}
	tx_buf_dispose(&b);
	pattern_free(p);
	return ret;
}

static int	pat_json;

static int
pattern_run(enum pat_mode mode, const char *arg)
{
	struct pat_opts	o = { mode, pat_json };
	int		rc;

	rc = cli_each_input(arg, pattern_one, &o);
	fflush(stdout);
	return rc;
}

static int
pat_check_run(int nargs, char **args)
{
	return pattern_run(PAT_CHECK, args[0]);
}

static int
pat_print_run(int nargs, char **args)
{
	return pattern_run(PAT_PRINT, args[0]);
}

static int
pat_extract_run(int nargs, char **args)
{
	return pattern_run(PAT_EXTRACT, args[0]);
}

static const struct cli_opt	pattern_opts[] = {
	{ .name = "json", .kind = CLI_OPT_FLAG, .dst = &pat_json,
	    .help = "one JSON object a line" },
	{ .name = NULL }
};

#define PATTERN_IN \
	"PATTERN|-: one pattern, or '-' for one per line of stdin.\n"

static const struct cli_cmd	pattern_subs[] = {
	{ .name = "check", .run = pat_check_run, .opts = pattern_opts,
	    .summary = "valid<TAB>PATTERN or invalid<TAB>POSITION<TAB>MESSAGE",
	    .synopsis = "[--json] PATTERN|-", .min_args = 1, .max_args = 1,
	    .text = "Check each pattern: valid<TAB>PATTERN, or\n"
	    "invalid<TAB>POSITION<TAB>MESSAGE (exit 3).\n" PATTERN_IN },
	{ .name = "print", .run = pat_print_run, .opts = pattern_opts,
	    .summary = "the canonical form of each pattern",
	    .synopsis = "[--json] PATTERN|-", .min_args = 1, .max_args = 1,
	    .text = "Print the canonical form of each pattern.\n"
	    PATTERN_IN },
	{ .name = "extract", .run = pat_extract_run, .opts = pattern_opts,
	    .summary = "TYPE<TAB>PATH<TAB>VALUE per '=' / IN comparison",
	    .synopsis = "[--json] PATTERN|-", .min_args = 1, .max_args = 1,
	    .text = "Print TYPE<TAB>PATH<TAB>VALUE for each '=' and IN "
	    "comparison:\nwhat the lookup index takes from the pattern.\n"
	    PATTERN_IN },
	{ .name = NULL }
};

static const struct cli_cmd	pattern_cmd = {
	.name = "pattern", .sub = pattern_subs,
	.synopsis = "check|print|extract [--json] PATTERN|-", .text =
	"Check STIX 2.1 patterns, print their canonical form, or list the\n"
	"comparisons the lookup index takes from them. '-' reads one\n"
	"pattern per line of stdin.\n"
	"exit: 0 all valid, 3 some pattern invalid, 2 usage\n"
};

int
cmd_pattern(int argc, char **argv)
{
	pat_json = 0;
	return cli_run(&pattern_cmd, "pattern", argc, argv);
}
