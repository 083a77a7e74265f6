import Crypto
import Foundation
import Packets
import Reassembly
import Testing

@testable import TLS

/// The RFC 8448 §3 connection through `TLSConsumer`, as the reassembler would deliver it.
@Suite("RFC 8448 connection through the TLS layer")
struct RFC8448ConnectionTests {
    /// A NewSessionTicket record sealed with the server application keys at sequence 0 (RFC 8448
    /// shows the message but not its record), so the server's data record comes next at 1.
    static var newSessionTicketRecord: [UInt8] {
        let message: [UInt8] = [4, 0, 0, 13] + [0, 0, 0, 30, 1, 2, 3, 4, 0, 0, 1, 0x55, 0, 0]
        let inner = message + [22]
        let header: [UInt8] = [23, 3, 3, 0, UInt8(inner.count + 16)]
        // Sequence 0: the nonce is the IV itself.
        guard let nonce = try? AES.GCM.Nonce(data: hex(RFC8448.serverApplicationIV)),
            let box = try? AES.GCM.seal(
                inner, using: SymmetricKey(data: hex(RFC8448.serverApplicationKey)), nonce: nonce,
                authenticating: header)
        else { return [] }
        return header + Array(box.ciphertext) + Array(box.tag)
    }

    static var clientStream: [UInt8] {
        hex(RFC8448.clientHelloRecord) + hex(RFC8448.clientFinishedRecord) + hex(RFC8448.clientApplicationRecord)
            + hex(RFC8448.clientAlertRecord)
    }
    static var serverStream: [UInt8] {
        hex(RFC8448.serverHelloRecord) + hex(RFC8448.serverFlightRecord) + newSessionTicketRecord
            + hex(RFC8448.serverApplicationRecord) + hex(RFC8448.serverAlertRecord)
    }

    @Test("handshake, keys from the key log, application data both ways")
    func decryptsBothDirections() throws {
        let (inner, sink) = run(
            [
                Delivery(direction: .clientToServer, bytes: hex(RFC8448.clientHelloRecord)),
                Delivery(direction: .serverToClient, bytes: hex(RFC8448.serverHelloRecord)),
                Delivery(direction: .serverToClient, bytes: hex(RFC8448.serverFlightRecord)),
                Delivery(direction: .clientToServer, bytes: hex(RFC8448.clientFinishedRecord)),
                Delivery(direction: .serverToClient, bytes: Self.newSessionTicketRecord),
                Delivery(direction: .clientToServer, bytes: hex(RFC8448.clientApplicationRecord)),
                Delivery(direction: .serverToClient, bytes: hex(RFC8448.serverApplicationRecord)),
                Delivery(direction: .clientToServer, bytes: hex(RFC8448.clientAlertRecord)),
                Delivery(direction: .serverToClient, bytes: hex(RFC8448.serverAlertRecord)),
            ], keyLog: RFC8448.keyLog)
        #expect(inner.received[0] == RFC8448.applicationData)
        #expect(inner.received[1] == RFC8448.applicationData)
        #expect(inner.frames[0] == [FrameNumber(6)])
        #expect(inner.frames[1] == [FrameNumber(7)])
        #expect(inner.ended == [true, true])
        #expect(sink.events.isEmpty, "\(sink.events.map(\.message))")
        let summary = try #require(sink.summaries.first)
        #expect(summary.status == .decrypted(failedRecords: 0))
        #expect(summary.handshake.version == .tls13)
        #expect(summary.handshake.cipherSuite?.name == "TLS_AES_128_GCM_SHA256")
        #expect(summary.handshake.serverName == "server")
        #expect(summary.handshake.offeredVersions == [.tls13])
        #expect(summary.alerts.map(\.isCloseNotify) == [true, true])
        #expect(sink.handshakes.count == 1 && sink.handshakes.first?.1 == true)
    }

    @Test("a key log with only the application secrets still opens the application data")
    func applicationSecretsOnly() {
        let keyLog = """
            CLIENT_TRAFFIC_SECRET_0 \(RFC8448.clientRandom) \(RFC8448.clientApplicationTrafficSecret)
            SERVER_TRAFFIC_SECRET_0 \(RFC8448.clientRandom) \(RFC8448.serverApplicationTrafficSecret)
            """
        let (inner, sink) = run(
            [
                Delivery(direction: .clientToServer, bytes: hex(RFC8448.clientHelloRecord)),
                Delivery(direction: .serverToClient, bytes: Self.serverStream),
                Delivery(direction: .clientToServer, bytes: Array(Self.clientStream[Self.clientHelloLength...])),
            ], keyLog: keyLog)
        #expect(inner.received[0] == RFC8448.applicationData)
        #expect(inner.received[1] == RFC8448.applicationData)
        #expect(sink.events.isEmpty, "\(sink.events.map(\.message))")
    }

    static var clientHelloLength: Int { hex(RFC8448.clientHelloRecord).count }

