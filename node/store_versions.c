/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_versions.c - the versions table and what hangs off a version: the
 * creators bound at first sight, which version of an id is current,
 * provenance, the observable index, and the lookups and exports over
 * current versions; see store_versions.h. Trusts its callers (merge.c
 * decides what is stored and who its creator is); every value is bound,
 * none is spliced into SQL.
 */
#include "store_int.h"
#include "store_codec.h"
#include "facts.h"

#include <stdio.h>
#include <string.h>

#define NORM_PREFIX_MAX 600	/* longest prefix searched */
/*
 * A flag above every vrow: min(flag * TOP_BIT + vrow) picks the least
 * (flag, vrow) of an id's few rows, whose other columns min()'s bare
 * columns then give (SQLite), with no sort.
 */
#define TOP_BIT	"4611686018427387904"	/* 2^62 */

/*
 * The binding is read from the versions themselves (no table of its
 * own): merge stores every version of one creator under id, attested
 * copies under their attester; the creator's own outranks any attested
 * one (DESIGN §4.4), and first sight binds among attesters.
 */
int
store_creator_get(struct store *st, const char *id, char *out, size_t outlen,
    int *found, int *attested, struct tx_err *err)
{
	int	rc;

	*found = 0;
	*attested = 0;
	/*
	 * The first non-attested version, else the first copy: the row
	 * with the least (attested, vrow), by min()'s bare columns, not by
	 * ORDER BY ... LIMIT 1, which sorted in a temporary B-tree made and
	 * dropped for every object merged (7 % of an import's CPU).
	 */
	rc = sq_run(st, err, "creator", "SELECT creator, attested, "
	    "min(attested * " TOP_BIT " + vrow) FROM versions WHERE "
	    ID_IS("", "?1") " AND sco=0 HAVING count(*) > 0", "t>si", id, out,
	    outlen, attested);
	*found = rc == SQ_ROW;
	return rc < 0 ? rc : 0;
}

int
store_version_find(struct store *st, const struct store_version *v,
    int64_t *rowid, int *found, struct tx_err *err)
{
	int	same = 0, rc;

	*found = 0;
	*rowid = 0;
	/*
	 * Same bytes: a duplicate whoever's chain holds them. Other bytes
	 * under the same version: equivocation only within one origin's
	 * chain (an attester's copy never accuses the creator).
	 */
	rc = sq_run(st, err, "find version", "SELECT vrow, hash=?3, "
	    "max(hash=?3) FROM versions WHERE " ID_IS("", "?1") " AND "
	    "vkey=?2 AND (hash=?3 OR (origin=?4 AND attested=?5)) HAVING "
	    "count(*) > 0", "tttti>Ii", v->id, v->vkey, v->hash, v->origin,
	    v->attested != 0, rowid, &same);
	if (rc == SQ_ROW)
		*found = same ? 1 : 2;
	return rc < 0 ? rc : 0;
}

int
store_version_promote(struct store *st, int64_t rowid, const char *creator,
    int *promoted, struct tx_err *err)
{
	int	rc;

	*promoted = 0;
	/* signers that said "the creator" keep naming the one before. */
	if ((rc = sq_run(st, err, "promote", "UPDATE versions SET "
	    "origin_x=NULL, signers_x=CASE WHEN signers_x = '' AND creator != "
	    "?2 THEN creator ELSE signers_x END, creator=?2, attested=0 WHERE "
	    "vrow=?1 AND attested=1", "It", rowid, creator)) < 0)
		return rc;
	*promoted = sqlite3_changes(st->db) > 0;
	if (!*promoted)
		return 0;
	/* The creator's own version now outranks every attested copy. */
	return sq_run(st, err, "promote", "WITH w AS (SELECT idh, id FROM "
	    "versions WHERE vrow=?1) UPDATE versions SET current=(vrow="
	    "(SELECT b.vrow FROM versions b WHERE " SAME_ID("b", "versions")
	    " AND b.withdrawn=0 ORDER BY b.attested, b.modified_us DESC, "
	    "b.hash LIMIT 1)) WHERE idh=(SELECT idh FROM w) AND id=(SELECT id "
	    "FROM w) AND sco=0", "I", rowid);
}

