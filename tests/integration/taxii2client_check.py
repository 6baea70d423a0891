# SPDX-License-Identifier: Apache-2.0
"""taxii2client_check.py - drive a threatex node with the OASIS client.

The real taxii2client 2.3.0 (v21) speaks to a node as one caller and
prints what it saw as tab-separated facts, one per line, for
tests/integration/test_taxii2client.sh to assert on (and for
bench/bench_taxiiserve.sh to time). Nothing here judges the node: a
client error is printed as `error<TAB>STEP<TAB>TYPE: MESSAGE` and the
script goes on with the next step, so one run reports every step.

usage: taxii2client_check.py URL CA AUTH STEP...
  URL   the discovery URL (https://127.0.0.1:PORT/taxii2/)
  CA    the CA file that verifies the server (its self-signed cert)
  AUTH  cert:CRT:KEY | basic:USER (password on stdin, one line)
  STEP  read | pages:N | manifest:N | object:ID | push:ENVELOPE
"""
import json
import sys
import time

from taxii2client.v21 import Server, as_pages


def say(*fields):
    print("\t".join(str(f) for f in fields), flush=True)


def collection(server, title):
    for root in server.api_roots:
        for c in root.collections:
            if c.title == title:
                return root, c
    return None, None


def walk(func, size):
    """Every page of func at `size`; (pages, [(id, version)], seconds)."""
    seen = []
    pages = 0
    t0 = time.monotonic()
    for env in as_pages(func, per_request=size):
        pages += 1
        for o in env.get("objects", []):
            seen.append((o.get("id"), o.get("modified") or
                         o.get("version") or o.get("created") or ""))
        if pages > 100000:
            break
    return pages, seen, time.monotonic() - t0


def pages_step(coll, size, what):
    func = coll.get_manifest if what == "manifest" else coll.get_objects
    pages, seen, secs = walk(func, size)
    uniq = len(set(seen))
    say(what, "size=%d" % size, "pages=%d" % pages, "items=%d" % len(seen),
        "unique=%d" % uniq, "dup=%d" % (len(seen) - uniq),
        "seconds=%.3f" % secs)
    return seen


def read_step(server, api, shared, inbox):
    say("discovery", "title=%s" % server.title,
        "api_roots=%d" % len(server.api_roots),
        "default=%s" % (server.default.url if server.default else ""))
    say("api_root", "versions=%s" % ",".join(api.versions),
        "max_content_length=%d" % api.max_content_length)
    say("collections", "count=%d" % len(api.collections),
        "shared_read=%s" % shared.can_read,
        "shared_write=%s" % shared.can_write,
        "inbox_write=%s" % (inbox.can_write if inbox else None))


def object_step(shared, oid):
    env = shared.get_object(oid)
    objs = env.get("objects", [])
    say("object", oid, "count=%d" % len(objs),
        "same_id=%s" % all(o.get("id") == oid for o in objs))
    ver = shared.object_versions(oid)
    vs = ver.get("versions", [])
    say("versions", oid, "count=%d" % len(vs), "more=%s" % ver.get("more"))


def push_step(inbox, path):
    with open(path, "rb") as f:
        data = f.read()
    sent = len(json.loads(data).get("objects", []))
    st = inbox.add_objects(data, wait_for_completion=True, poll_interval=1,
                           timeout=120)
    say("push", "sent=%d" % sent, "status=%s" % st.status,
        "total=%s" % st.total_count, "success=%s" % st.success_count,
        "failure=%s" % st.failure_count, "pending=%s" % st.pending_count,
        "entries=%d" % (len(st.successes) + len(st.failures) +
                        len(st.pendings)),
        "entries_with_version=%d" % sum(
            1 for e in st.successes + st.failures + st.pendings
            if "id" in e and e.get("version")))
    say("status_id", st.id)


def main():
    if len(sys.argv) < 5:
        sys.stderr.write(__doc__)
        return 2
    url, ca, auth = sys.argv[1:4]
    kw = {"verify": ca}
    if auth.startswith("cert:"):
        _, crt, key = auth.split(":", 2)
        kw["cert"] = (crt, key)
    elif auth.startswith("basic:"):
        kw["user"] = auth[len("basic:"):]
        kw["password"] = sys.stdin.readline().strip()
    else:
        sys.stderr.write("unknown AUTH %r\n" % auth)
        return 2
    try:
        server = Server(url, **kw)
        api, shared = collection(server, "shared")
        _, inbox = collection(server, "inbox")
    except Exception as e:  # discovery itself failed
        say("error", "discovery", "%s: %s" % (type(e).__name__, e))
        return 1
    if shared is None:
        say("error", "discovery", "no shared collection")
        return 1
    fails = 0
    for step in sys.argv[4:]:
        name, _, arg = step.partition(":")
        try:
            if name == "read":
                read_step(server, api, shared, inbox)
            elif name == "pages":
                pages_step(shared, int(arg), "objects")
            elif name == "manifest":
                pages_step(shared, int(arg), "manifest")
            elif name == "object":
                object_step(shared, arg)
            elif name == "push":
                push_step(inbox, arg)
            else:
                raise ValueError("unknown step")
        except Exception as e:  # reported, then the next step
            fails += 1
            say("error", step, "%s: %s" % (type(e).__name__, e))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
