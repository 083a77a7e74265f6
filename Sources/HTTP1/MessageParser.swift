import Packets
import Reassembly

/// Incremental parser of the messages of one direction (requests client→server, responses
/// server→client), RFC 9112, fed by `HTTPConnectionParser`.
///
/// Keeps only the bytes of an unfinished start line, header or trailer section, or chunk line in
/// `pending` (bounded by the limits); body bytes go straight from the caller's buffer into the
/// message's body, or are only counted.
struct MessageParser {
    /// Where a start line is expected.
    enum LineContext {
        /// The first message of the direction: bytes that cannot start one mean "not HTTP".
        case first
        /// After a complete message (keep-alive, pipelining): bytes that cannot start one are an anomaly.
        case next
        /// Looking for any line that starts a message, after garbage, an error or a gap.
        case resync(Resync)
    }

    /// Progress of a resynchronisation.
    struct Resync {
        /// Bytes skipped so far.
        var skipped: Int
        /// Frame where skipping began.
        var frame: FrameNumber
    }

    /// Parser state (NIO's `HTTPParserState`); every state says what the next byte means.
    enum State {
        /// Collecting a start line in `pending` (empty lines before it are skipped, RFC 9112 §2.2).
        case startLine(LineContext)
        /// Resynchronising: skipping to the end of a line that is not a start line.
        case discardingLine(Resync)
        /// Collecting field lines in `pending`; `lineStart` is where the current line begins.
        case headerLines(lineStart: Int, lines: Int)
        /// In a Content-Length body.
        case fixedBody(remaining: Int)
        /// Collecting a chunk-size line in `pending`.
        case chunkSizeLine
        /// In chunk data.
        case chunkData(remaining: Int)
        /// Expecting the CRLF after chunk data.
        case chunkDataEnd
        /// Collecting trailer field lines in `pending`.
        case trailerLines(lineStart: Int, lines: Int)
        /// In a close-delimited response body.
        case bodyUntilClose
        /// Not (or no longer) HTTP: bytes are dropped.
        case ignoring
        /// `end` was called.
        case ended
    }

    /// What the connection must do after a call.
    enum Signal {
        case proceed
        /// The direction's first bytes are not HTTP.
        case notHTTP
        /// The connection left HTTP (101, CONNECT).
        case tunnel
    }

    let role: MessageRole
    let direction: Direction
    let connectionIndex: Int
    /// Shared by every parser of a factory (one reference per parser, not a copy).
    let shared: SharedConfiguration
    var configuration: HTTPConfiguration { shared.value }
    private(set) var state: State
    /// Unfinished start line, header/trailer section or chunk line.
    private var pending: [UInt8] = []
    /// Frame and time of the first byte in `pending` (the start of the message for a head).
    private var pendingFrame = FrameNumber(0)
    private var pendingTime = Timestamp.zero
    /// The message being parsed, out of line: a direction between messages (most of the time, and
    /// always the idle side of an open connection) then costs one pointer, not a 250-byte builder
    /// (issue 8: memory per open flow). Mutated in place through the box.
    private var message: MessageBox?
    private var signal = Signal.proceed

    private(set) var messagesParsed = 0
    private(set) var resyncSkippedBytes = 0
    private(set) var unstoredBodyBytes = 0

    private var limits: HTTPLimits { shared.value.limits }

    init(role: MessageRole, connection: ConnectionInfo, configuration: SharedConfiguration) {
        self.role = role
        self.direction = role == .request ? .clientToServer : .serverToClient
        self.connectionIndex = connection.index
        self.shared = configuration
        self.state =
            connection.isPickedUpMidStream
            ? .startLine(.resync(Resync(skipped: 0, frame: connection.firstFrame))) : .startLine(.first)
    }

    /// Stops parsing: the connection is not (or no longer) HTTP.
    mutating func stop() {
        if case .ended = state { return }
        state = .ignoring
        pending = []
        message = nil
    }

    var isEnded: Bool {
        if case .ended = state { return true }
        return false
    }

    // MARK: - Input

