#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Pre-authentication bounds (DESIGN §8), tested as an attacker without a
# member's key would attack: a node started with 256 descriptors is held
# by connections that never finish the TLS handshake (idle, trickling one
# byte a second, or half-handshaken), from many loopback addresses, more
# of them than the node has descriptors. Slow and silent connections are
# closed at their deadline however they trickle; under a sustained flood a
# member's sync still pulls what it should, the server lives on and its
# log stays small. Then a member's large push is answered "pending" and
# ingested in slices until its status says "complete", and a stop during
# such an ingest finishes it first.
. "$(dirname "$0")/lib.sh"
cd "$WORK"
FLOOD=$(dirname "$TX_FAKEPEER")/tx_flood

pus=$(free_port)
mknode us us-cert $pus
mknode uk uk-ncsc $(free_port)
pin us uk
pin uk us
sed -i 's/^peer_rate = .*/peer_rate = 100000/' us/node.conf
w=$(sed -n 11p "$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)
"$T" -d us add wallet "$w" --actor "Lazarus Group" >/dev/null
# The node under attack has 256 descriptors (soft and hard).
( ulimit -n 256 && exec "$T" -d us serve --no-sync ) >us.log 2>&1 &
SP=$!
PIDS="$PIDS $SP"
check "us-cert up with 256 descriptors" wait_port $pus

# 1. Twelve slow or silent connections from three addresses, within every
# cap: the tool keeps each alive as long as the server does (trickle: a
# byte a second), for 25 s at most.
timeout 60 "$FLOOD" -n 12 -a 3 -s 127.0.0.50 -d 25 -i 1000 -q \
    127.0.0.1 $pus >flood1
sed 's/^/# /' flood1
contains "the attacker held its 12 connections" flood1 "^opened=12 connect_failed=0 "
contains "the server closed each trickling connection (deadline, not idle time)" flood1 " closed_trickle=4( |$)"
contains "and each idle one" flood1 " closed_idle=4( |$)"
contains "and each half-handshaken one" flood1 " closed_hello=4( |$)"

# 2. A sustained flood: 600 connections from 30 addresses, each reopened
# as soon as the server closes it, for 40 s; meanwhile a member syncs.
timeout 90 "$FLOOD" -n 600 -a 30 -s 127.0.0.2 -d 40 -i 1000 -r \
    127.0.0.1 $pus >flood2 &
FP=$!
PIDS="$PIDS $FP"
sleep 3
timeout 60 "$T" -d uk sync >s1 2>&1
check "a member's sync succeeds during the flood" test $? -eq 0
contains "and pulls us-cert's objects" s1 "^synced	us-cert	pages=1 received=[1-9][0-9]* new=[1-9]"
"$T" -d uk lookup "$w" >l1
contains "the pulled wallet is known at uk-ncsc" l1 "^known	wallet	"
check "the server is alive during the flood" kill -0 $SP
wait $FP
sed 's/^/# /' flood2
contains "the flood ran" flood2 "^opened=[0-9]{3,} "
contains "the server closed flood connections" flood2 " closed=[1-9][0-9]* "
timeout 60 "$T" -d uk sync >s2 2>&1
check "after the flood the member syncs again" test $? -eq 0
check "the server is alive after the flood" kill -0 $SP
size=$(stat -c %s us.log)
check "the server's log stayed small ($size bytes, bound 65536)" test "$size" -lt 65536
lacks "no accept() error spin in the log" us.log "Error from accept"

# 3. A member pushes 1000 objects at once: 202 "pending" with a status
# resource, ingested in slices until the status says "complete".
echo value >w.csv
for i in $(seq 1000 1249); do printf '0x%040x\n' "$i"; done >>w.csv
"$T" -d uk import --csv --kind wallet --quiet w.csv >/dev/null
"$T" -d uk export --format stix 2>/dev/null |
    sed '1s/^{"type": "bundle", "id": "[^"]*", /{/' >env.json
n=$(grep -o '"spec_version"' env.json | wc -l)
check "the envelope holds more than 500 objects ($n)" test "$n" -gt 500
MEDIA='application/taxii+json;version=2.1'
{ printf 'POST /api/collections/a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d/objects/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n' \
    "$MEDIA" "$MEDIA" "$(stat -c %s env.json)"; cat env.json; } |
    timeout 60 openssl s_client -quiet -cert uk/keys/tls.crt \
    -key uk/keys/tls.key -connect 127.0.0.1:$pus 2>/dev/null | tr -d '\r' |
    cut -c1-300 >p1
contains "the inbox answers 202 at once" p1 "^HTTP/1.1 202"
contains "with a pending status resource" p1 '"status":"pending"'
sid=$(grep -o '"id":"[0-9a-f-]\{36\}","status"' p1 | cut -d'"' -f4)
check "status id found" test -n "$sid"
for i in $(seq 1 120); do
	printf 'GET /api/status/%s/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: %s\r\nConnection: close\r\n\r\n' "$sid" "$MEDIA" |
	    timeout 20 openssl s_client -quiet -cert uk/keys/tls.crt \
	    -key uk/keys/tls.key -connect 127.0.0.1:$pus 2>/dev/null |
	    tr -d '\r' | sed 's/"successes":\[[^]]*\]/"successes":[...]/' >g1
	grep -q '"status":"complete"' g1 && break
	sleep 0.5
done
contains "the ingest completes" g1 '"status":"complete"'
contains "every object counted, none pending" g1 "\"total_count\":$n,.*\"pending_count\":0"
contains "the pushed objects were stored" g1 "\"success_count\":$n,"

# 5. A member that opens many authenticated connections and holds them
# silent is capped per member (the server's first log line names the cap):
# the rest are closed, and the member gets in again once it lets go.
cap=$(sed -n 's/.* \([0-9]*\) per member$/\1/p' us.log | head -1)
check "the per-member cap is logged" test -n "$cap"
timeout 60 "$FLOOD" -n $((cap * 2)) -a 3 -s 127.0.0.70 -d 4 \
    -c uk/keys/tls.crt -k uk/keys/tls.key 127.0.0.1 $pus >flood5
sed 's/^/# /' flood5
contains "uk-ncsc completed every handshake" flood5 "^opened=$((cap * 2)) handshake_failed=0 "
contains "and kept only its cap of connections" flood5 " closed=$cap open=$cap$"
check "the server is alive" kill -0 $SP
timeout 60 "$T" -d uk sync >s5 2>&1
check "the member syncs once it lets go" test $? -eq 0

# 4. A stop (SIGTERM) sent as soon as a large push is answered: the server
# finishes the ingest before it exits; after a restart the status says
# complete and the objects are there.
echo value >w2.csv
for i in $(seq 2000 2249); do printf '0x%040x\n' "$i"; done >>w2.csv
"$T" -d uk import --csv --kind wallet --quiet w2.csv >/dev/null
"$T" -d uk export --format stix 2>/dev/null |
    sed '1s/^{"type": "bundle", "id": "[^"]*", /{/' >env2.json
n2=$(grep -o '"spec_version"' env2.json | wc -l)
{ printf 'POST /api/collections/a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d/objects/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n' \
    "$MEDIA" "$MEDIA" "$(stat -c %s env2.json)"; cat env2.json; } |
    timeout 60 openssl s_client -quiet -cert uk/keys/tls.crt \
    -key uk/keys/tls.key -connect 127.0.0.1:$pus 2>/dev/null | tr -d '\r' |
    { IFS= read -r l; echo "$l" >p2; kill -TERM $SP; cut -c1-300 >>p2; }
contains "the second push is accepted" p2 "^HTTP/1.1 202"
sid2=$(grep -o '"id":"[0-9a-f-]\{36\}","status"' p2 | cut -d'"' -f4)
for i in $(seq 1 300); do kill -0 $SP 2>/dev/null || break; sleep 0.2; done
check "the server stopped" test "$(kill -0 $SP 2>/dev/null && echo up)" = ""
"$T" -d us lookup "$(printf '0x%040x' 2249)" >l2
contains "the last wallet of the push is stored" l2 "^known	wallet	"
serve us us2.log
check "us-cert up again" wait_port $pus
printf 'GET /api/status/%s/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: %s\r\nConnection: close\r\n\r\n' "$sid2" "$MEDIA" |
    timeout 20 openssl s_client -quiet -cert uk/keys/tls.crt \
    -key uk/keys/tls.key -connect 127.0.0.1:$pus 2>/dev/null |
    tr -d '\r' | sed 's/"successes":\[[^]]*\]/"successes":[...]/' >g2
contains "its status is complete, every object counted" g2 "\"status\":\"complete\",.*\"total_count\":$n2,.*\"pending_count\":0"

finish
