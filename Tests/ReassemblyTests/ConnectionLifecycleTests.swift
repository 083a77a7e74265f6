import Packets
import Reassembly
import Testing

@Suite("Connection life cycle: handshake, FIN, RST, mid-stream pick-up, port reuse")
struct ConnectionLifecycleTests {
    @Test("in-order segments of both directions arrive in order, with their frames, then FIN ends each")
    func inOrder() {
        var h = Harness()
        h.handshake()
        let f1 = h.send(.client, seq: 1001, ack: 5001, Array("GET / HT".utf8))
        let f2 = h.send(.client, seq: 1009, ack: 5001, Array("TP/1.1\r\n\r\n".utf8))
        h.send(.server, seq: 5001, ack: 1019, Array("HTTP/1.1 200 OK\r\n\r\n".utf8))
        h.send(.client, seq: 1019, ack: 5020, flags: .fin)
        #expect(h.recording.end(1, .clientToServer) == .fin)
        #expect(h.recording.end(1, .serverToClient) == nil)
        h.send(.server, seq: 5020, ack: 1020, flags: .fin)
        h.send(.client, seq: 1020, ack: 5021)  // final ACK: lands on the lingering flow

        let rec = h.recording
        #expect(
            rec.calls(1, .clientToServer).prefix(2) == [
                .data(Array("GET / HT".utf8), frame: f1), .data(Array("TP/1.1\r\n\r\n".utf8), frame: f2),
            ])
        #expect(rec.stream(1, .serverToClient) == Array("HTTP/1.1 200 OK\r\n\r\n".utf8))
        #expect(rec.end(1, .serverToClient) == .fin)
        #expect(rec.connections.count == 1)
        let info = rec.connections[0]
        #expect(info.client == h.client && info.server == h.server && !info.isPickedUpMidStream)
        #expect(info.firstFrame == FrameNumber(1) && info.index == 1)
        let s = h.statistics
        #expect(s.connections == 1 && s.openFlows == 0 && s.peakOpenFlows == 1 && s.lateSegments == 1)
        #expect(s.bytesDelivered == 18 + 19 && s.retransmissions == 0 && s.gaps == 0)
        #expect(h.events.isEmpty)
        h.finish()
        #expect(rec.calls(1, .clientToServer).count == 3)  // finish does not end it again
    }

    @Test("the server's FIN first, then the client's")
    func serverFinFirst() {
        var h = Harness()
        h.handshake()
        h.send(.server, seq: 5001, ack: 1001, flags: .fin, Array("bye".utf8))
        #expect(h.recording.end(1, .serverToClient) == .fin)
        h.send(.client, seq: 1001, ack: 5005, flags: .fin)
        #expect(h.recording.stream(1, .serverToClient) == Array("bye".utf8))
        #expect(h.recording.end(1, .clientToServer) == .fin)
        #expect(h.statistics.openFlows == 0)
    }

    @Test("a FIN that arrives before the last data ends the direction only once the data is in")
    func finOutOfOrder() {
        var h = Harness()
        h.handshake()
        h.send(.client, seq: 1011, flags: .fin, bytes(5, from: 10))
        #expect(h.recording.end(1, .clientToServer) == nil)
        h.send(.client, seq: 1001, bytes(10))
        #expect(h.recording.stream(1, .clientToServer) == bytes(15))
        #expect(h.recording.end(1, .clientToServer) == .fin)
    }

    @Test("RST ends both directions; holes become gaps first", arguments: [Side.client, Side.server])
    func reset(from side: Side) {
        var h = Harness()
        h.handshake()
        h.send(.client, seq: 1001, bytes(10))
        h.send(.client, seq: 1021, bytes(5, from: 20))  // bytes 10..<20 never captured
        h.send(side, seq: side == .client ? 1026 : 5001, flags: .rst)
        let rec = h.recording
        #expect(
            rec.calls(1, .clientToServer) == [
                .data(bytes(10), frame: FrameNumber(4)), .gap(10), .data(bytes(5, from: 20), frame: FrameNumber(5)),
                .end(.reset),
            ])
        #expect(rec.calls(1, .serverToClient) == [.end(.reset)])
        #expect(h.statistics.openFlows == 0 && h.statistics.bufferedBytes == 0)
        #expect(h.rules == ["TCP-GAP"])
        h.send(.client, seq: 1026, bytes(3))  // after the RST: late, not a new connection
        #expect(h.statistics.connections == 1 && h.statistics.lateSegments == 1)
    }

    @Test("FIN from one side, then RST from the other")
    func finThenReset() {
        var h = Harness()
        h.handshake()
        h.send(.client, seq: 1001, ack: 5001, flags: .fin, bytes(4))
        h.send(.server, seq: 5001, ack: 1006, flags: .rst)
        #expect(h.recording.end(1, .clientToServer) == .fin)
        #expect(h.recording.end(1, .serverToClient) == .reset)
    }

    @Test("data on the SYN is delivered (TCP Fast Open)")
    func dataOnSYN() {
        var h = Harness()
        h.send(.client, seq: 1000, flags: .syn, bytes(7))
        h.send(.server, seq: 5000, ack: 1008, flags: .syn)
        h.send(.client, seq: 1008, ack: 5001, bytes(3, from: 7))
        #expect(h.recording.stream(1, .clientToServer) == bytes(10))
    }

    @Test("a retransmitted SYN is not a new connection")
    func retransmittedSYN() {
        var h = Harness()
        h.send(.client, seq: 1000, flags: .syn)
        h.send(.client, seq: 1000, flags: .syn)
        h.send(.server, seq: 5000, ack: 1001, flags: .syn)
        h.send(.server, seq: 5000, ack: 1001, flags: .syn)
        h.send(.server, seq: 5001, ack: 1001, bytes(4))
        #expect(h.statistics.connections == 1 && h.statistics.portReuses == 0)
        #expect(h.recording.stream(1, .serverToClient) == bytes(4))
    }

    @Test("a capture that starts at the SYN-ACK still knows both sides and both starts")
    func synAckOnly() {
        var h = Harness()
        h.send(.server, seq: 5000, ack: 1001, flags: .syn)
        h.send(.client, seq: 1001, ack: 5001, bytes(6))
        let info = h.recording.connections[0]
        #expect(info.client == h.client && info.server == h.server && !info.isPickedUpMidStream)
        #expect(h.recording.stream(1, .clientToServer) == bytes(6))
    }

    @Test(
        "mid-stream pick-up: the lower port is the server, whichever side speaks first",
        arguments: [(Port(80), Side.server), (Port(80), Side.client), (Port(8080), Side.server)])
    func midStream(serverPort: Port, firstSpeaker: Side) {
        var h = Harness()
        h.server.port = serverPort
        if firstSpeaker == .server {
            h.send(.server, seq: 900_000, ack: 7000, bytes(5))
            h.send(.client, seq: 7000, ack: 900_005, bytes(3))
        } else {
            h.send(.client, seq: 7000, ack: 900_000, bytes(3))
            h.send(.server, seq: 900_000, ack: 7003, bytes(5))
        }
        let info = h.recording.connections[0]
        #expect(info.isPickedUpMidStream)
        #expect(info.server == h.server && info.client == h.client)
        #expect(h.recording.stream(1, .serverToClient) == bytes(5))
        #expect(h.recording.stream(1, .clientToServer) == bytes(3))
        #expect(h.statistics.pickedUpMidStream == 1)
    }

    @Test("pure ACKs, FINs and RSTs of unknown flows start nothing")
    func noFlowFromEmptySegments() {
        var h = Harness()
        h.send(.client, seq: 1, ack: 2)
        h.send(.client, seq: 1, ack: 2, flags: .fin)
        h.send(.client, seq: 1, flags: .rst, bytes(3))
        #expect(h.statistics.connections == 0 && h.statistics.segmentsWithoutFlow == 3)
        #expect(h.recording.connections.isEmpty)
    }

    @Test("port reuse: a SYN with a new ISN after the close starts connection 2")
    func portReuseAfterClose() {
        var h = Harness()
        h.handshake()
        h.send(.client, seq: 1001, ack: 5001, flags: .fin, bytes(2))
        h.send(.server, seq: 5001, ack: 1004, flags: .fin)
        h.send(.client, seq: 1000, flags: .syn)  // the old SYN again: late
        #expect(h.statistics.connections == 1)
        h.handshake(clientISN: 77_000, serverISN: 88_000)
        h.send(.client, seq: 77_001, ack: 88_001, bytes(3))
        #expect(h.statistics.connections == 2 && h.statistics.portReuses == 1)
        #expect(h.recording.connections.map(\.index) == [1, 2])
        #expect(h.recording.stream(1, .clientToServer) == bytes(2))
        #expect(h.recording.stream(2, .clientToServer) == bytes(3))
    }

    @Test("port reuse: a SYN with a new ISN on an open flow ends the old connection with reset")
    func portReuseWhileOpen() {
        var h = Harness()
        h.handshake()
        h.send(.client, seq: 1001, ack: 5001, bytes(2))
        h.handshake(clientISN: 3_000_000_000, serverISN: 9)
        h.send(.client, seq: 3_000_000_001, ack: 10, bytes(4))
        #expect(h.recording.end(1, .clientToServer) == .reset)
        #expect(h.recording.end(1, .serverToClient) == .reset)
        #expect(h.recording.stream(2, .clientToServer) == bytes(4))
        #expect(h.statistics.openFlows == 1 && h.statistics.portReuses == 1)
    }

    @Test("a lingering closed flow leaves the table after the linger time; then data starts a mid-stream flow")
    func lingerExpires() {
        var h = Harness(limits: ReassemblyLimits(closedLingerNanoseconds: 1_000_000_000))
        h.handshake()
        h.send(.client, seq: 1001, ack: 5001, flags: .fin)
        h.send(.server, seq: 5001, ack: 1002, flags: .fin)
        h.send(.client, seq: 1001, bytes(1), after: 500_000_000)
        #expect(h.statistics.lateSegments == 1)
        h.send(.client, seq: 1001, bytes(1), after: 2_000_000_000)
        #expect(h.statistics.connections == 2 && h.statistics.pickedUpMidStream == 1)
    }

    @Test("IPv6 flows work the same")
    func ipv6() {
        var h = Harness()
        h.client = Endpoint(address: .v6(0xFD77_0000_0000_0000, 2), port: 40000)
        h.server = Endpoint(address: .v6(0xFD77_0000_0000_0000, 1), port: 80)
        h.handshake()
        h.send(.client, seq: 1001, ack: 5001, bytes(9))
        #expect(h.recording.stream(1, .clientToServer) == bytes(9))
    }

    @Test("non-TCP packets are ignored")
    func nonTCP() {
        var h = Harness()
        let packet = DecodedPacket(
            frame: FrameNumber(1), timestamp: .zero, linkType: .raw,
            bytes: UnsafeRawBufferPointer(start: nil, count: 0),
            originalLength: 0)
        h.reassembler.process(packet, events: &h.events)
        #expect(h.statistics.segments == 0)
    }
}
