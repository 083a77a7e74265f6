#!/usr/bin/env python3
"""Write the seed corpora of the packet-level fuzz targets from SampleCaptures/ (deterministic).

Usage: Fuzz/make-seeds.py            (run from anywhere; rewrites Fuzz/corpus/<Target>/seed-*)

Each seed is in the input layout its harness documents at the top of Fuzz/<Target>/main.swift:
FuzzPacketDecoder (link selector + frame), FuzzFragments (fragment records), FuzzTCPReassembly
(segment records), FuzzHTTP (stream records) and FuzzCapture (small capture files as they are).
Stdlib only. The corpora are kept small: after adding inputs, minimise with libFuzzer's -merge=1.
"""
import os
import shutil
import struct
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SAMPLES = os.path.join(ROOT, "SampleCaptures")
CORPUS = os.path.join(ROOT, "Fuzz", "corpus")

# FuzzPacketDecoder's link table (index = low nibble of byte 0).
LINK_SELECTOR = {1: 0, 101: 1, 228: 2, 229: 3, 113: 4, 276: 5, 0: 6, 108: 7}


def pcap_frames(path):
    """(link type, [(caplen, wirelen, bytes)]) of a classic pcap file."""
    data = open(path, "rb").read()
    e = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    link = struct.unpack(e + "I", data[20:24])[0]
    frames, off = [], 24
    while off + 16 <= len(data):
        _, _, caplen, wirelen = struct.unpack(e + "IIII", data[off:off + 16])
        frames.append((caplen, wirelen, data[off + 16:off + 16 + caplen]))
        off += 16 + caplen
    return link, frames


def ip_start(link, frame):
    """Offset of the IP header in a frame of the given link type (Ethernet with VLAN tags, SLL, …)."""
    if link == 1:
        off, ethertype = 12, struct.unpack(">H", frame[12:14])[0]
        while ethertype in (0x8100, 0x88A8):
            off += 4
            ethertype = struct.unpack(">H", frame[off:off + 2])[0]
        return off + 2
    return {101: 0, 228: 0, 229: 0, 113: 16, 276: 20, 0: 4, 108: 4}[link]


def tcp_segments(path):
    """(is_client, seq, flags, payload) per IPv4/IPv6 TCP segment; the first SYN's sender is the client."""
    link, frames = pcap_frames(path)
    out, client = [], None
    for _, _, frame in frames:
        ip = frame[ip_start(link, frame):]
        if ip and ip[0] >> 4 == 4 and ip[9] == 6:
            ihl = (ip[0] & 15) * 4
            total = struct.unpack(">H", ip[2:4])[0]
            src, tcp = ip[12:16], ip[ihl:total]
        elif ip and ip[0] >> 4 == 6 and ip[6] == 6:
            src, tcp = ip[8:24], ip[40:40 + struct.unpack(">H", ip[4:6])[0]]
        else:
            continue
        if len(tcp) < 20:
            continue
        sport = struct.unpack(">H", tcp[0:2])[0]
        seq = struct.unpack(">I", tcp[4:8])[0]
        flags = tcp[13]
        if client is None:
            client = (src, sport)
        out.append(((src, sport) == client, seq, flags, tcp[(tcp[12] >> 4) * 4:]))
    return out


def write(target, name, data):
    directory = os.path.join(CORPUS, target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "seed-" + name), "wb") as f:
        f.write(bytes(data))


