import Packets
import Reassembly

/// Something the TLS layer found on a connection: data, never a log line. `rule` is the stable
/// id in the rule catalogue; `message` is one sentence for a finding (no secret, ever).
public struct TLSEvent: Hashable, Sendable {
    /// What happened.
    public enum Kind: Hashable, Sendable {
        /// The connection ended without being decrypted (see the status): it is listed with what
        /// the handshake showed.
        case notDecrypted(DecryptionStatus)
        /// A record did not authenticate: wrong key, or damaged ciphertext. Reported once per
        /// direction, at the first such record; later ones are counted in the summary.
        case authenticationFailed(Direction)
        /// The direction is not a well-formed TLS stream from here on; it is no longer read.
        case malformed(Direction, String)
        /// Bytes of the direction were lost by the capture; records cannot be framed after a
        /// hole, so decryption of the direction stops.
        case gap(Direction)
        /// An alert other than close_notify.
        case alert(TLSAlert)
    }

    /// What happened.
    public var kind: Kind
    /// The connection.
    public var connection: ConnectionInfo
    /// What its handshake showed when it happened.
    public var handshake: TLSHandshakeInfo
    /// Frames to open in Wireshark.
    public var frames: [FrameNumber]
    /// TLS bytes of the connection when it happened (both directions).
    public var bytes: Int

    /// Stable rule id: `DM-TLS-001` … `DM-TLS-006`.
    public var rule: String {
        switch kind {
        case .notDecrypted(let status):
            switch status {
            case .noKeys, .handshakeNotSeen, .decrypted: "DM-TLS-001"
            case .unsupported, .missingSecret: "DM-TLS-005"
            }
        case .authenticationFailed: "DM-TLS-002"
        case .malformed: "DM-TLS-003"
        case .gap: "DM-TLS-004"
        case .alert: "DM-TLS-006"
        }
    }

    /// One sentence with the numbers. The server name is printable ASCII by construction.
    public var message: String {
        let about = "TLS connection \(connection.index) (\(connection.client) → \(connection.server)\(Self.details(handshake)))"
        switch kind {
        case .notDecrypted(let status):
            let span = frames.count == 2 ? "frames \(frames[0])–\(frames[1])" : "frame \(frames.first ?? FrameNumber(0))"
            let what = "\(about): \(bytes) bytes in \(span) were not decrypted"
            switch status {
            case .noKeys, .decrypted:
                return what + "; a key log (--tls-keylog) with its client random would reveal the content."
            case .handshakeNotSeen:
                return what + ": the capture does not hold its handshake, so no key can be chosen."
            case .unsupported(let reason):
                return what + ": \(reason) is not supported for decryption."
            case .missingSecret(let label):
                return what + ": the key log has secrets for it but not \(label)."
            }
        case .authenticationFailed(let direction):
            return "\(about): a \(Self.words(direction)) record failed authentication (wrong key in the key log, or damaged ciphertext); its content is skipped and decryption goes on."
        case .malformed(let direction, let detail):
            return "\(about): the \(Self.words(direction)) stream is not valid TLS (\(detail)); the rest of that direction is not read."
        case .gap(let direction):
            return "\(about): bytes of the \(Self.words(direction)) stream were lost by the capture; TLS records cannot be found after the hole, so decryption of that direction stops."
        case .alert(let alert):
            return "\(about): the \(alert.direction == .clientToServer ? "client" : "server") sent alert \(alert)."
        }
    }

    static func details(_ handshake: TLSHandshakeInfo) -> String {
        var parts: [String] = []
        if let version = handshake.version { parts.append("TLS \(version)") }
        if let suite = handshake.cipherSuite { parts.append(suite.name) }
        if let name = handshake.serverName { parts.append("SNI \(name)") }
        return parts.isEmpty ? "" : ", " + parts.joined(separator: ", ")
    }

    static func words(_ direction: Direction) -> String {
        direction == .clientToServer ? "client-to-server" : "server-to-client"
    }
}

/// Receives what the TLS layer of every connection of a factory finds.
///
/// Call order per TLS connection: `handshake` 0…n times (after each ServerHello, with what is
/// known so far), `event` 0…n times, then `connectionEnded` once, after both directions ended
/// (and after the inner consumer got both its `end` calls). Connections interleave; everything is
/// called on the thread that drives the reassembler.
public protocol TLSSink: AnyObject {
    /// The handshake of `connection` is known (version and cipher suite); `isDecrypted` says
    /// whether its content will be passed on in clear.
    func handshake(_ info: TLSHandshakeInfo, isDecrypted: Bool, connection: ConnectionInfo)
    /// Something to report.
    func event(_ event: TLSEvent)
    /// The connection is over.
    func connectionEnded(_ summary: TLSConnectionSummary)
}
