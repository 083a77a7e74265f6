import Capture
import Packets

/// What one input file held, for the summary and the JSON `input` member.
public struct FileSummary: Sendable {
    /// The path as given (`-` for standard input).
    public var path: String
    /// Container format.
    public var container: CaptureFile.Container
    /// True when the file was gzip-compressed.
    public var isCompressed: Bool
    /// Interfaces described by the file (one for classic pcap).
    public var interfaces: [CaptureInterface]
    /// Frames read (before any filter) — the highest frame number seen.
    public var framesRead: UInt64 = 0
    /// Frames that passed the filter and were analysed.
    public var framesAnalysed: UInt64 = 0
    /// Captured bytes of the analysed frames.
    public var capturedBytes: UInt64 = 0
    /// Wire bytes of the analysed frames.
    public var wireBytes: UInt64 = 0
    /// Time of the first and last analysed frame.
    public var firstTime: Timestamp?
    /// Time of the last analysed frame.
    public var lastTime: Timestamp?
    /// Finest timestamp precision among the analysed frames.
    public var precision: TimestampPrecision = .microseconds
    /// How reading ended.
    public var end: CaptureEnd = .complete
}
