/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_tls_map.c - who is behind a client certificate (DESIGN §3,
 * node/server_tls.c srv_tls_peer_of_cert): a member pinned by its SPKI
 * (nothing else of the certificate counts), a CA-mode member whose CA
 * verifies the certificate and whose identity id it names as SAN URI, an
 * operator named in node.conf, and everyone else: nobody.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pki.h"
#include "server_int.h"

#define ID_ALICE	"identity--00000000-0000-4000-8000-00000000000a"
#define ID_BOB		"identity--00000000-0000-4000-8000-00000000000b"
#define ID_CAROL	"identity--00000000-0000-4000-8000-00000000000c"

struct fx {
	char		 dir[64];
	char		 ca[128];
	struct node_cfg	*cfg;
	X509		*alice;		/* self-signed, pinned */
	X509		*bob;		/* issued by the CA, CA-mode member */
	X509		*carol;		/* issued by the CA, no member */
	X509		*bob_self;	/* self-signed, claims bob's identity */
	X509		*op;		/* self-signed, an operator's pin */
	X509		*stranger;	/* self-signed, nobody's */
};

static X509 *
issue(struct fx *f, const char *name, const char *uri, int by_ca)
{
	char		 key[160], crt[160];
	struct tx_err	 err;
	X509		*x;
	FILE		*fp;

	snprintf(key, sizeof(key), "%s/%s.key", f->dir, name);
	snprintf(crt, sizeof(crt), "%s/%s.crt", f->dir, name);
	if (pki_issue(key, crt, name, uri, by_ca ? f->ca : NULL, &err) < 0)
		fail_msg("pki_issue %s: %s", name, err.msg);
	fp = fopen(crt, "r");
	assert_non_null(fp);
	x = PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	assert_non_null(x);
	return x;
}

static void
pin_of(char pin[SPKI_PIN_HEX], X509 *x)
{
	assert_int_equal(spki_pin_of_x509(pin, x), 0);
}

static int
setup(void **state)
{
	struct fx	*f = calloc(1, sizeof(*f));
	struct tx_err	 err;
	struct cfg_peer	*p;

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/tx-tlsmap-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->ca, sizeof(f->ca), "%s/ca", f->dir);
	if (pki_make_ca(f->ca, "test federation", &err) < 0)
		fail_msg("pki_make_ca: %s", err.msg);
	f->alice = issue(f, "alice", ID_ALICE, 0);
	f->bob = issue(f, "bob", ID_BOB, 1);
	f->carol = issue(f, "carol", ID_CAROL, 1);
	f->bob_self = issue(f, "bobself", ID_BOB, 0);
	f->op = issue(f, "op", ID_CAROL, 0);
	f->stranger = issue(f, "stranger", ID_ALICE, 0);

	f->cfg = calloc(1, sizeof(*f->cfg));
	assert_non_null(f->cfg);
	cfg_defaults(f->cfg);
	assert_non_null(registry_entry(&f->cfg->reg, "alice"));
	assert_non_null(registry_entry(&f->cfg->reg, "bob"));
	p = &f->cfg->reg.peers[0];
	snprintf(p->identity, sizeof(p->identity), "%s", ID_ALICE);
	pin_of(p->pin, f->alice);
	p = &f->cfg->reg.peers[1];
	snprintf(p->identity, sizeof(p->identity), "%s", ID_BOB);
	snprintf(p->ca, sizeof(p->ca), "%s/ca.crt", f->ca);
	registry_index(&f->cfg->reg);
	pin_of(f->cfg->operators[0], f->op);
	f->cfg->nops = 1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	static const char	*files[] = {
		"alice.key", "alice.crt", "bob.key", "bob.crt", "carol.key",
		"carol.crt", "bobself.key", "bobself.crt", "op.key", "op.crt",
		"stranger.key", "stranger.crt", "ca/ca.key", "ca/ca.crt",
	};
	struct fx		*f = *state;
	char			 path[200];
	size_t			 i;

	X509_free(f->alice);
	X509_free(f->bob);
	X509_free(f->carol);
	X509_free(f->bob_self);
	X509_free(f->op);
	X509_free(f->stranger);
	cfg_free(f->cfg);
	free(f->cfg);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", f->dir, files[i]);
		unlink(path);
	}
	rmdir(f->ca);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* What srv_tls_peer_of_cert makes of x: the peer, *op, and the pin. */
