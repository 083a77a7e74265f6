#!/usr/bin/env python3
"""mktlsbench.py - the benchmark capture of mkbench.py with every DM session carried over TLS.

    mktlsbench.py [mkbench.py options] --out FILE       (writes FILE and FILE.keylog)

Same generator, same seed as `mkbench.py` with the same options; TLS randoms and secrets come
from a generator of their own, so with `--noise-ratio 0` the HTTP messages inside are byte for
byte those of the plaintext capture. Background traffic (in clear) is scheduled by mkbench by
byte count, so with `--noise-ratio` > 0 the TLS overhead shifts the shared random stream and the
two captures hold similar, not identical, traffic. Each DM connection, after its TCP handshake, runs a TLS handshake shaped like a
real one and then carries every HTTP message in TLS records (one record per write, at most
2^14 bytes of plaintext), alternately
  TLS 1.3 TLS_AES_128_GCM_SHA256    ClientHello / ServerHello, ChangeCipherSpec, encrypted
                                    EncryptedExtensions + Finished / ChangeCipherSpec, Finished
  TLS 1.2 ECDHE-RSA-CHACHA20-POLY1305  ClientHello / ServerHello, Certificate, ServerHelloDone /
                                    ClientKeyExchange, ChangeCipherSpec, Finished / CCS, Finished
The secrets are random and written as an NSS key log (FILE.keylog), so dmdissect --tls-keylog
and Wireshark decrypt the capture. The certificate and key exchange bytes are filler: nothing
verifies them. Needs the `cryptography` package (AES-GCM, ChaCha20-Poly1305).
"""
import hashlib
import hmac
import os
import random
import struct
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkbench  # noqa: E402

PlainConn = mkbench.TcpConn
TLS_RNG = random.Random(0x7154)
KEYLOG = []
MAX_RECORD = 1 << 14


def expand_label(secret, label, length):
    """HKDF-Expand-Label with SHA-256 and an empty context (RFC 8446 §7.1)."""
    full = b'tls13 ' + label
    info = struct.pack('!HB', length, len(full)) + full + b'\x00'
    out, block, i = b'', b'', 1
    while len(out) < length:
        block = hmac.new(secret, block + info + bytes([i]), hashlib.sha256).digest()
        out += block
        i += 1
    return out[:length]


def prf(secret, label, seed, length):
    """TLS 1.2 PRF with SHA-256 (RFC 5246 §5)."""
    seed = label + seed
    out, a = b'', seed
    while len(out) < length:
        a = hmac.new(secret, a, hashlib.sha256).digest()
        out += hmac.new(secret, a + seed, hashlib.sha256).digest()
    return out[:length]


def record(ctype, body):
    return struct.pack('!BHH', ctype, 0x0303, len(body)) + body


def message(mtype, body):
    return struct.pack('!B', mtype) + len(body).to_bytes(3, 'big') + body


def ext(etype, body):
    return struct.pack('!HH', etype, len(body)) + body


def client_hello(random_, tls13):
    name = b'dm.example.com'
    sni = ext(0, struct.pack('!HBH', len(name) + 3, 0, len(name)) + name)
    exts = sni + (ext(43, b'\x02\x03\x04') + ext(51, b'\x00\x00') if tls13 else ext(23, b''))
    suites = [0x1301, 0x1302, 0x1303] if tls13 else [0xCCA8, 0xC02F]
    body = (b'\x03\x03' + random_ + b'\x20' + TLS_RNG.randbytes(32) + struct.pack('!H', 2 * len(suites))
            + b''.join(struct.pack('!H', s) for s in suites) + b'\x01\x00' + struct.pack('!H', len(exts)) + exts)
    return record(22, message(1, body))


class Protection:
    """One direction's record protection."""

    def __init__(self, tls13, key, iv):
        self.tls13, self.iv, self.seq = tls13, iv, 0
        self.aead = AESGCM(key) if tls13 else ChaCha20Poly1305(key)

    def seal(self, ctype, plain):
        nonce = bytes(a ^ b for a, b in zip(self.iv, self.seq.to_bytes(12, 'big')))
        if self.tls13:
            inner = plain + bytes([ctype])
            header = struct.pack('!BHH', 23, 0x0303, len(inner) + 16)
            out = header + self.aead.encrypt(nonce, inner, header)
        else:
            aad = self.seq.to_bytes(8, 'big') + struct.pack('!BHH', ctype, 0x0303, len(plain))
            out = struct.pack('!BHH', ctype, 0x0303, len(plain) + 16) + self.aead.encrypt(nonce, plain, aad)
        self.seq += 1
        return out


