/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_import.c - `import FILE...`: the option table, one import session
 * (node/import.h) over the files, and one line per report. The ids,
 * values and reasons in a report come from the file: they are printed
 * escaped (cli_esc), so no file can forge a line or a field.
 */
#include "cli.h"
#include "import.h"
#include "node.h"
#include "opt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
	struct import_opts	 o;
	const char		*format;
	int			 csv, quiet;
} imp;

/* Print s escaped, in full (no truncation: a refused value is evidence). */
static void
put_esc(const char *s)
{
	char	*e, small[256];

	if ((e = cli_escape(s)) != NULL) {
		fputs(e, stdout);
		free(e);
	} else
		fputs(cli_esc(small, sizeof(small), s), stdout);
}

/* One line per report; stored and duplicate ones not with --quiet. */
static void
import_print(const struct import_report *r, void *arg)
{
	switch (r->verdict) {
	case IMPORT_STORED:
	case IMPORT_DUPLICATE:
		if (imp.quiet)
			return;
		printf("%s\t", r->status);
		put_esc(r->id);
		putchar('\n');
		return;
	case IMPORT_EXISTS:
		return;
	case IMPORT_REFUSED:
		fputs("refused\t", stdout);
		put_esc(r->source);
		if (r->line >= 0)
			printf(":%ld", r->line);
		putchar('\t');
		put_esc(r->id);
		putchar('\t');
		put_esc(r->reason);
		putchar('\n');
		return;
	}
}

static int
opt_kind(const char *v, void *dst, char *why, size_t whylen)
{
	if (norm_kind_from_name(dst, v) == 0)
		return 0;
	snprintf(why, whylen, "--kind must be wallet, domain, email, url, "
	    "ipv4, ipv6 or alias");
	return -1;
}

static int
opt_tlp(const char *v, void *dst, char *why, size_t whylen)
{
	enum tlp_level	l;

	if (tlp_from_name(&l, v) < 0 || l == TLP_UNKNOWN) {
		snprintf(why, whylen, "--tlp must be clear, green, amber, "
		    "amber+strict or red");
		return -1;
	}
	*(enum tlp_level *)dst = l;
	return 0;
}

static int
opt_format(const char *v, void *dst, char *why, size_t whylen)
{
	const struct import_format	*f;
	char				 names[128] = "";
	size_t				 i, n;

	if (import_format_by_name(v) == NULL) {
		for (i = 0; (f = import_format_at(i)) != NULL; i++) {
			n = strlen(names);
			snprintf(names + n, sizeof(names) - n, "%s%s",
			    i ? ", " : "", f->name);
		}
		snprintf(why, whylen, "no import format %.40s (%s)", v, names);
		return -1;
	}
	*(const char **)dst = v;
	return 0;
}

static int
import_main(int nargs, char **args)
{
	const struct import_format	*f = NULL;
	const struct import_totals	*t;
	struct import_ctx		*ic;
	struct node			*n;
	struct tx_err			 err;
	int				 i, r, rc = CLI_OK;

	tx_err_clear(&err);
	if (imp.csv)
		imp.format = "csv";
	f = import_format_by_name(imp.format);
	if (f != NULL && strcmp(f->name, "csv") == 0 &&
	    imp.o.kind == NORM_UNKNOWN) {
		fprintf(stderr, "threatex import: --csv needs --kind wallet|"
		    "domain|email|alias\n");
		return CLI_USAGE;
	}
	imp.o.report = import_print;
	if (node_open(&n, cli_node_dir(), NODE_OPEN_SIGNING, &err) < 0)
		return cli_fail("import", &err);
	if (import_new(&ic, n, &imp.o, &err) < 0) {
		node_close(n);
		return cli_fail("import", &err);
	}
	for (i = 0; i < nargs; i++) {
		tx_err_clear(&err);
		if (strcmp(args[i], "-") == 0)
			r = import_fd(ic, f, "-", 0, &err);
		else
			r = import_path(ic, f, args[i], &err);
		r = r < 0 ? cli_fail("import", &err) : CLI_OK;
		if (r > rc)
			rc = r;
	}
	t = import_totals(ic);
	printf("imported\tseen=%ld\tnew=%ld\tduplicate=%ld\trefused=%ld"
	    "\texists=%ld\n", t->seen, t->stored, t->duplicates, t->refused,
	    t->exists);
	if (rc == CLI_OK && t->refused > 0)
		rc = CLI_REFUSED;
	import_free(ic);
	node_close(n);
	return rc;
}

