import Analysis

/// One line per DM session, for the summary: index, dialect, DevID, SessionID, endpoints,
/// initiator, outcome, package and finding counts. Strings from the capture are escaped.
public struct SessionLineRenderer {
    /// A renderer.
    public init() {}

    /// `  session 1: A, DevID "IMEI:…", 10.0.0.2:51514 > 10.0.0.1:80, initiated by client, ended, 6 packages, 0 findings`
    public func lines(for sessions: [SessionSummary], findingCounts counts: [Int: Int]) -> [String] {
        return sessions.sorted { $0.index < $1.index }.map { line(for: $0, findings: counts[$0.index] ?? 0) }
    }

    /// The line of one session with `findings` findings.
    public func line(for session: SessionSummary, findings: Int) -> String {
        var parts = ["\(session.dialect.rawValue)"]
        if let devID = session.devID { parts.append("DevID \"\(TerminalText.escape(devID))\"") }
        if let sessionID = session.sessionID { parts.append("SessionID \"\(TerminalText.escape(sessionID))\"") }
        parts.append("\(session.client) > \(session.server)")
        if session.connections.count > 1 { parts.append("\(session.connections.count) connections") }
        parts.append(
            session.initiatedBy == .unknown ? "initiator unknown" : "initiated by \(session.initiatedBy.rawValue)")
        parts.append(Self.describe(session.outcome))
        parts.append("\(session.packageCount) package\(session.packageCount == 1 ? "" : "s")")
        parts.append("\(findings) finding\(findings == 1 ? "" : "s")")
        return "  session \(session.index): " + parts.joined(separator: ", ")
    }

    /// `ended (END in frame 60)`, `aborted (HTTP 500 in frame 12)`, …
    static func describe(_ outcome: SessionOutcome) -> String {
        switch outcome {
        case .ended(let frame): "ended (END in frame \(frame))"
        case .abortedByHTTPError(let status, let frame): "aborted (HTTP \(status) in frame \(frame))"
        case .abortedByReset(let frame): "aborted (TCP reset in frame \(frame))"
        case .abandoned(let frame): "abandoned (new Package#1 in frame \(frame))"
        case .idle: "idle"
        case .incomplete: "incomplete (capture ended)"
        case .evicted: "evicted (open-session limit)"
        }
    }
}
