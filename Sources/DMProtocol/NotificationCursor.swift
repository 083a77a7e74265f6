/// Forward-only, bounds-checked cursor over an owned byte array, for the notification and WSP decoders.
///
/// Every read returns `nil` and leaves the cursor unmoved when fewer bytes remain than it needs, so a
/// length field that lies can never make a decoder index past the end (style §2.1). `DMProtocol` does
/// not depend on `Packets`, so this is the target's own small cursor; ranges it returns index `bytes`.
struct NotificationCursor {
    let bytes: [UInt8]
    /// Position of the next read, `0...bytes.count`.
    private(set) var offset: Int

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = min(max(offset, 0), bytes.count)
    }

    /// Number of bytes not yet read.
    var remaining: Int { bytes.count - offset }

    var isAtEnd: Bool { offset >= bytes.count }

    /// The next byte without moving, or `nil` at the end.
    func peek() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

    mutating func readByte() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// Big-endian 16-bit value, or `nil` (cursor unmoved).
    mutating func readUInt16() -> UInt16? {
        guard remaining >= 2 else { return nil }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    /// The range of the next `count` bytes, or `nil` (cursor unmoved) when they are not all there.
    mutating func readRange(count: Int) -> Range<Int>? {
        guard count >= 0, count <= remaining else { return nil }
        defer { offset += count }
        return offset..<(offset + count)
    }

    /// Moves forward by `count` bytes; false (cursor unmoved) when they are not there.
    @discardableResult
    mutating func skip(_ count: Int) -> Bool { readRange(count: count) != nil }

    /// Bytes up to (not including) the next 0x00, and moves past the 0x00; `nil` (unmoved) when no 0x00 follows.
    mutating func readNullTerminated() -> Range<Int>? {
        var end = offset
        while end < bytes.count, bytes[end] != 0 { end += 1 }
        guard end < bytes.count else { return nil }
        defer { offset = end + 1 }
        return offset..<end
    }

    /// A WSP `uintvar` (WAP-230 §8.1.2): 7 bits per octet, high bit set on all but the last.
    ///
    /// At most `WSPUintvar.maximumOctets` octets and a value that fits 32 bits are accepted, so a
    /// hostile run of continuation bytes can neither loop long nor overflow. The cursor moves only on
    /// success.
    mutating func readUintvar() -> Result<UInt32, WSPUintvar.Failure> {
        // Five octets carry 35 bits at most, so the UInt64 accumulator cannot overflow.
        var value: UInt64 = 0
        var index = offset
        for _ in 0..<WSPUintvar.maximumOctets {
            guard index < bytes.count else { return .failure(.truncated) }
            let octet = bytes[index]
            index += 1
            value = (value << 7) | UInt64(octet & 0x7F)
            if octet & 0x80 == 0 {
                guard let result = UInt32(exactly: value) else { return .failure(.overflow) }
                offset = index
                return .success(result)
            }
        }
        return .failure(.tooLong)
    }
}
