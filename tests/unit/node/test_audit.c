/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_audit.c - the hash-chained audit log and its seals (DESIGN §6),
 * node/audit.h over the rows of node/store_audit.c. The chain: the hash
 * of an entry is pinned by a known answer; appends chain; a verify walks
 * all of it and names the first entry that no longer holds whichever
 * column of whichever row is rewritten behind the store's back (direct
 * SQL, as an intruder with the file would); a chain rewritten whole or
 * cut back still chains, and only a seal made earlier detects it. Seals:
 * signed by the node's key, checked against the roster and the chain,
 * written to seals/ and read back with caps. A store error is an error,
 * never an empty chain.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "audit.h"
#include "batch.h"
#include "fixture.h"
#include "hash.h"
#include "node.h"
#include "roster.h"
#include "sig.h"
#include "store.h"

#define T0	1740139200000000LL	/* 2025-02-21T12:00:00Z */

static const uint8_t	seed_us[32] = { 0x11, 0x22, 0x33 };
static const uint8_t	seed_other[32] = { 0x77, 0x66, 0x55 };

static struct fx_store	 fx;
static struct node	*n;	/* on fx's store, not on a node directory */

/* A node as audit_seal needs it: fx's store, a key, a roster of one. */
static int
setup(void **state)
{
	uint8_t	pub[SIG_PUB_LEN], next[TX_SHA256_LEN];

	(void)state;
	assert_int_equal(fx_store_open(&fx), 0);
	assert_non_null(n = calloc(1, sizeof(*n)));
	cfg_defaults(&n->cfg);
	snprintf(n->cfg.dir, sizeof(n->cfg.dir), "%s", fx.dir);
	snprintf(n->cfg.name, sizeof(n->cfg.name), "us-cert");
	snprintf(n->cfg.identity, sizeof(n->cfg.identity), "%s", FX_SIGNER);
	n->st = fx.st;
	assert_non_null(n->signing = fx_key_from_seed(seed_us));
	roster_init(&n->roster);
	sig_key_public(n->signing, pub);
	memset(next, 0x5a, sizeof(next));
	assert_int_equal(roster_add(&n->roster, "us-cert", FX_SIGNER, pub,
	    sizeof(pub), next, 1, NULL), 0);
	return 0;
}

/* Remove seals/ with what the tests wrote into it. */
static void
rm_seals(void)
{
	struct dirent	*de;
	DIR		*d;
	char		 path[512];

	snprintf(path, sizeof(path), "%s/seals", fx.dir);
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/seals/%s", fx.dir,
		    de->d_name);
		unlink(path);
	}
	closedir(d);
	snprintf(path, sizeof(path), "%s/seals", fx.dir);
	assert_int_equal(rmdir(path), 0);
}

static int
teardown(void **state)
{
	(void)state;
	rm_seals();
	roster_dispose(&n->roster);
	sig_key_free(n->signing);
	free(n);
	n = NULL;
	fx_store_close(&fx);
	return 0;
}

/* Run SQL on the store's file through a connection of the test's own. */
#define sql(q)	FX_SQL_OK(fx.path, q)

/* Append entries i = 1..count: event "ev-i", detail "detail i". */
static void
append_n(int from, int count)
{
	char	ev[32], de[32];
	int	i;

	for (i = from; i < from + count; i++) {
		snprintf(ev, sizeof(ev), "ev-%d", i);
		snprintf(de, sizeof(de), "detail %d", i);
		assert_int_equal(audit_append_at(fx.st, T0 + i, ev, de, NULL),
		    0);
	}
}

/* The head as the chain arithmetic says it must be after entries 1..k. */
static void
expected_head(char out[AUDIT_HASH_HEX], int k)
{
	char	ev[32], de[32], prev[AUDIT_HASH_HEX];
	int	i;

	snprintf(out, AUDIT_HASH_HEX, "%s", AUDIT_GENESIS);
	for (i = 1; i <= k; i++) {
		snprintf(ev, sizeof(ev), "ev-%d", i);
		snprintf(de, sizeof(de), "detail %d", i);
		memcpy(prev, out, AUDIT_HASH_HEX);
		assert_int_equal(audit_entry_hash(out, prev, T0 + i, ev, de),
		    0);
	}
}

