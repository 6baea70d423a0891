/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_node.c - `init`, `identity export` and `peer add|list|remove`: the
 * node directory and the federation roster. A descriptor given to `peer
 * add` comes from another agency: it is verified, and refused if its
 * identity, signing key or TLS key is already held by another member,
 * or whose name or URL could not be written safely: the name picks the
 * file peers/NAME.json and a node.conf section, the URL a node.conf line.
 * `init` makes the node directory private (0700, secrets 0600) whatever
 * the umask, and takes over an existing directory only if it is ours and
 * empty. What the roster holds came from other agencies: printed escaped.
 */
#include "cli.h"
#include "author.h"
#include "merge.h"
#include "descriptor.h"
#include "hash.h"
#include "ids.h"
#include "pki.h"
#include "spki.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
mkdir_p(const char *path, struct tx_err *err)
{
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return tx_err_setw(err, TX_EIO, path, "cannot create: %s",
		    strerror(errno));
	return 0;
}

/* A value written on one node.conf line: printable ASCII, no blanks. */
static int
conf_value_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s <= 0x20 || *s >= 0x7f)
			return 0;
	return 1;
}

/*
 * The node directory: made 0700, or, when it exists, taken over only if
 * it is a directory of ours and empty once nobody else can add to it
 * (chmod 0700 first, then look), so nothing planted in a shared or
 * world-writable directory (a store.db, a -wal, a symbolic link) is used.
 */
static int
init_dir(const char *dir, struct tx_err *err)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	int		 fd, n = 0;

	if (mkdir(dir, 0700) == 0)
		return 0;
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
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	if (n > 0)
		return tx_err_setw(err, TX_EEXIST, dir, "exists and is not "
		    "empty: init makes a node only in a new or empty "
		    "directory");
	return 0;
}

