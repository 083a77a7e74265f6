import Packets

/// The out-of-order buffer of a direction: insertion with overlap checks, draining, and giving up
/// holes (acknowledged past, over a limit, or at the end of the stream).
extension HalfStream {
    /// Copies the parts of `segment` not yet buffered into the buffer (the first copy wins where it
    /// overlaps; differing bytes are a `TCP-OVERLAP` event). Returns the sequence space newly covered.
    mutating func insert(
        _ segment: SegmentView, context: StreamContext, statistics: inout ReassemblyStatistics,
        events: inout [ReassemblyEvent]
    ) -> Int {
        guard delivery == .delivering else { return 0 }
        let start = next.distance(to: segment.sequence)
        let end = start + segment.length  // both < 2^31 + 2^16: no overflow in Int
        var index = firstIndex(endingAfter: start)
        var cursor = start
        var stored = 0
        var isOverlapping = false
        while cursor < end {
            if index < pending.count {
                let entryStart = next.distance(to: pending[index].sequence)
                if entryStart < end {
                    if cursor < entryStart {
                        index += store(
                            segment, from: cursor - start, to: entryStart - start, at: index, statistics: &statistics)
                        stored += entryStart - cursor
                        cursor = entryStart
                    }
                    let overlapEnd = min(end, entryStart + pending[index].length)
                    isOverlapping = true
                    compare(
                        segment, from: cursor - start, to: overlapEnd - start, with: index,
                        at: cursor - entryStart, context: context, statistics: &statistics, events: &events)
                    cursor = overlapEnd
                    index += 1
                    continue
                }
            }
            index += store(segment, from: cursor - start, to: end - start, at: index, statistics: &statistics)
            stored += end - cursor
            cursor = end
        }
        if isOverlapping { statistics.overlaps += 1 }
        return stored
    }

