/* SPDX-License-Identifier: Apache-2.0 */
/*
 * audience.h - who may be served a stored version (DESIGN §7): its own
 * TLP and origin folded with those of everything it references, through
 * peers/policy's table, kept beside the version so that the server filters
 * in the query. A version that references something not held (or not
 * shareable) yet waits, and is judged again when that arrives.
 */
#ifndef TX_AUDIENCE_H
#define TX_AUDIENCE_H

#include <jansson.h>
#include <stdint.h>

#include "node.h"

/*
 * The audience of obj (effective TLP tlp, this node its origin or not)
 * with its references as the store holds them now; writes nothing.
 * *needs_row: once stored, audience_apply must record its recipients or
 * the references it waits for.
 */
int	audience_judge(struct node *n, const json_t *obj, int tlp, int own,
	    int *lvl, int *nr, int *needs_row, struct tx_err *err);

/*
 * Judge the audience of the stored version rowid (object obj, effective
 * TLP tlp, this node its origin or not; its stored audience old_lvl,
 * old_nr) and store it: level, relay flag, effective recipients, the
 * references it waits for. *changed says whether the audience moved (the
 * caller feeds the version again).
 */
int	audience_apply(struct node *n, const json_t *obj, int64_t rowid,
	    int tlp, int own, int old_lvl, int old_nr, int *changed,
	    struct tx_err *err);

/*
 * A version of id was just stored: if what a reference to id reveals
 * changed (before: the audience store_ref_audience gave before it was
 * stored), judge again every version waiting for id and feed those whose
 * audience moved.
 */
int	audience_arrived(struct node *n, const char *id, int before_lvl,
	    int before_nr, struct tx_err *err);

#endif
