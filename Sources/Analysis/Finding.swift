import Packets

/// Something worth a user's attention, found in the capture: data, never a log line.
/// Renderers decide how it looks; checkers only create it.
public struct Finding: Hashable, Sendable {
    /// How serious a finding is.
    public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
        /// Worth knowing; nothing is wrong.
        case info
        /// Suspicious or degraded (e.g. the capture lost data); the analysis goes on.
        case warning
        /// A protocol rule is broken.
        case error

        private var rank: Int {
            switch self {
            case .info: 0
            case .warning: 1
            case .error: 2
            }
        }

        /// Orders info < warning < error.
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// Stable identifier, e.g. `CAPTURE-TRUNCATED`, `IP-CHECKSUM`, `DM-SEQ-001`; never renamed once published.
    public var rule: String
    /// How serious it is.
    public var severity: Severity
    /// One sentence, numbers included, no formatting (untrusted parts are escaped by renderers).
    public var message: String
    /// Every frame a user should open in Wireshark, in order.
    public var frames: [FrameNumber]
    /// The input file the frames belong to (0-based index among the inputs).
    public var fileIndex: Int
    /// Byte offset within the frame (or the file, for capture-level findings) where known.
    public var offset: Int64?
    /// The 1-based index of the DM session the finding belongs to (`Session.index`), or nil for
    /// capture-level findings.
    public var session: Int?

    /// Creates a finding.
    public init(
        rule: String, severity: Severity, message: String, frames: [FrameNumber] = [], fileIndex: Int = 0,
        offset: Int64? = nil, session: Int? = nil
    ) {
        self.rule = rule
        self.severity = severity
        self.message = message
        self.frames = frames
        self.fileIndex = fileIndex
        self.offset = offset
        self.session = session
    }
}
