/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry.c - the registry of members: an array kept in node.conf order,
 * with three sorted indexes of (hash, position) to find a member by name,
 * identity or pin in O(log n). Trusts nothing it is given: every entry is
 * checked field by field (what came from a descriptor is another
 * agency's text) before it is held, and the uniqueness rules of DESIGN §3
 * that are the registry's (one name, one identity, one TLS key per
 * member) are enforced here; the signing keys' are the roster's.
 */
#include "registry.h"
#include "hash.h"
#include "ids.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void
registry_init(struct peer_registry *r)
{
	memset(r, 0, sizeof(*r));
}

void
registry_free(struct peer_registry *r)
{
	free(r->peers);
	free(r->by_name);
	free(r->by_identity);
	free(r->by_pin);
	r->peers = NULL;
	r->by_name = r->by_identity = r->by_pin = NULL;
	r->npeers = r->cap = 0;
	r->stale = 0;
}

/*
 * FNV-1a, 64 bits. The keys are names, identity ids and pins of members
 * an operator added; a collision (even a made one) only makes a lookup
 * compare the colliding entries' strings one by one.
 */
static uint64_t
key_hash(const char *s)
{
	uint64_t	h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ULL;
	return h;
}

static int
key_cmp(const void *a, const void *b)
{
	const struct reg_key	*x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The first entry of ix (n sorted) whose hash is h: lower bound. */
static size_t
key_lower(const struct reg_key *ix, size_t n, uint64_t h)
{
	size_t	lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ix[mid].h < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
grow_keys(struct reg_key **ix, size_t cap)
{
	struct reg_key	*p = realloc(*ix, cap * sizeof(*p));

	if (p == NULL)
		return -1;
	*ix = p;
	return 0;
}

/*
 * Room for one more member: every array grows together (a failure leaves
 * each valid, the larger ones unused until cap moves).
 */
static int
grow(struct peer_registry *r)
{
	struct cfg_peer	*p;
	size_t		 cap;

	if (r->npeers < r->cap)
		return 0;
	cap = r->cap ? r->cap * 2 : 16;
	if ((p = realloc(r->peers, cap * sizeof(*p))) == NULL)
		return -1;
	r->peers = p;
	if (grow_keys(&r->by_name, cap) < 0 ||
	    grow_keys(&r->by_identity, cap) < 0 ||
	    grow_keys(&r->by_pin, cap) < 0)
		return -1;
	r->cap = cap;
	return 0;
}

/* Sort the index of one field (at off in struct cfg_peer) anew. */
static void
index_field(struct reg_key *ix, const struct cfg_peer *peers, size_t n,
    size_t off)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		ix[i].h = key_hash((const char *)&peers[i] + off);
		ix[i].pos = i;
	}
	if (n > 0)
		qsort(ix, n, sizeof(*ix), key_cmp);
}

void
registry_index(struct peer_registry *r)
{
	if (r->npeers == 0) {
		r->stale = 0;
		return;
	}
	index_field(r->by_name, r->peers, r->npeers,
	    offsetof(struct cfg_peer, name));
	index_field(r->by_identity, r->peers, r->npeers,
	    offsetof(struct cfg_peer, identity));
	index_field(r->by_pin, r->peers, r->npeers,
	    offsetof(struct cfg_peer, pin));
	r->stale = 0;
}

/*
 * The first member in node.conf order whose field at off is s and that
 * ok() takes (NULL: any), through index ix, or by reading every member
 * when the index is behind.
 */
static struct cfg_peer *
find(struct peer_registry *r, const struct reg_key *ix, int stale,
    size_t off, const char *s, int (*ok)(const struct cfg_peer *))
{
	struct cfg_peer	*p;
	uint64_t	 h;
	size_t		 i;

	if (stale) {
		for (i = 0; i < r->npeers; i++) {
			p = &r->peers[i];
			if (strcmp((const char *)p + off, s) == 0 &&
			    (ok == NULL || ok(p)))
				return p;
		}
		return NULL;
	}
	h = key_hash(s);
	for (i = key_lower(ix, r->npeers, h); i < r->npeers && ix[i].h == h;
	    i++) {
		p = &r->peers[ix[i].pos];
		if (strcmp((const char *)p + off, s) == 0 &&
		    (ok == NULL || ok(p)))
			return p;
	}
	return NULL;
}

