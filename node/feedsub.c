/* SPDX-License-Identifier: Apache-2.0 */
/*
 * feedsub.c - one feed round; see feedsub.h. The feed is a third party
 * and may be hostile: its documents go through peers/taxii_discovery.c
 * (bounded), its pages through the streaming reader (strict intake), each
 * response capped in the client's write callback, every request bounded
 * by the feed's timeout and the round by its budget. The API root and
 * the collection must be on the feed URL's own origin: the feed's
 * credentials are never sent elsewhere. Nothing a feed sends is signed as
 * this node's own: an unsigned object that claims this node or another
 * member as its creator is refused; the rest is attested unaltered.
 */
#include "feedsub.h"
#include "audit.h"
#include "batch.h"
#include "merge.h"
#include "store_audit.h"
#include "store_feedsub.h"
#include "store_peer.h"
#include "stream.h"
#include "taxii_client.h"
#include "taxii_discovery.h"
#include "validate.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FEED_MAX_RESPONSE	(64 * 1024 * 1024)
#define FEED_CONNECT_TIMEOUT	30
#define FEED_SECRET_MAX		1024

struct feed_page {
	struct node		*n;
	struct cfg_feed		*f;
	struct sync_stats	*stats;
	const struct sync_out	*out;
	json_t			*signed_objs;	/* carry their signatures */
	json_t			*unsorted;	/* to attest, TLP not judged yet */
	json_t			*pending[TLP_UNKNOWN + 1]; /* to attest */
	int			 rc;
	enum sync_fail		 kind;
	struct tx_err		 perr;
};

long
feedsub_round_s(void)
{
	const char	*v = getenv("THREATEX_FEED_ROUND_S");
	char		*end;
	long		 l;

	if (v == NULL || *v == '\0')
		return FEEDSUB_ROUND_S;
	l = strtol(v, &end, 10);
	return *end == '\0' && l >= 1 && l < FEEDSUB_ROUND_S ? l :
	    FEEDSUB_ROUND_S;
}

static void
emit(const struct feed_page *fp, enum sync_event what, size_t index,
    const char *id, const char *text)
{
	struct sync_report	r;

	memset(&r, 0, sizeof(r));
	r.what = what;
	r.peer = fp->f->name;
	r.index = index;
	r.id = id;
	r.text = text;
	r.stats = fp->stats;
	r.feed = 1;
	sync_emit(fp->out, &r);
}

/* Count and report a refusal; the first one's reason is kept. */
static void
refuse(struct feed_page *fp, size_t index, const char *id, const char *why)
{
	if (fp->stats->refused++ == 0)
		snprintf(fp->stats->why_refused,
		    sizeof(fp->stats->why_refused), "%s", why);
	emit(fp, id != NULL ? SYNC_EV_REFUSED : SYNC_EV_ELEMENT, index, id,
	    why);
}

static const char *
obj_id(const json_t *obj)
{
	const char	*id = json_string_value(json_object_get(obj, "id"));

	return id != NULL ? id : "";
}

/*
 * Whether this node may attest unsigned obj: NULL if so, else why not. A
 * feed never makes this node sign as the author of what it sends, nor in
 * another member's name.
 */
static const char *
attest_refusal(struct feed_page *fp, const json_t *obj, char *why,
    size_t len)
{
	struct node	*n = fp->n;
	const char	*creator = merge_creator_ref(obj);

	if (creator == NULL)
		return NULL;
	if (strcmp(creator, n->cfg.identity) == 0)
		return "unsigned and created_by_ref names this node: a feed "
		    "cannot author in this node's name";
	if (roster_by_identity(&n->roster, creator) != NULL) {
		snprintf(why, len, "unsigned and created by federation member "
		    "%s; only it can sign it", node_member_name(n, creator));
		return why;
	}
	return NULL;
}

