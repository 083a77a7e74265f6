import Packets

/// One TCP connection: who is client and server, both directions, and the consumer.
struct Flow {
    /// The table key.
    var key: FlowKey
    /// What the consumer was told at creation.
    var info: ConnectionInfo
    /// Client-to-server direction.
    var client: HalfStream
    /// Server-to-client direction.
    var server: HalfStream
    /// The consumer (boxed once per connection, so that the engine is not generic and runs
    /// specialised whatever module the consumer comes from); nil when the factory declined the
    /// connection, and after the flow ended.
    var consumer: AnyConsumer?

    /// A new connection; without a consumer both directions are only tracked, never buffered.
    init(key: FlowKey, info: ConnectionInfo, consumer: AnyConsumer?) {
        self.key = key
        self.info = info
        let delivery: HalfStream.Delivery = consumer == nil ? .ignored : .delivering
        client = HalfStream(direction: .clientToServer, delivery: delivery)
        server = HalfStream(direction: .serverToClient, delivery: delivery)
        self.consumer = consumer
    }

    /// A placeholder for a free table slot.
    static var vacant: Flow {
        let nowhere = Endpoint(address: .v4(0), port: 0)
        return Flow(
            key: FlowKey(nowhere, nowhere),
            info: ConnectionInfo(
                index: 0, client: nowhere, server: nowhere, firstFrame: FrameNumber(0), firstTime: .zero,
                isPickedUpMidStream: false),
            consumer: nil)
    }

    /// Both directions ended.
    var isEnded: Bool { client.phase == .ended && server.phase == .ended }

    /// Out-of-order bytes held by both directions.
    var bufferedBytes: Int { client.bufferedBytes + server.bufferedBytes }

    /// The direction of a segment sent by `source`.
    @inline(__always)
    func direction(from source: Endpoint) -> Direction {
        source == info.client ? .clientToServer : .serverToClient
    }

    /// Processes one segment of this connection sent by `source`: its payload, SYN and FIN into
    /// the sender's half, its ACK and window into the receiver's; a RST ends both directions.
    /// Returns true when both directions have ended.
    mutating func handle(
        _ tcp: SegmentHeader, from source: Endpoint, segment: SegmentView, limits: ReassemblyLimits,
        statistics: inout ReassemblyStatistics, events: inout [ReassemblyEvent]
    ) -> Bool {
        let direction = direction(from: source)
        let context = StreamContext(connection: info.index, frame: segment.frame, time: segment.time, limits: limits)
        if tcp.flags.contains(.rst) {
            // RFC 9293 §3.10.7: a reset aborts the connection in both directions. Its sequence number
            // is not checked against the window: the capture may lack the segments that would say.
            terminate(.reset, context: context, statistics: &statistics, events: &events)
            return isEnded
        }
        switch direction {
        case .clientToServer:
            Self.place(
                tcp, segment, into: &client, peer: &server, consumer: &consumer, context: context,
                statistics: &statistics, events: &events)
        case .serverToClient:
            Self.place(
                tcp, segment, into: &server, peer: &client, consumer: &consumer, context: context,
                statistics: &statistics, events: &events)
        }
        propagateIgnore(statistics: &statistics)
        client.endIfFinReached(context: context, consumer: &consumer, statistics: &statistics)
        server.endIfFinReached(context: context, consumer: &consumer, statistics: &statistics)
        return isEnded
    }

    /// Ends both directions for `reason` (holes become gaps first).
    mutating func terminate(
        _ reason: StreamEnd, context: StreamContext, statistics: inout ReassemblyStatistics,
        events: inout [ReassemblyEvent]
    ) {
        client.terminate(reason, context: context, consumer: &consumer, statistics: &statistics, events: &events)
        propagateIgnore(statistics: &statistics)
        server.terminate(reason, context: context, consumer: &consumer, statistics: &statistics, events: &events)
    }

