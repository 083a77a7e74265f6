import Foundation
import Packets
import Reassembly

/// The TLS layer of one connection: frames records, follows the handshake, chooses keys from the
/// key log, decrypts, and hands the application data to an inner `ConnectionConsumer` (the HTTP
/// parser) as if it had come in clear.
///
/// Versions: TLS 1.2 (keys from the master secret at ChangeCipherSpec) and TLS 1.3 (handshake
/// traffic keys after ServerHello, application keys after each side's Finished, KeyUpdate).
struct TLSConnectionState {
    let connection: ConnectionInfo
    let sink: any TLSSink
    let keys: KeyStore
    var clientHello: ClientHello?
    var serverHello: ServerHello?
    var info = TLSHandshakeInfo()
    var secrets: ConnectionSecrets?
    var parameters: SuiteParameters?
    /// Why the content cannot be read, once that is known.
    var blocker: DecryptionStatus?
    var directions = [DirectionState(), DirectionState()]
    var alerts: [TLSAlert] = []
    /// True once the server sent a Certificate (TLS 1.2: a full, not abbreviated, handshake).
    var sawServerCertificate = false
    /// Cap on alerts kept per connection (a peer could send thousands of warning alerts).
    static let maximumAlerts = 16

    init(connection: ConnectionInfo, keys: KeyStore, sink: any TLSSink) {
        self.connection = connection
        self.keys = keys
        self.sink = sink
    }

    // MARK: Stream input

    /// Next bytes of `direction`; decrypted application data goes to `inner`.
    mutating func receive<Inner: ConnectionConsumer>(
        _ bytes: UnsafeRawBufferPointer, direction: Direction, frame: FrameNumber, time: Timestamp,
        inner: inout Inner
    ) {
        let side = direction.rawValue
        directions[side].count(bytes.count, frame: frame)
        guard directions[side].phase != .counting else { return }
        var offset = 0
        while offset < bytes.count, directions[side].phase != .counting {
            let step = directions[side].records.next(in: bytes, offset: &offset, frame: frame, time: time)
            let first = directions[side].records.recordFrame
            let firstTime = directions[side].records.recordTime
            let span = RecordSpan(firstFrame: first, firstTime: firstTime, lastFrame: frame, lastTime: time)
            switch step {
            case .needMoreData:
                return
            case .malformed(let detail):
                stop(direction, because: .malformed(direction, detail), frame: frame, inner: &inner)
                return
            case .record(let header, let range):
                record(header, UnsafeRawBufferPointer(rebasing: bytes[range]), direction, span, inner: &inner)
            case .bufferedRecord(let header):
                let taken = directions[side].records.takeBuffer()
                taken.withUnsafeBytes { raw in
                    record(header, UnsafeRawBufferPointer(rebasing: raw[RecordHeader.size...]), direction, span, inner: &inner)
                }
                directions[side].records.returnBuffer(taken)
            }
        }
    }

    /// `length` bytes of `direction` were lost: records cannot be framed any more.
    mutating func gap<Inner: ConnectionConsumer>(
        length: Int, direction: Direction, frame: FrameNumber, time: Timestamp, inner: inout Inner
    ) {
        let side = direction.rawValue
        guard directions[side].phase != .counting else { return }  // not read: nothing to lose
        stop(direction, because: .gap(direction), frame: frame, inner: &inner)
        if directions[side].isWanted {
            _ = inner.gap(length: length, direction: direction, frame: frame, time: time)
        }
    }

    /// `direction` ended; after both, the summary goes to the sink.
    mutating func end<Inner: ConnectionConsumer>(
        _ reason: StreamEnd, direction: Direction, frame: FrameNumber, time: Timestamp, inner: inout Inner
    ) {
        let side = direction.rawValue
        guard !directions[side].isEnded else { return }
        directions[side].isEnded = true
        inner.end(reason, direction: direction, frame: frame, time: time)
        guard directions[0].isEnded && directions[1].isEnded else { return }
        let summary = self.summary
        if !summary.status.isDecrypted {
            let frames = summary.firstFrame == summary.lastFrame ? [summary.firstFrame] : [summary.firstFrame, summary.lastFrame]
            report(.notDecrypted(summary.status), frames: frames)
        }
        sink.connectionEnded(summary)
    }

