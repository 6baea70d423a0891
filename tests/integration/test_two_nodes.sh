#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Two real nodes on 127.0.0.1 with real certificates, mutual TLS and real
# SQLite stores (issue 2): a full pull, a second pull that transfers
# nothing, and the bad inputs: no client certificate, an unpinned one, a
# tampered object, a malformed add, a peer that does not answer.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

data=$TX_SHARED_DIR/data
w1=$(sed -n 2p "$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)
w2=$(sed -n 3p "$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)
w3=$(sed -n 4p "$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)
dom=$(sed -n 2p "$data/dprk-network-iocs/it_worker_front_company_domains.csv" | cut -d, -f1)
alias="TraderTraitor"

pus=$(free_port); puk=$(free_port); pghost=$(free_port); prog=$(free_port)
"$T" pki ca ca >/dev/null
mknode us us-cert $pus --ca ca
mknode uk uk-ncsc $puk --ca ca
mknode ghost ghost $pghost
# rogue: a valid certificate from the same CA, never pinned by us-cert.
mknode rogue rogue $prog --ca ca
kid=$(grep -o '"kid": "[0-9a-f]*"' us.json | head -1 | cut -d'"' -f4)

"$T" -d uk peer add us.json --expect-kid "$kid" >out.add
check "peer add with the expected kid" test $? -eq 0
pin uk ghost
pin us uk
pin rogue us
"$T" -d uk peer add rogue.json --expect-kid 0000 >out.addwrong 2>&1
check "peer add refuses a descriptor whose kid was not the confirmed one" test $? -eq 3
cp us.json dup.json && sed -i 's/"name": "us-cert"/"name": "us-cert-2"/' dup.json
"$T" -d uk peer add dup.json --yes >out.dup 2>&1
check "peer add refuses an edited descriptor (signature)" test $? -eq 3

"$T" -d us add wallet "$w1" --actor "Lazarus Group" --confidence 90 >/dev/null
"$T" -d us add domain "$dom" --confidence 80 >/dev/null
"$T" -d us add alias "$alias" --actor "Lazarus Group" >/dev/null
"$T" -d us status >before
"$T" -d us add wallet "${w1:0:41}Z" >out.bad 2>&1
check "add wallet with a malformed value exits 3" test $? -eq 3
"$T" -d us add wallet "0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135d" >out.bad2 2>&1
check "add wallet with a bad EIP-55 checksum exits 3" test $? -eq 3
contains "the refusal says which check failed" out.bad2 "EIP-55"
"$T" -d us status >after
check "a refused add stores nothing" cmp -s before after

serve us us.log
check "us-cert serves" wait_port $pus

timeout 120 "$T" -d uk sync >sync1 2>&1
rc=$?
contains "first sync pulls us-cert's objects" sync1 "^synced	us-cert	pages=1 received=1[0-9] new=1[0-9] duplicate=0 refused=0"
contains "a peer that does not answer is reported" sync1 "^failed	ghost	"
check "sync exits 1 when a peer failed" test $rc -eq 1
check "the sync with a dead peer ends by itself (not cut by timeout)" test $rc -ne 124

"$T" -d uk lookup "$w1" "$dom" "$alias" >look1
contains "the wallet is known at uk-ncsc, from us-cert" look1 \
    "^known	wallet	$(echo "$w1" | tr A-F a-f)	indicator	indicator--[0-9a-f-]+	origin=us-cert	signature=origin us-cert ok kid=[0-9a-f]{16}	tlp=amber	confidence=90	received=20[0-9-]+T[0-9:.]+Z	via=us-cert"
contains "the domain is known" look1 "^known	domain	$dom	indicator	.*origin=us-cert"
contains "the alias is known" look1 "^known	alias	tradertraitor	indicator	.*origin=us-cert"
contains "the wallet is linked to the actor" look1 "^linked	indicator--.*	indicates	intrusion-set--.*	Lazarus Group"

timeout 60 "$T" -d uk sync --peer us-cert >sync2 2>&1
contains "a second sync transfers nothing new" sync2 "^synced	us-cert	pages=1 received=0 new=0"

# No client certificate: the handshake is refused, nothing is served.
printf 'GET /taxii2/ HTTP/1.1\r\nHost: x\r\n\r\n' |
    timeout 20 openssl s_client -quiet -connect 127.0.0.1:$pus >nocert.out 2>&1
lacks "no client certificate: nothing served" nocert.out "api_roots|HTTP/1.1 200"
# A certificate from the same CA that is not pinned: refused too.
timeout 60 "$T" -d rogue sync >rogue.out 2>&1
contains "an unpinned client certificate gets nothing" rogue.out "^failed	us-cert	"
lacks "the unpinned client stored nothing" rogue.out "new=[1-9]"
sleep 0.2
contains "the server logged the refusal" us.log "refused TLS client"

# A tampered object among good ones: refused by name, the others stored.
"$T" -d us add wallet "$w2" --confidence 60 >/dev/null
"$T" -d us add wallet "$w3" --confidence 60 >/dev/null
tid=$("$TX_TAMPER" us/store.db "$(echo "$w2" | tr A-F a-f)")
check "the tamper tool changed an indicator" test -n "$tid"
timeout 60 "$T" -d uk sync --peer us-cert >sync3 2>&1
contains "the tampered object is refused, naming it and the signature" sync3 \
    "^refused	us-cert	$tid	origin signature invalid: (inclusion path|signature)"
contains "the rest of the page is stored" sync3 "^synced	us-cert	pages=1 received=6 new=5 duplicate=0 refused=1"
"$T" -d uk lookup "$w3" "$w2" >look3
contains "an object beside the tampered one is known" look3 "^known	wallet	.*	indicator	.*confidence=60"
lacks "the store holds nothing of the tampered object" look3 "$tid	origin"

finish
