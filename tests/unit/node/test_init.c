/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_init.c - node_init makes a node directory that is private whatever
 * the umask (directory and keys/ 0700, secrets 0600), consistent (the
 * fingerprint it reports is the one in self.json, node.conf and the TLS
 * certificate; the node opens; its identity object is stored, signed),
 * and refuses before making anything: hostile names, URLs and listen
 * addresses (a path, a newline that would become a node.conf line),
 * out-of-range options, an existing node, a non-empty directory, a
 * directory of another user. node_identity_export hands back self.json
 * only when it verifies. pki_issue_named refuses names that are paths.
 */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "config.h"
#include "hash.h"
#include "init.h"
#include "node.h"
#include "pki.h"
#include "spki.h"
#include "store.h"

static char	root[64];

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/tx-init-XXXXXX");
	assert_non_null(mkdtemp(root));
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static void
path_of(char *dst, size_t len, const char *rel)
{
	snprintf(dst, len, "%s/%s", root, rel);
}

static unsigned
mode_of(const char *rel)
{
	struct stat	st;
	char		p[256];

	path_of(p, sizeof(p), rel);
	if (lstat(p, &st) != 0)
		fail_msg("%s: missing", rel);
	return st.st_mode & 07777;
}

static int
exists(const char *rel)
{
	char	p[256];

	path_of(p, sizeof(p), rel);
	return access(p, F_OK) == 0;
}

/* Not inlined: GCC 12 -O3 then takes its result for a dangling pointer. */
static __attribute__((noinline)) char *
slurp(const char *rel)
{
	char	 p[256];
	uint8_t	*buf;
	size_t	 len;

	path_of(p, sizeof(p), rel);
	assert_int_equal(node_read_file(&buf, &len, p, 1 << 20, NULL), 0);
	return (char *)buf;
}

/* Options for a node in root/rel. */
static void
opts(struct node_init_opts *o, char *dir, size_t len, const char *rel,
    const char *name)
{
	node_init_defaults(o);
	path_of(dir, len, rel);
	o->dir = dir;
	o->name = name;
	o->listen = "127.0.0.1:1";
}

static void
test_defaults(void **state)
{
	struct node_init_opts	o;

	(void)state;
	node_init_defaults(&o);
	assert_null(o.dir);
	assert_null(o.name);
	assert_null(o.url);
	assert_null(o.ca_dir);
	assert_string_equal(o.listen, "127.0.0.1:8443");
	assert_int_equal(o.default_tlp, TLP_AMBER);
	assert_int_equal(o.sync_interval, 300);
}

static void
test_private_under_lax_umask(void **state)
{
	static const char	*secret[] = { "node.conf", "store.db",
	    "keys/signing.key", "keys/next-signing.key", "keys/tls.key" };
	struct node_init_opts	 o;
	struct node_init_result	 res;
	struct tx_err		 err;
	char			 dir[256];
	mode_t			 old;
	size_t			 i;
	int			 rc;

	(void)state;
	opts(&o, dir, sizeof(dir), "n", "us-cert");
	old = umask(0);
	tx_err_clear(&err);
	rc = node_init(&res, &o, &err);
	umask(old);
	if (rc != 0)
		fail_msg("node_init: %s", err.msg);
	assert_int_equal(mode_of("n"), 0700);
	assert_int_equal(mode_of("n/keys"), 0700);
	for (i = 0; i < sizeof(secret) / sizeof(secret[0]); i++) {
		char	rel[64];

		snprintf(rel, sizeof(rel), "n/%s", secret[i]);
		if (mode_of(rel) != 0600)
			fail_msg("%s is %o, not 0600", rel, mode_of(rel));
	}
	assert_true(exists("n/peers"));
	assert_true(exists("n/self.json"));
	assert_true(exists("n/keys/tls.crt"));
}

