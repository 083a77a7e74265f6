#!/usr/bin/env python3
"""Write SYNTHETIC captures in link types Linux cannot record, from the IP packets
of real recorded Ethernet captures.

The IP packets (bytes and timestamps unchanged) are taken from --ipv4 (an Ethernet
capture, e.g. http-loopback.pcap) and --ipv6 (e.g. ipv6-veth.pcap); the Ethernet
header (and any 802.1Q/802.1ad tags) is stripped, non-IP frames (ARP ...) are
dropped, and each packet gets the link-layer header of the target link type:

  synthetic-null.pcap  LINKTYPE_NULL (0): 4-byte address family in the file's
                       (little-endian) byte order: 2 for IPv4; IPv6 packets cycle
                       through 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS)
  synthetic-loop.pcap  LINKTYPE_LOOP (108): 4-byte family in network byte order
                       (OpenBSD values: 2 IPv4, 24 IPv6)
  synthetic-raw.pcap   LINKTYPE_RAW (101): no link header, IPv4 and IPv6
  synthetic-ipv4.pcap  LINKTYPE_IPV4 (228): IPv4 packets only
  synthetic-ipv6.pcap  LINKTYPE_IPV6 (229): IPv6 packets only

Files with both families hold the IPv4 packets first, then the IPv6 ones.
Output: classic little-endian microsecond pcap (nanosecond sources are rounded
down to microseconds), snaplen 262144.  Stdlib only.

Usage: make-synthetic-linktypes.py --ipv4 FILE --ipv6 FILE [--out DIR]
"""
import argparse
import os
import struct
import sys

LINKTYPE_ETHERNET = 1


def read_pcap(path):
    """Yield (ts_sec, ts_usec, wirelen, data) from a classic pcap file."""
    with open(path, "rb") as fh:
        data = fh.read()
    magic = data[:4]
    table = {b"\xd4\xc3\xb2\xa1": ("<", 1), b"\x4d\x3c\xb2\xa1": ("<", 1000),
             b"\xa1\xb2\xc3\xd4": (">", 1), b"\xa1\xb2\x3c\x4d": (">", 1000)}
    if magic not in table:
        sys.exit(f"{path}: not a classic pcap file")
    e, div = table[magic]
    linktype = struct.unpack(e + "I", data[20:24])[0] & 0x0FFFFFFF
    if linktype != LINKTYPE_ETHERNET:
        sys.exit(f"{path}: link type {linktype}, expected Ethernet (1)")
    off = 24
    while off + 16 <= len(data):
        sec, frac, caplen, wirelen = struct.unpack(e + "IIII", data[off:off + 16])
        pkt = data[off + 16:off + 16 + caplen]
        off += 16 + caplen
        if len(pkt) < caplen:
            break
        yield sec, frac // div, wirelen, pkt


def ip_packets(path, want_version):
    """IP packets of one version from an Ethernet capture: (sec, usec, wirelen, ip_bytes)."""
    for sec, usec, wirelen, frame in read_pcap(path):
        off = 12
        etype = struct.unpack(">H", frame[off:off + 2])[0]
        while etype in (0x8100, 0x88A8):          # skip VLAN tags
            off += 4
            etype = struct.unpack(">H", frame[off:off + 2])[0]
        ip = frame[off + 2:]
        version = {0x0800: 4, 0x86DD: 6}.get(etype)
        if version != want_version or not ip or ip[0] >> 4 != version:
            continue
        yield sec, usec, wirelen - (off + 2), ip


def write_pcap(path, linktype, records):
    with open(path, "wb") as fh:
        fh.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype))
        n = 0
        for sec, usec, wirelen, link_header, ip in records:
            frame = link_header + ip
            fh.write(struct.pack("<IIII", sec, usec, len(frame), wirelen + len(link_header)))
            fh.write(frame)
            n += 1
    print(f"make-synthetic-linktypes: {os.path.basename(path)}: link type {linktype}, {n} packets",
          file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ipv4", required=True, help="Ethernet pcap with IPv4 traffic")
    ap.add_argument("--ipv6", required=True, help="Ethernet pcap with IPv6 traffic")
    ap.add_argument("--out", default=".")
    a = ap.parse_args()

    v4 = list(ip_packets(a.ipv4, 4))
    v6 = list(ip_packets(a.ipv6, 6))
    if not v4 or not v6:
        sys.exit("no IPv4 or no IPv6 packets found")
    bsd_inet6 = (24, 28, 30)

    def out(name):
        return os.path.join(a.out, name)

    write_pcap(out("synthetic-null.pcap"), 0,
               [(s, u, w, struct.pack("<I", 2), ip) for s, u, w, ip in v4] +
               [(s, u, w, struct.pack("<I", bsd_inet6[i % 3]), ip) for i, (s, u, w, ip) in enumerate(v6)])
    write_pcap(out("synthetic-loop.pcap"), 108,
               [(s, u, w, struct.pack(">I", 2), ip) for s, u, w, ip in v4] +
               [(s, u, w, struct.pack(">I", 24), ip) for s, u, w, ip in v6])
    write_pcap(out("synthetic-raw.pcap"), 101,
               [(s, u, w, b"", ip) for s, u, w, ip in v4 + v6])
    write_pcap(out("synthetic-ipv4.pcap"), 228, [(s, u, w, b"", ip) for s, u, w, ip in v4])
    write_pcap(out("synthetic-ipv6.pcap"), 229, [(s, u, w, b"", ip) for s, u, w, ip in v6])


if __name__ == "__main__":
    main()