static void
init_usage(FILE *f)
{
	fprintf(f, "usage: threatex [-d DIR] init --name NAME [--listen "
	    "HOST:PORT] [--url URL]\n"
	    "                 [--ca CADIR] [--tlp LEVEL] [--sync-interval "
	    "SECONDS]\n\n"
	    "Create a node directory: Ed25519 signing key and the next key\n"
	    "(pre-rotation), TLS key and certificate (self-signed, or issued\n"
	    "by the test CA in CADIR), node.conf, the signed identity object\n"
	    "and this node's descriptor (self.json). Defaults: listen\n"
	    "127.0.0.1:8443, url https://LISTEN/, tlp amber.\n");
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
	cfg_path(path, sizeof(path), c, "keys/signing.key");
	if ((rc = sig_key_save(k, path, err)) < 0)
		goto out;
	cfg_path(path, sizeof(path), c, "keys/next-signing.key");
	if ((rc = sig_key_save(next, path, err)) < 0)
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

static int
write_json(const char *path, const json_t *j, struct tx_err *err)
{
	if (json_dump_file(j, path, JSON_INDENT(2) | JSON_SORT_KEYS) != 0)
		return tx_err_setw(err, TX_EIO, path, "cannot write");
	return 0;
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
	id = author_sdo(n, "identity", TLP_CLEAR, node_now_us());
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

static int
do_init(struct node_cfg *c, const char *ca, struct tx_err *err)
{
	struct descriptor	 d;
	json_t			*desc = NULL;
	struct sig_key		*k = NULL;
	char			 path[1400], crt[1400], uuid[37];
	int			 rc;

	memset(&d, 0, sizeof(d));
	if (!cfg_name_valid(c->name))
		return tx_err_setw(err, TX_EINVAL, "--name", "must be 1 to %d "
		    "of a-z 0-9 . _ - (not starting with '.')",
		    CFG_NAME_MAX - 1);
	if (strncmp(c->url, "https://", 8) != 0 || !conf_value_ok(c->url) ||
	    !conf_value_ok(c->listen))
		return tx_err_setw(err, TX_EINVAL, "--url", "the URL must be "
		    "https://, URL and listen address printable ASCII without "
		    "blanks");
	cfg_path(path, sizeof(path), c, "node.conf");
	if (access(path, F_OK) == 0)
		return tx_err_setw(err, TX_EEXIST, path,
		    "a node already lives here");
	if ((rc = init_dir(c->dir, err)) < 0 ||
	    (rc = node_dir_secure(c->dir, err)) < 0)
		return rc;
	cfg_path(path, sizeof(path), c, "keys");
	if ((rc = mkdir_p(path, err)) < 0)
		return rc;
	cfg_path(path, sizeof(path), c, "peers");
	if ((rc = mkdir_p(path, err)) < 0)
		return rc;
	stix_uuid4(uuid);
	snprintf(c->identity, sizeof(c->identity), "identity--%s", uuid);
	if ((rc = init_keys(&d, c, err)) < 0)
		return rc;
	cfg_path(path, sizeof(path), c, "keys/tls.key");
	cfg_path(crt, sizeof(crt), c, "keys/tls.crt");
	if ((rc = pki_issue(path, crt, c->name, c->identity, ca, err)) < 0 ||
	    (rc = spki_pin_of_cert_file(d.tls_pin, crt, err)) < 0 ||
	    (rc = cfg_save(c, err)) < 0)
		return rc;
	snprintf(d.name, sizeof(d.name), "%s", c->name);
	snprintf(d.identity, sizeof(d.identity), "%s", c->identity);
	snprintf(d.url, sizeof(d.url), "%s", c->url);
	cfg_path(path, sizeof(path), c, "keys/signing.key");
	if ((rc = sig_key_load(&k, path, err)) < 0)
		return rc;
	rc = descriptor_build(&desc, &d, k, node_now_us(), err);
	sig_key_free(k);
	if (rc < 0)
		return rc;
	cfg_path(path, sizeof(path), c, "self.json");
	rc = write_json(path, desc, err);
	json_decref(desc);
	if (rc < 0)
		return rc;
	if ((rc = init_identity(c->dir, err)) < 0)
		return rc;
	printf("initialised\t%s\t%s\tkid=%s\ttls=%s\n", c->name, c->identity,
	    d.kid, d.tls_pin);
	return 0;
}

int
cmd_init(int argc, char **argv)
{
	static const struct option	 opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "listen", required_argument, NULL, 'l' },
		{ "url", required_argument, NULL, 'u' },
		{ "ca", required_argument, NULL, 'c' },
		{ "tlp", required_argument, NULL, 't' },
		{ "sync-interval", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct node_cfg	*c;
	struct tx_err	 err;
	const char	*ca = NULL;
	int		 ch, rc;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return CLI_FAIL;
	tx_err_clear(&err);
	cfg_defaults(c);
	snprintf(c->dir, sizeof(c->dir), "%s", cli_node_dir());
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			snprintf(c->name, sizeof(c->name), "%s", optarg);
			break;
		case 'l':
			snprintf(c->listen, sizeof(c->listen), "%s", optarg);
			break;
		case 'u':
			snprintf(c->url, sizeof(c->url), "%s", optarg);
			break;
		case 'c':
			ca = optarg;
			break;
		case 't':
			if (tlp_from_name(&c->default_tlp, optarg) < 0) {
				fprintf(stderr, "threatex init: unknown TLP "
				    "'%s'\n", optarg);
				free(c);
				return CLI_USAGE;
			}
			break;
		case 's':
			if (cli_int(&c->sync_interval, optarg, 1, 86400) < 0)
				c->sync_interval = 0;
			break;
		case 'h':
			init_usage(stdout);
			free(c);
			return CLI_OK;
		default:
			init_usage(stderr);
			free(c);
			return CLI_USAGE;
		}
	}
	if (c->name[0] == '\0' || optind != argc || c->sync_interval < 1) {
		init_usage(stderr);
		free(c);
		return CLI_USAGE;
	}
	if (c->url[0] == '\0')
		snprintf(c->url, sizeof(c->url), "https://%s/", c->listen);
	rc = do_init(c, ca, &err) < 0 ? cli_fail("init", &err) : CLI_OK;
	free(c);
	return rc;
}

