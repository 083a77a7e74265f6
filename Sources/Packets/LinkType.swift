/// A link-layer header type, by its LINKTYPE_ number (the value stored in pcap and pcapng files;
/// https://www.tcpdump.org/linktypes.html). libpcap maps DLT_ values to these when reading.
public struct LinkType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The LINKTYPE_ value.
    public var rawValue: UInt32

    /// Wraps a LINKTYPE_ value.
    @inlinable
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// BSD loopback: 4-byte protocol family in host byte order of the capturing machine.
    public static let null = LinkType(rawValue: 0)
    /// Ethernet II / 802.3.
    public static let ethernet = LinkType(rawValue: 1)
    /// Raw IPv4 or IPv6, version nibble decides (LINKTYPE_RAW; DLT_RAW is 12 or 14 on some BSDs).
    public static let raw = LinkType(rawValue: 101)
    /// OpenBSD loopback: 4-byte protocol family in network byte order.
    public static let loop = LinkType(rawValue: 108)
    /// Linux cooked capture v1.
    public static let linuxSLL = LinkType(rawValue: 113)
    /// Raw IPv4 only.
    public static let ipv4 = LinkType(rawValue: 228)
    /// Raw IPv6 only.
    public static let ipv6 = LinkType(rawValue: 229)
    /// Linux cooked capture v2.
    public static let linuxSLL2 = LinkType(rawValue: 276)

    /// The name tcpdump prints for the link type (e.g. `EN10MB`), or `LINKTYPE_<n>`.
    public var name: String {
        switch rawValue {
        case 0: "NULL"
        case 1: "EN10MB"
        case 12, 14, 101: "RAW"
        case 108: "LOOP"
        case 113: "LINUX_SLL"
        case 228: "IPV4"
        case 229: "IPV6"
        case 276: "LINUX_SLL2"
        default: "LINKTYPE_\(rawValue)"
        }
    }

    /// Same as `name`.
    public var description: String { name }
}
