#!/usr/bin/env python3
"""Write SampleCaptures/README.md: one line per capture (contents, how it was made,
link type, frame count, size, notable frames).  Called by scripts/make-references
after the references are written; counts come from FILE.tshark.tsv, link types
from FILE.tcpdump.txt / capinfos.  Stdlib only.

Usage: write_readme.py DIR
"""
import glob
import os
import re
import subprocess
import sys

LOOPBACK_SESSION = ("the DM session (P1 -> P2 GET, P3 -> P2 END on one keep-alive "
                    "connection, SYN ... FIN/ACK) over 127.0.0.1:80 on `lo` in a private namespace")

DESCRIPTIONS = {
    "http-loopback.pcap":
        f"Recorded: {LOOPBACK_SESSION}; `tcpdump -i lo`. Ethernet header with zero MACs.",
    "http-loopback-nano.pcap":
        "Recorded: the same session as http-loopback.pcap, by a second tcpdump running at the same "
        "time with `--time-stamp-precision=nano` (magic a1b23c4d).",
    "http-loopback.pcapng":
        "Recorded: the same session, by `dumpcap -i lo` running at the same time (pcapng, "
        "if_tsresol = 9, i.e. nanoseconds).",
    "linux-sll.pcap":
        "Recorded: the same session, `tcpdump -i any -y LINUX_SLL` at the same time.",
    "linux-sll2.pcap":
        "Recorded: the same session, `tcpdump -i any -y LINUX_SLL2` at the same time (the ifindex "
        "is the namespace's; tcpdump warns that interface names might be incorrect).",
    "snaplen-96.pcap":
        "Recorded: the same session, `tcpdump -i lo -s 96` at the same time.",
    "veth-ethernet.pcap":
        "Recorded: the DM session between two namespaces over a veth pair, 10.77.1.1 -> "
        "10.77.1.2:80, captured on the client's veth; MACs 02:77:00:01:00:01/02; starts with "
        "ARP request/reply.",
    "vlan-8021q.pcap":
        "Recorded: the DM session (10.77.100.1 -> 10.77.100.2:80) in VLAN 100, captured on the "
        "parent veth, so every frame (ARP too) carries an 802.1Q tag (TPID 0x8100, VID 100). "
        "{vlan_how}",
    "vlan-qinq.pcap":
        "Recorded: the DM session (10.77.200.1 -> 10.77.200.2:80) with an outer 802.1ad S-tag "
        "(TPID 0x88a8, VID 200) and an inner 802.1Q C-tag (0x8100, VID 100), captured on the "
        "parent veth. tshark reports the S-VID as ieee8021ad.id (last TSV column), the C-VID as "
        "vlan.id. " + "{vlan_how}",
    "ipv6-veth.pcap":
        "Recorded: the DM session over IPv6, fd77:6::1 -> [fd77:6::2]:80 over a veth pair. The "
        "client's address is added while recording, so the capture starts with MLDv2 reports "
        "(Hop-by-Hop extension header with Router Alert, next header 0) and NS/NA.",
    "ipv4-fragments.pcap":
        "Recorded: UDP 10.77.4.1:40000 -> 10.77.4.2:9000 across a veth with MTU 1280: a "
        "4000-byte, a 2000-byte and a 100-byte datagram (receiver listening, so no ICMP); ARP first.",
    "ipv6-fragments.pcap":
        "Recorded: UDP [fd77:66::1]:40000 -> [fd77:66::2]:9000 across a veth with MTU 1280: a "
        "3000-byte, a 1500-byte and a 100-byte datagram; NS/NA first.",
    "ipv4-options.pcap":
        "Recorded on `lo`: four UDP datagrams (to 127.0.0.1:9001) whose socket sets IPv4 options "
        "with IP_OPTIONS: Record Route (IHL 7), NOP NOP NOP EOL (IHL 6), Timestamp (IHL 8), "
        "Router Alert (IHL 6); then the DM session with a Record Route option on the client "
        "socket, which the server's TCP echoes: every TCP packet has a 28-byte IPv4 header.",
    "multi-interface.pcapng":
        "Recorded by ONE dumpcap on two interfaces of different link types: interface v0 "
        "(EN10MB; ARP + DM session 10.77.9.1 -> 10.77.9.2:80) and `any` as LINUX_SLL2 with "
        "filter `host 127.0.0.1` (DM session over loopback). Both sessions ran at the same "
        "time; dumpcap wrote the packets in per-interface batches, so the file is NOT in time "
        "order. libpcap 1.10 (tcpdump) stops at the first packet whose interface has the other "
        "link type; see .tshark.txt.",
    "http-loopback-cut.pcap":
        "Derived: `head -c N http-loopback.pcap` with N inside a packet record's data "
        "(a truncated file, as left by a killed capture).",
    "http-loopback.pcap.gz":
        "Derived: `gzip -n -9` of http-loopback.pcap.",
    "gzipped-no-suffix.pcap":
        "Derived: byte-identical copy of http-loopback.pcap.gz under a .pcap name (detect gzip "
        "by its magic bytes 1f 8b, not by the suffix).",
    "http-loopback-usec-editcap.pcapng":
        "Derived: `editcap -F pcapng http-loopback.pcap`, a microsecond pcapng (the recorded "
        "http-loopback.pcapng is nanosecond).",
    "synthetic-null.pcap":
        "SYNTHETIC (make-synthetic-linktypes.py): the IP packets of http-loopback.pcap (IPv4) then "
        "ipv6-veth.pcap (IPv6) behind a 4-byte little-endian BSD address family: 2 for IPv4; "
        "IPv6 packets cycle through 24, 28, 30.",
    "synthetic-loop.pcap":
        "SYNTHETIC: same packets behind a 4-byte network-order family (OpenBSD LOOP): 2 IPv4, 24 IPv6.",
    "synthetic-raw.pcap":
        "SYNTHETIC: same packets with no link header (LINKTYPE_RAW 101).",
    "synthetic-ipv4.pcap":
        "SYNTHETIC: the IPv4 packets of http-loopback.pcap, LINKTYPE_IPV4 (228).",
    "synthetic-ipv6.pcap":
        "SYNTHETIC: the IPv6 packets of ipv6-veth.pcap, LINKTYPE_IPV6 (229).",
}

