#!/usr/bin/env python3
"""Merge the --log files of the recording peers (dm_client.py / http_client.py:
requests; dm_server.py: responses) into FILE.exchanges.json, the ground truth of
the HTTP exchanges in a capture: what the peers really sent, message by message.
The format is described in SampleCaptures/README.md (scripts/lib/write_readme.py).

Checks while merging (exits non-zero on any failure): every request has exactly
one final response; per connection and direction the messages are contiguous
(offset of the next = offset + head + body); a chunked body de-chunks to the
payload the sender logged; a content-coded payload decodes to the content logged;
where the client logged what it received (http_client.py), it is byte-identical to
what the server logged as sent.

Usage: exchanges.py merge LOG... -o OUT.json [--started-at EPOCH]
         --started-at EPOCH: when the capturer was ready; every message gets
                    "before_capture": (its send time < EPOCH)
       exchanges.py gaps EXCHANGES.json --capture SRC.pcap -o OUT.json
         choose data segments of SRC.pcap (first connection) to remove: one
         strictly inside the largest request body, one strictly inside the largest
         response body, one that carries exactly one whole (later) response; print
         their frame numbers (for editcap) and write OUT.json: a copy of
         EXCHANGES.json with "removed_frames" (frame in SRC, direction, stream
         offset, length, why) and "lost" on every message they hit.
Stdlib only.
"""
import argparse
import base64
import gzip
import hashlib
import json
import subprocess
import sys
import zlib


def sha(b):
    return hashlib.sha256(b).hexdigest()


def parse_head(head):
    lines = head.decode("latin-1").split("\r\n")
    hdrs = []
    for ln in lines[1:]:
        if ln:
            k, _, v = ln.partition(":")
            hdrs.append([k.strip(), v.strip()])
    return lines[0], hdrs


def header(hdrs, name):
    for k, v in hdrs:
        if k.lower() == name:
            return v
    return None


def dechunk(wire):
    """(payload, chunk sizes, trailer fields) of a chunked body."""
    out, sizes, pos = b"", [], 0
    while True:
        eol = wire.index(b"\r\n", pos)
        size = int(wire[pos:eol].split(b";")[0], 16)
        pos = eol + 2
        if size == 0:
            break
        sizes.append(size)
        out += wire[pos:pos + size]
        if wire[pos + size:pos + size + 2] != b"\r\n":
            raise ValueError("chunk data not followed by CRLF")
        pos += size + 2
    trailers = []
    while True:
        eol = wire.index(b"\r\n", pos)
        line = wire[pos:eol].decode("latin-1")
        pos = eol + 2
        if not line:
            break
        k, _, v = line.partition(":")
        trailers.append([k.strip(), v.strip()])
    if pos != len(wire):
        raise ValueError("bytes after the chunked body")
    return out, sizes, trailers


def decode(payload, enc):
    if not payload or not enc or enc == "identity":
        return payload
    if enc == "gzip":
        return gzip.decompress(payload)
    if enc == "deflate":
        return zlib.decompress(payload)
    raise ValueError(f"unknown content coding {enc}")


def fail(msg):
    sys.exit(f"exchanges.py: {msg}")


def message(rec):
    head = base64.b64decode(rec["head"])
    wire = base64.b64decode(rec["wire"])
    payload = base64.b64decode(rec["payload"])
    content = base64.b64decode(rec["content"])
    start, hdrs = parse_head(head)
    m = {"offset": rec["offset"], "t": round(rec["t"], 6), "start_line": start, "headers": hdrs,
         "head_len": len(head), "framing": rec["framing"]}
    if rec["framing"] == "chunked":
        p, sizes, trailers = dechunk(wire)
        if p != payload:
            fail(f"{start}: de-chunked body differs from the logged payload")
        m["chunks"] = sizes
        m["trailers"] = trailers
    elif payload != wire:
        fail(f"{start}: payload differs from wire without chunking")
    enc = header(hdrs, "content-encoding")
    if decode(payload, enc) != content:
        fail(f"{start}: decoded payload differs from the logged content")
    m.update({"content_type": header(hdrs, "content-type"),
              "wire_len": len(wire), "wire_sha256": sha(wire),
              "body_len": len(payload), "body_sha256": sha(payload),
              "content_encoding": enc,
              "decoded_len": len(content), "decoded_sha256": sha(content)})
    if "parts" in rec:
        m["parts"] = []
        for part in rec["parts"]:
            data = base64.b64decode(part["data"])
            m["parts"].append({"headers": part["headers"], "len": len(data), "sha256": sha(data)})
    return m, head + wire


