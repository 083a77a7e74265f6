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

    /// How records are read now.
    var phase = Phase.clear
    /// Cuts the direction's bytes into records.
    var records = RecordReader()
    /// Reassembles the direction's handshake messages (in clear or decrypted).
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

    /// TLS bytes delivered by the reassembler.
    var bytes = 0
    /// Records read (not those passed while only counting).
    var recordCount = 0
    /// Records that opened, and records whose tag did not verify.
    var decryptedRecords = 0
    var failedRecords = 0
    /// DM-TLS-002 is reported once per direction.
    var hasReportedFailure = false
    /// `end` was called for the direction.
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
