/* SPDX-License-Identifier: Apache-2.0 */
/*
 * init.c - a new node directory, and this node's descriptor read back.
 * Trusts the caller's options no more than a peer's descriptor: the name
 * becomes a node.conf section and the names of files, the URL and listen
 * address node.conf lines, so each is checked with the registry's rules
 * before anything is made. An existing directory is taken over only if it
 * is this user's and is empty once nobody else can add to it (chmod 0700
 * first, then look): nothing planted in a shared or world-writable
 * directory (a store.db, a -wal, a symbolic link) is ever used.
 */
#include "init.h"
#include "author.h"
#include "hash.h"
#include "ids.h"
#include "merge.h"
#include "node.h"
#include "pki.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
node_init_defaults(struct node_init_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->listen = "127.0.0.1:8443";
	o->default_tlp = TLP_AMBER;
	o->sync_interval = 300;
}

/* What init made of the node directory, so that a failure undoes it. */
enum {
	INIT_MADE_DIR = 1,	/* the directory itself */
	INIT_MADE_CONTENT	/* its content: it existed, empty */
};

static int
mkdir_private(const char *path, struct tx_err *err)
{
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return tx_err_setw(err, TX_EIO, path, "cannot create: %s",
		    strerror(errno));
	return 0;
}

/*
 * The node directory: made 0700, or, when it exists, taken over only if
 * it is a directory of ours and empty once it is private.
 */
