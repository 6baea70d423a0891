#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Issue 11 from the command line: a value on a benign list the node is
# given (`benign_lists =` in node.conf, the MISP warninglists of
# ../shared/data) is accepted by `add` and `import` with a warning naming
# the list; `import --tlp clear` makes the ATT&CK slice (MITRE's
# statement marking only) CLEAR for egress, which an export at a CLEAR
# ceiling shows, and is refused for an object marked otherwise; every
# file ends with one summary line; no progress is drawn when stderr is not
# a terminal.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

data=$TX_SHARED_DIR/data
wl=$data/misp-warninglists-benign/lists
attack=$data/attack-stix21/enterprise-attack-18.1-dprk-slice.json
lazarus=intrusion-set--c93fccb1-e8e8-42cf-ae33-2ad1d183913a
mknode uk uk-ncsc $(free_port)
mknode us us-cert $(free_port)
echo "benign_lists = $wl" >>uk/node.conf

"$T" -d uk add domain mail.google.com >a1 2>a1.err
check "a benign-listed domain is still added" test $? -eq 0
contains "it is added" a1 "^added	domain	mail.google.com$"
contains "with a warning naming the list" a1.err \
    "warning: mail.google.com is on the benign list 'Top 10K most-used sites from Tranco'"
"$T" -d uk add domain inditechlab.com >a2 2>a2.err
contains "a DPRK front domain is added" a2 "^added	domain	inditechlab.com$"
lacks "without a warning" a2.err "benign"
"$T" -d us add domain mail.google.com >a3 2>a3.err
lacks "a node without lists does not warn" a3.err "benign"

printf 'value\nwww.google.com\nfront-company.example\n' >d.csv
"$T" -d uk import --csv --kind domain --quiet d.csv >i1 2>i1.err
check "the import succeeds" test $? -eq 0
contains "the benign value is reported as a warning" i1 \
    "^warning	d.csv	www.google.com	on the benign list 'Top 10K most-used sites from Tranco'"
check "only that one" test "$(grep -c '^warning' i1)" -eq 1
contains "one summary line for the file" i1 \
    "^file	d.csv	created=6	merged=0	unchanged=0	refused=0	benign=1$"
contains "the totals line is as before" i1 \
    "^imported	seen=2	new=6	duplicate=0	refused=0	exists=0$"
check "no progress drawn on a file" test "$(tr -cd '\r' <i1.err | wc -c)" -eq 0

printf 'value\n1.2.3.4\nfront-company.example\n' >e.csv
"$T" -d uk import --csv --kind domain --quiet d.csv e.csv >i2 2>&1
contains "a summary line per file (1)" i2 \
    "^file	d.csv	created=0	merged=0	unchanged=2	refused=0	benign=0$"
contains "a summary line per file (2), refusals grouped by reason" i2 \
    "^file	e.csv	created=0	merged=0	unchanged=1	refused=1	benign=0	reasons: an IP address, not a domain \(1\)$"

echo "benign_lists = missing-list.txt" >>us/node.conf
"$T" -d us add domain partner.example >b1 2>&1
check "a list that cannot be read stops add" test $? -ne 0
contains "naming the file" b1 "missing-list.txt"
sed -i '/^benign_lists/d' us/node.conf

# --tlp clear on ATT&CK: the attested objects go out CLEAR.
"$T" -d uk import --quiet --tlp clear "$attack" >t1 2>&1
contains "the ATT&CK slice imports with --tlp clear" t1 \
    "^imported	seen=[0-9]+	new=[0-9]+	duplicate=0	refused=0	exists=0$"
"$T" -d uk export --format stix --max-tlp clear >x1 2>x1.err
contains "Lazarus Group is in a CLEAR export" x1 "$lazarus"
"$T" -d us import --quiet "$attack" >t2 2>&1
"$T" -d us export --format stix --max-tlp clear >x2 2>x2.err
lacks "without --tlp it is not (the node's AMBER)" x2 "$lazarus"
"$T" -d us export --format stix --max-tlp amber >x3 2>x3.err
contains "it is in an AMBER export" x3 "$lazarus"

# --tlp that cannot apply: an object marked GREEN is refused, named.
cat >g.json <<'JSON'
{"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
 "objects": [{"type": "indicator", "spec_version": "2.1",
  "id": "indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c77",
  "created": "2025-03-01T00:00:00.000Z",
  "modified": "2025-03-01T00:00:00.000Z",
  "created_by_ref": "identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c04",
  "pattern": "[domain-name:value = 'green.example']",
  "pattern_type": "stix", "valid_from": "2025-03-01T00:00:00.000Z",
  "object_marking_refs":
   ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]}]}
JSON
"$T" -d uk import --tlp clear g.json >g1 2>&1
check "a refusal makes exit 3" test $? -eq 3
contains "the GREEN object is refused with the reason" g1 \
    "^refused	g.json	indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c77	--tlp clear cannot apply: the object is marked tlp green"
contains "and summarised" g1 "^file	g.json	created=0	.*refused=1	benign=0	reasons: --tlp clear cannot apply \(1\)$"

finish
