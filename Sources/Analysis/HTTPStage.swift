import HTTP1
import Packets
import Reassembly
import TLS

/// TCP reassembly and HTTP/1.1 extraction for the run: owns the reassembler and collects what
/// the HTTP parsers report, so that `CaptureRun` can hand it on in frame order.
struct HTTPStage {
    /// Receives the HTTP parsers' (and the TLS layer's) output between two frames.
    final class Collector: HTTPSink, TLSSink {
        var exchanges: [HTTPExchange] = []
        var anomalies: [HTTPAnomaly] = []
        var tlsEvents: [TLSEvent] = []
        /// What each open decrypted connection negotiated, by connection index, to label its exchanges.
        var transportSecurity: [Int: TransportSecurity] = [:]
        /// TLS connections seen over the whole run, and those decrypted.
        var tlsConnectionCount = 0
        var tlsDecryptedCount = 0
        /// TLS connections that ended since the last drain.
        var endedTLSConnections: [TLSConnectionSummary] = []
        /// Exchanges and anomalies seen over the whole run.
        var exchangeCount = 0
        var requestCount = 0
        var responseCount = 0
        /// HTTP parser limits hit over the whole run.
        var limitHits: [RunLimit: Int] = [:]

        func exchange(_ exchange: HTTPExchange) {
            exchangeCount += 1
            if exchange.request != nil { requestCount += 1 }
            if exchange.response != nil { responseCount += 1 }
            for anomaly in exchange.anomalies { count(anomaly) }
            var exchange = exchange
            exchange.tls = transportSecurity[exchange.connection.index]
            exchanges.append(exchange)
        }

        func handshake(_ info: TLSHandshakeInfo, isDecrypted: Bool, connection: ConnectionInfo) {
            guard isDecrypted else { return }
            transportSecurity[connection.index] = TransportSecurity(
                version: info.version?.description ?? "", cipherSuite: info.cipherSuite?.name ?? "",
                serverName: info.serverName)
        }

        func event(_ event: TLSEvent) {
            tlsEvents.append(event)
        }

        func connectionEnded(_ summary: TLSConnectionSummary) {
            tlsConnectionCount += 1
            if summary.status.isDecrypted { tlsDecryptedCount += 1 }
            endedTLSConnections.append(summary)
            transportSecurity[summary.connection.index] = nil
        }

        func anomaly(_ anomaly: HTTPAnomaly) {
            count(anomaly)
            anomalies.append(anomaly)
        }

        private func count(_ anomaly: HTTPAnomaly) {
            if let limit = RunLimit.http(anomaly.kind) { limitHits[limit, default: 0] += 1 }
        }
    }

    let collector = Collector()
    /// Most TLS connections kept in `tlsConnections` (the rest are only counted), so memory does not
    /// grow with a capture of many short connections.
    static let maximumListedTLSConnections = 10_000
    /// TLS connections that ended, in the order they ended, at most `maximumListedTLSConnections`.
    private(set) var tlsConnections: [ListedTLSConnection] = []
    private var reassembler: Reassembler<TLSConsumerFactory<HTTPConnectionParserFactory>>
    private var events: [ReassemblyEvent] = []

    /// A stage whose TLS connections are decrypted with `keys` (connections without keys are listed).
    init(limits: ReassemblyLimits, configuration: HTTPConfiguration, keys: KeyStore) {
        let http = HTTPConnectionParserFactory(sink: collector, configuration: configuration)
        reassembler = Reassembler(
            factory: TLSConsumerFactory(inner: http, keys: keys, sink: collector), limits: limits)
    }

    var statistics: ReassemblyStatistics { reassembler.statistics }

    /// Feeds one decoded frame; returns true when something was collected.
    mutating func process(_ packet: borrowing DecodedPacket) -> Bool {
        guard case .tcp = packet.transport else { return false }
        reassembler.process(packet, events: &events)
        return !events.isEmpty || !collector.exchanges.isEmpty || !collector.anomalies.isEmpty
            || !collector.tlsEvents.isEmpty || !collector.endedTLSConnections.isEmpty
    }

