import Foundation
import Testing

/// `--format html`: a self-contained page, all capture text escaped, checked in a real browser
/// (headless Chromium through scripts/check-report, which asserts on the rendered DOM).
@Suite("HTML report")
struct HTMLReportTests {
    static let captures = [
        "SampleCaptures/dm-violation-p3-after-end.pcap", "SampleCaptures/dm-clean-a-server-initiated.pcap",
        "SampleCaptures/dm-clean-a-hostile-text.pcap",
    ]

    @Test("rendered by Chromium: 3 sessions, 19 arrows, 1 finding row, no script, a CSP")
    func rendered() throws {
        let result = try CLI.runTool(
            "/usr/bin/python3",
            ["scripts/check-report", "--dmdissect", CLI.binary.path, "--expect-sessions", "3", "--expect-arrows", "19",
             "--expect-findings", "1"] + Self.captures)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("\"sessions\": 3"))
    }

    @Test("capture text is HTML-escaped; the page needs nothing outside itself")
    func escaped() throws {
        let result = try CLI.run(["--format", "html", "SampleCaptures/dm-clean-a-hostile-text.pcap"])
        #expect(result.status == 0)
        let page = result.stdout
        #expect(!page.contains("<script"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;"))
        #expect(page.contains(#"\x1b[2J"#))
        #expect(!page.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" })
        #expect(page.contains("Content-Security-Policy"))
        #expect(!page.contains("http://") || !page.contains("src=\"http"))
        #expect(page.hasSuffix("</main></body></html>\n"))
    }

    @Test("--session keeps one session in the report")
    func selected() throws {
        let page = try CLI.run(["--format", "html", "--session", "IMEI:356938035643915", "SampleCaptures/dm-clean-a-many-devices.pcap"]).stdout
        #expect(page.components(separatedBy: "<article class=\"session").count == 2)
    }
}
