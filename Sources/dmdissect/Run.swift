import Analysis
import ArgumentParser
import Capture
import Foundation
import Glibc
import Packets
import Rendering

extension Analyze {
    /// The JSON encoder for what the run reads now: times at the current file's precision, and
    /// the file number when several files are read.
    func jsonEncoder(_ run: CaptureRun) -> SessionJSON {
        SessionJSON(
            precision: run.files.last?.precision ?? .microseconds,
            fileNumber: files.count > 1 ? max(run.files.count, 1) : nil)
    }

    /// Colour and width of the timeline: colour per --color (auto: standard output is a terminal,
    /// NO_COLOR unset, TERM not dumb); lines cut to the terminal's width only on a terminal.
    func timelineStyle() -> TimelineStyle {
        let terminal = output == nil && isatty(STDOUT_FILENO) == 1
        let environment = ProcessInfo.processInfo.environment
        let color: Bool
        switch self.color {
        case .always: color = true
        case .never: color = false
        case .auto: color = terminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
        }
        var width: Int?
        if terminal {
            var size = winsize()
            if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
                width = Int(size.ws_col)
            } else {
                width = Int(environment["COLUMNS"] ?? "") ?? 80
            }
        }
        return TimelineStyle(color: color, width: width)
    }

    func run() throws {
        guard let sink = output.map({ OutputSink(path: $0) }) ?? OutputSink() else {
            FileHandleText.standardError("dmdissect: \(output ?? ""): cannot write: \(String(cString: strerror(errno)))")
            throw ExitCode(3)
        }
        let run = CaptureRun(
            options: RunOptions(
                filter: filter, frameLimit: count, analysesHTTP: format != .frames,
                sessionTracking: sessionTracking(credentials: try loadCredentials()), tlsKeyLog: try tls.keyLog()))
        do {
            switch format {
            case .frames:
                try run.run(
                    files: files,
                    onPacket: { info, packet in
                        sink.line(FrameLineRenderer(precision: info.precision).line(for: packet))
                    },
                    onFinding: { finding in
                        sink.line("        ! " + FindingText.line(finding))
                    })
            case .http:
                var precision = TimestampPrecision.microseconds
                try run.run(
                    files: files,
                    onPacket: { info, _ in precision = info.precision },
                    onExchange: { exchange in
                        for line in HTTPExchangeRenderer(precision: precision).lines(for: exchange) { sink.line(line) }
                    },
                    onFinding: { finding in
                        sink.line("    ! " + FindingText.line(finding))
                    })
            case .timeline:
                let writer = TimelineWriter(sink: sink, style: timelineStyle())
                try run.run(
                    files: files, onPacket: { _, _ in }, onFinding: writer.finding,
                    onSession: { writer.session($0, precision: run.files.last?.precision ?? .microseconds) })
                if !run.files.isEmpty { writer.finish(run: run) }
            case .json:
                let writer = JSONReportWriter(sink: sink)
                writer.begin()
                try run.run(
                    files: files, onPacket: { _, _ in },
                    onFinding: { finding in
                        writer.finding(
                            finding,
                            stored: run.findingCounts[finding.rule, default: 0] <= run.options.storedFindingsPerRule)
                    },
                    onSession: { session in writer.session(session, encoder: jsonEncoder(run)) })
                writer.finish(run: run, encoder: jsonEncoder(run))
            case .jsonl:
                let writer = JSONLinesWriter(sink: sink)
                try run.run(
                    files: files, onPacket: { _, _ in },
                    onFinding: { writer.finding($0, encoder: jsonEncoder(run)) },
                    onSession: { writer.session($0, encoder: jsonEncoder(run)) },
                    onPackage: { session, package in writer.package(package, session: session, encoder: jsonEncoder(run)) })
                writer.finish(run: run)
            case .summary:
                var sessions: [SessionSummary] = []
                try run.run(files: files, onPacket: { _, _ in }, onSession: { sessions.append(SessionSummary($0)) })
                // Nothing could be read: the errors on standard error say it all (as with tcpdump).
                if !run.files.isEmpty {
                    for line in SummaryRenderer().lines(for: run, sessions: sessions) { sink.line(line) }
                }
            }
        } catch {
            sink.flush()
            FileHandleText.standardError("dmdissect: " + TerminalText.escape(error.message))
            throw ExitCode(error.exitCode)
        }
        sink.flush()
        tls.reportUnusedKeys(run)
        for failure in run.failures {
            FileHandleText.standardError("dmdissect: " + TerminalText.escape(failure.message))
        }
        if let first = run.failures.first { throw ExitCode(first.exitCode) }
        if check, run.errorCount > 0 { throw ExitCode(1) }
    }
}
