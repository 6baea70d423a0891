# SPDX-License-Identifier: Apache-2.0
"""mkfeeddata.py - the data of a third-party TAXII 2.1 feed for medallion's
memory backend (tests/integration/medallion_tls.py), as a vendor would
publish it: plain STIX 2.1, no signatures, some objects unmarked, some
with TLP markings.

Content: every object of the OASIS example bundles in
SHARED/conformance/stix-examples/ (and threat-reports/), then wallet and
domain indicators generated from SHARED/data (the FBI's Bybit addresses,
the DPRK IT-worker front-company domains) created by a vendor identity,
then --extra synthetic EVM wallet indicators (for the benchmark), each
indicator with its `based-on` SCO. Everything is deterministic (fixed
seed, fixed times).

Writes OUT (medallion's data: discovery, one API root "feed" with one
read-only collection titled --title, or --collections of them) and, with
--expect FILE, the served form of every valid object (one JSON object a
line, in date_added order), which is what a client must end up holding.
--bad FILE adds one invalid object in the middle (its id in FILE).

Run with /usr/bin/python3 (standard library only).
"""
import argparse
import csv
import datetime
import glob
import json
import os
import random
import uuid

COLLECTION_ID = "4b1ad5c1-7f8e-4c55-9a5d-3f1c0f9e2a61"
VENDOR = "identity--5b1b7d0e-0c1c-4a5e-9d53-2f5f0c3a7e11"
NS = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")  # RFC 4122 URL ns
SCO_NS = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")  # STIX 2.1
TLP = {
    "clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "green1": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
    "white1": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
}
T0 = "2025-03-01T10:00:00.000Z"


def jcs_name(props):
    """Name for a STIX 2.1 deterministic SCO id (JCS of the props)."""
    return json.dumps(props, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)


def sco(kind, prop, value):
    sid = "%s--%s" % (kind, uuid.uuid5(SCO_NS, jcs_name({prop: value})))
    return {"type": kind, "spec_version": "2.1", "id": sid, prop: value}


def vendor_identity():
    return {
        "type": "identity", "spec_version": "2.1", "id": VENDOR,
        "created": "2025-01-10T09:00:00.000Z",
        "modified": "2025-01-10T09:00:00.000Z",
        "name": "Example Threat Research Ltd",
        "identity_class": "organization",
    }


def indicator(key, pattern, name, marking, when, labels):
    """An indicator by the vendor; MARKING None leaves it unmarked."""
    ind = {
        "type": "indicator", "spec_version": "2.1",
        "id": "indicator--%s" % uuid.uuid5(NS, "mkfeeddata:" + key),
        "created_by_ref": VENDOR,
        "created": when, "modified": when,
        "name": name,
        "indicator_types": labels,
        "pattern": pattern, "pattern_type": "stix",
        "valid_from": when,
    }
    if marking:
        ind["object_marking_refs"] = [TLP[marking]]
    return ind


def based_on(ind, obs, when):
    return {
        "type": "relationship", "spec_version": "2.1",
        "id": "relationship--%s" % uuid.uuid5(NS, ind["id"] + obs["id"]),
        "created_by_ref": VENDOR, "created": when, "modified": when,
        "relationship_type": "based-on",
        "source_ref": ind["id"], "target_ref": obs["id"],
        **({"object_marking_refs": ind["object_marking_refs"]}
           if "object_marking_refs" in ind else {}),
    }


def wallet_objects(addr, key, marking, when):
    w = sco("cryptocurrency-wallet", "value", addr)
    i = indicator(key, "[cryptocurrency-wallet:value = '%s']" % addr,
                  "Wallet %s" % addr, marking, when, ["malicious-activity"])
    return [i, w, based_on(i, w, when)]


def domain_objects(dom, key, marking, when):
    d = sco("domain-name", "value", dom)
    i = indicator(key, "[domain-name:value = '%s']" % dom,
                  "Domain %s" % dom, marking, when, ["attribution"])
    return [i, d, based_on(i, d, when)]


def oasis_examples(shared):
    base = os.path.join(shared, "conformance", "stix-examples")
    out = []
    names = sorted(glob.glob(os.path.join(base, "*.json")) +
                   glob.glob(os.path.join(base, "threat-reports", "*.json")))
    for path in names:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        if doc.get("type") != "bundle":
            continue  # a lone object, not a bundle
        out.extend(doc.get("objects", []))
    return out


