import HTTP1
import Packets
import Reassembly
import Testing

/// A message's frame span when the reassembler delivers bytes out of frame order: a segment
/// captured before the hole in front of it was filled reaches the parser after the filling one
/// (http-reorder.pcap: request 1's body in frame 6, its head retransmitted in frame 8).
@Suite("message frame spans")
struct FrameSpanTests {
    @Test("the span is the lowest to the highest frame that carried the message")
    func outOfOrderDelivery() throws {
        let sink = RecordingSink()
        let info = ConnectionInfo(
            index: 1, client: TestDriver.client, server: TestDriver.server, firstFrame: FrameNumber(1),
            firstTime: .zero, isPickedUpMidStream: false)
        var parser = HTTPConnectionParser(connection: info, sink: sink)
        let head = bytes("POST /dm HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\n")
        let time = { (frame: UInt64) in Timestamp(seconds: Int64(frame), nanoseconds: 0) }
        _ = head.withUnsafeBytes { parser.receive($0, direction: .clientToServer, frame: FrameNumber(8), time: time(8)) }
        _ = bytes("{}{}").withUnsafeBytes {
            parser.receive($0, direction: .clientToServer, frame: FrameNumber(6), time: time(6))
        }
        _ = bytes("HTTP/1.1 204 No Content\r\n\r\n").withUnsafeBytes {
            parser.receive($0, direction: .serverToClient, frame: FrameNumber(9), time: time(9))
        }
        parser.end(.fin, direction: .clientToServer, frame: FrameNumber(10), time: time(10))
        parser.end(.fin, direction: .serverToClient, frame: FrameNumber(10), time: time(10))
        let request = try #require(sink.exchanges.first?.request)
        #expect(request.firstFrame == FrameNumber(6) && request.firstTime == time(6))
        #expect(request.lastFrame == FrameNumber(8) && request.lastTime == time(8))
    }
}