static void
test_consistent(void **state)
{
	struct node_init_opts	 o;
	struct node_init_result	 res;
	struct descriptor	 d;
	struct node_cfg		*cfg;
	struct node		*n;
	struct tx_err		 err;
	uint8_t			*buf;
	size_t			 len;
	char			 dir[256], crt[300], pin[SPKI_PIN_HEX], *json;
	char			*self;

	(void)state;
	opts(&o, dir, sizeof(dir), "n", "uk-ncsc");
	o.default_tlp = TLP_GREEN;
	o.sync_interval = 77;
	tx_err_clear(&err);
	assert_int_equal(node_init(&res, &o, &err), 0);
	assert_string_equal(res.name, "uk-ncsc");
	assert_true(strncmp(res.identity, "identity--", 10) == 0);
	assert_true(hex_is_sha256(res.kid));
	assert_true(hex_is_sha256(res.tls_pin));

	/* node.conf: what was asked, the URL defaulted from listen. */
	assert_non_null(cfg = calloc(1, sizeof(*cfg)));
	assert_int_equal(cfg_load(cfg, dir, &err), 0);
	assert_string_equal(cfg->name, "uk-ncsc");
	assert_string_equal(cfg->identity, res.identity);
	assert_string_equal(cfg->listen, "127.0.0.1:1");
	assert_string_equal(cfg->url, "https://127.0.0.1:1/");
	assert_int_equal(cfg->default_tlp, TLP_GREEN);
	assert_int_equal(cfg->sync_interval, 77);
	assert_int_equal(cfg->reg.npeers, 0);
	cfg_free(cfg);
	free(cfg);

	/* The TLS pin is the certificate's. */
	snprintf(crt, sizeof(crt), "%s/keys/tls.crt", dir);
	assert_int_equal(spki_pin_of_cert_file(pin, crt, &err), 0);
	assert_string_equal(pin, res.tls_pin);

	/* self.json verifies and says the same; export hands it back. */
	assert_int_equal(node_identity_export(&buf, &len, &d, dir, &err), 0);
	self = slurp("n/self.json");
	assert_int_equal(len, strlen(self));
	assert_memory_equal(buf, self, len);
	assert_string_equal(d.name, "uk-ncsc");
	assert_string_equal(d.identity, res.identity);
	assert_string_equal(d.kid, res.kid);
	assert_string_equal(d.tls_pin, res.tls_pin);
	assert_string_equal(d.url, "https://127.0.0.1:1/");
	free(buf);
	free(self);

	/* The node opens, knows itself, and holds its identity object. */
	assert_int_equal(node_open(&n, dir, NODE_OPEN_SIGNING, &err), 0);
	assert_non_null(roster_by_identity(&n->roster, res.identity));
	assert_string_equal(roster_current_kid(roster_by_identity(&n->roster,
	    res.identity)), res.kid);
	assert_int_equal(store_get_current(n->st, &json, res.identity, &err),
	    0);
	assert_non_null(strstr(json, "\"identity_class\":\"organization\""));
	assert_non_null(strstr(json, "\"signatures\""));
	free(json);
	node_close(n);
}

static void
test_two_nodes_differ(void **state)
{
	struct node_init_opts	o;
	struct node_init_result	a, b;
	char			dir[256], *conf;

	(void)state;
	opts(&o, dir, sizeof(dir), "a", "a");
	o.url = "https://a.example:8443/taxii2/";
	assert_int_equal(node_init(&a, &o, NULL), 0);
	opts(&o, dir, sizeof(dir), "b", "b");
	assert_int_equal(node_init(&b, &o, NULL), 0);
	assert_string_not_equal(a.identity, b.identity);
	assert_string_not_equal(a.kid, b.kid);
	assert_string_not_equal(a.tls_pin, b.tls_pin);
	conf = slurp("a/node.conf");
	assert_non_null(strstr(conf, "url = https://a.example:8443/taxii2/\n"));
	free(conf);
}

/* A refusal with code, where err points, and nothing made in root/x. */
static void
refused(const struct node_init_opts *o, int code, const char *where)
{
	struct tx_err	err;

	tx_err_clear(&err);
	if (node_init(NULL, o, &err) != code)
		fail_msg("expected %d for %s: %s", code, o->name ? o->name :
		    "(null)", err.msg);
	assert_int_equal(err.code, code);
	if (where != NULL)
		assert_string_equal(err.where, where);
	assert_false(exists("x"));
}

