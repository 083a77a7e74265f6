import Analysis
import Foundation
import Rendering
import Testing

/// Findings are counted without limit but stored only up to a cap per rule, so that memory does
/// not grow with the capture; the summary says how many it did not list.
@Suite("finding storage cap")
struct FindingCapTests {
    @Test("beyond the cap a rule's findings are counted, not stored, and the summary says so")
    func capPerRule() throws {
        var options = RunOptions()
        options.storedFindingsPerRule = 1
        let run = CaptureRun(options: options)
        var streamed = 0
        try run.run(
            files: [CLI.root.appendingPathComponent("SampleCaptures/snaplen-96.pcap").path], onPacket: { _, _ in },
            onFinding: { _ in streamed += 1 })
        let gaps = run.findingCounts["TCP-GAP"] ?? 0
        #expect(gaps == 5)
        #expect(run.findings.filter { $0.rule == "TCP-GAP" }.count == 1)
        #expect(run.totalFindings == streamed)
        #expect(SummaryRenderer().lines(for: run).contains("  … 4 more TCP-GAP findings (counted, not listed)"))
    }
}
