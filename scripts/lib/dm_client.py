#!/usr/bin/env python3
"""Tiny OMA DM 2.0 (A dialect) client used to record sample captures.

One client-initiated session over ONE HTTP/1.1 keep-alive connection:
  POST Package#1 (initiation+json, header OMADM-DevID) -> 200 Package#2 (GET ...)
  POST Package#3 (response+json, {"Status":[{"sc":200}]}) -> 200 Package#2 (END)
then the client closes the connection (FIN).  As Python's http.client does, each
request goes out in two send() calls (header block, then body); with TCP_NODELAY
that is two TCP segments, so every request spans two segments (deterministically).
Exits non-zero if the server does not answer as expected.

Usage: dm_client.py HOST PORT [--path /dm] [--pause SECONDS] [--ip-options HEX]
  --pause SECONDS   think time between reading a Package#2 and sending the next
                    package (default 0)
  --ip-options HEX  set the IPv4 IP_OPTIONS socket option (e.g. 0707040000000000
                    = Record Route with one slot + EOL) before connecting.
Options that change the session (none of them is on by default):
  --follow          answer every Package#2 with a Package#3 until a P2 with END:
                    one Status item per command, in order ({"sc":200} for a GET of a
                    node of the small device model below, {"sc":404} for any other
                    GET, {"sc":200} for other commands), then close.
  --multipart       with --follow: when at least one GET of a P2 returned 200, the
                    P3 is multipart/form-data (DM 2.0 approved spec, Appendix F):
                    first part the Package#3 JSON (Content-Type
                    application/vnd.oma.dm.response+json, Content-Disposition:
                    form-data without a name), then one part per GET with 200,
                    `Content-Disposition: form-data; name="N"` (N = 0-based index of
                    the GET in the P2's CMD list) holding the leaf value (text/plain)
                    or, for the MO root, the MO serialization (application/dmmo+json).
  --log FILE        append each request as sent (bytes handed to send()) to FILE as
                    JSON lines (scripts/lib/wire_log.py)
  --defer-handshake-ack
                    set TCP_DEFER_ACCEPT on the client socket before connecting and
                    wait 0.3 s before the first request: Linux then delays the
                    handshake's final ACK by its 200 ms delayed-ACK timer, so a
                    capture's initial RTT (Wireshark's iRTT) is ~200 ms.
  --hold-after N --hold-file PATH
                    after N exchanges, create PATH.held and wait (up to 60 s) until
                    PATH exists before going on (to start a capture mid-connection).
Stdlib only.
"""
import argparse
import http.client
import json
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire_log import WireLog, now  # noqa: E402

DEVID = "IMEI:356938035643809"
P1 = (b'{"MOS":[{"MOID":"urn:oma:mo:oma-dm-devinfo:1.0","MIID":["d1"]}],'
      b'"Alert":[{"AlertType":"urn:oma:at:dm:2.0:ClientInitiatedMgmt"}]}')
P3 = b'{"Status":[{"sc":200}]}'
CT_INITIATION = "application/vnd.oma.dm.initiation+json"
CT_RESPONSE = "application/vnd.oma.dm.response+json"
CT_REQUEST = "application/vnd.oma.dm.request+json"


