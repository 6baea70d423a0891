#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Privilege separation of serve (issue 15, STYLE §2.9), checked as someone
# who owns the network role would find it: the process that parses TLS
# and HTTP from the network holds no descriptor or mapping of store.db, the
# signing key or cursor.key, cannot open them (Landlock: EACCES), cannot
# make a socket (seccomp: EACCES) and dies of SIGSYS when it tries to exec.
# The store role (serve's own process) starts a new network role when one
# is killed, and members sync through it before and after.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

pus=$(free_port)
mknode us us-cert $pus
mknode uk uk-ncsc $(free_port)
pin us uk
pin uk us
D=$(cd us && pwd)
w1=$(sed -n 11p "$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)
w2=$(sed -n 12p "$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)
"$T" -d us add wallet "$w1" --actor "Lazarus Group" >/dev/null

# net_pid STORE_PID: the current network role (the store role's child
# running `serve --role net`), or nothing.
net_pid() {
	local p
	for p in $(pgrep -P "$1" 2>/dev/null); do
		if tr '\0' ' ' </proc/$p/cmdline 2>/dev/null |
		    grep -q -- '--role net'; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# wait_net STORE_PID NOT_PID: a network role other than NOT_PID (10 s).
wait_net() {
	local i p
	for i in $(seq 1 100); do
		p=$(net_pid "$1") && [ "$p" != "$2" ] && { echo "$p"; return 0; }
		sleep 0.1
	done
	return 1
}

serve us us.log
SP=$!
check "us-cert up" wait_port $pus
NP=$(wait_net $SP 0)
check "a network role runs beside the store role" test -n "$NP"
# The store role listens before either role has confined itself: read
# their status once the log says both did (10 s).
for i in $(seq 1 100); do
	grep -q "network role (pid $NP) confined" us.log 2>/dev/null &&
	    grep -q "store role (pid $SP) confined" us.log && break
	sleep 0.1
done
grep -E '^(NoNewPrivs|Seccomp):' /proc/$NP/status >status
contains "the network role has no_new_privs" status "^NoNewPrivs:[[:space:]]+1"
contains "and a seccomp filter" status "^Seccomp:[[:space:]]+2"
contains "the log says it is confined" us.log "network role \(pid $NP\) confined: landlock"
# The store role (serve's own process, the parent of the others) is under
# the parent's seccomp denylist: no ptrace, no process_vm_* (sandbox.h).
grep -E '^(NoNewPrivs|Seccomp):' /proc/$SP/status >sstatus
contains "the store role has no_new_privs" sstatus "^NoNewPrivs:[[:space:]]+1"
contains "and a seccomp filter" sstatus "^Seccomp:[[:space:]]+2"
contains "the log says so" us.log "store role \(pid $SP\) confined: seccomp denylist of the parent"

# What each process holds open or mapped.
held() { ls -l /proc/$1/fd/ 2>/dev/null; cat /proc/$1/maps 2>/dev/null; }
held $SP >store-role
held $NP >net-role
contains "the store role holds store.db (so the check below can see it)" store-role "$D/store.db"
lacks "the network role holds no descriptor or mapping of store.db" net-role "store\.db"
lacks "nor of the signing key" net-role "signing\.key"
lacks "nor of cursor.key" net-role "cursor\.key"
lacks "nor of the node directory at all, but its log" net-role "$D/(keys|store|peers|node\.conf)"

timeout 60 "$T" -d uk sync >s1 2>&1
check "a member syncs through the network role" test $? -eq 0
"$T" -d uk lookup "$w1" >l1
contains "and pulls the wallet" l1 "^known	wallet	"

# A configuration change reaches the confined role over its channel: the
# same process takes it (it can open no file itself).
"$T" -d us peer set uk-ncsc --max-tlp green >/dev/null
for i in $(seq 1 50); do
	grep -q "network role: new configuration in force" us.log && break
	sleep 0.1
done
contains "the network role takes the new node.conf from the store role" us.log "network role: new configuration in force \(1 peers\)"
check "without being replaced" test "$(net_pid $SP)" = "$NP"

# The network role killed: the store role starts another; sync goes on.
kill -9 "$NP"
NP2=$(wait_net $SP "$NP")
check "a new network role is started after the old one is killed" test -n "$NP2"
check "the store role lived through it" kill -0 $SP
contains "the log says how the old one ended" us.log "network role \(pid $NP\) ended by signal 9"
"$T" -d us add wallet "$w2" --actor "Lazarus Group" --tlp green >/dev/null
check "the port answers again" wait_port $pus
ok2=1
for i in 1 2 3 4 5; do
	if timeout 60 "$T" -d uk sync >s2 2>&1; then ok2=0; break; fi
	sleep 1
done
check "a member syncs through the new network role" test $ok2 -eq 0
"$T" -d uk lookup "$w2" >l2
contains "and pulls what was added since" l2 "^known	wallet	"
kill $SP
wait $SP 2>/dev/null
check "no network role outlives serve" test -z "$(pgrep -f -- "-d $D serve --role net")"

# The sandbox asked directly (a probe for this test: after confining
# itself, the network role tries these and logs each answer).
export THREATEX_TEST_NET_PROBE="$D/store.db:$D/keys/signing.key:$D/keys/cursor.key:$D/node.conf:socket:exec"
serve us us2.log
SP=$!
check "us-cert up again" wait_port $pus
for i in $(seq 1 100); do
	grep -q "ended by signal 31" us2.log && break
	sleep 0.1
done
unset THREATEX_TEST_NET_PROBE
contains "store.db cannot be opened in the network role" us2.log "^probe: open $D/store.db: Permission denied"
contains "nor the signing key" us2.log "^probe: open $D/keys/signing.key: Permission denied"
contains "nor cursor.key" us2.log "^probe: open $D/keys/cursor.key: Permission denied"
contains "nor node.conf" us2.log "^probe: open $D/node.conf: Permission denied"
contains "a new socket is refused" us2.log "^probe: socket: Permission denied"
contains "execve kills the network role (SIGSYS)" us2.log "network role \(pid [0-9]+\) ended by signal 31"
lacks "exec never returned to the probe" us2.log "^probe: exec: "
check "the store role lives on" kill -0 $SP
kill $SP
wait $SP 2>/dev/null

# A network role someone owns sends the store role a frame its decoder
# refuses (a field tag no request has): the store role ends that role and
# starts another (which, with the probe still set, does the same), and
# answers nothing for it.
export THREATEX_TEST_NET_PROBE=frame
serve us us4.log "--no-sync"
SP=$!
unset THREATEX_TEST_NET_PROBE
check "us-cert up with a role that sends a bad frame" wait_port $pus
for i in $(seq 1 100); do
	[ "$(grep -c 'sent a malformed frame: killed' us4.log)" -ge 2 ] && break
	sleep 0.1
done
contains "the role sent it" us4.log "^probe: frame: sent"
contains "the store role ends a role that sends a malformed frame" us4.log \
    "network role \(pid [0-9]+\) sent a malformed frame: killed"
check "and starts another, which is ended the same way" \
    test "$(grep -c 'sent a malformed frame: killed' us4.log)" -ge 2
check "the store role lives on" kill -0 $SP
kill $SP
wait $SP 2>/dev/null
"$T" -d us lookup "$w1" >l4
contains "the store still answers" l4 "^known	wallet	"
"$T" -d us audit verify >av 2>&1
check "and its audit log verifies" test $? -eq 0

# --no-privsep: one process, as before (the fallback operators have).
serve us us3.log "--no-sync --no-privsep"
SP=$!
check "us-cert up without privilege separation" wait_port $pus
check "and no network role" test -z "$(net_pid $SP)"
timeout 60 "$T" -d uk sync >s3 2>&1
check "a member syncs from it" test $? -eq 0
finish
