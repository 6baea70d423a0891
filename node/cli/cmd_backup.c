/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_backup.c - `backup DEST` and `restore SRC DIR` (issue 12): one
 * library call each (node/backup.h) and one line of what was copied, the
 * audit seq of the store's snapshot being the backup point.
 */
#include "backup.h"
#include "cli.h"
#include "opt.h"

#include <jansson.h>
#include <stdio.h>

static int	bk_json, rs_force, rs_json;

/* The result line: "VERB\tPATH\taudit-seq=N\tobjects=N\t..." or JSON. */
static void
bk_print(const char *verb, const char *path, const struct backup_result *r,
    int json)
{
	char	esc[4200];

	if (json) {
		cli_put_json(json_pack("{s:s, s:s, s:I, s:I, s:I, s:i}",
		    "result", verb, "path", path,
		    "audit_seq", (json_int_t)r->snap.audit_seq,
		    "objects", (json_int_t)r->snap.objects,
		    "versions", (json_int_t)r->snap.versions,
		    "files", r->files));
		return;
	}
	printf("%s\t%s\taudit-seq=%lld\tobjects=%lld\tversions=%lld\t"
	    "files=%d\n", verb, cli_esc(esc, sizeof(esc), path),
	    (long long)r->snap.audit_seq, (long long)r->snap.objects,
	    (long long)r->snap.versions, r->files);
}

static int
backup_run(int nargs, char **args)
{
	struct backup_result	 r;
	struct tx_err		 err;
	struct node		*n;
	int			 rc;

	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("backup", &err);
	rc = node_backup(n, args[0], &r, &err);
	node_close(n);
	if (rc < 0)
		return cli_fail("backup", &err);
	bk_print("backup", args[0], &r, bk_json);
	return CLI_OK;
}

static const struct cli_opt	backup_opts[] = {
	{ .name = "json", .kind = CLI_OPT_FLAG, .dst = &bk_json,
	    .help = "one JSON object (docs/json.md)" },
	{ .name = NULL }
};

static const struct cli_cmd	backup_cmd = {
	.name = "backup", .run = backup_run, .synopsis = "[--json] DEST",
	.min_args = 1, .max_args = 1, .opts = backup_opts, .text =
	"Copy the node into DEST (new or empty; made 0700): store.db as one\n"
	"consistent snapshot (SQLite online backup, safe while serve and\n"
	"sync write), node.conf, self.json, keys/ and peers/ (0600).\n"
	"Prints 'backup DEST audit-seq=N objects=N versions=N files=N': the\n"
	"audit seq is the backup point. DEST holds the private keys: keep\n"
	"it as safe as the node. Back up again after every key rotation.\n"
};

int
cmd_backup(int argc, char **argv)
{
	return cli_run(&backup_cmd, "backup", argc, argv);
}

/* restore ignores -d: the directory is its second argument. */
static int
restore_run(int nargs, char **args)
{
	struct backup_result	r;
	struct tx_err		err;

	tx_err_clear(&err);
	if (node_restore(args[0], args[1], rs_force, &r, &err) < 0)
		return cli_fail("restore", &err);
	bk_print("restored", args[1], &r, rs_json);
	return CLI_OK;
}

static const struct cli_opt	restore_opts[] = {
	{ .name = "force", .kind = CLI_OPT_FLAG, .dst = &rs_force,
	    .help = "replace the node files of a non-empty DIR" },
	{ .name = "json", .kind = CLI_OPT_FLAG, .dst = &rs_json,
	    .help = "one JSON object (docs/json.md)" },
	{ .name = NULL }
};

static const struct cli_cmd	restore_cmd = {
	.name = "restore", .run = restore_run,
	.synopsis = "[--force] [--json] SRC DIR", .min_args = 2,
	.max_args = 2, .opts = restore_opts, .text =
	"Restore the backup SRC into the node directory DIR (missing or\n"
	"empty; --force replaces store.db, node.conf, self.json, keys/ and\n"
	"peers/ of a node that is not serving). The copy is checked before\n"
	"it replaces anything: the store's integrity_check, the node\n"
	"opening (configuration, signed descriptors) and the audit chain\n"
	"verifying up to the backup point. Prints 'restored DIR\n"
	"audit-seq=N objects=N versions=N files=N'.\n"
};

int
cmd_restore(int argc, char **argv)
{
	return cli_run(&restore_cmd, "restore", argc, argv);
}
