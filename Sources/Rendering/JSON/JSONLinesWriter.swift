import Analysis
import DMProtocol
import Packets

/// `--format jsonl`: one compact JSON object per line, written and flushed as soon as it is
/// known, so that `dmdissect -i eth0 --format jsonl | jq` works live. Each line has a `type`:
/// `package` (a package joined session `session`), `finding`, `session` (a session closed; its
/// packages were the earlier `package` lines) and, last, `stats` (with `input`).
public final class JSONLinesWriter {
    private let sink: OutputSink
    private let writer = JSONWriter()
    private var tally = SessionTally()

    /// A writer to `sink`.
    public init(sink: OutputSink) { self.sink = sink }

    /// A package joined its session.
    public func package(_ package: SessionPackage, session: Int, encoder: SessionJSON) {
        emit("package", encoder.package(package, session: session))
    }

    /// A finding.
    public func finding(_ finding: Finding, encoder: SessionJSON) {
        emit("finding", encoder.finding(finding))
    }

    /// A session closed (without its packages, which were streamed).
    public func session(_ session: Session, encoder: SessionJSON) {
        tally.add(session)
        guard case .object(var members) = encoder.session(session, findings: []) else { return }
        members.removeAll { $0.name == "packages" || $0.name == "findings" }
        members.append(JSONMember("findingCount", JSONBuild.int(session.findingCount)))
        emit("session", .object(members))
    }

    /// The run ended: the statistics.
    public func finish(run: CaptureRun) {
        emit("stats", .object([JSONMember("input", RunJSON.input(run)), JSONMember("stats", RunJSON.stats(run, sessions: tally))]))
    }

    private func emit(_ type: String, _ value: JSONValue) {
        guard case .object(let members) = value else { return }
        sink.line(writer.string(.object([JSONMember("type", .string(type))] + members)))
        sink.flush()
    }
}
