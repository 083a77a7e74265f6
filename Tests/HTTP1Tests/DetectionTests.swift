import HTTP1
import Packets
import Reassembly
import Testing

@Suite("Recognising non-HTTP traffic")
struct DetectionTests {
    @Test(
        "client bytes that cannot start a request make the parser ignore the connection at once",
        arguments: [
            [0x16, 0x03, 0x01, 0x02, 0x00] as [UInt8], bytes("SSH-2.0-OpenSSH_9.6\r\n"), bytes(" GET / HTTP/1.1\r\n"),
            bytes("GET/ HTTP/1.1"), bytes(String(repeating: "A", count: 40)),
        ])
    func notARequest(first: [UInt8]) {
        let (sink, interests) = TestDriver().run([.data(.clientToServer, first), .data(.serverToClient, bytes("HTTP/1.1 200 OK\r\n\r\n"))])
        #expect(interests == [.ignoreConnection])
        #expect(sink.exchanges.isEmpty && sink.anomalyNames.isEmpty)
        #expect(sink.summary?.requests == 0)
    }

    @Test("a server that speaks first (SMTP) is ignored after its first bytes")
    func serverFirst() {
        let (sink, interests) = TestDriver().run([.data(.serverToClient, bytes("220 mail.example ESMTP\r\n"))])
        #expect(interests == [.ignoreConnection])
        #expect(sink.exchanges.isEmpty)
    }

    @Test("a non-HTTP answer to an HTTP request ignores only that direction")
    func responseDirectionOnly() {
        let (sink, interests) = TestDriver().run([
            .data(.clientToServer, bytes("GET / HTTP/1.1\r\n\r\n")), .data(.serverToClient, [0x00, 0x01]),
        ])
        #expect(interests == [.all, .ignoreDirection])
        #expect(sink.exchanges.count == 1 && sink.exchanges.first?.response == nil)
    }

    @Test("an undecided prefix waits for more bytes", arguments: [bytes("G"), bytes("POS"), bytes("HTTP")])
    func undecided(prefix: [UInt8]) {
        let direction: Direction = prefix.starts(with: bytes("HTTP")) ? .serverToClient : .clientToServer
        let (_, interests) = TestDriver().run([.data(direction, prefix)])
        #expect(interests == [.all])
    }

    @Test("a mid-stream connection with no start line is given up after the scan budget")
    func midStreamBudget() {
        var driver = TestDriver()
        driver.isPickedUpMidStream = true
        driver.configuration.limits.maxUnrecognizedScan = 1000
        let noise = (0..<100).map { _ in Event.data(.clientToServer, [UInt8](repeating: 0x41, count: 50) + [0x0A]) }
        let (_, interests) = driver.run(noise)
        #expect(interests.last == .ignoreConnection)
        #expect(interests.count < 30)
    }

    @Test("101 Switching Protocols ends HTTP parsing on the connection")
    func upgrade() {
        let (sink, interests) = TestDriver().run([
            .data(.clientToServer, bytes("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")),
            .data(.serverToClient, bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u{81}\u{05}hello")),
            .data(.clientToServer, [0x81, 0x85, 1, 2, 3, 4]),
        ])
        #expect(interests == [.all, .ignoreConnection])
        #expect(sink.exchanges.map { $0.response?.head.status } == [101])
        #expect(sink.anomalyNames.isEmpty)
    }
}
