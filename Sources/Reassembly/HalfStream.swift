import Packets

/// A connection's consumer, boxed: the reassembly engine calls it through the protocol.
typealias AnyConsumer = any ConnectionConsumer

/// What a half-stream operation needs to know besides its own state: the frame being processed
/// and the per-direction limits. Built once per segment, passed by value.
struct StreamContext {
    /// `ConnectionInfo.index`.
    var connection: Int
    /// The frame being processed (where losses become certain).
    var frame: FrameNumber
    /// Its capture time.
    var time: Timestamp
    /// `ReassemblyLimits.maxBufferedBytesPerDirection`.
    var maxBufferedBytes: Int
    /// `ReassemblyLimits.maxBufferedSegmentsPerDirection`.
    var maxBufferedSegments: Int

    /// The context of `connection` at `frame`.
    @inline(__always)
    init(connection: Int, frame: FrameNumber, time: Timestamp, limits: ReassemblyLimits) {
        self.connection = connection
        self.frame = frame
        self.time = time
        maxBufferedBytes = limits.maxBufferedBytesPerDirection
        maxBufferedSegments = limits.maxBufferedSegmentsPerDirection
    }
}

/// One direction of a connection: where its byte stream stands, what is buffered ahead of a hole,
/// and whether it is still delivered. The reassembly rules live here.
///
/// Invariants: every buffered segment starts strictly after `next` (after each operation), and the
/// buffered segments are sorted and disjoint; so ordering them by `next.distance(to:)` is sound as
/// long as the window stays under 2^31 bytes (RFC 7323 caps it at 2^30).
struct HalfStream {
    /// Where the direction stands in its life.
    enum Phase: Equatable {
        /// The first sequence number is not known yet (no SYN and no data seen from this side).
        case unsynchronized
        /// `next` is the sequence number of the next byte to deliver.
        case open
        /// `end` was delivered; nothing more happens.
        case ended
    }

    /// Whether bytes go to the consumer.
    enum Delivery: Equatable {
        /// Bytes are delivered and out-of-order data is buffered.
        case delivering
        /// The consumer lost interest (or there is none): only sequence numbers are tracked.
        case ignored
    }

    /// A 1-byte zero-window probe (sent at `next` into a zero window), held back: the receiver
    /// probably dropped it and the byte will come again, but if the stream goes on right after it
    /// (or the receiver acknowledges it) it was accepted and is delivered then.
    struct HeldProbe {
        var byte: UInt8
        var frame: FrameNumber
        var time: Timestamp
    }

    /// The direction, for the consumer calls.
    let direction: Direction
    /// Life cycle.
    var phase = Phase.unsynchronized
    /// Delivering or ignored.
    var delivery: Delivery
    /// Sequence number of the next byte to deliver (meaningful once `open`).
    var next = SequenceNumber(0)
    /// The sender's initial sequence number, when its SYN was seen.
    var initialSequence: SequenceNumber?
    /// Sequence number of the sender's FIN, once seen (the byte after its last data byte).
    var fin: SequenceNumber?
    /// Highest acknowledgment number the receiver sent for this direction.
    var peerAcknowledged: SequenceNumber?
    /// The receiver's last advertised window was zero.
    var isPeerWindowZero = false
    /// A zero-window probe held back at `next`.
    var probe: HeldProbe?
    /// Out-of-order segments, sorted and disjoint, all after `next`.
    var pending: [BufferedSegment] = []
    /// Bytes held in `pending`.
    var bufferedBytes = 0
    /// Bytes delivered or skipped as gaps so far (the stream offset of `next`).
    var streamOffset = 0
    /// The consumer asked to ignore the whole connection; the flow passes it on to the other half.
    var isConnectionIgnoreRequested = false

    /// A direction with nothing seen yet.
    init(direction: Direction, delivery: Delivery) {
        self.direction = direction
        self.delivery = delivery
    }

    /// The SYN (or SYN-ACK) of this side: the stream starts after it.
    mutating func synchronize(initialSequence isn: SequenceNumber) {
        guard phase == .unsynchronized else { return }
        initialSequence = isn
        next = isn.advanced(by: 1)  // the SYN occupies one sequence number (RFC 9293 §3.4)
        phase = .open
    }

    /// Starts the stream at `sequence` without a SYN (mid-stream pick-up, or SYN-ACK not captured).
    mutating func synchronize(at sequence: SequenceNumber) {
        guard phase == .unsynchronized else { return }
        next = sequence
        phase = .open
    }

    /// True for a keep-alive: no SYN/FIN/RST, 0 or 1 byte at `next - 1` (RFC 9293 §3.8.4).
    func isKeepAlive(sequence: SequenceNumber, length: Int) -> Bool {
        phase == .open && length <= 1 && next.distance(to: sequence) == -1
    }

    // MARK: - Segments

