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

HTTP_LO = ("on `lo` in a private namespace (MTU 1500 and gso_max_segs 1, so the capture shows "
           "the real 1448-byte segments, not GSO super-packets), against `dm_server.py --test-routes`")
KEEPALIVE = ("the keep-alive DM session of `dm_client.py --follow` on path /dm/keepalive?big=600: "
             "P1 -> P2 GET FwV; P3 -> P2 with 600 GETs (34809-byte body); P3 with 600 Status items "
             "(6612 bytes) -> P2 with 2 GETs; P3 -> P2 with 2 GETs; P3 -> P2 END; 5 exchanges on one "
             "connection, SYN ... FIN; the client sends each request as a header segment, then the "
             "body (one or more segments)")
DESCRIPTIONS.update({
    "http-keepalive.pcap":
        f"Recorded: {KEEPALIVE}; 127.0.0.1:80 {HTTP_LO}.",
    "http-chunked-gzip.pcap":
        f"Recorded {HTTP_LO}: `http_client.py --scenario codings` (raw socket), 11 exchanges on one "
        "keep-alive connection: POST /t/chunked (P2 in 4 chunks, each its own segment; chunk-size "
        "lines `%x`, `%X;dm-ext=1`, `%04x;name=\"quoted value\"`, `%x`, then `0`), POST "
        "/t/chunked-trailer (`Trailer: X-DM-Digest` and that trailer field after the last chunk), "
        "POST /t/gzip (Content-Encoding gzip), POST /t/deflate (zlib stream), POST /t/chunked-gzip "
        "(gzip, then chunked), HEAD /t/gzip (Content-Length of the gzip body, no body), GET /t/204, "
        "GET /t/etag (200 with ETag), GET /t/etag with If-None-Match (304), POST /t/length with "
        "`Expect: 100-continue` (header segment, `HTTP/1.1 100 Continue`, then the body, then 200), "
        "POST /t/close (200 with `Connection: close`, no Content-Length, no chunking: the body "
        "ends with the server's FIN).",
    "http-pipelined.pcap":
        f"Recorded {HTTP_LO}: `http_client.py --scenario pipelined` (raw socket), one keep-alive "
        "connection, 7 exchanges. Batch 1: POST P1, POST P3, GET /t/etag written with ONE send() "
        "(one segment), then the 3 responses are read. Batch 2: four requests in four send()s before "
        "reading: POST /t/length?gets=400&delay=0.2 (the server waits 0.2 s before answering it), "
        "POST P3 with 400 Status items (4.4 kB, several segments), GET /t/chunked, HEAD /t/length; "
        "then the 4 responses, in order (the 23 kB P2, the P2 END, a chunked text, a HEAD response). "
        "A retransmission there is the client's tail-loss probe firing before the server's "
        "delayed ACK (the server is still in its 0.2 s wait), not a loss.",
    "http-loss.pcap":
        "Recorded: the session of http-keepalive.pcap between two namespaces, 10.77.10.1 -> "
        "10.77.10.2:80 over a veth pair (MTU 1500, gso_max_segs 1), captured on the server's veth, "
        "with random drops by iptables (`-m statistic --mode random --probability 0.1 -j DROP`, "
        "TCP port 80) in client OUTPUT and server OUTPUT (a drop there returns an error to TCP, "
        "which sends the same segment again at once, in order: no hole reaches the capture) and "
        "in server INPUT and client INPUT (after the capture point: the capture has the original "
        "and the retransmission). So every segment is captured in order plus retransmissions; "
        "tshark's out-of-order flags below are its iRTT heuristic on retransmissions, and "
        "dmdissect counts them as retransmissions (true out-of-order arrival: http-reorder.pcap). "
        "The client uses `--defer-handshake-ack` (TCP_DEFER_ACCEPT: the handshake's last ACK comes "
        "after the 200 ms delayed-ACK timer), so Wireshark's iRTT is ~200 ms and a hole filled "
        "within it is flagged out-of-order, not retransmission. iptables has no seed: "
        "record-samples repeats the recording until tshark flags at least one "
        "tcp.analysis.retransmission and one tcp.analysis.out_of_order.",
    "http-reorder.pcap":
        "Recorded: the session of http-loss.pcap (same client and server options, "
        "`--defer-handshake-ack` included) between two namespaces, 10.77.11.1 -> 10.77.11.2:80 "
        "over a veth pair (MTU 1500, gso_max_segs 1), captured on the server's veth, with data "
        "segments lost only BEFORE the capture point, so that segments really arrive out of order "
        "there: in each sender iptables (`-t mangle -A OUTPUT -p tcp ... -m length --length "
        "200:65535 -m statistic --mode random --probability 0.1 -j MARK`) picks data segments "
        "(never SYN, FIN or pure ACKs) and an eBPF tc egress program on its veth "
        "(scripts/lib/drop_bpf.py) drops them silently (TC_ACT_STOLEN: TCP is not told; after an "
        "iptables DROP in OUTPUT TCP gets an error and at once sends the same segment again, in "
        "order, which is why http-loss.pcap has no real out-of-order arrival). A dropped response "
        "segment never reaches the server veth's tap, a dropped request segment never crosses the "
        "veth: the later segments are captured first, then the retransmission that fills the hole. "
        "Nothing is dropped after the capture point, so every byte is captured. tshark's HTTP view "
        "(tcp.reassemble_out_of_order off by default) can lose requests after a hole. "
        "record-samples repeats the recording until `check_http.py --reorder 3,1` finds at least 3 "
        "holes filled out of order server->client and 1 client->server, each flagged "
        "previous-segment-not-captured.",
    "http-midstream.pcap":
        f"Recorded {HTTP_LO}: the session of http-keepalive.pcap with ?big=200; the client did "
        "exchange 0 (P1 -> P2) and waited (`--hold-after 1`) until tcpdump listened, then went on: "
        "the capture starts mid-connection (no SYN, first data frame is the request of exchange "
        "1); exchanges 1-4 and the FIN handshake are in it (exchanges.json marks exchange 0 "
        "`before_capture`).",
    "http-gaps-derived.pcap":
        "Derived: `editcap -F pcap http-keepalive.pcap OUT N...` without data segments chosen by "
        "`exchanges.py gaps` (frame numbers of http-keepalive.pcap; later frames shift down), so "
        "those bytes are lost for good although the receiver's ACKs cover them.",
    "http-ipv6-keepalive.pcap":
        "Recorded: the keep-alive session with ?big=60&rounds=3 (4 exchanges: P1 -> P2 GET, "
        "P3 -> P2 with 60 GETs, P3 -> P2 2 GETs, P3 -> P2 END) over IPv6, fd77:7::1 -> "
        "[fd77:7::2]:80 over a veth pair (MTU 1500, gso_max_segs 1), captured on the client's veth.",
    "http-multipart-p3.pcap":
        f"Recorded {HTTP_LO}: `dm_client.py --follow --multipart`, path /dm/getdata: P1 -> P2 "
        "[GET FwV, GET a missing node, GET the DevInfo MO root `urn:oma:mo:oma-dm-devinfo:1.0//`, "
        "GET DevID]; Package#3 as multipart/form-data (boundary `dmdissect-p3-7d1f0c2a9b`, approved "
        "spec Appendix F): first part the P3 JSON (Status 200, 404, 200, 200; `Content-Disposition: "
        "form-data`, `Content-Type: application/vnd.oma.dm.response+json`), then parts "
        "`name=\"0\"` (text/plain `1.0.3`), `name=\"2\"` (application/dmmo+json, the MO "
        "serialization) and `name=\"3\"` (text/plain DevID) -> P2 [GET a missing node]; then a "
        "plain P3 (404, no GET data, so not multipart) -> P2 END.",
})

