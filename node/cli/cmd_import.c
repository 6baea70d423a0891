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

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * issue 11: what one file came to, for its summary line. Reasons are
 * grouped by their text up to the first ':' (at most REASONS_MAX groups;
 * later ones count as "other").
 */
#define REASONS_MAX	6
#define REASON_LEN	64

static struct file_sum {
	long	created, merged, unchanged, refused, benign;
	size_t	nreasons;
	char	reason[REASONS_MAX][REASON_LEN];
	long	count[REASONS_MAX];
	long	other;
	int	progress_shown;	/* a progress line is on the terminal */
} fs;

static void
sum_reason(const char *why)
{
	char	head[REASON_LEN];
	size_t	i, n = strcspn(why, ":");

	if (n >= sizeof(head))
		n = sizeof(head) - 1;
	memcpy(head, why, n);
	head[n] = '\0';
	for (i = 0; i < fs.nreasons; i++)
		if (strcmp(fs.reason[i], head) == 0) {
			fs.count[i]++;
			return;
		}
	if (fs.nreasons == REASONS_MAX) {
		fs.other++;
		return;
	}
	memcpy(fs.reason[fs.nreasons], head, n + 1);
	fs.count[fs.nreasons++] = 1;
}

static void
sum_count(const struct import_report *r)
{
	switch (r->verdict) {
	case IMPORT_STORED:
		if (strcmp(r->status, "new") == 0)
			fs.created++;
		else
			fs.merged++;
		break;
	case IMPORT_DUPLICATE:
	case IMPORT_EXISTS:
		fs.unchanged++;
		break;
	case IMPORT_REFUSED:
		fs.refused++;
		sum_reason(r->reason);
		break;
	case IMPORT_WARNING:
		fs.benign++;
		break;
	}
}

static struct {
	struct import_opts	 o;
	const char		*format;
	int			 csv, quiet, json;
	const char		*map[IMPORT_CSV_MAP_MAX];	/* --map */
	const char		*where[IMPORT_CSV_MAP_MAX];	/* --where */
	size_t			 nmap, nwhere;
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

static const char *const	verdict_names[] = {
	[IMPORT_STORED] = "stored", [IMPORT_DUPLICATE] = "duplicate",
	[IMPORT_EXISTS] = "exists", [IMPORT_REFUSED] = "refused",
	[IMPORT_WARNING] = "warning"
};

/* --json: one import.object a line (docs/json.md). */
static void
import_put_json(const struct import_report *r)
{
	if (imp.quiet && (r->verdict == IMPORT_STORED ||
	    r->verdict == IMPORT_DUPLICATE || r->verdict == IMPORT_EXISTS))
		return;
	cli_put_json(json_pack("{s:s, s:s, s:s, s:o*, s:o*, s:o*, s:o*}",
	    "event", "object", "verdict", verdict_names[r->verdict], "status",
	    r->status, "source", cli_jstr(r->source), "line", r->line >= 0 ?
	    json_integer(r->line) : NULL, "id", cli_jstr(r->id), "reason",
	    r->reason[0] ? cli_jstr(r->reason) : NULL));
}

/* One line per report; stored and duplicate ones not with --quiet. */
static void
import_print(const struct import_report *r, void *arg)
{
	sum_count(r);
	if (fs.progress_shown) {
		fputs("\r\033[K", stderr);
		fs.progress_shown = 0;
	}
	if (imp.json) {
		import_put_json(r);
		return;
	}
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
	case IMPORT_WARNING:
		/* VERDICT SOURCE[:LINE] ID REASON (a warning names no line) */
		fputs(r->verdict == IMPORT_REFUSED ? "refused\t" : "warning\t",
		    stdout);
		put_esc(r->source);
		if (r->verdict == IMPORT_REFUSED && r->line >= 0)
			printf(":%ld", r->line);
		putchar('\t');
		put_esc(r->id);
		putchar('\t');
		put_esc(r->reason);
		putchar('\n');
		return;
	}
}

/*
 * issue 11: progress on a terminal (stderr), one line rewritten in place:
 * objects judged and their rate, and with a known size the share read
 * and the time left.
 */
