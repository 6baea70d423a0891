#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A roster past the old cap of 65 (issue 14): us-cert holds 200 members
# added with --identity-only (it never talks to them) and one it syncs
# with, uk-ncsc. Each of the 200 signs a wallet of the OFAC SDN list; the
# bundles of 199 of them are imported by us-cert, which verifies each
# against its roster (none refused, each lookup names its origin); the
# 200th member's bundle reaches us-cert only through uk-ncsc's feed and is
# verified too. A node outside the roster is still refused, the same as
# before the cap went. With the cap back, the 65th `peer add` fails.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

N=200
O="$TX_SHARED_DIR/data/ofac-sdn-digital-currency/sdn_digital_currency_addresses.csv"
awk -F, '$2 == "XBT" { print $3 }' "$O" | sort -u | head -$((N + 1)) >wallets
check "$((N + 1)) distinct SDN wallets" test "$(wc -l <wallets)" -eq $((N + 1))

# member I: a node of its own that signs wallet I and exports it all.
member() {
	local i=$1
	"$T" -d m$i init --name m$i --listen 127.0.0.1:1 >/dev/null &&
	"$T" -d m$i identity export >m$i.json 2>/dev/null &&
	"$T" -d m$i add wallet "$(sed -n "$((i + 1))p" wallets)" \
	    --tlp green >/dev/null &&
	"$T" -d m$i export --format stix --out m$i.bundle 2>/dev/null ||
	    echo "member $i failed" >>member.err
}
# Two at a time (the machine has two cores); each half bounded.
(for i in $(seq 0 2 $((N - 1))); do member $i; done) &
h1=$!
(for i in $(seq 1 2 $((N - 1))); do member $i; done) &
h2=$!
wait $h1 $h2
check "$N members made" test ! -s member.err
member $N	# outside every roster

pus=$(free_port); puk=$(free_port)
mknode us us-cert $pus
mknode uk uk-ncsc $puk
pin us uk
pin uk us --relay
for i in $(seq 0 $((N - 1))); do
	"$T" -d us peer add m$i.json --identity-only --yes >/dev/null 2>>add.err ||
	    echo "peer add m$i failed" >>add.err
done
check "us-cert took $N identity-only members (no cap at 65)" \
    test ! -s add.err
head -3 add.err
"$T" -d us status >st
check "us-cert lists $((N + 1)) members" \
    test "$(grep -c '^peer	' st)" -eq $((N + 1))
check "the roster has them all with their keys" \
    test "$("$T" -d us key list | grep -c 'm[0-9]*	')" -ge $N

# Every bundle but the last member's, at once: verified, none refused.
files=""
for i in $(seq 0 $((N - 2))); do files="$files m$i.bundle"; done
"$T" -d us import $files >imp 2>&1
contains "199 members' bundles imported" imp "^imported	"
lacks "none refused" imp "^imported	.*refused=[1-9]"
for i in 0 64 65 133 $((N - 2)); do
	"$T" -d us lookup "$(sed -n "$((i + 1))p" wallets)" >l$i
	contains "member $i's wallet known, signed by m$i" l$i \
	    "^known	.*origin=m$i([^0-9]|$)"
done

# The last member's wallet comes through uk-ncsc, which has it in its
# roster too; us-cert verifies the origin's signature with its roster.
"$T" -d uk peer add m$((N - 1)).json --identity-only --yes >/dev/null
"$T" -d uk import m$((N - 1)).bundle >/dev/null 2>&1
serve uk uk.log
check "uk-ncsc up" wait_port $puk
"$T" -d us sync --peer uk-ncsc >s1 2>&1
contains "us-cert pulled from uk-ncsc" s1 "^synced	uk-ncsc	.*new=[1-9]"
lacks "nothing quarantined or refused" s1 "(refused|quarantined)=[1-9]"
w=$(sed -n "${N}p" wallets)
"$T" -d us lookup "$w" >lN
contains "member $((N - 1))'s wallet known via uk-ncsc" lN \
    "^known	.*origin=m$((N - 1))([^0-9]|$).*via=uk-ncsc"

# Outside the roster: refused as ever.
"$T" -d us import m$N.bundle >impx 2>&1
contains "a node outside the roster is refused" impx \
    "origin signature invalid"
"$T" -d us lookup "$(sed -n "$((N + 1))p" wallets)" >lx
lacks "and its wallet is not known" lx "^known	"

finish
