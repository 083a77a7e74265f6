import Capture
import HTTP1
import Packets
import Reassembly
import TLS

/// Settings of one analysis run.
public struct RunOptions: Sendable {
    /// BPF capture filter (tcpdump syntax), applied by libpcap's filter machine.
    public var filter: String?
    /// Stop after this many analysed frames in total (tcpdump's `-c`).
    public var frameLimit: UInt64?
    /// Limits of IP fragment reassembly.
    public var fragmentLimits: FragmentLimits
    /// How many findings of one rule are kept in `CaptureRun.findings`; the rest are only counted,
    /// so memory does not grow with the capture (a misbehaving fleet repeats the same findings).
    public var storedFindingsPerRule = CaptureRun.defaultStoredFindingsPerRule
    /// Reassemble TCP and extract HTTP/1.1 (off for the frame-level view, which needs neither).
    public var analysesHTTP: Bool
    /// Limits of TCP reassembly.
    public var reassemblyLimits: ReassemblyLimits
    /// HTTP parser limits and which bodies are kept.
    public var httpConfiguration: HTTPConfiguration
    /// DM session tracking and rule checking (runs whenever HTTP analysis does).
    public var sessionTracking: SessionTrackingOptions
    /// Secrets to decrypt TLS connections with (`--tls-keylog`); pcapng Decryption Secrets Blocks
    /// add to them as the files are read.
    public var tlsKeyLog: KeyLog

    /// Options with the defaults of the command line.
    public init(
        filter: String? = nil, frameLimit: UInt64? = nil, fragmentLimits: FragmentLimits = FragmentLimits(),
        analysesHTTP: Bool = true, reassemblyLimits: ReassemblyLimits = ReassemblyLimits(),
        httpConfiguration: HTTPConfiguration = HTTPConfiguration(),
        sessionTracking: SessionTrackingOptions = SessionTrackingOptions(), tlsKeyLog: KeyLog = KeyLog()
    ) {
        self.filter = filter
        self.frameLimit = frameLimit
        self.fragmentLimits = fragmentLimits
        self.analysesHTTP = analysesHTTP
        self.reassemblyLimits = reassemblyLimits
        self.httpConfiguration = httpConfiguration
        self.sessionTracking = sessionTracking
        self.tlsKeyLog = tlsKeyLog
    }
}

/// Runs capture files through frame decoding in one streaming pass and collects what the
/// renderers need: per-file summaries, decoder statistics and findings.
///
/// Call order: `run(files:…)` once; the callbacks fire in frame order; then read the results.
public final class CaptureRun {
    /// Options of this run.
    public let options: RunOptions
    /// One summary per file that could be opened, in input order.
    public private(set) var files: [FileSummary] = []
    /// Every finding (capture-level and per DM session, see `Finding.session`), in the order found.
    public private(set) var findings: [Finding] = []
    /// Default of `RunOptions.storedFindingsPerRule`.
    public static let defaultStoredFindingsPerRule = 100
    /// Every finding counted, per rule id (stored or not).
    public private(set) var findingCounts: [String: Int] = [:]
    /// Every finding counted, per session index.
    public private(set) var findingCountsBySession: [Int: Int] = [:]
    /// Error-level findings counted (stored or not), for `--check`.
    public private(set) var errorCount = 0
    /// All findings counted.
    public var totalFindings: Int { findingCounts.values.reduce(0, +) }
    /// DM sessions closed so far.
    public private(set) var sessionCount = 0
    /// Files that could not be opened, with why.
    public private(set) var failures: [CaptureError] = []
    private var decoder: PacketDecoder
    private var http: HTTPStage?
    /// The run's TLS secrets: `options.tlsKeyLog` and every pcapng secrets block read so far.
    public let tlsKeys: KeyStore
    private var dm: DMStage?
    private var events: [PacketEvent] = []
    private var analysed: UInt64 = 0
    private var reportedLinkTypes: Set<LinkType> = []

    /// A run with `options`.
    /// Opens each input of `run(files:)`: `CaptureFile.open` (a file, or '-'); live capture
    /// hands over the interface it opened instead.
    public var opener: (_ path: String, _ fileIndex: Int, _ filter: String?) throws(CaptureError) -> CaptureFile = {
        path, fileIndex, filter throws(CaptureError) in
        try CaptureFile.open(path, fileIndex: fileIndex, filter: filter)
    }

    public init(options: RunOptions = RunOptions()) {
        self.options = options
        self.decoder = PacketDecoder(limits: options.fragmentLimits)
        tlsKeys = KeyStore(keyLog: options.tlsKeyLog)
        if options.analysesHTTP {
            http = HTTPStage(
                limits: options.reassemblyLimits, configuration: options.httpConfiguration, keys: tlsKeys)
            dm = DMStage(options: options.sessionTracking)
        }
        events.reserveCapacity(16)
    }

