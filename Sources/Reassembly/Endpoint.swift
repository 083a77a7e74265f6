import Packets

/// One end of a TCP connection: address and port.
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    /// IPv4 or IPv6 address.
    public var address: IPAddress
    /// TCP port.
    public var port: Port

    /// An endpoint.
    @inlinable
    public init(address: IPAddress, port: Port) {
        self.address = address
        self.port = port
    }

    /// `10.0.0.1:80` or `[fd77::1]:80`.
    public var description: String {
        address.isIPv6 ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}

/// A TCP connection's identity, the same for both directions: the two endpoints in a canonical
/// order, so that a segment and its reply find the same flow.
public struct FlowKey: Hashable, Sendable {
    /// The endpoint that sorts first.
    public var lower: Endpoint
    /// The endpoint that sorts second.
    public var upper: Endpoint

    /// The key of the connection between `source` and `destination` (either direction).
    @inlinable
    public init(_ source: Endpoint, _ destination: Endpoint) {
        if Self.sortsFirst(source, destination) {
            lower = source
            upper = destination
        } else {
            lower = destination
            upper = source
        }
    }

    @usableFromInline
    static func sortsFirst(_ a: Endpoint, _ b: Endpoint) -> Bool {
        switch (a.address, b.address) {
        case (.v4(let x), .v4(let y)): return x != y ? x < y : a.port.rawValue <= b.port.rawValue
        case (.v6(let x1, let x2), .v6(let y1, let y2)):
            if x1 != y1 { return x1 < y1 }
            if x2 != y2 { return x2 < y2 }
            return a.port.rawValue <= b.port.rawValue
        case (.v4, .v6): return true
        case (.v6, .v4): return false
        }
    }
}

extension FlowKey {
    /// Feeds the hasher as few words as it can (one for two IPv4 addresses, one for both ports):
    /// every TCP segment does one flow-table lookup. Equal keys hash equally, as `==` requires.
    @inlinable
    public func hash(into hasher: inout Hasher) {
        switch (lower.address, upper.address) {
        case (.v4(let a), .v4(let b)):
            hasher.combine(UInt64(a) << 32 | UInt64(b))
        case (.v6(let a1, let a2), .v6(let b1, let b2)):
            hasher.combine(a1)
            hasher.combine(a2)
            hasher.combine(b1)
            hasher.combine(b2)
        default:
            hasher.combine(lower.address)
            hasher.combine(upper.address)
        }
        hasher.combine(UInt32(lower.port.rawValue) << 16 | UInt32(upper.port.rawValue))
    }
}
