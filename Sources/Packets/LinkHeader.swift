/// The decoded link-layer header of a frame.
public enum LinkHeader: Hashable, Sendable {
    /// Ethernet II or 802.3, with any VLAN tags.
    case ethernet(EthernetInfo)
    /// Linux cooked capture, v1 (`LINKTYPE_LINUX_SLL`) or v2 (`LINKTYPE_LINUX_SLL2`).
    case linuxCooked(LinuxCookedInfo)
    /// BSD `NULL` or OpenBSD `LOOP`: the address family (2 = IPv4; 24, 28, 30 = IPv6).
    case loopback(family: UInt32)
    /// No link header: the frame starts with the IP header.
    case raw
    /// The link type is not supported, or its header could not be read.
    case unsupported
}

/// An Ethernet header.
public struct EthernetInfo: Hashable, Sendable {
    /// Source MAC address.
    public var source: MACAddress
    /// Destination MAC address.
    public var destination: MACAddress
    /// VLAN tags, outermost first.
    public var vlans: VLANTags
    /// The EtherType after the tags (or an 802.3 length).
    public var etherType: EtherType

    /// An Ethernet header.
    public init(source: MACAddress, destination: MACAddress, vlans: VLANTags = .init(), etherType: EtherType) {
        self.source = source
        self.destination = destination
        self.vlans = vlans
        self.etherType = etherType
    }
}

/// A Linux cooked capture header (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html, …_SLL2.html).
public struct LinuxCookedInfo: Hashable, Sendable {
    /// 1 for SLL, 2 for SLL2.
    public var version: Int
    /// Direction / addressing of the packet.
    public var packetType: LinuxPacketType
    /// ARPHRD_ hardware type (1 = Ethernet, 772 = loopback, …).
    public var hardwareType: UInt16
    /// Link-layer source address (up to 8 bytes).
    public var linkAddress: LinkAddress?
    /// Interface index (SLL2 only).
    public var interfaceIndex: UInt32?
    /// The protocol type field (an EtherType for the common hardware types), after any VLAN tags.
    public var protocolType: EtherType
    /// VLAN tags found after the cooked header (rare: Linux usually strips them).
    public var vlans: VLANTags

    /// A cooked header.
    public init(
        version: Int, packetType: LinuxPacketType, hardwareType: UInt16, linkAddress: LinkAddress?,
        interfaceIndex: UInt32?, protocolType: EtherType, vlans: VLANTags = .init()
    ) {
        self.version = version
        self.packetType = packetType
        self.hardwareType = hardwareType
        self.linkAddress = linkAddress
        self.interfaceIndex = interfaceIndex
        self.protocolType = protocolType
        self.vlans = vlans
    }
}

/// The Linux `PACKET_*` packet type of a cooked capture.
public struct LinuxPacketType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire value.
    public var rawValue: UInt16

    /// Wraps a wire value.
    @inlinable
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Sent to us.
    public static let host = LinuxPacketType(rawValue: 0)
    /// Broadcast by somebody else.
    public static let broadcast = LinuxPacketType(rawValue: 1)
    /// Multicast by somebody else.
    public static let multicast = LinuxPacketType(rawValue: 2)
    /// Sent by somebody else to somebody else.
    public static let otherHost = LinuxPacketType(rawValue: 3)
    /// Sent by us.
    public static let outgoing = LinuxPacketType(rawValue: 4)

    /// tcpdump's word: `In`, `B`, `M`, `P`, `Out`, or the number.
    public var description: String {
        switch rawValue {
        case 0: "In"
        case 1: "B"
        case 2: "M"
        case 3: "P"
        case 4: "Out"
        default: "type \(rawValue)"
        }
    }
}
