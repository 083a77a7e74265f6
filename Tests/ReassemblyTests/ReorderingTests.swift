import Packets
import Reassembly
import Testing

@Suite("Out-of-order segments, retransmissions, overlaps, wrap-around, keep-alives, probes")
struct ReorderingTests {
    @Test("out-of-order segments are buffered until the hole fills, then delivered with their own frames")
    func outOfOrder() {
        var h = Harness()
        h.handshake()
        let late = h.send(.client, seq: 1011, bytes(10, from: 10))
        let third = h.send(.client, seq: 1021, bytes(10, from: 20))
        #expect(h.recording.stream(1, .clientToServer).isEmpty)
        #expect(h.statistics.bufferedBytes == 20)
        let first = h.send(.client, seq: 1001, bytes(10))
        #expect(
            h.recording.calls(1, .clientToServer) == [
                .data(bytes(10), frame: first), .data(bytes(10, from: 10), frame: late),
                .data(bytes(10, from: 20), frame: third),
            ])
        let s = h.statistics
        #expect(s.outOfOrderSegments == 2 && s.bufferedBytes == 0 && s.peakBufferedBytes == 20)
        #expect(h.events.isEmpty)
    }

    @Test("a full retransmission is dropped and counted")
    func fullRetransmission() {
        var h = Harness()
        h.handshake()
        h.send(.client, seq: 1001, bytes(10))
        h.send(.client, seq: 1001, bytes(10))
        h.send(.client, seq: 1005, bytes(3, from: 4))
        #expect(h.recording.stream(1, .clientToServer) == bytes(10))
        #expect(h.statistics.retransmissions == 2 && h.statistics.partialRetransmissions == 0)
    }

    @Test("a partial retransmission delivers only its new tail")
    func partialRetransmission() {
        var h = Harness()
        h.handshake()
        h.send(.client, seq: 1001, bytes(10))
        h.send(.client, seq: 1006, bytes(10, from: 5))
        #expect(h.recording.stream(1, .clientToServer) == bytes(15))
        #expect(h.recording.calls(1, .clientToServer).last == .data(bytes(5, from: 10), frame: FrameNumber(5)))
        #expect(h.statistics.partialRetransmissions == 1)
    }

    @Test("overlapping buffered segments with the same data: no event, one stream")
    func overlapSame() {
        var h = Harness()
        h.handshake()
        h.send(.client, seq: 1011, bytes(10, from: 10))
        h.send(.client, seq: 1006, bytes(20, from: 5))  // covers 5..<25: overlaps the buffered 10..<20
        h.send(.client, seq: 1001, bytes(5))
        #expect(h.recording.stream(1, .clientToServer) == bytes(25))
        #expect(h.statistics.overlaps == 1 && h.statistics.conflictingOverlaps == 0)
        #expect(h.events.isEmpty)
    }

    @Test("overlapping segments with different data: TCP-OVERLAP, the first copy wins")
    func overlapDifferent() {
        var h = Harness()
        h.handshake()
        let first = h.send(.client, seq: 1011, Array(repeating: 0xAA, count: 10))
        let second = h.send(.client, seq: 1006, Array(repeating: 0xBB, count: 20))
        h.send(.client, seq: 1001, bytes(5))
        let expected =
            bytes(5) + Array(repeating: 0xBB, count: 5) + Array(repeating: 0xAA, count: 10)
            + Array(repeating: 0xBB, count: 5)
        #expect(h.recording.stream(1, .clientToServer) == expected)
        #expect(h.statistics.conflictingOverlaps == 1)
        #expect(
            h.events == [
                .conflictingOverlap(
                    connection: 1, direction: .clientToServer, sequence: SequenceNumber(1011), length: 10,
                    firstFrame: first, frame: second)
            ])
        #expect(h.events[0].frames == [first, second] && h.events[0].rule == "TCP-OVERLAP")
    }

    @Test("an in-order segment that runs into buffered data yields to the buffered copy")
    func inOrderIntoBuffer() {
        var h = Harness()
        h.handshake()
        h.send(.client, seq: 1006, Array(repeating: 0xAA, count: 5))
        h.send(.client, seq: 1001, Array(repeating: 0xBB, count: 12))
        #expect(
            h.recording.stream(1, .clientToServer)
                == Array(repeating: 0xBB, count: 5) + Array(repeating: 0xAA, count: 5)
                + Array(repeating: 0xBB, count: 2))
        #expect(h.rules == ["TCP-OVERLAP"])
    }

    @Test("sequence numbers wrap around 2^32", arguments: [UInt32.max - 4, UInt32.max, UInt32.max - 20])
    func wrapAround(isn: UInt32) {
        var h = Harness()
        h.handshake(clientISN: isn, serverISN: UInt32.max - 1)
        let start = isn &+ 1
        h.send(.client, seq: start &+ 10, bytes(10, from: 10))
        h.send(.client, seq: start, bytes(10))
        h.send(.client, seq: start &+ 5, bytes(10, from: 5))  // retransmission across the wrap
        h.send(.client, seq: start &+ 20, flags: .fin, bytes(10, from: 20))
        h.send(.server, seq: UInt32.max, ack: start &+ 31, bytes(3))
        h.send(.server, seq: 2, ack: start &+ 31, bytes(3, from: 3))
        #expect(h.recording.stream(1, .clientToServer) == bytes(30))
        #expect(h.recording.end(1, .clientToServer) == .fin)
        #expect(h.recording.stream(1, .serverToClient) == bytes(6))
        #expect(h.events.isEmpty)
    }

    @Test("keep-alives (0 or 1 byte at the next sequence number minus one) are ignored")
    func keepAlives() {
        var h = Harness()
        h.handshake()
        h.send(.client, seq: 1001, ack: 5001, bytes(10))
        h.send(.client, seq: 1010, ack: 5001)
        h.send(.client, seq: 1010, ack: 5001, [0])
        h.send(.client, seq: 1011, ack: 5001, bytes(2, from: 10))
        #expect(h.recording.stream(1, .clientToServer) == bytes(12))
        #expect(h.statistics.keepAlives == 2 && h.statistics.retransmissions == 0)
    }

    @Test("a zero-window probe is held back; the byte is delivered once, when it really arrives")
    func zeroWindowProbeRejected() {
        var h = Harness()
        h.handshake()
        h.send(.client, seq: 1001, ack: 5001, bytes(10))
        h.send(.server, seq: 5001, ack: 1011, window: 0)
        h.send(.client, seq: 1011, ack: 5001, bytes(1, from: 10))  // probe
        h.send(.client, seq: 1011, ack: 5001, bytes(1, from: 10))  // probe again
        #expect(h.recording.stream(1, .clientToServer) == bytes(10))
        h.send(.server, seq: 5001, ack: 1011, window: 8192)  // window opens; probe byte was not taken
        h.send(.client, seq: 1011, ack: 5001, bytes(5, from: 10))
        #expect(h.recording.stream(1, .clientToServer) == bytes(15))
        #expect(h.statistics.zeroWindowProbes == 2)
    }

    @Test("a zero-window probe the receiver took is delivered when the stream goes on after it")
    func zeroWindowProbeAccepted() {
        var h = Harness()
        h.handshake()
        h.send(.client, seq: 1001, ack: 5001, bytes(10))
        h.send(.server, seq: 5001, ack: 1011, window: 0)
        h.send(.client, seq: 1011, ack: 5001, bytes(1, from: 10))
        h.send(.client, seq: 1012, ack: 5001, bytes(4, from: 11))
        #expect(h.recording.stream(1, .clientToServer) == bytes(15))
        #expect(h.statistics.gaps == 0)
    }

    @Test("out-of-order data of both directions interleaved")
    func bothDirections() {
        var h = Harness()
        h.handshake()
        h.send(.server, seq: 5011, ack: 1001, bytes(10, from: 10))
        h.send(.client, seq: 1004, ack: 5001, bytes(3, from: 3))
        h.send(.server, seq: 5001, ack: 1001, bytes(10))
        h.send(.client, seq: 1001, ack: 5001, bytes(3))
        #expect(h.recording.stream(1, .serverToClient) == bytes(20))
        #expect(h.recording.stream(1, .clientToServer) == bytes(6))
    }
}