/* Insert position pos into the sorted index ix of n entries. */
static void
index_insert(struct reg_key *ix, size_t n, const char *s, size_t pos)
{
	uint64_t	h = key_hash(s);
	size_t		i = key_lower(ix, n, h);

	while (i < n && ix[i].h == h)	/* positions only grow */
		i++;
	memmove(ix + i + 1, ix + i, (n - i) * sizeof(*ix));
	ix[i].h = h;
	ix[i].pos = pos;
}

int
registry_name_valid(const char *s)
{
	size_t	n, i;

	if (s == NULL)
		return 0;
	n = strnlen(s, REG_NAME_MAX);
	/* It names peers/NAME.json (hidden files are never read back). */
	if (n == 0 || n >= REG_NAME_MAX || s[0] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

int
registry_value_valid(const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s <= 0x20 || *s >= 0x7f)
			return 0;
	return 1;
}

int
registry_url_valid(const char *s)
{
	return s != NULL && strnlen(s, REG_URL_MAX) < REG_URL_MAX &&
	    strncmp(s, "https://", 8) == 0 && s[8] != '\0' &&
	    registry_value_valid(s);
}

int
registry_ca_valid(const char *s)
{
	size_t	n, i;

	if (s == NULL || s[0] != '/')
		return 0;
	n = strnlen(s, REG_URL_MAX);
	if (n >= REG_URL_MAX || s[n - 1] == ' ')
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] >= 0x7f || s[i] == ';' || s[i] == '#')
			return 0;
	return 1;
}

/* A string field that must fit its array with its NUL. */
static int
fits(const char *s, size_t size)
{
	return strnlen(s, size) < size;
}

/* url, pin: required for a member this node contacts, else optional. */
static int
check_contact(const struct cfg_peer *p, struct tx_err *err)
{
	int	need = !p->identity_only;

	if (!fits(p->url, sizeof(p->url)) || ((need || p->url[0] != '\0') &&
	    !registry_url_valid(p->url)))
		return tx_err_setw(err, TX_EINVAL, "url", "must be an https:// "
		    "URL of printable ASCII without blanks, under %d bytes",
		    REG_URL_MAX);
	if (!fits(p->pin, sizeof(p->pin)) || ((need || p->pin[0] != '\0') &&
	    !hex_is_sha256(p->pin)))
		return tx_err_setw(err, TX_EINVAL, "pin",
		    "must be 64 lowercase hex digits");
	if (!fits(p->ca, sizeof(p->ca)) || (p->ca[0] != '\0' &&
	    !registry_ca_valid(p->ca)))
		return tx_err_setw(err, TX_EINVAL, "ca", "must be an absolute "
		    "path of printable ASCII without ';' or '#'");
	return 0;
}

int
registry_peer_check(const struct cfg_peer *p, struct tx_err *err)
{
	if (!fits(p->name, sizeof(p->name)) || !registry_name_valid(p->name))
		return tx_err_setw(err, TX_EINVAL, "name", "member name must "
		    "be 1 to %d of a-z 0-9 . _ - (not starting with '.')",
		    REG_NAME_MAX - 1);
	if (!fits(p->identity, sizeof(p->identity)) ||
	    !stix_id_is_valid(p->identity, "identity"))
		return tx_err_setw(err, TX_EINVAL, "identity",
		    "not an identity id");
	if ((int)p->max_tlp < TLP_CLEAR || p->max_tlp > TLP_RED)
		return tx_err_setw(err, TX_EINVAL, "max_tlp",
		    "must be clear, green, amber, amber+strict or red");
	if ((p->relay != 0 && p->relay != 1) || (p->push != 0 &&
	    p->push != 1) || (p->identity_only != 0 && p->identity_only != 1))
		return tx_err_set(err, TX_EINVAL, "relay, push and "
		    "identity_only are 0 or 1");
	return check_contact(p, err);
}

/* Any member holding pin, whatever its mode. */
static const struct cfg_peer *
any_by_pin(struct peer_registry *r, const char *pin)
{
	return find(r, r->by_pin, r->stale, offsetof(struct cfg_peer, pin),
	    pin, NULL);
}

int
registry_add(struct peer_registry *r, const struct cfg_peer *p,
    struct tx_err *err)
{
	int	rc;