VLAN_HOW = ("The kernel tags the real traffic: with VLAN sub-interfaces, or, on kernels "
            "without 802.1Q support, with the eBPF tc program of scripts/lib/vlan_bpf.py "
            "(record-samples prints which it used).")
for _k in ("vlan-8021q.pcap", "vlan-qinq.pcap"):
    DESCRIPTIONS[_k] = DESCRIPTIONS[_k].replace("{vlan_how}", VLAN_HOW)

ORDER = list(DESCRIPTIONS)


def tsv_rows(path):
    try:
        with open(path) as fh:
            lines = fh.read().splitlines()
    except OSError:
        return [], []
    if not lines:
        return [], []
    head = lines[0].split("\t")
    return head, [dict(zip(head, l.split("\t"))) for l in lines[1:]]


def link_type(f):
    txt = f + ".tcpdump.txt"
    out = subprocess.run(["capinfos", "-M", f], capture_output=True, text=True).stdout
    encs = re.findall(r"Encapsulation = .*\(\d+ - ([\w-]+)\)", out)
    if len(encs) > 1:
        names = {"ether": "EN10MB", "linux-sll": "LINUX_SLL", "linux-sll2": "LINUX_SLL2"}
        return " + ".join(names.get(e, e) for e in encs) + f" ({len(encs)} interfaces)"
    try:
        m = re.search(r"link-type (\S+)", open(txt).read())
        return m.group(1) if m else "?"
    except OSError:
        return "?"


def ranges(nums):
    out, start, prev = [], None, None
    for n in nums:
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append((start, prev))
            start = prev = n
    if start is not None:
        out.append((start, prev))
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in out)