static void
test_hostile_options(void **state)
{
	static const char	*names[] = { "../self", "../../tmp/x", ".hidden",
	    "", "Upper", "a b", "x\"]\n[node]\nname = pwned", "tab\tname",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "caf\xc3\xa9" };
	static const char	*urls[] = { "http://127.0.0.1:1/",
	    "https://127.0.0.1:1/\n[node]\noperator = 00",
	    "https://127.0.0.1:1/ x", "https://", "ftp://x/",
	    "https://\x7f/", "https://a,DNS:evil.example/",
	    "https://a_b.example:8443/" };
	static const char	*listens[] = { "127.0.0.1:1\n[node]",
	    "127.0.0.1 1", "", "\t", "nonsense", "127.0.0.1:99999",
	    "127.0.0.1:0", ":8443", "host:port" };
	struct node_init_opts	 o;
	char			 dir[256];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		opts(&o, dir, sizeof(dir), "x", names[i]);
		refused(&o, TX_EINVAL, "--name");
	}
	opts(&o, dir, sizeof(dir), "x", NULL);
	refused(&o, TX_EINVAL, "--name");
	for (i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		opts(&o, dir, sizeof(dir), "x", "x");
		o.url = urls[i];
		refused(&o, TX_EINVAL, "--url");
	}
	for (i = 0; i < sizeof(listens) / sizeof(listens[0]); i++) {
		opts(&o, dir, sizeof(dir), "x", "x");
		o.listen = listens[i];
		refused(&o, TX_EINVAL, "--listen");
	}
	/* A listen address that makes the default URL unwritable. */
	opts(&o, dir, sizeof(dir), "x", "x");
	o.listen = NULL;
	refused(&o, TX_EINVAL, "--listen");
	opts(&o, dir, sizeof(dir), "x", "x");
	o.sync_interval = 0;
	refused(&o, TX_EINVAL, "--sync-interval");
	o.sync_interval = 86401;
	refused(&o, TX_EINVAL, "--sync-interval");
	opts(&o, dir, sizeof(dir), "x", "x");
	o.default_tlp = (enum tlp_level)(TLP_UNKNOWN + 1);
	refused(&o, TX_EINVAL, "--tlp");
	opts(&o, dir, sizeof(dir), "x", "x");
	o.dir = NULL;
	refused(&o, TX_EINVAL, "-d");
}

static void
test_existing_node(void **state)
{
	struct node_init_opts	 o;
	struct tx_err		 err;
	char			 dir[256], *before, *after;

	(void)state;
	opts(&o, dir, sizeof(dir), "n", "first");
	assert_int_equal(node_init(NULL, &o, NULL), 0);
	before = slurp("n/self.json");
	o.name = "second";
	tx_err_clear(&err);
	assert_int_equal(node_init(NULL, &o, &err), TX_EEXIST);
	after = slurp("n/self.json");
	assert_string_equal(before, after);
	free(before);
	free(after);
	before = slurp("n/node.conf");
	assert_non_null(strstr(before, "name = first\n"));
	free(before);
}

static void
test_empty_existing_dir_taken(void **state)
{
	struct node_init_opts	o;
	char			dir[256];

	(void)state;
	opts(&o, dir, sizeof(dir), "open", "open");
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(node_init(NULL, &o, NULL), 0);
	assert_int_equal(mode_of("open"), 0700);
	assert_true(exists("open/node.conf"));
}

static void
test_nonempty_dir_refused(void **state)
{
	struct node_init_opts	 o;
	struct tx_err		 err;
	char			 dir[256], planted[300];
	FILE			*f;

	(void)state;
	opts(&o, dir, sizeof(dir), "busy", "busy");
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chmod(dir, 0777), 0);
	/* Someone else's store.db, planted before the node is made. */
	snprintf(planted, sizeof(planted), "%s/store.db", dir);
	assert_non_null(f = fopen(planted, "w"));
	fputs("planted", f);
	fclose(f);
	tx_err_clear(&err);
	assert_int_equal(node_init(NULL, &o, &err), TX_EEXIST);
	assert_false(exists("busy/node.conf"));
	assert_false(exists("busy/keys"));
	/* A symbolic link counts as something in it. */
	assert_int_equal(unlink(planted), 0);
	assert_int_equal(symlink("/etc/passwd", planted), 0);
	assert_int_equal(node_init(NULL, &o, &err), TX_EEXIST);
	assert_false(exists("busy/node.conf"));
}

static void
test_not_a_directory(void **state)
{
	struct node_init_opts	 o;
	struct tx_err		 err;
	char			 dir[256];
	FILE			*f;

	(void)state;
	opts(&o, dir, sizeof(dir), "file", "file");
	assert_non_null(f = fopen(dir, "w"));
	fclose(f);
	tx_err_clear(&err);
	assert_int_equal(node_init(NULL, &o, &err), TX_EIO);
	assert_false(exists("file/node.conf"));
}

