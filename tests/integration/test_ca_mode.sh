#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# CA mode (DESIGN §3): instead of an SPKI pin, a peer is trusted by a CA
# certificate plus the identity id its certificate must carry as SAN URI.
# A re-keyed certificate from that CA keeps working (a pin would not); a
# certificate naming the right identity but issued by another CA is refused
# in both directions.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

pus=$(free_port)
"$T" pki ca ca >/dev/null
"$T" pki ca evilca >/dev/null
mknode us us-cert $pus --ca ca
mknode uk uk-ncsc $(free_port) --ca ca
usid=$(sed -n 's/^identity = //p' us/node.conf)
ukid=$(sed -n 's/^identity = //p' uk/node.conf)
pin uk us --ca ca/ca.crt
pin us uk --ca ca/ca.crt
contains "the peer is stored in CA mode" uk/node.conf "^ca = /.*/peers/us-cert\.ca\.pem$"
"$T" -d us add wallet "$(sed -n 15p "$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)" >/dev/null
serve us us.log
uspid=$!
check "server up" wait_port $pus
timeout 60 "$T" -d uk sync >s1 2>&1
contains "a pull works in CA mode" s1 "^synced	us-cert	pages=1 received=[0-9]+ new=[1-9]"

# us-cert re-keys its TLS certificate from the same CA: still trusted.
"$T" pki issue ca us2 "$usid" >/dev/null
cp ca/us2.key us/keys/tls.key && cp ca/us2.crt us/keys/tls.crt
kill $uspid; wait $uspid 2>/dev/null
serve us us2.log
uspid=$!
check "server up again" wait_port $pus
timeout 60 "$T" -d uk sync >s2 2>&1
contains "a re-keyed certificate from the peer's CA is accepted" s2 "^synced	us-cert	"

# A client certificate naming uk-ncsc's identity, from another CA: refused.
cp -r uk fake
"$T" pki issue evilca fakeuk "$ukid" >/dev/null
cp evilca/fakeuk.key fake/keys/tls.key && cp evilca/fakeuk.crt fake/keys/tls.crt
timeout 60 "$T" -d fake sync --peer us-cert >s3 2>&1
contains "a client certificate from another CA is refused" s3 "^failed	us-cert	"
sleep 0.2
contains "and the refusal is logged" us2.log "no member's"

kill $uspid; wait $uspid 2>/dev/null
"$T" -d us audit list >audit1
contains "refused handshakes reach the audit log, aggregated" audit1 "	tls-refused	[0-9]+ TLS clients refused; last: "
serve us us2b.log
uspid=$!
check "server up again" wait_port $pus

# A server certificate naming us-cert's identity, from another CA: refused.
"$T" pki issue evilca fakeus "$usid" >/dev/null
cp evilca/fakeus.key us/keys/tls.key && cp evilca/fakeus.crt us/keys/tls.crt
kill $uspid; wait $uspid 2>/dev/null
serve us us3.log
check "server up with the wrong CA" wait_port $pus
timeout 60 "$T" -d uk sync --peer us-cert >s4 2>&1
contains "uk-ncsc refuses a server certificate from another CA" s4 "^failed	us-cert	.*SSL connect error"

finish
