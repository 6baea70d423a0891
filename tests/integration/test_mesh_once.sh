#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Each object crosses into each node once (issue 14): six nodes in a
# degree-3 mesh (a ring plus the node opposite), every link relaying,
# serving with the scheduler on (an hour's interval: pushes wake their
# receivers, so delivery is by push). n0 imports 20 GREEN wallets of the
# Bybit theft (60 objects); every other node ends up holding each of them
# with exactly one delivery, counted from its provenance (one row, one
# receipt), though each node has three neighbours offering them, most at
# the same moment: the have check leaves out what the receiver holds and
# its promises keep crossing pushes from sending one version twice.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

N=6
links() {	# the neighbours of node i
	echo $((($1 + N - 1) % N)) $((($1 + 1) % N)) $((($1 + N / 2) % N))
}
for i in $(seq 0 $((N - 1))); do
	port[$i]=$(free_port)
	mknode n$i n$i "${port[$i]}" --sync-interval 3600
done
for i in $(seq 0 $((N - 1))); do
	nb=" $(links "$i") "
	for j in $(seq 0 $((N - 1))); do
		[ "$i" -eq "$j" ] && continue
		case $nb in
		*" $j "*) pin n$i n$j --relay ;;
		*) pin n$i n$j --identity-only ;;
		esac
	done
done
for i in $(seq 0 $((N - 1))); do serve n$i n$i.log ""; done
for i in $(seq 0 $((N - 1))); do check "n$i up" wait_port "${port[$i]}"; done

# Every node's first round with each neighbour is over: from here on,
# only pushes move data (the next pulls are an hour away).
done_all=1
for i in $(seq 0 $((N - 1))); do
	for j in $(links "$i"); do
		round_done n$j n$i || { done_all=0; echo "# n$i - n$j"; }
	done
done
check "every first round ended" test $done_all = 1

B="$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv"
{ echo value; sed -n 22,41p "$B" | cut -d, -f1; } >w.csv
"$T" -d n0 import --csv --kind wallet --tlp green --quiet w.csv >/dev/null

# count DIR: "VERSIONS ROWS RECEIPTS" of n0's objects of the import in
# DIR's store: the versions held, their provenance rows and receipts.
count() {
	python3 - "$1/store.db" n0/store.db <<'PY'
import sqlite3, sys
src = sqlite3.connect(sys.argv[2])
ids = [r[0] for r in src.execute("SELECT id FROM versions WHERE type IN "
    "('cryptocurrency-wallet', 'indicator', 'relationship')")]
db = sqlite3.connect(sys.argv[1])
q = ",".join("?" * len(ids))
v = db.execute("SELECT count(*) FROM versions WHERE id IN (%s)" % q,
    ids).fetchone()[0]
r, c = db.execute("SELECT count(*), coalesce(sum(p.receipts), 0) FROM "
    "provenance p JOIN versions v ON v.vrow = p.vrow WHERE v.id IN (%s)"
    % q, ids).fetchone()
print(len(ids), v, r, c)
PY
}
# Every node holds the 60 objects (at most 120 s).
held_all() {
	local i k
	for k in $(seq 1 480); do
		for i in $(seq 1 $((N - 1))); do
			read -r want v r c < <(count n$i)
			[ "$want" -eq 60 ] && [ "$v" -eq 60 ] || continue 2
		done
		return 0
	done
	return 1
}
check "all 60 objects reached every node" held_all
# Pushes still under way end (a push waits for a promised version 12.75 s
# at most), then the deliveries are counted.
sleep 15
for i in $(seq 1 $((N - 1))); do
	read -r want v r c < <(count n$i)
	check "n$i: 60 objects, 60 provenance rows, 60 receipts (got $v $r $c)" \
	    test "$v $r $c" = "60 60 60"
done
# Offered by three neighbours each, the pushes left out what was held.
held=$(cat n*.log | grep -o ' held=[0-9]*' | cut -d= -f2 |
    awk '{ s += $1 } END { print s + 0 }')
check "the have check left out copies (held=$held)" test "$held" -gt 0

finish
