/* SPDX-License-Identifier: Apache-2.0 */
/*
 * faultfx.c - see faultfx.h: the helpers the fault sweeps share (hooks,
 * the node, inputs, the import report callback).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "batch.h"
#include "failalloc.h"
#include "faultfx.h"
#include "faultvfs.h"
#include "fixture.h"
#include "import.h"
#include "node.h"
#include "sig.h"
#include "store.h"


int
faultfx_install(const char *hooks)
{
	if (failalloc_install() != 0 || faultvfs_install(1) != 0) {
		fprintf(stderr, "cannot install the %s hooks\n", hooks);
		return -1;
	}
	return 0;
}

struct node *
faultfx_node_fresh(struct fx_store *fx, const char *self_id,
    const uint8_t self_seed[32], const char *us_id, const uint8_t us_seed[32])
{
	struct tx_err	 err;
	struct node	*n;

	tx_err_clear(&err);
	n = fx_node_mem(fx, "uk-ncsc", self_id, self_seed, 64, &err);
	if (n == NULL || fx_node_member(n, "us-cert", us_id, us_seed, 0,
	    &err) != 0)
		fail_msg("node: %s", err.msg);
	return n;
}

void
faultfx_node_reset(struct node *n, struct fx_store *fx, long fail)
{
	struct tx_err	err;

	/* Fails if the run before left its transaction open. */
	if (faultvfs_wipe(fx->path) != 0)
		fail_msg("n=%ld: cannot empty the store: a transaction was "
		    "left open", fail - 1);
	/* Cold caches (prepared statements, pages), as a new node has. */
	store_close(n->st);
	n->st = fx->st = NULL;
	tx_err_clear(&err);
	if (store_open(&fx->st, fx->path, &err) != 0)
		fail_msg("reopen: %s", err.msg);
	n->st = fx->st;
	batch_cache_free(n->cache);
	if ((n->cache = batch_cache_new(256)) == NULL)
		fail_msg("out of memory");
}

void
faultfx_check(struct node *n, const struct fx_store *fx,
    const char *const *q, size_t nq, long *out, long fail)
{
	struct audit_head	h;
	struct tx_err		err;
	char			why[300];

	if (faultvfs_checks(fx->path, q, nq, out, why, sizeof(why)) != 0)
		fail_msg("n=%ld: integrity_check: %s", fail, why);
	tx_err_clear(&err);
	if (audit_verify(n->st, &h, &err) != 0)
		fail_msg("n=%ld: audit verify: %s", fail, err.msg);
}

json_t *
faultfx_indicator(const char *id, const char *creator, const char *domain,
    const char *marking)
{
	json_t	*o = fx_indicator(id, creator, domain, marking);

	assert_non_null(o);
	return o;
}

void
faultfx_sign(json_t **objs, size_t n, const uint8_t seed[32],
    const char *who)
{
	struct sig_key		*k = fx_key_from_seed(seed);
	struct batch_signer	 s = { k, who };
	struct tx_err		 err;

	assert_non_null(k);
	tx_err_clear(&err);
	if (batch_sign(objs, n, &s, node_now_us(), &err) != 0)
		fail_msg("batch_sign: %s", err.msg);
	sig_key_free(k);
}

void
faultfx_on_report(const struct import_report *r, void *arg)
{
	struct faultfx_tally	*t = arg;

	if (r->verdict == IMPORT_STORED)
		t->stored++;
	else if (r->verdict == IMPORT_REFUSED && t->refused++ == 0)
		snprintf(t->refusal, sizeof(t->refusal), "%s: %s", r->id,
		    r->reason);
}
