import Foundation
import Testing

/// A recorded capture whose DevID (header and GET data) carries terminal escape sequences and
/// HTML: no output format lets a raw control character through, and each shows the text escaped.
@Suite("untrusted capture text in every output")
struct UntrustedTextTests {
    static let capture = "SampleCaptures/dm-clean-a-hostile-text.pcap"

    @Test("no control character reaches the output", arguments: ["summary", "frames", "http", "timeline", "json", "jsonl"])
    func noControlCharacters(format: String) throws {
        let result = try CLI.run(["--format", format, "--color", "never", Self.capture])
        #expect(result.status == 0, "\(result.stderr)")
        let controls = result.stdout.unicodeScalars.filter { scalar in
            (scalar.value < 0x20 && scalar != "\n") || (0x7F...0x9F).contains(scalar.value)
        }
        #expect(controls.isEmpty, "\(format): \(controls.map { String($0.value, radix: 16) })")
    }

    @Test("the DevID is shown escaped in the text outputs and JSON-escaped in JSON")
    func shownEscaped() throws {
        let timeline = try CLI.run(["--format", "timeline", Self.capture]).stdout
        #expect(timeline.contains(#"DevID "IMEI:3569380356438\x1b[2J\x1b]0;pwned\x07\x1b[31m<script>alert(1)</script><b>x</b>""#))
        let summary = try CLI.run(["--format", "summary", Self.capture]).stdout
        #expect(summary.contains(#"\x1b]0;pwned\x07"#))
        let json = try CLI.run(["--format", "json", Self.capture]).stdout
        #expect(json.contains(#""devID": "IMEI:3569380356438\u001b[2J\u001b]0;pwned\u0007\u001b[31m<script>alert(1)</script><b>x</b>""#))
    }

    @Test("--color always colours severities but never the capture's own escapes")
    func colourIsOurs() throws {
        let result = try CLI.run(["--format", "timeline", "--color", "always", "SampleCaptures/dm-violation-p3-after-end.pcap"])
        #expect(result.stdout.contains("\u{1B}[1;31merror\u{1B}[0m DM-END-001"))
        let hostile = try CLI.run(["--format", "timeline", "--color", "always", Self.capture]).stdout
        // Only our header/severity SGR sequences: bold on, reset.
        let escapes = hostile.components(separatedBy: "\u{1B}[").dropFirst().map { String($0.prefix(2)) }
        #expect(escapes.allSatisfy { $0 == "1m" || $0 == "0m" }, "\(escapes)")
    }
}
