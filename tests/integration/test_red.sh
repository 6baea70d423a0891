#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# TLP:RED (DESIGN §7): us-cert authors a RED wallet for uk-ncsc only. uk-ncsc
# receives it; fr-anssi, a peer of both with AMBER clearance and relay on,
# receives it from neither: not from its origin (not a named recipient) and
# never relayed. A RED object arriving from a node that is not its origin,
# or not naming this node, is refused.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

pus=$(free_port); puk=$(free_port)
mknode us us-cert $pus
mknode uk uk-ncsc $puk
mknode fr fr-anssi $(free_port)
pin us uk
pin us fr --relay
pin uk us
pin uk fr --relay --max-tlp red
pin fr us
pin fr uk
w=$(sed -n 16p "$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)

"$T" -d us add wallet "$w" --tlp red >r0 2>&1
check "RED without recipients is a usage error" test $? -eq 2
"$T" -d us add wallet "$w" --tlp red --to uk-ncsc >r1 2>&1
check "RED for uk-ncsc is authored" test $? -eq 0
# us-cert's entry for uk-ncsc still says max_tlp amber: the stricter wins
# (issue 8, finding 9: a named recipient's max_tlp used to be ignored).
contains "add --to warns that uk-ncsc's max_tlp is below RED" r1 "warning: --to uk-ncsc: its max_tlp is amber"
serve us us.log; uspid=$!; serve uk uk.log
check "servers up" wait_port $pus
check "servers up" wait_port $puk
timeout 60 "$T" -d uk sync --peer us-cert >s0 2>&1
"$T" -d uk lookup "$w" >l0
contains "a named recipient whose max_tlp is amber does not get RED" l0 "^unknown	wallet	"
"$T" -d us peer set uk-ncsc --max-tlp red >/dev/null
kill -HUP $uspid
for i in $(seq 50); do grep -q "reloaded" us.log && break; sleep 0.1; done
timeout 60 "$T" -d uk sync --peer us-cert >s1 2>&1
"$T" -d uk lookup "$w" >l1
contains "the named recipient has it, as RED" l1 "^known	wallet	.*	indicator	.*origin=us-cert	.*tlp=red"
timeout 60 "$T" -d fr sync >s2 2>&1
"$T" -d fr lookup "$w" >l2
contains "fr-anssi has nothing of it (not named, never relayed)" l2 "^unknown	wallet	"
lacks "and nothing was even offered to it" s2 "^refused"

# uk-ncsc turned hostile pushes the RED objects to fr-anssi's inbox.
"$T" -d uk export --format stix 2>/dev/null | sed '1s/^{"type": "bundle", "id": "[^"]*", /{/' >env.json
pfr=$(sed -n 's/^listen = 127.0.0.1://p' fr/node.conf)
serve fr fr.log
check "fr-anssi serves" wait_port $pfr
{ printf 'POST /api/collections/a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d/objects/ HTTP/1.1\r\nHost: x\r\nAccept: application/taxii+json;version=2.1\r\nContent-Type: application/taxii+json;version=2.1\r\nContent-Length: %d\r\nConnection: close\r\n\r\n' "$(stat -c %s env.json)"; cat env.json; } |
    timeout 20 openssl s_client -quiet -cert uk/keys/tls.crt -key uk/keys/tls.key -connect 127.0.0.1:$pfr 2>/dev/null | tr -d '\r' >p1
contains "the push is answered" p1 "^HTTP/1.1 202"
contains "and the RED objects in it are refused" p1 '"message":"policy violation: AMBER\+STRICT/RED object relayed by a node that is not its origin"'
"$T" -d fr lookup "$w" >l3
contains "fr-anssi still has nothing of it" l3 "^unknown	wallet	"

finish
