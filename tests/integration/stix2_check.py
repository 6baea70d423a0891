#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# stix2_check.py IN OUT: DESIGN §5 "Objects this node authors are fixed
# points of the OASIS python-stix2 library's parse -> serialise", checked
# with python-stix2 3.0.2 itself (run with PYTHONPATH naming
# python-stix2-3.0.2 and pattern-validator-2.0.0 from $TX_SHARED_DIR/peers).
#
# The extension definitions threatex publishes (stix/extdefs.c) are
# registered the way the library documents: CustomObservable with
# extension_name for the two new-sco types, CustomExtension with the
# extension-definition id for the property extension and the
# toplevel-property-extension ("signatures"). Then every object of the
# bundle IN is parsed strictly (allow_custom=False) and serialised again;
# the re-serialised objects are written as a bundle to OUT (for `threatex
# verify`). Prints one line per failure and a last line
#   checked N parsed=N fixed=N defs=N
# (fixed: objects whose re-serialisation equals the input as JSON).
# Exit 0 only when every object parsed and is a fixed point.
import json
import sys

import stix2
from stix2.properties import (DictionaryProperty, ListProperty,
                              ReferenceProperty, StringProperty)
from stix2.v21 import CustomExtension, CustomObservable

SIG_EXT = "extension-definition--e4509b2b-5d52-4a3f-a8b6-31b6618081d2"
WALLET_EXT = "extension-definition--2c484954-c7cb-4279-91ef-f82da1d239ad"
PERSONA_EXT = "extension-definition--165c66e7-b48c-4002-8c79-fe66c2468fa7"
PROP_EXT = "extension-definition--45158511-1ccc-4124-8d18-b2ec386b001e"


@CustomObservable("cryptocurrency-wallet", [
    ("value", StringProperty(required=True)),
    ("chain", StringProperty()),
], ["value"], WALLET_EXT)
class CryptocurrencyWallet:
    pass


@CustomObservable("persona", [
    ("persona_name", StringProperty(required=True)),
    ("persona_type", StringProperty(required=True)),
], ["persona_name", "persona_type"], PERSONA_EXT)
class Persona:
    pass


@CustomExtension(PROP_EXT, [
    ("recipients", ListProperty(ReferenceProperty(valid_types="identity",
                                                  spec_version="2.1"))),
    ("display", StringProperty()),
])
class ThreatexProperties:
    extension_type = "property-extension"


@CustomExtension(SIG_EXT, [
    ("signatures", ListProperty(DictionaryProperty(spec_version="2.1"))),
])
class ThreatexSignatures:
    extension_type = "toplevel-property-extension"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: stix2_check.py IN OUT")
    with open(sys.argv[1], encoding="utf-8") as f:
        bundle = json.load(f)
    out, parsed, fixed, defs, bad = [], 0, 0, 0, 0
    objs = bundle.get("objects", [])
    for o in objs:
        oid = o.get("id", "?")
        try:
            p = stix2.parse(json.dumps(o), allow_custom=False)
        except Exception as e:  # the library raises many kinds
            bad += 1
            print("parse-failed\t%s\t%s" % (oid, str(e).replace("\n", " ")))
            out.append(o)
            continue
        parsed += 1
        if o.get("type") == "extension-definition":
            defs += 1
        s = json.loads(p.serialize())
        if s == o:
            fixed += 1
        else:
            bad += 1
            added = sorted(k for k in s if k not in o)
            dropped = sorted(k for k in o if k not in s)
            changed = sorted(k for k in o if k in s and o[k] != s[k])
            print("not-fixed\t%s\tadded=%s dropped=%s changed=%s" %
                  (oid, ",".join(added), ",".join(dropped),
                   ",".join(changed)))
        out.append(s)
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump({"type": "bundle", "id": bundle.get("id"),
                   "objects": out}, f)
    print("checked %d parsed=%d fixed=%d defs=%d" %
          (len(objs), parsed, fixed, defs))
    return 1 if bad or not objs else 0


if __name__ == "__main__":
    sys.exit(main())
