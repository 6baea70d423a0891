/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_codec.c - versions.jz: the JSON of a stored version compressed
 * with zstd against a dictionary (store_codec.h).
 *
 * Why dictionaries: one object is 1-2 KB, too little for a compressor to
 * learn from; what makes it compressible is what objects repeat. Some of
 * it every node's objects repeat (property names, our extension and
 * marking ids, the signature skeleton): generation 0, written below by
 * hand from DESIGN §4-§5 and the STIX types a node authors, no corpus
 * behind it. The rest is the store's own: its members' signer ids, keys,
 * batch skeletons. Generation 1 is generation 0 followed by the store's
 * first 16 versions: on the benchmark's objects 1,476 bytes become 745
 * with generation 0 and about 625 with generation 1. What stays is each
 * object's entropy: ids, salts, Merkle paths and signatures (about 450
 * bytes of random base64 a signed object). Both are raw content
 * dictionaries: zstd's own format, with the samples' statistics, was
 * tried and either stores literals raw (the samples are in the content:
 * 756 bytes) or saves 20 bytes and 3 us a pack but none of the 2 us an
 * unpack costs (its Huffman tables are rebuilt per value either way).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "buf.h"
#include "store_codec.h"

/* zstd's fastest level: the same size as level 3 here, a third faster. */
#define CODEC_LEVEL	1

#define TLP_GREEN_MD	"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
#define SIG_EXT		"\"extension-definition--e4509b2b-5d52-4a3f-a8b6-" \
	"31b6618081d2\":{\"extension_type\":\"toplevel-property-extension\"}"
#define SIG_SKELETON	"\"signatures\":[{\"alg\":\"Ed25519\",\"kid\":\"" \
	"\",\"signer\":\"identity--\",\"signed\":\"2026-01-01T00:00:00.000Z\"," \
	"\"batch\":{\"root\":\"\",\"size\":1024,\"index\":0,\"salt\":\"\"," \
	"\"path\":[\"\",\"\",\"\"]},\"sig\":\"\"}]}"

/*
 * Format STORE_CODEC_ZSTD1's dictionary. Never change it: values stored
 * with it must unpack forever. zstd finds matches anywhere in it; what
 * every object repeats comes last (the nearest offsets are the cheapest).
 */
