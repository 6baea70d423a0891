#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# console_check.py: drives headless Chromium through chromedriver with
# the W3C WebDriver HTTP protocol (python's standard library only) over
# the web console of a real node, and checks each page's DOM and a
# screenshot (a valid PNG of plausible size, not one flat colour).
#
#   console_check.py check --driver-port P --url https://HOST:PORT/
#       --login URL#login=T --pin BASE64_SPKI_SHA256 --out DIR --wallet W
#       --alias A --actor NAME --peer-down NAME --new-domain D ...
#       (chromedriver listens on 127.0.0.1:P; what each option names is
#       what the page checks expect: see test_console.sh)
#
# Prints TAP-like "ok - ..." / "not ok - ..." lines and a count; exits 1
# when a check failed, 2 when the browser could not be driven. Every
# wait is bounded.
import argparse
import base64
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib

ELEM = "element-6066-11e4-a52e-4f735466cecc"
PASSED = 0
FAILED = 0


def ok(desc, cond, more=""):
    global PASSED, FAILED
    if cond:
        PASSED += 1
        print("ok - " + desc, flush=True)
    else:
        FAILED += 1
        print("not ok - " + desc + (" (" + more + ")" if more else ""),
              flush=True)
    return cond


class WebDriverError(Exception):
    pass


class Driver:
    """A minimal W3C WebDriver client over urllib."""

    def __init__(self, port):
        self.base = "http://127.0.0.1:%d" % port
        self.sid = None

    def call(self, method, path, body=None, timeout=60):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data,
                                     method=method)
        req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                out = json.loads(r.read().decode() or "{}")
        except urllib.error.HTTPError as e:
            try:
                out = json.loads(e.read().decode())
            except ValueError:
                out = {"value": {"error": "http %d" % e.code}}
            v = out.get("value") or {}
            raise WebDriverError("%s %s: %s: %s" % (
                method, path, v.get("error"),
                str(v.get("message", ""))[:300]))
        return out.get("value")

    def s(self, method, path, body=None, timeout=60):
        return self.call(method, "/session/%s%s" % (self.sid, path), body,
                         timeout)

    def start(self, args):
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "acceptInsecureCerts": False,
            "pageLoadStrategy": "normal",
            "timeouts": {"script": 20000, "pageLoad": 30000,
                         "implicit": 0},
            "goog:chromeOptions": {"binary": "/usr/bin/chromium",
                                   "args": args}}}}
        v = self.call("POST", "/session", caps, timeout=90)
        self.sid = v["sessionId"]

    def quit(self):
        if self.sid:
            try:
                self.call("DELETE", "/session/" + self.sid, timeout=20)
            except (WebDriverError, OSError):
                pass
            self.sid = None

    def go(self, url):
        self.s("POST", "/url", {"url": url})

    def js(self, script, *args):
        return self.s("POST", "/execute/sync",
                      {"script": script, "args": list(args)})

    def find(self, css):
        v = self.s("POST", "/element", {"using": "css selector",
                                         "value": css})
        return v[ELEM] if ELEM in v else list(v.values())[0]

    def click(self, css):
        self.s("POST", "/element/%s/click" % self.find(css), {})

    def type(self, css, text):
        e = self.find(css)
        self.s("POST", "/element/%s/clear" % e, {})
        self.s("POST", "/element/%s/value" % e, {"text": text})

    def keys_active(self, text):
        # an SVG element may come back under another key
        e = list(self.s("GET", "/element/active").values())[0]
        self.s("POST", "/element/%s/value" % e, {"text": text})

    def accept_alert(self, wait=10):
        end = time.time() + wait
        while time.time() < end:
            try:
                self.s("POST", "/alert/accept", {})
                return True
            except WebDriverError:
                time.sleep(0.1)
        return False

    def screenshot(self, path):
        png = base64.b64decode(self.s("GET", "/screenshot"))
        with open(path, "wb") as f:
            f.write(png)
        return png

    def wait(self, script, timeout=20, *args):
        """Polls a JS predicate until truthy (bounded); its last value."""
        end = time.time() + timeout
        v = None
        while time.time() < end:
            try:
                v = self.js(script, *args)
            except WebDriverError:
                v = None
            if v:
                return v
            time.sleep(0.15)
        return v


