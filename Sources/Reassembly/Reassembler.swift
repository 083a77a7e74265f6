import Packets

/// Rebuilds the two ordered byte streams of every TCP connection in a capture and hands them to
/// consumers, as gopacket's `reassembly.Assembler` does.
///
/// Feed it every decoded frame in capture order with `process`, then call `finish` once at the end
/// of the capture. For each connection (keyed by `FlowKey`, both directions together) the factory
/// makes a consumer; each direction then gets `receive`/`gap` in sequence order and `end` once
/// (see `ConnectionConsumer`).
///
/// - Connections start at a SYN (the SYN's sender is the client), at a SYN-ACK whose SYN the
///   capture lacks, or — picked up mid-stream — at the first segment with payload: then the side
///   with the lower port is taken as the server (ephemeral ports are high; on equal ports, the
///   first segment's destination). A SYN with a new initial sequence number on a known flow starts
///   a new connection (port reuse); an open one it replaces ends with `.reset`.
/// - In-order payload goes to the consumer straight from the frame, without a copy. Out-of-order
///   payload is copied and held until the hole in front of it fills; where copies overlap, the
///   first one wins (different bytes: a `TCP-OVERLAP` event). Bytes seen before are dropped
///   (full and partial retransmissions); keep-alives and zero-window probes are not data.
///   Retransmissions are checked against buffered data only: delivered bytes are not kept.
/// - A hole that will never fill becomes a gap (`TCP-GAP` and `ConnectionConsumer.gap`): when the
///   receiver acknowledges past it while data or the FIN waits behind it, when a buffer limit is
///   hit, and at RST, idle time-out, eviction or end of capture. Bytes a snaplen cut off are gaps
///   at once; nothing is ever fabricated.
/// - A FIN ends its direction when the stream reaches it; a RST ends both. Ended flows linger
///   briefly without buffers (`ReassemblyLimits.closedLingerNanoseconds`), then leave the table.
///
/// Memory is bounded by `ReassemblyLimits`: per-direction and total buffered bytes, idle time-out,
/// table size. The per-segment path does a dictionary lookup and a few list-link updates and
/// allocates nothing unless it has to buffer.
public struct Reassembler<Factory: ConnectionConsumerFactory> {
    /// Makes the consumers; the caller reaches its sink through it.
    public var factory: Factory
    /// The engine; not generic, so it runs the code specialised in this module whatever module the
    /// factory comes from (an unspecialised generic engine spends a third of its time on metadata).
    var tracker: ConnectionTracker

    /// A reassembler that asks `factory` for a consumer per connection.
    public init(factory: Factory, limits: ReassemblyLimits = .init()) {
        self.factory = factory
        tracker = ConnectionTracker(limits: limits)
    }

    /// The limits in force.
    public var limits: ReassemblyLimits { tracker.limits }

    /// Counters over everything processed so far.
    public var statistics: ReassemblyStatistics { tracker.statistics }

    /// Flows held in the table now: open ones plus ended ones still lingering (no buffers, no
    /// consumer). Bounded by `limits.maxFlows`, whatever the length of the capture.
    public var flowsInTable: Int { tracker.table.count }

    /// Feeds one decoded frame; non-TCP packets are ignored cheaply. `packet` (and its payload) is
    /// borrowed for the call: in-order bytes are passed on from it, out-of-order bytes copied.
    public mutating func process(_ packet: borrowing DecodedPacket, events: inout [ReassemblyEvent]) {
        tracker.process(packet, events: &events, factory: &factory)
    }

    /// End of capture: flushes every open flow (holes become gaps, then `end(.captureEnded)`) in
    /// the order the connections were created, and empties the table.
    public mutating func finish(events: inout [ReassemblyEvent]) {
        tracker.finish(events: &events, afterEachFlow: { _ in })
    }

    /// `finish`, calling `afterEachFlow` with the events after each connection ended (in
    /// connection order), so that the caller can hand on what its consumer produced at once
    /// instead of holding the output of every open connection until the end.
    public mutating func finish(
        events: inout [ReassemblyEvent], afterEachFlow: (inout [ReassemblyEvent]) -> Void
    ) {
        tracker.finish(events: &events, afterEachFlow: afterEachFlow)
    }
}