def generated(shared, extra, seed):
    objs = [vendor_identity()]
    marks = (None, "green", None, "clear", "green1", None, "white1")
    path = os.path.join(shared, "data", "bybit-hack-2025",
                        "fbi_psa250226_eth_addresses.csv")
    with open(path, encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f)):
            objs += wallet_objects(row["address_lower"], "fbi:" +
                                   row["address_lower"],
                                   marks[n % len(marks)],
                                   "2025-02-26T12:00:00.000Z")
    path = os.path.join(shared, "data", "dprk-network-iocs",
                        "it_worker_front_company_domains.csv")
    with open(path, encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f)):
            if row["indicator_type"] != "domain":
                continue
            objs += domain_objects(row["value"], "itw:" + row["value"],
                                   marks[n % len(marks)],
                                   "2025-01-08T12:00:00.000Z")
    rng = random.Random(seed)
    for n in range(extra):
        addr = "0x%040x" % rng.getrandbits(160)
        objs += wallet_objects(addr, "extra:%d" % n,
                               marks[n % len(marks)],
                               "2025-03-01T12:00:00.000Z")
    return objs


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--shared", required=True, help="the shared/ folder")
    p.add_argument("--out", required=True, help="medallion data file")
    p.add_argument("--expect", help="served objects, one a line")
    p.add_argument("--title", default="Vendor DPRK feed")
    p.add_argument("--extra", type=int, default=0,
                   help="synthetic wallet indicators (3 objects each)")
    p.add_argument("--total", type=int, default=0,
                   help="with --no-examples: stop at this many objects")
    p.add_argument("--no-examples", action="store_true",
                   help="leave the OASIS example bundles out")
    p.add_argument("--seed", type=int, default=10)
    p.add_argument("--bad", help="add one invalid indicator (a pattern "
                   "that does not parse), left out of --expect; its id "
                   "is written to this file")
    p.add_argument("--collections", type=int, default=1,
                   help="spread the objects over this many collections "
                   "(titled TITLE 1..K when K > 1)")
    a = p.parse_args()
    if a.extra < 0 or a.extra > 1000000 or a.total < 0 or \
            not 1 <= a.collections <= 1000:
        raise SystemExit("mkfeeddata: --extra 0..1000000, --total >= 0, "
                         "--collections 1..1000")

    objs = [] if a.no_examples else oasis_examples(a.shared)
    objs += generated(a.shared, a.extra, a.seed)
    if a.total:
        objs = objs[:a.total]
    bad = []
    if a.bad:
        # A vendor's mistake in a middle page: a pattern that does not
        # parse (the bracket is never closed).
        b = indicator("bad:1", "[domain-name:value = 'broken.example'",
                      "Broken pattern", None, "2025-02-01T12:00:00.000Z",
                      ["malicious-activity"])
        bad.append(b)
        objs.insert(len(objs) // 2, b)
    seen = {}
    t0 = datetime.datetime(2025, 6, 1, tzinfo=datetime.timezone.utc)
    manifest = []
    stored = []
    served = []
    n = 0
    for o in objs:
        ver = o.get("modified", o.get("created"))
        key = (o["id"], ver)
        if key in seen:
            if seen[key] != o:
                raise SystemExit("mkfeeddata: %s twice" % o["id"])
            continue  # the same object in two example bundles
        seen[key] = o
        added = (t0 + datetime.timedelta(milliseconds=n)).strftime(
            "%Y-%m-%dT%H:%M:%S.%fZ")
        if o not in bad:
            served.append(o)
        s = dict(o)
        if ver is None:
            # As medallion keeps a POSTed SCO: its version is date_added.
            ver = added
            s["_date_added"] = added
        stored.append(s)
        sv = "2.1" if ("created" not in o and "modified" not in o) \
            else o.get("spec_version", "2.0")
        n += 1
        manifest.append({"id": o["id"], "date_added": added,
                         "version": ver,
                         "media_type": "application/stix+json;version=" +
                         sv})
    k = a.collections
    per = (len(stored) + k - 1) // k if stored else 0
    colls = []
    for c in range(k):
        colls.append({
            "id": COLLECTION_ID if k == 1 else
            str(uuid.uuid5(NS, "mkfeeddata:collection:%d" % c)),
            "title": a.title if k == 1 else "%s %d" % (a.title, c + 1),
            "description": "wallets, domains and the OASIS examples",
            "can_read": True, "can_write": False,
            "media_types": ["application/stix+json;version=2.1"],
            "objects": stored[c * per:(c + 1) * per],
            "manifest": manifest[c * per:(c + 1) * per],
        })
    data = {
        "/discovery": {
            "title": "Example vendor TAXII server",
            "description": "medallion holding a vendor feed for tests",
            "contact": "noc@vendor.example",
            "default": "http://localhost:5000/feed/",
            "api_roots": ["http://localhost:5000/feed/"],
        },
        "feed": {
            "information": {
                "title": "Vendor feed",
                "description": "Third-party STIX 2.1",
                "versions": ["application/taxii+json;version=2.1"],
                "max_content_length": 9765625,
            },
            "status": [],
            "collections": colls,
        },
    }
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(data, f)
    if a.bad:
        with open(a.bad, "w", encoding="utf-8") as f:
            for o in bad:
                f.write(o["id"] + "\n")
    if a.expect:
        with open(a.expect, "w", encoding="utf-8") as f:
            for o in served:
                f.write(json.dumps(o, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
