/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry.h - the registry of members (DESIGN §2, §3): for every other
 * agency this node knows, its name, identity id, TAXII URL, TLS pin (or CA)
 * and what it may receive (max_tlp, relay, push). The node keeps it in
 * node.conf (node/config.c reads and writes that file); the keys of each
 * member are the roster's (roster.h), the policy that uses max_tlp and
 * relay is policy.h.
 *
 * Everything in an entry ends up as one node.conf line or names a file
 * (peers/NAME.json), and most of it came from another agency's
 * descriptor: the registry checks every entry it is given (names,
 * identity ids, URLs, pins, CA paths, control characters) before it holds
 * it, so nothing it holds can forge a node.conf line or a path. An entry
 * refused leaves the registry as it was. Members are held in one array
 * that grows (no cap a federation would reach: REG_MAX_PEERS only bounds
 * memory), found by name, identity and pin through sorted indexes
 * (O(log n)); feeds and subscribers are few and fixed.
 */
#ifndef TX_REGISTRY_H
#define TX_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "tlp.h"

#define REG_MAX_PEERS	10000	/* members besides this node: a bound on
				   memory (13 MB), not a federation's size */
#define REG_NAME_MAX	64	/* a name and its NUL */
#define REG_URL_MAX	512	/* a URL or CA path and its NUL */
#define REG_ID_MAX	128	/* an identity id and its NUL */
#define REG_PIN_MAX	65	/* 64 hex digits and the NUL */

/* One member. (The name predates the registry; it is used widely.) */
struct cfg_peer {
	char		name[REG_NAME_MAX];
	char		url[REG_URL_MAX];	/* TAXII base URL, https:// */
	char		pin[REG_PIN_MAX];	/* hex SHA-256, TLS SPKI */
	char		ca[REG_URL_MAX];	/* CA file; "" = pinned */
	char		identity[REG_ID_MAX];	/* identity--uuid */
	enum tlp_level	max_tlp;
	int		relay;
	int		push;
	int		identity_only;	/* roster member, never contacted */
	int		private_lookup;	/* may ask private lookups of us
					   (DESIGN §12); 0 by default */
	int		private_budget;	/* values per day it may ask */
};

#define REG_PRIVATE_BUDGET	1000	/* default private_budget */

#define REG_MAX_FEEDS	16	/* upstream TAXII feeds */
#define REG_MAX_CLIENTS	64	/* subscribers */
#define REG_COLL_MAX	256	/* a collection id or title and its NUL */
#define REG_HASH_MAX	192	/* a kdf_hash string and its NUL */

/* How a feed authenticates this node, or a subscriber this node. */
enum reg_auth {
	REG_AUTH_NONE,		/* feeds only: an open feed */
	REG_AUTH_CERT,		/* a client certificate (a pin for clients) */
	REG_AUTH_BASIC,		/* HTTP Basic, user and password */
	REG_AUTH_TOKEN		/* Authorization: Bearer TOKEN */
};

/*
 * One feed (DESIGN §3, §9): an upstream TAXII 2.1 server that is not a
 * member. Pulled from, never pushed to; its objects are attested, never
 * altered (§4.4). Its password or token is not here: it sits in
 * feeds/NAME.secret (0600) in the node directory, since it must be sent.
 */
struct cfg_feed {
	char		name[REG_NAME_MAX];
	char		url[REG_URL_MAX];	/* discovery or API root URL */
	char		collection[REG_COLL_MAX]; /* id or title; "" = the
						     one readable collection */
	enum reg_auth	auth;
	char		user[REG_NAME_MAX];	/* basic: the user name */
	char		ca[REG_URL_MAX];	/* PKIX: a CA file; "" = the
						   OS trust store */
	char		pin[REG_PIN_MAX];	/* a pinned SPKI instead of
						   PKIX; "" = PKIX */
	char		cert[REG_URL_MAX];	/* auth cert: client certificate */
	char		key[REG_URL_MAX];	/* and its key (absolute paths) */
	enum tlp_level	tlp;		/* policy TLP of unmarked objects */
	int		interval;	/* seconds; 0 = the node's interval */
	int		timeout;	/* seconds a request may take */
	int		enabled;
};

#define REG_FEED_TIMEOUT	300	/* default timeout: slow first pages */

/*
 * One subscriber (DESIGN §3, §7): a read-only client that is not a
 * member: no signing key, never pulled from or pushed to, served the
 * shared collection under its own max_tlp (internal: at most
 * AMBER+STRICT, external: at most GREEN, never RED). Its password or
 * token is held only as a slow KDF hash (crypto/kdf.h).
 */
