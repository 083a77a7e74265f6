import HTTP1
import Packets
import Reassembly
import Testing

@Suite("Capture gaps and mid-stream pick-up")
struct GapTests {
    let answer = bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok")

    @Test("a gap inside a Content-Length body is skipped exactly and the next message parses")
    func gapInFixedBody() throws {
        let head = bytes("POST /a HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\n")
        let sink = TestDriver().run([
            .data(.clientToServer, head + bytes("abc")), .gap(.clientToServer, 4),
            .data(.clientToServer, bytes("hij") + bytes("GET /b HTTP/1.1\r\n\r\n")),
            .data(.serverToClient, answer + answer),
        ]).sink
        #expect(sink.exchanges.map { $0.request?.head.target } == ["/a", "/b"])
        let first = try #require(sink.exchanges.first?.request)
        #expect(first.flags.contains(.gap) && text(first.body) == "abc" && first.payloadLength == 10)
        #expect(sink.exchanges.first?.anomalies.map(\.name) == ["HTTP-GAP"])
        #expect(sink.exchanges.map { $0.response?.head.status } == [200, 200])
    }

    @Test("a gap inside chunk data whose end is known is skipped exactly")
    func gapInChunk() throws {
        let head = bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n")
        let sink = TestDriver().run([
            .data(.clientToServer, bytes("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n")),
            .data(.serverToClient, head + bytes("a\r\n01234")), .gap(.serverToClient, 3),
            .data(.serverToClient, bytes("89\r\n0\r\n\r\n") + answer),
        ]).sink
        #expect(sink.exchanges.map { $0.response?.head.status } == [200, 200])
        #expect(sink.exchanges.first?.response?.flags.contains(.gap) == true)
        #expect(text(sink.exchanges.last?.response?.body) == "ok")
    }

    @Test("a gap in a header section drops that message; its response still pairs with its place")
    func gapInHeaders() {
        let sink = TestDriver().run([
            .data(.clientToServer, bytes("GET /a HTTP/1.1\r\nHos")), .gap(.clientToServer, 20),
            .data(.clientToServer, bytes("er: x\r\n\r\nGET /b HTTP/1.1\r\n\r\n")),
            .data(.serverToClient, answer + answer),
        ]).sink
        #expect(sink.exchanges.map { $0.request?.head.target } == [nil, "/b"])
        #expect(sink.exchanges.map { $0.response?.head.status } == [200, 200])
        #expect(sink.exchanges.first?.anomalies.map(\.name) == ["HTTP-GAP"])
    }

    @Test("a gap between messages loses one message and resynchronises on the next start line")
    func gapBetweenMessages() {
        let sink = TestDriver().run([
            .data(.clientToServer, bytes("GET /a HTTP/1.1\r\n\r\n")), .gap(.clientToServer, 19),
            .data(.clientToServer, bytes("GET /c HTTP/1.1\r\n\r\n")),
            .data(.serverToClient, answer + answer + answer),
        ]).sink
        #expect(sink.exchanges.map { $0.request?.head.target } == ["/a", nil, "/c"])
        #expect(sink.exchanges.map { $0.response?.head.status } == [200, 200, 200])
    }

    @Test("a gap in a response head drops the response; the request gets a nil response")
    func gapInResponseHead() {
        let sink = TestDriver().run([
            .data(.clientToServer, bytes("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n")),
            .data(.serverToClient, bytes("HTTP/1.1 200 O")), .gap(.serverToClient, 30),
            .data(.serverToClient, bytes("junk\r\n") + answer),
        ]).sink
        #expect(sink.exchanges.map { $0.response?.head.status } == [nil, 200])
        #expect(sink.exchanges.map { $0.request?.head.target } == ["/a", "/b"])
        #expect(sink.anomalyNames.contains("HTTP-GAP"))
    }

    @Test("a gap in a close-delimited body is counted; the body still ends at FIN")
    func gapUntilClose() throws {
        let sink = TestDriver().run([
            .data(.clientToServer, bytes("GET / HTTP/1.0\r\n\r\n")),
            .data(.serverToClient, bytes("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nab")),
            .gap(.serverToClient, 5), .data(.serverToClient, bytes("cd")), .end(.serverToClient, .fin),
        ]).sink
        let response = try #require(sink.exchanges.first?.response)
        #expect(text(response.body) == "ab" && response.payloadLength == 9 && response.flags.contains(.gap))
    }

    @Test("a gap that breaks chunk framing ends the message and resynchronises")
    func gapBreaksChunks() {
        let sink = TestDriver().run([
            .data(.clientToServer, bytes("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n")),
            .data(.serverToClient, bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab")),
            .gap(.serverToClient, 50), .data(.serverToClient, bytes("zz\r\n0\r\n\r\n") + answer),
        ]).sink
        #expect(sink.exchanges.map { $0.response?.head.status } == [200, 200])
        #expect(sink.exchanges.first?.response?.flags.contains(.framingError) == true)
    }

    @Test("a connection picked up mid-stream skips to the first start line", arguments: 0..<40)
    func midStream(point: Int) {
        var driver = TestDriver()
        driver.isPickedUpMidStream = true
        let tailOfRequest = bytes("x-tail: of an earlier request\r\n\r\n")
        let tailOfResponse = bytes(" body of an earlier response\r\nHTTP/1.0 is mentioned\r\n")
        let requests = tailOfRequest + bytes("GET /seen HTTP/1.1\r\n\r\n")
        let responses = tailOfResponse + answer
        let events = split(requests, at: [point]).map { Event.data(.clientToServer, $0) }
            + split(responses, at: [point]).map { Event.data(.serverToClient, $0) }
        let sink = driver.run(events).sink
        #expect(sink.exchanges.map { $0.request?.head.target } == ["/seen"])
        #expect(sink.exchanges.map { $0.response?.head.status } == [200])
        #expect(sink.looseAnomalies.map(\.name) == ["HTTP-RESYNC", "HTTP-RESYNC"])
    }

    @Test("a mid-stream connection that starts exactly at a message boundary loses nothing")
    func midStreamAtBoundary() {
        var driver = TestDriver()
        driver.isPickedUpMidStream = true
        let sink = driver.run([.data(.clientToServer, bytes("GET /x HTTP/1.1\r\n\r\n")), .data(.serverToClient, answer)]).sink
        #expect(sink.exchanges.count == 1)
        #expect(sink.anomalyNames.isEmpty)
    }
}
