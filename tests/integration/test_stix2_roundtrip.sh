#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# STIX 2.1 hygiene of what threatex authors (issue 10, DESIGN §5): with the
# OASIS python-stix2 3.0.2 from $TX_SHARED_DIR/peers, every object a node
# authors parses strictly (allow_custom=False, the built-in extension
# definitions registered as the library documents: stix2_check.py) and is
# a fixed point of parse -> serialise, so `threatex verify` says ok for
# every object of the re-serialised bundle. A node authors every kind: add
# wallet/domain/email/alias with --actor and --individual, a RED item with
# recipients, update, revoke (with a reason note), sighting, a cosign of
# another member's object, imports of a CSV and of ATT&CK (third-party
# objects are attested as they are: they are only parsed, not required to
# be fixed points). The same check runs on the objects a second node
# received by sync. The built-in definitions are in every export, a
# different body under one of their ids is refused.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

PEERS=$TX_SHARED_DIR/peers
PY=/usr/bin/python3
export PYTHONPATH=$PEERS/python-stix2-3.0.2:$PEERS/pattern-validator-2.0.0
export PYTHONDONTWRITEBYTECODE=1	# never write into $PEERS
unset REQUESTS_CA_BUNDLE CURL_CA_BUNDLE
CHECK=$(dirname "$0")/stix2_check.py
if [ ! -d "$PEERS/python-stix2-3.0.2" ] || ! "$PY" -c 'import stix2' \
    2>/dev/null; then
	echo "skip: python-stix2 3.0.2 is not in $PEERS (or its deps)"
	exit 77
fi
data=$TX_SHARED_DIR/data

pus=$(free_port)
puk=$(free_port)
mknode us us-cert "$pus"
mknode uk uk-ncsc "$puk"
pin us uk --max-tlp red
pin uk us --max-tlp red
ID_US=$(awk '/^identity = /{print $3; exit}' us/node.conf)
ID_UK=$(awk '/^identity = /{print $3; exit}' uk/node.conf)
check "identities read" test -n "$ID_US" -a -n "$ID_UK"

w1=0x51e9d833ecae4e8d9d8be17300aee6d3398c135d
"$T" -d us add wallet $w1 --actor "Lazarus Group" --confidence 90 >a1 2>&1
"$T" -d us add domain roundtrip-evil.example --individual \
    --actor "Park Jin Hyok" --valid-days 30 >a2 2>&1
"$T" -d us add email recruiter@roundtrip-evil.example >a3 2>&1
contains "the e-mail is authored" a3 "^added	email	"
"$T" -d us add alias "Trader Traitor" --actor "Lazarus Group" >a4 2>&1
"$T" -d us add domain red-roundtrip.example --tlp red --to uk-ncsc >a5 2>&1
contains "the RED item is authored" a5 "^added	domain	red-roundtrip.example"
"$T" -d us add domain gone-roundtrip.example >a6 2>&1
"$T" -d us update roundtrip-evil.example --confidence 40 \
    --valid-until 2099-01-01T00:00:00Z >u1 2>&1
check "update ok" test $? -eq 0
"$T" -d us update recruiter@roundtrip-evil.example --label it-worker \
    --tlp green >u2 2>&1
check "update --label --tlp ok" test $? -eq 0
"$T" -d us revoke gone-roundtrip.example --reason "sinkholed" >r1 2>&1
check "revoke ok" test $? -eq 0
"$T" -d us sighting $w1 --count 3 --where "exchange deposit" >s1 2>&1
check "sighting ok" test $? -eq 0
"$T" -d us import --csv --kind wallet --quiet \
    "$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" >i1 2>&1
contains "the CSV imports" i1 "^imported	seen=[0-9]+	new=[0-9]+"
"$T" -d us import --quiet \
    "$data/attack-stix21/enterprise-attack-18.1-dprk-slice.json" >i2 2>&1
contains "ATT&CK imports" i2 "^imported	seen=[0-9]+	new=[0-9]+"
# Another member's object, counter-signed by us.
"$T" -d uk add wallet bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 \
    --tlp green >b1 2>&1

serve us us.log
serve uk uk.log
check "us serves" wait_port "$pus"
check "uk serves" wait_port "$puk"
timeout 120 "$T" -d us sync --peer uk-ncsc >y1 2>&1
ind=$("$T" -d us lookup bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 |
    grep -o 'indicator--[0-9a-f-]*' | head -1)
check "us holds uk's indicator" test -n "$ind"
"$T" -d us cosign "$ind" >c1 2>&1
check "cosign ok" test $? -eq 0

# has DESC FILE ERE: like contains, without printing the (one-line) file.
has() { if grep -Eq -- "$3" "$2"; then ok "$1"; else not_ok "$1 (no /$3/)"; fi; }
hasnt() { if grep -Eq -- "$3" "$2"; then not_ok "$1 (/$3/ found)"; else ok "$1"; fi; }

# 1. Everything us holds, exported, parsed strictly, round-tripped.
"$T" -d us export --format stix >us.stix 2>us.err
has "the export has the built-in definitions" us.stix \
    '"id":"extension-definition--45158511-1ccc-4124-8d18-b2ec386b001e"'
