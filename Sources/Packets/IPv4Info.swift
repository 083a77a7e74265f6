/// A decoded IPv4 header (RFC 791).
public struct IPv4Info: Hashable, Sendable {
    /// Source address.
    public var source: IPAddress
    /// Destination address.
    public var destination: IPAddress
    /// Type of service / DSCP+ECN byte.
    public var typeOfService: UInt8
    /// Time to live.
    public var ttl: UInt8
    /// Identification.
    public var identification: UInt16
    /// DF bit.
    public var dontFragment: Bool
    /// MF bit (false for a reassembled datagram).
    public var moreFragments: Bool
    /// Fragment offset in bytes (the wire field times 8; 0 for a reassembled datagram).
    public var fragmentOffset: Int
    /// Header length in bytes, 20…60.
    public var headerLength: Int
    /// Total length from the header (for a reassembled datagram: header + whole payload).
    public var totalLength: Int
    /// The protocol of the payload.
    public var protocolNumber: IPProtocol
    /// The checksum field as found.
    public var checksum: UInt16
    /// Whether the header checksum is right (a wrong one is reported, never enforced).
    public var checksumValid: Bool
    /// Byte range of the options, relative to the start of the IPv4 header (`20..<headerLength`).
    public var optionsRange: Range<Int>
    /// Which options appear.
    public var options: IPv4OptionKinds

    /// True when this header is a fragment (MF set or offset > 0).
    @inlinable
    public var isFragment: Bool { moreFragments || fragmentOffset > 0 }

    /// A decoded header.
    public init(
        source: IPAddress, destination: IPAddress, typeOfService: UInt8 = 0, ttl: UInt8, identification: UInt16,
        dontFragment: Bool, moreFragments: Bool, fragmentOffset: Int, headerLength: Int, totalLength: Int,
        protocolNumber: IPProtocol, checksum: UInt16, checksumValid: Bool, optionsRange: Range<Int>,
        options: IPv4OptionKinds
    ) {
        self.source = source
        self.destination = destination
        self.typeOfService = typeOfService
        self.ttl = ttl
        self.identification = identification
        self.dontFragment = dontFragment
        self.moreFragments = moreFragments
        self.fragmentOffset = fragmentOffset
        self.headerLength = headerLength
        self.totalLength = totalLength
        self.protocolNumber = protocolNumber
        self.checksum = checksum
        self.checksumValid = checksumValid
        self.optionsRange = optionsRange
        self.options = options
    }
}

/// The IPv4 options present in a header (RFC 791 §3.1, IANA "IP Option Numbers").
public struct IPv4OptionKinds: OptionSet, Hashable, Sendable {
    /// The bits.
    public var rawValue: UInt16

    /// Wraps bits.
    @inlinable
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// End of option list (0).
    public static let endOfList = IPv4OptionKinds(rawValue: 1 << 0)
    /// No operation (1).
    public static let noOperation = IPv4OptionKinds(rawValue: 1 << 1)
    /// Security (130).
    public static let security = IPv4OptionKinds(rawValue: 1 << 2)
    /// Loose source route (131).
    public static let looseSourceRoute = IPv4OptionKinds(rawValue: 1 << 3)
    /// Timestamp (68).
    public static let timestamp = IPv4OptionKinds(rawValue: 1 << 4)
    /// Record route (7).
    public static let recordRoute = IPv4OptionKinds(rawValue: 1 << 5)
    /// Strict source route (137).
    public static let strictSourceRoute = IPv4OptionKinds(rawValue: 1 << 6)
    /// Router alert (148, RFC 2113).
    public static let routerAlert = IPv4OptionKinds(rawValue: 1 << 7)
    /// Any other option.
    public static let other = IPv4OptionKinds(rawValue: 1 << 8)
    /// The option list runs past the header or has a length below 2.
    public static let malformed = IPv4OptionKinds(rawValue: 1 << 9)
}
