/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_validate.c - "threatex validate FILE|-": stream a STIX object, bundle
 * or TAXII envelope through strict intake and validation and print one
 * verdict line per object:
 *   ok<TAB>ID
 *   refused<TAB>PATH<TAB>MESSAGE          (PATH like objects[17].pattern)
 * or, with --json, one JSON object per line. The id, path and message
 * come from the document: printed escaped (cli_escape), so that a hostile
 * id cannot end a line or forge a field. "-" reads one document from
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
#include "opt.h"
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
	char	*e_id, *e_where, *e_msg;

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
	/* The document's id and the messages quoting it: escaped. */
	e_id = cli_escape(id);
	e_where = cli_escape(where);
	e_msg = cli_escape(msg);
	if (e_id == NULL || e_where == NULL || e_msg == NULL)
		fprintf(stderr, "threatex validate: out of memory\n");
	else if (id != NULL)
		printf("%s\t%s\n", verdict, e_id);
	else
		printf("%s\t%s\t%s\n", verdict, e_where, e_msg);
	free(e_id);
	free(e_where);
	free(e_msg);
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

static int	validate_json;

static int
validate_run(int nargs, char **args)
{
	struct stix_doc_info info;
	struct stix_limits lim;
	struct vstate st;
	struct tx_err err;
	const char *path = args[0];
	char esc[4 * TX_ERR_MSG_MAX];
	int fd, rc;

	memset(&st, 0, sizeof(st));
	st.json = validate_json;
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
		fprintf(stderr, "threatex validate: %s: %s\n", path,
		    cli_esc(esc, sizeof(esc), err.msg));
		return CLI_FAIL;
	}
	if (rc != 0) {
		print_line(&st, "refused", NULL, err.where, err.msg);
		return CLI_REFUSED;
	}
	return st.refused > 0 ? CLI_REFUSED : CLI_OK;
}

static const struct cli_opt	validate_opts[] = {
	{ .name = "json", .kind = CLI_OPT_FLAG, .dst = &validate_json,
	    .help = "one JSON object a line" },
	{ .name = NULL }
};

static const struct cli_cmd	validate_cmd = {
	.name = "validate", .run = validate_run, .opts = validate_opts,
	.synopsis = "[--json] FILE|-", .min_args = 1, .max_args = 1, .text =
	"  Validate a STIX 2.1 object, bundle or TAXII envelope (streamed).\n"
	"  One line per object: ok<TAB>ID or refused<TAB>PATH<TAB>MESSAGE.\n"
	"  Exit 0 all accepted, 3 something refused, 1 read error.\n"
};

int
cmd_validate(int argc, char **argv)
{
	validate_json = 0;
	return cli_run(&validate_cmd, "validate", argc, argv);
}