struct cfg_client {
	char		name[REG_NAME_MAX];
	enum tlp_level	max_tlp;
	int		internal;	/* the agency's own SIEM or TIP */
	enum reg_auth	auth;		/* cert, basic or token */
	char		pin[REG_PIN_MAX];	/* cert: its SPKI pin */
	char		hash[REG_HASH_MAX];	/* basic, token: kdf_hash */
	int		rate;		/* requests a minute; 0 = the node's
					   client_rate */
};

/* An index entry: a hash of one field of peers[pos]; sorted by (h, pos). */
struct reg_key {
	uint64_t	h;
	size_t		pos;
};

/*
 * The parties this node knows, each kind in the order added (node.conf
 * order): members, feeds and subscribers. Owns its member array and
 * indexes: registry_free, or registry_move onto another.
 */
struct peer_registry {
	size_t		npeers;
	struct cfg_peer	*peers;		/* npeers, node.conf order */
	size_t		cap;
	struct reg_key	*by_name;	/* npeers each, sorted */
	struct reg_key	*by_identity;
	struct reg_key	*by_pin;
	int		stale;		/* by_identity, by_pin are behind
					   the entries (registry_entry) */
	size_t		nfeeds;
	struct cfg_feed	feeds[REG_MAX_FEEDS];
	size_t		nclients;
	struct cfg_client clients[REG_MAX_CLIENTS];
};

/* What registry_set changes: -1 keeps a field as it is. */
struct registry_change {
	int	max_tlp;	/* enum tlp_level, TLP_CLEAR..TLP_RED */
	int	relay;		/* 0 or 1 */
	int	push;		/* 0 or 1 */
	int	private_lookup;	/* 0 or 1 */
	int	private_budget;	/* 1..10000000 */
};

/* An empty registry. */
void	registry_init(struct peer_registry *r);

/* Free what r holds; r is then empty. */
void	registry_free(struct peer_registry *r);

/*
 * Bring the identity and pin indexes up to date after entries were
 * filled in through registry_entry (node.conf's reader, once the file is
 * read). Until then lookups by identity or pin read every member.
 */
void	registry_index(struct peer_registry *r);

/*
 * Whether s may name a node or a member: 1 to REG_NAME_MAX - 1 of
 * [a-z0-9._-], not starting with a dot (it names peers/NAME.json, which
 * is never a hidden file, and a node.conf section). 1 or 0; NULL is 0.
 */
int	registry_name_valid(const char *s);

/*
 * Whether s can be written as one node.conf value as it is: printable
 * ASCII without blanks (so no newline, no tab, no section or comment can
 * be smuggled in), non-empty. 1 or 0; NULL is 0.
 */
int	registry_value_valid(const char *s);

/* An https:// URL shorter than REG_URL_MAX that is a valid value. */
int	registry_url_valid(const char *s);

/*
 * A CA file path: absolute, shorter than REG_URL_MAX, printable ASCII
 * (blanks inside allowed, not at either end), without ';' or '#' (an INI
 * comment would cut it). 1 or 0.
 */
int	registry_ca_valid(const char *s);

/*
 * Check the shape of one entry: the name (registry_name_valid), the
 * identity (an identity--UUID id), max_tlp (clear..red), relay, push and
 * identity_only 0 or 1; for a member this node contacts a valid URL and a
 * 64-hex pin, for an identity-only member each of them empty or valid; the
 * CA path empty or valid. Returns 0, or TX_EINVAL with err naming the
 * field ("name", "identity", "url", "pin", "ca", "max_tlp").
 */
int	registry_peer_check(const struct cfg_peer *p, struct tx_err *err)
	    TX_MUST_CHECK;

/*
 * Add a copy of p after checking it (registry_peer_check) against what
 * the registry holds: its name, identity id and TLS pin must not be any
 * other member's (TX_EEXIST; a pin is compared with every member's,
 * identity-only and CA-mode ones included). TX_ELIMIT when
 * REG_MAX_PEERS are held, TX_ENOMEM. On failure nothing changes.
 * Pointers to members from before may move.
 */