static const char	codec_dict1[] =
    "{\"type\":\"marking-definition\",\"spec_version\":\"2.1\",\"id\":"
    "\"marking-definition--\",\"created\":\"\",\"definition_type\":"
    "\"statement\",\"definition\":{\"statement\":\"\"},\"name\":\"TLP:\","
    "\"extensions\":{\"extension-definition--60a3c5c5-0d10-413e-aab3-"
    "9e08dde9e88d\":{\"extension_type\":\"property-extension\",\"tlp_2_0\":"
    "\"clear\"}}}"
    "{\"type\":\"threat-actor\",\"spec_version\":\"2.1\",\"id\":"
    "\"threat-actor--\",\"name\":\"\",\"aliases\":[\"\"],"
    "\"threat_actor_types\":[\"nation-state\",\"crime-syndicate\"],"
    "\"roles\":[\"agent\"],\"sophistication\":\"advanced\","
    "\"resource_level\":\"government\",\"primary_motivation\":"
    "\"organizational-gain\",\"description\":\"\",\"labels\":[\"\"],"
    "\"external_references\":[{\"source_name\":\"mitre-attack\","
    "\"external_id\":\"T\",\"url\":\"https://attack.mitre.org/\"}],"
    "\"kill_chain_phases\":[{\"kill_chain_name\":\"mitre-attack\","
    "\"phase_name\":\"\"}],\"revoked\":true,\"lang\":\"en\"}"
    "{\"type\":\"sighting\",\"spec_version\":\"2.1\",\"id\":\"sighting--\","
    "\"sighting_of_ref\":\"indicator--\",\"where_sighted_refs\":"
    "[\"identity--\"],\"observed_data_refs\":[],\"first_seen\":\"\","
    "\"last_seen\":\"\",\"count\":1,\"summary\":false}"
    "{\"type\":\"email-addr\",\"value\":\"@\",\"display_name\":\"\"}"
    "{\"type\":\"url\",\"value\":\"https://\"}"
    "{\"type\":\"ipv4-addr\",\"value\":\"\"}{\"type\":\"ipv6-addr\"}"
    "{\"type\":\"user-account\",\"account_login\":\"\"}"
    "{\"type\":\"identity\",\"spec_version\":\"2.1\",\"id\":\"identity--\","
    "\"created\":\"\",\"modified\":\"\",\"created_by_ref\":\"identity--\","
    "\"object_marking_refs\":[\"marking-definition--94868c89-83c2-464b-"
    "929b-a1a8aa3c8487\"],\"name\":\"\",\"identity_class\":"
    "\"organization\",\"sectors\":[\"government\"],\"extensions\":{"
    SIG_EXT "}," SIG_SKELETON
    "\"object_marking_refs\":[\"marking-definition--e828b379-4e03-4974-"
    "9ac4-e53a884c97c1\"]\"object_marking_refs\":[\"marking-definition--"
    "939a9414-2ddd-4d32-a0cd-375ea402b003\"]\"object_marking_refs\":"
    "[\"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421\"]"
    "{\"type\":\"persona\",\"spec_version\":\"2.1\",\"object_marking_refs\":"
    "[\"" TLP_GREEN_MD "\"],\"persona_name\":\"\",\"persona_type\":"
    "\"alias\",\"extensions\":{\"extension-definition--45158511-1ccc-4124-"
    "8d18-b2ec386b001e\":{\"extension_type\":\"property-extension\","
    "\"display\":\"\"},\"extension-definition--165c66e7-b48c-4002-8c79-"
    "fe66c2468fa7\":{\"extension_type\":\"new-sco\"}," SIG_EXT "},\"id\":"
    "\"persona--\"," SIG_SKELETON
    "{\"type\":\"domain-name\",\"spec_version\":\"2.1\","
    "\"object_marking_refs\":[\"" TLP_GREEN_MD "\"],\"value\":\".com\","
    "\"id\":\"domain-name--\",\"extensions\":{" SIG_EXT "}," SIG_SKELETON
    "{\"type\":\"cryptocurrency-wallet\",\"spec_version\":\"2.1\","
    "\"object_marking_refs\":[\"" TLP_GREEN_MD "\"],\"value\":\"0x\","
    "\"chain\":\"evm\",\"extensions\":{\"extension-definition--2c484954-"
    "c7cb-4279-91ef-f82da1d239ad\":{\"extension_type\":\"new-sco\"},"
    SIG_EXT "},\"id\":\"cryptocurrency-wallet--\"," SIG_SKELETON
    "{\"type\":\"relationship\",\"spec_version\":\"2.1\",\"id\":"
    "\"relationship--\",\"created\":\"\",\"modified\":\"\","
    "\"created_by_ref\":\"identity--\",\"object_marking_refs\":[\""
    TLP_GREEN_MD "\"],\"relationship_type\":\"based-on\",\"source_ref\":"
    "\"indicator--\",\"target_ref\":\"cryptocurrency-wallet--\","
    "\"extensions\":{" SIG_EXT "}," SIG_SKELETON
    "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":"
    "\"indicator--\",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":"
    "\"2026-01-01T00:00:00.000Z\",\"created_by_ref\":\"identity--\","
    "\"object_marking_refs\":[\"" TLP_GREEN_MD "\"],\"name\":\"wallet \","
    "\"indicator_types\":[\"malicious-activity\"],\"pattern\":"
    "\"[cryptocurrency-wallet:value = '']\",\"pattern_type\":\"stix\","
    "\"pattern_version\":\"2.1\",\"valid_from\":\"2026-01-01T00:00:00."
    "000Z\",\"confidence\":80,\"extensions\":{" SIG_EXT "}," SIG_SKELETON;

struct store_codec {
	sqlite3		*db;
	ZSTD_CCtx	*cc;
	ZSTD_DCtx	*dc;
	ZSTD_CDict	*cdict[STORE_CODEC_GENS];
	ZSTD_DDict	*ddict[STORE_CODEC_GENS];
	int		 wgen;		/* to write with; -1: read it again */
	unsigned	 packs;		/* since store_codec_grow last looked */
};

/* Generation 0 digested once per process, shared read-only. */
static pthread_once_t	 dict_once = PTHREAD_ONCE_INIT;
static ZSTD_CDict	*dict0_c;
static ZSTD_DDict	*dict0_d;

static void
dict_init(void)
{
	dict0_c = ZSTD_createCDict(codec_dict1, sizeof(codec_dict1) - 1,
	    CODEC_LEVEL);
	dict0_d = ZSTD_createDDict(codec_dict1, sizeof(codec_dict1) - 1);
}

