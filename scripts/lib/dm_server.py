#!/usr/bin/env python3
"""Tiny OMA DM 2.0 (A dialect) HTTP/1.1 server used to record sample captures.

POST with Content-Type application/vnd.oma.dm.initiation+json (Package#1)
    -> 200, Package#2 {"CMD":[["GET","urn:oma:mo:oma-dm-devinfo:1.0//FwV"]]}
POST with Content-Type application/vnd.oma.dm.response+json (Package#3)
    -> 200, Package#2 {"CMD":[["END"]]}
other POST -> 415;  GET -> 200 with a small text/plain body.

Each response (status line, headers and body) is written with ONE send() so the
segmentation of the recorded traffic is deterministic.  Keep-alive (HTTP/1.1)
is supported; the server closes a connection when the client closes it.

Usage: dm_server.py --bind ADDR --port PORT [--ready-file FILE]
Stdlib only.  Runs until SIGTERM/SIGINT.
"""
import argparse
import http.server
import signal
import socket
import sys

P2_GET = b'{"CMD":[["GET","urn:oma:mo:oma-dm-devinfo:1.0//FwV"]]}'
P2_END = b'{"CMD":[["END"]]}'
CT_INITIATION = "application/vnd.oma.dm.initiation+json"
CT_RESPONSE = "application/vnd.oma.dm.response+json"
CT_REQUEST = "application/vnd.oma.dm.request+json"
GET_BODY = b"dmdissect sample DM server\n"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "dm_server.py/1.0"
    sys_version = ""

    def _reply(self, code, ctype, body):
        reason = self.responses.get(code, ("",))[0]
        head = (
            f"HTTP/1.1 {code} {reason}\r\n"
            f"Server: {self.server_version}\r\n"
            f"Date: {self.date_time_string()}\r\n"
            f"Content-Type: {ctype}\r\n"
            f"Content-Length: {len(body)}\r\n"
            "\r\n"
        ).encode("ascii")
        self.wfile.write(head + body)
        self.log_request(code, len(body))

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        devid = self.headers.get("OMADM-DevID", "-")
        self.log_message("POST %s ct=%s devid=%s body=%s", self.path, ctype, devid,
                         body.decode("utf-8", "replace"))
        if ctype == CT_INITIATION:
            self._reply(200, CT_REQUEST, P2_GET)
        elif ctype == CT_RESPONSE:
            self._reply(200, CT_REQUEST, P2_END)
        else:
            self._reply(415, "text/plain", b"unsupported media type\n")

    def do_GET(self):
        self._reply(200, "text/plain", GET_BODY)

    def log_request(self, code="-", size="-"):
        self.log_message("-> %s (%s body bytes)", code, size)

    def log_message(self, fmt, *args):
        sys.stderr.write("dm_server: %s %s\n" % (self.client_address[0], fmt % args))


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bind", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=80)
    ap.add_argument("--ready-file", help="created once the socket listens")
    a = ap.parse_args()

    if ":" in a.bind:
        Server.address_family = socket.AF_INET6
    srv = Server((a.bind, a.port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if a.ready_file:
        open(a.ready_file, "w").close()
    sys.stderr.write(f"dm_server: listening on {a.bind} port {a.port}\n")
    try:
        srv.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
