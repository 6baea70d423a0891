/* SPDX-License-Identifier: Apache-2.0 */
/*
 * benign.c - benign lists (benign.h): MISP warninglists and plain text
 * lists read under caps into one open-addressing hash set of normalised
 * values, each remembering the first list that named it.
 *
 * What an entry becomes (decided here, documented in benign.h):
 * - an IPv4/IPv6 address or CIDR network (any list type): a network;
 *   an address matches when a listed network holds it;
 * - a domain in a "hostname" list or a plain text list: a hostname; a
 *   domain matches when it or one of its parents down to its registrable
 *   domain is listed (norm_domain_parents): a listed public suffix never
 *   covers the names under it (github.io listed does not make
 *   evil.github.io benign);
 * - anything else ("string" lists, other kinds): the exact value of its
 *   detected kind; a URL's or e-mail address's host matches a "string"
 *   entry exactly too.
 * "substring" and "regex" lists are refused (their matching is not
 * bounded by a set lookup). The keys are hashed with a random seed, so a
 * list cannot be built to collide.
 */
#include "benign.h"
#include "node.h"

#include <jansson.h>
#include <openssl/rand.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BENIGN_FILE_MAX		(16 * 1024 * 1024)	/* bytes a list */
#define BENIGN_ENTRIES_MAX	1000000		/* values, all lists */
#define BENIGN_LISTS_MAX	64		/* files, all paths */
#define BENIGN_DIR_MAX		1024		/* entries of a directory */
#define BENIGN_NAME_MAX		96		/* a list's name */
#define BENIGN_KEY_MAX		(NORM_CANON_MAX + 24)
#define BENIGN_PARENTS_MAX	128

enum benign_type {
	BT_HOSTNAME,	/* domains: parents match too */
	BT_STRING,	/* exact values */
	BT_CIDR		/* addresses and networks */
};

struct bent {
	char		*key;	/* NULL: empty slot */
	uint64_t	 hash;
	size_t		 list;
};

struct benign {
	char		(*names)[BENIGN_NAME_MAX];
	size_t		 nlists;
	struct bent	*tab;
	size_t		 cap, n;	/* cap a power of two, n <= cap/2 */
	uint64_t	 seed;
	uint8_t		 plen4[33], plen6[129];	/* prefix lengths held */
};

