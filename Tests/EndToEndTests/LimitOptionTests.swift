import Foundation
import Testing

/// The resource limits as command-line options (issue 9, item 3): each one is honoured, every hit is
/// counted in the summary and in the JSON `stats.limits` table, and bad values are refused.
@Suite("limit options")
struct LimitOptionTests {
    static let capture = "SampleCaptures/dm-clean-a-cont.pcap"
    static let concurrent = "SampleCaptures/dm-clean-a-concurrent-sessions.pcap"

    /// `stats.limits` of a JSON run.
    static func limits(_ arguments: [String]) throws -> (limits: [String: [String: Any]], stats: [String: Any]) {
        let result = try CLI.run(["--format", "json"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let stats = try #require(json?["stats"] as? [String: Any])
        let limits = try #require(stats["limits"] as? [String: [String: Any]])
        return (limits, stats)
    }

    @Test("every option sets the value the run reports")
    func valuesReported() throws {
        let settings: [(String, String, Int)] = [
            ("max-flows", "5000", 5000), ("max-reassembly-memory", "1M", 1 << 20),
            ("max-flow-buffer", "64KiB", 64 << 10), ("max-flow-segments", "77", 77),
            ("max-fragment-memory", "2m", 2 << 20), ("max-fragment-datagrams", "12", 12),
            ("max-header-size", "8K", 8 << 10), ("max-body-size", "3M", 3 << 20),
            ("max-decoded-size", "1G", 1 << 30), ("max-pipelined", "9", 9), ("max-json-size", "5MB", 5 << 20),
            ("max-json-depth", "40", 40), ("max-json-string", "100000", 100_000), ("max-json-values", "123456", 123_456),
            ("max-package-items", "321", 321), ("max-sessions", "11", 11), ("max-session-packages", "13", 13),
            ("max-session-items", "999", 999), ("max-pending-notifications", "17", 17),
        ]
        let arguments = settings.flatMap { ["--\($0.0)", $0.1] } + [Self.capture]
        let (limits, _) = try Self.limits(arguments)
        for (name, _, value) in settings {
            #expect(limits[name]?["value"] as? Int == value, "\(name): \(String(describing: limits[name]))")
            #expect(limits[name]?["option"] as? String == "--\(name)")
        }
        // The defaults, and the fixed limits (no option).
        let (defaults, _) = try Self.limits([Self.capture])
        #expect(defaults["max-flows"]?["value"] as? Int == 131_072)
        #expect(defaults["max-header-size"]?["value"] as? Int == 64 << 10)
        #expect(defaults["json-number-length"]?["option"] is NSNull)
        #expect(defaults.values.allSatisfy { $0["hits"] as? Int == 0 })
    }

    @Test("a header size limit is hit, counted, and named in the summary and the timeline")
    func headerLimit() throws {
        let (limits, stats) = try Self.limits(["--max-header-size", "100", Self.capture])
        let byRule = try #require(stats["findingsByRule"] as? [String: Int])
        let hits = try #require(limits["max-header-size"]?["hits"] as? Int)
        #expect(hits > 0)
        #expect(hits == byRule["HTTP-HEADER-LIMIT"])
        let summary = try CLI.run(["--format", "summary", "--max-header-size", "100", Self.capture])
        #expect(summary.stdout.contains("limits hit: --max-header-size 100 bytes: \(hits) hits (messages dropped)"))
        let timeline = try CLI.run(["--max-header-size", "100", Self.capture])
        #expect(timeline.stdout.contains("limits hit: --max-header-size 100 bytes"))
        let html = try CLI.run(["--format", "html", "--max-header-size", "100", Self.capture])
        #expect(html.stdout.contains("<th>Limits hit</th><td>--max-header-size 100 bytes: \(hits) hits (messages dropped)</td>"))
        let jsonl = try CLI.run(["--format", "jsonl", "--max-header-size", "100", Self.capture])
        let last = try #require(jsonl.stdout.split(separator: "\n").last)
        let streamedLine = try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any]
        let streamed = (streamedLine?["stats"] as? [String: Any])?["limits"] as? [String: [String: Any]]
        #expect(streamed?["max-header-size"]?["hits"] as? Int == hits)
        // Without a hit the timeline says nothing about limits; the summary says none.
        #expect(!(try CLI.run([Self.capture])).stdout.contains("limits hit"))
        #expect((try CLI.run(["--format", "summary", Self.capture])).stdout.contains("limits hit: none"))
    }

    @Test("JSON depth, package items and session packages are counted where they are hit")
    func decoderAndSessionLimits() throws {
        let (limits, stats) = try Self.limits([
            "--max-json-depth", "2", "--max-session-packages", "2", Self.capture,
        ])
        #expect(limits["max-json-depth"]?["hits"] as? Int == 6)
        #expect((stats["findingsByRule"] as? [String: Int])?["DM-CT-007"] == 6)
        #expect(limits["max-session-packages"]?["hits"] as? Int == 4)
        let items = try Self.limits(["--max-package-items", "1", Self.capture]).limits
        #expect((items["max-package-items"]?["hits"] as? Int ?? 0) > 0)
    }

    @Test("flow and session table limits evict and count")
    func tableLimits() throws {
        let (limits, stats) = try Self.limits(["--max-flows", "1", "--max-sessions", "1", Self.concurrent])
        let evicted = try #require(limits["max-flows"]?["hits"] as? Int)
        #expect(evicted > 0)
        #expect(evicted == stats["flowsEvicted"] as? Int)
        #expect((limits["max-sessions"]?["hits"] as? Int ?? 0) > 0)
    }

    @Test("zero, negative, and malformed sizes are usage errors", arguments: [
        ["--max-flows", "0"], ["--max-json-depth", "-3"], ["--max-body-size", "12Q"], ["--max-body-size", "K"],
        ["--max-reassembly-memory", "99999999999999G"],
    ])
    func refused(_ option: [String]) throws {
        let result = try CLI.run(option + [Self.capture])
        #expect(result.status == 2, "\(option): \(result.status) \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}
