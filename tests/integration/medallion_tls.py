# SPDX-License-Identifier: Apache-2.0
"""medallion_tls.py - run the unmodified OASIS medallion TAXII 2.1 server
(memory backend) over HTTPS on 127.0.0.1, for the integration tests and
benchmarks that use it as a third-party feed.

medallion itself only speaks HTTP and its discovery document names
http://localhost:5000; this launcher only configures it: it loads the data
file, rewrites the discovery document's URLs for the https address it
listens on (configuration, not a patch), sets the Basic users and the page
size, and serves the Flask app with werkzeug's run_simple and an
ssl.SSLContext (server certificate from the test CA; client certificates
none, optional or required). It exits by itself after --max-seconds, so a
test can never leave it running. With --log FILE every request is
appended as one line "METHOD PATH STATUS SECONDS BYTES" (for the bench).

Run with /usr/bin/python3 and PYTHONPATH naming the medallion folder.
"""
import argparse
import io
import json
import logging
import os
import ssl
import sys
import threading
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, required=True,
                   help="port on 127.0.0.1 (picked by the test)")
    p.add_argument("--data", required=True,
                   help="medallion memory-backend data file (JSON)")
    p.add_argument("--cert", required=True, help="server certificate (PEM)")
    p.add_argument("--key", required=True, help="server private key (PEM)")
    p.add_argument("--user", action="append", default=[],
                   help="USER:PASSWORD for HTTP Basic (repeatable)")
    p.add_argument("--client-ca", help="CA file for client certificates")
    p.add_argument("--client-cert", choices=("none", "optional",
                   "required"), default="none")
    p.add_argument("--page-size", type=int, default=100,
                   help="medallion's max_page_size")
    p.add_argument("--host-name", default="127.0.0.1",
                   help="host written into the discovery URLs")
    p.add_argument("--max-seconds", type=float, default=600.0,
                   help="exit after this long whatever happens")
    p.add_argument("--session-timeout", type=int, default=600,
                   help="seconds a medallion `next` session lives")
    p.add_argument("--log", help="append one line per request here")
    p.add_argument("--quiet", action="store_true",
                   help="no werkzeug line per request on stderr")
    return p.parse_args()


def rewrite_discovery(data, base):
    """Point the discovery document at BASE (https://host:port/)."""
    disc = data.get("/discovery")
    if not isinstance(disc, dict):
        raise SystemExit("medallion_tls: data file has no /discovery")

    def fix(url):
        # http://localhost:5000/NAME/ -> BASE + NAME/
        tail = url.split("://", 1)[-1].split("/", 1)
        return base + (tail[1] if len(tail) > 1 else "")

    if "default" in disc:
        disc["default"] = fix(disc["default"])
    disc["api_roots"] = [fix(u) for u in disc.get("api_roots", [])]


class RequestLog(object):
    """WSGI middleware: one line per request, after its body is sent."""

    def __init__(self, app, path):
        self.app = app
        self.out = open(path, "a", buffering=1, encoding="utf-8")
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        t0 = time.monotonic()
        status = ["-"]

        def sr(st, headers, exc_info=None):
            status[0] = st.split(" ", 1)[0]
            return start_response(st, headers, exc_info)

        n = 0
        body = self.app(environ, sr)
        try:
            for chunk in body:
                n += len(chunk)
                yield chunk
        finally:
            if hasattr(body, "close"):
                body.close()
            path = environ.get("PATH_INFO", "")
            if environ.get("QUERY_STRING"):
                path += "?" + environ["QUERY_STRING"]
            with self.lock:
                self.out.write("%s %s %s %.6f %d\n" % (
                    environ.get("REQUEST_METHOD", "-"), path, status[0],
                    time.monotonic() - t0, n))


def main():
    a = parse_args()
    if not 0 < a.port < 65536 or a.page_size < 1 or a.max_seconds <= 0:
        raise SystemExit("medallion_tls: bad --port, --page-size or "
                         "--max-seconds")
    # The deadline first: nothing below may outlive it.
    killer = threading.Timer(a.max_seconds, lambda: os._exit(0))
    killer.daemon = True
    killer.start()

    from werkzeug.serving import run_simple
    import medallion

    with open(a.data, encoding="utf-8") as f:
        data = json.load(f)
    rewrite_discovery(data, "https://%s:%d/" % (a.host_name, a.port))
    users = {}
    for u in a.user:
        name, sep, pw = u.partition(":")
        if not sep or not name:
            raise SystemExit("medallion_tls: --user wants USER:PASSWORD")
        users[name] = pw
    conf = {
        "users": users,
        "taxii": {"max_page_size": a.page_size},
        "backend": {
            "module": "medallion.backends.memory_backend",
            "module_class": "MemoryBackend",
            # MemoryBackend reads a file object as well as a name.
            "filename": io.StringIO(json.dumps(data)),
            "session_timeout": a.session_timeout,
        },
    }
    app = medallion.application_instance
    for part in ("users", "taxii", "backend"):
        medallion.set_config(app, part, conf)
    medallion.register_blueprints(app)

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(a.cert, a.key)
    if a.client_cert != "none":
        if not a.client_ca:
            raise SystemExit("medallion_tls: --client-cert wants "
                             "--client-ca")
        ctx.load_verify_locations(a.client_ca)
        ctx.verify_mode = (ssl.CERT_REQUIRED if a.client_cert ==
                           "required" else ssl.CERT_OPTIONAL)

    if a.quiet:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
    wsgi = RequestLog(app, a.log) if a.log else app
    sys.stderr.write("medallion_tls: https://%s:%d/taxii2/ for %.0f s\n" %
                     (a.host_name, a.port, a.max_seconds))
    sys.stderr.flush()
    run_simple("127.0.0.1", a.port, wsgi, ssl_context=ctx, threaded=True,
               use_reloader=False, use_debugger=False)


if __name__ == "__main__":
    main()