static int
object_cb(size_t index, json_t *obj, const struct tx_err *elem_err,
    void *payload)
{
	struct feed_page	*fp = payload;
	const char		*why;
	char			 msg[600];

	if (index >= FEEDSUB_PAGE_MAX) {
		tx_err_set(&fp->perr, TX_ELIMIT, "the page holds more than "
		    "%d objects", FEEDSUB_PAGE_MAX);
		fp->kind = SYNC_FAIL_REFUSED;
		return fp->rc = TX_ELIMIT;
	}
	fp->stats->received++;
	if (obj == NULL) {
		tx_err_format(elem_err, msg, sizeof(msg));
		refuse(fp, index, NULL, msg);
		return 0;
	}
	if (json_object_get(obj, "signatures") != NULL) {
		/* Signed by its source: judged by merge as it is. */
		if (json_array_append(fp->signed_objs, obj) != 0)
			goto nomem;
		return 0;
	}
	if ((why = attest_refusal(fp, obj, msg, sizeof(msg))) != NULL) {
		refuse(fp, index, obj_id(obj), why);
		return 0;
	}
	/* Its TLP is judged in page_merge, after the page's markings. */
	if (json_array_append(fp->unsorted, obj) != 0)
		goto nomem;
	return 0;
nomem:
	tx_err_set(&fp->perr, TX_ENOMEM, "out of memory");
	fp->kind = SYNC_FAIL_LOCAL;
	return fp->rc = TX_ENOMEM;
}

/* Count a merge result; refusals reported. */
static void
count_result(struct feed_page *fp, const struct merge_result *res)
{
	if (sync_stats_count(fp->stats, res))
		refuse(fp, 0, res->id, res->reason);
}

static int
merge_one(struct feed_page *fp, json_t *obj, const struct merge_src *src)
{
	struct merge_result	res;
	int			rc;

	if ((rc = merge_object(fp->n, obj, src, &res, &fp->perr)) < 0) {
		fp->kind = SYNC_FAIL_LOCAL;
		return fp->rc = rc;
	}
	count_result(fp, &res);
	return 0;
}

/*
 * Sign the pending objects of one TLP level as one batch (each alone
 * when the batch is refused, so that one bad object refuses only itself)
 * and merge them. Signing adds only the signatures entry (outside the
 * hashed bytes): nothing of the object changes.
 */
static int
attest_level(struct feed_page *fp, json_t *arr, enum tlp_level tlp,
    const struct merge_src *base)
{
	struct batch_signer	 s = { fp->n->signing, fp->n->cfg.identity };
	struct merge_src	 src = *base;
	struct tx_err		 serr;
	json_t			**objs, *o;
	size_t			 cnt = json_array_size(arr), i;
	int			 rc = 0, whole;

	if (cnt == 0)
		return 0;
	if ((objs = calloc(cnt, sizeof(*objs))) == NULL) {
		tx_err_set(&fp->perr, TX_ENOMEM, "out of memory");
		fp->kind = SYNC_FAIL_LOCAL;
		return fp->rc = TX_ENOMEM;
	}
	src.unmarked_tlp = tlp;
	for (i = 0; i < cnt; i++)
		objs[i] = json_array_get(arr, i);
	tx_err_clear(&serr);
	whole = batch_sign(objs, cnt, &s, src.now_us, &serr) == 0;
	for (i = 0; rc == 0 && i < cnt; i++) {
		o = objs[i];
		tx_err_clear(&serr);
		if (!whole && batch_sign(&o, 1, &s, src.now_us, &serr) < 0) {
			refuse(fp, 0, obj_id(o), serr.msg);
			continue;
		}
		rc = merge_one(fp, o, &src);
	}
	free(objs);
	return rc;
}

/*
 * Move the unsorted objects that are marking definitions (markings 1) or
 * all the others (0) to the pending list of their TLP level (an unmarked
 * one at the feed's tlp); one whose marking is unknown is refused.
 */
static int
page_sort(struct feed_page *fp, int markings)
{
	enum tlp_level	 tlp;
	json_t		*obj;
	size_t		 i = 0;
	int		 unmarked, md;

	while (i < json_array_size(fp->unsorted)) {
		obj = json_array_get(fp->unsorted, i);
		md = strncmp(obj_id(obj) != NULL ? obj_id(obj) : "",
		    "marking-definition--", 20) == 0;
		if (md != markings) {
			i++;
			continue;
		}
		tlp = merge_effective_tlp(fp->n, obj, &unmarked);
		if (unmarked)
			tlp = fp->f->tlp;
		if ((int)tlp < 0 || tlp >= TLP_UNKNOWN)
			refuse(fp, 0, obj_id(obj), "unknown marking: not "
			    "shareable, not attested");
		else if (json_array_append(fp->pending[tlp], obj) != 0) {
			tx_err_set(&fp->perr, TX_ENOMEM, "out of memory");
			fp->kind = SYNC_FAIL_LOCAL;
			return fp->rc = TX_ENOMEM;
		}
		json_array_remove(fp->unsorted, i);
	}
	return 0;
}

