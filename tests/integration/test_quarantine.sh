#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Relaying and quarantine (DESIGN §6 rule 7, §7): uk-ncsc relays us-cert's
# GREEN indicator to fr-anssi, which does not know us-cert yet: the objects
# are quarantined (kept, not stored, not in lookups). When fr-anssi adds
# us-cert's descriptor as an identity-only member, they are released and
# stored with uk-ncsc as the delivering peer and us-cert as the origin.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

puk=$(free_port); pus=$(free_port)
mknode us us-cert $pus
mknode uk uk-ncsc $puk
mknode fr fr-anssi $(free_port)
pin us uk
pin uk us
pin uk fr --relay
pin fr uk
w=$(sed -n 10p "$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)
"$T" -d us add wallet "$w" --tlp green >/dev/null
"$T" -d us add domain "$(sed -n 4p "$TX_SHARED_DIR/data/dprk-network-iocs/it_worker_front_company_domains.csv" | cut -d, -f1)" >/dev/null
serve us us.log
serve uk uk.log
check "servers up" wait_port $pus
check "servers up" wait_port $puk
timeout 60 "$T" -d uk sync >s0 2>&1

timeout 60 "$T" -d fr sync >s1 2>&1
contains "us-cert's GREEN objects relayed by uk-ncsc are quarantined at fr-anssi" s1 \
    "^synced	uk-ncsc	pages=1 received=5 new=1 duplicate=0 refused=0 quarantined=4"
"$T" -d fr lookup "$w" >l1
contains "quarantined objects are not in lookups" l1 "^unknown	wallet	"
"$T" -d fr status >st1
contains "status counts them" st1 "quarantined=4"
"$T" -d fr export --format stix >e1 2>/dev/null
lacks "nor in exports" e1 "cryptocurrency-wallet--"

"$T" -d fr peer add us.json --yes --identity-only >add.out 2>&1
contains "adding us-cert's descriptor releases them" add.out "^released	us-cert	4 objects from quarantine"
"$T" -d fr lookup "$w" >l2
contains "now the wallet is known, from us-cert, via uk-ncsc" l2 \
    "^known	wallet	.*	indicator	.*origin=us-cert	signature=origin us-cert ok.*tlp=green.*via=uk-ncsc"
lacks "the AMBER domain never left uk-ncsc" l2 "domain"
"$T" -d fr status >st2
contains "quarantine is empty" st2 "quarantined=0"

finish
