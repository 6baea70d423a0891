# SPDX-License-Identifier: Apache-2.0
# Shared helpers for integration tests: assertions that count, bounded
# waits, free loopback ports, and cleanup of every server started.
set -u
: "${THREATEX:?THREATEX must name the threatex binary}"
: "${TX_SHARED_DIR:?TX_SHARED_DIR must name the shared/ folder}"
T=$THREATEX
PASSED=0
FAILED=0
PIDS=""
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tx-integ-XXXXXX")

cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	if [ "$FAILED" -eq 0 ]; then rm -rf "$WORK"; else echo "kept $WORK"; fi
}
trap cleanup EXIT

ok() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
not_ok() { FAILED=$((FAILED + 1)); echo "not ok - $1"; }

# check DESC CMD...: passes when CMD succeeds.
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
# contains DESC FILE REGEX
contains() { if grep -Eq -- "$3" "$2"; then ok "$1"; else not_ok "$1 (no /$3/ in $2)"; sed 's/^/    /' "$2" | head -20; fi; }
lacks() { if grep -Eq -- "$3" "$2"; then not_ok "$1 (/$3/ in $2)"; sed 's/^/    /' "$2" | head -20; else ok "$1"; fi; }

# A loopback port no other process is given (tests/integration/tx_port.c:
# the kernel picks it, and it stays reserved for about a minute), so that
# tests running in parallel never meet on one.
free_port() {
	"${TX_PORT:?TX_PORT must name the tx_port tool}"
}

# wait_port PORT: at most 10 s.
wait_port() {
	local i
	for i in $(seq 1 100); do
		if (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; then return 0; fi
		sleep 0.1
	done
	return 1
}

# mknode DIR NAME PORT [INIT ARGS]: a node listening on 127.0.0.1:PORT,
# its exported identity in DIR.json.
mknode() {
	local d=$1 n=$2 p=$3
	shift 3
	"$T" -d "$d" init --name "$n" --listen 127.0.0.1:"$p" "$@" >/dev/null
	"$T" -d "$d" identity export >"$d.json" 2>/dev/null
}

# pin DIR PEER [PEER ADD ARGS]: node DIR pins the node exported in PEER.json.
pin() {
	local d=$1 peer=$2
	shift 2
	"$T" -d "$d" peer add "$peer.json" --yes "$@" >/dev/null
}

# serve DIR LOG [ARGS]: start a server (no scheduled sync unless ARGS
# says otherwise: default --no-sync), remember its pid.
serve() {
	"$T" -d "$1" serve ${3---no-sync} >"$2" 2>&1 &
	PIDS="$PIDS $!"
}

# wait_log FILE REGEX [TENTHS]: FILE has a line matching REGEX (at most
# TENTHS tenths of a second, 300 unless given).
wait_log() {
	local i
	for i in $(seq 1 "${3:-300}"); do
		grep -Eq -- "$2" "$1" && return 0
		sleep 0.1
	done
	return 1
}

# round_done PEER NODE: a round of NODE with PEER went well (at most 30 s).
round_done() {
	local i
	for i in $(seq 1 300); do
		"$T" -d "$2" status | grep -q "^peer	$1	.*last-success=[0-9]" &&
		    return 0
		sleep 0.1
	done
	return 1
}

# known NODE VALUE: NODE knows VALUE (`lookup`), waiting at most 60 s.
known() {
	local i
	for i in $(seq 1 240); do
		"$T" -d "$1" lookup "$2" 2>/dev/null | grep -q '^known	' &&
		    return 0
		sleep 0.25
	done
	return 1
}

# store_objects DIR: the current objects node DIR holds (`status`).
store_objects() {
	"$T" -d "$1" status | sed -n 's/^store	objects=\([0-9]*\).*/\1/p'
}

# kill_after DELAY CMD...: run CMD in the background and SIGKILL it after
# DELAY seconds (a crash at an arbitrary point); its output is dropped.
kill_after() {
	local delay=$1 pid
	shift
	"$@" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
}

finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}
