/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_audit.c - `audit [list|verify|seal]` (DESIGN §6). The audit log is
 * an append-only table, each entry hash-chained to the one before. `seal`
 * signs the current head with the node's key (a statement with purpose
 * "threatex-audit-seal-v1") and writes it to seals/; `verify --seal FILE`
 * checks a seal's signature and that the chain still holds that head at
 * that position, so a rewritten chain is detected by anyone holding an
 * older seal, even if the rewrite recomputed every hash. Details quote
 * what peers sent (ids, names, property paths): `list` prints them
 * escaped (cli_escape), one entry per line.
 */
#include "cli.h"
#include "batch.h"
#include "node.h"
#include "validate.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SEAL_PURPOSE "threatex-audit-seal-v1"

static int
list_cb(const struct store_audit_row *r, void *payload)
{
	int	*oom = payload;
	char	 ts[32], *ev, *de;

	stix_time_format(ts, r->ts_us);
	ev = cli_escape(r->event);
	de = cli_escape(r->detail);
	if (ev != NULL && de != NULL)
		printf("%lld\t%s\t%s\t%s\n", (long long)r->seq, ts, ev, de);
	else
		*oom = 1;
	free(ev);
	free(de);
	return *oom ? -1 : 0;
}

static int
audit_seal(struct node *n, struct tx_err *err)
{
	struct batch_signer	 s = { n->signing, n->cfg.identity };
	json_t			*seal;
	int64_t			 entries, now = node_now_us();
	char			 head[65], ts[32], dir[1400], path[1500];
	int			 rc;

	if ((rc = store_audit_verify(n->st, &entries, head, err)) < 0)
		return rc;
	stix_time_format(ts, now);
	seal = json_pack("{s:s, s:s, s:I, s:s, s:s}", "type",
	    "x-threatex-audit-seal", "node", n->cfg.identity, "seq",
	    (json_int_t)entries, "head", head, "sealed", ts);
	if ((rc = batch_sign_statement(seal, SEAL_PURPOSE, &s, now,
	    err)) < 0)
		goto out;
	cfg_path(dir, sizeof(dir), &n->cfg, "seals");
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		rc = tx_err_setw(err, TX_EIO, dir, "cannot create");
		goto out;
	}
	snprintf(path, sizeof(path), "%s/seal-%lld.json", dir,
	    (long long)entries);
	if (json_dump_file(seal, path, JSON_COMPACT) != 0) {
		rc = tx_err_setw(err, TX_EIO, path, "cannot write");
		goto out;
	}
	printf("sealed\t%lld\t%s\t%s\n", (long long)entries, head, path);
out:
	json_decref(seal);
	return rc;
}

/* A seal's signature under the roster, and its head still in the chain. */
static int
check_seal(struct node *n, const char *file, struct tx_err *err)
{
	struct batch_verdict	 v;
	json_t			*seal;
	json_error_t		 je;
	const char		*head;
	char			 have[65];
	json_int_t		 seq;
	int			 rc;

	if ((seal = json_load_file(file, JSON_REJECT_DUPLICATES, &je)) == NULL)
		return tx_err_setw(err, TX_EINVAL, file, "not JSON: %s",
		    je.text);
	head = json_string_value(json_object_get(seal, "head"));
	seq = json_integer_value(json_object_get(seal, "seq"));
	rc = batch_verify_statement(&v, seal, SEAL_PURPOSE, roster_key_cb,
	    &n->roster, err);
	if (rc < 0 || !v.ok)
		rc = tx_err_setw(err, TX_EAUTH, file, "seal signature invalid: "
		    "%s", v.reason);
	else if (head == NULL || seq < 0)
		rc = tx_err_setw(err, TX_EINVAL, file, "seal without head or "
		    "seq");
	else if (seq == 0)
		rc = strcmp(head, "genesis") == 0 ? 0 : tx_err_setw(err,
		    TX_EAUTH, file, "seal of an empty log with a head");
	else if (store_audit_hash_at(n->st, seq, have, err) < 0 ||
	    strcmp(have, head) != 0)
		rc = tx_err_setw(err, TX_EAUTH, file, "the chain no longer "
		    "holds the sealed head at entry %lld: rewritten",
		    (long long)seq);
	json_decref(seal);
	return rc;
}

int
cmd_audit(int argc, char **argv)
{
	static const struct option	 opts[] = {
		{ "last", required_argument, NULL, 'n' },
		{ "seal", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct tx_err	 err;
	struct node	*n;
	const char	*what = "list", *seal = NULL;
	char		 head[65];
	int64_t		 entries;
	int		 ch, last = 50, rc, oom = 0;

	tx_err_clear(&err);
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'n' && cli_int(&last, optarg, 0, 1000000000) == 0)
			continue;
		if (ch == 's') {
			seal = optarg;
			continue;
		}
		fprintf(ch == 'h' ? stdout : stderr, "usage: threatex [-d DIR] "
		    "audit [list [--last N] | verify [--seal FILE] | seal]\n\n"
		    "list: the last N entries (50; 0 for all). verify: walk "
		    "the hash chain,\nand check a seal made earlier. seal: "
		    "sign the current head (run it\non a timer) into "
		    "seals/.\n");
		return ch == 'h' ? CLI_OK : CLI_USAGE;
	}
	if (optind < argc)
		what = argv[optind++];
	if (optind != argc || (strcmp(what, "list") != 0 &&
	    strcmp(what, "verify") != 0 && strcmp(what, "seal") != 0)) {
		fprintf(stderr, "usage: threatex audit [list|verify|seal]\n");
		return CLI_USAGE;
	}
	if (node_open(&n, cli_node_dir(), strcmp(what, "seal") == 0 ?
	    NODE_OPEN_SIGNING : 0, &err) < 0)
		return cli_fail("audit", &err);
	if (strcmp(what, "list") == 0) {
		rc = store_audit_each(n->st, last, list_cb, &oom, &err);
		if (rc == 0 && oom)
			rc = tx_err_set(&err, TX_ENOMEM, "out of memory");
	} else if (strcmp(what, "seal") == 0)
		rc = audit_seal(n, &err);
	else if ((rc = store_audit_verify(n->st, &entries, head, &err)) == 0 &&
	    (seal == NULL || (rc = check_seal(n, seal, &err)) == 0))
		printf("ok\t%lld entries\thead=%s%s\n", (long long)entries,
		    head, seal ? "\tseal ok" : "");
	node_close(n);
	return rc < 0 ? cli_fail("audit", &err) : CLI_OK;
}
