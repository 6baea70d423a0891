#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The hash-chained audit log (DESIGN §6): operator actions and refusals are
# recorded; `audit verify` detects an edited entry; a seal made earlier
# detects a log cut back to before it, which the chain alone cannot.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

mknode us us-cert $(free_port)
mknode uk uk-ncsc $(free_port)
pin us uk
"$T" -d us import "$TX_SHARED_DIR/conformance/stix-examples/indicator-for-c2-ip-address.json" >/dev/null 2>&1
w=$(sed -n 12p "$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)
"$T" -d us add wallet "$w" >/dev/null
"$T" -d us key rotate >/dev/null

"$T" -d us audit list >a1
contains "peer additions are audited" a1 "^[0-9]+	20.*	peer-add	uk-ncsc$"
contains "key events are audited" a1 "	key-statement	x-threatex-rotation "
"$T" -d us audit verify >v1
check "the chain verifies" test $? -eq 0
contains "and says how long it is" v1 "^ok	[0-9]+ entries	head=[0-9a-f]{64}$"
"$T" -d us audit seal >s1
contains "a seal is written" s1 "^sealed	[0-9]+	[0-9a-f]{64}	.*/seals/seal-[0-9]+\.json$"
seal=$(cut -f4 s1)
n=$(cut -f2 s1)
"$T" -d us audit verify --seal "$seal" >v2
contains "the seal verifies against the chain" v2 "	seal ok$"
"$T" -d us add domain inditechlab.com >/dev/null
"$T" -d us audit verify --seal "$seal" >v3
contains "a longer chain still holds the sealed head" v3 "	seal ok$"

cp us/store.db keep.db
"$TX_TAMPER" --audit-cut us/store.db "$n"
"$T" -d us audit verify >v4 2>&1
check "a log cut back still chains (the chain alone cannot tell)" test $? -eq 0
"$T" -d us audit verify --seal "$seal" >v5 2>&1
check "but the seal detects it (exit 3)" test $? -eq 3
contains "naming the sealed entry" v5 "no longer holds the sealed head at entry $n: rewritten"

cp keep.db us/store.db
rm -f us/store.db-wal us/store.db-shm
"$TX_TAMPER" --audit-edit us/store.db 1
"$T" -d us audit verify >v6 2>&1
check "an edited entry breaks the chain (exit 3)" test $? -eq 3
contains "and verify names it" v6 "audit entry [12]: hash chain broken"

finish
