import Packets
import Reassembly

/// Parses both directions of one TCP connection as HTTP/1.1 and pairs requests with responses.
///
/// Requests are parsed from client→server bytes and responses from server→client bytes, each by its
/// own `MessageParser`; finished exchanges and anomalies go to the sink (see `HTTPSink` for the call
/// order). The first bytes of each direction decide whether it is HTTP at all: a request must start
/// with a token and a space, a response with `HTTP/`; otherwise the parser returns
/// `.ignoreConnection` (or `.ignoreDirection` when the other direction is already known to be
/// HTTP) so that the reassembler stops buffering. A connection picked up mid-stream starts by
/// looking for the next start line.
///
/// A value type driven in place by the reassembler; copies would share the zlib state of a body
/// being decoded, so keep one copy.
public struct HTTPConnectionParser: ConnectionConsumer {
    /// The connection.
    public var connection: ConnectionInfo { queue.connection }
    private var requests: MessageParser
    private var responses: MessageParser
    private var queue: ExchangeQueue
    private let sink: any HTTPSink

    /// A parser for `connection` that reports to `sink`.
    public init(connection: ConnectionInfo, sink: any HTTPSink, configuration: HTTPConfiguration = HTTPConfiguration()) {
        self.init(connection: connection, sink: sink, shared: SharedConfiguration(configuration))
    }

    /// A parser whose configuration is shared with others (a factory's parsers).
    init(connection: ConnectionInfo, sink: any HTTPSink, shared: SharedConfiguration) {
        self.sink = sink
        requests = MessageParser(role: .request, connection: connection, configuration: shared)
        responses = MessageParser(role: .response, connection: connection, configuration: shared)
        queue = ExchangeQueue(
            connection: connection, sink: sink, maxOutstandingRequests: shared.value.limits.maxOutstandingRequests)
    }

    /// Parses the next bytes of `direction`.
    public mutating func receive(
        _ bytes: UnsafeRawBufferPointer, direction: Direction, frame: FrameNumber, time: Timestamp
    ) -> ConsumerInterest {
        let signal: MessageParser.Signal
        switch direction {
        case .clientToServer: signal = requests.receive(bytes, frame: frame, time: time, queue: &queue)
        case .serverToClient: signal = responses.receive(bytes, frame: frame, time: time, queue: &queue)
        }
        return interest(after: signal, in: direction)
    }

    /// Skips lost bytes of `direction`, dropping or marking the message they hit.
    public mutating func gap(length: Int, direction: Direction, frame: FrameNumber, time: Timestamp) -> ConsumerInterest {
        let signal: MessageParser.Signal
        switch direction {
        case .clientToServer: signal = requests.gap(length: length, frame: frame, time: time, queue: &queue)
        case .serverToClient: signal = responses.gap(length: length, frame: frame, time: time, queue: &queue)
        }
        return interest(after: signal, in: direction)
    }

    /// Ends `direction`; after both, delivers every remaining exchange and the summary.
    public mutating func end(_ reason: StreamEnd, direction: Direction, frame: FrameNumber, time: Timestamp) {
        switch direction {
        case .clientToServer:
            guard !requests.isEnded else { return }
            requests.end(reason, frame: frame, time: time, queue: &queue)
        case .serverToClient:
            guard !responses.isEnded else { return }
            responses.end(reason, frame: frame, time: time, queue: &queue)
        }
        guard requests.isEnded && responses.isEnded else { return }
        queue.deliverAll()
        sink.connectionEnded(summary)
    }

    /// Counters so far.
    public var summary: HTTPConnectionSummary {
        HTTPConnectionSummary(
            connection: connection, recognized: [requests.messagesParsed > 0, responses.messagesParsed > 0],
            requests: requests.messagesParsed, responses: responses.messagesParsed, exchanges: queue.deliveredCount,
            unstoredBodyBytes: requests.unstoredBodyBytes + responses.unstoredBodyBytes,
            resyncSkippedBytes: requests.resyncSkippedBytes + responses.resyncSkippedBytes,
            droppedRequests: queue.droppedRequests)
    }

    private mutating func interest(after signal: MessageParser.Signal, in direction: Direction) -> ConsumerInterest {
        switch signal {
        case .proceed:
            return .all
        case .tunnel:
            requests.stop()
            responses.stop()
            return .ignoreConnection
        case .notHTTP:
            let other = direction == .clientToServer ? responses : requests
            if other.messagesParsed > 0 { return .ignoreDirection }
            requests.stop()
            responses.stop()
            return .ignoreConnection
        }
    }
}

/// Makes an `HTTPConnectionParser` for every connection; all report to one sink.
public struct HTTPConnectionParserFactory: ConnectionConsumerFactory {
    /// Where every parser reports.
    public let sink: any HTTPSink
    /// Limits and body policy for every parser.
    public var configuration: HTTPConfiguration {
        get { shared.value }
        set { shared = SharedConfiguration(newValue) }
    }
    /// The one copy every parser refers to.
    private var shared: SharedConfiguration

    /// A factory.
    public init(sink: any HTTPSink, configuration: HTTPConfiguration = HTTPConfiguration()) {
        self.sink = sink
        self.shared = SharedConfiguration(configuration)
    }

    /// A parser for every connection: HTTP is recognised by content, not by port.
    public func makeConsumer(for connection: ConnectionInfo) -> HTTPConnectionParser? {
        HTTPConnectionParser(connection: connection, sink: sink, shared: shared)
    }
}
