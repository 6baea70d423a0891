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
#include "merge.h"
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
	struct merge_src	src = { "", NULL, "", node_now_us() };
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct import_ctx	 ic;
	struct tx_err		 err;
	int			 ch, i, l, rc = CLI_OK, r;

	memset(&ic, 0, sizeof(ic));
	tx_err_clear(&err);
	while ((ch = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
		if (ch == 'q')
			ic.quiet = 1;
		else {
			fprintf(ch == 'h' ? stdout : stderr, "usage: threatex "
			    "[-d DIR] import [--quiet] FILE...|-\n\n"
			    "Import STIX 2.1 JSON (object, bundle or envelope). "
			    "Signed objects are\nverified and merged; unsigned "
			    "ones are signed by this node (as author,\nor as "
			    "attester when their creator is outside the "
			    "federation). One\nline per object; 'refused' lines "
			    "say why. Exit 3 if any was refused.\n");
			return ch == 'h' ? CLI_OK : CLI_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: threatex import [--quiet] FILE...|-\n");
		return CLI_USAGE;
	}
	if (node_open(&ic.n, cli_node_dir(), NODE_OPEN_SIGNING, &err) < 0)
		return cli_fail("import", &err);
	ic.batch = ic.n->cfg.batch_size;
	for (l = 0; l <= TLP_UNKNOWN; l++)
		ic.pending[l] = json_array();
	ic.deferred = json_array();
	for (i = optind; i < argc; i++) {
		r = import_file(&ic, argv[i]);
		if (r > rc)
			rc = r;
	}
	printf("imported\tseen=%ld\tnew=%ld\tduplicate=%ld\trefused=%ld\n",
	    ic.seen, ic.stored, ic.duplicates, ic.refused);
	for (l = 0; l <= TLP_UNKNOWN; l++)
		json_decref(ic.pending[l]);
	json_decref(ic.deferred);
	node_close(ic.n);
	if (rc == CLI_OK && ic.refused > 0)
		rc = CLI_REFUSED;
	return rc;
}