int
store_is_revoked(struct store *st, const char *id, const char *origin,
    int attested, int *revoked, struct tx_err *err)
{
	int	rc;

	*revoked = 0;
	rc = sq_run(st, err, "revoked", "SELECT 1 FROM versions WHERE "
	    ID_IS("", "?1") " AND revoked=1 AND origin=?2 AND attested=?3 AND "
	    "withdrawn=0 LIMIT 1", "tti>-", id, origin, attested != 0);
	*revoked = rc == SQ_ROW;
	return rc < 0 ? rc : 0;
}

/*
 * The id's stored versions, walked once (the versions of one object, or
 * the claims of an SCO): whether v's bytes are there already (*dup: no
 * UNIQUE index on the id text holds that since issue 13; merge finds
 * duplicates first, this holds it for any caller), and whether v will be
 * current: it outranks the current one (*cur, 0 if none) when it is the
 * creator's own and that is an attested copy (an attestation never
 * outranks its creator), then when newer, then (equivocation) when its
 * hash is smaller, so every node ends in the same state. SCOs are not
 * versioned: every claim (body) is current, none displaces another. A
 * failure to read is TX_EDB, never "there is none".
 */
static int
outranks(struct store *st, const struct store_version *v, int64_t *cur,
    int *newer, int *dup, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int64_t		 cur_us = 0;
	char		 cur_hash[80] = "";
	int		 rc, cur_att = 0;

	*cur = 0;
	*newer = 1;
	*dup = 0;
	if ((rc = sq_bind(st, &s, err, "SELECT vkey=?2 AND hash=?3, current, "
	    "vrow, modified_us, hash, attested FROM versions WHERE "
	    ID_IS("", "?1"), "ttt", v->id, v->vkey, v->hash)) < 0)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*dup |= sqlite3_column_int(s, 0);
		if (v->sco || !sqlite3_column_int(s, 1))
			continue;
		*cur = sqlite3_column_int64(s, 2);
		cur_us = sqlite3_column_int64(s, 3);
		snprintf(cur_hash, sizeof(cur_hash), "%s", sq_text(s, 4));
		cur_att = sqlite3_column_int(s, 5);
	}
	if ((rc = sq_step_end(st, s, rc, "current", err)) < 0 || v->sco)
		return rc;
	if (*cur == 0 || v->attested != cur_att)
		*newer = *cur == 0 || cur_att;
	else
		*newer = v->modified_us > cur_us || (v->modified_us == cur_us &&
		    strcmp(v->hash, cur_hash) < 0);
	return 0;
}

/*
 * One write per new version: the row goes in with its current flag
 * decided (outranks); only a version it displaces is written again.
 */
int
store_version_insert(struct store *st, const struct store_version *v,
    int64_t *rowid, struct tx_err *err)
{
	const struct store_facts	*f = v->facts;
	struct store_facts		 none;
	int64_t				 cur;
	int				 rc, newer, dup;

	*rowid = 0;
	if ((rc = outranks(st, v, &cur, &newer, &dup, err)) < 0)
		return rc;
	if (dup)
		return tx_err_set(err, TX_EDB, "store: insert: %s: this "
		    "version is stored already", v->id);
	if (f == NULL) {
		memset(&none, 0, sizeof(none));
		none.conf = none.count = -1;
		f = &none;
	}
	/*
	 * Stored narrow (VERSIONS_TABLE_NAMED): the JSON compact (txz), and
	 * vkey, origin and signers NULL or '' where they only repeat
	 * modified or the creator.
	 */
	if ((rc = sq_run(st, err, "insert", "INSERT INTO versions(id, type, "
	    "modified, vkey_x, hash, jz, creator, origin_x, tlp, revoked, "
	    "modified_us, attested, sco, lvl, nr, current, label, vuntil, src, "
	    "dst, rtype, conf, cnt, signers_x, idh) VALUES(?1, ?2, ?3, "
	    "nullif(?4, ?3), ?5, txz(?6), ?7, nullif(?8, ?7), ?9, ?10, ?11, "
	    "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, "
	    "CASE WHEN ?24 = ?7 THEN '' ELSE ?24 END, txid(?1))",
	    "tttttTttiiIiiiiiTttttIIt",
	    v->id, v->type, v->modified, v->vkey, v->hash, v->json, v->json_len,
	    v->creator, v->origin, v->tlp, v->revoked, v->modified_us,
	    v->attested != 0, v->sco != 0, v->lvl, v->nr != 0, newer,
	    f->label, f->label_len, f->valid_until, f->src, f->dst, f->rtype,
	    f->conf, f->count, f->signers[0] ? f->signers : NULL)) < 0)
		return rc;
	*rowid = sqlite3_last_insert_rowid(st->db);
	if (!newer || cur == 0)
		return 0;
	return sq_run(st, err, "current", "UPDATE versions SET current=0 "
	    "WHERE vrow=?", "I", cur);
}

