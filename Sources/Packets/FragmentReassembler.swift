/// The network header of a datagram under reassembly, taken from its offset-0 fragment.
package enum DatagramHeader: Hashable, Sendable {
    /// IPv4: the first fragment's header.
    case ipv4(IPv4Info)
    /// IPv6: the first fragment's header (its chain ends with the fragment header), the protocol
    /// after the fragment header, and the bytes of extension headers before the fragment header.
    case ipv6(IPv6Info, upperProtocol: IPProtocol, unfragmentableLength: Int)
}

/// One fragment handed to the reassembler; `data` is borrowed for the call only.
package struct Fragment {
    /// The datagram it belongs to.
    package var key: FragmentKey
    /// Offset of `data` in the datagram's payload, in bytes.
    package var offset: Int
    /// The fragment's data, complete (never a snaplen-cut fragment).
    package var data: UnsafeRawBufferPointer
    /// More fragments follow.
    package var moreFragments: Bool
    /// This fragment's header (kept when `offset` is 0).
    package var header: DatagramHeader
    /// Capture time.
    package var time: Timestamp
    /// The frame and the offset of the IP header in it.
    package var location: Location
}

/// A datagram whose fragments all arrived: header, owned payload, and the contributing frames.
package struct CompletedDatagram: Sendable {
    /// The offset-0 fragment's header.
    package var header: DatagramHeader
    /// The reassembled IP payload (after the fragment header for IPv6).
    package var payload: [UInt8]
    /// Frames that contributed bytes, in arrival order.
    package var frames: [FrameNumber]
}

/// What the reassembler did with a fragment.
package enum FragmentOutcome {
    /// Buffered, waiting for the rest.
    case held
    /// Every byte was already there (with the same data, or with different data and an overlap event).
    case duplicate
    /// Not used: malformed against earlier fragments, or a limit was hit (an event says which).
    case dropped
    /// This fragment completed the datagram.
    case completed(CompletedDatagram)
}