    /// Gives up every hole of both directions to free their buffers (the total memory cap); each
    /// direction that held data is a `TCP-LIMIT` event.
    mutating func releaseBuffers(
        context: StreamContext, statistics: inout ReassemblyStatistics, events: inout [ReassemblyEvent]
    ) {
        for direction in Direction.allCases {
            switch direction {
            case .clientToServer:
                Self.release(&client, consumer: &consumer, context: context, statistics: &statistics, events: &events)
            case .serverToClient:
                Self.release(&server, consumer: &consumer, context: context, statistics: &statistics, events: &events)
            }
            propagateIgnore(statistics: &statistics)
        }
        client.endIfFinReached(context: context, consumer: &consumer, statistics: &statistics)
        server.endIfFinReached(context: context, consumer: &consumer, statistics: &statistics)
    }

    private static func release(
        _ half: inout HalfStream, consumer: inout AnyConsumer?, context: StreamContext,
        statistics: inout ReassemblyStatistics, events: inout [ReassemblyEvent]
    ) {
        guard half.bufferedBytes > 0 else { return }
        statistics.totalBufferLimitHits += 1
        events.append(
            .limit(.totalBufferedBytes, connection: context.connection, direction: half.direction, frame: context.frame)
        )
        while half.delivery == .delivering, !half.pending.isEmpty {
            half.skipFirstHole(
                cause: .bufferLimit, context: context, consumer: &consumer, statistics: &statistics, events: &events)
        }
    }

    /// One consumer asked to ignore the whole connection: the other direction stops too.
    private mutating func propagateIgnore(statistics: inout ReassemblyStatistics) {
        guard client.isConnectionIgnoreRequested || server.isConnectionIgnoreRequested else { return }
        if client.delivery == .delivering { client.ignore(statistics: &statistics) }
        if server.delivery == .delivering { server.ignore(statistics: &statistics) }
    }

    /// The sender's side of a segment: synchronisation, keep-alives, payload, FIN; then the ACK.
    private static func place(
        _ tcp: SegmentHeader, _ segment: SegmentView, into half: inout HalfStream, peer: inout HalfStream,
        consumer: inout AnyConsumer?, context: StreamContext, statistics: inout ReassemblyStatistics,
        events: inout [ReassemblyEvent]
    ) {
        let flags = tcp.flags
        let hasFIN = flags.contains(.fin)
        if flags.contains(.syn) {
            half.synchronize(initialSequence: tcp.sequence)
        } else if half.phase == .unsynchronized, segment.length > 0 || hasFIN {
            // No SYN seen from this side: start where the receiver says it is, else at this segment.
            half.synchronize(at: half.peerAcknowledged ?? segment.sequence)
        }
        if half.phase == .open {
            if !flags.contains(.syn), !hasFIN, half.isKeepAlive(sequence: segment.sequence, length: segment.length) {
                statistics.keepAlives += 1
            } else if segment.length > 0 {
                half.accept(segment, context: context, consumer: &consumer, statistics: &statistics, events: &events)
            }
            if hasFIN, half.fin == nil, half.phase == .open {
                let fin = segment.sequence.advanced(by: segment.length)
                // A FIN behind the stream position (its data was skipped as a gap) ends it where it is.
                half.fin = half.next.isAfter(fin) ? half.next : fin
                half.skipAcknowledgedHoles(
                    context: context, consumer: &consumer, statistics: &statistics, events: &events)
            }
        }
        // The consumer may have dropped the whole connection while taking this segment's data: the
        // peer must not deliver a gap for the ACK below (the `ConnectionConsumer` contract).
        if half.isConnectionIgnoreRequested, peer.delivery == .delivering { peer.ignore(statistics: &statistics) }
        if flags.contains(.ack) {
            peer.acknowledge(
                tcp.acknowledgment, window: tcp.window, context: context, consumer: &consumer,
                statistics: &statistics, events: &events)
        }
    }
}
