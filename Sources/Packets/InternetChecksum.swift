/// The Internet checksum (RFC 1071): one's complement of the one's-complement sum of 16-bit words.
package enum InternetChecksum {
    /// The one's-complement sum of `bytes` as big-endian 16-bit words (an odd last byte is padded
    /// with zero), folded to 16 bits, not complemented.
    package static func sum(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        // At most 64 KiB of input: 32768 words of ≤ 0xFFFF sum to < 2^31, so UInt32 cannot overflow.
        var total: UInt32 = 0
        var index = 0
        let count = bytes.count
        while index + 1 < count {
            total += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < count { total += UInt32(bytes[index]) << 8 }
        while total > 0xFFFF { total = (total & 0xFFFF) + (total >> 16) }
        return UInt16(truncatingIfNeeded: total)  // folded above: fits in 16 bits
    }

    /// The checksum field value that makes `header` (with its own checksum field at
    /// `fieldOffset` treated as zero) verify.
    package static func expected(_ header: UnsafeRawBufferPointer, fieldOffset: Int) -> UInt16 {
        let found: UInt16 = header.bigEndian(at: fieldOffset) ?? 0
        // Remove the field from the sum: one's-complement subtraction is addition of the complement.
        var total = UInt32(sum(header)) + UInt32(~found)
        while total > 0xFFFF { total = (total & 0xFFFF) + (total >> 16) }
        return ~UInt16(truncatingIfNeeded: total)  // folded above: fits in 16 bits
    }
}
