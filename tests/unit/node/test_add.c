/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_add.c - authoring one value (node/add.h, DESIGN §5 and §7) on a
 * real node directory: the kinds `add` takes; the recipe's objects and
 * their order of reports; authoring twice gives `exists` and nothing new;
 * an actor is made once and then reused (a threat-actor with
 * individual); a value that does not normalise, AMBER+STRICT or RED
 * without recipients, and a recipient that is not a peer store nothing;
 * a recipient whose max_tlp is below the TLP is warned about and still
 * named in the recipients of threatex's property extension; the TLP defaults to the node's;
 * confidence and valid_until reach the indicator; a node opened without
 * its signing key authors nothing.
 */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "add.h"
#include "extdefs.h"
#include "fixture.h"
#include "init.h"
#include "merge.h"
#include "node.h"
#include "peer.h"
#include "store.h"
#include "store_versions.h"

#define NWALLETS	16
#define MAX_EV		32

static char	root[64], dir_us[128], dir_uk[128];
static char	wallets[NWALLETS][FX_ETH_ADDR_LEN + 1];
static size_t	nwallets;

/* What the report callback saw. */
struct ev {
	enum add_event	what;
	char		text[256];	/* peer, object id or value */
	char		status[32];	/* OBJECT: merge status name */
	enum tlp_level	peer_max_tlp, tlp;
};

static struct ev	evs[MAX_EV];
static int		nev;

static void
record(const struct add_report *r, void *arg)
{
	struct ev	*e;

	assert_true(nev < MAX_EV);
	e = &evs[nev++];
	memset(e, 0, sizeof(*e));
	e->what = r->what;
	e->tlp = r->tlp;
	switch (r->what) {
	case ADD_EV_RECIPIENT_TLP:
		snprintf(e->text, sizeof(e->text), "%s", r->peer);
		e->peer_max_tlp = r->peer_max_tlp;
		break;
	case ADD_EV_OBJECT:
		snprintf(e->text, sizeof(e->text), "%s", r->res->id);
		snprintf(e->status, sizeof(e->status), "%s",
		    merge_status_name(r->res->status));
		break;
	case ADD_EV_ADDED:
		snprintf(e->text, sizeof(e->text), "%s", r->norm->canonical);
		break;
	case ADD_EV_EXISTS:
		snprintf(e->text, sizeof(e->text), "%s", r->id);
		break;
	case ADD_EV_LINKED:	/* test_lifecycle's */
		snprintf(e->text, sizeof(e->text), "%s", r->actor);
		break;
	}
}

static const struct add_out	out = { record, NULL };

static void
make_node(const char *dir, const char *name, const char *listen)
{
	struct node_init_opts	o;
	struct tx_err		err;

	node_init_defaults(&o);
	o.dir = dir;
	o.name = name;
	o.listen = listen;
	tx_err_clear(&err);
	if (node_init(NULL, &o, &err) < 0)
		fail_msg("node_init %s: %s", name, err.msg);
}

