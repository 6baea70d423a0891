#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A member that keeps a node's inbox busy does not hold back what the node
# relays (node/server_inbox.c, issue 13). While pushed envelopes are being
# merged, the store role holds back its nudge to the scheduler until the
# queue is empty, so that a push's slices are not interleaved with rounds;
# a member posting envelope after envelope would keep the queue from ever
# emptying, and so it may hold the nudge back one second at most.
#
# us-cert pushes to uk-ncsc, which relays GREEN to fr-anssi (--relay).
# sync_interval is an hour everywhere: only a nudge moves data. fr-anssi,
# as the attacker, posts envelopes of junk to uk-ncsc's inbox from four
# connections at once for two minutes; meanwhile us-cert adds a wallet,
# which must reach fr-anssi through uk-ncsc long before the flood ends.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

pus=$(free_port); puk=$(free_port); pfr=$(free_port)
mknode us us-cert $pus --sync-interval 3600
mknode uk uk-ncsc $puk --sync-interval 3600
mknode fr fr-anssi $pfr --sync-interval 3600
pin us uk
pin uk us
pin uk fr --relay
pin fr uk
# fr-anssi checks us-cert's signatures, never contacts it.
pin fr us --identity-only
serve uk uk.log ""
serve fr fr.log ""
check "uk-ncsc up" wait_port $puk
check "fr-anssi up" wait_port $pfr
serve us us.log ""
check "us-cert up" wait_port $pus
check "us-cert's first round with uk-ncsc ended" round_done uk-ncsc us
check "uk-ncsc's first round with fr-anssi ended" round_done fr-anssi uk

# 60,000 junk elements (objects, none valid STIX: each refused) in about
# 5 MB: each envelope keeps uk-ncsc's inbox busy for a while.
python3 - <<'PY' >junk.json
import json
print('{"objects":[' + ",".join(
    '{"type":"x-junk","id":"x-junk--%d","pad":"%s"}' % (i, "j" * 40)
    for i in range(60000)) + "]}")
PY
MEDIA='application/taxii+json;version=2.1'
INBOX="https://127.0.0.1:$puk/api/collections/a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d/objects/"
# flood N: envelope after envelope as fr-anssi for 120 s (bounded), one
# HTTP status per line into flood.N.
flood() {
	local end=$((SECONDS + 120))
	while [ $SECONDS -lt $end ]; do
		curl -sk --max-time 30 --cert fr/keys/tls.crt \
		    --key fr/keys/tls.key -H "Accept: $MEDIA" \
		    -H "Content-Type: $MEDIA" --data-binary @junk.json \
		    -o /dev/null -w '%{http_code}\n' "$INBOX" || echo 000
	done >>"flood.$1"
}
FLOODS=
for k in 1 2 3 4; do
	flood $k &
	FLOODS="$FLOODS $!"
done
PIDS="$PIDS $FLOODS"
# The flood is on: some envelopes were taken.
busy() {
	local i
	for i in $(seq 1 300); do
		[ "$(cat flood.* 2>/dev/null | grep -c '^202$')" -ge 2 ] &&
		    return 0
		sleep 0.1
	done
	return 1
}
check "fr-anssi's junk envelopes are taken (202)" busy

B="$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv"
w=$(sed -n 7p "$B" | cut -d, -f1)
"$T" -d us add wallet "$w" --tlp green >/dev/null
# known (lib.sh) waits 60 s at most; the flood lasts 120 s: an unbounded
# hold would keep the wallet from fr-anssi past this.
check "the wallet reaches uk-ncsc, pushed by us-cert" known uk "$w"
check "uk-ncsc relays it to fr-anssi while fr-anssi floods its inbox" \
    known fr "$w"
# The flood was still on when the wallet arrived: the envelopes were
# being answered all along (the hold was not lifted by an empty queue
# after the flood).
alive=0
for p in $FLOODS; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
check "the flood was still running ($alive of 4 posters)" test "$alive" -ge 1
"$T" -d fr lookup "$w" >l.out
contains "fr-anssi holds it from us-cert, relayed by uk-ncsc" l.out "us-cert"
for p in $FLOODS; do kill "$p" 2>/dev/null; done
wait $FLOODS 2>/dev/null
finish
