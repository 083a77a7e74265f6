#!/usr/bin/env python3
"""Raw-socket HTTP/1.1 client for recording sample captures (scripts/record-samples),
talking to `dm_server.py --test-routes`.  It writes its requests byte by byte as
listed below, reads the responses with its own small parser (Content-Length,
chunked with trailers, read-until-close, no body for HEAD/1xx/204/304) and checks
each one.  Exits non-zero on any unexpected answer.

Scenarios (one keep-alive connection each; TCP_NODELAY, so every send() is one
segment when it fits):
  codings    1 POST /t/chunked?gets=60 (P1)         -> 200 chunked P2, 4 chunks
             2 POST /t/chunked-trailer (P3)         -> 200 chunked P2 END + trailer
             3 POST /t/gzip?gets=60 (P1)            -> 200 gzip P2
             4 POST /t/deflate (P3)                 -> 200 deflate P2 END
             5 POST /t/chunked-gzip?gets=60 (P1)    -> 200 gzip + chunked P2
             6 HEAD /t/gzip                         -> 200, no body
             7 GET /t/204                           -> 204
             8 GET /t/etag                          -> 200 with ETag
             9 GET /t/etag, If-None-Match           -> 304
            10 POST /t/length (P3), Expect: 100-continue: header section, wait for
               `100 Continue`, then the body        -> 100, then 200 P2 END
            11 POST /t/close (P1)                   -> 200 P2, Connection: close,
               body delimited by the server closing the connection
  pipelined  batch 1: three requests in ONE send() (POST P1, POST P3, GET /t/etag),
             then the three responses are read;
             batch 2: four requests in four send()s without reading in between
             (POST /t/length?gets=400&delay=0.2 P1 - the server waits 0.2 s before
             answering it, so all four requests are on the wire before the first
             response -, POST P3 with 400 Status items (about 4.4 kB, several
             segments), GET /t/chunked, HEAD /t/length), then the four responses;
             then the client closes.

Usage: http_client.py HOST PORT --scenario codings|pipelined [--log FILE]
  --log FILE  append each request as sent, and each response as received (kind
              "received"; exchanges.py checks it against the server's log), to
              FILE as JSON lines (scripts/lib/wire_log.py)
Stdlib only.
"""
import argparse
import gzip
import json
import os
import socket
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire_log import WireLog, now  # noqa: E402

DEVID = "IMEI:356938035643809"
P1 = (b'{"MOS":[{"MOID":"urn:oma:mo:oma-dm-devinfo:1.0","MIID":["d1"]}],'
      b'"Alert":[{"AlertType":"urn:oma:at:dm:2.0:ClientInitiatedMgmt"}]}')
CT_INITIATION = "application/vnd.oma.dm.initiation+json"
CT_RESPONSE = "application/vnd.oma.dm.response+json"
CT_REQUEST = "application/vnd.oma.dm.request+json"


def p3_for(n):
    """Package#3 for a P2 of n GETs from the test routes: FwV (200), then missing nodes (404)."""
    return json.dumps({"Status": [{"sc": 200}] + [{"sc": 404}] * (n - 1)},
                      separators=(",", ":")).encode()


def request(method, target, host, body=None, ctype=None, extra=()):
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}", "User-Agent: http_client.py/1.0"]
    if ctype:
        lines += [f"Accept: {CT_REQUEST}", f"Content-Type: {ctype}", f"OMADM-DevID: {DEVID}"]
    lines += [f"{k}: {v}" for k, v in extra]
    if body is not None:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii"), body or b""


class Conn:
    def __init__(self, host, port, log):
        fam = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.s = socket.socket(fam, socket.SOCK_STREAM)
        self.s.settimeout(30)
        self.s.connect((host, port))
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.names = (self.s.getsockname(), self.s.getpeername())
        self.host = f"[{host}]" if ":" in host else host
        if port != 80:
            self.host += f":{port}"
        self.log = log
        self.sent = 0
        self.nreq = 0
        self.nresp = 0
        self.buf = b""
        self.eof = False
        self.methods = []          # method of each request sent, for response framing

    def send_request(self, head, body, split=False):
        """Send one request (head+body in one send(), or two with split); log it."""
        t = now()
        if split:
            self.s.sendall(head)
        else:
            self.s.sendall(head + body)
        self.record(head, body, t)
        if split:
            return lambda: self.s.sendall(body)

    def record(self, head, body, t):
        self.log.write(client=self.names[0], server=self.names[1], kind="request",
                       index=self.nreq, offset=self.sent, t=t, head=head, wire=body)
        self.methods.append(head.split(b" ", 1)[0].decode())
        self.nreq += 1
        self.sent += len(head) + len(body)

    def send_batch(self, reqs):
        """Several requests in ONE send()."""
        t = now()
        self.s.sendall(b"".join(h + b for h, b in reqs))
        for h, b in reqs:
            self.record(h, b, t)

    def _fill(self):
        d = self.s.recv(65536)
        if not d:
            self.eof = True
        self.buf += d
        return bool(d)

    def _line(self):
        while b"\r\n" not in self.buf:
            if not self._fill():
                sys.exit("http_client: connection closed inside a line")
        line, _, self.buf = self.buf.partition(b"\r\n")
        return line

    def _take(self, n):
        while len(self.buf) < n:
            if not self._fill():
                sys.exit("http_client: connection closed inside a body")
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read_response(self):
        """One response (interim 1xx responses are returned too); returns a dict."""
        while b"\r\n\r\n" not in self.buf:
            if not self._fill():
                sys.exit("http_client: connection closed before a response")
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        head += b"\r\n\r\n"
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        hdrs = {}
        for ln in lines[1:]:
            if ln:
                k, _, v = ln.partition(":")
                hdrs[k.strip().lower()] = v.strip()
        method = self.methods[self.nresp] if self.nresp < len(self.methods) else "?"
        wire = payload = b""
        if 100 <= status < 200:
            pass
        elif method == "HEAD" or status in (204, 304):
            pass
        elif "chunked" in hdrs.get("transfer-encoding", ""):
            while True:
                line = self._line()
                wire += line + b"\r\n"
                size = int(line.split(b";")[0], 16)
                if size == 0:
                    while True:                 # trailer section
                        t = self._line()
                        wire += t + b"\r\n"
                        if not t:
                            break
                    break
                data = self._take(size + 2)
                wire += data
                payload += data[:-2]
        elif "content-length" in hdrs:
            wire = payload = self._take(int(hdrs["content-length"]))
        else:
            while self._fill():
                pass
            wire = payload = self.buf
            self.buf = b""
        enc = hdrs.get("content-encoding", "")
        content = payload
        if payload and enc == "gzip":
            content = gzip.decompress(payload)
        elif payload and enc == "deflate":
            content = zlib.decompress(payload)
        self.log.write(client=self.names[0], server=self.names[1], kind="received",
                       index=self.nresp, offset=0, t=now(), head=head, wire=wire,
                       payload=payload, content=content)
        if status >= 200:
            self.nresp += 1
        r = {"status": status, "headers": hdrs, "content": content}
        print(f"http_client: {method} -> {status} {hdrs.get('content-type', '')} "
              f"te={hdrs.get('transfer-encoding', '-')} ce={enc or '-'} {len(wire)}/{len(content)} bytes",
              file=sys.stderr)
        return r

    def close(self):
        self.s.close()


