import Packets
import Reassembly
import Testing

@testable import TLS

@Suite("Hostile and broken TLS input never traps")
struct HostileInputTests {
    @Test("record lengths at and over the maximum", arguments: [0, 1, RecordReader.maximumFragmentLength, RecordReader.maximumFragmentLength + 1, 0xFFFF])
    func recordLengths(length: Int) {
        let header: [UInt8] = [23, 3, 3, UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length)]
        var reader = RecordReader()
        var offset = 0
        let step = header.withUnsafeBytes { reader.next(in: $0, offset: &offset, frame: FrameNumber(1), time: .zero) }
        if length > RecordReader.maximumFragmentLength {
            #expect(step == .malformed("record length \(length) exceeds \(RecordReader.maximumFragmentLength)"))
        } else if length == 0 {
            #expect(step == .record(RecordHeader(type: 23, version: 0x0303, length: 0), 5..<5))
        } else {
            #expect(step == .needMoreData)
            #expect(reader.hasPartialRecord)
        }
    }

    @Test("many records in one delivery, each found in place")
    func manyRecords() {
        var bytes: [UInt8] = []
        for index in 0..<100 { bytes += [23, 3, 3, 0, UInt8(index % 7)] + [UInt8](repeating: UInt8(index), count: index % 7) }
        var reader = RecordReader()
        var offset = 0
        var count = 0
        bytes.withUnsafeBytes { raw in
            while case .record(let header, let range) = reader.next(in: raw, offset: &offset, frame: FrameNumber(1), time: .zero) {
                #expect(header.length == count % 7 && range.count == count % 7)
                count += 1
            }
        }
        #expect(count == 100 && offset == bytes.count)
    }

    @Test("a ClientHello and ServerHello cut at every length give nil, never a trap")
    func truncatedHellos() {
        let clientHello = Array(hex(RFC8448.clientHelloRecord)[9...])
        let serverHello = Array(hex(RFC8448.serverHelloRecord)[9...])
        #expect(clientHello.withUnsafeBytes { ClientHello(body: $0) } != nil)
        #expect(serverHello.withUnsafeBytes { ServerHello(body: $0) } != nil)
        for length in 0..<clientHello.count {
            _ = clientHello[..<length].withUnsafeBytes { ClientHello(body: $0) }
        }
        for length in 0..<serverHello.count {
            _ = serverHello[..<length].withUnsafeBytes { ServerHello(body: $0) }
        }
    }

    @Test("an SNI with control characters is escaped", arguments: [[0x1B, 0x5B, 0x32, 0x4A] as [UInt8], [0x61, 0x5C, 0x0A]])
    func escapedServerName(name: [UInt8]) throws {
        let text = name.withUnsafeBytes { printable($0) }
        #expect(text.utf8.allSatisfy { (0x21...0x7E).contains($0) })
    }

    @Test("random bytes after a TLS-looking start never trap", arguments: 0..<300)
    func randomStreams(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        var deliveries: [Delivery] = []
        for index in 0..<Int.random(in: 1...12, using: &rng) {
            let count = Int.random(in: 0...400, using: &rng)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if index == 0, bytes.count >= 3 { bytes[0] = 22; bytes[1] = 3; bytes[2] = 1 }
            // Sometimes a plausible record header with a random length.
            if bytes.count >= 5, Bool.random(using: &rng) {
                bytes[0] = UInt8.random(in: 20...23, using: &rng)
                bytes[1] = 3
                bytes[2] = 3
            }
            deliveries.append(Delivery(direction: Bool.random(using: &rng) ? .clientToServer : .serverToClient, bytes: bytes))
        }
        let (inner, sink) = run(deliveries, keyLog: RFC8448.keyLog)
        #expect(inner.ended == [true, true])
        #expect(sink.summaries.count <= 1)
    }

    @Test("the RFC 8448 streams with one byte changed anywhere never trap", arguments: 0..<64)
    func mutatedStreams(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        var client = RFC8448ConnectionTests.clientStream
        var server = RFC8448ConnectionTests.serverStream
        for _ in 0..<4 {
            let position = Int.random(in: 0..<client.count, using: &rng)
            client[position] = UInt8.random(in: 0...255, using: &rng)
            let other = Int.random(in: 0..<server.count, using: &rng)
            server[other] = UInt8.random(in: 0...255, using: &rng)
        }
        let (inner, sink) = run(
            [
                Delivery(direction: .clientToServer, bytes: Array(client[..<201])),
                Delivery(direction: .serverToClient, bytes: server),
                Delivery(direction: .clientToServer, bytes: Array(client[201...])),
            ], keyLog: RFC8448.keyLog)
        #expect(inner.ended == [true, true])
        #expect(sink.summaries.count <= 1)  // a changed first byte makes it "not TLS"
    }

    @Test("a gap stops the direction with DM-TLS-004 and reaches the inner consumer")
    func gapStopsDirection() {
        var issues: [KeyLogIssue] = []
        let keys = KeyStore(keyLog: KeyLog(parsing: Array(RFC8448.keyLog.utf8), source: "t", issues: &issues))
        let sink = RecordingSink()
        var consumer = TLSConsumer(connection: testConnection, inner: RecordingConsumer(), keys: keys, sink: sink)
        let hello = hex(RFC8448.clientHelloRecord)
        _ = hello.withUnsafeBytes { consumer.receive($0, direction: .clientToServer, frame: FrameNumber(1), time: .zero) }
        _ = RFC8448ConnectionTests.serverStream.withUnsafeBytes {
            consumer.receive($0, direction: .serverToClient, frame: FrameNumber(2), time: .zero)
        }
        _ = consumer.gap(length: 100, direction: .clientToServer, frame: FrameNumber(3), time: .zero)
        consumer.end(.fin, direction: .clientToServer, frame: FrameNumber(4), time: .zero)
        consumer.end(.fin, direction: .serverToClient, frame: FrameNumber(4), time: .zero)
        #expect(sink.rules == ["DM-TLS-004"])
        #expect(consumer.inner.gaps[0] == 100)
        #expect(consumer.inner.received[1] == RFC8448.applicationData)
    }

    @Test("HTTP is passed through untouched")
    func clearHTTP() {
        let request = Array("POST /dm HTTP/1.1\r\nContent-Length: 0\r\n\r\n".utf8)
        let (inner, sink) = run([Delivery(direction: .clientToServer, bytes: request)], keyLog: "")
        #expect(inner.received[0] == request)
        #expect(sink.summaries.isEmpty && sink.events.isEmpty)
    }
}
