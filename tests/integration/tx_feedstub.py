#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# tx_feedstub.py - a small TLS TAXII 2.1 feed for tests/integration/
# test_feed.sh: a discovery resource whose API root is relative, a
# collections list (one readable collection, one not), and the objects of
# the STIX files given, paged as medallion pages them: the same `next`
# token on every page, the server advancing its own offset behind it;
# X-TAXII-Date-Added-First/Last, added_after, and HTTP Basic when --user
# is given. Standard library only.
#
# tx_feedstub.py PORT CERT KEY [--page N] [--user U --password P |
#     --token T] FILE...
# (--page: the most objects a page holds, whatever the client asks.)
import base64
import json
import ssl
import sys
import threading
from http.server import HTTPServer, BaseHTTPRequestHandler
from urllib.parse import urlparse, parse_qs
from socketserver import ThreadingMixIn

MEDIA = "application/taxii+json;version=2.1"
COLL = "365fed99-08fa-4dcd-a1b3-fb247eb41d01"
HIDDEN = "472c94ae-3113-4e3e-a4dd-a9f4ac7471d4"
TOKEN = "repeated-next-token"

args = sys.argv[1:]
port, cert, key = int(args[0]), args[1], args[2]
args = args[3:]
user = password = None
page = 1000
if args[:1] == ["--page"]:
    page = int(args[1])
    args = args[2:]
token = None
if args[:1] == ["--user"]:
    user, password = args[1], args[3]
    args = args[4:]
elif args[:1] == ["--token"]:
    token = args[1]
    args = args[2:]
objects = []
for f in args:
    with open(f) as fh:
        d = json.load(fh)
    objects.extend(d.get("objects", [d]))
# date_added: one distinct millisecond per object, in file order.
BASE = 1700000000000


def ts(ms):
    import datetime
    t = datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)


def parse_ts(s):
    import datetime
    s = s.rstrip("Z")
    frac = 0
    if "." in s:
        s, f = s.split(".")
        frac = int((f + "000000")[:6])
    t = datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S").replace(
        tzinfo=datetime.timezone.utc)
    return int(t.timestamp()) * 1000 + frac // 1000


lock = threading.Lock()
offsets = {}
stats = {"objects_requests": 0}


class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def send(self, code, body, extra=None):
        b = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", MEDIA)
        self.send_header("Content-Length", str(len(b)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(b)

    def authorized(self):
        if token is not None:
            return self.headers.get("Authorization") == "Bearer " + token
        if user is None:
            return True
        want = "Basic " + base64.b64encode(
            (user + ":" + password).encode()).decode()
        return self.headers.get("Authorization") == want

    def do_GET(self):
        u = urlparse(self.path)
        q = parse_qs(u.query)
        if not self.authorized():
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="feed"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if u.path == "/taxii2/":
            return self.send(200, {"title": "stub feed", "default": "/api1/",
                                   "api_roots": ["/api1/"]})
        if u.path == "/api1/":
            return self.send(200, {"title": "api1", "versions": [MEDIA]})
        if u.path == "/api1/collections/":
            return self.send(200, {"collections": [
                {"id": HIDDEN, "title": "Write only", "can_read": False,
                 "can_write": True},
                {"id": COLL, "title": "Indicators", "can_read": True,
                 "can_write": False}]})
        if u.path == "/api1/collections/%s/objects/" % COLL:
            limit = min(int(q.get("limit", ["100"])[0]), page)
            after = q.get("added_after", [None])[0]
            nxt = q.get("next", [None])[0]
            with lock:
                stats["objects_requests"] += 1
                if nxt is not None:
                    if nxt not in offsets:
                        return self.send(400, {"title": "bad next"})
                    start = offsets[nxt]
                else:
                    start = 0
                    if after is not None:
                        a = parse_ts(after)
                        while (start < len(objects) and
                               BASE + start <= a):
                            start += 1
                end = min(start + limit, len(objects))
                more = end < len(objects)
                body = {"more": more, "objects": objects[start:end]}
                if more:
                    offsets[TOKEN] = end
                    body["next"] = TOKEN
            extra = {}
            if end > start:
                extra["X-TAXII-Date-Added-First"] = ts(BASE + start)
                extra["X-TAXII-Date-Added-Last"] = ts(BASE + end - 1)
            if end == start:
                body = {"more": False}
            return self.send(200, body, extra)
        self.send(404, {"title": "not found"})


class S(ThreadingMixIn, HTTPServer):
    daemon_threads = True


srv = S(("127.0.0.1", port), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()
