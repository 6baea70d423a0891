#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/delta_ab.sh DIR ROUNDS K BUILD... - issue 13's 1,000-object delta
# again and again on a store kept by a national-scale run
# (TX_BENCH_KEEP=1 bench/run scale N leaves DIR, named on stderr), to
# compare builds on the same store in the same run: ROUNDS times, each
# BUILD in turn (a build directory holding threatex) starts us-cert and
# uk-ncsc serving and times K deltas with the first BUILD's
# bench/bench_scale (one clock for all), as bench_scale.sh
# does (1,000 objects authored on us-cert, pushed to uk-ncsc; from
# us-cert's commit until uk-ncsc's store holds them). On this noisy
# 2-core machine only such alternating runs tell builds apart. Prints one
# JSON line per build: the median, mean and quartiles of its ROUNDS x K
# deltas. Each delta adds 1,000 objects to DIR's stores.
set -eu
. "$(dirname "$0")/lib.sh"
D=$1
ROUNDS=$2
K=$3
shift 3
builds=()
for b in "$@"; do
	case $b in /*) ;; *) b=$PWD/$b ;; esac
	builds+=("$b")
done
set -- "${builds[@]}"
S=$1/bench/bench_scale

# deltas BUILD: K deltas, their seconds on one line.
deltas() {
	local T=$1/threatex p1 p2 puk pus i r out
	puk=$(sed -n 's/^listen = 127.0.0.1://p' uk/node.conf)
	pus=$(sed -n 's/^listen = 127.0.0.1://p' us/node.conf)
	"$T" -d uk serve >uk.log 2>&1 &
	p1=$!
	"$T" -d us serve >us.log 2>&1 &
	p2=$!
	# shellcheck disable=SC2064 # the pids of this call
	trap "kill $p1 $p2 2>/dev/null; wait 2>/dev/null" RETURN
	bench_wait_port "$puk" && bench_wait_port "$pus" || return 1
	# One successful round each way first (bench_scale.sh says why).
	for i in $(seq 1 300); do
		"$T" -d uk status | grep -q '^peer	us-cert	.*last-success=[0-9]' &&
		    "$T" -d us status | grep -q '^peer	uk-ncsc	.*last-success=[0-9].*failures=0' &&
		    break
		sleep 0.1
	done
	out=
	for r in $(seq 1 "$K"); do
		echo value >d.csv
		od -An -tx1 -N 6660 -v /dev/urandom | tr -d ' \n' |
		    fold -w 40 | head -n 333 | sed 's/^/0x/' >>d.csv
		"$S" delta us uk "$T" -d us import --csv --kind wallet \
		    --tlp green --quiet d.csv >delta.out || return 1
		out="$out $(tail -n 1 delta.out | cut -d' ' -f1)"
		sleep 0.4
	done
	echo "$out"
}

cd "$D"
: >ab.out
for r in $(seq 1 "$ROUNDS"); do
	for b in "$@"; do
		echo "$b $(deltas "$b")" >>ab.out
	done
done
for b in "$@"; do
	grep "^$b " ab.out | cut -d' ' -f2- | tr ' ' '\n' | grep . | sort -n |
	    awk -v b="$b" '{ a[NR] = $1; s += $1 } END {
	    printf "{\"bench\":\"delta_ab\",\"build\":\"%s\",\"deltas\":%d,\"median_s\":%.3f,\"mean_s\":%.3f,\"p25_s\":%.3f,\"p75_s\":%.3f}\n",
	    b, NR, a[int(NR / 2) + 1], s / NR, a[int(NR / 4) + 1], a[int(3 * NR / 4) + 1] }'
done
