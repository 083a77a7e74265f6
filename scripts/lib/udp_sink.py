#!/usr/bin/env python3
"""Receive and discard UDP datagrams (so the receiver sends no ICMP port unreachable).

Usage: udp_sink.py --bind ADDR --port PORT [--ready-file FILE]
Runs until SIGTERM/SIGINT; logs each datagram's size to stderr.  Stdlib only.
"""
import argparse
import signal
import socket
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bind", default="0.0.0.0")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--ready-file")
    a = ap.parse_args()
    s = socket.socket(socket.AF_INET6 if ":" in a.bind else socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((a.bind, a.port))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if a.ready_file:
        open(a.ready_file, "w").close()
    try:
        while True:
            data, peer = s.recvfrom(65535)
            print(f"udp_sink: {len(data)} bytes from {peer[0]} port {peer[1]}", file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
