import Foundation
import Testing

/// The progress line: on a terminal (a pseudo-terminal made by util-linux `script`), cleared at the
/// end; never with -q, and never when standard error is not a terminal.
@Suite("progress line")
struct ProgressLineTests {
    static let capture = "SampleCaptures/dm-clean-a-many-devices.pcap"

    /// Runs dmdissect under `script` (stdout and stderr on a pty); nil when `script` is missing.
    static func onTerminal(_ arguments: [String]) throws -> String? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return nil }
        let command = ([CLI.binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let result = try CLI.runTool(
            "/usr/bin/env", ["DMDISSECT_PROGRESS_INTERVAL=0", "/usr/bin/script", "-qec", command, "/dev/null"])
        return result.stdout
    }

    @Test("shown on a terminal: bytes, percentage, rate, frames; cleared at the end")
    func shown() throws {
        guard let output = try Self.onTerminal(["-o", "/dev/null", Self.capture]) else { return }
        #expect(output.contains("dmdissect: "))
        #expect(output.contains(" read ("))
        #expect(output.contains("/s, "))
        #expect(output.hasSuffix("\r\u{1B}[K"), "\(output.suffix(40).debugDescription)")
    }

    @Test("not with -q, not in a pipe")
    func hidden() throws {
        if let quiet = try Self.onTerminal(["-q", "-o", "/dev/null", Self.capture]) { #expect(quiet.isEmpty) }
        let piped = try CLI.run(["-o", "/dev/null", Self.capture])
        #expect(piped.stderr.isEmpty)
    }
}