/* Attest and merge every pending level, then empty them. */
static int
attest_pending(struct feed_page *fp, const struct merge_src *src)
{
	int	l, rc = 0;

	for (l = 0; rc == 0 && l < TLP_UNKNOWN; l++) {
		rc = attest_level(fp, fp->pending[l], (enum tlp_level)l, src);
		json_array_clear(fp->pending[l]);
	}
	return rc;
}

/*
 * The page's objects, merged in the caller's transaction: those signed by
 * their source, then the marking definitions it brings (a statement
 * marking such as ATT&CK's must be held before the objects it marks are
 * judged), then the rest.
 */
static int
page_merge(struct feed_page *fp)
{
	struct merge_src	 src;
	size_t			 i;
	int			 rc = 0;

	memset(&src, 0, sizeof(src));
	src.peer = "";
	src.peer_identity = NULL;
	src.cert_pin = "";
	src.now_us = node_now_us();
	src.unmarked_tlp = TLP_UNKNOWN;
	for (i = 0; rc == 0 && i < json_array_size(fp->signed_objs); i++)
		rc = merge_one(fp, json_array_get(fp->signed_objs, i), &src);
	if (rc == 0 && (rc = page_sort(fp, 1)) == 0)
		rc = attest_pending(fp, &src);
	if (rc == 0 && (rc = page_sort(fp, 0)) == 0)
		rc = attest_pending(fp, &src);
	return rc;
}

static void
page_clear(struct feed_page *fp)
{
	int	l;

	json_array_clear(fp->signed_objs);
	json_array_clear(fp->unsorted);
	for (l = 0; l <= TLP_UNKNOWN; l++)
		json_array_clear(fp->pending[l]);
}

/*
 * One page of the feed, in one transaction with the cursor. On failure
 * nothing of the page stays, and fp->kind and fp->perr say why.
 */
static int
page_cb(const uint8_t *body, size_t len, int64_t date_added_last,
    struct taxii_page_result *res, void *payload)
{
	struct feed_page	*fp = payload;
	struct stix_limits	 lim;
	struct stix_doc_info	 info;
	struct sync_stats	 before = *fp->stats;
	char			 msg[600], key[96];
	int			 rc;

	stix_limits_default(&lim);
	tx_err_clear(&fp->perr);
	fp->rc = 0;
	page_clear(fp);
	rc = stix_stream_mem(&info, body, len, &lim, object_cb, fp,
	    &fp->perr);
	if (rc < 0 || fp->rc < 0) {
		if (fp->rc == 0)
			fp->kind = SYNC_FAIL_MALFORMED;
		goto fail;
	}
	if ((rc = store_begin(fp->n->st, &fp->perr)) < 0) {
		fp->kind = SYNC_FAIL_LOCAL;
		goto fail;
	}
	if ((rc = page_merge(fp)) == 0 && date_added_last > 0) {
		store_feedsub_cursor_key(key, sizeof(key), fp->f->name);
		rc = store_cursor_set(fp->n->st, key, date_added_last,
		    &fp->perr);
	}
	if (rc == 0)
		rc = store_audit_flush(fp->n->st, &fp->perr);
	if (rc == 0)
		rc = store_commit(fp->n->st, &fp->perr);
	if (rc < 0) {
		store_rollback(fp->n->st);
		fp->kind = SYNC_FAIL_LOCAL;
		goto fail;
	}
	page_clear(fp);
	fp->stats->pages++;
	emit(fp, SYNC_EV_PROGRESS, 0, NULL, "");
	res->more = info.more == 1;
	res->count = info.count;
	res->fresh = fp->stats->stored - before.stored;
	memcpy(res->next, info.next, sizeof(res->next));
	return 0;
fail:
	page_clear(fp);
	*fp->stats = before;	/* nothing of the page was kept */
	if (fp->perr.code == 0)
		fp->perr.code = rc < 0 ? rc : fp->rc;
	tx_err_format(&fp->perr, msg, sizeof(msg));
	emit(fp, SYNC_EV_PAGE, 0, NULL, msg);
	return rc < 0 ? rc : fp->rc;
}

