#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Pushes leave when something new is stored, not at the next interval
# (issue 13, node/wake.h): with sync_interval at an hour, a wallet that
# `add` (another process) stores on us-cert reaches uk-ncsc while both
# serve, as does an import. A peer that is backing off after failures is
# not nudged. A nudged round only pushes: the pull keeps its schedule.
# A stray file in the FIFO's place costs the nudges, not the
# service; a nudge with no serve running never blocks.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

pus=$(free_port); puk=$(free_port); pgh=$(free_port)
mknode us us-cert $pus --sync-interval 3600
mknode uk uk-ncsc $puk --sync-interval 3600
mknode ghost ghost $pgh
pin us uk
pin us ghost
pin uk us
B="$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv"
w0=$(sed -n 5p "$B" | cut -d, -f1)
check "a nudge with no serve running returns" timeout 20 "$T" -d us add wallet "$w0"
# uk-ncsc listens before us-cert's first round, so that round succeeds.
serve uk uk.log ""
check "uk-ncsc up" wait_port $puk
serve us us.log ""
check "us-cert up" wait_port $pus

check "us-cert's first round with uk-ncsc ended" round_done uk-ncsc us
# us-cert's next scheduled round is an hour away (uk-ncsc's too, or
# further if its first round found us-cert not yet listening): only a
# nudge moves data now.

w1=$(sed -n 6p "$B" | cut -d, -f1)
"$T" -d us add wallet "$w1" >/dev/null
check "a wallet added on us-cert reaches uk-ncsc before the interval" \
    known uk "$w1"
"$T" -d uk lookup "$w1" >l1
contains "it was pushed by its origin" l1 "via=us-cert"
{ echo value; sed -n 20,40p "$B" | cut -d, -f1; } >batch.csv
"$T" -d us import --csv --kind wallet --quiet batch.csv >/dev/null
w2=$(sed -n 40p "$B" | cut -d, -f1)
check "an import's last wallet reaches uk-ncsc too" known uk "$w2"
n=0
for v in $(sed -n 20,40p "$B" | cut -d, -f1); do
	"$T" -d uk lookup "$v" 2>/dev/null | grep -q '^known	' && n=$((n + 1))
done
check "all 21 imported wallets are on uk-ncsc (got $n)" test "$n" -eq 21

contains "the nudged rounds say what they pushed" us.log "threatex sync: uk-ncsc pushed=[0-9]+$"
# Every log line starts with its UTC time to the millisecond.
check "every log line has its time in milliseconds" test "$(grep -cvE \
    '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z threatex ' \
    us.log)" -eq 0
# A nudged round only pushes: uk-ncsc, nudged by what it received, did
# not pull it back from us-cert (at most its first round pulled).
c=$(grep -c "threatex sync: us-cert new=" uk.log)
check "uk-ncsc's nudged rounds pulled nothing ($c pulls logged)" test "$c" -le 1

# ghost never answers: its one failed round started its backoff, and the
# nudges of the add and the import did not start another.
c=$(grep -c "threatex sync: ghost failed" us.log)
check "a peer backing off is not nudged ($c failed rounds)" test "$c" -eq 1

# Something else in the FIFO's place: serve says so and serves anyway.
pfr=$(free_port)
mknode fr fr-anssi $pfr
: >fr/wake
serve fr fr.log ""
check "fr-anssi up with a stray wake file" wait_port $pfr
wait_log fr.log wake 50 || :
contains "the stray file is named in the log" fr.log "fr/wake: not a FIFO of this user; remove it: pushes wait for the next interval"
"$T" -d fr add wallet "$w0" >/dev/null
check "a nudge into the stray file writes nothing" test ! -s fr/wake

# A FIFO planted by another user (root can make one for uid 65534): its
# planter could read the nudges or fill it; serve refuses it likewise.
if [ "$(id -u)" -eq 0 ]; then
	pde=$(free_port)
	mknode de de-bsi $pde
	mkfifo de/wake
	chown 65534 de/wake
	serve de de.log ""
	check "de-bsi up with a foreign FIFO" wait_port $pde
	wait_log de.log wake 50 || :
	contains "the foreign FIFO is refused" de.log "de/wake: not a FIFO of this user"
fi

finish
