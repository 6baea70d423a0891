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
 */
#include "cli.h"
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

static void
usage(FILE *f)
{
	fprintf(f, "usage: threatex match [--json] PATTERN|- --observed FILE\n"
	    "  FILE: observed-data, a bundle with observed-data and SCOs,\n"
	    "        a JSON list of objects, or a single SCO\n"
	    "  prints match or no-match per pattern (one per stdin line "
	    "with -)\n");
}

static int
match_one(const char *in, void *payload)
{
	const struct match_opts	*o = payload;
	struct pattern		*p = NULL;
	struct tx_err		 err;
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
			printf("error\t%s\n", err.msg);
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
		    je.text);
	return j;
}

int
cmd_match(int argc, char **argv)
{
	struct match_opts	 o = { NULL, 0 };
	const char		*arg = NULL, *file = NULL;
	int			 i, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return CLI_OK;
		} else if (strcmp(argv[i], "--json") == 0)
			o.json = 1;
		else if (strcmp(argv[i], "--observed") == 0 && i + 1 < argc)
			file = argv[++i];
		else if (strcmp(argv[i], "--") == 0 && i + 1 < argc &&
		    arg == NULL)
			arg = argv[++i];
		else if (arg == NULL)
			arg = argv[i];
		else {
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (arg == NULL || file == NULL) {
		usage(stderr);
		return CLI_USAGE;
	}
	if ((o.data = load_file(file)) == NULL)
		return CLI_REFUSED;
	rc = cli_each_input(arg, match_one, &o);
	json_decref(o.data);
	fflush(stdout);
	return rc;
}
