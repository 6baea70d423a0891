/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_import.c - `import FILE...`: STIX 2.1 JSON (object, bundle or TAXII
 * envelope, streamed) into the store through the merge path. An object
 * that already carries a valid origin signature is merged as it is. An
 * unsigned object is signed by this node: as its author when this node
 * created it, as its attester when its creator is outside the federation
 * (MITRE ATT&CK, a vendor report); an unsigned object created by another
 * member is refused, since only that member can sign it. Unmarked
 * objects get this node's default TLP before signing. Signing goes in
 * batches of batch_size objects of one TLP level each.
 */
#include "cli.h"
#include "author.h"
#include "csv.h"
#include "merge.h"
#include "norm.h"
#include "recipe.h"
#include "xml1x.h"
#include "stream.h"
#include "validate.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Objects whose markings do not resolve yet (a statement marking later in
 * the same file, as in ATT&CK) wait for the end of the file, up to this
 * many; past it they are refused.
 */
#define IMPORT_DEFER_MAX 200000

struct import_ctx {
	struct node	*n;
	const char	*file;
	json_t		*pending[TLP_UNKNOWN + 1];	/* arrays per TLP */
	json_t		*deferred;
	int		 batch;
	int		 quiet;
	long		 seen, stored, duplicates, refused;
	int		 rc;
};

static void
report(struct import_ctx *ic, const struct merge_result *r)
{
	switch (r->status) {
	case MERGE_NEW:
	case MERGE_EQUIVOCATION:
	case MERGE_JOINED:
		ic->stored++;
		break;
	case MERGE_DUPLICATE:
		ic->duplicates++;
		break;
	default:
		ic->refused++;
		printf("refused\t%s\t%s\t%s\n", ic->file, r->id, r->reason);
		return;
	}
	if (!ic->quiet)
		printf("%s\t%s\n", merge_status_name(r->status), r->id);
}

/* Sign and merge the pending objects of one TLP level. */
static int
flush_level(struct import_ctx *ic, int level, struct tx_err *err)
{
	json_t			*arr = ic->pending[level];
	json_t			**objs;
	struct merge_result	*res;
	size_t			 n = json_array_size(arr), i;
	int			 rc;

	if (n == 0)
		return 0;
	objs = calloc(n, sizeof(*objs));
	res = calloc(n, sizeof(*res));
	if (objs == NULL || res == NULL) {
		free(objs);
		free(res);
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++)
		objs[i] = json_array_get(arr, i);
	rc = author_commit(ic->n, objs, n, res, err);
	for (i = 0; rc == 0 && i < n; i++)
		report(ic, &res[i]);
	json_array_clear(arr);
	free(objs);
	free(res);
	return rc;
}

/* Merge an object that carries its own signatures, as it is. */
static int
merge_signed(struct import_ctx *ic, json_t *obj, struct tx_err *err)
{
	struct merge_src	src = { "", NULL, "", node_now_us(), NULL, 0 };
	struct merge_result	res;
	int			rc;

	if ((rc = store_begin(ic->n->st, err)) < 0)
		return rc;
	if ((rc = merge_object(ic->n, obj, &src, &res, err)) < 0) {
		store_rollback(ic->n->st);
		return rc;
	}
	if ((rc = store_commit(ic->n->st, err)) < 0)
		return rc;
	report(ic, &res);
	return 0;
}

/*
 * Queue an unsigned object for signing at its TLP level. Unmarked objects
 * get the default TLP marking (added to any statement markings) before
 * signing. Objects whose markings do not resolve wait (may_defer) or are
 * refused.
 */