    /// Frame-decoder counters (frames, protocols, fragments, truncated and malformed frames).
    public var packetStatistics: PacketStatistics { decoder.statistics }

    /// Every resource limit of the run, in `RunLimit` order, with its value and the hits so far.
    public var limits: [LimitUsage] {
        let tcp = reassemblyStatistics
        var hits = http?.collector.limitHits ?? [:]
        hits.merge(dm?.limitHits ?? [:], uniquingKeysWith: +)
        hits[.flows, default: 0] += tcp.flowsEvicted
        hits[.reassemblyMemory, default: 0] += tcp.totalBufferLimitHits
        hits[.flowBuffer, default: 0] += tcp.directionBufferLimitHits
        hits[.flowSegments, default: 0] += tcp.directionSegmentLimitHits
        for (kind, count) in packetStatistics.fragmentLimitHitsByKind {
            hits[RunLimit.fragments(kind), default: 0] += count
        }
        return RunLimit.allCases.map { LimitUsage(limit: $0, value: options.value(of: $0), hits: hits[$0] ?? 0) }
    }

    /// TCP reassembly counters (zero when HTTP analysis is off).
    public var reassemblyStatistics: ReassemblyStatistics { http?.statistics ?? ReassemblyStatistics() }

    /// HTTP counters: exchanges, requests and final responses extracted.
    public var httpCounts: (exchanges: Int, requests: Int, responses: Int) {
        guard let collector = http?.collector else { return (0, 0, 0) }
        return (collector.exchangeCount, collector.requestCount, collector.responseCount)
    }

    /// TLS counters: connections recognised as TLS (ended so far) and those decrypted.
    public var tlsCounts: (connections: Int, decrypted: Int) {
        guard let collector = http?.collector else { return (0, 0) }
        return (collector.tlsConnectionCount, collector.tlsDecryptedCount)
    }

    /// TLS connections that ended (decrypted or not), at most `HTTPStage.maximumListedTLSConnections`:
    /// endpoints, SNI, version, cipher suite, bytes, frames, decryption status.
    public var tlsConnections: [ListedTLSConnection] { http?.tlsConnections ?? [] }

    /// DM counters: notifications decoded, HTTP exchanges carrying DM packages, sessions closed.
    public var dmCounts: (notifications: Int, exchanges: Int, sessions: Int) {
        (dm?.notificationCount ?? 0, dm?.dmExchangeCount ?? 0, sessionCount)
    }