static uint64_t
bhash(const struct benign *b, const char *s)
{
	uint64_t	h = node_fnv_bytes(NODE_FNV_INIT ^ b->seed, s, strlen(s));

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static const struct bent *
bfind(const struct benign *b, const char *key)
{
	uint64_t	h;
	size_t		i;

	if (b == NULL || b->n == 0)
		return NULL;
	h = bhash(b, key);
	/* n <= cap / 2: an empty slot ends every probe. */
	for (i = h & (b->cap - 1); b->tab[i].key != NULL;
	    i = (i + 1) & (b->cap - 1))
		if (b->tab[i].hash == h && strcmp(b->tab[i].key, key) == 0)
			return &b->tab[i];
	return NULL;
}

static int
bgrow(struct benign *b, struct tx_err *err)
{
	struct bent	*nt;
	size_t		 ncap = b->cap ? b->cap * 2 : 1024, i, j;

	if ((nt = calloc(ncap, sizeof(*nt))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	for (i = 0; i < b->cap; i++) {
		if (b->tab[i].key == NULL)
			continue;
		for (j = b->tab[i].hash & (ncap - 1); nt[j].key != NULL;
		    j = (j + 1) & (ncap - 1))
			;
		nt[j] = b->tab[i];
	}
	free(b->tab);
	b->tab = nt;
	b->cap = ncap;
	return 0;
}

/* Add key for list (the first list naming a value keeps it). */
static int
badd(struct benign *b, const char *key, const char *file,
    struct tx_err *err)
{
	uint64_t	h;
	size_t		i;
	int		rc;

	if (bfind(b, key) != NULL)
		return 0;
	if (b->n >= BENIGN_ENTRIES_MAX)
		return tx_err_setw(err, TX_ELIMIT, file, "more than %d values "
		    "in the benign lists", BENIGN_ENTRIES_MAX);
	if ((b->n + 1) * 2 > b->cap && (rc = bgrow(b, err)) < 0)
		return rc;
	h = bhash(b, key);
	for (i = h & (b->cap - 1); b->tab[i].key != NULL;
	    i = (i + 1) & (b->cap - 1))
		;
	if ((b->tab[i].key = strdup(key)) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	b->tab[i].hash = h;
	b->tab[i].list = b->nlists - 1;
	b->n++;
	return 0;
}

/*
 * The network key of an address: "c4:<hex of the first len bits>/len"
 * ("c6:" for IPv6), the address masked to len bits.
 */
static void
net_key(char *dst, size_t dlen, int v6, const uint8_t *a, int len)
{
	static const char	hex[] = "0123456789abcdef";
	uint8_t			m[16];
	size_t			nb = v6 ? 16 : 4, i, o;
	int			bits;

	memcpy(m, a, nb);
	for (i = 0; i < nb; i++) {
		bits = len - (int)i * 8;
		if (bits <= 0)
			m[i] = 0;
		else if (bits < 8)
			m[i] &= (uint8_t)(0xff << (8 - bits));
	}
	o = (size_t)snprintf(dst, dlen, "c%c:", v6 ? '6' : '4');
	for (i = 0; i < nb && o + 3 < dlen; i++) {
		dst[o++] = hex[m[i] >> 4];
		dst[o++] = hex[m[i] & 15];
	}
	dst[o] = '\0';
	snprintf(dst + o, dlen - o, "/%d", len);
}

/*
 * Parse a canonical IP value ("a.b.c.d", "a.b.c.0/24", "2001:db8::/32")
 * into its bytes and prefix length. 0, or -1 when it is not one.
 */
static int
ip_parse(const char *canon, int *v6, uint8_t a[16], int *len)
{
	char		 buf[64];
	const char	*slash = strchr(canon, '/');
	size_t		 n = slash ? (size_t)(slash - canon) : strlen(canon);
	char		*end;
	long		 l;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, canon, n);
	buf[n] = '\0';
	*v6 = strchr(buf, ':') != NULL;
	if (inet_pton(*v6 ? AF_INET6 : AF_INET, buf, a) != 1)
		return -1;
	*len = *v6 ? 128 : 32;
	if (slash != NULL) {
		errno = 0;
		l = strtol(slash + 1, &end, 10);
		if (errno != 0 || *end != '\0' || end == slash + 1 || l < 0 ||
		    l > *len)
			return -1;
		*len = (int)l;
	}
	return 0;
}

/* One raw entry of a list of type t; one that does not normalise is
   skipped. */
static int
add_entry(struct benign *b, enum benign_type t, const char *s, size_t len,
    const char *file, struct tx_err *err)
{
	struct norm_result	r;
	char			key[BENIGN_KEY_MAX];
	uint8_t			a[16];
	int			v6, plen;

	if (norm_value(&r, NORM_UNKNOWN, NULL, s, len, NULL) < 0)
		return 0;
	if (r.kind == NORM_IPV4 || r.kind == NORM_IPV6) {
		if (ip_parse(r.canonical, &v6, a, &plen) < 0)
			return 0;
		net_key(key, sizeof(key), v6, a, plen);
		if (v6)
			b->plen6[plen] = 1;
		else
			b->plen4[plen] = 1;
	} else if (t == BT_CIDR)
		return 0;
	else if (t == BT_HOSTNAME && r.kind == NORM_DOMAIN)
		snprintf(key, sizeof(key), "h:%s", r.canonical);
	else
		snprintf(key, sizeof(key), "s:%s:%s", norm_kind_name(r.kind),
		    r.canonical);
	return badd(b, key, file, err);
}

/* Start a new list named name (control bytes replaced). */
static int
list_start(struct benign *b, const char *name, const char *file,
    struct tx_err *err)
{
	size_t	i;

	if (b->nlists >= BENIGN_LISTS_MAX)
		return tx_err_setw(err, TX_ELIMIT, file, "more than %d benign "
		    "lists", BENIGN_LISTS_MAX);
	snprintf(b->names[b->nlists], BENIGN_NAME_MAX, "%s", name);
	for (i = 0; b->names[b->nlists][i] != '\0'; i++)
		if ((uint8_t)b->names[b->nlists][i] < 0x20 ||
		    b->names[b->nlists][i] == 0x7f)
			b->names[b->nlists][i] = '?';
	b->nlists++;
	return 0;
}

/* A MISP warninglist: {"name", "type", "list": [...]}. */
static int
load_misp(struct benign *b, const char *file, const uint8_t *buf,
    size_t len, struct tx_err *err)
{
	json_error_t	 je;
	json_t		*doc, *list, *v;
	const char	*type, *name;
	enum benign_type t;
	size_t		 i;
	int		 rc = 0;

	if ((doc = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES,
	    &je)) == NULL)
		return tx_err_setw(err, TX_EINVAL, file, "not a warninglist: "
		    "line %d column %d: %s", je.line, je.column, je.text);
	list = json_object_get(doc, "list");
	type = json_string_value(json_object_get(doc, "type"));
	name = json_string_value(json_object_get(doc, "name"));
	if (!json_is_object(doc) || !json_is_array(list)) {
		rc = tx_err_setw(err, TX_EINVAL, file, "not a warninglist: no "
		    "\"list\" array");
		goto out;
	}
	if (type == NULL || strcmp(type, "string") == 0)
		t = BT_STRING;
	else if (strcmp(type, "hostname") == 0)
		t = BT_HOSTNAME;
	else if (strcmp(type, "cidr") == 0)
		t = BT_CIDR;
	else {
		rc = tx_err_setw(err, TX_EINVAL, file, "warninglist type "
		    "\"%.40s\" not supported (hostname, string, cidr)", type);
		goto out;
	}
	if ((rc = list_start(b, name != NULL && name[0] != '\0' ? name :
	    file, file, err)) < 0)
		goto out;
	json_array_foreach(list, i, v) {
		if (!json_is_string(v))
			continue;
		if ((rc = add_entry(b, t, json_string_value(v),
		    json_string_length(v), file, err)) < 0)
			break;
	}
out:
	json_decref(doc);
	return rc;
}

/* Plain text: one value a line, '#' starts a comment line. */
static int
load_text(struct benign *b, const char *file, const uint8_t *buf,
    size_t len, struct tx_err *err)
{
	const char	*base = strrchr(file, '/');
	const char	*p = (const char *)buf, *end = p + len, *nl;
	size_t		 l, lineno = 0;
	int		 rc;

	if (memchr(buf, '\0', len) != NULL)
		return tx_err_setw(err, TX_EINVAL, file, "not a text list: "
		    "NUL byte at offset %zu",
		    (size_t)((const uint8_t *)memchr(buf, '\0', len) - buf));
	if ((rc = list_start(b, base ? base + 1 : file, file, err)) < 0)
		return rc;
	for (; p < end; p = nl + 1) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		l = (size_t)(nl - p);
		while (l > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			l--;
		}
		if (l == 0 || *p == '#' || *p == '\r')
			continue;
		if (l > NORM_INPUT_MAX)
			continue;
		if ((rc = add_entry(b, BT_HOSTNAME, p, l, file, err)) < 0)
			return rc;
	}
	return 0;
}

static int
load_buf(struct benign *b, const char *file, const uint8_t *buf,
    size_t len, struct tx_err *err)
{
	size_t	i = 0;

	if (len >= 3 && buf[0] == 0xef && buf[1] == 0xbb && buf[2] == 0xbf)
		i = 3;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' ||
	    buf[i] == '\r' || buf[i] == '\n'))
		i++;
	if (i < len && buf[i] == '{')
		return load_misp(b, file, buf + i, len - i, err);
	return load_text(b, file, buf, len, err);
}

