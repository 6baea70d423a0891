/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_peer_add.c - registering members (node/peer.c) against descriptors
 * a hostile member signed with its own key (issue 8): a name that is a
 * path ("../self" would make peers/../self.json, this node's own
 * descriptor), a name or URL with newlines (they become node.conf
 * sections and lines: a URL could add an operator allowed /metrics). Each
 * is refused (TX_EINVAL, exit 3 in the CLI) and leaves self.json,
 * node.conf and peers/ as they were; a well-formed descriptor is still
 * added. Then the rules of DESIGN §3 (no second member with a name,
 * identity, signing key or TLS key already held, this node's own
 * included; the kid confirmed out of band), what add, set, remove and
 * list write, report and audit, CA mode, and the registry's cap.
 */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "descriptor.h"
#include "fixture.h"
#include "hash.h"
#include "ids.h"
#include "init.h"
#include "node.h"
#include "peer.h"
#include "spki.h"
#include "roster.h"
#include "store.h"

static char		 dir[64];
static struct node	*g_n;

static char *
slurp(const char *rel)
{
	char	 path[256];
	uint8_t	*buf;
	size_t	 len;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(node_read_file(&buf, &len, path, 1 << 20, NULL), 0);
	return (char *)buf;
}

static int
peers_files(void)
{
	char		 path[256];
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	snprintf(path, sizeof(path), "%s/peers", dir);
	assert_non_null(d = opendir(path));
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* What a descriptor says; key NULL: a fresh key. */
struct desc {
	const char	*name;
	const char	*url;
	char		 identity[128];
	char		 pin[65];
	struct sig_key	*key;
};

/* A member number i: a name, a fresh identity, its own pin. */
static void
desc_init(struct desc *d, const char *name, unsigned i)
{
	uint8_t	h[32];
	char	seed[32], uuid[37];

	memset(d, 0, sizeof(*d));
	d->name = name;
	d->url = "https://127.0.0.1:2/";
	assert_int_equal(stix_uuid4(uuid), 0);
	snprintf(d->identity, sizeof(d->identity), "identity--%s", uuid);
	snprintf(seed, sizeof(seed), "member %u", i);
	hash_sha256(h, seed, strlen(seed));
	hex_encode(d->pin, h, sizeof(h));
}

/* The descriptor d, signed by its key, into file; its kid into kid. */
static void
desc_write(const char *file, const struct desc *d, char kid[SIG_KID_HEX])
{
	struct descriptor	 dd;
	struct sig_key		*k = d->key;
	json_t			*j;
	FILE			*f;

	memset(&dd, 0, sizeof(dd));
	snprintf(dd.name, sizeof(dd.name), "%s", d->name);
	snprintf(dd.identity, sizeof(dd.identity), "%s", d->identity);
	snprintf(dd.url, sizeof(dd.url), "%s", d->url);
	snprintf(dd.tls_pin, sizeof(dd.tls_pin), "%s", d->pin);
	if (k == NULL)
		assert_int_equal(sig_key_generate(&k, NULL), 0);
	sig_key_public(k, dd.pub);
	sig_key_kid(k, dd.kid);
	if (kid != NULL)
		memcpy(kid, dd.kid, SIG_KID_HEX);
	assert_int_equal(descriptor_build(&j, &dd, k, 1740139200000000LL,
	    NULL), 0);
	assert_non_null(f = fopen(file, "w"));
	assert_int_equal(json_dumpf(j, f, 0), 0);
	fclose(f);
	json_decref(j);
	if (k != d->key)
		sig_key_free(k);
}

/* What the report callback saw. */
struct seen {
	int	added, released;
	char	name[64], kid[SIG_KID_HEX], pin[65];
};

static void
on_report(const struct node_peer_report *r, void *payload)
{
	struct seen	*s = payload;

	if (r->what == NODE_PEER_ADDED) {
		s->added++;
		snprintf(s->name, sizeof(s->name), "%s", r->peer->name);
		snprintf(s->kid, sizeof(s->kid), "%s", r->kid);
		snprintf(s->pin, sizeof(s->pin), "%s", r->peer->pin);
	} else
		s->released += r->released;
}

/* node_peer_add_file on the open node with --yes defaults. */
static int
add(const char *file, const struct node_peer_opts *o, struct seen *s,
    struct tx_err *err)
{
	struct node_peer_opts	def;

	if (o == NULL) {
		node_peer_opts_init(&def);
		o = &def;
	}
	tx_err_clear(err);
	return node_peer_add_file(g_n, file, o, s != NULL ? on_report : NULL,
	    s, err);
}

static void
reopen(void)
{
	struct tx_err	err;

	node_close(g_n);
	tx_err_clear(&err);
	if (node_open(&g_n, dir, 0, &err) < 0)
		fail_msg("node_open: %s", err.msg);
}

static int
setup(void **state)
{
	struct node_init_opts	o;
	struct tx_err		err;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/tx-peeradd-XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(rmdir(dir), 0);
	node_init_defaults(&o);
	o.dir = dir;
	o.name = "victim";
	o.listen = "127.0.0.1:1";
	tx_err_clear(&err);
	if (node_init(NULL, &o, &err) < 0)
		fail_msg("node_init: %s", err.msg);
	if (node_open(&g_n, dir, 0, &err) < 0)
		fail_msg("node_open: %s", err.msg);
	return 0;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	(void)state;
	node_close(g_n);
	g_n = NULL;
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

/*
 * The descriptor in file is refused with code; self.json, node.conf,
 * peers/, the registry and the roster are as they were.
 */
static void
refused_file(const char *file, const struct node_peer_opts *o, int code)
{
	char		*self0, *conf0, *self1, *conf1;
	struct seen	 s;
	struct tx_err	 err;
	size_t		 npeers = g_n->cfg.reg.npeers, nroster = g_n->roster.n;
	int		 files = peers_files();

	memset(&s, 0, sizeof(s));
	self0 = slurp("self.json");
	conf0 = slurp("node.conf");
	assert_int_equal(add(file, o, &s, &err), code);
	assert_int_equal(err.code, code);
	assert_int_equal(s.added, 0);
	self1 = slurp("self.json");
	conf1 = slurp("node.conf");
	assert_string_equal(self0, self1);
	assert_string_equal(conf0, conf1);
	assert_int_equal(peers_files(), files);
	assert_int_equal(g_n->cfg.reg.npeers, npeers);
	assert_int_equal(g_n->roster.n, nroster);
	free(self0);
	free(conf0);
	free(self1);
	free(conf1);
}

static void
refused(const char *name, const char *url, unsigned i)
{
	char		file[128];
	struct desc	d;

	snprintf(file, sizeof(file), "%s.hostile.json", dir);
	desc_init(&d, name, i);
	d.url = url;
	desc_write(file, &d, NULL);
	refused_file(file, NULL, TX_EINVAL);
	assert_int_equal(peers_files(), 0);
	unlink(file);
}

static void
test_name_is_a_path(void **state)
{
	(void)state;
	refused("../self", "https://127.0.0.1:2/", 1);
	refused("../keys/x", "https://127.0.0.1:2/", 2);
	refused(".hidden", "https://127.0.0.1:2/", 3);
}

static void
test_name_with_newline(void **state)
{
	(void)state;
	refused("x\"]\n[node]\nname = pwned", "https://127.0.0.1:2/", 4);
	refused("Tab\tName", "https://127.0.0.1:2/", 5);
}

static void
test_url_with_newline(void **state)
{
	char	url[300];

	(void)state;
	snprintf(url, sizeof(url), "https://127.0.0.1:2/\n[node]\noperator = "
	    "%064d\n[peer \"evil\"]\nidentity = identity--x", 0);
	refused("evil", url, 6);
	refused("evil", "https://127.0.0.1:2/ x", 6);
}

static void
test_good_one(void **state)
{
	struct desc		 d;
	struct seen		 s;
	struct tx_err		 err;
	const struct cfg_peer	*p;
	char			 file[128], kid[SIG_KID_HEX], *conf;

	(void)state;
	snprintf(file, sizeof(file), "%s.good.json", dir);
	desc_init(&d, "good-cert", 7);
	desc_write(file, &d, kid);
	memset(&s, 0, sizeof(s));
	if (add(file, NULL, &s, &err) != 0)
		fail_msg("add: %s", err.msg);
	assert_int_equal(peers_files(), 1);
	/* Reported once, as registered. */
	assert_int_equal(s.added, 1);
	assert_int_equal(s.released, 0);
	assert_string_equal(s.name, "good-cert");
	assert_string_equal(s.kid, kid);
	assert_string_equal(s.pin, d.pin);
	/* The open node holds it: registry and roster. */
	assert_non_null(p = cfg_peer_by_name(&g_n->cfg, "good-cert"));
	assert_non_null(roster_by_identity(&g_n->roster, d.identity));
	/* node.conf says so, and the node reads it back the same. */
	conf = slurp("node.conf");
	assert_non_null(strstr(conf, "[peer \"good-cert\"]\n"));
	free(conf);
	reopen();
	assert_non_null(p = cfg_peer_by_name(&g_n->cfg, "good-cert"));
	assert_string_equal(p->identity, d.identity);
	assert_string_equal(p->url, "https://127.0.0.1:2/");
	assert_string_equal(p->pin, d.pin);
	assert_string_equal(p->ca, "");
	assert_int_equal(p->max_tlp, TLP_AMBER);
	assert_int_equal(p->relay, 0);
	assert_int_equal(p->push, 1);
	assert_int_equal(p->identity_only, 0);
	assert_string_equal(roster_current_kid(roster_by_identity(
	    &g_n->roster, d.identity)), kid);
	unlink(file);
}

static void
test_expect_kid(void **state)
{
	struct node_peer_opts	o;
	struct desc		d;
	struct tx_err		err;
	char			file[128], kid[SIG_KID_HEX];

	(void)state;
	snprintf(file, sizeof(file), "%s.m.json", dir);
	desc_init(&d, "us-cert", 8);
	desc_write(file, &d, kid);
	node_peer_opts_init(&o);
	o.expect_kid = "0000";
	refused_file(file, &o, TX_EAUTH);
	o.expect_kid = kid;
	assert_int_equal(add(file, &o, NULL, &err), 0);
	unlink(file);
}

static void
test_tampered_refused(void **state)
{
	struct desc	 d;
	char		 file[128], *text, *p;
	FILE		*f;

	(void)state;
	snprintf(file, sizeof(file), "%s.t.json", dir);
	desc_init(&d, "us-cert", 9);
	desc_write(file, &d, NULL);
	assert_non_null(f = fopen(file, "r+"));
	assert_non_null(text = calloc(1, 70000));
	assert_true(fread(text, 1, 69999, f) > 0);
	/* Renamed after signing: the signature no longer holds. */
	assert_non_null(p = strstr(text, "\"us-cert\""));
	p[1] = 'x';
	rewind(f);
	fputs(text, f);
	fclose(f);
	free(text);
	refused_file(file, NULL, TX_EAUTH);
	unlink(file);
}

/* After us-cert is in: each of its claims taken by another is refused. */
static void
test_duplicates(void **state)
{
	struct desc	 first, d;
	struct sig_key	*k;
	struct tx_err	 err;
	char		 f1[128], f2[128];

	(void)state;
	snprintf(f1, sizeof(f1), "%s.1.json", dir);
	snprintf(f2, sizeof(f2), "%s.2.json", dir);
	assert_int_equal(sig_key_generate(&k, NULL), 0);
	desc_init(&first, "us-cert", 10);
	first.key = k;
	desc_write(f1, &first, NULL);
	assert_int_equal(add(f1, NULL, NULL, &err), 0);

	/* The same descriptor again. */
	refused_file(f1, NULL, TX_EEXIST);
	/* Its name. */
	desc_init(&d, "us-cert", 11);
	desc_write(f2, &d, NULL);
	refused_file(f2, NULL, TX_EEXIST);
	/* Its identity. */
	desc_init(&d, "us-cert-2", 12);
	memcpy(d.identity, first.identity, sizeof(d.identity));
	desc_write(f2, &d, NULL);
	refused_file(f2, NULL, TX_EEXIST);
	/* Its TLS key. */
	desc_init(&d, "us-cert-3", 13);
	memcpy(d.pin, first.pin, sizeof(d.pin));
	desc_write(f2, &d, NULL);
	refused_file(f2, NULL, TX_EEXIST);
	/* Its signing key, under a new identity. */
	desc_init(&d, "us-cert-4", 14);
	d.key = k;
	desc_write(f2, &d, NULL);
	refused_file(f2, NULL, TX_EEXIST);
	/* Identity-only is no way around it. */
	{
		struct node_peer_opts	o;

		node_peer_opts_init(&o);
		o.identity_only = 1;
		desc_init(&d, "us-cert-5", 15);
		memcpy(d.pin, first.pin, sizeof(d.pin));
		desc_write(f2, &d, NULL);
		refused_file(f2, &o, TX_EEXIST);
	}
	assert_int_equal(g_n->cfg.reg.npeers, 1);
	sig_key_free(k);
	unlink(f1);
	unlink(f2);
}

/* This node's own name, identity, TLS key and signing key are its own. */
static void
test_self_refused(void **state)
{
	struct desc	 d;
	struct sig_key	*own;
	struct tx_err	 err;
	char		 file[128], path[256];

	(void)state;
	snprintf(file, sizeof(file), "%s.s.json", dir);
	desc_init(&d, "victim", 16);
	desc_write(file, &d, NULL);
	refused_file(file, NULL, TX_EEXIST);

	desc_init(&d, "not-victim", 17);
	snprintf(d.identity, sizeof(d.identity), "%s", g_n->cfg.identity);
	desc_write(file, &d, NULL);
	refused_file(file, NULL, TX_EEXIST);

	desc_init(&d, "not-victim", 18);
	snprintf(path, sizeof(path), "%s/keys/tls.crt", dir);
	assert_int_equal(spki_pin_of_cert_file(d.pin, path, &err), 0);
	desc_write(file, &d, NULL);
	refused_file(file, NULL, TX_EEXIST);

	desc_init(&d, "not-victim", 19);
	snprintf(path, sizeof(path), "%s/keys/signing.key", dir);
	assert_int_equal(sig_key_load(&own, path, &err), 0);
	d.key = own;
	desc_write(file, &d, NULL);
	refused_file(file, NULL, TX_EEXIST);
	sig_key_free(own);
	assert_int_equal(g_n->cfg.reg.npeers, 0);
	unlink(file);
}

static void
test_options_saved(void **state)
{
	struct node_peer_opts	 o;
	struct desc		 d;
	struct tx_err		 err;
	const struct cfg_peer	*p;
	char			 file[128];

	(void)state;
	snprintf(file, sizeof(file), "%s.o.json", dir);
	node_peer_opts_init(&o);
	assert_int_equal(o.max_tlp, TLP_AMBER);
	o.max_tlp = TLP_RED;
	o.relay = 1;
	desc_init(&d, "red-one", 20);
	desc_write(file, &d, NULL);
	assert_int_equal(add(file, &o, NULL, &err), 0);
	node_peer_opts_init(&o);
	o.identity_only = 1;
	desc_init(&d, "quiet-one", 21);
	desc_write(file, &d, NULL);
	assert_int_equal(add(file, &o, NULL, &err), 0);
	reopen();
	assert_non_null(p = cfg_peer_by_name(&g_n->cfg, "red-one"));
	assert_int_equal(p->max_tlp, TLP_RED);
	assert_int_equal(p->relay, 1);
	assert_int_equal(p->identity_only, 0);
	assert_non_null(p = cfg_peer_by_name(&g_n->cfg, "quiet-one"));
	assert_int_equal(p->identity_only, 1);
	assert_int_equal(p->max_tlp, TLP_AMBER);
	/* A member never contacted is never who a certificate is. */
	assert_null(cfg_peer_by_pin(&g_n->cfg, d.pin));
	assert_non_null(roster_by_identity(&g_n->roster, d.identity));
	unlink(file);
}

static void
test_ca_mode(void **state)
{
	struct node_peer_opts	 o;
	struct desc		 d;
	struct tx_err		 err;
	const struct cfg_peer	*p;
	char			 file[128], notpem[128], ca[256], want[300];
	char			*a, *b;
	FILE			*f;

	(void)state;
	snprintf(file, sizeof(file), "%s.c.json", dir);
	snprintf(notpem, sizeof(notpem), "%s.notpem", dir);
	assert_non_null(f = fopen(notpem, "w"));
	fputs("not a certificate\n", f);
	fclose(f);
	desc_init(&d, "ca-member", 22);
	desc_write(file, &d, NULL);
	node_peer_opts_init(&o);
	o.ca_file = notpem;
	refused_file(file, &o, TX_EINVAL);
	assert_int_equal(peers_files(), 0);
	/* Any PEM certificate stands in for the CA here. */
	snprintf(ca, sizeof(ca), "%s/keys/tls.crt", dir);
	o.ca_file = ca;
	assert_int_equal(add(file, &o, NULL, &err), 0);
	assert_int_equal(peers_files(), 2);
	assert_non_null(p = cfg_peer_by_name(&g_n->cfg, "ca-member"));
	assert_non_null(realpath(dir, want));
	snprintf(want + strlen(want), sizeof(want) - strlen(want),
	    "/peers/ca-member.ca.pem");
	assert_string_equal(p->ca, want);
	a = slurp("keys/tls.crt");
	b = slurp("peers/ca-member.ca.pem");
	assert_string_equal(a, b);
	free(a);
	free(b);
	/* CA mode maps by the certificate's SAN, not by the pin. */
	assert_null(cfg_peer_by_pin(&g_n->cfg, d.pin));
	reopen();
	assert_non_null(p = cfg_peer_by_name(&g_n->cfg, "ca-member"));
	assert_string_equal(p->ca, want);
	unlink(file);
	unlink(notpem);
}

/* Audit rows seen by store_audit_each. */
struct audit_seen {
	char	last_event[64], last_detail[256];
	int	n;
};

static int
audit_cb(const struct store_audit_row *r, void *payload)
{
	struct audit_seen	*a = payload;

	snprintf(a->last_event, sizeof(a->last_event), "%s", r->event);
	snprintf(a->last_detail, sizeof(a->last_detail), "%s", r->detail);
	a->n++;
	return 0;
}

static void
last_audit(const char *event, const char *detail)
{
	struct audit_seen	a;

	memset(&a, 0, sizeof(a));
	assert_int_equal(store_audit_each(g_n->st, 1, audit_cb, &a, NULL), 0);
	assert_int_equal(a.n, 1);
	assert_string_equal(a.last_event, event);
	assert_string_equal(a.last_detail, detail);
}

static void
test_set(void **state)
{
	const struct registry_change	 red = { TLP_RED, 1, -1, -1, -1 };
	const struct registry_change	 norelay = { -1, 0, -1, -1, -1 };
	const struct registry_change	 bad = { TLP_UNKNOWN, -1, -1, -1, -1 };
	struct desc			 d;
	struct cfg_peer			 out;
	struct tx_err			 err;
	char				 file[128], *conf0, *conf1;

	(void)state;
	snprintf(file, sizeof(file), "%s.set.json", dir);
	desc_init(&d, "fr-anssi", 23);
	desc_write(file, &d, NULL);
	assert_int_equal(add(file, NULL, NULL, &err), 0);
	last_audit("peer-add", "fr-anssi");
	assert_int_equal(node_peer_set(&out, g_n, "fr-anssi", &red, &err), 0);
	assert_int_equal(out.max_tlp, TLP_RED);
	assert_int_equal(out.relay, 1);
	last_audit("peer-set", "fr-anssi max_tlp=red relay=yes");
	assert_int_equal(node_peer_set(NULL, g_n, "fr-anssi", &norelay, &err),
	    0);
	last_audit("peer-set", "fr-anssi max_tlp=red relay=no");
	reopen();
	assert_int_equal(cfg_peer_by_name(&g_n->cfg, "fr-anssi")->max_tlp,
	    TLP_RED);
	assert_int_equal(cfg_peer_by_name(&g_n->cfg, "fr-anssi")->relay, 0);
	conf0 = slurp("node.conf");
	assert_int_equal(node_peer_set(&out, g_n, "fr-anssi", &bad, &err),
	    TX_EINVAL);
	assert_int_equal(node_peer_set(&out, g_n, "nobody", &red, &err),
	    TX_ENOTFOUND);
	conf1 = slurp("node.conf");
	assert_string_equal(conf0, conf1);
	assert_int_equal(cfg_peer_by_name(&g_n->cfg, "fr-anssi")->max_tlp,
	    TLP_RED);
	free(conf0);
	free(conf1);
	unlink(file);
}

static void
test_remove(void **state)
{
	struct desc	d1, d2;
	struct tx_err	err;
	char		f1[128], f2[128], *conf;

	(void)state;
	snprintf(f1, sizeof(f1), "%s.r1.json", dir);
	snprintf(f2, sizeof(f2), "%s.r2.json", dir);
	desc_init(&d1, "jp-cert", 24);
	desc_write(f1, &d1, NULL);
	desc_init(&d2, "de-bsi", 25);
	desc_write(f2, &d2, NULL);
	assert_int_equal(add(f1, NULL, NULL, &err), 0);
	assert_int_equal(add(f2, NULL, NULL, &err), 0);
	assert_int_equal(peers_files(), 2);
	assert_int_equal(node_peer_remove(g_n, "jp-cert", &err), 0);
	last_audit("peer-remove", "jp-cert");
	assert_int_equal(peers_files(), 1);
	assert_int_equal(g_n->cfg.reg.npeers, 1);
	assert_null(cfg_peer_by_name(&g_n->cfg, "jp-cert"));
	/* The open node no longer trusts its key. */
	assert_null(roster_by_identity(&g_n->roster, d1.identity));
	assert_non_null(roster_by_identity(&g_n->roster, d2.identity));
	conf = slurp("node.conf");
	assert_null(strstr(conf, "jp-cert"));
	assert_non_null(strstr(conf, "de-bsi"));
	free(conf);
	assert_int_equal(node_peer_remove(g_n, "jp-cert", &err),
	    TX_ENOTFOUND);
	/* Its name, identity and keys are free again. */
	assert_int_equal(add(f1, NULL, NULL, &err), 0);
	assert_int_equal(g_n->cfg.reg.npeers, 2);
	unlink(f1);
	unlink(f2);
}

struct listed {
	int	n, nokid;
	char	kids[4][SIG_KID_HEX];
	char	names[4][64];
};

static int
list_cb(const struct cfg_peer *p, const char *kid, void *payload)
{
	struct listed	*l = payload;

	snprintf(l->names[l->n], sizeof(l->names[0]), "%s", p->name);
	if (kid != NULL)
		snprintf(l->kids[l->n], sizeof(l->kids[0]), "%s", kid);
	else
		l->nokid++;
	l->n++;
	return l->n == 3 ? 5 : 0;
}

static void
test_list(void **state)
{
	struct listed	l;
	struct desc	d;
	struct tx_err	err;
	char		file[128], kid[4][SIG_KID_HEX], name[16];
	int		i;

	(void)state;
	memset(&l, 0, sizeof(l));
	assert_int_equal(node_peer_list(g_n, list_cb, &l), 0);
	assert_int_equal(l.n, 0);
	snprintf(file, sizeof(file), "%s.l.json", dir);
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "m%d", i);
		desc_init(&d, name, 30 + (unsigned)i);
		desc_write(file, &d, kid[i]);
		assert_int_equal(add(file, NULL, NULL, &err), 0);
	}
	/* In order, each with its key; the callback stops the walk. */
	memset(&l, 0, sizeof(l));
	assert_int_equal(node_peer_list(g_n, list_cb, &l), 5);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.nokid, 0);
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "m%d", i);
		assert_string_equal(l.names[i], name);
		assert_string_equal(l.kids[i], kid[i]);
	}
	unlink(file);
}