static void
import_progress(const struct import_progress *p, void *arg)
{
	const char	*base = strrchr(p->source, '/');
	char		 name[48];
	double		 secs = (double)p->elapsed_us / 1e6, rate, pct, left;

	(void)arg;
	if (p->final) {
		if (fs.progress_shown)
			fputs("\r\033[K", stderr);
		fs.progress_shown = 0;
		return;
	}
	rate = secs > 0 ? (double)p->judged / secs : 0;
	base = base != NULL && base[1] != '\0' ? base + 1 : p->source;
	fflush(stdout);
	fprintf(stderr, "\r\033[K%s: %ld objects, %.0f/s",
	    cli_esc(name, sizeof(name), base), p->judged, rate);
	if (p->total > 0 && p->done > 0) {
		pct = 100.0 * (double)p->done / (double)p->total;
		left = secs * ((double)p->total - (double)p->done) /
		    (double)p->done;
		fprintf(stderr, ", %.0f%%, about %.0f s left", pct, left);
	}
	fflush(stderr);
	fs.progress_shown = 1;
}

/*
 * issue 11: one line per file: what was created, merged (new signatures
 * on what was held), unchanged (held already), refused with the reasons
 * grouped, and benign-listed values taken.
 */
static void
import_summary(const char *file, int failed)
{
	size_t	i;

	if (fs.progress_shown)
		fputs("\r\033[K", stderr);
	if (imp.json) {
		json_t	*reasons = json_object();

		for (i = 0; i < fs.nreasons; i++)
			json_object_set_new(reasons, fs.reason[i],
			    json_integer(fs.count[i]));
		if (fs.other > 0)
			json_object_set_new(reasons, "other",
			    json_integer(fs.other));
		cli_put_json(json_pack("{s:s, s:o*, s:I, s:I, s:I, s:I, s:I, "
		    "s:b, s:o}", "event", "file", "file", cli_jstr(file),
		    "created", (json_int_t)fs.created, "merged",
		    (json_int_t)fs.merged, "unchanged", (json_int_t)fs.unchanged,
		    "refused", (json_int_t)fs.refused, "benign",
		    (json_int_t)fs.benign, "stopped", failed, "reasons",
		    reasons));
		memset(&fs, 0, sizeof(fs));
		return;
	}
	fputs("file\t", stdout);
	put_esc(file);
	printf("\tcreated=%ld\tmerged=%ld\tunchanged=%ld\trefused=%ld"
	    "\tbenign=%ld", fs.created, fs.merged, fs.unchanged, fs.refused,
	    fs.benign);
	if (failed)
		fputs("\tstopped", stdout);
	for (i = 0; i < fs.nreasons; i++) {
		fputs(i == 0 ? "\treasons: " : "; ", stdout);
		put_esc(fs.reason[i]);
		printf(" (%ld)", fs.count[i]);
	}
	if (fs.other > 0)
		printf("; other (%ld)", fs.other);
	putchar('\n');
	memset(&fs, 0, sizeof(fs));
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
	/* CSV without --kind needs a kind column: the importer says so. */
	imp.o.map = imp.map;
	imp.o.nmap = imp.nmap;
	imp.o.where = imp.where;
	imp.o.nwhere = imp.nwhere;
	imp.o.report = import_print;
	/* issue 11: progress only where someone watches. */
	if (isatty(STDERR_FILENO))
		imp.o.progress = import_progress;
	if (node_open(&n, cli_node_dir(), NODE_OPEN_SIGNING, &err) < 0)
		return cli_fail("import", &err);
	/* A long write: the WAL copied back by a second thread. */
	if (store_checkpoint_behind(n->st, &err) < 0 ||
	    import_new(&ic, n, &imp.o, &err) < 0) {
		node_close(n);
		return cli_fail("import", &err);
	}
	for (i = 0; i < nargs; i++) {
		tx_err_clear(&err);
		if (strcmp(args[i], "-") == 0)
			r = import_fd(ic, f, "-", 0, &err);
		else
			r = import_path(ic, f, args[i], &err);
		import_summary(args[i], r < 0);
		r = r < 0 ? cli_fail("import", &err) : CLI_OK;
		if (r > rc)
			rc = r;
	}
	t = import_totals(ic);
	if (imp.json)
		cli_put_json(json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I}",
		    "event", "totals", "seen", (json_int_t)t->seen, "new",
		    (json_int_t)t->stored, "duplicate", (json_int_t)t->duplicates,
		    "refused", (json_int_t)t->refused, "exists",
		    (json_int_t)t->exists, "benign", (json_int_t)t->benign));
	else
		printf("imported\tseen=%ld\tnew=%ld\tduplicate=%ld\t"
		    "refused=%ld\texists=%ld\n", t->seen, t->stored,
		    t->duplicates, t->refused, t->exists);
	if (rc == CLI_OK && t->refused > 0)
		rc = CLI_REFUSED;
	import_free(ic);
	node_close(n);
	return rc;
}

