#!/usr/bin/env python3
"""Verify a DM capture of scripts/record-dm-samples with tshark against FILE.exchanges.json
and FILE.notifications.json; exits non-zero on a mismatch.

  * tshark -Y http holds the same requests (method, URI) and response statuses as
    exchanges.json, compared as multisets (check_http.py --tshark-complete compares them in
    connection order, which differs from frame order when connections overlap);
  * every HTTP body tshark shows equals, byte for byte, a body the peers logged (sha256);
  * every Package#0 datagram that was sent is in the capture (UDP payload to port 2948).
Usage: check_dm.py FILE.   Stdlib only; needs tshark.
"""
import collections
import hashlib
import json
import os
import subprocess
import sys


def tshark(f, fields, flt):
    cmd = ["tshark", "-n", "-2", "-r", f, "-Y", flt, "-T", "fields"]
    for x in fields:
        cmd += ["-e", x]
    return [l.split("\t") for l in subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()]


def main():
    f = sys.argv[1]
    name = os.path.basename(f)
    ok = True
    doc = json.load(open(f + ".exchanges.json"))
    exs = [e for c in doc["connections"] for e in c["exchanges"]]
    want_req = collections.Counter((e["method"], e["uri"]) for e in exs)
    want_resp = collections.Counter(str(e["status"]) for e in exs)
    rows = tshark(f, ["http.request.method", "http.request.uri", "http.response.code"], "http")
    got_req = collections.Counter((r[0], r[1]) for r in rows if r[0])
    got_resp = collections.Counter(r[2] for r in rows if r[2])
    same = got_req == want_req and got_resp == want_resp
    ok &= same
    print(f"check_dm: {name}: tshark -Y http vs exchanges.json (multisets): "
          f"{sum(got_req.values())}/{len(exs)} requests, {sum(got_resp.values())}/{len(exs)} "
          f"responses: {'same' if same else 'DIFFERENT'}", file=sys.stderr)
    logged = {m["body_sha256"] for e in exs for m in (e["request"], e["response"])}
    bodies = tshark(f, ["frame.number", "http.file_data"], "http.file_data")
    # http.file_data is text in tshark 4.0: compare only bodies that are plain printable ASCII
    n = bad = 0
    for fr, data in bodies:
        if "\\" in data or not data.isprintable():
            continue
        n += 1
        if hashlib.sha256(data.encode()).hexdigest() not in logged:
            bad += 1
            print(f"check_dm: {name}: frame {fr}: body not among the logged ones: {data[:120]}",
                  file=sys.stderr)
    ok &= bad == 0
    print(f"check_dm: {name}: {n} single-line bodies seen by tshark, {bad} unknown", file=sys.stderr)
    if os.path.exists(f + ".notifications.json"):
        sent = [d["udp_payload_hex"] for d in json.load(open(f + ".notifications.json"))["datagrams"]]
        got = [r[0].replace(":", "") for r in tshark(f, ["data.data"], "udp.dstport == 2948")]
        got += [r[0].replace(":", "") for r in tshark(f, ["udp.payload"], "udp.dstport == 2948")]
        missing = [s for s in sent if s not in got]
        ok &= not missing
        print(f"check_dm: {name}: {len(sent)} Package#0 datagram(s) sent, {len(missing)} missing "
              f"from the capture", file=sys.stderr)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
