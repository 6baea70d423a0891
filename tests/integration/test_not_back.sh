#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Never back to who gave it us (issue 14): in a line us-cert - uk-ncsc -
# fr-anssi (uk-ncsc relays), us-cert's GREEN wallet reaches fr-anssi
# through uk-ncsc; fr-anssi then neither pushes it back to uk-ncsc nor
# serves it to uk-ncsc's pull, while it still serves uk-ncsc what
# uk-ncsc did not give it, and uk-ncsc still serves fr-anssi the next
# wallet of us-cert. Without the rule, uk-ncsc's pulls bring us-cert's
# objects back as duplicates and fr-anssi pushes them back.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

pus=$(free_port); puk=$(free_port); pfr=$(free_port)
mknode us us-cert $pus
mknode uk uk-ncsc $puk
mknode fr fr-anssi $pfr
pin us uk
pin uk us
pin uk fr --relay
pin fr uk --relay
pin fr us --identity-only
serve us us.log
serve uk uk.log
serve fr fr.log
check "us-cert up" wait_port $pus
check "uk-ncsc up" wait_port $puk
check "fr-anssi up" wait_port $pfr

B="$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv"
w1=$(sed -n 5p "$B" | cut -d, -f1)
w2=$(sed -n 6p "$B" | cut -d, -f1)
"$T" -d us add wallet "$w1" --tlp green >/dev/null
"$T" -d us sync >s1
contains "us-cert pushed its wallet to uk-ncsc" s1 "^synced	uk-ncsc	.*new=[0-9]+ .*pushed=[1-9]"
"$T" -d uk sync --peer fr-anssi >s2
contains "uk-ncsc relayed it to fr-anssi" s2 "^synced	fr-anssi	.*pushed=[1-9]"
"$T" -d fr lookup "$w1" >l1
contains "fr-anssi knows it, via uk-ncsc" l1 "via=uk-ncsc"

# fr-anssi's own wallet is all it has for uk-ncsc: pulled by uk-ncsc
# (fr-anssi's pushes off), then pushed by fr-anssi.
sed -i 's/^push = yes/push = no/' fr/node.conf
"$T" -d fr add wallet "$w2" --tlp green >/dev/null
"$T" -d uk sync --peer fr-anssi >s3
contains "uk-ncsc pulled only fr-anssi's wallet, nothing back" s3 \
    "^synced	fr-anssi	.*received=3 new=3 duplicate=0 "
"$T" -d uk lookup "$w2" >l2
contains "uk-ncsc has fr-anssi's wallet" l2 "^known	"
sed -i 's/^push = no/push = yes/' fr/node.conf
w4=$(sed -n 8p "$B" | cut -d, -f1)
"$T" -d fr add wallet "$w4" --tlp green >/dev/null
"$T" -d fr sync --peer uk-ncsc >s4
contains "fr-anssi pushed its wallets, nothing of us-cert's back" s4 \
    "^synced	uk-ncsc	.*pushed=[1-7]$"

# The next wallet of us-cert still goes the whole way.
w3=$(sed -n 7p "$B" | cut -d, -f1)
"$T" -d us add wallet "$w3" --tlp green >/dev/null
"$T" -d us sync >/dev/null
"$T" -d uk sync --peer fr-anssi >/dev/null
"$T" -d fr lookup "$w3" >l3
contains "us-cert's next wallet reached fr-anssi" l3 "^known	"

finish
