/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_ahead.c - the next page of a pull, read while the last one is on
 * its way (issue 13). A caller paging through a collection (a member's
 * sync round, a TAXII client following `next`) asks for a page, waits for
 * it, reads it and asks for the next: the store role sat idle while the
 * network role sent the page and the caller read it, and the caller sat
 * idle while the store role read the next. Here, when a page that says
 * more has been answered to a request that itself followed a `next`, the
 * store role reads the page after it as soon as the reply has left, and
 * keeps it for that caller.
 *
 * A kept page is only ever the page a fresh read would give: it is handed
 * out only to the same caller (its certificate's pin), for the same
 * collection, filter, cursor and limit, under the same policy (every
 * field compared by value, so a reload that changes the member changes
 * it), and only when the store's stamp (store_stamp: any commit by any
 * connection, any row this one changed) is the one it was read at. Else
 * it is dropped and the page read again. At most SRV_AHEAD_SLOTS pages of
 * at most SRV_AHEAD_BYTES each are kept, none longer than SRV_AHEAD_US;
 * a caller has at most one. A caller under a pull hold (server_taxii.c:
 * its `until` moves with the clock) is given none: no read would match.
 */
#include "server_int.h"
#include "egress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SRV_AHEAD_SLOTS	4
#define SRV_AHEAD_BYTES	(8u * 1024 * 1024)
#define SRV_AHEAD_US	(30 * 1000000LL)

enum { AHEAD_FREE, AHEAD_WANTED, AHEAD_READ };

struct srv_ahead {
	int			 state;
	int64_t			 at_us;		/* wanted (monotonic) */
	char			 pin[SPKI_PIN_HEX];
	char			 coll[64];
	char			 fkey[17];
	char			 self[128];
	char			 peer_identity[128];
	char			 peer_name[REG_NAME_MAX];
	struct store_policy	 pol;		/* its strings: the above */
	int			 all_versions;
	int64_t			 after;
	int			 limit;
	int64_t			 stamp[2];
	struct egress_page	 pg;
};

