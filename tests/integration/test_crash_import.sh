#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Crash safety of import (DESIGN §6, issue 13): an import of a signed
# bundle, read and parsed on a second thread and merged 1,000 objects to a
# transaction, killed with SIGKILL at arbitrary points and then run again
# to its end, leaves the node holding exactly what one uninterrupted
# import gives another node: the same objects and versions, each once, the
# audit chain whole.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

mknode us us-cert $(free_port)
mknode fr fr-anssi $(free_port)
mknode de de-bsi $(free_port)
pin fr us
pin de us
# 4,000 wallet graphs (12,000 objects) signed by us-cert, as one bundle.
{
	echo value
	for i in $(seq 1 4000); do printf '0x%040x\n' $((i * 7919 + 17)); done
} >w.csv
"$T" -d us import --csv --kind wallet --quiet w.csv >/dev/null
"$T" -d us export --out bundle.json >/dev/null 2>&1
total=$(grep -o '"spec_version"' bundle.json | wc -l)
check "the bundle holds the wallet graphs" test "$total" -gt 12000

# The reference: one import, not interrupted.
"$T" -d de import --quiet bundle.json >de.out 2>&1
contains "the uninterrupted import stores every object" de.out \
    "^imported	.*	refused=0	"

# Kill the import at three moments, then let one finish.
for delay in 0.3 0.8 1.5; do
	kill_after $delay "$T" -d fr import --quiet bundle.json
	echo "# killed after ${delay}s: fr-anssi holds $(store_objects fr) objects"
done
timeout 300 "$T" -d fr import --quiet bundle.json >fr.out 2>&1
contains "the import after the kills completes" fr.out \
    "^imported	.*	refused=0	"

counts() { "$T" -d "$1" status | sed -n 's/^store	\(objects=[0-9]* versions=[0-9]*\).*/\1/p'; }
counts de >de.counts
counts fr >fr.counts
check "the same objects and versions as the uninterrupted import" \
    cmp -s de.counts fr.counts
cat de.counts fr.counts | sed 's/^/# /'
# The same ids and versions, not only as many: (id, modified) of every
# object exported, with how often each is held.
# Each node's own identity object is its own: left out.
held() {
	local self
	self=$("$T" -d "$1" status | sed -n 's/^node	[^	]*	\(identity--[^	]*\).*/\1/p')
	"$T" -d "$1" export --out "$1.bundle" >/dev/null 2>&1
	python3 -c 'import json, sys, collections
c = collections.Counter((o["id"], o.get("modified", "")) for o in
    json.load(open(sys.argv[1]))["objects"] if o["id"] != sys.argv[2])
for k in sorted(c): print(c[k], *k)' "$1.bundle" "$self" >"$1.held"
}
held de
held fr
check "the reference holds every object of the bundle" \
    test "$(wc -l <de.held)" -ge 12000
check "each object and version held once, the same set" cmp -s de.held fr.held
lacks "none twice" fr.held "^[02-9]"
"$T" -d fr audit verify >av 2>&1
contains "the audit chain is whole" av "^ok	"
"$T" -d fr lookup "$(sed -n 2p w.csv)" >l1
contains "the data is usable" l1 "origin us-cert ok"

finish
