#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Crash safety (DESIGN §6): a sync killed with SIGKILL at an arbitrary
# point leaves the store consistent (every page is one transaction with its
# cursor), and the next sync resumes and completes: the receiver ends with
# exactly the origin's objects, each once.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

pus=$(free_port)
mknode us us-cert $pus
mknode uk uk-ncsc $(free_port)
pin us uk
pin uk us
"$T" -d us import --quiet "$TX_SHARED_DIR/data/attack-stix21/enterprise-attack-18.1-dprk-slice.json" >/dev/null
serve us us.log
check "server up" wait_port $pus
total=$(store_objects us)
check "us-cert holds the slice" test "$total" -gt 800

# Kill pulls at three different moments, then let one finish.
for delay in 0.05 0.2 0.4; do
	kill_after $delay "$T" -d uk sync --limit 7
	echo "# killed after ${delay}s: uk-ncsc holds $(store_objects uk) of $total"
done
timeout 120 "$T" -d uk sync --limit 50 >s1 2>&1
contains "the sync after the kills completes" s1 "^synced	us-cert	.* refused=0"
have=$(store_objects uk)
check "uk-ncsc holds every us-cert object once (+ its own identity)" test "$have" -eq $((total + 1))
versions=$("$T" -d uk status | sed -n 's/.*versions=\([0-9]*\).*/\1/p')
check "and no version twice" test "$versions" -eq "$have"
timeout 120 "$T" -d uk sync --full --limit 500 >s2 2>&1
contains "a full re-pull finds nothing new" s2 "^synced	us-cert	.* new=0 "
"$T" -d uk lookup "Lazarus Group" >l1
contains "the data is usable" l1 "attestation us-cert ok"

finish
