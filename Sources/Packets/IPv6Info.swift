/// A decoded IPv6 header (RFC 8200) and its extension-header chain.
public struct IPv6Info: Hashable, Sendable {
    /// Source address.
    public var source: IPAddress
    /// Destination address.
    public var destination: IPAddress
    /// Traffic class.
    public var trafficClass: UInt8
    /// Flow label (20 bits).
    public var flowLabel: UInt32
    /// Payload length from the header (for a reassembled datagram: the whole reassembled payload).
    public var payloadLength: Int
    /// Hop limit.
    public var hopLimit: UInt8
    /// The next header of the fixed header.
    public var nextHeader: IPProtocol
    /// The protocol after the last extension header (TCP, UDP, ICMPv6, ESP, no-next-header, …).
    public var upperLayerProtocol: IPProtocol
    /// The extension headers, in order.
    public var extensionHeaders: IPv6ExtensionChain

    /// A decoded header.
    public init(
        source: IPAddress, destination: IPAddress, trafficClass: UInt8 = 0, flowLabel: UInt32 = 0,
        payloadLength: Int, hopLimit: UInt8, nextHeader: IPProtocol, upperLayerProtocol: IPProtocol,
        extensionHeaders: IPv6ExtensionChain = .init()
    ) {
        self.source = source
        self.destination = destination
        self.trafficClass = trafficClass
        self.flowLabel = flowLabel
        self.payloadLength = payloadLength
        self.hopLimit = hopLimit
        self.nextHeader = nextHeader
        self.upperLayerProtocol = upperLayerProtocol
        self.extensionHeaders = extensionHeaders
    }
}

/// The types of an IPv6 extension-header chain, in order, stored inline (no allocation).
///
/// Keeps up to `capacity` types; `totalCount` also counts any beyond.
public struct IPv6ExtensionChain: RandomAccessCollection, Hashable, Sendable {
    /// Types kept inline.
    public static let capacity = 8

    private var packed: UInt64 = 0  // type i in byte i (lowest byte first)
    private var stored: UInt8 = 0
    /// Number of extension headers, including any beyond `capacity`.
    public private(set) var totalCount: Int = 0

    /// An empty chain.
    public init() {}

    /// Appends a header type (dropped, but counted, beyond `capacity`).
    public mutating func append(_ type: IPProtocol) {
        totalCount += 1
        guard Int(stored) < Self.capacity else { return }
        packed |= UInt64(type.rawValue) << UInt64(8 * Int(stored))
        stored += 1
    }

    /// `0`.
    public var startIndex: Int { 0 }
    /// Number of types kept.
    public var endIndex: Int { Int(stored) }

    /// The type at `position`.
    public subscript(position: Int) -> IPProtocol {
        IPProtocol(rawValue: UInt8(truncatingIfNeeded: packed >> UInt64(8 * position)))  // one byte, by the shift
    }
}
