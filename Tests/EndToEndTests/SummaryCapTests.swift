import Foundation
import Testing

/// `--format summary` lists the first 1,000 sessions and counts the rest, so that its memory does
/// not grow with the capture (issue 8: a 1 GB capture holds 45,000 sessions).
@Suite("summary session cap")
struct SummaryCapTests {
    @Test("1,100 sessions: 1,000 listed, 100 counted, totals over all")
    func capped() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dmdissect-1100-sessions.pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let generated = try CLI.runTool(
            "python3", ["scripts/bench/mkbench.py", "--sessions", "1100", "--noise-ratio", "0", "--out", path])
        try #require(generated.status == 0, "\(generated.stderr)")
        let result = try CLI.run(["--format", "summary", path])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("  session ") }.count == 1000)
        #expect(lines.contains("  … 100 more sessions (counted above, not listed; --format jsonl lists every one)"))
        #expect(result.stdout.contains("sessions 1100"))
        #expect(result.stdout.contains("sessions by outcome: ended 1100"))
    }
}
