import ArgumentParser
import Glibc

/// The `dmdissect` command: analyse OMA DM 2.0 traffic in capture files (the default
/// subcommand, so `dmdissect FILE` works), or list the rule catalogue.
@main
struct Dmdissect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dmdissect",
        abstract: "Analyse OMA Device Management 2.0 traffic in packet captures.",
        discussion: """
            Reads pcap and pcapng files (gzip'ed or not, '-' for standard input) through libpcap and \
            decodes every frame. Frames are numbered per file, as in Wireshark.
            Exit status: 0 done, 1 --check found errors, 2 usage error, 3 input could not be read.
            """,
        version: "0.1.0",
        subcommands: [Analyze.self, Rules.self],
        defaultSubcommand: Analyze.self
    )

    /// Maps argument-parser's exit codes onto dmdissect's: usage errors exit with 2.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Glibc.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                Dmdissect.exit(withError: error)  // --help, --version
            }
            FileHandleText.standardError("dmdissect: " + fullMessage(for: error).trimmingTrailingNewlines())
            Glibc.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// Output formats of the command line.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    /// A summary of the capture: files, frames, protocols, findings.
    case summary
    /// One line per frame, like `tcpdump -nn -r` (a debugging view).
    case frames
    /// Each HTTP exchange found by TCP reassembly and HTTP/1.1 parsing (a debugging view).
    case http
    /// One block per DM session: packages, findings inline, outcome (the default).
    case timeline
    /// One `dmdissect/1` JSON document (docs/json-output.md).
    case json
    /// One JSON object per line as things happen: packages, findings, sessions, final stats.
    case jsonl
    /// One self-contained HTML page for a bug report (use with -o).
    case html
}

/// Writing diagnostics to standard error.
enum FileHandleText {
    /// Writes `text` and a newline to standard error.
    static func standardError(_ text: String) {
        var line = Array((text + "\n").utf8)[...]
        while !line.isEmpty {
            let written = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            line = line.dropFirst(written)
        }
    }
}

extension String {
    /// The string without newlines at its end.
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}

/// `--color` values.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    /// Colour when standard output is a terminal and NO_COLOR is not set.
    case auto
    /// Always colour.
    case always
    /// Never colour.
    case never
}
