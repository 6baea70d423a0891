/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config.c - node.conf reader and writer. Every value is checked: names are
 * [a-z0-9._-], URLs must be https://, pins 64 hex digits, TLP names known,
 * peer fields by the registry's rules (peers/registry.c). A bad line makes
 * the whole load fail, naming the line. node.conf is written whole to a
 * temporary file made 0600 (whatever the umask), then renamed over the old
 * one, and never with a value holding a control character.
 */
#include "config.h"
#include "hash.h"
#include "ids.h"
#include "kdf.h"
#include "nearest.h"

#include <ini.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct cfg_parse {
	struct node_cfg	*cfg;
	struct tx_err	*err;
	FILE		*f;
	int		 line;		/* of the line being read, from 1 */
	int		 at_bol;	/* the next read starts a line */
	int		 failed;
	/* The last section's: one registry search per section, not key. */
	char			 last[160];
	void			*last_dst;
	const struct cfg_section *last_sec;
};

int
cfg_listen_valid(const char *s)
{
	const char	*c = strrchr(s, ':');
	char		*end;
	size_t		 i, hlen;
	long		 port;

	if (c == NULL || strlen(s) >= CFG_LISTEN_MAX)
		return 0;
	errno = 0;
	port = strtol(c + 1, &end, 10);
	if (errno != 0 || end == c + 1 || *end != '\0' || port < 1 ||
	    port > 65535 || c[1] == '+' || c[1] == '-' || c[1] == ' ')
		return 0;
	hlen = (size_t)(c - s);
	if (hlen >= 2 && s[0] == '[' && s[hlen - 1] == ']') {
		for (i = 1; i + 1 < hlen; i++)
			if (!isxdigit((unsigned char)s[i]) && s[i] != ':' &&
			    s[i] != '.')
				return 0;
		return hlen > 2;
	}
	if (hlen == 0 || hlen > 253)
		return 0;
	for (i = 0; i < hlen; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' &&
		    s[i] != '-')
			return 0;
	return 1;
}

int
cfg_name_valid(const char *s)
{
	return registry_name_valid(s);
}

static int
parse_bool(int *out, const char *v)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 ||
	    strcmp(v, "1") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 ||
	    strcmp(v, "0") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

static int
parse_int(int *out, const char *v, int lo, int hi)
{
	char	*end;
	long	 l;

	errno = 0;
	l = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || l < lo || l > hi)
		return -1;
	*out = (int)l;
	return 0;
}

static int
copy_val(char *dst, size_t len, const char *v)
{
	if (strlen(v) >= len)
		return -1;
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

/* "a.json, b.txt": each path of a benign_lists line, in order. */
static int
benign_key(struct node_cfg *c, const char *v)
{
	const char	*p = v, *e;
	size_t		 len;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		e = strchr(p, ',');
		len = e != NULL ? (size_t)(e - p) : strlen(p);
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (c->nbenign >= CFG_MAX_BENIGN || len >= CFG_PATH_MAX)
			return -1;
		memcpy(c->benign[c->nbenign], p, len);
		c->benign[c->nbenign++][len] = '\0';
		p += len;
	}
	return 0;
}

/*
 * The keys of each section, as data (STYLE §2.11): the name, the form an
 * operator must write (said back when a value is refused) and the setter,
 * which checks the value and returns -1 when it does not fit.
 */
struct cfg_key {
	const char	*name;
	const char	*form;
	int		(*set)(void *dst, const char *v);
};

static int
set_name(void *d, const char *v)
{
	struct node_cfg	*c = d;

	return cfg_name_valid(v) ? copy_val(c->name, sizeof(c->name), v) : -1;
}

static int
set_identity(void *d, const char *v)
{
	struct node_cfg	*c = d;

	return stix_id_is_valid(v, "identity") ?
	    copy_val(c->identity, sizeof(c->identity), v) : -1;
}

