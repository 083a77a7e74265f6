/// An Ethernet type (or, below 0x0600, an IEEE 802.3 length), as in Ethernet and Linux cooked headers.
public struct EtherType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The 16-bit value from the wire.
    public var rawValue: UInt16

    /// Wraps a wire value.
    @inlinable
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Internet Protocol version 4.
    public static let ipv4 = EtherType(rawValue: 0x0800)
    /// Address Resolution Protocol.
    public static let arp = EtherType(rawValue: 0x0806)
    /// Reverse ARP.
    public static let rarp = EtherType(rawValue: 0x8035)
    /// IEEE 802.1Q VLAN tag (customer tag).
    public static let vlan = EtherType(rawValue: 0x8100)
    /// Internet Protocol version 6.
    public static let ipv6 = EtherType(rawValue: 0x86DD)
    /// MPLS unicast.
    public static let mpls = EtherType(rawValue: 0x8847)
    /// PPPoE discovery.
    public static let pppoeDiscovery = EtherType(rawValue: 0x8863)
    /// PPPoE session.
    public static let pppoeSession = EtherType(rawValue: 0x8864)
    /// EAP over LAN (802.1X).
    public static let eapol = EtherType(rawValue: 0x888E)
    /// IEEE 802.1ad service tag (QinQ outer tag).
    public static let qinq = EtherType(rawValue: 0x88A8)
    /// Link Layer Discovery Protocol.
    public static let lldp = EtherType(rawValue: 0x88CC)
    /// Pre-standard QinQ outer tag used by some vendors.
    public static let qinqLegacy = EtherType(rawValue: 0x9100)

    /// True for the values that introduce a VLAN tag: 0x8100, 0x88A8 and 0x9100.
    @inlinable
    public var isVLANTag: Bool { rawValue == 0x8100 || rawValue == 0x88A8 || rawValue == 0x9100 }

    /// True when the field is an IEEE 802.3 length (≤ 1500) rather than a type (IEEE 802.3 §3.2.6).
    @inlinable
    public var isLength: Bool { rawValue <= 1500 }

    /// A short name (`IPv4`, `ARP`, `LLDP`, …) or `nil` for types without one here.
    public var name: String? {
        switch rawValue {
        case 0x0800: "IPv4"
        case 0x0806: "ARP"
        case 0x8035: "RARP"
        case 0x8100: "802.1Q"
        case 0x86DD: "IPv6"
        case 0x8847: "MPLS unicast"
        case 0x8848: "MPLS multicast"
        case 0x8863: "PPPoE D"
        case 0x8864: "PPPoE S"
        case 0x888E: "EAPOL"
        case 0x88A8: "802.1ad"
        case 0x88CC: "LLDP"
        case 0x88F7: "PTP"
        case 0x9100: "QinQ"
        default: nil
        }
    }

    /// `0x86dd`.
    public var hex: String {
        let digits = String(rawValue, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The name and hex value, e.g. `LLDP (0x88cc)`, or the hex value alone.
    public var description: String {
        if let name { return "\(name) (\(hex))" }
        return hex
    }
}
