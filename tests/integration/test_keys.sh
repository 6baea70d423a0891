#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Key lifecycle between real nodes (DESIGN §3): us-cert rotates its
# signing key; uk-ncsc accepts the rotation statement without operator
# action and then objects signed by the new key. A thief who copied
# us-cert's node directory before the rotation signs a wallet with the
# former key and pushes it to uk-ncsc, which accepts it (the key was
# us-cert's). us-cert revokes the former key, vouching for the roots it
# signed; when uk-ncsc learns it, the thief's object is withdrawn and
# us-cert's own stay. Both nodes keep all of it across restarts.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

data=$TX_SHARED_DIR/data
pus=$(free_port); puk=$(free_port)
mknode us us-cert $pus
mknode uk uk-ncsc $puk
pin us uk
pin uk us
w1=$(sed -n 6p "$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)
w2=$(sed -n 7p "$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)
"$T" -d us add wallet "$w1" >/dev/null
serve us us.log
serve uk uk.log
check "server up" wait_port $pus
check "server up" wait_port $puk
timeout 60 "$T" -d uk sync >s1 2>&1

old=$("$T" -d us key list | awk -F'\t' '$1=="us-cert" && $3=="current" {sub("kid=","",$4); print $4}')
next_before=$(sha256sum us/keys/next-signing.key | cut -d' ' -f1)
cp -r us thief	# the compromise: a copy of the node directory
"$T" -d us key rotate >rot.out 2>&1
contains "rotation done" rot.out "^rotated	us-cert	kid=[0-9a-f]{64}"
new=$(sed 's/.*kid=//' rot.out)
check "the committed next key became the signing key" test "$(sha256sum us/keys/signing.key | cut -d' ' -f1)" = "$next_before"
check "a fresh next key was made, mode 0600" test "$(stat -c %a us/keys/next-signing.key)" = 600
"$T" -d us add wallet "$w2" >/dev/null
timeout 60 "$T" -d uk sync >s2 2>&1
contains "uk-ncsc takes the rotation and the new-key objects" s2 "^synced	us-cert	pages=1 received=4 new=4 duplicate=0 refused=0"
"$T" -d uk key list >k1
contains "uk-ncsc knows the new key as current" k1 "^us-cert	.*	current	kid=$new$"
contains "and the former one" k1 "^us-cert	.*	former	kid=$old$"
"$T" -d uk lookup "$w2" >l2
contains "a new-key object is known" l2 "	indicator	.*signature=origin us-cert ok kid=${new:0:16}"

w3=$(sed -n 13p "$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)
"$T" -d thief add wallet "$w3" --confidence 100 >/dev/null
timeout 60 "$T" -d thief sync >t1 2>&1
contains "the thief pushes with the copied certificate" t1 "^synced	uk-ncsc	.* pushed=[1-9]"
"$T" -d uk lookup "$w3" >l3
contains "before the revocation uk-ncsc takes the thief's wallet" l3 "^known	wallet	.*	indicator	.*origin=us-cert	signature=origin us-cert ok kid=${old:0:16}"

"$T" -d us key revoke "$new" >r0 2>&1
check "revoking the current key is refused" test $? -eq 3
"$T" -d us key revoke "$old" >r1 2>&1
contains "revocation done, vouching for the roots us-cert signed" r1 "^revoked	us-cert	kid=$old	vouched_roots=[3-9]"
timeout 60 "$T" -d uk sync >s3 2>&1
contains "uk-ncsc takes the revocation" s3 "^synced	us-cert	pages=1 received=1 new=1 duplicate=0 refused=0"
"$T" -d uk key list >k2
contains "uk-ncsc marks the former key revoked" k2 "^us-cert	.*	former	kid=$old	revoked$"
"$T" -d uk lookup "$w1" >l1
contains "objects under vouched roots stay known" l1 "^known	wallet	.*	indicator	"
"$T" -d uk lookup "$w3" >l4
contains "the thief's wallet is withdrawn" l4 "^unknown	wallet	"
timeout 60 "$T" -d uk sync --full >s4 2>&1
contains "after a restart everything still verifies" s4 "^synced	us-cert	pages=1 received=9 new=0 duplicate=9 refused=0"

finish
