/// Size and count limits of the HTTP/1.1 parser; every one is hit by hostile or broken traffic,
/// reported as an anomaly, and never lets one connection exhaust memory.
public struct HTTPLimits: Hashable, Sendable {
    /// Bytes of a start line plus header fields (and of a trailer section); larger → `HTTP-HEADER-LIMIT`
    /// and the message is dropped. Bounds the only buffer that holds unparsed bytes.
    public var maxHeaderSectionSize: Int
    /// Field lines (including obs-fold continuation lines) in one header or trailer section.
    public var maxHeaderCount: Int
    /// Bytes of a start line; a longer line is not a start line (resynchronisation gives up on it).
    public var maxStartLineLength: Int
    /// Bytes of a chunk-size line with its extensions (RFC 9112 §7.1.1).
    public var maxChunkLineLength: Int
    /// Bytes of a message body kept without content decoding; the rest is counted, not stored.
    public var maxStoredBodySize: Int
    /// Bytes produced by gzip/deflate decoding of one body; caps decompression bombs.
    public var maxDecodedBodySize: Int
    /// Requests waiting for their response on one connection; beyond it requests are parsed but
    /// dropped (`HTTP-PIPELINE-LIMIT`), so that a pipelining flood cannot exhaust memory.
    public var maxOutstandingRequests: Int
    /// Longest method token accepted when recognising a request from its first bytes.
    public var maxMethodLength: Int
    /// Bytes a direction that has never shown an HTTP message may scan for a start line (connections
    /// picked up mid-stream, or after a gap at the very start) before it is given up as not HTTP.
    public var maxUnrecognizedScan: Int

    /// Default header section cap: 64 KiB, four times what common servers accept.
    public static let defaultMaxHeaderSectionSize = 64 * 1024
    /// Default field line cap.
    public static let defaultMaxHeaderCount = 256
    /// Default start line cap: 8 KiB (RFC 9112 §3 recommends supporting at least 8000 octets).
    public static let defaultMaxStartLineLength = 8 * 1024
    /// Default chunk-size line cap.
    public static let defaultMaxChunkLineLength = 4 * 1024
    /// Default stored body cap: 16 MiB (DM packages are kilobytes; MO data rarely megabytes).
    public static let defaultMaxStoredBodySize = 16 * 1024 * 1024
    /// Default decoded body cap: 16 MiB.
    public static let defaultMaxDecodedBodySize = 16 * 1024 * 1024
    /// Default cap on requests awaiting a response per connection (as Suricata's `MAX_TRANSACTIONS`).
    public static let defaultMaxOutstandingRequests = 1000
    /// Default method length cap (the longest registered methods are under 20 bytes).
    public static let defaultMaxMethodLength = 32
    /// Default scan budget of a direction not yet recognised as HTTP: 256 KiB.
    public static let defaultMaxUnrecognizedScan = 256 * 1024

    /// Limits; each defaults to the named constant above.
    public init(
        maxHeaderSectionSize: Int = defaultMaxHeaderSectionSize,
        maxHeaderCount: Int = defaultMaxHeaderCount,
        maxStartLineLength: Int = defaultMaxStartLineLength,
        maxChunkLineLength: Int = defaultMaxChunkLineLength,
        maxStoredBodySize: Int = defaultMaxStoredBodySize,
        maxDecodedBodySize: Int = defaultMaxDecodedBodySize,
        maxOutstandingRequests: Int = defaultMaxOutstandingRequests,
        maxMethodLength: Int = defaultMaxMethodLength,
        maxUnrecognizedScan: Int = defaultMaxUnrecognizedScan
    ) {
        self.maxHeaderSectionSize = maxHeaderSectionSize
        self.maxHeaderCount = maxHeaderCount
        self.maxStartLineLength = maxStartLineLength
        self.maxChunkLineLength = maxChunkLineLength
        self.maxStoredBodySize = maxStoredBodySize
        self.maxDecodedBodySize = maxDecodedBodySize
        self.maxOutstandingRequests = maxOutstandingRequests
        self.maxMethodLength = maxMethodLength
        self.maxUnrecognizedScan = maxUnrecognizedScan
    }

    /// All defaults.
    public static let `default` = HTTPLimits()
}
