import Analysis
import Packets

/// The timeline lines of one session.
struct TimelineBlock {
    let session: Session
    let findings: [Finding]
    let precision: TimestampPrecision
    let style: TimelineStyle

    var lines: [String] {
        var lines = [style.header(header)]
        // Each finding goes under the last package that shares a frame with it; the others after
        // the packages.
        var placed: [Int: [Finding]] = [:]
        var unplaced: [Finding] = []
        for finding in findings {
            let frames = Set(finding.frames)
            if let position = session.packages.lastIndex(where: { !frames.isDisjoint(with: $0.frames) }) {
                placed[position, default: []].append(finding)
            } else {
                unplaced.append(finding)
            }
        }
        for (position, package) in session.packages.enumerated() {
            lines.append(style.cut(line(package)))
            for finding in placed[position] ?? [] { lines.append(style.finding(finding, indent: "      ")) }
        }
        if session.droppedPackages > 0 {
            lines.append("  … \(session.droppedPackages) more package\(session.droppedPackages == 1 ? "" : "s") (not stored)")
        }
        for finding in unplaced { lines.append(style.finding(finding, indent: "  ")) }
        lines.append(footer)
        return lines
    }

    private var header: String { Self.header(session, precision: precision) }

    /// `session 1 · A · DevID "…" · device … server … · initiated by … · start time`
    static func header(_ session: Session, precision: TimestampPrecision) -> String {
        var parts = ["session \(session.index)", session.dialect.rawValue]
        if let devID = session.devID { parts.append("DevID \"\(TerminalText.escape(devID))\"") }
        if let sessionID = session.sessionID { parts.append("SessionID \"\(TerminalText.escape(sessionID))\"") }
        parts.append("device \(session.client) server \(session.server)")
        parts.append(
            session.initiatedBy == .unknown ? "initiator unknown" : "initiated by \(session.initiatedBy.rawValue)")
        parts.append(TimeFormat.iso8601(session.start, precision: precision))
        return parts.joined(separator: " · ")
    }

    private func line(_ package: SessionPackage) -> String {
        Self.line(package, sessionStart: session.start, precision: precision)
    }

    /// `  15:21:05.244829  +0.004s  dev→srv  f5         P1     alert ClientInitiatedMgmt, MOS 2`
    static func line(_ package: SessionPackage, sessionStart: Timestamp, precision: TimestampPrecision) -> String {
        let clock = String(TimeFormat.iso8601(package.time, precision: precision).dropFirst(11).dropLast())
        let offset = "+" + TimeFormat.seconds(nanoseconds: max(0, sessionStart.nanoseconds(to: package.time)), digits: 3) + "s"
        let direction: String
        switch package.kind {
        case .notification, .request: direction = "srv→dev"
        case .initiation, .response: direction = "dev→srv"
        }
        var kind = "P" + String(package.kind.label.last ?? "?")
        if let seq = package.pkgSeq { kind += " #\(seq)" }
        let frames = "f" + FrameList.text(package.frames)
        return "  " + clock + " " + pad(offset, 9, right: true) + "  " + direction + "  " + pad(frames, 10) + " "
            + pad(kind, 6) + " " + PackageDigest.text(package)
    }

    private var footer: String { Self.footer(session) }

    /// `  └ ended (END in frame 13) · 114.729 ms · 3 round trips · 7 packages · 0 findings`
    static func footer(_ session: Session) -> String {
        let duration = TimeFormat.milliseconds(nanoseconds: session.start.nanoseconds(to: session.end))
        let rounds = session.packages.filter { $0.kind == .request }.count
        let count = session.findingCount
        var parts = [session.outcome.map(SessionLineRenderer.describe) ?? "open", duration]
        parts.append("\(rounds) round trip\(rounds == 1 ? "" : "s")")
        parts.append("\(session.packageCount) package\(session.packageCount == 1 ? "" : "s")")
        parts.append("\(count) finding\(count == 1 ? "" : "s")")
        return "  └ " + parts.joined(separator: " · ")
    }

    private static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }
}
