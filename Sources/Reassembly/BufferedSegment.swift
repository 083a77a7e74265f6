import Packets

/// Out-of-order bytes of one direction, owned (copied out of the frame), waiting for the hole in
/// front of them to fill. Buffered segments of a direction are kept sorted and disjoint.
struct BufferedSegment {
    /// What the segment holds.
    enum Content {
        /// Captured bytes.
        case data([UInt8])
        /// Bytes the snapshot length cut off: known to exist, never captured; become a gap.
        case lost(Int)
    }

    /// Sequence number of the first byte.
    var sequence: SequenceNumber
    /// The bytes, or how many were lost.
    var content: Content
    /// The frame that carried them (the first copy).
    var frame: FrameNumber
    /// When that frame was captured.
    var time: Timestamp

    /// Sequence space covered.
    var length: Int {
        switch content {
        case .data(let bytes): bytes.count
        case .lost(let count): count
        }
    }

    /// Memory held (lost bytes hold none).
    var bufferedBytes: Int {
        if case .data(let bytes) = content { return bytes.count }
        return 0
    }
}

/// The part of one frame's TCP payload that a direction has to place: borrowed for the call.
struct SegmentView {
    /// Sequence number of the first payload byte (after the SYN's, when SYN is set).
    var sequence: SequenceNumber
    /// Captured payload bytes (borrowed from the frame).
    var bytes: UnsafeRawBufferPointer
    /// Payload bytes the headers announce beyond the captured ones (snaplen cut).
    var missing: Int
    /// The frame.
    var frame: FrameNumber
    /// Its capture time.
    var time: Timestamp

    /// Sequence space covered.
    var length: Int { bytes.count + missing }

    /// Drops the first `count` bytes of sequence space (`0 ≤ count ≤ length`).
    mutating func dropFirst(_ count: Int) {
        if count <= bytes.count {
            bytes = UnsafeRawBufferPointer(rebasing: bytes[count...])
        } else {
            missing -= count - bytes.count  // count ≤ length = bytes.count + missing
            bytes = UnsafeRawBufferPointer(rebasing: bytes[bytes.count...])
        }
        sequence = sequence.advanced(by: count)
    }

    /// Keeps only the first `count` bytes of sequence space (`0 ≤ count ≤ length`).
    mutating func keepFirst(_ count: Int) {
        if count <= bytes.count {
            bytes = UnsafeRawBufferPointer(rebasing: bytes[..<count])
            missing = 0
        } else {
            missing = count - bytes.count
        }
    }
}

/// The fields of a TCP header that reassembly uses, small enough to pass around freely (the full
/// `TCPInfo`, with its options, is several times larger).
struct SegmentHeader {
    /// Control bits.
    var flags: TCPFlags
    /// Sequence number (of the SYN when SYN is set).
    var sequence: SequenceNumber
    /// Acknowledgment number (meaningful with `.ack`).
    var acknowledgment: SequenceNumber
    /// Unscaled window.
    var window: UInt16

    /// The fields of `tcp`.
    @inline(__always)
    init(_ tcp: TCPInfo) {
        flags = tcp.flags
        sequence = tcp.sequence
        acknowledgment = tcp.acknowledgment
        window = tcp.window
    }
}
