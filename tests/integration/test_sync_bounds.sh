#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The sync client's bounds and failure reports (DESIGN §9), written as the
# attacker: a member whose server answers every page slowly and always
# promises more must not hold the victim's sync of honest members, and its
# round ends by the per-peer budget with what it sent kept; a server that
# answers a malformed page, closes the connection or trickles its body gets
# its failure audited by kind and shown by `status` for that peer; an
# element the reader refuses is audited. And the bounds do not cost an
# honest catch-up its pace: a round cut by its budget after storing new
# objects goes on at once, not an interval later.
# Budgets are lowered for the test through THREATEX_SYNC_* (docs/operator.md).
. "$(dirname "$0")/lib.sh"
cd "$WORK"

pev=$(free_port); pus=$(free_port); puk=$(free_port)
pbad=$(free_port); pdrop=$(free_port); pdrip=$(free_port)
mknode evil evil $pev
mknode us us-cert $pus
mknode uk uk-ncsc $puk --sync-interval 1
mknode bad bad $pbad
mknode drop drop $pdrop
mknode drip drip $pdrip
mknode fr fr-anssi $(free_port)
pde=$(free_port)
mknode de de-bsi $pde --sync-interval 600
pin us uk
pin us de
pin de us
pin uk evil		# first in node.conf: a sequential round starts with it
pin uk us
pin fr bad
pin fr drop
pin fr drip
pin fr evil

fake() {	# NODE PORT MODE [ARG]: serve with NODE's key, remember the pid
	local d=$1 p=$2
	shift 2
	"$TX_FAKEPEER" $d/keys/tls.crt $d/keys/tls.key $p "$@" >$d.fake 2>&1 &
	FPID=$!
	PIDS="$PIDS $FPID"
	wait_port $p
}

