#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench_sync.sh THREATEX [N] - end-to-end figures on loopback: authoring N
# wallet indicators (import --csv: normalise, sign in batches, merge, store),
# their signed bundle imported by another member (against a jansson parse of
# it), then a peer catching up over mutual TLS (pull, verify, merge, store) and
# a delta of 100 new values. Prints JSON lines; DESIGN §10's `sync` bench.
set -eu
T=$1
N=${2:-20000}
W=$(mktemp -d "${TMPDIR:-/tmp}/tx-bench-sync-XXXXXX")
trap 'kill $SP 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
cd "$W"

port() { echo $((20000 + RANDOM % 30000)); }
ms() { date +%s%N | cut -c1-13; }
emit() { # metric value unit [baseline baseline_value]
	if [ $# -gt 3 ]; then
		awk -v m="$1" -v v="$2" -v u="$3" -v b="$4" -v bv="$5" 'BEGIN {
		    printf "{\"bench\":\"sync\",\"metric\":\"%s\",\"value\":%.1f,\"unit\":\"%s\",\"baseline\":\"%s\",\"baseline_value\":%.1f,\"ratio\":%.3f}\n", m, v, u, b, bv, (bv > 0 ? v / bv : 0) }'
	else
		awk -v m="$1" -v v="$2" -v u="$3" 'BEGIN {
		    printf "{\"bench\":\"sync\",\"metric\":\"%s\",\"value\":%.1f,\"unit\":\"%s\"}\n", m, v, u }'
	fi
}

pus=$(port)
"$T" -d us init --name us-cert --listen 127.0.0.1:$pus >/dev/null
"$T" -d uk init --name uk-ncsc --listen 127.0.0.1:$(port) >/dev/null
"$T" -d us identity export >us.json 2>/dev/null
"$T" -d uk identity export >uk.json 2>/dev/null
"$T" -d us peer add uk.json --yes >/dev/null
"$T" -d uk peer add us.json --yes >/dev/null

# N distinct synthetic EVM addresses (all-lowercase: valid, unchecksummed).
echo value >w.csv
od -An -tx1 -N $((N * 20)) -v /dev/urandom | tr -d ' \n' |
    fold -w 40 | head -n "$N" | sed 's/^/0x/' >>w.csv

t0=$(ms)
"$T" -d us import --csv --kind wallet --quiet w.csv >/dev/null
t1=$(ms)
objs=$("$T" -d us status | sed -n 's/^store	objects=\([0-9]*\).*/\1/p')
emit author_objects_per_s "$(awk -v o="$objs" -v t=$((t1 - t0)) 'BEGIN{print o * 1000 / t}')" objects/s
# The same objects as a signed bundle imported by a third member (verify
# each origin signature, merge, store), beside a jansson parse of the
# bundle's bytes (bench_import --parse, built beside threatex).
"$T" -d fr init --name fr-anssi --listen 127.0.0.1:$(port) >/dev/null
"$T" -d fr peer add us.json --yes >/dev/null
"$T" -d us export --out bundle.json >/dev/null 2>&1
t0=$(ms)
"$T" -d fr import --quiet bundle.json >/dev/null
t1=$(ms)
in=$("$T" -d fr status | sed -n 's/^store	objects=\([0-9]*\).*/\1/p')
parse=$("$(dirname "$T")/bench/bench_import" --parse bundle.json |
    sed -n 's/.*"value":\([0-9.]*\).*/\1/p')
emit import_signed_objects_per_s "$(awk -v o="$in" -v t=$((t1 - t0)) 'BEGIN{print o * 1000 / t}')" objects/s \
    jansson_parse_objects_per_s "$parse"
emit import_signed_objects "$in" objects

"$T" -d us serve --no-sync >us.log 2>&1 &
SP=$!
for i in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$pus) 2>/dev/null && break; sleep 0.1; done

t0=$(ms)
"$T" -d uk sync --limit 1000 >s1
t1=$(ms)
got=$(sed -n 's/.* new=\([0-9]*\) .*/\1/p' s1)
emit catchup_s "$(awk -v t=$((t1 - t0)) 'BEGIN{print t / 1000}')" s
emit catchup_objects_per_s "$(awk -v o="$got" -v t=$((t1 - t0)) 'BEGIN{print o * 1000 / t}')" objects/s
emit catchup_objects "$got" objects

head -1 w.csv >d.csv
od -An -tx1 -N 2000 -v /dev/urandom | tr -d ' \n' | fold -w 40 | head -n 100 | sed 's/^/0x/' >>d.csv
"$T" -d us import --csv --kind wallet --quiet d.csv >/dev/null
t0=$(ms)
"$T" -d uk sync >s2
t1=$(ms)
emit delta_pull_s "$(awk -v t=$((t1 - t0)) 'BEGIN{print t / 1000}')" s
emit delta_pull_objects "$(sed -n 's/.* new=\([0-9]*\) .*/\1/p' s2)" objects

