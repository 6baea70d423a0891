#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench_scale.sh THREATEX BENCHDIR [N] [SLICES] - the national-scale
# benchmark of issue 13 on loopback: N signed objects (default 100000)
# ingested, stored, served, caught up and looked up; with SLICES > 1 the
# same node ingests SLICES bundles of N each (the growth curve). BENCHDIR
# holds bench_scale, bench_import and bench_taxii. Prints JSON lines
# (bench "scale", "objects" on each); docs: the header of bench_scale.c.
#
# Topology (three members, all on 127.0.0.1):
#  us-cert  the origin. bench_scale signs every bulk object with its key
#           (wallet, domain and alias indicators, TLP GREEN) straight into
#           bundle files; its own store stays empty. Later it authors the
#           1,000-object delta (import --csv) and pushes it to uk.
#  fr-anssi the importing node: knows us-cert (--identity-only: checks its
#           signatures, never contacts it), imports the bundles, and
#           serves them to uk-ncsc, which it added with --relay (GREEN
#           objects of another origin go only to relay peers, DESIGN §8).
#  uk-ncsc  the third node: catches up everything from fr-anssi (pulls,
#           `sync --peer fr-anssi`), knows us-cert as a full peer (to
#           verify the origin signatures, and to take us-cert's pushes).
# Phases: ingest (fr, no server), in-process lookups on fr's store,
# fr serving (`serve --no-sync`): objects served, 64 concurrent lookups,
# uk's catch-up; then us and uk both running `serve` with the scheduler
# (sync_interval 300 s, the default: the import wakes the push, and no
# scheduled round competes with it) for the delta. The delta goes us -> uk
# directly: a node that had received the bulk from fr would first push
# all of it back out (a push cursor starts at 0), which is not what is
# measured.
set -eu
. "$(dirname "$0")/lib.sh"
T=$1
B=$2
N=${3:-100000}
SLICES=${4:-1}
S=$B/bench_scale
W=$(mktemp -d "${TMPDIR:-/tmp}/tx-bench-scale-XXXXXX")
PIDS=
# TX_BENCH_KEEP=1 leaves the nodes' directories and logs for a look.
# shellcheck disable=SC2154 # q is the trap's own loop variable
trap 'for q in $PIDS; do kill $q 2>/dev/null; done; wait 2>/dev/null
    [ -n "${TX_BENCH_KEEP:-}" ] && echo "bench_scale: kept $W" >&2 ||
    rm -rf "$W"' EXIT
cd "$W"

port() { echo $((20000 + RANDOM % 30000)); }
ms() { date +%s%N | cut -c1-13; }
objects() { "$T" -d "$1" status | sed -n 's/^store	objects=\([0-9]*\).*/\1/p'; }
# emit METRIC VALUE UNIT [BASELINE BASELINE_VALUE] [EXTRA_JSON]
emit() {
	awk -v m="$1" -v v="$2" -v u="$3" -v b="${4:-}" -v bv="${5:-0}" \
	    -v x="${6:-}" -v o="$OBJS" 'BEGIN {
	    printf "{\"bench\":\"scale\",\"metric\":\"%s\",\"value\":%.*f,\"unit\":\"%s\",\"objects\":%d", m, (u == "ratio" || u == "s" ? 3 : 1), v, u, o
	    if (x != "") printf ",%s", x
	    if (b != "") printf ",\"baseline\":\"%s\",\"baseline_value\":%.1f,\"ratio\":%.3f", b, bv, (bv > 0 ? v / bv : 0)
	    print "}" }'
}
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }
store_bytes() { cat "$1"/store.db "$1"/store.db-wal 2>/dev/null | wc -c; }

pfr=$(port)
pus=$(port)
puk=$(port)
"$T" -d us init --name us-cert --listen 127.0.0.1:"$pus" >/dev/null
"$T" -d fr init --name fr-anssi --listen 127.0.0.1:"$pfr" >/dev/null
"$T" -d uk init --name uk-ncsc --listen 127.0.0.1:"$puk" >/dev/null
for n in us fr uk; do "$T" -d $n identity export >$n.json 2>/dev/null; done
"$T" -d fr peer add us.json --identity-only --yes >/dev/null
"$T" -d fr peer add uk.json --relay --yes >/dev/null
"$T" -d uk peer add fr.json --yes >/dev/null
"$T" -d uk peer add us.json --yes >/dev/null
"$T" -d us peer add uk.json --yes >/dev/null
# Rate limits off: 64 clients of one peer would exceed any sane one.
for n in us fr uk; do
	sed -i 's/^peer_rate = .*/peer_rate = 1000000/' $n/node.conf
