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
. "$(dirname "$0")/lib.sh"
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

# 333 wallet graphs: about 1000 objects.
bench_two_nodes "$T" 333
( ulimit -n 1024 && exec "$T" -d us serve --no-sync ) >us.log 2>&1 &
SP=$!
bench_wait_port $p || true
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
