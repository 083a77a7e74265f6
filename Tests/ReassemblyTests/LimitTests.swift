import Packets
import Reassembly
import Testing

@Suite("Limits: buffers, memory cap, idle time-out, table size; consumer interest")
struct LimitTests {
    @Test("the per-direction byte cap skips the first hole (TCP-LIMIT, then a gap) to make room")
    func directionBytes() {
        var h = Harness(limits: ReassemblyLimits(maxBufferedBytesPerDirection: 10))
        h.handshake()
        h.send(.client, seq: 1011, bytes(5, from: 10))
        let hit = h.send(.client, seq: 1021, bytes(8, from: 20))
        #expect(h.recording.calls(1, .clientToServer) == [.gap(10), .data(bytes(5, from: 10), frame: FrameNumber(4))])
        h.send(.client, seq: 1016, bytes(5, from: 15))
        #expect(
            h.recording.stream(1, .clientToServer) == bytes(18, from: 10)
                && h.recording.gaps(1, .clientToServer) == [10])
        #expect(
            h.events.first == .limit(.directionBufferedBytes, connection: 1, direction: .clientToServer, frame: hit))
        #expect(h.rules == ["TCP-LIMIT", "TCP-GAP"])
        #expect(h.statistics.directionBufferLimitHits == 1 && h.statistics.peakBufferedBytes <= 10)
    }

    @Test("a segment larger than the cap with nothing buffered: the hole before it is given up, it is delivered")
    func directionBytesEmptyBuffer() {
        var h = Harness(limits: ReassemblyLimits(maxBufferedBytesPerDirection: 4))
        h.handshake()
        h.send(.client, seq: 1011, bytes(8, from: 10))
        #expect(h.recording.calls(1, .clientToServer) == [.gap(10), .data(bytes(8, from: 10), frame: FrameNumber(4))])
        #expect(h.statistics.peakBufferedBytes == 0 && h.statistics.directionBufferLimitHits == 1)
    }

    @Test("the per-direction segment cap")
    func directionSegments() {
        var h = Harness(limits: ReassemblyLimits(maxBufferedSegmentsPerDirection: 2))
        h.handshake()
        h.send(.client, seq: 1003, bytes(1, from: 2))
        h.send(.client, seq: 1005, bytes(1, from: 4))
        h.send(.client, seq: 1007, bytes(1, from: 6))
        #expect(h.statistics.directionSegmentLimitHits == 1)
        #expect(h.rules.first == "TCP-LIMIT")
        #expect(h.recording.calls(1, .clientToServer) == [.gap(2), .data([2], frame: FrameNumber(4))])
        h.finish()
        #expect(
            h.recording.stream(1, .clientToServer) == [2, 4, 6] && h.recording.gaps(1, .clientToServer) == [2, 1, 1])
    }

    @Test("the total cap relieves the least recently active flow first")
    func totalBytes() {
        var h = Harness(limits: ReassemblyLimits(maxBufferedBytes: 15))
        let clientB = Endpoint(address: .v4(0x0A00_0003), port: 40000)
        h.handshake()
        h.send(.client, seq: 1011, bytes(10, from: 10))  // flow 1 buffers 10
        h.send(from: clientB, to: h.server, seq: 100, flags: .syn)
        h.send(from: clientB, to: h.server, seq: 111, bytes(10, from: 10))  // flow 2 buffers 10: over 15
        #expect(h.statistics.totalBufferLimitHits == 1 && h.statistics.bufferedBytes == 10)
        #expect(
            h.events.first
                == .limit(.totalBufferedBytes, connection: 1, direction: .clientToServer, frame: FrameNumber(6)))
        #expect(h.recording.calls(1, .clientToServer) == [.gap(10), .data(bytes(10, from: 10), frame: FrameNumber(4))])
        #expect(h.recording.calls(2, .clientToServer).isEmpty)
    }

    @Test("an idle flow is closed after the time-out (capture time): holes become gaps, then end(idle)")
    func idle() {
        var h = Harness(limits: ReassemblyLimits(idleTimeoutNanoseconds: 10_000_000_000))
        h.handshake()
        h.send(.client, seq: 1001, bytes(3))
        h.send(.client, seq: 1011, bytes(3, from: 10))
        h.send(.server, seq: 5001, bytes(2), after: 9_000_000_000)
        #expect(h.statistics.idleClosed == 0)
        let other = Endpoint(address: .v4(0x0A00_0009), port: 40000)
        h.send(from: other, to: h.server, seq: 1, flags: .syn, after: 10_500_000_000)
        #expect(h.statistics.idleClosed == 1 && h.statistics.openFlows == 1 && h.statistics.bufferedBytes == 0)
        #expect(
            h.recording.calls(1, .clientToServer).suffix(3) == [
                .gap(7), .data(bytes(3, from: 10), frame: FrameNumber(5)), .end(.idle),
            ])
        #expect(h.recording.end(1, .serverToClient) == .idle)
    }

    @Test("a full table evicts the least recently active open flow (TCP-EVICTED, end(evicted))")
    func eviction() {
        var h = Harness(limits: ReassemblyLimits(maxFlows: 2))
        let a = Endpoint(address: .v4(0x0A00_0011), port: 40001)
        let b = Endpoint(address: .v4(0x0A00_0012), port: 40002)
        let c = Endpoint(address: .v4(0x0A00_0013), port: 40003)
        h.send(from: a, to: h.server, seq: 10, flags: .syn)
        h.send(from: b, to: h.server, seq: 20, flags: .syn)
        h.send(from: b, to: h.server, seq: 31, bytes(4))  // buffered (hole 21..<31)
        h.send(from: a, to: h.server, seq: 11, bytes(2))  // a is now the most recent
        let frame = h.send(from: c, to: h.server, seq: 30, flags: .syn)
        #expect(
            h.events == [
                .evicted(connection: 2, bufferedBytes: 4, frame: frame),
                .gap(
                    connection: 2, direction: .clientToServer, sequence: SequenceNumber(21), streamOffset: 0,
                    length: 10,
                    cause: .streamEnded, frame: frame),
            ])
        #expect(h.recording.end(2, .clientToServer) == .evicted && h.recording.end(2, .serverToClient) == .evicted)
        #expect(h.recording.end(1, .clientToServer) == nil)
        #expect(h.statistics.flowsEvicted == 1 && h.statistics.openFlows == 2 && h.statistics.bufferedBytes == 0)
    }

    @Test("a lingering ended flow makes room before any open flow is evicted")
    func lingeringGoesFirst() {
        var h = Harness(limits: ReassemblyLimits(maxFlows: 1))
        h.handshake()
        h.send(.client, seq: 1001, ack: 5001, flags: .fin)
        h.send(.server, seq: 5001, ack: 1002, flags: .fin)
        h.send(from: Endpoint(address: .v4(7), port: 9), to: h.server, seq: 1, flags: .syn)
        #expect(h.statistics.flowsEvicted == 0 && h.statistics.connections == 2)
    }

    @Test("thousands of short connections in a row: the table holds only the recent ones")
    func tableTracksOpenFlowsNotCaptureLength() {
        var h = Harness()
        var peakTable = 0
        for index in 0..<3000 {
            h.client.port = Port(UInt16(20000 + index))
            h.handshake()
            h.send(.client, seq: 1001, ack: 5001, flags: .fin, bytes(10), after: 10_000_000)
            h.send(.server, seq: 5001, ack: 1012, flags: .fin, bytes(10), after: 10_000_000)
            peakTable = max(peakTable, h.reassembler.flowsInTable)
        }
        // 5 s of linger at 23 ms of capture time per connection: about 218 ended flows, never 3000.
        #expect(peakTable <= 5_000 / 23 + 2)
        #expect(h.statistics.connections == 3000 && h.statistics.openFlows == 0 && h.statistics.peakOpenFlows == 1)
        #expect(h.recording.stream(3000, .serverToClient) == bytes(10))
    }

    @Test("ignoreConnection: nothing more is delivered or buffered; both directions still end")
    func ignoreConnection() {
        var h = Harness()
        h.recording.interest = { _, _, _ in .ignoreConnection }
        h.handshake()
        h.send(.client, seq: 1001, ack: 5001, bytes(5))
        h.send(.client, seq: 1021, ack: 5001, bytes(50, from: 20))
        h.send(.server, seq: 5101, ack: 1001, bytes(50))
        h.send(.server, seq: 5001, ack: 1001, bytes(100))
        h.send(.client, seq: 1006, ack: 5001, bytes(15, from: 5))
        #expect(h.statistics.bufferedBytes == 0 && h.statistics.peakBufferedBytes == 0)
        h.send(.client, seq: 1071, ack: 5151, flags: .fin)
        h.send(.server, seq: 5151, ack: 1072, flags: .fin)
        #expect(h.recording.calls(1, .clientToServer) == [.data(bytes(5), frame: FrameNumber(4)), .end(.fin)])
        #expect(h.recording.calls(1, .serverToClient) == [.end(.fin)])
        #expect(h.statistics.openFlows == 0 && h.statistics.gaps == 0)
    }

    @Test("ignoreDirection stops one direction only")
    func ignoreDirection() {
        var h = Harness()
        h.recording.interest = { _, direction, _ in direction == .serverToClient ? .ignoreDirection : .all }
        h.handshake()
        h.send(.server, seq: 5001, ack: 1001, bytes(5))
        h.send(.server, seq: 5011, ack: 1001, bytes(5, from: 10))
        h.send(.client, seq: 1006, ack: 5001, bytes(5, from: 5))
        h.send(.client, seq: 1001, ack: 5001, bytes(5))
        h.finish()
        #expect(h.recording.calls(1, .serverToClient) == [.data(bytes(5), frame: FrameNumber(4)), .end(.captureEnded)])
        #expect(h.recording.stream(1, .clientToServer) == bytes(10))
    }

    @Test("a connection the factory declines is tracked but never buffered or delivered")
    func declined() {
        var h = Harness()
        h.recording.accepts = { _ in false }
        h.handshake()
        h.send(.client, seq: 1101, ack: 5001, bytes(100))
        h.send(.client, seq: 1001, ack: 5001, bytes(100))
        h.send(.client, seq: 1201, ack: 5001, flags: .fin)
        h.send(.server, seq: 5001, ack: 1202, flags: .rst)
        #expect(h.recording.calls.isEmpty && h.statistics.peakBufferedBytes == 0)
        #expect(h.statistics.connections == 1 && h.statistics.openFlows == 0)
    }
}
