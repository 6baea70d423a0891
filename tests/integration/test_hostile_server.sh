#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The sync client against a hostile peer server (DESIGN §9, §11), played by
# tx_fakepeer with the real, pinned key of member "evil": an endless body
# is cut at the byte cap in the write callback; endless "more" without
# progress stops; a redirect is not followed; a malformed envelope and
# objects the peer may not send change nothing. Every case ends by itself.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

pev=$(free_port)
mknode uk uk-ncsc $(free_port)
mknode evil evil $pev
mknode us us-cert $(free_port)
pin uk evil
pin uk us --identity-only
"$T" -d uk status >before

fake() {	# MODE [FILE]: serve in the background, remember the pid
	"$TX_FAKEPEER" evil/keys/tls.crt evil/keys/tls.key $pev "$@" &
	FPID=$!
	PIDS="$PIDS $FPID"
	wait_port $pev
}
stop() { kill $FPID 2>/dev/null; wait $FPID 2>/dev/null; }

fake huge
timeout 120 "$T" -d uk sync >h.out 2>&1
contains "an endless body is cut at the byte cap" h.out "^failed	evil	.*response larger than 67108864 bytes"
stop

fake loop
timeout 120 "$T" -d uk sync >l.out 2>&1
check "endless more-without-progress ends by itself" test $? -le 1
contains "and stops quietly" l.out "^synced	evil	pages=[0-9]+ received=0 new=0"
stop

fake redirect
timeout 60 "$T" -d uk sync >r.out 2>&1
contains "a redirect is not followed" r.out "^failed	evil	.*HTTP 302"
stop

printf '{"more":false,"objects":[{"type":"indicator"' >trunc.json
fake file trunc.json
timeout 60 "$T" -d uk sync >t.out 2>&1
contains "a truncated envelope is refused whole" t.out "^error	evil	page refused: .*truncated"
stop

# us-cert's AMBER object, genuinely signed, relayed by evil: refused.
"$T" -d us add wallet "$(sed -n 14p "$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)" >/dev/null
head -21 "$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | sed 14d >twenty.csv
"$T" -d us import --csv --kind wallet --quiet twenty.csv >/dev/null
"$T" -d us export --format stix 2>/dev/null | sed '1s/^{"type": "bundle", "id": "[^"]*", /{"more": false, /' >relay.json
fake file relay.json
timeout 60 "$T" -d uk sync >p.out 2>&1
contains "AMBER objects relayed by a non-origin are refused" p.out "^refused	evil	indicator--.*	policy violation: AMBER object relayed"
contains "the CLEAR identity of us-cert passes" p.out "^synced	evil	pages=1 received=[0-9]+ new=1 "
stop

"$T" -d uk lookup "$(sed -n 14p "$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)" >look
contains "nothing of the relayed AMBER data is known" look "^unknown	wallet	"
"$T" -d uk audit list --last 0 >audit
contains "the refusals are audited" audit "	refused	[a-z-]+--.* from evil: policy violation"
check "one by one up to 20 per peer and kind a minute" test "$(grep -c '	refused	[a-z-]*--.* from evil: ' audit)" -eq 20
contains "then as a count, so the log cannot be flooded" audit "	refused	[0-9]+ more refused \(policy\) from evil suppressed$"

# Pages in a row (the client reads the next page while it merges the last,
# issue 13): evil's first page is stored (5 MB of it whitespace: a page too
# large to be read ahead, merged as it is read); its second is truncated
# and refused whole; nothing after it is asked for or stored, although the
# refused page promised "more".
CSV="$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv"
envelope() {	# MORE NEXT: evil's objects as a page
	"$T" -d evil export --format stix 2>/dev/null |
	    sed "1s/^{\"type\": \"bundle\", \"id\": \"[^\"]*\", /{\"more\": $1, \"next\": \"$2\", /"
}
{ echo value; sed -n '30,32p' "$CSV" | cut -d, -f1; } >a.csv
"$T" -d evil import --csv --kind wallet --tlp green --quiet a.csv >/dev/null
envelope true p2 >small1.json
{ printf '{'; head -c 5000000 /dev/zero | tr '\0' ' '; tail -c +2 small1.json; } >page1.json
printf '{"more":true,"next":"p3","objects":[{"type":"x-junk"},{"type":"indicator"' >page2.json
{ echo value; sed -n '33,35p' "$CSV" | cut -d, -f1; } >b.csv
"$T" -d evil import --csv --kind wallet --tlp green --quiet b.csv >/dev/null
envelope false "" >page3.json
contains "(the first page holds evil's wallets)" page1.json "$(sed -n 30p "$CSV" | cut -d, -f2)"
contains "(the third page holds the later ones)" page3.json "$(sed -n 34p "$CSV" | cut -d, -f2)"
"$TX_FAKEPEER" evil/keys/tls.crt evil/keys/tls.key $pev pages page1.json \
    page2.json page3.json >gets.out &
FPID=$!
PIDS="$PIDS $FPID"
wait_port $pev
timeout 60 "$T" -d uk sync >s.out 2>&1
check "a round with a refused page fails" test $? -ne 0
contains "the truncated second page is refused whole" s.out "^error	evil	page refused: .*truncated"
stop
"$T" -d uk lookup "$(sed -n 31p "$CSV" | cut -d, -f1)" >la
contains "the page before it is stored" la "^known	wallet	.*evil"
"$T" -d uk lookup "$(sed -n 34p "$CSV" | cut -d, -f1)" >lb
contains "nothing of the page after it is" lb "^unknown	wallet	"
check "two pages asked for, not the one after the refused page" \
    test "$(cat gets.out | tr '\n' ' ')" = "get 1 get 2 "

finish
