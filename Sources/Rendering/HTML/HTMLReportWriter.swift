import Analysis
import DMProtocol
import Packets

/// `--format html`: one self-contained page to attach to a bug — inline CSS and SVG, no script,
/// no external resource (a Content-Security-Policy forbids them). Written while the capture is
/// read: each session (sequence diagram, its findings, each package's JSON collapsible) as it
/// closes; the summary and the findings table are written last and shown first (CSS `order`).
/// Every text from the capture is HTML-escaped (and control characters shown as `\xNN`).
public final class HTMLReportWriter {
    private let sink: OutputSink
    private let json = JSONWriter(indent: 2)
    private var pending: [Int: [Finding]] = [:]
    private var tally = SessionTally()
    private var devices: Set<String> = []
    private var servers: Set<String> = []
    private var sessionCount = 0
    /// Devices and servers listed in the summary at most.
    public static let listLimit = 1000
    /// Findings kept per session for its table.
    public static let findingsPerSession = 1000

    /// A writer to `sink`; call `begin()` first.
    public init(sink: OutputSink) { self.sink = sink }

    /// The page head and the opening of the session list.
    public func begin(title: String) {
        sink.line("<!DOCTYPE html>")
        sink.line("<html lang=\"en\"><head><meta charset=\"utf-8\">")
        sink.line(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">")
        sink.line("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        sink.line("<title>dmdissect report: \(HTMLText.escape(title))</title>")
        sink.line("<style>\(Self.css)</style></head>")
        sink.line("<body><main>")
        sink.line(
            "<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\"><defs><marker id=\"dmd-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333\"/></marker></defs></svg>"
        )
        sink.line("<header><h1>dmdissect report</h1><p class=\"files\">\(HTMLText.escape(title))</p></header>")
        sink.line("<section id=\"sessions\"><h2>Sessions</h2>")
    }

    /// A finding as the run reports it (session findings wait for their session).
    public func finding(_ finding: Finding) {
        guard let session = finding.session else { return }
        if pending[session, default: []].count < Self.findingsPerSession { pending[session, default: []].append(finding) }
    }

    /// A session that is not shown (`--session` selects others).
    public func skip(_ index: Int) { pending[index] = nil }

    /// A closed session: its section.
    public func session(_ session: Session, encoder: SessionJSON) {
        let findings = pending.removeValue(forKey: session.index) ?? []
        tally.add(session)
        sessionCount += 1
        if let devID = session.devID, devices.count < Self.listLimit { devices.insert(devID) }
        if servers.count < Self.listLimit { servers.insert(session.server.description) }
        var meta = ["dialect \(session.dialect.rawValue)"]
        if let devID = session.devID { meta.append("DevID \(devID)") }
        if let id = session.sessionID { meta.append("SessionID \(id)") }
        meta.append("device \(session.client) · server \(session.server)")
        meta.append("initiated by \(session.initiatedBy.rawValue)")
        let outcome = session.outcome.map(SessionLineRenderer.describe) ?? "open"
        let duration = TimeFormat.milliseconds(nanoseconds: session.start.nanoseconds(to: session.end))
        let worst = findings.map(\.severity).max()
        sink.line("<article class=\"session \(worst?.rawValue ?? "clean")\" id=\"session-\(session.index)\">")
        sink.line("<h3>Session \(session.index) <span class=\"outcome\">\(HTMLText.escape(outcome))</span></h3>")
        sink.line("<p class=\"meta\">\(meta.map(HTMLText.escape).joined(separator: " · "))</p>")
        sink.line(
            "<p class=\"meta\">\(HTMLText.escape(TimeFormat.iso8601(session.start, precision: encoder.precision))) · \(HTMLText.escape(duration)) · \(session.packageCount) packages · \(session.findingCount) findings</p>"
        )
        sink.line(SequenceDiagram(session: session, findings: findings).svg)
        if !findings.isEmpty { sink.line(findingTable(findings)) }
        for package in session.packages {
            var summary = "\(package.kind.label) · frames \(package.frames.map { String($0.rawValue) }.joined(separator: ","))"
            let digest = PackageDigest.text(package)
            if !digest.isEmpty { summary += " · " + HTMLText.short(digest, 160) }
            sink.line("<details class=\"package\"><summary>\(HTMLText.escape(summary))</summary>")
            sink.line("<pre>\(HTMLText.escape(json.string(encoder.package(package))))</pre></details>")
        }
        sink.line("</article>")
    }

    /// The summary and the findings table, shown above the sessions; closes the page.
    public func finish(run: CaptureRun, encoder: SessionJSON) {
        if sessionCount == 0 { sink.line("<p class=\"none\">No DM session in the capture.</p>") }
        sink.line("</section>")
        let stats = run.packetStatistics
        let tcp = run.reassemblyStatistics
        let http = run.httpCounts
        let dm = run.dmCounts
        var rows: [(String, String)] = []
        let frames = run.files.reduce(UInt64(0)) { $0 &+ $1.framesAnalysed }
        rows.append(("Input", run.files.map(\.path).joined(separator: ", ")))
        rows.append(("Frames", "\(frames) (TCP \(stats.tcp), UDP \(stats.udp); truncated \(stats.truncatedFrames), malformed \(stats.malformedFrames))"))
        rows.append(("TCP", "\(tcp.connections) connections, \(tcp.retransmissions + tcp.partialRetransmissions) retransmissions, \(tcp.outOfOrderSegments) out of order, \(tcp.gaps) gaps"))
        rows.append(("HTTP", "\(http.exchanges) exchanges (\(http.requests) requests, \(http.responses) responses)"))
        rows.append(("DM", "\(dm.notifications) notifications, \(dm.exchanges) exchanges, \(dm.sessions) sessions"))
        rows.append(("Sessions by outcome", tally.byOutcome.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        rows.append(("Sessions by dialect", tally.byDialect.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        rows.append(("Devices", devices.sorted().joined(separator: ", ")))
        rows.append(("Servers", servers.sorted().joined(separator: ", ")))
        rows.append(("Findings", "\(run.totalFindings) (\(run.errorCount) errors)"))
        rows.append(("Limits hit", SummaryRenderer.limitsHit(run.limits)))
        sink.line("<section id=\"summary\"><h2>Summary</h2><table class=\"summary\">")
        for (name, value) in rows {
            sink.line("<tr><th>\(HTMLText.escape(name))</th><td>\(HTMLText.escape(value))</td></tr>")
        }
        sink.line("</table>")
        if !run.findingCounts.isEmpty {
            sink.line("<table class=\"rules\"><tr><th>Rule</th><th>Severity</th><th>Findings</th><th>What it checks</th></tr>")
            for (rule, count) in run.findingCounts.sorted(by: { $0.key < $1.key }) {
                let info = RuleCatalogue.rule(rule)
                sink.line(
                    "<tr><td class=\"rule\">\(HTMLText.escape(rule))</td><td>\(HTMLText.escape(info?.severity.rawValue ?? ""))</td><td>\(count)</td><td>\(HTMLText.escape(info?.summary ?? ""))</td></tr>"
                )
            }
            sink.line("</table>")
        }
        sink.line("</section>")
        sink.line("<section id=\"findings\"><h2>Findings</h2>")
        let listed = run.findings
        if listed.isEmpty {
            sink.line("<p class=\"none\">No finding.</p>")
        } else {
            sink.line(findingTable(listed, withSession: true))
            if run.totalFindings > listed.count {
                sink.line("<p>\(run.totalFindings - listed.count) more findings were counted, not listed (at most \(run.options.storedFindingsPerRule) per rule).</p>")
            }
        }
        sink.line("</section>")
        sink.line("<footer>Made by dmdissect. Frame numbers are 1-based, as in Wireshark.</footer>")
        sink.line("</main></body></html>")
    }

    private func findingTable(_ findings: [Finding], withSession: Bool = false) -> String {
        var out = "<table class=\"findings\"><tr><th>Severity</th><th>Rule</th><th>Frames</th>"
        if withSession { out += "<th>Session</th>" }
        out += "<th>Message</th></tr>"
        for finding in findings {
            out += "<tr class=\"\(finding.severity.rawValue)\"><td>\(finding.severity.rawValue)</td>"
            out += "<td class=\"rule\">\(HTMLText.escape(finding.rule))</td>"
            out += "<td>\(HTMLText.escape(FrameList.text(finding.frames)))</td>"
            if withSession {
                out += "<td>" + (finding.session.map { "<a href=\"#session-\($0)\">\($0)</a>" } ?? "") + "</td>"
            }
            out += "<td>\(HTMLText.escape(finding.message))</td></tr>"
        }
        return out + "</table>"
    }

    static let css = """
        body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}\
        main{display:flex;flex-direction:column;max-width:1100px;margin:0 auto;padding:1em}\
        header{order:-3}#summary{order:-2}#findings{order:-1}footer{color:#777;font-size:12px;margin-top:2em}\
        h1{margin:.2em 0}h2{border-bottom:1px solid #ccc;padding-bottom:.2em}\
        table{border-collapse:collapse;margin:.5em 0;width:100%}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}\
        th{background:#eee}td.rule{font-family:monospace;white-space:nowrap}\
        tr.error td:first-child{color:#fff;background:#c0392b}tr.warning td:first-child{background:#f1c40f}tr.info td:first-child{background:#aed6f1}\
        article.session{background:#fff;border:1px solid #ddd;border-left:6px solid #27ae60;margin:1em 0;padding:.5em 1em}\
        article.session.error{border-left-color:#c0392b}article.session.warning{border-left-color:#f1c40f}article.session.info{border-left-color:#5dade2}\
        .meta{color:#555;margin:.2em 0;word-break:break-all}.outcome{font-weight:normal;color:#555}\
        svg.sequence{display:block;max-width:100%;height:auto;margin:.5em 0}\
        svg .lane{font-weight:bold;font-size:13px}svg .lifeline{stroke:#999;stroke-dasharray:4 3}\
        svg .arrow{stroke:#333;stroke-width:1.5}svg .p0 .arrow{stroke:#8e44ad;stroke-dasharray:6 3}svg .p2 .arrow{stroke:#2471a3}\
        svg .label{font:12px monospace;fill:#222}\
        svg .finding-mark.error circle{fill:#c0392b}svg .finding-mark.warning circle{fill:#f1c40f}svg .finding-mark.info circle{fill:#5dade2}\
        details.package{margin:.2em 0}details.package summary{cursor:pointer;font-family:monospace;word-break:break-all}\
        pre{background:#f4f4f4;padding:.5em;overflow:auto;max-height:30em}
        """
}