int
store_version_json(struct store *st, char **out, int64_t rowid,
    struct tx_err *err)
{
	int	rc;

	*out = NULL;
	rc = sq_run(st, err, "version json", "SELECT txj(jz) FROM versions WHERE "
	    "vrow=?", "I>S", rowid, out);
	if (rc == 0)
		return tx_err_set(err, TX_ENOTFOUND, "version %lld not in the "
		    "store", (long long)rowid);
	return rc < 0 ? rc : 0;
}

int
store_version_set_json(struct store *st, int64_t rowid, const char *json,
    const char *signers, struct tx_err *err)
{
	return sq_run(st, err, "set json", "UPDATE versions SET jz=txz(?1), "
	    "signers_x=CASE WHEN ?2 = creator THEN '' ELSE nullif(?2, '') END "
	    "WHERE vrow=?3", "ttI", json, signers, rowid);
}

#define MIGRATE_STEP 256	/* versions read, then written, at a time */

/*
 * Schema 2 to 3 (store_int.h). Every version's JSON is parsed once here;
 * one that does not parse keeps no facts (lookup shows it as before a
 * fact was known: no label, no confidence).
 */
int
store_migrate_facts(struct store *st, struct tx_err *err)
{
#define FACT_DEF(def)	def,
	static const char	*add[] = { STORE_FACT_COLUMNS(FACT_DEF) };
#undef FACT_DEF
	struct store_facts	 f;
	sqlite3_stmt		*s;
	json_t			*objs[MIGRATE_STEP];
	int64_t			 rows[MIGRATE_STEP], last = 0;
	char			 sql[128];
	size_t			 i, n;
	int			 rc;

	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return sq_err(st, err, "migrate");
	for (i = 0; i < sizeof(add) / sizeof(add[0]); i++) {
		snprintf(sql, sizeof(sql), "ALTER TABLE versions ADD COLUMN %s",
		    add[i]);
		if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
			rc = sq_err(st, err, "migrate");
			goto fail;
		}
	}
	/* In steps of rows read, then written: no update under a scan. */
	do {
		n = 0;
		if ((rc = sq_bind(st, &s, err, "SELECT vrow, json FROM versions "
		    "WHERE vrow > ? ORDER BY vrow LIMIT ?", "Ii", last,
		    MIGRATE_STEP)) < 0)
			goto fail;
		while (n < MIGRATE_STEP && (rc = sqlite3_step(s)) ==
		    SQLITE_ROW) {
			rows[n] = last = sqlite3_column_int64(s, 0);
			objs[n++] = json_loads(sq_text(s, 1), 0, NULL);
		}
		if ((rc = sq_step_end(st, s, rc, "migrate", err)) < 0)
			goto fail;
		for (i = 0; i < n && rc == 0; i++) {
			if (objs[i] == NULL)	/* keeps no facts */
				continue;
			facts_of(objs[i], &f);
			rc = sq_run(st, err, "migrate", "UPDATE versions SET "
			    "label=?, vuntil=?, src=?, dst=?, rtype=?, conf=?, "
			    "cnt=?, signers=nullif(?, '') WHERE vrow=?",
			    "TttttIItI", f.label, f.label_len, f.valid_until,
			    f.src, f.dst, f.rtype, f.conf, f.count, f.signers,
			    rows[i]);
		}
		for (i = 0; i < n; i++)
			json_decref(objs[i]);
		if (rc < 0)
			goto fail;
	} while (n == MIGRATE_STEP);
	if (sqlite3_exec(st->db, "PRAGMA user_version=3; COMMIT", NULL, NULL,
	    NULL) != SQLITE_OK) {
		rc = sq_err(st, err, "migrate");
		goto fail;
	}
	return 0;
