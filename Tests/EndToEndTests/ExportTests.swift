import Foundation
import Testing

/// `--session` and `-w`: selecting sessions, and exporting their frames to a pcap.
@Suite("--session and -w export")
struct ExportTests {
    static let many = "SampleCaptures/dm-clean-a-many-devices.pcap"
    static let device = "IMEI:356938035643915"

    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("dmdissect-\(getpid())-\(name)").path
    }

    @Test("-w --session writes that session's connection only, and dmdissect reads it back as that session")
    func exportOne() throws {
        let path = Self.temporary("one.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CLI.run(["--format", "json", "--session", Self.device, "-w", path, Self.many])
        #expect(result.status == 0, "\(result.stderr)")
        let original = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let sessions = original?["sessions"] as? [[String: Any]] ?? []
        #expect(sessions.count == 1)
        #expect(sessions.first?["devID"] as? String == Self.device)
        #expect(result.stderr.contains("wrote 16 frames of 1 session"))
        let back = try CLI.run(["--format", "json", path])
        #expect(back.status == 0)
        let reread = try JSONSerialization.jsonObject(with: Data(back.stdout.utf8)) as? [String: Any]
        let again = reread?["sessions"] as? [[String: Any]] ?? []
        #expect(again.count == 1)
        #expect(again.first?["devID"] as? String == Self.device)
        #expect(again.first?["packageCount"] as? Int == sessions.first?["packageCount"] as? Int)
        #expect(again.first?["outcome"] as? String == "ended")
        // tcpdump agrees: one connection, 16 frames.
        let tcpdump = try CLI.runTool("/usr/bin/env", ["tcpdump", "-nr", path])
        if tcpdump.status == 0 {
            #expect(tcpdump.stdout.split(separator: "\n").count == 16)
        }
    }

    @Test("-w without --session keeps every frame of a capture that is one DM session with its notification")
    func exportAll() throws {
        let path = Self.temporary("all.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let capture = "SampleCaptures/dm-clean-a-server-initiated.pcap"
        let result = try CLI.run(["-q", "-w", path, capture])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let original = try CLI.run(["--format", "frames", capture]).stdout
        let exported = try CLI.run(["--format", "frames", path]).stdout
        #expect(exported == original)
    }

    @Test("--session selects in every format; an unknown id selects nothing")
    func selection() throws {
        let timeline = try CLI.run(["--session", Self.device, Self.many]).stdout
        #expect(timeline.components(separatedBy: "\nsession ").count == 1)
        #expect(timeline.hasPrefix("session 15 · A · DevID \"\(Self.device)\""))
        let jsonl = try CLI.run(["--format", "jsonl", "--session", Self.device, Self.many]).stdout
        let lines = jsonl.split(separator: "\n")
        #expect(lines.filter { $0.contains("\"type\":\"session\"") }.count == 1)
        #expect(lines.filter { $0.contains("\"type\":\"package\"") }.allSatisfy { $0.contains("\"session\":15,") })
        #expect(lines.filter { $0.contains("\"type\":\"package\"") }.count == 6)
        let summary = try CLI.run(["--format", "summary", "--session", "nobody", Self.many]).stdout
        #expect(!summary.contains("  session "))
    }

    @Test("-w refuses to overwrite an input, standard input, and --format frames (exit 2)")
    func refusals() throws {
        #expect(try CLI.run(["-w", Self.many, Self.many]).status == 2)
        #expect(try CLI.run(["-w", "./" + Self.many, Self.many]).status == 2)
        #expect(try CLI.run(["-w", Self.temporary("x.pcap"), "-"], stdin: Data()).status == 2)
        #expect(try CLI.run(["--format", "frames", "-w", Self.temporary("y.pcap"), Self.many]).status == 2)
    }
}
