/// A capture timestamp: seconds since 1970-01-01T00:00:00Z and nanoseconds within the second.
///
/// Kept as two integers (no floating point) so that nanosecond captures keep every digit.
public struct Timestamp: Hashable, Comparable, Sendable {
    /// Whole seconds since the Unix epoch (may be negative for pre-1970 clocks).
    public var seconds: Int64
    /// Nanoseconds, `0 ..< 1_000_000_000`.
    public var nanoseconds: UInt32

    /// A timestamp; `nanoseconds` larger than a second are carried into `seconds`.
    @inlinable
    public init(seconds: Int64, nanoseconds: UInt32) {
        let carry = Int64(nanoseconds / 1_000_000_000)
        self.seconds = seconds.addingReportingOverflow(carry).overflow ? seconds : seconds + carry
        self.nanoseconds = nanoseconds % 1_000_000_000
    }

    /// The epoch itself.
    public static let zero = Timestamp(seconds: 0, nanoseconds: 0)

    /// Orders by time.
    @inlinable
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.seconds != rhs.seconds ? lhs.seconds < rhs.seconds : lhs.nanoseconds < rhs.nanoseconds
    }

    /// Nanoseconds from `self` to `other` (negative when `other` is earlier), saturating on overflow.
    @inlinable
    public func nanoseconds(to other: Timestamp) -> Int64 {
        let (secondsDelta, o1) = other.seconds.subtractingReportingOverflow(seconds)
        let (scaled, o2) = secondsDelta.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, o3) = scaled.addingReportingOverflow(Int64(other.nanoseconds) - Int64(nanoseconds))
        if o1 || o2 || o3 { return secondsDelta < 0 ? Int64.min : Int64.max }
        return total
    }
}

/// How many fractional digits a capture's timestamps really have.
public enum TimestampPrecision: String, Sendable, Hashable {
    /// Microseconds (classic pcap, most pcapng files).
    case microseconds
    /// Nanoseconds (pcap with magic 0xa1b23c4d, pcapng with if_tsresol 9).
    case nanoseconds
}