/// IP fragment reassembly for IPv4 and IPv6 (RFC 791 §3.2, RFC 8200 §4.5, RFC 815 hole tracking).
///
/// Fragments may arrive in any order and be duplicated; where they overlap, the bytes that arrived
/// first win (as BSD does; conflicting data is an `IP-FRAG-OVERLAP` event, since a difference is
/// how overlap evasion attacks show). A datagram must complete within `limits.timeoutNanoseconds`
/// of capture time after its first fragment. Memory is bounded per datagram and overall; every
/// limit hit drops a datagram and is an `IP-FRAG-LIMIT` event. This is the only place in `Packets`
/// that copies bytes.
package struct FragmentReassembler {
    private struct PendingDatagram {
        var header: DatagramHeader?
        var firstSeen: Timestamp
        var firstLocation: Location
        var creation: UInt64
        var frames: [FrameNumber] = []
        var buffer: [UInt8] = []
        /// Received byte ranges: sorted, disjoint and not adjacent (merged on insert).
        var covered: [Range<Int>] = []
        /// Payload length, known once the last fragment (MF = 0) arrived.
        var end: Int?
        var fragmentCount = 0
    }

    /// The limits in force.
    package var limits: FragmentLimits
    private var pending: [FragmentKey: PendingDatagram] = [:]
    /// Bytes buffered over all pending datagrams.
    package private(set) var bufferedBytes = 0
    private var creationCounter: UInt64 = 0
    /// A lower bound of the pending datagrams' first-seen times (exact after each expiry scan).
    private var earliestFirstSeen: Timestamp?

    /// An empty reassembler.
    package init(limits: FragmentLimits) { self.limits = limits }

    /// Number of datagrams waiting for fragments.
    package var pendingCount: Int { pending.count }

    /// Adds a fragment; appends events for overlaps and limits, and counts in `statistics`.
    package mutating func add(
        _ fragment: Fragment, events: inout [PacketEvent], statistics: inout PacketStatistics
    ) -> FragmentOutcome {
        let start = fragment.offset
        let length = fragment.data.count
        let end = start + length  // offset ≤ 65528 and length ≤ 65535 (IP length fields): no overflow
        let key = fragment.key

        if end > limits.maxDatagramBytes {
            drop(
                key, extraFrame: fragment.location.frame, kind: .datagramBytes, fallback: fragment.location,
                events: &events, statistics: &statistics)
            return .dropped
        }

        var datagram: PendingDatagram
        if let existing = pending.removeValue(forKey: key) {
            datagram = existing
        } else {
            while pending.count >= max(limits.maxPendingDatagrams, 1),
                evictOldest(.pendingDatagrams, events: &events, statistics: &statistics)
            {}
            creationCounter += 1
            datagram = PendingDatagram(
                firstSeen: fragment.time, firstLocation: fragment.location, creation: creationCounter)
            if let earliest = earliestFirstSeen {
                earliestFirstSeen = min(earliest, fragment.time)
            } else {
                earliestFirstSeen = fragment.time
            }
        }

        // Consistency with the datagram end (RFC 8200 §4.5 and RFC 791: the last fragment fixes it).
        let coveredEnd = datagram.covered.last?.upperBound ?? 0
        if let datagramEnd = datagram.end, end > datagramEnd || (!fragment.moreFragments && end != datagramEnd) {
            return reject(
                .fragmentBeyondEnd(fragmentEnd: end, datagramEnd: datagramEnd), datagram, key, fragment, &events)
        }
        if !fragment.moreFragments, coveredEnd > end {
            return reject(
                .fragmentBeyondEnd(fragmentEnd: coveredEnd, datagramEnd: end), datagram, key, fragment, &events)
        }

        // Overlaps: compare before copying; the first-received bytes stay.
        var overlaps = false
        var conflicts = false
        var fullyCovered = false
        datagram.buffer.withUnsafeBytes { buffer in
            for range in datagram.covered where range.overlaps(start..<end) {
                overlaps = true
                if range.lowerBound <= start, end <= range.upperBound { fullyCovered = true }
                let common = max(range.lowerBound, start)..<min(range.upperBound, end)
                for position in common where buffer[position] != fragment.data[position - start] {
                    conflicts = true
                    break
                }
            }
        }
        if overlaps { statistics.fragmentOverlaps += 1 }
        if conflicts {
            statistics.fragmentConflicts += 1
            events.append(.fragmentOverlap(key, offset: start, length: length, at: fragment.location))
        }
        if fullyCovered || (length == 0 && fragment.moreFragments) {
            if !conflicts, overlaps { statistics.fragmentDuplicates += 1 }
            if datagram.fragmentCount > 0 { pending[key] = datagram }
            return .duplicate
        }

        if datagram.fragmentCount >= limits.maxFragmentsPerDatagram {
            pending[key] = datagram
            drop(
                key, extraFrame: fragment.location.frame, kind: .fragmentsPerDatagram, fallback: fragment.location,
                events: &events, statistics: &statistics)
            return .dropped
        }

        // Memory: evict the oldest other datagrams (as Linux's frag evictor does) before giving up on this one.
        let growth = max(0, end - datagram.buffer.count)
        while bufferedBytes + growth > limits.maxBufferedBytes,
            evictOldest(.bufferedBytes, events: &events, statistics: &statistics)
        {}
        if bufferedBytes + growth > limits.maxBufferedBytes {
            pending[key] = datagram
            drop(
                key, extraFrame: fragment.location.frame, kind: .bufferedBytes, fallback: fragment.location,
                events: &events, statistics: &statistics)
            return .dropped
        }
        if growth > 0 {
            datagram.buffer.append(contentsOf: repeatElement(0, count: growth))
            bufferedBytes += growth
            statistics.fragmentPeakBufferedBytes = max(statistics.fragmentPeakBufferedBytes, bufferedBytes)
        }

        // Copy only the holes this fragment fills.
        datagram.buffer.withUnsafeMutableBytes { buffer in
            var cursor = start
            func copy(_ range: Range<Int>) {
                guard !range.isEmpty else { return }
                // Both ranges lie inside their buffers: range ⊆ start..<end ⊆ 0..<buffer.count.
                UnsafeMutableRawBufferPointer(rebasing: buffer[range]).copyMemory(
                    from: UnsafeRawBufferPointer(
                        rebasing: fragment.data[(range.lowerBound - start)..<(range.upperBound - start)]))
            }
            for range in datagram.covered {
                if range.upperBound <= cursor { continue }
                if range.lowerBound >= end { break }
                if range.lowerBound > cursor { copy(cursor..<range.lowerBound) }
                cursor = max(cursor, range.upperBound)
            }
            if cursor < end { copy(cursor..<end) }
        }
        insert(start..<end, into: &datagram.covered)

        if start == 0, datagram.header == nil { datagram.header = fragment.header }
        if !fragment.moreFragments { datagram.end = end }
        datagram.frames.append(fragment.location.frame)
        datagram.fragmentCount += 1

        if let datagramEnd = datagram.end, let header = datagram.header, datagram.covered.count == 1,
            datagram.covered[0] == 0..<datagramEnd
        {
            bufferedBytes -= datagram.buffer.count
            if pending.isEmpty { earliestFirstSeen = nil }
            statistics.datagramsReassembled += 1
            return .completed(CompletedDatagram(header: header, payload: datagram.buffer, frames: datagram.frames))
        }
        pending[key] = datagram
        return .held
    }

    /// Drops datagrams whose first fragment is older than the timeout at `now`, with an
    /// `IP-FRAG-TIMEOUT` event each. Cheap (one comparison) unless one is due.
    package mutating func expire(now: Timestamp, events: inout [PacketEvent], statistics: inout PacketStatistics) {
        guard let earliest = earliestFirstSeen, earliest.nanoseconds(to: now) > limits.timeoutNanoseconds else {
            return
        }
        let expired = pending.filter { $0.value.firstSeen.nanoseconds(to: now) > limits.timeoutNanoseconds }
        for (key, datagram) in expired.sorted(by: { $0.value.creation < $1.value.creation }) {
            pending[key] = nil
            bufferedBytes -= datagram.buffer.count
            statistics.fragmentTimeouts += 1
            events.append(
                .fragmentTimeout(
                    key, frames: datagram.frames, bufferedBytes: datagram.buffer.count,
                    at: datagram.firstLocation))
        }
        earliestFirstSeen = pending.values.map(\.firstSeen).min()
    }

    /// Drops every pending datagram with an `IP-FRAG-INCOMPLETE` event each (end of capture).
    package mutating func flush(events: inout [PacketEvent], statistics: inout PacketStatistics) {
        for (key, datagram) in pending.sorted(by: { $0.value.creation < $1.value.creation }) {
            statistics.fragmentIncomplete += 1
            events.append(
                .fragmentIncomplete(
                    key, frames: datagram.frames, bufferedBytes: datagram.buffer.count,
                    at: datagram.firstLocation))
        }
        pending.removeAll()
        bufferedBytes = 0
        earliestFirstSeen = nil
    }

    // MARK: - Helpers

    /// Puts `datagram` back and reports a fragment that contradicts it (the fragment is not used).
    private mutating func reject(
        _ reason: MalformedReason, _ datagram: PendingDatagram, _ key: FragmentKey, _ fragment: Fragment,
        _ events: inout [PacketEvent]
    ) -> FragmentOutcome {
        pending[key] = datagram
        events.append(.malformed(.fragment, reason, at: fragment.location))
        return .dropped
    }

    /// Drops the datagram `key` (if pending) for a limit hit, listing its frames plus `extraFrame`.
    private mutating func drop(
        _ key: FragmentKey, extraFrame: FrameNumber, kind: FragmentLimitKind, fallback: Location,
        events: inout [PacketEvent], statistics: inout PacketStatistics
    ) {
        var frames: [FrameNumber] = []
        var location = fallback
        if let datagram = pending.removeValue(forKey: key) {
            bufferedBytes -= datagram.buffer.count
            frames = datagram.frames
            location = datagram.firstLocation
        }
        if frames.last != extraFrame { frames.append(extraFrame) }
        statistics.fragmentLimitHits += 1
        statistics.fragmentLimitHitsByKind[kind, default: 0] += 1
        events.append(.fragmentLimit(kind, key, frames: frames, at: location))
    }

    /// Evicts the oldest pending datagram; false when none is pending.
    private mutating func evictOldest(
        _ kind: FragmentLimitKind, events: inout [PacketEvent], statistics: inout PacketStatistics
    ) -> Bool {
        guard let oldest = pending.min(by: { $0.value.creation < $1.value.creation }) else { return false }
        pending[oldest.key] = nil
        bufferedBytes -= oldest.value.buffer.count
        statistics.fragmentLimitHits += 1
        statistics.fragmentLimitHitsByKind[kind, default: 0] += 1
        events.append(.fragmentLimit(kind, oldest.key, frames: oldest.value.frames, at: oldest.value.firstLocation))
        return true
    }

    /// Inserts `range` into sorted, disjoint, non-adjacent `ranges`, merging neighbours.
    private func insert(_ range: Range<Int>, into ranges: inout [Range<Int>]) {
        guard !range.isEmpty else { return }
        var merged = range
        var result: [Range<Int>] = []
        result.reserveCapacity(ranges.count + 1)
        var placed = false
        for existing in ranges {
            if existing.upperBound < merged.lowerBound {
                result.append(existing)
            } else if existing.lowerBound > merged.upperBound {
                if !placed {
                    result.append(merged)
                    placed = true
                }
                result.append(existing)
            } else {
                merged = min(existing.lowerBound, merged.lowerBound)..<max(existing.upperBound, merged.upperBound)
            }
        }
        if !placed { result.append(merged) }
        ranges = result
    }
}
