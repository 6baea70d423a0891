#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A policy change moves only what became visible (issue 14): us-cert
# serves uk-ncsc under max_tlp green, then amber, then amber+strict, then
# clear. At each widening uk-ncsc's next pull brings exactly the objects
# the wider policy adds, those behind its cursor (added before what it
# already pulled) as well as those after it, and not one it had already
# (duplicate=0); the narrowing brings nothing. Before, each change made
# uk-ncsc download the whole collection again. A GREEN member's hand-made
# re-pull headers, whatever epoch they claim, bring nothing past GREEN.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

pus=$(free_port); puk=$(free_port)
mknode us us-cert $pus
mknode uk uk-ncsc $puk
pin us uk --max-tlp green
pin uk us
sed -i 's/^push = yes/push = no/' uk/node.conf	# pulls only, counted

B="$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv"
w() { sed -n "$1p" "$B" | cut -d, -f1; }
# add LINE TLP [ARGS]: one wallet of the Bybit list: 3 objects (the
# wallet, its indicator, their relationship).
add() { "$T" -d us add wallet "$(w "$1")" --tlp "$2" "${@:3}" >/dev/null 2>&1; }
# set PEER LEVEL: us-cert serves PEER under max_tlp LEVEL from now on,
# once its server has reloaded node.conf (within a second; at most 30).
set_tlp() {
	local n0 i
	n0=$(grep -c "reloaded" us.log)
	"$T" -d us peer set "$1" --max-tlp "$2" >/dev/null
	for i in $(seq 1 300); do
		[ "$(grep -c "reloaded" us.log)" -gt "$n0" ] && return 0
		sleep 0.1
	done
	return 1
}
# to LEVEL OUT: uk-ncsc is served under LEVEL, and syncs.
to() {
	set_tlp uk-ncsc "$1"
	"$T" -d uk sync --peer us-cert >"$2"
}
# In feed order: what green hides comes first, behind uk-ncsc's cursor.
add 2 amber
add 3 amber+strict --to uk-ncsc
add 4 green
add 5 green
serve us us.log
check "us-cert up" wait_port $pus

"$T" -d uk sync --peer us-cert >s1
contains "green: uk-ncsc pulls the two green wallets and us-cert's identity" \
    s1 "^synced	us-cert	.* new=7 duplicate=0 "
"$T" -d uk lookup "$(w 2)" >l1
lacks "the amber wallet is not sent under green" l1 "^known	"

add 6 amber	# after the cursor
to amber s2
contains "amber: exactly the two amber wallets, one behind the cursor" s2 \
    "^synced	us-cert	.* received=6 new=6 duplicate=0 "
"$T" -d uk lookup "$(w 2)" >l2
contains "the amber wallet behind the cursor arrived" l2 "^known	.*tlp=amber"

to amber+strict s3
contains "amber+strict: exactly the wallet addressed to uk-ncsc" s3 \
    "^synced	us-cert	.* received=3 new=3 duplicate=0 "

to clear s4
contains "narrowed to clear: nothing sent" s4 \
    "^synced	us-cert	.* received=0 "
add 7 green
"$T" -d uk sync --peer us-cert >s5
contains "and what it hides is not sent after" s5 \
    "^synced	us-cert	.* received=0 "

# Back to green: the green wallet added while clear arrives. (What clear
# hid behind the cursor is sent again as duplicates: the re-pull knows
# only the epoch just before, not the wider one before that.)
to green s6
contains "green again: the green wallet added while clear" s6 \
    "^synced	us-cert	.* new=3 "
"$T" -d uk lookup "$(w 7)" >l6
contains "uk-ncsc knows it" l6 "^known	"

# A re-pull cut short by the round's page budget goes on where it
# stopped: de-bsi, served GREEN, then AMBER; us-cert's three AMBER
# wallets (9 objects) lie behind its cursor. With two pages a round (one
# for the ordinary pull) and three objects a page, the first round brings
# six and fails on its budget, the next the last three, none twice.
pde=$(free_port)
mknode de de-bsi $pde
pin us de --max-tlp green
pin de us
check "us-cert took de-bsi in (live reload)" \
    wait_log us.log "reloaded.*: 2 peers"
sed -i 's/^push = yes/push = no/' de/node.conf
add 8 amber
"$T" -d de sync --peer us-cert >s7
contains "de-bsi, GREEN: no AMBER wallet" s7 \
    "^synced	us-cert	.* duplicate=0 "
set_tlp de-bsi amber
for r in 1 2 3 4; do
	THREATEX_SYNC_PAGES=2 "$T" -d de sync --peer us-cert --limit 3 \
	    >>s8 2>&1 && break
done
check "the budget cut the re-pull after 6 objects" \
    grep -q "^failed	us-cert	budget exhausted .* 6 new objects" s8
contains "the next round brought the other 3, none again" s8 \
    "^synced	us-cert	.* received=3 new=3 duplicate=0 "
for i in 2 6 8; do
	"$T" -d de lookup "$(w $i)" >m$i
	contains "the AMBER wallet $i arrived" m$i "^known	.*tlp=amber"
done

# A hostile or broken re-pull header is refused with its reason.
MEDIA='application/taxii+json;version=2.1'
SHARED=5f1d8a47-7c6f-4d3e-9f0a-2b1c3d4e5f60
upin=sha256//$(openssl x509 -in us/keys/tls.crt -pubkey -noout |
    openssl pkey -pubin -outform der | openssl dgst -sha256 -binary |
    base64)
for h in "x" "10 5" "3" "3 0" "-1 5" "3 5 7" "+3 5" "3 99999999999999999999"; do
	curl -sS --max-time 30 --cacert us/keys/tls.crt --pinnedpubkey "$upin" \
	    --cert uk/keys/tls.crt --key uk/keys/tls.key \
	    -H "Accept: $MEDIA" -H "X-Threatex-Repull: $h" \
	    -w '%{http_code}\n' \
	    "https://127.0.0.1:$pus/api/collections/$SHARED/objects/" >r.out
	contains "re-pull \"$h\" refused" r.out \
	    "X-Threatex-Repull must be EPOCH UNTIL.*400$"
done

# The attacker: uk-ncsc, served GREEN now, hand-makes re-pulls claiming
# every epoch it might have pulled under (0 to 9: 0 is CLEAR without
# relay, as if it had seen nothing) and a cursor at the end of time,
# hoping the server's "what EPOCH hid" reaches past its policy. Each is
# answered (200), the one claiming CLEAR with the GREEN wallets, and not
# one with an AMBER wallet, the one addressed to it under amber+strict
# included. An epoch past 9 is refused.
bad=0
for e in $(seq 0 10); do
	curl -sS --max-time 30 --cacert us/keys/tls.crt --pinnedpubkey "$upin" \
	    --cert uk/keys/tls.crt --key uk/keys/tls.key \
	    -H "Accept: $MEDIA" \
	    -H "X-Threatex-Repull: $e 9000000000000000000" \
	    -w '\n%{http_code}\n' \
	    "https://127.0.0.1:$pus/api/collections/$SHARED/objects/" >rp$e.out
	for i in 2 3 6 8; do
		grep -qi "$(w $i)" rp$e.out && bad=$((bad + 1))
	done
	[ "$e" -lt 10 ] && { grep -q "^200$" rp$e.out || bad=$((bad + 1)); }
done
check "10 hand-made re-pulls of a GREEN member: no AMBER wallet ($bad wrong)" \
    test "$bad" = 0
check "the one claiming CLEAR brings the GREEN wallets" grep -qi "$(w 4)" rp0.out
contains "an epoch past 9 is refused" rp10.out "400$"

finish
