import Foundation
import Testing

/// The hostile-capture suite of issue 9: every capture `scripts/make-hostile --scale test` writes is
/// run through the CLI with a wall-time and a peak-RSS bound, and must end with the exit status the
/// generator's manifest gives, the findings it names, and sane output. The full-size suite (10^6 SYNs,
/// 100 MB string, …) runs with `scripts/hostile-check`, which prints time and RSS per capture.
@Suite("hostile captures", .serialized)
struct HostileCaptureTests {
    /// One line of the manifest.
    struct Capture: CustomTestStringConvertible, Sendable {
        var file: String
        var status: Int32
        var rules: [String]
        /// A known bug that makes this capture fail for now (the manifest's last column), or nil.
        var knownBug: String?
        var testDescription: String { file }
    }

    /// Wall-time bound per capture, generous for a debug build on a busy 2-core machine.
    static let timeLimit = 60.0
    /// Peak RSS bound per capture.
    static let rssLimitKiB = 1024 * 1024

    /// The captures `scripts/make-hostile --list` names (known without generating them).
    static let captures: [Capture] = {
        let listing = try? CLI.runTool("/usr/bin/env", ["python3", "scripts/make-hostile", "--list"])
        guard let listing, listing.status == 0 else { return [] }
        return listing.stdout.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 3, fields[1].hasPrefix("exit "), let status = Int32(fields[1].dropFirst(5)) else {
                return nil
            }
            return Capture(
                file: fields[0], status: status,
                rules: fields[2] == "-" ? [] : fields[2].split(separator: ",").map(String.init),
                knownBug: fields.count > 4 && fields[4] != "-" ? fields[4] : nil)
        }
    }()

    /// The generated captures, written once per test process next to the binary (inside the build
    /// directory, so one build's runs reuse the space and another build's never clash with it).
    static let directory: Result<String, GenerationError> = {
        let path = CLI.binary.deletingLastPathComponent().appendingPathComponent("hostile-data").path
        let arguments = ["python3", "scripts/make-hostile", "--scale", "test", path]
        guard let result = try? CLI.runTool("/usr/bin/env", arguments) else {
            return .failure(GenerationError(message: "python3 scripts/make-hostile did not run"))
        }
        guard result.status == 0 else { return .failure(GenerationError(message: result.stderr)) }
        return .success(path)
    }()

    struct GenerationError: Error, CustomStringConvertible {
        var message: String
        var description: String { "scripts/make-hostile failed: \(message)" }
    }

    /// A C0 control other than newline and tab, or DEL: what must never reach a terminal raw.
    static func isRawControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\n" && scalar != "\t") || scalar.value == 0x7F
    }

    @Test("the generator lists every capture of the issue")
    func listed() {
        #expect(Self.captures.count >= 28, "\(Self.captures.map(\.file))")
    }

    @Test(
        "dmdissect finishes within the time and memory bounds with the expected findings",
        arguments: captures.filter { $0.knownBug == nil })
    func capture(_ capture: Capture) throws {
        try check(capture)
    }

    /// Captures the manifest marks with a known bug (reported to the owners of the code at fault): they
    /// run with the same checks once the bug is fixed and the mark removed from scripts/make-hostile.
    @Test(
        "known bugs (the manifest's last column says which)",
        .disabled("captures of reported, unfixed bugs (none at present)"),
        arguments: captures.filter { $0.knownBug != nil })
    func knownBug(_ capture: Capture) throws {
        try check(capture)
    }

    private func check(_ capture: Capture) throws {
        let directory = try Self.directory.get()
        let result = try MeasuredRun.run(
            CLI.binary.path, ["--format", "summary", "\(directory)/\(capture.file)"], in: CLI.root.path,
            timeout: Self.timeLimit)
        let stdout = String(decoding: result.stdout, as: UTF8.self)
        let stderr = String(decoding: result.stderr, as: UTF8.self)
        let measured = "\(result.seconds) s, \(result.maxRSSKiB / 1024) MiB"
        let note = Comment(rawValue: "\(capture.file): \(measured), stderr: \(stderr.prefix(300))")
        #expect(!result.timedOut, note)
        #expect(result.signal == nil, note)
        #expect(result.status == capture.status, note)
        #expect(result.maxRSSKiB < Self.rssLimitKiB, note)
        for rule in capture.rules {
            #expect(stdout.contains(" \(rule)"), "\(capture.file): no \(rule) finding in\n\(stdout.prefix(3000))")
        }
        // Sane output: valid UTF-8, no raw control character from the capture, bounded.
        #expect(String(validating: result.stdout, as: UTF8.self) != nil, note)
        #expect(!stdout.unicodeScalars.contains(where: Self.isRawControl), note)
        #expect(stdout.split(separator: "\n").count < 5000, note)
        if capture.status == 0 { #expect(stdout.contains("findings"), note) }
        // Each limit the capture is built to hit is counted in the summary's "limits hit" line.
        let limitsLine = stdout.split(separator: "\n").first { $0.hasPrefix("limits hit: ") } ?? ""
        for limit in Self.expectedLimits[capture.file] ?? [] {
            #expect(limitsLine.contains("\(limit) "), "\(capture.file): \(limit) not counted in '\(limitsLine)'")
        }
        if capture.status == 0, Self.expectedLimits[capture.file] == nil {
            #expect(limitsLine == "limits hit: none", note)
        }
    }

    /// The limits (summary names) each capture must hit at test scale; the others hit none.
    static let expectedLimits: [String: [String]] = [
        "tcp-syn-flood.pcap": ["--max-flows"],
        "http-header-10mb.pcap": ["--max-header-size"],
        "http-endless-chunked.pcap": ["--max-body-size"],
        "http-pipelined-100k.pcap": ["--max-pipelined"],
        "http-gzip-bomb.pcap": ["--max-decoded-size"],
        "json-nesting-1e6.pcap": ["--max-json-depth"],
        "json-string-100mb.pcap": ["--max-body-size"],
        "json-million-commands.pcap": ["--max-package-items"],
        "session-big-packages.pcap": ["--max-package-items", "--max-session-items"],
        "json-numbers.pcap": ["json-number-length"],
        "ip-fragments-overlap.pcap": ["fragment-datagram-size"],
        "ip-fragments-incomplete.pcap": ["--max-fragment-datagrams"],
    ]
}
