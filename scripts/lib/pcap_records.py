#!/usr/bin/env python3
"""List the packet records of a classic pcap file (offsets, lengths), or print a
byte offset that lies inside one record's packet data.

Usage: pcap_records.py FILE                  table: record, offset, caplen, len
       pcap_records.py FILE --cut-inside N   offset in the middle of record N's data
Stdlib only.
"""
import argparse
import struct
import sys


def records(path):
    data = open(path, "rb").read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        sys.exit(f"{path}: not a classic pcap file")
    off, n = 24, 0
    while off + 16 <= len(data):
        _, _, caplen, wirelen = struct.unpack(e + "IIII", data[off:off + 16])
        n += 1
        yield n, off, caplen, wirelen
        off += 16 + caplen


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--cut-inside", type=int, metavar="N")
    a = ap.parse_args()
    for n, off, caplen, wirelen in records(a.file):
        if a.cut_inside is None:
            print(f"{n}\t{off}\t{caplen}\t{wirelen}")
        elif n == a.cut_inside:
            if caplen < 2:
                sys.exit(f"record {n} has only {caplen} bytes of data")
            print(off + 16 + caplen // 2)
            return
    if a.cut_inside is not None:
        sys.exit(f"{a.file}: fewer than {a.cut_inside} records")


if __name__ == "__main__":
    main()