    /// Places one segment's payload (`length > 0`): delivers it when in order (without copying),
    /// drops what was already seen, buffers (copies) what is ahead of a hole.
    mutating func accept(
        _ input: SegmentView, context: StreamContext, consumer: inout AnyConsumer?,
        statistics: inout ReassemblyStatistics, events: inout [ReassemblyEvent]
    ) {
        guard phase == .open else { return }
        var segment = input
        if let fin {
            // Nothing follows the FIN in sequence space (RFC 9293 §3.10.7.4): clip what claims to.
            let room = segment.sequence.distance(to: fin)
            guard room > 0 else {
                statistics.retransmissions += 1
                return
            }
            if segment.length > room { segment.keepFirst(room) }
        }
        guard delivery == .delivering else {
            let end = segment.sequence.advanced(by: segment.length)
            if next.distance(to: end) > 0 { next = end }
            return
        }

        var offset = next.distance(to: segment.sequence)
        if let held = probe {
            if offset <= 0, offset + segment.length > 0 {
                probe = nil  // the byte came again with the real data: the probe was dropped
            } else if offset == 1 {
                // The stream goes on right after the probe: the receiver took it.
                releaseProbe(held, consumer: &consumer, statistics: &statistics)
                offset = 0
            }
        }
        if offset + segment.length <= 0 {
            statistics.retransmissions += 1
            return
        }
        if offset < 0 {
            statistics.partialRetransmissions += 1
            segment.dropFirst(-offset)
            offset = 0
        }
        if offset == 0, segment.length == 1, segment.missing == 0, isPeerWindowZero, pending.isEmpty {
            statistics.zeroWindowProbes += 1
            probe = HeldProbe(byte: segment.bytes[0], frame: segment.frame, time: segment.time)
            return
        }

        var isLimitReported = false
        while delivery == .delivering {
            if offset == 0 {
                deliverInOrder(segment, context: context, consumer: &consumer, statistics: &statistics, events: &events)
                return
            }
            if offset < 0 {
                // A limit skip delivered part of it already.
                guard offset + segment.length > 0 else { return }
                segment.dropFirst(-offset)
                offset = 0
                continue
            }
            if let kind = exceededLimit(adding: segment, context: context) {
                if !isLimitReported {
                    isLimitReported = true
                    switch kind {
                    case .directionBufferedBytes: statistics.directionBufferLimitHits += 1
                    case .directionBufferedSegments: statistics.directionSegmentLimitHits += 1
                    case .totalBufferedBytes: statistics.totalBufferLimitHits += 1
                    }
                    events.append(
                        .limit(kind, connection: context.connection, direction: direction, frame: context.frame))
                }
                if pending.isEmpty {
                    // Nothing to give up but the hole in front of this very segment.
                    settleProbe(isConfirmed: true, consumer: &consumer, statistics: &statistics)
                    let hole = next.distance(to: segment.sequence)
                    if hole > 0 {
                        emitGap(
                            hole, cause: .bufferLimit, context: context, consumer: &consumer, statistics: &statistics,
                            events: &events)
                    }
                } else {
                    skipFirstHole(
                        cause: .bufferLimit, context: context, consumer: &consumer, statistics: &statistics,
                        events: &events)
                }
                offset = next.distance(to: segment.sequence)
                continue
            }
            let stored = insert(segment, context: context, statistics: &statistics, events: &events)
            if stored > 0 {
                statistics.outOfOrderSegments += 1
            } else {
                statistics.retransmissions += 1  // every byte was already buffered
            }
            skipAcknowledgedHoles(context: context, consumer: &consumer, statistics: &statistics, events: &events)
            return
        }
    }

    /// Delivers a segment that starts at `next`: straight from the frame up to the first buffered
    /// segment, the rest through the buffer (where the first copy wins), then whatever it unblocked.
    private mutating func deliverInOrder(
        _ input: SegmentView, context: StreamContext, consumer: inout AnyConsumer?,
        statistics: inout ReassemblyStatistics, events: inout [ReassemblyEvent]
    ) {
        guard let first = pending.first else {
            // The fast path: no copy, no allocation.
            emit(input, context: context, consumer: &consumer, statistics: &statistics, events: &events)
            return
        }
        var segment = input
        let room = next.distance(to: first.sequence)  // > 0 by the invariant
        if segment.length > room {
            var rest = segment
            rest.dropFirst(room)
            segment.keepFirst(room)
            _ = insert(rest, context: context, statistics: &statistics, events: &events)
        }
        emit(segment, context: context, consumer: &consumer, statistics: &statistics, events: &events)
        drain(context: context, consumer: &consumer, statistics: &statistics, events: &events)
    }

    /// The limit that buffering `segment` would exceed, if any (checked with its whole size).
    private func exceededLimit(adding segment: SegmentView, context: StreamContext) -> ReassemblyLimitKind? {
        if pending.count >= context.maxBufferedSegments { return .directionBufferedSegments }
        if bufferedBytes + segment.bytes.count > context.maxBufferedBytes { return .directionBufferedBytes }
        return nil
    }

