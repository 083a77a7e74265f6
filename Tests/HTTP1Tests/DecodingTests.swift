import HTTP1
import Packets
import Reassembly
import Testing

@Suite("Content-Encoding gzip and deflate")
struct DecodingTests {
    static let package = bytes(String(repeating: "{\"CMD\":[[\"GET\",\"urn:oma:mo:oma-dm-devinfo:1.0//DevID\"]]}", count: 40))

    func exchange(coding: String, body: [UInt8], splitEvery piece: Int = 100_000, limits: HTTPLimits = .default)
        -> RecordingSink
    {
        var driver = TestDriver()
        driver.configuration.limits = limits
        let response = bytes(
            "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.oma.dm.request+json\r\nContent-Encoding: \(coding)\r\n"
                + "Content-Length: \(body.count)\r\n\r\n") + body
        var start = 0
        var events: [Event] = [.data(.clientToServer, bytes("POST /dm HTTP/1.1\r\n\r\n"))]
        while start < response.count {
            events.append(.data(.serverToClient, Array(response[start..<min(response.count, start + piece)])))
            start += piece
        }
        return driver.run(events).sink
    }

    @Test(
        "gzip, zlib-wrapped deflate and raw deflate decode, whatever the segmentation",
        arguments: [("gzip", Int32(31)), ("x-gzip", 31), ("deflate", 15), ("deflate", -15)], [1, 7, 100_000])
    func decodes(coding: (String, Int32), piece: Int) throws {
        let compressed = compress(Self.package, windowBits: coding.1)
        let sink = exchange(coding: coding.0, body: compressed, splitEvery: piece)
        let response = try #require(sink.exchanges.first?.response)
        #expect(response.body == Self.package)
        #expect(response.contentCodings == [coding.0])
        #expect(response.payloadLength == compressed.count)
        #expect(sink.anomalyNames.isEmpty)
    }

    @Test("concatenated gzip members decode as one body")
    func gzipMembers() throws {
        let body = compress(bytes("first,"), windowBits: 31) + compress(bytes("second"), windowBits: 31)
        let sink = exchange(coding: "gzip", body: body)
        #expect(text(sink.exchanges.first?.response?.body) == "first,second")
    }

    @Test("a gzip bomb stops at the decoded cap and is reported")
    func bomb() throws {
        let zeros = [UInt8](repeating: 0, count: 4 * 1024 * 1024)
        let compressed = compress(zeros, windowBits: 31)
        var limits = HTTPLimits.default
        limits.maxDecodedBodySize = 100_000
        let sink = exchange(coding: "gzip", body: compressed, splitEvery: 1000, limits: limits)
        let response = try #require(sink.exchanges.first?.response)
        #expect(compressed.count < 10_000)
        #expect(response.body.count == 100_000)
        #expect(response.flags.contains(.bodyCapped))
        #expect(sink.anomalyNames == ["HTTP-DECODE-LIMIT"])
    }

    @Test("corrupt compressed data is reported as HTTP-DECODE")
    func corrupt() throws {
        var compressed = compress(Self.package, windowBits: 31)
        for index in 20..<40 { compressed[index] ^= 0xA5 }
        let sink = exchange(coding: "gzip", body: compressed)
        #expect(sink.exchanges.first?.response?.flags.contains(.notDecoded) == true)
        #expect(sink.anomalyNames.contains("HTTP-DECODE"))
    }

    @Test("a compressed body cut short is reported as HTTP-DECODE")
    func cutShort() throws {
        let compressed = compress(Self.package, windowBits: 31)
        let sink = exchange(coding: "gzip", body: Array(compressed.prefix(compressed.count / 2)))
        #expect(sink.anomalyNames == ["HTTP-DECODE"])
    }

    @Test("gzip inside chunked transfer coding")
    func gzipChunked() throws {
        let compressed = compress(Self.package, windowBits: 31)
        var body: [UInt8] = []
        var rest = compressed[...]
        while !rest.isEmpty {
            let piece = rest.prefix(50)
            body += bytes(String(piece.count, radix: 16) + "\r\n") + piece + bytes("\r\n")
            rest = rest.dropFirst(piece.count)
        }
        body += bytes("0\r\n\r\n")
        let response = bytes(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n")
            + body
        let sink = TestDriver().run(
            [.data(.clientToServer, bytes("GET / HTTP/1.1\r\n\r\n"))] + split(response, at: [77, 200, 201]).map { .data(.serverToClient, $0) }
        ).sink
        #expect(sink.exchanges.first?.response?.body == Self.package)
    }

    @Test("an unsupported coding keeps the encoded bytes and says they are not decoded")
    func unsupported() throws {
        let sink = exchange(coding: "br", body: bytes("brotli?"))
        let response = try #require(sink.exchanges.first?.response)
        #expect(text(response.body) == "brotli?" && response.flags.contains(.notDecoded))
    }
}
