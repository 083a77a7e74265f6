import Foundation
import Testing

/// Every input FuzzCapture ever crashed on (`Fuzz/crashes/FuzzCapture/`) replayed through the CLI of
/// the normal build: it must end with a status (0, or 3 for a file that is not a capture), never a
/// signal. Inputs whose bug lies in code owned elsewhere and not fixed yet are listed in `knownBugs`
/// and replayed by a disabled test until the fix lands.
@Suite("fuzz crash replay")
struct FuzzCrashReplayTests {
    /// Crash inputs whose bug is reported, not fixed yet, with where it traps.
    static let knownBugs: [String: String] = [:]

    /// The crash inputs of FuzzCapture.
    static let inputs: [String] = {
        let directory = CLI.root.appendingPathComponent("Fuzz/crashes/FuzzCapture").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }()

    @Test("the committed crash inputs are found")
    func found() {
        #expect(Self.inputs.contains("fd-leak-not-a-capture"))
    }

    @Test(
        "a FuzzCapture crash input ends with a status, not a signal", arguments: inputs.filter { knownBugs[$0] == nil })
    func replay(_ name: String) throws {
        try Self.check(name)
    }

    @Test(
        "known bugs: FuzzCapture crash inputs not fixed yet",
        .disabled("inputs of reported, unfixed bugs (none at present)"), arguments: inputs.filter { knownBugs[$0] != nil })
    func knownBug(_ name: String) throws {
        try Self.check(name)
    }

    static func check(_ name: String) throws {
        let path = CLI.root.appendingPathComponent("Fuzz/crashes/FuzzCapture/\(name)").path
        for format in ["summary", "http", "frames"] {
            let result = try MeasuredRun.run(
                CLI.binary.path, ["--format", format, path], in: CLI.root.path, timeout: 60)
            let stderr = String(decoding: result.stderr, as: UTF8.self).prefix(500)
            #expect(result.signal == nil, "\(name) --format \(format): \(stderr)")
            #expect(result.status == 0 || result.status == 3, "\(name) --format \(format): \(stderr)")
        }
    }
}

/// Options from the command line that used to reach arithmetic on capture time unchecked.
@Suite("hostile options")
struct HostileOptionTests {
    @Test(
        "a huge --idle-timeout or --notification-window is refused or honoured, never a trap",
        arguments: ["--idle-timeout", "--notification-window"])
    func hugeWindow(option: String) throws {
        let result = try MeasuredRun.run(
            CLI.binary.path, [option, "10000000000", "SampleCaptures/dm-clean-a-cont.pcap"], in: CLI.root.path,
            timeout: 60)
        #expect(result.signal == nil)
        #expect(result.status == 0 || result.status == 2)
    }
}
