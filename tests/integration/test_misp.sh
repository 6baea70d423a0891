#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# MISP import and export (`import --format misp`, sniffed; `export --format
# misp`): ESET's MISP event folder imports and its domains and IPs are
# found by lookup; importing again adds nothing; a MISP export of it
# re-imports on another node to the same set of values; a MISP feed
# (manifest.json and its event files) imports by folder or manifest; the
# MISP threat-actor galaxy becomes intrusion-sets with their aliases;
# the STIX format names MISP when handed it; garbage is refused with the
# file, the place and the reason, and changes nothing.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

data=$TX_SHARED_DIR/data
eset=$data/dprk-network-iocs/eset-malware-ioc
mknode us us-cert 1
mknode uk uk-ncsc 2

"$T" -d us import --quiet "$eset" >i1
check "the ESET folder imports (exit 0)" test $? -eq 0
contains "8 values and the report, nothing refused" i1 "^imported	seen=10	new=25	duplicate=0	refused=0	exists=1$"
for v in od.lk journalide.org 38.108.185.115 172.93.201.88 23.254.211.230; do
	"$T" -d us lookup "$v" >l
	contains "$v is found by lookup" l "^known	(domain|ipv4)	$v	"
done
"$T" -d us import --quiet "$eset" >i2
contains "importing again adds nothing" i2 "^imported	seen=10	new=0	duplicate=0	refused=0	exists=10$"

"$T" -d us export --format misp >e1.json
check "export --format misp" test $? -eq 0
pairs() {
	python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
for e in d["response"]:
    for a in e["Event"]["Attribute"]: print(a["type"], a["value"])' "$1" | sort
}
pairs e1.json >p1
check "the export holds the 8 ESET values" test "$(wc -l <p1)" -eq 8
contains "with their TLP tags" e1.json '"tlp:amber"'
"$T" -d uk import --quiet e1.json >i3
contains "the export re-imports on another node (8 values and a report)" i3 "^imported	seen=9	new=25	duplicate=0	refused=0	exists=0$"
"$T" -d uk export --format misp >e2.json
pairs e2.json >p2
check "re-exported: the same set of values" cmp -s p1 p2
"$T" -d us export --format misp --max-tlp green >e3.json
check "the TLP ceiling leaves the amber values out" test "$(pairs e3.json | wc -l)" -eq 0

# A feed: manifest.json naming event files beside it.
mkdir feed
python3 - feed <<'PY'
import json, sys
u = "5f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b"
ev = {"Event": {"uuid": u, "info": "feed event", "date": "2024-05-06",
      "Tag": [{"name": "tlp:clear"}],
      "Attribute": [{"type": "domain", "value": "feed-c2.example"},
                    {"type": "eth", "value": "0x098b716b8aaf21512996dc57eb0615e2383e2f96"},
                    {"type": "domain|ip", "value": "relay.example|198.51.100.77"}]}}
json.dump(ev, open(sys.argv[1] + "/" + u + ".json", "w"))
json.dump({u: {"info": "feed event", "Tag": [], "timestamp": "1"}},
          open(sys.argv[1] + "/manifest.json", "w"))
PY
"$T" -d uk import --quiet feed >f1
contains "a feed folder imports through its manifest" f1 "^imported	seen=5	new=13	duplicate=0	refused=0	exists=0$"
"$T" -d uk lookup feed-c2.example >l
contains "a feed domain is found, TLP clear" l "^known	domain	feed-c2.example	.*tlp=clear"
"$T" -d uk import --quiet feed/manifest.json >f2
contains "the manifest by path: nothing new" f2 "^imported	seen=5	new=0	duplicate=0	refused=0	exists=5$"

# Galaxies of actors.
"$T" -d uk import --quiet "$data/dprk-threat-actors/misp-galaxy-threat-actor-dprk.json" >g1
contains "30 DPRK clusters become 30 intrusion-sets" g1 "^imported	seen=30	new=30	duplicate=0	refused=0	exists=0$"
"$T" -d uk lookup Andariel >l
contains "a synonym is an alias of an intrusion-set" l "^known	alias	andariel	intrusion-set	"
"$T" -d uk import --quiet "$data/dprk-threat-actors/misp-galaxy-threat-actor.json" >g2
check "the whole threat-actor galaxy imports" test $? -eq 0
contains "nothing refused" g2 "refused=0	exists=30$"

# The STIX format names MISP.
"$T" -d uk import --format stix "$eset/nukesped_lazarus/lazarus_3cx.json" >s1 2>&1
check "--format stix on MISP fails" test $? -ne 0
contains "and says to use --format misp" s1 "lazarus_3cx.json: not a STIX document: looks like MISP event JSON .* use --format misp"

# Garbage: named by file, place and reason; nothing changes.
printf '{"Event": {"uuid": "5f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b",\n "Attribute": [}}' >bad.json
"$T" -d uk export --format misp >before.json
"$T" -d uk import --format misp bad.json >b1 2>&1
check "bad JSON fails" test $? -ne 0
contains "naming the file, line and column" b1 "bad.json.*line 2 column [0-9]+"
printf '{"Event": {"uuid": "5f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b", "uuid": "x"}}' >dup.json
"$T" -d uk import --format misp dup.json >b2 2>&1
contains "duplicate keys are refused" b2 "dup.json.*duplicate"
mkdir mixed
cp bad.json mixed/a.json
cp "$eset/nukesped_lazarus/lazarus_3cx.json" mixed/b.json
"$T" -d uk import --format misp mixed >b3 2>&1
contains "a bad file of a folder is refused by name" b3 "^refused	.*mixed/a.json	.*line 2 column"
# A feed whose event file is a manifest again (naming itself): refused, bounded.
mkdir loop
u=5f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b
printf '{"%s": {"info": "x"}}' $u >loop/manifest.json
cp loop/manifest.json loop/$u.json
"$T" -d uk import --format misp loop >b4 2>&1
contains "a manifest inside a feed is refused by name" b4 "^refused	.*loop/$u.json	.*a feed manifest where an event file"
"$T" -d uk export --format misp >after.json
check "refused files changed nothing" test "$(pairs before.json | wc -l)" -eq "$(pairs after.json | wc -l)"

# The ESET event as a MISP feed folder (export misp --out DIR): manifest
# and event files; it re-imports on a fresh node to the same set.
"$T" -d us export misp --out esetfeed >/dev/null 2>&1
check "export misp --out writes a feed folder" test -s esetfeed/manifest.json
check "with one event file per manifest entry" test "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' esetfeed/manifest.json)" -eq "$(ls esetfeed | grep -c '^[0-9a-f-]*\.json$')"
mknode fr fr-anssi 3
"$T" -d fr import --quiet esetfeed >f3
contains "the feed imports on a fresh node (8 values and a report)" f3 "^imported	seen=9	new=25	duplicate=0	refused=0	exists=0$"
"$T" -d fr export --format misp >e4.json
pairs e4.json >p4
check "the feed re-imported to the same set of values" cmp -s p1 p4
finish
