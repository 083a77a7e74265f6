import Analysis
import ArgumentParser
import Foundation
import Rendering
import TLS

/// `--tls-keylog FILE`: NSS key logs to decrypt TLS connections with (issue 11).
struct TLSOptions: ParsableArguments {
    /// Key log files, in the order given.
    @Option(
        name: .customLong("tls-keylog"),
        help: ArgumentHelp(
            "NSS key log (SSLKEYLOGFILE format) to decrypt TLS 1.2/1.3 with; may be repeated. Keys in pcapng Decryption Secrets Blocks are used without it.",
            valueName: "file"))
    var keyLogFiles: [String] = []

    /// A missing or unreadable key log is a usage error (exit 2) naming the path.
    func validate() throws {
        for path in keyLogFiles {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ValidationError("\(TerminalText.escape(path)): cannot read the TLS key log file")
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            guard size <= KeyLog.maximumSize else {
                throw ValidationError(
                    "\(TerminalText.escape(path)): the TLS key log is larger than \(KeyLog.maximumSize / (1024 * 1024)) MiB")
            }
        }
    }

    /// Every key log merged. A line that does not parse is reported on standard error (file, line,
    /// reason; never the line, which holds secrets) and skipped.
    func keyLog() throws -> KeyLog {
        var merged = KeyLog()
        for path in keyLogFiles {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ValidationError("\(TerminalText.escape(path)): cannot read the TLS key log file")
            }
            var issues: [KeyLogIssue] = []
            merged.merge(KeyLog(parsing: data, source: path, issues: &issues))
            for issue in issues {
                FileHandleText.standardError(
                    "dmdissect: warning: \(TerminalText.escape(issue.source)):\(issue.line): \(issue.reason); line skipped")
            }
        }
        return merged
    }

    /// After the run: one line on standard error when key logs were given and none of their keys
    /// matched a TLS connection of the captures.
    func reportUnusedKeys(_ run: CaptureRun) {
        guard !keyLogFiles.isEmpty, run.tlsKeys.connectionsMatched == 0 else { return }
        let seen = run.tlsKeys.connectionsSeen
        FileHandleText.standardError(
            "dmdissect: the TLS key log holds no key for any of the \(seen) TLS connection\(seen == 1 ? "" : "s") in the capture")
    }
}
