#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Header-driven CSV import (issue 11): the 339-row DPRK alias file imports in
# one command with each row's actor (--map value=alias --map actor=entity
# --map actor_type=entity_kind), `lookup Andariel` links every entity the file
# names for it, importing again adds nothing; --where filters rows; a --map or
# --where naming a missing column refuses the file before anything is
# imported; the IT-worker and OFAC website/e-mail lists import with their
# indicator_type column as the kind; bad cells are refused by line and column.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

actors=$TX_SHARED_DIR/data/dprk-threat-actors/dprk_actor_aliases.csv
iocs=$TX_SHARED_DIR/data/dprk-network-iocs
mknode us us-cert "$(free_port)"
rows=$(($(wc -l <"$actors") - 1))

# A --map or --where naming a column the file lacks: nothing imported.
"$T" -d us import --format csv --kind alias --map value=alias --map actor=nosuch "$actors" >m1 2>m1e
check "a --map naming a missing column fails the import" test $? -ne 0
contains "naming the column and the header's columns" m1e "no column named nosuch \(the header has: alias, alias_normalized, entity, entity_kind"
contains "nothing was imported" m1 "^imported	seen=0	new=0	"
"$T" -d us import --format csv --kind alias --where nosuch=x "$actors" >m2 2>m2e
check "a --where naming a missing column fails the import" test $? -ne 0
contains "naming it" m2e "--where nosuch=x: no column named nosuch"
"$T" -d us lookup Andariel >m3
lacks "still nothing known of Andariel" m3 "^known"

# The goal: one command, every row, each row's actor.
"$T" -d us import --format csv --kind alias --quiet --map value=alias \
    --map actor=entity --map actor_type=entity_kind "$actors" >a1
check "the alias file imports (exit 0)" test $? -eq 0
contains "all $rows rows seen, none refused" a1 "^imported	seen=$rows	new=[0-9]+	duplicate=0	refused=0	exists=[0-9]+$"
"$T" -d us lookup Andariel >a2
want=$(awk -F, '$1 == "Andariel" { print $3 }' "$actors" | sort -u)
n=0
while IFS= read -r e; do
	n=$((n + 1))
	contains "lookup Andariel links $e" a2 "^linked	indicator--[0-9a-f-]+	indicates	threat-actor--[0-9a-f-]+	$e	"
done <<<"$want"
check "the file names at least 4 entities for Andariel" test "$n" -ge 4
check "exactly those are linked" test "$(grep -cE '^linked	indicator--[^	]+	indicates	' a2)" -eq "$n"
"$T" -d us import --format csv --kind alias --quiet --map value=alias \
    --map actor=entity --map actor_type=entity_kind "$actors" >a3
contains "importing again adds nothing" a3 "^imported	seen=$rows	new=0	duplicate=0	refused=0	exists=$rows$"

# --where: only the rows of one source (entity and entity_kind are the
# actor's columns by their built-in names).
mknode uk uk-ncsc "$(free_port)"
src=$(awk -F, '$5 == "misp-galaxy:threat-actor"' "$actors" | wc -l)
"$T" -d uk import --csv --kind alias --quiet --where source=misp-galaxy:threat-actor "$actors" >w1
contains "--where keeps the $src rows of that source" w1 "^imported	seen=$src	new=[0-9]+	duplicate=0	refused=0	"
"$T" -d uk import --csv --kind alias --quiet --map actor=entity \
    --where source=misp-galaxy:threat-actor --where " entity = Silent Chollima " "$actors" >w2
n=$(awk -F, '$5 == "misp-galaxy:threat-actor" && $3 == "Silent Chollima"' "$actors" | wc -l)
contains "two --where: both must hold ($n rows)" w2 "^imported	seen=$n	"
"$T" -d uk lookup PLUTONIUM >w3
contains "PLUTONIUM is linked to Silent Chollima (its misp-galaxy:threat-actor row)" w3 "^linked	indicator--[^	]+	indicates	threat-actor--[^	]+	Silent Chollima	"
lacks "not to the actors of the rows of other sources" w3 "indicates	[^	]+	(Onyx Sleet|Andariel)	"

# The IT-worker and OFAC lists: indicator_type is the kind, no --kind.
"$T" -d uk import --quiet "$iocs/it_worker_front_company_domains.csv" "$iocs/ofac_dprk_websites_emails.csv" >k1
check "both lists import (exit 0)" test $? -eq 0
contains "every row, none refused" k1 "^imported	seen=50	new=150	duplicate=0	refused=0	exists=0$"
"$T" -d uk lookup 174.138.181.198 >k2
contains "an ipv4 row is an ipv4 indicator" k2 "^known	ipv4	174.138.181.198	indicator	"
"$T" -d uk lookup sinbad.io >k3
contains "https://sinbad.io (url-or-domain) is the domain sinbad.io" k3 "^known	domain	sinbad.io	indicator	"
"$T" -d uk lookup haejinsm@silibank.net.kp >k4
contains "an email-addr row is an e-mail indicator" k4 "^known	email	haejinsm@silibank.net.kp	indicator	"

# Bad cells: the row is refused with file:line, the column and why.
printf 'value,kind,tlp,confidence\nok.example,domain,green,80\nbad1.example,domain,purple,1\nbad2.example,domain,amber,101\nbad3.example,ipv4-port,,\n' >bad.csv
"$T" -d uk import bad.csv >b1
check "refused rows make exit 3" test $? -eq 3
contains "a bad TLP, by line and column" b1 "^refused	bad.csv:3	bad1.example	tlp: unknown TLP purple"
contains "confidence 101" b1 "^refused	bad.csv:4	bad2.example	confidence: confidence 101 is not a whole number from 0 to 100"
contains "an unknown kind" b1 "^refused	bad.csv:5	bad3.example	kind: unknown kind ipv4-port"
contains "the others go on" b1 "^imported	seen=4	new=3	duplicate=0	refused=3	exists=0$"

finish
