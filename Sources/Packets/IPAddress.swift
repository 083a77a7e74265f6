/// An IPv4 or IPv6 address, stored inline (no allocation), in host integer form.
///
/// `.v4` holds the address as a 32-bit big-endian-read integer (`10.0.0.1` is `0x0A00_0001`);
/// `.v6` holds the high and low 64 bits the same way.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// An IPv4 address.
    case v4(UInt32)
    /// An IPv6 address: high 64 bits, low 64 bits.
    case v6(UInt64, UInt64)

    /// Reads an IPv4 address at `offset`, or `nil` when the 4 bytes are not there.
    @inlinable
    public static func ipv4(in bytes: UnsafeRawBufferPointer, at offset: Int) -> IPAddress? {
        guard let value: UInt32 = bytes.bigEndian(at: offset) else { return nil }
        return .v4(value)
    }

    /// Reads an IPv6 address at `offset`, or `nil` when the 16 bytes are not there.
    @inlinable
    public static func ipv6(in bytes: UnsafeRawBufferPointer, at offset: Int) -> IPAddress? {
        guard offset >= 0, offset <= bytes.count - 16,
            let high: UInt64 = bytes.bigEndian(at: offset),
            let low: UInt64 = bytes.bigEndian(at: offset + 8)  // offset + 8 ≤ count - 8: no overflow
        else { return nil }
        return .v6(high, low)
    }

    /// True for IPv6 addresses.
    @inlinable
    public var isIPv6: Bool {
        if case .v6 = self { return true }
        return false
    }

    /// Dotted quad for IPv4; RFC 5952 text for IPv6 (lowercase hex, leading zeros dropped, the
    /// longest run of two or more zero groups — the first one on a tie — written `::`), with
    /// IPv4-mapped addresses written `::ffff:1.2.3.4` (RFC 5952 §5).
    public var description: String {
        switch self {
        case .v4(let value):
            return Self.dottedQuad(value)
        case .v6(let high, let low):
            if high == 0, low >> 32 == 0xFFFF {
                return "::ffff:" + Self.dottedQuad(UInt32(truncatingIfNeeded: low))  // low 32 bits, by design
            }
            var groups = [UInt16](repeating: 0, count: 8)
            for index in 0..<4 {
                // Shifts of 48, 32, 16, 0 leave 16 significant bits: truncation keeps exactly them.
                groups[index] = UInt16(truncatingIfNeeded: high >> UInt64(48 - 16 * index))
                groups[index + 4] = UInt16(truncatingIfNeeded: low >> UInt64(48 - 16 * index))
            }
            // RFC 5952 §4.2: compress the longest run of zero groups, only if it is at least two long.
            var bestStart = -1
            var bestLength = 0
            var runStart = -1
            for index in 0...8 {
                if index < 8, groups[index] == 0 {
                    if runStart < 0 { runStart = index }
                } else if runStart >= 0 {
                    let length = index - runStart
                    if length > bestLength {
                        bestStart = runStart
                        bestLength = length
                    }
                    runStart = -1
                }
            }
            if bestLength < 2 { bestStart = -1 }
            var text = ""
            var index = 0
            while index < 8 {
                if index == bestStart {
                    text += "::"
                    index += bestLength
                    continue
                }
                if !text.isEmpty, !text.hasSuffix(":") { text += ":" }
                text += String(groups[index], radix: 16)
                index += 1
            }
            return text
        }
    }

    static func dottedQuad(_ value: UInt32) -> String {
        "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
    }
}
