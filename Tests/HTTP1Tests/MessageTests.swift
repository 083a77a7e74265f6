import HTTP1
import Packets
import Reassembly
import Testing

/// A DM Package#1 POST and its Package#2 answer.
let postRequest = bytes(
    "POST /dm HTTP/1.1\r\nHost: dm.example\r\nOMADM-DevID: IMEI:1234\r\n"
        + "Content-Type: application/vnd.oma.dm.initiation+json\r\nContent-Length: 11\r\n\r\n{\"P1\":true}")
let okResponse = bytes(
    "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.oma.dm.request+json\r\nContent-Length: 10\r\n\r\n{\"CMD\":[]}")

@Suite("HTTP/1.1 messages")
struct MessageTests {
    @Test("a request and its response pair into one exchange with heads, bodies and frames")
    func simpleExchange() throws {
        let (sink, interests) = TestDriver().run([.data(.clientToServer, postRequest), .data(.serverToClient, okResponse)])
        #expect(interests == [.all, .all])
        let exchange = try #require(sink.exchanges.first)
        #expect(sink.exchanges.count == 1)
        #expect(exchange.index == 1 && exchange.connection.index == 7)
        let request = try #require(exchange.request)
        #expect(request.head.method == "POST" && request.head.target == "/dm" && request.head.version == .http1_1)
        #expect(request.head.headers.first("omadm-devid") == "IMEI:1234")
        #expect(request.head.headers.first("CONTENT-TYPE") == "application/vnd.oma.dm.initiation+json")
        #expect(text(request.body) == "{\"P1\":true}")
        #expect(request.framing == .contentLength(11) && request.wireBodyLength == 11)
        #expect(request.firstFrame == FrameNumber(1) && request.lastFrame == FrameNumber(1))
        let response = try #require(exchange.response)
        #expect(response.head.status == 200 && response.head.reason == "OK")
        #expect(text(response.body) == "{\"CMD\":[]}")
        #expect(response.firstFrame == FrameNumber(2))
        #expect(exchange.anomalies.isEmpty)
        #expect(sink.summary?.exchanges == 1)
        // The summary comes last.
        if case .ended = try #require(sink.calls.last) {} else { Issue.record("summary is not the last call") }
    }

    @Test("every split point of a request/response pair gives the same exchange", arguments: 0..<postRequest.count)
    func everySplitPoint(point: Int) {
        let reference = digests(TestDriver().run([.data(.clientToServer, postRequest), .data(.serverToClient, okResponse)]).sink)
        let pieces = split(postRequest, at: [point]).map { Event.data(.clientToServer, $0) }
            + split(okResponse, at: [min(point, okResponse.count - 1)]).map { Event.data(.serverToClient, $0) }
        #expect(digests(TestDriver().run(pieces).sink) == reference)
    }

    @Test("a message fed one byte at a time spans the right frames")
    func byteAtATimeFrames() throws {
        let events = postRequest.map { Event.data(.clientToServer, [$0]) } + [.data(.serverToClient, okResponse)]
        let exchange = try #require(TestDriver().run(events).sink.exchanges.first)
        #expect(exchange.request?.firstFrame == FrameNumber(1))
        #expect(exchange.request?.lastFrame == FrameNumber(UInt64(postRequest.count)))
        #expect(text(exchange.request?.body) == "{\"P1\":true}")
    }

    @Test("repeated headers keep order and case; obs-fold is joined and reported")
    func headers() throws {
        let request = bytes(
            "GET / HTTP/1.1\r\nX-Seen: one\r\nx-seen: two\r\nX-Long: first\r\n  second line\r\nHost:h\r\n\r\n")
        let exchange = try #require(TestDriver().run([.data(.clientToServer, request)]).sink.exchanges.first)
        let headers = try #require(exchange.request?.head.headers)
        #expect(headers.values(for: "X-SEEN") == ["one", "two"])
        #expect(headers.map(\.name) == ["X-Seen", "x-seen", "X-Long", "Host"])
        #expect(headers.first("x-long") == "first    second line")
        #expect(headers.first("host") == "h")
        #expect(exchange.request?.flags.contains(.obsFold) == true)
        #expect(exchange.anomalies.map(\.name) == ["HTTP-OBS-FOLD"])
        #expect(exchange.response == nil)
    }