# split.py IDS BUNDLE REVOKED OURS THEIRS: the objects threatex authored
# (created_by_ref a node, an SCO, a built-in) and third-party objects
# attested as they are (ATT&CK); exports leave revoked objects out, so
# the revoked versions are read from the store (the stored bytes, one a
# line in REVOKED: tx_tamper --revoked, as only threatex unpacks them).
cat >split.py <<'PY'
import json, sys
ids = set(sys.argv[1].split(","))
b = json.load(open(sys.argv[2]))
rev = [json.loads(l) for l in open(sys.argv[3]) if l.strip()]
ours, theirs = [], []
builtin = "identity--22c58cef-ac82-4d05-99a8-738cf4d26083"
for o in b["objects"] + rev:
    cb = o.get("created_by_ref")
    if cb in ids or cb == builtin or o["id"] == builtin or \
            o["id"] in ids or ("created" not in o and cb is None):
        ours.append(o)
    else:
        theirs.append(o)
for name, objs in ((sys.argv[4], ours), (sys.argv[5], theirs)):
    json.dump({"type": "bundle", "id": b["id"], "objects": objs},
              open(name, "w"), separators=(",", ":"))
print("ours=%d theirs=%d revoked=%d" % (len(ours), len(theirs), len(rev)))
PY
"$TX_TAMPER" --revoked us/store.db >us.revoked
"$PY" split.py "$ID_US,$ID_UK" us.stix us.revoked ours.json theirs.json \
    >sp1 2>&1
contains "revoked versions are read from the store" sp1 "revoked=[1-9]"
"$PY" "$CHECK" ours.json ours.rt >k1 2>&1
rc=$?
head -20 k1 | cut -c1-300
check "python-stix2 parses every object us authored, each a fixed point" \
    test $rc -eq 0
n=$(sed -n 's/^checked \([0-9]*\) .*/\1/p' k1)
check "many objects checked (${n:-0})" test "${n:-0}" -ge 150
contains "the 5 built-in objects are among them, 4 definitions" k1 \
    "defs=4$"
"$T" -d us verify ours.rt >v1 2>&1
check "verify: ok for every re-serialised object" test $? -eq 0
nok=$(grep -c '^ok	' v1)
check "verify: $nok ok lines = $n objects" test "$nok" -eq "${n:-x}"
lacks "no bad line" v1 "^bad"
for t in cryptocurrency-wallet persona domain-name email-addr indicator \
    relationship intrusion-set threat-actor sighting note identity; do
	contains "a $t is among the checked objects" v1 \
	    "^ok	$t--[0-9a-f-]+	"
done
has "the revocation's reason note is there" ours.json \
    '"abstract":"revoked"'
has "and the revoked indicator" ours.json '"revoked":true'
hasnt "no x_threatex_ property is authored" ours.json 'x_threatex_'
has "recipients are a property extension" ours.json \
    '"extension-definition--45158511-1ccc-4124-8d18-b2ec386b001e":\{"extension_type":"property-extension","recipients":\["'"$ID_UK"'"\]\}'
has "the persona's spelling too" ours.json '"display":"Trader Traitor"'
has "indicators name their pattern_version" ours.json \
    '"pattern_version":"2.1"'
hasnt "never a default-valued revoked" ours.json '"revoked":false'
has "the cosigned object carries both entries" us.stix \
    "\"id\":\"$ind\".*\"signer\":\"identity--.*\"signer\":\"identity--"
# Third-party objects: parsed (custom properties allowed), never altered.
"$PY" - theirs.json <<'PY' >k2 2>&1
import json, sys, stix2
objs = json.load(open(sys.argv[1]))["objects"]
for o in objs:
    stix2.parse(json.dumps(o), allow_custom=True)
print("parsed %d" % len(objs))
PY
contains "ATT&CK objects parse (allow_custom)" k2 "^parsed [1-9][0-9]+$"

# 2. What uk received by sync: the same check.
timeout 120 "$T" -d uk sync --peer us-cert >y2 2>&1
contains "uk pulls from us" y2 "^synced	us-cert	"
"$T" -d uk export --format stix >uk.stix 2>uk.err
"$TX_TAMPER" --revoked uk/store.db >uk.revoked
"$PY" split.py "$ID_US,$ID_UK" uk.stix uk.revoked uk-ours.json \
    uk-theirs.json >sp2 2>&1
contains "uk holds the revoked versions too" sp2 "revoked=[1-9]"
"$PY" "$CHECK" uk-ours.json uk-ours.rt >k3 2>&1
rc=$?
head -20 k3 | cut -c1-300
check "on uk: every received object parses strictly, each a fixed point" \
    test $rc -eq 0
m=$(sed -n 's/^checked \([0-9]*\) .*/\1/p' k3)
check "uk holds many of them (${m:-0})" test "${m:-0}" -ge 150
"$T" -d uk verify uk-ours.rt >v2 2>&1
check "on uk: verify ok for every re-serialised object" test $? -eq 0
check "on uk: $(grep -c '^ok	' v2) ok lines = ${m:-0} objects" \
    test "$(grep -c '^ok	' v2)" -eq "${m:-x}"
has "uk received the RED item addressed to it" uk-ours.json \
    "red-roundtrip.example"

# 3. A different body under a built-in id is refused, by name.
"$PY" - us.stix >fake.json <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
d = [o for o in b["objects"] if o["type"] == "extension-definition"][0]
d["description"] = "something else"
print(json.dumps({"type": "bundle",
                  "id": "bundle--0e6c5f3a-9d1b-4c2e-8f7a-6b5c4d3e2f10",
                  "objects": [d]}))
PY
"$T" -d uk import fake.json >f1 2>&1
check "importing it fails" test $? -ne 0
contains "it is refused, naming the id and why" f1 \
    "extension-definition--.*built-in threatex extension definition id with a body that differs"
"$T" -d uk verify fake.json >f2 2>&1
check "verify says bad" test $? -ne 0
"$T" -d uk import us.stix >f3 2>&1
lacks "the built-in objects of an export are never refused" f3 \
    "refused	(extension-definition|identity--22c58cef)"

finish