/*
 * Past the old cap of 64 (issue 14): 200 members added one by one, each
 * found by name and identity, and what was written reads back whole.
 */
static void
test_registry_large(void **state)
{
	struct desc	d;
	struct tx_err	err;
	char		file[128], name[16];
	unsigned	i;

	(void)state;
	snprintf(file, sizeof(file), "%s.f.json", dir);
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "m%u", i);
		desc_init(&d, name, 100 + i);
		desc_write(file, &d, NULL);
		if (add(file, NULL, NULL, &err) != 0)
			fail_msg("member %u: %s", i, err.msg);
	}
	assert_int_equal(g_n->cfg.reg.npeers, 200);
	reopen();
	assert_int_equal(g_n->cfg.reg.npeers, 200);
	assert_int_equal(g_n->roster.n, 200 + 1);
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "m%u", i);
		assert_non_null(cfg_peer_by_name(&g_n->cfg, name));
		assert_non_null(roster_by_identity(&g_n->roster,
		    cfg_peer_by_name(&g_n->cfg, name)->identity));
	}
	unlink(file);
}

/* Run sql on the closed node's store.db, as someone with the file. */
static void
store_sql(const char *sql)
{
	sqlite3	*db;
	char	 path[256];

	node_close(g_n);
	g_n = NULL;
	snprintf(path, sizeof(path), "%s/store.db", dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* Three members m0..m2 added by peer add; their identities into ids. */
static void
three_members(char ids[3][128], char kids[3][SIG_KID_HEX])
{
	struct desc	d;
	struct tx_err	err;
	char		file[128], name[16];
	int		i;

	snprintf(file, sizeof(file), "%s.r.json", dir);
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "m%d", i);
		desc_init(&d, name, 60 + (unsigned)i);
		desc_write(file, &d, kids[i]);
		memcpy(ids[i], d.identity, sizeof(d.identity));
		if (add(file, NULL, NULL, &err) != 0)
			fail_msg("member %d: %s", i, err.msg);
	}
	unlink(file);
}

