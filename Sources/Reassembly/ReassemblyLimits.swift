/// Bounds on TCP reassembly, so that loss, hostile traffic or a huge capture cannot exhaust memory
/// or keep stale state forever. Every limit hit is counted in `ReassemblyStatistics` and reported
/// as an event (`TCP-LIMIT`, or `TCP-EVICTED` for the flow table); none stops the run.
///
/// Memory is bounded by `maxFlows` flow states plus `maxBufferedBytes` of out-of-order data: it
/// grows with the number of open flows, never with the size of the capture.
public struct ReassemblyLimits: Hashable, Sendable {
    /// Out-of-order bytes held for one direction: 6 MiB, Linux's default `tcp_rmem` maximum. A
    /// receiver cannot accept (so a sender cannot usefully send) more data beyond a hole than its
    /// window, so a legitimate stream rarely needs more.
    public static let defaultMaxBufferedBytesPerDirection = 6 * 1024 * 1024
    /// Out-of-order segments held for one direction: a full 6 MiB window of 1448-byte segments is
    /// about 4300, so 8192 leaves room, and a flood of 1-byte segments stops at 8192 entries.
    public static let defaultMaxBufferedSegmentsPerDirection = 8192
    /// Out-of-order bytes held over all flows: 256 MiB, Suricata's default
    /// `stream.reassembly.memcap`. When exceeded, the least recently active flows with buffered
    /// data give up their holes (gaps) until the total is under the cap again.
    public static let defaultMaxBufferedBytes = 256 * 1024 * 1024
    /// A flow with no segment for 5 minutes of capture time is closed (`StreamEnd.idle`): Zeek's
    /// `tcp_inactivity_timeout`. DM servers close idle keep-alive connections after 1–2 minutes,
    /// so a live DM session never waits this long between segments; half-dead flows (FIN or RST
    /// lost) release their memory after it.
    public static let defaultIdleTimeoutNanoseconds: Int64 = 300_000_000_000
    /// An ended flow (both FINs, or a RST) stays in the table, without buffers or consumer, for
    /// 5 s of capture time (Zeek's `tcp_close_delay`), then goes: long enough for the final ACKs
    /// and the retransmissions of a lost FIN (a few RTOs), which then find it and are dropped instead
    /// of starting a bogus mid-stream connection; short enough that ended flows leave promptly. A
    /// SYN with a new initial sequence number starts a new connection at once anyway (port reuse).
    public static let defaultClosedLingerNanoseconds: Int64 = 5_000_000_000
    /// Flows in the table (open and lingering): 131072. A flow's state is a few hundred bytes
    /// plus its consumer, so a full table costs tens of MiB; a busy DM server has a few thousand
    /// concurrent connections. When full, a lingering ended flow is dropped first, else the least
    /// recently active open flow is evicted (`StreamEnd.evicted`).
    public static let defaultMaxFlows = 131_072

    /// Per-direction cap on buffered out-of-order bytes.
    public var maxBufferedBytesPerDirection: Int
    /// Per-direction cap on buffered out-of-order segments.
    public var maxBufferedSegmentsPerDirection: Int
    /// Cap on buffered out-of-order bytes over all flows (may be exceeded by one segment, briefly).
    public var maxBufferedBytes: Int
    /// Capture-time nanoseconds without a segment after which an open flow is closed.
    public var idleTimeoutNanoseconds: Int64
    /// Capture-time nanoseconds an ended flow lingers in the table.
    public var closedLingerNanoseconds: Int64
    /// Cap on flows in the table.
    public var maxFlows: Int

    /// Limits; the defaults are the named constants above.
    public init(
        maxBufferedBytesPerDirection: Int = defaultMaxBufferedBytesPerDirection,
        maxBufferedSegmentsPerDirection: Int = defaultMaxBufferedSegmentsPerDirection,
        maxBufferedBytes: Int = defaultMaxBufferedBytes,
        idleTimeoutNanoseconds: Int64 = defaultIdleTimeoutNanoseconds,
        closedLingerNanoseconds: Int64 = defaultClosedLingerNanoseconds,
        maxFlows: Int = defaultMaxFlows
    ) {
        self.maxBufferedBytesPerDirection = maxBufferedBytesPerDirection
        self.maxBufferedSegmentsPerDirection = maxBufferedSegmentsPerDirection
        self.maxBufferedBytes = maxBufferedBytes
        self.idleTimeoutNanoseconds = idleTimeoutNanoseconds
        self.closedLingerNanoseconds = closedLingerNanoseconds
        self.maxFlows = maxFlows
    }
}

/// Which reassembly buffer limit was hit.
public enum ReassemblyLimitKind: String, Hashable, Sendable, CustomStringConvertible {
    /// A direction would hold more than `maxBufferedBytesPerDirection` out-of-order bytes.
    case directionBufferedBytes
    /// A direction would hold more than `maxBufferedSegmentsPerDirection` out-of-order segments.
    case directionBufferedSegments
    /// All flows together held more than `maxBufferedBytes`.
    case totalBufferedBytes

    /// Words for messages.
    public var description: String {
        switch self {
        case .directionBufferedBytes: "per-direction buffered byte limit"
        case .directionBufferedSegments: "per-direction buffered segment limit"
        case .totalBufferedBytes: "total buffered byte limit"
        }
    }
}
