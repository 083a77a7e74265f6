import Analysis
import Capture
import Packets

/// The `--format summary` text: what the capture holds and what went wrong, in a few lines.
public struct SummaryRenderer {
    /// A renderer.
    public init() {}

    /// Sessions listed one per line at most; the others are counted (`unlistedSessions`).
    public static let maximumListedSessions = 1000

    /// Lines describing `run` after it finished; `sessions` are the DM sessions it closed, in order,
    /// and `unlistedSessions` the further ones that were only counted.
    public func lines(
        for run: CaptureRun, sessions: [SessionSummary] = [], unlistedSessions: Int = 0,
        overview: SessionOverview = SessionOverview()
    ) -> [String] {
        var lines: [String] = []
        for (number, file) in run.files.enumerated() {
            lines.append("file \(number + 1): \(TerminalText.escape(file.path)) (\(describe(file)))")
            var frames = "  frames \(file.framesAnalysed)"
            if file.framesRead != file.framesAnalysed { frames += " of \(file.framesRead) read" }
            frames += ", \(file.capturedBytes) bytes captured, \(file.wireBytes) on the wire"
            lines.append(frames)
            if let first = file.firstTime, let last = file.lastTime {
                let duration = TimeFormat.seconds(nanoseconds: first.nanoseconds(to: last), digits: 6)
                lines.append(
                    "  time \(TimeFormat.iso8601(first, precision: file.precision)) to "
                        + "\(TimeFormat.iso8601(last, precision: file.precision)) (\(duration) s)")
            }
        }
        let stats = run.packetStatistics
        lines.append(
            "packets: IPv4 \(stats.ipv4), IPv6 \(stats.ipv6), TCP \(stats.tcp), UDP \(stats.udp), "
                + "ICMP \(stats.icmp), other transport \(stats.otherTransport); ARP \(stats.arp), other network \(stats.otherNetwork)")
        lines.append(
            "IP fragments \(stats.fragments), datagrams reassembled \(stats.datagramsReassembled); "
                + "truncated frames (snaplen) \(stats.truncatedFrames), malformed \(stats.malformedFrames), "
                + "bad IPv4 checksums \(stats.badIPv4Checksums), unsupported link types \(stats.unsupportedLinkTypeFrames)")
        if run.options.analysesHTTP {
            let tcp = run.reassemblyStatistics
            lines.append(
                "TCP connections \(tcp.connections) (picked up mid-stream \(tcp.pickedUpMidStream)), "
                    + "retransmissions \(tcp.retransmissions + tcp.partialRetransmissions), "
                    + "out of order \(tcp.outOfOrderSegments), gaps \(tcp.gaps) (\(tcp.gapBytes) bytes), "
                    + "conflicting overlaps \(tcp.conflictingOverlaps), flows evicted \(tcp.flowsEvicted)")
            let http = run.httpCounts
            lines.append("HTTP exchanges \(http.exchanges): requests \(http.requests), responses \(http.responses)")
            let dm = run.dmCounts
            lines.append("DM notifications \(dm.notifications), DM exchanges \(dm.exchanges), sessions \(dm.sessions)")
            lines += overview.lines()
            lines += SessionLineRenderer().lines(for: sessions, findingCounts: run.findingCountsBySession)
            if unlistedSessions > 0 {
                lines.append(
                    "  … \(unlistedSessions) more sessions (counted above, not listed; --format jsonl lists every one)")
            }
        }
        lines.append(Self.limitsLine(run.limits))
        let findings = run.findings
        if findings.isEmpty {
            lines.append("findings: none")
        } else {
            lines.append("findings: \(run.totalFindings)")
            let byRule = run.findingCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append("  by rule: " + byRule.joined(separator: ", "))
            let multipleFiles = run.files.count > 1
            for finding in findings {
                lines.append("  " + FindingText.line(finding, fileNumber: multipleFiles ? finding.fileIndex + 1 : nil))
            }
            for (rule, count) in run.findingCounts.sorted(by: { $0.key < $1.key })
            where count > run.options.storedFindingsPerRule {
                lines.append("  … \(count - run.options.storedFindingsPerRule) more \(rule) findings (counted, not listed)")
            }
        }
        return lines
    }

    /// `limits hit: none`, or each limit that was hit with its value and what the hits did.
    public static func limitsLine(_ limits: [LimitUsage]) -> String { "limits hit: " + limitsHit(limits) }

    /// `none`, or `--max-flows 131072: 5 hits (flows evicted); …` for each limit that was hit.
    public static func limitsHit(_ limits: [LimitUsage]) -> String {
        let parts = limits.filter { $0.hits > 0 }.map { usage in
            "\(usage.limit.option ?? usage.limit.rawValue) \(LimitText.value(usage)): \(usage.hits) hit\(usage.hits == 1 ? "" : "s") (\(usage.limit.what))"
        }
        return parts.isEmpty ? "none" : parts.joined(separator: "; ")
    }

    private func describe(_ file: FileSummary) -> String {
        var parts = [file.container.rawValue]
        if file.isCompressed { parts.append("gzip") }
        var linkTypes: [String] = []
        for interface in file.interfaces where !linkTypes.contains(interface.linkType.name) {
            linkTypes.append(interface.linkType.name)
        }
        let count = file.interfaces.count
        parts.append("\(count) interface\(count == 1 ? "" : "s"): \(linkTypes.joined(separator: ", "))")
        parts.append(file.precision == .nanoseconds ? "nanoseconds" : "microseconds")
        return parts.joined(separator: ", ")
    }
}

/// One-line text form of a finding, shared by every text output.
public enum FindingText {
    /// `warning CAPTURE-TRUNCATED frame 7 (offset 1234): message`; `fileNumber` is shown when
    /// several files were read.
    public static func line(_ finding: Finding, fileNumber: Int? = nil) -> String {
        var text = "\(finding.severity.rawValue) \(finding.rule)"
        if let fileNumber { text += " file \(fileNumber)" }
        if !finding.frames.isEmpty {
            let numbers = finding.frames.prefix(10).map(\.description).joined(separator: ",")
            text += " frame\(finding.frames.count == 1 ? "" : "s") \(numbers)"
            if finding.frames.count > 10 { text += ",…" }
        }
        if let offset = finding.offset { text += " (offset \(offset))" }
        return text + ": " + TerminalText.escape(finding.message)
    }
}
