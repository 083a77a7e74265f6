import Reassembly

/// A request and the response that answered it (FIFO pairing per connection).
///
/// `100 Continue` and other interim 1xx responses answer the same request as the final response:
/// they are kept in `interimResponses`, in order, and `response` is the final one. A 101 response
/// is final (the connection then leaves HTTP).
public struct HTTPExchange: Hashable, Sendable {
    /// The connection.
    public var connection: ConnectionInfo
    /// 1-based position of the exchange in its connection.
    public var index: Int
    /// The request; nil for a response no request can be found for (see the anomalies), or a
    /// request lost in a capture gap.
    public var request: HTTPRequest?
    /// Interim (1xx) responses to the request, in order.
    public var interimResponses: [HTTPResponse]
    /// The final response; nil when none was seen before the connection ended.
    public var response: HTTPResponse?
    /// Anomalies of the request, the responses and the pairing, in the order found.
    public var anomalies: [HTTPAnomaly]
    /// The TLS parameters when the exchange was decrypted from a TLS connection; nil in clear.
    public var tls: TransportSecurity? = nil

    /// An exchange.
    public init(
        connection: ConnectionInfo, index: Int, request: HTTPRequest?, interimResponses: [HTTPResponse] = [],
        response: HTTPResponse?, anomalies: [HTTPAnomaly] = []
    ) {
        self.connection = connection
        self.index = index
        self.request = request
        self.interimResponses = interimResponses
        self.response = response
        self.anomalies = anomalies
    }
}
