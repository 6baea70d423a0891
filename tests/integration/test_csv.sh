#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# CSV import of the real lists (`import --csv`), and STIX 1.x XML: the FBI's 51 Bybit-theft
# addresses and OFAC's DPRK-related digital currency addresses become signed
# indicators linked to an actor; bad rows are refused with file:line and
# reason; importing again adds nothing; a peer pulls them all.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

data=$TX_SHARED_DIR/data
pus=$(free_port)
mknode us us-cert $pus
mknode uk uk-ncsc $(free_port)
pin us uk
pin uk us

"$T" -d us import --csv --kind wallet --quiet --actor "Lazarus Group" --confidence 90 \
    "$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" >i1
contains "51 FBI addresses become 51 indicator graphs (+ the actor)" i1 "^imported	seen=51	new=205	duplicate=0	refused=0	exists=0$"
"$T" -d us import --csv --kind wallet --quiet "$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" >i2
contains "importing again adds nothing" i2 "^imported	seen=51	new=0	duplicate=0	refused=0	exists=51$"
"$T" -d us import --csv --kind wallet --column address --quiet \
    "$data/ofac-sdn-digital-currency/sdn_digital_currency_addresses.csv" >i3
check "a refused row makes exit 3" test $? -eq 3
contains "the 64-hex-digit 'XMR' entry is refused with file:line and reason" i3 \
    "^refused	.*sdn_digital_currency_addresses.csv:[0-9]+	[0-9a-f]{64}	64 hex digits: a hash or key"
check "it is the only refusal" test "$(grep -c '^refused' i3)" -eq 1
"$T" -d us import --csv --kind wallet --column nosuch --quiet "$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" >i4 2>&1
check "an unknown column is an error" test $? -ne 0

# STIX 1.x XML (CybOX observables) goes through the same recipe.
"$T" -d us import --quiet "$TX_TESTS_DIR/data/xml/dprk-indicators.xml" >x1 2>&1
contains "STIX 1.x observables are authored" x1 "^imported	seen=5	new=15	duplicate=0	refused=0	exists=0$"
"$T" -d us lookup recruiter@hiring-desk.test >x2
contains "an e-mail sender from STIX 1.x is known" x2 "^known	email	recruiter@hiring-desk.test	indicator	"
"$T" -d us lookup www.login.example-bank.test >x2b
"$T" -d us lookup example-bank.test >x2c
contains "asking about a domain lists what is known below it" x2c "^known	domain	example-bank.test	indicator	.*match=below:login.example-bank.test"
contains "a URL is found by its host (here by suffix)" x2b "^known	domain	www.login.example-bank.test	indicator	.*match=suffix:login.example-bank.test"
"$T" -d us import "$TX_TESTS_DIR/fuzz/corpora/xml1x/xxe.xml" >x3 2>&1
check "a STIX 1.x file with a DOCTYPE is refused (exit 3)" test $? -eq 3
contains "saying why" x3 "DOCTYPE is not allowed"

w=$(sed -n 30p "$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)
serve us us.log
check "server up" wait_port $pus
timeout 120 "$T" -d uk sync >s1 2>&1
contains "uk-ncsc pulls every object, over pages" s1 "^synced	us-cert	pages=[3-9] received=2[0-9]{3} new=2[0-9]{3} duplicate=0 refused=0"
"$T" -d uk lookup "$w" >l1
contains "an FBI-listed wallet is known at uk-ncsc, confidence 90" l1 "^known	wallet	.*	indicator	.*origin=us-cert	.*confidence=90"
contains "linked to Lazarus Group" l1 "indicates	intrusion-set--.*	Lazarus Group"

finish
