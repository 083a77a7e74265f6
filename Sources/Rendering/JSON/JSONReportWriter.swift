import Analysis
import DMProtocol
import Packets

/// `--format json`: one `dmdissect/1` document, written while the capture is read so that memory
/// does not grow with the number of sessions. Sessions are written as they close, with the
/// findings about them; `findings` (capture-level, and findings about a session that came after
/// it closed), `input` and `stats` follow at the end. Member order is not part of the contract.
public final class JSONReportWriter {
    private let sink: OutputSink
    private let writer = JSONWriter(indent: 2)
    private var sessionCount = 0
    private var pendingFindings: [Int: [Finding]] = [:]
    private var unlisted: [Int: Int] = [:]
    private var captureFindings: [Finding] = []
    private var tally = SessionTally()
    /// Findings kept per session for its `findings` array; the rest are counted.
    public static let findingsPerSession = 1000

    /// A writer to `sink`; call `begin()` first.
    public init(sink: OutputSink) { self.sink = sink }

    /// Writes the opening of the document.
    public func begin() {
        sink.line("{")
        sink.line("  \"schema\": \"dmdissect/1\",")
        sink.line("  \"sessions\": [")
    }

    /// A finding, as the run reports it; `stored` is false when the run no longer keeps findings
    /// of that rule (then only session findings are listed, up to `findingsPerSession`).
    public func finding(_ finding: Finding, stored: Bool) {
        if let session = finding.session {
            if pendingFindings[session, default: []].count < Self.findingsPerSession {
                pendingFindings[session, default: []].append(finding)
            } else {
                unlisted[session, default: 0] += 1
            }
        } else if stored {
            captureFindings.append(finding)
        }
    }

    /// A closed session: written at once.
    public func session(_ session: Session, encoder: SessionJSON) {
        tally.add(session)
        let findings = pendingFindings.removeValue(forKey: session.index) ?? []
        let more = unlisted.removeValue(forKey: session.index) ?? 0
        var bytes: [UInt8] = []
        bytes.append(contentsOf: (sessionCount > 0 ? "    ," : "    ").utf8)
        writer.write(encoder.session(session, findings: findings, unlistedFindings: more), into: &bytes, level: 2)
        sink.line(String(decoding: bytes, as: UTF8.self))
        sessionCount += 1
    }

    /// A closed session that is not written (`--session` selects others): forgets its findings.
    public func skip(_ index: Int) {
        pendingFindings[index] = nil
        unlisted[index] = nil
    }

    /// Writes the end of the document.
    public func finish(run: CaptureRun, encoder: SessionJSON) {
        // Findings about sessions that had already closed (a Package#3 after END, …).
        let late = pendingFindings.values.flatMap { $0 }.sorted { ($0.fileIndex, $0.frames.first?.rawValue ?? 0) < ($1.fileIndex, $1.frames.first?.rawValue ?? 0) }
        pendingFindings.removeAll()
        sink.line("  ],")
        var tail = JSONObject()
        tail.set("findings", .array((captureFindings + late).map { encoder.finding($0) }))
        tail.set("input", RunJSON.input(run))
        tail.set("stats", RunJSON.stats(run, sessions: tally))
        var bytes: [UInt8] = []
        writer.write(tail.value, into: &bytes, level: 0)
        // The members of `tail` continue the top-level object: drop its braces.
        let text = String(decoding: bytes, as: UTF8.self)
        let inner = text.dropFirst(2).dropLast(2)
        sink.line(String(inner))
        sink.line("}")
    }
}