    /// Ends the direction with `.fin` if its FIN has been reached in sequence (or at once when the
    /// direction is ignored: nothing is delivered, so order does not matter).
    mutating func endIfFinReached(
        context: StreamContext, consumer: inout AnyConsumer?, statistics: inout ReassemblyStatistics
    ) {
        guard phase == .open, let fin, delivery == .ignored || next == fin else { return }
        end(.fin, context: context, consumer: &consumer, statistics: &statistics)
    }

    /// Marks the direction ended, releases its buffer, and tells the consumer.
    mutating func end(
        _ reason: StreamEnd, context: StreamContext, consumer: inout AnyConsumer?,
        statistics: inout ReassemblyStatistics
    ) {
        guard phase != .ended else { return }
        phase = .ended
        probe = nil
        pending = []
        statistics.buffer(-bufferedBytes)
        bufferedBytes = 0
        consumer?.end(reason, direction: direction, frame: context.frame, time: context.time)
    }

    /// Stops delivering and buffering this direction; sequence numbers are still tracked.
    mutating func ignore(statistics: inout ReassemblyStatistics) {
        delivery = .ignored
        statistics.buffer(-bufferedBytes)
        bufferedBytes = 0
        pending = []
        probe = nil
    }

    // MARK: - Delivery primitives

    /// Hands a segment at `next` to the consumer (borrowed bytes), then a gap for its snaplen-cut tail.
    private mutating func emit(
        _ segment: SegmentView, context: StreamContext, consumer: inout AnyConsumer?,
        statistics: inout ReassemblyStatistics, events: inout [ReassemblyEvent]
    ) {
        emit(segment.bytes, frame: segment.frame, time: segment.time, consumer: &consumer, statistics: &statistics)
        if segment.missing > 0 {
            emitGap(
                segment.missing, cause: .truncated, context: context, frame: segment.frame, time: segment.time,
                consumer: &consumer, statistics: &statistics, events: &events)
        }
    }

    /// Hands `bytes` (valid for the call) to the consumer and advances `next` past them.
    @inline(__always)
    mutating func emit(
        _ bytes: UnsafeRawBufferPointer, frame: FrameNumber, time: Timestamp, consumer: inout AnyConsumer?,
        statistics: inout ReassemblyStatistics
    ) {
        guard !bytes.isEmpty else { return }
        next = next.advanced(by: bytes.count)
        streamOffset += bytes.count
        guard delivery == .delivering else { return }
        statistics.bytesDelivered += bytes.count
        if let interest = consumer?.receive(bytes, direction: direction, frame: frame, time: time) {
            apply(interest, statistics: &statistics)
        }
    }

    /// Tells the consumer (and the event list) that `length` bytes at `next` will never come.
    mutating func emitGap(
        _ length: Int, cause: GapCause, context: StreamContext, frame: FrameNumber? = nil, time: Timestamp? = nil,
        consumer: inout AnyConsumer?, statistics: inout ReassemblyStatistics, events: inout [ReassemblyEvent]
    ) {
        guard length > 0 else { return }
        let sequence = next
        let offset = streamOffset
        next = next.advanced(by: length)
        streamOffset += length
        guard delivery == .delivering else { return }
        let frame = frame ?? context.frame
        statistics.gaps += 1
        statistics.gapBytes += length
        events.append(
            .gap(
                connection: context.connection, direction: direction, sequence: sequence, streamOffset: offset,
                length: length, cause: cause, frame: frame))
        if let interest = consumer?.gap(length: length, direction: direction, frame: frame, time: time ?? context.time)
        {
            apply(interest, statistics: &statistics)
        }
    }

    /// Acts on what the consumer returned.
    private mutating func apply(_ interest: ConsumerInterest, statistics: inout ReassemblyStatistics) {
        switch interest {
        case .all:
            break
        case .ignoreDirection:
            ignore(statistics: &statistics)
        case .ignoreConnection:
            ignore(statistics: &statistics)
            isConnectionIgnoreRequested = true
        }
    }

    /// Delivers a held probe byte at `next`: it turned out to be accepted data.
    private mutating func releaseProbe(
        _ held: HeldProbe, consumer: inout AnyConsumer?, statistics: inout ReassemblyStatistics
    ) {
        probe = nil
        withUnsafeBytes(of: held.byte) { bytes in
            emit(bytes, frame: held.frame, time: held.time, consumer: &consumer, statistics: &statistics)
        }
    }

    /// Before `next` jumps: delivers a held probe when the receiver took it, else forgets it.
    mutating func settleProbe(
        isConfirmed: Bool, consumer: inout AnyConsumer?, statistics: inout ReassemblyStatistics
    ) {
        guard let held = probe else { return }
        if isConfirmed {
            releaseProbe(held, consumer: &consumer, statistics: &statistics)
        } else {
            probe = nil
        }
    }
}
