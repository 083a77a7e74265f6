import Packets

/// The header of a TLS record (RFC 8446 §5.1, RFC 5246 §6.2.1).
struct RecordHeader: Hashable, Sendable {
    /// ContentType: 20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data, 24 heartbeat.
    var type: UInt8
    /// legacy_record_version.
    var version: UInt16
    /// Length of the fragment that follows.
    var length: Int

    static let size = 5
}

/// Cuts one direction's byte stream into TLS records, wherever the TCP segments split them.
///
/// A record that arrives whole inside one delivery is handed out as a range of the delivered
/// bytes (no copy); only a record split across deliveries is copied, into a buffer that grows to at
/// most one record (`maximumFragmentLength` + header) and is reused.
struct RecordReader {
    /// Largest fragment accepted: 2^14 + 2048 (RFC 5246 §6.2.3, TLSCiphertext; TLS 1.3 allows
    /// only 2^14 + 256). A longer length means the stream is not TLS or is out of step.
    static let maximumFragmentLength = (1 << 14) + 2048

    /// What `next` found.
    enum Step: Equatable {
        /// Every delivered byte was used; the next record needs more.
        case needMoreData
        /// A whole record inside the delivered bytes; the range is its fragment.
        case record(RecordHeader, Range<Int>)
        /// A record that was completed in the buffer: take it with `takeBuffer()` (fragment after
        /// the 5-byte header) and give the buffer back with `returnBuffer(_:)`.
        case bufferedRecord(RecordHeader)
        /// Not a TLS record header; the reason says what was wrong.
        case malformed(String)
    }

    private var buffer: [UInt8] = []
    /// Frame and time of the first byte of the record last handed out.
    private(set) var recordFrame = FrameNumber(0)
    private(set) var recordTime = Timestamp.zero

    /// True when part of a record is buffered.
    var hasPartialRecord: Bool { !buffer.isEmpty }

    /// The next record in `bytes` from `offset` (moved past what was used). `frame` and `time`
    /// are those of the segment that carried `bytes`.
    mutating func next(
        in bytes: UnsafeRawBufferPointer, offset: inout Int, frame: FrameNumber, time: Timestamp
    ) -> Step {
        let start = offset
        guard start < bytes.count else { return .needMoreData }
        if buffer.isEmpty {
            if let header = Self.header(in: bytes, at: start) {
                if let problem = Self.problem(with: header) { return .malformed(problem) }
                let end = start + RecordHeader.size + header.length  // ≤ start + 5 + maximumFragmentLength
                if end <= bytes.count {
                    offset = end
                    recordFrame = frame
                    recordTime = time
                    return .record(header, (start + RecordHeader.size)..<end)
                }
            }
            recordFrame = frame
            recordTime = time
        }
        // Complete the header first, then the fragment.
        if buffer.count < RecordHeader.size {
            let take = min(RecordHeader.size - buffer.count, bytes.count - offset)
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + take)]))
            offset += take
            guard buffer.count == RecordHeader.size else { return .needMoreData }
        }
        guard let header = buffer.withUnsafeBytes({ Self.header(in: $0, at: 0) }) else { return .needMoreData }
        if let problem = Self.problem(with: header) {
            buffer.removeAll(keepingCapacity: false)
            return .malformed(problem)
        }
        let total = RecordHeader.size + header.length
        if buffer.capacity < total { buffer.reserveCapacity(total) }
        let take = min(total - buffer.count, bytes.count - offset)  // buffer.count ≤ total
        buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + take)]))
        offset += take
        return buffer.count == total ? .bufferedRecord(header) : .needMoreData
    }

    /// Hands out the completed record (header included); the reader is empty afterwards.
    mutating func takeBuffer() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &buffer)
        return taken
    }

    /// Gives back a buffer taken with `takeBuffer()`, to reuse its storage.
    mutating func returnBuffer(_ taken: [UInt8]) {
        guard buffer.isEmpty else { return }
        buffer = taken
        buffer.removeAll(keepingCapacity: true)
    }

    /// Drops any partial record (after a gap the stream cannot be framed again).
    mutating func reset() {
        buffer.removeAll(keepingCapacity: false)
    }

    /// The record header at `offset` of `bytes`, or nil when fewer than 5 bytes are there.
    static func header(in bytes: UnsafeRawBufferPointer, at offset: Int) -> RecordHeader? {
        guard let type = bytes.bigEndian(at: offset, as: UInt8.self),
            let version = bytes.bigEndian(at: offset + 1, as: UInt16.self),
            let length = bytes.bigEndian(at: offset + 3, as: UInt16.self)
        else { return nil }
        return RecordHeader(type: type, version: version, length: Int(length))
    }

    /// Why `header` cannot start a TLS record, or nil.
    static func problem(with header: RecordHeader) -> String? {
        guard (20...24).contains(header.type) else { return "record content type \(header.type) is not a TLS type" }
        guard header.version >> 8 == 3 else { return "record version \(hex16(header.version)) is not TLS" }
        guard header.length <= maximumFragmentLength else {
            return "record length \(header.length) exceeds \(maximumFragmentLength)"
        }
        return nil
    }
}
