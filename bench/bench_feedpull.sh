#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench_feedpull.sh THREATEX [N [PER_COLLECTION [LIMIT]]] - issue 10's feed
# pull: N third-party STIX objects (vendor wallet indicators, their SCOs
# and based-on relationships: tests/integration/mkfeeddata.py) held by the
# unmodified OASIS medallion 3.0.0 behind tests/integration/medallion_tls.py
# (HTTPS, HTTP Basic, page size LIMIT), pulled in the same run by
# `threatex feed sync` (discovery, collection by title, `next` walk,
# attestation, merge, store) and by taxii2client 2.3.0 (bench/
# feedpull_client.py: the same walk, objects kept in memory, nothing
# verified or stored). Prints JSON lines (DESIGN §10), threatex's figures
# with taxii2client's as baseline and the ratio.
#
# medallion's memory backend answers a collection's first page in time
# quadratic in the collection's size (every object's timestamps re-parsed
# per manifest entry: 427 objects took 4.9 s here, 10,000 would take most
# of an hour), so the N objects are spread over collections of
# PER_COLLECTION (default 500, or N/16 if more: a node holds at most 16
# feeds), one threatex feed each; each figure also
# comes as the time medallion spent (its own request log) and the rest,
# the client's own share.
set -eu
T=$1
N=${2:-10000}
PER=${3:-0}
LIMIT=${4:-100}
case "$N$PER$LIMIT" in *[!0-9]*) echo "bench_feedpull: N, PER_COLLECTION and LIMIT are numbers" >&2; exit 2 ;; esac
# Default: collections of 500, or of N/16 when that is more (a node
# holds at most 16 feeds).
[ "$PER" -eq 0 ] && PER=$(((N + 15) / 16)) && [ "$PER" -lt 500 ] && PER=500
[ "$N" -ge 1 ] && [ "$PER" -ge 1 ] && [ "$LIMIT" -ge 1 ] || {
	echo "bench_feedpull: N, PER_COLLECTION and LIMIT must be >= 1" >&2
	exit 2
}
[ $(((N + PER - 1) / PER)) -le 16 ] || {
	echo "bench_feedpull: more than 16 collections (a node holds at most 16 feeds): raise PER_COLLECTION" >&2
	exit 2
}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=$(cd "${TX_SHARED_DIR:-$ROOT/../shared}" && pwd)
PY=/usr/bin/python3
if ! "$PY" -c 'import flask, flask_httpauth, pytz, six, requests' 2>/dev/null; then
	echo "bench_feedpull: /usr/bin/python3 lacks Flask or requests (.ci/deps.sh)" >&2
	exit 1
fi
unset REQUESTS_CA_BUNDLE CURL_CA_BUNDLE
export PYTHONDONTWRITEBYTECODE=1
K=$(((N + PER - 1) / PER))
W=$(mktemp -d "${TMPDIR:-/tmp}/tx-bench-feedpull-XXXXXX")
MP=""
trap '[ -n "$MP" ] && kill "$MP" 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
cd "$W"

ms() { date +%s%N | cut -c1-13; }
emit() { # metric value unit [baseline baseline_value]
	if [ $# -gt 3 ]; then
		awk -v m="$1" -v v="$2" -v u="$3" -v b="$4" -v bv="$5" 'BEGIN {
		    printf "{\"bench\":\"feedpull\",\"metric\":\"%s\",\"value\":%.3f,\"unit\":\"%s\",\"baseline\":\"%s\",\"baseline_value\":%.3f,\"ratio\":%.3f}\n", m, v, u, b, bv, (bv > 0 ? v / bv : 0) }'
	else
		awk -v m="$1" -v v="$2" -v u="$3" 'BEGIN {
		    printf "{\"bench\":\"feedpull\",\"metric\":\"%s\",\"value\":%.3f,\"unit\":\"%s\"}\n", m, v, u }'
	fi
}
# server_s FIRST_LINE: seconds medallion spent on the requests logged
# from line FIRST_LINE of med.req on.
server_s() { tail -n +"$1" med.req | awk '{ s += $4 } END { printf "%.3f", s }'; }

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout ca.key -out ca.crt -days 2 -subj "/CN=bench CA" \
    -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout srv.key -out srv.csr -subj "/CN=localhost" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >srv.ext
openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
    -days 2 -out srv.crt -extfile srv.ext 2>/dev/null

"$PY" "$ROOT/tests/integration/mkfeeddata.py" --shared "$SHARED" \
    --out feed.json --no-examples --extra $(((N + 2) / 3)) --total "$N" \
    --collections "$K" --title "Bench feed"

# A port the kernel picks and that is closed again at once.
p=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PYTHONPATH=$SHARED/peers/medallion-3.0.0 "$PY" \
    "$ROOT/tests/integration/medallion_tls.py" --port "$p" --data feed.json \
    --cert srv.crt --key srv.key --user bench:bench-pw --page-size "$LIMIT" \
    --max-seconds 5400 --quiet --log med.req 2>med.log &
MP=$!
for i in $(seq 1 300); do
	(exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null && break
	sleep 0.1
done
: >>med.req
URL="https://127.0.0.1:$p/taxii2/"

# threatex: one feed per collection, one `feed sync` round.
"$T" -d tx init --name us-cert --listen 127.0.0.1:1 >/dev/null
for k in $(seq 1 "$K"); do
	t="Bench feed"
	[ "$K" -gt 1 ] && t="Bench feed $k"
	echo bench-pw | "$T" -d tx feed add "f$k" "$URL" --collection "$t" \
	    --auth basic --user bench --password-stdin --ca ca.crt \
	    --timeout 3600 >add.out 2>&1 || {
		echo "bench_feedpull: threatex feed add f$k failed:" >&2
		cat add.out >&2
		exit 1
	}
done
n0=$("$T" -d tx status | sed -n 's/^store	objects=\([0-9]*\).*/\1/p')
l0=$(($(wc -l <med.req) + 1))
t0=$(ms)
"$T" -d tx feed sync >tx.out 2>tx.err || {
	echo "bench_feedpull: threatex feed sync failed:" >&2
	tail -5 tx.out tx.err >&2
}
t1=$(ms)
tx_srv=$(server_s "$l0")
n1=$("$T" -d tx status | sed -n 's/^store	objects=\([0-9]*\).*/\1/p')
tx_objs=$((n1 - n0))
tx_s=$(awk -v t=$((t1 - t0)) 'BEGIN { print t / 1000 }')

# taxii2client: the same collections, same page size.
l0=$(($(wc -l <med.req) + 1))
t0=$(ms)
PYTHONPATH=$SHARED/peers/taxii2client-2.3.0 "$PY" "$ROOT/bench/feedpull_client.py" \
    "$URL" --user bench --password bench-pw --ca ca.crt --limit "$LIMIT" \
    --title-prefix "Bench feed" >py.out
t1=$(ms)
py_srv=$(server_s "$l0")
py_objs=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["objects"])' py.out)
py_s=$(awk -v t=$((t1 - t0)) 'BEGIN { print t / 1000 }')

emit objects "$N" objects
emit collections "$K" collections
emit threatex_objects_stored "$tx_objs" objects
emit taxii2client_objects "$py_objs" objects
emit threatex_pull_s "$tx_s" s taxii2client_pull_s "$py_s"
emit threatex_objects_per_s "$(awk -v o="$tx_objs" -v s="$tx_s" 'BEGIN { print (s > 0 ? o / s : 0) }')" \
    objects/s taxii2client_objects_per_s \
    "$(awk -v o="$py_objs" -v s="$py_s" 'BEGIN { print (s > 0 ? o / s : 0) }')"
emit medallion_s_during_threatex "$tx_srv" s medallion_s_during_taxii2client "$py_srv"
emit threatex_client_s "$(awk -v a="$tx_s" -v b="$tx_srv" 'BEGIN { print a - b }')" \
    s taxii2client_client_s "$(awk -v a="$py_s" -v b="$py_srv" 'BEGIN { print a - b }')"
emit medallion_first_page_max_s "$(grep -v 'next=' med.req | awk '$2 ~ /\/objects\// && $4 > m { m = $4 } END { printf "%.3f", m + 0 }')" s