    /// The connection as it stands.
    var summary: TLSConnectionSummary {
        let status: DecryptionStatus
        if let blocker {
            status = blocker
        } else if serverHello == nil || clientHello == nil {
            status = .handshakeNotSeen
        } else {
            status = .decrypted(failedRecords: directions[0].failedRecords + directions[1].failedRecords)
        }
        let firstFrames = directions.compactMap(\.firstFrame)
        return TLSConnectionSummary(
            connection: connection, handshake: info, status: status, bytes: directions.map(\.bytes),
            records: directions.map(\.recordCount), firstFrame: firstFrames.min() ?? connection.firstFrame,
            lastFrame: max(directions[0].lastFrame, directions[1].lastFrame), alerts: alerts)
    }

    // MARK: Records

    /// Frames and times of the first and last byte of a record.
    struct RecordSpan {
        var firstFrame: FrameNumber
        var firstTime: Timestamp
        var lastFrame: FrameNumber
        var lastTime: Timestamp
    }

    private mutating func record<Inner: ConnectionConsumer>(
        _ header: RecordHeader, _ fragment: UnsafeRawBufferPointer, _ direction: Direction, _ span: RecordSpan,
        inner: inout Inner
    ) {
        let side = direction.rawValue
        directions[side].recordCount += 1
        // TLS 1.3 middlebox compatibility: ChangeCipherSpec stays in clear and means nothing (RFC 8446 §5).
        let isTLS13 = info.version == .tls13
        if isTLS13 && header.type == 20 { return }
        // A peer may send a clear alert before it has keys (e.g. rejecting the ServerHello).
        let isClearAlert = header.type == 21 && isTLS13
        guard directions[side].phase == .protected && !isClearAlert else {
            content(type: header.type, fragment, direction, span, inner: &inner)
            return
        }
        if isTLS13 && header.type != 23 { return }  // only application_data records are protected in 1.3
        if directions[side].protection == nil {
            // No key for this phase: opaque, unless the application key opens it.
            guard let adopted = tryApplicationKey(header, fragment, direction) else { return }
            directions[side].protection = adopted
        }
        let result = directions[side].protection?.open(type: header.type, version: header.version, fragment: fragment)
        switch result {
        case .success(let plaintext):
            directions[side].decryptedRecords += 1
            plaintext.withUnsafeBytes { raw in
                if isTLS13 {
                    // TLSInnerPlaintext: content, the real type, then zero padding (RFC 8446 §5.2).
                    var end = raw.count
                    while end > 0 && raw[end - 1] == 0 { end -= 1 }
                    guard end > 0 else {
                        stop(direction, because: .malformed(direction, "a record holds only padding"), frame: span.lastFrame, inner: &inner)
                        return
                    }
                    let type = raw[end - 1]
                    content(type: type, UnsafeRawBufferPointer(rebasing: raw[..<(end - 1)]), direction, span, inner: &inner)
                } else {
                    content(type: header.type, raw, direction, span, inner: &inner)
                }
            }
        case .failure(.authentication):
            directions[side].failedRecords += 1
            if !directions[side].hasReportedFailure {
                directions[side].hasReportedFailure = true
                report(.authenticationFailed(direction), frames: [span.lastFrame])
            }
            // The plaintext is lost: the HTTP parser sees it as a hole.
            let lost = max(0, fragment.count - (directions[side].protection?.overhead ?? 0))
            if directions[side].isWanted, header.type == 23, lost > 0 {
                let interest = inner.gap(length: lost, direction: direction, frame: span.lastFrame, time: span.lastTime)
                apply(interest, direction)
            }
        case .failure(.tooShort):
            stop(direction, because: .malformed(direction, "a protected record of \(fragment.count) bytes is shorter than its tag"), frame: span.lastFrame, inner: &inner)
        case .failure(.sequenceExhausted), .none:
            stop(direction, because: .malformed(direction, "record sequence number exhausted"), frame: span.lastFrame, inner: &inner)
        }
    }

