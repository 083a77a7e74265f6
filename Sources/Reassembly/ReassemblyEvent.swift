import Packets

/// Why bytes of a stream were given up.
public enum GapCause: String, Hashable, Sendable {
    /// The receiver acknowledged bytes the capture never showed (lost by the capture, not the network).
    case acknowledged
    /// The capture's snapshot length cut the segment that carried them.
    case truncated
    /// A buffer limit was hit, and the hole in front of the buffered data was skipped.
    case bufferLimit
    /// The stream ended (RST, idle time-out, eviction, end of capture, or a FIN beyond the hole)
    /// with the hole still open.
    case streamEnded
}

/// An anomaly or limit hit found while reassembling TCP: data, never a log line. `rule` is a
/// stable name that checkers and the CLI match on; `message` is one sentence for a finding.
/// `connection` is `ConnectionInfo.index`.
public enum ReassemblyEvent: Hashable, Sendable, CustomStringConvertible {
    /// A segment overlapped buffered data of the same direction with different bytes; the first
    /// copy was kept (as most stacks do). `sequence` and `length` give the overlapped range.
    case conflictingOverlap(
        connection: Int, direction: Direction, sequence: SequenceNumber, length: Int,
        firstFrame: FrameNumber, frame: FrameNumber)
    /// `length` bytes of a direction will never arrive; the consumer got `gap(length:)`.
    /// `streamOffset` is how many bytes of the direction came before them.
    case gap(
        connection: Int, direction: Direction, sequence: SequenceNumber, streamOffset: Int, length: Int,
        cause: GapCause, frame: FrameNumber)
    /// A buffer limit was hit; the direction's holes were skipped (reported as gaps) to make room.
    case limit(ReassemblyLimitKind, connection: Int, direction: Direction, frame: FrameNumber)
    /// An open flow was evicted because the flow table was full; it ended with `StreamEnd.evicted`.
    case evicted(connection: Int, bufferedBytes: Int, frame: FrameNumber)

    /// The stable rule-like name, e.g. `TCP-GAP`.
    public var rule: String {
        switch self {
        case .conflictingOverlap: "TCP-OVERLAP"
        case .gap: "TCP-GAP"
        case .limit: "TCP-LIMIT"
        case .evicted: "TCP-EVICTED"
        }
    }

    /// The connection's 1-based index.
    public var connection: Int {
        switch self {
        case .conflictingOverlap(let connection, _, _, _, _, _), .gap(let connection, _, _, _, _, _, _),
            .limit(_, let connection, _, _), .evicted(let connection, _, _):
            connection
        }
    }

    /// The frame at which it was found.
    public var frame: FrameNumber {
        switch self {
        case .conflictingOverlap(_, _, _, _, _, let frame), .gap(_, _, _, _, _, _, let frame),
            .limit(_, _, _, let frame), .evicted(_, _, let frame):
            frame
        }
    }

    /// Every frame a user should open: both copies of an overlap, else the frame.
    public var frames: [FrameNumber] {
        if case .conflictingOverlap(_, _, _, _, let first, let frame) = self, first != frame {
            return [first, frame]
        }
        return [frame]
    }

    /// One sentence with the numbers, no formatting.
    public var message: String {
        switch self {
        case .conflictingOverlap(let connection, let direction, let sequence, let length, let first, _):
            "Connection \(connection) \(Self.words(direction)): a segment overlaps \(length) bytes at sequence \(sequence) first received in frame \(first) with different data; the first copy was kept."
        case .gap(let connection, let direction, let sequence, let offset, let length, let cause, _):
            "Connection \(connection) \(Self.words(direction)): \(length) bytes at stream offset \(offset) (sequence \(sequence)) are missing: \(Self.words(cause))."
        case .limit(let kind, let connection, let direction, _):
            "Connection \(connection) \(Self.words(direction)) hit the \(kind); its holes were skipped as gaps to make room."
        case .evicted(let connection, let bytes, _):
            "Connection \(connection) was evicted because the flow table was full (it held \(bytes) buffered bytes)."
        }
    }

    /// `rule frame N: message`.
    public var description: String { "\(rule) frame \(frame): \(message)" }

    static func words(_ direction: Direction) -> String {
        direction == .clientToServer ? "client to server" : "server to client"
    }

    static func words(_ cause: GapCause) -> String {
        switch cause {
        case .acknowledged: "the receiver acknowledged them but the capture does not hold them"
        case .truncated: "the capture's snapshot length cut them off"
        case .bufferLimit: "skipped to stay within a buffer limit"
        case .streamEnded: "the stream ended before they arrived"
        }
    }
}