def expect(r, status, ctype=None, cmd0=None):
    if r["status"] != status:
        sys.exit(f"http_client: expected {status}, got {r['status']}")
    if ctype and r["headers"].get("content-type", "").split(";")[0] != ctype:
        sys.exit(f"http_client: expected {ctype}, got {r['headers'].get('content-type')}")
    if cmd0:
        cmds = json.loads(r["content"])["CMD"]
        if cmds[0][0] != cmd0:
            sys.exit(f"http_client: expected P2 {cmd0}, got {cmds[0][0]}")
        return len(cmds)
    return 0


def codings(host, port, log):
    c = Conn(host, port, log)
    h = c.host
    c.send_request(*request("POST", "/t/chunked?gets=60", h, P1, CT_INITIATION))
    n = expect(c.read_response(), 200, CT_REQUEST, "GET")
    c.send_request(*request("POST", "/t/chunked-trailer", h, p3_for(n), CT_RESPONSE))
    expect(c.read_response(), 200, CT_REQUEST, "END")
    c.send_request(*request("POST", "/t/gzip?gets=60", h, P1, CT_INITIATION))
    n = expect(c.read_response(), 200, CT_REQUEST, "GET")
    c.send_request(*request("POST", "/t/deflate", h, p3_for(n), CT_RESPONSE))
    expect(c.read_response(), 200, CT_REQUEST, "END")
    c.send_request(*request("POST", "/t/chunked-gzip?gets=60", h, P1, CT_INITIATION))
    n = expect(c.read_response(), 200, CT_REQUEST, "GET")
    c.send_request(*request("HEAD", "/t/gzip", h))
    expect(c.read_response(), 200, "text/plain")
    c.send_request(*request("GET", "/t/204", h))
    expect(c.read_response(), 204)
    c.send_request(*request("GET", "/t/etag", h))
    r = c.read_response()
    expect(r, 200, "text/plain")
    c.send_request(*request("GET", "/t/etag", h, extra=[("If-None-Match", r["headers"]["etag"])]))
    expect(c.read_response(), 304)
    rest = c.send_request(*request("POST", "/t/length", h, p3_for(n), CT_RESPONSE,
                                   extra=[("Expect", "100-continue")]), split=True)
    expect(c.read_response(), 100)
    rest()
    expect(c.read_response(), 200, CT_REQUEST, "END")
    c.send_request(*request("POST", "/t/close", h, P1, CT_INITIATION))
    r = c.read_response()
    expect(r, 200, CT_REQUEST, "GET")
    if not c.eof or r["headers"].get("connection") != "close":
        sys.exit("http_client: /t/close did not end with the connection")
    c.close()


def pipelined(host, port, log):
    c = Conn(host, port, log)
    h = c.host
    c.send_batch([request("POST", "/t/length", h, P1, CT_INITIATION),
                  request("POST", "/t/length", h, p3_for(1), CT_RESPONSE),
                  request("GET", "/t/etag", h)])
    expect(c.read_response(), 200, CT_REQUEST, "GET")
    expect(c.read_response(), 200, CT_REQUEST, "END")
    expect(c.read_response(), 200, "text/plain")
    for req in (request("POST", "/t/length?gets=400&delay=0.2", h, P1, CT_INITIATION),
                request("POST", "/t/length", h, p3_for(400), CT_RESPONSE),
                request("GET", "/t/chunked", h),
                request("HEAD", "/t/length", h)):
        c.send_request(*req)
    expect(c.read_response(), 200, CT_REQUEST, "GET")
    expect(c.read_response(), 200, CT_REQUEST, "END")
    expect(c.read_response(), 200, "text/plain")
    expect(c.read_response(), 200, "text/plain")
    c.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("--scenario", required=True, choices=["codings", "pipelined"])
    ap.add_argument("--log")
    a = ap.parse_args()
    {"codings": codings, "pipelined": pipelined}[a.scenario](a.host, a.port, WireLog(a.log))
    print(f"http_client: scenario {a.scenario} done", file=sys.stderr)


if __name__ == "__main__":
    main()
