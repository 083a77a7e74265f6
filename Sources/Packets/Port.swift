/// A TCP or UDP port number.
public struct Port: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    /// The port number.
    public var rawValue: UInt16

    /// Wraps a port number.
    @inlinable
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Wraps a port number.
    @inlinable
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    /// A port literal, e.g. `let http: Port = 80`.
    @inlinable
    public init(integerLiteral value: UInt16) { self.rawValue = value }

    /// Orders by number.
    @inlinable
    public static func < (lhs: Port, rhs: Port) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The number in decimal.
    public var description: String { String(rawValue) }
}