static int
queue(struct import_ctx *ic, json_t *obj, int may_defer, struct tx_err *err)
{
	enum tlp_level	 tlp;
	json_t		*refs;
	int		 unmarked;

	tlp = merge_effective_tlp(ic->n, obj, &unmarked);
	if (tlp == TLP_UNKNOWN) {
		if (may_defer && json_array_size(ic->deferred) <
		    IMPORT_DEFER_MAX)
			return json_array_append(ic->deferred, obj) == 0 ? 0 :
			    tx_err_set(err, TX_ENOMEM, "out of memory");
		printf("refused\t%s\t%s\tunknown marking: not shareable, not "
		    "imported\n", ic->file,
		    json_string_value(json_object_get(obj, "id")));
		ic->refused++;
		return 0;
	}
	if (unmarked) {
		tlp = ic->n->cfg.default_tlp;
		if (!json_is_array(refs = json_object_get(obj,
		    "object_marking_refs"))) {
			refs = json_array();
			json_object_set_new(obj, "object_marking_refs", refs);
		}
		json_array_append_new(refs, json_string(tlp_marking_id(tlp)));
	}
	json_array_append(ic->pending[tlp], obj);
	if ((int)json_array_size(ic->pending[tlp]) >= ic->batch)
		return flush_level(ic, tlp, err);
	return 0;
}

static int
object_cb(size_t index, json_t *obj, const struct tx_err *elem_err,
    void *payload)
{
	struct import_ctx	*ic = payload;
	const char		*creator, *type;
	char			 msg[600];
	int			 rc;
	struct tx_err		 err;

	ic->seen++;
	tx_err_clear(&err);
	if (obj == NULL) {
		tx_err_format(elem_err, msg, sizeof(msg));
		printf("refused\t%s\tobjects[%zu]\t%s\n", ic->file, index, msg);
		ic->refused++;
		return 0;
	}
	if (json_object_get(obj, "signatures") != NULL) {
		rc = merge_signed(ic, obj, &err);
		goto done;
	}
	creator = merge_creator_ref(obj);
	type = json_string_value(json_object_get(obj, "type"));
	if (creator == NULL && type != NULL && !stix_type_is_sco(type)) {
		printf("refused\t%s\t%s\tno created_by_ref: its creator is "
		    "unknown, so it can be neither authored nor attested\n",
		    ic->file, json_string_value(json_object_get(obj, "id")));
		ic->refused++;
		return 0;
	}
	if (creator != NULL && strcmp(creator, ic->n->cfg.identity) != 0 &&
	    roster_by_identity(&ic->n->roster, creator) != NULL) {
		printf("refused\t%s\t%s\tcreated by federation member %s; only "
		    "it can sign it\n", ic->file,
		    json_string_value(json_object_get(obj, "id")),
		    node_member_name(ic->n, creator));
		ic->refused++;
		return 0;
	}
	rc = queue(ic, obj, 1, &err);
done:
	if (rc < 0) {
		ic->rc = rc;
		tx_err_format(&err, msg, sizeof(msg));
		fprintf(stderr, "threatex import: %s: %s\n", ic->file, msg);
		return rc;
	}
	return 0;
}

/* --- CSV: one value per row, authored with the `add` recipe --- */

struct csv_import {
	struct import_ctx	*ic;
	struct recipe		 rec;
	const char		*column;
	char			 actor[128];
	json_t			*seen;		/* canonical values this run */
	json_t			**objs;
	size_t			 nobj, cap;
	long			 exists;
};