DM_NET = ("Recorded with `scripts/record-dm-samples` (`scripts/lib/dm_peer.py`) between two "
          "namespaces over a veth pair (MTU 1500, gso_max_segs 1, static neighbours): device "
          "10.77.{n}.1 (UDP 2948 listening for WAP push), DM server 10.77.{n}.2:80 (and :8080), "
          "data repository 10.77.{n}.3:80; captured on the device's veth, filter `not arp`")
A_BASIC = ("A session on /dm/basic: P1 (`OMADM-DevID: IMEI:356938035643809`, MOS + {alert}) -> P2 "
           "[GET DevInfo FwV, GET a missing node, DELETE fumo/apps/Ext/Tmp]; multipart/form-data P3 "
           "(Status 200, 404, 200; part `name=\"0\"` text/plain `1.0.3`) -> P2 [EXEC "
           "fumo/apps/DownloadAndUpdate]; P3 [200] -> P2 END; one keep-alive connection")
CR_BASIC = ("CR session on /dm/basic: P1 SessionInfo {{DevID, SessionID \"{sid}\", PkgSeq 1, "
            "ReasonForSession {reason}}} + MOS -> P2 (PkgSeq 2) Cmds [GET FwV, GET a missing node, "
            "DELETE] ; P3 (PkgSeq 3) Results [200 with MOD FwV, 404, 200] -> P2 (4) [EXEC]; P3 (5) "
            "[200] -> P2 (6) END (PkgSeq: count model)")
