# SPDX-License-Identifier: Apache-2.0
"""feedpull_client.py - the baseline of `bench/run feedpull`: the OASIS
taxii2client 2.3.0 pulling every collection of a TAXII 2.1 server (HTTP
Basic, a CA file) the way its documentation shows: discovery, API roots,
collections, then as_pages(get_objects) following `next` to the end. It
keeps the objects (parsed JSON) in memory, counts them, and prints one
JSON line {"objects", "seconds"}.

Run with /usr/bin/python3, PYTHONPATH naming the taxii2client folder, and
REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE unset (they override verify=).
"""
import argparse
import json
import time

from taxii2client.v21 import Server, as_pages


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("url", help="discovery URL (https://host:port/taxii2/)")
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--ca", required=True, help="CA file for the server")
    p.add_argument("--limit", type=int, default=100, help="page size asked")
    p.add_argument("--title-prefix", default="",
                   help="only collections whose title starts with this")
    a = p.parse_args()

    t0 = time.monotonic()
    server = Server(a.url, user=a.user, password=a.password, verify=a.ca)
    held = []
    for root in server.api_roots:
        for coll in root.collections:
            if not coll.title.startswith(a.title_prefix) or \
                    not coll.can_read:
                continue
            for env in as_pages(coll.get_objects, per_request=a.limit):
                held.extend(env.get("objects", []))
    secs = time.monotonic() - t0
    print(json.dumps({"objects": len(held), "seconds": round(secs, 3)}))


if __name__ == "__main__":
    main()
