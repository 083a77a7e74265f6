/// What `PacketDecoder` could decode of one frame: a view that lives for one frame.
///
/// `bytes` and `payload` borrow memory the decoder was lent (the captured frame) or owns (a
/// reassembled datagram): they are valid only inside the `decode` closure that received the
/// packet. Copy what must outlive it.
public struct DecodedPacket {
    /// The frame's 1-based number.
    public var frame: FrameNumber
    /// Capture time.
    public var timestamp: Timestamp
    /// The link type the frame was decoded as.
    public var linkType: LinkType
    /// Bytes captured (`bytes.count`).
    public var capturedLength: Int
    /// Bytes on the wire (≥ `capturedLength`).
    public var originalLength: Int
    /// The whole captured frame (borrowed).
    public var bytes: UnsafeRawBufferPointer
    /// Link-layer header.
    public var link: LinkHeader
    /// Network-layer header.
    public var network: NetworkHeader
    /// Transport-layer header.
    public var transport: TransportHeader
    /// The bytes after the last decoded header: TCP/UDP data, the ICMP body after type, code and
    /// checksum, the IP payload of other protocols; clipped to the captured bytes, trimmed to the IP
    /// length (no Ethernet padding), and empty for a held fragment (borrowed).
    public var payload: UnsafeRawBufferPointer
    /// The payload's length as the headers give it (on the wire); larger than `payload.count`
    /// when the capture cut the frame.
    public var payloadLength: Int
    /// A snaplen cut somewhere: the headers or the payload are shorter than the headers say.
    public var isTruncated: Bool
    /// A header contradicts itself or the frame (a `PKT-MALFORMED` event was reported).
    public var isMalformed: Bool
    /// Non-empty only when this frame completed an IP datagram: the frames of its fragments in
    /// arrival order (this one last). `network`, `transport` and `payload` then describe the whole datagram.
    public var reassembledFrom: [FrameNumber]

    /// A packet with nothing decoded yet.
    public init(
        frame: FrameNumber, timestamp: Timestamp, linkType: LinkType, bytes: UnsafeRawBufferPointer,
        originalLength: Int
    ) {
        self.frame = frame
        self.timestamp = timestamp
        self.linkType = linkType
        self.capturedLength = bytes.count
        self.originalLength = max(originalLength, bytes.count)
        self.bytes = bytes
        self.link = .unsupported
        self.network = .none
        self.transport = .none
        self.payload = UnsafeRawBufferPointer(start: nil, count: 0)
        self.payloadLength = 0
        self.isTruncated = false
        self.isMalformed = false
        self.reassembledFrom = []
    }

    /// The TCP header, if any.
    @inlinable
    public var tcp: TCPInfo? {
        if case .tcp(let info) = transport { return info }
        return nil
    }

    /// The UDP header, if any.
    @inlinable
    public var udp: UDPInfo? {
        if case .udp(let info) = transport { return info }
        return nil
    }

    /// The IP source address, if the frame is IPv4 or IPv6.
    @inlinable
    public var sourceAddress: IPAddress? {
        switch network {
        case .ipv4(let info): info.source
        case .ipv6(let info): info.source
        default: nil
        }
    }

    /// The IP destination address, if the frame is IPv4 or IPv6.
    @inlinable
    public var destinationAddress: IPAddress? {
        switch network {
        case .ipv4(let info): info.destination
        case .ipv6(let info): info.destination
        default: nil
        }
    }

    /// The VLAN tags of the frame (empty when none or not Ethernet/cooked).
    public var vlans: VLANTags {
        switch link {
        case .ethernet(let info): info.vlans
        case .linuxCooked(let info): info.vlans
        default: VLANTags()
        }
    }
}