	if ((rc = registry_peer_check(p, err)) < 0)
		return rc;
	if (registry_by_name(r, p->name) != NULL)
		return tx_err_setw(err, TX_EEXIST, "name",
		    "a member named %s exists", p->name);
	if (registry_by_identity(r, p->identity) != NULL)
		return tx_err_setw(err, TX_EEXIST, "identity",
		    "identity %s is held by another member", p->identity);
	if (p->pin[0] != '\0' && (any_by_pin(r, p->pin) != NULL ||
	    registry_client_by_pin(r, p->pin) != NULL))
		return tx_err_setw(err, TX_EEXIST, "pin", "TLS key %.16s... is "
		    "held by another member or a subscriber", p->pin);
	if (r->npeers >= REG_MAX_PEERS)
		return tx_err_set(err, TX_ELIMIT, "too many peers (at most %d)",
		    REG_MAX_PEERS);
	if (grow(r) < 0)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	r->peers[r->npeers] = *p;
	if (r->stale) {
		r->npeers++;
		registry_index(r);
		return 0;
	}
	index_insert(r->by_name, r->npeers, p->name, r->npeers);
	index_insert(r->by_identity, r->npeers, p->identity, r->npeers);
	index_insert(r->by_pin, r->npeers, p->pin, r->npeers);
	r->npeers++;
	return 0;
}

int
registry_set(struct peer_registry *r, const char *name,
    const struct registry_change *chg, struct tx_err *err)
{
	struct cfg_peer	*p = registry_by_name(r, name);

	if (p == NULL)
		return tx_err_set(err, TX_ENOTFOUND, "no peer named %s", name);
	/* Only what changes is checked: the rest was checked when held. */
	if (chg->max_tlp != -1 && (chg->max_tlp < TLP_CLEAR ||
	    chg->max_tlp > TLP_RED))
		return tx_err_setw(err, TX_EINVAL, "max_tlp",
		    "must be clear, green, amber, amber+strict or red");
	if ((chg->relay != -1 && chg->relay != 0 && chg->relay != 1) ||
	    (chg->push != -1 && chg->push != 0 && chg->push != 1))
		return tx_err_set(err, TX_EINVAL, "relay and push are 0 or 1");
	if ((chg->private_lookup != -1 && chg->private_lookup != 0 &&
	    chg->private_lookup != 1) || (chg->private_budget != -1 &&
	    (chg->private_budget < 1 || chg->private_budget > 10000000)))
		return tx_err_set(err, TX_EINVAL, "private_lookup is 0 or 1, "
		    "private_budget 1 to 10000000 values a day");
	if (chg->private_lookup != -1)
		p->private_lookup = chg->private_lookup;
	if (chg->private_budget != -1)
		p->private_budget = chg->private_budget;
	if (chg->max_tlp != -1)
		p->max_tlp = (enum tlp_level)chg->max_tlp;
	if (chg->relay != -1)
		p->relay = chg->relay;
	if (chg->push != -1)
		p->push = chg->push;
	return 0;
}

/*
 * Remove element i of an array of *n elements of sz bytes, keeping the
 * others' order; the slot freed at the end is zeroed.
 */
static void
arr_remove(void *base, size_t *n, size_t sz, size_t i)
{
	char	*b = base;

	memmove(b + i * sz, b + (i + 1) * sz, (*n - i - 1) * sz);
	(*n)--;
	memset(b + *n * sz, 0, sz);
}

int
registry_remove(struct peer_registry *r, const char *name,
    struct cfg_peer *out, struct tx_err *err)
{
	struct cfg_peer	*p = registry_by_name(r, name);

	if (p == NULL)
		return tx_err_set(err, TX_ENOTFOUND, "no peer named %s", name);
	if (out != NULL)
		*out = *p;
	arr_remove(r->peers, &r->npeers, sizeof(*p), (size_t)(p - r->peers));
	registry_index(r);	/* positions moved */
	return 0;
}

struct cfg_peer *
registry_entry(struct peer_registry *r, const char *name)
{
	struct cfg_peer	*p;

	if (!registry_name_valid(name))
		return NULL;
	if ((p = registry_by_name(r, name)) != NULL)
		return p;
	if (r->npeers >= REG_MAX_PEERS || grow(r) < 0)
		return NULL;
	p = &r->peers[r->npeers];
	memset(p, 0, sizeof(*p));
	memcpy(p->name, name, strlen(name) + 1);
	p->max_tlp = TLP_AMBER;
	p->push = 1;
	p->private_budget = REG_PRIVATE_BUDGET;
	/* The name index stays whole; identity and pin come later. */
	index_insert(r->by_name, r->npeers, p->name, r->npeers);
	r->npeers++;
	r->stale = 1;
	return p;
}