static const struct cli_opt	import_opts[] = {
	{ .name = "quiet", .alias = 'q', .kind = CLI_OPT_FLAG,
	    .dst = &imp.quiet, .help = "print only refusals and the totals" },
	{ .name = "format", .kind = CLI_OPT_FN, .dst = &imp.format,
	    .fn = opt_format, .value = "F",
	    .help = "stix, xml or csv (default: from the content and name)" },
	{ .name = "csv", .kind = CLI_OPT_FLAG, .dst = &imp.csv,
	    .help = "the same as --format csv" },
	{ .name = "kind", .kind = CLI_OPT_FN, .dst = &imp.o.kind,
	    .fn = opt_kind, .value = "KIND",
	    .help = "csv: wallet, domain, email, url, ipv4, ipv6, alias" },
	{ .name = "column", .kind = CLI_OPT_STR, .dst = &imp.o.column,
	    .value = "NAME", .help = "csv: the column of the values" },
	{ .name = "chain", .kind = CLI_OPT_STR, .dst = &imp.o.chain,
	    .value = "C", .help = "wallets: the chain (default: detected)" },
	{ .name = "actor", .kind = CLI_OPT_STR, .dst = &imp.o.actor,
	    .value = "NAME", .help = "link each value to this actor" },
	{ .name = "individual", .kind = CLI_OPT_FLAG,
	    .dst = &imp.o.individual,
	    .help = "the actor is a threat-actor, not an intrusion-set" },
	{ .name = "tlp", .kind = CLI_OPT_FN, .dst = &imp.o.tlp,
	    .fn = opt_tlp, .value = "L",
	    .help = "TLP of authored values (default: the node's)" },
	{ .name = "confidence", .kind = CLI_OPT_INT, .dst = &imp.o.confidence,
	    .value = "N", .lo = 0, .hi = 100, .help = "0-100" },
	{ .name = "program", .kind = CLI_OPT_STR, .dst = &imp.o.program,
	    .value = "P", .help = "ofac: only entries with a sanctions "
	    "programme containing P (e.g. DPRK)" },
	{ .name = NULL }
};

static const struct cli_cmd	import_cmd = {
	.name = "import", .run = import_main, .opts = import_opts,
	.min_args = 1, .max_args = -1,
	.synopsis = "[--quiet] [--format F] FILE...|-\n"
	"       threatex [-d DIR] import --csv --kind KIND [--column NAME] "
	"[--chain C]\n"
	"              [--actor NAME [--individual]] [--tlp L] "
	"[--confidence N] FILE...",
	.text =
	"Import STIX 2.1 JSON (object, bundle or envelope). Signed objects are\n"
	"verified and merged; unsigned ones are signed by this node (as author,\n"
	"or as attester when their creator is outside the federation). One\n"
	"line per object; 'refused' lines say why. Exit 3 if any was refused.\n"
	"--csv: one value per row (the column named NAME, else value/address/\n"
	"domain/alias/email, else the first), each authored as `add` would;\n"
	"values this node already has are skipped.\n"
	"FILE.xml: STIX 1.x; its CybOX domain, address, URI and sender\n"
	"observables are authored the same way.\n"
	"sdn_advanced.xml (OFAC SDN list, also .bz2/.gz): each digital-currency\n"
	"address becomes a wallet indicating a threat-actor named as the listed\n"
	"entry (its A.K.A.s as aliases, programmes as labels); --program DPRK\n"
	"keeps entries with a programme containing DPRK. Any FILE may be .gz or\n"
	".bz2 (read directly).\n"
	"Without --format, each FILE's format is told by its first bytes and\n"
	"its name; stdin (-) is STIX 2.1 unless it is a file.\n"
};

int
cmd_import(int argc, char **argv)
{
	memset(&imp, 0, sizeof(imp));
	import_opts_init(&imp.o);
	return cli_run(&import_cmd, "import", argc, argv);
}
