/* SPDX-License-Identifier: Apache-2.0 */
/*
 * peer.h - registering the members of the federation roster (DESIGN §3):
 * `threatex peer add|set|remove|list` as library calls on an opened node.
 * A member comes as a descriptor another agency signed: it is verified,
 * and refused if its identity, signing key or TLS key is held by another
 * member (or by this node), or if its name or URL could not be written
 * safely. The registry (peers/registry.h) holds what node.conf says of
 * each member, the roster (peers/roster.h) its keys; peers/NAME.json
 * keeps the descriptor the roster is rebuilt from.
 */
#ifndef TX_PEER_H
#define TX_PEER_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "registry.h"
#include "tlp.h"

struct node;

struct node_peer_opts {
	const char	*expect_kid;	/* the signing key id confirmed out of
					   band; NULL: take the file's word */
	enum tlp_level	 max_tlp;	/* clear..red */
	int		 relay;
	int		 identity_only;	/* a roster member never contacted */
	const char	*ca_file;	/* CA mode: the peer's CA (PEM); NULL:
					   pin its TLS key */
};

enum node_peer_event {
	NODE_PEER_ADDED,	/* held and saved; peer, kid set */
	NODE_PEER_RELEASED	/* released objects left quarantine */
};

/* What node_peer_add reports; every pointer borrowed for the call. */
struct node_peer_report {
	enum node_peer_event	 what;
	const struct cfg_peer	*peer;	/* as registered */
	const char		*kid;	/* its signing key id */
	int			 released;	/* NODE_PEER_RELEASED: > 0 */
};

typedef void	node_peer_report_fn(const struct node_peer_report *r,
		    void *payload);

/* Defaults of `peer add`: max_tlp amber, no relay, pinned, contacted. */
void	node_peer_opts_init(struct node_peer_opts *o);

/*
 * Add the member described by the untrusted descriptor (buf, len);
 * label names it in errors (a file name). The descriptor must verify,
 * name a member with a valid name (registry_name_valid) and a URL that is
 * one node.conf value, carry o->expect_kid as its key when that is set
 * (TX_EAUTH), and hold no name, identity id, signing key or TLS key of
 * another member or of this node (TX_EEXIST). Then: the registry and the
 * roster hold it, peers/NAME.json (and peers/NAME.ca.pem in CA mode) and
 * node.conf are written, the addition is audited, report (may be NULL)
 * receives NODE_PEER_ADDED, the objects quarantined for lack of this member
 * are merged (NODE_PEER_RELEASED when any were). A refusal writes
 * nothing and leaves n as it was. Returns 0, TX_EINVAL, TX_EAUTH,
 * TX_EEXIST, TX_ELIMIT (registry full), TX_EIO or TX_EDB.
 */
int	node_peer_add(struct node *n, const uint8_t *buf, size_t len,
	    const char *label, const struct node_peer_opts *o,
	    node_peer_report_fn *report, void *payload, struct tx_err *err)
	    TX_MUST_CHECK;

/* node_peer_add of the descriptor in file (at most 64 KiB). */
int	node_peer_add_file(struct node *n, const char *file,
	    const struct node_peer_opts *o, node_peer_report_fn *report,
	    void *payload, struct tx_err *err) TX_MUST_CHECK;

/*
 * Change what the member named name may receive (registry_set), save
 * node.conf and audit it ("NAME max_tlp=L relay=yes|no"). *out (may be
 * NULL) receives the member as it now is. TX_ENOTFOUND, TX_EINVAL, TX_EIO
 * (nothing changed then), TX_EDB (saved, not audited).
 */
int	node_peer_set(struct cfg_peer *out, struct node *n, const char *name,
	    const struct registry_change *chg, struct tx_err *err)
	    TX_MUST_CHECK;

/*
 * Remove the member named name: from node.conf, then its descriptor
 * peers/NAME.json; audited; n is reloaded (node_reload) so its roster no
 * longer holds the member. TX_ENOTFOUND, TX_EIO (nothing changed when
 * node.conf could not be written), TX_EDB.
 */
int	node_peer_remove(struct node *n, const char *name, struct tx_err *err)
	    TX_MUST_CHECK;

/*
 * Call fn for each member in node.conf order with its current signing key
 * id (NULL when the roster has no key for it) until fn returns non-zero;
 * returns that value or 0. What the entries hold came from descriptors:
 * a caller that prints them escapes them.
 */
int	node_peer_list(const struct node *n,
	    int (*fn)(const struct cfg_peer *p, const char *kid, void *payload),
	    void *payload);

#endif