static int
set_listen(void *d, const char *v)
{
	struct node_cfg	*c = d;

	return cfg_listen_valid(v) ? copy_val(c->listen, sizeof(c->listen),
	    v) : -1;
}

static int
set_url(void *d, const char *v)
{
	struct node_cfg	*c = d;

	return strncmp(v, "https://", 8) == 0 ?
	    copy_val(c->url, sizeof(c->url), v) : -1;
}

static int
set_default_tlp(void *d, const char *v)
{
	struct node_cfg	*c = d;

	return tlp_from_name(&c->default_tlp, v) < 0 ? -1 : 0;
}

static int
set_sync_interval(void *d, const char *v)
{
	return parse_int(&((struct node_cfg *)d)->sync_interval, v, 1, 86400);
}

static int
set_batch_size(void *d, const char *v)
{
	return parse_int(&((struct node_cfg *)d)->batch_size, v, 1, 65536);
}

static int
set_peer_rate(void *d, const char *v)
{
	return parse_int(&((struct node_cfg *)d)->peer_rate, v, 1, 1000000);
}

static int
set_client_rate(void *d, const char *v)
{
	return parse_int(&((struct node_cfg *)d)->client_rate, v, 1, 1000000);
}

/* "off", or HOST:PORT where port 0 (any free port) is valid too. */
static int
set_console(void *d, const char *v)
{
	struct node_cfg	*c = d;
	char		 any[CFG_LISTEN_MAX];
	size_t		 n = strlen(v);

	if (n >= sizeof(any))
		return -1;
	memcpy(any, v, n + 1);
	if (n >= 2 && strcmp(any + n - 2, ":0") == 0)
		any[n - 1] = '1';	/* check HOST as if it were :1 */
	if (strcmp(v, "off") != 0 && !cfg_listen_valid(any))
		return -1;
	return copy_val(c->console, sizeof(c->console), v);
}

/* A kdf_hash string (crypto/kdf.h), made by `threatex console password`. */
static int
set_console_password(void *d, const char *v)
{
	struct node_cfg	*c = d;

	if (!kdf_hash_valid(v))
		return -1;
	return copy_val(c->console_password, sizeof(c->console_password), v);
}

static int
set_benign(void *d, const char *v)
{
	return benign_key(d, v);
}

static int
set_operator(void *d, const char *v)
{
	struct node_cfg	*c = d;

	if (c->nops >= CFG_MAX_OPS || !hex_is_sha256(v))
		return -1;
	return copy_val(c->operators[c->nops++], 65, v);
}

#define TLP_FORM	"clear, green, amber, amber+strict or red"
#define BOOL_FORM	"yes or no"

static const struct cfg_key	node_keys[] = {
	{ "name", "1-63 of a-z 0-9 . _ -, not starting with a dot",
	    set_name },
	{ "identity", "identity--UUID", set_identity },
	{ "listen", "HOST:PORT (a name, an IPv4 address or [IPv6], and a "
	    "port 1-65535)", set_listen },
	{ "url", "https://HOST:PORT/", set_url },
	{ "default_tlp", TLP_FORM, set_default_tlp },
	{ "sync_interval", "seconds, 1 to 86400", set_sync_interval },
	{ "batch_size", "1 to 65536", set_batch_size },
	{ "peer_rate", "requests a minute, 1 to 1000000", set_peer_rate },
	{ "client_rate", "requests a minute per subscriber, 1 to 1000000",
	    set_client_rate },
	{ "console", "off, or HOST:PORT of the web console's listener "
	    "(port 0: any free port)", set_console },
	{ "console_password", "a scrypt$ or pbkdf2$ hash (`threatex console "
	    "password` makes it)", set_console_password },
	{ "benign_lists", "PATH[, PATH...], at most 16 in all",
	    set_benign },
	{ "operator", "64 hex digits (SHA-256 of a certificate's SPKI), "
	    "at most 16", set_operator },
	{ NULL, NULL, NULL }
};

