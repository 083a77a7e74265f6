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
Stdlib only.
"""
import argparse
import http.client
import json
import socket
import sys
import time

DEVID = "IMEI:356938035643809"
P1 = (b'{"MOS":[{"MOID":"urn:oma:mo:oma-dm-devinfo:1.0","MIID":["d1"]}],'
      b'"Alert":[{"AlertType":"urn:oma:at:dm:2.0:ClientInitiatedMgmt"}]}')
P3 = b'{"Status":[{"sc":200}]}'
CT_INITIATION = "application/vnd.oma.dm.initiation+json"
CT_RESPONSE = "application/vnd.oma.dm.response+json"
CT_REQUEST = "application/vnd.oma.dm.request+json"


class Connection(http.client.HTTPConnection):
    ip_options = b""

    def connect(self):
        fam = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_STREAM)
        if self.ip_options:
            s.setsockopt(socket.IPPROTO_IP, socket.IP_OPTIONS, self.ip_options)
        s.settimeout(self.timeout)
        s.connect((self.host, self.port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = s


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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("--path", default="/dm")
    ap.add_argument("--pause", type=float, default=0.0)
    ap.add_argument("--ip-options", default="", help="hex bytes for IP_OPTIONS (IPv4 only)")
    a = ap.parse_args()

    conn = Connection(a.host, a.port, timeout=10)
    conn.ip_options = bytes.fromhex(a.ip_options)
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
