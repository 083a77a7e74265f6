/// The decoded network-layer header of a frame.
public enum NetworkHeader: Hashable, Sendable {
    /// IPv4 (for a reassembled datagram: the first fragment's header, with the whole datagram's length).
    case ipv4(IPv4Info)
    /// IPv6 (for a reassembled datagram: the first fragment's header, with the whole datagram's length).
    case ipv6(IPv6Info)
    /// ARP (or RARP).
    case arp(ARPInfo)
    /// Another EtherType (or an 802.3 length), recognised by type only.
    case other(EtherType)
    /// Nothing decoded at this layer (unsupported link, link header cut short, unknown loopback family).
    case none
}

/// An ARP packet: only what display needs. Addresses are decoded for Ethernet/IPv4 ARP only.
public struct ARPInfo: Hashable, Sendable {
    /// 1 = request, 2 = reply, 3/4 = RARP request/reply.
    public var operation: UInt16
    /// Hardware type (1 = Ethernet).
    public var hardwareType: UInt16
    /// Protocol type (0x0800 = IPv4).
    public var protocolType: EtherType
    /// Sender MAC address (Ethernet/IPv4 ARP only).
    public var senderHardwareAddress: MACAddress?
    /// Sender IPv4 address (Ethernet/IPv4 ARP only).
    public var senderAddress: IPAddress?
    /// Target MAC address (Ethernet/IPv4 ARP only).
    public var targetHardwareAddress: MACAddress?
    /// Target IPv4 address (Ethernet/IPv4 ARP only).
    public var targetAddress: IPAddress?

    /// An ARP packet.
    public init(
        operation: UInt16, hardwareType: UInt16, protocolType: EtherType,
        senderHardwareAddress: MACAddress? = nil, senderAddress: IPAddress? = nil,
        targetHardwareAddress: MACAddress? = nil, targetAddress: IPAddress? = nil
    ) {
        self.operation = operation
        self.hardwareType = hardwareType
        self.protocolType = protocolType
        self.senderHardwareAddress = senderHardwareAddress
        self.senderAddress = senderAddress
        self.targetHardwareAddress = targetHardwareAddress
        self.targetAddress = targetAddress
    }
}