/* A peer section's keys, checked with the registry's rules. */
static int
set_p_url(void *d, const char *v)
{
	struct cfg_peer	*p = d;

	return registry_url_valid(v) ? copy_val(p->url, sizeof(p->url), v) : -1;
}

static int
set_p_pin(void *d, const char *v)
{
	struct cfg_peer	*p = d;

	return hex_is_sha256(v) ? copy_val(p->pin, sizeof(p->pin), v) : -1;
}

static int
set_p_identity(void *d, const char *v)
{
	struct cfg_peer	*p = d;

	return stix_id_is_valid(v, "identity") ?
	    copy_val(p->identity, sizeof(p->identity), v) : -1;
}

static int
set_p_ca(void *d, const char *v)
{
	struct cfg_peer	*p = d;

	return registry_ca_valid(v) ? copy_val(p->ca, sizeof(p->ca), v) : -1;
}

static int
set_p_max_tlp(void *d, const char *v)
{
	return tlp_from_name(&((struct cfg_peer *)d)->max_tlp, v) < 0 ? -1 : 0;
}

static int
set_p_relay(void *d, const char *v)
{
	return parse_bool(&((struct cfg_peer *)d)->relay, v);
}

static int
set_p_push(void *d, const char *v)
{
	return parse_bool(&((struct cfg_peer *)d)->push, v);
}

static int
set_p_identity_only(void *d, const char *v)
{
	return parse_bool(&((struct cfg_peer *)d)->identity_only, v);
}

static int
set_p_private_lookup(void *d, const char *v)
{
	return parse_bool(&((struct cfg_peer *)d)->private_lookup, v);
}

static int
set_p_private_budget(void *d, const char *v)
{
	return parse_int(&((struct cfg_peer *)d)->private_budget, v, 1,
	    10000000);
}

static const struct cfg_key	peer_keys[] = {
	{ "url", "https://HOST[:PORT]/...", set_p_url },
	{ "pin", "64 hex digits (SHA-256 of the peer's TLS SPKI)", set_p_pin },
	{ "identity", "identity--UUID", set_p_identity },
	{ "ca", "the path of a CA certificate file", set_p_ca },
	{ "max_tlp", TLP_FORM, set_p_max_tlp },
	{ "relay", BOOL_FORM, set_p_relay },
	{ "push", BOOL_FORM, set_p_push },
	{ "identity_only", BOOL_FORM, set_p_identity_only },
	{ "private_lookup", BOOL_FORM, set_p_private_lookup },
	{ "private_budget", "values a day, 1 to 10000000",
	    set_p_private_budget },
	{ NULL, NULL, NULL }
};

/* A feed section's keys (registry_feed_check says what fits). */
static int
set_f_url(void *d, const char *v)
{
	struct cfg_feed	*f = d;

	return registry_url_valid(v) ? copy_val(f->url, sizeof(f->url), v) : -1;
}

static int
set_f_collection(void *d, const char *v)
{
	struct cfg_feed	*f = d;

	return copy_val(f->collection, sizeof(f->collection), v);
}

static int
set_f_auth(void *d, const char *v)
{
	return registry_auth_from_name(&((struct cfg_feed *)d)->auth, v);
}

static int
set_f_user(void *d, const char *v)
{
	struct cfg_feed	*f = d;

	return registry_value_valid(v) && strchr(v, ':') == NULL ?
	    copy_val(f->user, sizeof(f->user), v) : -1;
}

static int
set_f_path(char *dst, size_t len, const char *v)
{
	return registry_ca_valid(v) ? copy_val(dst, len, v) : -1;
}

static int
set_f_ca(void *d, const char *v)
{
	return set_f_path(((struct cfg_feed *)d)->ca, REG_URL_MAX, v);
}

static int
set_f_cert(void *d, const char *v)
{
	return set_f_path(((struct cfg_feed *)d)->cert, REG_URL_MAX, v);
}

static int
set_f_key(void *d, const char *v)
{
	return set_f_path(((struct cfg_feed *)d)->key, REG_URL_MAX, v);
}