def write(doc, path):
    """Indented JSON, but each message object (and each removed frame) on one line."""
    def msg(m):
        return json.dumps(m, separators=(", ", ": "))
    out = ["{"]
    for k, v in doc.items():
        if k == "connections":
            out.append(' "connections": [')
            for ci, c in enumerate(v):
                out.append(f'  {{"client": {json.dumps(c["client"])}, "server": {json.dumps(c["server"])}, "exchanges": [')
                for ei, ex in enumerate(c["exchanges"]):
                    out.append(f'   {{"method": {json.dumps(ex["method"])}, "uri": {json.dumps(ex["uri"])}, '
                               f'"status": {ex["status"]},')
                    out.append(f'    "request": {msg(ex["request"])},')
                    out.append('    "interim": [' + ", ".join(msg(m) for m in ex["interim"]) + "],")
                    out.append(f'    "response": {msg(ex["response"])}}}' + ("," if ei < len(c["exchanges"]) - 1 else ""))
                out.append("  ]}" + ("," if ci < len(v) - 1 else ""))
            out.append(" ]" + ("," if k != list(doc)[-1] else ""))
        elif k == "removed_frames":
            out.append(' "removed_frames": [')
            out.append(",\n".join("  " + msg(f) for f in v))
            out.append(" ]" + ("," if k != list(doc)[-1] else ""))
        else:
            out.append(f" {json.dumps(k)}: {json.dumps(v)}" + ("," if k != list(doc)[-1] else ""))
    out.append("}")
    text = "\n".join(out) + "\n"
    json.loads(text)                      # still valid JSON
    with open(path, "w") as fh:
        fh.write(text)


def merge(a):
    recs = []
    for path in a.logs:
        with open(path) as fh:
            recs += [json.loads(line) for line in fh if line.strip()]
    conns = {}
    for r in recs:
        key = (r["conn"]["client"], r["conn"]["server"])
        conns.setdefault(key, []).append(r)
    t0 = a.started_at
    out = []
    total = 0
    for (client, server), rs in conns.items():
        reqs = {r["index"]: r for r in rs if r["kind"] == "request"}
        finals = {r["index"]: r for r in rs if r["kind"] == "response"}
        interims = {}
        for r in rs:
            if r["kind"] == "interim":
                interims.setdefault(r["index"], []).append(r)
        received = {}
        for r in rs:
            if r["kind"] == "received":
                received.setdefault(r["index"], []).append(r)
        if sorted(reqs) != list(range(len(reqs))) or sorted(finals) != sorted(reqs):
            fail(f"{client} -> {server}: requests {sorted(reqs)} vs responses {sorted(finals)}")
        for direction in (("request",), ("interim", "response")):
            seq = sorted((r for r in rs if r["kind"] in direction), key=lambda r: r["offset"])
            pos = seq[0]["offset"] if seq else 0
            for r in seq:
                if r["offset"] != pos:
                    fail(f"{client} -> {server}: {direction} at offset {r['offset']}, expected {pos}")
                pos += len(base64.b64decode(r["head"])) + len(base64.b64decode(r["wire"]))
        exchanges = []
        for i in range(len(reqs)):
            req, req_bytes = message(reqs[i])
            sent_resps = [message(x) for x in sorted(interims.get(i, []), key=lambda r: r["offset"])]
            resp, resp_bytes = message(finals[i])
            if i in received:
                got = b"".join(base64.b64decode(x["head"]) + base64.b64decode(x["wire"])
                               for x in received[i])
                if got != b"".join(b for _, b in sent_resps) + resp_bytes:
                    fail(f"{client} -> {server}: response {i} received differs from sent")
            parts = req["start_line"].split(" ")
            ex = {"method": parts[0], "uri": parts[1],
                  "status": int(resp["start_line"].split(" ")[1]),
                  "request": req, "interim": [m for m, _ in sent_resps], "response": resp}
            if t0 is not None:
                for m in [req, resp] + ex["interim"]:
                    m["before_capture"] = m["t"] < t0
            exchanges.append(ex)
        total += len(exchanges)
        out.append({"client": client, "server": server, "exchanges": exchanges})
    out.sort(key=lambda c: c["exchanges"][0]["request"]["t"])
    doc = {"format": "dmdissect-exchanges/1",
           "about": "HTTP messages as the recording peers sent them; see SampleCaptures/README.md",
           "connections": out}
    write(doc, a.out)
    print(f"exchanges.py: {len(out)} connection(s), {total} exchange(s) -> {a.out}", file=sys.stderr)