    /// Reads `paths` in order. Per frame, `onPacket` gets the decoded view (valid during the call);
    /// `onFinding` gets each finding as soon as it is known; `onSession` gets each DM session as
    /// soon as it closes (END, abort, idle time-out, end of file), after which the run forgets it;
    /// `onPackage`, when given, gets each package as it joins its session (for streaming output).
    /// A file that cannot be opened is recorded in `failures` and the run goes on with the next; a
    /// bad filter stops the run (it throws).
    public func run(
        files paths: [String],
        onPacket: (FrameInfo, borrowing DecodedPacket) -> Void,
        onExchange: (HTTPExchange) -> Void = { _ in },
        onFinding: (Finding) -> Void = { _ in },
        onSession: (Session) -> Void = { _ in },
        onPackage: ((_ session: Int, _ package: SessionPackage) -> Void)? = nil
    ) throws(CaptureError) {
        dm?.publishesPackages = onPackage != nil
        let onPackage = onPackage ?? { _, _ in }
        // Findings are recorded here and passed on; one closure serves every stage.
        func record(_ finding: Finding) {
            let count = findingCounts[finding.rule, default: 0] + 1
            findingCounts[finding.rule] = count
            if let session = finding.session { findingCountsBySession[session, default: 0] += 1 }
            if finding.severity == .error { errorCount += 1 }
            if count <= options.storedFindingsPerRule { findings.append(finding) }
            onFinding(finding)
        }
        func closed(_ session: Session) {
            sessionCount += 1
            onSession(session)
        }
        // Each exchange goes to the caller and to the DM stage, whose output follows at once.
        func exchanged(_ exchange: HTTPExchange) {
            onExchange(exchange)
            dm?.exchange(exchange)
            dm?.drain(onPackage: onPackage, onFinding: record, onSession: closed)
        }
        for (index, path) in paths.enumerated() {
            if let limit = options.frameLimit, analysed >= limit { break }
            let file: CaptureFile
            do {
                file = try opener(path, index, options.filter)
            } catch {
                if case .badFilter = error { throw error }
                failures.append(error)
                continue
            }
            dm?.setFileIndex(index)
            var summary = FileSummary(
                path: path, container: file.container, isCompressed: file.isCompressed, interfaces: [])
            var secretsRead = 0
            let end = try file.readFrames { info, bytes in
                // pcapng: keys of a Decryption Secrets Block apply from the next frame on.
                if file.container == .pcapng, file.decryptionSecrets.count > secretsRead {
                    takeSecrets(file.decryptionSecrets[secretsRead...], frame: info.number, fileIndex: index, onFinding: record)
                    secretsRead = file.decryptionSecrets.count
                }
                summary.framesAnalysed += 1
                summary.capturedBytes += UInt64(info.capturedLength)
                summary.wireBytes += UInt64(info.originalLength)
                if summary.firstTime == nil { summary.firstTime = info.timestamp }
                summary.lastTime = info.timestamp
                if info.precision == .nanoseconds { summary.precision = .nanoseconds }
                decoder.decode(
                    bytes, linkType: info.linkType, frame: info.number, timestamp: info.timestamp,
                    originalLength: info.originalLength, events: &events
                ) { packet in
                    onPacket(info, packet)
                    // Before the HTTP stage: a reset must be known when the exchange it cut arrives.
                    dm?.packet(packet)
                    dm?.drain(onPackage: onPackage, onFinding: record, onSession: closed)
                    if http?.process(packet) == true {
                        http?.drain(fileIndex: index, onExchange: exchanged, onFinding: record)
                    }
                }
                if !events.isEmpty { report(events, fileIndex: index, onFinding: record) }
                analysed += 1
                if let limit = options.frameLimit, analysed >= limit { return false }
                return true
            }
            summary.interfaces = file.interfaces
            summary.end = end
            switch end {
            case .complete, .stopped:
                summary.framesRead = summary.framesAnalysed
            case .truncated(let frame, let offset, let detail):
                summary.framesRead = frame.rawValue &- 1  // frame ≥ 1: the incomplete one is not counted
                let finding = Finding(
                    rule: "CAPTURE-TRUNCATED", severity: .warning,
                    message: "The capture file ends in the middle of frame \(frame) (byte offset \(offset)): \(detail); every complete frame before it was analysed.",
                    frames: [frame], fileIndex: index, offset: offset)
                record(finding)
            case .corrupt(let frame, let offset, let detail):
                summary.framesRead = frame.rawValue &- 1
                let finding = Finding(
                    rule: "CAPTURE-CORRUPT", severity: .error,
                    message: "The capture file is unreadable from frame \(frame) on (byte offset \(offset)): \(detail).",
                    frames: [frame], fileIndex: index, offset: offset)
                record(finding)
            }
            // A new file starts a new capture: pending fragments and connections do not continue
            // across files (frame numbers restart), so both are flushed here.
            decoder.finish(events: &events)
            if !events.isEmpty { report(events, fileIndex: index, onFinding: record) }
            http?.finish(fileIndex: index, onExchange: exchanged, onFinding: record)
            dm?.finish()
            dm?.drain(onPackage: onPackage, onFinding: record, onSession: closed)
            files.append(summary)
        }
    }

    /// Adds the TLS key logs among `blocks` to the run's keys; a line that cannot be read is a
    /// DM-TLS-007 finding (file and line only: key log lines hold secrets).
    private func takeSecrets(
        _ blocks: ArraySlice<DecryptionSecrets>, frame: FrameNumber, fileIndex: Int, onFinding: (Finding) -> Void
    ) {
        for (number, block) in zip(blocks.indices, blocks) where block.type == KeyStore.tlsKeyLogSecretsType {
            for issue in tlsKeys.addSecretsBlock(block.data, source: "Decryption Secrets Block \(number + 1)") {
                onFinding(
                    Finding(
                        rule: "DM-TLS-007", severity: .warning,
                        message: "Line \(issue.line) of the TLS key log in \(issue.source) was skipped: \(issue.reason).",
                        frames: [frame], fileIndex: fileIndex))
            }
        }
    }

    /// Turns decoder events into findings; snaplen truncation is only counted (a short snaplen is
    /// a capture setting, not a protocol problem), and an unsupported link type is reported once.
    private func report(_ batch: [PacketEvent], fileIndex: Int, onFinding: (Finding) -> Void) {
        for event in batch {
            let severity: Finding.Severity
            switch event {
            case .truncated: continue
            case .unsupportedLinkType(let linkType, _):
                guard reportedLinkTypes.insert(linkType).inserted else { continue }
                severity = .info
            case .malformed, .badIPv4Checksum, .fragmentOverlap, .fragmentTimeout, .fragmentIncomplete,
                .fragmentLimit:
                severity = .warning
            }
            let finding = Finding(
                rule: event.rule, severity: severity, message: event.message,
                frames: event.frames, fileIndex: fileIndex, offset: Int64(event.location.offset))
            onFinding(finding)
        }
        events.removeAll(keepingCapacity: true)
    }
}
