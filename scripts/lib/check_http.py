#!/usr/bin/env python3
"""Verify an HTTP sample capture with tshark against FILE.exchanges.json (the peers' own
record of what they sent).  Prints what it found; exits non-zero when a requested
check fails (scripts/record-samples then fails, or retries the loss recording).

Usage: check_http.py FILE [--exchanges N] [--tshark-complete] [--loss] [--no-syn]
                          [--pipelined N,M,...] [--gaps] [--reorder S,C]
  always            every message byte the peers sent is in a captured TCP segment
                    (byte coverage by stream offset), except messages sent before the
                    capture started and bytes of frames removed on purpose (--gaps)
  --exchanges N     FILE.exchanges.json has N exchanges
  --tshark-complete tshark -Y http finds the same requests (method, URI) and
                    responses (status, 1xx included) in the same order
  --loss            tshark flags >= 1 tcp.analysis.retransmission and >= 1
                    tcp.analysis.out_of_order
  --no-syn          no SYN in the capture (picked up mid-stream)
  --pipelined N,M   exchanges come in batches of N, M, ... requests; in each batch
                    the last request's last byte is captured before the first
                    byte of the batch's first response
  --gaps            the bytes of the removed frames are absent and tshark reports
                    "previous segment not captured"
  --reorder S,C     real out-of-order arrival at the capture point: at least S holes
                    in the server->client direction and C in the client->server
                    direction, where a hole is stream bytes captured (by the
                    fillers) only AFTER a frame carrying higher offsets of the same
                    direction; tshark must flag "previous segment not captured" on
                    the first frame captured after each hole (prints them all)
Stdlib only; needs tshark.
"""
import argparse
import json
import subprocess
import sys


