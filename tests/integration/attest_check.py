#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# attest_check.py THREATEX SIGEXT EXPORT FILE...: issue 10, "the bytes
# served onward hash to the same JCS as the bytes received". For every
# object of the STIX files FILE... (a bundle or one object), find the
# object with its id in the bundle EXPORT (what a node holds or served),
# take off `signatures` and threatex's own extensions entry SIGEXT (and
# `extensions` when that leaves it empty: DESIGN 4.1), and compare the
# RFC 8785 bytes that `THREATEX canon` gives for both (for all objects
# in one array first, object by object when that differs). One line per
# object: "same ID", "altered ID" or "missing ID"; then "total N same S
# altered A missing M". Exit 0 whatever the counts (the caller asserts).
import json
import subprocess
import sys


def canon(threatex, obj):
    text = json.dumps(obj, ensure_ascii=False).encode("utf-8")
    r = subprocess.run([threatex, "canon", "-"], input=text,
                       capture_output=True, check=False, timeout=60)
    if r.returncode != 0:
        sys.exit("canon failed: %r" % r.stdout[:200])
    return r.stdout


def objects(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if doc.get("type") == "bundle":
        return doc.get("objects", [])
    return [doc]


def strip(h, sigext):
    h = dict(h)
    h.pop("signatures", None)
    ext = dict(h.get("extensions", {}))
    ext.pop(sigext, None)
    if ext:
        h["extensions"] = ext
    else:
        h.pop("extensions", None)
    return h


def main():
    threatex, sigext, export = sys.argv[1:4]
    held = {}
    for o in objects(export):
        held.setdefault(o.get("id"), []).append(o)
    originals, seen = [], set()
    for path in sys.argv[4:]:
        for o in objects(path):
            if o["id"] not in seen:
                seen.add(o["id"])
                originals.append(o)
    # One canon call for all (the usual case: one copy each, all equal),
    # object by object only when that differs.
    present = [o for o in originals if len(held.get(o["id"], [])) == 1]
    fast = canon(threatex, present) == canon(
        threatex, [strip(held[o["id"]][0], sigext) for o in present])
    total = same = altered = missing = 0
    for o in originals:
        total += 1
        if o["id"] not in held:
            missing += 1
            print("missing %s" % o["id"])
            continue
        if fast and len(held[o["id"]]) == 1:
            ok = True
        else:
            want = canon(threatex, o)
            ok = any(canon(threatex, strip(h, sigext)) == want
                     for h in held[o["id"]])
        if ok:
            same += 1
            print("same %s" % o["id"])
        else:
            altered += 1
            print("altered %s" % o["id"])
    print("total %d same %d altered %d missing %d" %
          (total, same, altered, missing))


main()