struct cfg_peer *
registry_by_name(struct peer_registry *r, const char *name)
{
	return find(r, r->by_name, 0, offsetof(struct cfg_peer, name), name,
	    NULL);
}

/* Who a client certificate can be: pinned, contacted. */
static int
pinned(const struct cfg_peer *p)
{
	return !p->identity_only && p->ca[0] == '\0';
}

struct cfg_peer *
registry_by_pin(struct peer_registry *r, const char *pin)
{
	return find(r, r->by_pin, r->stale, offsetof(struct cfg_peer, pin),
	    pin, pinned);
}

struct cfg_peer *
registry_by_identity(struct peer_registry *r, const char *identity)
{
	return find(r, r->by_identity, r->stale,
	    offsetof(struct cfg_peer, identity), identity, NULL);
}

int
registry_each(const struct peer_registry *r,
    int (*fn)(const struct cfg_peer *p, void *payload), void *payload)
{
	size_t	i;
	int	rc;

	for (i = 0; i < r->npeers; i++)
		if ((rc = fn(&r->peers[i], payload)) != 0)
			return rc;
	return 0;
}

/* --- feeds and subscribers --- */

static const char *const auth_names[] = {
	[REG_AUTH_NONE] = "none",
	[REG_AUTH_CERT] = "cert",
	[REG_AUTH_BASIC] = "basic",
	[REG_AUTH_TOKEN] = "token",
};

const char *
registry_auth_name(enum reg_auth a)
{
	return (unsigned)a < sizeof(auth_names) / sizeof(auth_names[0]) ?
	    auth_names[a] : "?";
}

int
registry_auth_from_name(enum reg_auth *out, const char *s)
{
	size_t	i;

	for (i = 0; i < sizeof(auth_names) / sizeof(auth_names[0]); i++)
		if (strcmp(s, auth_names[i]) == 0) {
			*out = (enum reg_auth)i;
			return 0;
		}
	return -1;
}

enum tlp_level
registry_client_tlp_cap(int internal)
{
	return internal ? TLP_AMBER_STRICT : TLP_GREEN;
}

/* A path field: empty, or an absolute path registry_ca_valid takes. */
static int
path_ok(const char *s, size_t size)
{
	return fits(s, size) && (s[0] == '\0' || registry_ca_valid(s));
}

/* Printable ASCII, blanks allowed inside (a collection title). */
static int
text_ok(const char *s, size_t size)
{
	size_t	n = strnlen(s, size), i;

	if (n >= size || (n > 0 && (s[0] == ' ' || s[n - 1] == ' ')))
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] >= 0x7f || s[i] == ';' || s[i] == '#')
			return 0;
	return 1;
}