static int
load_file(struct benign *b, const char *file, struct tx_err *err)
{
	uint8_t	*buf;
	size_t	 len;
	int	 rc;

	if ((rc = node_read_file(&buf, &len, file, BENIGN_FILE_MAX, err)) < 0)
		return rc;
	rc = load_buf(b, file, buf, len, err);
	free(buf);
	return rc;
}

/* Whether name ends in suffix. */
static int
has_suffix(const char *name, const char *suffix)
{
	size_t	n = strlen(name), s = strlen(suffix);

	return n > s && strcmp(name + n - s, suffix) == 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A directory: its lists in name order, each subdirectory's list.json
 * (the MISP warninglists' lists/ layout) and each *.json or *.txt file.
 */
static int
load_dir(struct benign *b, const char *dir, struct tx_err *err)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 sb;
	char		*names[BENIGN_DIR_MAX], path[2 * CFG_PATH_MAX];
	size_t		 n = 0, i;
	int		 rc = 0;

	if ((d = opendir(dir)) == NULL)
		return tx_err_setw(err, TX_EIO, dir, "cannot open: %s",
		    strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n >= BENIGN_DIR_MAX) {
			rc = tx_err_setw(err, TX_ELIMIT, dir, "more than %d "
			    "entries", BENIGN_DIR_MAX);
			break;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			rc = tx_err_set(err, TX_ENOMEM, "out of memory");
			break;
		}
		n++;
	}
	closedir(d);
	if (rc == 0)
		qsort(names, n, sizeof(names[0]), name_cmp);
	for (i = 0; rc == 0 && i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s/list.json", dir, names[i]);
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
			rc = load_file(b, path, err);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if ((has_suffix(names[i], ".json") ||
		    has_suffix(names[i], ".txt")) &&
		    stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
			rc = load_file(b, path, err);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	return rc;
}

static struct benign *
benign_new(struct tx_err *err)
{
	struct benign	*b;

	if ((b = calloc(1, sizeof(*b))) == NULL ||
	    (b->names = calloc(BENIGN_LISTS_MAX, sizeof(*b->names))) ==
	    NULL) {
		free(b);
		tx_err_set(err, TX_ENOMEM, "out of memory");
		return NULL;
	}
	if (RAND_bytes((unsigned char *)&b->seed, sizeof(b->seed)) != 1)
		b->seed = (uint64_t)(uintptr_t)b ^ (uint64_t)node_mono_us();
	return b;
}

int
benign_load(struct benign **out, const char *const *paths, size_t n,
    struct tx_err *err)
{
	struct benign	*b;
	struct stat	 sb;
	size_t		 i;
	int		 rc = 0;

	*out = NULL;
	if ((b = benign_new(err)) == NULL)
		return TX_ENOMEM;
	for (i = 0; rc == 0 && i < n; i++) {
		if (stat(paths[i], &sb) < 0)
			rc = tx_err_setw(err, TX_EIO, paths[i], "cannot open: "
			    "%s", strerror(errno));
		else if (S_ISDIR(sb.st_mode))
			rc = load_dir(b, paths[i], err);
		else
			rc = load_file(b, paths[i], err);
	}
	if (rc < 0) {
		benign_free(b);
		return rc;
	}
	*out = b;
	return 0;
}

int
benign_load_mem(struct benign **out, const char *name, const uint8_t *buf,
    size_t len, struct tx_err *err)
{
	struct benign	*b;
	int		 rc;

	*out = NULL;
	if (len > BENIGN_FILE_MAX)
		return tx_err_setw(err, TX_ELIMIT, name, "larger than %d bytes",
		    BENIGN_FILE_MAX);
	if ((b = benign_new(err)) == NULL)
		return TX_ENOMEM;
	if ((rc = load_buf(b, name, buf, len, err)) < 0) {
		benign_free(b);
		return rc;
	}
	*out = b;
	return 0;
}

void
benign_free(struct benign *b)
{
	size_t	i;

	if (b == NULL)
		return;
	for (i = 0; i < b->cap; i++)
		free(b->tab[i].key);
	free(b->tab);
	free(b->names);
	free(b);
}

size_t
benign_count(const struct benign *b)
{
	return b != NULL ? b->n : 0;
}

static const char *
hit(const struct benign *b, const char *key)
{
	const struct bent	*e = bfind(b, key);

	return e != NULL ? b->names[e->list] : NULL;
}

static const char *
match_exact(const struct benign *b, enum norm_kind kind, const char *canon)
{
	char	key[BENIGN_KEY_MAX];

	snprintf(key, sizeof(key), "s:%s:%s", norm_kind_name(kind), canon);
	return hit(b, key);
}

/* An address or network: a listed network holding it. */
static const char *
match_ip(const struct benign *b, const char *canon)
{
	const uint8_t	*pl;
	const char	*name;
	char		 key[BENIGN_KEY_MAX];
	uint8_t		 a[16];
	int		 v6, len, l;

	if (ip_parse(canon, &v6, a, &len) < 0)
		return NULL;
	pl = v6 ? b->plen6 : b->plen4;
	for (l = len; l >= 0; l--) {
		if (!pl[l])
			continue;
		net_key(key, sizeof(key), v6, a, l);
		if ((name = hit(b, key)) != NULL)
			return name;
	}
	return NULL;
}

static const char *
match_domain(const struct benign *b, const char *canon)
{
	char		 keys[BENIGN_PARENTS_MAX][256];
	char		 key[BENIGN_KEY_MAX];
	const char	*name;
	int		 n, i;

	n = norm_domain_parents(keys, BENIGN_PARENTS_MAX, canon);
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "h:%s", keys[i]);
		if ((name = hit(b, key)) != NULL)
			return name;
	}
	return match_exact(b, NORM_DOMAIN, canon);
}