class Connection(http.client.HTTPConnection):
    ip_options = b""
    defer_handshake_ack = False

    def connect(self):
        fam = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_STREAM)
        if self.ip_options:
            s.setsockopt(socket.IPPROTO_IP, socket.IP_OPTIONS, self.ip_options)
        if self.defer_handshake_ack:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, 1)
        s.settimeout(self.timeout)
        s.connect((self.host, self.port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = s
        if self.defer_handshake_ack:
            time.sleep(0.3)               # the delayed-ACK timer (200 ms) sends the ACK

    # --log: what this connection sent, and requests so far
    sent_total = 0
    pending = b""
    nreq = 0

    def send(self, data):
        self.pending += data
        super().send(data)


def post(conn, path, ctype, body):
    conn.putrequest("POST", path, skip_accept_encoding=True)
    conn.putheader("Accept", CT_REQUEST)
    conn.putheader("Content-Type", ctype)
    conn.putheader("OMADM-DevID", DEVID)
    conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body)  # http.client: one send() for the headers, one for the body
    resp = conn.getresponse()
    data = resp.read()
    rct = (resp.getheader("Content-Type") or "").split(";")[0].strip()
    print(f"dm_client: POST {ctype} -> {resp.status} {rct} {data.decode('utf-8', 'replace')}",
          file=sys.stderr)
    if resp.status != 200 or rct != CT_REQUEST:
        sys.exit(f"dm_client: unexpected answer {resp.status} {rct}")
    return json.loads(data)


# --follow / --multipart: the device's small management tree (ClientURI -> media type, value)
DEVINFO = "urn:oma:mo:oma-dm-devinfo:1.0"
MO_ROOT_VALUE = json.dumps([{
    "ClientURI": DEVINFO + "//",
    "MOData": {"DevID": "IMEI:356938035643809", "Man": "dmdissect", "Mod": "sample-client",
               "DmV": "2.0", "Lang": "en-US", "FwV": "1.0.3", "SwV": "1.0", "HwV": "A"},
}], separators=(",", ":")).encode()
DEVICE = {
    DEVINFO + "//FwV": ("text/plain", b"1.0.3"),
    DEVINFO + "//DevID": ("text/plain", DEVID.encode()),
    DEVINFO + "//": ("application/dmmo+json", MO_ROOT_VALUE),
}
BOUNDARY = "dmdissect-p3-7d1f0c2a9b"


def multipart(p3, parts, boundary=BOUNDARY):
    """multipart/form-data body: the P3 JSON first, then (index, ctype, data) parts."""
    sections = [([("Content-Disposition", "form-data"), ("Content-Type", CT_RESPONSE)], p3)]
    for idx, ctype, data in parts:
        sections.append(([("Content-Disposition", f'form-data; name="{idx}"'),
                          ("Content-Type", ctype)], data))
    out = b""
    for headers, data in sections:
        out += f"--{boundary}\r\n".encode()
        out += "".join(f"{k}: {v}\r\n" for k, v in headers).encode() + b"\r\n" + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return out, sections


def logged_post(conn, log, path, ctype, body, parts=None):
    """post() that also logs the request as sent (when log is set)."""
    conn.pending = b""
    t = now()
    try:
        return post(conn, path, ctype, body)
    finally:
        wire = conn.pending
        head = wire[:len(wire) - len(body)]
        if log.path:
            log.write(client=conn.sock_names[0], server=conn.sock_names[1], kind="request",
                      index=conn.nreq, offset=conn.sent_total, t=t, head=head, wire=body,
                      parts=parts)
        conn.nreq += 1
        conn.sent_total += len(wire)


def follow(conn, a, log):
    """--follow: P1, then a P3 for every P2 until END."""
    conn.timeout = 60                      # lossy links: let the retransmissions through
    conn.connect()
    conn.sock_names = (conn.sock.getsockname(), conn.sock.getpeername())
    p2 = logged_post(conn, log, a.path, CT_INITIATION, P1)
    done = 1
    while p2.get("CMD") != [["END"]]:
        if a.hold_after and done == a.hold_after:
            open(a.hold_file + ".held", "w").close()
            for _ in range(600):
                if os.path.exists(a.hold_file):
                    break
                time.sleep(0.1)
            else:
                sys.exit("dm_client: hold file never appeared")
        time.sleep(a.pause)
        status, parts = [], []
        for i, cmd in enumerate(p2.get("CMD", [])):
            if cmd and cmd[0] == "GET":
                node = DEVICE.get(cmd[1] if len(cmd) > 1 else "")
                status.append({"sc": 200 if node else 404})
                if node:
                    parts.append((i, node[0], node[1]))
            else:
                status.append({"sc": 200})
        p3 = json.dumps({"Status": status}, separators=(",", ":")).encode()
        if a.multipart and parts:
            body, sections = multipart(p3, parts)
            p2 = logged_post(conn, log, a.path, f"multipart/form-data; boundary={BOUNDARY}",
                             body, parts=sections)
        else:
            p2 = logged_post(conn, log, a.path, CT_RESPONSE, p3)
        done += 1
    time.sleep(a.pause)
    conn.close()
    print(f"dm_client: session ended after {done} exchanges", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("--path", default="/dm")
    ap.add_argument("--pause", type=float, default=0.0)
    ap.add_argument("--ip-options", default="", help="hex bytes for IP_OPTIONS (IPv4 only)")
    ap.add_argument("--follow", action="store_true", help="P3 for every P2 until END")
    ap.add_argument("--multipart", action="store_true", help="GET data as multipart P3")
    ap.add_argument("--log", help="append the requests sent to FILE (JSON lines)")
    ap.add_argument("--defer-handshake-ack", action="store_true")
    ap.add_argument("--hold-after", type=int, default=0)
    ap.add_argument("--hold-file")
    a = ap.parse_args()

    conn = Connection(a.host, a.port, timeout=10)
    conn.ip_options = bytes.fromhex(a.ip_options)
    conn.defer_handshake_ack = a.defer_handshake_ack
    if a.follow:
        follow(conn, a, WireLog(a.log))
        return
    p2 = post(conn, a.path, CT_INITIATION, P1)
    if p2.get("CMD", [[None]])[0][0] != "GET":
        sys.exit("dm_client: first Package#2 has no GET")
    time.sleep(a.pause)
    p2 = post(conn, a.path, CT_RESPONSE, P3)
    if p2.get("CMD") != [["END"]]:
        sys.exit("dm_client: second Package#2 is not END")
    time.sleep(a.pause)
    conn.close()  # END: no further Package#3, close the connection
    print("dm_client: session ended", file=sys.stderr)


if __name__ == "__main__":
    main()
