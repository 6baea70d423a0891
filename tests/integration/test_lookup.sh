#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Lookups that answer the mission's questions (issue 12): after the
# IT-worker front domains are imported, an applicant's e-mail address on
# one of them is known through its domain (also defanged, also on a
# subdomain), and so is a URL on it; after the 339-row alias file is
# imported, `lookup Andariel` lists every entity the file links to it, and
# an actor another agency links to it arrives by sync and is listed with
# its origin; sightings and withdrawal show; a benign list flags gmail.com;
# --summary gives one screening line per value from a file or stdin, also
# as JSON.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

data=$TX_SHARED_DIR/data
pus=$(free_port)
mknode us us-cert $pus
mknode uk uk-ncsc $(free_port)
pin us uk
pin uk us

# E-mail -> domain, URL -> host.
"$T" -d uk import --format csv --kind domain \
    "$data/dprk-network-iocs/it_worker_front_company_domains.csv" >i1 2>&1
contains "the IT-worker front domains are imported" i1 "^imported	seen=[0-9]+	new=[1-9]"
"$T" -d uk lookup recruiter@INDITECHLAB.COM >l1
check "lookup of the address exits 0" test $? -eq 0
contains "the address is known through its domain" l1 \
    "^related	email	recruiter@inditechlab.com	via=domain	inditechlab.com$"
contains "followed by the domain's indicator" l1 \
    "^known	domain	inditechlab.com	indicator	indicator--[^	]*	origin=uk-ncsc	.*match=exact"
lacks "it is not called unknown" l1 "^unknown"
"$T" -d uk lookup 'recruiter[@]inditechlab[.]com' >l1d
contains "a defanged address too" l1d \
    "^related	email	recruiter@inditechlab.com	via=domain	inditechlab.com$"
"$T" -d uk lookup hr@careers.inditechlab.com >l1s
contains "an address on a subdomain: through the registrable domain" l1s \
    "^known	domain	careers.inditechlab.com	indicator	.*match=suffix:inditechlab.com"
"$T" -d uk lookup 'hxxps://jobs.inditechlab[.]com/apply?ref=1' >l2
contains "a URL on a known domain is known through its host" l2 \
    "^related	url	https://jobs.inditechlab.com/apply\?ref=1	via=host	jobs.inditechlab.com$"
contains "by suffix" l2 "^known	domain	jobs.inditechlab.com	indicator	.*match=suffix:inditechlab.com"
"$T" -d uk lookup someone@example.org >l3
check "an address on another domain is one 'unknown' line" \
    test "$(cat l3)" = "unknown	email	someone@example.org"

# Every actor linked to Andariel, from the alias file and from a peer.
"$T" -d uk import --quiet --format csv --kind alias --map value=alias \
    --map actor=entity --map actor_type=entity_kind \
    "$data/dprk-threat-actors/dprk_actor_aliases.csv" >i2 2>&1
