import Analysis
import Crypto
import Foundation
import Packets
import Reassembly
import Testing

@testable import TLS

/// Each DM-TLS finding, from the smallest input that produces it.
@Suite("TLS findings")
struct EventTests {
    static let hello = hex(RFC8448.clientHelloRecord)

    /// A TLS 1.2 ServerHello record choosing `suite`.
    static func serverHello12(suite: UInt16) -> [UInt8] {
        let body: [UInt8] = [3, 3] + [UInt8](repeating: 0x42, count: 32) + [0] + [UInt8(suite >> 8), UInt8(suite & 0xFF), 0]
        let message: [UInt8] = [2, 0, 0, UInt8(body.count)] + body
        return [22, 3, 3, 0, UInt8(message.count)] + message
    }

    @Test("DM-TLS-003: a record that is not TLS stops the direction")
    func malformed() {
        let (_, sink) = run(
            [
                Delivery(direction: .clientToServer, bytes: Self.hello),
                Delivery(direction: .serverToClient, bytes: [0x30, 3, 3, 0, 1, 0]),
            ], keyLog: RFC8448.keyLog)
        #expect(sink.rules == ["DM-TLS-003", "DM-TLS-001"])
        #expect(sink.events.first?.message.contains("content type 48") == true)
        #expect(sink.summaries.first?.status == .handshakeNotSeen)
    }

    @Test("DM-TLS-005: keys for a CBC suite, which is not decrypted")
    func unsupportedSuite() throws {
        let keyLog = "CLIENT_RANDOM \(RFC8448.clientRandom) \(String(repeating: "11", count: 48))"
        let (_, sink) = run(
            [
                Delivery(direction: .clientToServer, bytes: Self.hello),
                Delivery(direction: .serverToClient, bytes: Self.serverHello12(suite: 0xC013)),
            ], keyLog: keyLog)
        #expect(sink.rules == ["DM-TLS-005"])
        let message = try #require(sink.events.first?.message)
        #expect(message.contains("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA is not supported"))
        #expect(sink.handshakes.first?.1 == false)
    }

    @Test("DM-TLS-005: a TLS 1.3 connection whose key log has only CLIENT_RANDOM")
    func missingSecret() {
        let keyLog = "CLIENT_RANDOM \(RFC8448.clientRandom) \(String(repeating: "11", count: 48))"
        let (_, sink) = run(
            [
                Delivery(direction: .clientToServer, bytes: Self.hello),
                Delivery(direction: .serverToClient, bytes: RFC8448ConnectionTests.serverStream),
            ], keyLog: keyLog)
        #expect(sink.rules == ["DM-TLS-005"])
        #expect(sink.summaries.first?.status == .missingSecret("the TLS 1.3 traffic secrets (the key log has only CLIENT_RANDOM)"))
    }

    @Test("DM-TLS-006: a fatal alert in clear; close_notify is not reported")
    func alert() throws {
        let (_, sink) = run(
            [
                Delivery(direction: .clientToServer, bytes: Self.hello),
                Delivery(direction: .serverToClient, bytes: [21, 3, 3, 0, 2, 2, 40]),
                Delivery(direction: .clientToServer, bytes: [21, 3, 3, 0, 2, 1, 0]),
            ], keyLog: "")
        #expect(sink.rules == ["DM-TLS-006", "DM-TLS-001"])
        let message = try #require(sink.events.first?.message)
        #expect(message.contains("the server sent alert fatal handshake_failure (40)"))
        #expect(sink.summaries.first?.alerts.count == 2)
    }

    @Test("TLS 1.3 KeyUpdate: the records after it open with the next application secret")
    func keyUpdate() throws {
        let parameters = SuiteParameters(aead: .aes128GCM, hash: .sha256)
        func seal(_ inner: [UInt8], secret: [UInt8], sequence: UInt64) throws -> [UInt8] {
            let (key, iv) = KeySchedule.trafficKeys(secret: secret, parameters: parameters)
            var nonce = iv
            for index in 0..<8 { nonce[4 + index] ^= UInt8(truncatingIfNeeded: sequence >> (56 - 8 * index)) }
            let header: [UInt8] = [23, 3, 3, 0, UInt8(inner.count + 16)]
            let box = try AES.GCM.seal(
                inner, using: SymmetricKey(data: key), nonce: try AES.GCM.Nonce(data: nonce), authenticating: header)
            return header + Array(box.ciphertext) + Array(box.tag)
        }
        let secret0 = hex(RFC8448.clientApplicationTrafficSecret)
        let secret1 = KeySchedule.nextTrafficSecret(secret0, hash: .sha256)
        let update = try seal([24, 0, 0, 1, 0, 22], secret: secret0, sequence: 0)
        let data = try seal(Array("after the update".utf8) + [23], secret: secret1, sequence: 0)
        let (inner, sink) = run(
            [
                Delivery(direction: .clientToServer, bytes: Self.hello),
                Delivery(direction: .serverToClient, bytes: RFC8448ConnectionTests.serverStream),
                Delivery(direction: .clientToServer, bytes: hex(RFC8448.clientFinishedRecord) + update + data),
            ], keyLog: RFC8448.keyLog)
        #expect(sink.events.isEmpty, "\(sink.events.map(\.message))")
        #expect(inner.received[0] == Array("after the update".utf8))
    }

