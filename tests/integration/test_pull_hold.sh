#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A pull waits for the push (issue 14): us-cert serves with its scheduler
# and pushes to uk-ncsc (push = yes), so uk-ncsc's pull does not read the
# rows us-cert added moments ago and has not pushed yet: the push brings
# them, after its have check, once (a pull and a push of the same rows
# were the second deliveries of a busy mesh). The hold ends: here uk-ncsc
# does not listen, us-cert's pushes fail, and once the rows are older than
# the hold (THREATEX_PULL_HOLD_S=10 here, 60 s by default) uk-ncsc's pull
# brings them. Without the hold the first pull brings them at once;
# without its end, never. A node without the scheduler (serve --no-sync)
# pushes nothing and holds nothing back.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

pus=$(free_port); puk=$(free_port)
mknode us us-cert $pus
mknode uk uk-ncsc $puk
pin us uk
pin uk us
export THREATEX_PULL_HOLD_S=10
serve us us.log ""
unset THREATEX_PULL_HOLD_S
check "us-cert up" wait_port $pus

B="$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv"
w1=$(sed -n 5p "$B" | cut -d, -f1)
ms() { date +%s%3N; }
t0=$(ms)
"$T" -d us add wallet "$w1" --tlp green >/dev/null
"$T" -d uk sync --peer us-cert >s1 2>&1
t1=$(ms)
# The first pull came within the hold, counted from before the wallet
# was added (else this run proves nothing: a slow sanitizer build).
if [ $((t1 - t0)) -lt 9000 ]; then
	# Rows older than the hold (the identity, on a slow build) may come.
	contains "the first pull succeeds" s1 "^synced	us-cert	"
	"$T" -d uk lookup "$w1" >l1
	lacks "but does not read the wallet that the push brings" l1 \
	    "^known	"
fi
contains "us-cert's pushes to uk-ncsc fail (it does not listen)" us.log \
    "threatex sync: uk-ncsc failed"

# Past the hold, the pull brings them: a push that fails delays, no more.
n=0
for i in $(seq 1 60); do
	sleep 0.5
	"$T" -d uk sync --peer us-cert >>s2 2>&1
	"$T" -d uk lookup "$w1" >l2
	grep -q "^known	" l2 && { n=$i; break; }
done
check "past the hold the pull brings the wallet" test "$n" -gt 0
contains "uk-ncsc knows it, from us-cert" l2 "via=us-cert"

# Without the scheduler nothing is pushed, and nothing held back.
for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
PIDS=
serve us us2.log
check "us-cert up again, without its scheduler" wait_port $pus
w2=$(sed -n 6p "$B" | cut -d, -f1)
"$T" -d us add wallet "$w2" --tlp green >/dev/null
"$T" -d uk sync --peer us-cert >s3 2>&1
"$T" -d uk lookup "$w2" >l3
contains "serve --no-sync: the pull brings the new wallet at once" l3 \
    "via=us-cert"
finish
