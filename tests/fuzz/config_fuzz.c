/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config_fuzz.c - node.conf is edited by hand: cfg_load on arbitrary bytes
 * either loads a configuration whose fields are all terminated and in
 * range, or refuses it, and never crashes. A configuration that loads is
 * also written back (cfg_save, as `peer add` and `client add` do) and
 * read again: what was saved must load, with the same node, the same
 * peers, feeds, subscribers, operators and benign lists; and each peer is
 * found again by name, pin and identity.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	dir[64];

static void
cleanup(void)
{
	char	path[128];

	snprintf(path, sizeof(path), "%s/node.conf", dir);
	unlink(path);
	rmdir(dir);
}

static void
check(const struct node_cfg *cfg)
{
	size_t	i;

	if (cfg->reg.npeers > CFG_MAX_PEERS || cfg->nops > CFG_MAX_OPS ||
	    strlen(cfg->name) >= sizeof(cfg->name) ||
	    cfg->sync_interval < 1 || cfg->peer_rate < 1)
		abort();
	for (i = 0; i < cfg->reg.npeers; i++)
		if (strlen(cfg->reg.peers[i].url) >=
		    sizeof(cfg->reg.peers[i].url))
			abort();
}

/* What a save and a load must keep. */
static void
same(const struct node_cfg *a, const struct node_cfg *b)
{
	size_t	i;

	if (strcmp(a->name, b->name) != 0 ||
	    strcmp(a->identity, b->identity) != 0 ||
	    strcmp(a->listen, b->listen) != 0 || strcmp(a->url, b->url) != 0 ||
	    a->reg.npeers != b->reg.npeers || a->reg.nfeeds != b->reg.nfeeds ||
	    a->reg.nclients != b->reg.nclients || a->nops != b->nops ||
	    a->nbenign != b->nbenign || a->default_tlp != b->default_tlp ||
	    a->sync_interval != b->sync_interval)
		abort();
	for (i = 0; i < a->reg.npeers; i++)
		if (strcmp(a->reg.peers[i].name, b->reg.peers[i].name) != 0 ||
		    strcmp(a->reg.peers[i].url, b->reg.peers[i].url) != 0 ||
		    a->reg.peers[i].max_tlp != b->reg.peers[i].max_tlp)
			abort();
	for (i = 0; i < a->reg.nfeeds; i++)
		if (strcmp(a->reg.feeds[i].name, b->reg.feeds[i].name) != 0 ||
		    strcmp(a->reg.feeds[i].url, b->reg.feeds[i].url) != 0 ||
		    a->reg.feeds[i].auth != b->reg.feeds[i].auth)
			abort();
	for (i = 0; i < a->reg.nclients; i++)
		if (strcmp(a->reg.clients[i].name,
		    b->reg.clients[i].name) != 0 ||
		    a->reg.clients[i].auth != b->reg.clients[i].auth ||
		    a->reg.clients[i].max_tlp != b->reg.clients[i].max_tlp)
			abort();
}

/* Every peer is found by its name, and one is found by pin and id. */
static void
lookups(struct node_cfg *cfg)
{
	static const char *const	 secs[] = { "node", "peer", "feed",
	    "client", "nope" };
	struct cfg_peer			*p;
	const char			*form;
	char				 path[CFG_PATH_MAX * 2];
	size_t				 i, j;

	for (i = 0; i < cfg->reg.npeers; i++) {
		p = &cfg->reg.peers[i];
		if (cfg_peer_by_name(cfg, p->name) == NULL)
			abort();
		(void)cfg_peer_by_pin(cfg, p->pin);
		(void)cfg_peer_by_identity(cfg, p->identity);
	}
	for (i = 0; i < sizeof(secs) / sizeof(secs[0]); i++)
		for (j = 0; j < 64 && cfg_key_name(secs[i], j, &form) != NULL;
		    j++)
			;
	(void)cfg_listen_valid(cfg->listen);
	(void)cfg_name_valid(cfg->name);
	(void)cfg_path(path, sizeof(path), cfg, "store.db");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct node_cfg	*cfg, *again;
	struct tx_err	 err;
	char		 path[128];
	FILE		*f;

	if (dir[0] == '\0') {
		snprintf(dir, sizeof(dir), "/tmp/tx-config-fuzz-%ld",
		    (long)getpid());
		mkdir(dir, 0700);
		atexit(cleanup);
	}
	snprintf(path, sizeof(path), "%s/node.conf", dir);
	if ((f = fopen(path, "wb")) == NULL)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	cfg = calloc(1, sizeof(*cfg));
	again = calloc(1, sizeof(*again));
	if (cfg == NULL || again == NULL)
		goto out;
	if (cfg_load(cfg, dir, &err) == 0) {
		check(cfg);
		lookups(cfg);
		if (cfg_save(cfg, &err) == 0) {
			if (cfg_load(again, dir, &err) != 0)
				abort();
			check(again);
			same(cfg, again);
		}
	}
out:
	if (cfg != NULL)
		cfg_free(cfg);
	if (again != NULL)
		cfg_free(again);
	free(cfg);
	free(again);
	unlink(path);
	return 0;
}
