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
        if listInterfaces { return try printInterfaces() }
        let live = try interface.map(openLive)
        let inputs = interface.map { [$0] } ?? files
        guard let sink = output.map({ OutputSink(path: $0) }) ?? OutputSink() else {
            FileHandleText.standardError("dmdissect: \(output ?? ""): cannot write: \(String(cString: strerror(errno)))")
            throw ExitCode(3)
        }
        var options = RunOptions(
            filter: filter, frameLimit: count, analysesHTTP: format != .frames,
            sessionTracking: sessionTracking(credentials: try loadCredentials()), tlsKeyLog: try tls.keyLog())
        limits.apply(to: &options)
        let run = CaptureRun(options: options)
        if let live { run.opener = { _, _, _ in live } }
        // Live -w: every frame that passed the filter, as it arrives.
        var raw: PcapWriter?
        if let live, let write {
            guard
                let writer = PcapWriter(
                    path: write, linkType: live.interfaces.first?.linkType ?? LinkType(rawValue: 1),
                    precision: live.interfaces.first?.precision ?? .microseconds)
            else {
                FileHandleText.standardError("dmdissect: \(TerminalText.escape(write)): cannot write: \(String(cString: strerror(errno)))")
                throw ExitCode(3)
            }
            raw = writer
        }
        // Live -w --session: only the selected sessions' frames (held until a session claims them).
        let liveExport = sessionSelector == nil ? nil : raw.map(LiveSessionExport.init)
        if liveExport != nil { raw = nil }
        var captured: UInt64 = 0
        // --session and -w: which sessions are shown, and whose frames are exported.
        let filter = SessionFilter(sessionSelector)
        var export = ExportSelection()
        func selected(_ session: Session) -> Bool {
            guard filter.selects(session) else { return false }
            if write != nil { export.add(session, fileIndex: max(0, run.files.count - 1)) }
            return true
        }
        /// Formats that do not stream packages still hand them to the live session export.
        let exportPackages: ((Int, SessionPackage) -> Void)? = liveExport.map { export in
            { session, package in filter.package(package, session: session) { export.selectedPackage($0) } }
        }
        let progress = live == nil ? ProgressLine(paths: files, quiet: quiet) : nil
        defer { progress?.finish() }
        /// Every frame read: progress, and live -w.
        func seen(_ info: FrameInfo, _ packet: borrowing DecodedPacket) {
            captured &+= 1
            progress?.frame(capturedLength: info.capturedLength)
            raw?.write(packet.bytes, timestamp: info.timestamp, originalLength: info.originalLength, linkType: info.linkType)
            liveExport?.frame(info, packet)
        }
        do {
            switch format {
            case .frames:
                try run.run(
                    files: inputs,
                    onPacket: { info, packet in
                        seen(info, packet)
                        sink.line(FrameLineRenderer(precision: info.precision).line(for: packet))
                    },
                    onFinding: { finding in
                        sink.line("        ! " + FindingText.line(finding))
                    })
            case .http:
                var precision = TimestampPrecision.microseconds
                try run.run(
                    files: inputs,
                    onPacket: { info, packet in
                        precision = info.precision
                        seen(info, packet)
                    },
                    onExchange: { exchange in
                        for line in HTTPExchangeRenderer(precision: precision).lines(for: exchange) { sink.line(line) }
                    },
                    onFinding: { finding in
                        sink.line("    ! " + FindingText.line(finding))
                    },
                    onSession: { _ = selected($0) }, onPackage: exportPackages)
            case .timeline where live != nil:
                let writer = LiveTimelineWriter(
                    sink: sink, style: timelineStyle(), precision: live?.interfaces.first?.precision ?? .microseconds)
                try run.run(
                    files: inputs, onPacket: seen,
                    onFinding: { if filter.passes($0) { writer.finding($0) } },
                    onSession: { if selected($0) { writer.session($0) } },
                    onPackage: { session, package in
                        filter.package(package, session: session) {
                            writer.package($0, session: session)
                            liveExport?.selectedPackage($0)
                        }
                    })
            case .timeline:
                let writer = TimelineWriter(sink: sink, style: timelineStyle())
                try run.run(
                    files: inputs, onPacket: seen,
                    onFinding: { finding in
                        // As many per rule as the run keeps (--format summary lists the same ones).
                        guard filter.passes(finding),
                            run.findingCounts[finding.rule, default: 0] <= run.options.storedFindingsPerRule
                        else { return }
                        writer.finding(finding)
                    },
                    onSession: { session in
                        guard selected(session) else { return writer.skip(session.index) }
                        writer.session(session, precision: run.files.last?.precision ?? .microseconds)
                    }, onPackage: exportPackages)
                if !run.files.isEmpty { writer.finish(run: run) }
            case .json:
                let writer = JSONReportWriter(sink: sink)
                writer.begin()
                try run.run(
                    files: inputs, onPacket: seen,
                    onFinding: { finding in
                        guard filter.passes(finding) else { return }
                        writer.finding(
                            finding,
                            stored: run.findingCounts[finding.rule, default: 0] <= run.options.storedFindingsPerRule)
                    },
                    onSession: { session in
                        guard selected(session) else { return writer.skip(session.index) }
                        writer.session(session, encoder: jsonEncoder(run))
                    }, onPackage: exportPackages)
                writer.finish(run: run, encoder: jsonEncoder(run))
            case .html:
                let writer = HTMLReportWriter(sink: sink)
                writer.begin(title: files.joined(separator: ", "))
                try run.run(
                    files: inputs, onPacket: seen,
                    onFinding: { if filter.passes($0) { writer.finding($0) } },
                    onSession: { session in
                        guard selected(session) else { return writer.skip(session.index) }
                        writer.session(session, encoder: jsonEncoder(run))
                    }, onPackage: exportPackages)
                writer.finish(run: run, encoder: jsonEncoder(run))
            case .jsonl:
                let writer = JSONLinesWriter(sink: sink)
                try run.run(
                    files: inputs, onPacket: seen,
                    onFinding: { if filter.passes($0) { writer.finding($0, encoder: jsonEncoder(run)) } },
                    onSession: { if selected($0) { writer.session($0, encoder: jsonEncoder(run)) } },
                    onPackage: { session, package in
                        filter.package(package, session: session) {
                            writer.package($0, session: session, encoder: jsonEncoder(run))
                            liveExport?.selectedPackage($0)
                        }
                    })
                writer.finish(run: run)
            case .summary:
                // The first sessions are listed one per line; the rest only counted, so that memory
                // does not grow with the capture.
                var sessions: [SessionSummary] = []
                var unlisted = 0
                var overview = SessionOverview()
                try run.run(
                    files: inputs, onPacket: seen,
                    onSession: { session in
                        guard selected(session) else { return }
                        if sessions.count < SummaryRenderer.maximumListedSessions {
                            sessions.append(SessionSummary(session))
                        } else {
                            unlisted += 1
                        }
                        overview.add(session)
                    }, onPackage: exportPackages)
                // Nothing could be read: the errors on standard error say it all (as with tcpdump).
                if !run.files.isEmpty {
                    let lines = SummaryRenderer().lines(
                        for: run, sessions: sessions, unlistedSessions: unlisted, overview: overview)
                    for line in lines { sink.line(line) }
                }
            }
        } catch {
            progress?.finish()
            sink.flush()
            FileHandleText.standardError("dmdissect: " + TerminalText.escape(error.message))
            throw ExitCode(error.exitCode)
        }
        progress?.finish()
        sink.flush()
        if let live {
            let complete = (raw?.close() ?? true) && (liveExport?.close() ?? true)
            if !quiet { printLiveStatistics(live, captured: captured, limits: run.limits) }
            if let write, !complete {
                FileHandleText.standardError("dmdissect: \(TerminalText.escape(write)): write failed")
                throw ExitCode(3)
            }
        } else if let write, !run.files.isEmpty {
            try writeExport(export, to: write, run: run)
        }
        tls.reportUnusedKeys(run)
        for failure in run.failures {
            FileHandleText.standardError("dmdissect: " + TerminalText.escape(failure.message))
        }
        if let first = run.failures.first { throw ExitCode(first.exitCode) }
        if check, run.errorCount > 0 { throw ExitCode(1) }
    }
}