fail:
	store_rollback(st);
	return rc;
}

/* Schema 5's stored columns, and each from an older layout (3 or 4). */
#define NEW_COLUMNS "vrow, id, type, modified, vkey_x, hash, jz, creator, " \
	"origin_x, tlp, revoked, modified_us, current, withdrawn, attested, " \
	"sco, lvl, nr, label, vuntil, src, dst, rtype, conf, cnt, signers_x"
#define OLD_AS_NEW "vrow, id, type, modified, nullif(vkey, modified), " \
	"hash, txz(json), creator, nullif(origin, creator), tlp, revoked, " \
	"modified_us, current, withdrawn, attested, sco, lvl, nr, label, " \
	"vuntil, src, dst, rtype, conf, cnt, CASE WHEN signers = creator " \
	"THEN '' ELSE signers END"

int
store_migrate_compact(struct store *st, struct tx_err *err)
{
	/*
	 * The dictionary first (from the first versions, as a new store's),
	 * then the rows copied in vrow order: the new table is written in
	 * order, packed.
	 */
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE;" STORE_CODEC_TABLE, NULL,
	    NULL, NULL) != SQLITE_OK) {
		sq_err(st, err, "migrate");
		store_rollback(st);
		return TX_EDB;
	}
	if (store_codec_seed(st->codec, err) < 0) {
		store_rollback(st);
		return TX_EDB;
	}
	if (sqlite3_exec(st->db, VERSIONS_TABLE_NAMED("versions_compact")
	    "INSERT INTO versions_compact(idh, " NEW_COLUMNS ") SELECT "
	    "txid(id), " OLD_AS_NEW " FROM versions ORDER BY vrow;"
	    "DROP TABLE versions; DROP TABLE IF EXISTS creators;"
	    "ALTER TABLE versions_compact RENAME TO versions;"
	    "PRAGMA user_version=5; COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sq_err(st, err, "migrate");
		store_rollback(st);
		return TX_EDB;
	}
	/*
	 * The old table's pages are free now, but the file keeps them (it
	 * would be 2-3x the compact store): given back once, here (a few
	 * seconds per 100k objects). Should it fail (no room for the copy),
	 * the free pages are simply reused by later writes.
	 */
	(void)sqlite3_exec(st->db, "VACUUM", NULL, NULL, NULL);
	return 0;
}

int
store_provenance_add(struct store *st, int64_t rowid, const char *peer,
    int64_t received_us, const char *cert_pin, const char *verdicts,
    struct tx_err *err)
{
	/*
	 * One row per (version, peer): a repeated receipt counts and moves
	 * last_us, it adds no row, so a member re-sending what we hold
	 * cannot grow the store (the first arrival's verdicts stay).
	 */
	return sq_run(st, err, "provenance", "INSERT INTO provenance(vrow, "
	    "peer, received_us, cert_pin, verdicts, last_us) VALUES(?1, ?2, ?3,"
	    " ?4, ?5, ?3) ON CONFLICT(vrow, peer) DO UPDATE SET "
	    "receipts=receipts+1, last_us=excluded.last_us", "ItItt", rowid,
	    peer, received_us, cert_pin, verdicts);
}

int
store_observable_add(struct store *st, const char *kind, const char *value,
    int64_t rowid, struct tx_err *err)
{
	store_filter_note(st, kind, value);
	return sq_run(st, err, "observable", "INSERT OR IGNORE INTO "
	    "observables(kind, value, vrow) VALUES(?,?,?)", "ttI", kind, value,
	    rowid);
}

