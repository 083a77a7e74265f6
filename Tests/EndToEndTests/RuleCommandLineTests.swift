import Foundation
import Testing

/// `dmdissect rules`, the default subcommand, `--rules`/`--ignore`, `--check` and the session options.
@Suite("rules and checks on the command line")
struct RuleCommandLineTests {
    /// A one-frame pcap: a UDP datagram from 10.0.0.3:9200 to 10.0.0.2:2948 carrying `payload`.
    static func udpCapture(_ payload: [UInt8]) throws -> String {
        func le32(_ v: UInt32) -> [UInt8] {
            [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)]
        }
        func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        let udp = be16(9200) + be16(2948) + be16(8 + payload.count) + [0, 0] + payload
        var ip: [UInt8] = [0x45, 0] + be16(20 + udp.count) + [0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 3, 10, 0, 0, 2]
        var sum = 0
        for index in stride(from: 0, to: 20, by: 2) { sum += Int(ip[index]) << 8 | Int(ip[index + 1]) }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        ip[10...11] = ArraySlice(be16(~sum & 0xFFFF))
        let frame = [UInt8](repeating: 2, count: 12) + [0x08, 0x00] + ip + udp
        let bytes =
            le32(0xA1B2_C3D4) + [2, 0, 4, 0] + le32(0) + le32(0) + le32(65535) + le32(1)
            + le32(1_800_000_000) + le32(0) + le32(UInt32(frame.count)) + le32(UInt32(frame.count)) + frame
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dmdissect-udp-\(UUID().uuidString).pcap")
        try Data(bytes).write(to: url)
        return url.path
    }

    /// DM 2.0 notification: SERVER-ID "dms.example", then a 1-byte NOTIFICATION-ID (DM-N0-014, error).
    static let badNotification: [UInt8] = [0x21, 0x00, 0x10, 0x0B] + Array("dms.example".utf8) + [0x20, 0x01, 0x12]

    @Test("dmdissect rules lists every catalogue id with severity and dialect")
    func rulesList() throws {
        let result = try CLI.run(["rules"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count > 80)
        #expect(lines.contains { $0.hasPrefix("DM-END-001") && $0.contains("error") && $0.contains("both") })
        #expect(lines.contains { $0.hasPrefix("DM-CT-004") && $0.contains("error/A:warning") })
        #expect(lines.contains { $0.hasPrefix("DM-P3-005") && $0.contains("[not checked: needs every earlier SUB") })
        // Every rule of the catalogue has a checker or a stated reason why no capture can show it violated.
        #expect(!lines.contains { $0.hasSuffix("[not checked yet]") })
        #expect(lines.filter { $0.contains("[not checked: ") }.count == 4)
    }

    @Test("'dmdissect FILE' and 'dmdissect analyze FILE' are the same analysis")
    func defaultSubcommand() throws {
        let plain = try CLI.run(["SampleCaptures/http-loopback.pcap"])
        let explicit = try CLI.run(["analyze", "SampleCaptures/http-loopback.pcap"])
        #expect(plain.status == 0)
        #expect(plain.stdout == explicit.stdout)
        // The default format is the timeline.
        #expect(plain.stdout == (try CLI.run(["--format", "timeline", "SampleCaptures/http-loopback.pcap"]).stdout))
        #expect(plain.stdout.hasPrefix("session 1 · A · DevID \"IMEI:356938035643809\""))
    }

    @Test("--check exits 1 on an error finding; --ignore of its rule (or family) gives 0")
    func check() throws {
        let path = try Self.udpCapture(Self.badNotification)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CLI.run(["--check", path])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("! error DM-N0-014 [1]: "))
        #expect(try CLI.run([path]).status == 0)
        #expect(try CLI.run(["--check", "--ignore", "DM-N0-014", path]).status == 0)
        #expect(try CLI.run(["--check", "--ignore", "DM-N0", path]).status == 0)
        #expect(try CLI.run(["--check", "--rules", "DM-END,DM-SEQ", path]).status == 0)
        #expect(try CLI.run(["--check", "SampleCaptures/dm-clean-a-cont.pcap"]).status == 0)
        // The old keep-alive peers answer a GET with 200 in a plain Package#3 (DM-P3-010, error).
        #expect(try CLI.run(["--check", "SampleCaptures/http-keepalive.pcap"]).status == 1)
        #expect(try CLI.run(["--check", "--ignore", "DM-P3-010", "SampleCaptures/http-keepalive.pcap"]).status == 0)
    }

    @Test("unknown rule ids and bad option values are usage errors (exit 2)")
    func usage() throws {
        for arguments in [
            ["--rules", "DM-NOPE", "SampleCaptures/http-loopback.pcap"],
            ["--ignore", "DM-SEQ-999", "SampleCaptures/http-loopback.pcap"],
            ["--notification-window", "0", "SampleCaptures/http-loopback.pcap"],
            ["--pkgseq-model", "sideways", "SampleCaptures/http-loopback.pcap"],
            ["--server-map", "dms.example", "SampleCaptures/http-loopback.pcap"],
            ["--server-map", "=10.0.0.1", "SampleCaptures/http-loopback.pcap"],
            ["--server-map", "dms.example=", "SampleCaptures/http-loopback.pcap"],
        ] {
            let result = try CLI.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
        }
        #expect(
            try CLI.run(["--pkgseq-model", "echo", "--notification-window", "60", "SampleCaptures/http-loopback.pcap"])
                .status == 0)
    }

    @Test("--server-map: a Package#1 to a host the notification's server does not own is DM-NC-010")
    func serverMap() throws {
        let capture = "SampleCaptures/dm-clean-a-server-initiated.pcap"
        let wrong = try CLI.run(["--format", "summary", "--server-map", "dms.example=dm.other.example,10.0.0.9", capture])
        #expect(wrong.status == 0)
        #expect(
            wrong.stdout.contains(
                "info DM-NC-010 frames 1,"),
            "\(wrong.stdout)")
        #expect(wrong.stdout.contains("which --server-map does not list for SERVER-ID \"dms.example\""))
        for right in ["dms.example=10.77.20.2", "dms.example=elsewhere,10.77.20.2:80", "other.id=dm.other.example"] {
            let result = try CLI.run(["--server-map", right, capture])
            #expect(result.status == 0)
            #expect(!result.stdout.contains("DM-NC-010"), "\(right): \(result.stdout)")
        }
    }
}
