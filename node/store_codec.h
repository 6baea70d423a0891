/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_codec.h - the compact form of a stored version's JSON (issue 13:
 * the store at most the size of the JSON it holds).
 *
 * versions.jz holds either the JSON text as it arrived (a TEXT value:
 * text that would not shrink) or a BLOB: the format byte STORE_CODEC_ZSTD1,
 * one byte naming the dictionary generation, then a zstd frame that
 * records its content size, compressed against that generation's
 * dictionary. Generation 0 is built into threatex (the property names,
 * extension and marking ids and object skeletons every STIX object of a
 * node repeats); generation 1 is made once per store, in its own
 * transaction, from generation 0 and the store's first versions (the
 * signers, keys and batch skeletons its members repeat) and kept in the
 * zdict table. A generation never changes once committed: every value
 * written with it unpacks forever.
 *
 * Two SQL functions, on every store connection: txz(text) is the value to
 * store for a JSON text; txj(jz) is the JSON text of a stored value. A
 * value that is not one of the two forms is an SQL error naming the
 * reason, never a crash or a guess. Only threatex reads jz as JSON; any
 * SQLite reads every other column (and checks the file's integrity).
 */
#ifndef TX_STORE_CODEC_H
#define TX_STORE_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "err.h"

#define STORE_CODEC_ZSTD1	0x01
#define STORE_CODEC_GENS	2	/* generations 0 and 1 */
/* Versions stored before generation 1 is made from them. */
#define STORE_CODEC_SAMPLE	16
/* The longest JSON a compact value may unpack to (a stored object). */
#define STORE_CODEC_MAX		((size_t)64 << 20)

/* The table of generations past 0 (part of the store's schema). */
#define STORE_CODEC_TABLE \
	"CREATE TABLE IF NOT EXISTS zdict(gen INTEGER PRIMARY KEY," \
	" dict BLOB NOT NULL);"

struct store_codec;

/*
 * The codec of one store connection db (used by one thread at a time);
 * NULL on no memory. Registers txz and txj on db: SQLITE_OK in *rc, or
 * SQLite's error code (and NULL).
 */
struct store_codec	*store_codec_new(sqlite3 *db, int *rc);
/* NULL-safe; after db is closed. */
void		 store_codec_free(struct store_codec *c);

/*
 * A write transaction begins: unless it is already the newest this
 * threatex knows, the generation to write with is read again (another
 * connection may have made one) when first needed.
 */
void		 store_codec_begin(struct store_codec *c);

/*
 * With no transaction open: make generation 1 when the store has none and
 * holds at least STORE_CODEC_SAMPLE versions, in its own transaction.
 * Cheap when there is nothing to do (checked again only after
 * STORE_CODEC_SAMPLE more packs by this connection). 0, or TX_EDB /
 * TX_ENOMEM with err set (nothing changed; values keep generation 0).
 */
int		 store_codec_grow(struct store_codec *c, struct tx_err *err);

/*
 * Inside the caller's write transaction, over an older layout's versions
 * (a json column, store_migrate_compact): generation 1 made as
 * store_codec_grow would. 0, or TX_EDB / TX_ENOMEM with err set.
 */
int		 store_codec_seed(struct store_codec *c, struct tx_err *err);

/*
 * A transaction was rolled back: generations read in it may be gone.
 * Forget every generation past 0; they are read again when needed.
 */
void		 store_codec_forget(struct store_codec *c);

/*
 * The stored form of json[0..len): *out (malloc'ed, *outlen bytes) is the
 * compact BLOB, or NULL when the text would not shrink (store it as it
 * is). 0, TX_ENOMEM or TX_EDB (the generation could not be read).
 */
int		 store_codec_pack(struct store_codec *c, const char *json,
		    size_t len, uint8_t **out, size_t *outlen);

/*
 * The JSON text of a compact value blob[0..len) into *out (malloc'ed,
 * NUL-terminated, *outlen bytes before the NUL). 0, or TX_EINVAL with
 * err saying why (unknown format or generation, not a frame, size unknown
 * or over STORE_CODEC_MAX, size not what the frame says), TX_EDB (the
 * generation could not be read) or TX_ENOMEM.
 */
int		 store_codec_unpack(struct store_codec *c, const uint8_t *blob,
		    size_t len, char **out, size_t *outlen, struct tx_err *err);

#endif