def tshark(path, fields, flt=None, two_pass=False):
    cmd = ["tshark", "-n", "-r", path]
    if two_pass:
        cmd.append("-2")
    if flt:
        cmd += ["-Y", flt]
    cmd += ["-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines()]


def count(path, flt):
    return len(tshark(path, ["frame.number"], flt))


def merge_ranges(rs):
    out = []
    for a, b in sorted(rs):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--exchanges", type=int)
    ap.add_argument("--tshark-complete", action="store_true")
    ap.add_argument("--loss", action="store_true")
    ap.add_argument("--no-syn", action="store_true")
    ap.add_argument("--pipelined")
    ap.add_argument("--gaps", action="store_true")
    ap.add_argument("--reorder")
    a = ap.parse_args()
    f = a.file
    name = f.rsplit("/", 1)[-1]
    doc = json.load(open(f + ".exchanges.json"))
    errors = []

    def check(ok, msg):
        print(f"check_http: {name}: {'ok' if ok else 'FAILED'}: {msg}", file=sys.stderr)
        if not ok:
            errors.append(msg)

    exs = [(c, e) for c in doc["connections"] for e in c["exchanges"]]
    nframes = count(f, None)
    print(f"check_http: {name}: {nframes} frames, {len(doc['connections'])} connection(s), "
          f"{len(exs)} exchange(s) in exchanges.json", file=sys.stderr)
    if a.exchanges is not None:
        check(len(exs) == a.exchanges, f"{len(exs)} exchanges (want {a.exchanges})")

    # byte coverage: stream offsets (relative seq - 1) of the captured data segments
    # (without the SYN: the first captured data segment of each direction starts the first
    # message sent after the capture started, which anchors the raw sequence numbers)
    segs = tshark(f, ["frame.number", "tcp.srcport", "tcp.dstport", "tcp.seq", "tcp.seq_raw",
                      "tcp.len"], "tcp.len > 0")
    base = {}
    if a.no_syn:
        for c, e in exs:
            cport, sport = c["client"].rsplit(":", 1)[1], c["server"].rsplit(":", 1)[1]
            for key, m in (((cport, sport), e["request"]), ((sport, cport), e["response"])):
                if not m.get("before_capture") and key not in base:
                    first = next(int(r[4]) for r in segs if (r[1], r[2]) == key)
                    base[key] = first - m["offset"]
    ranges, first_frame = {}, {}
    for n, sp, dp, seq, raw, ln in segs:
        key = (sp, dp)
        off = (int(raw) - base[key]) % 2**32 if a.no_syn else int(seq) - 1
        ranges.setdefault(key, []).append((off, off + int(ln)))
        first_frame.setdefault(key, []).append((int(n), off, off + int(ln)))
    if True:
        lost_total = missing_total = 0
        for c, e in exs:
            cport, sport = c["client"].rsplit(":", 1)[1], c["server"].rsplit(":", 1)[1]
            for kind, key in (("request", (cport, sport)), ("response", (sport, cport))):
                msgs = [e["request"]] if kind == "request" else e["interim"] + [e["response"]]
                have = merge_ranges(ranges.get(key, []))
                for m in msgs:
                    if m.get("before_capture"):
                        continue
                    lo, hi = m["offset"], m["offset"] + m["head_len"] + m["wire_len"]
                    covered = sum(max(0, min(hi, b) - max(lo, a_)) for a_, b in have)
                    lost = sum(x["to"] - x["from"] for x in m.get("lost", []))
                    lost_total += lost
                    if covered != hi - lo - lost:
                        missing_total += hi - lo - lost - covered
        check(missing_total == 0, f"all message bytes captured (except {lost_total} removed on "
              f"purpose); missing: {missing_total}")

    # tshark's HTTP view
    rows = tshark(f, ["frame.number", "tcp.stream", "http.request.method", "http.request.uri",
                      "http.response.code"], "http", two_pass=True)
    t_req = [(r[2], r[3]) for r in rows if r[2]]
    t_resp = [r[4] for r in rows if r[4]]
    want_req = [(e["method"], e["uri"]) for c, e in exs if not e["request"].get("before_capture")]
    want_resp = [m["start_line"].split(" ")[1] for c, e in exs for m in e["interim"] + [e["response"]]
                 if not m.get("before_capture")]
    same = t_req == want_req and t_resp == want_resp
    msg = (f"tshark -Y http: {len(t_req)} requests, {len(t_resp)} responses; exchanges.json "
           f"(in the capture): {len(want_req)} requests, {len(want_resp)} responses; "
           f"{'same' if same else 'DIFFERENT'} method/URI/status sequence")
    if a.tshark_complete:
        check(same, msg)
    else:
        print(f"check_http: {name}: info: {msg}", file=sys.stderr)

    if a.loss:
        n_re = count(f, "tcp.analysis.retransmission")
        n_fast = count(f, "tcp.analysis.fast_retransmission")
        n_ooo = count(f, "tcp.analysis.out_of_order")
        n_lost = count(f, "tcp.analysis.lost_segment")
        n_dup = count(f, "tcp.analysis.duplicate_ack")
        print(f"check_http: {name}: tshark: {n_re} retransmission ({n_fast} fast), {n_ooo} "
              f"out-of-order, {n_lost} previous-segment-not-captured, {n_dup} duplicate ACKs",
              file=sys.stderr)
        check(n_re >= 1, f"{n_re} tcp.analysis.retransmission (want >= 1)")
        check(n_ooo >= 1, f"{n_ooo} tcp.analysis.out_of_order (want >= 1)")

    if a.no_syn:
        n_syn = count(f, "tcp.flags.syn == 1")
        check(n_syn == 0, f"{n_syn} SYN segments (want 0)")
        before = sum(1 for c, e in exs if e["request"].get("before_capture"))
        check(before >= 1, f"{before} exchange(s) before the capture started (want >= 1)")

    if a.pipelined:
        sizes = [int(x) for x in a.pipelined.split(",")]
        c = doc["connections"][0]
        cport, sport = c["client"].rsplit(":", 1)[1], c["server"].rsplit(":", 1)[1]
        req_frames = first_frame[(cport, sport)]
        resp_frames = first_frame[(sport, cport)]
        i = 0
        for size in sizes:
            batch = c["exchanges"][i:i + size]
            last = batch[-1]["request"]
            end = last["offset"] + last["head_len"] + last["wire_len"]
            f_last = max(n for n, lo, hi in req_frames if lo < end <= hi)
            first = batch[0]["response"]
            f_first = min(n for n, lo, hi in resp_frames if lo <= first["offset"] < hi)
            check(f_last < f_first, f"batch of {size} requests (exchanges {i}-{i + size - 1}): "
                  f"last request byte in frame {f_last}, first response byte in frame {f_first}")
            i += size

    if a.gaps:
        n_lost = count(f, "tcp.analysis.lost_segment")
        removed = doc.get("removed_frames", [])
        check(n_lost >= len(removed) and removed,
              f"{len(removed)} frames removed; tshark: {n_lost} previous-segment-not-captured")

    if a.reorder:
        want_s, want_c = (int(x) for x in a.reorder.split(","))
        c = doc["connections"][0]
        cport, sport = c["client"].rsplit(":", 1)[1], c["server"].rsplit(":", 1)[1]
        lost_frames = set(int(r[0]) for r in tshark(f, ["frame.number"], "tcp.analysis.lost_segment"))
        for what, key, want in (("server->client", (sport, cport), want_s),
                                ("client->server", (cport, sport), want_c)):
            holes = reorderings(first_frame.get(key, []))
            flagged = [h for h in holes if h in lost_frames]
            desc = "; ".join(f"frame {after} captured before bytes {min(x[1] for x in fills)}-"
                             f"{max(x[2] for x in fills)}, filled by frame(s) "
                             f"{', '.join(str(x[0]) for x in fills)}"
                             for after, fills in holes.items())
            check(len(holes) >= want and len(flagged) == len(holes),
                  f"{what}: {len(holes)} hole(s) filled out of order (want >= {want}), "
                  f"{len(flagged)} of them flagged previous-segment-not-captured: {desc or 'none'}")

    if errors:
        sys.exit(1)


def reorderings(segs):
    """segs: (frame, lo, hi) of one direction in capture order.  A filler is a frame
    carrying bytes never captured before, below the highest offset already captured (it
    arrives out of order); the hole it fills is named by the first frame captured after
    the hole began (the one tshark flags "previous segment not captured").  Returns
    {that frame: [(filler frame, lo, hi), ...]} (a hole may take several fillers)."""
    out, have, top = {}, [], 0
    for n, lo, hi in segs:
        new = gaps_in(have, lo, hi)
        if lo < top and new:
            hole_lo = new[0][0]
            after = min(m for m, l2, h2 in segs if m < n and l2 > hole_lo)
            out.setdefault(after, []).append((n, new[0][0], new[-1][1]))
        have = merge_ranges([tuple(r) for r in have] + [(lo, hi)])
        top = max(top, hi)
    return out


def gaps_in(have, lo, hi):
    """The parts of [lo, hi) not covered by the merged ranges `have`."""
    out, cur = [], lo
    for a, b in have:
        if b <= cur:
            continue
        if a >= hi:
            break
        if a > cur:
            out.append((cur, a))
        cur = max(cur, b)
    if cur < hi:
        out.append((cur, hi))
    return out


if __name__ == "__main__":
    main()
