/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_match.c - "threatex match [--json] PATTERN|- --observed FILE":
 * evaluate STIX 2.1 patterns against observed data: an observed-data
 * object, a bundle of observed-data and SCOs, a JSON list of them, or one
 * bare SCO. Prints match / no-match per pattern (invalid patterns get
 * invalid<TAB>POSITION<TAB>MESSAGE and exit 3).
 *
 * The file is untrusted: read with jansson under a 16 MiB cap, duplicate
 * keys refused; the matcher caps observations, bindings and regex work.
 * Its messages (and jansson's) may quote the file: printed escaped.
 */
#include "cli.h"
#include "opt.h"
#include "pattern.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MATCH_FILE_MAX	(16 * 1024 * 1024)

struct match_opts {
	json_t	*data;
	int	 json;
};

static int
match_one(const char *in, void *payload)
{
	const struct match_opts	*o = payload;
	struct pattern		*p = NULL;
	struct tx_err		 err;
	char			 esc[4 * TX_ERR_MSG_MAX];
	int			 rc, hit = 0;

	tx_err_clear(&err);
	if ((rc = cli_pattern_parse(&p, in, o->json)) != CLI_OK)
		return rc;
	rc = pattern_match(&hit, p, o->data, &err);
	pattern_free(p);
	if (rc < 0) {
		if (o->json)
			cli_put_json(json_pack("{s:s, s:s, s:s}", "verdict",
			    "error", "pattern", in, "error", err.msg));
		else
			printf("error\t%s\n", cli_esc(esc, sizeof(esc),
			    err.msg));
		return rc == TX_EINVAL || rc == TX_ELIMIT ? CLI_REFUSED :
		    CLI_FAIL;
	}
	if (o->json)
		cli_put_json(json_pack("{s:s, s:s}", "verdict", hit ? "match" :
		    "no-match", "pattern", in));
	else
		puts(hit ? "match" : "no-match");
	return CLI_OK;
}

static json_t *
load_file(const char *path)
{
	struct stat	 st;
	json_error_t	 je;
	json_t		*j;
	char		 esc[4 * JSON_ERROR_TEXT_LENGTH];

	if (stat(path, &st) != 0) {
		fprintf(stderr, "threatex: %s: cannot read\n", path);
		return NULL;
	}
	if (st.st_size > MATCH_FILE_MAX) {
		fprintf(stderr, "threatex: %s: larger than %d bytes\n", path,
		    MATCH_FILE_MAX);
		return NULL;
	}
	j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL)
		fprintf(stderr, "threatex: %s:%d: %s\n", path, je.line,
		    cli_esc(esc, sizeof(esc), je.text));
	return j;
}

static const char	*match_observed;
static int		 match_json;
static const struct cli_cmd	match_cmd;

static int
match_run(int nargs, char **args)
{
	struct match_opts	o = { NULL, match_json };
	int			rc;

	if (match_observed == NULL)
		return cli_usage_error(&match_cmd, "match",
		    "--observed FILE is required");
	if ((o.data = load_file(match_observed)) == NULL)
		return CLI_REFUSED;
	rc = cli_each_input(args[0], match_one, &o);
	json_decref(o.data);
	fflush(stdout);
	return rc;
}

static const struct cli_opt	match_opts[] = {
	{ .name = "json", .kind = CLI_OPT_FLAG, .dst = &match_json,
	    .help = "one JSON object a line" },
	{ .name = "observed", .kind = CLI_OPT_STR, .dst = &match_observed,
	    .value = "FILE", .help = "the observed data (required)" },
	{ .name = NULL }
};

static const struct cli_cmd	match_cmd = {
	.name = "match", .run = match_run, .opts = match_opts,
	.synopsis = "[--json] PATTERN|- --observed FILE",
	.min_args = 1, .max_args = 1, .text =
	"  FILE: observed-data, a bundle with observed-data and SCOs,\n"
	"        a JSON list of objects, or a single SCO\n"
	"  prints match or no-match per pattern (one per stdin line with -)\n"
};

int
cmd_match(int argc, char **argv)
{
	match_observed = NULL;
	match_json = 0;
	return cli_run(&match_cmd, "match", argc, argv);
}
