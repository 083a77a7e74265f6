import Analysis

/// Capture-level counts of the DM sessions for `--format summary`: by outcome and dialect, the
/// devices and servers seen, and packages that did not decode. Kept while the sessions stream
/// past; the device and server lists are bounded (`listLimit`), their counts are not.
public struct SessionOverview: Sendable {
    /// Outcome name → sessions.
    public private(set) var byOutcome: [String: Int] = [:]
    /// Dialect → sessions.
    public private(set) var byDialect: [String: Int] = [:]
    private(set) var devices: Set<String> = []
    private(set) var servers: Set<String> = []
    private(set) var moreDevices = false
    private(set) var moreServers = false
    /// DM packages whose body did not decode cleanly (decode errors).
    public private(set) var undecodedPackages = 0
    /// Distinct devices and servers remembered at most.
    public static let listLimit = 10_000

    /// An empty overview.
    public init() {}

    /// Counts `session`.
    public mutating func add(_ session: Session) {
        byOutcome[session.outcome?.name ?? "incomplete", default: 0] += 1
        byDialect[session.dialect.rawValue, default: 0] += 1
        if let devID = session.devID {
            if devices.count < Self.listLimit { devices.insert(devID) } else if !devices.contains(devID) { moreDevices = true }
        }
        let server = session.server.description
        if servers.count < Self.listLimit { servers.insert(server) } else if !servers.contains(server) { moreServers = true }
        undecodedPackages += session.packages.filter { $0.decoding?.hasErrors == true }.count
    }

    /// The summary lines (nothing when no session was seen).
    func lines() -> [String] {
        guard !byOutcome.isEmpty else { return [] }
        let table = { (counts: [String: Int]) in counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
        var lines = ["  sessions by outcome: \(table(byOutcome)); by dialect: \(table(byDialect))"]
        lines.append("  devices \(devices.count)\(moreDevices ? "+" : ""): " + Self.list(devices))
        lines.append("  servers \(servers.count)\(moreServers ? "+" : ""): " + Self.list(servers))
        lines.append("  DM packages that did not decode: \(undecodedPackages)")
        return lines
    }

    private static func list(_ items: Set<String>) -> String {
        let shown = items.sorted().prefix(8).map { "\"\(TerminalText.escape($0))\"" }
        return shown.joined(separator: ", ") + (items.count > 8 ? ", …" : "")
    }
}
