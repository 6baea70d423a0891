/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_verify.c - `verify FILE|-`: offline verification of a STIX file
 * (object, bundle or envelope) against this node's roster (node/verify.h):
 * one line per object, `ok ID VERDICTS` when its origin entry verifies,
 * or `bad ID REASON` naming the failed check. Nothing is stored. Ids,
 * signer ids and reasons come from the file: printed escaped (cli_esc),
 * so that a hostile id cannot end a line or forge a field.
 */
#include "cli.h"
#include "opt.h"
#include "node.h"
#include "verify.h"

#include <errno.h>
#include <jansson.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int	verify_json;

/* --json: {"ok", "id", "reason"|"signatures": [{"role", "signer", "ok",
   "reason"}]} (docs/json.md). */
static void
verify_put_json(const struct verify_result *r)
{
	const struct verify_sig	*s;
	json_t			*o, *sigs;
	int			 i;

	o = json_pack("{s:b, s:o*, s:I}", "ok", r->id != NULL && r->ok,
	    "id", cli_jstr(r->id), "index", (json_int_t)r->index);
	if (o == NULL)
		return;
	if (r->id == NULL || !r->ok) {
		json_object_set_new(o, "reason", cli_jstr(r->reason));
		cli_put_json(o);
		return;
	}
	sigs = json_array();
	for (i = 0; i < r->nsigs; i++) {
		s = &r->sigs[i];
		json_array_append_new(sigs, json_pack("{s:s, s:o*, s:b, s:o*}",
		    "role", s->role == VERIFY_COUNTERSIGN ? "countersign" :
		    s->role == VERIFY_ATTESTATION ? "attestation" : "origin",
		    "signer", cli_jstr(s->signer), "ok", s->ok, "reason",
		    cli_jstr(s->reason)));
	}
	json_object_set_new(o, "signatures", sigs);
	cli_put_json(o);
}

static void
verify_print(const struct verify_result *r, void *arg)
{
	const struct verify_sig	*s;
	char			 eid[1024], ewhy[4 * sizeof(r->why)];
	char			 esg[4 * sizeof(r->v[0].signer)];
	char			 erz[4 * sizeof(r->v[0].reason)];
	int			 i;

	if (verify_json) {
		verify_put_json(r);
		return;
	}
	if (r->id == NULL) {
		printf("bad\tobjects[%zu]\t%s\n", r->index,
		    cli_esc(ewhy, sizeof(ewhy), r->reason));
		return;
	}
	cli_esc(eid, sizeof(eid), r->id);
	if (!r->ok) {
		printf("bad\t%s\t%s\n", eid, cli_esc(ewhy, sizeof(ewhy),
		    r->reason));
		return;
	}
	printf("ok\t%s", eid);
	for (i = 0; i < r->nsigs; i++) {
		s = &r->sigs[i];
		printf("\t%s%s %s%s%s", s->role == VERIFY_COUNTERSIGN ?
		    "countersign " : s->role == VERIFY_ATTESTATION ?
		    "attestation " : "", cli_esc(esg, sizeof(esg), s->signer),
		    s->ok ? "ok" : "bad", s->ok ? "" : ": ",
		    cli_esc(erz, sizeof(erz), s->reason));
	}
	printf("\n");
}

static int
verify_run(int nargs, char **args)
{
	const char	*path = args[0];
	struct tx_err	 err;
	struct node	*n;
	size_t		 nbad = 0;
	int		 fd, rc;

	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("verify", &err);
	if ((fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path,
	    O_RDONLY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "threatex verify: %s: %s\n", path,
		    strerror(errno));
		node_close(n);
		return CLI_FAIL;
	}
	rc = verify_fd(n, fd, verify_print, NULL, &nbad, &err);
	if (fd != STDIN_FILENO)
		close(fd);
	node_close(n);
	if (rc < 0) {
		tx_err_prefix(&err, "%s", path);
		return cli_fail("verify", &err);
	}
	return nbad > 0 ? CLI_REFUSED : CLI_OK;
}

static const struct cli_opt	verify_opts[] = {
	CLI_OPT_JSON(&verify_json),
	{ .name = NULL }
};

static const struct cli_cmd	verify_cmd = {
	.name = "verify", .run = verify_run, .synopsis = "[--json] FILE|-",
	.opts = verify_opts,
	.min_args = 1, .max_args = 1, .text =
	"Verify the signatures of every object in a STIX file against this\n"
	"node's roster. One line per object: ok, or bad and the failed check.\n"
	"Exit 3 if any is bad.\n"
};

int
cmd_verify(int argc, char **argv)
{
	verify_json = 0;
	return cli_run(&verify_cmd, "verify", argc, argv);
}