static int
set_f_pin(void *d, const char *v)
{
	struct cfg_feed	*f = d;

	return hex_is_sha256(v) ? copy_val(f->pin, sizeof(f->pin), v) : -1;
}

static int
set_f_tlp(void *d, const char *v)
{
	return tlp_from_name(&((struct cfg_feed *)d)->tlp, v) < 0 ? -1 : 0;
}

static int
set_f_interval(void *d, const char *v)
{
	return parse_int(&((struct cfg_feed *)d)->interval, v, 0, 86400);
}

static int
set_f_timeout(void *d, const char *v)
{
	return parse_int(&((struct cfg_feed *)d)->timeout, v, 1, 3600);
}

static int
set_f_enabled(void *d, const char *v)
{
	return parse_bool(&((struct cfg_feed *)d)->enabled, v);
}

static const struct cfg_key	feed_keys[] = {
	{ "url", "https://HOST[:PORT]/... (discovery or API root)",
	    set_f_url },
	{ "collection", "a collection id or title", set_f_collection },
	{ "auth", "none, basic, token or cert", set_f_auth },
	{ "user", "the HTTP Basic user name (no blanks, no ':')", set_f_user },
	{ "ca", "the path of a CA certificate file (PKIX)", set_f_ca },
	{ "cert", "the path of a client certificate file", set_f_cert },
	{ "key", "the path of its key file", set_f_key },
	{ "pin", "64 hex digits (SHA-256 of the feed's TLS SPKI)", set_f_pin },
	{ "tlp", TLP_FORM, set_f_tlp },
	{ "interval", "seconds, 0 (the node's sync_interval) to 86400",
	    set_f_interval },
	{ "timeout", "seconds a request may take, 1 to 3600",
	    set_f_timeout },
	{ "enabled", BOOL_FORM, set_f_enabled },
	{ NULL, NULL, NULL }
};

/* A subscriber section's keys. */
static int
set_c_max_tlp(void *d, const char *v)
{
	return tlp_from_name(&((struct cfg_client *)d)->max_tlp, v) < 0 ?
	    -1 : 0;
}

static int
set_c_internal(void *d, const char *v)
{
	return parse_bool(&((struct cfg_client *)d)->internal, v);
}

static int
set_c_auth(void *d, const char *v)
{
	struct cfg_client	*c = d;

	return registry_auth_from_name(&c->auth, v) < 0 ||
	    c->auth == REG_AUTH_NONE ? -1 : 0;
}

static int
set_c_pin(void *d, const char *v)
{
	struct cfg_client	*c = d;

	return hex_is_sha256(v) ? copy_val(c->pin, sizeof(c->pin), v) : -1;
}

static int
set_c_hash(void *d, const char *v)
{
	struct cfg_client	*c = d;

	return registry_value_valid(v) ? copy_val(c->hash, sizeof(c->hash),
	    v) : -1;
}

static int
set_c_rate(void *d, const char *v)
{
	return parse_int(&((struct cfg_client *)d)->rate, v, 0, 1000000);
}

static const struct cfg_key	client_keys[] = {
	{ "max_tlp", "clear, green (external), amber or amber+strict "
	    "(internal only)", set_c_max_tlp },
	{ "internal", BOOL_FORM, set_c_internal },
	{ "auth", "cert, basic or token", set_c_auth },
	{ "pin", "64 hex digits (SHA-256 of the client certificate's SPKI)",
	    set_c_pin },
	{ "hash", "scrypt$... or pbkdf2$... (made by threatex client add)",
	    set_c_hash },
	{ "rate", "requests a minute, 0 (the node's client_rate) to 1000000",
	    set_c_rate },
	{ NULL, NULL, NULL }
};

/*
 * The sections, as data: [node], and one kind of named section per kind
 * of party (DESIGN §3), each with its keys and the registry's entry
 * function (which makes the entry on first sight).
 */
struct cfg_section {
	const char		*kind;		/* "peer": [peer "NAME"] */
	const struct cfg_key	*keys;
	void			*(*entry)(struct peer_registry *r,
				    const char *name);
};

