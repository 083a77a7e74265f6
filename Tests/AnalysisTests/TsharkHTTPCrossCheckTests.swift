import Analysis
import Foundation
import HTTP1
import Testing

/// Every HTTP message tshark found (`SampleCaptures/<file>.tshark-http.tsv`, from `tshark -Y http`)
/// must be one dmdissect found too, with the same method and URI or status, at a frame inside our
/// message (tshark names the frame where it completed the message, or where it gave up
/// reassembling it; for a body delimited by close, the FIN frame right after). tshark may find
/// fewer (it misses pipelined requests that share a segment and messages hit by a gap); the peers'
/// own record (HTTPGroundTruthTests) is the full check.
@Suite("HTTP cross-check with tshark")
struct TsharkHTTPCrossCheckTests {
    static let samples = HTTPGroundTruthTests.samples

    static var captures: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: samples.path)) ?? []
        return names.filter { $0.hasSuffix(".tshark-http.tsv") }.map { String($0.dropLast(".tshark-http.tsv".count)) }
            .sorted()
    }

    @Test("tshark's HTTP messages are all among ours", arguments: captures)
    func tsharkMessagesFound(capture: String) throws {
        let text = try String(contentsOf: Self.samples.appendingPathComponent(capture + ".tshark-http.tsv"), encoding: .utf8)
        var rows = text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let header = try #require(rows.first)
        rows.removeFirst()
        func field(_ row: [String], _ name: String) -> String {
            guard let index = header.firstIndex(of: name), index < row.count else { return "" }
            return row[index]
        }

        // What we extracted: each message's frame span and what tshark would print for it.
        var messages: [(frames: ClosedRange<UInt64>, text: String)] = []
        let run = CaptureRun()
        try run.run(files: [Self.samples.appendingPathComponent(capture).path], onPacket: { _, _ in }, onExchange: { exchange in
            if let request = exchange.request {
                messages.append((request.firstFrame.rawValue...request.lastFrame.rawValue, "\(request.head.method) \(request.head.target)"))
            }
            for response in exchange.interimResponses + (exchange.response.map { [$0] } ?? []) {
                let end = response.lastFrame.rawValue + (response.framing == .untilClose ? 1 : 0)
                messages.append((response.firstFrame.rawValue...end, "\(response.head.status)"))
            }
        })
        func found(_ text: String, at frame: UInt64) -> Bool {
            messages.contains { $0.text == text && $0.frames.contains(frame) }
        }

        #expect(!rows.isEmpty)
        for row in rows {
            guard let frame = UInt64(field(row, "frame.number")) else { continue }
            let method = field(row, "http.request.method")
            if !method.isEmpty {
                let expected = "\(method) \(field(row, "http.request.uri"))"
                #expect(found(expected, at: frame), "\(capture) frame \(frame): tshark saw \(expected)")
            }
            let status = field(row, "http.response.code")
            if !status.isEmpty {
                #expect(found(status, at: frame), "\(capture) frame \(frame): tshark saw status \(status)")
            }
        }
    }
}
