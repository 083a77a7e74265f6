#!/usr/bin/env python3
"""scripts/lib/dm_peer.py behind real TLS (Python's ssl module, i.e. the system OpenSSL), for
scripts/record-tls-samples.

  tls_peer.py [TLS OPTIONS] -- DM_PEER ARGS...

The DM peer runs unchanged; only its sockets are wrapped: the server's accepted connections
(dm_peer.py server) and the client's connections (dm_peer.py client).  Its --log records are
the HTTP messages as handed to the TLS socket (plaintext), so exchanges.py merges them into the
ground truth of the decrypted streams (offsets count plaintext bytes).

TLS options:
  --cert FILE --key FILE   server certificate and key (PEM)
  --version 1.2|1.3        the only version both sides allow
  --ciphers STRING         OpenSSL cipher list for TLS 1.2 (TLS 1.3 keeps OpenSSL's suite
                           order, TLS_AES_256_GCM_SHA384 first)
  --keylog FILE            the client writes an NSS key log (SSLContext.keylog_filename)
  --sni NAME               server_name the client sends (default dms.example)
  --resume                 the client offers the previous connection's session (TLS 1.2
                           session id / ticket, TLS 1.3 PSK) on every new connection
Stdlib only.
"""
import argparse
import os
import ssl
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dm_peer  # noqa: E402


def version_bounds(ctx, version):
    v = ssl.TLSVersion.TLSv1_2 if version == "1.2" else ssl.TLSVersion.TLSv1_3
    ctx.minimum_version = v
    ctx.maximum_version = v


def patch_server(a):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)
    version_bounds(ctx, a.version)
    if a.ciphers:
        ctx.set_ciphers(a.ciphers)
    original = dm_peer.Server.get_request

    def get_request(self):
        sock, addr = original(self)
        return ctx.wrap_socket(sock, server_side=True), addr

    dm_peer.Server.get_request = get_request


def patch_client(a):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    version_bounds(ctx, a.version)
    if a.ciphers:
        ctx.set_ciphers(a.ciphers)
    if a.keylog:
        ctx.keylog_filename = a.keylog
    original = dm_peer.Conn.__init__
    last = {"session": None}

    def init(self, host, port, log, src=None):
        original(self, host, port, log, src)
        session = last["session"] if a.resume else None
        self.s = ctx.wrap_socket(self.s, server_hostname=a.sni, session=session)
        self.s.settimeout(30)

    def close(self, rst=False):
        if a.resume and not rst:
            last["session"] = self.s.session
        if not rst:
            # close_notify first, as a well-behaved client does (RFC 8446 §6.1)
            try:
                self.s = self.s.unwrap()
            except (OSError, ValueError):
                pass
        original_close(self, rst)

    original_close = dm_peer.Conn.close
    dm_peer.Conn.__init__ = init
    dm_peer.Conn.close = close


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit("usage: tls_peer.py [TLS OPTIONS] -- DM_PEER ARGS...")
    split = argv.index("--")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--version", choices=["1.2", "1.3"], required=True)
    ap.add_argument("--ciphers")
    ap.add_argument("--keylog")
    ap.add_argument("--sni", default="dms.example")
    ap.add_argument("--resume", action="store_true")
    a = ap.parse_args(argv[:split])
    if a.cert:
        patch_server(a)
    patch_client(a)
    sys.argv = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "dm_peer.py")] + argv[split + 1:]
    dm_peer.main()


if __name__ == "__main__":
    main()
