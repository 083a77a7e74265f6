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

Usage: dm_server.py --bind ADDR --port PORT [--ready-file FILE] [--log FILE]
                    [--test-routes]
  --log FILE       append every message the server sends (responses, 100 Continue)
                   to FILE as JSON lines (scripts/lib/wire_log.py); the bytes on
                   the wire do not change.
  --test-routes    (off by default; without it the server behaves exactly as
                   described above) extra behaviour selected by the URL path,
                   and TCP_NODELAY on the server socket so that every send() is
                   its own segment:
    POST /dm/keepalive?big=N&rounds=R   a DM session of R+1 exchanges on one
        connection: P1 -> P2 GET FwV; P3 -> P2 with N GETs of missing nodes (big);
        further P3s -> P2 GET DevID + GET of a missing node; the R-th P3 -> P2 END
        (defaults N=600, R=4).
    POST /dm/getdata   P1 -> P2 [GET FwV, GET missing node, GET the DevInfo MO
        root, GET DevID]; P3 -> P2 [GET missing node]; next P3 -> P2 END.
        Package#3 may be multipart/form-data (dm_client.py --multipart).
    POST|GET|HEAD /t/MODE[?gets=N]   body as on /dm (POST: P2 GET for a P1, P2
        END for a P3; with gets=N the P2 GET has N GETs; GET: a text/plain line),
        sent with the framing/coding MODE:
        length          Content-Length (as /dm)
        chunked         Transfer-Encoding: chunked, 4 chunks, each its own
                        send(); chunk-size spellings %x, %X;ext, %04x;ext="q s", %x
        chunked-trailer the same plus `Trailer: X-DM-Digest` and that trailer field
        gzip, deflate   Content-Encoding gzip (mtime 0) / deflate (zlib stream),
                        Content-Length
        chunked-gzip    gzip, then chunked
        close           `Connection: close`, no Content-Length, no chunking: the
                        body ends when the server closes the connection
        HEAD gets the GET response's header section (Content-Length of the body
        it would have), no body.
    ?delay=SECONDS on any of these: the server waits that long before answering.
    GET /t/etag        200 with ETag "dm-1"; with If-None-Match: "dm-1" -> 304
    GET|POST /t/204    204 No Content
    Expect: 100-continue on any request -> `HTTP/1.1 100 Continue` (own send()),
        then the final response after the body has been read.
Stdlib only.  Runs until SIGTERM/SIGINT.
"""
import argparse
import gzip
import hashlib
import base64
import http.server
import json
import os
import signal
import socket
import sys
import time
import urllib.parse
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire_log import WireLog, now  # noqa: E402

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

    # per connection: requests parsed so far, bytes sent so far (for --log)
    nreq = 0
    sent = 0
    index = -1

    def parse_request(self):
        self.index = self.nreq
        self.nreq += 1
        return super().parse_request()

    def _log(self, kind, head, wire, **kw):
        wl = self.server.wire_log
        if wl.path:
            wl.write(client=self.client_address, server=self.connection.getsockname(),
                     kind=kind, index=self.index, offset=self.sent, t=self._t,
                     head=head, wire=wire, **kw)
        self.sent += len(head) + len(wire)

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
        self._t = now()
        self.wfile.write(head + body)
        self._log("response", head, body)
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


DEVINFO = "urn:oma:mo:oma-dm-devinfo:1.0"
FWV = DEVINFO + "//FwV"
DEVID_URI = DEVINFO + "//DevID"
CT_MULTIPART = "multipart/form-data"


def missing(i):
    return f"{DEVINFO}//Ext/Missing/{i:04d}"


def p2(cmds):
    return json.dumps({"CMD": cmds}, separators=(",", ":")).encode()


def keepalive_p2(round_no, big, rounds):
    if round_no >= rounds:
        return P2_END
    if round_no == 0:
        return P2_GET
    if round_no == 1:
        return p2([["GET", missing(i)] for i in range(big)])
    return p2([["GET", DEVID_URI], ["GET", missing(9000 + round_no)]])


def getdata_p2(round_no):
    if round_no == 0:
        return p2([["GET", FWV], ["GET", missing(1)], ["GET", DEVINFO + "//"], ["GET", DEVID_URI]])
    if round_no == 1:
        return p2([["GET", missing(2)]])
    return P2_END


def multipart_first_json(body, ctype_header):
    """The Package#3 JSON (first part) of a multipart/form-data body, and the part count."""
    params = dict(p.strip().split("=", 1) for p in ctype_header.split(";")[1:] if "=" in p)
    boundary = params.get("boundary", "").strip('"').encode()
    if not boundary:
        raise ValueError("multipart without boundary")
    pieces = body.split(b"--" + boundary)
    parts = []
    for piece in pieces[1:]:
        if piece.startswith(b"--"):
            break
        head, _, data = piece[2:].partition(b"\r\n\r\n")
        parts.append((head.decode("latin-1"), data[:-2]))
    first_head, first = parts[0]
    if CT_RESPONSE not in first_head.lower():
        raise ValueError("first part is not the Package#3 JSON")
    return first, len(parts)