    /// A record's content in clear (received so, or decrypted).
    private mutating func content<Inner: ConnectionConsumer>(
        type: UInt8, _ bytes: UnsafeRawBufferPointer, _ direction: Direction, _ span: RecordSpan, inner: inout Inner
    ) {
        let side = direction.rawValue
        switch type {
        case 20:  // change_cipher_spec (TLS 1.2): the sender's records are protected from now on
            directions[side].phase = .protected
            directions[side].protection = directions[side].pendingProtection
            directions[side].pendingProtection = nil
            // An abbreviated handshake (session id or ticket, RFC 5077 §3.1): the server's
            // ChangeCipherSpec follows its ServerHello without a Certificate.
            if direction == .serverToClient, serverHello != nil, !sawServerCertificate { info.isResumed = true }
        case 21:  // alert
            guard bytes.count >= 2 else { return }
            let alert = TLSAlert(level: bytes[0], alertDescription: bytes[1], direction: direction, frame: span.lastFrame)
            if alerts.count < Self.maximumAlerts { alerts.append(alert) }
            if !alert.isCloseNotify { report(.alert(alert), frames: [span.lastFrame]) }
        case 22:  // handshake
            switch directions[side].handshake.append(bytes) {
            case .success(let messages):
                for message in messages { handshake(message, direction, span, inner: &inner) }
            case .failure(let error):
                stop(direction, because: .malformed(direction, error.detail), frame: span.lastFrame, inner: &inner)
            }
        case 23:  // application_data: only meaningful when it was decrypted
            guard directions[side].phase == .protected, directions[side].isWanted, !bytes.isEmpty else { return }
            deliver(bytes, direction, span, inner: &inner)
        default:
            return  // heartbeat
        }
    }

    /// Passes plaintext on: all but the last byte with the frame that started the record, the last
    /// byte with the frame that completed it, so an HTTP message's frame span covers its records.
    private mutating func deliver<Inner: ConnectionConsumer>(
        _ bytes: UnsafeRawBufferPointer, _ direction: Direction, _ span: RecordSpan, inner: inout Inner
    ) {
        if span.firstFrame == span.lastFrame || bytes.count == 1 {
            apply(inner.receive(bytes, direction: direction, frame: span.lastFrame, time: span.lastTime), direction)
            return
        }
        let split = bytes.count - 1  // bytes.count ≥ 2 here
        apply(
            inner.receive(
                UnsafeRawBufferPointer(rebasing: bytes[..<split]), direction: direction, frame: span.firstFrame,
                time: span.firstTime), direction)
        guard directions[direction.rawValue].isWanted else { return }
        apply(
            inner.receive(
                UnsafeRawBufferPointer(rebasing: bytes[split...]), direction: direction, frame: span.lastFrame,
                time: span.lastTime), direction)
    }

    private mutating func apply(_ interest: ConsumerInterest, _ direction: Direction) {
        switch interest {
        case .all: break
        case .ignoreDirection: directions[direction.rawValue].isWanted = false
        case .ignoreConnection:
            directions[0].isWanted = false
            directions[1].isWanted = false
        }
        // Nobody wants the content (it is not HTTP): stop decrypting, only count bytes.
        if !directions[0].isWanted && !directions[1].isWanted {
            for side in 0..<2 where directions[side].phase == .protected {
                directions[side].phase = .counting
                directions[side].records.reset()
            }
        }
    }

    /// Stops reading `direction` (it is only counted from now on) and reports why.
    mutating func stop<Inner: ConnectionConsumer>(
        _ direction: Direction, because kind: TLSEvent.Kind, frame: FrameNumber, inner: inout Inner
    ) {
        let side = direction.rawValue
        directions[side].phase = .counting
        directions[side].records.reset()
        report(kind, frames: [frame])
    }

    mutating func report(_ kind: TLSEvent.Kind, frames: [FrameNumber]) {
        sink.event(
            TLSEvent(
                kind: kind, connection: connection, handshake: info, frames: frames,
                bytes: directions[0].bytes + directions[1].bytes))
    }
}
