/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tx_tamper.c - test tool playing a compromised node: it rewrites one
 * byte of a stored, signed object in a node's store.db, after signing, so
 * that the node serves a tampered copy. Usage: tx_tamper DB NEEDLE prints
 * the id of the current indicator whose JSON contains NEEDLE, after
 * changing the first letter of its "name" to upper case. Exit 1 if none.
 */
#include <sqlite3.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char **argv)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	char		*json = NULL, *p, id[256] = "";
	int		 rc = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: tx_tamper DB NEEDLE\n");
		return 2;
	}
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		return 1;
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, "SELECT id, json FROM versions WHERE "
	    "type='indicator' AND current=1 AND instr(json, ?) > 0 LIMIT 1",
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
	if (sqlite3_prepare_v2(db, "UPDATE versions SET json=? WHERE id=? AND "
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
	return rc;
}