static const struct cli_opt	import_opts[] = {
	CLI_OPT_JSON(&imp.json),
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
	    .fn = cli_opt_tlp, .value = "L",
	    .help = "TLP of what this node authors (default: the node's) "
	    "or attests unmarked (default: amber)" },
	{ .name = "confidence", .kind = CLI_OPT_INT, .dst = &imp.o.confidence,
	    .value = "N", .lo = 0, .hi = 100, .help = "0-100" },
	{ .name = "map", .kind = CLI_OPT_LIST, .dst = imp.map,
	    .count = &imp.nmap, .hi = IMPORT_CSV_MAP_MAX,
	    .value = "FIELD=COLUMN",
	    .help = "csv: FIELD (value, kind, chain, actor, actor_type, tlp, "
	    "confidence, valid_until, labels, note) is in COLUMN" },
	{ .name = "where", .kind = CLI_OPT_LIST, .dst = imp.where,
	    .count = &imp.nwhere, .hi = IMPORT_CSV_MAP_MAX,
	    .value = "COLUMN=VALUE",
	    .help = "csv: only rows whose COLUMN is VALUE (all must hold)" },
	{ .name = "program", .kind = CLI_OPT_STR, .dst = &imp.o.program,
	    .value = "P", .help = "ofac: only entries with a sanctions "
	    "programme containing P (e.g. DPRK)" },
	{ .name = NULL }
};

static const struct cli_cmd	import_cmd = {
	.name = "import", .run = import_main, .opts = import_opts,
	.min_args = 1, .max_args = -1,
	.synopsis = "[--quiet] [--json] [--format F] FILE...|-\n"
	"       threatex [-d DIR] import --csv --kind KIND [--column NAME] "
	"[--chain C]\n"
	"              [--actor NAME [--individual]] [--tlp L] "
	"[--confidence N]\n"
	"              [--map FIELD=COLUMN]... [--where COLUMN=VALUE]... "
	"FILE...",
	.text =
	"Import STIX 2.1 JSON (object, bundle or envelope). Signed objects are\n"
	"verified and merged; unsigned ones are signed by this node (as author,\n"
	"or as attester when their creator is outside the federation or not\n"
	"named), never altered: only the signature joins them. One line per\n"
	"object; 'refused' lines say why. Exit 3 if any was refused.\n"
	"--csv: one value per row (the column named NAME, else value/address/\n"
	"domain/alias/email, else the first), each authored as `add` would;\n"
	"values this node already has are skipped.\n"
	"The header may also name per-row columns kind, chain, actor,\n"
	"actor_type, tlp, confidence, valid_until, labels and note (also as\n"
	"indicator_type/type, entity, entity_kind, tags ...; --map FIELD=COLUMN\n"
	"for other names); a cell overrides the option, an empty one falls\n"
	"back to it (with --kind, rows of another kind are refused). A row\n"
	"naming a further actor for a value held adds that link. --where\n"
	"COLUMN=VALUE keeps only the rows where it holds.\n"
	"FILE.xml: STIX 1.x; its CybOX domain, address, URI and sender\n"
	"observables are authored the same way.\n"
	"sdn_advanced.xml (OFAC SDN list, also .bz2/.gz): each digital-currency\n"
	"address becomes a wallet indicating a threat-actor named as the listed\n"
	"entry (its A.K.A.s as aliases, programmes as labels); --program DPRK\n"
	"keeps entries with a programme containing DPRK. Any FILE may be .gz or\n"
	".bz2 (read directly).\n"
	"Without --format, each FILE's format is told by its first bytes and\n"
	"its name; stdin (-) is STIX 2.1 unless it is a file.\n"
	"--tlp marks every unmarked object this node authors; an unmarked one\n"
	"it attests (ATT&CK, which carries only a statement marking, included)\n"
	"stays unmarked and is held and served at that TLP (AMBER without\n"
	"--tlp). An object it cannot apply to (marked with another TLP, or\n"
	"signed by its origin at another TLP) is refused, the rest of the file\n"
	"going on. A value on one of the node's benign lists (benign_lists in\n"
	"node.conf) is taken with a 'warning' line naming the list. Each FILE\n"
	"ends with a 'file' line: created, merged, unchanged, refused (reasons\n"
	"grouped), benign. On a terminal, stderr shows progress (objects/s;\n"
	"share and time left when the size is known).\n"
};

int
cmd_import(int argc, char **argv)
{
	memset(&imp, 0, sizeof(imp));
	memset(&fs, 0, sizeof(fs));
	import_opts_init(&imp.o);
	return cli_run(&import_cmd, "import", argc, argv);
}