def packet_decoder_seeds():
    names = ["synthetic-ipv4", "synthetic-ipv6", "linux-sll", "linux-sll2", "synthetic-null", "synthetic-loop",
             "synthetic-raw", "vlan-qinq", "vlan-8021q", "ipv4-options", "ipv6-veth", "snaplen-96"]
    for name in names:
        link, frames = pcap_frames(os.path.join(SAMPLES, name + ".pcap"))
        picks = sorted({0, len(frames) // 2, len(frames) - 1})
        for i in picks:
            caplen, wirelen, frame = frames[i]
            mode = 0x10 if caplen < wirelen else 0
            write("FuzzPacketDecoder", f"{name}-{i + 1}", [LINK_SELECTOR[link] | mode, 0] + list(frame))
    for name in ["ipv4-fragments", "ipv6-fragments"]:
        link, frames = pcap_frames(os.path.join(SAMPLES, name + ".pcap"))
        # Two fragments as two frames of equal length where possible (the harness splits evenly).
        small = [f for _, _, f in frames if len(f) < 700][:2]
        if len(small) == 2 and len(small[0]) == len(small[1]):
            write("FuzzPacketDecoder", f"{name}-pair", [LINK_SELECTOR[link], 1] + list(small[0]) + list(small[1]))


def fragment_seeds():
    for name in ["ipv4-fragments", "ipv6-fragments"]:
        link, frames = pcap_frames(os.path.join(SAMPLES, name + ".pcap"))
        records, ids = [], {}
        for _, _, frame in frames:
            ip = frame[ip_start(link, frame):]
            if ip[0] >> 4 == 4:
                flags = struct.unpack(">H", ip[6:8])[0]
                if not flags & 0x3FFF:
                    continue
                ident, proto, data = struct.unpack(">H", ip[4:6])[0], ip[9], ip[(ip[0] & 15) * 4:struct.unpack(">H", ip[2:4])[0]]
                more, units, v6 = bool(flags & 0x2000), flags & 0x1FFF, 0
            else:
                if ip[6] != 44:
                    continue
                frag = ip[40:48]
                field = struct.unpack(">H", frag[2:4])[0]
                ident, proto, data = struct.unpack(">I", frag[4:8])[0], frag[0], ip[48:40 + struct.unpack(">H", ip[4:6])[0]]
                more, units, v6 = bool(field & 1), field >> 3, 0x08
            slot = ids.setdefault(ident, len(ids) % 4)
            # The harness's records carry at most 255 data bytes: re-fragment in 248-byte (8-aligned) pieces.
            for piece in range(0, len(data), 248):
                chunk = data[piece:piece + 248]
                last = piece + 248 >= len(data)
                control = slot | (0x04 if (more or not last) else 0) | v6 | (0x40 if proto == 17 else 0)
                offset = units + piece // 8
                records += [control, offset >> 8, offset & 0xFF, len(chunk)] + list(chunk)
        write("FuzzFragments", name, [0] + records)
        write("FuzzFragments", name + "-small-limits", [1] + records)


def tcp_seeds():
    for name in ["http-loopback", "http-reorder", "dm-clean-a-cont", "http-ipv6-keepalive", "dm-abort-rst-mid-session"]:
        segments = tcp_segments(os.path.join(SAMPLES, name + ".pcap"))
        records = []
        for is_client, seq, flags, payload in segments:
            v6 = 0x80 if "ipv6" in name else 0
            pieces = [payload[i:i + 255] for i in range(0, len(payload), 255)] or [b""]
            for index, piece in enumerate(pieces):
                start = (seq + 255 * index) & 0xFFFFFFFF
                control = (0 if is_client else 1) | (2 << 1) | v6
                f = flags if index == len(pieces) - 1 else flags & ~0x01
                records += [control, f] + list(struct.pack(">I", start)) + [len(piece)] + list(piece)
            if len(records) > 12000:
                break
        write("FuzzTCPReassembly", name, [0] + records)
        write("FuzzTCPReassembly", name + "-http", [0x08] + records)


def http_seeds():
    for name in ["http-loopback", "http-chunked-gzip", "http-pipelined", "dm-clean-a-cont", "http-multipart-p3",
                 "dm-clean-a-multipart-curl", "dm-abort-http-500"]:
        segments = tcp_segments(os.path.join(SAMPLES, name + ".pcap"))
        records, expected = [], {True: None, False: None}
        for is_client, seq, flags, payload in segments:
            start = (seq + 1) & 0xFFFFFFFF if flags & 2 else seq
            if expected[is_client] is None:
                expected[is_client] = start
            if not payload or start != expected[is_client]:
                continue  # the harness gets bytes in order; retransmissions and reordering are skipped
            expected[is_client] = (start + len(payload)) & 0xFFFFFFFF
            direction = 0 if is_client else 1
            for i in range(0, len(payload), 287):
                piece = payload[i:i + 287]
                if len(piece) >= 32:
                    records += [direction | (0x1F << 3), len(piece) - 32] + list(piece)
                else:
                    records += [direction | ((len(piece) - 1) << 3)] + list(piece)
            if len(records) > 16000:
                break
        write("FuzzHTTP", name, [0] + records)
        write("FuzzHTTP", name + "-all-bodies", [0x04] + records)


def capture_seeds():
    for name in ["http-loopback.pcap", "http-loopback.pcap.gz", "http-loopback-cut.pcap", "http-loopback.pcapng",
                 "http-loopback-nano.pcap", "snaplen-96.pcap", "synthetic-ipv6.pcap", "linux-sll2.pcap",
                 "dm-abort-rst-mid-session.pcap", "dm-clean-a-server-initiated.pcap", "vlan-qinq.pcap",
                 "multi-interface.pcapng", "ipv4-fragments.pcap", "dm-clean-cr-dm12-notification.pcap"]:
        directory = os.path.join(CORPUS, "FuzzCapture")
        os.makedirs(directory, exist_ok=True)
        shutil.copyfile(os.path.join(SAMPLES, name), os.path.join(directory, "seed-" + name))


def main():
    if len(sys.argv) > 1:
        sys.exit(__doc__)
    packet_decoder_seeds()
    fragment_seeds()
    tcp_seeds()
    http_seeds()
    capture_seeds()


if __name__ == "__main__":
    main()
