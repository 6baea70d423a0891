/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_jcs.c - cost of RFC 8785 canonicalisation of a typical ~1 KB STIX
 * 2.1 indicator: jcs_serialize of a parsed json_t (what signing does) and
 * jcs_canon of the text (parse + serialize, what `threatex canon` does),
 * the first compared with the 5 us budget ("a few microseconds"); the
 * second is dominated by jansson's parser and only reported.
 *
 * Usage: bench_jcs [ITERATIONS] (default 200000). Output: one JSON line
 * per figure.
 */
#include "bench.h"
#include "jcs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BUDGET_NS 5000.0

static const char indicator[] =
    "{\"type\":\"indicator\",\"spec_version\":\"2.1\","
    "\"id\":\"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
    "\"created_by_ref\":\"identity--8c1f3e8e-4a7c-4f6b-9a59-2f1d7b0c6e21\","
    "\"created\":\"2025-02-21T09:14:07.000Z\","
    "\"modified\":\"2025-02-21T09:14:07.000Z\","
    "\"name\":\"Bybit hack laundering wallet\","
    "\"description\":\"Ethereum address attributed by the FBI to TraderTraitor "
    "(Lazarus Group) in the laundering of the February 2025 Bybit theft.\","
    "\"indicator_types\":[\"malicious-activity\",\"attribution\"],"
    "\"pattern\":\"[cryptocurrency-wallet:value = "
    "'0x51e9d833ecae4e8d9d8be17300aeb4a1e9e2e8f2']\","
    "\"pattern_type\":\"stix\",\"pattern_version\":\"2.1\","
    "\"valid_from\":\"2025-02-21T00:00:00Z\","
    "\"valid_until\":\"2026-02-21T00:00:00Z\",\"confidence\":85,"
    "\"labels\":[\"dprk\",\"crypto-theft\",\"bybit\"],\"lang\":\"en\","
    "\"kill_chain_phases\":[{\"kill_chain_name\":\"mitre-attack\","
    "\"phase_name\":\"exfiltration\"}],"
    "\"external_references\":[{\"source_name\":\"FBI PSA\","
    "\"url\":\"https://www.ic3.gov/PSA/2025/PSA250226\","
    "\"description\":\"North Korea responsible for $1.5 billion Bybit hack\"}],"
    "\"object_marking_refs\":[\"marking-definition--34098fce-860f-48ae-8e50-"
    "ebd3cc5e41da\"],"
    "\"extensions\":{\"extension-definition--6e7b0f3c-2a61-4c33-9e8f-"
    "1a2b3c4d5e6f\":{\"extension_type\":\"property-extension\","
    "\"batch\":{\"kid\":\"3f2a9c\",\"size\":1024,\"index\":17,"
    "\"score\":0.875}}}}";

/* Serialisation is held to the budget; parsing (jansson) is reported. */
static void
report(const char *metric, double ns, int budget)
{
	printf("{\"bench\":\"jcs\",\"metric\":\"%s\",\"value\":%.0f,"
	    "\"unit\":\"ns/op\"", metric, ns);
	if (budget)
		printf(",\"baseline\":\"budget\",\"baseline_value\":%.0f,"
		    "\"ratio\":%.3f", BUDGET_NS, ns / BUDGET_NS);
	printf("}\n");
}

int
main(int argc, char **argv)
{
	struct tx_buf	 out;
	struct tx_err	 err;
	json_t		*v;
	long		 i, n = argc > 1 ? strtol(argv[1], NULL, 10) : 200000;
	double		 t0;
	size_t		 len = sizeof(indicator) - 1;

	if (n <= 0)
		n = 200000;
	tx_buf_init(&out, 1 << 20);
	if (jcs_parse(&v, (const uint8_t *)indicator, len, &err) != 0) {
		fprintf(stderr, "bench_jcs: %s: %s\n", err.where, err.msg);
		return 1;
	}
	t0 = bench_now();
	for (i = 0; i < n; i++) {
		tx_buf_reset(&out);
		if (jcs_serialize(&out, v, &err) != 0)
			return 1;
	}
	report("serialize_1kb_indicator",
	    (bench_now() - t0) * 1e9 / (double)n, 1);
	t0 = bench_now();
	for (i = 0; i < n; i++) {
		tx_buf_reset(&out);
		if (jcs_canon(&out, (const uint8_t *)indicator, len, &err) != 0)
			return 1;
	}
	report("canon_text_1kb_indicator",
	    (bench_now() - t0) * 1e9 / (double)n, 0);
	printf("{\"bench\":\"jcs\",\"metric\":\"input_bytes\",\"value\":%zu,"
	    "\"unit\":\"bytes\"}\n", len);
	json_decref(v);
	tx_buf_dispose(&out);
	return 0;
}