/*
 * Step s, whose columns are kind, value, id, type, json, creator, origin,
 * tlp, revoked, vrow (and with provenance: peer, received_us, verdicts,
 * equivocated), handing each row to cb as a store_hit; then release s.
 */
static int
each_hit(struct store *st, sqlite3_stmt *s, int provenance,
    int (*cb)(const struct store_hit *, void *), void *payload,
    const char *what, struct tx_err *err)
{
	struct store_hit	h;
	int			rc;

	memset(&h, 0, sizeof(h));
	h.peer = "";
	h.verdicts = "";
	h.label = "";
	h.signers = "";
	h.conf = h.count = -1;
	h.linked = h.sighted = -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		h.kind = sq_text(s, 0);
		h.value = sq_text(s, 1);
		h.id = sq_text(s, 2);
		h.type = sq_text(s, 3);
		h.json = sq_text(s, 4);
		h.creator = sq_text(s, 5);
		h.origin = sq_text(s, 6);
		h.tlp = sqlite3_column_int(s, 7);
		h.revoked = sqlite3_column_int(s, 8);
		h.rowid = sqlite3_column_int64(s, 9);
		if (provenance) {
			h.peer = sq_text(s, 10);
			h.received_us = sqlite3_column_int64(s, 11);
			h.verdicts = sq_text(s, 12);
			h.equivocated = sqlite3_column_int(s, 13);
			h.label = sq_text(s, 14);
			h.conf = sqlite3_column_int64(s, 15);
			h.valid_until = (const char *)
			    sqlite3_column_text(s, 16);
			h.signers = sq_text(s, 17);
			h.count = sqlite3_column_int64(s, 18);
			h.linked = sqlite3_column_int(s, 19);
			h.sighted = sqlite3_column_int(s, 20);
		}
		if (cb(&h, payload) < 0)
			break;
	}
	return sq_step_end(st, s, rc, what, err);
}

/*
 * The columns each_hit() reads with provenance on, over observables o and
 * their versions v: the first arrival (p: peer, time, verdicts) of the
 * version, whether its origin signed another version under the same key,
 * and whether anything refers to its id (a link) or sights it.
 */
#define HIT_SELECT(J) \
	"SELECT o.kind, o.value, v.id, v.type, " J ", v.creator, v.origin," \
	" v.tlp, v.revoked, v.vrow, p.peer, p.received_us, p.verdicts," \
	" (SELECT count(*) > 1 FROM versions e WHERE " SAME_ID("e", "v") \
	"  AND e.vkey=v.vkey AND e.origin=v.origin AND" \
	"  e.attested=v.attested AND e.withdrawn=0), v.label, v.conf," \
	" v.vuntil, v.signers, v.cnt," \
	" EXISTS(SELECT 1 FROM observables r WHERE r.kind='ref' AND" \
	"  r.value=v.id), EXISTS(SELECT 1 FROM observables g WHERE" \
	"  g.kind='sighting' AND g.value=v.id) " \
	"FROM observables o JOIN versions v ON v.vrow=o.vrow " \
	"LEFT JOIN provenance p ON p.rowid=(SELECT q.rowid FROM provenance q" \
	" WHERE q.vrow=v.vrow AND q.received_us=(SELECT min(m.received_us)" \
	" FROM provenance m WHERE m.vrow=v.vrow) LIMIT 1) "

/* A hit's JSON: unpacked (txj), or not read at all (facts only: ""). */
#define HIT_JSON	"txj(v.jz)"
#define HIT_NO_JSON	"NULL"
#define LOOKUP_WHERE	"WHERE o.kind=?1 AND o.value=?2 AND v.current=1 "
#define LOOKUP_WHERE_POL LOOKUP_WHERE "AND " VERSION_SHOWN("v") " "

