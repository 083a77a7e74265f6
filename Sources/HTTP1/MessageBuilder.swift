import Packets
import Reassembly

/// A message between its head and its end: collects the body and everything reported about it.
struct MessageBuilder {
    /// What happens to the next payload bytes.
    enum Storage {
        /// Stored as they come (no content coding, or one zlib cannot undo).
        case raw
        /// Decoded by zlib into `body`.
        case decoding(ContentDecoder)
        /// Counted only: `BodyPolicy` rejected the Content-Type.
        case skippedByPolicy
        /// Counted only: the request was dropped over `maxOutstandingRequests`.
        case dropped
        /// Counted only from here on: a cap, a gap or a decoding error stopped storage.
        case stopped
    }

    var head: ParsedHead
    /// Exchange index of a request (nil for a dropped request and for responses).
    var exchangeIndex: Int?
    var framing: BodyFraming = .none
    var transferCodings: [String] = []
    var contentCodings: [String] = []
    var trailers = HTTPHeaders()
    var body: [UInt8] = []
    var wireBodyLength = 0
    var payloadLength = 0
    var unstoredBytes = 0
    var storage: Storage = .raw
    var flags: HTTPMessageFlags = []
    var anomalies: [HTTPAnomaly] = []
    var firstFrame: FrameNumber
    var firstTime: Timestamp
    var lastFrame: FrameNumber
    var lastTime: Timestamp
    let connectionIndex: Int
    let direction: Direction

    /// Chooses how the body is kept: policy first, then which coding (if any) zlib must undo.
    mutating func chooseStorage(policy: BodyPolicy, isDropped: Bool) {
        if isDropped {
            storage = .dropped
            return
        }
        guard policy.storesBody(head.headers) else {
            storage = .skippedByPolicy
            return
        }
        // Codings are listed in the order applied; only a single gzip/deflate layer is undone.
        let codings = (contentCodings + transferCodings).filter { $0 != "identity" }
        if codings.isEmpty {
            storage = .raw
        } else if codings.count == 1, let coding = ContentDecoder.Coding(token: codings[0]) {
            storage = .decoding(ContentDecoder(coding: coding))
        } else {
            storage = .raw
            flags.insert(.notDecoded)
        }
    }

    mutating func report(_ kind: HTTPAnomaly.Kind, _ message: String, frame: FrameNumber) {
        anomalies.append(
            HTTPAnomaly(kind: kind, connectionIndex: connectionIndex, direction: direction, frame: frame, message: message))
    }

    /// Records that `frame` carried bytes of the message. Bytes can be delivered out of frame
    /// order (a segment captured before the hole in front of it was filled), so the message's
    /// span is the lowest to the highest frame that carried it.
    mutating func touch(frame: FrameNumber, time: Timestamp) {
        if frame < firstFrame {
            firstFrame = frame
            firstTime = time
        }
        if frame > lastFrame {
            lastFrame = frame
            lastTime = time
        }
    }

    /// Body bytes after the transfer coding was removed.
    mutating func appendPayload(_ bytes: UnsafeRawBufferPointer, limits: HTTPLimits, frame: FrameNumber) {
        payloadLength += bytes.count
        switch storage {
        case .raw:
            let room = max(0, limits.maxStoredBodySize - body.count)
            body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<min(room, bytes.count)]))
            if bytes.count > room {
                unstoredBytes += bytes.count - room
                flags.insert(.bodyCapped)
                storage = .stopped
                report(.bodyLimit, "The body exceeds \(limits.maxStoredBodySize) bytes; only that much is kept.", frame: frame)
            }
        case .decoding(let decoder):
            switch decoder.decode(bytes, into: &body, limit: limits.maxDecodedBodySize) {
            case .needsInput:
                break
            case .capped:
                flags.insert(.bodyCapped)
                storage = .stopped
                report(
                    .decodeLimit, "The body decodes to more than \(limits.maxDecodedBodySize) bytes; only that much is kept.",
                    frame: frame)
            case .failed(let reason):
                flags.insert(.notDecoded)
                storage = .stopped
                report(.decode, reason, frame: frame)
            }
        case .skippedByPolicy, .dropped, .stopped:
            unstoredBytes += bytes.count
        }
    }

    /// `length` payload bytes were lost: count them and store nothing more (a body with a hole is
    /// not a DM package).
    mutating func loseBytes(_ length: Int, frame: FrameNumber) {
        payloadLength += length
        wireBodyLength += length
        flags.insert(.gap)
        if case .skippedByPolicy = storage { return }
        if case .dropped = storage { return }
        storage = .stopped
    }

    /// Ends the body: checks that a compressed stream was complete.
    mutating func finishBody(limits: HTTPLimits, frame: FrameNumber) {
        if case .skippedByPolicy = storage, payloadLength > 0 { flags.insert(.bodySkipped) }
        if case .decoding(let decoder) = storage {
            if let reason = decoder.finish(into: &body, limit: limits.maxDecodedBodySize) {
                flags.insert(.notDecoded)
                report(.decode, reason, frame: frame)
            }
            storage = .stopped
        }
    }

    func message<Head>(_ head: Head) -> HTTPMessage<Head> {
        HTTPMessage(
            head: head, trailers: trailers, body: body, wireBodyLength: wireBodyLength, payloadLength: payloadLength,
            framing: framing, transferCodings: transferCodings, contentCodings: contentCodings, firstFrame: firstFrame,
            firstTime: firstTime, lastFrame: lastFrame, lastTime: lastTime, flags: flags)
    }
}
