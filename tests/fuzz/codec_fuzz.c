/* SPDX-License-Identifier: Apache-2.0 */
/*
 * codec_fuzz.c - fuzz the stored JSON's codec (node/store_codec.h) over an
 * in-memory store with a generation 1: any bytes read as a stored value
 * either unpack (and the text packs and unpacks to itself again) or are
 * refused with a reason; any bytes given as text come back byte for byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store_codec.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct store_codec	*codec;

/* One store for every input: zdict with a raw generation 1. */
static void
setup(void)
{
	static const char	gen1[] = "{\"type\":\"indicator\","
	    "\"spec_version\":\"2.1\",\"id\":\"indicator--\",\"pattern\":"
	    "\"[domain-name:value = '']\",\"signatures\":[{\"alg\":"
	    "\"Ed25519\",\"batch\":{\"root\":\"\",\"path\":[]}}]}";
	sqlite3		*db;
	sqlite3_stmt	*s;
	int		 rc;

	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    (codec = store_codec_new(db, &rc)) == NULL ||
	    sqlite3_exec(db, STORE_CODEC_TABLE, NULL, NULL, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(db, "INSERT INTO zdict VALUES(1, "
	    "?)", -1, &s, NULL) != SQLITE_OK)
		abort();
	sqlite3_bind_blob(s, 1, gen1, sizeof(gen1) - 1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		abort();
	sqlite3_finalize(s);
}

/* text packs and unpacks to itself (or stays text). */
static void
round_trip(const char *text, size_t len)
{
	struct tx_err	 err;
	uint8_t		*b;
	char		*back;
	size_t		 blen, n;

	if (store_codec_pack(codec, text, len, &b, &blen) != 0)
		abort();
	if (b == NULL)
		return;
	if (blen >= len || b[0] != STORE_CODEC_ZSTD1 ||
	    store_codec_unpack(codec, b, blen, &back, &n, &err) != 0 ||
	    n != len || memcmp(back, text, len) != 0 || back[n] != '\0')
		abort();
	free(back);
	free(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tx_err	 err;
	char		*out;
	size_t		 n;
	int		 rc;

	if (codec == NULL)
		setup();
	/* As a stored value. */
	tx_err_clear(&err);
	rc = store_codec_unpack(codec, data, size, &out, &n, &err);
	if (rc == 0) {
		if (out == NULL || n == 0 || n > STORE_CODEC_MAX ||
		    out[n] != '\0')
			abort();
		round_trip(out, n);
		free(out);
	} else if (out != NULL || (rc == TX_EINVAL &&
	    strncmp(err.msg, "compact JSON: ", 14) != 0))
		abort();
	/* As a text a member sent. */
	round_trip((const char *)data, size);
	return 0;
}
