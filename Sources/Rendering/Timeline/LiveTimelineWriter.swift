import Analysis
import Packets

/// The timeline of a live capture: each line is written (and flushed) as it happens — a session
/// line when a session's first package arrives, its package lines, findings, and its footer when
/// it closes. Lines of concurrent sessions interleave, so each carries `[session]`.
public final class LiveTimelineWriter {
    private let sink: OutputSink
    private let style: TimelineStyle
    private let precision: TimestampPrecision
    private var starts: [Int: Timestamp] = [:]

    /// A writer to `sink`, times at `precision`.
    public init(sink: OutputSink, style: TimelineStyle, precision: TimestampPrecision) {
        self.sink = sink
        self.style = style
        self.precision = precision
    }

    /// A package joined session `index`.
    public func package(_ package: SessionPackage, session index: Int) {
        if starts[index] == nil {
            starts[index] = package.time
            var header = "[\(index)] " + style.header("session \(index) started")
            if let devID = package.devID ?? package.carrier?.devIDHeader { header += " · DevID \"\(TerminalText.escape(devID))\"" }
            if let id = package.package?.sessionInfo?.sessionID { header += " · SessionID \"\(TerminalText.escape(id))\"" }
            if let client = package.carrier?.clientEndpoint, let server = package.carrier?.serverEndpoint {
                header += " · device \(client) server \(server)"
            }
            emit(header)
        }
        emit(style.cut("[\(index)]" + TimelineBlock.line(package, sessionStart: starts[index] ?? package.time, precision: precision)))
    }

    /// A finding (of a session, or of the capture).
    public func finding(_ finding: Finding) {
        emit(style.finding(finding, indent: finding.session.map { "[\($0)]   " } ?? ""))
    }

    /// A session closed.
    public func session(_ session: Session) {
        starts[session.index] = nil
        emit("[\(session.index)]" + TimelineBlock.footer(session))
    }

    private func emit(_ line: String) {
        sink.line(line)
        sink.flush()
    }
}
