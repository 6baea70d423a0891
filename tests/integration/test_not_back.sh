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

# What a push brought is not pulled again: once uk-ncsc has pulled from
# us-cert (so it knows us-cert's policy epoch for it), each push from
# us-cert moves uk-ncsc's pull cursor past the rows it carried.
"$T" -d uk sync --peer us-cert >/dev/null
w5=$(sed -n 9p "$B" | cut -d, -f1)
"$T" -d us add wallet "$w5" --tlp green >/dev/null
"$T" -d us sync --peer uk-ncsc >s6
contains "us-cert pushed its new wallet" s6 "^synced	uk-ncsc	.*pushed=[1-9]$"
"$T" -d uk lookup "$w5" >l5
contains "uk-ncsc has it" l5 "^known	"
"$T" -d uk sync --peer us-cert >s7
contains "uk-ncsc's pull then fetched none of it again" s7 \
    "^synced	us-cert	.*received=0 "

# Still so after uk-ncsc's own objects came to end us-cert's feed (a push
# round with nothing for uk-ncsc): the next push goes on from where the
# last one ended, and uk-ncsc's row of pushes is unbroken.
w6=$(sed -n 10p "$B" | cut -d, -f1)
w7=$(sed -n 11p "$B" | cut -d, -f1)
"$T" -d uk add wallet "$w6" --tlp green >/dev/null
"$T" -d uk sync --peer us-cert >/dev/null
"$T" -d us sync --peer uk-ncsc >s8
contains "us-cert had only uk-ncsc's own objects for it" s8 \
    "^synced	uk-ncsc	.*pushed=0$"
"$T" -d us add wallet "$w7" --tlp green >/dev/null
"$T" -d us sync --peer uk-ncsc >/dev/null
"$T" -d uk sync --peer us-cert >s9
contains "uk-ncsc's pull fetched none of the next push again" s9 \
    "^synced	us-cert	.*received=0 "

# A push whose range header is malformed is refused whole, by name.
MEDIA='application/taxii+json;version=2.1'
INBOX=a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d
upin=sha256//$(openssl x509 -in us/keys/tls.crt -pubkey -noout |
    openssl pkey -pubin -outform der | openssl dgst -sha256 -binary |
    base64)
echo '{"objects":[]}' >empty.env
for h in "5 3 1" "1 2" "-1 5 1" "1 2 1000" "1 2 3 4" "0x1 2 3"; do
	curl -sS --max-time 30 --cacert us/keys/tls.crt --pinnedpubkey "$upin" \
	    --cert uk/keys/tls.crt --key uk/keys/tls.key \
	    -H "Accept: $MEDIA" -H "Content-Type: $MEDIA" \
	    -H "X-Threatex-Feed-Range: $h" --data-binary @empty.env \
	    -w '%{http_code}\n' \
	    "https://127.0.0.1:$pus/api/collections/$INBOX/objects/" >r.out
	contains "range \"$h\" refused" r.out "X-Threatex-Feed-Range: want FROM TO EPOCH.*400$"
done

finish
