#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Import, attestation, export, offline verification and counter-signatures
# between real nodes: us-cert imports the MITRE ATT&CK DPRK slice (objects
# created outside the federation, so us-cert attests them), uk-ncsc pulls
# and sees "attestation us-cert"; uk-ncsc counter-signs a us-cert wallet
# indicator and the counter-signature travels back to us-cert; an export
# verifies offline, and a tampered export names exactly the changed object.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

data=$TX_SHARED_DIR/data
pus=$(free_port); puk=$(free_port)
mknode us us-cert $pus
mknode uk uk-ncsc $puk
pin us uk
pin uk us

w=$(sed -n 5p "$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)
"$T" -d us add wallet "$w" --actor "Lazarus Group" >add.out
ind=$(grep '^new	indicator--' add.out | cut -f2)

"$T" -d us import --quiet "$data/attack-stix21/enterprise-attack-18.1-dprk-slice.json" >imp.out 2>&1
contains "the ATT&CK slice imports without refusals" imp.out "^imported	seen=[0-9]+	new=[0-9]+	duplicate=0	refused=0"
"$T" -d us import --quiet "$TX_SHARED_DIR/conformance/stix-examples/indicator-for-c2-ip-address.json" >imp2.out 2>&1
check "an object without created_by_ref is attested (exit 0, issue 10)" test $? -eq 0
contains "and stored, us-cert its origin" imp2.out "^imported	seen=1	new=1	duplicate=0	refused=0"
"$T" -d us import --quiet "$data/attack-stix21/enterprise-attack-18.1-dprk-slice.json" >imp3.out 2>&1
contains "a second import holds no new versions" imp3.out "	new=0	"

serve us us.log; serve uk uk.log
check "servers up" wait_port $pus
check "servers up" wait_port $puk
timeout 120 "$T" -d uk sync >s1 2>&1
contains "uk-ncsc pulls the attested objects too" s1 "^synced	us-cert	.*refused=0"
"$T" -d uk lookup "Lazarus Group" >l1
contains "an ATT&CK intrusion set is known, attested by us-cert" l1 \
    "^known	alias	lazarus group	intrusion-set	intrusion-set--c93fccb1-e8e8-42cf-ae33-2ad1d183913a	origin=us-cert	signature=attestation us-cert ok"

# Counter-signature: uk-ncsc corroborates the wallet indicator.
"$T" -d uk cosign "$ind" >cos.out 2>&1
contains "uk-ncsc counter-signs" cos.out "^cosigned	$ind"
"$T" -d uk cosign "$ind" >cos2.out 2>&1
check "a second counter-signature by the same node is refused" test $? -eq 3
timeout 60 "$T" -d us sync >s2 2>&1
contains "the counter-signature reaches the origin (uk-ncsc's identity was pushed before)" s2 "^synced	uk-ncsc	pages=1 received=2 new=1 duplicate=1 refused=0"
"$T" -d us lookup "$w" >l2
contains "us-cert's lookup shows who corroborates it" l2 "	indicator	$ind	origin=us-cert	.*countersigned=uk-ncsc"
timeout 60 "$T" -d uk sync >s3 2>&1
contains "and nothing bounces back" s3 "^synced	us-cert	pages=1 received=[01] new=0 "

# Export and offline verification.
"$T" -d us export --format stix >bundle.json 2>/dev/null
"$T" -d uk verify bundle.json >v1 2>&1
check "uk-ncsc verifies us-cert's whole export offline" test $? -eq 0
lacks "no object is bad" v1 "^bad"
contains "the counter-signature verifies too" v1 "^ok	$ind	us-cert ok	countersign uk-ncsc ok"
sed "s/\"name\":\"wallet /\"name\":\"Wallet /" bundle.json >tampered.json
"$T" -d uk verify tampered.json >v2 2>&1
check "a tampered export fails verification (exit 3)" test $? -eq 3
check "exactly one object is bad" test "$(grep -c '^bad' v2)" -eq 1
contains "and it is the changed indicator" v2 "^bad	$ind	"
"$T" -d us export --format csv >x.csv 2>/dev/null
contains "csv export lists the wallet" x.csv "^wallet,$(echo "$w" | tr A-F a-f),us-cert,amber,,no,$ind"
"$T" -d us add domain "$(sed -n 2p "$data/dprk-network-iocs/it_worker_front_company_domains.csv" | cut -d, -f1)" >/dev/null
"$T" -d us export --format rpz >x.rpz 2>/dev/null
contains "rpz export blocks the domain and below" x.rpz '^\*\.inditechlab\.com CNAME \.$'

finish