    /// Next in-order bytes; `bytes` is borrowed for the call only.
    mutating func receive(
        _ bytes: UnsafeRawBufferPointer, frame: FrameNumber, time: Timestamp, queue: inout ExchangeQueue
    ) -> Signal {
        signal = .proceed
        var offset = 0
        while offset < bytes.count {
            message?.value.touch(frame: frame, time: time)
            switch state {
            case .startLine(let context):
                offset = startLine(bytes, offset, context, frame: frame, time: time, queue: &queue)
            case .discardingLine(var resync):
                let lineFeed = ASCII.firstLineFeed(in: bytes, from: offset)
                let end = lineFeed.map { $0 + 1 } ?? bytes.count
                resync.skipped += end - offset
                offset = end
                state = lineFeed == nil ? .discardingLine(resync) : .startLine(.resync(resync))
                checkScanBudget(resync)
            case .headerLines(let lineStart, let lines):
                offset = headerLines(bytes, offset, lineStart: lineStart, lines: lines, frame: frame, time: time, queue: &queue)
            case .fixedBody(let remaining):
                let take = min(remaining, bytes.count - offset)
                body(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + take)]), frame: frame)
                offset += take
                if take == remaining {
                    complete(queue: &queue)
                } else {
                    state = .fixedBody(remaining: remaining - take)  // take < remaining here
                }
            case .chunkSizeLine:
                offset = chunkSizeLine(bytes, offset, frame: frame, queue: &queue)
            case .chunkData(let remaining):
                let take = min(remaining, bytes.count - offset)
                body(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + take)]), frame: frame)
                offset += take
                state = take == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - take)
            case .chunkDataEnd:
                offset = chunkDataEnd(bytes, offset, frame: frame, queue: &queue)
            case .trailerLines(let lineStart, let lines):
                offset = trailerLines(bytes, offset, lineStart: lineStart, lines: lines, frame: frame, queue: &queue)
            case .bodyUntilClose:
                body(UnsafeRawBufferPointer(rebasing: bytes[offset...]), frame: frame)
                offset = bytes.count
            case .ignoring, .ended:
                return signal
            }
        }
        return signal
    }

    /// `length` bytes will never arrive.
    mutating func gap(length: Int, frame: FrameNumber, time: Timestamp, queue: inout ExchangeQueue) -> Signal {
        signal = .proceed
        guard length > 0 else { return signal }
        message?.value.touch(frame: frame, time: time)
        switch state {
        case .fixedBody(let remaining):
            // The end of a Content-Length body is known: skip the lost bytes exactly and go on.
            let lost = min(length, remaining)
            loseBody(lost, frame: frame)
            if lost == remaining {
                complete(queue: &queue)
                if length > remaining { lostAtBoundary(length - remaining, frame: frame, queue: &queue) }
            } else {
                state = .fixedBody(remaining: remaining - lost)
            }
        case .chunkData(let remaining) where length <= remaining:
            loseBody(length, frame: frame)
            state = length == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - length)
        case .chunkData, .chunkSizeLine, .chunkDataEnd, .trailerLines:
            // The chunk framing is lost with the bytes: end the message here and resynchronise.
            loseBody(length, frame: frame)
            message?.value.flags.insert(.framingError)
            complete(queue: &queue, then: .startLine(.resync(Resync(skipped: 0, frame: frame))))
        case .bodyUntilClose:
            loseBody(length, frame: frame)
        case .startLine(.first), .startLine(.next):
            lostAtBoundary(length, frame: frame, queue: &queue)
        case .headerLines:
            lostAtBoundary(length, frame: frame, queue: &queue)
        case .startLine(.resync(var resync)), .discardingLine(var resync):
            resync.skipped += pending.count + length
            pending.removeAll(keepingCapacity: true)
            state = .startLine(.resync(resync))  // the bytes after a gap may start a line
        case .ignoring, .ended:
            break
        }
        return signal
    }

    /// The direction is over.
    mutating func end(_ reason: StreamEnd, frame: FrameNumber, time: Timestamp, queue: inout ExchangeQueue) {
        switch state {
        case .bodyUntilClose:
            // RFC 9112 §6.3 item 8: a close-delimited body ends when the connection closes. Without a FIN
            // (capture end, idle, eviction) the close was not seen.
            if reason != .fin && reason != .reset {
                message?.value.flags.insert(.truncated)
                message?.value.report(.truncated, "The capture ends inside a close-delimited body.", frame: frame)
            }
            complete(queue: &queue, then: .ended)
        case .fixedBody, .chunkSizeLine, .chunkData, .chunkDataEnd, .trailerLines:
            message?.value.flags.insert(.truncated)
            message?.value.report(.truncated, "The stream ends (\(reason.rawValue)) inside the message body.", frame: frame)
            complete(queue: &queue, then: .ended)
        case .startLine(.first), .startLine(.next), .headerLines:
            if !pending.isEmpty {
                queue.report(
                    anomaly(.truncated, "The stream ends (\(reason.rawValue)) inside a message head.", frame: pendingFrame))
            }
        case .startLine(.resync(var resync)), .discardingLine(var resync):
            resync.skipped += pending.count
            reportResync(resync, found: false, queue: &queue)
        case .ignoring, .ended:
            break
        }
        pending = []
        state = .ended
    }

    // MARK: - Heads

    private mutating func startLine(
        _ bytes: UnsafeRawBufferPointer, _ offset: Int, _ context: LineContext, frame: FrameNumber, time: Timestamp,
        queue: inout ExchangeQueue
    ) -> Int {
        var position = offset
        if pending.isEmpty {
            // RFC 9112 §2.2: ignore empty lines received before a start line.
            while position < bytes.count && (bytes[position] == ASCII.cr || bytes[position] == ASCII.lf) { position += 1 }
            if case .resync(var resync) = context, position > offset {
                resync.skipped += position - offset
                state = .startLine(.resync(resync))
                return position
            }
            guard position < bytes.count else { return position }
            pendingFrame = frame
            pendingTime = time
        }
        let lineFeed = ASCII.firstLineFeed(in: bytes, from: position)
        let end = lineFeed.map { $0 + 1 } ?? bytes.count
        guard pending.count + (end - position) <= limits.maxStartLineLength else {
            rejectStartLine(context, lineComplete: lineFeed != nil, extra: end - position, frame: frame, queue: &queue)
            return end
        }
        pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[position..<end]))
        guard lineFeed != nil else {
            let verdict = pending.withUnsafeBytes {
                StartLine.prefixVerdict($0, role: role, maxMethodLength: limits.maxMethodLength)
            }
            if verdict == .impossible { rejectStartLine(context, lineComplete: false, extra: 0, frame: frame, queue: &queue) }
            return end
        }
        let isValid = pending.withUnsafeBytes { raw -> Bool in
            var length = raw.count - 1
            if length > 0 && raw[length - 1] == ASCII.cr { length -= 1 }
            let line = UnsafeRawBufferPointer(rebasing: raw[..<length])
            switch role {
            case .request: return StartLine.parseRequest(line) != nil
            case .response: return StartLine.parseStatus(line) != nil
            }
        }
        guard isValid else {
            rejectStartLine(context, lineComplete: true, extra: 0, frame: frame, queue: &queue)
            return end
        }
        if case .resync(let resync) = context { reportResync(resync, found: true, queue: &queue) }
        state = .headerLines(lineStart: pending.count, lines: 0)
        return end
    }

    /// The line in `pending` (plus `extra` bytes not appended) cannot be a start line.
    private mutating func rejectStartLine(
        _ context: LineContext, lineComplete: Bool, extra: Int, frame: FrameNumber, queue: inout ExchangeQueue
    ) {
        var resync: Resync
        switch context {
        case .first:
            signal = .notHTTP
            stop()
            return
        case .next:
            queue.report(
                anomaly(
                    .badStartLine,
                    role == .request ? "Bytes where a request line must start are not one." : "Bytes where a status line must start are not one.",
                    frame: pendingFrame))
            resync = Resync(skipped: 0, frame: pendingFrame)
        case .resync(let progress):
            resync = progress
        }
        resync.skipped += pending.count + extra
        pending.removeAll(keepingCapacity: true)
        state = lineComplete ? .startLine(.resync(resync)) : .discardingLine(resync)
        checkScanBudget(resync)
    }

    private mutating func headerLines(
        _ bytes: UnsafeRawBufferPointer, _ offset: Int, lineStart: Int, lines: Int, frame: FrameNumber,
        time: Timestamp, queue: inout ExchangeQueue
    ) -> Int {
        let lineFeed = ASCII.firstLineFeed(in: bytes, from: offset)
        let end = lineFeed.map { $0 + 1 } ?? bytes.count
        guard pending.count + (end - offset) <= limits.maxHeaderSectionSize, lines <= limits.maxHeaderCount else {
            let what = lines > limits.maxHeaderCount ? "more than \(limits.maxHeaderCount) field lines" : "more than \(limits.maxHeaderSectionSize) bytes"
            let problem = anomaly(.headerLimit, "The header section has \(what); the message is dropped.", frame: pendingFrame)
            lost([problem], queue: &queue)
            let resync = Resync(skipped: 0, frame: frame)
            state = lineFeed == nil ? .discardingLine(resync) : .startLine(.resync(resync))
            return end
        }
        pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
        guard lineFeed != nil else { return end }
        if isEmptyLine(from: lineStart) {
            completeHead(frame: frame, time: time, queue: &queue)
        } else {
            state = .headerLines(lineStart: pending.count, lines: lines + 1)
        }
        return end
    }

    /// True when `pending[lineStart...]` is CRLF or LF.
    private func isEmptyLine(from lineStart: Int) -> Bool {
        let length = pending.count - lineStart
        return length == 1 || (length == 2 && pending[lineStart] == ASCII.cr)
    }

    private mutating func completeHead(frame: FrameNumber, time: Timestamp, queue: inout ExchangeQueue) {
        // The head takes the collected bytes over (no copy); the next message starts a new buffer,
        // so an idle connection keeps no spare line buffer.
        let section = pending
        pending = []
        guard let (head, problems) = HeadParser.parseHead(section, role: role) else {
            // Unreachable: startLine() validated the line. Treat as a bad start line all the same.
            lost([anomaly(.badStartLine, "The start line could not be parsed.", frame: pendingFrame)], queue: &queue)
            state = .startLine(.resync(Resync(skipped: section.count, frame: pendingFrame)))
            return
        }
        messagesParsed += 1
        var builder = MessageBuilder(
            head: head, firstFrame: pendingFrame, firstTime: pendingTime, lastFrame: pendingFrame, lastTime: pendingTime,
            connectionIndex: connectionIndex, direction: direction)
        builder.touch(frame: frame, time: time)
        for problem in problems where problem.kind != .obsFold || !builder.flags.contains(.obsFold) {
            if problem.kind == .obsFold { builder.flags.insert(.obsFold) }
            builder.report(problem.kind, problem.message, frame: pendingFrame)
        }
        builder.contentCodings = head.headers.listElements(for: "Content-Encoding")

        let decision: FramingRules.Decision
        switch head {
        case .request(let request):
            decision = FramingRules.decide(request: request)
            builder.exchangeIndex = queue.openRequest(method: request.method, frame: pendingFrame)
        case .response(let response):
            decision = FramingRules.decide(response: response, requestMethod: queue.methodAwaitingResponse)
        }
        let isDropped = role == .request && builder.exchangeIndex == nil
        switch decision {
        case .framing(let framing, let transferCodings, let framingProblems):
            for problem in framingProblems { builder.report(problem.kind, problem.message, frame: pendingFrame) }
            builder.framing = framing
            builder.transferCodings = transferCodings
            builder.chooseStorage(policy: configuration.bodyPolicy, isDropped: isDropped)
            message = MessageBox(builder)
            switch framing {
            case .none, .contentLength(0): complete(queue: &queue)
            case .contentLength(let length): state = .fixedBody(remaining: length)
            case .chunked: state = .chunkSizeLine
            case .untilClose: state = .bodyUntilClose
            }
        case .unknown(let problem):
            builder.report(problem.kind, problem.message, frame: pendingFrame)
            builder.flags.insert(.framingError)
            message = MessageBox(builder)
            complete(queue: &queue, then: .startLine(.resync(Resync(skipped: 0, frame: frame))))
        case .tunnel:
            message = MessageBox(builder)
            complete(queue: &queue, then: .ignoring)
            signal = .tunnel
        }
    }

    // MARK: - Chunked transfer coding (RFC 9112 §7.1)

    private mutating func chunkSizeLine(
        _ bytes: UnsafeRawBufferPointer, _ offset: Int, frame: FrameNumber, queue: inout ExchangeQueue
    ) -> Int {
        guard let (end, isComplete) = collectLine(bytes, offset, limit: limits.maxChunkLineLength) else {
            badChunk("A chunk-size line is longer than \(limits.maxChunkLineLength) bytes.", frame: frame, queue: &queue)
            return bytes.count
        }
        guard isComplete else { return end }
        // chunk = chunk-size [ chunk-ext ] CRLF; chunk-size = 1*HEXDIG; chunk-ext = *( BWS ";" … ).
        var size: UInt64 = 0
        var digits = 0
        var index = 0
        while index < pending.count, let digit = ASCII.hexValue(pending[index]) {
            let (shifted, overflow) = size.multipliedReportingOverflow(by: 16)
            guard !overflow else {
                badChunk("A chunk size overflows 64 bits.", frame: frame, queue: &queue)
                return end
            }
            size = shifted | digit
            digits += 1
            index += 1
        }
        while index < pending.count && ASCII.isWhitespace(pending[index]) { index += 1 }
        let rest = pending.count - index
        let isLineEnd = rest == 1 || (rest == 2 && pending[index] == ASCII.cr)
        guard digits > 0, isLineEnd || pending[index] == ASCII.semicolon else {
            badChunk("A chunk-size line is not hexadecimal.", frame: frame, queue: &queue)
            return end
        }
        guard let length = Int(exactly: size) else {
            badChunk("A chunk size of \(size) bytes cannot be handled.", frame: frame, queue: &queue)
            return end
        }
        message?.value.wireBodyLength += pending.count
        pending.removeAll(keepingCapacity: true)
        state = length == 0 ? .trailerLines(lineStart: 0, lines: 0) : .chunkData(remaining: length)
        return end
    }

    private mutating func chunkDataEnd(
        _ bytes: UnsafeRawBufferPointer, _ offset: Int, frame: FrameNumber, queue: inout ExchangeQueue
    ) -> Int {
        guard let (end, isComplete) = collectLine(bytes, offset, limit: 2) else {
            badChunk("Chunk data is not followed by CRLF.", frame: frame, queue: &queue)
            return offset  // reparse these bytes as a possible start line
        }
        guard isComplete else {
            if pending != [ASCII.cr] { badChunk("Chunk data is not followed by CRLF.", frame: frame, queue: &queue) }
            return end
        }
        guard isEmptyLine(from: 0) else {
            badChunk("Chunk data is not followed by CRLF.", frame: frame, queue: &queue)
            return end
        }
        message?.value.wireBodyLength += pending.count
        pending.removeAll(keepingCapacity: true)
        state = .chunkSizeLine
        return end
    }

    private mutating func trailerLines(
        _ bytes: UnsafeRawBufferPointer, _ offset: Int, lineStart: Int, lines: Int, frame: FrameNumber,
        queue: inout ExchangeQueue
    ) -> Int {
        guard lines <= limits.maxHeaderCount,
            let (end, isComplete) = collectLine(bytes, offset, limit: limits.maxHeaderSectionSize)
        else {
            message?.value.report(.headerLimit, "The trailer section exceeds the header limits.", frame: frame)
            message?.value.flags.insert(.framingError)
            complete(queue: &queue, then: .startLine(.resync(Resync(skipped: 0, frame: frame))))
            return offset
        }
        guard isComplete else { return end }
        guard isEmptyLine(from: lineStart) else {
            state = .trailerLines(lineStart: pending.count, lines: lines + 1)
            return end
        }
        message?.value.wireBodyLength += pending.count
        if lineStart > 0 {
            let (trailers, problems) = HeadParser.parseTrailers(pending)
            message?.value.trailers = trailers
            for problem in problems { message?.value.report(problem.kind, problem.message, frame: frame) }
        }
        pending.removeAll(keepingCapacity: true)
        complete(queue: &queue)
        return end
    }

    /// The chunk framing is broken: end the message and resynchronise.
    private mutating func badChunk(_ text: String, frame: FrameNumber, queue: inout ExchangeQueue) {
        message?.value.report(.badChunk, text, frame: frame)
        message?.value.flags.insert(.framingError)
        let skipped = pending.count
        pending.removeAll(keepingCapacity: true)
        complete(queue: &queue, then: .startLine(.resync(Resync(skipped: skipped, frame: frame))))
    }

    /// Appends bytes up to and including the next LF to `pending`: the new offset and whether the
    /// line is complete, or nil (nothing appended) when `pending` would exceed `limit`.
    private mutating func collectLine(_ bytes: UnsafeRawBufferPointer, _ offset: Int, limit: Int) -> (Int, Bool)? {
        let lineFeed = ASCII.firstLineFeed(in: bytes, from: offset)
        let end = lineFeed.map { $0 + 1 } ?? bytes.count
        guard pending.count + (end - offset) <= limit else { return nil }
        pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
        return (end, lineFeed != nil)
    }

    // MARK: - Bodies and message ends

    private mutating func body(_ bytes: UnsafeRawBufferPointer, frame: FrameNumber) {
        guard !bytes.isEmpty, message != nil else { return }
        message!.value.wireBodyLength += bytes.count  // checked non-nil just above
        message!.value.appendPayload(bytes, limits: limits, frame: frame)
    }

    private mutating func loseBody(_ length: Int, frame: FrameNumber) {
        guard message != nil else { return }
        if !message!.value.flags.contains(.gap) {  // checked non-nil just above
            message!.value.report(.gap, "Bytes of the body were lost by the capture; the stored body stops there.", frame: frame)
        }
        message!.value.loseBytes(length, frame: frame)
    }

    /// Bytes at (or after the start of) a message head were lost: the message is gone.
    private mutating func lostAtBoundary(_ length: Int, frame: FrameNumber, queue: inout ExchangeQueue) {
        let text =
            pending.isEmpty
            ? "\(length) bytes were lost by the capture where a message starts; the message is dropped."
            : "\(length) bytes were lost by the capture inside a message head; the message is dropped."
        lost([anomaly(.gap, text, frame: frame)], queue: &queue)
        state = .startLine(.resync(Resync(skipped: 0, frame: frame)))
    }

    /// A message whose head did not complete: its place in the FIFO is kept.
    private mutating func lost(_ anomalies: [HTTPAnomaly], queue: inout ExchangeQueue) {
        pending.removeAll(keepingCapacity: true)
        switch role {
        case .request: queue.requestLost(anomalies: anomalies)
        case .response: queue.responseLost(anomalies: anomalies)
        }
    }

    /// Finishes the current message and hands it to the queue.
    private mutating func complete(queue: inout ExchangeQueue, then next: State = .startLine(.next)) {
        state = next
        guard let box = message else { return }
        message = nil
        box.value.finishBody(limits: limits, frame: box.value.lastFrame)
        let builder = box.value
        unstoredBodyBytes += builder.unstoredBytes
        switch builder.head {
        case .request(let head):
            guard let index = builder.exchangeIndex else {
                return builder.anomalies.forEach(queue.report)  // dropped over maxOutstandingRequests
            }
            queue.completeRequest(builder.message(head), index: index, anomalies: builder.anomalies)
        case .response(let head):
            queue.completeResponse(builder.message(head), anomalies: builder.anomalies)
        }
    }

    // MARK: - Resynchronisation

    private mutating func reportResync(_ resync: Resync, found: Bool, queue: inout ExchangeQueue) {
        guard resync.skipped > 0 else { return }
        resyncSkippedBytes += resync.skipped
        let text =
            found
            ? "\(resync.skipped) bytes were skipped before the next start line."
            : "\(resync.skipped) bytes were skipped without finding a start line."
        queue.report(anomaly(.resync, text, frame: resync.frame))
    }

    /// A direction that never showed HTTP gives up after `maxUnrecognizedScan` bytes.
    private mutating func checkScanBudget(_ resync: Resync) {
        guard messagesParsed == 0, resync.skipped > limits.maxUnrecognizedScan else { return }
        resyncSkippedBytes += resync.skipped
        signal = .notHTTP
        stop()
    }

    private func anomaly(_ kind: HTTPAnomaly.Kind, _ text: String, frame: FrameNumber) -> HTTPAnomaly {
        HTTPAnomaly(kind: kind, connectionIndex: connectionIndex, direction: direction, frame: frame, message: text)
    }
}

/// A `MessageBuilder` held by reference and mutated in place (one owner: its `MessageParser`).
final class MessageBox {
    var value: MessageBuilder
    init(_ value: MessageBuilder) { self.value = value }
}