static struct cfg_peer *
map(struct fx *f, X509 *x, int *op, char pin[SPKI_PIN_HEX])
{
	return srv_tls_peer_of_cert(f->cfg, x, NULL, pin, op);
}

/* A pinned member: its key, whatever else the certificate says. */
static void
test_pinned(void **state)
{
	struct fx	*f = *state;
	char		 pin[SPKI_PIN_HEX], want[SPKI_PIN_HEX];
	int		 op = -1;

	assert_ptr_equal(map(f, f->alice, &op, pin), &f->cfg->reg.peers[0]);
	assert_int_equal(op, 0);
	pin_of(want, f->alice);
	assert_string_equal(pin, want);
	/* Another certificate naming alice's identity is not alice. */
	assert_null(map(f, f->stranger, &op, pin));
	assert_int_equal(op, 0);
	/* Pins are mapped again on every call: a changed pin applies. */
	f->cfg->reg.peers[0].pin[0] = f->cfg->reg.peers[0].pin[0] == '0' ? '1' : '0';
	assert_null(map(f, f->alice, &op, pin));
}

/* A CA-mode member: the CA verifies it and it names the identity. */
static void
test_ca_mode(void **state)
{
	struct fx	*f = *state;
	char		 pin[SPKI_PIN_HEX];
	int		 op = -1;

	assert_ptr_equal(map(f, f->bob, &op, pin), &f->cfg->reg.peers[1]);
	assert_int_equal(op, 0);
	assert_int_equal(strlen(pin), SPKI_PIN_HEX - 1);
	/* Issued by the CA, but naming no member's identity: nobody. */
	assert_null(map(f, f->carol, &op, pin));
	assert_int_equal(op, 0);
	/* Naming bob's identity without the CA's signature: nobody. */
	assert_null(map(f, f->bob_self, &op, pin));
	/* An identity-only member is never a caller. */
	f->cfg->reg.peers[1].identity_only = 1;
	assert_null(map(f, f->bob, &op, pin));
	f->cfg->reg.peers[1].identity_only = 0;
	/* A member without a CA is pinned only. */
	f->cfg->reg.peers[1].ca[0] = '\0';
	assert_null(map(f, f->bob, &op, pin));
}

/* Operators are no members: NULL, with *op set. */
static void
test_operator(void **state)
{
	struct fx	*f = *state;
	char		 pin[SPKI_PIN_HEX];
	int		 op = 0;

	assert_null(map(f, f->op, &op, pin));
	assert_int_equal(op, 1);
	assert_string_equal(pin, f->cfg->operators[0]);
	f->cfg->nops = 0;
	assert_null(map(f, f->op, &op, pin));
	assert_int_equal(op, 0);
}

static void
test_nobody(void **state)
{
	struct fx	*f = *state;
	char		 pin[SPKI_PIN_HEX];
	int		 op = -1;

	memset(pin, 'x', sizeof(pin));
	assert_null(map(f, NULL, &op, pin));
	assert_int_equal(op, 0);
	assert_string_equal(pin, "");
	assert_null(map(f, f->stranger, &op, pin));
	assert_int_equal(op, 0);
	assert_int_equal(strlen(pin), SPKI_PIN_HEX - 1);
	/* An empty roster knows nobody. */
	f->cfg->reg.npeers = 0;
	assert_null(map(f, f->alice, &op, pin));
	assert_null(map(f, f->bob, &op, pin));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pinned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ca_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_operator, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_nobody, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