def png_check(data):
    """(ok, reason): a PNG of plausible size, not a single colour."""
    if len(data) < 2000 or data[:8] != b"\x89PNG\r\n\x1a\n":
        return False, "not a PNG or too small (%d bytes)" % len(data)
    pos, idat, w = 8, b"", 0
    h = bpp = 0
    for _ in range(100000):
        if pos + 8 > len(data):
            return False, "truncated"
        n, t = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if t == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            if depth != 8 or ctype not in (2, 6):
                return False, "unexpected PNG format %d/%d" % (depth, ctype)
            bpp = 3 if ctype == 2 else 4
        elif t == b"IDAT":
            idat += body
        elif t == b"IEND":
            break
        pos += 12 + n
    if not (400 <= w <= 5000 and 300 <= h <= 20000):
        return False, "implausible size %dx%d" % (w, h)
    raw = zlib.decompress(idat)
    stride = w * bpp
    if len(raw) != h * (stride + 1):
        return False, "bad image data length"
    prev = bytearray(stride)
    colours = set()
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
        if y % 7 == 0 and len(colours) < 64:
            for x in range(0, stride, bpp * 13):
                colours.add(bytes(line[x:x + 3]))
        prev = line
    if len(colours) < 3:
        return False, "only %d colours" % len(colours)
    return True, "%dx%d, %d+ colours" % (w, h, len(colours))


def shot(d, out, name):
    path = os.path.join(out, name + ".png")
    try:
        good, why = png_check(d.screenshot(path))
    except (WebDriverError, OSError, zlib.error) as e:
        good, why = False, str(e)
    ok("screenshot %s.png is a plausible PNG (%s)" % (name, why), good, why)


READY = ("var v=document.getElementById('view');"
         "return v && v.getAttribute('data-page')===arguments[0] && "
         "v.getAttribute('data-state')!=='loading' ? "
         "v.getAttribute('data-state') : null;")


def load(d, base, route, page):
    d.go(base + route)
    st = d.wait(READY, 20, page)
    ok("%s: the %s page is drawn (state %s)" % (route, page, st),
       st == "ready", "state %r" % st)
    return st == "ready"


def text_of(d, css):
    return d.js("var e=document.querySelector(arguments[0]);"
                "return e ? e.textContent : null;", css)


def check(a):
    port = a.driver_port
    prof = tempfile.mkdtemp(prefix="chrome-", dir=a.out)
    drv = subprocess.Popen(["/usr/bin/chromedriver", "--port=%d" % port,
                            "--allowed-ips=127.0.0.1"],
                           stdout=open(os.path.join(a.out, "chromedriver.log"),
                                       "w"), stderr=subprocess.STDOUT)
    with open(os.path.join(a.out, "chromedriver.pid"), "w") as f:
        f.write("%d\n" % drv.pid)
    d = Driver(port)
    try:
        end = time.time() + 20
        while time.time() < end:
            try:
                if (d.call("GET", "/status", timeout=5) or {}).get("ready"):
                    break
            except (OSError, WebDriverError):
                pass
            time.sleep(0.1)
        d.start(["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-quic", "--no-first-run",
                 "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--user-data-dir=" + prof,
                 "--window-size=1280,1000",
                 "--ignore-certificate-errors-spki-list=" + a.pin])
        run_pages(d, a)
    except (WebDriverError, OSError, KeyError, TypeError) as e:
        ok("the browser is driven to the end", False, str(e))
        return 2
    finally:
        d.quit()
        drv.terminate()
        try:
            drv.wait(10)
        except subprocess.TimeoutExpired:
            drv.kill()
        shutil.rmtree(prof, ignore_errors=True)
    print("%d passed, %d failed" % (PASSED, FAILED))
    return 1 if FAILED else 0