def notes(f, rows, cap_dir):
    n = []
    if "fragments" in f:
        # a datagram's fragments: frames with MF=1 or offset > 0 (IPv4), or a Fragment header (IPv6)
        groups, cur = [], []
        for r in rows:
            mf = r.get("ip.flags.mf") in ("1", "True")
            off = r.get("ip.frag_offset") not in ("", "0", None)
            is_v6_frag = "44" in (r.get("ipv6.nxt") or "")
            if mf or off or is_v6_frag:
                cur.append(int(r["frame.number"]))
                if not mf and (off or (is_v6_frag and r.get("udp.length"))):
                    groups.append((cur, r.get("udp.length")))
                    cur = []
        for frames, ulen in groups:
            n.append(f"frames {ranges(frames)} are the {len(frames)} fragments of one UDP datagram"
                     + (f" (UDP length {ulen})" if ulen else ""))
    if f == "snaplen-96.pcap":
        cut = [int(r["frame.number"]) for r in rows if r["frame.cap_len"] != r["frame.len"]]
        n.append(f"frames {ranges(cut)} are cut by the snaplen (cap_len 96 < len)")
    if f == "http-loopback-cut.pcap":
        size = os.path.getsize(os.path.join(cap_dir, f))
        n.append(f"{size} bytes: {len(rows)} complete records, then record {len(rows) + 1} "
                 "ends in the middle of its packet data")
    if f.endswith(".gz") or f == "gzipped-no-suffix.pcap":
        n.append(".tcpdump.txt made through `gzip -dc | tcpdump -r -`")
    return "; ".join(n)


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "."
    os.chdir(d)
    files = sorted(set(glob.glob("*.pcap") + glob.glob("*.pcapng") + glob.glob("*.gz")),
                   key=lambda x: (ORDER.index(x) if x in ORDER else len(ORDER), x))
    lines = [
        "# SampleCaptures",
        "",
        "Small captures for dmdissect's tests. Unless the line says *Derived* or *SYNTHETIC*, each",
        "was **recorded from real traffic**: the Linux TCP/IP stack in private network namespaces",
        "(loopback, or veth pairs between two namespaces), `scripts/lib/dm_server.py` and",
        "`scripts/lib/dm_client.py` (one OMA DM 2.0 A-dialect session over HTTP/1.1 keep-alive:",
        "POST Package#1 with `OMADM-DevID: IMEI:356938035643809` -> 200 Package#2 `GET`,",
        "POST Package#3 `{\"Status\":[{\"sc\":200}]}` -> 200 Package#2 `END`, then the client closes) or",
        "`scripts/lib/udp_send.py`, captured with `tcpdump --immediate-mode` (dumpcap for the",
        "recorded pcapng files) and stopped with SIGINT.",
        "",
        "(This file is generated by `scripts/lib/write_readme.py`; edit the descriptions there.)",
        "",
        "Re-record as root with `scripts/record-samples [TARGET|FILE...]` (`--list` shows the",
        "targets); it ends by running `scripts/make-references`, which rewrites the references",
        "and this file. Only ports, timestamps, TCP sequence numbers, IP IDs and the HTTP `Date`",
        "header change between recordings.",
        "",
        "Every capture FILE has cross-check references beside it:",
        "",
        "* `FILE.tshark.tsv`: `tshark -n -r FILE -o ip.defragment:TRUE -o ipv6.defragment:TRUE",
        "  -T fields -E header=y -E separator=/t -E occurrence=f` with the fields frame.number",
        "  frame.time_epoch frame.len frame.cap_len vlan.id ip.src ip.dst ipv6.src ipv6.dst ip.proto",
        "  ipv6.nxt tcp.srcport tcp.dstport udp.srcport udp.dstport tcp.flags tcp.seq_raw tcp.len",
        "  udp.length ip.flags.mf ip.frag_offset ieee8021ad.id (first line = the field names; the",
        "  last column is the outer 802.1ad S-VID, which tshark does not report as vlan.id). With",
        "  defragmentation on, udp.srcport/dstport/length of a fragmented datagram appear only on",
        "  the frame that completes it (its last fragment); ip.frag_offset is in 8-byte units.",
        "* `FILE.tcpdump.txt`: `tcpdump -l -nn -tt -v -r FILE`, stdout and stderr in order.",
        "* `FILE.tshark.txt`: only where tcpdump cannot read the whole file: tshark's per-frame",
        "  view (interface id/name, Wireshark encapsulation number, info) and tshark's own error.",
        "",
        "Checksums: TCP/UDP checksums of packets sent by the recording host are not final",
        "(checksum offload on lo/veth), so `tcpdump -v` reports them as incorrect; IP header",
        "checksums and the checksums of fragmented UDP datagrams are correct.",
        "",
        "| File | Link type | Frames | Bytes | Contents |",
        "|---|---|---|---|---|",
    ]
    for f in files:
        _, rows = tsv_rows(f + ".tshark.tsv")
        desc = DESCRIPTIONS.get(f, "(no description: add one to scripts/lib/write_readme.py)")
        extra = notes(f, rows, ".")
        if extra:
            desc += " " + extra[0].upper() + extra[1:] + "."
        lines.append(f"| `{f}` | {link_type(f)} | {len(rows)} | {os.path.getsize(f)} | {desc} |")
    lines.append("")
    with open("README.md", "w") as fh:
        fh.write("\n".join(lines))
    print(f"write_readme: {len(files)} captures in {os.path.abspath('README.md')}", file=sys.stderr)


if __name__ == "__main__":
    main()