class TestHandler(Handler):
    """Handler with the --test-routes behaviour (see the module docstring)."""
    disable_nagle_algorithm = True
    dm_round = 0

    def handle_expect_100(self):
        head = b"HTTP/1.1 100 Continue\r\n\r\n"
        self._t = now()
        self.wfile.write(head)
        self._log("interim", head, b"", framing="none")
        self.log_message("-> 100 Continue")
        return True

    def _route(self):
        u = urllib.parse.urlsplit(self.path)
        q = {k: v[-1] for k, v in urllib.parse.parse_qs(u.query).items()}
        if "delay" in q:                      # ?delay=SECONDS before answering
            time.sleep(float(q["delay"]))
        return u.path, q

    def _head(self, code, fields):
        reason = self.responses.get(code, ("",))[0]
        lines = [f"HTTP/1.1 {code} {reason}", f"Server: {self.server_version}",
                 f"Date: {self.date_time_string()}"] + [f"{k}: {v}" for k, v in fields]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")

    def _send(self, code, ctype, body, mode="length", head_only=False, extra=()):
        """Send a response with framing/coding MODE; log it; one send() for the header
        section and the whole body, except chunked (one send() per chunk)."""
        fields = [] if ctype is None else [("Content-Type", ctype)]
        fields += list(extra)
        content = body
        if mode in ("gzip", "chunked-gzip"):
            body = gzip.compress(content, 9, mtime=0)
            fields.append(("Content-Encoding", "gzip"))
        elif mode == "deflate":
            body = zlib.compress(content, 9)
            fields.append(("Content-Encoding", "deflate"))
        payload = body
        sends = []
        framing = "length"
        if mode in ("chunked", "chunked-trailer", "chunked-gzip"):
            framing = "chunked"
            fields.append(("Transfer-Encoding", "chunked"))
            trailer = b""
            if mode == "chunked-trailer":
                fields.append(("Trailer", "X-DM-Digest"))
                digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
                trailer = f"X-DM-Digest: sha-256=:{digest}:\r\n".encode()
            n = len(body)
            cuts = [0, min(n, 7), min(n, 7 + n // 3), min(n, 7 + 2 * (n // 3)), n]
            spell = ["%x", "%X;dm-ext=1", '%04x;name="quoted value"', "%x"]
            for i in range(4):
                piece = body[cuts[i]:cuts[i + 1]]
                if piece:
                    sends.append((spell[i] % len(piece)).encode() + b"\r\n" + piece + b"\r\n")
            sends.append(b"0\r\n" + trailer + b"\r\n")
        elif mode == "close":
            framing = "close"
            fields.append(("Connection", "close"))
            sends.append(body)
            self.close_connection = True
        elif code in (204, 304) or (100 <= code < 200):
            framing = "none"
            sends.append(b"")
        else:
            fields.append(("Content-Length", str(len(body))))
            sends.append(body)
        head = self._head(code, fields)
        if head_only:
            sends, framing, payload, content = [b""], "none", b"", b""
        self._t = now()
        wire = b"".join(sends)
        if framing == "chunked":
            self.wfile.write(head)
            for piece in sends:
                self.wfile.write(piece)
        else:
            self.wfile.write(head + wire)
        self._log("response", head, wire, payload=payload, content=content, framing=framing)
        self.log_request(code, len(wire))

    def do_POST(self):
        path, q = self._route()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        ctype_header = self.headers.get("Content-Type") or ""
        ctype = ctype_header.split(";")[0].strip().lower()
        self.log_message("POST %s ct=%s len=%d", self.path, ctype, len(body))
        nparts = 0
        if ctype == CT_MULTIPART:
            try:
                body, nparts = multipart_first_json(body, ctype_header)
            except ValueError as e:
                self._send(400, "text/plain", f"{e}\n".encode())
                return
            ctype = CT_RESPONSE
            self.log_message("multipart: %d parts, P3 %s", nparts, body.decode("utf-8", "replace"))
        if ctype not in (CT_INITIATION, CT_RESPONSE):
            self._send(415, "text/plain", b"unsupported media type\n")
            return
        if ctype == CT_INITIATION:
            self.dm_round = 0
        else:
            self.dm_round += 1
        if path == "/dm/keepalive":
            out = keepalive_p2(self.dm_round, int(q.get("big", 600)), int(q.get("rounds", 4)))
            self._send(200, CT_REQUEST, out)
        elif path == "/dm/getdata":
            self._send(200, CT_REQUEST, getdata_p2(self.dm_round))
        elif path.startswith("/t/"):
            mode = path[3:]
            if mode == "204":
                self._send(204, None, b"")
                return
            if ctype == CT_INITIATION:
                n = int(q.get("gets", 1))
                out = p2([["GET", FWV]] + [["GET", missing(i)] for i in range(1, n)])
            else:
                out = P2_END
            self._send(200, CT_REQUEST, out, mode)
        else:
            self._send(200, CT_REQUEST, P2_GET if ctype == CT_INITIATION else P2_END)

    def _get(self, head_only):
        path, q = self._route()
        self.log_message("%s %s", self.command, self.path)
        if path == "/t/204":
            self._send(204, None, b"", head_only=head_only)
        elif path == "/t/etag":
            etag = '"dm-1"'
            if self.headers.get("If-None-Match") == etag:
                self._send(304, None, b"", extra=[("ETag", etag)], head_only=head_only)
            else:
                self._send(200, "text/plain", GET_BODY, extra=[("ETag", etag)], head_only=head_only)
        elif path.startswith("/t/"):
            self._send(200, "text/plain", GET_BODY, path[3:], head_only=head_only)
        else:
            self._send(200, "text/plain", GET_BODY, head_only=head_only)

    def do_GET(self):
        self._get(False)

    def do_HEAD(self):
        self._get(True)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bind", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=80)
    ap.add_argument("--ready-file", help="created once the socket listens")
    ap.add_argument("--log", help="append the messages sent to FILE (JSON lines)")
    ap.add_argument("--test-routes", action="store_true", help="extra routes, see above")
    a = ap.parse_args()

    if ":" in a.bind:
        Server.address_family = socket.AF_INET6
    srv = Server((a.bind, a.port), TestHandler if a.test_routes else Handler)
    srv.wire_log = WireLog(a.log)
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