static void *
entry_peer(struct peer_registry *r, const char *name)
{
	return registry_entry(r, name);
}

static void *
entry_feed(struct peer_registry *r, const char *name)
{
	return registry_feed_entry(r, name);
}

static void *
entry_client(struct peer_registry *r, const char *name)
{
	return registry_client_entry(r, name);
}

static const struct cfg_section	sections[] = {
	{ "node", node_keys, NULL },
	{ "peer", peer_keys, entry_peer },
	{ "feed", feed_keys, entry_feed },
	{ "client", client_keys, entry_client },
	{ NULL, NULL, NULL }
};

const char *
cfg_key_name(const char *section, size_t i, const char **form)
{
	const struct cfg_key	*keys = NULL;
	const struct cfg_section *sec;
	size_t			 j;

	for (sec = sections; sec->kind != NULL; sec++)
		if (strcmp(section, sec->kind) == 0)
			keys = sec->keys;
	if (keys == NULL)
		return NULL;
	for (j = 0; j < i && keys[j].name != NULL; j++)
		;
	if (keys[j].name != NULL && form != NULL)
		*form = keys[j].form;
	return keys[j].name;
}

static const struct cfg_key *
key_find(const struct cfg_key *keys, const char *k)
{
	for (; keys->name != NULL; keys++)
		if (strcmp(keys->name, k) == 0)
			return keys;
	return NULL;
}

/* "did you mean": the nearest key name of the table, or NULL. */
static const char *
key_nearest(const struct cfg_key *keys, const char *k)
{
	const char	*names[32];
	size_t		 n = 0;

	for (; keys->name != NULL && n < 32; keys++)
		names[n++] = keys->name;
	return tx_nearest(k, names, n);
}

/*
 * Section "node", or "KIND \"name\"" -> where its keys go: the node, or
 * the registry's entry, made on first sight (NULL for an unknown kind, a
 * bad name or a full registry). *sec is the section's row.
 */
static void *
section_dst(struct node_cfg *c, const char *section,
    const struct cfg_section **sec)
{
	char	name[CFG_NAME_MAX];
	size_t	k, n;

	if (strcmp(section, "node") == 0) {
		*sec = &sections[0];
		return c;
	}
	for (*sec = sections + 1; (*sec)->kind != NULL; (*sec)++) {
		k = strlen((*sec)->kind);
		if (strncmp(section, (*sec)->kind, k) != 0 ||
		    strncmp(section + k, " \"", 2) != 0)
			continue;
		n = strlen(section + k + 2);
		if (n < 2 || section[k + 2 + n - 1] != '"' ||
		    n - 1 >= sizeof(name))
			return NULL;
		memcpy(name, section + k + 2, n - 1);
		name[n - 1] = '\0';
		return (*sec)->entry(&c->reg, name);
	}
	return NULL;
}

/* Set k = v of section through its table; on failure say why, once. */
static int
ini_cb(void *user, const char *section, const char *k, const char *v)
{
	struct cfg_parse	*cp = user;
	const struct cfg_key	*keys, *key;
	const struct cfg_section *sec;
	const char		*near;
	void			*dst;

	if (cp->failed)
		return 1;
	/* Its keys change no registry entry: dst stays where it is. */
	if (cp->last_dst != NULL && strcmp(section, cp->last) == 0) {
		dst = cp->last_dst;
		sec = cp->last_sec;
	} else if ((dst = section_dst(cp->cfg, section, &sec)) != NULL &&
	    strlen(section) < sizeof(cp->last)) {
		memcpy(cp->last, section, strlen(section) + 1);
		cp->last_dst = dst;
		cp->last_sec = sec;
	}
	if (dst == NULL) {
		cp->failed = 1;
		tx_err_set(cp->err, TX_EINVAL, "node.conf line %d: unknown "
		    "section [%s] (expected [node], or [peer \"NAME\"], "
		    "[feed \"NAME\"] or [client \"NAME\"] with a NAME of "
		    "a-z 0-9 . _ -; at most %d peers, %d feeds, %d clients)",
		    cp->line, section, REG_MAX_PEERS, REG_MAX_FEEDS,
		    REG_MAX_CLIENTS);
		return 1;
	}
	keys = sec->keys;
	if ((key = key_find(keys, k)) == NULL) {
		cp->failed = 1;
		near = key_nearest(keys, k);
		tx_err_set(cp->err, TX_EINVAL, "node.conf line %d: [%s] "
		    "unknown key '%s'%s%s%s", cp->line, section, k,
		    near ? " (did you mean " : "", near ? near : "",
		    near ? "?)" : "");
		return 1;
	}
	if (key->set(dst, v) < 0) {
		cp->failed = 1;
		tx_err_set(cp->err, TX_EINVAL, "node.conf line %d: [%s] %s = %s:"
		    " expected %s", cp->line, section, k, v, key->form);
	}
	return 1;
}