def segments(capture):
    """Data segments of a capture: (frame, client port, server port?, src port, dst port, offset, len)."""
    out = subprocess.run(["tshark", "-n", "-r", capture, "-Y", "tcp.len > 0", "-T", "fields",
                          "-e", "frame.number", "-e", "tcp.srcport", "-e", "tcp.dstport",
                          "-e", "tcp.seq", "-e", "tcp.len"],
                         capture_output=True, text=True, check=True).stdout
    segs = []
    for line in out.splitlines():
        n, sp, dp, seq, ln = line.split("\t")
        segs.append((int(n), sp, dp, int(seq) - 1, int(ln)))
    return segs


def gaps(a):
    """Pick the frames to remove from the source capture, annotate the exchanges."""
    doc = json.load(open(a.exchanges))
    conn = doc["connections"][0]
    cport, sport = conn["client"].rsplit(":", 1)[1], conn["server"].rsplit(":", 1)[1]
    exs = conn["exchanges"]
    segs = segments(a.capture)

    def segs_of(direction):
        src, dst = (cport, sport) if direction == "request" else (sport, cport)
        return [(n, off, ln) for n, sp, dp, off, ln in segs if (sp, dp) == (src, dst)]

    def inside_body(i, direction):
        m = exs[i][direction]
        lo, hi = m["offset"] + m["head_len"], m["offset"] + m["head_len"] + m["wire_len"]
        c = [x for x in segs_of(direction) if x[1] > lo and x[1] + x[2] < hi]
        if not c:
            fail(f"no segment strictly inside the {direction} body of exchange {i}")
        return c[len(c) // 2]

    picks = []
    ireq = max(range(len(exs)), key=lambda i: exs[i]["request"]["wire_len"])
    n, off, ln = inside_body(ireq, "request")
    picks.append((n, "request", f"inside the request body of exchange {ireq} "
                  f"({exs[ireq]['request']['wire_len']}-byte Package#3)"))
    iresp = max(range(len(exs)), key=lambda i: exs[i]["response"]["wire_len"])
    n, off, ln = inside_body(iresp, "response")
    picks.append((n, "response", f"in the middle of the response body of exchange {iresp} "
                  f"({exs[iresp]['response']['wire_len']}-byte Package#2)"))
    whole = None
    for i in range(len(exs) - 1):
        if i in (ireq, iresp):
            continue
        m = exs[i]["response"]
        for n, off, ln in segs_of("response"):
            if off == m["offset"] and ln == m["head_len"] + m["wire_len"]:
                whole = (n, i)
        if whole and whole[1] > max(ireq, iresp):
            break
    if whole:
        picks.append((whole[0], "response", f"the whole response of exchange {whole[1]} (one "
                      "segment), so the lost bytes lie exactly between two messages"))
    picks.sort()
    info = []
    for n, direction, why in picks:
        off, ln = next((o, l) for f, o, l in segs_of(direction) if f == n)
        info.append({"frame_in_source": n, "direction": direction, "offset": off, "len": ln,
                     "why": why})
        for ex in exs:
            msgs = [ex["request"]] if direction == "request" else ex["interim"] + [ex["response"]]
            for m in msgs:
                start, end = m["offset"], m["offset"] + m["head_len"] + m["wire_len"]
                lo, hi = max(start, off), min(end, off + ln)
                if lo < hi:
                    m.setdefault("lost", []).append(
                        {"frame_in_source": n, "from": lo - start, "to": hi - start,
                         "whole_message": lo == start and hi == end})
    doc["about"] = ("HTTP messages as the recording peers sent them (copied from the source "
                    "capture's .exchanges.json); \"lost\" = byte ranges [from, to) of the message "
                    "(head + body as on the wire) carried by a removed frame; see "
                    "SampleCaptures/README.md")
    doc["removed_frames"] = info
    write(doc, a.out)
    print(" ".join(str(x["frame_in_source"]) for x in info))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("merge")
    m.add_argument("logs", nargs="+")
    m.add_argument("-o", dest="out", required=True)
    m.add_argument("--started-at", type=float)
    g = sub.add_parser("gaps")
    g.add_argument("exchanges")
    g.add_argument("--capture", required=True)
    g.add_argument("-o", dest="out", required=True)
    a = ap.parse_args()
    merge(a) if a.cmd == "merge" else gaps(a)


if __name__ == "__main__":
    main()
