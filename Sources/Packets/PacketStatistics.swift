/// Counters kept by `PacketDecoder` over all frames it decoded.
public struct PacketStatistics: Hashable, Sendable {
    /// Frames decoded.
    public var frames = 0
    /// Bytes captured, over all frames.
    public var capturedBytes = 0
    /// Bytes on the wire, over all frames.
    public var originalBytes = 0
    /// Frames per link type.
    public var linkTypeFrames: [LinkType: Int] = [:]
    /// Frames of link types the decoder does not support (skipped).
    public var unsupportedLinkTypeFrames = 0
    /// Frames carrying IPv4.
    public var ipv4 = 0
    /// Frames carrying IPv6.
    public var ipv6 = 0
    /// Frames carrying ARP/RARP.
    public var arp = 0
    /// Frames with another EtherType or loopback family.
    public var otherNetwork = 0
    /// TCP segments (a reassembled datagram counts once).
    public var tcp = 0
    /// UDP datagrams (a reassembled datagram counts once).
    public var udp = 0
    /// ICMP and ICMPv6 messages.
    public var icmp = 0
    /// Other IP protocols.
    public var otherTransport = 0
    /// Frames carrying an IP fragment.
    public var fragments = 0
    /// Datagrams completed by reassembly.
    public var datagramsReassembled = 0
    /// Fragments whose bytes were all already received with the same data.
    public var fragmentDuplicates = 0
    /// Fragments overlapping earlier ones (including duplicates and conflicts).
    public var fragmentOverlaps = 0
    /// Overlapping fragments whose data differed (first wins; an `IP-FRAG-OVERLAP` event each).
    public var fragmentConflicts = 0
    /// Datagrams dropped after the reassembly timeout.
    public var fragmentTimeouts = 0
    /// Datagrams still incomplete when `finish` was called.
    public var fragmentIncomplete = 0
    /// Reassembly limit hits (each dropped a datagram).
    public var fragmentLimitHits = 0
    /// The same hits, per limit.
    public var fragmentLimitHitsByKind: [FragmentLimitKind: Int] = [:]
    /// Most bytes held for reassembly at once.
    public var fragmentPeakBufferedBytes = 0
    /// Frames cut by the snapshot length before the end of what their headers describe.
    public var truncatedFrames = 0
    /// Frames with at least one malformed header.
    public var malformedFrames = 0
    /// IPv4 headers with a wrong checksum.
    public var badIPv4Checksums = 0

    /// All zero.
    public init() {}
}