    /// End of capture: flushes every connection, handing out what each one produced as soon as it
    /// ended (so the output of every connection still open is never held at once), then drains.
    mutating func finish(fileIndex: Int, onExchange: (HTTPExchange) -> Void, onFinding: (Finding) -> Void) {
        var pending = events
        events.removeAll()
        var listed = tlsConnections
        let collector = self.collector
        reassembler.finish(events: &pending) { pending in
            Self.drain(
                events: &pending, collector: collector, tlsConnections: &listed, fileIndex: fileIndex,
                onExchange: onExchange, onFinding: onFinding)
        }
        tlsConnections = listed
        events = pending
        drain(fileIndex: fileIndex, onExchange: onExchange, onFinding: onFinding)
    }

    /// Hands out and forgets what was collected since the last call.
    mutating func drain(
        fileIndex: Int, onExchange: (HTTPExchange) -> Void, onFinding: (Finding) -> Void
    ) {
        Self.drain(
            events: &events, collector: collector, tlsConnections: &tlsConnections, fileIndex: fileIndex,
            onExchange: onExchange, onFinding: onFinding)
    }

    private static func drain(
        events: inout [ReassemblyEvent], collector: Collector, tlsConnections: inout [ListedTLSConnection],
        fileIndex: Int, onExchange: (HTTPExchange) -> Void, onFinding: (Finding) -> Void
    ) {
        for event in events {
            onFinding(
                Finding(
                    rule: event.rule, severity: .warning, message: event.message, frames: event.frames,
                    fileIndex: fileIndex))
        }
        events.removeAll(keepingCapacity: true)
        let exchanges = collector.exchanges
        let anomalies = collector.anomalies
        let tlsEvents = collector.tlsEvents
        collector.exchanges.removeAll(keepingCapacity: true)
        collector.anomalies.removeAll(keepingCapacity: true)
        collector.tlsEvents.removeAll(keepingCapacity: true)
        for event in tlsEvents { onFinding(Self.finding(event, fileIndex: fileIndex)) }
        for summary in collector.endedTLSConnections where tlsConnections.count < maximumListedTLSConnections {
            tlsConnections.append(ListedTLSConnection(fileIndex: fileIndex, summary: summary))
        }
        collector.endedTLSConnections.removeAll(keepingCapacity: true)
        for anomaly in anomalies {
            onFinding(Self.finding(anomaly, fileIndex: fileIndex))
        }
        for exchange in exchanges {
            for anomaly in exchange.anomalies { onFinding(Self.finding(anomaly, fileIndex: fileIndex)) }
            onExchange(exchange)
        }
    }

    /// A TLS event as a finding, with the severity of its catalogue entry (DM-TLS-*): a fatal
    /// alert is a warning, any other alert only informs.
    static func finding(_ event: TLSEvent, fileIndex: Int) -> Finding {
        var severity = RuleCatalogue.rule(event.rule)?.severity ?? .warning
        if case .alert(let alert) = event.kind, alert.level != 2 { severity = .info }
        return Finding(
            rule: event.rule, severity: severity, message: event.message, frames: event.frames, fileIndex: fileIndex)
    }

    /// An HTTP anomaly as a finding: noise-level ones (resynchronisation after a gap that was
    /// already reported, obsolete line folding) are informational.
    static func finding(_ anomaly: HTTPAnomaly, fileIndex: Int) -> Finding {
        let severity: Finding.Severity
        switch anomaly.kind {
        case .resync, .obsFold: severity = .info
        default: severity = .warning
        }
        return Finding(
            rule: anomaly.name, severity: severity, message: anomaly.message, frames: [anomaly.frame],
            fileIndex: fileIndex)
    }
}