/* fgets for ini_parse_stream, counting lines so that errors name them. */
static char *
count_reader(char *str, int num, void *stream)
{
	struct cfg_parse	*cp = stream;
	char			*r = fgets(str, num, cp->f);

	if (r == NULL)
		return NULL;
	if (cp->at_bol)
		cp->line++;
	cp->at_bol = strchr(r, '\n') != NULL;
	return r;
}

void
cfg_free(struct node_cfg *cfg)
{
	registry_free(&cfg->reg);
}

void
cfg_defaults(struct node_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->listen, sizeof(cfg->listen), "127.0.0.1:8443");
	cfg->default_tlp = TLP_AMBER;
	cfg->sync_interval = 300;
	cfg->batch_size = 1024;
	cfg->peer_rate = CFG_PEER_RATE;
	cfg->client_rate = CFG_CLIENT_RATE;
	snprintf(cfg->console, sizeof(cfg->console), "127.0.0.1:0");
}

/*
 * What a section's lines can only say together (basic auth needs a user,
 * a subscriber's max_tlp its cap): checked once the file is read.
 */
static int
load_check(struct node_cfg *cfg, const char *path, struct tx_err *err)
{
	struct tx_err	e;
	size_t		i;

	for (i = 0; i < cfg->reg.nfeeds; i++) {
		tx_err_clear(&e);
		if (registry_feed_check(&cfg->reg.feeds[i], &e) < 0)
			return tx_err_setw(err, TX_EINVAL, path, "[feed \"%s\"]"
			    " %s", cfg->reg.feeds[i].name, e.msg);
	}
	for (i = 0; i < cfg->reg.nclients; i++) {
		tx_err_clear(&e);
		if (registry_client_check(&cfg->reg.clients[i], &e) < 0)
			return tx_err_setw(err, TX_EINVAL, path, "[client "
			    "\"%s\"] %s", cfg->reg.clients[i].name, e.msg);
	}
	return 0;
}

/* Parse node.conf from f (named path in errors) into cfg for dir. */
static int
load_stream(struct node_cfg *cfg, const char *dir, FILE *f, const char *path,
    struct tx_err *err)
{
	struct cfg_parse	cp;
	int			rc;

	memset(&cp, 0, sizeof(cp));
	cp.cfg = cfg;
	cp.err = err;
	cp.at_bol = 1;
	cp.f = f;
	rc = ini_parse_stream(count_reader, &cp, ini_cb, &cp);
	if (cp.failed)
		return TX_EINVAL;
	if (rc != 0)
		return tx_err_setw(err, TX_EINVAL, path, "syntax error on line %d",
		    rc);
	if (cfg->name[0] == '\0' || cfg->identity[0] == '\0')
		return tx_err_setw(err, TX_EINVAL, path,
		    "[node] name and identity are required");
	registry_index(&cfg->reg);
	return load_check(cfg, path, err);
}

