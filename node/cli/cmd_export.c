/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_export.c - `export [FORMAT] [--format stix|csv|rpz|wallets|misp]
 * [filters] [--out PATH]`: the option table, one export (node/export.h)
 * to stdout, a file or (misp) a MISP feed folder, and the count, the TLP
 * ceiling and what was left out on stderr. --max-tlp limits what is
 * written (default: everything, this is the operator's own view);
 * --kind, --origin, --actor and --since narrow it; benign-listed values
 * are left out unless --include-benign.
 *
 * Files: --out PATH is created (or truncated) as a regular file, never
 * through a symbolic link; for misp, PATH is a folder (made if missing)
 * and the parts the format names (manifest.json, UUID.json: checked
 * here as plain file names) are written into it.
 */
#include "cli.h"
#include "export.h"
#include "node.h"
#include "opt.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define EXPORT_KINDS_MAX	16

static struct {
	const struct export_format	*f;
	struct export_opts		 o;
	const char			*kinds[EXPORT_KINDS_MAX];
	size_t				 nkinds;
	const char			*out;
} exp_;

/* Where the export goes: a stream, or the folder of a feed. */
struct out_file {
	FILE		*fp;
	int		 dirfd;		/* feed: the folder; else -1 */
	char		 name[128];	/* the part being written */
};

static int
file_write(void *arg, const void *buf, size_t len)
{
	struct out_file	*of = arg;

	if (of->fp == NULL)
		return TX_EIO;
	return fwrite(buf, 1, len, of->fp) == len ? 0 : TX_EIO;
}

/* Open path (relative to dirfd) for writing: a new or truncated file. */
static FILE *
open_out(int dirfd, const char *path)
{
	int	fd;
	FILE	*fp;

	if ((fd = openat(dirfd, path, O_WRONLY | O_CREAT | O_TRUNC |
	    O_NOFOLLOW | O_CLOEXEC, 0644)) < 0)
		return NULL;
	if ((fp = fdopen(fd, "w")) == NULL)
		close(fd);
	return fp;
}

/* Close the part being written; TX_EIO when it could not be written. */
static int
part_close(struct out_file *of)
{
	int	rc = 0;

	if (of->fp != NULL && fclose(of->fp) != 0)
		rc = TX_EIO;
	of->fp = NULL;
	return rc;
}

/* A part's name: letters, digits, '-', '_' and '.', no leading dot. */
static int
part_name_ok(const char *name)
{
	size_t	i, len = strlen(name);

	if (len == 0 || len >= sizeof(((struct out_file *)0)->name) ||
	    name[0] == '.')
		return 0;
	for (i = 0; i < len; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.", name[i]) ==
		    NULL)
			return 0;
	return 1;
}

static int
file_part(void *arg, const char *name)
{
	struct out_file	*of = arg;

	if (part_close(of) < 0 || !part_name_ok(name))
		return TX_EIO;
	if ((of->fp = open_out(of->dirfd, name)) == NULL)
		return TX_EIO;
	snprintf(of->name, sizeof(of->name), "%s", name);
	return 0;
}

static int
opt_format(const char *v, void *dst, char *why, size_t whylen)
{
	const struct export_format	*f;
	char				 names[128] = "";
	size_t				 i, n;

	if ((f = export_format_by_name(v)) == NULL) {
		for (i = 0; (f = export_format_at(i)) != NULL; i++) {
			n = strlen(names);
			snprintf(names + n, sizeof(names) - n, "%s%s",
			    i ? ", " : "", f->name);
		}
		snprintf(why, whylen, "--format must be one of %s", names);
		return -1;
	}
	*(const struct export_format **)dst = f;
	return 0;
}

/* Open --out: a file, or (feed) a folder made if missing. */
static int
out_open(struct out_file *of, int feed, struct tx_err *err)
{
	char	esc[256];

	if (!feed) {
		if ((of->fp = open_out(AT_FDCWD, exp_.out)) == NULL)
			return tx_err_set(err, TX_EIO, "%s: %s", cli_esc(esc,
			    sizeof(esc), exp_.out), errno == ELOOP ? "a "
			    "symbolic link: not written through" :
			    strerror(errno));
		return 0;
	}
	if (mkdir(exp_.out, 0755) < 0 && errno != EEXIST)
		return tx_err_set(err, TX_EIO, "%s: %s", cli_esc(esc,
		    sizeof(esc), exp_.out), strerror(errno));
	if ((of->dirfd = open(exp_.out, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return tx_err_set(err, TX_EIO, "%s: not a folder: %s",
		    cli_esc(esc, sizeof(esc), exp_.out), strerror(errno));
	return 0;
}

static const struct cli_cmd	export_cmd;

static int
export_main(int nargs, char **args)
{
	struct out_file			 of = { stdout, -1, "" };
	const struct export_sink	 out = { file_write, &of };
	struct export_stats		 st;
	struct tx_err			 err;
	struct node			*n;
	long				 count = 0;
	int				 rc, feed = 0;

	tx_err_clear(&err);
	if (nargs == 1 && opt_format(args[0], &exp_.f, err.msg,
	    sizeof(err.msg)) < 0)
		return cli_usage_error(&export_cmd, "export", "%s", err.msg);
	exp_.o.kinds = exp_.kinds;
	exp_.o.nkinds = exp_.nkinds;
	exp_.o.stats = &st;
	memset(&st, 0, sizeof(st));
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("export", &err);
	if (exp_.out != NULL) {
		feed = exp_.f == export_format_by_name("misp");
		of.fp = NULL;
		if ((rc = out_open(&of, feed, &err)) < 0) {
			node_close(n);
			return cli_fail("export", &err);
		}
		if (feed)
			exp_.o.part = file_part;
	}
	rc = export_run(n, exp_.f, &exp_.o, &out, &count, &err);
	node_close(n);
	if (of.fp == stdout) {
		if (rc == 0 && fflush(stdout) != 0)
			rc = tx_err_set(&err, TX_EIO, "cannot write the "
			    "export");
	} else if (part_close(&of) < 0 && rc == 0)
		rc = tx_err_set(&err, TX_EIO, "cannot write the export");
	if (of.dirfd >= 0)
		close(of.dirfd);
	if (rc < 0)
		return cli_fail("export", &err);
	fprintf(stderr, "exported %ld (TLP ceiling: %s)\n", count,
	    tlp_name(exp_.o.max_tlp));
	fprintf(stderr, "left out: %ld benign-listed, %ld revoked, %ld "
	    "expired; %ld benign-listed kept and flagged\n", st.benign,
	    st.revoked, st.expired, st.flagged);
	return CLI_OK;
}

static const struct cli_opt	export_opts[] = {
	{ .name = "format", .kind = CLI_OPT_FN, .dst = &exp_.f,
	    .fn = opt_format, .value = "F",
	    .help = "stix (default), csv, rpz, wallets or misp" },
	{ .name = "max-tlp", .kind = CLI_OPT_FN, .dst = &exp_.o.max_tlp,
	    .fn = cli_opt_tlp, .value = "LEVEL",
	    .help = "leave out objects stricter than LEVEL" },
	{ .name = "kind", .kind = CLI_OPT_LIST, .dst = exp_.kinds,
	    .count = &exp_.nkinds, .hi = EXPORT_KINDS_MAX, .value = "KIND",
	    .help = "only indicators of KIND: domain, wallet... (repeatable)" },
	{ .name = "origin", .kind = CLI_OPT_STR, .dst = &exp_.o.origin,
	    .value = "NAME", .help = "only what member NAME (or identity "
	    "id) made" },
	{ .name = "actor", .kind = CLI_OPT_STR, .dst = &exp_.o.actor,
	    .value = "NAME", .help = "only indicators linked to actor NAME "
	    "(or an alias)" },
	{ .name = "since", .kind = CLI_OPT_STR, .dst = &exp_.o.since,
	    .value = "T", .help = "only objects modified at T or later "
	    "(YYYY-MM-DD or RFC 3339 UTC)" },
	{ .name = "include-benign", .kind = CLI_OPT_FLAG,
	    .dst = &exp_.o.include_benign,
	    .help = "keep values on a benign list (flagged)" },
	{ .name = "ceiling-statement", .kind = CLI_OPT_FLAG,
	    .dst = &exp_.o.ceiling_statement,
	    .help = "stix: a statement marking naming the ceiling first "
	    "(unsigned: for other STIX tools)" },
	{ .name = "out", .kind = CLI_OPT_STR, .dst = &exp_.out,
	    .value = "PATH", .help = "write to file PATH (misp: a feed "
	    "folder) instead of stdout" },
	{ .name = NULL }
};

static const struct cli_cmd	export_cmd = {
	.name = "export", .run = export_main, .opts = export_opts,
	.min_args = 0, .max_args = 1,
	.synopsis = "[FORMAT] [--format stix|csv|rpz|wallets|misp] "
	    "[--max-tlp LEVEL] [--kind KIND]... [--origin NAME] "
	    "[--actor NAME] [--since T] [--include-benign] "
	    "[--ceiling-statement] [--out PATH]",
	.text =
	"Write what this node holds: a STIX bundle of every current object\n"
	"(signed), a CSV of indicator observables, an RPZ zone of the\n"
	"domains (never a public suffix), screening lists of wallet\n"
	"addresses per chain, or MISP events (with --out DIR: a MISP feed,\n"
	"DIR/manifest.json and DIR/UUID.json, which `import DIR` reads).\n"
	"--max-tlp leaves out stricter objects; every format states that\n"
	"ceiling (csv, rpz, wallets: their header; misp: each event's info\n"
	"and tlp tags; stix: each object's own marking). Revoked objects,\n"
	"expired indicators and values on the node's benign lists are left\n"
	"out (counted on stderr); --include-benign keeps the last, flagged.\n"
};

int
cmd_export(int argc, char **argv)
{
	memset(&exp_, 0, sizeof(exp_));
	exp_.f = export_format_by_name("stix");
	export_opts_init(&exp_.o);
	return cli_run(&export_cmd, "export", argc, argv);
}
