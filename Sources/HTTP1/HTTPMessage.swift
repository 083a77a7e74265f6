import Packets

/// How a message's body was delimited on the wire (RFC 9112 §6.3).
public enum BodyFraming: Hashable, Sendable {
    /// No body: HEAD response, 1xx/204/304, or a request without Content-Length/Transfer-Encoding.
    case none
    /// `Content-Length` bytes.
    case contentLength(Int)
    /// Chunked transfer coding.
    case chunked
    /// A response body that ends when the server closes the connection.
    case untilClose
}

/// Conditions of one message; all empty for a complete, well-formed message.
public struct HTTPMessageFlags: OptionSet, Hashable, Sendable {
    /// The raw bits.
    public var rawValue: UInt16
    /// A flag set.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The body was not stored because `BodyPolicy` rejected its Content-Type (its length is counted).
    public static let bodySkipped = HTTPMessageFlags(rawValue: 1 << 0)
    /// The stored body stops at `maxStoredBodySize` or `maxDecodedBodySize`.
    public static let bodyCapped = HTTPMessageFlags(rawValue: 1 << 1)
    /// The stream ended before the message did.
    public static let truncated = HTTPMessageFlags(rawValue: 1 << 2)
    /// Bytes of the body were lost by the capture; the stored body stops where the loss began.
    public static let gap = HTTPMessageFlags(rawValue: 1 << 3)
    /// The content coding could not be undone (corrupt data or an unsupported coding); `body` holds
    /// what was decoded before the error, or the encoded bytes for an unsupported coding.
    public static let notDecoded = HTTPMessageFlags(rawValue: 1 << 4)
    /// The body's framing could not be determined (bad chunk, conflicting Content-Length); the
    /// parser resynchronised after the head or the last good chunk.
    public static let framingError = HTTPMessageFlags(rawValue: 1 << 5)
    /// A header value was continued with obs-fold.
    public static let obsFold = HTTPMessageFlags(rawValue: 1 << 6)
}

/// One complete (or as complete as the capture allows) HTTP message, owning its bytes.
public struct HTTPMessage<Head: Hashable & Sendable>: Hashable, Sendable {
    /// Start line and header fields.
    public var head: Head
    /// Trailer fields of a chunked body (RFC 9112 §7.1.2).
    public var trailers: HTTPHeaders
    /// The body after removing the transfer coding and, for gzip/deflate, the content coding; empty
    /// when not stored (see `flags`).
    public var body: [UInt8]
    /// Bytes of the body on the wire, chunk framing included.
    public var wireBodyLength: Int
    /// Bytes of the body after removing the transfer coding, before content decoding.
    public var payloadLength: Int
    /// How the body was delimited.
    public var framing: BodyFraming
    /// Transfer codings other than chunked, lowercased, in the order applied (`Transfer-Encoding`).
    public var transferCodings: [String]
    /// Content codings, lowercased, in the order applied (`Content-Encoding`).
    public var contentCodings: [String]
    /// Frame that carried the first byte of the start line.
    public var firstFrame: FrameNumber
    /// Time of `firstFrame`.
    public var firstTime: Timestamp
    /// Frame that carried the last byte of the message.
    public var lastFrame: FrameNumber
    /// Time of `lastFrame`.
    public var lastTime: Timestamp
    /// Conditions met while parsing.
    public var flags: HTTPMessageFlags

    /// A message.
    public init(
        head: Head, trailers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], wireBodyLength: Int = 0,
        payloadLength: Int = 0, framing: BodyFraming = .none, transferCodings: [String] = [],
        contentCodings: [String] = [], firstFrame: FrameNumber, firstTime: Timestamp, lastFrame: FrameNumber,
        lastTime: Timestamp, flags: HTTPMessageFlags = []
    ) {
        self.head = head
        self.trailers = trailers
        self.body = body
        self.wireBodyLength = wireBodyLength
        self.payloadLength = payloadLength
        self.framing = framing
        self.transferCodings = transferCodings
        self.contentCodings = contentCodings
        self.firstFrame = firstFrame
        self.firstTime = firstTime
        self.lastFrame = lastFrame
        self.lastTime = lastTime
        self.flags = flags
    }
}

/// A request message.
public typealias HTTPRequest = HTTPMessage<HTTPRequestHead>
/// A response message.
public typealias HTTPResponse = HTTPMessage<HTTPResponseHead>
