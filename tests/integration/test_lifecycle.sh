#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Indicator lifecycle across a federation (issue 12, DESIGN §6, §7): an
# origin o, two direct peers p1 and p2 pulling from it, r relayed through
# p1 (and r2, a relayed node that joins late). After one sync round each:
# `revoke` on o shows the value withdrawn on every node; `update --tlp
# green` of an AMBER indicator reaches r; after `update --tlp amber` of a
# GREEN one the direct peers hold the new version but stop relaying it: r
# keeps what it had (what was shared stays shared) and r2 gets neither the
# new version nor the old GREEN one. Only the origin revokes; `add
# --actor` on an existing value adds the link; `sighting` is shared.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

declare -A port
for n in o p1 p2 r r2; do
	port[$n]=$(free_port)
	mknode $n $n "${port[$n]}"
done
# Who pulls from whom: p1 and p2 from o, r and r2 from p1.
pin o p1 --max-tlp amber
pin o p2 --max-tlp amber
pin o r --identity-only
pin o r2 --identity-only
pin p1 o
pin p1 p2 --identity-only
pin p1 r --relay --max-tlp amber
pin p1 r2 --relay --max-tlp amber
pin p2 o
pin p2 p1 --identity-only
pin p2 r --identity-only
pin p2 r2 --identity-only
for n in r r2; do
	pin $n p1
	pin $n o --identity-only
	pin $n p2 --identity-only
done
pin r r2 --identity-only
pin r2 r --identity-only

D1=withdrawn-lc.example		# GREEN, then revoked
D2=widened-lc.example		# AMBER, then GREEN
D3=narrowed-lc.example		# GREEN, then AMBER
"$T" -d o add domain $D1 --tlp green >a1 2>&1
"$T" -d o add domain $D2 --tlp amber >a2 2>&1
"$T" -d o add domain $D3 --tlp green --actor "Lazarus Group" >a3 2>&1
contains "o authored $D3" a3 "^added	domain	$D3"

for n in o p1; do serve $n $n.log; done
for n in o p1; do check "$n up" wait_port ${port[$n]}; done

round() {
	timeout 120 "$T" -d p1 sync --peer o >"s1.$1" 2>&1
	timeout 120 "$T" -d p2 sync --peer o >"s2.$1" 2>&1
	timeout 120 "$T" -d r sync --peer p1 >"sr.$1" 2>&1
}
round 1
"$T" -d r lookup $D1 >r.d1.1
contains "r holds GREEN $D1 through p1" r.d1.1 \
    "^known	domain	$D1	indicator	.*origin=o	signature=origin o ok.*tlp=green.*via=p1"
"$T" -d r lookup $D2 >r.d2.1
contains "AMBER $D2 stopped at p1" r.d2.1 "^unknown	domain	"
"$T" -d r lookup $D3 >r.d3.1
contains "r holds GREEN $D3" r.d3.1 "^known	domain	$D3	indicator	.*tlp=green"

# Only the origin revokes or updates: p1 holds o's indicator, may not.
"$T" -d p1 revoke $D1 >p1.rv 2>&1
rc=$?
check "p1 cannot revoke o's indicator (exit 3)" test "$rc" -eq 3
contains "and is told why" p1.rv "only its origin can revoke"
ind=$(awk -F'\t' '$1 == "known" && $4 == "indicator" { print $5; exit }' \
    r.d1.1)
"$T" -d p1 update "$ind" --confidence 1 >p1.up 2>&1
rc=$?
check "p1 cannot update it by id (exit 3)" test "$rc" -eq 3
contains "naming the creator" p1.up "created by identity--"
"$T" -d o revoke unknown-lc.example >o.rvu 2>&1
rc=$?
check "revoking what o never authored fails" test "$rc" -ne 0

# The lifecycle, on o only.
"$T" -d o revoke $D1 --reason "false positive: a sinkhole" >o.rv 2>&1
contains "o revoked $D1" o.rv "^revoked	indicator--"
"$T" -d o update $D2 --tlp green >o.u2 2>&1
contains "o widened $D2" o.u2 "^updated	indicator--"
"$T" -d o update $D3 --tlp amber >o.u3 2>&1
contains "o narrowed $D3" o.u3 "^updated	indicator--"
"$T" -d o revoke $D1 >o.rv2 2>&1
rc=$?
check "revocation is final (exit 3)" test "$rc" -eq 3
"$T" -d o add domain $D3 --actor "Andariel" >o.a4 2>&1
contains "add --actor on an existing value links it" o.a4 \
    "^linked to Andariel	indicator--"
"$T" -d o add domain $D3 --actor "Andariel" >o.a5 2>&1
contains "and only once" o.a5 "^exists	indicator--"
lacks "no second link" o.a5 "^linked"
"$T" -d o sighting $D3 --count 4 --where "mail gateway" >o.sg 2>&1
contains "o reports a sighting" o.sg "^sighting	sighting--"

round 2
for n in o p1 p2 r; do
	"$T" -d $n lookup $D1 >$n.d1.2
	contains "$D1 withdrawn on $n after one round" $n.d1.2 \
	    "^known	domain	$D1	indicator	.*origin=o	.*	revoked"
done
"$T" -d r export --format csv >r.csv 2>r.csv.err
contains "r's export holds the widened $D2" r.csv "$D2"
lacks "and leaves the revoked $D1 out" r.csv "$D1"
"$T" -d r lookup $D2 >r.d2.2
contains "widened $D2 reached r" r.d2.2 \
    "^known	domain	$D2	indicator	.*origin=o	signature=origin o ok.*tlp=green.*via=p1"
for n in p1 p2; do
	"$T" -d $n lookup $D3 >$n.d3.2
	contains "$n holds the narrowed $D3" $n.d3.2 \
	    "^known	domain	$D3	indicator	.*tlp=amber"
	contains "with both actors linked on $n" $n.d3.2 "Andariel"
	contains "and o's sighting counted on $n" $n.d3.2 \
	    "	sightings=1	sighted=4	sighters=o"
done
"$T" -d r lookup $D3 >r.d3.2
contains "r keeps the GREEN $D3 it had" r.d3.2 \
    "^known	domain	$D3	indicator	.*tlp=green"
lacks "r did not get the narrowed version" r.d3.2 "tlp=amber"

# r2 joins late: what p1 relays now.
timeout 120 "$T" -d r2 sync --peer p1 >sr2 2>&1
"$T" -d r2 lookup $D2 >r2.d2
contains "r2 gets the widened $D2" r2.d2 "^known	domain	$D2	.*tlp=green"
"$T" -d r2 lookup $D3 >r2.d3
contains "r2 gets no version of the narrowed $D3" r2.d3 "^unknown	domain	"
"$T" -d r2 lookup $D1 >r2.d1
contains "and $D1 only as withdrawn" r2.d1 \
    "^known	domain	$D1	indicator	.*	revoked"

finish
