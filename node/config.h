/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config.h - node.conf (INI, libinih) and the node directory layout
 * (DESIGN §10). The file is written by `init` and `peer add` and edited by
 * operators; it is read as untrusted text: unknown keys and bad values are
 * errors naming the line.
 */
#ifndef TX_CONFIG_H
#define TX_CONFIG_H

#include <stddef.h>

#include "err.h"
#include "tlp.h"

#define CFG_MAX_PEERS	64
#define CFG_MAX_OPS	16
#define CFG_NAME_MAX	64
#define CFG_URL_MAX	512

struct cfg_peer {
	char		name[CFG_NAME_MAX];
	char		url[CFG_URL_MAX];	/* TAXII base URL, https:// */
	char		pin[65];		/* hex SHA-256 of the TLS SPKI */
	char		ca[CFG_URL_MAX];	/* CA mode: CA file; "" = pinned */
	char		identity[128];		/* identity--uuid */
	enum tlp_level	max_tlp;
	int		relay;
	int		push;
	int		identity_only;		/* roster member, never contacted */
};

struct node_cfg {
	char		dir[1024];
	char		name[CFG_NAME_MAX];
	char		identity[128];		/* identity--uuid of this node */
	char		listen[128];		/* host:port */
	char		url[CFG_URL_MAX];	/* our TAXII base URL, for peers */
	enum tlp_level	default_tlp;
	int		sync_interval;		/* seconds */
	int		batch_size;
	int		peer_rate;		/* requests per minute per peer */
	size_t		nops;
	char		operators[CFG_MAX_OPS][65];
	size_t		npeers;
	struct cfg_peer	peers[CFG_MAX_PEERS];
};

/* Defaults: listen 127.0.0.1:8443, AMBER, 300 s, batches of 1024... */
void	cfg_defaults(struct node_cfg *cfg);

/* Load DIR/node.conf into cfg. TX_EIO / TX_EINVAL with err naming the line. */
int	cfg_load(struct node_cfg *cfg, const char *dir, struct tx_err *err);

/* Write cfg to DIR/node.conf atomically (temp file + rename). */
int	cfg_save(const struct node_cfg *cfg, struct tx_err *err);

/* Find a peer by name or by pin; NULL if none. Borrowed. */
/*
 * Whether s may name a node or a peer: 1-63 of [a-z0-9._-], not starting
 * with a dot (it names peers/NAME.json and a node.conf section).
 */
int		 cfg_name_valid(const char *s);

struct cfg_peer	*cfg_peer_by_name(struct node_cfg *cfg, const char *name);
struct cfg_peer	*cfg_peer_by_pin(struct node_cfg *cfg, const char *pin);
struct cfg_peer	*cfg_peer_by_identity(struct node_cfg *cfg,
		    const char *identity);

/* "DIR/rel" into dst; TX_ELIMIT if it does not fit. */
int	cfg_path(char *dst, size_t len, const struct node_cfg *cfg,
	    const char *rel);

#endif