static int
load_begin(struct node_cfg *cfg, const char *dir, char *path, size_t len,
    struct tx_err *err)
{
	if (strlen(dir) >= sizeof(cfg->dir))
		return tx_err_set(err, TX_ELIMIT, "node directory path too long");
	cfg_free(cfg);
	cfg_defaults(cfg);
	memcpy(cfg->dir, dir, strlen(dir) + 1);
	snprintf(path, len, "%s/node.conf", dir);
	return 0;
}

int
cfg_load(struct node_cfg *cfg, const char *dir, struct tx_err *err)
{
	char	path[1200];
	FILE	*f;
	int	rc;

	if ((rc = load_begin(cfg, dir, path, sizeof(path), err)) < 0)
		return rc;
	if ((f = fopen(path, "re")) == NULL)
		return tx_err_setw(err, TX_EIO, path,
		    "cannot read (is %s a node directory? see threatex init)",
		    dir);
	rc = load_stream(cfg, dir, f, path, err);
	fclose(f);
	return rc;
}

int
cfg_load_text(struct node_cfg *cfg, const char *dir, const char *text,
    size_t len, struct tx_err *err)
{
	char	path[1200];
	FILE	*f;
	int	rc;

	if ((rc = load_begin(cfg, dir, path, sizeof(path), err)) < 0)
		return rc;
	if (len == 0 || (f = fmemopen((void *)(uintptr_t)text, len, "r")) ==
	    NULL)
		return tx_err_setw(err, TX_EINVAL, path, "empty");
	rc = load_stream(cfg, dir, f, path, err);
	fclose(f);
	return rc;
}

/* A value that stays on its own line: no control character, no DEL. */
static int
line_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/*
 * Whatever cfg holds, each value written is one line and each peer
 * section one header: what came in through the registry was checked
 * there, this is the last gate before the file.
 */
static int
save_check(const struct node_cfg *c, struct tx_err *err)
{
	const struct cfg_peer	*p;
	size_t			 i;

	if (!line_ok(c->name) || !line_ok(c->identity) ||
	    !line_ok(c->listen) || !line_ok(c->url))
		return tx_err_set(err, TX_EINVAL, "node.conf: [node] holds a "
		    "control character");
	for (i = 0; i < c->nops && i < CFG_MAX_OPS; i++)
		if (!line_ok(c->operators[i]))
			return tx_err_set(err, TX_EINVAL, "node.conf: an "
			    "operator holds a control character");
	for (i = 0; i < c->reg.npeers; i++) {
		p = &c->reg.peers[i];
		if (!registry_name_valid(p->name) || !line_ok(p->identity) ||
		    !line_ok(p->url) || !line_ok(p->pin) || !line_ok(p->ca))
			return tx_err_set(err, TX_EINVAL, "node.conf: peer %zu "
			    "has a bad name or a control character", i);
	}
	return 0;
}

/* "key = value\n" when value is not empty. */
static void
put_opt(FILE *f, const char *key, const char *value)
{
	if (value[0] != '\0')
		fprintf(f, "%s = %s\n", key, value);
}

static void
save_feed(FILE *f, const struct cfg_feed *fd)
{
	fprintf(f, "\n[feed \"%s\"]\nurl = %s\nauth = %s\ntlp = %s\n"
	    "timeout = %d\nenabled = %s\n", fd->name, fd->url,
	    registry_auth_name(fd->auth), tlp_name(fd->tlp), fd->timeout,
	    fd->enabled ? "yes" : "no");
	put_opt(f, "collection", fd->collection);
	put_opt(f, "user", fd->user);
	put_opt(f, "ca", fd->ca);
	put_opt(f, "pin", fd->pin);
	put_opt(f, "cert", fd->cert);
	put_opt(f, "key", fd->key);
	if (fd->interval != 0)
		fprintf(f, "interval = %d\n", fd->interval);
}

