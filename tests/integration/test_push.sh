#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Push (DESIGN §8, §9): `sync` pushes to each peer's inbox what that peer
# may receive; the inbox ingests through the merge path and answers 202
# with a status resource that only the pushing peer can read. A peer that
# pushes another agency's AMBER object gets it refused in the status.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

puk=$(free_port)
mknode us us-cert $(free_port)
mknode uk uk-ncsc $puk
mknode fr fr-anssi $(free_port)
pin us uk
pin fr uk
pin uk us
pin uk fr
w=$(sed -n 11p "$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)
"$T" -d us add wallet "$w" --actor "Lazarus Group" >/dev/null
serve uk uk.log
check "uk-ncsc up" wait_port $puk

# us-cert does not serve at all: its sync pulls nothing and pushes.
timeout 60 "$T" -d us sync >s1 2>&1
contains "us-cert pushes its objects to uk-ncsc" s1 "^synced	uk-ncsc	.* pushed=6$"
"$T" -d uk lookup "$w" >l1
contains "uk-ncsc knows the wallet without having pulled" l1 "^known	wallet	.*	indicator	.*origin=us-cert	signature=origin us-cert ok.*via=us-cert"
timeout 60 "$T" -d us sync >s2 2>&1
contains "nothing is pushed twice" s2 "^synced	uk-ncsc	.* pushed=0$"

MEDIA='application/taxii+json;version=2.1'
inbox=a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d
# post NODE PATH FILE [CONTENT-TYPE]: raw POST with NODE's certificate.
post() {
	{ printf 'POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n' \
	    "$2" "$MEDIA" "${4:-$MEDIA}" "$(stat -c %s "$3")"; cat "$3"; } |
	    timeout 20 openssl s_client -quiet -cert "$1/keys/tls.crt" \
	    -key "$1/keys/tls.key" -connect 127.0.0.1:$puk 2>/dev/null | tr -d '\r'
}
get() {
	printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: %s\r\nConnection: close\r\n\r\n' "$2" "$MEDIA" |
	    timeout 20 openssl s_client -quiet -cert "$1/keys/tls.crt" \
	    -key "$1/keys/tls.key" -connect 127.0.0.1:$puk 2>/dev/null | tr -d '\r'
}

# fr-anssi pushes us-cert's AMBER objects (taken from an export).
"$T" -d us export --format stix 2>/dev/null | sed '1s/^{"type": "bundle", "id": "[^"]*", /{/' >env.json
post fr /api/collections/$inbox/objects/ env.json >p1
contains "the inbox answers 202" p1 "^HTTP/1.1 202"
contains "with a status resource" p1 '"status":"complete"'
contains "a relayed AMBER object is refused as a policy violation" p1 '"failures":\[\{"id":"[a-z-]+--[0-9a-f-]+".*"message":"policy violation: AMBER object relayed'
sid=$(grep -o '"id":"[0-9a-f-]\{36\}","status"' p1 | cut -d'"' -f4)
check "status id found" test -n "$sid"
get fr /api/status/$sid/ >g1
contains "the pusher can read its status" g1 "^HTTP/1.1 200"
get us /api/status/$sid/ >g2
contains "another peer cannot: 404, as if it did not exist" g2 "^HTTP/1.1 404"
post fr /api/collections/$inbox/objects/ env.json text/plain >p2
contains "a wrong content type is 415" p2 "^HTTP/1.1 415"
printf '{"objects": [' >bad.json
post fr /api/collections/$inbox/objects/ bad.json >p3
contains "a truncated envelope is 400" p3 "^HTTP/1.1 400"
post fr /api/collections/5f1d8a47-7c6f-4d3e-9f0a-2b1c3d4e5f60/objects/ env.json >p4
contains "the shared collection is read-only" p4 "^HTTP/1.1 403"
get fr /api/collections/$inbox/objects/ >g3
contains "the inbox is write-only" g3 "^HTTP/1.1 403"

finish
