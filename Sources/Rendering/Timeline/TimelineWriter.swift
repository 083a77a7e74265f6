import Analysis
import Packets

/// `--format timeline` (the default): one block per DM session, in the order the sessions started —
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

    /// Blocks are written in session-start order (false: as the sessions close, for live output).
    private let reorders: Bool

    /// A writer to `sink`; `inStartOrder` holds finished blocks back until the earlier sessions
    /// closed (files), else each block is written when its session closes (live capture).
    public init(sink: OutputSink, style: TimelineStyle, inStartOrder: Bool = true) {
        self.sink = sink
        self.style = style
        self.reorders = inStartOrder
    }

    /// A finding as the run reports it.
    public func finding(_ finding: Finding) {
        if let session = finding.session {
            if pending[session, default: []].count < Self.findingsPerSession { pending[session, default: []].append(finding) }
            return
        }
        sink.line(style.finding(finding, indent: ""))
    }

    /// A closed session: its block, in the order the sessions started — a block waits (at most
    /// `reorderLimit` of them) until every session that started earlier has closed.
    public func session(_ session: Session, precision: TimestampPrecision) {
        let findings = pending.removeValue(forKey: session.index) ?? []
        let lines = TimelineBlock(session: session, findings: findings, precision: precision, style: style).lines
        place(lines, index: session.index)
    }

    /// A closed session that is not shown (`--session` selects others): later blocks need not wait for it.
    public func skip(_ index: Int) {
        pending[index] = nil
        place([], index: index)
    }

    private func place(_ lines: [String], index: Int) {
        guard reorders, index >= nextIndex else {
            write(lines)
            return
        }
        waiting[index] = lines
        while let ready = waiting.removeValue(forKey: nextIndex) {
            write(ready)
            nextIndex += 1
        }
        if waiting.count > Self.reorderLimit, let first = waiting.keys.min(), let ready = waiting.removeValue(forKey: first) {
            write(ready)
            nextIndex = first + 1
        }
    }

    /// Closed-session blocks held back at most, waiting for an earlier session to close.
    public static let reorderLimit = 256
    private var waiting: [Int: [String]] = [:]
    private var nextIndex = 1

    private func write(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        if sessions > 0 { sink.line("") }
        sessions += 1
        for line in lines { sink.line(line) }
    }

    private func flushWaiting() {
        for index in waiting.keys.sorted() {
            if let lines = waiting.removeValue(forKey: index) { write(lines) }
        }
    }

    /// End of the run: findings about sessions that had already closed, and a one-line total.
    public func finish(run: CaptureRun) {
        flushWaiting()
        let late = pending.values.flatMap { $0 }.sorted { ($0.fileIndex, $0.frames.first?.rawValue ?? 0) < ($1.fileIndex, $1.frames.first?.rawValue ?? 0) }
        pending.removeAll()
        if !late.isEmpty { sink.line("") }
        for finding in late { sink.line(style.finding(finding, indent: "")) }
        let cap = run.options.storedFindingsPerRule
        for (rule, count) in run.findingCounts.sorted(by: { $0.key < $1.key }) where count > cap {
            sink.line("… \(count - cap) more \(rule) findings (counted, not listed)")
        }
        if sessions > 0 || run.totalFindings > 0 { sink.line("") }
        let limits = run.limits
        if limits.contains(where: { $0.hits > 0 }) { sink.line(SummaryRenderer.limitsLine(limits)) }
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
