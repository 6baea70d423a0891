/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lookup_fuzz.c - fuzz the consolidated view (node/lookup.h) with the
 * value a peer sends to /lookup/ or an operator pastes: normalisation,
 * the e-mail address's domain and the URL's host (defanged or not), the
 * walk up to the registrable domain, and the summary, for the operator
 * and for a peer, over an empty store. Checks that a value is either
 * refused (TX_EINVAL or TX_ELIMIT, nothing out) or answered with the
 * documented shape: unknown, no hits, at most one related value (only for
 * an e-mail address or a URL), and a summary whose verdict is "unknown".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lookup.h"
#include "node.h"
#include "store.h"
#include "store_feed.h"
#include "tlp.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define SELF	"identity--5a000000-0000-4000-8000-000000000001"
#define PEER	"identity--7c000000-0000-4000-8000-000000000002"

static struct node	*fz;
static char		 fz_dir[64];

/* At exit: the store closed, its files and directory removed. */
static void
fuzz_cleanup(void)
{
	static const char *const	 files[] = { "store.db", "store.db-wal",
	    "store.db-shm" };
	char				 path[128];
	size_t				 i;

	store_close(fz->st);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", fz_dir, files[i]);
		(void)unlink(path);
	}
	(void)rmdir(fz_dir);
	roster_dispose(&fz->roster);
	free(fz);
	fz = NULL;
}

/* A node over an empty store in a new temporary directory, once. */
static struct node *
fuzz_node(void)
{
	char	path[128];

	if (fz != NULL)
		return fz;
	snprintf(fz_dir, sizeof(fz_dir), "/tmp/tx-lookup-fuzz-XXXXXX");
	if (mkdtemp(fz_dir) == NULL || (fz = calloc(1, sizeof(*fz))) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/store.db", fz_dir);
	cfg_defaults(&fz->cfg);
	snprintf(fz->cfg.identity, sizeof(fz->cfg.identity), "%s", SELF);
	roster_init(&fz->roster);
	if (store_open(&fz->st, path, NULL) < 0)
		abort();
	atexit(fuzz_cleanup);
	return fz;
}

static void
check_view(const json_t *v)
{
	const char	*kind = json_string_value(json_object_get(v, "kind"));
	const json_t	*rel = json_object_get(v, "related");
	json_t		*s = NULL;

	if (kind == NULL || !json_is_string(json_object_get(v, "canonical")) ||
	    !json_is_false(json_object_get(v, "known")) ||
	    json_array_size(json_object_get(v, "hits")) != 0)
		abort();
	if ((strcmp(kind, "email") == 0 || strcmp(kind, "url") == 0) !=
	    (rel != NULL) || json_array_size(rel) > 1)
		abort();
	if (lookup_summary(&s, v, NULL) != 0 || strcmp(json_string_value(
	    json_object_get(s, "verdict")), "unknown") != 0)
		abort();
	json_decref(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store_policy	 pol = { SELF, PEER, TLP_GREEN, 1 };
	struct node		*n = fuzz_node();
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
		json_decref(v);
		v = NULL;
	}
	free(value);
	return 0;
}
