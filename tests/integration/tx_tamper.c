/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tx_tamper.c - test tool playing a compromised node: it rewrites one
 * byte of a stored, signed object in a node's store.db, after signing, so
 * that the node serves a tampered copy. Usage: tx_tamper DB NEEDLE prints
 * the id of the current indicator whose JSON contains NEEDLE, after
 * changing the first letter of its "name" to upper case. Exit 1 if none.
 * tx_tamper --audit-edit DB SEQ rewrites the detail of audit entry SEQ;
 * tx_tamper --audit-cut DB SEQ deletes the audit entries from SEQ on.
 * tx_tamper --revoked DB prints the stored JSON of every revoked version,
 * one a line (the stored bytes, which only threatex's txj reads).
 * The stored JSON is read with txj and written back as text, a form the
 * store accepts (node/store_codec.h).
 */
#include <sqlite3.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_codec.h"

/* The revoked versions' JSON, one a line. */
static int
revoked_mode(const char *path)
{
	struct store_codec	*c;
	sqlite3			*db;
	sqlite3_stmt		*s;
	int			 rc = 1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK || (c = store_codec_new(db, &rc)) == NULL)
		return 2;
	if (sqlite3_prepare_v2(db, "SELECT txj(jz) FROM versions WHERE "
	    "revoked=1 ORDER BY vrow", -1, &s, NULL) == SQLITE_OK) {
		while ((rc = sqlite3_step(s)) == SQLITE_ROW)
			printf("%s\n", sqlite3_column_text(s, 0));
		rc = rc == SQLITE_DONE ? 0 : 1;
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	store_codec_free(c);
	return rc;
}

static int
audit_mode(const char *mode, const char *path, const char *seq)
{
	sqlite3	*db;
	char	*end;
	long	 n = strtol(seq, &end, 10);
	int	 rc;

	if (*end != '\0' || sqlite3_open(path, &db) != SQLITE_OK)
		return 2;
	sqlite3_busy_timeout(db, 5000);
	if (strcmp(mode, "--audit-edit") == 0) {
		sqlite3_stmt	*s;

		sqlite3_prepare_v2(db, "UPDATE audit SET detail='nothing to see' "
		    "WHERE seq=?", -1, &s, NULL);
		sqlite3_bind_int64(s, 1, n);
		rc = sqlite3_step(s) == SQLITE_DONE && sqlite3_changes(db) == 1;
		sqlite3_finalize(s);
	} else {
		sqlite3_stmt	*s;

		sqlite3_prepare_v2(db, "DELETE FROM audit WHERE seq>=?", -1, &s,
		    NULL);
		sqlite3_bind_int64(s, 1, n);
		rc = sqlite3_step(s) == SQLITE_DONE && sqlite3_changes(db) > 0;
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return rc ? 0 : 1;
}

int
main(int argc, char **argv)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	struct store_codec	*c = NULL;
	char		*json = NULL, *p, id[256] = "";
	int		 rc = 1;

	if (argc == 4 && strncmp(argv[1], "--audit-", 8) == 0)
		return audit_mode(argv[1], argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "--revoked") == 0)
		return revoked_mode(argv[2]);
	if (argc != 3) {
		fprintf(stderr, "usage: tx_tamper DB NEEDLE\n"
		    "       tx_tamper --audit-edit|--audit-cut DB SEQ\n"
		    "       tx_tamper --revoked DB\n");
		return 2;
	}
	if (sqlite3_open(argv[1], &db) != SQLITE_OK ||
	    (c = store_codec_new(db, &rc)) == NULL)
		return 1;
	rc = 1;
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, "SELECT id, txj(jz) FROM versions WHERE "
	    "type='indicator' AND current=1 AND instr(txj(jz), ?) > 0 LIMIT 1",
	    -1, &s, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(s, 1, argv[2], -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		snprintf(id, sizeof(id), "%s", sqlite3_column_text(s, 0));
		json = strdup((const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	if (json == NULL || (p = strstr(json, "\"name\":\"")) == NULL)
		goto out;
	p += 8;
	*p = (char)toupper((unsigned char)*p);
	if (sqlite3_prepare_v2(db, "UPDATE versions SET jz=? WHERE id=? AND "
	    "current=1", -1, &s, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(s, 1, json, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_DONE && sqlite3_changes(db) == 1) {
		printf("%s\n", id);
		rc = 0;
	}
	sqlite3_finalize(s);
out:
	free(json);
	sqlite3_close(db);
	store_codec_free(c);
	return rc;
}
