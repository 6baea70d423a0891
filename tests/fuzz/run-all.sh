#!/bin/sh
# run-all.sh - run every libFuzzer harness (or the ones named) for SECONDS
# each under ASan+UBSan, then measure the region coverage each harness's
# corpus reaches in the files it targets (clang source-based coverage).
# Prints one JSON line per harness:
#   {"harness", "seconds", "execs_per_s", "corpus", "findings",
#    "coverage": {"FILE": percent, ...}}
# New inputs go to a work copy of the corpus (build dir), never into the
# repository; a crash leaves its reproducer in the build dir and is counted
# in "findings" (copy it into tests/fuzz/corpora/NAME/ as a regression case).
#
#   tests/fuzz/run-all.sh [-t SECONDS] [-j JOBS] [HARNESS...]
# Needs clang, llvm-profdata and llvm-cov (Debian: clang llvm).
set -eu
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SECS=600
JOBS=1
while getopts t:j: o; do
	case $o in
	t) SECS=$OPTARG ;;
	j) JOBS=$OPTARG ;;
	*) echo "usage: $0 [-t SECONDS] [-j JOBS] [HARNESS...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

CC=${CC:-clang}
PROFDATA=$(command -v llvm-profdata || command -v llvm-profdata-14)
COV=$(command -v llvm-cov || command -v llvm-cov-14)
FZ=${FUZZ_BUILD:-$ROOT/build-fuzz}
CV=${COV_BUILD:-$ROOT/build-fuzzcov}
SHARED=${TX_SHARED_DIR:-$ROOT/../shared}

# The files each harness exists to cover (coverage is reported for these).
# stream.c is the stream harness's (it alone reads files too); the console
# harness covers the parsers of node/console.c, not the listener in
# node/server_console.c (libevent and TLS, which no harness reaches).
targets() {
	case $1 in
	pattern) echo stix/pattern_parse.c stix/pattern_match.c stix/pattern_print.c ;;
	intake) echo stix/intake.c stix/validate.c stix/tlp.c ;;
	stream) echo stix/stream.c stix/intake.c ;;
	jcs) echo crypto/jcs.c ;;
	norm) echo stix/norm.c stix/wallet.c stix/domain.c stix/email.c stix/alias.c ;;
	defang) echo stix/defang.c ;;
	descriptor) echo peers/descriptor.c ;;
	statement) echo peers/statement.c ;;
	config) echo node/config.c ;;
	csv) echo node/csv.c node/import_csv.c ;;
	misp) echo node/import_misp.c ;;
	ofac) echo stix/ofac.c node/import_ofac.c ;;
	xml1x) echo stix/xml1x.c ;;
	benign) echo node/benign.c ;;
	oprf) echo crypto/oprf.c ;;
	private) echo node/private_msg.c node/private.c ;;
	lookup) echo node/lookup.c ;;
	taxii_discovery) echo peers/taxii_discovery.c ;;
	http_auth) echo node/server_auth_parse.c ;;
	console) echo node/console.c ;;
	msg) echo node/msg.c ;;
	taxii_request) echo node/server_proxy.c node/server_taxii.c \
	    node/server_private.c node/server_inbox.c node/egress.c ;;
	route) echo node/server_routes.c ;;
	sync_page) echo node/sync_page.c stix/stream.c node/merge.c ;;
	taxii_response) echo peers/taxii_client.c ;;
	*) echo "" ;;
	esac
}

if [ $# -eq 0 ]; then
	set -- $(ls tests/fuzz/*_fuzz.c | sed 's|.*/||; s|_fuzz\.c$||')
fi

cmake -S . -B "$FZ" -DCMAKE_C_COMPILER="$CC" -DTX_FUZZ=ON -DTX_SANITIZE=ON \
    -DTX_SHARED_DIR="$SHARED" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake -S . -B "$CV" -DCMAKE_C_COMPILER="$CC" -DTX_SHARED_DIR="$SHARED" \
    -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_C_FLAGS="-fprofile-instr-generate -fcoverage-mapping" \
    -DCMAKE_EXE_LINKER_FLAGS="-fprofile-instr-generate" >/dev/null
for h in "$@"; do
	make -C "$FZ" -j2 "fuzz_$h" >/dev/null
	make -C "$CV" -j2 "replay_$h" >/dev/null
done

for h in "$@"; do
	work="$FZ/corpus/$h"
	art="$FZ/artifacts/$h/"
	mkdir -p "$work" "$art"
	cp -n tests/fuzz/corpora/"$h"/* "$work"/ 2>/dev/null || :
	log="$FZ/$h.log"
	touch "$art/.start"
	# -max_len covers the seeds; -timeout flags slow inputs as findings.
	par=""
	[ "$JOBS" -gt 1 ] && par="-jobs=$JOBS -workers=$JOBS"
	# A harness's dictionary (tests/fuzz/NAME.dict), when it has one.
	[ -f "$ROOT/tests/fuzz/$h.dict" ] &&
	    par="$par -dict=$ROOT/tests/fuzz/$h.dict"
	# In $FZ: libFuzzer writes its per-job fuzz-N.log files there.
	# shellcheck disable=SC2086
	(cd "$FZ" && "$FZ/tests/fuzz_$h" -max_total_time="$SECS" $par \
	    -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix="$art" "$work" >"$log" 2>&1) || :
	execs=$(grep -h "stat::number_of_executed_units" "$log" "$FZ"/fuzz-*.log 2>/dev/null |
	    awk '{s += $2} END {print s + 0}')
	# Only this run's reproducers (older ones stay in $art).
	findings=$(find "$art" -type f -newer "$art/.start" ! -name .start |
	    wc -l)
	corpus=$(ls "$work" | wc -l)
	# Coverage: replay the grown corpus through the instrumented replayer.
	prof="$CV/$h.profraw"
	LLVM_PROFILE_FILE="$prof" "$CV/tests/replay_$h" "$work" >/dev/null 2>&1 || :
	"$PROFDATA" merge -sparse "$prof" -o "$CV/$h.profdata"
	cov=""
	for f in $(targets "$h"); do
		[ -f "$f" ] || continue
		pct=$("$COV" report "$CV/tests/replay_$h" \
		    -instr-profile="$CV/$h.profdata" "$ROOT/$f" 2>/dev/null |
		    awk '$1 ~ /\.c$/ {print $4}' | tr -d '%' | head -1)
		cov="$cov${cov:+, }\"$f\": ${pct:-0}"
	done
	printf '{"harness": "%s", "seconds": %s, "execs_per_s": %s, "corpus": %s, "findings": %s, "coverage": {%s}}\n' \
	    "$h" "$SECS" "$(awk -v e="$execs" -v s="$SECS" 'BEGIN {printf "%d", e / s}')" \
	    "$corpus" "$findings" "$cov"
done
