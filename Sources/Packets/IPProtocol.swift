/// An IP protocol number / IPv6 next-header value (IANA "Assigned Internet Protocol Numbers").
public struct IPProtocol: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The 8-bit value from the wire.
    public var rawValue: UInt8

    /// Wraps a wire value.
    @inlinable
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// IPv6 hop-by-hop options (RFC 8200 §4.3).
    public static let hopByHop = IPProtocol(rawValue: 0)
    /// ICMP for IPv4.
    public static let icmp = IPProtocol(rawValue: 1)
    /// IGMP.
    public static let igmp = IPProtocol(rawValue: 2)
    /// TCP.
    public static let tcp = IPProtocol(rawValue: 6)
    /// UDP.
    public static let udp = IPProtocol(rawValue: 17)
    /// IPv6 encapsulation.
    public static let ipv6 = IPProtocol(rawValue: 41)
    /// IPv6 routing header (RFC 8200 §4.4).
    public static let routing = IPProtocol(rawValue: 43)
    /// IPv6 fragment header (RFC 8200 §4.5).
    public static let fragment = IPProtocol(rawValue: 44)
    /// GRE.
    public static let gre = IPProtocol(rawValue: 47)
    /// Encapsulating Security Payload (RFC 4303); nothing after it can be decoded.
    public static let esp = IPProtocol(rawValue: 50)
    /// Authentication Header (RFC 4302).
    public static let authentication = IPProtocol(rawValue: 51)
    /// ICMPv6.
    public static let icmpv6 = IPProtocol(rawValue: 58)
    /// IPv6 "no next header" (RFC 8200 §4.7).
    public static let noNextHeader = IPProtocol(rawValue: 59)
    /// IPv6 destination options (RFC 8200 §4.6).
    public static let destinationOptions = IPProtocol(rawValue: 60)
    /// Mobility header (RFC 6275).
    public static let mobility = IPProtocol(rawValue: 135)
    /// SCTP.
    public static let sctp = IPProtocol(rawValue: 132)
    /// Host Identity Protocol (RFC 7401).
    public static let hip = IPProtocol(rawValue: 139)
    /// Shim6 (RFC 5533).
    public static let shim6 = IPProtocol(rawValue: 140)

    /// True for IPv6 extension headers in the RFC 8200 `(length + 1) * 8` format.
    @inlinable
    var isGenericIPv6Extension: Bool {
        switch rawValue {
        case 0, 43, 60, 135, 139, 140: true
        default: false
        }
    }

    /// A short name (`TCP`, `UDP`, `HBH`, …) or `nil`.
    public var name: String? {
        switch rawValue {
        case 0: "HBH"
        case 1: "ICMP"
        case 2: "IGMP"
        case 4: "IPIP"
        case 6: "TCP"
        case 17: "UDP"
        case 41: "IPv6"
        case 43: "routing"
        case 44: "frag"
        case 47: "GRE"
        case 50: "ESP"
        case 51: "AH"
        case 58: "ICMP6"
        case 59: "no-next"
        case 60: "dstopt"
        case 103: "PIM"
        case 112: "VRRP"
        case 132: "SCTP"
        case 135: "mobility"
        case 139: "HIP"
        case 140: "shim6"
        default: nil
        }
    }

    /// The name, or `ip-proto-N` as tcpdump writes unknown numbers.
    public var description: String { name ?? "ip-proto-\(rawValue)" }
}
