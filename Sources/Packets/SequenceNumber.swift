/// A TCP sequence or acknowledgment number, with arithmetic and ordering modulo 2^32.
///
/// Like gopacket's `reassembly.Sequence`: `distance(to:)` is the signed difference in
/// mod-2^32 space (RFC 793 §3.3, RFC 1982 serial number arithmetic), so comparisons stay
/// right across wrap-around as long as the two numbers are less than 2^31 apart. The type is
/// deliberately not `Comparable`: that ordering is not transitive, so it must not drive a sort.
public struct SequenceNumber: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The 32-bit value from the wire.
    public var rawValue: UInt32

    /// Wraps a wire value.
    @inlinable
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Wraps a wire value.
    @inlinable
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    /// `self + count` modulo 2^32 (negative counts move backwards).
    @inlinable
    public func advanced(by count: Int) -> SequenceNumber {
        // Wrap-around is the point: sequence space is modulo 2^32 (RFC 793 §3.3).
        SequenceNumber(rawValue &+ UInt32(truncatingIfNeeded: count))
    }

    /// Signed distance from `self` to `other` in mod-2^32 space, in `-2^31 ..< 2^31`.
    @inlinable
    public func distance(to other: SequenceNumber) -> Int {
        // Modular difference reinterpreted as signed: the RFC 1982 comparison.
        Int(Int32(bitPattern: other.rawValue &- rawValue))
    }

    /// True when `self` comes strictly before `other` (mod 2^32).
    @inlinable
    public func isBefore(_ other: SequenceNumber) -> Bool { distance(to: other) > 0 }

    /// True when `self` comes strictly after `other` (mod 2^32).
    @inlinable
    public func isAfter(_ other: SequenceNumber) -> Bool { distance(to: other) < 0 }

    /// `lhs.advanced(by: rhs)`.
    @inlinable
    public static func + (lhs: SequenceNumber, rhs: Int) -> SequenceNumber { lhs.advanced(by: rhs) }

    /// `rhs.distance(to: lhs)`: how far `lhs` is ahead of `rhs`.
    @inlinable
    public static func - (lhs: SequenceNumber, rhs: SequenceNumber) -> Int { rhs.distance(to: lhs) }

    /// The value in decimal.
    public var description: String { String(rawValue) }
}
