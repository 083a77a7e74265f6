/// A frame's 1-based position in its capture file, as Wireshark numbers it, so that a user
/// can jump from anything dmdissect reports straight to the packet in Wireshark.
public struct FrameNumber: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 1-based number; 0 means "no frame" (e.g. an event at the start of a file).
    public var rawValue: UInt64

    /// Wraps a frame number.
    @inlinable
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Wraps a frame number.
    @inlinable
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// Orders by number.
    @inlinable
    public static func < (lhs: FrameNumber, rhs: FrameNumber) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The number in decimal.
    public var description: String { String(rawValue) }
}
