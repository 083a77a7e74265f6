import Reassembly

/// Receives the output of every `HTTPConnectionParser` built by one factory.
///
/// Call order, per connection: `exchange` and `anomaly` 0…n times, interleaved in the order the
/// parser finds them (exchanges in increasing `index`; an exchange is delivered once both its request
/// and final response are complete, or when the connection ends), then `connectionEnded` exactly
/// once, after both directions have ended. Connections interleave. Everything is called on the
/// thread that drives the reassembler.
public protocol HTTPSink: AnyObject {
    /// A request/response pair, complete as far as the capture allows.
    func exchange(_ exchange: HTTPExchange)
    /// An anomaly that no exchange carries (garbage, a dropped message).
    func anomaly(_ anomaly: HTTPAnomaly)
    /// Both directions of the connection ended; every exchange has been delivered.
    func connectionEnded(_ summary: HTTPConnectionSummary)
}

extension HTTPSink {
    /// Does nothing.
    public func connectionEnded(_ summary: HTTPConnectionSummary) {}
}

/// Counters of one connection, for statistics.
public struct HTTPConnectionSummary: Hashable, Sendable {
    /// The connection.
    public var connection: ConnectionInfo
    /// Whether each direction showed at least one HTTP message, indexed by `Direction.rawValue`.
    public var recognized: [Bool]
    /// Request heads parsed.
    public var requests: Int
    /// Response heads parsed (interim ones included).
    public var responses: Int
    /// Exchanges delivered.
    public var exchanges: Int
    /// Body bytes counted but not stored (policy, caps, dropped requests).
    public var unstoredBodyBytes: Int
    /// Bytes skipped while resynchronising, both directions.
    public var resyncSkippedBytes: Int
    /// Requests dropped over `maxOutstandingRequests`.
    public var droppedRequests: Int

    /// A summary.
    public init(
        connection: ConnectionInfo, recognized: [Bool] = [false, false], requests: Int = 0, responses: Int = 0,
        exchanges: Int = 0, unstoredBodyBytes: Int = 0, resyncSkippedBytes: Int = 0, droppedRequests: Int = 0
    ) {
        self.connection = connection
        self.recognized = recognized
        self.requests = requests
        self.responses = responses
        self.exchanges = exchanges
        self.unstoredBodyBytes = unstoredBodyBytes
        self.resyncSkippedBytes = resyncSkippedBytes
        self.droppedRequests = droppedRequests
    }
}