int
cmd_identity(int argc, char **argv)
{
	struct tx_err		 err;
	struct descriptor	 d;
	char			 path[1100];
	uint8_t			*buf;
	size_t			 len;
	int			 rc;

	tx_err_clear(&err);
	if (argc != 2 || strcmp(argv[1], "export") != 0) {
		fprintf(argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout :
		    stderr, "usage: threatex [-d DIR] identity export\n\n"
		    "Print this node's signed descriptor (to give to peers);\n"
		    "its fingerprint (kid and TLS pin) goes to stderr, to be\n"
		    "confirmed out of band.\n");
		return argc >= 2 && strcmp(argv[1], "--help") == 0 ? CLI_OK :
		    CLI_USAGE;
	}
	snprintf(path, sizeof(path), "%s/self.json", cli_node_dir());
	if ((rc = node_read_file(&buf, &len, path, 64 * 1024, &err)) < 0)
		return cli_fail("identity", &err);
	if ((rc = descriptor_parse(&d, buf, len, &err)) < 0) {
		free(buf);
		return cli_fail("identity", &err);
	}
	fwrite(buf, 1, len, stdout);
	fprintf(stderr, "%s %s\nkid %s\ntls %s\n", d.name, d.identity, d.kid,
	    d.tls_pin);
	free(buf);
	return CLI_OK;
}

static void
peer_usage(FILE *f)
{
	fprintf(f, "usage: threatex [-d DIR] peer add FILE (--yes | "
	    "--expect-kid KID)\n"
	    "              [--max-tlp LEVEL] [--relay] [--identity-only] "
	    "[--ca CAFILE]\n"
	    "       threatex [-d DIR] peer set NAME [--max-tlp LEVEL] "
	    "[--relay|--no-relay]\n"
	    "       threatex [-d DIR] peer list\n"
	    "       threatex [-d DIR] peer remove NAME\n\n"
	    "add verifies a member's descriptor and adds it to the roster.\n"
	    "Confirm its fingerprint out of band first: --expect-kid checks\n"
	    "the signing key id, --yes accepts what the file says.\n"
	    "--ca: CA mode instead of the SPKI pin: the peer's certificate "
	    "must chain\nto CAFILE and name its identity id as SAN URI.\n"
	    "set changes what a peer may receive; send a running serve "
	    "SIGHUP\n(or restart it) to apply peer changes.\n");
}

/* The roster rules of DESIGN §3 against what node.conf already holds. */
static int
peer_check_unique(struct node *n, const struct descriptor *d,
    struct tx_err *err)
{
	char	selfpin[SPKI_PIN_HEX], crt[1400];

	/* Identity and signing key uniqueness: roster_add checks those. */
	if (cfg_peer_by_name(&n->cfg, d->name) != NULL ||
	    strcmp(d->name, n->cfg.name) == 0)
		return tx_err_set(err, TX_EEXIST, "a member named %s exists",
		    d->name);
	cfg_path(crt, sizeof(crt), &n->cfg, "keys/tls.crt");
	if (spki_pin_of_cert_file(selfpin, crt, err) < 0)
		return TX_EIO;
	if (strcmp(selfpin, d->tls_pin) == 0 ||
	    cfg_peer_by_pin(&n->cfg, d->tls_pin) != NULL)
		return tx_err_set(err, TX_EEXIST, "TLS key %.16s... is held by "
		    "another member", d->tls_pin);
	return 0;
}

/* Keep a copy of a CA-mode peer's CA in peers/, by absolute path. */
static int
peer_ca_copy(char *dst, size_t dlen, const struct node_cfg *cfg,
    const char *name, const char *ca_file, struct tx_err *err)
{
	uint8_t	*buf = NULL;
	size_t	 len;
	char	 rel[300], abs[PATH_MAX];
	FILE	*f;
	int	 rc;

	if ((rc = node_read_file(&buf, &len, ca_file, 1024 * 1024, err)) < 0)
		return rc;
	if (strstr((char *)buf, "-----BEGIN CERTIFICATE-----") == NULL) {
		free(buf);
		return tx_err_setw(err, TX_EINVAL, ca_file,
		    "not a PEM certificate");
	}
	snprintf(rel, sizeof(rel), "peers/%s.ca.pem", name);
	cfg_path(dst, dlen, cfg, rel);
	if ((f = fopen(dst, "wb")) == NULL || fwrite(buf, 1, len, f) != len ||
	    fclose(f) != 0) {
		free(buf);
		return tx_err_setw(err, TX_EIO, dst, "cannot write");
	}
	free(buf);
	if (realpath(dst, abs) == NULL)
		return tx_err_setw(err, TX_EIO, dst, "cannot resolve");
	snprintf(dst, dlen, "%s", abs);
	return 0;
}