static void	sql_txz(sqlite3_context *, int, sqlite3_value **);
static void	sql_txj(sqlite3_context *, int, sqlite3_value **);

struct store_codec *
store_codec_new(sqlite3 *db, int *rc)
{
	int			 flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC |
	    SQLITE_INNOCUOUS;
	struct store_codec	*c;

	*rc = SQLITE_NOMEM;
	(void)pthread_once(&dict_once, dict_init);
	if (dict0_c == NULL || dict0_d == NULL ||
	    (c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->db = db;
	c->wgen = -1;
	c->cdict[0] = dict0_c;
	c->ddict[0] = dict0_d;
	if ((c->cc = ZSTD_createCCtx()) == NULL ||
	    (c->dc = ZSTD_createDCtx()) == NULL ||
	    (*rc = sqlite3_create_function(db, "txz", 1, flags, c, sql_txz,
	    NULL, NULL)) != SQLITE_OK ||
	    (*rc = sqlite3_create_function(db, "txj", 1, flags, c, sql_txj,
	    NULL, NULL)) != SQLITE_OK) {
		store_codec_free(c);
		return NULL;
	}
	return c;
}

void
store_codec_free(struct store_codec *c)
{
	if (c == NULL)
		return;
	store_codec_forget(c);
	ZSTD_freeCCtx(c->cc);
	ZSTD_freeDCtx(c->dc);
	free(c);
}

void
store_codec_begin(struct store_codec *c)
{
	/*
	 * The newest generation this threatex writes stays (a committed one
	 * never changes; a rolled-back one was forgotten): read again only
	 * while an older one is in use.
	 */
	if (c->wgen < STORE_CODEC_GENS - 1)
		c->wgen = -1;
}

/*
 * Generation g's dictionaries, read from zdict the first time. 0, TX_EDB
 * (unreadable, or not in the store: *missing set) or TX_ENOMEM.
 */
static int
gen_load(struct store_codec *c, int g, int *missing)
{
	sqlite3_stmt	*s;
	const void	*d;
	int		 n, rc;

	*missing = 0;
	if (c->ddict[g] != NULL)
		return 0;
	if (sqlite3_prepare_v2(c->db, "SELECT dict FROM zdict WHERE gen=?",
	    -1, &s, NULL) != SQLITE_OK)
		return TX_EDB;
	sqlite3_bind_int(s, 1, g);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		*missing = rc == SQLITE_DONE;
		sqlite3_finalize(s);
		return TX_EDB;
	}
	d = sqlite3_column_blob(s, 0);
	n = sqlite3_column_bytes(s, 0);
	rc = 0;
	if (d == NULL || n <= 0) {
		*missing = 1;
		rc = TX_EDB;
	} else if ((c->cdict[g] = ZSTD_createCDict(d, (size_t)n,
	    CODEC_LEVEL)) == NULL || (c->ddict[g] = ZSTD_createDDict(d,
	    (size_t)n)) == NULL) {
		ZSTD_freeCDict(c->cdict[g]);
		c->cdict[g] = NULL;
		rc = TX_ENOMEM;
	}
	sqlite3_finalize(s);
	return rc;
}

/* The newest generation in the store, loaded, into c->wgen. */
static int
wgen_read(struct store_codec *c)
{
	sqlite3_stmt	*s;
	int		 g = 0, missing, rc;

	if (sqlite3_prepare_v2(c->db, "SELECT coalesce(max(gen), 0) FROM "
	    "zdict", -1, &s, NULL) != SQLITE_OK)
		return TX_EDB;
	if (sqlite3_step(s) == SQLITE_ROW)
		g = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	/* A generation this threatex does not know: write with the last. */
	if (g < 0 || g >= STORE_CODEC_GENS)
		g = STORE_CODEC_GENS - 1;
	if ((rc = gen_load(c, g, &missing)) < 0)
		return rc;
	c->wgen = g;
	return 0;
}

/*
 * Inside a write transaction: generation 1 made from generation 0 and the
 * first STORE_CODEC_SAMPLE JSON texts sample_sql gives (its one parameter
 * is that count), unless the store has one or fewer versions. 0, TX_EDB
 * or TX_ENOMEM.
 */
static int
gen1_make(struct store_codec *c, const char *sample_sql)
{
	struct tx_buf	 d;
	sqlite3_stmt	*s = NULL;
	size_t		 n = 0;
	int		 rc = 0;

	tx_buf_init(&d, STORE_CODEC_MAX);
	if (tx_buf_add(&d, codec_dict1, sizeof(codec_dict1) - 1) < 0) {
		rc = TX_ENOMEM;
		goto out;
	}
	if (sqlite3_prepare_v2(c->db, sample_sql, -1, &s, NULL) != SQLITE_OK) {
		rc = TX_EDB;
		goto out;
	}
	sqlite3_bind_int(s, 1, STORE_CODEC_SAMPLE);
	while (rc == 0 && n < STORE_CODEC_SAMPLE &&
	    sqlite3_step(s) == SQLITE_ROW) {
		if (tx_buf_add(&d, sqlite3_column_text(s, 0),
		    (size_t)sqlite3_column_bytes(s, 0)) < 0)
			rc = TX_ENOMEM;
		n++;
	}
	if (rc < 0 || sqlite3_reset(s) != SQLITE_OK) {
		rc = rc < 0 ? rc : TX_EDB;
		goto out;
	}
	sqlite3_finalize(s);
	s = NULL;
	if (n < STORE_CODEC_SAMPLE)
		goto out;
	if (sqlite3_prepare_v2(c->db, "INSERT OR IGNORE INTO zdict(gen, dict) "
	    "VALUES(1, ?)", -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_bind_blob(s, 1, d.data, (int)d.len, SQLITE_STATIC) !=
	    SQLITE_OK || sqlite3_step(s) != SQLITE_DONE)
		rc = TX_EDB;
out:
	sqlite3_finalize(s);
	tx_buf_dispose(&d);
	c->wgen = -1;
	return rc;
}

static int
gen_err(struct store_codec *c, int rc, struct tx_err *err)
{
	if (rc == TX_ENOMEM)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	return tx_err_set(err, TX_EDB, "store: compression dictionary: %s",
	    sqlite3_errmsg(c->db));
}

int
store_codec_grow(struct store_codec *c, struct tx_err *err)
{
	int	rc;

	if (c->packs < STORE_CODEC_SAMPLE || c->wgen != 0 ||
	    !sqlite3_get_autocommit(c->db))
		return 0;
	c->packs = 0;
	if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return gen_err(c, TX_EDB, err);
	/* Made once: NOT EXISTS sees another connection's, under the lock. */
	if ((rc = gen1_make(c, "SELECT txj(jz) FROM versions WHERE NOT "
	    "EXISTS (SELECT 1 FROM zdict) ORDER BY vrow LIMIT ?")) < 0 ||
	    sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		rc = gen_err(c, rc < 0 ? rc : TX_EDB, err);
		(void)sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		store_codec_forget(c);
		return rc;
	}
	return 0;
}

int
store_codec_seed(struct store_codec *c, struct tx_err *err)
{
	int	rc;

	if ((rc = gen1_make(c, "SELECT json FROM versions WHERE NOT EXISTS "
	    "(SELECT 1 FROM zdict) ORDER BY vrow LIMIT ?")) < 0)
		return gen_err(c, rc, err);
	return 0;
}

void
store_codec_forget(struct store_codec *c)
{
	int	g;

	if (c == NULL)
		return;
	for (g = 1; g < STORE_CODEC_GENS; g++) {
		ZSTD_freeCDict(c->cdict[g]);
		ZSTD_freeDDict(c->ddict[g]);
		c->cdict[g] = NULL;
		c->ddict[g] = NULL;
	}
	c->wgen = -1;
}

int
store_codec_pack(struct store_codec *c, const char *json, size_t len,
    uint8_t **out, size_t *outlen)
{
	size_t	 cap = ZSTD_compressBound(len) + 2, n;
	uint8_t	*b;
	int	 rc;

	*out = NULL;
	*outlen = 0;
	if (c->wgen < 0 && (rc = wgen_read(c)) < 0)
		return rc;
	c->packs++;
	if ((b = malloc(cap)) == NULL)
		return TX_ENOMEM;
	b[0] = STORE_CODEC_ZSTD1;
	b[1] = (uint8_t)c->wgen;
	/* Raw content dictionaries: frames name none (the byte above does). */
	n = ZSTD_compress_usingCDict(c->cc, b + 2, cap - 2, json, len,
	    c->cdict[c->wgen]);
	if (ZSTD_isError(n) || n + 2 >= len) {	/* stored as text */
		free(b);
		return 0;
	}
	*out = b;
	*outlen = n + 2;
	return 0;
}

int
store_codec_unpack(struct store_codec *c, const uint8_t *blob, size_t len,
    char **out, size_t *outlen, struct tx_err *err)
{
	unsigned long long	 size;
	size_t			 n;
	char			*t;
	int			 missing, rc;

	*out = NULL;
	*outlen = 0;
	if (len < 3 || blob[0] != STORE_CODEC_ZSTD1)
		return tx_err_set(err, TX_EINVAL, "compact JSON: unknown "
		    "format %d", len > 0 ? blob[0] : -1);
	if (blob[1] >= STORE_CODEC_GENS)
		return tx_err_set(err, TX_EINVAL, "compact JSON: unknown "
		    "dictionary generation %d", blob[1]);
	if ((rc = gen_load(c, blob[1], &missing)) < 0)
		return tx_err_set(err, rc == TX_ENOMEM ? TX_ENOMEM : missing ?
		    TX_EINVAL : TX_EDB, "compact JSON: dictionary generation "
		    "%d %s", blob[1], rc == TX_ENOMEM ? "out of memory" :
		    missing ? "not in the store" : "unreadable");
	size = ZSTD_getFrameContentSize(blob + 2, len - 2);
	if (size == ZSTD_CONTENTSIZE_ERROR)
		return tx_err_set(err, TX_EINVAL, "compact JSON: not a zstd "
		    "frame");
	if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == 0 ||
	    size > STORE_CODEC_MAX)
		return tx_err_set(err, TX_EINVAL, "compact JSON: content size "
		    "%s", size == ZSTD_CONTENTSIZE_UNKNOWN ? "not recorded" :
		    "out of range");
	if ((t = malloc((size_t)size + 1)) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	n = ZSTD_decompress_usingDDict(c->dc, t, (size_t)size, blob + 2,
	    len - 2, c->ddict[blob[1]]);
	if (ZSTD_isError(n) || n != size) {
		free(t);
		return tx_err_set(err, TX_EINVAL, "compact JSON: %s",
		    ZSTD_isError(n) ? ZSTD_getErrorName(n) : "shorter than "
		    "its recorded size");
	}
	t[n] = '\0';
	*out = t;
	*outlen = n;
	return 0;
}

/* txz(text): the stored form of a JSON text (NULL stays NULL). */
static void
sql_txz(sqlite3_context *ctx, int nargs, sqlite3_value **args)
{
	struct store_codec	*c = sqlite3_user_data(ctx);
	const unsigned char	*t;
	uint8_t			*b;
	size_t			 n;
	int			 rc;

	(void)nargs;
	if (sqlite3_value_type(args[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	if ((t = sqlite3_value_text(args[0])) == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	if ((rc = store_codec_pack(c, (const char *)t,
	    (size_t)sqlite3_value_bytes(args[0]), &b, &n)) < 0) {
		if (rc == TX_ENOMEM)
			sqlite3_result_error_nomem(ctx);
		else
			sqlite3_result_error(ctx, "compact JSON: the "
			    "dictionary generation is unreadable", -1);
		return;
	}
	if (b == NULL)
		sqlite3_result_text(ctx, (const char *)t,
		    sqlite3_value_bytes(args[0]), SQLITE_TRANSIENT);
	else
		sqlite3_result_blob64(ctx, b, n, free);
}

/* txj(jz): the JSON text of a stored value (text as it is, NULL NULL). */
static void
sql_txj(sqlite3_context *ctx, int nargs, sqlite3_value **args)
{
	struct store_codec	*c = sqlite3_user_data(ctx);
	struct tx_err		 err;
	char			*t;
	size_t			 n;
	int			 rc;

	(void)nargs;
	switch (sqlite3_value_type(args[0])) {
	case SQLITE_BLOB:
		break;
	case SQLITE_TEXT:
	case SQLITE_NULL:
		sqlite3_result_value(ctx, args[0]);
		return;
	default:
		sqlite3_result_error(ctx, "compact JSON: a number", -1);
		return;
	}
	tx_err_clear(&err);
	rc = store_codec_unpack(c, sqlite3_value_blob(args[0]),
	    (size_t)sqlite3_value_bytes(args[0]), &t, &n, &err);
	if (rc == TX_ENOMEM)
		sqlite3_result_error_nomem(ctx);
	else if (rc < 0)
		sqlite3_result_error(ctx, err.msg, -1);
	else
		sqlite3_result_text64(ctx, t, n, free, SQLITE_UTF8);
}
