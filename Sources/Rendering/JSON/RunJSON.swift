import Analysis
import Capture
import DMProtocol
import Packets

/// The run-level parts of the `dmdissect/1` JSON: `input` and `stats`.
public enum RunJSON {
    /// What was read: files, frames, bytes, link types, first and last time.
    public static func input(_ run: CaptureRun) -> JSONValue {
        var object = JSONObject()
        object.set("files", JSONBuild.strings(run.files.map(\.path)))
        object.set("frames", JSONBuild.int(run.files.reduce(UInt64(0)) { $0 &+ $1.framesAnalysed }))
        object.set("bytes", JSONBuild.int(run.files.reduce(UInt64(0)) { $0 &+ $1.capturedBytes }))
        var linkTypes: [String] = []
        for file in run.files {
            for interface in file.interfaces where !linkTypes.contains(interface.linkType.name) {
                linkTypes.append(interface.linkType.name)
            }
        }
        object.set("linkTypes", JSONBuild.strings(linkTypes))
        let precision: TimestampPrecision = run.files.contains { $0.precision == .nanoseconds } ? .nanoseconds : .microseconds
        let firsts = run.files.compactMap(\.firstTime)
        let lasts = run.files.compactMap(\.lastTime)
        object.set("firstTime", firsts.min().map { .string(TimeFormat.iso8601($0, precision: precision)) })
        object.set("lastTime", lasts.max().map { .string(TimeFormat.iso8601($0, precision: precision)) })
        object.set("details", .array(run.files.map(file)))
        return object.value
    }

    private static func file(_ file: FileSummary) -> JSONValue {
        var object = JSONObject()
        object.set("path", .string(file.path))
        object.set("container", .string(file.container.rawValue))
        object.set("gzip", flag: file.isCompressed)
        object.set("precision", .string(file.precision == .nanoseconds ? "nanoseconds" : "microseconds"))
        object.set("framesRead", JSONBuild.int(file.framesRead))
        object.set("framesAnalysed", JSONBuild.int(file.framesAnalysed))
        object.set("capturedBytes", JSONBuild.int(file.capturedBytes))
        object.set("wireBytes", JSONBuild.int(file.wireBytes))
        switch file.end {
        case .complete: object.set("end", .string("complete"))
        case .stopped: object.set("end", .string("stopped"))
        case .truncated(let frame, let offset, let detail):
            object.set("end", .string("truncated"))
            object.set("endFrame", JSONBuild.int(frame.rawValue))
            object.set("endOffset", JSONBuild.int(offset))
            object.set("endDetail", .string(detail))
        case .corrupt(let frame, let offset, let detail):
            object.set("end", .string("corrupt"))
            object.set("endFrame", JSONBuild.int(frame.rawValue))
            object.set("endOffset", JSONBuild.int(offset))
            object.set("endDetail", .string(detail))
        }
        return object.value
    }

    /// Packet, TCP, HTTP, DM and finding counters of the run; `sessions` counts the closed
    /// sessions by outcome and dialect.
    public static func stats(_ run: CaptureRun, sessions: SessionTally) -> JSONValue {
        let packets = run.packetStatistics
        let tcp = run.reassemblyStatistics
        let http = run.httpCounts
        let dm = run.dmCounts
        var object = JSONObject()
        object.set("frames", JSONBuild.int(run.files.reduce(UInt64(0)) { $0 &+ $1.framesAnalysed }))
        object.set("ipv4", JSONBuild.int(packets.ipv4))
        object.set("ipv6", JSONBuild.int(packets.ipv6))
        object.set("tcp", JSONBuild.int(packets.tcp))
        object.set("udp", JSONBuild.int(packets.udp))
        object.set("ipFragments", JSONBuild.int(packets.fragments))
        object.set("truncatedFrames", JSONBuild.int(packets.truncatedFrames))
        object.set("malformed", JSONBuild.int(packets.malformedFrames))
        object.set("tcpConnections", JSONBuild.int(tcp.connections))
        object.set("pickedUpMidStream", JSONBuild.int(tcp.pickedUpMidStream))
        object.set("retransmissions", JSONBuild.int(tcp.retransmissions + tcp.partialRetransmissions))
        object.set("outOfOrder", JSONBuild.int(tcp.outOfOrderSegments))
        object.set("gaps", JSONBuild.int(tcp.gaps))
        object.set("gapBytes", JSONBuild.int(tcp.gapBytes))
        object.set("conflictingOverlaps", JSONBuild.int(tcp.conflictingOverlaps))
        object.set("flowsEvicted", JSONBuild.int(tcp.flowsEvicted))
        object.set("httpExchanges", JSONBuild.int(http.exchanges))
        object.set("httpMessages", JSONBuild.int(http.requests + http.responses))
        object.set("dmNotifications", JSONBuild.int(dm.notifications))
        object.set("dmExchanges", JSONBuild.int(dm.exchanges))
        object.set("sessions", JSONBuild.int(dm.sessions))
        object.set("sessionsByOutcome", counts(sessions.byOutcome))
        object.set("sessionsByDialect", counts(sessions.byDialect))
        object.set("findings", JSONBuild.int(run.totalFindings))
        object.set("findingsByRule", counts(run.findingCounts))
        object.set("errors", JSONBuild.int(run.errorCount))
        object.set("limits", limits(run.limits))
        return object.value
    }

    /// Every resource limit: `{"max-flows": {"option": "--max-flows", "value": 131072, "hits": 0}, …}`.
    static func limits(_ limits: [LimitUsage]) -> JSONValue {
        .object(
            limits.map { usage in
                JSONMember(
                    usage.limit.rawValue,
                    .object([
                        JSONMember("option", usage.limit.option.map { .string($0) } ?? .null),
                        JSONMember("value", JSONBuild.int(usage.value)),
                        JSONMember("hits", JSONBuild.int(usage.hits)),
                    ]))
            })
    }

    private static func counts(_ table: [String: Int]) -> JSONValue {
        .object(table.sorted { $0.key < $1.key }.map { JSONMember($0.key, JSONBuild.int($0.value)) })
    }
}

/// Counts of closed sessions by outcome and dialect, kept while the sessions stream past.
public struct SessionTally: Sendable {
    /// Outcome name → sessions.
    public private(set) var byOutcome: [String: Int] = [:]
    /// Dialect → sessions.
    public private(set) var byDialect: [String: Int] = [:]

    /// An empty tally.
    public init() {}

    /// Counts `session`.
    public mutating func add(_ session: Session) {
        byOutcome[session.outcome?.name ?? "incomplete", default: 0] += 1
        byDialect[session.dialect.rawValue, default: 0] += 1
    }
}