/* GET url; a non-200 answer is an error naming what and the status. */
static int
get_doc(struct taxii_conn *c, const char *url, const char *what,
    char **body, size_t *len, struct tx_err *err)
{
	long	status;
	int	rc;

	if ((rc = taxii_get_url(c, url, body, len, &status, err)) < 0)
		return rc;
	if (status == 200)
		return 0;
	free(*body);
	*body = NULL;
	if (status == 401 || status == 403)
		return tx_err_set(err, TX_EAUTH, "%s: HTTP %ld on GET %s: the "
		    "feed refused our credentials", url, status, what);
	return tx_err_set(err, TX_EIO, "%s: HTTP %ld on GET %s", url, status,
	    what);
}

/*
 * The collection of API root root: its objects URL into objects, and
 * "ID \"TITLE\" at ROOT" into desc.
 */
static int
resolve_root(struct taxii_conn *c, struct cfg_feed *f, const char *root,
    char *objects, size_t olen, char *desc, size_t dlen, struct tx_err *err)
{
	static struct taxii_collections	 cs;
	char				 url[TAXII_URL_MAX + 16], *body;
	size_t				 len, idx;
	int				 rc;

	if (!taxii_same_origin(root, f->url))
		return tx_err_set(err, TX_EINVAL, "API root %s is not on the "
		    "feed's host (%s): its credentials are sent only there; "
		    "give the API root as the feed's URL", root, f->url);
	snprintf(url, sizeof(url), "%scollections/", root);
	if ((rc = get_doc(c, url, "collections", &body, &len, err)) < 0)
		return rc;
	rc = taxii_collections_parse(&cs, body, len, err);
	free(body);
	if (rc < 0) {
		tx_err_prefix(err, "%s: ", url);
		return rc;
	}
	if ((rc = taxii_collection_choose(&cs, f->collection, &idx, NULL, 0,
	    err)) < 0) {
		tx_err_prefix(err, "%s: ", root);
		return rc;
	}
	if ((size_t)snprintf(objects, olen, "%scollections/%s/objects/", root,
	    cs.c[idx].id) >= olen)
		return tx_err_set(err, TX_EINVAL, "%s: objects URL too long",
		    root);
	snprintf(desc, dlen, "%s \"%s\" at %s", cs.c[idx].id, cs.c[idx].title,
	    root);
	return 0;
}

/*
 * Discovery (or an API root given directly) -> API root -> collection:
 * objects receives the collection's objects URL, desc what was chosen.
 */
static int
feed_resolve(struct taxii_conn *c, struct cfg_feed *f, char *objects,
    size_t olen, char *desc, size_t dlen, struct tx_err *err)
{
	static struct taxii_discovery	 d;
	char				 root[TAXII_URL_MAX], *body;
	const char			*cand[TAXII_ROOTS_MAX + 1];
	struct tx_err			 first, e;
	size_t				 len, i, nc = 0;
	int				 rc, frc = 0;

	if ((rc = get_doc(c, f->url, "discovery", &body, &len, err)) < 0)
		return rc;
	rc = taxii_discovery_parse(&d, body, len, err);
	free(body);
	if (rc < 0) {
		tx_err_prefix(err, "%s: ", f->url);
		return rc;
	}
	if (d.kind == TAXII_DOC_API_ROOT) {
		if ((rc = taxii_url_resolve(root, f->url, f->url, err)) < 0)
			return rc;
		return resolve_root(c, f, root, objects, olen, desc, dlen,
		    err);
	}
	if (d.dflt[0] != '\0')
		cand[nc++] = d.dflt;
	for (i = 0; i < d.nroots; i++)
		if (strcmp(d.roots[i], d.dflt) != 0)
			cand[nc++] = d.roots[i];
	if (nc == 0)
		return tx_err_set(err, TX_ENOTFOUND, "%s: the discovery "
		    "resource names no API root", f->url);
	/* The default root first, then the others: the first that has it. */
	tx_err_clear(&first);
	for (i = 0; i < nc; i++) {
		tx_err_clear(&e);
		if ((rc = taxii_url_resolve(root, f->url, cand[i], &e)) == 0 &&
		    (rc = resolve_root(c, f, root, objects, olen, desc, dlen,
		    &e)) == 0)
			return 0;
		if (frc == 0) {
			frc = rc;
			first = e;
		}
		/* A transport or authentication failure ends the search. */
		if (rc == TX_EIO || rc == TX_EAUTH || rc == TX_ELIMIT)
			break;
	}
	if (err != NULL)
		*err = first;
	return frc;
}

