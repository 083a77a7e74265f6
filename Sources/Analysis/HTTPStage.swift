import HTTP1
import Packets
import Reassembly

/// TCP reassembly and HTTP/1.1 extraction for the run: owns the reassembler and collects what
/// the HTTP parsers report, so that `CaptureRun` can hand it on in frame order.
struct HTTPStage {
    /// Receives the HTTP parsers' output between two frames.
    final class Collector: HTTPSink {
        var exchanges: [HTTPExchange] = []
        var anomalies: [HTTPAnomaly] = []
        /// Exchanges and anomalies seen over the whole run.
        var exchangeCount = 0
        var requestCount = 0
        var responseCount = 0

        func exchange(_ exchange: HTTPExchange) {
            exchangeCount += 1
            if exchange.request != nil { requestCount += 1 }
            if exchange.response != nil { responseCount += 1 }
            exchanges.append(exchange)
        }

        func anomaly(_ anomaly: HTTPAnomaly) {
            anomalies.append(anomaly)
        }
    }

    let collector = Collector()
    private var reassembler: Reassembler<HTTPConnectionParserFactory>
    private var events: [ReassemblyEvent] = []

    init(limits: ReassemblyLimits, configuration: HTTPConfiguration) {
        reassembler = Reassembler(
            factory: HTTPConnectionParserFactory(sink: collector, configuration: configuration), limits: limits)
    }

    var statistics: ReassemblyStatistics { reassembler.statistics }

    /// Feeds one decoded frame; returns true when something was collected.
    mutating func process(_ packet: borrowing DecodedPacket) -> Bool {
        guard case .tcp = packet.transport else { return false }
        reassembler.process(packet, events: &events)
        return !events.isEmpty || !collector.exchanges.isEmpty || !collector.anomalies.isEmpty
    }

    /// End of capture: flushes every connection.
    mutating func finish() {
        reassembler.finish(events: &events)
    }

    /// Hands out and forgets what was collected since the last call.
    mutating func drain(
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
        collector.exchanges.removeAll(keepingCapacity: true)
        collector.anomalies.removeAll(keepingCapacity: true)
        for anomaly in anomalies {
            onFinding(Self.finding(anomaly, fileIndex: fileIndex))
        }
        for exchange in exchanges {
            for anomaly in exchange.anomalies { onFinding(Self.finding(anomaly, fileIndex: fileIndex)) }
            onExchange(exchange)
        }
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
