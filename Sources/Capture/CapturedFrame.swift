import Packets

/// What is known about one captured frame apart from its bytes.
public struct FrameInfo: Sendable, Hashable {
    /// 1-based position of the frame in its file (Wireshark's frame number), counting frames a
    /// filter rejected, so numbers always point at the same packet in Wireshark.
    public var number: FrameNumber
    /// 0-based index of the input file among those given on the command line.
    public var fileIndex: Int
    /// When the frame was captured.
    public var timestamp: Timestamp
    /// How many fractional digits the timestamp really has (per file, or per pcapng interface).
    public var precision: TimestampPrecision
    /// The link-layer header type of the frame's interface.
    public var linkType: LinkType
    /// Bytes present in the capture (≤ `originalLength` when the snaplen cut the frame).
    public var capturedLength: Int
    /// Length of the frame on the wire.
    public var originalLength: Int
    /// pcapng interface id (0 for classic pcap).
    public var interfaceID: Int

    /// Creates a frame description.
    public init(
        number: FrameNumber, fileIndex: Int, timestamp: Timestamp, precision: TimestampPrecision,
        linkType: LinkType, capturedLength: Int, originalLength: Int, interfaceID: Int
    ) {
        self.number = number
        self.fileIndex = fileIndex
        self.timestamp = timestamp
        self.precision = precision
        self.linkType = linkType
        self.capturedLength = capturedLength
        self.originalLength = originalLength
        self.interfaceID = interfaceID
    }

    /// True when the snaplen cut the frame short.
    public var isSnaplenCut: Bool { capturedLength < originalLength }
}

/// How reading a capture ended.
public enum CaptureEnd: Sendable, Equatable {
    /// Every record was read.
    case complete
    /// The file ends inside a record: every complete frame before `offset` was delivered;
    /// `frame` is the number the incomplete frame would have had.
    case truncated(frame: FrameNumber, offset: Int64, detail: String)
    /// A record is corrupt in a way that makes the rest unreadable (e.g. a record length
    /// larger than any snaplen); frames before it were delivered.
    case corrupt(frame: FrameNumber, offset: Int64, detail: String)
    /// Reading stopped early because the caller asked (`-c`, Ctrl-C).
    case stopped
}
