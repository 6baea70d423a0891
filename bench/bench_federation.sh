#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench_federation.sh THREATEX BENCHDIR [N] [TOPOLOGY] [WALLETS] [IDLE_S] -
# a federation of N nodes on loopback (issue 14), each serving with the
# scheduler on (sync_interval 2 s, every link relaying). TOPOLOGY is ring
# (each node peers its two neighbours), star (node-0 is the hub) or mesh
# (ring plus the node opposite: degree 3); every node knows every other
# member's identity, so all signatures verify. node-1 imports WALLETS
# GREEN wallets (3 objects each); once every node holds them:
#  converge_s            import done -> every node holds them, against the
#                        import itself (import_s, the same run);
#  deliveries_per_object_per_node
#                        every delivery (provenance receipts, duplicates
#                        included, bench_scale receipts) / (objects x
#                        (N - 1)), against the least possible, 1;
#  provenance_rows_per_object_per_node
#                        the rows those deliveries left;
#  idle_cpu_pct_per_node the CPU of every process of the federation (rounds
#                        reaped included) over IDLE_S seconds after it
#                        settled, per node, in % of one core.
# N is 10 by default (50 serves on 2 cores is past this machine), at most
# 64 (the roster's cap). Prints JSON lines, bench "federation".
set -eu
T=$1
B=$2
N=${3:-10}
TOPO=${4:-ring}
WALLETS=${5:-300}
IDLE_S=${6:-20}
case $T in /*) ;; *) T=$PWD/$T ;; esac
case $B in /*) ;; *) B=$PWD/$B ;; esac
S=$B/bench_scale
W=$(mktemp -d "${TMPDIR:-/tmp}/tx-bench-fed-XXXXXX")
trap 'pkill -f "threatex -d $W/" 2>/dev/null; sleep 1; rm -rf "$W"' EXIT
cd "$W"

case $TOPO in ring|star|mesh) ;; *)
	echo "bench_federation: topology ring, star or mesh" >&2; exit 2 ;;
esac
[ "$N" -ge 3 ] && [ "$N" -le 64 ] ||
    { echo "bench_federation: N from 3 to 64" >&2; exit 2; }

port() { echo $((20000 + RANDOM % 30000)); }
ms() { date +%s%N | cut -c1-13; }
emit() { # metric value unit [baseline baseline_value]
	awk -v m="$1" -v v="$2" -v u="$3" -v b="${4:-}" -v bv="${5:-0}" \
	    -v n="$N" -v t="$TOPO" -v o="$((3 * WALLETS))" 'BEGIN {
	    printf "{\"bench\":\"federation\",\"metric\":\"%s\",\"value\":%.3f,\"unit\":\"%s\",\"nodes\":%d,\"topology\":\"%s\",\"objects\":%d", m, v, u, n, t, o
	    if (b != "") printf ",\"baseline\":\"%s\",\"baseline_value\":%.3f,\"ratio\":%.3f", b, bv, (bv > 0 ? v / bv : 0)
	    print "}" }'
}
# The neighbours of node i.
links() {
	local i=$1
	case $TOPO in
	ring) echo $(((i + N - 1) % N)) $(((i + 1) % N)) ;;
	star) if [ "$i" -eq 0 ]; then seq 1 $((N - 1)); else echo 0; fi ;;
	mesh) echo $(((i + N - 1) % N)) $(((i + 1) % N)) \
	    $(((i + N / 2) % N)) ;;
	esac | tr ' ' '\n' | sort -un
}

for i in $(seq 0 $((N - 1))); do
	"$T" -d "$W/n$i" init --name "node-$i" --listen 127.0.0.1:"$(port)" \
	    --sync-interval 2 >/dev/null
	"$T" -d "$W/n$i" identity export >"n$i.json" 2>/dev/null
done
for i in $(seq 0 $((N - 1))); do
	nb=" $(links "$i" | tr '\n' ' ')"
	for j in $(seq 0 $((N - 1))); do
		[ "$j" -eq "$i" ] && continue
		case $nb in
		*" $j "*) "$T" -d "$W/n$i" peer add "n$j.json" --yes --relay \
		    >/dev/null ;;
		*) "$T" -d "$W/n$i" peer add "n$j.json" --yes --identity-only \
		    >/dev/null ;;
		esac
	done
done
echo value >w.csv
od -An -tx1 -N $((WALLETS * 20)) -v /dev/urandom | tr -d ' \n' |
    fold -w 40 | head -n "$WALLETS" | sed 's/^/0x/' >>w.csv

for i in $(seq 0 $((N - 1))); do
	"$T" -d "$W/n$i" serve >"n$i.log" 2>&1 &
done
sleep 3
t0=$(ms)
"$T" -d "$W/n1" import --csv --kind wallet --tlp green --quiet w.csv >/dev/null
t1=$(ms)
want=$((3 * WALLETS))
# Converged: every node holds the objects (at most 10 minutes).
for s in $(seq 1 1200); do
	ok=1
	for i in $(seq 0 $((N - 1))); do
		c=$("$T" -d "$W/n$i" status |
		    sed -n 's/^store	objects=\([0-9]*\).*/\1/p')
		[ "${c:-0}" -ge "$want" ] || { ok=0; break; }
	done
	[ $ok = 1 ] && break
	sleep 0.25
done
t2=$(ms)
[ $ok = 1 ] || { echo "bench_federation: no convergence in 10 minutes" >&2; exit 1; }
emit converge_s "$(awk -v a="$t1" -v b="$t2" 'BEGIN { print (b - a) / 1000 }')" s \
    import_s "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) / 1000 }')"

# Rounds in flight finish; then the federation is idle.
sleep 6
rows=0 rec=0
for i in $(seq 0 $((N - 1))); do
	read -r r c < <("$S" receipts "$W/n$i")
	rows=$((rows + r)); rec=$((rec + c))
done
emit deliveries_per_object_per_node \
    "$(awk -v r="$rec" -v o="$want" -v n="$N" 'BEGIN { print r / o / (n - 1) }')" \
    ratio least_possible 1
emit provenance_rows_per_object_per_node \
    "$(awk -v r="$rows" -v o="$want" -v n="$N" 'BEGIN { print r / o / (n - 1) }')" \
    ratio least_possible 1

# CPU ticks of the federation's processes, with their reaped children.
ticks() {
	local p sum=0
	for p in $(pgrep -f "threatex -d $W/"); do
		[ -r "/proc/$p/stat" ] || continue
		sum=$((sum + $(sed 's/.*) //' "/proc/$p/stat" |
		    awk '{ print $12 + $13 + $14 + $15 }')))
	done
	echo $sum
}
a=$(ticks)
sleep "$IDLE_S"
b=$(ticks)
emit idle_cpu_pct_per_node "$(awk -v a="$a" -v b="$b" -v hz="$(getconf CLK_TCK)" \
    -v s="$IDLE_S" -v n="$N" 'BEGIN { print (b - a) / hz / s / n * 100 }')" \
    "% of a core"