/* A host (of a URL or e-mail address): an address or a domain. */
static const char *
match_host(const struct benign *b, const char *host, size_t len)
{
	char	h[256];

	if (len == 0 || len >= sizeof(h))
		return NULL;
	memcpy(h, host, len);
	h[len] = '\0';
	if (h[0] == '[' && len > 2 && h[len - 1] == ']') {
		memmove(h, h + 1, len - 2);
		h[len - 2] = '\0';
		return match_ip(b, h);
	}
	if (strchr(h, ':') == NULL && strspn(h, "0123456789.") == len)
		return match_ip(b, h);
	return match_domain(b, h);
}

/* The host of a canonical URL: after "://" and any userinfo, before the
   port, path, query or fragment. */
static const char *
match_url(const struct benign *b, const char *canon)
{
	const char	*p = strstr(canon, "://"), *e, *at;
	size_t		 n;

	if (p == NULL)
		return NULL;
	p += 3;
	n = strcspn(p, "/?#");
	if ((at = memchr(p, '@', n)) != NULL) {
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	if (*p == '[') {
		if ((e = memchr(p, ']', n)) == NULL)
			return NULL;
		return match_host(b, p, (size_t)(e + 1 - p));
	}
	if ((e = memchr(p, ':', n)) != NULL)
		n = (size_t)(e - p);
	return match_host(b, p, n);
}

const char *
benign_match(const struct benign *b, enum norm_kind kind,
    const char *canonical)
{
	const char	*name, *at;

	if (b == NULL || canonical == NULL || b->n == 0)
		return NULL;
	if ((name = match_exact(b, kind, canonical)) != NULL)
		return name;
	switch (kind) {
	case NORM_DOMAIN:
		return match_domain(b, canonical);
	case NORM_IPV4:
	case NORM_IPV6:
		return match_ip(b, canonical);
	case NORM_URL:
		return match_url(b, canonical);
	case NORM_EMAIL:
		if ((at = strrchr(canonical, '@')) == NULL)
			return NULL;
		return match_host(b, at + 1, strlen(at + 1));
	default:
		return NULL;
	}
}

int
node_benign(const struct benign **out, struct node *n, struct tx_err *err)
{
	char		 paths[CFG_MAX_BENIGN][2 * CFG_PATH_MAX];
	const char	*pp[CFG_MAX_BENIGN];
	struct benign	*b;
	size_t		 i;
	int		 rc;

	*out = NULL;
	if (n->benign_loaded) {
		*out = n->benign;
		return 0;
	}
	for (i = 0; i < n->cfg.nbenign && i < CFG_MAX_BENIGN; i++) {
		if (n->cfg.benign[i][0] == '/')
			snprintf(paths[i], sizeof(paths[i]), "%s",
			    n->cfg.benign[i]);
		else
			snprintf(paths[i], sizeof(paths[i]), "%s/%s",
			    n->cfg.dir, n->cfg.benign[i]);
		pp[i] = paths[i];
	}
	b = NULL;
	if (i > 0 && (rc = benign_load(&b, pp, i, err)) < 0)
		return rc;
	n->benign = b;
	n->benign_loaded = 1;
	*out = b;
	return 0;
}
