#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Private lookup (DESIGN §12, issue 16) between two real nodes over mTLS:
# us-cert (A) holds a RED wallet and an AMBER+STRICT alias, both addressed
# to fr-anssi only, so it may not share them with uk-ncsc (B). B asks
# privately: "held" for both, "not held" for a control value; B's store
# never holds the values; A's log, audit and store hold no value B asked
# about; B's daily budget is enforced (429, reset time); and A answering
# with a key other than the one it published is caught by B's proof check.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

pa=$(free_port); pb=$(free_port)
mknode a us-cert $pa
mknode b uk-ncsc $pb
mknode c fr-anssi $(free_port)
pin a b; pin a c
pin b a; pin c a
CSV=$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv
red=$(sed -n 21p "$CSV" | cut -d, -f2)
ctl=$(sed -n 22p "$CSV" | cut -d, -f2)
alias="Tr4derTraitor-Handler-$$"
asked="$(sed -n 23p "$CSV" | cut -d, -f2)"	# asked, held by no one

"$T" -d a add wallet "$red" --tlp red --to fr-anssi >/dev/null 2>&1
check "A authors a RED wallet for fr-anssi" test $? -eq 0
"$T" -d a add alias "$alias" --tlp amber+strict --to fr-anssi >/dev/null 2>&1
check "A authors an AMBER+STRICT alias for fr-anssi" test $? -eq 0
"$T" -d a add wallet "$ctl" --tlp green >/dev/null 2>&1
check "and a GREEN wallet B may see (not in the private set)" test $? -eq 0

"$T" -d a peer set uk-ncsc --private-lookup on >p1 2>&1
check "peer set --private-lookup on" test $? -eq 0
contains "the old line is unchanged" p1 "^set	uk-ncsc max_tlp=amber relay=no$"
contains "and the key is published" p1 "^private-lookup	uk-ncsc on budget=1000 pk=[A-Za-z0-9_-]{43}$"
check "the VOPRF key is private" test "$(stat -c %a a/keys/oprf-uk-ncsc.key)" = 600
"$T" -d a peer set fr-anssi --private-lookup on --private-budget 5 >p2 2>&1
contains "fr-anssi gets a key of its own" p2 "^private-lookup	fr-anssi on budget=5 pk="
"$T" -d a peer set uk-ncsc --private-budget 0 >p3 2>&1
check "a budget of 0 is a usage error" test $? -eq 2

serve a a.log
apid=$!
check "A serves" wait_port $pa

# hup: A reloads node.conf (peer set changes) and says so.
hup() {
	local n=$(grep -c "reloaded" a.log) i
	kill -HUP $apid
	for i in $(seq 100); do
		[ "$(grep -c "reloaded" a.log)" -gt "$n" ] && return 0
		sleep 0.1
	done
	return 1
}

"$T" -d b lookup --private --peer us-cert "$red" "$alias" "$asked" >l1 2>l1.err
check "B's private lookup answers" test $? -eq 0
contains "the RED wallet is held" l1 "^wallet	$red	held by us-cert \(withheld, ask them\)$"
contains "the AMBER+STRICT alias is held" l1 "^alias	.*	held by us-cert \(withheld, ask them\)$"
contains "the control value is not held" l1 "^wallet	$asked	not held by us-cert$"
contains "a GREEN value B may see is not in the private set" <("$T" -d b lookup --private --peer us-cert "$ctl" 2>&1) "not held by us-cert"
"$T" -d b lookup --private --json "$red" >j1
contains "--json (every member that offers it) says held, with the set's size" j1 '"private": ?"held".*"set_size": ?2|"set_size": ?2.*"private": ?"held"'

# Nothing of the values at rest on B, nothing of what B asked on A.
aliasc=$(printf '%s' "$alias" | tr -cd 'A-Za-z0-9' | tr 'A-Z' 'a-z')
for v in "$red" "$alias" "$aliasc" "$asked"; do
	lacks "B's store does not hold $v" <(cat b/store.db* | strings) "$v"
	lacks "A's log does not hold $v" a.log "$v"
	lacks "A's audit does not hold $v" <("$T" -d a audit 2>&1) "$v"
done
lacks "A's store holds nothing of the value only B asked about" <(cat a/store.db* | strings) "$asked"
"$T" -d a audit >audit1 2>&1
contains "A audits the batches by count" audit1 "private-evaluate.*uk-ncsc: 3 values"

