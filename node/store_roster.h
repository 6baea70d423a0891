/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_roster.h - the roster's descriptors, verified, in the store
 * (issue 14). peers/ holds one descriptor file per member (DESIGN §10)
 * and stays what the operator edits; the store holds what those files
 * said once each was verified, under a stamp of the files it was made
 * from (node.c: name, inode, size and modification time of self.json and
 * each peers/ *.json). When the stamp still matches, node_open builds the
 * roster from these rows: no file is read, parsed or verified again, so
 * opening a node with a thousand members costs what one member did.
 * Anything that changes a file makes the stamp differ and the roster is
 * read from the files again. Rotations and revocations are not here:
 * they are statements in `versions`, replayed over the roster as before.
 * Included by store.h; see there for the error convention.
 */
#ifndef TX_STORE_ROSTER_H
#define TX_STORE_ROSTER_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct store;

/* One member as its verified descriptor gave it. */
struct store_member {
	char		name[64];
	char		identity[128];
	uint8_t		pub[32];	/* genesis Ed25519 key */
	uint8_t		next_hash[32];
	int		self;
};

#define STORE_ROSTER_STAMP	48	/* "HEX16:COUNT" and its NUL */

/*
 * When stamp is the one the rows were written under, call cb for each
 * (self first, then in the order written) and return 1 if they number
 * nfiles; else return 0. 0 too for a malformed row or cb returning > 0
 * (the row cannot stand in). After a 0, cb may have had some rows: the
 * caller starts over from the files. cb's < 0 is returned; TX_EDB.
 */
int	store_roster_load(struct store *st, const char *stamp, size_t nfiles,
	    int (*cb)(const struct store_member *m, void *payload),
	    void *payload, struct tx_err *err) TX_MUST_CHECK;

/*
 * Replace the rows by m[0..n) under stamp, in one transaction (or inside
 * the caller's). 0 or TX_EDB.
 */
int	store_roster_replace(struct store *st, const char *stamp,
	    const struct store_member *m, size_t n, struct tx_err *err)
	    TX_MUST_CHECK;

/*
 * One member joined (put, its identity replacing any row of it) or left
 * (drop: the identity), and the files now have stamp. When the rows were
 * not written under the stamp before the change, nothing is written: the
 * next open reads the files. 0 or TX_EDB.
 */
int	store_roster_change(struct store *st, const char *old_stamp,
	    const char *stamp, const struct store_member *put,
	    const char *drop, struct tx_err *err) TX_MUST_CHECK;

#endif
