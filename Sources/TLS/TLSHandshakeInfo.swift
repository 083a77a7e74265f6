import Packets
import Reassembly

/// What the handshake of a TLS connection showed, as far as the capture holds it.
public struct TLSHandshakeInfo: Hashable, Sendable {
    /// The negotiated version (ServerHello's supported_versions, else its legacy_version); nil
    /// before a ServerHello was seen.
    public var version: ProtocolVersion?
    /// The negotiated cipher suite; nil before a ServerHello was seen.
    public var cipherSuite: CipherSuite?
    /// The ClientHello's server_name (printable ASCII; other bytes written as `\xNN`).
    public var serverName: String?
    /// Versions the client offered in supported_versions (empty when it sent none).
    public var offeredVersions: [ProtocolVersion]
    /// True when the server answered with a HelloRetryRequest first.
    public var hadHelloRetryRequest: Bool
    /// True for a TLS 1.2 abbreviated handshake (the server echoed the client's session id, or
    /// resumed through a ticket: no Certificate before its ChangeCipherSpec).
    public var isResumed: Bool

    /// Empty information.
    public init(
        version: ProtocolVersion? = nil, cipherSuite: CipherSuite? = nil, serverName: String? = nil,
        offeredVersions: [ProtocolVersion] = [], hadHelloRetryRequest: Bool = false, isResumed: Bool = false
    ) {
        self.version = version
        self.cipherSuite = cipherSuite
        self.serverName = serverName
        self.offeredVersions = offeredVersions
        self.hadHelloRetryRequest = hadHelloRetryRequest
        self.isResumed = isResumed
    }
}

/// Whether a TLS connection's content could be read.
public enum DecryptionStatus: Hashable, Sendable {
    /// Decrypted with secrets from a key log; `failedRecords` did not authenticate.
    case decrypted(failedRecords: Int)
    /// The key log has no secrets for the connection's client random.
    case noKeys
    /// The handshake was not captured (no ClientHello or ServerHello), so no key can be chosen.
    case handshakeNotSeen
    /// The version or cipher suite is one dmdissect does not decrypt (e.g. CBC suites).
    case unsupported(String)
    /// The key log lacks a secret the connection needs (e.g. only TLS 1.3 handshake secrets).
    case missingSecret(String)

    /// True when the content was (at least partly) readable.
    public var isDecrypted: Bool {
        if case .decrypted = self { return true }
        return false
    }
}

/// A TLS connection as it ended: for the listing of connections and for findings.
public struct TLSConnectionSummary: Hashable, Sendable {
    /// The TCP connection (its `index` is the connection number).
    public var connection: ConnectionInfo
    /// What the handshake showed.
    public var handshake: TLSHandshakeInfo
    /// Whether the content could be read.
    public var status: DecryptionStatus
    /// TLS bytes per direction, indexed by `Direction.rawValue`.
    public var bytes: [Int]
    /// TLS records per direction, indexed by `Direction.rawValue`.
    public var records: [Int]
    /// First and last frame that carried TLS bytes.
    public var firstFrame: FrameNumber
    /// Last frame that carried TLS bytes.
    public var lastFrame: FrameNumber
    /// Alerts seen (both directions, in order; encrypted ones only when decrypted).
    public var alerts: [TLSAlert]
}

/// A TLS alert (RFC 8446 §6).
public struct TLSAlert: Hashable, Sendable, CustomStringConvertible {
    /// 1 warning, 2 fatal.
    public var level: UInt8
    /// AlertDescription: 0 close_notify, 40 handshake_failure, 20 bad_record_mac, …
    public var alertDescription: UInt8
    /// Who sent it.
    public var direction: Direction
    /// The frame that carried (the end of) its record.
    public var frame: FrameNumber

    /// True for close_notify, the normal end of a connection.
    public var isCloseNotify: Bool { alertDescription == 0 }

    /// `fatal handshake_failure (40)`.
    public var description: String {
        let levelText = level == 2 ? "fatal" : level == 1 ? "warning" : "level \(level)"
        return "\(levelText) \(Self.names[alertDescription] ?? "alert") (\(alertDescription))"
    }

    private static let names: [UInt8: String] = [
        0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 22: "record_overflow",
        40: "handshake_failure", 42: "bad_certificate", 43: "unsupported_certificate", 44: "certificate_revoked",
        45: "certificate_expired", 46: "certificate_unknown", 47: "illegal_parameter", 48: "unknown_ca",
        49: "access_denied", 50: "decode_error", 51: "decrypt_error", 70: "protocol_version",
        71: "insufficient_security", 80: "internal_error", 86: "inappropriate_fallback", 90: "user_canceled",
        100: "no_renegotiation", 109: "missing_extension", 110: "unsupported_extension", 112: "unrecognized_name",
        113: "bad_certificate_status_response", 115: "unknown_psk_identity", 116: "certificate_required",
        120: "no_application_protocol",
    ]
}
