import Packets

/// The engine behind `Reassembler`: the flow table and the life-cycle rules (see `Reassembler`).
struct ConnectionTracker {
    /// The limits in force.
    let limits: ReassemblyLimits
    /// Counters over everything processed so far.
    private(set) var statistics = ReassemblyStatistics()
    var table = FlowTable()
    /// The last frame processed (where `finish` says losses became certain).
    private var lastFrame = FrameNumber(0)
    private var lastTime = Timestamp.zero

    /// An empty table.
    init(limits: ReassemblyLimits) { self.limits = limits }

    /// What one TCP segment brings, taken from the packet once (its bytes borrowed for the call).
    struct Arrival {
        var tcp: SegmentHeader
        var source: Endpoint
        var destination: Endpoint
        var key: FlowKey
        var segment: SegmentView
    }

    /// Where a segment goes.
    enum Route {
        /// To the flow in this slot.
        case flow(Int)
        /// To a new flow, if the segment can start one.
        case create
        /// Nowhere: it is late for an ended flow.
        case drop
    }

    /// `Reassembler.process`; `factory` is asked for a consumer when a connection starts. Only the
    /// creation step is generic: the per-segment work is in non-generic methods, which stay
    /// specialised however the caller instantiates `Reassembler`.
    mutating func process<Factory: ConnectionConsumerFactory>(
        _ packet: borrowing DecodedPacket, events: inout [ReassemblyEvent], factory: inout Factory
    ) {
        guard processKnownFlow(packet, events: &events) else { return }
        // Rare: a segment that may start a connection. Its arrival is built a second time here so
        // that the common path moves nothing through generic code.
        guard let arrival = arrival(packet) else { return }
        if let slot = create(arrival, factory: &factory, events: &events) {
            handle(arrival, slot: slot, events: &events)
        } else {
            statistics.segmentsWithoutFlow += 1
        }
    }

    /// Counts the segment and hands it to its flow; returns true when it belongs to no flow yet.
    /// Never inlined into the generic caller, where moving the arrival around costs copies.
    @inline(never)
    private mutating func processKnownFlow(_ packet: borrowing DecodedPacket, events: inout [ReassemblyEvent]) -> Bool {
        guard let arrival = arrival(packet) else { return false }
        statistics.segments += 1
        lastFrame = arrival.segment.frame
        if arrival.segment.time > lastTime { lastTime = arrival.segment.time }
        if arrival.segment.missing > 0 { statistics.truncatedSegments += 1 }
        switch route(arrival, events: &events) {
        case .flow(let slot):
            handle(arrival, slot: slot, events: &events)
            return false
        case .create:
            return true
        case .drop:
            return false
        }
    }

    /// The segment of a TCP packet, or nil for anything else.
    private func arrival(_ packet: borrowing DecodedPacket) -> Arrival? {
        guard case .tcp(let tcp) = packet.transport, let sourceAddress = packet.sourceAddress,
            let destinationAddress = packet.destinationAddress
        else { return nil }
        let source = Endpoint(address: sourceAddress, port: tcp.sourcePort)
        let destination = Endpoint(address: destinationAddress, port: tcp.destinationPort)
        let payload = packet.payload
        // Bytes the headers announce but the capture cut off: a gap, never invented.
        let missing = packet.payloadLength > payload.count ? packet.payloadLength - payload.count : 0
        let segment = SegmentView(
            // Data on a SYN starts after the SYN's own sequence number (RFC 9293 §3.4).
            sequence: tcp.flags.contains(.syn) ? tcp.sequence.advanced(by: 1) : tcp.sequence,
            bytes: payload, missing: missing, frame: packet.frame, time: packet.timestamp)
        return Arrival(
            tcp: SegmentHeader(tcp), source: source, destination: destination, key: FlowKey(source, destination),
            segment: segment)
    }

