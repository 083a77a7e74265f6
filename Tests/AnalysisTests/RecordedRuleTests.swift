import Foundation
import Testing

@testable import Analysis

/// The DM sample captures recorded with misbehaving peers (`scripts/record-dm-samples`): each names
/// the rules it must trigger in `<capture>.expected-rules.txt` (empty: a clean capture). The DM
/// findings of the run must be exactly those rules.
@Suite("DM rules on recorded captures")
struct RecordedRuleTests {
    static var captures: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: HTTPGroundTruthTests.samples.path)) ?? []
        return names.filter { $0.hasSuffix(".expected-rules.txt") }.map {
            String($0.dropLast(".expected-rules.txt".count))
        }
        .sorted()
    }

    @Test("the DM findings are exactly the expected rules", arguments: captures)
    func expectedRules(capture: String) throws {
        let url = HTTPGroundTruthTests.samples.appendingPathComponent(capture)
        let expectedText = try String(contentsOf: url.appendingPathExtension("expected-rules.txt"), encoding: .utf8)
        let expected = Set(
            expectedText.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") })
        let run = CaptureRun()
        var sessions: [Session] = []
        try run.run(files: [url.path], onPacket: { _, _ in }, onSession: { sessions.append($0) })
        let found = Set(run.findings.map(\.rule).filter { $0.hasPrefix("DM-") })
        #expect(!sessions.isEmpty)
        #expect(found == expected, "\(run.findings.map { "\($0.rule): \($0.message)" })")
    }

    @Test("outcomes of the abort captures")
    func outcomes() throws {
        for (capture, outcome) in [("dm-abort-http-500.pcap", "aborted"), ("dm-abort-rst-mid-session.pcap", "aborted")]
        {
            let url = HTTPGroundTruthTests.samples.appendingPathComponent(capture)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            var sessions: [Session] = []
            try CaptureRun().run(files: [url.path], onPacket: { _, _ in }, onSession: { sessions.append($0) })
            #expect(sessions.map { $0.outcome?.name } == [outcome], "\(capture): \(sessions.map(\.outcome))")
        }
    }
}
