/// Identifies the IP datagram a fragment belongs to: (source, destination, protocol,
/// identification) for IPv4 (RFC 791), (source, destination, identification) for IPv6 (RFC 8200 §4.5).
public struct FragmentKey: Hashable, Sendable, CustomStringConvertible {
    /// Source address.
    public var source: IPAddress
    /// Destination address.
    public var destination: IPAddress
    /// IPv4 identification (16 bits) or IPv6 fragment identification (32 bits).
    public var identification: UInt32
    /// IPv4 protocol; `nil` for IPv6, whose key does not include the next header.
    public var protocolNumber: IPProtocol?

    /// A key.
    @inlinable
    public init(source: IPAddress, destination: IPAddress, identification: UInt32, protocolNumber: IPProtocol?) {
        self.source = source
        self.destination = destination
        self.identification = identification
        self.protocolNumber = protocolNumber
    }

    /// `IPv4 datagram 10.0.0.1 > 10.0.0.2 id 1234`.
    public var description: String {
        "\(source.isIPv6 ? "IPv6" : "IPv4") datagram \(source) > \(destination) id \(identification)"
    }
}