static void
save_client(FILE *f, const struct cfg_client *c)
{
	fprintf(f, "\n[client \"%s\"]\nmax_tlp = %s\ninternal = %s\n"
	    "auth = %s\n", c->name, tlp_name(c->max_tlp),
	    c->internal ? "yes" : "no", registry_auth_name(c->auth));
	put_opt(f, "pin", c->pin);
	put_opt(f, "hash", c->hash);
	if (c->rate != 0)
		fprintf(f, "rate = %d\n", c->rate);
}

int
cfg_save(const struct node_cfg *c, struct tx_err *err)
{
	char	 path[1200], tmp[1300];
	FILE	*f;
	size_t	 i;
	int	 ok, fd, rc;

	if ((rc = save_check(c, err)) < 0)
		return rc;
	snprintf(path, sizeof(path), "%s/node.conf", c->dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	/* 0600 whatever the umask: node.conf names pins and operators. */
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		return tx_err_setw(err, TX_EIO, tmp, "cannot write: %s",
		    strerror(errno));
	}
	fprintf(f, "# threatex node configuration (DESIGN §10)\n[node]\n"
	    "name = %s\nidentity = %s\nlisten = %s\n", c->name, c->identity,
	    c->listen);
	put_opt(f, "url", c->url);	/* "url = " would not load again */
	fprintf(f, "default_tlp = %s\nsync_interval = %d\nbatch_size = %d\n"
	    "peer_rate = %d\nclient_rate = %d\nconsole = %s\n",
	    tlp_name(c->default_tlp), c->sync_interval, c->batch_size,
	    c->peer_rate, c->client_rate, c->console);
	if (c->console_password[0] != '\0')
		fprintf(f, "console_password = %s\n", c->console_password);
	for (i = 0; i < c->nops; i++)
		fprintf(f, "operator = %s\n", c->operators[i]);
	for (i = 0; i < c->nbenign; i++)
		fprintf(f, "benign_lists = %s\n", c->benign[i]);
	for (i = 0; i < c->reg.npeers; i++) {
		const struct cfg_peer *p = &c->reg.peers[i];

		/* empty values would not load again (fuzz/config) */
		fprintf(f, "\n[peer \"%s\"]\n", p->name);
		put_opt(f, "identity", p->identity);
		if (p->identity_only) {
			fprintf(f, "identity_only = yes\n");
			continue;
		}
		put_opt(f, "url", p->url);
		put_opt(f, "pin", p->pin);
		fprintf(f, "max_tlp = %s\nrelay = %s\npush = %s\n",
		    tlp_name(p->max_tlp), p->relay ? "yes" : "no",
		    p->push ? "yes" : "no");
		if (p->ca[0] != '\0')
			fprintf(f, "ca = %s\n", p->ca);
		if (p->private_lookup)
			fprintf(f, "private_lookup = yes\n");
		if (p->private_budget != REG_PRIVATE_BUDGET)
			fprintf(f, "private_budget = %d\n",
			    p->private_budget);
	}
	for (i = 0; i < c->reg.nfeeds; i++)
		save_feed(f, &c->reg.feeds[i]);
	for (i = 0; i < c->reg.nclients; i++)
		save_client(f, &c->reg.clients[i]);
	ok = !ferror(f);
	if (fclose(f) != 0 || !ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return tx_err_setw(err, TX_EIO, path, "cannot write");
	}
	return 0;
}

struct cfg_peer *
cfg_peer_by_name(struct node_cfg *cfg, const char *name)
{
	return registry_by_name(&cfg->reg, name);
}

struct cfg_peer *
cfg_peer_by_pin(struct node_cfg *cfg, const char *pin)
{
	return registry_by_pin(&cfg->reg, pin);
}

struct cfg_peer *
cfg_peer_by_identity(struct node_cfg *cfg, const char *identity)
{
	return registry_by_identity(&cfg->reg, identity);
}

int
cfg_path(char *dst, size_t len, const struct node_cfg *cfg, const char *rel)
{
	int	n = snprintf(dst, len, "%s/%s", cfg->dir, rel);

	return n < 0 || (size_t)n >= len ? TX_ELIMIT : 0;
}