    /// Expires idle flows, finds the segment's flow, and retires a flow that a SYN replaces.
    private mutating func route(_ arrival: Arrival, events: inout [ReassemblyEvent]) -> Route {
        let frame = arrival.segment.frame
        let time = arrival.segment.time
        expire(now: time, frame: frame, events: &events)
        guard let existing = table.slot(for: arrival.key) else { return .create }
        let isClosed = table.isClosed(existing)
        if arrival.tcp.flags.contains(.syn), startsNewConnection(arrival.tcp, source: arrival.source, slot: existing) {
            statistics.portReuses += 1
            if !isClosed {
                // The old connection ended without the capture showing how.
                let context = self.context(for: existing, frame: frame, time: time)
                table.flows[existing].terminate(.reset, context: context, statistics: &statistics, events: &events)
                statistics.openFlows -= 1
            }
            table.remove(existing)
            return .create
        }
        if isClosed {
            statistics.lateSegments += 1
            return .drop
        }
        table.touch(existing, time: time)
        return .flow(existing)
    }

    /// Hands the segment to its flow; retires the flow when both directions ended; enforces the
    /// total memory cap.
    private mutating func handle(_ arrival: Arrival, slot: Int, events: inout [ReassemblyEvent]) {
        let frame = arrival.segment.frame
        let time = arrival.segment.time
        let isEnded = table.flows[slot].handle(
            arrival.tcp, from: arrival.source, segment: arrival.segment, limits: limits, statistics: &statistics,
            events: &events)
        if isEnded {
            table.close(slot, time: time)
            statistics.openFlows -= 1
        }
        if statistics.bufferedBytes > limits.maxBufferedBytes {
            relieveMemory(frame: frame, time: time, events: &events)
        }
    }

    /// `Reassembler.finish`.
    mutating func finish(events: inout [ReassemblyEvent], afterEachFlow: (inout [ReassemblyEvent]) -> Void) {
        var slots: [Int] = []
        var cursor = table.open.first
        while cursor >= 0 {
            slots.append(cursor)
            cursor = table.links[cursor].next
        }
        slots.sort { table.flows[$0].info.index < table.flows[$1].info.index }
        for slot in slots {
            let context = self.context(for: slot, frame: lastFrame, time: lastTime)
            table.flows[slot].terminate(.captureEnded, context: context, statistics: &statistics, events: &events)
            table.remove(slot)
            statistics.openFlows -= 1
            afterEachFlow(&events)
        }
        while table.closed.last >= 0 { table.remove(table.closed.last) }
    }

    // MARK: - Flow life cycle

    /// A SYN that opens a new connection on a known flow: a SYN (or SYN-ACK) whose initial
    /// sequence number differs from the one recorded (a retransmitted SYN repeats it).
    private func startsNewConnection(_ tcp: SegmentHeader, source: Endpoint, slot: Int) -> Bool {
        guard tcp.flags.contains(.syn) else { return false }
        if tcp.flags.contains(.ack) {
            guard source == table.flows[slot].info.server else { return false }
            let server = table.flows[slot].server
            return server.initialSequence.map { $0 != tcp.sequence } ?? (server.phase != .unsynchronized)
        }
        guard source == table.flows[slot].info.client else { return true }
        return table.flows[slot].client.initialSequence != tcp.sequence
    }

