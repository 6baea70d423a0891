#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# json_check.py DOC SHAPE FILE: every line of FILE is a JSON object of the
# shape `### SHAPE` documented in DOC (docs/json.md): each key it has is
# in the shape's table with the type the table gives, and each key the
# table marks "always" is there. Exit 1 naming the first mismatch.
import json
import sys

TYPES = {"string": str, "integer": int, "boolean": bool, "array": list,
         "object": dict}


def shape(doc, name):
    rows, on = {}, False
    for line in open(doc, encoding="utf-8"):
        if line.startswith("### "):
            on = line[4:].strip() == name
            continue
        if on and line.startswith("## "):
            break
        if on and line.startswith("| `"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows[cells[0].strip("`")] = (cells[1], cells[2])
    if not rows:
        sys.exit("no shape %s in %s" % (name, doc))
    return rows


def type_ok(value, t):
    if value is None:
        return "or null" in t
    base = t.split(" or ")[0]
    want = TYPES.get(base)
    if want is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return want is not None and isinstance(value, want)


def main():
    doc, name, path = sys.argv[1:4]
    rows = shape(doc, name)
    n = 0
    for line in open(path, encoding="ascii"):
        if not line.strip():
            continue
        obj = json.loads(line)
        n += 1
        for k, v in obj.items():
            if k not in rows:
                sys.exit("%s: key %r not documented for %s" % (path, k, name))
            if not type_ok(v, rows[k][0]):
                sys.exit("%s: %s.%s is %r, documented %s" %
                         (path, name, k, v, rows[k][0]))
        for k, (t, present) in rows.items():
            if present == "always" and k not in obj:
                sys.exit("%s: %s lacks %r (always)" % (path, name, k))
    if n == 0:
        sys.exit("%s: no %s objects" % (path, name))
    print("%s: %d %s objects match docs" % (path, n, name))


main()
