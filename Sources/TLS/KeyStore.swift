/// The key log of one analysis run, shared by every TLS connection of the run: the keys given on
/// the command line plus those found in pcapng Decryption Secrets Blocks as the files are read.
///
/// A reference type because the connections and the capture reader add to and read from the same
/// store; the pipeline is single-threaded, so it is not `Sendable`.
public final class KeyStore {
    /// pcapng Decryption Secrets Block type of a TLS key log (`TLSK`).
    public static let tlsKeyLogSecretsType: UInt32 = 0x544C_534B

    private var keyLog: KeyLog
    /// TLS connections whose handshake showed a client random.
    public private(set) var connectionsSeen = 0
    /// Of those, connections the store had secrets for.
    public private(set) var connectionsMatched = 0

    /// A store holding `keyLog`.
    public init(keyLog: KeyLog = KeyLog()) {
        self.keyLog = keyLog
    }

    /// True when the store holds no secret at all.
    public var isEmpty: Bool { keyLog.isEmpty }

    /// Adds secrets (a later source never replaces a secret already known).
    public func add(_ other: KeyLog) {
        keyLog.merge(other)
    }

    /// Parses a pcapng secrets block of type `tlsKeyLogSecretsType` and adds its keys; returns
    /// the lines that were skipped. `source` names the block in issues.
    @discardableResult
    public func addSecretsBlock(_ data: [UInt8], source: String) -> [KeyLogIssue] {
        var issues: [KeyLogIssue] = []
        add(KeyLog(parsing: data, source: source, issues: &issues))
        return issues
    }

    /// The secrets for a connection's client random, counting the connection as seen (and as
    /// matched when there are secrets). Call once per connection.
    func lookUp(_ random: ClientRandom) -> ConnectionSecrets? {
        connectionsSeen += 1
        let secrets = keyLog.secrets(for: random)
        if secrets != nil { connectionsMatched += 1 }
        return secrets
    }
}
