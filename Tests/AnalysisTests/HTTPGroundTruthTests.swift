import Analysis
import Crypto
import Foundation
import HTTP1
import Reassembly
import Testing

/// Checks the HTTP extraction against what the recording peers themselves sent
/// (`SampleCaptures/<file>.exchanges.json`, written by scripts/lib/exchanges.py while recording):
/// every message, in order per connection, with its start line, content type, body length and
/// the SHA-256 of the decoded body. tshark is only a second opinion (it misses pipelined and
/// gap-hit messages); these files are the ground truth.
@Suite("HTTP extraction against the peers' ground truth")
struct HTTPGroundTruthTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleCaptures")

    static var captures: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: samples.path)) ?? []
        return names.filter { $0.hasSuffix(".exchanges.json") }.map { String($0.dropLast(".exchanges.json".count)) }
            .sorted()
    }

    /// One message of the ground truth, with the byte range it occupies in its direction's stream.
    struct Truth {
        var startLine: String
        var contentType: String?
        var bodyLength: Int
        var decodedLength: Int
        var decodedSHA256: String
        var range: Range<Int>
        var beforeCapture: Bool

        init(_ json: [String: Any]) {
            startLine = json["start_line"] as? String ?? ""
            contentType = json["content_type"] as? String
            bodyLength = json["body_len"] as? Int ?? -1
            decodedLength = json["decoded_len"] as? Int ?? -1
            decodedSHA256 = json["decoded_sha256"] as? String ?? ""
            let offset = json["offset"] as? Int ?? 0
            let length = (json["head_len"] as? Int ?? 0) + (json["wire_len"] as? Int ?? 0)
            range = offset..<(offset + length)
            beforeCapture = json["before_capture"] as? Bool ?? false
        }
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares one extracted message with its truth; `lost` says the capture lacks some of its bytes.
    static func check<Head>(
        _ message: HTTPMessage<Head>?, startLine: (Head) -> String, headers: (Head) -> HTTPHeaders,
        against truth: Truth, lost: Bool, _ where_: String
    ) {
        guard let message else {
            #expect(lost, "\(where_): missing, although the capture holds all of it")
            return
        }
        if lost {
            #expect(
                message.flags.contains(.gap) || message.flags.contains(.truncated),
                "\(where_): bytes were removed from the capture but the message is not flagged")
            return
        }
        #expect(startLine(message.head) == truth.startLine, "\(where_)")
        #expect(headers(message.head).first("Content-Type") == truth.contentType, "\(where_)")
        #expect(message.payloadLength == truth.bodyLength, "\(where_): body length")
        #expect(message.flags.isDisjoint(with: [.gap, .truncated, .framingError]), "\(where_): flags \(message.flags)")
        if !message.flags.contains(.bodySkipped) {
            #expect(message.body.count == truth.decodedLength, "\(where_): decoded length")
            #expect(sha256(message.body) == truth.decodedSHA256, "\(where_): decoded body differs")
        }
    }

    @Test("every HTTP message the peers sent is extracted, in order, with the same bytes", arguments: captures)
    func matchesGroundTruth(capture: String) throws {
        let data = try Data(contentsOf: Self.samples.appendingPathComponent(capture + ".exchanges.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let connections = try #require(root["connections"] as? [[String: Any]])
        // Byte ranges removed from a derived capture, per direction.
        var removed: [String: [Range<Int>]] = [:]
        for entry in root["removed_frames"] as? [[String: Any]] ?? [] {
            let offset = entry["offset"] as? Int ?? 0, length = entry["len"] as? Int ?? 0
            removed[entry["direction"] as? String ?? "", default: []].append(offset..<(offset + length))
        }
        func isLost(_ truth: Truth, _ direction: String) -> Bool {
            removed[direction, default: []].contains { $0.overlaps(truth.range) }
        }

        var extracted: [Int: [HTTPExchange]] = [:]
        var endpoints: [Int: String] = [:]
        let run = CaptureRun()
        try run.run(files: [Self.samples.appendingPathComponent(capture).path], onPacket: { _, _ in }, onExchange: { exchange in
            extracted[exchange.connection.index, default: []].append(exchange)
            endpoints[exchange.connection.index] = "\(exchange.connection.client) \(exchange.connection.server)"
        })
        let ours = extracted.keys.sorted()
        #expect(!connections.isEmpty && ours.count == connections.count, "\(capture): connections")
        var compared = 0

        for (connectionNumber, (truthConnection, index)) in zip(connections, ours).enumerated() {
            let label = "\(capture) connection \(connectionNumber + 1)"
            #expect(endpoints[index] == "\(truthConnection["client"] as? String ?? "") \(truthConnection["server"] as? String ?? "")", "\(label)")
            let truths = (truthConnection["exchanges"] as? [[String: Any]] ?? []).filter { exchange in
                // Exchanges sent before the capture started cannot be extracted.
                !((exchange["request"] as? [String: Any])?["before_capture"] as? Bool ?? false)
            }
            let exchanges = extracted[index] ?? []
            #expect(exchanges.count == truths.count, "\(label): exchanges")
            for (number, (truth, exchange)) in zip(truths, exchanges).enumerated() {
                let here = "\(label) exchange \(number + 1)"
                compared += 1
                #expect(exchange.request?.head.method == truth["method"] as? String, "\(here)")
                if let request = truth["request"] as? [String: Any] {
                    let truthRequest = Truth(request)
                    Self.check(
                        exchange.request, startLine: { "\($0.method) \($0.target) \($0.version)" }, headers: \.headers,
                        against: truthRequest, lost: isLost(truthRequest, "request"), here + " request")
                }
                let interim = (truth["interim"] as? [[String: Any]] ?? []).map { Truth($0).startLine }
                #expect(
                    exchange.interimResponses.map { "\($0.head.version) \($0.head.status) \($0.head.reason)" } == interim,
                    "\(here) interim")
                if let response = truth["response"] as? [String: Any] {
                    let truthResponse = Truth(response)
                    Self.check(
                        exchange.response, startLine: { "\($0.version) \($0.status) \($0.reason)" }, headers: \.headers,
                        against: truthResponse, lost: isLost(truthResponse, "response"), here + " response")
                }
            }
        }
        #expect(compared >= 1, "\(capture): only \(compared) exchanges compared")
    }

    @Test("the HTTP sample captures with ground truth are all there")
    func capturesPresent() {
        #expect(Self.captures.count >= 8)
    }
}