    @Test("the client stream in pieces of every size gives the same plaintext", arguments: 1..<200)
    func piecesOfEverySize(size: Int) {
        let rest = Array(Self.clientStream[Self.clientHelloLength...])
        var deliveries = [
            Delivery(direction: .clientToServer, bytes: hex(RFC8448.clientHelloRecord)),
            Delivery(direction: .serverToClient, bytes: Self.serverStream),
        ]
        var offset = 0
        while offset < rest.count {
            let end = min(rest.count, offset + size)
            deliveries.append(Delivery(direction: .clientToServer, bytes: Array(rest[offset..<end])))
            offset = end
        }
        let (inner, sink) = run(deliveries, keyLog: RFC8448.keyLog)
        #expect(inner.received[0] == RFC8448.applicationData)
        #expect(inner.received[1] == RFC8448.applicationData)
        #expect(sink.events.isEmpty)
    }

    @Test("two pieces, cut at every offset of both streams", arguments: [Direction.clientToServer, .serverToClient])
    func twoPiecesEveryOffset(direction: Direction) {
        let hello = hex(RFC8448.clientHelloRecord)
        let clientRest = Array(Self.clientStream[hello.count...])
        let stream = direction == .clientToServer ? clientRest : Self.serverStream
        for cut in 1..<stream.count {
            let pieces = [
                Delivery(direction: direction, bytes: Array(stream[..<cut])),
                Delivery(direction: direction, bytes: Array(stream[cut...])),
            ]
            let deliveries =
                direction == .clientToServer
                ? [
                    Delivery(direction: .clientToServer, bytes: hello),
                    Delivery(direction: .serverToClient, bytes: Self.serverStream),
                ] + pieces
                : [Delivery(direction: .clientToServer, bytes: hello)] + pieces + [
                    Delivery(direction: .clientToServer, bytes: clientRest)
                ]
            let (inner, sink) = run(deliveries, keyLog: RFC8448.keyLog)
            #expect(inner.received[direction.rawValue] == RFC8448.applicationData, "cut at \(cut)")
            #expect(sink.events.isEmpty, "cut at \(cut): \(sink.events.map(\.message))")
        }
    }

    @Test("without keys the connection is listed with its handshake and a DM-TLS-001 note")
    func withoutKeys() throws {
        let (inner, sink) = run(
            [
                Delivery(direction: .clientToServer, bytes: Self.clientStream),
                Delivery(direction: .serverToClient, bytes: Self.serverStream),
            ], keyLog: "")
        #expect(inner.received == [[], []])
        #expect(inner.ended == [true, true])
        #expect(sink.rules == ["DM-TLS-001"])
        let summary = try #require(sink.summaries.first)
        #expect(summary.status == .noKeys)
        #expect(summary.bytes == [Self.clientStream.count, Self.serverStream.count])
        #expect(summary.handshake.serverName == "server")
        let message = try #require(sink.events.first?.message)
        #expect(message.contains("TLS 1.3") && message.contains("TLS_AES_128_GCM_SHA256") && message.contains("SNI server"))
        #expect(message.contains("key log"))
    }

    @Test("a wrong key gives DM-TLS-002 at the record's frame, and the connection is still summarised")
    func wrongKey() throws {
        let wrong = String(repeating: "ab", count: 32)
        let keyLog = RFC8448.keyLog.replacingOccurrences(of: RFC8448.clientApplicationTrafficSecret, with: wrong)
        let (inner, sink) = run(
            [
                Delivery(direction: .clientToServer, bytes: hex(RFC8448.clientHelloRecord)),
                Delivery(direction: .serverToClient, bytes: Self.serverStream),
                Delivery(direction: .clientToServer, bytes: hex(RFC8448.clientFinishedRecord)),
                Delivery(direction: .clientToServer, bytes: hex(RFC8448.clientApplicationRecord)),
            ], keyLog: keyLog)
        #expect(inner.received[0].isEmpty)
        #expect(inner.gaps[0] == 50 + 1)  // content and inner type byte are lost
        #expect(inner.received[1] == RFC8448.applicationData)
        let event = try #require(sink.events.first)
        #expect(event.rule == "DM-TLS-002")
        #expect(event.frames == [FrameNumber(4)])
        #expect(!event.message.contains(wrong) && !event.message.contains(RFC8448.clientApplicationTrafficSecret))
        #expect(sink.summaries.first?.status == .decrypted(failedRecords: 1))
    }

    @Test("a damaged record fails alone: the records after it still decrypt")
    func damagedRecord() {
        var damaged = hex(RFC8448.clientApplicationRecord)
        damaged[20] ^= 0x01
        let (inner, sink) = run(
            [
                Delivery(direction: .clientToServer, bytes: hex(RFC8448.clientHelloRecord)),
                Delivery(direction: .serverToClient, bytes: Self.serverStream),
                Delivery(direction: .clientToServer, bytes: hex(RFC8448.clientFinishedRecord) + damaged),
                Delivery(direction: .clientToServer, bytes: hex(RFC8448.clientAlertRecord)),
            ], keyLog: RFC8448.keyLog)
        #expect(sink.rules == ["DM-TLS-002"])
        #expect(inner.received[0].isEmpty)
        // The close_notify after the damaged record opened (sequence 1): no malformed report.
        #expect(sink.summaries.first?.alerts.contains { $0.direction == .clientToServer && $0.isCloseNotify } == true)
    }
}
