#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's main job: `threatex demo` runs a two-node federation on
# loopback and ends with uk-ncsc knowing us-cert's wallet, domain and alias.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

TMPDIR=$WORK timeout 300 "$T" demo --data "$TX_SHARED_DIR/data" >demo.out 2>&1
check "the demo exits 0" test $? -eq 0
contains "uk-ncsc pulls us-cert's objects over mTLS" demo.out "^synced	us-cert	pages=1 received=1[0-9] new=1[0-9] duplicate=0 refused=0"
contains "the Bybit wallet is known with its origin and signature" demo.out \
    "^known	wallet	0x51e9d833ecae4e8d9d8be17300aee6d3398c135d	indicator	.*origin=us-cert	signature=origin us-cert ok kid=[0-9a-f]{16}	tlp=amber	confidence=90"
contains "the front domain is known" demo.out "^known	domain	inditechlab.com	indicator	.*origin=us-cert"
contains "the alias is known and linked to Lazarus Group" demo.out "^linked	indicator--.*	indicates	intrusion-set--.*	Lazarus Group"
contains "a second sync transfers nothing" demo.out "^synced	us-cert	pages=1 received=0 new=0"
contains "the demo says where the nodes are" demo.out "^uk-ncsc: $WORK/threatex-demo-[A-Za-z0-9]+/uk-ncsc$"
contains "and that it completed" demo.out "^demo complete$"
check "no server is left running" test -z "$(grep -l "threatex-dem[o]-" /proc/[0-9]*/cmdline 2>/dev/null | head -1)"

finish
