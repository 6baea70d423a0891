#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ab_ingest.sh A_THREATEX B_THREATEX [N] - two builds of threatex side by
# side in one run, alternating, on the same inputs: authoring N random
# wallet values (import --csv into a fresh node) and importing the signed
# bundle of them as another member (verify, merge, store). Prints one JSON
# line per run and build; compare a build with the one before a change.
set -eu
A=$1
B=$2
N=${3:-20000}
W=$(mktemp -d "${TMPDIR:-/tmp}/tx-ab-XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W"
ms() { date +%s%N | cut -c1-13; }
objects() { "$1" -d "$2" status | sed -n 's/^store	objects=\([0-9]*\).*/\1/p'; }
line() { # run build what seconds objects
	awk -v r="$1" -v b="$2" -v w="$3" -v t="$4" -v o="$5" 'BEGIN {
	    printf "{\"bench\":\"ab_ingest\",\"run\":%d,\"build\":\"%s\",\"metric\":\"%s\",\"s\":%.2f,\"objects\":%d,\"objects_per_s\":%.0f}\n", r, b, w, t, o, o / t }'
}

echo value >w.csv
od -An -tx1 -N $((N * 20)) -v /dev/urandom | tr -d ' \n' | fold -w 40 |
    head -n "$N" | sed 's/^/0x/' >>w.csv
"$A" -d src init --name us-cert --listen 127.0.0.1:1 >/dev/null
"$A" -d src identity export >src.json 2>/dev/null
"$A" -d src import --csv --kind wallet --quiet w.csv >/dev/null
"$A" -d src export --out bundle.json >/dev/null 2>&1

for r in 1 2; do
	for b in A B; do
		T=$A
		[ "$b" = B ] && T=$B
		rm -rf au im
		"$T" -d au init --name uk-ncsc --listen 127.0.0.1:1 >/dev/null
		t0=$(ms)
		"$T" -d au import --csv --kind wallet --quiet w.csv >/dev/null
		t1=$(ms)
		line $r $b author_csv $((t1 - t0))e-3 "$(objects "$T" au)"
		"$T" -d im init --name fr-anssi --listen 127.0.0.1:1 >/dev/null
		"$T" -d im peer add src.json --yes >/dev/null
		t0=$(ms)
		"$T" -d im import --quiet bundle.json >/dev/null
		t1=$(ms)
		line $r $b import_signed $((t1 - t0))e-3 "$(objects "$T" im)"
	done
done