done

# ---- ingest: SLICES bundles of N, each imported by fr-anssi ----
OBJS=$N
first_rate=0 rate=0 total=0
for k in $(seq 1 "$SLICES"); do
	# The lookup sample is the first slice's values.
	if [ "$k" -eq 1 ]; then
		"$S" gen us "$N" b.json present.txt absent.txt >gen.out
	else
		"$S" gen us "$N" b.json p.txt a.txt >gen.out
	fi
	n=$(sed -n 's/^objects //p' gen.out)
	"$S" rusage ru.txt "$T" -d fr import --quiet b.json >import.out ||
	    { echo "bench_scale: import of slice $k failed" >&2; exit 1; }
	read -r wall rss rc <ru.txt
	total=$(objects fr)
	rate=$(div "$n" "$wall")
	if [ "$k" -eq 1 ]; then
		first_rate=$rate
		bundle_bytes=$(wc -c <b.json)
		# bench_import --parse (as bench_sync.sh) takes at most 512
		# MiB; past that, bench_scale parses the same bytes object
		# by object (the same figure within a few percent at 100k).
		if [ "$bundle_bytes" -le $((512 << 20)) ]; then
			parse=$("$B/bench_import" --parse b.json)
		else
			parse=$("$S" parse b.json)
		fi
		parse=$(echo "$parse" | sed -n 's/.*"value":\([0-9.]*\).*/\1/p')
		[ -n "$parse" ] || { echo "bench_scale: no parse baseline" >&2; exit 1; }
		OBJS=$n
		emit ingest_1m "$rate" objects/s jansson_parse_1m "$parse"
		emit ingest_peak_rss_mb "$(div "$rss" 1024)" MiB
		emit store_bytes_per_object "$(div "$(store_bytes fr)" "$total")" \
		    bytes json_bytes_per_object "$(div "$bundle_bytes" "$n")"
	fi
	OBJS=$n
	emit growth_slice "$rate" objects/s "" 0 "\"slice\":$k,\"store_objects\":$total"
	emit growth_store_bytes_per_object "$(div "$(store_bytes fr)" "$total")" \
	    bytes "" 0 "\"slice\":$k,\"store_objects\":$total"
	rm -f b.json
done
OBJS=$N
emit growth_last_vs_first "$(div "$rate" "$first_rate")" ratio "" 0 \
    "\"slices\":$SLICES,\"store_objects\":$total"
OBJS=$total
# TX_BENCH_SCALE_ONLY=growth stops here: the growth curve to 10M alone
# (SLICES of N), without the phases that would take hours at that size.
[ "${TX_BENCH_SCALE_ONLY:-}" = growth ] && exit 0

# ---- lookups in-process on fr's store, and verification ----
"$S" lookup fr present.txt absent.txt "$total"
"$S" verify us | sed "s/\"objects\":[0-9]*/\"objects\":$total,\"batch_objects\":16320/"

# ---- fr serving: objects served, 64 clients, uk's catch-up ----
"$T" -d fr serve --no-sync >fr.log 2>&1 &
FP=$!
PIDS="$PIDS $FP"
bench_wait_port "$pfr" || { echo "bench_scale: fr-anssi does not listen" >&2; exit 1; }
pin=$(openssl x509 -in fr/keys/tls.crt -pubkey -noout |
    openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1)
"$B/bench_taxii" "https://127.0.0.1:$pfr/" "$pin" uk/keys/tls.crt \
    uk/keys/tls.key - 3 64 present.txt |
    sed "s/\"bench\":\"taxii\"/\"bench\":\"scale\"/; s/}\$/,\"objects\":$total}/"

