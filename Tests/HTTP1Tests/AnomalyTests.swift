import HTTP1
import Packets
import Reassembly
import Testing

@Suite("HTTP/1.1 anomalies and recovery")
struct AnomalyTests {
    let next = bytes("GET /next HTTP/1.1\r\nHost: h\r\n\r\n")

    @Test("garbage between messages is a bad start line; parsing resumes at the next request line")
    func badStartLineResync() {
        let stream = bytes("GET /a HTTP/1.1\r\n\r\nthis is not http\r\nnor\0this\r\n") + next
        let sink = TestDriver().run([.data(.clientToServer, stream)]).sink
        #expect(sink.exchanges.map { $0.request?.head.target } == ["/a", "/next"])
        #expect(sink.looseAnomalies.map(\.name) == ["HTTP-BAD-START-LINE", "HTTP-RESYNC"])
        #expect(sink.summary?.resyncSkippedBytes == 28)
    }

    @Test("resynchronisation works at every split point")
    func resyncEverySplit() {
        let stream = bytes("GET /a HTTP/1.1\r\n\r\nxx yy\r\nHTTP/1.1 200 OK\r\n") + next
        for point in 1..<stream.count {
            let sink = TestDriver().run(split(stream, at: [point]).map { .data(.clientToServer, $0) }).sink
            #expect(sink.exchanges.map { $0.request?.head.target } == ["/a", "/next"], "split at \(point)")
        }
    }

