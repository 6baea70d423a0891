#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Issue 10, "Third-party content is attested, never altered" (DESIGN
# §4.4, §7), with real nodes over mutual TLS: every object of the OASIS
# example bundles (shared/conformance/stix-examples and threat-reports)
# imported into uk-ncsc is pulled by us-cert, and the copy us-cert holds
# hashes, without its signatures, to the same JCS as the object in the
# file (attest_check.py, `threatex canon`); the one example whose
# markings name marking definitions nobody defines is refused, with the
# reason. An unmarked third-party object imported with --tlp green is
# served to a GREEN-only peer, unmarked; one imported without --tlp is
# AMBER and is not.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

ex=$TX_SHARED_DIR/conformance/stix-examples
files="$ex/indicator-for-c2-ip-address.json
$ex/indicator-to-campaign-relationship.json
$ex/indicators-for-C2-with-COA.json
$ex/infrastructure.json
$ex/interop-objectmarking-test.json
$ex/malicious-email-indicator-with-attachment.json
$ex/threat-reports/apt1.json
$ex/threat-reports/poisonivy.json"
src=${TX_TESTS_DIR:-$(dirname "$0")/..}/..
sigext=$(sed -n '/define TX_SIG_EXT_ID/{n;s/.*"\(extension-definition--[0-9a-f-]*\)".*/\1/p}' \
    "$src/crypto/batch.h")
check "the signatures extension id is known" test -n "$sigext"

pa=$(free_port); pb=$(free_port); pc=$(free_port)
mknode a uk-ncsc $pa
mknode b us-cert $pb
mknode c green-only $pc
pin a b --max-tlp amber
pin a c --max-tlp green
pin b a
pin c a

# shellcheck disable=SC2086
"$T" -d a import $files >imp.out 2>&1
check "import of the OASIS examples ends with exit 3 (one refused)" test $? -eq 3
contains "the interop example is refused for its unknown markings" imp.out \
    "^refused	.*campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061	unknown marking"
n_ref=$(grep -c '^refused	' imp.out)
check "exactly one object refused ($n_ref)" test "$n_ref" -eq 1

# Unmarked third-party indicators: one with --tlp green, one without.
vendor=identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c04
ind() {
	printf '{"type":"indicator","spec_version":"2.1","id":"%s","created":"2025-03-01T00:00:00.000Z","modified":"2025-03-01T00:00:00.000Z","created_by_ref":"%s","pattern":"[domain-name:value = '"'"'%s'"'"']","pattern_type":"stix","valid_from":"2025-03-01T00:00:00.000Z"}\n' "$1" "$vendor" "$2"
}
gid=indicator--2b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c01
aid=indicator--2b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c02
ind $gid green-policy.example >green.json
ind $aid amber-policy.example >amber.json
"$T" -d a import --tlp green green.json >impg.out 2>&1
check "import --tlp green of an unmarked vendor indicator" test $? -eq 0
"$T" -d a import amber.json >impa.out 2>&1
check "import of an unmarked vendor indicator without --tlp" test $? -eq 0

serve a a.log
check "uk-ncsc serves" wait_port $pa
timeout 300 "$T" -d b sync >syncb.out 2>&1
check "us-cert pulls from uk-ncsc" test $? -eq 0
contains "us-cert refused nothing" syncb.out "^synced	uk-ncsc	.* refused=0"
timeout 300 "$T" -d c sync >syncc.out 2>&1
check "the GREEN-only peer pulls from uk-ncsc" test $? -eq 0

"$T" -d b export --format stix --max-tlp amber >b.json 2>b.err
check "us-cert exports what it holds" test $? -eq 0
# shellcheck disable=SC2086
python3 "$src/tests/integration/attest_check.py" "$T" "$sigext" b.json \
    $files >cmp.out
check "the comparison ran" test $? -eq 0
sed -n '$p' cmp.out
contains "every example object but the refused one is at us-cert, identical" \
    cmp.out "^total 259 same 258 altered 0 missing 1$"
contains "the missing one is the refused interop campaign" cmp.out \
    "^missing campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061$"
lacks "no object altered" cmp.out "^altered "
# The copies at us-cert are attested by uk-ncsc.
python3 - "$(grep -o '"identity--[0-9a-f-]*"' a.json | head -1 | tr -d '"')" \
    b.json >attesters.out <<'PY'
import json, sys
me, doc = sys.argv[1], json.load(open(sys.argv[2]))
for o in doc["objects"]:
    s = o.get("signatures") or []
    if o.get("id", "").startswith(("indicator--", "malware--", "relationship--")):
        print("signer", ",".join(e.get("signer", "") for e in s) == me)
PY
lacks "every copy at us-cert is signed by uk-ncsc alone" attesters.out "False"
contains "copies at us-cert checked for their attester" attesters.out "signer True"

"$T" -d c export --format stix --max-tlp red >c.json 2>c.err
python3 - c.json $gid $aid >c.out <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
by = {o["id"]: o for o in doc["objects"]}
g = by.get(sys.argv[2])
print("green", "held" if g else "absent",
      "marked" if g and ("object_marking_refs" in g or
                         "granular_markings" in g) else "unmarked")
print("amber", "held" if sys.argv[3] in by else "absent")
print("examples", sum(1 for i in by if i.startswith("indicator--") and
                      not i.startswith("indicator--2b6a3c3e")))
PY
contains "the --tlp green indicator reached the GREEN-only peer, unmarked" \
    c.out "^green held unmarked$"
contains "the indicator imported without --tlp (AMBER) did not" c.out \
    "^amber absent$"
contains "nor did the AMBER examples" c.out "^examples 0$"

finish
