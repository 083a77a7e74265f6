/// Decodes captured frames from the link layer to TCP/UDP, reassembling IP fragments.
///
/// Create one decoder per capture (or for several files in a row) and reuse it for every frame,
/// as gopacket's `DecodingLayerParser` is reused: it keeps the reassembly state and statistics.
/// The common path (Ethernet/IPv4/TCP) allocates nothing: the packet handed to `body` is a view of
/// the caller's bytes. Only fragment reassembly copies, into buffers the decoder owns.
///
/// Nothing in a frame can make the decoder trap: every length from the wire is checked before
/// use. A frame shorter than its headers say yields a `PKT-TRUNC` event when the capture cut it
/// (captured length < wire length) and a `PKT-MALFORMED` event when the headers contradict the
/// frame; either way `body` still receives the layers that could be decoded.
public struct PacketDecoder {
    /// Counters over every frame decoded so far.
    public var statistics: PacketStatistics {
        var result = counters
        if currentLinkTypeFrames > 0 { result.linkTypeFrames[currentLinkType, default: 0] += currentLinkTypeFrames }
        return result
    }
    /// The counters, except the frames of `currentLinkType` not yet added to `linkTypeFrames`.
    var counters = PacketStatistics()
    /// Frames of the link type seen last, counted here rather than hashed into a dictionary per
    /// frame (a capture rarely changes link type).
    var currentLinkType = LinkType.ethernet
    var currentLinkTypeFrames = 0
    var reassembler: FragmentReassembler
    /// Unsupported link types already reported (one `LINK-UNSUPPORTED` event per type).
    var reportedLinkTypes: Set<LinkType> = []

    /// A decoder with the given fragment reassembly limits.
    public init(limits: FragmentLimits = .init()) {
        reassembler = FragmentReassembler(limits: limits)
    }

    /// The fragment reassembly limits.
    public var limits: FragmentLimits {
        get { reassembler.limits }
        set { reassembler.limits = newValue }
    }

    /// Number of IP datagrams waiting for more fragments.
    public var pendingDatagrams: Int { reassembler.pendingCount }

    /// Decodes one frame; calls `body` exactly once with what could be decoded (a partial decode
    /// still yields a packet, with the layers it reached), and appends anomalies to `events`.
    ///
    /// `bytes` are borrowed: the packet (its `bytes` and `payload`) is valid only during `body`.
    /// `originalLength` is the length on the wire (a smaller value is taken as `bytes.count`).
    /// Pending fragment sets older than the timeout are expired first, by `timestamp`.
    public mutating func decode<R, E: Error>(
        _ bytes: UnsafeRawBufferPointer, linkType: LinkType, frame: FrameNumber, timestamp: Timestamp,
        originalLength: Int, events: inout [PacketEvent], _ body: (borrowing DecodedPacket) throws(E) -> R
    ) throws(E) -> R {
        try decodeFrame(
            bytes, linkType: linkType, frame: frame, timestamp: timestamp, originalLength: originalLength,
            events: &events, body)
    }

    /// The implementation behind both `decode` entry points.
    mutating func decodeFrame<R, E: Error>(
        _ bytes: UnsafeRawBufferPointer, linkType: LinkType, frame: FrameNumber, timestamp: Timestamp,
        originalLength: Int, events: inout [PacketEvent], _ body: (borrowing DecodedPacket) throws(E) -> R
    ) throws(E) -> R {
        var packet = DecodedPacket(
            frame: frame, timestamp: timestamp, linkType: linkType, bytes: bytes, originalLength: originalLength)
        var state = FrameState(
            frame: frame, original: packet.originalLength, isCut: packet.originalLength > bytes.count)
        counters.frames += 1
        counters.capturedBytes += bytes.count
        counters.originalBytes += packet.originalLength
        if linkType != currentLinkType {
            if currentLinkTypeFrames > 0 { counters.linkTypeFrames[currentLinkType, default: 0] += currentLinkTypeFrames }
            currentLinkType = linkType
            currentLinkTypeFrames = 0
        }
        currentLinkTypeFrames += 1
        reassembler.expire(now: timestamp, events: &events, statistics: &counters)

        if let datagram = decodeLink(bytes, linkType: linkType, &packet, &state, &events) {
            // The reassembled bytes live in `datagram`, which outlives this call to `body`.
            let result = datagram.payload.withUnsafeBytes { payload -> Result<R, E> in
                decodeReassembled(datagram, payload, &packet, &state, &events)
                count(packet)
                do throws(E) {
                    return .success(try body(packet))
                } catch {
                    return .failure(error)
                }
            }
            return try result.get()
        }
        count(packet)
        return try body(packet)
    }