/* [facts only][with a policy] */
static const char *const	sql_lookup[2][2] = {
	{ HIT_SELECT(HIT_JSON) LOOKUP_WHERE "ORDER BY v.type, v.id",
	  HIT_SELECT(HIT_JSON) LOOKUP_WHERE_POL "ORDER BY v.type, v.id" },
	{ HIT_SELECT(HIT_NO_JSON) LOOKUP_WHERE "ORDER BY v.type, v.id",
	  HIT_SELECT(HIT_NO_JSON) LOOKUP_WHERE_POL "ORDER BY v.type, v.id" },
};

static int
lookup(struct store *st, int facts, const char *kind, const char *value,
    const struct store_policy *pol,
    int (*cb)(const struct store_hit *, void *), void *payload,
    struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (pol == NULL)
		rc = sq_bind(st, &s, err, sql_lookup[facts][0], "tt", kind,
		    value);
	else
		rc = sq_bind(st, &s, err, sql_lookup[facts][1], "ttp", kind,
		    value, pol);
	if (rc < 0)
		return rc;
	return each_hit(st, s, 1, cb, payload, "lookup", err);
}

int
store_lookup(struct store *st, const char *kind, const char *value,
    const struct store_policy *pol,
    int (*cb)(const struct store_hit *, void *), void *payload,
    struct tx_err *err)
{
	return lookup(st, 0, kind, value, pol, cb, payload, err);
}

int
store_lookup_facts(struct store *st, const char *kind, const char *value,
    const struct store_policy *pol,
    int (*cb)(const struct store_hit *, void *), void *payload,
    struct tx_err *err)
{
	return lookup(st, 1, kind, value, pol, cb, payload, err);
}

/* Facts only: its one caller, the lookup view, reads no JSON. */
static const char	sql_prefix[] = HIT_SELECT(HIT_NO_JSON)
    "WHERE o.kind=?1 AND o.value >= ?2 AND o.value < ?3 AND v.current=1 "
    "ORDER BY o.value, v.type, v.id LIMIT ?4";
static const char	sql_prefix_pol[] = HIT_SELECT(HIT_NO_JSON)
    "WHERE o.kind=?1 AND o.value >= ?2 AND o.value < ?3 AND v.current=1 "
    "AND " VERSION_SHOWN("v") " ORDER BY o.value, v.type, v.id LIMIT ?4";

int
store_lookup_prefix(struct store *st, const char *kind, const char *prefix,
    int limit, const struct store_policy *pol,
    int (*cb)(const struct store_hit *, void *), void *payload,
    struct tx_err *err)
{
	sqlite3_stmt	*s;
	char		 hi[NORM_PREFIX_MAX];
	size_t		 n = strlen(prefix);
	int		 rc;

	/* [prefix, prefix with its last byte + 1): an index range scan. */
	if (n == 0 || n >= sizeof(hi))
		return 0;
	memcpy(hi, prefix, n + 1);
	hi[n - 1]++;
	/*
	 * For a peer the policy is in the query, before the LIMIT: rows it
	 * may not see cannot use up the limit and hide the rest.
	 */
	if (pol == NULL)
		rc = sq_bind(st, &s, err, sql_prefix, "ttti", kind, prefix, hi,
		    limit);
	else
		rc = sq_bind(st, &s, err, sql_prefix_pol, "tttip", kind, prefix,
		    hi, limit, pol);
	if (rc < 0)
		return rc;
	return each_hit(st, s, 1, cb, payload, "lookup prefix", err);
}

int
store_each_current(struct store *st, const char *kind,
    int (*cb)(const struct store_hit *, void *), void *payload,
    struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (kind == NULL)
		rc = sq_bind(st, &s, err, "SELECT '', '', id, type, txj(jz), "
		    "creator, origin, tlp, revoked, vrow FROM versions WHERE "
		    "current=1 ORDER BY id", "");
	else
		rc = sq_bind(st, &s, err, "SELECT o.kind, o.value, v.id, "
		    "v.type, txj(v.jz), v.creator, v.origin, v.tlp, v.revoked, "
		    "v.vrow FROM observables o JOIN versions v ON "
		    "v.vrow=o.vrow WHERE o.kind=?1 AND v.current=1 AND "
		    "v.type='indicator' ORDER BY o.value, v.id", "t", kind);
	if (rc < 0)
		return rc;
	return each_hit(st, s, 0, cb, payload, "each current", err);
}

