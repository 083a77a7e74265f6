/// A TLS `ProtocolVersion` (RFC 8446 §4.1.2 legacy_version, §4.2.1 supported_versions).
public struct ProtocolVersion: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The two bytes, big-endian: 0x0303 is TLS 1.2.
    public var rawValue: UInt16

    /// Wraps a version.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// SSL 3.0.
    public static let ssl3 = ProtocolVersion(rawValue: 0x0300)
    /// TLS 1.0.
    public static let tls10 = ProtocolVersion(rawValue: 0x0301)
    /// TLS 1.1.
    public static let tls11 = ProtocolVersion(rawValue: 0x0302)
    /// TLS 1.2.
    public static let tls12 = ProtocolVersion(rawValue: 0x0303)
    /// TLS 1.3.
    public static let tls13 = ProtocolVersion(rawValue: 0x0304)

    /// Orders by number.
    public static func < (lhs: ProtocolVersion, rhs: ProtocolVersion) -> Bool { lhs.rawValue < rhs.rawValue }

    /// True for a GREASE value (RFC 8701), which a client offers only to keep servers honest.
    public var isGREASE: Bool { rawValue & 0x0F0F == 0x0A0A && rawValue >> 8 == rawValue & 0xFF }

    /// `1.2`, `1.3`, `SSL 3.0`, or the number in hex (`0x7F1C`) for anything else.
    public var description: String {
        switch rawValue {
        case 0x0300: "SSL 3.0"
        case 0x0301: "1.0"
        case 0x0302: "1.1"
        case 0x0303: "1.2"
        case 0x0304: "1.3"
        default: hex16(rawValue)
        }
    }
}

/// `0x` and four upper-case hex digits.
func hex16(_ value: UInt16) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
