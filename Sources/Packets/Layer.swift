/// The protocol layer a decoding event refers to.
public enum Layer: String, Hashable, Sendable, CustomStringConvertible {
    /// Ethernet II / 802.3 header.
    case ethernet
    /// An 802.1Q / 802.1ad VLAN tag.
    case vlan
    /// Linux cooked capture header (v1 or v2).
    case linuxCooked
    /// BSD / OpenBSD loopback header.
    case loopback
    /// The IP version nibble of a raw-IP link.
    case ip
    /// IPv4 header.
    case ipv4
    /// IPv6 fixed header.
    case ipv6
    /// An IPv6 extension header.
    case ipv6Extension
    /// IP fragment reassembly.
    case fragment
    /// ARP.
    case arp
    /// TCP header or segment.
    case tcp
    /// UDP header or datagram.
    case udp
    /// ICMP.
    case icmp
    /// ICMPv6.
    case icmpv6

    /// The name used in messages (`IPv4`, `TCP`, `Linux cooked`, …).
    public var description: String {
        switch self {
        case .ethernet: "Ethernet"
        case .vlan: "VLAN"
        case .linuxCooked: "Linux cooked"
        case .loopback: "loopback"
        case .ip: "IP"
        case .ipv4: "IPv4"
        case .ipv6: "IPv6"
        case .ipv6Extension: "IPv6 extension"
        case .fragment: "IP fragment"
        case .arp: "ARP"
        case .tcp: "TCP"
        case .udp: "UDP"
        case .icmp: "ICMP"
        case .icmpv6: "ICMPv6"
        }
    }
}
