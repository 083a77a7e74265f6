import Analysis
import Foundation
import Packets
import Testing

/// Compares what dmdissect decodes from each sample capture with what tshark decoded from the
/// same file when it was recorded (`SampleCaptures/<file>.tshark.tsv`, made by
/// scripts/make-references), field by field, so the expected outputs are not just what our code
/// printed.
@Suite("cross-check with tshark")
struct TsharkCrossCheckTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let samples = root.appendingPathComponent("SampleCaptures")

    /// Captures that have a tshark reference.
    static var references: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: samples.path)) ?? []
        return names.filter { $0.hasSuffix(".tshark.tsv") }.map { String($0.dropLast(".tshark.tsv".count)) }.sorted()
    }

    /// One decoded frame, in tshark's field spellings.
    struct Row: Equatable, CustomStringConvertible {
        var number = "", time = "", length = "", capturedLength = "", vlan = "", serviceVLAN = ""
        var source = "", destination = "", sourcePort = "", destinationPort = "", tcpFlags = "", tcpSequence = ""
        var tcpLength = ""
        var description: String {
            [number, time, length, capturedLength, vlan, serviceVLAN, source, destination, sourcePort, destinationPort, tcpFlags,
             tcpSequence, tcpLength].joined(separator: "|")
        }
    }

    /// Parses the TSV written with the field list of scripts/make-references.
    static func tsharkRows(_ capture: String) throws -> [Row] {
        let text = try String(contentsOf: samples.appendingPathComponent(capture + ".tshark.tsv"), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first, header.first == "frame.number" else { return [] }
        lines.removeFirst()
        func column(_ fields: [String], _ name: String) -> String {
            guard let index = header.firstIndex(of: name), index < fields.count else { return "" }
            return fields[index]
        }
        return lines.map { fields in
            var row = Row()
            row.number = column(fields, "frame.number")
            row.time = column(fields, "frame.time_epoch")
            row.length = column(fields, "frame.len")
            row.capturedLength = column(fields, "frame.cap_len")
            row.vlan = column(fields, "vlan.id")
            row.serviceVLAN = column(fields, "ieee8021ad.id")
            row.source = column(fields, "ip.src").isEmpty ? column(fields, "ipv6.src") : column(fields, "ip.src")
            row.destination = column(fields, "ip.dst").isEmpty ? column(fields, "ipv6.dst") : column(fields, "ip.dst")
            let tcpSource = column(fields, "tcp.srcport")
            row.sourcePort = tcpSource.isEmpty ? column(fields, "udp.srcport") : tcpSource
            let tcpDestination = column(fields, "tcp.dstport")
            row.destinationPort = tcpDestination.isEmpty ? column(fields, "udp.dstport") : tcpDestination
            if let flags = UInt16(column(fields, "tcp.flags").dropFirst(2), radix: 16) { row.tcpFlags = String(flags & 0xFF) }
            row.tcpSequence = column(fields, "tcp.seq_raw")
            row.tcpLength = column(fields, "tcp.len")
            return row
        }
    }

    /// The same fields from dmdissect's decoder.
    static func ourRows(_ capture: String) throws -> [Row] {
        let run = CaptureRun()
        var rows: [Row] = []
        try run.run(files: [samples.appendingPathComponent(capture).path]) { info, packet in
            var row = Row()
            row.number = String(info.number.rawValue)
            let nanos = String(info.timestamp.nanoseconds)
            row.time = "\(info.timestamp.seconds)." + String(repeating: "0", count: 9 - nanos.count) + nanos
            row.length = String(info.originalLength)
            row.capturedLength = String(info.capturedLength)
            // tshark names 802.1Q C-tags vlan.id and 802.1ad S-tags ieee8021ad.id.
            row.vlan = packet.vlans.first { $0.tagProtocol.rawValue == 0x8100 }.map { String($0.id) } ?? ""
            row.serviceVLAN = packet.vlans.first { $0.tagProtocol.rawValue == 0x88A8 }.map { String($0.id) } ?? ""
            row.source = packet.sourceAddress?.description ?? ""
            row.destination = packet.destinationAddress?.description ?? ""
            switch packet.transport {
            case .tcp(let tcp):
                row.sourcePort = tcp.sourcePort.description
                row.destinationPort = tcp.destinationPort.description
                row.tcpFlags = String(tcp.flags.rawValue & 0xFF)
                row.tcpSequence = tcp.sequence.description
                row.tcpLength = String(packet.payload.count)
            case .udp(let udp):
                row.sourcePort = udp.sourcePort.description
                row.destinationPort = udp.destinationPort.description
            default:
                break
            }
            rows.append(row)
        }
        return rows
    }

    @Test("every frame decodes to the fields tshark saw", arguments: references)
    func matchesTshark(capture: String) throws {
        let expected = try Self.tsharkRows(capture)
        let actual = try Self.ourRows(capture)
        #expect(!expected.isEmpty)
        #expect(actual.count == expected.count)
        for (var ours, var theirs) in zip(actual, expected) {
            // tshark's tcp.len is what the IP header claims; ours is what was captured.
            if theirs.capturedLength != theirs.length {
                ours.tcpLength = ""
                theirs.tcpLength = ""
            }
            guard ours != theirs else { continue }
            Issue.record("\(capture) frame \(theirs.number):\n ours   \(ours)\n tshark \(theirs)")
        }
    }
}