int
feedsub_secret_read(const struct node_cfg *cfg, const char *name, char *out,
    size_t len, struct tx_err *err)
{
	char		 rel[96], path[1400];
	struct stat	 sb;
	ssize_t		 n;
	int		 fd;

	out[0] = '\0';
	snprintf(rel, sizeof(rel), "feeds/%s.secret", name);
	cfg_path(path, sizeof(path), cfg, rel);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return tx_err_set(err, errno == ENOENT ? TX_ENOTFOUND : TX_EIO,
		    "%s: %s", path, strerror(errno));
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) ||
	    (sb.st_mode & 077) != 0) {
		close(fd);
		return tx_err_set(err, TX_EINVAL, "%s: not a regular file of "
		    "mode 0600", path);
	}
	n = read(fd, out, len - 1);
	close(fd);
	if (n < 0 || (size_t)n >= len - 1) {
		explicit_bzero(out, len);
		return tx_err_set(err, TX_EINVAL, "%s: unreadable or longer "
		    "than %zu bytes", path, len - 2);
	}
	out[n] = '\0';
	if (n > 0 && out[n - 1] == '\n')
		out[--n] = '\0';
	if (n == 0 || strchr(out, '\n') != NULL || strchr(out, '\r') != NULL) {
		explicit_bzero(out, len);
		return tx_err_set(err, TX_EINVAL, "%s: empty or more than one "
		    "line", path);
	}
	return 0;
}

int
feedsub_secret_write(const struct node_cfg *cfg, const char *name,
    const char *secret, struct tx_err *err)
{
	char	dir[1400], path[1400], tmp[1500], rel[96];
	size_t	i, l = strlen(secret);
	int	fd, ok;

	if (l == 0 || l >= FEED_SECRET_MAX)
		return tx_err_set(err, TX_EINVAL, "the secret is empty or "
		    "longer than %d bytes", FEED_SECRET_MAX - 1);
	for (i = 0; i < l; i++)
		if ((unsigned char)secret[i] < 0x20 || secret[i] == 0x7f)
			return tx_err_set(err, TX_EINVAL, "the secret holds a "
			    "control character");
	cfg_path(dir, sizeof(dir), cfg, "feeds");
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return tx_err_set(err, TX_EIO, "%s: %s", dir, strerror(errno));
	snprintf(rel, sizeof(rel), "feeds/%s.secret", name);
	cfg_path(path, sizeof(path), cfg, rel);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	(void)unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) < 0)
		return tx_err_set(err, TX_EIO, "%s: %s", tmp, strerror(errno));
	ok = write(fd, secret, l) == (ssize_t)l && write(fd, "\n", 1) == 1 &&
	    fsync(fd) == 0;
	if (close(fd) < 0)
		ok = 0;
	if (!ok || rename(tmp, path) < 0) {
		(void)unlink(tmp);
		return tx_err_set(err, TX_EIO, "%s: cannot write", path);
	}
	return 0;
}

int
feedsub_secret_remove(const struct node_cfg *cfg, const char *name,
    struct tx_err *err)
{
	char	rel[96], path[1400];

	snprintf(rel, sizeof(rel), "feeds/%s.secret", name);
	cfg_path(path, sizeof(path), cfg, rel);
	if (unlink(path) < 0 && errno != ENOENT)
		return tx_err_set(err, TX_EIO, "%s: %s", path, strerror(errno));
	return 0;
}