/* Verify fails naming entry broken, describing the entries before it. */
static void
expect_broken(int64_t broken, int64_t entries)
{
	struct audit_head	h;
	struct tx_err		err;
	char			want[64];

	tx_err_clear(&err);
	assert_int_equal(audit_verify(fx.st, &h, &err), TX_EAUTH);
	snprintf(want, sizeof(want), "audit entry %lld: hash chain broken",
	    (long long)broken);
	if (strcmp(err.msg, want) != 0)
		fail_msg("'%s', not '%s'", err.msg, want);
	assert_int_equal(h.entries, entries);
}

static void
test_entry_hash(void **state)
{
	char	h[AUDIT_HASH_HEX], h2[AUDIT_HASH_HEX], big[300];

	(void)state;
	/* SHA-256("genesis|1740139200000000|peer-add" NUL "uk-ncsc"): the
	 * format of every chain already stored. */
	assert_int_equal(audit_entry_hash(h, "genesis", T0, "peer-add",
	    "uk-ncsc"), 0);
	assert_string_equal(h, "eaf7fb14c2399950ac00cc5912f276f03ab06d005c0c"
	    "01f3228ff8f0c53ddc1d");
	/* Every field counts, and the NUL keeps event and detail apart. */
	assert_int_equal(audit_entry_hash(h2, "genesis", T0 + 1, "peer-add",
	    "uk-ncsc"), 0);
	assert_string_not_equal(h, h2);
	assert_int_equal(audit_entry_hash(h2, h, T0, "peer-add", "uk-ncsc"),
	    0);
	assert_string_not_equal(h, h2);
	assert_int_equal(audit_entry_hash(h2, "genesis", T0, "peer-ad",
	    "duk-ncsc"), 0);
	assert_string_not_equal(h, h2);
	assert_int_equal(audit_entry_hash(h2, "genesis", T0, "peer-add",
	    "uk-ncsC"), 0);
	assert_string_not_equal(h, h2);
	/* An event longer than any entry may carry is refused, not cut. */
	memset(big, 'e', sizeof(big));
	big[AUDIT_EVENT_MAX] = '\0';
	assert_int_equal(audit_entry_hash(h2, h, T0, big, ""), 0);
	big[AUDIT_EVENT_MAX] = 'e';
	big[AUDIT_EVENT_MAX + 1] = '\0';
	assert_int_equal(audit_entry_hash(h2, h, T0, big, ""), TX_EINVAL);
	assert_int_equal(audit_append(fx.st, big, "x", NULL), TX_EINVAL);
	/* So is a prev that is no hash. */
	memset(big, 'a', 65);
	big[65] = '\0';
	assert_int_equal(audit_entry_hash(h2, big, T0, "e", ""), TX_EINVAL);
}

