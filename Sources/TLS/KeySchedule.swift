import Crypto

/// Key derivation from key-log secrets: TLS 1.3 HKDF-Expand-Label (RFC 8446 §7.1, §7.2, §7.3)
/// and the TLS 1.2 PRF and key block (RFC 5246 §5, §6.3). Every primitive is swift-crypto's.
enum KeySchedule {
    /// HKDF-Expand-Label(secret, label, context, length) with `tls13 ` prepended to `label`.
    static func expandLabel(
        secret: [UInt8], label: String, context: [UInt8] = [], length: Int, hash: HashAlgorithm
    ) -> [UInt8] {
        let fullLabel = Array("tls13 ".utf8) + Array(label.utf8)
        // struct { uint16 length; opaque label<7..255>; opaque context<0..255>; } HkdfLabel;
        // The callers pass short constant labels, hash-sized contexts and lengths under 256, so
        // the truncating conversions below never drop bits.
        var info: [UInt8] = [UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length)]
        info.append(UInt8(truncatingIfNeeded: fullLabel.count))
        info.append(contentsOf: fullLabel)
        info.append(UInt8(truncatingIfNeeded: context.count))
        info.append(contentsOf: context)
        let key: SymmetricKey
        switch hash {
        case .sha256: key = HKDF<SHA256>.expand(pseudoRandomKey: secret, info: info, outputByteCount: length)
        case .sha384: key = HKDF<SHA384>.expand(pseudoRandomKey: secret, info: info, outputByteCount: length)
        }
        return key.withUnsafeBytes { Array($0) }
    }

    /// TLS 1.3 write key and IV of a traffic secret (RFC 8446 §7.3).
    static func trafficKeys(secret: [UInt8], parameters: SuiteParameters) -> (key: [UInt8], iv: [UInt8]) {
        (
            expandLabel(secret: secret, label: "key", length: parameters.aead.keyLength, hash: parameters.hash),
            expandLabel(secret: secret, label: "iv", length: 12, hash: parameters.hash)
        )
    }

    /// The next TLS 1.3 application traffic secret after a KeyUpdate (RFC 8446 §7.2).
    static func nextTrafficSecret(_ secret: [UInt8], hash: HashAlgorithm) -> [UInt8] {
        expandLabel(secret: secret, label: "traffic upd", length: hash.length, hash: hash)
    }

    /// PRF(secret, label, seed) of TLS 1.2: P_SHA256 or P_SHA384 (RFC 5246 §5).
    static func prf(secret: [UInt8], label: String, seed: [UInt8], length: Int, hash: HashAlgorithm) -> [UInt8] {
        switch hash {
        case .sha256: pHash(SHA256.self, secret: secret, seed: Array(label.utf8) + seed, length: length)
        case .sha384: pHash(SHA384.self, secret: secret, seed: Array(label.utf8) + seed, length: length)
        }
    }

    private static func pHash<H: HashFunction>(_: H.Type, secret: [UInt8], seed: [UInt8], length: Int) -> [UInt8] {
        let key = SymmetricKey(data: secret)
        var output: [UInt8] = []
        output.reserveCapacity(length + H.Digest.byteCount)
        var a = Array(HMAC<H>.authenticationCode(for: seed, using: key))  // A(1)
        while output.count < length {
            output.append(contentsOf: HMAC<H>.authenticationCode(for: a + seed, using: key))
            a = Array(HMAC<H>.authenticationCode(for: a, using: key))
        }
        return Array(output.prefix(length))
    }

    /// TLS 1.2 AEAD keys from the master secret (RFC 5246 §6.3; no MAC keys for AEAD suites):
    /// client_write_key, server_write_key, client_write_IV, server_write_IV. The IV is the 4-byte
    /// implicit salt for AES-GCM (RFC 5288 §3) and the 12-byte nonce mask for ChaCha20-Poly1305
    /// (RFC 7905 §2).
    static func keyBlock(
        masterSecret: [UInt8], clientRandom: [UInt8], serverRandom: [UInt8], parameters: SuiteParameters
    ) -> (client: (key: [UInt8], iv: [UInt8]), server: (key: [UInt8], iv: [UInt8])) {
        let keyLength = parameters.aead.keyLength
        let ivLength = parameters.aead == .chacha20Poly1305 ? 12 : 4
        let block = prf(
            secret: masterSecret, label: "key expansion", seed: serverRandom + clientRandom,
            length: 2 * (keyLength + ivLength), hash: parameters.hash)
        let clientKey = Array(block[0..<keyLength])
        let serverKey = Array(block[keyLength..<(2 * keyLength)])
        let clientIV = Array(block[(2 * keyLength)..<(2 * keyLength + ivLength)])
        let serverIV = Array(block[(2 * keyLength + ivLength)..<(2 * keyLength + 2 * ivLength)])
        return ((clientKey, clientIV), (serverKey, serverIV))
    }
}