N0_A = ("DM 2.0 notification (WSP push 01 06 03 d8 af 87 to UDP 2948; VER 2, L12 options "
        "SERVER-ID `dms.example`, PREFERRED-CON-TYPE 2, NOTIFICATION-ID 0x1234, SHA256-DIGEST "
        "= SHA-256(`srvsecret` + message with zero digest + empty auth data), TIMESTAMP (4 bytes), "
        "REQ-MOS)")


def _dm(n, text):
    return DM_NET.format(n=n) + ". " + text


DESCRIPTIONS.update({
    "dm-clean-a-server-initiated.pcap": _dm(20, N0_A + "; the device then opens " + A_BASIC.format(
        alert="`ServerInitiatedMgmt` alert with DataType application/json, Data "
              "{\"NOTIFICATION-ID\": 4660}") + ". Bytes and fields in .notifications.json."),
    "dm-clean-cr-dm12-notification.pcap": _dm(21, "Two server-initiated CR sessions, each after a "
        "DM 1.2 notification (WSP push 01 06 03 c4 af 87; version 11, ui-mode 2, initiator 1, "
        "server id `dms.example`, MD5 digest with password `srvsecret`, nonce `nonce1`): sessionid "
        "1234 -> " + CR_BASIC.format(sid="1234", reason=1200) + "; then sessionid 1235 -> a CR "
        "session on /dm/devinfo whose SessionID is the HEX text \"4D3\" (P2 [GET DevID]; P3 [200 "
        "with MOD] -> P2 END)."),
    "dm-clean-a-two-connections.pcap": _dm(22, A_BASIC.format(alert="ClientInitiatedMgmt") +
        ", except that the client closes the connection after the first P2 and sends the first "
        "P3 on a new connection (session spans 2 TCP connections, same source address)."),
    "dm-clean-a-cont.pcap": _dm(23, "A session on /dm/cont: P1 -> P2 [GET a missing node, CONT "
        "http://10.77.23.2:8080/dm/cont]; P3 [404, 200] POSTed to port 8080 on a new connection "
        "-> P2 [DELETE]; P3 [200] -> P2 END (both on the 8080 connection)."),
    "dm-clean-a-many-devices.pcap": _dm(24, "20 devices (10.77.24.101-120, source ports "
        "42001-42020, DevIDs IMEI:356938035643911 ... 930), each the client-initiated " +
        A_BASIC.format(alert="ClientInitiatedMgmt")[2:].replace(
            "`OMADM-DevID: IMEI:356938035643809`", "its own `OMADM-DevID`") +
        "; P1s 20 ms apart, 100 ms think "
        "time, so the 20 sessions interleave."),
    "dm-clean-a-multipart-curl.pcap": _dm(25, "A session on /dm/getdata sent by real curl "
        "7.88 (`--next`: 3 requests on one keep-alive connection, source port 41000): P1 "
        "(--data-binary) -> P2 [GET FwV, GET a missing node, GET the DevInfo root, GET DevID]; "
        "P3 built by `curl -F` (random curl boundary; first part `Content-Disposition: "
        "form-data` without name, application/vnd.oma.dm.response+json, Status 200, 404, 200, "
        "200; parts name=\"0\" text/plain `1.0.3`, name=\"2\" application/dmmo+json with CV, "
        "name=\"3\" text/plain DevID) -> P2 [GET missing]; P3 [404] -> P2 END. The request "
        "bytes in .exchanges.json come from `curl --trace`."),
    "dm-clean-a-data-repository.pcap": _dm(26, "A session on /dm/repo with side traffic to the "
        "data repository 10.77.26.3: P2 [HGET http://10.77.26.3/fw/pkgurl "
        "fumo/apps/DownloadAndUpdate/PkgURL, HPUT http://10.77.26.3/up/IMEI%3A... DevInfo root, "
        "HPOST http://10.77.26.3/report fumo/apps/State]; the device then, on one repository "
        "connection: GET (200 application/dmmo+json), PUT of the DevInfo MO serialization "
        "(application/dmmo+json with CV), POST (application/dmmo+json); then P3 [200, 200, 200] "
        "-> P2 END."),
    "dm-clean-cr-client-initiated.pcap": _dm(27, CR_BASIC.format(sid="A17", reason=1201) +
        "; no notification."),
    "dm-violation-p3-after-end.pcap": _dm(30, A_BASIC.format(alert="ClientInitiatedMgmt") +
        "; then the client POSTs one more P3 `{\"Status\":[]}` after the P2 END (the server "
        "answers P2 END again)."),
    "dm-violation-ses-p3-sessionid-changed.pcap": _dm(31, CR_BASIC.format(sid="A17",
        reason=1201) + ", except that both P3s carry SessionID \"A18\"."),
    "dm-violation-ses-p2-sessionid-wrong.pcap": _dm(32, CR_BASIC.format(sid="A17",
        reason=1201) + ", except that the server's 2nd and 3rd P2 carry SessionID \"B99\" "
        "(URL query p2sid=B99)."),
    "dm-violation-seq-gap.pcap": _dm(33, CR_BASIC.format(sid="A17", reason=1201) +
        ", except that the first P3 has PkgSeq 4 instead of 3 (the server goes on from there: "
        "P2 5, P3 6, P2 7)."),
    "dm-violation-seq-repeat.pcap": _dm(34, CR_BASIC.format(sid="A17", reason=1201) +
        ", except that the second P3 repeats PkgSeq 3 (the server answers 4)."),
    "dm-violation-hdr-devid-missing.pcap": _dm(35, A_BASIC.format(alert="ClientInitiatedMgmt") +
        ", with no `OMADM-DevID` header on any request."),
    "dm-violation-hdr-devid-changed.pcap": _dm(36, A_BASIC.format(alert="ClientInitiatedMgmt") +
        ", except that both P3s carry `OMADM-DevID: IMEI:356938035643817` (P1: ...809)."),
    "dm-violation-hdr-devinfo-devid-mismatch.pcap": _dm(37, "A session on /dm/devinfo: P1 "
        "(`OMADM-DevID: IMEI:356938035643809`) -> P2 [GET DevInfo DevID]; multipart P3 [200] whose "
        "part name=\"0\" is `IMEI:356938035643817` -> P2 END."),
    "dm-violation-dev-p3-devid-changed.pcap": _dm(38, CR_BASIC.format(sid="A17", reason=1201) +
        ", except that both P3s carry SessionInfo.DevID IMEI:356938035643817."),
    "dm-violation-dev-mod-devid-mismatch.pcap": _dm(39, "A CR-draft DM 2.0 notification (WSP "
        "0xD8; VER 2, L12 options SERVER-ID `dms.example`, Requested-MO-CV MO index 1 validator "
        "`devinfo-7`), then a CR session on /dm/devinfo (ReasonForSession 1200) whose P1 has MOD "
        "with the DevInfo MO, DevID IMEI:356938035643817 while SessionInfo.DevID is ...809; P2 "
        "[GET DevID]; P3 [200 with MOD] -> P2 END."),
    "dm-violation-ct-p1-wrong.pcap": _dm(40, A_BASIC.format(alert="ClientInitiatedMgmt") +
        ", except that the P1 is sent as `Content-Type: application/json`."),
    "dm-violation-ct-p2-wrong.pcap": _dm(41, A_BASIC.format(alert="ClientInitiatedMgmt") +
        ", except that every P2 is sent as `Content-Type: application/json` (URL query "
        "p2ct=application/json) while the requests' Accept is the P2 type."),
    "dm-violation-ct-p3-wrong.pcap": _dm(42, A_BASIC.format(alert="ClientInitiatedMgmt") +
        ", except that the second (plain, not multipart) P3 is sent as `Content-Type: "
        "application/json`."),
    "dm-violation-ct-no-accept.pcap": _dm(43, A_BASIC.format(alert="ClientInitiatedMgmt") +
        ", with no `Accept` header on any request."),
    "dm-violation-ct-duplicate-member.pcap": _dm(44, A_BASIC.format(alert="ClientInitiatedMgmt") +
        ", except that the first Status item of the first P3 is `{\"sc\":200,\"sc\":200}`."),
    "dm-violation-p3-status-count.pcap": _dm(45, A_BASIC.format(alert="ClientInitiatedMgmt") +
        ", except that the first P3 has 2 Status items for the 3 commands (the DELETE's is "
        "missing)."),
    "dm-violation-p3-status-202-for-get.pcap": _dm(46, A_BASIC.format(alert="ClientInitiatedMgmt")
        + ", except that the first P3 answers the GET FwV with 202 (EXEC only) and so is a plain "
        "P3 without parts."),
    "dm-violation-p3-multipart-part-for-404.pcap": _dm(47, A_BASIC.format(
        alert="ClientInitiatedMgmt") + ", except that the first P3 also has a part name=\"1\" "
        "for the GET that got 404."),
    "dm-violation-p3-get-data-not-multipart.pcap": _dm(48, A_BASIC.format(
        alert="ClientInitiatedMgmt") + ", except that the first P3 is a plain P3 (no GET data) "
        "although the GET FwV got 200."),
    "dm-violation-alr-data-without-datatype.pcap": _dm(49, A_BASIC.format(
        alert="ClientInitiatedMgmt") + ", except that the first P3 also carries a generic alert "
        "(urn:oma:at:scomo:1.0:OperationComplete, SourceURI, Mark informational) with Data but "
        "no DataType."),
    "dm-violation-n0-server-id-repeated.pcap": _dm(50, N0_A.replace("VER 2,", "VER 2, OC 7,") +
        " with SERVER-ID given twice (second option delta 0); then the server-initiated " +
        A_BASIC.format(alert="ServerInitiatedMgmt (NOTIFICATION-ID 4660)")[2:] + "."),
    "dm-violation-n0-ver-not-2.pcap": _dm(51, N0_A.replace("VER 2", "VER 3 (header 33 00)") +
        "; then the server-initiated " + A_BASIC.format(
            alert="ServerInitiatedMgmt (NOTIFICATION-ID 4660)")[2:] + "."),
    "dm-violation-nc-notification-not-followed.pcap": _dm(52, N0_A + " (the device's UDP port "
        "is open but it ignores the push); 301 s later, after the 300 s window, the same device "
        "opens the client-initiated " + A_BASIC.format(alert="ClientInitiatedMgmt")[2:] + "."),
    "dm-abort-http-500.pcap": _dm(53, "A session on /dm/basic?fail=1:500: P1 -> P2 [GET FwV, GET "
        "missing, DELETE]; multipart P3 -> HTTP 500 (text/plain); the client aborts (no retry) "
        "and closes the connection. Outcome: aborted by HTTP error; no rule finding expected."),
    "dm-violation-trn-p3-after-500.pcap": _dm(54, "As dm-abort-http-500.pcap, but after the 500 "
        "the client sends the same P3 again on the same connection (the server answers P2 END)."),
    "dm-abort-rst-mid-session.pcap": _dm(55, A_BASIC.format(alert="ClientInitiatedMgmt") +
        " up to the P2 [EXEC]: the client then resets the connection (SO_LINGER 0: RST) instead "
        "of answering. Outcome: aborted by RST; no rule finding expected."),
})

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