/* The connection to feed f: its verification, its authentication. */
static int
feed_conn(struct node *n, struct cfg_feed *f, struct taxii_conn **c,
    char *secret, size_t slen, struct tx_err *err)
{
	struct taxii_opts	o;
	struct sync_bounds	b;
	long			low;
	int			rc;

	memset(&o, 0, sizeof(o));
	secret[0] = '\0';
	if ((f->auth == REG_AUTH_BASIC || f->auth == REG_AUTH_TOKEN) &&
	    (rc = feedsub_secret_read(&n->cfg, f->name, secret, slen,
	    err)) < 0)
		return rc;
	o.base_url = f->url;
	o.feed = 1;
	o.pin = f->pin;
	o.ca_path = f->ca;
	if (f->auth == REG_AUTH_CERT) {
		o.cert_path = f->cert;
		o.key_path = f->key;
	}
	if (f->auth == REG_AUTH_BASIC) {
		o.user = f->user;
		o.password = secret;
	}
	if (f->auth == REG_AUTH_TOKEN)
		o.token = secret;
	o.connect_timeout_s = FEED_CONNECT_TIMEOUT;
	o.timeout_s = f->timeout > 0 ? f->timeout : REG_FEED_TIMEOUT;
	o.max_response = FEED_MAX_RESPONSE;
	sync_bounds_default(&b);
	if (b.request_s < SYNC_REQUEST_S && b.request_s < o.timeout_s)
		o.timeout_s = b.request_s;	/* lowered for tests */
	if ((rc = taxii_conn_new(c, &o, err)) < 0)
		return rc;
	/* Silence may last half the timeout (a slow first page). */
	low = o.timeout_s / 2 > 60 ? o.timeout_s / 2 : 60;
	if (b.low_speed_s < SYNC_LOW_SPEED_S)
		low = b.low_speed_s;
	taxii_conn_bound(*c, SYNC_LOW_SPEED_BYTES, low, feedsub_round_s());
	return 0;
}

static int
feed_pull(struct node *n, struct cfg_feed *f, int full,
    struct feed_page *fp, struct tx_err *err)
{
	struct taxii_conn	*c = NULL;
	struct sync_report	 r;
	struct store_feedsub	 prev;
	char			 objects[TAXII_URL_MAX + 256], desc[1400];
	char			 key[96], secret[FEED_SECRET_MAX + 2];
	int64_t			 cursor = 0;
	int			 rc, pages = 0;

	fp->stats->fail = SYNC_FAIL_LOCAL;
	store_feedsub_cursor_key(key, sizeof(key), f->name);
	if ((rc = store_feedsub_get(n->st, f->name, &prev, err)) < 0 ||
	    (!full && (rc = store_cursor_get(n->st, key, &cursor, err)) < 0))
		return rc;
	rc = feed_conn(n, f, &c, secret, sizeof(secret), err);
	if (rc == 0)
		rc = feed_resolve(c, f, objects, sizeof(objects), desc,
		    sizeof(desc), err);
	if (rc < 0) {
		if (c != NULL && taxii_conn_failure(c) != TAXII_FAIL_NONE)
			fp->stats->fail = sync_fail_of_taxii(taxii_conn_failure(c));
		else
			fp->stats->fail = rc == TX_EAUTH ? SYNC_FAIL_AUTH :
			    rc == TX_EIO ? SYNC_FAIL_REFUSED : rc == TX_EDB ||
			    rc == TX_ENOMEM ? SYNC_FAIL_LOCAL :
			    SYNC_FAIL_MALFORMED;
		goto out;
	}
	snprintf(fp->stats->collection, sizeof(fp->stats->collection), "%s",
	    desc);
	memset(&r, 0, sizeof(r));
	r.what = SYNC_EV_COLLECTION;
	r.peer = f->name;
	r.text = desc;
	r.feed = 1;
	sync_emit(fp->out, &r);
	/* Another collection than last time: from its start. */
	if (prev.collection[0] != '\0' && strcmp(prev.collection, desc) != 0)
		cursor = 0;
	rc = taxii_pull_url(c, objects, cursor, FEEDSUB_PAGE_LIMIT,
	    SYNC_ROUND_PAGES, page_cb, fp, &pages, err);
	if (rc < 0 && taxii_conn_failure(c) == TAXII_FAIL_CALLBACK) {
		fp->stats->fail = fp->kind;
		if (err != NULL)
			*err = fp->perr;
	} else if (rc < 0)
		fp->stats->fail = sync_fail_of_taxii(taxii_conn_failure(c));
	else
		fp->stats->fail = SYNC_OK;
out:
	explicit_bzero(secret, sizeof(secret));
	taxii_conn_free(c);
	return rc;
}

