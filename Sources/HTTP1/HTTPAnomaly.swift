import Packets
import Reassembly

/// Something wrong or noteworthy in a connection's HTTP traffic: data, never a log line.
///
/// An anomaly reaches the sink exactly once: attached to the `HTTPExchange` of the message it
/// concerns, or through `HTTPSink.anomaly(_:)` when no exchange carries it (garbage skipped while
/// resynchronising, a dropped message).
public struct HTTPAnomaly: Hashable, Sendable, CustomStringConvertible {
    /// The kinds of anomaly; the raw value is a stable name that rules and tests match on.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// A line where a request or status line must be is not one.
        case badStartLine = "HTTP-BAD-START-LINE"
        /// A header field line without a colon, or with whitespace or non-token bytes in its name.
        case badHeader = "HTTP-BAD-HEADER"
        /// A header value continued on the next line (obs-fold, RFC 9112 §5.2); tolerated.
        case obsFold = "HTTP-OBS-FOLD"
        /// An invalid chunk-size line (not hex, over 64 bits, too long) or missing CRLF after chunk data.
        case badChunk = "HTTP-BAD-CHUNK"
        /// A Content-Length value that is not a decimal number.
        case badContentLength = "HTTP-BAD-CONTENT-LENGTH"
        /// Content-Length together with Transfer-Encoding, or several differing Content-Length values.
        case contentLengthConflict = "HTTP-CL-CONFLICT"
        /// A request whose Transfer-Encoding does not end in chunked: its length cannot be known.
        case badTransferEncoding = "HTTP-BAD-TRANSFER-ENCODING"
        /// A header or trailer section over the size or field-count cap; the message is dropped.
        case headerLimit = "HTTP-HEADER-LIMIT"
        /// A body over the stored-size cap; the bytes beyond it are counted, not kept.
        case bodyLimit = "HTTP-BODY-LIMIT"
        /// A gzip/deflate body that does not decode.
        case decode = "HTTP-DECODE"
        /// A gzip/deflate body that decodes to more than the cap (a decompression bomb).
        case decodeLimit = "HTTP-DECODE-LIMIT"
        /// The stream ended inside a message.
        case truncated = "HTTP-TRUNCATED"
        /// Bytes lost by the capture hit a message.
        case gap = "HTTP-GAP"
        /// Bytes skipped while looking for the next start line.
        case resync = "HTTP-RESYNC"
        /// A response for which no request is outstanding.
        case unpairedResponse = "HTTP-UNPAIRED-RESPONSE"
        /// More requests outstanding than `HTTPLimits.maxOutstandingRequests`; later ones are dropped.
        case pipelineLimit = "HTTP-PIPELINE-LIMIT"
    }

    /// What happened.
    public var kind: Kind
    /// `ConnectionInfo.index` of the connection.
    public var connectionIndex: Int
    /// The direction whose bytes showed it.
    public var direction: Direction
    /// The frame a user should open: where the offending bytes (or the message) start.
    public var frame: FrameNumber
    /// One sentence, no formatting.
    public var message: String

    /// The stable name, e.g. `HTTP-BAD-CHUNK`.
    public var name: String { kind.rawValue }

    /// An anomaly.
    public init(kind: Kind, connectionIndex: Int, direction: Direction, frame: FrameNumber, message: String) {
        self.kind = kind
        self.connectionIndex = connectionIndex
        self.direction = direction
        self.frame = frame
        self.message = message
    }

    /// `HTTP-BAD-CHUNK @12: …`.
    public var description: String { "\(name) @\(frame): \(message)" }
}
