/* SPDX-License-Identifier: Apache-2.0 */
/*
 * taxii_discovery_fuzz.c - fuzz target: a feed's hostile discovery, API
 * root and collections documents (peers/taxii_discovery.c), each input
 * read as all three; the collection choice and the resolution of every
 * API root against a fixed base run on what parsed. Invariants: every
 * string NUL-terminated inside its field, counts within their caps, a
 * chosen index inside the list and readable, a resolved URL https:// and
 * ending in '/'. A violation aborts, so libFuzzer reports it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "taxii_discovery.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_str(const char *s, size_t room)
{
	if (memchr(s, '\0', room) == NULL)
		abort();
}

static void
check_url(const char *base, const char *ref)
{
	char		out[TAXII_URL_MAX];
	struct tx_err	err;
	size_t		l;

	tx_err_clear(&err);
	if (taxii_url_resolve(out, base, ref, &err) == 0) {
		check_str(out, sizeof(out));
		l = strlen(out);
		if (strncmp(out, "https://", 8) != 0 || l == 0 ||
		    out[l - 1] != '/')
			abort();
	}
	check_str(err.msg, sizeof(err.msg));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct taxii_discovery	d;
	static struct taxii_collections	cs;
	struct tx_err			err;
	char				list[512];
	size_t				i, idx;

	tx_err_clear(&err);
	if (taxii_discovery_parse(&d, (const char *)data, size, &err) == 0) {
		if (d.nroots > TAXII_ROOTS_MAX)
			abort();
		check_str(d.title, sizeof(d.title));
		check_str(d.dflt, sizeof(d.dflt));
		if (d.dflt[0] != '\0')
			check_url("https://feed.example:8443/taxii2/", d.dflt);
		for (i = 0; i < d.nroots; i++) {
			check_str(d.roots[i], sizeof(d.roots[i]));
			check_url("https://feed.example/taxii2/", d.roots[i]);
		}
	}
	check_str(err.msg, sizeof(err.msg));
	check_str(err.where, sizeof(err.where));
	tx_err_clear(&err);
	if (taxii_collections_parse(&cs, (const char *)data, size,
	    &err) == 0) {
		if (cs.n > TAXII_COLLS_MAX)
			abort();
		for (i = 0; i < cs.n; i++) {
			check_str(cs.c[i].id, sizeof(cs.c[i].id));
			check_str(cs.c[i].title, sizeof(cs.c[i].title));
		}
		tx_err_clear(&err);
		if (taxii_collection_choose(&cs, NULL, &idx, list,
		    sizeof(list), &err) == 0 && (idx >= cs.n ||
		    !cs.c[idx].can_read))
			abort();
		if (cs.n > 0 && taxii_collection_choose(&cs, cs.c[0].title,
		    &idx, list, sizeof(list), &err) == 0 && idx >= cs.n)
			abort();
		check_str(list, sizeof(list));
	}
	check_str(err.msg, sizeof(err.msg));
	return 0;
}
