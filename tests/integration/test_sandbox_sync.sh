#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The sync role under its sandbox (node/sandbox.h, STYLE §2.9): serve's
# scheduler logs the sandbox it applied and its pid; that process runs
# with no_new_privs and a seccomp filter (/proc/PID/status), and a
# scheduled sync still brings a peer's new wallet across (TLS, the store,
# the cursor, all under Landlock). THREATEX_SANDBOX=off, the operator's
# escape hatch, is logged and leaves the scheduler unfiltered. Linux only.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

[ "$(uname -s)" = Linux ] || { echo "skip: not Linux"; exit 77; }

pus=$(free_port); puk=$(free_port); pfr=$(free_port)
mknode us us-cert $pus
mknode uk uk-ncsc $puk --sync-interval 1
mknode fr fr-anssi $pfr --sync-interval 1
pin us uk
pin us fr
pin uk us
pin fr us
serve us us.log
serve uk uk.log ""
UK=$!
check "us-cert up" wait_port $pus
check "uk-ncsc up" wait_port $puk

# sched_pid LOG: the scheduler's pid from its sandbox line (at most 10 s).
sched_pid() {
	local i
	for i in $(seq 1 100); do
		if grep -q 'sync: sandbox: .*scheduler pid [0-9]' "$1"; then
			sed -n 's/.*sync: sandbox: .*scheduler pid \([0-9]*\).*/\1/p' \
			    "$1" | head -1
			return 0
		fi
		sleep 0.1
	done
	return 1
}

pid=$(sched_pid uk.log)
check "the scheduler logged its sandbox and pid" test -n "$pid"
contains "the sandbox is named in the log" uk.log \
    "sync: sandbox: (landlock ABI [0-9]+|seccomp denylist)"
lacks "the sandbox was applied (not refused)" uk.log "not syncing"
grep -E '^(NoNewPrivs|Seccomp):' /proc/"${pid:-0}"/status >sched.status 2>&1
contains "the scheduler runs with no_new_privs" sched.status "^NoNewPrivs:[[:space:]]+1$"
contains "the scheduler runs under a seccomp filter" sched.status "^Seccomp:[[:space:]]+2$"
# serve itself (the parent) is not confined by the scheduler's sandbox:
# it holds one filter, its own (the parent role's, sandbox.h), and the
# scheduler, forked before it, the scheduler's alone.
grep -E '^Seccomp_filters:' /proc/"$UK"/status >serve.status 2>&1
grep -E '^Seccomp_filters:' /proc/"${pid:-0}"/status >>sched.status 2>&1
contains "serve itself holds one filter, not its scheduler's too" serve.status "^Seccomp_filters:[[:space:]]+1$"
contains "and the scheduler one, not serve's too" sched.status "^Seccomp_filters:[[:space:]]+1$"

w=$(sed -n 10p "$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)
"$T" -d us add wallet "$w" >/dev/null
found=0
for i in $(seq 1 120); do
	if "$T" -d uk lookup "$w" 2>/dev/null | grep -q '^known	wallet	.*	indicator	'; then
		found=1; break
	fi
	sleep 0.25
done
check "the sandboxed scheduled sync brought us-cert's new wallet" test $found -eq 1
"$T" -d uk status >st
contains "the cursor for us-cert was committed" st "^peer	us-cert	cursor=20"
lacks "no round was killed by the filter" uk.log "killed by signal"

# The escape hatch: logged, and nothing applied.
THREATEX_SANDBOX=off serve fr fr.log ""
check "fr-anssi up" wait_port $pfr
fpid=$(sched_pid fr.log)
check "the unconfined scheduler logged its pid" test -n "$fpid"
contains "THREATEX_SANDBOX=off is logged" fr.log \
    "sync: sandbox: none \(THREATEX_SANDBOX=off\).*not confined"
grep -E '^Seccomp:' /proc/"${fpid:-0}"/status >fr.status 2>&1
contains "THREATEX_SANDBOX=off: no filter" fr.status "^Seccomp:[[:space:]]+0$"
found=0
for i in $(seq 1 120); do
	if "$T" -d fr lookup "$w" 2>/dev/null | grep -q '^known	wallet	.*	indicator	'; then
		found=1; break
	fi
	sleep 0.25
done
check "the unconfined scheduler syncs too" test $found -eq 1

# A feed trusted by a CA file outside the node directory (node.conf names
# it): the sandboxed feed round reads it and pulls over PKIX, naming the
# host (DNS name localhost). Needs python3 for the feed stub.
if command -v python3 >/dev/null; then
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout ca.key -out ca.crt -days 2 -subj "/CN=ca" 2>/dev/null
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout srv.key -out srv.csr -subj "/CN=srv" 2>/dev/null
	printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n' \
	    >srv.ext
	openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key \
	    -CAcreateserial -out srv.crt -days 2 -extfile srv.ext 2>/dev/null
	pst=$(free_port)
	python3 "$TX_TESTS_DIR/integration/tx_feedstub.py" "$pst" srv.crt \
	    srv.key --token 'tok-En.123' \
	    "$TX_SHARED_DIR/conformance/stix-examples/indicator-for-c2-ip-address.json" \
	    >stub.log 2>&1 &
	PIDS="$PIDS $!"
	check "the feed stub listens" wait_port "$pst"
	mknode fd fd $(free_port) --sync-interval 1
	printf 'tok-En.123\n' | "$T" -d fd feed add tok \
	    "https://localhost:$pst/taxii2/" --token-stdin --ca "$WORK/ca.crt" \
	    >/dev/null 2>&1
	contains "the feed's CA is outside the node directory" fd/node.conf \
	    "^ca = $WORK/ca\.crt$"
	serve fd fd.log ""
	for i in $(seq 1 100); do
		"$T" -d fd feed list >fl.out 2>/dev/null
		grep -q "^tok	.*last_success=20" fl.out && break
		sleep 0.2
	done
	contains "the sandboxed feed round pulled over PKIX" fl.out \
	    "^tok	.*last_success=20[0-9-]+T[0-9:]+Z	objects=1	"
	contains "under the sandbox" fd.log "sync: sandbox: (landlock|seccomp)"
fi

finish
