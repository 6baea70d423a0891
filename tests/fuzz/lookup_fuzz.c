/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lookup_fuzz.c - fuzz the consolidated view (node/lookup.h) with the
 * value a peer sends to /lookup/ or an operator pastes: normalisation,
 * the e-mail address's domain and the URL's host (defanged or not), the
 * walk up to the registrable domain, and the summary, for the operator
 * and for a peer. The node (fuzz_node.h) holds, authored once at start,
 * values that inputs can name: a domain and a wallet linked to an
 * intrusion-set, an e-mail address on that domain, an alias, a sighting,
 * an updated and a revoked indicator. Checks that a value is either
 * refused (TX_EINVAL or TX_ELIMIT, nothing out) or answered with the
 * documented shape: kind, canonical and known; at most one related value
 * (only for an e-mail address or a URL); a summary whose verdict is
 * "known", "withdrawn" (every hit revoked or expired) or "unknown", and
 * never "known" for a value the view does not know. The node's store has
 * serve's absent-value filter (store_filter.h): each operator's view is
 * made again without it, and must read the same.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "add.h"
#include "fuzz_node.h"
#include "lifecycle.h"
#include "lookup.h"
#include "node.h"
#include "store_feed.h"
#include "tlp.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define PEER	"identity--7c000000-0000-4000-8000-000000000002"
#define WALLET	"0x47666fab8bd0ac7003bce3f5c3585383f09486e2"

static void
add_one(struct node *n, enum norm_kind kind, const char *value,
    const char *actor, int confidence)
{
	struct add_req	r;
	struct tx_err	e;

	memset(&r, 0, sizeof(r));
	r.kind = kind;
	r.value = value;
	r.actor = actor;
	r.tlp = TLP_UNKNOWN;
	r.confidence = confidence;
	tx_err_clear(&e);
	if (add_value(n, &r, NULL, &e) != 0) {
		fprintf(stderr, "lookup_fuzz: add %s: %s\n", value, e.msg);
		abort();
	}
}

/* The node, with what lookups can find authored once. */
static struct node *
node_once(void)
{
	static struct node	*n;
	struct lc_update	 u;
	struct tx_err		 e;

	if (n != NULL)
		return n;
	n = fuzz_node("lookup");
	add_one(n, NORM_DOMAIN, "evil-lookup.example", "Lazarus Group", 80);
	add_one(n, NORM_EMAIL, "recruiter@evil-lookup.example", NULL, -1);
	add_one(n, NORM_WALLET, WALLET, "Lazarus Group", 90);
	add_one(n, NORM_ALIAS, "APT 38", "Lazarus Group", -1);
	add_one(n, NORM_DOMAIN, "gone-lookup.example", NULL, 10);
	add_one(n, NORM_DOMAIN, "moved-lookup.example", "Kimsuky", 50);
	tx_err_clear(&e);
	if (lifecycle_revoke(n, "gone-lookup.example", "fuzz", NULL,
	    &e) != 0 ||
	    lifecycle_sighting(n, "evil-lookup.example", 3, "fuzz", NULL,
	    NULL, &e) != 0)
		abort();
	memset(&u, 0, sizeof(u));
	u.confidence = 20;
	u.tlp = TLP_UNKNOWN;
	u.label = "fuzz";
	if (lifecycle_update(n, "moved-lookup.example", &u, NULL, &e) != 0 ||
	    store_filter_enable(n->st, &e) != 0)
		abort();
	return n;
}

/* The operator's view of value without the filter reads as text. */
static void
same_unfiltered(struct node *n, const char *value, const char *text)
{
	struct tx_err	 e;
	json_t		*v = NULL;
	char		*t;

	store_filter_free(n->st);
	tx_err_clear(&e);
	if (lookup_value(&v, n, value, NULL, &e) != 0 ||
	    (t = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT)) == NULL)
		abort();
	if (strcmp(t, text) != 0) {
		fprintf(stderr, "lookup_fuzz: filtered %s\nunfiltered %s\n",
		    text, t);
		abort();
	}
	free(t);
	json_decref(v);
	if (store_filter_enable(n->st, &e) != 0)
		abort();
}

static void
check_view(const json_t *v)
{
	const char	*kind = json_string_value(json_object_get(v, "kind"));
	const char	*verdict;
	const json_t	*rel = json_object_get(v, "related");
	json_t		*s = NULL;
	int		 known;

	if (kind == NULL || !json_is_string(json_object_get(v, "canonical")) ||
	    !json_is_boolean(json_object_get(v, "known")) ||
	    !json_is_array(json_object_get(v, "hits")))
		abort();
	known = json_is_true(json_object_get(v, "known"));
	if ((strcmp(kind, "email") == 0 || strcmp(kind, "url") == 0) !=
	    (rel != NULL) || json_array_size(rel) > 1)
		abort();
	if (lookup_summary(&s, v, NULL) != 0)
		abort();
	verdict = json_string_value(json_object_get(s, "verdict"));
	if (verdict == NULL || (strcmp(verdict, "known") != 0 &&
	    strcmp(verdict, "unknown") != 0 &&
	    strcmp(verdict, "withdrawn") != 0) ||
	    (!known && strcmp(verdict, "known") == 0))
		abort();
	json_decref(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct node		*n = node_once();
	struct store_policy	 pol = { n->cfg.identity, PEER, TLP_GREEN,
	    1, NULL, 0, 0 };
	struct tx_err		 e;
	json_t			*v = NULL;
	char			*value;
	int			 rc, i;

	if ((value = malloc(size + 1)) == NULL)
		return 0;
	memcpy(value, data, size);
	value[size] = '\0';
	for (i = 0; i < 2; i++) {
		tx_err_clear(&e);
		rc = lookup_value(&v, n, value, i ? &pol : NULL, &e);
		if (rc < 0) {
			if (v != NULL || (rc != TX_EINVAL && rc != TX_ELIMIT))
				abort();
			continue;
		}
		check_view(v);
		if (i == 0) {
			char	*t = json_dumps(v, JSON_SORT_KEYS |
			    JSON_COMPACT);

			if (t == NULL)
				abort();
			same_unfiltered(n, value, t);
			free(t);
		}
		json_decref(v);
		v = NULL;
	}
	free(value);
	return 0;
}