    @Test("a HelloRetryRequest, then the second ClientHello (same random) and the real ServerHello")
    func helloRetryRequest() throws {
        // HRR: a ServerHello whose random is SHA-256("HelloRetryRequest"), selecting TLS 1.3.
        let body: [UInt8] = [3, 3] + ServerHello.helloRetryRequestRandom + [0, 0x13, 0x01, 0, 0, 6, 0, 43, 0, 2, 3, 4]
        let retry: [UInt8] = [22, 3, 3, 0, UInt8(body.count + 4), 2, 0, 0, UInt8(body.count)] + body
        let (inner, sink) = run(
            [
                Delivery(direction: .clientToServer, bytes: Self.hello),
                Delivery(direction: .serverToClient, bytes: retry),
                Delivery(direction: .clientToServer, bytes: [20, 3, 3, 0, 1, 1] + Self.hello),
                Delivery(direction: .serverToClient, bytes: RFC8448ConnectionTests.serverStream),
                Delivery(direction: .clientToServer, bytes: Array(RFC8448ConnectionTests.clientStream[Self.hello.count...])),
            ], keyLog: RFC8448.keyLog)
        #expect(sink.events.isEmpty, "\(sink.events.map(\.message))")
        #expect(inner.received == [RFC8448.applicationData, RFC8448.applicationData])
        let summary = try #require(sink.summaries.first)
        #expect(summary.handshake.hadHelloRetryRequest)
    }

    @Test("a ClientHello split over two handshake records, and two records in one segment")
    func helloOverTwoRecords() {
        let message = Array(Self.hello[5...])
        let cut = 37
        let first: [UInt8] = [22, 3, 1, 0, UInt8(cut)] + message[..<cut]
        let rest = Array(message[cut...])
        let second: [UInt8] = [22, 3, 1, UInt8(rest.count >> 8), UInt8(rest.count & 0xFF)] + rest
        let (inner, sink) = run(
            [
                Delivery(direction: .clientToServer, bytes: first + second),
                Delivery(direction: .serverToClient, bytes: RFC8448ConnectionTests.serverStream),
                Delivery(direction: .clientToServer, bytes: Array(RFC8448ConnectionTests.clientStream[Self.hello.count...])),
            ], keyLog: RFC8448.keyLog)
        #expect(sink.events.isEmpty)
        #expect(inner.received[0] == RFC8448.applicationData)
    }

    @Test("DM-TLS-007: a bad line in a pcapng Decryption Secrets Block is a finding without the line")
    func secretsBlockIssue() throws {
        let secretLine = "CLIENT_RANDOM \(RFC8448.clientRandom) \(String(repeating: "77", count: 48))"
        let path = try PcapNG.write(secrets: "garbage here\n" + secretLine + "\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = CaptureRun()
        try run.run(files: [path], onPacket: { _, _ in })
        let finding = try #require(run.findings.first { $0.rule == "DM-TLS-007" })
        #expect(finding.frames == [FrameNumber(1)] && finding.severity == .warning)
        #expect(finding.message == "Line 1 of the TLS key log in Decryption Secrets Block 1 was skipped: not a key log line (expected LABEL CLIENT_RANDOM SECRET).")
        #expect(run.tlsKeys.isEmpty == false)
    }
}

/// A minimal little-endian pcapng: section header, one Ethernet interface, a TLS key log
/// Decryption Secrets Block, one 14-byte frame.
enum PcapNG {
    static func block(_ type: UInt32, _ body: [UInt8]) -> [UInt8] {
        var padded = body
        while padded.count % 4 != 0 { padded.append(0) }
        let length = UInt32(12 + padded.count)
        return le(type) + le(length) + padded + le(length)
    }
    static func le(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    static func write(secrets: String) throws -> String {
        let data = Array(secrets.utf8)
        var file = block(0x0A0D_0D0A, [0x4D, 0x3C, 0x2B, 0x1A, 1, 0, 0, 0] + [UInt8](repeating: 0xFF, count: 8))
        file += block(1, [1, 0, 0, 0] + le(0))
        file += block(0x0A, le(0x544C_534B) + le(UInt32(data.count)) + data)
        file += block(6, le(0) + le(0) + le(0) + le(14) + le(14) + [UInt8](repeating: 0, count: 14))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tls-dsb-\(UUID().uuidString).pcapng").path
        try Data(file).write(to: URL(fileURLWithPath: path))
        return path
    }
}
