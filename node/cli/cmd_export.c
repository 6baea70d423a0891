/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_export.c - `export --format stix|csv|rpz|wallets|misp`: the option
 * table, one export (node/export.h) to stdout, and the count and the TLP
 * ceiling on stderr. --max-tlp limits what is written (default:
 * everything, this is the operator's own view).
 */
#include "cli.h"
#include "export.h"
#include "node.h"
#include "opt.h"

#include <stdio.h>
#include <string.h>

static struct {
	const struct export_format	*f;
	struct export_opts		 o;
} exp_;

/* The sink: stdout. */
static int
stdout_write(void *arg, const void *buf, size_t len)
{
	return fwrite(buf, 1, len, stdout) == len ? 0 : TX_EIO;
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

static int
opt_tlp(const char *v, void *dst, char *why, size_t whylen)
{
	enum tlp_level	l;

	if (tlp_from_name(&l, v) < 0 || l == TLP_UNKNOWN) {
		snprintf(why, whylen, "--max-tlp must be clear, green, amber, "
		    "amber+strict or red");
		return -1;
	}
	*(enum tlp_level *)dst = l;
	return 0;
}

static int
export_main(int nargs, char **args)
{
	const struct export_sink	 out = { stdout_write, NULL };
	struct tx_err			 err;
	struct node			*n;
	long				 count = 0;
	int				 rc;

	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("export", &err);
	rc = export_run(n, exp_.f, &exp_.o, &out, &count, &err);
	node_close(n);
	if (rc == 0 && fflush(stdout) != 0)
		rc = tx_err_set(&err, TX_EIO, "cannot write the export");
	if (rc < 0)
		return cli_fail("export", &err);
	fprintf(stderr, "exported %ld (TLP ceiling: %s)\n", count,
	    tlp_name(exp_.o.max_tlp));
	return CLI_OK;
}

static const struct cli_opt	export_opts[] = {
	{ .name = "format", .kind = CLI_OPT_FN, .dst = &exp_.f,
	    .fn = opt_format, .value = "F",
	    .help = "stix (default), csv, rpz or wallets" },
	{ .name = "max-tlp", .kind = CLI_OPT_FN, .dst = &exp_.o.max_tlp,
	    .fn = opt_tlp, .value = "LEVEL",
	    .help = "leave out objects stricter than LEVEL" },
	{ .name = NULL }
};

static const struct cli_cmd	export_cmd = {
	.name = "export", .run = export_main, .opts = export_opts,
	.synopsis = "[--format stix|csv|rpz|wallets|misp] [--max-tlp LEVEL]",
	.text =
	"Write what this node holds: a STIX bundle of every current object\n"
	"(signed), a CSV of indicator observables, an RPZ zone of the\n"
	"domains (never a public suffix), or screening lists of wallet\n"
	"addresses per chain. --max-tlp leaves out stricter objects; the\n"
	"csv, rpz and wallets headers state that ceiling.\n"
};

int
cmd_export(int argc, char **argv)
{
	memset(&exp_, 0, sizeof(exp_));
	exp_.f = export_format_by_name("stix");
	export_opts_init(&exp_.o);
	return cli_run(&export_cmd, "export", argc, argv);
}