static int
peer_add(struct node *n, const char *file, const char *expect_kid,
    enum tlp_level max_tlp, int relay, int identity_only, const char *ca,
    struct tx_err *err)
{
	struct descriptor	 d;
	struct cfg_peer		*p;
	uint8_t			*buf = NULL;
	size_t			 len;
	char			 path[1400], esc[300];
	FILE			*f;
	int			 rc, released;

	if ((rc = node_read_file(&buf, &len, file, 64 * 1024, err)) < 0)
		return rc;
	if ((rc = descriptor_parse(&d, buf, len, err)) < 0) {
		tx_err_prefix(err, "%s", file);
		goto out;
	}
	if (!cfg_name_valid(d.name)) {
		rc = tx_err_setw(err, TX_EINVAL, "name", "%s: member name "
		    "must be 1 to %d of a-z 0-9 . _ - (not starting with '.')",
		    file, CFG_NAME_MAX - 1);
		goto out;
	}
	if (!conf_value_ok(d.url)) {
		rc = tx_err_setw(err, TX_EINVAL, "taxii_url", "%s: control "
		    "characters or blanks in the URL", file);
		goto out;
	}
	if (expect_kid != NULL && strcmp(expect_kid, d.kid) != 0) {
		rc = tx_err_set(err, TX_EAUTH, "%s: signing key %s is not the "
		    "expected %s", file, d.kid, expect_kid);
		goto out;
	}
	if ((rc = peer_check_unique(n, &d, err)) < 0 ||
	    (rc = roster_add(&n->roster, d.name, d.identity, d.pub,
	    sizeof(d.pub), d.next_hash, 0, err)) < 0)
		goto out;
	if (n->cfg.npeers >= CFG_MAX_PEERS) {
		rc = tx_err_set(err, TX_ELIMIT, "too many peers");
		goto out;
	}
	p = &n->cfg.peers[n->cfg.npeers++];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", d.name);
	snprintf(p->identity, sizeof(p->identity), "%s", d.identity);
	snprintf(p->url, sizeof(p->url), "%s", d.url);
	snprintf(p->pin, sizeof(p->pin), "%s", d.tls_pin);
	p->max_tlp = max_tlp;
	p->relay = relay;
	p->push = 1;
	p->identity_only = identity_only;
	if (ca != NULL && (rc = peer_ca_copy(p->ca, sizeof(p->ca), &n->cfg,
	    d.name, ca, err)) < 0) {
		n->cfg.npeers--;
		goto out;
	}
	snprintf(path, sizeof(path), "%s/peers/%s.json", n->cfg.dir, d.name);
	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		rc = tx_err_setw(err, TX_EIO, path, "cannot write");
		goto out;
	}
	if ((rc = cfg_save(&n->cfg, err)) < 0) {
		unlink(path);
		goto out;
	}
	store_audit(n->st, "peer-add", d.name, NULL);
	printf("added\t%s\t%s\tkid=%s\ttls=%s\n", d.name, d.identity,
	    cli_esc(esc, sizeof(esc), d.kid), d.tls_pin);
	/* What was quarantined for lack of this member is merged now. */
	if ((rc = store_begin(n->st, err)) < 0)
		goto out;
	if ((rc = merge_release(n, d.identity, &released, err)) < 0) {
		store_rollback(n->st);
		goto out;
	}
	if ((rc = store_commit(n->st, err)) < 0)
		goto out;
	if (released > 0)
		printf("released\t%s\t%d objects from quarantine\n", d.name,
		    released);
out:
	free(buf);
	return rc;
}

/* What node.conf holds came from descriptors: printed escaped. */
static int
peer_list(struct node *n)
{
	size_t	i;
	char	name[300], id[600], url[2400], kid[300];

	for (i = 0; i < n->cfg.npeers; i++) {
		const struct cfg_peer		*p = &n->cfg.peers[i];
		const struct roster_member	*m;

		m = roster_by_identity(&n->roster, p->identity);
		printf("%s\t%s\t%s\tmax_tlp=%s\trelay=%s\tkid=%s\n",
		    cli_esc(name, sizeof(name), p->name),
		    cli_esc(id, sizeof(id), p->identity),
		    p->identity_only ? "identity-only" : cli_esc(url,
		    sizeof(url), p->url), tlp_name(p->max_tlp),
		    p->relay ? "yes" : "no", cli_esc(kid, sizeof(kid),
		    m ? roster_current_kid(m) : "?"));
	}
	return CLI_OK;
}

