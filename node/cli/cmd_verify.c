/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_verify.c - `verify FILE`: offline verification of a STIX file
 * (object, bundle or envelope) against this node's roster: one line per
 * object, `ok ID VERDICTS` when its origin entry verifies, or `bad ID
 * REASON` naming the failed check. Nothing is stored.
 */
#include "cli.h"
#include "merge.h"
#include "stream.h"
#include "validate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct verify_ctx {
	struct node	*n;
	int		 bad;
};

static int
verify_cb(size_t index, json_t *obj, const struct tx_err *elem_err,
    void *payload)
{
	struct verify_ctx	*vc = payload;
	struct batch_verdict	 v[BATCH_MAX_ENTRIES];
	struct tx_err		 err;
	const char		*id;
	char			 msg[600];
	int			 nv, i, origin, attested;

	tx_err_clear(&err);
	if (obj == NULL) {
		tx_err_format(elem_err, msg, sizeof(msg));
		printf("bad\tobjects[%zu]\t%s\n", index, msg);
		vc->bad++;
		return 0;
	}
	id = json_string_value(json_object_get(obj, "id"));
	nv = batch_judge(v, BATCH_MAX_ENTRIES, obj, roster_key_cb,
	    &vc->n->roster, vc->n->cache, &err);
	if (nv == TX_ELIMIT)
		nv = BATCH_MAX_ENTRIES;
	if (nv <= 0) {
		printf("bad\t%s\t%s\n", id ? id : "?", nv == 0 ?
		    "no signatures" : err.msg);
		vc->bad++;
		return 0;
	}
	origin = merge_origin_entry(vc->n, obj, v, nv, &attested);
	if (origin < 0 || !v[origin].ok) {
		printf("bad\t%s\t%s\n", id ? id : "?", origin < 0 ?
		    "no origin entry by the creator" : v[origin].reason);
		vc->bad++;
		return 0;
	}
	printf("ok\t%s", id ? id : "?");
	for (i = 0; i < nv; i++)
		printf("\t%s%s %s%s%s", i != origin ? "countersign " :
		    attested ? "attestation " : "",
		    node_member_name(vc->n, v[i].signer), v[i].ok ? "ok" :
		    "bad", v[i].ok ? "" : ": ", v[i].reason);
	printf("\n");
	return 0;
}

int
cmd_verify(int argc, char **argv)
{
	struct verify_ctx	 vc = { NULL, 0 };
	struct stix_limits	 lim;
	struct stix_doc_info	 info;
	struct tx_err		 err;
	int			 fd, rc;

	if (argc != 2 || (argv[1][0] == '-' && argv[1][1] != '\0')) {
		int help = argc == 2 && strcmp(argv[1], "--help") == 0;

		fprintf(help ? stdout : stderr, "usage: threatex [-d DIR] "
		    "verify FILE|-\n\nVerify the signatures of every object "
		    "in a STIX file against this\nnode's roster. One line per "
		    "object: ok, or bad and the failed check.\nExit 3 if any "
		    "is bad.\n");
		return help ? CLI_OK : CLI_USAGE;
	}
	tx_err_clear(&err);
	if (node_open(&vc.n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("verify", &err);
	if ((fd = strcmp(argv[1], "-") == 0 ? 0 : open(argv[1],
	    O_RDONLY)) < 0) {
		fprintf(stderr, "threatex verify: %s: %s\n", argv[1],
		    strerror(errno));
		node_close(vc.n);
		return CLI_FAIL;
	}
	stix_limits_default(&lim);
	rc = stix_stream_fd(&info, fd, &lim, verify_cb, &vc, &err);
	if (fd != 0)
		close(fd);
	node_close(vc.n);
	if (rc < 0) {
		tx_err_prefix(&err, "%s", argv[1]);
		return cli_fail("verify", &err);
	}
	return vc.bad > 0 ? CLI_REFUSED : CLI_OK;
}
