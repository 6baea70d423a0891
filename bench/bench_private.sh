#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench_private.sh THREATEX [N] [Q] - private lookup end to end (DESIGN §12,
# issue 16): us-cert holds N AMBER wallets that uk-ncsc (max_tlp GREEN)
# may not receive but may ask privately; uk-ncsc asks Q values (half held)
# with `lookup --private` over mutual TLS: the statement, the private set
# (built on this first request), blinded batches, proofs. Baseline in the
# same run: an idle `sync` round trip between the same two nodes (TLS,
# HTTP and one TAXII page). Prints JSON lines.
set -eu
T=$1
N=${2:-10000}
Q=${3:-100}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/tx-bench-private-XXXXXX")
SP=
trap '[ -n "$SP" ] && kill $SP 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
cd "$W"

ms() { date +%s%N | cut -c1-13; }
emit() { # metric value unit [baseline baseline_value]
	if [ $# -gt 3 ]; then
		awk -v m="$1" -v v="$2" -v u="$3" -v b="$4" -v bv="$5" 'BEGIN {
		    printf "{\"bench\":\"private\",\"metric\":\"%s\",\"value\":%.3f,\"unit\":\"%s\",\"baseline\":\"%s\",\"baseline_value\":%.3f,\"ratio\":%.2f}\n", m, v, u, b, bv, (bv > 0 ? v / bv : 0) }'
	else
		awk -v m="$1" -v v="$2" -v u="$3" 'BEGIN {
		    printf "{\"bench\":\"private\",\"metric\":\"%s\",\"value\":%.3f,\"unit\":\"%s\"}\n", m, v, u }'
	fi
}

p=$((20000 + RANDOM % 30000))
"$T" -d us init --name us-cert --listen 127.0.0.1:$p >/dev/null
"$T" -d uk init --name uk-ncsc --listen 127.0.0.1:1 >/dev/null
"$T" -d us identity export >us.json 2>/dev/null
"$T" -d uk identity export >uk.json 2>/dev/null
"$T" -d us peer add uk.json --yes --max-tlp green >/dev/null
"$T" -d uk peer add us.json --yes >/dev/null
sed -i 's/^peer_rate = .*/peer_rate = 1000000/' us/node.conf
"$T" -d us peer set uk-ncsc --private-lookup on --private-budget 10000000 >/dev/null
echo value >w.csv
od -An -tx1 -N $((N * 20)) -v /dev/urandom | tr -d ' \n' |
    fold -w 40 | head -n "$N" | sed 's/^/0x/' >>w.csv
"$T" -d us import --csv --kind wallet --tlp amber --quiet w.csv >/dev/null
# Q values: half of them held, half fresh.
{ sed -n "2,$((Q / 2 + 1))p" w.csv
  od -An -tx1 -N $(((Q - Q / 2) * 20)) -v /dev/urandom | tr -d ' \n' |
      fold -w 40 | head -n $((Q - Q / 2)) | sed 's/^/0x/'; } >q.txt
"$T" -d us serve --no-sync >us.log 2>&1 &
SP=$!
bench_wait_port "$p"

t0=$(ms); "$T" -d uk sync >/dev/null; t1=$(ms)
base=$(awk -v t=$((t1 - t0)) 'BEGIN { print t / 1000 }')
t0=$(ms); "$T" -d uk lookup --private - <q.txt >r1.txt; t1=$(ms)
held=$(grep -c 'held by us-cert (withheld' r1.txt || true)
emit "private_lookup_${Q}_first_s" "$(awk -v t=$((t1 - t0)) 'BEGIN { print t / 1000 }')" s idle_sync_s "$base"
t0=$(ms); "$T" -d uk lookup --private - <q.txt >r2.txt; t1=$(ms)
emit "private_lookup_${Q}_s" "$(awk -v t=$((t1 - t0)) 'BEGIN { print t / 1000 }')" s idle_sync_s "$base"
emit private_lookup_held "$held" values
emit private_set_values "$N" values
[ "$held" -eq $((Q / 2)) ] || { echo "bench_private: $held of $((Q / 2)) held values found" >&2; exit 1; }