def run_pages(d, a):
    base = a.url.rstrip("/") + "/"
    out = a.out

    # Without credentials: the login form, and the API says 401.
    d.go(base)
    st = d.wait(READY, 20, "login")
    ok("without credentials the console shows its login form",
       st == "ready" and d.js("return !!document.getElementById"
                               "('password');"), "state %r" % st)
    shot(d, out, "login")

    # The one-time link logs in and leaves the address bar.
    d.go(a.login)
    st = d.wait(READY, 20, "lookup")
    ok("the #login= link logs in (lookup page)", st == "ready",
       "state %r" % st)
    h = d.js("return location.href;")
    ok("the token is removed from the address bar", "login=" not in h, h)
    who = text_of(d, "#who") or ""
    ok("the operator is named in the header", who.startswith("operator "),
       who)

    # Lookup of a Bybit wallet (mixed case).
    if load(d, base, "#/lookup?q=" + urllib.parse.quote(a.wallet),
            "lookup"):
        v = d.js("return document.getElementById('verdict')"
                 ".getAttribute('data-verdict');")
        ok("the wallet is known", v == "known", v)
        origins = d.js("return Array.from(document.querySelectorAll("
                       "'#hits dd.origin')).map(e=>e.textContent);")
        ok("its origin is shown (%s)" % a.origin, a.origin in origins,
           repr(origins))
        tlps = d.js("return Array.from(document.querySelectorAll("
                    "'#hits .tlp')).map(e=>e.getAttribute('data-tlp'));")
        ok("its TLP badge says %s" % a.tlp, a.tlp in tlps, repr(tlps))
        col = d.js("var e=document.querySelector('#hits .tlp-' + "
                   "arguments[0]); return e ? getComputedStyle(e).color"
                   " : null;", a.tlp)
        want = {"green": "rgb(51, 255, 0)", "amber": "rgb(255, 192, 0)",
                "red": "rgb(255, 43, 43)", "clear": "rgb(255, 255, 255)"}
        ok("in the TLP 2.0 colour", col == want.get(a.tlp), repr(col))
        cor = d.js("return Array.from(document.querySelectorAll("
                   "'#hits dd.corroboration')).map(e=>e.textContent)"
                   ".join('|');")
        ok("its corroboration shows the sightings",
           "sighting" in cor and a.sighter in cor, cor)
        if a.countersigner:
            ok("and the counter-signature", "counter-signed by " +
               a.countersigner in cor, cor)
        sig = d.js("return Array.from(document.querySelectorAll("
                   "'#hits table.verdicts td.ok')).length;")
        ok("its signatures are shown verified", sig and sig > 0, repr(sig))
        act = text_of(d, "#actors") or ""
        ok("its actor %s is listed" % a.actor, a.actor in act, act[:200])
        shot(d, out, "lookup")

    # An unknown value says so (typed into the box, Enter).
    if load(d, base, "#/lookup", "lookup"):
        d.type("#q", a.unknown + "\ue007")
        st = d.wait("var v=document.getElementById('view');"
                    "return location.hash.indexOf('q=')>0 && "
                    "v.getAttribute('data-state')==='ready' && "
                    "document.getElementById('verdict') ? 1 : null;", 20)
        ok("a value typed into the lookup box and Enter looks it up",
           st == 1, repr(d.js("return location.hash;")))
        v = d.js("return document.getElementById('verdict')"
                 ".getAttribute('data-verdict');")
        t = text_of(d, "#verdict") or ""
        ok("an unknown value is shown UNKNOWN", v == "unknown" and
           "UNKNOWN" in t, "%r %r" % (v, t))

    # The graph of a Lazarus alias.
    if load(d, base, "#/graph?q=" + urllib.parse.quote(a.alias) +
            "&depth=2", "graph"):
        g = d.js("""
            var n = Array.from(document.querySelectorAll('svg.graph g.node'))
              .map(e => ({id: e.getAttribute('data-id'),
                kind: e.getAttribute('data-kind'),
                label: e.getAttribute('data-label')}));
            var l = Array.from(document.querySelectorAll('svg.graph line'))
              .map(e => [e.getAttribute('data-source'),
                e.getAttribute('data-target')]);
            return {nodes: n, edges: l};""")
        nodes, edges = g["nodes"], g["edges"]
        al = [n["id"] for n in nodes if n["kind"] == "alias" and
              n["label"].lower() == a.alias.lower()]
        ac = [n["id"] for n in nodes if n["kind"] == "actor" and
              n["label"] == a.actor]
        wl = [n["id"] for n in nodes if n["kind"] == "wallet"]
        ok("the graph has a node for the alias %s" % a.alias, al,
           repr(nodes[:10]))
        ok("a node for the actor %s" % a.actor, ac, repr(nodes[:10]))
        ok("and at least one wallet (%d)" % len(wl), wl)
        adj = {}
        for s, t in edges:
            adj.setdefault(s, set()).add(t)
            adj.setdefault(t, set()).add(s)
        kind = {n["id"]: n["kind"] for n in nodes}

        def linked(x, ys):
            # directly, or through one indicator (the STIX shape)
            for y in ys:
                if y in adj.get(x, ()):
                    return True
                for m in adj.get(x, ()):
                    if kind.get(m) == "indicator" and y in adj.get(m, ()):
                        return True
            return False
        ok("an edge path links the alias to the actor",
           any(linked(x, ac) for x in al))
        ok("and the actor to a wallet", any(linked(x, wl) for x in ac))
        shot(d, out, "graph")
        # a node is a link: focus the actor and press Enter
        if ac:
            d.js("document.querySelector('svg.graph g.node[data-id=\"' + "
                 "arguments[0] + '\"]').focus();", ac[0])
            d.keys_active("\ue007")
            st = d.wait(READY, 20, "lookup")
            q = d.js("return location.hash;")
            ok("Enter on the actor node looks it up",
               st == "ready" and "lookup" in q, q)

    # Federation status with one peer down.
    if load(d, base, "#/status", "status"):
        row = d.js("var r=document.querySelector('#peers tr[data-peer=\"'"
                   "+arguments[0]+'\"]'); return r ? [r.getAttribute("
                   "'data-state'), r.textContent] : null;", a.peer_down)
        ok("the stopped peer %s is shown down" % a.peer_down,
           row and row[0] == "down" and "DOWN" in row[1], repr(row))
        bg = d.js("var r=document.querySelector('#peers tr.peer-down td');"
                  "return r ? getComputedStyle(r).backgroundColor : null;")
        ok("its row is marked (red background)", bg == "rgb(253, 226, 225)",
           repr(bg))
        if a.peer_up:
            row = d.js("var r=document.querySelector('#peers tr[data-peer="
                       "\"'+arguments[0]+'\"]'); return r ? r.getAttribute("
                       "'data-state') : null;", a.peer_up)
            ok("the live peer %s is shown up" % a.peer_up, row == "up",
               repr(row))
        for tid, name, tlp in (("feeds", a.feed, None),
                               ("clients", a.client, a.client_tlp)):
            if not name:
                continue
            row = d.js("var r=document.querySelector('#' + arguments[0] + "
                       "' tr[data-name=\"' + arguments[1] + '\"]'); "
                       "if (!r) return null; var b=r.querySelector('.tlp');"
                       "return [r.textContent, b ? b.getAttribute("
                       "'data-tlp') : null];", tid, name)
            ok("the %s table lists %s" % (tid, name), row is not None and
               (tlp is None or row[1] == tlp), repr(row))
        shot(d, out, "status")

    # The audit log and its verification.
    if load(d, base, "#/audit", "audit"):
        v = d.js("var e=document.getElementById('audit-state');"
                 "return e ? [e.getAttribute('data-verified'),"
                 "e.textContent] : null;")
        ok("the audit page says verified", v and v[0] == "true" and
           "verified" in v[1], repr(v))
        n = d.js("return document.querySelectorAll('#audit tbody tr')"
                 ".length;")
        ok("and lists entries (%s)" % n, n and n > 0)
        shot(d, out, "audit")

    # Add an indicator through the form, look it up, revoke it.
    if load(d, base, "#/indicator", "indicator"):
        d.js("document.getElementById('add-kind').value='domain';"
             "document.getElementById('add-tlp').value='green';")
        d.type("#add-value", a.new_domain)
        d.type("#add-confidence", "65")
        d.click("#add-form button[type=submit]")
        st = d.wait("var e=document.getElementById('add-result');"
                    "var s=e && e.getAttribute('data-state');"
                    "return s && s!=='loading' ? s : null;", 20)
        ok("the add form succeeds", st == "done",
           "%r %r" % (st, text_of(d, "#add-result")))
        shot(d, out, "indicator")
    if load(d, base, "#/lookup?q=" + urllib.parse.quote(a.new_domain),
            "lookup"):
        v = d.js("return document.getElementById('verdict')"
                 ".getAttribute('data-verdict');")
        tl = d.js("return Array.from(document.querySelectorAll("
                  "'#hits .hit[data-type=indicator] .tlp')).map("
                  "e=>e.getAttribute('data-tlp'));")
        cf = d.js("return Array.from(document.querySelectorAll("
                  "'#hits .hit[data-type=indicator] dd')).map("
                  "e=>e.textContent);")
        ok("the added domain is known", v == "known", v)
        ok("as a green indicator with confidence 65",
           tl == ["green"] and "65" in cf, "%r %r" % (tl, cf[:8]))
    if load(d, base, "#/indicator?q=" + urllib.parse.quote(a.new_domain),
            "indicator"):
        d.type("#update-confidence", "75")
        d.click("#update-form button[type=submit]")
        st = d.wait("var e=document.getElementById('update-result');"
                    "var s=e && e.getAttribute('data-state');"
                    "return s && s!=='loading' ? s : null;", 20)
        ok("the update form succeeds", st == "done",
           "%r %r" % (st, text_of(d, "#update-result")))
    if load(d, base, "#/lookup?q=" + urllib.parse.quote(a.new_domain),
            "lookup"):
        cf = d.js("return Array.from(document.querySelectorAll("
                  "'#hits .hit[data-type=indicator] dd')).map("
                  "e=>e.textContent);")
        ok("the lookup shows the updated confidence 75", "75" in cf,
           repr(cf[:8]))
    if load(d, base, "#/indicator?q=" + urllib.parse.quote(a.new_domain),
            "indicator"):
        d.type("#revoke-reason", "console test")
        d.click("#revoke-form button[type=submit]")
        ok("revoking asks for confirmation", d.accept_alert())
        st = d.wait("var e=document.getElementById('revoke-result');"
                    "var s=e && e.getAttribute('data-state');"
                    "return s && s!=='loading' ? s : null;", 20)
        ok("the revoke form succeeds", st == "done",
           "%r %r" % (st, text_of(d, "#revoke-result")))
    if load(d, base, "#/lookup?q=" + urllib.parse.quote(a.new_domain),
            "lookup"):
        r = d.js("return Array.from(document.querySelectorAll("
                 "'#hits .hit[data-type=indicator]')).map("
                 "e=>e.getAttribute('data-revoked'));")
        v = d.js("return document.getElementById('verdict')"
                 ".getAttribute('data-verdict');")
        flag = d.js("return document.querySelectorAll('#hits .flag.revoked')"
                    ".length;")
        ok("then it is shown revoked", r == ["true"] and flag and
           v == "withdrawn", "%r %r %r" % (r, flag, v))
        shot(d, out, "revoked")

    # Hostile text renders as text.
    if a.inject and load(d, base, "#/lookup?q=" +
                         urllib.parse.quote(a.inject_value), "lookup"):
        t = text_of(d, "#view") or ""
        bad = d.js("return document.querySelectorAll('#view script, "
                   "#view img, #view iframe, #view [onerror]').length;")
        ok("an actor name with <script> and <img onerror> is shown as text",
           a.inject in t and bad == 0, "bad=%r" % bad)
        ok("and none of it ran",
           d.js("return window.__txpwned === undefined;"))
        shot(d, out, "inject")

    # Log out, then in again with the operator password.
    if a.password:
        d.click("#logout")
        st = d.wait(READY, 20, "login")
        ok("log out leads to the login form", st == "ready",
           "state %r" % st)
        d.type("#password", "wrong " + a.password)
        d.click("#login-form button[type=submit]")
        st = d.wait("var e=document.getElementById('login-message');"
                    "return e && /refused/.test(e.textContent) ? "
                    "e.textContent : null;", 20)
        ok("a wrong password is refused", st and "refused" in st, repr(st))
        d.type("#password", a.password)
        d.click("#login-form button[type=submit]")
        st = d.wait(READY, 20, "lookup")
        ok("the operator password logs in", st == "ready", "state %r" % st)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check")
    for k in ("url", "login", "pin", "out", "wallet", "alias", "actor",
              "origin", "tlp", "sighter", "peer-down", "new-domain",
              "unknown"):
        c.add_argument("--" + k, required=True)
    c.add_argument("--driver-port", type=int, required=True)
    c.add_argument("--countersigner", default="")
    c.add_argument("--peer-up", default="")
    c.add_argument("--feed", default="")
    c.add_argument("--client", default="")
    c.add_argument("--client-tlp", default="")
    c.add_argument("--password", default="")
    c.add_argument("--inject", default="")
    c.add_argument("--inject-value", default="")
    a = ap.parse_args()
    return check(a)


if __name__ == "__main__":
    sys.exit(main())