/* The stamp the store's rows were written under. */
static void
stored_stamp(char out[STORE_ROSTER_STAMP])
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	char		 path[256];

	snprintf(path, sizeof(path), "%s/store.db", dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT stamp FROM "
	    "roster_stamp", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	snprintf(out, STORE_ROSTER_STAMP, "%s", sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

/*
 * The roster in the store (issue 14): peer add writes its member's row
 * under the files' new stamp, so the next open reads the rows and no
 * descriptor file. Shown by a row altered by hand: the open that follows
 * has the altered name (nothing was read from the files), and one touch
 * of the member's file puts the file's name back (read and verified
 * again). A member's key read back from the store is made at its first
 * use, checked as at its add: a small-order key put in its row is
 * refused there (TX_EAUTH), never used.
 */
static void
test_roster_in_store(void **state)
{
	const struct sig_key	*k;
	char			 ids[3][128], kids[3][SIG_KID_HEX];
	char			 stamp[STORE_ROSTER_STAMP], now[STORE_ROSTER_STAMP];
	char			 sql[512], path[256], bad[SIG_KID_HEX];
	uint8_t			 small[32];
	struct roster_stamp	 rs;

	(void)state;
	three_members(ids, kids);
	assert_int_equal(node_roster_stamp(&rs, &g_n->cfg, NULL), 0);
	node_roster_stamp_text(now, &rs);
	assert_int_equal(rs.nfiles, 4);
	stored_stamp(stamp);
	assert_string_equal(stamp, now);
	snprintf(sql, sizeof(sql), "UPDATE roster SET name='from-the-store' "
	    "WHERE identity='%s'", ids[1]);
	store_sql(sql);
	reopen();
	assert_int_equal(g_n->roster.n, 4);
	assert_string_equal(node_member_name(g_n, ids[1]), "from-the-store");
	assert_string_equal(node_member_name(g_n, ids[2]), "m2");
	/* Its key, made now from the row, is the one its file gave. */
	assert_int_equal(roster_key_cb(&k, ids[2], kids[2], NULL,
	    &g_n->roster), 0);
	assert_non_null(k);
	/* Any change to the file: read from the files again. */
	snprintf(path, sizeof(path), "%s/peers/m1.json", dir);
	assert_int_equal(utimensat(AT_FDCWD, path, NULL, 0), 0);
	reopen();
	assert_string_equal(node_member_name(g_n, ids[1]), "m1");
	/* A key altered in the store is checked at its first use. */
	snprintf(sql, sizeof(sql), "UPDATE roster SET pub='01%062d' "
	    "WHERE identity='%s'", 0, ids[0]);
	store_sql(sql);
	reopen();
	memset(small, 0, sizeof(small));
	small[0] = 1;	/* the neutral point, of order 1 */
	assert_int_equal(sig_kid_of_public(bad, small, sizeof(small)), 0);
	assert_int_equal(roster_key_cb(&k, ids[0], kids[0], NULL,
	    &g_n->roster), TX_ENOTFOUND);
	assert_int_equal(roster_key_cb(&k, ids[0], bad, NULL,
	    &g_n->roster), TX_EAUTH);
	assert_null(k);
}

/*
 * Rows that cannot stand in never keep the node from opening: a key that
 * is not hex, or one member's key copied into another's row (two members
 * with one kid), and the open reads the files instead, each member with
 * its own key again, and writes the rows anew.
 */
static void
test_roster_rows_bad(void **state)
{
	const struct sig_key	*k;
	char			 ids[3][128], kids[3][SIG_KID_HEX], sql[512];
	char			 path[256];
	int			 i;

	(void)state;
	three_members(ids, kids);
	snprintf(sql, sizeof(sql), "UPDATE roster SET pub='zz' WHERE "
	    "identity='%s'", ids[0]);
	store_sql(sql);
	reopen();
	assert_int_equal(roster_key_cb(&k, ids[0], kids[0], NULL,
	    &g_n->roster), 0);
	snprintf(sql, sizeof(sql), "UPDATE roster SET pub=(SELECT pub FROM "
	    "roster WHERE identity='%s') WHERE identity='%s'", ids[1], ids[2]);
	store_sql(sql);
	reopen();
	assert_int_equal(g_n->roster.n, 4);
	for (i = 0; i < 3; i++)
		assert_int_equal(roster_key_cb(&k, ids[i], kids[i], NULL,
		    &g_n->roster), 0);
	/* Written anew, each member's key its own again. */
	snprintf(path, sizeof(path), "%s/store.db", dir);
	assert_int_equal(fx_sql_int(path, "SELECT count(DISTINCT pub) FROM "
	    "roster WHERE length(pub) = 64"), 4);
}

/*
 * Someone who can write peers/ swaps m1's descriptor for one that does
 * not verify, of the same length, and puts its modification time back:
 * the store's verified copy must not stand in for it. The change time
 * gives it away, and the open fails naming the file, as before the
 * roster was kept in the store.
 */
static void
test_roster_file_swapped(void **state)
{
	struct timespec	 ts[2];
	struct stat	 sb;
	struct tx_err	 err;
	char		 ids[3][128], kids[3][SIG_KID_HEX], path[256];
	char		 buf[16384], *p;
	size_t		 len;
	FILE		*f;

	(void)state;
	three_members(ids, kids);
	reopen();
	snprintf(path, sizeof(path), "%s/peers/m1.json", dir);
	assert_int_equal(stat(path, &sb), 0);
	/* One letter of the signature's value changed: same length. */
	assert_non_null(f = fopen(path, "r+"));
	len = fread(buf, 1, sizeof(buf) - 1, f);
	assert_true(len > 0 && len < sizeof(buf) - 1);
	buf[len] = '\0';
	assert_non_null(p = strstr(buf, "\"sig\""));
	assert_non_null(p = strchr(p + 6, '"'));
	p[1] = p[1] == 'A' ? 'B' : 'A';
	rewind(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
	ts[0] = sb.st_atim;
	ts[1] = sb.st_mtim;
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
	node_close(g_n);
	g_n = NULL;
	tx_err_clear(&err);
	assert_int_not_equal(node_open(&g_n, dir, 0, &err), 0);
	assert_int_equal(err.code, TX_EAUTH);
	if (strstr(err.where, "m1.json") == NULL)
		fail_msg("not the file: %s: %s", err.where, err.msg);
	/* Put back (the teardown wants an open node). */
	assert_int_equal(unlink(path), 0);
	reopen();
	assert_null(roster_by_identity(&g_n->roster, ids[1]));
}

/*
 * The rows and the files part ways: a member's file removed by hand
 * (no peer remove) leaves the roster; a row lost from the store is read
 * from its file again; peer remove drops the row with the file.
 */
static void
test_roster_rows_follow_files(void **state)
{
	char		ids[3][128], kids[3][SIG_KID_HEX], path[256], sql[256];
	char		stamp[STORE_ROSTER_STAMP], now[STORE_ROSTER_STAMP];
	struct roster_stamp rs;
	struct tx_err	err;

	(void)state;
	three_members(ids, kids);
	snprintf(path, sizeof(path), "%s/peers/m0.json", dir);
	assert_int_equal(unlink(path), 0);
	reopen();
	assert_null(roster_by_identity(&g_n->roster, ids[0]));
	assert_int_equal(g_n->roster.n, 3);
	snprintf(sql, sizeof(sql), "DELETE FROM roster WHERE identity='%s'",
	    ids[2]);
	store_sql(sql);
	reopen();
	assert_non_null(roster_by_identity(&g_n->roster, ids[2]));
	assert_string_equal(node_member_name(g_n, ids[2]), "m2");
	tx_err_clear(&err);
	assert_int_equal(node_peer_remove(g_n, "m2", &err), 0);
	assert_null(roster_by_identity(&g_n->roster, ids[2]));
	assert_int_equal(node_roster_stamp(&rs, &g_n->cfg, NULL), 0);
	node_roster_stamp_text(now, &rs);
	assert_int_equal(rs.nfiles, 2);
	node_close(g_n);
	g_n = NULL;
	stored_stamp(stamp);
	assert_string_equal(stamp, now);
	reopen();
	assert_int_equal(g_n->roster.n, 2);
	assert_non_null(roster_by_identity(&g_n->roster, ids[1]));
}

/* The last gate: node.conf is never written with a line break inside. */
static void
test_save_refuses_control(void **state)
{
	struct tx_err	 err;
	char		*conf0, *conf1, keep[CFG_URL_MAX];

	(void)state;
	conf0 = slurp("node.conf");
	memcpy(keep, g_n->cfg.url, sizeof(keep));
	snprintf(g_n->cfg.url, sizeof(g_n->cfg.url), "https://x/\n[node]");
	assert_int_equal(cfg_save(&g_n->cfg, &err), TX_EINVAL);
	memcpy(g_n->cfg.url, keep, sizeof(keep));
	/* A hostile entry put in the registry's storage by hand. */
	g_n->cfg.reg.npeers = 0;
	assert_non_null(registry_entry(&g_n->cfg.reg, "x"));
	snprintf(g_n->cfg.reg.peers[0].name, sizeof(g_n->cfg.reg.peers[0].name),
	    "x\"]\n[node]");
	assert_int_equal(cfg_save(&g_n->cfg, &err), TX_EINVAL);
	snprintf(g_n->cfg.reg.peers[0].name, sizeof(g_n->cfg.reg.peers[0].name), "x");
	snprintf(g_n->cfg.reg.peers[0].identity,
	    sizeof(g_n->cfg.reg.peers[0].identity), "identity--x\roperator = 0");
	assert_int_equal(cfg_save(&g_n->cfg, &err), TX_EINVAL);
	conf1 = slurp("node.conf");
	assert_string_equal(conf0, conf1);
	free(conf0);
	free(conf1);
	g_n->cfg.reg.npeers = 0;
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_name_is_a_path),
		T(test_name_with_newline),
		T(test_url_with_newline),
		T(test_good_one),
		T(test_expect_kid),
		T(test_tampered_refused),
		T(test_duplicates),
		T(test_self_refused),
		T(test_options_saved),
		T(test_ca_mode),
		T(test_set),
		T(test_roster_in_store),
		T(test_roster_file_swapped),
		T(test_roster_rows_bad),
		T(test_roster_rows_follow_files),
		T(test_remove),
		T(test_list),
		T(test_registry_large),
		T(test_save_refuses_control),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