class TLSConn(PlainConn):
    """A TCP connection of mkbench.py that speaks TLS (see the module doc)."""
    __slots__ = ('tls13', 'app')
    count = 0

    def handshake(self, ev, t, rtt):
        t = super().handshake(ev, t, rtt) + 0.00002
        TLSConn.count += 1
        self.tls13 = TLSConn.count % 2 == 1
        cr, sr = TLS_RNG.randbytes(32), TLS_RNG.randbytes(32)
        ch = client_hello(cr, self.tls13)
        gap = 0.00001
        if self.tls13:
            secrets = [TLS_RNG.randbytes(32) for _ in range(4)]  # c hs, s hs, c ap, s ap
            for label, secret in zip(('CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET',
                                      'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0'), secrets):
                KEYLOG.append('%s %s %s' % (label, cr.hex(), secret.hex()))
            prot = [Protection(True, expand_label(s, b'key', 16), expand_label(s, b'iv', 12)) for s in secrets]
            sh = record(22, message(2, b'\x03\x03' + sr + ch[43:76] + b'\x13\x01\x00'
                                    + struct.pack('!H', 6) + ext(43, b'\x03\x04')))
            flight = sh + record(20, b'\x01') + prot[1].seal(
                22, message(8, b'\x00\x00') + message(20, TLS_RNG.randbytes(32)))
            finish = record(20, b'\x01') + prot[0].seal(22, message(20, TLS_RNG.randbytes(32)))
            server_finish = b''
            self.app = (prot[2], prot[3])
        else:
            master = TLS_RNG.randbytes(48)
            KEYLOG.append('CLIENT_RANDOM %s %s' % (cr.hex(), master.hex()))
            block = prf(master, b'key expansion', sr + cr, 2 * (32 + 12))
            client = Protection(False, block[0:32], block[64:76])
            server = Protection(False, block[32:64], block[76:88])
            sh = message(2, b'\x03\x03' + sr + b'\x20' + TLS_RNG.randbytes(32) + b'\xcc\xa8\x00\x00\x00')
            cert = message(11, (900).to_bytes(3, 'big') + (897).to_bytes(3, 'big') + TLS_RNG.randbytes(897))
            flight = record(22, sh + cert + message(14, b''))
            finish = (record(22, message(16, b'\x20' + TLS_RNG.randbytes(32))) + record(20, b'\x01')
                      + client.seal(22, message(20, TLS_RNG.randbytes(12))))
            server_finish = record(20, b'\x01') + server.seal(22, message(20, TLS_RNG.randbytes(12)))
            self.app = (client, server)
        t, _ = PlainConn.send(self, ev, 0, t, ch, rtt, gap)
        t, _ = PlainConn.send(self, ev, 1, t + rtt, flight, rtt, gap)
        t, _ = PlainConn.send(self, ev, 0, t + 0.00005, finish, rtt, gap)
        if server_finish:
            t, _ = PlainConn.send(self, ev, 1, t + rtt, server_finish, rtt, gap)
        return t

    def send(self, ev, d, t, data, rtt, gap, chunks=None, chunk_sums=None):
        # Each write of the application is one or more records: the header block and the body
        # of a "split" client stay apart, as two SSL_write calls would keep them.
        writes = [data] if chunks is None else [b''.join(chunks)]
        if chunks is not None and len(chunks) > 1 and len(chunks[0]) < mkbench.MSS:
            writes = [chunks[0], b''.join(chunks[1:])]
        wire = b''.join(self.app[d].seal(23, w[i:i + MAX_RECORD])
                        for w in writes for i in range(0, max(1, len(w)), MAX_RECORD))
        return PlainConn.send(self, ev, d, t, wire, rtt, gap)


def main():
    out = sys.argv[sys.argv.index('--out') + 1] if '--out' in sys.argv else None
    original = mkbench.dm_session

    def dm_session(g, t0):
        mkbench.TcpConn = TLSConn
        try:
            return original(g, t0)
        finally:
            mkbench.TcpConn = PlainConn

    mkbench.dm_session = dm_session
    mkbench.main()
    if out:
        with open(out + '.keylog', 'w') as fh:
            fh.write('# mktlsbench.py: random secrets of the benchmark capture\n' + '\n'.join(KEYLOG) + '\n')


if __name__ == '__main__':
    main()
