/// What a key log holds for one connection (one client random). Never printed: its description
/// says only which secrets are present.
public struct ConnectionSecrets: Sendable, Hashable, CustomStringConvertible {
    /// TLS 1.2 (and earlier): the 48-byte master secret (`CLIENT_RANDOM`).
    public var masterSecret: [UInt8]?
    /// TLS 1.3 `CLIENT_HANDSHAKE_TRAFFIC_SECRET`.
    public var clientHandshakeTrafficSecret: [UInt8]?
    /// TLS 1.3 `SERVER_HANDSHAKE_TRAFFIC_SECRET`.
    public var serverHandshakeTrafficSecret: [UInt8]?
    /// TLS 1.3 `CLIENT_TRAFFIC_SECRET_0`.
    public var clientTrafficSecret0: [UInt8]?
    /// TLS 1.3 `SERVER_TRAFFIC_SECRET_0`.
    public var serverTrafficSecret0: [UInt8]?

    /// No secrets.
    public init() {}

    /// Fills the secrets this value lacks from `other` (the first line for a secret wins).
    public mutating func merge(_ other: ConnectionSecrets) {
        masterSecret = masterSecret ?? other.masterSecret
        clientHandshakeTrafficSecret = clientHandshakeTrafficSecret ?? other.clientHandshakeTrafficSecret
        serverHandshakeTrafficSecret = serverHandshakeTrafficSecret ?? other.serverHandshakeTrafficSecret
        clientTrafficSecret0 = clientTrafficSecret0 ?? other.clientTrafficSecret0
        serverTrafficSecret0 = serverTrafficSecret0 ?? other.serverTrafficSecret0
    }

    /// The labels present, never the secrets.
    public var description: String {
        var labels: [String] = []
        if masterSecret != nil { labels.append(KeyLogLabel.clientRandom.rawValue) }
        if clientHandshakeTrafficSecret != nil { labels.append(KeyLogLabel.clientHandshakeTrafficSecret.rawValue) }
        if serverHandshakeTrafficSecret != nil { labels.append(KeyLogLabel.serverHandshakeTrafficSecret.rawValue) }
        if clientTrafficSecret0 != nil { labels.append(KeyLogLabel.clientTrafficSecret0.rawValue) }
        if serverTrafficSecret0 != nil { labels.append(KeyLogLabel.serverTrafficSecret0.rawValue) }
        return "ConnectionSecrets(" + labels.joined(separator: ", ") + ")"
    }
}

/// The NSS key log labels dmdissect uses; every other label is ignored.
public enum KeyLogLabel: String, Sendable, CaseIterable {
    /// TLS 1.2 master secret.
    case clientRandom = "CLIENT_RANDOM"
    /// TLS 1.3 client handshake traffic secret.
    case clientHandshakeTrafficSecret = "CLIENT_HANDSHAKE_TRAFFIC_SECRET"
    /// TLS 1.3 server handshake traffic secret.
    case serverHandshakeTrafficSecret = "SERVER_HANDSHAKE_TRAFFIC_SECRET"
    /// TLS 1.3 first client application traffic secret.
    case clientTrafficSecret0 = "CLIENT_TRAFFIC_SECRET_0"
    /// TLS 1.3 first server application traffic secret.
    case serverTrafficSecret0 = "SERVER_TRAFFIC_SECRET_0"

    /// Secret lengths the label accepts: 48 for a master secret, a SHA-256 or SHA-384 length for
    /// TLS 1.3 traffic secrets.
    var secretLengths: [Int] {
        self == .clientRandom ? [48] : [32, 48]
    }
}