/* Record the round for `feed list`; audit a failure ("feed-KIND"). */
static int
feed_record(struct node *n, struct cfg_feed *f, struct sync_stats *st,
    struct tx_err *err)
{
	char	event[40], line[900];
	int	rc;

	if ((rc = store_begin(n->st, err)) < 0)
		return rc;
	rc = store_feedsub_record(n->st, f->name, node_now_us(),
	    st->fail == SYNC_OK, st->received, st->stored, st->refused,
	    st->reason, st->fail == SYNC_OK ? st->collection : "",
	    &st->failures, err);
	if (rc == 0 && st->fail != SYNC_OK) {
		snprintf(event, sizeof(event), "feed-%s",
		    sync_fail_name(st->fail));
		snprintf(line, sizeof(line), "%s: %s; %d in a row", f->name,
		    st->reason, st->failures);
		rc = audit_append(n->st, event, line, err);
	}
	if (rc == 0)
		rc = store_commit(n->st, err);
	if (rc < 0)
		store_rollback(n->st);
	return rc;
}

int
feedsub_round(struct node *n, struct cfg_feed *f, int full,
    struct sync_stats *stats, const struct sync_out *out, struct tx_err *err)
{
	struct feed_page	 fp;
	struct tx_err		 lerr, rerr;
	char			 why[TX_ERR_WHERE_MAX + TX_ERR_MSG_MAX + 8];
	int			 l, rc;

	memset(stats, 0, sizeof(*stats));
	if (n->signing == NULL)
		return tx_err_set(err, TX_EINVAL, "feed %s: the node was "
		    "opened without its signing key (attestation signs)",
		    f->name);
	memset(&fp, 0, sizeof(fp));
	fp.n = n;
	fp.f = f;
	fp.stats = stats;
	fp.out = out;
	rc = (fp.signed_objs = json_array()) == NULL ||
	    (fp.unsorted = json_array()) == NULL ? TX_ENOMEM : 0;
	for (l = 0; l <= TLP_UNKNOWN; l++)
		if ((fp.pending[l] = json_array()) == NULL)
			rc = TX_ENOMEM;
	tx_err_clear(&lerr);
	if (rc < 0)
		tx_err_set(&lerr, rc, "out of memory");
	else
		rc = feed_pull(n, f, full, &fp, &lerr);
	if (rc < 0) {
		if (lerr.code == 0)
			tx_err_set(&lerr, rc, "%s", tx_strerror(rc));
		tx_err_format(&lerr, why, sizeof(why));
		if (stats->collection[0] == '\0')
			snprintf(stats->reason, sizeof(stats->reason), "%s "
			    "before any page (discovery, API root, "
			    "collections): %s", sync_fail_name(stats->fail),
			    why);
		else
			snprintf(stats->reason, sizeof(stats->reason), "%s at "
			    "page %d (%d pages, %d new objects committed "
			    "before it): %s", sync_fail_name(stats->fail),
			    stats->pages + 1, stats->pages, stats->stored, why);
		if (err != NULL)
			*err = lerr;
	}
	tx_err_clear(&rerr);
	if (feed_record(n, f, stats, &rerr) < 0) {
		struct sync_report	r;

		tx_err_format(&rerr, why, sizeof(why));
		memset(&r, 0, sizeof(r));
		r.what = SYNC_EV_UNRECORDED;
		r.peer = f->name;
		r.text = why;
		r.feed = 1;
		sync_emit(out, &r);
	}
	json_decref(fp.signed_objs);
	json_decref(fp.unsorted);
	for (l = 0; l <= TLP_UNKNOWN; l++)
		json_decref(fp.pending[l]);
	return rc;
}

/* node.conf could not be saved: n as it is on disk again. */
static int
save_or_reload(struct node *n, struct tx_err *err)
{
	struct tx_err	ignored;
	int		rc;

	if ((rc = cfg_save(&n->cfg, err)) < 0)
		(void)node_reload(n, &ignored);
	return rc;
}

/* A secret goes with basic and token, and only with them. */
static int
secret_fits(const struct cfg_feed *f, const char *secret, int adding,
    struct tx_err *err)
{
	int	needs = f->auth == REG_AUTH_BASIC || f->auth == REG_AUTH_TOKEN;

