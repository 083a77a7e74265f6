import Foundation
import Testing

/// Exit codes, input kinds and options of the command line, through the real binary.
@Suite("command line")
struct CommandLineTests {
    static let sample = "SampleCaptures/http-loopback.pcap"

    @Test("no file, unknown option, bad filter: usage errors exit 2 with a one-line message")
    func usageErrors() throws {
        for arguments in [[], ["--bogus", Self.sample], ["-f", "tcp port banana", Self.sample], ["--format", "nope", Self.sample]] {
            let result = try CLI.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix("dmdissect: ") || result.stderr.contains("Error:") || result.stderr.contains("error"), "\(result.stderr)")
            #expect(!result.stderr.contains("Stack"))
        }
    }

    @Test("unreadable inputs exit 3 naming the file; other files are still analysed")
    func unreadable() throws {
        let missing = try CLI.run(["SampleCaptures/no-such-file.pcap"])
        #expect(missing.status == 3)
        #expect(missing.stdout.isEmpty, "no summary of nothing: \(missing.stdout)")
        #expect(missing.stderr == "dmdissect: SampleCaptures/no-such-file.pcap: cannot read: No such file or directory\n")

        let notCapture = try CLI.run(["README.md"])
        #expect(notCapture.status == 3)
        #expect(notCapture.stderr.hasPrefix("dmdissect: README.md: not a capture file"))
        #expect(notCapture.stderr.split(separator: "\n").count == 1)

        let mixed = try CLI.run(["--format", "frames", "README.md", Self.sample])
        #expect(mixed.status == 3)
        #expect(mixed.stdout == (try CLI.run(["--format", "frames", Self.sample]).stdout))
    }

    @Test("standard input, gzip by magic and plain files give the same frames")
    func inputKinds() throws {
        let plain = try CLI.run(["--format", "frames", Self.sample])
        #expect(plain.status == 0)
        #expect(!plain.stdout.isEmpty)
        let bytes = try Data(contentsOf: CLI.root.appendingPathComponent(Self.sample))
        let piped = try CLI.run(["--format", "frames", "-"], stdin: bytes)
        #expect(piped.status == 0)
        #expect(piped.stdout == plain.stdout)
        let gzipped = try CLI.run(["--format", "frames", "SampleCaptures/http-loopback.pcap.gz"])
        #expect(gzipped.stdout == plain.stdout)
        let gzippedBytes = try Data(contentsOf: CLI.root.appendingPathComponent("SampleCaptures/http-loopback.pcap.gz"))
        let pipedGzip = try CLI.run(["--format", "frames", "-"], stdin: gzippedBytes)
        #expect(pipedGzip.stdout == plain.stdout)
    }

    @Test("several files: frames are numbered per file")
    func severalFiles() throws {
        let one = try CLI.run(["--format", "frames", Self.sample])
        let two = try CLI.run(["--format", "frames", Self.sample, Self.sample])
        #expect(two.status == 0)
        #expect(two.stdout == one.stdout + one.stdout)
    }

    @Test("-c stops after N frames; -f filters but keeps frame numbers; -o writes a file")
    func options() throws {
        let all = try CLI.run(["--format", "frames", Self.sample]).stdout.split(separator: "\n")
        let three = try CLI.run(["--format", "frames", "-c", "3", Self.sample]).stdout.split(separator: "\n")
        #expect(three == Array(all.prefix(3)))

        let synOnly = try CLI.run(["--format", "frames", "-f", "tcp[tcpflags] & tcp-syn != 0", Self.sample]).stdout.split(separator: "\n")
        #expect(synOnly.count == 2)
        #expect(synOnly.allSatisfy { all.contains($0) })

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dmdissect-out-\(UUID().uuidString).txt")
        let written = try CLI.run(["--format", "frames", "-o", path.path, Self.sample])
        #expect(written.stdout.isEmpty)
        #expect(try String(contentsOf: path, encoding: .utf8).split(separator: "\n") == all)
    }

    @Test("a file cut mid-packet: every complete frame, then a CAPTURE-TRUNCATED finding, exit 0")
    func cutFile() throws {
        let result = try CLI.run(["--format", "frames", "SampleCaptures/http-loopback-cut.pcap"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        let last = try #require(lines.last)
        #expect(last.contains("CAPTURE-TRUNCATED"))
        let full = try CLI.run(["--format", "frames", Self.sample]).stdout.split(separator: "\n")
        let frameLines = lines.filter { !$0.contains("CAPTURE-TRUNCATED") }
        #expect(!frameLines.isEmpty)
        #expect(frameLines == Array(full.prefix(frameLines.count)))
    }
}
