/// A 48-bit IEEE 802 MAC address, stored inline.
public struct MACAddress: Hashable, Sendable, CustomStringConvertible {
    /// The address in the low 48 bits, first byte on the wire most significant.
    public var rawValue: UInt64

    /// Wraps an address; bits above the low 48 are dropped.
    @inlinable
    public init(rawValue: UInt64) { self.rawValue = rawValue & 0xFFFF_FFFF_FFFF }

    /// Reads an address at `offset`, or `nil` when the 6 bytes are not there.
    @inlinable
    public init?(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        guard let high: UInt16 = bytes.bigEndian(at: offset),
            let low: UInt32 = bytes.bigEndian(at: offset + 2)  // bigEndian(at:) above proved offset ≤ count
        else { return nil }
        self.init(rawValue: UInt64(high) << 32 | UInt64(low))
    }

    /// The broadcast address ff:ff:ff:ff:ff:ff.
    public static let broadcast = MACAddress(rawValue: 0xFFFF_FFFF_FFFF)

    /// `aa:bb:cc:dd:ee:ff`, lowercase.
    public var description: String {
        var parts: [String] = []
        parts.reserveCapacity(6)
        for shift in stride(from: 40, through: 0, by: -8) {
            let byte = UInt8(truncatingIfNeeded: rawValue >> UInt64(shift))  // one byte, by the shift
            parts.append(byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16))
        }
        return parts.joined(separator: ":")
    }
}