	if (needs && adding && (secret == NULL || secret[0] == '\0'))
		return tx_err_set(err, TX_EINVAL, "auth %s needs a %s "
		    "(--%s-stdin)", registry_auth_name(f->auth),
		    f->auth == REG_AUTH_BASIC ? "password" : "token",
		    f->auth == REG_AUTH_BASIC ? "password" : "token");
	if (!needs && secret != NULL)
		return tx_err_set(err, TX_EINVAL, "auth %s takes no password "
		    "or token", registry_auth_name(f->auth));
	return 0;
}

int
feedsub_add(struct node *n, const struct cfg_feed *f, const char *secret,
    struct tx_err *err)
{
	struct tx_err	ignored;
	char		line[700];
	int		rc;

	if ((rc = registry_feed_check(f, err)) < 0 ||
	    (rc = secret_fits(f, secret, 1, err)) < 0)
		return rc;
	if (registry_feed_by_name(&n->cfg.reg, f->name) != NULL)
		return tx_err_set(err, TX_EEXIST, "feed %s exists already",
		    f->name);
	if ((rc = registry_feed_add(&n->cfg.reg, f, err)) < 0)
		return rc;
	if (secret != NULL && (rc = feedsub_secret_write(&n->cfg, f->name,
	    secret, err)) < 0) {
		(void)node_reload(n, &ignored);
		return rc;
	}
	if ((rc = save_or_reload(n, err)) < 0) {
		/* Best effort: node.conf does not name the feed anyway. */
		if (feedsub_secret_remove(&n->cfg, f->name, &ignored) < 0)
			return rc;
		return rc;
	}
	/* A name used before starts afresh. */
	if ((rc = store_feedsub_forget(n->st, f->name, err)) < 0)
		return rc;
	snprintf(line, sizeof(line), "%s %s auth=%s tlp=%s", f->name, f->url,
	    registry_auth_name(f->auth), tlp_name(f->tlp));
	return audit_append(n->st, "feed-add", line, err);
}

int
feedsub_set(struct node *n, const struct cfg_feed *f, const char *secret,
    struct tx_err *err)
{
	struct cfg_feed	*cur, old;
	char		 line[700];
	int		 rc, restart;

	if ((cur = registry_feed_by_name(&n->cfg.reg, f->name)) == NULL)
		return tx_err_set(err, TX_ENOTFOUND, "no feed named %s",
		    f->name);
	if ((rc = registry_feed_check(f, err)) < 0 ||
	    (rc = secret_fits(f, secret, 0, err)) < 0)
		return rc;
	if ((f->auth == REG_AUTH_BASIC || f->auth == REG_AUTH_TOKEN) &&
	    secret == NULL && f->auth != cur->auth)
		return secret_fits(f, NULL, 1, err);
	old = *cur;
	restart = strcmp(old.url, f->url) != 0 ||
	    strcmp(old.collection, f->collection) != 0;
	*cur = *f;
	if (secret != NULL && (rc = feedsub_secret_write(&n->cfg, f->name,
	    secret, err)) < 0) {
		*cur = old;
		return rc;
	}
	if ((rc = save_or_reload(n, err)) < 0)
		return rc;
	if (f->auth != REG_AUTH_BASIC && f->auth != REG_AUTH_TOKEN &&
	    (rc = feedsub_secret_remove(&n->cfg, f->name, err)) < 0)
		return rc;
	if (restart && (rc = store_feedsub_forget(n->st, f->name, err)) < 0)
		return rc;
	snprintf(line, sizeof(line), "%s %s auth=%s tlp=%s enabled=%s%s",
	    f->name, f->url, registry_auth_name(f->auth), tlp_name(f->tlp),
	    f->enabled ? "yes" : "no", secret != NULL ? " secret replaced" :
	    "");
	return audit_append(n->st, "feed-set", line, err);
}

int
feedsub_remove(struct node *n, const char *name, struct tx_err *err)
{
	struct cfg_feed	gone;
	int		rc;

	if ((rc = registry_feed_remove(&n->cfg.reg, name, &gone, err)) < 0)
		return rc;
	if ((rc = save_or_reload(n, err)) < 0)
		return rc;
	if ((rc = feedsub_secret_remove(&n->cfg, gone.name, err)) < 0 ||
	    (rc = store_feedsub_forget(n->st, gone.name, err)) < 0)
		return rc;
	return audit_append(n->st, "feed-remove", gone.name, err);
}
