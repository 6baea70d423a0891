#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Transitive relay (DESIGN §7): five nodes in a ring, each pulling from the
# one before with relay on. A GREEN wallet authored by n0 reaches n4 through
# n1..n3, still verified against n0's signature; an AMBER one stops after
# one hop.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

for i in 0 1 2 3 4; do
	port[$i]=$(free_port)
	mknode n$i n$i "${port[$i]}"
done
for i in 0 1 2 3 4; do
	for j in 0 1 2 3 4; do
		[ $i -eq $j ] && continue
		if [ $j -eq $(( (i + 1) % 5 )) ]; then
			pin n$i n$j --relay --max-tlp amber
		elif [ $j -eq $(( (i + 4) % 5 )) ]; then
			pin n$i n$j
		else
			pin n$i n$j --identity-only
		fi
	done
done
data=$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv
wg=$(sed -n 17p "$data" | cut -d, -f1)
wa=$(sed -n 18p "$data" | cut -d, -f1)
"$T" -d n0 add wallet "$wg" --tlp green >/dev/null
"$T" -d n0 add wallet "$wa" --tlp amber >/dev/null
for i in 0 1 2 3 4; do serve n$i n$i.log; done
for i in 0 1 2 3 4; do check "n$i up" wait_port ${port[$i]}; done

# One pull per hop, in ring order: n1 from n0, n2 from n1, ...
for i in 1 2 3 4; do
	timeout 60 "$T" -d n$i sync --peer n$(( i - 1 )) >s$i 2>&1
done
"$T" -d n4 lookup "$wg" >l4
contains "the GREEN wallet crossed four hops" l4 "^known	wallet	.*	indicator	.*origin=n0	signature=origin n0 ok.*tlp=green.*via=n3"
"$T" -d n1 lookup "$wa" >la1
contains "the AMBER wallet reached its origin's peer" la1 "^known	wallet	.*	indicator	.*origin=n0	.*tlp=amber"
"$T" -d n2 lookup "$wa" >la2
contains "and went no further" la2 "^unknown	wallet	"

finish
