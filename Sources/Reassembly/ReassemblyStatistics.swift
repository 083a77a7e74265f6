/// Counters kept by `Reassembler` over every TCP segment it processed.
public struct ReassemblyStatistics: Hashable, Sendable {
    /// Connections created (handshake seen, picked up mid-stream, or a port reuse).
    public var connections = 0
    /// Connections created without a handshake (`ConnectionInfo.isPickedUpMidStream`).
    public var pickedUpMidStream = 0
    /// New connections started by a SYN with a new initial sequence number on a known flow.
    public var portReuses = 0
    /// TCP segments processed.
    public var segments = 0
    /// Segments that matched no flow and could not start one (a pure ACK, FIN or RST).
    public var segmentsWithoutFlow = 0
    /// Segments that arrived for an ended flow while it lingered (final ACKs, late retransmissions).
    public var lateSegments = 0
    /// Payload bytes handed to consumers.
    public var bytesDelivered = 0
    /// Segments whose every byte had already been seen (delivered or buffered): dropped.
    public var retransmissions = 0
    /// Segments of which a leading part had already been seen: that part was dropped.
    public var partialRetransmissions = 0
    /// Segments that arrived ahead of a hole and were buffered (copied).
    public var outOfOrderSegments = 0
    /// Segments overlapping buffered out-of-order data.
    public var overlaps = 0
    /// Overlaps whose bytes differed from the buffered copy (`TCP-OVERLAP`; the first copy won).
    public var conflictingOverlaps = 0
    /// Gaps delivered (`TCP-GAP`).
    public var gaps = 0
    /// Bytes covered by gaps.
    public var gapBytes = 0
    /// Segments cut by the capture's snapshot length (their missing bytes became gaps).
    public var truncatedSegments = 0
    /// Keep-alives ignored (0 or 1 byte at the next expected sequence number minus one).
    public var keepAlives = 0
    /// Zero-window probes held back (1 byte at the next sequence number into a zero window).
    public var zeroWindowProbes = 0
    /// Hits of `maxBufferedBytesPerDirection`.
    public var directionBufferLimitHits = 0
    /// Hits of `maxBufferedSegmentsPerDirection`.
    public var directionSegmentLimitHits = 0
    /// Flows that gave up their holes because of `maxBufferedBytes`.
    public var totalBufferLimitHits = 0
    /// Open flows evicted because the table was full (`TCP-EVICTED`).
    public var flowsEvicted = 0
    /// Open flows closed by the idle time-out.
    public var idleClosed = 0
    /// Out-of-order bytes buffered now, over all flows.
    public var bufferedBytes = 0
    /// Most out-of-order bytes buffered at once.
    public var peakBufferedBytes = 0
    /// Open (not yet ended) flows now.
    public var openFlows = 0
    /// Most open flows at once.
    public var peakOpenFlows = 0

    /// All zero.
    public init() {}

    /// Adds `count` (negative to release) to the buffered bytes and tracks the peak.
    @inline(__always)
    mutating func buffer(_ count: Int) {
        bufferedBytes += count
        if bufferedBytes > peakBufferedBytes { peakBufferedBytes = bufferedBytes }
    }
}
