import Packets
import Reassembly
import Testing

/// Regressions found by FuzzTCPReassembly (inputs in Fuzz/crashes/FuzzTCPReassembly/).
@Suite("fuzz regressions")
struct FuzzRegressionTests {
    /// Fuzz/crashes/FuzzTCPReassembly/gap-after-ignore-connection: a client segment whose data made the
    /// consumer drop the connection also acknowledged server bytes beyond a hole with data buffered
    /// behind it; the server direction then got a gap after `.ignoreConnection` (only `end` may follow).
    @Test("no gap reaches a direction after the consumer asked to ignore the connection")
    func noGapAfterIgnoreConnection() {
        var h = Harness()
        h.recording.interest = { _, direction, _ in direction == .clientToServer ? .ignoreConnection : .all }
        h.handshake()
        h.send(.server, seq: 5101, ack: 1001, bytes(50))  // buffered behind a 100-byte hole
        h.send(.client, seq: 1001, ack: 5151, bytes(10))  // data (→ ignoreConnection) + ACK past the hole
        h.finish()
        #expect(h.recording.calls(1, .clientToServer) == [.data(bytes(10), frame: FrameNumber(5)), .end(.captureEnded)])
        #expect(h.recording.calls(1, .serverToClient) == [.end(.captureEnded)])
        #expect(h.statistics.bufferedBytes == 0)
    }
}
