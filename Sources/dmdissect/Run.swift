import Analysis
import ArgumentParser
import Capture
import Glibc
import Packets
import Rendering

extension Analyze {
    func run() throws {
        guard let sink = output.map({ OutputSink(path: $0) }) ?? OutputSink() else {
            FileHandleText.standardError("dmdissect: \(output ?? ""): cannot write: \(String(cString: strerror(errno)))")
            throw ExitCode(3)
        }
        let run = CaptureRun(
            options: RunOptions(
                filter: filter, frameLimit: count, analysesHTTP: format != .frames,
                sessionTracking: sessionTracking(credentials: try loadCredentials())))
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
        for failure in run.failures {
            FileHandleText.standardError("dmdissect: " + TerminalText.escape(failure.message))
        }
        if let first = run.failures.first { throw ExitCode(first.exitCode) }
        if check, run.errorCount > 0 { throw ExitCode(1) }
    }
}
