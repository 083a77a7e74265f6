/// Secrets from NSS key log files (the `SSLKEYLOGFILE` format) and pcapng Decryption Secrets
/// Blocks, by client random.
///
/// Format (one entry per line, fields separated by spaces or tabs): `LABEL <client random: 64 hex
/// digits> <secret: hex>`; `#` starts a comment line; blank lines are allowed. Labels other than
/// those of `KeyLogLabel` are ignored. A line that does not parse is reported as a `KeyLogIssue`
/// (file and line, never the line's content) and skipped.
///
/// The description never shows a secret.
public struct KeyLog: Sendable, CustomStringConvertible {
    /// Largest key log accepted, in bytes: a browser's key log after a day is a few MB.
    public static let maximumSize = 64 * 1024 * 1024

    private var entries: [ClientRandom: ConnectionSecrets] = [:]

    /// An empty key log.
    public init() {}

    /// Parses `text`; `source` names it in issues (a path, or "pcapng secrets block N").
    public init(parsing text: some Collection<UInt8>, source: String, issues: inout [KeyLogIssue]) {
        var lineNumber = 0
        var line: [UInt8] = []
        line.reserveCapacity(256)
        func finishLine(_ self_: inout KeyLog) {
            lineNumber += 1
            switch KeyLogLine.parse(line) {
            case .ignored: break
            case .entry(let random, let label, let secret): self_.add(secret, label: label, for: random)
            case .bad(let reason): issues.append(KeyLogIssue(source: source, line: lineNumber, reason: reason))
            }
            line.removeAll(keepingCapacity: true)
        }
        for byte in text {
            if byte == UInt8(ascii: "\n") {
                finishLine(&self)
            } else if line.count <= KeyLogLine.maximumLength {
                line.append(byte)
            }
        }
        if !line.isEmpty { finishLine(&self) }
    }

    /// Number of connections (client randoms) with at least one secret.
    public var count: Int { entries.count }
    /// True when no line gave a secret.
    public var isEmpty: Bool { entries.isEmpty }

    /// The secrets filed under `random`.
    public func secrets(for random: ClientRandom) -> ConnectionSecrets? { entries[random] }

    /// Adds one secret (the first one of a label for a random wins).
    public mutating func add(_ secret: [UInt8], label: KeyLogLabel, for random: ClientRandom) {
        var added = ConnectionSecrets()
        switch label {
        case .clientRandom: added.masterSecret = secret
        case .clientHandshakeTrafficSecret: added.clientHandshakeTrafficSecret = secret
        case .serverHandshakeTrafficSecret: added.serverHandshakeTrafficSecret = secret
        case .clientTrafficSecret0: added.clientTrafficSecret0 = secret
        case .serverTrafficSecret0: added.serverTrafficSecret0 = secret
        }
        entries[random, default: ConnectionSecrets()].merge(added)
    }

    /// Adds every entry of `other`.
    public mutating func merge(_ other: KeyLog) {
        for (random, secrets) in other.entries { entries[random, default: ConnectionSecrets()].merge(secrets) }
    }

    /// How many connections it covers, never a secret.
    public var description: String { "KeyLog(\(entries.count) connections)" }
}

/// A key log line that was skipped: where it is and why, never its content.
public struct KeyLogIssue: Sendable, Hashable, CustomStringConvertible {
    /// The file (or secrets block) it came from.
    public var source: String
    /// 1-based line number.
    public var line: Int
    /// Why it was skipped (no secret material in it).
    public var reason: String

    /// An issue.
    public init(source: String, line: Int, reason: String) {
        self.source = source
        self.line = line
        self.reason = reason
    }

    /// `source:line: reason` (the source is untrusted text: escape it before printing).
    public var description: String { "\(source):\(line): \(reason)" }
}
