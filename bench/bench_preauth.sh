#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench_preauth.sh THREATEX CLIENT FLOOD [CONNS] [REQUESTS] [SECONDS] - the
# `preauth_flood` benchmark: a node with about 1000 objects serves with a
# descriptor limit of 1024; a member (CLIENT, bench_preauth) pulls them all
# and makes REQUESTS requests on new connections, first alone (baseline),
# then while FLOOD (tests' tx_flood) holds CONNS hostile connections that
# never finish the handshake (idle, trickling, half-handshaken; reopened
# when closed) from 50 loopback addresses for at least SECONDS. Prints
# JSON lines: pull time and request p50/p99 under flood against the
# baseline of the same run, and the server's log growth under flood.
set -eu
T=$1
C=$2
F=$3
N=${4:-2000}
R=${5:-200}
S=${6:-60}
W=$(mktemp -d "${TMPDIR:-/tmp}/tx-bench-preauth-XXXXXX")
SP=
FP=
trap 'kill $FP $SP 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
cd "$W"

emit() { # metric value unit [baseline baseline_value]
	if [ $# -gt 3 ]; then
		awk -v m="$1" -v v="$2" -v u="$3" -v b="$4" -v bv="$5" 'BEGIN {
		    printf "{\"bench\":\"preauth_flood\",\"metric\":\"%s\",\"value\":%.3f,\"unit\":\"%s\",\"baseline\":\"%s\",\"baseline_value\":%.3f,\"ratio\":%.2f}\n", m, v, u, b, bv, (bv > 0 ? v / bv : 0) }'
	else
		awk -v m="$1" -v v="$2" -v u="$3" 'BEGIN {
		    printf "{\"bench\":\"preauth_flood\",\"metric\":\"%s\",\"value\":%.1f,\"unit\":\"%s\"}\n", m, v, u }'
	fi
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

p=$((20000 + RANDOM % 30000))
"$T" -d us init --name us-cert --listen 127.0.0.1:$p >/dev/null
"$T" -d uk init --name uk-ncsc --listen 127.0.0.1:1 >/dev/null
"$T" -d uk identity export >uk.json 2>/dev/null
"$T" -d us peer add uk.json --yes >/dev/null
sed -i 's/^peer_rate = .*/peer_rate = 1000000/' us/node.conf
# 333 wallet graphs: about 1000 objects.
echo value >w.csv
od -An -tx1 -N $((333 * 20)) -v /dev/urandom | tr -d ' \n' | fold -w 40 |
    head -n 333 | sed 's/^/0x/' >>w.csv
"$T" -d us import --csv --kind wallet --quiet w.csv >/dev/null
( ulimit -n 1024 && exec "$T" -d us serve --no-sync ) >us.log 2>&1 &
SP=$!
for i in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null && break; sleep 0.1; done
pin=$(openssl x509 -in us/keys/tls.crt -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1)
peer() { "$C" "https://127.0.0.1:$p/" "$pin" uk/keys/tls.crt uk/keys/tls.key "$R"; }

base=$(peer)
"$F" -n "$N" -a 50 -s 127.0.0.2 -d $((S + 8)) -i 1000 -r 127.0.0.1 $p >flood.out &
FP=$!
sleep 5
l0=$(stat -c %s us.log)
t0=$(date +%s.%N)
under=$(peer) || true
# Hold the flood for S seconds at least, for the log's growth rate.
while [ "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print (b - a < '"$S"') }')" = 1 ]; do sleep 1; done
l1=$(stat -c %s us.log)
t1=$(date +%s.%N)
wait "$FP" 2>/dev/null || true
FP=
flood=$(cat flood.out)
kill -0 "$SP" 2>/dev/null && alive=1 || alive=0

emit pull_completion_s "$(field "$under" pull_s)" s no_flood "$(field "$base" pull_s)"
emit objects_pulled "$(field "$under" objects)" objects
emit request_p50_ms "$(field "$under" p50_ms)" ms no_flood "$(field "$base" p50_ms)"
emit request_p99_ms "$(field "$under" p99_ms)" ms no_flood "$(field "$base" p99_ms)"
emit keepalive_request_p50_ms "$(field "$under" ka_p50_ms)" ms no_flood "$(field "$base" ka_p50_ms)"
emit keepalive_request_p99_ms "$(field "$under" ka_p99_ms)" ms no_flood "$(field "$base" ka_p99_ms)"
emit requests_failed "$(field "$under" ka_failed)" requests
emit log_growth "$(awk -v a="$l0" -v b="$l1" -v s="$t0" -v e="$t1" 'BEGIN { print (b - a) * 60 / (e - s) }')" bytes/min
emit hostile_connections "$N" connections
emit hostile_opened "$(field "$flood" opened)" connections
emit hostile_closed_by_server "$(field "$flood" closed)" connections
emit server_alive "$alive" bool