/* src (NULL: "") into dst of len bytes: 0, or -1 when it does not fit. */
static int
copy(char *dst, size_t len, const char *src)
{
	int	n = snprintf(dst, len, "%s", src != NULL ? src : "");

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static void
slot_free(struct srv_ahead *a)
{
	if (a->state == AHEAD_READ)
		egress_page_dispose(&a->pg);
	a->state = AHEAD_FREE;
}

static int
same_str(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* Slot a was wanted for key k (every field, the policy's by value). */
static int
same_key(const struct srv_ahead *a, const struct srv_ahead_key *k)
{
	const struct store_policy	*p = k->pol;

	return strcmp(a->coll, k->coll) == 0 && strcmp(a->fkey, k->fkey) ==
	    0 && a->all_versions == k->all_versions && a->after == k->after &&
	    a->limit == k->limit && same_str(a->pol.self, p->self) &&
	    same_str(a->pol.peer_identity, p->peer_identity) &&
	    (a->pol.peer_name != NULL) == (p->peer_name != NULL) &&
	    same_str(a->pol.peer_name, p->peer_name) &&
	    a->pol.max_tlp == p->max_tlp && a->pol.relay == p->relay &&
	    a->pol.since == p->since && a->pol.until == p->until;
}

static struct srv_ahead *
slot_of(struct server *s, const char *pin)
{
	size_t	i;

	if (s->ahead == NULL)
		return NULL;
	for (i = 0; i < SRV_AHEAD_SLOTS; i++)
		if (s->ahead[i].state != AHEAD_FREE &&
		    strcmp(s->ahead[i].pin, pin) == 0)
			return &s->ahead[i];
	return NULL;
}

int
srv_ahead_take(struct server *s, const struct srv_ahead_key *k,
    struct egress_page *pg)
{
	struct srv_ahead	*a = slot_of(s, k->pin);
	int64_t			 now[2];

	if (a == NULL || a->state != AHEAD_READ)
		return 0;
	if (!same_key(a, k) || node_mono_us() - a->at_us > SRV_AHEAD_US ||
	    store_stamp(s->n->st, now, NULL) < 0 || now[0] != a->stamp[0] ||
	    now[1] != a->stamp[1]) {
		s->ahead_dropped++;
		slot_free(a);
		return 0;
	}
	/* The page moves to the caller's: its buffer is not copied. */
	egress_page_dispose(pg);
	*pg = a->pg;
	a->state = AHEAD_FREE;
	s->ahead_used++;
	return 1;
}

void
srv_ahead_want(struct server *s, const struct srv_ahead_key *k)
{
	struct srv_ahead	*a;
	size_t			 i;

	if (k->pol->until != 0)
		return;
	if (s->ahead == NULL &&
	    (s->ahead = calloc(SRV_AHEAD_SLOTS, sizeof(*s->ahead))) == NULL)
		return;
	/* The caller's own slot, else a free one, else the oldest. */
	if ((a = slot_of(s, k->pin)) == NULL) {
		a = &s->ahead[0];
		for (i = 0; i < SRV_AHEAD_SLOTS; i++) {
			if (s->ahead[i].state == AHEAD_FREE) {
				a = &s->ahead[i];
				break;
			}
			if (s->ahead[i].at_us < a->at_us)
				a = &s->ahead[i];
		}
	}
	if (a->state == AHEAD_READ)
		s->ahead_dropped++;
	slot_free(a);
	if (copy(a->pin, sizeof(a->pin), k->pin) < 0 ||
	    copy(a->coll, sizeof(a->coll), k->coll) < 0 ||
	    copy(a->fkey, sizeof(a->fkey), k->fkey) < 0 ||
	    copy(a->self, sizeof(a->self), k->pol->self) < 0 ||
	    copy(a->peer_identity, sizeof(a->peer_identity),
	    k->pol->peer_identity) < 0 ||
	    copy(a->peer_name, sizeof(a->peer_name), k->pol->peer_name) < 0)
		return;
	a->pol = *k->pol;
	a->pol.self = a->self;
	a->pol.peer_identity = a->peer_identity;
	a->pol.peer_name = k->pol->peer_name != NULL ? a->peer_name : NULL;
	a->all_versions = k->all_versions;
	a->after = k->after;
	a->limit = k->limit;
	a->at_us = node_mono_us();
	a->state = AHEAD_WANTED;
	s->ahead_wanted = 1;
}

/* Read the page slot a wants, in one snapshot with its stamp. */
static void
read_one(struct server *s, struct srv_ahead *a)
{
	struct egress_filter	f;
	struct tx_err		err;
	int			began = 0, rc;

	memset(&f, 0, sizeof(f));
	f.all_versions = a->all_versions;
	egress_page_init(&a->pg, SRV_BODY_CAP);
	a->state = AHEAD_READ;
	if ((rc = store_read_begin(s->n->st, &began, &err)) == 0 &&
	    (rc = egress_page_fill(&a->pg, s->n->st, &a->pol, &f, a->after,
	    a->limit, &err)) == 0)
		rc = store_stamp(s->n->st, a->stamp, &err);
	store_read_end(s->n->st, began);
	if (rc < 0 || a->pg.objects.len > SRV_AHEAD_BYTES) {
		s->ahead_dropped++;
		slot_free(a);
	}
}

void
srv_ahead_run(struct server *s)
{
	size_t	i;

	if (!s->ahead_wanted || s->ahead == NULL)
		return;
	s->ahead_wanted = 0;
	for (i = 0; i < SRV_AHEAD_SLOTS; i++)
		if (s->ahead[i].state == AHEAD_WANTED)
			read_one(s, &s->ahead[i]);
}

void
srv_ahead_free(struct server *s)
{
	size_t	i;

	if (s->ahead == NULL)
		return;
	for (i = 0; i < SRV_AHEAD_SLOTS; i++)
		slot_free(&s->ahead[i]);
	free(s->ahead);
	s->ahead = NULL;
}
