import Packets
import Reassembly
import Testing

@Suite("Holes that never fill become gaps")
struct GapTests {
    @Test("the receiver acknowledges past a hole with data behind it: gap at once, then the data")
    func acknowledgedPastHole() {
        var h = Harness()
        h.handshake()
        h.send(.client, seq: 1001, ack: 5001, bytes(10))
        let behind = h.send(.client, seq: 1021, ack: 5001, bytes(10, from: 20))  // 10..<20 not captured
        let ack = h.send(.server, seq: 5001, ack: 1031)
        #expect(
            h.recording.calls(1, .clientToServer) == [
                .data(bytes(10), frame: FrameNumber(4)), .gap(10), .data(bytes(10, from: 20), frame: behind),
            ])
        #expect(
            h.events == [
                .gap(
                    connection: 1, direction: .clientToServer, sequence: SequenceNumber(1011), streamOffset: 10,
                    length: 10, cause: .acknowledged, frame: ack)
            ])
        #expect(h.statistics.gaps == 1 && h.statistics.gapBytes == 10 && h.statistics.bufferedBytes == 0)
    }

    @Test("an ACK seen before the data it acknowledges does not lose that data")
    func ackBeforeData() {
        var h = Harness()
        h.handshake()
        h.send(.server, seq: 5001, ack: 1011)  // capture shows the ACK first
        h.send(.client, seq: 1001, ack: 5001, bytes(10))
        #expect(h.recording.stream(1, .clientToServer) == bytes(10))
        #expect(h.statistics.gaps == 0)
    }

    @Test("an ACK of a hole with nothing behind it: the gap comes with the next segment")
    func acknowledgedTail() {
        var h = Harness()
        h.handshake()
        h.send(.client, seq: 1001, ack: 5001, bytes(10))
        h.send(.server, seq: 5001, ack: 1021)  // 10..<20 lost by the capture
        #expect(h.recording.gaps(1, .clientToServer).isEmpty)
        h.send(.client, seq: 1021, ack: 5001, bytes(5, from: 20))
        #expect(
            h.recording.calls(1, .clientToServer).suffix(2) == [
                .gap(10), .data(bytes(5, from: 20), frame: FrameNumber(6)),
            ])
    }

    @Test("holes still open at the end of the capture become gaps, then end(captureEnded)")
    func gapAtEnd() {
        var h = Harness()
        h.handshake()
        h.send(.client, seq: 1001, bytes(10))
        h.send(.client, seq: 1031, bytes(10, from: 30))
        h.send(.client, seq: 1021, bytes(5, from: 20))
        h.finish()
        #expect(
            h.recording.calls(1, .clientToServer) == [
                .data(bytes(10), frame: FrameNumber(4)), .gap(10), .data(bytes(5, from: 20), frame: FrameNumber(6)),
                .gap(5), .data(bytes(10, from: 30), frame: FrameNumber(5)), .end(.captureEnded),
            ])
        #expect(h.recording.end(1, .serverToClient) == .captureEnded)
        #expect(h.statistics.openFlows == 0 && h.statistics.bufferedBytes == 0)
        #expect(h.events.allSatisfy { if case .gap(_, _, _, _, _, .streamEnded, _) = $0 { true } else { false } })
    }

    @Test("data up to a FIN that never arrived becomes a gap when the FIN is acknowledged")
    func holeBeforeFin() {
        var h = Harness()
        h.handshake()
        h.send(.client, seq: 1001, ack: 5001, bytes(10))
        h.send(.client, seq: 1021, ack: 5001, flags: .fin)  // 10..<20 never captured
        #expect(h.recording.end(1, .clientToServer) == nil)
        h.send(.server, seq: 5001, ack: 1022)
        #expect(h.recording.calls(1, .clientToServer).suffix(2) == [.gap(10), .end(.fin)])
    }

    @Test("a snaplen-cut in-order segment: captured bytes, then a gap for the rest")
    func truncatedInOrder() {
        var h = Harness()
        h.handshake()
        h.send(.client, seq: 1001, bytes(60), wireLength: 100)
        h.send(.client, seq: 1101, bytes(5, from: 100))
        #expect(
            h.recording.calls(1, .clientToServer) == [
                .data(bytes(60), frame: FrameNumber(4)), .gap(40), .data(bytes(5, from: 100), frame: FrameNumber(5)),
            ])
        #expect(h.statistics.truncatedSegments == 1)
        #expect(h.events.map(\.rule) == ["TCP-GAP"])
    }

    @Test("a snaplen-cut out-of-order segment keeps its cut tail as a gap in sequence")
    func truncatedOutOfOrder() {
        var h = Harness()
        h.handshake()
        h.send(.client, seq: 1011, bytes(6, from: 10), wireLength: 20)
        h.send(.client, seq: 1031, bytes(5, from: 30))
        h.send(.client, seq: 1001, bytes(10))
        #expect(
            h.recording.calls(1, .clientToServer) == [
                .data(bytes(10), frame: FrameNumber(6)), .data(bytes(6, from: 10), frame: FrameNumber(4)), .gap(14),
                .data(bytes(5, from: 30), frame: FrameNumber(5)),
            ])
        #expect(h.statistics.bufferedBytes == 0)
    }
}