static int
init_dir(const char *dir, int *made, struct tx_err *err)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	int		 fd, n = 0;

	if (mkdir(dir, 0700) == 0) {
		*made = INIT_MADE_DIR;
		return 0;
	}
	if (errno != EEXIST)
		return tx_err_setw(err, TX_EIO, dir, "cannot create: %s",
		    strerror(errno));
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return tx_err_setw(err, TX_EIO, dir, "cannot open: %s",
		    strerror(errno));
	if (fstat(fd, &st) != 0 || st.st_uid != geteuid() ||
	    fchmod(fd, 0700) != 0) {
		close(fd);
		return tx_err_setw(err, TX_EIO, dir, "exists and is not a "
		    "directory of this user that can be made private");
	}
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return tx_err_setw(err, TX_EIO, dir, "cannot read");
	}
	/* Bounded by the directory: one entry is enough to refuse. */
	while (n == 0 && (de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	if (n > 0)
		return tx_err_setw(err, TX_EEXIST, dir, "exists and is not "
		    "empty: init makes a node only in a new or empty "
		    "directory");
	*made = INIT_MADE_CONTENT;
	return 0;
}

static int
undo_one(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	if (f->level == 0)
		return 0;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/*
 * A refused init leaves nothing behind: what it made inside dir (new, or
 * empty when init took it over) is removed, and dir too when init made
 * it. nftw does not follow symbolic links (FTW_PHYS) nor leave dir's
 * file system (FTW_MOUNT); its depth is what init made (two levels).
 */
static void
init_undo(const char *dir, int made)
{
	if (made == 0)
		return;
	(void)nftw(dir, undo_one, 8, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
	if (made == INIT_MADE_DIR)
		(void)rmdir(dir);
}

/* The options as node.conf will hold them, checked; url defaulted. */
static int
init_cfg(struct node_cfg *c, const struct node_init_opts *o,
    struct tx_err *err)
{
	int	n;

	cfg_defaults(c);
	if (o->dir == NULL || o->dir[0] == '\0' ||
	    strlen(o->dir) >= sizeof(c->dir) - 64)
		return tx_err_setw(err, TX_EINVAL, "-d", "the node directory "
		    "must be named, in under %zu bytes", sizeof(c->dir) - 64);
	memcpy(c->dir, o->dir, strlen(o->dir) + 1);
	if (!registry_name_valid(o->name))
		return tx_err_setw(err, TX_EINVAL, "--name", "must be 1 to %d "
		    "of a-z 0-9 . _ - (not starting with '.')",
		    CFG_NAME_MAX - 1);
	memcpy(c->name, o->name, strlen(o->name) + 1);
	if (o->listen == NULL || !cfg_listen_valid(o->listen))
		return tx_err_setw(err, TX_EINVAL, "--listen", "must be "
		    "HOST:PORT: a name, an IPv4 address or [IPv6], and a port "
		    "1-65535 (e.g. 0.0.0.0:8443)");
	memcpy(c->listen, o->listen, strlen(o->listen) + 1);
	if (o->url != NULL && o->url[0] != '\0')
		n = snprintf(c->url, sizeof(c->url), "%s", o->url);
	else
		n = snprintf(c->url, sizeof(c->url), "https://%s/", c->listen);
	if (n < 0 || (size_t)n >= sizeof(c->url) ||
	    !registry_url_valid(c->url))
		return tx_err_setw(err, TX_EINVAL, "--url", "the URL must be "
		    "https://, URL and listen address printable ASCII without "
		    "blanks");
	if ((int)o->default_tlp < TLP_CLEAR || o->default_tlp > TLP_UNKNOWN)
		return tx_err_setw(err, TX_EINVAL, "--tlp", "unknown TLP");
	c->default_tlp = o->default_tlp;
	if (o->sync_interval < 1 || o->sync_interval > 86400)
		return tx_err_setw(err, TX_EINVAL, "--sync-interval",
		    "must be 1-86400 seconds");
	c->sync_interval = o->sync_interval;
	return 0;
}

/* Keys: signing.key, next-signing.key; the descriptor fields they give. */
static int
init_keys(struct descriptor *d, const struct node_cfg *c, struct tx_err *err)
{
	struct sig_key	*k = NULL, *next = NULL;
	char		 path[1400];
	uint8_t		 nextpub[SIG_PUB_LEN];
	int		 rc;

	if ((rc = sig_key_generate(&k, err)) < 0 ||
	    (rc = sig_key_generate(&next, err)) < 0)
		goto out;
	if ((rc = cfg_path(path, sizeof(path), c, "keys/signing.key")) < 0 ||
	    (rc = sig_key_save(k, path, err)) < 0)
		goto out;
	if ((rc = cfg_path(path, sizeof(path), c,
	    "keys/next-signing.key")) < 0 ||
	    (rc = sig_key_save(next, path, err)) < 0)
		goto out;
	sig_key_public(k, d->pub);
	sig_key_kid(k, d->kid);
	sig_key_public(next, nextpub);
	hash_sha256(d->next_hash, nextpub, sizeof(nextpub));
out:
	sig_key_free(k);
	sig_key_free(next);
	return rc;
}

/* The host of an https:// URL ("[::1]" stays bracketed), or "". */
static void
url_host(char *dst, size_t len, const char *url)
{
	const char	*h = url + 8, *e;

	dst[0] = '\0';
	if (strncmp(url, "https://", 8) != 0)
		return;
	if (*h == '[')
		e = strchr(h, ']') != NULL ? strchr(h, ']') + 1 : h;
	else
		e = h + strcspn(h, ":/?#");
	if (e > h && (size_t)(e - h) < len) {
		memcpy(dst, h, (size_t)(e - h));
		dst[e - h] = '\0';
	}
}

/*
 * The TLS key and certificate, and the pin the descriptor carries. The
 * certificate names the host of the node's URL, so that PKIX clients
 * (subscribers' TAXII clients) verify it by name as well as peers by pin.
 */
static int
init_tls(struct descriptor *d, const struct node_cfg *c, const char *ca_dir,
    struct tx_err *err)
{
	char	key[1400], crt[1400], host[300];
	int	rc;

	if ((rc = cfg_path(key, sizeof(key), c, "keys/tls.key")) < 0 ||
	    (rc = cfg_path(crt, sizeof(crt), c, "keys/tls.crt")) < 0)
		return tx_err_set(err, rc, "node directory path too long");
	url_host(host, sizeof(host), c->url);
	rc = pki_issue_host(key, crt, c->name, c->identity, host[0] ? host :
	    NULL, ca_dir, err);
	if (rc == TX_EINVAL && strcmp(err != NULL ? err->where : "", "host") ==
	    0)
		return tx_err_setw(err, TX_EINVAL, "--url", "the URL's host "
		    "must be a DNS name or an IP address (it goes into the "
		    "TLS certificate)");
	if (rc < 0)
		return rc;
	return spki_pin_of_cert_file(d->tls_pin, crt, err);
}

/* self.json: the descriptor, signed with the new signing key. */
static int
init_descriptor(struct descriptor *d, const struct node_cfg *c,
    struct tx_err *err)
{
	struct sig_key	*k = NULL;
	json_t		*desc = NULL;
	char		 path[1400];
	int		 rc;

	snprintf(d->name, sizeof(d->name), "%s", c->name);
	snprintf(d->identity, sizeof(d->identity), "%s", c->identity);
	snprintf(d->url, sizeof(d->url), "%s", c->url);
	if ((rc = cfg_path(path, sizeof(path), c, "keys/signing.key")) < 0 ||
	    (rc = sig_key_load(&k, path, err)) < 0)
		return rc;
	rc = descriptor_build(&desc, d, k, node_now_us(), err);
	sig_key_free(k);
	if (rc < 0)
		return rc;
	if ((rc = cfg_path(path, sizeof(path), c, "self.json")) == 0 &&
	    json_dump_file(desc, path, JSON_INDENT(2) | JSON_SORT_KEYS) != 0)
		rc = tx_err_setw(err, TX_EIO, path, "cannot write");
	json_decref(desc);
	return rc;
}

/* Sign and store this node's own identity object. */
static int
init_identity(const char *dir, struct tx_err *err)
{
	struct node		*n;
	struct merge_result	 res;
	json_t			*id;
	int			 rc;

	if ((rc = node_open(&n, dir, NODE_OPEN_SIGNING, err)) < 0)
		return rc;
	if ((id = author_sdo(n, "identity", TLP_CLEAR, node_now_us())) ==
	    NULL) {
		node_close(n);
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	}
	json_object_set_new(id, "id", json_string(n->cfg.identity));
	json_object_set_new(id, "name", json_string(n->cfg.name));
	json_object_set_new(id, "identity_class", json_string("organization"));
	rc = author_commit(n, &id, 1, &res, err);
	if (rc == 0 && res.status == MERGE_REFUSED)
		rc = tx_err_set(err, TX_EFAIL, "own identity refused: %s",
		    res.reason);
	json_decref(id);
	node_close(n);
	return rc;
}

/* The directory and its two subdirectories, private. */
static int
init_layout(const struct node_cfg *c, int *made, struct tx_err *err)
{
	char	path[1400];
	int	rc;

	if ((rc = cfg_path(path, sizeof(path), c, "node.conf")) < 0)
		return tx_err_set(err, rc, "node directory path too long");
	if (access(path, F_OK) == 0)
		return tx_err_setw(err, TX_EEXIST, path,
		    "a node already lives here");
	if ((rc = init_dir(c->dir, made, err)) < 0 ||
	    (rc = node_dir_secure(c->dir, err)) < 0)
		return rc;
	if ((rc = cfg_path(path, sizeof(path), c, "keys")) < 0 ||
	    (rc = mkdir_private(path, err)) < 0)
		return rc;
	if ((rc = cfg_path(path, sizeof(path), c, "peers")) < 0 ||
	    (rc = mkdir_private(path, err)) < 0)
		return rc;
	return 0;
}

int
node_init(struct node_init_result *out, const struct node_init_opts *o,
    struct tx_err *err)
{
	struct node_cfg		*c;
	struct descriptor	 d;
	char			 uuid[37];
	int			 rc, made = 0;

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	memset(&d, 0, sizeof(d));
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	if ((rc = init_cfg(c, o, err)) < 0 ||
	    (rc = init_layout(c, &made, err)) < 0)
		goto out;
	if (stix_uuid4(uuid) < 0) {
		rc = tx_err_set(err, TX_EFAIL, "no random UUID");
		goto out;
	}
	snprintf(c->identity, sizeof(c->identity), "identity--%s", uuid);
	if ((rc = init_keys(&d, c, err)) < 0 ||
	    (rc = init_tls(&d, c, o->ca_dir, err)) < 0 ||
	    (rc = cfg_save(c, err)) < 0 ||
	    (rc = init_descriptor(&d, c, err)) < 0 ||
	    (rc = init_identity(c->dir, err)) < 0)
		goto out;
	if (out != NULL) {
		snprintf(out->name, sizeof(out->name), "%s", c->name);
		snprintf(out->identity, sizeof(out->identity), "%s",
		    c->identity);
		snprintf(out->kid, sizeof(out->kid), "%s", d.kid);
		snprintf(out->tls_pin, sizeof(out->tls_pin), "%s", d.tls_pin);
	}
out:
	if (rc < 0)
		init_undo(c->dir, made);
	free(c);
	return rc;
}

int
node_identity_export(uint8_t **out, size_t *outlen, struct descriptor *d,
    const char *dir, struct tx_err *err)
{
	uint8_t	*buf;
	size_t	 len;
	char	 path[1100];
	int	 rc, n;

	*out = NULL;
	*outlen = 0;
	n = snprintf(path, sizeof(path), "%s/self.json", dir);
	if (n < 0 || (size_t)n >= sizeof(path))
		return tx_err_set(err, TX_ELIMIT,
		    "node directory path too long");
	if ((rc = node_read_file(&buf, &len, path, NODE_DESCRIPTOR_MAX,
	    err)) < 0)
		return rc;
	if ((rc = descriptor_parse(d, buf, len, err)) < 0) {
		tx_err_prefix(err, "%s", path);
		free(buf);
		return rc;
	}
	*out = buf;
	*outlen = len;
	return 0;
}