static int
setup(void **state)
{
	struct node_peer_opts	 po;
	struct descriptor	 d;
	struct node		*n;
	struct tx_err		 err;
	uint8_t			*desc;
	size_t			 len;

	nwallets = fx_eth_addresses(TX_SHARED_DIR FX_FBI_ADDRESSES, wallets,
	    NWALLETS);
	assert_true(nwallets >= 8);
	snprintf(root, sizeof(root), "/tmp/tx-add-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(dir_us, sizeof(dir_us), "%s/us", root);
	snprintf(dir_uk, sizeof(dir_uk), "%s/uk", root);
	make_node(dir_us, "us-cert", "127.0.0.1:1");
	make_node(dir_uk, "uk-ncsc", "127.0.0.1:2");
	/* us-cert pins uk-ncsc (max_tlp amber, the default). */
	tx_err_clear(&err);
	assert_int_equal(node_identity_export(&desc, &len, &d, dir_uk, &err),
	    0);
	assert_int_equal(node_open(&n, dir_us, 0, &err), 0);
	node_peer_opts_init(&po);
	if (node_peer_add(n, desc, len, "uk.json", &po, NULL, NULL, &err) < 0)
		fail_msg("node_peer_add: %s", err.msg);
	node_close(n);
	free(desc);
	return 0;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int
teardown(void **state)
{
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static struct node *
open_us(int flags)
{
	struct node	*n;
	struct tx_err	 err;

	tx_err_clear(&err);
	if (node_open(&n, dir_us, flags, &err) < 0)
		fail_msg("node_open: %s", err.msg);
	return n;
}

static void
req_init(struct add_req *r, enum norm_kind kind, const char *value)
{
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->value = value;
	r->tlp = TLP_UNKNOWN;
	r->confidence = -1;
}

static int64_t
objects(struct node *n)
{
	int64_t	o, v, f, q;

	assert_int_equal(store_counts(n->st, &o, &v, &f, &q, NULL), 0);
	return o;
}

/* The current version of id, parsed. */
static json_t *
current(struct node *n, const char *id)
{
	json_t	*j;
	char	*s;

	assert_int_equal(store_get_current(n->st, &s, id, NULL), 0);
	assert_non_null(j = json_loads(s, 0, NULL));
	free(s);
	return j;
}

/* The id of the event whose id starts with prefix, or NULL. */
static const char *
ev_id(const char *prefix)
{
	int	i;

	for (i = 0; i < nev; i++)
		if (evs[i].what == ADD_EV_OBJECT &&
		    strncmp(evs[i].text, prefix, strlen(prefix)) == 0)
			return evs[i].text;
	return NULL;
}

static int
add(struct node *n, const struct add_req *r, struct tx_err *err)
{
	nev = 0;
	tx_err_clear(err);
	return add_value(n, r, &out, err);
}

static void
test_kind_names(void **state)
{
	static const struct {
		const char	*name;
		enum norm_kind	 kind;
	} ok[] = {
		{ "wallet", NORM_WALLET }, { "domain", NORM_DOMAIN },
		{ "email", NORM_EMAIL }, { "E-Mail", NORM_EMAIL },
		{ "alias", NORM_ALIAS }, { "ALIAS", NORM_ALIAS },
	};
	static const char	*bad[] = { "url", "ipv4", "ipv6", "auto", "",
	    "wallets", "bogus" };
	enum norm_kind		 k;
	size_t			 i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(add_kind_from_name(&k, ok[i].name), 0);
		assert_int_equal(k, ok[i].kind);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(add_kind_from_name(&k, bad[i]), TX_EINVAL);
		assert_int_equal(k, NORM_UNKNOWN);
	}
	assert_int_equal(add_kind_from_name(&k, NULL), TX_EINVAL);
}

static void
test_wallet_then_exists(void **state)
{
	struct node	*n = open_us(NODE_OPEN_SIGNING);
	struct add_req	 r;
	struct tx_err	 err;
	const char	*ind;
	char		 ind_id[128], mixed[FX_ETH_ADDR_LEN + 1];
	int64_t		 before;
	json_t		*j;
	size_t		 i;

	/* The same address in upper case: normalised to lower case. */
	snprintf(mixed, sizeof(mixed), "0x%s", wallets[0] + 2);
	for (i = 2; mixed[i] != '\0'; i++)
		if (mixed[i] >= 'a' && mixed[i] <= 'f')
			mixed[i] -= 'a' - 'A';
	before = objects(n);
	req_init(&r, NORM_WALLET, mixed);
	assert_int_equal(add(n, &r, &err), 0);
	/* SCO, indicator, based-on: each new; then the value. */
	assert_int_equal(nev, 4);
	for (i = 0; i < 3; i++) {
		assert_int_equal(evs[i].what, ADD_EV_OBJECT);
		assert_string_equal(evs[i].status, "new");
	}
	assert_true(strncmp(evs[0].text, "cryptocurrency-wallet--", 23) == 0);
	assert_true(strncmp(evs[1].text, "indicator--", 11) == 0);
	assert_true(strncmp(evs[2].text, "relationship--", 14) == 0);
	assert_int_equal(evs[3].what, ADD_EV_ADDED);
	assert_string_equal(evs[3].text, wallets[0]);
	assert_int_equal(objects(n), before + 3);

	/* The node's default TLP (amber) and no confidence. */
	assert_non_null(ind = ev_id("indicator--"));
	snprintf(ind_id, sizeof(ind_id), "%s", ind);
	j = current(n, ind_id);
	assert_string_equal(json_string_value(json_array_get(json_object_get(j,
	    "object_marking_refs"), 0)), tlp_marking_id(TLP_AMBER));
	assert_null(json_object_get(j, "confidence"));
	assert_null(json_object_get(j, "valid_until"));
	assert_null(json_object_get(j, "x_threatex_recipients"));
	json_decref(j);

	/* Again, in lower case: it exists, nothing is authored. */
	req_init(&r, NORM_WALLET, wallets[0]);
	assert_int_equal(add(n, &r, &err), 0);
	assert_int_equal(nev, 1);
	assert_int_equal(evs[0].what, ADD_EV_EXISTS);
	assert_string_equal(evs[0].text, ind_id);
	assert_int_equal(objects(n), before + 3);
	node_close(n);
}

static void
test_actor_once(void **state)
{
	struct node	*n = open_us(NODE_OPEN_SIGNING);
	struct add_req	 r;
	struct tx_err	 err;
	const char	*set;
	char		 set_id[128];
	json_t		*j;
	int		 i, indicates = 0;

	req_init(&r, NORM_WALLET, wallets[1]);
	r.actor = "Lazarus Group";
	assert_int_equal(add(n, &r, &err), 0);
	assert_int_equal(nev, 6);	/* 5 objects and the value */
	assert_non_null(set = ev_id("intrusion-set--"));
	snprintf(set_id, sizeof(set_id), "%s", set);
	j = current(n, set_id);
	assert_string_equal(json_string_value(json_object_get(j, "name")),
	    "Lazarus Group");
	json_decref(j);

	/* The next value links to the same intrusion-set. */
	req_init(&r, NORM_DOMAIN, "inditechlab.com");
	r.actor = "lazarus  group";	/* same alias match key */
	assert_int_equal(add(n, &r, &err), 0);
	assert_int_equal(nev, 5);	/* no new intrusion-set */
	assert_null(ev_id("intrusion-set--"));
	for (i = 0; i < nev; i++) {
		if (evs[i].what != ADD_EV_OBJECT ||
		    strncmp(evs[i].text, "relationship--", 14) != 0)
			continue;
		j = current(n, evs[i].text);
		if (strcmp(json_string_value(json_object_get(j,
		    "relationship_type")), "indicates") == 0) {
			indicates++;
			assert_string_equal(json_string_value(
			    json_object_get(j, "target_ref")), set_id);
		}
		json_decref(j);
	}
	assert_int_equal(indicates, 1);

	/* An individual: a threat-actor, not the intrusion-set. */
	req_init(&r, NORM_EMAIL, "Recruiter@Hiring-Desk.example");
	r.actor = "Park Jin Hyok";
	r.individual = 1;
	assert_int_equal(add(n, &r, &err), 0);
	assert_non_null(ev_id("threat-actor--"));
	assert_null(ev_id("intrusion-set--"));
	assert_int_equal(evs[nev - 1].what, ADD_EV_ADDED);
	assert_string_equal(evs[nev - 1].text, "Recruiter@hiring-desk.example");
	node_close(n);
}

static void
test_refused_value(void **state)
{
	struct node	*n = open_us(NODE_OPEN_SIGNING);
	struct add_req	 r;
	struct tx_err	 err;
	char		 bad[FX_ETH_ADDR_LEN + 1];
	int64_t		 before = objects(n);

	/* A non-hex character. */
	snprintf(bad, sizeof(bad), "%s", wallets[2]);
	bad[FX_ETH_ADDR_LEN - 1] = 'Z';
	req_init(&r, NORM_WALLET, bad);
	assert_int_equal(add(n, &r, &err), TX_EINVAL);
	assert_int_equal(err.code, TX_EINVAL);
	assert_int_equal(nev, 0);

	/* A mixed-case address whose EIP-55 checksum is wrong. */
	req_init(&r, NORM_WALLET,
	    "0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135d");
	assert_int_equal(add(n, &r, &err), TX_EINVAL);
	assert_non_null(strstr(err.msg, "EIP-55"));
	assert_int_equal(nev, 0);

	/* An e-mail without '@'; an actor name that is no alias. */
	req_init(&r, NORM_EMAIL, "not an address");
	assert_int_equal(add(n, &r, &err), TX_EINVAL);
	req_init(&r, NORM_DOMAIN, "refused-actor.example");
	r.actor = "";
	assert_int_equal(add(n, &r, &err), TX_EINVAL);
	assert_non_null(strstr(err.where, "actor"));

	/* A kind add does not author, and no value. */
	req_init(&r, NORM_URL, "https://example.com/");
	assert_int_equal(add(n, &r, &err), TX_EINVAL);
	req_init(&r, NORM_WALLET, NULL);
	assert_int_equal(add(n, &r, &err), TX_EINVAL);

	assert_int_equal(nev, 0);
	assert_int_equal(objects(n), before);
	node_close(n);
}

static void
test_recipients(void **state)
{
	struct node	*n = open_us(NODE_OPEN_SIGNING);
	struct add_req	 r;
	struct tx_err	 err;
	const char	*to_uk[] = { "uk-ncsc" };
	const char	*to_bad[] = { "uk-ncsc", "ghost" };
	const char	*ind;
	int64_t		 before = objects(n);
	json_t		*j, *rcp;
	int		 i;

	/* RED and AMBER+STRICT need recipients: nothing is done. */
	req_init(&r, NORM_WALLET, wallets[3]);
	r.tlp = TLP_RED;
	assert_int_equal(add(n, &r, &err), TX_EPOLICY);
	assert_int_equal(nev, 0);
	r.tlp = TLP_AMBER_STRICT;
	assert_int_equal(add(n, &r, &err), TX_EPOLICY);

	/* A recipient that is not a peer, named in err->where. */
	r.tlp = TLP_RED;
	r.to = to_bad;
	r.nto = 2;
	assert_int_equal(add(n, &r, &err), TX_ENOTFOUND);
	assert_string_equal(err.where, "ghost");
	assert_int_equal(objects(n), before);

	/* uk-ncsc's max_tlp (amber) is below RED: warned, still named. */
	r.to = to_uk;
	r.nto = 1;
	assert_int_equal(add(n, &r, &err), 0);
	assert_int_equal(evs[0].what, ADD_EV_RECIPIENT_TLP);
	assert_string_equal(evs[0].text, "uk-ncsc");
	assert_int_equal(evs[0].peer_max_tlp, TLP_AMBER);
	assert_int_equal(evs[0].tlp, TLP_RED);
	for (i = 1; i < nev; i++)
		assert_int_not_equal(evs[i].what, ADD_EV_RECIPIENT_TLP);
	assert_int_equal(evs[nev - 1].what, ADD_EV_ADDED);
	assert_int_equal(objects(n), before + 3);
	assert_non_null(ind = ev_id("indicator--"));
	j = current(n, ind);
	assert_string_equal(json_string_value(json_array_get(json_object_get(j,
	    "object_marking_refs"), 0)), tlp_marking_id(TLP_RED));
	rcp = extdefs_prop(j, TX_PROP_RECIPIENTS);
	assert_int_equal(json_array_size(rcp), 1);
	assert_string_equal(json_string_value(json_array_get(rcp, 0)),
	    n->cfg.reg.peers[0].identity);
	json_decref(j);

	/* GREEN to uk-ncsc: within its max_tlp, no warning. */
	req_init(&r, NORM_DOMAIN, "green-recipient.example");
	r.tlp = TLP_GREEN;
	r.to = to_uk;
	r.nto = 1;
	assert_int_equal(add(n, &r, &err), 0);
	for (i = 0; i < nev; i++)
		assert_int_not_equal(evs[i].what, ADD_EV_RECIPIENT_TLP);
	node_close(n);
}

static void
test_confidence_validity(void **state)
{
	struct node	*n = open_us(NODE_OPEN_SIGNING);
	struct add_req	 r;
	struct tx_err	 err;
	json_t		*j;

	req_init(&r, NORM_ALIAS, "Jade Sleet");
	r.tlp = TLP_CLEAR;
	r.confidence = 85;
	r.valid_days = 30;
	assert_int_equal(add(n, &r, &err), 0);
	assert_string_equal(evs[nev - 1].text, "jade sleet");
	j = current(n, ev_id("indicator--"));
	assert_int_equal(json_integer_value(json_object_get(j, "confidence")),
	    85);
	assert_non_null(json_object_get(j, "valid_until"));
	assert_string_equal(json_string_value(json_array_get(json_object_get(j,
	    "object_marking_refs"), 0)), tlp_marking_id(TLP_CLEAR));
	assert_string_equal(json_string_value(json_object_get(j, "pattern")),
	    "[persona:persona_name = 'jade sleet']");
	json_decref(j);

	/* Confidence 0 is a confidence. */
	req_init(&r, NORM_DOMAIN, "zero-confidence.example");
	r.confidence = 0;
	assert_int_equal(add(n, &r, &err), 0);
	j = current(n, ev_id("indicator--"));
	assert_non_null(json_object_get(j, "confidence"));
	assert_int_equal(json_integer_value(json_object_get(j, "confidence")),
	    0);
	json_decref(j);
	node_close(n);
}

static void
test_without_signing_key(void **state)
{
	struct node	*n = open_us(0);
	struct add_req	 r;
	struct tx_err	 err;
	int64_t		 before = objects(n);

	req_init(&r, NORM_WALLET, wallets[4]);
	assert_true(add(n, &r, &err) < 0);
	assert_int_equal(objects(n), before);
	assert_int_equal(nev, 0);

	/* A NULL report is allowed. */
	node_close(n);
	n = open_us(NODE_OPEN_SIGNING);
	tx_err_clear(&err);
	assert_int_equal(add_value(n, &r, NULL, &err), 0);
	assert_int_equal(objects(n), before + 3);
	node_close(n);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_wallet_then_exists),
		cmocka_unit_test(test_actor_once),
		cmocka_unit_test(test_refused_value),
		cmocka_unit_test(test_recipients),
		cmocka_unit_test(test_confidence_validity),
		cmocka_unit_test(test_without_signing_key),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