static void
test_foreign_dir_refused(void **state)
{
	struct node_init_opts	 o;
	struct tx_err		 err;
	struct stat		 st;
	char			 dir[256];

	(void)state;
	if (geteuid() != 0) {
		/* Without root no directory can be made someone else's:
		   "/" is root's (and is never changed: not ours). */
		node_init_defaults(&o);
		o.dir = "/";
		o.name = "x";
		assert_int_equal(stat("/", &st), 0);
		assert_int_equal(node_init(NULL, &o, &err), TX_EIO);
		return;
	}
	opts(&o, dir, sizeof(dir), "foreign", "foreign");
	assert_int_equal(mkdir(dir, 0777), 0);
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(chown(dir, 65534, 65534), 0);
	tx_err_clear(&err);
	assert_int_equal(node_init(NULL, &o, &err), TX_EIO);
	assert_non_null(strstr(err.msg, "not a directory of this user"));
	/* Not taken over: still world-writable, still its owner's, empty. */
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0777);
	assert_int_equal(st.st_uid, 65534);
	assert_false(exists("foreign/node.conf"));
}

static void
test_export_refuses(void **state)
{
	struct node_init_opts	 o;
	struct descriptor	 d;
	struct tx_err		 err;
	uint8_t			*buf = (uint8_t *)"x";
	size_t			 len = 1;
	char			 dir[256], path[300], *self, *p;
	FILE			*f;
	int			 rc;

	(void)state;
	/* No node: nothing to read. */
	path_of(dir, sizeof(dir), "none");
	assert_int_equal(node_identity_export(&buf, &len, &d, dir, &err),
	    TX_EIO);
	assert_null(buf);
	assert_int_equal(len, 0);

	opts(&o, dir, sizeof(dir), "n", "us-cert");
	assert_int_equal(node_init(NULL, &o, NULL), 0);
	snprintf(path, sizeof(path), "%s/self.json", dir);
	self = slurp("n/self.json");
	/* An edited descriptor no longer verifies. */
	assert_non_null(p = strstr(self, "\"us-cert\""));
	p[1] = 'x';
	assert_non_null(f = fopen(path, "w"));
	fputs(self, f);
	fclose(f);
	rc = node_identity_export(&buf, &len, &d, dir, &err);
	assert_true(rc == TX_EAUTH || rc == TX_EINVAL);
	assert_null(buf);
	free(self);
	/* Not JSON at all. */
	assert_non_null(f = fopen(path, "w"));
	fputs("{\"name\":", f);
	fclose(f);
	assert_int_equal(node_identity_export(&buf, &len, &d, dir, &err),
	    TX_EINVAL);
	assert_null(buf);
	/* Larger than any descriptor. */
	assert_non_null(f = fopen(path, "w"));
	for (rc = 0; rc < NODE_DESCRIPTOR_MAX + 1; rc++)
		fputc(' ', f);
	fclose(f);
	assert_int_equal(node_identity_export(&buf, &len, &d, dir, &err),
	    TX_ELIMIT);
	assert_null(buf);
}

static X509 *
read_crt(const char *path)
{
	FILE	*f;
	X509	*x;

	assert_non_null(f = fopen(path, "r"));
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(x);
	return x;
}

static void
test_ca_mode(void **state)
{
	struct node_init_opts	 o;
	struct node_init_result	 res;
	struct tx_err		 err;
	char			 dir[256], ca[256], path[300];
	X509			*cacrt, *crt, *self;

	(void)state;
	path_of(ca, sizeof(ca), "ca");
	tx_err_clear(&err);
	assert_int_equal(pki_make_ca(ca, "test CA", &err), 0);
	opts(&o, dir, sizeof(dir), "n", "fr-anssi");
	o.ca_dir = ca;
	assert_int_equal(node_init(&res, &o, &err), 0);
	snprintf(path, sizeof(path), "%s/ca.crt", ca);
	cacrt = read_crt(path);
	snprintf(path, sizeof(path), "%s/keys/tls.crt", dir);
	crt = read_crt(path);
	assert_int_equal(X509_check_issued(cacrt, crt), X509_V_OK);
	X509_free(crt);

	/* Without a CA the certificate is its own issuer. */
	opts(&o, dir, sizeof(dir), "s", "selfsigned");
	assert_int_equal(node_init(NULL, &o, &err), 0);
	snprintf(path, sizeof(path), "%s/keys/tls.crt", dir);
	self = read_crt(path);
	assert_int_not_equal(X509_check_issued(cacrt, self), X509_V_OK);
	assert_int_equal(X509_NAME_cmp(X509_get_subject_name(self),
	    X509_get_issuer_name(self)), 0);
	X509_free(self);
	X509_free(cacrt);

	/* A CA directory that is not one. */
	opts(&o, dir, sizeof(dir), "m", "m");
	o.ca_dir = root;
	assert_true(node_init(NULL, &o, &err) < 0);
	assert_false(exists("m/node.conf"));
}