# A round is bounded to 60 s and 1,000 pages (DESIGN §9); the
# environment (THREATEX_SYNC_ROUND_S) may only lower that, never raise
# it, so at this size the catch-up is several `sync` rounds, each
# resuming from the cursor, as a node catching up would run them. A cut
# round exits 1 ("failed ... timeout") without its counts although what
# it stored stays, so progress is read from uk-ncsc's store. At most 4
# rounds per 100,000 objects plus 10, then it stops and says so.
base=$(objects uk)
cur=$base
t0=$(ms)
for i in $(seq 1 $((total / 25000 + 10))); do
	rc=0
	"$T" -d uk sync --peer fr-anssi --limit 1000 >s.out 2>&1 || rc=$?
	if [ "$rc" -ne 0 ] && ! grep -q 'timeout\|budget' s.out; then
		echo "bench_scale: sync round $i failed:" >&2
		cat s.out >&2
		exit 1
	fi
	prev=$cur
	cur=$(objects uk)
	[ $((cur - base)) -ge "$total" ] && break
	# A round that completed and brought nothing: all there is.
	[ "$rc" -eq 0 ] && [ "$cur" -eq "$prev" ] && break
done
t1=$(ms)
got=$((cur - base))
[ "$got" -ge "$total" ] ||
    echo "bench_scale: catch-up stopped at $got of $total objects after $i rounds" >&2
emit catchup_1m_s "$(div $((t1 - t0)) 1000)" s "" 0 "\"rounds\":$i,\"received_new\":$got"
emit catchup_objects_per_s "$(div $((got * 1000)) $((t1 - t0)))" objects/s
kill $FP 2>/dev/null || true
wait $FP 2>/dev/null || true
PIDS=

# ---- the delta: us-cert authors 1,000 objects and pushes them ----
for n in us uk; do
	sed -i 's/^sync_interval = .*/sync_interval = 300/' $n/node.conf
	grep -q '^sync_interval = 300$' $n/node.conf ||
	    sed -i 's/^\[node\]$/[node]\nsync_interval = 300/' $n/node.conf
done
"$T" -d uk serve >uk.log 2>&1 &
PIDS="$PIDS $!"
"$T" -d us serve >us.log 2>&1 &
PIDS="$PIDS $!"
if ! bench_wait_port "$puk" || ! bench_wait_port "$pus"; then
	echo "bench_scale: us or uk does not listen" >&2
	exit 1
fi
# A successful round each way (uk's brings us's identity and nothing
# else): a node backing off after a failed first round (the other not
# yet listening) is not nudged (node/wake.h), and its backoff would be
# measured instead of the push.
for i in $(seq 1 300); do
	"$T" -d uk status | grep -q '^peer	us-cert	.*last-success=[0-9]' &&
	    "$T" -d us status | grep -q '^peer	uk-ncsc	.*last-success=[0-9].*failures=0' &&
	    break
	sleep 0.1
done
before=$(objects uk)
us0=$(objects us)
# Three deltas, a second apart. The first after `serve` starts meets
# cold caches in the receiver's store role (about 100 ms more of its
# CPU at 100k objects): it is reported on its own (delta_push_first_s);
# delta_push_s is the median of the three, what a running federation
# sees.
all=""
for r in 1 2 3; do
	echo value >d.csv
	od -An -tx1 -N 6660 -v /dev/urandom | tr -d ' \n' | fold -w 40 |
	    head -n 333 | sed 's/^/0x/' >>d.csv
	# From the import's exit until uk-ncsc's store holds as many new
	# versions as us-cert's gained, read from uk's store.db every 2 ms
	# (`status`, which counts whole tables, cost ~100 ms of the 2 cores
	# each poll).
	if ! "$S" delta us uk "$T" -d us import --csv --kind wallet \
	    --tlp green --quiet d.csv >delta.out; then
		echo "bench_scale: delta: $(cat delta.out)" >&2
		exit 1
	fi
	read -r secs delta _ <<EOF
$(tail -n 1 delta.out)
EOF
	[ "$r" -eq 1 ] && first=$secs
	all="$all $secs"
	sleep 1
done
median=$(echo $all | tr ' ' '\n' | sort -n | sed -n 2p)
# ...and what `status` counts agrees.
[ $(($(objects uk) - before)) -eq $(($(objects us) - us0)) ] ||
    { echo "bench_scale: delta: uk-ncsc's objects do not match" >&2; exit 1; }
OBJS=$delta
emit delta_push_s "$median" s "" 0 "\"store_objects\":$(objects uk),\"deltas_s\":\"${all# }\""
emit delta_push_first_s "$first" s
