/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sync_page_fuzz.c - fuzz target: one page of a member's shared
 * collection as the sync client receives it (sync_page, node/sync.h):
 * read by the stream reader, each object verified and merged, the
 * member's cursor committed with them, on a real node (fuzz_node.h) whose
 * roster holds the vectors' member (fuzz_member.h), so the signed objects
 * of tests/data/protocol reach the merge as a member's would.
 *
 * Per input: the page's X-TAXII-Date-Added-Last is a hash of the input
 * (so that a page which wrongly kept anything would move the cursor), its
 * limit 3..10 objects. Invariants: a page taken is counted whole
 * (received = stored + duplicates + quarantined + refused, received
 * within the limit and equal to the objects the page result counts) and
 * moves the cursor to its date; a page refused leaves the statistics and
 * the cursor as they were. Every 256 runs and at exit the store passes
 * PRAGMA integrity_check (store_check_file). A violation aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_member.h"
#include "fuzz_node.h"
#include "node.h"
#include "store_backup.h"
#include "store_peer.h"
#include "sync.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK_EVERY	256

static struct node	*n;
static struct cfg_peer	*member;
static unsigned long	 runs;

static void
check(int ok)
{
	if (!ok)
		abort();
}

/* At exit: the store as the last run left it. */
static void
at_end(void)
{
	fuzz_node_check(n, "sync_page");
}

/* FNV-1a of the input: a date in 2025..2026 that differs per input. */
static int64_t
date_of(const uint8_t *data, size_t size)
{
	uint64_t	h = 1469598103934665603ull;
	size_t		i;

	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 1099511628211ull;
	return 1735689600000000LL + (int64_t)(h % (366ull * 86400000000ull));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct taxii_page_result	 res;
	struct sync_stats		 st;
	struct tx_err			 err;
	int64_t				 before = 0, after = 0, dal;
	int				 limit, rc;

	if (size > 512 * 1024)
		return 0;
	if (n == NULL) {
		n = fuzz_node("sync_page");
		member = fuzz_member(n);
		/* After fuzz_node's: runs first, with the node still open. */
		atexit(at_end);
	}
	dal = date_of(data, size);
	limit = 3 + (int)(size % 8);
	memset(&st, 0, sizeof(st));
	memset(&res, 0, sizeof(res));
	tx_err_clear(&err);
	check(store_cursor_get(n->st, member->name, &before, &err) == 0);
	rc = sync_page(n, member, data, size, dal, limit, &st, &res, &err);
	check(store_cursor_get(n->st, member->name, &after, &err) == 0);
	if (rc == 0) {
		check(st.pages == 1);
		check(st.received >= 0 && st.received <= limit);
		check(st.received == st.stored + st.duplicates +
		    st.quarantined + st.refused);
		check(res.count == (size_t)st.received);
		check(memchr(res.next, '\0', sizeof(res.next)) != NULL);
		check(after == dal);
	} else {
		check(rc < 0 && err.code != 0);
		check(st.pages == 0 && st.received == 0 && st.stored == 0 &&
		    st.duplicates == 0 && st.quarantined == 0 &&
		    st.refused == 0);
		check(after == before);
	}
	if (++runs % CHECK_EVERY == 0)
		fuzz_node_check(n, "sync_page");
	return 0;
}