/*
 * A link's columns: the relationship, who made it, its facts, and the
 * label of its other end (a relationship from id to itself shows id).
 */
#define LINK_OTHER	"(CASE WHEN v.src=?1 THEN v.dst ELSE v.src END)"
#define LINK_SELECT(J) \
	"SELECT " J ", v.origin, v.vrow, v.id, v.src, v.dst, v.rtype," \
	" (SELECT x.label FROM versions x WHERE " ID_IS("x.", LINK_OTHER) \
	" AND x.current=1 LIMIT 1)"
/*
 * For a caller: the link shown to it and a current version of its other
 * end too (store_is_visible), before any limit counts it.
 */
#define LINK_SHOWN \
	" AND " VERSION_SHOWN("v") " AND EXISTS (SELECT 1 FROM versions y" \
	" WHERE " ID_IS("y.", LINK_OTHER) " AND y.current=1 AND" \
	" " VERSION_SHOWN("y") ")"
#define LINK_COUNT \
	", (SELECT count(*) FROM (SELECT 1 FROM observables WHERE kind='ref' " \
	"AND value=?1 LIMIT ?3))"
#define LINKS_FEW(J, SHOWN) LINK_SELECT(J) LINK_COUNT \
	" FROM observables o JOIN versions v ON v.vrow=o.vrow WHERE " \
	"o.kind='ref' AND o.value=?1 AND v.current=1" SHOWN " ORDER BY " \
	"v.origin != ?2, v.origin, v.id"
#define LINKS_MANY(J, SHOWN) LINK_SELECT(J) \
	" FROM (SELECT v.*, row_number() OVER (PARTITION BY v.origin ORDER " \
	"BY v.id) AS rn FROM observables o JOIN versions v ON v.vrow=o.vrow " \
	"WHERE o.kind='ref' AND o.value=?1 AND v.current=1" SHOWN ") v " \
	"WHERE rn <= ?3 ORDER BY v.origin != ?2, v.origin, v.id LIMIT 1024"

/*
 * The usual case: no more links than one origin may show, sorted. Each
 * row also says how many index entries id has, up to ?3 (LINK_COUNT, a
 * scalar subquery run once): more than one origin's share sends the
 * caller to the window, at most ?3 of each origin.
 */
static const char *const	sql_links_few[2][2] = {	/* as sql_lookup */
	{ LINKS_FEW(HIT_JSON, ""), LINKS_FEW(HIT_JSON, LINK_SHOWN) },
	{ LINKS_FEW(HIT_NO_JSON, ""), LINKS_FEW(HIT_NO_JSON, LINK_SHOWN) },
};
static const char *const	sql_links_many[2][2] = {
	{ LINKS_MANY(HIT_JSON, ""), LINKS_MANY(HIT_JSON, LINK_SHOWN) },
	{ LINKS_MANY(HIT_NO_JSON, ""), LINKS_MANY(HIT_NO_JSON, LINK_SHOWN) },
};

static int
related(struct store *st, int facts, const char *id, const char *self,
    int per_origin, const struct store_policy *pol,
    int (*cb)(const struct store_link *, void *), void *payload,
    struct tx_err *err)
{
	struct store_link	 l;
	sqlite3_stmt		*s;
	const char		*few = sql_links_few[facts][pol != NULL];
	const char		*many = sql_links_many[facts][pol != NULL];
	int			 rc, first = 1;