# 1. evil answers a page every second, forever; us-cert is honest.
fake evil $pev slow 1000
SLOW=$FPID
serve us us.log
check "us-cert up" wait_port $pus
# A round of 12 s (60 by default): evil's first round is still running when
# us-cert's wallet must have arrived; a sequential sync would bring it only
# after that round ended, and so after its audit entry.
export THREATEX_SYNC_ROUND_S=12
serve uk uk.log ""
UK=$!
unset THREATEX_SYNC_ROUND_S
check "uk-ncsc up" wait_port $puk
w=$(sed -n 9p "$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)
"$T" -d us add wallet "$w" >/dev/null

found=0
for i in $(seq 1 80); do	# at most 20 s; evil alone would take 60
	if "$T" -d uk lookup "$w" 2>/dev/null | grep -q '^known	wallet	.*	indicator	'; then
		found=1; break
	fi
	sleep 0.25
done
check "the honest member's wallet arrives" test $found -eq 1
"$T" -d uk audit list --last 0 >a0 2>/dev/null
lacks "while evil's first round is still going on" a0 "	sync-[a-z]+	evil: "
check "and evil is still serving pages" kill -0 $SLOW
# The wallet may come before evil's second page (one a second): wait for
# it, bounded, as evil's round goes on for 12 s.
for i in $(seq 1 40); do
	grep -q '^page 2$' evil.fake && break
	sleep 0.25
done
contains "evil did send pages" evil.fake "^page 2$"
budget=0
for i in $(seq 1 120); do	# at most 30 s
	"$T" -d uk audit list --last 0 >a1 2>/dev/null
	if grep -q '	sync-budget	evil: ' a1; then budget=1; break; fi
	sleep 0.25
done
check "evil's round ended by its time budget, audited" test $budget -eq 1
contains "the audit says how far it got" a1 "	sync-budget	evil: budget exhausted at page [0-9]+ \([0-9]+ pages, 0 new objects committed before it; [0-9]+ in a row\): .*time budget of 12 s"
"$T" -d uk status >st1
contains "the pages evil sent before the budget stay committed" st1 "^peer	evil	cursor=2025-01-01"
contains "status shows evil's failure and its reason" st1 "^peer	evil	.*last-failure=20[0-9-]+T[0-9:.]+Z	failures=[0-9]+	reason=budget exhausted at page"
contains "status shows us-cert's last success" st1 "^peer	us-cert	cursor=20.*last-success=20[0-9-]+T.*failures=0"
kill $UK $SLOW 2>/dev/null; wait $UK $SLOW 2>/dev/null

# 2. One round from the CLI against three broken servers.
printf '{"more":false,"objects":[{"type":"indicator"' >trunc.json
fake bad $pbad file trunc.json
BAD=$FPID
fake drop $pdrop close
fake drip $pdrip trickle
fake evil $pev slow 50
SLOW=$FPID
export THREATEX_SYNC_LOW_SPEED_S=2 THREATEX_SYNC_PAGES=3
timeout 40 "$T" -d fr sync >s1 2>&1
rc=$?
unset THREATEX_SYNC_LOW_SPEED_S THREATEX_SYNC_PAGES
check "the round ends by itself, exit 1" test $rc -eq 1
contains "a malformed page says which page and why" s1 "^failed	bad	malformed page at page 1 \(0 pages, 0 new objects committed before it\): .*truncated"
lacks "never 'failed ... ok'" s1 "^failed	[a-z]+	ok$"
contains "a closed connection is a transport error" s1 "^failed	drop	transport error at page 1 .*: https://127.0.0.1:$pdrop/: "
contains "a trickling body is cut by the low-speed limit" s1 "^failed	drip	timeout at page 1 .*too slow"
contains "an endless pull stops at the page budget" s1 "^failed	evil	budget exhausted at page 4 \(3 pages, 0 new objects committed before it\): .*page budget of 3 pages"
"$T" -d fr audit list --last 0 >a2
contains "the malformed page is audited with its kind" a2 "	sync-malformed	bad: malformed page at page 1 .*truncated"
contains "the closed connection is audited with its kind" a2 "	sync-transport	drop: transport error at page 1 "
contains "the trickle is audited with its kind" a2 "	sync-timeout	drip: timeout at page 1 "
contains "the page budget is audited with its kind" a2 "	sync-budget	evil: budget exhausted at page 4 "
check "one audit row per peer and kind in a round" test "$(grep -c '	sync-malformed	bad: ' a2)" -eq 1
"$T" -d fr status >st2
contains "status shows bad failing with its reason" st2 "^peer	bad	cursor=never	last-success=never	last-failure=20[0-9-]+T[0-9:.]+Z	failures=1	reason=malformed page at page 1 .*truncated"
contains "status shows drop failing with its reason" st2 "^peer	drop	.*failures=1	reason=transport error"
contains "status shows the committed cursor of evil" st2 "^peer	evil	cursor=2025-01-01"

# A second round: one more row for bad, and two failures in a row.
timeout 40 "$T" -d fr sync --peer bad >s2 2>&1
"$T" -d fr audit list --last 0 >a3
check "a second round audits once more" test "$(grep -c '	sync-malformed	bad: ' a3)" -eq 2
contains "the audit counts the failures in a row" a3 "	sync-malformed	bad: .*; 2 in a row\)"
"$T" -d fr status >st3
contains "status counts consecutive failures" st3 "^peer	bad	.*failures=2	"

# 3. A page holding more objects than asked for is refused whole (so a
# page's transaction stays bounded); then a page whose element the reader
# refuses: audited, and bad recovers.
kill $BAD 2>/dev/null; wait $BAD 2>/dev/null
printf '{"more":false,"objects":[42,43]}' >elem.json
fake bad $pbad file elem.json
BAD=$FPID
timeout 40 "$T" -d fr sync --peer bad --limit 1 >s4 2>&1
contains "more objects than asked for: the page is refused" s4 "^failed	bad	refused page at page 1 \(0 pages, 0 new objects committed before it\): the page holds more than the 1 objects asked for"
"$T" -d fr audit list --last 0 >a5
contains "and audited as such" a5 "	sync-refused	bad: refused page at page 1 .*; 3 in a row\): the page holds more"
lacks "nothing of that page is audited as refused elements" a5 "element from bad"
kill $BAD 2>/dev/null; wait $BAD 2>/dev/null
printf '{"more":false,"objects":[42]}' >elem.json
fake bad $pbad file elem.json
timeout 40 "$T" -d fr sync --peer bad >s3 2>&1
contains "the page itself is fine" s3 "^synced	bad	pages=1 received=1 new=0 duplicate=0 refused=1"
"$T" -d fr audit list --last 0 >a4
contains "an element refused by the reader is audited" a4 "	refused	element from bad: objects\[0\]: not a JSON object"
"$T" -d fr status >st4
contains "status shows bad's success and no failures in a row" st4 "^peer	bad	cursor=2025-01-01.*	last-success=20[0-9-]+T.*	failures=0	"

# 4. An honest catch-up larger than a round's page budget (1 page of
# 1,000 here) goes on round after round without waiting for the interval
# (600 s): ATT&CK's DPRK slice and 300 wallets (900 objects) are 2 pages.
"$T" -d us import --quiet "$TX_SHARED_DIR/data/attack-stix21/enterprise-attack-18.1-dprk-slice.json" >/dev/null
{ echo value; od -An -tx1 -N 6000 -v /dev/urandom | tr -d ' \n' |
    fold -w 40 | head -n 300 | sed 's/^/0x/'; } >w300.csv
"$T" -d us import --csv --kind wallet --quiet w300.csv >/dev/null
total=$("$T" -d us status | sed -n 's/^store	objects=\([0-9]*\).*/\1/p')
export THREATEX_SYNC_PAGES=1
serve de de.log ""
unset THREATEX_SYNC_PAGES
check "de-bsi up" wait_port $pde
done=0
for i in $(seq 1 120); do	# at most 30 s
	"$T" -d de status >st5
	if grep -q '^peer	us-cert	.*	last-success=20' st5; then done=1; break; fi
	sleep 0.25
done
check "the catch-up, one page a round, completes" test $done -eq 1
have=$(sed -n 's/^store	objects=\([0-9]*\).*/\1/p' st5)
check "more than one page of objects arrived ($have of $total)" test "$have" -gt 1000
contains "a round ended by its page budget first" de.log "us-cert failed \(1 in a row\): budget exhausted at page 2 \(1 pages, 1000 new objects"

finish