int	registry_add(struct peer_registry *r, const struct cfg_peer *p,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Change what the member named name may receive (chg's fields that are
 * not -1). TX_ENOTFOUND when there is no such member, TX_EINVAL when a
 * value is out of range (nothing changes then).
 */
int	registry_set(struct peer_registry *r, const char *name,
	    const struct registry_change *chg, struct tx_err *err)
	    TX_MUST_CHECK;

/*
 * Remove the member named name, keeping the others' order; its entry is
 * copied to *out first when out is not NULL. 0 or TX_ENOTFOUND.
 */
int	registry_remove(struct peer_registry *r, const char *name,
	    struct cfg_peer *out, struct tx_err *err);

/*
 * The entry named name, appended with the defaults (max_tlp amber, push
 * on, everything else empty) when there is none: for node.conf's reader,
 * which then sets the fields one line at a time, checking each, and then
 * calls registry_index. NULL when the name is not valid, the registry is
 * full or memory is short. Borrowed, until the next entry is made.
 */
struct cfg_peer	*registry_entry(struct peer_registry *r, const char *name);

/* The member named name; NULL if none. Borrowed. */
struct cfg_peer	*registry_by_name(struct peer_registry *r, const char *name);

/*
 * The pinned member (not identity-only, not CA mode) whose TLS pin is pin:
 * who a client certificate is. NULL if none. Borrowed.
 */
struct cfg_peer	*registry_by_pin(struct peer_registry *r, const char *pin);

/* The member whose identity id is identity; NULL if none. Borrowed. */
struct cfg_peer	*registry_by_identity(struct peer_registry *r,
		    const char *identity);

/*
 * Call fn for each member in order until it returns non-zero; returns
 * that value, or 0 when every member was visited.
 */
int	registry_each(const struct peer_registry *r,
	    int (*fn)(const struct cfg_peer *p, void *payload), void *payload);

/* "none", "cert", "basic", "token"; and back (-1 for another name). */
const char	*registry_auth_name(enum reg_auth a);
int		 registry_auth_from_name(enum reg_auth *out, const char *s);

/*
 * The highest TLP a subscriber may be given (DESIGN §7): AMBER+STRICT for
 * an internal one, GREEN for an external one. RED never.
 */
enum tlp_level	registry_client_tlp_cap(int internal);

/*
 * Check a feed's shape: name, an https:// URL, the collection printable
 * (blanks allowed inside), auth and its needs (basic: a user; cert: cert
 * and key paths), ca and cert/key paths like registry_ca_valid, the pin
 * empty or 64 hex, tlp clear..red, interval 0..86400, timeout 1..3600,
 * enabled 0 or 1. 0 or TX_EINVAL naming the field.
 */
int	registry_feed_check(const struct cfg_feed *f, struct tx_err *err)
	    TX_MUST_CHECK;

/* Add a checked copy of f: TX_EEXIST for a taken name, TX_ELIMIT. */
int	registry_feed_add(struct peer_registry *r, const struct cfg_feed *f,
	    struct tx_err *err) TX_MUST_CHECK;

/* Remove the feed named name (copied to *out if not NULL). */
int	registry_feed_remove(struct peer_registry *r, const char *name,
	    struct cfg_feed *out, struct tx_err *err);

/* The feed named name, or NULL. Borrowed. */
struct cfg_feed	*registry_feed_by_name(struct peer_registry *r,
		    const char *name);

/*
 * For node.conf's reader: the feed named name, appended with the
 * defaults (auth none, tlp amber, timeout REG_FEED_TIMEOUT, enabled) when
 * there is none. NULL for a bad name or a full registry.
 */
struct cfg_feed	*registry_feed_entry(struct peer_registry *r,
		    const char *name);

/*
 * Check a subscriber's shape: name, auth cert with a 64-hex pin or
 * basic/token with a hash ("scrypt$..." or "pbkdf2$..."), internal 0 or 1,
 * max_tlp at most registry_client_tlp_cap(internal), rate 0..1000000.
 * 0 or TX_EINVAL naming the field.
 */
int	registry_client_check(const struct cfg_client *c, struct tx_err *err)
	    TX_MUST_CHECK;

/*
 * Add a checked copy of c: TX_EEXIST when its name is another
 * subscriber's or its pin any member's or subscriber's; TX_ELIMIT.
 */
int	registry_client_add(struct peer_registry *r,
	    const struct cfg_client *c, struct tx_err *err) TX_MUST_CHECK;

/* Remove the subscriber named name (copied to *out if not NULL). */
int	registry_client_remove(struct peer_registry *r, const char *name,
	    struct cfg_client *out, struct tx_err *err);

/* The subscriber named name, or NULL. Borrowed. */
struct cfg_client *registry_client_by_name(struct peer_registry *r,
		    const char *name);

/* The certificate subscriber whose pin is pin, or NULL. Borrowed. */
struct cfg_client *registry_client_by_pin(struct peer_registry *r,
		    const char *pin);

/*
 * For node.conf's reader: the subscriber named name, appended with the
 * defaults (external, max_tlp green, auth cert) when there is none.
 */
struct cfg_client *registry_client_entry(struct peer_registry *r,
		    const char *name);

#endif
