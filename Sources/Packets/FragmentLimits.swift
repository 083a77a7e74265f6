/// Bounds on IP fragment reassembly, so that a flood of fragments that never complete cannot
/// exhaust memory or keep stale state forever. Every limit hit is an `IP-FRAG-LIMIT` event and
/// counted in `PacketStatistics`.
public struct FragmentLimits: Hashable, Sendable {
    /// Linux's default `ipfrag_time`: a datagram must complete within 30 s of its first fragment.
    public static let defaultTimeoutNanoseconds: Int64 = 30_000_000_000
    /// Largest reassembled IP payload kept (IPv4/IPv6 cannot carry more without jumbograms).
    public static let defaultMaxDatagramBytes = 65_535
    /// Most fragments accepted for one datagram; 8-byte fragments of a 64 KiB datagram would be
    /// 8192, which no real stack sends, so a small cap stops tiny-fragment CPU attacks.
    public static let defaultMaxFragmentsPerDatagram = 256
    /// Bytes buffered over all pending datagrams (Linux `ipfrag_high_thresh` is 4 MiB).
    public static let defaultMaxBufferedBytes = 4 * 1024 * 1024
    /// Datagrams pending at once.
    public static let defaultMaxPendingDatagrams = 1024

    /// Capture-time nanoseconds from a datagram's first fragment until it is dropped.
    public var timeoutNanoseconds: Int64
    /// Per-datagram cap on reassembled payload bytes.
    public var maxDatagramBytes: Int
    /// Per-datagram cap on fragments.
    public var maxFragmentsPerDatagram: Int
    /// Global cap on buffered bytes; the oldest datagrams are evicted to make room.
    public var maxBufferedBytes: Int
    /// Global cap on pending datagrams; the oldest is evicted to make room.
    public var maxPendingDatagrams: Int

    /// Limits; the defaults are the named constants above.
    public init(
        timeoutNanoseconds: Int64 = defaultTimeoutNanoseconds,
        maxDatagramBytes: Int = defaultMaxDatagramBytes,
        maxFragmentsPerDatagram: Int = defaultMaxFragmentsPerDatagram,
        maxBufferedBytes: Int = defaultMaxBufferedBytes,
        maxPendingDatagrams: Int = defaultMaxPendingDatagrams
    ) {
        self.timeoutNanoseconds = timeoutNanoseconds
        self.maxDatagramBytes = maxDatagramBytes
        self.maxFragmentsPerDatagram = maxFragmentsPerDatagram
        self.maxBufferedBytes = maxBufferedBytes
        self.maxPendingDatagrams = maxPendingDatagrams
    }
}

/// Which fragment limit was hit.
public enum FragmentLimitKind: String, Hashable, Sendable, CustomStringConvertible {
    /// The datagram would exceed `maxDatagramBytes`.
    case datagramBytes
    /// The datagram already has `maxFragmentsPerDatagram` fragments.
    case fragmentsPerDatagram
    /// Buffered bytes over all datagrams would exceed `maxBufferedBytes` (this datagram was evicted).
    case bufferedBytes
    /// Pending datagrams would exceed `maxPendingDatagrams` (this datagram was evicted).
    case pendingDatagrams

    /// Words for messages.
    public var description: String {
        switch self {
        case .datagramBytes: "per-datagram byte limit"
        case .fragmentsPerDatagram: "per-datagram fragment limit"
        case .bufferedBytes: "total buffered byte limit"
        case .pendingDatagrams: "pending datagram limit"
        }
    }
}