	/*
	 * At most per_origin links of each origin, this node's own first: a
	 * member flooding one value with relationships (with ids that sort
	 * first) cannot push another agency's links out of a lookup. When
	 * the index holds no more than per_origin entries for id (versions
	 * of every age counted), no origin can pass its share and the plain
	 * sorted query gives the same rows as the window. The sorted query
	 * counts them itself (its last column), before any row is handed on.
	 */
	if (per_origin < 0)
		per_origin = 0;
	if (per_origin > 1024)
		per_origin = 1024;
	if ((rc = sq_bind(st, &s, err, few, pol ? "ttip" : "tti", id, self,
	    per_origin + 1, pol)) < 0)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (first && sqlite3_column_int(s, 8) > per_origin) {
			if ((rc = sq_step_end(st, s, SQLITE_DONE, "related",
			    err)) < 0 || (rc = sq_bind(st, &s, err, many,
			    pol ? "ttip" : "tti", id, self, per_origin,
			    pol)) < 0)
				return rc;
			first = 0;
			continue;
		}
		first = 0;
		l.json = sq_text(s, 0);
		l.origin = sq_text(s, 1);
		l.rowid = sqlite3_column_int64(s, 2);
		l.id = sq_text(s, 3);
		l.src = sq_text(s, 4);
		l.dst = sq_text(s, 5);
		l.rtype = sq_text(s, 6);
		l.label = sq_text(s, 7);
		if (cb(&l, payload) < 0)
			break;
	}
	return sq_step_end(st, s, rc, "related", err);
}

int
store_related(struct store *st, const char *id, const char *self,
    int per_origin, const struct store_policy *pol,
    int (*cb)(const struct store_link *, void *), void *payload,
    struct tx_err *err)
{
	return related(st, 0, id, self, per_origin, pol, cb, payload, err);
}

int
store_related_facts(struct store *st, const char *id, const char *self,
    int per_origin, const struct store_policy *pol,
    int (*cb)(const struct store_link *, void *), void *payload,
    struct tx_err *err)
{
	return related(st, 1, id, self, per_origin, pol, cb, payload, err);
}

int
store_get_current(struct store *st, char **out, const char *id,
    struct tx_err *err)
{
	int	rc;

	*out = NULL;
	rc = sq_run(st, err, "get", "SELECT txj(jz) FROM versions WHERE "
	    ID_IS("", "?1") " AND current=1", "t>S", id, out);
	if (rc == 0)
		return tx_err_set(err, TX_ENOTFOUND, "%s: not in the store",
		    id);
	return rc < 0 ? rc : 0;
}

int
store_each_of_types(struct store *st, const char *t1, const char *t2,
    int (*cb)(const char *, void *), void *payload, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = sq_bind(st, &s, err, "SELECT txj(jz) FROM versions WHERE type "
	    "IN (?, ?) ORDER BY vrow", "tt", t1, t2)) < 0)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (cb(sq_text(s, 0), payload) < 0)
			break;
	return sq_step_end(st, s, rc, "each of types", err);
}

int
store_each_of_origin(struct store *st, const char *origin, const char *needle,
    int (*cb)(int64_t, const char *, void *), void *payload,
    struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = sq_bind(st, &s, err, "SELECT vrow, txj(jz) FROM versions "
	    "WHERE origin=? AND withdrawn=0 AND instr(txj(jz), ?) > 0 ORDER "
	    "BY vrow",
	    "tt", origin, needle)) < 0)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (cb(sqlite3_column_int64(s, 0), sq_text(s, 1), payload) < 0)
			break;
	return sq_step_end(st, s, rc, "each of origin", err);
}

int
store_withdraw(struct store *st, int64_t rowid, struct tx_err *err)
{
	int	rc;

	if ((rc = sq_run(st, err, "withdraw", "UPDATE versions SET withdrawn=1,"
	    " current=0 WHERE vrow=?", "I", rowid)) < 0)
		return rc;
	/* The newest remaining version of that id becomes current again. */
	return sq_run(st, err, "withdraw", "WITH w AS (SELECT idh, id FROM "
	    "versions WHERE vrow=?1) UPDATE versions SET current=1 WHERE "
	    "vrow=(SELECT b.vrow FROM versions b, w WHERE " SAME_ID("b", "w")
	    " AND b.withdrawn=0 ORDER BY b.attested, b.modified_us DESC, "
	    "b.hash LIMIT 1) AND NOT EXISTS (SELECT 1 FROM versions c, w WHERE "
	    SAME_ID("c", "w") " AND c.current=1)", "I", rowid);
}
