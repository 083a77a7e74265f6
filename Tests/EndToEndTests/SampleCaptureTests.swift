import Foundation
import Testing

/// The CLI on every recorded sample capture, against checked-in expected output.
@Suite("CLI on SampleCaptures")
struct SampleCaptureTests {
    @Test("--format frames matches the golden frame list", arguments: CLI.sampleCaptures)
    func frames(capture: String) throws {
        let result = try CLI.run(["--format", "frames", "SampleCaptures/\(capture)"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == (try CLI.golden(capture, ".frames.txt", actual: result.stdout)))
    }

    @Test("--format summary matches the golden summary", arguments: CLI.sampleCaptures)
    func summary(capture: String) throws {
        let result = try CLI.run(["--format", "summary", "SampleCaptures/\(capture)"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == (try CLI.golden(capture, ".summary.txt", actual: result.stdout)))
    }

    @Test("--format http matches the golden exchange list", arguments: CLI.sampleCaptures.filter { $0.hasPrefix("http-") })
    func http(capture: String) throws {
        let result = try CLI.run(["--format", "http", "SampleCaptures/\(capture)"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == (try CLI.golden(capture, ".http.txt", actual: result.stdout)))
    }

    @Test("--format json matches the golden document", arguments: CLI.sampleCaptures)
    func json(capture: String) throws {
        let result = try CLI.run(["--format", "json", "SampleCaptures/\(capture)"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == (try CLI.golden(capture, ".expected.json", actual: result.stdout)))
    }

    @Test("--format timeline matches the golden timeline", arguments: CLI.sampleCaptures)
    func timeline(capture: String) throws {
        let result = try CLI.run(["--format", "timeline", "SampleCaptures/\(capture)"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(!result.stdout.contains("\u{1B}"), "no colour when piped")
        #expect(result.stdout == (try CLI.golden(capture, ".timeline.txt", actual: result.stdout)))
    }

    @Test("every golden JSON document is valid against docs/dmdissect-1.schema.json")
    func goldenJSONIsValid() throws {
        let goldens = CLI.sampleCaptures.map { "SampleCaptures/\($0).expected.json" }
        let result = try CLI.runTool("/usr/bin/python3", ["scripts/validate-json"] + goldens)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test("the schema rejects a document that breaks the contract")
    func schemaCanFail() throws {
        let golden = try String(
            contentsOf: CLI.root.appendingPathComponent("SampleCaptures/dm-clean-a-server-initiated.pcap.expected.json"),
            encoding: .utf8)
        let broken = golden.replacingOccurrences(of: "\"outcome\": \"ended\"", with: "\"outcome\": \"finished\"")
        #expect(broken != golden)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dmdissect-broken-\(getpid()).json")
        try broken.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try CLI.runTool("/usr/bin/python3", ["scripts/validate-json", url.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("$.sessions[0].outcome"))
    }

    @Test("--format jsonl: every line valid, packages before their session line, stats last", arguments: [
        "dm-clean-a-server-initiated.pcap", "dm-clean-a-many-devices.pcap", "dm-violation-p3-after-end.pcap",
    ])
    func jsonLines(capture: String) throws {
        let result = try CLI.run(["--format", "jsonl", "SampleCaptures/\(capture)"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dmdissect-\(getpid())-\(capture).jsonl")
        try result.stdout.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let validation = try CLI.runTool("/usr/bin/python3", ["scripts/validate-json", "--jsonl", url.path])
        #expect(validation.status == 0, "\(validation.stdout)\(validation.stderr)")
        let lines = result.stdout.split(separator: "\n").map { line -> [String: Any] in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? [:]
        }
        #expect(lines.last?["type"] as? String == "stats")
        var closed: Set<Int> = []
        var packages = 0
        for line in lines {
            switch line["type"] as? String {
            case "package":
                packages += 1
                let session = line["session"] as? Int ?? 0
                #expect(!closed.contains(session), "a package of session \(session) after its session line")
            case "session": closed.insert(line["index"] as? Int ?? 0)
            default: break
            }
        }
        #expect(packages > 0)
        #expect(!closed.isEmpty)
    }

    @Test("there are sample captures to test")
    func samplesExist() {
        #expect(CLI.sampleCaptures.count >= 10)
    }
}
