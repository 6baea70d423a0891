/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fixture.h - fixed test material shared by unit tests and benchmarks:
 * Ed25519 keys from fixed seeds, the FBI's Bybit laundering addresses,
 * and the wallet indicator the signature vectors are built from.
 */
#ifndef TX_FIXTURE_H
#define TX_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct sig_key;
struct store;
struct node;
struct tx_err;

/* A store in a new temporary directory: its path (for direct SQL). */
struct fx_store {
	char		 dir[64];
	char		 path[128];
	struct store	*st;
};

/* Open fx on a new store in a fresh /tmp directory; 0 or -1. */
int		 fx_store_open(struct fx_store *fx);
/* Close the store and remove the directory with its files. */
void		 fx_store_close(struct fx_store *fx);

/*
 * cmocka set-up and tear-down for tests of one store: fx_store_open on
 * fx_cur before each test (*state is its store), fx_store_close after.
 */
extern struct fx_store	 fx_cur;
int		 fx_store_setup(void **state);
int		 fx_store_teardown(void **state);
/* A cmocka test t run between them. */
#define FX_STORE_TEST(t) \
	cmocka_unit_test_setup_teardown(t, fx_store_setup, fx_store_teardown)

/*
 * Run q (one or more statements) on the SQLite file at path over a
 * connection of its own, as a damaged or hostile environment would; the
 * store re-prepares its cached statements after a schema change. 0, or -1
 * with SQLite's message in why.
 */
int		 fx_sql(const char *path, const char *q, char *why,
		    size_t whylen);
/* fx_sql in a cmocka test: the test fails with SQLite's message. */
#define FX_SQL_OK(path, q) do {						\
	char	fx_why_[256];						\
									\
	if (fx_sql((path), (q), fx_why_, sizeof(fx_why_)) != 0)		\
		fail_msg("%s: %s", (q), fx_why_);			\
} while (0)
/*
 * The integer in the first column of q's first row on path, over a
 * connection of its own; LLONG_MIN (and why on stderr) if there is none.
 */
long long	 fx_sql_int(const char *path, const char *q);

#define FX_ETH_ADDR_LEN		42
#define FX_FBI_ADDRESSES	"/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv"
#define FX_SIGNER		"identity--8c1f3e8e-4a7c-4f6b-9a59-2f1d7b0c6e21"

/* The Ed25519 key with this 32-byte seed, or NULL. */
struct sig_key	*fx_key_from_seed(const uint8_t seed[32]);

/*
 * The address_lower column (second) of the FBI list at csv, in file
 * order, at most max rows; rows without a 42-character value there are
 * skipped. Returns how many were stored (0 when csv cannot be read).
 */
size_t		 fx_eth_addresses(const char *csv,
		    char (*out)[FX_ETH_ADDR_LEN + 1], size_t max);

/*
 * Wallet indicator number i for addr, created by signer: fixed times,
 * TLP:AMBER, the FBI IC3 reference. The same i, addr and signer give the
 * same object (the protocol vectors depend on it). NULL when out of memory.
 */
json_t		*fx_wallet_indicator(size_t i, const char *addr,
		    const char *signer);

/*
 * An unsigned domain indicator with id for domain, created, modified and
 * valid from 2025-03-01, then created_by_ref creator and
 * object_marking_refs [marking] (in that order), each left out when NULL.
 * NULL when out of memory; the caller owns it.
 */
json_t		*fx_indicator(const char *id, const char *creator,
		    const char *domain, const char *marking);

/*
 * Node directories for tests of two or more nodes: fx_node_make makes one
 * as `threatex init` does (node_init: keys, self-signed certificate,
 * node.conf, self.json, the signed identity object) listening nowhere
 * (127.0.0.1:1); fx_node_know puts from's descriptor into to's peers/ as
 * NAME.json, so that to verifies from's signatures once it opens. Both 0,
 * or -1 with err (may be NULL) saying why.
 */
int		 fx_node_make(const char *dir, const char *name,
		    struct tx_err *err);
int		 fx_node_know(const char *to, const char *from,
		    const char *name, struct tx_err *err);

/* Remove the directory tree at root (tests' own temporary trees). */
void		 fx_rmtree(const char *root);

/*
 * A node in memory over fx's new store (fx_store_open), with no files of
 * its own: named name with identity id, signing with the key of seed,
 * batches of batch objects, its roster holding itself. fx_node_member
 * adds a member whose signing key is that of seed (next-key commitment
 * 0x5a bytes). fx_node_mem_free releases the node and closes fx. NULL or
 * -1 with err on failure.
 */
struct node	*fx_node_mem(struct fx_store *fx, const char *name,
		    const char *id, const uint8_t seed[32], int batch,
		    struct tx_err *err);
int		 fx_node_member(struct node *n, const char *name,
		    const char *id, const uint8_t seed[32], int self,
		    struct tx_err *err);
void		 fx_node_mem_free(struct node *n, struct fx_store *fx);

/*
 * Hand o to n as the peer named peer (identity peer_id; "" and NULL for
 * this node itself) would deliver it, through merge_object in a
 * transaction of its own: 0 with *res the merge's result, or -1 with err
 * (nothing kept).
 */
struct merge_result;
int		 fx_deliver(struct node *n, json_t *o, const char *peer,
		    const char *peer_id, struct merge_result *res,
		    struct tx_err *err);

#endif