# post FILE OUT: B POSTs FILE to A's evaluate route over its own mTLS.
post() {
	{ printf 'POST /api/private/evaluate HTTP/1.1\r\nHost: x\r\nAccept: application/taxii+json;version=2.1\r\nContent-Type: application/taxii+json;version=2.1\r\nContent-Length: %d\r\nConnection: close\r\n\r\n' "$(stat -c %s "$1")"; cat "$1"; } |
	    timeout 20 openssl s_client -quiet -cert b/keys/tls.crt -key b/keys/tls.key -connect 127.0.0.1:$pa 2>/dev/null | tr -d '\r' >"$2"
}
# A point not in the group is refused as such, and costs no budget (the
# counts below depend on it).
printf '{"blinded":["4pYKgpk7Nl8zodeaw8ESB9zDJHYBPjhUDfhYd8DTgGk"]}' >bad.json
post bad.json h0
contains "a non-element is 400" h0 "^HTTP/1.1 400"
contains "named as such" h0 "not a ristretto255 group element"
# The budget: 5 values asked so far today; a budget of 7 leaves 2, so
# 3 asked at once are refused, 2 are answered, and then nothing is.
"$T" -d a peer set uk-ncsc --private-budget 7 >/dev/null 2>&1
check "A reloads" hup
"$T" -d b lookup --private --peer us-cert "$red" "$alias" "$asked" >l2 2>l2.err
check "over the budget fails" test $? -ne 0
contains "and says until when" l2 "no answer from us-cert: budget exhausted until [0-9]{4}-[0-9]{2}-[0-9]{2}T00:00:00"
lacks "and answers nothing" l2 "held by"
"$T" -d b lookup --private --peer us-cert "$red" "$asked" >l2b 2>&1
check "within what is left it answers" test $? -eq 0
contains "both values" l2b "not held by us-cert"
"$T" -d b lookup --private --peer us-cert "$asked" >l2c 2>&1
contains "and then the day's budget is spent" l2c "budget exhausted until"
# A direct POST of a valid element (the group's generator) sees the 429.
printf '{"blinded":["4vKuCmq8TnGohKlhxQBRX1jjC2qlgt2NtqZZReCNLXY"]}' >body.json
post body.json h1
contains "the holder answers 429" h1 "^HTTP/1.1 429"
contains "with Retry-After" h1 "^Retry-After: [0-9]+$"
contains "and the reset time" h1 '"reset":"[0-9-]+T00:00:00'
# A member without private lookup does not see the routes at all.
{ printf 'GET /api/private/ HTTP/1.1\r\nHost: x\r\nAccept: application/taxii+json;version=2.1\r\nConnection: close\r\n\r\n'; } |
    timeout 20 openssl s_client -quiet -cert b/keys/tls.crt -key b/keys/tls.key -connect 127.0.0.1:$pa 2>/dev/null | tr -d '\r' >h2
contains "the set is served to B" h2 "^HTTP/1.1 200"
"$T" -d a peer set uk-ncsc --private-lookup off --private-budget 1000 >/dev/null 2>&1
check "A reloads" hup
{ printf 'GET /api/private/ HTTP/1.1\r\nHost: x\r\nAccept: application/taxii+json;version=2.1\r\nConnection: close\r\n\r\n'; } |
    timeout 20 openssl s_client -quiet -cert b/keys/tls.crt -key b/keys/tls.key -connect 127.0.0.1:$pa 2>/dev/null | tr -d '\r' >h3
contains "private lookup off: 404" h3 "^HTTP/1.1 404"
"$T" -d b lookup --private "$red" >l5 2>l5.err
check "asking every member when none offers it fails" test $? -eq 1
contains "and says so" l5.err "no member offers us private lookup"
"$T" -d b lookup --private --peer us-cert "$red" >l6 2>&1
contains "asking it by name says why" l6 "no answer from us-cert: us-cert does not offer us private lookup \(HTTP 404\)"

# A holder that answers with a key other than the one it published: A's
# operator puts fr-anssi's key in place of uk-ncsc's (the statement B
# fetches still names the published key).
"$T" -d a peer set uk-ncsc --private-lookup on >/dev/null 2>&1
check "A reloads" hup
"$T" -d b lookup --private --peer us-cert "$red" >l3 2>&1
contains "with the published key, B is answered" l3 "held by us-cert"
cp a/keys/oprf-fr-anssi.key a/keys/oprf-uk-ncsc.key
"$T" -d b lookup --private --peer us-cert "$red" "$asked" >l4 2>l4.err
check "a swapped key fails the lookup" test $? -ne 0
contains "caught by the proof check" l4 "no answer from us-cert: .*not proven for the key it published"
lacks "and nothing is answered" l4 "held by"

# A statement whose key was replaced after signing (by fr-anssi's key,
# a valid one) is refused before anything is asked: the holder cannot
# publish a key it did not sign.
pkuk=$(sed -n 's/^private-lookup	uk-ncsc on budget=[0-9]* pk=//p' p1)
pkfr=$(sed -n 's/^private-lookup	fr-anssi on budget=[0-9]* pk=//p' p2)
check "both published keys are known" test -n "$pkuk" -a -n "$pkfr"
sqlite3 a/store.db "UPDATE private_stmt SET json = replace(json, '$pkuk', '$pkfr')" 2>sq.err
check "the statement is altered" test $? -eq 0
"$T" -d b lookup --private --peer us-cert "$red" >l7 2>&1
check "an altered statement fails the lookup" test $? -ne 0
contains "refused: its signature does not verify" l7 "no answer from us-cert: .*statement: signature does not verify"
lacks "and nothing is answered" l7 "held by"

finish