static int
count_cb(const struct audit_entry *e, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static void
test_empty_chain(void **state)
{
	struct audit_head	h;
	json_t			*seal;
	int			 calls = 0;

	(void)state;
	assert_int_equal(audit_verify(fx.st, &h, NULL), 0);
	assert_int_equal(h.entries, 0);
	assert_string_equal(h.hash, AUDIT_GENESIS);
	assert_int_equal(audit_list(fx.st, 0, count_cb, &calls, NULL), 0);
	assert_int_equal(calls, 0);
	/* A seal of the empty log holds "genesis", now and later. */
	assert_int_equal(audit_seal_new(&seal, &h, FX_SIGNER, n->signing, T0,
	    NULL), 0);
	assert_int_equal(audit_seal_check(fx.st, &n->roster, seal, NULL), 0);
	append_n(1, 3);
	assert_int_equal(audit_seal_check(fx.st, &n->roster, seal, NULL), 0);
	json_decref(seal);
}

struct seen {
	int	n;
	int64_t	seq[16];
	char	detail[16][32];
	int	stop_after;
};

static int
seen_cb(const struct audit_entry *e, void *arg)
{
	struct seen	*s = arg;

	assert_true(s->n < 16);
	s->seq[s->n] = e->seq;
	snprintf(s->detail[s->n], sizeof(s->detail[0]), "%s", e->detail);
	assert_int_equal(strlen(e->hash), 64);
	s->n++;
	return s->stop_after && s->n == s->stop_after ? TX_ELIMIT : 0;
}

static void
test_append_verify_list(void **state)
{
	struct audit_head	h;
	struct seen		s;
	char			want[AUDIT_HASH_HEX];

	(void)state;
	append_n(1, 5);
	assert_int_equal(audit_verify(fx.st, &h, NULL), 0);
	assert_int_equal(h.entries, 5);
	expected_head(want, 5);
	assert_string_equal(h.hash, want);

	/* The last two, oldest first. */
	memset(&s, 0, sizeof(s));
	assert_int_equal(audit_list(fx.st, 2, seen_cb, &s, NULL), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.seq[0], 4);
	assert_int_equal(s.seq[1], 5);
	assert_string_equal(s.detail[1], "detail 5");
	/* All of them. */
	memset(&s, 0, sizeof(s));
	assert_int_equal(audit_list(fx.st, 0, seen_cb, &s, NULL), 0);
	assert_int_equal(s.n, 5);
	assert_int_equal(s.seq[0], 1);
	/* The callback stops the listing with its own code. */
	memset(&s, 0, sizeof(s));
	s.stop_after = 2;
	assert_int_equal(audit_list(fx.st, 0, seen_cb, &s, NULL), TX_ELIMIT);
	assert_int_equal(s.n, 2);

	/* Details are kept as given (escaping is the printer's). */
	assert_int_equal(audit_append(fx.st, "refused", "a\tb\nc\x1b[2J",
	    NULL), 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(audit_list(fx.st, 1, seen_cb, &s, NULL), 0);
	assert_string_equal(s.detail[0], "a\tb\nc\x1b[2J");
	assert_int_equal(audit_verify(fx.st, &h, NULL), 0);
	assert_int_equal(h.entries, 6);
}

/*
 * Each column of entry 3 rewritten behind the store's back: verify names
 * entry 3 (or, when only prev is left alone and the row's own hash is
 * recomputed, entry 4, whose prev no longer matches).
 */
static void
test_tamper_names_entry(void **state)
{
	static const struct {
		const char	*sql;
		int		 broken, before;
	} cases[] = {
		{ "UPDATE audit SET detail='nothing' WHERE seq=3", 3, 2 },
		{ "UPDATE audit SET event='peer-add' WHERE seq=3", 3, 2 },
		{ "UPDATE audit SET ts=ts+1 WHERE seq=3", 3, 2 },
		{ "UPDATE audit SET prev=(SELECT hash FROM audit WHERE seq=1)"
		    " WHERE seq=3", 3, 2 },
		{ "UPDATE audit SET hash=(SELECT hash FROM audit WHERE seq=1)"
		    " WHERE seq=3", 3, 2 },
		{ "DELETE FROM audit WHERE seq=3", 4, 2 },
		{ "DELETE FROM audit WHERE seq=1", 2, 0 },
		{ "UPDATE audit SET seq=9 WHERE seq=5", 9, 4 },
		{ "INSERT INTO audit(seq, ts, event, detail, prev, hash)"
		    " SELECT 6, ts, event, detail, prev, hash FROM audit"
		    " WHERE seq=5", 6, 5 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sql("DELETE FROM audit");
		append_n(1, 5);
		sql(cases[i].sql);
		expect_broken(cases[i].broken, cases[i].before);
	}
}

/* Entry 3 rewritten with its own hash recomputed: entry 4 breaks. */
static void
test_tamper_recomputed_row(void **state)
{
	char	prev[AUDIT_HASH_HEX], h[AUDIT_HASH_HEX], q[512];

	(void)state;
	append_n(1, 5);
	expected_head(prev, 2);
	assert_int_equal(audit_entry_hash(h, prev, T0 + 3, "ev-3",
	    "nothing to see"), 0);
	snprintf(q, sizeof(q), "UPDATE audit SET detail='nothing to see', "
	    "hash='%s' WHERE seq=3", h);
	sql(q);
	expect_broken(4, 3);
}

/*
 * Rewrite entry k and recompute every hash after it, as an intruder who
 * knows the format would: the chain holds again.
 */
static void
rewrite_from(int k, int last)
{
	char	prev[AUDIT_HASH_HEX], h[AUDIT_HASH_HEX], q[512];
	char	ev[32], de[32];
	int	i;

	expected_head(prev, k - 1);
	for (i = k; i <= last; i++) {
		snprintf(ev, sizeof(ev), "ev-%d", i);
		snprintf(de, sizeof(de), i == k ? "forged" : "detail %d", i);
		assert_int_equal(audit_entry_hash(h, prev, T0 + i, ev, de), 0);
		snprintf(q, sizeof(q), "UPDATE audit SET detail='%s', "
		    "prev='%s', hash='%s' WHERE seq=%d", de, prev, h, i);
		sql(q);
		memcpy(prev, h, sizeof(h));
	}
}

static void
test_seal_detects_rewrite_and_cut(void **state)
{
	struct audit_head	 h;
	struct tx_err		 err;
	json_t			*seal;

	(void)state;
	append_n(1, 4);
	assert_int_equal(audit_verify(fx.st, &h, NULL), 0);
	assert_int_equal(audit_seal_new(&seal, &h, FX_SIGNER, n->signing,
	    T0 + 100, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(seal, "type")),
	    AUDIT_SEAL_TYPE);
	assert_int_equal(json_integer_value(json_object_get(seal, "seq")), 4);
	assert_int_equal(audit_seal_check(fx.st, &n->roster, seal, NULL), 0);

	/* A longer chain still holds the sealed head. */
	append_n(5, 2);
	assert_int_equal(audit_seal_check(fx.st, &n->roster, seal, NULL), 0);

	/* Rewritten whole from entry 2: the chain alone cannot tell... */
	rewrite_from(2, 6);
	assert_int_equal(audit_verify(fx.st, &h, NULL), 0);
	assert_int_equal(h.entries, 6);
	/* ...the seal can. */
	tx_err_clear(&err);
	assert_int_equal(audit_seal_check(fx.st, &n->roster, seal, &err),
	    TX_EAUTH);
	assert_non_null(strstr(err.msg, "no longer holds the sealed head at "
	    "entry 4: rewritten"));

	/* Cut back below the sealed entry: still a chain, not the seal's. */
	sql("DELETE FROM audit");
	append_n(1, 6);
	assert_int_equal(audit_seal_check(fx.st, &n->roster, seal, NULL), 0);
	sql("DELETE FROM audit WHERE seq >= 4");
	assert_int_equal(audit_verify(fx.st, &h, NULL), 0);
	assert_int_equal(h.entries, 3);
	tx_err_clear(&err);
	assert_int_equal(audit_seal_check(fx.st, &n->roster, seal, &err),
	    TX_EAUTH);
	assert_non_null(strstr(err.msg, "at entry 4: rewritten"));
	json_decref(seal);
}

/* Sign obj as a seal with key for FX_SIGNER. */
static void
sign_seal(json_t *obj, const struct sig_key *key)
{
	struct batch_signer	s = { key, FX_SIGNER };

	assert_int_equal(batch_sign_statement(obj, AUDIT_SEAL_PURPOSE, &s, T0,
	    NULL), 0);
}

static void
expect_seal(json_t *seal, int code, const char *msg)
{
	struct tx_err	err;

	tx_err_clear(&err);
	assert_int_equal(audit_seal_check(fx.st, &n->roster, seal, &err),
	    code);
	if (strstr(err.msg, msg) == NULL)
		fail_msg("'%s' does not say '%s'", err.msg, msg);
	json_decref(seal);
}

static void
test_seal_refusals(void **state)
{
	struct audit_head	 h;
	struct sig_key		*other;
	json_t			*seal;

	(void)state;
	append_n(1, 3);
	assert_int_equal(audit_verify(fx.st, &h, NULL), 0);

	/* Changed after signing. */
	assert_int_equal(audit_seal_new(&seal, &h, FX_SIGNER, n->signing, T0,
	    NULL), 0);
	json_object_set_new(seal, "seq", json_integer(2));
	expect_seal(seal, TX_EAUTH, "seal signature invalid");

	/* Signed by a key the roster does not hold for that identity. */
	assert_non_null(other = fx_key_from_seed(seed_other));
	assert_int_equal(audit_seal_new(&seal, &h, FX_SIGNER, other, T0,
	    NULL), 0);
	expect_seal(seal, TX_EAUTH, "seal signature invalid");
	sig_key_free(other);

	/* Signed as another kind of statement. */
	seal = json_pack("{s:s, s:s, s:i, s:s}", "type", AUDIT_SEAL_TYPE,
	    "node", FX_SIGNER, "seq", 3, "head", h.hash);
	{
		struct batch_signer s = { n->signing, FX_SIGNER };

		assert_int_equal(batch_sign_statement(seal,
		    "threatex-rotation-v1", &s, T0, NULL), 0);
	}
	expect_seal(seal, TX_EAUTH, "seal signature invalid");

	/* Validly signed, but not a seal's content. */
	seal = json_pack("{s:s, s:s, s:s}", "type", AUDIT_SEAL_TYPE, "node",
	    FX_SIGNER, "head", h.hash);
	sign_seal(seal, n->signing);
	expect_seal(seal, TX_EINVAL, "seal without head or seq");
	seal = json_pack("{s:s, s:s, s:s, s:s}", "type", AUDIT_SEAL_TYPE,
	    "node", FX_SIGNER, "seq", "3", "head", h.hash);
	sign_seal(seal, n->signing);
	expect_seal(seal, TX_EINVAL, "seal without head or seq");
	seal = json_pack("{s:s, s:s, s:i, s:s}", "type", AUDIT_SEAL_TYPE,
	    "node", FX_SIGNER, "seq", -1, "head", h.hash);
	sign_seal(seal, n->signing);
	expect_seal(seal, TX_EINVAL, "seal without head or seq");
	seal = json_pack("{s:s, s:s, s:i, s:s}", "type", AUDIT_SEAL_TYPE,
	    "node", FX_SIGNER, "seq", 0, "head", h.hash);
	sign_seal(seal, n->signing);
	expect_seal(seal, TX_EAUTH, "seal of an empty log with a head");
	/* A head the chain never had at that entry. */
	seal = json_pack("{s:s, s:s, s:i, s:s}", "type", AUDIT_SEAL_TYPE,
	    "node", FX_SIGNER, "seq", 2, "head", h.hash);
	sign_seal(seal, n->signing);
	expect_seal(seal, TX_EAUTH, "at entry 2: rewritten");
}

static void
write_file(const char *path, const char *text)
{
	FILE	*f;

	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void
expect_file(const char *path, int code, const char *msg)
{
	struct tx_err	err;

	tx_err_clear(&err);
	assert_int_equal(audit_seal_check_file(n, path, &err), code);
	assert_string_equal(err.where, path);
	if (strstr(err.msg, msg) == NULL)
		fail_msg("'%s' does not say '%s'", err.msg, msg);
}

static void
test_seal_files(void **state)
{
	struct audit_sealed	 s, s2;
	struct stat		 sb;
	struct tx_err		 err;
	struct sig_key		*key;
	char			 want[AUDIT_PATH_MAX], path[AUDIT_PATH_MAX];
	char			 big[AUDIT_SEAL_FILE_MAX + 2];

	(void)state;
	append_n(1, 3);
	assert_int_equal(audit_seal(n, &s, NULL), 0);
	assert_int_equal(s.head.entries, 3);
	expected_head(want, 3);
	assert_string_equal(s.head.hash, want);
	snprintf(want, sizeof(want), "%s/seals/seal-3.json", fx.dir);
	assert_string_equal(s.path, want);
	assert_int_equal(stat(s.path, &sb), 0);
	snprintf(path, sizeof(path), "%s/seals", fx.dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s.tmp", s.path);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(audit_seal_check_file(n, s.path, NULL), 0);

	/* Sealed again later: its own file; the first still checks. */
	append_n(4, 1);
	assert_int_equal(audit_seal(n, &s2, NULL), 0);
	assert_int_equal(s2.head.entries, 4);
	assert_string_not_equal(s.path, s2.path);
	assert_int_equal(audit_seal_check_file(n, s.path, NULL), 0);
	assert_int_equal(audit_seal_check_file(n, s2.path, NULL), 0);

	/* Entry 4 rewritten and its hash recomputed: the chain holds, the
	 * seal of entry 4 does not; the seal of entry 3 still does. */
	rewrite_from(4, 4);
	assert_int_equal(audit_verify(fx.st, &s2.head, NULL), 0);
	expect_file(s2.path, TX_EAUTH, "at entry 4: rewritten");
	assert_int_equal(audit_seal_check_file(n, s.path, NULL), 0);

	/* A broken chain is not sealed. */
	sql("UPDATE audit SET detail='x' WHERE seq=2");
	tx_err_clear(&err);
	assert_int_equal(audit_seal(n, &s2, &err), TX_EAUTH);
	assert_string_equal(err.msg, "audit entry 2: hash chain broken");
	assert_string_equal(s2.path, "");

	/* Files that are no seal. */
	snprintf(path, sizeof(path), "%s/seals/bad.json", fx.dir);
	write_file(path, "{\"seq\": 3, ");
	expect_file(path, TX_EINVAL, "not JSON");
	write_file(path, "{\"seq\": 3, \"seq\": 3}");
	expect_file(path, TX_EINVAL, "not JSON");
	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	write_file(path, big);
	expect_file(path, TX_ELIMIT, "larger than");
	snprintf(path, sizeof(path), "%s/seals/none.json", fx.dir);
	expect_file(path, TX_EIO, "cannot open");

	/* A node opened without its key cannot seal. */
	key = n->signing;
	n->signing = NULL;
	tx_err_clear(&err);
	assert_int_equal(audit_seal(n, &s2, &err), TX_EINVAL);
	n->signing = key;
}

/* The store failing is an error, never an empty or a shorter chain. */
static void
test_store_error_is_no_empty_chain(void **state)
{
	struct audit_head	 h;
	struct tx_err		 err;
	json_t			*seal;
	int			 calls = 0;

	(void)state;
	append_n(1, 3);
	assert_int_equal(audit_verify(fx.st, &h, NULL), 0);
	assert_int_equal(audit_seal_new(&seal, &h, FX_SIGNER, n->signing, T0,
	    NULL), 0);
	sql("ALTER TABLE audit RENAME TO audit_gone");

	tx_err_clear(&err);
	assert_int_equal(audit_verify(fx.st, &h, &err), TX_EDB);
	assert_int_equal(err.code, TX_EDB);
	assert_int_equal(audit_list(fx.st, 0, count_cb, &calls, NULL), TX_EDB);
	assert_int_equal(calls, 0);
	/* Not "genesis" with a new entry 1 after it. */
	assert_int_equal(audit_append(fx.st, "peer-add", "x", NULL), TX_EDB);
	/* Not "rewritten": the chain could not be read. */
	tx_err_clear(&err);
	assert_int_equal(audit_seal_check(fx.st, &n->roster, seal, &err),
	    TX_EDB);
	{
		int64_t	seq;
		char	hash[65];

		assert_int_equal(store_audit_head(fx.st, &seq, hash, NULL),
		    TX_EDB);
		assert_int_equal(store_audit_hash_at(fx.st, 1, hash, NULL),
		    TX_EDB);
	}
	sql("ALTER TABLE audit_gone RENAME TO audit");
	assert_int_equal(audit_verify(fx.st, &h, NULL), 0);
	assert_int_equal(h.entries, 3);
	assert_int_equal(audit_seal_check(fx.st, &n->roster, seal, NULL), 0);
	json_decref(seal);
}

/*
 * An append inside the caller's transaction is part of it; outside one
 * it is its own. Two handles on one file (the server and the sync
 * child) append in turn without forking the chain.
 */
static void
test_append_transactions(void **state)
{
	struct audit_head	 h;
	struct store		*b;
	int			 i;

	(void)state;
	assert_int_equal(store_begin(fx.st, NULL), 0);
	append_n(1, 2);
	store_rollback(fx.st);
	assert_int_equal(audit_verify(fx.st, &h, NULL), 0);
	assert_int_equal(h.entries, 0);

	assert_int_equal(store_begin(fx.st, NULL), 0);
	append_n(1, 2);
	assert_int_equal(store_commit(fx.st, NULL), 0);
	assert_int_equal(store_open(&b, fx.path, NULL), 0);
	for (i = 0; i < 10; i++) {
		assert_int_equal(audit_append(i % 2 ? b : fx.st, "turn",
		    i % 2 ? "b" : "a", NULL), 0);
	}
	assert_int_equal(audit_verify(b, &h, NULL), 0);
	assert_int_equal(h.entries, 12);
	assert_int_equal(audit_verify(fx.st, &h, NULL), 0);
	assert_int_equal(h.entries, 12);
	store_close(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_entry_hash, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_empty_chain, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_append_verify_list, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tamper_names_entry, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tamper_recomputed_row,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_seal_detects_rewrite_and_cut, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seal_refusals, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_seal_files, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_error_is_no_empty_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_transactions,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
