import Analysis
import ArgumentParser
import DMProtocol
import Foundation
import Rendering

/// `dmdissect [analyze] FILE…`: the analysis of capture files.
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse capture files (the default subcommand: 'dmdissect FILE' is 'dmdissect analyze FILE')."
    )

    /// Capture files to read.
    @Argument(
        help: ArgumentHelp("Capture files (pcap, pcapng, gzip'ed or not); '-' reads standard input.", valueName: "file")
    )
    var files: [String] = []

    /// Output format.
    @Option(name: .long, help: "Output format.")
    var format: OutputFormat = .timeline

    /// Live interface.
    @Option(
        name: [.customShort("i"), .customLong("interface")],
        help: ArgumentHelp(
            "Capture live on this interface (see -D); stop with Ctrl-C, -c or --duration. Recommended filter: 'tcp or udp port 2948'.",
            valueName: "iface"))
    var interface: String?

    /// `-D`.
    @Flag(name: [.customShort("D"), .customLong("list-interfaces")], help: "List the interfaces -i can capture on.")
    var listInterfaces = false

    /// `-p`.
    @Flag(name: [.customShort("p"), .customLong("no-promiscuous-mode")], help: "Live: do not put the interface into promiscuous mode.")
    var noPromiscuous = false

    /// `--duration`.
    @Option(name: .long, help: ArgumentHelp("Live: stop after this many seconds.", valueName: "seconds"))
    var duration: Int?

    /// `-Z`.
    @Option(
        name: [.customShort("Z"), .customLong("relinquish-privileges")],
        help: ArgumentHelp("Live: after opening the interface, drop root privileges to this user.", valueName: "user"))
    var relinquishTo: String?

    /// Session selection.
    @Option(
        name: .customLong("session"),
        help: ArgumentHelp("Only the sessions with this SessionID or DevID (outputs and -w).", valueName: "id"))
    var sessionSelector: String?

    /// Export file.
    @Option(
        name: [.customShort("w"), .customLong("write")],
        help: ArgumentHelp(
            "Write the frames of the selected DM sessions (their TCP connections and notifications) to this pcap file.",
            valueName: "file"))
    var write: String?

    /// No notes on standard error.
    @Flag(name: [.customShort("q"), .long], help: "No notes or progress on standard error (errors are still shown).")
    var quiet = false

    /// Colour of the timeline.
    @Option(name: .long, help: "Colour the timeline: auto (a terminal without NO_COLOR), always or never.")
    var color: ColorChoice = .auto

    /// BPF capture filter.
    @Option(
        name: [.customShort("f"), .long],
        help: ArgumentHelp("Capture filter (tcpdump/BPF syntax), applied by libpcap.", valueName: "bpf"))
    var filter: String?

    /// Frame limit.
    @Option(
        name: [.customShort("c"), .long],
        help: ArgumentHelp("Stop after this many frames (after filtering).", valueName: "n"))
    var count: UInt64?

    /// Output file.
    @Option(
        name: [.customShort("o"), .long],
        help: ArgumentHelp("Write the output to this file instead of standard output.", valueName: "file"))
    var output: String?

    /// Exit 1 when an error-level finding remains.
    @Flag(name: .long, help: "Exit with status 1 when any error-level finding remains (after --rules/--ignore).")
    var check = false

    /// Rules to check.
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Check only these rules: comma-separated ids or prefixes (DM-SEQ, DM-P3-002).", valueName: "ids"),
        transform: Analyze.list)
    var rules: [String] = []

    /// Rules not to check.
    @Option(
        name: .long, help: ArgumentHelp("Do not check these rules: comma-separated ids or prefixes.", valueName: "ids"),
        transform: Analyze.list)
    var ignore: [String] = []

    /// DM-NC-001 window.
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Seconds within which a notification must be followed by its Package#1 (DM-NC-001).", valueName: "seconds"))
    var notificationWindow: Int64 = SessionTrackingOptions.defaultNotificationWindow

    /// Idle time-out of sessions.
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Seconds without a package after which a session is closed as idle (DM-END-002).", valueName: "seconds"))
    var idleTimeout: Int64 = SessionTrackingOptions.defaultIdleTimeout

    /// Server credentials for notification digests.
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Server credentials file (docs/credentials.md) to verify notification digests (DM-N0-005, DM-N0-015).",
            valueName: "file"))
    var credentials: String?

    /// DM-NC-010 mapping.
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Which hosts belong to the server a notification names (DM-NC-010); repeatable.",
            valueName: "server-id=host[,host...]"))
    var serverMap: [String] = []

    /// `--server-map` as SERVER-ID → hosts (validated in `validate`).
    var serverHosts: [String: [String]] {
        var map: [String: [String]] = [:]
        for entry in serverMap {
            guard let equals = entry.lastIndex(of: "=") else { continue }
            map[String(entry[..<equals]), default: []] += Self.list(String(entry[entry.index(after: equals)...]))
        }
        return map
    }

    /// DM-SEQ-003 model.
    @Option(name: .long, help: "PkgSeq numbering model of CR sessions (DM-SEQ-003): decided per session, or fixed.")
    var pkgseqModel: PkgSeqModelChoice = .auto

    @OptionGroup var tls: TLSOptions

    @OptionGroup(title: "Limits (each hit is counted in the summary and JSON stats)") var limits: LimitOptions

    func validate() throws {
        if listInterfaces { return }
        if interface != nil, !files.isEmpty {
            throw ValidationError("give capture files or -i INTERFACE, not both")
        }
        if files.isEmpty, interface == nil {
            throw ValidationError("no capture file given (use '-' to read standard input, or -i INTERFACE)")
        }
        if interface == nil, duration != nil || noPromiscuous || relinquishTo != nil {
            throw ValidationError("--duration, -p and -Z apply to live capture (-i) only")
        }
        if let duration, duration <= 0 { throw ValidationError("--duration must be at least 1 second") }
        if files.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("standard input ('-') can be read only once")
        }
        if let count, count == 0 {
            throw ValidationError("--count must be at least 1")
        }
        let unknown = RuleSelection.unknownPatterns(rules + ignore)
        if !unknown.isEmpty {
            throw ValidationError("no rule matches \(unknown.joined(separator: ", ")) (see 'dmdissect rules')")
        }
        if let write, interface == nil {
            if format == .frames { throw ValidationError("-w needs DM sessions: not with --format frames") }
            if files.contains("-") {
                throw ValidationError("-w reads the input twice: it cannot be used with standard input ('-')")
            }
            if files.contains(where: { Self.isSameFile($0, write) }) {
                throw ValidationError("-w \(write) would overwrite an input file")
            }
        }
        // At most 100 years: capture time is counted in nanoseconds in an Int64.
        let century: Int64 = 100 * 365 * 86_400
        if notificationWindow <= 0 || notificationWindow > century {
            throw ValidationError("--notification-window must be between 1 and \(century) seconds")
        }
        if idleTimeout <= 0 || idleTimeout > century {
            throw ValidationError("--idle-timeout must be between 1 and \(century) seconds")
        }
        for entry in serverMap {
            guard let equals = entry.lastIndex(of: "="), equals != entry.startIndex,
                !Self.list(String(entry[entry.index(after: equals)...])).isEmpty
            else { throw ValidationError("--server-map takes SERVER-ID=HOST[,HOST...], not '\(entry)'") }
        }
    }

    /// True when `one` and `other` name the same existing file (same device and inode), or the same path.
    static func isSameFile(_ one: String, _ other: String) -> Bool {
        if one == other { return true }
        var first = stat()
        var second = stat()
        guard stat(one, &first) == 0, stat(other, &second) == 0 else { return false }
        return first.st_dev == second.st_dev && first.st_ino == second.st_ino
    }

    /// `a,b, c` → `["a", "b", "c"]`.
    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters() }.filter { !$0.isEmpty }
    }

    /// The tracking options the command line asks for, with `store` as the credentials.
    func sessionTracking(credentials store: CredentialStore) -> SessionTrackingOptions {
        SessionTrackingOptions(
            selection: RuleSelection(included: rules, ignored: ignore), notificationWindowSeconds: notificationWindow,
            idleTimeoutSeconds: idleTimeout, pkgSeqModel: pkgseqModel.expectation, credentials: store,
            serverHosts: serverHosts)
    }
}

