/// A link-layer address of up to 8 bytes (as in Linux cooked headers), stored inline.
public struct LinkAddress: Hashable, Sendable, CustomStringConvertible {
    /// The bytes, first byte most significant, left-aligned in 64 bits.
    public var rawValue: UInt64
    /// How many bytes are meaningful, 0…8.
    public var length: Int

    /// An address from `length` bytes at `offset`, or `nil` when they are not there or `length` > 8.
    public init?(_ bytes: UnsafeRawBufferPointer, at offset: Int, length: Int) {
        guard length >= 0, length <= 8, let slice = bytes.slice(at: offset, length: length) else { return nil }
        var value: UInt64 = 0
        for (index, byte) in slice.enumerated() { value |= UInt64(byte) << UInt64(56 - 8 * index) }
        self.rawValue = value
        self.length = length
    }

    /// As a MAC address when it is 6 bytes long.
    public var macAddress: MACAddress? {
        length == 6 ? MACAddress(rawValue: rawValue >> 16) : nil
    }

    /// Colon-separated lowercase hex bytes.
    public var description: String {
        var parts: [String] = []
        for index in 0..<length {
            let byte = UInt8(truncatingIfNeeded: rawValue >> UInt64(56 - 8 * index))  // one byte, by the shift
            parts.append(byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16))
        }
        return parts.joined(separator: ":")
    }
}
