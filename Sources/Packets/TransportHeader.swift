/// The decoded transport-layer header of a frame (or of a reassembled datagram).
public enum TransportHeader: Hashable, Sendable {
    /// TCP.
    case tcp(TCPInfo)
    /// UDP.
    case udp(UDPInfo)
    /// ICMP for IPv4.
    case icmp(type: UInt8, code: UInt8)
    /// ICMPv6.
    case icmpv6(type: UInt8, code: UInt8)
    /// An IP fragment that did not complete a datagram (held for reassembly, a duplicate, or dropped).
    case fragment(FragmentInfo)
    /// Another IP protocol (including ESP, after which nothing is decodable).
    case other(IPProtocol)
    /// Nothing decoded at this layer (no IP, IPv6 no-next-header, or the header was cut short).
    case none
}

/// A UDP header (RFC 768).
public struct UDPInfo: Hashable, Sendable {
    /// Source port.
    public var sourcePort: Port
    /// Destination port.
    public var destinationPort: Port
    /// The length field (header + data).
    public var length: Int
    /// The checksum field as found (not verified: offloading makes it wrong on the capturing host).
    public var checksum: UInt16

    /// A UDP header.
    public init(sourcePort: Port, destinationPort: Port, length: Int, checksum: UInt16) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.length = length
        self.checksum = checksum
    }
}

/// A fragment of an IP datagram, as seen in one frame.
public struct FragmentInfo: Hashable, Sendable {
    /// The datagram it belongs to.
    public var key: FragmentKey
    /// The protocol of the whole datagram (IPv4 protocol, or the fragment header's next header).
    public var protocolNumber: IPProtocol
    /// Offset of the fragment's data in the datagram's payload, in bytes.
    public var offset: Int
    /// Length of the fragment's data.
    public var length: Int
    /// More fragments follow.
    public var moreFragments: Bool
    /// What reassembly did with it.
    public var disposition: FragmentDisposition

    /// A fragment.
    public init(
        key: FragmentKey, protocolNumber: IPProtocol, offset: Int, length: Int, moreFragments: Bool,
        disposition: FragmentDisposition
    ) {
        self.key = key
        self.protocolNumber = protocolNumber
        self.offset = offset
        self.length = length
        self.moreFragments = moreFragments
        self.disposition = disposition
    }
}

/// What reassembly did with a fragment that did not complete its datagram.
public enum FragmentDisposition: String, Hashable, Sendable {
    /// Buffered, waiting for the rest.
    case held
    /// Every byte was already there with the same data.
    case duplicate
    /// Not used: cut by the snapshot length, malformed, or over a limit (see the frame's events).
    case dropped
}
