#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A peer that comes back is synced at once, not at the end of its backoff
# (issue 14): us-cert's round with uk-ncsc fails while uk-ncsc is down,
# which backs it off for an hour (sync_interval 3600); when uk-ncsc
# starts, its first round calls us-cert, and us-cert's server tells its
# scheduler, which tries uk-ncsc again now. A member that keeps calling
# while our rounds to it keep failing costs at most one retry per
# SRV_CALLED_S (10 s), however often it calls.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

pus=$(free_port); puk=$(free_port); pdead=$(free_port)
mknode us us-cert $pus --sync-interval 3600
mknode uk uk-ncsc $puk --sync-interval 3600
pin us uk
pin uk us


serve us us.log ""
check "us-cert up" wait_port $pus
check "us-cert's first round with uk-ncsc (down) failed" \
    wait_log us.log "threatex sync: uk-ncsc failed \(1 in a row\)"
"$T" -d us status >st1
contains "uk-ncsc backs off" st1 "^peer-stats	uk-ncsc	.*backoff=until "

serve uk uk.log ""
check "uk-ncsc up" wait_port $puk
check "us-cert heard that uk-ncsc called" \
    wait_log us.log "threatex sync: uk-ncsc called us (after 1 failed rounds|during that round): trying it again now"
called=$(date +%s)
check "and synced with it at once, not in an hour" round_done uk-ncsc us
"$T" -d us status >st2
contains "no failures left" st2 "^peer	uk-ncsc	.*failures=0"

# Our rounds to uk-ncsc now fail (its URL points at a closed port) while
# uk-ncsc keeps calling: a nudge (a new wallet to push) starts the
# failures again, then 15 calls in a row start at most one retry each
# SRV_CALLED_S.
sed -i "s|^url = https://127.0.0.1:$puk/|url = https://127.0.0.1:$pdead/|" us/node.conf
B="$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv"
# push_fails: add wallets (one at a time, at most 5) until a push to the
# dead URL fails; a wallet added while the retry round still ran left
# with that round, and its nudge finds nothing more to push.
push_fails() {
	local i
	for i in 7 8 9 10 11; do
		"$T" -d us add wallet "$(sed -n ${i}p "$B" | cut -d, -f1)" >/dev/null
		wait_log us.log "threatex sync: uk-ncsc failed .*$pdead" 50 &&
		    return 0
	done
	return 1
}
check "a push to the dead URL failed" push_fails
# The server passes a member's call on once per SRV_CALLED_S: the calls
# below start after that window of uk-ncsc's first call (above) is over,
# however fast this machine got here (at most 11 s).
while [ $(($(date +%s) - called)) -le 10 ]; do sleep 1; done
before=$(grep -c "uk-ncsc called us" us.log)
t0=$(date +%s)
for i in $(seq 1 15); do
	"$T" -d uk sync --peer us-cert >/dev/null 2>&1
done
t1=$(date +%s)
sleep 1
after=$(grep -c "uk-ncsc called us" us.log)
# One retry per started 10 s of calling, and one more at a boundary.
max=$(( (t1 - t0) / 10 + 2 ))
check "15 calls started $((after - before)) retries (at most $max)" \
    test $((after - before)) -le $max
check "and at least one (the first call)" test $((after - before)) -ge 1

finish
