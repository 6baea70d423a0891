/* SPDX-License-Identifier: Apache-2.0 */
/*
 * norm_fuzz.c - fuzz the normalisation dispatcher. The first byte picks
 * the kind (and a chain for wallets), the rest is the value. Checks that a
 * success gives NUL-terminated, bounded fields and a canonical form that
 * is valid UTF-8 (it goes into JSON and STIX objects), that the canonical
 * form is a fixed point (normalising it again gives itself), that
 * domain suffix candidates stay within the name, that a domain reversed
 * (label order, as the store indexes it) keeps its length or its buffer,
 * and that a public suffix is refused unless forced.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "err.h"
#include "intake.h"
#include "norm.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const fuzz_chains[] = { NULL, "bitcoin", "ethereum",
	"tron", "litecoin", "bch", "monero", "solana", "usdt", "ripple" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct norm_result	r, r2;
	struct tx_err		e;
	char			keys[8][256], rev[300], small[8];
	const char		*chain;
	enum norm_kind		kind, k2;
	size_t			bad;
	int			n, i;

	if (size < 1)
		return 0;
	kind = (enum norm_kind)(data[0] % 8);
	chain = fuzz_chains[(data[0] >> 3) % 10];
	if (norm_value(&r, kind, chain, (const char *)data + 1, size - 1,
	    &e) != 0)
		return 0;
	if (memchr(r.canonical, '\0', sizeof(r.canonical)) == NULL ||
	    memchr(r.match_key, '\0', sizeof(r.match_key)) == NULL ||
	    memchr(r.chain, '\0', sizeof(r.chain)) == NULL ||
	    memchr(r.note, '\0', sizeof(r.note)) == NULL)
		abort();
	if (stix_utf8_check((const uint8_t *)r.canonical, strlen(r.canonical),
	    &bad) != 0)
		abort();
	/* the kind's name names it again */
	if (norm_kind_from_name(&k2, norm_kind_name(r.kind)) != 0 ||
	    k2 != r.kind || norm_kind_sco_type(r.kind) == NULL)
		abort();
	/* idempotence: canonical is a fixed point of its own kind */
	if (norm_value(&r2, r.kind, r.kind == NORM_WALLET ? r.chain : NULL,
	    r.canonical, strlen(r.canonical), &e) != 0)
		abort();
	if (strcmp(r.canonical, r2.canonical) != 0 ||
	    strcmp(r.match_key, r2.match_key) != 0)
		abort();
	if (r.kind == NORM_DOMAIN) {
		n = norm_domain_parents(keys, 8, r.canonical);
		if (n < 1 || strcmp(keys[0], r.canonical) != 0)
			abort();
		for (i = 1; i < n; i++)
			if (strstr(r.canonical, keys[i]) == NULL)
				abort();
		/* the reversed name has the same length, labels reordered */
		norm_domain_reverse(rev, sizeof(rev), r.canonical);
		if (strlen(rev) != strlen(r.canonical))
			abort();
		norm_domain_reverse(small, sizeof(small), r.canonical);
		if (strlen(small) >= sizeof(small))
			abort();
		/* a public suffix is refused unless forced */
		if (domain_suffix_check(r.canonical, 1, &e) != 0 ||
		    (domain_suffix_check(r.canonical, 0, &e) != 0) !=
		    domain_is_public_suffix(r.canonical))
			abort();
	}
	return 0;
}
