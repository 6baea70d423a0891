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
 * limit 4..10 objects, or 0 (sync_page's default, SYNC_PAGE_LIMIT) for
 * every eighth size; one input in eight asks for no page result (NULL).
 * Invariants: a page taken is counted whole (received = stored +
 * duplicates + quarantined + refused, received within the limit and
 * equal to the objects the page result counts) and moves the cursor to
 * its date; a page refused leaves the statistics and the cursor as they
 * were. Every 256 runs and at exit the store passes
 * PRAGMA integrity_check (store_check_file). A violation aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_member.h"
#include "fuzz_node.h"
#include "merge.h"
#include "node.h"
#include "store_backup.h"
#include "store_peer.h"
#include "store_versions.h"
#include "sync.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK_EVERY	256

/*
 * batch1024.json's sample 1023 as signed (the 1024-leaf root, which
 * revocation.json does not vouch for): one version of the member's
 * that a page's revocation of key A withdraws.
 */
#define HELD_ID	"indicator--000003ff-6b1e-4c2a-9d3f-0000007b9d11"
static const char held[] =
    "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" HELD_ID "\","
    "\"created\":\"2025-02-26T18:00:00.000Z\","
    "\"modified\":\"2025-02-26T18:00:00.000Z\","
    "\"created_by_ref\":\"identity--8c1f3e8e-4a7c-4f6b-9a59-2f1d7b0c6e21\","
    "\"name\":\"Bybit theft laundering wallet 0x83ef5e80fad88288f77015287"
    "5ab0bb16641a09e\","
    "\"pattern\":\"[cryptocurrency-wallet:value = '0x83ef5e80fad88288f770"
    "152875ab0bb16641a09e']\","
    "\"pattern_type\":\"stix\","
    "\"valid_from\":\"2025-02-26T00:00:00Z\",\"confidence\":85,"
    "\"indicator_types\":[\"malicious-activity\"],"
    "\"object_marking_refs\":[\"marking-definition--55d920b0-5e8b-4f79-9e"
    "e9-91f868d9b421\"],"
    "\"external_references\":[{\"source_name\":\"FBI IC3\","
    "\"external_id\":\"I-022625-PSA\","
    "\"url\":\"https://www.ic3.gov/PSA/2025/PSA250226\"}],"
    "\"extensions\":{\"extension-definition--e4509b2b-5d52-4a3f-a8b6-31b6"
    "618081d2\":{\"extension_type\":\"toplevel-property-extension\"}},"
    "\"signatures\":[{\"alg\":\"Ed25519\","
    "\"kid\":\"a050837d85070582ccf7394b0988847cc312cb88259b894899f6f239cf"
    "1791a5\","
    "\"signer\":\"identity--8c1f3e8e-4a7c-4f6b-9a59-2f1d7b0c6e21\","
    "\"signed\":\"2025-02-26T12:00:00.123Z\","
    "\"batch\":{\"root\":\"AD4Z38B333SOpTWrGesVGp0VDfWjQ3pbb6Hya6rsdJc\","
    "\"size\":1024,\"index\":1023,"
    "\"salt\":\"Eazuf5TlKl8ygI52zd2NTQ\","
    "\"path\":[\"5F8C8nzOflUnpS0IG3Iz-Pf_JsSfpc_OAVTwjIKJCsY\","
    "\"0uIhGsDXky_j9Y3nvNv1mjv9cASbI2gCA7EQJLYBLVw\","
    "\"AiVZYSqx6KMBYRCXEfP8lgHV1F6hN834rv7dLPvVvVg\","
    "\"LENnN3ygOiRckleCmwGjr0gm7o6sNtlmd_PqlvO1uCs\","
    "\"LqkLr0_x9pDmohoP6lFYawGd-5c4t7CpZApCT3CR_NA\","
    "\"eq2wXoO_Pw5MnpWTDbTVE6VSQSmiFDNV1rSnBM1KBjg\","
    "\"U_ka06B27ZCkDU8LvY0ca2DwTsEVP0k1CHPjKWVxxsw\","
    "\"edCNln1_PqSMre_aIijlLr5whZ7bAKmxAyC7oydzX9s\","
    "\"_zzTNyvrNgJzCApKAHwZ7I02faSn7PFYgqGQnOsqI6s\","
    "\"oDDhGmBK12rOIixy8OziAWB6NiE_qWOl5c2W-89xNww\"]},"
    "\"sig\":\"E42_OCWre_wqUt5jmF3PUZ7bww5KIctk9k3JfwHEAscBolh6ryO1ccV8VO"
    "5uKLhAv7dZP8F7SgHqLstalc5TBA\"}]}";

/*
 * Three more members, origins only (no page comes from them): the
 * descriptors of the nodes g1, g2 and g3 that made the seeds named g_*
 * (g1 authored, g2 and g3 counter-signed g1's indicators), so that those
 * objects verify, and a copy signed by more members than the held one
 * lets counter-signatures join it. Written by mkseeds_sync_page.sh with
 * those seeds, and replaced with them.
 */
static const char *const origins[] = {
	/* g1 */
    "{\"created\":\"2026-11-29T23:29:30.669Z\",\"id\":\"x-threatex-d"
    "escriptor--16afaae7-875a-42cf-9b4d-a79dacd20fe5\",\"identi"
    "ty_ref\":\"identity--2d016003-72fd-43d7-af07-12f8e84505d1\""
    ",\"kid\":\"52e1d49170fd8fee6ccbd0c644aadc15a7bd17a6b66529fd"
    "86ff17a9e117d2a6\",\"name\":\"g1\",\"next_key_sha256\":\"Ag669A-"
    "0SZ2MfZTn_7rUe7JJFeHJAWldivAoeV_j3q4\",\"signatures\":[{\"al"
    "g\":\"Ed25519\",\"batch\":{\"index\":0,\"path\":[],\"root\":\"5ldPsF"
    "baX8aUYZZUMarOIsqpP2mwwAWy0hwthFnzBIM\",\"salt\":\"TLA5Wh_QD"
    "lYadPW2ClxhVA\",\"size\":1},\"kid\":\"52e1d49170fd8fee6ccbd0c6"
    "44aadc15a7bd17a6b66529fd86ff17a9e117d2a6\",\"sig\":\"JLjePW4"
    "yR8-toCzcR6WIWFH9-lc5YQhz15ggY8CuIOHDPwvm01jluT_tKJKKsWO"
    "-UUu-qhTTo593OCtiTH1DBQ\",\"signed\":\"2026-11-29T23:29:30.6"
    "69Z\",\"signer\":\"identity--2d016003-72fd-43d7-af07-12f8e84"
    "505d1\"}],\"signing_key\":\"s52YWx4sKJz-AZRhvZwdI_gEVsXHf1WP"
    "CTBbzaVEsb8\",\"taxii_url\":\"https://127.0.0.1:1/\",\"tls_spk"
    "i_sha256\":\"af97b747e2bddaeca57b7ee04a7f41562bb695e8c1eb6"
    "753df9e0d2e3bbc7c2e\",\"type\":\"x-threatex-descriptor\"}",	/* g2 */
    "{\"created\":\"2026-11-29T23:29:30.870Z\",\"id\":\"x-threatex-d"
    "escriptor--1acc8ec7-b9a9-46fb-bd79-b78d4508d80b\",\"identi"
    "ty_ref\":\"identity--bff5c3b9-50ee-4f61-a183-ce4ff1e1622e\""
    ",\"kid\":\"024830e187ecbaa566decd64129c8bc5db0861ae35c05cd2"
    "59dd0c790203f9f2\",\"name\":\"g2\",\"next_key_sha256\":\"seVdtJh"
    "Eljox5cNt_nKjhRvhCMjMQ9v_GviPByn3ndo\",\"signatures\":[{\"al"
    "g\":\"Ed25519\",\"batch\":{\"index\":0,\"path\":[],\"root\":\"Mfd4aK"
    "CjqpiEQyz7x4m8rqjPDzlici0pE4RWzSn1Pgk\",\"salt\":\"5rVd3jrOF"
    "ZBGynErUNcfUg\",\"size\":1},\"kid\":\"024830e187ecbaa566decd64"
    "129c8bc5db0861ae35c05cd259dd0c790203f9f2\",\"sig\":\"wLHn-ej"
    "ArkZ5mxgIDgsnWNNuAtfHmftj_aSfHQl1hraRk7FqPtVQKIRSLex0HdG"
    "JsY3XQ0G4B2lIf62Me8lDAA\",\"signed\":\"2026-11-29T23:29:30.8"
    "70Z\",\"signer\":\"identity--bff5c3b9-50ee-4f61-a183-ce4ff1e"
    "1622e\"}],\"signing_key\":\"Gen50vcAuJvG43OdoQkBzPf8pIn_JDns"
    "imMCT-uJmp8\",\"taxii_url\":\"https://127.0.0.1:1/\",\"tls_spk"
    "i_sha256\":\"935ba4afe81ec31bb3273f609b1c0ebf56bfaf28ad406"
    "197304be0203d8fb1d1\",\"type\":\"x-threatex-descriptor\"}",	/* g3 */
    "{\"created\":\"2026-11-29T23:29:31.044Z\",\"id\":\"x-threatex-d"
    "escriptor--de342566-98d2-42c2-ada3-1e9aec81e2c5\",\"identi"
    "ty_ref\":\"identity--138b4ea5-1923-4f03-a83c-3afbc5db52a5\""
    ",\"kid\":\"c641742d653529e51ab754a5da50c58f1a4e9a6d22913d48"
    "364c42866e749480\",\"name\":\"g3\",\"next_key_sha256\":\"aWzFMRu"
    "7lo8IjHjL_Auy3CJtxPBvdpvhuU2SX70zq9o\",\"signatures\":[{\"al"
    "g\":\"Ed25519\",\"batch\":{\"index\":0,\"path\":[],\"root\":\"m6PgUG"
    "KQIEEMF-utivdbnIy95PP26Hq17OpjMTbmlOY\",\"salt\":\"nyDDC5rQj"
    "s908SVo59GNKw\",\"size\":1},\"kid\":\"c641742d653529e51ab754a5"
    "da50c58f1a4e9a6d22913d48364c42866e749480\",\"sig\":\"guI3fj7"
    "eojrdmTzUb6J1P5a5aqw7yEKnx6iFDRqfViw_Z7FxCPe9mfJ8BS3XaC0"
    "lU5obl20kyQD077bqqKvHCA\",\"signed\":\"2026-11-29T23:29:31.0"
    "44Z\",\"signer\":\"identity--138b4ea5-1923-4f03-a83c-3afbc5d"
    "b52a5\"}],\"signing_key\":\"ug3kUhuFMHXK6M8SapT83FVuuVRpCdMQ"
    "wBGX1cIc5QU\",\"taxii_url\":\"https://127.0.0.1:1/\",\"tls_spk"
    "i_sha256\":\"2765e62048b486ac8f1f7cd0d1266eb2aa4d103650b03"
    "ec3ea47616b526deea1\",\"type\":\"x-threatex-descriptor\"}",};

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

/*
 * Setup: held arrives from the member before the member is in the roster
 * (quarantined: its origin is nobody's yet), then the member is added,
 * which releases it (merge_release): afterwards it must be current. Then
 * the origins join the roster.
 */
static void
setup(void)
{
	struct merge_src	 src = { FUZZ_MEMBER, FUZZ_MEMBER_ID,
	    FUZZ_MEMBER_PIN, 0, NULL, 0, TLP_UNKNOWN, NULL };
	struct merge_result	 res;
	struct tx_err		 err;
	struct node_peer_opts	 po;
	json_t			*o;
	char			*txt = NULL, label[64];
	size_t			 i;

	n = fuzz_node("sync_page");
	tx_err_clear(&err);
	src.now_us = node_now_us();
	check((o = json_loads(held, 0, NULL)) != NULL);
	check(store_begin(n->st, &err) == 0);
	check(merge_object(n, o, &src, &res, &err) == 0);
	check(res.status == MERGE_QUARANTINED);
	check(store_commit(n->st, &err) == 0);
	json_decref(o);
	check(store_get_current(n->st, &txt, HELD_ID, &err) == TX_ENOTFOUND);
	member = fuzz_member(n);
	check(store_get_current(n->st, &txt, HELD_ID, &err) == 0 &&
	    txt != NULL);
	free(txt);
	for (i = 0; i < sizeof(origins) / sizeof(origins[0]); i++) {
		node_peer_opts_init(&po);
		snprintf(label, sizeof(label), "fuzz-origin-%zu.json", i);
		if (node_peer_add(n, (const uint8_t *)origins[i],
		    strlen(origins[i]), label, &po, NULL, NULL, &err) != 0) {
			fprintf(stderr, "sync_page_fuzz: origin %zu: %s\n", i,
			    err.msg);
			abort();
		}
	}
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
	int				 limit, lim, want, rc;

	if (size > 512 * 1024)
		return 0;
	if (n == NULL) {
		setup();
		/* After fuzz_node's: runs first, with the node still open. */
		atexit(at_end);
	}
	dal = date_of(data, size);
	/* Every eighth size: 0, sync_page's own default (SYNC_PAGE_LIMIT). */
	limit = size % 8 == 0 ? 0 : 3 + (int)(size % 8);
	lim = limit > 0 ? limit : SYNC_PAGE_LIMIT;
	memset(&st, 0, sizeof(st));
	memset(&res, 0, sizeof(res));
	tx_err_clear(&err);
	check(store_cursor_get(n->st, member->name, &before, &err) == 0);
	/* One input in eight without a page result, which sync_page allows. */
	want = dal % 8 != 0;
	rc = sync_page(n, member, data, size, dal, limit, &st,
	    want ? &res : NULL, &err);
	check(store_cursor_get(n->st, member->name, &after, &err) == 0);
	if (rc == 0) {
		check(st.pages == 1);
		check(st.received >= 0 && st.received <= lim);
		check(st.received == st.stored + st.duplicates +
		    st.quarantined + st.refused);
		check(!want || res.count == (size_t)st.received);
		check(!want || memchr(res.next, '\0', sizeof(res.next)) != NULL);
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