/// `--pkgseq-model` values.
enum PkgSeqModelChoice: String, ExpressibleByArgument, CaseIterable {
    /// Decide on the first Package#2 of each session (reference DM-SEQ-003).
    case auto
    /// Every package +1, both directions.
    case count
    /// A Package#2 repeats its request's PkgSeq.
    case echo

    var expectation: PkgSeqExpectation {
        switch self {
        case .auto: .automatic
        case .count: .fixed(.count)
        case .echo: .fixed(.echo)
        }
    }
}

extension Substring {
    /// Without leading and trailing spaces.
    func trimmingCharacters() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}

extension Analyze {
    /// The credentials named by `--credentials` (empty without the option). A line that cannot be
    /// read is reported on standard error and skipped; an unreadable file exits with status 3.
    func loadCredentials() throws -> CredentialStore {
        guard let credentials else { return CredentialStore() }
        guard let data = FileManager.default.contents(atPath: credentials) else {
            FileHandleText.standardError(
                "dmdissect: \(TerminalText.escape(credentials)): cannot read the credentials file")
            throw ExitCode(3)
        }
        let (store, errors) = CredentialsFile.parse([UInt8](data))
        for error in errors {
            FileHandleText.standardError(
                "dmdissect: \(TerminalText.escape(credentials)): \(TerminalText.escape(error.description))")
        }
        return store
    }
}
