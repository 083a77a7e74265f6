#!/usr/bin/env python3
"""Check a recorded TLS capture with tshark, for scripts/record-tls-samples.

  tls_check.py CAPTURE [--keylog FILE] --version 1.2|1.3 --suite IANA_NAME -o OUT.tsv

1. Every ServerHello in CAPTURE negotiated --version and --suite (tshark's view).
2. tshark, decrypting with --keylog (or, without it, with the pcapng's Decryption Secrets
   Block), finds exactly the HTTP messages of CAPTURE.tls-exchanges.json (the peers' own record),
   connection by connection and in order: request method and URI, response status.
3. OUT.tsv gets tshark's HTTP view (same columns as the FILE.tshark-http.tsv references).
Exits non-zero on any difference.  Stdlib only.
"""
import argparse
import json
import subprocess
import sys

HTTP_FIELDS = ["frame.number", "tcp.stream", "http.request.method", "http.request.uri", "http.response.code",
               "http.content_type", "http.content_length_header", "http.transfer_encoding",
               "http.content_encoding", "http.content_length", "http.request_in", "http.response_in"]
SUITES = {0xC02F: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xC030: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          0xCCA8: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0x1301: "TLS_AES_128_GCM_SHA256",
          0x1302: "TLS_AES_256_GCM_SHA384", 0x1303: "TLS_CHACHA20_POLY1305_SHA256"}


def tshark(capture, keylog, args):
    cmd = ["tshark", "-n", "-r", capture]
    if keylog:
        cmd += ["-o", f"tls.keylog_file:{keylog}"]
    out = subprocess.run(cmd + args, capture_output=True, text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines()]


def fail(msg):
    sys.exit(f"tls_check: {msg}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("capture")
    ap.add_argument("--keylog")
    ap.add_argument("--version", required=True)
    ap.add_argument("--suite", required=True)
    ap.add_argument("-o", "--out", required=True)
    a = ap.parse_args()

    hellos = tshark(a.capture, None, ["-Y", "tls.handshake.type == 2", "-T", "fields", "-e", "tcp.stream",
                                      "-e", "tls.handshake.ciphersuite",
                                      "-e", "tls.handshake.extensions.supported_version"])
    if not hellos:
        fail(f"{a.capture}: no ServerHello")
    for stream, suite, selected in hellos:
        version = "1.3" if selected == "0x0304" else "1.2"
        name = SUITES.get(int(suite, 16), suite)
        if version != a.version or name != a.suite:
            fail(f"{a.capture}: stream {stream} negotiated TLS {version} {name}, expected {a.version} {a.suite}")

    args = ["-2", "-Y", "http", "-T", "fields", "-E", "header=y", "-E", "separator=/t", "-E", "occurrence=f"]
    for f in HTTP_FIELDS:
        args += ["-e", f]
    rows = tshark(a.capture, a.keylog, args)
    with open(a.out, "w") as fh:
        fh.write("".join("\t".join(r) + "\n" for r in rows))
    header, rows = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(header)}
    seen = {}
    for r in rows:
        stream = int(r[col["tcp.stream"]])
        if r[col["http.request.method"]]:
            seen.setdefault(stream, []).append(f"{r[col['http.request.method']]} {r[col['http.request.uri']]}")
        if r[col["http.response.code"]]:
            seen.setdefault(stream, []).append(r[col["http.response.code"]])

    truth = json.load(open(a.capture + ".tls-exchanges.json"))
    expected = []
    for conn in truth["connections"]:
        messages = []
        for ex in conn["exchanges"]:
            start = ex["request"]["start_line"].split(" ")
            messages.append(f"{start[0]} {start[1]}")
            messages.append(ex["response"]["start_line"].split(" ")[1])
        expected.append(messages)
    got = [seen[k] for k in sorted(seen)]
    if got != expected:
        fail(f"{a.capture}: tshark decrypted {got}, the peers sent {expected}")
    n = sum(len(m) for m in expected)
    print(f"tls_check: {a.capture}: TLS {a.version} {a.suite}, {len(expected)} connections, "
          f"{n} HTTP messages, same as the peers sent", file=sys.stderr)


if __name__ == "__main__":
    main()