    @Test(
        "invalid chunk sizes end the message with HTTP-BAD-CHUNK and resynchronise",
        arguments: [
            "zz\r\n", "10000000000000000\r\n", "FFFFFFFFFFFFFFFFF\r\n", "8000000000000000\r\n", "5\r\nhelloXX",
            "\r\n",
        ])
    func badChunk(chunkLine: String) throws {
        let response = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkLine + "\r\n")
        let after = bytes("HTTP/1.1 204 No Content\r\n\r\n")
        let sink = TestDriver().run([
            .data(.clientToServer, bytes("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n")),
            .data(.serverToClient, response + after),
        ]).sink
        let first = try #require(sink.exchanges.first)
        #expect(first.anomalies.map(\.name) == ["HTTP-BAD-CHUNK"])
        #expect(first.response?.flags.contains(.framingError) == true)
        #expect(sink.exchanges.map { $0.response?.head.status } == [200, 204])
    }

    @Test("a chunk size past 64 bits says so")
    func chunkOverflowMessage() throws {
        let response = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1FFFFFFFFFFFFFFFF\r\n")
        let sink = TestDriver().run([.data(.clientToServer, bytes("GET / HTTP/1.1\r\n\r\n")), .data(.serverToClient, response)]).sink
        #expect(sink.exchanges.first?.anomalies.first?.message.contains("64 bits") == true)
    }

    @Test("Content-Length with Transfer-Encoding: the conflict is reported and chunked wins")
    func contentLengthAndChunked() throws {
        let request = bytes(
            "POST / HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n")
            + next
        let sink = TestDriver().run([.data(.clientToServer, request)]).sink
        #expect(sink.exchanges.first?.anomalies.map(\.name) == ["HTTP-CL-CONFLICT"])
        #expect(text(sink.exchanges.first?.request?.body) == "ok")
        #expect(sink.exchanges.map { $0.request?.head.target } == ["/", "/next"])
    }

    @Test("differing Content-Length values are unrecoverable: the body is skipped by resynchronising")
    func differingContentLengths() throws {
        let request = bytes("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde") + next
        let sink = TestDriver().run([.data(.clientToServer, request)]).sink
        #expect(sink.exchanges.first?.anomalies.map(\.name) == ["HTTP-CL-CONFLICT"])
        #expect(sink.exchanges.first?.request?.flags.contains(.framingError) == true)
        #expect(sink.exchanges.map { $0.request?.head.target } == ["/", "/next"])
    }

    @Test("identical repeated Content-Length values are one value")
    func identicalContentLengths() {
        let request = bytes("POST / HTTP/1.1\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc") + next
        let sink = TestDriver().run([.data(.clientToServer, request)]).sink
        #expect(sink.anomalyNames.isEmpty)
        #expect(sink.exchanges.count == 2)
    }

    @Test("an invalid Content-Length value", arguments: ["-1", "abc", "99999999999999999999999", ""])
    func invalidContentLength(value: String) {
        let request = bytes("POST / HTTP/1.1\r\nContent-Length: \(value)\r\n\r\n") + next
        let sink = TestDriver().run([.data(.clientToServer, request)]).sink
        #expect(sink.exchanges.first?.anomalies.map(\.name) == ["HTTP-BAD-CONTENT-LENGTH"])
        #expect(sink.exchanges.map { $0.request?.head.target } == ["/", "/next"])
    }

    @Test("a request whose Transfer-Encoding does not end in chunked")
    func requestTransferEncoding() {
        let request = bytes("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n") + next
        let sink = TestDriver().run([.data(.clientToServer, request)]).sink
        #expect(sink.exchanges.first?.anomalies.map(\.name) == ["HTTP-BAD-TRANSFER-ENCODING"])
        #expect(sink.exchanges.count == 2)
    }

    @Test("a header section over the size cap drops the message and keeps its FIFO place")
    func headerSizeLimit() throws {
        var driver = TestDriver()
        driver.configuration.limits.maxHeaderSectionSize = 200
        let big = bytes("GET /big HTTP/1.1\r\nX-Pad: " + String(repeating: "p", count: 300) + "\r\n\r\n")
        let sink = driver.run([
            .data(.clientToServer, big + next),
            .data(.serverToClient, bytes("HTTP/1.1 431 Too Large\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")),
        ]).sink
        #expect(sink.exchanges.map { $0.request?.head.target } == [nil, "/next"])
        #expect(sink.exchanges.map { $0.response?.head.status } == [431, 200])
        #expect(sink.exchanges.first?.anomalies.map(\.name) == ["HTTP-HEADER-LIMIT"])
    }

    @Test("a header section over the field count cap")
    func headerCountLimit() {
        var driver = TestDriver()
        driver.configuration.limits.maxHeaderCount = 10
        let many = bytes("GET /many HTTP/1.1\r\n" + (0..<20).map { "X-\($0): v\r\n" }.joined() + "\r\n")
        let sink = driver.run([.data(.clientToServer, many + next)]).sink
        // The dropped section's remaining lines are skipped by resynchronisation, which reports them.
        #expect(sink.anomalyNames.sorted() == ["HTTP-HEADER-LIMIT", "HTTP-RESYNC"])
        #expect(sink.exchanges.map { $0.request?.head.target } == [nil, "/next"])
    }

    @Test("a body over the stored cap is kept up to the cap and counted in full")
    func bodyLimit() throws {
        var driver = TestDriver()
        driver.configuration.limits.maxStoredBodySize = 10
        let request = bytes("POST / HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 25\r\n\r\n")
            + [UInt8](repeating: 0x61, count: 25) + next
        let sink = driver.run([.data(.clientToServer, request)]).sink
        let first = try #require(sink.exchanges.first?.request)
        #expect(first.body.count == 10 && first.payloadLength == 25 && first.flags.contains(.bodyCapped))
        #expect(sink.exchanges.first?.anomalies.map(\.name) == ["HTTP-BODY-LIMIT"])
        #expect(sink.exchanges.count == 2)
    }

    @Test("a message cut by the end of the capture is truncated", arguments: [StreamEnd.captureEnded, .reset, .fin])
    func truncatedBody(reason: StreamEnd) throws {
        let request = bytes("POST / HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nonly this")
        let sink = TestDriver().run([.data(.clientToServer, request), .end(.clientToServer, reason)]).sink
        let first = try #require(sink.exchanges.first)
        #expect(first.anomalies.map(\.name) == ["HTTP-TRUNCATED"])
        #expect(first.request?.flags.contains(.truncated) == true)
        #expect(text(first.request?.body) == "only this")
    }

    @Test("a head cut by the end of the capture is reported alone")
    func truncatedHead() {
        let sink = TestDriver().run([.data(.clientToServer, bytes("GET /x HTTP/1.1\r\nHost: h\r\n"))]).sink
        #expect(sink.exchanges.isEmpty)
        #expect(sink.looseAnomalies.map(\.name) == ["HTTP-TRUNCATED"])
    }

    @Test("a header line without a colon is ignored and reported")
    func badHeaderLine() throws {
        let request = bytes("GET / HTTP/1.1\r\nHost: h\r\nno colon here\r\nBad Name: x\r\nOk: y\r\n\r\n")
        let exchange = try #require(TestDriver().run([.data(.clientToServer, request)]).sink.exchanges.first)
        #expect(exchange.anomalies.map(\.name) == ["HTTP-BAD-HEADER", "HTTP-BAD-HEADER"])
        #expect(exchange.request?.head.headers.map(\.name) == ["Host", "Ok"])
    }

    @Test("a pipelining flood is capped: later requests are dropped and reported once")
    func pipelineLimit() {
        var driver = TestDriver()
        driver.configuration.limits.maxOutstandingRequests = 5
        let flood = (0..<12).flatMap { bytes("GET /\($0) HTTP/1.1\r\n\r\n") }
        let sink = driver.run([.data(.clientToServer, flood)]).sink
        #expect(sink.exchanges.count == 5)
        #expect(sink.looseAnomalies.map(\.name) == ["HTTP-PIPELINE-LIMIT"])
        #expect(sink.summary?.droppedRequests == 7)
    }

    @Test("every anomaly kind has a stable HTTP- name")
    func names() {
        #expect(HTTPAnomaly.Kind.allCases.allSatisfy { $0.rawValue.hasPrefix("HTTP-") })
        #expect(Set(HTTPAnomaly.Kind.allCases.map(\.rawValue)).count == HTTPAnomaly.Kind.allCases.count)
    }
}
