/* SPDX-License-Identifier: Apache-2.0 */
/*
 * private_fuzz.c - the private lookup messages a member receives
 * (node/private.h, docs/protocol.md §12.4) on arbitrary bytes: an
 * evaluate request (holder side), an evaluate answer for batches of 1
 * and 3, and a page of a private set (partner side). Never crashes or
 * leaks; what is accepted stays within its bounds.
 *
 * The holder then does what it does with a request that parsed: a node
 * made once (fuzz_node.h), holding a wallet and a domain, with private
 * lookup enabled for one member (its OPRF key and signed statement made
 * by private_enable), evaluates the blinded elements for that member
 * (private_evaluate: budget, audit, DLEQ proof); an answer it gives must
 * verify against the member's public key. The member's set, statement
 * and budget are read as the server reads them, and the input is also an
 * OPRF input value of each kind (private_input).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "add.h"
#include "hash.h"
#include "config.h"
#include "fuzz_node.h"
#include "node.h"
#include "oprf.h"
#include "private.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MEMBER		"uk-ncsc"
#define MEMBER_ID	"identity--8952bd34-7a3c-4c4a-94a6-6508cd3ba4c1"

static struct node	*holder;
static struct cfg_peer	*member;
static uint8_t		 member_pk[OPRF_NE];

static void
add_one(enum norm_kind kind, const char *value)
{
	struct add_req	r;
	struct tx_err	e;

	memset(&r, 0, sizeof(r));
	r.kind = kind;
	r.value = value;
	r.tlp = TLP_UNKNOWN;
	r.confidence = -1;
	if (add_value(holder, &r, NULL, &e) != 0)
		abort();
}

/* The holder node, its member and the member's key, once. */
static void
holder_once(void)
{
	struct cfg_peer	p;
	struct tx_err	e;
	char		pk[48];

	if (holder != NULL)
		return;
	holder = fuzz_node("private");
	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "%s", MEMBER);
	snprintf(p.identity, sizeof(p.identity), "%s", MEMBER_ID);
	p.max_tlp = TLP_GREEN;
	p.identity_only = 1;
	p.private_lookup = 1;
	p.private_budget = 10000000;
	tx_err_clear(&e);
	if (registry_add(&holder->cfg.reg, &p, &e) != 0 ||
	    (member = cfg_peer_by_name(&holder->cfg, MEMBER)) == NULL ||
	    private_enable(holder, MEMBER, pk, &e) != 0 ||
	    b64url_decode(member_pk, sizeof(member_pk), pk, strlen(pk)) !=
	    OPRF_NE) {
		fprintf(stderr, "private_fuzz: holder: %s\n", e.msg);
		abort();
	}
	add_one(NORM_WALLET, "0x47666fab8bd0ac7003bce3f5c3585383f09486e2");
	add_one(NORM_DOMAIN, "private-fuzz.example");
}

/* The holder's answer to a request that parsed, checked as a member. */
static void
evaluate(const uint8_t (*bl)[OPRF_NE], size_t n)
{
	uint8_t		(*ev)[OPRF_NE], proof[OPRF_PROOF];
	struct tx_err	 e;
	int64_t		 reset;
	int		 rc;

	if ((ev = calloc(n, OPRF_NE)) == NULL)
		return;
	tx_err_clear(&e);
	rc = private_evaluate(holder, member, bl, n, ev, proof, &reset, &e);
	if (rc == 0 && voprf_verify(member_pk, bl,
	    (const uint8_t (*)[OPRF_NE])ev, n, proof, &e) != 0)
		abort();
	if (rc != 0 && rc != TX_EINVAL && rc != TX_ELIMIT)
		abort();
	free(ev);
}

/* What the server reads for the member, and the input as OPRF input. */
static void
holder_reads(const uint8_t *data, size_t size)
{
	static const char *const	 kinds[] = { "wallet", "domain",
	    "email", "url", "alias", "nope" };
	struct tx_err			 e;
	uint8_t				*set = NULL, in[PRIVATE_INPUT_MAX];
	char				 stamp[96], *stmt = NULL, key[300];
	size_t				 nset, len, i;
	int64_t				 used, reset;

	if (private_set(holder, member, &set, &nset, stamp, &e) != 0 ||
	    nset == 0)
		abort();
	free(set);
	if (private_statement(holder, member, &stmt, &e) != 0)
		abort();
	free(stmt);
	if (private_budget(holder, member, &used, &reset, &e) != 0)
		abort();
	len = size < sizeof(key) - 1 ? size : sizeof(key) - 1;
	memcpy(key, data, len);
	key[len] = '\0';
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (private_input(in, sizeof(in), &len, kinds[i], key) == 0 &&
		    len > sizeof(in))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct private_page	 pg;
	struct tx_err		 err;
	uint8_t			(*bl)[OPRF_NE] = NULL, ev[3][OPRF_NE];
	uint8_t			 proof[OPRF_PROOF];
	const char		*body = (const char *)data;
	size_t			 n = 0;

	if (size > 1024 * 1024)
		return 0;
	holder_once();
	tx_err_clear(&err);
	if (private_batch_parse(&bl, &n, body, size, &err) == 0) {
		if (n == 0 || n > PRIVATE_BATCH_MAX)
			abort();
		evaluate((const uint8_t (*)[OPRF_NE])bl, n);
		free(bl);
	}
	if (private_answer_parse(ev, 1, proof, body, size, &err) == 0 &&
	    private_answer_parse(ev, 3, proof, body, size, &err) == 0)
		abort();	/* one array cannot hold 1 and 3 */
	if (private_page_parse(&pg, body, size, &err) == 0) {
		if (pg.offset > pg.total || pg.count > pg.total - pg.offset ||
		    pg.total > PRIVATE_SET_MAX || pg.statement == NULL)
			abort();
		if (pg.count > 0)
			memset(pg.elems, 0, pg.count * PRIVATE_TRUNC);
		private_page_free(&pg);
	}
	holder_reads(data, size);
	return 0;
}