    /// Index of the first buffered segment that ends after relative offset `offset` (binary search:
    /// sorted and disjoint segments have sorted ends too).
    private func firstIndex(endingAfter offset: Int) -> Int {
        var low = 0
        var high = pending.count
        while low < high {
            let middle = (low + high) / 2
            let entryEnd = next.distance(to: pending[middle].sequence) + pending[middle].length
            if entryEnd <= offset { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Buffers bytes `from ..< to` of `segment` (offsets into it) at `index`: a data entry for the
    /// captured part, a lost entry for the part the snaplen cut. Returns how many entries it added.
    private mutating func store(
        _ segment: SegmentView, from lower: Int, to upper: Int, at index: Int,
        statistics: inout ReassemblyStatistics
    ) -> Int {
        var added = 0
        let captured = segment.bytes.count
        if lower < captured {
            let dataEnd = min(upper, captured)
            // The one place bytes outlive their frame: copied into owned storage.
            let bytes = [UInt8](UnsafeRawBufferPointer(rebasing: segment.bytes[lower..<dataEnd]))
            pending.insert(
                BufferedSegment(
                    sequence: segment.sequence.advanced(by: lower), content: .data(bytes), frame: segment.frame,
                    time: segment.time),
                at: index)
            bufferedBytes += bytes.count
            statistics.buffer(bytes.count)
            added += 1
        }
        let lostStart = max(lower, captured)
        if lostStart < upper {
            pending.insert(
                BufferedSegment(
                    sequence: segment.sequence.advanced(by: lostStart), content: .lost(upper - lostStart),
                    frame: segment.frame, time: segment.time),
                at: index + added)
            added += 1
        }
        return added
    }

    /// Compares bytes `from ..< to` of `segment` with buffered entry `index` from `entryOffset` on;
    /// reports a conflicting overlap when captured bytes differ.
    private func compare(
        _ segment: SegmentView, from lower: Int, to upper: Int, with index: Int, at entryOffset: Int,
        context: StreamContext, statistics: inout ReassemblyStatistics, events: inout [ReassemblyEvent]
    ) {
        guard case .data(let stored) = pending[index].content else { return }
        let capturedEnd = min(upper, segment.bytes.count)
        guard lower < capturedEnd else { return }
        let count = capturedEnd - lower
        // entryOffset + count ≤ entry length: the overlap lies inside the entry by construction.
        let same = stored[entryOffset..<(entryOffset + count)].elementsEqual(segment.bytes[lower..<capturedEnd])
        guard !same else { return }
        statistics.conflictingOverlaps += 1
        events.append(
            .conflictingOverlap(
                connection: context.connection, direction: direction,
                sequence: segment.sequence.advanced(by: lower), length: count,
                firstFrame: pending[index].frame, frame: segment.frame))
    }

    /// Delivers the buffered segments that the stream has reached, in order.
    mutating func drain(
        context: StreamContext, consumer: inout AnyConsumer?, statistics: inout ReassemblyStatistics,
        events: inout [ReassemblyEvent]
    ) {
        var consumed = 0
        var released = 0
        while consumed < pending.count {
            let entry = pending[consumed]
            let offset = next.distance(to: entry.sequence)
            if offset > 0 { break }
            consumed += 1
            released += entry.bufferedBytes
            let skip = -offset
            guard skip < entry.length else { continue }  // already delivered by an overlapping segment
            switch entry.content {
            case .data(let bytes):
                bytes.withUnsafeBytes { raw in
                    emit(
                        UnsafeRawBufferPointer(rebasing: raw[skip...]), frame: entry.frame, time: entry.time,
                        consumer: &consumer, statistics: &statistics)
                }
            case .lost(let count):
                emitGap(
                    count - skip, cause: .truncated, context: context, frame: entry.frame, time: entry.time,
                    consumer: &consumer, statistics: &statistics, events: &events)
            }
            if delivery == .ignored { return }  // `ignore` released the whole buffer
        }
        guard consumed > 0 else { return }
        pending.removeFirst(consumed)
        bufferedBytes -= released
        statistics.buffer(-released)
    }

    /// Gives up the hole in front of the first buffered segment (a gap), then drains.
    mutating func skipFirstHole(
        cause: GapCause, context: StreamContext, consumer: inout AnyConsumer?, statistics: inout ReassemblyStatistics,
        events: inout [ReassemblyEvent]
    ) {
        guard let first = pending.first else { return }
        settleProbe(isConfirmed: true, consumer: &consumer, statistics: &statistics)
        let hole = next.distance(to: first.sequence)
        if hole > 0 {
            emitGap(hole, cause: cause, context: context, consumer: &consumer, statistics: &statistics, events: &events)
        }
        drain(context: context, consumer: &consumer, statistics: &statistics, events: &events)
    }

    /// Records the receiver's acknowledgment number and window for this direction.
    mutating func acknowledge(
        _ acknowledgment: SequenceNumber, window: UInt16, context: StreamContext, consumer: inout AnyConsumer?,
        statistics: inout ReassemblyStatistics, events: inout [ReassemblyEvent]
    ) {
        isPeerWindowZero = window == 0
        if let known = peerAcknowledged, !acknowledgment.isAfter(known) { return }
        peerAcknowledged = acknowledgment
        skipAcknowledgedHoles(context: context, consumer: &consumer, statistics: &statistics, events: &events)
    }

    /// The receiver acknowledged bytes beyond `next`, so it got them and the capture lost them: when
    /// data (or the FIN) waits behind that hole, deliver the hole as a gap up to the acknowledgment.
    ///
    /// With nothing behind the hole the gap waits for the next segment or the end of the stream:
    /// a capture that shows an ACK a little before the data it acknowledges (merged interfaces,
    /// multi-queue capture) must not turn that data into a retransmission.
    mutating func skipAcknowledgedHoles(
        context: StreamContext, consumer: inout AnyConsumer?, statistics: inout ReassemblyStatistics,
        events: inout [ReassemblyEvent]
    ) {
        guard phase == .open, let acknowledged = peerAcknowledged else { return }
        while delivery == .delivering, next.isBefore(acknowledged), !pending.isEmpty || fin != nil {
            var target = acknowledged
            if let first = pending.first, first.sequence.isBefore(target) { target = first.sequence }
            if let fin, fin.isBefore(target) { target = fin }
            settleProbe(isConfirmed: true, consumer: &consumer, statistics: &statistics)
            let hole = next.distance(to: target)
            guard hole > 0 else { break }
            emitGap(
                hole, cause: .acknowledged, context: context, consumer: &consumer, statistics: &statistics,
                events: &events)
            drain(context: context, consumer: &consumer, statistics: &statistics, events: &events)
        }
    }

    /// Ends the direction for `reason` (not `.fin`, which comes in sequence): every hole becomes a
    /// gap and the buffered data behind it is delivered; bytes known to exist beyond (up to the FIN
    /// or the receiver's acknowledgment) become a last gap; then `end`.
    mutating func terminate(
        _ reason: StreamEnd, context: StreamContext, consumer: inout AnyConsumer?,
        statistics: inout ReassemblyStatistics,
        events: inout [ReassemblyEvent]
    ) {
        guard phase != .ended else { return }
        if phase == .open, delivery == .delivering {
            let isProbeAcknowledged = peerAcknowledged.map { next.isBefore($0) } ?? false
            settleProbe(isConfirmed: isProbeAcknowledged, consumer: &consumer, statistics: &statistics)
            while delivery == .delivering, !pending.isEmpty {
                skipFirstHole(
                    cause: .streamEnded, context: context, consumer: &consumer, statistics: &statistics, events: &events
                )
            }
            if var acknowledged = peerAcknowledged {
                if let fin, fin.isBefore(acknowledged) { acknowledged = fin }
                if next.isBefore(acknowledged) {
                    emitGap(
                        next.distance(to: acknowledged), cause: .acknowledged, context: context, consumer: &consumer,
                        statistics: &statistics, events: &events)
                }
            }
            if let fin, next.isBefore(fin) {
                emitGap(
                    next.distance(to: fin), cause: .streamEnded, context: context, consumer: &consumer,
                    statistics: &statistics, events: &events)
            }
        }
        end(reason, context: context, consumer: &consumer, statistics: &statistics)
    }
}
