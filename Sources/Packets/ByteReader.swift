/// Forward-only, bounds-checked cursor over borrowed bytes.
///
/// Every read returns `nil` and leaves the cursor where it was when fewer bytes remain than
/// the read needs, so a length field that lies can never make a decoder index past the end.
/// The reader borrows `bytes`: it is valid only while the owner of that memory keeps it alive
/// (for a captured frame, during the callback that lent the frame).
///
/// ```
///  bytes:  [ consumed ............ | remaining ........... ]
///          0                     offset                  count
/// ```
public struct ByteReader {
    /// The bytes being read; borrowed, never owned.
    public let bytes: UnsafeRawBufferPointer
    /// Position of the next read, `0...bytes.count`.
    @inlinable
    public var offset: Int { _offset }

    /// Storage of `offset`; written only by the reads below, which keep it in `0...bytes.count`.
    @usableFromInline
    internal var _offset: Int

    /// A reader positioned at `offset` (clamped into `0...bytes.count`).
    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self._offset = min(max(offset, 0), bytes.count)
    }

    /// Number of bytes not yet read.
    @inlinable
    public var remaining: Int { bytes.count - offset }

    /// True when every byte has been read.
    @inlinable
    public var isAtEnd: Bool { offset >= bytes.count }

    /// Big-endian integer at the cursor, or `nil` (cursor unmoved) if fewer than `T`'s size remain.
    @inlinable
    public mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) -> T? {
        guard let value: T = peek(T.self) else { return nil }
        _offset += MemoryLayout<T>.size  // peek checked that the bytes are there
        return value
    }

    /// Little-endian integer at the cursor, or `nil` (cursor unmoved).
    @inlinable
    public mutating func readLittleEndian<T: FixedWidthInteger>(_: T.Type = T.self) -> T? {
        guard let value: T = read(T.self) else { return nil }
        return T(littleEndian: T(bigEndian: value))
    }

    /// Big-endian integer at the cursor without moving it, or `nil`.
    @inlinable
    public func peek<T: FixedWidthInteger>(_: T.Type = T.self) -> T? {
        guard remaining >= MemoryLayout<T>.size else { return nil }
        return T(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// The next `count` bytes as a sub-buffer of the same memory (no copy), or `nil` (cursor unmoved).
    @inlinable
    public mutating func read(count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, count <= remaining else { return nil }
        defer { _offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }

    /// Moves the cursor forward by `count` bytes; returns false (cursor unmoved) if they are not there.
    @inlinable
    @discardableResult
    public mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, count <= remaining else { return false }
        _offset += count
        return true
    }

    /// Everything from the cursor to the end, without moving it.
    @inlinable
    public var rest: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[offset...])
    }
}

extension UnsafeRawBufferPointer {
    /// Big-endian integer at `offset`, or `nil` when the bytes are not all there.
    @inlinable
    public func bigEndian<T: FixedWidthInteger>(at offset: Int, as _: T.Type = T.self) -> T? {
        guard offset >= 0, offset <= count, count - offset >= MemoryLayout<T>.size else { return nil }
        return T(bigEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// The sub-buffer `offset ..< offset + length` (no copy), or `nil` when it does not fit.
    @inlinable
    public func slice(at offset: Int, length: Int) -> UnsafeRawBufferPointer? {
        guard offset >= 0, length >= 0, offset <= count, length <= count - offset else { return nil }
        return UnsafeRawBufferPointer(rebasing: self[offset..<(offset + length)])
    }
}