def tshark_frames(f, flt):
    out = subprocess.run(["tshark", "-n", "-r", f, "-Y", flt, "-T", "fields", "-e", "frame.number"],
                         capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def http_notes(f):
    """Notes for a capture with FILE.exchanges.json: counts, tshark's view, TCP events."""
    import json
    n = []
    try:
        doc = json.load(open(f + ".exchanges.json"))
    except OSError:
        return n
    exs = [e for c in doc["connections"] for e in c["exchanges"]]
    n.append(f"ground truth (.exchanges.json): {len(doc['connections'])} connection(s), "
             f"{len(exs)} exchanges")
    try:
        with open(f + ".tshark-http.tsv") as fh:
            lines = fh.read().splitlines()[1:]
        cols = [l.split("\t") for l in lines]
        n.append(f"tshark -Y http finds {sum(1 for c in cols if c[2])} requests and "
                 f"{sum(1 for c in cols if c[4])} responses")
    except OSError:
        pass
    for flt, what in (("tcp.analysis.retransmission", "retransmission"),
                      ("tcp.analysis.out_of_order", "out-of-order"),
                      ("tcp.analysis.lost_segment", "previous-segment-not-captured"),
                      ("tcp.analysis.duplicate_ack", "duplicate-ACK")):
        fr = tshark_frames(f, flt)
        if fr:
            n.append(f"tshark flags {what} in frame{'s' if len(fr) > 1 else ''} {ranges(fr)}"
                     + (" (of this file)" if doc.get("removed_frames") else ""))
    if "reorder" in f:
        n.append(reorder_note(f, doc))
    if "midstream" in f:
        syn = tshark_frames(f, "tcp.flags.syn == 1")
        n.append(f"{len(syn)} SYN")
    for r in doc.get("removed_frames", []):
        n.append(f"removed frame {r['frame_in_source']} ({r['direction']}, stream offset "
                 f"{r['offset']}, {r['len']} bytes): {r['why']}")
    return n


def reorder_note(f, doc):
    """Where segments arrive out of order at the capture point (check_http.reorderings)."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from check_http import reorderings
    out = subprocess.run(["tshark", "-n", "-r", f, "-Y", "tcp.len > 0", "-T", "fields",
                          "-e", "frame.number", "-e", "tcp.srcport", "-e", "tcp.seq",
                          "-e", "tcp.len"], capture_output=True, text=True).stdout
    sport = doc["connections"][0]["server"].rsplit(":", 1)[1]
    segs = {True: [], False: []}
    for line in out.splitlines():
        n, sp, seq, ln = line.split("\t")
        segs[sp == sport].append((int(n), int(seq) - 1, int(seq) - 1 + int(ln)))
    parts = []
    for what, key in (("server->client", True), ("client->server", False)):
        holes = reorderings(segs[key])
        parts.append(f"{what} {len(holes)}: " + ", ".join(
            f"{after} -> {'+'.join(str(x[0]) for x in fills)}" for after, fills in holes.items()))
    return ("holes filled out of order at the capture point (first frame captured after the "
            "hole -> the frame(s) filling it): " + "; ".join(parts))


def notes(f, rows, cap_dir):
    n = http_notes(f)
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
        "header change between recordings; in the HTTP captures (`http-*` with an",
        "`.exchanges.json`) the ACK pattern and timer-driven retransmissions can change too,",
        "and http-loss.pcap's drops are random. The HTTP captures are verified while recording",
        "by `scripts/lib/check_http.py` (byte coverage of every message, tshark's view, and the",
        "property each one is for), and recorded with `tcpdump -B 65536` (with",
        "`--immediate-mode` the default buffer holds 8 packets and drops bursts).",
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
        "* `FILE.tshark-http.tsv` (HTTP captures, those with `FILE.exchanges.json`): `tshark -n -2",
        "  -r FILE -Y http -T fields -E header=y -E separator=/t -E occurrence=f` with the fields",
        "  frame.number tcp.stream http.request.method http.request.uri http.response.code",
        "  http.content_type http.content_length_header http.transfer_encoding",
        "  http.content_encoding http.content_length http.request_in http.response_in: one line per",
        "  HTTP message tshark found (a request on the frame that completes it; a 1xx is a",
        "  response). http.file_data is left out (a text field in tshark 4.0: binary bodies come",
        "  out escaped; bodies reach 34 kB); compare bodies with the hashes in exchanges.json.",
        "  tshark is not the ground truth: it misses pipelined requests that share a segment",
        "  and messages hit by a gap.",
        "* `FILE.exchanges.json` (HTTP captures): the ground truth, written while recording from",
        "  what the peers themselves sent (see below).",
        "",
        "## FILE.exchanges.json",
        "",
        "Each peer logs every HTTP message it sends, from the bytes it hands to `send()`",
        "(`--log` of dm_server.py, dm_client.py, http_client.py; scripts/lib/wire_log.py);",
        "`scripts/lib/exchanges.py merge` pairs them. It checks while merging: one final response",
        "per request; per direction the messages are contiguous in the stream; chunked bodies",
        "de-chunk and coded bodies decode to what the sender logged; and where the client logged",
        "what it received (http_client.py) it equals what the server sent. Layout:",
        "",
        "```",
        "{\"format\": \"dmdissect-exchanges/1\", \"about\": ...,",
        " \"connections\": [                      // in the order they were opened",
        "  {\"client\": \"127.0.0.1:54321\", \"server\": \"127.0.0.1:80\",   // IPv6: \"[fd77:7::1]:54321\"",
        "   \"exchanges\": [                      // in request order (responses are FIFO)",
        "    {\"method\": \"POST\", \"uri\": \"/dm\", \"status\": 200,",
        "     \"request\": MESSAGE, \"interim\": [MESSAGE...],   // 1xx responses, e.g. 100 Continue",
        "     \"response\": MESSAGE}]}],",
        " \"removed_frames\": [...]}                // only in a -derived file, see below",
        "```",
        "",
        "MESSAGE fields:",
        "",
        "* `offset`: stream offset of its first byte = bytes its sender had sent on the connection",
        "  before it = TCP relative sequence number - 1 (0 = first byte after the SYN).",
        "* `t`: the sender's clock (epoch seconds) just before its first `send()` (same clock as",
        "  the capture timestamps). `before_capture`: sent before the capturer was listening",
        "  (only http-midstream.pcap has true ones).",
        "* `start_line`, `headers` (`[[name, value], ...]` in order, as sent), `head_len`: bytes of",
        "  start line + header fields + the empty line.",
        "* `framing`: `length` (Content-Length), `chunked`, `close` (response delimited by the",
        "  server closing), `none` (no body: HEAD response, 1xx, 204, 304).",
        "* `wire_len`, `wire_sha256`: the body exactly as on the wire after the header section",
        "  (chunk-size lines, extensions, trailer section included; content coding on).",
        "  `offset + head_len + wire_len` is the next message's offset.",
        "* `body_len`, `body_sha256`: after removing the transfer coding (de-chunked; content",
        "  coding still on). `chunks`: the chunk sizes; `trailers`: the trailer fields (chunked",
        "  only).",
        "* `content_encoding` (null when none), `decoded_len`, `decoded_sha256`: after removing",
        "  the content coding (gzip, deflate = zlib stream); equal to body_* without one.",
        "* `content_type`: the Content-Type header value, or null.",
        "* `parts` (multipart/form-data requests of dm_client.py --multipart): per part its",
        "  `headers`, `len` and `sha256` of the part's data.",
        "* `lost` (-derived files with removed frames): `[{\"frame_in_source\", \"from\", \"to\",",
        "  \"whole_message\"}]`: the byte range [from, to) of the message (head + wire body,",
        "  0 = its first byte) that a removed frame carried.",
        "",
        "`removed_frames` (-derived files): per removed frame its number in the source capture,",
        "`direction` (request = client to server), stream `offset`, `len` and `why`.",
        "",
        "Checksums: TCP/UDP checksums of packets sent by the recording host are not final",
        "(checksum offload on lo/veth), so `tcpdump -v` reports them as incorrect; IP header",
        "checksums and the checksums of fragmented UDP datagrams are correct.",
        "",
        "## DM session captures (`dm-*.pcap`)",
        "",
        "Recorded by `scripts/record-dm-samples` with `scripts/lib/dm_peer.py` (DM server, data",
        "repository, a DM client that can be told to misbehave, Package#0 sender; dialects A and",
        "CR), for session tracking and the rule checker (reference section 6). Besides the",
        "references above, each has `FILE.exchanges.json` and:",
        "",
        "* `FILE.expected-rules.txt`: the rule ids the capture is made to trigger, one per line;",
        "  empty = a clean capture that must produce no DM finding. `dm-clean-*` are clean flows,",
        "  `dm-violation-<rule>-*` trigger the rules listed, `dm-abort-*` are clean sessions that",
        "  end by an HTTP error or a RST (outcome aborted, no finding).",
        "* `FILE.notifications.json` (captures with Package#0): each UDP datagram as",
        "  `dm_peer.py notify` sent it (WSP prefix, Package#0 bytes), the fields it encoded and the",
        "  credentials (DM 2.0: secret `srvsecret`, empty auth data; DM 1.2: server id, password",
        "  `srvsecret`, nonce `nonce1`).",
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
        if os.path.exists(f + ".expected-rules.txt"):
            rules = open(f + ".expected-rules.txt").read().split()
            desc += (" **Expected DM rules** (.expected-rules.txt): " +
                     (", ".join(rules) if rules else "none (clean)") + ".")
        lines.append(f"| `{f}` | {link_type(f)} | {len(rows)} | {os.path.getsize(f)} | {desc} |")
    lines.append("")
    with open("README.md", "w") as fh:
        fh.write("\n".join(lines))
    print(f"write_readme: {len(files)} captures in {os.path.abspath('README.md')}", file=sys.stderr)


if __name__ == "__main__":
    main()
