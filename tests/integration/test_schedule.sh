#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `serve` syncs on its own: uk-ncsc (sync_interval 1 s) picks up what
# us-cert adds while both run, without anyone calling `sync`; a peer that
# does not answer is logged as failing and does not stop the others.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

pus=$(free_port); puk=$(free_port); pgh=$(free_port)
mknode us us-cert $pus
mknode uk uk-ncsc $puk --sync-interval 1
mknode ghost ghost $pgh
pin us uk
pin uk ghost
pin uk us
serve us us.log
serve uk uk.log ""
check "us-cert up" wait_port $pus
check "uk-ncsc up" wait_port $puk
w=$(sed -n 8p "$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)
"$T" -d us add wallet "$w" >/dev/null

# Bounded wait (at most 30 s) for the scheduled pull to bring it.
found=0
for i in $(seq 1 120); do
	if "$T" -d uk lookup "$w" 2>/dev/null | grep -q '^known	wallet	.*	indicator	'; then
		found=1; break
	fi
	sleep 0.25
done
check "the scheduled sync brought us-cert's new wallet" test $found -eq 1
contains "the dead peer is logged as failing" uk.log "threatex sync: ghost failed \(1 in a row\)"
"$T" -d uk status >st
contains "the cursor for us-cert was committed" st "^peer	us-cert	cursor=20"

finish
