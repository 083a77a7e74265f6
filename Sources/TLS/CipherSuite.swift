/// A TLS cipher suite number and what dmdissect knows about it.
public struct CipherSuite: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The IANA number.
    public var rawValue: UInt16

    /// Wraps a suite number.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The IANA name (`TLS_AES_256_GCM_SHA384`), or the number in hex for a suite not in the table.
    public var name: String { Self.table[rawValue]?.name ?? hex16(rawValue) }

    /// The name.
    public var description: String { name }

    /// The record protection and hash, when dmdissect can decrypt the suite.
    var parameters: SuiteParameters? { Self.table[rawValue]?.parameters }

    /// True for the TLS 1.3 suites (0x13xx).
    var isTLS13Suite: Bool { rawValue >> 8 == 0x13 }

    private static let table: [UInt16: (name: String, parameters: SuiteParameters?)] = [
        // TLS 1.3 (RFC 8446 §B.4).
        0x1301: ("TLS_AES_128_GCM_SHA256", SuiteParameters(aead: .aes128GCM, hash: .sha256)),
        0x1302: ("TLS_AES_256_GCM_SHA384", SuiteParameters(aead: .aes256GCM, hash: .sha384)),
        0x1303: ("TLS_CHACHA20_POLY1305_SHA256", SuiteParameters(aead: .chacha20Poly1305, hash: .sha256)),
        0x1304: ("TLS_AES_128_CCM_SHA256", nil),
        0x1305: ("TLS_AES_128_CCM_8_SHA256", nil),
        // TLS 1.2 AEAD suites (RFC 5288, RFC 5289, RFC 7905).
        0x009C: ("TLS_RSA_WITH_AES_128_GCM_SHA256", SuiteParameters(aead: .aes128GCM, hash: .sha256)),
        0x009D: ("TLS_RSA_WITH_AES_256_GCM_SHA384", SuiteParameters(aead: .aes256GCM, hash: .sha384)),
        0x009E: ("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", SuiteParameters(aead: .aes128GCM, hash: .sha256)),
        0x009F: ("TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", SuiteParameters(aead: .aes256GCM, hash: .sha384)),
        0xC02B: ("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", SuiteParameters(aead: .aes128GCM, hash: .sha256)),
        0xC02C: ("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", SuiteParameters(aead: .aes256GCM, hash: .sha384)),
        0xC02F: ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", SuiteParameters(aead: .aes128GCM, hash: .sha256)),
        0xC030: ("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", SuiteParameters(aead: .aes256GCM, hash: .sha384)),
        0xCCA8: (
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", SuiteParameters(aead: .chacha20Poly1305, hash: .sha256)
        ),
        0xCCA9: (
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", SuiteParameters(aead: .chacha20Poly1305, hash: .sha256)
        ),
        0xCCAA: (
            "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", SuiteParameters(aead: .chacha20Poly1305, hash: .sha256)
        ),
        // Named only: CBC with HMAC is not decrypted.
        0x002F: ("TLS_RSA_WITH_AES_128_CBC_SHA", nil),
        0x0035: ("TLS_RSA_WITH_AES_256_CBC_SHA", nil),
        0x003C: ("TLS_RSA_WITH_AES_128_CBC_SHA256", nil),
        0x003D: ("TLS_RSA_WITH_AES_256_CBC_SHA256", nil),
        0xC009: ("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", nil),
        0xC00A: ("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", nil),
        0xC013: ("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", nil),
        0xC014: ("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", nil),
        0xC023: ("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", nil),
        0xC024: ("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", nil),
        0xC027: ("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", nil),
        0xC028: ("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", nil),
    ]
}

/// The record protection and hash function of a cipher suite dmdissect decrypts.
struct SuiteParameters: Hashable, Sendable {
    /// The AEAD algorithm.
    var aead: AEADAlgorithm
    /// The hash of the PRF (TLS 1.2) or of HKDF (TLS 1.3).
    var hash: HashAlgorithm
}

/// The AEAD algorithms of the supported suites.
enum AEADAlgorithm: Hashable, Sendable {
    case aes128GCM, aes256GCM, chacha20Poly1305

    /// Key length in bytes.
    var keyLength: Int {
        switch self {
        case .aes128GCM: 16
        case .aes256GCM, .chacha20Poly1305: 32
        }
    }

    /// Bytes of the authentication tag at the end of every protected record.
    static let tagLength = 16
}

/// The hash functions of the supported suites.
enum HashAlgorithm: Hashable, Sendable {
    case sha256, sha384

    /// Output length in bytes.
    var length: Int { self == .sha256 ? 32 : 48 }
}