static int
peer_set(struct node *n, const char *name, int max_tlp, int relay,
    struct tx_err *err)
{
	struct cfg_peer	*p = cfg_peer_by_name(&n->cfg, name);
	char		 what[200];

	if (p == NULL)
		return tx_err_set(err, TX_ENOTFOUND, "no peer named %s", name);
	if (max_tlp >= 0)
		p->max_tlp = (enum tlp_level)max_tlp;
	if (relay >= 0)
		p->relay = relay;
	snprintf(what, sizeof(what), "%s max_tlp=%s relay=%s", name,
	    tlp_name(p->max_tlp), p->relay ? "yes" : "no");
	store_audit(n->st, "peer-set", what, NULL);
	printf("set\t%s\n", what);
	return cfg_save(&n->cfg, err);
}

static int
peer_remove(struct node *n, const char *name, struct tx_err *err)
{
	struct cfg_peer	*p = cfg_peer_by_name(&n->cfg, name);
	char		 path[1400];
	size_t		 i;

	if (p == NULL)
		return tx_err_set(err, TX_ENOTFOUND, "no peer named %s", name);
	i = (size_t)(p - n->cfg.peers);
	memmove(p, p + 1, (n->cfg.npeers - i - 1) * sizeof(*p));
	n->cfg.npeers--;
	snprintf(path, sizeof(path), "%s/peers/%s.json", n->cfg.dir, name);
	unlink(path);
	store_audit(n->st, "peer-remove", name, NULL);
	return cfg_save(&n->cfg, err);
}

int
cmd_peer(int argc, char **argv)
{
	static const struct option	 opts[] = {
		{ "yes", no_argument, NULL, 'y' },
		{ "expect-kid", required_argument, NULL, 'k' },
		{ "max-tlp", required_argument, NULL, 't' },
		{ "relay", no_argument, NULL, 'r' },
		{ "no-relay", no_argument, NULL, 'R' },
		{ "identity-only", no_argument, NULL, 'i' },
		{ "ca", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct tx_err	 err;
	struct node	*n;
	enum tlp_level	 max = TLP_AMBER;
	const char	*kid = NULL, *ca = NULL;
	int		 ch, yes = 0, relay = -1, idonly = 0, rc, tlp_set = 0;

	tx_err_clear(&err);
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'y':
			yes = 1;
			break;
		case 'k':
			kid = optarg;
			break;
		case 't':
			if (tlp_from_name(&max, optarg) < 0 ||
			    max == TLP_UNKNOWN) {
				fprintf(stderr, "threatex peer: unknown TLP "
				    "'%s'\n", optarg);
				return CLI_USAGE;
			}
			tlp_set = 1;
			break;
		case 'r':
			relay = 1;
			break;
		case 'R':
			relay = 0;
			break;
		case 'i':
			idonly = 1;
			break;
		case 'c':
			ca = optarg;
			break;
		case 'h':
			peer_usage(stdout);
			return CLI_OK;
		default:
			peer_usage(stderr);
			return CLI_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || (strcmp(argv[0], "add") == 0 && (argc != 2 ||
	    (!yes && kid == NULL))) || (strcmp(argv[0], "remove") == 0 &&
	    argc != 2) || (strcmp(argv[0], "set") == 0 && argc != 2) ||
	    (strcmp(argv[0], "list") == 0 && argc != 1)) {
		peer_usage(stderr);
		return CLI_USAGE;
	}
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("peer", &err);
	if (strcmp(argv[0], "add") == 0)
		rc = peer_add(n, argv[1], kid, max, relay == 1, idonly, ca,
		    &err);
	else if (strcmp(argv[0], "set") == 0)
		rc = peer_set(n, argv[1], tlp_set ? (int)max : -1, relay, &err);
	else if (strcmp(argv[0], "remove") == 0)
		rc = peer_remove(n, argv[1], &err);
	else if (strcmp(argv[0], "list") == 0)
		rc = peer_list(n);
	else {
		peer_usage(stderr);
		node_close(n);
		return CLI_USAGE;
	}
	node_close(n);
	return rc < 0 ? cli_fail("peer", &err) : CLI_OK;
}
