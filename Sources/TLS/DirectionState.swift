import Packets

/// The TLS state of one direction of a connection.
struct DirectionState {
    /// How the direction's records are read.
    enum Phase: Hashable {
        /// Records are in clear (before ChangeCipherSpec in TLS 1.2, before ServerHello in 1.3).
        case clear
        /// Records are protected; `protection` opens them (nil: no key for this phase).
        case protected
        /// Only bytes are counted: no key for the connection, or the stream is broken.
        case counting
    }

    var phase = Phase.clear
    var records = RecordReader()
    var handshake = HandshakeReader()
    /// The decryptor of the current key (nil when the key log lacks it).
    var protection: RecordProtection?
    /// TLS 1.2: the decryptor that the direction's ChangeCipherSpec turns on.
    var pendingProtection: RecordProtection?
    /// TLS 1.3: the application traffic secret in use (for KeyUpdate), once the direction's
    /// Finished switched to it.
    var applicationSecret: [UInt8]?
    /// TLS 1.3: true once the direction's Finished was seen (application keys from then on).
    var isPastFinished = false

    var bytes = 0
    var recordCount = 0
    var decryptedRecords = 0
    var failedRecords = 0
    var hasReportedFailure = false
    var isEnded = false
    /// The inner consumer still wants this direction's plaintext.
    var isWanted = true
    var firstFrame: FrameNumber?
    var lastFrame = FrameNumber(0)

    /// Counts `count` delivered bytes carried by `frame`.
    mutating func count(_ count: Int, frame: FrameNumber) {
        bytes += count
        if firstFrame == nil { firstFrame = frame }
        lastFrame = max(lastFrame, frame)
    }
}