int
registry_feed_check(const struct cfg_feed *f, struct tx_err *err)
{
	if (!fits(f->name, sizeof(f->name)) || !registry_name_valid(f->name))
		return tx_err_setw(err, TX_EINVAL, "name", "feed name must "
		    "be 1 to %d of a-z 0-9 . _ - (not starting with '.')",
		    REG_NAME_MAX - 1);
	if (!fits(f->url, sizeof(f->url)) || !registry_url_valid(f->url))
		return tx_err_setw(err, TX_EINVAL, "url", "must be an https:// "
		    "URL of printable ASCII without blanks, under %d bytes",
		    REG_URL_MAX);
	if (!text_ok(f->collection, sizeof(f->collection)))
		return tx_err_setw(err, TX_EINVAL, "collection", "an id or a "
		    "title of printable ASCII without ';' or '#', under %d "
		    "bytes", REG_COLL_MAX);
	if ((unsigned)f->auth > REG_AUTH_TOKEN)
		return tx_err_setw(err, TX_EINVAL, "auth",
		    "must be none, basic, token or cert");
	if (!fits(f->user, sizeof(f->user)) || (f->user[0] != '\0' &&
	    !registry_value_valid(f->user)) || (f->auth == REG_AUTH_BASIC &&
	    f->user[0] == '\0') || strchr(f->user, ':') != NULL)
		return tx_err_setw(err, TX_EINVAL, "user", "basic needs a user "
		    "name of printable ASCII without blanks or ':'");
	if (!path_ok(f->ca, sizeof(f->ca)))
		return tx_err_setw(err, TX_EINVAL, "ca", "must be an absolute "
		    "path of printable ASCII without ';' or '#'");
	if (!path_ok(f->cert, sizeof(f->cert)) ||
	    !path_ok(f->key, sizeof(f->key)) || (f->auth == REG_AUTH_CERT &&
	    (f->cert[0] == '\0' || f->key[0] == '\0')))
		return tx_err_setw(err, TX_EINVAL, "cert", "auth cert needs "
		    "cert and key, absolute paths");
	if (!fits(f->pin, sizeof(f->pin)) || (f->pin[0] != '\0' &&
	    !hex_is_sha256(f->pin)))
		return tx_err_setw(err, TX_EINVAL, "pin",
		    "must be 64 lowercase hex digits");
	if ((int)f->tlp < TLP_CLEAR || f->tlp > TLP_RED)
		return tx_err_setw(err, TX_EINVAL, "tlp",
		    "must be clear, green, amber, amber+strict or red");
	if (f->interval < 0 || f->interval > 86400 || f->timeout < 1 ||
	    f->timeout > 3600 || (f->enabled != 0 && f->enabled != 1))
		return tx_err_set(err, TX_EINVAL, "interval is 0 to 86400 s, "
		    "timeout 1 to 3600 s, enabled 0 or 1");
	return 0;
}

struct cfg_feed *
registry_feed_by_name(struct peer_registry *r, const char *name)
{
	size_t	i;

	for (i = 0; i < r->nfeeds; i++)
		if (strcmp(r->feeds[i].name, name) == 0)
			return &r->feeds[i];
	return NULL;
}

int
registry_feed_add(struct peer_registry *r, const struct cfg_feed *f,
    struct tx_err *err)
{
	int	rc;

	if ((rc = registry_feed_check(f, err)) < 0)
		return rc;
	if (registry_feed_by_name(r, f->name) != NULL)
		return tx_err_setw(err, TX_EEXIST, "name",
		    "a feed named %s exists", f->name);
	if (r->nfeeds >= REG_MAX_FEEDS)
		return tx_err_set(err, TX_ELIMIT, "too many feeds (at most %d)",
		    REG_MAX_FEEDS);
	r->feeds[r->nfeeds++] = *f;
	return 0;
}

int
registry_feed_remove(struct peer_registry *r, const char *name,
    struct cfg_feed *out, struct tx_err *err)
{
	struct cfg_feed	*f = registry_feed_by_name(r, name);

	if (f == NULL)
		return tx_err_set(err, TX_ENOTFOUND, "no feed named %s", name);
	if (out != NULL)
		*out = *f;
	arr_remove(r->feeds, &r->nfeeds, sizeof(*f), (size_t)(f - r->feeds));
	return 0;
}

struct cfg_feed *
registry_feed_entry(struct peer_registry *r, const char *name)
{
	struct cfg_feed	*f;

	if (!registry_name_valid(name))
		return NULL;
	if ((f = registry_feed_by_name(r, name)) != NULL)
		return f;
	if (r->nfeeds >= REG_MAX_FEEDS)
		return NULL;
	f = &r->feeds[r->nfeeds++];
	memset(f, 0, sizeof(*f));
	memcpy(f->name, name, strlen(name) + 1);
	f->auth = REG_AUTH_NONE;
	f->tlp = TLP_AMBER;
	f->timeout = REG_FEED_TIMEOUT;
	f->enabled = 1;
	return f;
}