    /// Creates the flow a segment starts, if it starts one; makes room in the table first.
    private mutating func create<Factory: ConnectionConsumerFactory>(
        _ arrival: Arrival, factory: inout Factory, events: inout [ReassemblyEvent]
    ) -> Int? {
        let flags = arrival.tcp.flags
        let (source, destination, segment) = (arrival.source, arrival.destination, arrival.segment)
        guard !flags.contains(.rst) else { return nil }
        let client: Endpoint
        let server: Endpoint
        let isMidStream: Bool
        if flags.contains(.syn) {
            isMidStream = false
            (client, server) = flags.contains(.ack) ? (destination, source) : (source, destination)
        } else if segment.length > 0 {
            isMidStream = true
            // The lower port is the server's (services listen on low or registered ports, clients
            // use ephemeral ones: IANA 49152–65535, Linux 32768–60999); a tie keeps the destination.
            (client, server) = source.port < destination.port ? (destination, source) : (source, destination)
        } else {
            return nil
        }
        makeRoom(frame: segment.frame, time: segment.time, events: &events)
        statistics.connections += 1
        if isMidStream { statistics.pickedUpMidStream += 1 }
        statistics.openFlows += 1
        if statistics.openFlows > statistics.peakOpenFlows { statistics.peakOpenFlows = statistics.openFlows }
        let info = ConnectionInfo(
            index: statistics.connections, client: client, server: server, firstFrame: segment.frame,
            firstTime: segment.time, isPickedUpMidStream: isMidStream)
        var consumer: AnyConsumer?
        if let made = factory.makeConsumer(for: info) { consumer = made }
        return table.insert(Flow(key: arrival.key, info: info, consumer: consumer), time: segment.time)
    }

    /// Frees a table slot when the table is full: the oldest lingering flow goes first, else the
    /// least recently active open flow is evicted (`TCP-EVICTED`, `end(.evicted)`).
    private mutating func makeRoom(frame: FrameNumber, time: Timestamp, events: inout [ReassemblyEvent]) {
        while table.count >= max(limits.maxFlows, 1) {
            if table.closed.last >= 0 {
                table.remove(table.closed.last)
                continue
            }
            let victim = table.open.last
            guard victim >= 0 else { return }
            events.append(
                .evicted(
                    connection: table.flows[victim].info.index, bufferedBytes: table.flows[victim].bufferedBytes,
                    frame: frame))
            statistics.flowsEvicted += 1
            let context = self.context(for: victim, frame: frame, time: time)
            table.flows[victim].terminate(.evicted, context: context, statistics: &statistics, events: &events)
            table.remove(victim)
            statistics.openFlows -= 1
        }
    }

    /// Closes open flows idle for longer than the time-out and drops lingering flows past their
    /// linger time; both lists are ordered, so this looks at one slot of each in the common case.
    private mutating func expire(now: Timestamp, frame: FrameNumber, events: inout [ReassemblyEvent]) {
        while table.open.last >= 0 {
            let slot = table.open.last
            guard table.links[slot].lastSeen.nanoseconds(to: now) > limits.idleTimeoutNanoseconds else { break }
            statistics.idleClosed += 1
            let context = self.context(for: slot, frame: frame, time: now)
            table.flows[slot].terminate(.idle, context: context, statistics: &statistics, events: &events)
            table.remove(slot)
            statistics.openFlows -= 1
        }
        while table.closed.last >= 0 {
            let slot = table.closed.last
            guard table.links[slot].lastSeen.nanoseconds(to: now) > limits.closedLingerNanoseconds else { break }
            table.remove(slot)
        }
    }

    /// Over the total memory cap: the least recently active flows holding data give up their
    /// holes (gaps) and deliver what they held, until the total is under the cap.
    private mutating func relieveMemory(frame: FrameNumber, time: Timestamp, events: inout [ReassemblyEvent]) {
        var cursor = table.open.last
        while cursor >= 0, statistics.bufferedBytes > limits.maxBufferedBytes {
            let slot = cursor
            cursor = table.links[slot].previous
            guard table.flows[slot].bufferedBytes > 0 else { continue }
            let context = self.context(for: slot, frame: frame, time: time)
            table.flows[slot].releaseBuffers(context: context, statistics: &statistics, events: &events)
            if table.flows[slot].isEnded {
                table.close(slot, time: time)
                statistics.openFlows -= 1
            }
        }
    }

    @inline(__always)
    private func context(for slot: Int, frame: FrameNumber, time: Timestamp) -> StreamContext {
        StreamContext(connection: table.flows[slot].info.index, frame: frame, time: time, limits: limits)
    }
}
