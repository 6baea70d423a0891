#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench_taxii.sh THREATEX CLIENT [N] [SECONDS] - a node holding N wallet
# graphs serves a peer on loopback; bench_taxii measures handshakes,
# objects served and lookups against it (DESIGN §10 `taxii`). Then the
# same against `serve --no-privsep` (one process): each privilege-separated
# figure is printed with the one-process figure as its same-run baseline.
set -eu
. "$(dirname "$0")/lib.sh"
T=$1
C=$2
N=${3:-5000}
S=${4:-3}
W=$(mktemp -d "${TMPDIR:-/tmp}/tx-bench-taxii-XXXXXX")
SP=
trap 'kill $SP 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
cd "$W"
bench_two_nodes "$T" "$N"
"$T" -d us serve --no-sync >us.log 2>&1 &
SP=$!
bench_wait_port $p || true
"$C" "https://127.0.0.1:$p/" "$pin" uk/keys/tls.crt uk/keys/tls.key "$(sed -n 2p w.csv)" "$S" >privsep.jsonl
kill $SP; wait $SP 2>/dev/null || true
"$T" -d us serve --no-sync --no-privsep >us1.log 2>&1 &
SP=$!
bench_wait_port $p || true
"$C" "https://127.0.0.1:$p/" "$pin" uk/keys/tls.crt uk/keys/tls.key "$(sed -n 2p w.csv)" "$S" >oneproc.jsonl
# Each figure beside its one-process baseline (higher is better for
# rates; for latencies, "ms" units, the ratio reads the other way).
awk 'NR == FNR {
	match($0, /"metric":"[^"]*"/); m = substr($0, RSTART + 10, RLENGTH - 11)
	match($0, /"value":[0-9.eE+-]+/); base[m] = substr($0, RSTART + 8, RLENGTH - 8)
	l = $0; sub(/"metric":"[^"]*"/, "\"metric\":\"" m "_no_privsep\"", l); print l
	next
}
{
	match($0, /"metric":"[^"]*"/); m = substr($0, RSTART + 10, RLENGTH - 11)
	match($0, /"value":[0-9.eE+-]+/); v = substr($0, RSTART + 8, RLENGTH - 8)
	if ((m in base) && base[m] > 0) {
		sub(/}$/, sprintf(",\"baseline\":\"%s_no_privsep\",\"baseline_value\":%s,\"ratio\":%.2f}", m, base[m], v / base[m]))
	}
	print
}' oneproc.jsonl privsep.jsonl
