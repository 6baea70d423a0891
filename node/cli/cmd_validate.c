/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_validate.c - "threatex validate FILE|-": stream a STIX object, bundle
 * or TAXII envelope through strict intake and validation and print one
 * verdict line per object:
 *   ok<TAB>ID
 *   refused<TAB>PATH<TAB>MESSAGE          (PATH like objects[17].pattern)
 * or, with --json, one JSON object per line. "-" reads one document from
 * stdin. Exit 0 if every object was accepted, 3 if any was refused or the
 * document itself is malformed, 1 on a read failure, 2 on bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "stream.h"
#include "validate.h"

struct vstate {
	int	json;
	size_t	ok;
	size_t	refused;
	const struct stix_doc_info *info;	/* kind: prefix objects[i]? */
	time_t	now;
};

static void
print_line(const struct vstate *st, const char *verdict, const char *id,
    const char *where, const char *msg)
{
	if (st->json) {
		json_t *o = json_pack("{s:s}", "verdict", verdict);

		if (o == NULL)
			return;
		if (id != NULL)
			json_object_set_new(o, "id", json_string(id));
		if (where != NULL)
			json_object_set_new(o, "path", json_string(where));
		if (msg != NULL)
			json_object_set_new(o, "message", json_string(msg));
		cli_put_json(o);
		return;
	}
	if (id != NULL)
		printf("%s\t%s\n", verdict, id);
	else
		printf("%s\t%s\t%s\n", verdict, where != NULL ? where : "",
		    msg != NULL ? msg : "");
}

static int
on_object(size_t index, json_t *obj, const struct tx_err *elem_err,
    void *payload)
{
	struct vstate *st = payload;
	struct tx_err e;
	const char *id;

	if (obj == NULL) {
		st->refused++;
		print_line(st, "refused", NULL, elem_err->where, elem_err->msg);
		return 0;
	}
	tx_err_clear(&e);
	if (stix_validate(obj, st->now, &e) != 0) {
		char where[TX_ERR_WHERE_MAX];

		st->refused++;
		if (st->info->kind != STIX_DOC_OBJECT) {
			snprintf(where, sizeof(where), "objects[%zu]%s%s", index,
			    e.where[0] != '\0' ? "." : "", e.where);
		} else
			snprintf(where, sizeof(where), "%s", e.where);
		print_line(st, "refused", NULL, where, e.msg);
		return 0;
	}
	st->ok++;
	id = json_string_value(json_object_get(obj, "id"));
	print_line(st, "ok", id != NULL ? id : "", NULL, NULL);
	return 0;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: threatex validate [--json] FILE|-\n"
	    "  Validate a STIX 2.1 object, bundle or TAXII envelope (streamed).\n"
	    "  One line per object: ok<TAB>ID or refused<TAB>PATH<TAB>MESSAGE.\n"
	    "  Exit 0 all accepted, 3 something refused, 1 read error.\n");
}

int
cmd_validate(int argc, char **argv)
{
	struct stix_doc_info info;
	struct stix_limits lim;
	struct vstate st;
	struct tx_err err;
	const char *path = NULL;
	int fd, rc;

	memset(&st, 0, sizeof(st));
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return CLI_OK;
		} else if (strcmp(argv[i], "--json") == 0)
			st.json = 1;
		else if (path == NULL && (argv[i][0] != '-' ||
		    strcmp(argv[i], "-") == 0))
			path = argv[i];
		else {
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (path == NULL) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "threatex validate: %s: %s\n", path,
		    strerror(errno));
		return CLI_FAIL;
	}
	st.now = time(NULL);
	st.info = &info;
	stix_limits_default(&lim);
	tx_err_clear(&err);
	rc = stix_stream_fd(&info, fd, &lim, on_object, &st, &err);
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc == TX_EIO || rc == TX_ENOMEM) {
		fprintf(stderr, "threatex validate: %s: %s\n", path, err.msg);
		return CLI_FAIL;
	}
	if (rc != 0) {
		print_line(&st, "refused", NULL, err.where, err.msg);
		return CLI_REFUSED;
	}
	return st.refused > 0 ? CLI_REFUSED : CLI_OK;
}