int
registry_client_check(const struct cfg_client *c, struct tx_err *err)
{
	if (!fits(c->name, sizeof(c->name)) || !registry_name_valid(c->name))
		return tx_err_setw(err, TX_EINVAL, "name", "subscriber name "
		    "must be 1 to %d of a-z 0-9 . _ - (not starting with '.')",
		    REG_NAME_MAX - 1);
	if (c->internal != 0 && c->internal != 1)
		return tx_err_setw(err, TX_EINVAL, "internal", "is 0 or 1");
	if ((int)c->max_tlp < TLP_CLEAR ||
	    c->max_tlp > registry_client_tlp_cap(c->internal))
		return tx_err_setw(err, TX_EINVAL, "max_tlp", "an %s subscriber "
		    "may receive at most %s", c->internal ? "internal" :
		    "external", c->internal ? "amber+strict" : "green");
	if (!fits(c->pin, sizeof(c->pin)) || !fits(c->hash, sizeof(c->hash)))
		return tx_err_setw(err, TX_EINVAL, "auth", "field too long");
	switch (c->auth) {
	case REG_AUTH_CERT:
		if (!hex_is_sha256(c->pin) || c->hash[0] != '\0')
			return tx_err_setw(err, TX_EINVAL, "pin", "auth cert "
			    "needs a pin of 64 lowercase hex digits, no hash");
		break;
	case REG_AUTH_BASIC:
	case REG_AUTH_TOKEN:
		if (c->pin[0] != '\0' || !registry_value_valid(c->hash) ||
		    (strncmp(c->hash, "scrypt$", 7) != 0 &&
		    strncmp(c->hash, "pbkdf2$", 7) != 0))
			return tx_err_setw(err, TX_EINVAL, "hash", "auth %s "
			    "needs a scrypt$ or pbkdf2$ hash, no pin",
			    registry_auth_name(c->auth));
		break;
	default:
		return tx_err_setw(err, TX_EINVAL, "auth",
		    "must be cert, basic or token");
	}
	if (c->rate < 0 || c->rate > 1000000)
		return tx_err_setw(err, TX_EINVAL, "rate",
		    "requests a minute, 0 to 1000000");
	return 0;
}

struct cfg_client *
registry_client_by_name(struct peer_registry *r, const char *name)
{
	size_t	i;

	for (i = 0; i < r->nclients; i++)
		if (strcmp(r->clients[i].name, name) == 0)
			return &r->clients[i];
	return NULL;
}

struct cfg_client *
registry_client_by_pin(struct peer_registry *r, const char *pin)
{
	size_t	i;

	for (i = 0; i < r->nclients; i++)
		if (r->clients[i].auth == REG_AUTH_CERT &&
		    strcmp(r->clients[i].pin, pin) == 0)
			return &r->clients[i];
	return NULL;
}

int
registry_client_add(struct peer_registry *r, const struct cfg_client *c,
    struct tx_err *err)
{
	int	rc;

	if ((rc = registry_client_check(c, err)) < 0)
		return rc;
	if (registry_client_by_name(r, c->name) != NULL)
		return tx_err_setw(err, TX_EEXIST, "name",
		    "a subscriber named %s exists", c->name);
	if (c->auth == REG_AUTH_CERT && (any_by_pin(r, c->pin) != NULL ||
	    registry_client_by_pin(r, c->pin) != NULL))
		return tx_err_setw(err, TX_EEXIST, "pin", "TLS key %.16s... is "
		    "held by a member or another subscriber", c->pin);
	if (r->nclients >= REG_MAX_CLIENTS)
		return tx_err_set(err, TX_ELIMIT, "too many subscribers (at "
		    "most %d)", REG_MAX_CLIENTS);
	r->clients[r->nclients++] = *c;
	return 0;
}

int
registry_client_remove(struct peer_registry *r, const char *name,
    struct cfg_client *out, struct tx_err *err)
{
	struct cfg_client	*c = registry_client_by_name(r, name);

	if (c == NULL)
		return tx_err_set(err, TX_ENOTFOUND, "no subscriber named %s",
		    name);
	if (out != NULL)
		*out = *c;
	arr_remove(r->clients, &r->nclients, sizeof(*c),
	    (size_t)(c - r->clients));
	return 0;
}

struct cfg_client *
registry_client_entry(struct peer_registry *r, const char *name)
{
	struct cfg_client	*c;

	if (!registry_name_valid(name))
		return NULL;
	if ((c = registry_client_by_name(r, name)) != NULL)
		return c;
	if (r->nclients >= REG_MAX_CLIENTS)
		return NULL;
	c = &r->clients[r->nclients++];
	memset(c, 0, sizeof(*c));
	memcpy(c->name, name, strlen(name) + 1);
	c->max_tlp = TLP_GREEN;
	c->auth = REG_AUTH_CERT;
	return c;
}
