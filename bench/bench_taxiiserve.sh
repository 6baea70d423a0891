#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench_taxiiserve.sh THREATEX [N] [PAGE] - a node holding about N objects
# (N/3 wallet graphs) serves them to the OASIS client, taxii2client 2.3.0
# from ../shared/peers (tests/integration/taxii2client_check.py, as a
# member with its client certificate), PAGE objects a page (issue 10,
# DESIGN §10 `taxiiserve`). Baseline in the same run: the same pages
# fetched by curl following `next` (one TLS connection per page, timed by
# curl itself), so the ratio says what the client library costs over the
# server's own serving rate.
set -eu
. "$(dirname "$0")/lib.sh"
T=$1
N=${2:-10000}
PAGE=${3:-1000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TC=${TX_SHARED_DIR:-$ROOT/../shared}/peers/taxii2client-2.3.0
CHECK=$ROOT/tests/integration/taxii2client_check.py
W=$(mktemp -d "${TMPDIR:-/tmp}/tx-bench-taxiiserve-XXXXXX")
SP=
trap 'kill $SP 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
unset REQUESTS_CA_BUNDLE CURL_CA_BUNDLE
cd "$W"
bench_two_nodes "$T" $(((N + 2) / 3))
"$T" -d us serve --no-sync >us.log 2>&1 &
SP=$!
bench_wait_port $p || true

# taxii2client: as_pages through every object (its own clock: the walk).
out=$(PYTHONPATH=$TC /usr/bin/python3 "$CHECK" "https://127.0.0.1:$p/taxii2/" \
    us/keys/tls.crt cert:uk/keys/tls.crt:uk/keys/tls.key "pages:$PAGE")
items=$(echo "$out" | sed -n 's/^objects	.*	items=\([0-9]*\)	.*/\1/p')
secs=$(echo "$out" | sed -n 's/^objects	.*	seconds=\([0-9.]*\)$/\1/p')
if [ -z "$items" ] || [ -z "$secs" ]; then
	echo "bench_taxiiserve: taxii2client failed: $out" >&2
	exit 1
fi

# curl: the same pages, following next; curl's own clock per page (the
# cursor and the count are read off the clock).
export LC_ALL=C
A='Accept: application/taxii+json;version=2.1'
base=https://127.0.0.1:$p/api/collections
cc() { curl -sf --cacert us/keys/tls.crt --cert uk/keys/tls.crt --key uk/keys/tls.key -H "$A" "$@"; }
coll=$(cc "$base/" | grep -o '"id":"[0-9a-f-]*"' | head -1 | cut -d'"' -f4)
next=
got=0
: >times
for i in $(seq 1 100000); do
	cc -o page.json -w '%{time_total}\n' \
	    "$base/$coll/objects/?limit=$PAGE${next:+&next=$next}" >>times
	got=$((got + $(grep -o '"spec_version":"2.1"' page.json | wc -l)))
	next=$(head -c 2048 page.json | grep -o '^{"more":true,"next":"[^"]*"' |
	    cut -d'"' -f6 || true)
	[ -n "$next" ] || break
done
ct=$(awk '{ t += $1 } END { print t }' times)
[ "$got" -eq "$items" ] ||
    echo "bench_taxiiserve: curl got $got objects, taxii2client $items" >&2

awk -v n="$items" -v s="$secs" -v cn="$got" -v ct="$ct" -v pg="$PAGE" 'BEGIN {
	r = n / s; c = cn / ct
	printf "{\"bench\":\"taxiiserve\",\"metric\":\"objects_served\",\"value\":%d,\"unit\":\"objects\"}\n", n
	printf "{\"bench\":\"taxiiserve\",\"metric\":\"curl_objects_per_s_page_%d\",\"value\":%.0f,\"unit\":\"objects/s\"}\n", pg, c
	printf "{\"bench\":\"taxiiserve\",\"metric\":\"taxii2client_objects_per_s_page_%d\",\"value\":%.0f,\"unit\":\"objects/s\",\"baseline\":\"curl_objects_per_s_page_%d\",\"baseline_value\":%.0f,\"ratio\":%.2f}\n", pg, r, pg, c, r / c
}'
