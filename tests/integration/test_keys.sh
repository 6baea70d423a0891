#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Key lifecycle between real nodes (DESIGN §3): us-cert rotates its
# signing key; uk-ncsc accepts the rotation statement without operator
# action and then objects signed by the new key; us-cert revokes its
# former key, vouching for the roots it signed; uk-ncsc learns it; both
# nodes keep all of it across restarts (the roster is rebuilt from the
# stored statements).
. "$(dirname "$0")/lib.sh"
cd "$WORK"

data=$TX_SHARED_DIR/data
pus=$(free_port)
"$T" -d us init --name us-cert --listen 127.0.0.1:$pus >/dev/null
"$T" -d uk init --name uk-ncsc --listen 127.0.0.1:$(free_port) >/dev/null
for n in us uk; do "$T" -d $n identity export >$n.json 2>/dev/null; done
"$T" -d us peer add uk.json --yes >/dev/null
"$T" -d uk peer add us.json --yes >/dev/null
w1=$(sed -n 6p "$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)
w2=$(sed -n 7p "$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)
"$T" -d us add wallet "$w1" >/dev/null
serve us us.log
check "server up" wait_port $pus
timeout 60 "$T" -d uk sync >s1 2>&1

old=$("$T" -d us key list | awk -F'\t' '$1=="us-cert" && $3=="current" {sub("kid=","",$4); print $4}')
next_before=$(sha256sum us/keys/next-signing.key | cut -d' ' -f1)
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
timeout 60 "$T" -d uk sync --full >s4 2>&1
contains "after a restart everything still verifies" s4 "^synced	us-cert	pages=1 received=9 new=0 duplicate=9 refused=0"

finish
