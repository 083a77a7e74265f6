import Analysis
import Crypto
import Foundation
import HTTP1
import Testing
import TLS

/// The TLS captures recorded by scripts/record-tls-samples, decrypted by a whole `CaptureRun`, against
/// what the peers themselves handed to their TLS sockets (`FILE.tls-exchanges.json`).
@Suite("Recorded TLS captures")
struct RecordedCaptureTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleCaptures")

    /// Capture → negotiated version and suite (checked with tshark while recording).
    static let expected: [String: (version: String, suite: String)] = [
        "tls-12-aes128gcm-reconnect.pcap": ("1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
        "tls-12-aes256gcm-keepalive.pcap": ("1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
        "tls-12-chacha20-keepalive.pcap": ("1.2", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
        "tls-13-aes256gcm-keepalive.pcap": ("1.3", "TLS_AES_256_GCM_SHA384"),
        "tls-13-aes256gcm-per-package.pcap": ("1.3", "TLS_AES_256_GCM_SHA384"),
        "tls-13-per-package-injected.pcapng": ("1.3", "TLS_AES_256_GCM_SHA384"),
    ]
    static var captures: [String] { expected.keys.sorted() }

    static func keyLog(for capture: String) throws -> KeyLog {
        let url = samples.appendingPathComponent(capture + ".keylog")
        guard FileManager.default.fileExists(atPath: url.path) else { return KeyLog() }  // the pcapng carries its keys
        var issues: [KeyLogIssue] = []
        let log = KeyLog(parsing: try Data(contentsOf: url), source: url.path, issues: &issues)
        #expect(issues.isEmpty)
        return log
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// Runs `capture` with `keyLog`; returns the exchanges by connection and the findings.
    static func analyse(_ capture: String, keyLog: KeyLog) throws -> ([Int: [HTTPExchange]], [Finding], CaptureRun) {
        var exchanges: [Int: [HTTPExchange]] = [:]
        let run = CaptureRun(options: RunOptions(tlsKeyLog: keyLog))
        try run.run(
            files: [samples.appendingPathComponent(capture).path], onPacket: { _, _ in },
            onExchange: { exchanges[$0.connection.index, default: []].append($0) })
        return (exchanges, run.findings, run)
    }

    @Test("every HTTP message the peers sent is decrypted, in order, with the same bytes", arguments: captures)
    func matchesGroundTruth(capture: String) throws {
        let data = try Data(contentsOf: Self.samples.appendingPathComponent(capture + ".tls-exchanges.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let connections = try #require(root["connections"] as? [[String: Any]])
        let (extracted, findings, run) = try Self.analyse(capture, keyLog: try Self.keyLog(for: capture))
        #expect(findings.filter { $0.rule.hasPrefix("DM-TLS") }.isEmpty, "\(findings.map(\.message))")
        #expect(run.tlsCounts.connections == connections.count && run.tlsCounts.decrypted == connections.count)
        #expect(run.tlsConnections.map(\.summary.status) == Array(repeating: .decrypted(failedRecords: 0), count: connections.count))
        let indices = extracted.keys.sorted()
        #expect(indices.count == connections.count, "\(capture): connections")
        var compared = 0
        for (truthConnection, index) in zip(connections, indices) {
            let exchanges = extracted[index] ?? []
            let truths = truthConnection["exchanges"] as? [[String: Any]] ?? []
            #expect(exchanges.count == truths.count)
            #expect(exchanges.first.map { "\($0.connection.client) \($0.connection.server)" }
                == "\(truthConnection["client"] as? String ?? "") \(truthConnection["server"] as? String ?? "")")
            for (truth, exchange) in zip(truths, exchanges) {
                let request = try #require(exchange.request)
                let response = try #require(exchange.response)
                let truthRequest = try #require(truth["request"] as? [String: Any])
                let truthResponse = try #require(truth["response"] as? [String: Any])
                #expect("\(request.head.method) \(request.head.target) \(request.head.version)" == truthRequest["start_line"] as? String)
                #expect("\(response.head.version) \(response.head.status) \(response.head.reason)" == truthResponse["start_line"] as? String)
                #expect(request.head.headers.first("Content-Type") == truthRequest["content_type"] as? String)
                #expect(Self.sha256(request.body) == truthRequest["decoded_sha256"] as? String)
                #expect(Self.sha256(response.body) == truthResponse["decoded_sha256"] as? String)
                #expect(request.flags.isEmpty && response.flags.isEmpty)
                let expected = try #require(Self.expected[capture])
                #expect(exchange.tls == TransportSecurity(version: expected.version, cipherSuite: expected.suite, serverName: "dms.example"))
                compared += 1
            }
        }
        #expect(compared >= 3)
    }

    @Test("tshark's decrypted HTTP messages are ours, at a frame inside our message", arguments: captures)
    func tsharkMessagesFound(capture: String) throws {
        let text = try String(
            contentsOf: Self.samples.appendingPathComponent(capture + ".tshark-tls-http.tsv"), encoding: .utf8)
        var rows = text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let header = try #require(rows.first)
        rows.removeFirst()
        func field(_ row: [String], _ name: String) -> String {
            guard let index = header.firstIndex(of: name), index < row.count else { return "" }
            return row[index]
        }
        let (extracted, _, _) = try Self.analyse(capture, keyLog: try Self.keyLog(for: capture))
        var messages: [(frames: ClosedRange<UInt64>, text: String)] = []
        for exchange in extracted.values.joined() {
            if let request = exchange.request {
                messages.append((request.firstFrame.rawValue...request.lastFrame.rawValue, "\(request.head.method) \(request.head.target)"))
            }
            if let response = exchange.response {
                messages.append((response.firstFrame.rawValue...response.lastFrame.rawValue, "\(response.head.status)"))
            }
        }
        #expect(rows.count == messages.count)
        for row in rows {
            let frame = try #require(UInt64(field(row, "frame.number")))
            let method = field(row, "http.request.method")
            let expected = method.isEmpty ? field(row, "http.response.code") : "\(method) \(field(row, "http.request.uri"))"
            #expect(messages.contains { $0.text == expected && $0.frames.contains(frame) }, "\(capture) frame \(frame): \(expected)")
        }
    }

    @Test("without keys: every connection is listed with an info finding, nothing is decrypted", arguments: [
        "tls-12-aes128gcm-reconnect.pcap", "tls-13-aes256gcm-keepalive.pcap",
    ])
    func withoutKeys(capture: String) throws {
        let (extracted, findings, run) = try Self.analyse(capture, keyLog: KeyLog())
        #expect(extracted.isEmpty)
        let notes = findings.filter { $0.rule == "DM-TLS-001" }
        #expect(notes.count == run.tlsCounts.connections && !notes.isEmpty)
        #expect(notes.allSatisfy { $0.severity == .info && $0.message.contains("SNI dms.example") })
        #expect(run.tlsKeys.connectionsMatched == 0 && run.tlsKeys.connectionsSeen == notes.count)
        #expect(run.tlsConnections.count == notes.count)
        for listed in run.tlsConnections {
            #expect(listed.summary.status == .noKeys && listed.fileIndex == 0)
            #expect(listed.summary.handshake.serverName == "dms.example")
            #expect(listed.summary.bytes.allSatisfy { $0 > 0 } && listed.summary.records.allSatisfy { $0 > 0 })
            #expect(listed.summary.firstFrame < listed.summary.lastFrame)
        }
    }

    @Test("a wrong key: an error finding with the frame, the connection still listed, no secret in any message")
    func wrongKey() throws {
        let capture = "tls-12-chacha20-keepalive.pcap"
        let text = try String(contentsOf: Self.samples.appendingPathComponent(capture + ".keylog"), encoding: .utf8)
        // Same client random, another master secret.
        let broken = text.split(separator: "\n").map { line -> String in
            let fields = line.split(separator: " ")
            guard fields.count == 3 else { return String(line) }
            return "\(fields[0]) \(fields[1]) \(String(repeating: "5a", count: fields[2].count / 2))"
        }.joined(separator: "\n")
        var issues: [KeyLogIssue] = []
        let (extracted, findings, _) = try Self.analyse(capture, keyLog: KeyLog(parsing: Array(broken.utf8), source: "k", issues: &issues))
        #expect(extracted.values.allSatisfy { $0.allSatisfy { $0.request == nil || $0.request?.body.isEmpty == true } })
        let errors = findings.filter { $0.rule == "DM-TLS-002" }
        #expect(errors.count == 2)  // one per direction
        #expect(errors.allSatisfy { $0.severity == .error && !$0.frames.isEmpty })
        for secret in text.split(separator: "\n").compactMap({ $0.split(separator: " ").last }) {
            #expect(!findings.contains { $0.message.contains(secret) })
        }
    }
}