/*
 * The certificate names the host of the node's URL (a DNS name, an IPv4
 * or an IPv6 address), so that PKIX clients verify it by name; and a
 * refused init (a URL host that is neither) leaves nothing behind.
 */
static void
test_cert_names_url_host(void **state)
{
	static const struct {
		const char	*url, *host;
	} cases[] = {
		{ "https://cti.ncsc.example:8443/", "cti.ncsc.example" },
		{ "https://10.1.2.3:8443/", "10.1.2.3" },
		{ "https://[2001:db8::1]:8443/", "2001:db8::1" },
	};
	struct node_init_opts	 o;
	struct tx_err		 err;
	char			 dir[256], path[300];
	X509			*crt;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		opts(&o, dir, sizeof(dir), "h", "host");
		o.url = cases[i].url;
		tx_err_clear(&err);
		if (node_init(NULL, &o, &err) != 0)
			fail_msg("%s: %s", cases[i].url, err.msg);
		snprintf(path, sizeof(path), "%s/keys/tls.crt", dir);
		crt = read_crt(path);
		if (strchr(cases[i].host, ':') != NULL ||
		    strspn(cases[i].host, "0123456789.") ==
		    strlen(cases[i].host))
			assert_int_equal(X509_check_ip_asc(crt, cases[i].host,
			    0), 1);
		else
			assert_int_equal(X509_check_host(crt, cases[i].host, 0,
			    0, NULL), 1);
		/* And still localhost, for the loopback demo and tests. */
		assert_int_equal(X509_check_host(crt, "localhost", 0, 0, NULL),
		    1);
		assert_int_equal(X509_check_host(crt, "other.example", 0, 0,
		    NULL), 0);
		X509_free(crt);
		teardown(NULL);
		assert_int_equal(mkdir(root, 0700), 0);
	}
	opts(&o, dir, sizeof(dir), "x", "x");
	o.url = "https://a,DNS:evil.example/";
	refused(&o, TX_EINVAL, "--url");
}

static void
test_pki_issue_named(void **state)
{
	static const char	*bad[] = { "../x", ".x", "a/b", "" };
	struct tx_err		 err;
	char			 ca[256];
	size_t			 i;

	(void)state;
	path_of(ca, sizeof(ca), "ca");
	assert_int_equal(pki_make_ca(ca, "test CA", &err), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tx_err_clear(&err);
		assert_int_equal(pki_issue_named(ca, bad[i],
		    "identity--00000000-0000-4000-8000-000000000001", &err),
		    TX_EINVAL);
	}
	assert_false(exists("x.key"));
	/* A ',' would add names to the certificate. */
	assert_int_equal(pki_issue_named(ca, "ops", "identity--x,DNS:evil."
	    "example", &err), TX_EINVAL);
	assert_false(exists("ca/ops.key"));
	assert_int_equal(pki_issue_named(ca, "ops",
	    "identity--00000000-0000-4000-8000-000000000001", &err), 0);
	assert_true(exists("ca/ops.key"));
	assert_true(exists("ca/ops.crt"));
	assert_int_equal(mode_of("ca/ops.key"), 0600);
	/* A key is never written over. */
	assert_true(pki_issue_named(ca, "ops",
	    "identity--00000000-0000-4000-8000-000000000001", &err) < 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test_setup_teardown(test_private_under_lax_umask,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_consistent, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_two_nodes_differ, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_hostile_options, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_existing_node, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_empty_existing_dir_taken,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_nonempty_dir_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_directory, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_foreign_dir_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_export_refuses, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ca_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cert_names_url_host,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_pki_issue_named, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