contains "the 339-row alias file imports in one command" i2 "^imported	seen=339	.*refused=0"
"$T" -d us add alias Andariel --actor Stonefly --tlp green >a1
"$T" -d us add alias Andariel --actor "Dark Seoul" --tlp green >a2
serve us us.log
check "us-cert serves" wait_port $pus
timeout 120 "$T" -d uk sync >s1 2>&1
contains "uk-ncsc pulls us-cert's links" s1 "^synced	us-cert	.*refused=0"
"$T" -d uk lookup Andariel >l4
n=0
for e in $(awk -F, 'tolower($1) == "andariel" && $3 != "" { print $3 }' \
    "$data/dprk-threat-actors/dprk_actor_aliases.csv" | sort -u | tr ' ' '_'); do
	e=${e//_/ }
	n=$((n + 1))
	contains "lookup Andariel lists $e (the alias file links them)" l4 \
	    "^actor	alias	andariel	$e	[a-z-]+--[^	]*	origins=(.*,)?uk-ncsc(,|$)"
done
check "the alias file names several entities for Andariel" test $n -ge 3
contains "us-cert's actor is listed with its origin" l4 \
    "^actor	alias	andariel	Stonefly	intrusion-set--[^	]*	origins=us-cert$"
contains "us-cert's second actor too" l4 \
    "^actor	alias	andariel	Dark Seoul	intrusion-set--[^	]*	origins=us-cert$"
contains "the link shows who made it" l4 "^linked	indicator--[^	]*	indicates	intrusion-set--[^	]*	Stonefly	by=us-cert$"

# Sightings and withdrawal.
if "$T" sighting --help >/dev/null 2>&1; then
	"$T" -d uk sighting tonywangtech.com --count 3 >sg 2>&1
	"$T" -d uk lookup tonywangtech.com >l5
	contains "a sighting is counted on the indicator" l5 \
	    "^known	domain	tonywangtech.com	indicator	.*	sightings=1	sighted=3	sighters=uk-ncsc$"
	"$T" -d uk revoke wkjllc.com >rv 2>&1
	"$T" -d uk lookup wkjllc.com >l6
	contains "a revoked indicator is shown withdrawn" l6 \
	    "^known	domain	wkjllc.com	indicator	.*	revoked"
	"$T" -d uk lookup --summary wkjllc.com >l6s
	contains "and the summary calls the value withdrawn" l6s "^withdrawn	domain	wkjllc.com	"
else
	echo "# no sighting/revoke commands in this build: skipped"
fi

# A benign list.
printf '\n[node]\nbenign_lists = %s\n' \
    "$data/misp-warninglists-benign/lists/tranco10k/list.json" >>uk/node.conf
"$T" -d uk lookup recruiter@gmail.com >l7
contains "an address on a benign domain is flagged" l7 "^benign	domain	gmail.com	list=.*Tranco"
contains "and stays unknown" l7 "^unknown	email	recruiter@gmail.com$"

# Screening: one line per value, from a file and from stdin.
cat >values.txt <<'EOF'
# applicants to screen
recruiter@inditechlab.com
Andariel

someone@nowhere-corp.test
hxxps://jobs.inditechlab[.]com/apply
recruiter@gmail.com
EOF
"$T" -d uk lookup --summary --file values.txt >sum
check "--summary --file exits 0" test $? -eq 0
check "--summary: one line per value (5)" test "$(wc -l <sum)" -eq 5
contains "the address: known, its origin, TLP and no actor" sum \
    "^known	email	recruiter@inditechlab.com	origins=uk-ncsc	tlp=amber	confidence=none	actors=$"
contains "Andariel: its actors on one line" sum \
    "^known	alias	andariel	origins=.*	actors=.*Lazarus Group.*Stonefly|^known	alias	andariel	origins=.*	actors=.*Stonefly.*Lazarus Group"
contains "an unknown address" sum "^unknown	email	someone@nowhere-corp.test	origins=	tlp=none	confidence=none	actors=$"
contains "a benign one" sum "^unknown	email	recruiter@gmail.com	.*	benign=.*Tranco"
grep -v '^#' values.txt | grep . | "$T" -d uk lookup --summary - >sum2
check "the same from stdin" test "$(grep -c . sum2)" -eq 5 -a "$(cut -f1-3 sum)" = "$(cut -f1-3 sum2)"
"$T" -d uk lookup --json --summary --file values.txt >sumj
check "--json --summary: five JSON objects with the documented lists" \
    python3 -c 'import json,sys
v=[json.loads(l) for l in open("sumj")]
assert len(v)==5
assert [x["verdict"] for x in v]==["known","known","unknown","known","unknown"]
assert all(isinstance(x["origins"],list) and isinstance(x["actors"],list) for x in v)
assert "Stonefly" in v[1]["actors"] and v[1]["actors_more"]==0
assert v[2]["tlp"] is None and v[2]["confidence"] is None'
"$T" -d uk lookup --summary --file nosuch.txt >sum3 2>&1
check "a missing --file is a failure (exit 1)" test $? -eq 1
contains "naming the file" sum3 "nosuch.txt"

# --private goes to the private lookup (cmd_private.c), not the store.
"$T" -d uk lookup --private --peer nosuch inditechlab.com >pv 2>&1
check "--private --peer with an unknown peer fails" test $? -ne 0
lacks "and answers nothing from the local store" pv "^(known|unknown)	"
"$T" -d uk lookup --private --summary inditechlab.com >pv2 2>&1
check "--summary does not go with --private (exit 2)" test $? -eq 2

{ echo inditechlab.com; head -c 70000 /dev/zero | tr '\0' a; echo; echo wkjllc.com; } >long.txt
"$T" -d uk lookup --summary --file long.txt >sum4 2>&1
check "a line over 64 KiB in --file is refused (exit 3)" test $? -eq 3
contains "with the file and line" sum4 "^refused	long.txt:2	longer than 65536 bytes$"
check "and the lines around it are still answered" \
    test "$(grep -cE '^(known|withdrawn)	domain	(inditechlab|wkjllc)\.com	' sum4)" -eq 2

finish
