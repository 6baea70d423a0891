#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# --json as documented in one place (issue 12): the output of key, audit,
# verify and operator with --json is parsed against docs/json.md, shape by
# shape (tests/integration/json_check.py): no undocumented key, no key of
# another type, every "always" key present. A hostile byte in a field
# never drops a record: it is escaped.
. "$(dirname "$0")/lib.sh"
cd "$WORK"
DOC="$TX_TESTS_DIR/../docs/json.md"
J() { python3 "$TX_TESTS_DIR/integration/json_check.py" "$DOC" "$@"; }

mknode us us-cert $(free_port)
mknode uk uk-ncsc $(free_port)
pin us uk
"$T" -d us add wallet 0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135D >/dev/null

"$T" -d us key list --json >keys.jsonl
check "key list --json" J key.entry keys.jsonl
check "lists both members' keys" test "$(grep -c '"current":true' keys.jsonl)" -ge 2
"$T" -d us key rotate --json >rot.jsonl
check "key rotate --json" J key.event rot.jsonl
"$T" -d us audit list --json --last 0 >audit.jsonl
check "audit list --json" J audit.entry audit.jsonl
"$T" -d us audit verify --json >verify.jsonl
check "audit verify --json" J audit.verify verify.jsonl
contains "audit verify says ok" verify.jsonl '"ok":true'
"$T" -d us audit seal --json >seal.jsonl
check "audit seal --json" J audit.seal seal.jsonl
"$T" -d us operator add ops --json >op.jsonl 2>/dev/null
check "operator add --json" J operator.cred op.jsonl
"$T" -d us operator list --json >opl.jsonl
check "operator list --json" J operator.cred opl.jsonl

# verify --json over an export of us and a tampered copy.
"$T" -d us export stix >bundle.json 2>/dev/null
"$T" -d us verify --json bundle.json >v.jsonl
check "verify --json" J verify.result v.jsonl
contains "every object verifies" v.jsonl '"ok":true'
sed 's/0x51e9d833ecae4e8d9d8be17300aee6d3398c135d/0x51e9d833ecae4e8d9d8be17300aee6d3398c135e/' bundle.json >bad.json
"$T" -d us verify --json bad.json >vbad.jsonl
check "verify --json of a tampered file" J verify.result vbad.jsonl
contains "names the failure" vbad.jsonl '"ok":false'
"$T" -d us peer list --json >peers.jsonl
check "peer list --json" J peer.entry peers.jsonl
contains "names the member" peers.jsonl '"name":"uk-ncsc"'
"$T" -d us add --json domain front.example.org >add.jsonl
check "add --json" J add.event add.jsonl
contains "says what was added" add.jsonl '"event":"added","kind":"domain","canonical":"front.example.org"'
"$T" -d us add --json domain front.example.org >add2.jsonl
check "add --json of a value held" J add.event add2.jsonl
contains "says it exists" add2.jsonl '"event":"exists"'
printf 'value,kind\nfront2.example.org,domain\nnot a value,domain\n' >i.csv
"$T" -d us import --json --format csv i.csv >imp.jsonl
check "import --json" J import.event imp.jsonl
contains "reports the refused row with its line" imp.jsonl '"verdict":"refused".*"line":3'
contains "ends with the totals" imp.jsonl '"event":"totals","seen":2'

"$T" -d us update --json 0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135D --confidence 60 --actor "Lazarus Group" >upd.jsonl
check "update --json" J lifecycle.event upd.jsonl
contains "says what it updated" upd.jsonl '"event":"updated","id":"indicator--'
contains "and the link it added" upd.jsonl '"event":"linked"'
"$T" -d us sighting --json 0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135D --count 2 >sig.jsonl
check "sighting --json" J lifecycle.event sig.jsonl
contains "names the sighting" sig.jsonl '"event":"sighting","id":"sighting--'
"$T" -d us revoke --json front.example.org --reason "a test" >rev.jsonl
check "revoke --json" J lifecycle.event rev.jsonl
contains "says what it revoked" rev.jsonl '"event":"revoked","id":"indicator--'

# sync --json between two serving nodes.
pu=$(grep -o '127.0.0.1:[0-9]*' us/node.conf | head -1 | cut -d: -f2)
"$T" -d uk peer add us.json --yes >/dev/null
serve us us.log
check "us serves" wait_port "$pu"
"$T" -d uk sync --json >sync.jsonl
check "sync --json" J sync.event sync.jsonl
contains "a round that synced" sync.jsonl '"event":"synced","peer":"us-cert".*"new":[1-9]'

finish
