#!/usr/bin/env python3
"""Send UDP datagrams, for recording sample captures.

Usage: udp_send.py ADDR PORT (--size N | --hex HEX) [--sport N] [--count N]
                   [--ip-options HEX] [--pmtudisc dont|want]
  --size N          payload of N bytes: a repeating, readable ASCII pattern
  --hex HEX         exact payload bytes
  --ip-options HEX  IPv4 IP_OPTIONS socket option, e.g. 0707040000000000 (Record Route)
  --pmtudisc dont   IPv4: IP_PMTUDISC_DONT (no DF bit; the kernel fragments big datagrams)
ADDR may be IPv4 or IPv6 (family chosen by ':' in ADDR).  Stdlib only.
"""
import argparse
import socket
import sys

PATTERN = b"DMDISSECT-SAMPLE-UDP-"


def payload_of(size):
    out = bytearray()
    i = 0
    while len(out) < size:
        out += b"%s%06d|" % (PATTERN, i)
        i += 1
    return bytes(out[:size])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("addr")
    ap.add_argument("port", type=int)
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--size", type=int)
    g.add_argument("--hex")
    ap.add_argument("--sport", type=int, default=0)
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--ip-options", default="")
    ap.add_argument("--pmtudisc", choices=["dont", "want"])
    a = ap.parse_args()

    v6 = ":" in a.addr
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM)
    if a.sport:
        s.bind(("::" if v6 else "0.0.0.0", a.sport))
    if a.ip_options:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_OPTIONS, bytes.fromhex(a.ip_options))
    if a.pmtudisc and not v6:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MTU_DISCOVER,
                     socket.IP_PMTUDISC_DONT if a.pmtudisc == "dont" else socket.IP_PMTUDISC_WANT)
    data = bytes.fromhex(a.hex) if a.hex is not None else payload_of(a.size)
    for _ in range(a.count):
        s.sendto(data, (a.addr, a.port))
    print(f"udp_send: {a.count} x {len(data)} bytes to {a.addr} port {a.port}"
          + (f" with IP options {a.ip_options}" if a.ip_options else ""), file=sys.stderr)


if __name__ == "__main__":
    main()