    /// Ends the capture (or a file): drops the pending fragment sets with an `IP-FRAG-INCOMPLETE`
    /// event each. The statistics are kept; the decoder can go on with the next file.
    public mutating func finish(events: inout [PacketEvent]) {
        reassembler.flush(events: &events, statistics: &counters)
    }

    /// `decode` for the common caller that returns nothing and cannot throw: non-generic, so a
    /// caller in another module runs the version specialised here instead of generic code that
    /// looks up type metadata on every frame.
    public mutating func decode(
        _ bytes: UnsafeRawBufferPointer, linkType: LinkType, frame: FrameNumber, timestamp: Timestamp,
        originalLength: Int, events: inout [PacketEvent], _ body: (borrowing DecodedPacket) -> Void
    ) {
        decodeFrame(
            bytes, linkType: linkType, frame: frame, timestamp: timestamp, originalLength: originalLength,
            events: &events
        ) { (packet: borrowing DecodedPacket) throws(Never) -> Void in body(packet) }
    }

    private mutating func count(_ packet: DecodedPacket) {
        if packet.isTruncated { counters.truncatedFrames += 1 }
        if packet.isMalformed { counters.malformedFrames += 1 }
    }

    // MARK: - Frame state and anomalies

    /// What the layers of one frame share.
    struct FrameState {
        /// The frame.
        let frame: FrameNumber
        /// Bytes on the wire.
        let original: Int
        /// The capture holds fewer bytes than the wire did (a snaplen cut is possible).
        var isCut: Bool
        /// A `PKT-TRUNC` event was already appended for this frame (one per frame).
        var truncationReported = false
    }

    /// Reports that a unit starting at absolute `offset` needs `needed` bytes but only `available`
    /// were captured. The unit is bounded on the wire by absolute `wireEnd` (the frame end, or the
    /// end of the enclosing IP datagram): if the bytes exist there, the capture cut them
    /// (truncated); otherwise the header lies (malformed).
    func reportShort(
        _ layer: Layer, at offset: Int, needed: Int, available: Int, wireEnd: Int,
        _ packet: inout DecodedPacket, _ state: inout FrameState, _ events: inout [PacketEvent]
    ) {
        let onWire = wireEnd >= offset ? wireEnd - offset : 0
        if state.isCut, needed <= onWire {
            reportTruncated(layer, at: offset, needed: needed, available: available, &packet, &state, &events)
        } else {
            reportMalformed(
                layer, .lengthBeyondData(claimed: needed, available: min(onWire, available)), at: offset,
                &packet, &events)
        }
    }

    /// Appends a `PKT-TRUNC` event (once per frame) and marks the packet truncated.
    func reportTruncated(
        _ layer: Layer, at offset: Int, needed: Int, available: Int,
        _ packet: inout DecodedPacket, _ state: inout FrameState, _ events: inout [PacketEvent]
    ) {
        packet.isTruncated = true
        guard !state.truncationReported else { return }
        state.truncationReported = true
        events.append(
            .truncated(
                layer, needed: needed, available: available,
                at: Location(frame: state.frame, offset: offset)))
    }

    /// Appends a `PKT-MALFORMED` event and marks the packet malformed.
    func reportMalformed(
        _ layer: Layer, _ reason: MalformedReason, at offset: Int, _ packet: inout DecodedPacket,
        _ events: inout [PacketEvent]
    ) {
        packet.isMalformed = true
        events.append(.malformed(layer, reason, at: Location(frame: packet.frame, offset: offset)))
    }

    /// Turns a header view's error into an event; `base` is the header's absolute offset.
    func report(
        _ error: HeaderError, _ layer: Layer, base: Int, available: Int, wireEnd: Int,
        _ packet: inout DecodedPacket, _ state: inout FrameState, _ events: inout [PacketEvent]
    ) {
        switch error {
        case .short(let needed):
            reportShort(
                layer, at: base, needed: needed, available: available, wireEnd: wireEnd,
                &packet, &state, &events)
        case .malformed(let reason, let offset):
            reportMalformed(layer, reason, at: base + offset, &packet, &events)
        }
    }
}
