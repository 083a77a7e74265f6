import Analysis
import Packets

/// `--format timeline` (the default): one block per DM session, written when the session closes —
/// a header, one line per package (time, offset from the session start, direction, frames,
/// package and PkgSeq, content digest), the findings about a package right under it, and a footer
/// with outcome, duration, round trips and finding count. Findings not tied to a session are
/// written as they arrive. Capture text is escaped; with `width`, package lines are cut to fit.
public final class TimelineWriter {
    private let sink: OutputSink
    private let style: TimelineStyle
    private var pending: [Int: [Finding]] = [:]
    private var sessions = 0

    /// Findings kept per session for its block; the rest are counted in the footer.
    public static let findingsPerSession = 1000

    /// A writer to `sink`.
    public init(sink: OutputSink, style: TimelineStyle) {
        self.sink = sink
        self.style = style
    }

    /// A finding as the run reports it.
    public func finding(_ finding: Finding) {
        if let session = finding.session {
            if pending[session, default: []].count < Self.findingsPerSession { pending[session, default: []].append(finding) }
            return
        }
        sink.line(style.finding(finding, indent: ""))
    }

    /// A closed session: its block.
    public func session(_ session: Session, precision: TimestampPrecision) {
        let findings = pending.removeValue(forKey: session.index) ?? []
        if sessions > 0 { sink.line("") }
        sessions += 1
        for line in TimelineBlock(session: session, findings: findings, precision: precision, style: style).lines {
            sink.line(line)
        }
    }

    /// End of the run: findings about sessions that had already closed, and a one-line total.
    public func finish(run: CaptureRun) {
        let late = pending.values.flatMap { $0 }.sorted { ($0.fileIndex, $0.frames.first?.rawValue ?? 0) < ($1.fileIndex, $1.frames.first?.rawValue ?? 0) }
        pending.removeAll()
        if !late.isEmpty { sink.line("") }
        for finding in late { sink.line(style.finding(finding, indent: "")) }
        if sessions > 0 || run.totalFindings > 0 { sink.line("") }
        let dm = run.dmCounts
        var total = "\(dm.sessions) DM session\(dm.sessions == 1 ? "" : "s"), \(dm.notifications) notification\(dm.notifications == 1 ? "" : "s"), "
        total += "\(run.totalFindings) finding\(run.totalFindings == 1 ? "" : "s") (\(run.errorCount) error\(run.errorCount == 1 ? "" : "s"))"
        sink.line(total)
    }
}

/// How timeline lines look: colour (SGR) by severity or none, and an optional width cut.
public struct TimelineStyle: Sendable {
    /// Colour severity words and session headers.
    public var color: Bool
    /// Cut package lines to this many columns (a terminal's width); nil: never cut (pipes).
    public var width: Int?

    /// A style.
    public init(color: Bool, width: Int?) {
        self.color = color
        self.width = width
    }

    /// The finding line under a package (or on its own).
    func finding(_ finding: Finding, indent: String) -> String {
        let severity = paint(finding.severity.rawValue, severityCode(finding.severity))
        var text = "\(indent)! \(severity) \(finding.rule)"
        if !finding.frames.isEmpty { text += " [" + FrameList.text(finding.frames) + "]" }
        return text + ": " + TerminalText.escape(finding.message)
    }

    func header(_ text: String) -> String { paint(text, "1") }

    func cut(_ line: String) -> String {
        guard let width, line.count > width, width > 1 else { return line }
        return String(line.prefix(width - 1)) + "…"
    }

    private func severityCode(_ severity: Finding.Severity) -> String {
        switch severity {
        case .error: "1;31"
        case .warning: "33"
        case .info: "36"
        }
    }

    private func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

/// `1,3,5-9`: frame numbers, runs collapsed.
enum FrameList {
    static func text(_ frames: [FrameNumber]) -> String {
        var parts: [String] = []
        var start: UInt64?
        var last: UInt64 = 0
        for frame in frames.map(\.rawValue).sorted() {
            if start != nil, frame == last &+ 1 {
                last = frame
                continue
            }
            if let first = start { parts.append(first == last ? "\(first)" : "\(first)-\(last)") }
            start = frame
            last = frame
        }
        if let first = start { parts.append(first == last ? "\(first)" : "\(first)-\(last)") }
        return parts.joined(separator: ",")
    }
}
