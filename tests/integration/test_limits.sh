#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Server limits and operator metrics (DESIGN §8): a peer over its request
# rate gets 429 with Retry-After; /metrics answers only an operator
# certificate named in node.conf, never a peer; an oversized POST is 413.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

pus=$(free_port)
"$T" pki ca ca >/dev/null
mknode us us-cert $pus
mknode uk uk-ncsc $(free_port)
pin us uk
# An operator certificate (from the test CA) allowed /metrics.
"$T" pki issue ca ops identity--00000000-0000-4000-8000-000000000001 >/dev/null
oppin=$(openssl x509 -in ca/ops.crt -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1)
sed -i "s/^peer_rate = .*/peer_rate = 6/; /^\[node\]/a operator = $oppin" us/node.conf
serve us us.log
check "server up" wait_port $pus

MEDIA='application/taxii+json;version=2.1'
req() {	# CERTDIR-PREFIX PATH
	printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: %s\r\nConnection: close\r\n\r\n' "$2" "$MEDIA" |
	    timeout 20 openssl s_client -quiet -cert "$1.crt" -key "$1.key" \
	    -connect 127.0.0.1:$pus 2>/dev/null | tr -d '\r'
}
for i in $(seq 1 9); do req uk/keys/tls /taxii2/ | head -1; done >codes
check "within the burst, requests are served" test "$(grep -c ' 200 ' codes)" -ge 5
check "past it, the peer gets 429" test "$(grep -c ' 429 ' codes)" -ge 2
req uk/keys/tls /taxii2/ >r429
if grep -q ' 429 ' r429; then
	contains "429 says when to retry" r429 "^Retry-After: 1"
fi
req ca/ops /metrics >m1
contains "an operator gets /metrics" m1 "^HTTP/1.1 200"
contains "with per-peer request counts" m1 '^threatex_requests_total\{peer="uk-ncsc"\} 1[0-9]$'
contains "and the rate-limited ones" m1 '^threatex_rate_limited_total\{peer="uk-ncsc"\} [2-9]'
contains "the store's counts" m1 '^threatex_objects [0-9]+$'
contains "with how long ago they were counted" m1 '^threatex_store_counts_age_seconds [0-9]+\.[0-9]{3}$'
req ca/ops /taxii2/ >m2
contains "an operator certificate is not a peer" m2 "^HTTP/1.1 404"
sleep 1.2
req uk/keys/tls /metrics >m3
lacks "a peer never gets /metrics" m3 "threatex_objects"
# The length alone is over the cap: the answer comes before any body.
{ printf 'POST /api/collections/a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d/objects/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: %s\r\nContent-Type: %s\r\nContent-Length: 11000000\r\nConnection: close\r\n\r\n' "$MEDIA" "$MEDIA"; sleep 2; } |
    timeout 30 openssl s_client -quiet -cert ca/ops.crt -key ca/ops.key -connect 127.0.0.1:$pus 2>/dev/null | tr -d '\r' | head -1 >big.out
contains "a body over max_content_length is 413" big.out "^HTTP/1.1 413"

finish
