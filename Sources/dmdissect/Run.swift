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
                var renderers: [TimestampPrecision: FrameLineRenderer] = [:]
                try run.run(
                    files: files,
                    onPacket: { info, packet in
                        let renderer = renderers[info.precision] ?? FrameLineRenderer(precision: info.precision)
                        renderers[info.precision] = renderer
                        sink.line(renderer.line(for: packet))
                    },
                    onFinding: { finding in
                        sink.line("        ! " + FindingText.line(finding))
                    })
            case .http:
                var renderers: [TimestampPrecision: HTTPExchangeRenderer] = [:]
                var precision = TimestampPrecision.microseconds
                try run.run(
                    files: files,
                    onPacket: { info, _ in precision = info.precision },
                    onExchange: { exchange in
                        let renderer = renderers[precision] ?? HTTPExchangeRenderer(precision: precision)
                        renderers[precision] = renderer
                        for line in renderer.lines(for: exchange) { sink.line(line) }
                    },
                    onFinding: { finding in
                        sink.line("    ! " + FindingText.line(finding))
                    })
            case .summary:
                var sessions: [SessionSummary] = []
                try run.run(files: files, onPacket: { _, _ in }, onSession: { sessions.append(SessionSummary($0)) })
                for line in SummaryRenderer().lines(for: run, sessions: sessions) { sink.line(line) }
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