    @Test("keep-alive: several exchanges on one connection, bare-LF lines tolerated")
    func keepAlive() {
        let requests = (1...5).flatMap { bytes("GET /r\($0) HTTP/1.1\nHost: h\n\n") }
        let responses = (1...5).flatMap { bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nr\($0)") }
        let sink = TestDriver().run([.data(.clientToServer, requests), .data(.serverToClient, responses)]).sink
        #expect(sink.exchanges.map { $0.request?.head.target } == ["/r1", "/r2", "/r3", "/r4", "/r5"])
        #expect(sink.exchanges.map { text($0.response?.body) } == ["r1", "r2", "r3", "r4", "r5"])
        #expect(sink.exchanges.map(\.index) == [1, 2, 3, 4, 5])
        #expect(sink.anomalyNames.isEmpty)
    }

    @Test("pipelined requests before any response pair FIFO", arguments: 0..<20)
    func pipelining(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        let requests = bytes(
            "GET /a HTTP/1.1\r\nHost: h\r\n\r\nHEAD /b HTTP/1.1\r\nHost: h\r\n\r\n"
                + "POST /c HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\n{\"c\"")
        let responses = bytes(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1\r\n\r\nA"
                + "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n"  // HEAD: no body
                + "HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nContent-Length: 1\r\n\r\nC")
        let events = randomSplit(requests, maxPiece: 9, using: &rng).map { Event.data(.clientToServer, $0) }
            + randomSplit(responses, maxPiece: 9, using: &rng).map { Event.data(.serverToClient, $0) }
        let sink = TestDriver().run(events).sink
        #expect(sink.exchanges.map { $0.request?.head.target } == ["/a", "/b", "/c"])
        #expect(sink.exchanges.map { $0.response?.head.status } == [200, 200, 201])
        #expect(sink.exchanges.map { text($0.response?.body) } == ["A", "", "C"])
        #expect(sink.exchanges[1].response?.framing == BodyFraming.none)
        #expect(text(sink.exchanges[2].request?.body) == "{\"c\"")
        #expect(sink.anomalyNames.isEmpty)
    }

    @Test("204 and 304 responses have no body even with Content-Length", arguments: [204, 304])
    func noBodyStatus(status: Int) {
        let responses = bytes("HTTP/1.1 \(status) X\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        let requests = bytes("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n")
        let sink = TestDriver().run([.data(.clientToServer, requests), .data(.serverToClient, responses)]).sink
        #expect(sink.exchanges.map { $0.response?.head.status } == [status, 200])
        #expect(sink.anomalyNames.isEmpty)
    }

    @Test("100-continue: the interim response and the final one answer the same request")
    func continueInterim() throws {
        let head = bytes(
            "POST /dm HTTP/1.1\r\nExpect: 100-continue\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n")
        let sink = TestDriver().run([
            .data(.clientToServer, head),
            .data(.serverToClient, bytes("HTTP/1.1 100 Continue\r\n\r\n")),
            .data(.clientToServer, bytes("{}")),
            .data(.serverToClient, bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")),
        ]).sink
        let exchange = try #require(sink.exchanges.first)
        #expect(sink.exchanges.count == 1)
        #expect(exchange.interimResponses.map(\.head.status) == [100])
        #expect(exchange.response?.head.status == 200)
        #expect(text(exchange.request?.body) == "{}")
        #expect(exchange.request?.lastFrame == FrameNumber(3))
    }

    @Test("chunked body with extensions and trailers, at every split point")
    func chunked() throws {
        let response = bytes(
            "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.oma.dm.request+json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n6 ; x\r\n world\r\n0\r\nX-Checksum: abc\r\n\r\n")
        let request = bytes("POST /dm HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
        let headLength = bytes(
            "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.oma.dm.request+json\r\nTransfer-Encoding: chunked\r\n\r\n"
        ).count
        for point in 1..<response.count {
            let sink = TestDriver().run(
                [.data(.clientToServer, request)] + split(response, at: [point]).map { .data(.serverToClient, $0) }).sink
            let exchanged = try #require(sink.exchanges.first?.response)
            #expect(text(exchanged.body) == "hello world", "split at \(point)")
            #expect(exchanged.framing == .chunked)
            #expect(exchanged.trailers.first("x-checksum") == "abc")
            #expect(exchanged.payloadLength == 11)
            #expect(exchanged.wireBodyLength == response.count - headLength)
            #expect(sink.anomalyNames.isEmpty)
        }
    }

    @Test("a close-delimited response body ends with the server's FIN")
    func untilClose() throws {
        let sink = TestDriver().run([
            .data(.clientToServer, bytes("GET / HTTP/1.0\r\n\r\n")),
            .data(.serverToClient, bytes("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\npart one,")),
            .data(.serverToClient, bytes(" part two")),
            .end(.serverToClient, .fin),
        ]).sink
        let response = try #require(sink.exchanges.first?.response)
        #expect(response.framing == .untilClose)
        #expect(text(response.body) == "part one, part two")
        #expect(response.lastFrame == FrameNumber(3))
        #expect(response.flags.isEmpty)
    }

    @Test("a close-delimited body at the end of the capture is truncated")
    func untilCloseCaptureEnded() throws {
        let sink = TestDriver().run([
            .data(.clientToServer, bytes("GET / HTTP/1.0\r\n\r\n")),
            .data(.serverToClient, bytes("HTTP/1.0 200 OK\r\n\r\nabc")),
            .end(.serverToClient, .captureEnded),
        ]).sink
        #expect(sink.exchanges.first?.response?.flags.contains(.truncated) == true)
        #expect(sink.anomalyNames == ["HTTP-TRUNCATED"])
    }

    @Test("a request never answered gives an exchange with a nil response at the end")
    func unanswered() throws {
        let sink = TestDriver().run([.data(.clientToServer, bytes("GET /x HTTP/1.1\r\n\r\nGET /y HTTP/1.1\r\n\r\n"))]).sink
        #expect(sink.exchanges.map { $0.request?.head.target } == ["/x", "/y"])
        #expect(sink.exchanges.allSatisfy { $0.response == nil })
    }

    @Test("a response with no request gives an exchange with a nil request and an anomaly")
    func unpaired() throws {
        let sink = TestDriver().run([.data(.serverToClient, bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))]).sink
        let exchange = try #require(sink.exchanges.first)
        #expect(exchange.request == nil && exchange.response?.head.status == 200)
        #expect(exchange.anomalies.map(\.name) == ["HTTP-UNPAIRED-RESPONSE"])
    }

    @Test("bodies whose Content-Type cannot be a DM package are counted, not stored")
    func policySkipsBodies() throws {
        let request = bytes("GET /logo HTTP/1.1\r\n\r\n")
        let response = bytes("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 6\r\n\r\nPNG...")
        let sink = TestDriver().run([.data(.clientToServer, request), .data(.serverToClient, response)]).sink
        let stored = try #require(sink.exchanges.first?.response)
        #expect(stored.body.isEmpty && stored.payloadLength == 6 && stored.wireBodyLength == 6)
        #expect(stored.flags.contains(.bodySkipped))
        #expect(sink.summary?.unstoredBodyBytes == 6)
    }

    @Test(
        "the default policy keeps DM media types and anything with OMADM-DevID",
        arguments: [
            ("application/vnd.oma.dm.initiation+json", false, true), ("Application/VND.SyncML.DM+xml; charset=x", false, true),
            ("application/dmmo+json", false, true), ("multipart/form-data; boundary=x", false, true),
            ("application/json;", false, true), ("text/plain", false, true), ("text/html", false, false),
            ("image/png", true, true), ("", false, false),
        ])
    func defaultPolicy(contentType: String, hasDevID: Bool, isStored: Bool) {
        var fields: [(name: String, value: String)] = contentType.isEmpty ? [] : [("Content-Type", contentType)]
        if hasDevID { fields.append(("OMADM-DevID", "IMEI:1")) }
        #expect(BodyPolicy.dmPackages.storesBody(HTTPHeaders(fields)) == isStored)
    }

    @Test("a configurable policy: store everything")
    func customPolicy() throws {
        var driver = TestDriver()
        driver.configuration.bodyPolicy = .all
        let response = bytes("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 3\r\n\r\nPNG")
        let sink = driver.run([.data(.clientToServer, bytes("GET / HTTP/1.1\r\n\r\n")), .data(.serverToClient, response)]).sink
        #expect(text(sink.exchanges.first?.response?.body) == "PNG")
    }

    @Test("a larger keep-alive conversation survives any seeded split", arguments: 0..<50)
    func randomSplits(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        var requests: [UInt8] = []
        var responses: [UInt8] = []
        for index in 0..<20 {
            let body = (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0x20...0x7E, using: &rng) }
            requests += bytes("POST /dm/\(index) HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n")
                + body
            if index % 2 == 0 {
                responses += bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n")
                var rest = body[...]
                while !rest.isEmpty {
                    let piece = rest.prefix(Int.random(in: 1...64, using: &rng))
                    responses += bytes(String(piece.count, radix: 16) + "\r\n") + piece + bytes("\r\n")
                    rest = rest.dropFirst(piece.count)
                }
                responses += bytes("0\r\n\r\n")
            } else {
                responses += bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: \(body.count)\r\n\r\n") + body
            }
        }
        let events = randomSplit(requests, maxPiece: 200, using: &rng).map { Event.data(.clientToServer, $0) }
            + randomSplit(responses, maxPiece: 200, using: &rng).map { Event.data(.serverToClient, $0) }
        let sink = TestDriver().run(events).sink
        #expect(sink.exchanges.count == 20)
        #expect(sink.exchanges.allSatisfy { $0.request?.body == $0.response?.body })
        #expect(sink.anomalyNames.isEmpty)
    }
}