static int
csv_flush(struct csv_import *ci, struct tx_err *err)
{
	struct merge_result	*res;
	size_t			 i;
	int			 rc;

	if (ci->nobj == 0)
		return 0;
	if ((res = calloc(ci->nobj, sizeof(*res))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	rc = author_commit(ci->ic->n, ci->objs, ci->nobj, res, err);
	for (i = 0; i < ci->nobj; i++) {
		if (rc == 0)
			report(ci->ic, &res[i]);
		json_decref(ci->objs[i]);
	}
	ci->nobj = 0;
	free(res);
	return rc;
}

/* Which column holds the values: --column, a well-known name, or the first. */
static int
csv_column(char **hdr, int nh, const char *want)
{
	static const char	*names[] = { "value", "address", "domain",
	    "alias", "email", "indicator" };
	size_t			 k;
	int			 i;

	for (i = 0; i < nh; i++)
		if (want != NULL && strcmp(hdr[i], want) == 0)
			return i;
	if (want != NULL)
		return -1;
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		for (i = 0; i < nh; i++)
			if (strcmp(hdr[i], names[k]) == 0)
				return i;
	return 0;
}

static int
csv_row(struct csv_import *ci, const char *value, long lineno,
    struct tx_err *err)
{
	struct norm_result	r;
	struct tx_err		verr;
	int			rc;

	ci->ic->seen++;
	tx_err_clear(&verr);
	if (ci->cap - ci->nobj < RECIPE_MAX_OBJS && (rc = csv_flush(ci,
	    err)) < 0)
		return rc;
	/* The same value twice in one file: the first row stands. */
	if (norm_value(&r, ci->rec.kind, ci->rec.chain, value, strlen(value),
	    NULL) == 0 && json_object_get(ci->seen, r.canonical) != NULL) {
		ci->exists++;
		return 0;
	}
	rc = recipe_build(ci->objs, &ci->nobj, ci->ic->n, &ci->rec, value,
	    ci->actor, &r, &verr);
	if (rc == TX_EEXIST) {
		ci->exists++;
		return 0;
	}
	if (rc == TX_EINVAL || rc == TX_ELIMIT) {
		printf("refused\t%s:%ld\t%s\t%s\n", ci->ic->file, lineno, value,
		    verr.msg);
		ci->ic->refused++;
		return 0;
	}
	if (rc < 0) {
		*err = verr;
		return rc;
	}
	json_object_set_new(ci->seen, r.canonical, json_true());
	return 0;
}

static int
import_csv(struct import_ctx *ic, struct csv_import *ci, const char *path)
{
	struct tx_err	 err;
	FILE		*f;
	char		*line, *fields[CSV_FIELDS_MAX];
	size_t		 len;
	long		 lineno = 0;
	int		 n, col = -1, rc = 0;

	tx_err_clear(&err);
	ic->file = path;
	if ((f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r")) == NULL) {
		fprintf(stderr, "threatex import: %s: %s\n", path,
		    strerror(errno));
		return CLI_FAIL;
	}
	if ((line = malloc(CSV_LINE_MAX + 2)) == NULL) {
		if (f != stdin)
			fclose(f);
		return CLI_FAIL;
	}
	while (rc == 0 && fgets(line, CSV_LINE_MAX + 2, f) != NULL) {
		lineno++;
		len = strlen(line);
		if (len > CSV_LINE_MAX) {
			printf("refused\t%s:%ld\t\tline longer than %d bytes\n",
			    path, lineno, CSV_LINE_MAX);
			ic->refused++;
			while (len > 0 && line[len - 1] != '\n' &&
			    fgets(line, CSV_LINE_MAX + 2, f) != NULL)
				len = strlen(line);
			continue;
		}
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		n = csv_split(line, len, fields, CSV_FIELDS_MAX);
		if (n < 0) {
			printf("refused\t%s:%ld\t\tmalformed CSV line\n", path,
			    lineno);
			ic->refused++;
			continue;
		}
		if (col < 0) {
			if ((col = csv_column(fields, n, ci->column)) < 0) {
				fprintf(stderr, "threatex import: %s: no column "
				    "named %s\n", path, ci->column);
				rc = TX_EINVAL;
			}
			continue;
		}
		if (col < n && fields[col][0] != '\0')
			rc = csv_row(ci, fields[col], lineno, &err);
	}
	if (rc == 0)
		rc = csv_flush(ci, &err);
	free(line);
	if (f != stdin)
		fclose(f);
	if (rc < 0 && err.msg[0] != '\0')
		return cli_fail("import", &err);
	return rc < 0 ? CLI_FAIL : CLI_OK;
}

/* --- STIX 1.x XML: CybOX observables, authored with the same recipe --- */

struct xml_ctx {
	struct csv_import	*ci;
	int			 rc;
	struct tx_err		*err;
};

static int
xml_value(enum norm_kind kind, const char *value, const char *title,
    void *payload)
{
	struct xml_ctx	*xc = payload;

	xc->ci->rec.kind = kind;
	if ((xc->rc = csv_row(xc->ci, value, 0, xc->err)) < 0)
		return xc->rc;
	return 0;
}

static int
import_xml(struct import_ctx *ic, struct csv_import *ci, const char *path,
    const uint8_t *buf, size_t len)
{
	struct tx_err	err;
	struct xml_ctx	xc = { ci, 0, &err };
	int		rc;

	tx_err_clear(&err);
	ic->file = path;
	rc = xml1x_observables(buf, len, xml_value, &xc, &err);
	if (rc >= 0 && xc.rc == 0)
		rc = csv_flush(ci, &err);
	if (rc < 0 || xc.rc < 0) {
		tx_err_prefix(&err, "%s", path);
		return cli_fail("import", &err);
	}
	return CLI_OK;
}

static int
import_file(struct import_ctx *ic, const char *path)
{
	struct stix_limits	 lim;
	struct stix_doc_info	 info;
	struct tx_err		 err;
	size_t			 i;
	int			 fd, rc, l;

	tx_err_clear(&err);
	ic->file = path;
	if ((fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY)) < 0) {
		fprintf(stderr, "threatex import: %s: %s\n", path,
		    strerror(errno));
		return CLI_FAIL;
	}
	stix_limits_default(&lim);
	rc = stix_stream_fd(&info, fd, &lim, object_cb, ic, &err);
	if (fd != 0)
		close(fd);
	/* Markings first (they resolve the deferred), then the deferred. */
	for (l = 0; rc == 0 && l < TLP_UNKNOWN; l++)
		rc = flush_level(ic, l, &err);
	for (i = 0; rc == 0 && i < json_array_size(ic->deferred); i++)
		rc = queue(ic, json_array_get(ic->deferred, i), 0, &err);
	json_array_clear(ic->deferred);
	for (l = 0; rc == 0 && l < TLP_UNKNOWN; l++)
		rc = flush_level(ic, l, &err);
	if (rc < 0 && ic->rc == 0) {
		tx_err_prefix(&err, "%s", path);
		return cli_fail("import", &err);
	}
	return ic->rc < 0 ? CLI_FAIL : CLI_OK;
}

int
cmd_import(int argc, char **argv)
{
	static const struct option	 opts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "csv", no_argument, NULL, 'x' },
		{ "kind", required_argument, NULL, 'k' },
		{ "column", required_argument, NULL, 'c' },
		{ "chain", required_argument, NULL, 'C' },
		{ "actor", required_argument, NULL, 'a' },
		{ "individual", no_argument, NULL, 'i' },
		{ "tlp", required_argument, NULL, 't' },
		{ "confidence", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct import_ctx	 ic;
	struct csv_import	 ci;
	struct tx_err		 err;
	int			 ch, i, l, rc = CLI_OK, r, csv = 0, tlp_set = 0;

	memset(&ic, 0, sizeof(ic));
	memset(&ci, 0, sizeof(ci));
	ci.ic = &ic;
	ci.rec.confidence = -1;
	tx_err_clear(&err);
	while ((ch = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
		if (ch == 'q')
			ic.quiet = 1;
		else if (ch == 'x')
			csv = 1;
		else if (ch == 'k' && norm_kind_from_name(&ci.rec.kind,
		    optarg) == 0)
			continue;
		else if (ch == 'c')
			ci.column = optarg;
		else if (ch == 'C')
			ci.rec.chain = optarg;
		else if (ch == 'a')
			ci.rec.actor = optarg;
		else if (ch == 'i')
			ci.rec.individual = 1;
		else if (ch == 't' && tlp_from_name(&ci.rec.tlp, optarg) == 0 &&
		    ci.rec.tlp != TLP_UNKNOWN)
			tlp_set = 1;
		else if (ch == 'f' && cli_int(&ci.rec.confidence, optarg, 0,
		    100) == 0)
			continue;
		else {
			fprintf(ch == 'h' ? stdout : stderr, "usage: threatex "
			    "[-d DIR] import [--quiet] FILE...|-\n"
			    "       threatex [-d DIR] import --csv --kind KIND "
			    "[--column NAME] [--chain C]\n"
			    "              [--actor NAME [--individual]] [--tlp L] "
			    "[--confidence N] FILE...\n\n"
			    "Import STIX 2.1 JSON (object, bundle or envelope). "
			    "Signed objects are\nverified and merged; unsigned "
			    "ones are signed by this node (as author,\nor as "
			    "attester when their creator is outside the "
			    "federation). One\nline per object; 'refused' lines "
			    "say why. Exit 3 if any was refused.\n"
			    "--csv: one value per row (the column named NAME, "
			    "else value/address/\ndomain/alias/email, else the "
			    "first), each authored as `add` would;\nvalues this "
			    "node already has are skipped.\n"
			    "FILE.xml: STIX 1.x; its CybOX domain, address, URI "
			    "and sender\nobservables are authored the same "
			    "way.\n");
			return ch == 'h' ? CLI_OK : CLI_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: threatex import [--quiet] FILE...|-\n");
		return CLI_USAGE;
	}
	if (csv && ci.rec.kind == NORM_UNKNOWN) {
		fprintf(stderr, "threatex import: --csv needs --kind wallet|"
		    "domain|email|alias\n");
		return CLI_USAGE;
	}
	if (node_open(&ic.n, cli_node_dir(), NODE_OPEN_SIGNING, &err) < 0)
		return cli_fail("import", &err);
	ic.batch = ic.n->cfg.batch_size;
	if (!tlp_set)
		ci.rec.tlp = ic.n->cfg.default_tlp;
	ci.cap = (size_t)ic.batch + RECIPE_MAX_OBJS;
	ci.objs = calloc(ci.cap, sizeof(*ci.objs));
	ci.seen = json_object();
	if (ci.objs == NULL || ci.seen == NULL) {
		node_close(ic.n);
		return CLI_FAIL;
	}
	for (l = 0; l <= TLP_UNKNOWN; l++)
		ic.pending[l] = json_array();
	ic.deferred = json_array();
	for (i = optind; i < argc; i++) {
		size_t	 nl = strlen(argv[i]);
		uint8_t	*xml = NULL;
		size_t	 xlen = 0;

		if (!csv && nl > 4 && strcmp(argv[i] + nl - 4, ".xml") == 0) {
			if (node_read_file(&xml, &xlen, argv[i],
			    XML1X_MAX_BYTES, &err) < 0)
				r = cli_fail("import", &err);
			else
				r = import_xml(&ic, &ci, argv[i], xml, xlen);
			free(xml);
		} else
			r = csv ? import_csv(&ic, &ci, argv[i]) :
			    import_file(&ic, argv[i]);
		if (r > rc)
			rc = r;
	}
	printf("imported\tseen=%ld\tnew=%ld\tduplicate=%ld\trefused=%ld"
	    "\texists=%ld\n", ic.seen, ic.stored, ic.duplicates, ic.refused,
	    ci.exists);
	free(ci.objs);
	json_decref(ci.seen);
	for (l = 0; l <= TLP_UNKNOWN; l++)
		json_decref(ic.pending[l]);
	json_decref(ic.deferred);
	node_close(ic.n);
	if (rc == CLI_OK && ic.refused > 0)
		rc = CLI_REFUSED;
	return rc;
}
