import Analysis
import ArgumentParser

/// The resource limits of a run (issue 9): each bounds memory or work on hostile input, has a safe
/// default (shown by `--help` and in docs/security.md), and every hit is counted and reported in the
/// summary and in the JSON `stats.limits` table. Sizes take K, M and G suffixes.
struct LimitOptions: ParsableArguments {
    @Option(name: .customLong("max-flows"), help: ArgumentHelp("TCP flows tracked at once (default 131072); beyond it the least recently active is evicted.", valueName: "n"))
    var flows: Int?

    @Option(name: .customLong("max-reassembly-memory"), help: ArgumentHelp("Out-of-order TCP bytes buffered over all flows (default 256M).", valueName: "size"))
    var reassemblyMemory: ByteSize?

    @Option(name: .customLong("max-flow-buffer"), help: ArgumentHelp("Out-of-order bytes buffered per TCP direction (default 6M).", valueName: "size"))
    var flowBuffer: ByteSize?

    @Option(name: .customLong("max-flow-segments"), help: ArgumentHelp("Out-of-order segments buffered per TCP direction (default 8192).", valueName: "n"))
    var flowSegments: Int?

    @Option(name: .customLong("max-fragment-memory"), help: ArgumentHelp("IP fragment bytes buffered over all datagrams (default 4M).", valueName: "size"))
    var fragmentMemory: ByteSize?

    @Option(name: .customLong("max-fragment-datagrams"), help: ArgumentHelp("IP datagrams reassembled at once (default 1024).", valueName: "n"))
    var fragmentDatagrams: Int?

    @Option(name: .customLong("max-header-size"), help: ArgumentHelp("HTTP start line plus header section (default 64K).", valueName: "size"))
    var headerSize: ByteSize?

    @Option(name: .customLong("max-body-size"), help: ArgumentHelp("HTTP body bytes kept for decoding (default 16M).", valueName: "size"))
    var bodySize: ByteSize?

    @Option(name: .customLong("max-decoded-size"), help: ArgumentHelp("Bytes a gzip/deflate body may decode to (default 16M).", valueName: "size"))
    var decodedSize: ByteSize?

    @Option(name: .customLong("max-pipelined"), help: ArgumentHelp("HTTP requests awaiting a response per connection (default 1000).", valueName: "n"))
    var pipelined: Int?

    @Option(name: .customLong("max-json-size"), help: ArgumentHelp("Bytes of one JSON package (default 64M).", valueName: "size"))
    var jsonSize: ByteSize?

    @Option(name: .customLong("max-json-depth"), help: ArgumentHelp("Nesting depth of a JSON package (default 128).", valueName: "n"))
    var jsonDepth: Int?

    @Option(name: .customLong("max-json-string"), help: ArgumentHelp("Bytes of one JSON string (default 16M).", valueName: "size"))
    var jsonString: ByteSize?

    @Option(name: .customLong("max-json-values"), help: ArgumentHelp("Values in a JSON package (default 4000000).", valueName: "n"))
    var jsonValues: Int?

    @Option(name: .customLong("max-package-items"), help: ArgumentHelp("Commands or status items of one package decoded and checked (default 10000).", valueName: "n"))
    var packageItems: Int?

    @Option(name: .customLong("max-sessions"), help: ArgumentHelp("DM sessions open at once (default 4096); beyond it the least recently active is closed.", valueName: "n"))
    var sessions: Int?

    @Option(name: .customLong("max-session-packages"), help: ArgumentHelp("Packages kept per session for the output (default 256).", valueName: "n"))
    var sessionPackages: Int?

    @Option(name: .customLong("max-session-items"), help: ArgumentHelp("Commands, results and MO items kept per session with their content (default 20000).", valueName: "n"))
    var sessionItems: Int?

    @Option(name: .customLong("max-pending-notifications"), help: ArgumentHelp("Notifications waiting for their Package#1 (default 1024).", valueName: "n"))
    var pendingNotifications: Int?

    /// Every value set, by limit.
    var values: [(RunLimit, Int)] {
        let all: [(RunLimit, Int?)] = [
            (.flows, flows), (.reassemblyMemory, reassemblyMemory?.bytes), (.flowBuffer, flowBuffer?.bytes),
            (.flowSegments, flowSegments), (.fragmentMemory, fragmentMemory?.bytes),
            (.fragmentDatagrams, fragmentDatagrams), (.headerSize, headerSize?.bytes), (.bodySize, bodySize?.bytes),
            (.decodedSize, decodedSize?.bytes), (.pipelined, pipelined), (.jsonSize, jsonSize?.bytes),
            (.jsonDepth, jsonDepth), (.jsonString, jsonString?.bytes), (.jsonValues, jsonValues),
            (.packageItems, packageItems), (.sessions, sessions), (.sessionPackages, sessionPackages),
            (.sessionItems, sessionItems), (.pendingNotifications, pendingNotifications),
        ]
        return all.compactMap { limit, value in value.map { (limit, $0) } }
    }

    func validate() throws {
        for (limit, value) in values where value < 1 {
            throw ValidationError("\(limit.option ?? limit.rawValue) must be at least 1")
        }
    }

    /// `options` with every limit given on the command line.
    func apply(to options: inout RunOptions) {
        for (limit, value) in values { options.set(limit, to: value) }
    }
}
