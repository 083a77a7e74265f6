/// The TCP control bits (RFC 9293 §3.1, RFC 3168 for ECE/CWR, RFC 3540 for NS).
///
/// The low 8 bits are the flags byte of the header (offset 13); NS is bit 8 (the lowest bit of
/// byte 12).
public struct TCPFlags: OptionSet, Hashable, Sendable {
    /// The flag bits.
    public var rawValue: UInt16

    /// Wraps flag bits.
    @inlinable
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// No more data from sender.
    public static let fin = TCPFlags(rawValue: 0x001)
    /// Synchronise sequence numbers.
    public static let syn = TCPFlags(rawValue: 0x002)
    /// Reset the connection.
    public static let rst = TCPFlags(rawValue: 0x004)
    /// Push function.
    public static let psh = TCPFlags(rawValue: 0x008)
    /// Acknowledgment field significant.
    public static let ack = TCPFlags(rawValue: 0x010)
    /// Urgent pointer field significant.
    public static let urg = TCPFlags(rawValue: 0x020)
    /// ECN echo.
    public static let ece = TCPFlags(rawValue: 0x040)
    /// Congestion window reduced.
    public static let cwr = TCPFlags(rawValue: 0x080)
    /// ECN nonce sum (historic, RFC 3540).
    public static let ns = TCPFlags(rawValue: 0x100)
}
